"""Start the real companion (``musiaia serve``) in a subprocess on a free port, for tests."""

from __future__ import annotations

import os
import queue
import re
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

URL_LINE = re.compile(r"running at (http://\S+)/")
TOKEN_LINE = re.compile(r"\?token=(\S+)")


@dataclass
class RunningServer:
    data_dir: Path
    process: subprocess.Popen
    base_url: str
    login_token: str | None
    output: list[str] = field(default_factory=list)

    @property
    def port(self) -> int:
        return int(self.base_url.rsplit(":", 1)[1])

    @property
    def ws_url(self) -> str:
        return self.base_url.replace("http://", "ws://") + "/ws/chat"

    def client(self, token: str | None = None, **kwargs) -> httpx.Client:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.Client(base_url=self.base_url, headers=headers, timeout=60, **kwargs)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)


def _free_udp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(
    data_dir: Path,
    env_extra: dict | None = None,
    timeout: float = 30,
    prefix: list[str] | None = None,
) -> RunningServer:
    """``musiaia serve --port 0``; ``prefix`` runs it through another command (e.g. in a mount
    namespace with a small file system)."""
    # A developer's own provider keys or MusiaIA settings must not leak into tests.
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith(("GLM46_", "MINIMAX_", "MUSIAIA_"))
    }
    env = {
        **clean,
        "MUSIAIA_DATA_DIR": str(data_dir),
        # Never render the kit into a real User Library on a developer's machine.
        "MUSIAIA_KIT_DIR": str(data_dir / "kit"),
        "MUSIAIA_KIT_SEED": os.environ.get("MUSIAIA_KIT_SEED", ""),
        "PYTHONUNBUFFERED": "1",
        # Never talk to a Live (or another companion) that happens to run on this machine.
        "MUSIAIA_LIVE_COMPANION_PORT": "0",
        "MUSIAIA_LIVE_SCRIPT_PORT": str(_free_udp_port()),
        **(env_extra or {}),
    }
    process = subprocess.Popen(
        [*(prefix or []), sys.executable, "-m", "companion.cli", "serve", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    lines: queue.Queue[str] = queue.Queue()
    output: list[str] = []

    def pump() -> None:
        for line in process.stdout:  # type: ignore[union-attr]
            output.append(line)
            lines.put(line)

    threading.Thread(target=pump, daemon=True).start()
    base_url = token = None
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        try:
            line = lines.get(timeout=0.2)
        except queue.Empty:
            continue
        if match := URL_LINE.search(line):
            base_url = match.group(1)
        if match := TOKEN_LINE.search(line):
            token = match.group(1)
        if "Press Ctrl+C" in line:
            break
    if base_url is None:
        process.kill()
        raise RuntimeError("server did not start:\n" + "".join(output))
    server = RunningServer(data_dir, process, base_url, token, output)
    while time.monotonic() < deadline:  # wait until it answers
        try:
            if httpx.get(base_url + "/api/v1/health", timeout=2).status_code == 200:
                return server
        except httpx.TransportError:
            time.sleep(0.05)
    server.stop()
    raise RuntimeError("server never became healthy:\n" + "".join(output))


def sign_in(server: RunningServer) -> str:
    """Exchange the printed one-time link for an access token."""
    response = httpx.post(
        server.base_url + "/api/v1/auth/link", json={"token": server.login_token}, timeout=30
    )
    response.raise_for_status()
    return response.json()["access_token"]


def descendants(pid: int) -> set[int]:
    """Every living process below ``pid`` (Linux /proc): the server's forkserver and workers."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(parent, []).append(int(entry.name))
    found: set[int] = set()
    todo = [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def alive(pids: set[int]) -> set[int]:
    """The pids that still run (zombies count as gone)."""
    running = set()
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            running.add(pid)
    return running
