"""The Remote Script running unmodified in the Live simulator, over real UDP on 127.0.0.1.

Live's tick is driven by the test (or by a task in the test's event loop); the companion side is
the real ``companion.live`` bridge. Nothing below mocks sockets.
"""

from __future__ import annotations

import asyncio
import json
import socket
import sys
from dataclasses import replace
from functools import cache

import pytest

from companion.arrangement import Arrangement
from companion.live import (
    LiveBridge,
    LiveBridgeConfig,
    LivePortInUse,
    LoadOptions,
    OpenInLiveError,
    open_in_live,
)
from companion.live import protocol as companion_protocol
from companion.live.state import LiveState, LiveTrack
from companion.music.compose import compose
from companion.music.resolve import resolve
from companion.requirements import Requirements
from fake_live import NOTIFICATION_ERROR, PALETTE, FakeLive, load_script_package
from fake_live.rig import (
    FAST_TIMINGS,
    LINK_SECRET,
    LiveRig,
    SyncClient,
    free_udp_port,
    osc_bytes,
    script_crashes,
    script_env,
)


@cache
def _song(style: str, bars: int, seed: int, **fields) -> Arrangement:
    return compose(resolve(Requirements(style=style, bars=bars, **fields), seed))


def generated(style: str = "house", bars: int = 16, seed: int = 1, **fields) -> Arrangement:
    return _song(style, bars, seed, **fields).model_copy(deep=True)


def run(coro):
    return asyncio.run(coro)


# -- helpers -------------------------------------------------------------------------------------


def owner_track(obj):
    """The track a LOM object belongs to (None for song-level objects)."""
    for _ in range(4):
        if obj is None:
            return None
        if type(obj).__name__ == "Track":
            return obj
        obj = getattr(obj, "_track", None) or getattr(obj, "_parent", None)
    return None


def expected_notes(clip) -> list[tuple]:
    return sorted((n.pitch, n.start, n.duration, float(n.velocity), False) for n in clip.notes)


def assert_built(
    live: FakeLive,
    arrangement: Arrangement,
    summary: dict,
    first: int = 4,
    arrangement_clips: bool = True,
) -> None:
    """Live's new tracks, scenes, session clips, arrangement clips and notes equal the song."""
    tracks = live.song.tracks[first : first + len(arrangement.tracks)]
    assert [t.name for t in tracks] == [t.name for t in arrangement.tracks]
    assert [t.color_index for t in tracks] == [t.color for t in arrangement.tracks]
    assert [t.color for t in tracks] == [PALETTE[t.color] for t in arrangement.tracks]
    base = summary["scene_base"]
    for k, section in enumerate(arrangement.sections):
        assert live.song.scenes[base + k].name == section.name
    for live_track, track in zip(tracks, arrangement.tracks, strict=True):
        assert live_track.has_midi_input
        for clip in track.clips:
            slot = live_track.clip_slots[base + clip.section]
            assert slot.has_clip, (track.name, clip.name)
            made = slot.clip
            assert (made.name, made.length, made.color_index) == (
                clip.name,
                clip.length,
                track.color,
            )
            assert made._note_tuples() == expected_notes(clip), (track.name, clip.name)
        placed = live_track.arrangement_clips
        if not arrangement_clips:
            assert placed == ()
            continue
        ordered = sorted(track.clips, key=lambda c: c.start)
        assert [(c.start_time, c.length, c.name) for c in placed] == [
            (c.start, c.length, c.name) for c in ordered
        ]
        for made, clip in zip(placed, ordered, strict=True):
            assert made._note_tuples() == expected_notes(clip), (track.name, clip.name)


def snapshot_set(live: FakeLive) -> dict:
    song = live.song
    return {
        "tracks": [
            (t.name, t.color_index, len(t.devices), [s.has_clip for s in t.clip_slots])
            for t in song.tracks
        ],
        "scenes": [s.name for s in song.scenes],
        "tempo": song.tempo,
        "signature": (song.signature_numerator, song.signature_denominator),
        "scale": (song.root_note, song.scale_name),
    }


def untouched(live: FakeLive, existing: list) -> list:
    """Writes that landed on pre-existing tracks (must be none)."""
    ids = {id(t) for t in existing}
    return [what for obj, what in live.world.write_log if id(owner_track(obj)) in ids]


@pytest.fixture
def script():
    """Live 12.2 running the script on a known port, plus a bare OSC client."""
    live = FakeLive("12.2")
    port = free_udp_port()
    with script_env(port, free_udp_port()):
        surface, c_instance = live.start_script()
    client = SyncClient(live, port)
    client.pair()
    yield live, surface, c_instance, client
    crashes = script_crashes(live)
    client.close()
    live.close()
    assert not crashes, crashes


# -- AbletonOSC-compatible address space ---------------------------------------------------------


