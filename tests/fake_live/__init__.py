"""A simulator of the Ableton Live Object Model subset MusiaIA's Remote Script uses.

live = FakeLive("12.2")            # installs the fake ``Live`` module in sys.modules
surface, c_instance = live.start_script()   # imports remote_script/ as package MusiaIA
live.tick()                        # one ~100 ms Live tick: transport, MIDI map, update_display
"""

from .host import CInstance, FakeLive, load_script_package
from .lom import (
    NOTIFICATION_ERROR,
    PROFILES,
    ArgumentError,
    MidiNoteSpecification,
    World,
)
from .palette import PALETTE, nearest_index

__all__ = [
    "NOTIFICATION_ERROR",
    "PALETTE",
    "PROFILES",
    "ArgumentError",
    "CInstance",
    "FakeLive",
    "MidiNoteSpecification",
    "World",
    "load_script_package",
    "nearest_index",
]
