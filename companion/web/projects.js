// Project cards: what was made (style, tempo, key, sections, engine), versions and what changed,
// downloads (.als, .zip), "Send to Live" with its progress, and "Open in Live".

import { h } from './dom.js';
import { request, saveDownload, ApiError } from './api.js';
import { t, onLangChange, formatDate, formatBpm } from './i18n.js';

const LIVE_TIMEOUT_MS = 120000;
const SECTION_COLORS = {
  intro: '#5b8def',
  verse: '#6fbf73',
  'pre-chorus': '#c7b446',
  chorus: '#ff7eb6',
  build: '#f5a623',
  drop: '#ff5d5d',
  breakdown: '#8e7cc3',
  bridge: '#46b8c7',
  outro: '#4aa3a2',
};

export function sectionColor(kind) {
  return SECTION_COLORS[kind] || '#8a93a6';
}

export class Projects extends EventTarget {
  /** els: {list, empty, count, error}; dispatches 'details' (detail: project details). */
  constructor({ els }) {
    super();
    this.els = els;
    this.items = new Map(); // id → summary (+ fields from project events)
    this.selectedId = null;
    this.details = null; // the selected project's details (selected version)
    this.loadingDetails = 0;
    this.status = new Map(); // id → {kind, text, percent}
    this.liveJob = null; // {id, version, timer}
    onLangChange(() => this.render());
  }

  // ------------------------------------------------------------------------------ data
  async load() {
    const list = await request('/projects');
    const known = new Map(this.items);
    this.items.clear();
    for (const summary of list) this.items.set(summary.id, { ...(known.get(summary.id) || {}), ...summary });
    this.els.error.hidden = true;
    if (this.selectedId && !this.items.has(this.selectedId)) this.selectedId = null;
    if (!this.selectedId && list.length) {
      await this.select(list[0].id);
    } else {
      this.render();
    }
  }

  /** A `project` event: a set was made (v1) or changed (vN). */
  async upsert(card) {
    const old = this.items.get(card.id) || {};
    const entry = {
      ...old,
      ...card,
      versions: Math.max(old.versions || 0, card.version || 1),
      updated_at: new Date().toISOString(),
      created_at: old.created_at || new Date().toISOString(),
    };
    this.items.delete(card.id);
    this.items = new Map([[card.id, entry], ...this.items]); // newest first
    await this.select(card.id, card.version || null);
  }

  async select(id, version = null) {
    this.selectedId = id;
    const ticket = ++this.loadingDetails;
    this.render();
    const query = version ? `?version=${encodeURIComponent(version)}` : '';
    let details;
    try {
      details = await request(`/projects/${encodeURIComponent(id)}${query}`);
    } catch (error) {
      if (ticket === this.loadingDetails) this.setStatus(id, 'error', errorText(error));
      return;
    }
    if (ticket !== this.loadingDetails) return; // a newer selection won
    this.details = details;
    const entry = this.items.get(id) || {};
    this.items.set(id, {
      ...entry,
      id,
      name: details.name,
      style: details.style,
      bpm: details.arrangement?.bpm ?? details.bpm,
      key: details.arrangement?.key ?? details.key,
      bars: details.arrangement?.bars ?? details.bars,
      versions: details.versions,
      created_at: details.created_at,
      updated_at: details.updated_at,
    });
    this.render();
    this.dispatchEvent(new CustomEvent('details', { detail: details }));
  }

  selectedVersion() {
    return this.details && this.details.id === this.selectedId ? this.details.version : null;
  }

  // ------------------------------------------------------------------------------ actions
  async download(id, kind) {
    const version = this.details && this.details.id === id ? this.details.version : null;
    const item = this.items.get(id) || {};
    const url =
      kind === 'zip'
        ? item.zip_url || `/api/v1/projects/${id}/download?format=zip`
        : `/api/v1/projects/${id}/download${version ? `?version=${version}` : ''}`;
    const fallback = `${item.name || 'MusiaIA'}${kind === 'zip' ? '.zip' : '.als'}`;
    this.setStatus(id, 'busy', t('projects.downloading'));
    try {
      const saved = await saveDownload(url, fallback);
      this.setStatus(id, 'ok', t('projects.downloaded', { name: saved.name }));
    } catch (error) {
      this.setStatus(id, 'error', errorText(error));
    }
  }

  async sendToLive(id) {
    const version = this.selectedVersion();
    this.clearLiveJob();
    this.setStatus(id, 'busy', t('live.sending'), 0);
    try {
      await request(`/projects/${id}/load-in-live${version ? `?version=${version}` : ''}`, {
        method: 'POST',
      });
    } catch (error) {
      this.setStatus(id, 'error', liveErrorText(error), null, true);
      return;
    }
    this.liveJob = {
      id,
      version,
      timer: setTimeout(() => {
        this.setStatus(id, 'error', t('live.noAnswer'));
        this.liveJob = null;
      }, LIVE_TIMEOUT_MS),
    };
    this.setStatus(id, 'busy', t('live.waiting'), 2);
  }

