"""Choosing sounds for a song: determinism, variety, library first, kit fallback, fit."""

from __future__ import annotations

import pytest

import sampleaudio as sa
from companion.db import Database
from companion.kit.catalogue import PREFIX
from companion.music.fx import FX_MAP
from companion.music.spec import SongSpec
from companion.samples.index import SampleIndex
from companion.samples.select import (
    CandidateCache,
    SampleCandidate,
    SelectionTarget,
    kit_candidates,
    library_candidates,
    loop_fit,
    select_samples,
)
from conftest import song


@pytest.fixture(scope="module")
def kit_pool(tmp_path_factory):
    return kit_candidates(tmp_path_factory.mktemp("kit"))


def lib(path: str, kind: str, **fields) -> SampleCandidate:
    return SampleCandidate(path=f"/lib/{path}", kind=kind, source="library", **fields)


KICKS = [lib(f"Kick_{n:02d}.wav", "kick", duration=0.5) for n in range(10)]
HOUSE = SelectionTarget(style="house", bpm=124, key="Am", parts=("drums", "bass", "lead"))


def test_kit_alone_covers_every_part_of_a_real_song(kit_pool):
    arrangement = song(3, style="house", bpm=124, key="Am")
    selection = select_samples(arrangement, kit_pool, seed=3)
    roles = {track.role for track in arrangement.tracks}
    assert set(selection.parts) == roles - {"other"}
    used_pads = {
        n.pitch for t in arrangement.tracks if t.role == "drums" for c in t.clips for n in c.notes
    }
    assert {c.pad_note for c in selection["drums"]} == used_pads
    assert all(c.source == "kit" and c.path.endswith(".wav") for c in selection.all())
    assert selection.for_pad("drums", 36).slot == "kick"
    for part in roles & {"bass", "chords", "pads", "lead", "arp", "vocals"}:
        (chosen,) = selection[part]
        assert chosen.root_note is not None and chosen.pad_note is None and not chosen.is_loop
    if "fx" in selection.parts:
        assert {c.pad_note for c in selection["fx"]} <= set(FX_MAP.values())
        for chosen in selection["fx"]:
            assert chosen.slot in FX_MAP and FX_MAP[chosen.slot] == chosen.pad_note


@pytest.mark.parametrize(
    ("style", "kick", "bass"),
    [
        ("house", "Kick_House_909", "Bass_House_Organ_C1"),
        ("techno", "Kick_Techno_Rumble", "Bass_Techno_Rumble_C1"),
        ("trap", "Kick_Trap_Punch", "808_Trap_C1"),
        ("drum-and-bass", "Kick_DnB_Tight", "Bass_Reese_DnB_C1"),
    ],
)
def test_kit_follows_the_style_palette(kit_pool, style, kick, bass):
    target = SelectionTarget(style=style, bpm=124, key="Am", parts=("drums", "bass"))
    for seed in (1, 2, 3):  # the table decides, not the draw
        chosen = select_samples(target, kit_pool, seed=seed)
        assert chosen.for_pad("drums", 36).path.endswith(f"{PREFIX}{kick}.wav")
        assert chosen["bass"][0].path.endswith(f"{PREFIX}{bass}.wav")


def test_same_seed_same_sounds_other_seeds_other_kicks(kit_pool):
    pool = [*KICKS, *kit_pool]
    first = select_samples(HOUSE, pool, seed=42)
    assert select_samples(HOUSE, list(reversed(pool)), seed=42) == first  # order-independent
    kicks = {select_samples(HOUSE, pool, seed=s).for_pad("drums", 36).path for s in range(30)}
    assert len(kicks) >= 4
    assert all(path.startswith("/lib/") for path in kicks)  # the library wins over the kit


def test_library_first_kit_for_what_is_missing(kit_pool):
    pool = [*KICKS, lib("Snare_A.wav", "snare"), *kit_pool]
    chosen = select_samples(HOUSE, pool, seed=0)
    assert chosen.for_pad("drums", 36).source == "library"
    assert chosen.for_pad("drums", 38).path == "/lib/Snare_A.wav"
    assert chosen.for_pad("drums", 39).source == "kit"  # no clap in the library
    assert chosen.for_pad("drums", 42).source == "kit"


def test_each_pad_gets_its_own_file_when_possible(kit_pool):
    pool = [
        lib("Hat_A.wav", "hat"),
        lib("Hat_B.wav", "hat"),
        lib("Perc_Shaker.wav", "perc", subtype="shaker"),
        lib("Perc_Conga.wav", "perc", subtype="conga"),
        *kit_pool,
    ]
    chosen = select_samples(HOUSE, pool, seed=5)
    closed, opened = chosen.for_pad("drums", 42), chosen.for_pad("drums", 46)
    assert {closed.path, opened.path} == {"/lib/Hat_A.wav", "/lib/Hat_B.wav"}
    assert chosen.for_pad("drums", 70).path == "/lib/Perc_Shaker.wav"  # shaker pad → shaker
    assert chosen.for_pad("drums", 62).path == "/lib/Perc_Conga.wav"


