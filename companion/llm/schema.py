"""The JSON an LLM must return to describe a request, and the guards around it.

:class:`ExtractedRequest` *is* :class:`~companion.requirements.Requirements` (same fields, same
validators, extra fields forbidden) plus an optional ``adjustments`` object whose relative edits
are bounded. Before validation, harmless spelling variants are normalised ("Deep House",
"A minor", "la menor") so they cost no re-ask, while anything path-like, control characters,
overlong strings, or non-finite numbers are rejected: nothing a model says can crash the
pipeline or put an out-of-range value into a Live set.
"""

from __future__ import annotations

import math
import re
from typing import Annotated, Any

from pydantic import Field, model_validator

from companion.music.resolve import DENSITY_LIMIT
from companion.requirements import (
    MAX_BARS,
    MAX_BPM,
    MIN_BPM,
    Adjustments,
    Part,
    Requirements,
    Understanding,
)

__all__ = ["MAX_STRING", "ExtractedAdjustments", "ExtractedRequest"]

MAX_STRING = 40  # the longest legitimate value is a style name ("progressive-house")
MAX_TRANSPOSE = 48
_PATHLIKE = re.compile(r"[/\\]|\.\.|^~|^[a-z]:|[\x00-\x1f\x7f]|[<>|$`]", re.IGNORECASE)
_TIME_SIGNATURE = re.compile(r"^\s*\d{1,2}\s*/\s*\d{1,2}\s*$")
_NULL_WORDS = {"", "null", "none", "n/a", "unknown", "ninguno", "ninguna"}

_STYLE_ALIASES = {
    "dnb": "drum-and-bass",
    "d&b": "drum-and-bass",
    "drum&bass": "drum-and-bass",
    "drum-&-bass": "drum-and-bass",
    "drum-n-bass": "drum-and-bass",
    "drum-'n'-bass": "drum-and-bass",
    "lofi": "lo-fi",
    "hiphop": "hip-hop",
    "boombap": "boom-bap",
    "ukg": "uk-garage",
    "garage": "uk-garage",
    "reguetón": "reggaeton",
    "regueton": "reggaeton",
    "deephouse": "deep-house",
    "techhouse": "tech-house",
}
_INTENT_ALIASES = {
    "generate": "generate_project",
    "create": "generate_project",
    "new": "generate_project",
    "modify": "modify_project",
    "edit": "modify_project",
    "change": "modify_project",
    "question": "chat",
    "conversation": "chat",
}
_SOLFEGE = {"do": "C", "re": "D", "mi": "E", "fa": "F", "sol": "G", "la": "A", "si": "B"}
_KEY_WORDS = re.compile(
    r"^(?P<tonic>[a-g]|do|re|mi|fa|sol|la|si)\s*(?P<acc>#|♯|b|♭|sharp|flat|sostenido|bemol)?"
    r"\s*-?\s*(?P<mode>m|min|minor|menor|maj|major|mayor|M)?$",
    re.IGNORECASE,
)
_PART_FIELDS = ("include", "exclude")


def _key(value: str) -> str:
    """ "A minor" → "Am", "la menor" → "Am", "F sharp minor" → "F#m"; anything else unchanged
    (the Requirements validator then accepts or rejects it)."""
    match = _KEY_WORDS.match(value.strip())
    if not match:
        return value
    tonic = match["tonic"].lower()
    letter = _SOLFEGE.get(tonic, tonic.upper())
    acc = (match["acc"] or "").lower()
    accidental = "#" if acc in ("#", "♯", "sharp", "sostenido") else "b" if acc else ""
    mode = match["mode"] or ""
    minor = mode == "m" or mode.lower() in ("min", "minor", "menor")
    return f"{letter}{accidental}{'m' if minor else ''}"


