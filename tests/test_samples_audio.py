"""Header and chunk reading on real files in every format, and every kind of bad file."""

from __future__ import annotations

import os
import struct
import threading

import numpy as np
import pytest

import sampleaudio as sa
from companion.samples.audio_info import (
    SampleError,
    parse_acid,
    parse_smpl,
    read_audio_info,
    read_mono,
    sniff_format,
)

FORMATS = [
    pytest.param("wav", "PCM_16", 16, id="wav16"),
    pytest.param("wav", "PCM_24", 24, id="wav24"),
    pytest.param("aiff", "PCM_16", 16, id="aiff16"),
    pytest.param("aiff", "PCM_24", 24, id="aiff24"),
    pytest.param("flac", "PCM_16", 16, id="flac16"),
    pytest.param("flac", "PCM_24", 24, id="flac24"),
]


@pytest.mark.parametrize("channels", [1, 2])
@pytest.mark.parametrize(("extension", "subtype", "bits"), FORMATS)
def test_header_facts_for_each_format(tmp_path, extension, subtype, bits, channels):
    data = sa.tone(330, 0.5, 48_000, channels)
    path = sa.write_sf(tmp_path / f"tone.{extension}", data, 48_000, subtype)
    info = read_audio_info(path)
    assert info.format == extension
    assert info.sample_rate == 48_000
    assert info.channels == channels
    assert info.bit_depth == bits
    assert info.frames == len(data)
    assert info.duration == pytest.approx(0.5, abs=1e-4)
    assert info.acid is None and info.sampler is None and info.root_note is None


@pytest.mark.parametrize("bits", [16, 24])
def test_our_wav_writer_round_trips_through_libsndfile(tmp_path, bits):
    data = sa.tone(440, 0.1, channels=2)
    path = sa.write_wav(tmp_path / "x.wav", data, bits=bits)
    info = read_audio_info(path)
    assert (info.channels, info.bit_depth, info.frames) == (2, bits, len(data))


def test_acid_chunk_loop_with_tempo_and_root(tmp_path):
    acid = sa.acid_body(one_shot=False, root=57, beats=8, tempo=124.0)
    path = sa.write_wav(tmp_path / "loop.wav", sa.tone(seconds=3.87), acid=acid)
    info = read_audio_info(path)
    assert info.acid is not None
    assert info.acid.one_shot is False and info.acid_loop is True
    assert info.acid.tempo == pytest.approx(124.0)
    assert info.acid.beats == 8
    assert info.acid.meter == (4, 4)
    assert info.acid.root_note == 57
    assert info.root_note == 57


def test_acid_one_shot_without_root_flag_ignores_root(tmp_path):
    body = bytearray(sa.acid_body(one_shot=True, root=None))
    body[4:6] = struct.pack("<H", 64)  # a root value but the "root set" flag is off
    path = sa.write_wav(tmp_path / "hit.wav", sa.tone(), acid=bytes(body))
    info = read_audio_info(path)
    assert info.acid.one_shot is True and info.acid_loop is False
    assert info.acid.root_note is None and info.root_note is None


def test_smpl_unity_note_and_loop_points(tmp_path):
    data = sa.tone(seconds=1.0)
    smpl = sa.smpl_body(48, loops=[(1000, 20_000)])
    path = sa.write_wav(tmp_path / "bass.wav", data, bits=24, smpl=smpl)
    info = read_audio_info(path)
    assert info.sampler.unity_note == 48
    assert info.root_note == 48
    assert [(lp.start, lp.end) for lp in info.sampler.loops] == [(1000, 20_001)]


def test_smpl_wins_over_acid_root(tmp_path):
    path = sa.write_wav(
        tmp_path / "both.wav",
        sa.tone(),
        acid=sa.acid_body(one_shot=True, root=40),
        smpl=sa.smpl_body(45),
    )
    assert read_audio_info(path).root_note == 45


