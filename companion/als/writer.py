"""Arrangement → gzip-compressed Live set bytes. Pure: no file system access here."""

from __future__ import annotations

from pathlib import Path

from companion.als.liveset import build_document
from companion.als.profiles import profile_for
from companion.als.xmlkit import gzip_bytes, serialize
from companion.arrangement import Arrangement


def als_xml(
    arrangement: Arrangement, live_version: str | int = 11, project_dir: Path | None = None
) -> bytes:
    """The uncompressed XML of the set (what Live shows after gunzip).

    ``project_dir`` is where the set's Live Project folder will be: samples are referenced
    relative to it, with their absolute path there as a second hint for Live.
    """
    root, ids = build_document(arrangement, profile_for(live_version), project_dir)
    return serialize(root, ids)


def als_bytes(
    arrangement: Arrangement, live_version: str | int = 11, project_dir: Path | None = None
) -> bytes:
    """The .als file content: identical arrangements give identical bytes."""
    return gzip_bytes(als_xml(arrangement, live_version, project_dir))
