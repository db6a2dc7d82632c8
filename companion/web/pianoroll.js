// The piano roll: every track of an arrangement by time on a canvas. One lane per pitched track
// (notes placed by pitch within it), one lane per drum pad; notes in the track's Live colour;
// audio tracks as clip blocks named after their loop, marked where the loop repeats and drawn
// with its waveform once the preview has decoded it; section names at their bars; zoom (buttons,
// Ctrl/pinch wheel, touch pinch), native scrolling, a playhead, and a click to choose where
// playback starts.
//
// The scroll container holds a "sizer" as large as the whole song; the canvases stay put
// (position: sticky) and draw the visible part, so the browser's own scrollbars, keyboard and
// touch scrolling all work.

import { paletteHex, paletteRgba, textOn } from './palette.js';
import { sectionColor } from './projects.js';
import { t, onLangChange } from './i18n.js';

const DRUM_NAMES = {
  35: 'Kick 2', 36: 'Kick', 37: 'Rim', 38: 'Snare', 39: 'Clap', 40: 'Snare 2', 41: 'Tom low',
  42: 'Closed hat', 43: 'Tom low 2', 44: 'Pedal hat', 45: 'Tom mid', 46: 'Open hat',
  47: 'Tom mid 2', 48: 'Tom high', 49: 'Crash', 50: 'Tom high 2', 51: 'Ride', 52: 'China',
  53: 'Ride bell', 54: 'Tambourine', 55: 'Splash', 56: 'Cowbell', 57: 'Crash 2', 59: 'Ride 2',
  60: 'Bongo high', 61: 'Bongo low', 62: 'Conga mute', 63: 'Conga high', 64: 'Conga low',
  69: 'Cabasa', 70: 'Shaker', 75: 'Clave', 76: 'Wood block', 81: 'Triangle',
};
// Kick at the top, then snares and claps, hats, cymbals, toms, then the rest by pitch.
const DRUM_ORDER = [36, 35, 38, 40, 39, 37, 42, 44, 46, 49, 57, 51, 53, 55, 52, 41, 43, 45, 47, 48, 50];
const NOTE_NAMES = ['C', 'C#', 'D', 'D#', 'E', 'F', 'F#', 'G', 'G#', 'A', 'A#', 'B'];

const RULER_H = 34;
const DRUM_LANE_H = 12;
const AUDIO_LANE_H = 46;
const CLIP_HEADER_H = 13;
const TRACK_GAP = 6;
const MIN_PPB = 0.25; // pixels per beat
const MAX_PPB = 240;
const FOLLOW_PAUSE_MS = 2500;

const COLORS = {
  bg: '#161a21',
  laneA: '#1b2029',
  laneB: '#181c24',
  labelBg: '#1f242e',
  labelText: '#e7e9ee',
  labelMuted: '#a3abba',
  ruler: '#222833',
  bar: 'rgba(255,255,255,0.09)',
  beat: 'rgba(255,255,255,0.035)',
  section: 'rgba(255,255,255,0.35)',
  playhead: '#ffb547',
  cursor: '#63d3ff',
};

export function drumName(pitch) {
  return DRUM_NAMES[pitch] || `${NOTE_NAMES[pitch % 12]}${Math.floor(pitch / 12) - 1}`;
}

export function noteName(pitch) {
  return `${NOTE_NAMES[pitch % 12]}${Math.floor(pitch / 12) - 1}`;
}

export class PianoRoll {
  /** els: {viewport, sizer, stage, canvas, overlay, summary}; onSeek(beat) */
  constructor({ els, onSeek, onTogglePlay }) {
    this.els = els;
    this.onSeek = onSeek || (() => {});
    this.onTogglePlay = onTogglePlay || (() => {});
    this.ctx = els.canvas.getContext('2d');
    this.octx = els.overlay.getContext('2d');
    this.model = null;
    this.ppb = 4;
    this.fitted = true; // keep "fit to width" on resize until the user zooms
    this.playhead = null;
    this.cursor = 0;
    this.playing = false;
    this.lastUserScroll = 0;
    this.frame = 0;
    this.renders = 0;
    this.drawn = { perTrack: [], markers: [] };
    this.pointers = new Map();
    this.pinch = null;
    this.bind();
    onLangChange(() => this.requestRender());
  }

