"""Chords and pads: voice-led voicings played as genre comping (stabs, offbeats, plucks, holds).

Voicing: every inversion of the chord (3–4 voices for chords, root + 3–4 upper voices for pads) is
scored by total voice movement from the previous chord plus distance from the part's home register,
and the cheapest wins — the "nearest inversion" a keyboard player would reach for.
"""

from __future__ import annotations

import itertools
import random

from companion.music.context import Context
from companion.music.harmony import Chord, ChordSpan
from companion.music.meter import swing_offset
from companion.music.notes import NoteBuffer
from companion.music.rng import jitter
from companion.music.sections import PlannedSection

Hits = tuple[tuple[int, int], ...]  # (step, length in 16ths)

COMP: dict[str, tuple[Hits, ...]] = {
    "stab": (
        ((2, 1), (6, 1), (10, 1), (14, 1)),
        ((0, 1), (3, 1), (6, 2), (10, 1), (13, 1)),
        ((3, 1), (6, 1), (10, 2), (14, 1)),
    ),
    # House piano/organ: short stabs in the 3-3-4-3-3 push ("x..x..x...x..x..") and its cousins.
    "piano": (
        ((0, 1), (3, 1), (6, 1), (10, 1), (13, 1)),
        ((2, 1), (6, 1), (10, 1), (14, 1)),
        ((0, 1), (3, 1), (6, 2), (9, 1), (12, 1), (14, 1)),
        ((3, 1), (6, 1), (8, 1), (11, 1), (14, 2)),
    ),
    "deep": (
        ((0, 3), (3, 3), (6, 2), (10, 3), (13, 3)),
        ((3, 2), (6, 4), (11, 2), (14, 2)),
        ((0, 2), (3, 2), (8, 2), (11, 3)),
    ),
    # Off-beat supersaw/pluck stabs between the kicks (they pump with the sidechain).
    "offbeat": (
        ((2, 2), (6, 2), (10, 2), (14, 2)),
        ((2, 1), (6, 1), (10, 1), (14, 1)),
        ((2, 2), (6, 2), (10, 1), (11, 1), (14, 2)),
    ),
    # Dub techno: one or two stabs a bar; the echoes (see DUB_ECHO) fill the rest.
    "dub": (((3, 1),), ((2, 1), (10, 1)), ((6, 1), (14, 1)), ((0, 1), (11, 1))),
    # Trance gate: the held chord chopped into 16ths by a rhythmic mask.
    "gate": (
        tuple((s, 1) for s, c in enumerate("x.xx.xx.x.xx.xx.") if c == "x"),
        tuple((s, 1) for s, c in enumerate("xx.xx.xx.xx.xx.x") if c == "x"),
        tuple((s, 1) for s, c in enumerate("x.x.xxx.x.x.xxx.") if c == "x"),
        tuple((s, 1) for s, c in enumerate("xxx.xx.xxxx.xx.x") if c == "x"),
    ),
    "pop": (
        ((0, 4), (4, 2), (6, 2), (8, 4), (12, 2), (14, 2)),
        ((0, 6), (6, 2), (8, 6), (14, 2)),
        tuple((s, 2) for s in range(0, 16, 2)),
    ),
    "dembow": (
        ((0, 3), (3, 3), (6, 2), (8, 3), (11, 3), (14, 2)),
        ((0, 2), (3, 2), (6, 2), (8, 2), (11, 2), (14, 2)),
    ),
    "keys": (((0, 6), (6, 2), (8, 8)), ((0, 8), (10, 6)), ((0, 3), (3, 5), (10, 6))),
    "lofi": (((0, 14),), ((0, 7), (7, 9))),
    "disco": (
        ((0, 2), (3, 1), (6, 2), (10, 2), (12, 1), (14, 2)),
        ((2, 2), (6, 2), (10, 2), (14, 2)),
    ),
    "funk": (
        ((0, 1), (3, 1), (6, 1), (7, 1), (10, 1), (13, 1), (14, 1)),
        ((2, 1), (3, 1), (6, 1), (10, 1), (11, 1), (14, 1)),
    ),
    # Clavinet: 16th stabs on the syncopations; muted chucks (CLAV_CHUCK) fill some gaps.
    "clav": (
        ((0, 1), (3, 1), (6, 1), (7, 1), (10, 1), (13, 1), (14, 1)),
        ((2, 1), (3, 1), (6, 1), (10, 1), (11, 1), (14, 1)),
        ((0, 1), (2, 1), (5, 1), (8, 1), (10, 1), (11, 1), (13, 1)),
    ),
    "garage": (
        ((0, 2), (3, 1), (6, 1), (10, 1), (11, 1), (14, 1)),
        ((3, 1), (6, 1), (11, 1), (14, 1)),
        ((0, 1), (3, 1), (7, 1), (10, 1), (13, 2)),
    ),
    "afro": (
        ((0, 3), (3, 3), (6, 2), (10, 2), (12, 3)),
        ((2, 2), (5, 2), (8, 2), (11, 2), (14, 2)),
    ),
    # Afro house marimba/kalimba: single plucks on the 3-3-2.
    "pluck": (
        ((0, 1), (3, 1), (6, 1), (10, 1), (12, 1)),
        ((2, 1), (5, 1), (8, 1), (11, 1), (14, 1)),
        ((0, 1), (3, 1), (6, 2), (8, 1), (11, 1), (14, 1)),
    ),
    "sustain": (((0, 16),),),
}
HOLD: Hits = ((0, 8), (8, 8))
STRUM = {"lofi": 0.03, "keys": 0.015}
# Share of each hit's length that sounds: clav and plucks are dry, gates chop, the rest ring.
ARTICULATION = {"clav": 0.6, "pluck": 0.8, "gate": 0.7, "dub": 0.8}
DUB_ECHO = (0.75, 3, 0.62)  # dotted-8th delay, repeats, velocity kept per repeat
CLAV_CHUCK = 44  # velocity of the muted chucks between clav stabs
LAID_BACK = 0.035  # beats behind the grid (≈25 ms at 80 BPM) for laid-back parts
RUN_NOTES = 6  # a disco string run: six 16ths rising into the next bar


