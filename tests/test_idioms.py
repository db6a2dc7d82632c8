"""Genre idioms (issue 13 §4) and moods that shape more than the key (issue 12 §4).

Every idiom in companion/music/idioms.py is checked three ways: the table is well formed and
agrees with the style profiles; the composed song shows it (a detector from
companion/analysis/idiom_checks.py, on several seeds); and the same song composed *without* it
(the behaviour switched off, or the style's family swapped for a neutral one) no longer shows it,
so every idiom test is one that fails when the idiom is missing.
"""

from __future__ import annotations

import dataclasses
import itertools
import statistics
from functools import cache

import pytest

from companion.analysis.genre import FAMILY, corpus, evaluate
from companion.analysis.idiom_checks import DETECTORS, Song
from companion.arrangement import Arrangement
from companion.music import bass, chords, lead
from companion.music.compose import compose
from companion.music.idioms import BEHAVIOURS, IDIOMS, Idiom, part_wants
from companion.music.resolve import resolve
from companion.music.styles import MOOD_SHAPES, POOLS, STYLE_TABLE
from companion.requirements import MOODS, STYLES, Requirements
from companion.understanding.parser import understand

SEEDS = (1, 2, 3)
MELODIC = {"bass", "chords", "pads", "lead", "arp"}


def _parts(style: str) -> list[str]:
    return sorted({idiom.part for idiom in IDIOMS[style]} & MELODIC)


@cache
def song(style: str, seed: int) -> Song:
    """The style's own song with every part its idioms live in."""
    return Song.of(compose(resolve(Requirements(style=style, include=_parts(style)), seed)))


# --- the table --------------------------------------------------------------------------------


def _family(idiom: Idiom) -> str | None:
    """The profile field a family idiom names, or None for a behaviour."""
    if idiom.part == "bass" and (idiom.name in bass.PATTERNS or idiom.name in bass.FOLLOW_KICK):
        return "bass"
    if idiom.part == "chords" and idiom.name in chords.COMP:
        return "comp"
    if idiom.part == "lead" and idiom.name in lead.RHYTHMS:
        return "lead"
    if idiom.part == "harmony" and idiom.name in POOLS["minor"]:
        return "harmony"
    if idiom.part == "arp" and idiom.name == "sixteenths":
        return "arp_rate"
    return None


def test_every_style_has_at_least_three_reasoned_idioms() -> None:
    assert set(IDIOMS) == set(STYLES)
    for style, idioms in IDIOMS.items():
        assert len(idioms) >= 3, style
        assert len({(i.part, i.name) for i in idioms}) == len(idioms), style
        melodic = {i.part for i in idioms} & (MELODIC | {"harmony"})
        assert melodic, f"{style}: no idiom in the melodic parts"
        for idiom in idioms:
            assert len(idiom.reason) > 20, (style, idiom)
            assert (idiom.part, idiom.name) in DETECTORS, (style, idiom)


def test_family_idioms_match_the_profile_and_behaviours_are_implemented() -> None:
    for style, idioms in IDIOMS.items():
        profile = STYLE_TABLE[style]
        for idiom in idioms:
            field = _family(idiom)
            if field == "arp_rate":
                assert profile.arp_rate == 0.25, style
            elif field is not None:
                assert getattr(profile, field) == idiom.name, (style, idiom.name)
            elif idiom.part != "drums":
                assert idiom.name in BEHAVIOURS[idiom.part], (style, idiom)


def test_part_wants_marks_production_for_the_mixing_stage() -> None:
    assert part_wants("trap")["bass"] == ("mono", "glide")
    assert "filter_sweep" in part_wants("techno")["lead"]
    assert "sidechain" in part_wants("house")["bass"]
    assert part_wants("boom-bap") == {}


# --- every idiom is in the music --------------------------------------------------------------

CASES = [(style, idiom) for style in STYLES for idiom in IDIOMS[style]]
IDS = [f"{style}:{idiom.part}.{idiom.name}" for style, idiom in CASES]


