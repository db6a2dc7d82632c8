// Plays a project version: its offline render (the set as Live plays it, rendered by the companion)
// when one has arrived, and until then — or when the producer asks for it — an instant preview
// made in the browser with Web Audio, with the project's own sounds:
// drum notes play their Drum Rack pad's sample, melodic parts resample their Simpler's sample from
// its root note, and audio tracks loop their file stretched to the song's tempo. A part whose
// sample is still loading (or failed to) is synthesized instead: drums per pad, oscillators with
// envelopes and filters for bass/chords/pads/lead/arp, noise sweeps for fx risers. A lookahead
// scheduler queues notes a little ahead of the audio clock, so timing is sample-accurate however
// busy the page is.

import { SampleBank } from './samplebank.js';

const LOOKAHEAD_S = 0.15; // schedule this far ahead…
const TICK_MS = 25; // …checking this often
const MAX_NOTE_S = 12;
const PAD_NOTE = 60; // a Drum Rack pad plays its Simpler at C3, so a pad sample sounds at its root
const MODE_KEY = 'musiaia.playMode'; // 'render' (the render when it is there) or 'preview'

let shared = null;

/** The one AudioContext of the page (created on first use, after a user gesture). */
export function audioContext() {
  if (!shared) {
    const Ctor = window.AudioContext || window.webkitAudioContext;
    shared = new Ctor({ latencyHint: 'interactive' });
  }
  return shared;
}

const ROLE_GAIN = {
  drums: 0.9,
  bass: 0.55,
  chords: 0.22,
  pads: 0.2,
  lead: 0.22,
  arp: 0.18,
  fx: 0.3,
  vocals: 0.22,
  other: 0.22,
};

// Samples are full-scale recordings: how loud each part's sample voices are, on its role's bus
// (the buses are set for the synth), and how long a held Simpler note rings after release.
const SAMPLE_LEVEL = { drums: 0.6, bass: 0.8, chords: 1.1, pads: 1.5, lead: 1.4, arp: 1.4, fx: 1.6, vocals: 2, other: 1.4 };
const LOOP_LEVEL = 0.4;
const RELEASE_S = { pads: 0.3, chords: 0.12 };
const SHORT_RELEASE_S = 0.07;
const FADE_S = 0.006; // edges of loop clips, so they never click

// Oscillators, filter and envelope per role: [type, detune cents, level] × n, cutoff, q,
// filter envelope amount (Hz), attack, decay, sustain, release (seconds).
const TONES = {
  bass: { osc: [['sawtooth', 0, 0.7], ['square', -1200, 0.5]], cutoff: 420, q: 5, env: 900, a: 0.004, d: 0.16, s: 0.7, r: 0.06 },
  chords: { osc: [['sawtooth', -7, 0.5], ['sawtooth', 7, 0.5]], cutoff: 1700, q: 1, env: 900, a: 0.01, d: 0.25, s: 0.55, r: 0.18 },
  pads: { osc: [['sawtooth', -10, 0.45], ['triangle', 10, 0.6]], cutoff: 1100, q: 0.8, env: 300, a: 0.45, d: 0.6, s: 0.8, r: 0.9 },
  lead: { osc: [['square', 0, 0.45], ['sawtooth', 6, 0.45]], cutoff: 2600, q: 3, env: 1800, a: 0.008, d: 0.18, s: 0.6, r: 0.12 },
  arp: { osc: [['triangle', 0, 0.7], ['square', 1200, 0.18]], cutoff: 3200, q: 2, env: 2200, a: 0.003, d: 0.14, s: 0.2, r: 0.08 },
  vocals: { osc: [['triangle', 0, 0.8], ['sine', 1200, 0.2]], cutoff: 2200, q: 1, env: 400, a: 0.05, d: 0.2, s: 0.7, r: 0.2 },
  other: { osc: [['triangle', 0, 0.8]], cutoff: 2200, q: 1, env: 400, a: 0.01, d: 0.2, s: 0.6, r: 0.15 },
};

export class Player extends EventTarget {
  constructor({ bank = null } = {}) {
    super();
    this.events = [];
    this.parts = [];
    this.loopClips = [];
    this.bpm = 120;
    this.totalBeats = 0;
    this.playing = false;
    this.cursor = 0; // where play starts
    this.index = 0;
    this.t0 = 0;
    this.b0 = 0;
    this.timer = null;
    this.raf = 0;
    this.session = null;
    this.voices = 0;
    this.sampleVoices = 0;
    this.synthVoices = 0;
    this.loopStarts = 0;
    this.lastLoop = null; // the last loop clip started: {part, clip, rate, offset, duration}
    this.loops = new Set(); // loop sources of this play session
    this.started = new Set(); // loop clips started in this play session
    this.chokes = new Map();
    this.volume = 0.7;
    this.openHat = null;
    this.arrangementId = null;
    this.rendered = null; // {id, buffer, info}: the render of the arrangement shown
    this.renderSource = null;
    this.renderStarts = 0;
    this.mode = storedMode();
    this.bank = bank || new SampleBank();
    this.bank.addEventListener('change', () => this.soundsChanged());
  }

