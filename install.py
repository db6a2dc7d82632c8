#!/usr/bin/env python3
"""Set up MusiaIA on this machine and run it.

    python3 install.py            set up (virtual env + packages) and start the companion
    python3 install.py test       set up with the test tools and run the whole test suite
    python3 install.py setup      set up only

Standard library only, so it runs on a fresh machine that has nothing but Python 3.11+.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
MIN_PYTHON = (3, 11)


def fail(message: str) -> None:
    print(f"install.py: error: {message}", file=sys.stderr)
    raise SystemExit(2)


def venv_python(env_dir: Path) -> Path:
    if os.name == "nt":
        return env_dir / "Scripts" / "python.exe"
    return env_dir / "bin" / "python"


def ensure_venv(env_dir: Path, dev: bool) -> Path:
    """Create the virtual environment and install MusiaIA into it (skipped when up to date)."""
    python = venv_python(env_dir)
    if not python.exists():
        print(f"Creating the virtual environment in {env_dir} …", flush=True)
        venv.EnvBuilder(with_pip=True, clear=False).create(env_dir)
    extras = "[dev]" if dev else ""
    stamp = env_dir / ".musiaia-installed"
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + extras.encode()).hexdigest()
    installed = stamp.read_text().split() if stamp.exists() else []
    if digest not in installed:
        print(f"Installing MusiaIA{extras} and its dependencies …", flush=True)
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
        if subprocess.call(command) != 0:
            fail("pip could not install the dependencies (see the messages above)")
        stamp.write_text(" ".join([*installed, digest]))
    return python


def main(argv: list[str] | None = None) -> int:
    if sys.version_info < MIN_PYTHON:
        fail(
            f"MusiaIA needs Python {'.'.join(map(str, MIN_PYTHON))} or newer; "
            f"this is {sys.version.split()[0]}"
        )
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("action", nargs="?", default="run", choices=("run", "setup", "test"))
    parser.add_argument("--venv", default=str(ROOT / ".venv"), help="virtual environment folder")
    parser.add_argument(
        "extra",
        nargs=argparse.REMAINDER,
        help="arguments passed on: to pytest with 'test', to 'musiaia serve' "
        "with 'run' (e.g. --port 8080)",
    )
    args = parser.parse_args(argv)
    env_dir = Path(args.venv).expanduser().resolve()
    python = ensure_venv(env_dir, dev=args.action == "test")

    if args.action == "setup":
        print("MusiaIA is set up.")
        return 0
    if args.action == "test":
        return subprocess.call([str(python), "-m", "pytest", *args.extra], cwd=ROOT)
    try:
        return subprocess.call([str(python), "-m", "companion.cli", "serve", *args.extra])
    except KeyboardInterrupt:
        return 0


if __name__ == "__main__":
    sys.exit(main())
