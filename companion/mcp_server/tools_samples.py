"""search_samples: the producer's own library (and uploads), as the panel's Samples tab."""

from __future__ import annotations

from typing import Annotated

from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp_types import ToolAnnotations
from pydantic import Field

from companion.mcp_server import tool
from companion.mcp_server.backend import Backend
from companion.mcp_server.models import SampleInfo, SampleSearchResult

Bpm = Annotated[float | None, Field(ge=20, le=999)]


def register(server: MCPServer, backend: Backend) -> None:
    @tool(server, title="Search samples", annotations=ToolAnnotations(read_only_hint=True))
    async def search_samples(
        ctx: Context,
        text: Annotated[
            str | None, Field(max_length=200, description="words of the file or folder name")
        ] = None,
        type: Annotated[
            str | None,
            Field(max_length=32, description="kick, snare, clap, hat, bass, 808, fx, drums…"),
        ] = None,
        loop: Annotated[bool | None, Field(description="loops only (true), one-shots (false)")] = (
            None
        ),
        bpm_min: Bpm = None,
        bpm_max: Bpm = None,
        key: Annotated[
            str | None, Field(max_length=8, description="e.g. Am; relative keys also match")
        ] = None,
        style: Annotated[str | None, Field(max_length=40)] = None,
        limit: Annotated[int, Field(ge=1, le=200)] = 20,
    ) -> SampleSearchResult:
        """Search the sample library MusiaIA indexes (your folders and uploads), best match
        first: type, loop or one-shot, tempo range (half and double time count), key, style
        and words of the path."""
        from companion.samples.search import BadQuery, sample_query
        from companion.samples.search import search_samples as run_search

        try:
            query = sample_query(
                kind=type,
                loop=loop,
                bpm_min=bpm_min,
                bpm_max=bpm_max,
                key=key,
                style=style,
                text=text,
                per_page=limit,
            )
        except BadQuery as exc:
            raise ToolError(str(exc)) from exc
        await backend.caller(ctx)
        await backend.prepare_samples()
        page = await backend.run(run_search, backend.db, query)
        return SampleSearchResult(
            total=page.total,
            samples=[
                SampleInfo(
                    id=hit.id,
                    name=hit.name,
                    path=hit.path,
                    type=hit.kind,
                    loop=hit.is_loop,
                    bpm=hit.bpm,
                    key=hit.key,
                    duration=hit.duration,
                    tags=hit.tags,
                )
                for hit in page.items
            ],
        )
