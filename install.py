#!/usr/bin/env python3
"""Set up MusiaIA on this machine and run it.

    python3 install.py            set up (virtual env + packages) and start the companion
    python3 install.py test       set up with the test tools and run the whole test suite
    python3 install.py setup      set up only
    python3 install.py script     install only the Ableton Live Remote Script

"run" and "setup" also install the audio render's libraries (--no-render to skip) and copy the
Remote Script into Live's User Library ("Remote Scripts/MusiaIA";
--user-library PATH if the library was moved, --no-remote-script to skip, --uninstall to remove
it) and pair it with the companion: one random secret goes into the installed script's
config.json and into the companion's data folder (live-link.key), both readable by the owner
only, so only this companion can talk to the script. Standard library only, so it runs on a fresh
machine that has nothing but Python 3.11+.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import secrets
import shutil
import subprocess
import sys
import venv
from collections.abc import Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parent
MIN_PYTHON = (3, 11)
SCRIPT_SOURCE = ROOT / "remote_script"
SCRIPT_NAME = "MusiaIA"  # the folder name is what Live lists under Control Surface
SCRIPT_IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc", "*.pyo", ".DS_Store")
KEEP_ON_UPDATE = ("config.json",)  # the user's own settings survive a reinstall
LINK_KEY_FILE = "live-link.key"  # companion/live/link.py reads it from the data folder
LAST_STEP = (
    "One step left in Ableton Live: Preferences → Link, Tempo & MIDI → Control Surface: "
    "MusiaIA (restart Live first if it is running)."
)


def fail(message: str) -> None:
    print(f"install.py: error: {message}", file=sys.stderr)
    raise SystemExit(2)


def venv_python(env_dir: Path) -> Path:
    if os.name == "nt":
        return env_dir / "Scripts" / "python.exe"
    return env_dir / "bin" / "python"


RENDER_EXTRA = "[render]"
RENDER_OFF = (
    "The audio render's libraries (pedalboard, scipy, pyloudnorm) could not be installed on "
    "this machine; MusiaIA works without them: the panel previews with Web Audio and "
    "'musiaia render' stays off."
)


def _pip_install(python: Path, extras: str) -> bool:
    command = [
        str(python),
        "-m",
        "pip",
        "install",
        "--disable-pip-version-check",
        "--quiet",
        "-e",
        f"{ROOT}{extras}",
    ]
    return subprocess.call(command) == 0


def ensure_venv(env_dir: Path, dev: bool, render: bool = True) -> Path:
    """Create the virtual environment and install MusiaIA into it (skipped when up to date).

    The audio render's libraries come too (the ``render`` extra; ``dev`` includes it) unless
    ``render`` is False. They are compiled wheels: where none exists for this machine the
    install goes on without them, once (not again until pyproject.toml changes).
    """
    python = venv_python(env_dir)
    if not python.exists():
        print(f"Creating the virtual environment in {env_dir} …", flush=True)
        venv.EnvBuilder(with_pip=True, clear=False).create(env_dir)
    extras = "[dev]" if dev else RENDER_EXTRA if render else ""
    stamp = env_dir / ".musiaia-installed"
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + extras.encode()).hexdigest()
    installed = stamp.read_text().split() if stamp.exists() else []
    if digest not in installed:
        print(f"Installing MusiaIA{extras} and its dependencies …", flush=True)
        if not _pip_install(python, extras):
            if extras != RENDER_EXTRA:
                fail("pip could not install the dependencies (see the messages above)")
            print(RENDER_OFF, flush=True)
            if not _pip_install(python, ""):
                fail("pip could not install the dependencies (see the messages above)")
        stamp.write_text(" ".join([*installed, digest]))
    return python


def current_system() -> str:
    return platform.system()


def home_dir() -> Path:
    return Path.home()


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


def companion_data_dir(home: Path, system: str, environ: Mapping[str, str] | None = None) -> Path:
    """The companion's data folder, as companion/paths.py finds it (a test keeps them equal)."""
    environ = os.environ if environ is None else environ
    if environ.get("MUSIAIA_DATA_DIR"):
        return Path(environ["MUSIAIA_DATA_DIR"]).expanduser()
    if system == "Darwin":
        return home / "Library" / "Application Support" / "MusiaIA"
    if system == "Windows":
        return Path(environ.get("APPDATA") or home / "AppData" / "Roaming") / "MusiaIA"
    return Path(environ.get("XDG_DATA_HOME") or home / ".local" / "share") / "musiaia"


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


def install_remote_script(user_library: Path, source: Path = SCRIPT_SOURCE) -> Path:
    """Copy the Remote Script to ``<user_library>/Remote Scripts/MusiaIA``.

    Idempotent: a new copy is staged next to the old one and swapped in with renames, so Live
    never sees a half-written folder; bytecode caches are not copied; a config.json the user put
    in the old copy is kept.
    """
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


