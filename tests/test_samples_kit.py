"""The built-in kit: real files that decode, sit at sane levels, are tuned, loop seamlessly where
they sustain, are described in the manifest and come out byte for byte the same every time."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from itertools import pairwise

import numpy as np
import pytest
import soundfile

from companion.kit import build, loops
from companion.kit.catalogue import INSTRUMENTS, KIT, KIT_BY_NAME, PREFIX
from companion.kit.dsp import RATE
from companion.kit.wav import wav_bytes
from companion.music.roles import ROLE_RANGES
from companion.samples.audio_info import read_audio_info
from companion.samples.naming import parse_sample_name
from companion.samples.tempo import estimate_pitch
from conftest import REPO

LOOPED = [s for s in KIT if s.looped]
ONE_SHOTS = [s for s in KIT if not s.looped]
REGISTER = {  # the part each instrument's roots were laid out for
    (36, 48): "bass",
    (55, 67, 79): "chords",
    (67, 79, 91): "lead",
    (48, 64, 79): "pads",
    (60, 72, 84): "arp",
}


@pytest.fixture(scope="module")
def kit_dir():
    # The shared copy tests use (MUSIAIA_KIT_SEED): rendered once per kit version.
    folder = os.environ["MUSIAIA_KIT_SEED"]
    build.ensure_kit(folder, seed="")
    return build.Path(folder)


@pytest.fixture(scope="module")
def manifest(kit_dir):
    return json.loads((kit_dir / build.MANIFEST).read_text())["files"]


def load(folder, sound) -> np.ndarray:
    data, rate = soundfile.read(str(folder / sound.filename), dtype="float64", always_2d=True)
    assert rate == RATE
    return data


def test_every_sound_is_written_and_decodes(kit_dir, manifest):
    paths = build.ensure_kit(kit_dir, seed="")
    assert len(paths) == len(KIT) >= 300
    assert {p.name for p in paths} == {s.filename for s in KIT} == set(manifest)
    for sound in KIT:
        info = read_audio_info(kit_dir / sound.filename)
        assert (info.format, info.sample_rate, info.bit_depth) == ("wav", 44_100, 24)
        assert info.acid is not None and info.acid.one_shot  # not a tempo loop
        entry = manifest[sound.filename]
        data = (kit_dir / sound.filename).read_bytes()
        assert entry["size"] == len(data) and entry["sha256"] == hashlib.sha256(data).hexdigest()
        assert entry["frames"] == info.frames and entry["channels"] == info.channels
        assert info.duration <= 6.0


def test_kit_covers_every_part():
    kinds = {s.kind for s in KIT}
    assert {"kick", "snare", "clap", "closed_hat", "open_hat", "perc", "808", "bass"} <= kinds
    assert {"lead", "keys", "pad", "synth", "fx", "vocal", "cymbal"} <= kinds
    fx = {s.subtype for s in KIT if s.kind == "fx"}
    assert {"riser", "impact", "downlifter", "sweep", "sub_drop", "reverse_cymbal"} <= fx
    counts = {kind: sum(s.kind == kind for s in ONE_SHOTS) for kind in ("kick", "snare", "clap")}
    assert min(counts.values()) >= 20  # a kick, snare and clap per style
    assert len(INSTRUMENTS) >= 70


@pytest.mark.parametrize("sound", KIT, ids=[s.name for s in KIT])
def test_levels_no_clipping_no_dc_and_clean_edges(kit_dir, sound):
    data = load(kit_dir, sound)
    peak = np.abs(data).max()
    assert 0.85 < peak < 0.9  # normalised to -1 dBFS, never clipping
    assert np.abs(data.mean(axis=0)).max() < 0.01
    assert np.all(np.abs(data[0]) < 1e-6)  # starts from silence (no click)
    if not sound.looped:
        tail = np.abs(data[-int(0.01 * RATE) :])
        assert tail[-20:].max() < 0.05 and np.all(np.abs(data[-1]) < 1e-6)  # faded out


@pytest.mark.parametrize("sound", LOOPED, ids=[s.name for s in LOOPED])
def test_loops_sit_on_zero_crossings_inside_the_sample_and_are_seamless(kit_dir, manifest, sound):
    data = load(kit_dir, sound)
    start, end = manifest[sound.filename]["loop"]
    info = read_audio_info(kit_dir / sound.filename)
    assert [(lp.start, lp.end) for lp in info.sampler.loops] == [(start, end)]  # smpl chunk
    assert 0 < start < end == len(data)  # the file ends where the loop does
    left = data[:, 0]
    assert left[start - 1] < 0 <= left[start]  # a rising zero crossing (what Snap looks for)
    assert left[end - 1] < 0  # …and the seam arrives on it from below
    loop = loops.Loop(start, end, 0)
    assert loops.loop_seam_step(data, loop) <= 1.05  # no jump larger than the waveform's own
    assert (end - start) / RATE >= 0.2


@pytest.mark.parametrize("sound", LOOPED, ids=[s.name for s in LOOPED])
def test_a_held_note_never_goes_silent(kit_dir, manifest, sound):
    """Eight seconds of a held note through the sample and its loop, as Simpler plays it: no
    50 ms stretch after the attack drops far below the loop's own level."""
    data = load(kit_dir, sound).mean(axis=1)
    start, end = manifest[sound.filename]["loop"]
    held = loops.play_held(data, loops.Loop(start, end, 0), 8.0)
    assert len(held) == 8 * RATE
    window = int(0.05 * RATE)
    rms = np.sqrt(np.convolve(held**2, np.ones(window) / window, mode="valid"))
    level = np.sqrt(np.mean(data[start:end] ** 2))
    assert rms[start:].min() > 0.15 * level
    assert rms[-RATE:].mean() > 0.5 * level  # still sounding at the end


