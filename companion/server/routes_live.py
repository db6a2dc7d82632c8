"""Ableton Live from the API: its state, building a project into the open set, opening a set."""

from __future__ import annotations

import asyncio
import logging

from fastapi import APIRouter, Depends, HTTPException, Path, Query, status

from companion.arrangement import Arrangement
from companion.db import User
from companion.live.opener import OpenInLiveError, open_in_live
from companion.server.deps import current_user, services
from companion.server.live import state_event

router = APIRouter(tags=["live"])
log = logging.getLogger("musiaia.live")
ProjectId = Path(pattern=r"^[0-9a-f]{32}$", description="project id")


def _link(svc, user: User):
    live = svc.live
    if live is None:
        raise HTTPException(
            status.HTTP_409_CONFLICT, "the Live bridge is switched off (MUSIAIA_LIVE_ENABLED=false)"
        )
    if live.error:
        raise HTTPException(status.HTTP_409_CONFLICT, live.error)
    if user.id != live.owner_id:
        raise HTTPException(
            status.HTTP_403_FORBIDDEN, "Live on this machine belongs to the local account"
        )
    return live


@router.get("/live/state")
def live_state(user: User = Depends(current_user), svc=Depends(services)) -> dict:
    live = svc.live
    if live is None or live.error or user.id != live.owner_id:
        return {"connected": False, "error": live.error if live else "disabled"}
    event = state_event(live.bridge.state)
    event["link_error"] = live.bridge.link_error  # why Live is not paired (wrong key, refusal…)
    return event


@router.post("/projects/{project_id}/load-in-live", status_code=202)
async def load_in_live(
    project_id: str = ProjectId,
    version: int | None = Query(None, ge=1, le=100000),
    user: User = Depends(current_user),
    svc=Depends(services),
) -> dict:
    """Build the project into the open Live set; progress and the outcome arrive as
    ``live_progress`` / ``live_loaded`` (or ``error``) events on the user's sockets."""
    live = _link(svc, user)
    details = await svc.run(svc.projects.details, user, project_id, version)
    if not live.bridge.connected:
        raise HTTPException(
            status.HTTP_409_CONFLICT,
            "Live is not connected: open Live with the MusiaIA control surface selected",
        )
    arrangement = Arrangement.model_validate(details["arrangement"])
    number = details["version"]
    # Sample paths in the arrangement are relative to the project folder (where the .als is).
    project_dir = (await svc.run(svc.projects.als_file, user, project_id, number)).parent

    def progress(step) -> None:
        svc.hub.publish(
            user.id,
            {
                "type": "live_progress",
                "project_id": project_id,
                "version": number,
                "data": step.as_dict(),
            },
        )

    async def run() -> None:
        try:
            result = await live.bridge.load(arrangement, progress=progress, project_dir=project_dir)
        except Exception:  # the request already returned; report on the socket
            log.exception("load in Live failed", extra={"project": project_id})
            svc.hub.publish(user.id, {"type": "error", "detail": "could not send the song to Live"})
            return
        if result.ok:
            svc.hub.publish(
                user.id,
                {
                    "type": "live_loaded",
                    "project_id": project_id,
                    "version": number,
                    "result": result.as_dict(),
                },
            )
        else:
            svc.hub.publish(
                user.id,
                {
                    "type": "error",
                    "project_id": project_id,
                    "detail": f"Live could not build the song: {result.reason}",
                },
            )

    task = asyncio.create_task(run())
    svc.background.add(task)
    task.add_done_callback(svc.background.discard)
    return {"status": "started", "project_id": project_id, "version": number}


@router.post("/projects/{project_id}/open-in-live")
async def open_project_in_live(
    project_id: str = ProjectId,
    version: int | None = Query(None, ge=1, le=100000),
    user: User = Depends(current_user),
    svc=Depends(services),
) -> dict:
    """Open the version's .als in Live as a new set (replacing the open one, after Live asks
    to save it)."""
    path = await svc.run(svc.projects.als_file, user, project_id, version)
    try:
        result = await svc.run(open_in_live, path)
    except OpenInLiveError as exc:
        raise HTTPException(status.HTTP_409_CONFLICT, str(exc)) from exc
    return {"status": "opened", "path": str(path), "detail": getattr(result, "command", None)}
