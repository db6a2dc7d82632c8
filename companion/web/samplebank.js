// The sample files a project version plays, fetched with the panel's token and decoded once.
//
// Files are keyed by what identifies their content in the arrangement (project, path, size, CRC,
// modification time), so versions that keep the same kick share one decoded buffer. A few
// versions stay cached; older ones are dropped, and so is anything beyond a memory budget that
// the current version does not use. At most MAX_FETCHES files are fetched and decoded at once;
// choosing another version cancels what the old one still had queued or in flight.

import { fetchBytes } from './api.js';

const MAX_FETCHES = 4;
const KEEP_VERSIONS = 4;
const BUDGET_BYTES = 160 * 1024 * 1024; // decoded audio (float32) kept; the current version stays

/** The URL of one sample of a project version (each path segment encoded). */
export function sampleUrl(project, version, path) {
  const encoded = String(path).split('/').map(encodeURIComponent).join('/');
  const query = version ? `?version=${encodeURIComponent(version)}` : '';
  return `/api/v1/projects/${encodeURIComponent(project)}/samples/${encoded}${query}`;
}

export class SampleBank extends EventTarget {
  constructor({ fetcher = fetchBytes, maxFetches = MAX_FETCHES, budget = BUDGET_BYTES } = {}) {
    super();
    this.fetcher = fetcher;
    this.maxFetches = maxFetches;
    this.budget = budget;
    this.entries = new Map(); // key → entry
    this.versions = new Map(); // "project:version" → Set of keys (insertion order = least recent first)
    this.current = null; // "project:version"
    this.queue = [];
    this.active = 0;
    this.decoders = new Map(); // sample rate → OfflineAudioContext used to decode
    this.counts = { fetched: 0, decoded: 0, failed: 0, evicted: 0, cancelled: 0 };
  }

  /**
   * Make `files` ({path, size, crc, mtime, sample_rate}) of a project version the current set
   * and start loading what is not decoded yet. Returns path → entry; an entry's `buffer` is set
   * once decoded (`state`: queued, loading, ready or failed).
   */
  use(project, version, files) {
    const id = `${project}:${version}`;
    const byPath = new Map();
    const keys = new Set();
    for (const file of files) {
      if (!file || !file.path || byPath.has(file.path)) continue;
      const key = [project, file.path, file.size || 0, file.crc || 0, file.mtime || 0].join('|');
      let entry = this.entries.get(key);
      if (!entry) {
        entry = {
          key,
          path: file.path,
          url: sampleUrl(project, version, file.path),
          rate: file.sample_rate || 44100,
          state: 'new',
          buffer: null,
          bytes: 0,
          error: null,
          controller: null,
        };
        this.entries.set(key, entry);
      }
      byPath.set(file.path, entry);
      keys.add(key);
    }
    this.versions.delete(id);
    this.versions.set(id, keys);
    this.current = id;
    // What the previous version still had queued is not wanted any more.
    this.queue = this.queue.filter((entry) => {
      if (keys.has(entry.key)) return true;
      this.forget(entry);
      return false;
    });
    for (const entry of this.entries.values()) {
      if (entry.state === 'loading' && !keys.has(entry.key)) entry.controller?.abort();
    }
    for (const entry of byPath.values()) {
      if (entry.state === 'new') {
        entry.state = 'queued';
        this.queue.push(entry);
      }
    }
    this.trim();
    this.pump();
    this.changed();
    return byPath;
  }

  /** Nothing is current (no project shown): queued loads stop. */
  clear() {
    this.current = null;
    for (const entry of this.queue) this.forget(entry);
    this.queue = [];
    for (const entry of this.entries.values()) if (entry.state === 'loading') entry.controller?.abort();
    this.changed();
  }

  /** Drop everything (signing out). */
  reset() {
    this.clear();
    this.versions.clear();
    this.entries.clear();
    this.changed();
  }

  forget(entry) {
    if (entry.state === 'queued') {
      entry.state = 'new';
      this.counts.cancelled += 1;
    }
  }

  pump() {
    while (this.active < this.maxFetches && this.queue.length) {
      const entry = this.queue.shift();
      this.active += 1;
      this.load(entry).finally(() => {
        this.active -= 1;
        this.pump();
      });
    }
  }

