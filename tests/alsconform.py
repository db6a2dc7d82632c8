"""Compare a generated .als with what Ableton Live itself writes.

The reference is the set of real Live-saved files: the seven whose licences allow it are in
tests/fixtures/als (so the checks run in any clone), the rest are read from ../shared/fixtures/als
when it is there. For a generated set we check four things against the fixtures of the same
schema version:

* every element path we write exists in real sets, with the same attribute names and value kinds;
* every child that Live always writes under an element (present in every real instance) is there;
* children come in Live's order;
* where an element can sit in several places (a MidiClip in a clip slot, on the timeline or in a
  take lane) its content is compared wherever Live wrote one ("anchors").

Paths are tuples of tags. Under an anchor element the path restarts at ``@Tag`` so that, e.g., a
session MidiClip is compared with arrangement MidiClips of the same version.
"""

from __future__ import annotations

import collections
import gzip
import os
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from lxml import etree

VENDORED = Path(__file__).resolve().parent / "fixtures" / "als"
SHARED = Path(os.environ.get("MUSIAIA_SHARED", Path(__file__).resolve().parents[2] / "shared"))
FIXTURES = SHARED / "fixtures" / "als"

# Elements whose content is the same wherever they sit: a session AudioClip is compared with every
# AudioClip Live wrote in that version (11.0.12's are all on the timeline), and so on.
ANCHORS = frozenset(
    {
        "MidiClip",
        "AudioClip",
        "MidiTrack",
        "AudioTrack",
        "ReturnTrack",
        "GroupTrack",
        "AutomationEnvelope",
        "ClipEnvelope",
    }
)
# Envelopes sit in any track's (or clip's) envelope list: their place is checked by that list
# being one Live writes, their content against every real envelope.
ENVELOPES = frozenset({"AutomationEnvelope", "ClipEnvelope"})
# No real set holds a clip envelope; its target and events are an AutomationEnvelope's (as Live's
# own reader and every tool that reads them treat them) and are checked as one.
ALIASES = {"@ClipEnvelope": "@AutomationEnvelope"}
# What a clip envelope adds to an automation envelope, known from public tools that write them
# (no fixture shows one): reported apart as unverified, never silently accepted.
UNVERIFIED = frozenset(
    {
        ("@ClipEnvelope", "LoopSlot"),
        ("@ClipEnvelope", "LoopSlot", "Value"),
        ("@ClipEnvelope", "ScrollerTimePreserver"),
        ("@ClipEnvelope", "ScrollerTimePreserver", "LeftTime"),
        ("@ClipEnvelope", "ScrollerTimePreserver", "RightTime"),
    }
)
# A parameter's KeyMidi is the user's MIDI mapping: present only on mapped parameters (in the
# 11.0.12 EDM template EQ Eight's band 1 Freq has one, band 2 Freq not), so never required.
OPTIONAL_CHILDREN = frozenset({"KeyMidi"})

# Files that are not pristine Live saves (see SOURCES.md); used for paths, never for "always".
PRUNED = ("elixirbeats__abletoolz__",)

_INT = re.compile(r"^-?\d+$")
_FLOAT = re.compile(r"^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$")


def value_kind(value: str) -> str:
    if value in ("true", "false"):
        return "bool"
    if _INT.match(value):
        return "int"
    if _FLOAT.match(value):
        return "float"
    return "str"


def load_xml(path: Path | str) -> etree._Element:
    data = Path(path).read_bytes()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    return etree.fromstring(data, parser=etree.XMLParser(huge_tree=True, remove_blank_text=True))


_INDEXED = re.compile(r"^(.*)\.\d+$")


def norm_tag(tag: str) -> str:
    """``MacroControls.7`` → ``MacroControls.#``: Live numbers repeated parameters in the tag, and
    the sixteen macros (or 131 controller targets) are one kind of element, so they are compared
    as one; a child present on some of them only is optional, not required."""
    match = _INDEXED.match(tag)
    return f"{match.group(1)}.#" if match else tag


