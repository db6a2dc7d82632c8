"""Look at what I already have (issue 14 item 3, the reading half): the Remote Script reads the
notes of the selected clip, of a named track, or of an Arrangement region, within its per-tick
time budget, and the companion gets them over real UDP, checked and laid out on the song."""

from __future__ import annotations

import asyncio
import json

import pytest

from companion.live.material import LiveClip, LiveMaterial
from fake_live import FakeLive
from fake_live.rig import LiveRig, SyncClient, free_udp_port, script_env


def run(coro):
    return asyncio.run(coro)


def session_clip(live: FakeLive, track: int, slot: int, length: float, notes, name: str = ""):
    """A clip the producer made by hand (outside the script)."""
    clip_slot = live.song.tracks[track].clip_slots[slot]
    clip_slot.create_clip(length)
    clip = clip_slot.clip
    clip.name = name
    clip.set_notes(tuple((p, float(s), float(d), v, False) for p, s, d, v in notes))
    return clip


CHORDS = [  # Am | F | C | G, one bar each, whole-note triads
    (57, 0, 4, 90),
    (60, 0, 4, 90),
    (64, 0, 4, 90),
    (53, 4, 4, 90),
    (57, 4, 4, 90),
    (60, 4, 4, 90),
    (55, 8, 4, 90),
    (60, 8, 4, 90),
    (64, 8, 4, 90),
    (55, 12, 4, 90),
    (59, 12, 4, 90),
    (62, 12, 4, 90),
]


def test_reading_the_selected_clip_over_udp():
    async def scenario():
        async with LiveRig("12.2") as rig:
            await rig.connected()
            assert rig.bridge.can("read_notes")
            clip = session_clip(rig.live, 0, 1, 16.0, CHORDS, "My chords")
            rig.live.song.view.detail_clip = clip
            rig.live.song.tracks[0].name = "Keys"
            before = len(rig.live.world.undo.entries)
            labels = []
            result = await rig.bridge.read(
                {"what": "selected_clip"}, progress=lambda p, label: labels.append((p, label))
            )
            assert result.ok, result.reason
            material = result.material
            assert material.what == "selected_clip"
            track, read = material.selected_clip()
            assert track.name == "Keys" and track.index == 0 and read.slot == 1
            assert read.name == "My chords" and read.looping and read.span == 16.0
            assert sorted((n.pitch, n.start, n.duration, n.velocity) for n in read.played()) == (
                sorted((p, float(s), float(d), v) for p, s, d, v in CHORDS)
            )
            assert material.tempo == 120.0 and material.signature == (4, 4)
            assert len(rig.live.world.undo.entries) == before  # reading changes nothing
            assert rig.c_instance.messages[-1].startswith("MusiaIA: read 12 notes from 1 clip")

    run(scenario())


def test_reading_a_named_track_and_an_arrangement_region():
    async def scenario():
        async with LiveRig("12.2") as rig:
            await rig.connected()
            live = rig.live
            bass = live.song.tracks[1]
            bass.name = "Bajo"
            session_clip(live, 1, 0, 4.0, [(33, 0, 1, 100), (33, 2, 1, 100)], "Groove")
            placed = bass.create_midi_clip(8.0, 8.0)  # an unlooped arrangement clip at bar 3
            placed.set_notes(((36, 0.0, 0.5, 110, False), (43, 4.0, 0.5, 100, False)))
            looped = bass.create_midi_clip(32.0, 8.0)  # a looping 2-beat pattern over 2 bars
            looped.set_notes(((40, 0.0, 0.5, 100, False), (41, 1.0, 0.5, 100, False)))
            looped.looping = True
            looped.loop_end = 2.0
            result = await rig.bridge.read({"what": "track", "track": "bajo"})
            assert result.ok, result.reason
            (track,) = result.material.tracks
            assert track.name == "Bajo" and [c.slot for c in track.clips] == [0, None, None]
            song = [(n.start, n.pitch) for n in track.song_notes()]
            assert song[:2] == [(8.0, 36), (12.0, 43)]
            assert [p for _s, p in song[2:]] == [40, 41] * 4  # the loop unrolled over 8 beats
            assert [s for s, _p in song[2:]] == [32.0, 33.0, 34.0, 35.0, 36.0, 37.0, 38.0, 39.0]

            region = await rig.bridge.read({"what": "arrangement", "start": 0.0, "end": 16.0})
            assert region.ok, region.reason
            names = [t.name for t in region.material.tracks]
            assert names[:2] == ["1-MIDI", "Bajo"] or "Bajo" in names
            read = next(t for t in region.material.tracks if t.name == "Bajo")
            assert [c.start_time for c in read.clips] == [8.0]  # the clip at 32 is outside

    run(scenario())


