"""Worst-case wait when every language model accepts the connection and never answers.

    python benchmarks/bench_llm_hang.py [--local] [--env NAME=VALUE ...]

Starts the real companion (``musiaia serve``) with GLM and MiniMax keys pointing at fake
providers that accept each request and stay silent (tests/fake_llm.py ``Hang``), with every
timing setting at its default, and asks through the WebSocket what a producer asks:
"¿Qué es el sidechain?". Printed: when the first notice arrived (the producer is told the model is
slow), when the first answer token arrived, and when the answer was complete; then the same
for a second question, which shows whether the circuit breakers learned from the first hang.
``--local`` adds a hung OpenAI-compatible local server in front of the routing
(``structured=local,glm,minimax;conversation=local,minimax,glm``).

Before the bounded wait (issue 15), the first question took 480 s: retries × first-token
timeouts × two providers, for understanding and again for the answer.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

from websockets.sync.client import connect

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))
from fake_llm import FakeProvider, FakeServer, Hang, get_fakes  # noqa: E402
from server_harness import sign_in, start_server  # noqa: E402

QUESTIONS = ("¿Qué es el sidechain?", "¿Y qué es un compresor?")


def ask(ws, text: str, limit: float) -> dict:
    """Send one message; return the seconds at which each kind of event first arrived."""
    started = time.monotonic()
    ws.send(json.dumps({"type": "message", "content": text}))
    seen: dict = {"notices": []}
    while time.monotonic() - started < limit:
        event = json.loads(ws.recv(timeout=limit))
        at = round(time.monotonic() - started, 2)
        kind = event.get("type")
        if kind == "notice":
            seen["notices"].append((at, event.get("content", "")))
        seen.setdefault(kind, at)
        if kind in ("message", "error"):
            seen["engine"] = event.get("engine")
            seen["content"] = event.get("content") or event.get("detail")
            return seen
    raise TimeoutError(f"no answer within {limit:.0f} s")


def report(label: str, seen: dict) -> None:
    first_notice = seen["notices"][0][0] if seen["notices"] else None
    print(f"{label}")
    print(f"  first notice          {fmt(first_notice)}")
    print(f"  first answer token    {fmt(seen.get('token'))}")
    print(f"  answer complete       {fmt(seen.get('message'))}  (engine: {seen.get('engine')})")
    for at, text in seen["notices"]:
        print(f"    notice at {at:6.2f} s: {text[:110]}")


def fmt(value: float | None) -> str:
    return "   —    " if value is None else f"{value:7.2f} s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--local", action="store_true", help="also a hung local model, first")
    parser.add_argument("--env", action="append", default=[], help="extra NAME=VALUE settings")
    parser.add_argument("--limit", type=float, default=900, help="give up after this many s")
    args = parser.parse_args()

    fakes = get_fakes()
    fakes.glm.default = Hang()
    fakes.minimax.default = Hang()
    env = {
        "GLM46_API_KEY": "bench-glm",
        "MINIMAX_API_KEY": "bench-minimax",
        "GLM46_BASE_URL": fakes.glm.base_url,
        "MINIMAX_BASE_URL": fakes.minimax.base_url,
    }
    local_server = None
    if args.local:
        local = FakeProvider("ollama")
        local.default = Hang()
        local_server = FakeServer(local)
        local_server.start()
        env.update(
            {
                "MUSIAIA_LLM_LOCAL_BASE_URL": local.base_url,
                "MUSIAIA_LLM_LOCAL_MODEL": "qwen3:8b",
                "MUSIAIA_LLM_ROUTING": "structured=local,glm,minimax;"
                "conversation=local,minimax,glm",
            }
        )
    for item in args.env:
        name, _, value = item.partition("=")
        env[name] = value
    with tempfile.TemporaryDirectory(prefix="musiaia-hang-") as data:
        server = start_server(Path(data), env_extra=env)
        try:
            token = sign_in(server)
            with connect(server.ws_url, open_timeout=10) as ws:
                ws.send(json.dumps({"type": "auth", "token": token}))
                assert json.loads(ws.recv(timeout=10))["type"] == "ready"
                engines = "local, GLM-4.6, MiniMax-M2" if args.local else "GLM-4.6, MiniMax-M2"
                print(f"every provider hung ({engines}); default bounds unless --env")
                for number, question in enumerate(QUESTIONS, 1):
                    seen = ask(ws, question, args.limit)
                    report(f"question {number}: {question!r}", seen)
        finally:
            server.stop()
            fakes.stop()
            if local_server is not None:
                local_server.stop()


if __name__ == "__main__":
    main()
