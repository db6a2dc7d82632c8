"""Project folders on disk: layout, MIDI parts, atomic writes, never overwriting a project."""

from __future__ import annotations

import os

import mido
import pytest

from companion import project_files
from companion.als.reader import read_als
from companion.arrangement import Arrangement
from companion.fsutil import atomic_write_bytes, safe_name
from companion.midi_files import DRUM_CHANNEL, read_midi
from companion.project_files import write_project, write_version
from conftest import fresh_song, song


def test_layout_and_contents(tmp_path):
    arrangement = song(style="house", bpm=124, key="Am")
    project = write_project(arrangement, tmp_path)
    assert project.folder == tmp_path / "House 124 Am Project"
    assert project.als == project.folder / "House 124 Am.als"
    assert read_als(project.als) == arrangement
    assert Arrangement.model_validate_json(project.arrangement_json.read_bytes()) == arrangement
    assert len(project.midi) == len(arrangement.tracks)
    assert [p.name for p in project.midi] == [
        f"{i + 1:02d} {t.name}.mid" for i, t in enumerate(arrangement.tracks)
    ]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no staging left


def test_midi_parts_hold_the_notes(tmp_path):
    arrangement = song(style="trap", key="Ebm")
    project = write_project(arrangement, tmp_path)
    for path, track in zip(project.midi, arrangement.tracks, strict=True):
        midi = mido.MidiFile(path)
        assert midi.type == 1 and len(midi.tracks) == 2
        tempo = next(m for m in midi.tracks[0] if m.type == "set_tempo")
        assert round(mido.tempo2bpm(tempo.tempo), 3) == arrangement.bpm
        key = next(m for m in midi.tracks[0] if m.type == "key_signature")
        assert key.key == "Ebm"
        markers = [m.text for m in midi.tracks[0] if m.type == "marker"]
        assert markers == [s.name for s in arrangement.sections]
        ons = [m for m in midi.tracks[1] if m.type == "note_on"]
        assert len(ons) == track.note_count
        if track.role == "drums":
            assert {m.channel for m in ons} == {DRUM_CHANNEL}
        read = read_midi(path)
        expected = sorted(
            (c.start + n.start, n.pitch, n.velocity) for c in track.clips for n in c.notes
        )
        got = sorted(
            (c.start + n.start, n.pitch, n.velocity) for c in read.tracks[0].clips for n in c.notes
        )
        assert [(round(t, 3), p, v) for t, p, v in got] == [
            (round(t, 3), p, v) for t, p, v in expected
        ]
        assert read.key == "Ebm" and read.bpm == arrangement.bpm


def test_an_existing_project_is_never_overwritten(tmp_path):
    first = write_project(song(style="house", bpm=124, key="Am"), tmp_path)
    before = first.als.read_bytes()
    second = write_project(song(seed=2, style="house", bpm=124, key="Am"), tmp_path)
    third = write_project(song(seed=3, style="house", bpm=124, key="Am"), tmp_path)
    assert second.folder.name == "House 124 Am 2 Project"
    assert third.folder.name == "House 124 Am 3 Project"
    assert second.als.name == "House 124 Am 2.als"
    assert first.als.read_bytes() == before


def test_a_crash_while_writing_leaves_nothing_behind(tmp_path, monkeypatch):
    arrangement = song(style="techno", key="F#m")

    def exploding_rename(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(project_files.os, "rename", exploding_rename)
    with pytest.raises(OSError):
        write_project(arrangement, tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_a_crash_while_rendering_writes_nothing(tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(project_files, "als_bytes", broken)
    with pytest.raises(RuntimeError):
        write_project(song(style="techno", key="F#m"), tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_versions_sit_next_to_each_other(tmp_path):
    v1 = fresh_song(style="house", bpm=124, key="Am")
    project = write_project(v1, tmp_path)
    before = {p: p.read_bytes() for p in project.folder.rglob("*") if p.is_file()}
    v2 = fresh_song(style="house", bpm=128, key="Am")
    second = write_version(v2, project.folder, project.name, 2)
    assert second.als.name == "House 124 Am v2.als"
    assert read_als(second.als).bpm == 128
    assert {p: p.read_bytes() for p in before} == before  # v1 untouched
    with pytest.raises(FileExistsError):
        write_version(v2, project.folder, project.name, 2)


def test_unwritable_output_is_refused(tmp_path):
    blocker = tmp_path / "file.txt"
    blocker.write_text("not a folder")
    with pytest.raises(OSError):
        write_project(song(style="house", bpm=124, key="Am"), blocker)
    if os.geteuid() != 0:  # root can write anywhere
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        with pytest.raises(OSError):
            write_project(song(style="house", bpm=124, key="Am"), locked)


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("House 124 Am", "House 124 Am"),
        ("../../etc/passwd", "etc passwd"),
        ('a<b>c:"d"/e\\f|g?h*', "a b c d e f g h"),
        ("CON", "CON song"),
        ("   ...   ", "MusiaIA Song"),
        ("x" * 200, "x" * 80),
        ("Canción de Mayo", "Canción de Mayo"),
    ],
)
def test_safe_names(raw, expected):
    assert safe_name(raw) == expected


def test_atomic_write_replaces_whole_files(tmp_path, monkeypatch):
    target = tmp_path / "set.als"
    atomic_write_bytes(target, b"old")

    def failing_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(OSError):
        atomic_write_bytes(target, b"new content")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["set.als"]
