"""A behavioural simulator of the Live Object Model subset MusiaIA's Remote Script uses.

It models what real Live does and naive mocks miss (see shared/reference/remote-script.md §6):

* read-only vectors (tuples) — collections change only through methods;
* listeners for observable properties (``add_X_listener`` / ``remove_X_listener`` /
  ``X_has_listener``): adding a callback twice or removing an unknown one raises, callbacks run
  synchronously, and **any LOM write while a notification is being delivered raises**
  ``RuntimeError("Changes cannot be triggered by notifications…")``;
* Boost.Python strictness where Live is strict (float note times, int pitches, str names):
  ``ArgumentError`` "Python argument types … did not match C++ signature";
* clip-slot, note, tempo, meter, scale and loop validation; same-pitch note overlap truncation;
* the 70-colour palette (``color`` snaps, ``color_index`` agrees);
* deleted objects become invalid (compare equal to None, raise on use, listeners dropped);
* undo: begin/end steps are recorded, changes outside them group per tick, and ``undo()`` really
  reverts the last step;
* version profiles that add or remove attributes so ``hasattr`` feature detection is exercised;
* audio clips made from real files (``ClipSlot.create_audio_clip`` 12.0.5+,
  ``Track.create_audio_clip`` 12.2+): absolute path, existing, an audio format (WAV decoded for
  its length, as auto-warp would see it), audio tracks only; warping and the warp modes the
  edition has; loop brace and markers kept in order; a looping arrangement clip keeps its size,
  an unlooped one ends at its loop end; copies to the arrangement as long as the loop;
* browser sample items (``Browser._add_place``): loaded onto a MIDI track they become a Simpler
  playing the file (no Live version lets a script give Simpler a file directly);
* a slow browser: with ``browser_item_seconds`` set, listing a folder costs that much per item
  (``children`` builds the whole listing, ``iter_children`` pays item by item), as Live's
  browser does with big libraries;
* which public API names the script touches (``World.api_used``, recorded while the script runs)
  so a test can check every one against Live's stubs.
"""

from __future__ import annotations

import bisect
import itertools
import os
import time
import wave
from collections.abc import Callable, Iterable
from typing import Any

from . import devices
from .palette import PALETTE, nearest_index

NOTIFICATION_ERROR = (
    "Changes cannot be triggered by notifications. You will need to defer your response."
)
UNDO_ERROR = "Changes cannot be triggered during undo or redo."

SCALE_NAMES = (
    "Major",
    "Minor",
    "Dorian",
    "Mixolydian",
    "Lydian",
    "Phrygian",
    "Locrian",
    "Whole Tone",
    "Half-whole Dim.",
    "Whole-half Dim.",
    "Minor Blues",
    "Minor Pentatonic",
    "Major Pentatonic",
    "Harmonic Minor",
    "Harmonic Major",
    "Dorian #4",
    "Phrygian Dominant",
    "Melodic Minor",
    "Lydian Augmented",
    "Lydian Dominant",
    "Super Locrian",
    "8-Tone Spanish",
    "Bhairav",
    "Hungarian Minor",
    "Hirajoshi",
    "In-Sen",
    "Iwato",
    "Kumoi",
    "Pelog Selisir",
    "Pelog Tembung",
    "Messiaen 3",
    "Messiaen 4",
    "Messiaen 5",
    "Messiaen 6",
    "Messiaen 7",
)
SCALE_INTERVALS = {"Major": (0, 2, 4, 5, 7, 9, 11), "Minor": (0, 2, 3, 5, 7, 8, 10)}

# Native devices by class (insert_device, 12.3+) and what the default browser offers.
INSTRUMENTS = (
    "Analog",
    "Collision",
    "Drift",
    "Drum Rack",
    "Electric",
    "Impulse",
    "Instrument Rack",
    "Meld",
    "Operator",
    "Sampler",
    "Simpler",
    "Tension",
    "Wavetable",
)
AUDIO_EFFECTS = (
    "Auto Filter",
    "Chorus-Ensemble",
    "Compressor",
    "Delay",
    "EQ Eight",
    "Glue Compressor",
    "Limiter",
    "Reverb",
    "Saturator",
    "Utility",
)
MIDI_EFFECTS = ("Arpeggiator", "Chord", "Scale", "Velocity")
DEVICE_CLASS = {
    "Drum Rack": "DrumGroupDevice",
    "Simpler": "OriginalSimpler",
    "Instrument Rack": "InstrumentGroupDevice",
    "Operator": "Operator",
    **{name: class_name for name, (class_name, _specs) in devices.DEVICES.items()},
}

# Version profiles: which optional LOM features each Live has.
BASE_FEATURES = frozenset(
    {
        "add_new_notes",
        "note_specification",
        "get_notes_extended",
        "remove_notes_extended",
        "duplicate_clip_to_arrangement",
        "arrangement_clips",
        "scale_name",
        "set_notes",
        "link_enabled",  # Song.is_ableton_link_enabled: 11.1+
        "process_usage",  # Application.average_process_usage: 11.1+
    }
)
# Version profiles: which optional LOM features each Live has, as Live's own API stubs say
# (fake_live/live_api_versions.json, from PhotonicVelocity/LiveAPI; a test keeps them in step).
# Clip.get_all_notes_extended: 11.1+. Application.get_version_string: 11.3.2+.
# ClipSlot.create_audio_clip and Track.create_audio_clip: 11.3.25+ and 12.0.5+ (not in 12.0.0).
# Song.scale_mode: 12.0.5+. Track.create_midi_clip: 12.2+. Track.insert_device: 12.3+.
_AUDIO_FILES = frozenset({"slot_create_audio_clip", "create_audio_clip"})
_SINCE_11_1 = frozenset({"link_enabled", "process_usage"})
PROFILES: dict[str, dict[str, Any]] = {
    "11.0": {"version": (11, 0, 0), "python": (3, 7), "features": BASE_FEATURES - _SINCE_11_1},
    "11.3": {
        "version": (11, 3, 21),
        "python": (3, 7),
        "features": BASE_FEATURES | {"get_all_notes_extended", "version_string"},
    },
    "11.3.25": {
        "version": (11, 3, 25),
        "python": (3, 7),
        "features": BASE_FEATURES | {"get_all_notes_extended", "version_string"} | _AUDIO_FILES,
    },
    "12.0": {
        "version": (12, 0, 1),
        "python": (3, 7),
        "features": BASE_FEATURES | {"get_all_notes_extended", "version_string"},
    },
    "12.0.5": {
        "version": (12, 0, 5),
        "python": (3, 7),
        "features": BASE_FEATURES
        | {"get_all_notes_extended", "version_string", "scale_mode"}
        | _AUDIO_FILES,
    },
    "12.1": {
        "version": (12, 1, 11),
        "python": (3, 11),
        "features": BASE_FEATURES
        | {"get_all_notes_extended", "version_string", "scale_mode"}
        | _AUDIO_FILES,
    },
    "12.2": {
        "version": (12, 2, 5),
        "python": (3, 11),
        "features": BASE_FEATURES
        | {"get_all_notes_extended", "version_string", "scale_mode", "create_midi_clip"}
        | _AUDIO_FILES,
    },
    "12.3": {
        "version": (12, 3, 6),
        "python": (3, 11),
        "features": BASE_FEATURES
        | {
            "get_all_notes_extended",
            "version_string",
            "scale_mode",
            "create_midi_clip",
            "insert_device",
        }
        | _AUDIO_FILES,
    },
}
# Feature → the stub name it stands for (checked against the stubs table).
FEATURE_NAMES = {
    "add_new_notes": "Clip.Clip.add_new_notes",
    "note_specification": "Clip.MidiNoteSpecification",
    "get_notes_extended": "Clip.Clip.get_notes_extended",
    "remove_notes_extended": "Clip.Clip.remove_notes_extended",
    "duplicate_clip_to_arrangement": "Track.Track.duplicate_clip_to_arrangement",
    "arrangement_clips": "Track.Track.arrangement_clips",
    "scale_name": "Song.Song.scale_name",
    "set_notes": "Clip.Clip.set_notes",
    "get_all_notes_extended": "Clip.Clip.get_all_notes_extended",
    "version_string": "Application.Application.get_version_string",
    "scale_mode": "Song.Song.scale_mode",
    "slot_create_audio_clip": "ClipSlot.ClipSlot.create_audio_clip",
    "create_audio_clip": "Track.Track.create_audio_clip",
    "create_midi_clip": "Track.Track.create_midi_clip",
    "insert_device": "Track.Track.insert_device",
    "link_enabled": "Song.Song.is_ableton_link_enabled",
    "process_usage": "Application.Application.average_process_usage",
}

# Clip.warp_mode indices (LOM: 0 Beats, 1 Tones, 2 Texture, 3 Re-Pitch, 4 Complex, 5 REX,
# 6 Complex Pro). Intro and Lite have no Complex / Complex Pro.
WARP_MODES = {"beats": 0, "tones": 1, "texture": 2, "repitch": 3, "complex": 4, "complex_pro": 6}
EDITION_WARP_MODES = {"intro": (0, 1, 2, 3), "lite": (0, 1, 2, 3)}
AUDIO_EXTENSIONS = (".wav", ".wave", ".aif", ".aiff", ".flac", ".ogg", ".mp3", ".m4a")
MAX_ARRANGEMENT_BEATS = 1576800.0  # LOM: start_time must be within [0, 1576800]
SHORT_SAMPLE_SECONDS = 30.0  # "Loop/Warp Short Samples": shorter files come in looping


class AudioFile:
    """What Live reads from an audio file when it makes a clip of it (WAV only here)."""

    def __init__(self, path: str, seconds: float) -> None:
        self.path = path
        self.seconds = seconds

    def natural_beats(self, song_tempo: float) -> float:
        """The clip length Live's auto-warp gives the file: a short file is taken for a loop
        of 1, 2, 4, 8… beats at a tempo in [80, 160); a long one keeps its real duration."""
        if self.seconds > SHORT_SAMPLE_SECONDS:
            return self.seconds * song_tempo / 60.0
        beats = 1.0
        while beats * 60.0 / self.seconds < 80.0:
            beats *= 2.0
        while beats > 1.0 and beats * 60.0 / self.seconds >= 160.0:
            beats /= 2.0
        return beats


def read_audio_file(path: Any) -> AudioFile:
    """The checks Live makes when a script hands it a file: an absolute path to an existing
    audio file it can decode (the messages are ours; Live's exact wording is not documented)."""
    if not os.path.isabs(path):
        raise RuntimeError(f"Audio file path must be absolute: {path!r}")
    if not path.lower().endswith(AUDIO_EXTENSIONS):
        raise RuntimeError(f"Unsupported audio file format: {path!r}")
    if not os.path.isfile(path):
        raise RuntimeError(f"Audio file not found: {path!r}")
    if not path.lower().endswith((".wav", ".wave")):
        raise NotImplementedError("the simulator decodes WAV files only")
    try:
        with wave.open(path, "rb") as reader:
            frames, rate = reader.getnframes(), reader.getframerate()
    except (wave.Error, EOFError) as error:
        raise RuntimeError(f"Could not read audio file {path!r}: {error}") from None
    if frames <= 0 or rate <= 0:
        raise RuntimeError(f"Could not read audio file {path!r}: no audio")
    return AudioFile(path, frames / rate)


class ArgumentError(TypeError):
    """Boost.Python's ArgumentError (a TypeError), raised when argument types do not match."""


def boost_mismatch(signature: str, args: Iterable[Any]) -> ArgumentError:
    types = ", ".join(type(a).__name__ for a in args)
    return ArgumentError(
        f"Python argument types in\n    {signature.split('(')[0]}({types})\n"
        f"did not match C++ signature:\n    {signature}"
    )


def _is_float(value: Any) -> bool:
    return isinstance(value, float)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


# -- world: notifications, write guard, undo -------------------------------------------------


