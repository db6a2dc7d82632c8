"""24-bit WAV files with the chunks samplers read: ``acid`` (one-shot, root note) and ``smpl``
(MIDI unity note and the sustain loop, end inclusive as the format says)."""

from __future__ import annotations

import struct
from typing import TYPE_CHECKING

from companion.kit.dsp import RATE
from companion.lazy import LazyModule

if TYPE_CHECKING:
    import numpy as np
else:
    np = LazyModule("numpy")

FULL_SCALE = 8_388_607.0


def quantize(audio: np.ndarray) -> np.ndarray:
    """The values a 24-bit file holds (rounded and clipped), as floats: loops are placed on the
    samples the file will really contain."""
    return np.clip(np.round(audio * FULL_SCALE), -8_388_608, 8_388_607) / FULL_SCALE


def pcm24(audio: np.ndarray) -> bytes:
    """Interleaved little-endian 24-bit PCM (rounded, clipped to the 24-bit range)."""
    scaled = np.clip(np.round(audio * FULL_SCALE), -8_388_608, 8_388_607).astype("<i4")
    return scaled.reshape(-1).view(np.uint8).reshape(-1, 4)[:, :3].tobytes()


def _chunk(chunk_id: bytes, body: bytes) -> bytes:
    return chunk_id + struct.pack("<I", len(body)) + body + (b"\x00" if len(body) % 2 else b"")


def wav_bytes(
    audio: np.ndarray,
    root_note: int | None,
    rate: int = RATE,
    loop: tuple[int, int] | None = None,
) -> bytes:
    """A 24-bit WAV; an ``acid`` chunk marks it a one-shot (not a tempo loop) and, when tuned, a
    ``smpl`` chunk gives its MIDI unity note and its forward sustain loop (``loop`` is start and
    end-exclusive frames)."""
    channels = 1 if audio.ndim == 1 else audio.shape[1]
    data = pcm24(audio)
    fmt = struct.pack("<HHIIHH", 1, channels, rate, rate * channels * 3, channels * 3, 24)
    flags = 0x01 | (0x02 if root_note is not None else 0)
    acid = struct.pack("<IHHfIHHf", flags, root_note or 60, 0x8000, 0.0, 0, 4, 4, 0.0)
    chunks = _chunk(b"fmt ", fmt) + _chunk(b"acid", acid)
    if root_note is not None:
        period = round(1e9 / rate)
        loops = b""
        if loop is not None:
            loops = struct.pack("<6I", 0, 0, loop[0], loop[1] - 1, 0, 0)
        header = struct.pack("<9I", 0, 0, period, root_note, 0, 0, 0, 1 if loop else 0, 0)
        chunks += _chunk(b"smpl", header + loops)
    chunks += _chunk(b"data", data)
    return b"RIFF" + struct.pack("<I", 4 + len(chunks)) + b"WAVE" + chunks
