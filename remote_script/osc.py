"""OSC 1.0 codec: messages and (nested) bundles, no dependencies.

Types written: int32 ``i`` (int64 ``h`` when a value does not fit), float32 ``f``, string ``s``,
blob ``b``, ``T``/``F`` for booleans and ``N`` for None. Types read: those plus ``d`` (float64),
``S`` (symbol, read as a string), ``I`` (impulse, read as None), ``c`` (char) and ``t`` (time tag,
read as an int). Anything malformed raises :class:`OSCError` (a ValueError) and never anything else,
so a caller can reject garbage with one ``except``.
"""

import struct

BUNDLE_TAG = b"#bundle\x00"
IMMEDIATELY = 1  # the OSC time tag meaning "now"
MAX_BUNDLE_DEPTH = 8

_INT32 = struct.Struct(">i")
_INT64 = struct.Struct(">q")
_UINT64 = struct.Struct(">Q")
_FLOAT32 = struct.Struct(">f")
_FLOAT64 = struct.Struct(">d")


class OSCError(ValueError):
    """A packet that is not valid OSC, or a value OSC cannot carry."""


class Message(object):
    __slots__ = ("address", "args")

    def __init__(self, address, args=()):
        self.address = address
        self.args = tuple(args)

    def __eq__(self, other):
        return (
            isinstance(other, Message)
            and self.address == other.address
            and self.args == other.args
        )

    def __ne__(self, other):
        return not self == other

    def __repr__(self):
        return "Message(%r, %r)" % (self.address, self.args)


class Bundle(object):
    __slots__ = ("elements", "timetag")

    def __init__(self, elements=(), timetag=IMMEDIATELY):
        self.timetag = timetag
        self.elements = tuple(elements)

    def __eq__(self, other):
        return (
            isinstance(other, Bundle)
            and self.timetag == other.timetag
            and self.elements == other.elements
        )

    def __ne__(self, other):
        return not self == other

    def __repr__(self):
        return "Bundle(%r, timetag=%r)" % (self.elements, self.timetag)


# -- encoding ----------------------------------------------------------------------------------


def _pad(data):
    return data + b"\x00" * (-len(data) % 4)


def encode_string(text):
    if not isinstance(text, str):
        raise OSCError("expected a string, got %s" % type(text).__name__)
    data = text.encode("utf-8")
    if b"\x00" in data:
        raise OSCError("OSC strings cannot contain NUL characters")
    return data + b"\x00" * (4 - len(data) % 4)  # at least one NUL, then padding


def encode_blob(data):
    data = bytes(data)
    return _INT32.pack(len(data)) + _pad(data)


