"""From a model's free-form reply to a validated pydantic model, whatever the model wrapped it in.

Neither provider can be forced into a schema (GLM has JSON mode only, MiniMax ignores
``response_format``), and both leak reasoning or markdown around the JSON. The one recipe that
works on both: strip ``<think>`` blocks (orphan tags too), take a fenced block or the first
balanced ``{…}``, ``json.loads`` and else ``json_repair``, then pydantic validation. When
validation fails, :func:`reask_message` tells the model exactly what to fix.
"""

from __future__ import annotations

import json
import re
from typing import Any, TypeVar

import json_repair
from pydantic import BaseModel, ValidationError

__all__ = [
    "ExtractionFailure",
    "find_json",
    "parse_json_object",
    "parse_model",
    "reask_message",
    "split_think",
    "strip_think",
    "validation_errors",
]

M = TypeVar("M", bound=BaseModel)

_THINK_BLOCK = re.compile(r"<think>(.*?)</think>", re.IGNORECASE | re.DOTALL)
_CLOSE = re.compile(r"</think>", re.IGNORECASE)
_OPEN_AT_START = re.compile(r"^\s*<think>", re.IGNORECASE)
_FENCE = re.compile(r"```[ \t]*(?:json|JSON|json5)?[ \t]*\n?(.*?)(?:```|$)", re.DOTALL)
MAX_ERRORS = 12


class ExtractionFailure(ValueError):
    """The reply held no usable object; ``errors`` are short lines meant for a re-ask."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = errors
        super().__init__("; ".join(errors))


def split_think(text: str) -> tuple[str, str]:
    """``(answer, reasoning)``: complete ``<think>`` blocks and anything before an orphan
    ``</think>`` are reasoning; a leading unclosed ``<think>`` tag is dropped."""
    reasoning = [m.group(1).strip() for m in _THINK_BLOCK.finditer(text)]
    text = _THINK_BLOCK.sub("", text)
    closes = list(_CLOSE.finditer(text))
    if closes:
        reasoning.append(text[: closes[-1].start()].strip())
        text = text[closes[-1].end() :]
    text = _OPEN_AT_START.sub("", text, count=1)
    return text.strip(), "\n".join(r for r in reasoning if r)


def strip_think(text: str) -> str:
    return split_think(text)[0]


def _balanced_object(text: str, start: int) -> str:
    """The ``{…}`` starting at ``start``, braces inside strings ignored; to the end if unclosed
    (a truncated reply, which json_repair can usually close)."""
    depth, in_string, escaped = 0, False, False
    for i in range(start, len(text)):
        char = text[i]
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return text[start : i + 1]
    return text[start:]


def find_json(text: str) -> str | None:
    """The JSON object inside a reply: a fenced block if there is one, else the first ``{…}``."""
    text = strip_think(text)
    for match in _FENCE.finditer(text):
        body = match.group(1)
        if "{" in body:
            return _balanced_object(body, body.index("{"))
    start = text.find("{")
    return None if start < 0 else _balanced_object(text, start)


def parse_json_object(text: str) -> dict[str, Any]:
    """A dict from the reply, repairing trailing commas, missing brackets and similar damage."""
    candidate = find_json(text)
    if candidate is None:
        raise ExtractionFailure(["the reply contained no JSON object"])
    try:
        data = json.loads(candidate)
    except json.JSONDecodeError:
        try:
            data = json_repair.repair_json(candidate, return_objects=True)
        except Exception as exc:  # the repairer is best-effort; any failure means "not JSON"
            raise ExtractionFailure([f"the JSON could not be read: {exc}"]) from exc
    if not isinstance(data, dict) or not data:
        raise ExtractionFailure(["the reply must be one non-empty JSON object"])
    return data


def validation_errors(exc: ValidationError) -> list[str]:
    """``field: problem (got value)`` lines, short enough to send back to the model."""
    lines = []
    for error in exc.errors()[:MAX_ERRORS]:
        where = ".".join(str(part) for part in error["loc"]) or "(object)"
        got = repr(error.get("input"))
        got = got if len(got) <= 60 else got[:57] + "..."
        lines.append(f"{where}: {error['msg']} (got {got})")
    return lines


def parse_model(text: str, model_cls: type[M]) -> M:
    """Strip, locate, load, repair and validate; :class:`ExtractionFailure` says what was wrong."""
    data = parse_json_object(text)
    try:
        return model_cls.model_validate(data)
    except ValidationError as exc:
        raise ExtractionFailure(validation_errors(exc)) from exc


def reask_message(errors: list[str]) -> dict[str, str]:
    """The follow-up user turn after an invalid reply: what was wrong, and what to send instead."""
    listed = "\n".join(f"- {line}" for line in errors[:MAX_ERRORS])
    return {
        "role": "user",
        "content": (
            "Your previous reply was not valid:\n"
            f"{listed}\n"
            "Send the corrected JSON object only: the same shape, allowed values only, "
            "null for anything the request does not say. No explanations, no markdown."
        ),
    }
