"""The orchestrator against fake providers over real HTTP: routing, every fallback path, the
circuit breaker, stream timeouts with reset, validation of what models say, languages, and
keeping API keys out of everything observable."""

from __future__ import annotations

import json
import logging

import pytest
from pydantic import ValidationError

from companion.chat.answers import offline_answer
from companion.chat.context import ChatContext, LiveFacts, ProjectFacts, SectionFacts, TrackFacts
from companion.llm import OFFLINE, Orchestrator
from companion.llm.base import Provider, TextDelta
from companion.llm.schema import ExtractedRequest
from companion.llm.settings import LLMSettings
from companion.requirements import Adjustments, Requirements
from companion.understanding.parser import understand as offline_understand
from fake_llm import GLM_KEY, MM_KEY, Fail, Reply, Stream, llm_settings, stream

pytestmark = pytest.mark.anyio

ES = ChatContext(language="es")
EN = ChatContext(language="en")
HOUSE_ES = "Genera un track de house a 124 BPM en La menor"
GOOD_JSON = '{"intent": "generate_project", "style": "house", "bpm": 124, "key": "Am"}'


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def make_settings(fakes, **overrides) -> LLMSettings:
    return llm_settings(fakes, **{"routing": "", **overrides})


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def orch(fakes, clock):
    async with Orchestrator(make_settings(fakes), clock=clock) as orchestrator:
        yield orchestrator


class Recorder:
    """on_token / on_reset / on_reasoning in one place, as the server would use them."""

    def __init__(self) -> None:
        self.log: list[tuple[str, str]] = []

    async def token(self, text: str) -> None:  # async on purpose
        self.log.append(("token", text))

    def reset(self, reason: str) -> None:  # sync on purpose
        self.log.append(("reset", reason))

    def reasoning(self, text: str) -> None:
        self.log.append(("reasoning", text))

    def text_after_last_reset(self) -> str:
        last = max((i for i, (kind, _) in enumerate(self.log) if kind == "reset"), default=-1)
        return "".join(t for kind, t in self.log[last + 1 :] if kind == "token")

    def kinds(self) -> list[str]:
        return [kind for kind, _ in self.log]


def dead(status: int = 500, n: int = 3) -> list[Fail]:
    return [Fail(status, {"error": {"code": "500", "message": "boom"}})] * n


# ====================================================================== understanding


async def test_understanding_goes_to_glm_first_in_json_mode(fakes, orch):
    fakes.glm.script(Reply(GOOD_JSON))
    result = await orch.understand(HOUSE_ES, ES)
    assert result.engine == "glm-4.6" and result.notes == []
    r = result.understanding.requirements
    assert (r.intent, r.style, r.bpm, r.key) == ("generate_project", "house", 124, "Am")
    assert result.understanding.language == "es"
    assert fakes.minimax.requests == []
    body = fakes.glm.bodies[0]
    assert body["response_format"] == {"type": "json_object"}
    assert body["thinking"] == {"type": "disabled"}
    system = body["messages"][0]["content"]
    assert "Respond with only a JSON object" in system and "drum-and-bass" in system
    assert body["messages"][-1] == {"role": "user", "content": HOUSE_ES}


async def test_understanding_reads_adjustments_for_edits(fakes, orch):
    fakes.glm.script(
        Reply(
            '{"intent": "modify_project", '
            '"adjustments": {"tempo_delta": 6, "density": {"drums": 1}}}'
        )
    )
    result = await orch.understand("make it faster with busier drums", EN)
    assert result.understanding.requirements.intent == "modify_project"
    assert result.understanding.adjustments.tempo_delta == 6
    assert result.understanding.adjustments.density == {"drums": 1}


async def test_glm_down_falls_back_to_minimax(fakes, orch):
    fakes.glm.script(*dead())
    fakes.minimax.script(Reply(f"<think>easy</think>{GOOD_JSON}"))
    result = await orch.understand(HOUSE_ES, ES)
    assert result.engine == "MiniMax-M2"
    assert result.understanding.requirements.key == "Am"
    assert len(fakes.glm.requests) == 3  # retried, then given up
    assert any("GLM-4.6" in note for note in result.notes)
    assert fakes.minimax.bodies[0]["reasoning_split"] is True