class UndoHistory:
    """Live's undo stack as far as a script can observe it."""

    def __init__(self, world: World) -> None:
        self._world = world
        self.entries: list[dict[str, Any]] = []  # {"explicit": bool, "tick": n, "ops": [...]}
        self.depth = 0
        self._open: dict[str, Any] | None = None
        self.events: list[tuple[str, int]] = []  # ("begin"|"end", tick) for tests
        self.recording = True
        self.redoable: list[dict[str, Any]] = []  # undone steps, newest last

    def begin(self) -> None:
        self.events.append(("begin", self._world.tick))
        self.depth += 1
        if self.depth == 1:
            self._open = {"explicit": True, "tick": self._world.tick, "ops": []}

    def end(self) -> None:
        self.events.append(("end", self._world.tick))
        if self.depth == 0:
            return  # Live ignores an unmatched end
        self.depth -= 1
        if self.depth == 0:
            self._open = None

    def record(
        self,
        description: str,
        inverse: Callable[[], None],
        redo: Callable[[], None] | None = None,
    ) -> None:
        """An undoable change; ``redo`` makes it again after an undo (None: Live could, the
        simulator cannot — redo then refuses)."""
        if not self.recording:
            return
        self.redoable.clear()  # a new change ends the redo history, as in Live
        op = (description, inverse, redo)
        if self._open is not None:
            if not self._open["ops"]:
                self.entries.append(self._open)
            self._open["ops"].append(op)
            return
        last = self.entries[-1] if self.entries else None
        if (
            last is None
            or last["explicit"]
            or last["tick"] != self._world.tick
            or last.get("closed")
        ):
            last = {"explicit": False, "tick": self._world.tick, "ops": []}
            self.entries.append(last)
        last["ops"].append(op)

    def undo(self) -> list[str]:
        if not self.entries:
            raise RuntimeError("Nothing to undo")
        if self.depth:
            raise RuntimeError("Cannot undo while an undo step is open")
        entry = self.entries.pop()
        self.recording = False
        self._world.in_undo = True
        try:
            for _description, inverse, _redo in reversed(entry["ops"]):
                inverse()
        finally:
            self._world.in_undo = False
            self.recording = True
        entry["closed"] = True
        self.redoable.append(entry)
        return [op[0] for op in entry["ops"]]

    def redo(self) -> list[str]:
        if not self.redoable:
            raise RuntimeError("Nothing to redo")
        entry = self.redoable[-1]
        if any(op[2] is None for op in entry["ops"]):
            raise NotImplementedError("simulator: redo of " + entry["ops"][0][0])
        self.redoable.pop()
        self.recording = False
        self._world.in_undo = True
        try:
            for _description, _inverse, redo in entry["ops"]:
                redo()
        finally:
            self._world.in_undo = False
            self.recording = True
        self.entries.append(entry)
        return [op[0] for op in entry["ops"]]

    def descriptions(self, index: int = -1) -> list[str]:
        return [op[0] for op in self.entries[index]["ops"]]


class World:
    """Shared state of one simulated Live: version, features, guard, undo, tick counter."""

    current: World | None = None

    def __init__(
        self, profile: str = "12.2", without: Iterable[str] = (), edition: str = "suite"
    ) -> None:
        if profile not in PROFILES:
            raise ValueError(f"unknown profile {profile!r}; known: {', '.join(PROFILES)}")
        spec = PROFILES[profile]
        self.profile = profile
        self.version: tuple[int, int, int] = spec["version"]
        self.python: tuple[int, int] = spec["python"]
        self.features = frozenset(spec["features"]) - frozenset(without)
        self.edition = edition
        self.tick = 0
        self.notifying = 0
        self.in_undo = False
        self.guard_violations: list[str] = []
        self.listener_errors: list[BaseException] = []
        self.undo = UndoHistory(self)
        self.write_log: list[tuple[Any, str]] = []  # (object, what) for every accepted write
        self.write_seconds = 0.0  # cost of each accepted write (0: free)
        self._ids = itertools.count(1)
        self.browser_item_seconds = 0.0  # cost of listing one browser item (0: free)
        self.browser_listed = 0  # browser items listed so far (children or iter_children)
        self.note_read_seconds = 0.0  # cost of each note a notes getter returns (0: free)
        self.notes_read = 0  # notes returned by getters so far
        self.tracing = 0  # > 0 while the script runs: public names it touches are recorded
        self.api_used: set[str] = set()  # "Class.member" names touched by the script

    def next_id(self) -> int:
        return next(self._ids)

    def has(self, feature: str) -> bool:
        return feature in self.features

    def check_write(self, obj: Any, what: str) -> None:
        if self.notifying:
            self.guard_violations.append(what)
            raise RuntimeError(NOTIFICATION_ERROR)
        if self.in_undo:
            return  # undo's own changes
        self.write_log.append((obj, what))
        if self.write_seconds:  # a slow Live: each change costs it this much (busy, like Live)
            until = time.perf_counter() + self.write_seconds
            while time.perf_counter() < until:
                pass

    def notify(self, callbacks: list[Callable[[], None]]) -> None:
        if not callbacks:
            return
        self.notifying += 1
        try:
            for callback in list(callbacks):
                try:
                    callback()
                except Exception as error:  # Live logs listener errors, never propagates them
                    self.listener_errors.append(error)
        finally:
            self.notifying -= 1


class requires:
    """A method (or property) present only when the world has ``feature``: ``hasattr`` on the
    instance and on the class answers like the Live of that profile."""

    def __init__(self, feature: str, func: Any = None) -> None:
        self.feature = feature
        self.func = func

    def __call__(self, func: Any) -> requires:
        return requires(self.feature, func)

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, obj: Any, owner: type | None = None) -> Any:
        world = obj._world if obj is not None else World.current
        if world is None or not world.has(self.feature):
            raise AttributeError(
                f"'{owner.__name__ if owner else ''}' object has no attribute '{self.name}'"
            )
        return self.func.__get__(obj, owner) if obj is not None else self.func

    def __set__(self, obj: Any, value: Any) -> None:
        if not obj._world.has(self.feature) or not isinstance(self.func, property):
            raise AttributeError(f"can't set attribute '{self.name}'")
        self.func.__set__(obj, value)


# -- objects -----------------------------------------------------------------------------------


def observable(*names: str):
    """Class decorator adding add_X_listener / remove_X_listener / X_has_listener."""

    def decorate(cls: type) -> type:
        for name in names:

            def add(self, callback, name=name):
                self._check_alive()
                if not callable(callback):
                    raise boost_mismatch(f"add_{name}_listener(LomObject, object)", [callback])
                bucket = self._listeners.setdefault(name, [])
                if any(existing == callback for existing in bucket):
                    raise RuntimeError("Listener already connected")
                bucket.append(callback)

            def remove(self, callback, name=name):
                self._check_alive()
                bucket = self._listeners.get(name, [])
                for i, existing in enumerate(bucket):
                    if existing == callback:
                        del bucket[i]
                        return
                raise RuntimeError("Listener not connected")

            def has(self, callback, name=name):
                self._check_alive()
                return any(existing == callback for existing in self._listeners.get(name, []))

            setattr(cls, f"add_{name}_listener", add)
            setattr(cls, f"remove_{name}_listener", remove)
            setattr(cls, f"{name}_has_listener", has)
        cls._observables = tuple(getattr(cls, "_observables", ())) + names
        return cls

    return decorate


class LomObject:
    _observables: tuple[str, ...] = ()
    _always = frozenset({"canonical_parent"})

    def __init__(self, world: World) -> None:
        self._world = world
        self._alive = True
        self._listeners: dict[str, list[Callable[[], None]]] = {}
        self._live_ptr = world.next_id()

    def __getattribute__(self, name: str) -> Any:
        if name[0] != "_":
            world = object.__getattribute__(self, "_world")
            if world.tracing:
                world.api_used.add(f"{type(self).__name__}.{name}")
            if not object.__getattribute__(self, "_alive"):
                raise RuntimeError(f"The {type(self).__name__} object has been deleted")
        return object.__getattribute__(self, name)

    def __eq__(self, other: object) -> bool:
        if other is None:
            return not self._alive
        return self is other

    def __ne__(self, other: object) -> bool:
        return not self.__eq__(other)

    __hash__ = object.__hash__

    def __bool__(self) -> bool:
        return self._alive

    def _check_alive(self) -> None:
        if not self._alive:
            raise RuntimeError(f"The {type(self).__name__} object has been deleted")

    def _write(self, what: str) -> None:
        self._check_alive()
        self._world.check_write(self, what)

    def _notify(self, name: str) -> None:
        if self._alive:
            self._world.notify(self._listeners.get(name, []))

    def _invalidate(self) -> None:
        self._alive = False
        self._saved_listeners = self._listeners
        self._listeners = {}

    def _revive(self) -> None:
        self._alive = True

    # property plumbing: validated, guarded, undoable, notifying
    def _set_prop(
        self, name: str, value: Any, undoable: bool = True, also: tuple[str, ...] = ()
    ) -> None:
        self._write(f"{type(self).__name__}.{name}")
        old = getattr(self, "_v_" + name)
        if old == value and type(old) is type(value):
            return
        self._store(name, value)
        if undoable:
            self._world.undo.record(
                f"set {type(self).__name__}.{name}",
                lambda: self._restore_prop(name, old),
                lambda: self._restore_prop(name, value),
            )
        self._notify(name)
        for other in also:
            self._notify(other)

    def _store(self, name: str, value: Any) -> None:
        setattr(self, "_v_" + name, value)

    def _restore_prop(self, name: str, value: Any) -> None:
        self._store(name, value)
        self._notify(name)


def _coloured(cls: type) -> type:
    """color (0xRRGGBB, snapped to the palette) and color_index (0–69) kept consistent."""

    def get_color(self):
        return PALETTE[self._v_color_index] if self._v_color_index is not None else 0

    def set_color(self, value):
        if not _is_int(value):
            raise boost_mismatch(f"{cls.__name__}.color(T, int)", [self, value])
        self._set_prop("color_index", nearest_index(value), also=("color",))

    def get_index(self):
        return self._v_color_index

    def set_index(self, value):
        if not _is_int(value):
            raise boost_mismatch(f"{cls.__name__}.color_index(T, int)", [self, value])
        if not 0 <= value < len(PALETTE):
            raise RuntimeError(f"Color index {value} out of range")
        self._set_prop("color_index", value, also=("color",))

    cls.color = property(get_color, set_color)
    cls.color_index = property(get_index, set_index)
    return cls


def _named(cls: type) -> type:
    def get_name(self):
        return self._v_name

    def set_name(self, value):
        if not isinstance(value, str):
            raise boost_mismatch(f"{cls.__name__}.name({cls.__name__}, str)", [self, value])
        self._set_prop("name", value)

    cls.name = property(get_name, set_name)
    return cls


# -- notes ---------------------------------------------------------------------------------------


class MidiNoteSpecification:
    """Live.Clip.MidiNoteSpecification: keyword construction, Boost-strict types."""

    _SIGNATURE = (
        "MidiNoteSpecification.__init__(object, int pitch, double start_time, "
        "double duration, double velocity=100, bool mute=False, double probability=1, "
        "double velocity_deviation=0, double release_velocity=64)"
    )

    def __init__(
        self,
        pitch=None,
        start_time=None,
        duration=None,
        velocity=100.0,
        mute=False,
        probability=1.0,
        velocity_deviation=0.0,
        release_velocity=64.0,
    ) -> None:
        values = [pitch, start_time, duration, velocity, mute]
        if (
            not _is_int(pitch)
            or not _is_float(start_time)
            or not _is_float(duration)
            or not (_is_number(velocity))
            or not isinstance(mute, bool)
            or not _is_number(probability)
        ):
            raise boost_mismatch(self._SIGNATURE, values)
        self.pitch = pitch
        self.start_time = start_time
        self.duration = duration
        self.velocity = float(velocity)
        self.mute = mute
        self.probability = float(probability)
        self.velocity_deviation = float(velocity_deviation)
        self.release_velocity = float(release_velocity)


class MidiNote:
    """What get_notes_extended returns."""

    __slots__ = (
        "duration",
        "mute",
        "note_id",
        "pitch",
        "probability",
        "release_velocity",
        "start_time",
        "velocity",
        "velocity_deviation",
    )

    def __init__(
        self,
        note_id,
        pitch,
        start_time,
        duration,
        velocity,
        mute=False,
        probability=1.0,
        velocity_deviation=0.0,
        release_velocity=64.0,
    ) -> None:
        self.note_id = note_id
        self.pitch = pitch
        self.start_time = start_time
        self.duration = duration
        self.velocity = velocity
        self.mute = mute
        self.probability = probability
        self.velocity_deviation = velocity_deviation
        self.release_velocity = release_velocity

    def copy(self) -> MidiNote:
        return MidiNote(
            self.note_id,
            self.pitch,
            self.start_time,
            self.duration,
            self.velocity,
            self.mute,
            self.probability,
            self.velocity_deviation,
            self.release_velocity,
        )

    @property
    def end(self) -> float:
        return self.start_time + self.duration

    def as_tuple(self) -> tuple:
        return (self.pitch, self.start_time, self.duration, self.velocity, self.mute)


