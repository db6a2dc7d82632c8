"""Detectors for the genre idioms of companion/music/idioms.py, measured from an Arrangement.

Each detector answers "does this song do that?" from the notes alone (and the chord track for
harmony idioms), with thresholds a listener would agree with: an off-beat bass is one whose onsets
mostly sit on the off-beat 8ths, an 808 slides when notes of different pitch overlap, a dembow
has its snare on the 3-3-2. They back the per-style idiom tests and the idiom-rule classifier in
benchmarks/genre_report.py. Detectors marked as needing drums read the drum track; the rest read
only bass, chords, pads, lead and arp.
"""

from __future__ import annotations

import bisect
import itertools
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from companion.arrangement import Arrangement, Track
from companion.music.theory import parse_key

Event = tuple[float, float, int, int]  # (start, end, pitch, velocity) in song beats
TRESILLO = frozenset({0, 3, 6, 8, 11, 14})  # the 3-3-2 (twice a bar) in 16th steps
PEAK_KINDS = ("drop", "chorus")
KICK, SNARE, CLAP = 36, 38, 39
HATS = frozenset({42, 44, 46})


@dataclass(frozen=True, slots=True)
class Song:
    """An arrangement's notes by role, with the helpers detectors share."""

    arrangement: Arrangement
    roles: dict[str, list[Event]]

    @classmethod
    def of(cls, arrangement: Arrangement) -> Song:
        roles: dict[str, list[Event]] = {}
        for track in arrangement.tracks:
            roles.setdefault(track.role, []).extend(_events(track))
        for events in roles.values():
            events.sort()
        return cls(arrangement, roles)

    @property
    def bar(self) -> float:
        return self.arrangement.beats_per_bar

    def notes(self, role: str, peaks: bool = False, skip_breakdowns: bool = True) -> list[Event]:
        events = self.roles.get(role, [])
        windows = self.windows(peaks, skip_breakdowns)
        return [event for event in events if any(a <= event[0] < b for a, b in windows)]

    def windows(
        self, peaks: bool = False, skip_breakdowns: bool = True
    ) -> list[tuple[float, float]]:
        bar = self.bar
        chosen = []
        for section in self.arrangement.sections:
            if peaks and section.kind not in PEAK_KINDS:
                continue
            if skip_breakdowns and section.kind in ("breakdown", "intro", "outro"):
                continue
            chosen.append((section.start_bar * bar, (section.start_bar + section.bars) * bar))
        if not chosen and (peaks or skip_breakdowns):
            return self.windows(False, False)
        return chosen

    def bars_in(self, peaks: bool = False, role: str | None = None) -> float:
        """Bars of the chosen sections (where ``role`` plays, when given); at least one."""
        if role is not None:
            events = self.notes(role, peaks)
            return max(1, len({int(event[0] // self.bar) for event in events}))
        return max(1.0, sum(b - a for a, b in self.windows(peaks)) / self.bar)

    def step(self, time: float) -> int:
        return round((time % self.bar) / 0.25) % 16


def _events(track: Track) -> list[Event]:
    return [
        (
            clip.start + note.start,
            clip.start + note.start + note.duration,
            note.pitch,
            note.velocity,
        )
        for clip in track.clips
        for note in clip.notes
    ]


def _share(items: Sequence[object], test: Callable[[object], bool]) -> float:
    return sum(1 for item in items if test(item)) / len(items) if items else 0.0


def _onsets(events: Sequence[Event]) -> list[float]:
    return sorted({round(event[0], 4) for event in events})


def _groups(events: Sequence[Event]) -> list[list[Event]]:
    groups: list[list[Event]] = []
    for event in sorted(events):
        if groups and event[0] - groups[-1][0][0] <= 0.1:
            groups[-1].append(event)
        else:
            groups.append([event])
    return groups


def _offset(time: float) -> float:
    return time - round(time / 0.25) * 0.25


def _median_length(events: Sequence[Event]) -> float:
    return statistics.median(end - start for start, end, _, _ in events) if events else 0.0


# --- bass -------------------------------------------------------------------------------------


def offbeat(song: Song, role: str = "bass") -> bool:
    events = song.notes(role, peaks=True)
    groups = _groups(events) if role != "bass" else [[e] for e in events]
    return _share(groups, lambda g: song.step(g[0][0]) % 4 == 2) >= 0.6


def rumble(song: Song) -> bool:
    """One-note 16ths between the kicks: off the beat, short, at least 6 a bar."""
    events = song.notes("bass", peaks=True)
    return (
        _share(events, lambda e: song.step(e[0]) % 4 != 0) >= 0.85
        and len(events) / song.bars_in(True) >= 6
        and _median_length(events) <= 0.3
    )


def rolling(song: Song) -> bool:
    events = song.notes("bass", peaks=True)
    return (
        _share(events, lambda e: song.step(e[0]) % 4 != 0) >= 0.85
        and len(events) / song.bars_in(True) >= 10
    )


def blip(song: Song) -> bool:
    events = song.notes("bass", peaks=True)
    return _median_length(events) <= 0.3 and len(events) / song.bars_in(True) <= 5


def tech(song: Song) -> bool:
    events = song.notes("bass", peaks=True)
    return (
        _share(events, lambda e: song.step(e[0]) % 2 == 1) >= 0.2
        and _share(events, lambda e: song.step(e[0]) % 4 != 0) >= 0.7
    )


def deep(song: Song) -> bool:
    """Warm syncopated bass: notes of an 8th or more, a fifth of them on the off 16ths."""
    events = song.notes("bass", peaks=True)
    return (
        _median_length(events) >= 0.45 and _share(events, lambda e: song.step(e[0]) % 2 == 1) >= 0.2
    )


def tresillo(song: Song, role: str = "bass") -> bool:
    """Onsets on the 3-3-2 (and, for chords and leads, at least three of them a bar)."""
    events = song.notes(role, peaks=True)
    groups = _groups(events) if role == "chords" else [[e] for e in events]
    busy = role == "bass" or len(groups) / song.bars_in(True, role) >= 3
    return busy and _share(groups, lambda g: song.step(g[0][0]) in TRESILLO) >= 0.6


def garage(song: Song) -> bool:
    events = song.notes("bass", peaks=True)
    return _median_length(events) >= 0.6 and _share(events, lambda e: song.step(e[0]) % 4) >= 0.3


def slides(song: Song) -> bool:
    """Overlapping notes of different pitch (a mono synth with glide slides between them)."""
    events = song.notes("bass")
    overlaps = sum(1 for a, b in itertools.pairwise(events) if a[1] > b[0] + 1e-6 and a[2] != b[2])
    return overlaps >= max(1, song.bars_in() / 8)


def wobble(song: Song) -> bool:
    """Runs of re-articulated notes at a steady rate, at several rates, triplets among them."""
    events = song.notes("bass", peaks=True)
    rates = {
        round(b[0] - a[0], 2)
        for a, b, c in zip(events, events[1:], events[2:], strict=False)
        if a[2] == b[2] and abs((b[0] - a[0]) - (c[0] - b[0])) < 0.02 and b[0] - a[0] < 1.1
    }
    triplet = any(abs(rate * 6 - round(rate * 6)) < 0.05 and rate * 4 % 1 > 0.05 for rate in rates)
    return len(rates) >= 2 and triplet


def octave(song: Song) -> bool:
    pitches = [e[2] for e in song.notes("bass", peaks=True)]
    jumps = [abs(b - a) for a, b in itertools.pairwise(pitches)]
    return _share(jumps, lambda j: j == 12) >= 0.3


def funk(song: Song) -> bool:
    """Syncopated 16ths with rests: a third on the off 16ths, 5–11 notes a bar."""
    events = song.notes("bass", peaks=True)
    per_bar = len(events) / song.bars_in(True, "bass")
    return _share(events, lambda e: song.step(e[0]) % 2 == 1) >= 0.3 and 5 <= per_bar <= 11


def ghost_notes(song: Song) -> bool:
    events = song.notes("bass", peaks=True)
    ghosts = sum(1 for s, e, _, v in events if v <= 60 and e - s <= 0.15)
    return ghosts >= song.bars_in(True) / 2


def drone(song: Song) -> bool:
    events = song.notes("bass", skip_breakdowns=False)
    return bool(events) and statistics.mean(e[1] - e[0] for e in events) >= 4


def root8(song: Song) -> bool:
    events = song.notes("bass", peaks=True)
    return (
        _share(events, lambda e: abs(e[0] * 2 - round(e[0] * 2)) < 0.01) >= 0.7
        and len(events) / song.bars_in(True) >= 4
    )


def drive(song: Song) -> bool:
    events = song.notes("bass", peaks=True)
    pitches = [e[2] for e in events]
    repeats = _share(list(itertools.pairwise(pitches)), lambda p: p[0] == p[1])
    return len(events) / song.bars_in(True) >= 6 and repeats >= 0.6


def sparse(song: Song) -> bool:
    events = song.notes("bass", peaks=True)
    return len(events) / song.bars_in(True) <= 4.5


def reese(song: Song) -> bool:
    events = song.notes("bass", peaks=True)
    return bool(events) and statistics.mean(e[1] - e[0] for e in events) >= 1.25


def laid_back(song: Song, role: str) -> bool:
    """Onsets that belong on the 8th grid land late on average (swing only moves the off 16ths,
    so it does not count)."""
    events = song.notes(role)
    onsets = [g[0][0] for g in _groups(events)] if role == "chords" else [e[0] for e in events]
    on_eighths = [t for t in onsets if round(t / 0.25) % 2 == 0]
    return bool(on_eighths) and statistics.mean(_offset(t) for t in on_eighths) >= 0.02


def follows_kick(song: Song) -> bool:
    kicks = {round(e[0], 2) for e in song.roles.get("drums", []) if e[2] == KICK}
    events = song.notes("bass", peaks=True)
    return bool(kicks) and _share(events, lambda e: round(e[0], 2) in kicks) >= 0.8


# --- chords and pads --------------------------------------------------------------------------


def _hits(song: Song, role: str = "chords", peaks: bool = True) -> list[list[Event]]:
    return [g for g in _groups(song.notes(role, peaks=peaks)) if len(g) >= 2]


def short_stabs(song: Song, limit: float = 0.3, off: float = 0.5) -> bool:
    hits = _hits(song)
    lengths = [max(e[1] for e in g) - g[0][0] for g in hits]
    return (
        bool(hits)
        and statistics.median(lengths) <= limit
        and _share(hits, lambda g: song.step(g[0][0]) % 4 != 0) >= off
    )


def piano(song: Song) -> bool:
    hits = _hits(song)
    return short_stabs(song) and _share(hits, lambda g: len(g) >= 4) >= 0.6


def rootless(song: Song) -> bool:
    """Voicings without the chord's root (the bass has it): 3-5-7(-9)."""
    chords = song.arrangement.chords
    hits = _hits(song, peaks=False)
    if not chords or not hits:
        return False
    starts = [c.start for c in chords]

    def no_root(group: list[Event]) -> bool:
        index = max(0, bisect.bisect_right(starts, group[0][0] + 1e-6) - 1)
        return all(e[2] % 12 != chords[index].root for e in group)

    return _share(hits, no_root) >= 0.7


def dub(song: Song) -> bool:
    """Stabs followed by quieter repeats of the same chord a dotted 8th later."""
    hits = _hits(song)
    echoes = 0
    for a, b in itertools.pairwise(hits):
        same = sorted(e[2] for e in a) == sorted(e[2] for e in b)
        if same and abs(b[0][0] - a[0][0] - 0.75) < 0.05 and b[0][3] < a[0][3]:
            echoes += 1
    return echoes >= song.bars_in(True, "chords")


def gate(song: Song, role: str = "chords") -> bool:
    hits = _hits(song, role)
    lengths = [max(e[1] for e in g) - g[0][0] for g in hits]
    return (
        bool(hits)
        and len(hits) / song.bars_in(True, role) >= 8
        and statistics.median(lengths) <= 0.25
    )


def held(song: Song, minimum: float) -> bool:
    hits = _hits(song)
    return bool(hits) and statistics.mean(max(e[1] for e in g) - g[0][0] for g in hits) >= minimum


def string_runs(song: Song) -> bool:
    """Rising 16th runs of single notes, at least one every 8 bars of the fuller sections."""
    events = song.notes("chords")
    singles = [g[0] for g in _groups(events) if len(g) == 1]
    runs = 0
    length = 1
    for a, b in itertools.pairwise(singles):
        if abs(b[0] - a[0] - 0.25) < 0.02 and 0 < b[2] - a[2] <= 2:
            length += 1
            if length == 5:
                runs += 1
        else:
            length = 1
    return runs >= song.bars_in() / 8


def clav(song: Song) -> bool:
    hits = _hits(song)
    lengths = [max(e[1] for e in g) - g[0][0] for g in hits]
    return (
        bool(hits)
        and statistics.median(lengths) <= 0.2
        and _share(hits, lambda g: song.step(g[0][0]) % 2 == 1) >= 0.3
    )


def evolving(song: Song) -> bool:
    """Held chords whose voices enter one after another (at least three entry times among the
    notes of two beats or more in the chord's first half), most of the time."""
    events = [e for e in song.notes("chords", skip_breakdowns=False) if e[1] - e[0] >= 2.0]
    staggered = played = 0
    for chord in song.arrangement.chords:
        end = chord.start + chord.duration / 2
        starts = {round(e[0], 3) for e in events if chord.start - 1e-6 <= e[0] < end}
        played += bool(starts)
        staggered += len(starts) >= 3 and max(starts) - min(starts) >= 1.0  # not a mere strum
    return played > 0 and staggered / played >= 0.5


def sustained(song: Song) -> bool:
    return held(song, 3.0)


# --- harmony ----------------------------------------------------------------------------------


def _degrees(song: Song, peaks: bool = True, bars: int = 4) -> list[list[int]]:
    """Chord roots (semitones above the tonic) per ``bars``-bar window of the chosen sections."""
    tonic = parse_key(song.arrangement.key or "C").tonic
    out = []
    for start, end in song.windows(peaks):
        window = start
        while window < end - 1e-6:
            roots = [
                (c.root - tonic) % 12
                for c in song.arrangement.chords
                if window - 1e-6 <= c.start < window + bars * song.bar - 1e-6
            ]
            if roots:
                out.append(roots)
            window += bars * song.bar
    return out


def static(song: Song) -> bool:
    """At most two chords in (almost) every 8 bars."""
    windows = _degrees(song, False, 8)
    return bool(windows) and _share(windows, lambda roots: len(set(roots)) <= 2) >= 0.8


def vamp(song: Song) -> bool:
    windows = _degrees(song, False)
    return bool(windows) and _share(windows, lambda roots: len(set(roots)) == 2) >= 0.5


def four_chord_loop(song: Song) -> bool:
    windows = _degrees(song, True)
    return bool(windows) and _share(windows, lambda r: len(r) == 4 and len(set(r)) == 4) >= 0.8


def dembow_loop(song: Song) -> bool:
    """The i–VI–III–VII family: minor-key loops built on i, VI, III, VII (iv allowed)."""
    windows = _degrees(song, True)
    family = {0, 8, 3, 10, 5} if song.arrangement.key.endswith("m") else {9, 5, 0, 7, 2}
    return bool(windows) and _share(windows, lambda r: set(r) <= family and len(set(r)) >= 3) >= 0.8


def jazzy(song: Song) -> bool:
    chords = song.arrangement.chords
    return _share(chords, lambda c: c.quality in ("min7", "maj7", "7", "min9", "maj9", "9")) >= 0.7


def axis(song: Song) -> bool:
    windows = _degrees(song, True)
    return bool(windows) and _share(windows, lambda r: len(set(r) & {0, 5, 7, 9}) >= 3) >= 0.7


def has_six(song: Song) -> bool:
    """Emotional minor loops: moving harmony (three chords or more) pivoting on the VI."""
    windows = _degrees(song, True)
    return bool(windows) and _share(windows, lambda r: 8 in r and len(set(r)) >= 3) >= 0.6


def dark(song: Song) -> bool:
    windows = _degrees(song, True)
    return bool(windows) and _share(windows, lambda r: len(set(r)) <= 3) >= 0.7


# --- lead and arp -----------------------------------------------------------------------------


def loop_repeats(song: Song, span_bars: int, lag: int = 1) -> float:
    """Share of lead windows (``span_bars`` long) equal to the one ``lag`` windows before."""
    events = song.notes("lead", peaks=True)
    span = span_bars * song.bar
    windows: dict[int, tuple] = {}
    for start, _end, pitch, _ in events:
        index = int(start // span)
        windows.setdefault(index, ())
        windows[index] += ((round(start - index * span, 3), pitch),)
    keys = sorted(windows)
    pairs = [(a, a + lag) for a in keys if a + lag in windows]
    return _share(pairs, lambda p: windows[p[0]] == windows[p[1]])


def stab_motif(song: Song) -> bool:
    events = song.notes("lead", peaks=True)
    return _median_length(events) <= 0.2 and loop_repeats(song, 1) >= 0.5


def pentatonic(song: Song) -> bool:
    """Nine in ten lead notes on the key's pentatonic (minor: no 2nd or b6)."""
    key = parse_key(song.arrangement.key or "C")
    steps = (0, 3, 5, 7, 10) if key.mode == "minor" else (0, 2, 4, 7, 9)
    allowed = {(key.tonic + step) % 12 for step in steps}
    return _share(song.notes("lead"), lambda e: e[2] % 12 in allowed) >= 0.9


def triplets(song: Song) -> bool:
    """At least a tenth of the lead's onsets on the 8th/16th-triplet grid, off the 16ths."""
    events = song.notes("lead", peaks=True)

    def triplet(event: Event) -> bool:
        sixths = event[0] * 6
        return abs(sixths - round(sixths)) < 0.02 and abs(_offset(event[0])) > 0.05

    return _share(events, triplet) >= 0.1


def staccato(song: Song) -> bool:
    """Dry stabs: most notes a 32nd-ish long, syncopated."""
    events = song.notes("lead", peaks=True)
    return _median_length(events) <= 0.15 and _share(events, lambda e: song.step(e[0]) % 4) >= 0.4


def legato(song: Song) -> bool:
    """Notes that run into the next one (no gap), most of the time."""
    events = song.notes("lead", peaks=True)
    pairs = [(a, b) for a, b in itertools.pairwise(events) if b[0] - a[0] <= 4.0]
    return _share(pairs, lambda p: p[1][0] - p[0][1] <= 0.02) >= 0.6


def long_notes(song: Song) -> bool:
    events = song.notes("lead", skip_breakdowns=False)
    return bool(events) and statistics.mean(e[1] - e[0] for e in events) >= 1.5


def halftime_lead(song: Song) -> bool:
    events = song.notes("lead", peaks=True)
    return len(events) / song.bars_in(True) <= 4.5


def vocal_range(song: Song) -> bool:
    """A singable hook: in the voice's range, 2.5+ notes a bar, notes a 16th to a beat long."""
    events = song.notes("lead", peaks=True)
    return (
        bool(events)
        and 62 <= statistics.mean(e[2] for e in events) <= 79
        and len(events) / song.bars_in(True, "lead") >= 2.5
        and 0.2 <= _median_length(events) <= 1.0
    )


def busy_lead(song: Song) -> bool:
    events = song.notes("lead", peaks=True)
    return len(events) / song.bars_in(True) >= 5


def syncopated_lead(song: Song) -> bool:
    events = song.notes("lead", peaks=True)
    return _share(events, lambda e: song.step(e[0]) % 4 != 0) >= 0.4


def arp16(song: Song) -> bool:
    """A 16th arpeggio (gated or not): on the 16th grid, at least 5 notes a bar, none closer."""
    onsets = _onsets(song.notes("arp", peaks=True))
    gaps = [b - a for a, b in itertools.pairwise(onsets)]
    return (
        bool(gaps)
        and min(gaps) >= 0.24
        and _share(gaps, lambda g: abs(g - 0.25) < 0.02) >= 0.3
        and _share(onsets, lambda t: abs(_offset(t)) < 0.02) >= 0.9
    )


# --- drums ------------------------------------------------------------------------------------


def _drum_bars(song: Song, peaks: bool = True) -> list[dict[int, set[int]]]:
    """Per bar of the chosen sections: pitch → steps played (velocity > 60 only)."""
    bars: dict[int, dict[int, set[int]]] = {}
    for start, _, pitch, velocity in song.notes("drums", peaks=peaks):
        if velocity <= 60:
            continue
        bars.setdefault(int(start // song.bar), {}).setdefault(pitch, set()).add(song.step(start))
    return list(bars.values())


def four_on_floor(song: Song) -> bool:
    bars = _drum_bars(song)
    return bool(bars) and _share(bars, lambda b: {0, 4, 8, 12} <= b.get(KICK, set())) >= 0.8


def _backbeat(bar: dict[int, set[int]]) -> set[int]:
    return bar.get(SNARE, set()) | bar.get(CLAP, set())


def two_step(song: Song) -> bool:
    """Kick on 1 and not on 3 (the skip); DnB also puts one on the and-of-3."""
    bars = _drum_bars(song)
    return (
        bool(bars)
        and _share(bars, lambda b: 0 in b.get(KICK, set()) and 8 not in b.get(KICK, set())) >= 0.8
    )


def half_time(song: Song) -> bool:
    bars = _drum_bars(song)
    return (
        bool(bars)
        and _share(bars, lambda b: 8 in _backbeat(b) and not {4, 12} & _backbeat(b)) >= 0.8
    )


def ghost_snares(song: Song) -> bool:
    ghosts = [e for e in song.notes("drums", peaks=True) if e[2] == SNARE and e[3] < 60]
    return len(ghosts) >= song.bars_in(True)


def hat_rolls(song: Song) -> bool:
    hats = sorted(e[0] for e in song.notes("drums", skip_breakdowns=False) if e[2] in HATS)
    fast = sum(1 for a, b in itertools.pairwise(hats) if 0.01 < b - a < 0.2)
    return fast >= 4 * max(1, song.bars_in() / 8)


def dembow(song: Song) -> bool:
    bars = _drum_bars(song)
    return bool(bars) and _share(bars, lambda b: {3, 6, 11, 14} <= b.get(SNARE, set())) >= 0.7


def gated_snare(song: Song) -> bool:
    """Snare and clap together on 2 and 4, no ghost notes around them (fills aside)."""
    bars = _drum_bars(song)
    ghosts = [e for e in song.notes("drums", peaks=True) if e[2] == SNARE and e[3] < 60]
    layered = _share(bars, lambda b: {4, 12} <= b.get(SNARE, set()) & b.get(CLAP, set()))
    return bool(bars) and layered >= 0.8 and len(ghosts) <= song.bars_in(True) / 4


def swung_backbeat(song: Song) -> bool:
    hats = [e[0] for e in song.notes("drums", peaks=False) if e[2] in HATS]
    late = [t for t in hats if 0.02 < _offset(t) < 0.1]
    bars = _drum_bars(song, peaks=False)
    backbeat = _share(bars, lambda b: {4, 12} <= b.get(SNARE, set()))
    return len(late) >= 0.2 * len(hats) and backbeat >= 0.7


def afro_percussion(song: Song) -> bool:
    congas = {60, 61, 62, 64, 56, 75}
    bars = _drum_bars(song)
    return _share(bars, lambda b: bool(congas & set(b))) >= 0.5


def no_beat(song: Song) -> bool:
    return not song.roles.get("drums")


# --- the table --------------------------------------------------------------------------------

Detector = Callable[[Song], bool]

DETECTORS: dict[tuple[str, str], Detector] = {
    ("bass", "offbeat"): offbeat,
    ("bass", "rumble"): rumble,
    ("bass", "rolling"): rolling,
    ("bass", "blip"): blip,
    ("bass", "tech"): tech,
    ("bass", "deep"): deep,
    ("bass", "afro"): tresillo,
    ("bass", "tresillo"): tresillo,
    ("bass", "garage"): garage,
    ("bass", "808"): follows_kick,
    ("bass", "follow"): follows_kick,
    ("bass", "slides"): slides,
    ("bass", "wobble"): wobble,
    ("bass", "octave"): octave,
    ("bass", "funk"): funk,
    ("bass", "ghost_notes"): ghost_notes,
    ("bass", "drone"): drone,
    ("bass", "root8"): root8,
    ("bass", "drive"): drive,
    ("bass", "sparse"): sparse,
    ("bass", "reese"): reese,
    ("bass", "laid_back"): lambda s: laid_back(s, "bass"),
    ("chords", "piano"): piano,
    ("chords", "stab"): lambda s: short_stabs(s, 0.3, 0.5),
    ("chords", "pluck"): lambda s: short_stabs(s, 0.3, 0.5) and tresillo(s, "chords"),
    ("chords", "deep"): lambda s: held(s, 0.4) and not sustained(s),
    ("chords", "rootless"): rootless,
    ("chords", "offbeat"): lambda s: offbeat(s, "chords"),
    ("chords", "dub"): dub,
    ("chords", "gate"): gate,
    ("chords", "keys"): lambda s: held(s, 1.0) and len(_hits(s)) / s.bars_in(True, "chords") >= 1.5,
    ("chords", "string_runs"): string_runs,
    ("chords", "disco"): lambda s: _share(_hits(s), lambda g: s.step(g[0][0]) % 4 != 0) >= 0.4,
    ("chords", "clav"): clav,
    ("chords", "dembow"): lambda s: tresillo(s, "chords"),
    ("chords", "pop"): lambda s: (
        _share(_hits(s), lambda g: s.step(g[0][0]) % 2 == 0) >= 0.9
        and len(_hits(s)) / s.bars_in(True, "chords") >= 3
    ),
    ("chords", "garage"): lambda s: short_stabs(s, 0.5, 0.5),
    ("chords", "sustain"): sustained,
    ("chords", "evolving"): evolving,
    ("chords", "laid_back"): lambda s: laid_back(s, "chords"),
    ("pads", "trance_gate"): lambda s: gate(s, "pads"),
    ("harmony", "static"): static,
    ("harmony", "vamp"): vamp,
    ("harmony", "four_chord_loop"): four_chord_loop,
    ("harmony", "dembow_loop"): dembow_loop,
    ("harmony", "jazzy"): jazzy,
    ("harmony", "happy"): axis,
    ("harmony", "emotional"): has_six,
    ("harmony", "dark"): dark,
    ("lead", "stab_motif"): stab_motif,
    ("lead", "pentatonic"): pentatonic,
    ("lead", "triplets"): triplets,
    ("lead", "horn_stabs"): staccato,
    ("lead", "legato"): legato,
    ("lead", "laid_back"): lambda s: laid_back(s, "lead"),
    ("lead", "ambient"): long_notes,
    ("lead", "halftime"): halftime_lead,
    ("lead", "pop"): vocal_range,
    ("lead", "trance"): busy_lead,
    ("lead", "afro"): syncopated_lead,
    ("lead", "reggaeton"): lambda s: tresillo(s, "lead"),
    ("lead", "club"): syncopated_lead,
    ("arp", "sixteenths"): arp16,
    ("drums", "four_on_floor"): four_on_floor,
    ("drums", "two_step"): two_step,
    ("drums", "ghost_snares"): ghost_snares,
    ("drums", "half_time"): half_time,
    ("drums", "hat_rolls"): hat_rolls,
    ("drums", "dembow"): dembow,
    ("drums", "gated_snare"): gated_snare,
    ("drums", "swung_backbeat"): swung_backbeat,
    ("drums", "afro_percussion"): afro_percussion,
    ("drums", "no_beat"): no_beat,
}

NEEDS_DRUMS = frozenset(
    {key for key in DETECTORS if key[0] == "drums"} | {("bass", "808"), ("bass", "follow")}
)


def detect(arrangement: Arrangement | Song, part: str, name: str) -> bool:
    song = arrangement if isinstance(arrangement, Song) else Song.of(arrangement)
    return DETECTORS[(part, name)](song)
