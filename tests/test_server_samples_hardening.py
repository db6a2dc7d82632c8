"""The sample library under attack and clumsy use, through the real server (issue 11).

Finding 1: one file a set cannot use (five hours named "drum loop 120 bpm") must never break
generation; a sample that vanished is reported, not fatal. Finding 5: uploads belong to their
uploader, ids are not guessable, and uploads can be deleted. Finding 9: audio is served with its
real type, nosniff and a disposition; files that are not the audio they claim are refused; bidi
controls never reach a stored name. And a fuzz of the upload route: truncated, oversized, lying,
slow and aborted uploads all end in a clear JSON answer (or a closed connection) and leave nothing
behind.
"""

from __future__ import annotations

import io
import json
import os
import socket
import struct
import subprocess
import sys
import time
import zipfile

import httpx
import numpy as np
import pytest
import soundfile

import sampleaudio as sa
from server_harness import RunningServer, sign_in, start_server

FLAGSHIP = "Genera un track de house a 124 BPM en La menor"
LIMIT = 2 * 1024 * 1024
HTML = b"<!DOCTYPE html><html><body><script>fetch('/api/v1/projects')</script></body></html>\n"


# ----------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    library = tmp_path_factory.mktemp("library")
    # What broke every generation: five hours of silence named as a loop, and a real
    # forty-minute loop of kicks, in a shared library folder.
    sa.write_long_flac(library / "Loops" / "drum loop 120 bpm.flac", 5 * 3600)
    sa.write_long_flac(library / "Loops" / "Top Loop 124 bpm.flac", 40 * 60, bpm=124)
    sa.write_wav(library / "Claps" / "Clap_Shared.wav", sa.tone(900, 0.2))
    flac = io.BytesIO()
    soundfile.write(flac, sa.tone(700, 0.2), 44100, format="FLAC")
    (library / "Perc" / "Perc_Disguised.wav").parent.mkdir()
    (library / "Perc" / "Perc_Disguised.wav").write_bytes(flac.getvalue())  # FLAC named .wav
    # Not audio at all, named as a sample: skipped at indexing, and listed with the reason.
    (library / "Snares").mkdir()
    (library / "Snares" / "Snare Broken.wav").write_text("these are my notes, not audio\n" * 20)
    running = start_server(
        tmp_path_factory.mktemp("data"),
        env_extra={
            "MUSIAIA_SAMPLE_DIRS": str(library),
            "MUSIAIA_MAX_UPLOAD_BYTES": str(LIMIT),
            # No watcher: a file deleted behind the index's back stays listed (a vanished file).
            "MUSIAIA_SAMPLE_WATCH": "false",
        },
    )
    running.library = library
    running.token = sign_in(running)
    with running.client(running.token) as client:
        deadline = time.monotonic() + 30
        while client.get("/api/v1/samples", params={"q": "Disguised"}).json()["total"] == 0:
            assert time.monotonic() < deadline, "the library was never indexed"
            time.sleep(0.2)
    yield running
    running.stop()


@pytest.fixture
def alice(server):
    with server.client(server.token) as client:
        yield client


def account(server: RunningServer, name: str) -> httpx.Client:
    password = f"{name}-password-42"
    subprocess.run(
        [sys.executable, "-m", "companion.cli", "user", "add", name, "--password-stdin"],
        input=password + "\n",
        capture_output=True,
        text=True,
        env={**os.environ, "MUSIAIA_DATA_DIR": str(server.data_dir)},
        check=True,
    )
    token = httpx.post(
        server.base_url + "/api/v1/auth/login",
        data={"username": name, "password": password},
        timeout=30,
    ).json()["access_token"]
    return server.client(token)


@pytest.fixture(scope="module")
def bob(server):
    with account(server, "bob") as client:
        yield client


def kick_wav(sweep: float = 110) -> bytes:
    t = np.arange(int(0.4 * 44100)) / 44100
    body = np.sin(2 * np.pi * np.cumsum(50 + sweep * np.exp(-t / 0.04)) / 44100)
    return sa.wav_bytes(0.8 * body * np.exp(-t / 0.15), bits=24)


def upload(client: httpx.Client, name: str, content: bytes) -> httpx.Response:
    return client.post("/api/v1/samples/upload", files={"file": (name, content, "audio/wav")})


