"""Health (no sign-in needed) and the web panel's files."""

from __future__ import annotations

import os
import re
from pathlib import Path

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse
from sqlalchemy import text

from companion import __version__
from companion.server.deps import services
from companion.server.schemas import Health
from companion.settings import Settings
from companion.storage import free_bytes

router = APIRouter(tags=["system"])


@router.get("/health", response_model=Health)
def health(svc=Depends(services)) -> Health:
    components: dict[str, object] = {}
    try:
        with svc.db.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        components["database"] = {"status": "ok", "backend": svc.db.engine.dialect.name}
    except Exception as exc:  # report, don't crash: health must always answer
        components["database"] = {"status": "error", "detail": type(exc).__name__}
    components["storage"] = _storage(svc.settings)
    components["engine"] = {"status": "ok", "name": "offline"}
    llm = svc.llm.status()
    configured = [p["engine"] for p in llm["providers"] if p["configured"]]
    components["llm"] = {
        "status": "ok" if configured else "not_configured",
        "engines": llm["engines"],
        "providers": [
            {k: p[k] for k in ("engine", "configured", "circuit")} for p in llm["providers"]
        ],
    }
    live = svc.live
    if live is None:
        components["live"] = {"status": "disabled"}
    elif live.error:
        components["live"] = {"status": "error", "detail": live.error}
    else:
        state = live.bridge.state
        components["live"] = {
            "status": "connected" if state.connected else "disconnected",
            "live_version": state.live_version,
            "script_version": state.script_version,
        }
    library = svc.library
    if library is None:
        components["samples"] = {"status": "starting"}
    else:
        with svc.db.engine.connect() as connection:
            count = connection.execute(
                text("SELECT COUNT(*) FROM samples WHERE error IS NULL")
            ).scalar()
        components["samples"] = {
            "status": "error" if library.error else "ok",
            "count": count,
            "indexing": not library.ready.is_set(),
            "folders": [str(root) for root in library.roots],
            **({"detail": library.error} if library.error else {}),
        }
    components["websockets"] = {"status": "ok", "connections": svc.hub.count()}
    ok = all(
        c.get("status")
        in ("ok", "not_configured", "disconnected", "connected", "disabled", "starting")
        for c in components.values()
    )
    return Health(status="ok" if ok else "degraded", version=__version__, components=components)


def _storage(settings: Settings) -> dict[str, object]:
    """Can sets be written: the projects folder is writable and its disk is not full."""
    projects = settings.projects_dir
    if not (projects.is_dir() and os.access(projects, os.W_OK)):
        return {"status": "error", "detail": "the projects folder is not writable"}
    free = free_bytes(projects)
    if free is None:
        return {"status": "ok"}
    mib = free // (1024 * 1024)
    if mib < settings.min_free_mb:
        return {"status": "full", "free_mb": mib, "detail": "the disk holding the data is full"}
    return {"status": "ok", "free_mb": mib}


def mount_panel(app: FastAPI, web_dir: Path) -> None:
    """Serve the panel: its page at ``/`` and its files at ``/static/<name>``.

    Only files found under ``web_dir`` are served, looked up by name in a table (never by joining
    the request path onto the folder), so ``..``, encoded separators, absolute paths and links
    out of the folder reach nothing; folders are never listed; each suffix has a fixed type.
    """
    types = {
        ".html": "text/html; charset=utf-8",
        ".js": "text/javascript; charset=utf-8",
        ".css": "text/css; charset=utf-8",
        ".svg": "image/svg+xml",
        ".png": "image/png",
        ".ico": "image/x-icon",
        ".json": "application/json",
        ".webmanifest": "application/manifest+json",
        ".woff2": "font/woff2",
    }
    safe_host = re.compile(r"^[A-Za-z0-9.\-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$")

    def scan() -> dict[str, Path]:
        """Regular files with a known suffix, inside the folder, no links, no hidden names."""
        found: dict[str, Path] = {}
        if not web_dir.is_dir():
            return found
        root = web_dir.resolve()
        for path in sorted(root.rglob("*")):
            relative = path.relative_to(root)
            if any(part.startswith((".", "_")) for part in relative.parts):
                continue
            if path.is_symlink() or not path.is_file() or path.suffix.lower() not in types:
                continue
            if path.resolve().is_relative_to(root):
                found[relative.as_posix()] = path
        return found

    table = scan()

    def lookup(name: str) -> Path | None:
        nonlocal table
        path = table.get(name)
        if path is None or not path.is_file():
            table = scan()  # files added or removed since start (development)
            path = table.get(name)
        return path

    def headers(request: Request, document: bool) -> dict[str, str]:
        out = {
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "no-referrer",  # the first URL carries the one-time sign-in token
            "Cache-Control": "no-cache",  # revalidate (ETag): an upgrade shows at once
        }
        if document:
            # Same origin only: no inline script, nothing from elsewhere, no framing. The
            # WebSocket origin is spelled out for browsers whose 'self' does not cover ws:.
            host = request.headers.get("host", "")
            socket = f" ws://{host}" if safe_host.match(host) else ""
            out["Content-Security-Policy"] = (
                "default-src 'self'; script-src 'self'; style-src 'self'; "
                "img-src 'self' data: blob:; media-src 'self' blob:; font-src 'self'; "
                f"connect-src 'self'{socket}; worker-src 'none'; object-src 'none'; "
                "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
            )
            out["X-Frame-Options"] = "DENY"
        return out

    @app.get("/", include_in_schema=False)
    def panel(request: Request):
        index = lookup("index.html")
        if index is not None:
            return FileResponse(index, media_type=types[".html"], headers=headers(request, True))
        return HTMLResponse(
            "<!doctype html><title>MusiaIA</title><p>MusiaIA is running.</p>",
            headers=headers(request, True),
        )

    @app.get("/static/{name:path}", include_in_schema=False)
    def panel_file(name: str, request: Request):
        path = lookup(name) if 0 < len(name) <= 200 else None
        if path is None:
            return JSONResponse({"detail": "not found"}, status_code=404)
        suffix = path.suffix.lower()
        return FileResponse(
            path, media_type=types[suffix], headers=headers(request, suffix == ".html")
        )
