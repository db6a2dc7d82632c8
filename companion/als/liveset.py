"""The whole document: ``<Ableton><LiveSet>…`` with every child Live writes, in Live's order."""

from __future__ import annotations

from pathlib import Path

from companion.als import blocks, production, returns
from companion.als import tracks as track_builders
from companion.als.audio import audio_track
from companion.als.clips import grid, scale_information
from companion.als.codes import time_signature_code
from companion.als.metadata import metadata_annotation
from companion.als.profiles import LiveProfile
from companion.als.xmlkit import Element, PointeeIds, new_root, sub, values
from companion.arrangement import Arrangement

FIRST_POINTEE_ID = 16000  # above Live's fixed main/pre-hear ids, like real sets
FIRST_TRACK_ID = 8


def session_layout(arrangement: Arrangement) -> tuple[int, list[dict[int, int]]]:
    """Scenes and which clip of each track sits in which scene: one scene per section.

    Returns the scene count (at least 8, as in Live's default set) and, per track, a map scene →
    clip index. A clip belongs to the scene of its section; clips without a section go to the
    scene whose section starts at the clip's start, if any.
    """
    sections = arrangement.sections
    starts = {round(arrangement.section_start_beat(s), 6): i for i, s in enumerate(sections)}
    layout: list[dict[int, int]] = []
    for track in arrangement.tracks:
        slots: dict[int, int] = {}
        for index, clip in enumerate(track.clips):
            scene = clip.section if clip.section is not None else starts.get(round(clip.start, 6))
            if scene is not None and scene not in slots:
                slots[scene] = index
        layout.append(slots)
    return max(8, len(sections)), layout


