"""The local-model provider against a fake Ollama over real HTTP (its OpenAI-compatible /v1):
streaming with reasoning and usage, ``<think>`` tags, JSON understanding with thinking off, no
key or a key, what other local servers refuse (LM Studio's json_object, vLLM's
reasoning_effort), the error shapes each server uses, errors after the stream started, a server
that is down, and the account's choice of engine in the routing."""

from __future__ import annotations

import json
import logging
import socket

import pytest

from companion.chat.context import ChatContext
from companion.llm import OFFLINE, Orchestrator
from companion.llm.errors import (
    BadResponseError,
    InvalidRequestError,
    ModelNotFoundError,
    ServerError,
    local_error,
)
from companion.llm.settings import LLMSettings
from fake_llm import (
    Fail,
    Reply,
    Stream,
    llm_settings,
    ollama_error,
    stream,
)

pytestmark = pytest.mark.anyio

ES = ChatContext(language="es")
EN = ChatContext(language="en")
HOUSE_ES = "Genera un track de house a 124 BPM en La menor"
GOOD_JSON = '{"intent": "generate_project", "style": "house", "bpm": 124, "key": "Am"}'
MODEL = "qwen3:8b"
LOCAL_KEY = "localkey-FROBOZZ-7777-private"


def local_settings(fakes, **overrides) -> LLMSettings:
    values = {
        "local_base_url": fakes.local.base_url,
        "local_model": MODEL,
        "routing": "structured=local;conversation=local",
        **overrides,
    }
    return llm_settings(fakes, **values)


class Recorder:
    def __init__(self) -> None:
        self.log: list[tuple[str, str]] = []

    def token(self, text: str) -> None:
        self.log.append(("token", text))

    def reset(self, reason: str) -> None:
        self.log.append(("reset", reason))

    def reasoning(self, text: str) -> None:
        self.log.append(("reasoning", text))

    def kinds(self) -> list[str]:
        return [kind for kind, _ in self.log]

    def text(self, kind: str = "token") -> str:
        return "".join(t for k, t in self.log if k == kind)


# ====================================================================== streaming


async def test_conversation_streams_from_ollama(fakes):
    fakes.local.script(stream("El sidechain ", "baja el pad ", "con cada bombo."))
    rec = Recorder()
    async with Orchestrator(local_settings(fakes)) as orchestrator:
        result = await orchestrator.answer("¿Qué es el sidechain?", ES, [], rec.token)
    assert result.engine == MODEL and result.notes == []
    assert rec.log == [
        ("token", "El sidechain "),
        ("token", "baja el pad "),
        ("token", "con cada bombo."),
    ]
    sent = fakes.local.requests[0]
    assert sent.path == "/v1/chat/completions"
    assert "authorization" not in sent.headers  # Ollama needs no key: none is invented
    body = sent.body
    assert body["model"] == MODEL and body["stream"] is True
    assert body["stream_options"] == {"include_usage": True}
    assert "reasoning_effort" not in body and "response_format" not in body
    assert body["messages"][-1] == {"role": "user", "content": "¿Qué es el sidechain?"}


async def test_a_bare_host_url_gets_v1(fakes):
    bare = fakes.local.base_url.removesuffix("/v1")
    settings = local_settings(fakes, local_base_url=bare + "/")
    assert settings.local_url == bare + "/v1"
    fakes.local.script(stream("ok"))
    async with Orchestrator(settings) as orchestrator:
        result = await orchestrator.answer("hi", EN, [])
    assert result.engine == MODEL and fakes.local.requests[0].path == "/v1/chat/completions"


async def test_reasoning_field_is_kept_out_of_the_answer(fakes):
    fakes.local.script(
        stream("Comprime ", "el bajo.", reasoning=["El usuario ", "pregunta por sidechain."])
    )
    rec = Recorder()
    async with Orchestrator(local_settings(fakes)) as orchestrator:
        shown = await orchestrator.answer(
            "¿sidechain?", ES, [], rec.token, True, on_reasoning=rec.reasoning
        )
        fakes.local.script(stream("Comprime.", reasoning=["pienso"]))
        hidden = await orchestrator.answer("¿sidechain?", ES, [], rec.token)
    assert shown.text == "Comprime el bajo."
    assert shown.reasoning == "El usuario pregunta por sidechain."
    assert rec.text("reasoning") == "El usuario pregunta por sidechain."
    assert hidden.text == "Comprime." and hidden.reasoning is None
    assert "pienso" not in rec.text()