def _candidates(tones: list[int], low: int, high: int) -> list[tuple[int, ...]]:
    """Close-position voicings of every inversion, at every octave that fits in [low, high]."""
    result = []
    for bottom in tones:
        # Close position over this bass tone: the other tones in rising order above it.
        order = [
            bottom,
            *sorted((t for t in tones if t != bottom), key=lambda t: (t - bottom) % 12),
        ]
        for base in range(low, high - 11):
            if base % 12 != order[0]:
                continue
            voicing = [base]
            for tone in order[1:]:
                pitch = voicing[-1] + 1 + (tone - voicing[-1] - 1) % 12
                voicing.append(pitch)
            if voicing[-1] <= high:
                result.append(tuple(voicing))
                if len(voicing) >= 4:
                    # Drop-2: the second voice from the top an octave down opens the cluster.
                    dropped = sorted([*voicing[:-2], voicing[-2] - 12, voicing[-1]])
                    if dropped[0] >= low:
                        result.append(tuple(dropped))
    return result


def _roughness(voicing: tuple[int, ...]) -> float:
    """Penalty for adjacent voices a semitone apart, and for seconds in the low-mid mud."""
    penalty = 0.0
    for lower, upper in itertools.pairwise(voicing):
        gap = upper - lower
        if gap == 1:
            penalty += 4.0
        elif gap == 2 and lower < 60:
            penalty += 1.5
    return penalty


def _movement(previous: tuple[int, ...], voicing: tuple[int, ...]) -> float:
    if len(previous) == len(voicing):
        return float(sum(abs(a - b) for a, b in zip(previous, voicing, strict=False)))
    return float(sum(min(abs(p - q) for q in previous) for p in voicing))


def voice(
    tones: list[int],
    previous: tuple[int, ...] | None,
    low: int,
    high: int,
    home: float,
    spread: bool = False,
) -> tuple[int, ...]:
    """The cheapest voicing: little movement, near home, no semitone rubs (``spread``: favour
    open, wide voicings, as epic and dreamy moods want)."""
    candidates = _candidates(tones, low, high)

    def cost(voicing: tuple[int, ...]) -> tuple[float, tuple[int, ...]]:
        centre = sum(voicing) / len(voicing)
        moved = _movement(previous, voicing) if previous else 0.0
        width = 0.8 * (voicing[-1] - voicing[0]) if spread else 0.0
        return (moved + 1.2 * abs(centre - home) + _roughness(voicing) - width, voicing)

    return min(candidates, key=cost)


