"""/live/clip/...: a session clip's notes, properties and launching (track, slot first)."""

from ..dispatch import HandlerError
from . import base
from .properties import auto, register_methods, register_properties

PROPERTIES = (
    ("name", "str"),
    ("color_index", "int"),
    ("color", "int"),
    ("length", "float"),
    ("loop_start", "float"),
    ("loop_end", "float"),
) + auto((
    "end_marker",
    "start_marker",
    "looping",
    "gain",
    "launch_mode",
    "launch_quantization",
    "legato",
    "muted",
    "pitch_coarse",
    "pitch_fine",
    "position",
    "ram_mode",
    "velocity_amount",
    "warp_mode",
    "warping",
    "end_time",
    "file_path",
    "gain_display_string",
    "has_groove",
    "is_midi_clip",
    "is_audio_clip",
    "is_overdubbing",
    "is_playing",
    "is_recording",
    "is_triggered",
    "playing_position",
    "sample_length",
    "start_time",
    "will_record_on_start",
))
READ_ONLY = ("length", "end_time", "file_path", "gain_display_string", "has_groove",
             "is_midi_clip", "is_audio_clip", "is_overdubbing", "is_playing", "is_recording",
             "is_triggered", "playing_position", "sample_length", "start_time",
             "will_record_on_start")
METHODS = (("fire", ()), ("stop", ()), ("duplicate_loop", ()))
ALL_NOTES = (0, 128, -8192.0, 16384.0)  # pitch start, pitch span, time start, time span


def register(dispatcher, script):
    live_api = script.live_api

    def resolve(args):
        track_index = base.to_int(base.arg(args, 0, "track index"), "track index")
        slot_index = base.to_int(base.arg(args, 1, "clip slot index"), "clip slot index")
        clip = base.clip_at(script.song(), track_index, slot_index)
        return (track_index, slot_index), clip, args[2:]

    writable = [p for p, _kind in PROPERTIES if p not in READ_ONLY]
    register_properties(dispatcher, script, "clip", PROPERTIES, resolve, writable=writable,
                        unobservable=("length",))
    register_methods(dispatcher, "clip", METHODS, resolve)

    def note_range(rest):
        if rest and len(rest) != 4:
            raise HandlerError("Range is pitch_start pitch_span time_start time_span")
        if not rest:
            return ALL_NOTES
        return (base.to_int(rest[0], "pitch_start"), base.to_int(rest[1], "pitch_span"),
                base.to_float(rest[2], "time_start"), base.to_float(rest[3], "time_span"))

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
        flat = list(indices)
        for pitch, start, duration, velocity, mute in live_api.read_notes(clip,
                                                                           *note_range(rest)):
            # Live's own types, as AbletonOSC sends them: velocity is a float
            flat.extend((int(pitch), float(start), float(duration), float(velocity),
                         bool(mute)))
        return tuple(flat)

    def remove_notes(request, args):
        _indices, clip, rest = resolve(args)
        live_api.remove_notes(clip, *note_range(rest))
        return None

    dispatcher.add("/live/clip/add/notes", add_notes)
    dispatcher.add("/live/clip/get/notes", get_notes)
    dispatcher.add("/live/clip/remove/notes", remove_notes)
