"""Projects of a user: create from a request, modify into new versions, list, read, export.

Files live under ``<data>/projects/<user>/``; the database keeps each project's versions with the
full configuration that produced them (requirements and resolved spec) so any version can be
explained, reproduced or modified again. Paths handed out always resolve inside the data folder.
"""

from __future__ import annotations

import io
import json
import logging
import os
import threading
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from companion.arrangement import Arrangement
from companion.db import Database, Project, ProjectSample, ProjectVersion, User, utcnow
from companion.kit.catalogue import PREFIX as KIT_PREFIX
from companion.live.limits import live_limits
from companion.music.spec import SongSpec
from companion.pipeline import Generation, Progress, generate
from companion.production.layout import join_drums
from companion.project_files import NewProject, NewVersion, WrittenProject, version_stem
from companion.requirements import Requirements, Understanding
from companion.settings import Settings
from companion.sounds import SoundSource, kept_sources
from companion.user_folders import folder_of

log = logging.getLogger("musiaia.projects")
LIVE = "live"  # the engine of versions answered on the producer's own material in Live
FACTS_CACHE_SIZE = 256  # projects whose chat facts are kept in memory
RENDERS_FOLDER = "MusiaIA/Renders"  # the rendered audio of each version (a cache)


def _log_generation(
    event: str, username: str, project_id: str, version: int, generation: Generation
) -> None:
    log.info(
        event,
        extra={
            "user": username,
            "project": project_id,
            "version": version,
            "style": generation.spec.style,
            "bpm": generation.spec.bpm,
            "key": generation.spec.key,
            "bars": generation.spec.bars,
            "generation_ms": round(sum(generation.timings.values()) * 1000, 1),
        },
    )


class NotFound(LookupError):
    """No such project for this user (also when it exists but belongs to someone else)."""


class UnsafePath(PermissionError):
    """A stored path that would leave the data folder (e.g. through a symlink)."""


class SampleNotFound(NotFound):
    """No such sample in this project version (not one its arrangement plays, or not audio)."""


# Audio a browser can be handed, recognised by content (library files may have no extension).
_AUDIO_MAGIC: tuple[tuple[bytes, bytes | None, str], ...] = (
    (b"RIFF", b"WAVE", "audio/wav"),
    (b"RF64", b"WAVE", "audio/wav"),
    (b"FORM", b"AIFF", "audio/aiff"),
    (b"FORM", b"AIFC", "audio/aiff"),
    (b"fLaC", None, "audio/flac"),
)


def audio_media_type(path: Path) -> str | None:
    """The audio content type of a file from its first bytes, or None when it is not audio."""
    with path.open("rb") as handle:
        head = handle.read(12)
    for magic, form, media in _AUDIO_MAGIC:
        if head[:4] == magic and (form is None or head[8:12] == form):
            return media
    return None


def sample_paths(arrangement: Arrangement) -> set[str]:
    """Every sample file an arrangement plays: drum pads, Simplers, audio loops."""
    paths: set[str] = set()
    for track in arrangement.tracks:
        if track.audio is not None:
            paths.add(track.audio.sample.path)
        if track.instrument is not None:
            paths.update(sample.path for sample in track.instrument.samples())
    return paths


@dataclass(frozen=True)
class ProjectOutcome:
    project_id: str
    name: str
    version: int
    generation: Generation
    previous_spec: SongSpec | None = None