# Home registers a take may choose (centre pitch of the voicing): each seed voices the same
# progression its own way, as two keyboard players would.
CHORD_HOMES = (59.0, 64.0, 69.0)
PAD_HOMES = (63.0, 67.0, 72.0)
HOME_LIMITS = (57.0, 72.0)  # a mood moves the home, within the chords' range


def chord_voicing(
    chord: Chord,
    previous: tuple[int, ...] | None,
    home: float = 64.0,
    rootless: bool = False,
    spread: bool = False,
) -> tuple[int, ...]:
    """3–4 voices between E3 and G5; a 9th chord drops its fifth to stay clear. ``rootless``
    (jazz/deep house keys) leaves the root to the bass and voices 3-5-7(-9)."""
    tones = list(chord.tones)
    if rootless and len(tones) >= 4:
        tones = tones[1:]
    elif len(tones) == 5:
        tones = [tones[0], tones[1], tones[3], tones[4]]
    return voice(tones, previous, 52, 79, home, spread)


def pad_voicing(
    chord: Chord, previous: tuple[int, ...] | None, home: float = 67.0, spread: bool = False
) -> tuple[int, ...]:
    """Root in the low-mid register plus a voice-led upper structure: 4–5 warm voices."""
    root = 45 + (chord.root - 45) % 12
    upper_tones = list(chord.tones[1:]) if len(chord.tones) > 3 else list(chord.tones)
    upper_previous = previous[1:] if previous else None
    upper = voice(upper_tones, upper_previous, root + 7, 84, home, spread)
    return (root, *upper)


def _pattern(ctx: Context, family: str, choice: int, energy: float) -> list[tuple[float, float]]:
    meter = ctx.meter
    if family != "sustain" and energy < 0.45:
        hits: Hits = HOLD
    else:
        variants = COMP[family]
        hits = variants[choice % len(variants)]
    if meter.common:
        return [(step * 0.25, length * 0.25) for step, length in hits]
    if family == "sustain" or hits is HOLD:
        return [(0.0, meter.bar)]
    if family in ("pop", "keys", "lofi"):
        if choice % 2:
            return [
                (p + o, 0.5)
                for p in meter.pulse_starts()
                for o in (0.0, 0.5, 1.0)
                if o < meter.pulse and p + o < meter.bar
            ]
        return [(p, meter.pulse) for p in meter.pulse_starts()]
    offset = 0.5
    return [(p + offset, 0.5) for p in meter.pulse_starts() if p + offset < meter.bar]


def _density(
    events: list[tuple[float, float]], density: int, meter_pulse: float
) -> list[tuple[float, float]]:
    if density < 0:
        kept = [e for e in events if e[0] % meter_pulse < 1e-6] or events[:1]
        return kept
    if density > 0:
        out = []
        for start, length in events:
            if length >= 1.0:
                out += [(start, length / 2), (start + length / 2, length / 2)]
            else:
                out.append((start, length))
        return out
    return events


def _render_span(
    buffer: NoteBuffer,
    voicing: tuple[int, ...],
    start: float,
    length: float,
    velocity: int,
    strum: float,
    rng: random.Random,
) -> None:
    for index, pitch in enumerate(voicing):
        offset = strum * index
        spread = jitter(rng, 4)
        buffer.add(pitch, start + offset, max(0.05, length - offset), velocity + spread)


def _homes(ctx: Context, part: str, homes: tuple[float, ...]) -> float:
    home = homes[ctx.rng(part, "voicing").randrange(len(homes))] + ctx.mood.register
    low, high = HOME_LIMITS
    return min(high + (4 if part == "pads" else 0), max(low, home))


def _late(ctx: Context, part: str, rng: random.Random) -> float:
    """Laid-back parts sit behind the grid, by a human, varying amount."""
    if not ctx.idiom(part, "laid_back"):
        return 0.0
    return LAID_BACK + rng.random() * 0.015


def _echoes(events: list[tuple[float, float]], bar: float) -> list[tuple[float, float, float]]:
    """Dub stabs and their dotted-8th echoes as (start, length, velocity factor); an echo stops
    at the next stab or the bar's end, as a delay under a gated send would."""
    delay, repeats, keep = DUB_ECHO
    starts = sorted(start for start, _ in events)
    out: list[tuple[float, float, float]] = []
    for start, length in events:
        out.append((start, length, 1.0))
        following = next((s for s in starts if s > start + 1e-9), bar)
        for repeat in range(1, repeats + 1):
            echo = start + repeat * delay
            if echo >= following - 1e-9:
                break
            out.append((echo, length, keep**repeat))
    return out


