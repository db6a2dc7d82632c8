"""/live/song/...: tempo, transport, meter, key/scale, song time, track names."""

from . import base
from .properties import register_properties

PROPERTIES = (
    ("tempo", "float"),
    ("is_playing", "bool"),
    ("signature_numerator", "int"),
    ("signature_denominator", "int"),
    ("root_note", "int"),
    ("scale_name", "str"),
    ("current_song_time", "float"),
)

METHODS = ("start_playing", "stop_playing", "continue_playing", "stop_all_clips")


def register(dispatcher, script):
    def resolve(args):
        return (), script.song(), args

    register_properties(dispatcher, script, "song", PROPERTIES, resolve)

    for name in METHODS:
        def call(request, args, name=name):
            getattr(script.song(), name)()
            return None

        dispatcher.add("/live/song/%s" % name, call)

    def track_names(request, args):
        tracks = script.song().tracks
        start = base.to_int(args[0], "start") if len(args) > 0 else 0
        end = base.to_int(args[1], "end") if len(args) > 1 else len(tracks)
        if end < 0:
            end = len(tracks)
        return tuple(track.name for track in list(tracks)[max(0, start):end])

    def num_tracks(request, args):
        return (len(script.song().tracks),)

    def num_scenes(request, args):
        return (len(script.song().scenes),)

    dispatcher.add("/live/song/get/track_names", track_names)
    dispatcher.add("/live/song/get/num_tracks", num_tracks)
    dispatcher.add("/live/song/get/num_scenes", num_scenes)