def build_document(
    arrangement: Arrangement, profile: LiveProfile, project_dir: Path | None = None
) -> tuple[Element, PointeeIds]:
    """The set's element tree and its id allocator (which also holds the placed fragments that
    :func:`companion.als.xmlkit.serialize` renders in)."""
    ids = PointeeIds(FIRST_POINTEE_ID)
    key = arrangement.key_info
    scene_count, layout = session_layout(arrangement)
    ctx = track_builders.SongContext(
        profile=profile,
        ids=ids,
        scene_count=scene_count,
        return_count=len(arrangement.returns),
        time_signature=arrangement.time_signature,
        key=key,
        project_dir=project_dir,
    )
    root_attrs = {"MajorVersion": profile.major_version, "MinorVersion": profile.minor_version}
    if profile.schema_change_count is not None:
        root_attrs["SchemaChangeCount"] = profile.schema_change_count
    root = new_root("Ableton", **root_attrs, Creator=profile.creator, Revision=profile.revision)
    live_set = sub(root, "LiveSet")
    next_pointee = sub(live_set, "NextPointeeId", 0)  # set once everything is allocated
    values(
        live_set,
        ("OverwriteProtectionNumber", profile.overwrite_protection),
        ("LomId", 0),
        ("LomIdView", 0),
    )

    track_list = sub(live_set, "Tracks")
    track_ids = [FIRST_TRACK_ID + index for index in range(len(arrangement.tracks))]
    song = production.song_for(arrangement, ctx, track_ids)
    for index, track in enumerate(arrangement.tracks):
        if track.is_audio:
            elem = audio_track(track_list, track, track_ids[index], ctx, layout[index])
        else:
            elem = track_builders.midi_track(
                track_list,
                track,
                track_ids[index],
                ctx,
                layout[index],
                label=f"{index + 1}-{track.name}",
            )
        production.apply_track(elem, track, song, layout[index])
    production.add_returns(track_list, arrangement, song, FIRST_TRACK_ID + len(track_ids))
    main = track_builders.main_track(live_set, ctx, arrangement.bpm)
    production.apply_main(main, arrangement.main, song)
    track_builders.prehear_track(live_set, ctx)
    returns.sends_pre(live_set, len(arrangement.returns))  # one SendPreBool per return track
    _scenes(live_set, arrangement, scene_count)
    _transport(live_set, profile, arrangement)
    values(live_set, ("GlobalQuantisation", 4), ("AutoQuantisation", 0))
    grid(live_set, "Grid", snap=True, fixed=False)
    scale_information(live_set, key, profile)
    values(live_set, ("InKey", key is not None), ("SmpteFormat", 0))
    selection = sub(live_set, "TimeSelection")
    values(selection, ("AnchorTime", 0), ("OtherTime", 0))
    _sequencer_navigator(live_set)
    if profile.live_major == 11:
        values(live_set, ("ViewStateExtendedClipProperties", False))
    values(live_set, ("IsContentSplitterOpen", True), ("IsExpressionSplitterOpen", True))
    _expression_lanes(live_set, profile)
    values(live_set, ("ViewStateFxSlotCount", 4))
    if profile.release >= (12, 1):
        values(live_set, ("ViewStateSessionMixerVolumeSectionHeight", 120))
    else:
        values(live_set, ("ViewStateSessionMixerHeight", 120))
    if profile.live_major >= 12:
        values(
            live_set,
            ("ViewStateArrangerMixerVolumeSectionHeight", 120),
            ("ShouldSceneTempoAndTimeSignatureBeVisible", False),
            ("WaveformVerticalZoomFactor", 1),
            ("IsWaveformVerticalZoomActive", True),
        )
    _locators(live_set, arrangement)
    sub(live_set, "DetailClipKeyMidis")
    for wrapper in (
        "TracksListWrapper",
        "VisibleTracksListWrapper",
        "ReturnTracksListWrapper",
        "ScenesListWrapper",
        "CuePointsListWrapper",
    ):
        sub(live_set, wrapper, LomId=0)
    if profile.release >= (12, 1):
        values(live_set, ("SelectedDocumentViewInMainWindow", 0))
    else:
        values(live_set, ("ChooserBar", 0))
    values(
        live_set,
        ("Annotation", metadata_annotation(arrangement)),
        ("SoloOrPflSavedValue", True),
        ("SoloInPlace", True),
        ("CrossfadeCurve", 2),
        ("LatencyCompensation", 2),
        ("HighlightedTrackIndex", 0),
    )
    groove_pool = sub(live_set, "GroovePool")
    values(groove_pool, ("LomId", 0))
    sub(groove_pool, "Grooves")
    if profile.release >= (12, 1):
        values(groove_pool, ("DefaultGrooveId", -1))
        sub(groove_pool, "GroovesListWrapper", LomId=0)
    values(
        live_set,
        ("AutomationMode", False),
        ("SnapAutomationToGrid", True),
        ("ArrangementOverdub", False),
        ("ColorSequenceIndex", 0),
    )
    values(
        sub(live_set, "AutoColorPickerForPlayerAndGroupTracks"),
        ("NextColorIndex", len(arrangement.tracks) % 14),
    )
    picker = (
        "AutoColorPickerForReturnAndMasterTracks"
        if profile.live_major == 11
        else "AutoColorPickerForReturnAndMainTracks"
    )
    values(sub(live_set, picker), ("NextColorIndex", 0))
    values(
        live_set,
        ("ViewData", "{}"),
        ("ResetNonautomatedMidiControllersOnClipStarts", False),
        ("MidiFoldIn", False),
        ("MidiFoldMode", 0),
        ("MultiClipFocusMode", False),
        ("MultiClipLoopBarHeight", 0),
        ("MidiPrelisten", False),
    )
    sub(live_set, "LinkedTrackGroups")
    if profile.live_major >= 12:
        values(live_set, ("NoteSpellingPreference", 0))
    values(
        live_set,
        ("AccidentalSpellingPreference", 3),
        ("PreferFlatRootNote", key is not None and key.prefers_flats),
        ("UseWarperLegacyHiQMode", False),
    )
    sub(
        live_set,
        "VideoWindowRect",
        Top=-2147483648,
        Left=-2147483648,
        Bottom=-2147483648,
        Right=-2147483648,
    )
    values(live_set, ("ShowVideoWindow", True))
    if profile.live_major >= 12:
        sub(live_set, "TuningSystems")
    values(live_set, ("TrackHeaderWidth", 93))
    if profile.live_major == 11:
        values(
            live_set,
            ("ViewStateArrangerHasDetail", True),
            ("ViewStateSessionHasDetail", True),
            ("ViewStateDetailIsSample", False),
        )
    else:
        values(
            live_set,
            ("ViewStateMainWindowClipDetailOpen", False),
            ("ViewStateMainWindowHiddenOtherDocViewTypeClipDetailOpen", True),
            ("ViewStateMainWindowHiddenOtherDocViewTypeDeviceDetailOpen", False),
            ("ViewStateMainWindowDeviceDetailOpen", True),
            ("ViewStateSecondWindowClipDetailOpen", False),
            ("ViewStateSecondWindowDeviceDetailOpen", False),
        )
    _view_states(live_set, profile)
    if profile.live_major >= 12:
        _note_algorithms(live_set)
    next_pointee.set("Value", str(ids.next_free))
    return root, ids


