"""Send to Live builds the production the pipeline's mixing stage made (issue 14 item 4): a real
project generated from a chat request (sounds from MusiaIA's kit, the mixing and automation
stage, files on disk) is read back from its project file, as Send to Live does, and built into
the simulated Live over real UDP; the returns, sends, faders, pans, effects, their parameters and
the Session clips' envelopes in Live are the arrangement's, and the project card's list of what
Live cannot build is exactly what the build could not do."""

from __future__ import annotations

import asyncio
from itertools import pairwise
from pathlib import Path

import pytest
from test_live_production import check_devices, find, parse, shows

from companion.arrangement import Arrangement
from companion.kit.build import ensure_kit
from companion.live.limits import live_limits
from companion.live.production import LIVE_DEVICES, envelope_target
from companion.live.protocol import LoadOptions
from companion.pipeline import generate
from companion.sounds import SoundSource
from fake_live.rig import LiveRig

REQUEST = "Genera un track de deep house a 122 BPM en La menor"
DEFAULT_RETURNS = ["A-Reverb", "B-Delay"]  # the returns of Live's default set


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    user_library = tmp_path_factory.mktemp("home") / "User Library"
    kit = user_library / "Samples" / "MusiaIA Kit"
    ensure_kit(kit)
    made = generate(
        REQUEST,
        seed=7,
        out_dir=tmp_path_factory.mktemp("projects"),
        sounds=SoundSource(kit).chooser(),
    )
    # What "Send to Live" sends: the arrangement as the project file on disk has it.
    song = Arrangement.model_validate_json(made.project.arrangement_json.read_text())
    return made, song, user_library


def build(song: Arrangement, user_library: Path, folder: Path, options=None, profile="12.2"):
    async def scenario():
        async with LiveRig(profile) as rig:
            await rig.connected()
            rig.live.app.browser._show_user_library(str(user_library))
            before = len(rig.live.song.tracks)
            result = await rig.bridge.load(song, project_dir=folder, options=options)
            rig.live.shown = list(rig.c_instance.messages)  # Live's status bar, in order
            return rig.live, before, result

    return asyncio.run(scenario())


def test_the_pipeline_makes_a_production_worth_checking(project):
    """The request's project has what this file checks: returns with effects, sends, faders,
    compressors keyed from the kick, clip envelopes, arrangement automation and Main's chain."""
    made, song, _ = project
    assert made.production is not None and song == made.arrangement
    assert len(song.returns) == 2 and all(r.devices for r in song.returns)
    assert any(t.mix.sends for t in song.tracks)
    assert len({round(t.mix.volume_db, 1) for t in song.tracks}) > 3
    assert any(d.sidechain for t in song.tracks for d in t.devices)
    assert any(c.envelopes for t in song.tracks for c in t.clips)
    assert any(t.automation for t in song.tracks) and song.main.devices


