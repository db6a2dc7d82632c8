"""Krumhansl–Kessler key estimation from a duration-weighted pitch-class histogram.

Used only when a set carries no key. Like every profile method it can confuse a key with its
relative major/minor; that does not matter for in-key ratios, which depend on the scale only.
"""

from __future__ import annotations

from collections.abc import Iterable
from math import sqrt

from companion.music.theory import format_key

MAJOR = (6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88)
MINOR = (6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17)


def _correlation(xs: list[float], ys: tuple[float, ...]) -> float:
    mean_x = sum(xs) / 12
    mean_y = sum(ys) / 12
    cov = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=False))
    var_x = sqrt(sum((x - mean_x) ** 2 for x in xs))
    var_y = sqrt(sum((y - mean_y) ** 2 for y in ys))
    return cov / (var_x * var_y) if var_x and var_y else 0.0


def estimate_key(weighted_pitches: Iterable[tuple[int, float]]) -> str | None:
    """Best key for (pitch, weight) pairs, as a MusiaIA key string; None for no notes."""
    histogram = [0.0] * 12
    for pitch, weight in weighted_pitches:
        histogram[pitch % 12] += weight
    if not any(histogram):
        return None
    best: tuple[float, str] | None = None
    for tonic in range(12):
        rotated = histogram[tonic:] + histogram[:tonic]
        for mode, profile in (("major", MAJOR), ("minor", MINOR)):
            score = _correlation(rotated, profile)
            candidate = (score, format_key(tonic, mode))  # type: ignore[arg-type]
            if best is None or candidate[0] > best[0] + 1e-12:
                best = candidate
    return best[1] if best else None
