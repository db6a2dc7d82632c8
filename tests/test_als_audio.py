"""Audio tracks playing warped loops: what Live writes for them, and reading them back."""

from __future__ import annotations

import copy
import gzip
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import etree

import alsconform
from companion import project_files
from companion.als.audio import WARP_MODES, audio_clip, audio_track, build_audio_track
from companion.als.profiles import LIVE_11, LIVE_12
from companion.als.reader import parse_als, read_als
from companion.als.tracks import SongContext
from companion.als.writer import als_bytes
from companion.als.xmlkit import PointeeIds, is_pointee
from companion.arrangement import AudioLoop, Track
from companion.music.theory import parse_key
from conftest import LOOP_PATH, needs_fixture, needs_fixtures, song, with_drum_loop

VERSIONS = [
    pytest.param("11", "11.0_433", "11.", id="live11"),
    pytest.param("12", "12.0_12120", "12.", id="live12"),
]
HOUSE = dict(style="house", bpm=124, key="Am")
EVENTS = "DeviceChain/MainSequencer/Sample/ArrangerAutomation/Events/AudioClip"
SLOTS = "DeviceChain/MainSequencer/ClipSlotList/ClipSlot"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return tmp_path / "Loop Song Project"


def parse(data: bytes) -> etree._Element:
    return etree.fromstring(gzip.decompress(data))


def loop_track(root: etree._Element) -> etree._Element:
    (track,) = root.findall("LiveSet/Tracks/AudioTrack")
    return track


def pointee_ids(root: etree._Element) -> list[int]:
    return [int(e.get("Id")) for e in root.iter() if isinstance(e.tag, str) and is_pointee(e.tag)]


# --------------------------------------------------------------------------- writer


@needs_fixtures
@pytest.mark.conformance
@pytest.mark.parametrize("version,exact,family", VERSIONS)
def test_audio_track_conforms_to_real_live_sets(project, version, exact, family):
    # The comparison is only meaningful if Live's own sets of that version (or, where there are
    # none, of its family: the checker then judges by those) hold these elements.
    judge = exact if alsconform.reference(exact).files else family
    assert alsconform.anchor_instances(judge, "AudioTrack") >= 2
    assert alsconform.anchor_instances(judge, "AudioClip") >= 2
    root = parse(als_bytes(with_drum_loop(project, **HOUSE), version, project))
    report = alsconform.unexplained(alsconform.check(root, exact, family), exact)
    assert report.ok, report.summary()


