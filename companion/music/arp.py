"""Arp: the current chord broken into a repeating figure (up, up-down, pinky, converge).

It reads only the harmony, so it always agrees with chords and bass; the rate comes from the style
(16ths for trance/synthwave, 8ths for slower styles) and density halves or doubles it. The seed
picks two figures, one for the main-progression sections and one for the alternate ones (verses,
breakdowns, bridges), the register the figure sits in, and sometimes a gate (a trance-style
rhythmic mask over the steps).
"""

from __future__ import annotations

from companion.music.context import Context
from companion.music.meter import swing_offset
from companion.music.notes import NoteBuffer
from companion.music.rng import jitter

SHAPES: tuple[tuple[int, ...], ...] = (
    (0, 1, 2, 3),  # up
    (0, 1, 2, 3, 2, 1),  # up-down
    (0, 2, 1, 3),  # pinky
    (0, 3, 1, 2),  # converge
    (0, 1, 2, 1, 3, 2),  # rolling
)
LOW = 60
REGISTERS = (55, 60, 60, 64)  # lowest ladder note: G3, C4 (the usual), E4
# Gates over 8 steps (1 plays, 0 rests); None is the ungated stream.
GATES: tuple[tuple[int, ...] | None, ...] = (
    None,
    None,
    (1, 0, 1, 1, 0, 1, 1, 0),  # 3-3-2
    (1, 1, 0, 1, 1, 0, 1, 0),
    (1, 0, 1, 1, 1, 0, 1, 1),
)


def _ladder(tones: tuple[int, ...], low: int = LOW) -> list[int]:
    """Chord tones from ``low`` (C4) upwards over two octaves: the notes the shape indexes into."""
    base = sorted(low + (tone - low) % 12 for tone in tones[:4])
    return base + [pitch + 12 for pitch in base]


def generate(ctx: Context) -> dict[int, list]:
    rng_shape = ctx.rng("arp", "shape")
    main = rng_shape.randrange(len(SHAPES))
    octave_jump = rng_shape.random() < 0.5
    alternate = (main + 1 + rng_shape.randrange(len(SHAPES) - 1)) % len(SHAPES)
    gate = GATES[rng_shape.randrange(len(GATES))]
    # The mood moves the figure up or down (within G3..E4 so the top stays in the arp's range).
    low = max(55, min(64, REGISTERS[rng_shape.randrange(len(REGISTERS))] + ctx.mood.register))
    density = ctx.density("arp")
    rate = ctx.profile.arp_rate
    if not ctx.meter.common and ctx.meter.compound:
        rate = max(rate, 0.5)  # 6/8: arpeggiate in eighths
    wide = density > 0 and rate <= 0.25
    if wide:
        octave_jump = True  # already at 16ths: busier means wider, not faster
    shapes = {}
    for slot, index in (("main", main), ("alternate", alternate)):
        shape = SHAPES[index]
        shapes[slot] = shape + tuple(i + 1 for i in shape) if wide else shape
    rate = rate * (2.0 if density < 0 else 0.5 if density > 0 and rate > 0.25 else 1.0)
    result: dict[int, list] = {}
    for section in ctx.sections:
        if not ctx.plays("arp", section):
            continue
        rng = ctx.rng("arp", section.index)
        shape = shapes["alternate" if section.harmony == "B" else "main"]
        start = ctx.start(section)
        length = ctx.length(section)
        buffer = NoteBuffer(length)
        steps = round(length / rate)
        ramp = section.kind in ("build", "pre-chorus")
        ladders: dict[tuple[int, ...], list[int]] = {}
        for step in range(steps):
            if gate is not None and not gate[step % len(gate)]:
                continue
            position = step * rate
            time = start + position
            tones = ctx.harmony.at(time).chord.tones
            ladder = ladders.get(tones)
            if ladder is None:
                ladder = ladders[tones] = _ladder(tones, low)
            index = shape[step % len(shape)]
            if octave_jump and (step // len(shape)) % 2 == 1:
                index += len(ladder) // 2
            pitch = ladder[min(index, len(ladder) - 1)]
            in_bar = position % ctx.bar
            accent = 12 if ctx.meter.is_strong(in_bar) else 0
            base = 70 + round(30 * (position / length)) if ramp else 78 + round(14 * section.energy)
            velocity = base + accent + jitter(rng, 4) + ctx.mood.velocity
            offset = swing_offset(in_bar, ctx.swing)
            buffer.add(pitch, position + offset, rate * 0.7, velocity)
        notes = buffer.notes()
        if notes:
            result[section.index] = notes
    return result