def test_tonal_parts_need_a_known_root_and_a_one_shot(kit_pool):
    pool = [
        lib("Bass_NoRoot.wav", "bass"),
        lib("Bass_Loop_124_Am.wav", "bass", is_loop=True, bpm=124, key="Am", root_note=45),
        *kit_pool,
    ]
    chosen = select_samples(HOUSE, pool, seed=0)
    assert chosen["bass"][0].source == "kit" and chosen["bass"][0].root_note == 36
    tuned = [lib("Bass_F1.wav", "bass", root_note=41), *pool]
    chosen = select_samples(HOUSE, tuned, seed=0)
    assert chosen["bass"][0].path == "/lib/Bass_F1.wav"
    assert chosen["bass"][0].root_note == 41


def test_style_steers_the_choice(kit_pool):
    pool = [
        *(lib(f"Trap_Kick_{n}.wav", "kick", styles=("trap",)) for n in range(3)),
        *(lib(f"House_Kick_{n}.wav", "kick", styles=("house",)) for n in range(3)),
        *kit_pool,
    ]
    for seed in range(10):
        kick = select_samples(HOUSE, pool, seed=seed).for_pad("drums", 36)
        assert "/House_Kick_" in kick.path


def test_register_matters_for_tonal_parts(kit_pool):
    pool = [
        lib("Lead_High_C6.wav", "lead", root_note=96),
        lib("Lead_Mid_C4.wav", "lead", root_note=72),
        *kit_pool,
    ]
    for seed in range(5):
        assert select_samples(HOUSE, pool, seed=seed)["lead"][0].path == "/lib/Lead_Mid_C4.wav"


def test_loops_fit_tempo_and_key(kit_pool):
    pool = [
        lib("Bass_Loop_124_Am.wav", "bass", is_loop=True, bpm=124, key="Am"),
        lib("Bass_Loop_124_Em.wav", "bass", is_loop=True, bpm=124, key="Em"),
        lib("Bass_Loop_140_Am.wav", "bass", is_loop=True, bpm=140, key="Am"),
        lib("Drum_Loop_62.wav", "drums", is_loop=True, bpm=62),
        lib("Drum_Loop_100.wav", "drums", is_loop=True, bpm=100),
        *kit_pool,
    ]
    chosen = select_samples(HOUSE, pool, seed=0, loops=True)
    assert chosen.loops["bass"].path == "/lib/Bass_Loop_124_Am.wav"
    assert chosen.loops["bass"].is_loop and chosen.loops["bass"].bpm == 124
    assert chosen.loops["drums"].path == "/lib/Drum_Loop_62.wav"  # half time warps fine
    assert "lead" not in chosen.loops
    assert chosen.for_pad("drums", 36) is not None  # loops come on top of the one-shots
    assert loop_fit(pool[1], "bass", HOUSE) is None  # out of key
    assert loop_fit(pool[2], "bass", HOUSE) is None  # 13% off tempo
    relative = lib("Bass_Loop_124_C.wav", "bass", is_loop=True, bpm=124, key="C")
    assert 0 < loop_fit(relative, "bass", HOUSE) < loop_fit(pool[0], "bass", HOUSE)


def test_from_spec_before_composing(kit_pool):
    spec = SongSpec(style="techno", bpm=132, key="F#m", bars=32, parts=("kick", "hats", "bass"))
    target = SelectionTarget.from_spec(spec)
    assert target.drum_pads == (36, 42, 46)
    assert target.parts == ("drums", "bass")
    chosen = select_samples(spec, kit_pool, seed=9)
    assert {c.pad_note for c in chosen["drums"]} == {36, 42, 46}
    assert chosen.for_pad("drums", 36).path.endswith("Kick_Techno_Rumble.wav")


