"""Does the music say its genre without drums? Features of bass, chords and lead, and a classifier.

Issue 13 asks that the melodic parts carry the style on their own. This measures it: a small,
deterministic nearest-centroid classifier over rhythm, harmony, register and interval features of
the bass, chords and lead tracks only (no drums, no tempo, keys transposed away), trained on some
seeds and tested on others. A random in-scale stand-in for the same parts (same note counts, same
registers, in key, random rhythm and pitch) is the baseline it must do much worse on.

Pure Python on purpose: a few hundred small vectors do not need numpy, and the default install
stays light.
"""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from companion.arrangement import Arrangement, Clip, Note, Track
from companion.music.theory import parse_key

ROLES = ("bass", "chords", "lead")

# Families a listener would confuse without shame: same tempo band, same rhythmic world.
FAMILY: dict[str, str] = {
    "house": "house",
    "deep-house": "house",
    "tech-house": "house",
    "afro-house": "house",
    "progressive-house": "house",
    "edm": "house",
    "techno": "techno",
    "minimal-techno": "techno",
    "trance": "trance",
    "drum-and-bass": "bass-music",
    "dubstep": "bass-music",
    "uk-garage": "bass-music",
    "trap": "hip-hop",
    "hip-hop": "hip-hop",
    "boom-bap": "hip-hop",
    "lo-fi": "hip-hop",
    "reggaeton": "latin",
    "pop": "pop-retro",
    "disco": "pop-retro",
    "funk": "pop-retro",
    "synthwave": "pop-retro",
    "ambient": "ambient",
}

Event = tuple[float, float, int]  # (start, end, pitch) in song beats

GRID = 0.25
INTERVAL_BINS = ((0, 0), (1, 2), (3, 4), (5, 7), (8, 11), (12, 12), (13, 99))


def _events(track: Track | None) -> list[Event]:
    if track is None:
        return []
    return sorted(
        (clip.start + note.start, clip.start + note.start + note.duration, note.pitch)
        for clip in track.clips
        for note in clip.notes
    )


def _step_histogram(onsets: Sequence[float], bar: float) -> list[float]:
    """Where onsets fall, coarsely: on the beat, on the off-beat 8th, on an off 16th, on beat 1.

    Coarse on purpose: a 16-slot histogram fingerprints whatever pattern table a style happens to
    use; these four say what a listener hears (driving, offbeat, syncopated, downbeat-heavy).
    """
    histogram = [0.0] * 4
    for onset in onsets:
        step = round((onset % bar) / GRID) % 16
        histogram[0 if step % 4 == 0 else 1 if step % 4 == 2 else 2] += 1
        histogram[3] += step == 0
    total = max(1, len(onsets))
    return [value / total for value in histogram]


def _timing(onsets: Sequence[float]) -> list[float]:
    """Mean signed offset from the 16th grid (laid back > 0) and the share of onsets off it."""
    if not onsets:
        return [0.0, 0.0]
    offsets = [onset - round(onset / GRID) * GRID for onset in onsets]
    return [
        10 * sum(offsets) / len(offsets),
        sum(1 for offset in offsets if abs(offset) > 0.02) / len(offsets),
    ]


def _durations(events: Sequence[Event]) -> list[float]:
    if not events:
        return [0.0, 0.0, 0.0]
    lengths = [end - start for start, end, _ in events]
    return [
        math.log2(sum(lengths) / len(lengths)),
        sum(1 for length in lengths if length <= 0.3) / len(lengths),
        sum(1 for length in lengths if length >= 1.5) / len(lengths),
    ]


