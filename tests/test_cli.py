"""The musiaia command end to end, in a subprocess, as a producer runs it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import alsconform
from companion.als.reader import read_als
from conftest import needs_fixture

FLAGSHIP = "Genera un track de house a 124 BPM en La menor"


def musiaia(*args: str, cwd: Path | None = None, env_extra: dict | None = None):
    env = {**os.environ, **(env_extra or {})}
    return subprocess.run(
        [sys.executable, "-m", "companion.cli", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=120,
        check=False,
    )


def test_generate_prints_the_project_and_a_summary(tmp_path):
    result = musiaia("generate", FLAGSHIP, "--seed", "42", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 2
    folder = Path(lines[0])
    assert folder == tmp_path / "House 124 Am Project"
    summary = dict(part.split("=", 1) for part in lines[1].split())
    assert summary["style"] == "house" and summary["bpm"] == "124" and summary["key"] == "Am"
    assert summary["seed"] == "42"
    arrangement = read_als(folder / "House 124 Am.als")
    assert int(summary["bars"]) == arrangement.bars
    assert int(summary["tracks"]) == len(arrangement.tracks) >= 5
    assert int(summary["notes"]) == arrangement.note_count > 0
    assert arrangement.bpm == 124 and arrangement.key == "Am"


def test_live_12_schema_on_request(tmp_path):
    result = musiaia(
        "generate",
        "techno oscuro en Fa menor",
        "--seed",
        "1",
        "--out",
        str(tmp_path),
        "--live-version",
        "12",
    )
    assert result.returncode == 0, result.stderr
    folder = Path(result.stdout.splitlines()[0])
    als = next(folder.glob("*.als"))
    root = alsconform.load_xml(als)
    assert root.get("MinorVersion").startswith("12.") and root.find("LiveSet/MainTrack") is not None
    assert read_als(als).key == "Fm"


def test_same_seed_same_bytes_other_seed_other_song(tmp_path):
    """Same request, seed and destination: the same files, byte for byte. (The set records
    where its samples are, so the destination is part of "the same".)"""
    out = tmp_path / "out"
    env = {"MUSIAIA_DATA_DIR": str(tmp_path / "data")}
    runs = []
    for number, seed in enumerate(("5", "5", "6")):
        result = musiaia(
            "generate", "deep house melancólico", "--seed", seed, "--out", str(out), env_extra=env
        )
        assert result.returncode == 0, result.stderr
        folder = Path(result.stdout.splitlines()[0])
        runs.append(
            {
                p.relative_to(folder): p.read_bytes()
                for p in sorted(folder.rglob("*"))
                if p.is_file()
            }
        )
        folder.rename(tmp_path / f"moved {number}")  # free the name for the next run
    assert runs[0] == runs[1]
    assert any(path.parts[:2] == ("Samples", "Imported") for path in runs[0])
    assert runs[0] != runs[2]


@pytest.mark.parametrize(
    "args,message",
    [
        (["generate", ""], "empty request"),
        (["generate", "   "], "empty request"),
        (["generate", "techno a 2000 bpm"], "outside"),
        (["generate", "house a 10 bpm"], "outside"),
        (["generate", "hola, ¿qué tal?"], "does not describe a track"),
        (["generate", "house", "--live-version", "10"], "invalid choice"),
        (["generate", "house", "--seed", "-3"], "seed"),
        (["parse", ""], "empty request"),
        (["analyze", "/nonexistent/song.als"], "no such file"),
        (["frobnicate"], "invalid choice"),
    ],
)
def test_bad_input_is_one_clear_line_and_exit_2(tmp_path, args, message):
    out = tmp_path / "out"
    extra = ["--out", str(out)] if args[0] == "generate" else []
    result = musiaia(*args, *extra)
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.stderr
    assert not out.exists() or not any(out.iterdir())


def test_unwritable_output_folder(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    result = musiaia("generate", FLAGSHIP, "--out", str(blocker / "sub"))
    assert result.returncode == 2
    assert "cannot write" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert blocker.read_text() == "x"


def test_default_output_goes_to_the_data_folder(tmp_path):
    result = musiaia(
        "generate",
        "lo-fi relajado",
        "--seed",
        "3",
        env_extra={"MUSIAIA_DATA_DIR": str(tmp_path / "data")},
    )
    assert result.returncode == 0, result.stderr
    assert Path(result.stdout.splitlines()[0]).parent == tmp_path / "data" / "projects"


def test_parse_prints_exactly_the_requirement_keys():
    result = musiaia("parse", FLAGSHIP)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert list(data) == [
        "intent",
        "style",
        "bpm",
        "key",
        "bars",
        "mood",
        "time_signature",
        "include",
        "exclude",
    ]
    assert data == {
        "intent": "generate_project",
        "style": "house",
        "bpm": 124,
        "key": "Am",
        "bars": None,
        "mood": None,
        "time_signature": None,
        "include": [],
        "exclude": [],
    }


def test_analyze_our_set_and_its_midi(tmp_path):
    generated = musiaia("generate", FLAGSHIP, "--seed", "9", "--out", str(tmp_path))
    folder = Path(generated.stdout.splitlines()[0])
    result = musiaia("analyze", str(folder / "House 124 Am.als"), "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["checks"] and all(check["passed"] for check in report["checks"]), report
    heard = report["listening"]  # the render's measures, next to the note metrics
    assert heard["integrated_lufs"] < 0 and heard["true_peak_dbtp"] >= heard["sample_peak_dbfs"]
    assert {p["name"] for p in heard["parts"]} == {
        *("Kick", "Snare", "Drums"),  # the kit, mixed on three tracks
        *("Bass", "Chords", "Pads", "Lead", "FX"),
    }
    assert abs(heard["tempo_bpm"] - 124) < 2
    text = musiaia("analyze", str(folder), "--section", "Drop 1")
    assert text.returncode == 0 and "in key" in text.stdout.lower(), text.stderr
    assert "Listening (31.0 s rendered)" in text.stdout and "LUFS" in text.stdout
    midi = next((folder / "MIDI" / "House 124 Am").glob("*Bass.mid"))
    assert musiaia("analyze", str(midi)).returncode == 0


@needs_fixture("maranedah__pyableton__evasiva.als")
def test_analyze_a_set_saved_by_live():
    path = alsconform.fixture_path("maranedah__pyableton__evasiva.als")
    result = musiaia("analyze", str(path), "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["checks"] is not None


def test_analyze_rejects_other_files(tmp_path):
    bogus = tmp_path / "song.als"
    bogus.write_bytes(b"this is not a live set")
    result = musiaia("analyze", str(bogus))
    assert result.returncode == 2 and "not valid XML" in result.stderr
    text = tmp_path / "notes.txt"
    text.write_text("hello")
    assert musiaia("analyze", str(text)).returncode == 2


def test_render_a_project_to_audio_files(tmp_path):
    import soundfile

    generated = musiaia("generate", FLAGSHIP, "--seed", "9", "--out", str(tmp_path))
    folder = Path(generated.stdout.splitlines()[0])
    flac = tmp_path / "preview.flac"
    result = musiaia("render", str(folder), "--seconds", "3", "--out", str(flac))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == str(flac)
    info = soundfile.info(flac)
    assert (info.format, info.samplerate, info.channels, info.frames) == ("FLAC", 44100, 2, 132300)
    # By default the file goes next to the set, named after it.
    als = folder / "House 124 Am.als"
    result = musiaia("render", str(als), "--section", "drop 1", "--seconds", "2")
    assert result.returncode == 0, result.stderr
    assert soundfile.info(folder / "House 124 Am.wav").frames == 2 * 44100
    data, _ = soundfile.read(folder / "House 124 Am.wav")
    assert abs(data).max() > 0.1  # the drop plays


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--out", "{tmp}/x.ogg"], "choose a .wav, .flac or .mp3"),
        (["--section", "Chorus 9"], "no section named 'Chorus 9'"),
        (["--seconds", "-1"], "positive"),
        (["--out", "{tmp}/no/such/dir/x.wav"], "no such folder"),
    ],
)
def test_render_bad_input_is_one_line_and_writes_nothing(tmp_path, args, message):
    project = tmp_path / "p"
    generated = musiaia("generate", FLAGSHIP, "--seed", "9", "--out", str(project))
    folder = Path(generated.stdout.splitlines()[0])
    before = sorted(p.name for p in tmp_path.rglob("*"))
    result = musiaia("render", str(folder), *[a.format(tmp=tmp_path) for a in args])
    assert result.returncode == 2 and result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.stderr
    assert sorted(p.name for p in tmp_path.rglob("*")) == before


def test_render_refuses_what_is_not_a_set(tmp_path):
    assert "no such file or folder" in musiaia("render", str(tmp_path / "nope")).stderr
    (tmp_path / "empty").mkdir()
    assert "holds no Live set" in musiaia("render", str(tmp_path / "empty")).stderr
    bogus = tmp_path / "song.als"
    bogus.write_bytes(b"not gzip, not xml")
    result = musiaia("render", str(bogus))
    assert result.returncode == 2 and "not valid XML" in result.stderr


def test_generate_indexes_the_producers_library_itself(tmp_path):
    """`musiaia generate` with MUSIAIA_SAMPLE_DIRS and no server ever run: the command indexes
    the folders itself, incrementally, and the producer's own kick plays (issue 12)."""
    import numpy as np

    from sampleaudio import write_sf

    library = tmp_path / "My Samples"
    t = np.arange(int(0.4 * 44100)) / 44100
    body = np.sin(2 * np.pi * np.cumsum(50 + 110 * np.exp(-t / 0.04)) / 44100) * np.exp(-t / 0.15)
    write_sf(library / "Drums" / "House Kick Producer 01.wav", 0.8 * body)
    env = {
        "MUSIAIA_DATA_DIR": str(tmp_path / "data"),
        "MUSIAIA_KIT_DIR": str(tmp_path / "kit"),
        "MUSIAIA_SAMPLE_DIRS": str(library),
    }

    def generate_into(out: str):
        folder = str(tmp_path / out)
        return musiaia("generate", FLAGSHIP, "--seed", "3", "--out", folder, env_extra=env)

    def kick_of(run, out: str) -> str:
        assert run.returncode == 0, run.stderr
        arrangement = read_als(next((tmp_path / out).glob("*/*.als")))
        drums = next(t for t in arrangement.tracks if t.role == "drums")
        return next(p.sample.path for p in drums.instrument.pads if p.note == 36)

    first = musiaia(
        "generate", FLAGSHIP, "--seed", "3", "--out", str(tmp_path / "a"), env_extra=env
    )
    assert kick_of(first, "a") == "Samples/Imported/House Kick Producer 01.wav"
    assert "sample library: 1 new, 0 changed, 0 removed" in first.stderr
    # Incremental: nothing changed, nothing read again (and nothing to report).
    second = musiaia(
        "generate", FLAGSHIP, "--seed", "3", "--out", str(tmp_path / "b"), env_extra=env
    )
    assert kick_of(second, "b") == "Samples/Imported/House Kick Producer 01.wav"
    assert "sample library" not in second.stderr
    write_sf(library / "Drums" / "House Snare Producer 01.wav", 0.5 * body[:8000])
    third = musiaia(
        "generate", FLAGSHIP, "--seed", "3", "--out", str(tmp_path / "c"), env_extra=env
    )
    assert third.returncode == 0 and "sample library: 1 new, 0 changed" in third.stderr
