"""Instruments in the set: Simpler with a sample, and a Drum Rack whose pads each hold a Simpler.

Element for element this follows what Live writes for these devices (see the real sets in
../shared/fixtures/als and tests/alsconform.py). Samples are referenced relative to the Live
Project folder (RelativePathType 3, "Samples/Imported/…"), the way Live's "Collect All and Save"
leaves them, with the absolute path as a second hint.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path, PurePosixPath

from lxml import etree

from companion.als import blocks
from companion.als.profiles import LiveProfile
from companion.als.xmlkit import Element, Fragment, PointeeIds, place, sub, values
from companion.arrangement import DrumPad, Instrument, SampleFile

PROJECT_RELATIVE = 3  # FileRef/RelativePathType: relative to the Live Project folder
DRUM_RECEIVING_BASE = 128  # a Drum Rack pad for MIDI note n stores ReceivingNote 128 - n
MACRO_COUNT = 16
WARP_MARKER_BEAT = 0.03125  # Live's second warp marker on every sample


def _absolute(sample: SampleFile, project_dir: Path | None) -> str:
    return (project_dir / PurePosixPath(sample.path)).as_posix() if project_dir else ""


def file_ref(parent: Element, sample: SampleFile, project_dir: Path | None) -> None:
    ref = sub(parent, "FileRef")
    absolute = _absolute(sample, project_dir)
    values(
        ref,
        ("RelativePathType", PROJECT_RELATIVE),
        ("RelativePath", sample.path),
        ("Path", absolute),
        ("Type", 1),
        ("LivePackName", ""),
        ("LivePackId", ""),
        ("OriginalFileSize", sample.size),
        ("OriginalCrc", sample.crc),
    )


def sample_ref(
    parent: Element, sample: SampleFile, project_dir: Path | None, profile: LiveProfile
) -> None:
    ref = sub(parent, "SampleRef")
    file_ref(ref, sample, project_dir)
    values(ref, ("LastModDate", sample.mtime))
    sub(ref, "SourceContext")
    values(
        ref,
        ("SampleUsageHint", 0),
        ("DefaultDuration", sample.frames),
        ("DefaultSampleRate", sample.sample_rate),
    )
    if profile.release >= (12, 1):
        values(ref, ("SamplesToAutoWarp", 0))


def _range(parent: Element, tag: str, low: int, high: int) -> None:
    elem = sub(parent, tag)
    values(elem, ("Min", low), ("Max", high), ("CrossfadeMin", low), ("CrossfadeMax", high))


def _loop(parent: Element, tag: str, end: int, mode: int) -> None:
    elem = sub(parent, tag)
    values(elem, ("Start", 0), ("End", end), ("Mode", mode), ("Crossfade", 0), ("Detune", 0))


def _empty_slot(parent: Element, tag: str, ids: PointeeIds, on: bool = False) -> None:
    elem = sub(parent, tag)
    blocks.bool_param(elem, "IsOn", on, ids)
    sub(sub(elem, "Slot"), "Value")


def _time_signature(parent: Element) -> None:
    signatures = sub(sub(parent, "TimeSignature"), "TimeSignatures")
    remoteable = sub(signatures, "RemoteableTimeSignature", Id=0)
    values(remoteable, ("Numerator", 4), ("Denominator", 4), ("Time", 0))


def _beat_grid(parent: Element) -> None:
    grid = sub(parent, "BeatGrid")
    values(
        grid,
        ("FixedNumerator", 1),
        ("FixedDenominator", 16),
        ("GridIntervalPixel", 20),
        ("Ntoles", 2),
        ("SnapToGrid", True),
        ("Fixed", False),
    )


def _envelope_times(
    parent: Element,
    ids: PointeeIds,
    attack_ms: float,
    decay_ms: float,
    sustain: float,
    release_ms: float,
    level_floor: float,
) -> None:
    """The ADSR block Simpler uses for volume (level_floor -70 dB) and filter (floor 0)."""
    blocks.float_param(parent, "AttackTime", attack_ms, 0.1000000015, 20000, ids)
    blocks.float_param(parent, "AttackLevel", level_floor, level_floor, 1, ids)
    blocks.float_param(parent, "AttackSlope", 0, -1, 1, ids)
    blocks.float_param(parent, "DecayTime", decay_ms, 1, 60000, ids)
    blocks.float_param(parent, "DecayLevel", 1, level_floor, 1, ids)
    blocks.float_param(parent, "DecaySlope", 1, -1, 1, ids)
    blocks.float_param(parent, "SustainLevel", sustain, level_floor, 1, ids)
    blocks.float_param(parent, "ReleaseTime", release_ms, 1, 60000, ids)
    blocks.float_param(parent, "ReleaseLevel", level_floor, level_floor, 1, ids)
    blocks.float_param(parent, "ReleaseSlope", 1, -1, 1, ids)
    blocks.enum_param(parent, "LoopMode", 0, ids)
    blocks.float_param(parent, "LoopTime", 100.000031, 0.200000003, 20000, ids)
    blocks.float_param(parent, "RepeatTime", 3, 0, 14, ids)
    blocks.float_param(parent, "TimeVelScale", 0, -100, 100, ids)
    values(parent, ("CurrentOverlay", 0))


def _mod_connections(parent: Element, tag: str, feedback: bool = False) -> None:
    elem = sub(parent, tag)
    for index in range(2):
        connection = sub(elem, f"ModConnections.{index}")
        values(connection, ("Amount", 0), ("Connection", 0))
    if feedback:
        values(elem, ("Feedback", 0))


def _simpler_filter(parent: Element, ids: PointeeIds) -> None:
    """Simpler's filter, open (low-pass at 22 kHz) so the sample is heard as it is."""
    filt = sub(parent, "Filter")
    blocks.bool_param(filt, "IsOn", True, ids)
    value = sub(sub(filt, "Slot"), "Value")
    simpler_filter = sub(value, "SimplerFilter", Id=0)
    blocks.enum_param(simpler_filter, "LegacyType", 0, ids)
    blocks.enum_param(simpler_filter, "Type", 0, ids)
    blocks.enum_param(simpler_filter, "CircuitLpHp", 0, ids)
    blocks.enum_param(simpler_filter, "CircuitBpNoMo", 0, ids)
    blocks.bool_param(simpler_filter, "Slope", False, ids)
    blocks.float_param(simpler_filter, "Freq", 22000, 30, 22000, ids)
    blocks.float_param(simpler_filter, "LegacyQ", 0.6999999881, 0.3000000119, 10, ids)
    blocks.float_param(simpler_filter, "Res", 0, 0, 1.25, ids)
    blocks.float_param(simpler_filter, "X", 0, 0, 1, ids)
    blocks.float_param(simpler_filter, "Drive", 0, 0, 24, ids)
    envelope = sub(simpler_filter, "Envelope")
    _envelope_times(envelope, ids, 0.1000000015, 599.999878, 0, 50.0000038, 0)
    blocks.bool_param(envelope, "IsOn", False, ids)
    blocks.float_param(envelope, "Amount", 0, -72, 72, ids)
    values(envelope, ("ScrollPosition", 0))
    blocks.float_param(simpler_filter, "ModByPitch", 1, 0, 1, ids)
    blocks.float_param(simpler_filter, "ModByVelocity", 0, 0, 1, ids)
    blocks.float_param(simpler_filter, "ModByLfo", 0, 0, 24, ids)


