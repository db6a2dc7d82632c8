"""The mixing stage's decisions, per style: returns and sends, devices by part, the kick-keyed
sidechain, panning, gain staging and automation, on songs generated through the real pipeline
(built-in kit, written .als read back where the set is what matters)."""

from __future__ import annotations

from functools import cache

import pytest
from lxml import etree

from companion.als.reader import read_als
from companion.als.writer import als_bytes, als_xml
from companion.arrangement import Arrangement, Envelope, Track
from companion.pipeline import STEPS, Generation, generate
from companion.production import produce
from companion.production.automation import BREAKS, BUILDS, DROPS, THROWS
from companion.production.gain import CEILING_DB
from companion.production.levels import SampleLevel
from companion.production.tables import MAX_SHARE, OFF_DB, STYLE_MIX, style_mix
from companion.requirements import STYLES, ProductionChoices
from companion.settings import Settings
from companion.sounds import SoundSource

PUMPING = sorted(s for s, mix in STYLE_MIX.items() if mix.pump is not None)
STEADY = sorted(s for s, mix in STYLE_MIX.items() if mix.pump is None)


@cache
def made(style: str, seed: int = 3, bars: int = 48) -> Generation:
    """A song of the style through the whole pipeline, sounds from the tests' kit (not written)."""
    chooser = SoundSource(Settings().kit_dir).chooser()
    return generate(f"{style}, {bars} compases", seed=seed, sounds=chooser)


def by_name(song: Arrangement) -> dict[str, Track]:
    return {t.name: t for t in song.tracks}


def part_of(generation: Generation, track: Track) -> str:
    assert generation.production is not None
    return generation.production.parts[track.name]


def devices(track: Track, kind: str):
    return [d for d in track.devices if d.kind == kind]


def envelope(owner, target: str) -> Envelope | None:
    return next((e for e in owner.automation if e.target == target), None)


def start(song: Arrangement, kind_of) -> list[float]:
    return [song.section_start_beat(s) for s in song.sections if s.kind in kind_of]


# --------------------------------------------------------------------------- the stage itself


def test_mixing_is_a_visible_stage_between_sounds_and_layout():
    order = [step for step, _, _ in STEPS]
    assert order.index("choosing_sounds") < order.index("mixing") < order.index("laying_out")
    seen = []
    generate("house 16 compases", seed=1, progress=lambda step, label, pct: seen.append(step))
    assert "mixing" in seen and "mixing" in made("house").timings


def test_the_stage_is_deterministic():
    first, again = (
        made("techno"),
        generate("techno, 48 compases", seed=3, sounds=SoundSource(Settings().kit_dir).chooser()),
    )
    assert first.arrangement == again.arrangement
    assert als_bytes(first.arrangement) == als_bytes(again.arrangement)


@pytest.mark.parametrize("style", STYLES)
def test_every_style_gets_two_returns_a_limiter_last_and_sends_on_every_track(style):
    song = made(style).arrangement
    assert [r.devices[0].kind for r in song.returns] == ["reverb", "delay"]
    space = style_mix(style).space
    reverb, delay = song.returns[0].devices[0], song.returns[1].devices[0]
    assert reverb.param("decay_s") == space.decay_s and reverb.param("dry_wet") == 1.0
    assert delay.param("sync") == 1.0 and delay.param("sixteenths_l") == space.delay_l
    assert song.main.devices[-1].kind == "limiter"
    assert song.main.devices[-1].param("ceiling_db") == CEILING_DB <= -1.0
    root = etree.fromstring(als_xml(song), parser=etree.XMLParser(huge_tree=True))
    for track in root.find("LiveSet/Tracks"):
        holders = track.findall("DeviceChain/Mixer/Sends/TrackSendHolder")
        assert len(holders) == len(song.returns), track.find("Name/EffectiveName").get("Value")


@pytest.mark.parametrize("style", STYLES)
def test_devices_by_part(style):
    generation = made(style)
    song = generation.arrangement
    for track in song.tracks:
        part = part_of(generation, track)
        eq = devices(track, "eq8")
        assert eq and track.devices[0].kind == "eq8", track.name  # clean-up first
        high_pass = eq[0].param("b1_on") == 1.0
        # A high-pass on everything but the kick and the bass.
        assert high_pass == (part not in ("kick", "bass")), track.name
        if part == "drums":
            assert devices(track, "glue"), "Glue Compressor on the kit"
        if part == "pads":
            assert devices(track, "utility")[0].param("width") > 1.0
        if part == "bass":
            assert devices(track, "utility")[0].param("mono_bass_hz") >= 50
    for colour in style_mix(style).colour:
        owners = [t for t in song.tracks if part_of(generation, t) == colour.part]
        for track in owners:
            assert devices(track, colour.kind), (track.name, colour.why)