  /**
   * The song to preview. `meta` ({project, version}) says where its samples are; without it
   * every part is synthesized.
   */
  setArrangement(arrangement, meta = null) {
    this.stop();
    const { project = null, version = null } = meta && typeof meta === 'object' ? meta : {};
    this.arrangementId = project ? `${project}:${version}` : meta && typeof meta === 'string' ? meta : null;
    if (!this.rendered || this.rendered.id !== this.arrangementId) this.rendered = null;
    this.cursor = 0;
    this.parts = [];
    this.loopClips = [];
    if (!arrangement) {
      this.events = [];
      this.bank.clear();
      this.soundsChanged();
      return;
    }
    const [num, den] = arrangement.time_signature || [4, 4];
    this.bpm = arrangement.bpm || 120;
    this.totalBeats = (arrangement.bars || 1) * ((num * 4) / den);
    const events = [];
    const files = [];
    (arrangement.tracks || []).forEach((track, index) => {
      const part = makePart(track, index);
      this.parts.push(part);
      files.push(...part.files);
      if (part.kind === 'loop') {
        for (const clip of track.clips || []) {
          if (clip.length > 0) this.loopClips.push({ part, start: clip.start, end: clip.start + clip.length });
        }
        return;
      }
      for (const clip of track.clips || []) {
        const end = clip.start + clip.length;
        for (const note of clip.notes || []) {
          const beat = clip.start + note.start;
          if (beat >= end) continue;
          events.push({
            beat,
            beats: Math.min(note.duration, end - beat),
            pitch: note.pitch,
            velocity: note.velocity,
            role: part.role,
            part,
          });
        }
      }
    });
    events.sort((a, b) => a.beat - b.beat);
    this.events = events;
    this.loopClips.sort((a, b) => a.start - b.start);
    if (project) {
      const entries = this.bank.use(project, version, files);
      for (const part of this.parts) for (const slot of part.slots) slot.entry = entries.get(slot.path) || null;
    } else {
      this.bank.clear();
    }
    this.soundsChanged();
  }

  /** The render of version `id` ("project:version") arrived, decoded: Play uses it from now on
   * (a preview already playing goes on until stopped). */
  setRendered(id, buffer, info = null) {
    if (id !== this.arrangementId) return false;
    this.rendered = { id, buffer, info };
    this.dispatchEvent(new CustomEvent('state', { detail: this.state() }));
    return true;
  }

  /** 'render' plays the render when there is one; 'preview' always plays the instant preview. */
  setMode(mode) {
    this.mode = mode === 'preview' ? 'preview' : 'render';
    try {
      localStorage.setItem(MODE_KEY, this.mode);
    } catch {
      /* storage unavailable: the choice lasts for this page */
    }
    if (this.playing) this.play(this.beat);
    this.dispatchEvent(new CustomEvent('state', { detail: this.state() }));
  }

  /** Whether Play uses the render now. */
  get usesRender() {
    return this.mode === 'render' && Boolean(this.rendered) && this.rendered.id === this.arrangementId;
  }

  soundsChanged() {
    this.dispatchEvent(new CustomEvent('sounds', { detail: this.soundsState() }));
  }

  /** Loading progress of the current song's samples and what each part plays with. */
  soundsState() {
    const bank = this.bank.state();
    const parts = {};
    for (const part of this.parts) parts[part.name] = partStatus(part);
    const loading = this.arrangementId !== null && bank.total > 0 && bank.loading > 0;
    return {
      state: !bank.total ? 'none' : loading ? 'loading' : bank.failed ? 'partial' : 'ready',
      total: bank.total,
      ready: bank.ready,
      failed: bank.failed,
      loading: bank.loading,
      parts,
      // Parts that have samples but play (some of) them with the synth: they did not load.
      fallback: this.parts
        .filter((part) => part.kind !== 'synth' && ['synth', 'mixed', 'silent'].includes(parts[part.name]))
        .map((part) => part.name),
    };
  }

  get secondsPerBeat() {
    return 60 / this.bpm;
  }

  /** The beat under the playhead (the start cursor when stopped). */
  get beat() {
    if (!this.playing || !shared) return this.cursor;
    return this.b0 + Math.max(0, shared.currentTime - this.t0) / this.secondsPerBeat;
  }

