"""Quality gates over 20 varied requests: Requirements → resolve → compose → metrics."""

from __future__ import annotations

import itertools
from functools import cache

import pytest

from companion.analysis import compute_metrics, note_event_difference
from companion.analysis.suite import QUALITY_REQUESTS
from companion.arrangement import DRUM_MAP, Arrangement
from companion.music.compose import compose
from companion.music.fx import FX_MAP
from companion.music.resolve import resolve
from companion.music.roles import ROLE_RANGES
from companion.music.spec import SongSpec
from companion.requirements import DRUM_LANES, STYLES, Requirements

IDS = [label for label, _, _ in QUALITY_REQUESTS]
CASES = list(range(len(QUALITY_REQUESTS)))
HAT_PITCHES = {42, 44, 46, 49, 51}


@cache
def case(index: int) -> tuple[SongSpec, Arrangement]:
    _, requirements, seed = QUALITY_REQUESTS[index]
    spec = resolve(requirements, seed)
    return spec, compose(spec)


def test_suite_is_varied() -> None:
    specs = [case(i)[0] for i in CASES]
    assert len(specs) == 20
    assert len({s.style for s in specs}) >= 17
    assert any(s.time_signature != (4, 4) for s in specs)
    assert any(s.bars == 32 for s in specs)
    assert any("#" in s.key for s in specs) and any("b" in s.key for s in specs)


@pytest.mark.parametrize("index", CASES, ids=IDS)
def test_quality_bar(index: int) -> None:
    arrangement = case(index)[1]
    report = compute_metrics(arrangement)
    assert report.passed, [c for c in report.failures]
    names = {check.name for check in report.checks}
    roles = {t.role for t in arrangement.tracks}
    assert {"in_key.bass", "bass_root_ratio"} <= names
    if "chords" in roles:
        assert "in_key.chords" in names
    if "lead" in roles:
        assert {
            "in_key.lead",
            "lead_mean_abs_interval",
            "lead_step_ratio",
            "lead_leap_ratio",
            "lead_ends_on_chord_tone",
        } <= names
    if "drums" in roles:
        assert "drum_on_grid" in names
    if any(s.kind in ("drop", "chorus") for s in arrangement.sections):
        assert "peak_empty_beats" in names


@pytest.mark.parametrize("index", CASES, ids=IDS)
def test_prompt_adherence(index: int) -> None:
    _, requirements, _ = QUALITY_REQUESTS[index]
    spec, arrangement = case(index)
    if requirements.bpm is not None:
        assert spec.bpm == requirements.bpm == arrangement.bpm
    if requirements.key is not None:
        assert spec.key == requirements.key == arrangement.key
    if requirements.bars is not None:
        assert arrangement.bars == requirements.bars
    if requirements.time_signature is not None:
        assert "/".join(map(str, arrangement.time_signature)) == requirements.time_signature
    roles = {t.role for t in arrangement.tracks if t.note_count}
    for part in requirements.include:
        assert (part if part not in DRUM_LANES else "drums") in roles
    for part in requirements.exclude:
        if part in DRUM_LANES:
            lane_pitches = HAT_PITCHES if part == "hats" else {DRUM_MAP.get(part, -1)}
            pitches = {
                n.pitch
                for t in arrangement.tracks
                if t.role == "drums"
                for c in t.clips
                for n in c.notes
            }
            assert not pitches & lane_pitches
        else:
            assert part not in roles
    for part in spec.parts:
        if part not in DRUM_LANES:
            assert part in roles  # every requested track exists and plays


@pytest.mark.parametrize("index", CASES, ids=IDS)
def test_sections_cover_the_song_and_parts_enter_and_leave(index: int) -> None:
    spec, arrangement = case(index)
    sections = arrangement.sections
    assert sum(s.bars for s in sections) == spec.bars
    assert all(b.start_bar == a.start_bar + a.bars for a, b in itertools.pairwise(sections))
    bar = arrangement.beats_per_bar

    def density(section_index: int) -> tuple[int, float]:
        section = sections[section_index]
        clips = [c for t in arrangement.tracks for c in t.clips if c.section == section_index]
        notes = sum(len(c.notes) for c in clips)
        return len(clips), notes / (section.bars * bar)

    peak = max(range(len(sections)), key=lambda i: (sections[i].energy, -i))
    if sections[0].kind == "intro" and len(sections) > 1:
        intro_tracks, intro_rate = density(0)
        peak_tracks, peak_rate = density(peak)
        assert intro_tracks < peak_tracks
        assert intro_rate < peak_rate


