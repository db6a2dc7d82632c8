"""Provider adapters against fake GLM / MiniMax servers over real HTTP: every wire quirk, the
error mapping, retries, extraction repair, and the settings."""

from __future__ import annotations

import pytest
from pydantic import BaseModel, Field, ValidationError

from companion.llm.base import Done, ReasoningDelta, TextDelta
from companion.llm.errors import (
    AuthError,
    BadResponseError,
    ContentFilterError,
    ContextTooLongError,
    ExtractionError,
    InsufficientBalanceError,
    InvalidRequestError,
    LLMTimeoutError,
    NotConfiguredError,
    QuotaExceededError,
    RateLimitError,
    ServerError,
    UnreachableError,
    glm_error,
    minimax_error,
    redact,
)
from companion.llm.extraction import (
    ExtractionFailure,
    find_json,
    parse_json_object,
    reask_message,
    split_think,
)
from companion.llm.glm import GLMProvider
from companion.llm.minimax import MiniMaxProvider
from companion.llm.settings import LLMSettings, parse_routing
from companion.llm.think import ThinkFilter
from fake_llm import GLM_KEY, MM_KEY, Fail, Reply, Stream, llm_settings, stream

pytestmark = pytest.mark.anyio

MSGS = [{"role": "user", "content": "hola"}]


@pytest.fixture
async def glm(fakes):
    provider = GLMProvider.from_settings(llm_settings(fakes))
    yield provider
    await provider.aclose()


@pytest.fixture
async def mm(fakes):
    provider = MiniMaxProvider.from_settings(llm_settings(fakes))
    yield provider
    await provider.aclose()


async def collect(agen) -> tuple[str, str, list]:
    events = [event async for event in agen]
    text = "".join(e.text for e in events if isinstance(e, TextDelta))
    reasoning = "".join(e.text for e in events if isinstance(e, ReasoningDelta))
    return text, reasoning, events


def glm_fail(status: int, code: str, message: str = "x") -> Fail:
    return Fail(status, {"error": {"code": code, "message": message}})


def mm_anthropic(status: int, kind: str, message: str) -> Fail:
    body = {
        "type": "error",
        "error": {"type": kind, "message": message, "http_code": str(status)},
        "request_id": "r1",
    }
    return Fail(status, body)


def mm_base_resp(code: int, message: str) -> Fail:
    return Fail(
        200, {"id": "x", "choices": None, "base_resp": {"status_code": code, "status_msg": message}}
    )


# ================================================================================ GLM


async def test_glm_complete_reads_reasoning_and_sends_explicit_thinking(fakes, glm):
    fakes.glm.script(Reply("Hola!", reasoning="The user greets"))
    result = await glm.complete(MSGS, temperature=0.3, max_tokens=100)
    assert (result.text, result.reasoning) == ("Hola!", "The user greets")
    assert result.provider == "glm" and result.finish_reason == "stop"
    assert result.usage is not None and result.usage.total_tokens == 28
    sent = fakes.glm.requests[0]
    assert sent.path == "/api/paas/v4/chat/completions"
    assert sent.headers["authorization"] == f"Bearer {GLM_KEY}"
    assert sent.body["thinking"] == {"type": "disabled"}  # explicit, chat default is off
    assert sent.body["max_tokens"] == 100 and sent.body["temperature"] == 0.3
    assert "response_format" not in sent.body and sent.body["stream"] is False


async def test_glm_json_mode_disables_thinking_even_when_chat_thinks(fakes):
    provider = GLMProvider.from_settings(llm_settings(fakes, glm_thinking=True))
    fakes.glm.script(Reply("ok"), Reply("{}"))
    try:
        await provider.complete(MSGS)
        await provider.complete(MSGS, json_mode=True, temperature=5)
    finally:
        await provider.aclose()
    chat, extraction = fakes.glm.bodies
    assert chat["thinking"] == {"type": "enabled"}
    assert extraction["thinking"] == {"type": "disabled"}
    assert extraction["response_format"] == {"type": "json_object"}
    assert extraction["temperature"] == 1.0  # clamped to GLM's [0, 1]