def test_abletonosc_song_get_set_and_methods(script):
    live, _surface, _c, client = script
    assert client.query("/live/test") == ("ok",)
    assert client.query("/live/application/get/version") == (12, 2)
    assert client.query("/live/song/get/tempo") == (120.0,)
    client.send("/live/song/set/tempo", 128)  # int accepted where a number is
    assert client.query("/live/song/get/tempo") == (128.0,)
    client.send("/live/song/set/tempo", 97.5)
    client.pump()
    assert live.song.tempo == 97.5
    client.send("/live/song/set/signature_numerator", 7.0)  # float accepted for an int
    client.send("/live/song/set/signature_denominator", 8)
    assert client.query("/live/song/get/signature_numerator") == (7,)
    assert client.query("/live/song/get/signature_denominator") == (8,)
    client.send("/live/song/set/root_note", 9)
    client.send("/live/song/set/scale_name", "Dorian")
    assert client.query("/live/song/get/root_note") == (9,)
    assert client.query("/live/song/get/scale_name") == ("Dorian",)
    assert client.query("/live/song/get/track_names") == ("1-MIDI", "2-MIDI", "3-Audio", "4-Audio")
    assert client.query("/live/song/get/is_playing") == (False,)
    client.send("/live/song/start_playing")
    client.pump(2)  # start_playing lands on Live's next tick
    assert client.query("/live/song/get/is_playing") == (True,)
    (time_now,) = client.query("/live/song/get/current_song_time")
    assert time_now > 0
    client.send("/live/song/stop_playing")
    client.pump(2)
    assert live.song.is_playing is False
    client.send("/live/song/set/current_song_time", 16)
    assert client.query("/live/song/get/current_song_time") == (16.0,)


def test_abletonosc_track_clip_slot_and_clip(script):
    live, _surface, _c, client = script
    assert client.query("/live/track/get/name", 1) == (1, "2-MIDI")
    client.send("/live/track/set/name", 1.0, "Keys")  # float index, as TouchOSC sends
    assert client.query("/live/track/get/name", 1) == (1, "Keys")
    client.send("/live/track/set/color_index", 0, 5)
    assert client.query("/live/track/get/color_index", 0) == (0, 5)
    assert client.query("/live/track/get/color", 0) == (0, PALETTE[5])
    client.send("/live/track/set/color", 0, 0xF00000)  # snapped to the nearest palette colour
    assert client.query("/live/track/get/color_index", 0) == (0, 14)
    assert client.query("/live/track/get/color", 0) == (0, PALETTE[14])

    client.send("/live/clip_slot/create_clip", 0, 0, 4)
    assert client.query("/live/clip_slot/get/has_clip", 0, 0) == (0, 0, True)
    client.send("/live/clip/add/notes", 0, 0, 60, 0, 1, 100, False, 64, 1.5, 0.5, 90.0, 0)
    assert client.query("/live/clip/get/notes", 0, 0) == (
        0,
        0,
        60,
        0.0,
        1.0,
        100,
        False,
        64,
        1.5,
        0.5,
        90,
        False,
    )
    assert client.query("/live/clip/get/notes", 0, 0, 62, 10, 0.0, 4.0) == (
        0,
        0,
        64,
        1.5,
        0.5,
        90,
        False,
    )
    client.send("/live/clip/set/name", 0, 0, "Idea")
    assert client.query("/live/clip/get/name", 0, 0) == (0, 0, "Idea")
    assert client.query("/live/clip/get/length", 0, 0) == (0, 0, 4.0)

    assert "already has a clip" in client.error("/live/clip_slot/create_clip", 0, 0, 4)
    assert "MIDI" in client.error("/live/clip_slot/create_clip", 2, 0, 4)  # an audio track
    assert "Index out of range" in client.error("/live/track/get/name", 99)
    assert "Pitch 200" in client.error("/live/clip/add/notes", 0, 0, 200, 0, 1, 100, False)
    assert "No clip" in client.error("/live/clip/get/notes", 1, 3)
    assert live.song.tracks[0].clip_slots[0].clip._note_tuples() == [
        (60, 0.0, 1.0, 100.0, False),
        (64, 1.5, 0.5, 90.0, False),
    ]


def test_abletonosc_listen_wildcard_and_bundles(script):
    live, _surface, _c, client = script
    client.send("/live/song/start_listen/tempo")
    assert client.wait("/live/song/get/tempo") == (120.0,)  # the current value at once
    live.song.tempo = 131.0  # the user turns the tempo knob
    assert client.wait("/live/song/get/tempo") == (131.0,)
    client.send("/live/track/start_listen/name", 2)
    assert client.wait("/live/track/get/name") == (2, "3-Audio")
    live.song.tracks[2].name = "Vox"
    assert client.wait("/live/track/get/name") == (2, "Vox")
    client.send("/live/song/stop_listen/tempo")
    client.pump(2)
    live.song.tempo = 99.0
    assert [m for m in client.pump(3) if m[0] == "/live/song/get/tempo"] == []

    client.send("/live/song/get/*")
    replies = dict(client.pump(2))
    assert replies["/live/song/get/tempo"] == (99.0,)
    assert replies["/live/song/get/track_names"][2] == "Vox"
    assert "/live/song/get/scale_name" in replies

    from pythonosc.osc_bundle_builder import IMMEDIATELY, OscBundleBuilder
    from pythonosc.osc_message_builder import OscMessageBuilder

    bundle = OscBundleBuilder(IMMEDIATELY)
    for address in ("/live/song/get/tempo", "/live/song/get/is_playing", "/live/test"):
        bundle.add_content(OscMessageBuilder(address).build())
    client.send_raw(bundle.build().dgram)
    addresses = [address for address, _ in client.pump(2)]
    assert addresses == ["/live/song/get/tempo", "/live/song/get/is_playing", "/live/test"]


