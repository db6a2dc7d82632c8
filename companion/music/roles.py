"""Fixed per-role track identity: name, Live colour and pitch range.

Colours are indexes into Live's 70-colour clip/track palette, fixed per role so every MusiaIA set
looks the same at a glance. Ranges are the hygiene bounds the engine promises and the tests check.
"""

from __future__ import annotations

from companion.arrangement import DRUM_MAP, Role

TRACK_NAMES: dict[str, str] = {
    "drums": "Drums",
    "bass": "Bass",
    "chords": "Chords",
    "pads": "Pads",
    "lead": "Lead",
    "arp": "Arp",
    "vocals": "Vocal Chops",
    "fx": "FX",
}

# Live palette indexes (0..69): warm for rhythm, cool for harmony, bright for melody.
ROLE_COLORS: dict[str, int] = {
    "drums": 14,  # red
    "bass": 9,  # orange
    "chords": 26,  # green
    "pads": 41,  # teal
    "lead": 56,  # violet
    "arp": 45,  # blue
    "vocals": 58,  # pink
    "fx": 13,  # grey
}

# Inclusive MIDI pitch ranges per melodic role.
ROLE_RANGES: dict[str, tuple[int, int]] = {
    "bass": (28, 55),
    "chords": (48, 84),
    "pads": (40, 88),
    "lead": (60, 96),
    "arp": (55, 96),
    "vocals": (55, 88),
}

# Order tracks appear in the set.
TRACK_ORDER: tuple[Role, ...] = ("drums", "bass", "chords", "pads", "lead", "arp", "vocals", "fx")

DRUM_PITCHES: frozenset[int] = frozenset(DRUM_MAP.values())
