"""Load: 20 concurrent WebSocket users each asking for a set, against a real running server.

    python benchmarks/bench_server_load.py [--users 20] [--rounds 1]

Starts `musiaia serve` on a free port with a temporary data folder, signs 20 users in, opens one
socket each, sends every user's request at the same moment and measures the time from sending to
the `project` event. Prints p50/p95/max, throughput, errors and lost messages, plus the server's
start-to-ready time and its idle memory (RSS) before and after the load.
Targets (issue 3): p95 under 1 s on 2 cores, zero errors, zero lost messages; idle memory < 150 MB;
start to ready < 2 s.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import websockets

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from server_harness import sign_in, start_server

REQUESTS = [
    "Genera un track de house a 124 BPM en La menor",
    "dark techno at 130 in F minor",
    "trap oscuro en Mi bemol menor",
    "lo-fi relajado a 80",
    "deep house melancólico",
]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def tree_pss_mb(pid: int) -> float:
    """Proportional set size of the server and its worker processes (shared pages split)."""
    pids = [pid]
    for child in Path("/proc").iterdir():
        if child.name.isdigit():
            try:
                stat = (child / "stat").read_text().split()
            except OSError:
                continue
            if int(stat[3]) in pids or int(stat[3]) == pid:
                pids.append(int(child.name))
    # second pass for grandchildren (forkserver → workers)
    for child in Path("/proc").iterdir():
        if child.name.isdigit() and int(child.name) not in pids:
            try:
                if int((child / "stat").read_text().split()[3]) in pids:
                    pids.append(int(child.name))
            except OSError:
                continue
    total = 0
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


async def user_session(url: str, token: str, request: str, start: asyncio.Event) -> dict:
    async with websockets.connect(url, max_size=2**22) as socket:
        await socket.send(json.dumps({"type": "auth", "token": token}))
        ready = json.loads(await socket.recv())
        assert ready["type"] == "ready", ready
        await start.wait()
        sent = time.perf_counter()
        await socket.send(json.dumps({"type": "message", "content": request}))
        seen = []
        while True:
            event = json.loads(await asyncio.wait_for(socket.recv(), 60))
            seen.append(event["type"])
            if event["type"] == "error":
                return {"error": event["detail"], "events": seen}
            if event["type"] == "project":
                return {"seconds": time.perf_counter() - sent, "events": seen}


async def run_round(url: str, tokens: list[str]) -> list[dict]:
    start = asyncio.Event()
    tasks = [
        asyncio.create_task(user_session(url, t, REQUESTS[i % len(REQUESTS)], start))
        for i, t in enumerate(tokens)
    ]
    await asyncio.sleep(1.0)  # everyone connected and authenticated
    started = time.perf_counter()
    start.set()
    results = await asyncio.gather(*tasks, return_exceptions=True)
    wall = time.perf_counter() - started
    out = []
    for result in results:
        out.append({"error": repr(result)} if isinstance(result, BaseException) else result)
    out.append({"wall": wall})
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        workers = os.environ.get("BENCH_WORKERS")
        server = start_server(
            Path(tmp), env_extra={"MUSIAIA_WORKERS": workers} if workers else None
        )
        ready = time.perf_counter() - started
        try:
            time.sleep(2)  # let the worker processes finish starting
            idle_before = rss_mb(server.process.pid)
            idle_tree = tree_pss_mb(server.process.pid)
            tokens = [sign_in(server)]
            env = {"MUSIAIA_DATA_DIR": tmp}
            for i in range(1, args.users):
                subprocess.run(
                    [
                        sys.executable,
                        "-m",
                        "companion.cli",
                        "user",
                        "add",
                        f"u{i}",
                        "--password-stdin",
                    ],
                    input="password-123\n",
                    text=True,
                    check=True,
                    capture_output=True,
                    env={**__import__("os").environ, **env},
                )
                response = httpx.post(
                    server.base_url + "/api/v1/auth/login",
                    data={"username": f"u{i}", "password": "password-123"},
                )
                tokens.append(response.json()["access_token"])
            latencies, errors, lost, walls = [], [], 0, []
            for number in range(args.rounds):
                results = asyncio.run(run_round(server.ws_url, tokens))
                walls.append(results.pop()["wall"])
                ok = sorted(r["seconds"] for r in results if "seconds" in r)
                if ok:
                    print(
                        f"  round {number + 1}: p50 {statistics.median(ok) * 1000:.0f} ms, "
                        f"max {ok[-1] * 1000:.0f} ms"
                    )
                for result in results:
                    if "error" in result:
                        errors.append(result["error"])
                    else:
                        latencies.append(result["seconds"])
                        if result["events"][-2:] != ["message", "project"]:
                            lost += 1
            time.sleep(1)
            idle_after = rss_mb(server.process.pid)
        finally:
            server.stop()
    latencies.sort()
    p95 = latencies[max(0, round(0.95 * len(latencies)) - 1)] if latencies else float("nan")
    print(f"users={args.users} rounds={args.rounds} requests={len(latencies) + len(errors)}")
    if latencies:
        print(
            f"time to project event: p50 {statistics.median(latencies) * 1000:.0f} ms, "
            f"p95 {p95 * 1000:.0f} ms, max {latencies[-1] * 1000:.0f} ms"
        )
        print(f"throughput: {len(latencies) / sum(walls):.1f} sets/s")
    print(f"errors: {len(errors)} {errors[:3]}  lost messages: {lost}")
    print(f"start to ready: {ready * 1000:.0f} ms (includes the test harness's health poll)")
    print(
        f"server memory: main process RSS idle {idle_before:.0f} MB, after load "
        f"{idle_after:.0f} MB; whole process tree (PSS) idle {idle_tree:.0f} MB"
    )


if __name__ == "__main__":
    main()
