"""Ask Live what the producer already has: one read request out, progress in, the result back in
chunks (fetched again when some are lost), checked and validated.

The request is idempotent on the script (keyed by its id): resending it while the script is
quiet is how a lost request or a lost answer is recovered.
"""

from __future__ import annotations

import asyncio
import inspect
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from companion.live import protocol
from companion.live.loader import LoaderTimings
from companion.live.material import LiveMaterial

Send = Callable[..., None]
ReadProgress = Callable[[int, str], Any]  # (percent, label)
FETCH_AFTER = 0.15  # seconds after "done" before asking again for chunks that did not come
MAX_FETCH_PER_MESSAGE = 32


@dataclass
class ReadResult:
    ok: bool
    request_id: str
    reason: str | None = None
    material: LiveMaterial | None = None
    elapsed: float = 0.0
    datagrams_sent: int = 0
    fetches: int = 0


async def _call(progress: ReadProgress | None, percent: int, label: str) -> None:
    if progress is None:
        return
    result = progress(percent, label)
    if inspect.isawaitable(result):
        await result


async def read_from_live(
    send: Send,
    inbox: asyncio.Queue,
    request_id: str,
    spec: dict[str, Any],
    progress: ReadProgress | None = None,
    timings: LoaderTimings | None = None,
) -> ReadResult:
    """Run one read. ``spec`` is ``{"what": "selected_clip"|"track"|"arrangement", "track":
    name, "start": beats, "end": beats}``; ``inbox`` gets this request's ``/musiaia/read/…``
    messages (routed by the bridge)."""
    timings = timings or LoaderTimings()
    loop = asyncio.get_running_loop()
    started = time.perf_counter()
    result = ReadResult(False, request_id)
    text = json.dumps(spec, separators=(",", ":"))

    def transmit(address: str, *args: Any) -> None:
        send(address, *args)
        result.datagrams_sent += 1

    def finish(ok: bool, reason: str | None = None) -> ReadResult:
        result.ok = ok
        result.reason = reason
        result.elapsed = time.perf_counter() - started
        return result

    meta: tuple[int, int, str, str] | None = None  # count, total, crc, encoding
    chunks: dict[int, bytes] = {}
    done_at: float | None = None
    last_heard = loop.time()
    last_sent = last_heard
    transmit(protocol.READ, request_id, text)
    try:
        while True:
            try:
                message = await asyncio.wait_for(inbox.get(), timings.status_interval / 4)
            except TimeoutError:
                message = None
            now = loop.time()
            if message is not None:
                address, args = message
                last_heard = now
                if address == protocol.READ_FAILED:
                    reason = str(args[1])[:300] if len(args) > 1 else "failed"
                    return finish(False, reason)
                if address == protocol.READ_PROGRESS and len(args) >= 4:
                    await _call(progress, int(args[1]), str(args[3])[:200])
                elif address in (protocol.READ_DONE, protocol.READ_CHUNK) and len(args) >= 5:
                    offset = 0 if address == protocol.READ_DONE else 1
                    try:
                        announced = _meta(args[1 + offset : 5 + offset])
                    except (ValueError, TypeError):
                        continue  # a damaged answer: ignored, fetched again later
                    if meta is None:
                        meta = announced
                        done_at = now
                    elif announced != meta:
                        return finish(False, "Live's answer changed while it was sent")
                    if address == protocol.READ_CHUNK:
                        index, data = args[1], args[6] if len(args) > 6 else b""
                        if (
                            isinstance(index, int)
                            and isinstance(data, bytes)
                            and 0 <= index < meta[0]
                            and len(data) <= protocol.CHUNK_BYTES * 2
                        ):
                            chunks.setdefault(index, data)
                if meta is not None and len(chunks) == meta[0]:
                    if _assemble(result, chunks, meta):
                        return finish(True)
                    return finish(False, result.reason)
            if meta is not None and done_at is not None and now - done_at >= FETCH_AFTER:
                missing = [i for i in range(meta[0]) if i not in chunks]
                for first in range(0, len(missing), MAX_FETCH_PER_MESSAGE):
                    transmit(
                        protocol.READ_FETCH,
                        request_id,
                        *missing[first : first + MAX_FETCH_PER_MESSAGE],
                    )
                result.fetches += 1
                done_at = now
            if now - last_heard > timings.build_timeout:
                return finish(False, "Live stopped answering while reading the notes")
            if meta is None and now - max(last_heard, last_sent) >= timings.status_interval:
                transmit(protocol.READ, request_id, text)  # lost either way: ask again
                last_sent = now
    except asyncio.CancelledError:
        send(protocol.READ_CANCEL, request_id)
        raise


def _meta(args: tuple[Any, ...]) -> tuple[int, int, str, str]:
    count, total, crc, encoding = args
    if not (isinstance(count, int) and isinstance(total, int)):
        raise ValueError("malformed read answer")
    if not 0 < count <= protocol.MAX_CHUNKS or not 0 < total <= protocol.MAX_RESULT_BYTES:
        raise ValueError("read answer out of range")
    if not isinstance(crc, str) or encoding not in (
        protocol.ENCODING_JSON,
        protocol.ENCODING_ZLIB_JSON,
    ):
        raise ValueError("malformed read answer")
    return count, total, crc, encoding


def _assemble(result: ReadResult, chunks: dict[int, bytes], meta: tuple) -> bool:
    count, total, crc, encoding = meta
    data = b"".join(chunks[i] for i in range(count))
    if len(data) != total or protocol.crc_hex(data) != crc:
        result.reason = "Live's answer arrived damaged (size or checksum); try again"
        return False
    try:
        result.material = LiveMaterial.model_validate(protocol.decode_result(encoding, data))
    except (ValueError, ValidationError) as error:
        result.reason = f"Live's answer is not a valid read ({type(error).__name__})"
        return False
    return True
