"""Collect raw notes for one clip and turn them into clean, ordered ``Note`` objects.

Generators add notes freely; this is the single place that enforces MIDI hygiene: times rounded,
notes clipped to the clip, no zero-length notes, no overlapping notes of the same pitch, an optional
monophonic pass, and a stable sort so output bytes never depend on insertion accidents.
"""

from __future__ import annotations

import itertools

from pydantic import TypeAdapter

from companion.arrangement import TIME_DECIMALS, Note

# Validating plain dicts in one pydantic-core call is faster than building models one by one, and
# keeps every Note checked.
_NOTES = TypeAdapter(list[Note])


class NoteBuffer:
    __slots__ = ("_raw", "length")

    def __init__(self, length: float) -> None:
        self.length = length
        self._raw: list[tuple[float, int, float, int]] = []

    def add(self, pitch: int, start: float, duration: float, velocity: float) -> None:
        self._raw.append((start, int(pitch), duration, round(velocity)))

    def __len__(self) -> int:
        return len(self._raw)

    def notes(self, mono: bool = False) -> list[Note]:
        length = self.length
        limit = length - 1e-9
        cleaned: list[list] = []
        append = cleaned.append
        for start, pitch, duration, velocity in self._raw:
            start = round(start, TIME_DECIMALS) + 0.0
            if start < 0 or start >= limit:
                continue
            end = start + duration
            end = round(end if end < length else length, TIME_DECIMALS) + 0.0
            if end - start <= 1e-6:
                continue
            velocity = 1 if velocity < 1 else 127 if velocity > 127 else velocity
            append([start, pitch, end, velocity])
        cleaned.sort(key=lambda n: (n[0], n[1], -n[2]))
        result: list[list] = []
        last_by_pitch: dict[int, list] = {}
        for note in cleaned:
            previous = last_by_pitch.get(note[1])
            if previous is not None:
                if previous[0] == note[0]:
                    continue  # same pitch, same onset: keep the first (longest)
                if previous[2] > note[0]:
                    previous[2] = note[0]
            last_by_pitch[note[1]] = note
            result.append(note)
        if mono:
            result = _monophonic(result)
        out = []
        for start, pitch, end, velocity in result:
            duration = round(end - start, TIME_DECIMALS) + 0.0
            if duration > 0:
                out.append(
                    {"pitch": pitch, "start": start, "duration": duration, "velocity": velocity}
                )
        return _NOTES.validate_python(out)


def _monophonic(notes: list[list]) -> list[list]:
    """One note at a time: the loudest of simultaneous onsets, each cut at the next onset."""
    by_start: dict[float, list] = {}
    for note in notes:
        kept = by_start.get(note[0])
        if kept is None or note[3] > kept[3]:
            by_start[note[0]] = note
    ordered = [by_start[start] for start in sorted(by_start)]
    for current, following in itertools.pairwise(ordered):
        if current[2] > following[0]:
            current[2] = following[0]
    return ordered
