"""Choosing sounds never makes a generation fail (issue 11, finding 1): a library file that
vanished, broke or does not fit the set model is skipped, its slot chosen again (the next
candidate, in the end the built-in kit), and the result says so. And each account is offered
only the shared library and its own uploads (finding 5)."""

from __future__ import annotations

import os
import shutil

import numpy as np
import pytest

from companion.als.reader import read_als
from companion.db import Database, Sample
from companion.kit.catalogue import PREFIX
from companion.pipeline import generate
from companion.samples.index import SampleIndex
from companion.samples.select import SampleCandidate, kit_candidates, library_candidates
from companion.sounds import SoundSource, choose_sounds
from sampleaudio import drum_loop, write_long_flac, write_sf

REQUEST = "house a 124 en La menor"


@pytest.fixture(scope="module")
def kit_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("kit")


def kick(seconds: float = 0.4, rate: int = 44100, sweep: float = 110) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    body = np.sin(2 * np.pi * np.cumsum(50 + sweep * np.exp(-t / 0.04)) / rate)
    return 0.8 * body * np.exp(-t / 0.15)


def indexed(tmp_path, files: dict[str, np.ndarray]) -> tuple[Database, dict]:
    root = tmp_path / "library"
    paths = {name: write_sf(root / name, data) for name, data in files.items()}
    database = Database(f"sqlite:///{tmp_path / 'library.db'}")
    database.create_schema()
    SampleIndex(database, [root]).scan()
    return database, paths


def pad_sample(result, note: int = 36) -> str | None:
    drums = next(t for t in result.arrangement.tracks if t.role == "drums")
    pad = next((p for p in drums.instrument.pads if p.note == note), None)
    return pad.sample.path if pad else None


def played(arrangement) -> set[str]:
    paths = set()
    for track in arrangement.tracks:
        if track.audio is not None:
            paths.add(track.audio.sample.path)
        if track.instrument is not None:
            paths.update(p.sample.path for p in track.instrument.pads)
            if track.instrument.sample is not None:
                paths.add(track.instrument.sample.path)
    return paths


def test_a_vanished_library_kick_gives_way_to_the_next_one(tmp_path, kit_dir):
    database, paths = indexed(
        tmp_path,
        {"Kicks/House Kick Deep 01.wav": kick(), "Kicks/House Kick Deep 02.wav": kick(sweep=90)},
    )
    source = SoundSource(kit_dir, database)
    first = pad_sample(generate(REQUEST, seed=1, sounds=source.chooser()))
    assert first is not None and first.startswith("Samples/Imported/House Kick Deep")
    gone = next(p for n, p in paths.items() if n.endswith(first.rsplit("/", 1)[1]))
    gone.unlink()  # the index still lists it (no watcher here)

    result = generate(REQUEST, seed=1, out_dir=tmp_path / "out", sounds=source.chooser())
    now = pad_sample(result)
    assert now is not None and now != first and now.startswith("Samples/Imported/House Kick")
    assert any(gone.name in line and "the file is gone" in line for line in result.warnings)
    assert all((result.project.folder / p).is_file() for p in played(result.arrangement))


def test_with_the_whole_library_gone_every_part_still_gets_a_sound(tmp_path, kit_dir):
    files = {f"Drums/House Kick {n:02d}.wav": kick(sweep=80 + n) for n in range(8)}
    files |= {f"Drums/House Snare {n:02d}.wav": kick(0.2, sweep=300 + n) for n in range(4)}
    files |= {f"Drums/House Closed Hat {n:02d}.wav": kick(0.05, sweep=900 + n) for n in range(4)}
    database, _ = indexed(tmp_path, files)
    shutil.rmtree(tmp_path / "library")  # an unplugged drive: its rows are kept

    result = generate(
        REQUEST, seed=2, out_dir=tmp_path / "out", sounds=SoundSource(kit_dir, database).chooser()
    )
    for track in result.arrangement.tracks:
        assert track.instrument is not None, track.role
    drums = next(t for t in result.arrangement.tracks if t.role == "drums")
    used = {n.pitch for clip in drums.clips for n in clip.notes}
    assert {p.note for p in drums.instrument.pads} == used  # no pad left silent
    assert all(p.sample.name.startswith(PREFIX) for p in drums.instrument.pads)
    assert result.warnings and "more samples could not be used" in result.warnings[-1]


def test_a_sample_dated_before_1970_is_used(tmp_path, kit_dir):
    database, paths = indexed(tmp_path, {"Kicks/House Kick Old.wav": kick()})
    os.utime(paths["Kicks/House Kick Old.wav"], (0, -365 * 86400))
    result = generate(
        REQUEST, seed=1, out_dir=tmp_path / "out", sounds=SoundSource(kit_dir, database).chooser()
    )
    drums = next(t for t in result.arrangement.tracks if t.role == "drums")
    pad = next(p for p in drums.instrument.pads if p.note == 36)
    assert pad.sample.path == "Samples/Imported/House Kick Old.wav" and pad.sample.mtime == 0
    assert read_als(result.project.als) == result.arrangement


