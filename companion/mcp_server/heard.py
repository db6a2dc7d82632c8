"""What Live sent → read_live_clip's typed answer: the notes laid out in passages as the chat's
Live answers lay them out, and each passage listened to (chords over time, key, rhythm).

Pure: no Live, no I/O. The listening is the chat's own (:mod:`companion.analysis.notes_heard`,
:mod:`companion.services.live_answers`), so an agent hears what the chat would hear.
"""

from __future__ import annotations

import math

from companion.analysis.notes_heard import key_of, listen, rhythm_of
from companion.live.material import LiveMaterial, Placed
from companion.mcp_server.models import (
    HeardChord,
    LiveReadResult,
    NoteInfo,
    NotesSummary,
    Passage,
    ReadTrackInfo,
    RhythmInfo,
)
from companion.music.theory import SHARP_NAMES, note_name
from companion.services.live_answers import Segment, harmony_notes, live_key, segments_of

STRONG_SHARE = 0.4  # a 16th the part plays in at least this share of its bars is a strong step


def _summary(notes: list[Placed]) -> NotesSummary:
    if not notes:
        return NotesSummary(count=0)
    low = min(n.pitch for n in notes)
    high = max(n.pitch for n in notes)
    return NotesSummary(
        count=len(notes),
        lowest=note_name(low),
        highest=note_name(high),
        lowest_pitch=low,
        highest_pitch=high,
        mean_velocity=round(sum(n.velocity for n in notes) / len(notes), 1),
    )


def _passage(
    segment: Segment, key: str | None, bar: float, include_notes: bool, max_notes: int
) -> Passage:
    sounding = {name: notes for name, notes in segment.notes.items() if notes}
    everything = sorted(
        ((n, name) for name, notes in sounding.items() for n in notes),
        key=lambda item: (item[0].start, item[0].pitch),
    )
    heard = listen(harmony_notes(segment), segment.length, bar, key)
    rhythm = rhythm_of(sorted({round(n.start, 4) for n, _ in everything}), segment.length, bar)
    offset = segment.start or 0.0  # chords' bars are song bars on the Arrangement

    def where(beats: float) -> tuple[int, float]:
        at = offset + beats
        bar_index = math.floor(at / bar + 1e-9)
        return bar_index + 1, round(at - bar_index * bar + 1, 4)

    chords = []
    for chord in heard.chords:
        number, beat = where(chord.start)
        chords.append(
            HeardChord(
                symbol=chord.symbol,
                root=SHARP_NAMES[chord.root],
                quality=chord.quality,
                start=chord.start,
                beats=chord.duration,
                bar=number,
                beat=beat,
            )
        )
    listed = None
    if include_notes:
        listed = [
            NoteInfo(
                pitch=n.pitch,
                start=round(n.start, 6),
                duration=round(n.duration, 6),
                velocity=n.velocity,
                track=name,
            )
            for n, name in everything[:max_notes]
        ]
    return Passage(
        tracks=list(sounding),
        slot=segment.slot,
        start=segment.start,
        start_bar=where(0.0)[0] if segment.start is not None else None,
        beats=round(segment.length, 6),
        bars=round(segment.length / bar, 4),
        key=heard.key,
        notes=_summary([n for n, _ in everything]),
        chords=chords,
        rhythm=RhythmInfo(
            steps=[round(step, 3) for step in rhythm.steps],
            onsets_per_bar=round(rhythm.per_bar, 3),
            strong_steps=rhythm.strong_steps(STRONG_SHARE),
        ),
        note_list=listed,
        notes_left_out=max(0, len(everything) - max_notes) if include_notes else 0,
    )


def live_reading(
    material: LiveMaterial, seconds: float, include_notes: bool = False, max_notes: int = 2000
) -> LiveReadResult:
    """The answer of read_live_clip for one read."""
    bar = material.beats_per_bar
    segments = [s for s in segments_of(material) if any(s.notes.values())]
    hint = live_key(material)
    key = key_of([t for s in segments for t in harmony_notes(s)], hint) if segments else hint
    selected = material.selected_clip()
    numerator, denominator = material.signature
    return LiveReadResult(
        what=material.what,
        tempo=material.tempo,
        time_signature=f"{numerator}/{denominator}",
        live_scale=hint,
        key=key,
        notes=material.note_count,
        clip=selected[1].name if selected else None,
        tracks=[
            ReadTrackInfo(
                name=t.name,
                type=t.type,
                devices=[d.name for d in t.devices if d.name],
                clips=len(t.clips),
                notes=sum(len(c.notes) for c in t.clips),
            )
            for t in material.tracks
        ],
        passages=[_passage(s, key, bar, include_notes, max_notes) for s in segments],
        truncated=material.truncated,
        seconds=round(seconds, 3),
    )
