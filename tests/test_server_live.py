"""The companion server with Ableton Live: the real server process, the real Remote Script
running in the simulated Live, and real UDP between them.

The test process hosts the simulator and drives Live's clock (``pump``) while it waits for the
server, so nothing here depends on threads touching the simulated song.
"""

from __future__ import annotations

import json
import math
import struct
import time
import wave
from contextlib import ExitStack
from itertools import pairwise
from pathlib import Path

import httpx
import pytest
from websockets.sync.client import connect

from companion.kit.build import MANIFEST as KIT_MANIFEST
from companion.live.link import KEY_FILE, write_key
from fake_live.host import FakeLive
from fake_live.rig import LINK_SECRET_HEX, free_udp_port, script_env
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
    # MusiaIA's kit in the User Library's Samples folder, where a real install puts it.
    user_library = tmp_path_factory.mktemp("home") / "User Library"
    data_dir = tmp_path_factory.mktemp("live")
    write_key(data_dir / KEY_FILE, LINK_SECRET_HEX)  # what install.py shares with the script
    running = start_server(
        data_dir,
        env_extra={
            "MUSIAIA_LIVE_SCRIPT_PORT": str(live.script_port),
            "MUSIAIA_LIVE_COMPANION_PORT": str(live.companion_port),
            "MUSIAIA_KIT_DIR": str(user_library / "Samples" / "MusiaIA Kit"),
        },
    )
    running.user_library = user_library
    running.token = sign_in(running)
    # These tests are about "Send to Live": songs made in the chat stay out of the set until
    # sent (auto-load, on by default, is tested in test_server_live_answers.py).
    with httpx.Client(base_url=running.base_url, timeout=30) as http:
        switched = http.put(
            "/api/v1/settings/live",
            json={"autoload": False},
            headers={"Authorization": f"Bearer {running.token}"},
        )
        assert switched.json() == {"autoload": False}
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
    kit = server.user_library / "Samples" / "MusiaIA Kit"
    deadline = time.monotonic() + 60
    while not (kit / KIT_MANIFEST).exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    live.app.browser._show_user_library(str(server.user_library))
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
        events = collect(
            live, socket, lambda e: e["type"] in ("live_loaded", "live_error", "error")
        )
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
    # The kit is in the User Library, so Live's browser has the very samples the set plays:
    # every Simpler gets its own sound. Only a Drum Rack of samples that is not the drums (the
    # FX track) is explained: no Live version lets a script fill a Drum Rack's pads.
    racks = [
        (track, wanted)
        for track, wanted in zip(tracks, expected, strict=True)
        if (wanted.get("instrument") or {}).get("kind") == "drum_rack" and wanted["role"] != "drums"
    ]
    # (the production's clip envelopes add the one note on their ramps, drawn as steps)
    warnings = events[-1]["result"]["summary"]["warnings"]
    assert [w for w in warnings if "1/16-note steps" not in w] == [
        f"{wanted['name']}: its {len(wanted['instrument']['pads'])} samples play from a Drum Rack "
        "in the .als; Live cannot load samples into Drum Rack pads from a script, so here it has "
        "an empty Drum Rack (open the .als for them)"
        for _track, wanted in racks
    ]
    for track, wanted in racks:
        assert [d.class_name for d in track.devices][:1] == ["DrumGroupDevice"]
        assert len(track.devices) == 1 + len(wanted["devices"])  # then the production's effects
    # A multi-sampled instrument reaches Live as a Simpler playing one of its zones.
    simplers = [
        (
            track,
            {zone["sample"]["path"].rsplit("/", 1)[-1] for zone in wanted["instrument"]["zones"]},
        )
        if wanted["instrument"]["kind"] == "multi"
        else (track, {wanted["instrument"]["sample"]["path"].rsplit("/", 1)[-1]})
        for track, wanted in zip(tracks, expected, strict=True)
        if (wanted.get("instrument") or {}).get("kind") in ("simpler", "multi")
    ]
    assert simplers
    for track, file_names in simplers:
        device = track.devices[0]  # the instrument, then the production's effects
        assert Path(device.sample.file_path).parent == kit
        assert Path(device.sample.file_path).name in file_names


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


