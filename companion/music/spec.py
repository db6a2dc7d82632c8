"""SongSpec: requirements with every blank filled in, the engine's only input.

``companion.music.resolve`` is where style defaults live (tempo, key, length, parts); a value
the producer gave is never overridden. Keeping this step separate makes "what was asked" and
"what was chosen" auditable and lets a modification start from the previous version's spec.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from companion.requirements import MAX_BARS, MAX_BPM, MIN_BPM, Mood, Part, ProductionChoices, Style


class SongSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    style: Style
    bpm: Annotated[float, Field(ge=MIN_BPM, le=MAX_BPM)]
    key: str
    bars: Annotated[int, Field(ge=1, le=MAX_BARS)]
    mood: Mood | None = None
    time_signature: tuple[int, int] = (4, 4)
    parts: tuple[Part, ...]
    # Per-part density offsets from modification requests: +1 busier, -1 sparser.
    density: dict[Part, int] = Field(default_factory=dict)
    seed: Annotated[int, Field(ge=0, lt=2**63)] = 0
    # Per-part regeneration counters ("otra melodía" bumps lead): a new take of one part while the
    # others stay byte-identical. Missing means 0.
    variation: dict[Part, int] = Field(default_factory=dict)
    # Production changes asked for so far (sends, sidechain, sweeps, longer sections): the
    # mixing stage applies them, and each new version keeps them.
    production: ProductionChoices = Field(default_factory=ProductionChoices)
