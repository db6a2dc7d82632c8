"""The FastAPI application: wiring of settings, database, services and routes.

Routes stay thin: they authenticate, validate with pydantic models and call a service. Work that
takes CPU time (composing, writing sets) runs in a worker pool so the event loop keeps answering.
"""

from __future__ import annotations

import asyncio
import logging
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.middleware.cors import CORSMiddleware
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from companion import __version__
from companion.accounts import AccountError
from companion.db import Database
from companion.llm.orchestrator import Orchestrator
from companion.llm.settings import LLMSettings
from companion.mcp_server.endpoint import PATH as MCP_PATH
from companion.mcp_server.endpoint import McpEndpoint
from companion.pipeline import RequestError
from companion.server.hub import Hub
from companion.server.library import Library
from companion.server.live import LiveLink
from companion.server.security import (
    BodyLimitMiddleware,
    LocalOnlyMiddleware,
    panel_origins,
)
from companion.server.signin import SignInGuard
from companion.server.workers import WorkerPool
from companion.services.chat import ChatService
from companion.services.projects import NotFound, ProjectService, UnsafePath
from companion.settings import Settings
from companion.sounds import SoundSource
from companion.storage import DISK_FULL_MESSAGE, is_disk_full

log = logging.getLogger("musiaia.server")
WEB_DIR = Path(__file__).resolve().parent.parent / "web"


@dataclass
class Services:
    settings: Settings
    db: Database
    projects: ProjectService
    chat: ChatService
    hub: Hub
    signin: SignInGuard
    pool: ThreadPoolExecutor
    workers: WorkerPool
    llm: Orchestrator
    started_at: float
    live: LiveLink | None = None
    library: Library | None = None
    mcp: McpEndpoint | None = None
    background: set = field(default_factory=set)  # tasks that outlive their request
    renders: dict = field(default_factory=dict)  # (user, project, version) → render in flight

    async def run(self, func, *args, **kwargs):
        """Run blocking I/O (database, files) in the thread pool."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.pool, partial(func, *args, **kwargs))

    async def compute(self, job, *args, listener=None):
        """Run a CPU-heavy job (composing, writing sets) in a worker process; ``listener`` also
        gets the job's progress events (see :meth:`WorkerPool.submit`)."""
        return await asyncio.wrap_future(self.workers.submit(job, *args, listener=listener))


class RequestLogMiddleware:
    """One JSON log line per request: method, path (never the query: it may hold a login
    token), status, duration and the user when known."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def capture(message):
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, capture)
        finally:
            state = scope.get("state") or {}
            log.info(
                "request",
                extra={
                    "method": scope["method"],
                    "path": scope["path"],
                    "status": status,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    "user": state.get("username"),
                },
            )


def create_app(settings: Settings, port: int | None = None) -> FastAPI:
    """Build the app; ``port`` is the one actually bound (the panel's origin depends on it)."""
    settings.ensure_dirs()
    database = Database(settings.database)
    projects = ProjectService(settings, database, SoundSource(settings.kit_dir, database))
    hub = Hub()
    services = Services(
        settings=settings,
        db=database,
        projects=projects,
        chat=ChatService(database, projects),
        hub=hub,
        signin=SignInGuard(settings),
        pool=ThreadPoolExecutor(max_workers=4, thread_name_prefix="musiaia-io"),
        llm=Orchestrator(LLMSettings()),
        workers=WorkerPool(
            settings.model_dump_json(), hub.publish_threadsafe, workers=settings.workers or None
        ),
        started_at=time.time(),
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        database.create_schema()
        hub.bind_loop(asyncio.get_running_loop())
        services.workers.warm_up()  # the first request should not pay for starting processes
        services.library = Library(settings, database)
        services.library.start()
        if settings.live_enabled:
            services.live = LiveLink(services)
            await services.live.start()
            services.chat.live_state = services.live.facts_for
        yield
        if services.mcp is not None:
            await services.mcp.close()
        if services.live is not None:
            await services.live.stop()
        if services.library is not None:
            services.library.stop()
        await services.llm.aclose()
        services.workers.close()
        services.pool.shutdown(wait=False, cancel_futures=True)
        database.dispose()

    app = FastAPI(
        title="MusiaIA",
        version=__version__,
        lifespan=lifespan,
        docs_url="/docs",
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    app.state.services = services

    from companion.server import (
        routes_auth,
        routes_chat,
        routes_live,
        routes_projects,
        routes_samples,
        routes_settings,
        routes_system,
        websocket,
    )

    for module in (
        routes_system,
        routes_auth,
        routes_chat,
        routes_projects,
        routes_live,
        routes_samples,
        routes_settings,
    ):
        app.include_router(module.router, prefix="/api/v1")
    app.include_router(websocket.router)
    effective_port = port if port is not None else settings.port
    origins = panel_origins(effective_port, settings.allowed_hosts)
    # AI agents: the MCP tools over Streamable HTTP (bearer token, like the rest of the API).
    services.mcp = McpEndpoint(services, effective_port, origins)
    app.router.routes.append(Route(MCP_PATH, endpoint=services.mcp))
    routes_system.mount_panel(app, WEB_DIR)

    @app.exception_handler(NotFound)
    async def _not_found(request: Request, exc: NotFound):
        return JSONResponse({"detail": "project not found"}, status_code=404)

    @app.exception_handler(UnsafePath)
    async def _unsafe(request: Request, exc: UnsafePath):
        return JSONResponse({"detail": "path outside the data folder"}, status_code=403)

    @app.exception_handler(RequestError)
    async def _bad_request(request: Request, exc: RequestError):
        return JSONResponse({"detail": str(exc)}, status_code=422)

    @app.exception_handler(AccountError)
    async def _account(request: Request, exc: AccountError):
        return JSONResponse(
            {"detail": str(exc)}, status_code=401, headers={"WWW-Authenticate": "Bearer"}
        )

    @app.exception_handler(UnicodeError)
    async def _bad_text(request: Request, exc: UnicodeError):
        # A JSON string with a lone surrogate ("\ud800") parses but cannot be stored.
        return JSONResponse(
            {"detail": "the request holds text that is not valid Unicode (a lone surrogate)"},
            status_code=422,
        )

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception):
        # Still logged with its traceback by the server; the client gets JSON, never plain text.
        if is_disk_full(exc):
            return JSONResponse({"detail": DISK_FULL_MESSAGE}, status_code=507)
        return JSONResponse(
            {"detail": "internal error (the companion's log has the details)"}, status_code=500
        )

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError):
        errors = [
            {"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type")}
            for e in exc.errors()
        ]
        return JSONResponse({"detail": errors}, status_code=422)

    app.add_middleware(
        CORSMiddleware,
        allow_origins=sorted(origins),
        allow_credentials=False,
        allow_methods=["GET", "POST", "PUT", "DELETE"],
        allow_headers=["Authorization", "Content-Type"],
    )
    app.add_middleware(
        BodyLimitMiddleware, limit=settings.max_body_bytes, upload_limit=settings.max_upload_bytes
    )
    app.add_middleware(
        LocalOnlyMiddleware, allowed_origins=origins, extra_hosts=settings.allowed_hosts
    )
    app.add_middleware(RequestLogMiddleware)
    return app