def test_a_held_note_without_the_loop_would_go_silent(kit_dir, manifest):
    """The check above can fail: the same note without its loop stops when the sample ends."""
    sound = KIT_BY_NAME["Pad_Warm_E3"]
    data = load(kit_dir, sound).mean(axis=1)
    held = np.concatenate([data, np.zeros(8 * RATE - len(data))])
    window = int(0.05 * RATE)
    rms = np.sqrt(np.convolve(held**2, np.ones(window) / window, mode="valid"))
    assert rms[-RATE:].max() < 1e-6


@pytest.mark.parametrize("sound", [s for s in KIT if s.root_note is not None], ids=lambda s: s.name)
def test_tuned_sounds_carry_and_match_their_root_note(kit_dir, sound):
    info = read_audio_info(kit_dir / sound.filename)
    assert info.sampler is not None and info.sampler.unity_note == sound.root_note
    assert info.root_note == sound.root_note
    data = load(kit_dir, sound).mean(axis=1)
    estimate = estimate_pitch(data[: 2 * RATE], RATE)
    assert estimate is not None
    assert round(estimate.midi) % 12 == sound.root_note % 12  # in tune (an octave layer is ok)


def test_untuned_sounds_have_no_smpl_chunk(kit_dir):
    for sound in ONE_SHOTS:
        assert read_audio_info(kit_dir / sound.filename).sampler is None


def test_names_parse_back_to_the_declared_kind():
    for sound in KIT:
        info = parse_sample_name(sound.filename)
        assert info.kind == sound.kind, sound.name
        if sound.root_note is not None:
            assert info.root_note == sound.root_note, sound.name


@pytest.mark.parametrize("instrument", INSTRUMENTS, ids=[i.name for i in INSTRUMENTS])
def test_zones_cover_the_keyboard_and_every_note_is_near_a_root(instrument):
    zones = instrument.zones()
    assert zones[0][0] == 0 and zones[-1][1] == 127
    for (_, high, _), (low, _, _) in pairwise(zones):
        assert low == high + 1  # contiguous, no overlap
    part = REGISTER[tuple(instrument.roots)]
    low, high = ROLE_RANGES[part]
    for note in range(low, high + 1):
        (root,) = [r for lo, hi, r in zones if lo <= note <= hi]
        assert abs(note - root) <= 12, (note, root)
    layers = 1 if instrument.split is None else 2
    assert len(instrument.layers()) == len(zones) * layers == len(instrument.zone_sounds())


LAYERED = [i for i in INSTRUMENTS if i.split is not None]


def test_struck_instruments_have_velocity_layers():
    """Pianos, electric pianos and brass have a hard layer above a split; synths and pads none."""
    names = {i.name for i in LAYERED}
    assert {"Keys_Piano_House", "Keys_Rhodes_Deep", "Keys_Rhodes_Lofi", "Lead_Brass_Disco"} <= names
    assert not names & {"Pad_Warm", "Synth_Supersaw_Trance", "Bass_Reese_DnB", "808_Trap"}
    for instrument in LAYERED:
        chains = instrument.layers()
        for low, _, sound in chains:
            soft, hard = sound.velocity
            assert (soft, hard) in ((1, instrument.split - 1), (instrument.split, 127))
            partner = [s for lo, _, s in chains if lo == low and s is not sound]
            assert len(partner) == 1 and partner[0].root_note == sound.root_note


