"""The built-in palette rendered at first use, timed.

    python benchmarks/bench_kit.py [--workers N] [--repeat 1]

Renders every kit sound (drums, effects and the zones of every multi-sampled instrument) into a
fresh temporary folder, as a first start does, and prints the wall time, the palette's size
(files, instruments, MB) and the check when up to date; then renders it once more in this
process alone, for the CPU seconds the whole palette costs (the machine's load average is
printed: on a shared machine wall time says little, CPU time divided by the cores does).
Target: the whole palette in under 10 s at first use on the 2-core reference machine.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from companion.kit import build
from companion.kit.catalogue import INSTRUMENTS, KIT


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    for run in range(args.repeat):
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / "kit"
            started = time.perf_counter()
            build.ensure_kit(folder, workers=args.workers, seed="")
            wall = time.perf_counter() - started
            serial = Path(tmp) / "serial"
            before = time.process_time()
            build.ensure_kit(serial, workers=1, seed="")
            cpu = time.process_time() - before
            started = time.perf_counter()
            build.ensure_kit(folder, seed="")
            check = time.perf_counter() - started
            size = sum(p.stat().st_size for p in folder.iterdir())
            looped = sum(s.looped for s in KIT)
            print(
                f"run {run + 1}: palette of {len(KIT)} files ({len(KIT) - looped} one-shots, "
                f"{len(INSTRUMENTS)} instruments in {looped} looped zones), {size / 1e6:.1f} MB: "
                f"{wall:5.2f} s wall on {args.workers or os.cpu_count()} workers, {cpu:5.2f} s CPU "
                f"in one process; {check * 1000:.1f} ms when up to date; "
                f"load average {os.getloadavg()[0]:.1f}"
            )


if __name__ == "__main__":
    main()
