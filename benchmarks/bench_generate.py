"""Request → Live project on disk: a 64-bar, six-part song, median of 20 runs, split by stage.

    python benchmarks/bench_generate.py [--runs 20]

Prints the median (and p90) per stage, the end-to-end time and the size of the written files.
Target (issue 2): end-to-end median under 100 ms on a 2-core machine. ``with_sounds`` is the same
request also choosing instruments from the built-in kit and copying the samples into the project;
``mixing`` is the production stage alone on that song (returns, devices, gain staging,
automation; every generation runs it).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from companion.als.writer import als_bytes
from companion.midi_files import part_midi_bytes
from companion.music.compose import compose
from companion.music.resolve import resolve
from companion.pipeline import generate, mix
from companion.sounds import SoundSource
from companion.understanding.parser import understand

REQUEST = (
    "Genera un track de house a 124 BPM en La menor, 64 compases, con batería, bajo, "
    "acordes, pads, lead y efectos"
)


def _timed(func, *args, **kwargs):
    started = time.perf_counter()
    result = func(*args, **kwargs)
    return result, (time.perf_counter() - started) * 1000


def _all_parts_midi(arrangement) -> list[bytes]:
    return [part_midi_bytes(arrangement, track, i) for i, track in enumerate(arrangement.tracks)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    stages: dict[str, list[float]] = {
        k: [] for k in ("parse", "compose", "als", "midi", "end_to_end", "with_sounds", "mixing")
    }
    with tempfile.TemporaryDirectory() as tmp:
        chooser = SoundSource(
            Path(tmp) / "kit"
        ).chooser()  # the built-in kit, as on a fresh install
        generate(REQUEST, seed=0, out_dir=Path(tmp) / "warmup", sounds=chooser)  # imports, caches
        sizes = {}
        for run in range(args.runs):
            understanding, t = _timed(understand, REQUEST)
            stages["parse"].append(t)
            spec = resolve(understanding.requirements, run)
            arrangement, t = _timed(compose, spec)
            stages["compose"].append(t)
            _, t = _timed(als_bytes, arrangement)
            stages["als"].append(t)
            _, t = _timed(_all_parts_midi, arrangement)
            stages["midi"].append(t)
            result, t = _timed(generate, REQUEST, seed=run, out_dir=Path(tmp) / f"run{run}")
            stages["end_to_end"].append(t)
            made, t = _timed(
                generate, REQUEST, seed=run, out_dir=Path(tmp) / f"sounds{run}", sounds=chooser
            )
            stages["with_sounds"].append(t)
            _, t = _timed(mix, made.sounds.arrangement, made.spec, made.sounds)
            stages["mixing"].append(t)
            project = result.project
            sizes = {
                "als": project.als.stat().st_size,
                "midi": sum(p.stat().st_size for p in project.midi),
                "json": project.arrangement_json.stat().st_size,
            }
    print(f"song: {arrangement.summary()}")
    for name, values in stages.items():
        values.sort()
        p90 = values[int(0.9 * (len(values) - 1))]
        print(f"{name:>11}: median {statistics.median(values):7.1f} ms   p90 {p90:7.1f} ms")
    print(
        f"  file size: .als {sizes['als'] / 1024:.1f} KiB (gzip), "
        f".mid total {sizes['midi'] / 1024:.1f} KiB, "
        f"arrangement.json {sizes['json'] / 1024:.1f} KiB"
    )
    median = statistics.median(stages["end_to_end"])
    print(
        f"end-to-end median {median:.1f} ms (target < 100 ms): {'OK' if median < 100 else 'OVER'}"
    )


if __name__ == "__main__":
    main()
