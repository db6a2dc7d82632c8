"""Reading 1,000 notes from Live and answering with a fitted bass, end to end, over real UDP.

    python benchmarks/bench_live_fit.py [--runs 5] [--tick-ms 100] [--profile 12.2]

The producer's chords (1,024 notes: a left-hand root and a comped right hand over 64 bars of a
changing progression) sit in an Arrangement clip of the simulated Live; the Remote Script runs
unmodified in it, the companion side is the real LiveBridge. One run is what "añade un bajo que
encaje con mis acordes" does: read the Arrangement (``bridge.read``), hear the chords, key and
rhythm and write the bass (``compose_answer``), build the new track into the set
(``bridge.load``, one undo step), until Live says done. ``--tick-ms`` is how often Live ticks:
100 ms is a real Live (the script works only on its ticks), 0 is as fast as possible. Prints
each phase, the total, the share of chord changes the bass meets on the root, and the script's
CPU time per tick while reading. Target: under 1 s end to end.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from companion.live.protocol import LoadOptions
from companion.music.answers import root_follow_ratio
from companion.services.live_answers import compose_answer
from companion.understanding.live_asks import live_ask
from fake_live.rig import LiveRig

PROGRESSION = [
    (9, (0, 3, 7)),
    (5, (0, 4, 7)),
    (0, (0, 4, 7)),
    (7, (0, 4, 7)),
    (2, (0, 3, 7)),
    (4, (0, 4, 7)),
    (9, (0, 3, 7)),
    (7, (0, 4, 7)),
]
HITS = (0.0, 0.75, 1.5, 2.5, 3.0)  # the right hand's comp rhythm in a bar


def chord_notes(bars: int = 64) -> list[tuple[int, float, float, int, bool]]:
    notes = []
    for bar in range(bars):
        root, triad = PROGRESSION[(bar // 2) % len(PROGRESSION)]
        start = bar * 4.0
        notes.append((36 + root, start, 4.0, 84, False))
        for hit in HITS:
            for interval in triad:
                notes.append((60 + (root + interval) % 12, start + hit, 0.4, 70, False))
    return notes


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


async def one_run(profile: str, tick_ms: float) -> dict:
    gc.collect()
    gc.freeze()  # the companion's heap is not Live's: keep its collections out of the ticks
    async with LiveRig(profile, tick_sleep=tick_ms / 1000.0) as rig:
        await rig.connected()
        keys = rig.live.song.tracks[0]
        keys.name = "Keys"
        notes = chord_notes()
        clip = keys.create_midi_clip(0.0, 256.0)
        clip.set_notes(tuple(notes))
        ask = live_ask("Añade un bajo que encaje con mis acordes")
        first_tick = len(rig.live.tick_cpu_seconds)
        started, cpu_started = time.perf_counter(), time.process_time()
        read = await rig.bridge.read(ask.read_spec())
        read_done = time.perf_counter()
        assert read.ok, read.reason
        read_cpu = [t * 1000 for t in rig.live.tick_cpu_seconds[first_tick:]]
        answer = compose_answer(ask, read.material, "es", seed=1)
        composed = time.perf_counter()
        loaded = await rig.bridge.load(answer.for_live, options=LoadOptions(**answer.options))
        finished, cpu_finished = time.perf_counter(), time.process_time()
        assert loaded.ok, loaded.reason
        bass = rig.live.song.tracks[-1].arrangement_clips[0].get_all_notes_extended()

        class Placed:
            def __init__(self, note):
                self.start, self.pitch = note.start_time, note.pitch

        follow = root_follow_ratio([Placed(n) for n in bass], answer.heard.chords)
        return {
            "notes_read": read.material.note_count,
            "read_ms": (read_done - started) * 1000,
            "compose_ms": (composed - read_done) * 1000,
            "build_ms": (finished - composed) * 1000,
            "total_ms": (finished - started) * 1000,
            # the whole process (companion, script and simulated Live): the work, not the waits
            "cpu_ms": (cpu_finished - cpu_started) * 1000,
            "bass_notes": len(bass),
            "chords": len(answer.heard.chords),
            "follow": follow,
            "read_cpu_p95": percentile(read_cpu, 0.95) if read_cpu else 0.0,
            "read_cpu_max": max(read_cpu) if read_cpu else 0.0,
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--tick-ms", type=float, default=100.0, help="Live's tick (100 = real)")
    parser.add_argument("--profile", default="12.2")
    args = parser.parse_args()
    print(
        f"{len(chord_notes())} notes of chords, Live {args.profile} ticking every "
        f"{args.tick_ms:g} ms, {args.runs} runs\n"
    )
    header = ("run", "read", "compose", "build", "total", "CPU", "bass", "chords", "follow")
    print("  ".join(f"{h:>8}" for h in header))
    runs = []
    for i in range(args.runs):
        r = asyncio.run(one_run(args.profile, args.tick_ms))
        runs.append(r)
        print(
            f"{i + 1:>8}  {r['read_ms']:>6.0f}ms  {r['compose_ms']:>6.0f}ms  "
            f"{r['build_ms']:>6.0f}ms  {r['total_ms']:>6.0f}ms  {r['cpu_ms']:>6.0f}ms  "
            f"{r['bass_notes']:>8}  "
            f"{r['chords']:>8}  {r['follow']:>7.0%}"
        )

    def med(key: str) -> float:
        return statistics.median(r[key] for r in runs)

    total = med("total_ms")
    print(
        f"\nmedian: read {med('read_ms'):.0f} ms ({runs[0]['notes_read']} notes), compose "
        f"{med('compose_ms'):.0f} ms, build {med('build_ms'):.0f} ms → {total:.0f} ms end to end "
        f"(target < 1000 ms: {'met' if total < 1000 else 'MISSED'}); bass on the root at "
        f"{min(r['follow'] for r in runs):.0%} of chord changes (worst run)"
    )
    print(
        f"CPU time of the whole run (companion + script + simulated Live, one process): median "
        f"{med('cpu_ms'):.0f} ms; the rest of the wall time is Live's 100 ms ticks and waits"
    )
    print(
        f"script CPU per tick while reading: p95 {med('read_cpu_p95'):.2f} ms, "
        f"max {max(r['read_cpu_max'] for r in runs):.2f} ms"
    )


if __name__ == "__main__":
    main()
