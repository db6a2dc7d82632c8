"""The built-in kit: real files that decode, sit at sane levels, are tuned and deterministic."""

from __future__ import annotations

import json
import os

import numpy as np
import pytest
import soundfile

from companion.samples import kit
from companion.samples.audio_info import read_audio_info
from companion.samples.naming import parse_sample_name
from companion.samples.tempo import estimate_pitch


@pytest.fixture(scope="module")
def kit_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("kit")
    kit.ensure_kit(folder)
    return folder


def load(folder, sound) -> np.ndarray:
    data, rate = soundfile.read(str(folder / sound.filename), dtype="float64", always_2d=True)
    assert rate == kit.RATE
    return data


def test_every_sound_is_written_and_decodes(kit_dir):
    paths = kit.ensure_kit(kit_dir)
    assert len(paths) == len(kit.KIT) >= 30
    assert {p.name for p in paths} == {s.filename for s in kit.KIT}
    for sound in kit.KIT:
        info = read_audio_info(kit_dir / sound.filename)
        assert (info.format, info.sample_rate, info.bit_depth) == ("wav", 44_100, 24)
        assert info.acid is not None and info.acid.one_shot
        data = load(kit_dir, sound)
        assert data.shape[1] == info.channels and len(data) == info.frames


def test_kit_covers_every_part_and_style_family():
    kinds = {s.kind for s in kit.KIT}
    assert {"kick", "snare", "clap", "closed_hat", "open_hat", "perc", "808", "bass"} <= kinds
    assert {"lead", "keys", "pad", "fx", "vocal", "cymbal"} <= kinds
    fx = {s.subtype for s in kit.KIT if s.kind == "fx"}
    assert {"riser", "impact", "downlifter", "sweep", "sub_drop", "reverse_cymbal"} <= fx
    kicks = {s.name: s.styles for s in kit.KIT if s.kind == "kick"}
    assert any("house" in styles for styles in kicks.values())
    assert any("techno" in styles for styles in kicks.values())
    assert any("trap" in styles for styles in kicks.values())


@pytest.mark.parametrize("sound", kit.KIT, ids=[s.name for s in kit.KIT])
def test_levels_no_clipping_no_dc_and_fades(kit_dir, sound):
    data = load(kit_dir, sound)
    peak = np.abs(data).max()
    assert 0.85 < peak < 0.9  # normalised to -1 dBFS, never clipping
    assert abs(data.mean()) < 0.01
    assert np.all(np.abs(data[0]) < 1e-6) and np.all(np.abs(data[-1]) < 1e-6)
    head = np.abs(data[: max(2, int(sound.fade_in * kit.RATE))]).max(axis=1)
    assert head[0] <= head.max()  # starts from silence into the sound (no click)
    tail = np.abs(data[-int(0.01 * kit.RATE) :])
    assert tail[-20:].max() < 0.05  # faded out
    assert len(data) / kit.RATE <= 8.0


@pytest.mark.parametrize(
    "sound", [s for s in kit.KIT if s.root_note is not None], ids=lambda s: s.name
)
def test_tuned_sounds_carry_and_match_their_root_note(kit_dir, sound):
    info = read_audio_info(kit_dir / sound.filename)
    assert info.sampler is not None and info.sampler.unity_note == sound.root_note
    assert info.root_note == sound.root_note
    estimate = estimate_pitch(load(kit_dir, sound).mean(axis=1), kit.RATE)
    assert estimate is not None
    assert round(estimate.midi) % 12 == sound.root_note % 12  # in tune (an octave layer is ok)


def test_untuned_sounds_have_no_smpl_chunk(kit_dir):
    for sound in kit.KIT:
        if sound.root_note is None:
            assert read_audio_info(kit_dir / sound.filename).sampler is None


def test_names_parse_back_to_the_declared_kind():
    for sound in kit.KIT:
        info = parse_sample_name(sound.filename)
        assert info.kind == sound.kind, sound.name
        if sound.root_note is not None and sound.kind != "pad":
            assert info.root_note == sound.root_note, sound.name


def _band_share(data: np.ndarray, low: float, high: float) -> float:
    mono = data.mean(axis=1)
    power = np.abs(np.fft.rfft(mono)) ** 2
    freqs = np.fft.rfftfreq(len(mono), 1 / kit.RATE)
    return float(power[(freqs >= low) & (freqs < high)].sum() / power.sum())


