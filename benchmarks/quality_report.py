"""Print the quality metrics of the 20 reference requests as a table (the figures tests gate).

    .venv/bin/python benchmarks/quality_report.py

Columns: in-key ratio (worst melodic role), bass on chord root, lead mean |interval|, lead step
ratio, lead leaps > 7 st, lead ends resolved, drum grid and on-grid ratio, empty beats in
drops/choruses, seed diversity against seed + 1, compose time. Ends with min/max per metric.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from companion.analysis import compute_metrics, note_event_difference
from companion.analysis.suite import QUALITY_REQUESTS
from companion.music.compose import compose
from companion.music.resolve import resolve

COLUMNS = (
    "in_key",
    "bass_root",
    "lead_int",
    "lead_step",
    "lead_leap",
    "lead_end",
    "grid",
    "empty",
    "diversity",
    "ms",
)


def _timed(spec) -> tuple[object, float]:
    compose(spec)
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        arrangement = compose(spec)
        best = min(best, time.perf_counter() - started)
    return arrangement, best * 1000


def main() -> int:
    rows = []
    for label, requirements, seed in QUALITY_REQUESTS:
        spec = resolve(requirements, seed)
        arrangement, ms = _timed(spec)
        report = compute_metrics(arrangement)
        other = compose(spec.model_copy(update={"seed": seed + 1}))
        rows.append(
            {
                "label": label,
                "spec": f"{spec.style} {spec.bpm:g} {spec.key} {spec.time_signature[0]}/"
                f"{spec.time_signature[1]} {spec.bars}b",
                "in_key": min(report.in_key.values()) if report.in_key else None,
                "bass_root": report.bass_root_ratio,
                "lead_int": report.lead_mean_abs_interval,
                "lead_step": report.lead_step_ratio,
                "lead_leap": report.lead_leap_ratio,
                "lead_end": report.lead_ends_on_chord_tone,
                "grid": report.drum_on_grid_ratio,
                "grid_name": (report.drum_grid or "-")
                + (f" {report.drum_swing:.2f}" if report.drum_swing else ""),
                "empty": report.peak_empty_beats,
                "diversity": note_event_difference(arrangement, other),
                "ms": ms,
                "passed": report.passed,
            }
        )

    def cell(value: object) -> str:
        if value is None:
            return "-"
        if isinstance(value, bool):
            return "yes" if value else "no"
        if isinstance(value, float):
            return f"{value:.2f}" if abs(value) < 100 else f"{value:.0f}"
        return str(value)

    header = (
        f"{'request':26} {'resolved':28} "
        + " ".join(f"{c:>9}" for c in COLUMNS)
        + f" {'grid type':>16} pass"
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        print(
            f"{row['label']:26} {row['spec']:28} "
            + " ".join(f"{cell(row[c]):>9}" for c in COLUMNS)
            + f" {row['grid_name']:>16} {'PASS' if row['passed'] else 'FAIL'}"
        )
    print("-" * len(header))
    for name, pick in (("min", min), ("max", max)):
        values = []
        for column in COLUMNS:
            numbers = [
                row[column]
                for row in rows
                if isinstance(row[column], (int, float)) and not isinstance(row[column], bool)
            ]
            values.append(cell(float(pick(numbers))) if numbers else "-")
        print(f"{name:26} {'':28} " + " ".join(f"{v:>9}" for v in values))
    passed = sum(row["passed"] for row in rows)
    print(f"\n{passed}/{len(rows)} requests pass every quality check")
    return 0 if passed == len(rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
