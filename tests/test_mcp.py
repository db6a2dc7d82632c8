"""MusiaIA's MCP server, driven by the official SDK's own client: over stdio (``musiaia mcp`` as
a real subprocess) and over Streamable HTTP at ``/mcp`` on the real companion, with the real
Remote Script in the simulated Live for ``send_to_live``."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path

import anyio
import httpx
import httpx2
import pytest
from mcp import Client
from mcp.client.stdio import StdioServerParameters
from mcp.client.streamable_http import streamable_http_client
from mcp.shared.exceptions import MCPError
from websockets.sync.client import connect

import sampleaudio as sa
from companion.live.link import KEY_FILE, write_key
from fake_live.host import FakeLive
from fake_live.rig import LINK_SECRET_HEX, free_udp_port, script_env
from server_harness import sign_in, start_server

TOOLS = {
    "compose_song",
    "revise_song",
    "list_projects",
    "get_project",
    "live_state",
    "send_to_live",
    "read_live_clip",
    "search_samples",
    "render_preview",
}
REQUEST = "Genera un track de house a 124 BPM en La menor"
SHORT = {"style": "techno", "bpm": 128, "key": "Fm", "bars": 8}  # quick to compose


def stdio_env(data_dir: Path, **extra: str) -> dict[str, str]:
    """A private data folder and kit, no sample library, and a Live link that reaches nobody
    (the client passes only HOME, PATH and these: a developer's MUSIAIA_* never leak in)."""
    (data_dir / "library").mkdir(parents=True, exist_ok=True)
    return {
        "MUSIAIA_DATA_DIR": str(data_dir),
        "MUSIAIA_KIT_DIR": str(data_dir / "kit"),
        "MUSIAIA_SAMPLE_DIRS": str(data_dir / "library"),
        "MUSIAIA_LIVE_COMPANION_PORT": "0",
        "MUSIAIA_LIVE_SCRIPT_PORT": str(free_udp_port()),
        **extra,
    }


def stdio_client(data_dir: Path, **extra: str) -> Client:
    command = StdioServerParameters(
        command=sys.executable,
        args=["-m", "companion.cli", "mcp"],
        env=stdio_env(data_dir, **extra),
    )
    return Client(command, read_timeout_seconds=120)


def run(test: Callable[[], Awaitable[None]]) -> None:
    anyio.run(test)


class Progress:
    """Collects the progress notifications of one call."""

    def __init__(self) -> None:
        self.events: list[tuple[float, float | None, str | None]] = []

    async def __call__(self, progress: float, total: float | None, message: str | None) -> None:
        self.events.append((progress, total, message))

    @property
    def values(self) -> list[float]:
        return [event[0] for event in self.events]

    @property
    def messages(self) -> list[str | None]:
        return [event[2] for event in self.events]

    def check(self, at_least: int = 3) -> None:
        """Moving forward, out of 100, ending when the work is done."""
        assert len(self.events) >= at_least, self.events
        assert self.values == sorted(set(self.values)), self.values
        assert all(total == 100 for _, total, _ in self.events)
        assert self.values[-1] == 100


def error_text(result) -> str:
    assert result.is_error, result
    return " ".join(block.text for block in result.content if hasattr(block, "text"))


async def compose(client: Client, **arguments) -> dict:
    result = await client.call_tool("compose_song", arguments)
    assert not result.is_error, error_text(result)
    return result.structured_content


# --------------------------------------------------------------------------- stdio


def test_stdio_lists_the_song_level_tools(tmp_path):
    async def test() -> None:
        async with stdio_client(tmp_path) as client:
            tools = {tool.name: tool for tool in (await client.list_tools()).tools}
            assert set(tools) == TOOLS
            assert all(tool.output_schema for tool in tools.values())  # typed results
            compose_schema = tools["compose_song"].input_schema
            assert set(compose_schema["properties"]) == {"request", "requirements", "seed"}
            assert "Requirements" in compose_schema["$defs"]
            assert tools["revise_song"].input_schema["required"] == ["project_id", "change"]
            assert tools["list_projects"].annotations.read_only_hint is True
            templates = (await client.list_resource_templates()).resource_templates
            assert {t.uri_template for t in templates} == {
                "musiaia://projects/{project_id}/arrangement",
                "musiaia://projects/{project_id}/versions/{version}/arrangement",
            }

    run(test)
    # Warming up in the background composes in memory only: nothing is written.
    assert not [p for p in tmp_path.rglob("*") if p.suffix in (".als", ".mid", ".json")]


def test_stdio_composes_revises_and_reads_a_song(tmp_path):
    data = tmp_path / "data"

    async def test() -> None:
        async with stdio_client(data) as client:
            progress = Progress()
            result = await client.call_tool(
                "compose_song", {"request": REQUEST, "seed": 7}, progress_callback=progress
            )
            assert not result.is_error, error_text(result)
            song = result.structured_content
            assert (song["style"], song["bpm"], song["key"]) == ("house", 124, "Am")
            assert song["version"] == 1 and song["seed"] == 7 and song["changes"] == []
            assert song["summary"].startswith("style=house bpm=124 key=Am time=4/4")
            assert {t["role"] for t in song["tracks"]} >= {"drums", "bass", "chords"}
            assert all(t["instrument"] for t in song["tracks"])  # a set that plays
            assert Path(song["paths"]["als"]).read_bytes()[:2] == b"\x1f\x8b"
            progress.check()
            assert "Composing the arrangement" in progress.messages
            assert "Writing the project files" in progress.messages

            progress = Progress()
            result = await client.call_tool(
                "revise_song",
                {"project_id": song["project_id"], "change": "hazlo más rápido"},
                progress_callback=progress,
            )
            assert not result.is_error, error_text(result)
            revised = result.structured_content
            assert revised["version"] == 2 and revised["bpm"] > 124
            assert revised["changes"] == [f"tempo 124 → {revised['bpm']:g} BPM"]
            assert revised["key"] == "Am" and revised["seed"] == 7  # the same take, faster
            progress.check()

            listed = (await client.call_tool("list_projects", {})).structured_content
            assert [(p["project_id"], p["versions"]) for p in listed["projects"]] == [
                (song["project_id"], 2)
            ]
            info = (
                await client.call_tool("get_project", {"project_id": song["project_id"]})
            ).structured_content
            assert [v["number"] for v in info["versions"]] == [1, 2]
            assert info["versions"][1]["changes"] == revised["changes"]
            assert info["requirements"]["intent"] == "modify_project"
            first_info = await client.call_tool(
                "get_project", {"project_id": song["project_id"], "version": 1}
            )
            assert first_info.structured_content["requirements"]["bpm"] == 124  # as asked
            assert info["arrangement_uri"].endswith("/versions/2/arrangement")

            latest = await client.read_resource(
                f"musiaia://projects/{song['project_id']}/arrangement"
            )
            content = latest.contents[0]
            assert content.mime_type == "application/json"
            arrangement = json.loads(content.text)
            assert arrangement["bpm"] == revised["bpm"]
            notes = sum(len(c["notes"]) for t in arrangement["tracks"] for c in t["clips"])
            assert f"notes={notes}" in revised["summary"]
            first = await client.read_resource(info["arrangement_uri"].replace("/2/", "/1/"))
            assert json.loads(first.contents[0].text)["bpm"] == 124

        # The same request and seed through the command line: the very same song.
        out = tmp_path / "cli"
        cli = subprocess.run(
            [
                sys.executable,
                "-m",
                "companion.cli",
                "generate",
                REQUEST,
                "--seed",
                "7",
                "--out",
                out,
            ],
            capture_output=True,
            text=True,
            env={**os.environ, **stdio_env(data)},
            check=False,
        )
        assert cli.returncode == 0, cli.stderr
        name = "House 124 Am"
        made = Path(song["paths"]["arrangement_json"]).read_bytes()
        assert made == (out / f"{name} Project" / "MusiaIA" / f"{name}.json").read_bytes()

    run(test)


def test_stdio_errors_are_clear_and_change_nothing(tmp_path):
    async def test() -> None:
        async with stdio_client(tmp_path) as client:
            bad_tempo = await client.call_tool("compose_song", {"requirements": {"bpm": 5000}})
            assert "bpm" in error_text(bad_tempo) and "999" in error_text(bad_tempo)
            bad_style = await client.call_tool("compose_song", {"requirements": {"style": "x"}})
            assert "style" in error_text(bad_style)
            extra = await client.call_tool("compose_song", {"requirements": {"tempo": 120}})
            assert "tempo" in error_text(extra)  # unknown fields are refused, not ignored
            nothing = await client.call_tool("compose_song", {})
            assert "request text or as requirements" in error_text(nothing)
            chat = await client.call_tool("compose_song", {"request": "hola, ¿qué tal?"})
            assert "does not describe a track" in error_text(chat)
            impossible = await client.call_tool("compose_song", {"request": "house a 5000 BPM"})
            assert "5000" in error_text(impossible)

            unknown = "0" * 32
            revise = await client.call_tool(
                "revise_song", {"project_id": unknown, "change": "faster"}
            )
            assert f"no project '{unknown}'" in error_text(revise)
            sneaky = await client.call_tool(
                "revise_song", {"project_id": "../../etc", "change": "faster"}
            )
            assert "project_id" in error_text(sneaky)
            assert "no project" in error_text(
                await client.call_tool("get_project", {"project_id": unknown})
            )
            with pytest.raises(MCPError, match="no project"):
                await client.read_resource(f"musiaia://projects/{unknown}/arrangement")
            assert error_text(await client.call_tool("no_such_tool", {}))

            assert (await client.call_tool("list_projects", {})).structured_content == {
                "projects": []
            }
            assert not any((tmp_path / "projects").rglob("*.als"))

            # No Live: the state says so, sending fails with what to do.
            state = (await client.call_tool("live_state", {})).structured_content
            assert state["connected"] is False and "Control Surface" in state["detail"]
            song = await compose(client, requirements=SHORT, seed=1)
            send = await client.call_tool("send_to_live", {"project_id": song["project_id"]})
            assert "Live is not connected" in error_text(send)
            nowhere = await client.call_tool("send_to_live", {"project_id": unknown})
            assert "no project" in error_text(nowhere)
            read = await client.call_tool("read_live_clip", {})
            assert "Live is not connected" in error_text(read)
            # a request that makes no sense is refused before Live is asked anything
            nameless = await client.call_tool("read_live_clip", {"what": "track"})
            assert "needs the track's name" in error_text(nameless)

            revise = await client.call_tool(
                "revise_song", {"project_id": song["project_id"], "change": "hola"}
            )
            assert "does not say what to change" in error_text(revise)
            info = await client.call_tool("get_project", {"project_id": song["project_id"]})
            assert len(info.structured_content["versions"]) == 1  # nothing was written
            assert {t.name for t in (await client.list_tools()).tools} == TOOLS  # still serving

    run(test)


def test_stdio_live_tools_say_when_another_companion_holds_the_link(tmp_path):
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as taken:
        taken.bind(("127.0.0.1", 0))
        port = taken.getsockname()[1]

        async def test() -> None:
            async with stdio_client(tmp_path, MUSIAIA_LIVE_COMPANION_PORT=str(port)) as client:
                state = (await client.call_tool("live_state", {})).structured_content
                assert state["connected"] is False
                assert "another MusiaIA companion" in state["detail"] and "/mcp" in state["detail"]

        run(test)


def test_stdio_renders_a_preview_once(tmp_path):
    async def test() -> None:
        async with stdio_client(tmp_path) as client:
            song = await compose(client, requirements=SHORT, seed=2)
            progress = Progress()
            first = await client.call_tool(
                "render_preview", {"project_id": song["project_id"]}, progress_callback=progress
            )
            assert not first.is_error, error_text(first)
            preview = first.structured_content
            audio = Path(preview["path"])
            assert audio.read_bytes()[:4] == b"fLaC" and audio.stat().st_size == preview["bytes"]
            assert preview["seconds"] == pytest.approx(8 * 4 * 60 / 128)  # 8 bars at 128 BPM
            assert audio.is_relative_to(Path(song["paths"]["folder"]))
            progress.check(at_least=2)  # the render itself reports no steps: start and end
            written = audio.stat().st_mtime_ns
            again = await client.call_tool("render_preview", {"project_id": song["project_id"]})
            assert again.structured_content["path"] == preview["path"]
            assert audio.stat().st_mtime_ns == written  # rendered once
            missing = await client.call_tool("render_preview", {"project_id": "0" * 32})
            assert "no project" in error_text(missing)
            old = await client.call_tool(
                "render_preview", {"project_id": song["project_id"], "version": 9}
            )
            assert "no project" in error_text(old)

    run(test)


async def tick_forever(live: FakeLive) -> None:
    """Live's clock, on the test's event loop while the client waits."""
    while True:
        live.tick()
        await anyio.sleep(0.01)


def test_stdio_sends_a_song_into_simulated_live(tmp_path):
    live = FakeLive("12.2", tempo=100.0)
    live.script_port, live.companion_port = free_udp_port(), free_udp_port()
    with script_env(live.script_port, live.companion_port):
        live.start_script()
    tracks_before = len(live.song.tracks)
    write_key(tmp_path / KEY_FILE, LINK_SECRET_HEX)  # what musiaia setup shares with the script

    async def test() -> None:
        ports = {
            "MUSIAIA_LIVE_SCRIPT_PORT": str(live.script_port),
            "MUSIAIA_LIVE_COMPANION_PORT": str(live.companion_port),
        }
        async with anyio.create_task_group() as clock:
            clock.start_soon(tick_forever, live)
            async with stdio_client(tmp_path, **ports) as client:
                state = (await client.call_tool("live_state", {})).structured_content
                assert state["connected"] is True and state["tempo"] == 100
                assert len(state["tracks"]) == tracks_before
                song = await compose(client, requirements=SHORT, seed=3)
                progress = Progress()
                sent = await client.call_tool(
                    "send_to_live", {"project_id": song["project_id"]}, progress_callback=progress
                )
                assert not sent.is_error, error_text(sent)
                assert sent.structured_content["version"] == 1
                assert sent.structured_content["summary"]  # what Live built
                progress.check()
                assert "Built in Live" in progress.messages
            clock.cancel_scope.cancel()
        added = [t.name for t in live.song.tracks][tracks_before:]
        assert added == [t["name"] for t in song["tracks"]]
        assert live.song.tempo == 100  # the producer's set keeps its tempo

    try:
        run(test)
    finally:
        live.close()


CHORDS = [  # Am | F | C | G, one bar each, whole-note triads: (pitch, start, duration)
    *((p, 0.0, 4.0) for p in (57, 60, 64)),
    *((p, 4.0, 4.0) for p in (53, 57, 60)),
    *((p, 8.0, 4.0) for p in (55, 60, 64)),
    *((p, 12.0, 4.0) for p in (55, 59, 62)),
]
GROOVE = [  # a kick on every beat, a closed hat on every off-beat 8th, over 4 bars
    *((36, float(beat), 0.25) for beat in range(16)),
    *((42, beat + 0.5, 0.25) for beat in range(16)),
]


def test_stdio_reads_and_hears_the_producers_clips_in_simulated_live(tmp_path):
    live = FakeLive("12.2", tempo=122.0)
    live.script_port, live.companion_port = free_udp_port(), free_udp_port()
    with script_env(live.script_port, live.companion_port):
        live.start_script()
    song = live.song
    song.root_note, song.scale_name = 9, "Minor"  # the producer's set is in A minor
    keys, drums = song.tracks[0], song.tracks[1]
    keys.name, drums.name = "Keys", "Drums"
    slot = keys.clip_slots[1]
    slot.create_clip(16.0)
    slot.clip.name = "My chords"
    slot.clip.set_notes(tuple((p, s, d, 90, False) for p, s, d in CHORDS))
    keys.create_midi_clip(0.0, 16.0).set_notes(tuple((p, s, d, 80, False) for p, s, d in CHORDS))
    drums.create_midi_clip(0.0, 16.0).set_notes(tuple((p, s, d, 100, False) for p, s, d in GROOVE))
    write_key(tmp_path / KEY_FILE, LINK_SECRET_HEX)
    undo_before = len(live.world.undo.entries)

    async def read(client: Client, progress=None, **arguments) -> dict:
        result = await client.call_tool("read_live_clip", arguments, progress_callback=progress)
        assert not result.is_error, error_text(result)
        return result.structured_content

    async def test() -> None:
        ports = {
            "MUSIAIA_LIVE_SCRIPT_PORT": str(live.script_port),
            "MUSIAIA_LIVE_COMPANION_PORT": str(live.companion_port),
        }
        async with anyio.create_task_group() as clock:
            clock.start_soon(tick_forever, live)
            async with stdio_client(tmp_path, **ports) as client:
                nothing = await client.call_tool("read_live_clip", {"what": "selected_clip"})
                assert "no clip is selected in Live" in error_text(nothing)

                song.view.detail_clip = slot.clip
                progress = Progress()
                clip = await read(client, progress, include_notes=True)
                progress.check()
                assert "Listening" in progress.messages
                assert (clip["what"], clip["clip"], clip["tempo"]) == (
                    "selected_clip",
                    "My chords",
                    122,
                )
                assert (clip["live_scale"], clip["key"], clip["notes"]) == ("Am", "Am", 12)
                (passage,) = clip["passages"]
                assert passage["tracks"] == ["Keys"] and passage["slot"] == 1
                assert passage["start"] is None and passage["bars"] == 4
                assert [
                    (c["symbol"], c["bar"], c["beat"], c["beats"]) for c in passage["chords"]
                ] == [("Am", 1, 1, 4), ("F", 2, 1, 4), ("C", 3, 1, 4), ("G", 4, 1, 4)]
                assert passage["notes"]["lowest"] == "F2" and passage["notes"]["highest"] == "E3"
                assert passage["rhythm"]["strong_steps"] == [0]  # whole notes on the downbeat
                assert passage["rhythm"]["onsets_per_bar"] == 1
                listed = sorted(
                    (n["pitch"], n["start"], n["duration"]) for n in passage["note_list"]
                )
                assert listed == sorted(CHORDS) and passage["notes_left_out"] == 0

                # the Arrangement, bars 2 to 3: the chords of those bars, drums left out of the
                # harmony but heard in the rhythm
                region = await read(client, what="arrangement", start_bar=2, end_bar=3)
                (passage,) = region["passages"]
                assert (passage["start"], passage["start_bar"], passage["bars"]) == (4.0, 2, 2)
                assert sorted(passage["tracks"]) == ["Drums", "Keys"]
                assert [(c["symbol"], c["bar"]) for c in passage["chords"]] == [("F", 2), ("C", 3)]
                assert passage["rhythm"]["strong_steps"] == [0, 2, 4, 6, 8, 10, 12, 14]
                assert passage["notes"]["count"] == 6 + 16 and passage["note_list"] is None

                track = await read(client, what="track", track="drums")
                assert [t["name"] for t in track["tracks"]] == ["Drums"]
                (passage,) = track["passages"]
                assert passage["chords"] == [] and passage["notes"]["count"] == 32
                assert passage["rhythm"]["onsets_per_bar"] == 8

                missing = await client.call_tool(
                    "read_live_clip", {"what": "track", "track": "Cowbell"}
                )
                assert "no track called 'Cowbell'" in error_text(missing)
                upside_down = await client.call_tool(
                    "read_live_clip", {"what": "arrangement", "start_bar": 5, "end_bar": 2}
                )
                assert "end_bar 2 is before start_bar 5" in error_text(upside_down)
                not_a_region = await client.call_tool("read_live_clip", {"start_bar": 2})
                assert "what='arrangement'" in error_text(not_a_region)
                bad_bar = await client.call_tool(
                    "read_live_clip", {"what": "arrangement", "start_bar": 0}
                )
                assert "start_bar" in error_text(bad_bar)
            clock.cancel_scope.cancel()

    try:
        run(test)
        assert len(live.world.undo.entries) == undo_before  # reading changed nothing in the set
    finally:
        live.close()


def test_stdio_searches_the_sample_library(tmp_path):
    library = tmp_path / "library"
    for name in ("Kicks/Kick_Deep_01.wav", "Loops/Bass_Loop_124_Am.wav", "FX/Riser_Long.wav"):
        sa.write_wav(library / name, sa.tone(seconds=0.2))

    async def test() -> None:
        async with stdio_client(tmp_path) as client:
            kicks = await client.call_tool("search_samples", {"type": "kick"})
            assert not kicks.is_error, error_text(kicks)
            assert [s["name"] for s in kicks.structured_content["samples"]] == ["Kick_Deep_01.wav"]
            loops = await client.call_tool("search_samples", {"loop": True, "key": "Am"})
            found = loops.structured_content["samples"]
            assert [(s["name"], s["bpm"], s["key"]) for s in found] == [
                ("Bass_Loop_124_Am.wav", 124, "Am")
            ]
            assert Path(found[0]["path"]).is_file()
            slow = await client.call_tool("search_samples", {"bpm_min": 5})
            assert "bpm_min" in error_text(slow)
            upside_down = await client.call_tool("search_samples", {"bpm_min": 130, "bpm_max": 120})
            assert error_text(upside_down)

    run(test)


def test_stdio_songs_say_which_samples_they_left_out(tmp_path):
    """Issue 11 finding 1: a sample that vanished after indexing is left out, and compose_song,
    revise_song and get_project say so in a typed field (not only in the panel's chat)."""
    gone = tmp_path / "library" / "Bass" / "House Bass Gone C1.wav"
    sa.write_wav(gone, sa.tone(55, 0.6))
    house = {"style": "house", "bpm": 124, "key": "Am", "bars": 8}

    async def test() -> None:
        async with stdio_client(tmp_path) as client:
            tools = {tool.name: tool for tool in (await client.list_tools()).tools}
            for name in ("compose_song", "revise_song", "get_project"):
                field = tools[name].output_schema["properties"]["warnings"]
                assert field["type"] == "array" and field["items"] == {"type": "string"}
            indexed = await client.call_tool("search_samples", {"type": "bass"})
            assert [s["name"] for s in indexed.structured_content["samples"]] == [gone.name]

            song = await compose(client, requirements={**house, "exclude": ["bass"]}, seed=7)
            assert song["warnings"] == []  # no bass: nothing was left out
            gone.unlink()  # behind the index's back: still listed, no longer there

            result = await client.call_tool(
                "revise_song", {"project_id": song["project_id"], "change": "añade un bajo"}
            )
            assert not result.is_error, error_text(result)
            revised = result.structured_content
            assert revised["version"] == 2 and "bass" in {t["role"] for t in revised["tracks"]}
            said = revised["warnings"]
            assert any(gone.name in line and "gone" in line for line in said), said
            again = await client.call_tool(
                "get_project", {"project_id": song["project_id"], "version": 2}
            )
            assert again.structured_content["warnings"] == said
            first = await client.call_tool(
                "get_project", {"project_id": song["project_id"], "version": 1}
            )
            assert first.structured_content["warnings"] == []

            other = await compose(client, requirements=house, seed=7)
            assert any(gone.name in line for line in other["warnings"]), other["warnings"]

    run(test)


# --------------------------------------------------------------------------- HTTP


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    data = tmp_path_factory.mktemp("mcp-http")
    (data / "library").mkdir()
    running = start_server(data, env_extra={"MUSIAIA_SAMPLE_DIRS": str(data / "library")})
    running.token = sign_in(running)
    yield running
    running.stop()


def http_client(server, token: str) -> Client:
    http = httpx2.AsyncClient(
        headers={"Authorization": f"Bearer {token}"}, timeout=httpx2.Timeout(30, read=300)
    )
    return Client(streamable_http_client(server.base_url + "/mcp", http_client=http))


INITIALIZE = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {
        "protocolVersion": "2025-06-18",
        "capabilities": {},
        "clientInfo": {"name": "test", "version": "1"},
    },
}
MCP_HEADERS = {"Accept": "application/json, text/event-stream", "Content-Type": "application/json"}


