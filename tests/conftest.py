"""Shared test helpers: songs from the real engine, and the real Live sets in ../shared."""

from __future__ import annotations

import math
import os
import sys
import tempfile
import wave
from array import array
from functools import cache
from pathlib import Path

import pytest

import alsconform
from companion.arrangement import (
    Arrangement,
    AudioLoop,
    Clip,
    DrumPad,
    Instrument,
    SampleFile,
    Track,
)
from companion.kit.build import fingerprint as kit_fingerprint
from companion.music.compose import compose
from companion.music.resolve import resolve
from companion.requirements import Requirements

REPO = Path(__file__).resolve().parents[1]

# Commands the tests run (musiaia generate…) must never render MusiaIA's kit into a real Ableton
# User Library on a developer's machine.
# Named by the kit's recipes: checkouts with another kit on the same machine do not share one.
_KIT = f"musiaia-tests-kit-{kit_fingerprint()}"
os.environ.setdefault("MUSIAIA_KIT_DIR", str(Path(tempfile.gettempdir()) / _KIT))
# Every test server and kit folder copies one kit rendered once per kit version on this machine.
os.environ.setdefault("MUSIAIA_KIT_SEED", str(Path(tempfile.gettempdir()) / f"{_KIT}-seed"))

# AbletonOSC's own test suite (vendored, MIT) runs against the script through
# test_abletonosc_suite.py, never directly: it needs the simulator behind its ports.
collect_ignore = ["abletonosc_suite"]

needs_fixtures = pytest.mark.skipif(
    not alsconform.fixture_files(),
    reason=f"no real Live sets in {alsconform.VENDORED} nor {alsconform.FIXTURES}",
)


def needs_fixture(name: str) -> pytest.MarkDecorator:
    """For a test about one particular real set: most are only in ../shared (no licence to
    copy them here), so a clone without it skips the test and says why."""
    return pytest.mark.skipif(
        alsconform.fixture_path(name) is None,
        reason=f"{name} is only in ../shared/fixtures/als (absent here)",
    )


# The vendored sets hold few of Live's audio effects: none has a Limiter, none is of the schema
# MusiaIA writes for Live 12 (12.0_12120), and the one of its Live 11 schema (11.0_433) has only a
# return's Reverb and Delay. Judged on them alone, the production checks report hundreds of paths
# those sets never show (tried: 270-470 per test), so only ../shared's sets can judge them.
NO_EFFECTS = (
    "the vendored sets hold too few of Live's audio effects (no Limiter, no set of the 12.0_12120 "
    "schema) to judge them: only ../shared's sets can"
)
needs_effects = pytest.mark.skipif(not alsconform.strict(), reason=NO_EFFECTS)

needs_inventory_tool = pytest.mark.skipif(
    not (alsconform.SHARED / "tools" / "als_inventory.py").is_file(),
    reason="../shared/tools/als_inventory.py is absent",
)


@pytest.fixture
def anyio_backend() -> str:
    """Async tests run on asyncio, as the companion does (anyio would also try trio)."""
    return "asyncio"


@pytest.fixture
def fakes():
    """The fake LLM servers (tests/fake_llm.py), clean for each test."""
    from fake_llm import fresh_fakes

    with fresh_fakes() as fakes:
        yield fakes


@cache
def song(seed: int = 1, **fields) -> Arrangement:
    """A song from the real engine; cached because many tests read the same few songs."""
    requirements = Requirements(**fields)
    return compose(resolve(requirements, seed))


def fresh_song(seed: int = 1, **fields) -> Arrangement:
    """A private copy (tests that mutate must not touch the cache)."""
    return song(seed, **fields).model_copy(deep=True)


# A spread of styles, meters and keys the writer and reader are exercised with.
SONG_CASES = [
    pytest.param(dict(style="house", bpm=124, key="Am"), id="house-124-Am"),
    pytest.param(dict(style="techno", key="F#m"), id="techno-F#m"),
    pytest.param(dict(style="trap", key="Ebm"), id="trap-Ebm"),
    pytest.param(dict(style="drum-and-bass"), id="dnb"),
    pytest.param(dict(style="pop", key="Db", bars=32), id="pop-Db-32bars"),
    pytest.param(dict(style="ambient", time_signature="3/4"), id="ambient-3/4"),
    pytest.param(dict(style="reggaeton", bpm=95.5), id="reggaeton-95.5"),
]


def sample_file(name: str, root: int = 60, frames: int = 22050) -> SampleFile:
    return SampleFile(
        path=f"Samples/Imported/{name}.wav",
        frames=frames,
        sample_rate=44100,
        root_note=root,
        size=frames * 2 + 44,
        crc=1234,
        mtime=1_700_000_000,
    )