  async openInLive(id) {
    const version = this.selectedVersion();
    this.setStatus(id, 'busy', t('live.opening'));
    try {
      await request(`/projects/${id}/open-in-live${version ? `?version=${version}` : ''}`, {
        method: 'POST',
      });
      this.setStatus(id, 'ok', t('live.opened'));
    } catch (error) {
      this.setStatus(id, 'error', t('live.openFailed', { detail: errorText(error) }));
    }
  }

  /** Live loading events from the socket; true when the event was about a load. */
  handleLive(event) {
    const job = this.liveJob;
    if (event.type === 'live_progress') {
      const data = event.data || event;
      const id = event.project_id || data.project_id || job?.id;
      if (!id) return true;
      const previous = this.status.get(id);
      if (previous?.cancelling && previous.requestId === (event.request_id || data.request_id)) return true;
      const pct = Math.max(0, Math.min(100, Number(data.percent) || 0));
      const counted = data.total ? ` ${data.done || 0}/${data.total}` : '';
      const text = data.phase ? t(`live.phase.${data.phase}`, {}, data.label || t('live.loading')) + counted : data.label || t('live.loading');
      // The build's id: what "Cancel" stops (a build started here, by auto-load or by Live).
      this.setStatus(id, 'busy', text, pct, false, event.request_id || data.request_id || null);
      return true;
    }
    if (event.type === 'live_loaded') {
      const id = event.project_id || event.data?.project_id || job?.id;
      this.clearLiveJob();
      // What Live could not do (loops on Live 11, a sample missing from the browser) stays
      // on the card: the producer needs to know why a track sounds different.
      const warnings = event.result?.summary?.warnings || [];
      if (id && warnings.length) {
        this.setStatus(id, 'warn', `${t('live.loadedWithNotes')} ${warnings.join(' · ')}`, null, true);
      } else if (id) {
        this.setStatus(id, 'ok', t('live.loaded'), 100);
      }
      return true;
    }
    if (event.type === 'live_error' && event.cancelled) {
      const id = event.project_id || job?.id;
      this.clearLiveJob();
      if (id) this.setStatus(id, 'warn', t('live.cancelled'));
      return true;
    }
    if (event.type === 'live_error' || (event.type === 'error' && job)) {
      const id = event.project_id || event.data?.project_id || job?.id;
      this.clearLiveJob();
      const detail = event.detail || event.data?.detail || event.message;
      if (id) this.setStatus(id, 'error', detail ? String(detail) : t('live.failed'), null, true);
      return true;
    }
    return false;
  }

  liveBusy() {
    return Boolean(this.liveJob);
  }

  clearLiveJob() {
    if (this.liveJob) clearTimeout(this.liveJob.timer);
    this.liveJob = null;
  }

  /** Stop the build in Live: what it made so far is removed again (one undo step). */
  async cancelLive(id, requestId) {
    const entry = this.status.get(id);
    if (!entry || entry.cancelling) return;
    entry.cancelling = true;
    entry.text = t('live.cancelling');
    this.render();
    try {
      await request(`/live/builds/${encodeURIComponent(requestId)}/cancel`, { method: 'POST' });
    } catch (error) {
      entry.cancelling = false;
      this.setStatus(id, 'error', errorText(error), null, true);
    }
  }

  setStatus(id, kind, text, percent = null, aboutLive = false, requestId = null) {
    const entry = { kind, text, percent, aboutLive, requestId };
    this.status.set(id, entry);
    if (kind === 'ok') {
      // Good news fades after a while; errors stay until the next action.
      setTimeout(() => {
        if (this.status.get(id) === entry) {
          this.status.delete(id);
          this.render();
        }
      }, 8000);
    }
    this.render();
  }

  // ------------------------------------------------------------------------------ rendering
  render() {
    const { list, empty, count } = this.els;
    const focusKey = document.activeElement?.dataset?.key;
    empty.hidden = this.items.size > 0;
    count.textContent = this.items.size ? t('projects.count', { n: this.items.size }) : '';
    list.replaceChildren(...[...this.items.values()].map((item) => this.card(item)));
    if (focusKey) list.querySelector(`[data-key="${CSS.escape(focusKey)}"]`)?.focus();
  }

