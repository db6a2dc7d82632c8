"""Track elements: MIDI tracks holding the song, the main (master) track and the pre-hear track."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from lxml import etree

from companion.als import blocks, devices
from companion.als.clips import NotesText, midi_clip
from companion.als.codes import time_signature_code
from companion.als.profiles import LiveProfile
from companion.als.xmlkit import Element, PointeeIds, stamp, stamp_as_text, sub, values
from companion.arrangement import Track
from companion.music.theory import Key

# Live keeps the main track's parameters at these small, fixed pointee ids in every saved set
# (tempo 8 and time signature 10 are what the tempo/meter envelopes point at).
MAIN_FIXED = {"On": 1, "Speaker": 2, "Pan": 3, "Volume": 5, "CrossFadeState": 7}
MAIN_TEMPO_TARGET, MAIN_TIME_SIGNATURE_TARGET = 8, 10
PREHEAR_FIXED = {"On": 21, "Speaker": 22, "Pan": 23, "Volume": 25, "CrossFadeState": 27}
TIME_ORIGIN = -63072000  # Live's "before the song starts" event time


@dataclass(frozen=True)
class SongContext:
    """What every track builder needs to know about the song."""

    profile: LiveProfile
    ids: PointeeIds
    scene_count: int
    return_count: int
    time_signature: tuple[int, int]
    key: Key | None
    project_dir: Path | None = None  # where the set will live; absolute sample paths use it


def midi_track(
    parent: Element,
    track: Track,
    track_id: int,
    ctx: SongContext,
    session_clips: dict[int, int],
    label: str = "",
) -> Element:
    """A MIDI track with its clips on the timeline and in the scenes' slots.

    ``session_clips`` maps a scene index to the index of the clip (in ``track.clips``) to put there.
    The track's fixed structure (mixer, sequencers, 131 MIDI controller targets…) is cloned from a
    skeleton built once by :func:`build_track_skeleton`; its pointee ids are then renumbered in
    document order from the document's counter, exactly as building it afresh would number them.
    """
    elem = stamp(_skeleton(ctx.profile, ctx.scene_count, ctx.return_count), ctx.ids)
    elem.set("Id", str(track_id))
    elem.find("Name/EffectiveName").set("Value", track.name)
    elem.find("Name/UserName").set("Value", track.name)
    elem.find("Color").set("Value", str(track.color))
    if track.instrument is not None:
        devices.instrument(
            elem.find("DeviceChain/DeviceChain/Devices"),
            track.instrument,
            track.color,
            ctx.ids,
            ctx.profile,
            ctx.project_dir,
            track_id,
            label,
            track.role,
        )
    slots = elem.findall("DeviceChain/MainSequencer/ClipSlotList/ClipSlot/ClipSlot/Value")
    events = elem.find("DeviceChain/MainSequencer/ClipTimeable/ArrangerAutomation/Events")
    notes_cache: dict[int, Element | NotesText] = {}
    for scene in sorted(session_clips):
        midi_clip(
            slots[scene],
            track.clips[session_clips[scene]],
            0,
            track.color,
            ctx.profile,
            ctx.time_signature,
            ctx.key,
            session=True,
            notes_cache=notes_cache,
            ids=ctx.ids,
        )
    for clip_id, clip in enumerate(sorted(track.clips, key=lambda c: c.start)):
        midi_clip(
            events,
            clip,
            clip_id,
            track.color,
            ctx.profile,
            ctx.time_signature,
            ctx.key,
            session=False,
            notes_cache=notes_cache,
            ids=ctx.ids,
        )
    parent.append(elem)
    return elem


@lru_cache(maxsize=32)
def _skeleton(profile: LiveProfile, scene_count: int, return_count: int) -> Element:
    ctx = SongContext(
        profile=profile,
        ids=PointeeIds(0),
        scene_count=scene_count,
        return_count=return_count,
        time_signature=(4, 4),
        key=None,
    )
    skeleton = build_track_skeleton(etree.Element("Tracks"), 0, "", 0, ctx)
    # Nothing changes these after stamping: they go into the set as text.
    stamp_as_text(skeleton.find("DeviceChain/MainSequencer/MidiControllers"))
    stamp_as_text(skeleton.find("DeviceChain/FreezeSequencer"))
    return skeleton


def build_track_skeleton(
    parent: Element, track_id: int, name: str, color: int, ctx: SongContext
) -> Element:
    """Build a MIDI track without clips, element by element: the reference for its structure."""
    profile, ids = ctx.profile, ctx.ids
    elem, chain = playable_track_start(parent, "MidiTrack", track_id, name, color, ctx)
    sequencer = sub(chain, "MainSequencer")
    blocks.device_header(sequencer, ids, profile)
    slot_list = sub(sequencer, "ClipSlotList")
    for scene in range(ctx.scene_count):
        blocks.empty_clip_slot(slot_list, scene)
    values(sequencer, ("MonitoringEnum", 1))
    if profile.keep_record_monitoring_latency:
        values(sequencer, ("KeepRecordMonitoringLatency", True))
    blocks.arranger_automation(sub(sequencer, "ClipTimeable"))
    blocks.recorder(sequencer)
    controllers = sub(sequencer, "MidiControllers")
    for number in range(blocks.MIDI_CONTROLLER_COUNT):
        target = sub(controllers, f"ControllerTargets.{number}", Id=ids.take())
        values(target, ("LockEnvelope", 1 if number in blocks.LOCKED_CONTROLLERS else 0))

    freeze_and_devices(chain, ctx)

    values(elem, (profile.rewire_tag, 0), ("PitchbendRange", 96))
    if profile.tuning_fields:
        values(elem, ("IsTuned", True), ("ControllerLayoutRemoteable", 0))
        layout = sub(elem, "ControllerLayoutCustomization")
        values(
            layout,
            ("PitchClassSource", 0),
            ("OctaveSource", 2),
            ("KeyNoteTarget", 60),
            ("StepSize", 1),
            ("OctaveEvery", 12),
            ("AllowedKeys", 0),
            ("FillerKeysMapTo", 0),
        )
    return elem


def playable_track_start(
    parent: Element,
    tag: str,
    track_id: int,
    name: str,
    color: int,
    ctx: SongContext,
    audio_input: tuple[str, str, str] = blocks.STEREO_IN,
) -> tuple[Element, Element]:
    """What MIDI and audio tracks share up to their MainSequencer: head, freeze flags, routings
    and mixer. Returns the track and its DeviceChain."""
    profile, ids = ctx.profile, ctx.ids
    elem = sub(parent, tag, Id=track_id)
    blocks.track_head(elem, profile, name, color, content_selected=False, user_name=name)
    values(
        elem,
        ("SavedPlayingSlot", -1),
        ("SavedPlayingOffset", 0),
        ("Freeze", False),
    )
    if profile.velocity_detail:
        values(elem, ("VelocityDetail", 0))
    values(elem, ("NeedArrangerRefreeze", True), ("PostProcessFreezeClips", 0))
    chain = sub(elem, "DeviceChain")
    blocks.automation_lanes(chain, lane_height=68)
    main_out = (f"AudioOut/{profile.main_name}", profile.main_name, "")
    blocks.routings(chain, profile, main_out, audio_input)
    mixer = sub(chain, "Mixer")
    blocks.device_header(mixer, ids, profile)
    blocks.sends(mixer, ctx.return_count, ids, profile)
    blocks.mixer_tail(mixer, ids, profile, volume=1, pan=0)
    return elem, chain


def freeze_and_devices(chain: Element, ctx: SongContext) -> None:
    """The FreezeSequencer and the (empty) device list that close every playable track's chain."""
    audio_sequencer(sub(chain, "FreezeSequencer"), ctx)
    _device_chain(chain)


