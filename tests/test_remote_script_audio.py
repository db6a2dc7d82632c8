"""Audio loop tracks and Simplers with the song's own samples, built by the Remote Script into
the simulated Live over real UDP (the companion's bridge on one end, the script on the other).

The project folder is a real folder with real WAV files: Live (the simulator) reads them when a
clip or a Simpler is made of them, and refuses what it cannot read.
"""

from __future__ import annotations

import asyncio
import struct
import sys
import wave
from pathlib import Path

import pytest

from companion.arrangement import (
    Arrangement,
    AudioLoop,
    Clip,
    Instrument,
    Note,
    SampleFile,
    Section,
    Track,
)
from companion.live import LoadOptions
from companion.live import protocol as companion_protocol
from fake_live import FakeLive, load_script_package
from fake_live.lom import WARP_MODES
from fake_live.rig import LiveRig

NO_AUDIO_FILES = (
    "this Live cannot load audio files from a script; open the .als instead for the loops"
)
LOOP = "Samples/Imported/Top Loop.wav"
PLUCK = "Samples/Imported/Pluck.wav"


def run(coro):
    return asyncio.run(coro)


def write_wav(path: Path, seconds: float, rate: int = 8000) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(rate)
        writer.writeframes(struct.pack("<h", 0) * int(seconds * rate))


@pytest.fixture
def project(tmp_path) -> Path:
    """A project folder as the companion writes it: the loop (4 s: 8 beats at 120 BPM, as
    Live's auto-warp sees it too) and the Simpler's sample under Samples/Imported."""
    folder = tmp_path / "Projects" / "Loop Song Project"
    write_wav(folder / LOOP, 4.0)
    write_wav(folder / PLUCK, 0.5)
    (folder / "Loop Song.als").write_bytes(b"")
    return folder


def sample(path: str, seconds: float) -> SampleFile:
    return SampleFile(path=path, frames=int(seconds * 8000), sample_rate=8000)


def song() -> Arrangement:
    """Intro (4 bars) and drop (3 bars); a loop track playing both (the drop is one and a half
    passes of the 8-beat loop), a Simpler playing the project's sample, a stock-synth bass."""
    notes = [Note(pitch=60 + i, start=float(i), duration=1.0, velocity=100) for i in range(4)]
    return Arrangement(
        title="Loop Song",
        bpm=120,
        key="Am",
        bars=7,
        sections=[
            Section(name="Intro", kind="intro", start_bar=0, bars=4),
            Section(name="Drop", kind="drop", start_bar=4, bars=3),
        ],
        tracks=[
            Track(
                name="Drum Loop",
                role="drums",
                color=12,
                audio=AudioLoop(sample=sample(LOOP, 4.0), beats=8.0, bpm=120, warp_mode="complex"),
                clips=[
                    Clip(name="Intro", start=0.0, length=16.0, section=0),
                    Clip(name="Drop", start=16.0, length=12.0, section=1),
                ],
            ),
            Track(
                name="Pluck",
                role="lead",
                color=25,
                instrument=Instrument(kind="simpler", name="Pluck", sample=sample(PLUCK, 0.5)),
                clips=[Clip(name="Drop", start=16.0, length=12.0, section=1, notes=notes)],
            ),
            Track(
                name="Bass",
                role="bass",
                color=40,
                clips=[Clip(name="Intro", start=0.0, length=16.0, section=0, notes=notes)],
            ),
        ],
    )


def snapshot(live: FakeLive) -> list:
    return [
        (
            t.name,
            t.has_midi_input,
            [d.name for d in t.devices],
            [s.has_clip for s in t.clip_slots],
            len(t.arrangement_clips),
        )
        for t in live.song.tracks
    ] + [[s.name for s in live.song.scenes]]


def passes(track) -> list[tuple]:
    return [
        (c.start_time, c.end_time, c.looping, c.loop_start, c.loop_end, c.warping, c.warp_mode)
        for c in track.arrangement_clips
    ]


def assert_midi_tracks(live: FakeLive, arrangement: Arrangement, base: int) -> None:
    for track in arrangement.tracks:
        if track.is_audio:
            continue
        made = next(t for t in live.song.tracks if t.name == track.name)
        assert made.has_midi_input
        for clip in track.clips:
            slot = made.clip_slots[base + clip.section]
            assert slot.clip.length == clip.length
            assert len(slot.clip._note_tuples()) == len(clip.notes)
        assert [c.start_time for c in made.arrangement_clips] == [c.start for c in track.clips]


# -- Live 12.1: session clips from files, arrangement by copying them -------------------------


