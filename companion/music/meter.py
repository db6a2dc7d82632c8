"""The felt pulse of a time signature, so every part can adapt its grid to the bar length.

4/4 and 3/4 pulse in quarter notes; compound meters (6/8, 9/8, 12/8) pulse in dotted quarters; other
x/8 meters pulse in eighths. Every grid in the engine is a 16th grid (0.25 beats) laid over the bar.
"""

from __future__ import annotations

from dataclasses import dataclass

from companion.music.theory import bar_beats

STEP = 0.25  # one 16th note in beats


@dataclass(frozen=True, slots=True)
class Meter:
    numerator: int = 4
    denominator: int = 4

    @property
    def bar(self) -> float:
        return bar_beats(self.numerator, self.denominator)

    @property
    def compound(self) -> bool:
        return self.denominator == 8 and self.numerator % 3 == 0 and self.numerator >= 6

    @property
    def pulse(self) -> float:
        if self.compound:
            return 1.5
        return 0.5 if self.denominator >= 8 else 1.0

    @property
    def pulses(self) -> int:
        return max(1, round(self.bar / self.pulse))

    @property
    def steps(self) -> int:
        """16th steps per bar."""
        return max(1, round(self.bar / STEP))

    @property
    def common(self) -> bool:
        """True when the bar is four quarter-note pulses: the 16-step genre tables apply as is."""
        return self.steps == 16 and not self.compound and self.pulse == 1.0

    def pulse_starts(self) -> tuple[float, ...]:
        return tuple(index * self.pulse for index in range(self.pulses))

    def backbeat_pulses(self) -> tuple[int, ...]:
        """Pulse indexes that take the snare/clap: 2 and 4 in 4/4, 2 and 3 in 3/4, 2 in 6/8."""
        if self.pulses == 1:
            return ()
        if self.pulses == 3:
            return (1, 2)
        return tuple(index for index in range(1, self.pulses, 2))

    def is_strong(self, position: float) -> bool:
        return abs(position / self.pulse - round(position / self.pulse)) < 1e-6


def swing_offset(position: float, swing: float) -> float:
    """Delay for a position inside a bar under 16th swing (0.5 = straight, 0.58 = MPC-ish).

    Only the off 16th of each 8th pair moves, by (swing - 0.5) of the 8th note.
    """
    if swing <= 0.5:
        return 0.0
    step = position / STEP
    if abs(step - round(step)) > 1e-6 or round(step) % 2 == 0:
        return 0.0
    return (swing - 0.5) * 0.5