  async play(from = this.cursor) {
    if (!this.events.length && !this.loopClips.length && !this.usesRender) return false;
    const ctx = audioContext();
    if (ctx.state !== 'running') {
      try {
        // Without a user gesture the promise may never settle: do not wait for ever.
        await Promise.race([ctx.resume(), new Promise((resolve) => setTimeout(resolve, 1500))]);
      } catch {
        /* the browser refused: stays suspended */
      }
      if (ctx.state !== 'running') return false;
    }
    this.stop(false);
    this.noise = this.noise || makeNoise(ctx);
    this.master = this.master || makeMaster(ctx);
    this.master.gain.gain.value = this.volume;
    this.session = ctx.createGain();
    this.b0 = Math.max(0, Math.min(from, this.totalBeats - 0.001));
    this.t0 = ctx.currentTime + 0.06;
    if (this.usesRender) {
      // The render is already mixed and limited: straight to the volume, past the preview's
      // compressor.
      this.session.connect(this.master.gain);
      const source = ctx.createBufferSource();
      source.buffer = this.rendered.buffer;
      source.connect(this.session);
      source.start(this.t0, Math.min(this.b0 * this.secondsPerBeat, source.buffer.duration));
      this.renderSource = source;
      this.renderStarts += 1;
      this.playing = true;
      this.startTicks();
      return true;
    }
    this.session.connect(this.master.input);
    this.buses = {};
    for (const [role, gain] of Object.entries(ROLE_GAIN)) {
      const bus = ctx.createGain();
      bus.gain.value = gain;
      bus.connect(this.session);
      this.buses[role] = bus;
    }
    this.index = lowerBound(this.events, this.b0);
    this.started = new Set();
    this.chokes = new Map();
    this.playing = true;
    this.schedule();
    this.timer = setInterval(() => this.schedule(), TICK_MS);
    this.startTicks();
    return true;
  }

  /** The playhead: a tick per frame until the song ends. */
  startTicks() {
    const frame = () => {
      if (!this.playing) return;
      this.dispatchEvent(new CustomEvent('tick', { detail: { beat: this.beat } }));
      if (this.beat >= this.totalBeats) {
        this.stop();
        this.cursor = 0;
        this.dispatchEvent(new CustomEvent('tick', { detail: { beat: 0 } }));
        return;
      }
      this.raf = requestAnimationFrame(frame);
    };
    this.raf = requestAnimationFrame(frame);
    this.dispatchEvent(new CustomEvent('state', { detail: this.state() }));
  }

  stop(notify = true) {
    clearInterval(this.timer);
    cancelAnimationFrame(this.raf);
    this.timer = null;
    this.playing = false;
    if (this.session && shared) {
      // Silence what is already queued: fade the session out and drop it.
      const session = this.session;
      const now = shared.currentTime;
      session.gain.cancelScheduledValues(now);
      session.gain.setValueAtTime(session.gain.value, now);
      session.gain.linearRampToValueAtTime(0, now + 0.04);
      setTimeout(() => session.disconnect(), 120);
    }
    this.session = null;
    if (this.renderSource) {
      try {
        this.renderSource.stop(shared.currentTime + 0.05);
      } catch {
        /* already stopped */
      }
      this.renderSource = null;
    }
    this.openHat = null;
    for (const source of this.loops) {
      // Looping sources run until stopped, even cut off from the output: stop them.
      try {
        source.stop(shared.currentTime + 0.05);
      } catch {
        /* already stopped */
      }
    }
    this.loops.clear();
    this.chokes.clear();
    if (notify) this.dispatchEvent(new CustomEvent('state', { detail: this.state() }));
  }

  toggle() {
    if (this.playing) {
      this.stop();
      return Promise.resolve(false);
    }
    return this.play();
  }

  /** Move the start point; while playing, jump there. */
  seek(beat) {
    this.cursor = Math.max(0, Math.min(beat, this.totalBeats));
    if (this.playing) this.play(this.cursor);
  }

  setVolume(value) {
    this.volume = value;
    if (this.master) this.master.gain.gain.setTargetAtTime(value, shared.currentTime, 0.02);
  }

  schedule() {
    const ctx = shared;
    if (!ctx || !this.playing) return;
    const horizon = ctx.currentTime + LOOKAHEAD_S;
    const spb = this.secondsPerBeat;
    while (this.index < this.events.length) {
      const event = this.events[this.index];
      const when = this.t0 + (event.beat - this.b0) * spb;
      if (when > horizon) break;
      this.index += 1;
      if (when < ctx.currentTime - 0.02) continue; // too late (tab was asleep): skip
      this.voice(event, Math.max(when, ctx.currentTime), Math.min(event.beats * spb, MAX_NOTE_S));
    }
    this.scheduleLoops(horizon);
  }

