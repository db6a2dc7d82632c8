"""Argument coercion, object lookup and AbletonOSC-style listeners shared by the handlers.

Numbers may arrive as int or float (TouchOSC sends floats, consoles send ints) and booleans as
T/F or 0/1; everything is coerced here so handlers see the types Live wants.
"""

from ..dispatch import HandlerError


def arg(args, index, name):
    if index >= len(args):
        raise HandlerError("Missing argument: %s" % name)
    return args[index]


def to_int(value, name="value"):
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value == value and abs(value) < 2 ** 53:
        return int(round(value))
    if isinstance(value, str):
        try:
            return int(float(value))
        except ValueError:
            pass
    raise HandlerError("%s must be a number, got %r" % (name, value))


def to_float(value, name="value"):
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            pass
    raise HandlerError("%s must be a number, got %r" % (name, value))


def to_bool(value, name="value"):
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return value != 0
    if isinstance(value, str) and value.lower() in ("true", "false", "1", "0", "on", "off"):
        return value.lower() in ("true", "1", "on")
    raise HandlerError("%s must be a boolean, got %r" % (name, value))


def to_str(value, name="value"):
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    raise HandlerError("%s must be a string, got %r" % (name, value))


def like(current, value, name="value"):
    """``value`` coerced to the type Live holds for this property now (a bool stays a bool, an
    int an int…): what a client sends is rarely the exact OSC type Live wants."""
    if isinstance(current, bool):
        return to_bool(value, name)
    if isinstance(current, int):
        return to_int(value, name)
    if isinstance(current, float):
        return to_float(value, name)
    if isinstance(current, str):
        return to_str(value, name)
    return value


def out(value):
    """A Live value as OSC carries it: bool, int, float, str or None (Live's enums are ints)."""
    if value is None or isinstance(value, (bool, str, bytes)):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    try:
        return float(value)
    except (TypeError, ValueError):
        return str(value)


def item_at(items, index):
    """``items[index]`` with Live's own message for a bad index (what AbletonOSC clients see)."""
    if not 0 <= index < len(items):
        raise HandlerError("Index out of range")
    return items[index]


def track_at(song, index):
    return item_at(song.tracks, index)


def scene_at(song, index):
    return item_at(song.scenes, index)


def clip_slot_at(song, track_index, slot_index):
    return item_at(track_at(song, track_index).clip_slots, slot_index)


def device_at(song, track_index, device_index):
    return item_at(track_at(song, track_index).devices, device_index)


def index_of(items, wanted):
    for index, item in enumerate(items):
        if item == wanted:
            return index
    return -1


def clip_at(song, track_index, slot_index):
    slot = clip_slot_at(song, track_index, slot_index)
    if not slot.has_clip:
        raise HandlerError("No clip in slot %d of track %d" % (slot_index, track_index))
    return slot.clip


def _same(old, new):
    """Whether two Live objects are one (a deleted one is never the same as a live one)."""
    try:
        return old is new or (old == new and not old == None)  # noqa: E711 - Live's idiom
    except Exception:
        return False


def _rebound(_old_read, new_read):
    return new_read


SKIP = object()  # a listener's read() returning this sends nothing this time


class ListenRegistry(object):
    """AbletonOSC's start_listen/stop_listen: one Live listener per (object, property), shared by
    every client listening to it; changes are coalesced and sent on the next tick (never from
    inside Live's notification) to ``/live/<object>/get/<property>``."""

    def __init__(self, send, log=None):
        self._send = send
        self._log = log or (lambda message: None)
        self._entries = {}  # (address, indices) -> entry

    def start(self, target, prop, indices, client, address, read, send=None, initial=True):
        """Listen to ``prop`` of ``target`` for ``client`` (replies through ``send``, default the
        registry's). A listener kept for the same address and indices on another object (the
        clip was deleted and a new one made in its slot) is dropped first, never reused."""
        key = (address, tuple(indices))
        entry = self._entries.get(key)
        if entry is not None and not _same(entry["target"], target):
            clients = entry["clients"]
            self._detach(key)
            entry = None
        else:
            clients = None
        if entry is None:
            entry = {"target": target, "prop": prop, "clients": {}, "dirty": False}

            def changed(entry=entry):
                entry["dirty"] = True  # only a flag: no Live writes, no sends in a listener

            entry["callback"] = changed
            adder = getattr(target, "add_%s_listener" % prop, None)
            if adder is None:
                raise HandlerError("%s cannot be listened to" % prop)
            adder(changed)
            self._entries[key] = entry
            for other, (other_read, other_send) in (clients or {}).items():
                if other != client:  # other listeners follow the slot's new object too
                    entry["clients"][other] = (_rebound(other_read, read), other_send)
        entry["clients"][client] = (read, send or self._send)
        value = read()
        if initial and value is not SKIP:
            (send or self._send)(client, address, tuple(indices) + (value,))

    def stop(self, address, indices, client):
        key = (address, tuple(indices))
        entry = self._entries.get(key)
        if entry is None or client not in entry["clients"]:
            return False
        del entry["clients"][client]
        if not entry["clients"]:
            self._detach(key)
        return True

    def _detach(self, key):
        entry = self._entries.pop(key, None)
        if entry is None:
            return
        try:
            remover = getattr(entry["target"], "remove_%s_listener" % entry["prop"])
            has = getattr(entry["target"], "%s_has_listener" % entry["prop"], None)
            if has is None or has(entry["callback"]):
                remover(entry["callback"])
        except Exception:
            pass  # the object was deleted: Live dropped the listener already

    def flush(self):
        for key, entry in list(self._entries.items()):
            if not entry["dirty"]:
                continue
            entry["dirty"] = False
            address, indices = key
            for client, (read, send) in list(entry["clients"].items()):
                try:
                    value = read()
                except Exception:
                    self._detach(key)  # the object is gone
                    break
                if value is not SKIP:
                    send(client, address, indices + (value,))

    def forget_client(self, client):
        for key, entry in list(self._entries.items()):
            if entry["clients"].pop(client, None) is not None and not entry["clients"]:
                self._detach(key)

    def clear(self):
        for key in list(self._entries):
            self._detach(key)

    def __len__(self):
        return len(self._entries)
