"""Drum timing: which grid the hits sit on, and how many sit on it.

Candidate grids: straight 16ths, swung 16ths and swung 8ths (the swing amount estimated from the
data as the median delay of the off-16ths / off-8ths), and 16ths mixed with triplets (trap). Hits
off the chosen grid still count when they sit on a 32nd or triplet grid inside a roll — a run of the
same drum at most a triplet-16th apart — because rolls are deliberate, not sloppy timing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from statistics import median

TOLERANCE = 0.02  # beats (≈10 ms at 120 BPM)
ROLL_GAP = 1 / 6 + 0.01


@dataclass(frozen=True, slots=True)
class GridFit:
    name: str
    swing: float | None  # swing ratio (0.5 straight) for swung grids
    ratio: float  # share of hits on the grid (rolls included)


def _near(phase: float, points: Sequence[float]) -> bool:
    return any(abs(phase - p) <= TOLERANCE for p in points)


def _grid_points(name: str, delay: float) -> tuple[float, ...]:
    if name == "16th":
        return (0.0, 0.25, 0.5, 0.75, 1.0)
    if name == "16th swing":
        return (0.0, 0.25 + delay, 0.5, 0.75 + delay, 1.0)
    if name == "8th swing":
        return (0.0, 0.25, 0.5 + delay, 0.75, 1.0)
    # 16ths plus 8th/16th triplets
    return (0.0, 1 / 6, 0.25, 1 / 3, 0.5, 2 / 3, 0.75, 5 / 6, 1.0)


FINE = tuple(i / 8 for i in range(9)) + tuple(i / 6 for i in range(7))


def _in_roll(index: int, hits: Sequence[tuple[float, int]]) -> bool:
    time, voice = hits[index]
    for other in (index - 1, index + 1):
        if 0 <= other < len(hits):
            other_time, other_voice = hits[other]
            if other_voice == voice and abs(other_time - time) <= ROLL_GAP:
                return True
    return False


def _ratio(hits: Sequence[tuple[float, int]], points: Sequence[float]) -> float:
    on = 0
    for index, (time, _voice) in enumerate(hits):
        phase = time % 1.0
        if _near(phase, points) or (_near(phase, FINE) and _in_roll(index, hits)):
            on += 1
    return on / len(hits)


def _delay(times: Sequence[float], period: float, nominal: float, limit: float) -> float:
    """Median delay of the off-beat hits; 0 unless enough hits agree on it (one stray is not
    a shuffle)."""
    phases = [t % period - nominal for t in times]
    delays = [d for d in phases if -TOLERANCE <= d <= limit]
    if len(delays) < max(4, 0.05 * len(times)):
        return 0.0
    estimate = max(0.0, median(delays))
    agreeing = sum(1 for d in delays if abs(d - estimate) <= TOLERANCE)
    return estimate if agreeing >= 0.6 * len(delays) else 0.0


def fit_grid(hits: Sequence[tuple[float, int]]) -> GridFit | None:
    """``hits`` are (time in beats, voice id) — voice = track/pitch, used to recognise rolls."""
    if not hits:
        return None
    ordered = sorted(hits, key=lambda h: (h[1], h[0]))
    times = [t for t, _ in ordered]
    delay16 = _delay(times, 0.5, 0.25, 0.14)
    delay8 = _delay(times, 1.0, 0.5, 0.2)
    candidates = [
        ("16th", None, 0.0),
        ("16th swing", 0.5 + delay16 / 0.5, delay16),
        ("8th swing", 0.5 + delay8 / 1.0, delay8),
        ("16th+triplet", None, 0.0),
    ]
    best: GridFit | None = None
    for name, swing, delay in candidates:
        if swing is not None and delay < 0.01:
            continue  # no measurable swing: the straight grid says the same thing
        ratio = _ratio(ordered, _grid_points(name, delay))
        if best is None or ratio > best.ratio + 0.005:
            best = GridFit(name, round(swing, 3) if swing is not None else None, ratio)
    return best
