"""Compare a generated .als with what Ableton Live itself writes.

The reference is the set of real Live-saved files in ../shared/fixtures/als. For a generated set we
check four things against the fixtures of the same schema version:

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
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from lxml import etree

SHARED = Path(os.environ.get("MUSIAIA_SHARED", Path(__file__).resolve().parents[2] / "shared"))
FIXTURES = SHARED / "fixtures" / "als"

# Elements whose content is the same wherever they sit.
ANCHORS = frozenset(
    {"MidiClip", "AudioClip", "MidiTrack", "AudioTrack", "ReturnTrack", "GroupTrack"}
)

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


def element_paths(root: etree._Element) -> Iterable[tuple[tuple[str, ...], etree._Element]]:
    """Yield (normalized path, element) for every element."""
    stack: list[tuple[etree._Element, tuple[str, ...]]] = [(root, (root.tag,))]
    while stack:
        elem, path = stack.pop()
        yield path, elem
        for child in elem:
            if not isinstance(child.tag, str):
                continue
            tag = child.tag
            child_path = ("@" + tag,) if tag in ANCHORS else (*path, tag)
            stack.append((child, child_path))


def absolute_anchor_paths(root: etree._Element) -> Iterable[tuple[str, ...]]:
    """Full paths (from the root) of anchor elements: where a clip or track sits."""

    def walk(elem: etree._Element, path: tuple[str, ...]):
        for child in elem:
            if not isinstance(child.tag, str):
                continue
            child_path = (*path, child.tag)
            if child.tag in ANCHORS:
                yield child_path
            yield from walk(child, child_path)

    yield from walk(root, (root.tag,))


@dataclass
class Reference:
    """Statistics of element paths over a group of real sets."""

    files: list[str] = field(default_factory=list)
    paths: set[tuple[str, ...]] = field(default_factory=set)
    attrs: dict[tuple[str, ...], dict[str, set[str]]] = field(
        default_factory=lambda: collections.defaultdict(lambda: collections.defaultdict(set))
    )
    instances: collections.Counter = field(default_factory=collections.Counter)
    child_presence: dict[tuple[str, ...], collections.Counter] = field(
        default_factory=lambda: collections.defaultdict(collections.Counter)
    )
    list_children: set[tuple[tuple[str, ...], str]] = field(default_factory=set)
    before: set[tuple[tuple[str, ...], str, str]] = field(default_factory=set)
    anchor_locations: set[tuple[str, ...]] = field(default_factory=set)

    def add(self, name: str, root: etree._Element, count_presence: bool = True) -> None:
        self.files.append(name)
        for path, elem in element_paths(root):
            self.paths.add(path)
            for attr, value in elem.attrib.items():
                self.attrs[path][attr].add(value_kind(value))
            children = [c for c in elem if isinstance(c.tag, str)]
            tags = [c.tag for c in children]
            counts = collections.Counter(tags)
            for child in children:
                if "Id" in child.attrib or counts[child.tag] > 1:
                    self.list_children.add((path, child.tag))
            if count_presence:
                self.instances[path] += 1
                self.child_presence[path].update(counts.keys())
            order = list(dict.fromkeys(tags))
            for i, first in enumerate(order):
                for second in order[i + 1 :]:
                    self.before.add((path, first, second))
        self.anchor_locations.update(absolute_anchor_paths(root))

    def always_children(self, path: tuple[str, ...]) -> list[str]:
        total = self.instances.get(path, 0)
        if not total:
            return []
        return sorted(
            tag
            for tag, n in self.child_presence.get(path, {}).items()
            if n == total and (path, tag) not in self.list_children
        )


def fixture_files() -> list[Path]:
    return sorted(FIXTURES.glob("*.als")) if FIXTURES.is_dir() else []


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


@dataclass
class Report:
    problems: list[str] = field(default_factory=list)

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

    for path, elem in element_paths(root):
        parent = path[:-1]
        covered = path in exact.paths or (
            parent and parent in exact.paths and (parent, path[-1]) not in family.list_children
        )
        judge = exact if covered else family
        if path not in judge.paths:
            add("unknown-path", _fmt(path))
            continue
        known_attrs = judge.attrs.get(path, {})
        for attr, value in elem.attrib.items():
            if attr not in known_attrs:
                add("unknown-attribute", f"{_fmt(path)}@{attr}")
                continue
            kinds = known_attrs[attr]
            kind = value_kind(value)
            if kind not in kinds and not ({kind} | kinds) <= {"int", "float"}:
                add(
                    "value-kind",
                    f"{_fmt(path)}@{attr}={value!r} is {kind}, Live writes {sorted(kinds)}",
                )
        children = [c.tag for c in elem if isinstance(c.tag, str)]
        present = set(children)
        presence_ref = exact if exact.instances.get(path) else family
        for tag in presence_ref.always_children(path):
            if tag not in present:
                add("missing-child", f"{_fmt(path)}/{tag}")
        order = list(dict.fromkeys(children))
        for i, first in enumerate(order):
            for second in order[i + 1 :]:
                if (path, second, first) in family.before and (
                    path,
                    first,
                    second,
                ) not in family.before:
                    add("order", f"{_fmt(path)}: {first} before {second}")
    for location in absolute_anchor_paths(root):
        if location not in everyone.anchor_locations:
            add("unknown-location", _fmt(location))
    return report
