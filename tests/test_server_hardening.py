"""Attacks on the companion by a local process or a clumsy client (issue 11), against the real
server: sign-in limits, the one-time link under concurrency, WebSocket sessions that expire,
frames the protocol does not expect, a full disk, files left by a killed writer, file modes and
account folders. Each test reproduces a finding and failed before its fix."""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import jwt
import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from server_harness import RunningServer, sign_in, start_server

FLAGSHIP = "Genera un track de house a 124 BPM en La menor"
MIB = 1024 * 1024


# ----------------------------------------------------------------------------- helpers
def cli(data_dir: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MUSIAIA_")}
    env |= {"MUSIAIA_DATA_DIR": str(data_dir), "MUSIAIA_KIT_DIR": str(data_dir / "kit")}
    return subprocess.run(
        [sys.executable, "-m", "companion.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )


def add_user(data_dir: Path, name: str, password: str = "a-long-password") -> None:
    result = cli(data_dir, "user", "add", name, "--password-stdin", stdin=password + "\n")
    assert result.returncode == 0, result.stderr


def link_token(data_dir: Path, name: str | None = None) -> str:
    result = cli(data_dir, "login-link", *([name] if name else []))
    match = re.search(r"\?token=(\S+)", result.stdout)
    assert result.returncode == 0 and match, result.stdout + result.stderr
    return match.group(1)


def from_address(address: str, **kwargs) -> httpx.Client:
    """A client whose connections come from ``address`` (any of 127.0.0.0/8 on Linux)."""
    return httpx.Client(transport=httpx.HTTPTransport(local_address=address), timeout=120, **kwargs)


def login(client: httpx.Client, server: RunningServer, name: str, password: str, **kwargs):
    return client.post(
        server.base_url + "/api/v1/auth/login",
        data={"username": name, "password": password},
        **kwargs,
    )


def mint(server: RunningServer, seconds: float, user_id: int = 1, name: str = "producer") -> str:
    """An access token signed with the server's own key that expires in ``seconds``."""
    secret = (server.data_dir / "secret.key").read_text().strip()
    expires = datetime.now(UTC) + timedelta(seconds=seconds)
    payload = {"sub": str(user_id), "name": name, "exp": expires, "typ": "access"}
    return jwt.encode(payload, secret, algorithm="HS256")


def peak_rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise AssertionError("no VmHWM")


def _loopback_aliases() -> bool:
    try:
        with from_address("127.0.0.2") as client:
            client.get("http://127.0.0.1:9", timeout=0.2)
    except httpx.ConnectError:
        return True  # bound 127.0.0.2 fine, nobody listens on port 9
    except (httpx.TransportError, OSError):
        return False
    return True


needs_loopback_range = pytest.mark.skipif(
    sys.platform != "linux" or not _loopback_aliases(),
    reason="needs the whole 127.0.0.0/8 as local addresses (Linux)",
)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    running = start_server(tmp_path_factory.mktemp("hardening"))
    yield running
    running.stop()


@pytest.fixture(scope="module")
def token(server):
    return sign_in(server)


@pytest.fixture
def opener():
    with ExitStack() as stack:
        yield lambda url, **kwargs: stack.enter_context(connect(url, open_timeout=10, **kwargs))


def ws_session(opener, server: RunningServer, token: str):
    socket = opener(server.ws_url)
    socket.send(json.dumps({"type": "auth", "token": token}))
    ready = json.loads(socket.recv(timeout=10))
    assert ready["type"] == "ready", ready
    return socket


def next_event(socket, timeout: float = 60) -> dict:
    """The next event that is not progress of some generation."""
    while True:
        event = json.loads(socket.recv(timeout=timeout))
        if event["type"] not in ("progress", "notice", "token"):
            return event


# ----------------------------------------------------------------------------- 3: sign-in limits
@needs_loopback_range
def test_forwarded_for_headers_are_not_believed(server):
    """30 wrong passwords with a made-up X-Forwarded-For each time used to be 30 fresh clients."""
    statuses = []
    with from_address("127.3.0.1") as client:
        for number in range(24):
            response = login(
                client,
                server,
                f"ghost{number}",
                "wrong-password",
                headers={"X-Forwarded-For": f"203.0.113.{number}"},
            )
            statuses.append(response.status_code)
    assert 429 in statuses, statuses
    first = statuses.index(429)
    assert first == 20 and set(statuses[:first]) == {401} and set(statuses[first:]) == {429}


@needs_loopback_range
def test_rotating_source_addresses_do_not_reset_the_account_limit(server):
    add_user(server.data_dir, "rotor")
    statuses = []
    for number in range(8):
        with from_address(f"127.4.0.{number + 1}") as client:
            statuses.append(login(client, server, "rotor", "wrong-password").status_code)
    assert statuses == [401] * 5 + [429] * 3, statuses
    with from_address("127.4.1.1") as client:
        refused = login(client, server, "rotor", "a-long-password")
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 1
    assert "try again" in refused.json()["detail"]


@pytest.fixture
def own_server(tmp_path):
    """A server of the test's own: its limits end up tripped for everyone."""
    running = start_server(tmp_path / "data")
    yield running
    running.stop()


@needs_loopback_range
def test_the_owner_always_gets_in_with_the_one_time_link(own_server):
    """Whatever a local process does to the limits, ``musiaia login-link`` still works."""
    server = own_server
    add_user(server.data_dir, "owner")
    with from_address("127.0.0.1") as client:
        for _ in range(7):  # the account backs off…
            login(client, server, "owner", "wrong-password")
        assert login(client, server, "owner", "a-long-password").status_code == 429
        # …and a flood of bad link tokens, from one address with rotating proxy headers…
        statuses = [
            client.post(
                server.base_url + "/api/v1/auth/link",
                json={"token": f"not-a-real-token-{number:04d}"},
                headers={"X-Forwarded-For": f"198.51.100.{number}"},
            ).status_code
            for number in range(30)
        ]
        assert statuses[:20] == [401] * 20 and set(statuses[20:]) == {429}, statuses
    # …and from rotating source addresses, is refused too, overall.
    overall = []
    for number in range(210):
        with from_address(f"127.5.{number // 200}.{number % 200 + 1}") as client:
            response = client.post(
                server.base_url + "/api/v1/auth/link", json={"token": f"bad-token-{number:05d}"}
            )
            overall.append(response.status_code)
    assert 429 in overall and set(overall) == {401, 429}
    # The owner's fresh link works, from the very address that was flooding.
    with from_address("127.0.0.1") as client:
        response = client.post(
            server.base_url + "/api/v1/auth/link",
            json={"token": link_token(server.data_dir, "owner")},
        )
        assert response.status_code == 200, response.text
        access = response.json()["access_token"]
        projects = client.get(
            server.base_url + "/api/v1/projects", headers={"Authorization": f"Bearer {access}"}
        )
        assert projects.status_code == 200


@needs_loopback_range
def test_a_sign_in_flood_neither_eats_memory_nor_stalls_health(tmp_path):
    """40 parallel sign-ins with unknown names (Argon2 takes 64 MiB each) from 40 addresses:
    memory grew by ~870 MiB and /health stalled for most of the flood."""
    running = start_server(tmp_path / "data")
    try:
        before = peak_rss_kib(running.process.pid)
        clients = [from_address(f"127.6.0.{n + 1}") for n in range(40)]
        for client in clients:  # connect first, so the 40 requests really arrive together
            client.get(running.base_url + "/api/v1/health")
        barrier = threading.Barrier(41)

        def attempt(number: int) -> int:
            barrier.wait()
            return login(clients[number], running, f"nobody{number}", "wrong-password").status_code

        with ThreadPoolExecutor(40) as pool:
            started = time.monotonic()
            futures = [pool.submit(attempt, n) for n in range(40)]
            barrier.wait()
            time.sleep(0.3)  # the flood is under way
            asked = time.monotonic()
            health = httpx.get(running.base_url + "/api/v1/health", timeout=120)
            health_seconds = time.monotonic() - asked
            statuses = [future.result() for future in futures]
            flood_seconds = time.monotonic() - started
        for client in clients:
            client.close()
        grown_mib = (peak_rss_kib(running.process.pid) - before) / 1024
        assert health.status_code == 200
        assert set(statuses) <= {401, 503} and statuses.count(401) >= 32, statuses
        assert grown_mib < 300, f"peak memory grew by {grown_mib:.0f} MiB"
        # Health answers at once, not after the password checks (a ratio, not a speed target).
        assert health_seconds < flood_seconds / 4, (health_seconds, flood_seconds)
    finally:
        running.stop()


# ----------------------------------------------------------------------------- 4: one-time link
@needs_loopback_range
def test_parallel_redemptions_of_a_link_have_exactly_one_winner(server):
    """15 of 20 parallel redemptions of one link used to succeed."""
    for round_ in range(3):
        token = link_token(server.data_dir)
        clients = [from_address(f"127.7.{round_}.{n + 1}") for n in range(20)]
        for client in clients:  # warm connections: the requests then arrive together
            client.get(server.base_url + "/api/v1/health")
        barrier = threading.Barrier(20)

        def redeem(number: int, token=token, clients=clients, barrier=barrier) -> int:
            barrier.wait()
            response = clients[number].post(
                server.base_url + "/api/v1/auth/link", json={"token": token}
            )
            return response.status_code

        with ThreadPoolExecutor(20) as pool:
            statuses = sorted(pool.map(redeem, range(20)))
        for client in clients:
            client.close()
        assert statuses == [200] + [401] * 19, statuses


# ----------------------------------------------------------------------------- 6: expiring sessions
def test_a_websocket_is_closed_when_its_token_expires(server, opener):
    """A project was still generated over a socket 70 s into a 1-minute token."""
    socket = ws_session(opener, server, mint(server, seconds=3))
    socket.send(json.dumps({"type": "ping"}))
    assert json.loads(socket.recv(timeout=10)) == {"type": "pong"}
    event = json.loads(socket.recv(timeout=15))
    assert event["type"] == "error" and event["code"] == "session_expired"
    assert "sign in again" in event["detail"]
    with pytest.raises(ConnectionClosed) as closed:
        socket.recv(timeout=10)
    assert closed.value.rcvd.code == 4401 and closed.value.rcvd.reason == "session expired"


def test_an_expired_socket_answers_nothing_more(server, token, opener):
    socket = ws_session(opener, server, mint(server, seconds=2))
    time.sleep(2.5)
    with pytest.raises(ConnectionClosed):  # either refused to send or closed on read
        socket.send(json.dumps({"type": "message", "content": FLAGSHIP}))
        while True:
            assert json.loads(socket.recv(timeout=10))["type"] == "error"
    with server.client(token) as client:  # nothing was made
        assert not [p for p in client.get("/api/v1/projects").json() if "House" in p["name"]]


# ----------------------------------------------------------------------------- 8: odd input
def test_websocket_odd_frames_get_json_errors_and_the_socket_stays_open(server, token, opener):
    socket = ws_session(opener, server, token)
    cases = [
        ('{"type": "message", "content": "house \\ud800 a 124"}', "lone surrogate"),
        (b'{"type": "ping"}', "binary frames"),
        ("[" * 30000 + "]" * 30000, "nested too deeply"),
        ('{"a":' * 6000 + "1" + "}" * 6000, "nested too deeply"),
        ('{"type": "message", "content": ' + "9" * 5000 + "}", "malformed JSON"),
    ]
    for frame, needle in cases:
        assert len(frame) < 64 * 1024
        socket.send(frame)
        event = next_event(socket)
        assert event["type"] == "error" and needle in event["detail"], (str(frame)[:40], event)
        socket.send(json.dumps({"type": "ping"}))
        assert json.loads(socket.recv(timeout=10)) == {"type": "pong"}
    with server.client(token) as client:
        assert not client.get("/api/v1/projects").json()  # the surrogate made no project


def test_rest_chat_with_a_lone_surrogate_is_refused_in_json(server, token):
    """(A guard: REST bodies were already checked by pydantic; the WebSocket was not.)"""
    with server.client(token) as client:
        history = len(client.get("/api/v1/chat/history").json())
        response = client.post(
            "/api/v1/chat/message",
            content=b'{"message": "house \\ud800 a 124 bpm"}',
            headers={"Content-Type": "application/json"},
        )
        assert response.status_code == 422 and response.json()["detail"]
        assert len(client.get("/api/v1/chat/history").json()) == history
        bad_link = client.post(
            "/api/v1/auth/link",
            content=b'{"token": "abcdefghijk\\udfff"}',
            headers={"Content-Type": "application/json"},
        )
        assert bad_link.status_code in (401, 422) and bad_link.json()["detail"]


FILL_SCRIPT = r"""
set -e
mount -t tmpfs -o size=48m tmpfs "$MUSIAIA_DATA_DIR"
main=$$
(
  n=0
  while [ $n -lt 3000 ] && kill -0 $main 2>/dev/null; do
    if [ -e "$CTL/fill" ] && [ ! -e "$CTL/filled" ]; then
      dd if=/dev/zero of="$MUSIAIA_DATA_DIR/filler" bs=1M 2>/dev/null || true
      touch "$CTL/filled"
    fi
    if [ -e "$CTL/free" ] && [ ! -e "$CTL/freed" ]; then
      rm -f "$MUSIAIA_DATA_DIR/filler"; touch "$CTL/freed"
    fi
    sleep 0.1; n=$((n + 1))
  done
) &
exec "$@"
"""


def _small_filesystems() -> bool:
    if sys.platform != "linux" or shutil.which("unshare") is None:
        return False
    probe = subprocess.run(
        ["unshare", "-rm", "sh", "-c", "mount -t tmpfs -o size=1m tmpfs /mnt"],
        capture_output=True,
        check=False,
    )
    return probe.returncode == 0


def _wait_for(path: Path, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        assert time.monotonic() < deadline, f"{path.name} never appeared"
        time.sleep(0.05)


@pytest.mark.skipif(not _small_filesystems(), reason="needs unshare and tmpfs (Linux)")
def test_a_full_disk_gives_json_errors_and_health_says_so(tmp_path, opener):
    """A real 48 MB file system (tmpfs in a private mount namespace), filled up: generation
    used to answer a plain-text 500 while /health said storage was fine."""
    data, control, kit = tmp_path / "data", tmp_path / "ctl", tmp_path / "kit"
    for folder in (data, control, kit):
        folder.mkdir()
    running = start_server(
        data,
        env_extra={"CTL": str(control), "MUSIAIA_KIT_DIR": str(kit), "MUSIAIA_MIN_FREE_MB": "8"},
        prefix=["unshare", "-rm", "sh", "-c", FILL_SCRIPT, "sh"],
        timeout=60,
    )
    try:
        token = sign_in(running)
        with running.client(token) as client:
            assert client.get("/api/v1/health").json()["components"]["storage"]["status"] == "ok"
            (control / "fill").touch()
            _wait_for(control / "filled")
            health = client.get("/api/v1/health").json()
            assert health["status"] == "degraded"
            assert health["components"]["storage"]["status"] == "full"
            made = client.post(
                "/api/v1/projects/generate", json={"requirements": {"style": "house"}}
            )
            assert made.status_code == 507, made.text
            assert made.headers["content-type"] == "application/json"
            assert "disk is full" in made.json()["detail"]
            socket = ws_session(opener, running, token)
            socket.send(json.dumps({"type": "message", "content": FLAGSHIP}))
            event = next_event(socket)
            assert event["type"] == "error" and event.get("code") == "disk_full", event
            socket.send(json.dumps({"type": "ping"}))
            assert json.loads(socket.recv(timeout=10)) == {"type": "pong"}
            # Space back: everything works again, nothing was left broken.
            (control / "free").touch()
            _wait_for(control / "freed")
            assert client.get("/api/v1/health").json()["components"]["storage"]["status"] == "ok"
            again = client.post(
                "/api/v1/projects/generate", json={"requirements": {"style": "house"}}
            )
            assert again.status_code == 201, again.text
            assert len(client.get("/api/v1/projects").json()) == 1
    finally:
        running.stop()


# ----------------------------------------------------------------------------- 7: killed writers
KILLED_WRITER = """
import os, sys, time
real_rename = os.rename
def stuck(source, target):  # the set is staged in full; die before it is put in place
    if os.path.basename(str(source)).startswith(".musiaia-"):
        open(sys.argv[2], "w").close()
        time.sleep(600)
    real_rename(source, target)
os.rename = stuck
from companion.cli import main
main(["generate", "house a 124 bpm", "--seed", "7", "--out", sys.argv[1]])
"""


def test_what_a_killed_writer_left_is_tidied_at_start(tmp_path):
    data = tmp_path / "data"
    running = start_server(data)
    try:
        token = sign_in(running)
        with running.client(token) as client:
            made = client.post(
                "/api/v1/projects/generate", json={"requirements": {"style": "house"}, "seed": 5}
            ).json()
    finally:
        running.stop()
    folder = Path(made["project_path"])
    user_folder = folder.parent
    # A complete set whose database row was never committed (killed between the two).
    with sqlite3.connect(data / "musiaia.db") as db:
        db.execute("DELETE FROM projects WHERE id = ?", (made["project_id"],))
    # A second orphan whose configuration cannot be rebuilt (its seed no longer matches).
    odd = user_folder / "Odd Project"
    shutil.copytree(folder, odd)
    stem = folder.name.removesuffix(" Project")
    (odd / f"{stem}.als").rename(odd / "Odd.als")
    saved = json.loads((odd / "MusiaIA" / f"{stem}.json").read_text())
    saved["seed"] += 1
    (odd / "MusiaIA" / "Odd.json").write_text(json.dumps(saved))
    (odd / "MusiaIA" / f"{stem}.json").unlink()
    # A real writer killed with SIGKILL while its staging folder was full.
    ready = tmp_path / "staged"
    writer = subprocess.Popen(
        [sys.executable, "-c", KILLED_WRITER, str(user_folder), str(ready)],
        env={**os.environ, "MUSIAIA_DATA_DIR": str(data)},
    )
    try:
        _wait_for(ready, timeout=120)
    finally:
        writer.kill()
        writer.wait(10)
    killed = [p for p in user_folder.iterdir() if p.name.startswith(".musiaia-")]
    assert len(killed) == 1 and any(killed[0].glob("*.als"))
    legacy = user_folder / ".musiaia-0123456789abcdef"  # an older version's staging name
    shutil.copytree(folder / "MIDI", legacy / "MIDI")
    alive = user_folder / f".musiaia-{os.getpid()}-00ff00ff00ff00ff"  # a writer still at work
    alive.mkdir()
    temp = folder / f".{stem}.als.k3j4h5g6.tmp"
    temp.write_bytes(b"half a set")

    running = start_server(data)
    try:
        token = sign_in(running)
        with running.client(token) as client:
            listed = client.get("/api/v1/projects").json()
            assert [p["name"] for p in listed] == [stem]
            details = client.get(f"/api/v1/projects/{listed[0]['id']}").json()
            assert (
                details["spec"]["seed"] == 5
                and "recovered" in details["version_list"][0]["changes"]
            )
            als = client.get(f"/api/v1/projects/{listed[0]['id']}/download")
            assert als.status_code == 200 and als.content == (folder / f"{stem}.als").read_bytes()
            # The rebuilt configuration is the real one: a change keeps everything else.
            changed = client.post("/api/v1/chat/message", json={"message": "sube el tempo a 128"})
            assert changed.status_code == 200 and changed.json()["project"]["version"] == 2
    finally:
        running.stop()
    assert not killed[0].exists() and not legacy.exists() and alive.is_dir()
    assert not temp.exists()
    assert not odd.exists()
    moved = data / "recovered" / user_folder.name / "Odd Project"
    assert (moved / "Odd.als").is_file() and (moved / "MusiaIA" / "Odd.json").is_file()


# ----------------------------------------------------------------------------- 10: file modes
def test_the_data_folder_and_database_are_private_whatever_the_umask(tmp_path):
    old = os.umask(0o022)
    try:
        running = start_server(tmp_path / "data")
        try:
            token = sign_in(running)
            with running.client(token) as client:  # a write: the WAL exists and has grown
                client.post("/api/v1/projects/generate", json={"requirements": {}})
            data = running.data_dir
            assert data.stat().st_mode & 0o777 == 0o700
            for name in ("musiaia.db", "musiaia.db-wal", "musiaia.db-shm", "secret.key"):
                assert (data / name).stat().st_mode & 0o777 == 0o600, name
            assert (data / "server.json").stat().st_mode & 0o077 == 0
        finally:
            running.stop()
        # An older version left them readable by everyone: the next start closes them.
        os.chmod(data, 0o755)
        for name in ("musiaia.db", "musiaia.db-wal", "musiaia.db-shm"):
            if (data / name).exists():
                os.chmod(data / name, 0o644)
        running = start_server(data)
        running.stop()
        assert data.stat().st_mode & 0o777 == 0o700
        for name in ("musiaia.db", "musiaia.db-wal", "musiaia.db-shm"):
            if (data / name).exists():
                assert (data / name).stat().st_mode & 0o777 == 0o600, name
    finally:
        os.umask(old)


# ----------------------------------------------------------------------------- 11: links, folders
def test_login_link_prints_the_running_servers_address(server):
    result = cli(server.data_dir, "login-link")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"{server.base_url}/?token="), result.stdout
    token = result.stdout.strip().split("?token=")[1]
    assert (
        httpx.post(server.base_url + "/api/v1/auth/link", json={"token": token}).status_code == 200
    )


def test_login_link_without_a_server_says_so(tmp_path):
    data = tmp_path / "data"
    add_user(data, "solo")
    result = cli(data, "login-link", "solo")
    assert result.returncode == 0 and result.stdout.startswith("http://127.0.0.1:8000/?token=")
    assert "not running" in result.stderr


def test_account_names_that_differ_in_dots_or_case_get_their_own_folders(server):
    names = ["bob", "bob.", "bob..", "Bob"]
    folders = []
    for name in names:
        add_user(server.data_dir, name)
        with from_address("127.0.0.1") as client:
            access = login(client, server, name, "a-long-password").json()["access_token"]
        with server.client(access) as client:
            made = client.post("/api/v1/projects/generate", json={"requirements": {}, "seed": 3})
            assert made.status_code == 201, made.text
            folders.append(Path(made.json()["project_path"]).parent)
        with server.client(access) as client:  # each sees exactly its own project
            assert len(client.get("/api/v1/projects").json()) == 1
    assert len({folder.name.casefold() for folder in folders}) == len(names), folders
    assert folders[0].name == "bob"  # plain names keep the plain folder


OLD_USERS_TABLE = """
CREATE TABLE users (
    id INTEGER NOT NULL, username VARCHAR(64) NOT NULL, password_hash VARCHAR(256) NOT NULL,
    is_local BOOLEAN NOT NULL, created_at DATETIME NOT NULL, api_provider VARCHAR(16),
    PRIMARY KEY (id)
)"""


def test_existing_accounts_keep_their_folders_after_the_upgrade(tmp_path):
    """A database from before user folders were recorded, where ``bob`` and ``bob.`` shared
    ``projects/bob``: bob keeps it, bob.'s old project still opens, its new ones go elsewhere."""
    data = tmp_path / "data"
    for name in ("bob", "bob."):
        add_user(data, name)
    running = start_server(data)
    try:
        with from_address("127.0.0.1") as client:
            access = login(client, running, "bob.", "a-long-password").json()["access_token"]
        with running.client(access) as client:
            old = client.post("/api/v1/projects/generate", json={"requirements": {}}).json()
    finally:
        running.stop()
    # Put the database and the files back the way the older version had them.
    old_folder = Path(old["project_path"])
    shared = data / "projects" / "bob" / old_folder.name
    shared.parent.mkdir(exist_ok=True)
    old_folder.rename(shared)
    with sqlite3.connect(data / "musiaia.db") as db:
        db.execute("PRAGMA foreign_keys=OFF")
        rows = db.execute(
            "SELECT id, username, password_hash, is_local, created_at, api_provider FROM users"
        ).fetchall()
        db.execute("DROP INDEX IF EXISTS ix_users_username")
        db.execute("DROP TABLE users")
        db.execute(OLD_USERS_TABLE)
        db.execute("CREATE UNIQUE INDEX ix_users_username ON users (username)")
        db.executemany("INSERT INTO users VALUES (?, ?, ?, ?, ?, ?)", rows)
        # The users table as it was before migration 5 (folders) and 6 (Live auto-load).
        db.execute("DELETE FROM schema_migrations WHERE version IN (5, 6)")
        for table, column in (
            ("projects", "folder"),
            ("project_versions", "als_path"),
            ("project_versions", "arrangement_path"),
        ):
            db.execute(
                f"UPDATE {table} SET {column} = replace({column}, ?, ?)",
                (f"projects/{old_folder.parent.name}/", "projects/bob/"),
            )
    running = start_server(data)
    try:
        with from_address("127.0.0.1") as client:
            tokens = {
                name: login(client, running, name, "a-long-password").json()["access_token"]
                for name in ("bob", "bob.")
            }
        with running.client(tokens["bob."]) as client:
            listed = client.get("/api/v1/projects").json()
            assert [p["id"] for p in listed] == [old["project_id"]]
            assert client.get(f"/api/v1/projects/{old['project_id']}/download").status_code == 200
            new = client.post("/api/v1/projects/generate", json={"requirements": {}}).json()
        with running.client(tokens["bob"]) as client:
            mine = client.post("/api/v1/projects/generate", json={"requirements": {}}).json()
            assert len(client.get("/api/v1/projects").json()) == 1
    finally:
        running.stop()
    assert Path(mine["project_path"]).parent.name == "bob"
    assert Path(new["project_path"]).parent.name == "bob+2"
    with sqlite3.connect(data / "musiaia.db") as db:
        assert dict(db.execute("SELECT username, folder FROM users")) == {
            "bob": "bob",
            "bob.": "bob+2",
        }