async def test_glm_stream_reasoning_then_text_and_usage(fakes, glm):
    fakes.glm.script(stream("\n", "Ho", "la", reasoning=["think ", "more"]))
    text, reasoning, events = await collect(glm.stream(MSGS))
    assert text == "\nHola" and reasoning == "think more"
    assert isinstance(events[0], ReasoningDelta)
    assert isinstance(events[-1], Done) and events[-1].finish_reason == "stop"
    assert events[-1].usage is not None and events[-1].usage.prompt_tokens == 18
    assert fakes.glm.bodies[0]["stream"] is True


async def test_glm_stream_skips_malformed_lines_and_splits_glued_records(fakes, glm):
    good = '{"id":"1","choices":[{"index":0,"delta":{"content":"B"}}]}'
    glued = '{"id":"2","choices":[{"index":0,"delta":{"content":"C"}}]}'
    frames = [
        ("text", "A"),
        ("raw", "data: {broken json"),
        ("raw", f"data: {good}data: {glued}"),
        ("raw", ": keep-alive comment"),
        ("finish", "stop"),
        ("done",),
    ]
    fakes.glm.script(Stream(frames))
    text, _, events = await collect(glm.stream(MSGS))
    assert text == "ABC"
    assert isinstance(events[-1], Done)


async def test_glm_mid_stream_error_event_raises_typed_error_without_retry(fakes, glm):
    error = {"error": {"code": "1302", "message": "High concurrency usage of this API"}}
    fakes.glm.script(Stream([("text", "Hi"), ("error", error)]))
    seen = []
    with pytest.raises(RateLimitError) as info:
        async for event in glm.stream(MSGS):
            seen.append(event)
    assert info.value.code == "1302" and info.value.retryable
    assert seen == [TextDelta("Hi")]
    assert len(fakes.glm.requests) == 1  # text already went out: never silently repeated


async def test_glm_retryable_error_before_first_token_is_retried(fakes, glm):
    fakes.glm.script(glm_fail(429, "1302"), stream("ok"))
    text, _, _ = await collect(glm.stream(MSGS))
    assert text == "ok" and len(fakes.glm.requests) == 2


async def test_glm_429_concurrency_is_retried_then_succeeds(fakes, glm):
    fakes.glm.script(glm_fail(429, "1302"), glm_fail(429, "1305"), Reply("fine"))
    assert (await glm.complete(MSGS)).text == "fine"
    assert len(fakes.glm.requests) == 3


async def test_glm_429_insufficient_balance_is_not_retried(fakes, glm):
    fakes.glm.script(glm_fail(429, "1113", "Insufficient balance"), Reply("never"))
    with pytest.raises(InsufficientBalanceError) as info:
        await glm.complete(MSGS)
    assert not info.value.retryable and info.value.status == 429
    assert len(fakes.glm.requests) == 1


@pytest.mark.parametrize(
    ("step", "error"),
    [
        (glm_fail(401, "1000", "Authorization failure"), AuthError),
        (glm_fail(429, "1304", "daily limit"), QuotaExceededError),
        (glm_fail(400, "1301", "unsafe content"), ContentFilterError),
        (glm_fail(400, "1211", "Unknown Model"), InvalidRequestError),
    ],
)
async def test_glm_fatal_errors_are_not_retried(fakes, glm, step, error):
    fakes.glm.script(step, Reply("never"))
    with pytest.raises(error):
        await glm.complete(MSGS)
    assert len(fakes.glm.requests) == 1


async def test_glm_auth_error_tells_what_to_fix_in_both_languages(fakes, glm):
    fakes.glm.script(glm_fail(401, "1000"))
    with pytest.raises(AuthError) as info:
        await glm.complete(MSGS)
    assert info.value.user_message("en").startswith(
        "GLM-4.6 rejected the API key: check GLM46_API_KEY"
    )
    assert "revisa GLM46_API_KEY" in info.value.user_message("es")


async def test_glm_server_errors_retried_up_to_max_then_raised(fakes, glm):
    fakes.glm.script(*[Fail(500, "Internal Server Error")] * 5)
    with pytest.raises(ServerError):
        await glm.complete(MSGS)
    assert len(fakes.glm.requests) == 3  # 1 + MUSIAIA_LLM_MAX_RETRIES (2)


