"""A Live Project folder on disk: the set, one MIDI file per part and the arrangement as JSON.

Layout (``<Name>`` is the song name, ``vN`` the version; version 1 has no suffix)::

    <Name> Project/
        <Name>.als                      <Name> v2.als ...
        MIDI/<Name>/01 Drums.mid ...    MIDI/<Name> v2/...
        MusiaIA/<Name>.json             MusiaIA/<Name> v2.json

A new project appears all at once (built in a hidden folder, then renamed) and never replaces an
existing one; a new version adds files next to the old ones and writes its .als last, each file
atomically, so a crash leaves either the old state or a complete new version.
"""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Protocol

from companion.als.writer import als_bytes
from companion.arrangement import Arrangement
from companion.fsutil import atomic_write_bytes, ensure_writable_dir, fsync_dir, safe_name
from companion.midi_files import part_midi_bytes

PROJECT_SUFFIX = " Project"
MAX_PROJECT_ATTEMPTS = 1000
STAGING_PREFIX = ".musiaia-"


def staging_name() -> str:
    """A hidden staging folder's name; it carries our process id so that a later start can tell
    a folder a killed writer left behind from one a running writer is still filling."""
    return f"{STAGING_PREFIX}{os.getpid()}-{secrets.token_hex(8)}"


class SampleUnavailable(OSError):
    """A sample to copy into the project cannot be read (it vanished after it was chosen)."""

    def __init__(self, relative: str, source: Path, reason: str) -> None:
        self.relative = relative
        self.source = Path(source)
        super().__init__(f"{self.source.name}: {reason}")


def _sample_bytes(relative: str, source: Path) -> bytes:
    try:
        return Path(source).read_bytes()
    except OSError as exc:
        raise SampleUnavailable(relative, source, exc.strerror or str(exc)) from exc


def _sample_mtime(relative: str, source: Path) -> float:
    try:
        return Path(source).stat().st_mtime
    except OSError as exc:
        raise SampleUnavailable(relative, source, exc.strerror or str(exc)) from exc


@dataclass(frozen=True)
class WrittenProject:
    folder: Path
    name: str
    version: int
    als: Path
    midi: tuple[Path, ...]
    arrangement_json: Path


def version_stem(name: str, version: int) -> str:
    return name if version <= 1 else f"{name} v{version}"


def render_files(
    arrangement: Arrangement,
    name: str,
    version: int = 1,
    live_version: str | int = 11,
    project_dir: Path | None = None,
    samples: Mapping[str, Path] | None = None,
    shared: Collection[str] = (),
) -> dict[PurePosixPath, bytes]:
    """Every file of one version, as relative path → bytes (samples read from ``samples``,
    project path → source file, except the ``shared`` ones, which are linked when published).
    ``project_dir`` is where the folder will be, for the set's absolute sample paths."""
    stem = version_stem(name, version)
    files: dict[PurePosixPath, bytes] = {}
    for relative, source in sorted((samples or {}).items()):
        if relative not in shared:
            files[PurePosixPath(relative)] = _sample_bytes(relative, source)
    for index, track in enumerate(arrangement.tracks):
        if track.is_audio:
            continue  # an audio loop has no notes: its file is in Samples/, played by the set
        part = safe_name(f"{index + 1:02d} {track.name}", fallback=f"{index + 1:02d} Part")
        files[PurePosixPath("MIDI", stem, f"{part}.mid")] = part_midi_bytes(
            arrangement, track, channel=index % 16
        )
    files[PurePosixPath("MusiaIA", f"{stem}.json")] = arrangement.model_dump_json().encode()
    files[PurePosixPath(f"{stem}.als")] = als_bytes(arrangement, live_version, project_dir)
    return files


def _mtimes(
    samples: Mapping[str, Path] | None, shared: Collection[str] = ()
) -> dict[PurePosixPath, float]:
    """Copied samples keep their modification time: the set records it (LastModDate)."""
    return {
        PurePosixPath(rel): _sample_mtime(rel, src)
        for rel, src in (samples or {}).items()
        if rel not in shared
    }


