"""Audio file headers: format, length, rate, channels, bit depth, and the sampler metadata chunks.

Only headers are read (never the audio) so that a library of thousands of files indexes in seconds.
libsndfile (via soundfile) decodes the format header of WAV, AIFF and FLAC; our own small chunk
walkers read what it ignores: WAV ``acid`` (loop/one-shot flag, root note, beats, tempo) and
``smpl`` (MIDI unity note, loop points), AIFF ``INST``/``MARK``. Every read is capped and every
header value is range-checked, so a corrupt, truncated, hostile or mislabelled file becomes a
:class:`SampleError` with a reason a producer can read — never a crash, a hang or a huge allocation.
"""

from __future__ import annotations

import math
import os
import re
import stat
import struct
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Literal

from pydantic import BaseModel, ConfigDict, Field

if TYPE_CHECKING:
    import numpy as np

# numpy and libsndfile are imported where audio is read, not at import: a companion whose library
# is already indexed never needs them in its main process (~18 MB).

AudioFormat = Literal["wav", "aiff", "flac"]

AUDIO_EXTENSIONS: frozenset[str] = frozenset({".wav", ".wave", ".aif", ".aiff", ".aifc", ".flac"})
EXTENSION_FOR: dict[str, str] = {"wav": ".wav", "aiff": ".aif", "flac": ".flac"}

MIN_RATE, MAX_RATE = 1_000, 768_000
MAX_CHANNELS = 64
MAX_DURATION = 6 * 3600.0  # seconds; longer headers are taken as corrupt, not as a 6-hour sample
MAX_CHUNKS = 1_024  # chunks walked per file before giving up (a corrupt file can loop forever)
MAX_META_CHUNK = 64 * 1024  # metadata chunks larger than this are skipped, not read
SNIFF_BYTES = 12

_BIT_DEPTH = {
    "PCM_S8": 8,
    "PCM_U8": 8,
    "PCM_16": 16,
    "PCM_24": 24,
    "PCM_32": 32,
    "FLOAT": 32,
    "DOUBLE": 64,
    "ULAW": 8,
    "ALAW": 8,
}
# Bytes per sample of uncompressed subtypes (to catch headers claiming more audio than exists).
_PCM_BYTES = {"PCM_S8": 1, "PCM_U8": 1, "PCM_16": 2, "PCM_24": 3, "PCM_32": 4, "FLOAT": 4}
_PCM_BYTES["DOUBLE"] = 8

# ACID chunk flag bits (as written by Acid, Live, Logic and most pack tools).
ACID_ONE_SHOT = 0x01
ACID_ROOT_SET = 0x02
ACID_STRETCH = 0x04


class SampleError(ValueError):
    """A file that cannot be used as a sample; ``reason`` is short and meant for the producer."""

    def __init__(self, path: str | os.PathLike[str] | None, reason: str) -> None:
        self.path = str(path) if path is not None else None
        self.reason = reason
        super().__init__(f"{self.path}: {reason}" if self.path else reason)


class AcidInfo(BaseModel):
    """The ``acid`` chunk: how ACID-aware hosts should treat the file."""

    model_config = ConfigDict(frozen=True)

    one_shot: bool
    root_note: int | None = None  # only when the "root note set" flag is on
    beats: int | None = None
    meter: tuple[int, int] | None = None
    tempo: float | None = None


class LoopPoints(BaseModel):
    model_config = ConfigDict(frozen=True)

    start: int  # frames
    end: int  # frames, exclusive


class SamplerInfo(BaseModel):
    """The ``smpl`` chunk (WAV) or ``INST``+``MARK`` chunks (AIFF): how a sampler maps the file."""

    model_config = ConfigDict(frozen=True)

    unity_note: int | None = None
    fine_tune_cents: float = 0.0
    loops: tuple[LoopPoints, ...] = ()


