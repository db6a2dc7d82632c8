"""Velocity layers: which kit instruments have a second, hard-struck sample per root, and how it
differs from the soft one.

A struck instrument changes its timbre with force, not only its level: a piano's hammer brings
out the upper partials and knocks louder, a Rhodes tine barks, a horn blares. Simpler only scales
the level by velocity, so for those instruments a hard layer is rendered and the Instrument Rack
plays it above ``split`` (its chains carry Live's velocity ranges). Synths, pads and plucks keep
one layer: their brightness is the filter's job, and a layer would double the files for nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from companion.kit import synths as s


@dataclass(frozen=True, slots=True)
class VelocityLayers:
    split: int  # the lowest velocity the hard layer plays; the soft one plays 1..split-1
    why: str


# The split sits where the accents start in the part the instrument plays by default, as the
# notes reach the rack (after the style's velocity curve, companion.production.tables.VELOCITY):
# about the top quarter of the notes strikes the hard layer, the comping stays soft.
VELOCITY_LAYERS: dict[str, VelocityLayers] = {
    "Keys_Piano_House": VelocityLayers(109, "house stabs (105-111): the accents ring brighter"),
    "Keys_Rhodes_Deep": VelocityLayers(109, "deep house Rhodes (105-111): bark only on accents"),
    "Keys_EPiano_Afro": VelocityLayers(109, "afro house e-piano (105-111): glassier accents"),
    "Keys_Piano_Dark": VelocityLayers(87, "trap's low piano (80-88): the loudest hits open up"),
    "Keys_Piano_Soul": VelocityLayers(99, "hip-hop soul comping (82-103): accents bright"),
    "Keys_Piano_Dusty": VelocityLayers(99, "boom-bap piano (82-103): the sampled accents"),
    "Keys_Piano_Pop": VelocityLayers(95, "pop piano (82-102): the hammer's knock on accents"),
    "Keys_Rhodes_Lofi": VelocityLayers(101, "lo-fi Rhodes (76-104): even a worn Rhodes barks"),
    "Lead_Brass_Disco": VelocityLayers(106, "disco horns (87-112): the stabs on top blare"),
    "Lead_Brass_Muted": VelocityLayers(109, "a muted boom-bap horn (90-113) brightens when pushed"),
}


def harder(spec: object) -> object:
    """The recipe knobs of the hard-struck layer: a faster attack and a brighter spectrum, by
    engine (the soft layer is the instrument as designed)."""
    if isinstance(spec, s.Partials):  # a harder hammer: more upper partials, a louder knock
        return replace(
            spec,
            tilt=max(0.5, spec.tilt - 0.3),
            thump=spec.thump * 2.0 + 0.05,
            thump_high=spec.thump_high * 2.0,
            attack=min(spec.attack, 0.001),
            lowpass=spec.lowpass * 1.8 if spec.lowpass else None,
        )
    if isinstance(spec, s.FM):  # a harder tine: more modulation at the hit, the bark
        return replace(
            spec,
            index=spec.index * 1.7,
            tine=spec.tine * 2.0 + 0.15,
            attack=min(spec.attack, 0.001),
            lowpass=spec.lowpass * 1.8 if spec.lowpass else None,
        )
    if isinstance(spec, s.Synth):  # a harder blow: the filter opens further and sooner
        return replace(
            spec,
            cutoff=spec.cutoff * 1.6,
            env_octaves=spec.env_octaves + 0.8,
            attack=spec.attack * 0.5,
        )
    raise TypeError(f"no hard layer for {type(spec).__name__}")
