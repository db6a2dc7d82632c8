"""What a name tells us: the role of a track ("808", "Pad") and the kind of a section ("Drop 2").

Sets saved by Live (and MIDI files from anywhere) carry names but no roles; the readers and the
analyzer use these tables so a producer's own "Sub Bass" or "Estribillo" is understood.
"""

from __future__ import annotations

import unicodedata

_SECTION_KINDS = (
    ("pre-chorus", ("pre-chorus", "pre chorus", "prechorus", "pre-estribillo", "precoro")),
    ("intro", ("intro",)),
    ("outro", ("outro", "ending", "final", "cierre")),
    ("breakdown", ("breakdown", "break", "paron")),
    ("build", ("build", "buildup", "riser", "subida")),
    ("drop", ("drop", "caida")),
    ("chorus", ("chorus", "hook", "estribillo", "coro")),
    ("bridge", ("bridge", "puente")),
    ("verse", ("verse", "verso", "estrofa")),
)

_ROLE_WORDS = (
    ("drums", ("drum", "kit", "beat", "kick", "snare", "hat", "perc", "bateria", "bombo", "caja")),
    ("bass", ("bass", "808", "sub", "bajo", "reese")),
    ("pads", ("pad", "string", "atmos", "texture", "colchon")),
    ("chords", ("chord", "keys", "piano", "stab", "organ", "rhodes", "acorde")),
    ("arp", ("arp",)),
    ("vocals", ("vocal", "vox", "voice", "voz", "chop")),
    ("fx", ("fx", "riser", "impact", "sweep", "efecto")),
    ("lead", ("lead", "melod", "synth", "pluck", "hook")),
)


def fold(text: str) -> str:
    """Lowercase without accents: "Caída" → "caida"."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def section_kind_from_name(name: str) -> str:
    folded = fold(name)
    for kind, words in _SECTION_KINDS:
        if any(word in folded for word in words):
            return kind
    return "verse"


def role_from_name(name: str) -> str | None:
    """The role a track name suggests, or None when the name says nothing."""
    folded = fold(name)
    for role, words in _ROLE_WORDS:
        if any(word in folded for word in words):
            return role
    return None
