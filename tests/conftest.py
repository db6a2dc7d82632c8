"""Shared test helpers: songs from the real engine, and the real Live sets in ../shared."""

from __future__ import annotations

import math
import os
import sys
import tempfile
import wave
from array import array
from functools import cache
from pathlib import Path

import pytest

import alsconform
from companion.arrangement import (
    Arrangement,
    AudioLoop,
    Clip,
    DrumPad,
    Instrument,
    SampleFile,
    Track,
)
from companion.music.compose import compose
from companion.music.resolve import resolve
from companion.requirements import Requirements

REPO = Path(__file__).resolve().parents[1]

# Commands the tests run (musiaia generate…) must never render MusiaIA's kit into a real Ableton
# User Library on a developer's machine.
os.environ.setdefault("MUSIAIA_KIT_DIR", str(Path(tempfile.gettempdir()) / "musiaia-tests-kit"))

needs_fixtures = pytest.mark.skipif(
    not alsconform.fixture_files(),
    reason=f"no real Live sets in {alsconform.VENDORED} nor {alsconform.FIXTURES}",
)


def needs_fixture(name: str) -> pytest.MarkDecorator:
    """For a test about one particular real set: most are only in ../shared (no licence to
    copy them here), so a clone without it skips the test and says why."""
    return pytest.mark.skipif(
        alsconform.fixture_path(name) is None,
        reason=f"{name} is only in ../shared/fixtures/als (absent here)",
    )


needs_inventory_tool = pytest.mark.skipif(
    not (alsconform.SHARED / "tools" / "als_inventory.py").is_file(),
    reason="../shared/tools/als_inventory.py is absent",
)


@cache
def song(seed: int = 1, **fields) -> Arrangement:
    """A song from the real engine; cached because many tests read the same few songs."""
    requirements = Requirements(**fields)
    return compose(resolve(requirements, seed))


def fresh_song(seed: int = 1, **fields) -> Arrangement:
    """A private copy (tests that mutate must not touch the cache)."""
    return song(seed, **fields).model_copy(deep=True)


# A spread of styles, meters and keys the writer and reader are exercised with.
SONG_CASES = [
    pytest.param(dict(style="house", bpm=124, key="Am"), id="house-124-Am"),
    pytest.param(dict(style="techno", key="F#m"), id="techno-F#m"),
    pytest.param(dict(style="trap", key="Ebm"), id="trap-Ebm"),
    pytest.param(dict(style="drum-and-bass"), id="dnb"),
    pytest.param(dict(style="pop", key="Db", bars=32), id="pop-Db-32bars"),
    pytest.param(dict(style="ambient", time_signature="3/4"), id="ambient-3/4"),
    pytest.param(dict(style="reggaeton", bpm=95.5), id="reggaeton-95.5"),
]


def sample_file(name: str, root: int = 60, frames: int = 22050) -> SampleFile:
    return SampleFile(
        path=f"Samples/Imported/{name}.wav",
        frames=frames,
        sample_rate=44100,
        root_note=root,
        size=frames * 2 + 44,
        crc=1234,
        mtime=1_700_000_000,
    )


def with_instruments(seed: int = 1, **fields) -> Arrangement:
    """A song whose tracks carry instruments: a Drum Rack for drums, Simplers for the rest."""
    arrangement = fresh_song(seed, **fields)
    kit = [
        (36, "Kick"),
        (37, "Rim"),
        (38, "Snare"),
        (39, "Clap"),
        (42, "Closed Hat"),
        (46, "Open Hat"),
    ]
    for track in arrangement.tracks:
        if track.role == "drums":
            pads = [
                DrumPad(
                    note=note,
                    name=name,
                    sample=sample_file(name),
                    choke_group=1 if note in (42, 46) else 0,
                )
                for note, name in kit
            ]
            track.instrument = Instrument(kind="drum_rack", name="MusiaIA Kit", pads=pads)
        else:
            track.instrument = Instrument(
                kind="simpler",
                name=track.name,
                sample=sample_file(f"{track.name} One Shot", 48),
                one_shot=track.role == "fx",
            )
    return arrangement


LOOP_PATH = "Samples/Imported/Drum Loop 100 BPM.wav"
LOOP_BPM = 100.0


def write_loop_wav(path: Path, bpm: float = LOOP_BPM, bars: int = 2, rate: int = 22050) -> Path:
    """A real 16-bit mono WAV (stdlib ``wave``): a short click on every beat of ``bars`` 4/4 bars
    at ``bpm``, so it is ``bars * 4`` beats long at its own tempo."""
    beat = 60 / bpm * rate
    samples = array("h", bytes(2 * round(bars * 4 * beat)))
    for index in range(bars * 4):
        start = round(index * beat)
        for offset in range(min(400, len(samples) - start)):
            level = 12000 * (1 - offset / 400)
            samples[start + offset] = int(level * math.sin(2 * math.pi * 880 * offset / rate))
    if sys.byteorder == "big":
        samples.byteswap()  # WAV is little-endian
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(samples.tobytes())
    return path


def loop_sample(project_dir: Path, relative: str = LOOP_PATH) -> SampleFile:
    """The SampleFile for a loop written into ``project_dir``, with its real facts."""
    from companion.sounds import crc16

    path = write_loop_wav(project_dir / relative)
    data = path.read_bytes()
    with wave.open(str(path)) as audio:
        frames, rate = audio.getnframes(), audio.getframerate()
    return SampleFile(
        path=relative,
        frames=frames,
        sample_rate=rate,
        size=len(data),
        crc=crc16(data),
        mtime=int(path.stat().st_mtime),
    )


def with_drum_loop(project_dir: Path, seed: int = 1, **fields) -> Arrangement:
    """A song with instruments plus a "Drum Loop" audio track (right after the drums) playing a
    real 2-bar WAV written into the project's Samples/Imported, in the sections with energy."""
    arrangement = with_instruments(seed, **fields)
    loop = AudioLoop(sample=loop_sample(project_dir), beats=8.0, bpm=LOOP_BPM)
    index = next(i for i, t in enumerate(arrangement.tracks) if t.role == "drums")
    clips = [
        Clip(
            name=section.name,
            start=arrangement.section_start_beat(section),
            length=section.bars * arrangement.beats_per_bar,
            section=number,
        )
        for number, section in enumerate(arrangement.sections)
        if section.energy >= 0.6
    ]
    assert clips, "the song needs a section with energy for the loop"
    color = arrangement.tracks[index].color
    track = Track(name="Drum Loop", role="drums", color=color, clips=clips, audio=loop)
    arrangement.tracks.insert(index + 1, track)
    return arrangement