# -- clips, slots, scenes, devices ------------------------------------------------------------


@_named
@_coloured
@observable(
    "name",
    "color",
    "color_index",
    "notes",
    "loop_start",
    "loop_end",
    "start_marker",
    "end_marker",
    "looping",
    "warping",
    "warp_mode",
    "end_time",
    "playing_status",
    "playing_position",
    "gain",
    "pitch_coarse",
    "pitch_fine",
    "is_recording",
)
class Clip(LomObject):
    """A MIDI or audio clip, in a session slot or in the arrangement.

    Positions are beats (an unwarped audio clip's are seconds in Live — not modelled here: the
    simulator refuses to move them). Looping on: ``loop_start``/``loop_end`` (the brace) and
    ``start_marker``/``end_marker`` are independent pairs, each ordered. Looping off: the loop
    pair is the clip's start/end (LOM: "for unlooped clips: clip start/end"), the markers move
    with it. An arrangement clip's extent follows ``loop_end`` only while it is unlooped; a looped
    one keeps the size it was made with (producer-pal's findings on Live 12).
    """

    def __init__(
        self,
        world: World,
        parent: Any,
        length: float,
        is_midi: bool = True,
        start_time: float = 0.0,
        arrangement: bool = False,
        looping: bool | None = None,
        audio: AudioFile | None = None,
    ) -> None:
        super().__init__(world)
        self._parent = parent
        self._v_name = ""
        self._v_color_index = getattr(parent, "_track_color_index", lambda: 0)()
        self._v_loop_start = 0.0
        self._v_loop_end = float(length)
        self._v_start_marker = 0.0
        self._v_end_marker = float(length)
        self._v_looping = (not arrangement) if looping is None else looping
        self._fixed_extent = float(length)  # a looped arrangement clip's size
        self._start_time = float(start_time)
        self._is_midi = is_midi
        self._arrangement = arrangement
        self._audio = audio
        self._v_warping = audio is not None
        self._v_warp_mode = 0  # Live's default warp mode preference: Beats
        self._by_pitch: dict[int, list[MidiNote]] = {}
        self._note_ids = itertools.count(1)
        self._v_playing_position = 0.0
        self._envelopes: dict[int, AutomationEnvelope] = {}  # id(parameter) → clip envelope
        self._v_gain = 0.4  # Live's normalised clip gain, 0 dB
        self._v_pitch_coarse = 0
        self._v_pitch_fine = 0.0
        self._recording = False

    # identity
    canonical_parent = property(lambda self: self._parent)
    is_midi_clip = property(lambda self: self._is_midi)
    is_audio_clip = property(lambda self: not self._is_midi)
    is_arrangement_clip = property(lambda self: self._arrangement)
    start_time = property(lambda self: self._start_time)

    @property
    def end_time(self) -> float:
        if self._arrangement:
            return self._start_time + self._extent
        return self._v_loop_end if self._v_looping else self._v_end_marker

    @property
    def _extent(self) -> float:
        if self._v_looping:
            return self._fixed_extent
        return self._v_loop_end - self._v_loop_start

    @property
    def length(self) -> float:
        return self._v_loop_end - self._v_loop_start

    # playback ----------------------------------------------------------------------------------
    def _slot(self) -> ClipSlot | None:
        return self._parent if isinstance(self._parent, ClipSlot) else None

    def fire(self, force_legato=False, launch_quantization=None):
        self._write("Clip.fire")
        self._launch()

    def _launch(self) -> None:
        slot = self._slot()
        if slot is None:
            return  # arrangement clips are not launched
        track = slot._track
        track._fired_slot = slot._index()
        track._notify("fired_slot_index")
        track._song._start_for_launch()

    def stop(self):
        self._write("Clip.stop")
        slot = self._slot()
        if slot is not None and slot.is_playing:
            slot._track._song._stopping.add(slot._track)

    @property
    def is_playing(self) -> bool:
        slot = self._slot()
        return slot is not None and slot.is_playing

    @property
    def is_triggered(self) -> bool:
        slot = self._slot()
        return slot is not None and slot.is_triggered

    is_recording = property(lambda self: self._recording)
    is_overdubbing = property(lambda self: False)
    will_record_on_start = property(lambda self: False)
    has_groove = property(lambda self: False)

    @property
    def playing_status(self) -> int:
        return 1 if self.is_playing else 0

    @property
    def playing_position(self) -> float:
        return self._v_playing_position

    def _play(self, beats: float) -> None:
        """Transport moved ``beats`` while this clip plays: the position loops in the clip."""
        size = max(self.length, 1e-9)
        self._v_playing_position = (self._v_playing_position + beats) % size
        self._notify("playing_position")

    def _copy(self, parent: Any) -> Clip:
        copy = Clip(
            self._world,
            parent,
            self.length,
            is_midi=self._is_midi,
            looping=self._v_looping,
            audio=self._audio,
        )
        for name in (
            "name",
            "color_index",
            "loop_start",
            "loop_end",
            "start_marker",
            "end_marker",
            "warping",
            "warp_mode",
            "gain",
            "pitch_coarse",
            "pitch_fine",
        ):
            setattr(copy, "_v_" + name, getattr(self, "_v_" + name))
        copy._notes = self._snapshot_notes()
        copy._envelopes = {k: e._copy(copy) for k, e in self._envelopes.items()}
        return copy

    # clip envelopes ------------------------------------------------------------------------------
    def _track(self) -> Any:
        parent = self._parent
        return parent._track if isinstance(parent, ClipSlot) else parent

    def _check_parameter(self, parameter: Any, what: str) -> None:
        if not isinstance(parameter, DeviceParameter):
            raise boost_mismatch(f"Clip.{what}(Clip, DeviceParameter)", [self, parameter])
        parameter._check_alive()
        owner = parameter._parent
        track = self._track()
        if not (owner is track.mixer_device or getattr(owner, "_track", None) is track):
            raise RuntimeError("The parameter does not belong to this clip's track")

    def automation_envelope(self, parameter):
        """LOM: the clip's envelope for ``parameter``; None when it has none and always on an
        Arrangement clip."""
        self._check_parameter(parameter, "automation_envelope")
        if self._arrangement:
            return None
        return self._envelopes.get(id(parameter))

    def create_automation_envelope(self, parameter):
        """LOM: a new envelope for ``parameter``; an error on an Arrangement clip or when the
        clip already has one."""
        self._check_parameter(parameter, "create_automation_envelope")
        self._write("Clip.create_automation_envelope")
        if self._arrangement:
            raise RuntimeError("Cannot create an automation envelope on an arrangement clip")
        if id(parameter) in self._envelopes:
            raise RuntimeError("Envelope already exists")
        kind = Envelope if self._world.version >= (12, 2, 0) else AutomationEnvelope
        envelope = kind(self._world, self, parameter)
        self._envelopes[id(parameter)] = envelope
        self._world.undo.record(
            "create_automation_envelope", lambda: self._envelopes.pop(id(parameter), None)
        )
        return envelope

    def clear_envelope(self, parameter):
        self._check_parameter(parameter, "clear_envelope")
        self._write("Clip.clear_envelope")
        self._envelopes.pop(id(parameter), None)

    def clear_all_envelopes(self):
        self._write("Clip.clear_all_envelopes")
        self._envelopes.clear()

    def _envelope_of(self, parameter: Any) -> AutomationEnvelope | None:  # test helper
        return self._envelopes.get(id(parameter))

    # audio -------------------------------------------------------------------------------------
    def _audio_prop(name, low, high, kind):
        def get(self):
            self._require_audio(name)
            return getattr(self, "_v_" + name)

        def set_(self, value):
            if not (_is_int(value) if kind is int else _is_number(value)):
                raise boost_mismatch(f"Clip.{name}(Clip, {kind.__name__})", [self, value])
            self._require_audio(name)
            if not low <= value <= high:
                raise RuntimeError(f"{name} out of range")
            self._set_prop(name, kind(value))

        return property(get, set_)

    gain = _audio_prop("gain", 0.0, 1.0, float)
    pitch_coarse = _audio_prop("pitch_coarse", -48, 48, int)
    pitch_fine = _audio_prop("pitch_fine", -50.0, 49.0, float)
    del _audio_prop

    @property
    def gain_display_string(self) -> str:
        self._require_audio("gain_display_string")
        return "0.0 dB" if self._v_gain == 0.4 else f"{self._v_gain:.2f}"

    @property
    def sample_length(self) -> int:
        self._require_audio("sample_length")
        return int(self._audio.seconds * 44100)

    def _require_audio(self, what: str) -> None:
        if self._is_midi:
            raise RuntimeError(f"{what} is only available for audio clips")

    @property
    def file_path(self) -> str:
        self._require_audio("file_path")
        return self._audio.path

    @property
    def available_warp_modes(self) -> tuple[int, ...]:
        self._require_audio("available_warp_modes")
        return EDITION_WARP_MODES.get(self._world.edition, (0, 1, 2, 3, 4, 6))

    @property
    def warping(self) -> bool:
        self._require_audio("warping")
        return self._v_warping

    @warping.setter
    def warping(self, value: bool) -> None:
        if not isinstance(value, (bool, int)):
            raise boost_mismatch("Clip.warping(Clip, bool)", [self, value])
        self._require_audio("warping")
        self._set_prop("warping", bool(value))

    @property
    def warp_mode(self) -> int:
        self._require_audio("warp_mode")
        return self._v_warp_mode

    @warp_mode.setter
    def warp_mode(self, value: int) -> None:
        if not _is_int(value):
            raise boost_mismatch("Clip.warp_mode(Clip, int)", [self, value])
        self._require_audio("warp_mode")
        if value not in self.available_warp_modes:
            raise RuntimeError(f"Warp mode {value} is not available for this clip")
        self._set_prop("warp_mode", value)

    # loop and markers ----------------------------------------------------------------------------
    def _check_position(self, name: str, value: Any) -> float:
        if not _is_number(value):
            raise boost_mismatch(f"Clip.{name}(Clip, double)", [self, value])
        self._check_alive()
        if not self._is_midi and not self._v_warping:
            raise NotImplementedError(
                "simulator: an unwarped audio clip's positions are seconds; warp it first"
            )
        return float(value)

    def _set_region(self, start: float, end: float) -> None:
        """An unlooped clip's start and end (loop pair and markers together)."""
        if self._arrangement:
            self._check_room(end - start)
        for name, value in (
            ("loop_end", end),
            ("end_marker", end),
            ("loop_start", start),
            ("start_marker", start),
        ):
            self._set_prop(name, value, also=("end_time",) if name == "loop_end" else ())

    def _check_room(self, extent: float) -> None:
        end = self._start_time + extent
        for other in self._parent._arrangement:
            if other is not self and self._start_time < other.start_time < end:
                raise NotImplementedError("simulator: growing a clip over the next one")

    @property
    def looping(self) -> bool:
        return self._v_looping

    @looping.setter
    def looping(self, value: bool) -> None:
        if not isinstance(value, (bool, int)):
            raise boost_mismatch("Clip.looping(Clip, bool)", [self, value])
        self._write("Clip.looping")
        value = bool(value)
        if value == self._v_looping:
            return
        if value:  # the brace keeps the clip's region; an arrangement clip keeps its size
            old_extent = self._fixed_extent
            self._fixed_extent = self._extent
            self._world.undo.record(
                "fix extent", lambda: setattr(self, "_fixed_extent", old_extent)
            )
            self._set_prop("looping", True)
            return
        # loop off: the clip plays from the start to the end marker again
        self._set_prop("looping", False)
        self._set_region(self._v_start_marker, self._v_end_marker)

    @property
    def loop_start(self) -> float:
        return self._v_loop_start

    @loop_start.setter
    def loop_start(self, value: float) -> None:
        value = self._check_position("loop_start", value)
        if value >= self._v_loop_end:
            raise RuntimeError("LoopStart behind LoopEnd")
        if self._v_looping:
            self._set_prop("loop_start", value)
        else:
            self._set_region(value, self._v_loop_end)

    @property
    def loop_end(self) -> float:
        return self._v_loop_end

    @loop_end.setter
    def loop_end(self, value: float) -> None:
        value = self._check_position("loop_end", value)
        if value <= self._v_loop_start:
            raise RuntimeError("LoopEnd before LoopStart")
        if self._v_looping:
            self._set_prop("loop_end", value, also=() if self._arrangement else ("end_time",))
        else:
            self._set_region(self._v_loop_start, value)

    @property
    def start_marker(self) -> float:
        return self._v_start_marker

    @start_marker.setter
    def start_marker(self, value: float) -> None:
        value = self._check_position("start_marker", value)
        if value >= self._v_end_marker:
            raise RuntimeError("StartMarker behind EndMarker")
        if self._v_looping:
            self._set_prop("start_marker", value)
        else:
            self._set_region(value, self._v_end_marker)

    @property
    def end_marker(self) -> float:
        return self._v_end_marker

    @end_marker.setter
    def end_marker(self, value: float) -> None:
        value = self._check_position("end_marker", value)
        if value <= self._v_start_marker:
            raise RuntimeError("EndMarker before StartMarker")
        if self._v_looping:
            self._set_prop("end_marker", value)
        else:
            self._set_region(self._v_start_marker, value)

    # notes -----------------------------------------------------------------------------------
    def _require_midi(self) -> None:
        if not self._is_midi:
            raise RuntimeError("This is not a MIDI clip")

    @property
    def _notes(self) -> list[MidiNote]:
        return [n for notes in self._by_pitch.values() for n in notes]

    @_notes.setter
    def _notes(self, notes: list[MidiNote]) -> None:
        self._by_pitch = {}
        for note in sorted(notes, key=lambda n: n.start_time):
            self._by_pitch.setdefault(note.pitch, []).append(note)

    def _snapshot_notes(self) -> list[MidiNote]:
        return [n.copy() for n in self._notes]

    def _restore_notes(self, notes: list[MidiNote]) -> None:
        self._notes = notes
        self._notify("notes")

    def _insert(self, new: MidiNote) -> None:
        """Live's same-pitch overlap rule: a later note cuts an earlier one; a note starting
        where another starts replaces it; a new note ends where a later one begins."""
        # Same-pitch notes never overlap (this rule keeps it so), so only the neighbours of the
        # new note's position in start order can be affected.
        same_pitch = self._by_pitch.setdefault(new.pitch, [])
        index = bisect.bisect_left(same_pitch, new.start_time, key=lambda n: n.start_time)
        if index < len(same_pitch) and same_pitch[index].start_time == new.start_time:
            del same_pitch[index]
        if index > 0 and same_pitch[index - 1].end > new.start_time:
            before = same_pitch[index - 1]
            before.duration = new.start_time - before.start_time
        if index < len(same_pitch) and same_pitch[index].start_time < new.end:
            new.duration = same_pitch[index].start_time - new.start_time
        same_pitch.insert(index, new)

    def _validate_note(self, pitch: int, duration: float) -> None:
        if not 0 <= pitch <= 127:
            raise RuntimeError(f"Invalid pitch {pitch}: must be 0-127")
        if not duration > 0:
            raise RuntimeError(f"Invalid note duration {duration}: must be positive")

    def _add(self, notes: list[MidiNote], what: str) -> list[int]:
        self._require_midi()
        self._write(what)
        before = self._snapshot_notes()
        for note in notes:
            self._insert(note)
        self._world.undo.record(what, lambda: self._restore_notes(before))
        self._notify("notes")
        return [n.note_id for n in notes]

    @requires("add_new_notes")
    def add_new_notes(self, specifications):
        specs = tuple(specifications)
        for spec in specs:
            if not isinstance(spec, MidiNoteSpecification):
                raise boost_mismatch(
                    "Clip.add_new_notes(Clip, MidiNoteSpecificationVector)", [self, spec]
                )
            self._validate_note(spec.pitch, spec.duration)
        notes = [
            MidiNote(
                next(self._note_ids),
                s.pitch,
                s.start_time,
                s.duration,
                max(0.0, min(127.0, s.velocity)),
                s.mute,
                s.probability,
                s.velocity_deviation,
                s.release_velocity,
            )
            for s in specs
        ]
        return tuple(self._add(notes, "Clip.add_new_notes"))

    @requires("set_notes")
    def set_notes(self, notes):
        if not isinstance(notes, tuple):
            raise boost_mismatch("Clip.set_notes(Clip, tuple)", [self, notes])
        parsed = []
        for note in notes:
            if not isinstance(note, tuple) or len(note) != 5:
                raise boost_mismatch("Clip.set_notes(Clip, tuple)", [self, note])
            pitch, start, duration, velocity, mute = note
            if not _is_int(pitch) or not _is_number(start) or not _is_number(duration):
                raise boost_mismatch("Clip.set_notes(Clip, tuple)", [self, note])
            self._validate_note(pitch, duration)
            parsed.append(
                MidiNote(
                    next(self._note_ids),
                    pitch,
                    float(start),
                    float(duration),
                    float(max(0, min(127, velocity))),
                    bool(mute),
                )
            )
        self._add(parsed, "Clip.set_notes")

    def _range(self, from_pitch, pitch_span, from_time, time_span) -> list[MidiNote]:
        found = [
            n
            for n in self._notes
            if from_pitch <= n.pitch < from_pitch + pitch_span
            and from_time <= n.start_time < from_time + time_span
        ]
        found.sort(key=lambda n: (n.pitch, n.start_time))
        return found

    def _spend_notes(self, count: int) -> None:
        """What returning ``count`` notes costs in this Live (a busy wait, like Live's own
        work building the note vector)."""
        world = self._world
        world.notes_read += count
        if world.note_read_seconds and count:
            until = time.perf_counter() + world.note_read_seconds * count
            while time.perf_counter() < until:
                pass

    @requires("get_notes_extended")
    def get_notes_extended(self, from_pitch, pitch_span, from_time, time_span):
        args = [from_pitch, pitch_span, from_time, time_span]
        if not (
            _is_int(from_pitch)
            and _is_int(pitch_span)
            and _is_float(from_time)
            and _is_float(time_span)
        ):
            raise boost_mismatch(
                "Clip.get_notes_extended(Clip, int from_pitch, int pitch_span, "
                "double from_time, double time_span)",
                args,
            )
        self._require_midi()
        found = tuple(n.copy() for n in self._range(*args))
        self._spend_notes(len(found))
        return found

    @requires("get_all_notes_extended")
    def get_all_notes_extended(self):
        self._require_midi()
        found = tuple(n.copy() for n in self._range(0, 128, -1e9, 2e9))
        self._spend_notes(len(found))
        return found

    def get_notes(self, from_time, from_pitch, time_span, pitch_span):
        if not (
            _is_number(from_time)
            and _is_int(from_pitch)
            and _is_number(time_span)
            and _is_int(pitch_span)
        ):
            raise boost_mismatch(
                "Clip.get_notes(Clip, double, int, double, int)",
                [from_time, from_pitch, time_span, pitch_span],
            )
        self._require_midi()
        found = tuple(
            n.as_tuple() for n in self._range(from_pitch, pitch_span, from_time, time_span)
        )
        self._spend_notes(len(found))
        return found

    @requires("remove_notes_extended")
    def remove_notes_extended(self, from_pitch, pitch_span, from_time, time_span):
        if not (
            _is_int(from_pitch)
            and _is_int(pitch_span)
            and _is_float(from_time)
            and _is_float(time_span)
        ):
            raise boost_mismatch(
                "Clip.remove_notes_extended(Clip, int, int, double, double)",
                [from_pitch, pitch_span, from_time, time_span],
            )
        self._require_midi()
        self._write("Clip.remove_notes_extended")
        before = self._snapshot_notes()
        doomed = set(map(id, self._range(from_pitch, pitch_span, from_time, time_span)))
        self._notes = [n for n in self._notes if id(n) not in doomed]
        self._world.undo.record("Clip.remove_notes_extended", lambda: self._restore_notes(before))
        self._notify("notes")

    # test helpers (not Live API)
    def _note_tuples(self) -> list[tuple]:
        return sorted(n.as_tuple() for n in self._notes)


