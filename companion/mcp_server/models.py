"""What the MCP tools return: typed results an agent (and its output schema) can rely on.

Inputs are the tools' own typed parameters (see the tool modules); these are the outputs, built
from what the services already return (``ProjectService.details``, ``LiveState``, search hits).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

ARRANGEMENT_URI = "musiaia://projects/{project_id}/arrangement"
VERSION_ARRANGEMENT_URI = "musiaia://projects/{project_id}/versions/{version}/arrangement"


class SectionInfo(BaseModel):
    name: str
    kind: str
    start_bar: int
    bars: int


class TrackInfo(BaseModel):
    name: str
    role: str
    notes: int = Field(description="MIDI notes the track plays over the whole song")
    instrument: str | None = Field(None, description="the device on the track, when it has one")


class ProjectPaths(BaseModel):
    """Where the version is on this machine (the folder moves as a whole, as Live's do)."""

    folder: str
    als: str = Field(description="the Live set to open in Ableton Live")
    arrangement_json: str


class SongResult(BaseModel):
    """A project version: what compose_song and revise_song made, or get_project read."""

    project_id: str
    name: str
    version: int
    summary: str = Field(description="one line: style, bpm, key, meter, bars, tracks, notes")
    style: str | None
    bpm: float
    key: str | None
    time_signature: str
    bars: int
    seed: int | None = Field(description="the same seed and request give the same song")
    sections: list[SectionInfo]
    tracks: list[TrackInfo]
    changes: list[str] = Field(
        default_factory=list, description="what this version changed from the one before"
    )
    warnings: list[str] = Field(
        default_factory=list,
        description="samples this version could not use (unusable or gone) and what played "
        "instead; empty when every chosen sample was used",
    )
    paths: ProjectPaths
    arrangement_uri: str = Field(description="resource with the full arrangement (every note)")


class VersionInfo(BaseModel):
    number: int
    changes: list[str]
    engine: str | None
    created_at: str


class ProjectInfo(SongResult):
    """get_project: a version plus the project's history and what was asked for."""

    versions: list[VersionInfo]
    requirements: dict[str, Any]


class ProjectSummary(BaseModel):
    project_id: str
    name: str
    style: str | None
    bpm: float
    key: str | None
    bars: int
    versions: int
    updated_at: str


class ProjectList(BaseModel):
    projects: list[ProjectSummary]


class LiveTrackInfo(BaseModel):
    name: str
    type: str


class LiveStateResult(BaseModel):
    connected: bool
    detail: str | None = Field(None, description="why Live is not reachable, when it is not")
    tempo: float | None = None
    playing: bool = False
    time_signature: str | None = None
    key: str | None = None
    tracks: list[LiveTrackInfo] = Field(default_factory=list)
    selected_track: str | None = None
    live_version: str | None = None
    script_version: str | None = None


class SendResult(BaseModel):
    project_id: str
    version: int
    request_id: str
    seconds: float
    summary: dict[str, Any] = Field(
        default_factory=dict, description="what Live built (tracks, clips, what it could not do)"
    )


class PreviewResult(BaseModel):
    """A version's audio, rendered offline (render_preview)."""

    project_id: str
    version: int
    format: str
    seconds: float = Field(description="the song's length")
    bytes: int
    path: str = Field(description="the audio file on this machine")
    url: str = Field(description="the same file from the companion's API (with a token)")


class SampleInfo(BaseModel):
    id: str = Field(description="the sample's public id, as the panel's API knows it")
    name: str
    path: str
    type: str | None
    loop: bool
    bpm: float | None
    key: str | None
    duration: float | None
    tags: list[str]


class SampleSearchResult(BaseModel):
    total: int
    samples: list[SampleInfo]


class HeardChord(BaseModel):
    """A chord heard in the producer's notes, from where it starts to the next one."""

    symbol: str = Field(description="e.g. Am, F, G7, Cmaj7")
    root: str
    quality: str = Field(description="maj, min, 7, maj7, min7, sus2, sus4, dim…")
    start: float = Field(description="beats from the passage's start")
    beats: float
    bar: int = Field(description="1-based bar where it starts (song bars for the Arrangement)")
    beat: float = Field(description="1-based beat of that bar")


class RhythmInfo(BaseModel):
    """Where in the bar the notes start, on the 16th grid (every part, drums included)."""

    steps: list[float] = Field(
        description="per 16th of the bar: the share of playing bars with a note starting there"
    )
    onsets_per_bar: float
    strong_steps: list[int] = Field(
        description="0-based 16ths where the part plays in at least 40% of its bars (0 = downbeat)"
    )


class NoteInfo(BaseModel):
    pitch: int = Field(description="MIDI pitch (60 = C3 in Live)")
    start: float = Field(description="beats from the passage's start")
    duration: float
    velocity: int
    track: str


class NotesSummary(BaseModel):
    count: int
    lowest: str | None = Field(None, description="note name, Live's octaves (C3 = 60)")
    highest: str | None = None
    lowest_pitch: int | None = None
    highest_pitch: int | None = None
    mean_velocity: float | None = None


class Passage(BaseModel):
    """One stretch of material listened to as a whole: the selected clip, one Session clip of a
    track, or the Arrangement (region) with every track's notes together."""

    tracks: list[str] = Field(description="the tracks whose notes sound in it")
    slot: int | None = Field(None, description="Session: the clip's scene (0-based)")
    start: float | None = Field(None, description="Arrangement: its song position in beats")
    start_bar: int | None = Field(None, description="Arrangement: its first bar (1-based)")
    beats: float
    bars: float
    key: str | None
    notes: NotesSummary
    chords: list[HeardChord] = Field(description="the chords heard over time (drums left out)")
    rhythm: RhythmInfo
    note_list: list[NoteInfo] | None = Field(
        None, description="every note (include_notes=true), at most max_notes per passage"
    )
    notes_left_out: int = Field(0, description="notes beyond max_notes not listed")


class ReadTrackInfo(BaseModel):
    name: str
    type: str
    devices: list[str]
    clips: int
    notes: int


class LiveReadResult(BaseModel):
    """What read_live_clip read from Live and heard in it."""

    what: str = Field(description="selected_clip, track or arrangement")
    tempo: float
    time_signature: str
    live_scale: str | None = Field(None, description="the set's own scale in Live (Major/Minor)")
    key: str | None = Field(description="the key heard in every note read (drums left out)")
    notes: int = Field(description="notes read, every clip")
    clip: str | None = Field(None, description="the selected clip's name (selected_clip)")
    tracks: list[ReadTrackInfo]
    passages: list[Passage]
    truncated: bool = Field(False, description="Live had more notes than one read returns")
    seconds: float = Field(description="how long reading from Live took")
