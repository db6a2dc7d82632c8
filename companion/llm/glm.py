"""Z.ai / Zhipu GLM (GLM-4.6) over its OpenAI-style ``/chat/completions``.

Quirks handled here: thinking is *on* unless told otherwise, so ``thinking`` is always sent
(disabled for JSON extraction, configurable for chat); JSON mode is ``response_format
json_object``; reasoning arrives in ``reasoning_content``; bodies have no ``object`` field;
errors are ``{"error": {"code": "1302", …}}`` with string codes; ``finish_reason`` can be
``sensitive`` or ``model_context_window_exceeded``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from companion.llm.base import Message
from companion.llm.errors import glm_error
from companion.llm.settings import LLMSettings
from companion.llm.transport import ChatCompletionsProvider, Endpoint, RetryPolicy, policy_from

__all__ = ["GLMProvider"]

GLM_ENV = {"key": "GLM46_API_KEY", "url": "GLM46_BASE_URL", "model": "GLM46_MODEL"}


class GLMProvider(ChatCompletionsProvider):
    name = "glm"
    error_mapper = staticmethod(glm_error)

    def __init__(
        self,
        endpoint: Endpoint,
        policy: RetryPolicy | None = None,
        *,
        thinking: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(endpoint, policy, **kwargs)
        self.thinking = thinking

    @classmethod
    def from_settings(cls, settings: LLMSettings, **kwargs: Any) -> GLMProvider:
        endpoint = Endpoint(settings.glm_url, settings.glm_model, settings.glm_api_key, GLM_ENV)
        return cls(endpoint, policy_from(settings), thinking=settings.glm_thinking, **kwargs)

    @property
    def label(self) -> str:
        return self.model.upper() if self.model.lower().startswith("glm") else self.model

    def extra_headers(self) -> dict[str, str]:
        return {"Accept-Language": "en-US,en"}  # error messages in English, not Chinese

    def build_body(
        self,
        messages: Sequence[Message],
        *,
        stream: bool,
        json_mode: bool,
        temperature: float | None,
        max_tokens: int | None,
    ) -> dict[str, Any]:
        thinking = self.thinking and not json_mode
        body: dict[str, Any] = {
            "model": self.model,
            "messages": [dict(m) for m in messages],
            "stream": stream,
            "thinking": {"type": "enabled" if thinking else "disabled"},
        }
        if json_mode:
            body["response_format"] = {"type": "json_object"}
        if temperature is not None:
            body["temperature"] = min(max(float(temperature), 0.0), 1.0)
        if max_tokens is not None:
            body["max_tokens"] = int(max_tokens)
        return body
