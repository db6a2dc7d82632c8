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
    id: int
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
