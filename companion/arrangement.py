"""The arrangement: a pure data model of a song, independent of any file format.

Everything downstream reads this: the .als and .mid writers, the Remote Script loader, the web panel
and the analyzer. Times are in beats (quarter notes, Live's unit) so no writer has to know the tempo
to place a note. Clip note times are relative to the clip start, as in Live.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from companion.music.theory import Key, bar_beats, parse_key

Role = Literal["drums", "bass", "chords", "pads", "lead", "arp", "fx", "vocals", "other"]
SectionKind = Literal[
    "intro", "verse", "pre-chorus", "chorus", "build", "drop", "breakdown", "bridge", "outro"
]

# General MIDI drum map, as on a Drum Rack's default pads.
DRUM_MAP: dict[str, int] = {
    "kick": 36,
    "rim": 37,
    "snare": 38,
    "clap": 39,
    "snare2": 40,
    "tom_low": 41,
    "closed_hat": 42,
    "tom_mid": 45,
    "pedal_hat": 44,
    "open_hat": 46,
    "tom_high": 48,
    "crash": 49,
    "ride": 51,
    "tambourine": 54,
    "cowbell": 56,
    "shaker": 70,
    "conga_high": 62,
    "conga_low": 64,
    "bongo_high": 60,
    "bongo_low": 61,
    "clave": 75,
}

TIME_DECIMALS = 6  # beats are rounded so that float noise never changes output bytes

_Beats = Annotated[float, Field(ge=0)]


class Note(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    pitch: Annotated[int, Field(ge=0, le=127)]
    start: _Beats
    duration: Annotated[float, Field(gt=0)]
    velocity: Annotated[int, Field(ge=1, le=127)]


class Clip(BaseModel):
    """A MIDI clip placed at ``start`` (beats from the song start) in the arrangement.

    The same clip fills the section's scene slot in the session view.
    """

    model_config = ConfigDict(extra="forbid")

    name: str
    start: _Beats
    length: Annotated[float, Field(gt=0)]
    section: int | None = None  # index into Arrangement.sections
    notes: list[Note] = Field(default_factory=list)

    @model_validator(mode="after")
    def _canonical_order(self) -> Clip:
        # One order for notes everywhere (time, then pitch) so equal clips compare and serialize
        # equal no matter how they were built or read back.
        self.notes.sort(key=lambda n: (n.start, n.pitch, n.duration, n.velocity))
        return self

    @property
    def end(self) -> float:
        return self.start + self.length


class SampleFile(BaseModel):
    """A sample an instrument plays, kept inside the project folder (as Live's "Collect All and
    Save" does) so the folder can be moved or shared."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    path: str  # relative to the project folder, POSIX separators: "Samples/Imported/Kick.wav"
    frames: Annotated[int, Field(ge=1)]
    sample_rate: Annotated[int, Field(ge=1, le=768000)]
    root_note: Annotated[int, Field(ge=0, le=127)] = 60
    size: Annotated[int, Field(ge=0)] = 0
    crc: Annotated[int, Field(ge=0, le=0xFFFF)] = 0  # CRC-16 of the first 16 KiB, as FileRef has
    mtime: Annotated[int, Field(ge=0)] = 0  # seconds, Live's LastModDate

    @model_validator(mode="after")
    def _inside_project(self) -> SampleFile:
        parts = self.path.split("/")
        if self.path.startswith("/") or "\\" in self.path or ".." in parts or ":" in parts[0]:
            raise ValueError(f"sample path must be relative to the project: {self.path!r}")
        return self

    @property
    def name(self) -> str:
        return self.path.rsplit("/", 1)[-1].rsplit(".", 1)[0]


class DrumPad(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    note: Annotated[int, Field(ge=0, le=127)]
    name: str
    sample: SampleFile
    choke_group: Annotated[int, Field(ge=0, le=16)] = 0  # open and closed hats choke each other


class Instrument(BaseModel):
    """The sound source on a track: a Drum Rack of Simplers, or one Simpler."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: Literal["drum_rack", "simpler"]
    name: str
    pads: list[DrumPad] = Field(default_factory=list)
    sample: SampleFile | None = None
    one_shot: bool = False  # Simpler plays the whole sample whatever the note length

    @model_validator(mode="after")
    def _consistent(self) -> Instrument:
        if self.kind == "simpler" and self.sample is None:
            raise ValueError("a Simpler needs a sample")
        if self.kind == "drum_rack" and len({p.note for p in self.pads}) != len(self.pads):
            raise ValueError("drum pads must have distinct notes")
        self.pads.sort(key=lambda pad: pad.note)  # one order, as Live lists pads
        return self


WarpMode = Literal["beats", "tones", "texture", "repitch", "complex", "complex_pro"]


class AudioLoop(BaseModel):
    """The loop an audio track plays, warped so that it follows the song's tempo.

    ``beats`` is the file's length in song beats: its warp markers map the file's end there, so
    Live stretches it to whatever tempo the set has (a 62 BPM loop in a 124 BPM song counts double).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    sample: SampleFile
    beats: Annotated[float, Field(gt=0, le=4096)]
    bpm: Annotated[float, Field(ge=20, le=999)]  # the tempo the file was made at
    warp_mode: WarpMode = "beats"


class Track(BaseModel):
    """A MIDI track (notes, optionally an instrument) or, with ``audio``, an audio track whose
    clips each play the loop from its start, repeating, for the clip's length."""

    model_config = ConfigDict(extra="forbid")

    name: str
    role: Role  # for an audio track: the part it layers (a drum loop is "drums")
    color: Annotated[int, Field(ge=0, le=69)]  # Live palette index
    clips: list[Clip] = Field(default_factory=list)
    instrument: Instrument | None = None
    audio: AudioLoop | None = None

    @model_validator(mode="after")
    def _audio_or_midi(self) -> Track:
        if self.audio is not None:
            if self.instrument is not None:
                raise ValueError("an audio track has no instrument")
            if any(clip.notes for clip in self.clips):
                raise ValueError("an audio track's clips have no notes")
        return self

    @property
    def is_audio(self) -> bool:
        return self.audio is not None

    @property
    def note_count(self) -> int:
        return sum(len(clip.notes) for clip in self.clips)


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    kind: SectionKind
    start_bar: Annotated[int, Field(ge=0)]
    bars: Annotated[int, Field(ge=1)]
    energy: Annotated[float, Field(ge=0, le=1)] = 0.5


class ChordEvent(BaseModel):
    """One chord of the progression, as the engine meant it (for display and analysis)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    start: _Beats
    duration: Annotated[float, Field(gt=0)]
    root: Annotated[int, Field(ge=0, le=11)]
    quality: str  # "min", "maj", "min7", ...
    symbol: str  # "Am7"


class Arrangement(BaseModel):
    """A whole song: tempo, key, meter, sections and tracks of clips."""

    model_config = ConfigDict(extra="forbid")

    title: str
    style: str | None = None
    mood: str | None = None
    bpm: Annotated[float, Field(ge=20, le=999)]
    key: str | None = None
    time_signature: tuple[int, int] = (4, 4)
    bars: Annotated[int, Field(ge=1)]
    seed: int | None = None
    sections: list[Section] = Field(default_factory=list)
    tracks: list[Track] = Field(default_factory=list)
    chords: list[ChordEvent] = Field(default_factory=list)

    @model_validator(mode="after")
    def _check_key(self) -> Arrangement:
        if self.key is not None:
            parse_key(self.key)
        return self

    @property
    def beats_per_bar(self) -> float:
        return bar_beats(*self.time_signature)

    @property
    def length_beats(self) -> float:
        return self.bars * self.beats_per_bar

    @property
    def key_info(self) -> Key | None:
        return parse_key(self.key) if self.key else None

    @property
    def note_count(self) -> int:
        return sum(track.note_count for track in self.tracks)

    def section_start_beat(self, section: Section) -> float:
        return section.start_bar * self.beats_per_bar

    def summary(self) -> str:
        numerator, denominator = self.time_signature
        bpm = int(self.bpm) if float(self.bpm).is_integer() else self.bpm
        return (
            f"style={self.style or '-'} bpm={bpm} key={self.key or '-'} "
            f"time={numerator}/{denominator} bars={self.bars} tracks={len(self.tracks)} "
            f"notes={self.note_count}"
        )


def round_beats(value: float) -> float:
    return round(value, TIME_DECIMALS) + 0.0  # + 0.0 turns -0.0 into 0.0