async def test_both_down_falls_back_to_the_offline_parser(fakes, orch):
    fakes.glm.script(*dead())
    fakes.minimax.script(*dead(401, 1))
    result = await orch.understand(HOUSE_ES, ES)
    assert result.engine == OFFLINE
    assert result.understanding == offline_understand(HOUSE_ES)
    assert len(result.notes) == 2 and "MINIMAX_API_KEY" in result.notes[1]


async def test_no_keys_means_offline_and_no_http(fakes):
    settings = make_settings(fakes, glm_api_key=None, minimax_api_key=None)
    async with Orchestrator(settings) as orchestrator:
        understood = await orchestrator.understand(HOUSE_ES, ES)
        answered = await orchestrator.answer("¿Qué acordes van bien en Re menor?", ES, [])
        assert orchestrator.engines() == [OFFLINE]
    assert understood.engine == answered.engine == OFFLINE and understood.notes == []
    assert fakes.glm.requests == [] and fakes.minimax.requests == []


async def test_bad_json_reask_then_success(fakes, orch):
    fakes.glm.script(Reply("Claro, un track de house en La menor."), Reply(GOOD_JSON))
    result = await orch.understand(HOUSE_ES, ES)
    assert result.engine == "glm-4.6"
    assert len(fakes.glm.requests) == 2
    reask = fakes.glm.bodies[1]["messages"][-1]["content"]
    assert "not valid" in reask


async def test_reask_failure_uses_the_offline_parser(fakes, orch):
    fakes.glm.script(Reply('{"style": "polka"}'), Reply('{"bpm": 5000}'))
    result = await orch.understand(HOUSE_ES, ES)
    assert result.engine == OFFLINE
    assert result.understanding == offline_understand(HOUSE_ES)
    assert fakes.minimax.requests == []  # a confused model is not a dead provider
    assert orch.breakers["glm"].state == "closed"


@pytest.mark.parametrize(
    "reply",
    [
        '{"intent": "generate_project", "bpm": 5000}',
        '{"intent": "generate_project", "key": "H#"}',
        '{"intent": "generate_project", "style": "polka-core"}',
        '{"intent": "generate_project", "style": "../../etc/passwd"}',
        '{"intent": "generate_project", "mood": "C:\\\\Windows\\\\system32"}',
        '{"intent": "generate_project", "output": "/tmp/evil.als"}',
        '{"intent": "generate_project", "time_signature": "4/4/../../x"}',
        '{"intent": "modify_project", "adjustments": {"tempo_delta": 100000}}',
        '{"intent": "modify_project", "adjustments": {"transpose": 9999}}',
        '{"intent": "modify_project", "adjustments": {"density": {"drums": 50}}}',
        '{"intent": "generate_project", "bars": 100000}',
        '{"intent": "destroy_everything"}',
    ],
)
async def test_absurd_values_from_the_model_never_reach_requirements(fakes, orch, reply):
    fakes.glm.script(Reply(reply), Reply(reply))
    result = await orch.understand(HOUSE_ES, ES)
    assert result.engine == OFFLINE
    assert result.understanding == offline_understand(HOUSE_ES)


async def test_first_reply_out_of_range_second_valid(fakes, orch):
    fakes.glm.script(
        Reply('{"intent": "generate_project", "bpm": 5000, "key": "H#"}'),
        Reply('{"intent": "generate_project", "bpm": 124, "key": "A minor"}'),
    )
    result = await orch.understand(HOUSE_ES, ES)
    assert result.engine == "glm-4.6"
    assert (result.understanding.requirements.bpm, result.understanding.requirements.key) == (
        124,
        "Am",
    )
    reask = fakes.glm.bodies[1]["messages"][-1]["content"]
    assert "bpm" in reask and "key" in reask


