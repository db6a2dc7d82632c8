"""Quality metrics computed from an Arrangement alone, with pass/fail against the quality bar.

Works on our own output and on sets read back from Live, where chords are empty, roles unknown and
the key may be missing: roles are inferred from names/notes, chords from the harmony track, the key
by Krumhansl–Kessler. Targets (peers-and-music §4.3): in-key bass/chords ≥ 0.98 and lead ≥ 0.95;
bass on the chord root at ≥ 70% of chord changes; lead mean |interval| 1.5–4 st, steps (≤ 2 st)
0.40–0.75, leaps > 7 st ≤ 12%, ending on the tonic or a chord tone; drum hits on the (swung) grid
≥ 95%; no empty beat in a drop or chorus.
"""

from __future__ import annotations

import bisect
import itertools
from collections import Counter
from collections.abc import Iterable
from typing import Literal

from pydantic import BaseModel, ConfigDict

from companion.analysis.chords import TEMPLATES, AbsNote, infer_chords
from companion.analysis.grid import fit_grid
from companion.analysis.keys import estimate_key
from companion.analysis.roles import infer_role, polyphony
from companion.arrangement import Arrangement, ChordEvent, Note, Role, Track
from companion.music.theory import parse_key

IN_KEY_TARGETS: dict[str, float] = {
    "bass": 0.98,
    "chords": 0.98,
    "pads": 0.98,
    "lead": 0.95,
    "arp": 0.95,
    "vocals": 0.95,
}
BASS_ROOT_TARGET = 0.70
INTERVAL_BAND = (1.5, 4.0)
STEP_BAND = (0.40, 0.75)
LEAP_LIMIT = 0.12
GRID_TARGET = 0.95
PEAK_KINDS = ("drop", "chorus")
PHRASE_GAP = 1.0  # a rest of a beat or more ends a lead phrase

__all__ = [
    "Check",
    "QualityReport",
    "compute_metrics",
    "format_report",
    "infer_chords",
    "infer_role",
    "note_event_difference",
]


