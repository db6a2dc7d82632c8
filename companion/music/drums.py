"""Drums: one Drum Rack track, one lane per drum word (kick, snare, clap, hats, percussion).

Each genre is a drum family: the kick and backbeat that define it (four-on-the-floor, dembow,
two-step, half-time...) plus pools of what producers actually vary between takes: the hat groove
and the pad it sits on (closed, pedal, ride in the big peaks), where the open hats go, which
percussion voices play (shakers, tambourines, rims, claves, congas, bongos, toms, cowbell) and their
patterns, ghost snares, clap pick-ups. Per section every lane picks a take A and a related take B
from the seed and a phrase form (steady, lift halfway, call and answer, turn at the end) that
decides which 4-bar phrase plays which. On top: small variations at the end of every 4 bars, fills
every 8 bars and at section ends (snare/clap rolls, tom runs, hat stutters, kick breaks, clap runs),
snare rolls that accelerate through builds, a kick drop-out in a build's last bar, crashes into
drops, trap hat rolls (1/32 and 1/16-triplets), swing on off-16ths.
4/4 grooves come from per-genre 16-step tables (X accent, x normal, o soft, g ghost); other meters
build the same kinds of pools from their own pulses (8ths, 16ths, offbeats, Euclidean percussion).
Each lane has its own random streams (its plan, density and humanisation), so a density change on
hats never moves the kick, and "another take of the hats" leaves the percussion alone.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import lru_cache

from companion.music.context import Context
from companion.music.meter import Meter, swing_offset
from companion.music.notes import NoteBuffer
from companion.music.rng import jitter, part_rng
from companion.music.sections import PlannedSection

VELOCITY = {"X": 118, "x": 100, "o": 76, "g": 46}

KICK, SNARE, CLAP, CLOSED_HAT, OPEN_HAT, CRASH, RIDE = 36, 38, 39, 42, 46, 49, 51
RIM, PEDAL_HAT = 37, 44
TOM_LOW, TOM_MID, TOM_HIGH = 41, 45, 48
TOMS = (TOM_HIGH, TOM_MID, TOM_LOW)
TAMBOURINE, COWBELL, SHAKER_PAD, CLAVE = 54, 56, 70, 75
BONGO_HIGH, BONGO_LOW, CONGA_HIGH, CONGA_LOW = 60, 61, 62, 64
PHRASE = 4  # bars per phrase: takes switch and variations land on these boundaries
PEAKS = ("drop", "chorus")

Layer = tuple[int, str]  # (pitch, step pattern)
Variant = tuple[Layer, ...]


@dataclass(frozen=True, slots=True)
class Voice:
    """One drum voice: the pads it may be played on (one kit per take: a shaker or a tambourine,
    congas or bongos) and the step patterns it may play, one string per pad of the kit."""

    kits: tuple[tuple[int, ...], ...]
    patterns: tuple[tuple[str, ...], ...]

    def layers(self, kit: int, pattern: int) -> Variant:
        return tuple(zip(self.kits[kit], self.patterns[pattern], strict=True))


def _voice(pitches: tuple[int, ...], *patterns: str) -> Voice:
    return Voice(tuple((pitch,) for pitch in pitches), tuple((pattern,) for pattern in patterns))


def _duo(kits: tuple[tuple[int, int], ...], *patterns: tuple[str, str]) -> Voice:
    return Voice(kits, patterns)


@dataclass(frozen=True, slots=True)
class DrumFamily:
    kind: str  # feel for other meters: floor, backbeat, halftime, sparse
    lanes: dict[str, tuple[Variant, ...]]  # kick, snare and clap grooves
    hats: Voice  # the hat groove (on floor styles: the 16th texture between the offbeats)
    opens: tuple[Variant, ...] = ((),)  # offbeat / open-hat layers; they choke the hats under them
    rides: tuple[str, ...] = ()  # ride grooves that may replace the hats in the biggest peaks
    perc: tuple[Voice, ...] = ()
    perc_layers: tuple[int, ...] = (1,)  # how many percussion voices a take stacks
    rolls: bool = False  # trap hat rolls
    late_snare: float = 0.0  # laid-back snare (lo-fi, boom bap), in beats; within grid tolerance
    clean_snare: bool = False  # no ghost ornaments: the big gated 80s snare stands alone

    def variants(self, lane: str) -> tuple[Variant, ...]:
        return self.lanes.get(lane, ((),))


K4 = "X...X...X...X..."
BACK = "....x.......x..."
OFF = "..x...x...x...x."  # the offbeat 8ths
SHAKER = "ggogggogggogggog"
EIGHTHS = "x.o.x.o.x.o.x.o."
SIXTEENTHS = "xgogxgogxgogxgog"
AROUND = "og.gog.gog.gog.g"  # 16ths that leave room for the open hat offbeats
NONE = "................"


def _v(*layers: Layer) -> Variant:
    return tuple(layers)


def _k(*patterns: str) -> tuple[Variant, ...]:
    return tuple(_v((KICK, pattern)) for pattern in patterns)


def _lane(pitch: int, *patterns: str) -> tuple[Variant, ...]:
    return tuple(_v((pitch, pattern)) if pattern else () for pattern in patterns)


# Shared percussion voices (families add their own).
SHAKERS = _voice(
    (SHAKER_PAD, SHAKER_PAD, TAMBOURINE),
    SHAKER,
    "g.g.g.g.g.g.g.g.",
    "g.ggg.ggg.ggg.gg",
    "..o...o...o...o.",
    "gog.gog.gog.gog.",
)
TAMB_BACK = _voice((TAMBOURINE,), "....o.......o...", "....o.......o.g.", "g...o...g...o...")
CONGAS = ((CONGA_HIGH, CONGA_LOW), (BONGO_HIGH, BONGO_LOW))

FAMILIES: dict[str, DrumFamily] = {
    "house": DrumFamily(
        "floor",
        {
            "kick": _k(K4),
            "snare": _lane(SNARE, "", "", "....o.......o..."),
            "clap": _lane(CLAP, BACK, BACK, "....x.......x..o", "....x......ox..."),
        },
        hats=_voice(
            (CLOSED_HAT, CLOSED_HAT, PEDAL_HAT),
            AROUND,
            ".g.g.g.g.g.g.g.g",
            "g..gg..gg..gg..g",
            "...g...g...g...g",
            ".g...g...g...g..",
            NONE,
        ),
        opens=(
            _v((OPEN_HAT, OFF)),
            _v((OPEN_HAT, OFF)),
            _v((CLOSED_HAT, "..X...X...X...X.")),
            _v((OPEN_HAT, "......x.......x."), (CLOSED_HAT, "..x.......x.....")),
            _v((PEDAL_HAT, "..x...x...x....."), (OPEN_HAT, "..............x.")),
        ),
        rides=("x.o.x.o.x.o.x.o.", "x...x...x...x...", "o.gog.goo.gog.go", "..x...x...x...x."),
        perc=(
            SHAKERS,
            _voice(
                (RIM, CLAVE),
                "...o.....o....o.",
                "...o..o....o..o.",
                "..o..o...o..o...",
                "o..o..o...o.o...",
                "......o..o....o.",
                "...o......o..o..",
            ),
            _duo(
                CONGAS,
                ("...o..o....o..o.", "o.......o......."),
                ("..o..o....o..o..", "o.....o.o......."),
                ("...o......o..o..", "o.....o........."),
            ),
            _voice((COWBELL,), "...o......o.....", "..o...o...o...o."),
            TAMB_BACK,
        ),
        perc_layers=(1, 2, 2),
    ),
    "deep": DrumFamily(
        "floor",
        {
            "kick": _k("x...x...x...x..."),
            "clap": _lane(CLAP, "....o.......o...", "....o.......o...", "....o.......o..g"),
            "snare": _lane(SNARE, "", "", "......g.......g."),
        },
        hats=_voice(
            (CLOSED_HAT, PEDAL_HAT),
            "g..gg..gg..gg..g",
            ".g.g.g.g.g.g.g.g",
            "...g...g...g...g",
            "g.o.g.o.g.o.g.o.",
            NONE,
        ),
        opens=(
            _v((OPEN_HAT, "..o...o...o...o.")),
            _v((OPEN_HAT, "..o...o...o...o.")),
            _v((CLOSED_HAT, "..o...o...o...o.")),
            _v((PEDAL_HAT, "..o...o...o...o.")),
            _v((CLOSED_HAT, "..o...o...o....."), (OPEN_HAT, "..............o.")),
        ),
        rides=("o.g.o.g.o.g.o.g.", "o...o...o...o...", "..o...o...o...o."),
        perc=(
            _voice(
                (RIM, CLAVE),
                "...o..o...o..o..",
                "......o..o....o.",
                "...o..o....o....",
                "..o.....o.....o.",
                "..o..o....o.....",
            ),
            _voice((SHAKER_PAD, TAMBOURINE), "g.g.g.g.g.g.g.g.", SHAKER, ".g.g.g.g.g.g.g.g"),
            _duo(
                CONGAS,
                ("..o...o..o....o.", "o.......o......."),
                ("...o..o....o..o.", "o.....o........."),
            ),
        ),
        perc_layers=(1, 2),
    ),
    "tech": DrumFamily(
        "floor",
        {
            "kick": _k(K4),
            "snare": _lane(SNARE, "", "", "....o.......o..."),
            "clap": _lane(CLAP, BACK, BACK, "....x.......x..o", "....x..o....x..."),
        },
        hats=_voice(
            (CLOSED_HAT, CLOSED_HAT, PEDAL_HAT),
            AROUND,
            "ggxgggxgggxgggxg",
            "g..gg..gg..gg..g",
            ".g.g.g.g.g.g.g.g",
            "...g...g...g...g",
        ),
        opens=(
            _v((OPEN_HAT, OFF)),
            _v((OPEN_HAT, OFF)),
            _v((CLOSED_HAT, "..X...X...X...X.")),
            _v((OPEN_HAT, "......x.......x."), (CLOSED_HAT, "..x.......x.....")),
        ),
        rides=("x.o.x.o.x.o.x.o.", "x...x...x...x...", "..x...x...x...x."),
        perc=(
            _voice(
                (RIM, CLAVE),
                "..o..o...o..o...",
                "...o......o..o..",
                "...o..o....o....",
                "..o.o....o..o...",
            ),
            _duo(
                CONGAS,
                ("......g.......g.", "..o..o...o......"),
                ("...o......o.....", "o.....o.......o."),
            ),
            _voice((SHAKER_PAD, TAMBOURINE), SHAKER, "g.g.g.g.g.g.g.g.", "g.ggg.ggg.ggg.gg"),
            _voice((TOM_LOW, TOM_MID), "...o......o.....", "......o.......o.", "..o.....o..o...."),
            _voice((COWBELL,), "...o......o.....", "......o..o......"),
        ),
        perc_layers=(1, 2, 2),
    ),
    "afro": DrumFamily(
        "floor",
        {
            "kick": _k("x...x...x...x..."),
            "clap": _lane(CLAP, "....o.......o...", "....o.......o..o"),
        },
        hats=_voice(
            (CLOSED_HAT, PEDAL_HAT),
            "g.......g.......",
            NONE,
            "g...g...g...g...",
            "...g...g...g...g",
        ),
        opens=(
            _v((OPEN_HAT, "..o...o...o...o.")),
            _v((OPEN_HAT, "..o...o...o...o.")),
            _v((PEDAL_HAT, "..o...o...o...o.")),
            _v((CLOSED_HAT, "..o...o...o...o."), (OPEN_HAT, "..............o.")),
        ),
        rides=("o.g.o.g.o.g.o.g.",),
        perc=(
            _duo(
                CONGAS,
                ("...o..x....o.x..", "o.....o...o....."),
                ("..o..o...o..o...", "o.....o.o......."),
                ("...x..o...o..x..", "o.......o..o...."),
                ("..o.o..o..o.o..o", "o.......o......."),
            ),
            _voice((SHAKER_PAD, TAMBOURINE), SHAKER, "g.ggg.ggg.ggg.gg", "g.g.g.g.g.g.g.g."),
            _voice(
                (COWBELL, CLAVE, RIM),
                "x..x..x...x.x...",
                "x..x...x..x.x...",
                "x.x.xx.x.x.xx.x.",
                "..x..x..x..x..x.",
            ),
            _voice((TOM_LOW, TOM_MID), "......o.......o.", "...o......o....."),
        ),
        perc_layers=(2, 2, 3),
    ),
    "edm": DrumFamily(
        "floor",
        {
            "kick": _k(K4),
            "snare": _lane(SNARE, "", "", BACK),
            "clap": _lane(CLAP, BACK, BACK, "....x.......x..o"),
        },
        hats=_voice(
            (CLOSED_HAT, CLOSED_HAT, PEDAL_HAT),
            AROUND,
            "g..gg..gg..gg..g",
            ".g.g.g.g.g.g.g.g",
            NONE,
            "...g...g...g...g",
            "g...g...g...g...",
            ".g...g...g...g..",
        ),
        opens=(
            _v((OPEN_HAT, OFF)),
            _v((OPEN_HAT, OFF)),
            _v((CLOSED_HAT, "..X...X...X...X.")),
            _v((OPEN_HAT, "......x.......x."), (CLOSED_HAT, "..x.......x.....")),
            _v((PEDAL_HAT, "..x...x...x....."), (OPEN_HAT, "..............x.")),
        ),
        rides=("x.o.x.o.x.o.x.o.", "x...x...x...x...", "..x...x...x...x."),
        perc=(
            _voice(
                (SHAKER_PAD, SHAKER_PAD, TAMBOURINE),
                SHAKER,
                "g.g.g.g.g.g.g.g.",
                "..o...o...o...o.",
                "g.ggg.ggg.ggg.gg",
            ),
            TAMB_BACK,
            _voice((RIM, CLAVE), "...o......o.....", "......o.......o.", "...o..o....o...."),
            _duo(
                CONGAS,
                ("...o..o....o..o.", "o.......o......."),
                ("..o..o....o..o..", "o.....o........."),
            ),
        ),
        perc_layers=(1, 2, 2),
    ),
    "trance": DrumFamily(
        "floor",
        {
            "kick": _k(K4),
            "snare": _lane(SNARE, "", "", BACK),
            "clap": _lane(CLAP, BACK),
        },
        hats=_voice(
            (CLOSED_HAT, PEDAL_HAT),
            AROUND,
            "g..gg..gg..gg..g",
            ".g.g.g.g.g.g.g.g",
            "...g...g...g...g",
            NONE,
            "g...g...g...g...",
        ),
        opens=(
            _v((OPEN_HAT, OFF)),
            _v((OPEN_HAT, OFF)),
            _v((OPEN_HAT, OFF)),
            _v((CLOSED_HAT, "..X...X...X...X.")),
        ),
        rides=(
            "o.g.o.g.o.g.o.g.",
            "x...x...x...x...",
            "x.o.x.o.x.o.x.o.",
            "..x...x...x...x.",
            "x.oox.oox.oox.oo",
        ),
        perc=(
            TAMB_BACK,
            _voice((SHAKER_PAD, TAMBOURINE), "..o...o...o...o.", "g.g.g.g.g.g.g.g.", SHAKER),
            _voice((RIM, CLAVE), "...o......o.....", "..o..o....o..o..", "......o.......o."),
        ),
        perc_layers=(1, 1, 2),
    ),
    "techno": DrumFamily(
        "floor",
        {
            "kick": _k(K4),
            "clap": _lane(CLAP, "....o.......o...", "....o.......o...", "....o.......o..g"),
            "snare": _lane(SNARE, "", "", "..........g....g"),
        },
        hats=_voice(
            (CLOSED_HAT, CLOSED_HAT, PEDAL_HAT),
            "g.g.g.g.g.g.g.g.",
            ".g.g.g.g.g.g.g.g",
            "ggxgggxgggxgggxg",
            "g..gg..gg..gg..g",
            "...g...g...g...g",
            NONE,
            "gggggggggggggggg",
        ),
        opens=(
            _v((OPEN_HAT, OFF)),
            _v((RIDE, "..x...x...x...x.")),
            _v((CLOSED_HAT, "..X...X...X...X.")),
            _v((OPEN_HAT, OFF)),
            _v((PEDAL_HAT, "..x...x...x...x.")),
        ),
        rides=("g.g.g.g.g.g.g.g.", "x.o.x.o.x.o.x.o.", "..x...x...x...x.", "x.oox.oox.oox.oo"),
        perc=(
            _voice(
                (RIM, CLAVE),
                "...o..o..o....o.",
                "..o....o..o...o.",
                "......o.......o.",
                "...o.....o..o...",
                "..o..o..o..o..o.",
            ),
            _voice((TOM_LOW, TOM_MID, TOM_HIGH), "..o.......o..o..", "...o..o......o.."),
            _voice((SHAKER_PAD,), "g.ggg.ggg.ggg.gg", SHAKER),
        ),
        perc_layers=(1, 2),
    ),
    "minimal": DrumFamily(
        "floor",
        {
            "kick": _k("x...x...x...x..."),
            "clap": _lane(CLAP, "....o.......o...", "....o.......o...", "....o..g....o..."),
        },
        hats=_voice(
            (CLOSED_HAT, PEDAL_HAT),
            NONE,
            "...g...g...g...g",
            ".g...g...g...g..",
            "g..g..g..g..g..g",
        ),
        opens=(
            _v((CLOSED_HAT, "..o...o...o...o.")),
            _v((OPEN_HAT, "..o.......o....."), (CLOSED_HAT, "......o.......o.")),
            _v((OPEN_HAT, "..o...o...o...o.")),
            _v((PEDAL_HAT, "..o...o...o...o.")),
        ),
        rides=("o...o...o...o...",),
        perc=(
            _voice(
                (RIM, CLAVE),
                "...o..o...o..o..",
                "..o..o...o....o.",
                ".......g.....g..",
                "..o..o..o..o..o.",
                "...o.......o....",
            ),
            _duo(
                CONGAS,
                ("......g.......g.", "...g......g....."),
                ("...g..g.......g.", "o.......o......."),
            ),
            _voice((SHAKER_PAD,), "g.g.g.g.g.g.g.g.", ".g.g.g.g.g.g.g.g"),
        ),
        perc_layers=(1, 2),
    ),
    "disco": DrumFamily(
        "floor",
        {
            "kick": _k(K4),
            "snare": _lane(SNARE, BACK, BACK, "....x..g....x..."),
            "clap": _lane(CLAP, "....o.......o...", "....o.......o...", ""),
        },
        hats=_voice(
            (CLOSED_HAT, CLOSED_HAT, PEDAL_HAT),
            AROUND,
            "x..xx..xx..xx..x",
            SIXTEENTHS,
            EIGHTHS,
            ".g.g.g.g.g.g.g.g",
        ),
        opens=(
            _v((OPEN_HAT, "..X...X...X...X.")),
            _v((OPEN_HAT, "..X...X...X...X.")),
            _v((OPEN_HAT, "..X...X...X...X.")),
            _v((CLOSED_HAT, "..X...X...X...X.")),
        ),
        rides=("x.o.x.o.x.o.x.o.", "x...x...x...x..."),
        perc=(
            _voice((TAMBOURINE,), "g.o.g.o.g.o.g.o.", "....o.......o...", "gggogggogggogggo"),
            _voice((SHAKER_PAD,), SHAKER, "g.g.g.g.g.g.g.g."),
            _voice((COWBELL,), "x.....x...x.....", "..x...x...x...x."),
            _voice((CLAVE, RIM), "...o..o....o..o.", "o..o..o...o.o..."),
            _duo(
                CONGAS,
                ("...o..o....o..o.", "o.......o......."),
                ("..o..o....o..o..", "o.....o........."),
            ),
        ),
        perc_layers=(1, 2, 2),
    ),
    "garage": DrumFamily(
        "backbeat",
        {
            "kick": _k("X.........x.....", "X......x..x....."),
            "snare": _lane(SNARE, "....X.......X...", "....X.......X...", "....X.......X..g"),
            "clap": _lane(CLAP, BACK),
        },
        hats=_voice(
            (CLOSED_HAT, CLOSED_HAT, PEDAL_HAT),
            "ogxgogxgogxgogxg",
            "o.xgo.xgo.xgo.xg",
            "g..gg..gg..gg..g",
            "x.oxx.o.x.oxx.o.",
            "..x...x...x...x.",
        ),
        opens=(
            (),
            (),
            _v((OPEN_HAT, "..o...o...o...o.")),
            _v((OPEN_HAT, "..............o.")),
            _v((OPEN_HAT, "......o.......o.")),
        ),
        perc=(
            _voice(
                (RIM, CLAVE),
                "...g..g....g..g.",
                "..g......g....g.",
                "...o......o..o..",
                "......g..g....g.",
            ),
            _voice((SHAKER_PAD, TAMBOURINE), "g.ggg.ggg.ggg.gg", "g.g.g.g.g.g.g.g."),
            TAMB_BACK,
            _duo(
                CONGAS,
                ("...g..g....g....", "o.......o......."),
                ("......g..g....g.", "o.....o........."),
            ),
        ),
        perc_layers=(1, 2, 2),
    ),
    "dnb": DrumFamily(
        "backbeat",
        {
            "kick": _k("X.........X.....", "X.........x.x..."),
            # Two-step break: the ghost snares between the backbeats are the roll of the break.
            "snare": _lane(SNARE, "....X..g.g..X..g", "....X.g....gX.g.", "....X..g..g.X.g."),
            "clap": _lane(CLAP, "....o.......o..."),
        },
        hats=_voice(
            (CLOSED_HAT, CLOSED_HAT, RIDE),
            EIGHTHS,
            SIXTEENTHS,
            "x.oxx.o.x.oxx.o.",
            "x.ogx.ogx.ogx.og",
            "x.x.x.xxx.x.x.xx",
        ),
        opens=((), (), _v((OPEN_HAT, "......o.......o.")), _v((OPEN_HAT, "..............o."))),
        rides=("x.o.x.o.x.o.x.o.", "x.oxx.oxx.oxx.ox"),
        perc=(
            _voice((SHAKER_PAD, TAMBOURINE), SHAKER, "g.g.g.g.g.g.g.g.", "..o...o...o...o."),
            _voice((RIM, CLAVE), "...g......g..g..", "..g..g.....g....", "......g.......g."),
            _duo(CONGAS, ("...g......g.....", "......g.......g.")),
        ),
        perc_layers=(1, 1, 2),
    ),
    "dubstep": DrumFamily(
        "halftime",
        {
            "kick": _k("X..........x....", "X.....x........."),
            "snare": _lane(SNARE, "........X.......", "........X.......", "........X......g"),
            "clap": _lane(CLAP, "........x......."),
        },
        hats=_voice(
            (CLOSED_HAT,),
            EIGHTHS,
            "x.x.xxx.x.x.xxx.",
            "x..x..x.x..x..x.",
            "x.o.x.o.xoo.x.o.",
            "x...x...x...x...",
        ),
        opens=((), (), _v((OPEN_HAT, "..............o.")), _v((OPEN_HAT, "......o........."))),
        rides=("x...x...x...x...", "x.o.x.o.x.o.x.o."),
        perc=(
            _voice((RIM, CLAVE), "...g......g.....", "......g........g", "..g.....g.....g."),
            _voice((SHAKER_PAD, TAMBOURINE), "g.g.g.g.g.g.g.g.", "....o.......o..."),
            _voice((TOM_LOW, TOM_MID), "...........o....", "......o.....o..."),
        ),
        perc_layers=(1, 1, 2),
    ),
    "trap": DrumFamily(
        "halftime",
        {
            "kick": _k(
                "X......x..x.....", "X.........X.....", "X.....x...x..x..", "X..x......x....."
            ),
            "snare": _lane(SNARE, "........X......."),
            "clap": _lane(CLAP, "........X......."),
        },
        hats=_voice(
            (CLOSED_HAT,),
            EIGHTHS,
            "xoooxoooxoooxooo",
            "x.oox.o.x.oox.o.",
            "x.o.xoo.x.o.xoo.",
            "x..x..x.x..x..x.",
        ),
        opens=((), (), _v((OPEN_HAT, "..............o.")), _v((OPEN_HAT, "......o.......o."))),
        perc=(
            _voice((RIM, CLAVE), "......g........g", "...g......g.....", "..g....g..g....."),
            _voice((COWBELL,), "x.....x...x.....", "......x.......x."),
            _voice((SHAKER_PAD, TAMBOURINE), "g.g.g.g.g.g.g.g.", "..g...g...g...g."),
        ),
        perc_layers=(1, 1, 2),
        rolls=True,
    ),
    "hiphop": DrumFamily(
        "backbeat",
        {
            "kick": _k("X......x..x.....", "X.....x...x.....", "X......x..x..x.."),
            "snare": _lane(SNARE, "....X.......X...", "....X.......X...", "....X.......X..g"),
            "clap": _lane(CLAP, BACK),
        },
        hats=_voice(
            (CLOSED_HAT, CLOSED_HAT, PEDAL_HAT),
            EIGHTHS,
            "x.oox.o.x.oox.o.",
            "x.o.x.ogx.o.x.og",
            SIXTEENTHS,
            "x.x.x.xxx.x.x.x.",
        ),
        opens=((), (), _v((OPEN_HAT, "......o.......o.")), _v((OPEN_HAT, "..............o."))),
        perc=(
            _voice((SHAKER_PAD, TAMBOURINE), "g.g.g.g.g.g.g.g.", "..g...g...g...g."),
            _voice((RIM,), "......g.......g.", "...g......g.....", "..g.......g...g."),
            _voice(
                (COWBELL,),
                "x.....x...x.....",
            ),
            TAMB_BACK,
        ),
        perc_layers=(1, 1, 2),
    ),
    "boombap": DrumFamily(
        "backbeat",
        {
            "kick": _k("X......x.x......", "X......x..x.....", "X.....x...x..x.."),
            "snare": _lane(SNARE, "....X..g....X..g", "....X.......X.g.", "....X.......X..."),
            "clap": _lane(CLAP, "....o.......o..."),
        },
        hats=_voice(
            (CLOSED_HAT, CLOSED_HAT, PEDAL_HAT),
            "x.o.x.ogx.o.x.og",
            "x.oxx.o.x.oxx.o.",
            "x.x.x.x.x.x.x.xo",
            EIGHTHS,
            "x.oox.o.x.o.x.oo",
        ),
        opens=((), (), _v((OPEN_HAT, "..............o.")), _v((OPEN_HAT, "......o........."))),
        perc=(
            _voice((TAMBOURINE, SHAKER_PAD), "....o.......o...", "g.g.g.g.g.g.g.g."),
            _voice((RIM,), "..g.......g.....", "......g.......g.", "...g..g....g...."),
            _voice(
                (COWBELL,),
                "x.......x.......",
                "......x.........",
            ),
        ),
        perc_layers=(1, 1, 2),
        late_snare=0.01,
    ),
    "lofi": DrumFamily(
        "backbeat",
        {
            "kick": _k("X.........x.....", "X......o..x.....", "X.......x.x....."),
            "snare": _lane(SNARE, BACK, BACK, "....x.......x..g", "....x..g....x..."),
            "clap": _lane(CLAP, "....o.......o..."),
        },
        hats=_voice(
            (CLOSED_HAT, CLOSED_HAT, PEDAL_HAT),
            "o.g.o.g.o.g.o.g.",
            "o.ggo.g.o.ggo.g.",
            "o.googgo.googgo.",
            "o.o.o.o.o.o.o.oo",
            "o.g.o.ggo.g.o.gg",
            "o...o...o...o...",
            "..o...o...o...o.",
            "o..go..go..go..g",
        ),
        opens=((), (), _v((OPEN_HAT, "..............g.")), _v((OPEN_HAT, "......g........."))),
        perc=(
            _voice(
                (SHAKER_PAD, TAMBOURINE), "g.g.g.g.g.g.g.g.", "..g...g...g...g.", "....g.......g..."
            ),
            _voice(
                (RIM, CLAVE),
                "......g.......g.",
                "..g.......g.....",
                "...g......g..g..",
                "...g..g....g....",
            ),
            _duo(
                CONGAS,
                ("......g.......g.", "g.......g......."),
                ("...g......g.....", "g.....g........."),
            ),
        ),
        perc_layers=(1, 2, 2),
        late_snare=0.01,
    ),
    "dembow": DrumFamily(
        "backbeat",
        {
            "kick": _k(K4),
            "snare": _lane(
                SNARE,
                "...x..x....x..x.",
                "...x..x....x..x.",
                "...x..x..g.x..x.",
                "...x..x....x.xx.",
            ),
            "clap": _lane(CLAP, "...o..o....o..o.", "...o..o....o..o.", "......o.......o.", ""),
        },
        hats=_voice(
            (CLOSED_HAT, CLOSED_HAT, PEDAL_HAT),
            "x..x..x.x..x..x.",
            "..x...x...x...x.",
            EIGHTHS,
            SIXTEENTHS,
            "x.oox.o.x.oox.o.",
            "x.o.x.o.x.o.x.oo",
            "xoo.xoo.xoo.xoo.",
        ),
        opens=((), (), _v((OPEN_HAT, "..............o.")), _v((OPEN_HAT, "......o.......o."))),
        perc=(
            _voice((SHAKER_PAD, TAMBOURINE), SHAKER, "g.g.g.g.g.g.g.g."),
            _duo(
                CONGAS,
                ("..o..o....o..o..", "o.......o......."),
                ("...g......g.....", "o.....o........."),
                ("..o...o...o...o.", "o.......o......."),
            ),
            _voice((RIM, CLAVE), "...o..o....o..o.", "..o..o...o..o..."),
            _voice((COWBELL,), "x...x...x...x...", "..x...x...x...x."),
        ),
        perc_layers=(1, 2),
    ),
    "pop": DrumFamily(
        "backbeat",
        {
            "kick": _k("X.......X.x.....", "X.....x.X......."),
            "snare": _lane(SNARE, "....X.......X..."),
            "clap": _lane(CLAP, BACK),
        },
        hats=_voice(
            (CLOSED_HAT, CLOSED_HAT, PEDAL_HAT),
            EIGHTHS,
            SIXTEENTHS,
            "x.oox.oox.oox.o.",
            "..x...x...x...x.",
            "x..x..x.x..x..x.",
            "x.x.x.x.x.x.x.xo",
            "xgo.xgo.xgo.xgo.",
        ),
        opens=((), (), _v((OPEN_HAT, "..............o.")), _v((OPEN_HAT, "......o.......o."))),
        rides=("x.o.x.o.x.o.x.o.", "x...x...x...x..."),
        perc=(
            _voice((TAMBOURINE,), "....o.......o...", "g.g.g.g.g.g.g.g.", "..o...o...o...o."),
            _voice((SHAKER_PAD,), SHAKER, "g.ggg.ggg.ggg.gg"),
            _voice((RIM, CLAVE), "......g.......g.", "...o......o.....", "..o..o....o....."),
            _duo(
                CONGAS,
                ("...o..o....o..o.", "o.......o......."),
                ("..o.......o..o..", "o.....o........."),
            ),
        ),
        perc_layers=(1, 2, 2),
    ),
    "funk": DrumFamily(
        "backbeat",
        {
            "kick": _k("X.....x...x.....", "X.....x..x....x.", "X..x..x...x....."),
            "snare": _lane(SNARE, "....X..g.g..X..g", "....X.g..g..X.g.", "....X..g..g.X..g"),
        },
        hats=_voice(
            (CLOSED_HAT, CLOSED_HAT, PEDAL_HAT),
            "xgogxgogxgogxgo.",
            "x.oox.oox.oox.o.",
            "xgoox.ogxgoox.o.",
            EIGHTHS,
            "x.xxx.xxx.xxx.x.",
        ),
        opens=(
            (),
            _v((OPEN_HAT, "...............o")),
            _v((OPEN_HAT, ".......o........")),
            _v((OPEN_HAT, "..o.......o.....")),
        ),
        perc=(
            _voice((COWBELL,), "x.......x.......", "x...x...x...x...", "x..x..x...x....."),
            _voice((TAMBOURINE,), "....o.......o...", "g.g.g.g.g.g.g.g."),
            _duo(
                CONGAS,
                ("...o..o....o..o.", "o.......o......."),
                ("..o..o....o..o..", "o.....o........."),
            ),
            _voice((SHAKER_PAD,), "g.g.g.g.g.g.g.g.", SHAKER),
            _voice((CLAVE, RIM), "..o..o....o..o..", "o..o..o...o.o...", "...o......o..o.."),
        ),
        perc_layers=(1, 2, 2),
    ),
    "synthwave": DrumFamily(
        "backbeat",
        {
            "kick": _k("X.......X.x.....", "X...X...X...X..."),
            "snare": _lane(SNARE, "....X.......X..."),
            "clap": _lane(CLAP, BACK),
        },
        hats=_voice(
            (CLOSED_HAT, CLOSED_HAT, PEDAL_HAT),
            EIGHTHS,
            "xoooxoooxoooxooo",
            SIXTEENTHS,
            "..x...x...x...x.",
            "x.oxx.oxx.oxx.ox",
        ),
        opens=((), (), _v((OPEN_HAT, "..............o.")), _v((OPEN_HAT, "..o...o...o...o."))),
        rides=("x.o.x.o.x.o.x.o.", "x...x...x...x..."),
        perc=(
            _voice((TAMBOURINE,), "....o.......o...", "g.g.g.g.g.g.g.g."),
            _voice((SHAKER_PAD,), "g.g.g.g.g.g.g.g.", SHAKER),
            _voice((RIM, CLAVE), "......g.......g.", "...o......o....."),
        ),
        perc_layers=(1, 1, 2),
        clean_snare=True,
    ),
    "ambient": DrumFamily(
        "sparse",
        {"kick": _k("o.......o.......")},
        hats=_voice(
            (CLOSED_HAT, PEDAL_HAT),
            "..g...g...g...g.",
            "g.......g.......",
            "......g.......g.",
            "..g.......g.....",
        ),
        opens=((), (), _v((OPEN_HAT, "..............g."))),
        perc=(
            _voice(
                (SHAKER_PAD, TAMBOURINE), "g.g.g.g.g.g.g.g.", "g...g...g...g...", "..g...g...g...g."
            ),
            _voice((RIM, CLAVE), "........o.......", "...g.......g....", "......o.......o."),
        ),
        perc_layers=(1, 1, 2),
    ),
}

for _family in FAMILIES.values():  # table sanity: every pattern is one 4/4 bar of 16ths
    _layers = [layer for variants in _family.lanes.values() for v in variants for layer in v]
    _layers += [layer for variant in _family.opens for layer in variant]
    _layers += [(RIDE, pattern) for pattern in _family.rides]
    for _voice_ in (_family.hats, *_family.perc):
        for _kit in _voice_.kits:
            for _patterns in _voice_.patterns:
                _layers += list(zip(_kit, _patterns, strict=True))
    for _pitch, _pattern in _layers:
        assert len(_pattern) == 16 and set(_pattern) <= set("Xxog."), _pattern


@dataclass(frozen=True, slots=True)
class Hit:
    position: float
    pitch: int
    velocity: int
    straight: bool = False  # 32nd and triplet rolls ignore swing


@dataclass(slots=True)
class Bar:
    lanes: dict[str, list[Hit]] = field(default_factory=dict)

    def lane(self, name: str) -> list[Hit]:
        return self.lanes.setdefault(name, [])


@lru_cache(maxsize=4096)
def _parsed(variant: Variant) -> tuple[Hit, ...]:
    return tuple(
        Hit(step * 0.25, pitch, VELOCITY[char])
        for pitch, pattern in variant
        for step, char in enumerate(pattern)
        if char != "."
    )


def _pattern_hits(variant: Variant) -> list[Hit]:
    """A fresh list (callers append to it) of shared, never-mutated hits."""
    return list(_parsed(variant))


@lru_cache(maxsize=1024)
def _choke(pattern: str, over: Variant) -> str:
    """The pattern with its steps removed wherever a layer of ``over`` plays (hi-hat choke)."""
    if not over:
        return pattern
    return "".join(
        "." if any(layer[1][step] != "." for layer in over) else char
        for step, char in enumerate(pattern)
    )


def _generic_hits(kind: str, lane: str, meter: Meter) -> list[Hit]:
    """A family's kick and backbeat on a non-4/4 bar: floor kicks, backbeats on the weak pulses."""
    pulses = meter.pulse_starts()
    backbeats = [pulses[index] for index in meter.backbeat_pulses()]
    if lane == "kick":
        if kind == "floor":
            return [Hit(p, KICK, 118 if i == 0 else 108) for i, p in enumerate(pulses)]
        if kind == "sparse":
            return [Hit(0.0, KICK, 76)]
        hits = [Hit(0.0, KICK, 118)]
        if kind == "backbeat" and len(pulses) >= 2 and pulses[-1] - 0.5 > 0:
            hits.append(Hit(pulses[-1] - 0.5, KICK, 96))
        return hits
    if lane in ("snare", "clap"):
        pitch = SNARE if lane == "snare" else CLAP
        if kind == "halftime":
            middle = round(meter.bar / 2 / 0.25) * 0.25
            return [Hit(middle, pitch, 110)]
        if kind == "sparse":
            return []
        velocity = 100 if (lane == "clap") == (kind == "floor") else 76
        return [
            Hit(b, pitch, velocity if i == 0 else velocity - 8) for i, b in enumerate(backbeats)
        ]
    return []


