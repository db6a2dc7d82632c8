"""The MusiaIA OSC protocol, companion side: addresses, ports, payload encoding and chunking.

Mirrors ``remote_script/protocol.py`` (Python 3.7, standard library only, inside Live); a test
keeps the two identical. The whole address space is documented in remote_script/PROTOCOL.md.
"""

from __future__ import annotations

import binascii
import json
import zlib
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

PROTOCOL_VERSION = 2  # 2: the locked link (hello → challenge → auth)

DEFAULT_HOST = "127.0.0.1"
DEFAULT_SCRIPT_PORT = 11010  # the Remote Script listens here (AbletonOSC uses 11000/11001)
DEFAULT_COMPANION_PORT = 11011  # the companion listens here
ABLETONOSC_PORT = 11000  # the AbletonOSC-compatible mode listens here…
ABLETONOSC_REPLY_PORT = 11001  # …and answers to this port of the sender's host

CHUNK_BYTES = 7000  # blob bytes per chunk: datagrams stay under macOS' 9216-byte UDP limit
MAX_PAYLOAD_BYTES = 8 * 1024 * 1024
MAX_CHUNKS = 2048
MAX_PATH_CHARS = 4096  # project_dir: the folder sample paths are relative to

ENCODING_JSON = "json"
ENCODING_ZLIB_JSON = "zlib+json"

HELLO = "/musiaia/hello"
HELLO_REPLY = "/musiaia/hello/reply"  # the companion is paired
CHALLENGE = "/musiaia/challenge"  # script → companion: its proof and a nonce to sign
AUTH = "/musiaia/auth"  # companion → script: its proof
REFUSED = "/musiaia/refused"  # script → a peer it will not serve, with the reason
STARTUP = "/musiaia/startup"
BYE = "/musiaia/bye"
PING = "/musiaia/ping"
PONG = "/musiaia/pong"
STATE = "/musiaia/state"
STATE_GET = "/musiaia/state/get"
SONG_TIME = "/musiaia/song_time"
APPLY_CHUNK = "/musiaia/apply/chunk"
APPLY_ACK = "/musiaia/apply/ack"
APPLY_PROGRESS = "/musiaia/apply/progress"
APPLY_DONE = "/musiaia/apply/done"
APPLY_FAILED = "/musiaia/apply/failed"
APPLY_STATUS = "/musiaia/apply/status"
APPLY_CANCEL = "/musiaia/apply/cancel"
GENERATE = "/musiaia/generate"
GENERATE_ACK = "/musiaia/generate/ack"
GENERATE_DONE = "/musiaia/generate/done"
GENERATE_FAILED = "/musiaia/generate/failed"
TRIGGER_CONFIG = "/musiaia/trigger/config"
ERROR = "/live/error"

UNKNOWN = "unknown"
RECEIVING = "receiving"
QUEUED = "queued"
BUILDING = "building"
DONE = "done"
FAILED = "failed"


@dataclass(frozen=True)
class LoadOptions:
    """What the script may change besides adding tracks. By default the companion has already
    fitted the song to the set's tempo and key, so tempo, meter and scale are left alone."""

    set_tempo: bool = False
    set_time_signature: bool = False
    set_key: bool = False
    instruments: bool = True
    session: bool = True
    arrangement: bool = True

    def as_dict(self) -> dict[str, bool]:
        return asdict(self)


def crc_hex(data: bytes) -> str:
    return "%08x" % (binascii.crc32(data) & 0xFFFFFFFF)


def encode_payload(
    arrangement: dict[str, Any] | str,
    options: LoadOptions | None = None,
    compress: bool = True,
    project_dir: str | Path | None = None,
) -> tuple[str, bytes]:
    """(encoding, bytes) of the apply payload ``{"arrangement": …, "options": …,
    "project_dir": …}``. ``project_dir`` is the project folder (absolute) the arrangement's
    sample paths are relative to; the script needs it to load audio loops and samples."""
    if isinstance(arrangement, str):
        arrangement = json.loads(arrangement)
    payload: dict[str, Any] = {
        "arrangement": arrangement,
        "options": (options or LoadOptions()).as_dict(),
    }
    if project_dir is not None:
        folder = str(project_dir)
        if not Path(folder).is_absolute() or "\x00" in folder or len(folder) > MAX_PATH_CHARS:
            raise ValueError(f"project_dir must be an absolute folder path: {folder!r}")
        payload["project_dir"] = folder
    data = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    if len(data) > MAX_PAYLOAD_BYTES:
        raise ValueError(f"the song is {len(data)} bytes; the limit is {MAX_PAYLOAD_BYTES}")
    if compress:
        return ENCODING_ZLIB_JSON, zlib.compress(data, 6)
    return ENCODING_JSON, data


def decode_payload(encoding: str, data: bytes) -> dict[str, Any]:
    if encoding == ENCODING_ZLIB_JSON:
        data = zlib.decompress(data)
    elif encoding != ENCODING_JSON:
        raise ValueError(f"unknown encoding {encoding!r}")
    return json.loads(data.decode("utf-8"))


@dataclass(frozen=True)
class Chunk:
    request_id: str
    index: int
    count: int
    total: int
    crc: str
    encoding: str
    data: bytes

    def args(self) -> tuple[Any, ...]:
        """OSC arguments of /musiaia/apply/chunk, in order."""
        return (
            self.request_id,
            self.index,
            self.count,
            self.total,
            self.crc,
            self.encoding,
            self.data,
        )


def split_chunks(
    request_id: str, encoding: str, payload: bytes, chunk_bytes: int = CHUNK_BYTES
) -> list[Chunk]:
    if not payload:
        raise ValueError("empty payload")
    count = -(-len(payload) // chunk_bytes)
    if count > MAX_CHUNKS:
        raise ValueError(f"the song needs {count} chunks; the limit is {MAX_CHUNKS}")
    crc = crc_hex(payload)
    return [
        Chunk(
            request_id,
            i,
            count,
            len(payload),
            crc,
            encoding,
            payload[i * chunk_bytes : (i + 1) * chunk_bytes],
        )
        for i in range(count)
    ]


def iter_state_tracks(state: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for track in state.get("tracks") or []:
        if isinstance(track, dict):
            yield track