KIT_FOLDER = Path("Samples") / "MusiaIA Kit"  # where the companion renders its kit
KIT_MANIFEST = "musiaia-kit.json"


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


def resolve_user_library(option: str | None) -> Path | None:
    if option:
        return Path(option).expanduser().resolve()
    return find_user_library(home_dir(), current_system())


def remote_script_step(args: argparse.Namespace) -> None:
    """Install (or with --uninstall remove) the Remote Script; never stops the installer."""
    library = resolve_user_library(args.user_library)
    if library is None:
        looked = ", ".join(str(p) for p in user_library_candidates(home_dir(), current_system()))
        where = f" (looked in {looked})" if looked else f" on {current_system()}"
        print(
            f"No Ableton User Library found{where}; skipping the Live Remote Script "
            "(use --user-library PATH if Live's library is elsewhere).",
            flush=True,
        )
        return
    if not library.is_dir():
        print(f"The User Library {library} does not exist; skipping the Live Remote Script.")
        return
    if args.uninstall:
        removed = uninstall_remote_script(library)
        target = library / "Remote Scripts" / SCRIPT_NAME
        print(f"Removed {target}." if removed else f"No Remote Script at {target}; nothing to do.")
        if uninstall_kit(library):
            print(f"Removed MusiaIA's kit from {library / KIT_FOLDER}.")
        return
    try:
        target = install_remote_script(library)
        data_dir = companion_data_dir(home_dir(), current_system())
        pair_link(target, data_dir)
    except OSError as error:
        print(f"Could not install the Live Remote Script: {error}", flush=True)
        return
    print(f"Live Remote Script installed in {target}.", flush=True)
    print(f"Paired with the companion in {data_dir} (only it can talk to the script).", flush=True)
    print(LAST_STEP, flush=True)


def _pull_installer_options(args: argparse.Namespace) -> None:
    """The installer's own Remote Script options may also come after the action
    (``install.py setup --no-remote-script``); everything else stays for serve/pytest."""
    extra, kept = list(args.extra), []
    while extra:
        item = extra.pop(0)
        if item == "--no-remote-script":
            args.no_remote_script = True
        elif item == "--no-render":
            args.no_render = True
        elif item == "--uninstall":
            args.uninstall = True
        elif item == "--user-library" and extra:
            args.user_library = extra.pop(0)
        elif item.startswith("--user-library="):
            args.user_library = item.split("=", 1)[1]
        else:
            kept.append(item)
    args.extra = kept


def main(argv: list[str] | None = None) -> int:
    if sys.version_info < MIN_PYTHON:
        fail(
            f"MusiaIA needs Python {'.'.join(map(str, MIN_PYTHON))} or newer; "
            f"this is {sys.version.split()[0]}"
        )
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument(
        "action", nargs="?", default="run", choices=("run", "setup", "test", "script")
    )
    parser.add_argument("--venv", default=str(ROOT / ".venv"), help="virtual environment folder")
    parser.add_argument(
        "--user-library", metavar="PATH", help="Ableton Live's User Library, if it was moved"
    )
    parser.add_argument(
        "--no-remote-script", action="store_true", help="do not install the Live Remote Script"
    )
    parser.add_argument(
        "--uninstall", action="store_true", help="remove the Live Remote Script and stop"
    )
    parser.add_argument(
        "--no-render",
        action="store_true",
        help="skip the audio render's libraries (pedalboard, scipy, pyloudnorm)",
    )
    parser.add_argument(
        "extra",
        nargs=argparse.REMAINDER,
        help="arguments passed on: to pytest with 'test', to 'musiaia serve' "
        "with 'run' (e.g. --port 8080)",
    )
    args = parser.parse_args(argv)
    _pull_installer_options(args)
    if args.uninstall or args.action == "script":
        remote_script_step(args)
        return 0
    env_dir = Path(args.venv).expanduser().resolve()
    if args.no_render and args.action != "test":
        python = ensure_venv(env_dir, dev=False, render=False)
    else:
        python = ensure_venv(env_dir, dev=args.action == "test")
    if args.action in ("run", "setup") and not args.no_remote_script:
        remote_script_step(args)

    if args.action == "setup":
        print("MusiaIA is set up.")
        return 0
    if args.action == "test":
        return subprocess.call([str(python), "-m", "pytest", *args.extra], cwd=ROOT)
    moved = resolve_user_library(args.user_library) if args.user_library else None
    try:
        return subprocess.call(
            [str(python), "-m", "companion.cli", "serve", *args.extra],
            env=library_env(moved, dict(os.environ)),
        )
    except KeyboardInterrupt:
        return 0


if __name__ == "__main__":
    sys.exit(main())