def _chucks(events: list[tuple[float, float]], bar: float) -> list[tuple[float, float, float]]:
    """Clav: muted 16th chucks in the gaps right after a stab (the hand keeps moving)."""
    taken = {round(start / 0.25) for start, _ in events}
    out = [(start, length, 1.0) for start, length in events]
    for start, _ in events:
        step = round(start / 0.25) + 1
        if step not in taken and step * 0.25 < bar and step % 2 == 1:
            out.append((step * 0.25, 0.12, 0.0))
            taken.add(step)
    return out


def _run_bars(section: PlannedSection, bar: int, has_next: bool) -> bool:
    """Where a disco string run goes: the end of every 4-bar phrase in the fuller sections, and
    into the next section."""
    if section.energy < 0.5:
        return False
    return (bar + 1) % 4 == 0 or (bar == section.bars - 1 and has_next)


def _run(ctx: Context, time: float, bar_end: float) -> list[tuple[float, int]]:
    """Six 16ths climbing the scale to just under the next bar's chord root (around C5)."""
    target = ctx.harmony.at(min(bar_end, ctx.harmony.spans[-1].start)).chord.root
    top = 72 + (target - 72) % 12
    scale = ctx.key.scale
    below = [p for p in range(top - 12, top) if p % 12 in scale][-RUN_NOTES:]
    start = bar_end - RUN_NOTES * 0.25
    return [(start + i * 0.25, pitch) for i, pitch in enumerate(below) if start + i * 0.25 >= time]


def generate_chords(ctx: Context) -> dict[int, list]:
    family = ctx.profile.comp
    density = ctx.density("chords")
    strum = STRUM.get(family, 0.0)
    home = _homes(ctx, "chords", CHORD_HOMES)
    rootless = ctx.idiom("chords", "rootless")
    spread = ctx.mood.spread
    gate = ARTICULATION.get(family, 0.95) * ctx.mood.gate
    velocity_shift = ctx.mood.velocity
    runs = ctx.idiom("chords", "string_runs") and ctx.meter.common
    evolving = ctx.idiom("chords", "evolving")
    result: dict[int, list] = {}
    previous: tuple[int, ...] | None = None
    for section in ctx.sections:
        if not ctx.plays("chords", section):
            continue
        rng = ctx.rng("chords", section.index)
        choice = rng.randrange(6)
        start = ctx.start(section)
        buffer = NoteBuffer(ctx.length(section))
        spans = ctx.harmony.in_range(start, start + ctx.length(section))
        if family == "sustain":
            for span in spans:
                previous = chord_voicing(span.chord, previous, home, rootless, spread)
                voicing = previous if density >= 0 else previous[:-1]  # sparser: drop the top
                pieces = [(span.start, span.duration)]
                if density > 0:
                    pieces = [
                        (span.start + i * ctx.bar, ctx.bar)
                        for i in range(max(1, round(span.duration / ctx.bar)))
                    ]
                velocity = 84 + velocity_shift
                for piece_start, piece_length in pieces:
                    if evolving:
                        _evolve(buffer, voicing, piece_start - start, piece_length, velocity, rng)
                    else:
                        _render_span(
                            buffer, voicing, piece_start - start, piece_length, velocity, 0.0, rng
                        )
            result[section.index] = buffer.notes()
            continue
        voicings: dict[float, tuple[int, ...]] = {}
        for span in spans:
            previous = chord_voicing(span.chord, previous, home, rootless, spread)
            voicings[span.start] = previous
        events = _density(_pattern(ctx, family, choice, section.energy), density, ctx.meter.pulse)
        if family == "dub" and section.energy >= 0.45:
            hits = _echoes(events, ctx.bar)
        elif family == "clav" and section.energy >= 0.45:
            hits = _chucks(events, ctx.bar)
        else:
            hits = [(position, length, 1.0) for position, length in events]
        has_next = ctx.next_section(section) is not None
        for bar in range(section.bars):
            bar_start = start + bar * ctx.bar
            run = runs and _run_bars(section, bar, has_next)
            run_from = ctx.bar - RUN_NOTES * 0.25 if run else ctx.bar
            for position, length, level in hits:
                if position >= run_from - 1e-9:
                    continue
                time = bar_start + position
                span: ChordSpan = ctx.harmony.at(time)
                voicing = voicings.get(span.start) or chord_voicing(
                    span.chord, previous, home, rootless, spread
                )
                on_beat = ctx.meter.is_strong(position)
                velocity = 100 if position == 0 else 92 if on_beat else 86
                if section.energy < 0.45:
                    velocity -= 14
                if level < 1.0:
                    # Echoes fade; a muted chuck (level 0) is a soft, short top-voice tick.
                    velocity = round(velocity * level) if level else CLAV_CHUCK
                    voicing = voicing if level else voicing[-2:]
                length = min(length * gate, span.end - time)  # never rings into the next chord
                swung = position + swing_offset(position, ctx.swing) + _late(ctx, "chords", rng)
                _render_span(
                    buffer,
                    voicing,
                    bar_start - start + swung,
                    length,
                    velocity + velocity_shift,
                    strum,
                    rng,
                )
            if run:
                bar_end = bar_start + ctx.bar
                notes = _run(ctx, bar_start + run_from, bar_end)
                for index, (time, pitch) in enumerate(notes):
                    velocity = 72 + 6 * index + velocity_shift
                    buffer.add(pitch, time - start, 0.22, velocity)
        notes = buffer.notes()
        if notes:
            result[section.index] = notes
    return result


