"""Bass: follows the chord roots with a genre rhythm, monophonic, MIDI 28–55.

Rules (peers-and-music §3.3): the first note under every chord is its root; notes on beats are chord
tones (root, fifth, octave, third); a scale-step approach to the next root may only sit on a weak
16th right before the change. Rhythms: house offbeat 8ths, techno rolling 16ths, trap 808 on the
kick, DnB reese with re-triggers, reggaeton tresillo, disco octaves, funk 16ths, ambient drone...
"""

from __future__ import annotations

import random

from companion.music.context import Context
from companion.music.drums import kick_bar
from companion.music.harmony import Chord
from companion.music.meter import swing_offset
from companion.music.notes import NoteBuffer
from companion.music.rng import jitter
from companion.music.sections import PlannedSection

# (step, length in 16ths, tone): R root, O octave, F fifth, T third, A approach (weak 16th only).
Pattern = tuple[tuple[int, int, str], ...]

PATTERNS: dict[str, tuple[Pattern, ...]] = {
    "offbeat": (
        ((2, 2, "R"), (6, 2, "R"), (10, 2, "R"), (14, 2, "R")),
        ((2, 2, "R"), (6, 2, "O"), (10, 2, "R"), (14, 2, "O")),
        ((2, 2, "R"), (6, 1, "R"), (7, 1, "F"), (10, 2, "R"), (14, 1, "O"), (15, 1, "A")),
    ),
    "tech": (
        ((2, 1, "R"), (3, 1, "R"), (6, 2, "R"), (10, 1, "R"), (11, 2, "O"), (14, 2, "R")),
        ((2, 2, "R"), (5, 1, "R"), (7, 1, "R"), (10, 2, "F"), (14, 1, "R"), (15, 1, "A")),
        ((1, 1, "R"), (2, 2, "R"), (7, 1, "O"), (10, 2, "R"), (13, 1, "R"), (14, 2, "F")),
    ),
    "rolling": (
        tuple((step, 1, "R") for step in range(16) if step % 4),
        tuple((step, 1, "O" if step % 4 == 3 else "R") for step in range(16) if step % 4),
    ),
    "deep": (
        ((0, 3, "R"), (3, 2, "R"), (6, 2, "O"), (10, 2, "F"), (13, 3, "R")),
        ((2, 1, "R"), (3, 3, "R"), (8, 2, "F"), (10, 1, "R"), (11, 3, "O"), (15, 1, "A")),
    ),
    "afro": (
        ((0, 3, "R"), (3, 3, "R"), (6, 4, "F"), (12, 2, "R"), (14, 2, "O")),
        ((2, 2, "R"), (6, 1, "R"), (7, 2, "O"), (10, 3, "R"), (14, 1, "F"), (15, 1, "A")),
    ),
    "tresillo": (
        ((0, 3, "R"), (3, 3, "R"), (6, 2, "F"), (8, 3, "R"), (11, 3, "R"), (14, 2, "O")),
        (
            (0, 3, "R"),
            (3, 3, "R"),
            (6, 2, "R"),
            (8, 3, "R"),
            (11, 3, "F"),
            (14, 1, "R"),
            (15, 1, "A"),
        ),
    ),
    "root8": (
        tuple((step, 2, "R") for step in range(0, 16, 2)),
        ((0, 4, "R"), (6, 2, "R"), (8, 4, "R"), (12, 2, "F"), (14, 1, "R"), (15, 1, "A")),
        ((0, 3, "R"), (3, 3, "R"), (6, 2, "O"), (8, 3, "R"), (11, 3, "F"), (14, 2, "R")),
    ),
    "octave": (
        tuple((step, 2, "R" if step % 4 == 0 else "O") for step in range(0, 16, 2)),
        (
            *tuple((step, 1, "R" if step % 4 == 0 else "O") for step in range(0, 16, 2)),
            (15, 1, "O"),
        ),
        (
            (0, 2, "R"),
            (2, 1, "O"),
            (3, 1, "R"),
            (4, 2, "O"),
            (6, 2, "R"),
            (8, 2, "O"),
            (10, 1, "R"),
            (11, 1, "O"),
            (12, 2, "F"),
            (14, 1, "O"),
            (15, 1, "A"),
        ),
    ),
    "funk": (
        (
            (0, 2, "R"),
            (3, 1, "R"),
            (4, 1, "O"),
            (6, 1, "R"),
            (7, 1, "F"),
            (10, 2, "R"),
            (13, 1, "O"),
            (14, 1, "T"),
            (15, 1, "A"),
        ),
        (
            (0, 1, "R"),
            (2, 1, "O"),
            (3, 1, "R"),
            (6, 2, "R"),
            (9, 1, "F"),
            (10, 2, "O"),
            (12, 2, "R"),
            (15, 1, "A"),
        ),
    ),
    "drive": (
        tuple((step, 2, "R") for step in range(0, 16, 2)),
        tuple((step, 1, "R") for step in range(0, 16)),
    ),
    "sparse": (
        ((0, 6, "R"), (7, 1, "R"), (10, 4, "F"), (15, 1, "A")),
        ((0, 8, "R"), (10, 2, "R"), (12, 3, "F"), (15, 1, "A")),
        ((0, 3, "R"), (3, 5, "R"), (8, 4, "F"), (12, 2, "O"), (14, 2, "R")),
    ),
    "wobble": (
        ((0, 6, "R"), (6, 1, "R"), (7, 1, "R"), (10, 6, "R")),
        ((0, 4, "R"), (4, 2, "O"), (6, 2, "R"), (8, 3, "R"), (11, 3, "R"), (14, 2, "O")),
    ),
    "reese": (((0, 8, "R"), (10, 6, "R")), ((0, 6, "R"), (6, 4, "R"), (10, 4, "F"), (14, 2, "R"))),
    "drone": (((0, 16, "R"),),),
}