def refused(response: httpx.Response, status: int, *words: str) -> str:
    """A refusal that says why, in JSON."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json"), response.headers
    detail = response.json()["detail"]
    assert isinstance(detail, str) and detail, detail
    for word in words:
        assert word in detail, (word, detail)
    return detail


def project_samples(client: httpx.Client, project_id: str) -> list[dict]:
    return client.get(f"/api/v1/projects/{project_id}").json()["samples"]


def leftovers(server: RunningServer) -> list[str]:
    uploads = server.data_dir / "samples" / "uploads"
    return sorted(
        os.path.relpath(os.path.join(d, f), uploads)
        for d, _, files in os.walk(uploads)
        for f in files
        if f.startswith(".")
    )


def healthy(server: RunningServer) -> None:
    started = time.monotonic()
    assert httpx.get(server.base_url + "/api/v1/health", timeout=5).status_code == 200
    assert time.monotonic() - started < 3


# ----------------------------------------------------------------------------- finding 1


def test_a_library_file_a_set_cannot_use_never_breaks_generation(server, alice):
    made = alice.post("/api/v1/projects/generate", json={"requirements": {}, "seed": 5})
    assert made.status_code == 201, made.text
    chat = alice.post("/api/v1/chat/message", json={"message": FLAGSHIP})
    assert chat.status_code == 200, chat.text
    project = chat.json()["project"]
    assert project and project["bpm"] == 124
    used = {s["path"] for s in project_samples(alice, project["id"])}
    assert not any("drum loop 120" in p or "Top Loop 124" in p for p in used)
    # The library shows them, with the reason, and says they are not used.
    found = {
        item["name"]: item
        for item in alice.get("/api/v1/samples", params={"q": "loop"}).json()["items"]
    }
    five = found["drum loop 120 bpm.flac"]
    assert five["status"] == "unusable"
    assert five["reason"] == "5 h long (36000 beats at 120 BPM), a loop can be at most 512 beats"
    assert found["Top Loop 124 bpm.flac"]["status"] == "unusable"
    assert "40 min long" in found["Top Loop 124 bpm.flac"]["reason"]
    # … and the server log said so, once per file.
    log = "".join(server.output)
    assert log.count("sample unusable") == 2 and "36000 beats" in log


def test_the_library_lists_every_file_it_leaves_out_with_the_reason(server, alice, bob):
    """Finding 1: what no set will use (unreadable, or out of a set's bounds) is listed with
    the reason, for every account that sees the folder, and logged once per file."""
    listed = alice.get("/api/v1/samples/skipped")
    assert listed.status_code == 200, listed.text
    body = listed.json()
    left_out = {item["name"]: item for item in body["items"]}
    assert body["total"] == len(left_out) == 3, body
    broken = left_out["Snare Broken.wav"]
    assert broken["status"] == "unreadable" and "not a WAV" in broken["reason"], broken
    five = left_out["drum loop 120 bpm.flac"]
    assert five["status"] == "unusable" and "at most 512 beats" in five["reason"]
    assert left_out["Top Loop 124 bpm.flac"]["status"] == "unusable"
    assert not any(item["own"] for item in body["items"])
    assert "Snare Broken.wav" not in {  # … and never offered as a sample
        item["name"] for item in alice.get("/api/v1/samples", params={"q": "snare"}).json()["items"]
    }
    assert bob.get("/api/v1/samples/skipped").json()["total"] == 3  # the shared library's
    paged = alice.get("/api/v1/samples/skipped", params={"page": 2, "page_size": 2}).json()
    assert paged["total"] == 3 and len(paged["items"]) == 1
    assert "".join(server.output).count("sample skipped") == 1


def test_an_upload_a_set_cannot_use_is_refused_with_the_reason(server, alice, tmp_path):
    five_hours = sa.write_long_flac(tmp_path / "x.flac", 5 * 3600).read_bytes()
    before = alice.get("/api/v1/samples").json()["total"]
    refused(
        upload(alice, "drum loop 120 bpm.flac", five_hours),
        422,
        "5 h long",
        "a loop can be at most 512 beats",
    )
    refused(upload(alice, "Kick 6ch.wav", sa.wav_bytes(sa.tone(60, 0.3, channels=6))), 422, "6 ch")
    assert alice.get("/api/v1/samples").json()["total"] == before
    assert leftovers(server) == []


def test_a_vanished_sample_is_reported_not_fatal(server, alice):
    made = upload(alice, "House Kick Vanishing 01.wav", kick_wav(95))
    assert made.status_code == 201, made.text
    path = made.json()["sample"]["path"]
    request = {"requirements": {"style": "house", "bpm": 124, "key": "Am"}, "seed": 11}
    first = alice.post("/api/v1/projects/generate", json=request).json()
    kick = next(s for s in project_samples(alice, first["project_id"]) if s["pad_note"] == 36)
    assert kick["path"].endswith("House Kick Vanishing 01.wav") and first["warnings"] == []

    os.unlink(path)  # gone behind the companion's back; the index still lists it
    again = alice.post("/api/v1/projects/generate", json=request)
    assert again.status_code == 201, again.text
    warnings = again.json()["warnings"]
    assert any("House Kick Vanishing 01.wav" in w and "gone" in w for w in warnings), warnings
    samples = project_samples(alice, again.json()["project_id"])
    kick = next(s for s in samples if s["pad_note"] == 36)  # the pad still plays something
    assert "Vanishing" not in kick["path"]
    # The chat says so in its answer too (the panel shows that answer), not only in the data.
    chat = alice.post("/api/v1/chat/message", json={"message": "house a 124 en La menor"})
    assert chat.status_code == 200, chat.text
    reply = chat.json()
    noted = reply["project"]["warnings"]
    assert any("House Kick Vanishing 01.wav" in w for w in noted), noted
    assert "no se han podido usar" in reply["response"]
    assert all(w in reply["response"] for w in noted), reply["response"]


# ----------------------------------------------------------------------------- finding 5


def test_uploads_are_private_to_their_uploader(server, alice, bob):
    made = upload(alice, "House Kick Alice 01.wav", kick_wav())
    assert made.status_code == 201, made.text
    mine = made.json()["sample"]
    assert mine["own"] and mine["status"] == "ok"
    assert str(server.data_dir / "samples" / "uploads") in mine["path"]
    # Not guessable: random text, not a row number; the old sequential ids find nothing.
    assert not mine["id"].isdigit() and len(mine["id"]) >= 20
    for guess in ("1", "2", "3", "4"):
        assert alice.get(f"/api/v1/samples/{guess}/audio").status_code == 404

    # Bob: cannot list, download or delete it …
    assert bob.get("/api/v1/samples", params={"q": "Alice"}).json()["total"] == 0
    everything = bob.get("/api/v1/samples", params={"page_size": 200}).json()["items"]
    assert mine["id"] not in {item["id"] for item in everything}
    assert all(not item["own"] for item in everything)  # he has uploaded nothing
    refused(bob.get(mine["preview_url"]), 404)
    refused(bob.delete(f"/api/v1/samples/{mine['id']}"), 404)
    # … nor does any of his projects use it (it would beat the kit for a house kick).
    for seed in (1, 2, 3):
        theirs = bob.post(
            "/api/v1/projects/generate",
            json={"requirements": {"style": "house", "bpm": 124}, "seed": seed},
        ).json()
        names = [s["path"] for s in project_samples(bob, theirs["project_id"])]
        assert not any("Alice" in name for name in names), names
    # The same bytes from Bob: his own copy (nothing about Alice's revealed).
    copy = upload(bob, "Kick.wav", kick_wav())
    assert copy.status_code == 201 and copy.json()["duplicate"] is False
    assert copy.json()["sample"]["id"] != mine["id"]

    # Alice's own projects do use it.
    chat = alice.post("/api/v1/chat/message", json={"message": "house a 124 en La menor"}).json()
    kick = next(s for s in project_samples(alice, chat["project"]["id"]) if s["pad_note"] == 36)
    assert kick["path"] == "Samples/Imported/House Kick Alice 01.wav"


def test_deleting_an_upload_keeps_the_projects_that_use_it(server, alice, bob):
    data = kick_wav(130)
    made = upload(alice, "House Kick Deleted 01.wav", data).json()["sample"]
    chat = alice.post("/api/v1/chat/message", json={"message": "house a 124 en La menor"}).json()
    project = chat["project"]
    kick = next(s for s in project_samples(alice, project["id"]) if s["pad_note"] == 36)

    gone = alice.delete(f"/api/v1/samples/{made['id']}")
    assert gone.status_code == 204, gone.text
    assert not os.path.exists(made["path"])
    assert alice.get("/api/v1/samples", params={"q": "Deleted"}).json()["total"] == 0
    refused(alice.get(made["preview_url"]), 404)
    refused(alice.delete(f"/api/v1/samples/{made['id']}"), 404)  # only once
    # The project written before keeps its copy (and still plays it in the panel).
    archive = zipfile.ZipFile(
        io.BytesIO(alice.get(project["download_url"], params={"format": "zip"}).content)
    )
    copied = [n for n in archive.namelist() if n.endswith(kick["path"])]
    if kick["path"].endswith("House Kick Deleted 01.wav"):
        assert copied and archive.read(copied[0]) == data
    served = alice.get(f"/api/v1/projects/{project['id']}/samples/{kick['path']}")
    assert served.status_code == 200

    # A file of the shared library is not deleted through MusiaIA, by anyone.
    shared = alice.get("/api/v1/samples", params={"q": "Clap_Shared"}).json()["items"][0]
    assert shared["own"] is False
    refused(alice.delete(f"/api/v1/samples/{shared['id']}"), 403, "shared library")
    refused(bob.delete(f"/api/v1/samples/{shared['id']}"), 403)
    assert (server.library / "Claps" / "Clap_Shared.wav").exists()


# ----------------------------------------------------------------------------- finding 9


def test_audio_is_served_with_its_real_type_nosniff_and_a_disposition(server, alice):
    mine = upload(alice, "Snare Served.wav", sa.wav_bytes(sa.tone(200, 0.3))).json()["sample"]
    preview = alice.get(mine["preview_url"])
    assert preview.status_code == 200
    assert preview.headers["content-type"] == "audio/wav"
    assert preview.headers["x-content-type-options"] == "nosniff"
    assert preview.headers["content-disposition"].startswith('inline; filename="Snare Served.wav"')
    saved = alice.get(mine["preview_url"], params={"download": "true"})
    assert saved.headers["content-disposition"].startswith("attachment;")
    # A library file named .wav that holds FLAC is sent as what it is.
    disguised = alice.get("/api/v1/samples", params={"q": "Disguised"}).json()["items"][0]
    response = alice.get(disguised["preview_url"])
    assert response.headers["content-type"] == "audio/flac"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.content[:4] == b"fLaC"


def test_a_wav_with_a_web_page_inside_is_refused(server, alice):
    fmt = struct.pack("<HHIIHH", 1, 1, 44100, 88200, 2, 16)
    page = sa.chunk(b"fmt ", fmt) + sa.chunk(b"data", HTML * 100)
    wav = b"RIFF" + struct.pack("<I", 4 + len(page)) + b"WAVE" + page
    refused(upload(alice, "innocent.wav", wav), 415, "text, not audio")
    hidden = sa.wav_bytes(sa.tone(), extra=sa.chunk(b"note", HTML))
    refused(upload(alice, "innocent.wav", hidden), 415, "markup")
    refused(upload(alice, "innocent.wav", sa.wav_bytes(sa.tone()) + HTML), 415, "after the end")
    assert alice.get("/api/v1/samples", params={"q": "innocent"}).json()["total"] == 0


def test_bidi_controls_are_stripped_from_stored_names(server, alice):
    made = upload(alice, "kick\u202egnp.wav\u2066\u200f", sa.wav_bytes(sa.tone(61))).json()
    name = made["sample"]["name"]
    assert name == "kickgnp.wav"
    assert os.path.basename(made["sample"]["path"]) == "kickgnp.wav"


# ----------------------------------------------------------------------------- upload fuzz


def multipart(name: str, content: bytes, boundary: str = "musiaia-fuzz") -> tuple[bytes, str]:
    head = (
        f"--{boundary}\r\n"
        f'Content-Disposition: form-data; name="file"; filename="{name}"\r\n'
        "Content-Type: audio/wav\r\n\r\n"
    ).encode()
    return (
        head + content + f"\r\n--{boundary}--\r\n".encode(),
        f"multipart/form-data; boundary={boundary}",
    )


def raw_upload(
    server: RunningServer,
    body_parts: list[bytes],
    content_type: str,
    *,
    length: int | None,
    pause: float = 0.0,
    close_after_send: bool = False,
) -> tuple[int | None, dict, bytes]:
    """POST an upload over a plain socket: any Content-Length (or chunked when None), sent in
    ``body_parts`` with ``pause`` seconds between them. Returns (status, headers, body), status
    None when the server closed without answering."""
    host, port = "127.0.0.1", server.port
    framing = f"Content-Length: {length}" if length is not None else "Transfer-Encoding: chunked"
    head = (
        f"POST /api/v1/samples/upload HTTP/1.1\r\nHost: {host}:{port}\r\n"
        f"Authorization: Bearer {server.token}\r\nContent-Type: {content_type}\r\n"
        f"{framing}\r\nConnection: close\r\n\r\n"
    ).encode()
    with socket.create_connection((host, port), timeout=30) as sock:
        sock.sendall(head)
        try:
            for part in body_parts:
                if length is None:
                    part = f"{len(part):x}\r\n".encode() + part + b"\r\n"
                sock.sendall(part)
                if pause:
                    time.sleep(pause)
            if length is None and not close_after_send:
                sock.sendall(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server answered and closed before we finished: read its answer
        if close_after_send:
            sock.shutdown(socket.SHUT_WR)
        received = b""
        try:
            while chunk := sock.recv(65536):
                received += chunk
        except (ConnectionResetError, TimeoutError):
            pass
    if not received:
        return None, {}, b""
    header_blob, _, body = received.partition(b"\r\n\r\n")
    lines = header_blob.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {k.strip().lower(): v.strip() for k, v in (line.split(":", 1) for line in lines[1:])}
    if headers.get("transfer-encoding") == "chunked":
        decoded, rest = b"", body
        while rest:
            size_line, _, rest = rest.partition(b"\r\n")
            size = int(size_line or b"0", 16)
            if size == 0:
                break
            decoded, rest = decoded + rest[:size], rest[size + 2 :]
        body = decoded
    return status, headers, body


def json_refusal(status: int | None, headers: dict, body: bytes, *expected: int) -> str:
    assert status in expected, (status, body[:300])
    assert headers.get("content-type", "").startswith("application/json"), headers
    detail = json.loads(body)["detail"]
    assert detail, body
    return detail if isinstance(detail, str) else json.dumps(detail)


@pytest.mark.parametrize(
    ("name", "content", "status", "words"),
    [
        ("cut.wav", sa.wav_bytes(sa.tone(220, 0.5))[:15000], 415, ["cut short"]),
        ("text.wav", b"I am a text file with a .wav name\n" * 40, 415, ["not a WAV"]),
        ("image.wav", b"\x89PNG\r\n\x1a\n" + b"\0" * 500, 415, ["not a WAV"]),
        ("empty.wav", b"", 400, ["empty"]),
        (
            "64 channels.wav",
            sa.wav_bytes(
                sa.tone(),
                fmt_override=struct.pack("<HHIIHH", 1, 64, 44100, 44100 * 128, 128, 16),
            ),
            422,
            ["64 channels"],
        ),
        (
            "claims 2 GB.wav",
            sa.wav_bytes(sa.tone(), data_size=2_000_000_000),
            415,
            [],
        ),
        ("huge.wav", b"RIFF" + b"\0" * (LIMIT + 100), 413, ["too large"]),
    ],
)
def test_lying_and_broken_files_are_refused_with_the_reason(
    server, alice, name, content, status, words
):
    before = alice.get("/api/v1/samples").json()["total"]
    refused(upload(alice, name, content), status, *words)
    assert alice.get("/api/v1/samples").json()["total"] == before
    assert leftovers(server) == []


def test_files_with_the_wrong_name_are_kept_as_what_they_are(server, alice, tmp_path):
    flac = sa.write_sf(tmp_path / "a.flac", sa.tone(523, 0.3)).read_bytes()
    made = upload(alice, "Lead_Stab_C4.wav", flac)
    assert made.status_code == 201, made.text
    assert made.json()["sample"]["name"] == "Lead_Stab_C4.flac"
    aiff = sa.write_sf(tmp_path / "b.aif", sa.tone(330, 0.3)).read_bytes()
    made = upload(alice, "Pluck_E3.mp3", aiff)
    assert made.status_code == 201 and made.json()["sample"]["name"] == "Pluck_E3.aif"


def test_a_body_larger_than_its_declared_length_is_cut_and_refused(server, alice):
    """The bytes after the declared 2,000 break HTTP framing before the app can answer: the
    server refuses the request itself, in JSON like every other refusal, and closes."""
    body, content_type = multipart("liar.wav", sa.wav_bytes(sa.tone(220, 2.0)))
    status, headers, answer = raw_upload(server, [body], content_type, length=2000)
    assert "Content-Length" in json_refusal(status, headers, answer, 400)
    assert headers.get("connection") == "close"
    healthy(server)
    assert alice.get("/api/v1/samples", params={"q": "liar"}).json()["total"] == 0
    assert leftovers(server) == []


@pytest.mark.parametrize(
    "raw",
    [
        b"GARBAGE\r\n\r\n",  # not a request line
        b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
        b"GET /api/v1/health HTTP/1.1\r\nno colon here\r\n\r\n",
    ],
)
def test_bytes_that_are_not_http_get_a_json_refusal(server, raw):
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(raw)
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
    head, _, body = received.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, v in (x.split(":", 1) for x in lines[1:])}
    assert "not valid HTTP" in json_refusal(int(lines[0].split()[1]), headers, body, 400)
    assert headers["x-content-type-options"] == "nosniff"
    healthy(server)


def test_a_declared_length_over_the_limit_is_refused_before_any_byte(server):
    body, content_type = multipart("big.wav", b"x" * 1000)
    status, headers, answer = raw_upload(server, [body], content_type, length=LIMIT * 10)
    assert "too large" in json_refusal(status, headers, answer, 413)
    healthy(server)


def test_a_chunked_body_over_the_limit_is_refused(server):
    """No Content-Length to check up front: the limit is counted as the bytes arrive."""
    body, content_type = multipart("chunked.wav", b"\0" * (LIMIT + 65536))
    parts = [body[i : i + 65536] for i in range(0, len(body), 65536)]
    status, headers, answer = raw_upload(server, parts, content_type, length=None)
    assert "too large" in json_refusal(status, headers, answer, 413)
    healthy(server)
    assert leftovers(server) == []


def test_a_client_that_promises_more_than_it_sends_changes_nothing(server, alice):
    body, content_type = multipart("promise.wav", sa.wav_bytes(sa.tone(220, 0.5)))
    status, _, _ = raw_upload(
        server, [body[:5000]], content_type, length=len(body), close_after_send=True
    )
    assert status in (None, 400)  # it hung up: nothing to answer, or a clear 400
    healthy(server)
    assert alice.get("/api/v1/samples", params={"q": "promise"}).json()["total"] == 0
    assert leftovers(server) == []


def test_a_slow_upload_neither_blocks_others_nor_fails(server, alice):
    body, content_type = multipart("Slow_Kick.wav", kick_wav(70))
    parts = [body[i : i + 2048] for i in range(0, len(body), 2048)]  # ~40 parts, ~4 s
    import threading

    outcome: dict = {}
    sender = threading.Thread(
        target=lambda: outcome.update(
            zip(("status", "headers", "body"), raw_upload(
                server, parts, content_type, length=len(body), pause=0.1
            ), strict=True)
        )
    )  # fmt: skip
    sender.start()
    time.sleep(0.5)
    while sender.is_alive():  # everyone else is served meanwhile
        healthy(server)
        assert alice.get("/api/v1/samples", params={"q": "Clap_Shared"}).status_code == 200
        time.sleep(0.3)
    sender.join()
    assert outcome["status"] == 201, outcome
    assert json.loads(outcome["body"])["sample"]["name"] == "Slow_Kick.wav"


def test_the_upload_route_needs_a_file_and_says_so(server, alice):
    response = alice.post("/api/v1/samples/upload", data={"nothing": "here"})
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/json")
    assert response.json()["detail"]
    status, headers, answer = raw_upload(
        server, [b"--x\r\nnot really multipart"], "multipart/form-data; boundary=x", length=27
    )
    json_refusal(status, headers, answer, 400, 422)
    healthy(server)
