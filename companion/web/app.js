// The panel's entry point: sign-in, tabs and layout, and the wiring between the modules (socket
// events to chat/projects/live, project details to the piano roll and the player).

import { $, clock, h } from './dom.js';
import * as api from './api.js';
import { ChatSocket } from './socket.js';
import { Chat } from './chat.js';
import { Projects } from './projects.js';
import { PianoRoll } from './pianoroll.js';
import { Player, audioContext } from './player.js';
import { peaksOf } from './samplebank.js';
import { LiveStatus } from './live.js';
import { Samples } from './samples.js';
import { EngineSettings, LiveSettings } from './settings.js';
import { t, getLang, setLang, applyStatic, onLangChange } from './i18n.js';

const WIDE = window.matchMedia('(min-width: 900px)');
const TABS = ['chat', 'project', 'samples', 'live', 'settings'];

const socket = new ChatSocket(() => api.session.token);
let signedIn = false;
let loaded = false; // the first history/projects/live requests have answered
let activeTab = 'project';

// ------------------------------------------------------------------------------ modules
const projects = new Projects({
  els: {
    list: $('#project-list'),
    empty: $('#projects-empty'),
    count: $('#projects-count'),
    error: $('#projects-error'),
  },
});

const player = new Player();

const pianoRoll = new PianoRoll({
  els: {
    viewport: $('#roll-viewport'),
    sizer: $('#roll-sizer'),
    stage: $('#roll-stage'),
    canvas: $('#roll-canvas'),
    overlay: $('#roll-overlay'),
    summary: $('#roll-summary'),
  },
  onSeek: (beat) => {
    player.seek(beat);
    showPosition(beat);
  },
  onTogglePlay: () => togglePlay(),
});

const chat = new Chat({
  els: {
    scroll: $('#chat-scroll'),
    log: $('#chat-log'),
    empty: $('#chat-empty'),
    suggestions: $('#chat-suggestions'),
    alert: $('#chat-alert'),
    announce: $('#chat-announce'),
    form: $('#composer'),
    input: $('#composer-input'),
  },
  socket,
  onOpenProject: (id, version) => {
    selectTab('project');
    projects.select(id, version);
  },
  onDownloadAudio: (card, button) => downloadAudio(card.id, card.version || 1, card.name, button),
});

const live = new LiveStatus({
  els: { panel: $('#live-status'), chip: $('#live-chip'), chipText: $('#live-chip-text') },
});

const samples = new Samples({
  els: {
    panel: $('#panel-samples'),
    form: $('#sample-search'),
    q: $('#sample-q'),
    type: $('#sample-type'),
    loop: $('#sample-loop'),
    style: $('#sample-style'),
    key: $('#sample-key'),
    bpmMin: $('#sample-bpm-min'),
    bpmMax: $('#sample-bpm-max'),
    list: $('#sample-list'),
    empty: $('#samples-empty'),
    error: $('#samples-error'),
    total: $('#samples-total'),
    pager: $('#sample-pager'),
    prev: $('#sample-prev'),
    next: $('#sample-next'),
    page: $('#sample-page'),
    dropzone: $('#dropzone'),
    file: $('#sample-file'),
    uploads: $('#uploads'),
    skipped: $('#samples-skipped'),
    skippedSummary: $('#samples-skipped-summary'),
    skippedList: $('#samples-skipped-list'),
  },
});

const engineSettings = new EngineSettings({
  els: {
    form: $('#engine-form'),
    options: $('#engine-options'),
    status: $('#engine-status'),
    error: $('#engine-error'),
  },
});

const liveSettings = new LiveSettings({
  els: {
    form: $('#live-settings-form'),
    checkbox: $('#live-autoload'),
    status: $('#live-settings-status'),
    error: $('#live-settings-error'),
  },
});

