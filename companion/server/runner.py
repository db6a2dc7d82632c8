"""``musiaia serve``: prepare the data folder, print where to sign in, and run the server."""

from __future__ import annotations

import errno
import logging
import socket
import sys

import uvicorn

from companion import logs
from companion.accounts import create_login_link, ensure_local_user, local_user
from companion.datadir import forget_server, record_server, remove_leftovers, running_server
from companion.db import Database
from companion.server.app import create_app
from companion.server.http_protocol import JsonErrorH11Protocol
from companion.services.recovery import recover_orphans
from companion.settings import Settings

log = logging.getLogger("musiaia.server")

WS_MAX_BYTES = 1024 * 1024


def bind(host: str, port: int) -> socket.socket:
    """Bind first so a taken port gives a clear message and port 0 picks a free one."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise OSError(
                f"port {port} on {host} is already in use; "
                "stop the other program or choose another with --port"
            ) from exc
        raise
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def prepare(settings: Settings) -> str | None:
    """Create the schema, tidy what a killed server left, and, for the local user, make a fresh
    one-time sign-in token."""
    other = running_server(settings.data_dir)
    settings.ensure_dirs()
    database = Database(settings.database)
    try:
        database.create_schema()
        if other is None:
            remove_leftovers(settings.projects_dir)
            recover_orphans(settings, database)
        else:  # its writes in progress look like leftovers: leave everything as it is
            log.warning(
                "another MusiaIA server uses this data folder; not tidying it",
                extra={"url": other.url, "pid": other.pid},
            )
        with database.session() as session:
            created = ensure_local_user(session)
            user = created or local_user(session)
            if user is None:
                return None
            return create_login_link(session, user, settings.login_link_minutes)
    finally:
        database.dispose()


def serve(settings: Settings) -> int:
    logs.configure(settings.log_level, settings.log_file)
    sock = bind(settings.host, settings.port)
    port = sock.getsockname()[1]
    token = prepare(settings)
    shown_host = settings.host if settings.host not in ("0.0.0.0", "::") else "127.0.0.1"
    base = f"http://{'[' + shown_host + ']' if ':' in shown_host else shown_host}:{port}/"
    print(f"MusiaIA is running at {base}", flush=True)
    if token:
        print(f"Open this link to sign in (it works once): {base}?token={token}", flush=True)
    print("Press Ctrl+C to stop.", flush=True)
    record_server(settings.data_dir, base.rstrip("/"))  # for `musiaia login-link`
    app = create_app(settings, port=port)
    server = uvicorn.Server(server_config(app, settings))
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
        forget_server(settings.data_dir)
    return 0


def server_config(app, settings: Settings) -> uvicorn.Config:
    """uvicorn believes ``X-Forwarded-For`` only from the configured proxies: by default from
    nobody (uvicorn's own default trusts it from 127.0.0.1, so any local process could pose as
    any address and slip past the sign-in limits). Requests that are not valid HTTP get a JSON
    400 from :class:`JsonErrorH11Protocol`, not uvicorn's plain text."""
    proxies = settings.trusted_proxies
    return uvicorn.Config(
        app,
        log_config=None,
        access_log=False,
        ws_max_size=WS_MAX_BYTES,
        timeout_graceful_shutdown=5,
        lifespan="on",
        http=JsonErrorH11Protocol,
        proxy_headers=bool(proxies),
        forwarded_allow_ips=list(proxies) if proxies else [],
    )


if __name__ == "__main__":
    sys.exit(serve(Settings()))