class AutomationEnvelope(LomObject):
    """Clip.AutomationEnvelope (Live 11.0–12.1): a clip's envelope of one parameter, drawn in
    steps (``insert_step``); ``value_at_time`` reads it back."""

    def __init__(self, world: World, clip: Clip, parameter: DeviceParameter) -> None:
        super().__init__(world)
        self._clip = clip
        self._parameter = parameter
        self._steps: list[tuple[float, float, float]] = []  # (time, length, value), sorted

    def _copy(self, clip: Clip) -> AutomationEnvelope:
        copy = type(self)(self._world, clip, self._parameter)
        copy._steps = list(self._steps)
        return copy

    def insert_step(self, time, length, value):
        if not (_is_number(time) and _is_number(length) and _is_number(value)):
            raise boost_mismatch(
                "AutomationEnvelope.insert_step(AutomationEnvelope, double, double, double)",
                [time, length, value],
            )
        self._clip._write("AutomationEnvelope.insert_step")
        parameter = self._parameter
        if not parameter.min - 1e-9 <= value <= parameter.max + 1e-9:
            raise RuntimeError("Value out of range")
        if time < 0 or length < 0:
            raise RuntimeError("Invalid step")
        before = list(self._steps)
        end = time + length
        kept = [s for s in self._steps if s[0] + s[1] <= time + 1e-9 or s[0] >= end - 1e-9]
        kept.append((float(time), float(length), float(value)))
        kept.sort()
        self._steps = kept
        self._world.undo.record("insert_step", lambda: setattr(self, "_steps", before))

    def value_at_time(self, time):
        found = self._parameter.value
        for start, length, value in self._steps:
            if start <= time + 1e-9:
                found = value
            if start <= time < start + max(length, 1e-9):
                return value
        return found


class Envelope(AutomationEnvelope):
    """Envelope.Envelope: the same envelope, as Live 12.2+ calls it."""


def _audio_clip(
    world: World, parent: Any, audio: AudioFile, tempo: float, start_time: float | None = None
) -> Clip:
    """A clip of ``audio`` as Live makes it: warped at the tempo auto-warp guesses, looping
    when the file is short ("Loop/Warp Short Samples"), the clip as long as the file."""
    length = audio.natural_beats(tempo)
    clip = Clip(
        world,
        parent,
        length,
        is_midi=False,
        start_time=start_time or 0.0,
        arrangement=start_time is not None,
        looping=audio.seconds <= SHORT_SAMPLE_SECONDS,
        audio=audio,
    )
    clip._v_name = os.path.splitext(os.path.basename(audio.path))[0]
    return clip


