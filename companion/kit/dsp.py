"""Signal building blocks for the built-in kit: oscillators, envelopes, filters, noise, space.

Everything is vectorised numpy (a Python loop per sample would take minutes for the palette) and
deterministic: noise comes from seeded ``RandomState`` streams, whose output NumPy's compatibility
policy freezes, and nothing reads the clock or the platform. Oscillators are band-limited (no
harmonic above ``HARMONIC_CAP``) so a sample pitched up half an octave in Simpler still does not
alias. Audio is float64, shape ``(n,)`` mono or ``(n, 2)`` stereo.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from companion.lazy import LazyModule

if TYPE_CHECKING:
    import numpy as np
else:
    np = LazyModule("numpy")

RATE = 44_100
HARMONIC_CAP = 15_000.0  # Hz: +6 semitones in Simpler still stays below Nyquist


# --- time, noise, envelopes ----------------------------------------------------------------------


def time(seconds: float) -> np.ndarray:
    return np.arange(round(seconds * RATE)) / RATE


def midi_hz(note: float) -> float:
    return 440.0 * 2 ** ((note - 69) / 12)


def noise(count: int, seed: int) -> np.ndarray:
    """White noise in -1..1 (RandomState: the same seed gives the same noise on every machine)."""
    return np.random.RandomState(seed).uniform(-1.0, 1.0, count)


def decay(t: np.ndarray, tau: float) -> np.ndarray:
    return np.exp(-t / tau)


def attack(t: np.ndarray, seconds: float) -> np.ndarray:
    """Raised-cosine rise from 0 to 1 over ``seconds`` (no click, no corner)."""
    if seconds <= 0:
        return np.ones_like(t)
    ramp = np.clip(t / seconds, 0.0, 1.0)
    return 0.5 - 0.5 * np.cos(np.pi * ramp)


def adsr(t: np.ndarray, attack_s: float, decay_tau: float, sustain: float) -> np.ndarray:
    """Attack, then an exponential fall onto ``sustain`` that the sound holds (the part a sustain
    loop repeats)."""
    rise = attack(t, attack_s)
    after = np.maximum(t - attack_s, 0.0)
    return rise * (sustain + (1.0 - sustain) * np.exp(-after / max(decay_tau, 1e-4)))


def tail(t: np.ndarray, seconds: float) -> np.ndarray:
    """A fade to silence over the last ``seconds`` (one-shots that end on their own)."""
    remaining = t[-1] - t
    return np.clip(remaining / seconds, 0.0, 1.0) ** 2


def loop_rate(rate_hz: float, loop_seconds: float) -> float:
    """An LFO rate with a whole number of cycles in the loop, so the loop seam keeps its phase."""
    cycles = max(1, round(rate_hz * loop_seconds))
    return cycles / loop_seconds


# --- oscillators ---------------------------------------------------------------------------------


def sweep(frequency: np.ndarray, phase: float = 0.0) -> np.ndarray:
    """A sine following a per-sample frequency curve (phase-continuous)."""
    return np.sin(phase + 2 * np.pi * np.cumsum(frequency) / RATE)


def harmonic_amplitudes(shape: str, count: int) -> np.ndarray:
    """Amplitudes of harmonics 1..count for a classic waveform."""
    k = np.arange(1, count + 1, dtype=float)
    if shape == "saw":
        return 1.0 / k
    if shape == "square":
        return np.where(k % 2 == 1, 1.0 / k, 0.0)
    if shape == "pulse":  # 25% pulse: a hollow, nasal square
        return np.abs(np.sin(np.pi * k * 0.25)) / k
    if shape == "triangle":
        signs = np.where((k - 1) % 4 == 0, 1.0, -1.0)
        return np.where(k % 2 == 1, signs / k**2, 0.0)
    if shape == "sine":
        return (k == 1).astype(float)
    raise ValueError(f"unknown waveform {shape!r}")


def wavetable(amplitudes: np.ndarray, size: int = 4096) -> np.ndarray:
    """One cycle holding the given harmonic amplitudes (sine phase), built with one inverse FFT."""
    count = min(len(amplitudes), size // 2 - 1)
    spectrum = np.zeros(size // 2 + 1, dtype=complex)
    spectrum[1 : count + 1] = -0.5j * size * amplitudes[:count]
    return np.fft.irfft(spectrum, size)


def band_limited(shape: str, f0: float, cap: float = HARMONIC_CAP) -> np.ndarray:
    """A cycle of ``shape`` at ``f0`` with no harmonic above ``cap``."""
    count = max(1, int(cap // max(f0, 1.0)))
    return wavetable(harmonic_amplitudes(shape, count))


def read(
    table: np.ndarray, frequency: float | np.ndarray, count: int, start: float = 0.0
) -> np.ndarray:
    """Play a cycle table at ``frequency`` (Hz, a number or a per-sample curve), linearly
    interpolated, starting at phase ``start`` (0..1)."""
    size = len(table)
    if np.ndim(frequency) == 0:
        phase = start + np.arange(count) * (float(frequency) / RATE)
    else:
        phase = start + np.cumsum(frequency) / RATE
    position = (phase % 1.0) * size
    low = position.astype(np.int64)
    frac = position - low
    return table[low] + (table[(low + 1) % size] - table[low]) * frac


def unison(
    shape: str,
    f0: float,
    count: int,
    cents: tuple[float, ...],
    seed: int,
    stereo: bool,
    vibrato: np.ndarray | None = None,
) -> np.ndarray:
    """Detuned copies of one band-limited waveform (supersaws, strings, reese), alternating
    left and right for width; random start phases keep them from adding up as one."""
    table = band_limited(shape, f0 * 2 ** (max(cents, default=0) / 1200))
    starts = np.random.RandomState(seed).uniform(0, 1, len(cents))
    left = np.zeros(count)
    right = np.zeros(count)
    for index, (detune, start) in enumerate(zip(cents, starts, strict=True)):
        frequency = f0 * 2 ** (detune / 1200)
        voice = read(table, frequency if vibrato is None else frequency * vibrato, count, start)
        if not stereo or index % 2 == 0 or len(cents) == 1:
            left += voice
        if not stereo or index % 2 == 1 or len(cents) == 1:
            right += voice
    if stereo:
        return np.stack([left, right], axis=1) / max(1, len(cents) / 2)
    return left / max(1.0, math.sqrt(len(cents)))


def cycles(table: np.ndarray, phase: np.ndarray) -> np.ndarray:
    """Read a cycle table at a phase given in cycles (any real numbers), interpolated."""
    size = len(table)
    position = (phase % 1.0) * size
    low = position.astype(np.int64)
    return table[low] + (table[(low + 1) % size] - table[low]) * (position - low)


def partials(
    t: np.ndarray,
    f0: float,
    ratios: np.ndarray,
    levels: np.ndarray,
    taus: np.ndarray | None = None,
    seed: int | None = None,
    floor: float | np.ndarray = 0.0,
) -> np.ndarray:
    """A sum of sine partials at ``ratios`` × f0 with ``levels``; with decay times ``taus`` each
    falls from its level onto ``floor`` × level (pianos, bells, plucked strings). Partials above
    the cap are left out; one that dies away is only computed while audible. Steady harmonic
    partials (organs, voices) are read from one cycle table instead."""
    levels = np.asarray(levels, dtype=float)
    ratios = np.asarray(ratios, dtype=float)
    audible = (f0 * ratios < HARMONIC_CAP) & (levels != 0)
    ratios, levels = ratios[audible], levels[audible]
    if taus is not None:
        taus = np.asarray(taus, dtype=float)[audible]
    floors = np.broadcast_to(np.asarray(floor, dtype=float), audible.shape)[audible]
    phases = (
        np.random.RandomState(seed).uniform(0, 1, len(ratios))
        if seed is not None
        else np.zeros(len(ratios))
    )
    harmonic = np.all(np.abs(ratios - np.round(ratios)) < 1e-9) and np.all(ratios >= 1)
    if taus is None and harmonic and len(ratios):
        table = np.zeros(4096)
        for ratio, level, phase in zip(ratios, levels, phases, strict=True):
            k = round(ratio)
            table += level * np.sin(2 * np.pi * (k * np.arange(4096) / 4096 + phase))
        return cycles(table, f0 * t)
    out = np.zeros(len(t))
    for index, (ratio, level) in enumerate(zip(ratios, levels, strict=True)):
        angle = 2 * np.pi * (f0 * ratio * t + phases[index])
        if taus is None:
            out += level * np.sin(angle)
            continue
        tau = float(taus[index])
        held = float(floors[index])
        if held > 0:
            out += level * (held + (1 - held) * np.exp(-t / tau)) * np.sin(angle)
            continue
        span = min(len(t), int(tau * 9.2 * RATE) + 1)  # until it is 80 dB down
        out[:span] += level * np.exp(-t[:span] / tau) * np.sin(angle[:span])
    return out


def fm(
    t: np.ndarray,
    carrier: float,
    modulator: float,
    index: np.ndarray | float,
    feedback_phase: float = 0.0,
) -> np.ndarray:
    """Two-operator phase modulation (the DX7 recipe): bells, electric pianos, FM basses."""
    return np.sin(
        2 * np.pi * carrier * t + index * np.sin(2 * np.pi * modulator * t + feedback_phase)
    )


# --- filters -------------------------------------------------------------------------------------


def lowpass_gain(freqs: np.ndarray, cutoff, order: int = 2, resonance: float = 0.0):
    """Magnitude of a Butterworth-like low-pass with an optional resonant bump at the cutoff."""
    ratio = freqs / cutoff
    gain = 1.0 / np.sqrt(1.0 + ratio ** (2 * order))
    if resonance:
        gain = gain * (
            1.0 + resonance * np.exp(-0.5 * (np.log2(np.maximum(ratio, 1e-6)) / 0.18) ** 2)
        )
    return gain


def fast_size(n: int) -> int:
    """The smallest 2^a·3^b·5^c ≥ n: FFT lengths with large prime factors are slow."""
    best = 1 << max(0, (n - 1).bit_length())
    five = 1
    while five < best:
        three = five
        while three < best:
            size = three
            while size < n:
                size *= 2
            best = min(best, size)
            three *= 3
        five *= 5
    return best


def filtered(
    x: np.ndarray,
    low: float | None = None,
    high: float | None = None,
    order: int = 2,
    resonance: float = 0.0,
) -> np.ndarray:
    """Zero-phase static high-pass (``low``) and/or low-pass (``high``) in the frequency domain,
    padded so nothing wraps around; works on mono and stereo."""
    pad = 4096
    stereo = x.ndim == 2
    size = fast_size(len(x) + 2 * pad)
    padded = np.concatenate(
        [np.zeros((pad, *x.shape[1:])), x, np.zeros((size - pad - len(x), *x.shape[1:]))]
    )
    spectrum = np.fft.rfft(padded, axis=0)
    freqs = np.fft.rfftfreq(len(padded), 1 / RATE)
    gain = np.ones_like(freqs)
    if high is not None:
        gain = gain * lowpass_gain(freqs, high, order, resonance)
    if low is not None:
        ratio = np.where(freqs > 0, freqs / low, 0.0)
        gain = gain * ratio**order / np.sqrt(1 + ratio ** (2 * order))
    if stereo:
        gain = gain[:, None]
    return np.fft.irfft(spectrum * gain, n=len(padded), axis=0)[pad : pad + len(x)]


def _frames(x: np.ndarray, size: int, hop: int) -> tuple[np.ndarray, int]:
    padded = np.concatenate([np.zeros(size), x, np.zeros(size + hop)])
    count = (len(padded) - size) // hop
    index = np.arange(size)[None, :] + hop * np.arange(count)[:, None]
    return padded[index], count


def _overlap_add(frames: np.ndarray, hop: int, length: int, size: int) -> np.ndarray:
    count = len(frames)
    out = np.zeros(hop * (count - 1) + size)
    for offset in range(size // hop):  # size / hop shifted sums instead of a loop per frame
        block = frames[:, offset * hop : (offset + 1) * hop].reshape(-1)
        out[offset * hop : offset * hop + len(block)] += block
    return out[size : size + length]


def moving(x: np.ndarray, gain_at, size: int = 1024) -> np.ndarray:
    """A filter whose magnitude response changes over time: short windowed frames, each shaped
    by ``gain_at(freqs, frame_times)`` (→ frames × bins), overlap-added. Filter envelopes, acid
    sweeps and wobbles without a per-sample loop."""
    if x.ndim == 2:
        return np.stack([moving(x[:, c], gain_at, size) for c in range(x.shape[1])], axis=1)
    hop = size // 4
    window = np.hanning(size + 1)[:-1]
    frames, count = _frames(x, size, hop)
    spectrum = np.fft.rfft(frames * window, axis=1)
    freqs = np.fft.rfftfreq(size, 1 / RATE)
    centres = (np.arange(count) * hop + size / 2 - size) / RATE  # frame centre, seconds
    shaped = np.fft.irfft(spectrum * gain_at(freqs[None, :], centres[:, None]), n=size, axis=1)
    return _overlap_add(shaped * window, hop, len(x), size) / 1.5  # Hann² at 1/4 hop sums to 1.5


def swept_lowpass(
    x: np.ndarray,
    cutoff_at,
    resonance: float = 0.0,
    order: int = 2,
) -> np.ndarray:
    """A resonant low-pass whose cutoff follows ``cutoff_at(seconds)`` (Hz)."""

    def gain(freqs, times):
        return lowpass_gain(freqs, np.clip(cutoff_at(times), 20.0, 20_000.0), order, resonance)

    return moving(x, gain)


def band_sweep(x: np.ndarray, centre: np.ndarray, width_octaves: float) -> np.ndarray:
    """A band-pass whose centre (Hz per sample) moves: risers, downlifters, sweeps."""
    rate_index = np.arange(len(centre))

    def gain(freqs, times):
        sample = np.clip((times * RATE).astype(np.int64), 0, len(centre) - 1)
        f0 = centre[rate_index[sample]]
        octaves = np.log2(np.maximum(freqs, 1.0) / f0)
        return np.exp(-0.5 * (octaves / width_octaves) ** 2)

    return moving(x, gain, size=2048)


# --- colour and space ----------------------------------------------------------------------------


def drive(x: np.ndarray, amount: float) -> np.ndarray:
    """Soft saturation (tanh), level-matched so the peak stays where it was."""
    if amount <= 0:
        return x
    return np.tanh(amount * x) / math.tanh(amount)


def chorus(x: np.ndarray, depth_ms: float, rate_hz: float, mix: float = 0.5) -> np.ndarray:
    """A stereo chorus: the signal plus copies read from a slowly moving delay, the two sides in
    opposite phase (Juno-style width)."""
    mono = x if x.ndim == 1 else x.mean(axis=1)
    n = len(mono)
    index = np.arange(n, dtype=float)
    lfo = np.sin(2 * np.pi * rate_hz * index / RATE)
    base = (depth_ms * 1.5) * RATE / 1000
    swing = depth_ms * RATE / 1000
    left = np.interp(index - (base + swing * lfo), index, mono, left=0.0)
    right = np.interp(index - (base - swing * lfo), index, mono, left=0.0)
    dry = np.stack([mono, mono], axis=1) if x.ndim == 1 else x
    return dry * (1 - mix) + np.stack([left, right], axis=1) * mix


def room(x: np.ndarray, seconds: float, level: float, seed: int, bright: float = 6000.0):
    """A short diffuse tail (convolution with decaying filtered noise, decorrelated per side):
    the room on a snare, the space around a pad."""
    length = int(seconds * RATE)
    t = np.arange(length) / RATE
    mono = x if x.ndim == 1 else x.mean(axis=1)
    out = []
    for side in range(2):
        response = filtered(noise(length, seed + side), high=bright) * np.exp(-t / (seconds / 6.9))
        response[: int(0.004 * RATE)] *= np.linspace(0, 1, int(0.004 * RATE))
        size = fast_size(len(mono) + length)
        wet = np.fft.irfft(np.fft.rfft(mono, size) * np.fft.rfft(response, size), size)
        out.append(wet[: len(mono)] / math.sqrt(np.sum(response**2) + 1e-12))
    dry = np.stack([mono, mono], axis=1) if x.ndim == 1 else x
    return dry + level * np.stack(out, axis=1)


def to_mono(x: np.ndarray) -> np.ndarray:
    return x if x.ndim == 1 else x.mean(axis=1)
