"""The library index on real files and a real SQLite database."""

from __future__ import annotations

import logging
import os
import time

import pytest
from sqlalchemy import create_engine, select, text

import sampleaudio as sa
from companion.db import Database, Sample, upgrade_samples_table
from companion.samples.audio_info import read_audio_info
from companion.samples.index import SampleIndex, ScanReport, file_sha256, walk_library


@pytest.fixture
def db_url(tmp_path):
    return f"sqlite:///{tmp_path / 'musiaia.db'}"


@pytest.fixture
def database(db_url):
    database = Database(db_url)
    database.create_schema()
    yield database
    database.dispose()


def rows(database: Database) -> dict[str, dict]:
    with database.engine.connect() as connection:
        result = connection.execute(select(Sample.__table__))
        return {os.path.basename(r.path): dict(r._mapping) for r in result}


def make_library(root):
    """A small library in the shapes packs come in."""
    sa.write_wav(root / "Drums" / "Kicks" / "Kick_01.wav", sa.tone(60, 0.4))
    sa.write_wav(root / "Drums" / "Kicks" / "Kick_02.wav", sa.tone(55, 0.4), bits=24)
    sa.write_sf(root / "Drums" / "Snare_Tight.aif", sa.tone(200, 0.3))
    sa.write_sf(root / "Drums" / "Hats" / "Closed Hat 1.flac", sa.tone(8000, 0.1, channels=2))
    sa.write_wav(
        root / "Loops" / "Bass_Loop_124_Am.wav",
        sa.tone(110, 240 / 124 * 2),
        acid=sa.acid_body(one_shot=False, beats=8, tempo=124.0),
    )
    sa.write_wav(root / "808_Gritty_E.wav", sa.tone(41.2, 1.0), smpl=sa.smpl_body(40))
    (root / "notes.wav").write_text("not audio at all")
    (root / "empty.wav").write_bytes(b"")
    (root / "readme.txt").write_text("ignored: not an audio extension")
    (root / ".hidden.wav").write_bytes(sa.wav_bytes(sa.tone()))
    (root / "Kick_01.asd").write_bytes(b"ableton analysis file")


def counting_reader():
    calls: list[str] = []

    def reader(path):
        calls.append(os.path.basename(path))
        return read_audio_info(path)

    return reader, calls


def test_first_scan_indexes_audio_and_records_bad_files(tmp_path, database, caplog):
    library = tmp_path / "lib"
    make_library(library)
    index = SampleIndex(database, [library])
    with caplog.at_level(logging.WARNING, logger="companion.samples.index"):
        report = index.scan()
    assert report.added == 8 and report.removed == 0
    assert sorted(s.path.rsplit("/", 1)[-1] for s in report.skipped) == ["empty.wav", "notes.wav"]
    assert "notes.wav" in caplog.text and "empty" in caplog.text
    stored = rows(database)
    assert ".hidden.wav" not in stored and "readme.txt" not in stored
    assert stored["notes.wav"]["error"].startswith("not a WAV")
    assert stored["empty.wav"]["error"] == "empty file (0 bytes)"
    kick = stored["Kick_01.wav"]
    assert kick["kind"] == "kick" and not kick["is_loop"] and kick["error"] is None
    assert kick["duration"] == pytest.approx(0.4, abs=1e-3)
    assert (kick["sample_rate"], kick["channels"], kick["bit_depth"]) == (44100, 1, 16)
    assert kick["size"] == (library / "Drums" / "Kicks" / "Kick_01.wav").stat().st_size
    assert kick["root"] == str(library.resolve())
    assert stored["Kick_02.wav"]["bit_depth"] == 24
    assert stored["Snare_Tight.aif"]["format"] == "aiff"
    hat = stored["Closed Hat 1.flac"]
    assert (hat["kind"], hat["format"], hat["channels"]) == ("closed_hat", "flac", 2)
    loop = stored["Bass_Loop_124_Am.wav"]
    assert (loop["kind"], loop["is_loop"], loop["bpm"], loop["key"]) == ("bass", True, 124, "Am")
    assert loop["bars"] == pytest.approx(2.0, abs=0.01)
    eight = stored["808_Gritty_E.wav"]
    assert (eight["kind"], eight["root_note"]) == ("808", 40)
    assert all(r["sha256"] is None for r in stored.values())  # hashed lazily


