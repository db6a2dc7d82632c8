"""Fake GLM, MiniMax and local (Ollama) servers for tests and benchmarks: real HTTP on 127.0.0.1.

Each provider gets its own small Starlette app speaking that provider's wire format (GLM: no
``object`` field, ``reasoning_content``, string error codes, ``[DONE]``; MiniMax: ``<think>``
unless ``reasoning_split``, ``reasoning_details``, ``base_resp``, a usage chunk with empty
``choices``, no ``[DONE]``; Ollama's OpenAI-compatible ``/v1``: ``system_fingerprint``
``fp_ollama``, reasoning in ``reasoning``, explicit ``finish_reason: null``, a usage chunk with
empty ``choices`` only when ``stream_options.include_usage`` asks for it, ``[DONE]``, errors as
``{"error": {"message", "type", "param": null, "code": null}}``), served by uvicorn in a
background thread. A test scripts what the
next requests get (``fake.script(...)``, or POST ``/_scenario``) and reads what was sent
(``fake.requests``: path, headers, JSON body).
"""

from __future__ import annotations

import asyncio
import atexit
import itertools
import json
import socket
import threading
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Literal

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

Kind = Literal["glm", "minimax", "ollama"]
PREFIX = {"glm": "/api/paas/v4", "minimax": "/v1", "ollama": "/v1"}
STALL_SECONDS = 20.0

# ------------------------------------------------------------------------------ scripts


@dataclass
class Reply:
    """A whole (non-streamed) answer; a streaming request gets it as one piece."""

    content: str = ""
    reasoning: str | None = None
    finish_reason: str = "stop"
    delay: float = 0.0  # before the response starts: a slow provider


@dataclass
class Fail:
    """Any status with any body (also HTTP 200 carrying MiniMax's ``base_resp`` error)."""

    status: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Stream:
    """SSE frames, in order: ``("text", s)``, ``("think", s)``, ``("finish", reason)``,
    ``("usage",)``, ``("done",)``, ``("raw", line)``, ``("error", obj)``, ``("pause", secs)``,
    ``("stall",)`` (send nothing more until the client gives up)."""

    frames: list[tuple[Any, ...]]


@dataclass
class Hang:
    """Accept the request and never answer a byte (a model that is stuck, or still loading),
    until the client gives up or ``seconds`` pass."""

    seconds: float = 3600.0


Step = Reply | Fail | Stream | Hang


def stream(
    *pieces: str,
    reasoning: tuple[str, ...] | list[str] = (),
    finish: str | None = "stop",
    usage: bool = True,
    done: bool | None = None,
    first_delay: float = 0.0,
    stall_after: bool = False,
) -> Stream:
    """A typical stream: optional pause, reasoning pieces, text pieces, finish, usage, [DONE]
    (``done=None`` means the provider's habit: GLM sends it, MiniMax does not)."""
    frames: list[tuple[Any, ...]] = []
    if first_delay:
        frames.append(("pause", first_delay))
    frames += [("think", r) for r in reasoning]
    frames += [("text", p) for p in pieces]
    if stall_after:
        frames.append(("stall",))
        return Stream(frames)
    if finish:
        frames.append(("finish", finish))
    if usage:
        frames.append(("usage",))
    frames.append(("done_default",) if done is None else ("done",) if done else ("nodone",))
    return Stream(frames)


def step_from_json(data: dict[str, Any]) -> Step:
    """``{"type": "reply"|"fail"|"stream", ...}`` as sent to ``POST /_scenario``."""
    kind = data.get("type")
    if kind == "reply":
        return Reply(**{k: v for k, v in data.items() if k != "type"})
    if kind == "fail":
        return Fail(data["status"], data.get("body"), data.get("headers") or {})
    if kind == "stream":
        return Stream([tuple(f) for f in data["frames"]])
    if kind == "hang":
        return Hang(float(data.get("seconds", 3600.0)))
    raise ValueError(f"unknown step type {kind!r}")


@dataclass
class Recorded:
    path: str
    headers: dict[str, str]
    body: dict[str, Any]


def ollama_error(status: int, message: str) -> dict[str, Any]:
    """The error body of Ollama's OpenAI-compatible endpoint (openai.NewError)."""
    kind = {400: "invalid_request_error", 404: "not_found_error"}.get(status, "api_error")
    return {"error": {"message": message, "type": kind, "param": None, "code": None}}


# ------------------------------------------------------------------------------ provider