FOLLOW_KICK = {"808", "follow"}  # rhythm taken from the shared kick groove


def _root_pitch(pc: int, low: int) -> int:
    return low + (pc - low) % 12


def _tone_pitch(
    chord: Chord, tone: str, root: int, next_root: int | None, scale: tuple[int, ...]
) -> int:
    if tone == "O":
        return root + 12
    if tone == "F":
        fifth = chord.tones[2] if len(chord.tones) > 2 else chord.root
        return root + (fifth - chord.root) % 12
    if tone == "T":
        third = chord.tones[1] if len(chord.tones) > 1 else chord.root
        return root + (third - chord.root) % 12
    if tone == "A" and next_root is not None:
        # A scale step below the next root (leading into it), kept near the current register.
        below = [p for p in range(next_root - 3, next_root) if p % 12 in scale]
        return below[-1] if below else next_root
    return root


def _bar_pattern(
    ctx: Context, section: PlannedSection, bar: int, family: str, choice: int, bar_length: float
) -> list[tuple[float, float, str]]:
    """(start, length, tone) in beats for one bar."""
    meter = ctx.meter
    if family in FOLLOW_KICK:
        kicks = sorted({hit.position for hit in kick_bar(ctx, section, bar)})
        events = []
        for index, start in enumerate(kicks):
            end = kicks[index + 1] if index + 1 < len(kicks) else bar_length
            length = end - start if family == "808" else min(end - start, 1.5)
            if family == "808":
                # 808s sit on the root and jump the octave on the last hit of every other bar.
                last = index == len(kicks) - 1 and index > 0 and bar % 2 == 1 and start >= 2.0
                tone = "O" if last else "R"
            else:
                tone = "R" if index == 0 else ("O" if index % 2 else "F")
            events.append((start, max(0.25, length - (0.0 if family == "808" else 0.25)), tone))
        return events
    if meter.common:
        pattern = PATTERNS[family][choice % len(PATTERNS[family])]
        return [(step * 0.25, length * 0.25, tone) for step, length, tone in pattern]
    # Other meters: the family's idea on the pulses.
    pulses = meter.pulse_starts()
    if family in ("drone", "reese", "wobble"):
        return [(0.0, bar_length, "R")]
    if family in ("offbeat", "tech", "deep"):
        step = 0.5
        return [(p + step, step, "R") for p in pulses if p + step < bar_length]
    if family == "rolling":
        return [(i * 0.25, 0.25, "R") for i in range(meter.steps) if not meter.is_strong(i * 0.25)]
    tones = ["R", "F", "O", "R"]
    if choice % 2:
        # Pulse notes with an octave 8th pickup into each following pulse.
        events = []
        for i, p in enumerate(pulses):
            end = p + meter.pulse
            events.append((p, meter.pulse - 0.5, tones[i % 4]))
            events.append((end - 0.5, 0.5, "O"))
        return events
    return [(p, meter.pulse, tones[i % 4]) for i, p in enumerate(pulses)]


