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

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from companion.llm.base import Completion, Message, ReasoningDelta, StreamEvent, TextDelta, Usage
from companion.llm.errors import BadResponseError, minimax_error
from companion.llm.extraction import split_think
from companion.llm.settings import LLMSettings
from companion.llm.transport import ChatCompletionsProvider, Endpoint, StreamState, policy_from

__all__ = ["MIN_TEMPERATURE", "MiniMaxProvider", "ThinkFilter"]

MINIMAX_ENV = {"key": "MINIMAX_API_KEY", "url": "MINIMAX_BASE_URL", "model": "MINIMAX_MODEL"}
MIN_TEMPERATURE, MAX_TEMPERATURE, DEFAULT_TEMPERATURE = 0.01, 1.0, 1.0

_OPEN, _CLOSE = "<think>", "</think>"


def _held_tail(buffer: str) -> int:
    """How many trailing characters could be the start of a tag split across chunks."""
    lowered = buffer.lower()
    for size in range(min(len(lowered), len(_CLOSE) - 1), 0, -1):
        tail = lowered[-size:]
        if _OPEN.startswith(tail) or _CLOSE.startswith(tail):
            return size
    return 0


class ThinkFilter:
    """Splits streamed content into text and reasoning while ``<think>`` tags arrive in pieces.

    Reasoning is what sits inside ``<think>…</think>``, or before a ``</think>`` at the start of
    the content. A tag split across chunks is held back until it is complete, so no fragment of
    a tag ever reaches the producer.
    """

    def __init__(self) -> None:
        self.buffer = ""
        self.mode = "start"  # start → (think | text); think ↔ text on tags

    def feed(self, chunk: str) -> list[StreamEvent]:
        self.buffer += chunk
        events: list[StreamEvent] = []
        while self.buffer:
            lowered = self.buffer.lower()
            if self.mode == "start":
                head = self.buffer.lstrip()
                low = head.lower()
                if not head or _OPEN.startswith(low) or _CLOSE.startswith(low):
                    break  # only whitespace or part of a tag so far: wait
                if low.startswith(_OPEN):
                    self.buffer, self.mode = head[len(_OPEN) :], "think"
                elif low.startswith(_CLOSE):  # orphan close: what came before was reasoning
                    self.buffer = head[len(_CLOSE) :]
                else:
                    self.buffer, self.mode = head, "text"
                continue
            if self.mode == "think":
                end = lowered.find(_CLOSE)
                if end >= 0:
                    if self.buffer[:end]:
                        events.append(ReasoningDelta(self.buffer[:end]))
                    self.buffer, self.mode = self.buffer[end + len(_CLOSE) :], "start"
                    continue
                keep = _held_tail(self.buffer)
                out, self.buffer = (
                    self.buffer[: len(self.buffer) - keep],
                    self.buffer[len(self.buffer) - keep :],
                )
                if out:
                    events.append(ReasoningDelta(out))
                break
            # text mode
            opening, closing = lowered.find(_OPEN), lowered.find(_CLOSE)
            if closing >= 0 and (opening < 0 or closing < opening):
                # A stray close inside text: what is in hand before it was reasoning.
                if self.buffer[:closing].strip():
                    events.append(ReasoningDelta(self.buffer[:closing]))
                self.buffer, self.mode = self.buffer[closing + len(_CLOSE) :], "start"
                continue
            if opening >= 0:
                if self.buffer[:opening]:
                    events.append(TextDelta(self.buffer[:opening]))
                self.buffer, self.mode = self.buffer[opening + len(_OPEN) :], "think"
                continue
            keep = _held_tail(self.buffer)
            out, self.buffer = (
                self.buffer[: len(self.buffer) - keep],
                self.buffer[len(self.buffer) - keep :],
            )
            if out:
                events.append(TextDelta(out))
            break
        return events

    def flush(self) -> list[StreamEvent]:
        rest, self.buffer = self.buffer, ""
        if not rest.strip():
            return []
        if self.mode == "think":
            return [ReasoningDelta(rest)]
        return [TextDelta(rest.lstrip() if self.mode == "start" else rest)]


def _reasoning_text(holder: Mapping[str, Any]) -> str:
    """``reasoning_details[].text`` (incremental in streams) or else ``reasoning_content``."""
    details = holder.get("reasoning_details")
    if isinstance(details, list):
        texts = [d.get("text") for d in details if isinstance(d, Mapping)]
        joined = "".join(t for t in texts if isinstance(t, str))
        if joined:
            return joined
    content = holder.get("reasoning_content")
    return content if isinstance(content, str) else ""


class MiniMaxProvider(ChatCompletionsProvider):
    name = "minimax"
    error_mapper = staticmethod(minimax_error)

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

    def parse_completion(self, data: Mapping[str, Any]) -> Completion:
        choices = data.get("choices")
        if not isinstance(choices, list) or not choices or not isinstance(choices[0], Mapping):
            raise self.fail(BadResponseError, "no choices in the response", 200)
        choice = choices[0]
        message = choice.get("message") if isinstance(choice.get("message"), Mapping) else {}
        raw = message.get("content") if isinstance(message.get("content"), str) else ""
        text, leaked = split_think(raw)
        reasoning = "\n".join(r for r in (_reasoning_text(message).strip(), leaked) if r)
        return Completion(
            text=text,
            reasoning=reasoning or None,
            finish_reason=self._finish(text, choice.get("finish_reason")),
            usage=Usage.from_dict(data.get("usage")),
            model=str(data.get("model") or self.model),
            provider=self.name,
        )

    def parse_chunk(self, data: Mapping[str, Any], state: StreamState) -> Iterator[StreamEvent]:
        state.usage = Usage.from_dict(data.get("usage")) or state.usage
        think: ThinkFilter = state.extra.setdefault("think", ThinkFilter())
        choices = data.get("choices")
        for choice in choices if isinstance(choices, list) else []:  # [] on the usage chunk
            if not isinstance(choice, Mapping):
                continue
            delta = choice.get("delta") if isinstance(choice.get("delta"), Mapping) else {}
            reasoning = _reasoning_text(delta)
            if reasoning:
                yield ReasoningDelta(reasoning)
            content = delta.get("content")
            if isinstance(content, str) and content:
                yield from think.feed(content)
            if choice.get("finish_reason"):
                state.finish_reason = str(choice["finish_reason"])

    def flush(self, state: StreamState) -> Iterator[StreamEvent]:
        think = state.extra.get("think")
        return iter(think.flush() if think is not None else ())
