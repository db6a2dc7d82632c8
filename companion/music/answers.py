"""Parts written as an answer to the producer's own material: a bass on their chords and rhythm,
drums on their bass, the continuation of their melody, a harmony for their lead.

Pure and deterministic (a seed gives the same notes). Input is what companion.analysis.notes_heard
heard (chords over time, key, rhythm) and the producer's notes; output is a list of
:class:`~companion.arrangement.Note` relative to the new clip's start. Musical choices are data
tables below, one reason per entry.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from companion.analysis.notes_heard import Heard
from companion.arrangement import DRUM_MAP, ChordEvent, Note
from companion.music.bass import PATTERNS
from companion.music.harmony import CHORD_QUALITIES
from companion.music.meter import Meter
from companion.music.notes import NoteBuffer
from companion.music.theory import Key, parse_key

Timed = tuple[float, float, int, int]  # (start, end, pitch, velocity), beats from clip start
EPS = 1e-6

# -- bass -----------------------------------------------------------------------------------------

BASS_LOW = 31  # roots sit in G1..F#2: low enough to be bass, high enough for small speakers
RHYTHMIC_ONSETS = 3.0  # onsets per bar above which the producer's part sets the bass rhythm
SHARE = 0.4  # a 16th the producer plays in this share of bars is part of their rhythm
# Tempo ranges → the groove family (companion.music.bass.PATTERNS) for material that only holds
# chords: what a bass player would reach for at that tempo when the harmony gives no rhythm.
GROOVE_BY_TEMPO: tuple[tuple[float, float, str], ...] = (
    (0, 90, "sparse"),  # slow: space between notes (hip-hop, ballads)
    (90, 115, "root8"),  # mid tempo: driving 8ths (pop, funk-ish)
    (115, 135, "offbeat"),  # house tempos: the offbeat bass under a four-on-the-floor
    (135, 160, "tech"),  # techno/trance: syncopated 16ths
    (160, 999, "reese"),  # drum & bass: long notes, the drums carry the speed
)
STYLE_GROOVE = {  # a style named in the request picks the groove instead of the tempo
    "house": "offbeat",
    "deep-house": "deep",
    "tech-house": "tech",
    "afro-house": "afro",
    "techno": "rolling",
    "trance": "rolling",
    "drum-and-bass": "reese",
    "dubstep": "wobble",
    "trap": "sparse",
    "hip-hop": "sparse",
    "boom-bap": "sparse",
    "lo-fi": "sparse",
    "reggaeton": "tresillo",
    "pop": "root8",
    "disco": "octave",
    "funk": "funk",
    "synthwave": "drive",
    "ambient": "drone",
    "edm": "root8",
    "uk-garage": "deep",
}


def _groove(tempo: float, style: str | None) -> str:
    if style and style in STYLE_GROOVE:
        return STYLE_GROOVE[style]
    for low, high, family in GROOVE_BY_TEMPO:
        if low <= tempo < high:
            return family
    return "root8"


def chord_at(chords: Sequence[ChordEvent], time: float) -> ChordEvent | None:
    found = None
    for chord in chords:
        if chord.start <= time + EPS:
            found = chord
        else:
            break
    return found


def _tones(chord: ChordEvent) -> tuple[int, ...]:
    """Pitch classes of a chord, root first, then third, fifth, seventh (stacking order)."""
    for intervals, (quality, _suffix) in CHORD_QUALITIES.items():
        if quality == chord.quality:
            return tuple((chord.root + i) % 12 for i in sorted(intervals))
    return (chord.root, (chord.root + 7) % 12)


def _in_register(pc: int, low: int = BASS_LOW) -> int:
    return low + (pc - low) % 12


def bass_rhythm(heard: Heard, meter: Meter, tempo: float, style: str | None) -> list[float]:
    """Onset positions inside one bar: the producer's own 16ths when their part is rhythmic,
    else the groove for the tempo (or the style asked for)."""
    rhythm = heard.rhythm
    if rhythm.per_bar >= RHYTHMIC_ONSETS:
        steps = rhythm.strong_steps(SHARE)
        if len(steps) >= 2:
            return [step * 0.25 for step in steps]
    family = _groove(tempo, style)
    if meter.common:
        pattern = PATTERNS[family][0]
        return [step * 0.25 for step, _length, _tone in pattern]
    return [pulse for pulse in meter.pulse_starts()] + [
        p + meter.pulse / 2 for p in meter.pulse_starts()
    ]


def bass_for(
    heard: Heard,
    length: float,
    tempo: float,
    meter: Meter | None = None,
    style: str | None = None,
    seed: int = 0,
) -> list[Note]:
    """A bass line over [0, length): the root of every chord exactly where the chord changes,
    chord tones on the producer's (or the tempo's) rhythm between changes, a scale step leading
    into the next root on the last 16th before it."""
    meter = meter or Meter()
    rng = random.Random(seed)
    key = parse_key(heard.key) if heard.key else None
    chords = heard.chords
    if not chords:
        return []
    bar = meter.bar
    positions = bass_rhythm(heard, meter, tempo, style)
    onsets = set()
    bars = int(-(-length // bar))
    for index in range(bars):
        for position in positions:
            onsets.add(round(index * bar + position, 6))
    changes = {round(chord.start, 6) for chord in chords}
    onsets |= changes
    ordered = sorted(t for t in onsets if 0 <= t < length - EPS)
    buffer = NoteBuffer(length)
    previous_root = None
    for index, time in enumerate(ordered):
        chord = chord_at(chords, time)
        if chord is None:
            continue
        following = ordered[index + 1] if index + 1 < len(ordered) else length
        next_change = min((c for c in changes if c > time + EPS), default=length)
        root = _in_register(chord.root)
        if previous_root is not None and abs(root - 12 - previous_root) < abs(root - previous_root):
            root -= 12 if root - 12 >= 28 else 0  # stay near the last root (voice leading)
        tones = _tones(chord)
        position = time % bar
        strong = meter.is_strong(position)
        if round(time, 6) in changes:
            pitch, velocity = root, 112
            previous_root = root
        elif next_change - time <= 0.25 + EPS and next_change < length and key is not None:
            upcoming = chord_at(chords, next_change)
            target = _in_register(upcoming.root) if upcoming else root
            below = [p for p in range(target - 2, target) if p % 12 in key.scale]
            pitch, velocity = (below[-1] if below else target - 1), 92  # leads into the root
        elif strong:
            pitch, velocity = (root if rng.random() < 0.7 else root + 12), 108
        else:
            fifth = root + (tones[2] - chord.root) % 12 if len(tones) > 2 else root + 7
            pitch, velocity = rng.choice((root, root, fifth, root + 12)), 98
        duration = max(0.2, min(following - time - 0.02, 1.0 if following - time <= 2 else 2.0))
        buffer.add(pitch, time, duration, velocity + rng.randint(-4, 4))
    return buffer.notes(mono=True)


def root_follow_ratio(bass: Sequence[Note], chords: Sequence[ChordEvent], tolerance=0.13) -> float:
    """Share of chord changes where a bass note starts (within ``tolerance`` beats) on the new
    chord's root: how closely a bass follows the harmony."""
    if not chords:
        return 0.0
    hit = 0
    for chord in chords:
        if any(
            abs(note.start - chord.start) <= tolerance and note.pitch % 12 == chord.root
            for note in bass
        ):
            hit += 1
    return hit / len(chords)


