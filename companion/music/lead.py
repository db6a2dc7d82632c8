"""Lead: a motif you can hum, developed into phrases.

A 1–2 bar motif = a rhythm from the style's bank + a contour of scale degrees that moves mostly by
step, answers every leap with a step the other way and comes home near where it started. Phrases of
4 bars state it, sequence it a step away, restate it and cadence (A S A C; 2-bar motifs: A C), with
call phrases ending open (2nd/5th) and answer phrases closed (tonic). Notes on the pulse are bent to
the nearest chord tone; everything stays diatonic. Drops get the full hook, builds a rising
fragment, breakdowns and verses a sparse, long-note version.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass

from companion.music.context import Context
from companion.music.meter import swing_offset
from companion.music.notes import NoteBuffer
from companion.music.rng import jitter
from companion.music.sections import PlannedSection

Hits = tuple[tuple[int, int], ...]  # (step, length) in 16ths within one bar

RHYTHMS: dict[str, tuple[Hits, ...]] = {
    "club": (
        ((0, 2), (3, 1), (6, 2), (10, 2), (12, 3)),
        ((0, 3), (3, 3), (6, 2), (8, 2), (10, 2), (12, 4)),
        ((2, 2), (4, 2), (6, 2), (10, 1), (11, 3)),
        ((0, 2), (2, 2), (4, 1), (6, 2), (8, 2), (11, 3), (14, 2)),
    ),
    "trance": (
        ((0, 2), (2, 1), (3, 1), (4, 2), (6, 2), (8, 2), (10, 1), (11, 1), (12, 2), (14, 2)),
        ((0, 3), (3, 3), (6, 2), (8, 3), (11, 3), (14, 2)),
        ((0, 2), (2, 2), (4, 2), (6, 2), (8, 4), (12, 2), (14, 2)),
    ),
    "pop": (
        ((0, 2), (2, 2), (4, 4), (8, 2), (10, 2), (12, 4)),
        ((2, 2), (4, 2), (6, 4), (12, 2), (14, 2)),
        ((0, 3), (3, 1), (4, 2), (6, 2), (8, 6)),
    ),
    "trap": (
        ((0, 2), (3, 2), (6, 2), (8, 4), (12, 2), (14, 2)),
        ((0, 3), (3, 3), (6, 4), (12, 4)),
        ((0, 2), (2, 2), (4, 2), (6, 2), (8, 2), (10, 2), (12, 4)),
    ),
    "hiphop": (
        ((0, 3), (3, 3), (8, 4), (12, 2), (14, 2)),
        ((0, 2), (2, 2), (4, 4), (10, 2), (12, 4)),
    ),
    "lofi": (
        ((0, 4), (6, 2), (8, 6)),
        ((2, 2), (4, 2), (7, 3), (12, 4)),
        ((0, 3), (3, 3), (6, 2), (8, 8)),
    ),
    "ambient": (((0, 8), (8, 8)), ((0, 12), (12, 4)), ((0, 6), (6, 2), (8, 8))),
    "dnb": (((0, 6), (6, 2), (8, 4), (14, 2)), ((0, 4), (4, 4), (10, 6))),
    "reggaeton": (
        ((0, 2), (3, 2), (6, 2), (8, 2), (11, 2), (14, 2)),
        ((0, 3), (3, 3), (6, 2), (8, 4), (12, 2), (14, 2)),
    ),
    "disco": (
        ((0, 1), (2, 1), (3, 2), (6, 2), (8, 1), (10, 2), (12, 2), (14, 2)),
        ((0, 2), (2, 2), (4, 2), (6, 2), (8, 4), (12, 4)),
    ),
    "afro": (
        ((0, 3), (3, 3), (6, 2), (10, 2), (12, 4)),
        ((2, 2), (5, 2), (8, 3), (11, 3), (14, 2)),
    ),
    "halftime": (((0, 4), (4, 2), (6, 2), (8, 6), (14, 2)), ((0, 3), (3, 3), (6, 2), (8, 8))),
    # Funk horn section: syncopated 16th stabs.
    "funk": (
        ((0, 1), (2, 1), (3, 1), (6, 1), (8, 2), (11, 1), (14, 1)),
        ((0, 2), (3, 1), (4, 1), (7, 1), (10, 2), (13, 1)),
        ((2, 1), (3, 1), (6, 2), (10, 1), (11, 1), (12, 2)),
    ),
    # Synthwave: long held lines.
    "synthwave": (
        ((0, 6), (6, 2), (8, 8)),
        ((0, 4), (4, 4), (8, 4), (12, 4)),
        ((0, 3), (3, 3), (6, 2), (8, 8)),
        ((0, 8), (8, 4), (12, 4)),
    ),
    # Techno stab motif: a few dry hits on the syncopations.
    "stab": (
        ((0, 1), (3, 1), (6, 1), (10, 1)),
        ((2, 1), (5, 1), (8, 1), (11, 1), (14, 1)),
        ((0, 1), (3, 1), (7, 1), (10, 1), (12, 1)),
        ((3, 1), (6, 1), (11, 1), (14, 1)),
    ),
}
# Trap melodies: 8th- and quarter-note triplet figures, in beats (start, length) over one bar.
TRIPLETS: tuple[tuple[tuple[float, float], ...], ...] = (
    ((0, 1.0), (1.0, 0.5), (1.5, 0.5), (2.0, 1 / 3), (7 / 3, 1 / 3), (8 / 3, 1 / 3), (3.0, 1.0)),
    ((0, 0.75), (0.75, 0.75), (1.5, 0.5), (2.0, 2 / 3), (8 / 3, 2 / 3), (10 / 3, 2 / 3)),
    (
        (0, 1 / 3),
        (1 / 3, 1 / 3),
        (2 / 3, 1 / 3),
        (1.0, 1.0),
        (2.5, 0.5),
        (3.0, 1 / 3),
        (10 / 3, 2 / 3),
    ),
)
# How much of each note sounds: stabs are dry, legato lines touch, the rest breathe a little.
GATES = {"horn_stabs": 0.5, "stab_motif": 0.45, "legato": 1.0}
LOOPS = ("stab_motif",)  # idioms whose hook repeats rather than develops
# Scale degrees (0-based, within the octave) of the pentatonic inside each mode.
PENTATONIC = {"minor": frozenset({0, 2, 3, 4, 6}), "major": frozenset({0, 1, 2, 4, 5})}
LAID_BACK = 0.045  # beats a laid-back lead drags behind the grid
# Bars of 12 sixteenths (3/4 and 6/8).
RHYTHMS_12: tuple[Hits, ...] = (
    ((0, 4), (4, 2), (6, 2), (8, 4)),
    ((0, 2), (2, 2), (4, 4), (8, 4)),
    ((0, 3), (3, 1), (4, 2), (6, 4), (10, 2)),
    ((0, 2), (2, 2), (4, 2), (6, 6)),
)

LOW_DEGREE, HIGH_DEGREE = -3, 9  # lead range around its tonic: a 5th below to a 10th above
LEAD_BASE = 67  # the lead's tonic sits in 67..78
TONIC_LIMITS = (65, 80)  # lead tonics that keep degrees -3..9 within 60..96


@dataclass(frozen=True, slots=True)
class Motif:
    rhythm: tuple[tuple[float, float], ...]  # (start, length) in beats within the motif span
    degrees: tuple[int, ...]
    bars: int
    shift: int  # the sequence step used for "S" slots


@dataclass(slots=True)
class LeadNote:
    start: float  # within the slot
    length: float
    degree: int
    protected: bool = False  # cadence note: never bent or thinned


Rhythm = tuple[tuple[float, float], ...]  # (start, length) in beats within one bar


def _bar_rhythms(ctx: Context, rng: random.Random) -> list[Rhythm]:
    meter = ctx.meter
    if meter.common:
        bank = "stab" if ctx.idiom("lead", "stab_motif") else ctx.profile.lead
        return [tuple((s * 0.25, n * 0.25) for s, n in hits) for hits in RHYTHMS[bank]]
    if meter.steps == 12:
        return [tuple((s * 0.25, n * 0.25) for s, n in hits) for hits in RHYTHMS_12]
    pulses = [round(p / 0.25) for p in meter.pulse_starts()]
    step = max(1, round(meter.pulse / 0.25))
    return [tuple((p * 0.25, step * 0.25) for p in pulses)]


def lead_base(ctx: Context) -> int:
    """Where the lead's tonic sits: of the tonics that keep every degree within 60..96, the one
    nearest the mood's register (72 = no mood)."""
    low, high = TONIC_LIMITS
    options = [p for p in range(low, high + 1) if p % 12 == ctx.key.tonic]
    target = 72 + 2 * ctx.mood.register
    default = LEAD_BASE + (ctx.key.tonic - LEAD_BASE) % 12
    if not ctx.mood.register:
        return default
    return min(options, key=lambda p: (abs(p - target), p))


