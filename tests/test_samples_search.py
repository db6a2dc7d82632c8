"""Search filters and ranking over a real indexed library."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

import sampleaudio as sa
from companion.db import Database
from companion.samples.index import SampleIndex
from companion.samples.search import (
    SampleQuery,
    bpm_fit,
    compatible_keys,
    score_row,
    search_samples,
)

FILES = [
    "House/Kicks/Kick_Deep_01.wav",
    "House/Kicks/Kick_Deep_02.wav",
    "Techno/Kick_Rumble.wav",
    "Hats/Closed Hat 1.wav",
    "Hats/Open Hat 1.wav",
    "Hats/Hat_Loop_124bpm.wav",
    "Loops/Bass_Loop_124_Am.wav",
    "Loops/Bass_Loop_124_C.wav",
    "Loops/Bass_Loop_124_Em.wav",
    "Loops/Bass_Loop_126_Am.wav",
    "Loops/Halftime_Bass_Loop_62bpm_Am.wav",
    "Loops/DnB_Bass_Loop_174_Am.wav",
    "Loops/Bass_Loop_248bpm_Am.wav",
    "Deep House/Chords/Chord_Loop_122_A min.wav",
    "Trap/808_Gritty_E.wav",
    "FX/Riser_Long.wav",
    "notes.wav",  # text: must never be found
]


@pytest.fixture(scope="module")
def library(tmp_path_factory):
    root = tmp_path_factory.mktemp("search")
    database = Database(f"sqlite:///{root / 'musiaia.db'}")
    database.create_schema()
    for name in FILES:
        path = root / "lib" / name
        if name == "notes.wav":
            path.write_text("lyrics")
        else:
            sa.write_wav(path, sa.tone(seconds=0.2))
    SampleIndex(database, [root / "lib"]).scan()
    yield database
    database.dispose()


def found(database, **query) -> list[str]:
    page = search_samples(database, SampleQuery(**query, per_page=200))
    return [item.name for item in page.items]


def test_kind_filter_and_families(library):
    assert sorted(found(library, kind="kick")) == [
        "Kick_Deep_01.wav", "Kick_Deep_02.wav", "Kick_Rumble.wav",
    ]  # fmt: skip
    hats = found(library, kind="hat")
    assert set(hats) == {"Closed Hat 1.wav", "Open Hat 1.wav", "Hat_Loop_124bpm.wav"}
    assert found(library, kind="open_hat") == ["Open Hat 1.wav"]
    assert found(library, kind="bombo") == found(library, kind="kick")  # Spanish works too
    assert found(library, kind="nonsense") == []


def test_loop_filter(library):
    one_shots = found(library, kind="kick", loop=False)
    assert len(one_shots) == 3
    assert found(library, kind="hat", loop=True) == ["Hat_Loop_124bpm.wav"]


def test_bpm_range_with_half_and_double_time(library):
    both = found(library, kind="bass", bpm_min=120, bpm_max=128)
    assert {"Bass_Loop_124_Am.wav", "Bass_Loop_126_Am.wav"} <= set(both)
    assert "Halftime_Bass_Loop_62bpm_Am.wav" in both
    assert "Bass_Loop_248bpm_Am.wav" in both
    assert "DnB_Bass_Loop_174_Am.wav" not in both
    # exact tempo ranks above half/double time
    assert both.index("Bass_Loop_124_Am.wav") < both.index("Halftime_Bass_Loop_62bpm_Am.wav")
    strict = found(library, kind="bass", bpm_min=120, bpm_max=128, half_double=False)
    assert "Halftime_Bass_Loop_62bpm_Am.wav" not in strict
    assert "Bass_Loop_248bpm_Am.wav" not in strict


def test_key_compatibility_same_key_first_then_relative(library):
    results = found(library, kind="bass", key="Am", bpm_min=124, bpm_max=124, half_double=False)
    assert results[0] == "Bass_Loop_124_Am.wav"
    assert "Bass_Loop_124_C.wav" in results  # relative major
    assert "Bass_Loop_124_Em.wav" not in results
    assert found(library, key="A#m") == []  # spelled any way, still nothing in Bbm
    c_major = found(library, kind="bass", key="C", bpm_min=124, bpm_max=124, half_double=False)
    assert c_major[0] == "Bass_Loop_124_C.wav" and "Bass_Loop_124_Am.wav" in c_major


def test_style_filter_includes_related_styles(library):
    house = found(library, style="house")
    assert {"Kick_Deep_01.wav", "Chord_Loop_122_A min.wav"} <= set(house)
    assert "Kick_Rumble.wav" not in house
    exact = found(library, style="deep-house")
    assert exact[0] == "Chord_Loop_122_A min.wav"
    assert found(library, style="trap") == ["808_Gritty_E.wav"]


def test_free_text(library):
    assert found(library, text="rumble") == ["Kick_Rumble.wav"]
    assert set(found(library, text="deep kick")) == {"Kick_Deep_01.wav", "Kick_Deep_02.wav"}
    assert found(library, text="lyrics") == []
    assert found(library, text="100%_") == []  # LIKE wildcards are escaped


def test_bad_files_never_appear_and_pagination(library):
    everything = search_samples(library, SampleQuery(per_page=5))
    assert everything.total == len(FILES) - 1
    pages = [search_samples(library, SampleQuery(page=n, per_page=5)).items for n in (1, 2, 3, 4)]
    seen = [item.name for page in pages for item in page]
    assert len(seen) == len(set(seen)) == len(FILES) - 1
    assert "notes.wav" not in seen
    ranked = search_samples(library, SampleQuery(kind="bass", page=2, per_page=3))
    assert ranked.total == 8 and len(ranked.items) == 3  # 7 bass loops and the 808


def test_query_validation():
    with pytest.raises(ValidationError):
        SampleQuery(bpm_min=130, bpm_max=120)
    with pytest.raises(ValidationError):
        SampleQuery(key="H minor")
    with pytest.raises(ValidationError):
        SampleQuery(per_page=1000)
    assert SampleQuery(key="A#m").key == "Bbm"


def test_pure_ranking():
    query = SampleQuery(bpm_min=120, bpm_max=128, key="Am")
    assert compatible_keys("Am") == {"Am": 1.0, "C": 0.8}
    assert bpm_fit(124, query) > bpm_fit(127, query) > bpm_fit(62, query) > 0
    assert bpm_fit(None, query) < 0
    same = score_row({"key": "Am", "bpm": 124, "path": "/a.wav"}, query)
    relative = score_row({"key": "C", "bpm": 124, "path": "/b.wav"}, query)
    assert same > relative