def _bar_signatures(arrangement: Arrangement) -> list[frozenset | None]:
    bar = arrangement.beats_per_bar
    signatures: list[set] = [set() for _ in range(arrangement.bars)]
    for t in arrangement.tracks:
        if t.role != "drums":
            continue
        for clip in t.clips:
            for note in clip.notes:
                time = clip.start + note.start
                index = int(time // bar)
                signatures[index].add((note.pitch, round(time - index * bar, 3)))
    return [frozenset(s) if s else None for s in signatures]


@pytest.mark.parametrize("index", CASES, ids=IDS)
def test_drum_variation_at_least_every_eight_bars(index: int) -> None:
    arrangement = case(index)[1]
    run, longest, previous = 0, 0, None
    for signature in _bar_signatures(arrangement):
        if signature is not None and signature == previous:
            run += 1
        else:
            run = 1 if signature is not None else 0
        longest = max(longest, run)
        previous = signature
    assert longest <= 8


@pytest.mark.parametrize("index", CASES, ids=IDS)
def test_midi_hygiene(index: int) -> None:
    _, arrangement = case(index)
    for t in arrangement.tracks:
        spans = sorted((c.start, c.end) for c in t.clips)
        assert all(a[1] <= b[0] + 1e-9 for a, b in itertools.pairwise(spans))  # clips never overlap
        for clip in t.clips:
            assert clip.end <= arrangement.length_beats + 1e-9
            assert clip.notes
            last_end: dict[int, float] = {}
            for note in clip.notes:
                assert 0 <= note.start and note.start + note.duration <= clip.length + 1e-9
                assert note.start >= last_end.get(note.pitch, 0.0) - 1e-9  # no same-pitch overlap
                last_end[note.pitch] = note.start + note.duration
                if t.role == "drums":
                    assert note.pitch in DRUM_MAP.values()
                elif t.role == "fx":
                    assert note.pitch in FX_MAP.values()
                else:
                    low, high = ROLE_RANGES[t.role]
                    assert low <= note.pitch <= high, (t.role, note.pitch)


@pytest.mark.parametrize("index", CASES, ids=IDS)
def test_determinism_and_seed_diversity(index: int) -> None:
    spec, arrangement = case(index)
    assert compose(spec).model_dump_json() == arrangement.model_dump_json()
    other = compose(spec.model_copy(update={"seed": spec.seed + 1}))
    assert note_event_difference(arrangement, other) >= 0.30
    assert note_event_difference(arrangement, other, roles=["lead", "bass"]) >= 0.30


@pytest.mark.parametrize("index", CASES, ids=IDS)
def test_density_changes_only_the_targeted_part(index: int) -> None:
    spec, arrangement = case(index)
    part = "lead" if "lead" in spec.parts else "bass"
    busier = compose(spec.model_copy(update={"density": {part: 1}}))
    changed = [
        a.role
        for a, b in zip(arrangement.tracks, busier.tracks, strict=False)
        if a.model_dump_json() != b.model_dump_json()
    ]
    assert changed == [part]


# --- seed diversity over many seed pairs -----------------------------------------------------
# Two seeds of one request must differ in >= 30% of note events, whichever two seeds: checked on a
# fixed set of seeds per request (the suite seed, its neighbour and two far ones: six pairs, one of
# them consecutive), on three seeds of every style with default requirements, and on pairs that
# fell below the bar when the drums were one genre-fixed loop.
DIVERSITY_TARGET = 0.30
REGRESSION_SEEDS: dict[str, tuple[int, ...]] = {
    "house Am 124": (10336, 43159),
    "reggaeton F#m 96": (317, 318),
    "pop happy Eb": (423, 424),
    "pop 6/8 Ab 48 bars": (31755, 82001),
    "progressive Db 32 bars": (12981, 42581),
    "afro-house": (39145, 78065),
    "reggaeton": (37549, 80711),
}


@cache
def take(requirements_json: str, seed: int) -> Arrangement:
    return compose(resolve(Requirements.model_validate_json(requirements_json), seed))


def _min_diversity(requirements: Requirements, seeds: tuple[int, ...]) -> tuple[float, tuple]:
    text = requirements.model_dump_json()
    scores = [
        (note_event_difference(take(text, a), take(text, b)), (a, b))
        for a, b in itertools.combinations(seeds, 2)
    ]
    return min(scores)


@pytest.mark.parametrize("index", CASES, ids=IDS)
def test_any_two_seeds_differ(index: int) -> None:
    label, requirements, seed = QUALITY_REQUESTS[index]
    far = (seed + 4242, seed * 7919 % 100_003)
    seeds = (seed, seed + 1, *far, *REGRESSION_SEEDS.get(label, ()))
    worst, pair = _min_diversity(requirements, seeds)
    assert worst >= DIVERSITY_TARGET, (worst, pair)


@pytest.mark.parametrize("style", STYLES)
def test_any_two_seeds_differ_for_every_style(style: str) -> None:
    seeds = (11, 12, 50_021, *REGRESSION_SEEDS.get(style, ()))
    worst, pair = _min_diversity(Requirements(style=style), seeds)
    assert worst >= DIVERSITY_TARGET, (worst, pair)
