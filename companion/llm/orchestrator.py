"""Which engine answers: route, fall back, keep dead providers out, and always have an answer.

For each message the orchestrator walks the routing policy (a local model first when one is set
up; structured understanding → GLM, conversation → MiniMax; configurable), or the account's own
choice of engine before it, skipping providers without configuration or whose circuit breaker is
open, and ends at the offline engine, which never fails: the offline parser for understanding and
:func:`offline_answer` for conversation. Streams are held to first-token, idle and total
timeouts; when a provider dies after tokens went out, the client is told to ``reset`` before the
next engine's tokens. Every result names the engine that produced it.

What a producer waits is bounded as a whole, not per attempt: understanding gets
``understand_budget`` seconds across every provider and retry, then the offline parser decides;
an answer may stay silent (no token, no reasoning) for at most ``answer_budget`` seconds before
the offline answer streams. After ``slow_notice`` seconds without an answer the producer is told
the model is slow (``on_notice``). A provider that hangs has its circuit opened at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Collection, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from pydantic import ValidationError

from companion.chat.answers import offline_answer
from companion.chat.context import ChatContext
from companion.llm import prompts
from companion.llm.base import Done, Provider, ReasoningDelta, TextDelta
from companion.llm.breaker import CircuitBreaker
from companion.llm.errors import (
    BadResponseError,
    ExtractionError,
    HungError,
    LLMError,
    LLMTimeoutError,
    NotConfiguredError,
)
from companion.llm.glm import GLMProvider
from companion.llm.local import LocalProvider
from companion.llm.minimax import MiniMaxProvider
from companion.llm.schema import ExtractedRequest
from companion.llm.settings import LLMSettings
from companion.requirements import Understanding
from companion.understanding.parser import understand as offline_understand

__all__ = [
    "ENGINE_CHOICES",
    "OFFLINE",
    "Answered",
    "Orchestrator",
    "ProviderCheck",
    "Understood",
    "build_providers",
]

log = logging.getLogger("companion.llm")

OFFLINE = "offline"
EXTRACTION_TEMPERATURE = 0.2
# What an account may choose (None: follow the routing policy). "local" and "offline" keep every
# message on this machine: they never fall back to a cloud provider.
ENGINE_CHOICES: tuple[str, ...] = ("glm", "minimax", "local", OFFLINE)
ON_MACHINE = frozenset({"local", OFFLINE})

Callback = Callable[[str], Awaitable[None] | None]


@dataclass
class Understood:
    understanding: Understanding
    engine: str  # "glm-4.6", "MiniMax-M2" or "offline"
    notes: list[str] = field(default_factory=list)  # what went wrong on the way, user language
    # Seconds the producer has waited without any sign of life from a model (0 when one
    # answered): an answer that follows counts them against its own silence budget.
    silent_for: float = 0.0
    noted: set[str] = field(default_factory=set)  # providers the notes already spoke about


@dataclass
class Answered:
    text: str
    engine: str
    reasoning: str | None = None  # only when show_reasoning was asked for
    notes: list[str] = field(default_factory=list)


@dataclass
class ProviderCheck:
    provider: str
    engine: str
    base_url: str
    configured: bool
    ok: bool
    latency_ms: float | None
    error: str | None
    error_kind: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def build_providers(settings: LLMSettings) -> dict[str, Provider]:
    return {
        "local": LocalProvider.from_settings(settings),
        "glm": GLMProvider.from_settings(settings),
        "minimax": MiniMaxProvider.from_settings(settings),
    }


async def _call(callback: Callback | None, text: str) -> None:
    if callback is None:
        return
    result = callback(text)
    if inspect.isawaitable(result):
        await result


class _Sink:
    """Where streamed text goes: trims the leading blank, remembers whether anything went out."""

    def __init__(self, on_token: Callback | None, on_reset: Callback | None) -> None:
        self.on_token = on_token
        self.on_reset = on_reset
        self.dirty = False

    async def token(self, text: str) -> None:
        if not self.dirty:
            text = text.lstrip()
            if not text:
                return
        self.dirty = True
        await _call(self.on_token, text)

    async def reset(self, reason: str) -> None:
        if self.dirty:
            self.dirty = False
            await _call(self.on_reset, reason)


def _switch_note(label: str, language: str) -> str:
    if language == "es":
        return (
            f"{label} dejó de responder a mitad de la respuesta; empiezo de nuevo con otro motor."
        )
    return f"{label} stopped in the middle of the answer; starting again with another engine."


def _slow_note(step: str, label: str, seconds: float, thinking: bool, language: str) -> str:
    left = max(1, round(seconds))
    if step == "understand":
        if language == "es":
            return (
                f"{label} tarda en responder; si en {left} s no ha entendido la petición, "
                "MusiaIA sigue con su analizador sin conexión."
            )
        return (
            f"{label} is slow to answer; if it has not understood the request in {left} s, "
            "MusiaIA carries on with its offline parser."
        )
    if thinking:
        if language == "es":
            return f"{label} está pensando; su respuesta viene en camino."
        return f"{label} is thinking; its answer is on the way."
    if language == "es":
        return (
            f"{label} tarda en responder; si sigue callado, MusiaIA responde sin conexión "
            f"en {left} s."
        )
    return f"{label} is slow to answer; if it stays silent, MusiaIA answers offline in {left} s."


class _Watch:
    """One step's wait as the producer lives it: the engine being waited on, when the engines
    last showed a sign of life (a token or reasoning), and whether text was shown yet.

    ``remaining`` is the silence still allowed before giving up on every model. Understanding
    passes ``renew=False``: its bound runs from the message, not from the last sign of life.
    """

    def __init__(self, budget: float, renew: bool = True) -> None:
        self.loop = asyncio.get_running_loop()
        self.budget = budget
        self.renew = renew
        self.last = self.loop.time()
        self.label: str | None = None
        self.thinking = False
        self.visible = False

    def alive(self) -> None:
        if self.renew:
            self.last = self.loop.time()

    def remaining(self) -> float:
        return self.last + self.budget - self.loop.time()

    def waiting_on(self, provider: Provider) -> None:
        self.label = provider.label
        self.thinking = False


def _skip_note(label: str, retry_in: float, language: str) -> str:
    seconds = max(1, round(retry_in))
    if language == "es":
        return f"{label} falló hace poco: no se usa durante {seconds} s."
    return f"{label} failed recently: skipped for {seconds} s."


class Orchestrator:
    """One per process: owns the providers' connection pools and their circuit breakers."""

    def __init__(
        self,
        settings: LLMSettings | None = None,
        *,
        providers: Mapping[str, Provider] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.settings = settings if settings is not None else LLMSettings()
        self.providers: dict[str, Provider] = (
            dict(providers) if providers is not None else build_providers(self.settings)
        )
        for key, provider in self.providers.items():
            if key != provider.name:
                raise ValueError(f"provider {provider.name!r} registered as {key!r}")
        self.policy = self.settings.policy
        self.breakers = {
            name: CircuitBreaker(
                self.settings.breaker_failures, self.settings.breaker_cooldown, clock
            )
            for name in self.providers
        }

    async def __aenter__(self) -> Orchestrator:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        for provider in self.providers.values():
            await provider.aclose()

    def __repr__(self) -> str:
        return f"Orchestrator(engines={self.engines()!r})"

    # ------------------------------------------------------------------------ routing

    def route(self, task: str, engine: str | None = None) -> list[Provider]:
        """Configured providers for ``task``: the account's ``engine`` first, then the policy
        order (breakers are checked at use). ``offline`` means none; ``local`` means the local
        model alone, so an account that chose to stay on the machine never reaches a cloud."""
        names: Sequence[str] = self.policy.get(task, ())
        if engine == OFFLINE:
            names = ()
        elif engine in ON_MACHINE:
            names = (engine,)
        elif engine in self.providers:
            names = (engine, *(n for n in names if n != engine))
        return [
            self.providers[n] for n in names if n in self.providers and self.providers[n].configured
        ]

    def available(self, engine: str) -> bool:
        """Can an account choose ``engine`` now (offline always can)?"""
        if engine == OFFLINE:
            return True
        provider = self.providers.get(engine)
        return provider is not None and provider.configured

    def engines(self) -> list[str]:
        """Engines that can answer, best first for conversation; "offline" always last."""
        ordered = [*self.policy.get("conversation", ()), *self.policy.get("structured", ())]
        seen = dict.fromkeys(n for n in ordered if n in self.providers)
        return [self.providers[n].model for n in seen if self.providers[n].configured] + [OFFLINE]

    def status(self) -> dict[str, Any]:
        """Health without network traffic: configuration, routing and breaker states."""
        return {
            "engines": self.engines(),
            "region": self.settings.region,
            "routing": {
                task: [self.providers[n].model for n in names if n in self.providers]
                for task, names in self.policy.items()
            },
            "providers": [
                {
                    "provider": name,
                    "engine": provider.model,
                    "configured": provider.configured,
                    "base_url": getattr(provider, "base_url", None),
                    "circuit": self.breakers[name].state,
                    "consecutive_failures": self.breakers[name].consecutive_failures,
                    "retry_in_s": round(self.breakers[name].retry_in(), 1),
                }
                for name, provider in self.providers.items()
            ],
        }

    async def doctor(self) -> list[ProviderCheck]:
        """Is each provider configured, and does it answer a tiny completion right now?"""
        return list(await asyncio.gather(*(self._check(n, p) for n, p in self.providers.items())))

    async def _check(self, name: str, provider: Provider) -> ProviderCheck:
        check = ProviderCheck(
            provider=name,
            engine=provider.model,
            base_url=str(getattr(provider, "base_url", "")),
            configured=provider.configured,
            ok=False,
            latency_ms=None,
            error=None,
        )
        if not provider.configured:
            env = getattr(getattr(provider, "endpoint", None), "env", {})
            check.error = NotConfiguredError(provider.label, env=env).message_en
            check.error_kind = NotConfiguredError.kind
            return check
        started = time.perf_counter()
        try:
            async with asyncio.timeout(self.settings.first_token_timeout):
                await provider.ping()
        except LLMError as exc:
            check.error, check.error_kind = str(exc), exc.kind
        except TimeoutError:
            exc = LLMTimeoutError(provider.label, "no answer to the health check")
            check.error, check.error_kind = str(exc), exc.kind
        else:
            check.ok = True
        check.latency_ms = round((time.perf_counter() - started) * 1000, 1)
        return check

    def _admit(
        self, provider: Provider, notes: list[str], language: str, quiet: bool = False
    ) -> bool:
        breaker = self.breakers[provider.name]
        if breaker.allow():
            return True
        log.info("%s skipped: circuit %s", provider.label, breaker.state)
        if not quiet:  # the producer was already told about this one in this turn
            notes.append(_skip_note(provider.label, breaker.retry_in(), language))
        return False

    @staticmethod
    def _unexpected(provider: Provider, exc: Exception) -> LLMError:
        """An adapter bug must not take the chat down: log it, and treat it as a bad answer."""
        log.error("%s: unexpected %s", provider.label, type(exc).__name__, exc_info=exc)
        return BadResponseError(provider.label, type(exc).__name__)

    def _settle(self, provider: Provider, error: LLMError | None) -> None:
        breaker = self.breakers[provider.name]
        if error is None:
            breaker.success()
        elif error.trips:
            breaker.trip()
            log.warning("%s hung; circuit open: %s", provider.label, error)
        elif error.counts_as_failure:
            breaker.failure()
            log.warning("%s failed: %s", provider.label, error)
        else:
            breaker.release()
            log.info("%s did not answer this one: %s", provider.label, error)

    @contextlib.asynccontextmanager
    async def _slow_notice(
        self, watch: _Watch, step: str, language: str, on_notice: Callback | None
    ) -> AsyncIterator[None]:
        """Tell the producer once, ``slow_notice`` seconds in, that the model is slow (unless
        text is already showing); 0 turns the notice off."""
        delay = self.settings.slow_notice
        if on_notice is None or delay <= 0:
            yield
            return

        async def notify() -> None:
            await asyncio.sleep(delay)
            if watch.visible or watch.label is None:
                return
            note = _slow_note(step, watch.label, watch.remaining(), watch.thinking, language)
            await _call(on_notice, note)

        task = asyncio.create_task(notify())
        try:
            yield
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    # ------------------------------------------------------------------------ understand

    async def understand(
        self,
        text: str,
        context: ChatContext,
        *,
        engine: str | None = None,
        on_notice: Callback | None = None,
    ) -> Understood:
        """Intent, requirements and adjustments for one message, by the best engine available.

        The offline parser runs first: it rejects impossible requests (its ValueError propagates
        unchanged), decides the language, and is the answer whenever no LLM gives valid JSON
        (after one re-ask with the validation errors) within ``understand_budget`` seconds.
        ``engine`` is the account's choice (see :meth:`route`).
        """
        offline = offline_understand(text)
        language = offline.language
        notes: list[str] = []
        messages = prompts.understanding_messages(text, context)
        watch = _Watch(self.settings.understand_budget, renew=False)
        async with self._slow_notice(watch, "understand", language, on_notice):
            result = await self._understand(messages, language, notes, watch, engine)
        if result is None:
            silent_for = watch.loop.time() - watch.last
            result = Understood(offline, OFFLINE, notes, silent_for=silent_for)
        result.noted = {
            p.name for p in self.providers.values() if any(p.label in n for n in result.notes)
        }
        return result

    async def _understand(
        self,
        messages: list[dict[str, str]],
        language: str,
        notes: list[str],
        watch: _Watch,
        engine: str | None,
    ) -> Understood | None:
        for provider in self.route("structured", engine):
            if not self._admit(provider, notes, language):
                continue
            left = watch.remaining()
            if left <= 0:
                break
            watch.waiting_on(provider)
            limit = min(self.settings.total_timeout, left)
            failure: LLMError
            try:
                async with asyncio.timeout(limit):
                    extracted = await provider.extract(
                        messages,
                        ExtractedRequest,
                        reasks=1,
                        temperature=EXTRACTION_TEMPERATURE,
                        max_tokens=self.settings.max_tokens,
                    )
                understanding = extracted.to_understanding(language)
            except TimeoutError:
                failure = HungError(provider.label, f"no complete answer within {limit:g}s")
            except LLMError as exc:
                failure = exc
            except ValidationError as exc:  # cannot happen after extraction; never crash on it
                failure = ExtractionError(provider.label, [str(exc)[:200]])
            except Exception as exc:
                failure = self._unexpected(provider, exc)
            except BaseException:
                self.breakers[provider.name].release()  # cancelled: says nothing about health
                raise
            else:
                self._settle(provider, None)
                return Understood(understanding, provider.model, notes)
            self._settle(provider, failure)
            notes.append(failure.user_message(language))
            if isinstance(failure, ExtractionError):
                break  # the model misread the request; the offline parser is the better bet
        return None

    # ------------------------------------------------------------------------ answer

    async def answer(
        self,
        text: str,
        context: ChatContext,
        history: Sequence[Mapping[str, Any]] | None = None,
        on_token: Callback | None = None,
        show_reasoning: bool = False,
        *,
        on_reset: Callback | None = None,
        on_reasoning: Callback | None = None,
        on_notice: Callback | None = None,
        engine: str | None = None,
        waited: float = 0.0,
        noted: Collection[str] = (),
    ) -> Answered:
        """A conversational answer in ``context.language``, streamed through ``on_token``.

        ``history`` is the earlier turns (``{"role", "content"}``, oldest first, without this
        message). Reasoning is returned and sent to ``on_reasoning`` only with
        ``show_reasoning``. If an engine fails after tokens went out, ``on_reset(reason)`` is
        called before the next engine's tokens: the client must discard what it showed.
        ``on_notice`` hears, once, that the model is slow; ``engine`` is the account's choice;
        ``waited`` is the silence the producer already sat through (``Understood.silent_for``):
        the offline answer comes ``answer_budget`` seconds after the last sign of life, so a
        question whose understanding hung is not made to wait a second full budget; ``noted``
        (``Understood.noted``) are providers already explained to the producer in this turn.
        """
        language = context.language
        sink = _Sink(on_token, on_reset)
        notes: list[str] = []
        messages = prompts.conversation_messages(
            text, context, history or (), self.settings.context_tokens
        )
        watch = _Watch(self.settings.answer_budget)
        watch.last -= max(0.0, waited)
        async with self._slow_notice(watch, "answer", language, on_notice):
            for provider in self.route("conversation", engine):
                if not self._admit(provider, notes, language, quiet=provider.name in noted):
                    continue
                if watch.remaining() <= 0:
                    break  # the producer waited long enough: no engine gets a fresh wait
                watch.waiting_on(provider)
                try:
                    reply, reasoning = await self._stream(
                        provider, messages, sink, on_reasoning if show_reasoning else None, watch
                    )
                except Exception as exc:
                    failure = exc if isinstance(exc, LLMError) else self._unexpected(provider, exc)
                    self._settle(provider, failure)
                    notes.append(failure.user_message(language))
                    await sink.reset(_switch_note(provider.label, language))
                    continue
                except BaseException:
                    self.breakers[provider.name].release()
                    raise
                self._settle(provider, None)
                return Answered(reply, provider.model, reasoning if show_reasoning else None, notes)
            watch.visible = True  # the offline answer is on its way: no slow notice now
        reply = offline_answer(text, context)
        await sink.token(reply)
        return Answered(reply, OFFLINE, None, notes)

    async def _stream(
        self,
        provider: Provider,
        messages: list[dict[str, str]],
        sink: _Sink,
        on_reasoning: Callback | None,
        watch: _Watch,
    ) -> tuple[str, str | None]:
        """Drive one provider's stream under first-token, idle and total limits, and under the
        silence the producer has left (``watch``). Silence past a limit is a hang."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.settings.total_timeout
        text: list[str] = []
        reasoning: list[str] = []
        events = aiter(
            provider.stream(
                messages,
                temperature=self.settings.chat_temperature,
                max_tokens=self.settings.max_tokens,
            )
        )
        waited_for_first = True
        try:
            while True:
                limit = (
                    self.settings.first_token_timeout
                    if waited_for_first
                    else self.settings.idle_timeout
                )
                silence = min(limit, watch.remaining())
                total = deadline - loop.time()
                if total <= 0:
                    raise LLMTimeoutError(provider.label, "total time limit reached")
                if silence <= 0:
                    raise HungError(provider.label, "silent past the answer budget")
                try:
                    async with asyncio.timeout(min(silence, total)):
                        event = await anext(events)
                except StopAsyncIteration:
                    break
                except TimeoutError:
                    if total <= silence:  # alive, but over the total: slow, not hung
                        raise LLMTimeoutError(provider.label, "total time limit reached") from None
                    what = "first token" if waited_for_first else "next token"
                    raise HungError(provider.label, f"no {what} within {silence:g}s") from None
                waited_for_first = False
                watch.alive()
                if isinstance(event, TextDelta):
                    text.append(event.text)
                    watch.visible = watch.visible or bool(event.text.strip())
                    await sink.token(event.text)
                elif isinstance(event, ReasoningDelta):
                    watch.thinking = True
                    reasoning.append(event.text)
                    await _call(on_reasoning, event.text)
                elif isinstance(event, Done):
                    break
        finally:
            closer = getattr(events, "aclose", None)
            if closer is not None:
                await closer()
        reply = "".join(text).strip()
        if not reply:
            raise BadResponseError(provider.label, "the answer was empty")
        return reply, "".join(reasoning).strip() or None
