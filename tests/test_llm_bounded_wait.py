"""What a producer waits when models accept the connection and never answer.

Real fake servers (tests/fake_llm.py ``Hang``) read each request and stay silent. Before the
bounded wait, one question cost retries × first-token timeouts × providers, for understanding
and again for the answer (480 s with the defaults). Here the bounds are small (1–2 s) and the
assertions compare the elapsed time with the configured bound, never with a fixed speed."""

from __future__ import annotations

import time

import pytest

from companion.chat.context import ChatContext
from companion.llm import OFFLINE, Orchestrator
from fake_llm import Hang, Reply, Stream, llm_settings, stream

pytestmark = pytest.mark.anyio

ES = ChatContext(language="es")
QUESTION = "¿Qué es el sidechain?"
SLACK = 0.75  # scheduling and HTTP on a loaded machine; far below what one retry would cost

# With these, the unbounded wait is 3 attempts × 1 s for each of two providers to understand,
# then 1 s per provider to answer: about 8 s. The bounds promise 1.5 s and 2 s.
HUNG = dict(
    first_token_timeout=1.0,
    idle_timeout=1.0,
    total_timeout=3.0,
    max_retries=2,
    understand_budget=1.5,
    answer_budget=2.0,
    slow_notice=0.3,
    breaker_failures=3,
    routing="",
)


class Timeline:
    """Every callback with the seconds since the step started."""

    def __init__(self) -> None:
        self.start = time.monotonic()
        self.events: list[tuple[float, str, str]] = []

    def restart(self) -> None:
        self.start = time.monotonic()

    def __call__(self, kind: str):
        def record(text: str) -> None:
            self.events.append((time.monotonic() - self.start, kind, text))

        return record

    def first(self, kind: str) -> float:
        return next(at for at, k, _ in self.events if k == kind)

    def texts(self, kind: str) -> list[str]:
        return [text for _, k, text in self.events if k == kind]


async def test_hung_providers_bound_the_whole_wait(fakes):
    fakes.glm.default = Hang()
    fakes.minimax.default = Hang()
    async with Orchestrator(llm_settings(fakes, **HUNG)) as orchestrator:
        started = time.monotonic()
        understood = await orchestrator.understand(QUESTION, ES)
        understanding = time.monotonic() - started

        started = time.monotonic()
        answered = await orchestrator.answer(QUESTION, ES, [])
        answering = time.monotonic() - started

    assert understood.engine == OFFLINE and understood.understanding.requirements.intent == "chat"
    assert answered.engine == OFFLINE and "sidechain" in answered.text.lower()
    assert understanding < HUNG["understand_budget"] + SLACK, understanding
    assert answering < HUNG["answer_budget"] + SLACK, answering
    # A hang is never retried: each request was abandoned once, not three times.
    assert fakes.glm.abandoned <= 1 and fakes.minimax.abandoned <= 1


async def test_understanding_tells_the_producer_and_learns_from_one_hang(fakes):
    fakes.glm.default = Hang()
    fakes.minimax.default = Hang()
    line = Timeline()
    async with Orchestrator(llm_settings(fakes, **HUNG)) as orchestrator:
        understood = await orchestrator.understand(QUESTION, ES, on_notice=line("notice"))
        assert understood.engine == OFFLINE
        notice = line.first("notice")
        assert HUNG["slow_notice"] <= notice < HUNG["slow_notice"] + SLACK
        assert "GLM-4.6" in line.texts("notice")[0] and "sin conexión" in line.texts("notice")[0]
        assert len(line.texts("notice")) == 1  # once, not on every provider
        # One hang each was enough (GLM's read timeout fired inside the budget, MiniMax had the
        # rest of it): both circuits are open, so the next question costs no wait at all.
        assert orchestrator.breakers["glm"].state == "open"
        assert orchestrator.breakers["minimax"].state == "open"
        requests = len(fakes.glm.requests) + len(fakes.minimax.requests)
        started = time.monotonic()
        again = await orchestrator.understand(QUESTION, ES)
        reply = await orchestrator.answer(QUESTION, ES, [])
        assert time.monotonic() - started < SLACK
        assert again.engine == reply.engine == OFFLINE
        assert len(fakes.glm.requests) + len(fakes.minimax.requests) == requests


async def test_an_answer_tells_the_producer_before_the_offline_answer(fakes):
    fakes.glm.default = Hang()
    fakes.minimax.default = Hang()
    line = Timeline()
    settings = llm_settings(fakes, **{**HUNG, "first_token_timeout": 60.0})
    async with Orchestrator(settings) as orchestrator:
        answered = await orchestrator.answer(
            QUESTION, ES, [], line("token"), on_notice=line("notice")
        )
        assert answered.engine == OFFLINE
        assert HUNG["slow_notice"] <= line.first("notice") < line.first("token")
        assert "MiniMax-M2" in line.texts("notice")[0] and "sin conexión" in line.texts("notice")[0]
        assert line.first("token") < HUNG["answer_budget"] + SLACK
        assert orchestrator.breakers["minimax"].state == "open"
        assert fakes.glm.requests == []  # the budget was spent: no fresh wait for the next one