@pytest.mark.parametrize(
    ("profile", "main_bus"),
    [("12.2", False), ("12.2", True), ("11.0", True), ("12.3", False)],
    ids=["12.2-main-left-alone", "12.2-main-built", "11.0-main-built", "12.3-main-left-alone"],
)
def test_send_to_live_builds_the_pipelines_production(project, profile, main_bus):
    made, song, user_library = project
    options = LoadOptions(main_bus=main_bus)
    live, before, result = build(song, user_library, made.project.folder, options, profile)
    assert result.ok, result.reason
    tracks = list(live.song.tracks)[before:]
    assert [t.name for t in tracks] == [t.name for t in song.tracks]
    # returns: Live's own first, then the arrangement's, with their effects and faders
    returns = live.song.return_tracks
    assert [r.name for r in returns] == DEFAULT_RETURNS + [r.name for r in song.returns]
    for live_return, model in zip(returns[2:], song.returns, strict=True):
        check_devices(live_return, model.devices, model.name)
        assert shows(live_return.mixer_device.volume, {"unit": "db", "value": model.mix.volume_db})
        assert shows(live_return.mixer_device.panning, {"unit": "pan", "value": model.mix.pan * 50})
    for live_track, model in zip(tracks, song.tracks, strict=True):
        mixer = live_track.mixer_device
        assert shows(mixer.volume, {"unit": "db", "value": model.mix.volume_db}), model.name
        assert shows(mixer.panning, {"unit": "pan", "value": model.mix.pan * 50}), model.name
        sends = [s.str_for_value(s.value) for s in mixer.sends]
        assert sends[:2] == ["-inf dB", "-inf dB"], model.name  # the set's returns: untouched
        assert len(sends) == 2 + len(song.returns)
        for index in range(len(song.returns)):
            level = model.mix.sends[index] if index < len(model.mix.sends) else -70.0
            assert shows(mixer.sends[2 + index], {"unit": "db", "value": level}), (
                model.name,
                index,
            )
        check_devices(live_track, model.devices, model.name)
        # effects come after the instrument, in the arrangement's order
        effects = [d.class_name for d in live_track.devices if d.type == 2]
        assert effects == [LIVE_DEVICES[d.kind][1] for d in model.devices]
        # a compressor keyed from a track listens to that new track in Live
        for live_device, device in zip(
            [d for d in live_track.devices if d.type == 2], model.devices, strict=True
        ):
            if device.sidechain:
                source = tracks[[t.name for t in song.tracks].index(device.sidechain)]
                assert live_device.sidechain_source is source, (model.name, device.kind)
                switch = find(live_device, ["S/C On"])
                assert switch.str_for_value(switch.value) == "On"
    # a few parameters read straight off the model (not through the payload's translation)
    bass = next(i for i, t in enumerate(song.tracks) if t.role == "bass")
    compressor = next(d for d in song.tracks[bass].devices if d.kind == "compressor")
    live_compressor = next(d for d in tracks[bass].devices if d.class_name == "Compressor2")
    threshold = find(live_compressor, ["Threshold"])
    shown, unit = parse(threshold.str_for_value(threshold.value))
    assert unit == "db" and abs(shown - compressor.params["threshold_db"]) <= 0.15
    reverb = next(d for d in song.returns[0].devices if d.kind == "reverb")
    live_reverb = next(d for d in returns[2].devices if d.class_name == "Reverb")
    decay = find(live_reverb, ["Decay Time"])
    shown, unit = parse(decay.str_for_value(decay.value))
    assert unit == "ms" and abs(shown - reverb.params["decay_s"] * 1000) <= 0.01 * shown
    # clip envelopes: every Session clip with envelopes has one per target, in Live
    base = result.summary["scene_base"]
    enveloped = 0
    for live_track, model in zip(tracks, song.tracks, strict=True):
        effects = [d for d in live_track.devices if d.type == 2]
        for clip_index, clip in enumerate(model.clips):
            if not clip.envelopes:
                continue
            live_clip = live_track.clip_slots[base + clip.section].clip
            assert live_clip is not None, (model.name, clip_index)
            for envelope in clip.envelopes:
                where = envelope_target(envelope.target, model.devices)
                if where["kind"] == "volume":
                    parameter = live_track.mixer_device.volume
                elif where["kind"] == "send":
                    parameter = live_track.mixer_device.sends[2 + where["index"]]
                else:
                    parameter = find(effects[where["device"]], where["names"])
                assert live_clip._envelope_of(parameter) is not None, (model.name, envelope.target)
                enveloped += 1
    assert enveloped == sum(len(c.envelopes) for t in song.tracks for c in t.clips)
    # Live's status bar: the build going forward, each message once, then what was added
    shown = live.shown
    progress = [m for m in shown if m.startswith(f"MusiaIA: adding '{song.title}' - ")]
    percents = [int(m.split(" - ", 1)[1].split("%", 1)[0]) for m in progress]
    assert len(percents) >= 5 and percents == sorted(percents) and percents[-1] < 100
    assert all(a != b for a, b in pairwise(shown)), shown
    assert shown[-1] == (
        f"MusiaIA: '{song.title}' added ({len(song.tracks)} tracks, "
        f"{sum(len(t.clips) for t in song.tracks)} clips) - one undo removes it"
    )
    # Main: the producer's unless asked, then the arrangement's chain and fader
    main = live.song.master_track
    if main_bus:
        check_devices(main, song.main.devices, "Main")
        assert shows(main.mixer_device.volume, {"unit": "db", "value": song.main.volume_db})
    else:
        assert main.devices == () and main.mixer_device.volume.value == 0.85
    assert not [w for w in result.summary["warnings"] if "could not set" in w]
    assert result.summary["returns"] == len(song.returns)
    # The project card's list (what the panel shows before Send to Live) is this build's truth.
    limits = live_limits(song, options=options)
    automated = [(t.name, e.target) for t in song.tracks for e in t.automation]
    assert limits[0].startswith(f"Arrangement automation ({len(automated)} envelopes: ")
    ramps = "Clip envelope ramps are drawn as 1/16-note steps (the API draws steps)"
    assert ramps in limits
    assert any("1/16-note steps" in w for w in result.summary["warnings"])
    main_note = [x for x in limits if x.startswith("Main's chain")]
    assert bool(main_note) is not main_bus
    fx = [t.name for t in song.tracks if t.role == "fx" and t.instrument.kind == "drum_rack"]
    for name in fx:
        assert f"{name}: an empty Drum Rack (its samples are in the .als)" in limits
        assert any(w.startswith(f"{name}: its ") for w in result.summary["warnings"])
    # every track whose sound is a sample file (a Simpler, or a multi-sampled instrument's zone)
    # plays it only when Live's browser lists the file: the card says so for each of them
    sampled = [t.name for t in song.tracks if t.instrument.kind in ("simpler", "multi")]
    assert sampled
    browser = [x for x in limits if "Live's browser (Places" in x]
    assert len(browser) == 1 and all(name in browser[0] for name in sampled), limits