@observable("has_clip", "is_triggered", "playing_status")
class ClipSlot(LomObject):
    def __init__(self, world: World, track: Track) -> None:
        super().__init__(world)
        self._track = track
        self._clip: Clip | None = None

    canonical_parent = property(lambda self: self._track)

    def _track_color_index(self) -> int:
        return self._track._v_color_index or 0

    @property
    def has_clip(self) -> bool:
        return self._clip is not None

    @property
    def clip(self) -> Clip | None:
        return self._clip

    @property
    def has_stop_button(self) -> bool:
        return True

    def create_clip(self, length):
        if not _is_number(length):
            raise boost_mismatch("ClipSlot.create_clip(ClipSlot, double length)", [length])
        self._write("ClipSlot.create_clip")
        if self._clip is not None:
            raise RuntimeError("Clip slot already has a clip")
        if not self._track.has_midi_input:
            raise RuntimeError("MIDI clips can only be created on MIDI tracks")
        if length <= 0:
            raise RuntimeError("Invalid clip length")
        clip = Clip(self._world, self, float(length))
        self._set_clip(clip)
        self._world.undo.record("ClipSlot.create_clip", lambda: self._remove_clip(clip))
        return clip

    @requires("slot_create_audio_clip")
    def create_audio_clip(self, path):
        """LOM (12.0.5+): an audio clip referencing the file at ``path`` (absolute) in this
        slot; errors on MIDI tracks (and frozen ones — not modelled) and for bad files."""
        if not isinstance(path, str):
            raise boost_mismatch("ClipSlot.create_audio_clip(ClipSlot, str)", [path])
        self._write("ClipSlot.create_audio_clip")
        if self._track.has_midi_input:
            raise RuntimeError("Audio clips can only be created on audio tracks")
        if self._clip is not None:
            raise RuntimeError("Clip slot already has a clip")
        audio = read_audio_file(path)
        clip = _audio_clip(self._world, self, audio, self._track._song._v_tempo)
        self._set_clip(clip)
        self._world.undo.record("ClipSlot.create_audio_clip", lambda: self._remove_clip(clip))
        return clip

    def delete_clip(self):
        self._write("ClipSlot.delete_clip")
        clip = self._clip
        if clip is None:
            return
        self._remove_clip(clip)
        self._world.undo.record("ClipSlot.delete_clip", lambda: self._revive_clip(clip))

    def _index(self) -> int:
        return self._track._slots.index(self)

    def fire(self, record_length=None, launch_quantization=None):
        """Launch the clip; an empty slot records on an armed track, else stops the track."""
        self._write("ClipSlot.fire")
        song = self._track._song
        if self._clip is not None:
            self._clip._launch()
        elif self._track._v_arm:
            song._recording[self] = song._v_current_song_time
            song._start_for_launch()
        else:
            song._stopping.add(self._track)

    def stop(self):
        self._write("ClipSlot.stop")
        self._track._song._stopping.add(self._track)

    @property
    def is_playing(self) -> bool:
        return self._track._playing_slot == self._index()

    @property
    def is_triggered(self) -> bool:
        return self._track._fired_slot == self._index()

    @property
    def is_recording(self) -> bool:
        return self in self._track._song._recording

    @property
    def playing_status(self) -> int:
        return 1 if self.is_playing else 0

    will_record_on_start = property(lambda self: bool(self._track._v_arm and self._clip is None))
    controls_other_clips = property(lambda self: False)
    is_group_slot = property(lambda self: False)

    def duplicate_clip_to(self, target_clip_slot):
        if not isinstance(target_clip_slot, ClipSlot):
            raise boost_mismatch(
                "ClipSlot.duplicate_clip_to(ClipSlot, ClipSlot)", [target_clip_slot]
            )
        self._write("ClipSlot.duplicate_clip_to")
        if self._clip is None:
            raise RuntimeError("No clip in the source slot")
        if target_clip_slot._track._midi != self._track._midi:
            raise RuntimeError("Clip type does not match the target track")
        before = target_clip_slot._clip
        copy = self._clip._copy(target_clip_slot)
        if before is not None:
            before._invalidate()
        target_clip_slot._set_clip(copy)

        def undo():
            copy._invalidate()
            target_clip_slot._clip = None
            if before is not None:
                before._revive()
                target_clip_slot._clip = before
            target_clip_slot._notify("has_clip")

        self._world.undo.record("ClipSlot.duplicate_clip_to", undo)

    def _set_clip(self, clip: Clip) -> None:
        self._clip = clip
        self._notify("has_clip")

    def _remove_clip(self, clip: Clip) -> None:
        self._clip = None
        clip._invalidate()
        self._notify("has_clip")

    def _revive_clip(self, clip: Clip) -> None:
        clip._revive()
        self._set_clip(clip)

    def _invalidate(self) -> None:
        if self._clip is not None:
            self._clip._invalidate()
        super()._invalidate()


@_named
@observable("name", "color", "color_index", "is_triggered")
class Scene(LomObject):
    def __init__(self, world: World, song: Song, name: str = "") -> None:
        super().__init__(world)
        self._song = song
        self._v_name = name
        self._v_color_index = None

    canonical_parent = property(lambda self: self._song)

    @property
    def clip_slots(self) -> tuple[ClipSlot, ...]:
        index = self._song._scenes.index(self)
        return tuple(t._slots[index] for t in self._song._tracks)

    @property
    def is_empty(self) -> bool:
        return not any(slot.has_clip for slot in self.clip_slots)

    def fire(self):
        self._write("Scene.fire")


Scene = _coloured(Scene)


@observable("value", "name", "automation_state")
class DeviceParameter(LomObject):
    """A device's parameter: ``value`` within [min, max] (Live refuses values outside);
    ``str_for_value`` is what Live displays for a raw value; a menu or switch lists its
    ``value_items`` (its value is the item's index)."""

    def __init__(
        self,
        world: World,
        parent: Any,
        name: str,
        low: float,
        high: float,
        default: float,
        quantized: bool = False,
        display: Callable[[float], str] | None = None,
        items: tuple[str, ...] = (),
    ) -> None:
        super().__init__(world)
        self._parent = parent
        self._v_name = name
        self.min = float(low)
        self.max = float(high)
        self.default_value = float(default)
        self.is_quantized = quantized or bool(items)
        self.is_enabled = True
        self._v_value = float(default)
        self._display = display
        self._items = tuple(items)

    canonical_parent = property(lambda self: self._parent)
    name = property(lambda self: self._v_name)
    original_name = property(lambda self: self._v_name)
    value_items = property(lambda self: self._items)
    automation_state = property(lambda self: 0)
    state = property(lambda self: 0)

    @property
    def value(self) -> float:
        return self._v_value

    @value.setter
    def value(self, value: float) -> None:
        if not _is_number(value):
            raise boost_mismatch("DeviceParameter.value(DeviceParameter, float)", [self, value])
        if not self.min <= value <= self.max:
            raise RuntimeError("Invalid value")
        self._set_prop("value", float(value))

    def str_for_value(self, value):
        if not _is_number(value):
            raise boost_mismatch(
                "DeviceParameter.str_for_value(DeviceParameter, float)", [self, value]
            )
        if self._items:
            index = round(value - self.min)
            return self._items[max(0, min(len(self._items) - 1, index))]
        if self._display is not None:
            return self._display(float(value))
        return f"{value:.2f}"

    def __str__(self) -> str:
        return self.str_for_value(self._v_value)


@observable("sends")
class MixerDevice(LomObject):
    """A track's mixer: volume (0–1, 0.85 = 0 dB), panning (-1–1) and one send per return."""

    def __init__(self, world: World, track: Any, sends: int) -> None:
        super().__init__(world)
        self._track = track
        self.volume = DeviceParameter(
            world,
            self,
            "Track Volume",
            0.0,
            1.0,
            0.85,
            display=lambda raw: devices.fmt_db(devices.fader_db(raw)),
        )
        self.panning = DeviceParameter(
            world, self, "Track Panning", -1.0, 1.0, 0.0, display=devices.pan_display
        )
        self._sends = [self._send(i) for i in range(sends)]

    def _send(self, index: int) -> DeviceParameter:
        return DeviceParameter(
            self._world,
            self,
            f"{chr(65 + index)}-Send",
            0.0,
            1.0,
            0.0,
            display=lambda raw: devices.fmt_db(devices.send_db(raw)),
        )

    canonical_parent = property(lambda self: self._track)
    sends = property(lambda self: tuple(self._sends))


@_named
@observable("name", "parameters", "is_active")
class Device(LomObject):
    def __init__(self, world: World, track: Track, name: str, class_name: str, kind: int) -> None:
        super().__init__(world)
        self._track = track
        self._v_name = name
        self.class_name = class_name
        self.type = kind  # 1 instrument, 2 audio effect, 4 MIDI effect (Live.Device.DeviceType)
        known = devices.DEVICES.get(name)
        if known is not None:  # an audio effect as Live lists its parameters
            self._parameters = tuple(
                DeviceParameter(
                    world,
                    self,
                    spec.name,
                    spec.low,
                    spec.high,
                    spec.default,
                    display=spec.display,
                    items=spec.items,
                )
                for spec in known[1]
            )
        else:
            self._parameters = (
                DeviceParameter(world, self, "Device On", 0.0, 1.0, 1.0, items=("Off", "On")),
                DeviceParameter(world, self, "Volume", 0.0, 1.0, 0.5),
                DeviceParameter(world, self, "Tone", 0.0, 1.0, 0.5),
            )
        self.is_active = True
        self.can_have_chains = class_name.endswith("GroupDevice")
        self.can_have_drum_pads = class_name == "DrumGroupDevice"

    parameters = property(lambda self: self._parameters)
    class_display_name = property(lambda self: self._v_name)

    canonical_parent = property(lambda self: self._track)


class RoutingType(LomObject):
    """Track.RoutingType: one entry of a routing chooser ("No Input", a track's name…)."""

    def __init__(self, world: World, display_name: str, attached: Any = None) -> None:
        super().__init__(world)
        self.display_name = display_name
        self.attached_object = attached
        self.category = 0 if attached is None else 7  # none / track


@observable("input_routing_type", "available_input_routing_types")
class CompressorDevice(Device):
    """Compressor (class Compressor2): its sidechain source is ``input_routing_type``, one of
    ``available_input_routing_types`` (no input, then every other track that outputs audio)."""

    def __init__(self, world: World, track: Track, name: str) -> None:
        super().__init__(world, track, name, "Compressor2", 2)
        self._none = RoutingType(world, "No Input")
        self._routing = self._none

    @property
    def available_input_routing_types(self):
        song = self._track._song
        others = [t for t in song._tracks + song._return_tracks if t is not self._track]
        return (self._none, *(RoutingType(self._world, t.name, t) for t in others))

    @property
    def input_routing_type(self):
        return self._routing

    @input_routing_type.setter
    def input_routing_type(self, routing) -> None:
        if not isinstance(routing, RoutingType):
            raise boost_mismatch(
                "CompressorDevice.input_routing_type(T, RoutingType)", [self, routing]
            )
        self._write("CompressorDevice.input_routing_type")
        offered = self.available_input_routing_types
        match = next((r for r in offered if r.display_name == routing.display_name), None)
        if match is None:
            raise RuntimeError("Routing type not available")
        old = self._routing
        self._routing = match
        self._world.undo.record("sidechain", lambda: setattr(self, "_routing", old))
        self._notify("input_routing_type")

    @property
    def sidechain_source(self) -> Any:  # test helper (not Live API)
        return self._routing.attached_object


def make_device(world: World, track: Track, name: str, class_name: str, kind: int) -> Device:
    if name == "Compressor":
        return CompressorDevice(world, track, name)
    return Device(world, track, name, class_name, kind)


class Sample(LomObject):
    """SimplerDevice.sample: the file Simpler plays."""

    def __init__(self, world: World, device: Device, audio: AudioFile) -> None:
        super().__init__(world)
        self._device = device
        self._audio = audio

    canonical_parent = property(lambda self: self._device)
    file_path = property(lambda self: self._audio.path)
    length = property(lambda self: int(self._audio.seconds * 44100))


@observable("sample")
class SimplerDevice(Device):
    """Simpler (class ``OriginalSimpler``): empty when inserted by name, holding a sample when
    Live made it from a sample dropped on a MIDI track."""

    def __init__(self, world: World, track: Track, name: str, audio: AudioFile | None) -> None:
        super().__init__(world, track, name, "OriginalSimpler", 1)
        self._sample = Sample(world, self, audio) if audio is not None else None

    @property
    def sample(self) -> Sample | None:
        return self._sample


class TrackView(LomObject):
    def __init__(self, world: World, track: Track) -> None:
        super().__init__(world)
        self._track = track
        self.selected_device = None


