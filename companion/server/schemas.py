"""Request and response models of the REST API (they also document it in /docs)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from companion.requirements import Requirements


class Token(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_at: datetime | None = None


class LoginLinkRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    token: str = Field(min_length=10, max_length=200)


class ChatRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    message: str = Field(min_length=1, max_length=4000)


class SectionOut(BaseModel):
    name: str
    kind: str
    start_bar: int
    bars: int


class TrackOut(BaseModel):
    name: str
    role: str
    color: int
    notes: int


class ProjectCard(BaseModel):
    """What a chat answer says about the project it made or changed."""

    id: str
    name: str
    version: int
    style: str | None
    bpm: float
    key: str | None
    bars: int
    sections: list[SectionOut]
    tracks: list[TrackOut]
    changes: list[str] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)  # samples left out, and what played instead
    download_url: str
    zip_url: str
    render_url: str | None = None  # POST renders the version's audio, GET serves it


class ChatResponse(BaseModel):
    response: str
    intent: str
    project: ProjectCard | None
    engine: str
    language: str
    timestamp: datetime


class HistoryItem(BaseModel):
    id: int
    role: Literal["user", "assistant"]
    content: str
    intent: str | None
    project_id: str | None
    engine: str | None
    timestamp: datetime


class GenerateRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    requirements: Requirements
    seed: int | None = Field(default=None, ge=0, lt=2**63)


class RenderResponse(BaseModel):
    """A version's rendered audio, ready to fetch from ``url``."""

    status: Literal["ready"]
    version: int
    format: Literal["flac"]
    seconds: float
    bytes: int
    url: str  # GET: the audio (inline)
    download_url: str  # GET: the same as a file to save


class GenerateResponse(BaseModel):
    status: Literal["created"]
    project_id: str
    project_path: str
    download_url: str
    warnings: list[str] = Field(default_factory=list)  # samples skipped, and what played instead


class ProjectSummary(BaseModel):
    id: str
    name: str
    style: str | None
    bpm: float
    key: str | None
    bars: int
    created_at: datetime
    updated_at: datetime
    versions: int


class VersionInfo(BaseModel):
    number: int
    changes: str
    engine: str
    created_at: datetime


class ProjectDetails(ProjectSummary):
    version: int
    version_list: list[VersionInfo]
    requirements: dict[str, Any]
    spec: dict[str, Any]
    arrangement: dict[str, Any]
    samples: list[dict[str, Any]] = Field(default_factory=list)
    # samples this version left out, and what played instead (as the chat answer said)
    warnings: list[str] = Field(default_factory=list)
    # what "Send to Live" cannot build of this version ("Open in Live" gets all of it)
    live_limits: list[str] = Field(default_factory=list)


class Health(BaseModel):
    status: Literal["ok", "degraded"]
    version: str
    components: dict[str, Any]