async def test_think_tags_split_across_chunks_never_reach_the_producer(fakes):
    # Older Ollama and llama.cpp without a reasoning format put <think> in the content.
    fakes.local.script(
        stream("<thi", "nk>Veamos, el usuario…</th", "ink>\n\nUsa un ", "compresor.")
    )
    rec = Recorder()
    async with Orchestrator(local_settings(fakes)) as orchestrator:
        result = await orchestrator.answer("¿sidechain?", ES, [], rec.token)
    assert result.text == "Usa un compresor."
    assert "<" not in rec.text() and "Veamos" not in rec.text()


async def test_usage_is_read_from_the_empty_choices_chunk(fakes):
    async with Orchestrator(local_settings(fakes)) as orchestrator:
        provider = orchestrator.providers["local"]
        fakes.local.script(stream("uno ", "dos"))
        events = [e async for e in provider.stream([{"role": "user", "content": "cuenta"}])]
    done = events[-1]
    assert done.finish_reason == "stop"
    assert done.usage is not None and done.usage.total_tokens == 28


# ====================================================================== understanding


async def test_understanding_asks_for_json_with_thinking_off(fakes):
    fakes.local.script(Reply(GOOD_JSON, reasoning="thinking anyway"))
    async with Orchestrator(local_settings(fakes)) as orchestrator:
        result = await orchestrator.understand(HOUSE_ES, ES)
    assert result.engine == MODEL and result.notes == []
    r = result.understanding.requirements
    assert (r.style, r.bpm, r.key) == ("house", 124, "Am")
    body = fakes.local.bodies[0]
    assert body["stream"] is False
    assert body["response_format"] == {"type": "json_object"}
    assert body["reasoning_effort"] == "none"  # Ollama: think=false; fast and plain
    assert body["temperature"] == 0.2


async def test_think_wrapped_json_is_still_understood(fakes):
    fakes.local.script(Reply(f"<think>the user wants house</think>\n```json\n{GOOD_JSON}\n```"))
    async with Orchestrator(local_settings(fakes)) as orchestrator:
        result = await orchestrator.understand(HOUSE_ES, ES)
    assert result.engine == MODEL and result.understanding.requirements.bpm == 124


async def test_json_mode_off_by_setting(fakes):
    fakes.local.script(Reply(GOOD_JSON))
    async with Orchestrator(local_settings(fakes, local_json="off")) as orchestrator:
        assert (await orchestrator.understand(HOUSE_ES, ES)).engine == MODEL
    assert "response_format" not in fakes.local.bodies[0]


# ====================================================================== what servers refuse


async def test_lm_studio_refusing_json_object_is_asked_again_without_it(fakes):
    refusal = Fail(400, {"error": "'response_format.type' must be 'json_schema' or 'text'"})
    fakes.local.script(refusal, Reply(GOOD_JSON), Reply(GOOD_JSON))
    async with Orchestrator(local_settings(fakes, max_retries=0)) as orchestrator:
        first = await orchestrator.understand(HOUSE_ES, ES)
        second = await orchestrator.understand(HOUSE_ES, ES)
    assert first.engine == second.engine == MODEL and first.notes == []
    bodies = fakes.local.bodies
    assert len(bodies) == 3
    assert "response_format" in bodies[0]
    assert "response_format" not in bodies[1]
    assert "response_format" not in bodies[2]  # remembered: no second refusal
    assert bodies[1]["reasoning_effort"] == "none"  # only the refused field went


async def test_vllm_refusing_reasoning_effort_is_asked_again_without_it(fakes):
    refusal = Fail(
        400,
        {
            "object": "error",
            "message": "1 validation error: reasoning_effort Input should be 'low', "
            "'medium' or 'high'",
            "type": "BadRequestError",
            "param": None,
            "code": 400,
        },
    )
    fakes.local.script(refusal, stream("hola"))
    async with Orchestrator(
        local_settings(fakes, local_reasoning="none", max_retries=0)
    ) as orchestrator:
        result = await orchestrator.answer("hola", ES, [])
    assert result.engine == MODEL and result.text == "hola"
    assert fakes.local.bodies[0]["reasoning_effort"] == "none"
    assert "reasoning_effort" not in fakes.local.bodies[1]


