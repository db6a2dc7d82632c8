"""Adding a file to the library from the web panel (``POST /api/v1/samples/upload``), and
removing one's own again (``DELETE /api/v1/samples/{id}``).

Nothing about an upload is trusted: the content decides whether it is audio (magic bytes, the
whole chunk structure from first byte to last, sound data that is not text, no web-page markup,
a real decode), never the extension; the size is capped while streaming, so an oversized body
never lands whole on disk; a file a set could not use (five hours "drum loop", six channels) is
refused with the reason; the file name is reduced to a safe, NFC-normalised, visible base name (no
folders, no "..", no leading dot, no reserved device names, no bidirectional controls) and given
the extension of what the file really is. Identical content (SHA-256) the uploader can already
see is not stored twice: that sample is returned. Bytes go to a hidden temporary file first and
are renamed into place only once valid, so watchers and readers never see half a file.

Uploads are private: each account's go to ``<uploads>/<account id>/``, which is what the index
reads their owner from (see :mod:`companion.samples.index`).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import unicodedata
from pathlib import Path
from typing import BinaryIO, Literal

from pydantic import BaseModel
from sqlalchemy import delete, select, update

from companion.db import Database, Sample
from companion.fsutil import fsync_dir, safe_name
from companion.samples.audio_info import (
    AUDIO_EXTENSIONS,
    EXTENSION_FOR,
    AudioInfo,
    SampleError,
    check_container,
    read_audio_info,
    sniff_format,
)
from companion.samples.index import FileStat, SampleIndex, describe, file_sha256
from companion.samples.limits import row_unusable
from companion.samples.naming import parse_sample_name, strip_bidi
from companion.samples.search import SampleHit, sample_hit, visible_to

TABLE = Sample.__table__
CHUNK = 1 << 20
KEEP_EXTENSIONS = {"wav": {".wav", ".wave"}, "aiff": {".aif", ".aiff", ".aifc"}, "flac": {".flac"}}

UploadProblem = Literal["empty", "too_large", "not_audio", "unusable", "bad_name"]
DECODE_BLOCK = 65_536  # frames per read when a compressed file is decoded whole


class UploadError(ValueError):
    """A refused upload; ``code`` for the API (413 too_large, 415 not_audio, 422 unusable,
    400 others)."""

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
    text = strip_bidi(unicodedata.normalize("NFC", filename or ""))
    base = text.replace("\\", "/").rsplit("/", 1)[-1]
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


def _header(temp: Path) -> tuple[str, AudioInfo]:
    """The real format and header facts of the received bytes, checked to be nothing but that
    audio from first byte to last, or ``not_audio`` and why."""
    with open(temp, "rb") as handle:
        audio_format = sniff_format(handle.read(12))
    if audio_format is None:
        raise UploadError("not_audio", "not a WAV, AIFF or FLAC file")
    try:
        check_container(temp)  # first: its reasons are the clearest
        return audio_format, read_audio_info(temp)
    except SampleError as exc:
        raise UploadError("not_audio", f"not usable audio: {exc.reason}") from exc


def _check_usable(info: AudioInfo, folder: Path, name: str, size: int) -> None:
    """Refuse what a set could not use, judged as the index will judge the stored file."""
    stored = folder / name
    row = describe(
        FileStat(str(stored), size, 0.0), str(folder), info, parse_sample_name(stored, folder)
    )
    reason = row_unusable(row)
    if reason is not None:
        raise UploadError("unusable", f"a set cannot use it: {reason}")


def _check_decodes(temp: Path, audio_format: str, info: AudioInfo) -> None:
    """The audio decodes: a first block, or all of a FLAC (it has no chunks to walk)."""
    import soundfile  # only when audio arrives (keeps numpy out of an idle companion)

    try:
        with soundfile.SoundFile(str(temp)) as sound:
            if audio_format != "flac":
                sound.read(min(info.frames, 4096), dtype="float32")  # a first block decodes
                return
            # FLAC has no chunk map to walk: decode it all (its length is bounded by now).
            decoded = 0
            while block := len(sound.read(DECODE_BLOCK, dtype="float32")):
                decoded += block
    except SampleError as exc:
        raise UploadError("not_audio", f"not usable audio: {exc.reason}") from exc
    except Exception as exc:
        raise UploadError("not_audio", "the audio data cannot be decoded") from exc
    if decoded != info.frames:
        raise UploadError(
            "not_audio", f"not usable audio: {decoded} of the {info.frames} frames it announces"
        )


def find_duplicate(
    database: Database, digest: str, size: int, viewer: int | None = None
) -> dict | None:
    """An indexed, usable sample with this content that ``viewer`` can see (the shared library
    or their own uploads: another account's copy is never revealed). Rows of the same size whose
    hash was never computed are hashed now (lazily) — only same-size files can be identical."""
    with database.engine.connect() as connection:
        rows = [
            dict(row._mapping)
            for row in connection.execute(
                select(TABLE).where(
                    TABLE.c.size == size,
                    TABLE.c.error.is_(None),
                    visible_to(viewer),
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


def owner_folder(uploads_dir: str | os.PathLike[str], owner: int) -> Path:
    """Where one account's uploads are kept (named by the account's id, which never changes)."""
    if owner <= 0:
        raise ValueError("uploads belong to an account")
    return Path(uploads_dir).expanduser().resolve() / str(owner)


def store_upload(
    source: bytes | BinaryIO,
    filename: str,
    uploads_dir: str | os.PathLike[str],
    database: Database,
    *,
    max_bytes: int,
    index: SampleIndex | None = None,
    owner: int | None = None,
) -> UploadResult:
    """Validate, deduplicate, store and index one uploaded file; :class:`UploadError` if refused.

    With ``owner`` (what the server always passes) the file is that account's, kept in its own
    folder under ``uploads_dir``; without, it goes straight into ``uploads_dir`` (a library folder
    of its own: tools and tests). ``index`` (the server's live index) is used when it covers the
    folder and knows ``uploads_dir`` as the uploads folder; otherwise a small index is made.
    """
    uploads = Path(uploads_dir).expanduser().resolve()
    folder = owner_folder(uploads, owner) if owner is not None else uploads
    folder.mkdir(parents=True, exist_ok=True)
    temp, digest, size = _receive(source, folder, max_bytes)
    try:
        audio_format, info = _header(temp)
        name = clean_filename(filename, audio_format)
        _check_usable(info, folder, name, size)
        _check_decodes(temp, audio_format, info)
        existing = find_duplicate(database, digest, size, viewer=owner)
        if existing is not None:
            hit = sample_hit(existing, viewer=owner)
            return UploadResult(sample=hit, sha256=digest, duplicate=True)
        path = _place(temp, folder, name)
    finally:
        temp.unlink(missing_ok=True)
    fsync_dir(folder)
    wanted_uploads = uploads if owner is not None else None
    if index is None or index.root_for(path) is None or index.uploads != wanted_uploads:
        index = SampleIndex(database, [uploads], uploads=wanted_uploads)
    index.update_paths([path])
    with index.lock, database.engine.begin() as connection:
        connection.execute(update(TABLE).where(TABLE.c.path == str(path)).values(sha256=digest))
        row = connection.execute(select(TABLE).where(TABLE.c.path == str(path))).first()
    if row is None:  # pragma: no cover - the file was validated just above
        raise UploadError("not_audio", "the file could not be indexed")
    hit = sample_hit(dict(row._mapping), viewer=owner)
    return UploadResult(sample=hit, sha256=digest, duplicate=False)


class NotYours(PermissionError):
    """A sample of the shared library: deleted in its folder, not through MusiaIA."""


def delete_upload(database: Database, public_id: str, owner: int, lock=None) -> bool:
    """Remove one of ``owner``'s uploads: its file, then its row. False when ``owner`` cannot
    see such a sample; :class:`NotYours` for a shared library file. Projects keep their copies
    (samples are copied into a project when it is written)."""
    with database.engine.connect() as connection:
        row = connection.execute(
            select(TABLE.c.id, TABLE.c.path, TABLE.c.owner_id).where(
                TABLE.c.public_id == public_id, visible_to(owner)
            )
        ).first()
    if row is None:
        return False
    if row.owner_id != owner:
        raise NotYours(public_id)
    path = Path(row.path)
    try:
        path.unlink()
    except FileNotFoundError:
        pass
    else:
        fsync_dir(path.parent)
    if lock is not None:
        with lock, database.engine.begin() as connection:
            connection.execute(delete(TABLE).where(TABLE.c.id == row.id))
    else:
        with database.engine.begin() as connection:
            connection.execute(delete(TABLE).where(TABLE.c.id == row.id))
    return True


def adopt_loose_uploads(uploads_dir: str | os.PathLike[str], owner: int) -> list[Path]:
    """Move audio files lying directly in the uploads folder (uploaded before uploads were
    per account) into ``owner``'s folder — the companion's local account, who owns the install.
    Files nobody adopts stay nobody's: the index never offers them."""
    uploads = Path(uploads_dir).expanduser().resolve()
    if not uploads.is_dir():
        return []
    moved: list[Path] = []
    target = owner_folder(uploads, owner)
    for entry in sorted(uploads.iterdir()):
        if entry.name.startswith(".") or not entry.is_file() or entry.is_symlink():
            continue
        if entry.suffix.lower() not in AUDIO_EXTENSIONS and entry.suffix != "":
            continue
        target.mkdir(parents=True, exist_ok=True)
        moved.append(_place(entry, target, entry.name))
    if moved:
        fsync_dir(target)
        fsync_dir(uploads)
    return moved