  /** Start the audio-loop clips the horizon reaches (also mid-clip: after a seek, or a late load). */
  scheduleLoops(horizon) {
    const ctx = shared;
    const spb = this.secondsPerBeat;
    const now = ctx.currentTime;
    const nowBeat = this.b0 + (now - this.t0) / spb;
    const horizonBeat = this.b0 + (horizon - this.t0) / spb;
    for (const clip of this.loopClips) {
      if (clip.start > horizonBeat) break;
      if (clip.end <= nowBeat + 0.05 || this.started.has(clip)) continue;
      const buffer = clip.part.slots[0]?.entry?.buffer;
      if (!buffer) continue; // not loaded (yet): its MIDI parts play on
      this.started.add(clip);
      this.startLoop(clip, buffer, now);
    }
  }

  startLoop(clip, buffer, now) {
    const ctx = shared;
    const spb = this.secondsPerBeat;
    const { beats } = clip.part.loop;
    const at = Math.max(this.t0 + (clip.start - this.b0) * spb, now + 0.01);
    const end = this.t0 + (clip.end - this.b0) * spb;
    if (end - at < 0.02) return;
    // `beats` song beats last as long as the file: that rate stretches it to the song's tempo.
    const rate = buffer.duration / (beats * spb);
    const into = Math.max(0, this.b0 + (at - this.t0) / spb - clip.start);
    const offset = (((into % beats) + beats) % beats) / beats * buffer.duration;
    const source = ctx.createBufferSource();
    source.buffer = buffer;
    source.loop = true;
    source.loopStart = 0;
    source.loopEnd = buffer.duration;
    source.playbackRate.value = rate;
    const gain = ctx.createGain();
    const level = LOOP_LEVEL;
    gain.gain.setValueAtTime(0, at);
    gain.gain.linearRampToValueAtTime(level, at + FADE_S);
    gain.gain.setValueAtTime(level, Math.max(at + FADE_S, end - FADE_S));
    gain.gain.linearRampToValueAtTime(0, end);
    source.connect(gain).connect(this.buses[clip.part.role] || this.buses.other);
    source.start(at, offset);
    source.stop(end + 0.01);
    this.loops.add(source);
    source.addEventListener('ended', () => this.loops.delete(source));
    this.loopStarts += 1;
    this.lastLoop = { part: clip.part.name, clip: clip.start, rate, offset, duration: buffer.duration };
  }

  // ------------------------------------------------------------------------------ voices
  voice(event, when, seconds) {
    const part = event.part;
    const out = this.buses[event.role] || this.buses.other;
    const v = (event.velocity / 127) ** 1.4;
    this.voices += 1;
    if (part && this.sampleVoice(part, event.pitch, when, seconds, v, out, event.velocity)) {
      this.sampleVoices += 1;
      return;
    }
    this.synthVoices += 1;
    if (event.role === 'drums') this.drum(event.pitch, when, v, out);
    else if (event.role === 'fx') this.fx(event.pitch, when, seconds, v, out);
    else this.tone(TONES[event.role] || TONES.other, event.pitch, when, seconds, v, out);
  }

  /** Play the note with the part's sample; false when it has none ready (the synth plays). */
  sampleVoice(part, pitch, t, seconds, v, out, velocity = 100) {
    let slot;
    let rate;
    let whole;
    if (part.kind === 'rack') {
      slot = part.pads.get(pitch);
      if (!slot) return false;
      rate = 2 ** ((PAD_NOTE - slot.root) / 12);
      whole = true; // pads are one-shots: the whole hit, whatever the note length
    } else if (part.kind === 'simpler') {
      // A multi-sampled instrument: the zone holding the key and velocity (a velocity layer),
      // else the key, else the first one.
      const holds = (zone) => zone.low <= pitch && pitch <= zone.high;
      slot = part.slots.find((zone) => holds(zone) && zone.velocityLow <= velocity && velocity <= zone.velocityHigh)
        || part.slots.find(holds) || part.slots[0];
      rate = 2 ** ((pitch - slot.root) / 12);
      whole = part.oneShot;
    } else {
      return false;
    }
    const buffer = slot.entry?.buffer;
    if (!buffer) return false;
    const ctx = shared;
    const source = ctx.createBufferSource();
    source.buffer = buffer;
    source.playbackRate.value = rate;
    const gain = ctx.createGain();
    const level = v * (SAMPLE_LEVEL[part.role] ?? 1);
    const looped = Boolean(slot.loop) && !whole;
    if (looped) {
      // The sustain loop: a held note never outlasts its sample.
      source.loop = true;
      source.loopStart = slot.loop.start / slot.rate;
      source.loopEnd = slot.loop.end / slot.rate;
    }
    const length = looped ? Infinity : buffer.duration / rate;
    let stopAt;
    if (whole) {
      stopAt = t + Math.min(length, MAX_NOTE_S);
      gain.gain.setValueAtTime(level, t);
      if (length > MAX_NOTE_S) {
        gain.gain.setValueAtTime(level, stopAt - 0.05);
        gain.gain.linearRampToValueAtTime(0, stopAt);
      }
    } else {
      // The note's length, then a short release (or the sample's end, if sooner).
      const release = RELEASE_S[part.role] ?? SHORT_RELEASE_S;
      const held = Math.max(0.005, Math.min(seconds, length));
      stopAt = Math.min(t + length, t + held + release);
      gain.gain.setValueAtTime(0, t);
      gain.gain.linearRampToValueAtTime(level, t + 0.003);
      gain.gain.setValueAtTime(level, t + Math.max(held, 0.003));
      gain.gain.linearRampToValueAtTime(0, t + held + release);
    }
    if (slot.choke) this.choke(`${part.index}:${slot.choke}`, t, { source, gain, end: stopAt });
    source.connect(gain).connect(out);
    source.start(t);
    source.stop(stopAt + 0.01);
    return true;
  }

