"""Project folders without a database row: a finished set is never lost, never deleted.

A project folder appears all at once (renamed from staging), then its row is committed; a server
killed between the two, or a database that refuses the row (full disk), leaves a complete set that
the panel does not know. At start each such folder is either

* **registered** to the account whose folder holds it, when its configuration can be rebuilt
  exactly: the spec is re-derived from the arrangement saved next to the set (style, tempo, key,
  bars, meter, mood, seed; the parts from its tracks) and accepted only if composing that spec
  gives the very same notes, so later changes to the project behave as if nothing had happened;
* or else **quarantined**: moved, whole, to ``<data>/recovered/<user folder>/``, and logged.

Versions (``<Name> v3.als``) written without a row are left where they are; a later change to the
project takes the next free number.
"""

from __future__ import annotations

import itertools
import logging
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

from pydantic import ValidationError
from sqlalchemy import select

from companion.arrangement import Arrangement
from companion.db import Database, Project, ProjectVersion, User
from companion.music.compose import compose
from companion.music.resolve import resolve
from companion.music.spec import SongSpec
from companion.project_files import PROJECT_SUFFIX
from companion.requirements import DRUM_LANES, PARTS, Requirements
from companion.services.projects import ProjectService
from companion.settings import Settings
from companion.user_folders import owners_by_folder

log = logging.getLogger("musiaia.recovery")
RECOVERED_DIR = "recovered"
RECOVERED_NOTE = "recovered at start: the set was written but not recorded (interrupted)"


@dataclass
class Recovery:
    registered: list[Path] = field(default_factory=list)
    quarantined: list[Path] = field(default_factory=list)  # where they were moved


def rebuild_spec(arrangement: Arrangement) -> tuple[Requirements, SongSpec] | None:
    """The requirements and spec that compose exactly ``arrangement``'s notes, or None."""
    if arrangement.seed is None or arrangement.style is None:
        return None
    try:
        requirements = Requirements(
            style=arrangement.style,
            bpm=arrangement.bpm,
            key=arrangement.key,
            bars=arrangement.bars,
            mood=arrangement.mood,
            time_signature="{}/{}".format(*arrangement.time_signature),
        )
        spec = resolve(requirements, arrangement.seed)
    except (ValidationError, ValueError):
        return None
    target = _notes(arrangement)
    roles = set(target)
    for candidate in _candidates(spec, roles):
        try:
            if _notes(compose(candidate)) == target:
                return requirements, candidate
        except (ValidationError, ValueError):
            continue
    return None


def _candidates(spec: SongSpec, roles: set[str]):
    """The style's own parts first, then the parts the tracks show with each set of drum lanes
    (lanes share the one drums track, so which of them played is only known by trying)."""
    yield spec
    tracks = {part for part in PARTS if part in roles and part not in DRUM_LANES}
    lanes = [()] if "drums" not in roles else []
    if "drums" in roles:
        for size in range(len(DRUM_LANES), 0, -1):
            lanes += itertools.combinations(DRUM_LANES, size)
    for chosen in lanes:
        parts = tuple(p for p in PARTS if p in tracks or p in chosen)
        if parts and parts != spec.parts:
            yield spec.model_copy(update={"parts": parts})


def _notes(arrangement: Arrangement) -> dict[str, list[tuple[float, int, float]]]:
    """What composing decides, per role: when each note sounds, its pitch and length.

    Not sounds, colours or mixing, and what the mixing stage changes is left out: it splits a
    kit over Kick, Snare and Drums tracks (the role stays) and maps velocities into the style's
    range, so notes are compared by role and song time, without velocity.
    """
    found: dict[str, list[tuple[float, int, float]]] = {}
    for track in arrangement.tracks:
        if track.is_audio:
            continue
        notes = found.setdefault(track.role, [])
        for clip in track.clips:
            notes += [(clip.start + n.start, n.pitch, n.duration) for n in clip.notes]
    return {role: sorted(notes) for role, notes in found.items()}


