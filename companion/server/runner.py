"""``musiaia serve``: prepare the data folder, print where to sign in, and run the server."""

from __future__ import annotations

import errno
import socket
import sys

import uvicorn

from companion import logs
from companion.accounts import create_login_link, ensure_local_user, local_user
from companion.db import Database
from companion.server.app import create_app
from companion.settings import Settings

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
    """Create the schema and, for the local user, a fresh one-time sign-in token."""
    settings.ensure_dirs()
    database = Database(settings.database)
    try:
        database.create_schema()
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
    app = create_app(settings, port=port)
    config = uvicorn.Config(
        app,
        log_config=None,
        access_log=False,
        ws_max_size=WS_MAX_BYTES,
        timeout_graceful_shutdown=5,
        lifespan="on",
    )
    server = uvicorn.Server(config)
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
    return 0


if __name__ == "__main__":
    sys.exit(serve(Settings()))