  /** Pads in one choke group cut each other off (the open hat stops when a closed one plays). */
  choke(group, t, voice) {
    const previous = this.chokes.get(group);
    if (previous && previous.end > t) {
      previous.gain.gain.cancelScheduledValues(t);
      previous.gain.gain.setTargetAtTime(0, t, 0.004);
      try {
        previous.source.stop(t + 0.03);
      } catch {
        /* already stopped */
      }
    }
    this.chokes.set(group, voice);
  }

  drum(pitch, t, v, out) {
    switch (pitch) {
      case 35:
      case 36:
        return this.kick(t, v, out);
      case 38:
      case 40:
        return this.snare(t, v, out);
      case 39:
        return this.clap(t, v, out);
      case 37:
        return this.click(t, v * 0.6, out, 1700, 0.03);
      case 42:
      case 44:
        return this.hat(t, v, out, false);
      case 46:
        return this.hat(t, v, out, true);
      case 49:
      case 52:
      case 55:
      case 57:
        return this.cymbal(t, v, out, 1.6, 5200);
      case 51:
      case 53:
      case 59:
        return this.cymbal(t, v * 0.7, out, 0.7, 7800);
      case 41:
      case 43:
        return this.tom(t, v, out, 90);
      case 45:
      case 47:
        return this.tom(t, v, out, 130);
      case 48:
      case 50:
        return this.tom(t, v, out, 175);
      case 54:
        return this.shaker(t, v, out, 0.12, 7000);
      case 69:
      case 70:
        return this.shaker(t, v * 0.8, out, 0.06, 9000);
      case 56:
        return this.cowbell(t, v, out);
      case 75:
      case 76:
        return this.click(t, v * 0.7, out, 2500, 0.05);
      case 60:
        return this.perc(t, v, out, 420);
      case 61:
        return this.perc(t, v, out, 320);
      case 62:
      case 63:
        return this.perc(t, v, out, 260);
      case 64:
        return this.perc(t, v, out, 190);
      default:
        return this.perc(t, v * 0.8, out, 200 + (pitch % 12) * 30);
    }
  }

  kick(t, v, out) {
    const ctx = shared;
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.type = 'sine';
    osc.frequency.setValueAtTime(165, t);
    osc.frequency.exponentialRampToValueAtTime(48, t + 0.12);
    gain.gain.setValueAtTime(0.0001, t);
    gain.gain.exponentialRampToValueAtTime(v, t + 0.004);
    gain.gain.exponentialRampToValueAtTime(0.0001, t + 0.42);
    osc.connect(gain).connect(out);
    osc.start(t);
    osc.stop(t + 0.45);
    this.noiseBurst(t, v * 0.25, out, { type: 'highpass', frequency: 3000 }, 0.012);
  }

  snare(t, v, out) {
    const ctx = shared;
    this.noiseBurst(t, v * 0.7, out, { type: 'bandpass', frequency: 1900, Q: 0.7 }, 0.2);
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.type = 'triangle';
    osc.frequency.setValueAtTime(200, t);
    osc.frequency.exponentialRampToValueAtTime(150, t + 0.1);
    gain.gain.setValueAtTime(v * 0.5, t);
    gain.gain.exponentialRampToValueAtTime(0.0001, t + 0.12);
    osc.connect(gain).connect(out);
    osc.start(t);
    osc.stop(t + 0.14);
  }

