"""The chat with Live open (issue 14 items 3, 6 and 7): "añade un bajo que encaje con mis
acordes" reads the producer's notes and answers on them, a chat request builds into the open
set by itself (the account's setting), and a build can be cancelled from the panel's API — the
real server process, the real Remote Script in the simulated Live, real UDP between them."""

from __future__ import annotations

import json
import time
from contextlib import ExitStack
from pathlib import Path

import pytest
from test_server_live import client, collect, pump
from websockets.sync.client import connect

from companion.analysis.notes_heard import recognize_chords
from companion.arrangement import ChordEvent
from companion.live.link import KEY_FILE, write_key
from companion.music.answers import root_follow_ratio
from fake_live.host import FakeLive
from fake_live.rig import LINK_SECRET_HEX, free_udp_port, script_env
from server_harness import sign_in, start_server

# The producer's own harmony, one chord a bar, some held two bars (root pitch class, triad).
PROGRESSION = [
    (9, "min"),
    (5, "maj"),
    (0, "maj"),
    (7, "maj"),
    (2, "min"),
    (2, "min"),
    (4, "maj"),
    (9, "min"),
    (5, "maj"),
    (7, "maj"),
    (0, "maj"),
    (4, "maj"),
]
TRIADS = {"maj": (0, 4, 7), "min": (0, 3, 7)}


def chords_clip_notes() -> list[tuple[int, float, float, int, bool]]:
    """Chords voiced as a pianist would: root in the left hand, a comp rhythm in the right."""
    notes = []
    for bar, (root, quality) in enumerate(PROGRESSION):
        start = bar * 4.0
        notes.append((36 + root, start, 4.0, 80, False))
        for hit in (0.0, 1.5, 2.5):
            for interval in TRIADS[quality]:
                notes.append((60 + (root + interval) % 12, start + hit, 0.75, 70, False))
    return notes


def truth() -> list[ChordEvent]:
    events = []
    for bar, (root, quality) in enumerate(PROGRESSION):
        if events and (events[-1].root, events[-1].quality) == (root, quality):
            continue
        events.append(
            ChordEvent(start=bar * 4.0, duration=4.0, root=root, quality=quality, symbol="")
        )
    return events


@pytest.fixture(scope="module")
def live():
    simulated = FakeLive("12.2", tempo=122.0)
    simulated.script_port = free_udp_port()
    simulated.companion_port = free_udp_port()
    with script_env(simulated.script_port, simulated.companion_port):
        simulated.start_script()
    yield simulated
    simulated.close()


