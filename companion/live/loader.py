"""Send one arrangement to Live: chunks out, acks in, resend what was not acknowledged, then
follow the build (progress) until Live says done or failed.

UDP may drop, duplicate or reorder any datagram in either direction; every step here is
idempotent on the script side (chunks are keyed by request id and index, status queries are
read-only), so resending is always safe.
"""

from __future__ import annotations

import asyncio
import inspect
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from companion.live import protocol


@dataclass(frozen=True)
class LoadProgress:
    request_id: str
    phase: str  # "sending", "building", "done", "failed"
    done: int
    total: int
    label: str = ""

    @property
    def percent(self) -> float:
        if self.phase == "done":
            return 100.0
        if not self.total:
            return 20.0 if self.phase == "building" else 0.0
        share = self.done / self.total
        # sending is the first 20 %, building the rest
        return round(20 * share if self.phase == "sending" else 20 + 80 * share, 1)

    def as_dict(self) -> dict[str, Any]:
        return {
            "request_id": self.request_id,
            "phase": self.phase,
            "done": self.done,
            "total": self.total,
            "label": self.label,
            "percent": self.percent,
        }


@dataclass
class LoadResult:
    ok: bool
    request_id: str
    reason: str | None = None
    summary: dict[str, Any] = field(default_factory=dict)
    chunks: int = 0
    datagrams_sent: int = 0
    retransmissions: int = 0
    elapsed: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "request_id": self.request_id,
            "reason": self.reason,
            "summary": self.summary,
            "chunks": self.chunks,
            "datagrams_sent": self.datagrams_sent,
            "retransmissions": self.retransmissions,
            "elapsed": round(self.elapsed, 3),
        }


Progress = Callable[[LoadProgress], Any]
Send = Callable[..., None]


@dataclass
class LoaderTimings:
    window: int = 32  # chunks in flight before waiting for acks
    retry_interval: float = 0.3  # first resend of an unacknowledged chunk
    max_retry_interval: float = 1.5
    send_timeout: float = 6.0  # no acknowledgement at all for this long → failed
    status_interval: float = 1.0  # ask for the status when the build is silent this long
    build_timeout: float = 30.0  # no word from Live while building for this long → failed


class LoadFailed(Exception):
    pass


async def _call(progress: Progress | None, event: LoadProgress) -> None:
    if progress is None:
        return
    result = progress(event)
    if inspect.isawaitable(result):
        await result


