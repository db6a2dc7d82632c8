"""The control-surface shell around a script: ``c_instance`` and Live's tick.

``FakeLive`` owns one simulated Live (application, song, browser), installs the fake ``Live``
module, loads the Remote Script package from the repository folder under the name Live would use
(``MusiaIA``) and drives it: every ``tick()`` advances Live's clock (transport, song time),
rebuilds the MIDI map when the script asked for it, then calls ``update_display`` like Live does
every ~100 ms. Exceptions a script lets escape are recorded, never raised (Live logs them).
"""

from __future__ import annotations

import importlib.util
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from . import lom, module

REPO = Path(__file__).resolve().parents[2]
SCRIPT_FOLDER = REPO / "remote_script"


class ScriptHandle:
    """What ``c_instance.handle()`` returns: an opaque token Live checks in MidiMap calls."""


class CInstance:
    def __init__(self, live: FakeLive) -> None:
        self._live = live
        self._handle = ScriptHandle()
        module.registry.midi.script_handles.add(id(self._handle))
        self.messages: list[str] = []
        self.logs: list[str] = []
        self.sent_midi: list[tuple[int, ...]] = []
        self.rebuild_requested = False

    def song(self) -> lom.Song:
        return self._live.song

    def show_message(self, message: str) -> None:
        if not isinstance(message, str):
            raise lom.boost_mismatch("show_message(str)", [message])
        self.messages.append(message)

    def log_message(self, *message: Any) -> None:
        self.logs.append(" ".join(str(m) for m in message))

    def handle(self) -> ScriptHandle:
        return self._handle

    def request_rebuild_midi_map(self) -> None:
        self.rebuild_requested = True

    def send_midi(self, midi_bytes: tuple[int, ...]) -> None:
        if not isinstance(midi_bytes, tuple) or not all(
            isinstance(b, int) and 0 <= b <= 255 for b in midi_bytes
        ):
            raise lom.boost_mismatch("send_midi(tuple)", [midi_bytes])
        self.sent_midi.append(midi_bytes)


def load_script_package(name: str = "MusiaIA", folder: Path = SCRIPT_FOLDER):
    """Import the Remote Script folder as package ``name`` (fresh, like Live after a restart)."""
    for key in [k for k in sys.modules if k == name or k.startswith(name + ".")]:
        del sys.modules[key]
    spec = importlib.util.spec_from_file_location(
        name, folder / "__init__.py", submodule_search_locations=[str(folder)]
    )
    package = importlib.util.module_from_spec(spec)
    sys.modules[name] = package
    spec.loader.exec_module(package)
    return package


class FakeLive:
    def __init__(
        self,
        profile: str = "12.2",
        *,
        without: tuple[str, ...] = (),
        edition: str = "suite",
        tempo: float = 120.0,
        scenes: int = 8,
        default_tracks: bool = True,
        browser_item_seconds: float = 0.0,
        note_read_seconds: float = 0.0,
        write_seconds: float = 0.0,
    ) -> None:
        self.world = lom.World(profile, without, edition)
        self.world.browser_item_seconds = browser_item_seconds
        self.world.note_read_seconds = note_read_seconds
        self.world.write_seconds = write_seconds
        lom.World.current = self.world
        self.app = lom.Application(self.world, tempo, scenes)
        self.song = self.app.get_document()
        module.install(self.world, self.app)
        self.surfaces: list[tuple[Any, CInstance]] = []
        self.surface_errors: list[BaseException] = []
        self.tick_seconds: list[float] = []  # wall time of each update_display
        self.tick_cpu_seconds: list[float] = []  # CPU time of each (the script's own work)
        self.browser_items_per_tick: list[int] = []  # browser items the script listed per tick
        self.notes_read_per_tick: list[int] = []  # notes Live returned to the script per tick
        self.writes_per_tick: list[int] = []  # changes the script made to the set per tick
        if default_tracks:  # Live's default set: 2 MIDI, 2 audio tracks, returns A and B
            for name in ("A-Reverb", "B-Delay"):
                self.song.create_return_track().name = name
            for _ in range(2):
                self.song.create_midi_track(-1)
            for _ in range(2):
                self.song.create_audio_track(-1)
            self.song.view.selected_track = self.song.tracks[0]
            self.world.undo.entries.clear()
            self.world.write_log.clear()

    # -- scripts -----------------------------------------------------------------------------
    def load_script(self, name: str = "MusiaIA"):
        return load_script_package(name)

    def start_script(self, package: Any = None) -> tuple[Any, CInstance]:
        package = package or self.load_script()
        c_instance = CInstance(self)
        with self.script_running():
            surface = package.create_instance(c_instance)
        self.surfaces.append((surface, c_instance))
        return surface, c_instance

    @contextmanager
    def script_running(self):
        """The script has the control: the API names it touches are recorded."""
        self.world.tracing += 1
        try:
            yield
        finally:
            self.world.tracing -= 1

    def stop_script(self, surface: Any) -> None:
        for entry in list(self.surfaces):
            if entry[0] is surface:
                self.surfaces.remove(entry)
                with self.script_running():
                    surface.disconnect()

    # -- Live's clock ----------------------------------------------------------------------
    def _rebuild_midi_map(self, surface: Any, c_instance: CInstance) -> None:
        c_instance.rebuild_requested = False
        handle = object()
        state = module.registry.midi
        state.forwarded = set()
        state.building_handle = handle
        try:
            with self.script_running():
                surface.build_midi_map(handle)
        finally:
            state.building_handle = None

    def tick(self, count: int = 1) -> None:
        for _ in range(count):
            self.world.tick += 1
            self.song._advance()
            for timer in list(module.registry.timers):
                timer.callback()
                if not timer.repeat:
                    timer.stop()
            for surface, c_instance in list(self.surfaces):
                if c_instance.rebuild_requested:
                    self._rebuild_midi_map(surface, c_instance)
                started = time.perf_counter()
                cpu_started = time.thread_time()
                listed = self.world.browser_listed
                notes = self.world.notes_read
                writes = len(self.world.write_log)
                try:
                    with self.script_running():
                        surface.update_display()
                except Exception as error:  # Live logs it and carries on
                    self.surface_errors.append(error)
                self.tick_seconds.append(time.perf_counter() - started)
                self.tick_cpu_seconds.append(time.thread_time() - cpu_started)
                self.browser_items_per_tick.append(self.world.browser_listed - listed)
                self.notes_read_per_tick.append(self.world.notes_read - notes)
                self.writes_per_tick.append(len(self.world.write_log) - writes)

    def midi_in(self, *midi_bytes: int) -> bool:
        """A MIDI message on the surface's input; delivered only if the script forwarded it."""
        status = midi_bytes[0] & 0xF0
        channel = midi_bytes[0] & 0x0F
        kind = {0x90: "note", 0x80: "note", 0xB0: "cc"}.get(status)
        if kind is None or (kind, channel, midi_bytes[1]) not in module.registry.midi.forwarded:
            return False
        for surface, _c in self.surfaces:
            with self.script_running():
                surface.receive_midi(tuple(midi_bytes))
        return True

    def close(self) -> None:
        for surface, _c in list(self.surfaces):
            self.stop_script(surface)
        module.uninstall()