def simpler(
    parent: Element,
    device_id: int,
    name: str,
    sample: SampleFile,
    one_shot: bool,
    ids: PointeeIds,
    profile: LiveProfile,
    project_dir: Path | None,
    release_ms: float = 300.0,
    attack_ms: float = 0.1000000015,
) -> None:
    """An OriginalSimpler playing ``sample`` (pitched around its root note unless one-shot).

    A set holds dozens of Simplers (one per drum pad) that differ only in their sample, so the
    device is placed as a :class:`Fragment` rendered once from :func:`build_simpler`, with the
    sample's own values filled into its holes.
    """
    last_frame = max(0, sample.frames - 1)
    values = (
        device_id,
        name,
        sample.name,
        sample.root_note,
        last_frame,
        last_frame,
        last_frame,
        sample.path,
        _absolute(sample, project_dir),
        sample.size,
        sample.crc,
        sample.mtime,
        sample.frames,
        sample.sample_rate,
        1 / sample.sample_rate,
    )
    place(parent, _simpler_fragment(profile, one_shot, release_ms, attack_ms), ids, values)


_PART = "Player/MultiSampleMap/SampleParts/MultiSamplePart/"
_SIMPLER_HOLES = (
    (".", "Id"),
    ("UserName", "Value"),
    (_PART + "Name", "Value"),
    (_PART + "RootKey", "Value"),
    (_PART + "SampleEnd", "Value"),
    (_PART + "SustainLoop/End", "Value"),
    (_PART + "ReleaseLoop/End", "Value"),
    (_PART + "SampleRef/FileRef/RelativePath", "Value"),
    (_PART + "SampleRef/FileRef/Path", "Value"),
    (_PART + "SampleRef/FileRef/OriginalFileSize", "Value"),
    (_PART + "SampleRef/FileRef/OriginalCrc", "Value"),
    (_PART + "SampleRef/LastModDate", "Value"),
    (_PART + "SampleRef/DefaultDuration", "Value"),
    (_PART + "SampleRef/DefaultSampleRate", "Value"),
    (_PART + "SlicePoints/SlicePoint", "TimeInSeconds"),
)
_TEMPLATE_SAMPLE = SampleFile(path="Samples/template.wav", frames=1, sample_rate=1)