class AudioInfo(BaseModel):
    model_config = ConfigDict(frozen=True)

    format: AudioFormat
    subtype: str  # soundfile subtype, e.g. PCM_24, FLOAT
    sample_rate: int = Field(gt=0)
    channels: int = Field(gt=0)
    frames: int = Field(gt=0)
    bit_depth: int | None = None
    acid: AcidInfo | None = None
    sampler: SamplerInfo | None = None

    @property
    def duration(self) -> float:
        return self.frames / self.sample_rate

    @property
    def root_note(self) -> int | None:
        """The MIDI note the file plays at its own pitch, from whichever chunk states it."""
        if self.sampler is not None and self.sampler.unity_note is not None:
            return self.sampler.unity_note
        if self.acid is not None and self.acid.root_note is not None:
            return self.acid.root_note
        return None

    @property
    def acid_loop(self) -> bool | None:
        """True/False when an ``acid`` chunk says loop/one-shot, None without one."""
        return None if self.acid is None else not self.acid.one_shot


# --- sniffing ------------------------------------------------------------------------------------


def sniff_format(head: bytes) -> AudioFormat | None:
    """The container named by the first bytes of a file, or None when it is no audio we read."""
    if len(head) >= 12 and head[:4] in (b"RIFF", b"RF64", b"BW64") and head[8:12] == b"WAVE":
        return "wav"
    if len(head) >= 12 and head[:4] == b"FORM" and head[8:12] in (b"AIFF", b"AIFC"):
        return "aiff"
    if head[:4] == b"fLaC":
        return "flac"
    return None


def sniff_file(path: str | os.PathLike[str]) -> AudioFormat | None:
    try:
        with open(path, "rb") as handle:
            return sniff_format(handle.read(SNIFF_BYTES))
    except OSError:
        return None


# --- chunk parsing (pure) ------------------------------------------------------------------------


def parse_acid(data: bytes) -> AcidInfo | None:
    """Decode a 24-byte ``acid`` chunk body; None when it is too short to be one."""
    if len(data) < 24:
        return None
    flags, root, _unknown1, _unknown2, beats, meter_den, meter_num, tempo = struct.unpack(
        "<IHHfIHHf", data[:24]
    )
    root_note = root if flags & ACID_ROOT_SET and 0 <= root <= 127 else None
    meter = (
        (meter_num, meter_den) if 1 <= meter_num <= 32 and meter_den in (1, 2, 4, 8, 16) else None
    )
    good_tempo = math.isfinite(tempo) and 20.0 <= tempo <= 999.0
    return AcidInfo(
        one_shot=bool(flags & ACID_ONE_SHOT),
        root_note=root_note,
        beats=beats if 0 < beats <= 100_000 else None,
        meter=meter,
        tempo=round(float(tempo), 3) if good_tempo else None,
    )


def parse_smpl(data: bytes, frames: int | None = None) -> SamplerInfo | None:
    """Decode a ``smpl`` chunk body: unity note, fine tune and (sane) loop points."""
    if len(data) < 36:
        return None
    (_maker, _product, _period, unity, fraction, _fmt, _offset, loop_count, _extra) = struct.unpack(
        "<9I", data[:36]
    )
    loops: list[LoopPoints] = []
    available = (len(data) - 36) // 24
    for index in range(min(loop_count, available, 64)):
        _cue, _kind, start, end, _frac, _count = struct.unpack_from("<6I", data, 36 + 24 * index)
        # smpl loop ends are inclusive; ignore loops outside the audio.
        if start < end and (frames is None or end < frames):
            loops.append(LoopPoints(start=start, end=end + 1))
    return SamplerInfo(
        unity_note=unity if unity <= 127 else None,
        fine_tune_cents=round(fraction / 2**32 * 100.0, 3),
        loops=tuple(loops),
    )


def parse_inst(data: bytes) -> tuple[int | None, int, int, int] | None:
    """Decode an AIFF ``INST`` chunk: (base note, detune cents, sustain begin/end marker ids)."""
    if len(data) < 20:
        return None
    base, detune = struct.unpack(">bb", data[:2])
    _mode, begin, end = struct.unpack(">hhh", data[8:14])
    return (base if 0 <= base <= 127 else None, detune, begin, end)


def parse_mark(data: bytes) -> dict[int, int]:
    """Decode an AIFF ``MARK`` chunk into {marker id: frame position}."""
    if len(data) < 2:
        return {}
    (count,) = struct.unpack(">H", data[:2])
    markers: dict[int, int] = {}
    offset = 2
    for _ in range(min(count, 512)):
        if offset + 7 > len(data):
            break
        marker_id, position, name_length = struct.unpack_from(">hIB", data, offset)
        markers[marker_id] = position
        offset += 7 + name_length
        if (1 + name_length) % 2:  # pstrings are padded to an even total length
            offset += 1
    return markers


