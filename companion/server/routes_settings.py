"""The signed-in account's settings: which language-model engine answers its messages."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Depends, HTTPException
from pydantic import BaseModel, ConfigDict

from companion.db import User
from companion.llm.orchestrator import OFFLINE
from companion.server.deps import current_user, services
from companion.services.engine_choice import (
    AUTO,
    engine_options,
    get_engine_choice,
    set_engine_choice,
)

router = APIRouter(prefix="/settings", tags=["settings"])

EngineId = Literal["auto", "glm", "minimax", "local", "offline"]


class EngineOption(BaseModel):
    id: EngineId
    name: str  # "GLM-4.6", the local model's name, …
    available: bool
    setup: str | None = None  # what to configure when it is not available
    on_machine: bool  # the request never leaves this computer


class EngineSettings(BaseModel):
    engine: EngineId
    options: list[EngineOption]


class EngineUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    engine: EngineId


def _current(svc, user: User) -> EngineSettings:
    chosen = get_engine_choice(svc.db, user.id)
    options = [EngineOption(**option) for option in engine_options(svc.llm)]
    return EngineSettings(engine=chosen or AUTO, options=options)


@router.get("/engine", response_model=EngineSettings)
def read_engine(user: User = Depends(current_user), svc=Depends(services)) -> EngineSettings:
    return _current(svc, user)


@router.put("/engine", response_model=EngineSettings)
def choose_engine(
    body: EngineUpdate, user: User = Depends(current_user), svc=Depends(services)
) -> EngineSettings:
    """Choose the engine for this account; one that is not set up on this server is refused
    (and nothing changes), with what to configure."""
    if body.engine not in (AUTO, OFFLINE) and not svc.llm.available(body.engine):
        option = next(o for o in engine_options(svc.llm) if o["id"] == body.engine)
        raise HTTPException(
            422,
            f"{option['name']} is not set up on this server: set {option['setup']} and restart",
        )
    set_engine_choice(svc.db, user.id, body.engine)
    return _current(svc, user)
