"""Requests about what the producer already has in Live ("añade un bajo que encaje con mis
acordes", "continúa esta melodía", "hazle una batería a este bajo", "harmonize this lead").

Recognised by phrase tables (Spanish and English, accents folded), before any language model:
the answer needs Live's notes, so the request is served from Live or not at all. Also says what
to read: the selected clip ("este", "this"), a named track ("de la pista Keys", "on the Piano
track") or the Arrangement (optionally "compases 9 a 16" / "bars 9-16").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

Kind = Literal["bass", "drums", "continue", "harmonize"]
Source = Literal["selected_clip", "track", "arrangement"]

# (kind, patterns): the first kind whose pattern matches wins; order matters ("bajo" in "hazle
# una batería a este bajo" is the material, not the part asked for).
_KIND_PATTERNS: tuple[tuple[Kind, tuple[str, ...]], ...] = (
    (
        "drums",
        (
            r"\b(bateria|drums?|beat|ritmo|percusion)\b.{0,40}\b(a|para|con|sobre|for|to|under|"
            r"with|on)\b.{0,20}\b(este|esta|ese|mi|this|my|the)\b.{0,12}\b(bajo|bass|bassline|"
            r"linea de bajo|clip)",
        ),
    ),
    (
        "harmonize",
        (
            r"\barmoniz\w*|\bharmoni[sz]e\b|\b(segunda voz|second voice|harmony (line|part) "
            r"(for|to))\b",
        ),
    ),
    (
        "continue",
        (
            r"\b(continua|continuar|sigue|seguir|prolonga|extiende|alarga|completa|termina)\b"
            r".{0,24}\b(melodia|frase|clip|lead|riff|linea)\b",
            r"\b(continue|extend|finish|complete|carry on)\b.{0,24}\b(melody|phrase|clip|lead|"
            r"riff|line)\b",
        ),
    ),
    (
        "bass",
        (
            r"\b(bajo|bass|bassline|linea de bajo)\b.{0,50}\b(acordes|armonia|chords|harmony|"
            r"progresion|progression)\b",
            r"\b(acordes|armonia|chords|harmony)\b.{0,30}\b(bajo|bass|bassline)\b",
        ),
    ),
)
_THIS = r"\b(este|esta|ese|esa|seleccionad[oa]|this|selected)\b"
_TRACK = re.compile(
    r"\b(?:de|en|del|on|in|from)\s+(?:la\s+|el\s+|the\s+)?(?:pista|track|canal)\s+"
    r"[\"'“«]?([^\"'”».,;]{1,60})"
    r"|\b(?:the|la|el)\s+[\"'“«]?([^\"'”».,;]{1,40}?)[\"'”»]?\s+(?:track|pista)\b"
)
_BARS = re.compile(
    r"\b(?:compases?|bars?|measures?)\s+(\d{1,3})\s*(?:a|al|hasta|to|-|–|through)\s*(\d{1,3})\b"
)


@dataclass(frozen=True)
class LiveAsk:
    kind: Kind
    source: Source
    track: str | None = None
    bars: tuple[int, int] | None = None  # 1-based, inclusive

    def read_spec(self, beats_per_bar: float = 4.0) -> dict:
        """What to ask the Remote Script to read."""
        spec: dict = {"what": self.source}
        if self.track:
            spec["track"] = self.track
        if self.bars:
            spec["start"] = (self.bars[0] - 1) * beats_per_bar
            spec["end"] = self.bars[1] * beats_per_bar
        return spec


def _fold(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return " ".join(folded.lower().split())


def live_ask(text: str) -> LiveAsk | None:
    """The Live request in ``text``, or None when it is not about the producer's material."""
    folded = _fold(text)
    kind = None
    for candidate, patterns in _KIND_PATTERNS:
        if any(re.search(pattern, folded) for pattern in patterns):
            kind = candidate
            break
    if kind is None:
        return None
    track = None
    match = _TRACK.search(_fold_keep_case(text))
    if match:
        track = (match.group(1) or match.group(2) or "").strip() or None
    bars = None
    found = _BARS.search(folded)
    if found:
        first, last = int(found.group(1)), int(found.group(2))
        if 1 <= first <= last:
            bars = (first, last)
    if track:
        source: Source = "track"
    elif bars:
        source = "arrangement"
    elif kind == "bass" and not re.search(_THIS, folded):
        source = "arrangement"  # "mis acordes": the chords of the song
    else:
        source = "selected_clip"
    return LiveAsk(kind=kind, source=source, track=track, bars=bars)


def _fold_keep_case(text: str) -> str:
    """Accents folded, case kept (track names are matched case-insensitively by the script)."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return " ".join(folded.split())