def walk_chunks(
    handle: BinaryIO, file_size: int, big_endian: bool, wanted: frozenset[bytes]
) -> dict[bytes, bytes]:
    """Read the bodies of ``wanted`` chunks of a RIFF/RF64 or FORM file (at most once each).

    Stops at the end of the file, at a chunk that runs past it, at a non-ASCII chunk id or after
    ``MAX_CHUNKS``; big chunks (audio data) are skipped by seeking, never read.
    """
    found: dict[bytes, bytes] = {}
    size_format = ">I" if big_endian else "<I"
    offset = 12
    for _ in range(MAX_CHUNKS):
        if offset + 8 > file_size:
            break
        handle.seek(offset)
        header = handle.read(8)
        if len(header) < 8:
            break
        chunk_id = header[:4]
        if not all(32 <= byte < 127 for byte in chunk_id):
            break
        (size,) = struct.unpack(size_format, header[4:])
        body_start = offset + 8
        if chunk_id in wanted and chunk_id not in found and size <= MAX_META_CHUNK:
            if body_start + size > file_size:
                break
            found[chunk_id] = handle.read(size)
            if len(found) == len(wanted):
                break
        if chunk_id == b"data" and size == 0xFFFFFFFF:  # RF64 placeholder: the data runs to EOF
            break
        offset = body_start + size + (size & 1)
    return found


# --- reading -------------------------------------------------------------------------------------


def _regular_file_size(path: Path) -> int:
    """Size of a regular file; FIFOs, devices and folders are refused (opening a FIFO hangs)."""
    try:
        status = path.stat()
    except OSError as exc:
        raise SampleError(path, f"cannot read the file ({exc.strerror or exc})") from exc
    if not stat.S_ISREG(status.st_mode):
        raise SampleError(path, "not a regular file")
    return status.st_size


def read_audio_info(path: str | os.PathLike[str]) -> AudioInfo:
    """Header facts and sampler metadata of one WAV, AIFF or FLAC file, or :class:`SampleError`."""
    path = Path(path)
    size = _regular_file_size(path)
    if size == 0:
        raise SampleError(path, "empty file (0 bytes)")
    try:
        with open(path, "rb") as handle:
            head = handle.read(SNIFF_BYTES)
            kind = sniff_format(head)
            if kind is None:
                raise SampleError(path, "not a WAV, AIFF or FLAC file (unrecognised content)")
            chunks: dict[bytes, bytes] = {}
            if kind == "wav":
                chunks = walk_chunks(handle, size, False, frozenset({b"acid", b"smpl"}))
            elif kind == "aiff":
                chunks = walk_chunks(handle, size, True, frozenset({b"INST", b"MARK"}))
    except OSError as exc:
        raise SampleError(path, f"cannot read the file ({exc.strerror or exc})") from exc
    import soundfile

    try:
        header = soundfile.info(str(path))
    except Exception as exc:  # libsndfile reports every malformed header as a RuntimeError
        raise SampleError(path, f"unreadable {kind.upper()} header ({_short(exc)})") from exc
    return _build_info(path, size, kind, header, chunks)


