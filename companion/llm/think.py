"""Reasoning that models leak into a streamed answer as ``<think>…</think>``, split out while the
tags arrive in pieces (a whole reply is split by :func:`companion.llm.extraction.split_think`).

MiniMax and local servers (older Ollama, llama.cpp without a reasoning format) leak it whole, as
a lone closing tag, or as a leading unclosed one.
"""

from __future__ import annotations

from companion.llm.base import ReasoningDelta, StreamEvent, TextDelta

__all__ = ["ThinkFilter"]

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
                out = self._release()
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
            out = self._release()
            if out:
                events.append(TextDelta(out))
            break
        return events

    def _release(self) -> str:
        """Takes out of the buffer all but a tail that could still become a tag."""
        cut = len(self.buffer) - _held_tail(self.buffer)
        out, self.buffer = self.buffer[:cut], self.buffer[cut:]
        return out

    def flush(self) -> list[StreamEvent]:
        rest, self.buffer = self.buffer, ""
        if not rest.strip():
            return []
        if self.mode == "think":
            return [ReasoningDelta(rest)]
        return [TextDelta(rest.lstrip() if self.mode == "start" else rest)]
