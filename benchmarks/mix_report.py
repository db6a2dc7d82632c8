"""The mix of every style, as the render hears it: integrated loudness and true peak of a whole
song, each part's share of the energy in its fullest section against the style's reference, and
the loudest part.

    python benchmarks/mix_report.py [--bars 32] [--seed 5] [--styles house,trap] [--json]

Songs come through the whole pipeline with the built-in kit (the mixing stage included) and are
rendered offline (needs the render extra). "ok" marks a figure within the style's table: loudness
in its range, true peak ≤ -1 dBTP, a part within ±2.5 dB (×1.8) of its share, no part above 60 %
unless the style lets it (the 808 in trap).
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from companion.analysis.listening import analyse
from companion.pipeline import generate
from companion.production.report import SHARE_FACTOR
from companion.production.tables import MAX_SHARE, TRUE_PEAK_MAX, style_mix
from companion.render import render
from companion.requirements import STYLES
from companion.settings import Settings
from companion.sounds import SoundSource


def measure(style: str, bars: int, seed: int, out: Path, chooser) -> dict:
    made = generate(f"{style}, {bars} compases", seed=seed, out_dir=out, sounds=chooser)
    song, folder = made.arrangement, made.project.folder
    whole = analyse(render(song, folder))
    fullest = max(song.sections, key=lambda s: (s.energy, s.bars))
    section = analyse(render(song, folder, section=fullest.name))
    mix = style_mix(style)
    parts = made.production.parts
    playing = [p for p in section.parts if p.energy_share > 0]
    total = sum(mix.levels[parts[p.name]].share for p in playing) or 1.0
    rows = []
    for part in sorted(playing, key=lambda p: -p.energy_share):
        reference = mix.levels[parts[part.name]].share / total
        rows.append(
            {
                "name": part.name,
                "share": part.energy_share,
                "reference": round(reference, 4),
                "ok": reference / SHARE_FACTOR <= part.energy_share <= reference * SHARE_FACTOR,
            }
        )
    loudest = rows[0] if rows else None
    allowed = MAX_SHARE
    if loudest and mix.dominant and parts[loudest["name"]] == mix.dominant[0]:
        allowed = mix.dominant[1]
    low, high = mix.loudness.low, mix.loudness.high
    lufs = whole.integrated_lufs
    return {
        "style": style,
        "section": fullest.name,
        "lufs": lufs,
        "lufs_range": [low, high],
        "lufs_ok": lufs is not None and low <= lufs <= high,
        "true_peak_dbtp": whole.true_peak_dbtp,
        "true_peak_ok": whole.true_peak_dbtp <= TRUE_PEAK_MAX,
        "estimate": made.production.staged.estimate,
        "parts": rows,
        "loudest": loudest["name"] if loudest else None,
        "loudest_share": loudest["share"] if loudest else None,
        "loudest_ok": loudest is not None and loudest["share"] <= allowed,
    }


def _ok(flag: bool) -> str:
    return "ok" if flag else "OFF"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bars", type=int, default=32)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--styles", default=",".join(STYLES))
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    chooser = SoundSource(Settings().kit_dir).chooser()
    results = []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        for style in args.styles.split(","):
            results.append(measure(style.strip(), args.bars, args.seed, Path(tmp), chooser))
            if args.json:
                continue
            row = results[-1]
            parts = " ".join(
                f"{p['name']} {p['share']:.0%}({p['reference']:.0%}){'' if p['ok'] else '!'}"
                for p in row["parts"]
            )
            print(
                f"{row['style']:<18} {row['lufs']:6.1f} LUFS [{row['lufs_range'][0]:.1f}, "
                f"{row['lufs_range'][1]:.1f}] {_ok(row['lufs_ok']):>3} · "
                f"TP {row['true_peak_dbtp']:+5.1f} {_ok(row['true_peak_ok']):>3} · loudest "
                f"{row['loudest']} {row['loudest_share']:.0%} {_ok(row['loudest_ok'])} · {parts}",
                flush=True,
            )
    if args.json:
        print(json.dumps(results, indent=1))
        return
    fine = sum(r["lufs_ok"] and r["true_peak_ok"] and r["loudest_ok"] for r in results)
    parts_ok = sum(p["ok"] for r in results for p in r["parts"])
    parts_all = sum(len(r["parts"]) for r in results)
    print(
        f"{fine}/{len(results)} styles within loudness, true peak and the loudest-part limit; "
        f"{parts_ok}/{parts_all} parts within ±2.5 dB of their level "
        f"({time.perf_counter() - started:.0f} s)"
    )


if __name__ == "__main__":
    main()