@pytest.mark.parametrize(("style", "idiom"), CASES, ids=IDS)
def test_idiom_is_present(style: str, idiom: Idiom) -> None:
    detector = DETECTORS[(idiom.part, idiom.name)]
    missing = [seed for seed in SEEDS if not detector(song(style, seed))]
    assert not missing, f"{style} lacks {idiom.part}.{idiom.name} for seeds {missing}"


# --- ...and the tests fail without it ----------------------------------------------------------
# Without the idiom: a behaviour is switched off in the table; a family is swapped for a neutral
# one (and harmony idioms lose their extended chords).
NEUTRAL = {"bass": "drive", "comp": "sustain", "lead": "pop", "harmony": "static", "arp_rate": 0.5}
NEUTRAL_ELSE = {"bass": "drone", "comp": "pop", "lead": "ambient", "harmony": "happy"}
DRUMS_WITHOUT = {"four_on_floor": "pop", "afro_percussion": "techno", "no_beat": None}


def _ablated(style: str, idiom: Idiom, monkeypatch: pytest.MonkeyPatch) -> None:
    profile = STYLE_TABLE[style]
    field = _family(idiom)
    if idiom.part == "drums":
        family = DRUMS_WITHOUT.get(idiom.name, "house")
        if family is not None:
            replaced = dataclasses.replace(profile, drums=family)
            monkeypatch.setitem(STYLE_TABLE, style, replaced)
    elif field is not None:
        neutral = (
            NEUTRAL[field] if getattr(profile, field) != NEUTRAL[field] else NEUTRAL_ELSE[field]
        )
        changes: dict[str, object] = {field: neutral}
        if field == "harmony":
            changes["extensions"] = 3
        monkeypatch.setitem(STYLE_TABLE, style, dataclasses.replace(profile, **changes))
    else:
        kept = tuple(i for i in IDIOMS[style] if i != idiom)
        monkeypatch.setitem(IDIOMS, style, kept)


@pytest.mark.parametrize(("style", "idiom"), CASES, ids=IDS)
def test_idiom_detector_fails_when_the_idiom_is_removed(
    style: str, idiom: Idiom, monkeypatch: pytest.MonkeyPatch
) -> None:
    _ablated(style, idiom, monkeypatch)
    include = _parts(style) + (["drums"] if idiom.name == "no_beat" else [])
    detector = DETECTORS[(idiom.part, idiom.name)]
    results = [
        detector(Song.of(compose(resolve(Requirements(style=style, include=include), seed))))
        for seed in SEEDS
    ]
    assert not all(results), f"{style}: {idiom.part}.{idiom.name} still detected without it"


# --- specific idioms the issue names -----------------------------------------------------------


def _notes(arrangement: Arrangement, role: str) -> list:
    return sorted(
        (clip.start + n.start, clip.start + n.start + n.duration, n.pitch, n.velocity)
        for track in arrangement.tracks
        if track.role == role
        for clip in track.clips
        for n in clip.notes
    )


def test_trap_808_notes_overlap_into_slides_but_never_on_one_pitch() -> None:
    arrangement = song("trap", 1).arrangement
    notes = _notes(arrangement, "bass")
    slides = [(a, b) for a, b in itertools.pairwise(notes) if a[1] > b[0] + 1e-6]
    assert slides
    assert all(a[2] != b[2] and a[1] - b[0] <= 0.125 + 1e-6 for a, b in slides)


def test_house_bass_sits_on_the_offbeat_eighths() -> None:
    arrangement = song("house", 1).arrangement
    drop = next(s for s in arrangement.sections if s.kind == "drop")
    notes = [
        n
        for n in _notes(arrangement, "bass")
        if drop.start_bar * 4 <= n[0] < (drop.start_bar + drop.bars) * 4
    ]
    offbeat = sum(1 for n in notes if round(n[0] % 1, 2) == 0.5)
    assert offbeat / len(notes) >= 0.6


def test_ambient_has_no_drums_by_default() -> None:
    assert not any(t.role == "drums" for t in song("ambient", 1).arrangement.tracks)