def test_a_sample_deleted_while_the_set_is_written_is_replaced(tmp_path, kit_dir):
    database, _ = indexed(
        tmp_path,
        {"Kicks/House Kick Deep 01.wav": kick(), "Kicks/House Kick Deep 02.wav": kick(sweep=90)},
    )
    chooser = SoundSource(kit_dir, database).chooser()
    deleted: list[str] = []

    def choose_then_lose_the_kick(arrangement, spec, exclude=()):
        plan = chooser(arrangement, spec, exclude) if exclude else chooser(arrangement, spec)
        if not deleted:  # the file goes between choosing and copying
            chosen = next(p for p in plan.sources.values() if "House Kick" in p.name)
            chosen.unlink()
            deleted.append(chosen.name)
        return plan

    result = generate(REQUEST, seed=1, out_dir=tmp_path / "out", sounds=choose_then_lose_the_kick)
    assert deleted and pad_sample(result) != f"Samples/Imported/{deleted[0]}"
    assert pad_sample(result).startswith("Samples/Imported/House Kick")
    assert any(deleted[0] in w and "vanished" in w for w in result.warnings)
    assert all((result.project.folder / p).is_file() for p in played(result.arrangement))


def test_rows_indexed_before_the_limits_existed_are_never_offered(tmp_path):
    """A database upgraded from an older version, before its next scan: the candidates check
    the limits themselves."""
    database = Database(f"sqlite:///{tmp_path / 'old.db'}")
    database.create_schema()
    with database.engine.begin() as connection:
        connection.execute(
            Sample.__table__.insert(),
            [
                {"path": "/lib/drum loop 120 bpm.flac", "size": 455_000, "mtime": 1.0,
                 "kind": "drums", "is_loop": True, "bpm": 120.0, "duration": 18_000.0,
                 "sample_rate": 8000, "channels": 1, "tags": []},
                {"path": "/lib/Kick.wav", "size": 1000, "mtime": 1.0, "kind": "kick",
                 "is_loop": False, "bpm": None, "duration": 0.4, "sample_rate": 44100,
                 "channels": 1, "tags": []},
            ],
        )  # fmt: skip
    assert [c.path for c in library_candidates(database)] == ["/lib/Kick.wav"]


def test_each_account_is_offered_the_shared_library_and_its_own_uploads(tmp_path, kit_dir):
    library, uploads = tmp_path / "library", tmp_path / "uploads"
    for folder in (library, uploads / "7", uploads / "8", uploads):
        write_sf(folder / "House Kick.wav", kick())
    database = Database(f"sqlite:///{tmp_path / 'library.db'}")
    database.create_schema()
    SampleIndex(database, [library, uploads], uploads=uploads).scan()
    source = SoundSource(kit_dir, database)

    def library_paths(owner):
        return {c.path for c in source.candidates(owner) if c.source == "library"}

    shared = str(library / "House Kick.wav")
    assert library_paths(7) == {shared, str(uploads / "7" / "House Kick.wav")}
    assert library_paths(8) == {shared, str(uploads / "8" / "House Kick.wav")}
    assert library_paths(None) == {shared}  # and the loose, ownerless upload: nobody's


def house_arrangement():
    from companion.music.compose import compose
    from companion.music.resolve import resolve
    from companion.understanding.parser import understand

    spec = resolve(understand("house a 124 bpm en La menor").requirements, seed=3)
    return compose(spec), spec


def test_a_huge_loop_that_reaches_selection_is_skipped_not_fatal(tmp_path, kit_dir):
    """Defence behind the index's limits: a candidate that reaches selection anyway (a file
    replaced since it was indexed) must not raise AudioLoop's validation (36,000 beats)."""
    five_hours = write_long_flac(tmp_path / "drum loop 124 bpm.flac", 5 * 3600)
    fine = write_sf(tmp_path / "Top Loop 124.wav", drum_loop(124, bars=2))
    arrangement, spec = house_arrangement()
    loop = SampleCandidate(
        path=str(five_hours), kind="drums", is_loop=True, bpm=124.0, duration=18_000.0
    )
    plan = choose_sounds(arrangement, spec.seed, [loop, *kit_candidates(kit_dir)])
    assert not any(t.is_audio for t in plan.arrangement.tracks)
    assert "beats" in plan.skipped[str(five_hours)] and plan.warnings
    # The next round offers what is left: a loop that fits is layered instead.
    other = SampleCandidate(path=str(fine), kind="drums", is_loop=True, bpm=124.0, duration=3.9)
    plan = choose_sounds(arrangement, spec.seed, [loop, other, *kit_candidates(kit_dir)])
    layers = [t for t in plan.arrangement.tracks if t.is_audio]
    assert [t.audio.sample.path for t in layers] == ["Samples/Imported/Top Loop 124.wav"]