// ------------------------------------------------------------------------------ wiring
projects.addEventListener('details', (event) => {
  const details = event.detail;
  $('#roll').hidden = false;
  $('#roll-caption').textContent = `${details.name} · v${details.version}`;
  pianoRoll.setArrangement(details.arrangement, { id: details.id, version: details.version });
  player.setArrangement(details.arrangement, { project: details.id, version: details.version });
  updateTransport();
  showPosition(0);
  prepareRender(details);
});

// ------------------------------------------------------------------------------ the render
// The companion renders each version once (in a worker, into the project folder); Play uses that
// audio as soon as it has arrived and the instant preview until then.
let render = { id: null, state: 'none', info: null, name: '', detail: '' };

function renderUrl(id, version) {
  return `/projects/${id}/render?version=${version}`;
}

async function requestRender(id, version) {
  return api.request(renderUrl(id, version), { method: 'POST' });
}

async function prepareRender(details) {
  const id = `${details.id}:${details.version}`;
  render = { id, state: 'none', info: null, name: details.name, detail: '' };
  if (player.mode !== 'render') {
    showRender();
    return;
  }
  render.state = 'rendering';
  showRender();
  try {
    const info = await requestRender(details.id, details.version);
    if (render.id !== id) return;
    render.info = info;
    const bytes = await api.fetchBytes(info.url);
    const buffer = await audioContext().decodeAudioData(bytes);
    if (render.id !== id) return;
    player.setRendered(id, buffer, info);
    render.state = 'ready';
  } catch (error) {
    if (render.id !== id) return;
    render.state = error.status === 503 ? 'unavailable' : 'failed';
    render.detail = error.detail || error.message || '';
  }
  showRender();
}

function showRender() {
  const box = $('#render-status');
  const state = render.id === null ? 'none' : player.mode !== 'render' ? 'preview' : render.state;
  box.dataset.state = state;
  const labels = {
    rendering: 'render.rendering',
    ready: 'render.ready',
    preview: 'render.preview',
    unavailable: 'render.unavailable',
    failed: 'render.failed',
  };
  box.textContent = labels[state] ? t(labels[state], { detail: render.detail }) : '';
  $('#play-render').checked = player.mode === 'render';
  $('#render-download').hidden = render.id === null || state === 'unavailable';
}

async function downloadAudio(id, version, name, button = null) {
  const target = button || $('#render-download');
  target.disabled = true;
  const before = target.textContent;
  target.textContent = t('render.downloading');
  try {
    const info = await requestRender(id, version);
    const saved = await api.saveDownload(info.download_url, `${name || 'MusiaIA'}.flac`);
    target.textContent = t('render.downloaded', { name: saved.name });
  } catch (error) {
    target.textContent = before;
    const note = $('#player-status');
    note.textContent = t('render.failed', { detail: error.detail || error.message || '' });
    note.hidden = false;
  } finally {
    target.disabled = false;
  }
}

$('#render-download').addEventListener('click', () => {
  const [id, version] = (render.id || '').split(':');
  if (id) downloadAudio(id, Number(version) || 1, render.name);
});
$('#play-render').addEventListener('change', (event) => {
  player.setMode(event.target.checked ? 'render' : 'preview');
  const [id, version] = (render.id || '').split(':');
  if (player.mode === 'render' && id && render.state !== 'ready' && render.state !== 'rendering') {
    prepareRender({ id, version: Number(version), name: render.name });
  }
  showRender();
});

projects.addEventListener('showlive', () => selectTab('live', true));

player.addEventListener('tick', (event) => {
  pianoRoll.setPlayhead(event.detail.beat, player.playing);
  showPosition(event.detail.beat);
});
let sounds = null;
player.addEventListener('sounds', (event) => {
  sounds = event.detail;
  showSounds();
  // Audio loops decoded: the piano roll draws their waveform in the clips.
  const meta = { id: pianoRoll.model?.id, version: pianoRoll.model?.version };
  for (const part of player.parts) {
    if (part.kind !== 'loop') continue;
    const peaks = peaksOf(part.slots[0]?.entry);
    if (peaks) pianoRoll.setLoopPeaks(meta, part.index, peaks);
  }
});