@pytest.mark.parametrize("version", ["11", "12"])
def test_inventory_tool_accepts_the_set(project, tmp_path, version):
    tool = alsconform.SHARED / "tools" / "als_inventory.py"
    if not tool.exists():
        pytest.skip("../shared/tools is absent")
    path = tmp_path / "loop.als"
    path.write_bytes(als_bytes(with_drum_loop(project, **HOUSE), version, project))
    result = subprocess.run(
        [sys.executable, str(tool), "--json", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    info = json.loads(result.stdout)
    assert result.returncode == 0, result.stdout
    assert info["ok"] and info["tracks"]["AudioTrack"] == 1
    assert info["ids_extended"]["unique"] and info["ids_extended"]["below_next_pointee"]


@pytest.mark.parametrize("version", ["11", "12"])
def test_same_song_same_bytes(project, version):
    arrangement = with_drum_loop(project, **HOUSE)
    first = als_bytes(arrangement, version, project)
    assert als_bytes(arrangement.model_copy(deep=True), version, project) == first
    assert als_bytes(arrangement, version, project) == first


@pytest.mark.parametrize("version", ["11", "12"])
def test_reads_back_equal(project, version):
    arrangement = with_drum_loop(project, **HOUSE)
    assert parse_als(als_bytes(arrangement, version, project)) == arrangement
    assert parse_als(als_bytes(arrangement, version)) == arrangement  # no project folder known


@pytest.mark.parametrize("version", ["11", "12"])
@pytest.mark.parametrize("mode", sorted(WARP_MODES))
def test_every_warp_mode_and_odd_lengths_read_back(project, version, mode):
    arrangement = with_drum_loop(project, **HOUSE)
    index = next(i for i, t in enumerate(arrangement.tracks) if t.is_audio)
    loop = arrangement.tracks[index].audio
    odd = loop.model_copy(update={"warp_mode": mode, "beats": 7.333333, "bpm": 91.7})
    arrangement.tracks[index].audio = odd
    arrangement.tracks.append(  # a loop track with no clips still reads back (from the note)
        Track(name="Spare Loop", role="other", color=3, audio=odd)
    )
    data = als_bytes(arrangement, version, project)
    assert parse_als(data) == arrangement
    codes = {int(e.find("WarpMode").get("Value")) for e in parse(data).iter("AudioClip")}
    assert codes == {WARP_MODES[mode]}


@pytest.mark.parametrize("version", ["11", "12"])
def test_warp_markers_loop_and_placement(project, version):
    arrangement = with_drum_loop(project, **HOUSE)
    track = next(t for t in arrangement.tracks if t.is_audio)
    loop = track.audio
    seconds = loop.sample.frames / loop.sample.sample_rate
    element = loop_track(parse(als_bytes(arrangement, version, project)))
    assert element.find("Name/EffectiveName").get("Value") == "Drum Loop"
    timeline = element.findall(EVENTS)
    assert [float(c.get("Time")) for c in timeline] == [c.start for c in track.clips]
    assert any(c.length > loop.beats for c in track.clips)  # so some clip repeats the loop
    for elem, clip in zip(timeline, track.clips, strict=True):
        assert float(elem.find("CurrentStart").get("Value")) == clip.start
        assert float(elem.find("CurrentEnd").get("Value")) == clip.end
        assert elem.find("Name").get("Value") == clip.name
    for elem in element.iter("AudioClip"):
        assert elem.find("IsWarped").get("Value") == "true"
        assert elem.find("WarpMode").get("Value") == "0"  # Beats, for a drum loop
        assert elem.find("Color").get("Value") == str(track.color)
        assert elem.find("Loop/LoopOn").get("Value") == "true"
        assert float(elem.find("Loop/LoopStart").get("Value")) == 0
        assert float(elem.find("Loop/LoopEnd").get("Value")) == loop.beats
        markers = [
            (int(m.get("Id")), float(m.get("SecTime")), float(m.get("BeatTime")))
            for m in elem.iterfind("WarpMarkers/WarpMarker")
        ]
        assert markers == [(0, 0.0, 0.0), (1, seconds, loop.beats)]
        ref = elem.find("SampleRef")
        assert ref.find("FileRef/RelativePathType").get("Value") == "3"
        assert ref.find("FileRef/RelativePath").get("Value") == LOOP_PATH
        assert ref.find("FileRef/Path").get("Value") == f"{project.as_posix()}/{LOOP_PATH}"
        assert int(ref.find("DefaultDuration").get("Value")) == loop.sample.frames
        assert int(ref.find("DefaultSampleRate").get("Value")) == loop.sample.sample_rate
        assert int(ref.find("FileRef/OriginalFileSize").get("Value")) == loop.sample.size
    tempo_tag = "IsSongTempoMaster" if version == "11" else "IsSongTempoLeader"
    assert element.find(f"{EVENTS}/{tempo_tag}").get("Value") == "false"


@pytest.mark.parametrize("version", ["11", "12"])
def test_clips_sit_on_the_timeline_and_in_their_scene(project, version):
    arrangement = with_drum_loop(project, **HOUSE)
    track = next(t for t in arrangement.tracks if t.is_audio)
    root = parse(als_bytes(arrangement, version, project))
    element = loop_track(root)
    scenes = root.findall("LiveSet/Scenes/Scene")
    slots = element.findall(SLOTS)
    frozen = element.findall("DeviceChain/FreezeSequencer/ClipSlotList/ClipSlot")
    assert len(slots) == len(scenes) == len(frozen)  # one slot per scene, in both sequencers
    filled = {
        index: slot.find("ClipSlot/Value/AudioClip")
        for index, slot in enumerate(slots)
        if slot.find("ClipSlot/Value/AudioClip") is not None
    }
    assert sorted(filled) == [clip.section for clip in track.clips]
    for clip in track.clips:
        session = filled[clip.section]
        assert session.get("Time") == "0" and session.find("Name").get("Value") == clip.name
        assert scenes[clip.section].find("Name").get("Value") == clip.name  # the section's scene
        # In a slot the clip is the loop itself, repeating while its scene plays.
        assert float(session.find("CurrentEnd").get("Value")) == track.audio.beats
        assert session.find("Loop/LoopOn").get("Value") == "true"
    assert len(element.findall(EVENTS)) == len(track.clips)
    assert not root.findall(".//MidiTrack//AudioClip") and not element.findall(".//MidiClip")


@pytest.mark.parametrize("version", ["11", "12"])
def test_sample_ref_resolves_when_the_project_folder_moves(project, tmp_path, version):
    arrangement = with_drum_loop(project, **HOUSE)
    (project / "Loop Song.als").write_bytes(als_bytes(arrangement, version, project))
    moved = tmp_path / "elsewhere" / "Copied Project"
    shutil.copytree(project, moved)
    shutil.rmtree(project)
    root = parse((moved / "Loop Song.als").read_bytes())
    for ref in loop_track(root).iter("FileRef"):
        assert ref.find("RelativePathType").get("Value") == "3"  # relative to the project folder
        found = moved / ref.find("RelativePath").get("Value")
        assert found.is_file()
        assert found.stat().st_size == int(ref.find("OriginalFileSize").get("Value"))
    assert read_als(moved / "Loop Song.als") == arrangement


@pytest.mark.parametrize("version", ["11", "12"])
def test_pointee_ids_stay_unique_with_audio_tracks(project, version):
    root = parse(als_bytes(with_drum_loop(project, **HOUSE), version, project))
    ids = pointee_ids(root)
    assert len(ids) == len(set(ids))
    assert max(ids) < int(root.find("LiveSet/NextPointeeId").get("Value"))
    for parent in root.iter():
        local = [c.get("Id") for c in parent if isinstance(c.tag, str) and "Id" in c.attrib]
        assert len(local) == len(set(local)), f"duplicate list ids under {parent.tag}"


def test_stamped_audio_tracks_equal_building_afresh(project):
    """Audio tracks are stamped from a cached skeleton; the result must be exactly what the
    element-by-element builders produce."""
    arrangement = with_drum_loop(project, **HOUSE)
    track = next(t for t in arrangement.tracks if t.is_audio)
    for profile in (LIVE_11, LIVE_12):
        for key, project_dir in ((parse_key("Am"), project), (None, None)):

            def context(ids, profile=profile, key=key, project_dir=project_dir):
                return SongContext(
                    profile=profile,
                    ids=ids,
                    scene_count=9,
                    return_count=2,
                    time_signature=(4, 4),
                    key=key,
                    project_dir=project_dir,
                )

            layout = {c.section: i for i, c in enumerate(track.clips)}
            stamped = audio_track(
                etree.Element("Tracks"), track, 12, context(PointeeIds(500)), layout
            )
            ctx = context(PointeeIds(500))
            built = build_audio_track(etree.Element("Tracks"), 12, track.name, track.color, ctx)
            slots = built.findall(f"{SLOTS}/ClipSlot/Value")
            events = built.find(EVENTS.rsplit("/", 1)[0])
            for clip in track.clips:
                audio_clip(slots[clip.section], clip, 0, track.audio, track.color, ctx, True)
            for clip_id, clip in enumerate(track.clips):
                audio_clip(events, clip, clip_id, track.audio, track.color, ctx, False)
            assert etree.tostring(stamped) == etree.tostring(built)


def test_sets_without_audio_carry_no_loop_note():
    """Sets of MIDI parts only are written exactly as before audio tracks existed."""
    root = parse(als_bytes(song(**HOUSE)))
    assert '"loops"' not in root.find("LiveSet/Annotation").get("Value")
    assert not root.findall("LiveSet/Tracks/AudioTrack")


def test_project_files_have_no_midi_part_for_audio_tracks(project):
    arrangement = with_drum_loop(project, **HOUSE)
    files = project_files.render_files(
        arrangement, "Loop Song", project_dir=project, samples={LOOP_PATH: project / LOOP_PATH}
    )
    parts = sorted(p.name for p in files if p.suffix == ".mid")
    expected = [
        f"{i + 1:02d} {t.name}.mid" for i, t in enumerate(arrangement.tracks) if not t.is_audio
    ]
    assert parts == sorted(expected) and len(parts) == len(arrangement.tracks) - 1
    assert files[Path(LOOP_PATH)] == (project / LOOP_PATH).read_bytes()


# --------------------------------------------------------------------------- the checker


@needs_fixtures
@pytest.mark.conformance
@pytest.mark.parametrize("version,exact,family", VERSIONS)
def test_checker_catches_wrong_audio_elements(project, version, exact, family):
    """The conformance check must fail on audio elements Live would not write."""
    good = parse(als_bytes(with_drum_loop(project, **HOUSE), version, project))
    assert alsconform.unexplained(alsconform.check(good, exact, family), exact).ok

    def problems(mutate) -> list[str]:
        bad = copy.deepcopy(good)
        mutate(bad)
        return alsconform.check(bad, exact, family).problems

    def clip(root, session=False):
        if session:
            return loop_track(root).find(f"{SLOTS}/ClipSlot/Value/AudioClip")
        return loop_track(root).find(EVENTS)

    def drop(path):
        def mutate(root):
            elem = clip(root).find(path)
            elem.getparent().remove(elem)

        return mutate

    assert any("missing-child" in p and "WarpMarkers" in p for p in problems(drop("WarpMarkers")))
    assert any("missing-child" in p and "SampleRef" in p for p in problems(drop("SampleRef")))
    assert any("missing-child" in p and "FileRef" in p for p in problems(drop("SampleRef/FileRef")))

    def session_without_fades(root):
        elem = clip(root, session=True)
        elem.remove(elem.find("Fades"))

    assert any("missing-child" in p and "Fades" in p for p in problems(session_without_fades))

    other_version = "IsSongTempoLeader" if version == "11" else "IsSongTempoMaster"
    assert any(
        p.startswith("unknown-path") and other_version in p
        for p in problems(lambda r: etree.SubElement(clip(r), other_version).set("Value", "false"))
    )
    assert any(
        p.startswith("unknown-path") and "@AudioClip/Notes" in p
        for p in problems(lambda r: etree.SubElement(clip(r), "Notes"))
    )

    def midi_controllers(root):
        sequencer = loop_track(root).find("DeviceChain/MainSequencer")
        etree.SubElement(sequencer, "MidiControllers")

    assert any(
        p.startswith("unknown-path") and "MidiControllers" in p for p in problems(midi_controllers)
    )

    def sample_ref_last(root):
        elem = clip(root)
        elem.append(elem.find("SampleRef"))

    assert any(p.startswith("order") and "SampleRef" in p for p in problems(sample_ref_last))

    def marker_attribute(root):
        clip(root).find("WarpMarkers/WarpMarker").set("Tempo", "120")

    assert any(p.startswith("unknown-attribute") for p in problems(marker_attribute))
    assert any(
        p.startswith("value-kind")
        for p in problems(lambda r: clip(r).find("IsWarped").set("Value", "yes"))
    )

    def audio_clip_on_a_midi_track(root):
        midi = root.find("LiveSet/Tracks/MidiTrack")
        events = midi.find("DeviceChain/MainSequencer/ClipTimeable/ArrangerAutomation/Events")
        events.append(copy.deepcopy(clip(root)))

    assert any(p.startswith("unknown-location") for p in problems(audio_clip_on_a_midi_track))

    def midi_clip_on_the_audio_track(root):
        midi_clip = root.find("LiveSet/Tracks/MidiTrack").find(".//MidiClip")
        clip(root).getparent().append(copy.deepcopy(midi_clip))

    assert any(p.startswith("unknown-location") for p in problems(midi_clip_on_the_audio_track))

    def track_without_recorder(root):
        sequencer = loop_track(root).find("DeviceChain/MainSequencer")
        sequencer.remove(sequencer.find("Recorder"))

    assert any("missing-child" in p and "Recorder" in p for p in problems(track_without_recorder))


# --------------------------------------------------------------------------- reader on Live's sets


def _fixtures_with_audio_clips() -> list[Path]:
    return [
        path
        for path in alsconform.fixture_files()
        if next(alsconform.fixture_root(str(path)).iter("AudioClip"), None) is not None
    ]


@needs_fixtures
@pytest.mark.parametrize("path", _fixtures_with_audio_clips(), ids=lambda p: p.name[:40])
def test_reads_audio_tracks_of_real_live_sets(path):
    arrangement = read_als(path)
    root = alsconform.fixture_root(str(path))
    elements = root.findall("LiveSet/Tracks/AudioTrack")
    played = [
        t for t in elements if t.find("DeviceChain/MainSequencer").find(".//AudioClip") is not None
    ]
    audio = [t for t in arrangement.tracks if t.is_audio]
    names = [t.find("Name/EffectiveName").get("Value") for t in played]
    assert [t.name for t in audio] == names  # an audio track wherever Live had one playing audio
    by_name = dict(zip(names, played, strict=True))
    for track in audio:
        loop = track.audio
        parts = loop.sample.path.split("/")
        assert ".." not in parts and not loop.sample.path.startswith("/")
        assert 0 < loop.beats <= 4096 and 20 <= loop.bpm <= 999
        assert loop.warp_mode in WARP_MODES
        element = by_name[track.name]
        clips = element.find("DeviceChain/MainSequencer").findall(".//AudioClip")
        assert 0 < len(track.clips) <= len(clips)
        starts = {round(float(c.get("Time")), 6) for c in element.findall(EVENTS)}
        if starts:  # arrangement clips keep their place
            assert {c.start for c in track.clips} <= starts
        refs = {
            (
                c.find("SampleRef/FileRef/RelativePathType").get("Value"),
                c.find("SampleRef/FileRef/RelativePath").get("Value"),
            )
            for c in clips
        }
        if ("3", loop.sample.path) not in refs:  # not in the project: where collecting puts it
            assert loop.sample.path.startswith("Samples/Imported/")


@needs_fixtures
def test_fixture_warp_modes_are_known_codes():
    codes = {
        int(e.find("WarpMode").get("Value"))
        for path in alsconform.fixture_files()
        for e in alsconform.fixture_root(str(path)).iter("AudioClip")
    }
    assert codes and codes <= set(WARP_MODES.values())


@needs_fixture("Squishy123__ableton_set_creator__test_multi.als")
@pytest.mark.conformance
def test_a_read_live_set_with_audio_is_written_back_conforming():
    path = alsconform.fixture_path("Squishy123__ableton_set_creator__test_multi.als")
    arrangement = read_als(path)
    assert sum(t.is_audio for t in arrangement.tracks) == 2
    root = parse(als_bytes(arrangement, "11"))
    report = alsconform.unexplained(alsconform.check(root, "11.0_433", "11."), "11.0_433")
    assert report.ok, report.summary()
    assert parse_als(als_bytes(arrangement, "11")) == arrangement


def test_loop_model_rules():
    loop = AudioLoop.model_validate(
        {
            "sample": {"path": LOOP_PATH, "frames": 10, "sample_rate": 44100},
            "beats": 8,
            "bpm": 100,
        }
    )
    assert loop.warp_mode == "beats"
    with pytest.raises(ValueError):
        AudioLoop.model_validate({**loop.model_dump(), "warp_mode": "rex"})
