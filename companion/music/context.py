"""Everything a part generator may read: the spec, style, meter, key, sections and harmony.

Parts only read the context and their own random stream, never each other's output, which is what
keeps a change to one part from moving any other.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from companion.music.harmony import Harmony
from companion.music.meter import Meter
from companion.music.rng import part_rng
from companion.music.sections import PlannedSection
from companion.music.spec import SongSpec
from companion.music.styles import MoodShape, StyleProfile
from companion.music.theory import Key
from companion.requirements import DRUM_LANES


@dataclass(slots=True)
class Context:
    spec: SongSpec
    profile: StyleProfile
    meter: Meter
    key: Key
    sections: list[PlannedSection]
    harmony: Harmony
    lanes: tuple[str, ...]  # requested drum lanes
    active: dict[str, frozenset[int]]  # part or lane → indexes of the sections where it plays
    idioms: frozenset[tuple[str, str]]  # (part, name) behaviours of the style, see idioms.py
    mood: MoodShape  # what the mood changes beyond the key, see styles.MOOD_SHAPES
    memo: dict = field(default_factory=dict)

    @property
    def bar(self) -> float:
        return self.meter.bar

    def rng(self, part: str, *names: object) -> random.Random:
        """The part's own stream; bumping ``spec.variation[part]`` gives a new take of it alone."""
        return part_rng(self.spec.seed, part, self.spec.variation.get(part, 0), *names)  # type: ignore[call-overload]

    def idiom(self, part: str, name: str) -> bool:
        return (part, name) in self.idioms

    @property
    def swing(self) -> float:
        """The style's 16th swing moved by the mood; straight styles stay straight unless the
        mood swings them, and nothing swings past a heavy 0.66."""
        swing = self.profile.swing
        if swing > 0.5 or self.mood.swing > 0:
            swing = min(0.66, max(0.5, swing + self.mood.swing))
        return swing

    def mood_density(self, part: str) -> int:
        """The mood's own density offset for a part (the baseline a producer's offset moves)."""
        return sum(offset for name, offset in self.mood.density if name == part)

    def density(self, part: str) -> int:
        """The producer's density offset for a part, on top of the mood's (each clamped)."""
        value = self.spec.density.get(part, 0)  # type: ignore[call-overload]
        if part in DRUM_LANES:
            value += self.spec.density.get("drums", 0)
        return max(-2, min(2, value + self.mood_density(part)))

    def start(self, section: PlannedSection) -> float:
        return section.start_bar * self.bar

    def length(self, section: PlannedSection) -> float:
        return section.bars * self.bar

    def plays(self, part: str, section: PlannedSection) -> bool:
        return section.index in self.active.get(part, frozenset())

    def next_section(self, section: PlannedSection) -> PlannedSection | None:
        index = section.index + 1
        return self.sections[index] if index < len(self.sections) else None

    def previous_section(self, section: PlannedSection) -> PlannedSection | None:
        return self.sections[section.index - 1] if section.index > 0 else None
