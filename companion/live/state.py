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
from typing import Any

from companion.music.theory import format_key

log = logging.getLogger(__name__)

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


def state_from_push(data: dict[str, Any], previous: LiveState) -> LiveState:
    """Merge a ``/musiaia/state`` JSON object into the previous state (unknown keys ignored)."""
    tracks = []
    for item in data.get("tracks") or []:
        try:
            tracks.append(
                LiveTrack(
                    int(item["index"]),
                    str(item["name"]),
                    int(item.get("color_index", -1)),
                    str(item.get("type", "unknown")),
                )
            )
        except (KeyError, TypeError, ValueError):
            continue
    signature = data.get("signature")
    return replace(
        previous,
        connected=True,
        tempo=float(data["tempo"]) if data.get("tempo") is not None else previous.tempo,
        is_playing=bool(data.get("is_playing", previous.is_playing)),
        signature=(int(signature[0]), int(signature[1]))
        if isinstance(signature, list) and len(signature) == 2
        else previous.signature,
        root_note=int(data["root_note"])
        if data.get("root_note") is not None
        else previous.root_note,
        scale_name=str(data["scale_name"])
        if data.get("scale_name") is not None
        else previous.scale_name,
        song_time=float(data.get("song_time", previous.song_time)),
        tracks=tuple(tracks),
        selected_track=int(data.get("selected_track", -1)),
        selected_track_name=str(data.get("selected_track_name", "")),
        num_scenes=int(data.get("num_scenes", previous.num_scenes)),
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