def _sounding_bars(events: Sequence[Event], bar: float) -> int:
    return max(1, len({int(start // bar) for start, _, _ in events}))


def _degrees(pitches: Iterable[int], tonic: int) -> list[float]:
    histogram = [0.0] * 12
    count = 0
    for pitch in pitches:
        histogram[(pitch - tonic) % 12] += 1
        count += 1
    return [value / max(1, count) for value in histogram]


def _loopiness(events: Sequence[Event], bar: float) -> float:
    """Share of bars that repeat the bar one or two before them (riffs loop, melodies develop)."""
    bars: dict[int, list[tuple[float, int]]] = {}
    for start, _, pitch in events:
        index = int(start // bar)
        bars.setdefault(index, []).append((round(start - index * bar, 3), pitch))
    keys = sorted(bars)
    if len(keys) < 3:
        return 0.0
    same = sum(
        1
        for index in keys
        if bars.get(index - 1) == bars[index] or bars.get(index - 2) == bars[index]
    )
    return same / len(keys)


def _mono_features(events: Sequence[Event], bar: float, tonic: int) -> list[float]:
    onsets = [start for start, _, _ in events]
    pitches = [pitch for _, _, pitch in events]
    intervals = [abs(b - a) for a, b in itertools.pairwise(pitches)]
    interval_hist = [
        sum(1 for i in intervals if low <= i <= high) / max(1, len(intervals))
        for low, high in INTERVAL_BINS
    ]
    pairs = list(itertools.pairwise(events))
    overlap = sum(1 for a, b in pairs if a[1] > b[0] + 1e-3) / max(1, len(pairs))
    gaps = sum(1 for a, b in pairs if b[0] - a[1] > 0.5) / max(1, len(pairs))
    mean = sum(pitches) / len(pitches) if pitches else 60.0
    spread = math.sqrt(sum((p - mean) ** 2 for p in pitches) / len(pitches)) if pitches else 0.0
    return [
        *_step_histogram(onsets, bar),
        math.log2(1 + len(events) / _sounding_bars(events, bar)),
        *_durations(events),
        overlap,
        gaps,
        *interval_hist,
        (mean - 60) / 12,
        spread / 12,
        *_timing(onsets),
        *_degrees(pitches, tonic),
        _loopiness(events, bar),
    ]


def _groups(events: Sequence[Event]) -> list[list[Event]]:
    """Onset groups: notes struck together (within a strum of 0.1 beat) form one chord hit."""
    groups: list[list[Event]] = []
    for event in events:
        if groups and event[0] - groups[-1][0][0] <= 0.1:
            groups[-1].append(event)
        else:
            groups.append([event])
    return groups


def _chord_features(events: Sequence[Event], bar: float, tonic: int) -> list[float]:
    groups = _groups(events)
    onsets = [group[0][0] for group in groups]
    voices = [sorted(pitch for _, _, pitch in group) for group in groups]
    heads = [(group[0][0], max(end for _, end, _ in group), 0) for group in groups]
    gaps = [b - a for voicing in voices for a, b in itertools.pairwise(voicing)]
    gap_hist = [
        sum(1 for gap in gaps if low <= gap <= high) / max(1, len(gaps))
        for low, high in ((1, 2), (3, 4), (5, 6), (7, 99))
    ]
    count = max(1, len(groups))
    strummed = sum(1 for group in groups if len({start for start, _, _ in group}) > 1) / count
    sizes = [len({pitch % 12 for pitch in voicing}) for voicing in voices]
    changes = sum(1 for a, b in itertools.pairwise(voices) if a != b)
    mean = sum(sum(v) / len(v) for v in voices) / count if voices else 60.0
    return [
        *_step_histogram(onsets, bar),
        math.log2(1 + len(groups) / _sounding_bars(events, bar)),
        *_durations(heads),
        sum(len(v) for v in voices) / count,
        sum(v[-1] - v[0] for v in voices) / count / 12,
        (mean - 60) / 12,
        *gap_hist,
        strummed,
        sum(1 for size in sizes if size >= 4) / count,
        changes / _sounding_bars(events, bar),
        *_timing(onsets),
        *_degrees((v[0] for v in voices), tonic),
    ]


MONO_SIZE = len(_mono_features([(0.0, 1.0, 60), (1.0, 2.0, 62)], 4.0, 0))
CHORD_SIZE = len(_chord_features([(0.0, 1.0, 60), (0.0, 1.0, 64)], 4.0, 0))


def melodic_features(arrangement: Arrangement) -> tuple[float, ...]:
    """The feature vector of an arrangement's bass, chords and lead (never its drums or tempo)."""
    bar = arrangement.beats_per_bar
    tonic = parse_key(arrangement.key).tonic if arrangement.key else 0
    by_role = {track.role: track for track in arrangement.tracks}
    vector: list[float] = []
    for role in ROLES:
        events = _events(by_role.get(role))
        if role == "chords":
            vector += _chord_features(events, bar, tonic) if events else [0.0] * CHORD_SIZE
        else:
            vector += _mono_features(events, bar, tonic) if events else [0.0] * MONO_SIZE
    return tuple(vector)


# --- random in-scale stand-in ----------------------------------------------------------------

RANGES = {"bass": (31, 52), "chords": (52, 79), "lead": (62, 90)}
LENGTHS = (0.25, 0.5, 0.75, 1.0, 1.5, 2.0)


def random_in_scale(arrangement: Arrangement, seed: int) -> Arrangement:
    """The same song with bass, chords and lead replaced by random in-scale notes.

    Each clip keeps its note count (chords: its number of struck chords, each 3–4 in-scale notes
    inside an octave and a half) and its role's register; onsets sit on the 16th grid. This is what
    "the melodic parts carry no genre" looks like to the features.
    """
    rng = random.Random(seed)
    scale = parse_key(arrangement.key or "C").scale
    tracks = []
    for track in arrangement.tracks:
        if track.role not in ROLES:
            tracks.append(track)
            continue
        low, high = RANGES[track.role]
        pool = [pitch for pitch in range(low, high + 1) if pitch % 12 in scale]
        clips = []
        for clip in track.clips:
            steps = max(1, int(clip.length / GRID))
            if track.role == "chords":
                hits = len(_groups(_events(Track(name="x", role="chords", color=0, clips=[clip]))))
            else:
                hits = len(clip.notes)
            onsets = sorted(rng.randrange(steps) * GRID for _ in range(hits))
            notes: list[Note] = []
            for index, onset in enumerate(onsets):
                length = rng.choice(LENGTHS)
                following = onsets[index + 1] if index + 1 < len(onsets) else clip.length
                if track.role != "chords" and following > onset:
                    length = min(length, following - onset)
                length = max(0.05, min(length, clip.length - onset))
                if track.role == "chords":
                    bottom = rng.randrange(len(pool) - 6)
                    chosen = sorted(rng.sample(pool[bottom : bottom + 7], rng.choice((3, 4))))
                else:
                    chosen = [rng.choice(pool)]
                for pitch in chosen:
                    notes.append(Note(pitch=pitch, start=onset, duration=length, velocity=90))
            clips.append(
                Clip(
                    name=clip.name,
                    start=clip.start,
                    length=clip.length,
                    section=clip.section,
                    notes=_dedupe(notes),
                )
            )
        tracks.append(track.model_copy(update={"clips": clips}))
    return arrangement.model_copy(update={"tracks": tracks})


def _dedupe(notes: list[Note]) -> list[Note]:
    seen: set[tuple[float, int]] = set()
    out = []
    for note in sorted(notes, key=lambda n: (n.start, n.pitch)):
        if (note.start, note.pitch) not in seen:
            seen.add((note.start, note.pitch))
            out.append(note)
    return out


# --- nearest centroid ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Centroids:
    labels: tuple[str, ...]
    centres: tuple[tuple[float, ...], ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]  # 1/std per feature; 0 drops a feature that never varies

    def _standard(self, vector: Sequence[float]) -> list[float]:
        return [(v - m) * s for v, m, s in zip(vector, self.mean, self.scale, strict=True)]

    def predict(self, vector: Sequence[float]) -> str:
        point = self._standard(vector)
        best = min(
            range(len(self.labels)),
            key=lambda i: (
                sum((a - b) ** 2 for a, b in zip(point, self.centres[i], strict=True)),
                self.labels[i],
            ),
        )
        return self.labels[best]


def fit(samples: Sequence[tuple[str, Sequence[float]]]) -> Centroids:
    """Standardise every feature over the training set, then average each label's vectors."""
    size = len(samples[0][1])
    count = len(samples)
    mean = [sum(vector[i] for _, vector in samples) / count for i in range(size)]
    scale = []
    for i in range(size):
        variance = sum((vector[i] - mean[i]) ** 2 for _, vector in samples) / count
        scale.append(1 / math.sqrt(variance) if variance > 1e-9 else 0.0)
    labels = sorted({label for label, _ in samples})
    centres = []
    for label in labels:
        members = [vector for name, vector in samples if name == label]
        centres.append(
            tuple(
                (sum(vector[i] for vector in members) / len(members) - mean[i]) * scale[i]
                for i in range(size)
            )
        )
    return Centroids(tuple(labels), tuple(centres), tuple(mean), tuple(scale))


@dataclass(frozen=True, slots=True)
class Evaluation:
    pairs: tuple[tuple[str, str], ...]  # (true style, predicted style)

    @property
    def accuracy(self) -> float:
        return sum(1 for a, b in self.pairs if a == b) / len(self.pairs)

    @property
    def family_accuracy(self) -> float:
        return sum(1 for a, b in self.pairs if FAMILY[a] == FAMILY[b]) / len(self.pairs)

    def per_style(self) -> dict[str, float]:
        result: dict[str, list[int]] = {}
        for truth, guess in self.pairs:
            result.setdefault(truth, []).append(truth == guess)
        return {style: sum(hits) / len(hits) for style, hits in result.items()}

    def confusion(self, family: bool = False) -> dict[str, dict[str, int]]:
        table: dict[str, dict[str, int]] = {}
        for truth, guess in self.pairs:
            if family:
                truth, guess = FAMILY[truth], FAMILY[guess]
            row = table.setdefault(truth, {})
            row[guess] = row.get(guess, 0) + 1
        return table


def evaluate(
    train: Sequence[tuple[str, Sequence[float]]], test: Sequence[tuple[str, Sequence[float]]]
) -> Evaluation:
    model = fit(train)
    return Evaluation(tuple((label, model.predict(vector)) for label, vector in test))


# --- the experiment --------------------------------------------------------------------------

KEYS = ("Am", "C#m", "Em", "Gm", "Bbm", "Dm", "F#m", "Cm", "Fm", "Bm", "Ebm", "G#m")
TRAIN_SEEDS = tuple(range(1, 9))
TEST_SEEDS = tuple(range(101, 105))


def sample(style: str, seed: int, compose_song: Callable[[str, str, int], Arrangement]):
    """One song of a style: a seed-chosen minor key (so the tonic says nothing), bass, chords and
    lead only."""
    key = KEYS[(seed * 7 + len(style)) % len(KEYS)]
    return compose_song(style, key, seed)


def corpus(
    styles: Sequence[str],
    seeds: Sequence[int],
    compose_song: Callable[[str, str, int], Arrangement],
) -> tuple[list[tuple[str, tuple[float, ...]]], list[tuple[str, tuple[float, ...]]]]:
    """Feature rows of the composed songs and of their random in-scale stand-ins."""
    composed, stand_ins = [], []
    for style in styles:
        for seed in seeds:
            arrangement = sample(style, seed, compose_song)
            composed.append((style, melodic_features(arrangement)))
            stand_in = random_in_scale(arrangement, seed * 1009 + len(style))
            stand_ins.append((style, melodic_features(stand_in)))
    return composed, stand_ins
