"""Automation on the timeline: a parameter's value at every frame or every block.

A channel's arrangement envelopes are in song beats; a clip's envelopes are in clip beats and take
over the parameter while the clip plays (the arrangement value holds elsewhere). Values between
breakpoints are joined by straight lines, as Live draws them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from companion.arrangement import Clip, Envelope
from companion.render.timeline import BLOCK, Timeline

FRAME_STEP = 32  # mixer automation is exact at every 32nd frame, straight in between


class Automation:
    """The envelopes of one channel (track, return or Main)."""

    def __init__(
        self, envelopes: Sequence[Envelope], clips: Sequence[Clip], timeline: Timeline
    ) -> None:
        self.timeline = timeline
        self.song: dict[str, Envelope] = {e.target: e for e in envelopes}
        self.clips: dict[str, list[tuple[Clip, Envelope]]] = {}
        for clip in clips:
            for envelope in clip.envelopes:
                self.clips.setdefault(envelope.target, []).append((clip, envelope))

    def moves(self, target: str) -> bool:
        return target in self.song or target in self.clips

    def _values(self, target: str, default: float, frames: np.ndarray) -> np.ndarray:
        timeline = self.timeline
        song = self.song.get(target)
        if song is not None:
            times = np.array([timeline.frame(t) for t, _ in song.points], dtype=np.float64)
            values = np.interp(frames, times, [v for _, v in song.points])
        else:
            values = np.full(frames.shape, default, dtype=np.float64)
        for clip, envelope in self.clips.get(target, ()):
            first, last = timeline.frame(clip.start), timeline.frame(clip.end)
            lo, hi = np.searchsorted(frames, [first, last])
            if hi <= lo:
                continue
            times = [timeline.frame(clip.start + t) for t, _ in envelope.points]
            values[lo:hi] = np.interp(frames[lo:hi], times, [v for _, v in envelope.points])
        return values

    def per_frame(
        self,
        target: str,
        default: float,
        convert: Callable[[np.ndarray], np.ndarray] | None = None,
    ) -> float | np.ndarray:
        """The value at each frame of the timeline (``convert``-ed, e.g. dB to gain), or one
        number when it never moves. Read every FRAME_STEP frames and joined by straight lines."""
        if not self.moves(target):
            return default
        steps = -(-self.timeline.frames // FRAME_STEP) + 1
        frames = self.timeline.start + np.arange(steps, dtype=np.float64) * FRAME_STEP
        values = self._values(target, default, frames)
        if convert is not None:
            values = convert(values)
        following = values[1:]
        current = values[:-1]
        fraction = np.arange(FRAME_STEP, dtype=np.float32) / np.float32(FRAME_STEP)
        current = current.astype(np.float32)
        out = current[:, None] + (following.astype(np.float32) - current)[:, None] * fraction
        return out.ravel()[: self.timeline.frames]

    def per_block(self, target: str, default: float) -> float | np.ndarray:
        """The value at the middle of each block (effects change parameters block by block)."""
        if not self.moves(target):
            return default
        frames = (
            self.timeline.start
            + np.arange(self.timeline.blocks, dtype=np.float64) * BLOCK
            + BLOCK / 2
        )
        return self._values(target, default, frames)
