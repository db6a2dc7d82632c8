"""Settings of the script: defaults, then ``config.json`` next to the script, then environment.

``config.json`` (optional, written by hand or by install.py) may hold any of::

    {"host": "127.0.0.1", "script_port": 11010, "companion_port": 11011,
     "link_secret": "<64 hex digits, written by install.py>",
     "abletonosc": "auto", "abletonosc_port": 11000, "abletonosc_reply_port": 11001,
     "trigger": {"kind": "note", "channel": 15, "number": 60}, "tick_budget_ms": 2}

``abletonosc``: "auto" serves AbletonOSC's address space on its ports when AbletonOSC itself is not
installed next to this script, "on" always, "off" never. Environment variables (MUSIAIA_SCRIPT_HOST,
MUSIAIA_SCRIPT_PORT, MUSIAIA_COMPANION_PORT, MUSIAIA_LINK_SECRET, MUSIAIA_ABLETONOSC…) win over the
file (handy for tests and for running two Lives). Bad values are ignored with a log line.
"""

import json
import os

from . import protocol

DEFAULTS = {
    "host": protocol.DEFAULT_HOST,
    "script_port": protocol.DEFAULT_SCRIPT_PORT,
    "companion_port": protocol.DEFAULT_COMPANION_PORT,
    "link_secret": "",  # hex; without it the script refuses every companion (see link.py)
    "abletonosc": "auto",
    "abletonosc_port": protocol.ABLETONOSC_PORT,
    "abletonosc_reply_port": protocol.ABLETONOSC_REPLY_PORT,
    # The generate trigger: note 60 (C3 in Live) on MIDI channel 16 (0-based 15) and CC 119 on
    # the same channel, on the MIDI input chosen for the MusiaIA control surface.
    "trigger_note": 60,
    "trigger_note_channel": 15,
    "trigger_cc": 119,
    "trigger_cc_channel": 15,
    "tick_budget_ms": 2.0,  # time planning/building may take per tick before yielding to Live
    "max_packets_per_tick": 64,
    "debounce_ticks": 1,  # quiet ticks before a state push
    "max_push_delay_ticks": 5,  # a stream of changes still pushes at least this often
    "song_time_every_ticks": 5,  # song time pushes while playing (~0.5 s)
    "client_expiry_seconds": 120.0,
    "takeover_seconds": 10.0,  # a paired companion silent this long may be replaced
    "assembly_expiry_seconds": 30.0,
}

_ENV = {
    "MUSIAIA_SCRIPT_HOST": ("host", str),
    "MUSIAIA_SCRIPT_PORT": ("script_port", int),
    "MUSIAIA_COMPANION_PORT": ("companion_port", int),
    "MUSIAIA_LINK_SECRET": ("link_secret", str),
    "MUSIAIA_ABLETONOSC": ("abletonosc", str),
    "MUSIAIA_ABLETONOSC_PORT": ("abletonosc_port", int),
    "MUSIAIA_ABLETONOSC_REPLY_PORT": ("abletonosc_reply_port", int),
}


def _valid_port(value):
    return isinstance(value, int) and 0 <= value <= 65535


def load_config(folder=None, environ=None, log=None):
    config = dict(DEFAULTS)
    folder = folder or os.path.dirname(os.path.abspath(__file__))
    path = os.path.join(folder, "config.json")
    if os.path.exists(path):
        try:
            with open(path) as handle:
                data = json.load(handle)
            if not isinstance(data, dict):
                raise ValueError("config.json must hold an object")
            trigger = data.pop("trigger", None)
            if isinstance(trigger, dict):
                kind = trigger.get("kind", "note")
                if kind in ("note", "cc"):
                    config["trigger_" + kind] = int(trigger.get("number"))
                    config["trigger_%s_channel" % kind] = int(trigger.get("channel", 15))
            for key, value in data.items():
                default = DEFAULTS.get(key)
                if default is None or isinstance(value, bool):
                    continue
                if isinstance(default, float) and isinstance(value, (int, float)):
                    config[key] = float(value)
                elif type(value) is type(default):
                    config[key] = value
        except (OSError, ValueError, TypeError) as error:
            if log:
                log("MusiaIA: ignoring config.json (%s)" % error)
    environ = os.environ if environ is None else environ
    for name, (key, kind) in _ENV.items():
        if environ.get(name):
            try:
                config[key] = kind(environ[name])
            except ValueError:
                if log:
                    log("MusiaIA: ignoring %s=%r" % (name, environ[name]))
    for key in ("script_port", "companion_port", "abletonosc_port", "abletonosc_reply_port"):
        if not _valid_port(config[key]):
            config[key] = DEFAULTS[key]
    if config["abletonosc"] not in ("auto", "on", "off"):
        if log:
            log("MusiaIA: abletonosc must be auto, on or off; using auto")
        config["abletonosc"] = "auto"
    return config


def abletonosc_installed(folder=None):
    """Whether AbletonOSC sits next to this script in the Remote Scripts folder (then it owns
    ports 11000/11001 and the compatible mode stays off in "auto")."""
    folder = folder or os.path.dirname(os.path.abspath(__file__))
    parent = os.path.dirname(folder)
    try:
        names = os.listdir(parent)
    except OSError:
        return False
    for name in names:
        if name.lower().startswith("abletonosc") and os.path.isfile(
                os.path.join(parent, name, "abletonosc", "osc_server.py")):
            return True
    return False
