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


# Chords comp at velocities of about 80-95 with accents at 96-105; leads play 88-112.
VELOCITY_LAYERS: dict[str, VelocityLayers] = {
    "Keys_Piano_House": VelocityLayers(96, "M1-style stabs: the accented hits ring brighter"),
    "Keys_Piano_Dark": VelocityLayers(96, "a dark piano opens up only where it is struck hard"),
    "Keys_Piano_Soul": VelocityLayers(96, "soul comping: ghosted chords soft, accents bright"),
    "Keys_Piano_Dusty": VelocityLayers(96, "the sampled-record piano keeps its accents"),
    "Keys_Piano_Pop": VelocityLayers(96, "a pop piano's accents carry the hammer's knock"),
    "Keys_Rhodes_Deep": VelocityLayers(96, "a Rhodes barks (tine and overdrive) when hit hard"),
    "Keys_Rhodes_Lofi": VelocityLayers(96, "even a worn Rhodes barks on the accents"),
    "Keys_EPiano_Afro": VelocityLayers(96, "a DX-style piano's tine gets glassier with force"),
    "Lead_Brass_Disco": VelocityLayers(105, "horn stabs above the line's usual force blare"),
    "Lead_Brass_Muted": VelocityLayers(105, "a muted horn still brightens when pushed"),
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
            index_tau=spec.index_tau * 1.5,  # and it stays bright for longer
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