def _hit(kit_dir, manifest, sound) -> tuple[float, float]:
    """(spectral centroid of the first 100 ms, onset peak over the held level) of a file."""
    mono = load(kit_dir, sound).mean(axis=1)
    head = mono[: int(0.1 * RATE)] * np.hanning(int(0.1 * RATE))
    power = np.abs(np.fft.rfft(head)) ** 2
    centroid = float((power * np.fft.rfftfreq(len(head), 1 / RATE)).sum() / power.sum())
    start, end = manifest[sound.filename]["loop"]
    held = float(np.sqrt(np.mean(mono[start:end] ** 2)))
    return centroid, float(np.abs(mono[: int(0.05 * RATE)]).max()) / held


@pytest.mark.parametrize("instrument", LAYERED, ids=[i.name for i in LAYERED])
def test_the_hard_layer_is_brighter_with_a_harder_attack(kit_dir, manifest, instrument):
    """Root by root, the hard-struck file is brighter at the hit (spectral centroid of its first
    100 ms) and its onset stands further above the held sound (a harder attack)."""
    ratios = []
    for root in instrument.roots:
        soft, hard = (
            next(s for s in instrument.zone_sounds() if s.root_note == root and s.velocity == v)
            for v in ((1, instrument.split - 1), (instrument.split, 127))
        )
        (soft_centroid, soft_bite), (hard_centroid, hard_bite) = (
            _hit(kit_dir, manifest, s) for s in (soft, hard)
        )
        assert hard_centroid > 1.03 * soft_centroid, root
        assert hard_bite > soft_bite, root
        ratios.append(hard_centroid / soft_centroid)
    assert sum(ratios) / len(ratios) > 1.15


def test_level_facts_describe_each_sound(manifest):
    for sound in KIT:
        levels = manifest[sound.filename]["levels"]
        assert -1.2 < levels["peak_db"] < -0.8
        assert levels["rms_db"] < levels["peak_db"] and levels["lufs"] < 0
        assert abs(levels["low"] + levels["mid"] + levels["high"] - 1) < 1e-3
        assert ("loop_rms_db" in levels) == sound.looped
    facts = {s.name: manifest[s.filename]["levels"] for s in KIT}
    for name in ("Kick_House_909", "Kick_Techno_Rumble", "Kick_EDM_BigRoom", "808_Trap_C1"):
        assert facts[name]["low"] > 0.7, name
    for name in ("Hat_Closed_House", "Hat_Open_Trap", "Hat_Closed_Minimal"):
        assert facts[name]["high"] > 0.7, name
    assert facts["Pad_Dark_E3"]["high"] < facts["Pad_Airy_E3"]["high"]


def test_loudness_of_a_known_tone():
    """A 1 kHz sine at -20 dBFS peak reads about -23 LUFS (BS.1770: +0.7 dB K-weighting at 1
    kHz, -3 dB for a sine's RMS, -0.691), and a quieter copy reads 10 dB lower."""
    from companion.kit.loudness import integrated_loudness, level_facts

    t = np.arange(3 * RATE) / RATE
    tone = 0.1 * np.sin(2 * np.pi * 1000 * t)
    loud = integrated_loudness(tone, RATE)
    assert -24.0 < loud < -22.5
    assert abs(integrated_loudness(tone / 10**0.5, RATE) - (loud - 10)) < 0.05
    facts = level_facts(tone, RATE)
    assert facts["mid"] > 0.99 and abs(facts["peak_db"] + 20) < 0.01


def test_drums_and_instruments_sound_like_what_they_are(kit_dir):
    closed = load(kit_dir, KIT_BY_NAME["Hat_Closed_Disco"])
    opened = load(kit_dir, KIT_BY_NAME["Hat_Open_Disco"])
    assert len(opened) > 2 * len(closed)
    pad = load(kit_dir, KIT_BY_NAME["Pad_Warm_E3"])
    assert pad.shape[1] == 2 and not np.allclose(pad[:, 0], pad[:, 1])  # stereo width
    assert np.abs(pad[: int(0.1 * RATE)]).max() < 0.3 * np.abs(pad).max()  # slow attack
    riser = load(kit_dir, KIT_BY_NAME["FX_Riser"]).mean(axis=1)
    quarter = len(riser) // 4
    assert np.abs(riser[-quarter:]).mean() > 3 * np.abs(riser[:quarter]).mean()  # it rises
    gated = load(kit_dir, KIT_BY_NAME["Snare_Synthwave_Gated"]).mean(axis=1)
    cut = int(0.3 * RATE)
    assert np.abs(gated[cut:]).max() < 0.01 < np.abs(gated[cut - 2000 : cut - 500]).max()


