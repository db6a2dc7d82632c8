"""Health (no sign-in needed) and the web panel's files."""

from __future__ import annotations

import os
from pathlib import Path

from fastapi import APIRouter, Depends, FastAPI
from fastapi.responses import FileResponse, HTMLResponse
from sqlalchemy import text

from companion import __version__
from companion.server.deps import services
from companion.server.schemas import Health

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
    projects = svc.settings.projects_dir
    writable = projects.is_dir() and os.access(projects, os.W_OK)
    components["storage"] = {"status": "ok" if writable else "error"}
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


def mount_panel(app: FastAPI, web_dir: Path) -> None:
    """Serve the panel's index at / (its other files come in with the panel itself)."""
    index = web_dir / "index.html"

    @app.get("/", include_in_schema=False)
    def panel():
        if index.is_file():
            return FileResponse(index, media_type="text/html")
        return HTMLResponse("<!doctype html><title>MusiaIA</title><p>MusiaIA is running.</p>")