  async load(entry) {
    entry.state = 'loading';
    entry.controller = new AbortController();
    try {
      const bytes = await this.fetcher(entry.url, entry.controller.signal);
      this.counts.fetched += 1;
      const buffer = await decode(bytes, entry.rate, this.decoders);
      entry.buffer = buffer;
      entry.bytes = buffer.length * buffer.numberOfChannels * 4;
      entry.state = 'ready';
      this.counts.decoded += 1;
    } catch (error) {
      if (entry.controller.signal.aborted) {
        // Cancelled, not broken. Wanted again meanwhile (back to that version): load it again.
        this.counts.cancelled += 1;
        entry.state = this.versions.get(this.current)?.has(entry.key) ? 'queued' : 'new';
        if (entry.state === 'queued') this.queue.push(entry);
      } else {
        entry.state = 'failed';
        entry.error = error?.status ? `HTTP ${error.status}` : String(error?.message || error);
        this.counts.failed += 1;
      }
    } finally {
      entry.controller = null;
    }
    this.trim();
    this.changed(entry);
  }

  /** Drop old versions, then older ones while over the memory budget (never the current one). */
  trim() {
    while (this.versions.size > KEEP_VERSIONS) {
      const oldest = this.versions.keys().next().value;
      if (oldest === this.current) break;
      this.versions.delete(oldest);
    }
    for (const id of [...this.versions.keys()]) {
      if (this.bytesOf(this.keptKeys()) <= this.budget) break;
      if (id !== this.current) this.versions.delete(id);
    }
    const kept = this.keptKeys();
    for (const [key, entry] of this.entries) {
      if (kept.has(key) || entry.state === 'loading' || entry.state === 'queued') continue;
      if (entry.buffer) this.counts.evicted += 1;
      this.entries.delete(key);
    }
  }

  keptKeys() {
    const kept = new Set();
    for (const keys of this.versions.values()) for (const key of keys) kept.add(key);
    return kept;
  }

  bytesOf(keys) {
    let total = 0;
    for (const key of keys) total += this.entries.get(key)?.bytes || 0;
    return total;
  }

  decodedBytes() {
    let total = 0;
    for (const entry of this.entries.values()) total += entry.bytes;
    return total;
  }

  changed(entry = null) {
    this.dispatchEvent(new CustomEvent('change', { detail: { entry, state: this.state() } }));
  }

  /** Progress of the current version's files. */
  state() {
    const keys = this.versions.get(this.current) || new Set();
    const counts = { total: keys.size, ready: 0, failed: 0, loading: 0 };
    for (const key of keys) {
      const state = this.entries.get(key)?.state;
      if (state === 'ready') counts.ready += 1;
      else if (state === 'failed') counts.failed += 1;
      else counts.loading += 1;
    }
    return {
      ...counts,
      version: this.current,
      cachedVersions: this.versions.size,
      cachedFiles: [...this.entries.values()].filter((e) => e.buffer).length,
      decodedBytes: this.decodedBytes(),
      active: this.active,
      ...this.counts,
    };
  }
}

/** A decoded file's outline for drawing: the loudest |sample| in each of `slices` equal slices,
 * scaled so the loudest is 1 (computed once per file). */
export function peaksOf(entry, slices = 2048) {
  if (!entry || !entry.buffer) return null;
  if (entry.peaks) return entry.peaks;
  const { buffer } = entry;
  const peaks = new Float32Array(Math.min(slices, buffer.length));
  const step = buffer.length / peaks.length;
  let loudest = 0;
  for (let ch = 0; ch < buffer.numberOfChannels; ch += 1) {
    const data = buffer.getChannelData(ch);
    for (let i = 0; i < peaks.length; i += 1) {
      let max = peaks[i];
      const end = Math.min(data.length, Math.round((i + 1) * step));
      for (let j = Math.round(i * step); j < end; j += 1) {
        const value = Math.abs(data[j]);
        if (value > max) max = value;
      }
      peaks[i] = max;
      if (max > loudest) loudest = max;
    }
  }
  if (loudest > 0) for (let i = 0; i < peaks.length; i += 1) peaks[i] /= loudest;
  entry.peaks = peaks;
  return peaks;
}

