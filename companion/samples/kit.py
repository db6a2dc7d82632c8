"""The built-in kit: drums, basses, keys, pads, leads, fx and vocal "ah"s synthesized with numpy.

No audio ships with MusiaIA; a fresh install renders these ~30 one-shots into the data folder the
first time a set needs sounds, so a producer without a sample library still gets a house, techno
or trap set that plays. Each sound is a small recipe (pitch-enveloped sine kick, noise + tone
snare, multi-burst clap, 808-style metallic hats, additive saws through a filter envelope, FM
electric piano, detuned-saw pads, noise risers) rendered at 44.1 kHz, high-passed, faded in and
out (no clicks), normalised to -1 dBFS and written as 24-bit WAV. Tuned sounds carry their root
note in a ``smpl`` chunk (and an ``acid`` chunk marks every file as a one-shot), so a Simpler can
transpose them. Rendering is deterministic (fixed seeds, no time or platform input); a version
number in the manifest makes an upgrade regenerate the files.
"""

from __future__ import annotations

import hashlib
import json
import math
import struct
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from companion.fsutil import atomic_write_bytes
from companion.lazy import LazyModule

if TYPE_CHECKING:
    import numpy as np

    Audio = np.ndarray  # float64, shape (n,) mono or (n, 2) stereo
else:
    np = LazyModule("numpy")  # only rendering needs it; the catalogue is read by every set

KIT_VERSION = 1
RATE = 44_100
PEAK = 10 ** (-1 / 20)  # -1 dBFS
MANIFEST = "musiaia-kit.json"
PREFIX = "MusiaIA_"

HOUSE = ("house", "deep-house", "tech-house", "afro-house", "progressive-house", "uk-garage")
CLUB = (*HOUSE, "disco", "funk", "pop", "edm", "synthwave")
TECHNO = ("techno", "minimal-techno", "trance", "edm", "progressive-house")
URBAN = ("trap", "hip-hop", "boom-bap", "lo-fi", "reggaeton", "dubstep")
BREAKS = ("drum-and-bass", "dubstep", "uk-garage")
ALL = ()  # no style preference: fits anything


# --- building blocks (pure) ----------------------------------------------------------------------


def _time(seconds: float) -> np.ndarray:
    return np.arange(round(seconds * RATE)) / RATE


def _noise(count: int, seed: int) -> np.ndarray:
    # RandomState's stream is frozen by NumPy's compatibility policy: same seed, same noise.
    return np.random.RandomState(seed).uniform(-1.0, 1.0, count)


def _decay(t: np.ndarray, tau: float) -> np.ndarray:
    return np.exp(-t / tau)


def _sweep(frequency: np.ndarray, phase: float = 0.0) -> np.ndarray:
    """A sine following a per-sample frequency curve (phase-continuous)."""
    return np.sin(phase + 2 * np.pi * np.cumsum(frequency) / RATE)


def _midi_hz(note: float) -> float:
    return 440.0 * 2 ** ((note - 69) / 12)


def _filter(x: np.ndarray, low: float | None = None, high: float | None = None, order: int = 2):
    """Zero-phase Butterworth-shaped high/low/band-pass done in the frequency domain (padded so
    nothing wraps around)."""
    pad = 4096
    padded = np.concatenate([np.zeros(pad), x, np.zeros(pad)])
    spectrum = np.fft.rfft(padded)
    freqs = np.fft.rfftfreq(len(padded), 1 / RATE)
    gain = np.ones_like(freqs)
    if high is not None:
        gain /= np.sqrt(1 + (freqs / high) ** (2 * order))
    if low is not None:
        ratio = np.where(freqs > 0, freqs / low, 0.0)
        gain *= ratio**order / np.sqrt(1 + ratio ** (2 * order))
    return np.fft.irfft(spectrum * gain, n=len(padded))[pad : pad + len(x)]


