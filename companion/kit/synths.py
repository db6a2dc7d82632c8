"""Melodic instrument recipes: one note of an instrument at a given root, ready to loop.

Four engines cover the palette: a subtractive synth (stacked band-limited waveforms through a
resonant low-pass with its own envelope: supersaws, pads, strings, brass, plucks, acid, reese,
poly synths), two-operator FM (electric pianos, bells, FM basses, glassy stabs), additive partials
(pianos, organs, plucked strings, mallets, flutes) and a formant voice. Every recipe returns the
note and the moment from which it no longer changes (attack, filter and decay settled, LFOs on a
whole number of cycles per loop): :mod:`companion.kit.loops` puts the sustain loop after it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from companion.kit import dsp
from companion.kit.dsp import RATE
from companion.lazy import LazyModule

if TYPE_CHECKING:
    import numpy as np
else:
    np = LazyModule("numpy")


@dataclass(frozen=True, slots=True)
class Note:
    audio: np.ndarray
    sustain_from: float  # seconds: from here on the sound is steady and may loop


def _settle(tau: float, amount: float = 1.0) -> float:
    """Time for an exponential of time constant ``tau`` to fall below 3% of full scale (what is
    left, a fraction of a dB over the loop, the baked crossfade smooths)."""
    return 0.0 if tau <= 0 or amount <= 0.03 else tau * math.log(amount / 0.03)


# --- subtractive ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Layer:
    shape: str = "saw"
    level: float = 1.0
    semitones: float = 0.0  # interval above the note (-12 an octave down, 7 a fifth)
    cents: tuple[float, ...] = (0.0,)  # unison voices


@dataclass(frozen=True, slots=True)
class Synth:
    layers: tuple[Layer, ...] = (Layer(),)
    stereo: bool = False
    cutoff: float = 4000.0  # Hz at middle C while sustaining
    keytrack: float = 0.5  # 1: the cutoff follows the note fully
    env_octaves: float = 0.0  # how far above the cutoff the filter opens at the hit
    env_tau: float = 0.2
    resonance: float = 0.0
    attack: float = 0.004
    decay_tau: float = 0.3
    sustain: float = 1.0
    vibrato_cents: float = 0.0
    vibrato_hz: float = 5.0
    vibrato_delay: float = 0.25
    chorus: float = 0.0  # mix of a Juno-style chorus (makes it stereo)
    noise: float = 0.0  # breath/air: high band noise
    noise_band: tuple[float, float] = (3000.0, 12000.0)
    sub: float = 0.0  # a sine an octave below
    drive: float = 0.0
    wobble_hz: float = 0.0  # a filter LFO (growls)
    wobble_octaves: float = 0.0
    highpass: float | None = None
    loop: float = 0.6  # seconds of sustain loop
    seed: int = 1


def synth(spec: Synth, root: int) -> Note:
    f0 = dsp.midi_hz(root)
    vibrato_hz = dsp.loop_rate(spec.vibrato_hz, spec.loop) if spec.vibrato_cents else 0.0
    wobble_hz = dsp.loop_rate(spec.wobble_hz, spec.loop) if spec.wobble_hz else 0.0
    settle = max(
        spec.attack + (_settle(spec.decay_tau, 1 - spec.sustain) if spec.sustain < 1 else 0.0),
        _settle(spec.env_tau, spec.env_octaves),
        spec.vibrato_delay + 0.3 if spec.vibrato_cents else 0.0,
        0.05,
    )
    length = settle + spec.loop + 0.12
    t = dsp.time(length)
    n = len(t)
    vibrato = None
    if spec.vibrato_cents:
        depth = spec.vibrato_cents * np.clip((t - spec.vibrato_delay) / 0.3, 0.0, 1.0)
        vibrato = 2 ** (depth * np.sin(2 * np.pi * vibrato_hz * t) / 1200)
    stereo = spec.stereo or spec.chorus > 0
    out = np.zeros((n, 2)) if stereo else np.zeros(n)
    for index, layer in enumerate(spec.layers):
        frequency = f0 * 2 ** (layer.semitones / 12)
        voice = dsp.unison(
            layer.shape, frequency, n, layer.cents, spec.seed + index, spec.stereo, vibrato
        )
        if stereo and voice.ndim == 1:
            voice = np.stack([voice, voice], axis=1)
        out = out + layer.level * voice
    if spec.sub:
        sub = spec.sub * np.sin(2 * np.pi * f0 / 2 * t)
        out = out + (sub[:, None] if stereo else sub)
    if spec.noise:
        air = dsp.filtered(
            dsp.noise(n, spec.seed + 99), low=spec.noise_band[0], high=spec.noise_band[1]
        )
        if stereo:
            other = dsp.filtered(
                dsp.noise(n, spec.seed + 98), low=spec.noise_band[0], high=spec.noise_band[1]
            )
            air = np.stack([air, other], axis=1)
        out = out + spec.noise * air
    cutoff = spec.cutoff * (f0 / 261.63) ** spec.keytrack
    if spec.env_octaves or spec.wobble_hz:

        def cutoff_at(times):
            octaves = spec.env_octaves * np.exp(-np.maximum(times, 0.0) / spec.env_tau)
            if wobble_hz:
                octaves = octaves + spec.wobble_octaves * 0.5 * (
                    1 - np.cos(2 * np.pi * wobble_hz * times)
                )
            return cutoff * 2**octaves

        out = dsp.swept_lowpass(out, cutoff_at, spec.resonance)
    elif cutoff < 18000:
        out = dsp.filtered(out, high=cutoff, resonance=spec.resonance)
    if spec.highpass:
        out = dsp.filtered(out, low=spec.highpass)
    out = dsp.drive(out, spec.drive)
    if spec.chorus:
        out = dsp.chorus(out, 2.5, dsp.loop_rate(0.8, spec.loop), spec.chorus)
    envelope = dsp.adsr(t, spec.attack, spec.decay_tau, spec.sustain)
    return Note(out * (envelope[:, None] if out.ndim == 2 else envelope), settle)


# --- FM ------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FM:
    ratio: float = 1.0  # modulator : carrier
    index: float = 1.5  # modulation index at the hit
    index_sustain: float = 0.3  # …and while held
    index_tau: float = 0.3
    decay_tau: float = 0.9
    sustain: float = 0.25
    attack: float = 0.002
    tine: float = 0.0  # a high, fast-dying partial (Rhodes tines, mallet clicks)
    tine_ratio: float = 14.0
    bell: float = 0.0  # a second, inharmonic carrier pair (bells, glass)
    bell_ratio: float = 3.5
    tremolo: float = 0.0  # depth of a stereo auto-pan (Rhodes suitcase)
    tremolo_hz: float = 4.5
    sub: float = 0.0
    drive: float = 0.0
    lowpass: float | None = None
    wow: float = 0.0  # cents of slow pitch wobble (tape, lo-fi)
    chorus: float = 0.0
    loop: float = 0.6
    seed: int = 1


def fm(spec: FM, root: int) -> Note:
    f0 = dsp.midi_hz(root)
    settle = max(
        spec.attack + _settle(spec.decay_tau, 1 - spec.sustain),
        _settle(spec.index_tau, spec.index - spec.index_sustain),
        _settle(0.05, spec.tine) if spec.tine else 0.0,
        0.05,
    )
    settle = min(settle, 1.5)  # a very slow decay is close enough to steady after 1.5 s
    t = dsp.time(settle + spec.loop + 0.12)
    index = spec.index_sustain + (spec.index - spec.index_sustain) * dsp.decay(t, spec.index_tau)
    if spec.wow:
        wow = 2 ** (spec.wow * np.sin(2 * np.pi * dsp.loop_rate(0.6, spec.loop) * t) / 1200)
        phase_t = np.cumsum(wow) / RATE
    else:
        phase_t = t
    modulator = f0 * spec.ratio
    # Keep the sidebands under the cap: a lower index on high notes, as a DX7's scaling does.
    limit = max(0.2, (dsp.HARMONIC_CAP / modulator - 1.0) / 2.0)
    index = np.minimum(index, limit)
    out = np.sin(2 * np.pi * f0 * phase_t + index * np.sin(2 * np.pi * modulator * phase_t))
    if spec.bell:
        bell_index = 0.5 * index
        carrier = f0 * 2.0
        if carrier * spec.bell_ratio < dsp.HARMONIC_CAP:
            out = out + spec.bell * np.sin(
                2 * np.pi * carrier * phase_t
                + bell_index * np.sin(2 * np.pi * carrier * spec.bell_ratio * phase_t)
            )
    if spec.tine and f0 * spec.tine_ratio < dsp.HARMONIC_CAP:
        out = out + spec.tine * np.sin(2 * np.pi * f0 * spec.tine_ratio * t) * dsp.decay(t, 0.05)
    if spec.sub:
        out = out + spec.sub * np.sin(2 * np.pi * f0 / 2 * phase_t)
    out = out * dsp.adsr(t, spec.attack, spec.decay_tau, spec.sustain)
    out = dsp.drive(out, spec.drive)
    if spec.lowpass:
        out = dsp.filtered(out, high=spec.lowpass)
    if spec.tremolo:
        pan = spec.tremolo * np.sin(2 * np.pi * dsp.loop_rate(spec.tremolo_hz, spec.loop) * t)
        out = np.stack([out * (1 - pan), out * (1 + pan)], axis=1)
    if spec.chorus:
        out = dsp.chorus(out, 2.0, dsp.loop_rate(0.7, spec.loop), spec.chorus)
    return Note(out, settle)


# --- additive ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Partials:
    """Sine partials: ratio, level and decay per partial, falling onto a held ``floor``."""

    count: int = 24
    stretch: float = 0.0  # inharmonicity B (piano strings): f_n = n f0 sqrt(1 + B n²)
    tilt: float = 1.0  # level of partial n = 1 / n**tilt
    pluck_at: float | None = None  # pluck position (0..0.5): comb-shapes the levels
    odd_only: bool = False
    ratios: tuple[float, ...] = ()  # explicit ratios (mallets, bells, organs)
    levels: tuple[float, ...] = ()
    tau: float = 1.2  # decay of the first partial
    tau_fall: float = 0.3  # how much faster each higher partial dies
    floor: float = 0.15  # level held after the decay (so the note can loop)
    floor_tilt: float = 1.0  # higher partials hold less (a plucked string darkens as it rings)
    attack: float = 0.002
    thump: float = 0.0  # low noise knock (hammer, finger)
    thump_high: float = 800.0
    click: float = 0.0  # key click (organs)
    vibrato_cents: float = 0.0
    vibrato_hz: float = 5.5
    breath: float = 0.0  # band noise around the fundamental (flutes)
    leslie: float = 0.0  # rotary speaker depth (organs)
    leslie_hz: float = 6.0
    detune_cents: float = 0.0  # a second string slightly off (piano chorus)
    lowpass: float | None = None
    drive: float = 0.0
    loop: float = 0.6
    seed: int = 1


def _ratios_levels(spec: Partials) -> tuple[np.ndarray, np.ndarray]:
    if spec.ratios:
        return np.array(spec.ratios, float), np.array(spec.levels, float)
    n = np.arange(1, spec.count + 1, dtype=float)
    if spec.odd_only:
        n = n[n % 2 == 1]
    ratios = n * np.sqrt(1 + spec.stretch * n**2)
    levels = 1.0 / n**spec.tilt
    if spec.pluck_at is not None:
        levels = levels * np.abs(np.sin(np.pi * n * spec.pluck_at)) * 2
    return ratios, levels


def _strings(t, phase_t, f0, ratios, levels, taus, spec: Partials, seed_offset: int = 0):
    seed = spec.seed + seed_offset
    floors = spec.floor / np.arange(1, len(ratios) + 1) ** spec.floor_tilt
    if spec.ratios:
        floors = np.full(len(ratios), spec.floor)  # organs, mallets: every partial holds alike
    if phase_t is t:  # no vibrato: one sine per partial with its whole envelope
        return dsp.partials(t, f0, ratios, levels, taus, seed=seed, floor=floors)
    decaying = dsp.partials(t, f0, ratios, levels * (1 - floors), taus, seed=seed)
    return decaying + dsp.partials(phase_t, f0, ratios, levels * floors, None, seed=seed)


def partials(spec: Partials, root: int) -> Note:
    f0 = dsp.midi_hz(root)
    ratios, levels = _ratios_levels(spec)
    taus = spec.tau / (1 + spec.tau_fall * (np.arange(len(ratios))))
    settle = min(1.5, spec.attack + _settle(spec.tau, 1 - spec.floor))
    if spec.vibrato_cents:
        settle = max(settle, 0.6)
    t = dsp.time(settle + spec.loop + 0.12)
    n = len(t)
    vibrato_hz = dsp.loop_rate(spec.vibrato_hz, spec.loop)
    if spec.vibrato_cents:
        depth = spec.vibrato_cents * np.clip((t - 0.25) / 0.3, 0.0, 1.0)
        phase_t = np.cumsum(2 ** (depth * np.sin(2 * np.pi * vibrato_hz * t) / 1200)) / RATE
    else:
        phase_t = t
    # Each partial falls from its level onto floor × level: the steady part is periodic.
    out = _strings(t, phase_t, f0, ratios, levels, taus, spec)
    if spec.detune_cents:
        shifted = f0 * 2 ** (spec.detune_cents / 1200)
        out = 0.6 * out + 0.4 * _strings(t, phase_t, shifted, ratios, levels, taus, spec, 1)
    if spec.breath:
        band = dsp.filtered(dsp.noise(n, spec.seed + 7), low=f0 * 0.8, high=f0 * 4)
        out = out + spec.breath * band / (np.abs(band).max() + 1e-9) * np.abs(levels).max()
    out = out * dsp.attack(t, spec.attack)
    if spec.thump:
        knock = dsp.filtered(dsp.noise(n, spec.seed + 3), high=spec.thump_high) * dsp.decay(t, 0.01)
        out = out + spec.thump * knock
    if spec.click:
        click = dsp.filtered(dsp.noise(n, spec.seed + 5), low=2000) * dsp.decay(t, 0.004)
        out = out + spec.click * click
    if spec.lowpass:
        out = dsp.filtered(out, high=spec.lowpass)
    out = dsp.drive(out, spec.drive)
    if spec.leslie:
        rate = dsp.loop_rate(spec.leslie_hz, spec.loop)
        rotor = np.sin(2 * np.pi * rate * t)
        left = out * (1 + spec.leslie * rotor)
        right = out * (1 - spec.leslie * rotor)
        out = dsp.chorus(np.stack([left, right], axis=1), 0.8, rate, 0.35)
    return Note(out, settle)


# --- 808 and sub ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Boom:
    """A tuned 808: a sine falling an octave onto its note, saturated, decaying onto a hold."""

    drop_octaves: float = 1.0
    drop_tau: float = 0.025
    decay_tau: float = 0.6
    floor: float = 0.35
    drive: float = 2.2
    click: float = 0.0
    harmonics: float = 0.0  # a touch of 2nd/3rd harmonic so it reads on small speakers
    loop: float = 0.4
    seed: int = 1


def boom(spec: Boom, root: int) -> Note:
    f0 = dsp.midi_hz(root)
    settle = max(_settle(spec.decay_tau, 1 - spec.floor), _settle(spec.drop_tau, spec.drop_octaves))
    t = dsp.time(settle + spec.loop + 0.12)
    frequency = f0 * 2 ** (spec.drop_octaves * dsp.decay(t, spec.drop_tau))
    body = dsp.sweep(frequency)
    if spec.harmonics:
        body = body + spec.harmonics * (
            0.5 * dsp.sweep(2 * frequency) + 0.25 * dsp.sweep(3 * frequency)
        )
    envelope = dsp.attack(t, 0.002) * (spec.floor + (1 - spec.floor) * dsp.decay(t, spec.decay_tau))
    out = dsp.drive(body * envelope, spec.drive)
    if spec.click:
        out = out + spec.click * dsp.filtered(dsp.noise(len(t), spec.seed), low=1500) * dsp.decay(
            t, 0.003
        )
    return Note(out, settle)


# --- voice ---------------------------------------------------------------------------------------

AH = ((700.0, 110.0, 1.0), (1220.0, 120.0, 0.5), (2600.0, 160.0, 0.25))
OH = ((450.0, 90.0, 1.0), (800.0, 100.0, 0.6), (2830.0, 160.0, 0.15))
OO = ((325.0, 80.0, 1.0), (700.0, 90.0, 0.3), (2530.0, 160.0, 0.1))


@dataclass(frozen=True, slots=True)
class Voice:
    formants: tuple[tuple[float, float, float], ...] = AH
    vibrato_cents: float = 14.0
    breath: float = 0.02
    choir: int = 1  # voices (a choir pad)
    attack: float = 0.03
    loop: float = 0.8
    seed: int = 1


def voice(spec: Voice, root: int) -> Note:
    f0 = dsp.midi_hz(root)
    settle = max(0.6, spec.attack + 0.1)
    t = dsp.time(settle + spec.loop + 0.12)
    n = len(t)
    rate = dsp.loop_rate(5.5, spec.loop)
    harmonics = np.arange(1, int(dsp.HARMONIC_CAP // f0) + 1, dtype=float)
    frequencies = harmonics * f0
    shape = np.zeros_like(frequencies)
    for centre, width, gain in spec.formants:
        shape += gain * np.exp(-0.5 * ((frequencies - centre) / width) ** 2)
    levels = (1 / harmonics) * (0.05 + shape)
    out = np.zeros((n, 2)) if spec.choir > 1 else np.zeros(n)
    for member in range(spec.choir):
        detune = 2 ** ((member - (spec.choir - 1) / 2) * 7 / 1200)
        depth = spec.vibrato_cents * np.clip((t - 0.15) / 0.3, 0, 1)
        phase = np.random.RandomState(spec.seed + member).uniform(0, 1)
        vibrato = 2 ** (
            depth * np.sin(2 * np.pi * (rate * (1 + 0.0 * member)) * t + phase * 6.28) / 1200
        )
        phase_t = np.cumsum(vibrato * detune) / RATE
        sung = dsp.partials(phase_t, f0, harmonics, levels, None, seed=spec.seed + member)
        if spec.choir > 1:
            side = member % 2
            out[:, side] += sung
            out[:, 1 - side] += 0.5 * sung
        else:
            out = out + sung
    breath = spec.breath * dsp.filtered(dsp.noise(n, spec.seed), low=1500, high=6000)
    out = out + (breath[:, None] if out.ndim == 2 else breath)
    envelope = dsp.attack(t, spec.attack)
    return Note(out * (envelope[:, None] if out.ndim == 2 else envelope), settle)