def test_malformed_packets_answered_on_live_error_and_script_keeps_working(script):
    live, surface, _c, client = script
    good = osc_bytes("/live/song/set/tempo", 120.0)
    cases = [
        b"hello world!",  # not OSC
        good[:-2],  # truncated
        b"/a\x00\x00,x\x00\x00",  # unknown type tag
        b"/a\x00\x00,b\x00\x00\xff\xff\xff\xff",  # negative blob size
        b"#bundle\x00" + b"\x00" * 8 + b"\x00\x00\x00\x05abcd",  # bad element size
        b"",
    ]
    for data in cases:
        client.send_raw(data)
        (text,) = client.wait("/live/error")
        assert text.startswith("Malformed OSC packet"), data
    assert client.error("/live/nothing/here").startswith("Unknown OSC address")
    assert "tempo must be a number" in client.error("/live/song/set/tempo", "fast")
    assert "out of range" in client.error("/live/song/set/tempo", 5000)
    assert live.song.tempo == 120.0
    assert client.query("/live/test") == ("ok",)
    assert surface.transport.malformed == len(cases)
    assert live.surface_errors == [] and live.world.listener_errors == []


# -- state pushes ---------------------------------------------------------------------------------


def _states(messages) -> list[dict]:
    return [json.loads(args[0]) for address, args in messages if address == "/musiaia/state"]


def test_state_pushes_on_change_are_debounced(script):
    live, _surface, _c, client = script
    hello = client.pair()
    assert hello[0] == companion_protocol.PROTOCOL_VERSION and hello[2] == "12.2.5"
    assert "create_midi_clip" in json.loads(hello[3])["capabilities"]
    first = _states(client.pump(3))
    assert first and first[0]["tempo"] == 120.0 and len(first[0]["tracks"]) == 4
    assert first[0]["tracks"][2] == {
        "index": 2,
        "name": "3-Audio",
        "type": "audio",
        "color_index": live.song.tracks[2].color_index,
    }

    # five changes between two ticks → one push with the last value
    for bpm in (121.0, 122.0, 123.0, 124.0, 125.0):
        live.song.tempo = bpm
    pushed = _states(client.pump(4))
    assert [s["tempo"] for s in pushed] == [125.0]

    # a change every tick for 20 ticks: pushed at most every few ticks, not 20 times
    pushes = []
    for i in range(20):
        live.song.tempo = 130.0 + i
        pushes += _states(client.pump(1))
    pushes += _states(client.pump(4))
    assert 3 <= len(pushes) <= 8
    assert pushes[-1]["tempo"] == 149.0

    # nothing changes → nothing is sent
    assert _states(client.pump(10)) == []

    # tracks: add, rename, recolour, select, delete (the user edits the set)
    track = live.song.create_midi_track(-1)
    state = _states(client.pump(3))[-1]
    assert [t["name"] for t in state["tracks"]][-1] == "5-MIDI"
    track.name = "Strings"
    track.color_index = 12
    live.song.view.selected_track = track
    state = _states(client.pump(3))[-1]
    assert state["tracks"][-1] == {"index": 4, "name": "Strings", "color_index": 12, "type": "midi"}
    assert (state["selected_track"], state["selected_track_name"]) == (4, "Strings")
    live.song.delete_track(4)
    state = _states(client.pump(3))[-1]
    assert len(state["tracks"]) == 4 and state["selected_track"] == 3

    # transport: playing is pushed, song time follows while playing
    live.song.start_playing()
    messages = client.pump(12)
    assert _states(messages)[-1]["is_playing"] is True
    times = [args[0] for address, args in messages if address == "/musiaia/song_time"]
    assert len(times) >= 2 and times == sorted(times) and times[-1] > 0
    assert live.world.listener_errors == [] and live.world.guard_violations == []


def test_listener_write_guard(script):
    live, _surface, _c, client = script

    # the simulator enforces Live's rule …
    def naive_listener():
        live.song.tempo = 90.0  # a write from inside a notification

    live.song.add_is_playing_listener(naive_listener)
    live.song.start_playing()
    live.tick()
    assert live.world.guard_violations == ["Song.tempo"]
    assert str(live.world.listener_errors[0]) == NOTIFICATION_ERROR
    assert live.song.tempo == 120.0
    live.song.remove_is_playing_listener(naive_listener)
    with pytest.raises(RuntimeError):
        live.song.remove_is_playing_listener(naive_listener)  # unknown listener
    live.world.guard_violations.clear()
    live.world.listener_errors.clear()

    # … and the script's listeners never write: every kind of change, with clients listening
    client.send("/live/song/start_listen/tempo")
    client.send("/live/song/start_listen/is_playing")
    client.send("/live/track/start_listen/name", 0)
    client.pump(3)
    live.song.tempo = 100.0
    live.song.stop_playing()
    live.song.root_note = 4
    live.song.scale_name = "Minor"
    live.song.tracks[0].name = "Renamed"
    new = live.song.create_midi_track(-1)
    live.song.view.selected_track = new
    live.song.create_scene(-1)
    live.song.delete_track(0)  # the track a client listens to disappears
    client.send("/live/song/set/tempo", 101)  # and a client writes while listeners are active
    messages = client.pump(5)
    assert ("/live/song/get/tempo", (101.0,)) in messages
    assert live.world.guard_violations == []
    assert live.world.listener_errors == []
    assert live.surface_errors == []
    assert client.query("/live/test") == ("ok",)


# -- applying songs end to end --------------------------------------------------------------------