def test_selection_from_an_indexed_library(tmp_path, kit_pool):
    database = Database(f"sqlite:///{tmp_path / 'musiaia.db'}")
    database.create_schema()
    library = tmp_path / "lib"
    sa.write_wav(library / "Drums" / "Kicks" / "Big Kick.wav", sa.tone(55, 0.5))
    sa.write_wav(library / "Bass" / "Sub_A1.wav", sa.tone(55, 1.0))
    sa.write_wav(library / "Bass" / "Reese.wav", sa.tone(55, 1.0), smpl=sa.smpl_body(45))
    (library / "bad.wav").write_text("nope")
    SampleIndex(database, [library]).scan()
    candidates = library_candidates(database)
    assert {c.path.rsplit("/", 1)[-1] for c in candidates} == {
        "Big Kick.wav", "Sub_A1.wav", "Reese.wav",
    }  # fmt: skip
    chosen = select_samples(HOUSE, [*candidates, *kit_pool], seed=1)
    kick = chosen.for_pad("drums", 36)
    assert kick.path.endswith("Big Kick.wav") and kick.sample_id is not None
    assert chosen["bass"][0].source == "library" and chosen["bass"][0].root_note == 45

    cache = CandidateCache(database)
    first = cache.get()
    assert cache.get() is first  # unchanged table: no reload
    sa.write_wav(library / "Clap_New.wav", sa.tone())
    SampleIndex(database, [library]).scan()
    assert "Clap_New.wav" in {c.path.rsplit("/", 1)[-1] for c in cache.get()}
    (library / "Clap_New.wav").unlink()
    SampleIndex(database, [library]).scan()
    assert len(cache.get()) == len(first)
    database.dispose()


def test_the_palette_ranks_the_library_by_its_words(kit_pool):
    """A library bass named like what the style's table asks for (a reese for drum & bass) wins
    over an equally good one that is not; for a style whose bass names no instrument (deep
    house: a warm bass) the table's words do not matter."""
    pool = [
        lib("Bass_Growl_C1.wav", "bass", root_note=36),
        lib("Bass_Reese_C1.wav", "bass", root_note=36, subtype="reese"),
        *kit_pool,
    ]
    dnb = SelectionTarget(style="drum-and-bass", bpm=174, key="Am", parts=("bass",))
    for seed in range(8):
        assert select_samples(dnb, pool, seed=seed)["bass"][0].path == "/lib/Bass_Reese_C1.wav"
    deep = SelectionTarget(style="deep-house", bpm=122, key="Am", parts=("bass",))
    picks = {select_samples(deep, pool, seed=seed)["bass"][0].path for seed in range(12)}
    assert picks == {"/lib/Bass_Growl_C1.wav", "/lib/Bass_Reese_C1.wav"}


def test_mood_keeps_avoided_characters_off_the_library(kit_pool):
    pool = [
        lib("Pad_Dark_Drone_C3.wav", "pad", root_note=60, duration=4.0, tags=("dark",)),
        lib("Pad_Bright_Shimmer_C3.wav", "pad", root_note=60, duration=4.0, tags=("bright",)),
        *kit_pool,
    ]
    for mood, wanted in (("happy", "Bright"), ("dark", "Dark")):
        target = SelectionTarget(style="house", mood=mood, bpm=124, key="Am", parts=("pads",))
        for seed in range(6):
            assert wanted in select_samples(target, pool, seed=seed)["pads"][0].path


@pytest.mark.parametrize(
    ("mood", "pad", "chords"),
    [
        (None, "Pad_Warm", "Synth_Dub_Techno"),
        ("happy", "Pad_Airy", "Synth_Pluck_Prog"),
        ("dark", "Pad_Dark", "Synth_Dub_Techno"),
        ("sad", "Pad_Strings_Soft", "Synth_Dub_Techno"),
        ("dreamy", "Pad_Choir", "Synth_Dub_Techno"),
    ],
)
def test_mood_changes_the_kit_instruments(kit_pool, mood, pad, chords):
    target = SelectionTarget(style="techno", mood=mood, bpm=130, key="Am", parts=("chords", "pads"))
    chosen = select_samples(target, kit_pool, seed=1)
    assert f"{PREFIX}{pad}_" in chosen["pads"][0].path
    assert f"{PREFIX}{chords}_" in chosen["chords"][0].path


def test_a_sample_naming_another_instrument_never_beats_the_tables_sound(kit_pool):
    """Lo-fi's table asks for a Rhodes: the producer's organ loses to the kit's Rhodes, their
    Rhodes wins, and keys that name no instrument keep the library-first rule."""
    target = SelectionTarget(style="lo-fi", bpm=80, key="Dm", parts=("chords",))
    organ = lib("Organ_Keys_C3.wav", "keys", root_note=60)
    rhodes = lib("Rhodes_Keys_C3.wav", "keys", root_note=60)
    plain = lib("Keys_C3.wav", "keys", root_note=60)
    for seed in range(6):
        alone = select_samples(target, [organ, *kit_pool], seed=seed)["chords"][0]
        assert alone.source == "kit" and f"{PREFIX}Keys_Rhodes_Lofi_" in alone.path
        both = select_samples(target, [organ, rhodes, *kit_pool], seed=seed)["chords"][0]
        assert both.path == rhodes.path
        assert select_samples(target, [plain, *kit_pool], seed=seed)["chords"][0].path == plain.path
    # The same organ is what UK garage asks for.
    garage = SelectionTarget(style="uk-garage", bpm=132, key="Dm", parts=("chords",))
    assert select_samples(garage, [organ, *kit_pool], seed=0)["chords"][0].path == organ.path