  // ------------------------------------------------------------------------------ model
  setArrangement(arrangement, meta = {}) {
    if (!arrangement) {
      this.model = null;
      this.requestRender();
      return;
    }
    const [num, den] = arrangement.time_signature || [4, 4];
    const beatsPerBar = (num * 4) / den;
    const totalBeats = Math.max(beatsPerBar, (arrangement.bars || 1) * beatsPerBar);
    const tracks = [];
    let y = 0;
    for (const track of arrangement.tracks || []) {
      if (track.audio) {
        // An audio track: its clips play the loop from its start, repeating; no notes.
        const clips = (track.clips || [])
          .filter((clip) => clip.length > 0)
          .map((clip) => ({ start: clip.start, end: clip.start + clip.length, name: clip.name }))
          .sort((a, b) => a.start - b.start);
        tracks.push({
          name: track.name,
          role: track.role,
          color: track.color,
          notes: [],
          clips,
          audio: {
            name: loopName(track.audio.sample?.path),
            beats: track.audio.beats,
            bpm: track.audio.bpm,
            peaks: null,
          },
          lanes: [{ y, h: AUDIO_LANE_H, label: '' }],
          drums: false,
          laneByPitch: new Map(),
          y,
          h: AUDIO_LANE_H,
          maxDur: 0,
        });
        y += AUDIO_LANE_H + TRACK_GAP;
        continue;
      }
      const notes = [];
      for (const clip of track.clips || []) {
        for (const note of clip.notes || []) {
          const start = (clip.start || 0) + note.start;
          if (start >= clip.start + clip.length) continue; // outside the clip: Live hides it
          const end = Math.min(start + note.duration, clip.start + clip.length);
          notes.push({ start, end, pitch: note.pitch, velocity: note.velocity });
        }
      }
      notes.sort((a, b) => a.start - b.start || a.pitch - b.pitch);
      const drums = track.role === 'drums';
      const lanes = [];
      let height;
      if (drums) {
        const pitches = [...new Set(notes.map((n) => n.pitch))].sort(drumSort);
        pitches.forEach((pitch, i) => lanes.push({ pitch, y: y + i * DRUM_LANE_H, h: DRUM_LANE_H, label: drumName(pitch) }));
        height = Math.max(1, pitches.length) * DRUM_LANE_H;
      } else {
        const low = notes.length ? Math.min(...notes.map((n) => n.pitch)) : 60;
        const high = notes.length ? Math.max(...notes.map((n) => n.pitch)) : 72;
        const span = high - low + 1;
        height = Math.max(40, Math.min(88, span * 3 + 12));
        lanes.push({ low, high, y, h: height, label: `${noteName(low)}–${noteName(high)}` });
      }
      let maxDur = 0;
      for (const n of notes) maxDur = Math.max(maxDur, n.end - n.start);
      tracks.push({
        name: track.name,
        role: track.role,
        color: track.color,
        notes,
        lanes,
        drums,
        laneByPitch: new Map(lanes.map((l) => [l.pitch, l])),
        y,
        h: height,
        maxDur,
      });
      y += height + TRACK_GAP;
    }
    this.model = {
      id: meta.id || null,
      version: meta.version || null,
      title: arrangement.title,
      bpm: arrangement.bpm,
      meter: `${num}/${den}`,
      beatsPerBar,
      totalBeats,
      sections: (arrangement.sections || []).map((s) => ({
        name: s.name,
        kind: s.kind,
        bar: s.start_bar,
        bars: s.bars,
        beat: s.start_bar * beatsPerBar,
      })),
      tracks,
      contentH: Math.max(0, y - TRACK_GAP),
    };
    this.cursor = 0;
    this.playhead = null;
    this.fitted = true;
    this.layout(true);
    this.els.summary.textContent = t('roll.summary', {
      title: arrangement.title || '',
      tracks: tracks
        .map((tr) =>
          tr.audio
            ? `${tr.name} (${t('roll.audioSummary', { loop: tr.audio.name, clips: tr.clips.length })})`
            : `${tr.name} (${tr.notes.length})`
        )
        .join(', '),
      sections: this.model.sections.map((s) => `${s.name} ${t('roll.bar')} ${s.bar + 1}`).join(', '),
    });
  }