def _contour(count: int, rng: random.Random, lift: int = 0) -> list[int]:
    """Scale-degree contour: mostly steps, leaps answered by a step back, ends near its start.
    ``lift`` (scale steps) moves where it starts: a mood's higher or lower register."""
    degree = rng.choice((0, 2, 4, 4, 2)) + lift
    out = [degree]
    direction = rng.choice((1, -1))
    previous_leap = 0
    for _ in range(count - 1):
        if previous_leap:
            move = -1 if previous_leap > 0 else 1
        else:
            roll = rng.random()
            if rng.random() < 0.3:
                direction = -direction
            if roll < 0.1:
                move = 0
            elif roll < 0.62:
                move = direction
            elif roll < 0.9:
                move = 2 * direction
            else:
                move = 3 * direction
        if not LOW_DEGREE + 1 <= degree + move <= HIGH_DEGREE - 2:
            move = -move
        degree += move
        if move:
            direction = 1 if move > 0 else -1
        previous_leap = move if abs(move) >= 3 else 0
        out.append(degree)
    if count > 2 and abs(out[-1] - out[0]) > 2:
        out[-1] = out[0] + (2 if out[-1] > out[0] else -2)
    return out


def make_motif(ctx: Context, rng: random.Random) -> Motif:
    banks = _bar_rhythms(ctx, rng)
    bars = ctx.profile.motif_bars
    triplets = ctx.idiom("lead", "triplets") and ctx.meter.common
    rhythm: list[tuple[float, float]] = []
    for bar in range(bars):
        hits = banks[rng.randrange(len(banks))]
        if triplets and bar == bars - 1:
            hits = TRIPLETS[rng.randrange(len(TRIPLETS))]  # the answer rolls in triplets
        elif bar == 1 and len(hits) > 3:
            hits = hits[: max(2, len(hits) - 2)]  # the answer bar breathes
        rhythm += [(bar * ctx.bar + start, length) for start, length in hits]
    lift = max(-2, min(2, round(ctx.mood.register / 2)))
    degrees = tuple(_contour(len(rhythm), rng, lift))
    return Motif(tuple(rhythm), degrees, bars, rng.choice((1, -1, 2)))


