"""A project's sample files through the real server (what the panel's preview plays).

Only the files a version's arrangement references are served, from inside the project folder;
every other path (tricks, the set itself, a link out, someone else's project) is refused without
leaking a byte.
"""

from __future__ import annotations

import subprocess
import sys
import time
from http.client import HTTPConnection
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest

from sampleaudio import drum_loop, wav_bytes
from server_harness import RunningServer, sign_in, start_server

SECRET = b"TOP-SECRET-NOT-AUDIO"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    library = tmp_path_factory.mktemp("library")
    loop = library / "Loops" / "Top_Loop_124_house.wav"
    loop.parent.mkdir(parents=True)
    loop.write_bytes(wav_bytes(drum_loop(124, bars=4)))
    running = start_server(
        tmp_path_factory.mktemp("data"), env_extra={"MUSIAIA_SAMPLE_DIRS": str(library)}
    )
    running.token = sign_in(running)
    with running.client(running.token) as client:
        deadline = time.monotonic() + 30
        while not client.get("/api/v1/samples", params={"q": "Top_Loop"}).json()["items"]:
            assert time.monotonic() < deadline, "the library loop was never indexed"
            time.sleep(0.2)
    yield running
    running.stop()


@pytest.fixture(scope="module")
def http(server):
    with server.client(server.token) as client:
        yield client


def make_project(http: httpx.Client, message: str) -> dict:
    made = http.post("/api/v1/chat/message", json={"message": message})
    assert made.status_code == 200, made.text
    project = made.json()["project"]
    return http.get(f"/api/v1/projects/{project['id']}").json()


@pytest.fixture(scope="module")
def house(http):
    return make_project(http, "Genera un track de house a 124 BPM en La menor")


def folder_of(server: RunningServer, details: dict) -> Path:
    folders = list(server.data_dir.glob(f"projects/*/{details['name']} Project"))
    assert len(folders) == 1, folders
    return folders[0]


def referenced(details: dict) -> dict[str, str]:
    """Sample path → what plays it (pad, Simpler, rack zone or loop), from the arrangement."""
    paths = {}
    for track in details["arrangement"]["tracks"]:
        if track["audio"]:
            paths[track["audio"]["sample"]["path"]] = f"{track['name']} loop"
        instrument = track["instrument"] or {}
        for pad in instrument.get("pads", []):
            paths.setdefault(pad["sample"]["path"], f"{track['name']} {pad['name']}")
        for zone in instrument.get("zones", []):  # a multi-sampled instrument's Simplers
            paths[zone["sample"]["path"]] = f"{track['name']} zone"
        if instrument.get("sample"):
            paths[instrument["sample"]["path"]] = f"{track['name']} Simpler"
    return paths


def sample_url(details: dict, path: str, version: int | None = None) -> str:
    url = f"/api/v1/projects/{details['id']}/samples/{quote(path)}"
    return url + (f"?version={version}" if version else "")


def raw_get(server: RunningServer, target: str, token: str) -> tuple[int, bytes]:
    """A GET with the request target sent exactly as written (no client-side normalising)."""
    connection = HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        connection.putrequest("GET", target, skip_accept_encoding=True)
        connection.putheader("Authorization", f"Bearer {token}")
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


# ----------------------------------------------------------------------------- what is served


def test_every_sample_the_arrangement_plays_is_served_as_is(http, server, house):
    paths = referenced(house)
    kinds = {what.rsplit(" ", 1)[-1] for what in paths.values()}
    assert "loop" in kinds and "zone" in kinds, paths  # pads, rack zones and the library loop
    assert any(
        t["instrument"] and t["instrument"]["kind"] == "drum_rack"
        for t in house["arrangement"]["tracks"]
    )
    folder = folder_of(server, house)
    for path in paths:
        response = http.get(sample_url(house, path, house["version"]))
        assert response.status_code == 200, (path, response.text)
        assert response.headers["content-type"] == "audio/wav", path
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.content == (folder / path).read_bytes(), path
    loop = next(p for p, what in paths.items() if what.endswith("loop"))
    assert loop == "Samples/Imported/Top_Loop_124_house.wav"
    # Without a version: the latest one, as for the project's details.
    assert http.get(sample_url(house, loop)).status_code == 200


def test_the_details_list_only_servable_samples(http, house):
    listed = {entry["path"] for entry in house["samples"]}
    assert listed == set(referenced(house))