class ProjectService:
    def __init__(
        self, settings: Settings, database: Database, sounds: SoundSource | None = None
    ) -> None:
        self.settings = settings
        self.db = database
        self.sounds = sounds
        self._facts_cache: dict[tuple, dict] = {}  # arrangement file version → chat facts
        self._facts_lock = threading.Lock()

    # ----------------------------------------------------------------------------- paths
    def user_folder(self, user: User) -> Path:
        """Where the user's new projects go: a folder no other account shares."""
        return self.settings.projects_dir / folder_of(user)

    def relative(self, path: Path) -> str:
        return Path(os.path.relpath(path, self.settings.data_dir)).as_posix()

    def resolve_inside(self, relative: str) -> Path:
        """Absolute path of a stored relative path; anything outside the data folder is refused."""
        root = self.settings.data_dir.resolve()
        candidate = (root / relative).resolve()
        if not candidate.is_relative_to(root):
            raise UnsafePath(f"{relative!r} is outside the data folder")
        return candidate

    # ----------------------------------------------------------------------------- create
    def create(
        self,
        user: User,
        *,
        text: str | None = None,
        requirements: Requirements | None = None,
        understanding: Understanding | None = None,
        seed: int | None = None,
        progress: Progress | None = None,
        engine: str = "offline",
    ) -> ProjectOutcome:
        folder = self.user_folder(user)
        generation = generate(
            text,
            requirements=requirements,
            understanding=understanding,
            seed=seed,
            out_dir=folder,
            live_version=self.settings.live_version,
            progress=progress,
            sounds=self.sounds.chooser(owner=user.id) if self.sounds is not None else None,
        )
        written = generation.project
        assert written is not None
        with self.db.session() as session:
            project = Project(
                user_id=user.id,
                name=written.name,
                folder=self.relative(written.folder),
                style=generation.spec.style,
                bpm=generation.spec.bpm,
                key=generation.spec.key,
                bars=generation.spec.bars,
            )
            session.add(project)
            session.flush()
            session.add(self._version_row(project.id, 1, written, generation, "", engine))
            self._record_samples(session, project.id, 1, generation)
            project_id = project.id
        _log_generation("project created", user.username, project_id, 1, generation)
        return ProjectOutcome(
            project_id=project_id, name=written.name, version=1, generation=generation
        )

    def _version_row(
        self,
        project_id: str,
        number: int,
        written: WrittenProject,
        generation: Generation,
        changes: str,
        engine: str,
    ) -> ProjectVersion:
        return ProjectVersion(
            project_id=project_id,
            number=number,
            als_path=self.relative(written.als),
            arrangement_path=self.relative(written.arrangement_json),
            requirements=generation.understanding.requirements.model_dump(mode="json"),
            spec=generation.spec.model_dump(mode="json"),
            changes=changes,
            engine=engine,
            warnings=list(generation.warnings),
        )

    # ----------------------------------------------------------------------------- modify
    def modify(
        self,
        user: User,
        project_id: str,
        understanding: Understanding,
        progress: Progress | None = None,
        engine: str = "offline",
        describe=None,
    ) -> ProjectOutcome:
        """Apply a modification to the project's latest version and write the next version."""
        with self.db.session() as session:
            project = self._owned(session, user, project_id)
            latest = project.versions[-1]
            base = SongSpec.model_validate(latest.spec)
            folder = self.resolve_inside(project.folder)
            name, number = project.name, latest.number + 1
            previous = self.resolve_inside(latest.arrangement_path)
        while (folder / f"{version_stem(name, number)}.als").exists():
            number += 1  # a version written but never recorded (interrupted): keep its files
        # The next version keeps the sounds of the parts it keeps: a change of tempo or key
        # must not change the kick.
        previous_tracks = Arrangement.model_validate_json(previous.read_bytes()).tracks
        keep = join_drums(previous_tracks)  # the kit split over Kick, Snare, Drums: one rack
        keep_loops = {t.role: t.audio for t in previous_tracks if t.audio is not None}
        requirements = understanding.requirements.model_copy(update={"intent": "modify_project"})
        generation = generate(
            understanding=understanding.model_copy(update={"requirements": requirements}),
            requirements=requirements,
            base=base,
            adjustments=understanding.adjustments,
            progress=progress,
            target=NewVersion(folder, name, number, self.settings.live_version),
            sounds=(
                self.sounds.chooser(
                    keep, kept_sources(folder, keep, keep_loops), keep_loops, owner=user.id
                )
                if self.sounds is not None
                else None
            ),
        )
        changes = describe(base, generation.spec) if describe else ""
        with self.db.session() as session:
            project = self._owned(session, user, project_id)
            written = generation.project
            assert written is not None
            session.add(self._version_row(project.id, number, written, generation, changes, engine))
            self._record_samples(session, project.id, number, generation)
            project.bpm, project.key = generation.spec.bpm, generation.spec.key
            project.style, project.bars = generation.spec.style, generation.spec.bars
            project.updated_at = utcnow()
        _log_generation("project version created", user.username, project_id, number, generation)
        return ProjectOutcome(
            project_id=project_id,
            name=name,
            version=number,
            generation=generation,
            previous_spec=base,
        )

    # ----------------------------------------------------------------------------- from Live
    def save_from_live(
        self,
        user: User,
        arrangement: Arrangement,
        spec: SongSpec,
        requirements: Requirements,
        changes: str,
        project_id: str | None = None,
    ) -> ProjectOutcome:
        """Write a part answered on the producer's own material (with that material) as a new
        project, or as the next version of ``project_id``. Such versions are not composed from
        their spec, so they are marked ``engine="live"`` and never modified by recomposing."""
        understanding = Understanding(requirements=requirements)
        if project_id is None:
            target = NewProject(self.user_folder(user), live_version=self.settings.live_version)
            number = 1
        else:
            with self.db.session() as session:
                project = self._owned(session, user, project_id)
                folder = self.resolve_inside(project.folder)
                name, number = project.name, project.versions[-1].number + 1
            while (folder / f"{version_stem(name, number)}.als").exists():
                number += 1
            target = NewVersion(folder, name, number, self.settings.live_version)
        written = target.publish(target.render(arrangement, {}, set()))
        generation = Generation(
            understanding=understanding, spec=spec, arrangement=arrangement, project=written
        )
        with self.db.session() as session:
            if project_id is None:
                project = Project(
                    user_id=user.id,
                    name=written.name,
                    folder=self.relative(written.folder),
                    style=spec.style,
                    bpm=spec.bpm,
                    key=spec.key,
                    bars=spec.bars,
                )
                session.add(project)
                session.flush()
            else:
                project = self._owned(session, user, project_id)
                project.bpm, project.key, project.bars = spec.bpm, spec.key, spec.bars
                project.updated_at = utcnow()
            session.add(self._version_row(project.id, number, written, generation, changes, LIVE))
            saved_id = project.id
        log.info(
            "project version from Live",
            extra={"user": user.username, "project": saved_id, "version": number},
        )
        return ProjectOutcome(
            project_id=saved_id, name=written.name, version=number, generation=generation
        )

    def is_from_live(self, user: User, project_id: str) -> bool:
        with self.db.session() as session:
            return self._owned(session, user, project_id).versions[-1].engine == LIVE

    @staticmethod
    def _record_samples(
        session: Session, project_id: str, version: int, generation: Generation
    ) -> None:
        """Which sample each pad and part plays in this version (project_samples)."""
        for track in generation.arrangement.tracks:
            instrument = track.instrument
            if track.audio is not None:
                entries = [("loop", None, track.audio.sample)]
            elif instrument is not None:
                entries = [(pad.name, pad.note, pad.sample) for pad in instrument.pads]
                entries += [(track.role, None, zone.sample) for zone in instrument.zones]
                if instrument.sample is not None:
                    entries.append((track.role, None, instrument.sample))
            else:
                continue
            for slot, note, sample in entries:
                session.add(
                    ProjectSample(
                        project_id=project_id,
                        version=version,
                        part=track.role,
                        slot=slot,
                        pad_note=note,
                        root_note=sample.root_note,
                        path=sample.path,
                        source="kit" if sample.name.startswith(KIT_PREFIX) else "library",
                    )
                )

    def samples_of(self, session: Session, project_id: str, version: int) -> list[dict]:
        rows = session.scalars(
            select(ProjectSample)
            .where(ProjectSample.project_id == project_id, ProjectSample.version == version)
            .order_by(ProjectSample.id)
        ).all()
        return [
            {
                "part": r.part,
                "slot": r.slot,
                "pad_note": r.pad_note,
                "root_note": r.root_note,
                "path": r.path,
                "source": r.source,
            }
            for r in rows
        ]

    # ----------------------------------------------------------------------------- read
    def _owned(self, session: Session, user: User, project_id: str) -> Project:
        project = session.get(Project, project_id) if isinstance(project_id, str) else None
        if project is None or project.user_id != user.id:
            raise NotFound(project_id)
        return project

    def list(self, user: User) -> list[dict]:
        with self.db.session() as session:
            counts = dict(
                session.execute(
                    select(ProjectVersion.project_id, func.count())
                    .join(Project)
                    .where(Project.user_id == user.id)
                    .group_by(ProjectVersion.project_id)
                ).all()
            )
            projects = session.scalars(
                select(Project)
                .where(Project.user_id == user.id)
                .order_by(Project.created_at.desc(), Project.id)
            ).all()
            return [self._summary(p, counts.get(p.id, 0)) for p in projects]

    @staticmethod
    def _summary(project: Project, versions: int) -> dict:
        return {
            "id": project.id,
            "name": project.name,
            "style": project.style,
            "bpm": project.bpm,
            "key": project.key,
            "bars": project.bars,
            "created_at": project.created_at,
            "updated_at": project.updated_at,
            "versions": versions,
        }

    def latest_id(
        self, user: User, name_hint: str | None = None, composable: bool = False
    ) -> str | None:
        """The project a modification is about: one whose name the message mentions, else the
        most recently changed one. ``composable``: only projects whose latest version the engine
        composed (a version answered on material from Live cannot be recomposed)."""
        with self.db.session() as session:
            projects = session.scalars(
                select(Project)
                .where(Project.user_id == user.id)
                .order_by(Project.updated_at.desc())
            ).all()
            if composable:
                projects = [p for p in projects if p.versions and p.versions[-1].engine != LIVE]
            if not projects:
                return None
            if name_hint:
                folded = name_hint.lower()
                named = [p for p in projects if p.name.lower() in folded]
                if named:
                    return max(named, key=lambda p: len(p.name)).id
            return projects[0].id

    def details(self, user: User, project_id: str, version: int | None = None) -> dict:
        with self.db.session() as session:
            project = self._owned(session, user, project_id)
            chosen = self._version(project, version)
            arrangement = Arrangement.model_validate_json(
                self.resolve_inside(chosen.arrangement_path).read_bytes()
            )
            return {
                **self._summary(project, len(project.versions)),
                "version": chosen.number,
                "version_list": [
                    {
                        "number": v.number,
                        "changes": v.changes,
                        "engine": v.engine,
                        "created_at": v.created_at,
                    }
                    for v in project.versions
                ],
                "requirements": chosen.requirements,
                "spec": chosen.spec,
                "arrangement": arrangement.model_dump(mode="json"),
                "samples": self.samples_of(session, project.id, chosen.number),
                "warnings": list(chosen.warnings or []),
                "live_limits": live_limits(arrangement),
            }

    @staticmethod
    def _version(project: Project, version: int | None) -> ProjectVersion:
        if version is None:
            return project.versions[-1]
        for candidate in project.versions:
            if candidate.number == version:
                return candidate
        raise NotFound(f"{project.id} v{version}")

    @staticmethod
    def card(details: dict) -> dict:
        """The short description of a project version the panel shows (from :meth:`details`)."""
        arrangement = details["arrangement"]
        project_id, version = details["id"], details["version"]
        return {
            "id": project_id,
            "name": details["name"],
            "version": version,
            "style": arrangement.get("style"),
            "bpm": arrangement["bpm"],
            "key": arrangement.get("key"),
            "bars": arrangement["bars"],
            "sections": [
                {k: s[k] for k in ("name", "kind", "start_bar", "bars")}
                for s in arrangement["sections"]
            ],
            "tracks": [
                {
                    "name": t["name"],
                    "role": t["role"],
                    "color": t["color"],
                    "notes": sum(len(c["notes"]) for c in t["clips"]),
                }
                for t in arrangement["tracks"]
            ],
            "changes": [c for c in (details["version_list"][-1]["changes"] or "").split("; ") if c],
            "warnings": details.get("warnings", []),
            "download_url": f"/api/v1/projects/{project_id}/download?version={version}",
            "zip_url": f"/api/v1/projects/{project_id}/download?format=zip",
            "render_url": f"/api/v1/projects/{project_id}/render?version={version}",
        }

    def version_paths(
        self, user: User, project_id: str, version: int | None = None
    ) -> tuple[Path, Path, Path, int]:
        """(project folder, .als, arrangement JSON, version number) of one version, all inside
        the data folder; NotFound when it is not this user's."""
        with self.db.session() as session:
            project = self._owned(session, user, project_id)
            chosen = self._version(project, version)
            folder, als, arrangement = project.folder, chosen.als_path, chosen.arrangement_path
            number = chosen.number
        return (
            self.resolve_inside(folder),
            self.resolve_inside(als),
            self.resolve_inside(arrangement),
            number,
        )

    def als_file(self, user: User, project_id: str, version: int | None = None) -> Path:
        with self.db.session() as session:
            project = self._owned(session, user, project_id)
            relative = self._version(project, version).als_path
        path = self.resolve_inside(relative)
        if not path.is_file():
            raise NotFound(relative)
        return path

    def paths(self, user: User, project_id: str, version: int | None = None) -> dict[str, Path]:
        """Where a version's files are: its project folder, its .als and its arrangement JSON."""
        with self.db.session() as session:
            project = self._owned(session, user, project_id)
            chosen = self._version(project, version)
            stored = (project.folder, chosen.als_path, chosen.arrangement_path)
        folder, als, arrangement = (self.resolve_inside(relative) for relative in stored)
        return {"folder": folder, "als": als, "arrangement": arrangement}

    def sample_file(
        self, user: User, project_id: str, path: str, version: int | None = None
    ) -> tuple[Path, str]:
        """One sample a version's arrangement plays, as (file, audio content type).

        Only the exact relative paths the arrangement references are served, and only when the
        file resolves inside the project folder (a link out of it is refused).
        """
        with self.db.session() as session:
            project = self._owned(session, user, project_id)
            chosen = self._version(project, version)
            folder_path, arrangement_path = project.folder, chosen.arrangement_path
        arrangement = Arrangement.model_validate_json(
            self.resolve_inside(arrangement_path).read_bytes()
        )
        if path not in sample_paths(arrangement):
            raise SampleNotFound(path)
        folder = self.resolve_inside(folder_path)
        candidate = (folder / path).resolve()
        if not candidate.is_relative_to(folder):
            raise UnsafePath(f"{path!r} leaves the project folder")
        if not candidate.is_file():
            raise SampleNotFound(path)
        media = audio_media_type(candidate)
        if media is None:
            raise SampleNotFound(path)
        return candidate, media

    def zip_bytes(self, user: User, project_id: str) -> tuple[str, bytes]:
        """The whole project folder as a zip (only regular files inside the data folder)."""
        with self.db.session() as session:
            project = self._owned(session, user, project_id)
            folder = self.resolve_inside(project.folder)
        buffer = io.BytesIO()
        with zipfile.ZipFile(
            buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6
        ) as archive:
            for path in self._files(folder):
                archive.write(path, Path(folder.name, path.relative_to(folder)).as_posix())
        return folder.name, buffer.getvalue()

    def _files(self, folder: Path) -> Iterator[Path]:
        root = self.settings.data_dir.resolve()
        renders = folder / RENDERS_FOLDER
        for path in sorted(folder.rglob("*")):
            if path.is_symlink() or not path.is_file():
                continue  # never follow links out of the project
            if path.is_relative_to(renders):
                continue  # rendered audio is a cache the panel offers on its own, not the set
            if path.resolve().is_relative_to(root):
                yield path

    def context_facts(self, user: User, project_id: str):
        """What the chat needs to know about a project, read from its latest version.

        Asked on every chat message, so it reads only the fields it needs from the arrangement
        file (plain JSON: no model round trips over thousands of notes) and keeps the result per
        file until the file changes.
        """
        from companion.chat.context import ProjectFacts, SectionFacts, TrackFacts

        with self.db.session() as session:
            project = self._owned(session, user, project_id)
            latest = project.versions[-1]
            name, number = project.name, latest.number
            path = self.resolve_inside(latest.arrangement_path)
        stat = path.stat()
        key = (str(path), stat.st_size, stat.st_mtime_ns)
        with self._facts_lock:
            cached = self._facts_cache.get(key)
        if cached is None:
            data = json.loads(path.read_bytes())
            numerator, denominator = data.get("time_signature") or (4, 4)
            cached = {
                "style": data.get("style"),
                "mood": data.get("mood"),
                "bpm": data["bpm"],
                "key": data.get("key"),
                "time_signature": f"{numerator}/{denominator}",
                "bars": data["bars"],
                "sections": [
                    SectionFacts(
                        name=s["name"], kind=s["kind"], start_bar=s["start_bar"], bars=s["bars"]
                    )
                    for s in data.get("sections", [])
                ],
                "tracks": [
                    TrackFacts(
                        name=t["name"],
                        role=t["role"],
                        notes=sum(len(c.get("notes", [])) for c in t.get("clips", [])),
                    )
                    for t in data.get("tracks", [])
                ],
                "chords": list(dict.fromkeys(c["symbol"] for c in data.get("chords", [])))[:8],
            }
            with self._facts_lock:
                if len(self._facts_cache) >= FACTS_CACHE_SIZE:
                    self._facts_cache.pop(next(iter(self._facts_cache)))
                self._facts_cache[key] = cached
        return ProjectFacts(id=project_id, name=name, version=number, **cached)