def test_loops_and_samples_built_into_live_12_1(project):
    arrangement = song()

    async def scenario():
        async with LiveRig("12.1") as rig:
            await rig.connected()
            live = rig.live
            live.app.browser._add_place(str(project.parent))  # the projects folder in Places
            before = snapshot(live)
            undo_before = len(live.world.undo.entries)
            result = await rig.bridge.load(arrangement, project_dir=project)
            assert result.ok, result.reason
            summary = result.summary
            assert summary["warnings"] == []
            assert summary["audio_tracks"] == 1
            assert summary["audio_arrangement_method"] == "duplicate_clip_to_arrangement"
            assert summary["arrangement_method"] == "duplicate_clip_to_arrangement"
            base = summary["scene_base"]

            loop = live.song.tracks[4]
            assert (loop.name, loop.color_index, loop.has_midi_input) == ("Drum Loop", 12, False)
            assert loop.devices == ()
            resolved = str(project / "Samples" / "Imported" / "Top Loop.wav")
            for clip in arrangement.tracks[0].clips:
                made = loop.clip_slots[base + clip.section].clip
                assert made.is_audio_clip and made.file_path == resolved
                assert made.file_path.startswith(str(project) + "/")
                assert (made.name, made.color_index) == (clip.name, 12)
                assert (made.warping, made.warp_mode) == (True, WARP_MODES["complex"])
                assert (made.looping, made.loop_start, made.loop_end) == (True, 0.0, 8.0)
                assert (made.start_marker, made.end_marker) == (0.0, 8.0)
            # the arrangement: one copy per pass of the 8-beat loop, the last one cut short
            complex_mode = WARP_MODES["complex"]
            assert passes(loop) == [
                (0.0, 8.0, True, 0.0, 8.0, True, complex_mode),
                (8.0, 16.0, True, 0.0, 8.0, True, complex_mode),
                (16.0, 24.0, True, 0.0, 8.0, True, complex_mode),
                (24.0, 28.0, True, 0.0, 4.0, True, complex_mode),
            ]
            assert [c.name for c in loop.arrangement_clips] == ["Intro"] * 2 + ["Drop"] * 2
            assert {c.file_path for c in loop.arrangement_clips} == {resolved}

            # the Simpler plays the project's own file, found in the browser
            pluck = live.song.tracks[5]
            (simpler,) = pluck.devices
            assert simpler.class_name == "OriginalSimpler"
            assert simpler.sample.file_path == str(project / "Samples" / "Imported" / "Pluck.wav")
            assert ("Pluck.wav", "Pluck") in live.app.browser._loaded
            assert summary["devices"][1] == "Pluck.wav"
            assert_midi_tracks(live, arrangement, base)

            # one undo step; one Cmd+Z removes everything
            assert len(live.world.undo.entries) == undo_before + 1
            assert [e for e, _ in live.world.undo.events] == ["begin", "end"]
            live.song.undo()
            assert snapshot(live) == before
            assert await rig.bridge.query("/live/song/get/num_tracks") == (4,)

    run(scenario())


def test_sample_not_in_the_browser_falls_back_with_a_note(project):
    async def scenario():
        async with LiveRig("12.1") as rig:
            await rig.connected()
            result = await rig.bridge.load(song(), project_dir=project)
            assert result.ok, result.reason
            (note,) = result.summary["warnings"]
            assert note.startswith("Pluck: the sample Pluck.wav is not in Live's browser")
            assert note.endswith("so it plays Analog")  # the stock choice for a lead
            pluck = rig.live.song.tracks[5]
            assert [d.name for d in pluck.devices] == ["Analog"]
            assert result.summary["devices"][1] == "Analog"

    run(scenario())


# -- Live 12.2 / 12.3: arrangement clips straight from the file, Simpler takes the file ----------


def test_without_session_clips_the_arrangement_clips_come_from_the_file(project):
    async def scenario():
        async with LiveRig("12.2") as rig:
            await rig.connected()
            live = rig.live
            undo_before = len(live.world.undo.entries)
            options = LoadOptions(session=False)
            result = await rig.bridge.load(song(), options=options, project_dir=project)
            assert result.ok, result.reason
            assert result.summary["audio_arrangement_method"] == "create_audio_clip"
            loop = live.song.tracks[4]
            assert not any(slot.has_clip for slot in loop.clip_slots)
            complex_mode = WARP_MODES["complex"]
            # each pass plays the file once from its start (a looping clip could not be cut)
            assert passes(loop) == [
                (0.0, 8.0, False, 0.0, 8.0, True, complex_mode),
                (8.0, 16.0, False, 0.0, 8.0, True, complex_mode),
                (16.0, 24.0, False, 0.0, 8.0, True, complex_mode),
                (24.0, 28.0, False, 0.0, 4.0, True, complex_mode),
            ]
            assert [c.end_marker for c in loop.arrangement_clips] == [8.0, 8.0, 8.0, 4.0]
            assert [c.color_index for c in loop.arrangement_clips] == [12] * 4
            assert len(live.world.undo.entries) == undo_before + 1
            live.song.undo()
            assert len(live.song.tracks) == 4

    run(scenario())


