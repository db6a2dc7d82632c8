"""The data folder's bookkeeping: which server serves it, and what a killed writer left behind.

* ``server.json`` records the running server's address (and process id), so ``musiaia
  login-link`` prints a link to the server that actually runs, whatever port it got.
* A new project is built in a hidden staging folder (``.musiaia-<pid>-<random>``) and renamed
  into place; a writer killed meanwhile (kill -9, power loss) leaves that folder behind, and a
  version write can leave ``.<name>.<random>.tmp`` files. At start these are removed, unless the
  process that made them still runs (another server or a ``musiaia generate`` in progress).
  Complete project folders without a database row are handled by services/recovery.py.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from companion.fsutil import atomic_write_bytes
from companion.project_files import PROJECT_SUFFIX, STAGING_PREFIX

log = logging.getLogger("musiaia.datadir")
SERVER_FILE = "server.json"
_STAGING = re.compile(rf"^{re.escape(STAGING_PREFIX)}(?:(\d+)-)?[0-9a-f]+$")
_TEMP_FILE = re.compile(r"^\..+\.tmp$")


def pid_alive(pid: int) -> bool:
    """Whether process ``pid`` runs; when it cannot be told, yes (nothing is removed on a
    guess)."""
    if pid <= 0:
        return False
    if os.name == "nt":
        return _windows_pid_alive(pid)
    if os.name != "posix":
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, under another user
        return True
    return True


def _windows_pid_alive(pid: int) -> bool:
    """Ask Windows about the process (``os.kill`` there would end it, not probe it)."""
    try:
        import ctypes
        from ctypes import wintypes

        kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return ctypes.get_last_error() == 5  # access denied: it exists, not ours
        try:
            code = wintypes.DWORD()
            if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
                return True
            return code.value == 259  # STILL_ACTIVE
        finally:
            kernel32.CloseHandle(handle)
    except Exception:  # no ctypes, an odd platform: assume it runs
        return True


# ------------------------------------------------------------------ the running server
@dataclass(frozen=True)
class ServerRecord:
    url: str
    pid: int


def record_server(data_dir: Path, url: str) -> None:
    """Note that this process serves ``data_dir`` at ``url`` (owner-only file, written whole)."""
    payload = {"url": url, "pid": os.getpid()}
    atomic_write_bytes(data_dir / SERVER_FILE, json.dumps(payload).encode())


def running_server(data_dir: Path) -> ServerRecord | None:
    """The server recorded in ``data_dir`` if its process still runs."""
    try:
        payload = json.loads((data_dir / SERVER_FILE).read_text(encoding="utf-8"))
        record = ServerRecord(url=str(payload["url"]), pid=int(payload["pid"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not record.url.startswith("http://") or not pid_alive(record.pid):
        return None
    return record


def forget_server(data_dir: Path) -> None:
    """Remove this process's record (another server's is left alone)."""
    path = data_dir / SERVER_FILE
    try:
        if int(json.loads(path.read_text(encoding="utf-8"))["pid"]) == os.getpid():
            path.unlink()
    except (OSError, ValueError, KeyError, TypeError):
        pass


# ------------------------------------------------------------------ what a killed writer left
def project_parents(projects_dir: Path) -> list[Path]:
    """Folders that hold project folders: ``projects/`` itself (``musiaia generate``) and each
    user's folder in it."""
    parents = [projects_dir]
    if projects_dir.is_dir():
        parents += [
            entry
            for entry in sorted(projects_dir.iterdir())
            if entry.is_dir()
            and not entry.is_symlink()
            and not entry.name.startswith(".")
            and not entry.name.endswith(PROJECT_SUFFIX)
        ]
    return parents


def _stale_staging(folder: Path) -> bool:
    match = _STAGING.match(folder.name)
    if match is None or not folder.is_dir() or folder.is_symlink():
        return False
    pid = match.group(1)
    return pid is None or (int(pid) != os.getpid() and not pid_alive(int(pid)))


def remove_leftovers(projects_dir: Path) -> tuple[list[Path], list[Path]]:
    """Remove staging folders of dead writers and temporary files in project folders; return
    (folders, files) removed. Call only when no other server writes to this data folder."""
    folders: list[Path] = []
    files: list[Path] = []
    for parent in project_parents(projects_dir):
        for entry in sorted(parent.iterdir()):
            if _stale_staging(entry):
                shutil.rmtree(entry, ignore_errors=True)
                folders.append(entry)
            elif entry.is_dir() and not entry.is_symlink() and entry.name.endswith(PROJECT_SUFFIX):
                files += _remove_temp_files(entry)
    for path in folders:
        log.warning("removed an unfinished project write", extra={"path": str(path)})
    if files:
        log.warning("removed unfinished file writes", extra={"count": len(files)})
    return folders, files


def _remove_temp_files(project: Path) -> list[Path]:
    removed = []
    for root, dirs, names in os.walk(project):
        dirs[:] = [d for d in dirs if not Path(root, d).is_symlink()]
        for name in names:
            path = Path(root, name)
            if _TEMP_FILE.match(name) and path.is_file() and not path.is_symlink():
                path.unlink(missing_ok=True)
                removed.append(path)
    return removed
