"""A simulated Ableton Live running the MusiaIA Remote Script in a background thread, talking
real UDP to a companion server started with matching ports, for the panel's Live tests.

Live's objects are only touched from the thread that ticks it: tests hand changes over with
``call(func)`` (run on the next tick, result returned).
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

from companion.live.link import KEY_FILE, write_key
from fake_live.host import FakeLive
from fake_live.rig import LINK_SECRET_HEX, free_udp_port, script_env


class LiveThread:
    def __init__(self, tempo: float = 120.0) -> None:
        self.tempo = tempo
        self.script_port = free_udp_port()
        self.companion_port = free_udp_port()
        self.jobs: queue.Queue[tuple[Callable[[FakeLive], Any], Future]] = queue.Queue()
        self.ready = threading.Event()
        self.stopping = threading.Event()
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="fake-live", daemon=True)
        self.live: FakeLive | None = None

    @property
    def server_env(self) -> dict[str, str]:
        """What the companion reads to find the script (and where it listens for it)."""
        return {
            "MUSIAIA_LIVE_HOST": "127.0.0.1",
            "MUSIAIA_LIVE_SCRIPT_PORT": str(self.script_port),
            "MUSIAIA_LIVE_COMPANION_PORT": str(self.companion_port),
        }

    def pair_with(self, data_dir) -> LiveThread:
        """Share the script's link secret with a companion data folder (what install.py does)."""
        write_key(data_dir / KEY_FILE, LINK_SECRET_HEX)
        return self

    def start(self) -> LiveThread:
        self.thread.start()
        if not self.ready.wait(20):
            raise RuntimeError(f"fake Live did not start: {self.error!r}")
        if self.error:
            raise RuntimeError("fake Live failed to start") from self.error
        return self

    def _run(self) -> None:
        try:
            self.live = FakeLive("12.2", tempo=self.tempo)
            with script_env(self.script_port, self.companion_port):
                self.live.start_script()
        except BaseException as exc:  # reported by start()
            self.error = exc
            self.ready.set()
            return
        self.ready.set()
        while not self.stopping.is_set():
            while True:
                try:
                    func, future = self.jobs.get_nowait()
                except queue.Empty:
                    break
                try:
                    future.set_result(func(self.live))
                except BaseException as exc:
                    future.set_exception(exc)
            self.live.tick()
            time.sleep(0.005)
        self.live.close()

    def call(self, func: Callable[[FakeLive], Any], timeout: float = 10) -> Any:
        future: Future = Future()
        self.jobs.put((func, future))
        return future.result(timeout)

    def stop(self) -> None:
        self.stopping.set()
        self.thread.join(10)