def _evolve(
    buffer: NoteBuffer,
    voicing: tuple[int, ...],
    start: float,
    length: float,
    velocity: int,
    rng: random.Random,
) -> None:
    """An evolving texture: the voices enter one by one from the bottom, and on long chords the
    top voice moves to another chord tone halfway through."""
    step = min(1.0, length / (2 * len(voicing)))
    for index, pitch in enumerate(voicing):
        offset = step * index
        level = velocity - 6 * index + jitter(rng, 3)
        if index == len(voicing) - 1 and length >= 8 and len(voicing) > 2:
            half = length / 2
            buffer.add(pitch, start + offset, half - offset, level)
            moved = voicing[-2] + 12 if voicing[-2] + 12 <= 84 else voicing[0] + 12
            buffer.add(moved, start + half, length - half, level)
        else:
            buffer.add(pitch, start + offset, length - offset, level)


def _gate_pattern(ctx: Context) -> Hits:
    variants = COMP["gate"]
    return variants[ctx.rng("pads", "gate").randrange(len(variants))]


def generate_pads(ctx: Context) -> dict[int, list]:
    density = ctx.density("pads")
    home = _homes(ctx, "pads", PAD_HOMES)
    spread = ctx.mood.spread
    gated = ctx.idiom("pads", "trance_gate") and ctx.meter.common
    gate = _gate_pattern(ctx) if gated else ()
    result: dict[int, list] = {}
    previous: tuple[int, ...] | None = None
    for section in ctx.sections:
        if not ctx.plays("pads", section):
            continue
        rng = ctx.rng("pads", section.index)
        start = ctx.start(section)
        buffer = NoteBuffer(ctx.length(section))
        for span in ctx.harmony.in_range(start, start + ctx.length(section)):
            previous = pad_voicing(span.chord, previous, home, spread)
            voicing = previous if density >= 0 else previous[:1] + previous[2:]
            velocity = 64 + round(20 * section.energy) + ctx.mood.velocity
            if gated and section.energy >= 0.6:
                # Trance gate: the pad chopped into 16ths, bar after bar (breakdowns swell held).
                bars = max(1, round(span.duration / ctx.bar))
                for bar in range(bars):
                    bar_start = span.start + bar * ctx.bar - start
                    for step, _ in gate:
                        time = bar_start + step * 0.25
                        _render_span(buffer, voicing, time, 0.18, velocity, 0.0, rng)
            elif density > 0:
                # Busier pads: pulse every half bar (the sidechained-pad feel).
                half = ctx.bar / 2
                for index in range(max(1, round(span.duration / half))):
                    piece = span.start + index * half
                    _render_span(buffer, voicing, piece - start, half, velocity, 0.0, rng)
            else:
                _render_span(buffer, voicing, span.start - start, span.duration, velocity, 0.0, rng)
        notes = buffer.notes()
        if notes:
            result[section.index] = notes
    return result
