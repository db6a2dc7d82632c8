"""Audio tracks: each clip plays the track's loop from its start, repeating, warped to the tempo."""

from __future__ import annotations

import math

import numpy as np

from companion.arrangement import AudioLoop, Track
from companion.render.samples import SampleStore
from companion.render.timeline import Timeline

CLIP_FADE_MS = 4.0  # Live's fades on arrangement clip edges keep cuts from clicking


def _fade_edges(out: np.ndarray, first: int, last: int, fade: int, timeline: Timeline) -> None:
    """Short fades in at ``first`` and out at ``last`` (song frames), where they fall in the
    window."""
    ramp = np.linspace(0.0, 1.0, fade, endpoint=False, dtype=np.float32)
    for begin, shape in ((first, ramp), (last - fade, ramp[::-1])):
        lo = begin - timeline.start
        a, b = max(0, lo), min(timeline.frames, lo + fade)
        if a < b:
            out[:, a:b] *= shape[a - lo : b - lo]


def play_loop(
    track: Track, loop: AudioLoop, store: SampleStore, timeline: Timeline, song_end: float
) -> tuple[np.ndarray, list[int]]:
    """The track's audio on the timeline (2 × frames) and the song frames where a pass of the
    loop starts."""
    out = np.zeros((2, timeline.frames), dtype=np.float32)
    period = loop.beats * timeline.frames_per_beat
    data = store.warped(loop.sample, period, loop.warp_mode)
    starts: list[int] = []
    if data is None:
        return out, starts
    fade = timeline.ms(CLIP_FADE_MS)
    for clip in track.clips:
        first = timeline.frame(clip.start)
        last = timeline.frame(min(clip.end, song_end))
        if last <= max(first, timeline.start) or first >= timeline.end:
            continue
        index = max(0, math.floor((timeline.start - first) / period))
        while True:
            at = first + round(index * period)
            if at >= min(last, timeline.end):
                break
            stop = min(last, first + round((index + 1) * period), at + data.shape[1])
            lo, hi = max(at, timeline.start), min(stop, timeline.end)
            if lo < hi:
                out[:, lo - timeline.start : hi - timeline.start] += data[:, lo - at : hi - at]
                starts.append(at)
            index += 1
        _fade_edges(out, first, last, min(fade, (last - first) // 2), timeline)
    return out, starts
