"""Putting MusiaIA's Remote Script into Ableton Live's User Library (and taking it out again).

Standard library only: ``install.py`` loads this file by path on a fresh machine before anything
is installed, and ``musiaia setup`` uses it from the installed package. The script ships inside
the wheel as ``companion/remote_script``; in a checkout it is the top-level ``remote_script/``.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
from collections.abc import Mapping
from pathlib import Path

SCRIPT_NAME = "MusiaIA"  # the folder name is what Live lists under Control Surface
SCRIPT_IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc", "*.pyo", ".DS_Store")
KEEP_ON_UPDATE = ("config.json",)  # the user's own settings survive a reinstall
LAST_STEP = (
    "One step left in Ableton Live: Preferences → Link, Tempo & MIDI → Control Surface: "
    "MusiaIA (restart Live first if it is running)."
)
LINK_KEY_FILE = "live-link.key"  # companion/live/link.py reads it from the data folder
KIT_FOLDER = Path("Samples") / "MusiaIA Kit"  # where the companion renders its kit
KIT_MANIFEST = "musiaia-kit.json"


def script_source() -> Path:
    """The Remote Script's folder: inside the installed package, else the checkout's."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "remote_script", here.parent / "remote_script"):
        if (candidate / "__init__.py").is_file():
            return candidate
    raise FileNotFoundError("MusiaIA's Remote Script is missing from this installation")


def user_library_candidates(
    home: Path, system: str, environ: Mapping[str, str] | None = None
) -> list[Path]:
    """Where Live keeps its User Library by default on this system."""
    environ = os.environ if environ is None else environ
    if system == "Darwin":
        return [home / "Music" / "Ableton" / "User Library"]
    if system == "Windows":
        profile = Path(environ.get("USERPROFILE") or home)
        return [
            profile / "Documents" / "Ableton" / "User Library",
            profile / "OneDrive" / "Documents" / "Ableton" / "User Library",
        ]
    return []


def find_user_library(
    home: Path, system: str, environ: Mapping[str, str] | None = None
) -> Path | None:
    for candidate in user_library_candidates(home, system, environ):
        if candidate.is_dir():
            return candidate
    return None


def _remove_tree(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()


def install_remote_script(user_library: Path, source: Path | None = None) -> Path:
    """Copy the Remote Script to ``<user_library>/Remote Scripts/MusiaIA``.

    Idempotent: a new copy is staged next to the old one and swapped in with renames, so Live
    never sees a half-written folder; bytecode caches are not copied; a config.json the user put
    in the old copy is kept.
    """
    source = script_source() if source is None else source
    if not (source / "__init__.py").is_file():
        raise FileNotFoundError(f"the Remote Script is missing from {source}")
    scripts = user_library / "Remote Scripts"
    scripts.mkdir(parents=True, exist_ok=True)
    target = scripts / SCRIPT_NAME
    staging = scripts / f".{SCRIPT_NAME}.new-{os.getpid()}"
    retired = scripts / f".{SCRIPT_NAME}.old-{os.getpid()}"
    for leftover in (staging, retired):
        _remove_tree(leftover)
    shutil.copytree(source, staging, ignore=SCRIPT_IGNORE)
    for name in KEEP_ON_UPDATE:
        if (target / name).is_file() and not (staging / name).exists():
            shutil.copy2(target / name, staging / name)
    if target.exists() or target.is_symlink():
        target.rename(retired)
        try:
            staging.rename(target)
        except OSError:
            retired.rename(target)  # put the old copy back
            _remove_tree(staging)
            raise
        _remove_tree(retired)
    else:
        staging.rename(target)
    return target


def uninstall_remote_script(user_library: Path) -> bool:
    """Remove ``Remote Scripts/MusiaIA``; False when it was not there."""
    scripts = user_library / "Remote Scripts"
    target = scripts / SCRIPT_NAME
    for leftover in scripts.glob(f".{SCRIPT_NAME}.*-*") if scripts.is_dir() else ():
        _remove_tree(leftover)
    if not (target.exists() or target.is_symlink()):
        return False
    _remove_tree(target)
    return True


def uninstall_kit(user_library: Path) -> bool:
    """Remove the kit the companion rendered into the User Library (only if it is ours)."""
    kit = user_library / KIT_FOLDER
    if not (kit / KIT_MANIFEST).is_file():
        return False
    _remove_tree(kit)
    return True


def library_env(user_library: Path | None, environ: dict[str, str]) -> dict[str, str]:
    """Settings that point the companion at a moved User Library (the kit and the samples to
    index) unless the user set them already."""
    env = dict(environ)
    if user_library is not None and user_library.is_dir():
        env.setdefault("MUSIAIA_KIT_DIR", str(user_library / KIT_FOLDER))
        if (user_library / "Samples").is_dir():
            env.setdefault("MUSIAIA_SAMPLE_DIRS", str(user_library / "Samples"))
    return env


def _write_private(path: Path, text: str) -> None:
    """Owner-only (0600) and atomic: a temporary file renamed over the old one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.chmod(temporary, 0o600)
    os.replace(temporary, path)


def _valid_secret(text: str) -> bool:
    try:
        return len(bytes.fromhex(text.strip())) >= 16
    except ValueError:
        return False


def pair_link(script_folder: Path, data_dir: Path) -> str:
    """Share one link secret between the installed script and the companion: the data folder's
    key is kept when valid (a companion already running keeps working), else a new one is made;
    it is written into the script's config.json (other settings kept)."""
    key_path = data_dir / LINK_KEY_FILE
    secret = key_path.read_text().strip() if key_path.is_file() else ""
    if not _valid_secret(secret):
        secret = secrets.token_hex(32)
        _write_private(key_path, secret + "\n")
    config_path = script_folder / "config.json"
    config: dict = {}
    if config_path.is_file():
        try:
            loaded = json.loads(config_path.read_text())
            config = loaded if isinstance(loaded, dict) else {}
        except ValueError:
            print(f"Replacing the unreadable {config_path}.", flush=True)
    config["link_secret"] = secret
    _write_private(config_path, json.dumps(config, indent=2, sort_keys=True) + "\n")
    return secret