def test_dubstep_wobble_changes_rate_within_a_bar_including_triplets() -> None:
    notes = _notes(song("dubstep", 2).arrangement, "bass")
    gaps = {round(b[0] - a[0], 3) for a, b in itertools.pairwise(notes) if b[0] - a[0] < 1.1}
    assert {0.333, 0.5} <= gaps or {0.333, 0.25} <= gaps


def test_lo_fi_parts_are_played_behind_the_beat() -> None:
    arrangement = song("lo-fi", 1).arrangement
    for role in ("bass", "chords", "lead"):
        onsets = [n[0] for n in _notes(arrangement, role) if round(n[0] / 0.25) % 2 == 0]
        lateness = statistics.mean(t - round(t / 0.25) * 0.25 for t in onsets)
        assert 0.02 <= lateness <= 0.08, (role, lateness)


def test_reggaeton_harmony_is_the_minor_loop_family() -> None:
    for seed in SEEDS:
        arrangement = song("reggaeton", seed).arrangement
        chorus = next(s for s in arrangement.sections if s.kind == "chorus")
        symbols = [c.symbol for c in arrangement.chords if c.start >= chorus.start_bar * 4][:4]
        key_chords = {"G#m": {"G#m", "E", "B", "F#", "C#m"}, "Bm": {"Bm", "G", "D", "A", "Em"}}
        assert set(symbols) <= key_chords[arrangement.key], (arrangement.key, symbols)


# --- the melodic parts alone say the style ------------------------------------------------------


def _melodic_song(style: str, key: str, seed: int) -> Arrangement:
    spec = resolve(Requirements(style=style, key=key, bars=48), seed)
    return compose(spec.model_copy(update={"parts": ("bass", "chords", "lead")}))


def test_bass_chords_and_lead_alone_identify_the_style() -> None:
    styles = list(STYLES)
    train, train_rnd = corpus(styles, (1, 2, 3, 4, 5), _melodic_song)
    test, test_rnd = corpus(styles, (101, 102, 103), _melodic_song)
    composed = evaluate(train, test)
    stand_in = evaluate(train_rnd, test_rnd)
    crossed = evaluate(train, test_rnd)
    assert composed.accuracy >= 0.75 and composed.family_accuracy >= 0.85
    # Random in-scale notes with the same counts and registers say much less...
    assert stand_in.accuracy <= composed.accuracy - 0.25
    # ...and do not pass for any style the composed parts taught it.
    assert crossed.accuracy <= 3 / len(styles)
    assert len(set(FAMILY.values())) == 8


# --- moods ---------------------------------------------------------------------------------------


def test_every_mood_has_a_shape_with_a_reason() -> None:
    assert set(MOOD_SHAPES) == set(MOODS)
    for mood, shape in MOOD_SHAPES.items():
        assert len(shape.reason) > 20, mood
        changes = (
            shape.tempo is not None,
            shape.register != 0,
            shape.extensions != 0,
            bool(shape.density),
            shape.swing != 0,
            shape.velocity != 0,
            shape.gate != 1.0,
            shape.spread,
        )
        assert sum(changes) >= 3, mood  # every mood changes at least three things


def _profile(arrangement: Arrangement) -> dict[str, float]:
    def mean(values: list[float]) -> float:
        return statistics.mean(values) if values else 0.0

    drums = _notes(arrangement, "drums")
    chords_ = _notes(arrangement, "chords")
    lead_ = _notes(arrangement, "lead")
    return {
        "bpm": arrangement.bpm,
        "drum_notes_per_bar": len(drums) / arrangement.bars,
        "chord_register": mean([n[2] for n in chords_]),
        "lead_register": mean([n[2] for n in lead_]),
        "chord_length": mean([n[1] - n[0] for n in chords_]),
        "velocity": mean([n[3] for n in chords_ + lead_]),
    }


def _spanish(text: str, seed: int) -> Arrangement:
    requirements = understand(text).requirements
    return compose(resolve(requirements, seed))


