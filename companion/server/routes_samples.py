"""The sample library from the API: search, preview, upload."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Depends, File, HTTPException, Query, UploadFile, status
from fastapi import Path as FastPath
from fastapi.responses import FileResponse
from pydantic import ValidationError

from companion.db import Sample, User
from companion.samples.search import SampleQuery, search_samples
from companion.samples.upload import UploadError, store_upload
from companion.server.deps import current_user, services

router = APIRouter(prefix="/samples", tags=["samples"])
UPLOAD_STATUS = {"too_large": 413, "not_audio": 415}
AUDIO_TYPES = {
    ".wav": "audio/wav",
    ".wave": "audio/wav",
    ".aif": "audio/aiff",
    ".aiff": "audio/aiff",
    ".flac": "audio/flac",
}


def _item(hit) -> dict:
    data = hit.model_dump()
    data["type"] = data.get("kind")
    data["preview_url"] = f"/api/v1/samples/{hit.id}/audio"
    return data


@router.get("")
def search(
    type: str | None = Query(None, max_length=32),
    loop: bool | None = None,
    bpm_min: float | None = Query(None, ge=20, le=999),
    bpm_max: float | None = Query(None, ge=20, le=999),
    key: str | None = Query(None, max_length=8),
    style: str | None = Query(None, max_length=40),
    q: str | None = Query(None, max_length=200),
    page: int = Query(1, ge=1, le=100000),
    page_size: int = Query(50, ge=1, le=200),
    user: User = Depends(current_user),
    svc=Depends(services),
) -> dict:
    try:
        query = SampleQuery(
            kind=type,
            loop=loop,
            bpm_min=bpm_min,
            bpm_max=bpm_max,
            key=key,
            style=style,
            text=q,
            page=page,
            per_page=page_size,
        )
    except (ValidationError, ValueError) as exc:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_ENTITY, _first_error(exc)) from exc
    result = search_samples(svc.db, query)
    return {
        "items": [_item(hit) for hit in result.items],
        "total": result.total,
        "page": result.page,
        "page_size": result.per_page,
    }


def _first_error(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        error = exc.errors()[0]
        return f"{'.'.join(str(p) for p in error.get('loc', ()))}: {error.get('msg')}".strip(": ")
    return str(exc)


@router.get("/{sample_id}/audio", response_class=FileResponse)
def audio(
    sample_id: int = FastPath(ge=1, le=2**62),
    user: User = Depends(current_user),
    svc=Depends(services),
):
    """The sample's audio for preview, only from inside the library's own folders."""
    with svc.db.session() as session:
        row = session.get(Sample, sample_id)
        path = Path(row.path) if row is not None and row.error is None else None
    library = svc.library
    if path is None or library is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "sample not found")
    resolved = path.resolve()
    inside = any(resolved.is_relative_to(root) for root in library.roots)
    if not inside or path.is_symlink() or not resolved.is_file():
        raise HTTPException(status.HTTP_404_NOT_FOUND, "sample not found")
    media = AUDIO_TYPES.get(resolved.suffix.lower(), "application/octet-stream")
    return FileResponse(resolved, media_type=media)


@router.post("/upload", status_code=201)
async def upload(
    file: UploadFile = File(...), user: User = Depends(current_user), svc=Depends(services)
) -> dict:
    """Add an audio file to the library (checked by content; duplicates are recognised)."""
    library = svc.library
    index = library.index if library is not None else None
    try:
        result = await svc.run(
            store_upload,
            file.file,
            file.filename or "sample",
            svc.settings.uploads_dir,
            svc.db,
            max_bytes=svc.settings.max_upload_bytes,
            index=index,
        )
    except UploadError as exc:
        raise HTTPException(UPLOAD_STATUS.get(exc.code, 400), str(exc)) from exc
    finally:
        await file.close()
    return {"sample": _item(result.sample), "duplicate": result.duplicate}
