"""Who is connected: each user's open WebSockets, and ordered delivery of their events.

Events are addressed to a user, never broadcast: a generation's progress goes to every socket the
producer has open (panel tabs, the Live bridge) and to nobody else. Each socket has its own queue
and sender task, so events arrive in the order they were published even when they come from
worker threads.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from contextlib import suppress
from typing import Any

from starlette.websockets import WebSocket, WebSocketState

log = logging.getLogger("musiaia.hub")
QUEUE_LIMIT = 1000  # a client this far behind is dropped rather than buffered forever


class Connection:
    def __init__(self, user_id: int, socket: WebSocket) -> None:
        self.user_id = user_id
        self.socket = socket
        self.queue: asyncio.Queue[dict[str, Any] | None] = asyncio.Queue(QUEUE_LIMIT)
        self.sender = asyncio.create_task(self._drain())

    async def _drain(self) -> None:
        while True:
            event = await self.queue.get()
            if event is None:
                return
            if self.socket.application_state != WebSocketState.CONNECTED:
                return
            try:
                await self.socket.send_json(event)
            except Exception:  # the peer went away; the receive loop will clean up
                return

    def push(self, event: dict[str, Any]) -> bool:
        try:
            self.queue.put_nowait(event)
        except asyncio.QueueFull:
            log.warning("dropping a slow websocket client", extra={"user_id": self.user_id})
            return False
        return True

    async def close(self) -> None:
        with suppress(asyncio.QueueFull):
            self.queue.put_nowait(None)
        with suppress(asyncio.CancelledError, Exception):
            await asyncio.wait_for(self.sender, timeout=2)
        if not self.sender.done():
            self.sender.cancel()


class Hub:
    """The registry; every method runs on the event loop except :meth:`publish_threadsafe`."""

    def __init__(self) -> None:
        self._connections: dict[int, set[Connection]] = defaultdict(set)
        self._loop: asyncio.AbstractEventLoop | None = None

    def attach(self, socket: WebSocket, user_id: int) -> Connection:
        self._loop = asyncio.get_running_loop()
        connection = Connection(user_id, socket)
        self._connections[user_id].add(connection)
        return connection

    async def detach(self, connection: Connection) -> None:
        self._connections[connection.user_id].discard(connection)
        if not self._connections[connection.user_id]:
            del self._connections[connection.user_id]
        await connection.close()

    def publish(self, user_id: int, event: dict[str, Any]) -> int:
        """Queue an event for every socket of ``user_id``; returns how many got it."""
        return sum(1 for c in list(self._connections.get(user_id, ())) if c.push(event))

    def publish_threadsafe(self, user_id: int, event: dict[str, Any]) -> None:
        """Publish from a worker thread, keeping the order of calls."""
        loop = self._loop
        if loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(self.publish, user_id, event)

    def bind_loop(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop

    def count(self, user_id: int | None = None) -> int:
        if user_id is None:
            return sum(len(v) for v in self._connections.values())
        return len(self._connections.get(user_id, ()))
