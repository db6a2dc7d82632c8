"""A sign-in flood against the companion: memory and /health while it lasts.

    python benchmarks/bench_signin_flood.py [N]

Starts `musiaia serve` on a temporary data folder and sends N (default 40) password sign-ins with
unknown user names at once, each from its own loopback address (Linux: 127.6.0.x), so no limit
stops them and every one costs an Argon2 check (64 MiB). Prints how much the server's peak memory
grew, how long /health took while the flood was under way, and how long the flood took.
Figures before the fix (issue 11, finding 3): +870 MiB, /health 17 s of a 23 s flood.
Target: peak memory grows by less than 300 MiB; /health answers in well under a second.
"""

from __future__ import annotations

import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from server_harness import start_server


def peak_rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM (Linux only)")


def main(count: int = 40) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        server = start_server(Path(tmp))
        try:
            url = server.base_url
            clients = [
                httpx.Client(
                    transport=httpx.HTTPTransport(local_address=f"127.6.{n // 250}.{n % 250 + 1}"),
                    timeout=300,
                )
                for n in range(count)
            ]
            for client in clients:
                client.get(url + "/api/v1/health")
            before = peak_rss_mib(server.process.pid)
            barrier = threading.Barrier(count + 1)

            def attempt(number: int) -> int:
                barrier.wait()
                return (
                    clients[number]
                    .post(
                        url + "/api/v1/auth/login",
                        data={"username": f"nobody{number}", "password": "wrong-password"},
                    )
                    .status_code
                )

            with ThreadPoolExecutor(count) as pool:
                started = time.monotonic()
                futures = [pool.submit(attempt, n) for n in range(count)]
                barrier.wait()
                time.sleep(0.3)
                asked = time.monotonic()
                httpx.get(url + "/api/v1/health", timeout=300).raise_for_status()
                health = time.monotonic() - asked
                statuses = [future.result() for future in futures]
                flood = time.monotonic() - started
            grown = peak_rss_mib(server.process.pid) - before
            others = sorted(s for s in statuses if s != 401)
            print(f"{count} sign-ins: {statuses.count(401)} answered 401, others: {others}")
            print(f"peak memory grew by {grown:.0f} MiB (target < 300 MiB)")
            print(f"/health during the flood: {health * 1000:.0f} ms; the flood took {flood:.1f} s")
        finally:
            server.stop()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 40)
