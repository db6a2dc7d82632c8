"""get / set / start_listen / stop_listen handlers for a table of Live properties."""

from ..dispatch import HandlerError
from . import base

CONVERT = {
    "float": base.to_float,
    "int": base.to_int,
    "bool": base.to_bool,
    "str": base.to_str,
}


def _out(kind, value):
    if kind == "float":
        return float(value)
    if kind == "int":
        return int(value)
    if kind == "bool":
        return bool(value)
    return "" if value is None else str(value)


def register_properties(dispatcher, script, obj, table, resolve, writable=None,
                        unobservable=()):
    """Register /live/<obj>/{get,set,start_listen,stop_listen}/<prop> for each (prop, kind).

    ``resolve(args)`` returns ``(indices, target, rest)``: the leading index arguments, the Live
    object they name and the remaining arguments. Properties in ``unobservable`` have no
    listener in Live: their start_listen answers with an error saying so.
    """
    writable = set(p for p, _kind in table) if writable is None else set(writable)
    for prop, kind in table:
        get_address = "/live/%s/get/%s" % (obj, prop)

        def getter(request, args, prop=prop, kind=kind):
            indices, target, _rest = resolve(args)
            return tuple(indices) + (_out(kind, getattr(target, prop)),)

        def setter(request, args, prop=prop, kind=kind):
            indices, target, rest = resolve(args)
            if not rest:
                raise HandlerError("Missing value for %s" % prop)
            setattr(target, prop, CONVERT[kind](rest[0], prop))
            return None

        def start_listen(request, args, prop=prop, kind=kind, get_address=get_address):
            if prop in unobservable:
                raise HandlerError("%s.%s cannot be listened to: Live has no listener for it"
                                   % (obj, prop))
            indices, target, _rest = resolve(args)
            script.listens.start(
                target, prop, indices, request.sender, get_address,
                lambda target=target, prop=prop, kind=kind: _out(kind, getattr(target, prop)),
                request.send)
            return None

        def stop_listen(request, args, get_address=get_address):
            indices, _target, _rest = resolve(args)
            script.listens.stop(get_address, indices, request.sender)
            return None

        dispatcher.add(get_address, getter)
        if prop in writable:
            dispatcher.add("/live/%s/set/%s" % (obj, prop), setter)
        dispatcher.add("/live/%s/start_listen/%s" % (obj, prop), start_listen)
        dispatcher.add("/live/%s/stop_listen/%s" % (obj, prop), stop_listen)