  clap(t, v, out) {
    const ctx = shared;
    const src = this.noiseSource(t);
    const filter = ctx.createBiquadFilter();
    filter.type = 'bandpass';
    filter.frequency.value = 1200;
    filter.Q.value = 1.1;
    const gain = ctx.createGain();
    gain.gain.setValueAtTime(0.0001, t);
    for (const offset of [0, 0.011, 0.022]) {
      gain.gain.setValueAtTime(v * 0.8, t + offset);
      gain.gain.exponentialRampToValueAtTime(v * 0.15, t + offset + 0.009);
    }
    gain.gain.setValueAtTime(v * 0.6, t + 0.033);
    gain.gain.exponentialRampToValueAtTime(0.0001, t + 0.22);
    src.connect(filter).connect(gain).connect(out);
    src.start(t, Math.random());
    src.stop(t + 0.25);
  }

  hat(t, v, out, open) {
    if (this.openHat && this.openHat.end > t) {
      // A closed (or new open) hat chokes the ringing open hat, as on a drum machine.
      const { gain } = this.openHat;
      gain.gain.cancelScheduledValues(t);
      gain.gain.setValueAtTime(gain.gain.value || 0.1, t);
      gain.gain.exponentialRampToValueAtTime(0.0001, t + 0.015);
      this.openHat = null;
    }
    const length = open ? 0.36 : 0.05;
    const voice = this.noiseBurst(t, v * 0.32, out, { type: 'highpass', frequency: 7200 }, length);
    if (open) this.openHat = { gain: voice.gain, end: t + length };
  }

  cymbal(t, v, out, length, frequency) {
    this.noiseBurst(t, v * 0.22, out, { type: 'highpass', frequency }, length);
  }

  tom(t, v, out, frequency) {
    const ctx = shared;
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.type = 'sine';
    osc.frequency.setValueAtTime(frequency * 1.6, t);
    osc.frequency.exponentialRampToValueAtTime(frequency, t + 0.14);
    gain.gain.setValueAtTime(v * 0.7, t);
    gain.gain.exponentialRampToValueAtTime(0.0001, t + 0.38);
    osc.connect(gain).connect(out);
    osc.start(t);
    osc.stop(t + 0.4);
  }

  perc(t, v, out, frequency) {
    const ctx = shared;
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.type = 'sine';
    osc.frequency.setValueAtTime(frequency * 1.15, t);
    osc.frequency.exponentialRampToValueAtTime(frequency * 0.9, t + 0.08);
    gain.gain.setValueAtTime(v * 0.45, t);
    gain.gain.exponentialRampToValueAtTime(0.0001, t + 0.17);
    osc.connect(gain).connect(out);
    osc.start(t);
    osc.stop(t + 0.2);
    this.noiseBurst(t, v * 0.08, out, { type: 'bandpass', frequency: frequency * 4, Q: 2 }, 0.02);
  }

  cowbell(t, v, out) {
    const ctx = shared;
    const filter = ctx.createBiquadFilter();
    filter.type = 'bandpass';
    filter.frequency.value = 800;
    filter.Q.value = 2;
    const gain = ctx.createGain();
    gain.gain.setValueAtTime(v * 0.3, t);
    gain.gain.exponentialRampToValueAtTime(0.0001, t + 0.25);
    filter.connect(gain).connect(out);
    for (const f of [562, 845]) {
      const osc = ctx.createOscillator();
      osc.type = 'square';
      osc.frequency.value = f;
      osc.connect(filter);
      osc.start(t);
      osc.stop(t + 0.27);
    }
  }

  shaker(t, v, out, length, frequency) {
    this.noiseBurst(t, v * 0.22, out, { type: 'highpass', frequency }, length, 0.008);
  }

  click(t, v, out, frequency, length) {
    const ctx = shared;
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.type = 'triangle';
    osc.frequency.value = frequency;
    gain.gain.setValueAtTime(v * 0.5, t);
    gain.gain.exponentialRampToValueAtTime(0.0001, t + length);
    osc.connect(gain).connect(out);
    osc.start(t);
    osc.stop(t + length + 0.02);
  }

