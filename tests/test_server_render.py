"""A version's rendered audio through the real server: rendered once in a worker, cached in the
project folder, served with the right headers to its owner only."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import threading
from pathlib import Path

import httpx
import numpy as np
import pytest
import soundfile

from server_harness import sign_in, start_server


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    running = start_server(tmp_path_factory.mktemp("data"))
    running.token = sign_in(running)
    yield running
    running.stop()


@pytest.fixture(scope="module")
def http(server):
    with server.client(server.token) as client:
        yield client


@pytest.fixture(scope="module")
def project(http):
    made = http.post("/api/v1/chat/message", json={"message": "trap at 140 in C#m, 16 bars"})
    assert made.status_code == 200, made.text
    return made.json()["project"]


def renders_of(server, project) -> list[Path]:
    return sorted(
        server.data_dir.glob(f"projects/*/{project['name']} Project/MusiaIA/Renders/**/*.flac")
    )


def test_a_version_renders_once_and_plays_as_flac(server, http, project):
    assert project["render_url"] == f"/api/v1/projects/{project['id']}/render?version=1"
    before = http.get(project["render_url"])
    assert before.status_code == 404 and "not rendered yet" in before.json()["detail"]
    made = http.post(project["render_url"])
    assert made.status_code == 200, made.text
    info = made.json()
    assert info["status"] == "ready" and info["version"] == 1 and info["format"] == "flac"
    assert info["seconds"] == pytest.approx(16 * 4 * 60 / 140, abs=0.01)
    files = renders_of(server, project)
    assert len(files) == 1 and files[0].stat().st_size == info["bytes"]
    served = http.get(info["url"])
    assert served.status_code == 200
    assert served.headers["content-type"] == "audio/flac"
    assert served.headers["x-content-type-options"] == "nosniff"
    assert (
        "private" in served.headers["cache-control"]
        and "no-cache" in served.headers["cache-control"]
    )
    assert served.headers["content-disposition"] == "inline"
    audio, rate = soundfile.read(io.BytesIO(served.content), dtype="float32")
    assert rate == 44100 and audio.shape == (round(16 * 4 * 60 / 140 * 44100), 2)
    assert np.abs(audio).max() > 0.05  # it plays
    saved = http.get(info["download_url"])
    assert saved.content == served.content
    assert saved.headers["content-disposition"].startswith("attachment;")
    assert ".flac" in saved.headers["content-disposition"]
    # Asked again: answered from the file, not rendered again.
    mtime = files[0].stat().st_mtime_ns
    assert http.post(project["render_url"]).json() == info
    assert files[0].stat().st_mtime_ns == mtime


def test_two_requests_at_once_render_one_file(server, http, project):
    changed = http.post("/api/v1/chat/message", json={"message": "hazlo más rápido"})
    assert changed.status_code == 200, changed.text
    version = changed.json()["project"]
    assert version["version"] == 2
    answers = []

    def ask():
        with server.client(server.token) as client:
            answers.append(client.post(version["render_url"]))

    threads = [threading.Thread(target=ask) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [a.status_code for a in answers] == [200, 200, 200]
    assert len({a.json()["bytes"] for a in answers}) == 1
    names = [p.name for p in renders_of(server, project)]
    assert len(names) == 2 and any(" v2." in name for name in names)
    leftovers = list(server.data_dir.glob("projects/**/Renders/**/.*.tmp"))
    assert leftovers == []


def test_the_zip_leaves_the_rendered_audio_out(http, project):
    import zipfile

    archive = zipfile.ZipFile(
        io.BytesIO(http.get(f"/api/v1/projects/{project['id']}/download?format=zip").content)
    )
    names = archive.namelist()
    assert any(name.endswith(".als") for name in names)
    assert not any("Renders" in name for name in names)


def test_only_the_owner_reaches_the_render(server, project):
    url = f"/api/v1/projects/{project['id']}/render?version=1"
    with server.client() as anonymous:
        assert anonymous.get(url).status_code == 401
        assert anonymous.post(url).status_code == 401
    result = subprocess.run(
        [sys.executable, "-m", "companion.cli", "user", "add", "carla", "--password-stdin"],
        input="another-password-42\n",
        capture_output=True,
        text=True,
        env={**os.environ, "MUSIAIA_DATA_DIR": str(server.data_dir)},
        check=False,
    )
    assert result.returncode == 0, result.stderr
    token = httpx.post(
        server.base_url + "/api/v1/auth/login",
        data={"username": "carla", "password": "another-password-42"},
        timeout=30,
    ).json()["access_token"]
    with server.client(token) as theirs:
        for method in ("get", "post"):
            response = getattr(theirs, method)(url)
            assert response.status_code == 404, method
            assert b"fLaC" not in response.content


def test_bad_addresses_are_refused(http, project):
    base = f"/api/v1/projects/{project['id']}/render"
    assert http.post(base, params={"version": 99}).status_code == 404
    assert http.post(base, params={"version": 0}).status_code == 422
    assert http.post(base, params={"version": "x"}).status_code == 422
    assert http.post("/api/v1/projects/../../etc/render").status_code == 404
    assert http.post("/api/v1/projects/" + "0" * 32 + "/render").status_code == 404


def test_a_render_of_a_broken_folder_is_an_error_and_changes_nothing(server, http):
    made = http.post("/api/v1/chat/message", json={"message": "techno 130, 8 bars"}).json()
    project = made["project"]
    folder = next(server.data_dir.glob(f"projects/*/{project['name']} Project"))
    arrangement = next((folder / "MusiaIA").glob("*.json"))
    arrangement.write_bytes(b"{ not an arrangement")
    response = http.post(project["render_url"])
    assert response.status_code == 422 and "cannot be read" in response.json()["detail"]
    assert not list((folder / "MusiaIA").glob("Renders/**/*.flac"))


def test_without_the_render_libraries_nothing_is_written(tmp_path, monkeypatch):
    import companion.render
    from companion.accounts import create_user
    from companion.db import Database
    from companion.services.projects import ProjectService
    from companion.services.renders import RenderService, RenderUnavailable
    from companion.settings import Settings
    from companion.sounds import SoundSource

    settings = Settings(data_dir=tmp_path / "data")  # the tests' kit (conftest)
    settings.ensure_dirs()
    database = Database(settings.database)
    database.create_schema()
    with database.session() as session:
        user = create_user(session, "ana", "a long enough password")
        session.expunge(user)
    projects = ProjectService(settings, database, SoundSource(settings.kit_dir))
    made = projects.create(user, text="house 8 compases", seed=3)
    renders = RenderService(projects)
    monkeypatch.setattr(companion.render, "missing", lambda: ["pedalboard"])
    with pytest.raises(RenderUnavailable, match="musiaia\\[render\\]"):
        renders.render(user, made.project_id)
    assert not list(settings.projects_dir.rglob("*.flac"))
    monkeypatch.undo()
    info = renders.render(user, made.project_id)
    assert renders.rendered(user, made.project_id).path.stat().st_size == info["bytes"]


def test_without_the_render_libraries_the_cli_says_what_to_install(monkeypatch, capsys, tmp_path):
    import companion.render
    from companion.cli import main

    monkeypatch.setattr(companion.render, "missing", lambda: ["pedalboard", "pyloudnorm"])
    assert main(["render", str(tmp_path)]) == 2
    error = capsys.readouterr().err.strip()
    assert error.count("\n") == 0 and "pedalboard, pyloudnorm" in error and "[render]" in error