@_named
@_coloured
@observable(
    "name",
    "color",
    "color_index",
    "mute",
    "solo",
    "arm",
    "devices",
    "clip_slots",
    "arrangement_clips",
    "playing_slot_index",
    "fired_slot_index",
)
class Track(LomObject):
    def __init__(
        self, world: World, song: Song, name: str, midi: bool, color_index: int, slots: int
    ) -> None:
        super().__init__(world)
        self._song = song
        self._v_name = name
        self._v_color_index = color_index
        self._v_mute = False
        self._v_solo = False
        self._v_arm = False
        self._midi = midi
        self._slots: list[ClipSlot] = [ClipSlot(world, self) for _ in range(slots)]
        self._arrangement: list[Clip] = []
        self._devices: list[Device] = []
        self._data: dict[str, Any] = {}
        self.view = TrackView(world, self)
        self.mixer_device = MixerDevice(world, self, len(getattr(song, "_return_tracks", ())))
        self._playing_slot = -1  # the session clip playing (-1: none)
        self._fired_slot = -1  # the slot launched, playing from the next tick

    canonical_parent = property(lambda self: self._song)
    has_midi_input = property(lambda self: self._midi)
    has_audio_input = property(lambda self: not self._midi)
    has_midi_output = property(lambda self: self._midi)
    has_audio_output = property(lambda self: True)
    is_foldable = property(lambda self: False)
    is_grouped = property(lambda self: False)
    can_be_armed = property(lambda self: True)
    clip_slots = property(lambda self: tuple(self._slots))
    devices = property(lambda self: tuple(self._devices))
    playing_slot_index = property(lambda self: self._playing_slot)
    fired_slot_index = property(lambda self: self._fired_slot)

    def stop_all_clips(self, quantized=True):
        self._write("Track.stop_all_clips")
        self._song._stopping.add(self)

    def _set_playing(self, index: int) -> None:
        """Playback (not an undoable change): the slot ``index`` plays from now (-1: none)."""
        old = self._playing_slot
        if old == index:
            return
        self._playing_slot = index
        for position in (old, index):
            if 0 <= position < len(self._slots) and self._slots[position]._clip is not None:
                clip = self._slots[position]._clip
                clip._v_playing_position = 0.0
                clip._notify("playing_status")
                self._slots[position]._notify("playing_status")
        self._notify("playing_slot_index")

    def _bool_prop(name):
        def get(self):
            return getattr(self, "_v_" + name)

        def set_(self, value):
            if not isinstance(value, (bool, int)):
                raise boost_mismatch(f"Track.{name}(Track, bool)", [self, value])
            self._set_prop(name, bool(value))

        return property(get, set_)

    mute = _bool_prop("mute")
    solo = _bool_prop("solo")
    arm = _bool_prop("arm")
    del _bool_prop

    @requires("arrangement_clips")
    @property
    def arrangement_clips(self):
        return tuple(sorted(self._arrangement, key=lambda c: c.start_time))

    def _add_arrangement_clip(self, clip: Clip, what: str) -> None:
        end = clip.start_time + clip._extent
        for other in list(self._arrangement):  # Live cuts what the new clip covers
            if other.start_time < end and clip.start_time < other.end_time:
                raise RuntimeError("Arrangement clips may not overlap in this simulator")
        self._arrangement.append(clip)
        self._world.undo.record(what, lambda: self._drop_arrangement_clip(clip))
        self._notify("arrangement_clips")

    def _drop_arrangement_clip(self, clip: Clip) -> None:
        if clip in self._arrangement:
            self._arrangement.remove(clip)
        clip._invalidate()
        self._notify("arrangement_clips")

    @requires("create_midi_clip")
    def create_midi_clip(self, start_time, length):
        if not (_is_float(start_time) and _is_float(length)):
            raise boost_mismatch(
                "Track.create_midi_clip(Track, double start_time, double length)",
                [start_time, length],
            )
        self._write("Track.create_midi_clip")
        if not self._midi:
            raise RuntimeError("MIDI clips can only be created on MIDI tracks")
        if start_time < 0 or length <= 0:
            raise RuntimeError("Invalid clip position or length")
        clip = Clip(self._world, self, length, start_time=start_time, arrangement=True)
        clip._v_color_index = self._v_color_index or 0
        self._add_arrangement_clip(clip, "Track.create_midi_clip")
        return clip

    @requires("create_audio_clip")
    def create_audio_clip(self, file_path, position):
        """LOM (12.2+): an arrangement clip referencing the file at ``position`` (beats); its
        length is the file's, as auto-warp sees it (there is no length argument)."""
        if not (isinstance(file_path, str) and _is_float(position)):
            raise boost_mismatch(
                "Track.create_audio_clip(Track, str, double)", [file_path, position]
            )
        self._write("Track.create_audio_clip")
        if self._midi:
            raise RuntimeError("Audio clips can only be created on audio tracks")
        if not 0.0 <= position <= MAX_ARRANGEMENT_BEATS:
            raise RuntimeError("start_time must be within [0, 1576800]")
        audio = read_audio_file(file_path)
        clip = _audio_clip(self._world, self, audio, self._song._v_tempo, start_time=position)
        clip._v_color_index = self._v_color_index or 0
        self._add_arrangement_clip(clip, "Track.create_audio_clip")
        return clip

    @requires("duplicate_clip_to_arrangement")
    def duplicate_clip_to_arrangement(self, clip, destination_time):
        """A copy of a session clip at ``destination_time``; it is as long as the clip's
        ``length`` (the loop, for a looping clip) and keeps its loop, markers and warping."""
        if not isinstance(clip, Clip) or not _is_float(destination_time):
            raise boost_mismatch(
                "Track.duplicate_clip_to_arrangement(Track, Clip, double)", [clip, destination_time]
            )
        clip._check_alive()
        self._write("Track.duplicate_clip_to_arrangement")
        if clip._is_midi != self._midi:
            raise RuntimeError("Clip type does not match the track")
        if clip._arrangement:
            raise NotImplementedError("simulator: duplicating arrangement clips (crashes Live)")
        copy = Clip(
            self._world,
            self,
            clip.length,
            is_midi=clip._is_midi,
            start_time=destination_time,
            arrangement=True,
            looping=clip._v_looping,
            audio=clip._audio,
        )
        for name in (
            "name",
            "color_index",
            "loop_start",
            "loop_end",
            "start_marker",
            "end_marker",
            "warping",
            "warp_mode",
        ):
            setattr(copy, "_v_" + name, getattr(clip, "_v_" + name))
        copy._fixed_extent = clip.length
        copy._notes = clip._snapshot_notes()
        copy._envelopes = {k: e._copy(copy) for k, e in clip._envelopes.items()}
        self._add_arrangement_clip(copy, "Track.duplicate_clip_to_arrangement")

    @requires("insert_device")
    def insert_device(self, device_name, target_index=-1):
        if not isinstance(device_name, str) or not _is_int(target_index):
            raise boost_mismatch(
                "Track.insert_device(Track, str, int)", [device_name, target_index]
            )
        self._write("Track.insert_device")
        available = self._song._app._available_devices()
        if device_name not in available:
            raise RuntimeError(f"Unknown or unavailable device: {device_name}")
        kind = available[device_name]
        if kind == 1 and not self._midi:
            raise RuntimeError("Instruments can only be inserted on MIDI tracks")
        if device_name == "Simpler":
            device: Device = SimplerDevice(self._world, self, device_name, None)
        else:
            device = make_device(
                self._world,
                self,
                device_name,
                DEVICE_CLASS.get(device_name, device_name.replace(" ", "")),
                kind,
            )
        self._put_device(device, target_index)
        return device

    def _put_device(self, device: Device, index: int = -1) -> None:
        before = list(self._devices)
        if device.type == 1 and not self._midi:
            raise RuntimeError("Instruments can only be inserted on MIDI tracks")
        if device.type == 1:  # one instrument per track: a new one replaces the old
            self._devices = [d for d in self._devices if d.type != 1]
            index = 0 if index == -1 else index
        if index < 0 or index > len(self._devices):
            index = len(self._devices)
        self._devices.insert(index, device)
        self._world.undo.record("load device", lambda: self._restore_devices(before))
        self._notify("devices")

    def _restore_devices(self, devices: list[Device]) -> None:
        self._devices = devices
        self._notify("devices")

    def delete_device(self, index):
        self._write("Track.delete_device")
        if not 0 <= index < len(self._devices):
            raise RuntimeError("Index out of range")
        before = list(self._devices)
        del self._devices[index]
        self._world.undo.record("Track.delete_device", lambda: self._restore_devices(before))
        self._notify("devices")

    def get_data(self, key, default):
        return self._data.get(key, default)

    def set_data(self, key, value):
        self._write("Track.set_data")
        self._data[key] = value

    def _invalidate(self) -> None:
        for slot in self._slots:
            slot._invalidate()
        for clip in self._arrangement:
            clip._invalidate()
        for device in self._devices:
            device._invalidate()
        self.view._invalidate()
        super()._invalidate()

    def _revive(self) -> None:
        super()._revive()
        self._listeners = {}
        for slot in self._slots:
            slot._revive()
            if slot._clip is not None:
                slot._clip._revive()
        for clip in self._arrangement:
            clip._revive()
        for device in self._devices:
            device._revive()
        self.view._revive()


# -- song and its view --------------------------------------------------------------------------


@observable("selected_track", "selected_scene", "detail_clip", "highlighted_clip_slot")
class SongView(LomObject):
    def __init__(self, world: World, song: Song) -> None:
        super().__init__(world)
        self._song = song
        self._selected_track: Track | None = None
        self._selected_scene: Scene | None = None
        self.highlighted_clip_slot = None
        self.detail_clip = None

    canonical_parent = property(lambda self: self._song)

    @property
    def selected_track(self) -> Track | None:
        return self._selected_track

    @selected_track.setter
    def selected_track(self, track: Track) -> None:
        if not isinstance(track, Track):
            raise boost_mismatch("Song.View.selected_track(View, Track)", [self, track])
        track._check_alive()
        self._write("Song.View.selected_track")
        if track is not self._selected_track:
            self._selected_track = track  # selection is not an undoable change in Live
            self._notify("selected_track")

    def select_device(self, device, should_appoint_device=True):
        if not isinstance(device, Device):
            raise boost_mismatch("Song.View.select_device(View, Device)", [self, device])
        device._track.view.selected_device = device
        self.selected_track = device._track

    @property
    def selected_scene(self) -> Scene | None:
        return self._selected_scene

    @selected_scene.setter
    def selected_scene(self, scene: Scene) -> None:
        if not isinstance(scene, Scene):
            raise boost_mismatch("Song.View.selected_scene(View, Scene)", [self, scene])
        self._write("Song.View.selected_scene")
        if scene is not self._selected_scene:
            self._selected_scene = scene
            self._notify("selected_scene")


