"""The companion with language models: a real server talking to fake GLM and MiniMax servers.

The fakes speak each provider's wire format over real HTTP (tests/fake_llm.py); the server is the
real `musiaia serve` process, configured through the providers' environment variables.
"""

from __future__ import annotations

import json
import time
from contextlib import ExitStack

import httpx
import pytest
from websockets.sync.client import connect

from fake_llm import Fail, Reply, get_fakes, server_env, stream
from server_harness import sign_in, start_server

GLM_KEY = "sk-glm-test-DO-NOT-LEAK-1234567890"
MINIMAX_KEY = "sk-api-minimax-test-DO-NOT-LEAK-0987654321"


@pytest.fixture(scope="module")
def fakes():
    fakes = get_fakes()
    yield fakes
    fakes.reset()


@pytest.fixture(scope="module")
def server(fakes, tmp_path_factory):
    running = start_server(
        tmp_path_factory.mktemp("llm"),
        env_extra={**server_env(fakes, GLM_KEY, MINIMAX_KEY), "MUSIAIA_LLM_IDLE_TIMEOUT": "2"},
    )
    running.token = sign_in(running)
    yield running
    running.stop()


@pytest.fixture
def socket(server):
    with ExitStack() as stack:
        ws = stack.enter_context(connect(server.ws_url, open_timeout=10))
        ws.send(json.dumps({"type": "auth", "token": server.token}))
        assert json.loads(ws.recv(timeout=10))["type"] == "ready"
        yield ws


def turn(ws, content: str, timeout: float = 60) -> list[dict]:
    ws.send(json.dumps({"type": "message", "content": content}))
    events, deadline = [], time.monotonic() + timeout
    while time.monotonic() < deadline:
        event = json.loads(ws.recv(timeout=timeout))
        events.append(event)
        if event["type"] == "error":
            return events
        if event["type"] == "message":
            try:
                events.append(json.loads(ws.recv(timeout=0.5)))
            except TimeoutError:
                pass
            return events
    raise AssertionError(events)


CHAT = Reply(content=json.dumps({"intent": "chat"}))


def test_conversation_streams_tokens_from_minimax(fakes, socket):
    fakes.reset()
    fakes.glm.script(CHAT)  # understanding (structured) goes to GLM first
    fakes.minimax.script(stream("Un compás ", "agrupa los ", "tiempos de la música."))
    events = turn(socket, "¿qué es un compás en música?")
    tokens = [e["content"] for e in events if e["type"] == "token"]
    assert tokens == ["Un compás ", "agrupa los ", "tiempos de la música."]
    message = next(e for e in events if e["type"] == "message")
    assert message["content"] == "".join(tokens)
    assert message["engine"] == "MiniMax-M2" and message["language"] == "es"
    assert len(fakes.glm.requests) == 1  # understanding only; the conversation went to MiniMax
    sent = fakes.minimax.requests[-1]
    assert sent.headers["authorization"] == f"Bearer {MINIMAX_KEY}"
    assert sent.body["messages"][-1]["content"] == "¿qué es un compás en música?"
    system = sent.body["messages"][0]["content"].lower()
    assert "spanish" in system or "español" in system


def test_generation_understood_by_glm(fakes, socket, server):
    fakes.reset()
    fakes.glm.script(
        Reply(
            content=json.dumps(
                {
                    "intent": "generate_project",
                    "style": "techno",
                    "bpm": 133,
                    "key": "Gm",
                    "bars": 32,
                    "mood": "dark",
                    "time_signature": None,
                    "include": [],
                    "exclude": ["lead"],
                }
            )
        )
    )
    events = turn(socket, "algo oscuro y contundente para cerrar la noche, sin melodía")
    project = events[-1]["project"]
    assert (project["style"], project["bpm"], project["key"], project["bars"]) == (
        "techno",
        133,
        "Gm",
        32,
    )
    assert "lead" not in [t["role"] for t in project["tracks"]]
    message = next(e for e in events if e["type"] == "message")
    assert message["engine"] == "glm-4.6"
    body = fakes.glm.requests[-1].body
    assert body["thinking"] == {"type": "disabled"}
    assert body["response_format"] == {"type": "json_object"}
    with httpx.Client(
        base_url=server.base_url, headers={"Authorization": f"Bearer {server.token}"}
    ) as client:
        details = client.get(f"/api/v1/projects/{project['id']}").json()
        assert details["version_list"][0]["engine"] == "glm-4.6"


