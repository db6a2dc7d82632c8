"""Chord progressions: pick from the style × mood pool, build diatonic chords, lay them on the song.

Chords are stacked diatonic thirds (so every chord tone is in key), extended to 7ths or 9ths by the
style, and a 9th is only added where it is a whole tone above the root (no m7b9 surprises). The
result is a timeline of ``ChordSpan``s that bass, chords, lead, arp and vocals all read.
"""

from __future__ import annotations

import bisect
import random
from dataclasses import dataclass

from companion.arrangement import ChordEvent, round_beats
from companion.music.idioms import idiom_names
from companion.music.rng import stable_seed
from companion.music.sections import PlannedSection
from companion.music.styles import (
    MOOD_POOL,
    POOLS,
    PRE_CHORUS,
    STYLE_POOL_HOLDS,
    StyleProfile,
    mood_shape,
)
from companion.music.theory import FLAT_NAMES, SHARP_NAMES, Key

ROMAN = {"i": 0, "ii": 1, "iii": 2, "iv": 3, "v": 4, "vi": 5, "vii": 6}

# Interval sets → (quality, symbol suffix). Shared with the analyzer's chord inference.
CHORD_QUALITIES: dict[frozenset[int], tuple[str, str]] = {
    frozenset({0, 4, 7}): ("maj", ""),
    frozenset({0, 3, 7}): ("min", "m"),
    frozenset({0, 3, 6}): ("dim", "dim"),
    frozenset({0, 4, 8}): ("aug", "aug"),
    frozenset({0, 2, 7}): ("sus2", "sus2"),
    frozenset({0, 5, 7}): ("sus4", "sus4"),
    frozenset({0, 4, 7, 10}): ("7", "7"),
    frozenset({0, 4, 7, 11}): ("maj7", "maj7"),
    frozenset({0, 3, 7, 10}): ("min7", "m7"),
    frozenset({0, 3, 6, 10}): ("m7b5", "m7b5"),
    frozenset({0, 3, 6, 9}): ("dim7", "dim7"),
    frozenset({0, 5, 7, 10}): ("7sus4", "7sus4"),
    frozenset({0, 2, 4, 7}): ("add9", "add9"),
    frozenset({0, 2, 3, 7}): ("madd9", "m(add9)"),
    frozenset({0, 2, 4, 7, 11}): ("maj9", "maj9"),
    frozenset({0, 2, 3, 7, 10}): ("min9", "m9"),
    frozenset({0, 2, 4, 7, 10}): ("9", "9"),
}


@dataclass(frozen=True, slots=True)
class Chord:
    degree: int  # 0-based scale degree of the root
    root: int  # pitch class
    tones: tuple[
        int, ...
    ]  # pitch classes, root first, in stacking order (root, 3rd, 5th, 7th, 9th)
    quality: str
    symbol: str

    @property
    def pcs(self) -> frozenset[int]:
        return frozenset(self.tones)


@dataclass(frozen=True, slots=True)
class ChordSpan:
    start: float  # beats from song start
    duration: float
    chord: Chord
    section: int

    @property
    def end(self) -> float:
        return self.start + self.duration


class Harmony:
    """The chord timeline of a song, with O(log n) lookup by time."""

    def __init__(self, key: Key, spans: list[ChordSpan]) -> None:
        self.key = key
        self.spans = spans
        self._starts = [span.start for span in spans]

    def at(self, time: float) -> ChordSpan:
        index = bisect.bisect_right(self._starts, time + 1e-9) - 1
        return self.spans[max(index, 0)]

    def in_range(self, start: float, end: float) -> list[ChordSpan]:
        first = max(bisect.bisect_right(self._starts, start + 1e-9) - 1, 0)
        result = []
        for span in self.spans[first:]:
            if span.start >= end - 1e-9:
                break
            if span.end > start + 1e-9:
                result.append(span)
        return result

    def events(self) -> list[ChordEvent]:
        """ChordEvents for the arrangement; equal neighbours in a section are merged."""
        events: list[ChordEvent] = []
        previous: ChordSpan | None = None
        for span in self.spans:
            if (
                events
                and previous is not None
                and previous.section == span.section
                and previous.chord == span.chord
            ):
                last = events[-1]
                events[-1] = ChordEvent(
                    start=last.start,
                    duration=round_beats(last.duration + span.duration),
                    root=last.root,
                    quality=last.quality,
                    symbol=last.symbol,
                )
            else:
                events.append(
                    ChordEvent(
                        start=round_beats(span.start),
                        duration=round_beats(span.duration),
                        root=span.chord.root,
                        quality=span.chord.quality,
                        symbol=span.chord.symbol,
                    )
                )
            previous = span
        return events


