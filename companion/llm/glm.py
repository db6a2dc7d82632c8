"""Z.ai / Zhipu GLM (GLM-4.6) over its OpenAI-style ``/chat/completions``.

Quirks handled here: thinking is *on* unless told otherwise, so ``thinking`` is always sent
(disabled for JSON extraction, configurable for chat); JSON mode is ``response_format
json_object``; reasoning arrives in ``reasoning_content``; bodies have no ``object`` field;
errors are ``{"error": {"code": "1302", …}}`` with string codes; ``finish_reason`` can be
``sensitive`` or ``model_context_window_exceeded``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from companion.llm.base import Completion, Message, ReasoningDelta, StreamEvent, TextDelta, Usage
from companion.llm.errors import BadResponseError, glm_error
from companion.llm.settings import LLMSettings
from companion.llm.transport import (
    ChatCompletionsProvider,
    Endpoint,
    RetryPolicy,
    StreamState,
    policy_from,
)

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

    def parse_completion(self, data: Mapping[str, Any]) -> Completion:
        choices = data.get("choices")
        if not isinstance(choices, list) or not choices or not isinstance(choices[0], Mapping):
            raise self.fail(BadResponseError, "no choices in the response", 200)
        choice = choices[0]
        message = choice.get("message") if isinstance(choice.get("message"), Mapping) else {}
        text = message.get("content") if isinstance(message.get("content"), str) else ""
        reasoning = message.get("reasoning_content")
        finish = self._finish(text, choice.get("finish_reason"))
        return Completion(
            text=text.strip(),
            reasoning=reasoning.strip()
            if isinstance(reasoning, str) and reasoning.strip()
            else None,
            finish_reason=finish,
            usage=Usage.from_dict(data.get("usage")),
            model=str(data.get("model") or self.model),
            provider=self.name,
        )

    def parse_chunk(self, data: Mapping[str, Any], state: StreamState) -> Iterator[StreamEvent]:
        state.usage = Usage.from_dict(data.get("usage")) or state.usage
        choices = data.get("choices")
        for choice in choices if isinstance(choices, list) else []:
            if not isinstance(choice, Mapping):
                continue
            delta = choice.get("delta") if isinstance(choice.get("delta"), Mapping) else {}
            reasoning = delta.get("reasoning_content")
            if isinstance(reasoning, str) and reasoning:
                yield ReasoningDelta(reasoning)
            content = delta.get("content")
            if isinstance(content, str) and content:
                yield TextDelta(content)
            if choice.get("finish_reason"):
                state.finish_reason = str(choice["finish_reason"])
