"""Arrangement → gzip-compressed Live set bytes. Pure: no file system access here."""

from __future__ import annotations

from companion.als.liveset import build_document
from companion.als.profiles import profile_for
from companion.als.xmlkit import gzip_bytes, serialize
from companion.arrangement import Arrangement


def als_xml(arrangement: Arrangement, live_version: str | int = 11) -> bytes:
    """The uncompressed XML of the set (what Live shows after gunzip)."""
    return serialize(build_document(arrangement, profile_for(live_version)))


def als_bytes(arrangement: Arrangement, live_version: str | int = 11) -> bytes:
    """The .als file content: identical arrangements give identical bytes."""
    return gzip_bytes(als_xml(arrangement, live_version))