def test_aiff_inst_and_mark_give_root_and_loop(tmp_path):
    data = sa.tone(seconds=1.0)
    path = sa.write_aiff_inst(tmp_path / "keys.aif", data, 62, loop=(500, 30_000))
    info = read_audio_info(path)
    assert info.format == "aiff"
    assert info.root_note == 62
    assert [(lp.start, lp.end) for lp in info.sampler.loops] == [(500, 30_000)]


def test_chunks_after_data_are_found(tmp_path):
    # Many tools append acid/smpl after the audio; the walker must seek past the data.
    body = sa.wav_bytes(sa.tone(seconds=0.3)) + sa.chunk(b"smpl", sa.smpl_body(36))
    body = body[:4] + struct.pack("<I", len(body) - 8) + body[8:]
    path = tmp_path / "late.wav"
    path.write_bytes(body)
    assert read_audio_info(path).root_note == 36


# --- bad files -----------------------------------------------------------------------------------


def _error(path) -> str:
    with pytest.raises(SampleError) as caught:
        read_audio_info(path)
    assert caught.value.path == str(path)
    return caught.value.reason


def test_zero_length_file(tmp_path):
    path = tmp_path / "empty.wav"
    path.write_bytes(b"")
    assert "empty" in _error(path)


def test_text_file_named_wav(tmp_path):
    path = tmp_path / "notes.wav"
    path.write_text("these are my lyrics, not audio\n" * 20)
    assert "not a WAV, AIFF or FLAC" in _error(path)


def test_wav_magic_with_garbage_body(tmp_path):
    path = tmp_path / "garbage.wav"
    path.write_bytes(b"RIFF\x24\x00\x00\x00WAVE" + os.urandom(200))
    assert "header" in _error(path) or "impossible" in _error(path)


def test_truncated_header(tmp_path):
    full = sa.wav_bytes(sa.tone())
    path = tmp_path / "cut.wav"
    path.write_bytes(full[:30])
    _error(path)