def test_drums_sound_like_what_they_are(kit_dir):
    by_name = {s.name: s for s in kit.KIT}
    for name in ("Kick_House", "Kick_Techno", "Kick_Trap"):
        assert _band_share(load(kit_dir, by_name[name]), 20, 250) > 0.7, name
    for name in ("Hat_Closed_Tight", "Hat_Closed_Bright", "Hat_Open"):
        assert _band_share(load(kit_dir, by_name[name]), 5000, 22050) > 0.7, name
    assert _band_share(load(kit_dir, by_name["808_Bass_C1"]), 20, 200) > 0.6
    closed = load(kit_dir, by_name["Hat_Closed_Tight"])
    opened = load(kit_dir, by_name["Hat_Open"])
    assert len(opened) > 2 * len(closed)
    pad = load(kit_dir, by_name["Pad_Warm_C3"])
    assert pad.shape[1] == 2 and not np.allclose(pad[:, 0], pad[:, 1])  # stereo width
    attack = np.abs(pad[: int(0.1 * kit.RATE)]).max()
    assert attack < 0.3 * np.abs(pad).max()  # slow attack
    riser = load(kit_dir, by_name["FX_Riser"]).mean(axis=1)
    quarter = len(riser) // 4
    assert np.abs(riser[-quarter:]).mean() > 3 * np.abs(riser[:quarter]).mean()  # it rises


def test_variants_differ(kit_dir):
    by_name = {s.name: s for s in kit.KIT}
    house, techno = load(kit_dir, by_name["Kick_House"]), load(kit_dir, by_name["Kick_Techno"])
    assert len(house) != len(techno)


def test_bytes_are_deterministic_and_ensure_is_idempotent(kit_dir, tmp_path):
    other = tmp_path / "again"
    kit.ensure_kit(other)
    for sound in kit.KIT:
        assert (other / sound.filename).read_bytes() == (kit_dir / sound.filename).read_bytes()
    stamps = {p.name: p.stat().st_mtime_ns for p in other.iterdir()}
    kit.ensure_kit(other)
    assert {p.name: p.stat().st_mtime_ns for p in other.iterdir()} == stamps


def test_missing_or_damaged_files_and_new_versions_regenerate(tmp_path, monkeypatch):
    folder = tmp_path / "kit"
    kit.ensure_kit(folder)
    victim = folder / kit.KIT[0].filename
    good = victim.read_bytes()
    victim.write_bytes(b"oops")
    (folder / "MusiaIA_My_Own_Note.txt").write_text("mine")
    kit.ensure_kit(folder)
    assert victim.read_bytes() == good

    manifest = json.loads((folder / kit.MANIFEST).read_text())
    manifest["files"]["MusiaIA_Old_Sound.wav"] = {"size": 4}
    (folder / "MusiaIA_Old_Sound.wav").write_bytes(b"old!")
    manifest["version"] = kit.KIT_VERSION - 1
    (folder / kit.MANIFEST).write_text(json.dumps(manifest))
    before = victim.stat().st_mtime_ns
    os.utime(victim, ns=(before - 10**9, before - 10**9))
    kit.ensure_kit(folder)
    assert victim.stat().st_mtime_ns != before - 10**9  # rewritten for the new version
    assert not (folder / "MusiaIA_Old_Sound.wav").exists()  # an old kit file is cleaned up
    assert (folder / "MusiaIA_My_Own_Note.txt").exists()  # the producer's files are not
    assert json.loads((folder / kit.MANIFEST).read_text())["version"] == kit.KIT_VERSION


def test_wav_writer_is_exact():
    audio = np.array([0.0, 0.5, -0.5, 1.0, -1.0])
    data = kit.wav_bytes(audio, root_note=None)
    assert data[:4] == b"RIFF" and data[8:12] == b"WAVE"
    start = data.index(b"data") + 8
    assert int.from_bytes(data[start - 4 : start], "little") == 15
    pcm = data[start : start + 15]
    assert len(data) == start + 16  # odd chunk padded to an even length
    values = [int.from_bytes(pcm[i : i + 3], "little", signed=True) for i in range(0, 15, 3)]
    assert values == [0, 4_194_304, -4_194_304, 8_388_607, -8_388_607]
