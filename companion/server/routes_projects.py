"""A user's projects: generate from requirements, list, details, downloads."""

from __future__ import annotations

import asyncio
from typing import Literal

from fastapi import APIRouter, Depends, HTTPException, Path, Query
from fastapi.responses import FileResponse, Response

from companion.db import User
from companion.server.deps import current_user, services
from companion.server.schemas import (
    GenerateRequest,
    GenerateResponse,
    ProjectDetails,
    ProjectSummary,
    RenderResponse,
)
from companion.server.workers import generate_job, render_job
from companion.services.projects import SampleNotFound
from companion.services.renders import NotRendered, RenderService, RenderUnavailable

router = APIRouter(prefix="/projects", tags=["projects"])
ProjectId = Path(pattern=r"^[0-9a-f]{32}$", description="project id")


@router.post("/generate", response_model=GenerateResponse, status_code=201)
async def generate(
    body: GenerateRequest, user: User = Depends(current_user), svc=Depends(services)
) -> GenerateResponse:
    requirements = body.requirements.model_copy(update={"intent": "generate_project"})
    made = await svc.compute(generate_job, user.id, requirements.model_dump_json(), body.seed)
    return GenerateResponse(
        status="created",
        project_id=made["project_id"],
        project_path=made["folder"],
        download_url=f"/api/v1/projects/{made['project_id']}/download",
        warnings=made.get("warnings", []),
    )


@router.get("", response_model=list[ProjectSummary])
def list_projects(user: User = Depends(current_user), svc=Depends(services)) -> list[dict]:
    return svc.projects.list(user)


@router.get("/{project_id}", response_model=ProjectDetails)
def details(
    project_id: str = ProjectId,
    version: int | None = Query(None, ge=1, le=100000),
    user: User = Depends(current_user),
    svc=Depends(services),
) -> dict:
    return svc.projects.details(user, project_id, version)


@router.get(
    "/{project_id}/download",
    response_class=Response,
    responses={200: {"content": {"application/octet-stream": {}, "application/zip": {}}}},
)
def download(
    project_id: str = ProjectId,
    format: Literal["als", "zip"] = "als",
    version: int | None = Query(None, ge=1, le=100000),
    user: User = Depends(current_user),
    svc=Depends(services),
) -> Response:
    if format == "zip":
        name, data = svc.projects.zip_bytes(user, project_id)
        return Response(
            data,
            media_type="application/zip",
            headers={"Content-Disposition": _attachment(f"{name}.zip")},
        )
    path = svc.projects.als_file(user, project_id, version)
    return FileResponse(
        path,
        media_type="application/octet-stream",
        headers={"Content-Disposition": _attachment(path.name)},
    )


@router.get(
    "/{project_id}/samples/{path:path}",
    response_class=FileResponse,
    responses={200: {"content": {"audio/wav": {}, "audio/aiff": {}, "audio/flac": {}}}},
)
def sample(
    project_id: str = ProjectId,
    path: str = Path(max_length=1024, description="a sample path the arrangement plays"),
    version: int | None = Query(None, ge=1, le=100000),
    user: User = Depends(current_user),
    svc=Depends(services),
) -> FileResponse:
    """One sample file of a project version, for the panel's preview."""
    try:
        file, media = svc.projects.sample_file(user, project_id, path, version)
    except SampleNotFound:
        raise HTTPException(404, "sample not found") from None
    # The user's own files: never kept by a shared cache (the panel keeps decoded buffers).
    headers = {"X-Content-Type-Options": "nosniff", "Cache-Control": "private, no-cache"}
    return FileResponse(file, media_type=media, headers=headers)


@router.post(
    "/{project_id}/render",
    response_model=RenderResponse,
    responses={503: {"description": "the render is not installed on this machine"}},
)
async def render(
    project_id: str = ProjectId,
    version: int | None = Query(None, ge=1, le=100000),
    user: User = Depends(current_user),
    svc=Depends(services),
) -> dict:
    """Render the version's audio (in a worker, once; later calls answer at once)."""
    from companion.render import RenderError, available

    if not available():
        raise HTTPException(503, "the render is not installed here; the preview still plays")
    key = (user.id, project_id, version)
    task = svc.renders.get(key)
    if task is None:
        # One render per version at a time, however many tabs ask for it.
        task = asyncio.ensure_future(svc.compute(render_job, user.id, project_id, version))
        svc.renders[key] = task
        task.add_done_callback(lambda _: svc.renders.pop(key, None))
    try:
        return await asyncio.shield(task)
    except RenderUnavailable as exc:
        raise HTTPException(503, str(exc)) from None
    except RenderError as exc:
        raise HTTPException(422, str(exc)) from None


@router.get(
    "/{project_id}/render",
    response_class=FileResponse,
    responses={200: {"content": {"audio/flac": {}}}, 404: {"description": "not rendered yet"}},
)
def rendered(
    project_id: str = ProjectId,
    version: int | None = Query(None, ge=1, le=100000),
    download: bool = False,
    user: User = Depends(current_user),
    svc=Depends(services),
) -> FileResponse:
    """The version's rendered audio (POST …/render first), to play or, with download, to save."""
    try:
        audio = RenderService(svc.projects).rendered(user, project_id, version)
    except NotRendered:
        raise HTTPException(404, "not rendered yet: POST to this address first") from None
    disposition = _attachment(audio.name) if download else "inline"
    headers = {
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "private, no-cache",  # the user's own audio: never in a shared cache
        "Content-Disposition": disposition,
    }
    return FileResponse(audio.path, media_type="audio/flac", headers=headers)


def _attachment(filename: str) -> str:
    from urllib.parse import quote

    ascii_name = filename.encode("ascii", "replace").decode().replace('"', "'")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
