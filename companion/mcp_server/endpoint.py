"""``/mcp`` on the running companion: the same tools over Streamable HTTP.

Same rules as the rest of the API: the app's own middleware checks Host and Origin and limits
bodies before anything here runs; the SDK's bearer middleware then admits only MusiaIA access
tokens (the panel's, or ``POST /api/v1/auth/login``), each session stays bound to the account
that opened it, and the SDK's DNS-rebinding check repeats the Host and Origin rules.

The SDK costs about a second to import and some 16 MB, so it loads on the first ``/mcp``
request: a companion nobody drives from an agent starts and idles as before.
"""

from __future__ import annotations

import asyncio
import logging

from starlette.types import ASGIApp, Receive, Scope, Send

log = logging.getLogger("musiaia.mcp")
PATH = "/mcp"


class McpEndpoint:
    """The ASGI app behind ``/mcp``; builds the SDK's transport on first use."""

    def __init__(self, svc, port: int, origins: frozenset[str]) -> None:
        self.svc = svc
        self.port = port
        self.origins = origins
        self._app: ASGIApp | None = None
        self._lock = asyncio.Lock()
        self._ready = asyncio.Event()
        self._stop = asyncio.Event()
        self._runner: asyncio.Task | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        app = self._app or await self._start()
        await app(scope, receive, send)

    async def _start(self) -> ASGIApp:
        async with self._lock:
            if self._app is not None:
                return self._app
            from companion.mcp_server.tracing import keep_tracing_off

            keep_tracing_off()  # before the SDK is imported (no telemetry, whatever OTEL_* says)
            from mcp.server.auth.settings import AuthSettings
            from mcp.server.transport_security import TransportSecuritySettings

            from companion.mcp_server import build_server
            from companion.mcp_server.hosted import CompanionBackend, Tokens
            from companion.server.security import LOOPBACK_HOSTS

            settings = self.svc.settings
            hosts = {*LOOPBACK_HOSTS, *settings.allowed_hosts} - {"::1"}
            server = build_server(
                CompanionBackend(self.svc),
                auth=AuthSettings(
                    issuer_url=f"http://127.0.0.1:{self.port}", resource_server_url=None
                ),
                token_verifier=Tokens(self.svc),
            )
            app = server.streamable_http_app(
                streamable_http_path=PATH,
                max_request_body_size=settings.max_body_bytes,
                transport_security=TransportSecuritySettings(
                    enable_dns_rebinding_protection=True,
                    allowed_hosts=[*hosts, *(f"{h}:*" for h in hosts)],
                    allowed_origins=sorted(self.origins),
                ),
            )
            self._runner = asyncio.create_task(self._run(server.session_manager))
            ready = asyncio.create_task(self._ready.wait())
            await asyncio.wait({ready, self._runner}, return_when=asyncio.FIRST_COMPLETED)
            ready.cancel()
            if not self._ready.is_set():  # the manager failed to start: say why
                self._runner.result()
            self._app = app
            log.info("MCP endpoint started", extra={"path": PATH})
            return app

    async def _run(self, manager) -> None:
        async with manager.run():
            self._ready.set()
            await self._stop.wait()

    async def close(self) -> None:
        if self._runner is not None:
            self._stop.set()
            await asyncio.gather(self._runner, return_exceptions=True)
