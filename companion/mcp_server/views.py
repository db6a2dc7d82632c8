"""Service answers → the tools' typed results (pure functions, no I/O)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from companion.mcp_server.models import (
    ARRANGEMENT_URI,
    VERSION_ARRANGEMENT_URI,
    ProjectInfo,
    ProjectPaths,
    ProjectSummary,
    SectionInfo,
    SongResult,
    TrackInfo,
    VersionInfo,
)


def _changes(text: str | None) -> list[str]:
    return [change for change in (text or "").split("; ") if change]


def _iso(value: Any) -> str:
    return value.isoformat() if isinstance(value, datetime) else str(value)


def _summary(arrangement: dict[str, Any]) -> str:
    numerator, denominator = arrangement.get("time_signature") or (4, 4)
    bpm = arrangement["bpm"]
    bpm_text = int(bpm) if float(bpm).is_integer() else bpm
    notes = sum(len(c["notes"]) for t in arrangement["tracks"] for c in t["clips"])
    return (
        f"style={arrangement.get('style') or '-'} bpm={bpm_text} "
        f"key={arrangement.get('key') or '-'} time={numerator}/{denominator} "
        f"bars={arrangement['bars']} tracks={len(arrangement['tracks'])} notes={notes}"
    )


def version_uri(project_id: str, version: int) -> str:
    return VERSION_ARRANGEMENT_URI.format(project_id=project_id, version=version)


def latest_uri(project_id: str) -> str:
    return ARRANGEMENT_URI.format(project_id=project_id)


def song_result(details: dict[str, Any], paths: dict[str, Path]) -> SongResult:
    """A version as compose_song / revise_song report it (from ``ProjectService.details``)."""
    return SongResult(**_song_fields(details, paths))


def project_info(details: dict[str, Any], paths: dict[str, Path]) -> ProjectInfo:
    """get_project: the version plus the project's history and the request behind it."""
    return ProjectInfo(
        **_song_fields(details, paths),
        versions=[
            VersionInfo(
                number=v["number"],
                changes=_changes(v["changes"]),
                engine=v["engine"],
                created_at=_iso(v["created_at"]),
            )
            for v in details["version_list"]
        ],
        requirements=details["requirements"],
    )


def _song_fields(details: dict[str, Any], paths: dict[str, Path]) -> dict[str, Any]:
    arrangement = details["arrangement"]
    number = details["version"]
    this = next(v for v in details["version_list"] if v["number"] == number)
    numerator, denominator = arrangement.get("time_signature") or (4, 4)
    return {
        "project_id": details["id"],
        "name": details["name"],
        "version": number,
        "summary": _summary(arrangement),
        "style": arrangement.get("style"),
        "bpm": arrangement["bpm"],
        "key": arrangement.get("key"),
        "time_signature": f"{numerator}/{denominator}",
        "bars": arrangement["bars"],
        "seed": (details.get("spec") or {}).get("seed"),
        "sections": [
            SectionInfo(name=s["name"], kind=s["kind"], start_bar=s["start_bar"], bars=s["bars"])
            for s in arrangement["sections"]
        ],
        "tracks": [
            TrackInfo(
                name=t["name"],
                role=t["role"],
                notes=sum(len(c["notes"]) for c in t["clips"]),
                instrument=(t.get("instrument") or {}).get("name")
                or ("audio loop" if t.get("audio") else None),
            )
            for t in arrangement["tracks"]
        ],
        "changes": _changes(this["changes"]),
        "warnings": list(details.get("warnings") or []),
        "paths": ProjectPaths(
            folder=str(paths["folder"]),
            als=str(paths["als"]),
            arrangement_json=str(paths["arrangement"]),
        ),
        "arrangement_uri": version_uri(details["id"], number),
    }


def project_summary(row: dict[str, Any]) -> ProjectSummary:
    """One line of list_projects (from ``ProjectService.list``)."""
    return ProjectSummary(
        project_id=row["id"],
        name=row["name"],
        style=row["style"],
        bpm=row["bpm"],
        key=row["key"],
        bars=row["bars"],
        versions=row["versions"],
        updated_at=_iso(row["updated_at"]),
    )
