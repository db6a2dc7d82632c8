"""Real audio files for the sample-library tests, with RIFF/AIFF chunks written by hand.

Independent of ``companion.samples`` on purpose: the parser is checked against bytes built here
from the format specifications, not against its own writer.
"""

from __future__ import annotations

import struct
from pathlib import Path

import numpy as np
import soundfile

RATE = 44_100


# --- signals ----------------------------------------------------------------------------------


def tone(freq: float = 220.0, seconds: float = 0.25, rate: int = RATE, channels: int = 1):
    t = np.arange(int(seconds * rate)) / rate
    mono = 0.5 * np.sin(2 * np.pi * freq * t) * np.minimum(1.0, (t[-1] - t) * 50 + 0.0)
    return mono if channels == 1 else np.stack([mono] * channels, axis=1)


def _kick(rate: int) -> np.ndarray:
    t = np.arange(int(0.35 * rate)) / rate
    freq = 50 + 120 * np.exp(-t / 0.03)
    return np.sin(2 * np.pi * np.cumsum(freq) / rate) * np.exp(-t / 0.12)


def _snare(rng: np.random.RandomState, rate: int) -> np.ndarray:
    t = np.arange(int(0.2 * rate)) / rate
    return (0.6 * rng.uniform(-1, 1, len(t)) + 0.4 * np.sin(2 * np.pi * 190 * t)) * np.exp(
        -t / 0.05
    )


def _hat(rng: np.random.RandomState, rate: int) -> np.ndarray:
    t = np.arange(int(0.05 * rate)) / rate
    return 0.3 * np.diff(rng.uniform(-1, 1, len(t)), prepend=0.0) * np.exp(-t / 0.015)


# 16-step patterns (kick, snare/clap, hats) of real genres.
GROOVES: dict[str, dict[str, list[int]]] = {
    "house": {"k": [0, 4, 8, 12], "s": [4, 12], "h": [2, 6, 10, 14]},
    "techno": {"k": [0, 4, 8, 12], "s": [4, 12], "h": list(range(16))},
    "boombap": {"k": [0, 7, 10], "s": [4, 12], "h": [0, 2, 4, 6, 8, 10, 12, 14]},
    "dnb": {"k": [0, 10], "s": [4, 12], "h": [0, 2, 4, 6, 8, 10, 12, 14]},
}


def drum_loop(bpm: float, bars: int = 2, groove: str = "house", rate: int = RATE, seed: int = 0):
    """A drum loop cut to exactly ``bars`` bars of 4/4 at ``bpm``."""
    rng = np.random.RandomState(seed)
    step = 60.0 / bpm / 4
    length = round(bars * 4 * 60.0 / bpm * rate)
    out = np.zeros(length + rate)
    sounds = {"k": (_kick(rate), 1.0), "s": (_snare(rng, rate), 0.8), "h": (_hat(rng, rate), 0.5)}
    for bar in range(bars):
        for lane, (sound, gain) in sounds.items():
            for position in GROOVES[groove][lane]:
                start = round((bar * 16 + position) * step * rate)
                out[start : start + len(sound)] += gain * sound
    out = out[:length]
    return 0.8 * out / np.abs(out).max()


# --- chunks ---------------------------------------------------------------------------------------


def chunk(chunk_id: bytes, body: bytes, big_endian: bool = False) -> bytes:
    size = struct.pack(">I" if big_endian else "<I", len(body))
    return chunk_id + size + body + (b"\x00" if len(body) % 2 else b"")


def acid_body(
    one_shot: bool,
    root: int | None = None,
    beats: int = 0,
    tempo: float = 0.0,
    meter: tuple[int, int] = (4, 4),
) -> bytes:
    flags = (0x01 if one_shot else 0) | (0x02 if root is not None else 0)
    return struct.pack("<IHHfIHHf", flags, root or 0, 0x8000, 0.0, beats, meter[1], meter[0], tempo)


def smpl_body(
    unity: int, loops: list[tuple[int, int]] = (), loop_count: int | None = None
) -> bytes:
    count = len(loops) if loop_count is None else loop_count
    body = struct.pack("<9I", 0, 0, 22675, unity, 0, 0, 0, count, 0)
    for start, end in loops:
        body += struct.pack("<6I", 0, 0, start, end, 0, 0)
    return body


