"""What the MCP tools need from MusiaIA, with two homes: a stdio process of its own
(:mod:`companion.mcp_server.local`) and the running companion (:mod:`companion.mcp_server.hosted`).

Tools stay thin: they validate, call a backend method that calls the existing services
(``ProjectService``, the pipeline, the Live bridge, the sample search) and shape the answer.
Failures a caller can act on are :class:`ToolError` with one clear sentence; anything else is
reported by the SDK as a failed call, never a crash.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from mcp.server.mcpserver import Context
from mcp.server.mcpserver.exceptions import ToolError

if TYPE_CHECKING:
    from companion.db import Database, User
    from companion.live.bridge import LiveBridge
    from companion.requirements import Requirements, Understanding
    from companion.services.projects import ProjectService
    from companion.settings import Settings

log = logging.getLogger("musiaia.mcp")

# (percent 0-100, label); called from any thread.
Progress = Callable[[float, str], None]

LIVE_NOT_CONNECTED = (
    "Live is not connected: open Ableton Live with MusiaIA selected as a Control Surface "
    "(Preferences → Link, Tempo & MIDI)"
)


class ProgressRelay:
    """Progress from worker threads and processes to the MCP client, in order.

    Work calls the relay from any thread; a task on the event loop sends the notifications, so
    a slow or vanished client never holds the work up, and a failed send is only logged.
    """

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.sent: list[tuple[float, str]] = []
        self._loop = asyncio.get_running_loop()
        self._queue: asyncio.Queue[tuple[float, str] | None] = asyncio.Queue()
        self._task: asyncio.Task | None = None

    def __call__(self, percent: float, label: str) -> None:
        self._loop.call_soon_threadsafe(self._queue.put_nowait, (float(percent), label))

    async def _pump(self) -> None:
        while (item := await self._queue.get()) is not None:
            if self.sent and item[0] <= self.sent[-1][0]:
                continue  # the spec wants every notification to move forward
            self.sent.append(item)
            try:
                await self.ctx.report_progress(item[0], 100, item[1])
            except Exception:  # the client went away: the work goes on
                log.debug("progress notification not sent", exc_info=True)

    async def __aenter__(self) -> ProgressRelay:
        self._task = asyncio.create_task(self._pump())
        return self

    async def __aexit__(self, *exc: object) -> None:
        # Behind every update already scheduled (callbacks run in the order they were queued).
        self._loop.call_soon(self._queue.put_nowait, None)
        if self._task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._task


class Backend(ABC):
    """The services the tools use, wherever the MCP server runs."""

    settings: Settings

    @property
    @abstractmethod
    def projects(self) -> ProjectService: ...

    @property
    @abstractmethod
    def db(self) -> Database: ...

    @abstractmethod
    async def caller(self, ctx: Context) -> User:
        """The account the request acts for."""

    @abstractmethod
    async def run(self, func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Blocking I/O (database, files) off the event loop."""

    @abstractmethod
    async def compose(
        self, user: User, requirements: Requirements, seed: int | None, progress: Progress
    ) -> str:
        """Compose and write a new project; returns its id."""

    @abstractmethod
    async def revise(
        self, user: User, project_id: str, understanding: Understanding, progress: Progress
    ) -> int:
        """Write the next version of a project; returns the version number."""

    @abstractmethod
    async def render(self, user: User, project_id: str, version: int | None) -> dict[str, Any]:
        """Render a version's audio once (``RenderService.render``'s answer)."""

    @abstractmethod
    async def live_bridge(self, user: User) -> LiveBridge:
        """The started link to Live for this user, or :class:`ToolError` saying why not."""

    async def prepare_samples(self) -> None:
        """Make sure the sample index exists before a search (the companion keeps it live)."""
        return None

    async def announce(self, user: User, project_id: str) -> None:
        """Tell the user's other clients (the web panel) about a new project version."""
        return None


async def live_for(backend: Backend, user: User) -> LiveBridge:
    """The bridge, connected; a clear ToolError when Live cannot be reached."""
    bridge = await backend.live_bridge(user)
    if not bridge.connected:
        raise ToolError(LIVE_NOT_CONNECTED)
    return bridge