  card(item) {
    const selected = item.id === this.selectedId;
    const details = selected && this.details && this.details.id === item.id ? this.details : null;
    const version = details ? details.version : item.version || item.versions || 1;
    const title = selected
      ? h('h3', { class: 'card__title' }, item.name)
      : h(
          'h3',
          { class: 'card__title' },
          h(
            'button',
            {
              type: 'button',
              class: 'card__select',
              dataset: { key: `${item.id}:select` },
              onclick: () => this.select(item.id),
            },
            item.name
          )
        );
    const meta = h(
      'ul',
      { class: 'card__meta', 'aria-label': t('projects.details') },
      item.style ? h('li', { class: 'tag tag--style' }, item.style) : '',
      h('li', { class: 'tag', dataset: { field: 'bpm' } }, `${formatBpm(item.bpm)} BPM`),
      item.key ? h('li', { class: 'tag', dataset: { field: 'key' } }, item.key) : '',
      item.bars ? h('li', { class: 'tag' }, t('projects.bars', { n: item.bars })) : ''
    );
    const head = h(
      'div',
      { class: 'card__head' },
      title,
      h(
        'span',
        { class: 'badge', title: t('projects.versionTitle'), dataset: { field: 'version' } },
        `v${version}`
      )
    );
    const article = h(
      'article',
      {
        class: `card${selected ? ' card--selected' : ''}`,
        'aria-current': selected ? 'true' : null,
        dataset: { id: item.id },
      },
      head,
      meta
    );
    if (!selected) {
      article.append(
        h('p', { class: 'card__when muted small' }, formatDate(item.updated_at || item.created_at))
      );
      return article;
    }
    const sections = (details?.arrangement?.sections || item.sections || []).slice();
    if (sections.length) article.append(this.sections(sections));
    const engine = details?.version_list?.find((v) => v.number === details.version)?.engine;
    const tracks = details?.arrangement?.tracks || item.tracks || [];
    article.append(
      h(
        'p',
        { class: 'card__facts muted small' },
        engine ? h('span', { class: 'engine', dataset: { field: 'engine' } }, t('chat.engine', { engine })) : '',
        sections.length ? h('span', {}, t('projects.sections', { n: sections.length })) : '',
        tracks.length ? h('span', {}, t('projects.tracks', { n: tracks.length })) : ''
      )
    );
    article.append(this.actions(item));
    const status = this.status.get(item.id);
    article.append(this.statusLine(status, item.id));
    const leftOut = details?.warnings || [];
    if (leftOut.length) article.append(this.samplesLeftOut(leftOut));
    const limits = details?.live_limits || [];
    if (limits.length) article.append(this.limits(limits));
    if (details) article.append(this.versions(item, details));
    else article.append(h('p', { class: 'muted small' }, t('projects.loading')));
    return article;
  }

  sections(sections) {
    return h(
      'ol',
      { class: 'sections', 'aria-label': t('projects.sectionsLabel') },
      sections.map((s) =>
        h(
          'li',
          {
            class: 'sections__item',
            style: { flexGrow: String(s.bars || 1), '--section': sectionColor(s.kind) },
            title: `${s.name} · ${t('projects.barsFrom', { n: s.bars, bar: (s.start_bar || 0) + 1 })}`,
          },
          h('span', { class: 'sections__name' }, s.name),
          h('span', { class: 'sr-only' }, ` (${t('projects.bars', { n: s.bars })})`)
        )
      )
    );
  }

  actions(item) {
    const id = item.id;
    const icon = (path) =>
      h('span', { class: 'btn__icon', 'aria-hidden': 'true' }, svg(path));
    return h(
      'div',
      { class: 'card__actions', role: 'group', 'aria-label': t('projects.actions') },
      h(
        'button',
        { type: 'button', class: 'btn btn--small', dataset: { key: `${id}:als`, action: 'als' }, onclick: () => this.download(id, 'als') },
        icon('M12 4v11m0 0-4-4m4 4 4-4M5 19h14'),
        t('projects.downloadAls')
      ),
      h(
        'button',
        { type: 'button', class: 'btn btn--small btn--ghost', dataset: { key: `${id}:zip`, action: 'zip' }, onclick: () => this.download(id, 'zip') },
        icon('M12 4v11m0 0-4-4m4 4 4-4M5 19h14'),
        t('projects.downloadZip')
      ),
      h(
        'button',
        { type: 'button', class: 'btn btn--small btn--accent', dataset: { key: `${id}:send`, action: 'send' }, onclick: () => this.sendToLive(id) },
        icon('M5 12h12m0 0-5-5m5 5-5 5'),
        t('projects.sendToLive')
      ),
      h(
        'button',
        { type: 'button', class: 'btn btn--small btn--ghost', dataset: { key: `${id}:open`, action: 'open' }, onclick: () => this.openInLive(id) },
        icon('M14 5h5v5m0-5-8 8M10 5H5v14h14v-5'),
        t('projects.openInLive')
      )
    );
  }