def _slot_notes(motif: Motif, variant: str, closed: bool) -> list[LeadNote]:
    notes = [
        LeadNote(s, length, d) for (s, length), d in zip(motif.rhythm, motif.degrees, strict=True)
    ]
    if variant == "S":
        for note in notes:
            note.degree += motif.shift
    elif variant == "V" and len(notes) > 3:
        # Rhythmic variation: merge the 2nd-last note into its neighbour.
        drop = len(notes) - 2
        notes[drop - 1].length += notes[drop].length
        del notes[drop]
    elif variant == "C":
        targets = (0, 7) if closed else (4, 1, -3)
        before = notes[-2].degree if len(notes) > 1 else notes[-1].degree
        target = min(targets, key=lambda t: (abs(t - before), t))
        last = notes[-1]
        last.degree = target
        last.protected = True
        if len(notes) > 1 and abs(notes[-2].degree - target) > 2:
            notes[-2].degree = target + (1 if notes[-2].degree > target else -1)
    for note in notes:
        note.degree = max(LOW_DEGREE, min(HIGH_DEGREE, note.degree))
    return notes


def _slot_plan(slots: int, motif_bars: int, loop: bool = False) -> list[tuple[str, bool]]:
    """Which version of the motif each slot plays. Songs develop it (A S A C); loop idioms
    (a techno stab motif) repeat it and only turn at the end of an 8-bar phrase."""
    if loop:
        shape = ("A",) * 7 + ("C",) if motif_bars == 1 else ("A", "A")
    else:
        shape = ("A", "S", "A", "C") if motif_bars == 1 else ("A", "C")
    plan: list[tuple[str, bool]] = []
    for index in range(slots):
        phrase, position = divmod(index, len(shape))
        variant = shape[position]
        if variant == "A" and position > 0 and phrase % 2 == 1 and not loop:
            variant = "V"
        plan.append((variant, phrase % 2 == 1))
    if plan:
        plan[-1] = ("C", True)  # every section's lead ends home
    return plan


