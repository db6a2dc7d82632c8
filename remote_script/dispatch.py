"""Address → handler, AbletonOSC style.

A handler is ``handler(request, args)``. Returning a tuple/list replies on the request's own
address with those values (what AbletonOSC does for getters); returning None sends nothing.
Errors become ``/live/error "<text>"`` replies (one string, as AbletonOSC sends them). ``*`` in
an incoming address matches one path segment (``/live/song/get/*`` runs every song getter).

``request.sender`` is where replies go (and the key listeners are kept under); ``request.send``
sends through the endpoint the request came in on.
"""

import re

from .protocol import ERROR


class HandlerError(Exception):
    """A request that cannot be served (bad index, bad value); the text goes to /live/error."""


class Request(object):
    __slots__ = ("_send", "address", "sender")

    def __init__(self, address, sender, send):
        self.address = address
        self.sender = sender
        self._send = send

    def reply(self, args, address=None):
        self._send(self.sender, address or self.address, tuple(args))

    def send(self, target, address, args=()):
        return self._send(target, address, tuple(args))


class Dispatcher(object):
    def __init__(self, log=None):
        self._routes = {}
        self._log = log or (lambda message: None)
        self.errors = 0

    def add(self, address, handler):
        self._routes[address] = handler

    def addresses(self):
        return sorted(self._routes)

    def _matching(self, address):
        if "*" not in address:
            handler = self._routes.get(address)
            return [(address, handler)] if handler else []
        pattern = re.compile("^" + re.escape(address).replace("\\*", "[^/]*") + "$")
        return [(route, self._routes[route]) for route in sorted(self._routes)
                if pattern.match(route)]

    def dispatch(self, message, sender, send):
        """Run the handlers for one message; never raises."""
        matches = self._matching(message.address)
        if not matches:
            send(sender, ERROR, ("Unknown OSC address: %s" % message.address,))
            return 0
        wildcard = "*" in message.address
        for address, handler in matches:
            request = Request(address, sender, send)
            try:
                result = handler(request, message.args)
            except Exception as error:  # a handler bug must never reach Live
                self.errors += 1
                if wildcard:
                    continue  # a getter that needs indices: skip it, as AbletonOSC does
                reason = str(error) if isinstance(error, HandlerError) else "%s: %s" % (
                    type(error).__name__, error)
                send(sender, ERROR, ("Error handling OSC message: %s" % reason,))
                if not isinstance(error, HandlerError):
                    self._log("MusiaIA: %s raised %s: %s" % (address, type(error).__name__,
                                                             error))
                continue
            if result is not None:
                request.reply(result)
        return len(matches)
