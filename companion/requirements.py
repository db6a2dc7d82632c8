"""What the producer asked for: the validated boundary between language and music.

Both the offline parser and the LLM providers produce a :class:`Requirements`; the engine never sees
free text. Fields the request does not mention stay ``None`` (or empty): style defaults are applied
later by :func:`companion.music.resolve.resolve`, so "what the user said" and "what we chose"
never mix.
"""

from __future__ import annotations

from typing import Annotated, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, field_serializer, field_validator

from companion.arrangement import SectionKind
from companion.music.theory import normalize_key, parse_time_signature

Intent = Literal["generate_project", "modify_project", "chat"]

Style = Literal[
    "house",
    "deep-house",
    "tech-house",
    "afro-house",
    "progressive-house",
    "techno",
    "minimal-techno",
    "trance",
    "drum-and-bass",
    "dubstep",
    "uk-garage",
    "trap",
    "hip-hop",
    "boom-bap",
    "lo-fi",
    "reggaeton",
    "pop",
    "disco",
    "funk",
    "synthwave",
    "ambient",
    "edm",
]
STYLES: tuple[str, ...] = get_args(Style)

Mood = Literal[
    "dark",
    "happy",
    "sad",
    "melancholic",
    "energetic",
    "chill",
    "epic",
    "dreamy",
    "aggressive",
    "romantic",
    "mysterious",
    "hypnotic",
    "euphoric",
    "uplifting",
]
MOODS: tuple[str, ...] = get_args(Mood)

Part = Literal[
    "drums",
    "kick",
    "snare",
    "clap",
    "hats",
    "percussion",
    "bass",
    "chords",
    "pads",
    "lead",
    "arp",
    "fx",
    "vocals",
]
PARTS: tuple[str, ...] = get_args(Part)

# Drum lanes that live inside the drums track rather than on their own track.
DRUM_LANES: tuple[str, ...] = ("kick", "snare", "clap", "hats", "percussion")

MIN_BPM, MAX_BPM = 20.0, 999.0  # Live's own tempo range
MAX_BARS = 512


class Requirements(BaseModel):
    """A request in structured form; exactly the fields ``musiaia parse`` prints."""

    model_config = ConfigDict(extra="forbid")

    intent: Intent = "generate_project"
    style: Style | None = None
    bpm: Annotated[float, Field(ge=MIN_BPM, le=MAX_BPM)] | None = None
    key: str | None = None
    bars: Annotated[int, Field(ge=1, le=MAX_BARS)] | None = None
    mood: Mood | None = None
    time_signature: str | None = None
    include: list[Part] = Field(default_factory=list)
    exclude: list[Part] = Field(default_factory=list)

    @field_validator("key")
    @classmethod
    def _canonical_key(cls, value: str | None) -> str | None:
        return None if value is None else normalize_key(value)

    @field_validator("time_signature")
    @classmethod
    def _valid_time_signature(cls, value: str | None) -> str | None:
        if value is None:
            return None
        numerator, denominator = parse_time_signature(value)
        return f"{numerator}/{denominator}"

    @field_validator("include", "exclude")
    @classmethod
    def _unique_parts(cls, value: list[str]) -> list[str]:
        return list(dict.fromkeys(value))

    @field_serializer("bpm")
    def _bpm_as_written(self, value: float | None) -> float | int | None:
        # 124 prints as 124, 92.5 as 92.5: what the producer wrote.
        if value is None:
            return None
        return int(value) if float(value).is_integer() else value


SEND_STEPS = 3  # reverb/delay on a part goes at most this many steps up or down (-3: off)


class ProductionChoices(BaseModel):
    """Production changes a project's versions asked for ("más reverb en la caja", "quita el
    sidechain"), kept from version to version like the parts' density: the mixing stage applies
    them over the style's defaults."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    reverb: dict[Part, int] = Field(default_factory=dict)  # send steps: +1 more, -3 off
    delay: dict[Part, int] = Field(default_factory=dict)
    sidechain: bool | None = None  # None: as the style does; False: off; True: on
    sweep: bool | None = None  # True: stronger filter sweeps through builds, on more parts
    stretch: dict[SectionKind, int] = Field(default_factory=dict)  # extra bars per section kind

    @field_validator("reverb", "delay")
    @classmethod
    def _clamped(cls, value: dict[str, int]) -> dict[str, int]:
        return {p: max(-SEND_STEPS, min(SEND_STEPS, step)) for p, step in value.items() if step}

    def is_empty(self) -> bool:
        return not (self.reverb or self.delay or self.stretch) and (
            self.sidechain is None and self.sweep is None
        )


class Adjustments(BaseModel):
    """Relative edits a modification request asks for ("faster", "busier drums", "up a tone").

    They have no place in :class:`Requirements` (which holds absolute values) but the modify path
    needs them to turn the previous version of a project into the next one.
    """

    model_config = ConfigDict(extra="forbid")

    tempo_delta: float | None = None
    transpose: int | None = None
    density: dict[Part, int] = Field(default_factory=dict)
    regenerate: list[Part] = Field(default_factory=list)
    bars_delta: int | None = None
    # Production edits: reverb/delay steps per part, sidechain on/off, stronger build sweeps,
    # extra bars per section kind ("make the build longer": {"build": 8}).
    reverb: dict[Part, int] = Field(default_factory=dict)
    delay: dict[Part, int] = Field(default_factory=dict)
    sidechain: bool | None = None
    sweep: bool | None = None
    stretch: dict[SectionKind, int] = Field(default_factory=dict)

    def production_only(self) -> dict:
        """The production edits alone (reverb, delay, sidechain, sweep, stretch)."""
        return self.model_dump(include={"reverb", "delay", "sidechain", "sweep", "stretch"})

    def sends_or_mix(self) -> bool:
        """Whether any production edit was asked for."""
        return not Adjustments(**self.production_only()).is_empty()

    def is_empty(self) -> bool:
        return not (
            self.tempo_delta
            or self.transpose
            or self.density
            or self.regenerate
            or self.bars_delta
            or self.reverb
            or self.delay
            or self.stretch
            or self.sidechain is not None
            or self.sweep is not None
        )


class Understanding(BaseModel):
    """Everything the parser extracted from one message."""

    model_config = ConfigDict(extra="forbid")

    requirements: Requirements
    adjustments: Adjustments = Field(default_factory=Adjustments)
    language: Literal["es", "en"] = "en"