def _drum_loop(path: Path, seconds: float = 4.8, rate: int = 8000) -> None:
    """Two bars of clicks at 100 BPM: named like a library loop, so the library indexes it as
    a 100 BPM drum loop."""
    frames = bytearray()
    for i in range(int(seconds * rate)):
        value = int(8000 * math.sin(i / 3.0)) if i % (rate * 60 // 100) < 400 else 0
        frames += struct.pack("<h", value)
    with wave.open(str(path), "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(rate)
        writer.writeframes(bytes(frames))


def test_a_song_with_a_loop_and_samples_builds_into_live(live, server, socket, tmp_path):
    """Last in this module: once the library has a loop, new songs layer it on an audio track.
    The server sends the project folder; the script loads the loop from inside it."""
    surface = live.surfaces[0][0]
    pump(live, lambda: not surface.apply.busy, what="the trigger's song to be built")
    loop = tmp_path / "Deep Drum Loop 100 BPM.wav"
    _drum_loop(loop)
    projects = server.data_dir / "projects"
    live.app.browser._add_place(str(projects))  # the producer added MusiaIA's projects to Places
    with client(server) as http:
        uploaded = http.post(
            "/api/v1/samples/upload", files={"file": (loop.name, loop.read_bytes(), "audio/wav")}
        )
        assert uploaded.status_code == 201, uploaded.text
    socket.send(json.dumps({"type": "message", "content": "Genera un track de deep house"}))
    project = collect(live, socket, lambda e: e["type"] == "project")[-1]["project"]
    with client(server) as http:
        details = http.get(f"/api/v1/projects/{project['id']}").json()
        expected = details["arrangement"]["tracks"]
        looped = [t for t in expected if t.get("audio")]
        assert len(looped) == 1 and looped[0]["audio"]["sample"]["path"].endswith(loop.name)
        started = http.post(f"/api/v1/projects/{project['id']}/load-in-live")
        assert started.status_code == 202, started.text
        events = collect(
            live, socket, lambda e: e["type"] in ("live_loaded", "live_error", "error")
        )
    assert events[-1]["type"] == "live_loaded", events[-1]
    summary = events[-1]["result"]["summary"]
    assert all(
        "samples play from a Drum Rack" in w or "1/16-note steps" in w  # (production's ramps)
        for w in summary["warnings"]
    )
    assert summary["audio_tracks"] == 1
    assert summary["audio_arrangement_method"] == "duplicate_clip_to_arrangement"

    made = [live.song.tracks[i] for i in summary["track_indices"]]
    assert [t.name for t in made] == [t["name"] for t in expected]
    tracks = {t.name: t for t in made}
    audio = tracks[looped[0]["name"]]
    assert not audio.has_midi_input
    paths = {c.file_path for c in audio.arrangement_clips} | {
        s.clip.file_path for s in audio.clip_slots if s.has_clip
    }
    (path,) = paths
    folder = Path(path).parents[2]  # the project folder: <project>/Samples/Imported/<file>
    assert folder.parent.parent == projects  # projects/<user>/<project>
    assert any(folder.glob("*.als")) and Path(path).name == loop.name
    slots = [s.clip for s in audio.clip_slots if s.has_clip]
    assert len(slots) == len(looped[0]["clips"])
    assert all(c.warping and c.looping and c.loop_end == looped[0]["audio"]["beats"] for c in slots)
    # the arrangement: each clip's span covered exactly, pass after pass of the loop
    placed = sorted((c.start_time, c.end_time) for c in audio.arrangement_clips)
    for clip in looped[0]["clips"]:
        inside = [p for p in placed if clip["start"] <= p[0] < clip["start"] + clip["length"]]
        assert inside[0][0] == clip["start"]
        assert inside[-1][1] == clip["start"] + clip["length"]
        assert all(a[1] == b[0] for a, b in pairwise(inside))
    # every Simpler plays a file of the song's sample from MusiaIA's projects folder
    for wanted in expected:
        instrument = wanted.get("instrument") or {}
        if instrument.get("kind") == "simpler":
            device = tracks[wanted["name"]].devices[0]  # then the production's effects
            played = Path(device.sample.file_path)
            assert played.name == instrument["sample"]["path"].rsplit("/", 1)[-1]
            assert played.is_relative_to(projects)
