"""Which set to render: a project folder (its latest version), one of its .als files, or any
Live set read back from its XML.

A MusiaIA project keeps each version's arrangement next to its set (``MusiaIA/<stem>.json``),
with everything the set plays, so that is what the render reads; an .als from elsewhere goes
through companion/als/reader.py, which recovers notes, instruments and samples.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from companion.arrangement import Arrangement
from companion.render import RenderError

ARRANGEMENT_FOLDER = "MusiaIA"
_VERSION = re.compile(r" v(\d+)$")


@dataclass(frozen=True)
class SetToRender:
    arrangement: Arrangement
    project_dir: Path  # where the set's relative sample paths start
    stem: str  # the set's file name without .als
    source: str  # "arrangement" (MusiaIA's own JSON) or "als" (read from the set)


def version_of(stem: str) -> int:
    match = _VERSION.search(stem)
    return int(match.group(1)) if match else 1


def _from_json(path: Path, folder: Path, stem: str) -> SetToRender:
    try:
        arrangement = Arrangement.model_validate_json(path.read_bytes())
    except (OSError, ValidationError) as exc:
        kind = exc.__class__.__name__
        raise RenderError(f"{path.name}: not a MusiaIA arrangement ({kind})") from exc
    return SetToRender(arrangement, folder, stem, "arrangement")


def _from_als(path: Path) -> SetToRender:
    from companion.als.reader import AlsReadError, read_als

    try:
        arrangement = read_als(path)
    except (AlsReadError, OSError) as exc:
        raise RenderError(str(exc)) from exc
    return SetToRender(arrangement, path.parent, path.stem, "als")


def load_set(path: str | Path) -> SetToRender:
    """The set at ``path``: a project folder (latest version), an .als, or an arrangement .json."""
    path = Path(path).expanduser()
    if path.is_dir():
        stems = [
            json.stem
            for json in (path / ARRANGEMENT_FOLDER).glob("*.json")
            if (path / f"{json.stem}.als").is_file()
        ]
        if stems:
            stem = max(stems, key=lambda s: (version_of(s), s))
            return _from_json(path / ARRANGEMENT_FOLDER / f"{stem}.json", path, stem)
        sets = sorted(path.glob("*.als"))
        if len(sets) == 1:
            return _from_als(sets[0])
        if not sets:
            raise RenderError(f"{path} holds no Live set (.als)")
        names = ", ".join(s.name for s in sets[:5])
        raise RenderError(f"{path} holds several sets ({names}): name the .als to render")
    if not path.is_file():
        raise RenderError(f"no such file or folder: {path}")
    suffix = path.suffix.lower()
    if suffix == ".als":
        own = path.parent / ARRANGEMENT_FOLDER / f"{path.stem}.json"
        if own.is_file():
            return _from_json(own, path.parent, path.stem)
        return _from_als(path)
    if suffix == ".json" and path.parent.name == ARRANGEMENT_FOLDER:
        return _from_json(path, path.parent.parent, path.stem)
    raise RenderError(f"{path.name}: expected a project folder or a Live set (.als)")
