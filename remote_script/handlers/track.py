"""/live/track/...: name and colour of a track (index first, as in AbletonOSC)."""

from . import base
from .properties import register_properties

PROPERTIES = (
    ("name", "str"),
    ("color_index", "int"),
    ("color", "int"),
    ("mute", "bool"),
    ("solo", "bool"),
)


def register(dispatcher, script):
    def resolve(args):
        index = base.to_int(base.arg(args, 0, "track index"), "track index")
        return (index,), base.track_at(script.song(), index), args[1:]

    register_properties(dispatcher, script, "track", PROPERTIES, resolve)

    def has_midi_input(request, args):
        index = base.to_int(base.arg(args, 0, "track index"), "track index")
        return (index, bool(base.track_at(script.song(), index).has_midi_input))

    dispatcher.add("/live/track/get/has_midi_input", has_midi_input)
