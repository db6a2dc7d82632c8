"""The metrics themselves, proven on hand-made arrangements whose answers are known."""

from __future__ import annotations

import random

import pytest

from companion.analysis import (
    compute_metrics,
    format_report,
    infer_chords,
    infer_role,
    note_event_difference,
)
from companion.analysis.chords import identify
from companion.analysis.grid import fit_grid
from companion.analysis.keys import estimate_key
from companion.analysis.metrics import bass_root_ratio, interval_stats, lead_line
from companion.arrangement import Arrangement, ChordEvent, Clip, Note, Section, Track


def n(pitch: int, start: float, duration: float = 0.25, velocity: int = 100) -> Note:
    return Note(pitch=pitch, start=start, duration=duration, velocity=velocity)


def track(
    name: str, notes: list[Note], role: str = "other", length: float = 64.0, start: float = 0.0
) -> Track:
    return Track(
        name=name,
        role=role,
        color=0,
        clips=[Clip(name=name, start=start, length=length, notes=notes)],
    )


def song(
    *tracks: Track, key: str | None = "Am", bars: int = 16, chords=(), sections=()
) -> Arrangement:
    return Arrangement(
        title="test",
        bpm=120,
        key=key,
        bars=bars,
        tracks=list(tracks),
        chords=list(chords),
        sections=list(sections),
    )


AM_F_C_G = [
    ChordEvent(start=0, duration=4, root=9, quality="min", symbol="Am"),
    ChordEvent(start=4, duration=4, root=5, quality="maj", symbol="F"),
    ChordEvent(start=8, duration=4, root=0, quality="maj", symbol="C"),
    ChordEvent(start=12, duration=4, root=7, quality="maj", symbol="G"),
]


# --- in key -----------------------------------------------------------------------------------


def test_in_key_ratio_passes_at_98_percent_and_fails_below() -> None:
    good = [n((45, 47, 48)[i % 3], i * 0.5) for i in range(49)] + [n(46, 30.0)]  # 49 in Am + Bb
    report = compute_metrics(song(track("Bass", good, "bass")))
    assert report.in_key["bass"] == pytest.approx(0.98)
    assert next(c for c in report.checks if c.name == "in_key.bass").passed

    bad = [*good[:48], n(46, 31.0), n(49, 32.0)]
    report = compute_metrics(song(track("Bass", bad, "bass")))
    assert report.in_key["bass"] == pytest.approx(0.96)
    assert not next(c for c in report.checks if c.name == "in_key.bass").passed


def test_lead_tolerates_five_percent_chromatic() -> None:
    line = [n(69 + [0, 2, 3, 5][i % 4], i * 0.5) for i in range(19)] + [n(70, 10.0)]
    report = compute_metrics(song(track("Lead", line, "lead")))
    assert report.in_key["lead"] == pytest.approx(0.95)
    assert next(c for c in report.checks if c.name == "in_key.lead").passed


# --- bass root --------------------------------------------------------------------------------


def test_bass_on_roots_scores_one_and_on_thirds_zero() -> None:
    roots = [(9, 33), (5, 29), (0, 36), (7, 31)]
    on_roots = [n(p, i * 4 + 0.5, 1.0) for i, (_, p) in enumerate(roots)]
    assert (
        bass_root_ratio([(x.start, x.start + x.duration, x.pitch) for x in on_roots], AM_F_C_G)
        == 1.0
    )
    thirds = [n(36, 0.5), n(33, 4.5), n(40, 8.5), n(35, 12.5)]  # C, A, E, B: thirds of each
    report = compute_metrics(song(track("Bass", thirds, "bass"), chords=AM_F_C_G))
    assert report.bass_root_ratio == 0.0
    assert not next(c for c in report.checks if c.name == "bass_root_ratio").passed


def test_bass_root_uses_first_note_under_each_chord_only() -> None:
    # Root first, then a passing note: still counts as on the root.
    notes = [n(33, 0.0, 1.0), n(35, 3.75), n(29, 4.0), n(31, 7.75), n(36, 8.0), n(43, 12.0)]
    value = bass_root_ratio([(x.start, x.start + x.duration, x.pitch) for x in notes], AM_F_C_G)
    assert value == 1.0


