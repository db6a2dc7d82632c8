"""MusiaIA as a producer installs it: the wheel, built from this checkout, installed into a fresh
virtual environment outside it, then ``musiaia setup`` into a (fake) User Library and ``musiaia
serve``. Slow (a real pip install of every dependency), so it is one test."""

from __future__ import annotations

import json
import os
import queue
import shutil
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import anyio
import httpx
from mcp import Client
from mcp.client.stdio import StdioServerParameters

from fake_live import FakeLive, load_script_package
from server_harness import URL_LINE

REPO = Path(__file__).resolve().parents[1]
SOURCES = ("pyproject.toml", "setup.py", "README.md", "companion", "remote_script")
IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info", "build")


def run(command: list, **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [str(part) for part in command], capture_output=True, text=True, check=False, **kwargs
    )
    assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"
    return result


def build_wheel(tmp_path: Path) -> Path:
    """``pip wheel`` on a copy of the sources (an in-tree build would leave build/ behind)."""
    source = tmp_path / "source"
    source.mkdir()
    for name in SOURCES:
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, source / name, ignore=IGNORE)
        else:
            shutil.copy2(REPO / name, source / name)
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", tmp_path / "dist", source])
    (wheel,) = (tmp_path / "dist").glob("musiaia-*.whl")
    return wheel


def script_files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in folder.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }


def serve(command: list, env: dict[str, str], cwd: Path) -> tuple[subprocess.Popen, str]:
    process = subprocess.Popen(
        [str(part) for part in command],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
        cwd=cwd,
    )
    lines: queue.Queue[str] = queue.Queue()
    output: list[str] = []

    def pump() -> None:
        for line in process.stdout:  # type: ignore[union-attr]
            output.append(line)
            lines.put(line)

    threading.Thread(target=pump, daemon=True).start()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        try:
            line = lines.get(timeout=0.2)
        except queue.Empty:
            continue
        if match := URL_LINE.search(line):
            return process, match.group(1)
    process.kill()
    raise AssertionError("the installed companion did not start:\n" + "".join(output))


def test_the_wheel_installs_outside_the_checkout_sets_up_live_and_serves(tmp_path):
    wheel = build_wheel(tmp_path)
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    expected = {
        "companion/web/index.html",  # the web panel
        "companion/web/app.js",
        "companion/kit/build.py",  # the kit's code
        "companion/remote_script/__init__.py",  # the Remote Script
        "companion/remote_script/PROTOCOL.md",
        "companion/remote_script/handlers/__init__.py",
        "companion/mcp_server/local.py",
    }
    assert expected <= names, expected - names
    assert not any(name.startswith(("tests/", "remote_script/")) for name in names)

    home = tmp_path / "home"
    home.mkdir()
    venv = tmp_path / "venv"
    run([sys.executable, "-m", "venv", venv])
    bin_dir = venv / ("Scripts" if os.name == "nt" else "bin")
    run([bin_dir / "python", "-m", "pip", "install", "-q", wheel], cwd=tmp_path)

    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("MUSIAIA_", "GLM46_", "MINIMAX_", "PYTHON", "VIRTUAL_ENV"))
    }
    env.update(HOME=str(home), MUSIAIA_DATA_DIR=str(tmp_path / "data"), PYTHONUNBUFFERED="1")
    where = run(
        [
            bin_dir / "python",
            "-c",
            "import companion, companion.script_install as s; "
            "print(companion.__file__); print(s.script_source())",
        ],
        env=env,
        cwd=tmp_path,
    ).stdout.split()
    assert all(Path(path).is_relative_to(venv) for path in where), where  # not the checkout

    library = home / "Music" / "Ableton" / "User Library"
    library.mkdir(parents=True)
    setup = run([bin_dir / "musiaia", "setup", "--user-library", library], env=env, cwd=tmp_path)
    assert "Control Surface: MusiaIA" in setup.stdout
    installed = library / "Remote Scripts" / "MusiaIA"
    copied = script_files(installed)
    pairing = json.loads(copied.pop("config.json"))  # the link secret shared with the companion
    assert copied == script_files(REPO / "remote_script")
    key = (tmp_path / "data" / "live-link.key").read_text().strip()
    assert pairing == {"link_secret": key} and len(bytes.fromhex(key)) >= 16
    kit = library / "Samples" / "MusiaIA Kit"
    manifest = json.loads((kit / "musiaia-kit.json").read_text())
    assert manifest["files"] and all((kit / name).is_file() for name in manifest["files"])

    live = FakeLive("11.3")  # the copy from the wheel runs as Live runs it
    try:
        surface, c_instance = live.start_script(load_script_package("MusiaIA", folder=installed))
        live.tick(2)
        assert "listening" in c_instance.logs[0]
        live.stop_script(surface)
    finally:
        live.close()

    env.update(
        MUSIAIA_KIT_DIR=str(kit),
        MUSIAIA_LIVE_COMPANION_PORT="0",
        MUSIAIA_LIVE_SCRIPT_PORT="9",
        MUSIAIA_SAMPLE_DIRS=str(library / "Samples"),
    )
    process, base_url = serve([bin_dir / "musiaia", "serve", "--port", "0"], env, tmp_path)
    try:
        health = httpx.get(base_url + "/api/v1/health", timeout=30)
        assert health.status_code == 200 and health.json()["status"] == "ok", health.text
        panel = httpx.get(base_url + "/", timeout=30)
        assert panel.status_code == 200 and "MusiaIA" in panel.text
        assert httpx.get(base_url + "/static/app.js", timeout=30).status_code == 200
    finally:
        process.terminate()
        process.wait(15)

    async def list_tools() -> set[str]:  # the installed `musiaia mcp`, driven by the SDK
        command = StdioServerParameters(
            command=str(bin_dir / "musiaia"),
            args=["mcp"],
            env={k: v for k, v in env.items() if k.startswith("MUSIAIA_") or k == "HOME"},
            cwd=tmp_path,
        )
        async with Client(command, read_timeout_seconds=60) as client:
            return {tool.name for tool in (await client.list_tools()).tools}

    assert {"compose_song", "send_to_live"} <= anyio.run(list_tools)