def test_live_12_3_finds_the_sample_in_the_browser_too(project):
    """No Live version lets a script hand Simpler a file (there is no
    SimplerDevice.replace_sample in any of Live's stubs): 12.3 searches the browser like every
    version, and says so when the file is not there."""

    async def scenario():
        async with LiveRig("12.3") as rig:
            await rig.connected()
            live = rig.live  # no Place added: the browser cannot find the sample
            result = await rig.bridge.load(song(), project_dir=project)
            assert result.ok, result.reason
            assert result.summary["warnings"] == [
                "Pluck: the sample Pluck.wav is not in Live's browser (add the project folder "
                "to Places), so it plays Analog"
            ]
            (analog,) = live.song.tracks[5].devices
            assert analog.name == "Analog"  # inserted by name (12.3), not an empty Simpler
            calls = [what for _obj, what in live.world.write_log]
            assert "Track.delete_device" not in calls
            live.song.undo()
            live.app.browser._add_place(str(project.parent))
            result = await rig.bridge.load(song(), project_dir=project)
            assert result.ok and result.summary["warnings"] == [], result.summary["warnings"]
            (simpler,) = live.song.tracks[5].devices
            assert simpler.class_name == "OriginalSimpler"
            assert simpler.sample.file_path == str(project / PLUCK)
            assert result.summary["devices"][1] == "Pluck.wav"
            # Track.create_audio_clip exists, but copying the session clip keeps the loop
            assert result.summary["audio_arrangement_method"] == "duplicate_clip_to_arrangement"

    run(scenario())


# -- Live 11: the audio track without clips, and a clear warning ---------------------------------


@pytest.mark.parametrize("profile", ["11.3", "12.0"])
def test_live_without_audio_file_calls_skips_the_loops_with_a_warning(project, profile):
    arrangement = song()

    async def scenario():
        async with LiveRig(profile) as rig:
            await rig.connected()
            live = rig.live
            live.app.browser._add_place(str(project.parent))
            result = await rig.bridge.load(arrangement, project_dir=project)
            assert result.ok, result.reason
            assert result.summary["warnings"] == [NO_AUDIO_FILES]
            assert result.summary["audio_arrangement_method"] is None
            loop = live.song.tracks[4]
            assert (loop.name, loop.color_index, loop.has_midi_input) == ("Drum Loop", 12, False)
            assert not any(slot.has_clip for slot in loop.clip_slots)
            assert loop.arrangement_clips == ()
            # the MIDI tracks are built as ever
            assert_midi_tracks(live, arrangement, result.summary["scene_base"])
            assert live.song.tracks[5].devices[0].sample.file_path == str(project / PLUCK)
            assert [s.name for s in live.song.scenes[:2]] == ["Intro", "Drop"]
            live.song.undo()
            assert len(live.song.tracks) == 4

    run(scenario())


def test_intro_edition_without_complex_warp_uses_beats(project):
    async def scenario():
        async with LiveRig("12.1", edition="intro") as rig:
            await rig.connected()
            result = await rig.bridge.load(song(), project_dir=project)
            assert result.ok, result.reason
            assert (
                "the complex warp mode is not in this Live; the loops use Beats"
                in (result.summary["warnings"])
            )
            loop = rig.live.song.tracks[4]
            assert {c.warp_mode for c in loop.arrangement_clips} == {WARP_MODES["beats"]}

    run(scenario())


# -- refusals: paths that leave the project, missing folder, missing file ------------------------


