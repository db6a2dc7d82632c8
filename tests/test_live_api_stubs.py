"""Only the API Live really has (issue 14 item 1).

Live's own API stubs (the dev dependency ``ableton-live-stubs``, Live 12.3.6, and their upstream
history for 11.0.0 to 12.3.6 recorded in fake_live/live_api_versions.json) are the reference:
every Live name the script touches while it builds songs and answers clients on several Live
versions must be in them, the simulator's version profiles must say what the stubs say, and
PROTOCOL.md must name the version that introduced each name the script feature-detects.
"""

from __future__ import annotations

import asyncio
import importlib.metadata
import re
import struct
import wave
from pathlib import Path

import pytest

from companion.arrangement import (
    Arrangement,
    AudioLoop,
    Clip,
    DrumPad,
    Instrument,
    Note,
    SampleFile,
    Section,
    Track,
)
from companion.live.protocol import LoadOptions
from conftest import with_production
from fake_live.lom import FEATURE_NAMES, PROFILES
from fake_live.rig import LiveRig, SyncClient
from fake_live.stub_table import bases_in, load_table, names_in, present_in, since, version_key

REPO = Path(__file__).resolve().parents[1]
TABLE = load_table()

# Simulator class → its class in Live's stubs (Module.Class[.Nested]) and the stub classes it
# inherits members from.
STUB_CLASS = {
    "Song": ("Song.Song",),
    "SongView": ("Song.Song.View",),
    "Track": ("Track.Track",),
    "TrackView": ("Track.Track.View",),
    "ClipSlot": ("ClipSlot.ClipSlot",),
    "Clip": ("Clip.Clip",),
    "Scene": ("Scene.Scene",),
    "Device": ("Device.Device",),
    "RackDevice": ("RackDevice.RackDevice", "Device.Device"),
    "SimplerDevice": ("SimplerDevice.SimplerDevice", "Device.Device"),
    "MixerDevice": ("MixerDevice.MixerDevice",),
    "DeviceParameter": ("DeviceParameter.DeviceParameter",),
    "Sample": ("Sample.Sample",),
    "Browser": ("Browser.Browser",),
    "BrowserItem": ("Browser.BrowserItem",),
    "Application": ("Application.Application",),
    "ApplicationView": ("Application.Application.View",),
    "CompressorDevice": ("CompressorDevice.CompressorDevice", "Device.Device"),
    "RoutingType": ("Track.RoutingType",),
    "AutomationEnvelope": ("Clip.AutomationEnvelope",),
    "Envelope": ("Envelope.Envelope",),
}
# The names the script feature-detects, and the Live version that introduced each (from the
# stubs). PROTOCOL.md must say the same.
GATED = {
    "Clip.Clip.get_all_notes_extended": "11.1.0",
    "Song.Song.is_ableton_link_enabled": "11.1.0",
    "Application.Application.average_process_usage": "11.1.0",
    "Application.Application.get_version_string": "11.3.2",
    "ClipSlot.ClipSlot.create_audio_clip": "11.3.25",
    "Track.Track.create_audio_clip": "11.3.25",
    "Song.Song.scale_mode": "12.0.5",
    "Track.Track.create_midi_clip": "12.2.0",
    "Track.Track.insert_device": "12.3.0",
}


def installed_stubs() -> Path:
    files = importlib.metadata.files("ableton-live-stubs")
    init = next(f for f in files if str(f).endswith("Live-stubs/__init__.pyi"))
    return Path(init.locate()).parent


def table_version(version: tuple[int, int, int]) -> str:
    """The newest stubs version at or before a Live version."""
    older = [v for v in TABLE["versions"] if version_key(v) <= version]
    return older[-1]


def stub_name(used: str, version: str) -> str | None:
    """``Class.member`` as the simulator recorded it → the stub name, if Live has it."""
    cls, member = used.split(".", 1)
    for prefix in STUB_CLASS.get(cls, ()):
        for candidate in (f"{prefix}.{member}", f"LomObject.LomObject.{member}"):
            if present_in(TABLE, candidate, version):
                return candidate
    return None


