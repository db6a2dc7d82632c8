"""The panel's sample library in a real Chromium against the real server (issue 11): one's own
uploads can be deleted from the list (shared library files cannot), files a set cannot use are
listed with the reason, and a sample left out of a song is named in the chat's answer."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from playwright.sync_api import expect, sync_playwright

import sampleaudio as sa
from panel_harness import (
    CHROMIUM,
    CHROMIUM_ARGS,
    free_port,
    start_server_on,
    wait_for_sample,
    wav_bytes,
)
from server_harness import sign_in as api_sign_in

expect.set_options(timeout=45_000)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    library = tmp_path_factory.mktemp("panel-samples-library")
    sa.write_long_flac(library / "Loops" / "drum loop 120 bpm.flac", 5 * 3600)
    sa.write_wav(library / "Claps" / "Clap_Shared_Panel.wav", sa.tone(900, 0.2))
    (library / "Snares").mkdir()
    (library / "Snares" / "Snare Broken Panel.wav").write_text("not audio at all\n" * 20)
    running = start_server_on(
        tmp_path_factory.mktemp("panel-samples-data"),
        port=free_port(),
        # No watcher: a file deleted behind the index's back stays listed (a vanished sample).
        env_extra={"MUSIAIA_SAMPLE_DIRS": str(library), "MUSIAIA_SAMPLE_WATCH": "false"},
    )
    token = api_sign_in(running)
    wait_for_sample(running, token, "Clap_Shared_Panel")
    wait_for_sample(running, token, "drum loop")
    running.token = token
    yield running
    running.stop()


@pytest.fixture(scope="module")
def page(server):
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(locale="es-ES", viewport={"width": 1280, "height": 900})
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(f"{server.base_url}/?token={fresh_login_token(server)}")
        expect(page.locator("#app-view")).to_be_visible()
        page.wait_for_function("() => window.musiaia.loaded()")
        page.click("#tab-samples")
        expect(page.locator("#panel-samples")).to_be_visible()
        yield page
        assert errors == [], errors
        browser.close()


def fresh_login_token(server) -> str:
    """A one-time sign-in token, as `musiaia login-link` prints it (the first one is spent)."""
    result = subprocess.run(
        [sys.executable, "-m", "companion.cli", "login-link"],
        capture_output=True,
        text=True,
        env={**os.environ, "MUSIAIA_DATA_DIR": str(server.data_dir)},
        check=True,
    )
    return re.search(r"\?token=(\S+)", result.stdout).group(1)


def row(page, name: str):
    return page.locator(".sample", has=page.locator(".sample__name", has_text=name))


def test_a_file_a_set_cannot_use_is_listed_with_the_reason(page):
    loop = row(page, "drum loop 120 bpm")
    expect(loop).to_have_attribute("data-status", "unusable")
    expect(loop.locator(".tag--warn")).to_have_text("no se usa en sets")
    expect(loop.locator(".sample__reason")).to_contain_text("5 h long")
    expect(loop.locator(".sample__reason")).to_contain_text("512 beats")
    expect(loop.locator(".sample__delete")).to_have_count(0)  # shared: not deletable here


def test_the_files_left_out_of_every_set_are_listed_with_the_reason(page):
    """Finding 1: the library view says which files it leaves out and why — the unreadable one
    (never in the search results) as well as the five-hour loop."""
    skipped = page.locator("#samples-skipped")
    expect(skipped).to_be_visible()
    expect(skipped.locator("summary")).to_have_text(
        "2 archivos de tu biblioteca no se usan, y por qué"
    )
    skipped.locator("summary").click()
    broken = skipped.locator(".skipped__item[data-status='unreadable']")
    expect(broken.locator(".skipped__name")).to_have_text("Snare Broken Panel.wav")
    expect(broken.locator(".skipped__reason")).to_contain_text("not a WAV")
    loop = skipped.locator(".skipped__item[data-status='unusable']")
    expect(loop.locator(".skipped__name")).to_have_text("drum loop 120 bpm.flac")
    expect(loop.locator(".skipped__reason")).to_contain_text("at most 512 beats")
    expect(row(page, "Snare Broken Panel")).to_have_count(0)  # not offered as a sample
    assert page.evaluate("window.musiaia.samples.state().skipped") == 2


def test_an_upload_is_deleted_from_the_list_after_a_confirming_click(page, server, tmp_path):
    wav = tmp_path / "Kick_To_Delete.wav"
    wav.write_bytes(wav_bytes())
    page.set_input_files("#sample-file", str(wav))
    expect(page.locator(".upload[data-name='Kick_To_Delete.wav']")).to_have_attribute(
        "data-state", "done"
    )
    mine = row(page, "Kick_To_Delete")
    expect(mine).to_have_count(1)
    expect(row(page, "Clap_Shared_Panel").locator(".sample__delete")).to_have_count(0)
    with server.client(server.token) as http:
        stored = http.get("/api/v1/samples", params={"q": "Kick_To_Delete"}).json()["items"][0]

    button = mine.locator(".sample__delete")
    expect(button).to_have_text("Borrar")
    button.click()  # asks first …
    expect(button).to_have_text("¿Borrar?")
    expect(button).to_have_attribute("aria-label", "Pulsa otra vez para borrar Kick_To_Delete.wav")
    page.wait_for_timeout(300)
    assert page.evaluate("window.musiaia.samples.state().deleted") == 0
    mine.locator(".sample__delete").click()  # … then deletes
    page.wait_for_function("() => window.musiaia.samples.state().deleted === 1")
    expect(row(page, "Kick_To_Delete")).to_have_count(0)
    expect(row(page, "Clap_Shared_Panel")).to_have_count(1)
    with server.client(server.token) as http:
        assert http.get("/api/v1/samples", params={"q": "Kick_To_Delete"}).json()["total"] == 0
    assert not os.path.exists(stored["path"])


def test_an_upload_a_set_cannot_use_says_why(page, tmp_path):
    long_loop = sa.write_long_flac(tmp_path / "drum loop 90 bpm.flac", 3 * 3600)
    page.set_input_files("#sample-file", str(long_loop))
    upload = page.locator(".upload[data-name='drum loop 90 bpm.flac']")
    expect(upload).to_have_attribute("data-state", "error")
    expect(upload.locator(".upload__status")).to_contain_text("No se ha añadido")
    expect(upload.locator(".upload__status")).to_contain_text("a loop can be at most 512 beats")


def test_a_sample_left_out_of_a_song_is_named_in_the_chats_answer(page, server):
    """Finding 1: selection falls back when a chosen file has vanished, and the producer is told
    which file, in the answer the panel shows (not only in the API's data)."""
    with server.client(server.token) as http:
        made = http.post(
            "/api/v1/samples/upload",
            files={"file": ("House Kick Gone Panel 01.wav", wav_bytes(0.4, frequency=50.0))},
        )
        assert made.status_code == 201, made.text
    os.unlink(made.json()["sample"]["path"])  # gone; the index still lists it
    box = page.locator("#composer-input")  # the chat sits beside the library on a wide screen
    box.click()
    box.fill("house a 124 en La menor")
    box.press("Enter")
    answer = page.locator(".msg--assistant[aria-busy=false]").last
    expect(answer).to_contain_text("algunos samples no se han podido usar", timeout=120_000)
    expect(answer).to_contain_text("House Kick Gone Panel 01.wav")
    expect(answer.locator(".msg__project")).to_be_visible()


def test_a_versions_left_out_samples_stay_on_its_card_after_a_reload(page, server):
    """Finding 1: the samples a version left out are kept with it, so its project card still
    names them after a reload, and only on the version that left them out."""
    with server.client(server.token) as http:
        made = http.post(
            "/api/v1/samples/upload",
            files={"file": ("House Bass Gone Panel C1.wav", wav_bytes(0.6, frequency=55.0))},
        )
        assert made.status_code == 201, made.text
        song = {"style": "house", "bpm": 124, "key": "Am", "bars": 8, "exclude": ["bass", "drums"]}
        first = http.post("/api/v1/projects/generate", json={"requirements": song, "seed": 3})
        assert first.status_code == 201, first.text
        assert first.json()["warnings"] == []
        os.unlink(made.json()["sample"]["path"])  # gone; the index still lists it
        second = http.post("/api/v1/chat/message", json={"message": "añade un bajo"})
        assert second.status_code == 200, second.text
        card = second.json()["project"]
        assert card["id"] == first.json()["project_id"] and card["version"] == 2
        assert any("House Bass Gone Panel C1.wav" in w for w in card["warnings"]), card

    page.reload()
    expect(page.locator("#app-view")).to_be_visible()
    page.wait_for_function("() => window.musiaia.loaded()")
    page.click("#tab-project")
    shown = page.locator(f".card--selected[data-id='{card['id']}']")  # the newest project
    expect(shown.locator("[data-field=version]")).to_have_text("v2")
    notes = shown.locator("[data-field=warnings]")
    expect(notes).to_be_visible()
    expect(notes.locator(".card__warnings-title")).to_have_text(
        f"Samples que esta versión no ha podido usar ({len(card['warnings'])}):"
    )
    expect(notes.locator("li")).to_have_text(card["warnings"])
    shown.locator(".version[data-version='1']").click()  # v1 left nothing out
    expect(shown.locator("[data-field=version]")).to_have_text("v1")
    expect(shown.locator("[data-field=warnings]")).to_have_count(0)
    shown.locator(".version[data-version='2']").click()
    expect(shown.locator("[data-field=warnings] li")).to_have_text(card["warnings"])
    page.click("#tab-samples")
