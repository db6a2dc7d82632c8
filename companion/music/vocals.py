"""Vocal chops: short pitched stabs on a chop sampler, answering the lead.

Chops sit on chord tones in the upper-mid register with syncopated 16th rhythms; odd bars carry the
full chop figure and even bars only a pickup, so chops and lead trade like call and response.
"""

from __future__ import annotations

from companion.music.context import Context
from companion.music.meter import swing_offset
from companion.music.notes import NoteBuffer
from companion.music.rng import jitter

# (start, length) in beats within a 4/4 bar, and which chord tone (0 = lowest of the chop ladder).
FIGURES: tuple[tuple[tuple[float, float, int], ...], ...] = (
    ((0.5, 0.25, 2), (0.75, 0.25, 2), (1.5, 0.5, 1), (2.75, 0.25, 0), (3.0, 0.75, 1)),
    ((0.0, 0.5, 0), (0.75, 0.25, 1), (1.5, 0.25, 2), (2.0, 1.0, 1), (3.5, 0.25, 0)),
    ((0.25, 0.25, 1), (0.75, 0.5, 2), (1.75, 0.25, 2), (2.5, 0.5, 1), (3.25, 0.5, 0)),
)
LOW = 64


def _ladder(tones: tuple[int, ...]) -> list[int]:
    triad = sorted(LOW + (tone - LOW) % 12 for tone in tones[:3])
    return [*triad, triad[0] + 12]


def generate(ctx: Context) -> dict[int, list]:
    shape_rng = ctx.rng("vocals", "figure")
    figure = FIGURES[shape_rng.randrange(len(FIGURES))]
    density = ctx.density("vocals")
    result: dict[int, list] = {}
    for section in ctx.sections:
        if not ctx.plays("vocals", section):
            continue
        rng = ctx.rng("vocals", section.index)
        start = ctx.start(section)
        buffer = NoteBuffer(ctx.length(section))
        for bar in range(section.bars):
            bar_start = bar * ctx.bar
            events = list(figure) if bar % 2 == 1 or density > 0 else list(figure[-2:])
            if density < 0:
                events = events[::2]
            for position, length, tone in events:
                if position >= ctx.bar:
                    continue  # shorter bars (3/4, 6/8) keep the figure's first beats
                time = start + bar_start + position
                ladder = _ladder(ctx.harmony.at(time).chord.tones)
                pitch = ladder[tone % len(ladder)]
                velocity = 96 + jitter(rng, 6)
                offset = swing_offset(position, ctx.swing)
                buffer.add(pitch, bar_start + position + offset, length, velocity)
        notes = buffer.notes(mono=True)
        if notes:
            result[section.index] = notes
    return result
