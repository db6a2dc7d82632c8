"""/live/song/...: transport, tempo, meter, key/scale, song settings, tracks and scenes, undo."""

from . import base
from .properties import auto, register_methods, register_properties

PROPERTIES = (
    ("tempo", "float"),
    ("is_playing", "bool"),
    ("signature_numerator", "int"),
    ("signature_denominator", "int"),
    ("root_note", "int"),
    ("scale_name", "str"),
    ("current_song_time", "float"),
) + auto((
    "arrangement_overdub",
    "back_to_arranger",
    "clip_trigger_quantization",
    "groove_amount",
    "is_ableton_link_enabled",
    "loop",
    "loop_length",
    "loop_start",
    "metronome",
    "midi_recording_quantization",
    "nudge_down",
    "nudge_up",
    "punch_in",
    "punch_out",
    "record_mode",
    "session_record",
    "can_redo",
    "can_undo",
    "song_length",
    "session_record_status",
))
READ_ONLY = ("can_redo", "can_undo", "song_length", "session_record_status")

_INDEX = (base.to_int,)
METHODS = (
    ("start_playing", ()),
    ("stop_playing", ()),
    ("continue_playing", ()),
    ("stop_all_clips", ()),
    ("create_midi_track", _INDEX),
    ("create_audio_track", _INDEX),
    ("create_return_track", ()),
    ("create_scene", _INDEX),
    ("delete_scene", _INDEX),
    ("delete_track", _INDEX),
    ("delete_return_track", _INDEX),
    ("duplicate_scene", _INDEX),
    ("duplicate_track", _INDEX),
    ("undo", ()),
    ("redo", ()),
    ("tap_tempo", ()),
    ("capture_midi", ()),
    ("jump_by", (base.to_float,)),
    ("trigger_session_record", ()),
    ("re_enable_automation", ()),
    ("set_or_delete_cue", ()),
    ("jump_to_next_cue", ()),
    ("jump_to_prev_cue", ()),
)


def register(dispatcher, script):
    def resolve(args):
        return (), script.song(), args

    writable = [p for p, _kind in PROPERTIES if p not in READ_ONLY]
    register_properties(dispatcher, script, "song", PROPERTIES, resolve, writable=writable)
    register_methods(dispatcher, "song", METHODS, resolve)

    def track_names(request, args):
        tracks = script.song().tracks
        start = base.to_int(args[0], "start") if len(args) > 0 else 0
        end = base.to_int(args[1], "end") if len(args) > 1 else len(tracks)
        if end < 0:
            end = len(tracks)
        return tuple(track.name for track in list(tracks)[max(0, start):end])

    def scene_names(request, args):
        return tuple(scene.name for scene in script.song().scenes)

    def num_tracks(request, args):
        return (len(script.song().tracks),)

    def num_scenes(request, args):
        return (len(script.song().scenes),)

    dispatcher.add("/live/song/get/track_names", track_names)
    dispatcher.add("/live/song/get/scenes/name", scene_names)
    dispatcher.add("/live/song/get/num_tracks", num_tracks)
    dispatcher.add("/live/song/get/num_scenes", num_scenes)

    # /live/song/get/beat: the song time's whole beat, pushed when it moves on or goes back
    def beat_reader(song):
        last = [-1.0]

        def read():
            now = song.current_song_time
            before, last[0] = last[0], now
            if now < before or int(now) > int(before):
                return int(now)
            return base.SKIP

        return read

    def start_beat(request, args):
        song = script.song()
        script.listens.stop("/live/song/get/beat", (), request.sender)
        script.listens.start(song, "current_song_time", (), request.sender,
                             "/live/song/get/beat", beat_reader(song), request.send,
                             initial=False)
        return None

    def stop_beat(request, args):
        script.listens.stop("/live/song/get/beat", (), request.sender)
        return None

    dispatcher.add("/live/song/start_listen/beat", start_beat)
    dispatcher.add("/live/song/stop_listen/beat", stop_beat)