// ------------------------------------------------------------------------------ decoding
async function decode(bytes, rate, decoders) {
  const head = new Uint8Array(bytes, 0, Math.min(12, bytes.byteLength));
  if (ascii(head, 0, 4) === 'FORM') {
    // Browsers do not decode AIFF (common in sample packs): read its PCM here.
    const buffer = decodeAiff(bytes);
    if (buffer) return buffer;
  }
  // Decoded at the file's own rate (no resampling now; the player's source nodes do it).
  const sampleRate = Math.max(8000, Math.min(192000, Math.round(rate) || 44100));
  let ctx = decoders.get(sampleRate);
  if (!ctx) {
    ctx = new OfflineAudioContext(1, 1, sampleRate);
    decoders.set(sampleRate, ctx);
  }
  return ctx.decodeAudioData(bytes);
}

function ascii(view, start, length) {
  let text = '';
  for (let i = start; i < start + length && i < view.length; i += 1) text += String.fromCharCode(view[i]);
  return text;
}

/** AIFF / AIFF-C (uncompressed, 'sowt', 'fl32') to an AudioBuffer; null when not readable. */
export function decodeAiff(bytes) {
  const view = new DataView(bytes);
  const all = new Uint8Array(bytes);
  if (view.byteLength < 12 || ascii(all, 0, 4) !== 'FORM') return null;
  const form = ascii(all, 8, 4);
  if (form !== 'AIFF' && form !== 'AIFC') return null;
  let comm = null;
  let data = null;
  for (let pos = 12; pos + 8 <= view.byteLength; ) {
    const id = ascii(all, pos, 4);
    const size = view.getUint32(pos + 4, false);
    const body = pos + 8;
    if (id === 'COMM' && size >= 18) {
      comm = {
        channels: view.getUint16(body, false),
        frames: view.getUint32(body + 2, false),
        bits: view.getUint16(body + 6, false),
        rate: extended80(view, body + 8),
        compression: form === 'AIFC' && size >= 22 ? ascii(all, body + 18, 4) : 'NONE',
      };
    } else if (id === 'SSND' && size >= 8) {
      data = { start: body + 8 + view.getUint32(body, false), end: Math.min(body + size, view.byteLength) };
    }
    pos = body + size + (size % 2);
  }
  if (!comm || !data || !comm.channels || !comm.frames || !(comm.rate >= 3000 && comm.rate <= 768000)) return null;
  const little = comm.compression === 'sowt';
  const float = comm.compression === 'fl32' || comm.compression === 'FL32';
  if (!float && !little && comm.compression !== 'NONE' && comm.compression !== 'twos') return null;
  const width = float ? 4 : Math.ceil(comm.bits / 8);
  if (!width || width > 4) return null;
  const frames = Math.min(comm.frames, Math.floor((data.end - data.start) / (width * comm.channels)));
  if (frames < 1) return null;
  const buffer = new AudioBuffer({ numberOfChannels: comm.channels, length: frames, sampleRate: comm.rate });
  const scale = 2 ** (width * 8 - 1);
  for (let ch = 0; ch < comm.channels; ch += 1) {
    const out = buffer.getChannelData(ch);
    for (let i = 0; i < frames; i += 1) {
      const at = data.start + (i * comm.channels + ch) * width;
      let value;
      if (float) value = view.getFloat32(at, false);
      else if (width === 1) value = view.getInt8(at) / scale;
      else if (width === 2) value = view.getInt16(at, little) / scale;
      else if (width === 4) value = view.getInt32(at, little) / scale;
      else {
        const [a, b, c] = little ? [all[at + 2], all[at + 1], all[at]] : [all[at], all[at + 1], all[at + 2]];
        value = (((a << 24) | (b << 16) | (c << 8)) >> 8) / scale;
      }
      out[i] = value;
    }
  }
  return buffer;
}

function extended80(view, at) {
  // IEEE 754 80-bit extended (AIFF's sample rate).
  const exponent = view.getUint16(at, false);
  const hi = view.getUint32(at + 2, false);
  const lo = view.getUint32(at + 6, false);
  const sign = exponent & 0x8000 ? -1 : 1;
  const e = (exponent & 0x7fff) - 16383;
  return sign * (hi * 2 ** (e - 31) + lo * 2 ** (e - 63));
}
