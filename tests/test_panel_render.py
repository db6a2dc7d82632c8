"""The panel's Play with the companion's render, in a real Chromium against the real server.

A server of its own: these tests make projects, and the shared panel tests count on the flagship
being the latest one.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright
from test_panel import TIMEOUT, ensure_flagship, open_page, send, shot, sign_in

from panel_harness import CHROMIUM, CHROMIUM_ARGS, free_port, start_server_on


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    running = start_server_on(tmp_path_factory.mktemp("render-panel-data"), port=free_port())
    yield running
    running.stop()


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def test_play_uses_the_render_and_offers_it_as_a_download(browser, server):
    page = open_page(browser, play_mode=None)
    try:
        sign_in(page, server)
        ensure_flagship(page)
        # The version renders in the companion while the instant preview is there to play.
        page.wait_for_function(
            "() => window.musiaia.render.state().state === 'ready'", timeout=4 * TIMEOUT
        )
        expect(page.locator("#render-status")).to_have_attribute("data-state", "ready")
        expect(page.locator("#render-status")).to_have_text("Suena el audio renderizado")
        state = page.evaluate("window.musiaia.player.state()")
        assert state["rendered"] and state["usesRender"] and state["mode"] == "render"
        song_seconds = state["totalBeats"] * 60 / state["bpm"]
        assert abs(state["renderSeconds"] - song_seconds) < 0.01
        page.click("#play-btn")
        page.wait_for_function(
            "() => { const s = window.musiaia.player.state(); return s.playing && s.beat > 1; }"
        )
        page.wait_for_function("() => window.musiaia.player.state().level > 0.005")
        page.wait_for_function("() => (window.musiaia.pianoRoll.state().playhead || 0) > 1.5")
        playing = page.evaluate("window.musiaia.player.state()")
        assert playing["renderStarts"] == 1 and playing["voices"] == 0  # no preview voices
        shot(page, "09-render-playing")
        page.click("#play-btn")
        page.wait_for_function("() => !window.musiaia.player.state().playing")
        # The producer's switch: back to the instant preview, which schedules its own voices.
        page.uncheck("#play-render")
        expect(page.locator("#render-status")).to_have_attribute("data-state", "preview")
        page.click("#play-btn")
        page.wait_for_function("() => window.musiaia.player.state().voices > 0")
        assert page.evaluate("window.musiaia.player.state().renderStarts") == 1
        page.click("#play-btn")
        page.wait_for_function("() => !window.musiaia.player.state().playing")
        page.check("#play-render")
        assert page.evaluate("window.musiaia.player.state().usesRender")
        # Downloads: from the transport, and from the chat message that made the project.
        with page.expect_download() as info:
            page.click("#render-download")
        download = info.value
        assert download.suggested_filename == "House 124 Am.flac"
        assert Path(download.path()).read_bytes()[:4] == b"fLaC"
        # A project made in the chat comes with its audio: rendered when asked for, saved.
        links = page.locator(".msg__audio")
        before = links.count()
        send(page, "techno a 130 BPM, 8 compases")
        expect(links).to_have_count(before + 1)
        audio_link = links.last
        expect(audio_link).to_have_text("Descargar el audio (FLAC)")
        with page.expect_download() as info:
            audio_link.click()
        assert info.value.suggested_filename.startswith("Techno"), info.value.suggested_filename
        assert Path(info.value.path()).read_bytes()[:4] == b"fLaC"
        assert page.errors == [], page.errors
    finally:
        page.context.close()


def test_without_the_render_play_falls_back_to_the_preview(browser, server):
    page = open_page(browser, play_mode=None)
    try:
        # A companion without the render's libraries answers 503: the panel says so and plays
        # the instant preview.
        page.route(
            re.compile(r".*/render\?version=\d+$"),
            lambda route: (
                route.fulfill(
                    status=503,
                    content_type="application/json",
                    body='{"detail": "the render is not installed here"}',
                )
                if route.request.method == "POST"
                else route.continue_()
            ),
        )
        sign_in(page, server)
        ensure_flagship(page)
        expect(page.locator("#render-status")).to_have_attribute("data-state", "unavailable")
        expect(page.locator("#render-download")).to_be_hidden()
        page.click("#play-btn")
        page.wait_for_function("() => window.musiaia.player.state().voices > 0")
        assert not page.evaluate("window.musiaia.player.state().usesRender")
        page.click("#play-btn")
        assert page.errors == [], page.errors
    finally:
        page.context.close()