@pytest.mark.parametrize("text", ["", "   ", "house a 5000 bpm"])
async def test_offline_parser_errors_propagate_before_any_http(fakes, orch, text):
    with pytest.raises(ValueError) as info:
        await orch.understand(text, EN)
    with pytest.raises(ValueError) as expected:
        offline_understand(text)
    assert str(info.value) == str(expected.value)
    assert fakes.glm.requests == [] and fakes.minimax.requests == []


async def test_language_comes_from_the_offline_parser(fakes, orch):
    fakes.glm.script(Reply('{"intent": "chat"}'))
    result = await orch.understand("¿Qué tonalidad le va mejor a un tema de techno oscuro?", EN)
    assert result.understanding.language == "es"


async def test_routing_policy_is_configurable(fakes):
    settings = make_settings(fakes, routing="structured=minimax;conversation=glm")
    async with Orchestrator(settings) as orchestrator:
        fakes.minimax.script(Reply(GOOD_JSON))
        fakes.glm.script(stream("hello"))
        assert (await orchestrator.understand(HOUSE_ES, ES)).engine == "MiniMax-M2"
        assert (await orchestrator.answer("hi", EN, [])).engine == "glm-4.6"
    assert [r.body["stream"] for r in fakes.glm.requests] == [True]
    assert [r.body["stream"] for r in fakes.minimax.requests] == [False]


async def test_offline_only_routing(fakes):
    async with Orchestrator(make_settings(fakes, routing="structured=offline;chat=offline")) as o:
        assert (await o.understand(HOUSE_ES, ES)).engine == OFFLINE
        assert (await o.answer("hola", ES, [])).engine == OFFLINE
    assert fakes.glm.requests == [] and fakes.minimax.requests == []


# ====================================================================== conversation


async def test_conversation_streams_minimax_tokens_in_order(fakes, orch):
    fakes.minimax.script(stream("\n", "Para house ", "usa ", "124 BPM.", reasoning=["secret plan"]))
    rec = Recorder()
    result = await orch.answer(
        "what tempo for house?", EN, [], rec.token, on_reasoning=rec.reasoning
    )
    assert result.engine == "MiniMax-M2"
    assert result.text == "Para house usa 124 BPM."
    assert rec.kinds() == ["token", "token", "token"]  # reasoning not forwarded, blank skipped
    assert "".join(t for _, t in rec.log) == result.text
    assert result.reasoning is None
    assert fakes.glm.requests == []


async def test_reasoning_is_forwarded_only_when_asked(fakes, orch):
    fakes.minimax.script(stream("Hi", reasoning=["step one ", "step two"]))
    rec = Recorder()
    result = await orch.answer(
        "hi", EN, [], rec.token, show_reasoning=True, on_reasoning=rec.reasoning
    )
    assert result.reasoning == "step one step two"
    assert rec.kinds() == ["reasoning", "reasoning", "token"]


async def test_minimax_think_leak_never_reaches_the_client(fakes, orch):
    fakes.minimax.script(stream("<think>\nlet me ", "think</think>", "\n\nRespuesta"))
    rec = Recorder()
    result = await orch.answer("hola", ES, [], rec.token)
    assert result.text == "Respuesta"
    assert all("think" not in t for _, t in rec.log)


async def test_minimax_down_falls_back_to_glm_without_reset(fakes, orch):
    fakes.minimax.script(*dead())
    fakes.glm.script(stream("Hola", " desde GLM"))
    rec = Recorder()
    result = await orch.answer("hola", ES, [], rec.token, on_reset=rec.reset)
    assert result.engine == "glm-4.6" and result.text == "Hola desde GLM"
    assert "reset" not in rec.kinds()
    assert len(fakes.minimax.requests) == 3
    assert fakes.glm.bodies[0]["thinking"] == {"type": "disabled"}