def _encode_arg(value):
    """(type tag, bytes) for one argument."""
    if value is True:
        return "T", b""
    if value is False:
        return "F", b""
    if value is None:
        return "N", b""
    if isinstance(value, int):
        if -0x80000000 <= value <= 0x7FFFFFFF:
            return "i", _INT32.pack(value)
        if -0x8000000000000000 <= value <= 0x7FFFFFFFFFFFFFFF:
            return "h", _INT64.pack(value)
        raise OSCError("integer too large for OSC: %r" % (value,))
    if isinstance(value, float):
        try:
            return "f", _FLOAT32.pack(value)
        except (OverflowError, struct.error):
            return "d", _FLOAT64.pack(value)
    if isinstance(value, str):
        return "s", encode_string(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return "b", encode_blob(value)
    raise OSCError("OSC cannot carry a %s" % type(value).__name__)


def encode_message(address, args=()):
    if not isinstance(address, str) or not address.startswith("/"):
        raise OSCError("an OSC address starts with '/': %r" % (address,))
    tags = [","]
    body = []
    for value in args:
        tag, data = _encode_arg(value)
        tags.append(tag)
        body.append(data)
    return encode_string(address) + encode_string("".join(tags)) + b"".join(body)


def encode_bundle(elements, timetag=IMMEDIATELY):
    """Elements are Message, Bundle, (address, args) pairs or already encoded packets."""
    parts = [BUNDLE_TAG, _UINT64.pack(timetag)]
    for element in elements:
        data = encode(element)
        parts.append(_INT32.pack(len(data)))
        parts.append(data)
    return b"".join(parts)


def encode(packet):
    if isinstance(packet, (bytes, bytearray)):
        return bytes(packet)
    if isinstance(packet, Message):
        return encode_message(packet.address, packet.args)
    if isinstance(packet, Bundle):
        return encode_bundle(packet.elements, packet.timetag)
    if isinstance(packet, tuple) and len(packet) == 2:
        return encode_message(packet[0], packet[1])
    raise OSCError("not an OSC packet: %r" % (packet,))


# -- decoding ----------------------------------------------------------------------------------


def _read_string(data, offset):
    end = data.find(b"\x00", offset)
    if end < 0:
        raise OSCError("unterminated string at byte %d" % offset)
    try:
        text = data[offset:end].decode("utf-8")
    except UnicodeDecodeError:
        raise OSCError("string at byte %d is not UTF-8" % offset) from None
    following = end + 1 + (-(end + 1) % 4)
    if following > len(data):
        raise OSCError("string at byte %d is not padded" % offset)
    return text, following


def _read(fmt, data, offset, what):
    end = offset + fmt.size
    if end > len(data):
        raise OSCError("truncated %s at byte %d" % (what, offset))
    return fmt.unpack_from(data, offset)[0], end


def _read_blob(data, offset):
    size, offset = _read(_INT32, data, offset, "blob size")
    if size < 0:
        raise OSCError("negative blob size")
    end = offset + size
    following = end + (-size % 4)
    if following > len(data):
        raise OSCError("truncated blob at byte %d" % offset)
    return bytes(data[offset:end]), following


def decode_message(data):
    data = bytes(data)
    if not data.startswith(b"/"):
        raise OSCError("an OSC message starts with '/'")
    address, offset = _read_string(data, 0)
    if offset == len(data):
        return Message(address, ())  # old-style message without a type tag string
    tags, offset = _read_string(data, offset)
    if not tags.startswith(","):
        raise OSCError("missing type tag string")
    args = []
    for tag in tags[1:]:
        if tag == "i":
            value, offset = _read(_INT32, data, offset, "int32")
        elif tag == "f":
            value, offset = _read(_FLOAT32, data, offset, "float32")
        elif tag == "s" or tag == "S":
            value, offset = _read_string(data, offset)
        elif tag == "b":
            value, offset = _read_blob(data, offset)
        elif tag == "T":
            value = True
        elif tag == "F":
            value = False
        elif tag == "N" or tag == "I":
            value = None
        elif tag == "h":
            value, offset = _read(_INT64, data, offset, "int64")
        elif tag == "d":
            value, offset = _read(_FLOAT64, data, offset, "float64")
        elif tag == "t":
            value, offset = _read(_UINT64, data, offset, "time tag")
        elif tag == "c":
            code, offset = _read(_INT32, data, offset, "char")
            try:
                value = chr(code)
            except (ValueError, OverflowError):
                raise OSCError("invalid char %r" % code) from None
        else:
            raise OSCError("unsupported OSC type tag %r" % tag)
        args.append(value)
    if offset != len(data):
        raise OSCError("%d unexpected bytes after the arguments" % (len(data) - offset))
    return Message(address, args)


def decode_bundle(data, depth=0):
    data = bytes(data)
    if depth >= MAX_BUNDLE_DEPTH:
        raise OSCError("bundles nested too deeply")
    if not data.startswith(BUNDLE_TAG):
        raise OSCError("not a bundle")
    timetag, offset = _read(_UINT64, data, len(BUNDLE_TAG), "time tag")
    elements = []
    while offset < len(data):
        size, offset = _read(_INT32, data, offset, "element size")
        if size <= 0 or size % 4 or offset + size > len(data):
            raise OSCError("bad bundle element size %d at byte %d" % (size, offset - 4))
        elements.append(decode(data[offset:offset + size], depth + 1))
        offset += size
    return Bundle(elements, timetag)


def decode(data, depth=0):
    """A Message or a Bundle from one datagram; OSCError when it is not valid OSC."""
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise OSCError("expected bytes")
    data = bytes(data)
    if not data:
        raise OSCError("empty packet")
    if len(data) % 4:
        raise OSCError("packet size %d is not a multiple of 4" % len(data))
    if data.startswith(b"#"):
        return decode_bundle(data, depth)
    return decode_message(data)


def iter_messages(packet):
    """Every message of a packet, bundles flattened in order."""
    if isinstance(packet, Message):
        yield packet
    else:
        for element in packet.elements:
            yield from iter_messages(element)