  /** The decoded loop's waveform (max |amplitude| per slice of the file) for an audio track. */
  setLoopPeaks(meta, trackIndex, peaks) {
    const m = this.model;
    if (!m || m.id !== meta.id || m.version !== meta.version) return;
    const track = m.tracks[trackIndex];
    if (!track || !track.audio || track.audio.peaks === peaks) return;
    track.audio.peaks = peaks;
    this.requestRender();
  }

  get labelW() {
    return this.els.viewport.clientWidth < 520 ? 86 : 124;
  }

  /** Size the scroll area to the song at the current zoom; keep `anchorBeat` under `anchorX`. */
  layout(refit = false, anchorBeat = null, anchorX = null) {
    const vp = this.els.viewport;
    const m = this.model;
    const dpr = window.devicePixelRatio || 1;
    const wantH = m ? RULER_H + m.contentH + 10 : 200;
    // The viewport grows with the song up to a limit; beyond it, it scrolls.
    vp.style.height = `${Math.max(180, Math.min(wantH + scrollbarAllowance(vp), maxViewportHeight()))}px`;
    const w = vp.clientWidth;
    const hgt = vp.clientHeight;
    if (m && (refit || this.fitted)) this.ppb = this.fitPpb();
    const songW = m ? this.labelW + m.totalBeats * this.ppb + 24 : w;
    this.els.sizer.style.width = `${Math.max(w, songW)}px`;
    this.els.sizer.style.height = `${Math.max(hgt, wantH)}px`;
    this.els.stage.style.width = `${w}px`;
    this.els.stage.style.height = `${hgt}px`;
    for (const canvas of [this.els.canvas, this.els.overlay]) {
      canvas.width = Math.max(1, Math.round(w * dpr));
      canvas.height = Math.max(1, Math.round(hgt * dpr));
      canvas.style.width = `${w}px`;
      canvas.style.height = `${hgt}px`;
    }
    this.size = { w, h: hgt, dpr };
    if (anchorBeat !== null && anchorX !== null) {
      vp.scrollLeft = Math.max(0, anchorBeat * this.ppb - (anchorX - this.labelW));
    }
    this.requestRender();
  }

  fitPpb() {
    const width = this.els.viewport.clientWidth - this.labelW - 24;
    return clamp(width / this.model.totalBeats, MIN_PPB, MAX_PPB);
  }

  // ------------------------------------------------------------------------------ zoom & scroll
  zoomBy(factor, clientX = null) {
    if (!this.model) return;
    const vp = this.els.viewport;
    const rect = vp.getBoundingClientRect();
    const x = clientX === null ? this.labelW + (vp.clientWidth - this.labelW) / 2 : clientX - rect.left;
    const anchorBeat = this.beatAtX(Math.max(this.labelW, x));
    const ppb = clamp(this.ppb * factor, Math.min(MIN_PPB, this.fitPpb()), MAX_PPB);
    if (ppb === this.ppb) return;
    this.ppb = ppb;
    this.fitted = false;
    this.layout(false, anchorBeat, Math.max(this.labelW, x));
  }

  fit() {
    if (!this.model) return;
    this.fitted = true;
    this.els.viewport.scrollLeft = 0;
    this.layout(true);
  }

  beatAtX(x) {
    return (this.els.viewport.scrollLeft + x - this.labelW) / this.ppb;
  }

  xAtBeat(beat) {
    return this.labelW + beat * this.ppb - this.els.viewport.scrollLeft;
  }

  // ------------------------------------------------------------------------------ playhead
  setPlayhead(beat, playing) {
    this.playhead = beat;
    this.playing = Boolean(playing);
    if (this.playing && beat !== null && Date.now() - this.lastUserScroll > FOLLOW_PAUSE_MS) {
      const vp = this.els.viewport;
      const x = this.xAtBeat(beat);
      const right = vp.clientWidth - 24;
      if (x > right || x < this.labelW) {
        vp.scrollLeft = Math.max(0, beat * this.ppb - (vp.clientWidth - this.labelW) * 0.1);
      }
    }
    this.drawOverlay();
  }

  setCursor(beat) {
    this.cursor = beat;
    this.drawOverlay();
  }

