"""The services' own errors, turned into tool errors an agent can act on.

Imports happen only when an error is being translated, so listing tools stays cheap.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from mcp.server.mcpserver.exceptions import ToolError

UNKNOWN_PROJECT = "no project {id!r} among yours (list_projects shows them)"


@contextmanager
def as_tool_errors(project_id: str | None = None) -> Iterator[None]:
    try:
        yield
    except ToolError:
        raise
    except Exception as exc:
        from companion.pipeline import RequestError
        from companion.render import RenderError
        from companion.services.projects import NotFound, UnsafePath
        from companion.services.renders import RenderUnavailable

        if isinstance(exc, NotFound):
            raise ToolError(UNKNOWN_PROJECT.format(id=project_id or str(exc))) from exc
        if isinstance(exc, RequestError):
            raise ToolError(str(exc)) from exc
        if isinstance(exc, RenderError | RenderUnavailable):
            raise ToolError(str(exc)) from exc
        if isinstance(exc, UnsafePath):
            raise ToolError("the project's files are outside MusiaIA's data folder") from exc
        if isinstance(exc, OSError):
            raise ToolError(f"cannot write the project: {exc.strerror or exc}") from exc
        raise