def test_bytes_are_deterministic_across_processes(kit_dir):
    """A fresh interpreter (another hash seed) renders the same bytes as the kit on disk."""
    names = ["Kick_Techno_Rumble", "Snare_Synthwave_Gated", "Hat_Open_Disco", "FX_Riser"]
    names += ["Pad_Choir_E3", "Keys_Rhodes_Deep_G3", "Bass_Wobble_Dubstep_C1", "808_Trap_C2"]
    script = (
        "import hashlib, sys\n"
        "from companion.kit import build\n"
        "from companion.kit.catalogue import KIT_BY_NAME\n"
        "for name in sys.argv[1:]:\n"
        "    print(name, hashlib.sha256(build.sound_bytes(KIT_BY_NAME[name])).hexdigest())\n"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    result = subprocess.run(
        [sys.executable, "-c", script, *names], capture_output=True, text=True, env=env,
        cwd=REPO, check=True,
    )  # fmt: skip
    fresh = dict(line.split() for line in result.stdout.splitlines())
    for name in names:
        on_disk = (kit_dir / KIT_BY_NAME[name].filename).read_bytes()
        assert fresh[name] == hashlib.sha256(on_disk).hexdigest(), name


def test_ensure_is_idempotent_and_copies_an_up_to_date_seed(kit_dir, tmp_path):
    other = tmp_path / "copy"
    build.ensure_kit(other, seed=kit_dir)  # no rendering: taken from the seed
    for sound in KIT[::17]:
        assert (other / sound.filename).read_bytes() == (kit_dir / sound.filename).read_bytes()
    stamps = {p.name: p.stat().st_mtime_ns for p in other.iterdir()}
    build.ensure_kit(other, seed=kit_dir)
    assert {p.name: p.stat().st_mtime_ns for p in other.iterdir()} == stamps


def test_missing_or_damaged_files_and_new_versions_regenerate(tmp_path, kit_dir):
    folder = tmp_path / "kit"
    build.ensure_kit(folder, seed=kit_dir)
    victim = folder / KIT[0].filename
    good = victim.read_bytes()
    victim.write_bytes(b"oops")  # damaged in place: the seed it was copied from is not
    assert (kit_dir / KIT[0].filename).read_bytes() == good
    (folder / f"{PREFIX}My_Own_Note.txt").write_text("mine")
    build.ensure_kit(folder, seed=kit_dir)
    assert victim.read_bytes() == good

    manifest = json.loads((folder / build.MANIFEST).read_text())
    manifest["files"][f"{PREFIX}Old_Sound.wav"] = {"size": 4}
    (folder / f"{PREFIX}Old_Sound.wav").write_bytes(b"old!")
    manifest["version"] = build.KIT_VERSION - 1
    (folder / build.MANIFEST).write_text(json.dumps(manifest))
    build.ensure_kit(folder, seed=kit_dir)
    assert not (folder / f"{PREFIX}Old_Sound.wav").exists()  # an old kit file is cleaned up
    assert (folder / f"{PREFIX}My_Own_Note.txt").exists()  # the producer's files are not
    assert json.loads((folder / build.MANIFEST).read_text())["version"] == build.KIT_VERSION
    assert victim.read_bytes() == good


def test_wav_writer_is_exact():
    audio = np.array([0.0, 0.5, -0.5, 1.0, -1.0])
    data = wav_bytes(audio, root_note=None)
    assert data[:4] == b"RIFF" and data[8:12] == b"WAVE"
    start = data.index(b"data") + 8
    assert int.from_bytes(data[start - 4 : start], "little") == 15
    pcm = data[start : start + 15]
    assert len(data) == start + 16  # odd chunk padded to an even length
    values = [int.from_bytes(pcm[i : i + 3], "little", signed=True) for i in range(0, 15, 3)]
    assert values == [0, 4_194_304, -4_194_304, 8_388_607, -8_388_607]


def test_loop_finder_and_baked_crossfade_on_a_drifting_tone():
    """A tone whose pitch drifts is not periodic: the loop still lands on rising crossings and
    the baked crossfade makes the seam continuous, where a plain cut would jump."""
    t = np.arange(2 * RATE) / RATE
    x = np.sin(2 * np.pi * np.cumsum(220 + 3 * t) / RATE) * 0.5
    start, end = loops.find_loop(x, 0.5, 0.7)
    assert x[start - 1] < 0 <= x[start] and x[end - 1] < 0 <= x[end]
    baked, loop = loops.bake(x, start, end, 2000)
    assert len(baked) == end and loop.crossfade == 2000
    assert baked[end - 1] == x[start - 1]
    assert loops.loop_seam_step(baked, loop) <= 1.0
    anywhere = loops.Loop(start, start + int(0.7 * RATE) + 37, 0)  # not on a crossing
    assert loops.loop_seam_step(x, anywhere) > 2.0
