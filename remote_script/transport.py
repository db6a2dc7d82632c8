"""One non-blocking UDP socket, drained from Live's tick; OSC in, OSC out, never raises.

The surface decides where replies go (the sender's address on the link port, the sender's host
and AbletonOSC's reply port in the AbletonOSC-compatible mode) and what to do with packets that
are not OSC (``on_malformed``).
"""

import errno
import socket

from . import osc

RECV_BYTES = 65536
_WOULD_BLOCK = (errno.EAGAIN, errno.EWOULDBLOCK)
# Windows reports an ICMP "port unreachable" from an earlier send as an error on recvfrom.
_CONNECTION_RESET = (errno.ECONNRESET, 10054, getattr(errno, "ECONNREFUSED", 111))


class Transport(object):
    def __init__(self, host, port, log=None):
        self.host = host
        self.port = port
        self._log = log or (lambda message: None)
        self._socket = None
        self.sent = 0
        self.received = 0
        self.malformed = 0
        self.send_errors = 0

    @property
    def is_open(self):
        return self._socket is not None

    @property
    def address(self):
        """The bound (host, port); the port is the real one when 0 was asked for."""
        if self._socket is None:
            return None
        return self._socket.getsockname()[:2]

    def open(self):
        """Bind; raises OSError (e.g. the port is taken) and leaves the transport closed."""
        self.close()
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            sock.setblocking(False)
            sock.bind((self.host, self.port))
        except Exception:
            sock.close()
            raise
        self._socket = sock

    def close(self):
        if self._socket is not None:
            try:
                self._socket.close()
            finally:
                self._socket = None

    def _receive(self):
        """(data, sender) or None when nothing is waiting."""
        while self._socket is not None:
            try:
                return self._socket.recvfrom(RECV_BYTES)
            except OSError as error:
                code = getattr(error, "errno", None)
                if code in _WOULD_BLOCK:
                    return None
                if code in _CONNECTION_RESET:
                    continue
                self._log("MusiaIA: receive failed: %s" % error)
                return None
        return None

    def poll(self, on_message, max_packets=64, on_malformed=None):
        """Hand every message waiting (bundles flattened) to ``on_message(message, sender)``;
        ``on_malformed(sender, error)`` for datagrams that are not OSC.

        Returns the number of datagrams read; at most ``max_packets`` so one tick stays short.
        """
        count = 0
        while count < max_packets:
            item = self._receive()
            if item is None:
                break
            data, sender = item
            count += 1
            self.received += 1
            try:
                packet = osc.decode(data)
            except osc.OSCError as error:
                self.malformed += 1
                if on_malformed is not None:
                    on_malformed(sender, error)
                continue
            for message in osc.iter_messages(packet):
                on_message(message, sender)
        return count

    def send(self, target, address, args=()):
        """Send one message; False (and a log line) when it could not be sent."""
        try:
            data = osc.encode_message(address, args)
        except osc.OSCError as error:
            self._log("MusiaIA: cannot encode %s: %s" % (address, error))
            return False
        return self.send_raw(target, data)

    def send_raw(self, target, data):
        if self._socket is None or target is None:
            return False
        try:
            self._socket.sendto(data, target)
        except OSError as error:
            code = getattr(error, "errno", None)
            self.send_errors += 1
            if code not in _WOULD_BLOCK and code not in _CONNECTION_RESET:
                self._log("MusiaIA: send to %s:%s failed: %s" % (target[0], target[1], error))
            return False
        self.sent += 1
        return True
