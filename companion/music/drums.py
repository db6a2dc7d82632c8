"""Drums: one Drum Rack track, one lane per drum word (kick, snare, clap, hats, percussion).

4/4 grooves come from per-genre 16-step tables (X accent, x normal, o soft, g ghost); other meters
use the same family's feel laid on their own pulses. On top of the loop: fills every 8 bars and at
section ends, small variations every 4, snare rolls that accelerate through builds, a kick
drop-out in a build's last bar, crashes into drops, trap hat rolls (1/32 and 1/16-triplets), swing
on off-16ths.
Each lane has its own random stream, so a density change on hats never moves the kick.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from functools import lru_cache

from companion.music.context import Context
from companion.music.meter import Meter, swing_offset
from companion.music.notes import NoteBuffer
from companion.music.rng import jitter, part_rng
from companion.music.sections import PlannedSection

VELOCITY = {"X": 118, "x": 100, "o": 76, "g": 46}

KICK, SNARE, CLAP, CLOSED_HAT, OPEN_HAT, CRASH, RIDE = 36, 38, 39, 42, 46, 49, 51
TOMS = (48, 45, 41)

Layer = tuple[int, str]  # (pitch, 16-step pattern)
Variant = tuple[Layer, ...]


@dataclass(frozen=True, slots=True)
class DrumFamily:
    kind: str  # feel for other meters: floor, backbeat, halftime, sparse
    lanes: dict[str, tuple[Variant, ...]]
    rolls: bool = False  # trap hat rolls
    late_snare: float = 0.0  # laid-back snare (lo-fi, boom bap), in beats; within grid tolerance

    def variants(self, lane: str) -> tuple[Variant, ...]:
        return self.lanes.get(lane, ((),))


K4 = "X...X...X...X..."
BACK = "....x.......x..."
OPEN_OFF = "..x...x...x...x."
CLOSED_AROUND = "og.gog.gog.gog.g"  # 16ths that leave room for the open hat offbeats
SHAKER = "ggogggogggogggog"
EIGHTHS = "x.o.x.o.x.o.x.o."
SIXTEENTHS = "xgogxgogxgogxgog"


def _v(*layers: Layer) -> Variant:
    return tuple(layers)


def _k(*patterns: str) -> tuple[Variant, ...]:
    return tuple(_v((KICK, pattern)) for pattern in patterns)


FAMILIES: dict[str, DrumFamily] = {
    "house": DrumFamily(
        "floor",
        {
            "kick": _k(K4),
            "clap": (_v((CLAP, BACK)),),
            "hats": (
                _v((OPEN_HAT, OPEN_OFF), (CLOSED_HAT, CLOSED_AROUND)),
                _v((OPEN_HAT, OPEN_OFF), (CLOSED_HAT, ".g.g.g.g.g.g.g.g")),
                _v((OPEN_HAT, OPEN_OFF), (CLOSED_HAT, "g..gg..gg..gg..g")),
            ),
            "percussion": (
                _v((70, SHAKER)),
                _v((37, "...o.....o....o."), (70, "g.g.g.g.g.g.g.g.")),
                _v((54, "....o.......o..."), (62, "...o..o....o..o.")),
                _v((56, "...o......o....."), (70, "g.ggg.ggg.ggg.gg")),
            ),
        },
    ),
    "deep": DrumFamily(
        "floor",
        {
            "kick": _k("x...x...x...x..."),
            "clap": (_v((CLAP, "....o.......o...")),),
            "hats": (
                _v((OPEN_HAT, "..o...o...o...o."), (CLOSED_HAT, "g..gg..gg..gg..g")),
                _v((OPEN_HAT, "..o...o...o...o."), (CLOSED_HAT, ".g.g.g.g.g.g.g.g")),
                _v((CLOSED_HAT, "g.o.g.o.g.o.g.o."), (OPEN_HAT, "..............o.")),
            ),
            "percussion": (
                _v((37, "...o..o...o..o.."), (70, "g.g.g.g.g.g.g.g.")),
                _v((37, "......o..o....o."), (70, SHAKER)),
                _v((75, "...o..o....o...."), (54, "....o.......o...")),
                _v((62, "..o...o..o....o."), (64, "o.......o.......")),
            ),
        },
    ),
    "tech": DrumFamily(
        "floor",
        {
            "kick": _k(K4),
            "clap": (_v((CLAP, BACK)),),
            "hats": (
                _v((OPEN_HAT, OPEN_OFF), (CLOSED_HAT, CLOSED_AROUND)),
                _v((CLOSED_HAT, "ggxgggxgggxgggxg")),
                _v((OPEN_HAT, OPEN_OFF), (CLOSED_HAT, "g..gg..gg..gg..g")),
            ),
            "percussion": (
                _v((37, "..o..o...o..o..."), (60, "......g.......g.")),
                _v((61, "...o......o..o.."), (70, SHAKER)),
                _v((75, "...o..o....o...."), (54, "g.g.g.g.g.g.g.g.")),
            ),
        },
    ),
    "afro": DrumFamily(
        "floor",
        {
            "kick": _k("x...x...x...x..."),
            "clap": (_v((CLAP, "....o.......o...")),),
            "hats": (
                _v((OPEN_HAT, "..o...o...o...o.")),
                _v((OPEN_HAT, "..o...o...o...o."), (CLOSED_HAT, "g.......g.......")),
            ),
            "percussion": (
                _v((62, "...o..x....o.x.."), (64, "o.....o...o....."), (70, SHAKER)),
                _v((60, "..o..o...o..o..."), (61, "o.....o.o......."), (70, "g.ggg.ggg.ggg.gg")),
            ),
        },
    ),
    "edm": DrumFamily(
        "floor",
        {
            "kick": _k(K4),
            "clap": (_v((CLAP, BACK)),),
            "hats": (
                _v((OPEN_HAT, OPEN_OFF), (CLOSED_HAT, CLOSED_AROUND)),
                _v((OPEN_HAT, OPEN_OFF), (CLOSED_HAT, "g..gg..gg..gg..g")),
            ),
            "percussion": (
                _v((54, "....o.......o...")),
                _v((70, SHAKER)),
                _v((54, "..o...o...o...o."), (70, "g.g.g.g.g.g.g.g.")),
            ),
        },
    ),
    "trance": DrumFamily(
        "floor",
        {
            "kick": _k(K4),
            "clap": (_v((CLAP, BACK)),),
            "hats": (
                _v((OPEN_HAT, OPEN_OFF), (CLOSED_HAT, CLOSED_AROUND)),
                _v((OPEN_HAT, OPEN_OFF), (RIDE, "o.g.o.g.o.g.o.g.")),
            ),
            "percussion": (_v((54, "....o.......o...")),),
        },
    ),
    "techno": DrumFamily(
        "floor",
        {
            "kick": _k(K4),
            "clap": (_v((CLAP, "....o.......o...")),),
            "hats": (
                _v((OPEN_HAT, OPEN_OFF), (RIDE, "g.g.g.g.g.g.g.g.")),
                _v((CLOSED_HAT, "ggxgggxgggxgggxg")),
            ),
            "percussion": (
                _v((37, "...o..o..o....o.")),
                _v((75, "..o....o..o...o."), (37, "......o.......o.")),
            ),
        },
    ),
    "minimal": DrumFamily(
        "floor",
        {
            "kick": _k("x...x...x...x..."),
            "clap": (_v((CLAP, "....o.......o...")),),
            "hats": (
                _v((CLOSED_HAT, "..o...o...o...o.")),
                _v((OPEN_HAT, "..o.......o....."), (CLOSED_HAT, "......o.......o.")),
            ),
            "percussion": (
                _v((37, "...o..o...o..o.."), (75, ".......g.....g..")),
                _v(
                    (37, "..o..o...o....o."),
                ),
            ),
        },
    ),
    "disco": DrumFamily(
        "floor",
        {
            "kick": _k(K4),
            "snare": (_v((SNARE, BACK)),),
            "clap": (_v((CLAP, "....o.......o...")),),
            "hats": (
                _v((OPEN_HAT, "..X...X...X...X."), (CLOSED_HAT, CLOSED_AROUND)),
                _v((OPEN_HAT, "..X...X...X...X."), (CLOSED_HAT, "x..xx..xx..xx..x")),
            ),
            "percussion": (
                _v((54, "g.o.g.o.g.o.g.o.")),
                _v((56, "x.....x...x....."), (54, "....o.......o...")),
                _v((70, SHAKER), (62, "...o..o....o..o.")),
            ),
        },
    ),
    "garage": DrumFamily(
        "backbeat",
        {
            "kick": _k("X.........x.....", "X......x..x....."),
            "snare": (_v((SNARE, "....X.......X...")),),
            "clap": (_v((CLAP, BACK)),),
            "hats": (
                _v((CLOSED_HAT, "ogxgogxgogxgogxg")),
                _v((OPEN_HAT, "..o...o...o...o."), (CLOSED_HAT, "g..gg..gg..gg..g")),
                _v((CLOSED_HAT, "o.xgo.xgo.xgo.xg")),
            ),
            "percussion": (
                _v((37, "...g..g....g..g.")),
                _v((70, "g.ggg.ggg.ggg.gg")),
                _v((54, "....o.......o..."), (37, "..g......g....g.")),
            ),
        },
    ),
    "dnb": DrumFamily(
        "backbeat",
        {
            "kick": _k("X.........X.....", "X.........x.x..."),
            "snare": (_v((SNARE, "....X.......X...")), _v((SNARE, "....X..g.g..X..g"))),
            "clap": (_v((CLAP, "....o.......o...")),),
            "hats": (
                _v((CLOSED_HAT, EIGHTHS)),
                _v((CLOSED_HAT, SIXTEENTHS)),
                _v((RIDE, EIGHTHS)),
                _v((CLOSED_HAT, "x.oxx.o.x.oxx.o.")),
                _v((CLOSED_HAT, EIGHTHS), (OPEN_HAT, "......o.......o.")),
            ),
            "percussion": (
                _v((70, SHAKER)),
                _v((54, "..o...o...o...o.")),
                _v((37, "...g......g..g.."), (70, "g.g.g.g.g.g.g.g.")),
            ),
        },
    ),
    "dubstep": DrumFamily(
        "halftime",
        {
            "kick": _k("X..........x....", "X.....x........."),
            "snare": (_v((SNARE, "........X.......")),),
            "clap": (_v((CLAP, "........x.......")),),
            "hats": (
                _v((CLOSED_HAT, EIGHTHS)),
                _v((CLOSED_HAT, "x.x.xxx.x.x.xxx.")),
                _v((CLOSED_HAT, "x..x..x.x..x..x.")),
            ),
            "percussion": (
                _v((37, "...g......g.....")),
                _v((70, "g.g.g.g.g.g.g.g.")),
                _v((54, "....o.......o..."), (37, "......g........g")),
            ),
        },
    ),
    "trap": DrumFamily(
        "halftime",
        {
            "kick": _k(
                "X......x..x.....", "X.........X.....", "X.....x...x..x..", "X..x......x....."
            ),
            "snare": (_v((SNARE, "........X.......")),),
            "clap": (_v((CLAP, "........X.......")),),
            "hats": (
                _v((CLOSED_HAT, EIGHTHS)),
                _v((CLOSED_HAT, "xoooxoooxoooxooo")),
                _v((CLOSED_HAT, "x.oox.o.x.oox.o.")),
            ),
            "percussion": (
                _v((37, "......g........g")),
                _v(
                    (OPEN_HAT, "..............o."),
                ),
            ),
        },
        rolls=True,
    ),
    "hiphop": DrumFamily(
        "backbeat",
        {
            "kick": _k("X......x..x.....", "X.....x...x.....", "X......x..x..x.."),
            "snare": (_v((SNARE, "....X.......X...")),),
            "clap": (_v((CLAP, BACK)),),
            "hats": (_v((CLOSED_HAT, EIGHTHS)), _v((CLOSED_HAT, "x.oox.o.x.oox.o."))),
            "percussion": (
                _v((70, "g.g.g.g.g.g.g.g.")),
                _v(
                    (37, "......g.......g."),
                ),
            ),
        },
    ),
    "boombap": DrumFamily(
        "backbeat",
        {
            "kick": _k("X......x.x......", "X......x..x.....", "X.....x...x..x.."),
            "snare": (_v((SNARE, "....X..g....X..g")), _v((SNARE, "....X.......X.g."))),
            "clap": (_v((CLAP, "....o.......o...")),),
            "hats": (
                _v((CLOSED_HAT, "x.o.x.ogx.o.x.og")),
                _v((CLOSED_HAT, "x.oxx.o.x.oxx.o.")),
                _v((CLOSED_HAT, "x.x.x.x.x.x.x.xo")),
            ),
            "percussion": (
                _v((54, "....o.......o...")),
                _v((70, "g.g.g.g.g.g.g.g.")),
                _v(
                    (37, "..g.......g....."),
                ),
            ),
        },
        late_snare=0.01,
    ),
    "lofi": DrumFamily(
        "backbeat",
        {
            "kick": _k("X.........x.....", "X......o..x.....", "X.......x.x....."),
            "snare": (_v((SNARE, BACK)),),
            "clap": (_v((CLAP, "....o.......o...")),),
            "hats": (
                _v((CLOSED_HAT, "o.g.o.g.o.g.o.g.")),
                _v((CLOSED_HAT, "o.ggo.g.o.ggo.g.")),
                _v((CLOSED_HAT, "o.googgo.googgo.")),
            ),
            "percussion": (
                _v((70, "g.g.g.g.g.g.g.g.")),
                _v(
                    (37, "......g.......g."),
                ),
                _v((54, "....g.......g..."), (70, "..g...g...g...g.")),
            ),
        },
        late_snare=0.01,
    ),
    "dembow": DrumFamily(
        "backbeat",
        {
            "kick": _k(K4),
            "snare": (_v((SNARE, "...x..x....x..x.")),),
            "clap": (_v((CLAP, "...o..o....o..o.")),),
            "hats": (
                _v((CLOSED_HAT, EIGHTHS)),
                _v((CLOSED_HAT, SIXTEENTHS)),
                _v((CLOSED_HAT, "x.oox.o.x.oox.o.")),
            ),
            "percussion": (
                _v((70, SHAKER)),
                _v((54, "..o...o...o...o."), (62, "...g......g.....")),
                _v((62, "..o..o....o..o.."), (64, "o.......o.......")),
            ),
        },
    ),
    "pop": DrumFamily(
        "backbeat",
        {
            "kick": _k("X.......X.x.....", "X.....x.X......."),
            "snare": (_v((SNARE, "....X.......X...")),),
            "clap": (_v((CLAP, BACK)),),
            "hats": (_v((CLOSED_HAT, EIGHTHS)), _v((CLOSED_HAT, SIXTEENTHS))),
            "percussion": (_v((54, "....o.......o...")), _v((70, "g.g.g.g.g.g.g.g."))),
        },
    ),
    "funk": DrumFamily(
        "backbeat",
        {
            "kick": _k("X.....x...x.....", "X.....x..x....x.", "X..x..x...x....."),
            "snare": (_v((SNARE, "....X..g.g..X..g")), _v((SNARE, "....X.g..g..X.g."))),
            "hats": (
                _v((CLOSED_HAT, "xgogxgogxgogxgo."), (OPEN_HAT, "...............o")),
                _v((CLOSED_HAT, "x.oox.oox.oox.o.")),
                _v((CLOSED_HAT, "xgoox.ogxgoox.o."), (OPEN_HAT, ".......o........")),
            ),
            "percussion": (_v((56, "x.......x.......")), _v((54, "....o.......o..."))),
        },
    ),
    "synthwave": DrumFamily(
        "backbeat",
        {
            "kick": _k("X.......X.x.....", "X...X...X...X..."),
            "snare": (_v((SNARE, "....X.......X...")),),
            "clap": (_v((CLAP, BACK)),),
            "hats": (_v((CLOSED_HAT, EIGHTHS)), _v((CLOSED_HAT, "xoooxoooxoooxooo"))),
            "percussion": (_v((54, "....o.......o...")),),
        },
    ),
    "ambient": DrumFamily(
        "sparse",
        {
            "kick": _k("o.......o......."),
            "hats": (_v((CLOSED_HAT, "..g...g...g...g.")),),
            "percussion": (
                _v((70, "g.g.g.g.g.g.g.g.")),
                _v((37, "........o......."), (70, "g...g...g...g...")),
            ),
        },
    ),
}

for _family in FAMILIES.values():  # table sanity: every pattern is one 4/4 bar of 16ths
    for _variants in _family.lanes.values():
        for _variant in _variants:
            for _pitch, _pattern in _variant:
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


@lru_cache(maxsize=512)
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


def _generic_hits(kind: str, lane: str, meter: Meter) -> list[Hit]:
    """A family's feel on a non-4/4 bar: floor kicks, backbeats on the weak pulses, 8th hats."""
    pulses = meter.pulse_starts()
    eighths = [index * 0.5 for index in range(max(1, int(meter.bar / 0.5)))]
    offbeats = [e for e in eighths if not meter.is_strong(e)]
    sixteenths = [index * 0.25 for index in range(meter.steps)]
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
    if lane == "hats":
        if kind == "floor":
            return [Hit(e, OPEN_HAT, 90) for e in offbeats] + [
                Hit(s, CLOSED_HAT, 46) for s in sixteenths if s % 0.5
            ]
        if kind == "sparse":
            return [Hit(e, CLOSED_HAT, 46) for e in offbeats]
        return [Hit(e, CLOSED_HAT, 100 if meter.is_strong(e) else 76) for e in eighths]
    if lane == "percussion":
        return [Hit(s, 70, 76 if s in offbeats else 46) for s in sixteenths]
    return []


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
# A few ghost notes per lane, chosen once per section and repeated every bar: the seed's own
# "hand" on the groove, so two seeds of the same genre do not share one drum loop.
ORNAMENT_PITCHES: dict[str, tuple[int, ...]] = {
    "hats": (CLOSED_HAT, 44),
    "percussion": (37, 70, 54, 75),
    "snare": (SNARE,),
}


