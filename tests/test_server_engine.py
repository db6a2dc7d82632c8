"""Each account's engine, end to end through the real server, and the bounded wait as the
producer lives it over the WebSocket.

The server is the real ``musiaia serve`` process; GLM, MiniMax and a local Ollama are fake
servers speaking their wire formats over real HTTP (tests/fake_llm.py).
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
from contextlib import contextmanager

import httpx
import pytest
from websockets.sync.client import connect

from companion.db import SCHEMA_VERSION, Database
from companion.services.engine_choice import get_engine_choice
from fake_llm import Hang, Reply, fresh_fakes, server_env, stream
from server_harness import sign_in, start_server

MODEL = "qwen3:8b"
QUESTION = "¿Qué es el sidechain?"
CHAT = Reply(content=json.dumps({"intent": "chat"}))


@pytest.fixture(scope="module")
def fakes():
    with fresh_fakes() as fakes:
        yield fakes


@pytest.fixture(scope="module")
def server(fakes, tmp_path_factory):
    running = start_server(
        tmp_path_factory.mktemp("engine"),
        env_extra={
            **server_env(
                fakes, "sk-glm-engine-test-0123456789", "sk-api-minimax-engine-test-0123456789"
            ),
            "MUSIAIA_LLM_LOCAL_BASE_URL": fakes.local.base_url.removesuffix("/v1"),
            "MUSIAIA_LLM_LOCAL_MODEL": MODEL,
        },
    )
    running.token = sign_in(running)
    yield running
    running.stop()


@contextmanager
def chat_socket(server, token: str):
    with connect(server.ws_url, open_timeout=10) as ws:
        ws.send(json.dumps({"type": "auth", "token": token}))
        assert json.loads(ws.recv(timeout=10))["type"] == "ready"
        yield ws


def turn(ws, content: str, timeout: float = 60) -> list[tuple[float, dict]]:
    """(seconds since sending, event) for every event of one turn."""
    started = time.monotonic()
    ws.send(json.dumps({"type": "message", "content": content}))
    events = []
    while time.monotonic() - started < timeout:
        event = json.loads(ws.recv(timeout=timeout))
        events.append((time.monotonic() - started, event))
        if event["type"] in ("message", "error"):
            return events
    raise AssertionError(events)


def final(events) -> dict:
    return next(e for _, e in events if e["type"] == "message")


def add_user(server, name: str, password: str = "a-long-password-1") -> str:
    subprocess.run(
        [sys.executable, "-m", "companion.cli", "user", "add", name, "--password-stdin"],
        input=password + "\n",
        text=True,
        check=True,
        capture_output=True,
        env={**__import__("os").environ, "MUSIAIA_DATA_DIR": str(server.data_dir)},
    )
    response = httpx.post(
        server.base_url + "/api/v1/auth/login",
        data={"username": name, "password": password},
        timeout=30,
    )
    response.raise_for_status()
    return response.json()["access_token"]


# ====================================================================== the API


def test_engine_settings_need_a_session(server):
    with server.client() as anonymous:
        assert anonymous.get("/api/v1/settings/engine").status_code == 401
        assert anonymous.put("/api/v1/settings/engine", json={"engine": "local"}).status_code == 401
    with server.client("not-a-token") as forged:
        assert forged.get("/api/v1/settings/engine").status_code == 401


def test_engine_settings_list_what_this_server_has(server):
    with server.client(server.token) as http:
        http.put("/api/v1/settings/engine", json={"engine": "auto"}).raise_for_status()
        data = http.get("/api/v1/settings/engine").json()
    assert data["engine"] == "auto"
    options = {o["id"]: o for o in data["options"]}
    assert list(options) == ["auto", "glm", "minimax", "local", "offline"]
    assert options["local"]["name"] == MODEL and options["local"]["available"] is True
    assert options["local"]["on_machine"] is True and options["glm"]["on_machine"] is False
    assert options["glm"]["name"] == "GLM-4.6" and options["minimax"]["available"] is True
    assert options["auto"]["name"] == f"{MODEL} → MiniMax-M2 → GLM-4.6 → offline"


def test_bad_choices_are_refused_and_change_nothing(server):
    with server.client(server.token) as http:
        http.put("/api/v1/settings/engine", json={"engine": "minimax"}).raise_for_status()
        for body in (
            {"engine": "openai"},
            {"engine": None},
            {"engine": "local", "model": "other"},
            {},
            ["local"],
        ):
            response = http.put("/api/v1/settings/engine", json=body)
            assert response.status_code == 422, body
        assert http.get("/api/v1/settings/engine").json()["engine"] == "minimax"
        raw = http.put(
            "/api/v1/settings/engine",
            content=b"{not json",
            headers={"Content-Type": "application/json"},
        )
        assert raw.status_code == 422
        assert http.get("/api/v1/settings/engine").json()["engine"] == "minimax"
        http.put("/api/v1/settings/engine", json={"engine": "auto"}).raise_for_status()


# ====================================================================== end to end


def test_local_choice_answers_with_the_local_model_only(fakes, server):
    fakes.reset()
    with server.client(server.token) as http:
        chosen = http.put("/api/v1/settings/engine", json={"engine": "local"})
        assert chosen.json()["engine"] == "local"
    fakes.local.script(CHAT, stream("El sidechain ", "agacha el pad."))
    with chat_socket(server, server.token) as ws:
        events = turn(ws, QUESTION)
    message = final(events)
    assert message["engine"] == MODEL and message["content"] == "El sidechain agacha el pad."
    tokens = [e["content"] for _, e in events if e["type"] == "token"]
    assert tokens == ["El sidechain ", "agacha el pad."]
    understanding, answer = fakes.local.bodies
    assert understanding["response_format"] == {"type": "json_object"}
    assert answer["stream"] is True and answer["messages"][-1]["content"] == QUESTION
    assert fakes.glm.requests == [] and fakes.minimax.requests == []
    with server.client(server.token) as http:
        history = http.get("/api/v1/chat/history").json()
    assert history[-1]["engine"] == MODEL


def test_offline_choice_sends_nothing_anywhere(fakes, server):
    fakes.reset()
    with server.client(server.token) as http:
        http.put("/api/v1/settings/engine", json={"engine": "offline"}).raise_for_status()
        reply = http.post("/api/v1/chat/message", json={"message": QUESTION}).json()
    assert reply["engine"] == "offline" and "sidechain" in reply["response"].lower()
    assert fakes.local.requests == fakes.glm.requests == fakes.minimax.requests == []


def test_a_cloud_choice_comes_first_and_each_account_keeps_its_own(fakes, server):
    fakes.reset()
    with server.client(server.token) as http:
        http.put("/api/v1/settings/engine", json={"engine": "glm"}).raise_for_status()
    other = add_user(server, "second-producer")
    with server.client(other) as http:
        assert http.get("/api/v1/settings/engine").json()["engine"] == "auto"

    fakes.glm.script(CHAT, stream("Desde GLM."))
    with chat_socket(server, server.token) as ws:
        assert final(turn(ws, QUESTION))["engine"] == "glm-4.6"
    assert fakes.local.requests == []  # GLM answered, before the routing's local model

    fakes.reset()
    fakes.local.script(CHAT, stream("Desde local."))
    with chat_socket(server, other) as ws:
        assert final(turn(ws, QUESTION))["engine"] == MODEL  # automatic: local first
    assert fakes.glm.requests == []

    with server.client(server.token) as http:
        http.put("/api/v1/settings/engine", json={"engine": "auto"}).raise_for_status()


# ====================================================================== the bounded wait


@pytest.fixture(scope="module")
def hung_server(fakes, tmp_path_factory):
    """Only a local model, hung; small bounds so the test waits seconds, not minutes."""
    running = start_server(
        tmp_path_factory.mktemp("hung"),
        env_extra={
            "MUSIAIA_LLM_LOCAL_BASE_URL": fakes.local.base_url,
            "MUSIAIA_LLM_LOCAL_MODEL": MODEL,
            "MUSIAIA_LLM_UNDERSTAND_BUDGET": "1.5",
            "MUSIAIA_LLM_ANSWER_BUDGET": "2",
            "MUSIAIA_LLM_SLOW_NOTICE": "0.3",
        },
    )
    running.token = sign_in(running)
    yield running
    running.stop()


def test_a_hung_model_is_bounded_over_the_websocket(fakes, hung_server):
    fakes.reset()
    fakes.local.default = Hang()
    try:
        with chat_socket(hung_server, hung_server.token) as ws:
            events = turn(ws, QUESTION)
            notices = [(at, e["content"]) for at, e in events if e["type"] == "notice"]
            first_token = next(at for at, e in events if e["type"] == "token")
            done = next(at for at, e in events if e["type"] == "message")
            assert notices and notices[0][0] < first_token
            assert notices[0][0] < 1.5  # told while the model was still being waited for
            assert MODEL in notices[0][1]
            assert done < max(1.5, 2) + 1.0  # one silence budget, not retries × timeouts
            assert final(events)["engine"] == "offline"

            # The hang opened the circuit: the next question waits for nothing.
            again = turn(ws, "¿Y un compresor?")
            assert final(again)["engine"] == "offline" and again[-1][0] < 1.0
        with hung_server.client() as http:
            llm = http.get("/api/v1/health").json()["components"]["llm"]
        assert {p["engine"]: p["circuit"] for p in llm["providers"]}[MODEL] == "open"
    finally:
        fakes.local.default = None


def test_an_engine_that_is_not_set_up_cannot_be_chosen(hung_server):
    with hung_server.client(hung_server.token) as http:
        refused = http.put("/api/v1/settings/engine", json={"engine": "glm"})
        assert refused.status_code == 422 and "GLM46_API_KEY" in refused.json()["detail"]
        assert http.get("/api/v1/settings/engine").json()["engine"] == "auto"
        options = {o["id"]: o for o in http.get("/api/v1/settings/engine").json()["options"]}
    assert options["glm"]["available"] is False and options["glm"]["setup"] == "GLM46_API_KEY"


# ====================================================================== the migration


def test_an_older_database_gets_the_engine_column(tmp_path):
    path = tmp_path / "v2.db"
    with sqlite3.connect(path) as connection:
        connection.executescript("""
            CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR(200));
            INSERT INTO schema_migrations VALUES (1, 'initial'), (2, 'sample library columns');
            CREATE TABLE users (id INTEGER PRIMARY KEY, username VARCHAR(64) UNIQUE,
                                password_hash VARCHAR(256), is_local BOOLEAN,
                                created_at DATETIME);
            INSERT INTO users (username, password_hash, is_local) VALUES ('old', 'x', 1);
        """)
    database = Database(f"sqlite:///{path}")
    assert database.create_schema() == SCHEMA_VERSION
    with sqlite3.connect(path) as check:
        columns = {row[1] for row in check.execute("PRAGMA table_info(users)")}
        assert "api_provider" in columns
        assert check.execute("SELECT username, api_provider FROM users").fetchall() == [
            ("old", None)
        ]
    assert get_engine_choice(database, 1) is None  # an existing account follows the routing
    database.create_schema()  # idempotent
    database.dispose()
