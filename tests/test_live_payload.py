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