# --- lead -------------------------------------------------------------------------------------


def test_lead_interval_statistics_known_values() -> None:
    # A C D E C A G A: intervals 3 2 2 4 3 2 2 → mean 18/7, steps 4/7, no leap > 7.
    pitches = [69, 72, 74, 76, 72, 69, 67, 69]
    line = [(i * 0.5, i * 0.5 + 0.4, p) for i, p in enumerate(pitches)]
    mean, steps, leaps = interval_stats(line)
    assert mean == pytest.approx(18 / 7)
    assert steps == pytest.approx(4 / 7)
    assert leaps == 0.0
    report = compute_metrics(
        song(
            track("Lead", [n(p, i * 0.5, 0.4) for i, p in enumerate(pitches)], "lead"),
            chords=AM_F_C_G,
        )
    )
    assert report.passed
    assert report.lead_ends_on_chord_tone is True  # ends on A, the tonic


def test_scalar_run_fails_step_band_and_leaps_fail_leap_limit() -> None:
    run = [n(p, i * 0.5) for i, p in enumerate([60, 62, 64, 65, 67, 69, 71, 72, 71, 69])]
    report = compute_metrics(song(track("Lead", run, "lead"), key="C"))
    assert report.lead_step_ratio == 1.0
    failed = {c.name for c in report.failures}
    assert "lead_step_ratio" in failed

    jumpy = [n(p, i * 0.5) for i, p in enumerate([60, 72, 62, 76, 64, 79, 60, 72])]
    report = compute_metrics(song(track("Lead", jumpy, "lead"), key="C"))
    assert report.lead_leap_ratio > 0.12
    assert {"lead_leap_ratio", "lead_mean_abs_interval"} <= {c.name for c in report.failures}


def test_lead_ending_on_non_chord_tone_fails() -> None:
    # Over G (G B D) a final F is neither tonic (A) nor a chord tone.
    line = [n(69, 12.0), n(71, 12.5), n(65, 13.0, 2.0)]
    report = compute_metrics(song(track("Lead", line, "lead"), chords=AM_F_C_G))
    assert report.lead_ends_on_chord_tone is False
    assert "lead_ends_on_chord_tone" in {c.name for c in report.failures}
    line[-1] = n(67, 13.0, 2.0)  # G: chord tone
    assert (
        compute_metrics(song(track("Lead", line, "lead"), chords=AM_F_C_G)).lead_ends_on_chord_tone
        is True
    )


def test_lead_line_takes_the_top_note_of_a_chord() -> None:
    line = lead_line([(0.0, 1.0, 60), (0.0, 1.0, 67), (1.0, 2.0, 65)])
    assert [p for _, _, p in line] == [67, 65]


# --- drums ------------------------------------------------------------------------------------


def _drum_times(times: list[float], pitch: int = 42) -> list[tuple[float, int]]:
    return [(t, pitch) for t in times]


def test_straight_sixteenths_are_on_grid() -> None:
    fit = fit_grid(_drum_times([i * 0.25 for i in range(64)]))
    assert fit.name == "16th" and fit.ratio == 1.0 and fit.swing is None


def test_swung_sixteenths_detected_with_amount() -> None:
    delay = (0.58 - 0.5) * 0.5
    times = [i * 0.25 + (delay if i % 2 else 0.0) for i in range(64)]
    fit = fit_grid(_drum_times(times))
    assert fit.name == "16th swing"
    assert fit.swing == pytest.approx(0.58, abs=0.005)
    assert fit.ratio == 1.0
    # The same hits judged on a straight grid would fail: swing detection matters.
    straight_hits = sum(1 for t in times if abs((t / 0.25) - round(t / 0.25)) * 0.25 <= 0.02)
    assert straight_hits / len(times) < 0.95


