"""compose_song and revise_song: a whole song, or its next version, in one call."""

from __future__ import annotations

from typing import Annotated

from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp_types import ToolAnnotations
from pydantic import Field

from companion.mcp_server import tool
from companion.mcp_server.backend import Backend, ProgressRelay
from companion.mcp_server.errors import as_tool_errors
from companion.mcp_server.models import SongResult
from companion.mcp_server.views import song_result
from companion.requirements import Requirements

MAX_TEXT = 4000  # as the chat accepts
ProjectId = Annotated[str, Field(pattern=r"^[0-9a-f]{32}$", description="from list_projects")]


def register(server: MCPServer, backend: Backend) -> None:
    @tool(
        server,
        title="Compose a song",
        annotations=ToolAnnotations(read_only_hint=False, destructive_hint=False),
    )
    async def compose_song(
        ctx: Context,
        request: Annotated[
            str | None,
            Field(
                max_length=MAX_TEXT,
                description="the song in words, Spanish or English, e.g. "
                "'Genera un track de house a 124 BPM en La menor' or 'dark techno in F minor, "
                "64 bars, no lead'",
            ),
        ] = None,
        requirements: Annotated[
            Requirements | None,
            Field(
                description="the song as fields (style, bpm, key, bars, mood, time_signature, "
                "include, exclude); fields given here win over the request text"
            ),
        ] = None,
        seed: Annotated[
            int | None,
            Field(ge=0, lt=2**63, description="the same seed and request give the same song"),
        ] = None,
    ) -> SongResult:
        """Compose a complete song (drums, bass, chords, pads, lead, fx and sections, with
        sounds) and write it as an Ableton Live project (.als, MIDI files, samples). One call
        makes the whole song; send_to_live then builds it into the open Live set."""
        wanted = await _requirements(request, requirements)
        user = await backend.caller(ctx)
        async with ProgressRelay(ctx) as progress:
            progress(5, "Understanding the request")
            with as_tool_errors():
                project_id = await backend.compose(user, wanted, seed, progress)
            result = await _result(backend, user, project_id, None)
            progress(100, "Written")
        await backend.announce(user, project_id)
        return result

    @tool(
        server,
        title="Revise a song",
        annotations=ToolAnnotations(read_only_hint=False, destructive_hint=False),
    )
    async def revise_song(
        ctx: Context,
        project_id: ProjectId,
        change: Annotated[
            str,
            Field(
                min_length=1,
                max_length=MAX_TEXT,
                description="what to change, e.g. 'hazlo más rápido', 'cambia la tonalidad a "
                "Re menor', 'quita el lead', 'make the drums busier', 'at 128 BPM'",
            ),
        ],
    ) -> SongResult:
        """Write the next version (v2, v3…) of a project with a change; the earlier versions
        stay. Parts the change does not touch keep their notes and sounds. The result lists
        what changed."""
        from companion.pipeline import describes_music, understand_request

        with as_tool_errors():
            understanding = understand_request(change)
        requirements = understanding.requirements
        if (
            requirements.intent == "chat"
            and not describes_music(requirements)
            and understanding.adjustments.is_empty()
        ):
            raise ToolError(
                f"{change.strip()[:60]!r} does not say what to change; try e.g. "
                "'make it faster', 'in D minor', 'remove the lead' or 'busier drums'"
            )
        understanding = understanding.model_copy(
            update={"requirements": requirements.model_copy(update={"intent": "modify_project"})}
        )
        user = await backend.caller(ctx)
        async with ProgressRelay(ctx) as progress:
            progress(5, "Understanding the change")
            with as_tool_errors(project_id):
                version = await backend.revise(user, project_id, understanding, progress)
            result = await _result(backend, user, project_id, version)
            progress(100, "Written")
        await backend.announce(user, project_id)
        return result


async def _requirements(request: str | None, requirements: Requirements | None) -> Requirements:
    """The song asked for: the parsed text, overridden by the fields given explicitly."""
    from companion.pipeline import RequestError, describes_music, understand_request

    if request is None or not request.strip():
        if requirements is None:
            raise ToolError("give the song as a request text or as requirements (or both)")
        return requirements.model_copy(update={"intent": "generate_project"})
    try:
        parsed = understand_request(request).requirements
    except RequestError as exc:
        raise ToolError(str(exc)) from exc
    if requirements is not None:
        parsed = parsed.model_copy(update=requirements.model_dump(exclude_unset=True))
    if parsed.intent == "chat" and not describes_music(parsed):
        raise ToolError(
            f"{request.strip()[:60]!r} does not describe a track; "
            "try e.g. 'house at 124 BPM in A minor'"
        )
    return parsed.model_copy(update={"intent": "generate_project"})


async def _result(backend: Backend, user, project_id: str, version: int | None) -> SongResult:
    details = await backend.run(backend.projects.details, user, project_id, version)
    paths = await backend.run(backend.projects.paths, user, project_id, details["version"])
    return song_result(details, paths)