def test_http_refuses_without_a_valid_token_host_or_origin(server):
    url = server.base_url + "/mcp"
    signed = {**MCP_HEADERS, "Authorization": f"Bearer {server.token}"}

    anonymous = httpx.post(url, json=INITIALIZE, headers=MCP_HEADERS)
    assert anonymous.status_code == 401
    assert anonymous.headers["www-authenticate"].startswith("Bearer")
    forged = {**MCP_HEADERS, "Authorization": "Bearer " + server.token[:-4] + "AAAA"}
    assert httpx.post(url, json=INITIALIZE, headers=forged).status_code == 401
    wrong_scheme = {**MCP_HEADERS, "Authorization": f"Basic {server.token}"}
    assert httpx.post(url, json=INITIALIZE, headers=wrong_scheme).status_code == 401

    rebinding = httpx.post(url, json=INITIALIZE, headers={**signed, "Host": "evil.example"})
    assert rebinding.status_code == 400
    page = httpx.post(url, json=INITIALIZE, headers={**signed, "Origin": "http://evil.example"})
    assert page.status_code == 403
    other_port = {**signed, "Origin": "http://127.0.0.1:1"}
    assert httpx.post(url, json=INITIALIZE, headers=other_port).status_code == 403

    admitted = httpx.post(url, json=INITIALIZE, headers=signed)
    assert admitted.status_code == 200, admitted.text
    panel = {**signed, "Origin": server.base_url}  # the companion's own page may call it
    assert httpx.post(url, json=INITIALIZE, headers=panel).status_code == 200


