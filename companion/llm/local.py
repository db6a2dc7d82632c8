"""Any OpenAI-compatible local server: Ollama, LM Studio, llama.cpp's server, vLLM.

They all serve ``/v1/chat/completions`` but differ in what they accept and what they send back;
this adapter copes with each difference instead of assuming one server:

- no key, or any key: ``Authorization`` is sent only when a key is set;
- reasoning comes as ``reasoning`` (Ollama, newer vLLM), ``reasoning_content`` (llama.cpp, older
  vLLM) or inline ``<think>…</think>`` in the content (older Ollama, llama.cpp without a
  reasoning format), also split across stream chunks;
- errors are ``{"error": {...}}`` with a string, numeric or null ``code``, ``{"error": "text"}``
  (LM Studio), or vLLM's top-level ``{"object": "error", "message": ...}``; a model that is not
  there is a 404 that names it;
- a stream ends with ``[DONE]``; the usage comes in a chunk with empty ``choices`` when
  ``stream_options.include_usage`` is asked for; an error after the stream started ends it
  without ``[DONE]``;
- optional request fields are not universal (LM Studio refuses ``response_format`` json_object,
  vLLM refuses ``reasoning_effort: "none"``): when a server rejects one by name, the request is
  sent again without it, and it is left out from then on.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Mapping, Sequence
from typing import Any

import httpx

from companion.llm.base import Completion, Message, StreamEvent
from companion.llm.errors import (
    InvalidRequestError,
    LLMError,
    LocalUnreachableError,
    ModelNotFoundError,
    UnreachableError,
    local_error,
)
from companion.llm.settings import LLMSettings
from companion.llm.transport import (
    ChatCompletionsProvider,
    Endpoint,
    RetryPolicy,
    policy_from,
)

__all__ = ["LOCAL_ENV", "LocalProvider"]

log = logging.getLogger("companion.llm")

LOCAL_ENV = {
    "key": "MUSIAIA_LLM_LOCAL_API_KEY",
    "url": "MUSIAIA_LLM_LOCAL_BASE_URL",
    "model": "MUSIAIA_LLM_LOCAL_MODEL",
    "setup": "MUSIAIA_LLM_LOCAL_BASE_URL and MUSIAIA_LLM_LOCAL_MODEL",
}
MAX_ENGINE_NAME = 40  # engine names are stored with messages and versions (VARCHAR(40))

# Optional request fields, and the words a server's refusal of each one contains.
_OPTIONAL_FIELDS: dict[str, tuple[str, ...]] = {
    "response_format": ("response_format", "json_object", "json_schema"),
    "reasoning_effort": ("reasoning",),
    "stream_options": ("stream_options", "include_usage"),
}


class LocalProvider(ChatCompletionsProvider):
    name = "local"
    error_mapper = staticmethod(local_error)
    think_tags = True

    def __init__(
        self,
        endpoint: Endpoint,
        policy: RetryPolicy | None = None,
        *,
        json_object: bool = True,
        reasoning_effort: str = "",
        **kwargs: Any,
    ) -> None:
        super().__init__(endpoint, policy, **kwargs)
        # The engine name users see and that is stored: the model, kept to the column's size.
        self.model = (endpoint.model or "local")[:MAX_ENGINE_NAME]
        self.json_object = json_object
        self.reasoning_effort = reasoning_effort
        self.unsupported: set[str] = set()  # optional fields this server refused by name

    @classmethod
    def from_settings(cls, settings: LLMSettings, **kwargs: Any) -> LocalProvider:
        endpoint = Endpoint(
            settings.local_url or "",
            settings.local_model or "",
            settings.local_api_key,
            LOCAL_ENV,
        )
        return cls(
            endpoint,
            policy_from(settings),
            json_object=settings.local_json == "object",
            reasoning_effort=settings.local_reasoning,
            **kwargs,
        )

    @property
    def configured(self) -> bool:
        return bool(self.endpoint.base_url and self.endpoint.model)

    @property
    def label(self) -> str:
        return f"{self.model} (local)" if self.endpoint.model else "Local model"

    def _headers(self, stream: bool) -> dict[str, str]:
        headers = {
            "Content-Type": "application/json",
            "Accept": "text/event-stream" if stream else "application/json",
            "User-Agent": "MusiaIA",
        }
        secret = self._secret()
        if secret:
            headers["Authorization"] = f"Bearer {secret}"
        return headers

    def _transport_error(self, exc: httpx.HTTPError) -> LLMError:
        error = super()._transport_error(exc)
        if type(error) is UnreachableError:  # say "is the server running?", not "internet"
            return self.fail(LocalUnreachableError, error.detail)
        return error

    # ----------------------------------------------------------------------- request

    def build_body(
        self,
        messages: Sequence[Message],
        *,
        stream: bool,
        json_mode: bool,
        temperature: float | None,
        max_tokens: int | None,
    ) -> dict[str, Any]:
        body: dict[str, Any] = {
            "model": self.endpoint.model,
            "messages": [dict(m) for m in messages],
            "stream": stream,
        }
        if stream:
            body["stream_options"] = {"include_usage": True}
        if json_mode and self.json_object:
            body["response_format"] = {"type": "json_object"}
        # Extraction wants a fast, plain answer: thinking off (Ollama maps "none" to think=false,
        # which models without thinking accept). Chat keeps the model's default unless set.
        effort = "none" if json_mode else self.reasoning_effort
        if effort:
            body["reasoning_effort"] = effort
        if temperature is not None:
            body["temperature"] = min(max(float(temperature), 0.0), 2.0)
        if max_tokens is not None:
            body["max_tokens"] = int(max_tokens)
        for name in self.unsupported:
            body.pop(name, None)
        return body

    def _without_refused(self, body: dict[str, Any], error: LLMError) -> dict[str, Any] | None:
        """The body minus the optional field the server just refused by name (None: not that)."""
        if not isinstance(error, InvalidRequestError) or isinstance(error, ModelNotFoundError):
            return None
        said = f"{error.detail} {error.code or ''}".lower()
        for name, words in _OPTIONAL_FIELDS.items():
            if name in body and any(word in said for word in words):
                self.unsupported.add(name)
                log.info("%s refuses %s; sending requests without it", self.label, name)
                return {k: v for k, v in body.items() if k != name}
        return None

    async def _complete_once(self, body: dict[str, Any]) -> Completion:
        while True:
            try:
                return await super()._complete_once(body)
            except LLMError as exc:
                trimmed = self._without_refused(body, exc)
                if trimmed is None:
                    raise
                body = trimmed

    async def _stream_once(self, body: dict[str, Any]) -> AsyncIterator[StreamEvent]:
        while True:
            started = False
            try:
                async for event in super()._stream_once(body):
                    started = True
                    yield event
                return
            except LLMError as exc:
                trimmed = None if started else self._without_refused(body, exc)
                if trimmed is None:
                    raise
                body = trimmed

    # ----------------------------------------------------------------------- response

    def check_body(self, data: Mapping[str, Any]) -> None:
        if data.get("error") or data.get("object") == "error":
            raise self.error(200, data)

    def content_of(self, holder: Mapping[str, Any]) -> str:
        """A string, ``null``, or a list of text parts, depending on the server."""
        value = holder.get("content")
        if isinstance(value, list):
            parts = [p.get("text") for p in value if isinstance(p, Mapping)]
            return "".join(p for p in parts if isinstance(p, str))
        return value if isinstance(value, str) else ""

    def reasoning_of(self, holder: Mapping[str, Any]) -> str:
        """``reasoning`` (Ollama, newer vLLM) or ``reasoning_content`` (llama.cpp, older vLLM)."""
        for name in ("reasoning", "reasoning_content"):
            value = holder.get(name)
            if isinstance(value, str) and value:
                return value
        return ""
