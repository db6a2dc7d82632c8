"""The companion server with Ableton Live: the real server process, the real Remote Script
running in the simulated Live, and real UDP between them.

The test process hosts the simulator and drives Live's clock (``pump``) while it waits for the
server, so nothing here depends on threads touching the simulated song.
"""

from __future__ import annotations

import json
import time
from contextlib import ExitStack

import httpx
import pytest
from websockets.sync.client import connect

from fake_live.host import FakeLive
from fake_live.rig import free_udp_port, script_env
from server_harness import sign_in, start_server


@pytest.fixture(scope="module")
def live():
    simulated = FakeLive("12.2", tempo=100.0)
    simulated.script_port = free_udp_port()
    simulated.companion_port = free_udp_port()
    with script_env(simulated.script_port, simulated.companion_port):
        simulated.start_script()
    yield simulated
    simulated.close()


@pytest.fixture(scope="module")
def server(live, tmp_path_factory):
    running = start_server(
        tmp_path_factory.mktemp("live"),
        env_extra={
            "MUSIAIA_LIVE_SCRIPT_PORT": str(live.script_port),
            "MUSIAIA_LIVE_COMPANION_PORT": str(live.companion_port),
        },
    )
    running.token = sign_in(running)
    yield running
    running.stop()


def pump(live, predicate, timeout: float = 30.0, what: str = "condition"):
    """Tick Live (about 100 ticks a second here) until ``predicate()`` is true."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        live.tick()
        value = predicate()
        if value:
            return value
        time.sleep(0.01)
    raise AssertionError(f"timed out waiting for {what}")


def client(server) -> httpx.Client:
    return httpx.Client(
        base_url=server.base_url, timeout=30, headers={"Authorization": f"Bearer {server.token}"}
    )


@pytest.fixture
def socket(server):
    with ExitStack() as stack:
        ws = stack.enter_context(connect(server.ws_url, open_timeout=10))
        ws.send(json.dumps({"type": "auth", "token": server.token}))
        assert json.loads(ws.recv(timeout=10))["type"] == "ready"
        yield ws


def collect(live, ws, until, timeout: float = 60.0) -> list[dict]:
    """Receive events (ticking Live meanwhile) until ``until(event)`` is true."""
    events, deadline = [], time.monotonic() + timeout
    while time.monotonic() < deadline:
        live.tick()
        try:
            event = json.loads(ws.recv(timeout=0.01))
        except TimeoutError:
            continue
        events.append(event)
        if until(event):
            return events
    raise AssertionError(f"no matching event: {[e['type'] for e in events]}")


def test_state_flows_from_live(live, server, socket):
    with client(server) as http:
        state = pump(
            live,
            lambda: (s := http.get("/api/v1/live/state").json())["connected"] and s,
            what="the script to connect",
        )
        assert state["tempo"] == 100 and state["playing"] is False
        assert len(state["tracks"]) == 4  # Live's default set
        health = http.get("/api/v1/health").json()
        assert health["components"]["live"]["status"] == "connected"
    live.song.tempo = 126.0
    event = collect(
        live, socket, lambda e: e["type"] == "live_state" and e["state"]["tempo"] == 126
    )[-1]
    assert event["state"]["connected"] is True
    live.song.tempo = 100.0


def test_a_song_fits_the_set_and_builds_into_it(live, server, socket):
    live.song.root_note = 2
    live.song.scale_name = "Minor"
    collect(live, socket, lambda e: e["type"] == "live_state" and e["state"]["key"] == "Dm")
    socket.send(json.dumps({"type": "message", "content": "Genera un track de deep house"}))
    project = collect(live, socket, lambda e: e["type"] == "project")[-1]["project"]
    assert project["bpm"] == 100 and project["key"] == "Dm"  # fitted to the open set

    before = len(live.song.tracks)
    with client(server) as http:
        started = http.post(f"/api/v1/projects/{project['id']}/load-in-live")
        assert started.status_code == 202, started.text
        events = collect(live, socket, lambda e: e["type"] in ("live_loaded", "error"))
        assert events[-1]["type"] == "live_loaded", events[-1]
        assert any(e["type"] == "live_progress" for e in events)
        details = http.get(f"/api/v1/projects/{project['id']}").json()
    tracks = list(live.song.tracks)[before:]
    expected = details["arrangement"]["tracks"]
    assert [t.name for t in tracks] == [t["name"] for t in expected]
    for track, wanted in zip(tracks, expected, strict=True):
        notes = sum(
            len(slot.clip.get_all_notes_extended()) for slot in track.clip_slots if slot.has_clip
        )
        assert notes == sum(len(c["notes"]) for c in wanted["clips"])


def test_the_midi_trigger_makes_a_project(live, server, socket):
    with client(server) as http:
        before = len(http.get("/api/v1/projects").json())
    assert live.midi_in(0x9F, 60, 100)  # note 60 on channel 16: MusiaIA's default trigger
    live.midi_in(0x8F, 60, 0)
    event = collect(live, socket, lambda e: e["type"] == "project")[-1]
    assert event["source"] == "live" and event["project"]["bpm"] == 100
    with client(server) as http:
        assert len(http.get("/api/v1/projects").json()) == before + 1


def test_open_in_live_explains_what_it_cannot_do(server):
    with client(server) as http:
        project = http.get("/api/v1/projects").json()[0]
        response = http.post(f"/api/v1/projects/{project['id']}/open-in-live")
    # This machine has no Ableton Live (and is Linux): a clear refusal, not a crash.
    assert response.status_code == 409
    assert "Live" in response.json()["detail"]