def test_http_composes_revises_and_reads_and_the_panel_hears_of_it(server):
    with connect(server.ws_url, open_timeout=10) as ws:
        ws.send(json.dumps({"type": "auth", "token": server.token}))
        assert json.loads(ws.recv(timeout=10))["type"] == "ready"

        async def test() -> dict:
            async with http_client(server, server.token) as client:
                assert {t.name for t in (await client.list_tools()).tools} == TOOLS
                progress = Progress()
                result = await client.call_tool(
                    "compose_song",
                    {"request": "dark techno in F minor, 32 bars", "seed": 11},
                    progress_callback=progress,
                )
                assert not result.is_error, error_text(result)
                song = result.structured_content
                assert (song["style"], song["key"], song["bars"]) == ("techno", "Fm", 32)
                progress.check()  # from the companion's worker process, through the pool
                revised = await client.call_tool(
                    "revise_song", {"project_id": song["project_id"], "change": "a 140 BPM"}
                )
                assert not revised.is_error, error_text(revised)
                assert revised.structured_content["changes"] == [f"tempo {song['bpm']:g} → 140 BPM"]
                resource = await client.read_resource(revised.structured_content["arrangement_uri"])
                assert json.loads(resource.contents[0].text)["bpm"] == 140
                rendered = await client.call_tool(
                    "render_preview", {"project_id": song["project_id"], "version": 1}
                )
                assert not rendered.is_error, error_text(rendered)
                preview = rendered.structured_content  # made by the companion's worker
                assert Path(preview["path"]).read_bytes()[:4] == b"fLaC"
                assert preview["url"].endswith("/render?version=1")
                bad = await client.call_tool("compose_song", {"requirements": {"bars": 0}})
                assert "bars" in error_text(bad)
                live = (await client.call_tool("live_state", {})).structured_content
                assert live["connected"] is False
                unread = await client.call_tool("read_live_clip", {})
                assert "Live is not connected" in error_text(unread)
                return song

        song = run_and_return(test)
        events = []
        while not [
            e for e in events if e.get("type") == "project" and e["project"]["version"] == 2
        ]:
            events.append(json.loads(ws.recv(timeout=30)))
        cards = [e for e in events if e.get("type") == "project"]
        assert [c["source"] for c in cards] == ["mcp", "mcp"]
        assert cards[0]["project"]["id"] == song["project_id"]
    with server.client(server.token) as http:
        listed = http.get("/api/v1/projects").json()
        assert {(p["id"], p["versions"]) for p in listed} >= {(song["project_id"], 2)}


