"""The sample library index: the producer's folders of WAV/AIFF/FLAC files, kept in the database.

A scan walks the folders, compares each file's size and mtime with the stored row and reads the
header only of new or changed files (names → chunks → header; no audio decoding), writing rows in
batches. That makes a restart rescan of a 10,000-file library a directory walk and one query.
Audio analysis (tempo of loops without a BPM, pitch of tuned one-shots without a root note, a key
hint for tonal loops) is a separate, resumable second pass, :meth:`SampleIndex.analyze_pending`.

Bad files (text named .wav, truncated or hostile headers) get a row with ``error`` set — logged
once with the reason, never re-read until they change, never offered to search or selection.
Readable files a set cannot use (a 5-hour "loop", 6 channels: :mod:`companion.samples.limits`)
get ``unusable`` set with the reason: listed with it, never offered to selection.
Rows of a library folder that is missing (an unplugged drive) are kept, not deleted.

Uploads live in ``<uploads>/<account id>/`` and their rows carry that ``owner_id`` (worked out
from where the file really is, so a rescan or a lost row can never make an upload shared);
everything else is the shared library (``owner_id`` None).
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, Field
from sqlalchemy import Connection, bindparam, delete, func, select, update
from sqlalchemy.exc import IntegrityError

from companion.db import Database, Sample, utcnow
from companion.music.styles import STYLE_TABLE
from companion.music.theory import normalize_key, pitch_class
from companion.samples.audio_info import (
    AUDIO_EXTENSIONS,
    AudioInfo,
    SampleError,
    read_audio_info,
    read_mono,
    sniff_file,
)
from companion.samples.limits import row_unusable
from companion.samples.naming import TONAL_KINDS, NameInfo, parse_sample_name
from companion.settings import KIT_FOLDER_NAME, Settings

log = logging.getLogger(__name__)

BATCH = 500  # rows per transaction
# System litter, and MusiaIA's own kit when it lives in the User Library (it is offered as the
# kit already; indexing it would count it twice).
SKIP_DIRS = frozenset(
    {"__MACOSX", "$RECYCLE.BIN", "System Volume Information", "@eaDir", KIT_FOLDER_NAME}
)
LOGGED_SKIPS = 50  # bad files logged one by one per pass; the rest are counted
ANALYSIS_SECONDS = {True: 30.0, False: 2.0}  # audio decoded per loop / per one-shot
# Octave a bare note name ("808_E") most likely sits in, per kind (Live numbering: C3 = 60).
DEFAULT_OCTAVE_BASE = {"808": 36, "bass": 36, "vocal": 60}
TABLE = Sample.__table__
NO_OWNER = 0  # a file loose in the uploads folder: nobody's, so nobody is offered it

Reader = Callable[[Path], AudioInfo]


class SkippedFile(BaseModel):
    path: str
    reason: str


class ScanReport(BaseModel):
    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    skipped: list[SkippedFile] = Field(default_factory=list)
    unusable: list[SkippedFile] = Field(default_factory=list)
    unavailable_roots: list[str] = Field(default_factory=list)
    seconds: float = 0.0

    @property
    def changed(self) -> int:
        return self.added + self.updated + self.removed


@dataclass(frozen=True, slots=True)
class FileStat:
    path: str
    size: int
    mtime: float


# --- pure pieces ---------------------------------------------------------------------------------


def style_bpm_range(styles: Iterable[str]) -> tuple[float, float] | None:
    """The tempo window of the first known style, widened 10% (for the tempo estimator)."""
    for style in styles:
        profile = STYLE_TABLE.get(style)
        if profile is not None:
            low, high = profile.bpm_range
            return low * 0.9, high * 1.1
    return None


def root_from_note(note: str, kind: str | None, estimate: float | None = None) -> int:
    """MIDI root for a bare note name: the octave nearest an audio estimate, else the usual
    register of the kind (an 808 in E → E1 = 40)."""
    pc = pitch_class(note)
    if estimate is not None:
        base = round((estimate - pc) / 12) * 12 + pc
        return int(min(max(base, 0), 127))
    return DEFAULT_OCTAVE_BASE.get(kind or "", 60) + pc


def needs_analysis(
    kind: str | None, is_loop: bool, bpm: float | None, root_note: int | None, note_known: bool
) -> bool:
    """Whether decoding the audio could add something the names and chunks did not say."""
    if is_loop:
        return bpm is None
    return kind in TONAL_KINDS and (root_note is None or note_known)


def describe(stat: FileStat, root: str, info: AudioInfo, name: NameInfo) -> dict:
    """The stored row of one readable file: names first, then chunks (policy of §5.4)."""
    is_loop = name.is_loop
    if info.acid_loop is not None and name.loop_confidence < 0.9:
        is_loop = info.acid_loop
    bpm: float | None = None
    bpm_source: str | None = None
    acid_tempo = info.acid.tempo if info.acid is not None else None
    if name.bpm is not None and name.bpm_confidence >= 0.8:
        bpm, bpm_source = name.bpm, "name"
    elif is_loop and acid_tempo is not None:
        bpm, bpm_source = acid_tempo, "acid"
    elif name.bpm is not None and is_loop:
        bpm, bpm_source = name.bpm, "name"
    key = normalize_key(name.key) if name.key else None
    root_note = info.root_note if info.root_note is not None else name.root_note
    note_only = root_note is None and name.note is not None and name.kind in TONAL_KINDS
    if note_only:
        root_note = root_from_note(name.note or "C", name.kind)
    duration = info.duration
    row = {
        "path": stat.path,
        "root": root,
        "size": stat.size,
        "mtime": stat.mtime,
        "sha256": None,
        "kind": name.kind,
        "subtype": name.subtype,
        "kind_confidence": name.kind_confidence,
        "is_loop": is_loop,
        "bpm": bpm,
        "bpm_source": bpm_source,
        "bars": round(duration * bpm / 240.0, 3) if bpm and is_loop else None,
        "key": key,
        "key_source": "name" if key else None,
        "root_note": root_note,
        "duration": round(duration, 6),
        "sample_rate": info.sample_rate,
        "channels": info.channels,
        "bit_depth": info.bit_depth,
        "format": info.format,
        "tags": list(name.tags),
        "analyzed": not needs_analysis(name.kind, is_loop, bpm, root_note, note_only),
        "error": None,
        "indexed_at": utcnow(),
    }
    return row | {"unusable": row_unusable(row)}


def error_row(stat: FileStat, root: str, reason: str) -> dict:
    blank = dict.fromkeys(
        ("sha256", "kind", "subtype", "bpm", "bpm_source", "bars", "key", "key_source"), None
    )
    blank |= dict.fromkeys(
        ("root_note", "duration", "sample_rate", "channels", "bit_depth", "format"), None
    )
    return blank | {
        "path": stat.path,
        "root": root,
        "size": stat.size,
        "mtime": stat.mtime,
        "kind_confidence": 0.0,
        "is_loop": False,
        "tags": [],
        "analyzed": True,
        "error": reason,
        "unusable": None,
        "indexed_at": utcnow(),
    }


# --- file system ---------------------------------------------------------------------------------


def _skipped(parts: Iterable[str]) -> bool:
    return any(part.startswith(".") or part in SKIP_DIRS for part in parts)


def walk_library(root: Path) -> Iterator[FileStat]:
    """Audio files (by extension, plus extension-less files) under ``root``; hidden files and
    folders, OS litter and symlink loops are skipped, unreadable folders logged and skipped."""
    stack = [str(root)]
    visited: set[tuple[int, int]] = set()
    while stack:
        folder = stack.pop()
        try:
            status = os.stat(folder)
            marker = (status.st_dev, status.st_ino)
            if marker in visited:
                continue
            visited.add(marker)
            with os.scandir(folder) as iterator:
                entries = list(iterator)
        except OSError as exc:
            log.warning("sample folder unreadable: %s (%s)", folder, exc.strerror or exc)
            continue
        for entry in entries:
            name = entry.name
            if name.startswith(".") or name in SKIP_DIRS:
                continue
            try:
                if entry.is_dir(follow_symlinks=True):
                    stack.append(entry.path)
                    continue
                extension = os.path.splitext(name)[1].lower()
                if extension not in AUDIO_EXTENSIONS and extension != "":
                    continue
                if not entry.is_file(follow_symlinks=True):
                    continue
                status = entry.stat(follow_symlinks=True)
            except OSError:
                continue
            yield FileStat(entry.path, status.st_size, status.st_mtime)


def file_sha256(path: str | os.PathLike[str]) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _is_within(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


# --- the index -----------------------------------------------------------------------------------


class SampleIndex:
    """Keeps the ``samples`` table in step with the library folders (thread-safe)."""

    def __init__(
        self,
        database: Database,
        folders: Iterable[str | os.PathLike[str]],
        *,
        reader: Reader = read_audio_info,
        uploads: str | os.PathLike[str] | None = None,
    ) -> None:
        self.database = database
        # The uploads folder, whose files belong to the account named by their first folder.
        self.uploads = Path(uploads).expanduser().resolve() if uploads is not None else None
        roots: list[Path] = []
        for folder in folders:
            path = Path(folder).expanduser().resolve()
            if path not in roots:
                roots.append(path)
        # A folder inside another is already covered by the outer one.
        self.roots: tuple[Path, ...] = tuple(
            r for r in roots if not any(o != r and o in r.parents for o in roots)
        )
        self._reader = reader
        self.lock = threading.RLock()
        self.reads = 0  # header reads (the incremental tests and the benchmark count these)
        self.decodes = 0  # audio decodes by the analysis pass

    # -- helpers ---------------------------------------------------------------------------------

    def root_for(self, path: str | os.PathLike[str]) -> Path | None:
        text = os.fspath(path)
        for root in self.roots:
            if _is_within(text, str(root)):
                return root
        return None

    def owner_of(self, path: str | os.PathLike[str]) -> int | None:
        """The account a file belongs to: None for the shared library, the id its uploads
        folder is named for, :data:`NO_OWNER` for a file loose in the uploads folder. Decided by
        where the file really is (links resolved), never by a stored value."""
        if self.uploads is None:
            return None
        real = os.path.realpath(path)
        uploads = str(self.uploads)
        if not (_is_within(real, uploads) or _is_within(os.path.abspath(path), uploads)):
            return None
        inside = real if _is_within(real, uploads) else os.path.abspath(path)
        parts = Path(inside).relative_to(uploads).parts
        if len(parts) >= 2 and parts[0].isascii() and parts[0].isdigit() and int(parts[0]) > 0:
            return int(parts[0])
        return NO_OWNER

    def _read(self, stat: FileStat, root: Path) -> dict:
        self.reads += 1
        owner = {"owner_id": self.owner_of(stat.path)}
        try:
            info = self._reader(Path(stat.path))
        except SampleError as exc:
            return error_row(stat, str(root), exc.reason) | owner
        except Exception as exc:  # a reader bug must not stop a 10,000-file scan
            log.exception("sample header reader failed on %s", stat.path)
            return error_row(stat, str(root), f"unexpected error ({type(exc).__name__})") | owner
        name = parse_sample_name(stat.path, root)
        return describe(stat, str(root), info, name) | owner

    def _existing(self, connection: Connection, under: str | None = None) -> dict[str, tuple]:
        query = select(TABLE.c.id, TABLE.c.path, TABLE.c.size, TABLE.c.mtime)
        if under is not None:
            prefix = under.rstrip(os.sep) + os.sep
            query = query.where(
                (TABLE.c.path == under) | (func.substr(TABLE.c.path, 1, len(prefix)) == prefix)
            )
        return {row.path: (row.id, row.size, row.mtime) for row in connection.execute(query)}

    def _write(self, inserts: list[dict], updates: list[dict], deletes: list[int]) -> None:
        if not (inserts or updates or deletes):
            return
        try:
            with self.database.engine.begin() as connection:
                if inserts:
                    connection.execute(TABLE.insert(), inserts)
                if updates:
                    statement = update(TABLE).where(TABLE.c.id == bindparam("_id"))
                    connection.execute(statement, updates)
                for start in range(0, len(deletes), BATCH):
                    chunk = deletes[start : start + BATCH]
                    connection.execute(delete(TABLE).where(TABLE.c.id.in_(chunk)))
        except IntegrityError:
            # Another indexer (the server while `musiaia generate` indexes too) added one of
            # these paths first: write row by row, updating the rows that exist now.
            self._write_each(inserts, updates, deletes)

    def _write_each(self, inserts: list[dict], updates: list[dict], deletes: list[int]) -> None:
        for row in inserts:
            try:
                with self.database.engine.begin() as connection:
                    connection.execute(TABLE.insert(), [row])
            except IntegrityError:
                with self.database.engine.begin() as connection:
                    connection.execute(update(TABLE).where(TABLE.c.path == row["path"]), row)
        with self.database.engine.begin() as connection:
            if updates:
                statement = update(TABLE).where(TABLE.c.id == bindparam("_id"))
                connection.execute(statement, updates)
            if deletes:
                connection.execute(delete(TABLE).where(TABLE.c.id.in_(deletes)))

    def _note_skip(self, report: ScanReport, row: dict) -> None:
        if row["error"] is not None:
            report.skipped.append(SkippedFile(path=row["path"], reason=row["error"]))
            if len(report.skipped) <= LOGGED_SKIPS:
                log.warning("sample skipped: %s (%s)", row["path"], row["error"])
        elif row.get("unusable"):
            report.unusable.append(SkippedFile(path=row["path"], reason=row["unusable"]))
            if len(report.unusable) <= LOGGED_SKIPS:
                log.warning("sample unusable: %s (%s)", row["path"], row["unusable"])

    def _sync(
        self,
        files: Iterable[tuple[FileStat, Path]],
        existing: dict[str, tuple],
        report: ScanReport,
        seen: set[str],
    ) -> None:
        inserts: list[dict] = []
        updates: list[dict] = []
        for stat, root in files:
            seen.add(stat.path)
            old = existing.get(stat.path)
            if old is not None and old[1] == stat.size and old[2] == stat.mtime:
                report.unchanged += 1
                continue
            if os.path.splitext(stat.path)[1] == "" and sniff_file(stat.path) is None:
                seen.discard(stat.path)  # an extension-less file that is not audio: not ours
                continue
            row = self._read(stat, root)
            self._note_skip(report, row)
            if old is None:
                inserts.append(row)
                report.added += 1
            else:
                updates.append(row | {"_id": old[0]})
                report.updated += 1
            if len(inserts) + len(updates) >= BATCH:
                self._write(inserts, updates, [])
                inserts, updates = [], []
        self._write(inserts, updates, [])

    # -- public API ------------------------------------------------------------------------------

    def scan(self, analyze: bool = False) -> ScanReport:
        """Bring the table in line with the folders: add new files, re-read changed ones, drop
        rows of deleted ones (only under folders that are reachable right now)."""
        started = time.perf_counter()
        report = ScanReport()
        with self.lock:
            with self.database.engine.connect() as connection:
                existing = self._existing(connection)
            seen: set[str] = set()
            available: list[Path] = []
            for root in self.roots:
                if not root.is_dir():
                    report.unavailable_roots.append(str(root))
                    log.warning("sample folder not available, keeping its rows: %s", root)
                    continue
                available.append(root)
                self._sync(((s, root) for s in walk_library(root)), existing, report, seen)
            gone = [
                values[0]
                for path, values in existing.items()
                if path not in seen and any(_is_within(path, str(r)) for r in available)
            ]
            self._write([], [], gone)
            report.removed = len(gone)
        if report.skipped:
            log.info("sample scan skipped %d unreadable files", len(report.skipped))
        if report.unusable:
            log.info("sample scan found %d files a set cannot use", len(report.unusable))
        if analyze:
            self.analyze_pending()
        report.seconds = round(time.perf_counter() - started, 4)
        return report

    def update_paths(self, paths: Iterable[str | os.PathLike[str]]) -> ScanReport:
        """Re-check just these paths (files or folders; created, changed, moved or deleted) —
        what the watcher calls with a debounced batch of file-system events."""
        started = time.perf_counter()
        report = ScanReport()
        with self.lock:
            for raw in sorted({os.path.abspath(os.fspath(p)) for p in paths}):
                root = self.root_for(raw)
                if root is None or (raw == str(root) and not root.is_dir()):
                    continue  # outside the library, or a whole library folder gone (unplugged?)
                if _skipped(Path(raw).relative_to(root).parts):
                    continue  # inside a folder a scan skips (hidden, litter, MusiaIA's kit)
                with self.database.engine.connect() as connection:
                    existing = self._existing(connection, under=raw)
                seen: set[str] = set()
                if os.path.isdir(raw):
                    files = ((s, root) for s in walk_library(Path(raw)))
                    self._sync(files, existing, report, seen)
                elif os.path.isfile(raw) and self._wanted(raw):
                    try:
                        status = os.stat(raw)
                    except OSError:
                        status = None
                    if status is not None:
                        stat = FileStat(raw, status.st_size, status.st_mtime)
                        self._sync([(stat, root)], existing, report, seen)
                gone = [values[0] for path, values in existing.items() if path not in seen]
                self._write([], [], gone)
                report.removed += len(gone)
        report.seconds = round(time.perf_counter() - started, 4)
        return report

    @staticmethod
    def _wanted(path: str) -> bool:
        name = os.path.basename(path)
        extension = os.path.splitext(name)[1].lower()
        return not name.startswith(".") and (extension in AUDIO_EXTENSIONS or extension == "")

    def analyze_pending(self, limit: int | None = None) -> int:
        """Decode the files whose names and chunks left a gap (loop tempo, one-shot root note,
        loop key hint) and store what the audio says. Returns how many rows were analysed.

        Resumable: each row is marked ``analyzed`` as it is done; a file changed meanwhile (its
        mtime moved) keeps the fresh row the watcher wrote.
        """
        query = (
            select(TABLE)
            .where(
                TABLE.c.analyzed.is_(False),
                TABLE.c.error.is_(None),
                TABLE.c.unusable.is_(None),
                TABLE.c.root.in_([str(root) for root in self.roots]),
            )
            .order_by(TABLE.c.id)
        )
        if limit is not None:
            query = query.limit(limit)
        with self.database.engine.connect() as connection:
            rows = [dict(row._mapping) for row in connection.execute(query)]
        done = 0
        for start in range(0, len(rows), 50):
            results = [self._analyze(row) for row in rows[start : start + 50]]
            with self.lock, self.database.engine.begin() as connection:
                for row, values in zip(rows[start : start + 50], results, strict=True):
                    statement = (
                        update(TABLE)
                        .where(TABLE.c.id == row["id"], TABLE.c.mtime == row["mtime"])
                        .values(**values, analyzed=True, indexed_at=utcnow())
                    )
                    done += connection.execute(statement).rowcount
        return done

    def _analyze(self, row: dict) -> dict:
        # numpy comes with the analysis, so a companion with an analysed library never loads it.
        from companion.samples.tempo import estimate_key, estimate_pitch, estimate_tempo

        values: dict = {}
        try:
            self.decodes += 1
            samples, rate = read_mono(row["path"], ANALYSIS_SECONDS[bool(row["is_loop"])])
        except SampleError as exc:
            log.warning("sample analysis skipped: %s (%s)", row["path"], exc.reason)
            return values
        if row["is_loop"]:
            if row["bpm"] is None:
                window = style_bpm_range(row["tags"] or ()) or (60.0, 200.0)
                estimate = estimate_tempo(samples, rate, window)
                if estimate is not None:
                    values |= {
                        "bpm": estimate.bpm,
                        "bpm_source": "audio",
                        "bars": round(row["duration"] * estimate.bpm / 240.0, 3),
                    }
            if row["key"] is None and row["kind"] in TONAL_KINDS:
                key = estimate_key(samples, rate)
                if key is not None:
                    values |= {"key": key.key, "key_source": "audio"}
            if "bpm" in values:
                reason = row_unusable(row | values)
                if reason is not None:
                    log.warning("sample unusable: %s (%s)", row["path"], reason)
                values["unusable"] = reason
        elif row["kind"] in TONAL_KINDS:
            pitch = estimate_pitch(samples, rate)
            name = parse_sample_name(row["path"], row["root"])
            if name.note is not None:
                values["root_note"] = root_from_note(
                    name.note, row["kind"], pitch.midi if pitch else None
                )
            elif pitch is not None:
                values["root_note"] = pitch.note
        return values

    def sha256(self, sample_id: int) -> str | None:
        """The file's SHA-256, computed on first request and stored (uploads store it at once)."""
        with self.database.engine.connect() as connection:
            row = connection.execute(
                select(TABLE.c.path, TABLE.c.sha256, TABLE.c.mtime).where(TABLE.c.id == sample_id)
            ).first()
        if row is None:
            return None
        if row.sha256:
            return row.sha256
        try:
            digest = file_sha256(row.path)
        except OSError:
            return None
        with self.lock, self.database.engine.begin() as connection:
            connection.execute(
                update(TABLE)
                .where(TABLE.c.id == sample_id, TABLE.c.mtime == row.mtime)
                .values(sha256=digest)
            )
        return digest

    def count(self) -> int:
        with self.database.engine.connect() as connection:
            return int(connection.execute(select(func.count()).select_from(TABLE)).scalar_one())


def library_index(settings: Settings, database: Database, **options) -> SampleIndex:
    """The index of a companion's library: its sample folders plus the per-account uploads."""
    return SampleIndex(database, settings.sample_folders, uploads=settings.uploads_dir, **options)