async def test_stalled_stream_after_tokens_resets_then_falls_back(fakes):
    settings = make_settings(fakes, idle_timeout=0.3)
    fakes.minimax.script(stream("Primera parte ", "de la", stall_after=True))
    fakes.glm.script(stream("Respuesta ", "completa"))
    rec = Recorder()
    async with Orchestrator(settings) as orchestrator:
        result = await orchestrator.answer("hola", ES, [], rec.token, on_reset=rec.reset)
    assert result.engine == "glm-4.6" and result.text == "Respuesta completa"
    assert rec.kinds() == ["token", "token", "reset", "token", "token"]
    assert rec.text_after_last_reset() == "Respuesta completa"
    reset_reason = next(text for kind, text in rec.log if kind == "reset")
    assert "MiniMax-M2" in reset_reason and "otro motor" in reset_reason  # in Spanish
    assert len(fakes.minimax.requests) == 1  # no retry once tokens went out
    assert any("MiniMax-M2" in note for note in result.notes)


async def test_slow_first_token_falls_back(fakes):
    settings = make_settings(fakes, first_token_timeout=0.3)
    fakes.minimax.script(stream("too late", first_delay=3))
    fakes.glm.script(stream("on time"))
    rec = Recorder()
    async with Orchestrator(settings) as orchestrator:
        result = await orchestrator.answer("hi", EN, [], rec.token, on_reset=rec.reset)
    assert result.engine == "glm-4.6" and result.text == "on time"
    assert rec.kinds() == ["token"]
    assert len(fakes.minimax.requests) == 1


async def test_minimax_error_chunk_mid_stream_resets_and_falls_back(fakes, orch):
    error_chunk = {
        "choices": [],
        "base_resp": {"status_code": 1027, "status_msg": "output sensitive"},
    }
    fakes.minimax.script(Stream([("text", "Empiezo a"), ("error", error_chunk)]))
    fakes.glm.script(stream("Respuesta ", "segura"))
    rec = Recorder()
    result = await orch.answer("hola", ES, [], rec.token, on_reset=rec.reset)
    assert rec.kinds() == ["token", "reset", "token", "token"]
    assert result.engine == "glm-4.6" and result.text == "Respuesta segura"
    assert "filtro de contenido" in result.notes[0]
    assert orch.breakers["minimax"].consecutive_failures == 0  # about the message, not MiniMax


async def test_glm_error_event_mid_stream_falls_back_to_minimax(fakes):
    error = {"error": {"code": "1234", "message": "Network error"}}
    fakes.glm.script(Stream([("text", "Hello"), ("error", error)]))
    fakes.minimax.script(stream("Hi there"))
    rec = Recorder()
    async with Orchestrator(make_settings(fakes, routing="chat=glm,minimax")) as orchestrator:
        result = await orchestrator.answer("hi", EN, [], rec.token, on_reset=rec.reset)
    assert rec.kinds() == ["token", "reset", "token"]
    assert result.engine == "MiniMax-M2" and rec.text_after_last_reset() == "Hi there"
    assert len(fakes.glm.requests) == 1


async def test_stream_cut_short_resets_and_ends_offline(fakes, orch):
    fakes.minimax.script(stream("Half an", finish=None, usage=False, done=False))
    fakes.glm.script(*dead())
    rec = Recorder()
    question = "what is a relative minor?"
    result = await orch.answer(question, EN, [], rec.token, on_reset=rec.reset)
    assert result.engine == OFFLINE
    assert rec.kinds() == ["token", "reset", "token"]
    assert rec.text_after_last_reset() == offline_answer(question, EN) == result.text


async def test_both_down_answers_offline_in_spanish(fakes, orch):
    fakes.minimax.script(*dead())
    fakes.glm.script(*[Fail(429, {"error": {"code": "1302", "message": "busy"}})] * 3)
    question = "¿Qué acordes van bien en Re menor?"
    rec = Recorder()
    result = await orch.answer(question, ES, [], rec.token, on_reset=rec.reset)
    assert result.engine == OFFLINE
    assert result.text == offline_answer(question, ES)
    assert rec.kinds() == ["token"] and rec.log[0][1] == result.text
    assert len(result.notes) == 2 and "saturado" in result.notes[1]  # Spanish notes