@pytest.fixture(scope="module")
def server(live, tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("answers")
    write_key(data_dir / KEY_FILE, LINK_SECRET_HEX)
    running = start_server(
        data_dir,
        env_extra={
            "MUSIAIA_LIVE_SCRIPT_PORT": str(live.script_port),
            "MUSIAIA_LIVE_COMPANION_PORT": str(live.companion_port),
        },
    )
    running.token = sign_in(running)
    with client(running) as http:
        pump(live, lambda: http.get("/api/v1/live/state").json()["connected"], what="Live")
    yield running
    running.stop()


@pytest.fixture
def socket(server):
    with ExitStack() as stack:
        ws = stack.enter_context(connect(server.ws_url, open_timeout=10))
        ws.send(json.dumps({"type": "auth", "token": server.token}))
        assert json.loads(ws.recv(timeout=10))["type"] == "ready"
        yield ws


def say(live, socket, text: str, until=None) -> list[dict]:
    socket.send(json.dumps({"type": "message", "content": text}))
    return collect(live, socket, until or (lambda e: e["type"] in ("message", "error")), 90)


def idle(live):
    surface = live.surfaces[0][0]
    pump(live, lambda: not surface.apply.busy and not surface.reads.busy, what="Live idle")


def test_a_bass_that_fits_my_chords(live, server, socket):
    keys = live.song.tracks[0]
    keys.name = "Keys"
    clip = keys.create_midi_clip(0.0, 4.0 * len(PROGRESSION))
    clip.set_notes(tuple(chords_clip_notes()))
    before = len(live.song.tracks)
    undo_before = len(live.world.undo.entries)
    started = time.perf_counter()
    events = say(live, socket, "Añade un bajo que encaje con mis acordes")
    elapsed = time.perf_counter() - started
    reply = events[-1]
    assert reply["type"] == "message", reply
    assert "Bajo" in reply["content"] and "Añadido a tu set de Live" in reply["content"]
    assert any(e["type"] == "progress" and e["data"]["step"] == "reading" for e in events)
    # one new track in Live, in the Arrangement over the chords, built in one undo step
    assert len(live.song.tracks) == before + 1
    bass = live.song.tracks[-1]
    assert bass.name == "Bajo" and bass.devices  # an instrument to play it
    (placed,) = bass.arrangement_clips
    assert placed.start_time == 0.0
    notes = placed.get_all_notes_extended()
    assert len(live.world.undo.entries) == undo_before + 1
    assert all(28 <= n.pitch <= 55 for n in notes)

    class N:  # what root_follow_ratio reads
        def __init__(self, note):
            self.start, self.pitch = note.start_time, note.pitch

    follow = root_follow_ratio([N(n) for n in notes], truth())
    assert follow >= 0.9, follow
    # the chords it heard are the producer's chords (roots), not a generic progression
    heard = recognize_chords([(s, s + d, p) for p, s, d, _v, _m in chords_clip_notes()], 48.0)
    assert [c.root for c in heard] == [c.root for c in truth()]
    # the answer is a project version on disk too: the producer's chords and the new bass
    with client(server) as http:
        projects = http.get("/api/v1/projects").json()
        details = http.get(f"/api/v1/projects/{projects[0]['id']}").json()
    assert [t["name"] for t in details["arrangement"]["tracks"]] == ["Keys", "Bajo"]
    assert details["version_list"][-1]["engine"] == "live"
    data_dir = Path(server.data_dir)
    assert list(data_dir.glob("projects/*/*/*.als"))
    assert elapsed < 30


def test_english_and_the_selected_clip(live, server, socket):
    """ "continue this melody" answers the selected Session clip in the next scene; "make drums
    for this bass" writes drums locked to it."""
    idle(live)
    lead = live.song.tracks[1]
    lead.name = "Lead"
    slot = lead.clip_slots[2]
    slot.create_clip(8.0)
    melody = [
        (69, 0.0, 0.5),
        (72, 0.5, 0.5),
        (76, 1.0, 1.0),
        (74, 2.0, 0.5),
        (72, 2.5, 0.5),
        (71, 3.0, 1.0),
        (69, 4.0, 0.5),
        (71, 4.5, 0.5),
        (72, 5.0, 1.0),
        (74, 6.0, 2.0),
    ]
    slot.clip.set_notes(tuple((p, s, d, 96, False) for p, s, d in melody))
    live.song.view.detail_clip = slot.clip
    before = len(live.song.tracks)
    reply = say(live, socket, "continue this melody")[-1]
    assert reply["type"] == "message" and "Lead (cont.)" in reply["content"], reply
    answer = live.song.tracks[before]
    assert answer.name == "Lead (cont.)"
    assert answer.clip_slots[3].has_clip and not answer.clip_slots[2].has_clip  # the next scene
    continued = answer.clip_slots[3].clip.get_all_notes_extended()
    assert [n.start_time for n in sorted(continued, key=lambda n: n.start_time)] == [
        s for _p, s, _d in melody
    ]  # the producer's rhythm
    idle(live)
    bass = live.song.create_midi_track(-1)  # the producer's own bass track
    bass.name = "Bass"
    bass.clip_slots[0].create_clip(4.0)
    bass.clip_slots[0].clip.set_notes(
        (
            (33, 0.5, 0.4, 100, False),
            (33, 1.5, 0.4, 100, False),
            (36, 2.5, 0.4, 100, False),
            (33, 3.5, 0.4, 100, False),
        )
    )
    live.song.view.detail_clip = bass.clip_slots[0].clip
    reply = say(live, socket, "hazle una batería a este bajo")[-1]
    assert reply["type"] == "message" and "Batería" in reply["content"], reply
    drums = live.song.tracks[-1]
    hits = drums.clip_slots[0].clip.get_all_notes_extended()
    kicks = sorted(n.start_time for n in hits if n.pitch == 36)
    assert kicks == [0.0, 1.0, 2.0, 3.0]  # an offbeat bass gets a four-on-the-floor


def test_continua_esta_melodia_y_armoniza_este_lead(live, server, socket):
    """In Spanish, on the selected Session clip: "continúa esta melodía" answers in the next
    scene in the producer's rhythm; "armoniza este lead" writes a second voice in the same scene,
    under each melody note and in the set's key (A minor)."""
    idle(live)
    live.song.root_note, live.song.scale_name = 9, "Minor"
    lead = live.song.create_midi_track(-1)
    lead.name = "Melodía"
    slot = lead.clip_slots[4]
    slot.create_clip(8.0)
    melody = [
        (76, 0.0, 1.0),
        (74, 1.0, 0.5),
        (72, 1.5, 0.5),
        (71, 2.0, 2.0),
        (72, 4.0, 1.0),
        (74, 5.0, 1.0),
        (76, 6.0, 2.0),
    ]
    slot.clip.set_notes(tuple((p, s, d, 100, False) for p, s, d in melody))
    live.song.view.detail_clip = slot.clip
    before, steps = len(live.song.tracks), len(live.world.undo.entries)
    reply = say(live, socket, "continúa esta melodía")[-1]
    assert reply["type"] == "message" and "Melodía (sigue)" in reply["content"], reply
    following = live.song.tracks[before]
    assert following.name == "Melodía (sigue)"
    assert len(live.world.undo.entries) == steps + 1  # one undo step takes the answer away
    assert following.clip_slots[5].has_clip and not following.clip_slots[4].has_clip
    continued = sorted(following.clip_slots[5].clip.get_all_notes_extended(), key=start)
    assert [n.start_time for n in continued] == [s for _p, s, _d in melody]
    idle(live)
    live.song.view.detail_clip = slot.clip  # the producer selects the melody again
    before, steps = len(live.song.tracks), len(live.world.undo.entries)
    reply = say(live, socket, "armoniza este lead")[-1]
    assert reply["type"] == "message" and "Melodía 2ª voz" in reply["content"], reply
    voice = live.song.tracks[before]
    assert voice.name == "Melodía 2ª voz"
    assert voice.clip_slots[4].has_clip  # plays with the melody, in its scene
    second = sorted(voice.clip_slots[4].clip.get_all_notes_extended(), key=start)
    assert [n.start_time for n in second] == [s for _p, s, _d in melody]
    minor = {9, 11, 0, 2, 4, 5, 7}
    for note, (pitch, _s, _d) in zip(second, melody, strict=True):
        assert 1 <= pitch - note.pitch <= 12 and note.pitch % 12 in minor, (note.pitch, pitch)
    assert len(live.world.undo.entries) == steps + 1


def start(note) -> float:
    return note.start_time


def test_without_a_clip_or_without_live_the_chat_says_why(live, server, socket):
    idle(live)
    live.song.view.detail_clip = None
    live.song.view.highlighted_clip_slot = None
    reply = say(live, socket, "armoniza este lead")[-1]
    assert reply["type"] == "message"
    assert "no clip is selected" in reply["content"]


def test_a_chat_request_builds_into_the_open_set_by_itself(live, server, socket):
    idle(live)
    before = len(live.song.tracks)
    events = say(
        live,
        socket,
        "Genera un track de techno de 16 compases",
        until=lambda e: e["type"] == "message" and e.get("intent") == "live_loaded",
    )
    assert any(e["type"] == "notice" and "Live" in e["content"] for e in events)
    assert any(e["type"] == "live_progress" and e.get("request_id") for e in events)
    said = events[-1]["content"]
    assert said.startswith("Añadido a tu set de Live:")
    made = live.song.tracks[before:]
    assert made and all(t.name in said for t in made)
    with client(server) as http:
        history = http.get("/api/v1/chat/history").json()
        assert history[-1]["content"] == said  # kept in the conversation
        # switched off: the next request stays a project until it is sent
        assert http.put("/api/v1/settings/live", json={"autoload": False}).json() == {
            "autoload": False
        }
        assert http.get("/api/v1/settings/live").json() == {"autoload": False}
        assert http.put("/api/v1/settings/live", json={"autoload": "yes"}).status_code == 422
    idle(live)
    count = len(live.song.tracks)
    events = say(live, socket, "Genera un track de house de 8 compases")
    for _ in range(100):
        live.tick()
    assert len(live.song.tracks) == count
    assert not any(e["type"] == "live_progress" for e in events)
    with client(server) as http:
        http.put("/api/v1/settings/live", json={"autoload": True})


def test_a_build_is_cancelled_from_the_panel_and_rolled_back(live, server, socket):
    idle(live)
    snapshot = [t.name for t in live.song.tracks], [s.name for s in live.song.scenes]
    undo = len(live.world.undo.entries)
    shown_before = len(live.surfaces[0][1].messages)  # earlier builds' messages are not this one's
    # A slow Live (each change costs it 0.5 ms): the build lasts hundreds of ticks, so it is
    # still going when the cancel arrives however late the server's events are on a busy machine.
    live.world.write_seconds = 0.0005
    try:
        _build_and_cancel(live, server, socket, shown_before)
    finally:
        live.world.write_seconds = 0.0
    assert ([t.name for t in live.song.tracks], [s.name for s in live.song.scenes]) == snapshot
    assert len(live.world.undo.entries) == undo + 1  # the build and its removal: one undo step
    assert "cancelled - the set is as it was" in live.surfaces[0][1].messages[-1]


def _build_and_cancel(live, server, socket, shown_before: int) -> None:
    with client(server) as http:
        http.put("/api/v1/settings/live", json={"autoload": False})
        say(
            live,
            socket,
            "Genera un track de house de 64 compases",
            until=lambda e: e["type"] == "project",
        )
        project = http.get("/api/v1/projects").json()[0]
        started = http.post(f"/api/v1/projects/{project['id']}/load-in-live")
        assert started.status_code == 202
        assert isinstance(started.json()["limits"], list)
        surface = live.surfaces[0][0]
        progress = collect(
            live,
            socket,
            lambda e: e["type"] == "live_progress" and e["data"]["phase"] == "building",
        )[-1]
        request_id = progress["request_id"]
        messages = live.surfaces[0][1].messages
        pump(  # Live's status bar shows how far the build is
            live,
            lambda: any(
                "%" in m and m.startswith("MusiaIA: adding") for m in messages[shown_before:]
            ),
            what="a progress message in Live's status bar",
        )
        assert surface.apply.current is not None  # still building
        assert http.post(f"/api/v1/live/builds/{request_id}/cancel").status_code == 202
        events = collect(live, socket, lambda e: e["type"] in ("live_loaded", "live_error"))
        assert events[-1]["type"] == "live_error" and events[-1]["cancelled"] is True
        assert http.post(f"/api/v1/live/builds/{request_id}/cancel").status_code == 404
        assert http.post("/api/v1/live/builds/nothex/cancel").status_code == 422
        http.put("/api/v1/settings/live", json={"autoload": True})