async def test_glm_finish_reasons(fakes, glm):
    fakes.glm.script(
        Reply("partial answ", finish_reason="length"),
        Reply("long", finish_reason="model_context_window_exceeded"),
        Reply("", finish_reason="model_context_window_exceeded"),
        Reply("", finish_reason="sensitive"),
    )
    assert (await glm.complete(MSGS)).finish_reason == "length"
    assert (await glm.complete(MSGS)).finish_reason == "length"
    with pytest.raises(ContextTooLongError):
        await glm.complete(MSGS)
    with pytest.raises(ContentFilterError):
        await glm.complete(MSGS)


async def test_glm_stream_sensitive_finish_is_a_content_filter_error(fakes, glm):
    fakes.glm.script(stream("Some", finish="sensitive"))
    with pytest.raises(ContentFilterError):
        await collect(glm.stream(MSGS))


async def test_stream_cut_before_the_end_is_an_error(fakes, glm):
    fakes.glm.script(stream("Half an ans", finish=None, usage=False, done=False))
    with pytest.raises(ServerError, match="ended before"):
        await collect(glm.stream(MSGS))


async def test_no_key_means_no_request(fakes):
    provider = GLMProvider.from_settings(llm_settings(fakes, glm_api_key=None))
    assert not provider.configured
    with pytest.raises(NotConfiguredError, match="GLM46_API_KEY"):
        await provider.complete(MSGS)
    with pytest.raises(NotConfiguredError):
        await collect(provider.stream(MSGS))
    assert fakes.glm.requests == []


async def test_unreachable_endpoint_is_a_retryable_typed_error(fakes):
    settings = llm_settings(fakes, glm_base_url="http://127.0.0.1:9/api/paas/v4", max_retries=1)
    provider = GLMProvider.from_settings(settings)
    try:
        with pytest.raises((UnreachableError, LLMTimeoutError)) as info:
            await provider.complete(MSGS)
    finally:
        await provider.aclose()
    assert info.value.retryable
    assert "GLM46_BASE_URL" in info.value.user_message("en") or info.value.kind == "timeout"


# ============================================================================ MiniMax


async def test_minimax_sends_reasoning_split_clamped_temperature_and_completion_tokens(fakes, mm):
    fakes.minimax.script(Reply("a"), Reply("b"), Reply("c"))
    await mm.complete(MSGS, temperature=0, max_tokens=300)
    await mm.complete(MSGS, json_mode=True, temperature=7)
    await mm.complete(MSGS)
    zero, high, default = fakes.minimax.bodies
    assert zero["reasoning_split"] is True
    assert zero["temperature"] == 0.01  # 0 is rejected by MiniMax
    assert zero["max_completion_tokens"] == 300 and "max_tokens" not in zero
    assert high["temperature"] == 1.0
    assert "response_format" not in high  # ignored by M2: not sent
    assert 0 < default["temperature"] <= 1
    assert fakes.minimax.requests[0].path == "/v1/chat/completions"
    assert fakes.minimax.requests[0].headers["authorization"] == f"Bearer {MM_KEY}"


async def test_minimax_reasoning_details_are_kept_out_of_the_text(fakes, mm):
    fakes.minimax.script(Reply("Respuesta", reasoning="razonando"))
    result = await mm.complete(MSGS)
    assert result.text == "Respuesta"
    assert result.reasoning == "razonando"


@pytest.mark.parametrize(
    ("content", "text", "reasoning"),
    [
        ("<think>\nplan\n</think>\n\nAnswer", "Answer", "plan"),
        ("plan only\n</think>\n\nAnswer", "Answer", "plan only"),
        ("<think>half a thought", "half a thought", ""),
        ("Plain", "Plain", ""),
    ],
)
async def test_minimax_think_leaks_are_stripped_in_complete(fakes, mm, content, text, reasoning):
    fakes.minimax.script(Reply(content))
    result = await mm.complete(MSGS)
    assert result.text == text
    assert (result.reasoning or "") == reasoning
    assert "think>" not in result.text


