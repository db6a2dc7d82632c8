"""Disk space: how much is left, and whether a failure means the disk is full.

A full disk surfaces as ``OSError(ENOSPC)`` from a file write, as SQLite's "database or disk is
full" through SQLAlchemy, or wrapped in other errors; callers answer all of them the same way.
"""

from __future__ import annotations

import errno
import shutil
import sqlite3
from pathlib import Path

SQLITE_FULL = 13
_FULL_ERRNOS = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}
DISK_FULL_MESSAGE = "the disk is full: free some space and try again; nothing was saved"


def is_disk_full(exc: BaseException | None) -> bool:
    """True when ``exc`` (or what caused it) says there is no space left."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, OSError) and exc.errno in _FULL_ERRNOS:
            return True
        if isinstance(exc, sqlite3.Error) and (
            getattr(exc, "sqlite_errorcode", None) == SQLITE_FULL or "disk is full" in str(exc)
        ):
            return True
        exc = getattr(exc, "orig", None) or exc.__cause__ or exc.__context__
    return False


def free_bytes(path: Path) -> int | None:
    """Bytes available to us on the file system holding ``path`` (None when unknown)."""
    try:
        return shutil.disk_usage(path).free
    except OSError:
        return None