@lru_cache(maxsize=64)
def _simpler_fragment(
    profile: LiveProfile, one_shot: bool, release_ms: float, attack_ms: float
) -> Fragment:
    template = build_simpler(
        etree.Element("Devices"),
        0,
        "",
        _TEMPLATE_SAMPLE,
        one_shot,
        PointeeIds(0),
        profile,
        None,
        release_ms,
        attack_ms,
    )
    return Fragment(template, _SIMPLER_HOLES)


def build_simpler(
    parent: Element,
    device_id: int,
    name: str,
    sample: SampleFile,
    one_shot: bool,
    ids: PointeeIds,
    profile: LiveProfile,
    project_dir: Path | None,
    release_ms: float = 300.0,
    attack_ms: float = 0.1000000015,
) -> Element:
    """Build an OriginalSimpler element by element: the reference for its structure."""
    device = sub(parent, "OriginalSimpler", Id=device_id)
    blocks.device_header(device, ids, profile)
    values(device, ("OverwriteProtectionNumber", profile.overwrite_protection))
    header_user_name = device.find("UserName")
    header_user_name.set("Value", name)

    player = sub(device, "Player")
    sample_map = sub(player, "MultiSampleMap")
    part_attrs: dict[str, object] = {"Id": 0}
    if profile.release >= (12, 1):
        part_attrs["InitUpdateAreSlicesFromOnsetsEditableAfterRead"] = False
    part_attrs.update(HasImportedSlicePoints=True, NeedsAnalysisData=True)
    part = sub(sub(sample_map, "SampleParts"), "MultiSamplePart", **part_attrs)
    last_frame = max(0, sample.frames - 1)
    values(
        part,
        ("LomId", 0),
        ("Name", sample.name),
        ("Selection", True),
        ("IsActive", True),
        ("Solo", False),
    )
    _range(part, "KeyRange", 0, 127)
    _range(part, "VelocityRange", 1, 127)
    _range(part, "SelectorRange", 0, 127)
    values(
        part,
        ("RootKey", sample.root_note),
        ("Detune", 0),
        ("TuneScale", 100),
        ("Panorama", 0),
        ("Volume", 1),
        ("Link", False),
        ("SampleStart", 0),
        ("SampleEnd", last_frame),
    )
    _loop(part, "SustainLoop", last_frame, 0)
    _loop(part, "ReleaseLoop", last_frame, 3)
    sample_ref(part, sample, project_dir, profile)
    values(
        part,
        ("SlicingThreshold", 100),
        ("SlicingBeatGrid", 4),
        ("SlicingRegions", 8),
        ("SlicingStyle", 0),
    )
    warp = sub(part, "SampleWarpProperties")
    markers = sub(warp, "WarpMarkers")
    sub(markers, "WarpMarker", Id=0, SecTime=0, BeatTime=0)
    sub(markers, "WarpMarker", Id=1, SecTime=WARP_MARKER_BEAT * 60 / 120, BeatTime=WARP_MARKER_BEAT)
    values(
        warp,
        ("WarpMode", 0),
        ("GranularityTones", 30),
        ("GranularityTexture", 65),
        ("FluctuationTexture", 25),
        ("ComplexProFormants", 100),
        ("ComplexProEnvelope", 128),
        ("TransientResolution", 6),
        ("TransientLoopMode", 2),
        ("TransientEnvelope", 100),
        ("IsWarped", False),
    )
    onsets = sub(warp, "Onsets")
    sub(onsets, "UserOnsets")
    values(onsets, ("HasUserOnsets", False))
    _time_signature(warp)
    _beat_grid(warp)
    if profile.release >= (12, 1):
        sub(part, "InitialSlicePointsFromOnsets")
    slices = sub(part, "SlicePoints")  # Live always keeps a first slice just after the start
    sub(slices, "SlicePoint", TimeInSeconds=1 / sample.sample_rate, Rank=0, NormalizedEnergy=1)
    for tag in ("ManualSlicePoints", "BeatSlicePoints", "RegionSlicePoints"):
        sub(part, tag)
    values(part, ("UseDynamicBeatSlices", True), ("UseDynamicRegionSlices", True))
    if profile.release >= (12, 1):
        values(part, ("AreSlicesFromOnsetsEditable", True))
    values(sample_map, ("LoadInRam", False), ("LayerCrossfade", 0))
    sub(sample_map, "SourceContext")
    if profile.release >= (12, 1):
        values(
            sample_map,
            ("RoundRobin", False),
            ("RoundRobinMode", 0),
            ("RoundRobinResetPeriod", 0),
            ("RoundRobinRandomSeed", 0),
        )

    modulators = sub(player, "LoopModulators")
    values(modulators, ("IsModulated", True))
    blocks.float_param(modulators, "SampleStart", 0, 0, 1, ids)
    blocks.float_param(modulators, "SampleLength", 1, 0, 1, ids)
    blocks.bool_param(modulators, "LoopOn", False, ids)
    blocks.float_param(modulators, "LoopLength", 1, 0, 1, ids)
    blocks.float_param(modulators, "LoopFade", 0, 0, 1, ids)
    blocks.bool_param(player, "Reverse", False, ids)
    blocks.bool_param(player, "Snap", True, ids)
    blocks.float_param(player, "SampleSelector", 0, 0, 127, ids)
    _empty_slot(player, "SubOsc", ids)
    values(player, ("InterpolationMode", 1), ("UseConstPowCrossfade", True))

    pitch = sub(device, "Pitch")
    blocks.float_param(pitch, "TransposeKey", 0, -48, 48, ids)
    blocks.float_param(pitch, "TransposeFine", 0, -50, 50, ids)
    blocks.float_param(pitch, "PitchLfoAmount", 0, 0, 1, ids)
    _empty_slot(pitch, "Envelope", ids)
    values(pitch, ("ScrollPosition", -1073741824))

    _simpler_filter(device, ids)
    _empty_slot(device, "Shaper", ids)

    volume = sub(device, "VolumeAndPan")
    blocks.float_param(volume, "Volume", -6, -36, 36, ids)
    blocks.float_param(volume, "VolumeVelScale", 0.3499999940, 0, 1, ids)
    blocks.float_param(volume, "VolumeKeyScale", 0, -1, 1, ids)
    blocks.float_param(volume, "VolumeLfoAmount", 0, 0, 1, ids)
    blocks.float_param(volume, "Panorama", 0, -1, 1, ids)
    blocks.float_param(volume, "PanoramaKeyScale", 0, -1, 1, ids)
    blocks.float_param(volume, "PanoramaRnd", 0, 0, 1, ids)
    blocks.float_param(volume, "PanoramaLfoAmount", 0, 0, 1, ids)
    envelope = sub(volume, "Envelope")
    _envelope_times(envelope, ids, attack_ms, 1, 1, release_ms, 0.0003162277571)
    one_shot_envelope = sub(volume, "OneShotEnvelope")
    blocks.float_param(one_shot_envelope, "FadeInTime", 0, 0, 2000, ids)
    blocks.enum_param(one_shot_envelope, "SustainMode", 0, ids)
    blocks.float_param(one_shot_envelope, "FadeOutTime", 0.1000000015, 0, 2000, ids)

    _empty_slot(device, "AuxEnv", ids)
    _empty_slot(device, "Lfo", ids)
    _empty_slot(device, "AuxLfos.0", ids)
    _empty_slot(device, "AuxLfos.1", ids)
    _mod_connections(device, "KeyDst")
    _mod_connections(device, "VelDst")
    _mod_connections(device, "RelVelDst")
    for index in range(6):
        _mod_connections(device, f"MidiCtrl.{index}", feedback=True)

    globals_ = sub(device, "Globals")
    values(
        globals_,
        ("NumVoices", 5),
        ("NumVoicesEnvTimeControl", False),
        ("RetriggerMode", True),
        ("ModulationResolution", 2),
    )
    blocks.float_param(globals_, "SpreadAmount", 0, 0, 100, ids)
    blocks.float_param(globals_, "KeyZoneShift", 0, -48, 48, ids)
    blocks.enum_param(globals_, "PortamentoMode", 0, ids)
    blocks.float_param(globals_, "PortamentoTime", 50.0000153, 0.1000000015, 10000, ids)
    values(globals_, ("PitchBendRange", 5), ("MpePitchBendRange", 48), ("ScrollPosition", 0))
    env_scale = sub(globals_, "EnvScale")
    blocks.float_param(env_scale, "EnvTime", 0, -100, 100, ids)
    blocks.float_param(env_scale, "EnvTimeKeyScale", 0, -100, 100, ids)
    blocks.bool_param(env_scale, "EnvTimeIncludeAttack", True, ids)
    values(
        globals_, ("IsSimpler", True), ("PlaybackMode", 1 if one_shot else 0), ("LegacyMode", False)
    )
    view = sub(device, "ViewSettings")
    values(
        view,
        ("SelectedPage", 0),
        ("ZoneEditorVisible", False),
        ("Seconds", False),
        ("SelectedSampleChannel", 0),
        ("VerticalSampleZoom", 1),
        ("IsAutoSelectEnabled", False),
        ("SimplerBreakoutVisible", False),
    )
    values(sub(device, "SimplerSlicing"), ("PlaybackMode", 0))
    return device


