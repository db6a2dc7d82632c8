"""Building blocks Live repeats everywhere: parameters, routings, device headers, clip slots.

Each function appends one block to a parent element with Live's child order and default values.
Pointee ids come from the document's :class:`PointeeIds` so they are unique by construction.
"""

from __future__ import annotations

from typing import Any

from companion.als.profiles import LiveProfile
from companion.als.xmlkit import Element, PointeeIds, sub, values

VOLUME_MIN = 0.0003162277571  # -70 dB, Live's fader floor
VOLUME_MAX = 1.99526238  # +6 dB
MIDI_CONTROLLER_COUNT = 131  # ControllerTargets.0 .. .130 on every MIDI track
LOCKED_CONTROLLERS = frozenset({1, 11, 66})  # Live locks mod wheel, expression and sostenuto


def lock_target(parent: Element, tag: str, ids: PointeeIds, ident: int | None = None) -> Element:
    """``<AutomationTarget Id=...><LockEnvelope Value="0" /></AutomationTarget>`` and kin."""
    target = sub(parent, tag, Id=ids.take() if ident is None else ident)
    values(target, ("LockEnvelope", 0))
    return target


def bool_param(
    parent: Element, tag: str, manual: bool, ids: PointeeIds, target_id: int | None = None
) -> Element:
    param = sub(parent, tag)
    values(param, ("LomId", 0), ("Manual", manual))
    lock_target(param, "AutomationTarget", ids, target_id)
    thresholds = sub(param, "MidiCCOnOffThresholds")
    values(thresholds, ("Min", 64), ("Max", 127))
    return param


def float_param(
    parent: Element,
    tag: str,
    manual: float,
    low: float,
    high: float,
    ids: PointeeIds,
    target_ids: tuple[int, int] | None = None,
) -> Element:
    param = sub(parent, tag)
    values(param, ("LomId", 0), ("Manual", manual))
    controller_range = sub(param, "MidiControllerRange")
    values(controller_range, ("Min", low), ("Max", high))
    automation, modulation = target_ids if target_ids else (None, None)
    lock_target(param, "AutomationTarget", ids, automation)
    lock_target(param, "ModulationTarget", ids, modulation)
    return param


def enum_param(
    parent: Element, tag: str, manual: Any, ids: PointeeIds, target_id: int | None = None
) -> Element:
    param = sub(parent, tag)
    values(param, ("LomId", 0), ("Manual", manual))
    lock_target(param, "AutomationTarget", ids, target_id)
    return param


def routing(
    parent: Element, tag: str, target: str, upper: str, lower: str, profile: LiveProfile
) -> Element:
    elem = sub(parent, tag)
    values(elem, ("Target", target), ("UpperDisplayString", upper), ("LowerDisplayString", lower))
    if profile.mpe_settings:
        mpe = sub(elem, "MpeSettings")
        values(mpe, ("ZoneType", 0), ("FirstNoteChannel", 1), ("LastNoteChannel", 15))
    if profile.mpe_tuning:
        values(elem, ("MpePitchBendUsesTuning", True))
    return elem


STEREO_IN = ("AudioIn/External/S0", "Ext. In", "1/2")
MONO_IN = ("AudioIn/External/M0", "Ext. In", "1")  # what Live gives a new audio track


def routings(
    parent: Element,
    profile: LiveProfile,
    output: tuple[str, str, str],
    audio_input: tuple[str, str, str] = STEREO_IN,
) -> None:
    """The four routings every track has; ``output`` and ``audio_input`` are (target, upper,
    lower) display triples."""
    routing(parent, "AudioInputRouting", *audio_input, profile)
    routing(parent, "MidiInputRouting", "MidiIn/External.All/-1", "Ext: All Ins", "", profile)
    routing(parent, "AudioOutputRouting", *output, profile)
    routing(parent, "MidiOutputRouting", "MidiOut/None", "None", "", profile)