async def test_three_hung_providers_still_cost_one_budget(fakes):
    fakes.local.default = Hang()
    fakes.glm.default = Hang()
    fakes.minimax.default = Hang()
    settings = llm_settings(
        fakes,
        **{**HUNG, "first_token_timeout": 60.0, "idle_timeout": 60.0, "total_timeout": 180.0},
        local_base_url=fakes.local.base_url,
        local_model="qwen3:8b",
    )
    async with Orchestrator(settings) as orchestrator:
        started = time.monotonic()
        await orchestrator.understand(QUESTION, ES)
        understanding = time.monotonic() - started
        started = time.monotonic()
        answered = await orchestrator.answer(QUESTION, ES, [])
        answering = time.monotonic() - started
    assert understanding < HUNG["understand_budget"] + SLACK
    assert answering < HUNG["answer_budget"] + SLACK
    assert answered.engine == OFFLINE
    assert fakes.local.requests  # the local model was first in line


async def test_a_quick_failure_leaves_the_rest_of_the_budget_to_the_next_engine(fakes):
    fakes.minimax.script(Reply("", delay=0.0))  # an empty answer: a quick, ordinary failure
    fakes.glm.script(stream("Desde GLM", first_delay=0.5))
    async with Orchestrator(llm_settings(fakes, **HUNG)) as orchestrator:
        answered = await orchestrator.answer(QUESTION, ES, [])
    assert answered.engine == "glm-4.6" and answered.text == "Desde GLM"


async def test_a_thinking_model_is_alive_not_hung(fakes):
    # Reasoning arrives every 0.4 s for 2.4 s, longer than the 1 s silence allowed: it is a sign
    # of life, so the producer is told the model is thinking and gets its answer.
    frames = [("think", "hmm "), ("pause", 0.4)] * 6
    frames += [("text", "Es una "), ("text", "compresión."), ("finish", "stop"), ("usage",)]
    fakes.minimax.script(Stream(frames))
    line = Timeline()
    settings = llm_settings(fakes, **{**HUNG, "answer_budget": 1.0, "idle_timeout": 1.0})
    async with Orchestrator(settings) as orchestrator:
        answered = await orchestrator.answer(
            QUESTION, ES, [], line("token"), on_notice=line("notice")
        )
    assert answered.engine == "MiniMax-M2" and answered.text == "Es una compresión."
    assert "pensando" in line.texts("notice")[0]
    assert orchestrator.breakers["minimax"].state == "closed"


async def test_a_stall_after_tokens_is_a_hang_too(fakes):
    fakes.minimax.script(stream("Empiezo ", "y me ", stall_after=True))
    fakes.glm.default = Hang()
    settings = llm_settings(fakes, **{**HUNG, "idle_timeout": 60.0})
    log: list[str] = []
    async with Orchestrator(settings) as orchestrator:
        started = time.monotonic()
        answered = await orchestrator.answer(
            QUESTION, ES, [], lambda t: log.append("token"), on_reset=lambda r: log.append("reset")
        )
        elapsed = time.monotonic() - started
    # Silent past the answer budget: the circuit opens, and GLM gets no fresh wait.
    assert answered.engine == OFFLINE and "reset" in log
    assert elapsed < HUNG["answer_budget"] + SLACK
    assert orchestrator.breakers["minimax"].state == "open"
    assert fakes.glm.requests == []


async def test_a_question_whose_understanding_hung_waits_one_budget_not_two(fakes):
    fakes.glm.default = Hang()
    fakes.minimax.default = Hang()
    settings = llm_settings(fakes, **{**HUNG, "first_token_timeout": 60.0, "idle_timeout": 60.0})
    async with Orchestrator(settings) as orchestrator:
        started = time.monotonic()
        understood = await orchestrator.understand(QUESTION, ES)
        assert understood.engine == OFFLINE
        assert understood.silent_for >= HUNG["understand_budget"] - 0.05
        answered = await orchestrator.answer(QUESTION, ES, [], waited=understood.silent_for)
        whole = time.monotonic() - started
    assert answered.engine == OFFLINE
    # The silence bound covers the whole question: max(budgets), not their sum.
    assert whole < max(HUNG["understand_budget"], HUNG["answer_budget"]) + SLACK, whole
    assert fakes.minimax.requests  # MiniMax still had its chance in what was left
