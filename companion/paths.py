"""Where MusiaIA keeps its files, following each platform's convention.

macOS: ~/Library/Application Support/MusiaIA; Windows: %APPDATA%\\MusiaIA; elsewhere:
$XDG_DATA_HOME/musiaia (~/.local/share/musiaia). ``MUSIAIA_DATA_DIR`` overrides all of them.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def default_data_dir() -> Path:
    override = os.environ.get("MUSIAIA_DATA_DIR")
    if override:
        return Path(override).expanduser()
    home = Path.home()
    if sys.platform == "darwin":
        return home / "Library" / "Application Support" / "MusiaIA"
    if sys.platform.startswith("win"):
        return Path(os.environ.get("APPDATA", home / "AppData" / "Roaming")) / "MusiaIA"
    return Path(os.environ.get("XDG_DATA_HOME", home / ".local" / "share")) / "musiaia"


def default_projects_dir() -> Path:
    return default_data_dir() / "projects"
