"""What today's generated projects sound like: the listening report of one project per style.

    python benchmarks/listening_report.py [--styles house,trap,...]

For each reference request of the quality suite (one per style) it generates the project with the
built-in kit, renders it and prints a Markdown table: integrated loudness, true and sample peak,
the loudest part and its share of the energy, every part's share, the sustain gaps (share of held
time that is silent, over the sustained parts, and the worst part), and the tempo and key heard
next to the set's own. It is the "before" of the sound work (issue 12): targets are true peak
≤ -1 dBTP, about -14 to -9 LUFS, no part above 60 % of the energy unless the style wants it, no
sustain gaps in sustained parts.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from companion.analysis.listening import listen
from companion.analysis.suite import QUALITY_REQUESTS
from companion.pipeline import generate
from companion.sounds import SoundSource

SHORT = {"drums": "D", "bass": "B", "chords": "C", "pads": "P", "lead": "L", "arp": "A"}


def row(label: str, report, arrangement) -> str:
    parts = sorted(report.parts, key=lambda p: -p.energy_share)
    top = parts[0]
    shares = " ".join(
        f"{SHORT.get(p.role, p.role[:2])}{p.energy_share:.0%}"
        for p in report.parts
        if p.energy_share >= 0.01
    )
    gapped = [p for p in report.parts if p.sustain_gap_share is not None and p.held_notes]
    worst = max(gapped, key=lambda p: p.sustain_gap_share, default=None)
    gaps = f"{report.sustain_gap_share:.0%}" if report.sustain_gap_share is not None else "-"
    worst_text = f"{worst.name} {worst.sustain_gap_share:.0%}" if worst else "-"
    lufs = f"{report.integrated_lufs:.1f}" if report.integrated_lufs is not None else "-"
    heard = f"{report.tempo_bpm:g}" if report.tempo_bpm else "-"
    return (
        f"| {label} | {arrangement.bpm:g} | {lufs} | {report.true_peak_dbtp:+.1f} | "
        f"{report.sample_peak_dbfs:+.1f} | {top.name} {top.energy_share:.0%} | {shares} | "
        f"{gaps} | {worst_text} | {heard} | {report.key or '-'} ({arrangement.key}) |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--styles", default="", help="comma-separated styles (default: all)")
    args = parser.parse_args()
    wanted = {s.strip() for s in args.styles.split(",") if s.strip()}
    seen: set[str] = set()
    print(
        "| request | BPM | LUFS | dBTP | peak dBFS | loudest part | energy shares | "
        "sustain gaps | worst part | tempo heard | key heard (set) |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        sounds = SoundSource(root / "kit").chooser()
        for label, requirements, seed in QUALITY_REQUESTS:
            style = requirements.style or ""
            if style in seen or (wanted and style not in wanted):
                continue
            seen.add(style)
            made = generate(
                requirements=requirements, seed=seed, out_dir=root / "projects", sounds=sounds
            )
            report = listen(made.arrangement, made.project.folder)
            print(row(label, report, made.arrangement), flush=True)
    print(f"\n{len(seen)} projects in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