async def send_arrangement(
    send: Send,
    inbox: asyncio.Queue,
    request_id: str,
    encoding: str,
    payload: bytes,
    progress: Progress | None = None,
    timings: LoaderTimings | None = None,
    chunk_bytes: int = protocol.CHUNK_BYTES,
) -> LoadResult:
    """Run one transfer. ``send(address, *args)`` sends a datagram to the script; ``inbox``
    receives ``(address, args)`` replies for this request id (routed by the bridge)."""
    timings = timings or LoaderTimings()
    loop = asyncio.get_running_loop()
    started = time.perf_counter()
    chunks = protocol.split_chunks(request_id, encoding, payload, chunk_bytes)
    result = LoadResult(False, request_id, chunks=len(chunks))

    def transmit(address: str, *args: Any) -> None:
        send(address, *args)
        result.datagrams_sent += 1

    def finish(ok: bool, reason: str | None = None, detail: str | None = None) -> LoadResult:
        result.ok = ok
        result.reason = reason
        if detail:
            try:
                result.summary = json.loads(detail)
            except ValueError:
                result.summary = {"detail": detail}
        result.elapsed = time.perf_counter() - started
        return result

    unacked = {chunk.index: chunk for chunk in chunks}
    next_index = 0
    sent_at: dict[int, float] = {}
    interval: dict[int, float] = {}
    last_ack = loop.time()

    def fill() -> None:
        nonlocal next_index
        while next_index < len(chunks) and len(sent_at) < timings.window:
            chunk = chunks[next_index]
            next_index += 1
            if chunk.index not in unacked:
                continue
            transmit(protocol.APPLY_CHUNK, *chunk.args())
            sent_at[chunk.index] = loop.time()
            interval[chunk.index] = timings.retry_interval

    async def next_message(timeout: float) -> tuple[str, tuple] | None:
        try:
            return await asyncio.wait_for(inbox.get(), timeout)
        except TimeoutError:
            return None

    try:
        await _call(progress, LoadProgress(request_id, "sending", 0, len(chunks)))
        fill()
        # 1. chunks until every one is acknowledged (or Live already finished)
        while unacked:
            message = await next_message(timings.retry_interval / 2)
            now = loop.time()
            if message is not None:
                address, args = message
                if address == protocol.APPLY_ACK and len(args) >= 2:
                    index = args[1]
                    if unacked.pop(index, None) is not None:
                        sent_at.pop(index, None)
                        last_ack = now
                        await _call(
                            progress,
                            LoadProgress(
                                request_id, "sending", len(chunks) - len(unacked), len(chunks)
                            ),
                        )
                elif address == protocol.APPLY_FAILED:
                    return finish(False, str(args[1]) if len(args) > 1 else "failed")
                elif address == protocol.APPLY_DONE:
                    return finish(True, None, str(args[1]) if len(args) > 1 else None)
                elif address in (protocol.APPLY_PROGRESS, protocol.APPLY_STATUS):
                    last_ack = now  # the script has everything and is working on it
                    if address == protocol.APPLY_PROGRESS:
                        unacked.clear()
                        sent_at.clear()
            if now - last_ack > timings.send_timeout:
                return finish(
                    False,
                    "Live did not answer. Is Ableton Live running with "
                    "MusiaIA selected as a Control Surface (Preferences → "
                    "Link, Tempo & MIDI)?",
                )
            for index, when in list(sent_at.items()):
                if now - when >= interval[index]:
                    transmit(protocol.APPLY_CHUNK, *unacked[index].args())
                    result.retransmissions += 1
                    sent_at[index] = now
                    interval[index] = min(interval[index] * 1.5, timings.max_retry_interval)
            fill()

        # 2. the build: progress, then done or failed; ask when it goes quiet
        last_heard = loop.time()
        last_query = last_heard
        while True:
            message = await next_message(timings.status_interval / 2)
            now = loop.time()
            if message is not None:
                address, args = message
                last_heard = now
                if address == protocol.APPLY_DONE:
                    detail = str(args[1]) if len(args) > 1 else None
                    done = finish(True, None, detail)
                    steps = int(done.summary.get("steps", 0) or 0)
                    await _call(progress, LoadProgress(request_id, "done", steps, steps, "Done"))
                    return done
                if address == protocol.APPLY_FAILED:
                    reason = str(args[1]) if len(args) > 1 else "failed"
                    await _call(progress, LoadProgress(request_id, "failed", 0, 0, reason))
                    return finish(False, reason)
                if address == protocol.APPLY_PROGRESS and len(args) >= 3:
                    label = str(args[3]) if len(args) > 3 else ""
                    await _call(
                        progress,
                        LoadProgress(request_id, "building", int(args[1]), int(args[2]), label),
                    )
                elif address == protocol.APPLY_STATUS and len(args) >= 2:
                    state = args[1]
                    detail = str(args[2]) if len(args) > 2 else ""
                    if state == protocol.DONE:
                        return finish(True, None, detail)
                    if state == protocol.FAILED:
                        return finish(False, detail or "failed")
                    if state == protocol.UNKNOWN:
                        return finish(
                            False,
                            "Live lost the request (was the MusiaIA script restarted?); try again",
                        )
            if now - last_heard > timings.build_timeout:
                return finish(False, "Live stopped answering while adding the song")
            if now - last_heard >= timings.status_interval and (
                now - last_query >= timings.status_interval
            ):
                transmit(protocol.APPLY_STATUS, request_id)
                last_query = now
    except asyncio.CancelledError:
        send(protocol.APPLY_CANCEL, request_id)
        raise
