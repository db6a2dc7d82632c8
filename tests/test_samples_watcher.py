"""The watcher keeps the index live: created, moved and deleted files show up in the database.

Assertions poll the database with a generous timeout; nothing here asserts on speed.
"""

from __future__ import annotations

import os
import shutil
import time

import pytest
from sqlalchemy import select

import sampleaudio as sa
from companion.db import Database, Sample
from companion.samples.index import SampleIndex
from companion.samples.watcher import LibraryWatcher, relevant

TIMEOUT = 20.0


@pytest.fixture
def database(tmp_path):
    database = Database(f"sqlite:///{tmp_path / 'musiaia.db'}")
    database.create_schema()
    yield database
    database.dispose()


def names(database: Database) -> set[str]:
    with database.engine.connect() as connection:
        return {os.path.basename(p) for p in connection.execute(select(Sample.path)).scalars()}


def wait_for(condition, timeout: float = TIMEOUT) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


@pytest.mark.parametrize("polling", [False, True], ids=["native", "polling"])
def test_created_moved_and_deleted_files_are_reflected(tmp_path, database, polling):
    library = tmp_path / "lib"
    sa.write_wav(library / "Kick_01.wav", sa.tone())
    index = SampleIndex(database, [library])
    index.scan()
    changes = []
    with LibraryWatcher(index, debounce=0.1, polling=polling, on_change=changes.append):
        sa.write_wav(library / "Drums" / "Snare_01.wav", sa.tone())
        assert wait_for(lambda: "Snare_01.wav" in names(database))

        os.rename(library / "Drums" / "Snare_01.wav", library / "Clap_01.wav")
        assert wait_for(lambda: names(database) == {"Kick_01.wav", "Clap_01.wav"})

        (library / "Kick_01.wav").unlink()
        assert wait_for(lambda: names(database) == {"Clap_01.wav"})

        # A whole folder moved in, then deleted.
        outside = tmp_path / "incoming"
        sa.write_wav(outside / "Pack" / "Hat_01.wav", sa.tone())
        sa.write_wav(outside / "Pack" / "Hat_02.wav", sa.tone())
        shutil.move(str(outside / "Pack"), str(library / "Pack"))
        assert wait_for(lambda: {"Hat_01.wav", "Hat_02.wav"} <= names(database))
        shutil.rmtree(library / "Pack")
        assert wait_for(lambda: names(database) == {"Clap_01.wav"})
    assert changes and all(report.changed for report in changes)


def test_new_loop_gets_analysed(tmp_path, database):
    library = tmp_path / "lib"
    library.mkdir()
    index = SampleIndex(database, [library])
    index.scan()
    with LibraryWatcher(index, debounce=0.1):
        sa.write_wav(library / "Loops" / "Groove_Dusty.wav", sa.drum_loop(124, 2, "house"))

        def tempo() -> float | None:
            with database.engine.connect() as connection:
                return connection.execute(select(Sample.bpm)).scalar()

        assert wait_for(lambda: tempo() is not None)
        assert tempo() == pytest.approx(124, abs=1)


def test_hidden_and_foreign_files_are_ignored_and_stop_is_clean(tmp_path, database):
    library = tmp_path / "lib"
    library.mkdir()
    index = SampleIndex(database, [library])
    watcher = LibraryWatcher(index, debounce=0.1).start()
    (library / ".upload-123.part").write_bytes(sa.wav_bytes(sa.tone()))
    (library / "notes.txt").write_text("hello")
    sa.write_wav(library / "Kick.wav", sa.tone())
    assert wait_for(lambda: names(database) == {"Kick.wav"})
    watcher.stop()
    watcher.stop()  # idempotent
    sa.write_wav(library / "Late.wav", sa.tone())
    time.sleep(0.5)
    assert "Late.wav" not in names(database)


def test_relevance_filter():
    assert relevant("/lib/Kick.WAV", False)
    assert relevant("/lib/Folder", True)
    assert not relevant("/lib/.Kick.wav", False)
    assert not relevant("/lib/Kick.asd", False)


def test_missing_root_does_not_break_start(tmp_path, database):
    index = SampleIndex(database, [tmp_path / "not-there"])
    with LibraryWatcher(index) as watcher:
        assert watcher.batches == 0
