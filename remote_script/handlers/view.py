"""/live/view/...: what is selected in Live (track, scene, clip, device), as indices."""

from ..dispatch import HandlerError
from . import base


def register(dispatcher, script):
    def song():
        return script.song()

    def selected_track(*_):
        index = base.index_of(song().tracks, song().view.selected_track)
        if index < 0:
            raise HandlerError("No track is selected (or a return or main track is)")
        return index

    def selected_scene(*_):
        index = base.index_of(song().scenes, song().view.selected_scene)
        if index < 0:
            raise HandlerError("No scene is selected")
        return index

    def get_track(request, args):
        return (selected_track(),)

    def get_scene(request, args):
        return (selected_scene(),)

    def get_clip(request, args):
        return (selected_track(), selected_scene())

    def get_device(request, args):
        track = song().view.selected_track
        index = base.index_of(track.devices, track.view.selected_device)
        if index < 0:
            raise HandlerError("No device is selected")
        return (selected_track(), index)

    def set_track(request, args):
        index = base.to_int(base.arg(args, 0, "track index"), "track index")
        song().view.selected_track = base.track_at(song(), index)

    def set_scene(request, args):
        index = base.to_int(base.arg(args, 0, "scene index"), "scene index")
        song().view.selected_scene = base.scene_at(song(), index)

    def set_clip(request, args):
        set_track(request, args[:1])
        set_scene(request, args[1:2])

    def set_device(request, args):
        track_index = base.to_int(base.arg(args, 0, "track index"), "track index")
        device_index = base.to_int(base.arg(args, 1, "device index"), "device index")
        song().view.select_device(base.device_at(song(), track_index, device_index))

    for name, get, put in (("selected_track", get_track, set_track),
                           ("selected_scene", get_scene, set_scene),
                           ("selected_clip", get_clip, set_clip),
                           ("selected_device", get_device, set_device)):
        dispatcher.add("/live/view/get/%s" % name, get)
        dispatcher.add("/live/view/set/%s" % name, put)

    for name, read in (("selected_track", selected_track), ("selected_scene", selected_scene)):
        def start(request, args, name=name, read=read):
            def value():
                try:
                    return read()
                except HandlerError:
                    return -1

            script.listens.start(song().view, name, (), request.sender,
                                 "/live/view/get/%s" % name, value, request.send)

        def stop(request, args, name=name):
            script.listens.stop("/live/view/get/%s" % name, (), request.sender)

        dispatcher.add("/live/view/start_listen/%s" % name, start)
        dispatcher.add("/live/view/stop_listen/%s" % name, stop)
