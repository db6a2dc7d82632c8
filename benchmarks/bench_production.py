"""Request → Live project with its production (returns, effects, sidechain, gain staging,
automation, chosen by the mixing stage per style), against the same request with the stage
skipped: median of 20 runs each, wall and CPU time, per stage, the .als sizes, and the floor.

    python benchmarks/bench_production.py [--runs 20] [--live-version 11] [--style house]

The floor is what writing the same project costs with no set to build: serialising the same XML
tree, gzipping it and writing the same files. Targets (issue 13): request → project with effects
under 150 ms median, within 3× of the floor. The machine is shared, so CPU time (this process's)
is printed next to wall time.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import zlib
from pathlib import Path

from lxml import etree

import companion.pipeline as pipeline
from companion.als.writer import als_bytes, als_xml
from companion.fsutil import atomic_write_bytes
from companion.pipeline import generate
from companion.production import Production
from companion.production.gain import Staged
from companion.project_files import render_files
from companion.settings import Settings
from companion.sounds import SoundSource

REQUEST = (
    "Genera un track de {style} a 124 BPM en La menor, 64 compases, con batería, bajo, "
    "acordes, pads, lead y efectos"
)


def _skipped(arrangement, spec, sounds) -> Production:
    """The mixing stage left out: the song as the sounds stage made it."""
    return Production(arrangement=arrangement, staged=Staged({}, 0.0), parts={}, inputs=[])


def _floor(xml: bytes, files: dict, out: Path) -> tuple[float, float]:
    """Serialise the same tree, gzip it and write the same files: the cost of any writer."""
    tree = etree.fromstring(xml, parser=etree.XMLParser(huge_tree=True))

    def write() -> None:
        data = etree.tostring(tree, encoding="UTF-8", xml_declaration=True)
        zlib.compress(data, 3)
        for relative, content in files.items():
            path = out / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_bytes(path, content)

    return _timed(write)[1:]


def _timed(func, *args, **kwargs):
    """(result, wall ms, this process's CPU ms)."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = func(*args, **kwargs)
    return result, (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000


def _median(values: list[float]) -> str:
    values = sorted(values)
    p90 = values[int(0.9 * (len(values) - 1))]
    return f"median {statistics.median(values):6.1f} ms  p90 {p90:6.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--live-version", default="11")
    parser.add_argument("--style", default="house")
    args = parser.parse_args()
    request = REQUEST.format(style=args.style)
    names = ("plain", "production", "mixing", "als_plain", "als_prod", "floor")
    wall: dict[str, list[float]] = {k: [] for k in names}
    cpu: dict[str, list[float]] = {k: [] for k in names}
    stage_wall: dict[str, list[float]] = {}
    chooser = SoundSource(Settings().kit_dir).chooser()
    mixing = pipeline.mix
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        generate(request, seed=0, out_dir=root / "warm", sounds=chooser)  # imports, caches
        results = {}
        for run in range(args.runs):
            for label, stage in (("plain", _skipped), ("production", mixing)):
                pipeline.mix = stage
                try:
                    result, wall_ms, cpu_ms = _timed(
                        generate,
                        request,
                        seed=run,
                        out_dir=root / f"{label}{run}",
                        live_version=args.live_version,
                        sounds=chooser,
                    )
                finally:
                    pipeline.mix = mixing
                wall[label].append(wall_ms)
                cpu[label].append(cpu_ms)
                results[label] = result
                key = "als_plain" if label == "plain" else "als_prod"
                _, wall_ms, cpu_ms = _timed(als_bytes, result.arrangement, args.live_version)
                wall[key].append(wall_ms)
                cpu[key].append(cpu_ms)
            made = results["production"]
            for step, seconds in made.timings.items():
                stage_wall.setdefault(step, []).append(seconds * 1000)
            _, wall_ms, cpu_ms = _timed(mixing, made.sounds.arrangement, made.spec, made.sounds)
            wall["mixing"].append(wall_ms)
            cpu["mixing"].append(cpu_ms)
            arrangement = made.arrangement
            files = render_files(arrangement, "Floor", live_version=args.live_version)
            xml = als_xml(arrangement, args.live_version)
            wall_ms, cpu_ms = _floor(xml, files, root / f"floor{run}")
            wall["floor"].append(wall_ms)
            cpu["floor"].append(cpu_ms)
        size_plain = results["plain"].project.als.stat().st_size
        size_prod = results["production"].project.als.stat().st_size
    produced = results["production"].arrangement
    devices = sum(len(t.devices) for t in produced.tracks) + len(produced.main.devices)
    devices += sum(len(r.devices) for r in produced.returns)
    envelopes = sum(len(t.automation) for t in produced.tracks) + len(produced.main.automation)
    clip_envelopes = sum(len(c.envelopes) for t in produced.tracks for c in t.clips)
    print(
        f"song: {produced.summary()}, Live {args.live_version}, {args.runs} runs; production: "
        f"{len(produced.returns)} returns, {devices} devices, {envelopes} arrangement envelopes, "
        f"{clip_envelopes} clip envelopes"
    )
    print(f"{'':>40}  {'wall clock':^32}  {'CPU of this process':^32}")
    for label, title in (
        ("plain", "request → project, mixing stage skipped"),
        ("production", "request → project with its production"),
        ("mixing", "the mixing stage alone"),
        ("als_plain", ".als bytes, no production"),
        ("als_prod", ".als bytes, with production"),
        ("floor", "floor (serialise+gzip+write)"),
    ):
        print(f"{title:>40}  {_median(wall[label])}  {_median(cpu[label])}")
    print("  stages (wall, median): " + ", ".join(
        f"{step} {statistics.median(values):.1f}" for step, values in stage_wall.items()
    ))  # fmt: skip
    print(
        f"  .als size: {size_plain / 1024:.1f} KiB without production, {size_prod / 1024:.1f} KiB "
        f"with ({size_prod / size_plain:.2f}×)"
    )
    for clock, table in (("wall", wall), ("CPU", cpu)):
        median = statistics.median(table["production"])
        ratio = median / statistics.median(table["floor"])
        print(
            f"with production ({clock}): median {median:.1f} ms (target < 150 ms): "
            f"{'OK' if median < 150 else 'OVER'}; {ratio:.1f}× the floor (goal ≤ 3×)"
        )


if __name__ == "__main__":
    main()