@observable(
    "tempo",
    "is_playing",
    "signature_numerator",
    "signature_denominator",
    "root_note",
    "scale_name",
    "scale_mode",
    "current_song_time",
    "tracks",
    "scenes",
    "return_tracks",
    "record_mode",
    "metronome",
    "arrangement_overdub",
    "back_to_arranger",
    "clip_trigger_quantization",
    "groove_amount",
    "loop",
    "loop_length",
    "loop_start",
    "midi_recording_quantization",
    "nudge_down",
    "nudge_up",
    "punch_in",
    "punch_out",
    "session_record",
    "is_ableton_link_enabled",
    "can_undo",
    "can_redo",
    "song_length",
    "session_record_status",
)
class Song(LomObject):
    TICK_SECONDS = 0.1

    def __init__(
        self, world: World, app: Application, tempo: float = 120.0, scenes: int = 8
    ) -> None:
        super().__init__(world)
        self._app = app
        self._v_tempo = float(tempo)
        self._v_signature_numerator = 4
        self._v_signature_denominator = 4
        self._v_root_note = 0
        self._v_scale_name = "Major"
        self._v_scale_mode = False
        self._v_current_song_time = 0.0
        self._is_playing = False
        self._pending_transport: bool | None = None
        self._tracks: list[Track] = []
        self._scenes: list[Scene] = [Scene(world, self) for _ in range(scenes)]
        self._data: dict[str, Any] = {}
        self._color_cycle = itertools.cycle(range(0, 70, 5))
        self.view = SongView(world, self)
        self._return_tracks: list[Track] = []
        self._stopping: set[Any] = set()  # tracks (or everyone: self) to stop on the next tick
        self._recording: dict[ClipSlot, float] = {}  # slots recording → song time they began
        for name, (_kind, _low, _high, default) in SONG_SETTINGS.items():
            setattr(self, "_v_" + name, default)
        self.master_track = Track(world, self, "Main", False, 0, 0)
        self._max_tracks: int | None = None  # an edition's track limit (tests set it)

    canonical_parent = property(lambda self: None)
    tracks = property(lambda self: tuple(self._tracks))
    visible_tracks = property(lambda self: tuple(self._tracks))
    scenes = property(lambda self: tuple(self._scenes))
    can_undo = property(lambda self: bool(self._world.undo.entries))
    scale_intervals = property(lambda self: SCALE_INTERVALS.get(self._v_scale_name, ()))
    return_tracks = property(lambda self: tuple(self._return_tracks))
    session_record_status = property(lambda self: 0)

    @property
    def song_length(self) -> float:
        ends = [c.end_time for t in self._tracks for c in t._arrangement]
        return max([*ends, self._v_loop_start + self._v_loop_length])

    def _channels(self) -> list[Track]:
        return [*self._tracks, *self._return_tracks]

    def create_return_track(self):
        self._write("Song.create_return_track")
        track = Track(
            self._world, self, f"{chr(65 + len(self._return_tracks))}-Return", False, 0, 0
        )
        self._return_tracks.append(track)
        index = len(self._return_tracks) - 1
        for each in self._channels():  # every channel gets a send to it (returns too)
            while len(each.mixer_device._sends) < len(self._return_tracks):
                each.mixer_device._sends.append(
                    each.mixer_device._send(len(each.mixer_device._sends))
                )
        self._world.undo.record(
            "create_return_track", lambda: self._drop_return(track, index, record=False)
        )
        self._notify("return_tracks")
        return track

    def _drop_return(self, track: Track, index: int, record: bool = True) -> None:
        self._return_tracks.remove(track)
        sends = {}
        for each in self._channels():
            if index < len(each.mixer_device._sends):
                sends[each] = each.mixer_device._sends.pop(index)
        track._invalidate()
        if record:

            def back() -> None:
                track._revive()
                self._return_tracks.insert(index, track)
                for each, send in sends.items():
                    each.mixer_device._sends.insert(index, send)
                self._notify("return_tracks")

            self._world.undo.record("delete_return_track", back)
        self._notify("return_tracks")

    def delete_return_track(self, index):
        if not _is_int(index):
            raise boost_mismatch("Song.delete_return_track(Song, int)", [self, index])
        self._write("Song.delete_return_track")
        if not 0 <= index < len(self._return_tracks):
            raise RuntimeError("Index out of range")
        self._drop_return(self._return_tracks[index], index)

    # properties --------------------------------------------------------------------------------
    @property
    def tempo(self) -> float:
        return self._v_tempo

    @tempo.setter
    def tempo(self, value: float) -> None:
        if not _is_number(value):
            raise boost_mismatch("Song.tempo(Song, double)", [self, value])
        if not 20.0 <= value <= 999.0:
            raise RuntimeError(f"Tempo {value} out of range (20-999)")
        self._set_prop("tempo", float(value))

    @property
    def signature_numerator(self) -> int:
        return self._v_signature_numerator

    @signature_numerator.setter
    def signature_numerator(self, value: int) -> None:
        if not _is_int(value):
            raise boost_mismatch("Song.signature_numerator(Song, int)", [self, value])
        if not 1 <= value <= 99:
            raise RuntimeError("Invalid signature numerator")
        self._set_prop("signature_numerator", value)

    @property
    def signature_denominator(self) -> int:
        return self._v_signature_denominator

    @signature_denominator.setter
    def signature_denominator(self, value: int) -> None:
        if not _is_int(value):
            raise boost_mismatch("Song.signature_denominator(Song, int)", [self, value])
        if value not in (1, 2, 4, 8, 16):
            raise RuntimeError("Invalid signature denominator")
        self._set_prop("signature_denominator", value)

    @property
    def root_note(self) -> int:
        return self._v_root_note

    @root_note.setter
    def root_note(self, value: int) -> None:
        if not _is_int(value):
            raise boost_mismatch("Song.root_note(Song, int)", [self, value])
        if not 0 <= value <= 11:
            raise RuntimeError("Root note must be 0-11")
        self._set_prop("root_note", value)

    @requires("scale_name")
    @property
    def scale_name(self) -> str:
        return self._v_scale_name

    def _set_scale_name(self, value: str) -> None:
        if not isinstance(value, str):
            raise boost_mismatch("Song.scale_name(Song, str)", [self, value])
        if value not in SCALE_NAMES:
            raise RuntimeError(f"Unknown scale name {value!r}")
        self._set_prop("scale_name", value)

    @requires("scale_mode")
    @property
    def scale_mode(self) -> bool:
        return self._v_scale_mode

    @property
    def current_song_time(self) -> float:
        return self._v_current_song_time

    @current_song_time.setter
    def current_song_time(self, value: float) -> None:
        if not _is_number(value):
            raise boost_mismatch("Song.current_song_time(Song, double)", [self, value])
        if value < 0:
            raise RuntimeError("Song time cannot be negative")
        self._set_prop("current_song_time", float(value), undoable=False)

    @property
    def is_playing(self) -> bool:
        return self._is_playing

    @is_playing.setter
    def is_playing(self, value: bool) -> None:
        if not isinstance(value, (bool, int)):
            raise boost_mismatch("Song.is_playing(Song, bool)", [self, value])
        self._write("Song.is_playing")
        self._pending_transport = bool(value)

    # transport ----------------------------------------------------------------------------------
    def start_playing(self):
        self._write("Song.start_playing")
        self._pending_transport = True  # takes effect on the next tick, as in Live

    def continue_playing(self):
        self.start_playing()

    def stop_playing(self):
        """Live's Stop button: stops; pressed while stopped, it returns the song position to the
        start (Live manual: clicking Stop twice resets the Arrangement Position to 1.1.1)."""
        self._write("Song.stop_playing")
        if not self._is_playing and self._pending_transport is None:
            if self._v_current_song_time:
                self._set_prop("current_song_time", 0.0, undoable=False)
            return
        self._pending_transport = False

    def stop_all_clips(self, quantized=True):
        self._write("Song.stop_all_clips")
        self._stopping.add(self)

    def _start_for_launch(self) -> None:
        """Launching a clip starts the transport (on the next tick, with the clip)."""
        if not self._is_playing:
            self._pending_transport = True

    def _launch_and_stop(self, stopped_transport: bool) -> None:
        """Clips launched last tick start; stops land; recordings end (Live's next tick)."""
        stop_everything = self in self._stopping or stopped_transport
        for track in self._tracks:
            if stop_everything or track in self._stopping:
                track._set_playing(-1)
            if track._fired_slot >= 0:
                index, track._fired_slot = track._fired_slot, -1
                track._notify("fired_slot_index")
                if self._is_playing and not stop_everything:
                    track._set_playing(index)
        if stop_everything or self._stopping:
            for slot in list(self._recording):
                if stop_everything or slot._track in self._stopping:
                    self._finish_recording(slot)
        self._stopping = set()

    def _finish_recording(self, slot: ClipSlot) -> None:
        began = self._recording.pop(slot)
        beats = max(1.0, float(int(self._v_current_song_time - began + 0.999)))
        if slot._track._midi:
            clip = Clip(self._world, slot, beats)
        else:
            seconds = beats * 60.0 / self._v_tempo
            clip = Clip(
                self._world, slot, beats, is_midi=False, looping=True, audio=AudioFile("", seconds)
            )
            clip._v_name = f"{len(self._tracks)} Audio"
        slot._set_clip(clip)
        self._world.undo.record("record", lambda: slot._remove_clip(clip))

    def duplicate_scene(self, index):
        if not _is_int(index):
            raise boost_mismatch("Song.duplicate_scene(Song, int)", [self, index])
        self._write("Song.duplicate_scene")
        if not 0 <= index < len(self._scenes):
            raise RuntimeError("Index out of range")
        source = self._scenes[index]
        scene = Scene(self._world, self, source._v_name)
        slots = []
        for track in self._tracks:
            slot = ClipSlot(self._world, track)
            original = track._slots[index]._clip
            if original is not None:
                slot._clip = original._copy(slot)
            slots.append(slot)
        self._insert_scene(scene, index + 1, slots)
        self._world.undo.record("duplicate_scene", lambda: self._remove_scene(scene))

    def _advance(self) -> None:
        """One tick of Live's clock: pending transport changes land, launched clips start,
        stops and recordings end, song time and playing clips move."""
        stopped = False
        if self._pending_transport is not None:
            playing, self._pending_transport = self._pending_transport, None
            if playing != self._is_playing:
                self._is_playing = playing
                stopped = not playing
                self._notify("is_playing")
            self._launch_and_stop(stopped)
            return
        self._launch_and_stop(False)
        if self._is_playing:
            beats = self._v_tempo / 60.0 * self.TICK_SECONDS
            self._v_current_song_time += beats
            self._notify("current_song_time")
            for track in self._tracks:
                if track._playing_slot >= 0 and track._slots[track._playing_slot]._clip:
                    track._slots[track._playing_slot]._clip._play(beats)

    # tracks and scenes -------------------------------------------------------------------------
    def _new_track(self, index: int, midi: bool, what: str) -> Track:
        if not _is_int(index):
            raise boost_mismatch(f"Song.{what}(Song, int)", [self, index])
        self._write(f"Song.{what}")
        if index == -1:
            index = len(self._tracks)
        if not 0 <= index <= len(self._tracks):
            raise RuntimeError("Index out of range")
        if self._max_tracks is not None and len(self._tracks) >= self._max_tracks:
            raise RuntimeError("Track limit reached (limitation of this Live edition)")
        kind = "MIDI" if midi else "Audio"
        track = Track(
            self._world,
            self,
            f"{len(self._tracks) + 1}-{kind}",
            midi,
            next(self._color_cycle),
            len(self._scenes),
        )
        self._tracks.insert(index, track)
        self._world.undo.record(what, lambda: self._remove_track(track))
        self._notify("tracks")
        return track

    def create_midi_track(self, index=-1):
        return self._new_track(index, True, "create_midi_track")

    def create_audio_track(self, index=-1):
        return self._new_track(index, False, "create_audio_track")

    def _remove_track(self, track: Track) -> int:
        index = self._tracks.index(track)
        self._tracks.remove(track)
        track._invalidate()
        if self.view._selected_track is track:
            self.view._selected_track = (
                self._tracks[min(index, len(self._tracks) - 1)] if self._tracks else None
            )
            self.view._notify("selected_track")
        self._notify("tracks")
        return index

    def _reinsert_track(self, track: Track, index: int) -> None:
        track._revive()
        self._tracks.insert(index, track)
        self._notify("tracks")

    def delete_track(self, index):
        if not _is_int(index):
            raise boost_mismatch("Song.delete_track(Song, int)", [self, index])
        self._write("Song.delete_track")
        if not 0 <= index < len(self._tracks):
            raise RuntimeError("Index out of range")
        track = self._tracks[index]
        self._remove_track(track)
        self._world.undo.record("delete_track", lambda: self._reinsert_track(track, index))

    def create_scene(self, index=-1):
        if not _is_int(index):
            raise boost_mismatch("Song.create_scene(Song, int)", [self, index])
        self._write("Song.create_scene")
        if index == -1:
            index = len(self._scenes)
        if not 0 <= index <= len(self._scenes):
            raise RuntimeError("Index out of range")
        scene = Scene(self._world, self)
        self._insert_scene(scene, index, [ClipSlot(self._world, t) for t in self._tracks])
        removed: list = []

        def redo():
            position, slots = removed.pop()
            scene._revive()
            for slot in slots:
                slot._revive()
            self._insert_scene(scene, position, slots)

        self._world.undo.record(
            "create_scene", lambda: removed.append(self._remove_scene(scene)), redo
        )
        return scene

    def _insert_scene(self, scene: Scene, index: int, slots: list[ClipSlot]) -> None:
        self._scenes.insert(index, scene)
        for track, slot in zip(self._tracks, slots, strict=True):
            track._slots.insert(index, slot)
            track._notify("clip_slots")
        self._notify("scenes")

    def _remove_scene(self, scene: Scene) -> tuple[int, list[ClipSlot]]:
        index = self._scenes.index(scene)
        self._scenes.remove(scene)
        slots = []
        for track in self._tracks:
            slot = track._slots.pop(index)
            slot._invalidate()
            slots.append(slot)
            track._notify("clip_slots")
        scene._invalidate()
        self._notify("scenes")
        return index, slots

    def delete_scene(self, index):
        if not _is_int(index):
            raise boost_mismatch("Song.delete_scene(Song, int)", [self, index])
        self._write("Song.delete_scene")
        if not 0 <= index < len(self._scenes):
            raise RuntimeError("Index out of range")
        if len(self._scenes) == 1:
            raise RuntimeError("A set needs at least one scene")
        scene = self._scenes[index]
        position, slots = self._remove_scene(scene)

        def restore():
            scene._revive()
            for slot in slots:
                slot._revive()
            self._insert_scene(scene, position, slots)

        self._world.undo.record("delete_scene", restore)

    # undo and data -----------------------------------------------------------------------------
    def begin_undo_step(self):
        self._world.undo.begin()

    def end_undo_step(self):
        self._world.undo.end()

    def undo(self):
        self._write("Song.undo")
        self._world.undo.undo()

    def redo(self):
        self._write("Song.redo")
        self._world.undo.redo()

    @property
    def can_redo(self) -> bool:
        return bool(self._world.undo.redoable)

    def get_data(self, key, default):
        return self._data.get(key, default)

    def set_data(self, key, value):
        self._write("Song.set_data")
        self._data[key] = value