async def test_an_unrelated_400_is_not_resent(fakes):
    fakes.local.script(Fail(400, ollama_error(400, "invalid message format")))
    async with Orchestrator(local_settings(fakes)) as orchestrator:
        result = await orchestrator.answer("hola", ES, [])
    assert result.engine == OFFLINE and len(fakes.local.requests) == 1


# ====================================================================== errors


async def test_a_missing_model_says_how_to_get_it(fakes):
    fakes.local.script(
        Fail(404, ollama_error(404, f'model "{MODEL}" not found, try pulling it first'))
    )
    async with Orchestrator(local_settings(fakes)) as orchestrator:
        result = await orchestrator.understand(HOUSE_ES, EN)
    assert result.engine == OFFLINE
    assert len(fakes.local.requests) == 1  # not retried
    note = result.notes[0]
    assert "ollama pull" in note and "MUSIAIA_LLM_LOCAL_MODEL" in note and MODEL in note


async def test_server_errors_in_every_shape_are_retried(fakes):
    fakes.local.script(
        Fail(500, {"error": "llama runner process has terminated: exit status 2"}),
        Fail(
            503, {"error": {"code": 503, "message": "Loading model", "type": "unavailable_error"}}
        ),
        stream("ya estoy"),
    )
    async with Orchestrator(local_settings(fakes)) as orchestrator:
        result = await orchestrator.answer("hola", ES, [])
    assert result.engine == MODEL and result.text == "ya estoy"
    assert len(fakes.local.requests) == 3


async def test_an_error_after_the_stream_started_resets_and_answers_offline(fakes):
    # Ollama's /v1 turns a runner failure mid-stream into an empty chunk and then closes the
    # stream without [DONE]; llama.cpp sends an error object. Both end the answer.
    empty = {
        "id": "chatcmpl-1",
        "object": "chat.completion.chunk",
        "created": 1,
        "model": MODEL,
        "system_fingerprint": "fp_ollama",
        "choices": [
            {"index": 0, "delta": {"role": "assistant", "content": ""}, "finish_reason": None}
        ],
    }
    cut = Stream([("text", "Empiezo a "), ("raw", "data: " + json.dumps(empty))])
    error = Stream(
        [
            ("text", "Empiezo a "),
            ("error", {"error": {"code": 500, "message": "out of memory", "type": "server_error"}}),
        ]
    )
    for broken in (cut, error):
        fakes.reset()
        fakes.local.script(broken)
        rec = Recorder()
        async with Orchestrator(local_settings(fakes)) as orchestrator:
            result = await orchestrator.answer(
                "¿qué es un compresor?", ES, [], rec.token, False, on_reset=rec.reset
            )
        assert result.engine == OFFLINE
        assert rec.kinds()[:2] == ["token", "reset"]
        assert len(fakes.local.requests) == 1  # text went out: never repeated
        assert "Empiezo" not in result.text


async def test_a_server_that_is_not_running_is_named_clearly(fakes):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again: nothing listens there
    settings = local_settings(fakes, local_base_url=f"http://127.0.0.1:{port}", max_retries=0)
    async with Orchestrator(settings) as orchestrator:
        result = await orchestrator.answer("hi", EN, [])
    assert result.engine == OFFLINE
    assert "is the local model server running" in result.notes[0]
    assert "MUSIAIA_LLM_LOCAL_BASE_URL" in result.notes[0]


async def test_a_key_is_sent_only_when_set_and_never_shows(fakes, caplog):
    caplog.set_level(logging.DEBUG)
    fakes.local.script(Fail(401, {"error": f"bad key {LOCAL_KEY}"}))
    settings = local_settings(fakes, local_api_key=LOCAL_KEY)
    async with Orchestrator(settings) as orchestrator:
        result = await orchestrator.answer("hi", EN, [])
        observed = [repr(settings), settings.model_dump_json(), repr(result), caplog.text]
        observed.append(json.dumps(orchestrator.status()))
    assert fakes.local.requests[0].headers["authorization"] == f"Bearer {LOCAL_KEY}"
    assert result.engine == OFFLINE and "MUSIAIA_LLM_LOCAL_API_KEY" in result.notes[0]
    for text in observed:
        assert LOCAL_KEY not in text


