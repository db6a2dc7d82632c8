"""Helpers for the web panel's browser tests: the real server on a chosen port (so it can be
stopped and started again on the same address), and a Chromium driven by Playwright."""

from __future__ import annotations

import os
import queue
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

from server_harness import TOKEN_LINE, URL_LINE, RunningServer

# Debian's Chromium (CI installs it with apt); MUSIAIA_CHROMIUM points elsewhere if needed.
CHROMIUM = os.environ.get("MUSIAIA_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--autoplay-policy=no-user-gesture-required",
    "--disable-dev-shm-usage",
]
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts" / "panel"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server_on(
    data_dir: Path, port: int = 0, env_extra: dict | None = None, timeout: float = 40
) -> RunningServer:
    """``musiaia serve --port PORT`` (0: any free port) on ``data_dir``; returns once healthy.

    Same protocol as ``server_harness.start_server`` but with a chosen port: a restarted server
    must come back on the address the open page keeps reconnecting to.
    """
    env = {
        **os.environ,
        "MUSIAIA_DATA_DIR": str(data_dir),
        "MUSIAIA_KIT_DIR": str(data_dir / "kit"),
        "PYTHONUNBUFFERED": "1",
        **(env_extra or {}),
    }
    deadline = time.monotonic() + timeout
    while True:
        process = subprocess.Popen(
            [sys.executable, "-m", "companion.cli", "serve", "--port", str(port)],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=env,
        )
        lines: queue.Queue[str] = queue.Queue()
        output: list[str] = []

        def pump(stream=process.stdout, sink=output, feed=lines) -> None:
            for line in stream:  # type: ignore[union-attr]
                sink.append(line)
                feed.put(line)

        threading.Thread(target=pump, daemon=True).start()
        base_url = token = None
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
        if base_url is not None:
            break
        process.kill()
        process.wait(5)
        # The old process may still hold the port for a moment after it exited: try again.
        if port and "already in use" in "".join(output) and time.monotonic() < deadline:
            time.sleep(0.2)
            continue
        raise RuntimeError("server did not start:\n" + "".join(output))
    server = RunningServer(data_dir, process, base_url, token, output)
    while time.monotonic() < deadline:
        try:
            if httpx.get(base_url + "/api/v1/health", timeout=2).status_code == 200:
                return server
        except httpx.TransportError:
            time.sleep(0.05)
    server.stop()
    raise RuntimeError("server never became healthy:\n" + "".join(output))


def wait_for_sample(server: RunningServer, token: str, query: str, timeout: float = 30) -> None:
    """Wait until the server's sample library has indexed a file matching ``query``."""
    deadline = time.monotonic() + timeout
    with server.client(token) as client:
        while not client.get("/api/v1/samples", params={"q": query}).json()["items"]:
            if time.monotonic() > deadline:
                raise RuntimeError(f"{query!r} never appeared in the sample library")
            time.sleep(0.2)


def login_link(server: RunningServer) -> str:
    return f"{server.base_url}/?token={server.login_token}"


def wav_bytes(seconds: float = 0.5, rate: int = 44100, frequency: float = 55.0) -> bytes:
    """A small valid 16-bit mono WAV (a decaying sine: a kick-like one-shot)."""
    import io
    import math
    import struct
    import wave

    frames = int(seconds * rate)
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        samples = (
            int(
                20000
                * math.exp(-6 * i / frames)
                * math.sin(2 * math.pi * frequency * i / rate * (1 + 2 * math.exp(-30 * i / rate)))
            )
            for i in range(frames)
        )
        out.writeframes(b"".join(struct.pack("<h", s) for s in samples))
    return buffer.getvalue()
