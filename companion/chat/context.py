"""What the assistant knows when it answers: the producer's current project and Live's state.

These small models are filled by the server (from the database, the arrangement JSON and the
Remote Script's reports) and read by the offline answer engine and the LLM prompt builder alike.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


class SectionFacts(BaseModel):
    name: str
    kind: str
    start_bar: int
    bars: int


class TrackFacts(BaseModel):
    name: str
    role: str
    notes: int = 0


class ProjectFacts(BaseModel):
    """The project the conversation is about (the user's latest, or the one they named)."""

    id: str
    name: str
    version: int = 1
    style: str | None = None
    mood: str | None = None
    bpm: float
    key: str | None = None
    time_signature: str = "4/4"
    bars: int
    sections: list[SectionFacts] = Field(default_factory=list)
    tracks: list[TrackFacts] = Field(default_factory=list)
    chords: list[str] = Field(default_factory=list)  # progression symbols, first occurrences


class LiveFacts(BaseModel):
    """What the Remote Script last reported about the open Live set."""

    connected: bool = False
    tempo: float | None = None
    playing: bool | None = None
    time_signature: str | None = None
    key: str | None = None
    track_names: list[str] = Field(default_factory=list)


class ChatContext(BaseModel):
    language: Literal["es", "en"] = "en"
    project: ProjectFacts | None = None
    live: LiveFacts | None = None