def _scale_name_setter(self, value):
    Song._set_scale_name(self, value)


def _scale_mode_setter(self, value):
    if not isinstance(value, bool):
        raise boost_mismatch("Song.scale_mode(Song, bool)", [self, value])
    self._set_prop("scale_mode", value)


for _name, _setter in (("scale_name", _scale_name_setter), ("scale_mode", _scale_mode_setter)):
    _descriptor = requires(Song.__dict__[_name].feature, Song.__dict__[_name].func.setter(_setter))
    _descriptor.__set_name__(Song, _name)
    setattr(Song, _name, _descriptor)


# Song settings AbletonOSC clients use: (type, low, high, default). Live's enums are ints here.
SONG_SETTINGS: dict[str, tuple[type, float | None, float | None, Any]] = {
    "arrangement_overdub": (bool, None, None, False),
    "back_to_arranger": (bool, None, None, False),
    "clip_trigger_quantization": (int, 0, 13, 4),  # Quantization.q_bar
    "groove_amount": (float, 0.0, 1.3125, 1.0),
    "loop": (bool, None, None, False),
    "loop_length": (float, 0.0, 1576800.0, 16.0),
    "loop_start": (float, 0.0, 1576800.0, 0.0),
    "metronome": (bool, None, None, False),
    "midi_recording_quantization": (int, 0, 8, 0),
    "nudge_down": (bool, None, None, False),
    "nudge_up": (bool, None, None, False),
    "punch_in": (bool, None, None, False),
    "punch_out": (bool, None, None, False),
    "record_mode": (bool, None, None, False),
    "session_record": (bool, None, None, False),
    "is_ableton_link_enabled": (bool, None, None, False),
}


def _song_setting(name: str, kind: type, low: Any, high: Any) -> property:
    def get(self):
        return getattr(self, "_v_" + name)

    def set_(self, value):
        if kind is bool:
            if not isinstance(value, (bool, int)):
                raise boost_mismatch(f"Song.{name}(Song, bool)", [self, value])
            value = bool(value)
        elif kind is int:
            if not _is_int(value):
                raise boost_mismatch(f"Song.{name}(Song, int)", [self, value])
        else:
            if not _is_number(value):
                raise boost_mismatch(f"Song.{name}(Song, float)", [self, value])
            value = float(value)
        if low is not None and not low <= value <= high:
            raise RuntimeError(f"{name} out of range")
        if name == "loop_length" and value <= 0:
            raise RuntimeError("Loop length must be positive")
        self._set_prop(name, value, undoable=name not in ("nudge_up", "nudge_down"))

    return property(get, set_)


for _name, (_kind, _low, _high, _default) in SONG_SETTINGS.items():
    setattr(Song, _name, _song_setting(_name, _kind, _low, _high))
_descriptor = requires("link_enabled", Song.is_ableton_link_enabled)
_descriptor.__set_name__(Song, "is_ableton_link_enabled")
Song.is_ableton_link_enabled = _descriptor


# -- browser and application ------------------------------------------------------------------


class BrowserItem:
    def __init__(
        self,
        name: str,
        uri: str,
        loadable: bool = True,
        folder: bool = False,
        device: str | None = None,
        kind: int = 1,
        children: Iterable[BrowserItem] = (),
    ) -> None:
        self.name = name
        self.uri = uri
        self.is_loadable = loadable
        self.is_folder = folder
        self.is_device = device is not None
        self._device_name = device  # what loading it makes (not part of Live's API)
        self._kind = kind
        self._children = tuple(children)
        self.source = "Live"
        self.is_selected = False
        self._path: str | None = None  # a sample item: the file (not part of Live's API)

    def __getattribute__(self, name: str) -> Any:
        if name[0] != "_":
            world = World.current
            if world is not None and world.tracing:
                world.api_used.add(f"BrowserItem.{name}")
        return object.__getattribute__(self, name)

    @staticmethod
    def _spend(items: int) -> None:
        """What listing ``items`` costs in this Live (a busy wait, like Live's own work)."""
        world = World.current
        if world is None or items <= 0:
            return
        world.browser_listed += items
        if not world.browser_item_seconds:
            return
        until = time.perf_counter() + world.browser_item_seconds * items
        while time.perf_counter() < until:
            pass

    @property
    def children(self) -> tuple[BrowserItem, ...]:
        """The whole listing at once (Live builds the vector before returning it)."""
        self._spend(len(self._children))
        return self._children

    @property
    def iter_children(self):
        """Live's lazy listing: each child costs its share when it is reached."""

        def listing():
            for child in self._children:
                self._spend(1)
                yield child

        return listing()


def folder_item(folder: str, uri_prefix: str = "userfolder:") -> BrowserItem:
    """A browser folder showing ``folder`` on disk: subfolders, and audio files as loadable
    sample items named like the file (extension included, as Live's browser lists them)."""

    def build(path: str, name: str) -> BrowserItem:
        children = []
        for entry in sorted(os.listdir(path)):
            full = os.path.join(path, entry)
            if os.path.isdir(full):
                children.append(build(full, entry))
            elif entry.lower().endswith(AUDIO_EXTENSIONS):
                sample = BrowserItem(entry, uri_prefix + full, loadable=True, kind=0)
                sample._path = full
                children.append(sample)
        return BrowserItem(name, uri_prefix + path, loadable=False, folder=True, children=children)

    return build(folder, os.path.basename(os.path.normpath(folder)))


def default_browser_tree(edition: str = "suite") -> dict[str, BrowserItem]:
    """A small browser: native instruments (with a preset each), drum kits, effects, a
    non-loadable folder."""
    missing = {
        "lite": {
            "Wavetable",
            "Analog",
            "Operator",
            "Drift",
            "Meld",
            "Collision",
            "Tension",
            "Electric",
            "Sampler",
        },
        "intro": {"Wavetable", "Analog", "Meld", "Collision", "Tension", "Sampler"},
    }.get(edition, set())

    def device_item(root: str, name: str, kind: int) -> BrowserItem:
        presets = [
            BrowserItem(f"{name} Init.adv", f"query:{root}#{name}:Init", device=name, kind=kind)
        ]
        return BrowserItem(
            name, f"query:{root}#{name}", folder=True, device=name, kind=kind, children=presets
        )

    instruments = BrowserItem(
        "Instruments",
        "query:Synths",
        loadable=False,
        folder=True,
        children=[device_item("Synths", n, 1) for n in INSTRUMENTS if n not in missing],
    )
    kits = [
        BrowserItem(f"{n} Core Kit.adg", f"query:Drums#{n}%20Core%20Kit", device="Drum Rack")
        for n in ("505", "606", "808", "909")
    ]
    drums = BrowserItem(
        "Drums",
        "query:Drums",
        loadable=False,
        folder=True,
        children=[
            BrowserItem(
                "Drum Hits",
                "query:Drums#Drum%20Hits",
                loadable=False,
                folder=True,
                children=[
                    BrowserItem("Kick 808.wav", "query:Drums#Kick", loadable=True, device="Simpler")
                ],
            ),
            device_item("Drums", "Drum Rack", 1),
            *kits,
        ],
    )
    audio_effects = BrowserItem(
        "Audio Effects",
        "query:AudioFx",
        loadable=False,
        folder=True,
        children=[device_item("AudioFx", n, 2) for n in AUDIO_EFFECTS],
    )
    midi_effects = BrowserItem(
        "MIDI Effects",
        "query:MidiFx",
        loadable=False,
        folder=True,
        children=[device_item("MidiFx", n, 4) for n in MIDI_EFFECTS],
    )
    empty = {
        name: BrowserItem(name, f"query:{name}", loadable=False, folder=True)
        for name in (
            "sounds",
            "plugins",
            "samples",
            "packs",
            "user_library",
            "current_project",
            "max_for_live",
        )
    }
    return {
        "instruments": instruments,
        "drums": drums,
        "audio_effects": audio_effects,
        "midi_effects": midi_effects,
        **empty,
    }


class Browser(LomObject):
    def __init__(self, world: World, app: Application) -> None:
        super().__init__(world)
        self._app = app
        self._roots = default_browser_tree(world.edition)
        for name, item in self._roots.items():
            setattr(self, name, item)
        self.user_folders: tuple[BrowserItem, ...] = ()  # Places added by the user
        self._loaded: list[tuple[str, str]] = []  # (item name, track name) for tests

    # test helpers (what the user does in Live's browser)
    def _add_place(self, folder: str) -> BrowserItem:
        item = folder_item(folder)
        self.user_folders = (*self.user_folders, item)
        return item

    def _show_user_library(self, folder: str) -> None:
        """Live's User Library is ``folder`` (as Live lists it when the browser refreshes)."""
        self.user_library = folder_item(folder, "userlibrary:")

    def _open_project(self, folder: str) -> None:
        """The open set lives in ``folder``: Current Project shows it."""
        self.current_project = folder_item(folder, "query:CurrentProject#")

    def load_item(self, item):
        if not isinstance(item, BrowserItem):
            raise boost_mismatch("Browser.load_item(Browser, BrowserItem)", [item])
        self._write("Browser.load_item")
        if not item.is_loadable:
            raise RuntimeError(f"Browser item {item.name!r} cannot be loaded")
        song = self._app._song
        track = song.view.selected_track
        if track is None:
            raise RuntimeError("No track selected")
        if item._path is not None:  # a sample: on a MIDI track Live makes a Simpler playing it
            if not track.has_midi_input:
                raise NotImplementedError(
                    "simulator: a sample loaded onto an audio track (it goes to the highlighted "
                    "clip slot in Live)"
                )
            audio = read_audio_file(item._path)
            stem = os.path.splitext(item.name)[0]
            track._put_device(SimplerDevice(self._world, track, stem, audio))
            self._loaded.append((item.name, track.name))
            return
        if item._kind == 1 and not track.has_midi_input and item._device_name != "Simpler":
            raise RuntimeError("Instruments can only be loaded onto MIDI tracks")
        name = item._device_name or item.name
        display = item.name[:-4] if item.name.endswith((".adg", ".adv")) else item.name
        device = make_device(
            self._world, track, display, DEVICE_CLASS.get(name, name.replace(" ", "")), item._kind
        )
        index = -1
        selected = track.view.selected_device
        if device.type != 1 and selected is not None and selected in track._devices:
            index = track._devices.index(selected) + 1  # Live loads after the selected device
        track._put_device(device, index)
        track.view.selected_device = device
        self._loaded.append((item.name, track.name))


class ApplicationView(LomObject):
    def __init__(self, world: World) -> None:
        super().__init__(world)
        self.visible = {"Session"}
        self.focused_document_view = "Session"

    def show_view(self, name):
        self.visible.add(name)
        if name in ("Session", "Arranger"):
            self.focused_document_view = name

    def focus_view(self, name):
        self.show_view(name)

    def is_view_visible(self, name, main_window_only=True):
        return name in self.visible


class Application(LomObject):
    def __init__(self, world: World, tempo: float = 120.0, scenes: int = 8) -> None:
        super().__init__(world)
        self._song = Song(world, self, tempo, scenes)
        self.browser = Browser(world, self)
        self.view = ApplicationView(world)

    def get_document(self):
        return self._song

    average_process_usage = requires("process_usage", property(lambda self: 0.12))
    peak_process_usage = property(lambda self: 0.2)

    def get_major_version(self):
        return self._world.version[0]

    def get_minor_version(self):
        return self._world.version[1]

    def get_bugfix_version(self):
        return self._world.version[2]

    @requires("version_string")
    def get_version_string(self):
        return ".".join(str(n) for n in self._world.version)

    def _available_devices(self) -> dict[str, int]:
        devices = {name: 1 for name in INSTRUMENTS}
        devices.update({name: 2 for name in AUDIO_EFFECTS})
        devices.update({name: 4 for name in MIDI_EFFECTS})
        tree = default_browser_tree(self._world.edition)
        present = {child.name for child in tree["instruments"]._children}
        return {n: k for n, k in devices.items() if k != 1 or n in present}