def _ornaments(
    rng: random.Random, lane: str, family: DrumFamily, hits: list[Hit], steps: int
) -> list[Hit]:
    if lane not in ORNAMENT_PITCHES or (lane == "snare" and family.kind == "floor"):
        return []
    taken = {round(hit.position / 0.25) for hit in hits}
    free = [step for step in range(steps) if step not in taken and step % 4]
    if not free:
        return []
    count = min(len(free), 3 + rng.randrange(3) if lane != "snare" else 1 + rng.randrange(2))
    pitch = ORNAMENT_PITCHES[lane][rng.randrange(len(ORNAMENT_PITCHES[lane]))]
    return [
        Hit(step * 0.25, pitch, 40 + rng.randrange(10)) for step in sorted(rng.sample(free, count))
    ]


# --- fills ------------------------------------------------------------------------------------


def _roll(
    hits: list[Hit], pitch: int, start: float, end: float, rate: float, low: int, high: int
) -> list[Hit]:
    kept = [hit for hit in hits if not (start - 1e-9 <= hit.position < end - 1e-9)]
    count = max(1, round((end - start) / rate))
    for index in range(count):
        velocity = low + (high - low) * index / max(1, count - 1)
        kept.append(Hit(start + index * rate, pitch, round(velocity), straight=rate < 0.25 - 1e-9))
    return kept


