"""Send to Live builds the production the .als has (issue 14 item 4): return tracks, sends,
faders, pans, effects with their parameters, a compressor keyed from the kick, clip envelopes in
Session clips — through real UDP into the simulator, on old and new Lives — and what Live's API
cannot do is said, not guessed."""

from __future__ import annotations

import asyncio
import sys

import pytest

from companion.arrangement import Device, Envelope, Mix
from companion.live.limits import live_limits
from companion.live.production import device_payload, production_payload
from companion.live.protocol import LoadOptions
from conftest import with_production
from fake_live.rig import LiveRig


def run(coro):
    return asyncio.run(coro)


@pytest.fixture(scope="module")
def song():
    return with_production(1, style="house", bars=32)


def parse(text):
    return sys.modules["MusiaIA.production"].parse_display(text)


def shows(parameter, target) -> bool:
    """Whether Live displays ``target`` for the parameter's current value."""
    text = parameter.str_for_value(parameter.value)
    if "switch" in target:
        return text.lower() == ("on" if target["switch"] else "off")
    if "item" in target:
        return text.lower() == target["item"].lower()
    value, unit = parse(text)
    if "number" in target:
        return any(abs(value - n) <= 0.01 * max(1, abs(n)) for n in target["number"])
    wanted = target["value"]
    assert unit in (None, target["unit"]), (parameter.name, text, target)
    if wanted <= -69.9 and unit == "db":
        return value <= -69.5
    tolerance = {
        "db": 0.15,
        "pan": 0.6,
        "pct": 0.6,
        "hz": 0.01 * wanted,
        "ms": 0.01 * wanted,
        "number": 0.02 * max(1, abs(wanted)),
        "ratio": 0.02 * wanted,
        "deg": 0.2,
    }[target["unit"]]
    return abs(value - wanted) <= tolerance


def find(device, names):
    return next(p for p in device.parameters if p.name in names)


def new_tracks(live, count):
    return live.song.tracks[4 : 4 + count]


def check_devices(live_track, model_devices, owner):
    effects = [d for d in live_track.devices if d.type == 2]
    assert [d.class_name for d in effects] == [
        device_payload(d)["class_name"] for d in model_devices
    ], owner
    for live_device, model in zip(effects, model_devices, strict=True):
        for names, target, label in device_payload(model)["params"]:
            parameter = find(live_device, names)
            shown = parameter.str_for_value(parameter.value)
            assert shows(parameter, target), (owner, label, shown, target)
        on = find(live_device, ["Device On"]).str_for_value(find(live_device, ["Device On"]).value)
        assert on == ("On" if model.on else "Off"), (owner, model.kind)


@pytest.mark.parametrize("profile", ["11.0", "12.2", "12.3"])
def test_send_to_live_builds_the_production(song, profile):
    async def scenario():
        async with LiveRig(profile) as rig:
            await rig.connected()
            live = rig.live
            undo_before = len(live.world.undo.entries)
            result = await rig.bridge.load(song)
            assert result.ok, result.reason
            tracks = new_tracks(live, len(song.tracks))
            returns = live.song.return_tracks
            # the set's own returns stay, ours come after them with their effects and faders
            assert [r.name for r in returns] == ["A-Reverb", "B-Delay", "Reverb", "Delay 3/16"]
            for live_return, model in zip(returns[2:], song.returns, strict=True):
                check_devices(live_return, model.devices, model.name)
                assert shows(
                    live_return.mixer_device.volume, {"unit": "db", "value": model.mix.volume_db}
                )
            for live_track, model in zip(tracks, song.tracks, strict=True):
                mixer = live_track.mixer_device
                assert shows(mixer.volume, {"unit": "db", "value": model.mix.volume_db}), model.name
                assert shows(mixer.panning, {"unit": "pan", "value": model.mix.pan * 50})
                sends = [s.str_for_value(s.value) for s in mixer.sends]
                assert sends[:2] == ["-inf dB", "-inf dB"]  # the set's own returns: untouched
                for index, level in enumerate(model.mix.sends):
                    assert shows(mixer.sends[2 + index], {"unit": "db", "value": level})
                check_devices(live_track, model.devices, model.name)
            # the bass and the chords' "Pump" compressor are keyed from the new drums track
            drums = tracks[0]
            for index in (1, 2):
                compressor = next(d for d in tracks[index].devices if d.class_name == "Compressor2")
                assert compressor.sidechain_source is drums
                switch = find(compressor, ["S/C On"])
                assert switch.str_for_value(switch.value) == "On"
            # clip envelopes in the Session clips, drawn in steps that follow the ramp
            fx, model_fx = tracks[5], song.tracks[5]
            clip = fx.clip_slots[result.summary["scene_base"]].clip
            envelope = clip._envelope_of(fx.mixer_device.volume)
            assert envelope is not None and len(envelope._steps) > 8
            length = model_fx.clips[0].length
            for time in (0.0, length / 2, length - 0.01):
                wanted = model_fx.clips[0].envelopes[0].value_at(time)
                raw = envelope.value_at_time(time)
                shown, _unit = parse(fx.mixer_device.volume.str_for_value(raw))
                assert abs(shown - wanted) <= 0.35 + 20.0 / 16, (time, shown, wanted)
            reverb = next(d for d in fx.devices if d.class_name == "Reverb")
            decay = clip._envelope_of(find(reverb, ["Decay Time"]))
            assert decay is not None
            # Main is the producer's: left alone by default
            assert live.song.master_track.devices == ()
            assert live.song.master_track.mixer_device.volume.value == 0.85
            assert not [w for w in result.summary["warnings"] if "could not set" in w]
            assert any("1/16-note steps" in w for w in result.summary["warnings"])
            assert result.summary["returns"] == 2
            # one undo step removes all of it: tracks, returns, effects, envelopes
            assert len(live.world.undo.entries) == undo_before + 1
            live.world.undo.undo()
            assert [r.name for r in live.song.return_tracks] == ["A-Reverb", "B-Delay"]
            assert len(live.song.tracks) == 4
            assert all(len(t.mixer_device.sends) == 2 for t in live.song.tracks)

    run(scenario())