def test_reading_is_budgeted_per_tick_and_survives_a_lossy_link():
    """3,000 notes, 5 µs per note returned by Live: the read goes window by window over many
    ticks (no tick near a whole-clip listing), reports progress, and arrives whole through a
    relay that drops, duplicates and reorders datagrams."""
    notes = [(36 + i % 48, (i * 0.125) % 512, 0.1, 64 + i % 60) for i in range(3000)]

    async def scenario():
        async with LiveRig(
            "12.1", relay={"drop": 0.2, "duplicate": 0.1}, note_read_seconds=5e-6
        ) as rig:
            await rig.connected()
            clip = session_clip(rig.live, 0, 0, 512.0, notes)
            rig.live.song.view.detail_clip = clip
            first = len(rig.live.notes_read_per_tick)
            result = await rig.bridge.read({"what": "selected_clip"})
            assert result.ok, result.reason
            per_tick = [n for n in rig.live.notes_read_per_tick[first:] if n]
            return result, per_tick, list(rig.c_instance.messages)

    result, per_tick, messages = run(scenario())
    # Live's status bar shows the read going forward, then what was read
    shown = [int(m.rsplit(" ", 1)[1][:-1]) for m in messages if "reading your notes… " in m]
    assert shown and shown == sorted(shown) and max(shown) < 100, messages
    assert messages[-1] == "MusiaIA: read 3000 notes from 1 clip"
    assert result.material.note_count == 3000
    assert len(per_tick) >= 5, per_tick  # read over several ticks…
    assert max(per_tick) <= 1200, per_tick  # …never the whole clip in one
    assert sum(per_tick) >= 3000


def test_nothing_to_read_is_a_clear_failure():
    async def scenario():
        async with LiveRig("12.2") as rig:
            await rig.connected()
            none = await rig.bridge.read({"what": "selected_clip"})
            assert not none.ok and "no clip is selected" in none.reason
            missing = await rig.bridge.read({"what": "track", "track": "Cowbell"})
            assert not missing.ok and "no track called 'Cowbell'" in missing.reason
            bad = await rig.bridge.read({"what": "everything"})
            assert not bad.ok and "invalid read request" in bad.reason

    run(scenario())


def test_the_script_answers_repeats_and_fetches_and_refuses_garbage():
    live = FakeLive("12.2")
    port = free_udp_port()
    with script_env(port, free_udp_port()):
        live.start_script()
    client = SyncClient(live, port)
    try:
        client.pair()
        clip = session_clip(live, 0, 0, 4.0, CHORDS[:3])
        live.song.view.detail_clip = clip
        client.send("/musiaia/read", "r1", json.dumps({"what": "selected_clip"}))
        done = client.wait("/musiaia/read/done")
        assert done[0] == "r1" and done[1] == 1
        chunk = client.wait("/musiaia/read/chunk")
        assert chunk[:2] == ("r1", 0)
        client.send("/musiaia/read", "r1", json.dumps({"what": "selected_clip"}))  # a repeat
        assert client.wait("/musiaia/read/done")[0] == "r1"
        client.send("/musiaia/read/fetch", "r1", 0)
        assert client.wait("/musiaia/read/chunk")[6] == chunk[6]
        client.send("/musiaia/read", "r2", "{not json")
        assert "invalid read request" in client.wait("/musiaia/read/failed")[1]
        client.send("/musiaia/read/fetch", "nope", 0)
        assert client.wait("/musiaia/read/failed")[0] == "nope"
    finally:
        client.close()
        live.close()


@pytest.mark.parametrize("profile", ["11.0", "12.3"])
def test_reading_works_on_old_and_new_lives(profile):
    async def scenario():
        async with LiveRig(profile) as rig:
            await rig.connected()
            clip = session_clip(rig.live, 0, 0, 16.0, CHORDS)
            rig.live.song.view.highlighted_clip_slot = rig.live.song.tracks[0].clip_slots[0]
            result = await rig.bridge.read({"what": "selected_clip"})
            assert result.ok, result.reason
            assert result.material.note_count == len(CHORDS)
            assert clip is not None

    run(scenario())


def test_material_lays_out_clips_like_live_plays_them():
    unlooped = LiveClip(
        arrangement=True,
        looping=False,
        start_time=16.0,
        end_time=18.0,
        start_marker=1.0,
        end_marker=5.0,
        loop_start=1.0,
        loop_end=5.0,
        notes=[(60, 0.5, 1.0, 100, False), (62, 1.0, 4.0, 100, False), (64, 2.5, 1.0, 90, True)],
    )
    assert [(n.start, n.end, n.pitch) for n in unlooped.on_song()] == [(16.0, 18.0, 62)]
    session = LiveClip(looping=True, loop_start=2.0, loop_end=6.0, notes=[(48, 2.0, 8.0, 1, False)])
    assert [(n.start, n.end, n.velocity) for n in session.played()] == [(0.0, 4.0, 1)]
    with pytest.raises(ValueError):
        LiveMaterial.model_validate({"what": "selected_clip", "tempo": 5000})
