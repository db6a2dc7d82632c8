"""The reader: every real Live set opens, and writer → reader gives the same arrangement back."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys

import pytest
from lxml import etree

import alsconform
from companion.als.reader import AlsReadError, parse_als, read_als
from companion.als.writer import als_bytes
from conftest import SONG_CASES, needs_fixture, needs_fixtures, needs_inventory_tool, song


@pytest.mark.parametrize("version", ["11", "12"])
@pytest.mark.parametrize("fields", SONG_CASES)
def test_round_trip_gives_the_same_arrangement(fields, version):
    arrangement = song(**fields)
    assert parse_als(als_bytes(arrangement, version)) == arrangement


def _inventory(path):
    tool = alsconform.SHARED / "tools" / "als_inventory.py"
    out = subprocess.run(
        [sys.executable, str(tool), "--json", str(path)],
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    return json.loads(out)


def _sounding_notes(clip: etree._Element) -> int:
    """Notes of a non-looping clip that fall inside its played region (a simple oracle)."""
    start = float(clip.find("Loop/LoopStart").get("Value"))
    length = float(clip.find("CurrentEnd").get("Value")) - float(
        clip.find("CurrentStart").get("Value")
    )
    return sum(
        1
        for n in clip.iter("MidiNoteEvent")
        if start <= float(n.get("Time")) < start + length and n.get("IsEnabled", "true") == "true"
    )


@needs_fixtures
@needs_inventory_tool
@pytest.mark.parametrize("path", alsconform.fixture_files(), ids=lambda p: p.name[:40])
def test_reads_every_real_live_set(path):
    arrangement = read_als(path)
    info = _inventory(path)
    assert arrangement.bpm == pytest.approx(info["tempo"])
    assert (
        f"{arrangement.time_signature[0]}/{arrangement.time_signature[1]}" == info["time_signature"]
    )
    midi = [t for t in arrangement.tracks if not t.is_audio]  # audio: tests/test_als_audio.py
    assert len(midi) == info["tracks"].get("MidiTrack", 0)
    root = alsconform.fixture_root(str(path))
    tracks = [t for t in root.find("LiveSet/Tracks") if t.tag == "MidiTrack"]
    for track_elem, track in zip(tracks, midi, strict=True):
        assert track.name == track_elem.find("Name/EffectiveName").get("Value")
        timeline = track_elem.findall(
            "DeviceChain/MainSequencer/ClipTimeable/ArrangerAutomation/Events/MidiClip"
        )
        if timeline:
            assert len(track.clips) == len(timeline)
        for clip_elem, clip in zip(
            sorted(timeline, key=lambda c: float(c.get("Time"))), track.clips, strict=False
        ):
            assert clip.start == pytest.approx(float(clip_elem.get("Time")))
            assert all(0 <= n.start < clip.length for n in clip.notes)
            if clip_elem.find("Loop/LoopOn").get("Value") == "false":
                assert len(clip.notes) == _sounding_notes(clip_elem)
            else:  # a looping clip plays its loop region again and again
                loop_start = float(clip_elem.find("Loop/LoopStart").get("Value"))
                period = float(clip_elem.find("Loop/LoopEnd").get("Value")) - loop_start
                repeats = clip.length / period
                # Only notes inside the loop region play: Live keeps notes drawn before the
                # loop start (a long template clip has some at -0.25) but never sounds them.
                in_loop = sum(
                    1
                    for n in clip_elem.iter("MidiNoteEvent")
                    if loop_start <= float(n.get("Time")) < loop_start + period
                    and n.get("IsEnabled", "true") == "true"
                )
                assert in_loop * int(repeats) <= len(clip.notes) <= in_loop * (int(repeats) + 1)
    locators = root.findall("LiveSet/Locators/Locators/Locator")
    if locators and arrangement.sections:
        names = {locator.find("Name").get("Value") for locator in locators}
        named = {s.name for s in arrangement.sections if not s.name.startswith("Section ")}
        assert named <= names  # unnamed locators become "Section N"


@needs_fixture("ideoforms__pylive__Tests_L12.als")
def test_session_only_sets_are_laid_out_scene_by_scene():
    path = alsconform.fixture_path("ideoforms__pylive__Tests_L12.als")
    arrangement = read_als(path)
    starts = [clip.start for clip in arrangement.tracks[0].clips]
    assert starts == sorted(starts) and len(set(starts)) == len(starts)


def test_key_is_read_only_when_scale_mode_is_on():
    arrangement = song(style="house", bpm=124, key="Am")
    root = etree.fromstring(gzip.decompress(als_bytes(arrangement)))
    root.find("LiveSet/InKey").set("Value", "false")
    assert parse_als(etree.tostring(root)).key is None
    root.find("LiveSet/InKey").set("Value", "true")
    info = root.find("LiveSet/ScaleInformation")
    info.find("RootNote").set("Value", "6")
    info.find("Name").set("Value", "Dorian")  # not a major/minor key: reported as unknown
    assert parse_als(etree.tostring(root)).key is None
    info.find("Name").set("Value", "Minor")
    assert parse_als(etree.tostring(root)).key == "F#m"


@pytest.mark.parametrize(
    "data,needle",
    [
        (b"", "not valid XML"),
        (b"\x1f\x8b\x08\x00garbage", "corrupt gzip"),
        (gzip.compress(b"<html><body/></html>"), "not an Ableton Live set"),
        (b"<Ableton><NotALiveSet/></Ableton>", "not an Ableton Live set"),
        (b"\x00\xff\xfe binary", "not valid XML"),
    ],
)
def test_bad_files_give_a_clear_error(data, needle):
    with pytest.raises(AlsReadError, match=needle):
        parse_als(data)


def test_entities_are_not_expanded():
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "xxxxxxxxxx">'
        b'<!ENTITY y "&x;&x;&x;&x;&x;&x;&x;&x;&x;&x;">]>'
        b'<Ableton><LiveSet><Annotation Value="&y;"/></LiveSet></Ableton>'
    )
    arrangement = parse_als(bomb)
    assert arrangement.tracks == []  # read without expanding &y; into 100 characters


def test_damaged_metadata_falls_back_to_inference():
    arrangement = song(style="house", bpm=124, key="Am")
    root = etree.fromstring(gzip.decompress(als_bytes(arrangement)))
    root.find("LiveSet/Annotation").set("Value", "MusiaIA:{not json")
    read = parse_als(etree.tostring(root))
    assert read.style is None
    assert [t.role for t in read.tracks] == [t.role for t in arrangement.tracks]  # from names
    assert [s.name for s in read.sections] == [s.name for s in arrangement.sections]
