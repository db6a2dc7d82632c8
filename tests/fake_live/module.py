"""The fake ``Live`` package: module objects shaped like Live's (``Live.Song.Song``,
``Live.Clip.MidiNoteSpecification``, ``Live.Application.get_application()``, ``Live.MidiMap``…),
installed into ``sys.modules`` so the Remote Script's ``import Live`` finds it."""

from __future__ import annotations

import sys
import types
from enum import IntEnum
from typing import Any

from . import lom

SUBMODULES = (
    "Application",
    "Base",
    "Browser",
    "Clip",
    "ClipSlot",
    "CompressorDevice",
    "Device",
    "Envelope",
    "MidiMap",
    "Scene",
    "Song",
    "Track",
)


class MapMode(IntEnum):
    absolute = 0
    absolute_14_bit = 1
    relative_signed_bit = 2
    relative_binary_offset = 3
    relative_two_compliment = 4


class MidiMapState:
    """Which MIDI the script asked Live to forward; valid only inside build_midi_map."""

    def __init__(self) -> None:
        self.building_handle: object | None = None
        self.script_handles: set[int] = set()
        self.forwarded: set[tuple[str, int, int]] = set()
        self.mapped_cc: list[tuple[Any, int, int]] = []

    def check(self, script_handle: object, midi_map_handle: object) -> None:
        if id(script_handle) not in self.script_handles:
            raise RuntimeError("Invalid script handle")
        if midi_map_handle is None or midi_map_handle is not self.building_handle:
            raise RuntimeError("MIDI map handle is only valid inside build_midi_map")


def _check_midi(channel: Any, number: Any) -> None:
    if not (isinstance(channel, int) and isinstance(number, int)):
        raise lom.boost_mismatch("forward_midi_note(int, int, int, int)", [channel, number])
    if not (0 <= channel <= 15 and 0 <= number <= 127):
        raise RuntimeError("MIDI channel must be 0-15 and number 0-127")


class Timer:
    """Live.Base.Timer(callback, interval_ms, repeat): driven by the simulator's ticks."""

    def __init__(self, callback, interval, repeat=False, start=False) -> None:
        self.callback = callback
        self.interval = interval
        self.repeat = repeat
        self.running = False
        self._due = 0.0
        if start:
            self.start()

    def start(self) -> None:
        self.running = True
        registry.timers.append(self)

    def stop(self) -> None:
        self.running = False
        if self in registry.timers:
            registry.timers.remove(self)


class _Registry:
    def __init__(self) -> None:
        self.app: lom.Application | None = None
        self.midi = MidiMapState()
        self.timers: list[Timer] = []


registry = _Registry()


def get_application() -> lom.Application:
    if registry.app is None:
        raise RuntimeError("No Live application is running")
    return registry.app


def forward_midi_note(script_handle, midi_map_handle, channel, note, consume=True):
    _check_midi(channel, note)
    registry.midi.check(script_handle, midi_map_handle)
    registry.midi.forwarded.add(("note", channel, note))
    return True


def forward_midi_cc(script_handle, midi_map_handle, channel, cc, consume=True):
    _check_midi(channel, cc)
    registry.midi.check(script_handle, midi_map_handle)
    registry.midi.forwarded.add(("cc", channel, cc))
    return True


def map_midi_cc(midi_map_handle, parameter, channel, cc, map_mode, avoid_takeover=True):
    _check_midi(channel, cc)
    if midi_map_handle is not registry.midi.building_handle:
        raise RuntimeError("MIDI map handle is only valid inside build_midi_map")
    registry.midi.mapped_cc.append((parameter, channel, cc))
    return True


def build_modules(world: lom.World) -> dict[str, types.ModuleType]:
    live = types.ModuleType("Live")
    live.__path__ = []  # a package, so "import Live.Clip" works too
    modules = {"Live": live}
    for name in SUBMODULES:
        module = types.ModuleType(f"Live.{name}")
        setattr(live, name, module)
        modules[f"Live.{name}"] = module
    live.Song.Song = lom.Song
    live.Song.View = lom.SongView
    live.Track.Track = lom.Track
    live.Track.View = lom.TrackView
    live.ClipSlot.ClipSlot = lom.ClipSlot
    live.Clip.Clip = lom.Clip
    live.Clip.MidiNote = lom.MidiNote
    if world.has("note_specification"):
        live.Clip.MidiNoteSpecification = lom.MidiNoteSpecification
    if world.version >= (12, 2, 0):  # the envelope class moved from Live.Clip in 12.2
        live.Envelope.Envelope = lom.Envelope
    else:
        live.Clip.AutomationEnvelope = lom.AutomationEnvelope
    live.Track.RoutingType = lom.RoutingType
    live.CompressorDevice.CompressorDevice = lom.CompressorDevice
    live.Scene.Scene = lom.Scene
    live.Device.Device = lom.Device
    live.Device.DeviceType = IntEnum(
        "DeviceType", {"undefined": 0, "instrument": 1, "audio_effect": 2, "midi_effect": 4}
    )
    live.Application.Application = lom.Application
    live.Application.get_application = get_application
    live.Browser.Browser = lom.Browser
    live.Browser.BrowserItem = lom.BrowserItem
    live.MidiMap.MapMode = MapMode
    live.MidiMap.forward_midi_note = forward_midi_note
    live.MidiMap.forward_midi_cc = forward_midi_cc
    live.MidiMap.map_midi_cc = map_midi_cc
    live.Base.Timer = Timer
    live.Base.Vector = tuple
    return modules


def install(world: lom.World, app: lom.Application) -> None:
    uninstall()
    sys.modules.update(build_modules(world))
    registry.app = app
    registry.midi = MidiMapState()
    registry.timers = []
    lom.World.current = world


def uninstall() -> None:
    for name in [n for n in sys.modules if n == "Live" or n.startswith("Live.")]:
        del sys.modules[name]
    registry.app = None
    lom.World.current = None