def audio_sequencer(sequencer: Element, ctx: SongContext) -> None:
    """A sequencer of audio clips: an audio track's MainSequencer and every FreezeSequencer."""
    blocks.device_header(sequencer, ctx.ids, ctx.profile)
    slot_list = sub(sequencer, "ClipSlotList")
    for scene in range(ctx.scene_count):
        blocks.empty_clip_slot(slot_list, scene)
    values(sequencer, ("MonitoringEnum", 1))
    if ctx.profile.keep_record_monitoring_latency:
        values(sequencer, ("KeepRecordMonitoringLatency", True))
    blocks.audio_sequencer_tail(sequencer, ctx.ids, ctx.profile)
    blocks.recorder(sequencer)


def _device_chain(chain: Element) -> Element:
    inner = sub(chain, "DeviceChain")
    devices = sub(inner, "Devices")
    sub(inner, "SignalModulations")
    return devices


def main_track(parent: Element, ctx: SongContext, bpm: float) -> Element:
    """The master (Live 11) / main (Live 12) track: tempo, meter and their envelopes."""
    profile, ids = ctx.profile, ctx.ids
    for fixed in (
        *MAIN_FIXED.values(),
        4,
        6,
        MAIN_TEMPO_TARGET,
        9,
        MAIN_TIME_SIGNATURE_TARGET,
        11,
        12,
        13,
        14,
        15,
        16,
        17,
        18,
        19,
        20,
    ):
        ids.reserve(fixed)
    code = time_signature_code(*ctx.time_signature)
    elem = sub(parent, profile.main_track_tag)
    envelopes = blocks.track_head(elem, profile, profile.main_name, 6, content_selected=False)
    _master_envelope(envelopes, 0, MAIN_TIME_SIGNATURE_TARGET, "EnumEvent", code)
    _master_envelope(envelopes, 1, MAIN_TEMPO_TARGET, "FloatEvent", bpm)
    chain = sub(elem, "DeviceChain")
    blocks.automation_lanes(chain, lane_height=85)
    blocks.routings(chain, profile, ("AudioOut/External/S0", "Ext. Out", "1/2"))
    mixer = sub(chain, "Mixer")
    blocks.device_header(mixer, ids, profile, on_target=MAIN_FIXED["On"])
    sub(mixer, "Sends")
    blocks.mixer_tail(mixer, ids, profile, volume=1, pan=0, fixed=MAIN_FIXED)
    tempo = blocks.float_param(
        mixer, "Tempo", bpm, min(60, bpm), max(200, bpm), ids, (MAIN_TEMPO_TARGET, 9)
    )
    del tempo
    blocks.enum_param(mixer, "TimeSignature", code, ids, MAIN_TIME_SIGNATURE_TARGET)
    blocks.float_param(mixer, "GlobalGrooveAmount", 100, 0, 131.25, ids, (11, 12))
    blocks.float_param(mixer, "CrossFade", 0, -1, 1, ids, (13, 14))
    values(mixer, ("TempoAutomationViewBottom", 60), ("TempoAutomationViewTop", 200))
    freeze = sub(sub(chain, "FreezeSequencer"), "AudioSequencer", Id=0)
    blocks.device_header(freeze, ids, profile, on_target=15)
    sub(freeze, "ClipSlotList")
    values(freeze, ("MonitoringEnum", 1))
    if profile.keep_record_monitoring_latency:
        values(freeze, ("KeepRecordMonitoringLatency", True))
    blocks.audio_sequencer_tail(freeze, ids, profile, fixed_targets=[16, 17, 18, 19, 20])
    blocks.recorder(freeze)
    _device_chain(chain)
    return elem


