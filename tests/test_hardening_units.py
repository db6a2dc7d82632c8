"""The pieces behind the server hardening (issue 11), on their own: failure backoff, account
folders, rebuilding a set's configuration, full-disk detection and the start-up tidy."""

from __future__ import annotations

import errno
import os
import sqlite3
import subprocess
import sys

import pytest
from sqlalchemy.exc import OperationalError

from companion.datadir import pid_alive, remove_leftovers
from companion.music.compose import compose
from companion.music.resolve import resolve
from companion.requirements import Adjustments, Requirements
from companion.server.security import Backoff
from companion.services.recovery import rebuild_spec
from companion.storage import is_disk_full
from companion.user_folders import choose_folder


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


# ----------------------------------------------------------------------------- backoff
def test_backoff_lets_the_free_failures_through_then_doubles_up_to_the_cap():
    clock = Clock()
    backoff = Backoff(free=3, base=2.0, cap=10.0, forget=100.0, clock=clock)
    for _ in range(3):
        assert backoff.acquire("k") == 0
        backoff.release("k", failed=True)
    waits = []
    for _ in range(4):
        wait = backoff.acquire("k")
        waits.append(wait)
        clock.now += wait  # wait as told, then fail again
        assert backoff.acquire("k") == 0
        backoff.release("k", failed=True)
    assert waits == [2.0, 4.0, 8.0, 10.0]
    assert backoff.acquire("other") == 0  # keys are independent


def test_backoff_success_and_time_forgive():
    clock = Clock()
    backoff = Backoff(free=1, base=5.0, cap=60.0, forget=100.0, clock=clock)
    backoff.acquire("a")
    backoff.release("a", failed=True)
    assert backoff.wait("a") == 5.0
    clock.now += 5
    backoff.acquire("a")
    backoff.release("a", failed=False)  # the right password
    assert backoff.wait("a") == 0
    backoff.fail("b")
    clock.now += 101
    assert backoff.wait("b") == 0 and backoff.fail("b") == 0


def test_backoff_counts_tries_under_way():
    """A parallel burst gets no more than the free tries in before the first one ends."""
    backoff = Backoff(free=3, base=1.0, cap=10.0, clock=Clock())
    assert [backoff.acquire("k") for _ in range(5)] == [0, 0, 0, 1.0, 1.0]
    backoff.cancel("k")
    assert backoff.acquire("k") == 0


def test_backoff_remembers_a_bounded_number_of_keys():
    clock = Clock()
    backoff = Backoff(free=1, base=1.0, cap=10.0, max_keys=100, clock=clock)
    for number in range(1000):
        clock.now += 0.001
        backoff.fail(f"k{number}")
    assert len(backoff._keys) <= 100
    assert backoff.wait("k999") > 0  # the most recent ones are kept


# ----------------------------------------------------------------------------- account folders
def test_account_folders_never_collide_even_ignoring_case():
    taken: list[str] = []
    for name in ["bob", "bob.", "bob..", "Bob", "BOB.", "con", "CON."]:
        taken.append(choose_folder(name, taken))
    assert taken == ["bob", "bob+2", "bob+3", "Bob+4", "BOB+5", "con song", "CON song+2"]
    assert len({folder.casefold() for folder in taken}) == len(taken)


def test_a_database_upgrade_gives_every_account_a_folder(tmp_path):
    from companion.db import Database

    path = tmp_path / "old.db"
    with sqlite3.connect(path) as db:
        db.execute(
            "CREATE TABLE users (id INTEGER NOT NULL, username VARCHAR(64) NOT NULL, "
            "password_hash VARCHAR(256) NOT NULL, is_local BOOLEAN NOT NULL, "
            "created_at DATETIME NOT NULL, PRIMARY KEY (id))"
        )
        db.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT)")
        db.executemany("INSERT INTO schema_migrations VALUES (?, ?)", [(1, "a"), (2, "b")])
        db.executemany(
            "INSERT INTO users VALUES (?, ?, 'x', 0, '2025-01-01')",
            [(1, "Bob"), (2, "bob"), (3, "bob."), (4, "ana")],
        )
    database = Database(f"sqlite:///{path}")
    database.create_schema()
    database.create_schema()  # idempotent
    database.dispose()
    with sqlite3.connect(path) as db:
        folders = dict(db.execute("SELECT username, folder FROM users"))
    assert folders == {"Bob": "Bob", "bob": "bob+2", "bob.": "bob+3", "ana": "ana"}