def element_kind(elem: etree._Element) -> str | None:
    """The structural kind of an element, for schema changes that touch every element of a kind
    (Live 12.2 gave every device a ViewData and every enum parameter a MidiControllerRange)."""
    return kind_of({child.tag for child in elem if isinstance(child.tag, str)})


def kind_of(tags: Collection[str]) -> str | None:
    """:func:`element_kind` from the element's child tags."""
    if "LastPresetRef" in tags and "Pointee" in tags:
        return "device-header"
    if (
        "Manual" in tags
        and "AutomationTarget" in tags
        and "ModulationTarget" not in tags
        and "MidiCCOnOffThresholds" not in tags
    ):
        return "enum-param"
    return None


def is_anchor(tag: str, parent_tag: str) -> bool:
    """Clips and tracks, and every device (a child of a Devices list): their content is the
    same wherever they sit, so it is compared with every real instance of the same tag."""
    return tag in ANCHORS or parent_tag == "Devices"


def walk(root: etree._Element) -> Iterable[tuple[tuple[str, ...], etree._Element, tuple | None]]:
    """Yield (normalized path, element, location) for every element.

    Under an anchor the path restarts at ``@Tag``; ``location`` is, for an anchor, its parent's
    normalized path and its tag (where it sits), else None.
    """
    stack: list[tuple[etree._Element, tuple[str, ...], tuple | None]] = [(root, (root.tag,), None)]
    while stack:
        elem, path, location = stack.pop()
        yield path, elem, location
        for child in elem:
            if not isinstance(child.tag, str):
                continue
            tag = norm_tag(child.tag)
            if is_anchor(tag, elem.tag):
                stack.append((child, ("@" + tag,), (path, tag)))
            else:
                stack.append((child, (*path, tag), None))


def element_paths(root: etree._Element) -> Iterable[tuple[tuple[str, ...], etree._Element]]:
    for path, elem, _ in walk(root):
        yield path, elem


def anchor_locations(root: etree._Element) -> Iterable[tuple]:
    for _, _, location in walk(root):
        if location is not None:
            yield location