async def test_spanish_in_spanish_out_prompt(fakes, orch):
    fakes.minimax.script(stream("Claro"))
    await orch.answer("¿cómo hago un bajo de techno?", ES, [])
    system = fakes.minimax.bodies[0]["messages"][0]["content"]
    assert "Always answer in Spanish" in system
    fakes.minimax.script(stream("Sure"))
    await orch.answer("how do I make a techno bassline?", EN, [])
    assert "Always answer in English" in fakes.minimax.bodies[1]["messages"][0]["content"]


async def test_context_and_history_within_budget(fakes):
    project = ProjectFacts(
        id="p1",
        name="Noche",
        style="techno",
        bpm=130,
        key="Fm",
        bars=64,
        sections=[SectionFacts(name="Intro", kind="intro", start_bar=1, bars=8)],
        tracks=[TrackFacts(name="Kick", role="drums"), TrackFacts(name="Sub Bass", role="bass")],
    )
    live = LiveFacts(connected=True, tempo=128, playing=True, track_names=["Audio 1", "Vox"])
    context = ChatContext(language="en", project=project, live=live)
    history = []
    for i in range(40):
        history.append({"role": "user", "content": f"question {i} " + "x" * 400})
        history.append({"role": "assistant", "content": f"answer {i} " + "y" * 400})
    fakes.minimax.script(stream("ok"))
    async with Orchestrator(make_settings(fakes, context_tokens=2500)) as orchestrator:
        await orchestrator.answer("and now?", context, history)
    messages = fakes.minimax.bodies[0]["messages"]
    system = messages[0]["content"]
    for fact in (
        "Noche",
        "techno",
        "130 BPM",
        "Fm",
        "Sub Bass",
        "Intro",
        "128 BPM",
        "playing",
        "Vox",
    ):
        assert fact in system
    middle = messages[1:-1]
    assert 0 < len(middle) < len(history)
    assert middle[-1]["content"].startswith("answer 39")  # newest kept
    assert middle[0]["role"] == "user"
    assert messages[-1] == {"role": "user", "content": "and now?"}
    assert sum(len(m["content"]) for m in messages) / 4 <= 2500 + 50


async def test_empty_answer_falls_back(fakes, orch):
    fakes.minimax.script(stream("   "))
    fakes.glm.script(stream("real answer"))
    result = await orch.answer("hi", EN, [])
    assert result.engine == "glm-4.6" and result.text == "real answer"


# ===================================================================== circuit breaker


async def test_circuit_breaker_opens_skips_and_half_opens(fakes, clock):
    settings = make_settings(fakes, max_retries=0, breaker_failures=3, breaker_cooldown=60)
    async with Orchestrator(settings, clock=clock) as orchestrator:
        for _ in range(3):
            fakes.minimax.script(*dead(500, 1))
            fakes.glm.script(stream("glm"))
            assert (await orchestrator.answer("hi", EN, [])).engine == "glm-4.6"
        assert orchestrator.breakers["minimax"].state == "open"
        assert len(fakes.minimax.requests) == 3

        fakes.glm.script(stream("glm again"))
        skipped = await orchestrator.answer("hi", EN, [])
        assert skipped.engine == "glm-4.6"
        assert len(fakes.minimax.requests) == 3  # not contacted while open
        assert any("skipped" in note for note in skipped.notes)
        circuits = {p["provider"]: p["circuit"] for p in orchestrator.status()["providers"]}
        assert circuits["minimax"] == "open"

        clock.now += 61  # cool-down over: one probe allowed
        assert orchestrator.breakers["minimax"].state == "half_open"
        fakes.minimax.script(*dead(500, 1))
        fakes.glm.script(stream("glm"))
        await orchestrator.answer("hi", EN, [])
        assert len(fakes.minimax.requests) == 4
        assert orchestrator.breakers["minimax"].state == "open"  # failed probe: open again

        clock.now += 61
        fakes.minimax.script(stream("back"))
        back = await orchestrator.answer("hi", EN, [])
        assert back.engine == "MiniMax-M2"
        assert orchestrator.breakers["minimax"].state == "closed"
        assert orchestrator.breakers["minimax"].consecutive_failures == 0