def _macros(rack: Element, ids: PointeeIds) -> None:
    values(rack, ("NumVisibleMacroControls", 8))
    for index in range(MACRO_COUNT):
        blocks.float_param(rack, f"MacroControls.{index}", 0, 0, 127, ids)
    for index in range(MACRO_COUNT):
        values(rack, (f"MacroDisplayNames.{index}", f"Macro {index + 1}"))
    for index in range(MACRO_COUNT):
        values(rack, (f"MacroDefaults.{index}", 0))
    for index in range(MACRO_COUNT):
        values(rack, (f"MacroAnnotations.{index}", ""))
    for index in range(MACRO_COUNT):
        values(rack, (f"ForceDisplayGenericValue.{index}", False))


def drum_branch(
    parent: Element,
    branch_id: int,
    pad: DrumPad,
    color: int,
    ids: PointeeIds,
    profile: LiveProfile,
    project_dir: Path | None,
    routing: tuple[str, str, str],
) -> Element:
    """One pad of the rack: a chain holding a one-shot Simpler, listening on the pad's note."""
    branch = sub(parent, "DrumBranch", Id=branch_id)
    values(branch, ("LomId", 0))
    name = sub(branch, "Name")
    values(
        name,
        ("EffectiveName", pad.name),
        ("UserName", ""),
        ("Annotation", ""),
        ("MemorizedFirstClipName", ""),
    )
    values(branch, ("IsSelected", False))
    chain = sub(sub(branch, "DeviceChain"), "MidiToAudioDeviceChain", Id=0)
    devices = sub(chain, "Devices")
    simpler(devices, 0, pad.name, pad.sample, True, ids, profile, project_dir, release_ms=1000.0)
    sub(chain, "SignalModulations")
    selector = sub(branch, "BranchSelectorRange")
    values(selector, ("Min", 0), ("Max", 0), ("CrossfadeMin", 0), ("CrossfadeMax", 0))
    values(
        branch,
        ("IsSoloed", False),
        ("SessionViewBranchWidth", 55),
        ("IsHighlightedInSessionView", False),
    )
    sub(sub(branch, "SourceContext"), "Value")
    values(
        branch,
        ("Color", color),
        ("AutoColored", True),
        ("AutoColorScheme", 0),
        ("SoloActivatedInSessionMixer", False),
    )
    sub(branch, "DevicesListWrapper", LomId=0)
    mixer = sub(branch, "MixerDevice")
    blocks.device_header(mixer, ids, profile)
    values(mixer, ("OverwriteProtectionNumber", profile.overwrite_protection))
    blocks.bool_param(mixer, "Speaker", True, ids)
    blocks.float_param(mixer, "Volume", 0.7943282127, blocks.VOLUME_MIN, blocks.VOLUME_MAX, ids)
    blocks.float_param(mixer, "Panorama", 0, -1, 1, ids)
    sub(mixer, "SendInfos")
    helper = sub(mixer, "RoutingHelper")
    blocks.routing(helper, "Routable", *routing, profile)
    values(helper, ("TargetEnum", 1))
    sub(mixer, "SendsListWrapper", LomId=0)
    info = sub(branch, "BranchInfo")
    values(
        info,
        ("ReceivingNote", DRUM_RECEIVING_BASE - pad.note),
        ("SendingNote", 60),
        ("ChokeGroup", pad.choke_group),
    )
    return branch


