"""The panel with Live open (issue 14 items 4, 6 and 7), in a real Chromium against the real
server and the Remote Script in the simulated Live (ticking in its own thread, as slow as a real
Live ticks): the auto-load setting, a build's progress on the project card with its Cancel
button, what an auto-load added said in the chat, and what Send to Live cannot build."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import expect, sync_playwright
from test_panel import open_page, selected_card, send, shot, sign_in

from companion.kit.build import MANIFEST as KIT_MANIFEST
from panel_harness import CHROMIUM, CHROMIUM_ARGS, start_server_on
from panel_live import LiveThread

TIMEOUT = 60_000
expect.set_options(timeout=TIMEOUT)


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    data = tmp_path_factory.mktemp("panel-live")
    # Live ticks every 50 ms and its browser costs 2 ms an item: a build takes seconds, as in
    # Live, long enough to see its progress and to cancel it.
    live = LiveThread(tempo=122, tick_interval=0.05, browser_item_seconds=0.002)
    live.pair_with(data).start()
    server = start_server_on(data, env_extra=live.server_env)
    deadline = time.monotonic() + 60  # MusiaIA's kit is rendered once, in the background
    while not (data / "kit" / KIT_MANIFEST).exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = open_page(browser)
        sign_in(page, server, server.login_token)
        yield page, live
        errors = list(page.errors)
        page.context.close()
        browser.close()
    server.stop()
    live.stop()
    assert errors == [], errors


def test_the_auto_load_setting_is_kept_with_the_account(setup):
    page, _live = setup
    page.click("#tab-settings")
    box = page.locator("#live-autoload")
    expect(box).to_be_enabled()
    expect(box).to_be_checked()  # on by default
    box.uncheck()
    expect(page.locator("#live-settings-status")).to_contain_text("Desactivado")
    page.reload()
    page.wait_for_function("() => window.musiaia.loaded()")
    page.click("#tab-settings")
    expect(page.locator("#live-autoload")).not_to_be_checked()  # kept on the server
    page.locator("#live-autoload").check()
    expect(page.locator("#live-settings-status")).to_contain_text("Activado")
    assert page.evaluate("window.musiaia.liveSettings.state().autoload") is True


def test_a_build_shows_its_progress_and_is_cancelled_from_the_card(setup):
    page, live = setup
    before = live.call(lambda fake: [t.name for t in fake.song.tracks])
    send(page, "Genera un track de house de 16 compases")
    expect(page.locator(".msg__notice").last).to_contain_text("Live")
    page.click("#tab-project")
    status = selected_card(page).locator(".card__status")
    cancel = status.locator("[data-action=cancel]")
    expect(cancel).to_be_visible()
    expect(status.locator("[role=progressbar]")).to_be_visible()
    shot(page, "20-live-build-progress")
    cancel.click()
    expect(status).to_contain_text("Cancelado", timeout=TIMEOUT)
    expect(status).to_have_attribute("data-kind", "warn")
    assert live.call(lambda fake: [t.name for t in fake.song.tracks]) == before
    messages = live.call(lambda fake: list(fake.surfaces[0][1].messages))
    assert any(re.match(r"MusiaIA: adding '.*' - \d+% ", m) for m in messages), messages[-5:]
    assert "the set is as it was" in messages[-1]
    # the chat says it was not added
    expect(page.locator(".msg[data-intent=live_loaded]").last).to_contain_text("cancelled")


def test_an_auto_load_says_what_was_added_and_the_card_what_live_cannot_build(setup):
    page, live = setup
    count = live.call(lambda fake: len(fake.song.tracks))
    send(page, "Genera un track de techno de 8 compases")
    note = page.locator(".msg[data-intent=live_loaded]").last
    expect(note).to_contain_text("Añadido a tu set de Live", timeout=120_000)
    added = live.call(lambda fake: [t.name for t in fake.song.tracks][count:])
    assert added and all(name in note.inner_text() for name in added)
    page.click("#tab-project")
    limits = selected_card(page).locator("[data-field=limits]")
    expect(limits).to_be_visible()
    limits.locator("summary").click()
    expect(limits.locator("li").first).to_be_visible()
    expect(limits).to_contain_text("Abrir en Live")
    shot(page, "21-live-limits")
