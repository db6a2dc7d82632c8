""" "Open as a new set": ask the operating system to open a .als in Ableton Live.

Live's API cannot open a set, so this goes through the OS: macOS ``open -a <Ableton Live app>``
(the newest installed Live, or ``open`` by file association when none is found in the usual
places), Windows ``os.startfile`` (file association). Live then *replaces* the open set and asks
to save unsaved changes first; the Remote Script restarts with the new set and announces itself.
"""

from __future__ import annotations

import os
import platform
import re
import subprocess
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path


class OpenInLiveError(RuntimeError):
    pass


@dataclass(frozen=True)
class OpenResult:
    path: Path
    command: tuple[str, ...]
    application: str | None
    note: str = "Live replaces the open set with this one and asks to save unsaved changes first."


def _version_key(app: Path) -> tuple:
    numbers = tuple(int(n) for n in re.findall(r"\d+", app.name))
    edition = 1 if "Suite" in app.name else 0
    return (numbers, edition)


def find_live_apps(folders: Sequence[Path] | None = None) -> list[Path]:
    """Installed Ableton Live apps on macOS, newest first."""
    if folders is None:
        folders = [Path("/Applications"), Path.home() / "Applications"]
    found: list[Path] = []
    for folder in folders:
        try:
            found.extend(p for p in folder.glob("Ableton Live*.app") if p.is_dir())
        except OSError:
            continue
    return sorted(found, key=_version_key, reverse=True)


def open_in_live(
    path: str | Path,
    *,
    app: str | None = None,
    system: str | None = None,
    run: Callable[[Sequence[str]], subprocess.CompletedProcess] | None = None,
    startfile: Callable[[str], None] | None = None,
    app_folders: Sequence[Path] | None = None,
) -> OpenResult:
    """Open ``path`` (a .als) in Live. Raises OpenInLiveError with a message for the user."""
    target = Path(path).expanduser()
    if target.suffix.lower() != ".als":
        raise OpenInLiveError(f"{target.name} is not a Live set (.als)")
    if not target.is_file():
        raise OpenInLiveError(f"the Live set {target} does not exist")
    target = target.resolve()
    system = system or platform.system()

    if system == "Darwin":
        application = app
        if application is None:
            apps = find_live_apps(app_folders)
            application = str(apps[0]) if apps else None
        command = ("open", "-a", application, str(target)) if application else ("open", str(target))
        runner = run or (
            lambda cmd: subprocess.run(cmd, capture_output=True, text=True, timeout=30, check=False)
        )
        try:
            completed = runner(command)
        except (OSError, subprocess.SubprocessError) as error:
            raise OpenInLiveError(f"could not run {command[0]}: {error}") from error
        if completed.returncode != 0:
            detail = (completed.stderr or completed.stdout or "").strip()
            raise OpenInLiveError(
                "macOS could not open the set in Ableton Live"
                + (f": {detail}" if detail else "")
                + ". Is Ableton Live installed? Open the .als from Finder instead."
            )
        return OpenResult(target, command, application)

    if system == "Windows":
        opener = startfile or getattr(os, "startfile", None)
        if opener is None:
            raise OpenInLiveError("os.startfile is not available on this Python")
        try:
            opener(str(target))
        except OSError as error:
            raise OpenInLiveError(
                f"Windows could not open the set ({error}). Is Ableton Live installed and "
                "associated with .als files?"
            ) from error
        return OpenResult(target, ("startfile", str(target)), None)

    raise OpenInLiveError(
        f"opening sets in Ableton Live works on macOS and Windows; this is "
        f"{system or 'an unknown system'}. Copy {target.name} to the computer running Live and "
        "open it there."
    )