def _scenes(live_set: Element, arrangement: Arrangement, scene_count: int) -> None:
    scenes = sub(live_set, "Scenes")
    code = time_signature_code(*arrangement.time_signature)
    for index in range(scene_count):
        scene = sub(scenes, "Scene", Id=index)
        blocks.follow_action(scene)
        name = arrangement.sections[index].name if index < len(arrangement.sections) else ""
        values(
            scene,
            ("Name", name),
            ("Annotation", ""),
            ("Color", -1),
            ("Tempo", arrangement.bpm),
            ("IsTempoEnabled", False),
            ("TimeSignatureId", code),
            ("IsTimeSignatureEnabled", False),
            ("LomId", 0),
        )
        sub(scene, "ClipSlotsListWrapper", LomId=0)


def _transport(live_set: Element, profile: LiveProfile, arrangement: Arrangement) -> None:
    transport = sub(live_set, "Transport")
    loop_length = min(arrangement.length_beats, 16 * arrangement.beats_per_bar)
    values(
        transport,
        ("PhaseNudgeTempo", 10),
        ("LoopOn", False),
        ("LoopStart", 0),
        ("LoopLength", loop_length),
        ("LoopIsSongStart", False),
        ("CurrentTime", 0),
        ("PunchIn", False),
        ("PunchOut", False),
        ("MetronomeTickDuration", 0),
        ("DrawMode", False),
    )
    if profile.live_major == 11:
        sub(sub(live_set, "SongMasterValues"), "SessionScrollerPos", X=0, Y=0)
    else:
        sub(live_set, "SessionScrollPos", X=0, Y=0)
    sub(live_set, "SignalModulations")


def _sequencer_navigator(live_set: Element) -> None:
    navigator = sub(live_set, "SequencerNavigator")
    values(sub(navigator, "BeatTimeHelper"), ("CurrentZoom", 0.25))
    sub(navigator, "ScrollerPos", X=0, Y=0)
    sub(navigator, "ClientSize", X=1200, Y=700)


def _expression_lanes(live_set: Element, profile: LiveProfile) -> None:
    tag = profile.expression_lane_tag
    expression = sub(live_set, "ExpressionLanes")
    for index, minimized in enumerate((False, False, True, True)):
        lane = sub(expression, tag, Id=index)
        values(lane, ("Type", index), ("Size", 41), ("IsMinimized", minimized))
    content = sub(live_set, "ContentLanes")
    for index, (lane_type, size, minimized) in enumerate(((4, 41, False), (5, 25, True))):
        lane = sub(content, tag, Id=index)
        values(lane, ("Type", lane_type), ("Size", size), ("IsMinimized", minimized))


def _locators(live_set: Element, arrangement: Arrangement) -> None:
    """A locator named after each section, at its first beat."""
    outer = sub(live_set, "Locators")
    inner = sub(outer, "Locators")
    for index, section in enumerate(arrangement.sections):
        locator = sub(inner, "Locator", Id=index)
        values(
            locator,
            ("LomId", 0),
            ("Time", arrangement.section_start_beat(section)),
            ("Name", section.name),
            ("Annotation", ""),
            ("IsSongStart", False),
        )


def _view_states(live_set: Element, profile: LiveProfile) -> None:
    states = sub(live_set, "ViewStates")
    if profile.live_major == 11:
        values(
            states,
            ("SessionIO", 1),
            ("SessionSends", 1),
            ("SessionReturns", 1),
            ("SessionMixer", 1),
            ("SessionTrackDelay", 0),
            ("SessionCrossFade", 0),
            ("SessionShowOverView", 0),
            ("ArrangerIO", 1),
            ("ArrangerReturns", 1),
            ("ArrangerMixer", 1),
            ("ArrangerTrackDelay", 0),
            ("ArrangerShowOverView", 1),
        )
    else:
        values(
            states,
            ("MixerInArrangement", 0),
            ("ArrangerMixerIO", 1),
            ("ArrangerMixerSends", 1),
            ("ArrangerMixerReturns", 1),
            ("ArrangerMixerVolume", 1),
            ("ArrangerMixerTrackOptions", 0),
            ("ArrangerMixerCrossFade", 0),
            ("ArrangerMixerTrackPerformanceImpactMeter", 0),
            ("MixerInSession", 1),
            ("SessionIO", 1),
            ("SessionSends", 1),
            ("SessionReturns", 1),
            ("SessionVolume", 1),
            ("SessionTrackOptions", 0),
            ("SessionCrossFade", 0),
            ("SessionTrackPerformanceImpactMeter", 0),
            ("SessionShowOverView", 0),
            ("ArrangerIO", 1),
            ("ArrangerReturns", 1),
            ("ArrangerVolume", 1),
            ("ArrangerTrackOptions", 0),
            ("ArrangerShowOverView", 1),
        )


