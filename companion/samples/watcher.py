"""Keeps the sample index live while the companion runs: drop a file in the library and it is
searchable about a second later; move or delete it and its row follows.

watchdog reports raw events (a single copy fires created + many modified); they are collected
into a set of paths and handed to :meth:`SampleIndex.update_paths` once the folder has been quiet
for ``debounce`` seconds (or ``max_delay`` after the first event, so a long copy still shows up).
A half-copied file simply reads as bad and is re-read when its size or mtime changes again. The
index serialises its own writes, so the watcher thread and an API-triggered scan can overlap.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver
from watchdog.observers.polling import PollingObserver

from companion.samples.audio_info import AUDIO_EXTENSIONS
from companion.samples.index import SampleIndex, ScanReport

log = logging.getLogger(__name__)

WATCHED_EVENTS = frozenset({"created", "modified", "deleted", "moved", "closed"})


def relevant(path: str, is_directory: bool) -> bool:
    """Folders always (a moved folder carries files); files only when they could be audio and
    are not hidden (uploads and editors write hidden temporary files first)."""
    name = os.path.basename(path)
    if not name or name.startswith("."):
        return False
    if is_directory:
        return True
    extension = os.path.splitext(name)[1].lower()
    return extension in AUDIO_EXTENSIONS or extension == ""


class _Collector(FileSystemEventHandler):
    def __init__(self, watcher: LibraryWatcher) -> None:
        self.watcher = watcher

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type not in WATCHED_EVENTS:
            return
        paths = [os.fsdecode(event.src_path)]
        if getattr(event, "dest_path", None):
            paths.append(os.fsdecode(event.dest_path))
        # A deletion or move away can concern a row whatever the name (a folder deleted as a
        # whole, an upload's hidden temporary file renamed to its final name).
        removal = event.event_type in ("deleted", "moved")
        wanted = [p for p in paths if removal or relevant(p, event.is_directory)]
        if wanted:
            self.watcher.notify(wanted)


class LibraryWatcher:
    """A watchdog observer plus one worker thread applying debounced batches to the index."""

    def __init__(
        self,
        index: SampleIndex,
        *,
        debounce: float = 0.3,
        max_delay: float = 1.0,
        analyze: bool = True,
        polling: bool = False,
        on_change: Callable[[ScanReport], None] | None = None,
    ) -> None:
        self.index = index
        self.debounce = debounce
        self.max_delay = max_delay
        self.analyze = analyze
        self.polling = polling
        self.on_change = on_change
        self._pending: set[str] = set()
        self._first_event = 0.0
        self._last_event = 0.0
        self._condition = threading.Condition()
        self._stopping = False
        self._observer: BaseObserver | None = None
        self._worker: threading.Thread | None = None
        self.batches = 0  # batches applied (for tests and the benchmark)

    # -- events ---------------------------------------------------------------------------------

    def notify(self, paths: list[str]) -> None:
        now = time.monotonic()
        with self._condition:
            if not self._pending:
                self._first_event = now
            self._pending.update(paths)
            self._last_event = now
            self._condition.notify()

    def _next_batch(self) -> set[str] | None:
        with self._condition:
            while True:
                if self._stopping:
                    return None
                if not self._pending:
                    self._condition.wait()
                    continue
                now = time.monotonic()
                quiet_at = self._last_event + self.debounce
                forced_at = self._first_event + self.max_delay
                due = min(quiet_at, forced_at)
                if now >= due:
                    batch, self._pending = self._pending, set()
                    return batch
                self._condition.wait(timeout=due - now)

    def _run(self) -> None:
        while True:
            batch = self._next_batch()
            if batch is None:
                return
            self.apply(batch)

    def apply(self, paths: set[str]) -> ScanReport | None:
        """Apply one batch now (the worker's step; also handy for a synchronous refresh)."""
        try:
            report = self.index.update_paths(paths)
            if self.analyze and report.added + report.updated:
                self.index.analyze_pending()
        except Exception:  # the watcher must outlive one bad batch (database busy, disk gone)
            log.exception("sample watcher could not apply %d changes", len(paths))
            return None
        self.batches += 1
        if report.changed and self.on_change is not None:
            try:
                self.on_change(report)
            except Exception:
                log.exception("sample watcher callback failed")
        return report

    # -- lifecycle ------------------------------------------------------------------------------

    def _make_observer(self) -> BaseObserver:
        return PollingObserver(timeout=0.5) if self.polling else Observer()

    def start(self) -> LibraryWatcher:
        if self._worker is not None:
            return self
        self._stopping = False
        observer = self._make_observer()
        handler = _Collector(self)
        for root in self.index.roots:
            if not root.is_dir():
                log.warning("sample folder not available, not watched: %s", root)
                continue
            try:
                observer.schedule(handler, str(root), recursive=True)
            except OSError as exc:  # e.g. the inotify watch limit; fall back to polling
                log.warning("cannot watch %s natively (%s); polling instead", root, exc)
                observer = PollingObserver(timeout=1.0)
                for again in self.index.roots:
                    if again.is_dir():
                        observer.schedule(handler, str(again), recursive=True)
                break
        observer.daemon = True
        observer.start()
        self._observer = observer
        self._worker = threading.Thread(target=self._run, name="sample-watcher", daemon=True)
        self._worker.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        with self._condition:
            self._stopping = True
            self._condition.notify_all()
        if self._observer is not None:
            self._observer.stop()
            self._observer.join(timeout)
            self._observer = None
        if self._worker is not None:
            self._worker.join(timeout)
            self._worker = None

    def __enter__(self) -> LibraryWatcher:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()
