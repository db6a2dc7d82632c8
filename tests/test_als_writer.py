"""The .als writer: conformance with what Live writes, and every id, count and value rule."""

from __future__ import annotations

import copy
import gzip
import json
import subprocess
import sys

import pytest
from lxml import etree

import alsconform
from companion.als.codes import decode_time_signature, time_signature_code
from companion.als.reader import parse_als
from companion.als.writer import als_bytes, als_xml
from companion.arrangement import Arrangement, Clip, Note, Section, Track
from companion.music.theory import parse_key
from conftest import SONG_CASES, needs_fixtures, song, with_instruments

VERSIONS = [
    pytest.param("11", "11.0_433", "11.", id="live11"),
    pytest.param("12", "12.0_12120", "12.", id="live12"),
]
POINTEE = alsconform.re.compile(
    r"^(AutomationTarget|ModulationTarget|Pointee|.*ModulationTarget"
    r"|ControllerTargets\.\d+)$"
)


def parse(data: bytes) -> etree._Element:
    return etree.fromstring(gzip.decompress(data))


def tiny() -> Arrangement:
    sections = [
        Section(name="Intro", kind="intro", start_bar=0, bars=2),
        Section(name="Drop", kind="drop", start_bar=2, bars=2),
    ]
    notes = [Note(pitch=36, start=float(i), duration=0.25, velocity=110) for i in range(8)]
    return Arrangement(
        title="Tiny",
        bpm=128,
        key="Bbm",
        bars=4,
        sections=sections,
        tracks=[
            Track(
                name="Drums",
                role="drums",
                color=14,
                clips=[
                    Clip(name="Drums · Intro", start=0, length=8, section=0, notes=notes),
                    Clip(name="Drums · Drop", start=8, length=8, section=1, notes=notes),
                ],
            )
        ],
    )


# --------------------------------------------------------------------------- conformance


@needs_fixtures
@pytest.mark.conformance
@pytest.mark.parametrize("fields", SONG_CASES)
@pytest.mark.parametrize("version,exact,family", VERSIONS)
def test_conforms_to_real_live_sets(fields, version, exact, family):
    root = parse(als_bytes(song(**fields), version))
    report = alsconform.unexplained(alsconform.check(root, exact, family), exact)
    assert report.ok, report.summary()


@needs_fixtures
@pytest.mark.conformance
@pytest.mark.parametrize("version,exact,family", VERSIONS)
def test_checker_catches_what_live_would_not_write(version, exact, family):
    """The conformance check is only worth something if it fails on bad sets."""
    good = parse(als_bytes(tiny(), version))
    assert alsconform.unexplained(alsconform.check(good, exact, family), exact).ok

    missing = copy.deepcopy(good)
    track = missing.find("LiveSet/Tracks/MidiTrack")
    track.remove(track.find("TrackGroupId"))
    assert any(
        "missing-child" in p and "TrackGroupId" in p
        for p in alsconform.check(missing, exact, family).problems
    )

    unknown = copy.deepcopy(good)
    etree.SubElement(unknown.find("LiveSet"), "Tempo").set("Value", "120")
    assert any(
        p.startswith("unknown-path") for p in alsconform.check(unknown, exact, family).problems
    )

    attribute = copy.deepcopy(good)
    attribute.find("LiveSet/Tracks/MidiTrack/Color").set("Hue", "1")
    assert any(
        p.startswith("unknown-attribute")
        for p in alsconform.check(attribute, exact, family).problems
    )

    swapped = copy.deepcopy(good)
    name = swapped.find("LiveSet/Tracks/MidiTrack/Name")
    parent = name.getparent()
    parent.remove(name)
    parent.append(name)
    assert any(p.startswith("order") for p in alsconform.check(swapped, exact, family).problems)

    kind = copy.deepcopy(good)
    kind.find("LiveSet/Tracks/MidiTrack/TrackUnfolded").set("Value", "yes")
    assert any(p.startswith("value-kind") for p in alsconform.check(kind, exact, family).problems)


def _clip_order(root: etree._Element) -> list[str]:
    clip = next(root.iter("MidiClip"))
    return [child.tag for child in clip]


