"""Instruments in the set: Simpler with a sample, and a Drum Rack whose pads each hold a Simpler.

Element for element this follows what Live writes for these devices (see the real sets in
../shared/fixtures/als and tests/alsconform.py). Samples are referenced relative to the Live
Project folder (RelativePathType 3, "Samples/Imported/…"), the way Live's "Collect All and Save"
leaves them, with the absolute path as a second hint.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path, PurePosixPath

from lxml import etree

from companion.als import blocks, racks
from companion.als.profiles import LiveProfile
from companion.als.xmlkit import Element, Fragment, PointeeIds, place, sub, values
from companion.arrangement import AmpEnvelope, DrumPad, Instrument, SampleFile, SampleLoop

PROJECT_RELATIVE = 3  # FileRef/RelativePathType: relative to the Live Project folder
DRUM_RECEIVING_BASE = 128  # a Drum Rack pad for MIDI note n stores ReceivingNote 128 - n
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


def _simpler_filter(parent: Element, ids: PointeeIds, freq: float = 22000.0) -> None:
    """Simpler's low-pass (open at 22 kHz: the sample as it is; lower for darker moods)."""
    filt = sub(parent, "Filter")
    blocks.bool_param(filt, "IsOn", True, ids)
    value = sub(sub(filt, "Slot"), "Value")
    simpler_filter = sub(value, "SimplerFilter", Id=0)
    blocks.enum_param(simpler_filter, "LegacyType", 0, ids)
    blocks.enum_param(simpler_filter, "Type", 0, ids)
    blocks.enum_param(simpler_filter, "CircuitLpHp", 0, ids)
    blocks.enum_param(simpler_filter, "CircuitBpNoMo", 0, ids)
    blocks.bool_param(simpler_filter, "Slope", False, ids)
    blocks.float_param(simpler_filter, "Freq", freq, 30, 22000, ids)
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


DEFAULT_ENVELOPE = AmpEnvelope()


@dataclass(frozen=True, slots=True)
class SimplerVoice:
    """How a Simpler plays its sample: what an :class:`Instrument` (or a drum pad) sets."""

    one_shot: bool = False
    loop: SampleLoop | None = None
    envelope: AmpEnvelope = DEFAULT_ENVELOPE
    volume_db: float = -6.0
    glide_ms: float = 0.0
    mono: bool = False
    filter_hz: float = 22000.0
    transpose: int = 0

    @classmethod
    def of(cls, spec: Instrument, loop: SampleLoop | None = None) -> SimplerVoice:
        return cls(
            one_shot=spec.one_shot,
            loop=loop,
            envelope=spec.envelope,
            volume_db=spec.volume_db,
            glide_ms=spec.glide_ms,
            mono=spec.mono,
            filter_hz=spec.filter_hz,
        )


PAD_VOICE = SimplerVoice(one_shot=True, envelope=AmpEnvelope(release_ms=1000.0))
NUM_VOICES = 5  # Simpler's voice chooser index (what Live writes by default); 0 is one voice
PORTAMENTO_OFF = 50.0000153  # Live's default glide time, kept while glide is off
GLIDE = 1  # PortamentoMode: 0 off, 1 glide


def loop_modulators(loop: SampleLoop | None, frames: int) -> tuple[bool, float, float, float]:
    """Simpler's loop as Live stores it (LoopOn, SampleLength, LoopLength, LoopFade): the played
    region ends at the loop's end (a fraction of the sample), the loop is the end part of that
    region (a fraction of it) and the fade a fraction of the loop. Real sets with the loop on
    (Live 10.1 and 11.3) keep SustainLoop at the whole sample with Mode 0 and set these."""
    if loop is None:
        return False, 1.0, 1.0, 0.0
    length = loop.end - loop.start
    return True, loop.end / frames, length / loop.end, loop.crossfade / length


def _voice_values(voice: SimplerVoice, frames: int) -> tuple:
    loop_on, sample_length, loop_length, loop_fade = loop_modulators(
        None if voice.one_shot else voice.loop, frames
    )
    envelope = voice.envelope
    return (
        sample_length,
        loop_on,
        loop_length,
        loop_fade,
        voice.transpose,
        voice.filter_hz,
        voice.volume_db,
        envelope.attack_ms,
        envelope.decay_ms,
        envelope.sustain,
        envelope.release_ms,
        0 if voice.mono else NUM_VOICES,
        GLIDE if voice.glide_ms > 0 else 0,
        max(0.1000000015, voice.glide_ms) if voice.glide_ms > 0 else PORTAMENTO_OFF,
        1 if voice.one_shot else 0,
    )


