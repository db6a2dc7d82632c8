"""How often the key heard in a render is the set's own key, over generated songs of every style.

    python benchmarks/bench_key.py [--per-style 5] [--seconds 32] [--styles house,trap] [-v]
                                   [--cache DIR] [--offset N]

Each style gets ``--per-style`` songs, each in another key (the 24 keys taken in turn, so every
key and both modes come up) and with another seed. A song is generated with the built-in kit,
its fullest section (the first of the highest energy) is rendered, at most ``--seconds`` long,
and :func:`companion.analysis.listening.heard_key` names its key. Verdicts against the set's key:
exact; relative (same notes, the other mode's tonic); fifth-off (one sharp or flat away on the
circle of fifths, either mode); parallel (same tonic, other mode); wrong. The figures printed are
the share of each, and "exact or relative" (the aim: at least 90 %, exact in most).

The tempo heard (:func:`heard_tempo`) is judged on the same renders: exact (within 2 % of the set's
tempo), half or double time (within 2 % of half or twice it: the usual octave ambiguity of a beat
tracker, counted apart and not as right), or wrong.

``--cache DIR`` keeps each render (mono, float32) so another run, after a change to the ears,
only listens again. Rendering is the slow part; one song takes a few seconds.
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from pathlib import Path

import numpy as np

from companion.analysis.listening import heard_key, heard_tempo
from companion.music.styles import STYLE_TABLE
from companion.music.theory import format_key, parse_key
from companion.pipeline import generate
from companion.render.engine import SAMPLE_RATE, render
from companion.requirements import Requirements
from companion.settings import Settings
from companion.sounds import SoundSource

KEYS = tuple(format_key(tonic, mode) for tonic in range(12) for mode in ("minor", "major"))
VERDICTS = ("exact", "relative", "fifth-off", "parallel", "wrong")
TEMPO_VERDICTS = ("exact", "half", "double", "wrong")


def signature(key: str) -> int:
    """Sharps in the key signature, mod 12 (flats count as 12 minus their number)."""
    parsed = parse_key(key)
    major = parsed.tonic if parsed.mode == "major" else (parsed.tonic + 3) % 12
    return major * 7 % 12


def verdict(heard: str | None, wanted: str) -> str:
    if heard is None:
        return "wrong"
    if heard == wanted:
        return "exact"
    apart = (signature(heard) - signature(wanted)) % 12
    if apart == 0:
        return "relative"
    if apart in (1, 11):
        return "fifth-off"
    if parse_key(heard).tonic == parse_key(wanted).tonic:
        return "parallel"
    return "wrong"


def tempo_verdict(heard: float | None, wanted: float) -> str:
    if heard is None:
        return "wrong"
    for name, factor in (("exact", 1.0), ("half", 0.5), ("double", 2.0)):
        if abs(heard / (wanted * factor) - 1.0) <= 0.02:
            return name
    return "wrong"


def songs(styles: list[str], per_style: int, offset: int = 0) -> list[tuple[str, str, int]]:
    """(style, key, seed): every key in turn, the modes alternating."""
    plan = []
    for s, style in enumerate(styles):
        for i in range(per_style):
            n = offset + s * per_style + i
            plan.append((style, KEYS[n * 7 % 24], 101 + n))
    return plan


def fullest_audio(style: str, key: str, seed: int, out: Path, sounds, seconds: float):
    made = generate(
        requirements=Requirements(style=style, key=key), seed=seed, out_dir=out, sounds=sounds
    )
    arrangement = made.arrangement
    fullest = max(arrangement.sections, key=lambda s: s.energy)
    result = render(arrangement, made.project.folder, fullest.name, seconds)
    return result.audio.mean(axis=1).astype(np.float32), arrangement.key, arrangement.bpm


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-style", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=32.0)
    parser.add_argument(
        "--offset", type=int, default=0, help="start further on: other keys and seeds (held out)"
    )
    parser.add_argument("--styles", default="", help="comma-separated styles (default: all)")
    parser.add_argument("--cache", type=Path, default=None, help="keep renders in this folder")
    parser.add_argument("--kit", type=Path, default=None, help="the kit folder (default: setting)")
    parser.add_argument("-v", "--verbose", action="store_true", help="one line per song")
    args = parser.parse_args()
    styles = [s.strip() for s in args.styles.split(",") if s.strip()] or list(STYLE_TABLE)
    sounds = SoundSource(args.kit or Settings().kit_dir).chooser()
    out = (args.cache or Path("/tmp/musiaia-bench-key")) / "projects"
    counts: Counter[str] = Counter()
    tempo_counts: Counter[str] = Counter()
    by_style: dict[str, Counter[str]] = {}
    rendering = listening = 0.0
    plan = songs(styles, args.per_style, args.offset)
    for style, key, seed in plan:
        cached = args.cache / f"{style}-{key}-{seed}-{args.seconds:g}.npz" if args.cache else None
        started = time.perf_counter()
        if cached is not None and cached.is_file():
            stored = np.load(cached)
            mono, wanted, bpm = stored["mono"], str(stored["key"]), float(stored["bpm"])
        else:
            mono, wanted, bpm = fullest_audio(style, key, seed, out, sounds, args.seconds)
            if cached is not None:
                cached.parent.mkdir(parents=True, exist_ok=True)
                np.savez(cached, mono=mono, key=wanted, bpm=bpm)
        rendering += time.perf_counter() - started
        stereo = np.stack([mono, mono], axis=1)
        started = time.perf_counter()
        heard, confidence = heard_key(stereo, SAMPLE_RATE)
        listening += time.perf_counter() - started
        tempo, _ = heard_tempo(stereo, SAMPLE_RATE)
        said = verdict(heard, wanted)
        counts[said] += 1
        by_style.setdefault(style, Counter())[said] += 1
        said_tempo = tempo_verdict(tempo, bpm)
        tempo_counts[said_tempo] += 1
        if args.verbose:
            print(
                f"{style:<18} {wanted:<4} heard {heard or '-':<4} ({confidence:.2f}) {said:<9}"
                f" · {bpm:g} BPM heard {tempo or '-'} {said_tempo}"
            )
    total = len(plan)
    print(f"\n{total} songs, {len(styles)} styles, {args.seconds:g} s of the fullest section each")
    for name in VERDICTS:
        print(f"  {name:<10} {counts[name]:4d}  {counts[name] / total:6.1%}")
    good = counts["exact"] + counts["relative"]
    print(f"  exact or relative: {good / total:.1%} · exact: {counts['exact'] / total:.1%}")
    misses = {s: c["exact"] + c["relative"] for s, c in by_style.items()}
    worst = sorted(misses.items(), key=lambda item: item[1])[:5]
    print("  fewest right by style: " + ", ".join(f"{s} {n}/{args.per_style}" for s, n in worst))
    tempo_line = " · ".join(
        f"{name} {tempo_counts[name]} ({tempo_counts[name] / total:.0%})" for name in TEMPO_VERDICTS
    )
    print(f"  tempo heard: {tempo_line}")
    print(f"  rendering {rendering:.0f} s · listening {listening / total * 1000:.0f} ms a song")


if __name__ == "__main__":
    main()