  // ------------------------------------------------------------------------------ input
  bind() {
    const vp = this.els.viewport;
    vp.addEventListener('scroll', () => this.requestRender(), { passive: true });
    vp.addEventListener(
      'wheel',
      (event) => {
        if (event.ctrlKey || event.metaKey) {
          // Ctrl + wheel, and trackpad pinch (which the browser reports as Ctrl + wheel).
          event.preventDefault();
          this.zoomBy(Math.exp(-event.deltaY * 0.0025), event.clientX);
        } else {
          this.lastUserScroll = Date.now();
        }
      },
      { passive: false }
    );
    vp.addEventListener('pointerdown', (event) => {
      this.pointers.set(event.pointerId, { x: event.clientX, y: event.clientY });
      if (this.pointers.size === 2) {
        const [a, b] = [...this.pointers.values()];
        this.pinch = { distance: Math.hypot(a.x - b.x, a.y - b.y), ppb: this.ppb };
      }
      this.down = { x: event.clientX, y: event.clientY, left: vp.scrollLeft, top: vp.scrollTop };
    });
    vp.addEventListener('pointermove', (event) => {
      if (!this.pointers.has(event.pointerId)) return;
      this.pointers.set(event.pointerId, { x: event.clientX, y: event.clientY });
      if (this.pinch && this.pointers.size === 2) {
        const [a, b] = [...this.pointers.values()];
        const distance = Math.hypot(a.x - b.x, a.y - b.y);
        if (this.pinch.distance > 10) {
          const target = this.pinch.ppb * (distance / this.pinch.distance);
          this.zoomBy(target / this.ppb, (a.x + b.x) / 2);
        }
      }
    });
    const up = (event) => {
      this.pointers.delete(event.pointerId);
      if (this.pointers.size < 2) this.pinch = null;
    };
    vp.addEventListener('pointerup', up);
    vp.addEventListener('pointercancel', up);
    vp.addEventListener('click', (event) => this.click(event));
    vp.addEventListener('keydown', (event) => this.key(event));
    new ResizeObserver(() => this.layout(false)).observe(vp);
    window.addEventListener('resize', () => this.layout(false));
  }

  click(event) {
    if (!this.model) return;
    const rect = this.els.viewport.getBoundingClientRect();
    const x = event.clientX - rect.left;
    const y = event.clientY - rect.top;
    if (this.down && Math.hypot(event.clientX - this.down.x, event.clientY - this.down.y) > 6) return;
    if (x < this.labelW || y > this.els.viewport.clientHeight) return;
    let beat = this.beatAtX(x);
    // Snap to the beat (to the bar when zoomed far out).
    const grid = this.ppb * this.model.beatsPerBar < 24 ? this.model.beatsPerBar : 1;
    beat = clamp(Math.floor(beat / grid) * grid, 0, this.model.totalBeats - grid);
    this.setCursor(beat);
    this.onSeek(beat);
  }

  key(event) {
    if (!this.model) return;
    if (event.key === '+' || event.key === '=') this.zoomBy(1.5);
    else if (event.key === '-' || event.key === '_') this.zoomBy(1 / 1.5);
    else if (event.key === '0') this.fit();
    else if (event.key === ' ' || event.key === 'k') this.onTogglePlay();
    else if (event.key === 'Home') {
      this.els.viewport.scrollLeft = 0;
      this.setCursor(0);
      this.onSeek(0);
    } else return;
    event.preventDefault();
  }

