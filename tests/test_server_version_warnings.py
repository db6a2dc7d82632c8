"""The samples a version had to leave out are kept with the version (issue 11, finding 1): the
project details API returns them for that version, long after the chat answer that said so, and
an older database's versions read as having left nothing out."""

from __future__ import annotations

import json
import os
import sqlite3
import time

import pytest

import sampleaudio as sa
from companion.db import SCHEMA_VERSION, Database, ProjectVersion
from server_harness import sign_in, start_server

GONE = "House Bass Gone C1.wav"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    library = tmp_path_factory.mktemp("version-warnings-library")
    sa.write_wav(library / "Bass" / GONE, sa.tone(55, 0.6))
    running = start_server(
        tmp_path_factory.mktemp("version-warnings-data"),
        # No watcher: a file deleted behind the index's back stays listed (a vanished sample).
        env_extra={"MUSIAIA_SAMPLE_DIRS": str(library), "MUSIAIA_SAMPLE_WATCH": "false"},
    )
    running.library = library
    running.token = sign_in(running)
    with running.client(running.token) as http:
        deadline = time.monotonic() + 30
        while not http.get("/api/v1/samples", params={"q": "Bass Gone"}).json()["items"]:
            assert time.monotonic() < deadline, "the library was never indexed"
            time.sleep(0.2)
    yield running
    running.stop()


def test_each_versions_left_out_samples_are_kept_and_returned(server):
    with server.client(server.token) as http:
        request = {"style": "house", "bpm": 124, "key": "Am", "bars": 8, "exclude": ["bass"]}
        made = http.post("/api/v1/projects/generate", json={"requirements": request, "seed": 7})
        assert made.status_code == 201, made.text
        assert made.json()["warnings"] == []  # no bass yet: the file is not chosen
        project_id = made.json()["project_id"]

        os.unlink(server.library / "Bass" / GONE)  # gone; the index still lists it
        chat = http.post("/api/v1/chat/message", json={"message": "añade un bajo"})
        assert chat.status_code == 200, chat.text
        card = chat.json()["project"]
        assert (card["id"], card["version"]) == (project_id, 2)
        said = card["warnings"]
        assert any(GONE in line and "gone" in line for line in said), said

        def details(**params) -> dict:
            answer = http.get(f"/api/v1/projects/{project_id}", params=params)
            assert answer.status_code == 200, answer.text
            return answer.json()

        assert details(version=2)["warnings"] == said  # what the chat said, kept
        assert details()["warnings"] == said  # the latest version
        assert details(version=1)["warnings"] == []  # v1 left nothing out
        bass = [s for s in details(version=2)["samples"] if s["part"] == "bass"]
        assert bass and not any(GONE in s["path"] for s in bass)  # another sound plays it
    # Kept in the database, not in the server's memory.
    with sqlite3.connect(server.data_dir / "musiaia.db") as db:
        stored = dict(
            db.execute(
                "SELECT number, warnings FROM project_versions WHERE project_id = ?",
                (project_id,),
            )
        )
    assert {number: json.loads(text) for number, text in stored.items()} == {1: [], 2: said}


# ----------------------------------------------------------------------------- the migration
SCHEMA_6 = """
    CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR(200) NOT NULL);
    INSERT INTO schema_migrations VALUES (1, 'initial'), (2, 'sample library columns'),
        (3, 'account engine choice'), (4, 'sample owners and public ids'),
        (5, 'a folder of its own for every user'), (6, 'live auto-load setting');
    CREATE TABLE users (id INTEGER NOT NULL, username VARCHAR(64) NOT NULL,
        password_hash VARCHAR(256) NOT NULL, is_local BOOLEAN NOT NULL,
        created_at DATETIME NOT NULL, api_provider VARCHAR(16), folder VARCHAR(100),
        live_autoload BOOLEAN DEFAULT '1' NOT NULL, PRIMARY KEY (id), UNIQUE (folder));
    CREATE TABLE projects (id VARCHAR(32) NOT NULL, user_id INTEGER NOT NULL,
        name VARCHAR(200) NOT NULL, folder TEXT NOT NULL, style VARCHAR(40), bpm FLOAT NOT NULL,
        "key" VARCHAR(8), bars INTEGER NOT NULL, created_at DATETIME NOT NULL,
        updated_at DATETIME NOT NULL, PRIMARY KEY (id),
        FOREIGN KEY(user_id) REFERENCES users (id) ON DELETE CASCADE);
    CREATE TABLE project_versions (id INTEGER NOT NULL, project_id VARCHAR(32) NOT NULL,
        number INTEGER NOT NULL, als_path TEXT NOT NULL, arrangement_path TEXT NOT NULL,
        requirements JSON NOT NULL, spec JSON NOT NULL, changes TEXT NOT NULL,
        engine VARCHAR(40) NOT NULL, created_at DATETIME NOT NULL, PRIMARY KEY (id),
        UNIQUE (project_id, number),
        FOREIGN KEY(project_id) REFERENCES projects (id) ON DELETE CASCADE);
    INSERT INTO users VALUES (1, 'old', 'x', 1, '2026-01-01 00:00:00', NULL, 'old', 1);
    INSERT INTO projects VALUES ('0123456789abcdef0123456789abcdef', 1, 'House 124 Am',
        'projects/old/House 124 Am', 'house', 124, 'Am', 64, '2026-01-01 00:00:00',
        '2026-01-02 00:00:00');
    INSERT INTO project_versions VALUES
        (1, '0123456789abcdef0123456789abcdef', 1, 'a/v1.als', 'a/v1.json', '{}', '{}', '',
         'offline', '2026-01-01 00:00:00'),
        (2, '0123456789abcdef0123456789abcdef', 2, 'a/v2.als', 'a/v2.json', '{}', '{}',
         'tempo 124 → 128 BPM', 'offline', '2026-01-02 00:00:00');
"""


def test_an_older_databases_versions_read_as_leaving_nothing_out(tmp_path):
    path = tmp_path / "schema6.db"
    with sqlite3.connect(path) as connection:
        connection.executescript(SCHEMA_6)
    database = Database(f"sqlite:///{path}")
    assert database.create_schema() == SCHEMA_VERSION
    database.create_schema()  # idempotent
    with database.session() as session:
        old = session.query(ProjectVersion).order_by(ProjectVersion.number).all()
        assert [(v.number, v.changes, v.warnings) for v in old] == [
            (1, "", []),
            (2, "tempo 124 → 128 BPM", []),
        ]
        newer = ProjectVersion(
            project_id=old[0].project_id,
            number=3,
            als_path="a/v3.als",
            arrangement_path="a/v3.json",
            requirements={},
            spec={},
            warnings=["Kick.wav was not used (the file is gone); another sound plays its part"],
        )
        session.add(newer)
    with database.session() as session:
        third = session.query(ProjectVersion).filter_by(number=3).one()
        assert third.warnings == [
            "Kick.wav was not used (the file is gone); another sound plays its part"
        ]
    database.dispose()
    with sqlite3.connect(path) as check:
        applied = [v for (v,) in check.execute("SELECT version FROM schema_migrations")]
        assert sorted(applied) == list(range(1, SCHEMA_VERSION + 1))