@pytest.mark.parametrize("style", PUMPING)
def test_pumping_styles_key_the_compressors_from_the_kick_track(style):
    generation = made(style)
    song = generation.arrangement
    kick = [t for t in song.tracks if part_of(generation, t) == "kick"]
    assert len(kick) == 1 and {n.pitch for c in kick[0].clips for n in c.notes} <= {35, 36}
    keyed = {t.name for t in song.tracks for d in t.devices if d.sidechain is not None}
    pumped = {t.name for t in song.tracks if part_of(generation, t) in ("bass", "chords", "pads")}
    assert pumped and pumped <= keyed
    assert {d.sidechain for t in song.tracks for d in t.devices if d.sidechain} == {"Kick"}
    # The set says so too: the reader finds the compressor keyed by the Kick track.
    back = read_als_bytes(als_bytes(song))
    assert {d.sidechain for t in back.tracks for d in t.devices if d.sidechain} == {"Kick"}


@pytest.mark.parametrize("style", STEADY)
def test_other_styles_do_not_pump(style):
    song = made(style).arrangement
    assert not [d for t in song.tracks for d in t.devices if d.sidechain is not None]


def read_als_bytes(data: bytes) -> Arrangement:
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=".als") as handle:
        handle.write(data)
        handle.flush()
        return read_als(handle.name)


@pytest.mark.parametrize("style", STYLES)
def test_kick_bass_lead_centred_kit_and_pads_spread(style):
    generation = made(style)
    for track in generation.arrangement.tracks:
        if part_of(generation, track) in ("kick", "snare", "bass", "lead", "vocals"):
            assert track.mix.pan == 0.0, track.name


@pytest.mark.parametrize("style", STYLES)
def test_sends_follow_the_table_kick_and_bass_dry_pads_wetter(style):
    generation = made(style)
    table = style_mix(style).sends
    sends = {part_of(generation, t): t.mix for t in generation.arrangement.tracks}
    for part, mix in sends.items():
        assert mix.send_db(0) == table[part].reverb_db and mix.send_db(1) == table[part].delay_db
    if style != "ambient":
        assert sends.get("kick", None) is None or sends["kick"].send_db(0) == OFF_DB
    if "bass" in sends and style != "ambient":
        assert sends["bass"].send_db(0) == sends["bass"].send_db(1) == OFF_DB
    if "pads" in sends and "chords" in sends:
        assert sends["pads"].send_db(0) > sends["chords"].send_db(0)


# --------------------------------------------------------------------------- gain staging


def fake_levels(song: Arrangement, loud: set[str]) -> dict[str, SampleLevel]:
    """Level facts for every sample: ``loud`` parts' samples 12 dB hotter than the rest."""
    levels = {}
    for track in song.tracks:
        instrument = track.instrument
        if instrument is None:
            continue
        hot = track.role in loud
        for sample in instrument.samples():
            lift = 0.0 if hot else -12.0
            levels[sample.path] = SampleLevel(
                rms_db=-8.0 + lift, peak_db=-1.0 + lift, seconds=1.0, loop_rms_db=None
            )
    return levels


def test_faders_follow_the_samples_levels_not_hope():
    """Twelve dB hotter samples on bass and chords: their faders come down by about as much,
    so the expected shares stay the table's."""
    base = made("house").sounds.arrangement
    even = produce(base, fake_levels(base, set()))
    hot = produce(base, fake_levels(base, {"bass", "chords"}))
    for name in ("Bass", "Chords"):
        drop = even.staged.faders[name] - hot.staged.faders[name]
        assert 10.0 <= drop <= 14.0, (name, drop)
    assert abs(even.staged.faders["Lead"] - hot.staged.faders["Lead"]) < 2.5
    for name, share in even.staged.shares.items():
        assert hot.staged.shares[name] == pytest.approx(share, abs=0.03)


@pytest.mark.parametrize("style", STYLES)
def test_expected_shares_follow_the_table_and_no_part_dominates(style):
    generation = made(style)
    staged = generation.production.staged
    mix = style_mix(style)
    dominant = mix.dominant[0] if mix.dominant else None
    for name, share in staged.shares.items():
        part = generation.production.parts[name]
        ceiling = mix.dominant[1] if part == dominant else MAX_SHARE
        assert share <= ceiling, (name, share)
    assert -24.0 <= staged.limiter_gain <= 24.0


def test_a_mix_over_its_quiet_target_is_trimmed_down_not_left_loud():
    """The limiter only adds gain: a wet mix already over a quiet style's target (ambient at
    -14 LUFS) has every fader brought down to reach it."""
    from companion.production.gain import EQ_LOSS, PartInput, stage

    def part(name: str, power: float, share: float) -> PartInput:
        return PartInput(
            name=name,
            part=name.lower(),
            energy={0: power * 10.0},
            weighted={0: power * 10.0},
            peak=0.5,
            share=share,
            sends=(-10.0, -70.0),  # into a long reverb
            returned=(2.23 * 2.0, 0.0),
        )

    parts = [part("Pads", 0.02, 0.5), part("Chords", 0.01, 0.3), part("Lead", 0.01, 0.2)]
    loud = stage(parts, {0: 10.0}, {0: 1.0}, target_lufs=-9.0)
    quiet = stage(parts, {0: 10.0}, {0: 1.0}, target_lufs=-20.0)
    assert loud.estimate["mix_trim_db"] == 0.0
    trim = quiet.estimate["mix_trim_db"]
    assert trim < -3.0
    assert quiet.limiter_gain == 0.0
    assert quiet.estimate["lufs_before_limiter"] - EQ_LOSS == pytest.approx(-20.0, abs=0.01)
    for name, fader in loud.faders.items():
        assert quiet.faders[name] == pytest.approx(fader + trim, abs=0.01)