@dataclass
class Reference:
    """Statistics of element paths over a group of real sets."""

    files: list[str] = field(default_factory=list)
    paths: set[tuple[str, ...]] = field(default_factory=set)
    attrs: dict[tuple[str, ...], dict[str, set[str]]] = field(
        default_factory=lambda: collections.defaultdict(lambda: collections.defaultdict(set))
    )
    instances: collections.Counter = field(default_factory=collections.Counter)
    attr_presence: dict[tuple[str, ...], collections.Counter] = field(
        default_factory=lambda: collections.defaultdict(collections.Counter)
    )
    child_presence: dict[tuple[str, ...], collections.Counter] = field(
        default_factory=lambda: collections.defaultdict(collections.Counter)
    )
    list_children: set[tuple[tuple[str, ...], str]] = field(default_factory=set)
    before: set[tuple[tuple[str, ...], str, str]] = field(default_factory=set)
    anchor_locations: set[tuple[str, ...]] = field(default_factory=set)
    kind_instances: collections.Counter = field(default_factory=collections.Counter)
    kind_children: dict[str, collections.Counter] = field(
        default_factory=lambda: collections.defaultdict(collections.Counter)
    )
    kind_carriers: dict[tuple[str, str], set[str]] = field(
        default_factory=lambda: collections.defaultdict(set)
    )

    def add(self, name: str, root: etree._Element, count_presence: bool = True) -> None:
        self.files.append(name)
        for path, elem in element_paths(root):
            self.paths.add(path)
            for attr, value in elem.attrib.items():
                self.attrs[path][attr].add(value_kind(value))
            children = [c for c in elem if isinstance(c.tag, str)]
            tags = [norm_tag(c.tag) for c in children]
            counts = collections.Counter(tags)
            raw_counts = collections.Counter(c.tag for c in children)
            for child in children:
                # List items: they carry an Id or repeat under one parent (KeyTrack, Scene…).
                if "Id" in child.attrib or raw_counts[child.tag] > 1:
                    self.list_children.add((path, norm_tag(child.tag)))
            if count_presence:
                self.attr_presence[path].update(elem.attrib.keys())
                self.instances[path] += 1
                self.child_presence[path].update(counts.keys())
                kind = kind_of(counts) if "Manual" in counts or "Pointee" in counts else None
                if kind is not None:
                    self.kind_instances[kind] += 1
                    self.kind_children[kind].update(counts.keys())
                    for tag in counts:
                        self.kind_carriers[(kind, tag)].add(elem.tag)
            order = list(dict.fromkeys(tags))
            for i, first in enumerate(order):
                for second in order[i + 1 :]:
                    self.before.add((path, first, second))
        self.anchor_locations.update(anchor_locations(root))

    @property
    def audio_effects(self) -> set[str]:
        """Devices seen where only audio effects can be: on audio and return tracks and inside
        Audio Effect Racks."""
        holders = ("@AudioTrack", "@ReturnTrack", "@AudioEffectGroupDevice")
        return {
            tag
            for path, tag in self.anchor_locations
            if path and path[0] in holders and path[-1] == "Devices"
        }

    def effect_lists(self) -> set[tuple[str, ...]]:
        """Device lists where Live has put audio effects (Master and Main counted as one)."""
        effects = self.audio_effects
        return {_main_as_master(path) for path, tag in self.anchor_locations if tag in effects}

    def always_attributes(self, path: tuple[str, ...]) -> list[str]:
        total = self.instances.get(path, 0)
        return sorted(
            a for a, n in self.attr_presence.get(path, {}).items() if total and n == total
        )

    def always_children(self, path: tuple[str, ...]) -> list[str]:
        total = self.instances.get(path, 0)
        if not total:
            return []
        return sorted(
            tag
            for tag, n in self.child_presence.get(path, {}).items()
            if n == total and (path, tag) not in self.list_children
        )


@cache
def fixture_files() -> list[Path]:
    """Every real set at hand: the vendored ones, and ../shared's (a name is one file)."""
    found = {path.name: path for path in sorted(VENDORED.glob("*.als"))}
    if FIXTURES.is_dir():
        for path in sorted(FIXTURES.glob("*.als")):
            found.setdefault(path.name, path)
    return sorted(found.values(), key=lambda path: path.name)


def fixture_path(name: str) -> Path | None:
    """A real set by file name, vendored or in ../shared; None when neither has it."""
    return next((path for path in fixture_files() if path.name == name), None)


def strict() -> bool:
    """True when ../shared's sets are there too: then every problem counts (see
    :data:`VENDORED_GAPS` for what the vendored sets alone cannot rule out)."""
    return any(not path.is_relative_to(VENDORED) for path in fixture_files())


@cache
def fixture_root(path: str) -> etree._Element:
    return load_xml(path)


def minor_version(root: etree._Element) -> str:
    return root.get("MinorVersion", "")


@cache
def reference(minor_prefix: str) -> Reference:
    """Reference statistics for every fixture whose MinorVersion starts with ``minor_prefix``."""
    ref = Reference()
    for path in fixture_files():
        root = fixture_root(str(path))
        if minor_version(root).startswith(minor_prefix):
            ref.add(path.name, root, count_presence=not path.name.startswith(PRUNED))
    return ref


def anchor_instances(minor_prefix: str, tag: str) -> int:
    """How many real instances of an anchor (``AudioClip``, ``AudioTrack``…) the fixtures of a
    version hold. Checking an element against none would pass anything, so tests assert this."""
    return reference(minor_prefix).instances.get(("@" + tag,), 0)


