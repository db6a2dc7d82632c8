"""Modify requests reach production, through the real chat path (a running server, its REST chat):
"más reverb en la caja", "quita el sidechain", "make the build longer with a filter sweep",
"less delay on the lead" each change the next version exactly as asked, and the next version
keeps everything the request did not touch (the previous versions' requests included)."""

from __future__ import annotations

import pytest

from companion.arrangement import Arrangement, Track
from companion.production.automation import BUILDS
from server_harness import sign_in, start_server

STEP_DB = 5.0  # one "more" / "less"


@pytest.fixture(scope="module")
def versions(tmp_path_factory):
    """The project's versions after each message of a conversation, read from the server."""
    running = start_server(tmp_path_factory.mktemp("data"))
    token = sign_in(running)
    found: list[tuple[dict, Arrangement]] = []
    messages = [
        "Genera un track de house a 124 BPM en La menor, 48 compases",
        "más reverb en la caja",
        "quita el sidechain",
        "make the build longer with a filter sweep",
        "less delay on the lead",
    ]
    try:
        with running.client(token) as client:
            for message in messages:
                reply = client.post("/api/v1/chat/message", json={"message": message}, timeout=120)
                assert reply.status_code == 200, reply.text
                body = reply.json()
                assert body["project"] is not None, (message, body["response"])
                project = body["project"]
                details = client.get(
                    f"/api/v1/projects/{project['id']}", params={"version": project["version"]}
                ).json()
                found.append((body, Arrangement.model_validate(details["arrangement"])))
    finally:
        running.stop()
    return found


def tracks(song: Arrangement) -> dict[str, Track]:
    return {t.name: t for t in song.tracks}


def production(track: Track) -> tuple:
    return (track.mix, track.devices, track.automation)


def keyed(song: Arrangement) -> set[str]:
    return {t.name for t in song.tracks for d in t.devices if d.sidechain}


def test_each_request_makes_the_next_version(versions):
    numbers = [body["project"]["version"] for body, _ in versions]
    assert numbers == [1, 2, 3, 4, 5]
    assert len({body["project"]["id"] for body, _ in versions}) == 1


def test_more_reverb_on_the_snare_changes_the_snares_reverb_only(versions):
    (_, before), (body, after) = versions[0], versions[1]
    old, new = tracks(before), tracks(after)
    assert new["Snare"].mix.send_db(0) == old["Snare"].mix.send_db(0) + STEP_DB
    assert new["Snare"].mix.send_db(1) == old["Snare"].mix.send_db(1)
    assert new["Snare"].mix.volume_db == old["Snare"].mix.volume_db
    for name in old.keys() - {"Snare"}:
        assert production(new[name]) == production(old[name]), name
        assert new[name].clips == old[name].clips
    assert (after.returns, after.main.automation) == (before.returns, before.main.automation)
    assert "reverb" in body["response"] and "caja" in body["response"]


def test_removing_the_sidechain_keeps_everything_else(versions):
    (_, before), (body, after) = versions[1], versions[2]
    assert keyed(before) and not keyed(after)
    old, new = tracks(before), tracks(after)
    for name, track in new.items():
        kinds = [d.kind for d in old[name].devices if d.sidechain is None]
        assert [d.kind for d in track.devices] == kinds, name
        assert track.mix.sends == old[name].mix.sends, name  # the snare's extra reverb stays
        if name not in keyed(before):
            assert production(track) == production(old[name]), name
    assert "sidechain" in body["response"]


def test_a_longer_build_with_a_filter_sweep(versions):
    (_, before), (body, after) = versions[2], versions[3]
    bar = after.beats_per_bar
    old_builds = [s for s in before.sections if s.kind in BUILDS]
    new_builds = [s for s in after.sections if s.kind in BUILDS]
    assert old_builds and [s.bars for s in new_builds] == [s.bars + 8 for s in old_builds]
    assert after.bars == before.bars + 8 * len(old_builds)
    others = [(s.kind, s.bars) for s in before.sections if s.kind not in BUILDS]
    assert [(s.kind, s.bars) for s in after.sections if s.kind not in BUILDS] == others
    # The sweep is stronger and reaches the lead too.
    lead = tracks(after)["Lead"]
    filters = [i for i, d in enumerate(lead.devices) if d.kind == "auto_filter"]
    assert filters and not [d for d in tracks(before)["Lead"].devices if d.kind == "auto_filter"]
    sweep = next(e for e in lead.automation if e.target == f"device:{filters[0]}:cutoff_hz")
    for build in new_builds:
        t0 = after.section_start_beat(build)
        assert sweep.value_at(t0 + 0.01) < sweep.value_at(t0 + build.bars * bar - 0.01) / 8
    chords_before = tracks(before)["Chords"]
    chords_after = tracks(after)["Chords"]
    low_before = min(
        v for e in chords_before.automation for _, v in e.points if "cutoff" in e.target
    )
    low_after = min(v for e in chords_after.automation for _, v in e.points if "cutoff" in e.target)
    assert low_after < low_before
    assert not keyed(after)  # what earlier versions asked for stays
    assert tracks(after)["Snare"].mix.send_db(0) == tracks(before)["Snare"].mix.send_db(0)
    assert "build" in body["response"]


def test_less_delay_on_the_lead(versions):
    (_, before), (body, after) = versions[3], versions[4]
    old, new = tracks(before), tracks(after)
    assert new["Lead"].mix.send_db(1) == old["Lead"].mix.send_db(1) - STEP_DB
    assert new["Lead"].mix.send_db(0) == old["Lead"].mix.send_db(0)
    assert new["Lead"].devices == old["Lead"].devices
    for name in old.keys() - {"Lead"}:
        assert production(new[name]) == production(old[name]), name
    assert "delay" in body["response"] and body["language"] == "en"