def run_and_return(test):
    box = {}

    async def wrapper() -> None:
        box["value"] = await test()

    anyio.run(wrapper)
    return box["value"]


def test_http_each_account_sees_only_its_own_projects(server):
    subprocess.run(
        [sys.executable, "-m", "companion.cli", "user", "add", "guest", "--password-stdin"],
        input="guest-password-123\n",
        text=True,
        env={**os.environ, "MUSIAIA_DATA_DIR": str(server.data_dir)},
        check=True,
        capture_output=True,
    )
    env = {**os.environ, "MUSIAIA_DATA_DIR": str(server.data_dir)}
    issued = subprocess.run(  # what the README tells an agent's user to run
        [sys.executable, "-m", "companion.cli", "token", "guest"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    guest = issued.stdout.strip()
    assert "valid until" in issued.stderr

    async def test() -> None:
        async with http_client(server, server.token) as owner:
            song = await compose(owner, requirements=SHORT, seed=5)
        async with http_client(server, guest) as client:
            assert (await client.call_tool("list_projects", {})).structured_content == {
                "projects": []
            }
            other = await client.call_tool("get_project", {"project_id": song["project_id"]})
            assert "no project" in error_text(other)
            change = {"project_id": song["project_id"], "change": "faster"}
            assert "no project" in error_text(await client.call_tool("revise_song", change))
            with pytest.raises(MCPError):
                await client.read_resource(f"musiaia://projects/{song['project_id']}/arrangement")
            live = (await client.call_tool("live_state", {})).structured_content
            assert "local account" in live["detail"]  # Live belongs to the producer at it
            unread = await client.call_tool("read_live_clip", {"what": "arrangement"})
            assert "local account" in error_text(unread)

    run(test)


# --------------------------------------------------------------------------- no telemetry


def test_the_sdks_tracing_sends_nothing_whatever_the_environment_says(tmp_path):
    """The mcp SDK traces through opentelemetry-api: with MusiaIA every span is a no-op, and an
    environment configuring OpenTelemetry for other software (a provider not installed here)
    neither starts tracing nor stops the server from starting (it did: the SDK's import failed)."""
    otel = {"OTEL_PYTHON_TRACER_PROVIDER": "sdk_tracer_provider", "OTEL_PROPAGATORS": "xray"}

    async def test() -> None:
        async with stdio_client(tmp_path, **otel) as client:
            assert {t.name for t in (await client.list_tools()).tools} == TOOLS
            listed = await client.call_tool("list_projects", {})
            assert listed.structured_content == {"projects": []}

    run(test)
    probe = (
        "from companion.mcp_server.tracing import keep_tracing_off\n"
        "keep_tracing_off()\n"
        "from mcp.shared._otel import otel_span\n"
        "from opentelemetry import trace\n"
        "with otel_span('tools/call', kind=trace.SpanKind.SERVER) as span:\n"
        "    print(type(trace.get_tracer_provider()).__name__, span.is_recording())\n"
    )
    seen = subprocess.run(
        [sys.executable, "-c", probe],
        env={**os.environ, **otel},
        capture_output=True,
        text=True,
        check=False,
    )
    assert seen.returncode == 0, seen.stderr
    assert seen.stdout.split() == ["NoOpTracerProvider", "False"]


def test_no_opentelemetry_sdk_or_exporter_among_the_dependencies():
    """What pip installs for MusiaIA (no extras) holds opentelemetry-api only: nothing that could
    record or export a span."""
    import re
    from importlib.metadata import PackageNotFoundError, requires

    seen: set[str] = set()
    todo = ["musiaia"]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            needs = requires(name) or []
        except PackageNotFoundError:
            continue
        for line in needs:
            if "extra ==" in line:
                continue
            todo.append(re.split(r"[ ;<>=!~\[(]", line, maxsplit=1)[0].lower().replace("_", "-"))
    assert "mcp" in seen and "opentelemetry-api" in seen  # the walk does reach the SDK's needs
    assert not {n for n in seen if n.startswith("opentelemetry-") and n != "opentelemetry-api"}
