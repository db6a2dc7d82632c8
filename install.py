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
import importlib.util
import os
import platform
import shutil
import subprocess
import sys
import venv
from collections.abc import Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parent
MIN_PYTHON = (3, 11)
SCRIPT_SOURCE = ROOT / "remote_script"


def _load_script_install():
    """companion/script_install.py (standard library only), loaded by path: nothing is
    installed yet when this runs, and ``musiaia setup`` shares the same code."""
    path = ROOT / "companion" / "script_install.py"
    spec = importlib.util.spec_from_file_location("musiaia_script_install", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses and friends look modules up by name
    spec.loader.exec_module(module)
    return module


_script = _load_script_install()
SCRIPT_NAME = _script.SCRIPT_NAME
LINK_KEY_FILE = _script.LINK_KEY_FILE
LAST_STEP = _script.LAST_STEP
KIT_FOLDER = _script.KIT_FOLDER
KIT_MANIFEST = _script.KIT_MANIFEST
user_library_candidates = _script.user_library_candidates
find_user_library = _script.find_user_library
uninstall_remote_script = _script.uninstall_remote_script
uninstall_kit = _script.uninstall_kit
library_env = _script.library_env
pair_link = _script.pair_link


def install_remote_script(user_library: Path, source: Path = SCRIPT_SOURCE) -> Path:
    return _script.install_remote_script(user_library, source)


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
    recipe = b"".join((ROOT / name).read_bytes() for name in ("pyproject.toml", "setup.py"))
    digest = hashlib.sha256(recipe + extras.encode()).hexdigest()
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


# ----------------------------------------------------------------------------- the test browser

CHROMIUM_COMMANDS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
CHROMIUM_APPS = (  # macOS and Windows keep browsers off PATH
    "/Applications/Chromium.app/Contents/MacOS/Chromium",
    "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
    r"C:\Program Files\Google\Chrome\Application\chrome.exe",
    r"C:\Program Files (x86)\Google\Chrome\Application\chrome.exe",
)
APT_PACKAGES = ("chromium", "chromium-browser")  # Debian's name, then Ubuntu's
NO_BROWSER = (
    "the web panel's tests need Chromium and none could be found or installed here: install "
    "it (Debian/Ubuntu: sudo apt-get install chromium; macOS: brew install --cask chromium; "
    "anywhere: .venv/bin/python -m playwright install chromium) and run the tests again"
)


def run_quietly(command: list[str], timeout: float = 900, env: dict | None = None):
    """Run a command, capturing its output; None when it cannot even start."""
    try:
        return subprocess.run(
            command, capture_output=True, text=True, timeout=timeout, check=False, env=env
        )
    except (OSError, subprocess.TimeoutExpired):
        return None


def browser_works(path: str) -> bool:
    """A browser that starts: Ubuntu's chromium-browser without its snap only prints advice."""
    result = run_quietly([path, "--version"], timeout=60)
    return result is not None and result.returncode == 0 and bool(result.stdout.strip())


def find_chromium(environ: dict[str, str] | None = None) -> str | None:
    """A working Chromium or Chrome: MUSIAIA_CHROMIUM, then PATH, then the usual app folders."""
    environ = dict(os.environ) if environ is None else environ
    candidates = [environ.get("MUSIAIA_CHROMIUM") or ""]
    candidates += [shutil.which(name, path=environ.get("PATH")) or "" for name in CHROMIUM_COMMANDS]
    candidates += list(CHROMIUM_APPS)
    for candidate in dict.fromkeys(c for c in candidates if c):
        if Path(candidate).is_file() and browser_works(candidate):
            return candidate
    return None


def can_administer() -> list[str] | None:
    """The prefix that runs a package manager as root without asking: [] as root, sudo -n."""
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        return []
    if shutil.which("sudo"):
        probe = run_quietly(["sudo", "-n", "true"], timeout=30)
        if probe is not None and probe.returncode == 0:
            return ["sudo", "-n"]
    return None


def chromium_from_package_manager() -> str | None:
    """Debian/Ubuntu with root rights: apt-get install chromium."""
    if current_system() != "Linux" or not shutil.which("apt-get"):
        return None
    prefix = can_administer()
    if prefix is None:
        return None
    print("Installing Chromium with apt-get for the web panel's tests …", flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    run_quietly([*prefix, "apt-get", "update", "-qq"], env=env)
    for package in APT_PACKAGES:
        installed = run_quietly([*prefix, "apt-get", "install", "-y", "-qq", package], env=env)
        if installed is not None and installed.returncode == 0 and (found := find_chromium()):
            return found
    return None


def chromium_from_playwright(python: Path) -> str | None:
    """Playwright's own browser download (needs its CDN; fails quietly without it)."""
    print("Downloading Chromium with Playwright for the web panel's tests …", flush=True)
    downloaded = run_quietly([str(python), "-m", "playwright", "install", "chromium"])
    if downloaded is None or downloaded.returncode != 0:
        return None
    where = run_quietly(
        [
            str(python),
            "-c",
            "from playwright.sync_api import sync_playwright\n"
            "with sync_playwright() as p: print(p.chromium.executable_path)",
        ],
        timeout=120,
    )
    path = where.stdout.strip() if where is not None and where.returncode == 0 else ""
    return path if path and Path(path).is_file() and browser_works(path) else None


def needs_browser(pytest_args: list[str]) -> bool:
    """False when the arguments name only test files or folders, none of them the panel's."""
    named = [
        (ROOT / arg.split("::")[0]).resolve()
        for arg in pytest_args
        if not arg.startswith("-") and (ROOT / arg.split("::")[0]).exists()
    ]
    if not named:
        return True
    return any("panel" in path.name or path in (ROOT, ROOT / "tests") for path in named)


def ensure_browser(python: Path) -> str:
    """Chromium for the browser tests: the system's, else the package manager's, else
    Playwright's; stops with one line saying what to install when none works."""
    path = find_chromium() or chromium_from_package_manager() or chromium_from_playwright(python)
    if path is None:
        fail(NO_BROWSER)
    return path


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
        env = dict(os.environ)
        if needs_browser(args.extra):
            env["MUSIAIA_CHROMIUM"] = ensure_browser(python)
        return subprocess.call([str(python), "-m", "pytest", *args.extra], cwd=ROOT, env=env)
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
