"""/live/clip_slot/...: create, delete and query clips in session slots."""

from ..dispatch import HandlerError
from . import base


def register(dispatcher, script):
    def slot(args):
        track_index = base.to_int(base.arg(args, 0, "track index"), "track index")
        slot_index = base.to_int(base.arg(args, 1, "clip slot index"), "clip slot index")
        target = base.clip_slot_at(script.song(), track_index, slot_index)
        return track_index, slot_index, target

    def create_clip(request, args):
        track_index, slot_index, target = slot(args)
        length = base.to_float(base.arg(args, 2, "length"), "length")
        if length <= 0:
            raise HandlerError("Clip length must be positive")
        if target.has_clip:
            raise HandlerError("Clip slot %d of track %d already has a clip"
                               % (slot_index, track_index))
        target.create_clip(length)
        return None

    def delete_clip(request, args):
        _t, _s, target = slot(args)
        if target.has_clip:
            target.delete_clip()
        return None

    def has_clip(request, args):
        track_index, slot_index, target = slot(args)
        return (track_index, slot_index, bool(target.has_clip))

    dispatcher.add("/live/clip_slot/create_clip", create_clip)
    dispatcher.add("/live/clip_slot/delete_clip", delete_clip)
    dispatcher.add("/live/clip_slot/get/has_clip", has_clip)
