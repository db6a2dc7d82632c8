"""Shared plumbing for OpenAI-style ``/chat/completions`` endpoints over ``httpx.AsyncClient``.

The providers speak nearly the same wire format; what differs (request flags, where text and
reasoning live, whether ``<think>`` leaks into the text, error envelopes) is left to hooks that
the adapters override. This module owns what does not differ: headers, reading choices and
deltas, SSE decoding that survives malformed lines, mapping transport failures to typed errors,
and retrying *only* retryable errors with exponential backoff and jitter.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
import re
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import httpx
from pydantic import SecretStr

from companion.llm.base import (
    Completion,
    Done,
    Message,
    Provider,
    ReasoningDelta,
    StreamEvent,
    TextDelta,
    Usage,
)
from companion.llm.errors import (
    BadResponseError,
    ContentFilterError,
    ContextTooLongError,
    HungError,
    LLMError,
    LLMTimeoutError,
    NotConfiguredError,
    ServerError,
    UnreachableError,
)
from companion.llm.extraction import split_think
from companion.llm.settings import LLMSettings
from companion.llm.think import ThinkFilter

__all__ = ["ChatCompletionsProvider", "Endpoint", "RetryPolicy", "StreamState", "policy_from"]

log = logging.getLogger("companion.llm")
T = TypeVar("T")

_GLUED = re.compile(r"(?<=[}\]])\s*data:\s*(?=[{\[])")


@dataclass(frozen=True, repr=False)
class Endpoint:
    """Where and as whom to call; ``env`` names the settings to mention in error messages."""

    base_url: str
    model: str
    api_key: SecretStr | None
    env: Mapping[str, str] = field(default_factory=dict)

    def __repr__(self) -> str:  # the key stays out, even masked
        return f"Endpoint(base_url={self.base_url!r}, model={self.model!r})"


@dataclass(frozen=True)
class RetryPolicy:
    connect_timeout: float = 10.0
    read_timeout: float = 60.0
    max_retries: int = 2
    backoff: float = 0.5
    backoff_max: float = 8.0

    def delay(self, attempt: int, rng: Callable[[], float] = random.random) -> float:
        """Exponential backoff with "equal jitter": half fixed, half random."""
        base = min(self.backoff_max, self.backoff * (2**attempt))
        return base / 2 + base / 2 * rng()


@dataclass
class StreamState:
    """What a stream has said so far besides deltas."""

    finish_reason: str | None = None
    usage: Usage | None = None
    done: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


class ChatCompletionsProvider(Provider):
    """An OpenAI-shaped provider; subclasses set ``name`` and implement the hooks below."""

    path = "/chat/completions"
    error_mapper: Callable[..., LLMError]

    def __init__(
        self,
        endpoint: Endpoint,
        policy: RetryPolicy | None = None,
        *,
        client: httpx.AsyncClient | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.endpoint = endpoint
        self.model = endpoint.model
        self.policy = policy or RetryPolicy()
        self._client = client
        self._owns_client = client is None
        self._sleep = sleep

    # ----------------------------------------------------------------------- hooks

    def build_body(
        self,
        messages: Sequence[Message],
        *,
        stream: bool,
        json_mode: bool,
        temperature: float | None,
        max_tokens: int | None,
    ) -> dict[str, Any]:
        raise NotImplementedError

    think_tags = False  # True: ``<think>…</think>`` may leak into the text and is split out

    def content_of(self, holder: Mapping[str, Any]) -> str:
        """The text of a message or a stream delta."""
        content = holder.get("content")
        return content if isinstance(content, str) else ""

    def reasoning_of(self, holder: Mapping[str, Any]) -> str:
        """The reasoning of a message or a stream delta (incremental in streams)."""
        reasoning = holder.get("reasoning_content")
        return reasoning if isinstance(reasoning, str) else ""

    def parse_completion(self, data: Mapping[str, Any]) -> Completion:
        choices = data.get("choices")
        if not isinstance(choices, list) or not choices or not isinstance(choices[0], Mapping):
            raise self.fail(BadResponseError, "no choices in the response", 200)
        choice = choices[0]
        message = choice.get("message") if isinstance(choice.get("message"), Mapping) else {}
        raw = self.content_of(message)
        text, leaked = split_think(raw) if self.think_tags else (raw.strip(), "")
        reasoning = "\n".join(r for r in (self.reasoning_of(message).strip(), leaked) if r)
        return Completion(
            text=text,
            reasoning=reasoning or None,
            finish_reason=self._finish(text, choice.get("finish_reason")),
            usage=Usage.from_dict(data.get("usage")),
            model=str(data.get("model") or self.model),
            provider=self.name,
        )

    def parse_chunk(self, data: Mapping[str, Any], state: StreamState) -> Iterator[StreamEvent]:
        state.usage = Usage.from_dict(data.get("usage")) or state.usage
        think = state.extra.setdefault("think", ThinkFilter()) if self.think_tags else None
        choices = data.get("choices")
        for choice in choices if isinstance(choices, list) else []:  # [] on the usage chunk
            if not isinstance(choice, Mapping):
                continue
            delta = choice.get("delta") if isinstance(choice.get("delta"), Mapping) else {}
            reasoning = self.reasoning_of(delta)
            if reasoning:
                yield ReasoningDelta(reasoning)
            content = self.content_of(delta)
            if content:
                yield from think.feed(content) if think is not None else (TextDelta(content),)
            if choice.get("finish_reason"):
                state.finish_reason = str(choice["finish_reason"])

    def flush(self, state: StreamState) -> Iterator[StreamEvent]:
        """Events held back until the stream ends (a half-seen ``<think>`` tag)."""
        think = state.extra.get("think")
        return iter(think.flush() if think is not None else ())

    def check_body(self, data: Mapping[str, Any]) -> None:
        """Raise when a 200 body is really an error (MiniMax's ``base_resp``)."""
        if isinstance(data.get("error"), Mapping):
            raise self.error(200, data)

    def extra_headers(self) -> dict[str, str]:
        return {}

    # ----------------------------------------------------------------------- basics

    @property
    def configured(self) -> bool:
        return self.endpoint.api_key is not None

    @property
    def base_url(self) -> str:
        return self.endpoint.base_url

    def _env(self) -> dict[str, str]:
        return {**self.endpoint.env, "url_value": self.endpoint.base_url}

    def _secret(self) -> str | None:
        key = self.endpoint.api_key
        return key.get_secret_value() if key is not None else None

    def error(self, status: int | None, body: Any) -> LLMError:
        return type(self).error_mapper(
            status, body, label=self.label, env=self._env(), secrets=(self._secret(),)
        )

    def fail(self, cls: type[LLMError], detail: str, status: int | None = None) -> LLMError:
        return cls(self.label, detail, status=status, env=self._env(), secrets=(self._secret(),))

    @property
    def client(self) -> httpx.AsyncClient:
        if self._client is None:
            timeout = httpx.Timeout(
                connect=self.policy.connect_timeout,
                read=self.policy.read_timeout,
                write=self.policy.connect_timeout,
                pool=self.policy.connect_timeout,
            )
            self._client = httpx.AsyncClient(timeout=timeout, follow_redirects=False)
        return self._client

    async def aclose(self) -> None:
        if self._client is not None and self._owns_client:
            await self._client.aclose()
            self._client = None

    def _url(self) -> str:
        return self.endpoint.base_url.rstrip("/") + self.path

    def _headers(self, stream: bool) -> dict[str, str]:
        secret = self._secret()
        if secret is None:
            raise self.fail(NotConfiguredError, "no API key")
        return {
            "Authorization": f"Bearer {secret}",
            "Content-Type": "application/json",
            "Accept": "text/event-stream" if stream else "application/json",
            "User-Agent": "MusiaIA",
            **self.extra_headers(),
        }

    def _transport_error(self, exc: httpx.HTTPError) -> LLMError:
        detail = f"{type(exc).__name__}: {exc}"
        if isinstance(exc, httpx.PoolTimeout):  # our own pool is full: says nothing of theirs
            return self.fail(LLMTimeoutError, detail)
        if isinstance(exc, httpx.ConnectTimeout):
            return self.fail(HungError, "connect timeout")
        if isinstance(exc, httpx.TimeoutException):  # nothing arrived within the read timeout
            return self.fail(HungError, detail)
        if isinstance(exc, httpx.ConnectError):
            return self.fail(UnreachableError, detail)
        return self.fail(ServerError, detail)

    def _finish(self, text: str, finish_reason: str | None) -> str | None:
        """Shared finish-reason rules: moderation is an error; a full context window is a
        truncation when something came back and an error when nothing did."""
        if finish_reason == "sensitive":
            raise self.fail(ContentFilterError, "finish_reason=sensitive")
        if finish_reason == "network_error":
            raise self.fail(ServerError, "finish_reason=network_error")
        if finish_reason == "model_context_window_exceeded":
            if not text.strip():
                raise self.fail(ContextTooLongError, "finish_reason=model_context_window_exceeded")
            return "length"
        return finish_reason

    @staticmethod
    def _decode(payload: str) -> list[Any]:
        """JSON records in one SSE ``data:`` payload; glued records are split, junk is skipped."""
        try:
            return [json.loads(payload)]
        except json.JSONDecodeError:
            pass
        records = []
        for part in _GLUED.split(payload):
            try:
                records.append(json.loads(part))
            except json.JSONDecodeError:
                log.debug("skipping malformed SSE data (%d chars)", len(part))
        return records

    @staticmethod
    def _body(response: httpx.Response) -> Any:
        try:
            return response.json()
        except ValueError:
            return response.text[:2000]

    # ----------------------------------------------------------------------- retries

    async def _retrying(self, once: Callable[[], Awaitable[T]]) -> T:
        attempt = 0
        while True:
            try:
                return await once()
            except LLMError as exc:
                if not exc.retryable or attempt >= self.policy.max_retries:
                    raise
                delay = self.policy.delay(attempt)
                log.info("%s: %s; retry %d in %.2fs", self.label, exc.kind, attempt + 1, delay)
                attempt += 1
                await self._sleep(delay)

    # ----------------------------------------------------------------------- complete

    async def complete(
        self,
        messages: Sequence[Message],
        *,
        json_mode: bool = False,
        temperature: float | None = None,
        max_tokens: int | None = None,
    ) -> Completion:
        body = self.build_body(
            messages,
            stream=False,
            json_mode=json_mode,
            temperature=temperature,
            max_tokens=max_tokens,
        )
        return await self._retrying(lambda: self._complete_once(body))

    async def ping(self) -> Completion:
        body = self.build_body(
            [{"role": "user", "content": "Reply with: ok"}],
            stream=False,
            json_mode=False,
            temperature=None,
            max_tokens=64,
        )
        return await self._complete_once(body)

    async def _complete_once(self, body: dict[str, Any]) -> Completion:
        headers = self._headers(stream=False)
        try:
            response = await self.client.post(self._url(), json=body, headers=headers)
        except httpx.HTTPError as exc:
            raise self._transport_error(exc) from None
        if response.status_code != 200:
            raise self.error(response.status_code, self._body(response))
        data = self._body(response)
        if not isinstance(data, Mapping):
            raise self.fail(BadResponseError, "the body is not a JSON object", status=200)
        self.check_body(data)
        return self.parse_completion(data)

    # ----------------------------------------------------------------------- stream

    async def stream(
        self,
        messages: Sequence[Message],
        *,
        json_mode: bool = False,
        temperature: float | None = None,
        max_tokens: int | None = None,
    ) -> AsyncIterator[StreamEvent]:
        body = self.build_body(
            messages,
            stream=True,
            json_mode=json_mode,
            temperature=temperature,
            max_tokens=max_tokens,
        )
        attempt = 0
        while True:
            started = False
            try:
                async for event in self._stream_once(body):
                    started = True
                    yield event
                return
            except LLMError as exc:
                # Once text went out, a retry would repeat it: the caller decides what to do.
                if started or not exc.retryable or attempt >= self.policy.max_retries:
                    raise
                delay = self.policy.delay(attempt)
                log.info("%s: %s; retry %d in %.2fs", self.label, exc.kind, attempt + 1, delay)
            attempt += 1
            await self._sleep(delay)

    async def _stream_once(self, body: dict[str, Any]) -> AsyncIterator[StreamEvent]:
        headers = self._headers(stream=True)
        try:
            async with self.client.stream("POST", self._url(), json=body, headers=headers) as rsp:
                if rsp.status_code != 200:
                    await rsp.aread()
                    raise self.error(rsp.status_code, self._body(rsp))
                if "text/event-stream" not in rsp.headers.get("content-type", ""):
                    # A plain JSON body: an error inside a 200, or a server that ignored stream.
                    await rsp.aread()
                    for event in self._events_from_body(self._body(rsp)):
                        yield event
                    return
                async for event in self._read_sse(rsp):
                    yield event
        except httpx.HTTPError as exc:
            raise self._transport_error(exc) from None

    def _events_from_body(self, data: Any) -> Iterator[StreamEvent]:
        if not isinstance(data, Mapping):
            raise self.fail(BadResponseError, "the body is neither SSE nor a JSON object", 200)
        self.check_body(data)
        completion = self.parse_completion(data)
        if completion.reasoning:
            yield ReasoningDelta(completion.reasoning)
        if completion.text:
            yield TextDelta(completion.text)
        yield Done(completion.finish_reason, completion.usage)

    async def _read_sse(self, response: httpx.Response) -> AsyncIterator[StreamEvent]:
        state = StreamState()
        text_seen = False
        async for line in response.aiter_lines():
            if not line.startswith("data:"):
                continue  # blank separators, ": keep-alive" comments, event:/id: fields
            payload = line[5:].strip()
            if payload == "[DONE]":
                state.done = True
                break
            for data in self._decode(payload):
                if not isinstance(data, Mapping):
                    continue
                self.check_body(data)
                for event in self.parse_chunk(data, state):
                    text_seen = text_seen or isinstance(event, TextDelta)
                    yield event
        if not state.done and state.finish_reason is None:
            raise self.fail(ServerError, "the stream ended before the answer was complete")
        for event in self.flush(state):
            text_seen = text_seen or isinstance(event, TextDelta)
            yield event
        finish = self._finish("x" if text_seen else "", state.finish_reason)
        yield Done(finish, state.usage)


def policy_from(settings: LLMSettings) -> RetryPolicy:
    """Transport limits: httpx's read timeout is a backstop; the orchestrator enforces the
    precise first-token and idle limits on streams."""
    return RetryPolicy(
        connect_timeout=settings.connect_timeout,
        read_timeout=max(settings.first_token_timeout, settings.idle_timeout),
        max_retries=settings.max_retries,
        backoff=settings.retry_backoff,
        backoff_max=settings.retry_backoff_max,
    )