@pytest.mark.parametrize(
    ("where", "path"),
    [
        ("audio", "Samples/../../Secret.wav"),
        ("audio", "/etc/passwd.wav"),
        ("audio", "Samples\\..\\..\\Secret.wav"),
        ("audio", "C:/Windows/win.ini"),
        ("instrument", "../Other Project/Samples/Kick.wav"),
        ("pad", "Samples/./Kick.wav"),
    ],
)
def test_paths_leaving_the_project_are_refused(project, where, path):
    data = song().model_dump(mode="json")
    if where == "audio":
        data["tracks"][0]["audio"]["sample"]["path"] = path
        field = "tracks[0].audio.sample.path"
    elif where == "instrument":
        data["tracks"][1]["instrument"]["sample"]["path"] = path
        field = "tracks[1].instrument.sample.path"
    else:
        data["tracks"][2]["instrument"] = {
            "kind": "drum_rack",
            "name": "Kit",
            "pads": [{"note": 36, "name": "Kick", "sample": {"path": path}}],
        }
        field = "tracks[2].instrument.pads[0].sample.path"

    async def scenario():
        async with LiveRig("12.2") as rig:
            await rig.connected()
            before = snapshot(rig.live)
            result = await rig.bridge.load(data, project_dir=project)
            assert not result.ok
            assert result.reason == (
                f"invalid arrangement: {field} must be a path inside the project folder: {path!r}"
            )
            assert snapshot(rig.live) == before and rig.live.world.undo.events == []

    run(scenario())


def test_an_audio_track_needs_the_project_folder(project):
    async def scenario():
        async with LiveRig("12.2") as rig:
            await rig.connected()
            result = await rig.bridge.load(song())
            assert not result.ok
            assert result.reason == (
                "invalid arrangement: tracks[0].audio: the payload has no project_dir to find "
                "the loop in"
            )
            assert rig.live.world.undo.events == []

    run(scenario())


def test_project_dir_must_be_absolute(project):
    with pytest.raises(ValueError, match="absolute"):
        companion_protocol.encode_payload({"title": "x"}, project_dir="relative/folder")
    live = FakeLive("12.2")
    try:
        load_script_package()
        script = sys.modules["MusiaIA.protocol"]
        payload = b'{"arrangement": {"title": "x"}, "project_dir": "relative/folder"}'
        with pytest.raises(script.PayloadError, match="absolute"):
            script.decode_payload("json", payload)
        good = companion_protocol.encode_payload({"title": "x"}, project_dir=project)
        assert script.decode_payload(*good)["project_dir"] == str(project)
        loader = sys.modules["MusiaIA.loader"]
        assert loader.sample_path(str(project), LOOP, "x") == str(project / LOOP)
        assert loader.sample_path(None, LOOP, "x") is None
    finally:
        live.close()


def test_a_missing_loop_file_fails_the_build_and_removes_what_was_made(project):
    (project / LOOP).unlink()

    async def scenario():
        async with LiveRig("12.1") as rig:
            await rig.connected()
            live = rig.live
            before = snapshot(live)
            result = await rig.bridge.load(song(), project_dir=project)
            assert not result.ok
            assert "Audio file not found" in result.reason
            assert result.reason.startswith("Drum Loop: Intro:")
            assert snapshot(live) == before
            assert [e for e, _ in live.world.undo.events] == ["begin", "end"]

    run(scenario())


# -- the simulator models what the script relies on -------------------------------------------


