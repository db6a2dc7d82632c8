"""live_state and send_to_live: the open Live set, and building a project into it."""

from __future__ import annotations

from typing import Annotated

from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp_types import ToolAnnotations
from pydantic import Field

from companion.mcp_server import tool
from companion.mcp_server.backend import Backend, ProgressRelay, live_for
from companion.mcp_server.errors import as_tool_errors
from companion.mcp_server.models import LiveStateResult, LiveTrackInfo, SendResult
from companion.mcp_server.tools_songs import ProjectId


def register(server: MCPServer, backend: Backend) -> None:
    @tool(server, title="Live's state", annotations=ToolAnnotations(read_only_hint=True))
    async def live_state(ctx: Context) -> LiveStateResult:
        """What Ableton Live is doing now: connected or not, tempo, playing, key, meter,
        tracks and the selected track (through MusiaIA's Remote Script)."""
        user = await backend.caller(ctx)
        try:
            bridge = await backend.live_bridge(user)
        except ToolError as exc:
            return LiveStateResult(connected=False, detail=str(exc))
        state = bridge.state
        if not state.connected:
            from companion.mcp_server.backend import LIVE_NOT_CONNECTED

            return LiveStateResult(connected=False, detail=LIVE_NOT_CONNECTED)
        signature = f"{state.signature[0]}/{state.signature[1]}" if state.signature else None
        return LiveStateResult(
            connected=True,
            tempo=state.tempo,
            playing=state.is_playing,
            time_signature=signature,
            key=state.key,
            tracks=[LiveTrackInfo(name=t.name, type=t.type) for t in state.tracks],
            selected_track=state.selected_track_name or None,
            live_version=state.live_version,
            script_version=state.script_version,
        )

    @tool(
        server,
        title="Send a song to Live",
        annotations=ToolAnnotations(read_only_hint=False, destructive_hint=False),
    )
    async def send_to_live(
        ctx: Context,
        project_id: ProjectId,
        version: Annotated[
            int | None, Field(ge=1, le=100000, description="default: the latest")
        ] = None,
    ) -> SendResult:
        """Build a project into the set open in Ableton Live: new tracks with their
        instruments, a clip per section in the session and on the timeline, all in one undo
        step; the producer's own tracks are left alone. Waits until Live has built it."""
        from companion.arrangement import Arrangement

        user = await backend.caller(ctx)
        with as_tool_errors(project_id):
            details = await backend.run(backend.projects.details, user, project_id, version)
            paths = await backend.run(backend.projects.paths, user, project_id, details["version"])
        bridge = await live_for(backend, user)
        arrangement = Arrangement.model_validate(details["arrangement"])
        async with ProgressRelay(ctx) as progress:

            def step(update) -> None:
                progress(min(update.percent, 99.0), update.label or update.phase)

            result = await bridge.load(arrangement, progress=step, project_dir=paths["folder"])
            if result.ok:
                progress(100, "Built in Live")
        if not result.ok:
            raise ToolError(f"Live could not build the song: {result.reason}")
        return SendResult(
            project_id=project_id,
            version=details["version"],
            request_id=result.request_id,
            seconds=round(result.elapsed, 3),
            summary=result.summary,
        )
