"""The sample library through the real server: upload, search, preview, and sets built with it."""

from __future__ import annotations

import io
import json
import sqlite3
import time
import zipfile

import httpx
import numpy as np
import pytest

from companion.als.reader import parse_als
from companion.db import SCHEMA_VERSION, Database
from sampleaudio import drum_loop, tone, wav_bytes
from server_harness import sign_in, start_server


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    library = tmp_path_factory.mktemp("library")
    running = start_server(
        tmp_path_factory.mktemp("data"),
        env_extra={
            "MUSIAIA_SAMPLE_DIRS": str(library),
            "MUSIAIA_MAX_UPLOAD_BYTES": str(2 * 1024 * 1024),
        },
    )
    running.library = library
    running.token = sign_in(running)
    yield running
    running.stop()


@pytest.fixture
def http(server):
    with httpx.Client(
        base_url=server.base_url, timeout=60, headers={"Authorization": f"Bearer {server.token}"}
    ) as client:
        yield client


def kick_wav() -> bytes:
    t = np.arange(int(0.4 * 44100)) / 44100
    body = np.sin(2 * np.pi * np.cumsum(50 + 110 * np.exp(-t / 0.04)) / 44100) * np.exp(-t / 0.15)
    return wav_bytes(0.8 * body, bits=24)


def test_upload_search_and_preview(http):
    data = kick_wav()
    created = http.post(
        "/api/v1/samples/upload", files={"file": ("Deep House Kick 01.wav", data, "audio/wav")}
    )
    assert created.status_code == 201, created.text
    sample = created.json()["sample"]
    assert created.json()["duplicate"] is False and sample["type"] == "kick"
    again = http.post(
        "/api/v1/samples/upload", files={"file": ("copy of my kick.wav", data, "audio/wav")}
    )
    assert again.status_code == 201 and again.json()["duplicate"] is True
    assert again.json()["sample"]["id"] == sample["id"]

    found = http.get("/api/v1/samples", params={"type": "kick", "q": "deep"}).json()
    assert [item["id"] for item in found["items"]] == [sample["id"]]
    assert http.get("/api/v1/samples", params={"type": "snare"}).json()["total"] == 0
    preview = http.get(sample["preview_url"])
    assert preview.status_code == 200 and preview.content == data


@pytest.mark.parametrize(
    "name,content,status",
    [
        ("notes.wav", b"this is just text, not audio at all" * 10, 415),
        ("empty.wav", b"", 400),
        ("huge.wav", b"RIFF" + b"\0" * (3 * 1024 * 1024), 413),
    ],
)
def test_bad_uploads_are_refused_clearly(http, name, content, status):
    before = http.get("/api/v1/samples").json()["total"]
    response = http.post("/api/v1/samples/upload", files={"file": (name, content, "audio/wav")})
    assert response.status_code == status, response.text
    assert response.json()["detail"]
    assert http.get("/api/v1/samples").json()["total"] == before


def test_path_tricks_in_upload_names_stay_in_the_uploads_folder(http, server):
    response = http.post(
        "/api/v1/samples/upload",
        files={"file": ("../../../etc/evil hat.wav", wav_bytes(tone(3000, 0.1)), "audio/wav")},
    )
    assert response.status_code == 201
    path = response.json()["sample"]["path"]
    assert path.startswith(str(server.data_dir / "samples" / "uploads"))
    assert ".." not in path and not (server.data_dir.parent / "etc").exists()
    assert http.get("/api/v1/samples/999999/audio").status_code == 404


def test_the_library_watcher_sees_new_files(http, server):
    target = server.library / "Loops" / "Bass_Loop_124_Am.wav"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(wav_bytes(tone(110, 1.0)))
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        items = http.get("/api/v1/samples", params={"q": "Bass_Loop"}).json()["items"]
        if items:
            break
        time.sleep(0.2)
    assert items and items[0]["bpm"] == 124 and items[0]["key"] == "Am" and items[0]["is_loop"]


def test_projects_record_their_sounds_and_v2_keeps_them(http, server):
    made = http.post("/api/v1/chat/message", json={"message": "house a 124 en La menor"}).json()
    project = made["project"]
    details = http.get(f"/api/v1/projects/{project['id']}").json()
    samples = details["samples"]
    assert samples and {s["part"] for s in samples} >= {"drums", "bass"}
    kick = next(s for s in samples if s["pad_note"] == 36)
    assert kick["source"] == "library"  # the uploaded house kick beats the kit's
    als = parse_als(http.get(project["download_url"]).content)
    drums = next(t for t in als.tracks if t.role == "drums")
    assert any(p.note == 36 and p.sample.path == kick["path"] for p in drums.instrument.pads)

    changed = http.post("/api/v1/chat/message", json={"message": "sube el tempo a 128"}).json()
    assert changed["project"]["version"] == 2
    v2 = parse_als(http.get(changed["project"]["download_url"]).content)
    assert v2.bpm == 128
    assert [t.instrument for t in v2.tracks] == [t.instrument for t in als.tracks]
    v2_samples = http.get(f"/api/v1/projects/{project['id']}", params={"version": 2}).json()
    assert {s["path"] for s in v2_samples["samples"]} == {s["path"] for s in samples}


