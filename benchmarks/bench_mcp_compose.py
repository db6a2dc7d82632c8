"""compose_song over MCP (stdio) end to end vs the same request through the CLI: the overhead.

    python benchmarks/bench_mcp_compose.py [--runs 5]

Cold: a fresh ``musiaia mcp`` process driven by the official SDK's client (start, handshake,
compose_song, close) against ``musiaia generate`` for the same request and seed (start,
compose, write). Warm: one compose_song call in a session that is already open (what an agent
pays per song) against the pipeline called in process with the same sounds. Both sides write
the same 64-bar project with the built-in kit into a fresh folder; the kit is rendered once
before timing. Prints the p50 (and min) of each and the MCP overhead at p50.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import anyio
from mcp import Client
from mcp.client.stdio import StdioServerParameters

REQUEST = (
    "Genera un track de house a 124 BPM en La menor, 64 compases, con batería, bajo, "
    "acordes, pads, lead y efectos"
)
SEED = 7


def _env(root: Path) -> dict[str, str]:
    (root / "library").mkdir(parents=True, exist_ok=True)
    return {
        "MUSIAIA_DATA_DIR": str(root / "data"),
        "MUSIAIA_KIT_DIR": str(root / "kit"),
        "MUSIAIA_SAMPLE_DIRS": str(root / "library"),
        "MUSIAIA_LIVE_COMPANION_PORT": "0",
        "MUSIAIA_LIVE_SCRIPT_PORT": "9",  # nobody there: no Live
        "MUSIAIA_LOG_LEVEL": "WARNING",
    }


def _params(root: Path) -> StdioServerParameters:
    return StdioServerParameters(
        command=sys.executable, args=["-m", "companion.cli", "mcp"], env=_env(root)
    )


def cli_once(root: Path, run: int) -> float:
    started = time.perf_counter()
    out = root / "cli" / str(run)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "companion.cli",
            "generate",
            REQUEST,
            "--seed",
            str(SEED),
            "--out",
            out,
        ],
        env={**os.environ, **_env(root)},
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - started


async def mcp_cold_once(root: Path) -> float:
    started = time.perf_counter()
    async with Client(_params(root), read_timeout_seconds=120) as client:
        result = await client.call_tool("compose_song", {"request": REQUEST, "seed": SEED})
        assert not result.is_error, result.content
    return time.perf_counter() - started


async def mcp_warm(root: Path, runs: int) -> list[float]:
    times = []
    async with Client(_params(root), read_timeout_seconds=120) as client:
        await client.call_tool("compose_song", {"request": REQUEST, "seed": SEED})  # warm-up
        for _ in range(runs):
            started = time.perf_counter()
            result = await client.call_tool("compose_song", {"request": REQUEST, "seed": SEED})
            times.append(time.perf_counter() - started)
            assert not result.is_error, result.content
    return times


def in_process(root: Path, runs: int) -> list[float]:
    os.environ.update(_env(root))
    from companion.pipeline import generate
    from companion.settings import Settings
    from companion.sounds import SoundSource

    chooser = SoundSource(Settings().kit_dir).chooser()
    generate(REQUEST, seed=SEED, out_dir=root / "warm" / "w", sounds=chooser)
    times = []
    for run in range(runs):
        started = time.perf_counter()
        generate(REQUEST, seed=SEED, out_dir=root / "warm" / str(run), sounds=chooser)
        times.append(time.perf_counter() - started)
    return times


def _ms(values: list[float]) -> str:
    return f"p50 {statistics.median(values) * 1000:7.0f} ms  (min {min(values) * 1000:.0f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        cli_once(root, -1)  # renders the kit, fills the bytecode caches
        cli = [cli_once(root, run) for run in range(args.runs)]
        cold = [anyio.run(mcp_cold_once, root) for _ in range(args.runs)]
        warm = anyio.run(mcp_warm, root, args.runs)
        pipeline = in_process(root, args.runs)
    print(f"request: {REQUEST!r}, seed {SEED}, {args.runs} runs each")
    print(f"cold  CLI  musiaia generate           {_ms(cli)}")
    print(f"cold  MCP  spawn + handshake + call   {_ms(cold)}")
    overhead = statistics.median(cold) - statistics.median(cli)
    print(f"      MCP overhead, cold (p50)        {overhead * 1000:+7.0f} ms")
    print(f"warm  pipeline in process             {_ms(pipeline)}")
    print(f"warm  MCP  compose_song in a session  {_ms(warm)}")
    overhead = statistics.median(warm) - statistics.median(pipeline)
    print(f"      MCP overhead, warm (p50)        {overhead * 1000:+7.0f} ms")


if __name__ == "__main__":
    main()