def test_rolls_on_32nds_and_triplets_are_accepted_but_stray_32nds_are_not() -> None:
    groove = [i * 0.5 for i in range(32)]
    roll32 = [15.0 + i * 0.125 for i in range(8)]
    triplets = [6.0 + i / 6 for i in range(6)]
    fit = fit_grid(_drum_times(groove) + _drum_times(roll32, 38) + _drum_times(triplets, 44))
    assert fit.ratio == 1.0
    strays = [1.125, 5.375, 9.625]  # lone 32nds, nobody around: sloppy, not a roll
    fit = fit_grid(_drum_times(groove[:20]) + _drum_times(strays, 38))
    assert fit.ratio == pytest.approx(20 / 23)
    assert fit.ratio < 0.95


def test_random_timing_fails_the_grid() -> None:
    rng = random.Random(4)
    fit = fit_grid(_drum_times([rng.uniform(0, 64) for _ in range(200)]))
    assert fit.ratio < 0.95


def test_grid_check_in_report() -> None:
    kit = [n(36, i * 1.0) for i in range(16)] + [n(42, i * 0.5 + 0.25 * 0.0) for i in range(32)]
    report = compute_metrics(song(track("Drums", kit, "drums")))
    assert report.drum_on_grid_ratio == 1.0 and report.drum_grid == "16th"


# --- empty beats ------------------------------------------------------------------------------


def test_empty_beat_in_a_drop_fails_and_full_drop_passes() -> None:
    sections = [
        Section(name="Intro", kind="intro", start_bar=0, bars=2),
        Section(name="Drop", kind="drop", start_bar=2, bars=2),
    ]
    full = [n(36, 8.0 + i) for i in range(8)]
    report = compute_metrics(song(track("Drums", full, "drums"), bars=4, sections=sections))
    assert report.peak_beats == 8 and report.peak_empty_beats == 0
    holed = [note for note in full if note.start != 11.0]
    report = compute_metrics(song(track("Drums", holed, "drums"), bars=4, sections=sections))
    assert report.peak_empty_beats == 1
    assert "peak_empty_beats" in {c.name for c in report.failures}
    # A held pad sounding through the gap fills it.
    pad = track("Pad", [n(57, 8.0, 8.0), n(60, 8.0, 8.0), n(64, 8.0, 8.0)], "pads")
    report = compute_metrics(song(track("Drums", holed, "drums"), pad, bars=4, sections=sections))
    assert report.peak_empty_beats == 0


def test_no_drop_means_not_applicable() -> None:
    report = compute_metrics(song(track("Pad", [n(57, 0, 4)], "pads")))
    assert report.peak_empty_beats is None


# --- note event difference --------------------------------------------------------------------


def test_note_event_difference() -> None:
    a = song(track("Lead", [n(60 + i, i) for i in range(10)], "lead"))
    same = song(track("Lead", [n(60 + i, i, velocity=50) for i in range(10)], "lead"))
    half = song(
        track("Lead", [n(60 + i, i) for i in range(5)] + [n(80, i) for i in range(5, 10)], "lead")
    )
    other = song(track("Lead", [n(40, i + 0.5) for i in range(10)], "lead"))
    assert note_event_difference(a, same) == 0.0  # velocity alone is not a different take
    assert note_event_difference(a, half) == pytest.approx(0.5)
    assert note_event_difference(a, other) == 1.0
    assert note_event_difference(a, half, roles=["bass"]) == 0.0


# --- roles ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "role"),
    [
        ("Bass", "bass"),
        ("808", "bass"),
        ("808 Glide", "bass"),
        ("Sub Bass", "bass"),
        ("Bajo", "bass"),
        ("Kick", "drums"),
        ("Bass Drum", "drums"),
        ("Drum Rack", "drums"),
        ("Batería", "drums"),
        ("Hi-Hats", "drums"),
        ("Percusión", "drums"),
        ("Lead", "lead"),
        ("Melodía", "lead"),
        ("Pluck Lead", "lead"),
        ("Pad", "pads"),
        ("Atmósfera", "pads"),
        ("Cuerdas", "pads"),
        ("Keys", "chords"),
        ("Chords", "chords"),
        ("Piano", "chords"),
        ("Teclado", "chords"),
        ("Acordes", "chords"),
        ("FX", "fx"),
        ("Riser", "fx"),
        ("Efectos", "fx"),
        ("Voz", "vocals"),
        ("Vocal Chops", "vocals"),
        ("Arp", "arp"),
        ("Arpegio", "arp"),
    ],
)
def test_infer_role_from_name(name: str, role: str) -> None:
    assert infer_role(name, []) == role


