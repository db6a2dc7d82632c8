"""MCP server start to first tool list: ``musiaia mcp`` spawned by the official SDK's client.

    python benchmarks/bench_mcp_start.py [--runs 7]

Times from launching the process to holding the tool list (process start, imports, the
protocol handshake, tools/list), as an agent experiences it when it starts MusiaIA. Target
(issue 15): under 1 s. Also prints how much of it is the bare interpreter and the imports.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import anyio
from mcp import Client
from mcp.client.stdio import StdioServerParameters

TARGET = 1.0


async def first_tool_list(data: Path) -> float:
    params = StdioServerParameters(
        command=sys.executable,
        args=["-m", "companion.cli", "mcp"],
        env={
            "MUSIAIA_DATA_DIR": str(data),
            "MUSIAIA_LIVE_COMPANION_PORT": "0",
            "MUSIAIA_LOG_LEVEL": "WARNING",
        },
    )
    started = time.perf_counter()
    async with Client(params) as client:
        tools = await client.list_tools()
        elapsed = time.perf_counter() - started
    assert len(tools.tools) >= 7
    return elapsed


def timed(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        anyio.run(first_tool_list, Path(tmp))  # bytecode caches
        runs = [anyio.run(first_tool_list, Path(tmp)) for _ in range(args.runs)]
    bare = [timed([sys.executable, "-c", "pass"]) for _ in range(args.runs)]
    sdk = [timed([sys.executable, "-c", "import mcp.server.mcpserver"]) for _ in range(args.runs)]
    ours = [
        timed([sys.executable, "-c", "import companion.mcp_server.local, companion.cli"])
        for _ in range(args.runs)
    ]
    p50 = statistics.median(runs)
    print(f"start → first tool list: p50 {p50 * 1000:.0f} ms, min {min(runs) * 1000:.0f} ms")
    print(f"  python -c pass:                 p50 {statistics.median(bare) * 1000:.0f} ms")
    print(f"  import the mcp SDK:             p50 {statistics.median(sdk) * 1000:.0f} ms")
    print(f"  import MusiaIA's MCP server:    p50 {statistics.median(ours) * 1000:.0f} ms")
    print(f"target < {TARGET * 1000:.0f} ms: {'met' if p50 < TARGET else 'NOT met'}")


if __name__ == "__main__":
    main()
