"""read_live_clip: what the producer already has in Live, read and listened to.

The Remote Script reads the notes (the selected clip, a named track, or an Arrangement region)
a little per tick, as the chat's Live answers do; the companion lays them out and hears the
chords over time, the key and the rhythm. Reading changes nothing in the set.
"""

from __future__ import annotations

from typing import Annotated, Literal

from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp_types import ToolAnnotations
from pydantic import Field

from companion.mcp_server import tool
from companion.mcp_server.backend import Backend, ProgressRelay, live_for
from companion.mcp_server.models import LiveReadResult

MAX_BAR = 100_000
Bar = Annotated[int | None, Field(ge=1, le=MAX_BAR)]


def read_spec(
    what: str, track: str | None, start_bar: int | None, end_bar: int | None
) -> tuple[dict, tuple[int, int | None] | None]:
    """The Remote Script's read request and the bars of its region (made beats once Live's
    meter is known), or ToolError for a request that makes no sense: checked before Live is
    asked anything."""
    spec: dict = {"what": what}
    if what == "track":
        if not track or not track.strip():
            raise ToolError("what='track' needs the track's name in 'track'")
        spec["track"] = track.strip()
    elif track:
        raise ToolError("'track' is only read with what='track'")
    if start_bar is None and end_bar is None:
        return spec, None
    if what != "arrangement":
        raise ToolError("start_bar and end_bar choose an Arrangement region: what='arrangement'")
    first = start_bar or 1
    if end_bar is not None and end_bar < first:
        raise ToolError(f"end_bar {end_bar} is before start_bar {first}")
    return spec, (first, end_bar)


def with_region(spec: dict, bars: tuple[int, int | None] | None, bar: float) -> dict:
    """Bars (1-based, inclusive) as the beats the Remote Script reads."""
    if bars is None:
        return spec
    first, last = bars
    spec = {**spec, "start": (first - 1) * bar}
    if last is not None:
        spec["end"] = last * bar
    return spec


def register(server: MCPServer, backend: Backend) -> None:
    @tool(server, title="Read clips in Live", annotations=ToolAnnotations(read_only_hint=True))
    async def read_live_clip(
        ctx: Context,
        what: Annotated[
            Literal["selected_clip", "track", "arrangement"],
            Field(
                description="selected_clip: the clip selected in Live; track: every clip of "
                "the track named in 'track'; arrangement: every track's Arrangement clips "
                "(optionally from start_bar to end_bar)"
            ),
        ] = "selected_clip",
        track: Annotated[
            str | None,
            Field(max_length=200, description="what='track': the track's name as in Live"),
        ] = None,
        start_bar: Bar = None,
        end_bar: Annotated[
            int | None, Field(ge=1, le=MAX_BAR, description="inclusive; default: the song's end")
        ] = None,
        include_notes: Annotated[
            bool, Field(description="also list every note (pitch, start, duration, velocity)")
        ] = False,
        max_notes: Annotated[int, Field(ge=1, le=20_000)] = 2000,
    ) -> LiveReadResult:
        """Read the producer's own notes from the set open in Ableton Live and listen to them:
        a summary of the notes, the chords heard over time, the key and the rhythm, per
        passage (the selected clip, each Session clip of a track, or the Arrangement region).
        Use it before writing a part that must fit what the producer has. Changes nothing."""
        from companion.mcp_server.heard import live_reading

        spec, bars = read_spec(what, track, start_bar, end_bar)
        user = await backend.caller(ctx)
        bridge = await live_for(backend, user)
        numerator, denominator = bridge.state.signature or (4, 4)
        spec = with_region(spec, bars, numerator * 4.0 / denominator)
        async with ProgressRelay(ctx) as progress:
            progress(5, "Reading your clips in Live")
            read = await bridge.read(
                spec, progress=lambda percent, label: progress(5 + percent * 0.85, label)
            )
            if read.ok and read.material is not None:
                progress(95, "Listening")
                result = await backend.run(
                    live_reading, read.material, read.elapsed, include_notes, max_notes
                )
                progress(100, "Read")
        if not read.ok or read.material is None:
            raise ToolError(read.reason or "Live did not answer the read")
        return result