async def test_breaker_also_guards_understanding(fakes, clock):
    settings = make_settings(fakes, max_retries=0, breaker_failures=2, breaker_cooldown=30)
    async with Orchestrator(settings, clock=clock) as orchestrator:
        for _ in range(2):
            fakes.glm.script(*dead(401, 1))
            fakes.minimax.script(Reply(GOOD_JSON))
            assert (await orchestrator.understand(HOUSE_ES, ES)).engine == "MiniMax-M2"
        fakes.minimax.script(Reply(GOOD_JSON))
        await orchestrator.understand(HOUSE_ES, ES)
        assert len(fakes.glm.requests) == 2


async def test_content_filter_does_not_trip_the_breaker(fakes, clock):
    settings = make_settings(fakes, max_retries=0, breaker_failures=2)
    async with Orchestrator(settings, clock=clock) as orchestrator:
        for _ in range(3):
            fakes.minimax.script(
                Fail(
                    200,
                    {
                        "choices": None,
                        "base_resp": {"status_code": 1026, "status_msg": "sensitive"},
                    },
                )
            )
            fakes.glm.script(stream("ok"))
            await orchestrator.answer("hi", EN, [])
        assert orchestrator.breakers["minimax"].state == "closed"
        assert len(fakes.minimax.requests) == 3


# =========================================================================== health


async def test_status_engines_and_doctor(fakes, orch):
    fakes.glm.script(Reply("ok"))
    fakes.minimax.script(
        Fail(
            401,
            {
                "type": "error",
                "error": {"type": "authorized_error", "message": "login fail (1004)"},
            },
        )
    )
    assert orch.engines() == ["MiniMax-M2", "glm-4.6", OFFLINE]
    checks = {c.provider: c for c in await orch.doctor()}
    assert checks["glm"].ok and checks["glm"].latency_ms is not None and checks["glm"].error is None
    assert not checks["minimax"].ok and checks["minimax"].error_kind == "auth"
    assert "MINIMAX_API_KEY" in checks["minimax"].error
    assert len(fakes.minimax.requests) == 1  # the health check does not retry
    status = orch.status()
    assert status["routing"]["structured"] == ["local", "glm-4.6", "MiniMax-M2"]
    assert {p["circuit"] for p in status["providers"]} == {"closed"}


async def test_doctor_reports_unconfigured_providers(fakes):
    async with Orchestrator(make_settings(fakes, minimax_api_key=None)) as orchestrator:
        fakes.glm.script(Reply("ok"))
        checks = {c.provider: c.as_dict() for c in await orchestrator.doctor()}
    assert checks["minimax"]["configured"] is False and checks["minimax"]["ok"] is False
    assert "MINIMAX_API_KEY" in checks["minimax"]["error"]
    assert fakes.minimax.requests == []


# ============================================================================ secrets