/** "Loading sounds 5/23" while the samples come; which parts are synthesized if some failed. */
function showSounds(relabel = false) {
  const box = $('#sounds-status');
  const state = sounds ? sounds.state : 'none';
  const was = box.dataset.state;
  box.dataset.state = state;
  if (state === 'loading') {
    // The count is for the eye: screen readers hear "loading sounds" once, not every file.
    let count = box.querySelector('[data-count]');
    if (was !== 'loading' || !count || relabel) {
      count = h('span', { 'aria-hidden': 'true', dataset: { count: '' } });
      box.replaceChildren(t('player.soundsLoading'), ' ', count);
    }
    count.textContent = `${sounds.ready + sounds.failed}/${sounds.total}`;
    box.title = '';
    box.hidden = false;
  } else if (state === 'partial' && sounds.fallback.length) {
    box.textContent = t('player.soundsPartial', { n: sounds.failed });
    box.title = t('player.soundsFallback', { parts: sounds.fallback.join(', ') });
    box.hidden = false;
  } else {
    box.textContent = '';
    box.title = '';
    box.hidden = true;
  }
}

player.addEventListener('state', () => {
  updateTransport();
  if (!player.playing) {
    pianoRoll.setPlayhead(null, false);
    showPosition(player.cursor);
  }
});

async function togglePlay() {
  if (player.playing) {
    player.stop();
    return;
  }
  const started = await player.play();
  // Browsers may refuse sound until the page has been interacted with.
  const note = $('#player-status');
  note.hidden = started !== false || (!player.events.length && !player.usesRender);
  note.textContent = note.hidden ? '' : t('player.blocked');
  updateTransport();
}

function updateTransport() {
  const button = $('#play-btn');
  button.setAttribute('aria-pressed', player.playing ? 'true' : 'false');
  button.classList.toggle('is-playing', player.playing);
  $('#play-label').textContent = t(player.playing ? 'player.stop' : 'player.play');
}

function showPosition(beat) {
  const m = pianoRoll.model;
  const perBar = m ? m.beatsPerBar : 4;
  const bar = Math.floor(beat / perBar) + 1;
  const inBar = Math.floor(beat % perBar) + 1;
  const seconds = beat * (60 / (player.bpm || 120));
  const total = m ? m.totalBeats * (60 / (player.bpm || 120)) : 0;
  $('#position').textContent = `${bar}.${inBar} · ${clock(seconds)} / ${clock(total)}`;
}

$('#play-btn').addEventListener('click', () => togglePlay());
$('#rewind-btn').addEventListener('click', () => {
  player.seek(0);
  pianoRoll.setCursor(0);
  $('#roll-viewport').scrollLeft = 0;
  showPosition(0);
});
$('#volume').addEventListener('input', (event) => player.setVolume(Number(event.target.value) / 100));
$('#zoom-in').addEventListener('click', () => pianoRoll.zoomBy(1.5));
$('#zoom-out').addEventListener('click', () => pianoRoll.zoomBy(1 / 1.5));
$('#zoom-fit').addEventListener('click', () => pianoRoll.fit());
$('#live-refresh').addEventListener('click', () => live.load());
$('#live-chip').addEventListener('click', () => selectTab('live', true));

// Socket events go to whoever they are about.
socket.addEventListener('message', (event) => {
  const data = event.detail;
  switch (data.type) {
    case 'project':
      // Made in the chat (linked from its answer) or from Live's MIDI trigger (source: live).
      if (data.source === 'live') chat.liveProject(data.project);
      else chat.project(data.project);
      projects.upsert(data.project).catch(() => {});
      return;
    case 'live_state':
      live.update(data.state || data.data || data);
      return;
    case 'live_progress':
    case 'live_loaded':
    case 'live_error':
      projects.handleLive(data);
      return;
    case 'error':
      // A failed "Send to Live" while no chat answer is awaited is the load's error.
      if (projects.liveBusy() && (data.project_id || data.source === 'live' || !chat.busy())) {
        projects.handleLive(data);
        return;
      }
      chat.handle(data);
      return;
    default:
      chat.handle(data);
  }
});

