"""Return tracks, element for element as Live writes them (Squishy123 test_multi and the
MenkeTechnologies template for 11.0, Zorroinvader's jam for 12.1).

A return has the common track head (folded), the four routings (out to the main track), a mixer
whose sends to the returns are off, its devices, and a FreezeSequencer with no clip slots; its
DeviceChain comes before the FreezeSequencer, the other way round from a MIDI or audio track.
Live shows a return as "A-Reverb": the letter of its place, then its name.
"""

from __future__ import annotations

import string
from functools import lru_cache

from lxml import etree

from companion.als import blocks
from companion.als.profiles import LiveProfile
from companion.als.tracks import SongContext
from companion.als.xmlkit import Element, PointeeIds, stamp, sub, values
from companion.arrangement import ReturnTrack


def return_letter(index: int) -> str:
    """A, B, … Z, then AA, AB… (Live allows 12 returns)."""
    letters = string.ascii_uppercase
    return letters[index] if index < 26 else letters[index // 26 - 1] + letters[index % 26]


def display_name(index: int, name: str) -> str:
    return f"{return_letter(index)}-{name}"


def return_track(
    parent: Element, spec: ReturnTrack, index: int, track_id: int, ctx: SongContext
) -> Element:
    """A ReturnTrack, stamped from a skeleton built once by :func:`build_return_skeleton`."""
    elem = stamp(_skeleton(ctx.profile, ctx.return_count), ctx.ids)
    elem.set("Id", str(track_id))
    elem.find("Name/EffectiveName").set("Value", display_name(index, spec.name))
    elem.find("Name/UserName").set("Value", spec.name)
    elem.find("Color").set("Value", str(spec.color))
    parent.append(elem)
    return elem


@lru_cache(maxsize=16)
def _skeleton(profile: LiveProfile, return_count: int) -> Element:
    ctx = SongContext(
        profile=profile,
        ids=PointeeIds(0),
        scene_count=0,
        return_count=return_count,
        time_signature=(4, 4),
        key=None,
    )
    return build_return_skeleton(etree.Element("Tracks"), 0, "", 0, ctx)


def build_return_skeleton(
    parent: Element, track_id: int, name: str, color: int, ctx: SongContext
) -> Element:
    """Build a return track element by element: the reference for its structure."""
    profile, ids = ctx.profile, ctx.ids
    elem = sub(parent, "ReturnTrack", Id=track_id)
    blocks.track_head(
        elem, profile, name, color, content_selected=False, unfolded=False, user_name=name
    )
    chain = sub(elem, "DeviceChain")
    blocks.automation_lanes(chain, lane_height=85)
    main_out = (f"AudioOut/{profile.main_name}", profile.main_name, "")
    blocks.routings(chain, profile, main_out)
    mixer = sub(chain, "Mixer")
    blocks.device_header(mixer, ids, profile)
    blocks.sends(mixer, ctx.return_count, ids, profile)
    for holder in mixer.iterfind("Sends/TrackSendHolder"):
        holder.find(profile.send_enabled_tag).set("Value", "false")
    blocks.mixer_tail(mixer, ids, profile, volume=1, pan=0)
    inner = sub(chain, "DeviceChain")
    sub(inner, "Devices")
    sub(inner, "SignalModulations")
    sequencer = sub(chain, "FreezeSequencer")
    blocks.device_header(sequencer, ids, profile)
    sub(sequencer, "ClipSlotList")
    values(sequencer, ("MonitoringEnum", 1))
    if profile.keep_record_monitoring_latency:
        values(sequencer, ("KeepRecordMonitoringLatency", True))
    blocks.audio_sequencer_tail(sequencer, ids, profile)
    blocks.recorder(sequencer)
    return elem


def sends_pre(live_set: Element, returns: int) -> None:
    """``SendsPre``: one SendPreBool per return track (post-fader sends, Live's default)."""
    holder = sub(live_set, "SendsPre")
    for index in range(returns):
        sub(holder, "SendPreBool", Id=index, Value=False)