def recover_orphans(settings: Settings, database: Database) -> Recovery:
    """Register or quarantine every complete project folder the database does not know."""
    projects = ProjectService(settings, database)
    outcome = Recovery()
    projects_dir = settings.projects_dir
    if not projects_dir.is_dir():
        return outcome
    with database.session() as session:
        users = session.execute(select(User.id, User.username, User.folder)).all()
        known = {folder.casefold() for folder in session.scalars(select(Project.folder))}
    ids = {username: user_id for user_id, username, _ in users}
    owners = owners_by_folder((username, folder) for _, username, folder in users)
    for user_folder in sorted(projects_dir.iterdir()):
        if (
            not user_folder.is_dir()
            or user_folder.is_symlink()
            or user_folder.name.startswith(".")
            or user_folder.name.endswith(PROJECT_SUFFIX)  # made by `musiaia generate`
        ):
            continue
        names = owners.get(user_folder.name.casefold(), [])
        owner = ids[names[0]] if len(names) == 1 else None  # two owners: whose is it?
        for folder in sorted(user_folder.iterdir()):
            if not _complete_set(folder):
                continue
            relative = projects.relative(folder)
            if relative.casefold() in known:
                continue
            registered = owner is not None and _register(database, projects, owner, folder)
            if registered:
                outcome.registered.append(folder)
                log.warning(
                    "registered a project found without its record", extra={"path": relative}
                )
            else:
                moved = _quarantine(settings.data_dir, user_folder.name, folder)
                outcome.quarantined.append(moved)
                log.warning(
                    "moved a project found without its record to the recovered folder",
                    extra={"path": relative, "moved_to": str(moved)},
                )
    return outcome


def _complete_set(folder: Path) -> bool:
    """A MusiaIA project folder with its first version's set and arrangement."""
    if not folder.is_dir() or folder.is_symlink() or not folder.name.endswith(PROJECT_SUFFIX):
        return False
    stem = folder.name[: -len(PROJECT_SUFFIX)]
    return (folder / f"{stem}.als").is_file() and (folder / "MusiaIA" / f"{stem}.json").is_file()


def _register(database: Database, projects: ProjectService, user_id: int, folder: Path) -> bool:
    stem = folder.name[: -len(PROJECT_SUFFIX)]
    als, saved = folder / f"{stem}.als", folder / "MusiaIA" / f"{stem}.json"
    try:
        arrangement = Arrangement.model_validate_json(saved.read_bytes())
    except (OSError, ValidationError, ValueError):
        return False
    rebuilt = rebuild_spec(arrangement)
    if rebuilt is None:
        return False
    requirements, spec = rebuilt
    made = datetime.fromtimestamp(als.stat().st_mtime, UTC)
    with database.session() as session:
        project = Project(
            user_id=user_id,
            name=stem,
            folder=projects.relative(folder),
            style=spec.style,
            bpm=spec.bpm,
            key=spec.key,
            bars=spec.bars,
            created_at=made,
            updated_at=made,
        )
        session.add(project)
        session.flush()
        session.add(
            ProjectVersion(
                project_id=project.id,
                number=1,
                als_path=projects.relative(als),
                arrangement_path=projects.relative(saved),
                requirements=requirements.model_dump(mode="json"),
                spec=spec.model_dump(mode="json"),
                changes=RECOVERED_NOTE,
                engine="offline",
                created_at=made,
            )
        )
        projects._record_samples(session, project.id, 1, SimpleNamespace(arrangement=arrangement))
    return True


def _quarantine(data_dir: Path, user_folder: str, folder: Path) -> Path:
    """Move ``folder`` whole into ``recovered/<user folder>/`` (a free name; same disk)."""
    target_dir = data_dir / RECOVERED_DIR / user_folder
    target_dir.mkdir(parents=True, exist_ok=True)
    target = target_dir / folder.name
    number = 2
    while target.exists():
        target = target_dir / f"{folder.name} {number}"
        number += 1
    os.rename(folder, target)
    return target