# ----------------------------------------------------------------------------- rebuilding a spec
@pytest.mark.parametrize(
    "requirements",
    [
        dict(style="house", bpm=124, key="Am"),
        dict(style="techno", exclude=["hats"]),
        dict(style="pop", exclude=["bass"], bars=16),
        dict(style="ambient", include=["kick"], time_signature="3/4"),
    ],
    ids=["house", "no-hats", "no-bass", "ambient-kick-3/4"],
)
def test_a_sets_configuration_is_rebuilt_exactly_from_its_notes(requirements):
    spec = resolve(Requirements(**requirements), seed=11)
    rebuilt = rebuild_spec(compose(spec))
    assert rebuilt is not None
    assert rebuilt[1] == spec


def test_a_configuration_that_cannot_be_rebuilt_is_not_guessed():
    base = resolve(Requirements(style="house"), seed=11)
    denser = resolve(Requirements(), 11, Adjustments(density={"drums": 1}), base)
    assert denser.density and rebuild_spec(compose(denser)) is None


# ----------------------------------------------------------------------------- full disk
def test_a_full_disk_is_recognised_however_it_surfaces():
    assert is_disk_full(OSError(errno.ENOSPC, "No space left on device"))
    sqlite_full = sqlite3.OperationalError("database or disk is full")
    assert is_disk_full(OperationalError("INSERT …", {}, sqlite_full))
    try:
        try:
            raise OSError(errno.ENOSPC, "No space left on device")
        except OSError as exc:
            raise RuntimeError("writing failed") from exc
    except RuntimeError as wrapped:
        assert is_disk_full(wrapped)
    assert not is_disk_full(OSError(errno.EACCES, "Permission denied"))
    assert not is_disk_full(sqlite3.OperationalError("database is locked"))


# ----------------------------------------------------------------------------- start-up tidy
@pytest.mark.skipif(os.name != "posix", reason="process ids are only checked on POSIX")
def test_only_staging_of_dead_writers_and_temp_files_are_removed(tmp_path):
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        text=True,
        capture_output=True,
        check=True,
    )
    dead_pid = int(dead.stdout)
    assert not pid_alive(dead_pid) and pid_alive(os.getppid())
    projects = tmp_path / "projects"
    user = projects / "ana"
    song = user / "Song Project"
    (song / "MIDI").mkdir(parents=True)
    (song / "Song.als").write_bytes(b"set")
    (song / ".Song.als.ab12cd34.tmp").write_bytes(b"half")
    (song / "MIDI" / ".01 Drums.mid.zz99yy88.tmp").write_bytes(b"half")
    stale = [user / f".musiaia-{dead_pid}-0011223344556677", projects / ".musiaia-00112233aabbccdd"]
    kept = [user / f".musiaia-{os.getppid()}-8899aabbccddeeff", user / ".hidden-by-the-user"]
    for folder in stale + kept:
        (folder / "MIDI").mkdir(parents=True)
    folders, files = remove_leftovers(projects)
    assert sorted(folders) == sorted(stale) and len(files) == 2
    assert all(folder.is_dir() for folder in kept) and (song / "Song.als").is_file()
    assert not any(path.exists() for path in stale)


# ----------------------------------------------------------------------------- proxy headers
def test_proxy_headers_are_believed_only_from_configured_proxies(tmp_path):
    from companion.server.runner import server_config
    from companion.settings import Settings

    app = object()
    default = server_config(app, Settings(data_dir=tmp_path))
    assert default.proxy_headers is False
    proxied = server_config(app, Settings(data_dir=tmp_path, trusted_proxies=["10.0.0.5"]))
    assert proxied.proxy_headers is True and proxied.forwarded_allow_ips == ["10.0.0.5"]