async def test_api_keys_never_leak(fakes, clock, caplog):
    caplog.set_level(logging.DEBUG)
    echo = {"error": {"code": "1000", "message": f"invalid api key {GLM_KEY}"}}
    server_echo = {"error": {"code": "500", "message": f"upstream got Bearer {GLM_KEY}"}}
    mm_echo = {"type": "error", "error": {"message": f"key {MM_KEY} is wrong (2049)"}}
    settings = make_settings(fakes, max_retries=1)
    observed: list[str] = [repr(settings), str(settings), settings.model_dump_json()]
    async with Orchestrator(settings, clock=clock) as orchestrator:
        fakes.glm.script(Fail(401, echo))
        fakes.minimax.script(Fail(401, mm_echo))
        understood = await orchestrator.understand(HOUSE_ES, ES)
        fakes.minimax.script(Fail(401, mm_echo))
        fakes.glm.script(Fail(500, server_echo), stream("fine"))
        answered = await orchestrator.answer("hi", EN, [])
        fakes.glm.script(Fail(401, echo))
        fakes.minimax.script(Fail(401, mm_echo))
        checks = await orchestrator.doctor()
        observed += [
            repr(orchestrator),
            json.dumps(orchestrator.status()),
            repr(orchestrator.providers),
            repr(understood),
            repr(answered),
            json.dumps([c.as_dict() for c in checks]),
            caplog.text,
        ]
    sent = fakes.glm.requests[0].headers["authorization"]
    assert sent == f"Bearer {GLM_KEY}"  # the key was really used …
    for text in observed:  # … and shows up nowhere else
        assert GLM_KEY not in text and MM_KEY not in text
    assert understood.engine == OFFLINE and answered.text == "fine"
    assert [c.error_kind for c in checks if c.provider != "local"] == ["auth", "auth"]


# ============================================================================ schema


@pytest.mark.parametrize(
    "data",
    [
        {"style": "../../etc/passwd"},
        {"mood": "~/.ssh/id_rsa"},
        {"key": "C:\\temp"},
        {"include": ["bass", "$(rm -rf /)"]},
        {"adjustments": {"regenerate": ["lead\x00"]}},
        {"style": "x" * 200},
    ],
)
def test_schema_refuses_path_like_or_absurd_strings_outright(data):
    with pytest.raises(ValidationError) as info:
        ExtractedRequest.model_validate({"intent": "generate_project", **data})
    assert any(word in str(info.value) for word in ("not an allowed value", "too long"))


def test_schema_normalises_harmless_spellings():
    extracted = ExtractedRequest.model_validate(
        {
            "requirements": {"intent": "generate", "style": "Deep House", "key": "la menor"},
            "bpm": "122 BPM",
            "mood": "Dark",
            "include": "Bass",
            "adjustments": None,
        }
    )
    understanding = extracted.to_understanding("es")
    r = understanding.requirements
    assert (r.intent, r.style, r.key, r.bpm, r.mood, r.include) == (
        "generate_project",
        "deep-house",
        "Am",
        122,
        "dark",
        ["bass"],
    )
    assert type(r) is Requirements and understanding.adjustments == Adjustments()


# ================================================================ injected providers


class Broken(Provider):
    """A provider with a bug: the orchestrator must survive it."""

    name = "glm"
    model = "broken-1"

    @property
    def configured(self) -> bool:
        return True

    async def complete(self, messages, *, json_mode=False, temperature=None, max_tokens=None):
        raise KeyError("choices")

    async def stream(self, messages, *, json_mode=False, temperature=None, max_tokens=None):
        yield TextDelta("Half")
        raise KeyError("delta")


async def test_adapter_bugs_fall_back_instead_of_crashing(fakes):
    rec = Recorder()
    async with Orchestrator(make_settings(fakes), providers={"glm": Broken()}) as orchestrator:
        understood = await orchestrator.understand(HOUSE_ES, ES)
        answered = await orchestrator.answer("hola", ES, [], rec.token, on_reset=rec.reset)
        assert orchestrator.engines() == ["broken-1", OFFLINE]
    assert understood.engine == answered.engine == OFFLINE
    assert rec.kinds() == ["token", "reset", "token"]
    assert len(understood.notes) == 1 and len(answered.notes) == 1


async def test_slow_understanding_falls_back_to_the_next_provider(fakes):
    fakes.glm.script(Reply(GOOD_JSON, delay=3))
    fakes.minimax.script(Reply(GOOD_JSON))
    async with Orchestrator(make_settings(fakes, total_timeout=0.3)) as orchestrator:
        result = await orchestrator.understand(HOUSE_ES, ES)
    assert result.engine == "MiniMax-M2"
    assert "tardó demasiado" in result.notes[0]