def test_the_table_is_what_the_installed_stubs_say():
    """The recorded 12.3.6 column equals the installed package, allowing for how the two stub
    generators lay out inherited members (upstream repeats them on each subclass)."""
    installed = names_in(installed_stubs())
    bases = bases_in(installed_stubs())
    members = {}
    for name in installed:
        owner, _, member = name.rpartition(".")
        members.setdefault(owner.rsplit(".", 1)[-1], set()).add(member)

    def inherited(cls: str, member: str, seen=()) -> bool:
        if member in members.get(cls, ()):
            return True
        return any(inherited(b, member, (*seen, cls)) for b in bases.get(cls, ()) if b not in seen)

    recorded = {n for n in TABLE["names"] if present_in(TABLE, n, "12.3.6")}
    for name in installed - recorded:
        assert name == "LomObject.LomObject.canonical_parent", name  # moved to the base class
    for name in recorded - installed:
        owner, _, member = name.rpartition(".")
        if member.startswith("_") or member == "canonical_parent" or owner == "Base.Vector":
            continue
        assert inherited(owner.rsplit(".", 1)[-1], member), name
    assert "SimplerDevice.SimplerDevice.replace_sample" not in installed
    assert not any(n.endswith("replace_sample") for n in TABLE["names"])  # in no version
    assert "Clip.Clip.add_length_listener" not in TABLE["names"]  # Clip.length: no listener


def test_simulator_profiles_follow_the_stubs():
    for profile, spec in PROFILES.items():
        version = table_version(spec["version"])
        for feature, name in FEATURE_NAMES.items():
            expected = present_in(TABLE, name, version)
            assert (feature in spec["features"]) == expected, (profile, feature, version)


def test_the_simulators_envelope_class_is_the_one_each_live_has():
    """Clip envelopes are Clip.AutomationEnvelope up to 12.1 and Envelope.Envelope from 12.2
    (both draw with insert_step): the simulator hands out the class the stubs list."""
    from fake_live import FakeLive

    for profile, spec in PROFILES.items():
        version = table_version(spec["version"])
        live = FakeLive(profile)
        try:
            slot = live.song.tracks[0].clip_slots[0]
            slot.create_clip(4.0)
            envelope = slot.clip.create_automation_envelope(live.song.tracks[0].mixer_device.volume)
            name = type(envelope).__name__
            stub = "Envelope.Envelope" if name == "Envelope" else "Clip.AutomationEnvelope"
            assert present_in(TABLE, stub + ".insert_step", version), (profile, name)
        finally:
            live.close()


def test_protocol_names_the_version_of_each_gated_call():
    text = (REPO / "remote_script" / "PROTOCOL.md").read_text()
    for name, version in GATED.items():
        assert since(TABLE, name) == version, name
    for call, version in (
        ("Track.create_midi_clip", "12.2"),
        ("Track.insert_device", "12.3"),
        ("ClipSlot.create_audio_clip", "11.3.25"),
        ("Track.create_audio_clip", "11.3.25"),
    ):
        assert re.search(rf"`{re.escape(call)}[^`]*`[^.\n]*{re.escape(version)}", text), call
    assert "not in 12.0.0" in text or "not 12.0.0" in text
    assert "replace_sample" not in text


def test_the_module_level_calls_exist():
    source = (REPO / "remote_script" / "live_api.py").read_text()
    calls = set(re.findall(r"live\(\)\.(\w+)\.(\w+)", source))
    calls |= set(re.findall(r'"(\w+)", "(\w+)", "\w+"\)', source))  # capability checks
    assert calls
    for module, name in calls:
        assert present_in(TABLE, f"{module}.{name}", "12.3.6") or any(
            n.startswith(f"{module}.{name}") for n in TABLE["names"]
        ), (module, name)


