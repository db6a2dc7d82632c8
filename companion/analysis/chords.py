"""Chord inference for sets without a chord track annotation.

At every onset of the harmony track the sounding pitch classes are matched against chord templates
(triads, 7ths, 9ths, sus, add9). Pitch-class sets make inversions free; the lowest note only breaks
ties (C–D–G is Csus2 over C but Gsus4 over G). A missing fifth costs little, extra notes cost more.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence

from companion.arrangement import ChordEvent, round_beats
from companion.music.harmony import CHORD_QUALITIES
from companion.music.theory import SHARP_NAMES

TEMPLATES = sorted(
    (
        (tuple(sorted(intervals)), quality, suffix)
        for intervals, (quality, suffix) in CHORD_QUALITIES.items()
    ),
    key=lambda item: (len(item[0]), item[0]),
)
EPSILON = 0.02

AbsNote = tuple[float, float, int]  # (start, end, pitch) in song beats


def identify(pitches: Sequence[int]) -> tuple[int, str, str] | None:
    """(root, quality, symbol) for a set of sounding pitches, or None when it is not a chord."""
    pcs = {pitch % 12 for pitch in pitches}
    if len(pcs) < 3:
        return None
    bass = min(pitches) % 12
    best: tuple[float, int, int, int, str, str] | None = None
    for root in range(12):
        for intervals, quality, suffix in TEMPLATES:
            template = {(root + i) % 12 for i in intervals}
            matched = len(pcs & template)
            extra = len(pcs - template)
            missing = sum(0.5 if (pc - root) % 12 == 7 else 1.0 for pc in template - pcs)
            score = matched - 1.2 * extra - missing + (0.3 if root == bass else 0.0)
            key = (score, -len(intervals), -root)
            if best is None or key > best[:3]:
                best = (score, -len(intervals), -root, root, quality, SHARP_NAMES[root] + suffix)
    if best is None or best[0] < 2.0:
        return None
    return best[3], best[4], best[5]


def infer_chords(notes: Sequence[AbsNote]) -> list[ChordEvent]:
    """Chord events from the absolute notes of a harmony track (chords, pads or keys)."""
    if not notes:
        return []
    ordered = sorted(notes)
    starts = [note[0] for note in ordered]
    onsets = sorted({round(note[0], 3) for note in ordered})
    events: list[list] = []  # [start, root, quality, symbol]
    for onset in onsets:
        probe = onset + EPSILON
        upto = bisect.bisect_right(starts, probe)
        sounding = [pitch for start, end, pitch in ordered[:upto] if end > probe]
        found = identify(sounding)
        if found is None:
            continue
        if events and events[-1][1:] == list(found):
            continue
        events.append([onset, *found])
    end_of_music = max(note[1] for note in ordered)
    result = []
    for index, (start, root, quality, symbol) in enumerate(events):
        end = events[index + 1][0] if index + 1 < len(events) else end_of_music
        if end - start <= 0:
            continue
        result.append(
            ChordEvent(
                start=round_beats(start),
                duration=round_beats(end - start),
                root=root,
                quality=quality,
                symbol=symbol,
            )
        )
    return result