def simpler(
    parent: Element,
    device_id: int,
    name: str,
    sample: SampleFile,
    ids: PointeeIds,
    profile: LiveProfile,
    project_dir: Path | None,
    voice: SimplerVoice = SimplerVoice(),
) -> None:
    """An OriginalSimpler playing ``sample`` (pitched around its root note unless one-shot).

    A set holds dozens of Simplers (one per drum pad) that differ only in their sample and
    settings, so the device is placed as a :class:`Fragment` rendered once from
    :func:`build_simpler`, with the sample's and the voice's values filled into its holes.
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
        *_voice_values(voice, sample.frames),
    )
    place(parent, _simpler_fragment(profile), ids, values)


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
    ("Player/LoopModulators/SampleLength/Manual", "Value"),
    ("Player/LoopModulators/LoopOn/Manual", "Value"),
    ("Player/LoopModulators/LoopLength/Manual", "Value"),
    ("Player/LoopModulators/LoopFade/Manual", "Value"),
    ("Pitch/TransposeKey/Manual", "Value"),
    ("Filter/Slot/Value/SimplerFilter/Freq/Manual", "Value"),
    ("VolumeAndPan/Volume/Manual", "Value"),
    ("VolumeAndPan/Envelope/AttackTime/Manual", "Value"),
    ("VolumeAndPan/Envelope/DecayTime/Manual", "Value"),
    ("VolumeAndPan/Envelope/SustainLevel/Manual", "Value"),
    ("VolumeAndPan/Envelope/ReleaseTime/Manual", "Value"),
    ("Globals/NumVoices", "Value"),
    ("Globals/PortamentoMode/Manual", "Value"),
    ("Globals/PortamentoTime/Manual", "Value"),
    ("Globals/PlaybackMode", "Value"),
)
_TEMPLATE_SAMPLE = SampleFile(path="Samples/template.wav", frames=1, sample_rate=1)


@lru_cache(maxsize=8)
def _simpler_fragment(profile: LiveProfile) -> Fragment:
    template = build_simpler(
        etree.Element("Devices"), 0, "", _TEMPLATE_SAMPLE, PointeeIds(0), profile, None
    )
    return Fragment(template, _SIMPLER_HOLES)


def build_simpler(
    parent: Element,
    device_id: int,
    name: str,
    sample: SampleFile,
    ids: PointeeIds,
    profile: LiveProfile,
    project_dir: Path | None,
    voice: SimplerVoice = SimplerVoice(),
) -> Element:
    """Build an OriginalSimpler element by element: the reference for its structure."""
    (
        sample_length,
        loop_on,
        loop_length,
        loop_fade,
        transpose,
        filter_hz,
        volume_db,
        attack_ms,
        decay_ms,
        sustain,
        release_ms,
        num_voices,
        portamento_mode,
        portamento_time,
        playback_mode,
    ) = _voice_values(voice, sample.frames)
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
    blocks.float_param(modulators, "SampleLength", sample_length, 0, 1, ids)
    blocks.bool_param(modulators, "LoopOn", loop_on, ids)
    blocks.float_param(modulators, "LoopLength", loop_length, 0, 1, ids)
    blocks.float_param(modulators, "LoopFade", loop_fade, 0, 1, ids)
    blocks.bool_param(player, "Reverse", False, ids)
    blocks.bool_param(player, "Snap", True, ids)
    blocks.float_param(player, "SampleSelector", 0, 0, 127, ids)
    _empty_slot(player, "SubOsc", ids)
    values(player, ("InterpolationMode", 1), ("UseConstPowCrossfade", True))

    pitch = sub(device, "Pitch")
    blocks.float_param(pitch, "TransposeKey", transpose, -48, 48, ids)
    blocks.float_param(pitch, "TransposeFine", 0, -50, 50, ids)
    blocks.float_param(pitch, "PitchLfoAmount", 0, 0, 1, ids)
    _empty_slot(pitch, "Envelope", ids)
    values(pitch, ("ScrollPosition", -1073741824))

    _simpler_filter(device, ids, filter_hz)
    _empty_slot(device, "Shaper", ids)

    volume = sub(device, "VolumeAndPan")
    blocks.float_param(volume, "Volume", volume_db, -36, 36, ids)
    blocks.float_param(volume, "VolumeVelScale", 0.3499999940, 0, 1, ids)
    blocks.float_param(volume, "VolumeKeyScale", 0, -1, 1, ids)
    blocks.float_param(volume, "VolumeLfoAmount", 0, 0, 1, ids)
    blocks.float_param(volume, "Panorama", 0, -1, 1, ids)
    blocks.float_param(volume, "PanoramaKeyScale", 0, -1, 1, ids)
    blocks.float_param(volume, "PanoramaRnd", 0, 0, 1, ids)
    blocks.float_param(volume, "PanoramaLfoAmount", 0, 0, 1, ids)
    envelope = sub(volume, "Envelope")
    _envelope_times(envelope, ids, attack_ms, decay_ms, sustain, release_ms, 0.0003162277571)
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
        ("NumVoices", num_voices),
        ("NumVoicesEnvTimeControl", False),
        ("RetriggerMode", True),
        ("ModulationResolution", 2),
    )
    blocks.float_param(globals_, "SpreadAmount", 0, 0, 100, ids)
    blocks.float_param(globals_, "KeyZoneShift", 0, -48, 48, ids)
    blocks.enum_param(globals_, "PortamentoMode", portamento_mode, ids)
    blocks.float_param(globals_, "PortamentoTime", portamento_time, 0.1000000015, 10000, ids)
    values(globals_, ("PitchBendRange", 5), ("MpePitchBendRange", 48), ("ScrollPosition", 0))
    env_scale = sub(globals_, "EnvScale")
    blocks.float_param(env_scale, "EnvTime", 0, -100, 100, ids)
    blocks.float_param(env_scale, "EnvTimeKeyScale", 0, -100, 100, ids)
    blocks.bool_param(env_scale, "EnvTimeIncludeAttack", True, ids)
    values(globals_, ("IsSimpler", True), ("PlaybackMode", playback_mode), ("LegacyMode", False))
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
    """One pad of the rack: a chain holding a one-shot Simpler, listening on the pad's note,
    with the pad's own fader, pan and tuning."""
    branch = racks.branch_head(parent, "DrumBranch", branch_id, pad.name, False)
    chain, devices = racks.chain_devices(branch)
    voice = replace(PAD_VOICE, transpose=pad.transpose)
    simpler(devices, 0, pad.name, pad.sample, ids, profile, project_dir, voice)
    racks.branch_tail(branch, chain, color, ids, profile, pad.volume_db, pad.pan, routing, 1)
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
    rack, branches = racks.rack_head(parent, "DrumGroupDevice", device_id, name, ids, profile)
    routing = (
        f"AudioOut/Track.{track_id}/DeviceIn.0.R0,ChainIn",
        track_label,
        f"{name} | Chain In",
    )
    for branch_id, pad in enumerate(sorted(pads, key=lambda p: p.note)):
        drum_branch(branches, branch_id, pad, color, ids, profile, project_dir, routing)
    racks.rack_body(rack, ids, shows_zones=True)
    values(
        rack,
        ("IsMidiSectionVisible", False),
        ("AreSendsVisible", False),
        ("ArePadsVisible", True),
        ("PadScrollPosition", 9),
    )
    sub(rack, "DrumPadsListWrapper", LomId=0)
    sub(rack, "VisibleDrumPadsListWrapper", LomId=0)
    return rack