def drum_rack(
    parent: Element,
    device_id: int,
    name: str,
    pads: list[DrumPad],
    color: int,
    ids: PointeeIds,
    profile: LiveProfile,
    project_dir: Path | None,
    track_id: int,
    track_label: str,
) -> Element:
    """A Drum Rack (DrumGroupDevice) with one branch per pad, as the first device on a track."""
    rack = sub(parent, "DrumGroupDevice", Id=device_id)
    blocks.device_header(rack, ids, profile)
    rack.find("UserName").set("Value", name)
    values(rack, ("OverwriteProtectionNumber", profile.overwrite_protection))
    branches = sub(rack, "Branches")
    routing = (
        f"AudioOut/Track.{track_id}/DeviceIn.0.R0,ChainIn",
        track_label,
        f"{name} | Chain In",
    )
    for branch_id, pad in enumerate(sorted(pads, key=lambda p: p.note)):
        drum_branch(branches, branch_id, pad, color, ids, profile, project_dir, routing)
    values(
        rack,
        ("IsBranchesListVisible", False),
        ("IsReturnBranchesListVisible", False),
        ("IsRangesEditorVisible", False),
        ("AreDevicesVisible", True),
    )
    _macros(rack, ids)
    values(rack, ("AreMacroControlsVisible", False), ("IsAutoSelectEnabled", True))
    blocks.float_param(rack, "ChainSelector", 0, 0, 127, ids)
    values(rack, ("ChainSelectorRelativePosition", -1073741824), ("ViewsToRestoreWhenUnfolding", 0))
    sub(rack, "ReturnBranches")
    values(rack, ("BranchesSplitterProportion", 0.5), ("ShowBranchesInSessionMixer", False))
    for index in range(MACRO_COUNT):
        values(rack, (f"MacroColor.{index}", -1))
    values(rack, ("LockId", 0), ("LockSeal", 0))
    sub(rack, "ChainsListWrapper", LomId=0)
    sub(rack, "ReturnChainsListWrapper", LomId=0)
    sub(sub(rack, "MacroVariations"), "MacroSnapshots")
    for index in range(MACRO_COUNT):
        values(rack, (f"ExcludeMacroFromRandomization.{index}", False))
    for index in range(MACRO_COUNT):
        values(rack, (f"ExcludeMacroFromSnapshots.{index}", False))
    values(
        rack,
        ("AreMacroVariationsControlsVisible", False),
        ("ChainSelectorFilterMidiCtrl", False),
        ("RangeTypeIndex", 1),
        ("ShowsZonesInsteadOfNoteNames", True),
        ("IsMidiSectionVisible", False),
        ("AreSendsVisible", False),
        ("ArePadsVisible", True),
        ("PadScrollPosition", 9),
    )
    sub(rack, "DrumPadsListWrapper", LomId=0)
    sub(rack, "VisibleDrumPadsListWrapper", LomId=0)
    return rack