def test_generated_song_applied_end_to_end():
    song = generated("house", bars=32, seed=3, bpm=124, key="Am")

    async def scenario():
        async with LiveRig("12.2") as rig:
            await rig.connected()
            live = rig.live
            before = snapshot_set(live)
            existing = list(live.song.tracks)
            selected = live.song.view.selected_track
            undo_before = len(live.world.undo.entries)
            events: list = []
            result = await rig.bridge.load(song, progress=events.append)
            assert result.ok, result.reason
            assert result.summary["tracks"] == len(song.tracks)
            assert result.summary["notes"] == song.note_count
            assert result.summary["arrangement_method"] == "create_midi_clip"
            assert result.summary["warnings"] == []
            assert_built(live, song, result.summary)

            # one undo step, nothing written to the tracks that were there, settings untouched
            assert len(live.world.undo.entries) == undo_before + 1
            assert live.world.undo.entries[-1]["explicit"]
            begins = [e for e, _ in live.world.undo.events if e == "begin"]
            assert len(begins) == 1 and len(live.world.undo.events) == 2
            assert untouched(live, existing) == []
            after = snapshot_set(live)
            assert (after["tempo"], after["signature"], after["scale"]) == (
                before["tempo"],
                before["signature"],
                before["scale"],
            )
            assert live.song.view.selected_track is selected

            # instruments: a drum kit on drums, an instrument on every other track
            devices = {t.name: [d.name for d in t.devices] for t in live.song.tracks[4:]}
            assert "Core Kit" in devices["Drums"][0]
            assert all(len(names) == 1 for names in devices.values())

            # progress: sending, then building up to done
            phases = [e.phase for e in events]
            assert phases[0] == "sending" and phases[-1] == "done"
            assert "building" in phases
            percents = [e.percent for e in events]
            assert percents == sorted(percents) and percents[-1] == 100.0

            # the companion's state saw the new tracks
            await rig.wait_for(lambda: len(rig.bridge.state.tracks) == 4 + len(song.tracks))
            assert [t.name for t in rig.bridge.state.tracks[4:]] == [t.name for t in song.tracks]

            # one Cmd+Z removes the whole song
            live.song.undo()
            assert snapshot_set(live) == before
            assert any("added" in m for m in rig.c_instance.messages)

    run(scenario())


def test_song_survives_dropped_duplicated_and_reordered_datagrams():
    song = generated("techno", bars=16, seed=5)

    async def scenario():
        relay = {"drop": 0.3, "duplicate": 0.15, "reorder": 0.3, "seed": 11}
        async with LiveRig("12.2", relay=relay, chunk_bytes=600) as rig:
            await rig.connected()
            existing = list(rig.live.song.tracks)
            undo_before = len(rig.live.world.undo.entries)
            result = await rig.bridge.load(song)
            assert result.ok, result.reason
            assert result.chunks >= 8
            assert result.retransmissions > 0
            stats = rig.relay.stats
            assert stats["dropped"] > 0 and stats["reordered"] > 0 and stats["duplicated"] > 0
            assert_built(rig.live, song, result.summary)
            assert len(rig.live.song.tracks) == 4 + len(song.tracks)  # built exactly once
            assert len(rig.live.world.undo.entries) == undo_before + 1
            assert untouched(rig.live, existing) == []

    run(scenario())


def test_lost_done_message_is_recovered_by_status_query():
    song = generated("pop", bars=8, seed=2)

    async def scenario():
        async with LiveRig("12.2") as rig:
            await rig.connected()
            surface = rig.surface
            original = surface.send
            dropped = []

            def lossy_send(target, address, args=()):
                if address in ("/musiaia/apply/done", "/musiaia/apply/progress"):
                    dropped.append(address)
                    return True
                return original(target, address, args)

            surface.send = lossy_send
            result = await rig.bridge.load(song)
            assert result.ok, result.reason
            assert "/musiaia/apply/done" in dropped
            assert result.summary["tracks"] == len(song.tracks)
            assert_built(rig.live, song, result.summary)

    run(scenario())


def test_a_second_companion_is_refused_until_the_first_goes_away():
    """One companion at a time: a second one (right secret, other port) gets a clear refusal
    while the first is alive, and takes over once the first says bye."""
    first, second = generated("house", bars=8, seed=1), generated("trap", bars=8, seed=2)

    async def scenario():
        async with LiveRig("12.2") as rig:
            await rig.connected()
            other = LiveBridge(
                config=LiveBridgeConfig(
                    script_port=rig.script_port,
                    companion_port=0,
                    heartbeat_interval=0.2,
                    heartbeat_timeout=0.8,
                    timings=rig.bridge.config.timings,
                    secret=LINK_SECRET,
                )
            )
            await other.start()
            try:
                await rig.wait_for(lambda: other.link_error, what="the refusal")
                assert "another MusiaIA companion is connected" in other.link_error
                assert not other.connected and not other.paired
                refused = await other.load(second)
                assert not refused.ok and "another MusiaIA companion" in refused.reason
                one = await rig.bridge.load(first)
                assert one.ok, one.reason
                assert len(rig.live.song.tracks) == 4 + len(first.tracks)
                await rig.bridge.stop()  # the first companion quits (says bye)
                await rig.wait_for(lambda: other.paired and other.state.tracks, what="takeover")
                rig.live.song.tempo = 133.0
                await rig.wait_for(lambda: other.state.tempo == 133.0, what="state pushed")
                assert await other.query("/live/song/get/tempo") == (133.0,)
                two = await other.load(second)
                assert two.ok, two.reason
                assert_built(rig.live, second, two.summary, first=4 + len(first.tracks))
            finally:
                await other.stop()
                await rig.bridge.start()  # the rig stops it again on exit

    run(scenario())


