"""FX: risers, impacts, downlifters and sweeps as MIDI notes on a fixed note map.

Load one-shots on a Drum Rack / Simpler at these pitches. Events are placed at section boundaries:
a riser over every build (or pre-chorus), a reverse cymbal into every drop/chorus, an impact and a
sub drop on the drop's downbeat, a downlifter when the energy falls after a drop.
"""

from __future__ import annotations

from companion.music.context import Context
from companion.music.notes import NoteBuffer

FX_MAP: dict[str, int] = {
    "riser": 60,
    "impact": 62,
    "downlifter": 64,
    "reverse_cymbal": 65,
    "sub_drop": 67,
    "sweep": 69,
}

PEAKS = ("drop", "chorus")


def generate(ctx: Context) -> dict[int, list]:
    result: dict[int, list] = {}
    for section in ctx.sections:
        if not ctx.plays("fx", section):
            continue
        length = ctx.length(section)
        bar = ctx.bar
        buffer = NoteBuffer(length)
        previous = ctx.previous_section(section)
        following = ctx.next_section(section)
        if section.kind in PEAKS and previous is not None:
            buffer.add(FX_MAP["impact"], 0.0, min(2 * bar, length), 118)
            buffer.add(FX_MAP["sub_drop"], 0.0, min(bar, length), 110)
        if previous is not None and previous.kind in PEAKS and section.kind not in PEAKS:
            buffer.add(FX_MAP["downlifter"], 0.0, min(2 * bar, length), 100)
        if section.kind in ("build", "pre-chorus"):
            buffer.add(FX_MAP["riser"], 0.0, length, 104)
        elif section.kind == "intro" and section.bars >= 8:
            buffer.add(FX_MAP["sweep"], length - 4 * bar, 4 * bar, 90)
        elif ctx.profile.form == "ambient":
            buffer.add(FX_MAP["sweep"], 0.0, min(4 * bar, length), 70)
        if following is not None and following.kind in PEAKS and length >= 2:
            buffer.add(FX_MAP["reverse_cymbal"], length - 2.0, 2.0, 100)
        notes = buffer.notes()
        if notes:
            result[section.index] = notes
    return result