def _remoteables(algorithm: Element, first_id: int, names: tuple[str, ...]) -> None:
    """Live 12.1 lists which MIDI-tool settings a controller can map, by name."""
    remoteables = sub(algorithm, "NamedKeyMidiRemoteables")
    for offset, name in enumerate(names):
        sub(remoteables, "NamedRemoteableKeyMidi", Id=first_id + offset, Name=name)


def _note_algorithms(live_set: Element) -> None:
    """Live 12.1's MIDI Tools (generators and transformations) at their defaults."""
    algorithms = sub(live_set, "NoteAlgorithms")
    arpeggiate = sub(algorithms, "ArpeggiateAlgorithm", Id=0)
    _remoteables(arpeggiate, 15, ("Rate", "Steps", "Distance", "Gate", "Style"))
    values(arpeggiate, ("Rate", 10), ("Steps", 2), ("Distance", 12), ("Gate", 1), ("Style", 0))
    span = sub(algorithms, "SpanAlgorithm", Id=1)
    _remoteables(span, 9, ("Mode", "LengthVariation", "LengthOffset"))
    values(span, ("Mode", 1), ("ChordThreshold", 10), ("LengthVariation", 0), ("LengthOffset", 0))
    connect = sub(algorithms, "ConnectAlgorithm", Id=2)
    _remoteables(connect, 12, ("Tie", "Density", "Spread", "Rate"))
    values(connect, ("Tie", 0), ("Density", 1), ("Spread", 0), ("Rate", 0))
    ornament = sub(algorithms, "OrnamentAlgorithm", Id=3)
    _remoteables(
        ornament,
        27,
        (
            "FlamEnabled",
            "FlamPosition",
            "FlamVelocity",
            "GraceNotesEnabled",
            "GraceNotesChance",
            "GraceNotesVelocity",
            "GraceNotesPosition",
            "GraceNotesAmount",
            "GraceNotesPitch",
        ),
    )
    values(
        ornament,
        ("FlamEnabled", True),
        ("FlamPosition", -0.200000003),
        ("FlamVelocity", 0.5),
        ("GraceNotesEnabled", False),
        ("GraceNotesChance", 1),
        ("GraceNotesVelocity", 0.5),
        ("GraceNotesPosition", -0.200000003),
        ("GraceNotesAmount", 3),
        ("GraceNotesPitch", 1),
    )
    recombine = sub(algorithms, "RecombineAlgorithm", Id=4)
    _remoteables(recombine, 15, ("Dimension", "Shuffle", "Mirror", "RotateAmount", "RotateOnGrid"))
    values(
        recombine,
        ("PermutedDimension", 0),
        ("Shuffle", False),
        ("Mirror", False),
        ("RotateAmount", 0),
        ("RotateOnGrid", False),
    )
    quantize = sub(algorithms, "QuantizeAlgorithm", Id=5)
    _remoteables(
        quantize,
        15,
        (
            "TripletReference",
            "QuantizeReference",
            "Amount",
            "QuantizeNoteStarts",
            "QuantizeNoteEnds",
        ),
    )
    values(
        quantize,
        ("Reference", 0),
        ("TripletReference", False),
        ("QuantizeNoteStarts", True),
        ("QuantizeNoteEnds", False),
        ("Amount", 100),
    )
    strum = sub(algorithms, "StrumAlgorithm", Id=6)
    _remoteables(strum, 12, ("Threshold", "Low", "High", "Tension"))
    values(strum, ("ChordThreshold", 0), ("StrumLow", 0), ("StrumHigh", 0), ("TensionAmount", 0))
    warp = sub(algorithms, "TimeWarpAlgorithm", Id=7)
    _remoteables(
        warp,
        63,
        (
            "StretchNoteEnd",
            "PreserveTimeRange",
            "Quantize",
            "Value1",
            "Time1",
            "IsActive1",
            "Value2",
            "Time2",
            "IsActive2",
            "Value3",
            "Time3",
            "IsActive3",
        ),
    )
    breakpoints = sub(warp, "Breakpoints")
    for index, (time, active) in enumerate(((0, True), (0.5, False), (1, True))):
        values(
            sub(breakpoints, "Breakpoint", Id=index),
            ("Value", 0.5),
            ("Time", time),
            ("Control1X", 0.5),
            ("Control1Y", 0.5),
            ("Control2X", 0.5),
            ("Control2Y", 0.5),
            ("IsActive", active),
        )
    values(warp, ("StretchNoteEnd", True), ("PreserveTimeRange", True), ("Quantize", False))
    rhythm = sub(algorithms, "RhythmAlgorithm", Id=8)
    _remoteables(
        rhythm,
        42,
        (
            "Density",
            "Repetitions",
            "Pattern",
            "Steps",
            "Pitch",
            "Velocity",
            "Accent",
            "Period",
            "Offset",
            "Shift",
            "StepDuration",
            "Split",
            "VelocityOffsetIncrement",
            "VelocityOffsetDecrement",
        ),
    )
    values(
        rhythm,
        ("Density", 4),
        ("Repetitions", 1),
        ("Pattern", 14),
        ("PatternLength", 8),
        ("Pitch", 36),
        ("Velocity", 100),
        ("Accent", 127),
        ("Period", 4),
        ("Offset", 0),
        ("Shift", 0),
        ("StepDuration", 7),
        ("Split", 0),
    )
    stacks = sub(algorithms, "StacksAlgorithm", Id=9)
    _remoteables(
        stacks,
        36,
        (
            "AppendChord",
            "DeleteSelectedChord",
            "RootPitch1",
            "Inversion1",
            "Rule1",
            "Duration1",
            "Offset1",
        ),
    )
    chord = sub(sub(stacks, "Sequence"), "Chord", Id=0)
    values(
        chord,
        ("RootDegree", 0),
        ("Octave", 3),
        ("RootPitch", 60),
        ("Inversion", 0),
        ("RuleNumber", 0),
        ("Duration", 1),
        ("Offset", 0),
    )
    shape = sub(algorithms, "ShapeAlgorithm", Id=10)
    _remoteables(
        shape,
        21,
        ("ShapePresets", "Rate", "Tie", "Density", "MinPitch", "MaxPitch", "PitchVariation"),
    )
    levels = sub(shape, "ShapeLevels")
    for index in range(21):
        sub(levels, "RemoteableFloat", Id=index, Value=round(index * 0.05, 10))
    values(
        shape,
        ("ShapePresets", 2),
        ("Rate", 0),
        ("Tie", 0),
        ("Density", 1),
        ("MinPitch", 60),
        ("MaxPitch", 84),
        ("PitchVariation", 0),
    )
    seed = sub(algorithms, "SeedAlgorithm", Id=11)
    _remoteables(
        seed,
        24,
        (
            "Density",
            "MinPitch",
            "MaxPitch",
            "MinDuration",
            "MaxDuration",
            "MinVelocity",
            "MaxVelocity",
            "VerticalLimit",
        ),
    )
    values(
        seed,
        ("NotesDensity", 0.5),
        ("MinPitch", 60),
        ("MaxPitch", 84),
        ("MinDuration", -6),
        ("MaxDuration", -3),
        ("MinVelocity", 30),
        ("MaxVelocity", 100),
        ("VerticalLimit", 4),
    )
    pitch_filter = sub(algorithms, "PitchFilterAlgorithm", Id=12)
    sub(pitch_filter, "NamedKeyMidiRemoteables")
    classes = sub(pitch_filter, "PitchClasses")
    for index in range(12):
        sub(classes, "RemoteableBool", Id=index, Value=False)
    values(pitch_filter, ("DrumPad", 128), ("Invert", False))
    time_filter = sub(algorithms, "TimeFilterAlgorithm", Id=13)
    sub(time_filter, "NamedKeyMidiRemoteables")
    values(time_filter, ("Start", 0), ("Length", 0.25), ("Repeat", 0), ("Invert", False))
