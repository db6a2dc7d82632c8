// Live status: is Ableton Live connected (through the MusiaIA Remote Script), and its tempo,
// transport, key, meter, position and tracks, kept current by `live_state` events.

import { h, rich } from './dom.js';
import { request, ApiError } from './api.js';
import { t, onLangChange, formatBpm } from './i18n.js';
import { paletteHex } from './palette.js';

export function normalizeLiveState(raw) {
  const data = raw && typeof raw === 'object' ? raw.state || raw : {};
  const signature = data.time_signature ?? data.signature ?? null;
  let meter = null;
  if (Array.isArray(signature) && signature.length === 2) meter = [signature[0], signature[1]];
  else if (typeof signature === 'string' && signature.includes('/')) meter = signature.split('/').map(Number);
  else if (signature && typeof signature === 'object') meter = [signature.numerator, signature.denominator];
  const tracks = Array.isArray(data.tracks) ? data.tracks : [];
  return {
    connected: Boolean(data.connected),
    tempo: typeof data.tempo === 'number' ? data.tempo : null,
    playing: Boolean(data.playing ?? data.is_playing),
    meter,
    key: data.key || null,
    tracks: tracks.map((track, index) => ({
      index: track.index ?? index,
      name: String(track.name ?? ''),
      color: track.color ?? track.color_index ?? null,
      type: track.type || '',
    })),
    selected: data.selected_track ?? null,
    selectedName: data.selected_track_name || null,
    songTime: typeof data.song_time === 'number' ? data.song_time : null,
    liveVersion: data.live_version || null,
  };
}

/** A Live track colour: a palette index (0–69) or an RGB integer as Live's API gives it. */
function trackColor(color) {
  if (typeof color !== 'number' || color < 0) return '#6b7280';
  if (color <= 69) return paletteHex(color);
  return `#${(color & 0xffffff).toString(16).padStart(6, '0')}`;
}

export class LiveStatus {
  /** els: {panel, chip, chipText}; onOpen() shows the Live tab. */
  constructor({ els }) {
    this.els = els;
    this.available = null; // false when the companion has no Live routes
    this.current = normalizeLiveState({ connected: false });
    this.updates = 0;
    this.error = null;
    onLangChange(() => this.render());
    this.render();
  }

  async load() {
    try {
      const data = await request('/live/state');
      this.available = true;
      this.error = null;
      this.update(data);
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) this.available = false;
      else this.error = error.detail || error.message;
      if (error instanceof ApiError && error.status === 401) return;
      this.current = normalizeLiveState({ connected: false });
      this.render();
    }
  }

  update(raw) {
    this.current = normalizeLiveState(raw);
    // Why it is not connected, when the companion says ("disabled", a port in use…).
    const why = raw && typeof raw === 'object' ? (raw.state || raw).error : null;
    this.error = !this.current.connected && why ? String(why) : null;
    this.updates += 1;
    this.render();
  }

  render() {
    const s = this.current;
    const { chip, chipText, panel } = this.els;
    chip.dataset.state = s.connected ? (s.playing ? 'playing' : 'on') : 'off';
    chipText.textContent = s.connected
      ? [t('live.chipOn'), s.tempo !== null ? `${formatBpm(s.tempo)} BPM` : '', s.playing ? '▶' : '']
          .filter(Boolean)
          .join(' · ')
      : t('live.chipOff');
    chip.title = s.connected ? t('live.connected') : t('live.notConnected');
    chip.setAttribute('aria-label', chipText.textContent);
    panel.replaceChildren(s.connected ? this.connectedView(s) : this.disconnectedView());
  }

  connectedView(s) {
    const fact = (label, value, field) =>
      h('div', { class: 'fact', dataset: { field } }, h('dt', {}, label), h('dd', {}, value));
    const selectedIndex = typeof s.selected === 'number' ? s.selected : null;
    return h(
      'div',
      { class: 'live__body', dataset: { connected: 'true' } },
      h(
        'p',
        { class: 'live__head' },
        h('span', { class: 'dot dot--on', 'aria-hidden': 'true' }),
        h('strong', {}, t('live.connected')),
        s.liveVersion ? h('span', { class: 'muted small' }, `Live ${s.liveVersion}`) : ''
      ),
      h(
        'dl',
        { class: 'facts' },
        fact(t('live.tempo'), s.tempo !== null ? `${formatBpm(s.tempo)} BPM` : '—', 'tempo'),
        fact(t('live.transport'), s.playing ? `▶ ${t('live.playing')}` : `■ ${t('live.stopped')}`, 'playing'),
        fact(t('live.key'), s.key || '—', 'key'),
        fact(t('live.meter'), s.meter ? `${s.meter[0]}/${s.meter[1]}` : '—', 'meter'),
        fact(t('live.position'), s.songTime !== null ? position(s.songTime, s.meter) : '—', 'position')
      ),
      h('h3', { class: 'live__subtitle' }, t('live.tracks', { n: s.tracks.length })),
      s.tracks.length
        ? h(
            'ul',
            { class: 'live__tracks' },
            s.tracks.map((track, i) => {
              const selected =
                (selectedIndex !== null && (track.index === selectedIndex || i === selectedIndex)) ||
                (s.selectedName && track.name === s.selectedName) ||
                (typeof s.selected === 'string' && track.name === s.selected);
              return h(
                'li',
                { class: `live__track${selected ? ' live__track--selected' : ''}`, 'aria-current': selected ? 'true' : null },
                h('span', { class: 'swatch', style: { background: trackColor(track.color) }, 'aria-hidden': 'true' }),
                h('span', { class: 'live__track-name' }, track.name),
                track.type ? h('span', { class: 'muted small' }, t(`live.type.${track.type}`, {}, track.type)) : '',
                selected ? h('span', { class: 'badge badge--quiet' }, t('live.selected')) : ''
              );
            })
          )
        : h('p', { class: 'muted' }, t('live.noTracks'))
    );
  }

  disconnectedView() {
    return h(
      'div',
      { class: 'live__body', dataset: { connected: 'false' } },
      h(
        'p',
        { class: 'live__head' },
        h('span', { class: 'dot dot--off', 'aria-hidden': 'true' }),
        h('strong', {}, t('live.notConnected'))
      ),
      h('p', { class: 'muted' }, t('live.howIntro')),
      h(
        'ol',
        { class: 'howto' },
        h('li', {}, rich(t('live.how1'))),
        h('li', {}, rich(t('live.how2'))),
        h('li', {}, rich(t('live.how3'))),
        h('li', {}, rich(t('live.how4')))
      ),
      this.available === false ? h('p', { class: 'hint' }, t('live.routesMissing')) : '',
      this.error
        ? h(
            'p',
            { class: 'hint' },
            this.error === 'disabled' ? rich(t('live.disabled')) : t('live.errorDetail', { detail: this.error })
          )
        : ''
    );
  }

  state() {
    return { ...this.current, available: this.available, updates: this.updates };
  }
}

function position(beats, meter) {
  const perBar = meter ? (meter[0] * 4) / meter[1] : 4;
  const bar = Math.floor(beats / perBar) + 1;
  const beat = Math.floor(beats % perBar) + 1;
  return `${bar}.${beat}`;
}
