"""Objective quality metrics computed from an Arrangement alone (ours or one read from Live)."""

from companion.analysis.metrics import (
    Check,
    QualityReport,
    compute_metrics,
    format_report,
    infer_chords,
    infer_role,
    note_event_difference,
)

__all__ = [
    "Check",
    "QualityReport",
    "compute_metrics",
    "format_report",
    "infer_chords",
    "infer_role",
    "note_event_difference",
]