def instrument_rack(
    parent: Element,
    device_id: int,
    spec: Instrument,
    color: int,
    ids: PointeeIds,
    profile: LiveProfile,
    project_dir: Path | None,
) -> Element:
    """A multi-sampled instrument as Live holds one: an Instrument Rack whose chains each hold a
    Simpler with one zone's sample and loop, playing only the keys and velocities of its zone
    (a hard split: each range's crossfade edges are its own ends, as Live writes an unfaded
    zone)."""
    rack, branches = racks.rack_head(
        parent, "InstrumentGroupDevice", device_id, spec.name, ids, profile
    )
    for branch_id, zone in enumerate(spec.zones):
        branch = racks.branch_head(
            branches, "InstrumentBranch", branch_id, zone.sample.name, branch_id == 0
        )
        chain, devices = racks.chain_devices(branch)
        voice = SimplerVoice.of(spec, zone.loop)
        simpler(devices, 0, zone.sample.name, zone.sample, ids, profile, project_dir, voice)
        racks.branch_tail(branch, chain, color, ids, profile, 0.0, 0.0, racks.NO_OUTPUT, 0)
        zones = sub(branch, "ZoneSettings")
        racks.range_values(zones, "KeyRange", zone.low, zone.high)
        racks.range_values(zones, "VelocityRange", zone.velocity_low, zone.velocity_high)
    racks.rack_body(rack, ids, shows_zones=False)
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
    elif spec.kind == "multi":
        instrument_rack(parent, 0, spec, color, ids, profile, project_dir)
    else:
        assert spec.sample is not None
        voice = SimplerVoice.of(spec, spec.loop)
        simpler(parent, 0, spec.name, spec.sample, ids, profile, project_dir, voice)