def with_instruments(seed: int = 1, **fields) -> Arrangement:
    """A song whose tracks carry instruments: a Drum Rack for drums, Simplers for the rest."""
    arrangement = fresh_song(seed, **fields)
    kit = [
        (36, "Kick"),
        (37, "Rim"),
        (38, "Snare"),
        (39, "Clap"),
        (42, "Closed Hat"),
        (46, "Open Hat"),
    ]
    for track in arrangement.tracks:
        if track.role == "drums":
            pads = [
                DrumPad(
                    note=note,
                    name=name,
                    sample=sample_file(name),
                    choke_group=1 if note in (42, 46) else 0,
                )
                for note, name in kit
            ]
            track.instrument = Instrument(kind="drum_rack", name="MusiaIA Kit", pads=pads)
        else:
            track.instrument = Instrument(
                kind="simpler",
                name=track.name,
                sample=sample_file(f"{track.name} One Shot", 48),
                one_shot=track.role == "fx",
            )
    return arrangement


LOOP_PATH = "Samples/Imported/Drum Loop 100 BPM.wav"
LOOP_BPM = 100.0


def write_loop_wav(path: Path, bpm: float = LOOP_BPM, bars: int = 2, rate: int = 22050) -> Path:
    """A real 16-bit mono WAV (stdlib ``wave``): a short click on every beat of ``bars`` 4/4 bars
    at ``bpm``, so it is ``bars * 4`` beats long at its own tempo."""
    beat = 60 / bpm * rate
    samples = array("h", bytes(2 * round(bars * 4 * beat)))
    for index in range(bars * 4):
        start = round(index * beat)
        for offset in range(min(400, len(samples) - start)):
            level = 12000 * (1 - offset / 400)
            samples[start + offset] = int(level * math.sin(2 * math.pi * 880 * offset / rate))
    if sys.byteorder == "big":
        samples.byteswap()  # WAV is little-endian
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(samples.tobytes())
    return path


def loop_sample(project_dir: Path, relative: str = LOOP_PATH) -> SampleFile:
    """The SampleFile for a loop written into ``project_dir``, with its real facts."""
    from companion.sounds import crc16

    path = write_loop_wav(project_dir / relative)
    data = path.read_bytes()
    with wave.open(str(path)) as audio:
        frames, rate = audio.getnframes(), audio.getframerate()
    return SampleFile(
        path=relative,
        frames=frames,
        sample_rate=rate,
        size=len(data),
        crc=crc16(data),
        mtime=int(path.stat().st_mtime),
    )


def with_drum_loop(project_dir: Path, seed: int = 1, **fields) -> Arrangement:
    """A song with instruments plus a "Drum Loop" audio track (right after the drums) playing a
    real 2-bar WAV written into the project's Samples/Imported, in the sections with energy."""
    arrangement = with_instruments(seed, **fields)
    loop = AudioLoop(sample=loop_sample(project_dir), beats=8.0, bpm=LOOP_BPM)
    index = next(i for i, t in enumerate(arrangement.tracks) if t.role == "drums")
    clips = [
        Clip(
            name=section.name,
            start=arrangement.section_start_beat(section),
            length=section.bars * arrangement.beats_per_bar,
            section=number,
        )
        for number, section in enumerate(arrangement.sections)
        if section.energy >= 0.6
    ]
    assert clips, "the song needs a section with energy for the loop"
    color = arrangement.tracks[index].color
    track = Track(name="Drum Loop", role="drums", color=color, clips=clips, audio=loop)
    arrangement.tracks.insert(index + 1, track)
    return arrangement


