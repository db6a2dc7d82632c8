"""Offline render speed: a 3-minute, six-part song, as generated today and with a full production
(effects on every track, sidechain, two returns, automation, a limiter on Main).

    python benchmarks/bench_render.py [--runs 3] [--profile]

Prints seconds of audio, render time (median of the runs) and the real-time factor for both, on
the wall clock and in CPU time (the machine is shared: the CPU figure is the steadier one).
Target (issue 12): ≥ 20× real time on this 2-core machine.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import tempfile
import time
from pathlib import Path

from companion.arrangement import (
    Arrangement,
    Device,
    Envelope,
    MainBus,
    Mix,
    ReturnTrack,
)
from companion.pipeline import generate
from companion.render.engine import render
from companion.sounds import SoundSource

REQUEST = "house at 124 BPM in A minor"  # 96 bars: 3 min 6 s, six parts


def produced(song: Arrangement) -> Arrangement:
    """The song with what a mixing stage writes: devices by role, sends, returns, automation."""
    build = next((s for s in song.sections if s.kind == "build"), song.sections[0])
    start = song.section_start_beat(build)
    end = start + build.bars * song.beats_per_bar
    tracks = []
    for track in song.tracks:
        devices = [Device(kind="eq8", params={"b1_on": 1, "b1_mode": 1, "b1_freq": 120.0})]
        automation = []
        sends = (-18.0, -24.0)
        if track.role == "drums":
            devices = [Device(kind="glue", params={"threshold_db": -12, "ratio": 4})]
            sends = (-20.0, -70.0)
        elif track.role == "bass":
            devices = [
                Device(kind="saturator", params={"drive_db": 6.0}),
                Device(
                    kind="compressor",
                    sidechain="Drums",
                    params={"threshold_db": -30, "ratio": 6, "release_ms": 120},
                ),
            ]
            sends = (-70.0, -70.0)
        elif track.role in ("chords", "pads"):
            devices += [
                Device(kind="compressor", sidechain="Drums", params={"threshold_db": -28}),
                Device(kind="auto_filter", params={"cutoff_hz": 19900.0}),
                Device(kind="utility", params={"width": 1.4}),
            ]
            automation = [
                Envelope(
                    target="device:2:cutoff_hz",
                    points=[(start, 400.0), (end, 20000.0)],
                )
            ]
        elif track.role == "lead":
            devices.append(Device(kind="auto_filter", params={"lfo_amount": 0.3, "lfo_rate_hz": 2}))
            automation = [Envelope(target="send:1", points=[(end - 1, -24.0), (end, 0.0)])]
        tracks.append(
            track.model_copy(
                update={
                    "devices": devices,
                    "automation": automation,
                    "mix": Mix(volume_db=-6.0, pan=0.0, sends=sends),
                }
            )
        )
    returns = [
        ReturnTrack(name="Reverb", devices=[Device(kind="reverb", params={"decay_s": 2.5})]),
        ReturnTrack(
            name="Delay",
            devices=[Device(kind="delay", params={"sixteenths_l": 3, "ping_pong": 1})],
        ),
    ]
    main = MainBus(
        devices=[
            Device(kind="glue", params={"threshold_db": -8}),
            Device(kind="limiter", params={"ceiling_db": -1.0}),
        ],
        automation=[Envelope(target="volume", points=[(0.0, -20.0), (16.0, 0.0)])],
    )
    return song.model_copy(update={"tracks": tracks, "returns": returns, "main": main})


def timed(song: Arrangement, folder: Path, runs: int) -> tuple[float, float, float]:
    """(seconds of audio, median wall time, median CPU time)."""
    walls, cpus = [], []
    seconds = 0.0
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        result = render(song, folder)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
        seconds = result.seconds
    return seconds, statistics.median(walls), statistics.median(cpus)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--profile", action="store_true", help="print where the time goes")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        made = generate(
            REQUEST, seed=1, out_dir=root / "projects", sounds=SoundSource(root / "kit").chooser()
        )
        folder, song = made.project.folder, made.arrangement
        render(song, folder, seconds=1.0)  # imports and first-use costs are not the render's
        parts = len([t for t in song.tracks if t.note_count or t.is_audio])
        for label, arrangement in (("as generated", song), ("with production", produced(song))):
            seconds, elapsed, cpu = timed(arrangement, folder, args.runs)
            print(
                f"render {label}: {seconds:.1f} s of audio, {parts} parts, "
                f"{elapsed:.2f} s (median of {args.runs}) = {seconds / elapsed:.1f}x real time "
                f"(target >= 20x); CPU {cpu:.2f} s = {seconds / cpu:.1f}x"
            )
            if args.profile:
                profiler = cProfile.Profile()
                profiler.runcall(render, arrangement, folder)
                pstats.Stats(profiler).sort_stats("cumulative").print_stats(18)


if __name__ == "__main__":
    main()
