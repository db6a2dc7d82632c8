"""Sustain loops for the kit's tonal samples, so a held note never outlasts its sample.

The loop sits in the part of the sound that no longer changes (after the attack and the filter
and amplitude decays), starts on a rising zero crossing of the left channel (what Simpler's Snap
looks at) and ends on another, chosen where the waveform around the end best matches the
waveform around the start. The seam is then made continuous by baking a crossfade into the
frames before the end (they fade into the frames before the start), with a gain that keeps the
power constant however correlated the two are. The file ends at the loop end: Simpler keeps
looping through the release, so nothing after it would ever play.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from companion.kit.dsp import RATE
from companion.lazy import LazyModule

if TYPE_CHECKING:
    import numpy as np
else:
    np = LazyModule("numpy")

MATCH = 256  # frames compared on each side of a candidate end
SEARCH = 0.03  # seconds around the wanted end searched for the best-matching crossing


@dataclass(frozen=True, slots=True)
class Loop:
    start: int  # first frame of the loop
    end: int  # one past its last frame (= the file's length once cut)
    crossfade: int  # frames of baked crossfade before the end


def rising_crossings(x: np.ndarray, begin: int, end: int) -> np.ndarray:
    """Frames i in [begin, end) with x[i-1] < 0 <= x[i]."""
    begin = max(1, begin)
    segment = x[begin - 1 : end]
    return np.nonzero((segment[:-1] < 0) & (segment[1:] >= 0))[0] + begin


def _similarity(x: np.ndarray, a: int, b: int) -> float:
    left, right = x[a - MATCH : a + MATCH], x[b - MATCH : b + MATCH]
    norm = math.sqrt(float(np.dot(left, left) * np.dot(right, right))) + 1e-12
    return float(np.dot(left, right)) / norm


def find_loop(x: np.ndarray, sustain_from: float, seconds: float) -> tuple[int, int]:
    """Loop start and end frames: the first rising crossing after ``sustain_from`` seconds, and
    the rising crossing about ``seconds`` later whose surroundings best match the start's."""
    mono = x if x.ndim == 1 else x[:, 0]
    wanted = max(round(sustain_from * RATE), MATCH + 1)
    starts = rising_crossings(mono, wanted, len(mono))
    if not len(starts):
        raise ValueError("no zero crossing to start a loop on")
    start = int(starts[0])
    target = start + round(seconds * RATE)
    window = round(SEARCH * RATE)
    last = len(mono) - MATCH
    ends = rising_crossings(mono, target - window, min(target + window, last))
    if not len(ends):
        ends = rising_crossings(mono, start + MATCH, last)
        if not len(ends):
            raise ValueError("the sound is too short for its loop")
        ends = ends[-1:]
    scores = [
        _similarity(mono, start, int(end)) - 0.2 * abs(int(end) - target) / window for end in ends
    ]
    return start, int(ends[int(np.argmax(scores))])


def bake(x: np.ndarray, start: int, end: int, crossfade: int) -> tuple[np.ndarray, Loop]:
    """Cut ``x`` at ``end`` and fade its last ``crossfade`` frames into the ones before
    ``start``, so playing on from ``end - 1`` to ``start`` continues the waveform. The frame
    before the end becomes the frame before the start: both sides of the seam sit on the same
    rising zero crossing."""
    crossfade = max(0, min(crossfade, start, end - start))
    out = x[:end].copy()
    if crossfade:
        w = (np.arange(1, crossfade + 1) / crossfade).reshape((-1,) + (1,) * (x.ndim - 1))
        outgoing = out[end - crossfade : end]
        incoming = x[start - crossfade : start]
        mono_out = outgoing if x.ndim == 1 else outgoing.mean(axis=1)
        mono_in = incoming if x.ndim == 1 else incoming.mean(axis=1)
        norm = math.sqrt(float(np.dot(mono_out, mono_out) * np.dot(mono_in, mono_in))) + 1e-12
        correlation = max(0.0, float(np.dot(mono_out, mono_in)) / norm)
        mixed = (1 - w) * outgoing + w * incoming
        power = (1 - w) ** 2 + w**2 + 2 * correlation * w * (1 - w)
        out[end - crossfade : end] = mixed / np.sqrt(power)
    return out, Loop(start=start, end=end, crossfade=crossfade)


def loop_seam_step(x: np.ndarray, loop: Loop) -> float:
    """The jump at the seam (last loop frame → first loop frame) relative to the largest step
    between neighbouring frames inside the loop: about 1 or less for a seamless loop."""
    mono = x if x.ndim == 1 else x[:, 0]
    inside = np.abs(np.diff(mono[loop.start : loop.end])).max() + 1e-12
    return float(abs(mono[loop.start] - mono[loop.end - 1]) / inside)


def play_held(x: np.ndarray, loop: Loop, seconds: float) -> np.ndarray:
    """What a sampler plays for a note held ``seconds``: the sample, then its loop again and
    again (for numeric checks of sustain; the offline render does the real thing)."""
    wanted = round(seconds * RATE)
    if wanted <= loop.end:
        return x[:wanted]
    body = x[loop.start : loop.end]
    repeats = -(-(wanted - loop.end) // len(body))
    return np.concatenate([x[: loop.end], *([body] * repeats)])[:wanted]
