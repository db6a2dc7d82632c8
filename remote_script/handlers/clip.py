"""/live/clip/...: notes and a few properties of a session clip (track, slot first)."""

from ..dispatch import HandlerError
from . import base
from .properties import register_properties

PROPERTIES = (
    ("name", "str"),
    ("color_index", "int"),
    ("length", "float"),
    ("loop_start", "float"),
    ("loop_end", "float"),
)


def register(dispatcher, script):
    live_api = script.live_api

    def resolve(args):
        track_index = base.to_int(base.arg(args, 0, "track index"), "track index")
        slot_index = base.to_int(base.arg(args, 1, "clip slot index"), "clip slot index")
        clip = base.clip_at(script.song(), track_index, slot_index)
        return (track_index, slot_index), clip, args[2:]

    register_properties(dispatcher, script, "clip", PROPERTIES, resolve,
                        writable=("name", "color_index", "loop_start", "loop_end"),
                        unobservable=("length",))

    def add_notes(request, args):
        _indices, clip, rest = resolve(args)
        if len(rest) % 5:
            raise HandlerError("Notes come as groups of 5: pitch start duration velocity mute")
        notes = []
        for i in range(0, len(rest), 5):
            pitch = base.to_int(rest[i], "pitch")
            start = base.to_float(rest[i + 1], "start")
            duration = base.to_float(rest[i + 2], "duration")
            velocity = base.to_float(rest[i + 3], "velocity")
            mute = base.to_bool(rest[i + 4], "mute")
            if not 0 <= pitch <= 127:
                raise HandlerError("Pitch %d out of range 0-127" % pitch)
            if duration <= 0:
                raise HandlerError("Note duration must be positive")
            notes.append((pitch, start, duration, max(0.0, min(127.0, velocity)), mute))
        live_api.add_notes(clip, notes)
        return None

    def get_notes(request, args):
        indices, clip, rest = resolve(args)
        if rest and len(rest) != 4:
            raise HandlerError("Range is pitch_start pitch_span time_start time_span")
        if rest:
            notes = live_api.read_notes(
                clip, base.to_int(rest[0], "pitch_start"), base.to_int(rest[1], "pitch_span"),
                base.to_float(rest[2], "time_start"), base.to_float(rest[3], "time_span"))
        else:
            notes = live_api.read_notes(clip)
        flat = list(indices)
        for pitch, start, duration, velocity, mute in notes:
            flat.extend((int(pitch), float(start), float(duration), int(round(velocity)),
                         bool(mute)))
        return tuple(flat)

    dispatcher.add("/live/clip/add/notes", add_notes)
    dispatcher.add("/live/clip/get/notes", get_notes)