socket.addEventListener('state', (event) => {
  const { state, retryIn } = event.detail;
  const chip = $('#conn-chip');
  chip.dataset.state = state;
  let text = t(`conn.${state}`);
  if (state === 'reconnecting' && retryIn > 1500) text = t('conn.reconnectingIn', { s: Math.round(retryIn / 1000) });
  $('#conn-text').textContent = text;
  $('#conn-retry').hidden = state !== 'reconnecting';
  $('#composer').dataset.online = state === 'online' ? 'true' : 'false';
  if (state !== 'online') chat.connectionLost();
});
$('#conn-retry').addEventListener('click', () => socket.retryNow());

socket.addEventListener('ready', async (event) => {
  if (!event.detail.reconnect) return;
  // Back after a drop or a server restart: catch up with what happened meanwhile.
  await Promise.allSettled([chat.reconnected(), projects.load(), live.load()]);
});

socket.addEventListener('unauthorized', () => signOut(t('signin.expired')));
api.onUnauthorized(() => signOut(t('signin.expired')));

// ------------------------------------------------------------------------------ tabs & layout
function selectTab(name, focus = false) {
  if (!TABS.includes(name)) return;
  if (name === 'chat' && WIDE.matches) name = activeTab === 'chat' ? 'project' : activeTab;
  activeTab = name;
  for (const tab of TABS) {
    const button = $(`#tab-${tab}`);
    const panel = $(`#panel-${tab}`);
    const selected = tab === name;
    button.setAttribute('aria-selected', selected ? 'true' : 'false');
    button.tabIndex = selected ? 0 : -1;
    // On wide screens the chat is always shown beside the selected tab.
    panel.hidden = !(selected || (tab === 'chat' && WIDE.matches));
  }
  if (focus) $(`#tab-${name}`).focus();
  if (name === 'samples' && !samples.loaded && signedIn) samples.search(1);
  if (name === 'settings' && signedIn) {
    engineSettings.load();
    liveSettings.load();
  }
  if (name === 'project') pianoRoll.layout(false);
}

$('#tabs').addEventListener('click', (event) => {
  const tab = event.target.closest('[role="tab"]');
  if (tab) selectTab(tab.id.replace('tab-', ''));
});
$('#tabs').addEventListener('keydown', (event) => {
  const visible = TABS.filter((tab) => !(tab === 'chat' && WIDE.matches));
  const index = visible.indexOf(activeTab);
  let next = null;
  if (event.key === 'ArrowRight') next = visible[(index + 1) % visible.length];
  else if (event.key === 'ArrowLeft') next = visible[(index - 1 + visible.length) % visible.length];
  else if (event.key === 'Home') next = visible[0];
  else if (event.key === 'End') next = visible[visible.length - 1];
  if (next) {
    event.preventDefault();
    selectTab(next, true);
  }
});
WIDE.addEventListener('change', () => selectTab(activeTab));

// Space anywhere outside a text field plays/stops the preview while the project tab shows.
document.addEventListener('keydown', (event) => {
  if (event.key !== ' ' || event.defaultPrevented || !signedIn) return;
  const target = event.target;
  if (target.closest('input, textarea, select, button, [contenteditable], #roll-viewport, [role="tab"]')) return;
  if ($('#panel-project').hidden || $('#roll').hidden) return;
  event.preventDefault();
  togglePlay();
});

// ------------------------------------------------------------------------------ language
const langSelect = $('#lang-select');
langSelect.value = getLang();
langSelect.addEventListener('change', () => setLang(langSelect.value));
onLangChange(() => {
  langSelect.value = getLang();
  updateTransport();
  showSounds(true);
  showRender();
  const state = socket.state;
  $('#conn-text').textContent = t(`conn.${state}`);
});

// ------------------------------------------------------------------------------ sign in
function showSignIn(message = '') {
  signedIn = false;
  $('#app-view').hidden = true;
  $('#topbar-status').hidden = true;
  $('#signout').hidden = true;
  $('#signin-view').hidden = false;
  $('#signin-busy').hidden = true;
  const error = $('#signin-error');
  error.textContent = message;
  error.hidden = !message;
  $('#login-user').focus();
}

