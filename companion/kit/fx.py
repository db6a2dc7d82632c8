"""Transition effects: risers, downlifters, sweeps, impacts, sub drops and reversed cymbals."""

from __future__ import annotations

from typing import TYPE_CHECKING

from companion.kit import dsp
from companion.kit.drums import Cymbal, cymbal
from companion.lazy import LazyModule

if TYPE_CHECKING:
    import numpy as np
else:
    np = LazyModule("numpy")


def riser(seed: int) -> np.ndarray:
    t = dsp.time(4.0)
    centre = 300 * (9000 / 300) ** (t / t[-1])
    swept = dsp.band_sweep(dsp.noise(len(t), seed), centre, 0.35)
    tone = 0.15 * dsp.sweep(200 * 6 ** (t / t[-1]))
    return (swept / max(np.abs(swept).max(), 1e-9) + tone) * (t / t[-1]) ** 2 * dsp.tail(t, 0.05)


def downlifter(seed: int) -> np.ndarray:
    t = dsp.time(3.0)
    centre = 9000 * (200 / 9000) ** (t / t[-1])
    swept = dsp.band_sweep(dsp.noise(len(t), seed), centre, 0.4)
    return swept * dsp.decay(t, 0.9) * dsp.attack(t, 0.01)


def sweep(seed: int) -> np.ndarray:
    t = dsp.time(2.0)
    shape = np.sin(np.pi * t / t[-1]) ** 2
    return dsp.band_sweep(dsp.noise(len(t), seed), 500 * 16**shape, 0.3) * shape


def impact(seed: int) -> np.ndarray:
    t = dsp.time(3.0)
    boom = dsp.sweep(35 + 25 * dsp.decay(t, 0.3)) * dsp.decay(t, 0.6)
    crack = dsp.filtered(dsp.noise(len(t), seed), high=3000) * dsp.decay(t, 0.12)
    rumble = (
        0.25 * dsp.filtered(dsp.noise(len(t), seed + 1), low=200, high=1500) * dsp.decay(t, 0.9)
    )
    return np.tanh(1.5 * (boom + 0.6 * crack + rumble))


def sub_drop() -> np.ndarray:
    t = dsp.time(2.0)
    return dsp.sweep(30 + 60 * dsp.decay(t, 0.45)) * dsp.decay(t, 0.8) * dsp.attack(t, 0.004)


def reverse_cymbal(seed: int) -> np.ndarray:
    return cymbal(Cymbal(length=2.0, tau=0.6, low=4000, ratio=1.31, noise=0.7, seed=seed))[
        ::-1
    ].copy()
