"""Rendered audio to a file: WAV or FLAC (24-bit) or MP3 (libsndfile's LAME), written atomically."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import soundfile

from companion.fsutil import atomic_write_bytes
from companion.render import RenderError

FORMATS: dict[str, tuple[str, str, str]] = {
    # suffix: (libsndfile format, subtype, media type)
    ".wav": ("WAV", "PCM_24", "audio/wav"),
    ".flac": ("FLAC", "PCM_24", "audio/flac"),
    ".mp3": ("MP3", "MPEG_LAYER_III", "audio/mpeg"),
}


def format_for(path: str | Path) -> str:
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise RenderError(f"{Path(path).name}: choose a .wav, .flac or .mp3 file to write")
    if FORMATS[suffix][0] not in soundfile.available_formats():
        raise RenderError(f"this libsndfile cannot write {suffix} files; use .wav or .flac")
    return suffix


def encode(audio: np.ndarray, sample_rate: int, suffix: str) -> bytes:
    """``audio`` (frames × channels float) as the bytes of a file. Integer formats cannot hold
    what is above full scale: it is clipped there, as a converter would (the render reports
    it)."""
    container, subtype, _ = FORMATS[suffix]
    data = np.clip(audio, -1.0, 1.0)
    buffer = io.BytesIO()
    extra = {"compression_level": 0.0, "bitrate_mode": "VARIABLE"} if container == "MP3" else {}
    soundfile.write(buffer, data, sample_rate, subtype=subtype, format=container, **extra)
    return buffer.getvalue()


def write_audio(path: str | Path, audio: np.ndarray, sample_rate: int) -> Path:
    """Write ``audio`` to ``path`` (format from its suffix) so a reader never sees half a file."""
    path = Path(path)
    data = encode(audio, sample_rate, format_for(path))
    atomic_write_bytes(path, data)
    return path


def media_type(path: str | Path) -> str:
    return FORMATS[Path(path).suffix.lower()][2]
