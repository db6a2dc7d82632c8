"""Guess a track's role from its name (English and Spanish) and, failing that, from its notes.

Sets saved by Live carry no roles: "808", "Kick", "Drum Rack", "Bajo", "Teclado", "Voz" must still
land in the right bucket for the metrics to mean anything.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Sequence

from companion.arrangement import Note, Role

# Checked in order: the first family whose words appear wins ("Bass Drum" is a drum, not bass).
_RULES: tuple[tuple[Role, tuple[str, ...], tuple[str, ...]], ...] = (
    # (role, word prefixes, exact words)
    ("drums", ("bass drum", "kick", "bombo"), ("bd",)),
    (
        "fx",
        (
            "riser",
            "uplift",
            "downlift",
            "impact",
            "sweep",
            "whoosh",
            "efecto",
            "transici",
            "noise",
            "ruido",
            "crash fx",
        ),
        ("fx", "sfx"),
    ),
    ("vocals", ("vocal", "voice", "voces", "chop", "acapella", "coro"), ("vox", "voz")),
    (
        "drums",
        (
            "drum",
            "bateri",
            "percus",
            "snare",
            "caja",
            "clap",
            "palma",
            "hihat",
            "hi hat",
            "hat",
            "cymbal",
            "platillo",
            "ride",
            "tom",
            "beat",
            "break",
            "conga",
            "bongo",
            "shaker",
            "tambourin",
            "pandero",
            "rim",
        ),
        ("hh", "kit", "perc", "top", "tops"),
    ),
    ("bass", ("bass", "bajo", "808", "reese"), ("sub",)),
    ("arp", ("arp",), ()),
    ("pads", ("pad", "atmos", "textur", "drone", "string", "cuerda", "ambien", "choir"), ()),
    (
        "chords",
        (
            "chord",
            "acorde",
            "keys",
            "piano",
            "rhodes",
            "organ",
            "organo",
            "teclad",
            "stab",
            "epiano",
            "wurli",
            "guitar",
            "comp",
        ),
        (),
    ),
    (
        "lead",
        (
            "lead",
            "melod",
            "hook",
            "pluck",
            "bell",
            "campana",
            "solo",
            "flute",
            "flaut",
            "sax",
            "trump",
            "tromp",
            "whistle",
            "silb",
        ),
        (),
    ),
)

DRUM_NOTE_RANGE = range(35, 82)
CORE_DRUMS = {35, 36, 37, 38, 39, 40, 42, 44, 46}


def _normalise(name: str) -> str:
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii").lower()
    text = re.sub(r"[^a-z0-9]+", " ", text)
    # "HiHat" → "hihat" already; split digits from letters so "808Bass" reads "808 bass".
    text = re.sub(r"(?<=\d)(?=[a-z])|(?<=[a-z])(?=\d)", " ", text)
    return f" {' '.join(text.split())} "


def role_from_name(name: str) -> Role | None:
    text = _normalise(name)
    words = set(text.split())
    for role, prefixes, exact in _RULES:
        if words & set(exact):
            return role
        for prefix in prefixes:
            if f" {prefix}" in text:
                return role
    return None


CHORD_WINDOW = 0.06  # beats: onsets this close (a strummed chord) count as one chord


def polyphony(notes: Sequence[Note]) -> float:
    """Mean number of notes per onset group (notes starting within a strum of each other)."""
    if not notes:
        return 0.0
    starts = sorted(note.start for note in notes)
    groups = 1
    group_start = starts[0]
    for start in starts[1:]:
        if start - group_start > CHORD_WINDOW:
            groups += 1
            group_start = start
    return len(notes) / groups


def role_from_notes(notes: Sequence[Note]) -> Role:
    if not notes:
        return "other"
    pitches = [note.pitch for note in notes]
    distinct = set(pitches)
    mean_duration = sum(note.duration for note in notes) / len(notes)
    in_drum_range = sum(1 for p in pitches if p in DRUM_NOTE_RANGE) / len(pitches)
    if (
        in_drum_range > 0.95
        and len(distinct) <= 12
        and mean_duration <= 0.35
        and distinct & CORE_DRUMS
    ):
        return "drums"
    poly = polyphony(notes)
    mean_pitch = sum(pitches) / len(pitches)
    if poly >= 2.5:
        return "pads" if mean_duration >= 2.0 else "chords"
    if mean_pitch < 52 and poly < 1.3:
        return "bass"
    if mean_pitch >= 55 and poly < 1.5:
        starts = sorted({note.start for note in notes})
        gaps = [round(b - a, 3) for a, b in itertools.pairwise(starts)]
        if gaps:
            common = max(set(gaps), key=lambda g: (gaps.count(g), -g))
            if common <= 0.5 and gaps.count(common) / len(gaps) >= 0.8:
                return "arp"
        return "lead"
    return "other"


def infer_role(track_name: str, notes: Sequence[Note]) -> Role:
    """Role from the track name when it says one, else from pitch range, polyphony and rhythm."""
    return role_from_name(track_name) or role_from_notes(notes)