async def _pause(request: Request, seconds: float) -> bool:
    """Wait ``seconds`` unless the client hangs up first (then False): abandoned requests end
    promptly instead of sleeping on in the server thread."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if await request.is_disconnected():
            return False
        await asyncio.sleep(min(0.02, max(0.0, deadline - time.monotonic())))
    return True


class FakeProvider:
    """One fake provider: an ASGI app, its script queue and its request log."""

    def __init__(self, kind: Kind) -> None:
        self.kind = kind
        self.steps: deque[Step] = deque()
        self.default: Step | None = None
        self.requests: list[Recorded] = []
        self.abandoned = 0  # requests the client hung up on while this fake stayed silent
        self.lock = threading.Lock()
        self.port = 0
        self._ids = itertools.count(1)
        self.app = Starlette(
            routes=[
                Route(PREFIX[kind] + "/chat/completions", self._chat, methods=["POST"]),
                Route("/_scenario", self._scenario, methods=["POST"]),
                Route("/_requests", self._requests, methods=["GET"]),
            ]
        )

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}{PREFIX[self.kind]}"

    def script(self, *steps: Step) -> None:
        with self.lock:
            self.steps.extend(steps)

    def reset(self) -> None:
        with self.lock:
            self.steps.clear()
            self.requests.clear()
            self.default = None
            self.abandoned = 0

    @property
    def bodies(self) -> list[dict[str, Any]]:
        return [r.body for r in self.requests]

    def _next(self) -> Step | None:
        with self.lock:
            return self.steps.popleft() if self.steps else self.default

    async def _scenario(self, request: Request) -> Response:
        data = await request.json()
        with self.lock:
            if data.get("reset"):
                self.steps.clear()
                self.requests.clear()
            self.steps.extend(step_from_json(s) for s in data.get("steps", []))
            if "default" in data:
                self.default = step_from_json(data["default"]) if data["default"] else None
        return JSONResponse({"queued": len(self.steps)})

    async def _requests(self, request: Request) -> Response:
        with self.lock:
            return JSONResponse([r.__dict__ for r in self.requests])

    async def _chat(self, request: Request) -> Response:
        try:
            body = json.loads(await request.body())
        except ValueError:
            body = {}
        with self.lock:
            self.requests.append(Recorded(request.url.path, dict(request.headers), body))
        if self.kind == "ollama" and not body.get("model"):
            return JSONResponse(ollama_error(400, "model is required"), 400)
        step = self._next()
        if step is None:
            return JSONResponse(
                {"error": {"code": "500", "message": "fake: nothing scripted"}}, 500
            )
        if isinstance(step, Hang):
            if not await _pause(request, step.seconds):
                with self.lock:
                    self.abandoned += 1
            return Response(status_code=499)
        if isinstance(step, Fail):
            if isinstance(step.body, str):
                return Response(step.body, step.status, headers=step.headers)
            return JSONResponse(step.body, step.status, headers=step.headers)
        if isinstance(step, Reply):
            if step.delay and not await _pause(request, step.delay):
                return Response(status_code=499)  # the client gave up
            if body.get("stream"):
                step = stream(
                    step.content,
                    reasoning=[step.reasoning] if step.reasoning else [],
                    finish=step.finish_reason,
                )
            else:
                return JSONResponse(self._completion(step, body))
        media = "text/event-stream;charset=UTF-8" if self.kind == "glm" else "text/event-stream"
        return StreamingResponse(self._sse(step, body, request), media_type=media)

    # --------------------------------------------------------------------- rendering

    def _usage(self) -> dict[str, Any]:
        usage: dict[str, Any] = {"prompt_tokens": 18, "completion_tokens": 10, "total_tokens": 28}
        if self.kind == "glm":
            usage["prompt_tokens_details"] = {"cached_tokens": 0}
        elif self.kind == "minimax":
            usage["completion_tokens_details"] = {"reasoning_tokens": 4}
            usage["total_characters"] = 0
        return usage

    def _envelope(self, body: dict[str, Any], chunk: bool) -> dict[str, Any]:
        rid = f"fake{next(self._ids):08d}"
        data: dict[str, Any] = {"id": rid, "created": int(time.time()), "model": body.get("model")}
        if self.kind == "glm":
            data["request_id"] = rid  # and no "object" field, like the real GLM
        elif self.kind == "ollama":
            data["id"] = f"chatcmpl-{next(self._ids) % 999}"
            data["object"] = "chat.completion.chunk" if chunk else "chat.completion"
            data["system_fingerprint"] = "fp_ollama"
        else:
            data["object"] = "chat.completion.chunk" if chunk else "chat.completion"
            data.update(input_sensitive=False, output_sensitive=False)
        return data

    def _completion(self, step: Reply, body: dict[str, Any]) -> dict[str, Any]:
        data = self._envelope(body, chunk=False)
        message: dict[str, Any] = {"role": "assistant", "content": step.content}
        if self.kind == "glm":
            if step.reasoning:
                message["reasoning_content"] = step.reasoning
        elif self.kind == "ollama":
            if step.reasoning:
                message["reasoning"] = step.reasoning
        else:
            message.update(name="MiniMax AI", audio_content="")
            if step.reasoning and body.get("reasoning_split"):
                message["reasoning_content"] = step.reasoning
                message["reasoning_details"] = [self._detail(step.reasoning)]
            elif step.reasoning:
                message["content"] = f"<think>\n{step.reasoning}\n</think>\n\n{step.content}"
        data["choices"] = [{"index": 0, "finish_reason": step.finish_reason, "message": message}]
        data["usage"] = self._usage()
        if self.kind == "minimax":
            data["base_resp"] = {"status_code": 0, "status_msg": ""}
        return data

    @staticmethod
    def _detail(text: str) -> dict[str, Any]:
        return {
            "type": "reasoning.text",
            "id": "reasoning-text-1",
            "format": "MiniMax-response-v1",
            "index": 0,
            "text": text,
        }

    def _chunk(self, body: dict[str, Any], delta: dict[str, Any], finish: str | None = None) -> str:
        data = self._envelope(body, chunk=True)
        choice: dict[str, Any] = {"index": 0, "delta": delta}
        if finish:
            choice["finish_reason"] = finish
        elif self.kind == "ollama":
            choice["finish_reason"] = None
        data["choices"] = [choice]
        return f"data: {json.dumps(data, ensure_ascii=False)}\n\n"

    async def _sse(self, step: Stream, body: dict[str, Any], request: Request):
        split = bool(body.get("reasoning_split"))
        first = True
        thinking_inline = False
        finish_reason = None

        def role() -> str:
            nonlocal first
            if first:
                first = False
                return "assistant"
            return "" if self.kind == "minimax" else "assistant"  # MiniMax's empty role quirk

        for frame in step.frames:
            kind = frame[0]
            if kind == "pause":
                if not await _pause(request, frame[1]):
                    return
            elif kind == "stall":
                await _pause(request, STALL_SECONDS)
                return
            elif kind == "think":
                if self.kind == "glm":
                    yield self._chunk(body, {"role": role(), "reasoning_content": frame[1]})
                elif self.kind == "ollama":
                    delta = {"role": "assistant", "content": "", "reasoning": frame[1]}
                    yield self._chunk(body, delta)
                elif split:
                    delta = {
                        "role": role(),
                        "content": "",
                        "reasoning_details": [self._detail(frame[1])],
                    }
                    yield self._chunk(body, delta)
                else:
                    prefix = "" if thinking_inline else "<think>\n"
                    thinking_inline = True
                    yield self._chunk(body, {"role": role(), "content": prefix + frame[1]})
            elif kind == "text":
                text = frame[1]
                if thinking_inline:
                    text, thinking_inline = "\n</think>\n\n" + text, False
                delta: dict[str, Any] = {"role": role(), "content": text}
                if self.kind == "minimax":
                    delta.update(name="MiniMax AI", audio_content="")
                yield self._chunk(body, delta)
            elif kind == "finish":
                finish_reason = frame[1]
                yield self._chunk(body, {"role": role(), "content": ""}, finish_reason)
            elif kind == "usage":
                options = body.get("stream_options")
                if self.kind == "ollama" and not (
                    isinstance(options, dict) and options.get("include_usage")
                ):
                    continue  # Ollama sends usage only when asked
                data = self._envelope(body, chunk=True)
                if self.kind == "glm":
                    data["choices"] = [
                        {
                            "index": 0,
                            "finish_reason": finish_reason,
                            "delta": {"role": "assistant", "content": ""},
                        }
                    ]
                else:
                    data["choices"] = []
                    if self.kind == "minimax":
                        data["base_resp"] = {"status_code": 0, "status_msg": ""}
                data["usage"] = self._usage()
                yield f"data: {json.dumps(data)}\n\n"
            elif kind == "done" or (kind == "done_default" and self.kind != "minimax"):
                yield "data: [DONE]\n\n"
            elif kind == "raw":
                yield frame[1] + "\n\n"
            elif kind == "error":
                yield f"data: {json.dumps(frame[1])}\n\n"


# ------------------------------------------------------------------------------ servers


class FakeServer:
    """uvicorn on 127.0.0.1 in a daemon thread, on a free port."""

    def __init__(self, provider: FakeProvider) -> None:
        self.provider = provider
        self.server: uvicorn.Server | None = None
        self.thread: threading.Thread | None = None

    def start(self) -> None:
        # proto=IPPROTO_TCP so asyncio sets TCP_NODELAY on accepted connections (with proto 0
        # it does not, and every kept-alive request waits ~40 ms for a delayed ACK).
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        self.provider.port = sock.getsockname()[1]
        config = uvicorn.Config(
            self.provider.app,
            lifespan="off",
            log_config=None,  # leave the test process's logging alone
            log_level="warning",
            access_log=False,
            timeout_graceful_shutdown=1,
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(
            target=self.server.run, kwargs={"sockets": [sock]}, daemon=True
        )
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("fake LLM server did not start")
            time.sleep(0.01)

    def stop(self) -> None:
        if self.server is not None:
            self.server.should_exit = True
        if self.thread is not None:
            self.thread.join(5)


@dataclass
class Fakes:
    glm: FakeProvider
    minimax: FakeProvider
    servers: list[FakeServer]
    local: FakeProvider | None = None  # Ollama, started by get_local_fake()

    def reset(self) -> None:
        self.glm.reset()
        self.minimax.reset()
        if self.local is not None:
            self.local.reset()

    def stop(self) -> None:
        for server in self.servers:
            server.stop()


_FAKES: Fakes | None = None


def get_fakes() -> Fakes:
    """Both fake providers, started once per process and stopped at exit."""
    global _FAKES
    if _FAKES is None:
        glm, minimax = FakeProvider("glm"), FakeProvider("minimax")
        servers = [FakeServer(glm), FakeServer(minimax)]
        for server in servers:
            server.start()
        _FAKES = Fakes(glm, minimax, servers)
        atexit.register(_FAKES.stop)
    return _FAKES


def get_local_fake() -> FakeProvider:
    """A fake Ollama (its OpenAI-compatible /v1), started once per process next to the others."""
    fakes = get_fakes()
    if fakes.local is None:
        local = FakeProvider("ollama")
        server = FakeServer(local)
        server.start()
        fakes.local = local
        fakes.servers.append(server)
    return fakes.local


# ----------------------------------------------------------------------------- shared test setup


@contextmanager
def fresh_fakes() -> Iterator[Fakes]:
    """GLM, MiniMax and Ollama fakes with nothing scripted or recorded, cleared again after."""
    fakes = get_fakes()
    get_local_fake()
    fakes.reset()
    try:
        yield fakes
    finally:
        fakes.reset()


def server_env(fakes: Fakes, glm_key: str, minimax_key: str) -> dict[str, str]:
    """The environment that points a real ``musiaia serve`` at the GLM and MiniMax fakes, with no
    backoff and a breaker that stays closed (those tests are about routing, not breaking)."""
    return {
        "GLM46_API_KEY": glm_key,
        "MINIMAX_API_KEY": minimax_key,
        "GLM46_BASE_URL": fakes.glm.base_url,
        "MINIMAX_BASE_URL": fakes.minimax.base_url,
        "MUSIAIA_LLM_RETRY_BACKOFF": "0",
        "MUSIAIA_LLM_BREAKER_FAILURES": "100",
    }


GLM_KEY = "glmkey-XYZZY-4242-private"  # distinctive, so a leak into logs or responses is found
MM_KEY = "mmkey-PLUGH-9191-private"


def llm_settings(fakes: Fakes, **overrides):
    """Settings pointed at the fake providers, with fast retries and short timeouts."""
    from companion.llm.settings import LLMSettings

    values = dict(
        glm_api_key=GLM_KEY,
        minimax_api_key=MM_KEY,
        glm_base_url=fakes.glm.base_url,
        minimax_base_url=fakes.minimax.base_url,
        retry_backoff=0,
        retry_backoff_max=0,
        connect_timeout=5,
        first_token_timeout=10,
        idle_timeout=5,
        total_timeout=30,
        max_retries=2,
        breaker_failures=3,
        breaker_cooldown=60,
        glm_thinking=False,
        context_tokens=6000,
        chat_temperature=None,
        region="international",
    )
    values.update(overrides)
    return LLMSettings(**values)