def _fill(bar: Bar, kind: str, length: float, triplet: bool) -> bool:
    """Apply one fill to the bar's last beat. Returns False if the lanes it needs are absent."""
    last = length - 1.0
    if kind == "roll":
        lane = "snare" if "snare" in bar.lanes else "clap" if "clap" in bar.lanes else None
        if lane is None:
            return False
        pitch = SNARE if lane == "snare" else CLAP
        rate = 1 / 6 if triplet else 0.25
        bar.lanes[lane] = _roll(bar.lanes[lane], pitch, last, length, rate, 70, 112)
        return True
    if kind == "toms" and "percussion" in bar.lanes:
        lane = [hit for hit in bar.lanes["percussion"] if hit.position < last - 1e-9]
        for index, pitch in enumerate((TOMS[0], TOMS[0], TOMS[1], TOMS[2])):
            lane.append(Hit(last + index * 0.25, pitch, 96 + 6 * index))
        bar.lanes["percussion"] = lane
        return True
    if kind == "stutter" and "hats" in bar.lanes:
        bar.lanes["hats"] = _roll(
            bar.lanes["hats"], CLOSED_HAT, length - 0.5, length, 0.125, 60, 104
        )
        return True
    if kind == "kick_break" and "kick" in bar.lanes:
        lane = [hit for hit in bar.lanes["kick"] if hit.position < last - 1e-9]
        lane.append(Hit(length - 0.75, KICK, 96))
        lane.append(Hit(length - 0.25, KICK, 104))
        bar.lanes["kick"] = lane
        return True
    return False