def _wav(path: Path, seconds: float) -> SampleFile:
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(8000)
        writer.writeframes(struct.pack("<h", 0) * int(seconds * 8000))
    return SampleFile(
        path=str(path.relative_to(path.parents[2])), frames=int(seconds * 8000), sample_rate=8000
    )


def full_song(folder: Path) -> Arrangement:
    """Every kind of track the script builds: a loop, a Simpler, a Drum Rack of FX samples,
    drums and a synth."""
    loop = _wav(folder / "Samples" / "Imported" / "Loop.wav", 4.0)
    pluck = _wav(folder / "Samples" / "Imported" / "Pluck.wav", 0.5)
    riser = _wav(folder / "Samples" / "Imported" / "Riser.wav", 1.0)
    notes = [Note(pitch=36 + i, start=float(i), duration=1.0, velocity=100) for i in range(4)]
    sections = [Section(name="A", kind="intro", start_bar=0, bars=2)]

    def clips(with_notes=True):
        return [Clip(name="A", start=0.0, length=8.0, section=0, notes=notes if with_notes else [])]

    return Arrangement(
        title="Everything",
        bpm=120,
        key="Am",
        bars=2,
        sections=sections,
        tracks=[
            Track(
                name="Loop",
                role="drums",
                color=1,
                clips=clips(False),
                audio=AudioLoop(sample=loop, beats=8.0, bpm=120, warp_mode="beats"),
            ),
            Track(
                name="Pluck",
                role="lead",
                color=2,
                clips=clips(),
                instrument=Instrument(kind="simpler", name="Pluck", sample=pluck),
            ),
            Track(
                name="FX",
                role="fx",
                color=3,
                clips=clips(),
                instrument=Instrument(
                    kind="drum_rack", name="FX", pads=[DrumPad(note=36, name="Riser", sample=riser)]
                ),
            ),
            Track(name="Drums", role="drums", color=4, clips=clips()),
            Track(name="Bass", role="bass", color=5, clips=clips()),
        ],
    )


@pytest.mark.parametrize("profile", ["11.0", "11.3", "12.0", "12.0.5", "12.2", "12.3"])
def test_every_live_name_the_script_uses_is_in_lives_stubs(profile, tmp_path):
    folder = tmp_path / "Projects" / "Everything Project"
    arrangement = full_song(folder)

    async def scenario():
        async with LiveRig(profile) as rig:
            await rig.connected()
            rig.live.app.browser._add_place(str(folder.parent))
            result = await rig.bridge.load(arrangement, project_dir=folder)
            assert result.ok, result.reason
            fx = result.summary["warnings"]
            assert any("FX: its 1 samples play from a Drum Rack" in w for w in fx), fx
            fx_track = rig.live.song.tracks[4 + 2]
            assert [d.class_name for d in fx_track.devices] == ["DrumGroupDevice"]
            for address, *args in (
                ("/live/song/get/*",),
                ("/live/track/get/name", 0),
                ("/live/clip_slot/create_clip", 0, 0, 4.0),
                ("/live/clip/add/notes", 0, 0, 60, 0.0, 1.0, 100, False),
                ("/live/clip/get/length", 0, 0),
                ("/live/song/start_listen/tempo",),
            ):
                rig.bridge.send(address, *args)
            assert await rig.bridge.query("/live/clip/get/notes", 0, 0)
            # the production (returns, effects by what they display, sidechains, clip
            # envelopes, Main) and a read of the selected clip touch the rest of the API
            produced = await rig.bridge.load(
                with_production(1, style="house", bars=32), options=LoadOptions(main_bus=True)
            )
            assert produced.ok, produced.reason
            assert not [w for w in produced.summary["warnings"] if "could not" in w]
            rig.live.song.view.detail_clip = rig.live.song.tracks[0].clip_slots[0].clip
            read = await rig.bridge.read({"what": "selected_clip"})
            assert read.ok, read.reason
            region = await rig.bridge.read({"what": "arrangement", "start": 0.0, "end": 64.0})
            assert region.ok, region.reason
            return rig.live.world.api_used, rig.live.world.version

    used, version = asyncio.run(scenario())
    version_name = table_version(version)
    unknown = sorted(
        name
        for name in used
        if stub_name(name, "12.3.6") is None
        and not any(stub_name(name, v) for v in TABLE["versions"])
    )
    assert unknown == [], f"names in no Live version: {unknown}"
    missing = sorted(
        name
        for name in used
        if stub_name(name, version_name) is None and name.split(".", 1)[1] not in ("is_selected",)
    )
    # touched but absent in this version: only through hasattr (feature detection)
    allowed = {n.rsplit(".", 1)[1] for n in GATED}
    assert all(name.rsplit(".", 1)[1] in allowed for name in missing), missing
    assert len(used) > 60
    for name in (
        "Clip.create_automation_envelope",
        "DeviceParameter.str_for_value",
        "DeviceParameter.value_items",
        "CompressorDevice.available_input_routing_types",
        "RoutingType.display_name",
        "Song.create_return_track",
        "Song.master_track",
        "SongView.detail_clip",
        "Clip.get_notes_extended",
        "Track.arrangement_clips",
    ):
        assert name in used, name
    envelope = "Envelope.insert_step" if version >= (12, 2, 0) else "AutomationEnvelope.insert_step"
    assert envelope in used