  // ------------------------------------------------------------------------------ drawing
  requestRender() {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  /** Draw now (used by tests through state(), and by the animation frame). */
  render() {
    const { ctx } = this;
    const { w, h, dpr } = this.size || { w: 0, h: 0, dpr: 1 };
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.fillStyle = COLORS.bg;
    ctx.fillRect(0, 0, w, h);
    this.renders += 1;
    const m = this.model;
    if (!m) {
      this.drawn = { perTrack: [], markers: [] };
      this.drawOverlay();
      return;
    }
    const vp = this.els.viewport;
    const lw = this.labelW;
    const top = RULER_H - vp.scrollTop;
    const b0 = Math.max(0, this.beatAtX(lw));
    const b1 = Math.min(m.totalBeats, this.beatAtX(w));
    const songEndX = this.xAtBeat(m.totalBeats);

    // Lanes.
    ctx.save();
    ctx.beginPath();
    ctx.rect(lw, RULER_H, w - lw, h - RULER_H);
    ctx.clip();
    for (const track of m.tracks) {
      track.lanes.forEach((lane, i) => {
        ctx.fillStyle = track.drums ? (i % 2 ? COLORS.laneB : COLORS.laneA) : COLORS.laneA;
        ctx.fillRect(lw, top + lane.y, Math.max(0, songEndX - lw), lane.h);
      });
      // A thin wash of the track colour so lanes read as one track.
      ctx.fillStyle = paletteRgba(track.color, 0.05);
      ctx.fillRect(lw, top + track.y, Math.max(0, songEndX - lw), track.h);
    }
    // Grid: bars (and beats when there is room), sections stronger.
    const barPx = this.ppb * m.beatsPerBar;
    const barStep = barPx >= 10 ? 1 : barPx >= 3 ? 4 : 16;
    const firstBar = Math.floor(b0 / m.beatsPerBar);
    const lastBar = Math.ceil(b1 / m.beatsPerBar);
    ctx.lineWidth = 1;
    if (this.ppb >= 10) {
      ctx.strokeStyle = COLORS.beat;
      ctx.beginPath();
      for (let beat = Math.floor(b0); beat <= b1; beat += 1) {
        const x = Math.round(this.xAtBeat(beat)) + 0.5;
        ctx.moveTo(x, RULER_H);
        ctx.lineTo(x, h);
      }
      ctx.stroke();
    }
    ctx.strokeStyle = COLORS.bar;
    ctx.beginPath();
    for (let bar = firstBar - (firstBar % barStep); bar <= lastBar; bar += barStep) {
      const x = Math.round(this.xAtBeat(bar * m.beatsPerBar)) + 0.5;
      ctx.moveTo(x, RULER_H);
      ctx.lineTo(x, h);
    }
    ctx.stroke();
    ctx.strokeStyle = COLORS.section;
    ctx.setLineDash([3, 3]);
    ctx.beginPath();
    for (const s of m.sections) {
      const x = Math.round(this.xAtBeat(s.beat)) + 0.5;
      if (x < lw || x > w) continue;
      ctx.moveTo(x, RULER_H);
      ctx.lineTo(x, h);
    }
    ctx.stroke();
    ctx.setLineDash([]);

    // Notes (and audio clips).
    const perTrack = [];
    const blocks = [];
    for (const track of m.tracks) {
      let count = 0;
      const laneTop = top + track.y;
      if (laneTop > h || laneTop + track.h < RULER_H) {
        perTrack.push(0);
        blocks.push(0);
        continue;
      }
      if (track.audio) {
        perTrack.push(0);
        blocks.push(this.drawAudioClips(track, laneTop, b0, b1));
        continue;
      }
      blocks.push(0);
      const color = paletteHex(track.color);
      const notes = track.notes;
      let i = lowerBound(notes, b0 - track.maxDur);
      for (; i < notes.length; i += 1) {
        const n = notes[i];
        if (n.start > b1) break;
        if (n.end < b0) continue;
        let y;
        let nh;
        if (track.drums) {
          const lane = track.laneByPitch.get(n.pitch);
          y = top + lane.y + 2;
          nh = lane.h - 4;
        } else {
          const lane = track.lanes[0];
          const span = lane.high - lane.low + 1;
          const row = (lane.h - 8) / span;
          nh = Math.max(3, Math.min(row, 8));
          y = top + lane.y + 4 + (lane.high - n.pitch) * row + (row - nh) / 2;
        }
        const x = this.xAtBeat(n.start);
        const nw = Math.max(1.5, (n.end - n.start) * this.ppb - (this.ppb > 6 ? 1 : 0));
        ctx.globalAlpha = 0.45 + 0.55 * (n.velocity / 127);
        ctx.fillStyle = color;
        ctx.fillRect(x, y, nw, nh);
        count += 1;
      }
      ctx.globalAlpha = 1;
      perTrack.push(count);
    }
    ctx.restore();

    // Track labels (fixed at the left).
    ctx.save();
    ctx.beginPath();
    ctx.rect(0, RULER_H, lw, h - RULER_H);
    ctx.clip();
    ctx.fillStyle = COLORS.labelBg;
    ctx.fillRect(0, RULER_H, lw, h - RULER_H);
    ctx.textBaseline = 'middle';
    for (const track of m.tracks) {
      const y = top + track.y;
      ctx.fillStyle = paletteHex(track.color);
      ctx.fillRect(0, y, 4, track.h);
      if (track.audio) {
        ctx.font = '600 12px system-ui, sans-serif';
        ctx.fillStyle = COLORS.labelText;
        ctx.fillText(ellipsize(ctx, track.name, lw - 14), 10, y + 13);
        ctx.font = '10px system-ui, sans-serif';
        ctx.fillStyle = COLORS.labelMuted;
        ctx.fillText(ellipsize(ctx, `∿ ${t('roll.audioLoop')}`, lw - 14), 10, y + 28);
      } else if (track.drums) {
        // The track name runs down a narrow strip; pad names sit beside it.
        ctx.save();
        ctx.translate(13, y + track.h / 2);
        ctx.rotate(-Math.PI / 2);
        ctx.font = '600 11px system-ui, sans-serif';
        ctx.fillStyle = COLORS.labelText;
        ctx.textAlign = 'center';
        ctx.fillText(ellipsize(ctx, track.name, track.h - 4), 0, 0);
        ctx.restore();
        ctx.font = '10px system-ui, sans-serif';
        ctx.fillStyle = COLORS.labelMuted;
        for (const lane of track.lanes) {
          ctx.fillText(ellipsize(ctx, lane.label, lw - 30), 24, y + (lane.y - track.y) + lane.h / 2 + 0.5);
        }
      } else {
        ctx.font = '600 12px system-ui, sans-serif';
        ctx.fillStyle = COLORS.labelText;
        ctx.fillText(ellipsize(ctx, track.name, lw - 14), 10, y + Math.min(track.h / 2, 14));
        if (track.h >= 38) {
          ctx.font = '10px system-ui, sans-serif';
          ctx.fillStyle = COLORS.labelMuted;
          ctx.fillText(ellipsize(ctx, track.lanes[0].label, lw - 14), 10, y + Math.min(track.h / 2, 14) + 15);
        }
      }
    }
    ctx.strokeStyle = 'rgba(255,255,255,0.08)';
    ctx.beginPath();
    ctx.moveTo(lw - 0.5, RULER_H);
    ctx.lineTo(lw - 0.5, h);
    ctx.stroke();
    ctx.restore();

    // Ruler: sections as coloured bands with their names, bar numbers.
    ctx.fillStyle = COLORS.ruler;
    ctx.fillRect(0, 0, w, RULER_H);
    const markers = [];
    ctx.save();
    ctx.beginPath();
    ctx.rect(lw, 0, w - lw, RULER_H);
    ctx.clip();
    for (const s of m.sections) {
      const x0 = this.xAtBeat(s.beat);
      const x1 = this.xAtBeat(s.beat + s.bars * m.beatsPerBar);
      const visible = x1 > lw && x0 < w;
      markers.push({ name: s.name, bar: s.bar + 1, x: Math.round(x0), visible });
      if (!visible) continue;
      const color = sectionColor(s.kind);
      ctx.fillStyle = color;
      ctx.globalAlpha = 0.22;
      ctx.fillRect(x0, 17, x1 - x0, RULER_H - 17);
      ctx.globalAlpha = 1;
      ctx.fillRect(x0, 17, 2, RULER_H - 17);
      ctx.font = '600 11px system-ui, sans-serif';
      ctx.fillStyle = '#f3f4f7';
      ctx.textBaseline = 'middle';
      const textX = Math.max(x0 + 6, lw + 4);
      const room = x1 - textX - 4;
      if (room > 14) ctx.fillText(ellipsize(ctx, s.name, room), textX, 17 + (RULER_H - 17) / 2 + 0.5);
    }
    ctx.font = '10px ui-monospace, SFMono-Regular, Menlo, monospace';
    ctx.fillStyle = COLORS.labelMuted;
    ctx.textBaseline = 'middle';
    const labelStep = barStep * (barPx * barStep < 28 ? 4 : 1);
    for (let bar = firstBar - (firstBar % labelStep); bar <= lastBar; bar += labelStep) {
      const x = this.xAtBeat(bar * m.beatsPerBar);
      if (x < lw - 1 || bar >= m.totalBeats / m.beatsPerBar) continue;
      ctx.fillRect(Math.round(x), 4, 1, 10);
      ctx.fillText(String(bar + 1), Math.round(x) + 3, 9);
    }
    ctx.restore();
    ctx.fillStyle = COLORS.labelBg;
    ctx.fillRect(0, 0, lw, RULER_H);
    ctx.font = '600 11px system-ui, sans-serif';
    ctx.fillStyle = COLORS.labelMuted;
    ctx.textBaseline = 'middle';
    const corner = `${m.meter} · ${formatBpmShort(m.bpm)} BPM`;
    ctx.fillText(ctx.measureText(corner).width <= lw - 14 ? corner : m.meter, 10, RULER_H / 2);
    ctx.fillStyle = 'rgba(255,255,255,0.1)';
    ctx.fillRect(0, RULER_H - 1, w, 1);

    this.drawn = { perTrack, blocks, markers };
    this.drawOverlay();
  }

  /** An audio track's clips: blocks in the track's colour, the loop's name on a header strip,
   * a tick where the loop starts again, and its waveform when known. Returns blocks drawn. */
  drawAudioClips(track, laneTop, b0, b1) {
    const { ctx } = this;
    const { w } = this.size;
    const lw = this.labelW;
    const color = paletteHex(track.color);
    const ink = textOn(track.color);
    const { beats, peaks, name } = track.audio;
    const y = laneTop + 2;
    const bh = track.h - 4;
    const bodyY = y + CLIP_HEADER_H;
    const bodyH = bh - CLIP_HEADER_H;
    let count = 0;
    for (const clip of track.clips) {
      if (clip.end < b0 || clip.start > b1) continue;
      const x0 = this.xAtBeat(clip.start);
      const x1 = this.xAtBeat(clip.end) - (this.ppb > 3 ? 1 : 0);
      const cw = Math.max(2, x1 - x0);
      // As in Live: the clip in its track's colour, the waveform dark on it.
      ctx.fillStyle = paletteRgba(track.color, peaks ? 0.62 : 0.22);
      ctx.fillRect(x0, y, cw, bh);
      ctx.fillStyle = color;
      ctx.fillRect(x0, y, cw, CLIP_HEADER_H);
      const left = Math.max(x0, lw);
      const right = Math.min(x0 + cw, w);
      if (peaks && peaks.length && right > left) {
        // The waveform, repeating with the loop (each column shows the loudest point under it).
        ctx.fillStyle = 'rgba(10, 12, 16, 0.72)';
        const mid = bodyY + bodyH / 2;
        const beatsPerPx = 1 / this.ppb;
        for (let px = Math.floor(left); px < right; px += 1) {
          const from = (this.beatAtX(px) - clip.start) / beats;
          const to = from + beatsPerPx / beats;
          const amp = peakBetween(peaks, from, to);
          const half = Math.max(0.5, amp * (bodyH / 2 - 2));
          ctx.fillRect(px, mid - half, 1, half * 2);
        }
      }
      // Where the loop starts again.
      if (beats > 0 && beats * this.ppb >= 6) {
        ctx.fillStyle = 'rgba(0, 0, 0, 0.45)';
        for (let beat = clip.start + beats; beat < clip.end - 1e-6; beat += beats) {
          const x = Math.round(this.xAtBeat(beat));
          if (x > left && x < right) ctx.fillRect(x, y, 1, bh);
        }
      }
      ctx.strokeStyle = color;
      ctx.lineWidth = 1;
      ctx.strokeRect(x0 + 0.5, y + 0.5, cw - 1, bh - 1);
      if (right - left > 18) {
        ctx.save();
        ctx.beginPath();
        ctx.rect(left, y, right - left, CLIP_HEADER_H);
        ctx.clip();
        ctx.font = '600 10px system-ui, sans-serif';
        ctx.fillStyle = ink;
        ctx.textBaseline = 'middle';
        ctx.fillText(ellipsize(ctx, name, right - left - 8), left + 4, y + CLIP_HEADER_H / 2 + 0.5);
        ctx.restore();
      }
      count += 1;
    }
    return count;
  }

  drawOverlay() {
    const { octx } = this;
    const { w, h, dpr } = this.size || { w: 0, h: 0, dpr: 1 };
    octx.setTransform(dpr, 0, 0, dpr, 0, 0);
    octx.clearRect(0, 0, w, h);
    if (!this.model) return;
    const lw = this.labelW;
    const mark = (beat, color, dashed) => {
      const x = Math.round(this.xAtBeat(beat)) + 0.5;
      if (x < lw || x > w) return;
      octx.strokeStyle = color;
      octx.lineWidth = dashed ? 1 : 2;
      octx.setLineDash(dashed ? [4, 4] : []);
      octx.beginPath();
      octx.moveTo(x, dashed ? RULER_H : 0);
      octx.lineTo(x, h);
      octx.stroke();
      octx.setLineDash([]);
      if (!dashed) {
        octx.fillStyle = color;
        octx.beginPath();
        octx.moveTo(x - 6, 0);
        octx.lineTo(x + 6, 0);
        octx.lineTo(x, 8);
        octx.closePath();
        octx.fill();
      }
    };
    if (this.cursor > 0 || this.playhead === null) mark(this.cursor, COLORS.cursor, true);
    if (this.playhead !== null) mark(this.playhead, COLORS.playhead, false);
  }

  // ------------------------------------------------------------------------------ test hook
  state() {
    if (this.frame) {
      cancelAnimationFrame(this.frame);
      this.frame = 0;
      this.render();
    }
    const m = this.model;
    if (!m) return { loaded: false, tracks: [], notesDrawn: {}, totalDrawn: 0, sections: [] };
    const notesDrawn = {};
    const tracks = m.tracks.map((track, i) => {
      notesDrawn[track.name] = this.drawn.perTrack[i] || 0;
      return {
        name: track.name,
        role: track.role,
        color: paletteHex(track.color),
        notes: track.notes.length,
        drawn: this.drawn.perTrack[i] || 0,
        lanes: track.lanes.length,
        audio: Boolean(track.audio),
        ...(track.audio
          ? {
              loop: track.audio.name,
              loopBeats: track.audio.beats,
              clips: track.clips.length,
              spans: track.clips.map((clip) => [clip.start, clip.end]),
              blocks: this.drawn.blocks?.[i] || 0,
              waveform: Boolean(track.audio.peaks),
              y: track.y + RULER_H,
              h: track.h,
            }
          : {}),
      };
    });
    return {
      loaded: true,
      project: m.id,
      version: m.version,
      title: m.title,
      bpm: m.bpm,
      totalBeats: m.totalBeats,
      tracks,
      notesDrawn,
      totalDrawn: Object.values(notesDrawn).reduce((a, b) => a + b, 0),
      blocksDrawn: (this.drawn.blocks || []).reduce((a, b) => a + b, 0),
      sections: this.drawn.markers,
      zoom: this.ppb,
      scrollBeat: this.els.viewport.scrollLeft / this.ppb,
      playhead: this.playhead,
      cursor: this.cursor,
      renders: this.renders,
      labelWidth: this.labelW,
    };
  }
}

function loopName(path) {
  return String(path || '').split('/').pop().replace(/\.[^.]+$/, '') || 'Loop';
}

/** The largest peak between two fractions of a loop (wrapping: the loop repeats). */
function peakBetween(peaks, from, to) {
  const n = peaks.length;
  const i = Math.floor((((from % 1) + 1) % 1) * n);
  const count = Math.max(1, Math.ceil((to - from) * n));
  let max = 0;
  for (let k = 0; k < count && k < n; k += 1) {
    const value = peaks[(i + k) % n];
    if (value > max) max = value;
  }
  return max;
}

function drumSort(a, b) {
  const ia = DRUM_ORDER.indexOf(a);
  const ib = DRUM_ORDER.indexOf(b);
  if (ia >= 0 && ib >= 0) return ia - ib;
  if (ia >= 0) return -1;
  if (ib >= 0) return 1;
  return a - b;
}

function lowerBound(notes, beat) {
  let lo = 0;
  let hi = notes.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (notes[mid].start < beat) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function clamp(v, lo, hi) {
  return Math.max(lo, Math.min(hi, v));
}

function ellipsize(ctx, text, width) {
  if (ctx.measureText(text).width <= width) return text;
  let s = text;
  while (s.length > 1 && ctx.measureText(`${s}…`).width > width) s = s.slice(0, -1);
  return `${s}…`;
}

function formatBpmShort(bpm) {
  const n = Number(bpm) || 0;
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}

function maxViewportHeight() {
  return Math.max(220, Math.min(560, window.innerHeight * 0.62));
}

function scrollbarAllowance(vp) {
  return vp.offsetHeight - vp.clientHeight || 12;
}
