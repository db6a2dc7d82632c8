"""/live/track/...: a track's properties, mixer (volume, panning, sends), clips and devices
(track index first, as in AbletonOSC)."""

from ..dispatch import HandlerError
from . import base
from .properties import auto, register_listing, register_methods, register_properties

PROPERTIES = (
    ("name", "str"),
    ("color_index", "int"),
    ("color", "int"),
    ("mute", "bool"),
    ("solo", "bool"),
) + auto((
    "arm",
    "current_monitoring_state",
    "fold_state",
    "can_be_armed",
    "fired_slot_index",
    "has_audio_input",
    "has_audio_output",
    "has_midi_input",
    "has_midi_output",
    "is_foldable",
    "is_grouped",
    "is_visible",
    "output_meter_level",
    "output_meter_left",
    "output_meter_right",
    "playing_slot_index",
))
WRITABLE = ("name", "color_index", "color", "mute", "solo", "arm", "current_monitoring_state",
            "fold_state")
METHODS = (("delete_device", (base.to_int,)), ("stop_all_clips", ()))


def _slot_clips(track, read):
    return [read(slot.clip) if slot.has_clip else None for slot in track.clip_slots]


def register(dispatcher, script):
    def resolve(args):
        index = base.to_int(base.arg(args, 0, "track index"), "track index")
        return (index,), base.track_at(script.song(), index), args[1:]

    register_properties(dispatcher, script, "track", PROPERTIES, resolve, writable=WRITABLE)
    register_methods(dispatcher, "track", METHODS, resolve)

    # the mixer: volume and panning are DeviceParameters of the track's mixer device
    for prop in ("volume", "panning"):
        def mixer(args, prop=prop):
            indices, track, rest = resolve(args)
            return indices, getattr(track.mixer_device, prop), rest

        register_properties(dispatcher, script, "track", (("value", "float"),), mixer,
                            alias=prop)

    def send(args):
        indices, track, rest = resolve(args)
        index = base.to_int(base.arg(rest, 0, "send index"), "send index")
        parameter = base.item_at(track.mixer_device.sends, index)
        return indices + (index,), parameter, rest[1:]

    register_properties(dispatcher, script, "track", (("value", "float"),), send, alias="send")

    def delete_clip(request, args):
        _indices, track, rest = resolve(args)
        slot = base.item_at(track.clip_slots,
                            base.to_int(base.arg(rest, 0, "clip index"), "clip index"))
        if slot.has_clip:
            slot.delete_clip()
        return None

    dispatcher.add("/live/track/delete_clip", delete_clip)

    for name, read in (
        ("clips/name", lambda t: _slot_clips(t, lambda c: c.name)),
        ("clips/length", lambda t: _slot_clips(t, lambda c: c.length)),
        ("clips/color", lambda t: _slot_clips(t, lambda c: c.color)),
        ("arrangement_clips/name", lambda t: [c.name for c in t.arrangement_clips]),
        ("arrangement_clips/length", lambda t: [c.length for c in t.arrangement_clips]),
        ("arrangement_clips/start_time", lambda t: [c.start_time for c in t.arrangement_clips]),
        ("num_devices", lambda t: [len(t.devices)]),
        ("devices/name", lambda t: [d.name for d in t.devices]),
        ("devices/type", lambda t: [int(d.type) for d in t.devices]),
        ("devices/class_name", lambda t: [d.class_name for d in t.devices]),
        ("devices/can_have_chains", lambda t: [d.can_have_chains for d in t.devices]),
    ):
        register_listing(dispatcher, "track", name, resolve, read)

    def has_midi_input(request, args):
        indices, track, _rest = resolve(args)
        if track is None:
            raise HandlerError("Index out of range")
        return indices + (bool(track.has_midi_input),)

    dispatcher.add("/live/track/get/has_midi_input", has_midi_input)
