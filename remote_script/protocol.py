"""The MusiaIA side of the wire: addresses, versions and payload shapes.

companion/live/protocol.py holds the same constants for the companion; a test checks both agree.
See PROTOCOL.md for the whole address space.
"""

import binascii
import json
import os

try:
    import zlib
except ImportError:  # pragma: no cover - every CPython build Live ships has zlib
    zlib = None

PROTOCOL_VERSION = 2  # 2: the locked link (hello → challenge → auth)
SCRIPT_VERSION = "0.1.0"

DEFAULT_HOST = "127.0.0.1"
DEFAULT_SCRIPT_PORT = 11010  # the script listens here (AbletonOSC uses 11000/11001)
DEFAULT_COMPANION_PORT = 11011  # the companion listens here
ABLETONOSC_PORT = 11000  # the AbletonOSC-compatible mode listens here…
ABLETONOSC_REPLY_PORT = 11001  # …and answers to this port of the sender's host

# Biggest blob per chunk: a chunk datagram stays under macOS' default 9216-byte UDP limit.
CHUNK_BYTES = 7000
MAX_PAYLOAD_BYTES = 8 * 1024 * 1024  # decoded JSON
MAX_CHUNKS = 2048
MAX_PATH_CHARS = 4096

ENCODING_JSON = "json"
ENCODING_ZLIB_JSON = "zlib+json"

HELLO = "/musiaia/hello"  # companion → script; answered on CHALLENGE
HELLO_REPLY = "/musiaia/hello/reply"  # the companion is paired
CHALLENGE = "/musiaia/challenge"  # script → companion: its proof and a nonce to sign
AUTH = "/musiaia/auth"  # companion → script: its proof
REFUSED = "/musiaia/refused"  # script → a peer it will not serve, with the reason
STARTUP = "/musiaia/startup"  # script → companion when it comes up (same args as HELLO_REPLY)
BYE = "/musiaia/bye"  # both ways: the sender goes away
PING = "/musiaia/ping"
PONG = "/musiaia/pong"
STATE = "/musiaia/state"  # script → companion: state JSON
STATE_GET = "/musiaia/state/get"
SONG_TIME = "/musiaia/song_time"  # script → companion while playing
APPLY_CHUNK = "/musiaia/apply/chunk"
APPLY_ACK = "/musiaia/apply/ack"
APPLY_PROGRESS = "/musiaia/apply/progress"
APPLY_DONE = "/musiaia/apply/done"
APPLY_FAILED = "/musiaia/apply/failed"
APPLY_STATUS = "/musiaia/apply/status"  # both ways: query and answer
APPLY_CANCEL = "/musiaia/apply/cancel"
GENERATE = "/musiaia/generate"  # script → companion (MIDI trigger)
GENERATE_ACK = "/musiaia/generate/ack"
GENERATE_DONE = "/musiaia/generate/done"
GENERATE_FAILED = "/musiaia/generate/failed"
TRIGGER_CONFIG = "/musiaia/trigger/config"
ERROR = "/live/error"

# Request states reported on APPLY_STATUS.
UNKNOWN = "unknown"
RECEIVING = "receiving"
QUEUED = "queued"
BUILDING = "building"
DONE = "done"
FAILED = "failed"


class PayloadError(ValueError):
    pass


def crc_hex(data):
    return "%08x" % (binascii.crc32(data) & 0xFFFFFFFF)


def encodings():
    """Payload encodings this script can read, best first."""
    if zlib is not None:
        return [ENCODING_ZLIB_JSON, ENCODING_JSON]
    return [ENCODING_JSON]


def decode_payload(encoding, data):
    """The apply payload ({"arrangement": {...}, "options": {...}}) from its bytes."""
    if encoding == ENCODING_ZLIB_JSON:
        if zlib is None:
            raise PayloadError("zlib is not available in this Live")
        try:
            inflater = zlib.decompressobj()
            data = inflater.decompress(data, MAX_PAYLOAD_BYTES)
            if inflater.unconsumed_tail:
                raise PayloadError("payload larger than %d bytes" % MAX_PAYLOAD_BYTES)
        except zlib.error as error:
            raise PayloadError("payload is not zlib data (%s)" % error) from None
    elif encoding != ENCODING_JSON:
        raise PayloadError("unknown payload encoding %r" % (encoding,))
    if len(data) > MAX_PAYLOAD_BYTES:
        raise PayloadError("payload larger than %d bytes" % MAX_PAYLOAD_BYTES)
    try:
        payload = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise PayloadError("payload is not JSON (%s)" % error) from None
    if not isinstance(payload, dict) or not isinstance(payload.get("arrangement"), dict):
        raise PayloadError("payload has no arrangement")
    options = payload.get("options") or {}
    if not isinstance(options, dict):
        raise PayloadError("options must be an object")
    project_dir = payload.get("project_dir")
    if project_dir is not None:
        if (not isinstance(project_dir, str) or not project_dir or "\x00" in project_dir
                or len(project_dir) > MAX_PATH_CHARS or not os.path.isabs(project_dir)):
            raise PayloadError("project_dir must be an absolute folder path")
    return payload
