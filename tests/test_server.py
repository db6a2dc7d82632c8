"""The companion server, end to end: a real uvicorn process, real HTTP and WebSocket clients."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import time
import zipfile
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta

import httpx
import jwt
import pytest
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import connect

from companion.als.reader import parse_als
from companion.pipeline import STEPS
from server_harness import RunningServer, alive, descendants, sign_in, start_server

FLAGSHIP = "Genera un track de house a 124 BPM en La menor"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    running = start_server(tmp_path_factory.mktemp("data"))
    yield running
    running.stop()


@pytest.fixture(scope="module")
def token(server):
    return sign_in(server)


def add_user(server: RunningServer, name: str, password: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "companion.cli", "user", "add", name, "--password-stdin"],
        input=password + "\n",
        capture_output=True,
        text=True,
        env={**__import__("os").environ, "MUSIAIA_DATA_DIR": str(server.data_dir)},
        check=False,
    )
    assert result.returncode == 0, result.stderr


def login(server: RunningServer, name: str, password: str) -> httpx.Response:
    return httpx.post(
        server.base_url + "/api/v1/auth/login",
        data={"username": name, "password": password},
        timeout=30,
    )


@pytest.fixture
def opener():
    """Open WebSockets that are closed when the test ends (websockets wants context managers)."""
    with ExitStack() as stack:
        yield lambda url, **kwargs: stack.enter_context(connect(url, open_timeout=10, **kwargs))


def ws_session(opener, server: RunningServer, token: str, **kwargs):
    socket = opener(server.ws_url, **kwargs)
    socket.send(json.dumps({"type": "auth", "token": token}))
    ready = json.loads(socket.recv(timeout=10))
    assert ready["type"] == "ready", ready
    return socket


def converse(socket, content: str, timeout: float = 60) -> list[dict]:
    """Send a chat message and collect events up to the answer (and its project, if any)."""
    socket.send(json.dumps({"type": "message", "content": content}))
    events: list[dict] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        event = json.loads(socket.recv(timeout=timeout))
        events.append(event)
        if event["type"] == "error":
            return events
        if event["type"] == "message":
            # A project event follows the message when a set was made.
            try:
                events.append(json.loads(socket.recv(timeout=0.5)))
            except TimeoutError:
                pass
            return events
    raise AssertionError(f"no answer in time: {events}")


# ----------------------------------------------------------------------------- basics


def test_health_needs_no_sign_in(server):
    response = httpx.get(server.base_url + "/api/v1/health")
    body = response.json()
    assert response.status_code == 200 and body["status"] == "ok"
    assert body["components"]["database"]["status"] == "ok"
    assert body["version"]


def test_every_route_but_health_and_login_needs_a_token(server):
    with server.client() as client:
        for method, path in [
            ("GET", "/api/v1/projects"),
            ("GET", "/api/v1/chat/history"),
            ("POST", "/api/v1/chat/message"),
            ("POST", "/api/v1/projects/generate"),
            ("GET", "/api/v1/projects/" + "0" * 32),
            ("GET", "/api/v1/projects/" + "0" * 32 + "/download"),
        ]:
            response = client.request(method, path, json={})
            assert response.status_code == 401, (method, path, response.text)


def test_login_link_works_once(server, token):
    again = httpx.post(server.base_url + "/api/v1/auth/link", json={"token": server.login_token})
    assert again.status_code == 401 and "already used" in again.json()["detail"]
    with server.client(token) as client:
        assert client.get("/api/v1/projects").status_code == 200


def test_password_login_and_rate_limit(server):
    add_user(server, "ana", "a-long-password")
    good = login(server, "ana", "a-long-password")
    assert good.status_code == 200 and good.json()["token_type"] == "bearer"
    statuses = [login(server, "ana", "wrong-password").status_code for _ in range(6)]
    assert statuses[:4] == [401] * 4 and statuses[-1] == 429
    assert login(server, "ana", "a-long-password").status_code == 429  # still cooling down


def test_bad_and_expired_tokens(server, opener):
    with server.client("not-a-token") as client:
        assert client.get("/api/v1/projects").status_code == 401
    secret = (server.data_dir / "secret.key").read_text().strip()
    past = datetime.now(UTC) - timedelta(minutes=5)
    expired = jwt.encode(
        {"sub": "1", "name": "producer", "exp": past, "typ": "access"}, secret, algorithm="HS256"
    )
    with server.client(expired) as client:
        response = client.get("/api/v1/projects")
        assert response.status_code == 401 and "expired" in response.json()["detail"]
    forged = jwt.encode(
        {"sub": "1", "exp": datetime.now(UTC) + timedelta(hours=1), "typ": "access"},
        "another-secret-that-is-long-enough-for-hs256",
        algorithm="HS256",
    )
    with server.client(forged) as client:
        assert client.get("/api/v1/projects").status_code == 401
    socket = opener(server.ws_url)
    socket.send(json.dumps({"type": "auth", "token": expired}))
    assert json.loads(socket.recv(timeout=10))["type"] == "error"
    with pytest.raises(ConnectionClosed) as closed:
        socket.recv(timeout=10)
    assert closed.value.rcvd.code == 4401


# ----------------------------------------------------------------------------- chat and projects


def test_websocket_chat_makes_a_project_with_progress(server, token, opener):
    socket = ws_session(opener, server, token)
    events = converse(socket, FLAGSHIP)
    kinds = [e["type"] for e in events]
    assert kinds[-2:] == ["message", "project"], events
    progress = [e["data"] for e in events if e["type"] == "progress"]
    order = [step for step, _, _ in STEPS]
    steps = [p["step"] for p in progress]
    assert steps[0] == "understanding" and steps[-1] == "writing"
    assert [order.index(s) for s in steps] == sorted(order.index(s) for s in steps)
    assert [p["percent"] for p in progress] == sorted(p["percent"] for p in progress)
    message = events[-2]
    assert "La menor" in message["content"] and "124" in message["content"]
    assert datetime.fromisoformat(message["timestamp"])
    project = events[-1]["project"]
    assert project["bpm"] == 124 and project["key"] == "Am" and project["version"] == 1

    with server.client(token) as client:
        als = client.get(project["download_url"])
        assert als.status_code == 200
        arrangement = parse_als(als.content)
        assert arrangement.bpm == 124 and arrangement.key == "Am"
        assert len(arrangement.tracks) == len(project["tracks"])
        archive = zipfile.ZipFile(io.BytesIO(client.get(project["zip_url"]).content))
        names = archive.namelist()
        folder = names[0].split("/")[0]
        assert folder.endswith(" Project") and all(n.startswith(folder + "/") for n in names)
        assert any(n.endswith(".als") for n in names) and any(n.endswith(".mid") for n in names)
        assert parse_als(archive.read(next(n for n in names if n.endswith(".als")))) == arrangement


def test_modify_makes_v2_and_keeps_v1(server, token, opener):
    socket = ws_session(opener, server, token)
    made = converse(socket, "techno oscuro a 130 en Fa menor")[-1]["project"]
    changed = converse(socket, "sube el tempo a 136 y cambia la tonalidad a Re menor")
    answer, project = changed[-2], changed[-1]["project"]
    assert project["id"] == made["id"] and project["version"] == 2
    assert project["bpm"] == 136 and project["key"] == "Dm"
    assert "136" in answer["content"] and "v2" in answer["content"]
    with server.client(token) as client:
        v1 = parse_als(client.get(f"/api/v1/projects/{made['id']}/download?version=1").content)
        v2 = parse_als(client.get(f"/api/v1/projects/{made['id']}/download?version=2").content)
        assert (v1.bpm, v1.key) == (130, "Fm") and (v2.bpm, v2.key) == (136, "Dm")
        details = client.get(f"/api/v1/projects/{made['id']}").json()
        assert details["versions"] == 2 and details["version"] == 2
        assert [v["number"] for v in details["version_list"]] == [1, 2]
        assert "136" in details["version_list"][1]["changes"]
        assert details["arrangement"]["bpm"] == 136
        listed = {p["id"]: p for p in client.get("/api/v1/projects").json()}
        assert listed[made["id"]]["versions"] == 2


def test_chat_answers_offline_and_history_is_kept(server, token):
    with server.client(token) as client:
        reply = client.post("/api/v1/chat/message", json={"message": "¿qué puedes hacer?"})
        assert reply.status_code == 200
        body = reply.json()
        assert body["intent"] == "chat" and body["project"] is None and body["language"] == "es"
        history = client.get("/api/v1/chat/history", params={"limit": 2}).json()
        assert [h["role"] for h in history] == ["user", "assistant"]
        assert history[0]["content"] == "¿qué puedes hacer?"
        assert history[1]["content"] == body["response"]


def test_rest_generate_with_requirements(server, token):
    with server.client(token) as client:
        response = client.post(
            "/api/v1/projects/generate",
            json={
                "requirements": {"style": "trap", "bpm": 140, "key": "Ebm", "bars": 32},
                "seed": 3,
            },
        )
        assert response.status_code == 201, response.text
        created = response.json()
        assert created["status"] == "created"
        details = client.get(f"/api/v1/projects/{created['project_id']}").json()
        assert details["bars"] == 32 and details["key"] == "Ebm" and details["style"] == "trap"
        assert (
            sum(len(c["notes"]) for t in details["arrangement"]["tracks"] for c in t["clips"]) > 0
        )
        bad = client.post("/api/v1/projects/generate", json={"requirements": {"bpm": 5000}})
        assert bad.status_code == 422


def test_bad_requests_change_nothing(server, token):
    with server.client(token) as client:
        before = len(client.get("/api/v1/chat/history", params={"limit": 500}).json())
        projects = len(client.get("/api/v1/projects").json())
        bad = client.post("/api/v1/chat/message", json={"message": "techno a 2000 bpm"})
        assert bad.status_code == 422 and "outside" in bad.json()["detail"]
        malformed = client.post(
            "/api/v1/chat/message",
            content=b"{not json",
            headers={"Content-Type": "application/json"},
        )
        assert malformed.status_code == 422
        huge = client.post(
            "/api/v1/chat/message",
            content=b"x" * (2 * 1024 * 1024),
            headers={"Content-Type": "application/json"},
        )
        assert huge.status_code == 413
        assert len(client.get("/api/v1/chat/history", params={"limit": 500}).json()) == before
        assert len(client.get("/api/v1/projects").json()) == projects


def test_websocket_survives_garbage(server, token, opener):
    socket = ws_session(opener, server, token)
    for frame, needle in [
        ("{not json", "malformed JSON"),
        ("[1, 2]", "JSON object"),
        (json.dumps({"type": "dance"}), "unknown message type"),
        (json.dumps({"type": "message", "content": ""}), "non-empty"),
        (json.dumps({"type": "message", "content": 5}), "non-empty"),
        (json.dumps({"type": "message", "content": "x" * 5000}), "too long"),
        (json.dumps({"type": "message", "content": "house a 5 bpm"}), "outside"),
    ]:
        socket.send(frame)
        event = json.loads(socket.recv(timeout=30))
        while event["type"] == "progress":  # a request is understood before it is refused
            event = json.loads(socket.recv(timeout=30))
        assert event["type"] == "error" and needle in event["detail"], (frame, event)
    socket.send(json.dumps({"type": "ping"}))
    assert json.loads(socket.recv(timeout=10)) == {"type": "pong"}


def test_websocket_needs_auth_first(server, opener):
    socket = opener(server.ws_url)
    socket.send(json.dumps({"type": "message", "content": FLAGSHIP}))
    assert json.loads(socket.recv(timeout=10))["type"] == "error"
    with pytest.raises(ConnectionClosed):
        socket.recv(timeout=10)


# ----------------------------------------------------------------------------- isolation


def test_users_cannot_see_each_other(server, token, opener):
    add_user(server, "bruno", "another-password")
    other = login(server, "bruno", "another-password").json()["access_token"]
    with server.client(token) as mine:
        my_projects = mine.get("/api/v1/projects").json()
        assert my_projects
        project_id = my_projects[0]["id"]
    with server.client(other) as theirs:
        assert theirs.get("/api/v1/projects").json() == []
        assert theirs.get(f"/api/v1/projects/{project_id}").status_code == 404
        assert theirs.get(f"/api/v1/projects/{project_id}/download").status_code == 404
        assert theirs.get(f"/api/v1/projects/{project_id}/download?format=zip").status_code == 404
        assert theirs.get("/api/v1/chat/history").json() == []

    mine_a = ws_session(opener, server, token)
    mine_b = ws_session(opener, server, token)
    spy = ws_session(opener, server, other)
    events = converse(mine_a, "lo-fi relajado a 80")
    assert events[-1]["type"] == "project"
    seen_by_b = []
    while True:
        try:
            seen_by_b.append(json.loads(mine_b.recv(timeout=2)))
        except TimeoutError:
            break
    assert [e["type"] for e in seen_by_b][-2:] == ["message", "project"]
    with pytest.raises(TimeoutError):
        spy.recv(timeout=1)


# ----------------------------------------------------------------------------- local-only


def test_foreign_host_and_origin_are_refused(server, token, opener):
    with server.client(token) as client:
        assert client.get("/api/v1/health", headers={"Host": "evil.example"}).status_code == 400
        assert (
            client.get("/api/v1/health", headers={"Host": f"localhost:{server.port}"}).status_code
            == 200
        )
        foreign = client.post(
            "/api/v1/chat/message",
            json={"message": "hola"},
            headers={"Origin": "https://evil.example"},
        )
        assert foreign.status_code == 403
        same = client.post(
            "/api/v1/chat/message",
            json={"message": "hola"},
            headers={"Origin": f"http://127.0.0.1:{server.port}"},
        )
        assert same.status_code == 200
        other_port = client.get(
            "/api/v1/projects", headers={"Origin": f"http://127.0.0.1:{server.port + 1}"}
        )
        assert other_port.status_code == 403
        preflight = client.options(
            "/api/v1/projects",
            headers={
                "Origin": f"http://localhost:{server.port}",
                "Access-Control-Request-Method": "GET",
            },
        )
        assert preflight.headers["access-control-allow-origin"] == f"http://localhost:{server.port}"
    with pytest.raises(InvalidStatus) as refused:
        connect(server.ws_url, origin="https://evil.example")
    assert refused.value.response.status_code == 403
    with pytest.raises(InvalidStatus):
        connect(server.ws_url, additional_headers={"Host": "evil.example"})
    ws_session(opener, server, token, origin=f"http://127.0.0.1:{server.port}")


def test_download_path_tricks_are_refused(server, token):
    with server.client(token) as client:
        for path in [
            "/api/v1/projects/..%2F..%2Fetc%2Fpasswd/download",
            "/api/v1/projects/../../etc/passwd",
            "/api/v1/projects/%2e%2e/download",
            "/api/v1/projects/" + "0" * 32 + "/download?format=../../x",
            "/api/v1/projects/" + "0" * 32 + "/download?version=-1",
        ]:
            response = client.get(path)
            assert response.status_code in (404, 422), (path, response.status_code)
            assert b"root:" not in response.content
        project = client.get("/api/v1/projects").json()[0]
        als = client.get(f"/api/v1/projects/{project['id']}/download")
        assert als.status_code == 200
        # Replace the set by a link that points out of the data folder.
        folder = next(server.data_dir.glob(f"projects/*/{project['name']} Project"))
        target = next(folder.glob("*.als"))
        target.unlink()
        target.symlink_to("/etc/passwd")
        escaped = client.get(f"/api/v1/projects/{project['id']}/download")
        assert escaped.status_code == 403 and b"root:" not in escaped.content
        zipped = client.get(f"/api/v1/projects/{project['id']}/download?format=zip")
        assert zipped.status_code == 200
        assert not any(
            n.endswith(target.name) for n in zipfile.ZipFile(io.BytesIO(zipped.content)).namelist()
        )


# ----------------------------------------------------------------------------- restarts


def test_history_and_projects_survive_a_restart(tmp_path):
    first = start_server(tmp_path)
    try:
        token = sign_in(first)
        with first.client(token) as client:
            client.post("/api/v1/chat/message", json={"message": FLAGSHIP}).raise_for_status()
            history = client.get("/api/v1/chat/history").json()
            projects = client.get("/api/v1/projects").json()
    finally:
        first.process.kill()  # no clean shutdown: what was acknowledged must still be there
        first.process.wait()
    second = start_server(tmp_path)
    try:
        with second.client(token) as client:  # the signing key persisted too
            assert client.get("/api/v1/chat/history").json() == history
            assert client.get("/api/v1/projects").json() == projects
        assert second.login_token and second.login_token != first.login_token
    finally:
        second.stop()


@pytest.mark.parametrize("how", ["terminate", "kill"])
def test_a_stopped_server_leaves_no_processes_behind(tmp_path, how):
    running = start_server(tmp_path)
    try:
        token = sign_in(running)
        with running.client(token) as client:  # the workers have done real work
            client.post("/api/v1/chat/message", json={"message": FLAGSHIP}).raise_for_status()
        helpers = descendants(running.process.pid)
        assert len(helpers) >= 2  # at least the forkserver and a worker
    finally:
        getattr(running.process, how)()  # kill: a crash, no shutdown code runs at all
        running.process.wait(30)
    deadline = time.monotonic() + 20
    while alive(helpers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not alive(helpers)


def test_a_taken_port_gives_a_clear_message(server):
    result = subprocess.run(
        [sys.executable, "-m", "companion.cli", "serve", "--port", str(server.port)],
        capture_output=True,
        text=True,
        timeout=60,
        env={**__import__("os").environ, "MUSIAIA_DATA_DIR": str(server.data_dir)},
        check=False,
    )
    assert result.returncode == 2
    assert "already in use" in result.stderr


def test_logs_are_json_and_hold_no_secrets(server, token):
    """Runs last in this module: every line the server printed so far is checked."""
    lines = [line for line in server.output if line.startswith("{")]
    records = [json.loads(line) for line in lines]
    assert any(
        r.get("message") == "project created"
        and r.get("style")
        and r.get("bpm")
        and r.get("generation_ms")
        for r in records
    )
    assert any(r.get("message") == "request" and r.get("status") for r in records)
    text = "".join(server.output)
    for secret in (token, "a-long-password", "another-password", server.login_token):
        assert secret and secret not in "".join(lines)
    assert (server.data_dir / "secret.key").read_text().strip() not in text