async def test_minimax_stream_reasoning_details_are_incremental(fakes, mm):
    fakes.minimax.script(stream("Hola", " qué tal", reasoning=["Primero ", "pienso"]))
    text, reasoning, events = await collect(mm.stream(MSGS))
    assert text == "Hola qué tal"
    assert reasoning == "Primero pienso"  # not "PrimeroPrimero pienso"
    done = events[-1]
    assert isinstance(done, Done) and done.finish_reason == "stop"
    assert done.usage is not None and done.usage.total_tokens == 28  # from the choices:[] chunk


async def test_minimax_stream_without_done_ends_on_connection_close(fakes, mm):
    fakes.minimax.script(stream("fin", done=False))
    text, _, events = await collect(mm.stream(MSGS))
    assert text == "fin" and isinstance(events[-1], Done)


@pytest.mark.parametrize(
    ("pieces", "text", "reasoning"),
    [
        (["<thi", "nk>pl", "an</th", "ink>\n\nHo", "la"], "Hola", "plan"),
        (["\n</think>\n\n", "Hola"], "Hola", ""),
        (["Hola <", "b>mundo</b>"], "Hola <b>mundo</b>", ""),
    ],
)
async def test_minimax_stream_think_tags_split_across_chunks(fakes, mm, pieces, text, reasoning):
    fakes.minimax.script(stream(*pieces))
    got_text, got_reasoning, events = await collect(mm.stream(MSGS))
    assert got_text == text
    assert got_reasoning == reasoning
    assert not any(isinstance(e, TextDelta) and "think" in e.text for e in events)


async def test_minimax_error_inside_http_200(fakes, mm):
    fakes.minimax.script(mm_base_resp(1008, "insufficient balance"), Reply("never"))
    with pytest.raises(InsufficientBalanceError) as info:
        await mm.complete(MSGS)
    assert info.value.code == "1008"
    assert len(fakes.minimax.requests) == 1


async def test_minimax_rate_limit_inside_200_is_retried(fakes, mm):
    fakes.minimax.script(mm_base_resp(1002, "rate limit exceeded(RPM)"), Reply("ok"))
    assert (await mm.complete(MSGS)).text == "ok"
    assert len(fakes.minimax.requests) == 2


async def test_minimax_error_inside_200_for_a_stream_request(fakes, mm):
    fakes.minimax.script(mm_base_resp(2049, "invalid api key"))
    with pytest.raises(AuthError, match="MINIMAX_API_KEY"):
        await collect(mm.stream(MSGS))


async def test_minimax_anthropic_style_400_code_in_message_text(fakes, mm):
    fakes.minimax.script(
        mm_anthropic(400, "bad_request_error", "invalid params, tool call id not found (2013)"),
        Reply("never"),
    )
    with pytest.raises(InvalidRequestError) as info:
        await mm.complete(MSGS)
    assert info.value.code == "2013" and info.value.status == 400
    assert len(fakes.minimax.requests) == 1


async def test_minimax_anthropic_style_401(fakes, mm):
    fakes.minimax.script(mm_anthropic(401, "authorized_error", "login fail (1004)"))
    with pytest.raises(AuthError) as info:
        await mm.complete(MSGS)
    assert "check MINIMAX_API_KEY" in info.value.user_message("en")
    assert "revisa MINIMAX_API_KEY" in info.value.user_message("es")


async def test_minimax_choices_null_without_error_is_a_bad_response(fakes, mm):
    fakes.minimax.script(Fail(200, {"id": "x", "choices": None}))
    with pytest.raises(BadResponseError):
        await mm.complete(MSGS)


# ======================================================================== extraction


class Song(BaseModel):
    style: str
    bpm: int = Field(ge=20, le=300)


async def test_extract_from_fenced_json_with_leaked_think(fakes, mm):
    fakes.minimax.script(
        Reply('<think>hmm</think>Here:\n```json\n{"style": "house", "bpm": 124}\n```')
    )
    assert await mm.extract(MSGS, Song) == Song(style="house", bpm=124)