async def test_not_configured_means_no_connection(fakes):
    settings = local_settings(fakes, local_model=None)
    async with Orchestrator(settings) as orchestrator:
        assert orchestrator.route("conversation") == []
        result = await orchestrator.answer("hi", EN, [])
        checks = {c.provider: c for c in await orchestrator.doctor()}
    assert result.engine == OFFLINE and fakes.local.requests == []
    assert "MUSIAIA_LLM_LOCAL_BASE_URL and MUSIAIA_LLM_LOCAL_MODEL" in checks["local"].error


@pytest.mark.parametrize(
    ("status", "body", "expected"),
    [
        (404, ollama_error(404, 'model "x" not found, try pulling it first'), ModelNotFoundError),
        (404, "404 page not found", InvalidRequestError),  # the base URL lacks /v1
        (400, {"error": "'response_format.type' must be 'json_schema'"}, InvalidRequestError),
        (500, {"error": {"code": 500, "message": "boom", "type": "server_error"}}, ServerError),
        (200, {"error": {"code": 500, "message": "boom", "type": "server_error"}}, ServerError),
        (200, {"error": {"message": "bad", "type": "invalid_request_error"}}, BadResponseError),
        (400, {"object": "error", "message": "context length is 4096", "code": 400}, None),
    ],
)
def test_error_shapes_of_local_servers(status, body, expected):
    error = local_error(status, body, label="m (local)", env={}, secrets=())
    if expected is None:  # vLLM's top-level message is read: it says the context is full
        assert error.kind == "context_too_long"
    else:
        assert type(error) is expected
    assert error.detail  # the server's words are kept for the log


# ====================================================================== account's choice


async def test_account_choice_comes_before_the_routing(fakes):
    settings = local_settings(fakes, routing="")  # default: local, then the cloud
    async with Orchestrator(settings) as orchestrator:
        assert [p.name for p in orchestrator.route("conversation")] == ["local", "minimax", "glm"]
        assert [p.name for p in orchestrator.route("conversation", "glm")] == [
            "glm",
            "local",
            "minimax",
        ]
        assert [p.name for p in orchestrator.route("structured", "local")] == ["local"]
        assert orchestrator.route("conversation", OFFLINE) == []

        fakes.glm.script(stream("desde GLM"))
        chose_glm = await orchestrator.answer("hola", ES, [], engine="glm")
        assert chose_glm.engine == "glm-4.6" and fakes.local.requests == []


async def test_local_or_offline_choice_never_reaches_a_cloud(fakes):
    settings = local_settings(fakes, routing="", max_retries=0)
    fakes.local.script(Fail(500, {"error": "boom"}), Fail(500, {"error": "boom"}))
    async with Orchestrator(settings) as orchestrator:
        understood = await orchestrator.understand(HOUSE_ES, ES, engine="local")
        answered = await orchestrator.answer("hola", ES, [], engine="local")
        offline = await orchestrator.answer("hola", ES, [], engine=OFFLINE)
        offline_understood = await orchestrator.understand(HOUSE_ES, ES, engine=OFFLINE)
    assert understood.engine == answered.engine == offline.engine == OFFLINE
    assert offline_understood.engine == OFFLINE
    assert len(fakes.local.requests) == 2  # the two "local" turns; "offline" sent nothing
    assert fakes.glm.requests == [] and fakes.minimax.requests == []


async def test_doctor_checks_the_local_server(fakes):
    fakes.local.script(Reply("ok"))
    async with Orchestrator(local_settings(fakes)) as orchestrator:
        checks = {c.provider: c for c in await orchestrator.doctor()}
        status = {p["provider"]: p for p in orchestrator.status()["providers"]}
    assert checks["local"].ok and checks["local"].engine == MODEL
    assert checks["local"].base_url == fakes.local.base_url
    assert status["local"]["configured"] is True and status["local"]["circuit"] == "closed"
    assert fakes.local.bodies[-1]["max_tokens"] == 64  # a tiny completion, not a conversation
