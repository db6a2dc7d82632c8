"""The server's side of Ableton Live: the bridge's lifecycle, state pushes and the MIDI trigger.

Live runs on the producer's machine, so its state belongs to the local account: state changes go
to that user's sockets (and into that user's chat context), and a song requested from Live's own
MIDI trigger becomes one of that user's projects.
"""

from __future__ import annotations

import logging
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select

from companion.arrangement import Arrangement
from companion.chat.context import LiveFacts
from companion.db import Project, ProjectVersion, User
from companion.live.bridge import GenerateRequest, LiveBridge, LivePortInUse, LiveSong
from companion.live.state import LiveState
from companion.requirements import Requirements
from companion.server.workers import generate_job

log = logging.getLogger("musiaia.live")


def live_facts(state: LiveState) -> LiveFacts:
    """What the chat may know about the open set."""
    signature = f"{state.signature[0]}/{state.signature[1]}" if state.signature else None
    return LiveFacts(
        connected=state.connected,
        tempo=state.tempo,
        playing=state.is_playing,
        time_signature=signature,
        key=state.key,
        track_names=[track.name for track in state.tracks],
    )


def state_event(state: LiveState) -> dict[str, Any]:
    data = state.as_dict()
    data["time_signature"] = (
        f"{state.signature[0]}/{state.signature[1]}" if state.signature else None
    )
    data["playing"] = state.is_playing
    data["tracks"] = [
        {"name": t.name, "color": t.color_index, "type": t.type} for t in state.tracks
    ]
    data["selected_track"] = state.selected_track_name or None
    return data


def fit_to_set(requirements: Requirements, state: LiveState | None) -> Requirements:
    """Fill the tempo, key and meter a request leaves open from the open Live set, so the new
    part fits the producer's session; what the producer said always wins."""
    if state is None or not state.connected:
        return requirements
    update: dict[str, Any] = {}
    if requirements.bpm is None and state.tempo is not None and 20 <= state.tempo <= 999:
        update["bpm"] = round(state.tempo, 2)
    if requirements.key is None and state.key:
        update["key"] = state.key
    if requirements.time_signature is None and state.signature and state.signature != (4, 4):
        update["time_signature"] = f"{state.signature[0]}/{state.signature[1]}"
    # Validated like any input (model_copy would skip it): a value the requirements refuse is
    # left out, so what Live reports can never make a generation fail.
    fitted = requirements
    for name, value in update.items():
        try:
            fitted = Requirements.model_validate({**fitted.model_dump(), name: value})
        except ValidationError:
            log.warning("Live's %s %r is not usable; ignored", name, value)
    return fitted


class LiveLink:
    """Owns the bridge for the app; degrades to "not connected" when it cannot start."""

    def __init__(self, svc) -> None:
        self.svc = svc
        self.bridge = LiveBridge(svc.settings)
        self.error: str | None = None
        self.owner_id: int | None = None

    @property
    def state(self) -> LiveState | None:
        return self.bridge.state if self.error is None else None

    async def start(self) -> None:
        self.owner_id = await self.svc.run(self._owner)
        try:
            await self.bridge.start()
        except LivePortInUse as exc:
            self.error = str(exc)
            log.warning("Live bridge not started", extra={"reason": self.error})
            return
        self.bridge.on_state_change(self._pushed)
        self.bridge.on_generate(self._generate)

    async def stop(self) -> None:
        if self.error is None:
            await self.bridge.stop()

    def facts_for(self, user_id: int) -> LiveFacts | None:
        state = self.state
        if state is None or user_id != self.owner_id:
            return None
        return live_facts(state)

    def _owner(self) -> int | None:
        with self.svc.db.session() as session:
            user = session.scalar(select(User).where(User.is_local.is_(True)).order_by(User.id))
            if user is None:
                user = session.scalar(select(User).order_by(User.id))
            return user.id if user is not None else None

    def _pushed(self, state: LiveState) -> None:
        if self.owner_id is not None:
            self.svc.hub.publish(self.owner_id, {"type": "live_state", "state": state_event(state)})

    def _last_requirements(self, user_id: int) -> Requirements:
        with self.svc.db.session() as session:
            version = session.scalar(
                select(ProjectVersion)
                .join(Project)
                .where(Project.user_id == user_id)
                .order_by(ProjectVersion.created_at.desc(), ProjectVersion.id.desc())
            )
            if version is None:
                return Requirements()
            data = dict(version.requirements)
        data["intent"] = "generate_project"
        return Requirements.model_validate(data)

    async def _generate(self, request: GenerateRequest) -> LiveSong | None:
        """Live's trigger: the last request again (or the style defaults), fitted to the set."""
        if self.owner_id is None:
            return None
        requirements = await self.svc.run(self._last_requirements, self.owner_id)
        requirements = fit_to_set(requirements, self.bridge.state)
        made = await self.svc.compute(
            generate_job, self.owner_id, requirements.model_dump_json(), None
        )
        user = await self.svc.run(self._user, self.owner_id)
        details = await self.svc.run(self.svc.projects.details, user, made["project_id"])
        self.svc.hub.publish(
            self.owner_id,
            {"type": "project", "project": self.svc.projects.card(details), "source": "live"},
        )
        als = await self.svc.run(
            self.svc.projects.als_file, user, made["project_id"], details["version"]
        )
        return LiveSong(Arrangement.model_validate(details["arrangement"]), project_dir=als.parent)

    def _user(self, user_id: int) -> User:
        with self.svc.db.session() as session:
            user = session.get(User, user_id)
            session.expunge(user)
            return user