@needs_fixtures
@pytest.mark.parametrize("version,exact,family", VERSIONS)
def test_clip_children_follow_the_declared_release(version, exact, family):
    """Live 12.1 moved a MIDI clip's IsInKey and ScaleInformation before its Notes; a set that
    declares 12.1 must write them there (and an 11 set after the note editor's settings), exactly
    as every real set of that schema orders them."""
    root = parse(als_bytes(song(style="house", bpm=124, key="Am"), version))
    real = [
        alsconform.fixture_root(str(path))
        for path in alsconform.fixture_files()
        if alsconform.minor_version(alsconform.fixture_root(str(path))) == exact
    ]
    real_orders = [_clip_order(r) for r in real if next(r.iter("MidiClip"), None) is not None]
    if not real_orders and not alsconform.strict():
        pytest.skip(f"no vendored {exact} set has a MIDI clip: ../shared's sets show the order")
    assert real_orders, f"no real {exact} set with a MIDI clip"
    for clip in root.iter("MidiClip"):
        ours = [child.tag for child in clip]
        for order in real_orders:
            assert [tag for tag in order if tag in ours] == [t for t in ours if t in order]
    keyed = ["IsInKey", "ScaleInformation", "Notes"] if version == "12" else ["Notes"]
    tags = _clip_order(root)
    assert [t for t in tags if t in ("IsInKey", "ScaleInformation", "Notes")][: len(keyed)] == (
        keyed
    )
    assert alsconform.check(root, exact, family).ok


@needs_fixtures
@pytest.mark.conformance
def test_live12_features_are_not_written_into_a_live11_set():
    root = parse(als_bytes(tiny(), "12"))
    problems = alsconform.check(root, "11.0_433", "11.").problems
    assert any("MainTrack" in p for p in problems)
    if alsconform.strict():  # the vendored 11.x MIDI tracks are 11.1 and later: they have it
        assert any("MpeSettings" in p for p in problems)


