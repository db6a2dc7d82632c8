"""The chat: one message in, one answer out — and a project made or changed when asked.

The intent decides: ``generate_project`` runs the pipeline, ``modify_project`` writes the next
version of the user's latest (or named) project, ``chat`` answers from what MusiaIA knows. A
request that cannot be served (an impossible tempo, a message too long) raises
:class:`RequestError` and changes nothing: neither history nor projects.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from companion.chat.context import ChatContext, LiveFacts
from companion.chat.replies import (
    describe_modification,
    describe_new_project,
    no_project_yet,
    sample_notes,
    spec_changes,
)
from companion.db import ChatMessage, Database, User, utcnow
from companion.pipeline import Progress, RequestError, understand_request
from companion.requirements import Understanding
from companion.services.projects import ProjectOutcome, ProjectService

MAX_MESSAGE_CHARS = 4000
OFFLINE_ENGINE = "offline"


@dataclass
class ChatReply:
    response: str
    intent: str
    language: str
    engine: str
    timestamp: datetime
    project: dict | None = None
    timings: dict[str, float] = field(default_factory=dict)


def project_payload(outcome: ProjectOutcome, changes: list[str] | None = None) -> dict:
    arrangement = outcome.generation.arrangement
    return {
        "id": outcome.project_id,
        "name": outcome.name,
        "version": outcome.version,
        "style": arrangement.style,
        "bpm": arrangement.bpm,
        "key": arrangement.key,
        "bars": arrangement.bars,
        "sections": [
            {"name": s.name, "kind": s.kind, "start_bar": s.start_bar, "bars": s.bars}
            for s in arrangement.sections
        ],
        "tracks": [
            {"name": t.name, "role": t.role, "color": t.color, "notes": t.note_count}
            for t in arrangement.tracks
        ],
        "changes": changes or [],
        "warnings": outcome.generation.warnings,
        "download_url": f"/api/v1/projects/{outcome.project_id}/download?version={outcome.version}",
        "zip_url": f"/api/v1/projects/{outcome.project_id}/download?format=zip",
        "render_url": f"/api/v1/projects/{outcome.project_id}/render?version={outcome.version}",
    }


def validate_message(message: str | None) -> str:
    text = (message or "").strip()
    if not text:
        raise RequestError("empty message")
    if len(text) > MAX_MESSAGE_CHARS:
        raise RequestError(
            f"the message is too long ({len(text)} characters; at most {MAX_MESSAGE_CHARS})"
        )
    try:  # JSON lets "\ud800" through; no file or database can store a lone surrogate
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise RequestError(
            "the message holds text that is not valid Unicode (a lone surrogate)"
        ) from None
    return text


class ChatService:
    def __init__(
        self,
        database: Database,
        projects: ProjectService,
        live_state: Callable[[int], LiveFacts | None] | None = None,
    ) -> None:
        self.db = database
        self.projects = projects
        self.live_state = live_state or (lambda user_id: None)

    def history(self, user: User, limit: int = 50) -> list[dict]:
        with self.db.session() as session:
            rows = session.scalars(
                select(ChatMessage)
                .where(ChatMessage.user_id == user.id)
                .order_by(ChatMessage.id.desc())
                .limit(limit)
            ).all()
            return [
                {
                    "id": m.id,
                    "role": m.role,
                    "content": m.content,
                    "intent": m.intent,
                    "project_id": m.project_id,
                    "engine": m.engine,
                    "timestamp": m.created_at,
                }
                for m in reversed(rows)
            ]

    def handle(self, user: User, message: str, progress: Progress | None = None) -> ChatReply:
        """The whole turn offline: parse, then make a project or answer from what we know."""
        text = validate_message(message)
        if progress is not None:
            progress("understanding", "Understanding the request", 10)
        understanding = understand_request(text)
        if understanding.requirements.intent == "chat":
            response = self.answer(user, text, understanding.language)
            return self.record_answer(user, text, understanding, response, OFFLINE_ENGINE)
        return self.make(user, text, understanding, progress, OFFLINE_ENGINE)

    def make(
        self,
        user: User,
        text: str,
        understanding: Understanding,
        progress: Progress | None,
        engine: str,
    ) -> ChatReply:
        """A request understood as generate or modify: compose, write, answer, remember."""
        language = understanding.language
        intent = understanding.requirements.intent
        project = None
        timings: dict[str, float] = {}
        if intent == "modify_project":
            project_id = self.projects.latest_id(user, text, composable=True)
            if project_id is None:
                response = no_project_yet(language)
            else:
                outcome = self.projects.modify(
                    user,
                    project_id,
                    understanding,
                    progress=progress,
                    engine=engine,
                    describe=lambda old, new: "; ".join(spec_changes(old, new, language)),
                )
                changes = spec_changes(outcome.previous_spec, outcome.generation.spec, language)
                response = describe_modification(outcome.name, outcome.version, changes, language)
                response += sample_notes(outcome.generation.warnings, language)
                project = project_payload(outcome, changes)
                timings = outcome.generation.timings
        else:
            generate = understanding.model_copy(
                update={
                    "requirements": understanding.requirements.model_copy(
                        update={"intent": "generate_project"}
                    )
                }
            )
            outcome = self.projects.create(
                user, understanding=generate, progress=progress, engine=engine
            )
            response = describe_new_project(outcome.generation.arrangement, outcome.name, language)
            response += sample_notes(outcome.generation.warnings, language)
            project = project_payload(outcome)
            timings = outcome.generation.timings
        reply = ChatReply(
            response=response,
            intent=intent,
            language=language,
            engine=engine,
            timestamp=utcnow(),
            project=project,
            timings=timings,
        )
        self._store(user, text, reply)
        return reply

    def record_answer(
        self, user: User, text: str, understanding: Understanding, response: str, engine: str
    ) -> ChatReply:
        """Keep a conversational exchange (no project involved) in the history."""
        reply = ChatReply(
            response=response,
            intent="chat",
            language=understanding.language,
            engine=engine,
            timestamp=utcnow(),
        )
        self._store(user, text, reply)
        return reply

    def record_live(
        self,
        user: User,
        text: str | None,
        response: str,
        language: str,
        project: dict | None = None,
        intent: str = "live",
    ) -> ChatReply:
        """Keep an exchange about Live (a part written on the producer's material, what was
        added to the set). ``text`` None: a message of MusiaIA's own (no user turn)."""
        reply = ChatReply(
            response=response,
            intent=intent,
            language=language,
            engine="live",
            timestamp=utcnow(),
            project=project,
        )
        if text is None:
            with self.db.session() as session:
                session.add(
                    ChatMessage(
                        user_id=user.id,
                        role="assistant",
                        content=response,
                        intent=intent,
                        project_id=project["id"] if project else None,
                        engine="live",
                        created_at=reply.timestamp,
                    )
                )
        else:
            self._store(user, text, reply)
        return reply

    def llm_history(self, user: User, limit: int = 20) -> list[dict]:
        """Recent turns as role/content pairs, oldest first, for a language model's context."""
        return [{"role": m["role"], "content": m["content"]} for m in self.history(user, limit)]

    def context(self, user: User, language: str) -> ChatContext:
        project_id = self.projects.latest_id(user)
        facts = self.projects.context_facts(user, project_id) if project_id else None
        return ChatContext(language=language, project=facts, live=self.live_state(user.id))

    def answer(self, user: User, text: str, language: str) -> str:
        from companion.chat.answers import offline_answer

        return offline_answer(text, self.context(user, language))

    def _store(self, user: User, text: str, reply: ChatReply) -> None:
        """User message and answer in one transaction: history never holds half an exchange."""
        project_id = reply.project["id"] if reply.project else None
        with self.db.session() as session:
            session.add(
                ChatMessage(
                    user_id=user.id,
                    role="user",
                    content=text,
                    intent=reply.intent,
                    project_id=project_id,
                )
            )
            session.add(
                ChatMessage(
                    user_id=user.id,
                    role="assistant",
                    content=reply.response,
                    intent=reply.intent,
                    project_id=project_id,
                    engine=reply.engine,
                    created_at=reply.timestamp,
                )
            )
