"""Live's latest state as the companion knows it, with change callbacks.

The server can push it to a user's WebSocket and use ``chat_context()`` as context for the chat:
tempo, transport, key/scale, time signature, tracks, selected track, song time, and whether the
Remote Script is connected at all (heartbeat).
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from companion.music.theory import format_key

log = logging.getLogger(__name__)

MAX_TRACKS = 1000  # the script cuts longer lists to fit a datagram
MAX_NAME = 256
NOTE_NAMES = ("C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B")
_MODES = {"Major": "major", "Minor": "minor"}


@dataclass(frozen=True)
class LiveTrack:
    index: int
    name: str
    color_index: int
    type: str  # "midi", "audio", "group"


@dataclass(frozen=True)
class LiveState:
    connected: bool = False
    tempo: float | None = None
    is_playing: bool = False
    signature: tuple[int, int] | None = None
    root_note: int | None = None
    scale_name: str | None = None
    song_time: float = 0.0
    tracks: tuple[LiveTrack, ...] = ()
    selected_track: int = -1
    selected_track_name: str = ""
    num_scenes: int = 0
    live_version: str | None = None
    script_version: str | None = None
    capabilities: tuple[str, ...] = ()
    updated_at: float = field(default=0.0, compare=False)

    @property
    def key(self) -> str | None:
        """MusiaIA's key string (``Am``, ``F#``) when Live's scale is Major or Minor."""
        if self.root_note is None or self.scale_name not in _MODES:
            return None
        return format_key(self.root_note, _MODES[self.scale_name])  # type: ignore[arg-type]

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["key"] = self.key
        data["tracks"] = [asdict(t) for t in self.tracks]
        data["signature"] = list(self.signature) if self.signature else None
        data["capabilities"] = list(self.capabilities)
        return data

    def chat_context(self) -> str:
        """One line describing the open Live set, for the chat."""
        if not self.connected:
            return "Ableton Live is not connected."
        parts = []
        if self.tempo is not None:
            parts.append(f"{self.tempo:g} BPM")
        if self.key:
            parts.append(f"key {self.key}")
        elif self.root_note is not None and self.scale_name:
            parts.append(f"scale {NOTE_NAMES[self.root_note % 12]} {self.scale_name}")
        if self.signature:
            parts.append(f"{self.signature[0]}/{self.signature[1]}")
        parts.append("playing" if self.is_playing else "stopped")
        names = ", ".join(t.name for t in self.tracks[:12])
        more = f" and {len(self.tracks) - 12} more" if len(self.tracks) > 12 else ""
        parts.append(f"{len(self.tracks)} tracks ({names}{more})" if self.tracks else "no tracks")
        if self.selected_track_name:
            parts.append(f"selected track: {self.selected_track_name}")
        return "Ableton Live set: " + "; ".join(parts) + "."


Callback = Callable[[LiveState], Any]


def _live_meter(value: tuple[int, int]) -> tuple[int, int]:
    if not 1 <= value[0] <= 99 or value[1] not in (1, 2, 4, 8, 16):
        raise ValueError(f"Live has no {value[0]}/{value[1]} time signature")
    return value


LiveMeter = Annotated[tuple[int, int], AfterValidator(_live_meter)]  # a meter Live can have


class _TrackPush(BaseModel):
    model_config = ConfigDict(extra="ignore")

    index: int = Field(ge=0, le=MAX_TRACKS)
    name: str = Field(max_length=MAX_NAME)
    color_index: int = Field(default=-1, ge=-1, le=69)
    type: Literal["midi", "audio", "group", "unknown"] = "unknown"


class StatePush(BaseModel):
    """A ``/musiaia/state`` object, checked like any other input: values Live can really hold
    (tempo 20–999, a meter Live offers, root 0–11…), bounded sizes. Anything else is refused
    whole, so a bad push can never reach the chat or a generation."""

    model_config = ConfigDict(extra="ignore")

    tempo: float | None = Field(default=None, ge=20, le=999, allow_inf_nan=False)
    is_playing: bool | None = None
    signature: LiveMeter | None = None
    root_note: int | None = Field(default=None, ge=0, le=11)
    scale_name: str | None = Field(default=None, min_length=1, max_length=MAX_NAME)
    song_time: float | None = Field(default=None, ge=-1e7, le=1e9, allow_inf_nan=False)
    tracks: list[_TrackPush] = Field(default_factory=list, max_length=MAX_TRACKS)
    selected_track: int = Field(default=-1, ge=-1, le=MAX_TRACKS)
    selected_track_name: str = Field(default="", max_length=MAX_NAME)
    num_scenes: int | None = Field(default=None, ge=0, le=100_000)


def state_from_push(data: dict[str, Any], previous: LiveState) -> LiveState:
    """Merge a ``/musiaia/state`` JSON object into the previous state. Raises
    ``pydantic.ValidationError`` when anything in it is not a value Live can have."""
    push = StatePush.model_validate(data)
    return replace(
        previous,
        connected=True,
        tempo=push.tempo if push.tempo is not None else previous.tempo,
        is_playing=push.is_playing if push.is_playing is not None else previous.is_playing,
        signature=push.signature or previous.signature,
        root_note=push.root_note if push.root_note is not None else previous.root_note,
        scale_name=push.scale_name if push.scale_name is not None else previous.scale_name,
        song_time=push.song_time if push.song_time is not None else previous.song_time,
        tracks=tuple(LiveTrack(t.index, t.name, t.color_index, t.type) for t in push.tracks),
        selected_track=push.selected_track,
        selected_track_name=push.selected_track_name,
        num_scenes=push.num_scenes if push.num_scenes is not None else previous.num_scenes,
        updated_at=time.time(),
    )


class LiveStateStore:
    """Holds the current LiveState and tells subscribers when it changes."""

    def __init__(self) -> None:
        self._state = LiveState()
        self._callbacks: list[Callback] = []
        self._tasks: set[asyncio.Task] = set()

    @property
    def state(self) -> LiveState:
        return self._state

    def on_change(self, callback: Callback) -> Callable[[], None]:
        """Call ``callback(state)`` (plain or async) on every change; returns an unsubscribe."""
        self._callbacks.append(callback)

        def unsubscribe() -> None:
            if callback in self._callbacks:
                self._callbacks.remove(callback)

        return unsubscribe

    def set(self, state: LiveState) -> None:
        if state == self._state:
            self._state = state  # keep the newest timestamp, no event
            return
        self._state = state
        for callback in list(self._callbacks):
            try:
                result = callback(state)
                if inspect.isawaitable(result):
                    task = asyncio.ensure_future(result)
                    self._tasks.add(task)
                    task.add_done_callback(self._tasks.discard)
            except Exception:
                log.exception("live state callback failed")

    def update(self, **changes: Any) -> None:
        self.set(replace(self._state, updated_at=time.time(), **changes))
