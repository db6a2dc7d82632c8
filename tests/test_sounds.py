"""Choosing sounds for a song and putting them in a self-contained Live project."""

from __future__ import annotations

import shutil

import numpy as np
import pytest

from companion.als.reader import read_als
from companion.db import Database
from companion.pipeline import generate
from companion.samples.index import SampleIndex
from companion.samples.kit import PREFIX
from companion.sounds import HAT_NOTES, SoundSource, crc16
from sampleaudio import write_sf


@pytest.fixture(scope="module")
def kit_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("kit")


def test_crc16_check_value():
    assert crc16(b"123456789") == 0xFEE8  # CRC-16 (poly 0x8005), the standard check value
    assert crc16(b"x" * 20000) == crc16(b"x" * 16384)  # only the first 16 KiB count


def test_a_fresh_install_gets_a_full_kit_in_the_project(tmp_path, kit_dir):
    result = generate(
        "Genera un track de house a 124 BPM en La menor",
        seed=4,
        out_dir=tmp_path,
        sounds=SoundSource(kit_dir).chooser(),
    )
    arrangement = result.arrangement
    assert "choosing_sounds" in result.timings
    for track in arrangement.tracks:
        assert track.instrument is not None, track.role
        used = {n.pitch for clip in track.clips for n in clip.notes}
        if track.role in ("drums", "fx"):
            assert track.instrument.kind == "drum_rack"
            pads = {pad.note for pad in track.instrument.pads}
            assert pads <= used and len(pads) >= min(3, len(used))
            for pad in track.instrument.pads:
                assert pad.choke_group == (1 if pad.note in HAT_NOTES else 0)
        else:
            assert track.instrument.kind == "simpler"
    folder = result.project.folder
    assert read_als(result.project.als) == arrangement
    samples = {
        s.path
        for t in arrangement.tracks
        for s in ([p.sample for p in t.instrument.pads] + [t.instrument.sample])
        if s
    }
    for path in samples:
        copied = folder / path
        assert copied.is_file() and copied.name.startswith(PREFIX)
        sample = next(
            s
            for t in arrangement.tracks
            for s in ([p.sample for p in t.instrument.pads] + [t.instrument.sample])
            if s and s.path == path
        )
        assert sample.size == copied.stat().st_size
        assert sample.mtime == int(copied.stat().st_mtime)
        assert sample.crc == crc16(copied.read_bytes())


def test_the_project_folder_travels(tmp_path, kit_dir):
    result = generate(
        "trap oscuro en Mi bemol menor",
        seed=2,
        out_dir=tmp_path / "a",
        sounds=SoundSource(kit_dir).chooser(),
    )
    moved = tmp_path / "elsewhere" / result.project.folder.name
    shutil.copytree(result.project.folder, moved)
    shutil.rmtree(result.project.folder)
    arrangement = read_als(moved / result.project.als.name)
    paths = [
        s.path
        for t in arrangement.tracks
        if t.instrument
        for s in ([p.sample for p in t.instrument.pads] + [t.instrument.sample])
        if s
    ]
    assert paths and all((moved / p).is_file() for p in paths)  # resolved from the project


def test_sounds_follow_the_seed(tmp_path, kit_dir):
    chooser = SoundSource(kit_dir).chooser()

    def kit(seed: int, out: str) -> tuple[str, ...]:
        result = generate(
            "techno a 130 en La menor", seed=seed, out_dir=tmp_path / out, sounds=chooser
        )
        drums = next(t for t in result.arrangement.tracks if t.role == "drums")
        return tuple(sorted(p.sample.path for p in drums.instrument.pads))

    assert kit(7, "a") == kit(7, "b")
    assert len({kit(seed, f"s{seed}") for seed in range(8)}) >= 2  # another take, other sounds


def test_the_producers_library_comes_first(tmp_path, kit_dir):
    library = tmp_path / "library" / "Drums" / "Kicks"
    library.mkdir(parents=True)
    t = np.arange(int(0.4 * 44100)) / 44100
    body = np.sin(2 * np.pi * np.cumsum(50 + 110 * np.exp(-t / 0.04)) / 44100) * np.exp(-t / 0.15)
    write_sf(library / "House Kick Deep 01.wav", 0.8 * body)
    database = Database(f"sqlite:///{tmp_path / 'library.db'}")
    database.create_schema()
    SampleIndex(database, [tmp_path / "library"]).scan()
    result = generate(
        "house a 124 en La menor",
        seed=1,
        out_dir=tmp_path / "out",
        sounds=SoundSource(kit_dir, database).chooser(),
    )
    drums = next(t for t in result.arrangement.tracks if t.role == "drums")
    kick = next(p for p in drums.instrument.pads if p.note == 36)
    assert kick.sample.path == "Samples/Imported/House Kick Deep 01.wav"
    assert (result.project.folder / kick.sample.path).read_bytes() == (
        library / "House Kick Deep 01.wav"
    ).read_bytes()
