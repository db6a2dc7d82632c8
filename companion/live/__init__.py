"""The link between the companion and Ableton Live (the MusiaIA Remote Script, over OSC/UDP)."""

from companion.live.bridge import (
    GenerateRequest,
    LiveBridge,
    LiveBridgeConfig,
    LivePortInUse,
    LiveSong,
)
from companion.live.loader import LoadProgress, LoadResult
from companion.live.opener import OpenInLiveError, open_in_live
from companion.live.protocol import LoadOptions
from companion.live.state import LiveState, LiveTrack

__all__ = [
    "GenerateRequest",
    "LiveBridge",
    "LiveBridgeConfig",
    "LivePortInUse",
    "LiveSong",
    "LiveState",
    "LiveTrack",
    "LoadOptions",
    "LoadProgress",
    "LoadResult",
    "OpenInLiveError",
    "open_in_live",
]