@pytest.mark.parametrize("version", ["11", "12"])
def test_inventory_tool_accepts_the_set(tmp_path, version):
    tool = alsconform.SHARED / "tools" / "als_inventory.py"
    if not tool.exists():
        pytest.skip("../shared/tools is absent")
    path = tmp_path / "song.als"
    path.write_bytes(als_bytes(song(style="house", bpm=124, key="Am"), version))
    result = subprocess.run(
        [sys.executable, str(tool), "--json", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    info = json.loads(result.stdout)
    assert result.returncode == 0, result.stdout
    assert info["ok"] and info["tempo"] == 124.0 and info["time_signature"] == "4/4"
    assert info["ids_extended"]["unique"] and info["ids_extended"]["below_next_pointee"]


# --------------------------------------------------------------------------- id and count rules


@pytest.mark.parametrize("version", ["11", "12"])
@pytest.mark.parametrize("fields", SONG_CASES)
def test_ids_and_counts(fields, version):
    arrangement = song(**fields)
    root = parse(als_bytes(arrangement, version))
    live_set = root.find("LiveSet")
    next_id = int(live_set.find("NextPointeeId").get("Value"))
    pointees = [
        int(e.get("Id"))
        for e in root.iter()
        if isinstance(e.tag, str) and POINTEE.match(e.tag) and e.get("Id") is not None
    ]
    assert len(pointees) == len(set(pointees)), "pointee ids must be unique"
    assert max(pointees) < next_id
    targets = set(pointees)
    assert all(int(ref.get("Value")) in targets for ref in root.iter("PointeeId"))

    for parent in root.iter():
        ids = [c.get("Id") for c in parent if isinstance(c.tag, str) and "Id" in c.attrib]
        assert len(ids) == len(set(ids)), f"duplicate list ids under {parent.tag}"

    scenes = live_set.findall("Scenes/Scene")
    returns = live_set.findall("Tracks/ReturnTrack")
    assert len(live_set.findall("SendsPre/SendPreBool")) == len(returns)
    for track in live_set.find("Tracks"):
        assert len(track.findall("DeviceChain/MainSequencer/ClipSlotList/ClipSlot")) == len(scenes)
        assert len(track.findall("DeviceChain/FreezeSequencer/ClipSlotList/ClipSlot")) == len(
            scenes
        )
        assert len(track.findall("DeviceChain/Mixer/Sends/TrackSendHolder")) == len(returns)
        controllers = track.find("DeviceChain/MainSequencer/MidiControllers")
        assert [c.tag for c in controllers] == [f"ControllerTargets.{i}" for i in range(131)]

    for clip in root.iter("MidiClip"):
        note_ids = [int(n.get("NoteId")) for n in clip.iter("MidiNoteEvent")]
        assert len(note_ids) == len(set(note_ids))
        assert int(clip.find("Notes/NoteIdGenerator/NextId").get("Value")) > max(
            note_ids, default=0
        )
        keys = [int(k.find("MidiKey").get("Value")) for k in clip.iter("KeyTrack")]
        assert keys == sorted(keys) and len(keys) == len(set(keys))


# --------------------------------------------------------------------------- musical content


@pytest.mark.parametrize("version", ["11", "12"])
@pytest.mark.parametrize("fields", SONG_CASES)
def test_tempo_meter_key_sections_and_tracks(fields, version):
    arrangement = song(**fields)
    live_set = parse(als_bytes(arrangement, version)).find("LiveSet")
    main = live_set.find("MasterTrack" if version == "11" else "MainTrack")
    mixer = main.find("DeviceChain/Mixer")
    assert float(mixer.find("Tempo/Manual").get("Value")) == arrangement.bpm
    code = int(mixer.find("TimeSignature/Manual").get("Value"))
    assert decode_time_signature(code) == tuple(arrangement.time_signature)
    envelopes = {
        int(e.find("EnvelopeTarget/PointeeId").get("Value")): e
        for e in main.findall("AutomationEnvelopes/Envelopes/AutomationEnvelope")
    }
    assert len(envelopes) == 2
    tempo_event = envelopes[int(mixer.find("Tempo/AutomationTarget").get("Id"))].find(
        "Automation/Events/FloatEvent"
    )
    assert float(tempo_event.get("Value")) == arrangement.bpm
    assert tempo_event.get("Time") == "-63072000"
    meter_event = envelopes[int(mixer.find("TimeSignature/AutomationTarget").get("Id"))].find(
        "Automation/Events/EnumEvent"
    )
    assert int(meter_event.get("Value")) == code

    key = parse_key(arrangement.key)
    assert live_set.find("InKey").get("Value") == "true"
    # Live 11 names the scale; Live 12.1 stores the root as Root and an index (0 major, 1 minor).
    root_tag, name = (
        ("RootNote", key.mode.capitalize())
        if version == "11"
        else ("Root", "1" if key.mode == "minor" else "0")
    )
    assert int(live_set.find(f"ScaleInformation/{root_tag}").get("Value")) == key.tonic
    assert live_set.find("ScaleInformation/Name").get("Value") == name
    for clip in live_set.iter("MidiClip"):
        assert int(clip.find(f"ScaleInformation/{root_tag}").get("Value")) == key.tonic
        assert clip.find("ScaleInformation/Name").get("Value") == name
        assert clip.find("IsInKey").get("Value") == "true"

    locators = live_set.findall("Locators/Locators/Locator")
    assert [locator.find("Name").get("Value") for locator in locators] == [
        s.name for s in arrangement.sections
    ]
    assert [float(locator.find("Time").get("Value")) for locator in locators] == [
        arrangement.section_start_beat(s) for s in arrangement.sections
    ]
    scene_names = [s.find("Name").get("Value") for s in live_set.findall("Scenes/Scene")]
    assert scene_names[: len(arrangement.sections)] == [s.name for s in arrangement.sections]

    tracks = live_set.findall("Tracks/MidiTrack")
    assert [t.find("Name/EffectiveName").get("Value") for t in tracks] == [
        t.name for t in arrangement.tracks
    ]
    assert [int(t.find("Color").get("Value")) for t in tracks] == [
        t.color for t in arrangement.tracks
    ]
    for element, track in zip(tracks, arrangement.tracks, strict=True):
        timeline = element.findall(
            "DeviceChain/MainSequencer/ClipTimeable/ArrangerAutomation/Events/MidiClip"
        )
        assert [float(c.get("Time")) for c in timeline] == [c.start for c in track.clips]
        for clip_elem, clip in zip(timeline, track.clips, strict=True):
            assert float(clip_elem.find("CurrentEnd").get("Value")) == clip.end
            assert len(clip_elem.findall(".//MidiNoteEvent")) == len(clip.notes)
        session = element.findall("DeviceChain/MainSequencer/ClipSlotList/ClipSlot")
        for clip in track.clips:
            slot = session[clip.section]
            placed = slot.find("ClipSlot/Value/MidiClip")
            assert placed is not None and placed.find("Name").get("Value") == clip.name
            assert placed.find("Loop/LoopOn").get("Value") == "true"


def test_time_signature_codes():
    assert time_signature_code(4, 4) == 201
    assert time_signature_code(3, 4) == 200
    assert time_signature_code(6, 8) == 302
    assert time_signature_code(7, 4) == 204
    for numerator, denominator in [(4, 4), (3, 4), (6, 8), (7, 8), (5, 4), (2, 2), (12, 16)]:
        assert decode_time_signature(time_signature_code(numerator, denominator)) == (
            numerator,
            denominator,
        )


# --------------------------------------------------------------------------- file format


def test_names_are_escaped_and_the_xml_is_live_shaped():
    arrangement = tiny()
    arrangement.tracks[0].name = 'Kick & "Snare" <1>'
    arrangement.sections[0].name = "Intro <A&B>"
    xml = als_xml(arrangement)
    assert xml.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<Ableton ')
    assert b'EffectiveName Value="Kick &amp; &quot;Snare&quot; &lt;1&gt;" />' in xml
    assert b"\n\t<LiveSet>\n\t\t<NextPointeeId Value=" in xml
    assert b"/>" not in xml.replace(b" />", b"")
    root = etree.fromstring(xml)
    assert root.find("LiveSet/Tracks/MidiTrack/Name/EffectiveName").get("Value") == (
        'Kick & "Snare" <1>'
    )


def test_gzip_container_is_deterministic():
    data = als_bytes(tiny())
    assert data[:4] == b"\x1f\x8b\x08\x00" and data[4:8] == b"\x00\x00\x00\x00"
    assert data[9] == 3  # OS byte as Live writes it on macOS
    assert gzip.decompress(data) == als_xml(tiny())
    assert als_bytes(tiny()) == data


def test_same_song_same_bytes_and_another_seed_another_set():
    first = als_bytes(song(seed=11, style="techno", key="Am"))
    again = als_bytes(song(seed=11, style="techno", key="Am").model_copy(deep=True))
    other = als_bytes(song(seed=12, style="techno", key="Am"))
    assert first == again
    assert first != other


def test_root_attributes_are_genuine_live_triples():
    for version, minor, creator in [
        ("11", "11.0_433", "Ableton Live 11.0.12"),
        ("12", "12.0_12120", "Ableton Live 12.1.1"),
    ]:
        root = parse(als_bytes(tiny(), version))
        assert root.get("MinorVersion") == minor and root.get("Creator") == creator
        assert list(root.attrib)[:2] == ["MajorVersion", "MinorVersion"]
        assert len(root.get("Revision")) == 40


def test_cloned_templates_equal_building_afresh():
    """Clips and tracks are cloned from cached templates for speed; the result must be exactly
    what the element-by-element builders produce."""
    from companion.als.clips import build_midi_clip, midi_clip
    from companion.als.profiles import LIVE_11, LIVE_12
    from companion.als.tracks import SongContext, build_track_skeleton, midi_track
    from companion.als.xmlkit import PointeeIds, serialize

    arrangement = song(style="house", bpm=124, key="Am")
    bass = arrangement.tracks[1]
    for profile in (LIVE_11, LIVE_12):
        for session in (True, False):
            for key in (None, parse_key("F#m")):
                cloned, built = etree.Element("P"), etree.Element("P")
                midi_clip(cloned, bass.clips[0], 3, 9, profile, (6, 8), key, session)
                build_midi_clip(built, bass.clips[0], 3, 9, profile, (6, 8), key, session)
                assert etree.tostring(cloned) == etree.tostring(built)

        def context(ids, profile=profile):
            return SongContext(
                profile=profile,
                ids=ids,
                scene_count=9,
                return_count=0,
                time_signature=(4, 4),
                key=parse_key("Am"),
            )

        placed = PointeeIds(500)  # the clips' notes are text placed in it, made at serialize
        cloned = midi_track(
            etree.Element("Tracks"),
            bass,
            12,
            context(placed),
            {c.section: i for i, c in enumerate(bass.clips)},
        )
        built = build_track_skeleton(
            etree.Element("Tracks"), 12, bass.name, bass.color, context(PointeeIds(500))
        )
        slots = built.findall("DeviceChain/MainSequencer/ClipSlotList/ClipSlot/ClipSlot/Value")
        events = built.find("DeviceChain/MainSequencer/ClipTimeable/ArrangerAutomation/Events")
        for clip in bass.clips:
            build_midi_clip(
                slots[clip.section],
                clip,
                0,
                bass.color,
                profile,
                (4, 4),
                parse_key("Am"),
                session=True,
            )
        for clip_id, clip in enumerate(bass.clips):
            build_midi_clip(
                events, clip, clip_id, bass.color, profile, (4, 4), parse_key("Am"), session=False
            )
        assert serialize(cloned, placed) == serialize(built)


def test_clip_and_notes_text_equal_the_serialized_elements():
    """A set's clips and notes are written as text at serialization, not built as elements: the
    text must be what serializing the elements gives, at any depth, with or without notes."""
    from companion.als.clips import NotesText, midi_clip, notes_block
    from companion.als.profiles import LIVE_11, LIVE_12
    from companion.als.xmlkit import PointeeIds, serialize, text_marker

    arrangement = song(style="house", bpm=124, key="Am")
    clips = [t.clips[0] for t in arrangement.tracks if t.clips]
    clips.append(Clip(name="silence", start=0, length=4))
    for profile in (LIVE_11, LIVE_12):
        for clip in clips:
            for depth in (0, 1, 5):
                texts, built = etree.Element("Root"), etree.Element("Root")
                ids = PointeeIds(1)
                for parents in ((texts, ids), (built, None)):
                    parent = parents[0]
                    for level in range(depth):
                        parent = etree.SubElement(parent, f"L{level}")
                    if parents[1] is None:
                        notes_block(parent, clip.notes, profile)
                    else:
                        parent.append(text_marker(ids, NotesText(clip.notes, profile)))
                assert serialize(texts, ids) == serialize(built), (clip.name, depth)
            named = clip.model_copy(update={"name": 'Drop & <"B">\tñ'})
            for session in (True, False):
                for key in (None, parse_key("F#m")):
                    with_text, without = etree.Element("P"), etree.Element("P")
                    ids = PointeeIds(1)
                    for one in (clip, named):  # whole clips as text, with their notes
                        midi_clip(with_text, one, 3, 9, profile, (6, 8), key, session, None, ids)
                        midi_clip(without, one, 3, 9, profile, (6, 8), key, session)
                    assert serialize(with_text, ids) == serialize(without)


def test_placed_simplers_equal_building_afresh(tmp_path):
    """Simplers are placed as pre-rendered fragments with their sample's values filled in; the
    serialized result must be exactly what the element-by-element builder gives, at any depth."""
    from companion.als.devices import PAD_VOICE, SimplerVoice, build_simpler, simpler
    from companion.als.profiles import LIVE_11, LIVE_12
    from companion.als.xmlkit import PointeeIds, serialize
    from companion.arrangement import AmpEnvelope, SampleFile, SampleLoop

    samples = [
        SampleFile(path="Samples/Imported/Kick 01.wav", frames=22050, sample_rate=44100),
        SampleFile(
            path="Samples/Imported/Pad & <Air>\tñ.aif",
            frames=1_234_567,
            sample_rate=48000,
            root_note=57,
            size=987_654,
            crc=0xBEEF,
            mtime=1_700_000_000,
        ),
        SampleFile(path="Samples/x.wav", frames=1, sample_rate=96000, root_note=0),
    ]

    def document(build, depth: int, args, profile, project_dir, voice) -> bytes:
        root = parent = etree.Element("Ableton")
        for level in range(depth):
            parent = etree.SubElement(parent, f"Level{level}")
        etree.SubElement(parent, "Before", Value="1")
        ids = PointeeIds(40)
        build(parent, *args, ids, profile, project_dir, voice)
        build(parent, *args, ids, profile, project_dir, voice)  # ids keep counting
        etree.SubElement(parent, "After", Value="2")
        return serialize(root, ids)

    voices = [
        PAD_VOICE,
        SimplerVoice(envelope=AmpEnvelope(attack_ms=5.0, release_ms=80.0), transpose=-3),
        SimplerVoice(
            envelope=AmpEnvelope(attack_ms=300.0, decay_ms=40.0, sustain=0.5, release_ms=1800.0),
            volume_db=-9.5,
            glide_ms=80.0,
            mono=True,
            filter_hz=3890.5,
        ),
    ]
    for profile in (LIVE_11, LIVE_12):
        for sample in samples:
            looped = SampleLoop(start=sample.frames // 2, end=sample.frames, crossfade=1)
            for voice in [*voices, SimplerVoice(loop=looped if sample.frames > 1 else None)]:
                for project_dir, depth in ((None, 0), (tmp_path / "Song Project", 7)):
                    args = (7, 'Pad "A" & <B>', sample)
                    placed = document(simpler, depth, args, profile, project_dir, voice)
                    built = document(build_simpler, depth, args, profile, project_dir, voice)
                    assert placed == built
                    assert b"musiaia:" not in placed and "\ue000".encode() not in placed


def test_whole_sets_with_placed_simplers_equal_building_afresh(monkeypatch):
    from companion.als import devices

    arrangement = with_instruments(style="house", bpm=124, key="Am")
    placed = {version: als_xml(arrangement, version) for version in (11, 12)}
    monkeypatch.setattr(devices, "simpler", devices.build_simpler)
    for version, xml in placed.items():
        assert xml == als_xml(arrangement, version)


def test_attribute_text_escapes_as_lxml_does():
    from companion.als.xmlkit import attribute_text, fmt

    for value in ["plain", 'a "b" & <c>', "tab\there", "line\nbreak\r", "ñandú 🎹", 12, 0.5, True]:
        expected = etree.tostring(etree.Element("v", v=fmt(value)), encoding="UTF-8")
        assert expected == b'<v v="' + attribute_text(value) + b'"/>'
    with pytest.raises(ValueError):
        attribute_text("bad\x01char")  # not XML: refused, as lxml refuses it


# --------------------------------------------------------------------------- instruments

INSTRUMENT_CASES = [
    pytest.param(dict(style="house", bpm=124, key="Am"), id="house"),
    pytest.param(dict(style="trap", key="Ebm"), id="trap"),
]


@needs_fixtures
@pytest.mark.conformance
@pytest.mark.parametrize("fields", INSTRUMENT_CASES)
@pytest.mark.parametrize("version,exact,family", VERSIONS)
def test_drum_rack_and_simplers_conform(fields, version, exact, family):
    root = parse(als_bytes(with_instruments(**fields), version))
    report = alsconform.unexplained(alsconform.check(root, exact, family), exact)
    assert report.ok, report.summary()


@pytest.mark.parametrize("version", ["11", "12"])
def test_instruments_round_trip_and_follow_live_rules(version, tmp_path):
    arrangement = with_instruments(style="house", bpm=124, key="Am")
    data = als_bytes(arrangement, version, project_dir=tmp_path / "House Project")
    assert parse_als(data) == arrangement
    root = parse(data)
    tracks = root.findall("LiveSet/Tracks/MidiTrack")
    drums = tracks[[t.role for t in arrangement.tracks].index("drums")]
    rack = drums.find("DeviceChain/DeviceChain/Devices/DrumGroupDevice")
    branches = rack.findall("Branches/DrumBranch")
    pads = arrangement.tracks[0].instrument.pads
    assert [128 - int(b.find("BranchInfo/ReceivingNote").get("Value")) for b in branches] == [
        p.note for p in pads
    ]
    chokes = {
        b.find("Name/EffectiveName").get("Value"): b.find("BranchInfo/ChokeGroup").get("Value")
        for b in branches
    }
    assert chokes["Closed Hat"] == chokes["Open Hat"] == "1" and chokes["Kick"] == "0"
    for branch, pad in zip(branches, pads, strict=True):
        simplers = branch.findall("DeviceChain/MidiToAudioDeviceChain/Devices/OriginalSimpler")
        assert len(simplers) == 1
        ref = simplers[0].find("Player/MultiSampleMap/SampleParts/MultiSamplePart/SampleRef")
        assert ref.find("FileRef/RelativePathType").get("Value") == "3"
        assert ref.find("FileRef/RelativePath").get("Value") == pad.sample.path
        assert ref.find("FileRef/Path").get("Value") == (
            (tmp_path / "House Project").as_posix() + "/" + pad.sample.path
        )
        assert simplers[0].find("Globals/PlaybackMode").get("Value") == "1"  # one-shot hits
    for element, track in zip(tracks, arrangement.tracks, strict=True):
        if track.role == "drums":
            continue
        simpler = element.find("DeviceChain/DeviceChain/Devices/OriginalSimpler")
        part = simpler.find("Player/MultiSampleMap/SampleParts/MultiSamplePart")
        assert int(part.find("RootKey").get("Value")) == track.instrument.sample.root_note
        assert part.find("SampleRef/DefaultDuration").get("Value") == str(
            track.instrument.sample.frames
        )
    pointees = [
        int(e.get("Id"))
        for e in root.iter()
        if isinstance(e.tag, str) and POINTEE.match(e.tag) and e.get("Id") is not None
    ]
    assert len(pointees) == len(set(pointees))
    assert max(pointees) < int(root.find("LiveSet/NextPointeeId").get("Value"))
