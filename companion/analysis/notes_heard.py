"""Hearing what the producer already has: the chords over time, the key and the rhythm of
notes read from Live (or any notes on a timeline).

Chord recognition works on beat windows, not single onsets, so it hears a comped, arpeggiated or
voice-led part as the chord it outlines: each window gets a duration-weighted pitch-class profile
(the lowest sounding note counts extra, as the ear hears the bass), every template of
:data:`companion.music.harmony.CHORD_QUALITIES` on every root is scored against it, and a
Viterbi pass with a change penalty picks the chord sequence, so one passing note does not make a
new chord and a held chord carries over empty windows. Keys come from the Krumhansl–Kessler
profile (:mod:`companion.analysis.keys`); rhythm is where in the bar the onsets fall, on the
16th grid.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from companion.analysis.keys import estimate_key
from companion.arrangement import ChordEvent, round_beats
from companion.music.harmony import CHORD_QUALITIES
from companion.music.theory import SHARP_NAMES, parse_key

Timed = tuple[float, float, int]  # (start, end, pitch) in beats

# Chord templates: (root offset set, quality, symbol suffix, simplicity bonus). Triads are the
# plain reading; a 7th or 9th has to earn its extra tone.
TEMPLATES: tuple[tuple[frozenset[int], str, str, float], ...] = tuple(
    (intervals, quality, suffix, 0.04 if len(intervals) == 3 else 0.0)
    for intervals, (quality, suffix) in CHORD_QUALITIES.items()
    if quality not in ("aug", "dim7")  # rare in the material MusiaIA answers; easily misheard
)
OUTSIDE_PENALTY = 0.8  # weight of a pitch class outside the chord, against one inside
MISSING_PENALTY = 0.12  # a chord tone that is not sounding (the fifth costs half)
BASS_BONUS = 0.18  # the lowest note is the root
IN_KEY_BONUS = 0.05  # a chord of the key, when the key is known
CHANGE_PENALTY = 0.25  # what a new chord must win by (stops passing notes making chords)…
OFF_BEAT_CHANGE = 0.6  # …where chords rarely change (not on a bar or half bar)…
BAR_CHANGE = 0.15  # …and where they usually do: on the bar
MEMORY = 0.5  # the last window still sounds in the ear (broken chords add up to the chord)
ON_BEAT = 1.5  # weight of a note struck on the beat
MIN_WEIGHT = 0.05  # beats of sound in a window below which it has no chord of its own

# Every candidate chord once: (tones, root, fifth, simplicity bonus), state = root × template.
_STATES: tuple[tuple[frozenset[int], int, int, float], ...] = tuple(
    (frozenset((root + i) % 12 for i in intervals), root, (root + 7) % 12, bonus)
    for root in range(12)
    for intervals, _quality, _suffix, bonus in TEMPLATES
)
_TONES = np.array([[1.0 if pc in tones else 0.0 for pc in range(12)] for tones, *_ in _STATES])
_ROOTS = np.array([root for _tones, root, _fifth, _bonus in _STATES])
_FIFTHS = np.array([fifth for _tones, _root, fifth, _bonus in _STATES])
_HAS_FIFTH = np.array([1.0 if fifth in tones else 0.0 for tones, _r, fifth, _b in _STATES])
_BONUS = np.array([bonus for *_rest, bonus in _STATES])


@dataclass(frozen=True)
class Rhythm:
    """Where the onsets fall: ``steps`` is the share of bars with an onset on each 16th of the
    bar; ``per_bar`` the mean onsets per bar."""

    steps: tuple[float, ...]
    per_bar: float
    bars: int

    def strong_steps(self, share: float = 0.4) -> list[int]:
        """The 16ths where the material plays in at least ``share`` of its bars."""
        return [i for i, value in enumerate(self.steps) if value >= share]


@dataclass(frozen=True)
class Heard:
    key: str | None
    chords: list[ChordEvent]
    rhythm: Rhythm
    length: float
    beats_per_bar: float
    notes: int = 0
    changes: list[float] = field(default_factory=list)  # chord change times


def _profile(notes: Sequence[Timed], start: float, end: float) -> tuple[np.ndarray, int | None]:
    """Pitch-class weights (beats sounding) of the notes in [start, end) and the lowest
    sounding note's pitch class. A note struck on the beat counts more: passing and neighbour
    tones fall between beats, chord tones on them."""
    weights = np.zeros(12)
    lowest: int | None = None
    for note_start, note_end, pitch in notes:
        overlap = min(note_end, end) - max(note_start, start)
        if overlap <= 1e-6:
            continue
        on_beat = note_start >= start - 1e-6 and abs(note_start - round(note_start)) < 1e-3
        weights[pitch % 12] += overlap * (ON_BEAT if on_beat else 1.0)
        if lowest is None or pitch < lowest:
            lowest = pitch
    return weights, (lowest % 12 if lowest is not None else None)


def _scores(weights: np.ndarray, bass: int | None, in_key: np.ndarray) -> np.ndarray:
    """Score of every candidate chord for one window (higher is better)."""
    share = weights / weights.sum()
    silent = (share <= 0.04).astype(float)
    inside = _TONES @ share
    missing = _TONES @ silent - 0.5 * silent[_FIFTHS] * _HAS_FIFTH
    score = (1 + OUTSIDE_PENALTY) * inside - OUTSIDE_PENALTY - MISSING_PENALTY * missing
    score += _BONUS + in_key
    if bass is not None:
        score += BASS_BONUS * (_ROOTS == bass)
    return score


def recognize_chords(
    notes: Sequence[Timed],
    length: float,
    window: float = 1.0,
    key: str | None = None,
    beats_per_bar: float = 4.0,
) -> list[ChordEvent]:
    """The chords of ``notes`` over [0, length), one decision per ``window`` beats, merged into
    events. Windows before the first sound and after the last get no chord. Chords change most
    readily on a bar, then on a half bar, hardly elsewhere (the metre is a strong prior)."""
    if not notes or length <= 0:
        return []
    ordered = sorted(notes)
    scale = set(parse_key(key).scale) if key else None
    in_key = (
        np.array([IN_KEY_BONUS if tones <= scale else 0.0 for tones, *_ in _STATES])
        if scale is not None
        else np.zeros(len(_STATES))
    )
    count = max(1, round(length / window))
    # Viterbi over windows: cost = -score, + CHANGE_PENALTY when the chord changes.
    cost: np.ndarray | None = None
    back: list[np.ndarray] = []
    sounding: list[bool] = []
    cursor = 0
    previous = np.zeros(12)
    half = beats_per_bar / 2
    for w in range(count):
        start, end = w * window, min(length, (w + 1) * window)
        while cursor < len(ordered) and ordered[cursor][1] <= start:
            cursor += 1  # notes that ended before this window never matter again
        active = []
        for note in ordered[cursor:]:
            if note[0] >= end:
                break
            active.append(note)
        weights, bass = _profile(active, start, end)
        at = start % beats_per_bar
        on_bar = at < 1e-6 or beats_per_bar - at < 1e-6
        on_half = abs(at - half) < 1e-6 and half == int(half)
        # what was just heard still counts, except across a bar or half bar (chords change there)
        context = weights + (0.0 if on_bar or on_half else MEMORY) * previous
        previous = context
        total = context.sum()
        # a chord needs two pitch classes (a lone note is not harmony: its window goes on with
        # the chord before)
        heard = weights.sum() >= MIN_WEIGHT and int((context > 0.04 * total).sum()) >= 2
        sounding.append(bool(heard))
        local = -_scores(context, bass, in_key) if heard else np.zeros(len(_STATES))
        if cost is None:
            cost = local
            continue
        penalty = BAR_CHANGE if on_bar else CHANGE_PENALTY if on_half else OFF_BEAT_CHANGE
        floor = int(np.argmin(cost))
        switch = cost[floor] + penalty
        stay = cost <= switch
        back.append(np.where(stay, np.arange(len(_STATES)), floor))
        cost = np.where(stay, cost, switch) + local
    assert cost is not None
    state = int(np.argmin(cost))
    path = [state]
    for pointers in reversed(back):
        state = int(pointers[state])
        path.append(state)
    path.reverse()
    if not any(sounding):
        return []
    first = sounding.index(True)
    last = len(sounding) - 1 - sounding[::-1].index(True)
    events: list[list] = []  # [start, end, state]
    for w in range(first, last + 1):
        if events and events[-1][2] == path[w]:
            events[-1][1] = min(length, (w + 1) * window)
        else:
            events.append([w * window, min(length, (w + 1) * window), path[w]])
    result = []
    for start, end, state in events:
        _tones, root, _fifth, _bonus = _STATES[state]
        _intervals, quality, suffix, _b = TEMPLATES[state % len(TEMPLATES)]
        result.append(
            ChordEvent(
                start=round_beats(start),
                duration=round_beats(end - start),
                root=root,
                quality=quality,
                symbol=SHARP_NAMES[root] + suffix,
            )
        )
    return result


def rhythm_of(onsets: Sequence[float], length: float, beats_per_bar: float) -> Rhythm:
    """On which 16ths of the bar the onsets fall, as a share of the bars that have any."""
    steps = max(1, round(beats_per_bar / 0.25))
    bars = max(1, int(-(-length // beats_per_bar)))
    hits: list[set[int]] = [set() for _ in range(bars)]
    for onset in onsets:
        bar = int(onset // beats_per_bar)
        if 0 <= bar < bars:
            step = round((onset - bar * beats_per_bar) / 0.25)
            if step < steps:
                hits[bar].add(step)
    playing = [bar for bar in hits if bar]
    if not playing:
        return Rhythm(tuple(0.0 for _ in range(steps)), 0.0, bars)
    share = tuple(sum(1 for bar in playing if step in bar) / len(playing) for step in range(steps))
    return Rhythm(share, sum(len(bar) for bar in playing) / len(playing), bars)


IN_SCALE = 0.9  # share of the sound in the set's own scale for that scale to be the key


def key_of(notes: Sequence[Timed], hint: str | None = None) -> str | None:
    """The key the notes sound in. ``hint`` (the set's own scale in Live) wins when the notes
    keep to its scale — a few chords cannot tell A minor from G major, the producer's setting
    can; otherwise the duration-weighted Krumhansl–Kessler estimate."""
    if hint:
        scale = set(parse_key(hint).scale)
        total = sum(end - start for start, end, _p in notes)
        inside = sum(end - start for start, end, pitch in notes if pitch % 12 in scale)
        if not notes or (total > 0 and inside / total >= IN_SCALE):
            return hint
    if len(notes) < 6:
        return hint
    return estimate_key((pitch, end - start) for start, end, pitch in notes) or hint


def listen(
    notes: Sequence[Timed],
    length: float,
    beats_per_bar: float = 4.0,
    key_hint: str | None = None,
    window: float = 1.0,
) -> Heard:
    """Chords, key and rhythm of a part (or of several parts' notes together)."""
    key = key_of(notes, key_hint)
    chords = recognize_chords(notes, length, window, key, beats_per_bar)
    rhythm = rhythm_of(sorted({round(n[0], 4) for n in notes}), length, beats_per_bar)
    return Heard(
        key=key,
        chords=chords,
        rhythm=rhythm,
        length=length,
        beats_per_bar=beats_per_bar,
        notes=len(notes),
        changes=[c.start for c in chords],
    )