def _links(
    samples: Mapping[str, Path] | None, shared: Collection[str]
) -> dict[PurePosixPath, Path]:
    return {PurePosixPath(rel): Path(src) for rel, src in (samples or {}).items() if rel in shared}


def _link_or_copy(source: Path, target: Path) -> None:
    """``target`` becomes ``source``'s file: a hard link (same data, nothing written, mtime kept)
    or, across file systems or where links are refused, a durable copy with the same mtime."""
    try:
        os.link(source, target)
        return
    except OSError:
        pass
    data = source.read_bytes()
    with open(target, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    stat = source.stat()
    os.utime(target, (stat.st_atime, stat.st_mtime))


def _result(
    folder: Path, name: str, version: int, files: dict[PurePosixPath, bytes]
) -> WrittenProject:
    paths = [folder / Path(*rel.parts) for rel in files]
    return WrittenProject(
        folder=folder,
        name=name,
        version=version,
        als=next(p for p in paths if p.suffix == ".als"),
        midi=tuple(p for p in paths if p.suffix == ".mid"),
        arrangement_json=next(p for p in paths if p.suffix == ".json"),
    )


@dataclass(frozen=True)
class Rendered:
    """A version's files in memory, ready to be published."""

    arrangement: Arrangement
    name: str
    version: int
    files: dict[PurePosixPath, bytes]
    mtimes: dict[PurePosixPath, float] = field(default_factory=dict)
    samples: Mapping[str, Path] = field(default_factory=dict)
    links: dict[PurePosixPath, Path] = field(default_factory=dict)  # shared samples
    shared: frozenset[str] = frozenset()


class ProjectTarget(Protocol):
    """Where a generated song goes: rendering (pure) and publishing (disk) are separate steps so
    the pipeline can report and time them separately."""

    def render(
        self,
        arrangement: Arrangement,
        samples: Mapping[str, Path] | None = None,
        shared: Collection[str] = (),
    ) -> Rendered: ...

    def publish(self, rendered: Rendered) -> WrittenProject: ...


@dataclass(frozen=True)
class NewProject:
    """A new project folder under ``out_dir``; a taken name gets " 2", " 3"… appended."""

    out_dir: Path
    name: str | None = None
    live_version: str | int = 11

    def _free_name(self, out: Path, base: str, start: int = 1) -> str:
        for attempt in range(start, MAX_PROJECT_ATTEMPTS + 1):
            song = base if attempt == 1 else f"{base} {attempt}"
            if not (out / f"{song}{PROJECT_SUFFIX}").exists():
                return song
        raise FileExistsError(f"too many projects named {base!r} in {out}")

    def render(
        self,
        arrangement: Arrangement,
        samples: Mapping[str, Path] | None = None,
        shared: Collection[str] = (),
    ) -> Rendered:
        out = ensure_writable_dir(Path(self.out_dir))
        song = self._free_name(out, safe_name(self.name or arrangement.title))
        return self._rendered(arrangement, song, out, samples or {}, frozenset(shared))

    def _rendered(
        self,
        arrangement: Arrangement,
        song: str,
        out: Path,
        samples: Mapping[str, Path],
        shared: frozenset[str],
    ) -> Rendered:
        folder = (out / f"{song}{PROJECT_SUFFIX}").resolve()
        files = render_files(arrangement, song, 1, self.live_version, folder, samples, shared)
        return Rendered(
            arrangement,
            song,
            1,
            files,
            _mtimes(samples, shared),
            samples,
            _links(samples, shared),
            shared,
        )

    def publish(self, rendered: Rendered) -> WrittenProject:
        out = ensure_writable_dir(Path(self.out_dir))
        base = safe_name(self.name or rendered.arrangement.title)
        for _ in range(MAX_PROJECT_ATTEMPTS):
            folder = out / f"{rendered.name}{PROJECT_SUFFIX}"
            if not folder.exists() and _publish(
                rendered.files, out, folder, rendered.mtimes, rendered.links
            ):
                return _result(folder, rendered.name, 1, rendered.files)
            # Someone took the name since rendering: the files carry the name, so render again.
            song = self._free_name(out, base, start=2)
            rendered = self._rendered(
                rendered.arrangement, song, out, rendered.samples, rendered.shared
            )
        raise FileExistsError(f"too many projects named {base!r} in {out}")


@dataclass(frozen=True)
class NewVersion:
    """Version ``version`` (≥ 2) of an existing project; earlier versions stay untouched."""

    folder: Path
    name: str
    version: int
    live_version: str | int = 11

    def render(
        self,
        arrangement: Arrangement,
        samples: Mapping[str, Path] | None = None,
        shared: Collection[str] = (),
    ) -> Rendered:
        if self.version < 2:
            raise ValueError("versions added to a project start at 2")
        if not Path(self.folder).is_dir():
            raise FileNotFoundError(f"project folder {self.folder} does not exist")
        folder = Path(self.folder).resolve()
        shared = frozenset(shared)
        files = render_files(
            arrangement, self.name, self.version, self.live_version, folder, samples, shared
        )
        return Rendered(
            arrangement,
            self.name,
            self.version,
            files,
            _mtimes(samples, shared),
            samples or {},
            _links(samples, shared),
            shared,
        )

    def publish(self, rendered: Rendered) -> WrittenProject:
        folder = Path(self.folder)
        als_rel = next(rel for rel in rendered.files if rel.suffix == ".als")
        if (folder / Path(*als_rel.parts)).exists():
            raise FileExistsError(f"version {self.version} of {self.name!r} already exists")
        for rel, source in sorted(rendered.links.items()):
            target = folder / Path(*rel.parts)
            if target.is_file() and (
                os.path.samefile(target, source) or target.read_bytes() == source.read_bytes()
            ):
                continue  # a sample an earlier version already brought in
            target.parent.mkdir(parents=True, exist_ok=True)
            staged = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
            try:
                _link_or_copy(source, staged)
                os.replace(staged, target)
            finally:
                staged.unlink(missing_ok=True)
            fsync_dir(target.parent)
        # The .als goes last: until it exists, the version does not.
        for rel, data in sorted(rendered.files.items(), key=lambda item: item[0] == als_rel):
            target = folder / Path(*rel.parts)
            if (
                rel in rendered.mtimes
                and target.is_file()
                and target.stat().st_size == len(data)
                and target.read_bytes() == data
            ):
                continue  # a sample an earlier version already brought in
            target.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_bytes(target, data)
            if rel in rendered.mtimes:
                os.utime(target, (rendered.mtimes[rel], rendered.mtimes[rel]))
        return _result(folder, self.name, self.version, rendered.files)


def write_project(
    arrangement: Arrangement,
    out_dir: str | Path,
    name: str | None = None,
    live_version: str | int = 11,
) -> WrittenProject:
    target = NewProject(Path(out_dir), name, live_version)
    return target.publish(target.render(arrangement))


def write_version(
    arrangement: Arrangement,
    folder: str | Path,
    name: str,
    version: int,
    live_version: str | int = 11,
) -> WrittenProject:
    target = NewVersion(Path(folder), name, version, live_version)
    return target.publish(target.render(arrangement))


def _publish(
    files: dict[PurePosixPath, bytes],
    out: Path,
    folder: Path,
    mtimes: Mapping[PurePosixPath, float] | None = None,
    links: Mapping[PurePosixPath, Path] | None = None,
) -> bool:
    """Write the files into a hidden staging folder, then rename it into place in one step."""
    staging = out / staging_name()
    staging.mkdir()  # honours the umask, unlike tempfile.mkdtemp's private 0700 folders
    try:
        for rel, data in files.items():
            target = staging / Path(*rel.parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            with open(target, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            if mtimes and rel in mtimes:
                os.utime(target, (mtimes[rel], mtimes[rel]))
        for rel, source in (links or {}).items():
            target = staging / Path(*rel.parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            _link_or_copy(source, target)
        for directory in sorted({p for p in staging.rglob("*") if p.is_dir()}, reverse=True):
            fsync_dir(directory)  # the new entries (links included) are on disk before the rename
        try:
            os.rename(staging, folder)
        except OSError:
            if folder.exists():  # someone took the name meanwhile
                return False
            raise
        fsync_dir(out)
        return True
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
