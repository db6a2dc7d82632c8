"""MiniMax (MiniMax-M2) over its OpenAI-compatible ``/chat/completions``.

Quirks handled here: ``reasoning_split: true`` moves reasoning to ``reasoning_details`` (whose
stream text is incremental), yet ``<think>`` still leaks into content — whole, as a lone closing
tag, or as a leading unclosed one — so it is stripped in both complete and stream; temperature
must be in (0, 1]; ``max_completion_tokens`` replaces ``max_tokens``; ``response_format`` is
ignored on M2 so it is not sent; errors come inside HTTP 200 (``base_resp.status_code != 0``,
``choices: null``) or as Anthropic-style 4xx bodies with the code in the text; the usage arrives
in a chunk with empty ``choices``; streams may end without ``[DONE]``; deltas may carry
``role: ""``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from companion.llm.base import Message
from companion.llm.errors import minimax_error
from companion.llm.settings import LLMSettings
from companion.llm.transport import ChatCompletionsProvider, Endpoint, policy_from

__all__ = ["MIN_TEMPERATURE", "MiniMaxProvider"]

MINIMAX_ENV = {"key": "MINIMAX_API_KEY", "url": "MINIMAX_BASE_URL", "model": "MINIMAX_MODEL"}
MIN_TEMPERATURE, MAX_TEMPERATURE, DEFAULT_TEMPERATURE = 0.01, 1.0, 1.0


class MiniMaxProvider(ChatCompletionsProvider):
    name = "minimax"
    error_mapper = staticmethod(minimax_error)
    think_tags = True

    @classmethod
    def from_settings(cls, settings: LLMSettings, **kwargs: Any) -> MiniMaxProvider:
        endpoint = Endpoint(
            settings.minimax_url, settings.minimax_model, settings.minimax_api_key, MINIMAX_ENV
        )
        return cls(endpoint, policy_from(settings), **kwargs)

    def build_body(
        self,
        messages: Sequence[Message],
        *,
        stream: bool,
        json_mode: bool,
        temperature: float | None,
        max_tokens: int | None,
    ) -> dict[str, Any]:
        wanted = DEFAULT_TEMPERATURE if temperature is None else float(temperature)
        body: dict[str, Any] = {
            "model": self.model,
            "messages": [dict(m) for m in messages],
            "stream": stream,
            "reasoning_split": True,
            "temperature": min(max(wanted, MIN_TEMPERATURE), MAX_TEMPERATURE),
        }
        if max_tokens is not None:
            body["max_completion_tokens"] = int(max_tokens)
        return body

    def check_body(self, data: Mapping[str, Any]) -> None:
        base = data.get("base_resp")
        if isinstance(base, Mapping) and base.get("status_code") not in (None, 0, "0"):
            raise self.error(200, data)
        super().check_body(data)

    def reasoning_of(self, holder: Mapping[str, Any]) -> str:
        """``reasoning_details[].text`` (incremental in streams) or else ``reasoning_content``."""
        details = holder.get("reasoning_details")
        if isinstance(details, list):
            texts = [d.get("text") for d in details if isinstance(d, Mapping)]
            joined = "".join(t for t in texts if isinstance(t, str))
            if joined:
                return joined
        return super().reasoning_of(holder)