  tone(spec, pitch, t, seconds, v, out) {
    const ctx = shared;
    const frequency = 440 * 2 ** ((pitch - 69) / 12);
    const filter = ctx.createBiquadFilter();
    filter.type = 'lowpass';
    filter.Q.value = spec.q;
    const base = Math.min(spec.cutoff * (0.6 + v * 0.6), 16000);
    filter.frequency.setValueAtTime(base + spec.env, t);
    filter.frequency.setTargetAtTime(base, t + spec.a, spec.d / 2);
    const gain = ctx.createGain();
    const peak = v;
    const attackEnd = t + Math.min(spec.a, seconds * 0.5);
    const release = Math.min(spec.r, 2);
    const end = t + seconds;
    gain.gain.setValueAtTime(0.0001, t);
    gain.gain.linearRampToValueAtTime(peak, attackEnd);
    gain.gain.setTargetAtTime(peak * spec.s, attackEnd, spec.d / 3);
    gain.gain.setTargetAtTime(0.0001, Math.max(end, attackEnd + 0.001), release / 4);
    filter.connect(gain).connect(out);
    for (const [type, detune, level] of spec.osc) {
      const osc = ctx.createOscillator();
      const mix = ctx.createGain();
      osc.type = type;
      osc.frequency.value = frequency;
      osc.detune.value = detune;
      mix.gain.value = level;
      osc.connect(mix).connect(filter);
      osc.start(t);
      osc.stop(end + release + 0.05);
    }
  }

  fx(pitch, t, seconds, v, out) {
    const ctx = shared;
    if (seconds >= 1.5) {
      // Riser: noise through a band-pass sweeping up, getting louder.
      const src = this.noiseSource(t, true);
      const filter = ctx.createBiquadFilter();
      filter.type = 'bandpass';
      filter.Q.value = 4;
      filter.frequency.setValueAtTime(300 + (pitch % 12) * 20, t);
      filter.frequency.exponentialRampToValueAtTime(7000, t + seconds);
      const gain = ctx.createGain();
      gain.gain.setValueAtTime(0.0001, t);
      gain.gain.exponentialRampToValueAtTime(v * 0.7, t + seconds);
      gain.gain.exponentialRampToValueAtTime(0.0001, t + seconds + 0.08);
      src.connect(filter).connect(gain).connect(out);
      src.start(t, Math.random());
      src.stop(t + seconds + 0.1);
      return;
    }
    // Impact: a low boom with a falling noise tail.
    const osc = ctx.createOscillator();
    const boom = ctx.createGain();
    osc.frequency.setValueAtTime(90, t);
    osc.frequency.exponentialRampToValueAtTime(38, t + 0.6);
    boom.gain.setValueAtTime(v * 0.8, t);
    boom.gain.exponentialRampToValueAtTime(0.0001, t + 0.9);
    osc.connect(boom).connect(out);
    osc.start(t);
    osc.stop(t + 1);
    const src = this.noiseSource(t, true);
    const filter = ctx.createBiquadFilter();
    filter.type = 'lowpass';
    filter.frequency.setValueAtTime(5000, t);
    filter.frequency.exponentialRampToValueAtTime(200, t + 1.2);
    const gain = ctx.createGain();
    gain.gain.setValueAtTime(v * 0.4, t);
    gain.gain.exponentialRampToValueAtTime(0.0001, t + 1.2);
    src.connect(filter).connect(gain).connect(out);
    src.start(t, Math.random());
    src.stop(t + 1.25);
  }

  noiseSource(t, loop = false) {
    const src = shared.createBufferSource();
    src.buffer = this.noise;
    src.loop = loop;
    return src;
  }

  noiseBurst(t, level, out, filterSpec, length, attack = 0.001) {
    const ctx = shared;
    const src = this.noiseSource(t);
    const filter = ctx.createBiquadFilter();
    filter.type = filterSpec.type;
    filter.frequency.value = filterSpec.frequency;
    if (filterSpec.Q) filter.Q.value = filterSpec.Q;
    const gain = ctx.createGain();
    gain.gain.setValueAtTime(0.0001, t);
    gain.gain.exponentialRampToValueAtTime(Math.max(level, 0.0002), t + attack);
    gain.gain.exponentialRampToValueAtTime(0.0001, t + length);
    src.connect(filter).connect(gain).connect(out);
    src.start(t, Math.random() * 0.9);
    src.stop(t + length + 0.02);
    return { gain };
  }

  /** RMS of what the preview outputs right now (0 when silent or stopped). */
  level() {
    const analyser = this.master?.analyser;
    if (!analyser || !this.playing) return 0;
    const data = new Float32Array(analyser.fftSize);
    analyser.getFloatTimeDomainData(data);
    let sum = 0;
    for (const x of data) sum += x * x;
    return Math.sqrt(sum / data.length);
  }

  state() {
    return {
      context: shared ? shared.state : 'none',
      playing: this.playing,
      beat: this.beat,
      cursor: this.cursor,
      bpm: this.bpm,
      totalBeats: this.totalBeats,
      events: this.events.length,
      voices: this.voices,
      sampleVoices: this.sampleVoices,
      synthVoices: this.synthVoices,
      loopClips: this.loopClips.length,
      loopStarts: this.loopStarts,
      loopsPlaying: this.loops.size,
      lastLoop: this.lastLoop,
      level: this.level(),
      sounds: this.soundsState(),
      bank: this.bank.state(),
      project: this.arrangementId,
      mode: this.mode,
      rendered: Boolean(this.rendered),
      usesRender: this.usesRender,
      renderStarts: this.renderStarts,
      renderSeconds: this.rendered ? this.rendered.buffer.duration : 0,
    };
  }
}

