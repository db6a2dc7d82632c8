"""Rendered audio of a project version, for the panel's Play and the download.

Each version renders once, in a worker process, into the project folder
(``MusiaIA/Renders/r<engine>/<set name>.flac``, written atomically): versions never change, and a
new render engine renders into its own folder. Only the owner of the project reaches its file.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from companion.arrangement import Arrangement
from companion.db import User
from companion.fsutil import atomic_write_bytes
from companion.services.projects import RENDERS_FOLDER, NotFound, ProjectService, UnsafePath

log = logging.getLogger("musiaia.renders")
RENDER_ENGINE = 1  # bump when the render changes how a set sounds: old files are not reused
SUFFIX = ".flac"  # lossless (exact timing for the playhead), half a WAV's size


class RenderUnavailable(RuntimeError):
    """The render's libraries are not installed here."""


class NotRendered(NotFound):
    """The version has no rendered audio yet."""


@dataclass(frozen=True)
class RenderedAudio:
    path: Path
    name: str  # the file name offered for download
    version: int


class RenderService:
    def __init__(self, projects: ProjectService) -> None:
        self.projects = projects

    def _target(self, user: User, project_id: str, version: int | None):
        folder, als, arrangement, number = self.projects.version_paths(user, project_id, version)
        target = folder / RENDERS_FOLDER / f"r{RENDER_ENGINE}" / f"{als.stem}{SUFFIX}"
        if not target.parent.resolve().is_relative_to(folder.resolve()):
            raise UnsafePath(f"{target} leaves the project folder")
        return folder, arrangement, target, number

    def rendered(self, user: User, project_id: str, version: int | None = None) -> RenderedAudio:
        """The version's audio file; NotRendered until :meth:`render` has made it."""
        _, _, target, number = self._target(user, project_id, version)
        if target.is_symlink() or not target.is_file():
            raise NotRendered(f"{project_id} v{number}")
        return RenderedAudio(target, target.name, number)

    def render(self, user: User, project_id: str, version: int | None = None) -> dict:
        """Render the version unless it was rendered already; what the panel needs to fetch it."""
        from companion.render import INSTALL_HINT, RenderError, missing

        folder, arrangement_path, target, number = self._target(user, project_id, version)
        try:
            arrangement = Arrangement.model_validate_json(arrangement_path.read_bytes())
        except (OSError, ValidationError):
            raise RenderError(f"version {number}'s arrangement cannot be read") from None
        seconds = arrangement.length_beats * 60.0 / arrangement.bpm
        if not target.is_file():
            if missing():
                raise RenderUnavailable(f"the render is not installed here: {INSTALL_HINT}")
            from companion.render.engine import render
            from companion.render.writer import encode

            started = time.perf_counter()
            result = render(arrangement, folder, confine=True)
            data = encode(result.audio, result.sample_rate, SUFFIX)
            target.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_bytes(target, data)
            log.info(
                "version rendered",
                extra={
                    "user": user.username,
                    "project": project_id,
                    "version": number,
                    "seconds": round(result.seconds, 2),
                    "render_ms": round((time.perf_counter() - started) * 1000, 1),
                    "missing_samples": len(result.missing),
                },
            )
        base = f"/api/v1/projects/{project_id}/render?version={number}"
        return {
            "status": "ready",
            "version": number,
            "format": "flac",
            "seconds": round(seconds, 3),
            "bytes": target.stat().st_size,
            "url": base,
            "download_url": f"{base}&download=true",
        }
