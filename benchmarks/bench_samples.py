"""Sample library at scale: a 10,000-file library in a temporary folder, timed end to end.

    python benchmarks/bench_samples.py [--files 10000] [--loops 100]

Prints: first scan (files/s and total), restart rescan (new database connection and index, as
after a restart), watcher latency (file written → row in the database), audio analysis per loop,
built-in kit rendering, search, and sound selection per project.
Targets: first scan of 10,000 small files < 30 s, restart rescan < 2 s.
"""

from __future__ import annotations

import argparse
import logging
import random
import statistics
import struct
import tempfile
import time
from pathlib import Path

import numpy as np
import soundfile
from sqlalchemy import select

from companion.db import Database, Sample
from companion.kit.build import ensure_kit
from companion.music.compose import compose
from companion.music.resolve import resolve
from companion.requirements import Requirements
from companion.samples.index import SampleIndex
from companion.samples.search import SampleQuery, search_samples
from companion.samples.select import (
    CandidateCache,
    kit_candidates,
    library_candidates,
    select_samples,
)
from companion.samples.watcher import LibraryWatcher

RATE = 44_100
KINDS = ["Kick", "Snare", "Clap", "Closed_Hat", "Open_Hat", "Perc_Shaker", "Tom", "Ride", "Crash"]
TONAL = ["Bass", "808", "Lead", "Pluck", "Pad", "Keys", "Vox_Chop", "Stab"]
LOOPS = ["Drum_Loop", "Top_Loop", "Bass_Loop", "Chord_Loop", "Arp_Loop", "Perc_Loop"]
KEYS = ["Am", "Cm", "F#m", "Dmin", "Gm", "Ebm", "C", "F", "Bbmaj", "A_minor"]
STYLES = ["House", "Techno", "Trap", "DnB", "Lo-Fi", "Deep House", "Reggaeton", "Pop"]


def _wav(frames: int, seed: int) -> bytes:
    rng = np.random.RandomState(seed)
    data = (rng.uniform(-0.3, 0.3, frames) * 32767).astype("<i2").tobytes()
    fmt = struct.pack("<HHIIHH", 1, 1, RATE, RATE * 2, 2, 16)
    body = b"fmt " + struct.pack("<I", 16) + fmt + b"data" + struct.pack("<I", len(data)) + data
    return b"RIFF" + struct.pack("<I", 4 + len(body)) + b"WAVE" + body


