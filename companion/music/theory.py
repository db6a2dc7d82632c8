"""Pitch, key and scale arithmetic shared by the parser, the engine and the analyzer.

Keys travel through MusiaIA as short strings (``Am``, ``F#m``, ``Db``, ``C``, ``Bbm``) because that
is what producers type and what Live shows; everything numeric is derived here so there is exactly
one place that knows how a key name maps to pitch classes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Mode = Literal["major", "minor"]

SHARP_NAMES = ("C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B")
FLAT_NAMES = ("C", "Db", "D", "Eb", "E", "F", "Gb", "G", "Ab", "A", "Bb", "B")

_LETTER_PC = {"C": 0, "D": 2, "E": 4, "F": 5, "G": 7, "A": 9, "B": 11}

SCALE_STEPS: dict[Mode, tuple[int, ...]] = {
    "major": (0, 2, 4, 5, 7, 9, 11),
    "minor": (0, 2, 3, 5, 7, 8, 10),
}

# Keys whose conventional spelling uses flats (major and minor tonics).
_FLAT_MAJOR = {5, 10, 3, 8, 1, 6}  # F Bb Eb Ab Db Gb
_FLAT_MINOR = {2, 7, 0, 5, 10, 3}  # Dm Gm Cm Fm Bbm Ebm

KEY_PATTERN = re.compile(r"^([A-G])([#b]?)(m?)$")


@dataclass(frozen=True, slots=True)
class Key:
    """A tonic pitch class and a mode; the musical meaning of a key string."""

    tonic: int
    mode: Mode

    @property
    def scale(self) -> tuple[int, ...]:
        """Pitch classes of the key's (natural) scale, tonic first."""
        return tuple((self.tonic + step) % 12 for step in SCALE_STEPS[self.mode])

    @property
    def name(self) -> str:
        """Canonical key string, spelled the way musicians expect (``Bbm`` rather than ``A#m``)."""
        return format_key(self.tonic, self.mode)

    @property
    def prefers_flats(self) -> bool:
        """Whether this key's notes are conventionally spelled with flats (F, Dm, Bb...)."""
        return self.tonic in (_FLAT_MINOR if self.mode == "minor" else _FLAT_MAJOR)

    def relative(self) -> Key:
        if self.mode == "minor":
            return Key((self.tonic + 3) % 12, "major")
        return Key((self.tonic + 9) % 12, "minor")

    def contains(self, pitch: int) -> bool:
        return pitch % 12 in self.scale

    def degree_pitch_class(self, degree: int) -> int:
        """Pitch class of a 0-based scale degree; wraps across octaves."""
        steps = SCALE_STEPS[self.mode]
        return (self.tonic + steps[degree % 7]) % 12

    def degree_to_pitch(self, degree: int, octave_base: int) -> int:
        """MIDI pitch of a scale degree counted from the tonic at or above ``octave_base``.

        Degree 0 is the first tonic at or above ``octave_base``; degree 7 is an octave higher,
        negative degrees go below it.
        """
        steps = SCALE_STEPS[self.mode]
        octave, index = divmod(degree, 7)
        tonic_pitch = octave_base + (self.tonic - octave_base) % 12
        return tonic_pitch + 12 * octave + steps[index]


def pitch_class(name: str) -> int:
    """``"F#"`` → 6, ``"Bb"`` → 10. Raises ValueError for anything else."""
    match = re.fullmatch(r"([A-Ga-g])([#b]?)", name.strip())
    if not match:
        raise ValueError(f"not a note name: {name!r}")
    letter, accidental = match.groups()
    pc = _LETTER_PC[letter.upper()]
    if accidental == "#":
        pc += 1
    elif accidental == "b":
        pc -= 1
    return pc % 12


def parse_key(text: str) -> Key:
    """Parse a key string in MusiaIA's format (``Am``, ``F#m``, ``Db``, ``C``, ``Bbm``)."""
    match = KEY_PATTERN.match(text.strip())
    if not match:
        raise ValueError(f"not a key: {text!r} (expected e.g. Am, F#m, Db, C, Bbm)")
    letter, accidental, minor = match.groups()
    return Key(pitch_class(letter + accidental), "minor" if minor else "major")


def format_key(tonic: int, mode: Mode) -> str:
    tonic %= 12
    flats = _FLAT_MINOR if mode == "minor" else _FLAT_MAJOR
    name = FLAT_NAMES[tonic] if tonic in flats else SHARP_NAMES[tonic]
    return name + ("m" if mode == "minor" else "")


def normalize_key(text: str) -> str:
    """Validate a key string and return it in canonical spelling (``A#m`` → ``Bbm``)."""
    return parse_key(text).name


def note_name(pitch: int, prefer_flats: bool = False) -> str:
    """MIDI pitch → name with octave in Live's convention (C3 = 60)."""
    names = FLAT_NAMES if prefer_flats else SHARP_NAMES
    return f"{names[pitch % 12]}{pitch // 12 - 2}"


def bar_beats(numerator: int, denominator: int) -> float:
    """Length of one bar in Live beats (quarter notes): 4/4 → 4, 6/8 → 3, 3/4 → 3."""
    return numerator * 4 / denominator


def parse_time_signature(text: str) -> tuple[int, int]:
    match = re.fullmatch(r"\s*(\d{1,2})\s*/\s*(\d{1,2})\s*", text)
    if not match:
        raise ValueError(f"not a time signature: {text!r} (expected e.g. 4/4)")
    numerator, denominator = int(match.group(1)), int(match.group(2))
    if not 1 <= numerator <= 99 or denominator not in (1, 2, 4, 8, 16):
        raise ValueError(f"unsupported time signature: {text!r}")
    return numerator, denominator