def device_header(
    parent: Element,
    ids: PointeeIds,
    profile: LiveProfile,
    on_target: int | None = None,
    pointee: int | None = None,
) -> None:
    """The prefix shared by Mixer, MainSequencer, FreezeSequencer and devices."""
    values(parent, ("LomId", 0), ("LomIdView", 0), ("IsExpanded", True))
    if profile.breakout:
        values(parent, ("BreakoutIsExpanded", False))
    bool_param(parent, "On", True, ids, on_target)
    values(parent, ("ModulationSourceCount", 0))
    sub(parent, "ParametersListWrapper", LomId=0)
    sub(parent, "Pointee", Id=ids.take() if pointee is None else pointee)
    values(parent, ("LastSelectedTimeableIndex", 0), ("LastSelectedClipEnvelopeIndex", 0))
    sub(sub(parent, "LastPresetRef"), "Value")
    sub(parent, "LockedScripts")
    values(
        parent,
        ("IsFolded", False),
        ("ShouldShowPresetName", False),
        ("UserName", ""),
        ("Annotation", ""),
    )
    sub(sub(parent, "SourceContext"), "Value")
    if profile.mpe_tuning:
        values(parent, ("MpePitchBendUsesTuning", True))


def automation_lanes(parent: Element, lane_height: int) -> None:
    lanes = sub(parent, "AutomationLanes")
    inner = sub(lanes, "AutomationLanes")
    lane = sub(inner, "AutomationLane", Id=0)
    values(
        lane,
        ("SelectedDevice", 0),
        ("SelectedEnvelope", 0),
        ("IsContentSelectedInDocument", False),
        ("LaneHeight", lane_height),
    )
    values(lanes, ("AreAdditionalAutomationLanesFolded", False))
    chooser = sub(parent, "ClipEnvelopeChooserViewState")
    values(
        chooser, ("SelectedDevice", 0), ("SelectedEnvelope", 0), ("PreferModulationVisible", False)
    )


def track_head(
    track: Element,
    profile: LiveProfile,
    name: str,
    color: int,
    content_selected: bool,
    unfolded: bool = True,
    user_name: str = "",
    tool_panel: int = 7,
) -> Element:
    """Children every track type starts with, up to (and including) the TakeLanes block."""
    if profile.tool_panel_attrs:  # Live 12.1 remembers the clip view's MIDI tools per track
        track.set("SelectedToolPanel", str(tool_panel))
        track.set("SelectedTransformationName", "")
        track.set("SelectedGeneratorName", "")
    values(
        track,
        ("LomId", 0),
        ("LomIdView", 0),
        ("IsContentSelectedInDocument", content_selected),
        ("PreferredContentViewMode", 0),
    )
    delay = sub(track, "TrackDelay")
    values(delay, ("Value", 0), ("IsValueSampleBased", False))
    name_elem = sub(track, "Name")
    values(
        name_elem,
        ("EffectiveName", name),
        ("UserName", user_name),
        ("Annotation", ""),
        ("MemorizedFirstClipName", ""),
    )
    values(track, ("Color", color))
    envelopes = sub(sub(track, "AutomationEnvelopes"), "Envelopes")
    values(track, ("TrackGroupId", -1), ("TrackUnfolded", unfolded))
    sub(track, "DevicesListWrapper", LomId=0)
    sub(track, "ClipSlotsListWrapper", LomId=0)
    if profile.arrangement_clips_wrapper:
        sub(track, "ArrangementClipsListWrapper", LomId=0)
    values(track, ("ViewData", "{}"))
    take_lanes = sub(track, "TakeLanes")
    sub(take_lanes, "TakeLanes")
    values(take_lanes, ("AreTakeLanesFolded", True))
    values(track, ("LinkedTrackGroupId", -1))
    return envelopes


