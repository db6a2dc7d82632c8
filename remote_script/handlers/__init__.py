"""OSC handlers, one module per Live object, registered on a Dispatcher by ``register_all``."""

from . import application, clip, clip_slot, device, scene, song, track, view
from . import musiaia as musiaia_handlers

LIVE_MODULES = (application, song, track, clip_slot, clip, scene, device, view)


def register_all(dispatcher, script, musiaia=True):
    """The ``/live/…`` handlers, and with ``musiaia`` the ``/musiaia/…`` ones (never on the open
    AbletonOSC-compatible endpoint)."""
    for module in LIVE_MODULES:
        module.register(dispatcher, script)
    if musiaia:
        musiaia_handlers.register(dispatcher, script)