def test_health_reports_the_library(http):
    library = http.get("/api/v1/health").json()["components"]["samples"]
    assert library["status"] == "ok" and library["count"] >= 2


def test_an_older_database_is_upgraded_in_place(tmp_path):
    path = tmp_path / "old.db"
    connection = sqlite3.connect(path)
    connection.executescript("""
        CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR(200) NOT NULL);
        INSERT INTO schema_migrations VALUES (1, 'initial');
        CREATE TABLE users (id INTEGER PRIMARY KEY, username VARCHAR(64), password_hash VARCHAR,
                            is_local BOOLEAN, created_at DATETIME);
        CREATE TABLE samples (id INTEGER PRIMARY KEY, path TEXT UNIQUE, size INTEGER,
            mtime FLOAT, sha256 VARCHAR(64), kind VARCHAR(32), is_loop BOOLEAN, bpm FLOAT,
            key VARCHAR(8), duration FLOAT, sample_rate INTEGER, channels INTEGER, tags JSON,
            indexed_at DATETIME);
        INSERT INTO samples (path, size, mtime, kind, is_loop, tags)
            VALUES ('/old/kick.wav', 10, 1.0, 'kick', 0, '[]');
        INSERT INTO samples (path, size, mtime, kind, is_loop, tags)
            VALUES ('/old/snare.wav', 10, 1.0, 'snare', 0, '[]');
    """)
    connection.commit()
    connection.close()
    database = Database(f"sqlite:///{path}")
    assert database.create_schema() == SCHEMA_VERSION  # every later migration ran too
    with sqlite3.connect(path) as check:
        columns = {row[1] for row in check.execute("PRAGMA table_info(samples)")}
        assert {"root_note", "subtype", "error", "analyzed"} <= columns
        assert {"public_id", "owner_id", "unusable"} <= columns
        rows = check.execute("SELECT path, public_id, mtime FROM samples ORDER BY id").fetchall()
        assert [row[0] for row in rows] == ["/old/kick.wav", "/old/snare.wav"]
        public = [row[1] for row in rows]
        assert all(len(p) >= 20 for p in public) and len(set(public)) == 2  # random, distinct
        assert {row[2] for row in rows} == {-1}  # every file is read again by the next scan
        versions = check.execute("SELECT version FROM schema_migrations").fetchall()
        assert sorted(v for (v,) in versions) == list(range(1, SCHEMA_VERSION + 1))
        with pytest.raises(sqlite3.IntegrityError):  # public ids stay unique
            check.execute(
                "UPDATE samples SET public_id = ? WHERE path = ?", (public[0], rows[1][0])
            )
    database.create_schema()  # idempotent


def test_uploads_through_multipart_streams(http):
    body = io.BytesIO(wav_bytes(tone(440, 0.2), bits=16))
    response = http.post("/api/v1/samples/upload", files={"file": ("Lead_Pluck_C3.wav", body)})
    assert response.status_code == 201
    sample = json.loads(response.text)["sample"]
    assert sample["name"].startswith("Lead_Pluck") and sample["root_note"] == 60  # C3 in Live
    found = http.get("/api/v1/samples", params={"q": "pluck"}).json()["items"]
    assert sample["id"] in [item["id"] for item in found]


def test_a_fitting_loop_in_the_library_is_layered_and_kept_in_v2(http, server):
    loop = server.library / "Loops" / "Top_Loop_124_house.wav"
    loop.parent.mkdir(parents=True, exist_ok=True)
    loop.write_bytes(wav_bytes(drum_loop(124, bars=4)))
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if http.get("/api/v1/samples", params={"q": "Top_Loop"}).json()["items"]:
            break
        time.sleep(0.2)
    made = http.post("/api/v1/chat/message", json={"message": "deep house a 124 en Do menor"})
    project = made.json()["project"]
    details = http.get(f"/api/v1/projects/{project['id']}").json()
    tracks = details["arrangement"]["tracks"]
    layer = next(t for t in tracks if t["audio"] is not None)
    assert layer["name"] == "Drum Loop" and layer["clips"] and layer["audio"]["beats"] == 16
    assert layer["audio"]["sample"]["path"] == "Samples/Imported/Top_Loop_124_house.wav"
    assert any(s["slot"] == "loop" and s["part"] == "drums" for s in details["samples"])

    archive = zipfile.ZipFile(
        io.BytesIO(http.get(project["download_url"], params={"format": "zip"}).content)
    )
    copied = [
        n for n in archive.namelist() if n.endswith("Samples/Imported/Top_Loop_124_house.wav")
    ]
    assert copied and archive.read(copied[0]) == loop.read_bytes()
    als = parse_als(http.get(project["download_url"]).content)
    assert [t.name for t in als.tracks if t.is_audio] == ["Drum Loop"]

    changed = http.post("/api/v1/chat/message", json={"message": "sube el tempo a 126"}).json()
    assert changed["project"]["version"] == 2
    v2 = parse_als(http.get(changed["project"]["download_url"]).content)
    kept = next(t for t in v2.tracks if t.is_audio)
    assert v2.bpm == 126 and kept.audio.sample.path == layer["audio"]["sample"]["path"]
