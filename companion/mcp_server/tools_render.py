"""render_preview: a version's audio, rendered offline, to hear it without Live."""

from __future__ import annotations

from typing import Annotated

from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp_types import ToolAnnotations
from pydantic import Field

from companion.mcp_server import tool
from companion.mcp_server.backend import Backend, ProgressRelay
from companion.mcp_server.errors import as_tool_errors
from companion.mcp_server.models import PreviewResult
from companion.mcp_server.tools_songs import ProjectId


def register(server: MCPServer, backend: Backend) -> None:
    @tool(
        server,
        title="Render a preview",
        annotations=ToolAnnotations(read_only_hint=False, destructive_hint=False),
    )
    async def render_preview(
        ctx: Context,
        project_id: ProjectId,
        version: Annotated[
            int | None, Field(ge=1, le=100000, description="default: the latest")
        ] = None,
    ) -> PreviewResult:
        """Render a version's audio (the whole song as FLAC, offline, as Live would play it:
        its samples, instruments, effects and mix) to listen to it without Live. Each version
        renders once; asking again answers at once."""
        from companion.render import INSTALL_HINT, available
        from companion.services.renders import RenderService

        user = await backend.caller(ctx)
        if not available():
            raise ToolError(f"the render is not installed here: {INSTALL_HINT}")
        async with ProgressRelay(ctx) as progress:
            progress(5, "Rendering the audio")
            with as_tool_errors(project_id):
                made = await backend.render(user, project_id, version)
                audio = await backend.run(
                    RenderService(backend.projects).rendered, user, project_id, made["version"]
                )
            progress(100, "Rendered")
        return PreviewResult(
            project_id=project_id,
            version=made["version"],
            format=made["format"],
            seconds=made["seconds"],
            bytes=made["bytes"],
            path=str(audio.path),
            url=made["url"],
        )
