"""MusiaIA as a Model Context Protocol server: song-level tools for AI agents.

One call composes a whole song (where other Live tools need hundreds of low-level calls), one
revises it, one builds it into the open Live set. The same tools are served over stdio
(``musiaia mcp``, :mod:`companion.mcp_server.local`) and over Streamable HTTP at ``/mcp`` on the
running companion (:mod:`companion.mcp_server.hosted`), by the official ``mcp`` SDK.

Each tool module has ``register(server, backend)``; :data:`TOOL_MODULES` lists them, so a new
tool is one small module and one line here.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from typing import TYPE_CHECKING, Any

from companion import __version__

if TYPE_CHECKING:
    from mcp.server.mcpserver import MCPServer

    from companion.mcp_server.backend import Backend

TOOL_MODULES: tuple[str, ...] = (
    "companion.mcp_server.tools_songs",  # compose_song, revise_song
    "companion.mcp_server.tools_projects",  # list_projects, get_project, arrangement resources
    "companion.mcp_server.tools_live",  # live_state, send_to_live
    "companion.mcp_server.tools_read",  # read_live_clip
    "companion.mcp_server.tools_samples",  # search_samples
    "companion.mcp_server.tools_render",  # render_preview
)

INSTRUCTIONS = (
    "MusiaIA composes whole songs for Ableton Live. compose_song makes a complete arrangement "
    "(drums, bass, chords, pads, lead, fx, sections, sounds) and writes a Live set in one call; "
    "revise_song writes the next version with a change; render_preview renders its audio to hear "
    "it; send_to_live builds a version into the open Live set; read_live_clip reads and hears "
    "the producer's own clips in Live (chords, key, rhythm). Prefer these song-level tools to "
    "building a song note by note."
)


def build_server(
    backend: Backend,
    *,
    lifespan: Callable[[Any], AbstractAsyncContextManager[Any]] | None = None,
    **options: Any,
) -> MCPServer:
    """An MCP server with every tool module registered against ``backend``."""
    from mcp.server.mcpserver import MCPServer

    server = MCPServer(
        "musiaia",
        title="MusiaIA",
        version=__version__,
        instructions=INSTRUCTIONS,
        lifespan=lifespan,
        **options,
    )
    for name in TOOL_MODULES:
        importlib.import_module(name).register(server, backend)
    return server


def tool(server: MCPServer, **options: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """``server.tool`` with the docstring as the description, its indentation removed."""

    def register(fn: Callable[..., Any]) -> Callable[..., Any]:
        return server.tool(description=inspect.cleandoc(fn.__doc__ or ""), **options)(fn)

    return register