@pytest.mark.parametrize(
    ("profile", "without", "method", "notes_call"),
    [
        ("11.3", (), "duplicate_clip_to_arrangement", "Clip.add_new_notes"),
        (
            "11.3",
            ("add_new_notes", "note_specification", "get_notes_extended"),
            "duplicate_clip_to_arrangement",
            "Clip.set_notes",
        ),
        ("12.0", (), "duplicate_clip_to_arrangement", "Clip.add_new_notes"),
        ("12.0.5", (), "duplicate_clip_to_arrangement", "Clip.add_new_notes"),
        ("12.1", (), "duplicate_clip_to_arrangement", "Clip.add_new_notes"),
        ("12.2", (), "create_midi_clip", "Clip.add_new_notes"),
        ("12.3", (), "create_midi_clip", "Clip.add_new_notes"),
    ],
    ids=["11.3", "11.3-legacy-notes", "12.0", "12.0.5", "12.1", "12.2", "12.3"],
)
def test_version_profiles(profile, without, method, notes_call):
    song = generated("drum-and-bass", bars=16, seed=4)

    async def scenario():
        async with LiveRig(profile, without=without) as rig:
            await rig.connected()
            live = rig.live
            result = await rig.bridge.load(song)
            assert result.ok, result.reason
            assert result.summary["arrangement_method"] == method
            assert_built(live, song, result.summary)
            calls = {what for _obj, what in live.world.write_log}
            assert notes_call in calls
            assert ({"Clip.add_new_notes", "Clip.set_notes"} - {notes_call}).isdisjoint(calls)
            loaded = [item for item, _track in live.app.browser._loaded]
            if profile == "12.3":  # native devices by name; the browser only for the kit
                assert "Track.insert_device" in calls and len(loaded) == 1
            else:
                assert "Track.insert_device" not in calls and len(loaded) == len(song.tracks)
            capabilities = rig.bridge.state.capabilities
            assert ("create_midi_clip" in capabilities) == (method == "create_midi_clip")
            assert ("slot_create_audio_clip" in capabilities) == (profile not in ("11.3", "12.0"))

    run(scenario())


def test_no_arrangement_clip_call_means_session_only():
    song = generated("pop", bars=8, seed=6)

    async def scenario():
        without = ("duplicate_clip_to_arrangement",)
        async with LiveRig("11.3", without=without) as rig:
            await rig.connected()
            result = await rig.bridge.load(song)
            assert result.ok
            assert result.summary["arrangement_method"] is None
            assert any("session view" in w for w in result.summary["warnings"])
            assert_built(rig.live, song, result.summary, arrangement_clips=False)

    run(scenario())


def test_load_options_and_scene_choice():
    song = generated("house", bars=8, seed=1, bpm=124, key="F#m", time_signature="3/4")

    async def scenario():
        async with LiveRig("12.2") as rig:
            await rig.connected()
            live = rig.live
            # an existing clip in scene 0 of an existing track: the song goes past it
            live.song.tracks[0].clip_slots[0].create_clip(4.0)
            options = LoadOptions(set_tempo=True, set_key=True, set_time_signature=True)
            result = await rig.bridge.load(song, options=options)
            assert result.ok, result.reason
            assert result.summary["scene_base"] == 1
            assert_built(live, song, result.summary)
            assert live.song.tempo == 124.0
            assert (live.song.signature_numerator, live.song.signature_denominator) == (3, 4)
            assert (live.song.root_note, live.song.scale_name) == (6, "Minor")
            await rig.wait_for(lambda: rig.bridge.state.key == "F#m")
            assert live.song.tracks[0].clip_slots[0].clip.length == 4.0

    run(scenario())


def test_failures_are_reported_and_leave_the_set_as_it_was():
    song = generated("house", bars=8, seed=1)

    async def scenario():
        async with LiveRig("12.2") as rig:
            await rig.connected()
            live = rig.live
            before = snapshot_set(live)
            undo_before = len(live.world.undo.entries)

            bad = song.model_dump(mode="json")
            bad["tracks"][1]["clips"][0]["notes"][0]["pitch"] = 200
            result = await rig.bridge.load(bad)
            assert not result.ok
            assert result.reason == (
                "invalid arrangement: tracks[1].clips[0].notes[0].pitch out of range"
            )
            assert snapshot_set(live) == before and live.world.undo.events == []

            # Live refuses a track mid-build (edition limit): what was made is removed again
            live.song._max_tracks = 6
            result = await rig.bridge.load(song)
            assert not result.ok and "Track limit" in result.reason
            assert snapshot_set(live) == before
            assert [e for e, _ in live.world.undo.events] == ["begin", "end"]
            assert len(live.world.undo.entries) == undo_before + 1
            assert any("could not add" in m for m in rig.c_instance.messages)

            # a corrupted transfer is refused by checksum
            payload = companion_protocol.encode_payload(song.model_dump(mode="json"))[1]
            rig.bridge.send(
                "/musiaia/apply/chunk",
                "broken",
                0,
                1,
                len(payload),
                "00000000",
                "zlib+json",
                payload,
            )
            await rig.wait_for(lambda: rig.surface.apply.status("broken")[0] == "failed")
            assert rig.surface.apply.status("broken")[1] == "payload checksum mismatch"
            assert live.surface_errors == []

    run(scenario())


