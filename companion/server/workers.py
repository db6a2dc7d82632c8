"""Composing and writing sets in worker processes, so two cores work for 20 producers at once.

A chat turn that makes a set is mostly CPU work in Python; threads would queue behind one another
on the interpreter lock. Jobs therefore run in a small process pool (started on first use, and
stopped again after a quiet spell so an idle companion stays small). Workers report progress on a
queue that a thread in the server process forwards to the right user's sockets.
"""

from __future__ import annotations

import itertools
import logging
import multiprocessing
import multiprocessing.connection
import os
import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

log = logging.getLogger("musiaia.workers")

ProgressSink = Callable[[int, dict[str, Any]], None]  # (user id, event)

# ----------------------------------------------------------------------------- worker side

_state: dict[str, Any] = {}


def _exit_with_the_server() -> None:
    """Leave as soon as the server process is gone, however it ended.

    A worker waits on the pool's call queue, which never reports the server's death, and it holds
    the forkserver's keep-alive pipe, so without this a killed or crashed server would leave the
    forkserver, the workers and the resource tracker running forever.
    """
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        multiprocessing.connection.wait([parent.sentinel])
        os._exit(0)

    threading.Thread(target=watch, name="musiaia-parent-watch", daemon=True).start()


def _init_worker(settings_json: str, progress_queue) -> None:
    _exit_with_the_server()
    from companion import logs
    from companion.db import Database
    from companion.services.chat import ChatService
    from companion.services.projects import ProjectService
    from companion.services.renders import RenderService
    from companion.settings import Settings
    from companion.sounds import SoundSource

    settings = Settings.model_validate_json(settings_json)
    logs.configure(settings.log_level, settings.log_file)
    database = Database(settings.database)
    projects = ProjectService(settings, database, SoundSource(settings.kit_dir, database))
    _state.update(
        settings=settings,
        db=database,
        projects=projects,
        chat=ChatService(database, projects),
        renders=RenderService(projects),
        queue=progress_queue,
    )


def _progress_for(job_id: int, user_id: int):
    progress_queue = _state["queue"]

    def progress(step: str, label: str, percent: int) -> None:
        progress_queue.put(
            (
                job_id,
                user_id,
                {"type": "progress", "data": {"step": step, "label": label, "percent": percent}},
            )
        )

    return progress


def _load_user(user_id: int):
    from companion.db import User

    with _state["db"].session() as session:
        user = session.get(User, user_id)
        if user is None:
            raise LookupError("user no longer exists")
        session.expunge(user)
    return user


def run_job(func: Callable, job_id: int, *args):
    """Run a job, then mark its end on the progress queue (after its last progress event)."""
    try:
        return func(job_id, *args)
    finally:
        _state["queue"].put((job_id, None, None))


def make_job(job_id: int, user_id: int, text: str, understanding_json: str, engine: str):
    """Compose and write the set a chat message asked for (generate or modify)."""
    from companion.requirements import Understanding

    understanding = Understanding.model_validate_json(understanding_json)
    return _state["chat"].make(
        _load_user(user_id), text, understanding, _progress_for(job_id, user_id), engine
    )


def revise_job(job_id: int, user_id: int, project_id: str, understanding_json: str, engine: str):
    """Write the next version of a project from an understood change (the agents' revise_song)."""
    from companion.chat.replies import spec_changes
    from companion.requirements import Understanding

    understanding = Understanding.model_validate_json(understanding_json)
    language = understanding.language
    outcome = _state["projects"].modify(
        _load_user(user_id),
        project_id,
        understanding,
        progress=_progress_for(job_id, user_id),
        engine=engine,
        describe=lambda old, new: "; ".join(spec_changes(old, new, language)),
    )
    return {"project_id": outcome.project_id, "version": outcome.version}


def generate_job(job_id: int, user_id: int, requirements_json: str, seed: int | None):
    from companion.requirements import Requirements

    requirements = Requirements.model_validate_json(requirements_json)
    outcome = _state["projects"].create(
        _load_user(user_id),
        requirements=requirements,
        seed=seed,
        progress=_progress_for(job_id, user_id),
    )
    written = outcome.generation.project
    return {
        "project_id": outcome.project_id,
        "folder": str(written.folder),
        "warnings": outcome.generation.warnings,
    }


def render_job(job_id: int, user_id: int, project_id: str, version: int | None):
    """Render a project version's audio into its folder (once) and say where it is."""
    return _state["renders"].render(_load_user(user_id), project_id, version)


# ----------------------------------------------------------------------------- server side