@dataclass
class Report:
    problems: list[str] = field(default_factory=list)
    unverified: set[tuple[str, ...]] = field(default_factory=set)  # paths in UNVERIFIED written

    def add(self, kind: str, message: str) -> None:
        self.problems.append(f"{kind}: {message}")

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self, limit: int = 40) -> str:
        counts = collections.Counter(p.split(":", 1)[0] for p in self.problems)
        head = ", ".join(f"{k}={v}" for k, v in sorted(counts.items()))
        return f"{len(self.problems)} problems ({head})\n" + "\n".join(self.problems[:limit])


def _fmt(path: tuple[str, ...]) -> str:
    return "/".join(path)


def _main_as_master(path: tuple[str, ...]) -> tuple[str, ...]:
    return tuple("MasterTrack" if part == "MainTrack" else part for part in path)


def _location_ok(location: tuple, everyone: Reference) -> bool:
    """An anchor sits where Live puts one: where a real set has one, an envelope in an envelope
    list Live writes, an audio effect in a device list where Live has put audio effects."""
    path, tag = location
    if location in everyone.anchor_locations:
        return True
    if tag in ENVELOPES:
        return path in everyone.paths
    return tag in everyone.audio_effects and _main_as_master(path) in everyone.effect_lists()


def _newer_than_exact(exact: Reference, family: Reference, elem: etree._Element, tag: str) -> bool:
    """``tag`` came in a later release than the exact schema, for a whole kind of element: the
    family's elements of several tags carry it, the exact schema's never do (Live 12.1 devices have
    no ViewData, 12.3's all do). A child of one device only is never excused this way."""
    kind = element_kind(elem)
    return (
        kind is not None
        and exact.kind_instances[kind] > 0
        and exact.kind_children[kind][tag] == 0
        and len(family.kind_carriers[(kind, tag)]) >= 2
    )


def _pair_seen(ref: Reference, path: tuple[str, ...], first: str, second: str) -> bool:
    return (path, first, second) in ref.before or (path, second, first) in ref.before


def check(root: etree._Element, exact_prefix: str, family_prefix: str) -> Report:
    """Check a generated set against fixtures of its exact schema (``11.0_433``) and family
    (``11.``).

    A path is judged against the exact-version fixtures when they contain its parent (so they show
    what Live writes there); otherwise against the whole family of that major version.
    """
    exact = reference(exact_prefix)
    family = reference(family_prefix)
    everyone = reference("")
    report = Report()
    seen_problem: set[str] = set()

    def add(kind: str, message: str) -> None:
        if message not in seen_problem:
            seen_problem.add(message)
            report.add(kind, message)

    for written, elem in element_paths(root):
        if written in UNVERIFIED:
            report.unverified.add(written)
            continue
        path = (ALIASES.get(written[0], written[0]), *written[1:])
        parent = path[:-1]
        covered = path in exact.paths or (
            parent and parent in exact.paths and (parent, path[-1]) not in family.list_children
        )
        judge = exact if covered else family
        if path not in judge.paths:
            add("unknown-path", _fmt(written))
            continue
        known_attrs = judge.attrs.get(path, {})
        for attr, value in elem.attrib.items():
            if attr not in known_attrs:
                add("unknown-attribute", f"{_fmt(written)}@{attr}")
                continue
            kinds = known_attrs[attr]
            kind = value_kind(value)
            if kind not in kinds and not ({kind} | kinds) <= {"int", "float"}:
                add(
                    "value-kind",
                    f"{_fmt(written)}@{attr}={value!r} is {kind}, Live writes {sorted(kinds)}",
                )
        presence_ref = exact if exact.instances.get(path) else family
        for attr in presence_ref.always_attributes(path):
            if attr not in elem.attrib:
                add("missing-attribute", f"{_fmt(written)}@{attr}")
        children = [norm_tag(c.tag) for c in elem if isinstance(c.tag, str)]
        present = set(children)
        presence_ref = exact if exact.instances.get(path) else family
        for tag in presence_ref.always_children(path):
            if tag in present or tag in OPTIONAL_CHILDREN:
                continue
            if presence_ref is family and _newer_than_exact(exact, family, elem, tag):
                continue
            add("missing-child", f"{_fmt(written)}/{tag}")
        order = list(dict.fromkeys(children))
        for i, first in enumerate(order):
            for second in order[i + 1 :]:
                if (path, first) in family.list_children and (path, second) in family.list_children:
                    continue  # list items (devices in a chain) come in the user's order
                # The exact schema decides where its sets show the pair (Live 12.1 moved a
                # clip's key before its notes; 12.0 sets in the family show the old order).
                seen = exact if _pair_seen(exact, path, first, second) else family
                if (path, second, first) in seen.before and (
                    path,
                    first,
                    second,
                ) not in seen.before:
                    add("order", f"{_fmt(written)}: {first} before {second}")
    for location in anchor_locations(root):
        if not _location_ok(location, everyone):
            add("unknown-location", f"{_fmt(location[0])}/{location[1]}")
    return report


