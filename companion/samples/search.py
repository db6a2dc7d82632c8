"""Searching the sample library: filters a producer would use in a browser, ranked by fit.

Filters narrow in SQL (kind family, loop/one-shot, BPM windows incl. half and double time, the key
and its relative major/minor, style tag, words of the path); ranking is a pure function of the row
and the query (same key beats relative key, a BPM in the window beats half/double time, a word in
the file name beats one in a folder name), so it is testable without a database.
"""

from __future__ import annotations

import os
from functools import cache
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from sqlalchemy import Text, and_, cast, func, or_, select

from companion.db import Database, Sample
from companion.music.theory import normalize_key, parse_key
from companion.samples.naming import fold, kinds_for, strip_bidi

TABLE = Sample.__table__
MAX_PER_PAGE = 200

# Styles that share sounds: a deep-house kick suits a house track (ranked below an exact match).
STYLE_FAMILIES: tuple[frozenset[str], ...] = (
    frozenset({"house", "deep-house", "tech-house", "afro-house", "progressive-house"}),
    frozenset({"techno", "minimal-techno"}),
    frozenset({"hip-hop", "boom-bap", "lo-fi", "trap"}),
    frozenset({"drum-and-bass", "dubstep", "uk-garage"}),
    frozenset({"disco", "funk"}),
    frozenset({"edm", "trance", "progressive-house"}),
)


@cache
def related_styles(style: str) -> frozenset[str]:
    related: set[str] = {style}
    for family in STYLE_FAMILIES:
        if style in family:
            related |= family
    return frozenset(related)


def compatible_keys(key: str) -> dict[str, float]:
    """Keys that sound right with ``key`` and how well: itself 1.0, its relative 0.8."""
    parsed = parse_key(key)
    return {parsed.name: 1.0, parsed.relative().name: 0.8}


class SampleQuery(BaseModel):
    """One search; every filter optional (``GET /api/v1/samples`` query parameters)."""

    model_config = ConfigDict(extra="forbid")

    kind: str | None = None  # kick, hat, closed_hat, bass, 808, fx, drums (family)…
    loop: bool | None = None
    bpm_min: Annotated[float, Field(ge=20, le=999)] | None = None
    bpm_max: Annotated[float, Field(ge=20, le=999)] | None = None
    half_double: bool = True  # a 62 or 248 BPM loop also fits 124
    key: str | None = None
    style: str | None = None
    text: Annotated[str, Field(max_length=200)] | None = None
    page: Annotated[int, Field(ge=1)] = 1
    per_page: Annotated[int, Field(ge=1, le=MAX_PER_PAGE)] = 50

    @field_validator("key")
    @classmethod
    def _key(cls, value: str | None) -> str | None:
        return normalize_key(value) if value else None

    @model_validator(mode="after")
    def _range(self) -> SampleQuery:
        if self.bpm_min is not None and self.bpm_max is not None and self.bpm_min > self.bpm_max:
            raise ValueError("bpm_min must not exceed bpm_max")
        return self

    @property
    def words(self) -> list[str]:
        return [fold(word) for word in (self.text or "").split() if word.strip()]


class BadQuery(ValueError):
    """A search that cannot run; the message names the first field at fault."""


def sample_query(**fields: object) -> SampleQuery:
    """A :class:`SampleQuery` from loose inputs (API parameters, an agent's tool call), or
    :class:`BadQuery` saying which field is wrong, the same words for every caller."""
    try:
        return SampleQuery(**fields)
    except ValidationError as exc:
        error = exc.errors()[0]
        where = ".".join(str(part) for part in error.get("loc", ()))
        raise BadQuery(f"{where}: {error.get('msg')}".strip(": ")) from exc
    except ValueError as exc:
        raise BadQuery(str(exc)) from exc


