"""Shared test helpers: songs from the real engine, and the real Live sets in ../shared."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

import alsconform
from companion.arrangement import Arrangement, DrumPad, Instrument, SampleFile
from companion.music.compose import compose
from companion.music.resolve import resolve
from companion.requirements import Requirements

REPO = Path(__file__).resolve().parents[1]

needs_fixtures = pytest.mark.skipif(
    not alsconform.fixture_files(),
    reason=f"real Live sets not found in {alsconform.FIXTURES} (../shared is absent)",
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