def test_main_is_built_only_when_asked_and_restored_when_the_build_fails(song):
    async def scenario():
        async with LiveRig("12.2") as rig:
            await rig.connected()
            live = rig.live
            main = live.song.master_track
            result = await rig.bridge.load(song, options=LoadOptions(main_bus=True))
            assert result.ok, result.reason
            assert [d.class_name for d in main.devices] == ["Limiter"]
            assert shows(main.mixer_device.volume, {"unit": "db", "value": -0.5})
            check_devices(main, song.main.devices, "Main")
            live.world.undo.undo()
            assert main.devices == () and main.mixer_device.volume.value == 0.85
            # a build that fails half way: Main's fader and chain come back, our returns go
            live.song._max_tracks = 4 + 3
            failed = await rig.bridge.load(song, options=LoadOptions(main_bus=True))
            assert not failed.ok and "limit" in failed.reason
            assert main.devices == () and main.mixer_device.volume.value == 0.85
            assert [r.name for r in live.song.return_tracks] == ["A-Reverb", "B-Delay"]
            assert len(live.song.tracks) == 4

    run(scenario())


def test_what_the_api_cannot_do_is_said(song):
    limits = " | ".join(live_limits(song))
    assert "Arrangement automation (" in limits and "Chords send:1" in limits
    assert "Main's chain (limiter) and fader are left alone" in limits
    assert "1/16-note steps" in limits
    assert "kit from Live's browser" in limits and "Simpler samples load only" in limits
    assert "Main's chain" not in " ".join(live_limits(song, options=LoadOptions(main_bus=True)))
    plain = with_production(1, style="house", bars=32).model_copy(
        update={
            "returns": [],
            "main": song.main.model_copy(
                update={"devices": [], "volume_db": 0.0, "automation": []}
            ),
        }
    )
    for track in plain.tracks:
        track.automation = []
        track.devices = []
        track.mix = Mix()
        for clip in track.clips:
            clip.envelopes = []
    assert not [x for x in live_limits(plain) if "automation" in x or "Main" in x]


def test_a_parameter_live_does_not_have_is_reported_not_guessed(song):
    """A device whose parameter is missing in this Live (renamed, say) gets everything else set
    and a note naming what could not be; a bad production payload is refused before Live is
    touched."""
    odd = song.model_copy(deep=True)
    odd.tracks[3].devices = [Device(kind="eq8", params={"b1_on": 1, "b1_freq": 300.0})]
    payload = production_payload(odd)
    payload["tracks"][3]["devices"][0]["params"].append(
        [["Warmth"], {"unit": "pct", "value": 40}, "warmth"]
    )

    async def scenario():
        async with LiveRig("12.3") as rig:
            await rig.connected()
            bridge = rig.bridge
            original = sys.modules["companion.live.bridge"].production_payload
            sys.modules["companion.live.bridge"].production_payload = lambda arr: payload
            try:
                result = await bridge.load(odd)
            finally:
                sys.modules["companion.live.bridge"].production_payload = original
            assert result.ok, result.reason
            notes = [w for w in result.summary["warnings"] if "could not set" in w]
            assert notes == ["Pads: EQ Eight: could not set warmth (Live has no Warmth)"]
            pads = new_tracks(rig.live, len(odd.tracks))[3]
            eq = next(d for d in pads.devices if d.class_name == "Eq8")
            assert shows(find(eq, ["1 Frequency A"]), {"unit": "hz", "value": 300.0})
            before = len(rig.live.song.tracks)
            bad = dict(payload)
            bad["tracks"] = [dict(t) for t in payload["tracks"]]
            bad["tracks"][0] = dict(bad["tracks"][0], devices=[{"device": "Evil Plugin"}])
            sys.modules["companion.live.bridge"].production_payload = lambda arr: bad
            try:
                refused = await bridge.load(odd)
            finally:
                sys.modules["companion.live.bridge"].production_payload = original
            assert not refused.ok and "device must be one of" in refused.reason
            assert len(rig.live.song.tracks) == before

    run(scenario())


def test_envelope_and_device_targets_are_what_live_shows():
    """The production payload speaks Live's display: dB, Hz, ms, %, menu items by name."""
    compressor = device_payload(
        Device(kind="compressor", params={"threshold_db": -24.0, "ratio": 6.0}, sidechain="Kick")
    )
    assert compressor["device"] == "Compressor" and compressor["sidechain"] == "Kick"
    assert ["Threshold"] in [p[0] for p in compressor["params"]]
    saturator = device_payload(Device(kind="saturator", params={"type": 1}))
    assert [["Type"], {"item": "Soft Sine"}, "type"] in saturator["params"]
    glue = device_payload(Device(kind="glue", params={"release_s": 0.0, "ratio": 10.0}))
    assert [["Release"], {"item": "Auto"}, "release_s"] in glue["params"]
    assert [["Ratio"], {"number": [10.0]}, "ratio"] in glue["params"]
    envelope = Envelope(target="pan", points=[(0, -0.5), (4, 0.5)])
    assert envelope.value_at(2) == 0.0