def test_techno_triste_and_alegre_differ_in_more_than_the_key() -> None:
    sad, happy = _spanish("techno triste", 3), _spanish("techno alegre", 3)
    assert (sad.mood, happy.mood) == ("sad", "happy")
    a, b = _profile(sad), _profile(happy)
    assert a["bpm"] < b["bpm"]
    assert a["drum_notes_per_bar"] < b["drum_notes_per_bar"] * 0.9
    assert a["chord_register"] < b["chord_register"] - 3
    assert a["chord_length"] > b["chord_length"] * 1.2
    assert a["velocity"] < b["velocity"]
    # In relative keys the pitch sets agree: the notes themselves must still differ.
    from companion.analysis import note_event_difference

    assert note_event_difference(sad, happy, roles=["bass", "chords", "lead"]) >= 0.6


PAIRS = [("sad", "happy"), ("chill", "energetic"), ("dreamy", "aggressive"), ("dark", "uplifting")]


@pytest.mark.parametrize("style", ["house", "techno", "pop", "lo-fi", "trap", "drum-and-bass"])
@pytest.mark.parametrize(("calm", "lively"), PAIRS)
def test_mood_pairs_differ_in_tempo_density_and_register(
    style: str, calm: str, lively: str
) -> None:
    first = compose(resolve(Requirements(style=style, mood=calm, include=["lead"]), 7))
    second = compose(resolve(Requirements(style=style, mood=lively, include=["lead"]), 7))
    a, b = _profile(first), _profile(second)
    assert a["bpm"] < b["bpm"] or (calm, lively) == ("dark", "uplifting")
    assert a["drum_notes_per_bar"] < b["drum_notes_per_bar"]
    assert a["velocity"] < b["velocity"]
    assert a["lead_register"] != b["lead_register"] and a["chord_register"] != b["chord_register"]


def test_dark_sits_lower_than_happy_and_chill_swings_more_than_energetic() -> None:
    dark = _profile(compose(resolve(Requirements(style="house", mood="dark", key="Am"), 4)))
    happy = _profile(compose(resolve(Requirements(style="house", mood="happy", key="Am"), 4)))
    assert dark["chord_register"] < happy["chord_register"] - 4
    assert dark["lead_register"] < happy["lead_register"]
    from companion.music.compose import make_context

    def swing(mood: str) -> float:
        return make_context(resolve(Requirements(style="house", mood=mood), 1)).swing

    assert swing("chill") > swing(None) > swing("energetic")  # type: ignore[arg-type]


def test_user_tempo_and_key_still_win_over_the_mood() -> None:
    spec = resolve(Requirements(style="techno", mood="sad", bpm=133, key="Em"), 1)
    assert (spec.bpm, spec.key) == (133, "Em")


def test_moods_and_idioms_stay_deterministic() -> None:
    for style in STYLES:
        for mood in (None, "sad", "energetic"):
            spec = resolve(Requirements(style=style, mood=mood, include=_parts(style)), 5)  # type: ignore[arg-type]
            assert compose(spec).model_dump_json() == compose(spec).model_dump_json()


@pytest.mark.parametrize("mood", ["dark", "aggressive", "sad", "happy", "energetic", "dreamy"])
def test_every_style_in_every_mood_keeps_ranges_and_the_quality_bar(mood: str) -> None:
    """Moods move registers and densities: nothing may leave its role's range (a dark funk bass
    once approached its lowest root from below E1) or fall under the quality bar."""
    from companion.analysis import compute_metrics
    from companion.music.roles import ROLE_RANGES

    for style in STYLES:
        arrangement = compose(resolve(Requirements(style=style, mood=mood, include=["lead"]), 1))
        report = compute_metrics(arrangement)
        assert report.passed, (style, [(c.name, c.value) for c in report.failures])
        for track in arrangement.tracks:
            if track.role not in ROLE_RANGES:
                continue
            low, high = ROLE_RANGES[track.role]
            pitches = [n.pitch for clip in track.clips for n in clip.notes]
            assert low <= min(pitches) and max(pitches) <= high, (style, track.role)