def _context():
    methods = multiprocessing.get_all_start_methods()
    if "forkserver" in methods:  # clean, fast children that do not inherit our threads
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["companion.services.chat", "companion.server.workers"])
        return context
    return multiprocessing.get_context("spawn")


class WorkerPool:
    """A lazily started process pool with progress forwarding and idle shutdown."""

    def __init__(
        self,
        settings_json: str,
        sink: ProgressSink,
        workers: int | None = None,
        idle_seconds: float = 120.0,
    ) -> None:
        self.settings_json = settings_json
        self.sink = sink
        self.workers = workers or max(1, min(4, os.cpu_count() or 2))
        self.idle_seconds = idle_seconds
        self._context = _context()
        self._queue = self._context.Queue()
        self._executor: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self._running = 0
        self._jobs: dict[int, dict[str, Any]] = {}
        self._last_used = time.monotonic()
        self._stop = threading.Event()
        self._forwarder = threading.Thread(
            target=self._forward, name="musiaia-progress", daemon=True
        )
        self._forwarder.start()
        self._reaper = threading.Thread(target=self._reap, name="musiaia-reaper", daemon=True)
        self._reaper.start()

    def _executor_locked(self) -> ProcessPoolExecutor:
        if self._executor is None:
            self._executor = ProcessPoolExecutor(
                self.workers,
                mp_context=self._context,
                initializer=_init_worker,
                initargs=(self.settings_json, self._queue),
            )
        return self._executor

    def submit(
        self, func: Callable, *args, listener: Callable[[dict[str, Any]], None] | None = None
    ) -> Future:
        """Run ``func(job_id, *args)`` in a worker.

        The returned future resolves only once the job's progress events were forwarded, so a
        caller that publishes the result after awaiting it keeps events in order. ``listener``
        also receives this job's own events (called on the forwarding thread), for a caller that
        reports progress somewhere other than the user's sockets (an MCP client).
        """
        job_id = next(self._ids)
        outer: Future = Future()
        with self._lock:
            self._running += 1
            self._last_used = time.monotonic()
            self._jobs[job_id] = {
                "future": outer,
                "result": None,
                "finished": False,
                "marked": False,
                "listener": listener,
            }
            try:
                inner = self._executor_locked().submit(run_job, func, job_id, *args)
            except BrokenProcessPool:
                self._executor = None
                inner = self._executor_locked().submit(run_job, func, job_id, *args)
        inner.add_done_callback(lambda done: self._finished(job_id, done))
        return outer

    def _finished(self, job_id: int, inner: Future) -> None:
        with self._lock:
            self._running -= 1
            self._last_used = time.monotonic()
            job = self._jobs.get(job_id)
            if job is None:
                return
            job["finished"], job["result"] = True, inner
            crashed = isinstance(inner.exception(), BrokenProcessPool)
            if crashed:
                self._executor = None
            ready = job["marked"] or crashed
        if ready:
            self._resolve(job_id)

    def _marked(self, job_id: int) -> None:
        with self._lock:
            job = self._jobs.get(job_id)
            if job is None:
                return
            job["marked"] = True
            ready = job["finished"]
        if ready:
            self._resolve(job_id)

    def _resolve(self, job_id: int) -> None:
        with self._lock:
            job = self._jobs.pop(job_id, None)
        if job is None:
            return
        inner: Future = job["result"]
        exception = inner.exception()
        if exception is not None:
            job["future"].set_exception(exception)
        else:
            job["future"].set_result(inner.result())

    def warm_up(self) -> None:
        """Start the workers now (e.g. right before a burst is expected)."""
        with self._lock:
            executor = self._executor_locked()
        for _ in range(self.workers):
            executor.submit(int)

    def _forward(self) -> None:
        while not self._stop.is_set():
            try:
                job_id, user_id, event = self._queue.get(timeout=0.5)
            except queue.Empty:
                continue
            except (EOFError, OSError):
                return
            if event is None:
                self._marked(job_id)
                continue
            with self._lock:
                job = self._jobs.get(job_id)
                listener = job["listener"] if job is not None else None
            try:
                self.sink(user_id, event)
                if listener is not None:
                    listener(event)
            except Exception:  # never let one bad event stop forwarding
                log.exception("progress forwarding failed")

    def _reap(self) -> None:
        while not self._stop.wait(5):
            with self._lock:
                idle = time.monotonic() - self._last_used
                if self._executor is not None and self._running == 0 and idle > self.idle_seconds:
                    self._executor.shutdown(wait=False, cancel_futures=True)
                    self._executor = None

    def close(self) -> None:
        self._stop.set()
        with self._lock:
            if self._executor is not None:
                self._executor.shutdown(wait=True, cancel_futures=True)
                self._executor = None
        self._queue.close()
