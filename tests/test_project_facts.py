"""What the chat knows about a producer's project, on every message: read cheaply from the
latest version's files, equal to what the full arrangement model says."""

from __future__ import annotations

from companion.accounts import create_user
from companion.arrangement import Arrangement
from companion.db import Database
from companion.services.projects import ProjectService
from companion.settings import Settings
from companion.understanding.parser import understand


def _facts_from_model(arrangement: Arrangement) -> dict:
    numerator, denominator = arrangement.time_signature
    return {
        "style": arrangement.style,
        "bpm": arrangement.bpm,
        "key": arrangement.key,
        "time_signature": f"{numerator}/{denominator}",
        "bars": arrangement.bars,
        "sections": [(s.name, s.kind, s.start_bar, s.bars) for s in arrangement.sections],
        "tracks": [(t.name, t.role, t.note_count) for t in arrangement.tracks],
        "chords": list(dict.fromkeys(c.symbol for c in arrangement.chords))[:8],
    }


def _facts(facts) -> dict:
    return {
        "style": facts.style,
        "bpm": facts.bpm,
        "key": facts.key,
        "time_signature": facts.time_signature,
        "bars": facts.bars,
        "sections": [(s.name, s.kind, s.start_bar, s.bars) for s in facts.sections],
        "tracks": [(t.name, t.role, t.notes) for t in facts.tracks],
        "chords": facts.chords,
    }


def test_chat_facts_follow_the_latest_version(tmp_path):
    settings = Settings(data_dir=tmp_path / "data", kit_folder=tmp_path / "kit")
    settings.ensure_dirs()
    database = Database(settings.database)
    database.create_schema()
    with database.session() as session:
        user = create_user(session, "ana", "a long enough password")
        session.expunge(user)
    projects = ProjectService(settings, database)
    made = projects.create(user, text="techno oscuro en Fa menor a 130, 32 compases", seed=5)
    facts = projects.context_facts(user, made.project_id)
    assert (facts.name, facts.version) == (made.name, 1)
    assert _facts(facts) == _facts_from_model(made.generation.arrangement)
    assert facts.bpm == 130 and facts.key == "Fm" and facts.bars == 32
    assert projects.context_facts(user, made.project_id) == facts  # cached, same answer

    changed = projects.modify(user, made.project_id, understand("sube el tempo a 136"))
    after = projects.context_facts(user, made.project_id)
    assert after.version == 2 and after.bpm == 136
    assert _facts(after) == _facts_from_model(changed.generation.arrangement)