def _short(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
    return text.split(": ", 1)[-1][:120] if ": " in text else text[:120]


def _build_info(
    path: Path, size: int, kind: AudioFormat, header: object, chunks: dict[bytes, bytes]
) -> AudioInfo:
    rate = int(getattr(header, "samplerate", 0) or 0)
    channels = int(getattr(header, "channels", 0) or 0)
    frames = int(getattr(header, "frames", 0) or 0)
    subtype = str(getattr(header, "subtype", "") or "")
    if not MIN_RATE <= rate <= MAX_RATE:
        raise SampleError(path, f"impossible sample rate in header ({rate} Hz)")
    if not 1 <= channels <= MAX_CHANNELS:
        raise SampleError(path, f"impossible channel count in header ({channels})")
    if frames <= 0:
        raise SampleError(path, "no audio in the file (0 frames)")
    if frames / rate > MAX_DURATION:
        raise SampleError(path, f"header claims an impossible length ({frames / rate:.0f} s)")
    frame_bytes = _PCM_BYTES.get(subtype)
    if kind != "flac" and frame_bytes is not None and frames * channels * frame_bytes > size:
        raise SampleError(path, "header claims more audio than the file holds")
    acid = parse_acid(chunks[b"acid"]) if b"acid" in chunks else None
    sampler = parse_smpl(chunks[b"smpl"], frames) if b"smpl" in chunks else None
    if b"INST" in chunks:
        sampler = _aiff_sampler(chunks, frames)
    return AudioInfo(
        format=kind,
        subtype=subtype,
        sample_rate=rate,
        channels=channels,
        frames=frames,
        bit_depth=_BIT_DEPTH.get(subtype),
        acid=acid,
        sampler=sampler,
    )


def _aiff_sampler(chunks: dict[bytes, bytes], frames: int) -> SamplerInfo | None:
    inst = parse_inst(chunks[b"INST"])
    if inst is None:
        return None
    base, detune, begin, end = inst
    markers = parse_mark(chunks.get(b"MARK", b""))
    loops: tuple[LoopPoints, ...] = ()
    if begin in markers and end in markers and markers[begin] < markers[end] <= frames:
        loops = (LoopPoints(start=markers[begin], end=markers[end]),)
    return SamplerInfo(unity_note=base, fine_tune_cents=float(detune), loops=loops)


def read_mono(
    path: str | os.PathLike[str], max_seconds: float = 30.0, offset_seconds: float = 0.0
) -> tuple[np.ndarray, int]:
    """Decode at most ``max_seconds`` of audio as float32 mono (for analysis, never for export)."""
    import numpy as np
    import soundfile

    path = Path(path)
    _regular_file_size(path)
    try:
        with soundfile.SoundFile(str(path)) as handle:
            rate = handle.samplerate
            if not MIN_RATE <= rate <= MAX_RATE or not 1 <= handle.channels <= MAX_CHANNELS:
                raise SampleError(path, "impossible header values")
            start = min(int(offset_seconds * rate), max(handle.frames - 1, 0))
            if start:
                handle.seek(start)
            count = min(handle.frames - start, int(max_seconds * rate))
            data = handle.read(count, dtype="float32", always_2d=True)
    except SampleError:
        raise
    except Exception as exc:
        raise SampleError(path, f"cannot decode audio ({_short(exc)})") from exc
    if data.size == 0:
        raise SampleError(path, "no audio in the file (0 frames)")
    mono = data.mean(axis=1) if data.shape[1] > 1 else data[:, 0]
    return np.ascontiguousarray(mono, dtype=np.float32), rate


# --- whole-file checks (uploads) ----------------------------------------------------------------

# Tags that have no business in audio: a file carrying them is a web page dressed as audio.
MARKUP = re.compile(
    rb"<(?:script|html|body|iframe|object|embed|svg|meta|form|img|!doctype\s+html|\?php)[\s>/]",
    re.IGNORECASE,
)
TEXT_BYTES = bytes(range(0x20, 0x7F)) + b"\t\n\r\f\v"
TEXT_WINDOW = 4096  # bytes of audio data judged at a time
TEXT_SHARE = 0.9  # printable share above which a window is text, not sound (PCM: ~0.4 at most)
SCAN_BLOCK = 1 << 20


def looks_like_text(data: bytes) -> bool:
    """Whether bytes read as text: sampled sound is never 90% printable ASCII."""
    if len(data) < 64:
        return False
    return len(data.translate(None, TEXT_BYTES)) <= (1 - TEXT_SHARE) * len(data)


def check_container(path: str | os.PathLike[str]) -> AudioFormat:
    """Refuse a file that is not entirely the audio it claims to be: the WAV/AIFF chunk
    structure must parse from the first byte to the last, with one format chunk and one sound
    data chunk that holds sound (not text); no file may carry web-page markup anywhere.

    Stricter than the index (a producer's own library keeps working with odd files); meant for
    files that arrive from outside, where "a WAV with HTML inside" must not be stored.
    """
    path = Path(path)
    size = _regular_file_size(path)
    with open(path, "rb") as handle:
        kind = sniff_format(handle.read(SNIFF_BYTES))
        if kind is None:
            raise SampleError(path, "not a WAV, AIFF or FLAC file (unrecognised content)")
        if kind in ("wav", "aiff"):
            data = _walk_structure(path, handle, size, kind)
            _check_sound_data(path, handle, *data)
        _check_no_markup(path, handle)
    return kind


def _walk_structure(path: Path, handle: BinaryIO, size: int, kind: AudioFormat) -> tuple[int, int]:
    """Walk every chunk; return (offset, length) of the sound data."""
    big = kind == "aiff"
    handle.seek(0)
    head = handle.read(12)
    (declared,) = struct.unpack(">I" if big else "<I", head[4:8])
    chunks_size = ">I" if big else "<I"
    data_id, format_id = (b"SSND", b"COMM") if big else (b"data", b"fmt ")
    ds64_data: int | None = None
    if head[:4] in (b"RF64", b"BW64"):
        handle.seek(12)
        ds64 = handle.read(8 + 28)
        if len(ds64) < 36 or ds64[:4] != b"ds64":
            raise SampleError(path, "RF64 file without its ds64 chunk")
        riff64, data64 = struct.unpack("<QQ", ds64[8:24])
        declared, ds64_data = riff64, data64
    end = declared + 8
    if end > size:
        raise SampleError(path, f"the file is cut short ({size} of {end} bytes)")
    if size - end > 1:  # one pad byte after an odd-sized last chunk is tolerated
        raise SampleError(path, f"{size - end} unexpected bytes after the end of the audio file")
    offset, seen, sound = 12, {}, None
    for _ in range(MAX_CHUNKS):
        if offset + 8 > end:
            break
        handle.seek(offset)
        header = handle.read(8)
        chunk_id = header[:4]
        if len(header) < 8 or not all(32 <= byte < 127 for byte in chunk_id):
            raise SampleError(path, f"broken chunk structure at byte {offset}")
        (length,) = struct.unpack(chunks_size, header[4:])
        if chunk_id == data_id and length == 0xFFFFFFFF and ds64_data is not None:
            length = ds64_data
        body = offset + 8
        if body + length > end:
            raise SampleError(path, f"the {chunk_id.decode()!r} chunk runs past the end of file")
        seen[chunk_id] = seen.get(chunk_id, 0) + 1
        if chunk_id == data_id:
            if not big and format_id not in seen:  # WAV requires it; AIFF chunks are unordered
                raise SampleError(path, "the sound data comes before its format chunk")
            skip = 8 if big else 0  # SSND: offset and block size come first
            sound = (body + skip, max(0, length - skip))
        offset = body + length + (length & 1)
    else:
        raise SampleError(path, f"more than {MAX_CHUNKS} chunks")
    if offset < end - 1 and offset + 8 > end:
        raise SampleError(path, f"broken chunk structure at byte {offset}")
    if seen.get(format_id) != 1 or seen.get(data_id) != 1 or sound is None:
        raise SampleError(path, "it needs exactly one format chunk and one sound data chunk")
    if sound[1] == 0:
        raise SampleError(path, "no audio in the file (empty sound data chunk)")
    return sound


def _check_sound_data(path: Path, handle: BinaryIO, start: int, length: int) -> None:
    import numpy as np

    printable = np.zeros(256, dtype=bool)
    printable[list(TEXT_BYTES)] = True
    handle.seek(start)
    left, position = length, start
    while left > 0:
        block = handle.read(min(SCAN_BLOCK, left))  # a multiple of TEXT_WINDOW but the last
        if not block:
            break
        whole = len(block) // TEXT_WINDOW * TEXT_WINDOW
        counts = printable[np.frombuffer(block, np.uint8)[:whole]].reshape(-1, TEXT_WINDOW)
        texty = np.flatnonzero(counts.sum(axis=1) >= TEXT_SHARE * TEXT_WINDOW)
        where = int(texty[0]) * TEXT_WINDOW if len(texty) else None
        if where is None and looks_like_text(block[whole:]):
            where = whole
        if where is not None:
            where += position
            raise SampleError(path, f"the sound data holds text, not audio (at byte {where})")
        left -= len(block)
        position += len(block)


def _check_no_markup(path: Path, handle: BinaryIO) -> None:
    handle.seek(0)
    position, tail = 0, b""
    while block := handle.read(SCAN_BLOCK):
        found = MARKUP.search(tail + block)
        if found is not None:
            where = position - len(tail) + found.start()
            raise SampleError(path, f"web page markup inside the file (at byte {where})")
        tail = block[-32:]
        position += len(block)
