"""Song time in frames: one tempo, one sample rate, the window being rendered."""

from __future__ import annotations

import math
from dataclasses import dataclass

SAMPLE_RATE = 44100
BLOCK = 256  # frames per automation step for effect parameters (5.8 ms)


@dataclass(frozen=True)
class Timeline:
    """The frames rendered: ``start`` (song frame of the first one, pre-roll included) and
    ``frames`` of them, at ``bpm``."""

    bpm: float
    start: int
    frames: int
    sample_rate: int = SAMPLE_RATE

    @property
    def frames_per_beat(self) -> float:
        return 60.0 / self.bpm * self.sample_rate

    @property
    def end(self) -> int:
        return self.start + self.frames

    @property
    def blocks(self) -> int:
        return max(1, math.ceil(self.frames / BLOCK))

    def frame(self, beat: float) -> int:
        """The song frame of a time in beats (rounded, so equal times give equal frames)."""
        return round(beat * self.frames_per_beat)

    def beat(self, frame: float) -> float:
        return frame / self.frames_per_beat

    def ms(self, milliseconds: float) -> int:
        return max(1, round(milliseconds * self.sample_rate / 1000.0))