def pcm(data: np.ndarray, bits: int) -> bytes:
    scale = 2 ** (bits - 1) - 1
    ints = np.clip(np.round(np.asarray(data) * scale), -scale - 1, scale).astype("<i4")
    if bits == 16:
        return ints.astype("<i2").tobytes()
    raw = ints.reshape(-1).view(np.uint8).reshape(-1, 4)[:, :3]
    return raw.tobytes()


def wav_bytes(
    data: np.ndarray,
    rate: int = RATE,
    bits: int = 16,
    extra: bytes = b"",
    fmt_override: bytes | None = None,
    data_size: int | None = None,
) -> bytes:
    channels = 1 if np.ndim(data) == 1 else data.shape[1]
    frame = channels * bits // 8
    fmt = fmt_override or struct.pack("<HHIIHH", 1, channels, rate, rate * frame, frame, bits)
    samples = pcm(data, bits)
    data_chunk = b"data" + struct.pack("<I", len(samples) if data_size is None else data_size)
    data_chunk += samples + (b"\x00" if len(samples) % 2 else b"")
    body = chunk(b"fmt ", fmt) + extra + data_chunk
    return b"RIFF" + struct.pack("<I", 4 + len(body)) + b"WAVE" + body


def write_wav(
    path: Path,
    data: np.ndarray,
    rate: int = RATE,
    bits: int = 16,
    *,
    acid: bytes | None = None,
    smpl: bytes | None = None,
) -> Path:
    extra = (chunk(b"acid", acid) if acid else b"") + (chunk(b"smpl", smpl) if smpl else b"")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(wav_bytes(data, rate, bits, extra))
    return path


def write_sf(path: Path, data: np.ndarray, rate: int = RATE, subtype: str = "PCM_16") -> Path:
    """AIFF / FLAC / WAV through libsndfile (the format follows the extension)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    extension = path.suffix.lower()
    container = {".aif": "AIFF", ".aiff": "AIFF", ".flac": "FLAC"}.get(extension, "WAV")
    soundfile.write(str(path), data, rate, subtype=subtype, format=container)
    return path


def write_aiff_inst(
    path: Path, data: np.ndarray, base_note: int, loop: tuple[int, int] | None = None
) -> Path:
    """An AIFF with INST (base note, sustain loop) and MARK chunks appended after the audio."""
    write_sf(path, data, subtype="PCM_16")
    raw = bytearray(path.read_bytes())
    begin, end = (1, 2) if loop else (0, 0)
    inst = struct.pack(">bbbbbbh", base_note, 0, 0, 127, 1, 127, 0)
    inst += struct.pack(">hhh", 1 if loop else 0, begin, end) + struct.pack(">hhh", 0, 0, 0)
    extra = chunk(b"INST", inst, big_endian=True)
    if loop:
        marks = struct.pack(">H", 2)
        for marker_id, position, name in ((1, loop[0], b"beg"), (2, loop[1], b"end")):
            marks += struct.pack(">hIB", marker_id, position, len(name)) + name
            if (1 + len(name)) % 2:
                marks += b"\x00"
        extra += chunk(b"MARK", marks, big_endian=True)
    raw += extra
    raw[4:8] = struct.pack(">I", len(raw) - 8)
    path.write_bytes(bytes(raw))
    return path


def write_long_flac(path: Path, seconds: float, rate: int = 8000, bpm: float | None = None) -> Path:
    """A real FLAC of ``seconds`` of audio, written a minute at a time (hours stay a few hundred
    KB): silence, or with ``bpm`` a kick on every beat — a "drum loop" that just goes on."""
    path.parent.mkdir(parents=True, exist_ok=True)
    minute = np.zeros(60 * rate)
    if bpm is not None:
        kick = _kick(rate)
        step = 60.0 / bpm * rate
        for beat in range(int(60 * bpm / 60)):
            start = round(beat * step)
            end = min(len(minute), start + len(kick))
            minute[start:end] += 0.8 * kick[: end - start]
    left = round(seconds * rate)
    with soundfile.SoundFile(str(path), "w", rate, 1, "PCM_16", format="FLAC") as out:
        while left > 0:
            block = minute[: min(left, len(minute))]
            out.write(block)
            left -= len(block)
    return path