class SampleHit(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str  # the random public id (never the row number: uploads must not be enumerable)
    path: str
    name: str
    kind: str | None
    subtype: str | None = None
    is_loop: bool
    bpm: float | None
    key: str | None
    root_note: int | None = None
    duration: float | None
    sample_rate: int | None = None
    channels: int | None = None
    tags: list[str] = Field(default_factory=list)
    score: float = 0.0
    status: Literal["ok", "unusable"] = "ok"
    reason: str | None = None  # why a set cannot use it
    own: bool = False  # the viewer uploaded it (and may delete it)


class SkippedSample(BaseModel):
    """A file of the library that no set will use, and why (shown so the producer can fix it)."""

    id: str
    path: str
    name: str
    status: Literal["unreadable", "unusable"]  # not audio we can read / readable but out of bounds
    reason: str
    own: bool = False


class SkippedPage(BaseModel):
    total: int
    page: int
    per_page: int
    items: list[SkippedSample]


class SearchPage(BaseModel):
    total: int
    page: int
    per_page: int
    items: list[SampleHit]


# --- ranking (pure) ------------------------------------------------------------------------------


def _bpm_windows(query: SampleQuery) -> list[tuple[float, float, float]]:
    """(low, high, weight) windows: the asked range, then half and double time."""
    low = query.bpm_min if query.bpm_min is not None else 0.0
    high = query.bpm_max if query.bpm_max is not None else 10_000.0
    windows = [(low, high, 1.0)]
    if query.half_double:
        windows += [(low / 2, high / 2, 0.7), (low * 2, high * 2, 0.7)]
    return windows


def bpm_fit(bpm: float | None, query: SampleQuery) -> float:
    if query.bpm_min is None and query.bpm_max is None:
        return 0.0
    if bpm is None:
        return -1.0
    best = -1.0
    for low, high, weight in _bpm_windows(query):
        if low <= bpm <= high:
            centre = (low + high) / 2
            spread = max((high - low) / 2, 1.0)
            best = max(best, weight * (1.0 - 0.3 * min(abs(bpm - centre) / spread, 1.0)))
    return best


def score_row(row: dict, query: SampleQuery) -> float:
    """Relevance of one stored row to the query (higher is better; filters already applied)."""
    score = 0.0
    if query.kind:
        exact = fold(query.kind) == (row.get("kind") or "")
        score += 2.0 if exact else 1.5
        score += 0.5 * float(row.get("kind_confidence") or 0.0)
    if query.key:
        score += 2.0 * compatible_keys(query.key).get(row.get("key") or "", 0.0)
    score += 1.5 * max(bpm_fit(row.get("bpm"), query), 0.0)
    tags = set(row.get("tags") or ())
    if query.style:
        score += 1.0 if query.style in tags else 0.6 if tags & related_styles(query.style) else 0
    words = query.words
    if words:
        path = fold(row.get("path") or "")
        name = fold(os.path.basename(row.get("path") or ""))
        for word in words:
            score += 1.0 if word in name else 0.4 if word in path else 0.0
    return round(score, 4)


# --- querying ------------------------------------------------------------------------------------


def visible_to(viewer: int | None):
    """Rows an account may see: the shared library and its own uploads."""
    shared = TABLE.c.owner_id.is_(None)
    return or_(shared, TABLE.c.owner_id == viewer) if viewer else shared


def _filters(query: SampleQuery, viewer: int | None = None) -> list:
    clauses: list = [TABLE.c.error.is_(None), visible_to(viewer)]
    if query.kind:
        kinds = kinds_for(query.kind)
        # An unknown kind word matches nothing rather than everything.
        clauses.append(TABLE.c.kind.in_(sorted(kinds)) if kinds else TABLE.c.id < 0)
    if query.loop is not None:
        clauses.append(TABLE.c.is_loop.is_(query.loop))
    if query.bpm_min is not None or query.bpm_max is not None:
        ranges = [TABLE.c.bpm.between(low, high) for low, high, _ in _bpm_windows(query)]
        clauses.append(or_(*ranges))
    if query.key:
        clauses.append(TABLE.c.key.in_(sorted(compatible_keys(query.key))))
    if query.style:
        styles = sorted(related_styles(query.style))
        tags = cast(TABLE.c.tags, Text)  # JSON text: ["house", "kick"]
        clauses.append(or_(*[tags.like(f'%"{style}"%') for style in styles]))
    for word in query.words:
        escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        clauses.append(func.lower(TABLE.c.path).like(f"%{escaped}%", escape="\\"))
    return clauses


def sample_hit(row: dict, score: float = 0.0, viewer: int | None = None) -> SampleHit:
    """A stored row as the API shows it (public id, display name, usability)."""
    facts = {key: row.get(key) for key in SampleHit.model_fields if key in FACT_FIELDS}
    return SampleHit(
        **facts,
        id=row["public_id"],
        name=strip_bidi(os.path.basename(row["path"])),
        tags=row.get("tags") or [],
        score=score,
        status="unusable" if row.get("unusable") else "ok",
        reason=row.get("unusable"),
        own=bool(viewer) and row.get("owner_id") == viewer,
    )


FACT_FIELDS = frozenset(
    {"path", "kind", "subtype", "is_loop", "bpm", "key", "root_note", "duration"}
    | {"sample_rate", "channels"}
)


def search_samples(database: Database, query: SampleQuery, viewer: int | None = None) -> SearchPage:
    """One page of matching samples that ``viewer`` may see (the shared library and their own
    uploads; None: the shared library only), best first (path order when nothing ranks them)."""
    where = and_(*_filters(query, viewer))
    offset = (query.page - 1) * query.per_page
    ranked = bool(query.kind or query.key or query.style or query.words) or (
        query.bpm_min is not None or query.bpm_max is not None
    )
    with database.engine.connect() as connection:
        total = int(
            connection.execute(select(func.count()).select_from(TABLE).where(where)).scalar_one()
        )
        if not ranked:
            statement = select(TABLE).where(where).order_by(TABLE.c.path)
            rows = connection.execute(statement.offset(offset).limit(query.per_page))
            items = [sample_hit(dict(row._mapping), 0.0, viewer) for row in rows]
            return SearchPage(total=total, page=query.page, per_page=query.per_page, items=items)
        rows = [dict(row._mapping) for row in connection.execute(select(TABLE).where(where))]
    scored = sorted(
        ((score_row(row, query), row) for row in rows), key=lambda item: (-item[0], item[1]["path"])
    )
    page = scored[offset : offset + query.per_page]
    items = [sample_hit(row, score, viewer) for score, row in page]
    return SearchPage(total=total, page=query.page, per_page=query.per_page, items=items)


def skipped_samples(
    database: Database, viewer: int | None, page: int = 1, per_page: int = 50
) -> SkippedPage:
    """Files ``viewer`` can see that selection never offers: unreadable ones (``error``) and
    readable ones a set cannot use (``unusable``), each with its reason, in path order."""
    where = and_(visible_to(viewer), or_(TABLE.c.error.is_not(None), TABLE.c.unusable.is_not(None)))
    with database.engine.connect() as connection:
        total = int(
            connection.execute(select(func.count()).select_from(TABLE).where(where)).scalar_one()
        )
        rows = connection.execute(
            select(
                TABLE.c.public_id, TABLE.c.path, TABLE.c.error, TABLE.c.unusable, TABLE.c.owner_id
            )
            .where(where)
            .order_by(TABLE.c.path)
            .offset((page - 1) * per_page)
            .limit(per_page)
        ).all()
    items = [
        SkippedSample(
            id=row.public_id,
            path=row.path,
            name=strip_bidi(os.path.basename(row.path)),
            status="unreadable" if row.error else "unusable",
            reason=row.error or row.unusable,
            own=bool(viewer) and row.owner_id == viewer,
        )
        for row in rows
    ]
    return SkippedPage(total=total, page=page, per_page=per_page, items=items)