def _master_envelope(
    envelopes: Element, envelope_id: int, pointee: int, event_tag: str, value: float
) -> None:
    envelope = sub(envelopes, "AutomationEnvelope", Id=envelope_id)
    values(sub(envelope, "EnvelopeTarget"), ("PointeeId", pointee))
    automation = sub(envelope, "Automation")
    events = sub(automation, "Events")
    sub(events, event_tag, Id=envelope_id, Time=TIME_ORIGIN, Value=value)
    blocks.transform_state(automation)


def prehear_track(parent: Element, ctx: SongContext) -> Element:
    """The browser pre-listen track Live keeps in every set."""
    profile, ids = ctx.profile, ctx.ids
    for fixed in (*PREHEAR_FIXED.values(), 24, 26):
        ids.reserve(fixed)
    elem = sub(parent, "PreHearTrack")
    blocks.track_head(elem, profile, profile.main_name, -1, content_selected=False, unfolded=False)
    chain = sub(elem, "DeviceChain")
    blocks.automation_lanes(chain, lane_height=85)
    blocks.routings(chain, profile, ("AudioOut/External/S0", "Ext. Out", "1/2"))
    mixer = sub(chain, "Mixer")
    blocks.device_header(mixer, ids, profile, on_target=PREHEAR_FIXED["On"])
    sub(mixer, "Sends")
    blocks.mixer_tail(mixer, ids, profile, volume=1, pan=0, fixed=PREHEAR_FIXED, track_width=74)
    _device_chain(chain)
    return elem