def _bend_to_chord(ctx: Context, notes: list[tuple[float, LeadNote]]) -> None:
    """Notes on the pulse take the nearest chord tone (towards the previous note on ties)."""
    key = ctx.key
    previous: int | None = None
    for time, note in notes:
        position = time % ctx.bar
        if not note.protected and ctx.meter.is_strong(position):
            pcs = ctx.harmony.at(time).chord.pcs
            if key.degree_pitch_class(note.degree) not in pcs:
                options = [
                    note.degree + m
                    for m in (-1, 1, -2, 2)
                    if LOW_DEGREE <= note.degree + m <= HIGH_DEGREE
                    and key.degree_pitch_class(note.degree + m) in pcs
                ]
                if options:
                    reference = previous if previous is not None else note.degree
                    note.degree = min(
                        options, key=lambda d: (abs(d - note.degree), abs(d - reference), d)
                    )
        previous = note.degree


def _pentatonic(ctx: Context, notes: list[tuple[float, LeadNote]]) -> None:
    """Move the 2nd and 6th (minor) or 4th and 7th (major) a step to the pentatonic, towards the
    previous note: the bluesy, soul-sample colour of hip-hop hooks."""
    allowed = PENTATONIC[ctx.key.mode]
    previous: int | None = None
    for _time, note in notes:
        if note.degree % 7 not in allowed:
            options = [d for d in (note.degree - 1, note.degree + 1) if d % 7 in allowed]
            reference = previous if previous is not None else note.degree
            note.degree = min(options, key=lambda d: (abs(d - reference), d))
            note.degree = max(LOW_DEGREE, min(HIGH_DEGREE, note.degree))
        previous = note.degree


def _mode(section: PlannedSection) -> str:
    if section.kind in ("build", "pre-chorus"):
        return "fragment"
    if section.kind in ("drop", "chorus") or section.energy >= 0.75:
        return "full"
    return "sparse"


def _sparse(notes: list[LeadNote], ctx: Context, slot_length: float) -> list[LeadNote]:
    kept = [
        n
        for i, n in enumerate(notes)
        if i == 0 or n.protected or ctx.meter.is_strong(n.start % ctx.bar)
    ]
    for index, note in enumerate(kept):
        end = kept[index + 1].start if index + 1 < len(kept) else slot_length
        note.length = min(end - note.start, 2.0 if not note.protected else end - note.start)
    return kept


def _fragment(motif: Motif, ctx: Context, bar: int) -> list[LeadNote]:
    half = ctx.bar / 2
    head = [
        (s, length, d)
        for (s, length), d in zip(motif.rhythm, motif.degrees, strict=True)
        if s < half
    ][:3]
    if not head:
        head = [(0.0, half, motif.degrees[0])]
    rise = bar // 2
    notes = []
    for repeat in (0, 1):
        for start, length, degree in head:
            notes.append(
                LeadNote(
                    start + repeat * half,
                    min(length, half - start),
                    min(HIGH_DEGREE, degree + rise),
                )
            )
    return notes


def _apply_density(notes: list[LeadNote], density: int) -> list[LeadNote]:
    if density < 0:
        grid = 0.5 if density == -1 else 1.0
        kept = [
            n
            for i, n in enumerate(notes)
            if i == 0 or n.protected or abs(n.start / grid - round(n.start / grid)) < 1e-6
        ]
        if len(kept) == len(notes):
            # Already on the grid: thin by playing every other note (cadences stay).
            kept = [n for i, n in enumerate(notes) if i % 2 == 0 or n.protected]
        for index, note in enumerate(kept[:-1]):
            note.length = max(note.length, min(kept[index + 1].start - note.start, 1.0))
        return kept
    if density > 0:
        out: list[LeadNote] = []
        for index, note in enumerate(notes):
            following = notes[index + 1] if index + 1 < len(notes) else None
            if note.length >= 0.5 and following is not None and not note.protected:
                half = note.length / 2
                step = (
                    1
                    if following.degree > note.degree
                    else -1
                    if following.degree < note.degree
                    else 0
                )
                out.append(LeadNote(note.start, half, note.degree))
                out.append(LeadNote(note.start + half, half, note.degree + step))
            else:
                out.append(note)
        return out
    return notes