def test_an_unknown_version_or_project_is_404(http, house):
    path = next(iter(referenced(house)))
    assert http.get(sample_url(house, path, 99)).status_code == 404
    other = {**house, "id": "0" * 32}
    assert http.get(sample_url(other, path)).status_code == 404
    bad_id = http.get(f"/api/v1/projects/not-an-id/samples/{quote(path)}")
    assert bad_id.status_code in (404, 422)


def test_signing_in_is_required(server, house):
    path = next(iter(referenced(house)))
    with server.client() as anonymous:
        assert anonymous.get(sample_url(house, path)).status_code == 401
    with server.client("not.a.token") as forged:
        response = forged.get(sample_url(house, path))
        assert response.status_code == 401 and b"RIFF" not in response.content


def test_another_users_project_is_not_found(server, house):
    result = subprocess.run(
        [sys.executable, "-m", "companion.cli", "user", "add", "carla", "--password-stdin"],
        input="another-password-42\n",
        capture_output=True,
        text=True,
        env={**__import__("os").environ, "MUSIAIA_DATA_DIR": str(server.data_dir)},
        check=False,
    )
    assert result.returncode == 0, result.stderr
    token = httpx.post(
        server.base_url + "/api/v1/auth/login",
        data={"username": "carla", "password": "another-password-42"},
        timeout=30,
    ).json()["access_token"]
    with server.client(token) as theirs:
        for path in referenced(house):
            response = theirs.get(sample_url(house, path))
            assert response.status_code == 404, path
            assert b"RIFF" not in response.content


# ----------------------------------------------------------------------------- path tricks


def test_path_tricks_are_refused_without_leaking(server, http, house):
    folder = folder_of(server, house)
    als = next(folder.glob("*.als")).name
    arrangement_json = next(folder.glob("MusiaIA/*.json")).relative_to(folder).as_posix()
    # Real files in the project that the arrangement does not play.
    (folder / "Samples" / "Imported" / "Unused.wav").write_bytes(wav_bytes(drum_loop(124)))
    kick = next(p for p in referenced(house) if "Kick" in p)
    base = f"/api/v1/projects/{house['id']}/samples/"
    targets = [
        quote(als),
        quote(arrangement_json),
        "Samples/Imported/Unused.wav",
        "..%2F..%2F..%2F..%2Fetc%2Fpasswd",
        "%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "../../../../etc/passwd",
        "Samples/Imported/..%2F..%2F" + quote(als),
        "Samples/Imported/../../" + quote(als),
        "Samples/Imported/./" + quote(kick.rsplit("/", 1)[1]),
        "/etc/passwd",
        "%2Fetc%2Fpasswd",
        quote(str(folder / kick), safe=""),  # the absolute path of a real sample
        quote(str(folder / kick)),
        "Samples%5CImported%5C" + quote(kick.rsplit("/", 1)[1]),
        quote(kick) + "%00.txt",
        quote(kick) + "/",
        "samples/imported/" + quote(kick.rsplit("/", 1)[1].lower()),
        "",
        "..",
    ]
    for target in targets:
        status, body = raw_get(server, base + target, server.token)
        assert status in (404, 422), (target, status, body[:200])
        assert b"RIFF" not in body and b"root:" not in body and b"<?xml" not in body, target
    # The same probes through httpx (which normalises some of them) agree.
    assert http.get(base + "..%2F" + quote(als)).status_code == 404
    # An encoded slash is just a slash: the exact referenced path still works.
    assert http.get(base + quote(kick, safe="")).status_code == 200


def test_a_referenced_sample_replaced_by_a_link_out_is_refused(server, http, tmp_path):
    details = make_project(http, "techno oscuro en Fa menor, 32 compases")
    folder = folder_of(server, details)
    secret = tmp_path / "secret.wav"
    secret.write_bytes(SECRET)
    victim, other = sorted(referenced(details))[:2]
    (folder / victim).unlink()
    (folder / victim).symlink_to(secret)
    response = http.get(sample_url(details, victim))
    assert response.status_code == 403 and SECRET not in response.content
    (folder / victim).unlink()
    (folder / victim).symlink_to("/etc/passwd")
    response = http.get(sample_url(details, victim))
    assert response.status_code == 403 and b"root:" not in response.content
    # A file that is missing, or is not audio any more, is simply not there.
    (folder / victim).unlink()
    assert http.get(sample_url(details, victim)).status_code == 404
    (folder / other).write_bytes(SECRET)
    response = http.get(sample_url(details, other))
    assert response.status_code == 404 and SECRET not in response.content
