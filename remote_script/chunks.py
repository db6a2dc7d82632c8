"""Reassembly of chunked payloads: any order, duplicates welcome, each chunk acknowledged.

A chunk carries everything needed to check it (request id, index, count, total size, CRC-32 of
the whole payload, encoding), so there is no separate "begin" message to lose.
"""

from . import protocol


class ChunkError(ValueError):
    pass


class Assembly(object):
    __slots__ = (
        "count",
        "crc",
        "encoding",
        "parts",
        "request_id",
        "sender",
        "size",
        "total",
        "updated",
    )

    def __init__(self, request_id, count, total, crc, encoding, sender, now):
        self.request_id = request_id
        self.count = count
        self.total = total
        self.crc = crc
        self.encoding = encoding
        self.parts = {}
        self.size = 0
        self.sender = sender
        self.updated = now

    @property
    def complete(self):
        return len(self.parts) == self.count

    def payload(self):
        data = b"".join(self.parts[i] for i in range(self.count))
        if len(data) != self.total:
            raise ChunkError("payload is %d bytes, expected %d" % (len(data), self.total))
        if protocol.crc_hex(data) != self.crc:
            raise ChunkError("payload checksum mismatch")
        return data


class ChunkAssembler(object):
    def __init__(self, clock, expiry_seconds=30.0, max_pending=8):
        self._clock = clock
        self._expiry = expiry_seconds
        self._max_pending = max_pending
        self._pending = {}

    def add(self, request_id, index, count, total, crc, encoding, data, sender):
        """Store one chunk; returns the Assembly (check ``.complete``). Raises ChunkError."""
        if not request_id or len(request_id) > 64:
            raise ChunkError("bad request id")
        if not 0 < count <= protocol.MAX_CHUNKS:
            raise ChunkError("bad chunk count %r" % (count,))
        if not 0 <= index < count:
            raise ChunkError("chunk index %r out of range" % (index,))
        if not 0 < total <= protocol.MAX_PAYLOAD_BYTES:
            raise ChunkError("bad payload size %r" % (total,))
        if len(data) > protocol.CHUNK_BYTES * 2:
            raise ChunkError("chunk too large")
        now = self._clock()
        assembly = self._pending.get(request_id)
        if assembly is None:
            if len(self._pending) >= self._max_pending:
                raise ChunkError("too many transfers at once")
            assembly = Assembly(request_id, count, total, crc, encoding, sender, now)
            self._pending[request_id] = assembly
        elif (assembly.count, assembly.total, assembly.crc, assembly.encoding) != (
                count, total, crc, encoding):
            raise ChunkError("chunk does not match the rest of request %s" % request_id)
        assembly.updated = now
        assembly.sender = sender
        if index not in assembly.parts:
            if assembly.size + len(data) > total:
                raise ChunkError("chunks larger than the announced payload")
            assembly.parts[index] = bytes(data)
            assembly.size += len(data)
        return assembly

    def get(self, request_id):
        return self._pending.get(request_id)

    def pop(self, request_id):
        return self._pending.pop(request_id, None)

    def expire(self):
        """Assemblies that got no chunk for too long (removed and returned)."""
        now = self._clock()
        gone = [a for a in self._pending.values() if now - a.updated > self._expiry]
        for assembly in gone:
            del self._pending[assembly.request_id]
        return gone

    def __len__(self):
        return len(self._pending)