class Check(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    value: float | bool | None
    target: str
    passed: bool


class QualityReport(BaseModel):
    title: str
    key: str | None
    key_source: Literal["arrangement", "estimated", "none"]
    roles: list[tuple[str, Role]]
    in_key: dict[str, float]
    polyphony: dict[str, float]
    chord_source: Literal["arrangement", "inferred", "none"]
    chord_count: int
    bass_root_ratio: float | None = None
    lead_notes: int = 0
    lead_mean_abs_interval: float | None = None
    lead_step_ratio: float | None = None
    lead_leap_ratio: float | None = None
    lead_tonic_share: float | None = None
    lead_range: int | None = None
    lead_ends_on_chord_tone: bool | None = None
    lead_phrase_end_ratio: float | None = None
    drum_grid: str | None = None
    drum_swing: float | None = None
    drum_on_grid_ratio: float | None = None
    peak_beats: int | None = None
    peak_empty_beats: int | None = None
    checks: list[Check]

    @property
    def passed(self) -> bool:
        return all(check.passed for check in self.checks)

    @property
    def failures(self) -> list[Check]:
        return [check for check in self.checks if not check.passed]


# --- helpers ----------------------------------------------------------------------------------


def _absolute(track: Track) -> list[AbsNote]:
    return [
        (clip.start + note.start, clip.start + note.start + note.duration, note.pitch)
        for clip in track.clips
        for note in clip.notes
    ]


def _track_notes(track: Track) -> list[Note]:
    """The track's notes with song-absolute start times (so clips never alias each other)."""
    return [
        Note.model_construct(
            pitch=note.pitch,
            start=clip.start + note.start,
            duration=note.duration,
            velocity=note.velocity,
        )
        for clip in track.clips
        for note in clip.notes
    ]


def _roles(arrangement: Arrangement) -> list[tuple[Track, Role]]:
    return [
        (
            track,
            track.role if track.role != "other" else infer_role(track.name, _track_notes(track)),
        )
        for track in arrangement.tracks
    ]


def _main(tracks: list[tuple[Track, Role]], role: str) -> Track | None:
    """The busiest track of a role (a set may have several leads)."""
    candidates = [track for track, r in tracks if r == role and track.note_count]
    return max(candidates, key=lambda t: t.note_count) if candidates else None


class _ChordLookup:
    def __init__(self, events: list[ChordEvent]) -> None:
        self.events = sorted(events, key=lambda e: e.start)
        self.starts = [event.start for event in self.events]

    def at(self, time: float) -> ChordEvent | None:
        index = bisect.bisect_right(self.starts, time + 1e-6) - 1
        if index < 0:
            return None
        event = self.events[index]
        return event if time < event.start + event.duration + 1e-6 else None


def _chord_pcs(event: ChordEvent) -> set[int]:
    for intervals, quality, _suffix in TEMPLATES:
        if quality == event.quality:
            return {(event.root + i) % 12 for i in intervals}
    return {event.root, (event.root + 4) % 12, (event.root + 7) % 12}


# --- individual metrics -----------------------------------------------------------------------


def bass_root_ratio(bass: list[AbsNote], chords: list[ChordEvent]) -> float | None:
    """Share of chord changes whose first bass note (onset inside the chord) is the chord root."""
    if not bass or not chords:
        return None
    onsets = sorted(bass)
    starts = [note[0] for note in onsets]
    hits = total = 0
    for chord in chords:
        index = bisect.bisect_left(starts, chord.start - 1e-6)
        if index >= len(onsets) or onsets[index][0] >= chord.start + chord.duration - 1e-6:
            continue
        total += 1
        hits += onsets[index][2] % 12 == chord.root
    return hits / total if total else None


def lead_line(notes: list[AbsNote]) -> list[AbsNote]:
    """Monophonic skyline: the highest note at each onset."""
    top: dict[float, AbsNote] = {}
    for note in notes:
        key = round(note[0], 4)
        if key not in top or note[2] > top[key][2]:
            top[key] = note
    return [top[key] for key in sorted(top)]


def interval_stats(line: list[AbsNote]) -> tuple[float, float, float] | None:
    """(mean |interval|, share of intervals ≤ 2 semitones, share > 7 semitones)."""
    intervals = [abs(b[2] - a[2]) for a, b in itertools.pairwise(line)]
    if not intervals:
        return None
    count = len(intervals)
    return (
        sum(intervals) / count,
        sum(1 for i in intervals if i <= 2) / count,
        sum(1 for i in intervals if i > 7) / count,
    )


def empty_beats(
    arrangement: Arrangement, kinds: Iterable[str] = PEAK_KINDS
) -> tuple[int, int] | None:
    """(beats, empty beats) over the peak sections: a beat is empty when nothing sounds in it."""
    peaks = [s for s in arrangement.sections if s.kind in tuple(kinds)]
    if not peaks:
        return None
    intervals = sorted(
        (start, end) for track in arrangement.tracks for start, end, _ in _absolute(track)
    )
    merged: list[list[float]] = []
    for start, end in intervals:
        if merged and start <= merged[-1][1] + 1e-9:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    starts = [m[0] for m in merged]
    beats = empty = 0
    bar = arrangement.beats_per_bar
    for section in peaks:
        begin = section.start_bar * bar
        finish = begin + section.bars * bar
        time = begin
        while time < finish - 1e-9:
            window_end = min(time + 1.0, finish)
            index = bisect.bisect_right(starts, window_end - 1e-9) - 1
            sounding = index >= 0 and merged[index][1] > time + 1e-9
            beats += 1
            empty += not sounding
            time += 1.0
    return beats, empty


# --- report -----------------------------------------------------------------------------------


def compute_metrics(arrangement: Arrangement) -> QualityReport:
    tracks = _roles(arrangement)

    key_text = arrangement.key
    key_source: Literal["arrangement", "estimated", "none"] = "arrangement" if key_text else "none"
    if not key_text:
        weighted = [
            (pitch, end - start)
            for track, role in tracks
            if role not in ("drums", "fx")
            for start, end, pitch in _absolute(track)
        ]
        key_text = estimate_key(weighted)
        key_source = "estimated" if key_text else "none"
    key = parse_key(key_text) if key_text else None

    in_key: dict[str, float] = {}
    poly: dict[str, float] = {}
    by_role: dict[str, list[Note]] = {}
    for track, role in tracks:
        if role in ("drums", "fx"):
            continue
        by_role.setdefault(role, []).extend(_track_notes(track))
    for role in sorted(by_role):
        notes = by_role[role]
        if not notes:
            continue
        poly[role] = round(polyphony(notes), 3)
        if key is not None:
            in_key[role] = sum(1 for n in notes if key.contains(n.pitch)) / len(notes)

    chords = list(arrangement.chords)
    chord_source: Literal["arrangement", "inferred", "none"] = "arrangement" if chords else "none"
    if not chords:
        harmony_track = _main(tracks, "chords") or _main(tracks, "pads")
        if harmony_track is not None:
            chords = infer_chords(_absolute(harmony_track))
            chord_source = "inferred" if chords else "none"
    lookup = _ChordLookup(chords)

    bass_track = _main(tracks, "bass")
    root_ratio = bass_root_ratio(_absolute(bass_track), chords) if bass_track else None

    report = QualityReport(
        title=arrangement.title,
        key=key_text,
        key_source=key_source,
        roles=[(track.name, role) for track, role in tracks],
        in_key=in_key,
        polyphony=poly,
        chord_source=chord_source,
        chord_count=len(chords),
        bass_root_ratio=root_ratio,
        checks=[],
    )

    lead_track = _main(tracks, "lead")
    if lead_track is not None:
        line = lead_line(_absolute(lead_track))
        report.lead_notes = len(line)
        stats = interval_stats(line)
        if stats:
            report.lead_mean_abs_interval, report.lead_step_ratio, report.lead_leap_ratio = stats
        pitches = [note[2] for note in line]
        report.lead_range = max(pitches) - min(pitches)

        def resolved(note: AbsNote) -> bool:
            if key is not None and note[2] % 12 == key.tonic:
                return True
            chord = lookup.at(note[0])
            return chord is not None and note[2] % 12 in _chord_pcs(chord)

        report.lead_ends_on_chord_tone = resolved(line[-1])
        finals = [a for a, b in itertools.pairwise(line) if b[0] - a[1] >= PHRASE_GAP] + [line[-1]]
        report.lead_phrase_end_ratio = sum(resolved(n) for n in finals) / len(finals)
        if key is not None:
            report.lead_tonic_share = sum(1 for p in pitches if p % 12 == key.tonic) / len(pitches)

    drum_hits = [
        (start, index * 128 + pitch)
        for index, (track, role) in enumerate(tracks)
        if role == "drums"
        for start, _end, pitch in _absolute(track)
    ]
    fit = fit_grid(drum_hits)
    if fit is not None:
        report.drum_grid, report.drum_swing, report.drum_on_grid_ratio = (
            fit.name,
            fit.swing,
            fit.ratio,
        )

    peaks = empty_beats(arrangement)
    if peaks is not None:
        report.peak_beats, report.peak_empty_beats = peaks

    report.checks = _checks(report)
    return report


def _band(name: str, value: float | None, low: float, high: float) -> Check | None:
    if value is None:
        return None
    return Check(
        name=name,
        value=round(value, 4),
        target=f"{low}–{high}",
        passed=low - 1e-9 <= value <= high + 1e-9,
    )


def _checks(report: QualityReport) -> list[Check]:
    checks: list[Check | None] = []
    for role, target in IN_KEY_TARGETS.items():
        if role in report.in_key:
            value = report.in_key[role]
            checks.append(
                Check(
                    name=f"in_key.{role}",
                    value=round(value, 4),
                    target=f"≥ {target}",
                    passed=value >= target,
                )
            )
    if report.bass_root_ratio is not None:
        checks.append(
            Check(
                name="bass_root_ratio",
                value=round(report.bass_root_ratio, 4),
                target=f"≥ {BASS_ROOT_TARGET}",
                passed=report.bass_root_ratio >= BASS_ROOT_TARGET,
            )
        )
    checks.append(_band("lead_mean_abs_interval", report.lead_mean_abs_interval, *INTERVAL_BAND))
    checks.append(_band("lead_step_ratio", report.lead_step_ratio, *STEP_BAND))
    if report.lead_leap_ratio is not None:
        checks.append(
            Check(
                name="lead_leap_ratio",
                value=round(report.lead_leap_ratio, 4),
                target=f"≤ {LEAP_LIMIT}",
                passed=report.lead_leap_ratio <= LEAP_LIMIT,
            )
        )
    if report.lead_ends_on_chord_tone is not None:
        checks.append(
            Check(
                name="lead_ends_on_chord_tone",
                value=report.lead_ends_on_chord_tone,
                target="tonic or chord tone",
                passed=report.lead_ends_on_chord_tone,
            )
        )
    if report.drum_on_grid_ratio is not None:
        checks.append(
            Check(
                name="drum_on_grid",
                value=round(report.drum_on_grid_ratio, 4),
                target=f"≥ {GRID_TARGET}",
                passed=report.drum_on_grid_ratio >= GRID_TARGET,
            )
        )
    if report.peak_empty_beats is not None:
        checks.append(
            Check(
                name="peak_empty_beats",
                value=report.peak_empty_beats,
                target="0",
                passed=report.peak_empty_beats == 0,
            )
        )
    return [check for check in checks if check is not None]


def note_event_difference(
    a: Arrangement, b: Arrangement, roles: Iterable[str] | None = None
) -> float:
    """Fraction of note events (role, onset, pitch) not shared by two arrangements.

    1 − matched / max(len(a), len(b)) over multisets, optionally restricted to some roles;
    velocities and lengths are ignored so a humanisation change alone does not count.
    """
    wanted = set(roles) if roles is not None else None

    def events(arrangement: Arrangement) -> Counter:
        counter: Counter = Counter()
        for track, role in _roles(arrangement):
            if wanted is not None and role not in wanted:
                continue
            for start, _end, pitch in _absolute(track):
                counter[(role, round(start, 4), pitch)] += 1
        return counter

    left, right = events(a), events(b)
    size = max(sum(left.values()), sum(right.values()))
    if size == 0:
        return 0.0
    matched = sum((left & right).values())
    return 1.0 - matched / size


def format_report(report: QualityReport) -> str:
    """Human-readable report for the CLI."""

    def fmt(value: object) -> str:
        if value is None:
            return "-"
        if isinstance(value, bool):
            return "yes" if value else "no"
        if isinstance(value, float):
            return f"{value:.3f}"
        return str(value)

    lines = [
        f"Quality report: {report.title}",
        f"  key {report.key or '-'} ({report.key_source}); chords {report.chord_count} "
        f"({report.chord_source})",
        "  roles: " + ", ".join(f"{name}={role}" for name, role in report.roles),
        "  in key: " + (", ".join(f"{r} {v:.3f}" for r, v in report.in_key.items()) or "-"),
        "  polyphony: " + (", ".join(f"{r} {v:.2f}" for r, v in report.polyphony.items()) or "-"),
        f"  bass on chord root: {fmt(report.bass_root_ratio)}",
        f"  lead: notes {report.lead_notes}, mean |interval| {fmt(report.lead_mean_abs_interval)}, "
        f"steps {fmt(report.lead_step_ratio)}, leaps>7 {fmt(report.lead_leap_ratio)}, "
        f"range {fmt(report.lead_range)}, tonic share {fmt(report.lead_tonic_share)}, "
        f"ends resolved {fmt(report.lead_ends_on_chord_tone)}, phrase ends resolved "
        f"{fmt(report.lead_phrase_end_ratio)}",
        f"  drums: grid {report.drum_grid or '-'}"
        + (f" (swing {report.drum_swing:.2f})" if report.drum_swing else "")
        + f", on grid {fmt(report.drum_on_grid_ratio)}",
        f"  drops/choruses: {fmt(report.peak_empty_beats)} empty of {fmt(report.peak_beats)} beats",
        "  checks:",
    ]
    for check in report.checks:
        mark = "PASS" if check.passed else "FAIL"
        lines.append(f"    [{mark}] {check.name} = {fmt(check.value)} (target {check.target})")
    lines.append(f"  => {'PASS' if report.passed else 'FAIL'}")
    return "\n".join(lines)
