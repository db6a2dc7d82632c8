"""``musiaia mcp``: the MCP server over stdio, in a process of its own.

An agent (Claude Desktop, Claude Code, Cursor…) starts this process and talks to it on stdin and
stdout. It acts for the local account, in the same data folder as the companion, so its projects
appear in the web panel too. Songs are composed in a thread of this process, as ``musiaia
generate`` does. It links to Live itself unless a running companion already holds the link; then
the Live tools say so (that companion serves the same tools at ``/mcp``).

Start-up stays light (tool listing must be quick): the database opens on the first call.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import partial
from typing import TYPE_CHECKING, Any

from mcp.server.mcpserver import Context
from mcp.server.mcpserver.exceptions import ToolError

from companion.mcp_server.backend import Backend, Progress

if TYPE_CHECKING:
    from companion.db import Database, User
    from companion.live.bridge import LiveBridge
    from companion.requirements import Requirements, Understanding
    from companion.services.projects import ProjectService
    from companion.settings import Settings

log = logging.getLogger("musiaia.mcp")
CONNECT_GRACE = 1.5  # seconds a just-started link waits for the Remote Script to answer


class LocalBackend(Backend):
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._projects: ProjectService | None = None
        self._db: Database | None = None
        self._user: User | None = None
        self._lock: asyncio.Lock | None = None
        self._scanned = False
        self._bridge: LiveBridge | None = None
        self._bridge_task: asyncio.Task | None = None
        self._bridge_started = 0.0
        self._live_error: str | None = None
        self._warming: asyncio.Task | None = None

    # ----------------------------------------------------------------------------- services
    @property
    def projects(self) -> ProjectService:
        assert self._projects is not None, "caller() opens the services"
        return self._projects

    @property
    def db(self) -> Database:
        assert self._db is not None, "caller() opens the services"
        return self._db

    def _open(self) -> None:
        from companion.accounts import ensure_local_user, local_user
        from companion.db import Database, User
        from companion.services.projects import ProjectService
        from companion.sounds import SoundSource

        self.settings.ensure_dirs()
        database = Database(self.settings.database)
        database.create_schema()
        with database.session() as session:
            user = ensure_local_user(session) or local_user(session)
            if user is None:  # accounts exist but none is the local one: the first, as Live does
                user = session.query(User).order_by(User.id).first()
            session.expunge(user)
        self._db, self._user = database, user
        self._projects = ProjectService(
            self.settings, database, SoundSource(self.settings.kit_dir, database)
        )

    async def caller(self, ctx: Context) -> User:
        if self._user is None:
            if self._lock is None:
                self._lock = asyncio.Lock()
            async with self._lock:
                if self._user is None:
                    await self.run(self._open)
        assert self._user is not None
        return self._user

    async def run(self, func, *args: Any, **kwargs: Any) -> Any:
        return await asyncio.to_thread(partial(func, *args, **kwargs))

    # ----------------------------------------------------------------------------- songs
    async def compose(
        self, user: User, requirements: Requirements, seed: int | None, progress: Progress
    ) -> str:
        def work() -> str:
            outcome = self.projects.create(
                user,
                requirements=requirements,
                seed=seed,
                progress=lambda step, label, percent: progress(percent, label),
            )
            return outcome.project_id

        return await self.run(work)

    async def revise(
        self, user: User, project_id: str, understanding: Understanding, progress: Progress
    ) -> int:
        from companion.chat.replies import spec_changes

        language = understanding.language

        def work() -> int:
            outcome = self.projects.modify(
                user,
                project_id,
                understanding,
                progress=lambda step, label, percent: progress(percent, label),
                describe=lambda old, new: "; ".join(spec_changes(old, new, language)),
            )
            return outcome.version

        return await self.run(work)

    async def render(self, user: User, project_id: str, version: int | None) -> dict[str, Any]:
        from companion.services.renders import RenderService

        return await self.run(RenderService(self.projects).render, user, project_id, version)

    async def prepare_samples(self) -> None:
        """Index the sample folders once per process (the companion keeps its index live)."""
        if self._scanned:
            return
        from companion.samples.index import SampleIndex

        index = SampleIndex(self.db, self.settings.sample_folders)
        await self.run(index.scan)
        self._scanned = True

    # ----------------------------------------------------------------------------- Live
    async def _start_bridge(self) -> None:
        from companion.live.bridge import LiveBridge, LivePortInUse

        bridge = LiveBridge(self.settings)
        try:
            await bridge.start()
        except LivePortInUse:
            self._live_error = (
                "another MusiaIA companion on this machine is linked to Live (UDP port "
                f"{bridge.config.companion_port} is taken): connect to that companion's /mcp "
                "endpoint for the Live tools, or stop it"
            )
            return
        except OSError as exc:
            self._live_error = f"cannot listen for Live: {exc}"
            return
        self._bridge, self._bridge_started = bridge, time.monotonic()

    async def live_bridge(self, user: User) -> LiveBridge:
        if not self.settings.live_enabled:
            raise ToolError("the Live link is switched off (MUSIAIA_LIVE_ENABLED=false)")
        if self._bridge_task is None:
            self._bridge_task = asyncio.create_task(self._start_bridge())
        await asyncio.shield(self._bridge_task)
        if self._bridge is None:
            raise ToolError(self._live_error or "the Live link did not start")
        # The script answers the bridge's hello within milliseconds when Live runs.
        while (
            not self._bridge.connected and time.monotonic() - self._bridge_started < CONNECT_GRACE
        ):
            await asyncio.sleep(0.05)
        return self._bridge

    # ----------------------------------------------------------------------------- lifecycle
    def _warm(self) -> None:
        """Open the database and load the composer, so the first song costs what later ones do
        (an agent lists the tools, then thinks for a while before it calls one)."""
        if self._user is None:
            self._open()
        from companion.als.writer import als_bytes
        from companion.pipeline import generate
        from companion.requirements import Requirements

        # A tiny song, composed and written in memory only: loads the composer's tables and
        # the writer's templates.
        sketch = generate(requirements=Requirements(style="house", bars=4), seed=0)
        als_bytes(sketch.arrangement, self.settings.live_version)

    async def warm_up(self, ctx: Any, call_next: Any) -> Any:
        """Server middleware: once the first message is answered, warm up in a thread."""
        result = await call_next(ctx)
        if self._warming is None:
            self._warming = asyncio.create_task(self.caller_ready())
        return result

    async def caller_ready(self) -> None:
        try:
            if self._lock is None:
                self._lock = asyncio.Lock()
            async with self._lock:
                await self.run(self._warm)
        except Exception:  # the first real call will report it
            log.warning("warming up failed", exc_info=True)

    @asynccontextmanager
    async def lifespan(self, server: Any) -> AsyncIterator[None]:
        """Say hello to Live right away (so its state is known by the first call); close all."""
        if self.settings.live_enabled:
            self._bridge_task = asyncio.create_task(self._start_bridge())
        try:
            yield
        finally:
            for task in (self._bridge_task, self._warming):
                if task is not None:
                    await asyncio.gather(task, return_exceptions=True)
            if self._bridge is not None:
                await self._bridge.stop()
            if self._db is not None:
                self._db.dispose()


def run_stdio(settings: Settings) -> None:
    """Serve the tools on stdin/stdout until the client closes them."""
    from companion.mcp_server import build_server

    backend = LocalBackend(settings)
    server = build_server(
        backend,
        lifespan=backend.lifespan,
        middleware=[backend.warm_up],
        log_level=settings.log_level.upper(),
    )
    server.run("stdio")
