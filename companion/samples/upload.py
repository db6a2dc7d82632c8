"""Adding a file to the library from the web panel (``POST /api/v1/samples/upload``).

Nothing about an upload is trusted: the content decides whether it is audio (magic bytes, then a
real header decode and a first block of audio), never the extension; the size is capped while
streaming, so an oversized body never lands whole on disk; the file name is reduced to a safe,
NFC-normalised, visible base name (no folders, no "..", no leading dot, no reserved device names)
and given the extension of what the file really is. Identical content (SHA-256) is not stored
twice: the existing sample is returned. Bytes go to a hidden temporary file in the uploads folder
first and are renamed into place only once valid, so watchers and readers never see half a file.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import unicodedata
from pathlib import Path
from typing import BinaryIO, Literal

from pydantic import BaseModel
from sqlalchemy import select, update

from companion.db import Database, Sample
from companion.fsutil import fsync_dir, safe_name
from companion.samples.audio_info import (
    EXTENSION_FOR,
    SampleError,
    read_audio_info,
    sniff_format,
)
from companion.samples.index import SampleIndex, file_sha256
from companion.samples.search import SampleHit

TABLE = Sample.__table__
CHUNK = 1 << 20
KEEP_EXTENSIONS = {"wav": {".wav", ".wave"}, "aiff": {".aif", ".aiff", ".aifc"}, "flac": {".flac"}}

UploadProblem = Literal["empty", "too_large", "not_audio", "bad_name"]


class UploadError(ValueError):
    """A refused upload; ``code`` for the API (413 for too_large, 415 not_audio, 400 others)."""

    def __init__(self, code: UploadProblem, message: str) -> None:
        self.code = code
        super().__init__(message)


class UploadResult(BaseModel):
    sample: SampleHit
    sha256: str
    duplicate: bool  # True: the same audio was already in the library; nothing was stored


def clean_filename(filename: str, audio_format: str) -> str:
    """A safe base name for stored audio: last path component only, NFC, no hidden/reserved
    names, and an extension that matches the content (``song.mp3`` holding WAV → ``song.wav``)."""
    base = unicodedata.normalize("NFC", filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    stem, extension = os.path.splitext(base)
    if not (1 < len(extension) <= 6 and extension[1:].isalnum()):
        stem, extension = base, ""  # "Kick 1.5 dB" has no extension
    if extension.lower() not in KEEP_EXTENSIONS[audio_format]:
        extension = EXTENSION_FOR[audio_format]
    cleaned = safe_name(stem.lstrip(". "), fallback="")
    if not cleaned.strip("._- "):
        raise UploadError("bad_name", "the file name has no usable characters")
    return cleaned + extension.lower()


def _receive(source: bytes | BinaryIO, folder: Path, max_bytes: int) -> tuple[Path, str, int]:
    """Stream ``source`` into a hidden temporary file, hashing as it goes; refuse past the cap."""
    digest = hashlib.sha256()
    size = 0
    fd, temp_name = tempfile.mkstemp(prefix=".upload-", suffix=".part", dir=folder)
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            if isinstance(source, bytes | bytearray | memoryview):
                blocks = [bytes(source)]
            else:
                blocks = iter(lambda: source.read(CHUNK), b"")
            for block in blocks:
                size += len(block)
                if size > max_bytes:
                    raise UploadError("too_large", f"the file is larger than {max_bytes} bytes")
                digest.update(block)
                handle.write(block)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    if size == 0:
        temp.unlink(missing_ok=True)
        raise UploadError("empty", "the file is empty")
    return temp, digest.hexdigest(), size


def _validate(temp: Path) -> str:
    """The real format of the received bytes, or ``not_audio`` with the reason."""
    import soundfile  # only when audio arrives (keeps numpy out of an idle companion)

    with open(temp, "rb") as handle:
        audio_format = sniff_format(handle.read(12))
    if audio_format is None:
        raise UploadError("not_audio", "not a WAV, AIFF or FLAC file")
    try:
        info = read_audio_info(temp)
        with soundfile.SoundFile(str(temp)) as sound:  # a real decode of the first block
            sound.read(min(info.frames, 4096), dtype="float32")
    except SampleError as exc:
        raise UploadError("not_audio", f"not usable audio: {exc.reason}") from exc
    except Exception as exc:
        raise UploadError("not_audio", "the audio data cannot be decoded") from exc
    return audio_format


def find_duplicate(database: Database, digest: str, size: int) -> dict | None:
    """An indexed, usable sample with this content. Rows of the same size whose hash was never
    computed are hashed now (lazily) — only same-size files can be identical."""
    with database.engine.connect() as connection:
        rows = [
            dict(row._mapping)
            for row in connection.execute(
                select(TABLE).where(
                    TABLE.c.size == size,
                    TABLE.c.error.is_(None),
                    (TABLE.c.sha256 == digest) | TABLE.c.sha256.is_(None),
                )
            )
        ]
    for row in sorted(rows, key=lambda r: r["sha256"] is None):
        if not os.path.isfile(row["path"]):
            continue
        known = row["sha256"]
        if known is None:
            try:
                known = file_sha256(row["path"])
            except OSError:
                continue
            with database.engine.begin() as connection:
                connection.execute(
                    update(TABLE).where(TABLE.c.id == row["id"]).values(sha256=known)
                )
        if known == digest:
            return row | {"sha256": known}
    return None


def _place(temp: Path, folder: Path, name: str) -> Path:
    """Rename into ``folder`` under ``name``, or "name (2)", "name (3)"… when taken."""
    stem, extension = os.path.splitext(name)
    for attempt in range(1, 1000):
        candidate = folder / (name if attempt == 1 else f"{stem} ({attempt}){extension}")
        try:
            os.link(temp, candidate)  # fails if taken: no check-then-rename race
        except FileExistsError:
            continue
        except OSError:  # file systems without hard links
            if candidate.exists():
                continue
            os.replace(temp, candidate)
            return candidate
        temp.unlink(missing_ok=True)
        return candidate
    raise UploadError("bad_name", "too many files with this name")


def _as_hit(row: dict) -> SampleHit:
    fields = {key: row.get(key) for key in SampleHit.model_fields if key not in ("name", "score")}
    return SampleHit(**fields, name=os.path.basename(row["path"]))


def store_upload(
    source: bytes | BinaryIO,
    filename: str,
    uploads_dir: str | os.PathLike[str],
    database: Database,
    *,
    max_bytes: int,
    index: SampleIndex | None = None,
) -> UploadResult:
    """Validate, deduplicate, store and index one uploaded file; :class:`UploadError` if refused.

    ``index`` (the server's live index) is used when it covers ``uploads_dir``; otherwise a small
    index of the uploads folder is made for this call.
    """
    folder = Path(uploads_dir).expanduser().resolve()
    folder.mkdir(parents=True, exist_ok=True)
    temp, digest, size = _receive(source, folder, max_bytes)
    try:
        audio_format = _validate(temp)
        name = clean_filename(filename, audio_format)
        existing = find_duplicate(database, digest, size)
        if existing is not None:
            return UploadResult(sample=_as_hit(existing), sha256=digest, duplicate=True)
        path = _place(temp, folder, name)
    finally:
        temp.unlink(missing_ok=True)
    fsync_dir(folder)
    if index is None or index.root_for(path) is None:
        index = SampleIndex(database, [folder])
    index.update_paths([path])
    with index.lock, database.engine.begin() as connection:
        connection.execute(update(TABLE).where(TABLE.c.path == str(path)).values(sha256=digest))
        row = connection.execute(select(TABLE).where(TABLE.c.path == str(path))).first()
    if row is None:  # pragma: no cover - the file was validated just above
        raise UploadError("not_audio", "the file could not be indexed")
    return UploadResult(sample=_as_hit(dict(row._mapping)), sha256=digest, duplicate=False)