def mixer_tail(
    mixer: Element,
    ids: PointeeIds,
    profile: LiveProfile,
    volume: float,
    pan: float,
    fixed: dict[str, int] | None = None,
    track_width: int = 93,
) -> None:
    """Speaker .. CrossFadeState: the part of every mixer after its Sends."""
    fixed = fixed or {}
    bool_param(mixer, "Speaker", True, ids, fixed.get("Speaker"))
    values(mixer, ("SoloSink", False), ("PanMode", 0))
    float_param(mixer, "Pan", pan, -1, 1, ids, _pair(fixed, "Pan"))
    float_param(mixer, "SplitStereoPanL", -1, -1, 1, ids)
    float_param(mixer, "SplitStereoPanR", 1, -1, 1, ids)
    float_param(mixer, "Volume", volume, VOLUME_MIN, VOLUME_MAX, ids, _pair(fixed, "Volume"))
    values(mixer, (profile.track_width_tag, track_width))
    enum_param(mixer, "CrossFadeState", 1, ids, fixed.get("CrossFadeState"))
    sub(mixer, "SendsListWrapper", LomId=0)


def _pair(fixed: dict[str, int], name: str) -> tuple[int, int] | None:
    if name in fixed:
        return fixed[name], fixed[name] + 1
    return None


def sends(mixer: Element, return_count: int, ids: PointeeIds, profile: LiveProfile) -> None:
    holder_list = sub(mixer, "Sends")
    for index in range(return_count):
        holder = sub(holder_list, "TrackSendHolder", Id=index)
        float_param(holder, "Send", VOLUME_MIN, VOLUME_MIN, 1, ids)
        values(holder, (profile.send_enabled_tag, True))


def empty_clip_slot(slot_list: Element, index: int) -> Element:
    """A clip slot; returns its ``Value`` element so a clip can be put inside."""
    slot = sub(slot_list, "ClipSlot", Id=index)
    values(slot, ("LomId", 0))
    value = sub(sub(slot, "ClipSlot"), "Value")
    values(slot, ("HasStop", True), ("NeedRefreeze", True))
    return value


def arranger_automation(parent: Element) -> Element:
    """``ArrangerAutomation{Events, AutomationTransformViewState}``; returns Events."""
    automation = sub(parent, "ArrangerAutomation")
    events = sub(automation, "Events")
    transform_state(automation)
    return events


def transform_state(parent: Element) -> None:
    state = sub(parent, "AutomationTransformViewState")
    values(state, ("IsTransformPending", False))
    sub(state, "TimeAndValueTransforms")


def audio_sequencer_tail(
    sequencer: Element,
    ids: PointeeIds,
    profile: LiveProfile,
    fixed_targets: list[int] | None = None,
) -> None:
    """Sample timeline and modulation targets of an audio (or freeze) sequencer."""
    arranger_automation(sub(sequencer, "Sample"))
    tags = ["VolumeModulationTarget", "TranspositionModulationTarget"]
    if profile.complex_pro_targets:
        tags.append("TransientEnvelopeModulationTarget")
    tags += ["GrainSizeModulationTarget", "FluxModulationTarget", "SampleOffsetModulationTarget"]
    if profile.complex_pro_targets:
        tags += ["ComplexProFormantsModulationTarget", "ComplexProEnvelopeModulationTarget"]
    fixed = list(fixed_targets or [])
    for tag in tags:
        legacy = tag not in (
            "TransientEnvelopeModulationTarget",
            "ComplexProFormantsModulationTarget",
            "ComplexProEnvelopeModulationTarget",
        )
        lock_target(sequencer, tag, ids, fixed.pop(0) if (fixed and legacy) else None)
    values(
        sequencer,
        ("PitchViewScrollPosition", -1073741824),
        ("SampleOffsetModulationScrollPosition", -1073741824),
    )


def follow_action(parent: Element) -> None:
    """Follow-action settings, as clips and scenes carry them (off, Live's defaults)."""
    follow = sub(parent, "FollowAction")
    values(
        follow,
        ("FollowTime", 4),
        ("IsLinked", True),
        ("LoopIterations", 1),
        ("FollowActionA", 4),
        ("FollowActionB", 0),
        ("FollowChanceA", 100),
        ("FollowChanceB", 0),
        ("JumpIndexA", 1),
        ("JumpIndexB", 1),
        ("FollowActionEnabled", False),
    )


def recorder(parent: Element, armed: bool = False, take_counter: int = 1) -> None:
    rec = sub(parent, "Recorder")
    values(rec, ("IsArmed", armed), ("TakeCounter", take_counter))
