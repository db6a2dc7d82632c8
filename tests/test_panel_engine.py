"""The panel's engine setting in a real Chromium against the real companion, with a fake local
model (Ollama's OpenAI-compatible /v1 over real HTTP).

A producer opens Settings, sees what this companion offers (the local model; GLM and MiniMax not
set up, with what to configure), chooses the local model, and the chat is answered by it; the
choice survives a reload; choosing offline sends nothing anywhere; a hung local model is
announced in the chat and the offline answer follows within the configured bound.
"""

from __future__ import annotations

import json

import httpx
import pytest
from playwright.sync_api import Page, expect, sync_playwright

from fake_llm import Hang, Reply, get_local_fake, stream
from panel_harness import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, free_port, start_server_on

MODEL = "qwen3:8b"
QUESTION = "¿Qué es el sidechain?"
CHAT = Reply(content=json.dumps({"intent": "chat"}))
TIMEOUT = 45_000  # ms: generous for a loaded machine; never a speed assertion

expect.set_options(timeout=TIMEOUT)


@pytest.fixture(scope="module")
def local():
    fake = get_local_fake()
    fake.reset()
    yield fake
    fake.reset()


@pytest.fixture(scope="module")
def server(local, tmp_path_factory):
    running = start_server_on(
        tmp_path_factory.mktemp("panel-engine"),
        port=free_port(),
        env_extra={
            "GLM46_API_KEY": "",  # blank: not set up, whatever the developer's shell holds
            "MINIMAX_API_KEY": "",
            "MUSIAIA_LLM_ROUTING": "",
            "MUSIAIA_LLM_LOCAL_BASE_URL": local.base_url,
            "MUSIAIA_LLM_LOCAL_MODEL": MODEL,
            "MUSIAIA_LLM_UNDERSTAND_BUDGET": "1.5",
            "MUSIAIA_LLM_ANSWER_BUDGET": "2",
            "MUSIAIA_LLM_SLOW_NOTICE": "0.3",
        },
    )
    yield running
    running.stop()


@pytest.fixture(scope="module")
def page(server):
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(locale="es-ES", viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.errors = []
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        page.goto(f"{server.base_url}/?token={server.login_token}")
        expect(page.locator("#conn-chip")).to_have_attribute("data-state", "online")
        page.wait_for_function("() => window.musiaia.loaded()")
        yield page
        assert page.errors == [], page.errors
        browser.close()


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def api_engine(page: Page, server) -> str:
    token = page.evaluate("localStorage.getItem('musiaia.token')")
    response = httpx.get(
        server.base_url + "/api/v1/settings/engine",
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    return response.json()["engine"]


def ask(page: Page, text: str) -> None:
    box = page.locator("#composer-input")
    box.click()
    box.fill(text)
    box.press("Enter")


def option(page: Page, engine: str):
    return page.locator(f'.engine__option[data-engine="{engine}"]')


def open_settings(page: Page) -> None:
    page.click("#tab-settings")
    expect(page.locator("#panel-settings")).to_be_visible()
    expect(page.locator(".engine__option")).to_have_count(5)


def test_settings_show_what_this_companion_offers(page, server):
    open_settings(page)
    expect(page.locator("#engine-auto")).to_be_checked()
    expect(option(page, "local")).to_contain_text(f"Modelo local ({MODEL})")
    expect(option(page, "local")).to_contain_text("en este ordenador")
    expect(page.locator("#engine-local")).to_be_enabled()
    for cloud, setting in (("glm", "GLM46_API_KEY"), ("minimax", "MINIMAX_API_KEY")):
        expect(page.locator(f"#engine-{cloud}")).to_be_disabled()
        expect(option(page, cloud)).to_contain_text(setting)
    expect(option(page, "auto")).to_contain_text(f"{MODEL} → offline")
    shot(page, "20-settings-engine")


def test_choosing_the_local_model_answers_with_it_and_is_kept(page, server, local):
    local.reset()
    open_settings(page)
    page.check("#engine-local")
    expect(page.locator("#engine-status")).to_contain_text(f"Guardado: Modelo local ({MODEL})")
    assert api_engine(page, server) == "local"

    local.script(CHAT, stream("El sidechain ", "agacha el pad con cada bombo."))
    ask(page, QUESTION)
    answer = page.locator(".msg--assistant").last
    expect(answer).to_contain_text("El sidechain agacha el pad con cada bombo.")
    expect(answer.locator(".engine")).to_contain_text(MODEL)
    assert [r.path for r in local.requests] == ["/v1/chat/completions"] * 2

    page.reload()
    page.wait_for_function("() => window.musiaia.loaded()")
    open_settings(page)
    expect(page.locator("#engine-local")).to_be_checked()  # stored with the account


def test_choosing_offline_sends_nothing(page, server, local):
    local.reset()
    open_settings(page)
    page.check("#engine-offline")
    expect(page.locator("#engine-status")).to_contain_text("Guardado: Sin conexión")
    ask(page, "¿Y qué es un compresor?")
    answer = page.locator(".msg--assistant").last
    expect(answer.locator(".engine")).to_contain_text("offline")
    expect(answer).to_contain_text("ompres")
    assert local.requests == []


def test_a_hung_local_model_is_announced_then_answered_offline(page, server, local):
    local.reset()
    local.default = Hang()
    try:
        open_settings(page)
        page.check("#engine-local")
        expect(page.locator("#engine-status")).to_contain_text("Guardado")
        ask(page, "¿Qué es un vocoder?")
        answer = page.locator(".msg--assistant").last
        expect(answer.locator(".msg__notice").first).to_contain_text(MODEL)
        expect(answer.locator(".msg__notice").first).to_contain_text("tarda en responder")
        expect(answer.locator(".engine")).to_contain_text("offline")
        shot(page, "21-hung-local-model")
        assert local.abandoned >= 1  # the companion hung up on it, it did not wait forever
    finally:
        local.default = None


def test_settings_in_english_and_in_a_narrow_window(page, server):
    page.evaluate("window.musiaia.i18n.set('en')")
    open_settings(page)
    expect(option(page, "local")).to_contain_text(f"Local model ({MODEL})")
    expect(option(page, "glm")).to_contain_text("Not set up")
    page.set_viewport_size({"width": 360, "height": 740})
    open_settings(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    shot(page, "22-settings-narrow")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.evaluate("window.musiaia.i18n.set('es')")
