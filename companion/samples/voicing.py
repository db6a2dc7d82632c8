"""How each part's Simpler plays its sample: amplitude envelope, voices and glide, as data.

Looped instruments hold their level while a note is held; the envelope shapes the start and the
release. Drums and effects are one-shots (they play to their end whatever the note length).
"""

from __future__ import annotations

from dataclasses import dataclass

from companion.arrangement import AmpEnvelope

# role → (attack ms, release ms, why)
ENVELOPES: dict[str, tuple[float, float, str]] = {
    "bass": (
        0.1000000015,
        120.0,
        "bass notes start at once and stop tight, so the groove stays dry",
    ),
    "lead": (2.0, 250.0, "a lead speaks quickly and rings a little after the note"),
    "arp": (0.1000000015, 180.0, "arpeggio plucks are short and snappy"),
    "chords": (2.0, 400.0, "chords ring on a little so changes overlap smoothly"),
    "pads": (300.0, 1800.0, "pads swell in and fade out slowly"),
    "vocals": (1.0, 200.0, "vocal chops start cleanly and end quickly"),
    "fx": (0.1000000015, 2000.0, "effects play out their tail"),
}
DEFAULT_ENVELOPE = (0.1000000015, 300.0)


@dataclass(frozen=True, slots=True)
class Legato:
    mono: bool
    glide_ms: float
    why: str


# instrument (kit) or sample kind → how it moves between notes
LEGATO: dict[str, Legato] = {
    "808": Legato(True, 80.0, "an 808 is one voice that slides between notes (trap's 808 glides)"),
    "sub": Legato(
        True, 40.0, "a sub bass is mono so notes never stack into mud; a short glide joins them"
    ),
    "acid": Legato(True, 60.0, "an acid line slides: the 303's glide is its signature"),
    "reese": Legato(True, 0.0, "a reese is mono so its detuned saws do not pile up"),
    "wobble": Legato(True, 0.0, "a wobble bass is one voice"),
}
DRUM_PAD_DB = -2.0  # every pad chain's fader (what MusiaIA has always written), until mixed


def envelope_for(role: str) -> AmpEnvelope:
    attack, release = ENVELOPES.get(role, (*DEFAULT_ENVELOPE, ""))[:2]
    return AmpEnvelope(attack_ms=attack, release_ms=release)


def legato_for(subtype: str | None, words: set[str]) -> Legato | None:
    for key in (subtype, *sorted(words)):
        if key in LEGATO:
            return LEGATO[key]
    return None