def _timed_line(
    ctx: Context, motif: Motif, density: int
) -> dict[int, list[tuple[float, LeadNote]]]:
    """The lead's notes per section (absolute times, degrees already bent to the chords)."""
    slot_length = motif.bars * ctx.bar
    sections: dict[int, list[tuple[float, LeadNote]]] = {}
    for section in ctx.sections:
        if not ctx.plays("lead", section):
            continue
        mode = _mode(section)
        start = ctx.start(section)
        timed: list[tuple[float, LeadNote]] = []
        if mode == "fragment":
            for bar in range(section.bars - 1 if section.bars > 1 else 1):
                for note in _fragment(motif, ctx, bar):
                    timed.append((start + bar * ctx.bar + note.start, note))
        else:
            slots = max(1, -(-section.bars // motif.bars))
            loop = any(ctx.idiom("lead", name) for name in LOOPS)
            for index, (variant, closed) in enumerate(_slot_plan(slots, motif.bars, loop)):
                notes = _slot_notes(motif, variant, closed)
                if mode == "sparse":
                    notes = _sparse(notes, ctx, slot_length)
                slot_start = start + index * slot_length
                for note in notes:
                    timed.append((slot_start + note.start, note))
        timed = [(t, n) for t, n in timed if t < start + ctx.length(section) - 1e-9]
        if not timed:
            continue
        if not timed[-1][1].protected and mode != "fragment":
            timed[-1][1].degree = 0
            timed[-1][1].protected = True
        # Density works on the whole section's line so cadences survive.
        rebased = [LeadNote(t - start, n.length, n.degree, n.protected) for t, n in timed]
        rebased = _apply_density(rebased, density)
        timed = [(start + n.start, n) for n in rebased]
        _bend_to_chord(ctx, timed)
        if ctx.idiom("lead", "pentatonic"):
            _pentatonic(ctx, timed)
        sections[section.index] = timed
    return sections


def _line_score(ctx: Context, line: dict[int, list[tuple[float, LeadNote]]]) -> float:
    """Distance of a rendered line from the melodic sweet spot (0 = inside every band)."""
    base = lead_base(ctx)
    pitches = [
        ctx.key.degree_to_pitch(note.degree, base)
        for index in sorted(line)
        for _time, note in line[index]
    ]
    intervals = [abs(b - a) for a, b in itertools.pairwise(pitches)]
    if len(intervals) < 2:
        return 0.0
    mean = sum(intervals) / len(intervals)
    steps = sum(1 for i in intervals if i <= 2) / len(intervals)
    leaps = sum(1 for i in intervals if i > 7) / len(intervals)
    tonic = sum(1 for p in pitches if p % 12 == ctx.key.tonic) / len(pitches)

    def outside(value: float, low: float, high: float) -> float:
        return max(0.0, low - value, value - high)

    return (
        outside(mean, 1.9, 3.5)
        + 2 * outside(steps, 0.45, 0.68)
        + 2 * outside(leaps, 0, 0.06)
        + outside(tonic, 0.0, 0.34)
        + (0.5 if len(set(pitches)) < 5 else 0.0)
    )


MOTIF_TRIES = 24


def choose_motif(ctx: Context) -> Motif:
    """Draw motifs from the lead's stream until one makes a line inside the melodic bands.

    Generate-and-test keeps the hook's character random but its statistics musical; the test uses
    the line at the mood's density (not the producer's offset) so "busier lead" never swaps the
    hook.
    """
    rng = ctx.rng("lead", "motif")
    best: tuple[float, int, Motif] | None = None
    for attempt in range(MOTIF_TRIES):
        motif = make_motif(ctx, rng)
        score = _line_score(ctx, _timed_line(ctx, motif, ctx.mood_density("lead")))
        if score == 0.0:
            return motif
        if best is None or score < best[0]:
            best = (score, attempt, motif)
    assert best is not None
    return best[2]


def generate(ctx: Context) -> dict[int, list]:
    motif = choose_motif(ctx)
    line = _timed_line(ctx, motif, ctx.density("lead"))
    base = lead_base(ctx)
    gate = next((GATES[name] for name in GATES if ctx.idiom("lead", name)), 0.92) * ctx.mood.gate
    late = ctx.idiom("lead", "laid_back")
    result: dict[int, list] = {}
    for section in ctx.sections:
        timed = line.get(section.index)
        if not timed:
            continue
        rng = ctx.rng("lead", section.index)
        mode = _mode(section)
        start = ctx.start(section)
        buffer = NoteBuffer(ctx.length(section))
        base_velocity = {"full": 100, "fragment": 88, "sparse": 84}[mode] + ctx.mood.velocity
        for time, note in timed:
            position = (time - start) % ctx.bar
            accent = 8 if ctx.meter.is_strong(position) else 0
            velocity = base_velocity + accent + jitter(rng, 5)
            pitch = ctx.key.degree_to_pitch(note.degree, base)
            offset = swing_offset(position, ctx.swing)
            if late:
                offset += LAID_BACK + rng.random() * 0.02
            buffer.add(pitch, time - start + offset, note.length * gate, velocity)
        notes_out = buffer.notes(mono=True)
        if notes_out:
            result[section.index] = notes_out
    return result
