"""The sample library while the server runs: indexed at start, kept live by a watcher.

The first scan, the audio analysis of loops without a tempo and the built-in kit's first render
take seconds on a big library, so they run in a background thread; the index answers searches
(from the database) meanwhile.
"""

from __future__ import annotations

import logging
import threading

from companion.accounts import local_user
from companion.kit.build import ensure_kit
from companion.samples.index import library_index
from companion.samples.upload import adopt_loose_uploads
from companion.samples.watcher import LibraryWatcher

log = logging.getLogger("musiaia.samples")


class Library:
    def __init__(self, settings, database) -> None:
        self.settings = settings
        self.database = database
        self.index = library_index(settings, database)
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
            self._adopt_loose_uploads()
            report = self.index.scan()
            log.info("sample library scanned", extra={"report": str(report)})
            self.index.analyze_pending()
        except Exception as exc:  # keep the server up; health reports it
            self.error = f"sample library scan failed: {exc}"
            log.exception("sample library scan failed")
        finally:
            self.ready.set()

    def _adopt_loose_uploads(self) -> None:
        """Uploads from before they were per account belong to the install's local account."""
        with self.database.session() as session:
            owner = local_user(session)
            owner_id = owner.id if owner is not None else None
        if owner_id is not None:
            moved = adopt_loose_uploads(self.settings.uploads_dir, owner_id)
            if moved:
                log.info("older uploads given to the local account", extra={"count": len(moved)})

    def stop(self) -> None:
        if self.watcher is not None:
            self.watcher.stop()
