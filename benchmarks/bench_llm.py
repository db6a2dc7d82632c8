"""LLM orchestrator overhead and time to first token, against the fake providers (real HTTP).

    python benchmarks/bench_llm.py [--rounds 300] [--tokens 40] [--first-delay 0]

Each round streams the same scripted MiniMax answer twice, interleaved: once with a raw
``httpx`` streaming call that only reads the SSE lines, and once through
``Orchestrator.answer`` (prompt building, routing, breaker, adapter parsing, think filtering,
timeouts, on_token callback). The difference of the medians is what the orchestrator adds.
Time to first token is measured where the producer sees it: the first ``on_token`` call.
``understand`` is measured the same way against a raw non-streamed call (it also runs the
offline parser and the pydantic validation). Target: added p50 latency under 5 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from companion.chat.context import ChatContext
from companion.llm import LLMSettings, Orchestrator, prompts
from fake_llm import Reply, get_fakes, stream

TARGET_MS = 5.0
QUESTION = "¿Qué acordes van bien en Re menor para un deep house?"
REQUEST = "Genera un track de house a 124 BPM en La menor"
JSON_REPLY = '{"intent": "generate_project", "style": "house", "bpm": 124, "key": "Am"}'


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:7.2f} ms"


async def raw_stream(
    client: httpx.AsyncClient, url: str, body: dict, headers: dict
) -> tuple[float, float]:
    """(total, time to first content line) for a bare streaming call."""
    start = time.perf_counter()
    first = None
    async with client.stream("POST", url, json=body, headers=headers) as response:
        async for line in response.aiter_lines():
            if first is None and '"content": "' in line and '"content": ""' not in line:
                first = time.perf_counter() - start
    return time.perf_counter() - start, first or 0.0


async def main(rounds: int, tokens: int, first_delay: float) -> None:
    fakes = get_fakes()
    pieces = [f"palabra{i} " for i in range(tokens)]
    fakes.minimax.default = stream(*pieces, reasoning=["pienso "] * 4, first_delay=first_delay)
    fakes.glm.default = Reply(JSON_REPLY)
    settings = LLMSettings(
        glm_api_key="bench-glm",
        minimax_api_key="bench-mm",
        glm_base_url=fakes.glm.base_url,
        minimax_base_url=fakes.minimax.base_url,
        routing="",
    )
    context = ChatContext(language="es")
    history = [{"role": "user", "content": "hola"}, {"role": "assistant", "content": "¡Hola!"}]
    orchestrator = Orchestrator(settings)
    provider = orchestrator.providers["minimax"]
    glm = orchestrator.providers["glm"]
    messages = prompts.conversation_messages(QUESTION, context, history, settings.context_tokens)
    stream_body = provider.build_body(
        messages, stream=True, json_mode=False, temperature=None, max_tokens=settings.max_tokens
    )
    understand_body = glm.build_body(
        prompts.understanding_messages(REQUEST, context),
        stream=False,
        json_mode=True,
        temperature=0.2,
        max_tokens=settings.max_tokens,
    )
    headers = {"Authorization": "Bearer bench", "Content-Type": "application/json"}
    raw_total, raw_first, orch_total, orch_first = [], [], [], []
    raw_json, orch_json = [], []
    async with httpx.AsyncClient() as client:
        for i in range(rounds + 10):  # the first 10 rounds warm up connections and caches
            total, first = await raw_stream(
                client, provider.base_url + "/chat/completions", stream_body, headers
            )
            seen: list[float] = []
            start = time.perf_counter()

            def on_token(text: str, start: float = start, seen: list[float] = seen) -> None:
                if not seen:
                    seen.append(time.perf_counter() - start)

            result = await orchestrator.answer(QUESTION, context, history, on_token)
            elapsed = time.perf_counter() - start
            assert result.engine == "MiniMax-M2", result

            t0 = time.perf_counter()
            await client.post(
                glm.base_url + "/chat/completions", json=understand_body, headers=headers
            )
            raw_j = time.perf_counter() - t0
            t0 = time.perf_counter()
            understood = await orchestrator.understand(REQUEST, context)
            orch_j = time.perf_counter() - t0
            assert understood.engine == "glm-4.6", understood
            if i >= 10:
                raw_total.append(total)
                raw_first.append(first)
                orch_total.append(elapsed)
                orch_first.append(seen[0])
                raw_json.append(raw_j)
                orch_json.append(orch_j)
    await orchestrator.aclose()
    fakes.stop()

    added = statistics.median(orch_total) - statistics.median(raw_total)
    added_json = statistics.median(orch_json) - statistics.median(raw_json)
    verdict = "PASS" if added * 1000 < TARGET_MS else "FAIL"
    print(
        f"rounds {rounds}, {tokens} text tokens + 4 reasoning pieces per answer, "
        f"first-token delay {first_delay * 1000:.0f} ms"
    )
    report("answer      raw httpx", raw_total)
    report("answer      orchestrator", orch_total)
    print(f"answer      added p50        {ms(added)}  (target < {TARGET_MS:g} ms: {verdict})")
    report("first token raw httpx", raw_first)
    report("first token on_token", orch_first)
    report("understand  raw httpx", raw_json)
    report("understand  orchestrator", orch_json)
    print(f"understand  added p50        {ms(added_json)}  (offline parser + validation included)")


def report(label: str, values: list[float]) -> None:
    print(f"{label:<28} p50 {ms(statistics.median(values))}  p95 {ms(pct(values, 0.95))}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=300)
    parser.add_argument("--tokens", type=int, default=40)
    parser.add_argument(
        "--first-delay", type=float, default=0.0, help="seconds before the first chunk"
    )
    args = parser.parse_args()
    asyncio.run(main(args.rounds, args.tokens, args.first_delay))