# --------------------------------------------------------------------------- automation


def values_between(env: Envelope, t0: float, t1: float) -> tuple[float, float]:
    return env.value_at(t0 + 1e-6), env.value_at(t1 - 1e-6)


@pytest.mark.parametrize("style", ["house", "techno", "trance", "edm", "pop"])
def test_builds_open_the_filters_and_throw_the_sends_before_the_drop(style):
    generation = made(style, bars=64)
    song = generation.arrangement
    builds = [s for s in song.sections if s.kind in BUILDS]
    assert builds, "the form has a build"
    swept = 0
    for track in song.tracks:
        filters = [i for i, d in enumerate(track.devices) if d.kind == "auto_filter"]
        cutoff = envelope(track, f"device:{filters[0]}:cutoff_hz") if filters else None
        if cutoff is None:
            continue
        for build in builds:
            t0 = song.section_start_beat(build)
            t1 = t0 + build.bars * song.beats_per_bar
            low, high = values_between(cutoff, t0, t1)
            assert low < high / 8, (track.name, low, high)  # rises through the build
        swept += 1
    assert swept >= 2
    drops = [d for d in start(song, DROPS) if d >= 1]
    thrown = 0
    for track in song.tracks:
        index = THROWS.get(part_of(generation, track))
        env = envelope(track, f"send:{index}") if index is not None else None
        if env is not None:
            base = track.mix.send_db(index)
            for drop in drops:
                assert env.value_at(drop - 0.5) > base and env.value_at(drop + 0.5) == base
            thrown += 1
    assert thrown >= 2
    # The same sweeps on the build's Session clips, in clip beats.
    clip_envelopes = [
        (c, e)
        for t in song.tracks
        for c in t.clips
        for e in c.envelopes
        if e.target.endswith("cutoff_hz")
    ]
    assert clip_envelopes
    for clip, env in clip_envelopes:
        assert song.sections[clip.section].kind in BUILDS
        assert env.points[0][1] < env.points[-1][1] and env.points[-1][0] <= clip.length


def test_into_a_breakdown_the_kit_thins_and_the_bass_dips():
    generation = made("house", bars=64)
    song = generation.arrangement
    tracks = by_name(song)
    for breakdown in start(song, BREAKS):
        drums = tracks["Drums"]
        eq = next(i for i, d in enumerate(drums.devices) if d.kind == "eq8")
        env = envelope(drums, f"device:{eq}:b1_freq")
        bar = song.beats_per_bar
        assert env.value_at(breakdown - 0.01) > 3 * env.value_at(breakdown - 2 * bar)
        volume = envelope(tracks["Bass"], "volume")
        assert volume.value_at(breakdown - 0.01) < tracks["Bass"].mix.volume_db - 6


@pytest.mark.parametrize("style", ["pop", "trap", "ambient", "house"])
def test_intros_fade_in_and_outros_fade_out(style):
    generation = made(style)
    song = generation.arrangement
    first, last = song.sections[0], song.sections[-1]
    assert first.kind == "intro" and last.kind == "outro"
    fade = envelope(song.main, "volume")
    if style_mix(style).fades == "parts":
        fade = envelope(by_name(song)["Drums"], "volume")
        kick = envelope(by_name(song)["Kick"], "volume")
        assert kick is None, "the kick stays at full level for the DJ"
    assert fade is not None
    end = song.length_beats
    assert fade.value_at(0) <= -60 and fade.value_at(end) <= -60
    bar = song.beats_per_bar
    middle = song.section_start_beat(song.sections[len(song.sections) // 2])
    assert fade.value_at(middle) > fade.value_at(bar * 0.5) > fade.value_at(0)
    # Breakpoints every beat along the fade: Live joins faders in amplitude.
    times = [t for t, _ in fade.points if t <= 2 * bar]
    assert len(times) >= 2 * song.beats_per_bar


def test_requests_change_the_production_over_the_style():
    base = made("house").sounds.arrangement
    plain = produce(base).arrangement
    asked = produce(
        base,
        choices=ProductionChoices(reverb={"snare": 1}, delay={"lead": -1}, sidechain=False),
    ).arrangement
    before, after = by_name(plain), by_name(asked)
    assert after["Snare"].mix.send_db(0) == before["Snare"].mix.send_db(0) + 5
    assert after["Lead"].mix.send_db(1) == before["Lead"].mix.send_db(1) - 5
    assert not [d for t in asked.tracks for d in t.devices if d.sidechain]
    assert after["Chords"].mix.send_db(0) == before["Chords"].mix.send_db(0)
    assert [d.kind for d in after["Lead"].devices] == [d.kind for d in before["Lead"].devices]