def test_simulator_audio_fidelity(project):
    loop_file = str(project / LOOP)
    for profile, slot_call, track_call in (
        ("11.3", False, False),  # as Live's stubs say (fake_live/live_api_versions.json)
        ("11.3.25", True, True),
        ("12.0", False, False),
        ("12.0.5", True, True),
        ("12.1", True, True),
        ("12.2", True, True),
        ("12.3", True, True),
    ):
        live = FakeLive(profile)
        try:
            audio = live.song.tracks[2]
            assert hasattr(audio.clip_slots[0], "create_audio_clip") is slot_call, profile
            assert hasattr(audio, "create_audio_clip") is track_call, profile
        finally:
            live.close()

    live = FakeLive("12.2")
    try:
        song_, midi, audio = live.song, live.song.tracks[0], live.song.tracks[2]
        slot = audio.clip_slots[0]
        for bad, message in (
            ("Samples/Imported/Top Loop.wav", "absolute"),
            (str(project / "missing.wav"), "not found"),
            (str(project / "Loop Song.als"), "Unsupported"),
        ):
            with pytest.raises(RuntimeError, match=message):
                slot.create_audio_clip(bad)
        with pytest.raises(RuntimeError, match="audio tracks"):
            midi.clip_slots[0].create_audio_clip(loop_file)
        with pytest.raises(TypeError):
            audio.create_audio_clip(loop_file, 0)  # Boost: position is a double
        clip = slot.create_audio_clip(loop_file)
        # as Live imports a short loop: warped (Beats), looping, 8 beats (4 s guessed at 120)
        assert (clip.warping, clip.warp_mode, clip.looping, clip.length) == (True, 0, True, 8.0)
        assert clip.name == "Top Loop" and clip.file_path == loop_file
        with pytest.raises(RuntimeError):
            slot.create_audio_clip(loop_file)  # the slot is taken
        with pytest.raises(RuntimeError, match="not available"):
            clip.warp_mode = 5  # REX, for REX files only
        with pytest.raises(TypeError):
            clip.warp_mode = 4.0
        with pytest.raises(RuntimeError):
            clip.loop_end = 0.0  # before the loop start
        with pytest.raises(RuntimeError):
            clip.end_marker = -1.0  # before the start marker
        with pytest.raises(RuntimeError, match="audio clips"):
            midi.clip_slots[0].create_clip(4.0).warping = True
        clip.loop_end = 3.0
        # a copy in the arrangement is as long as the loop, and keeps its settings
        audio.duplicate_clip_to_arrangement(clip, 0.0)
        (copy,) = audio.arrangement_clips
        assert (copy.end_time, copy.looping, copy.warping, copy.file_path) == (
            3.0,
            True,
            True,
            loop_file,
        )
        copy.loop_end = 2.0  # a looping arrangement clip keeps its size
        assert copy.end_time == 3.0
        made = audio.create_audio_clip(loop_file, 16.0)
        assert (made.start_time, made.end_time, made.looping) == (16.0, 24.0, True)
        made.looping = False  # unlooped, the loop end is the clip's end and moves its edge
        made.loop_end = 4.0
        assert (made.end_time, made.end_marker) == (20.0, 4.0)
        with pytest.raises(RuntimeError, match="1576800"):
            audio.create_audio_clip(loop_file, 2e6)
        song_.view.selected_track = audio
        item = live.app.browser._add_place(str(project))
        samples = item.children[0].children[0].children
        assert [s.name for s in samples] == ["Pluck.wav", "Top Loop.wav"]
        with pytest.raises(NotImplementedError):
            live.app.browser.load_item(samples[0])  # a sample on an audio track: not modelled
        song_.view.selected_track = midi
        live.app.browser.load_item(samples[0])
        assert midi.devices[0].sample.file_path == str(project / PLUCK)
        assert not hasattr(midi.devices[0], "replace_sample")  # in no Live version
    finally:
        live.close()


def test_the_sample_search_goes_on_a_little_per_call(project, tmp_path):
    """A big library: the browser walk is resumed call after call (the build step calls it
    again on the next tick), each call looking at a bounded number of items."""
    library = tmp_path / "User Library" / "Samples"
    library.mkdir(parents=True)
    for i in range(300):
        (library / f"Hit {i:03d}.wav").write_bytes(b"")
    arrangement = song()

    async def scenario():
        async with LiveRig("12.1") as rig:
            await rig.connected()
            live = rig.live
            browser = live.app.browser
            browser.user_library = browser._add_place(str(library.parent))
            browser.user_folders = ()
            browser.samples = browser._add_place(str(project))  # found in the last root
            browser.user_folders = ()
            loader_class = sys.modules["MusiaIA.instruments"].InstrumentLoader
            original = loader_class.search_sample
            calls = []

            def counting(self, file_name, max_items=64):
                calls.append(live.world.tick)
                return original(self, file_name, max_items)

            loader_class.search_sample = counting
            try:
                result = await rig.bridge.load(arrangement, project_dir=project)
            finally:
                loader_class.search_sample = original
            assert result.ok, result.reason
            assert result.summary["warnings"] == []
            assert len(calls) >= 300 // 64  # resumed, not one long walk
            assert live.song.tracks[5].devices[0].sample.file_path == str(project / PLUCK)

    run(scenario())


def test_sample_search_resumes_and_remembers(project):
    live = FakeLive("12.1")
    try:
        load_script_package()
        loader = sys.modules["MusiaIA.instruments"].InstrumentLoader(live.song, live.app)
        live.app.browser._add_place(str(project.parent))
        results = []
        while not results or not results[-1][0]:
            results.append(loader.search_sample("PLUCK.WAV", max_items=2))
        assert len(results) > 2 and results[-1][1].name == "Pluck.wav"
        assert loader.search_sample("Top Loop.wav", max_items=0) == (False, None)  # not seen yet
        assert loader.search_sample("Top Loop.wav", max_items=5)[1].name == "Top Loop.wav"
        assert loader.search_sample("pluck.wav", max_items=0)[1] is results[-1][1]  # remembered
        assert loader.find_sample("Missing.wav") is None
    finally:
        live.close()