def _fmt(channels: int, rate: int, bits: int = 16) -> bytes:
    frame = max(channels * bits // 8, 1)
    return struct.pack(
        "<HHIIHH", 1, channels, rate, rate * frame & 0xFFFFFFFF, frame & 0xFFFF, bits
    )


@pytest.mark.parametrize(
    ("label", "fmt"),
    [
        ("zero rate", _fmt(1, 0)),
        ("absurd rate", _fmt(1, 2**31)),
        ("zero channels", _fmt(0, 44_100)),
        ("65535 channels", _fmt(65_535, 44_100)),
        ("zero bits", _fmt(1, 44_100, 0)),
    ],
)
def test_absurd_fmt_values(tmp_path, label, fmt):
    path = tmp_path / f"{label}.wav"
    path.write_bytes(sa.wav_bytes(sa.tone(), fmt_override=fmt))
    _error(path)


def test_data_chunk_claiming_gigabytes(tmp_path):
    path = tmp_path / "liar.wav"
    path.write_bytes(sa.wav_bytes(sa.tone(seconds=0.05), data_size=0x7FFFFFF0))
    try:
        info = read_audio_info(path)
    except SampleError:
        return  # refusing is fine
    # …and so is reading only what is really there (libsndfile clamps to the file).
    assert info.frames * 2 <= path.stat().st_size


def test_hostile_smpl_loop_count_and_chunk_sizes(tmp_path):
    smpl = sa.smpl_body(60, loops=[(10, 20)], loop_count=2**31)  # claims 2^31 loops
    path = sa.write_wav(tmp_path / "loops.wav", sa.tone(), smpl=smpl)
    info = read_audio_info(path)
    assert len(info.sampler.loops) == 1
    # A metadata chunk whose size runs past the end of the file: ignored, no hang.
    bad = sa.wav_bytes(sa.tone()) + b"acid" + struct.pack("<I", 0xFFFFFFF0) + b"\x00" * 8
    path2 = tmp_path / "runaway.wav"
    path2.write_bytes(bad)
    assert read_audio_info(path2).acid is None


def test_negative_aiff_channels(tmp_path):
    path = sa.write_sf(tmp_path / "neg.aif", sa.tone(), subtype="PCM_16")
    raw = bytearray(path.read_bytes())
    comm = raw.index(b"COMM")
    raw[comm + 8 : comm + 10] = struct.pack(">h", -2)
    path.write_bytes(bytes(raw))
    _error(path)


def test_acid_and_smpl_parsers_reject_nonsense():
    assert parse_acid(b"\x00" * 10) is None
    nan_tempo = struct.pack("<IHHfIHHf", 0, 0, 0, 0.0, 4, 4, 4, float("nan"))
    assert parse_acid(nan_tempo).tempo is None
    huge_tempo = struct.pack("<IHHfIHHf", 0, 0, 0, 0.0, 4, 0, 99, 1e9)
    parsed = parse_acid(huge_tempo)
    assert parsed.tempo is None and parsed.meter is None
    assert parse_smpl(b"\x01" * 20) is None
    assert parse_smpl(struct.pack("<9I", 0, 0, 0, 500, 0, 0, 0, 0, 0)).unity_note is None


def test_folder_and_fifo_are_refused_without_hanging(tmp_path):
    folder = tmp_path / "dir.wav"
    folder.mkdir()
    assert "regular file" in _error(folder)
    if not hasattr(os, "mkfifo"):
        return
    fifo = tmp_path / "pipe.wav"
    os.mkfifo(fifo)
    result: list[str] = []
    worker = threading.Thread(target=lambda: result.append(_error(fifo)), daemon=True)
    worker.start()
    worker.join(10)
    assert result and "regular file" in result[0]


def test_missing_file(tmp_path):
    assert "cannot read" in _error(tmp_path / "nope.wav")


def test_sniffing():
    assert sniff_format(b"RIFF\x00\x00\x00\x00WAVE") == "wav"
    assert sniff_format(b"FORM\x00\x00\x00\x00AIFC") == "aiff"
    assert sniff_format(b"fLaC\x00\x00\x00\x22") == "flac"
    assert sniff_format(b"ID3\x04\x00\x00\x00\x00\x00\x00\x00\x00") is None  # mp3
    assert sniff_format(b"RIFF\x00\x00\x00\x00AVI ") is None
    assert sniff_format(b"") is None


def test_read_mono_caps_duration_and_mixes_down(tmp_path):
    data = sa.tone(220, 3.0, channels=2)
    path = sa.write_sf(tmp_path / "long.flac", data)
    mono, rate = read_mono(path, max_seconds=1.0)
    assert rate == sa.RATE
    assert mono.ndim == 1 and len(mono) == sa.RATE
    assert np.abs(mono).max() == pytest.approx(0.5, abs=0.01)


@pytest.mark.parametrize("extension", ["wav", "aif", "flac"])
def test_random_corruption_gives_info_or_sample_error(tmp_path, extension):
    """Flip, cut and splice bytes of valid files: every outcome is an AudioInfo or SampleError."""
    import random

    if extension == "wav":
        original = sa.wav_bytes(
            sa.tone(seconds=0.05, channels=2),
            bits=24,
            extra=sa.chunk(b"acid", sa.acid_body(False, 60, 4, 120.0))
            + sa.chunk(b"smpl", sa.smpl_body(60, [(10, 100)])),
        )
    else:
        source = sa.write_sf(tmp_path / f"src.{extension}", sa.tone(seconds=0.05))
        original = source.read_bytes()
    rng = random.Random(extension)
    outcomes = {"ok": 0, "error": 0}
    for attempt in range(150):
        data = bytearray(original)
        for _ in range(rng.randint(1, 8)):
            action = rng.random()
            position = rng.randrange(min(len(data), 200))
            if action < 0.6:
                data[position] = rng.randrange(256)
            elif action < 0.8:
                data[position : position + 4] = rng.randbytes(4)
            else:
                del data[rng.randrange(12, len(data)) :]
        path = tmp_path / f"fuzz{attempt}.{extension}"
        path.write_bytes(bytes(data))
        try:
            read_audio_info(path)
            outcomes["ok"] += 1
        except SampleError:
            outcomes["error"] += 1
    assert outcomes["error"] > 0  # the corruption did bite
