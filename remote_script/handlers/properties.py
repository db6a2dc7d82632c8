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
    if kind == "auto":
        return base.out(value)
    if kind == "float":
        return float(value)
    if kind == "int":
        return int(value)
    if kind == "bool":
        return bool(value)
    return "" if value is None else str(value)


def _convert(kind, target, prop, value):
    if kind == "auto":
        return base.like(getattr(target, prop), value, prop)
    return CONVERT[kind](value, prop)


def register_properties(dispatcher, script, obj, table, resolve, writable=None,
                        unobservable=(), alias=None):
    """Register /live/<obj>/{get,set,start_listen,stop_listen}/<prop> for each (prop, kind).

    ``resolve(args)`` returns ``(indices, target, rest)``: the leading index arguments, the Live
    object they name and the remaining arguments. Properties in ``unobservable`` have no
    listener in Live: their start_listen answers with an error saying so. ``alias`` names the
    addresses when the property lives on another object (a track's ``volume`` is the ``value``
    of its mixer's volume parameter).
    """
    writable = set(p for p, _kind in table) if writable is None else set(writable)
    for prop, kind in table:
        name = alias or prop
        get_address = "/live/%s/get/%s" % (obj, name)

        def getter(request, args, prop=prop, kind=kind):
            indices, target, _rest = resolve(args)
            return tuple(indices) + (_out(kind, getattr(target, prop)),)

        def setter(request, args, prop=prop, kind=kind):
            indices, target, rest = resolve(args)
            if not rest:
                raise HandlerError("Missing value for %s" % prop)
            setattr(target, prop, _convert(kind, target, prop, rest[0]))
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
            dispatcher.add("/live/%s/set/%s" % (obj, name), setter)
        dispatcher.add("/live/%s/start_listen/%s" % (obj, name), start_listen)
        dispatcher.add("/live/%s/stop_listen/%s" % (obj, name), stop_listen)


def auto(names):
    """A property table of ``names`` whose values keep the types Live gives them."""
    return tuple((name, "auto") for name in names)


def register_methods(dispatcher, obj, methods, resolve):
    """/live/<obj>/<method> for each (method, argument converters): Live's method called with
    the converted arguments that follow the object's indices; nothing is replied."""
    for method, converters in methods:
        def call(request, args, method=method, converters=converters):
            _indices, target, rest = resolve(args)
            values = [convert(value, method) for convert, value in zip(converters, rest)]
            getattr(target, method)(*values)
            return None

        dispatcher.add("/live/%s/%s" % (obj, method), call)


def register_listing(dispatcher, obj, name, resolve, read):
    """/live/<obj>/get/<name>: the object's indices, then ``read(target)``'s values."""
    def listing(request, args):
        indices, target, _rest = resolve(args)
        return tuple(indices) + tuple(base.out(v) for v in read(target))

    dispatcher.add("/live/%s/get/%s" % (obj, name), listing)