def test_load_without_live_fails_with_a_clear_reason():
    async def scenario():
        timings = replace(FAST_TIMINGS, send_timeout=0.5)
        config = LiveBridgeConfig(
            script_port=free_udp_port(), companion_port=0, timings=timings, secret=LINK_SECRET
        )
        bridge = LiveBridge(config=config)
        await bridge.start()
        try:
            sent = bridge.datagrams_sent
            result = await bridge.load(generated("pop", bars=8, seed=1))
            assert not result.ok
            assert "Control Surface" in result.reason
            assert bridge.datagrams_sent == sent  # no chunk goes to an unpaired port
            assert bridge.connected is False
        finally:
            await bridge.stop()

    run(scenario())


# -- heartbeat, trigger, lifecycle ----------------------------------------------------------------


def test_heartbeat_marks_live_disconnected_and_reconnects():
    async def scenario():
        async with LiveRig("12.2", heartbeat=(0.05, 0.3)) as rig:
            await rig.connected()
            changes: list[LiveState] = []
            unsubscribe = rig.bridge.on_state_change(changes.append)
            rig.paused = True  # Live hangs (a modal dialog): no ticks, no answers
            await rig.wait_for(lambda: not rig.bridge.connected, what="disconnect")
            rig.paused = False
            await rig.wait_for(lambda: rig.bridge.connected, what="reconnect")
            unsubscribe()
            flags = [state.connected for state in changes]
            assert False in flags and flags[-1] is True

    run(scenario())


def test_midi_trigger_asks_the_companion_to_generate():
    song = generated("pop", bars=8, seed=9)

    async def scenario():
        async with LiveRig("12.0", bridge_options={"generate_burst": 3}) as rig:
            await rig.connected()
            live = rig.live
            live.song.root_note, live.song.scale_name = 9, "Minor"
            requests = []

            async def make(request):
                requests.append(request)
                return song

            rig.bridge.on_generate(make)
            await rig.wait_for(lambda: not rig.c_instance.rebuild_requested)
            assert live.midi_in(0x90, 60, 100) is False  # channel 1: not the trigger
            assert live.midi_in(0x9F, 60, 0) is True  # note-off style velocity 0: no trigger
            await asyncio.sleep(0.05)
            assert requests == []
            assert live.midi_in(0x9F, 60, 100) is True  # note 60, channel 16
            await rig.wait_for(
                lambda: len(live.song.tracks) == 4 + len(song.tracks), what="the generated song"
            )
            await rig.wait_for(lambda: any("added" in m for m in rig.c_instance.messages))
            assert len(requests) == 1
            request = requests[0]
            assert (request.tempo, request.key, request.time_signature) == (120.0, "Am", (4, 4))
            assert request.source == "note"
            assert any("asking the companion" in m for m in rig.c_instance.messages)

            # CC 119 on channel 16 fires on the rising edge only
            await rig.wait_for(lambda: not rig.bridge.generating, what="the first song sent")
            requests.clear()
            live.midi_in(0xBF, 119, 127)
            live.midi_in(0xBF, 119, 127)
            await rig.wait_for(lambda: len(requests) == 1)
            await asyncio.sleep(0.1)
            assert len(requests) == 1
            await rig.wait_for(lambda: not rig.bridge.generating, what="the second song sent")
            live.midi_in(0xBF, 119, 0)
            live.midi_in(0xBF, 119, 100)
            await rig.wait_for(lambda: len(requests) == 2)
            await rig.wait_for(lambda: len(live.song.tracks) == 4 + 3 * len(song.tracks))

            # the companion can move the trigger; the MIDI map is rebuilt
            reply = await rig.bridge.query("/musiaia/trigger/config", "note", 0, 36)
            assert reply[:3] == ("note", 0, 36)
            await rig.wait_for(lambda: not rig.c_instance.rebuild_requested)
            assert live.midi_in(0x9F, 60, 100) is False
            assert live.midi_in(0x90, 36, 100) is True
            assert live.world.guard_violations == []

    run(scenario())


def test_trigger_without_companion_shows_a_message(script):
    live, _surface, c_instance, client = script
    client.send("/musiaia/bye")  # the fixture's client was the paired companion
    client.pump(2)
    assert live.midi_in(0x9F, 60, 127)
    assert any("not connected" in m for m in c_instance.messages)


def test_disconnect_closes_the_socket_and_a_new_instance_rebinds():
    async def scenario():
        async with LiveRig("12.2") as rig:
            await rig.connected()
            live = rig.live
            old = rig.surface
            # a second instance on the same port cannot bind and says so; the first keeps going
            second, c_second = rig.start_script()
            assert not second.transport.is_open
            assert any("cannot listen" in m for m in c_second.messages)
            live.stop_script(second)
            assert await rig.bridge.query("/live/test") == ("ok",)

            live.stop_script(old)  # Live deselects the surface / closes the set
            assert not old.transport.is_open
            await rig.wait_for(lambda: not rig.bridge.connected, what="bye")
            probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            probe.bind(("127.0.0.1", rig.script_port))  # the port is free again
            probe.close()
            rig.surface, rig.c_instance = rig.start_script()  # a new set loads
            await rig.wait_for(lambda: rig.bridge.connected, what="startup")
            assert rig.surface.transport.address[1] == rig.script_port
            result = await rig.bridge.load(generated("pop", bars=8, seed=1))
            assert result.ok
            assert live.surface_errors == []

    run(scenario())


