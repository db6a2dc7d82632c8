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

Hits = tuple[tuple[int, int], ...]  # (step, length in 16ths)

COMP: dict[str, tuple[Hits, ...]] = {
    "stab": (
        ((2, 2), (6, 2), (10, 2), (14, 2)),
        ((0, 2), (3, 2), (6, 3), (10, 2), (13, 2)),
        ((3, 2), (6, 2), (10, 3), (14, 1)),
    ),
    "deep": (
        ((0, 3), (3, 3), (6, 2), (10, 3), (13, 3)),
        ((3, 2), (6, 4), (11, 2), (14, 2)),
        ((0, 2), (3, 2), (8, 2), (11, 3)),
    ),
    "offbeat": (
        ((2, 2), (6, 2), (10, 2), (14, 2)),
        tuple((s, 2) for s in range(0, 16, 2)),
        ((0, 3), (3, 3), (6, 2), (8, 3), (11, 3), (14, 2)),
    ),
    "dub": (((3, 3), (6, 2), (9, 2)), ((2, 3), (10, 3)), ((6, 2), (14, 2))),
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
    "garage": (
        ((0, 2), (3, 2), (6, 2), (10, 1), (11, 2), (14, 2)),
        ((3, 2), (6, 2), (11, 2), (14, 2)),
    ),
    "afro": (
        ((0, 3), (3, 3), (6, 2), (10, 2), (12, 3)),
        ((2, 2), (5, 2), (8, 2), (11, 2), (14, 2)),
    ),
    "sustain": (((0, 16),),),
}
HOLD: Hits = ((0, 8), (8, 8))
STRUM = {"lofi": 0.03, "keys": 0.015}


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
    tones: list[int], previous: tuple[int, ...] | None, low: int, high: int, home: float
) -> tuple[int, ...]:
    candidates = _candidates(tones, low, high)

    def cost(voicing: tuple[int, ...]) -> tuple[float, tuple[int, ...]]:
        centre = sum(voicing) / len(voicing)
        moved = _movement(previous, voicing) if previous else 0.0
        return (moved + 1.2 * abs(centre - home) + _roughness(voicing), voicing)

    return min(candidates, key=cost)


# Home registers a take may choose (centre pitch of the voicing): each seed voices the same
# progression its own way, as two keyboard players would.
CHORD_HOMES = (59.0, 64.0, 69.0)
PAD_HOMES = (63.0, 67.0, 72.0)


def chord_voicing(
    chord: Chord, previous: tuple[int, ...] | None, home: float = 64.0
) -> tuple[int, ...]:
    """3–4 voices between E3 and G5; a 9th chord drops its fifth to stay clear."""
    tones = list(chord.tones)
    if len(tones) == 5:
        tones = [tones[0], tones[1], tones[3], tones[4]]
    return voice(tones, previous, 52, 79, home)


def pad_voicing(
    chord: Chord, previous: tuple[int, ...] | None, home: float = 67.0
) -> tuple[int, ...]:
    """Root in the low-mid register plus a voice-led upper structure: 4–5 warm voices."""
    root = 45 + (chord.root - 45) % 12
    upper_tones = list(chord.tones[1:]) if len(chord.tones) > 3 else list(chord.tones)
    upper_previous = previous[1:] if previous else None
    upper = voice(upper_tones, upper_previous, root + 7, 84, home)
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


def generate_chords(ctx: Context) -> dict[int, list]:
    family = ctx.profile.comp
    density = ctx.density("chords")
    strum = STRUM.get(family, 0.0)
    home = CHORD_HOMES[ctx.rng("chords", "voicing").randrange(len(CHORD_HOMES))]
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
                previous = chord_voicing(span.chord, previous, home)
                voicing = previous if density >= 0 else previous[:-1]  # sparser: drop the top
                pieces = [(span.start, span.duration)]
                if density > 0:
                    pieces = [
                        (span.start + i * ctx.bar, ctx.bar)
                        for i in range(max(1, round(span.duration / ctx.bar)))
                    ]
                for piece_start, piece_length in pieces:
                    _render_span(buffer, voicing, piece_start - start, piece_length, 84, 0.0, rng)
            result[section.index] = buffer.notes()
            continue
        voicings: dict[float, tuple[int, ...]] = {}
        for span in spans:
            previous = chord_voicing(span.chord, previous, home)
            voicings[span.start] = previous
        events = _density(_pattern(ctx, family, choice, section.energy), density, ctx.meter.pulse)
        for bar in range(section.bars):
            bar_start = start + bar * ctx.bar
            for position, length in events:
                time = bar_start + position
                span: ChordSpan = ctx.harmony.at(time)
                voicing = voicings.get(span.start) or chord_voicing(span.chord, previous, home)
                on_beat = ctx.meter.is_strong(position)
                velocity = 100 if position == 0 else 92 if on_beat else 86
                if section.energy < 0.45:
                    velocity -= 14
                length = min(length, span.end - time)
                swung = position + swing_offset(position, ctx.profile.swing)
                _render_span(
                    buffer, voicing, bar_start - start + swung, length * 0.95, velocity, strum, rng
                )
        notes = buffer.notes()
        if notes:
            result[section.index] = notes
    return result


def generate_pads(ctx: Context) -> dict[int, list]:
    density = ctx.density("pads")
    home = PAD_HOMES[ctx.rng("pads", "voicing").randrange(len(PAD_HOMES))]
    result: dict[int, list] = {}
    previous: tuple[int, ...] | None = None
    for section in ctx.sections:
        if not ctx.plays("pads", section):
            continue
        rng = ctx.rng("pads", section.index)
        start = ctx.start(section)
        buffer = NoteBuffer(ctx.length(section))
        for span in ctx.harmony.in_range(start, start + ctx.length(section)):
            previous = pad_voicing(span.chord, previous, home)
            voicing = previous if density >= 0 else previous[:1] + previous[2:]
            velocity = 64 + round(20 * section.energy)
            if density > 0:
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
