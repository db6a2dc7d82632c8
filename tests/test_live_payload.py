"""The song the Remote Script receives: a multi-sampled instrument goes as a Simpler playing the
zone nearest the part's notes, which the script's own plan checker accepts (it rejects the rack)."""

from __future__ import annotations

import pytest

from companion.arrangement import Instrument, KeyZone, SampleFile, SampleLoop
from companion.live.payload import live_arrangement
from conftest import fresh_song
from fake_live import load_script_package


def zone(low: int, high: int, root: int) -> KeyZone:
    sample = SampleFile(
        path=f"Samples/Imported/Pad {root}.wav", frames=50_000, sample_rate=44_100, root_note=root
    )
    return KeyZone(low=low, high=high, sample=sample, loop=SampleLoop(start=20_000, end=50_000))


def test_a_rack_goes_to_live_as_its_middle_zone(tmp_path):
    song = fresh_song(2, style="house", bpm=124, key="Am")
    pads = next(t for t in song.tracks if t.role == "pads")
    pads.instrument = Instrument(
        kind="multi", name="Warm Pad", zones=[zone(0, 56, 48), zone(57, 71, 64), zone(72, 127, 79)]
    )
    pitches = sorted(n.pitch for c in pads.clips for n in c.notes)
    middle = pitches[len(pitches) // 2]
    data = live_arrangement(song)
    sent = data["tracks"][song.tracks.index(pads)]["instrument"]
    wanted = next(z for z in pads.instrument.zones if z.low <= middle <= z.high)
    assert sent["kind"] == "simpler" and sent["zones"] == []
    assert sent["sample"]["path"] == wanted.sample.path and sent["loop"]["start"] == 20_000
    assert song.tracks[0].instrument is None or data["tracks"][0]["instrument"]["kind"] != "multi"

    load_script_package()
    from MusiaIA.loader import PlanError, make_plan

    project = tmp_path / "Song Project"
    plan = make_plan(data, None, str(project))  # the script's own checks accept it
    assert plan is not None
    raw = song.model_dump(mode="json")
    with pytest.raises(PlanError, match="drum_rack or simpler"):
        make_plan(raw, None, str(project))  # …and would refuse the rack as it is


def test_a_velocity_layered_rack_sends_the_layer_of_the_parts_usual_velocity():
    """Live's API cannot build the rack's velocity chains either: the Simpler gets the middle
    zone's layer that the part's median velocity plays (soft for comping, hard when the part is
    mostly played hard)."""
    song = fresh_song(2, style="house", bpm=124, key="Am")
    chords = next(t for t in song.tracks if t.role == "chords")

    def layer(low: int, high: int, root: int, hard: bool) -> KeyZone:
        plain = zone(low, high, root)
        sample = plain.sample.model_copy(
            update={"path": f"Samples/Imported/Piano {'Hard' if hard else 'Soft'} {root}.wav"}
        )
        span = {"velocity_low": 96, "velocity_high": 127} if hard else {"velocity_high": 95}
        return plain.model_copy(update={"sample": sample, **span})

    chords.instrument = Instrument(
        kind="multi",
        name="Piano",
        zones=[
            layer(low, high, root, hard)
            for low, high, root in ((0, 63, 55), (64, 127, 67))
            for hard in (False, True)
        ],
    )
    notes = [n for c in chords.clips for n in c.notes]
    velocities = sorted(n.velocity for n in notes)
    pitches = sorted(n.pitch for n in notes)
    root = 55 if pitches[len(pitches) // 2] <= 63 else 67
    usual = "Hard" if velocities[len(velocities) // 2] >= 96 else "Soft"
    sent = live_arrangement(song)["tracks"][song.tracks.index(chords)]["instrument"]
    assert sent["sample"]["path"] == f"Samples/Imported/Piano {usual} {root}.wav"
    # Played hard throughout, the same part sends the hard layer.
    for clip in chords.clips:
        clip.notes = [n.model_copy(update={"velocity": 120}) for n in clip.notes]
    sent = live_arrangement(song)["tracks"][song.tracks.index(chords)]["instrument"]
    assert sent["sample"]["path"] == f"Samples/Imported/Piano Hard {root}.wav"