def test_clip_length_cannot_be_listened_to(tmp_path):
    from fake_live import FakeLive
    from fake_live.rig import free_udp_port, script_env

    live = FakeLive("12.2")
    port = free_udp_port()
    with script_env(port, free_udp_port()):
        live.start_script()
    client = SyncClient(live, port)
    try:
        client.pair()
        client.send("/live/clip_slot/create_clip", 0, 0, 4.0)
        text = client.error("/live/clip/start_listen/length", 0, 0)
        assert text == (
            "Error handling OSC message: clip.length cannot be listened to: Live has no "
            "listener for it"
        )
        assert client.query("/live/clip/get/length", 0, 0) == (0, 0, 4.0)
    finally:
        client.close()
        live.close()


# -- a slow browser: searches are budgeted by time ----------------------------------------------


def test_a_big_slow_browser_is_searched_a_little_per_tick(tmp_path):
    """2,000 files in one folder, 0.1 ms per browser item listed, the Simpler's sample absent:
    the search walks item by item, a few milliseconds' worth per tick, resumes on the next
    tick and reports its progress; no tick lists a whole folder."""
    library = tmp_path / "Library" / "Samples" / "One Shots"
    library.mkdir(parents=True)
    for i in range(2000):
        (library / f"Hit {i:04d}.wav").write_bytes(b"")
    folder = tmp_path / "Projects" / "Everything Project"
    arrangement = full_song(folder)
    arrangement = arrangement.model_copy(update={"tracks": arrangement.tracks[1:2]})  # Pluck

    async def scenario():
        async with LiveRig("12.1", browser_item_seconds=0.0001) as rig:
            await rig.connected()
            browser = rig.live.app.browser
            browser.user_library = browser._add_place(str(library.parents[1]))
            browser.user_folders = ()
            labels = []
            result = await rig.bridge.load(
                arrangement, project_dir=folder, progress=lambda p: labels.append(p.label)
            )
            assert result.ok, result.reason
            assert "Pluck.wav is not in Live's browser" in result.summary["warnings"][0]
            return rig.live.browser_items_per_tick, labels

    per_tick, labels = asyncio.run(scenario())
    busy = [n for n in per_tick if n]
    assert sum(busy) >= 2000  # the whole library was looked at …
    assert len(busy) >= 40  # … over many ticks …
    assert max(busy) <= 60, max(busy)  # … a few ms of listing each (budget 2 ms, 0.1 ms/item)
    searching = [label for label in labels if "looking for Pluck.wav" in label]
    counts = [int(re.search(r"\((\d+) items\)", label).group(1)) for label in searching]
    assert len(counts) >= 5 and counts == sorted(counts)  # progress goes forward