async def test_extract_repairs_broken_json(fakes, glm):
    fakes.glm.script(Reply('{"style": "techno", "bpm": "130",'))
    assert await glm.extract(MSGS, Song) == Song(style="techno", bpm=130)
    assert fakes.glm.bodies[0]["response_format"] == {"type": "json_object"}


async def test_extract_reasks_once_with_the_validation_errors(fakes, glm):
    fakes.glm.script(
        Reply('{"style": "house", "bpm": 5000}'), Reply('{"style": "house", "bpm": 125}')
    )
    assert await glm.extract(MSGS, Song) == Song(style="house", bpm=125)
    second = fakes.glm.bodies[1]["messages"]
    assert second[-2] == {"role": "assistant", "content": '{"style": "house", "bpm": 5000}'}
    assert second[-1]["role"] == "user" and "bpm" in second[-1]["content"]


async def test_extract_gives_up_after_the_reask(fakes, glm):
    fakes.glm.script(Reply("no idea"), Reply("still no JSON"), Reply('{"style":"x","bpm":100}'))
    with pytest.raises(ExtractionError) as info:
        await glm.extract(MSGS, Song)
    assert info.value.errors and len(fakes.glm.requests) == 2


def test_split_think_and_find_json():
    assert split_think("<think>a</think>b") == ("b", "a")
    assert split_think("x</think>y")[0] == "y"
    assert split_think("<think>{}")[0] == "{}"
    assert find_json('text {"a": "}{", "b": {"c": 1}} tail') == '{"a": "}{", "b": {"c": 1}}'
    assert find_json('```json\n{"a": 1}\n```') == '{"a": 1}'
    assert find_json("nothing here") is None
    assert parse_json_object('{"a": [1, 2,], }') == {"a": [1, 2]}
    with pytest.raises(ExtractionFailure):
        parse_json_object("[1, 2]")
    assert "- a: bad" in reask_message(["a: bad"])["content"]


def test_think_filter_leading_whitespace_and_nested_blocks():
    f = ThinkFilter()
    events = f.feed("  <think>a</think> one ") + f.feed("<think>b</think>two") + f.flush()
    text = "".join(e.text for e in events if isinstance(e, TextDelta))
    reasoning = "".join(e.text for e in events if isinstance(e, ReasoningDelta))
    assert (text, reasoning) == ("one two", "ab")


# ============================================================================ errors


ENV = {"key": "GLM46_API_KEY", "url": "GLM46_BASE_URL", "model": "GLM46_MODEL"}


@pytest.mark.parametrize(
    ("status", "code", "cls", "retryable"),
    [
        (401, "1001", AuthError, False),
        (429, "1113", InsufficientBalanceError, False),
        (429, "1302", RateLimitError, True),
        (429, "1303", RateLimitError, True),
        (429, "1308", QuotaExceededError, False),
        (400, "1301", ContentFilterError, False),
        (400, "1214", InvalidRequestError, False),
        (500, "", ServerError, True),
        (429, "", RateLimitError, True),
        (413, "", ContextTooLongError, False),
    ],
)
def test_glm_error_table(status, code, cls, retryable):
    error = glm_error(
        status, {"error": {"code": code, "message": "m"}}, label="GLM-4.6", env=ENV, secrets=()
    )
    assert type(error) is cls and error.retryable is retryable


@pytest.mark.parametrize(
    ("status", "body", "cls"),
    [
        (200, {"base_resp": {"status_code": 1002, "status_msg": "rpm"}}, RateLimitError),
        (200, {"base_resp": {"status_code": 1026, "status_msg": "sensitive"}}, ContentFilterError),
        (200, {"base_resp": {"status_code": 2056, "status_msg": "usage"}}, QuotaExceededError),
        (200, {"base_resp": {"status_code": 1033, "status_msg": "sys"}}, ServerError),
        (
            400,
            {"type": "error", "error": {"message": "context window exceeds limit (2013)"}},
            InvalidRequestError,
        ),
        (529, {"type": "error", "error": {"message": "overloaded"}}, ServerError),
    ],
)
def test_minimax_error_table(status, body, cls):
    assert type(minimax_error(status, body, label="MiniMax-M2", env={}, secrets=())) is cls