def with_production(seed: int = 1, **fields) -> Arrangement:
    """A song with instruments and a full production, hand-built so that every field of the model
    is used: a reverb and a tempo-synced delay on two returns, per-track faders, pans and sends,
    every effect kind (a compressor keyed from the drums), a limiter on Main, arrangement
    automation of faders, pans, sends, device parameters (continuous, switches, menus) on tracks,
    returns and Main, and clip envelopes on Session clips."""
    from companion.arrangement import Device, Envelope, MainBus, Mix, ReturnTrack

    arrangement = with_instruments(seed, **fields)
    end = arrangement.length_beats
    build = next(s for s in arrangement.sections if s.kind == "build")
    build_start = arrangement.section_start_beat(build)
    drop = build_start + build.bars * arrangement.beats_per_bar
    arrangement.returns = [
        ReturnTrack(
            name="Reverb",
            color=24,
            devices=[
                Device(kind="eq8", params={"b1_on": 1, "b1_mode": 0, "b1_freq": 200.0}),
                Device(
                    kind="reverb",
                    params={"decay_s": 3.2, "predelay_ms": 20.0, "low_cut_hz": 200.0},
                ),
            ],
            mix=Mix(volume_db=-3.0, sends=(-70.0, -18.0)),
        ),
        ReturnTrack(
            name="Delay 3/16",
            color=11,
            devices=[
                Device(
                    kind="delay",
                    params={"sixteenths_l": 3, "sixteenths_r": 3, "feedback": 0.45},
                ),
                Device(kind="auto_filter", params={"filter_type": 1, "cutoff_hz": 300.0}),
            ],
            mix=Mix(volume_db=-6.0, pan=0.1),
            automation=[
                Envelope(target="volume", points=[(0, -6.0), (drop - 1, -6.0), (drop, -2.0)])
            ],
        ),
    ]
    kick = next(t.name for t in arrangement.tracks if t.role == "drums")
    by_role = {t.role: t for t in arrangement.tracks}
    by_role["drums"].devices = [
        Device(kind="glue", params={"threshold_db": -12.0, "ratio": 4.0, "attack_ms": 10.0}),
        Device(kind="saturator", params={"drive_db": 4.0, "type": 1, "dry_wet": 0.6}),
    ]
    by_role["drums"].mix = Mix(volume_db=-4.0, sends=(-24.0,))
    by_role["bass"].devices = [
        Device(
            kind="compressor",
            params={"threshold_db": -24.0, "ratio": 6.0, "attack_ms": 1.0, "release_ms": 120.0},
            sidechain=kick,
        ),
        Device(kind="utility", params={"width": 0.0, "mono_bass_hz": 120.0, "gain_db": -1.5}),
    ]
    by_role["bass"].mix = Mix(volume_db=-6.5)
    by_role["chords"].devices = [
        Device(kind="eq8", params={"b1_on": 1, "b1_mode": 1, "b1_freq": 150.0, "b4_gain_db": -3}),
        Device(kind="compressor", params={"threshold_db": -18.0}, sidechain=kick, name="Pump"),
        Device(kind="auto_filter", params={"cutoff_hz": 19900.0, "resonance": 0.4}),
    ]
    by_role["chords"].mix = Mix(volume_db=-9.0, pan=-0.2, sends=(-12.0, -20.0))
    by_role["chords"].automation = [
        Envelope(target="device:2:cutoff_hz", points=[(build_start, 400.0), (drop, 19900.0)]),
        Envelope(
            target="send:1", points=[(0, -20.0), (drop - 1, -20.0), (drop - 1, -6.0), (drop, -70.0)]
        ),
        Envelope(target="device:0:b1_on", points=[(0, 1.0), (drop, 0.0)]),
    ]
    by_role["pads"].devices = [
        Device(kind="eq8", params={"b1_on": 1, "b1_mode": 0, "b1_freq": 250.0})
    ]
    by_role["pads"].mix = Mix(volume_db=-12.0, pan=0.3, sends=(-8.0,))
    by_role["lead"].devices = [
        Device(kind="delay", params={"sync": 0, "time_l_ms": 250.0, "time_r_ms": 375.0}, on=False),
        Device(kind="limiter", params={"ceiling_db": -3.0}),
    ]
    by_role["lead"].mix = Mix(volume_db=-7.0, sends=(-14.0, -10.0))
    by_role["lead"].automation = [
        Envelope(target="volume", points=[(0, -70.0), (16, -7.0)]),
        Envelope(target="pan", points=[(0, -0.5), (end, 0.5)]),
        Envelope(target="device:0:sixteenths_l", points=[(0, 3.0), (drop, 4.0)]),
    ]
    fx = by_role["fx"]
    fx.devices = [Device(kind="reverb", params={"dry_wet": 0.3})]
    fx.clips[0].envelopes = [
        Envelope(target="volume", points=[(0, -20.0), (fx.clips[0].length, 0.0)]),
        Envelope(target="device:0:decay_s", points=[(0, 1.0), (4, 6.0)]),
    ]
    bass = by_role["bass"]
    bass.clips[0].envelopes = [Envelope(target="device:1:width", points=[(0, 0.0), (2, 1.0)])]
    arrangement.main = MainBus(
        devices=[Device(kind="limiter", params={"ceiling_db": -1.0, "gain_db": 2.0})],
        volume_db=-0.5,
        automation=[
            Envelope(target="volume", points=[(0, -0.5), (end - 8, -0.5), (end, -70.0)]),
            Envelope(target="device:0:gain_db", points=[(build_start, 0.0), (drop, 3.0)]),
        ],
    )
    return Arrangement.model_validate(arrangement.model_dump())
