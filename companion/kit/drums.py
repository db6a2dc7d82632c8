"""Drum and percussion recipes: each a small physical or drum-machine model with its knobs.

A kick is a sine whose pitch falls from ``f_start`` onto ``f_end`` (the 808/909 circuit), with a
beater click, an optional mid "knock", drive and, for techno, a low rumble tail. Snares mix a
two-mode drum tone with filtered noise; claps are several noise bursts and a short tail; hats and
cymbals sum detuned square waves (the 808 metal bank) and noise through a high-pass. The knob
values that make a genre's sound live in :mod:`companion.kit.catalogue`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from companion.kit import dsp
from companion.lazy import LazyModule

if TYPE_CHECKING:
    import numpy as np
else:
    np = LazyModule("numpy")


@dataclass(frozen=True, slots=True)
class Kick:
    f_end: float = 50.0  # Hz the body settles on
    f_start: float = 220.0  # Hz at the hit
    pitch_tau: float = 0.035  # how fast the pitch falls (s)
    body_tau: float = 0.22  # how long the body rings (s)
    length: float = 0.6
    drive: float = 1.5
    click: float = 0.3  # beater noise level
    click_low: float = 2500.0  # Hz: where the click starts (lower = thuddier)
    knock: float = 0.0  # a short mid tone (1-2 kHz) on the hit: boom-bap and rock kicks
    knock_hz: float = 1500.0
    rumble: float = 0.0  # a distorted low tail (techno)
    rumble_tau: float = 0.4
    lowpass: float | None = None  # muffled kicks (lo-fi, boom-bap)
    seed: int = 1


def kick(spec: Kick) -> np.ndarray:
    t = dsp.time(spec.length)
    frequency = spec.f_end + (spec.f_start - spec.f_end) * dsp.decay(t, spec.pitch_tau)
    body = dsp.sweep(frequency) * dsp.decay(t, spec.body_tau)
    click = dsp.filtered(dsp.noise(len(t), spec.seed), low=spec.click_low) * dsp.decay(t, 0.003)
    out = body + spec.click * click
    if spec.knock:
        out += spec.knock * np.sin(2 * np.pi * spec.knock_hz * t) * dsp.decay(t, 0.008)
    out = dsp.drive(out, spec.drive)
    if spec.rumble:
        tail_env = dsp.attack(t, 0.03) * dsp.decay(t, spec.rumble_tau)
        low = dsp.filtered(dsp.noise(len(t), spec.seed + 5), high=120, order=4) * 6
        rumble = dsp.drive(np.sin(2 * np.pi * spec.f_end * t) * 0.7 + low, 3.0) * tail_env
        out = out + spec.rumble * dsp.filtered(rumble, high=180, order=2)
    if spec.lowpass:
        out = dsp.filtered(out, high=spec.lowpass)
    return out * dsp.tail(t, 0.4 * spec.length)


@dataclass(frozen=True, slots=True)
class Snare:
    tone: float = 185.0  # Hz of the shell's first mode
    tone_tau: float = 0.05
    noise_tau: float = 0.11
    noise_level: float = 0.8
    noise_low: float = 1200.0  # Hz high-pass on the wires
    noise_high: float = 11000.0
    length: float = 0.35
    drive: float = 0.0
    snap: float = 0.0  # a sharp stick transient
    room: float = 0.0  # level of a short room tail
    room_seconds: float = 0.5
    gate: float | None = None  # seconds: a gated reverb cut off hard (80s)
    lowpass: float | None = None
    seed: int = 1


def snare(spec: Snare) -> np.ndarray:
    t = dsp.time(spec.length)
    shell = np.sin(2 * np.pi * spec.tone * t) + 0.5 * np.sin(2 * np.pi * spec.tone * 1.62 * t)
    body = shell * dsp.decay(t, spec.tone_tau)
    wires = dsp.filtered(dsp.noise(len(t), spec.seed), low=spec.noise_low, high=spec.noise_high)
    wires = wires / max(np.abs(wires).max(), 1e-9) * dsp.decay(t, spec.noise_tau)
    out = 0.55 * body + spec.noise_level * wires
    if spec.snap:
        stick = dsp.filtered(dsp.noise(len(t), spec.seed + 3), low=3000) * dsp.decay(t, 0.0015)
        out += spec.snap * stick
    out = dsp.drive(out, spec.drive)
    if spec.room:
        out = dsp.to_mono(dsp.room(out, spec.room_seconds, spec.room, spec.seed + 11))
    if spec.gate:
        out = out * np.clip((spec.gate - t) / 0.02, 0.0, 1.0)
    if spec.lowpass:
        out = dsp.filtered(out, high=spec.lowpass)
    return out * dsp.tail(t, 0.03)


@dataclass(frozen=True, slots=True)
class Clap:
    bursts: int = 4
    spacing: float = 0.009  # s between hands
    tail_tau: float = 0.12
    low: float = 700.0
    high: float = 4000.0
    length: float = 0.5
    room: float = 0.0
    lowpass: float | None = None
    seed: int = 1


def clap(spec: Clap) -> np.ndarray:
    t = dsp.time(spec.length)
    envelope = np.zeros(len(t))
    for index in range(spec.bursts):
        onset = index * spec.spacing
        envelope += np.where(t >= onset, dsp.decay(np.maximum(t - onset, 0), 0.0045), 0.0)
    last = (spec.bursts - 1) * spec.spacing
    envelope += 0.6 * np.where(t >= last, dsp.decay(np.maximum(t - last, 0), spec.tail_tau), 0.0)
    out = dsp.filtered(dsp.noise(len(t), spec.seed), low=spec.low, high=spec.high) * envelope
    if spec.room:
        out = dsp.to_mono(dsp.room(out, 0.6, spec.room, spec.seed + 11))
    if spec.lowpass:
        out = dsp.filtered(out, high=spec.lowpass)
    return out * dsp.tail(t, 0.03)


METAL = (205.3, 304.4, 369.6, 522.7, 540.0, 800.0)  # the TR-808 cymbal oscillators (Hz)


def metal(t: np.ndarray, ratio: float, seed: int) -> np.ndarray:
    """Six detuned square waves (band-limited), for hats and cymbals."""
    phases = np.random.RandomState(seed).uniform(0, 1, 6)
    out = np.zeros(len(t))
    for frequency, phase in zip(METAL, phases, strict=True):
        table = dsp.band_limited("square", frequency * ratio, cap=18000.0)
        out += dsp.read(table, frequency * ratio, len(t), phase)
    return out / 6


@dataclass(frozen=True, slots=True)
class Hat:
    length: float = 0.15
    tau: float = 0.025
    low: float = 7000.0  # high-pass (Hz)
    ratio: float = 1.0  # metal bank tuning
    noise: float = 0.5  # noise against metal (909s are noisier than 808s)
    high: float | None = None  # a low-pass for dusty hats
    attack: float = 0.0  # a soft onset (shakers, brushed hats)
    seed: int = 1


def hat(spec: Hat) -> np.ndarray:
    t = dsp.time(spec.length)
    tone = dsp.filtered(
        metal(t, spec.ratio, spec.seed) + spec.noise * dsp.noise(len(t), spec.seed + 1),
        low=spec.low,
        order=3,
    )
    if spec.high:
        tone = dsp.filtered(tone, high=spec.high)
    envelope = dsp.decay(t, spec.tau)
    if spec.attack:
        envelope = envelope * dsp.attack(t, spec.attack)
    return tone * envelope * dsp.tail(t, min(0.02, spec.length / 4))


@dataclass(frozen=True, slots=True)
class Cymbal:
    length: float = 2.5
    tau: float = 0.8
    low: float = 3500.0
    ratio: float = 1.3
    noise: float = 0.8
    bell: float = 0.0  # the ping of a ride's bell
    seed: int = 1


def cymbal(spec: Cymbal) -> np.ndarray:
    t = dsp.time(spec.length)
    tone = metal(t, spec.ratio, spec.seed) + metal(t, spec.ratio * 1.47, spec.seed + 7)
    tone = tone + spec.noise * dsp.noise(len(t), spec.seed)
    out = (
        dsp.filtered(tone, low=spec.low, order=2)
        * dsp.decay(t, spec.tau)
        * (1 - 0.5 * dsp.decay(t, 0.02))
    )
    if spec.bell:
        ping = np.sin(2 * np.pi * 2350 * t) + 0.6 * np.sin(2 * np.pi * 3520 * t)
        out += spec.bell * ping * dsp.decay(t, spec.tau * 0.6)
    return out * dsp.tail(t, 0.1)


@dataclass(frozen=True, slots=True)
class Tone:
    """Pitched percussion: congas, bongos, toms, rims, claves, cowbells, woodblocks."""

    f_end: float
    f_start: float | None = None  # None: no pitch bend
    tau: float = 0.15
    length: float = 0.5
    overtone: float = 1.48  # ratio of the second mode
    overtone_level: float = 0.25
    slap: float = 0.3  # noise on the hit
    slap_low: float = 1200.0
    square: bool = False  # cowbells: two square waves
    seed: int = 1


def tone(spec: Tone) -> np.ndarray:
    t = dsp.time(spec.length)
    start = spec.f_start or spec.f_end
    frequency = spec.f_end + (start - spec.f_end) * dsp.decay(t, 0.015)
    if spec.square:
        table = dsp.band_limited("square", spec.f_end, cap=12000.0)
        upper = dsp.band_limited("square", spec.f_end * spec.overtone, cap=12000.0)
        body = dsp.read(table, spec.f_end, len(t)) + spec.overtone_level * dsp.read(
            upper, spec.f_end * spec.overtone, len(t)
        )
        body = dsp.filtered(body, low=400, high=5000)
    else:
        body = dsp.sweep(frequency) + spec.overtone_level * dsp.sweep(frequency * spec.overtone)
    hit = dsp.filtered(dsp.noise(len(t), spec.seed), low=spec.slap_low, high=8000) * dsp.decay(
        t, 0.006
    )
    return (body * dsp.decay(t, spec.tau) + spec.slap * hit) * dsp.tail(t, 0.02)


@dataclass(frozen=True, slots=True)
class Shaker:
    length: float = 0.18
    rise: float = 0.012
    tau: float = 0.045
    low: float = 5000.0
    high: float = 13000.0
    jingle: float = 0.0  # tambourine zils (metal) against the beads
    seed: int = 1


def shaker(spec: Shaker) -> np.ndarray:
    t = dsp.time(spec.length)
    grains = dsp.filtered(dsp.noise(len(t), spec.seed), low=spec.low, high=spec.high)
    if spec.jingle:
        zils = dsp.filtered(metal(t, 2.7, spec.seed + 2), low=6000)
        grains = grains + spec.jingle * zils * (1 + 0.5 * np.sin(2 * np.pi * 31 * t))
    return grains * dsp.attack(t, spec.rise) * dsp.decay(t, spec.tau) * dsp.tail(t, 0.02)
