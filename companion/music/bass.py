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
    # Trance gallop: the three 16ths after every kick.
    "rolling": (
        tuple((step, 1, "R") for step in range(16) if step % 4),
        tuple((step, 1, "O" if step % 4 == 3 else "R") for step in range(16) if step % 4),
    ),
    # Techno rumble: one note in dry 16ths between the kicks, an octave pop now and then.
    "rumble": (
        tuple((beat * 4 + o, 1, "R") for beat in range(4) for o in (1, 2)),
        tuple((beat * 4 + o, 1, "R") for beat in range(4) for o in (2, 3)),
        ((2, 1, "R"), (5, 1, "R"), (7, 1, "R"), (10, 1, "R"), (13, 1, "R"), (15, 1, "O")),
        tuple(
            (beat * 4 + o, 1, "O" if (beat, o) == (3, 3) else "R")
            for beat in range(4)
            for o in (1, 2, 3)
        ),
    ),
    # Minimal: dry one-note blips with air around them.
    "blip": (
        ((2, 1, "R"), (7, 1, "R"), (10, 1, "R"), (15, 1, "O")),
        ((3, 1, "R"), (6, 1, "R"), (11, 1, "R")),
        ((2, 1, "R"), (10, 1, "R"), (13, 1, "O")),
        ((1, 1, "R"), (6, 1, "R"), (9, 1, "R"), (14, 1, "R")),
    ),
    # UK garage: long syncopated sub notes with octave drops, swung by the groove.
    "garage": (
        ((0, 4, "R"), (6, 2, "R"), (10, 4, "R"), (14, 2, "O")),
        ((0, 3, "R"), (3, 1, "O"), (7, 3, "R"), (10, 2, "F"), (13, 3, "R")),
        ((0, 6, "R"), (7, 1, "R"), (10, 5, "O"), (15, 1, "A")),
    ),
    "deep": (
        ((0, 3, "R"), (3, 2, "R"), (6, 2, "O"), (10, 2, "F"), (13, 3, "R")),
        ((2, 1, "R"), (3, 3, "R"), (8, 2, "F"), (10, 1, "R"), (11, 3, "O"), (15, 1, "A")),
    ),
    # Afro house: the 3-3-2 under the congas, with longer notes than reggaeton's.
    "afro": (
        ((0, 3, "R"), (3, 3, "R"), (6, 4, "F"), (12, 2, "R"), (14, 2, "O")),
        (
            (0, 2, "R"),
            (3, 3, "O"),
            (6, 2, "R"),
            (8, 3, "F"),
            (11, 3, "R"),
            (14, 1, "R"),
            (15, 1, "A"),
        ),
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
    "wobble": (((0, 16, "R"),),),  # rhythm comes from WOBBLES
    # DnB reese: long notes, re-triggered with the two-step kick on the and-of-3.
    "reese": (
        ((0, 8, "R"), (10, 6, "R")),
        ((0, 10, "R"), (10, 6, "F")),
        ((0, 6, "R"), (6, 4, "O"), (10, 6, "R")),
    ),
    "drone": (((0, 16, "R"),),),
}

FOLLOW_KICK = {"808", "follow"}  # rhythm taken from the shared kick groove