def test_error_text_is_scrubbed_of_keys():
    error = glm_error(
        401,
        {
            "error": {
                "code": "1000",
                "message": f"bad key {GLM_KEY}; Bearer {GLM_KEY} sk-abcdefghijkl",
            }
        },
        label="GLM-4.6",
        env=ENV,
        secrets=(GLM_KEY,),
    )
    for text in (str(error), repr(error), error.detail, error.user_message("es")):
        assert GLM_KEY not in text and "sk-abcdefghijkl" not in text
    assert redact("token Bearer abc.def") == "token Bearer ***"


# ========================================================================== settings


def test_settings_read_the_documented_env_names(monkeypatch):
    monkeypatch.setenv("GLM46_API_KEY", "from-env-glm")
    monkeypatch.setenv("MINIMAX_API_KEY", "from-env-mm")
    monkeypatch.setenv("GLM46_MODEL", "glm-4.7")
    monkeypatch.setenv("MINIMAX_MODEL", "MiniMax-M2.5")
    monkeypatch.setenv("MUSIAIA_LLM_REGION", "mainland")
    monkeypatch.setenv("MINIMAX_BASE_URL", "https://proxy.example/v1/")
    monkeypatch.setenv("MUSIAIA_LLM_IDLE_TIMEOUT", "12")
    monkeypatch.setenv("MUSIAIA_LLM_BREAKER_FAILURES", "5")
    monkeypatch.setenv("MUSIAIA_LLM_ROUTING", "chat=glm")
    monkeypatch.delenv("GLM46_BASE_URL", raising=False)
    settings = LLMSettings()
    assert settings.glm_api_key is not None
    assert settings.glm_api_key.get_secret_value() == "from-env-glm"
    assert (settings.glm_model, settings.minimax_model) == ("glm-4.7", "MiniMax-M2.5")
    assert settings.glm_url == "https://open.bigmodel.cn/api/paas/v4"  # mainland default
    assert settings.minimax_url == "https://proxy.example/v1"  # explicit URL wins
    assert settings.idle_timeout == 12 and settings.breaker_failures == 5
    assert settings.policy["conversation"] == ("glm",)
    assert settings.policy["structured"] == ("local", "glm", "minimax")  # only when set up
    for text in (repr(settings), str(settings), settings.model_dump_json()):
        assert "from-env-glm" not in text and "from-env-mm" not in text


def test_settings_defaults_are_international(monkeypatch):
    for name in ("MUSIAIA_LLM_REGION", "GLM46_BASE_URL", "MINIMAX_BASE_URL", "MUSIAIA_LLM_ROUTING"):
        monkeypatch.delenv(name, raising=False)
    settings = LLMSettings(glm_api_key="", minimax_api_key=None)
    assert settings.glm_api_key is None  # blank means unset
    assert settings.glm_url == "https://api.z.ai/api/paas/v4"
    assert settings.minimax_url == "https://api.minimax.io/v1"
    # A local model leads once set up (it has no default URL); else GLM/MiniMax as before.
    assert settings.policy == {
        "structured": ("local", "glm", "minimax"),
        "conversation": ("local", "minimax", "glm"),
    }
    assert settings.local_url is None
    assert (settings.understand_budget, settings.answer_budget) == (10, 15)
    assert (settings.connect_timeout, settings.first_token_timeout, settings.idle_timeout) == (
        10,
        60,
        30,
    )
    assert (settings.max_retries, settings.breaker_failures, settings.breaker_cooldown) == (
        2,
        3,
        60,
    )


def test_routing_policy_spellings():
    assert parse_routing('{"understanding": ["minimax"], "chat": ["offline"]}') == {
        "structured": ("minimax",),
        "conversation": (),
    }
    assert parse_routing("conversation=zai,minimax")["conversation"] == ("glm", "minimax")
    for bad in ("chat=openai", "weather=glm", "glm,minimax", "{not json"):
        with pytest.raises(ValueError):
            parse_routing(bad)
    with pytest.raises(ValidationError):
        LLMSettings(routing="chat=openai")
