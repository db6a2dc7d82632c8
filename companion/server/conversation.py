"""One chat turn in the server: understand (LLM or offline), then compose or answer.

Understanding and conversation run here, on the event loop, because the language-model adapters
are asynchronous and stream tokens; composing and writing a set is CPU work and goes to a worker
process. Every event of the turn (progress, tokens, the answer) is published to the user's
sockets only.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from companion.db import User
from companion.pipeline import RequestError
from companion.server.live import fit_to_set
from companion.server.workers import make_job
from companion.services.chat import ChatReply, validate_message
from companion.services.engine_choice import get_engine_choice
from companion.understanding.parser import detect_language

Publish = Callable[[dict[str, Any]], None]


async def converse(svc, user: User, message: str, publish: Publish) -> ChatReply:
    text = validate_message(message)
    publish(
        {
            "type": "progress",
            "data": {"step": "understanding", "label": "Understanding the request", "percent": 10},
        }
    )
    context = await svc.run(svc.chat.context, user, detect_language(text))
    engine = await svc.run(get_engine_choice, svc.db, user.id)  # fresh: it may have changed

    def notice(note: str) -> None:  # "the model is slow", while the producer waits
        publish({"type": "notice", "content": note})

    try:
        understood = await svc.llm.understand(text, context, engine=engine, on_notice=notice)
    except ValueError as exc:  # empty, too long, impossible tempo: the user's to fix
        raise RequestError(str(exc)) from exc
    understanding = understood.understanding
    if understanding.requirements.intent == "generate_project" and svc.live is not None:
        # "add a bassline that fits my set": fill what the request leaves open from Live.
        fitted = fit_to_set(understanding.requirements, svc.live.state)
        understanding = understanding.model_copy(update={"requirements": fitted})
    for note in understood.notes:  # e.g. "GLM-4.6 is out of credit; using MiniMax-M2"
        publish({"type": "notice", "content": note})
    if understanding.requirements.intent != "chat":
        return await svc.compute(
            make_job, user.id, text, understanding.model_dump_json(), understood.engine
        )
    history = await svc.run(svc.chat.llm_history, user)
    answered = await svc.llm.answer(
        text,
        context.model_copy(update={"language": understanding.language}),
        history,
        on_token=lambda token: publish({"type": "token", "content": token}),
        on_reset=lambda reason: publish({"type": "reset", "reason": reason}),
        on_notice=notice,
        engine=engine,
        waited=understood.silent_for,
        noted=understood.noted,
    )
    for note in dict.fromkeys(answered.notes):
        if note not in understood.notes:  # "skipped for 60 s" once per turn, not per step
            publish({"type": "notice", "content": note})
    return await svc.run(
        svc.chat.record_answer, user, text, understanding, answered.text, answered.engine
    )
