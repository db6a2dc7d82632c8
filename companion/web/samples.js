// The sample library: search and filters, pages, preview playback, uploads by drag-and-drop
// or file picker with per-file progress and clear errors, and deleting one's own uploads.
// Files a set cannot use (too long, too many channels…) are listed with the reason, and a
// "not used" section lists every file left out (unreadable or out of bounds) and why.

import { h } from './dom.js';
import { request, upload, fetchBytes, detailText, ApiError } from './api.js';
import { t, onLangChange, formatBpm } from './i18n.js';
import { audioContext } from './player.js';

const TYPES = [
  'kick', 'snare', 'clap', 'closed_hat', 'open_hat', 'hat', 'cymbal', 'perc', 'drums', '808',
  'bass', 'lead', 'keys', 'chord', 'pad', 'synth', 'fx', 'vocal',
];
const STYLES = [
  'house', 'deep-house', 'tech-house', 'afro-house', 'progressive-house', 'techno',
  'minimal-techno', 'trance', 'drum-and-bass', 'dubstep', 'uk-garage', 'trap', 'hip-hop',
  'boom-bap', 'lo-fi', 'reggaeton', 'pop', 'disco', 'funk', 'synthwave', 'ambient', 'edm',
];
const ROOTS = ['C', 'C#', 'D', 'Eb', 'E', 'F', 'F#', 'G', 'Ab', 'A', 'Bb', 'B'];
const KEYS = [...ROOTS.map((r) => `${r}m`), ...ROOTS];
const PAGE_SIZE = 20;
const CACHE = 12;
const SKIPPED_SHOWN = 100;

export class Samples {
  /** els: {form, q, type, style, key, bpmMin, bpmMax, list, empty, error, total, pager, prev,
   *  next, page, dropzone, file, uploads, panel, loop, skipped, skippedSummary, skippedList} */
  constructor({ els }) {
    this.els = els;
    this.page = 1;
    this.total = 0;
    this.items = [];
    this.available = null;
    this.loaded = false;
    this.searching = 0;
    this.inFlight = null;
    this.debounce = null;
    this.shownQuery = null;
    this.buffers = new Map();
    this.playing = null; // {id, source}
    this.uploadsDone = { ok: 0, failed: 0 };
    this.deleted = 0;
    this.confirming = null; // id of the sample whose delete button asks "sure?"
    this.skipped = { total: 0, items: [] }; // files no set will use, and why
    this.skippedTicket = 0;
    this.fillSelects();
    this.bind();
    onLangChange(() => {
      this.fillSelects();
      this.render();
      this.renderSkipped();
    });
  }

  fillSelects() {
    const fill = (select, values, label) => {
      const keep = select.value;
      select.replaceChildren(
        h('option', { value: '' }, t('samples.any')),
        ...values.map((v) => h('option', { value: v }, label(v)))
      );
      select.value = keep;
    };
    fill(this.els.type, TYPES, (v) => t(`samples.types.${v}`, {}, v));
    fill(this.els.style, STYLES, (v) => v);
    fill(this.els.key, KEYS, (v) => v);
    fill(this.els.loop, ['true', 'false'], (v) => t(v === 'true' ? 'samples.loops' : 'samples.oneShots'));
  }

