"""The sample library while the server runs: indexed at start, kept live by a watcher.

The first scan, the audio analysis of loops without a tempo and the built-in kit's first render
take seconds on a big library, so they run in a background thread; the index answers searches
(from the database) meanwhile.
"""

from __future__ import annotations

import logging
import threading

from companion.kit.build import ensure_kit
from companion.samples.index import SampleIndex
from companion.samples.watcher import LibraryWatcher

log = logging.getLogger("musiaia.samples")


class Library:
    def __init__(self, settings, database) -> None:
        self.settings = settings
        self.index = SampleIndex(database, settings.sample_folders)
        self.watcher: LibraryWatcher | None = None
        self.ready = threading.Event()
        self.error: str | None = None
        self._thread: threading.Thread | None = None

    @property
    def roots(self):
        return self.index.roots

    def start(self) -> None:
        self._thread = threading.Thread(target=self._prepare, name="musiaia-library", daemon=True)
        self._thread.start()
        if self.settings.sample_watch:
            try:
                self.watcher = LibraryWatcher(self.index)
                self.watcher.start()
            except OSError as exc:  # e.g. too many inotify watches: searches still work
                self.error = f"not watching the sample folders: {exc}"
                log.warning("sample watcher not started", extra={"reason": str(exc)})

    def _prepare(self) -> None:
        try:
            ensure_kit(self.settings.kit_dir)
            report = self.index.scan()
            log.info("sample library scanned", extra={"report": str(report)})
            self.index.analyze_pending()
        except Exception as exc:  # keep the server up; health reports it
            self.error = f"sample library scan failed: {exc}"
            log.exception("sample library scan failed")
        finally:
            self.ready.set()

    def stop(self) -> None:
        if self.watcher is not None:
            self.watcher.stop()