def test_infer_role_from_notes_when_name_says_nothing() -> None:
    drums = (
        [n(36, i) for i in range(16)]
        + [n(42, i + 0.5) for i in range(16)]
        + [n(38, i + 1) for i in range(0, 16, 2)]
    )
    bass = [n(33 + (i % 2) * 7, i * 0.5, 0.5) for i in range(32)]
    chords = [n(p, bar * 4.0, 1.0) for bar in range(8) for p in (57, 60, 64)]
    pads = [n(p, bar * 8.0, 8.0) for bar in range(4) for p in (57, 60, 64, 67)]
    lead = [n(p, i * 0.75, 0.5) for i, p in enumerate([69, 72, 71, 69, 67, 69, 76, 74])]
    arp = [n([69, 72, 76, 81][i % 4], i * 0.25, 0.2) for i in range(64)]
    assert infer_role("Audio 1", drums) == "drums"
    assert infer_role("MIDI 2", bass) == "bass"
    assert infer_role("Synth", chords) == "chords"
    assert infer_role("Synth 2", pads) == "pads"
    assert infer_role("Synth 3", lead) == "lead"
    assert infer_role("Synth 4", arp) == "arp"
    assert infer_role("Empty", []) == "other"


# --- chords & key -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pitches", "symbol"),
    [
        ((57, 60, 64), "Am"),
        ((52, 55, 60), "C"),  # first inversion
        ((55, 60, 64), "C"),  # second inversion
        ((53, 55, 59, 62), "G7"),  # third inversion (F in the bass)
        ((53, 57, 60, 64), "Fmaj7"),
        ((57, 60, 64, 67), "Am7"),  # not C6
        ((50, 52, 57), "Dsus2"),  # D E A over D
        ((45, 50, 52), "Asus4"),  # same notes over A
        ((45, 48, 55, 59), "Am9"),  # 9th chord without its fifth
    ],
)
def test_identify_chords_including_inversions(pitches: tuple[int, ...], symbol: str) -> None:
    assert identify(pitches)[2] == symbol


def test_infer_chords_merges_repeats_and_spans_until_next_change() -> None:
    notes = []
    for bar, chord in enumerate([(57, 60, 64), (57, 60, 64), (53, 57, 60), (55, 59, 62)]):
        for beat in (0.5, 2.5):  # offbeat stabs with gaps between them
            notes += [(bar * 4 + beat, bar * 4 + beat + 0.5, p) for p in chord]
    events = infer_chords(notes)
    assert [e.symbol for e in events] == ["Am", "F", "G"]
    assert [e.start for e in events] == [0.5, 8.5, 12.5]
    assert events[0].duration == 8.0


def test_estimate_key_and_report_on_a_foreign_set() -> None:
    assert estimate_key([(p, 1.0) for p in (60, 62, 64, 65, 67, 69, 71, 72, 60, 67, 64)]) == "C"
    # A set as read from Live: no key, no chords, no roles.
    progression = [(57, 60, 64), (53, 57, 60), (48, 52, 55), (55, 59, 62)]
    keys = [n(p, bar * 4.0, 3.5) for bar, chord in enumerate(progression * 2) for p in chord]
    bass = [n(root, bar * 4.0 + 0.5, 0.5) for bar, root in enumerate([33, 29, 36, 31] * 2)]
    foreign = song(track("Keys", keys), track("Bajo", bass), key=None, bars=8)
    report = compute_metrics(foreign)
    assert report.key_source == "estimated" and report.key in ("Am", "C")
    assert report.chord_source == "inferred"
    assert report.bass_root_ratio == 1.0
    assert dict(report.roles) == {"Keys": "chords", "Bajo": "bass"}
    text = format_report(report)
    assert "bass on chord root: 1.000" in text and "PASS" in text
