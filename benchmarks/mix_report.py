"""The mix of every style, as the render hears it: integrated loudness and true peak of a whole
song, each part's share of the energy in its fullest section against the style's reference, and
the loudest part.

    python benchmarks/mix_report.py [--bars 32] [--seeds 5,11,23] [--styles house,trap] [--json]
    python benchmarks/mix_report.py --requests "techno triste,trap oscuro,ambient dreamy"

Songs come through the whole pipeline with the built-in kit (the mixing stage included) and are
rendered offline (needs the render extra). "ok" marks a figure within the style's table: loudness
in its range, true peak ≤ -1 dBTP, a part within ±2.5 dB (×1.8) of its share, no part above 60 %
unless the style lets it (the 808 in trap), no silence while a sustained part holds a note.
Each row also prints the master's spectral balance (low < 250 Hz / mid / high > 4 kHz). With
several seeds, the last lines give each style's worst case.
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


def measure(request: str, bars: int, seed: int, out: Path, chooser) -> dict:
    made = generate(f"{request}, {bars} compases", seed=seed, out_dir=out, sounds=chooser)
    song, folder = made.arrangement, made.project.folder
    style = song.style
    whole = analyse(render(song, folder, measure=True))
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
    gaps = {
        p.name: p.sustain_gap_share
        for p in whole.parts
        if p.sustain_gap_share is not None and p.held_notes
    }
    balance = whole.spectral_balance
    return {
        "request": request,
        "seed": seed,
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
        "sustain_gaps": gaps,
        "gaps_ok": not any(share > 0 for share in gaps.values()),
        "balance": [balance.low, balance.mid, balance.high],
    }


def _fine(row: dict) -> bool:
    return row["lufs_ok"] and row["true_peak_ok"] and row["loudest_ok"] and row["gaps_ok"]


def _ok(flag: bool) -> str:
    return "ok" if flag else "OFF"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bars", type=int, default=32)
    parser.add_argument("--seeds", default="5", help="comma-separated seeds")
    parser.add_argument("--styles", default=",".join(STYLES))
    parser.add_argument("--requests", help="comma-separated requests instead of bare styles")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    chooser = SoundSource(Settings().kit_dir).chooser()
    results = []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        requests = (args.requests or args.styles).split(",")
        for seed in (int(s) for s in args.seeds.split(",")):
            for request in requests:
                results.append(measure(request.strip(), args.bars, seed, Path(tmp), chooser))
                if not args.json:
                    _print(results[-1])
    if args.json:
        print(json.dumps(results, indent=1))
        return
    fine = sum(_fine(r) for r in results)
    parts_ok = sum(p["ok"] for r in results for p in r["parts"])
    parts_all = sum(len(r["parts"]) for r in results)
    print(
        f"{fine}/{len(results)} renders within loudness, true peak, the loudest-part limit and "
        f"without sustain gaps; {parts_ok}/{parts_all} parts within ±2.5 dB of their level "
        f"({time.perf_counter() - started:.0f} s)"
    )
    if len(results) > len(requests):
        _worst(results)


def _print(row: dict) -> None:
    parts = " ".join(
        f"{p['name']} {p['share']:.0%}({p['reference']:.0%}){'' if p['ok'] else '!'}"
        for p in row["parts"]
    )
    gaps = [f"{name} {share:.0%}" for name, share in row["sustain_gaps"].items() if share > 0]
    low, mid, high = row["balance"]
    print(
        f"{row['request']:<18} s{row['seed']:<3} {row['lufs']:6.1f} LUFS "
        f"[{row['lufs_range'][0]:.1f}, {row['lufs_range'][1]:.1f}] {_ok(row['lufs_ok']):>3} · "
        f"TP {row['true_peak_dbtp']:+5.1f} {_ok(row['true_peak_ok']):>3} · loudest "
        f"{row['loudest']} {row['loudest_share']:.0%} {_ok(row['loudest_ok'])} · gaps "
        f"{', '.join(gaps) or 'none'} · L/M/H {low:.0%}/{mid:.0%}/{high:.0%} · {parts}",
        flush=True,
    )


def _worst(results: list[dict]) -> None:
    """Per request, the worst figure over the seeds (loudness furthest out of or nearest the
    range's edge, highest true peak, highest loudest-part share)."""
    print("worst case over the seeds:")
    for request in dict.fromkeys(r["request"] for r in results):
        rows = [r for r in results if r["request"] == request]
        low, high = rows[0]["lufs_range"]
        lufs = min((r["lufs"] for r in rows), key=lambda v: min(v - low, high - v))
        peak = max(rows, key=lambda r: r["true_peak_dbtp"])
        share = max(rows, key=lambda r: r["loudest_share"])
        print(
            f"{request:<18} {lufs:6.1f} LUFS [{low:.1f}, {high:.1f}] · TP "
            f"{peak['true_peak_dbtp']:+5.1f} · loudest {share['loudest']} "
            f"{share['loudest_share']:.0%} · {'ok' if all(_fine(r) for r in rows) else 'OFF'}"
        )


if __name__ == "__main__":
    main()
