"""A compressor keyed by another track: the kick ducking the bass and pads ("pumping").

pedalboard's compressor can only listen to its own input, so this one is ours, kept small:

1. envelope follower: the key's peak level in 1.5 ms blocks (both channels), in dB;
2. gain computer: Compressor's threshold, ratio and knee (a quadratic knee of ``knee_db``);
3. ballistics: the gain reduction moves towards its target with the attack time constant when it
   deepens and the release time constant when it recovers (one step per block);
4. the gain (reduction and makeup), joined by straight lines between blocks, scales the input;
   dry/wet mixes the result with the untouched input.
"""

from __future__ import annotations

import math

import numpy as np

from companion.render.params import Params
from companion.render.spans import block_peaks
from companion.render.timeline import BLOCK, SAMPLE_RATE

FOLLOWER_BLOCK = 64  # frames per follower step (1.5 ms)
FLOOR_DB = -120.0


def gain_reduction_db(
    level_db: np.ndarray,
    threshold_db: float | np.ndarray,
    ratio: float | np.ndarray,
    knee_db: float,
) -> np.ndarray:
    """Static curve: how many dB (≤ 0) to take off a signal at ``level_db``."""
    over = level_db - threshold_db
    slope = 1.0 / np.asarray(ratio, dtype=np.float64) - 1.0
    reduction = np.where(over > 0, slope * over, 0.0)
    if knee_db > 0:
        half = knee_db / 2.0
        inside = np.abs(over) <= half
        knee = slope * (over + half) ** 2 / (2.0 * knee_db)
        reduction = np.where(inside, knee, reduction)
    return np.minimum(reduction, 0.0)


def _smooth(target: np.ndarray, attack_s: float, release_s: float) -> np.ndarray:
    step = FOLLOWER_BLOCK / SAMPLE_RATE
    attack = math.exp(-step / max(attack_s, 1e-5))
    release = math.exp(-step / max(release_s, 1e-4))
    out = np.empty_like(target)
    current = 0.0
    for index, wanted in enumerate(target.tolist()):
        coefficient = attack if wanted < current else release
        current = wanted + coefficient * (current - wanted)
        out[index] = current
    return out


def compress(audio: np.ndarray, key: np.ndarray, params: Params) -> np.ndarray:
    """``audio`` (2 × frames) compressed by the level of ``key`` (2 × frames)."""
    frames = audio.shape[1]
    first = params.first()
    blocks = math.ceil(frames / FOLLOWER_BLOCK)
    peak = block_peaks(key[:, :frames], FOLLOWER_BLOCK)
    level = 20.0 * np.log10(np.maximum(peak, 10.0 ** (FLOOR_DB / 20.0)))
    threshold = _per_follower_block(params, "threshold_db", blocks)
    ratio = _per_follower_block(params, "ratio", blocks)
    target = gain_reduction_db(level, threshold, ratio, first["knee_db"])
    reduction = _smooth(target, first["attack_ms"] / 1000.0, first["release_ms"] / 1000.0)
    makeup = _per_follower_block(params, "makeup_db", blocks)
    gain = np.power(10.0, (reduction + makeup) / 20.0).astype(np.float32)
    wet = audio * ramp(gain, FOLLOWER_BLOCK, frames)
    mix = first["dry_wet"]
    if mix >= 1.0:
        return wet
    return audio * np.float32(1.0 - mix) + wet * np.float32(mix)


def ramp(values: np.ndarray, step: int, frames: int) -> np.ndarray:
    """Per-frame values from one value every ``step`` frames, joined by straight lines."""
    following = np.append(values[1:], values[-1])
    fraction = np.arange(step, dtype=np.float32) / np.float32(step)
    out = values[:, None] + (following - values)[:, None] * fraction[None, :]
    return out.ravel()[:frames]


def _per_follower_block(params: Params, name: str, blocks: int) -> float | np.ndarray:
    """A parameter at the follower's resolution (automation blocks are 4 follower blocks)."""
    value = params.values[name]
    if not isinstance(value, np.ndarray):
        return value
    return np.repeat(value, BLOCK // FOLLOWER_BLOCK)[:blocks]
