"""The one small interface every provider implements, and the data it returns.

The orchestrator only ever sees :class:`Provider`: ``complete`` for a whole answer, ``stream``
for token-by-token events and ``extract`` for a validated pydantic model. Provider quirks (think
tags, error envelopes, temperature rules) stay inside each adapter; what comes out is uniform.
"""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import BaseModel

from companion.llm.errors import ExtractionError
from companion.llm.extraction import ExtractionFailure, parse_model, reask_message

__all__ = [
    "Completion",
    "Done",
    "Message",
    "Provider",
    "ReasoningDelta",
    "StreamEvent",
    "TextDelta",
    "Usage",
]

log = logging.getLogger("companion.llm")

Message = Mapping[str, Any]  # {"role": "system"|"user"|"assistant", "content": str}
M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True, slots=True)
class Usage:
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    total_tokens: int | None = None

    @classmethod
    def from_dict(cls, data: object) -> Usage | None:
        if not isinstance(data, Mapping):
            return None

        def number(name: str) -> int | None:
            value = data.get(name)
            return value if isinstance(value, int) and not isinstance(value, bool) else None

        return cls(number("prompt_tokens"), number("completion_tokens"), number("total_tokens"))


@dataclass(frozen=True, slots=True)
class Completion:
    """A whole answer: ``text`` is clean (no think tags); ``reasoning`` is kept apart."""

    text: str
    reasoning: str | None
    finish_reason: str | None  # "stop", "length" (incl. context window exceeded), "tool_calls"
    usage: Usage | None
    model: str
    provider: str


@dataclass(frozen=True, slots=True)
class TextDelta:
    text: str


@dataclass(frozen=True, slots=True)
class ReasoningDelta:
    text: str


@dataclass(frozen=True, slots=True)
class Done:
    finish_reason: str | None
    usage: Usage | None


StreamEvent = TextDelta | ReasoningDelta | Done


class Provider(ABC):
    """An LLM endpoint. ``name`` is the routing id ("glm"), ``model`` the engine shown to users,
    ``label`` the display name used in messages ("GLM-4.6")."""

    name: str
    model: str

    @property
    def label(self) -> str:
        return self.model

    @property
    @abstractmethod
    def configured(self) -> bool:
        """True when a key is set; an unconfigured provider must never open a connection."""

    @abstractmethod
    async def complete(
        self,
        messages: Sequence[Message],
        *,
        json_mode: bool = False,
        temperature: float | None = None,
        max_tokens: int | None = None,
    ) -> Completion: ...

    @abstractmethod
    def stream(
        self,
        messages: Sequence[Message],
        *,
        json_mode: bool = False,
        temperature: float | None = None,
        max_tokens: int | None = None,
    ) -> AsyncIterator[StreamEvent]:
        """Text and reasoning deltas, then exactly one :class:`Done` (or an ``LLMError``)."""

    async def ping(self) -> Completion:
        """A tiny completion for health checks (adapters may skip retries here)."""
        return await self.complete([{"role": "user", "content": "Reply with: ok"}], max_tokens=64)

    async def extract(
        self,
        messages: Sequence[Message],
        model_cls: type[M],
        *,
        reasks: int = 1,
        temperature: float | None = 0.2,
        max_tokens: int | None = None,
    ) -> M:
        """Ask for JSON, validate it as ``model_cls``; on failure re-ask ``reasks`` times with the
        validation errors. Raises :class:`ExtractionError` (or the transport's ``LLMError``)."""
        conversation = list(messages)
        errors: list[str] = []
        for attempt in range(reasks + 1):
            completion = await self.complete(
                conversation, json_mode=True, temperature=temperature, max_tokens=max_tokens
            )
            try:
                return parse_model(completion.text, model_cls)
            except ExtractionFailure as failure:
                errors = failure.errors
                log.info(
                    "%s extraction attempt %d invalid: %s (reply %d chars)",
                    self.label,
                    attempt + 1,
                    "; ".join(errors),
                    len(completion.text),
                )
                log.debug("%s raw reply: %r", self.label, completion.text[:2000])
                conversation = [
                    *conversation,
                    {"role": "assistant", "content": completion.text or "(empty)"},
                    reask_message(errors),
                ]
        raise ExtractionError(self.label, errors)

    async def aclose(self) -> None:
        """Release connections (a no-op for providers without any)."""
        return None

    def __repr__(self) -> str:
        return f"{type(self).__name__}(model={self.model!r}, configured={self.configured})"
