"""MusiaIA Remote Script for Ableton Live 11 and 12.

Copy this folder as ``MusiaIA`` into the User Library's "Remote Scripts" folder, restart Live and
pick "MusiaIA" under Preferences → Link, Tempo & MIDI → Control Surface. The script listens for
OSC on UDP 127.0.0.1:11010 and talks to the MusiaIA companion on 127.0.0.1:11011, locked to the
companion that shares its secret (install.py writes it into config.json); unless AbletonOSC
itself is installed it also answers AbletonOSC clients on 11000/11001 (see PROTOCOL.md). Python 3.7 syntax and standard library only: Live 11 and 12.0 embed
CPython 3.7, Live 12.1+ embeds 3.11.
"""

try:
    from .surface import MusiaIA
except ImportError:  # pragma: no cover - lets tools import single modules without the package
    MusiaIA = None


def create_instance(c_instance):
    return MusiaIA(c_instance)