def parse_progression(text: str) -> tuple[int, ...]:
    return tuple(ROMAN[token.lower()] for token in text.split())


def build_chord(key: Key, degree: int, extensions: int) -> Chord:
    root = key.degree_pitch_class(degree)
    tones = [key.degree_pitch_class(degree + offset) for offset in (0, 2, 4)]
    if extensions >= 4:
        tones.append(key.degree_pitch_class(degree + 6))
    if extensions >= 5 and (key.degree_pitch_class(degree + 1) - root) % 12 == 2:
        tones.append(key.degree_pitch_class(degree + 1))
    intervals = frozenset((tone - root) % 12 for tone in tones)
    if intervals not in CHORD_QUALITIES and len(tones) > 3:
        tones = tones[:4]  # a 9th that would make an unnamed chord: keep the 7th chord
        intervals = frozenset((tone - root) % 12 for tone in tones)
    if intervals == frozenset({0, 3, 6, 10}) or intervals == frozenset({0, 3, 6}):
        # Half-diminished/diminished chords sound sour in dance loops: keep the triad body.
        tones = tones[:3]
        intervals = frozenset((tone - root) % 12 for tone in tones)
    quality, suffix = CHORD_QUALITIES[intervals]
    names = FLAT_NAMES if key.prefers_flats else SHARP_NAMES
    return Chord(degree, root, tuple(tones), quality, names[root] + suffix)


FOUR_CHORD_FALLBACK = {"minor": "i VI III VII", "major": "I V vi IV"}


def _four_chords(pool: tuple[str, ...], mode: str) -> tuple[str, ...]:
    """Only the loops of four different chords (the trance/EDM loop idiom)."""
    loops = tuple(item for item in pool if len(set(item.split())) == 4)
    return loops or (FOUR_CHORD_FALLBACK[mode],)


def pool_for(profile: StyleProfile, mood: str | None) -> str:
    """The progression pool: the mood's, unless the style's own idiom holds against it."""
    pool_name = MOOD_POOL.get(mood or "", profile.harmony)
    if pool_name in STYLE_POOL_HOLDS.get(profile.harmony, frozenset()):
        pool_name = profile.harmony  # the genre's own progression fits this mood better
    return pool_name


def choose_progressions(
    profile: StyleProfile, key: Key, mood: str | None, rng: random.Random, seed: int = 0
) -> dict[str, tuple[int, ...]]:
    """Main (A) and alternate (B) progressions plus the pre-chorus climb (P)."""
    pool_name = pool_for(profile, mood)
    pool = POOLS[key.mode][pool_name]
    if ("harmony", "four_chord_loop") in idiom_names(profile.slug):
        pool = _four_chords(pool, key.mode)
    # Successive takes (seed, seed + 1, ...) walk through the pool from a per-style starting
    # point, so "another version" never repeats the progression until the pool is exhausted.
    offset = stable_seed(profile.slug, key.mode, pool_name) % len(pool)
    main = pool[(seed + offset) % len(pool)]
    others = [item for item in pool if item != main] or [main]
    alternate = rng.choice(others)
    return {
        "A": parse_progression(main),
        "B": parse_progression(alternate),
        "P": parse_progression(PRE_CHORUS[key.mode]),
    }


def build_harmony(
    profile: StyleProfile,
    key: Key,
    mood: str | None,
    sections: list[PlannedSection],
    bar: float,
    rng: random.Random,
    seed: int = 0,
) -> Harmony:
    progressions = choose_progressions(profile, key, mood, rng, seed)
    # The mood colours the chords: dark/aggressive back to triads, sad/chill add 7ths, dreamy 9ths.
    extensions = max(3, min(5, profile.extensions + mood_shape(mood).extensions))
    cache: dict[int, Chord] = {}

    def chord(degree: int) -> Chord:
        if degree not in cache:
            cache[degree] = build_chord(key, degree, extensions)
        return cache[degree]

    spans: list[ChordSpan] = []
    for section in sections:
        progression = progressions[section.harmony]
        slot_bars = profile.bars_per_chord
        if section.harmony == "P":
            # Two-chord climb over the whole pre-chorus.
            slot_bars = max(1, section.bars // len(progression))
        slot = slot_bars * bar
        section_start = section.start_bar * bar
        section_end = section_start + section.bars * bar
        time = section_start
        index = 0
        while time < section_end - 1e-9:
            degree = progression[index % len(progression)]
            duration = min(slot, section_end - time)
            spans.append(
                ChordSpan(round_beats(time), round_beats(duration), chord(degree), section.index)
            )
            time += slot
            index += 1
    return Harmony(key, spans)
