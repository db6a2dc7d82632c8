"""OSC handlers, one module per Live object, registered on a Dispatcher by ``register_all``."""

from . import application, clip, clip_slot, musiaia, song, track


def register_all(dispatcher, script):
    for module in (application, song, track, clip_slot, clip, musiaia):
        module.register(dispatcher, script)