# -- companion-side pieces ------------------------------------------------------------------------


def test_port_in_use_is_a_clear_error():
    async def scenario():
        taken = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        taken.bind(("127.0.0.1", 0))
        try:
            bridge = LiveBridge(companion_port=taken.getsockname()[1])
            with pytest.raises(LivePortInUse, match=r"already in use.*MUSIAIA_LIVE_COMPANION_PORT"):
                await bridge.start()
        finally:
            taken.close()

    run(scenario())


def test_bridge_config_from_settings_and_environment():
    class Settings:
        live_script_port = 12010
        live_companion_port = None

    config = LiveBridgeConfig.from_settings(
        Settings(), environ={"MUSIAIA_LIVE_COMPANION_PORT": "12011"}
    )
    assert (config.host, config.script_port, config.companion_port) == ("127.0.0.1", 12010, 12011)
    assert LiveBridgeConfig.from_settings(None, environ={}).script_port == 11010
    assert LiveBridgeConfig().companion_port == 11011
    with pytest.raises(ValueError):
        LiveBridgeConfig.from_settings(None, environ={"MUSIAIA_LIVE_SCRIPT_PORT": "70000"})


def test_protocol_constants_match_the_script():
    live = FakeLive("12.2")
    try:
        live.load_script()
        script_protocol = sys.modules["MusiaIA.protocol"]
        names = [n for n in dir(companion_protocol) if n.isupper()]
        assert len(names) > 30
        for name in names:
            assert getattr(script_protocol, name) == getattr(companion_protocol, name), name
        encoding, payload = companion_protocol.encode_payload({"title": "x", "tracks": []})
        assert script_protocol.decode_payload(encoding, payload)["arrangement"]["title"] == "x"
        assert script_protocol.crc_hex(payload) == companion_protocol.crc_hex(payload)
    finally:
        live.close()


def test_state_chat_context():
    state = LiveState(
        connected=True,
        tempo=124.0,
        is_playing=True,
        signature=(4, 4),
        root_note=9,
        scale_name="Minor",
        tracks=(LiveTrack(0, "Drums", 14, "midi"),),
        selected_track=0,
        selected_track_name="Drums",
    )
    assert state.key == "Am"
    assert state.chat_context() == (
        "Ableton Live set: 124 BPM; key Am; 4/4; playing; 1 tracks (Drums); selected track: Drums."
    )
    assert LiveState().chat_context() == "Ableton Live is not connected."
    assert LiveState(connected=True, root_note=2, scale_name="Dorian").key is None
    assert state.as_dict()["tracks"][0]["name"] == "Drums"


def test_open_in_live(tmp_path):
    als = tmp_path / "Song.als"
    als.write_bytes(b"\x1f\x8b")
    apps = tmp_path / "Applications"
    for name in (
        "Ableton Live 11 Suite.app",
        "Ableton Live 12 Standard.app",
        "Ableton Live 12 Suite.app",
    ):
        (apps / name).mkdir(parents=True)
    calls = []

    def fake_run(command):
        calls.append(command)
        return type("Done", (), {"returncode": 0, "stdout": "", "stderr": ""})()

    result = open_in_live(als, system="Darwin", run=fake_run, app_folders=[apps])
    assert calls == [("open", "-a", str(apps / "Ableton Live 12 Suite.app"), str(als))]
    assert result.application.endswith("Ableton Live 12 Suite.app")

    opened = []
    open_in_live(als, system="Windows", startfile=opened.append)
    assert opened == [str(als)]

    def failing(command):
        return type("Done", (), {"returncode": 1, "stdout": "", "stderr": "no app"})()

    with pytest.raises(OpenInLiveError, match="no app"):
        open_in_live(als, system="Darwin", run=failing, app_folders=[apps])
    with pytest.raises(OpenInLiveError, match="macOS and Windows"):
        open_in_live(als, system="Linux")
    with pytest.raises(OpenInLiveError, match="not a Live set"):
        open_in_live(tmp_path / "x.txt", system="Darwin")
    with pytest.raises(OpenInLiveError, match="does not exist"):
        open_in_live(tmp_path / "missing.als", system="Windows", startfile=opened.append)


# -- the simulator behaves like Live where the script relies on it ------------------------------