  bind() {
    const { form, q, type, loop, style, key, bpmMin, bpmMax, prev, next, dropzone, file, panel } = this.els;
    const later = () => {
      clearTimeout(this.debounce);
      this.debounce = setTimeout(() => {
        this.debounce = null;
        this.search(1);
      }, 280);
    };
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      clearTimeout(this.debounce);
      this.debounce = null;
      this.search(1);
    });
    q.addEventListener('input', later);
    for (const input of [bpmMin, bpmMax]) input.addEventListener('input', later);
    for (const select of [type, loop, style, key]) select.addEventListener('change', () => this.search(1));
    prev.addEventListener('click', () => this.search(this.page - 1));
    next.addEventListener('click', () => this.search(this.page + 1));
    file.addEventListener('change', () => {
      this.uploadFiles([...file.files]);
      file.value = '';
    });
    const over = (event) => {
      if (![...(event.dataTransfer?.types || [])].includes('Files')) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = 'copy';
      dropzone.classList.add('dropzone--over');
    };
    panel.addEventListener('dragenter', over);
    panel.addEventListener('dragover', over);
    panel.addEventListener('dragleave', (event) => {
      if (!panel.contains(event.relatedTarget)) dropzone.classList.remove('dropzone--over');
    });
    panel.addEventListener('drop', (event) => {
      event.preventDefault();
      dropzone.classList.remove('dropzone--over');
      const files = [...(event.dataTransfer?.files || [])];
      if (files.length) this.uploadFiles(files);
    });
  }

  query(page) {
    const { q, type, loop, style, key, bpmMin, bpmMax } = this.els;
    const params = new URLSearchParams();
    if (q.value.trim()) params.set('q', q.value.trim());
    if (type.value) params.set('type', type.value);
    if (loop.value) params.set('loop', loop.value);
    if (style.value) params.set('style', style.value);
    if (key.value) params.set('key', key.value);
    if (bpmMin.value) params.set('bpm_min', bpmMin.value);
    if (bpmMax.value) params.set('bpm_max', bpmMax.value);
    params.set('page', String(page));
    params.set('page_size', String(PAGE_SIZE));
    return params;
  }

  async search(page = 1) {
    const ticket = ++this.searching;
    const wanted = Math.max(1, page);
    const params = this.query(wanted);
    this.inFlight = ticket;
    this.els.list.setAttribute('aria-busy', 'true');
    try {
      const data = await request(`/samples?${params}`);
      if (ticket !== this.searching) return;
      this.shownQuery = params.get('q') || '';
      this.available = true;
      this.items = Array.isArray(data.items) ? data.items : [];
      this.total = Number(data.total) || 0;
      this.page = Number(data.page) || wanted;
      this.pageSize = Number(data.page_size) || PAGE_SIZE;
      this.els.error.hidden = true;
      if (wanted === 1) this.loadSkipped();
    } catch (error) {
      if (ticket !== this.searching) return;
      this.items = [];
      this.total = 0;
      const missing = error instanceof ApiError && error.status === 404;
      if (missing) this.available = false;
      this.els.error.textContent = missing
        ? t('samples.unavailable')
        : t('samples.searchFailed', { detail: error.detail || error.message });
      this.els.error.hidden = false;
    } finally {
      if (ticket === this.searching) {
        this.inFlight = null;
        this.loaded = true;
        this.els.list.setAttribute('aria-busy', 'false');
        this.render();
      }
    }
  }

  render() {
    const { list, empty, total, pager, prev, next, page } = this.els;
    list.replaceChildren(...this.items.map((item) => this.row(item)));
    empty.hidden = !this.loaded || this.items.length > 0 || this.available === false;
    total.textContent = this.available ? t(this.total === 1 ? 'samples.total1' : 'samples.total', { n: this.total }) : '';
    const pages = Math.max(1, Math.ceil(this.total / (this.pageSize || PAGE_SIZE)));
    pager.hidden = pages <= 1;
    prev.disabled = this.page <= 1;
    next.disabled = this.page >= pages;
    page.textContent = t('samples.pageOf', { page: this.page, pages });
  }

  /** The files left out of every set, with the reason (a failure just hides the section). */
  async loadSkipped() {
    const ticket = ++this.skippedTicket;
    let data;
    try {
      data = await request(`/samples/skipped?page_size=${SKIPPED_SHOWN}`);
    } catch {
      data = { total: 0, items: [] };
    }
    if (ticket !== this.skippedTicket) return;
    this.skipped = {
      total: Number(data.total) || 0,
      items: Array.isArray(data.items) ? data.items : [],
    };
    this.renderSkipped();
  }

  renderSkipped() {
    const { skipped, skippedSummary, skippedList } = this.els;
    if (!skipped) return;
    const { total, items } = this.skipped;
    skipped.hidden = total === 0;
    skippedSummary.textContent = t(total === 1 ? 'samples.skipped1' : 'samples.skipped', { n: total });
    skippedList.replaceChildren(
      ...items.map((item) =>
        h(
          'li',
          { class: 'skipped__item', dataset: { id: item.id, status: item.status } },
          h('span', { class: 'skipped__name' }, item.name),
          h('span', { class: 'skipped__reason small' }, item.reason || ''),
          h('span', { class: 'muted small skipped__path', title: item.path }, item.path)
        )
      ),
      ...(total > items.length ? [h('li', { class: 'muted small' }, t('samples.skippedMore', { n: total - items.length }))] : [])
    );
  }

  row(item) {
    const playing = this.playing && this.playing.id === item.id;
    const tags = Array.isArray(item.tags) ? item.tags : [];
    const unusable = item.status === 'unusable';
    return h(
      'li',
      { class: `sample${unusable ? ' sample--unusable' : ''}`, dataset: { id: item.id, status: item.status || 'ok' } },
      h(
        'button',
        {
          type: 'button',
          class: `sample__play${playing ? ' sample__play--on' : ''}`,
          'aria-pressed': playing ? 'true' : 'false',
          'aria-label': t(playing ? 'samples.stopPreview' : 'samples.preview', { name: item.name }),
          onclick: (event) => this.preview(item, event.currentTarget),
        },
        playing ? '■' : '▶'
      ),
      h(
        'div',
        { class: 'sample__main' },
        h('span', { class: 'sample__name' }, item.name),
        tags.length ? h('span', { class: 'sample__tags muted small' }, tags.slice(0, 6).join(' · ')) : '',
        unusable ? h('span', { class: 'sample__reason small' }, t('samples.unusableReason', { reason: item.reason || '' })) : ''
      ),
      h(
        'ul',
        { class: 'sample__facts' },
        item.type ? h('li', { class: 'tag' }, t(`samples.types.${item.type}`, {}, item.type)) : '',
        h('li', { class: 'tag tag--quiet' }, item.is_loop ? t('samples.loop') : t('samples.oneShot')),
        item.bpm ? h('li', { class: 'tag tag--quiet' }, `${formatBpm(item.bpm)} BPM`) : '',
        item.key ? h('li', { class: 'tag tag--quiet' }, item.key) : '',
        typeof item.duration === 'number' ? h('li', { class: 'muted small' }, duration(item.duration)) : '',
        unusable ? h('li', { class: 'tag tag--warn', title: item.reason || '' }, t('samples.unusable')) : '',
        item.own ? h('li', {}, this.deleteButton(item)) : ''
      )
    );
  }

  deleteButton(item) {
    const asking = this.confirming === item.id;
    return h(
      'button',
      {
        type: 'button',
        class: `sample__delete${asking ? ' sample__delete--confirm' : ''}`,
        'aria-label': t(asking ? 'samples.confirmDeleteOf' : 'samples.deleteOf', { name: item.name }),
        onclick: () => this.remove(item),
      },
      asking ? t('samples.confirmDelete') : t('samples.delete')
    );
  }

  // ------------------------------------------------------------------------------ delete
  /** First click asks, a second one (within a few seconds) deletes the upload. */
  async remove(item) {
    if (this.confirming !== item.id) {
      this.confirming = item.id;
      clearTimeout(this.confirmTimer);
      this.confirmTimer = setTimeout(() => {
        this.confirming = null;
        this.render();
      }, 5000);
      this.render();
      return;
    }
    clearTimeout(this.confirmTimer);
    this.confirming = null;
    if (this.playing && this.playing.id === item.id) this.stopPreview();
    try {
      await request(`/samples/${encodeURIComponent(item.id)}`, { method: 'DELETE' });
      this.deleted += 1;
      this.buffers.delete(item.id);
      this.items = this.items.filter((other) => other.id !== item.id);
      this.total = Math.max(0, this.total - 1);
      this.render();
      await this.search(this.items.length ? this.page : Math.max(1, this.page - 1));
    } catch (error) {
      this.els.error.textContent = t('samples.deleteFailed', { name: item.name, detail: error.detail || error.message });
      this.els.error.hidden = false;
      this.render();
    }
  }

  // ------------------------------------------------------------------------------ preview
  async preview(item) {
    const wasPlaying = this.playing && this.playing.id === item.id;
    this.stopPreview();
    if (wasPlaying) return;
    const ctx = audioContext();
    if (ctx.state !== 'running') await ctx.resume().catch(() => {});
    this.playing = { id: item.id, source: null, loading: true };
    this.render();
    try {
      let buffer = this.buffers.get(item.id);
      if (!buffer) {
        const url = item.preview_url && item.preview_url.startsWith('/api/v1/samples/')
          ? item.preview_url
          : `/api/v1/samples/${encodeURIComponent(item.id)}/audio`;
        const bytes = await fetchBytes(url);
        buffer = await ctx.decodeAudioData(bytes);
        this.buffers.set(item.id, buffer);
        if (this.buffers.size > CACHE) this.buffers.delete(this.buffers.keys().next().value);
      }
      if (!this.playing || this.playing.id !== item.id) return;
      const source = ctx.createBufferSource();
      const gain = ctx.createGain();
      gain.gain.value = 0.8;
      source.buffer = buffer;
      source.connect(gain).connect(ctx.destination);
      source.onended = () => {
        if (this.playing && this.playing.source === source) {
          this.playing = null;
          this.render();
        }
      };
      source.start();
      this.playing = { id: item.id, source };
      this.previews = (this.previews || 0) + 1;
    } catch (error) {
      this.playing = null;
      this.els.error.textContent = t('samples.previewFailed', { name: item.name, detail: error.detail || error.message });
      this.els.error.hidden = false;
    }
    this.render();
  }

  stopPreview() {
    if (this.playing && this.playing.source) {
      try {
        this.playing.source.stop();
      } catch {
        /* already stopped */
      }
    }
    this.playing = null;
    this.render();
  }

  // ------------------------------------------------------------------------------ uploads
  async uploadFiles(files) {
    const rows = files.map((file) => this.uploadRow(file));
    let added = false;
    for (const row of rows) {
      const ok = await this.uploadOne(row);
      added = added || ok;
    }
    if (added) await this.search(1);
  }

  uploadRow(file) {
    const fill = h('div', { class: 'bar__fill' });
    const bar = h(
      'div',
      { class: 'bar bar--thin', role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': 100, 'aria-valuenow': 0, 'aria-label': file.name },
      fill
    );
    const status = h('span', { class: 'upload__status' }, t('samples.waiting'));
    const item = h(
      'li',
      { class: 'upload', dataset: { state: 'waiting', name: file.name } },
      h('span', { class: 'upload__name' }, file.name),
      status,
      bar,
      h(
        'button',
        {
          type: 'button',
          class: 'upload__dismiss',
          'aria-label': t('samples.dismiss', { name: file.name }),
          onclick: () => item.remove(),
        },
        '×'
      )
    );
    this.els.uploads.prepend(item);
    return { file, item, status, bar, fill };
  }

  async uploadOne({ file, item, status, bar, fill }) {
    item.dataset.state = 'uploading';
    status.textContent = t('samples.uploading', { pct: 0 });
    let result;
    try {
      result = await upload('/samples/upload', file, (fraction) => {
        const pct = Math.round(fraction * 100);
        fill.style.width = `${pct}%`;
        bar.setAttribute('aria-valuenow', String(pct));
        status.textContent = t('samples.uploading', { pct });
      });
    } catch {
      this.fail(item, status, t('error.network'));
      return false;
    }
    const { status: code, body } = result;
    if (code === 200 || code === 201) {
      fill.style.width = '100%';
      bar.setAttribute('aria-valuenow', '100');
      item.dataset.state = 'done';
      const name = body?.sample?.name || file.name;
      status.textContent = body?.duplicate ? t('samples.duplicate', { name }) : t('samples.added', { name });
      this.uploadsDone.ok += 1;
      setTimeout(() => item.remove(), 12000); // it is in the library list now
      return true;
    }
    const detail = detailText(body && body.detail);
    const reason =
      code === 413
        ? t('samples.tooLarge')
        : code === 415
          ? t('samples.unsupported')
          : code === 422
            ? t(/cannot use/.test(detail) ? 'samples.refused' : 'samples.invalid')
            : code === 404
              ? t('samples.unavailable')
              : t('error.http', { status: code });
    this.fail(item, status, detail && code !== 404 ? `${reason}: ${detail}` : reason);
    return false;
  }

  fail(item, status, text) {
    item.dataset.state = 'error';
    item.setAttribute('role', 'alert');
    status.textContent = text;
    this.uploadsDone.failed += 1;
  }

  state() {
    return {
      available: this.available,
      total: this.total,
      page: this.page,
      items: this.items.map((i) => i.name),
      query: this.shownQuery ?? null, // the text of the search whose results are shown
      pending: Boolean(this.inFlight || this.debounce),
      playing: this.playing ? this.playing.id : null,
      previews: this.previews || 0,
      uploads: { ...this.uploadsDone },
      deleted: this.deleted,
      skipped: this.skipped.total,
    };
  }

  reset() {
    this.stopPreview();
    this.items = [];
    this.loaded = false;
    this.els.uploads.replaceChildren();
    this.skippedTicket += 1;
    this.skipped = { total: 0, items: [] };
    this.renderSkipped();
    this.render();
  }
}

function duration(seconds) {
  if (seconds < 10) return `${seconds.toFixed(1)} s`;
  const s = Math.round(seconds);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