function storedMode() {
  try {
    return localStorage.getItem(MODE_KEY) === 'preview' ? 'preview' : 'render';
  } catch {
    return 'render';
  }
}

/** What plays a track: a Drum Rack's pads, a Simpler, an audio loop, or only the synth. */
function makePart(track, index) {
  const role = track.role in ROLE_GAIN ? track.role : 'other';
  const part = { index, name: track.name, role, kind: 'synth', pads: null, oneShot: false, loop: null, slots: [] };
  const slotOf = (sample, extra = {}) => ({
    path: sample.path,
    root: sample.root_note ?? 60,
    rate: sample.sample_rate || 44100,
    low: 0,
    high: 127,
    velocityLow: 1,
    velocityHigh: 127,
    loop: null,
    entry: null,
    ...extra,
  });
  const instrument = track.instrument;
  if (track.audio && track.audio.sample) {
    part.kind = 'loop';
    part.loop = { beats: track.audio.beats, bpm: track.audio.bpm, name: sampleName(track.audio.sample.path) };
    part.slots.push(slotOf(track.audio.sample));
  } else if (instrument && instrument.kind === 'drum_rack' && (instrument.pads || []).length) {
    part.kind = 'rack';
    part.pads = new Map();
    for (const pad of instrument.pads) {
      const slot = slotOf(pad.sample, { choke: pad.choke_group || 0 });
      part.pads.set(pad.note, slot);
      part.slots.push(slot);
    }
  } else if (instrument && instrument.kind === 'simpler' && instrument.sample) {
    part.kind = 'simpler';
    part.oneShot = Boolean(instrument.one_shot);
    part.slots.push(slotOf(instrument.sample, { loop: instrument.loop || null }));
  } else if (instrument && instrument.kind === 'multi' && (instrument.zones || []).length) {
    part.kind = 'simpler';
    part.oneShot = Boolean(instrument.one_shot);
    for (const zone of instrument.zones) {
      part.slots.push(slotOf(zone.sample, {
        low: zone.low,
        high: zone.high,
        velocityLow: zone.velocity_low ?? 1,
        velocityHigh: zone.velocity_high ?? 127,
        loop: zone.loop || null,
      }));
    }
  }
  part.files = [];
  if (track.audio?.sample) part.files.push(track.audio.sample);
  for (const pad of instrument?.pads || []) part.files.push(pad.sample);
  for (const zone of instrument?.zones || []) part.files.push(zone.sample);
  if (instrument?.sample) part.files.push(instrument.sample);
  return part;
}

/** 'sample' (all its sounds loaded), 'loading', 'mixed' (some pads fell back), 'synth', or
 * 'silent' (an audio loop that could not load: its track's MIDI parts play on). */
function partStatus(part) {
  if (part.kind === 'synth') return 'synth';
  const states = part.slots.map((slot) => slot.entry?.state || 'none');
  if (states.every((state) => state === 'ready')) return 'sample';
  if (states.some((state) => state === 'queued' || state === 'loading' || state === 'new')) return 'loading';
  if (states.some((state) => state === 'ready')) return 'mixed';
  return part.kind === 'loop' ? 'silent' : 'synth';
}

export function sampleName(path) {
  return String(path || '').split('/').pop().replace(/\.[^.]+$/, '');
}

function makeNoise(ctx) {
  const length = ctx.sampleRate * 2;
  const buffer = ctx.createBuffer(1, length, ctx.sampleRate);
  const data = buffer.getChannelData(0);
  let seed = 22222;
  for (let i = 0; i < length; i += 1) {
    seed = (seed * 16807) % 2147483647; // deterministic white noise
    data[i] = (seed / 2147483647) * 2 - 1;
  }
  return buffer;
}

function makeMaster(ctx) {
  const input = ctx.createGain();
  const compressor = ctx.createDynamicsCompressor();
  compressor.threshold.value = -14;
  compressor.knee.value = 10;
  compressor.ratio.value = 4;
  compressor.attack.value = 0.004;
  compressor.release.value = 0.2;
  const gain = ctx.createGain();
  const analyser = ctx.createAnalyser();
  analyser.fftSize = 2048;
  input.connect(compressor).connect(gain).connect(ctx.destination);
  gain.connect(analyser);
  return { input, compressor, gain, analyser };
}

function lowerBound(events, beat) {
  let lo = 0;
  let hi = events.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (events[mid].beat < beat) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