def test_simulator_fidelity():
    from fake_live import ArgumentError, MidiNoteSpecification

    live = FakeLive("11.3")
    try:
        song = live.song
        track, audio = song.tracks[0], song.tracks[2]
        # read-only vectors; listeners: duplicates and unknown removals raise
        with pytest.raises((TypeError, AttributeError)):
            song.tracks.append(track)  # type: ignore[attr-defined]

        def callback():
            return None

        song.add_tempo_listener(callback)
        with pytest.raises(RuntimeError):
            song.add_tempo_listener(callback)
        assert song.tempo_has_listener(callback)
        song.remove_tempo_listener(callback)
        # Boost strictness: float times, int pitches, str names
        with pytest.raises(ArgumentError, match="did not match C\\+\\+ signature"):
            MidiNoteSpecification(pitch=60, start_time=0, duration=1.0)
        with pytest.raises(ArgumentError):
            MidiNoteSpecification(pitch=60.0, start_time=0.0, duration=1.0)
        with pytest.raises(ArgumentError):
            track.name = 5
        # clip slots: MIDI tracks only, empty slots only
        with pytest.raises(RuntimeError):
            audio.clip_slots[0].create_clip(4.0)
        clip = track.clip_slots[0].create_clip(4.0)
        with pytest.raises(RuntimeError):
            track.clip_slots[0].create_clip(4.0)
        # notes: validation, Live's same-pitch overlap rule, float-only range queries
        spec = MidiNoteSpecification
        with pytest.raises(RuntimeError):
            clip.add_new_notes((spec(pitch=128, start_time=0.0, duration=1.0),))
        with pytest.raises(RuntimeError):
            clip.add_new_notes((spec(pitch=60, start_time=0.0, duration=0.0),))
        clip.add_new_notes(
            (
                spec(pitch=60, start_time=0.0, duration=2.0),
                spec(pitch=60, start_time=1.0, duration=2.0),
                spec(pitch=62, start_time=0.0, duration=1.0),
            )
        )
        clip.add_new_notes((spec(pitch=62, start_time=0.0, duration=0.5, velocity=80),))
        assert clip._note_tuples() == [
            (60, 0.0, 1.0, 100.0, False),
            (60, 1.0, 2.0, 100.0, False),
            (62, 0.0, 0.5, 80.0, False),
        ]
        with pytest.raises(ArgumentError):
            clip.get_notes_extended(0, 128, 0, 4)
        assert [n.pitch for n in clip.get_notes_extended(61, 10, 0.0, 4.0)] == [62]
        # palette, tempo range, transport on the next tick, song time
        track.color = 0xFF0000
        assert (track.color_index, track.color) == (14, PALETTE[14])
        with pytest.raises(RuntimeError):
            song.tempo = 1000.0
        song.start_playing()
        assert song.is_playing is False
        live.tick()
        assert song.is_playing is True
        live.tick(10)
        assert song.current_song_time == pytest.approx(120 / 60 * 0.1 * 10)
        # version profile: 11.3 has no 12.x calls
        assert not hasattr(track, "create_midi_clip") and not hasattr(track, "insert_device")
        assert hasattr(track, "duplicate_clip_to_arrangement")
        # browser: loads onto the selected track, refuses folders
        browser = live.app.browser
        folder = browser.drums.children[0]
        assert not folder.is_loadable
        with pytest.raises(RuntimeError):
            browser.load_item(folder)
        song.view.selected_track = song.tracks[1]
        browser.load_item(browser.instruments.children[0])
        assert [d.name for d in song.tracks[1].devices] == ["Analog"]
        # deleted objects are invalid; undo really reverts
        doomed = song.create_midi_track(-1)
        live.tick()
        song.delete_track(len(song.tracks) - 1)
        assert doomed == None  # noqa: E711 - Live's deleted objects compare equal to None
        with pytest.raises(RuntimeError):
            doomed.name  # noqa: B018
        live.tick()
        song.undo()
        assert len(song.tracks) == 5 and song.tracks[4].name == doomed.name
    finally:
        live.close()


def test_script_config_file_and_environment(tmp_path):
    load_script_package()
    from MusiaIA.config import DEFAULTS, load_config

    (tmp_path / "config.json").write_text(
        json.dumps(
            {
                "script_port": 12010,
                "host": 5,
                "tick_budget_ms": 3,
                "trigger": {"kind": "cc", "channel": 0, "number": 20},
            }
        )
    )
    config = load_config(str(tmp_path), environ={})
    assert (config["script_port"], config["host"], config["tick_budget_ms"]) == (
        12010,
        "127.0.0.1",
        3.0,
    )  # a bad host is ignored, an int budget becomes a float
    assert (config["trigger_cc"], config["trigger_cc_channel"]) == (20, 0)
    assert config["trigger_note"] == DEFAULTS["trigger_note"] == 60
    env = {"MUSIAIA_SCRIPT_PORT": "13000", "MUSIAIA_COMPANION_PORT": "99999"}
    config = load_config(str(tmp_path), environ=env)
    assert config["script_port"] == 13000
    assert config["companion_port"] == 11011  # out of range: back to the default
    logs = []
    (tmp_path / "config.json").write_text("{broken")
    assert load_config(str(tmp_path), environ={}, log=logs.append)["script_port"] == 11010
    assert logs and "ignoring config.json" in logs[0]


def test_listening_again_to_a_recreated_clip_follows_the_new_clip(script):
    """start_listen on a slot whose clip was deleted and made again listens to the new clip,
    not the stale listener of the old one (AbletonOSC's test_clip_listen_lifecycle)."""
    live, _surface, _c, client = script
    client.send("/live/clip_slot/create_clip", 0, 0, 4.0)
    client.send("/live/clip/set/name", 0, 0, "Alpha")
    client.send("/live/clip/start_listen/name", 0, 0)
    assert client.wait("/live/clip/get/name") == (0, 0, "Alpha")
    client.send("/live/clip_slot/delete_clip", 0, 0)
    client.send("/live/clip_slot/create_clip", 0, 0, 8.0)
    client.send("/live/clip/start_listen/name", 0, 0)
    assert client.wait("/live/clip/get/name") == (0, 0, "")
    client.send("/live/clip/set/name", 0, 0, "Beta")
    assert client.wait("/live/clip/get/name") == (0, 0, "Beta")
    live.song.tracks[0].clip_slots[0].clip.name = "Gamma"  # the user renames it in Live
    assert client.wait("/live/clip/get/name") == (0, 0, "Gamma")
