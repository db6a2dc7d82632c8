"""Shared test helpers: songs from the real engine, and the real Live sets in ../shared."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import alsconform
import pytest

from companion.arrangement import Arrangement
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