def instrument(
    parent: Element,
    spec: Instrument,
    color: int,
    ids: PointeeIds,
    profile: LiveProfile,
    project_dir: Path | None,
    track_id: int,
    track_label: str,
    role: str,
) -> None:
    """The device for a track's instrument spec, appended to its Devices list."""
    if spec.kind == "drum_rack":
        drum_rack(
            parent,
            0,
            spec.name,
            list(spec.pads),
            color,
            ids,
            profile,
            project_dir,
            track_id,
            track_label,
        )
        return
    attack, release = ENVELOPES.get(role, (0.1000000015, 300.0))
    assert spec.sample is not None
    simpler(
        parent,
        0,
        spec.name,
        spec.sample,
        spec.one_shot,
        ids,
        profile,
        project_dir,
        release_ms=release,
        attack_ms=attack,
    )


# (attack ms, release ms) per role: pads swell and ring, plucks and bass stay tight.
ENVELOPES: dict[str, tuple[float, float]] = {
    "bass": (0.1000000015, 120.0),
    "lead": (2.0, 250.0),
    "arp": (0.1000000015, 180.0),
    "chords": (2.0, 400.0),
    "pads": (300.0, 1800.0),
    "vocals": (1.0, 200.0),
    "fx": (0.1000000015, 2000.0),
}