def _moving_filter(x: np.ndarray, centre: np.ndarray, width_octaves: float) -> np.ndarray:
    """A band-pass whose centre follows ``centre`` (Hz per sample): STFT frames, each shaped by a
    bell around the frame's centre frequency, overlap-added (risers, downlifters, sweeps)."""
    size, hop = 2048, 512
    window = np.hanning(size)
    padded = np.concatenate([np.zeros(size), x, np.zeros(size)])
    centre_padded = np.concatenate([np.full(size, centre[0]), centre, np.full(size, centre[-1])])
    freqs = np.fft.rfftfreq(size, 1 / RATE)
    octaves = np.log2(np.maximum(freqs, 1.0))
    out = np.zeros(len(padded))
    norm = np.zeros(len(padded))
    for start in range(0, len(padded) - size, hop):
        frame = padded[start : start + size] * window
        f0 = centre_padded[start + size // 2]
        bell = np.exp(-0.5 * ((octaves - math.log2(f0)) / width_octaves) ** 2)
        out[start : start + size] += np.fft.irfft(np.fft.rfft(frame) * bell, n=size) * window
        norm[start : start + size] += window**2
    out /= np.maximum(norm, 1e-9)
    return out[size : size + len(x)]


def _additive(
    f0: float,
    t: np.ndarray,
    amplitude: Callable[[int, float], np.ndarray | float],
    harmonics: int,
    phase_seed: int | None = None,
    pitch_mod: np.ndarray | None = None,
) -> np.ndarray:
    """Band-limited additive synthesis: harmonic k at k·f0 with amplitude(k, k·f0) (a number or a
    per-sample envelope), never above Nyquist (no aliasing, so clean transposition in Simpler)."""
    phases = (
        np.random.RandomState(phase_seed).uniform(0, 2 * np.pi, harmonics + 1)
        if phase_seed is not None
        else np.zeros(harmonics + 1)
    )
    base = 2 * np.pi * f0 * t if pitch_mod is None else 2 * np.pi * np.cumsum(f0 * pitch_mod) / RATE
    out = np.zeros(len(t))
    for k in range(1, harmonics + 1):
        if k * f0 >= RATE * 0.45:
            break
        out += amplitude(k, k * f0) * np.sin(k * base + phases[k])
    return out


def _lowpass_gain(frequency: float, cutoff: np.ndarray | float, order: int = 2):
    return 1.0 / np.sqrt(1.0 + (frequency / cutoff) ** (2 * order))


def _saw_table(f0: float, cutoff: float, size: int = 4096) -> np.ndarray:
    """One band-limited, pre-filtered saw cycle, read by phase accumulators (fast stacks)."""
    phase = np.arange(size) / size * 2 * np.pi
    table = np.zeros(size)
    for k in range(1, int(RATE * 0.45 / (f0 * 1.1)) + 1):
        table += (1 / k) * _lowpass_gain(k * f0, cutoff) * np.sin(k * phase)
    return table


def _read_table(table: np.ndarray, frequency: float, count: int, start_phase: float) -> np.ndarray:
    size = len(table)
    position = (start_phase + np.arange(count) * frequency / RATE) % 1.0 * size
    low = position.astype(int)
    frac = position - low
    return table[low] * (1 - frac) + table[(low + 1) % size] * frac


def _metal(t: np.ndarray, ratio: float, seed: int) -> np.ndarray:
    """Six detuned square waves (the TR-808 cymbal oscillator bank), for hats and cymbals."""
    phases = np.random.RandomState(seed).uniform(0, 1, 6)
    out = np.zeros(len(t))
    for freq, phase in zip((205.3, 304.4, 369.6, 522.7, 540.0, 800.0), phases, strict=True):
        out += np.sign(np.sin(2 * np.pi * (freq * ratio * t + phase)))
    return out / 6


def _attack(t: np.ndarray, seconds: float) -> np.ndarray:
    """Raised-cosine attack (slow pads, bowed strings, vocal onsets)."""
    ramp = np.clip(t / seconds, 0.0, 1.0)
    return 0.5 - 0.5 * np.cos(np.pi * ramp)


def _release(t: np.ndarray, seconds: float) -> np.ndarray:
    remaining = t[-1] - t
    return np.clip(remaining / seconds, 0.0, 1.0) ** 2


# --- recipes -------------------------------------------------------------------------------------


def kick(
    f_end: float,
    f_start: float,
    pitch_tau: float,
    amp_tau: float,
    length: float,
    drive: float,
    click: float,
    seed: int,
) -> Audio:
    t = _time(length)
    frequency = f_end + (f_start - f_end) * _decay(t, pitch_tau)
    body = _sweep(frequency) * _decay(t, amp_tau)
    transient = _filter(_noise(len(t), seed), low=2500) * _decay(t, 0.003) * click
    return np.tanh(drive * (body + transient)) / np.tanh(drive)


def snare(
    tone: float,
    tone_tau: float,
    noise_tau: float,
    length: float,
    low: float,
    noise_level: float,
    seed: int,
) -> Audio:
    t = _time(length)
    body = (np.sin(2 * np.pi * tone * t) + 0.5 * np.sin(2 * np.pi * tone * 1.62 * t)) * _decay(
        t, tone_tau
    )
    rattle = _filter(_noise(len(t), seed), low=low, high=11000) * _decay(t, noise_tau)
    return 0.55 * body + noise_level * rattle / max(np.abs(rattle).max(), 1e-9)


def clap(bursts: int, spacing: float, tail_tau: float, low: float, high: float, seed: int):
    t = _time(0.5)
    envelope = np.zeros(len(t))
    for index in range(bursts):
        onset = index * spacing
        envelope += np.where(t >= onset, _decay(np.maximum(t - onset, 0), 0.0045), 0.0)
    last = (bursts - 1) * spacing
    envelope += 0.6 * np.where(t >= last, _decay(np.maximum(t - last, 0), tail_tau), 0.0)
    return _filter(_noise(len(t), seed), low=low, high=high) * envelope


def hat(length: float, tau: float, low: float, ratio: float, seed: int) -> Audio:
    t = _time(length)
    tone = _metal(t, ratio, seed) + 0.5 * _noise(len(t), seed + 1)
    return _filter(tone, low=low, order=3) * _decay(t, tau)


def cymbal(length: float, tau: float, low: float, ratio: float, noise: float, seed: int) -> Audio:
    t = _time(length)
    tone = _metal(t, ratio, seed) + _metal(t, ratio * 1.47, seed + 7) + noise * _noise(len(t), seed)
    return _filter(tone, low=low, order=2) * _decay(t, tau) * (1 - 0.5 * _decay(t, 0.02))


def rim(seed: int) -> Audio:
    t = _time(0.15)
    body = (np.sin(2 * np.pi * 1700 * t) + 0.8 * np.sin(2 * np.pi * 480 * t)) * _decay(t, 0.012)
    return body + 0.4 * _filter(_noise(len(t), seed), low=2000) * _decay(t, 0.004)


def shaker(seed: int) -> Audio:
    t = _time(0.18)
    envelope = _attack(t, 0.012) * _decay(t, 0.045)
    return _filter(_noise(len(t), seed), low=5000, high=13000) * envelope


def drum_tone(f_end: float, f_start: float, tau: float, length: float, seed: int) -> Audio:
    """Conga or tom: a sine falling onto its pitch, a fifth-ish overtone, a little slap."""
    t = _time(length)
    frequency = f_end + (f_start - f_end) * _decay(t, 0.015)
    body = _sweep(frequency) + 0.25 * _sweep(frequency * 1.48)
    slap = 0.3 * _filter(_noise(len(t), seed), low=1200, high=6000) * _decay(t, 0.006)
    return body * _decay(t, tau) + slap


def bass_808(root: int) -> Audio:
    t = _time(1.8)
    f0 = _midi_hz(root)
    frequency = f0 * 2 ** (_decay(t, 0.025))  # starts an octave up, falls onto the note
    body = _sweep(frequency) * _attack(t, 0.002) * (0.25 + 0.75 * _decay(t, 0.9))
    return np.tanh(2.2 * body) / np.tanh(2.2)


def bass_synth(root: int, square: bool) -> Audio:
    t = _time(1.2)
    f0 = _midi_hz(root)
    cutoff = 250 + (1800 if square else 2600) * _decay(t, 0.12)

    def amplitude(k: int, frequency: float) -> np.ndarray | float:
        if square and k % 2 == 0:
            return 0.0
        return (1 / k) * _lowpass_gain(frequency, cutoff)

    tone = _additive(f0, t, amplitude, 200, phase_seed=None)
    sub = 0.5 * np.sin(2 * np.pi * f0 * t)
    return (tone + sub) * _attack(t, 0.003) * (0.6 + 0.4 * _decay(t, 0.25))


def pluck(root: int) -> Audio:
    t = _time(1.0)
    f0 = _midi_hz(root)
    cutoff = 500 + 6000 * _decay(t, 0.09)
    a = _additive(f0, t, lambda k, f: (1 / k) * _lowpass_gain(f, cutoff), 80, phase_seed=3)
    b = _additive(f0 * 2 ** (7 / 1200), t, lambda k, f: (1 / k) * _lowpass_gain(f, cutoff), 80, 4)
    return (a + b) * _attack(t, 0.002) * _decay(t, 0.32)


def saw_stack(
    root: int,
    cents: tuple[float, ...],
    cutoff: float,
    length: float,
    attack: float,
    release: float,
    seed: int,
    stereo: bool,
    sub: float = 0.0,
) -> Audio:
    """Detuned saws read from one band-limited table; voices alternate left/right for width."""
    t = _time(length)
    f0 = _midi_hz(root)
    table = _saw_table(f0 * 2 ** (max(cents) / 1200), cutoff)
    starts = np.random.RandomState(seed).uniform(0, 1, len(cents))
    left = np.zeros(len(t))
    right = np.zeros(len(t))
    for index, (detune, start) in enumerate(zip(cents, starts, strict=True)):
        voice = _read_table(table, f0 * 2 ** (detune / 1200), len(t), start)
        if not stereo or index % 2 == 0:
            left += voice
        if not stereo or index % 2 == 1 or index == 0:
            right += voice
    if sub:
        left += sub * np.sin(2 * np.pi * f0 / 2 * t)
        right += sub * np.sin(2 * np.pi * f0 / 2 * t)
    envelope = _attack(t, attack) * _release(t, release)
    if stereo:
        return np.stack([left * envelope, right * envelope], axis=1)
    return left * envelope


def epiano(root: int) -> Audio:
    """Two-operator FM (the DX7 electric-piano recipe) plus a short high "tine"."""
    t = _time(2.5)
    f0 = _midi_hz(root)
    index = 1.4 * _decay(t, 0.35) + 0.2
    tone = np.sin(2 * np.pi * f0 * t + index * np.sin(2 * np.pi * f0 * t))
    tine = 0.18 * np.sin(2 * np.pi * f0 * 14 * t) * _decay(t, 0.04)
    return (tone + tine) * _attack(t, 0.002) * _decay(t, 0.9)


def vowel(root: int, formants: tuple[tuple[float, float, float], ...], seed: int) -> Audio:
    """A sung vowel: glottal harmonics shaped by formant bells, with a gentle vibrato."""
    t = _time(1.2)
    f0 = _midi_hz(root)
    vibrato = 1 + 0.008 * np.sin(2 * np.pi * 5.5 * t) * np.clip((t - 0.15) / 0.3, 0, 1)

    def amplitude(k: int, frequency: float) -> float:
        shape = sum(g * math.exp(-0.5 * ((frequency - f) / bw) ** 2) for f, bw, g in formants)
        return (1 / k) * (0.05 + shape)

    voice = _additive(f0, t, amplitude, 60, phase_seed=seed, pitch_mod=vibrato)
    breath = 0.02 * _filter(_noise(len(t), seed), low=1500, high=6000)
    return (voice + breath) * _attack(t, 0.03) * _release(t, 0.25)


def riser(seed: int) -> Audio:
    t = _time(4.0)
    centre = 300 * (9000 / 300) ** (t / t[-1])
    noise = _moving_filter(_noise(len(t), seed), centre, 0.35)
    tone = 0.15 * _sweep(200 * 6 ** (t / t[-1]))
    return (noise / max(np.abs(noise).max(), 1e-9) + tone) * (t / t[-1]) ** 2


def downlifter(seed: int) -> Audio:
    t = _time(3.0)
    centre = 9000 * (200 / 9000) ** (t / t[-1])
    noise = _moving_filter(_noise(len(t), seed), centre, 0.4)
    return noise * _decay(t, 0.9) * _attack(t, 0.01)


def sweep(seed: int) -> Audio:
    t = _time(2.0)
    shape = np.sin(np.pi * t / t[-1]) ** 2
    centre = 500 * 16**shape
    return _moving_filter(_noise(len(t), seed), centre, 0.3) * shape


def impact(seed: int) -> Audio:
    t = _time(3.0)
    boom = _sweep(35 + 25 * _decay(t, 0.3)) * _decay(t, 0.6)
    crack = _filter(_noise(len(t), seed), high=3000) * _decay(t, 0.12)
    tail = 0.25 * _filter(_noise(len(t), seed + 1), low=200, high=1500) * _decay(t, 0.9)
    return np.tanh(1.5 * (boom + 0.6 * crack + tail))


def sub_drop() -> Audio:
    t = _time(2.0)
    return _sweep(30 + 60 * _decay(t, 0.45)) * _decay(t, 0.8) * _attack(t, 0.004)


def reverse_cymbal(seed: int) -> Audio:
    return cymbal(2.0, 0.6, 4000, 1.31, 0.7, seed)[::-1].copy()


# --- the kit -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class KitSound:
    name: str  # file stem without the prefix, e.g. "Kick_House"
    kind: str
    subtype: str | None
    styles: tuple[str, ...]
    root_note: int | None  # MIDI note it plays at (tuned sounds only)
    render: Callable[[], Audio]
    fade_in: float = 0.003  # seconds; drums use less to keep the transient

    @property
    def filename(self) -> str:
        return f"{PREFIX}{self.name}.wav"


AH = ((700.0, 110.0, 1.0), (1220.0, 120.0, 0.5), (2600.0, 160.0, 0.25))
OH = ((450.0, 90.0, 1.0), (800.0, 100.0, 0.6), (2830.0, 160.0, 0.15))

KIT: tuple[KitSound, ...] = (
    KitSound("Kick_House", "kick", None, CLUB, None,
             lambda: kick(52, 230, 0.03, 0.2, 0.5, 1.6, 0.3, 11), 0.001),
    KitSound("Kick_Techno", "kick", None, TECHNO, None,
             lambda: kick(46, 190, 0.04, 0.32, 0.7, 3.0, 0.2, 12), 0.001),
    KitSound("Kick_Trap", "kick", "808", URBAN + BREAKS, None,
             lambda: kick(48, 160, 0.05, 0.4, 0.9, 1.3, 0.25, 13), 0.001),
    KitSound("Snare_Tight", "snare", None, CLUB + TECHNO + BREAKS, None,
             lambda: snare(185, 0.05, 0.11, 0.35, 1200, 0.8, 21), 0.001),
    KitSound("Snare_Trap", "snare", None, URBAN, None,
             lambda: snare(205, 0.06, 0.16, 0.45, 900, 1.0, 22), 0.001),
    KitSound("Clap_House", "clap", None, CLUB + TECHNO, None,
             lambda: clap(4, 0.009, 0.12, 700, 4000, 31), 0.001),
    KitSound("Clap_Trap", "clap", None, URBAN + BREAKS, None,
             lambda: clap(5, 0.007, 0.16, 1000, 7500, 32), 0.001),
    KitSound("Hat_Closed_Tight", "closed_hat", None, ALL, None,
             lambda: hat(0.15, 0.025, 7000, 1.0, 41), 0.001),
    KitSound("Hat_Closed_Bright", "closed_hat", None, ALL, None,
             lambda: hat(0.2, 0.04, 8500, 1.21, 42), 0.001),
    KitSound("Hat_Open", "open_hat", None, ALL, None,
             lambda: hat(0.7, 0.22, 6500, 1.0, 43), 0.001),
    KitSound("Cymbal_Crash", "cymbal", "crash", ALL, None,
             lambda: cymbal(2.5, 0.8, 3500, 1.3, 0.8, 51), 0.001),
    KitSound("Cymbal_Ride", "cymbal", "ride", ALL, None,
             lambda: cymbal(2.0, 0.9, 2500, 1.9, 0.2, 52), 0.001),
    KitSound("Perc_Rim", "perc", "rim", ALL, None, lambda: rim(61), 0.001),
    KitSound("Perc_Shaker", "perc", "shaker", ALL, None, lambda: shaker(62), 0.001),
    KitSound("Perc_Conga", "perc", "conga", ALL, None,
             lambda: drum_tone(210, 270, 0.16, 0.5, 63), 0.001),
    KitSound("Perc_Tom", "perc", "tom", ALL, None,
             lambda: drum_tone(105, 180, 0.3, 0.7, 64), 0.001),
    KitSound("808_Bass_C1", "808", None, URBAN, 36, lambda: bass_808(36)),
    KitSound("Bass_Saw_C2", "bass", None, CLUB + TECHNO + BREAKS, 48,
             lambda: bass_synth(48, square=False)),
    KitSound("Bass_Square_C2", "bass", None, ALL, 48, lambda: bass_synth(48, square=True)),
    KitSound("Lead_Pluck_C3", "lead", "pluck", ALL, 60, lambda: pluck(60)),
    KitSound("Lead_Saw_C3", "lead", None, CLUB + TECHNO, 60,
             lambda: saw_stack(60, (-9.0, 0.0, 9.0), 5000, 2.0, 0.005, 0.3, 71, False)),
    KitSound("Keys_EPiano_C3", "keys", None, ALL, 60, lambda: epiano(60)),
    KitSound("Pad_Warm_C3", "pad", None, ALL, 60,
             lambda: saw_stack(60, (-18.0, -11.0, -5.0, 0.0, 5.0, 11.0, 18.0), 2500, 6.0, 0.8,
                               1.5, 81, True)),
    KitSound("Pad_Dark_C3", "pad", None, TECHNO + URBAN, 60,
             lambda: saw_stack(60, (-12.0, -4.0, 4.0, 12.0), 900, 6.0, 1.2, 1.5, 82, True,
                               sub=0.6)),
    KitSound("Vox_Ah_G3", "vocal", "chop", ALL, 67, lambda: vowel(67, AH, 91)),
    KitSound("Vox_Oh_G3", "vocal", "chop", ALL, 67, lambda: vowel(67, OH, 92)),
    KitSound("FX_Riser", "fx", "riser", ALL, None, lambda: riser(101)),
    KitSound("FX_Downlifter", "fx", "downlifter", ALL, None, lambda: downlifter(102)),
    KitSound("FX_Sweep", "fx", "sweep", ALL, None, lambda: sweep(103)),
    KitSound("FX_Impact", "fx", "impact", ALL, None, lambda: impact(104), 0.001),
    KitSound("FX_Sub_Drop", "fx", "sub_drop", ALL, None, sub_drop),
    KitSound("FX_Reverse_Cymbal", "fx", "reverse_cymbal", ALL, None,
             lambda: reverse_cymbal(105)),
)  # fmt: skip
KIT_BY_NAME: dict[str, KitSound] = {sound.name: sound for sound in KIT}


# --- finishing and writing -----------------------------------------------------------------------


def finish(audio: Audio, fade_in: float, fade_out: float = 0.01) -> Audio:
    """High-pass at 20 Hz (no DC), fade in and out (no clicks), normalise to -1 dBFS."""
    channels = audio.reshape(len(audio), -1).T.copy()
    count = channels.shape[1]
    fade_in_n = max(2, round(fade_in * RATE))
    fade_out_n = max(2, round(fade_out * RATE))
    ramp_in = 0.5 - 0.5 * np.cos(np.pi * np.arange(fade_in_n) / fade_in_n)
    ramp_out = 0.5 - 0.5 * np.cos(np.pi * np.arange(fade_out_n, 0, -1) / fade_out_n)
    for index in range(len(channels)):
        channel = _filter(channels[index], low=20.0, order=2)
        channel -= channel.mean()
        channel[:fade_in_n] *= ramp_in
        channel[count - fade_out_n :] *= ramp_out
        channel[-1] = 0.0
        channels[index] = channel
    peak = np.abs(channels).max()
    if peak > 0:
        channels *= PEAK / peak
    return channels.T if channels.shape[0] > 1 else channels[0]


def pcm24(audio: Audio) -> bytes:
    """Interleaved little-endian 24-bit PCM (rounded, clipped to the 24-bit range)."""
    scaled = np.clip(np.round(audio * 8_388_607.0), -8_388_608, 8_388_607).astype("<i4")
    raw = scaled.reshape(-1).view(np.uint8).reshape(-1, 4)[:, :3]
    return raw.tobytes()


def _chunk(chunk_id: bytes, body: bytes) -> bytes:
    return chunk_id + struct.pack("<I", len(body)) + body + (b"\x00" if len(body) % 2 else b"")


def wav_bytes(audio: Audio, root_note: int | None, rate: int = RATE) -> bytes:
    """A 24-bit WAV with an ``acid`` chunk (one-shot) and, when tuned, a ``smpl`` chunk whose
    MIDI unity note tells a sampler which note the file plays."""
    channels = 1 if audio.ndim == 1 else audio.shape[1]
    data = pcm24(audio)
    fmt = struct.pack("<HHIIHH", 1, channels, rate, rate * channels * 3, channels * 3, 24)
    flags = 0x01 | (0x02 if root_note is not None else 0)
    acid = struct.pack("<IHHfIHHf", flags, root_note or 60, 0x8000, 0.0, 0, 4, 4, 0.0)
    chunks = _chunk(b"fmt ", fmt) + _chunk(b"acid", acid)
    if root_note is not None:
        period = round(1e9 / rate)
        chunks += _chunk(b"smpl", struct.pack("<9I", 0, 0, period, root_note, 0, 0, 0, 0, 0))
    chunks += _chunk(b"data", data)
    return b"RIFF" + struct.pack("<I", 4 + len(chunks)) + b"WAVE" + chunks


def render(sound: KitSound) -> Audio:
    return finish(np.asarray(sound.render(), dtype=np.float64), sound.fade_in)


def sound_bytes(sound: KitSound) -> bytes:
    return wav_bytes(render(sound), sound.root_note)


def _read_manifest(folder: Path) -> dict:
    try:
        return json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _up_to_date(folder: Path, manifest: dict) -> bool:
    if manifest.get("version") != KIT_VERSION:
        return False
    files = manifest.get("files", {})
    if set(files) != {sound.filename for sound in KIT}:
        return False
    for name, entry in files.items():
        try:
            if (folder / name).stat().st_size != entry.get("size"):
                return False
        except OSError:
            return False
    return True


def ensure_kit(folder: str | Path) -> list[Path]:
    """Render the kit into ``folder`` unless this version is already there; return its files.

    Idempotent and cheap when up to date (one manifest read and a stat per file). Files left by an
    older kit version that this one no longer has are removed; nothing else in the folder is.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    manifest = _read_manifest(folder)
    paths = [folder / sound.filename for sound in KIT]
    if _up_to_date(folder, manifest):
        return paths
    entries: dict[str, dict] = {}
    for sound, path in zip(KIT, paths, strict=True):
        data = sound_bytes(sound)
        atomic_write_bytes(path, data)
        entries[sound.filename] = {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    for old in set(manifest.get("files", {})) - set(entries):
        if "/" not in old and "\\" not in old and old.startswith(PREFIX):
            (folder / old).unlink(missing_ok=True)
    body = {"version": KIT_VERSION, "rate": RATE, "files": entries}
    atomic_write_bytes(folder / MANIFEST, json.dumps(body, indent=1, sort_keys=True).encode())
    return paths