function signOut(message = '') {
  if (!signedIn && !message) return;
  socket.stop();
  player.setArrangement(null);
  player.bank.reset(); // decoded sounds are the user's: not kept after signing out
  api.session.clear();
  chat.reset();
  projects.reset();
  samples.reset();
  engineSettings.reset();
  liveSettings.reset();
  showSignIn(message);
}

async function enterApp() {
  signedIn = true;
  $('#signin-view').hidden = true;
  $('#app-view').hidden = false;
  $('#topbar-status').hidden = false;
  $('#signout').hidden = false;
  selectTab(WIDE.matches ? 'project' : 'chat');
  socket.start();
  loaded = false;
  $('#chat-loading').hidden = false;
  $('#projects-loading').hidden = false;
  const results = await Promise.allSettled([chat.loadHistory(), projects.load(), live.load()]);
  $('#chat-loading').hidden = true;
  $('#projects-loading').hidden = true;
  loaded = true;
  if (!signedIn) return;
  const failed = results.find((r) => r.status === 'rejected' && r.reason?.status !== 401);
  if (failed && results[1].status === 'rejected') {
    const box = $('#projects-error');
    box.textContent = failed.reason?.detail || t('error.network');
    box.hidden = false;
  }
}

$('#login-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const user = $('#login-user').value.trim();
  const password = $('#login-pass').value;
  const error = $('#signin-error');
  if (!user || !password) {
    error.textContent = t('signin.missing');
    error.hidden = false;
    return;
  }
  $('#signin-busy').hidden = false;
  try {
    await api.login(user, password);
    $('#login-pass').value = '';
    error.hidden = true;
    await enterApp();
  } catch (err) {
    error.textContent = t('signin.failed', { detail: err.detail || err.message });
    error.hidden = false;
  } finally {
    $('#signin-busy').hidden = true;
  }
});

$('#signout').addEventListener('click', () => signOut());

async function boot() {
  applyStatic();
  updateTransport();
  const url = new URL(location.href);
  const linkToken = url.searchParams.get('token');
  if (linkToken !== null) {
    // Take the one-time token out of the address bar (and history) before anything else.
    url.searchParams.delete('token');
    history.replaceState(history.state, '', url.pathname + (url.search || '') + url.hash);
    $('#signin-view').hidden = false;
    $('#signin-busy').hidden = false;
    try {
      await api.redeemLink(linkToken);
    } catch (err) {
      if (!api.session.token) {
        showSignIn(t('signin.linkFailed', { detail: err.detail || err.message }));
        return;
      }
      // An old link opened again while still signed in: carry on with the session.
    }
  }
  if (!api.session.token) {
    showSignIn();
    return;
  }
  await enterApp();
}

// ------------------------------------------------------------------------------ test hooks
window.musiaia = {
  loaded: () => loaded,
  pianoRoll: { state: () => pianoRoll.state(), zoomBy: (f) => pianoRoll.zoomBy(f), fit: () => pianoRoll.fit() },
  player: {
    state: () => player.state(),
    play: (beat) => player.play(beat),
    stop: () => player.stop(),
    seek: (beat) => player.seek(beat),
    setMode: (mode) => player.setMode(mode),
  },
  render: { state: () => ({ ...render, info: render.info }) },
  chat: { stats: () => chat.stats() },
  socket: { state: () => socket.info() },
  projects: {
    state: () => ({
      selected: projects.selectedId,
      version: projects.selectedVersion(),
      count: projects.items.size,
      names: [...projects.items.values()].map((p) => p.name),
    }),
  },
  live: { state: () => live.state() },
  samples: { state: () => samples.state() },
  settings: { state: () => engineSettings.state() },
  liveSettings: { state: () => liveSettings.state() },
  i18n: { lang: () => getLang(), set: (lang) => setLang(lang) },
};

boot();