# Dubstep wobbles: per half bar, the rate (in beats) the LFO re-articulates the held note at —
# quarters, 8ths, 8th triplets, 16ths, 16th triplets; 2.0 holds the note for the half bar. A
# phrase is two bars (four halves) and repeats.
WOBBLES: tuple[tuple[float, ...], ...] = (
    (0.5, 1 / 3, 0.25, 1.0),
    (1 / 3, 1 / 3, 0.5, 0.25),
    (0.25, 0.5, 1 / 3, 2.0),
    (2.0, 1 / 3, 0.5, 1 / 6),
    (1.0, 0.25, 1 / 3, 0.5),
)
SLIDE_OVERLAP = 0.125  # beats a note holds into the next one so a mono synth with glide slides
SLIDES: dict[str, tuple[float, float]] = {
    # family: (chance on an octave/fifth jump, chance on a change of root)
    "808": (0.7, 0.4),
    "reese": (0.6, 0.5),
}
GHOST_VELOCITY = 50  # funk dead notes
LOWEST = 28  # E1: the bass never goes below (roles.ROLE_RANGES)
LAID_BACK = 0.03  # beats behind the grid for laid-back bass


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
        below = [p for p in range(next_root - 3, next_root) if p % 12 in scale and p >= LOWEST]
        if below:
            return below[-1]
        above = [p for p in range(next_root + 1, next_root + 3) if p % 12 in scale]
        return above[0] if above else next_root  # at the bottom: approach from above
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
    if meter.common and family == "wobble":
        rates = WOBBLES[choice % len(WOBBLES)]
        events = []
        for half in range(2):
            rate = rates[(bar % 2) * 2 + half]
            count = max(1, round(2.0 / rate))
            for index in range(count):
                tone = "O" if half == 1 and bar % 2 == 1 and index % 2 == 1 else "R"
                events.append(
                    (half * 2.0 + index * rate, rate * (0.98 if rate >= 2 else 0.8), tone)
                )
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


def _ghosts(events: list[tuple[float, float, str]], rng: random.Random) -> list:
    """Funk dead notes: a short muted hit on the empty 16th before a played one."""
    taken = {round(start / 0.25) for start, _, _ in events}
    extra = [
        (step * 0.25, 0.1, "G")
        for step in range(1, 16, 2)
        if step not in taken and step + 1 in taken and rng.random() < 0.6
    ]
    return sorted(events + extra)


def _slides(notes: list, rng: random.Random, chances: tuple[float, float]) -> list:
    """Let some notes hold into the next one of another pitch: a mono 808/reese with glide
    slides between them instead of re-attacking (octave and fifth jumps slide most)."""
    if len(notes) < 2:
        return notes
    out = list(notes)
    for index in range(len(out) - 1):
        current, following = out[index], out[index + 1]
        gap = following.start - (current.start + current.duration)
        if following.pitch == current.pitch or gap > 0.26:
            continue
        jump = (
            abs(following.pitch - current.pitch) in (7, 12)
            or following.pitch % 12 == current.pitch % 12
        )
        if rng.random() >= chances[0 if jump else 1]:
            continue
        overlap = min(SLIDE_OVERLAP, following.duration / 2)
        duration = round(following.start + overlap - current.start, 6)
        out[index] = current.model_copy(update={"duration": duration})
    return out


def generate(ctx: Context) -> dict[int, list]:
    profile = ctx.profile
    family = profile.bass
    low = 28 if family == "808" else (ctx.mood.bass_low or 31)
    scale = ctx.key.scale
    density = ctx.density("bass")
    ghosts = ctx.idiom("bass", "ghost_notes") and ctx.meter.common
    slides = SLIDES.get(family) if ctx.idiom("bass", "slides") else None
    late = ctx.idiom("bass", "laid_back")
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
            elif ghosts and section.energy >= 0.45:
                events = _ghosts(events, rng)
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
                ghost = tone == "G"
                if first_in_chord or ghost:
                    tone = "R"
                elif tone == "A" and (
                    not weak or following is None or time + length < span.end - 0.26
                ):
                    tone = "R"
                next_root = _root_pitch(following.chord.root, low) if following else None
                pitch = _tone_pitch(span.chord, tone, root, next_root, scale)
                on_beat = ctx.meter.is_strong(position)
                velocity = (112 if on_beat else 98) + jitter(rng, 5) + ctx.mood.velocity
                if length <= 0.25 and not on_beat:
                    velocity -= 10
                if ghost:
                    velocity = GHOST_VELOCITY + jitter(rng, 4)
                swung = position + swing_offset(position, ctx.swing)
                if late:
                    swung += LAID_BACK + rng.random() * 0.015
                end = min(time + length, span.end) if tone == "A" else time + length
                buffer.add(pitch, swung + bar_start - start, end - time, velocity)
        notes = buffer.notes(mono=True)
        if slides is not None:
            notes = _slides(notes, ctx.rng("bass", "slides", section.index), slides)
        if notes:
            result[section.index] = notes
    return result
