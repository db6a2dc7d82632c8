"""The server's side of Ableton Live: the bridge's lifecycle, state pushes and the MIDI trigger.

Live runs on the producer's machine, so its state belongs to the local account: state changes go
to that user's sockets (and into that user's chat context), and a song requested from Live's own
MIDI trigger becomes one of that user's projects.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select

from companion.arrangement import Arrangement
from companion.chat.context import LiveFacts
from companion.chat.live_replies import (
    cannot_answer,
    describe_added,
    describe_answer,
    live_unavailable,
    not_added,
)
from companion.db import Project, ProjectVersion, User
from companion.live.bridge import GenerateRequest, LiveBridge, LivePortInUse, LiveSong
from companion.live.loader import LoadResult
from companion.live.protocol import LoadOptions
from companion.live.state import LiveState
from companion.pipeline import understand_request
from companion.requirements import Requirements
from companion.server.workers import generate_job
from companion.services.chat import ChatReply, project_payload
from companion.services.live_answers import AnswerError, compose_answer, requirements_of
from companion.services.projects import LIVE
from companion.understanding.live_asks import LiveAsk

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
        # (Live version, user) → the project the answers of this Live session go to
        self._session_projects: dict[tuple[str, int], str] = {}

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
                .where(Project.user_id == user_id, ProjectVersion.engine != LIVE)
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

    # -- settings ----------------------------------------------------------------------------

    def autoload_enabled(self, user_id: int) -> bool:
        with self.svc.db.session() as session:
            user = session.get(User, user_id)
            return bool(user is not None and user.live_autoload)

    def usable_for(self, user_id: int) -> bool:
        """Live is running, paired, and this account is the one it belongs to."""
        return self.error is None and user_id == self.owner_id and self.bridge.connected

    # -- building a version into the open set ------------------------------------------------

    async def load_project(
        self,
        user: User,
        project_id: str,
        version: int | None = None,
        *,
        options: LoadOptions | None = None,
        arrangement: Arrangement | None = None,
    ) -> LoadResult:
        """Build a project version into the open set, publishing ``live_progress`` events
        (with the request id, so the panel can cancel) and ``live_loaded`` or an error."""
        details = await self.svc.run(self.svc.projects.details, user, project_id, version)
        number = details["version"]
        song = arrangement or Arrangement.model_validate(details["arrangement"])
        als = await self.svc.run(self.svc.projects.als_file, user, project_id, number)
        publish = self.svc.hub.publish

        def progress(step) -> None:
            publish(
                user.id,
                {
                    "type": "live_progress",
                    "project_id": project_id,
                    "version": number,
                    "request_id": step.request_id,
                    "data": step.as_dict(),
                },
            )

        result = await self.bridge.load(
            song, options=options, progress=progress, project_dir=als.parent
        )
        if result.ok:
            publish(
                user.id,
                {
                    "type": "live_loaded",
                    "project_id": project_id,
                    "version": number,
                    "result": result.as_dict(),
                },
            )
        else:
            publish(
                user.id,
                {
                    "type": "live_error",
                    "project_id": project_id,
                    "version": number,
                    "request_id": result.request_id,
                    "cancelled": result.reason == "cancelled",
                    "detail": f"Live could not build the song: {result.reason}",
                },
            )
        return result

    async def autoload(self, user: User, project: dict, language: str) -> None:
        """A request made in the chat, built into the open set by itself; the chat says what
        was added (or why not)."""
        try:
            result = await self.load_project(user, project["id"], project.get("version"))
        except Exception:
            log.exception("auto-load into Live failed", extra={"project": project.get("id")})
            return
        text = (
            describe_added(result.summary, language)
            if result.ok
            else not_added(
                "cancelled" if result.reason == "cancelled" else result.reason or "?", language
            )
        )
        reply = await self.svc.run(
            self.svc.chat.record_live, user, None, text, language, project, "live_loaded"
        )
        self.svc.hub.publish(
            user.id,
            {
                "type": "message",
                "content": reply.response,
                "timestamp": reply.timestamp.isoformat(),
                "intent": reply.intent,
                "engine": reply.engine,
                "language": language,
                "project_id": project["id"],
            },
        )

    def schedule_autoload(self, user: User, project: dict, language: str) -> bool:
        """Start an auto-load in the background when this account wants it and Live is there."""
        if not self.usable_for(user.id) or not self.autoload_enabled(user.id):
            return False
        task = asyncio.create_task(self.autoload(user, project, language))
        self.svc.background.add(task)
        task.add_done_callback(self.svc.background.discard)
        return True

    # -- answering on the producer's own material ---------------------------------------------

    async def answer(
        self, user: User, ask: LiveAsk, text: str, language: str, publish
    ) -> ChatReply:
        """Read what the producer has, write the part asked for on it, keep both as a project
        version, build the new part into the open set in one undo step, and say what was added."""
        chat = self.svc.chat
        if not self.usable_for(user.id):
            reason = (
                self.error
                or self.bridge.link_error
                or ("Live is not connected" if language != "es" else "Live no está conectado")
            )
            if self.error is None and user.id != self.owner_id:
                reason = "Live on this machine belongs to the local account"
            return await self.svc.run(
                chat.record_live, user, text, live_unavailable(reason, language), language
            )

        def step(name: str, label: str, percent: int) -> None:
            publish(
                {"type": "progress", "data": {"step": name, "label": label, "percent": percent}}
            )

        step("reading", "Reading your clips in Live", 15)
        spec = ask.read_spec(self._beats_per_bar())
        read = await self.bridge.read(
            spec, progress=lambda p, label: step("reading", label, 15 + p * 25 // 100)
        )
        if not read.ok or read.material is None:
            reason = read.reason or "?"
            return await self.svc.run(
                chat.record_live, user, text, live_unavailable(reason, language), language
            )
        step("composing", "Writing the part on your material", 45)
        understood = understand_request(text)
        style = understood.requirements.style
        try:
            answer = await self.svc.run(
                compose_answer, ask, read.material, language, style, secrets.randbelow(2**31)
            )
        except AnswerError as error:
            return await self.svc.run(
                chat.record_live, user, text, cannot_answer(str(error), language), language
            )
        step("writing", "Writing the project version", 60)
        key = (self.bridge.instance or "", user.id)
        previous = self._session_projects.get(key)
        description = describe_answer(
            answer.kind,
            answer.for_live.tracks[0].name,
            answer.notes_written,
            [c.symbol for c in answer.heard.chords],
            answer.heard.key,
            answer.sources,
            language,
            answer.follow,
        )
        outcome = await self.svc.run(
            self.svc.projects.save_from_live,
            user,
            answer.project,
            answer.spec,
            requirements_of(answer),
            description[:500],
            previous,
        )
        self._session_projects[key] = outcome.project_id
        project = project_payload(outcome, [description[:200]])
        step("live", "Adding it to Live", 75)
        options = LoadOptions(**answer.options)
        result = await self.load_project(
            user, outcome.project_id, outcome.version, options=options, arrangement=answer.for_live
        )
        added = (
            describe_added(result.summary, language)
            if result.ok
            else not_added(result.reason or "?", language)
        )
        return await self.svc.run(
            chat.record_live, user, text, f"{description} {added}", language, project
        )

    def _beats_per_bar(self) -> float:
        signature = self.bridge.state.signature or (4, 4)
        return signature[0] * 4.0 / signature[1]

    def _user(self, user_id: int) -> User:
        with self.svc.db.session() as session:
            user = session.get(User, user_id)
            session.expunge(user)
            return user
