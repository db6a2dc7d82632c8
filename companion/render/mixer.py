"""Live's mixer arithmetic: faders in dB, the pan law, and applying them over time."""

from __future__ import annotations

import math

import numpy as np

SILENT_DB = -70.0  # Live's fader floor: -70 dB is -inf


def db_to_gain(db: float) -> float:
    return 0.0 if db <= SILENT_DB else 10.0 ** (db / 20.0)


def db_to_gain_array(db: np.ndarray) -> np.ndarray:
    gain = np.power(10.0, db / 20.0)
    gain[db <= SILENT_DB] = 0.0
    return gain


def pan_gains(pan: float) -> tuple[float, float]:
    """(left, right) gains of Live's panner on a stereo channel: a constant-power balance that
    is unity in the centre and +3 dB on the kept side when panned hard (so a centred part is
    exactly as loud as the fader says)."""
    angle = (min(1.0, max(-1.0, pan)) + 1.0) * math.pi / 4.0
    return math.sqrt(2.0) * math.cos(angle), math.sqrt(2.0) * math.sin(angle)


def pan_gain_arrays(pan: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    angle = (np.clip(pan, -1.0, 1.0) + 1.0) * (np.pi / 4.0)
    return np.sqrt(2.0) * np.cos(angle), np.sqrt(2.0) * np.sin(angle)


def apply_fader(audio: np.ndarray, gain: float | np.ndarray, pan: float | np.ndarray) -> np.ndarray:
    """``audio`` (2 × frames) through a channel's fader (a linear gain) and panner (each one
    number or one per frame)."""
    if isinstance(pan, np.ndarray):
        left, right = pan_gain_arrays(pan)
        gains = np.stack([left, right]).astype(np.float32)
    else:
        left, right = pan_gains(pan)
        gains = np.array([[left], [right]], dtype=np.float32)
    if isinstance(gain, np.ndarray):
        gains = gains * gain.astype(np.float32, copy=False)
    else:
        gains = gains * np.float32(gain)
    return audio * gains


def apply_gain(audio: np.ndarray, db: float | np.ndarray) -> np.ndarray:
    if isinstance(db, np.ndarray):
        return audio * db_to_gain_array(db).astype(np.float32)
    return audio * np.float32(db_to_gain(db))
