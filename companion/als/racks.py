"""What Live's racks share: a chain (branch) with its mixer, and the rack body after the chains.

A Drum Rack (``DrumGroupDevice``/``DrumBranch``) and an Instrument Rack
(``InstrumentGroupDevice``/``InstrumentBranch``) write the same children in the same order, up to
what tells a chain when it plays: a Drum Rack's ``BranchInfo`` (the pad's note, its choke group) or
an Instrument Rack's ``ZoneSettings`` (key and velocity range). Checked against the real racks in
../shared/fixtures/als (Live 10.1, 11.0–11.3, 12.1, 12.3).
"""

from __future__ import annotations

import math
from functools import lru_cache

from lxml import etree

from companion.als import blocks
from companion.als.profiles import LiveProfile
from companion.als.xmlkit import Element, Fragment, PointeeIds, place, sub, values

MACRO_COUNT = 16
NO_OUTPUT = ("AudioOut/None", "No Output", "")  # an Instrument Rack chain's mixer routing


def db_to_gain(db: float) -> float:
    """A chain fader's linear value; -70 dB is Live's floor."""
    return blocks.VOLUME_MIN if db <= -70 else 10 ** (db / 20)


def gain_to_db(gain: float) -> float:
    if gain <= blocks.VOLUME_MIN * 1.0001:
        return -70.0
    return round(min(6.0, max(-70.0, 20 * math.log10(gain))), 6)


def branch_head(parent: Element, tag: str, branch_id: int, name: str, selected: bool) -> Element:
    """A chain up to its device list; returns the branch (the caller fills ``Devices``)."""
    branch = sub(parent, tag, Id=branch_id)
    values(branch, ("LomId", 0))
    names = sub(branch, "Name")
    values(
        names,
        ("EffectiveName", name),
        ("UserName", ""),
        ("Annotation", ""),
        ("MemorizedFirstClipName", ""),
    )
    values(branch, ("IsSelected", selected))
    return branch


def chain_devices(branch: Element) -> tuple[Element, Element]:
    """The chain's (MidiToAudioDeviceChain, Devices) pair."""
    chain = sub(sub(branch, "DeviceChain"), "MidiToAudioDeviceChain", Id=0)
    return chain, sub(chain, "Devices")


def branch_tail(
    branch: Element,
    chain: Element,
    color: int,
    ids: PointeeIds,
    profile: LiveProfile,
    volume_db: float,
    pan: float,
    routing: tuple[str, str, str],
    target_enum: int,
) -> None:
    """Everything of a chain after its devices, up to and including its mixer."""
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
    blocks.float_param(
        mixer, "Volume", db_to_gain(volume_db), blocks.VOLUME_MIN, blocks.VOLUME_MAX, ids
    )
    blocks.float_param(mixer, "Panorama", pan, -1, 1, ids)
    sub(mixer, "SendInfos")
    helper = sub(mixer, "RoutingHelper")
    blocks.routing(helper, "Routable", *routing, profile)
    values(helper, ("TargetEnum", target_enum))
    sub(mixer, "SendsListWrapper", LomId=0)


def range_values(parent: Element, tag: str, low: int, high: int) -> None:
    elem = sub(parent, tag)
    values(elem, ("Min", low), ("Max", high), ("CrossfadeMin", low), ("CrossfadeMax", high))


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


def rack_body(rack: Element, ids: PointeeIds, shows_zones: bool) -> None:
    """A rack's children after ``Branches``, up to ``ShowsZonesInsteadOfNoteNames`` (where an
    Instrument Rack ends and a Drum Rack goes on with its pads), placed as text rendered once from
    :func:`build_rack_body`: its sixteen macros are hundreds of elements, the same in every rack."""
    place(rack, _rack_body_fragment(), ids, (shows_zones,))


@lru_cache(maxsize=1)
def _rack_body_fragment() -> Fragment:
    template = etree.Element("Rack")
    build_rack_body(template, PointeeIds(0), shows_zones=False)
    return Fragment(template, (("ShowsZonesInsteadOfNoteNames", "Value"),), children=True)


def build_rack_body(rack: Element, ids: PointeeIds, shows_zones: bool) -> None:
    """:func:`rack_body` built element by element: the reference for its text."""
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
        ("ShowsZonesInsteadOfNoteNames", shows_zones),
    )


def rack_head(
    parent: Element, tag: str, device_id: int, name: str, ids: PointeeIds, profile: LiveProfile
) -> tuple[Element, Element]:
    """A rack device up to its (empty) ``Branches``: (rack, branches)."""
    rack = sub(parent, tag, Id=device_id)
    blocks.device_header(rack, ids, profile)
    rack.find("UserName").set("Value", name)
    values(rack, ("OverwriteProtectionNumber", profile.overwrite_protection))
    return rack, sub(rack, "Branches")