# What the vendored sets alone cannot rule out: no vendored set has the element (or the version)
# that would show Live's own way, so the checker, judging by the nearest sets it has, reports a
# problem that ../shared's sets refute (with them, these problems do not occur and every problem
# counts). A problem explains itself and, for unknown paths, everything under it. Keyed by the
# exact schema a test writes; see tests/fixtures/als/SOURCES.md.

_MIDI_11_0 = "no vendored MIDI track was saved by Live 11.0 (MpeSettings came with 11.1)"
_SESSION = "no vendored set has a clip in a session slot"
_RACKS = "the vendored Drum Racks and Simplers sit in Instrument Racks, never on a track itself"
_FILTER = "no vendored Simpler has its filter on"
_MARKERS = "no vendored Simpler sample has warp markers or slice points"
_ROUTING = "the vendored 11.0 audio inputs are named (Ext. In), never numbered"
_LIVE_12_1 = (
    "no vendored set was saved by Live 12.1: this is judged by 12.0b16 and 12.3, which differ "
    "from 12.1 here (../shared's 12.1 sets show it)"
)

VENDORED_GAPS: dict[str, dict[str, str]] = {
    "11.0_433": {
        "missing-child: @MidiTrack/DeviceChain/AudioInputRouting/MpeSettings": _MIDI_11_0,
        "missing-child: @MidiTrack/DeviceChain/AudioOutputRouting/MpeSettings": _MIDI_11_0,
        "missing-child: @MidiTrack/DeviceChain/MidiInputRouting/MpeSettings": _MIDI_11_0,
        "missing-child: @MidiTrack/DeviceChain/MidiOutputRouting/MpeSettings": _MIDI_11_0,
        "missing-child: @DrumGroupDevice/Branches/DrumBranch/MixerDevice/RoutingHelper/Routable"
        "/MpeSettings": _MIDI_11_0,
        "unknown-location: @MidiTrack/DeviceChain/MainSequencer/ClipSlotList/ClipSlot/ClipSlot"
        "/Value/MidiClip": _SESSION,
        "unknown-location: @AudioTrack/DeviceChain/MainSequencer/ClipSlotList/ClipSlot/ClipSlot"
        "/Value/AudioClip": _SESSION,
        "unknown-location: @MidiTrack/DeviceChain/DeviceChain/Devices/DrumGroupDevice": _RACKS,
        "unknown-location: @MidiTrack/DeviceChain/DeviceChain/Devices/OriginalSimpler": _RACKS,
        "unknown-path: @OriginalSimpler/Filter/Slot/Value/SimplerFilter": _FILTER,
        "unknown-path: @OriginalSimpler/Player/MultiSampleMap/SampleParts/MultiSamplePart"
        "/SampleWarpProperties/WarpMarkers/WarpMarker": _MARKERS,
        "unknown-path: @OriginalSimpler/Player/MultiSampleMap/SampleParts/MultiSamplePart"
        "/SlicePoints/SlicePoint": _MARKERS,
        "value-kind: @AudioTrack/DeviceChain/AudioInputRouting/LowerDisplayString@Value='1' is "
        "int, Live writes ['str']": _ROUTING,
    },
    "12.0_12120": {
        **{
            problem: reason
            for problem, reason in (
                (
                    "unknown-location: @MidiTrack/DeviceChain/MainSequencer/ClipSlotList/ClipSlot"
                    "/ClipSlot/Value/MidiClip",
                    _SESSION,
                ),
                (
                    "unknown-location: @AudioTrack/DeviceChain/MainSequencer/ClipSlotList/ClipSlot"
                    "/ClipSlot/Value/AudioClip",
                    _SESSION,
                ),
                (
                    "unknown-location: @MidiTrack/DeviceChain/DeviceChain/Devices/DrumGroupDevice",
                    _RACKS,
                ),
                (
                    "unknown-location: @MidiTrack/DeviceChain/DeviceChain/Devices/OriginalSimpler",
                    _RACKS,
                ),
                ("unknown-path: @OriginalSimpler/Filter/Slot/Value/SimplerFilter", _FILTER),
                (
                    "unknown-path: @OriginalSimpler/Player/MultiSampleMap/SampleParts"
                    "/MultiSamplePart/SampleWarpProperties/WarpMarkers/WarpMarker",
                    _MARKERS,
                ),
                (
                    "unknown-path: @OriginalSimpler/Player/MultiSampleMap/SampleParts"
                    "/MultiSamplePart/SlicePoints/SlicePoint",
                    _MARKERS,
                ),
            )
        },
        **dict.fromkeys(
            (
                "missing-child: @AudioClip/SampleRef/FileRef/SourceHint",
                "missing-child: @DrumGroupDevice/Branches/DrumBranch/MixerDevice/ViewData",
                "missing-child: @DrumGroupDevice/ViewData",
                "missing-child: @MidiTrack/DeviceChain/FreezeSequencer/ViewData",
                "missing-child: @MidiTrack/DeviceChain/MainSequencer/ViewData",
                "missing-child: @MidiTrack/DeviceChain/Mixer/CrossFadeState/MidiControllerRange",
                "missing-child: @MidiTrack/DeviceChain/Mixer/ViewData",
                "missing-child: @MidiTrack/TakeLanesListWrapper",
                "missing-child: @OriginalSimpler/Globals/PortamentoMode/MidiControllerRange",
                "missing-child: @OriginalSimpler/Player/MultiSampleMap/SampleParts"
                "/MultiSamplePart/SampleRef/FileRef/SourceHint",
                "missing-child: @OriginalSimpler/ViewData",
                "missing-child: @OriginalSimpler/VolumeAndPan/Envelope/LoopMode"
                "/MidiControllerRange",
                "missing-child: @OriginalSimpler/VolumeAndPan/OneShotEnvelope/SustainMode"
                "/MidiControllerRange",
                "unknown-attribute: @MidiClip/Notes/KeyTracks/KeyTrack/Notes/MidiNoteEvent"
                "@IsEnabled",
                "unknown-attribute: @MidiClip/Notes/KeyTracks/KeyTrack/Notes/MidiNoteEvent"
                "@Probability",
                "unknown-attribute: @MidiClip/Notes/KeyTracks/KeyTrack/Notes/MidiNoteEvent"
                "@VelocityDeviation",
                "unknown-path: @AudioClip/AutoWarpPending",
                "unknown-path: @AudioClip/WasMuted",
            ),
            _LIVE_12_1,
        ),
    },
}


def unexplained(report: Report, exact_prefix: str) -> Report:
    """The report's problems that no documented gap of the vendored sets explains (all of them
    when ../shared is there)."""
    if strict():
        return report
    gaps = VENDORED_GAPS.get(exact_prefix, {})
    kept = Report()
    kept.problems = [
        p for p in report.problems if not any(p == g or p.startswith(g + "/") for g in gaps)
    ]
    return kept