# --- other meters -----------------------------------------------------------------------------
# The family's pads and feel, with hat and percussion patterns built from the meter's own pulses:
# 8ths accented on the pulse, 16ths, off-16ths, open hats on the off-8ths, Euclidean percussion
# (E(3, 8), E(5, 12)... the tresillo family) for the syncopated voices.


def _steps(count: int, rule: Callable[[int], str | None]) -> str:
    return "".join(rule(step) or "." for step in range(count))


def _euclid(hits: int, steps: int, rotate: int, char: str = "o") -> str:
    return _steps(steps, lambda s: char if ((s + rotate) * hits) % steps < hits else None)


@lru_cache(maxsize=64)
def _odd_family(name: str, meter: Meter) -> DrumFamily:
    family = FAMILIES[name]
    n, pulse = meter.steps, max(1, round(meter.pulse / 0.25))

    def on_pulse(step: int) -> bool:
        return step % pulse == 0

    eighths = _steps(n, lambda s: ("x" if on_pulse(s) else "o") if s % 2 == 0 else None)
    sixteenths = _steps(n, lambda s: "x" if on_pulse(s) else "o" if s % 2 == 0 else "g")
    off16 = _steps(n, lambda s: "g" if s % 2 else None)
    skip = _steps(n, lambda s: "g" if s % 4 in (0, 3) else None)
    offbeats = _steps(n, lambda s: "o" if s % 2 == 0 and not on_pulse(s) else None)
    last = _steps(n, lambda s: "o" if s == n - 2 else None)
    if family.kind == "floor":
        textures = (off16, skip, sixteenths, _steps(n, lambda s: "g" if on_pulse(s) else None))
        opens: tuple[Variant, ...] = (
            _v((OPEN_HAT, offbeats)),
            _v((OPEN_HAT, offbeats)),
            _v((CLOSED_HAT, offbeats.replace("o", "x"))),
            _v((PEDAL_HAT, offbeats), (OPEN_HAT, last)),
        )
    elif family.kind == "sparse":
        textures = (offbeats.replace("o", "g"), _steps(n, lambda s: "g" if on_pulse(s) else None))
        opens = ((), (), _v((OPEN_HAT, last.replace("o", "g"))))
    else:
        shuffle = _steps(n, lambda s: "x" if on_pulse(s) else {2: "o", 3: "g"}.get(s % 4))
        textures = (eighths, sixteenths, skip, shuffle)
        opens = ((), (), _v((OPEN_HAT, last)), _v((OPEN_HAT, offbeats)))
    hats = Voice(family.hats.kits, tuple((t,) for t in textures))
    rides = (eighths, _steps(n, lambda s: "x" if on_pulse(s) else None)) if family.rides else ()
    perc: list[Voice] = []
    for voice in family.perc:
        if voice.kits[0][0] in (SHAKER_PAD, TAMBOURINE):
            patterns = (off16, eighths.replace("x", "o"), offbeats, skip)
        else:
            patterns = tuple(
                _euclid(hits, n, rotate)
                for hits in sorted({3, 5, max(2, n // 3)})
                for rotate in (1, 2, 3)
                if hits < n
            )
        if len(voice.kits[0]) == 2:  # congas: the high drum syncopates, the low one marks pulses
            low = _steps(n, lambda s: "o" if on_pulse(s) else None)
            perc.append(Voice(voice.kits, tuple((p, low) for p in patterns)))
        else:
            perc.append(Voice(voice.kits, tuple((p,) for p in patterns)))
    return replace(family, hats=hats, opens=opens, rides=rides, perc=tuple(perc))


def _family(ctx: Context) -> DrumFamily:
    if ctx.meter.common:
        return FAMILIES[ctx.profile.drums]
    return _odd_family(ctx.profile.drums, ctx.meter)


def kick_bar(ctx: Context, section: PlannedSection, bar: int) -> list[Hit]:
    """The kick of one bar from the shared groove plan (the trap 808 and hip-hop bass follow it)."""
    family = FAMILIES[ctx.profile.drums]
    if not ctx.meter.common:
        return _generic_hits(family.kind, "kick", ctx.meter)
    variants = family.variants("kick")
    key = ("groove", section.index)
    plan = ctx.memo.get(key)
    if plan is None:
        rng = part_rng(
            ctx.spec.seed,
            "groove",
            ctx.spec.variation.get("drums", 0),
            ctx.spec.variation.get("kick", 0),
            section.index,
        )
        first = rng.randrange(len(variants))
        second = rng.randrange(len(variants))
        plan = (first, second)
        ctx.memo[key] = plan
    return _pattern_hits(variants[plan[bar % 2]])


def _lane_rng(ctx: Context, lane: str, *names: object) -> random.Random:
    variation = ctx.spec.variation
    return part_rng(
        ctx.spec.seed, "drums", variation.get("drums", 0), lane, variation.get(lane, 0), *names
    )  # type: ignore[call-overload]


# --- takes: what each lane plays in a section -------------------------------------------------

HatChoice = tuple[int, int, int, int]  # hat kit, hat pattern, open layer, ride groove (-1 none)
PercChoice = tuple[tuple[int, int, int], ...]  # (voice, kit, pattern) per stacked voice


def _hat_choice(rng: random.Random, family: DrumFamily, ride: bool) -> HatChoice:
    return (
        rng.randrange(len(family.hats.kits)),
        rng.randrange(len(family.hats.patterns)),
        rng.randrange(len(family.opens)),
        rng.randrange(len(family.rides)) if ride and family.rides and rng.random() < 0.45 else -1,
    )


def _hat_answer(rng: random.Random, family: DrumFamily, a: HatChoice) -> HatChoice:
    """Take B of the hats: the same player changing one thing (the groove, the opens, the pad)."""
    kit, pattern, opened, ride = a
    roll = rng.random()
    if roll < 0.5:
        pattern = rng.randrange(len(family.hats.patterns))
    elif roll < 0.8:
        opened = rng.randrange(len(family.opens))
    else:
        kit = rng.randrange(len(family.hats.kits))
    return (kit, pattern, opened, ride)


def _hat_variant(family: DrumFamily, choice: HatChoice) -> Variant:
    kit, pattern, opened, ride = choice
    over = family.opens[opened]
    if ride >= 0:  # the ride rings over the hats instead of being choked by them
        return (*over, (RIDE, family.rides[ride]))
    main = family.hats.layers(kit, pattern)
    return over + tuple((pitch, _choke(steps, over)) for pitch, steps in main)


def _perc_choice(rng: random.Random, family: DrumFamily) -> PercChoice:
    voices = family.perc
    if not voices:
        return ()
    count = min(len(voices), family.perc_layers[rng.randrange(len(family.perc_layers))])
    return tuple(
        (index, rng.randrange(len(voices[index].kits)), rng.randrange(len(voices[index].patterns)))
        for index in sorted(rng.sample(range(len(voices)), count))
    )


def _perc_answer(rng: random.Random, family: DrumFamily, a: PercChoice) -> PercChoice:
    """Take B of the percussion: another voice joins, or one voice changes its pattern."""
    if not a:
        return a
    voices = family.perc
    playing = {voice for voice, _, _ in a}
    free = [index for index in range(len(voices)) if index not in playing]
    if free and len(a) < 3 and rng.random() < 0.5:
        index = free[rng.randrange(len(free))]
        joined = (
            index,
            rng.randrange(len(voices[index].kits)),
            rng.randrange(len(voices[index].patterns)),
        )
        return tuple(sorted((*a, joined)))
    slot = rng.randrange(len(a))
    voice, kit, _ = a[slot]
    changed = (voice, kit, rng.randrange(len(voices[voice].patterns)))
    return (*a[:slot], changed, *a[slot + 1 :])


def _perc_variant(family: DrumFamily, choice: PercChoice) -> Variant:
    return tuple(
        layer for voice, kit, pattern in choice for layer in family.perc[voice].layers(kit, pattern)
    )


def _phrase_form(rng: random.Random, count: int) -> tuple[int, ...]:
    """Which take (A 0, B 1) each 4-bar phrase plays: steady, lift halfway, call and answer, or a
    turn in the last phrase."""
    if count < 2:
        return (0,)
    roll = rng.random()
    if roll < 0.25:
        return (0,) * count
    if roll < 0.55:
        return tuple(0 if index < count // 2 else 1 for index in range(count))
    if roll < 0.8:
        return tuple(index % 2 for index in range(count))
    return tuple(1 if index == count - 1 else 0 for index in range(count))


@dataclass(frozen=True, slots=True)
class LanePlan:
    takes: tuple[tuple[Hit, ...], ...]  # bar loops, ornaments included
    phrases: tuple[int, ...]  # take per 4-bar phrase

    def hits(self, bar: int) -> list[Hit]:
        phrases = self.phrases
        return list(self.takes[phrases[min(bar // PHRASE, len(phrases) - 1)]])


def _plan(ctx: Context, family: DrumFamily, section: PlannedSection, lane: str) -> LanePlan:
    rng = _lane_rng(ctx, lane, "plan", section.index)
    steps = ctx.meter.steps
    if lane == "hats":
        a = _hat_choice(rng, family, section.kind in PEAKS and section.energy >= 0.95)
        bases = [_parsed(_hat_variant(family, c)) for c in (a, _hat_answer(rng, family, a))]
    elif lane == "percussion":
        a = _perc_choice(rng, family)
        bases = [_parsed(_perc_variant(family, c)) for c in (a, _perc_answer(rng, family, a))]
    elif ctx.meter.common:
        pool = family.variants(lane)
        bases = [_parsed(pool[rng.randrange(len(pool))]) for _ in range(2)]
    else:
        bases = [tuple(_generic_hits(family.kind, lane, ctx.meter))] * 2
    takes = tuple(base + _ornaments(rng, lane, family, base, steps) for base in bases)
    return LanePlan(takes, _phrase_form(rng, -(-section.bars // PHRASE)))


def _apply_density(
    hits: list[Hit], lane: str, density: int, rng: random.Random, bar: int, length: float
) -> list[Hit]:
    if density < 0:
        if lane == "kick":
            # Sparser kick: only the hits on the bar's half-time pulses (1 and 3 in 4/4).
            kept = [hit for hit in hits if hit.position % 2.0 < 1e-9]
            return kept if 0 < len(kept) < len(hits) else hits[:1]
        before = len(hits)
        hits = [hit for hit in hits if hit.velocity > 50]
        if lane in ("snare", "clap") and len(hits) == before:
            return hits[-1:]  # one backbeat per bar
        if lane in ("hats", "percussion"):
            hits = [hit for hit in hits if hit.position % 0.5 == 0]
        if density < -1 and lane in ("hats", "percussion"):
            hits = [hit for hit in hits if hit.position % 1 == 0.5 or hit.pitch == OPEN_HAT]
        return hits
    if density > 0:
        taken = {(hit.position, hit.pitch) for hit in hits}
        extra: list[Hit] = []
        chance = 0.45 if density == 1 else 0.75
        if lane == "hats":
            pitch = CLOSED_HAT
            for hit in hits:
                spot = hit.position + 0.25
                if (
                    spot < length
                    and (spot, pitch) not in taken
                    and (spot, OPEN_HAT) not in taken
                    and rng.random() < chance + 0.3
                ):
                    extra.append(Hit(spot, pitch, 40 + rng.randrange(10)))
        elif lane == "percussion":
            pitch = hits[0].pitch if hits else 70
            for step in range(int(length / 0.25)):
                spot = step * 0.25
                if (spot, pitch) not in taken and rng.random() < chance * 0.6:
                    extra.append(Hit(spot, pitch, 38 + rng.randrange(12)))
        elif lane == "snare":
            for hit in hits:
                spot = hit.position + 0.75
                if spot < length and rng.random() < chance:
                    extra.append(Hit(spot, SNARE, 36 + rng.randrange(10)))
            if not hits and bar % 2 == 1:
                extra.append(Hit(length - 0.25, SNARE, 42))  # a ghost pickup where none plays
        elif lane == "kick" and bar % 2 == 1:
            extra.append(Hit(length - 0.25, KICK, 88))
        elif lane == "clap" and bar % 2 == 1 and hits:
            extra.append(Hit(hits[-1].position + 0.25, CLAP, 60))
        hits = hits + [hit for hit in extra if (hit.position, hit.pitch) not in taken]
    return hits


# --- ornaments ------------------------------------------------------------------------------
# A few ghost notes per lane, chosen once per take and repeated every bar: the seed's own
# "hand" on the groove, so two seeds of the same genre do not share one drum loop.
ORNAMENT_PITCHES: dict[str, tuple[int, ...]] = {
    "hats": (CLOSED_HAT, PEDAL_HAT),
    "percussion": (RIM, SHAKER_PAD, TAMBOURINE, CLAVE),
    "snare": (SNARE,),
}


def _ornaments(
    rng: random.Random, lane: str, family: DrumFamily, hits: tuple[Hit, ...], steps: int
) -> tuple[Hit, ...]:
    if lane not in ORNAMENT_PITCHES or (
        lane == "snare" and (family.kind == "floor" or family.clean_snare)
    ):
        return ()
    taken = {round(hit.position / 0.25) for hit in hits}
    free = [step for step in range(steps) if step not in taken and step % 4]
    if not free:
        return ()
    count = min(len(free), 3 + rng.randrange(3) if lane != "snare" else 1 + rng.randrange(2))
    pitch = ORNAMENT_PITCHES[lane][rng.randrange(len(ORNAMENT_PITCHES[lane]))]
    return tuple(
        Hit(step * 0.25, pitch, 40 + rng.randrange(10)) for step in sorted(rng.sample(free, count))
    )


# --- fills and phrase-end variations -----------------------------------------------------------


def _roll(
    hits: list[Hit], pitch: int, start: float, end: float, rate: float, low: int, high: int
) -> list[Hit]:
    kept = [hit for hit in hits if not (start - 1e-9 <= hit.position < end - 1e-9)]
    count = max(1, round((end - start) / rate))
    for index in range(count):
        velocity = low + (high - low) * index / max(1, count - 1)
        kept.append(Hit(start + index * rate, pitch, round(velocity), straight=rate < 0.25 - 1e-9))
    return kept


def _backbeat_lane(bar: Bar) -> str | None:
    return "snare" if "snare" in bar.lanes else "clap" if "clap" in bar.lanes else None


def _run(hits: list[Hit], start: float, pitches: tuple[int, ...], low: int, high: int) -> list[Hit]:
    """16ths from ``start`` on the given pads (a tom run, a clap run), replacing what was there."""
    end = start + 0.25 * len(pitches)
    kept = [hit for hit in hits if not (start - 1e-9 <= hit.position < end - 1e-9)]
    last = max(1, len(pitches) - 1)
    for index, pitch in enumerate(pitches):
        kept.append(Hit(start + index * 0.25, pitch, round(low + (high - low) * index / last)))
    return kept


FILLS = ("roll", "long_roll", "toms", "tom_run", "stutter", "kick_break", "clap_run")


def _fill(bar: Bar, kind: str, length: float, triplet: bool) -> bool:
    """Apply one fill to the bar's end. Returns False if the lanes it needs are absent."""
    last = max(0.0, length - 1.0)
    lanes = bar.lanes
    if kind in ("roll", "long_roll"):
        lane = _backbeat_lane(bar)
        if lane is None:
            return False
        pitch = SNARE if lane == "snare" else CLAP
        if kind == "long_roll" and length >= 3:
            lanes[lane] = _roll(lanes[lane], pitch, length - 2.0, length, 0.25, 52, 112)
        else:
            rate = 1 / 6 if triplet else 0.25
            lanes[lane] = _roll(lanes[lane], pitch, last, length, rate, 70, 112)
        return True
    if kind in ("toms", "tom_run") and "percussion" in lanes:
        if kind == "tom_run" and length >= 3:
            pads = (TOM_HIGH, TOM_HIGH, TOM_MID, TOM_HIGH, TOM_MID, TOM_MID, TOM_LOW, TOM_LOW)
            lanes["percussion"] = _run(lanes["percussion"], length - 2.0, pads, 84, 118)
        else:
            pads = (TOMS[0], TOMS[0], TOMS[1], TOMS[2])
            lanes["percussion"] = _run(lanes["percussion"], last, pads, 96, 114)
        return True
    if kind == "stutter" and "hats" in lanes:
        lanes["hats"] = _roll(lanes["hats"], CLOSED_HAT, length - 0.5, length, 0.125, 60, 104)
        return True
    if kind == "kick_break" and "kick" in lanes:
        lane = [hit for hit in lanes["kick"] if hit.position < last - 1e-9]
        lane.append(Hit(length - 0.75, KICK, 96))
        lane.append(Hit(length - 0.25, KICK, 104))
        lanes["kick"] = lane
        return True
    if kind == "clap_run" and lanes.get("clap"):
        lanes["clap"] = _run(lanes["clap"], length - 0.75, (CLAP, CLAP, CLAP), 72, 108)
        return True
    return False


VARIATIONS = ("open", "pickup", "push", "ghost", "clap_pickup", "hat_run", "rim_pickup")


def _variation(bar: Bar, kind: str, length: float) -> bool:
    """Small variations closing a 4-bar phrase: an open hat, a kick pickup or push, a ghost snare,
    a clap pickup, a run of 16th hats, a rim answer."""
    lanes = bar.lanes
    last = max(0.0, length - 1.0)
    if kind == "open" and "hats" in lanes:
        spot = length - 0.5
        lane = [hit for hit in lanes["hats"] if abs(hit.position - spot) > 1e-9]
        lane.append(Hit(spot, OPEN_HAT, 92))
        lanes["hats"] = lane
    elif kind in ("pickup", "push") and "kick" in lanes:
        lanes["kick"].append(Hit(length - (0.25 if kind == "pickup" else 0.5), KICK, 84))
    elif kind == "ghost" and "snare" in lanes:
        lanes["snare"].append(Hit(length - 0.25, SNARE, 44))
    elif kind == "clap_pickup" and lanes.get("clap"):
        lanes["clap"].append(Hit(length - 0.25, CLAP, 62))
    elif kind == "hat_run" and lanes.get("hats"):
        lanes["hats"] = _roll(lanes["hats"], CLOSED_HAT, last, length, 0.25, 56, 92)
    elif kind == "rim_pickup" and lanes.get("percussion"):
        lanes["percussion"] = _run(lanes["percussion"], length - 0.75, (RIM, RIM, RIM), 60, 84)
    else:
        return False
    return True


# Build-up roll schedules: the roll's rate in the first half, third quarter and last quarter of the
# build (the last bar always runs 16ths into 32nds).
BUILD_SCHEDULES = ((1.0, 0.5, 0.25), (0.5, 0.5, 0.25), (2.0, 1.0, 0.5), (1.0, 0.25, 0.25))


def _build_roll(
    bar: Bar, index: int, bars: int, length: float, schedule: tuple[float, ...], clap: bool
) -> None:
    """Snare roll through a build: e.g. quarters, then 8ths, 16ths, and 32nds into the drop. With
    ``clap`` the claps carry the roll until the snare takes the last bar."""
    lane = _backbeat_lane(bar)
    if lane is None:
        return
    last = index == bars - 1
    if clap and not last and bar.lanes.get("clap") is not None:
        lane = "clap"
    pitch = SNARE if lane == "snare" else CLAP
    progress = index / bars
    low = round(50 + 60 * progress)
    high = round(50 + 60 * (index + 1) / bars)
    if last:
        half = length / 2
        hits = _roll([], pitch, 0.0, half, 0.25, low, (low + high) // 2)
        hits = _roll(hits, pitch, half, length, 0.125, (low + high) // 2, min(high + 8, 124))
    else:
        rate = schedule[0 if progress < 0.5 else 1 if progress < 0.75 else 2]
        hits = _roll([], pitch, 0.0, length, min(rate, length), low, high)
    bar.lanes[lane] = hits


def _trap_rolls(hits: list[Hit], rng: random.Random, density: int, length: float) -> list[Hit]:
    chance = {-2: 0.1, -1: 0.25, 0: 0.55, 1: 0.8, 2: 0.95}[density]
    if rng.random() >= chance or length < 2:
        return hits
    windows = [
        (length - 0.5, 0.125),
        (1.5, 0.125),
        (length - 1.0, 1 / 6),
        (1.0, 1 / 6),
        (length - 1.5, 1 / 3),
    ]
    start, rate = windows[rng.randrange(len(windows))]
    span = 0.5 if rate == 0.125 else 1.0
    rising = rng.random() < 0.6
    low, high = (58, 100) if rising else (100, 58)
    return _roll(hits, CLOSED_HAT, start, start + span, rate, low, high)


# --- assembly ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SectionChoices:
    """Per-section arrangement choices: who keeps playing in a long intro's first half and a long
    outro's second half, and whether a crash marks every 8-bar phrase of a peak."""

    intro: frozenset[str]
    outro: frozenset[str]
    crashes: bool
    build: tuple[float, ...]  # roll schedule, see BUILD_SCHEDULES
    clap_build: bool  # claps carry the build roll until its last bar


INTRO_COMPANIONS = ((), ("percussion",), ("hats",))
OUTRO_COMPANIONS = (("hats",), ("hats",), ("percussion",), ())


def _section_choices(ctx: Context, section: PlannedSection) -> SectionChoices:
    rng = part_rng(
        ctx.spec.seed, "drums", ctx.spec.variation.get("drums", 0), "arrange", section.index
    )
    intro = INTRO_COMPANIONS[rng.randrange(len(INTRO_COMPANIONS))]
    outro = OUTRO_COMPANIONS[rng.randrange(len(OUTRO_COMPANIONS))]
    return SectionChoices(
        frozenset(("kick", *intro)),
        frozenset(("kick", *outro)),
        rng.random() < 0.5,
        BUILD_SCHEDULES[rng.randrange(len(BUILD_SCHEDULES))],
        rng.random() < 0.35,
    )


def _section_bar(
    ctx: Context,
    section: PlannedSection,
    index: int,
    lanes: tuple[str, ...],
    plans: dict[str, LanePlan],
    rngs: dict[str, random.Random],
    choices: SectionChoices,
    rolls: bool,
) -> Bar:
    length = ctx.meter.bar
    bar = Bar()
    for lane in lanes:
        hits = kick_bar(ctx, section, index) if lane == "kick" else plans[lane].hits(index)
        hits = _apply_density(hits, lane, ctx.density(lane), rngs[lane], index, length)
        if lane == "hats" and rolls:
            hits = _trap_rolls(hits, rngs[lane], ctx.density(lane), length)
        bar.lanes[lane] = hits
    half = section.bars // 2
    keep = None
    if section.kind == "intro" and section.bars >= 8 and index < half:
        keep = choices.intro
    elif section.kind == "outro" and section.bars >= 8 and index >= half:
        keep = choices.outro
    if keep is not None:
        for lane in lanes:
            if lane not in keep:
                bar.lanes[lane] = []
    return bar


def _fill_plan(
    ctx: Context,
    section: PlannedSection,
    bar: Bar,
    index: int,
    rng: random.Random,
    choices: SectionChoices,
) -> None:
    length = ctx.meter.bar
    last_bar = index == section.bars - 1
    if section.kind in ("build", "pre-chorus"):
        _build_roll(bar, index, section.bars, length, choices.build, choices.clap_build)
        if last_bar and section.kind == "build" and "kick" in bar.lanes:
            bar.lanes["kick"] = []  # kick drop-out before the drop
        elif (index + 1) % PHRASE == 0 and not last_bar:
            # A long build still turns every phrase: a kick pickup and an open hat into the next.
            _variation(bar, "pickup", length)
            _variation(bar, "open", length)
        return
    if (
        section.kind in PEAKS
        and "hats" in bar.lanes
        and ((index == 0 and section.index > 0) or (choices.crashes and index and index % 8 == 0))
    ):
        bar.lanes["hats"].append(Hit(0.0, CRASH, 110 if index == 0 else 100))
    phrase_end = (index + 1) % 8 == 0 or last_bar
    if phrase_end:
        kinds = list(FILLS)
        rng.shuffle(kinds)
        triplet = rng.random() < (0.5 if FAMILIES[ctx.profile.drums].rolls else 0.2)
        wanted = 2 if last_bar else 1
        for kind in kinds:
            if _fill(bar, kind, length, triplet):
                wanted -= 1
                if not wanted:
                    break
    elif (index + 1) % PHRASE == 0:
        kinds = list(VARIATIONS)
        rng.shuffle(kinds)
        wanted = 2 if rng.random() < 0.35 else 1
        for kind in kinds:
            if _variation(bar, kind, length):
                wanted -= 1
                if not wanted:
                    break


def _hit_order(hit: Hit) -> tuple[float, int]:
    return (hit.position, hit.pitch)


def _render(
    ctx: Context,
    bar: Bar,
    offset: float,
    buffer: NoteBuffer,
    rngs: dict[str, random.Random],
    section: PlannedSection,
) -> None:
    late = FAMILIES[ctx.profile.drums].late_snare
    swing = ctx.swing
    swung = swing > 0.5
    scale = 0.85 if section.kind in ("breakdown", "intro", "outro") else 1.0
    harder = ctx.mood.velocity // 2  # energetic drums hit harder, sad and chill ones softer
    add = buffer.add
    for lane in sorted(bar.lanes):
        rng = rngs[lane]
        for hit in sorted(bar.lanes[lane], key=_hit_order):
            position = hit.position
            if not hit.straight:
                if swung:
                    position += swing_offset(position, swing)
                if late and hit.pitch == SNARE:
                    position += late
            spread = 3 if hit.velocity < 55 else 6
            velocity = round(hit.velocity * scale) + harder + jitter(rng, spread)
            add(hit.pitch, offset + position, 2.0 if hit.pitch == CRASH else 0.25, velocity)


def generate(ctx: Context) -> dict[int, list]:
    """Notes per section index for the drums track."""
    family = _family(ctx)
    result: dict[int, list] = {}
    for section in ctx.sections:
        lanes = tuple(lane for lane in ctx.lanes if ctx.plays(lane, section))
        if not lanes:
            continue
        rngs = {lane: _lane_rng(ctx, lane, section.index) for lane in ctx.lanes}
        plans = {lane: _plan(ctx, family, section, lane) for lane in lanes if lane != "kick"}
        choices = _section_choices(ctx, section)
        fill_rng = part_rng(
            ctx.spec.seed, "drums", ctx.spec.variation.get("drums", 0), "fills", section.index
        )
        buffer = NoteBuffer(ctx.length(section))
        for index in range(section.bars):
            bar = _section_bar(ctx, section, index, lanes, plans, rngs, choices, family.rolls)
            _fill_plan(ctx, section, bar, index, fill_rng, choices)
            _render(ctx, bar, index * ctx.bar, buffer, rngs, section)
        notes = buffer.notes()
        if notes:
            result[section.index] = notes
    return result
