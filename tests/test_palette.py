"""The palette table: every style sounds like itself (different files, by content, for every
part whose sound should differ), every entry says why, and mood changes the instruments."""

from __future__ import annotations

import hashlib
import itertools
import os
from dataclasses import replace
from pathlib import Path

import pytest

from companion.kit import build
from companion.kit.catalogue import INSTRUMENT_BY_NAME, KIT_BY_NAME, instrument_of
from companion.requirements import MOODS, STYLES
from companion.samples import palette
from companion.samples.select import SelectionTarget, kit_candidates, select_samples

DRUM_SLOTS = {"kick": 36, "snare": 38, "clap": 39, "hats": 42}
MELODIC = ("bass", "chords", "lead")


@pytest.fixture(scope="module")
def kit_dir() -> Path:
    folder = Path(os.environ["MUSIAIA_KIT_SEED"])
    build.ensure_kit(folder, seed="")
    return folder


@pytest.fixture(scope="module")
def pool(kit_dir):
    return kit_candidates(kit_dir)


def _digest(paths: list[str]) -> str:
    hasher = hashlib.sha256()
    for path in sorted(paths):
        hasher.update(Path(path).read_bytes())
    return hasher.hexdigest()


def part_hashes(style: str, pool, mood: str | None = None) -> dict[str, str]:
    """Content hash of the files each must-differ part plays (a multi-sampled instrument: all
    of its zones), as chosen from the kit for ``style``."""
    target = SelectionTarget(
        style=style,
        mood=mood,
        bpm=120,
        key="Am",
        parts=("drums", *MELODIC),
        drum_pads=(36, 38, 39, 42, 46),
    )
    chosen = select_samples(target, pool, seed=5)
    hashes = {}
    for part, note in DRUM_SLOTS.items():
        paths = [chosen.for_pad("drums", note).path]
        if part == "hats":
            paths.append(chosen.for_pad("drums", 46).path)
        hashes[part] = _digest(paths)
    for part in MELODIC:
        path = chosen[part][0].path
        instrument = instrument_of(Path(path).name)
        files = [str(Path(path).parent / s.filename) for s in instrument.zone_sounds()]
        hashes[part] = _digest(files)
    return hashes


def clashes(hashes: dict[str, dict[str, str]]) -> list[tuple[str, str, str]]:
    """(style, style, part) for every must-differ part two styles share without the table
    allowing it."""
    found = []
    for a, b in itertools.combinations(sorted(hashes), 2):
        allowed = palette.MAY_SHARE.get(frozenset({a, b}), ())
        for part in hashes[a]:
            if hashes[a][part] == hashes[b][part] and part not in allowed:
                found.append((a, b, part))
    return found


def test_every_style_has_a_palette_that_names_real_sounds_with_reasons():
    assert set(palette.PALETTES) == set(STYLES)
    for style, table in palette.PALETTES.items():
        for slot in ("kick", "snare", "clap"):
            pick = getattr(table, slot)
            assert pick.sound in KIT_BY_NAME and pick.why and pick.words, (style, slot)
        assert f"Hat_Closed_{table.hats.sound}" in KIT_BY_NAME, style
        assert f"Hat_Open_{table.hats.sound}" in KIT_BY_NAME, style
        for part in MELODIC:
            for pick in getattr(table, part):
                assert pick.sound in INSTRUMENT_BY_NAME and len(pick.why) > 10, (style, pick)
        for name in (*table.pads, *table.arp, *table.vocals, *table.percussion.values()):
            assert name in INSTRUMENT_BY_NAME or name in KIT_BY_NAME, (style, name)
    assert set(palette.MOOD_SOUND) == set(MOODS)
    assert all(feel.why for feel in palette.MOOD_SOUND.values())
    assert set(palette.SHARED) >= {"pads", "arp", "vocals", "fx", "percussion"}


def test_two_styles_never_sound_the_same(pool):
    """Kick, snare, clap, hat set, bass, chords and lead differ by content between every pair of
    the 22 styles (the table allows no sharing of these)."""
    hashes = {style: part_hashes(style, pool) for style in STYLES}
    assert clashes(hashes) == []
    for part in (*DRUM_SLOTS, *MELODIC):
        assert len({h[part] for h in hashes.values()}) == len(STYLES), part


def test_the_difference_check_catches_a_shared_sound(pool, monkeypatch):
    """Give deep house the house kick and bass: the same check reports exactly those."""
    house = palette.PALETTES["house"]
    deep = replace(palette.PALETTES["deep-house"], kick=house.kick, bass=house.bass)
    monkeypatch.setitem(palette.PALETTES, "deep-house", deep)
    hashes = {style: part_hashes(style, pool) for style in ("house", "deep-house", "techno")}
    assert sorted(clashes(hashes)) == [
        ("deep-house", "house", "bass"),
        ("deep-house", "house", "kick"),
    ]


@pytest.mark.parametrize("style", STYLES)
def test_a_dark_sound_never_plays_on_a_happy_song(style):
    table = palette.PALETTES[style]
    for part in ("bass", "chords", "lead", "pads", "arp"):
        happy = palette.choice(style, "happy", part, part)
        assert "dark" not in palette._tags(happy.sound), (style, part, happy.sound)
    dark_pad = palette.choice(style, "dark", "pads", "pads").sound
    assert "dark" in palette._tags(dark_pad)
    assert palette.choice(style, None, "pads", "pads").sound == table.pads[0]


def test_mood_moves_instruments_and_brightness(pool):
    sad = part_hashes("techno", pool, "sad")
    happy = part_hashes("techno", pool, "happy")
    assert sad["chords"] != happy["chords"] and sad["lead"] != happy["lead"]
    assert {sad[p] for p in DRUM_SLOTS} == {happy[p] for p in DRUM_SLOTS}  # drums are the style's
    assert palette.filter_hz("happy", "pads") == 22000.0
    assert palette.filter_hz("dark", "pads") < palette.filter_hz("sad", "pads") < 22000.0
    assert palette.filter_hz("dark", "lead") > palette.filter_hz("dark", "pads")
    assert palette.filter_hz(None, "chords") == 22000.0 == palette.filter_hz("dark", "drums")