def make_library(root: Path, count: int) -> None:
    """``count`` small files in pack-shaped folders: 90% WAV, 4% AIFF, 4% FLAC, 2% bad."""
    rng = random.Random(7)
    packs = max(1, count // 200)
    for index in range(count):
        style = STYLES[index % len(STYLES)]
        pack = root / f"{style} Pack {index % packs:02d}"
        roll = rng.random()
        if roll < 0.5:
            folder = pack / "One Shots" / "Drums"
            name = f"{rng.choice(KINDS)}_{index:05d}"
        elif roll < 0.75:
            folder = pack / "One Shots" / "Synth"
            name = f"{rng.choice(TONAL)}_{index:05d}_{rng.choice('CDEFGAB')}"
        else:
            folder = pack / "Loops"
            name = f"{rng.choice(LOOPS)}_{rng.randrange(80, 176)}bpm_{rng.choice(KEYS)}_{index:05d}"
        folder.mkdir(parents=True, exist_ok=True)
        frames = rng.randrange(1000, 4000)
        kind = rng.random()
        if kind < 0.02:
            (folder / f"{name}.wav").write_text("not audio")
        elif kind < 0.06:
            soundfile.write(str(folder / f"{name}.aif"), np.zeros(frames), RATE, format="AIFF")
        elif kind < 0.10:
            soundfile.write(str(folder / f"{name}.flac"), np.zeros(frames), RATE, format="FLAC")
        else:
            (folder / f"{name}.wav").write_bytes(_wav(frames, index))


def drum_loop(bpm: float, bars: int, seed: int) -> np.ndarray:
    rng = np.random.RandomState(seed)
    step = 60 / bpm / 4
    length = round(bars * 4 * 60 / bpm * RATE)
    t = np.arange(int(0.3 * RATE)) / RATE
    kick = np.sin(2 * np.pi * np.cumsum(50 + 120 * np.exp(-t / 0.03)) / RATE) * np.exp(-t / 0.1)
    hat = 0.3 * np.diff(rng.uniform(-1, 1, 2000), prepend=0) * np.exp(-np.arange(2000) / 600)
    out = np.zeros(length + RATE)
    for bar in range(bars):
        for position in range(16):
            start = round((bar * 16 + position) * step * RATE)
            if position % 4 == 0:
                out[start : start + len(kick)] += kick
            if position % 4 == 2:
                out[start : start + len(hat)] += hat
    return 0.8 * out[:length] / np.abs(out).max()


def timed(func, *args, **kwargs):
    started = time.perf_counter()
    result = func(*args, **kwargs)
    return result, time.perf_counter() - started


def main() -> None:
    logging.basicConfig(level=logging.ERROR)  # bad files are logged one by one: keep it quiet
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--loops", type=int, default=100)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="musiaia-bench-") as temp:
        base = Path(temp)
        library = base / "library"
        _, seconds = timed(make_library, library, args.files)
        print(f"library: {args.files} files generated in {seconds:.1f} s")
        url = f"sqlite:///{base / 'musiaia.db'}"

        database = Database(url)
        database.create_schema()
        index = SampleIndex(database, [library])
        report, first = timed(index.scan)
        print(
            f"first scan:       {first:6.2f} s  ({args.files / first:,.0f} files/s; "
            f"{report.added} rows, {len(report.skipped)} bad files skipped)  target < 30 s"
        )
        database.dispose()

        database = Database(url)  # as after a restart: new engine, new index
        database.create_schema()
        index = SampleIndex(database, [library])
        report, rescan = timed(index.scan)
        print(
            f"restart rescan:   {rescan:6.2f} s  ({report.unchanged} unchanged, "
            f"{index.reads} header reads)  target < 2 s"
        )

        # Watcher latency: write a file, poll the database until its row appears.
        latencies: list[float] = []
        with LibraryWatcher(index, debounce=0.2, analyze=False):
            time.sleep(0.5)
            for n in range(10):
                path = library / "Incoming" / f"Kick_New_{n:02d}.wav"
                path.parent.mkdir(exist_ok=True)
                started = time.perf_counter()
                path.write_bytes(_wav(2000, n))
                while True:
                    with database.engine.connect() as connection:
                        found = connection.execute(
                            select(Sample.id).where(Sample.path == str(path))
                        ).first()
                    if found or time.perf_counter() - started > 10:
                        break
                    time.sleep(0.01)
                latencies.append(time.perf_counter() - started)
        print(
            f"watcher latency:  median {statistics.median(latencies) * 1000:5.0f} ms, "
            f"max {max(latencies) * 1000:5.0f} ms (debounce 200 ms)"
        )

        # Analysis pass: loops without a tempo in their names.
        loops = base / "loops"
        loops.mkdir()
        rng = random.Random(3)
        for n in range(args.loops):
            bpm = rng.choice([90, 124, 128, 140, 174])
            soundfile.write(str(loops / f"Groove_{n:03d}.wav"), drum_loop(bpm, 2, n), RATE)
        loop_index = SampleIndex(database, [loops])
        loop_index.scan()
        done, analysis = timed(loop_index.analyze_pending)
        each = analysis / max(done, 1) * 1000
        print(f"analysis pass:    {analysis:6.2f} s for {done} 2-bar loops ({each:.0f} ms each)")

        kit_dir = base / "kit"
        _, render = timed(ensure_kit, kit_dir, None, "")
        _, check = timed(ensure_kit, kit_dir)
        print(
            f"built-in kit:     {render:6.2f} s first render, {check * 1000:.1f} ms when up to date"
        )

        for label, query in (
            ("kick", SampleQuery(kind="kick")),
            ("loops 120-128 Am", SampleQuery(loop=True, bpm_min=120, bpm_max=128, key="Am")),
            ("text 'bass'", SampleQuery(text="bass")),
            ("everything p.3", SampleQuery(page=3)),
        ):
            page, search = timed(search_samples, database, query)
            print(f"search {label + ':':18s}{search * 1000:6.1f} ms ({page.total} matches)")

        arrangement = compose(resolve(Requirements(style="house", bpm=124, key="Am"), 1))
        kit_pool = kit_candidates(kit_dir)
        cache = CandidateCache(database)
        cold: list[float] = []
        warm: list[float] = []
        choose: list[float] = []
        for seed in range(20):
            started = time.perf_counter()
            pool = library_candidates(database) + kit_pool
            loaded = time.perf_counter()
            select_samples(arrangement, pool, seed)
            chosen = time.perf_counter()
            select_samples(arrangement, cache.get() + kit_pool, seed)
            ended = time.perf_counter()
            cold.append(chosen - started)
            choose.append(chosen - loaded)
            warm.append(ended - chosen)
        print(
            f"selection:        {statistics.median(cold) * 1000:6.1f} ms per project loading "
            f"{len(pool)} candidates, {statistics.median(warm) * 1000:.1f} ms with the cache "
            f"(choosing alone {statistics.median(choose) * 1000:.1f} ms)"
        )
        database.dispose()


if __name__ == "__main__":
    main()