# -- drums ----------------------------------------------------------------------------------------

KICK, SNARE, CLAP = DRUM_MAP["kick"], DRUM_MAP["snare"], DRUM_MAP["clap"]
CLOSED_HAT, OPEN_HAT = DRUM_MAP["closed_hat"], DRUM_MAP["open_hat"]
CLAP_TEMPOS = (115.0, 135.0)  # house tempos clap the backbeat; others snare it
FOUR_ON_FLOOR_OFFBEATS = 3  # a bass with this many offbeat 8ths per bar wants a kick on every beat
BUSY_BASS = 6  # bass onsets per bar above which the hats sit on the offbeats only
PHRASE_BARS = 4  # a fill closes every phrase


def drums_for(
    bass: Sequence[Timed], length: float, tempo: float, meter: Meter | None = None, seed: int = 0
) -> list[Note]:
    """Drums locked to a bass: kicks where the bass lands on the beat (every beat under an
    offbeat bass), the backbeat on snare or clap, hats around the bass, a fill every phrase."""
    meter = meter or Meter()
    rng = random.Random(seed)
    bar = meter.bar
    bars = max(1, int(-(-length // bar)))
    buffer = NoteBuffer(length)
    per_bar: list[list[float]] = [[] for _ in range(bars)]
    for start, _end, _pitch, _velocity in bass:
        index = int(start // bar)
        if 0 <= index < bars:
            per_bar[index].append(round(start - index * bar, 4))
    backbeat = CLAP if CLAP_TEMPOS[0] <= tempo < CLAP_TEMPOS[1] else SNARE
    pulses = meter.pulse_starts()
    for index in range(bars):
        origin = index * bar
        onsets = per_bar[index]
        offbeats = sum(1 for t in onsets if abs(t % 1.0 - 0.5) < 0.01)
        if offbeats >= FOUR_ON_FLOOR_OFFBEATS:
            kicks = list(pulses)
        else:
            kicks = sorted({0.0} | {t for t in onsets if abs(t % 0.5) < 0.01 and t % 1.0 == 0.0})
            if len(kicks) == 1 and onsets:  # a sparse bass: the kick doubles its first offbeat
                later = [t for t in onsets if t > 0.0 and abs(t % 0.5) < 0.01]
                kicks += later[:1]
        for t in kicks:
            buffer.add(KICK, origin + t, 0.25, 118 if t == 0.0 else 108)
        for pulse_index in meter.backbeat_pulses():
            buffer.add(backbeat, origin + pulses[pulse_index], 0.25, 110)
        eighths = [i * 0.5 for i in range(int(bar / 0.5))]
        hats = [t for t in eighths if t % 1.0] if len(onsets) >= BUSY_BASS else eighths
        for t in hats:
            buffer.add(CLOSED_HAT, origin + t, 0.125, 86 if t % 1.0 else 72 + rng.randint(0, 6))
        if index % 2 == 1 and bar >= 4:
            buffer.add(OPEN_HAT, origin + bar - 0.5, 0.25, 90)
        if index % PHRASE_BARS == PHRASE_BARS - 1 and index < bars - 1:
            for step in range(4):  # a snare run into the next phrase
                buffer.add(SNARE, origin + bar - 1.0 + step * 0.25, 0.2, 70 + step * 12)
    return buffer.notes()


# -- melody ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Degree:
    degree: int  # scale steps from the tonic at MIDI 0 (octaves included)
    offset: int  # semitones off the scale (a chromatic note keeps its colour)


def _to_degree(pitch: int, key: Key) -> _Degree:
    best = None
    for degree in range(-7, 84):
        candidate = key.degree_to_pitch(degree, 0)
        distance = pitch - candidate
        if (
            best is None
            or abs(distance) < abs(best[1])
            or (abs(distance) == abs(best[1]) and distance == 0)
        ):
            best = (degree, distance)
    return _Degree(best[0], best[1])


def _to_pitch(degree: _Degree, key: Key) -> int:
    return max(0, min(127, key.degree_to_pitch(degree.degree, 0) + degree.offset))


def continue_melody(
    melody: Sequence[Timed], span: float, key_name: str | None, seed: int = 0
) -> list[Note]:
    """The answer to a phrase, as long as the phrase: its first half comes back as it was (the
    hook repeats), the second half mirrors the original contour, and the last note comes home
    to the tonic chord. Rhythm and velocities are the producer's own."""
    if not melody or span <= 0:
        return []
    key = parse_key(key_name) if key_name else parse_key("C")
    notes = sorted(melody)
    degrees = [_to_degree(pitch, key) for _s, _e, pitch, _v in notes]
    half = max(1, len(notes) // 2)
    pivot = degrees[half - 1].degree if half - 1 < len(degrees) else degrees[0].degree
    answered: list[_Degree] = []
    for index, degree in enumerate(degrees):
        if index < half:
            answered.append(_Degree(degree.degree, 0))
        else:  # the contour mirrored around where the first half ended
            answered.append(_Degree(2 * pivot - degree.degree, 0))
    tonic_degrees = (0, 2, 4)  # home: a tone of the tonic triad
    last = answered[-1].degree
    home = min(
        (last + shift for shift in range(-3, 4) if (last + shift) % 7 in tonic_degrees),
        key=lambda d: (abs(d - last), d),
    )
    answered[-1] = _Degree(home, 0)
    low = min(p for _s, _e, p, _v in notes) - 5
    high = max(p for _s, _e, p, _v in notes) + 5
    buffer = NoteBuffer(span)
    rng = random.Random(seed)
    for (start, end, _pitch, velocity), degree in zip(notes, answered, strict=True):
        pitch = _to_pitch(degree, key)
        while pitch > high:
            pitch -= 12
        while pitch < low:
            pitch += 12
        buffer.add(pitch, start, end - start, velocity + rng.randint(-3, 3))
    return buffer.notes()


HARMONY_BELOW = (3, 4, 5, 8, 9)  # intervals under the lead that sound as harmony (3rds, 4th, 6ths)


def harmonize(
    lead: Sequence[Timed], key_name: str | None, chords: Sequence[ChordEvent] = ()
) -> list[Note]:
    """A second voice under the lead: a diatonic third below each note, or — on long notes over
    a known chord — the nearest chord tone a third to a sixth below."""
    if not lead:
        return []
    key = parse_key(key_name) if key_name else parse_key("C")
    length = max(end for _s, end, _p, _v in lead)
    buffer = NoteBuffer(length + 1.0)
    for start, end, pitch, velocity in sorted(lead):
        degree = _to_degree(pitch, key)
        harmony = _to_pitch(_Degree(degree.degree - 2, 0), key)
        chord = chord_at(chords, start) if chords else None
        if chord is not None and end - start >= 1.0 - EPS:
            tones = set(_tones(chord))
            options = [pitch - i for i in HARMONY_BELOW if (pitch - i) % 12 in tones]
            if options and harmony % 12 not in tones:
                harmony = options[0]
        if not 1 <= pitch - harmony <= 12:
            harmony = pitch - 3 if key.contains(pitch - 3) else pitch - 4
        buffer.add(harmony, start, end - start, max(1, velocity - 12))
    return buffer.notes()
