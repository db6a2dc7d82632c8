"""Protection for a server on the producer's own machine that web pages must not be able to drive.

* Host check: only loopback names (and configured extra hosts) are served, so a DNS-rebinding page
  ("evil.example" resolving to 127.0.0.1) is refused.
* Origin check: a browser request or WebSocket handshake carrying an Origin other than the panel's
  own is refused (403) before any route runs; clients without an Origin (CLI, Remote Script) pass.
* Body limit: bodies over the limit are refused with 413, whether or not they declare a length.
* Sign-in limits: a sliding window (:class:`RateLimiter`) and failure backoff (:class:`Backoff`),
  keyed on what the caller chooses (account name, client address, token); see signin.py.
"""

from __future__ import annotations

import json
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from starlette.types import ASGIApp, Message, Receive, Scope, Send

LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]", "::1")


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return value.decode("latin-1")
    return None


def host_name(host_header: str) -> str:
    """``"localhost:8000"`` → ``"localhost"``; ``"[::1]:8000"`` → ``"[::1]"``."""
    host = host_header.strip().lower()
    if host.startswith("["):
        return host[: host.find("]") + 1] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def panel_origins(port: int, extra_hosts: Iterable[str] = ()) -> frozenset[str]:
    hosts = {"127.0.0.1", "localhost", "[::1]", *extra_hosts}
    return frozenset(f"http://{h}:{port}" for h in hosts) | (
        frozenset(f"http://{h}" for h in hosts) if port == 80 else frozenset()
    )


