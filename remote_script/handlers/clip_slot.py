"""/live/clip_slot/...: create, delete, launch and query the clips in session slots."""

from ..dispatch import HandlerError
from . import base
from .properties import auto, register_methods, register_properties

PROPERTIES = (("has_clip", "bool"),) + auto((
    "controls_other_clips",
    "is_group_slot",
    "is_playing",
    "is_triggered",
    "playing_status",
    "will_record_on_start",
    "has_stop_button",
))
METHODS = (("fire", ()), ("stop", ()))


def register(dispatcher, script):
    def resolve(args):
        track_index = base.to_int(base.arg(args, 0, "track index"), "track index")
        slot_index = base.to_int(base.arg(args, 1, "clip slot index"), "clip slot index")
        target = base.clip_slot_at(script.song(), track_index, slot_index)
        return (track_index, slot_index), target, args[2:]

    register_properties(dispatcher, script, "clip_slot", PROPERTIES, resolve,
                        writable=("has_stop_button",))
    register_methods(dispatcher, "clip_slot", METHODS, resolve)

    def create_clip(request, args):
        (track_index, slot_index), target, rest = resolve(args)
        length = base.to_float(base.arg(rest, 0, "length"), "length")
        if length <= 0:
            raise HandlerError("Clip length must be positive")
        if target.has_clip:
            raise HandlerError("Clip slot %d of track %d already has a clip"
                               % (slot_index, track_index))
        target.create_clip(length)
        return None

    def delete_clip(request, args):
        _indices, target, _rest = resolve(args)
        if target.has_clip:
            target.delete_clip()
        return None

    def duplicate_clip_to(request, args):
        _indices, source, rest = resolve(args)
        track_index = base.to_int(base.arg(rest, 0, "target track index"), "target track index")
        slot_index = base.to_int(base.arg(rest, 1, "target slot index"), "target slot index")
        source.duplicate_clip_to(base.clip_slot_at(script.song(), track_index, slot_index))
        return None

    dispatcher.add("/live/clip_slot/create_clip", create_clip)
    dispatcher.add("/live/clip_slot/delete_clip", delete_clip)
    dispatcher.add("/live/clip_slot/duplicate_clip_to", duplicate_clip_to)
