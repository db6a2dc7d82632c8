"""The sample library from the API: search, preview, upload, delete.

Each account sees the shared library folders and its own uploads, nobody else's; samples are
named by random ids, so they cannot be listed by counting.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from fastapi import APIRouter, Depends, File, HTTPException, Query, UploadFile, status
from fastapi import Path as FastPath
from fastapi.responses import FileResponse
from sqlalchemy import select

from companion.db import Sample, User
from companion.samples.audio_info import sniff_file
from companion.samples.naming import strip_bidi
from companion.samples.search import (
    BadQuery,
    sample_query,
    search_samples,
    skipped_samples,
    visible_to,
)
from companion.samples.upload import NotYours, UploadError, delete_upload, store_upload
from companion.server.deps import current_user, services

router = APIRouter(prefix="/samples", tags=["samples"])
UPLOAD_STATUS = {"too_large": 413, "not_audio": 415, "unusable": 422}
MEDIA_TYPES = {"wav": "audio/wav", "aiff": "audio/aiff", "flac": "audio/flac"}
# Any text is "not found" unless it is a sample this account can see (no hint about the format).
SampleId = FastPath(max_length=64, description="a sample id from a search")
TABLE = Sample.__table__


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
        query = sample_query(
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
    except BadQuery as exc:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_ENTITY, str(exc)) from exc
    result = search_samples(svc.db, query, viewer=user.id)
    return {
        "items": [_item(hit) for hit in result.items],
        "total": result.total,
        "page": result.page,
        "page_size": result.per_page,
    }


@router.get("/skipped")
def skipped(
    page: int = Query(1, ge=1, le=100000),
    page_size: int = Query(50, ge=1, le=200),
    user: User = Depends(current_user),
    svc=Depends(services),
) -> dict:
    """Files of the library no set will use (unreadable, or out of a set's bounds) with the
    reason, so the producer can see what was left out and why."""
    result = skipped_samples(svc.db, user.id, page, page_size)
    return {
        "items": [item.model_dump() for item in result.items],
        "total": result.total,
        "page": result.page,
        "page_size": result.per_page,
    }


def _disposition(kind: str, filename: str) -> str:
    ascii_name = filename.encode("ascii", "replace").decode().replace('"', "'").replace("\\", "_")
    return f"{kind}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


@router.get("/{sample_id}/audio", response_class=FileResponse)
def audio(
    sample_id: str = SampleId,
    download: bool = False,
    user: User = Depends(current_user),
    svc=Depends(services),
):
    """The sample's audio (inline for the preview, ``download=true`` as an attachment), only
    from inside the library's own folders, with the content type of what the file really is."""
    with svc.db.engine.connect() as connection:
        row = connection.execute(
            select(TABLE.c.path).where(
                TABLE.c.public_id == sample_id, TABLE.c.error.is_(None), visible_to(user.id)
            )
        ).first()
    library = svc.library
    if row is None or library is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "sample not found")
    path = Path(row.path)
    resolved = path.resolve()
    inside = any(resolved.is_relative_to(root) for root in library.roots)
    if not inside or path.is_symlink() or not resolved.is_file():
        raise HTTPException(status.HTTP_404_NOT_FOUND, "sample not found")
    kind = sniff_file(resolved)
    if kind is None:  # changed into something else since it was indexed
        raise HTTPException(status.HTTP_404_NOT_FOUND, "sample not found")
    headers = {
        "X-Content-Type-Options": "nosniff",
        "Content-Disposition": _disposition(
            "attachment" if download else "inline", strip_bidi(resolved.name)
        ),
        "Cache-Control": "private, no-cache",  # the user's own files: never in a shared cache
    }
    return FileResponse(resolved, media_type=MEDIA_TYPES[kind], headers=headers)


@router.delete("/{sample_id}", status_code=204)
async def remove(
    sample_id: str = SampleId, user: User = Depends(current_user), svc=Depends(services)
):
    """Delete one of your uploads (file and index entry). Projects keep their own copies."""
    library = svc.library
    lock = library.index.lock if library is not None else None
    try:
        found = await svc.run(delete_upload, svc.db, sample_id, user.id, lock)
    except NotYours as exc:
        raise HTTPException(
            status.HTTP_403_FORBIDDEN,
            "this sample is in a shared library folder: remove it there, not through MusiaIA",
        ) from exc
    if not found:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "sample not found")


@router.post("/upload", status_code=201)
async def upload(
    file: UploadFile = File(...), user: User = Depends(current_user), svc=Depends(services)
) -> dict:
    """Add an audio file to your uploads (checked by content; duplicates are recognised)."""
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
            owner=user.id,
        )
    except UploadError as exc:
        raise HTTPException(UPLOAD_STATUS.get(exc.code, 400), str(exc)) from exc
    finally:
        await file.close()
    return {"sample": _item(result.sample), "duplicate": result.duplicate}