async def _reject(scope: Scope, receive: Receive, send: Send, status: int, detail: str) -> None:
    if scope["type"] == "websocket":
        # Refuse the handshake: Starlette turns a close before accept into HTTP 403.
        await receive()  # websocket.connect
        await send({"type": "websocket.close", "code": 1008, "reason": detail[:120]})
        return
    body = json.dumps({"detail": detail}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class LocalOnlyMiddleware:
    """Host and Origin checks for HTTP and WebSocket (see module docstring)."""

    def __init__(
        self, app: ASGIApp, allowed_origins: frozenset[str], extra_hosts: Iterable[str] = ()
    ) -> None:
        self.app = app
        self.allowed_origins = allowed_origins
        self.allowed_hosts = frozenset(h.lower() for h in (*LOOPBACK_HOSTS, *extra_hosts))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        host = _header(scope, b"host")
        if host is None or host_name(host) not in self.allowed_hosts:
            await _reject(scope, receive, send, 400, "invalid Host header")
            return
        origin = _header(scope, b"origin")
        if origin is not None and origin.rstrip("/") not in self.allowed_origins:
            await _reject(scope, receive, send, 403, "cross-origin requests are not allowed")
            return
        await self.app(scope, receive, send)


class BodyLimitMiddleware:
    """Refuse request bodies over ``limit`` bytes (``upload_limit`` on upload paths)."""

    def __init__(
        self,
        app: ASGIApp,
        limit: int,
        upload_limit: int,
        upload_paths: tuple[str, ...] = ("/api/v1/samples/upload",),
    ) -> None:
        self.app = app
        self.limit = limit
        self.upload_limit = upload_limit
        self.upload_paths = upload_paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.upload_limit if scope["path"] in self.upload_paths else self.limit
        declared = _header(scope, b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await _reject(
                scope, receive, send, 413, f"request body too large (limit {limit} bytes)"
            )
            return
        received = 0
        started = exceeded = False

        async def limited_receive() -> Message:
            nonlocal received, exceeded
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    exceeded = True
                    raise _TooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if exceeded and not started:
                return  # the app's answer to a body cut short (FastAPI: "error parsing the body")
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except _TooLarge:
            pass
        if exceeded and not started:
            detail = f"request body too large (limit {limit} bytes)"
            await _reject(scope, receive, send, 413, detail)


class _TooLarge(Exception):
    pass


class RateLimiter:
    """At most ``attempts`` events per key within ``window`` seconds (thread-safe)."""

    def __init__(self, attempts: int, window: float) -> None:
        self.attempts = attempts
        self.window = window
        self._events: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def retry_after(self, key: str) -> float:
        """0 when allowed (and the attempt is counted), else seconds to wait."""
        now = time.monotonic()
        with self._lock:
            events = self._events[key]
            while events and now - events[0] > self.window:
                events.popleft()
            if len(events) >= self.attempts:
                return max(0.0, self.window - (now - events[0]))
            events.append(now)
            return 0.0

    def reset(self, key: str) -> None:
        with self._lock:
            self._events.pop(key, None)


@dataclass
class _Failures:
    failures: int = 0
    pending: int = 0  # attempts under way
    last: float = 0.0  # time of the last failure
    until: float = 0.0  # no attempt before this time


class Backoff:
    """Failed attempts per key, with a wait that doubles after the first few (thread-safe).

    The first ``free`` failures of a key cost nothing; each later one makes the key wait ``base``
    seconds, doubling up to ``cap``. A key is forgotten ``forget`` seconds after its last failure,
    or at once on success. Attempts under way count as failures until they end, so a burst of
    parallel requests gets no more than ``free`` tries in before the first answer. At most
    ``max_keys`` keys are remembered (the least recently failed go first).
    """

    def __init__(
        self,
        free: int,
        base: float,
        cap: float,
        forget: float = 900.0,
        max_keys: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.free, self.base, self.cap, self.forget = free, base, cap, forget
        self.max_keys = max_keys
        self.clock = clock
        self._keys: dict[str, _Failures] = {}
        self._lock = threading.Lock()

    def _wait(self, key: str, now: float) -> float:
        state = self._keys.get(key)
        if state is None:
            return 0.0
        if not state.pending and now - state.last > self.forget:
            del self._keys[key]
            return 0.0
        if now < state.until:
            return state.until - now
        if state.pending and state.failures + state.pending >= self.free:
            return self.base  # the tries under way may use up the free ones
        return 0.0

    def wait(self, key: str) -> float:
        """Seconds before ``key`` may try again (0: now)."""
        with self._lock:
            return self._wait(key, self.clock())

    def acquire(self, key: str) -> float:
        """0 when ``key`` may try now (the try is counted as under way), else seconds to wait."""
        with self._lock:
            now = self.clock()
            wait = self._wait(key, now)
            if wait:
                return wait
            self._state(key, now).pending += 1
            return 0.0

    def release(self, key: str, *, failed: bool) -> None:
        """End a try begun with :meth:`acquire`."""
        with self._lock:
            state = self._keys.get(key)
            if state is not None:
                state.pending = max(0, state.pending - 1)
            if failed:
                self._failed(key, self.clock())
            elif state is not None:
                state.failures, state.until = 0, 0.0

    def cancel(self, key: str) -> None:
        """Forget a try begun with :meth:`acquire` that did not happen."""
        with self._lock:
            state = self._keys.get(key)
            if state is not None:
                state.pending = max(0, state.pending - 1)

    def fail(self, key: str) -> float:
        """Count a failure (no :meth:`acquire` needed); return the wait the key was already
        under (0 while its failures are still free)."""
        with self._lock:
            now = self.clock()
            wait = self._wait(key, now)
            self._failed(key, now)
            return wait

    def _failed(self, key: str, now: float) -> None:
        state = self._state(key, now)
        state.failures += 1
        state.last = now
        if state.failures >= self.free:
            delay = min(self.cap, self.base * 2 ** min(state.failures - self.free, 32))
            state.until = max(state.until, now + delay)

    def _state(self, key: str, now: float) -> _Failures:
        state = self._keys.get(key)
        if state is None:
            if len(self._keys) >= self.max_keys:
                self._prune(now)
            state = self._keys[key] = _Failures(last=now)
        return state

    def _prune(self, now: float) -> None:
        idle = sorted((s.last, k) for k, s in self._keys.items() if not s.pending)
        for _, key in idle[: max(1, len(self._keys) - self.max_keys * 3 // 4)]:
            del self._keys[key]