def _variation(bar: Bar, kind: str, length: float) -> None:
    """Small 4-bar variations: an open hat, a kick pickup, a ghost snare."""
    if kind == "open" and "hats" in bar.lanes:
        spot = length - 0.5
        lane = [hit for hit in bar.lanes["hats"] if abs(hit.position - spot) > 1e-9]
        lane.append(Hit(spot, OPEN_HAT, 92))
        bar.lanes["hats"] = lane
    elif kind == "pickup" and "kick" in bar.lanes:
        bar.lanes["kick"].append(Hit(length - 0.25, KICK, 84))
    elif kind == "ghost" and "snare" in bar.lanes:
        bar.lanes["snare"].append(Hit(length - 0.25, SNARE, 44))


def _build_roll(bar: Bar, index: int, bars: int, length: float) -> None:
    """Snare roll through a build: quarters, then 8ths, 16ths, and 32nds into the drop."""
    lane = "snare" if "snare" in bar.lanes else "clap" if "clap" in bar.lanes else None
    if lane is None:
        return
    pitch = SNARE if lane == "snare" else CLAP
    progress = index / bars
    low = round(50 + 60 * progress)
    high = round(50 + 60 * (index + 1) / bars)
    if index == bars - 1:
        half = length / 2
        hits = _roll([], pitch, 0.0, half, 0.25, low, (low + high) // 2)
        hits = _roll(hits, pitch, half, length, 0.125, (low + high) // 2, min(high + 8, 124))
    else:
        rate = 1.0 if progress < 0.5 else 0.5 if progress < 0.75 else 0.25
        hits = _roll([], pitch, 0.0, length, rate, low, high)
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


def _section_bar(
    ctx: Context,
    section: PlannedSection,
    index: int,
    lanes: tuple[str, ...],
    variants: dict[str, int],
    rngs: dict[str, random.Random],
    ornaments: dict[str, list[Hit]],
) -> Bar:
    family = FAMILIES[ctx.profile.drums]
    meter = ctx.meter
    length = meter.bar
    bar = Bar()
    for lane in lanes:
        if lane == "kick":
            hits = kick_bar(ctx, section, index)
        elif meter.common:
            hits = _pattern_hits(family.variants(lane)[variants[lane]])
        else:
            hits = _generic_hits(family.kind, lane, meter)
        hits = hits + [Hit(o.position, o.pitch, o.velocity) for o in ornaments.get(lane, ())]
        hits = _apply_density(hits, lane, ctx.density(lane), rngs[lane], index, length)
        if lane == "hats" and family.rolls:
            hits = _trap_rolls(hits, rngs[lane], ctx.density(lane), length)
        bar.lanes[lane] = hits
    half = section.bars // 2
    if section.kind == "intro" and section.bars >= 8 and index < half:
        for lane in lanes:
            if lane != "kick":
                bar.lanes[lane] = []
    if section.kind == "outro" and section.bars >= 8 and index >= half:
        for lane in lanes:
            if lane not in ("kick", "hats"):
                bar.lanes[lane] = []
    return bar


def _fill_plan(
    ctx: Context, section: PlannedSection, bar: Bar, index: int, rng: random.Random
) -> None:
    length = ctx.meter.bar
    last_bar = index == section.bars - 1
    if section.kind in ("build", "pre-chorus"):
        _build_roll(bar, index, section.bars, length)
        if last_bar and section.kind == "build" and "kick" in bar.lanes:
            bar.lanes["kick"] = []  # kick drop-out before the drop
        return
    if (
        index == 0
        and section.kind in ("drop", "chorus")
        and section.index > 0
        and "hats" in bar.lanes
    ):
        bar.lanes["hats"].append(Hit(0.0, CRASH, 110))
    phrase_end = (index + 1) % 8 == 0 or last_bar
    if phrase_end:
        kinds = ["roll", "toms", "stutter", "kick_break"]
        rng.shuffle(kinds)
        triplet = FAMILIES[ctx.profile.drums].rolls and rng.random() < 0.5
        applied = 0
        for kind in kinds:
            if _fill(bar, kind, length, triplet):
                applied += 1
                if applied == (2 if last_bar else 1):
                    break
    elif (index + 1) % 4 == 0:
        _variation(bar, ("open", "pickup", "ghost")[rng.randrange(3)], length)


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
    swing = ctx.profile.swing
    swung = swing > 0.5
    scale = 0.85 if section.kind in ("breakdown", "intro", "outro") else 1.0
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
            velocity = round(hit.velocity * scale) + jitter(rng, spread)
            add(hit.pitch, offset + position, 2.0 if hit.pitch == CRASH else 0.25, velocity)


def generate(ctx: Context) -> dict[int, list]:
    """Notes per section index for the drums track."""
    family = FAMILIES[ctx.profile.drums]
    result: dict[int, list] = {}
    for section in ctx.sections:
        lanes = tuple(lane for lane in ctx.lanes if ctx.plays(lane, section))
        if not lanes:
            continue
        rngs = {lane: _lane_rng(ctx, lane, section.index) for lane in ctx.lanes}
        variants = {lane: rngs[lane].randrange(len(family.variants(lane))) for lane in ctx.lanes}
        ornaments = {}
        for lane in ctx.lanes:
            if lane == "kick":
                continue
            base = (
                _pattern_hits(family.variants(lane)[variants[lane]])
                if ctx.meter.common
                else _generic_hits(family.kind, lane, ctx.meter)
            )
            ornaments[lane] = _ornaments(rngs[lane], lane, family, base, ctx.meter.steps)
        fill_rng = part_rng(
            ctx.spec.seed, "drums", ctx.spec.variation.get("drums", 0), "fills", section.index
        )
        buffer = NoteBuffer(ctx.length(section))
        for index in range(section.bars):
            bar = _section_bar(ctx, section, index, lanes, variants, rngs, ornaments)
            _fill_plan(ctx, section, bar, index, fill_rng)
            _render(ctx, bar, index * ctx.bar, buffer, rngs, section)
        notes = buffer.notes()
        if notes:
            result[section.index] = notes
    return result