def _check_strings(value: Any, where: str) -> None:
    """Reject strings that could be paths, markup or commands, and absurd lengths/numbers."""
    if isinstance(value, str):
        if len(value) > MAX_STRING:
            raise ValueError(f"{where}: value too long ({len(value)} characters)")
        if where != "time_signature" and _PATHLIKE.search(value):
            raise ValueError(f"{where}: {value!r} is not an allowed value")
        if where == "time_signature" and not _TIME_SIGNATURE.match(value):
            raise ValueError(f"{where}: {value!r} is not a time signature like 4/4")
    elif isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"{where}: must be a finite number")
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_strings(key, f"{where} key")
            _check_strings(item, f"{where}.{key}")
    elif isinstance(value, list):
        if len(value) > 32:
            raise ValueError(f"{where}: too many items")
        for item in value:
            _check_strings(item, where)


def _word(value: Any) -> Any:
    return value.strip().lower() if isinstance(value, str) else value


def _nullish(value: Any) -> Any:
    return None if isinstance(value, str) and value.strip().lower() in _NULL_WORDS else value


def _parts(value: Any) -> Any:
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    return [_word(v) for v in value] if isinstance(value, list) else value


class ExtractedAdjustments(Adjustments):
    """:class:`Adjustments` with every relative edit kept within what a set can absorb."""

    tempo_delta: Annotated[float, Field(ge=-(MAX_BPM - MIN_BPM), le=MAX_BPM - MIN_BPM)] | None = (
        None
    )
    transpose: Annotated[int, Field(ge=-MAX_TRANSPOSE, le=MAX_TRANSPOSE)] | None = None
    density: dict[Part, Annotated[int, Field(ge=-DENSITY_LIMIT, le=DENSITY_LIMIT)]] = Field(
        default_factory=dict
    )
    bars_delta: Annotated[int, Field(ge=-MAX_BARS, le=MAX_BARS)] | None = None

    @model_validator(mode="before")
    @classmethod
    def _normalise(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        data = {str(k).strip().lower(): _nullish(v) for k, v in data.items()}
        _check_strings(data, "adjustments")
        if "regenerate" in data:
            data["regenerate"] = _parts(data["regenerate"])
        if data.get("density") is None:
            data.pop("density", None)
        elif isinstance(data["density"], dict):
            data["density"] = {_word(k): v for k, v in data["density"].items()}
        return data


class ExtractedRequest(Requirements):
    """What the understanding prompt asks for: the Requirements shape plus ``adjustments``."""

    adjustments: ExtractedAdjustments | None = None

    @model_validator(mode="before")
    @classmethod
    def _normalise(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        if "intent" not in data and isinstance(data.get("requirements"), dict):
            # {"requirements": {...}, "adjustments": {...}}: a common wrapping, same content
            data = {
                **data["requirements"],
                **{k: v for k, v in data.items() if k != "requirements"},
            }
        data = {str(k).strip().lower(): _nullish(v) for k, v in data.items()}
        for name, value in data.items():
            if name != "adjustments":
                _check_strings(value, name)
        for name in ("intent", "mood"):
            data[name] = _word(data.get(name))
        if data.get("intent") in _INTENT_ALIASES:
            data["intent"] = _INTENT_ALIASES[data["intent"]]
        if data.get("intent") is None:
            data.pop("intent", None)
        style = _word(data.get("style"))
        if isinstance(style, str):
            style = re.sub(r"[\s_]+", "-", style)
            style = _STYLE_ALIASES.get(style, style)
        data["style"] = style
        if isinstance(data.get("key"), str):
            data["key"] = _key(data["key"])
        bpm = data.get("bpm")
        if isinstance(bpm, str):
            data["bpm"] = re.sub(r"(?i)\s*bpm$", "", bpm.strip())
        for name in _PART_FIELDS:
            data[name] = _parts(data.get(name))
        return data

    def to_understanding(self, language: str) -> Understanding:
        """Plain, re-validated models: the engine never sees the extraction classes."""
        requirements = Requirements.model_validate(self.model_dump(exclude={"adjustments"}))
        adjustments = (
            Adjustments.model_validate(self.adjustments.model_dump())
            if self.adjustments is not None
            else Adjustments()
        )
        return Understanding(
            requirements=requirements,
            adjustments=adjustments,
            language="es" if language == "es" else "en",
        )