def test_rescan_reads_only_changed_files(tmp_path, database):
    library = tmp_path / "lib"
    make_library(library)
    reader, calls = counting_reader()
    index = SampleIndex(database, [library], reader=reader)
    index.scan()
    assert len(calls) == 8 and index.reads == 8
    calls.clear()

    second = index.scan()
    assert calls == [] and second.changed == 0 and second.unchanged == 8

    changed = library / "Drums" / "Kicks" / "Kick_02.wav"
    sa.write_wav(changed, sa.tone(50, 0.9))
    new_time = time.time() + 5
    os.utime(changed, (new_time, new_time))
    sa.write_wav(library / "Drums" / "Kicks" / "Kick_03.wav", sa.tone(70, 0.3))
    (library / "notes.wav").write_bytes(sa.wav_bytes(sa.tone()))  # the bad file got fixed
    third = index.scan()
    assert sorted(calls) == ["Kick_02.wav", "Kick_03.wav", "notes.wav"]
    assert (third.added, third.updated, third.removed) == (1, 2, 0)
    stored = rows(database)
    assert stored["Kick_02.wav"]["duration"] == pytest.approx(0.9, abs=1e-3)
    assert stored["notes.wav"]["error"] is None


def test_deleted_files_and_folders_lose_their_rows(tmp_path, database):
    library = tmp_path / "lib"
    make_library(library)
    index = SampleIndex(database, [library])
    index.scan()
    (library / "808_Gritty_E.wav").unlink()
    for path in sorted((library / "Drums").rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()
    (library / "Drums").rmdir()
    report = index.scan()
    assert report.removed == 5
    assert set(rows(database)) == {"Bass_Loop_124_Am.wav", "notes.wav", "empty.wav"}


def test_unavailable_folder_keeps_its_rows(tmp_path, database):
    library = tmp_path / "drive"
    make_library(library)
    SampleIndex(database, [library]).scan()
    library.rename(tmp_path / "unplugged")
    index = SampleIndex(database, [library])
    report = index.scan()
    assert report.unavailable_roots == [str(library.resolve())]
    assert report.removed == 0 and len(rows(database)) == 8
    assert index.update_paths([library]).removed == 0  # the watcher saw the folder vanish


def test_index_survives_a_restart(tmp_path, db_url):
    library = tmp_path / "lib"
    make_library(library)
    first = Database(db_url)
    first.create_schema()
    SampleIndex(first, [library]).scan()
    before = rows(first)
    first.dispose()

    reopened = Database(db_url)
    reopened.create_schema()
    reader, calls = counting_reader()
    report = SampleIndex(reopened, [library], reader=reader).scan()
    assert calls == [] and report.unchanged == 8 and report.changed == 0
    assert rows(reopened) == before
    reopened.dispose()


def test_other_folders_rows_are_left_alone(tmp_path, database):
    one, two = tmp_path / "one", tmp_path / "two"
    sa.write_wav(one / "Kick.wav", sa.tone())
    sa.write_wav(two / "Snare.wav", sa.tone())
    SampleIndex(database, [one]).scan()
    SampleIndex(database, [two]).scan()
    assert set(rows(database)) == {"Kick.wav", "Snare.wav"}


def test_nested_folders_are_walked_once(tmp_path, database):
    library = tmp_path / "lib"
    sa.write_wav(library / "Drums" / "Kick.wav", sa.tone())
    index = SampleIndex(database, [library, library / "Drums", library])
    assert index.roots == (library.resolve(),)
    assert index.scan().added == 1


def test_symlink_loops_do_not_hang(tmp_path, database):
    library = tmp_path / "lib"
    sa.write_wav(library / "a" / "Kick.wav", sa.tone())
    os.symlink(library, library / "a" / "loop")
    assert SampleIndex(database, [library]).scan().added == 1


def test_extensionless_files_are_sniffed(tmp_path, database):
    library = tmp_path / "lib"
    library.mkdir()
    (library / "Kick_Old_Mac").write_bytes(sa.wav_bytes(sa.tone()))
    (library / "LICENSE").write_text("MIT")
    SampleIndex(database, [library]).scan()
    assert set(rows(database)) == {"Kick_Old_Mac"}


def test_update_paths_handles_files_and_folders(tmp_path, database):
    library = tmp_path / "lib"
    make_library(library)
    index = SampleIndex(database, [library])
    index.scan()
    new = sa.write_wav(library / "New" / "Clap_01.wav", sa.tone())
    report = index.update_paths([library / "New"])
    assert report.added == 1 and "Clap_01.wav" in rows(database)
    new.rename(library / "Clap_Moved.wav")
    report = index.update_paths([new, library / "Clap_Moved.wav"])
    assert (report.added, report.removed) == (1, 1)
    stored = rows(database)
    assert "Clap_Moved.wav" in stored and "Clap_01.wav" not in stored
    report = index.update_paths([tmp_path / "elsewhere" / "x.wav"])  # outside: ignored
    assert report.changed == 0


def test_analysis_fills_tempo_root_and_key(tmp_path, database):
    library = tmp_path / "lib"
    sa.write_wav(library / "Loops" / "Groove_Dusty.wav", sa.drum_loop(90, 2, "boombap"))
    sa.write_wav(library / "Synth_Bass_E.wav", sa.tone(82.41, 1.0))  # E2 = MIDI 40
    sa.write_wav(library / "Lead_Glass.wav", sa.tone(523.25, 1.0))  # C5 = MIDI 72
    sa.write_wav(library / "Kick_Hard.wav", sa.tone(50, 0.3))
    index = SampleIndex(database, [library])
    index.scan()
    stored = rows(database)
    assert stored["Groove_Dusty.wav"]["is_loop"] and stored["Groove_Dusty.wav"]["bpm"] is None
    assert not stored["Groove_Dusty.wav"]["analyzed"]
    assert stored["Kick_Hard.wav"]["analyzed"]  # nothing to learn from a kick's audio
    assert index.analyze_pending() == 3
    assert index.decodes == 3
    stored = rows(database)
    groove = stored["Groove_Dusty.wav"]
    assert groove["bpm"] == pytest.approx(90, abs=1) and groove["bpm_source"] == "audio"
    assert groove["bars"] == pytest.approx(2.0, abs=0.05)
    assert stored["Synth_Bass_E.wav"]["root_note"] == 40
    assert stored["Lead_Glass.wav"]["root_note"] == 72
    assert index.analyze_pending() == 0  # resumable: nothing left


def test_sha256_is_computed_lazily_and_stored(tmp_path, database):
    library = tmp_path / "lib"
    path = sa.write_wav(library / "Kick.wav", sa.tone())
    index = SampleIndex(database, [library])
    index.scan()
    sample_id = rows(database)["Kick.wav"]["id"]
    assert index.sha256(sample_id) == file_sha256(path)
    assert rows(database)["Kick.wav"]["sha256"] == file_sha256(path)
    assert index.sha256(999_999) is None


def test_a_crashing_reader_does_not_stop_the_scan(tmp_path, database):
    library = tmp_path / "lib"
    sa.write_wav(library / "Kick.wav", sa.tone())
    sa.write_wav(library / "Snare.wav", sa.tone())

    def flaky(path):
        if path.name == "Kick.wav":
            raise MemoryError("boom")
        return read_audio_info(path)

    report = SampleIndex(database, [library], reader=flaky).scan()
    assert report.added == 2
    assert rows(database)["Kick.wav"]["error"] == "unexpected error (MemoryError)"


def test_upgrade_adds_missing_columns_to_an_old_database(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(
            text(
                "CREATE TABLE samples (id INTEGER PRIMARY KEY, path TEXT UNIQUE, size INTEGER, "
                "mtime FLOAT, sha256 VARCHAR(64), kind VARCHAR(32), is_loop BOOLEAN, bpm FLOAT, "
                "key VARCHAR(8), duration FLOAT, sample_rate INTEGER, channels INTEGER, "
                "tags JSON, indexed_at DATETIME)"
            )
        )
        connection.execute(text("INSERT INTO samples (path, size, mtime) VALUES ('/x.wav', 1, 1)"))
        upgrade_samples_table(connection)
        upgrade_samples_table(connection)  # idempotent
        columns = {row[1] for row in connection.execute(text("PRAGMA table_info(samples)"))}
        assert {"root", "root_note", "error", "analyzed", "subtype", "bars"} <= columns
        assert connection.execute(text("SELECT analyzed FROM samples")).scalar_one() == 0
    engine.dispose()


def test_musiaias_kit_inside_the_library_is_not_indexed(tmp_path, database):
    """The kit lives in the User Library's Samples folder (so Live's browser finds it); the
    library index must not count it again, by scan or by watcher event."""
    library = tmp_path / "Samples"
    sa.write_wav(library / "Drums" / "Kick_01.wav", sa.tone(60, 0.4))
    kit = library / "MusiaIA Kit"
    sa.write_wav(kit / "MusiaIA_Kick_Deep.wav", sa.tone(55, 0.4))
    index = SampleIndex(database, [library])
    index.scan()
    assert set(rows(database)) == {"Kick_01.wav"}
    sa.write_wav(kit / "MusiaIA_Snare_Tight.wav", sa.tone(200, 0.3))
    index.update_paths([kit / "MusiaIA_Snare_Tight.wav", kit])
    sa.write_wav(library / "Drums" / "Kick_02.wav", sa.tone(55, 0.4))
    index.update_paths([library / "Drums" / "Kick_02.wav"])
    assert set(rows(database)) == {"Kick_01.wav", "Kick_02.wav"}


# --- files a set cannot use (issue 11, finding 1) ---------------------------------------------


@pytest.fixture(scope="module")
def long_files(tmp_path_factory):
    """Real long files: five hours of silence and forty minutes of kicks, both named as loops,
    and the forty minutes again named as a one-shot."""
    folder = tmp_path_factory.mktemp("long")
    five_hours = sa.write_long_flac(folder / "drum loop 120 bpm.flac", 5 * 3600)
    forty = sa.write_long_flac(folder / "Top Loop 124 bpm.flac", 40 * 60, bpm=124)
    return {"five_hours": five_hours, "forty": forty}


def test_files_a_set_cannot_use_are_indexed_as_unusable_with_the_reason(
    tmp_path, database, long_files, caplog
):
    library = tmp_path / "lib"
    library.mkdir()
    for path in long_files.values():
        os.link(path, library / path.name)
    os.link(long_files["forty"], library / "Kick_Forty_Minutes.flac")
    sa.write_wav(library / "Kick_Six_Channels.wav", sa.tone(60, 0.4, channels=6))
    sa.write_wav(library / "Kick_Telephone.wav", sa.tone(60, 0.4, rate=4000), rate=4000)
    sa.write_wav(library / "Kick_Fine.wav", sa.tone(60, 0.4))
    with caplog.at_level(logging.WARNING, logger="companion.samples.index"):
        report = SampleIndex(database, [library]).scan()
    found = rows(database)
    assert found["drum loop 120 bpm.flac"]["unusable"] == (
        "5 h long (36000 beats at 120 BPM), a loop can be at most 512 beats"
    )
    assert "40 min long (4960 beats at 124 BPM)" in found["Top Loop 124 bpm.flac"]["unusable"]
    assert "a one-shot can be at most 60 s" in found["Kick_Forty_Minutes.flac"]["unusable"]
    assert "6 channels" in found["Kick_Six_Channels.wav"]["unusable"]
    assert "4000 Hz" in found["Kick_Telephone.wav"]["unusable"]
    assert found["Kick_Fine.wav"]["unusable"] is None
    # Readable, so its facts are kept (the library lists it, with the reason) …
    assert found["drum loop 120 bpm.flac"]["error"] is None
    assert found["drum loop 120 bpm.flac"]["is_loop"] and found["drum loop 120 bpm.flac"]["bpm"]
    # … logged once each, and reported.
    assert {os.path.basename(s.path) for s in report.unusable} == set(found) - {"Kick_Fine.wav"}
    logged = [r.getMessage() for r in caplog.records if "sample unusable" in r.getMessage()]
    assert len(logged) == 5 and any("36000 beats" in line for line in logged)


def test_a_loop_whose_tempo_analysis_reveals_too_many_beats_becomes_unusable(tmp_path, database):
    """No BPM in the name: usable until the analysis learns the tempo, then 620 beats."""
    library = tmp_path / "lib"
    sa.write_sf(
        library / "Loops" / "Drum Loop Long.wav",
        sa.drum_loop(124, bars=155, rate=11025),
        rate=11025,
    )
    index = SampleIndex(database, [library])
    index.scan()
    assert rows(database)["Drum Loop Long.wav"]["unusable"] is None
    assert index.analyze_pending() == 1
    row = rows(database)["Drum Loop Long.wav"]
    assert row["bpm"] == pytest.approx(124, abs=1)
    assert "a loop can be at most 512 beats" in row["unusable"]


# --- whose files (issue 11, finding 5) ---------------------------------------------------------


def test_uploads_belong_to_the_account_named_by_their_folder(tmp_path, database):
    library, uploads = tmp_path / "lib", tmp_path / "data" / "uploads"
    sa.write_wav(library / "Kick_Shared.wav", sa.tone(60, 0.4))
    sa.write_wav(uploads / "7" / "Kick_Seven.wav", sa.tone(61, 0.4))
    sa.write_wav(uploads / "12" / "Sub" / "Kick_Twelve.wav", sa.tone(62, 0.4))
    sa.write_wav(uploads / "Kick_Loose.wav", sa.tone(63, 0.4))  # from before uploads had owners
    sa.write_wav(uploads / "abc" / "Kick_Odd.wav", sa.tone(64, 0.4))
    # A link in the shared library into someone's uploads does not make their file shared.
    os.symlink(uploads / "7" / "Kick_Seven.wav", library / "Kick_Linked.wav")
    SampleIndex(database, [library, uploads], uploads=uploads).scan()
    owners = {name: row["owner_id"] for name, row in rows(database).items()}
    assert owners == {
        "Kick_Shared.wav": None,
        "Kick_Seven.wav": 7,
        "Kick_Twelve.wav": 12,
        "Kick_Loose.wav": 0,
        "Kick_Odd.wav": 0,
        "Kick_Linked.wav": 7,
    }
    ids = [row["public_id"] for row in rows(database).values()]
    assert len(set(ids)) == len(ids) and all(len(i) >= 20 and not i.isdigit() for i in ids)


def test_a_data_folder_inside_the_library_keeps_uploads_private(tmp_path, database):
    """MUSIAIA_SAMPLE_DIRS naming a folder that holds the uploads (the whole data folder)."""
    data = tmp_path / "data"
    uploads = data / "samples" / "uploads"
    sa.write_wav(uploads / "3" / "Kick_Three.wav", sa.tone(60, 0.4))
    index = SampleIndex(database, [data, uploads], uploads=uploads)
    assert index.roots == (data.resolve(),)
    index.scan()
    assert rows(database)["Kick_Three.wav"]["owner_id"] == 3


def test_two_indexers_at_once_never_fail_on_the_same_new_file(tmp_path, database):
    """The server and `musiaia generate` index the same library: both may see a file as new."""
    library = tmp_path / "lib"
    make_library(library)
    server, command_line = SampleIndex(database, [library]), SampleIndex(database, [library])
    stale = {}  # what the command line read before the server wrote its rows
    server.scan()
    before = rows(database)
    report = ScanReport()
    command_line._sync(
        ((s, library.resolve()) for s in walk_library(library.resolve())), stale, report, set()
    )
    after = rows(database)
    assert set(after) == set(before) and report.added == len(before)
    assert {n: r["public_id"] for n, r in after.items()} == {
        n: r["public_id"] for n, r in before.items()
    }  # the rows were updated in place, not replaced


# --- layers ------------------------------------------------------------------------------------


def test_the_database_layer_imports_nothing_from_the_sample_library():
    """companion.db is a lower layer: companion.samples.index imports it, never the reverse (it
    used to, lazily, for a migration), and nothing it imports from companion imports it back."""
    import ast
    import importlib
    import inspect as pyinspect

    def imports(module_name: str) -> set[str]:
        """Modules imported at run time (imports for type checkers only make no cycle)."""
        tree = ast.parse(pyinspect.getsource(importlib.import_module(module_name)))
        for node in ast.walk(tree):
            if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING":
                node.body = []
        return {
            node.module if isinstance(node, ast.ImportFrom) else alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.Import | ast.ImportFrom)
            for alias in node.names
        }

    below = {name for name in imports("companion.db") if name and name.startswith("companion.")}
    assert not {name for name in below if name.startswith("companion.samples")}
    for name in below:  # no cycle: what the database layer uses never uses it
        assert "companion.db" not in imports(name), name