  /** The samples this version could not use and what played instead (kept with the version, so
   * a reload still says why a part sounds different from what was picked). */
  samplesLeftOut(warnings) {
    return h(
      'div',
      { class: 'card__warnings', role: 'note', dataset: { field: 'warnings' } },
      h('p', { class: 'card__warnings-title' }, t('projects.samplesLeftOut', { n: warnings.length })),
      h('ul', { class: 'card__warnings-list' }, warnings.map((text) => h('li', {}, text)))
    );
  }

  /** What "Send to Live" cannot build, and that "Open in Live" gets it all. */
  limits(limits) {
    return h(
      'details',
      { class: 'card__limits', dataset: { field: 'limits' } },
      h('summary', {}, t('live.limitsTitle', { n: limits.length })),
      h('ul', { class: 'card__limits-list' }, limits.map((text) => h('li', {}, text))),
      h('p', { class: 'hint' }, t('live.limitsHint'))
    );
  }

  statusLine(status, id = null) {
    const box = h('div', { class: 'card__status', role: 'status', 'aria-live': 'polite' });
    if (!status) return box;
    box.dataset.kind = status.kind;
    box.append(h('span', { class: 'card__status-text' }, status.text));
    if (status.kind === 'busy' && status.requestId && id) {
      box.append(
        ' ',
        h(
          'button',
          {
            type: 'button',
            class: 'btn btn--small btn--ghost',
            dataset: { key: `${id}:cancel`, action: 'cancel' },
            disabled: status.cancelling ? true : null,
            onclick: () => this.cancelLive(id, status.requestId),
          },
          t('live.cancel')
        )
      );
    }
    if (status.aboutLive) {
      box.append(
        ' ',
        h(
          'button',
          {
            type: 'button',
            class: 'linklike linklike--button',
            onclick: () => this.dispatchEvent(new CustomEvent('showlive')),
          },
          t('live.seeStatus')
        )
      );
    }
    if (status.percent !== null && status.percent !== undefined) {
      box.append(
        h(
          'div',
          {
            class: 'bar bar--thin',
            role: 'progressbar',
            'aria-valuemin': 0,
            'aria-valuemax': 100,
            'aria-valuenow': Math.round(status.percent),
            'aria-label': t('live.progress'),
          },
          h('div', { class: 'bar__fill', style: { width: `${status.percent}%` } })
        )
      );
    }
    return box;
  }

  versions(item, details) {
    const list = details.version_list || [];
    return h(
      'div',
      { class: 'versions' },
      h('h4', { class: 'versions__title', id: `versions-${item.id}` }, t('projects.versions')),
      h(
        'ol',
        { class: 'versions__list', 'aria-labelledby': `versions-${item.id}` },
        list
          .slice()
          .reverse()
          .map((v) =>
            h(
              'li',
              {},
              h(
                'button',
                {
                  type: 'button',
                  class: 'version',
                  'aria-pressed': v.number === details.version ? 'true' : 'false',
                  dataset: { key: `${item.id}:v${v.number}`, version: v.number },
                  onclick: () => this.select(item.id, v.number),
                },
                h('span', { class: 'version__number' }, `v${v.number}`),
                h('span', { class: 'version__changes' }, v.changes || t('projects.original')),
                h('span', { class: 'version__when muted' }, formatDate(v.created_at))
              )
            )
          )
      )
    );
  }

  reset() {
    this.items.clear();
    this.selectedId = null;
    this.details = null;
    this.clearLiveJob();
    this.status.clear();
    this.render();
  }
}

function svg(path) {
  const ns = 'http://www.w3.org/2000/svg';
  const node = document.createElementNS(ns, 'svg');
  node.setAttribute('viewBox', '0 0 24 24');
  node.setAttribute('width', '14');
  node.setAttribute('height', '14');
  const p = document.createElementNS(ns, 'path');
  p.setAttribute('d', path);
  p.setAttribute('fill', 'none');
  p.setAttribute('stroke', 'currentColor');
  p.setAttribute('stroke-width', '2.2');
  p.setAttribute('stroke-linecap', 'round');
  p.setAttribute('stroke-linejoin', 'round');
  node.append(p);
  return node;
}

function errorText(error) {
  if (error instanceof ApiError) return error.detail || t('error.http', { status: error.status });
  return t('error.network');
}

function liveErrorText(error) {
  if (error instanceof ApiError) {
    if (error.status === 404 && /^not found$/i.test(error.detail || '')) return t('live.unavailable');
    if (error.status === 409 || error.status === 503) return error.detail || t('live.notConnectedShort');
  }
  return errorText(error);
}