def test_broken_glm_falls_back_to_minimax_then_offline(fakes, socket):
    fakes.reset()
    fakes.glm.script(Fail(401, {"error": {"code": "1000", "message": "Authentication failed"}}))
    fakes.minimax.script(
        Reply(
            content="<think>the user wants reggaeton</think>"
            + json.dumps(
                {"intent": "generate_project", "style": "reggaeton", "bpm": 96, "key": "F#m"}
            )
        )
    )
    events = turn(socket, "quiero algo para perrear")
    assert events[-1]["project"]["style"] == "reggaeton"
    assert next(e for e in events if e["type"] == "message")["engine"] == "MiniMax-M2"
    notices = [e["content"] for e in events if e["type"] == "notice"]
    assert notices and "GLM46_API_KEY" in " ".join(notices)
    assert len(fakes.glm.requests) == 1  # an auth error is never retried

    fakes.reset()
    fakes.glm.script(
        Fail(500, {"error": {"code": "500", "message": "boom"}}),
        Fail(500, {"error": {"code": "500", "message": "boom"}}),
        Fail(500, {"error": {"code": "500", "message": "boom"}}),
    )
    fakes.minimax.script(Reply(content="not json at all"), Reply(content="still not json"))
    events = turn(socket, "house a 124 en La menor")
    assert next(e for e in events if e["type"] == "message")["engine"] == "offline"
    project = events[-1]["project"]
    assert (project["style"], project["bpm"], project["key"]) == ("house", 124, "Am")


def test_nonsense_from_the_model_never_reaches_a_set(fakes, socket):
    fakes.reset()
    fakes.glm.script(
        Reply(
            content=json.dumps(
                {"intent": "generate_project", "style": "../../etc", "bpm": 5000, "key": "H#"}
            )
        ),
        Reply(content=json.dumps({"intent": "generate_project", "bpm": -3})),
    )
    events = turn(socket, "trance eufórico a 138")
    project = events[-1]["project"]
    assert project["style"] == "trance" and project["bpm"] == 138  # the offline parser's reading
    assert next(e for e in events if e["type"] == "message")["engine"] == "offline"


def test_keys_never_leave_the_server(fakes, server, socket):
    fakes.reset()
    fakes.glm.script(CHAT)
    fakes.minimax.script(stream("ok"))
    turn(socket, "hola")
    with httpx.Client(
        base_url=server.base_url, headers={"Authorization": f"Bearer {server.token}"}
    ) as client:
        health = client.get("/api/v1/health")
        history = client.get("/api/v1/chat/history", params={"limit": 500})
        openapi = client.get("/openapi.json")
    assert health.json()["components"]["llm"]["status"] == "ok"
    for response in (health, history, openapi):
        assert GLM_KEY not in response.text and MINIMAX_KEY not in response.text
    output = "".join(server.output)
    assert GLM_KEY not in output and MINIMAX_KEY not in output


def test_doctor_reports_each_provider(fakes):
    import os
    import subprocess
    import sys

    fakes.reset()
    fakes.glm.script(Reply(content="pong"))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GLM46_", "MINIMAX_"))}
    env.update({"GLM46_API_KEY": GLM_KEY, "GLM46_BASE_URL": fakes.glm.base_url})
    result = subprocess.run(
        [sys.executable, "-m", "companion.cli", "doctor"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    lines = dict(line.split(": ", 1) for line in result.stdout.splitlines() if ": " in line)
    assert lines["glm-4.6"].startswith("answers")
    assert lines["MiniMax-M2"] == "not configured"
    assert GLM_KEY not in result.stdout + result.stderr