def _density(
    events: list[tuple[float, float, str]], density: int, rng: random.Random
) -> list[tuple[float, float, str]]:
    if density < 0:
        kept = [e for e in events if abs((e[0] / 0.25) % 2) < 1e-6 or e[0] == events[0][0]]
        if len(kept) == len(events) or density < -1:
            kept = kept[::2]  # nothing off the 8th grid to lose: play every other note
        return kept or events[:1]
    if density > 0:
        out = []
        for index, (start, length, tone) in enumerate(events):
            if length >= 0.5 and rng.random() < 0.4 + 0.3 * density:
                half = length / 2
                out.append((start, half, tone))
                out.append((start + half, half, "O" if tone == "R" else "R"))
            elif length < 0.5 and index % 4 == 3 and tone == "R":
                out.append((start, length, "O"))  # rolling lines get octave pops instead
            else:
                out.append((start, length, tone))
        return out
    return events


def generate(ctx: Context) -> dict[int, list]:
    profile = ctx.profile
    family = profile.bass
    low = 28 if family == "808" else 31
    scale = ctx.key.scale
    density = ctx.density("bass")
    result: dict[int, list] = {}
    for section in ctx.sections:
        if not ctx.plays("bass", section):
            continue
        rng = ctx.rng("bass", section.index)
        choice = rng.randrange(8)
        start = ctx.start(section)
        buffer = NoteBuffer(ctx.length(section))
        for bar in range(section.bars):
            bar_start = start + bar * ctx.bar
            events = _density(
                _bar_pattern(ctx, section, bar, family, choice, ctx.bar), density, rng
            )
            if section.kind == "breakdown":
                events = [(0.0, ctx.bar, "R")]  # held roots under the breakdown
            elif section.energy < 0.35 and density >= 0:
                events = _density(events, -1, rng)  # intros/outros: the groove, thinned
            seen_chords: set[float] = set()
            for position, length, tone in events:
                time = bar_start + position
                span = ctx.harmony.at(time)
                first_in_chord = span.start not in seen_chords
                seen_chords.add(span.start)
                following = (
                    ctx.harmony.at(span.end) if span.end < ctx.harmony.spans[-1].end else None
                )
                root = _root_pitch(span.chord.root, low)
                weak = abs((position / 0.25) % 2 - 1) < 1e-6
                if first_in_chord:
                    tone = "R"
                elif tone == "A" and (
                    not weak or following is None or time + length < span.end - 0.26
                ):
                    tone = "R"
                next_root = _root_pitch(following.chord.root, low) if following else None
                pitch = _tone_pitch(span.chord, tone, root, next_root, scale)
                on_beat = ctx.meter.is_strong(position)
                velocity = (112 if on_beat else 98) + jitter(rng, 5)
                if length <= 0.25 and not on_beat:
                    velocity -= 10
                swung = position + swing_offset(position, profile.swing)
                end = min(time + length, span.end) if tone == "A" else time + length
                buffer.add(pitch, swung + bar_start - start, end - time, velocity)
        notes = buffer.notes(mono=True)
        if notes:
            result[section.index] = notes
    return result
