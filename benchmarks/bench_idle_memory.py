"""Idle memory of the companion as a producer leaves it running beside Live.

    python benchmarks/bench_idle_memory.py

Starts `musiaia serve` on a temporary data folder once (first start: the built-in kit is rendered),
then again on the same folder (every later start), makes one set, and prints the memory of the
main process (RSS) and of the whole process tree (PSS: main, forkserver, workers) right after the
set and after the workers' quiet spell (120 s without a job stops them). Takes about 2.5 minutes.
Target (issue 3): idle memory under 150 MB.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from bench_server_load import rss_mb, tree_pss_mb

from server_harness import sign_in, start_server

QUIET_SPELL = 120 + 10  # the worker pool's idle shutdown, plus its 5 s check interval and margin


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        first = start_server(Path(tmp))
        time.sleep(2)
        print(f"first start:  main RSS {rss_mb(first.process.pid):.0f} MB (kit rendered)")
        first.stop()
        server = start_server(Path(tmp))
        try:
            with server.client(sign_in(server)) as client:
                client.post(
                    "/api/v1/chat/message",
                    json={"message": "Genera un track de house a 124 BPM en La menor"},
                ).raise_for_status()
            time.sleep(3)
            pid = server.process.pid
            warm = tree_pss_mb(pid)
            print(f"after a set:  main RSS {rss_mb(pid):.0f} MB, tree PSS {warm:.0f} MB")
            time.sleep(QUIET_SPELL)
            idle = tree_pss_mb(pid)
            print(f"idle:         main RSS {rss_mb(pid):.0f} MB, tree PSS {idle:.0f} MB")
            verdict = "OK" if idle < 150 else "MISSED"
            print(f"idle memory {idle:.0f} MB (target < 150 MB): {verdict}")
        finally:
            server.stop()


if __name__ == "__main__":
    main()