def test_the_cards_browser_note_is_what_a_live_without_the_kit_does(project, tmp_path):
    """Without the kit in Live's browser, exactly the tracks the card names play a Live
    instrument instead of their sample, and say so; the production is built all the same."""
    made, song, _ = project
    empty = tmp_path / "User Library"
    empty.mkdir()
    live, before, result = build(song, empty, made.project.folder)
    assert result.ok, result.reason
    (note,) = [x for x in live_limits(song) if "Live's browser (Places" in x]
    named = note.split(":", 1)[0].split(", ")
    missing = [
        w.split(":", 1)[0] for w in result.summary["warnings"] if "not in Live's browser" in w
    ]
    assert missing == named
    tracks = list(live.song.tracks)[before:]
    for live_track, model in zip(tracks, song.tracks, strict=True):
        if model.name in named:
            assert live_track.devices[0].class_name != "OriginalSimpler"
        check_devices(live_track, model.devices, model.name)


def test_the_production_is_built_a_little_per_tick(project):
    """In a slow Live (every change to the set costs 0.5 ms of Live's time), the whole song with
    its production is built a few changes per tick: at 0.5 ms each, the issue's figures (p95 ≤
    3 ms, max ≤ 10 ms of work per tick) are p95 ≤ 6 and max ≤ 20 changes. Counted, not timed:
    a loaded machine only makes the script stop sooner."""
    made, song, user_library = project

    async def scenario():
        async with LiveRig("12.2", write_seconds=0.0005) as rig:
            await rig.connected()
            rig.live.app.browser._show_user_library(str(user_library))
            first = len(rig.live.writes_per_tick)
            result = await rig.bridge.load(
                song, project_dir=made.project.folder, options=LoadOptions(main_bus=True)
            )
            assert result.ok, result.reason
            return rig.live.writes_per_tick[first:], len(rig.live.world.write_log)

    per_tick, total = asyncio.run(scenario())
    busy = sorted(n for n in per_tick if n)
    assert sum(busy) == total > 1000  # tracks, clips, notes, returns, effects, parameters, Main
    assert busy[round(0.95 * (len(busy) - 1))] <= 6, busy[-20:]
    # a step that would not fit in what is left of the 2 ms budget waits for the next tick
    assert busy[round(0.95 * (len(busy) - 1))] <= 4, busy[-20:]
    assert busy[-1] <= 20, busy[-20:]
    assert len(busy) >= total / 20
