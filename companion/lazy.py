"""Heavy modules imported on first use, for code the main process loads but seldom runs.

numpy (with libsndfile) adds ~18 MB to a process. The server imports the kit and the audio
modules for their catalogues and entry points, yet only renders or analyses audio now and then.
"""

from __future__ import annotations

import importlib
from types import ModuleType


class LazyModule:
    """Stands for a module and imports it at the first attribute access."""

    def __init__(self, name: str) -> None:
        self._name = name
        self._module: ModuleType | None = None

    def __getattr__(self, attribute: str):
        module = self.__dict__["_module"]
        if module is None:
            module = self.__dict__["_module"] = importlib.import_module(self.__dict__["_name"])
        return getattr(module, attribute)
