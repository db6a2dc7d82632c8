"""Do bass, chords and lead say the genre without drums? Print the classifier's figures.

    .venv/bin/python benchmarks/genre_report.py [--train 8] [--test 4] [--confusion]

A nearest-centroid classifier over features of the bass, chords and lead only (companion/analysis/
genre.py) is trained on some seeds of every style and tested on others, each song in a
seed-chosen minor key. Three figures, by style and by family:
  composed      trained and tested on the engine's parts
  stand-in      trained and tested on random in-scale notes with the same note counts (what
                density and register alone give away)
  composed→rnd  the composed-trained classifier shown random in-scale stand-ins
Chance is 1/22 by style.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from companion.analysis.genre import FAMILY, TEST_SEEDS, corpus, evaluate
from companion.music.compose import compose
from companion.music.resolve import resolve
from companion.requirements import STYLES, Requirements


def compose_song(style: str, key: str, seed: int):
    spec = resolve(Requirements(style=style, key=key), seed)
    return compose(spec.model_copy(update={"parts": ("bass", "chords", "lead")}))


def _table(confusion: dict[str, dict[str, int]], labels: list[str], width: int) -> str:
    short = {label: label[:width] for label in labels}
    lines = [" " * 18 + " ".join(f"{short[label]:>{width}}" for label in labels)]
    for truth in labels:
        row = confusion.get(truth, {})
        cells = " ".join(f"{row.get(guess, 0) or '.':>{width}}" for guess in labels)
        lines.append(f"{truth:>17} {cells}")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--train", type=int, default=8)
    parser.add_argument("--test", type=int, default=len(TEST_SEEDS))
    parser.add_argument("--confusion", action="store_true", help="print the confusion tables")
    args = parser.parse_args()
    train_seeds = tuple(range(1, 1 + args.train))
    test_seeds = tuple(range(101, 101 + args.test))
    styles = list(STYLES)
    started = time.perf_counter()
    train, train_rnd = corpus(styles, train_seeds, compose_song)
    test, test_rnd = corpus(styles, test_seeds, compose_song)
    composed = evaluate(train, test)
    stand_in = evaluate(train_rnd, test_rnd)
    crossed = evaluate(train, test_rnd)
    elapsed = time.perf_counter() - started
    families = len(set(FAMILY.values()))
    print(
        f"{len(styles)} styles, train seeds {train_seeds[0]}..{train_seeds[-1]}, "
        f"test seeds {test_seeds[0]}..{test_seeds[-1]} ({elapsed:.1f} s)"
    )
    print(f"chance: style {1 / len(styles):.3f}, family ~{1 / families:.3f} ({families} families)")
    print(f"{'':14} {'style':>7} {'family':>7}")
    for name, result in (("composed", composed), ("stand-in", stand_in), ("composed→rnd", crossed)):
        print(f"{name:14} {result.accuracy:7.3f} {result.family_accuracy:7.3f}")
    print("\nper style (composed / stand-in):")
    rnd = stand_in.per_style()
    for style, value in composed.per_style().items():
        print(f"  {style:18} {value:5.2f} {rnd[style]:5.2f}")
    if args.confusion:
        print("\nstyle confusion (rows: truth, columns: predicted), composed:")
        print(_table(composed.confusion(), styles, 4))
        labels = sorted(set(FAMILY.values()))
        print("\nfamily confusion, composed:")
        print(_table(composed.confusion(family=True), labels, 6))
        print("\nfamily confusion, stand-in:")
        print(_table(stand_in.confusion(family=True), labels, 6))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
