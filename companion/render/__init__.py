"""The offline render: an arrangement played the way Live would play it, into stereo audio.

Notes go through the same samples and instrument settings the set holds (Simpler, Drum Rack pads,
multi-sampled key zones), audio loops are warped to the song's tempo, and every channel passes its
effects, fader, pan and sends before the returns and the Main bus. Effects are approximated with
Spotify's ``pedalboard`` (plus scipy filters); both come with the ``render`` extra, which
install.py installs by default. Without them the rest of MusiaIA works and :func:`available` says
so (the panel keeps its Web Audio preview).

Importing this package is cheap: numpy and the DSP libraries load on first use of :func:`render`.
"""

from __future__ import annotations

from importlib.util import find_spec
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from companion.render.engine import RenderResult, render

REQUIRED_MODULES = ("numpy", "soundfile", "scipy", "pedalboard")
INSTALL_HINT = "install the render extra: pip install 'musiaia[render]' (install.py does it)"

__all__ = ["INSTALL_HINT", "RenderError", "RenderResult", "available", "missing", "render"]


class RenderError(Exception):
    """A render that cannot be made: the message says why, for the user."""


def missing() -> list[str]:
    """The libraries the render needs that are not installed."""
    return [name for name in REQUIRED_MODULES if find_spec(name) is None]


def available() -> bool:
    return not missing()


def __getattr__(name: str) -> Any:
    if name in ("render", "RenderResult"):
        from companion.render import engine

        return getattr(engine, name)
    raise AttributeError(name)
