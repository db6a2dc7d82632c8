"""list_projects, get_project, and each version's full arrangement as a resource."""

from __future__ import annotations

import json
from typing import Annotated

from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.exceptions import ResourceNotFoundError
from mcp_types import ToolAnnotations
from pydantic import Field

from companion.mcp_server import tool
from companion.mcp_server.backend import Backend
from companion.mcp_server.errors import UNKNOWN_PROJECT, as_tool_errors
from companion.mcp_server.models import (
    ARRANGEMENT_URI,
    VERSION_ARRANGEMENT_URI,
    ProjectInfo,
    ProjectList,
)
from companion.mcp_server.tools_songs import ProjectId
from companion.mcp_server.views import project_info, project_summary

READ_ONLY = ToolAnnotations(read_only_hint=True)


def register(server: MCPServer, backend: Backend) -> None:
    @tool(server, title="List projects", annotations=READ_ONLY)
    async def list_projects(ctx: Context) -> ProjectList:
        """Your projects, newest first, with style, tempo, key, length and version count."""
        user = await backend.caller(ctx)
        rows = await backend.run(backend.projects.list, user)
        return ProjectList(projects=[project_summary(row) for row in rows])

    @tool(server, title="Get a project", annotations=READ_ONLY)
    async def get_project(
        ctx: Context,
        project_id: ProjectId,
        version: Annotated[
            int | None, Field(ge=1, le=100000, description="default: the latest")
        ] = None,
    ) -> ProjectInfo:
        """One project version: sections, tracks (with instruments and note counts), files,
        what each version changed and what was asked for. The notes themselves are in the
        resource named by arrangement_uri."""
        user = await backend.caller(ctx)
        with as_tool_errors(project_id):
            details = await backend.run(backend.projects.details, user, project_id, version)
            paths = await backend.run(backend.projects.paths, user, project_id, details["version"])
        return project_info(details, paths)

    async def arrangement(ctx: Context, project_id: str, version: int | None) -> str:
        user = await backend.caller(ctx)
        try:
            details = await backend.run(backend.projects.details, user, project_id, version)
        except Exception as exc:
            from companion.services.projects import NotFound, UnsafePath

            if isinstance(exc, NotFound | UnsafePath):
                raise ResourceNotFoundError(UNKNOWN_PROJECT.format(id=project_id)) from exc
            raise
        return json.dumps(details["arrangement"], ensure_ascii=False)

    @server.resource(
        ARRANGEMENT_URI,
        name="arrangement",
        title="A project's arrangement (latest version)",
        mime_type="application/json",
    )
    async def latest_arrangement(project_id: str, ctx: Context) -> str:
        """Every section, track, clip and note of the latest version, as MusiaIA's JSON."""
        return await arrangement(ctx, project_id, None)

    @server.resource(
        VERSION_ARRANGEMENT_URI,
        name="version_arrangement",
        title="A project version's arrangement",
        mime_type="application/json",
    )
    async def version_arrangement(project_id: str, version: str, ctx: Context) -> str:
        """Every section, track, clip and note of one version, as MusiaIA's JSON."""
        if not version.isdigit() or not 1 <= int(version) <= 100000:
            raise ResourceNotFoundError(f"no version {version!r}")
        return await arrangement(ctx, project_id, int(version))
