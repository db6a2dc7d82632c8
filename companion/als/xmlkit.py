"""Small helpers to build Live's XML the way Live writes it.

Live stores almost every scalar as ``<Tag Value="..." />``, booleans as ``true``/``false``, numbers
in their shortest form, indents with tabs and puts a space before ``/>``. Keeping those conventions
in one place means the element builders only say *what* to write.
"""

from __future__ import annotations

import copy
import re
import struct
import zlib
from typing import Any, Protocol

from lxml import etree

Element = etree._Element

XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'
GZIP_LEVEL = 3  # a fast level: sets are written on every request, Live reads any level
GZIP_OS_MACOS = 3  # Live on macOS writes OS byte 3 and LF line endings; Windows 11 and CRLF.


def fmt(value: Any) -> str:
    """Format a scalar as Live does: ``true``/``false``, ``4`` not ``4.0``, shortest float repr."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    return str(value)


def sub(parent: Element, tag: str, value: Any = None, **attrs: Any) -> Element:
    """Append ``<tag Value=value attrs...>``; attributes keep the order given (Live's order)."""
    elem = etree.SubElement(parent, tag)
    for name, attr_value in attrs.items():
        elem.set(name, fmt(attr_value))
    if value is not None:
        elem.set("Value", fmt(value))
    return elem


def values(parent: Element, *pairs: tuple[str, Any]) -> None:
    """Append a run of ``<Tag Value=... />`` children, in order."""
    for tag, value in pairs:
        etree.SubElement(parent, tag, {"Value": fmt(value)})


def new_root(tag: str, **attrs: Any) -> Element:
    root = etree.Element(tag)
    for name, value in attrs.items():
        root.set(name, fmt(value))
    return root


class PointeeIds:
    """Allocator for the document-wide pointee id space (AutomationTarget, Pointee, ...).

    Live requires these ids to be unique across the whole set and below ``NextPointeeId``; a single
    allocator per document makes both true by construction. It also carries the document's
    :class:`Fragment` placements, since every builder that places one already has the allocator.
    """

    def __init__(self, start: int) -> None:
        self._next = start
        self._reserved: set[int] = set()
        self.placed: list[tuple[Rendered, int, tuple[bytes, ...]]] = []

    def reserve(self, ident: int) -> int:
        """Use a fixed id (the master tempo target is always 8); must not collide."""
        if ident in self._reserved or ident >= self._next:
            raise ValueError(f"pointee id {ident} already used or not below the counter")
        self._reserved.add(ident)
        return ident

    def take(self) -> int:
        ident = self._next
        self._next += 1
        return ident

    def take_block(self, count: int) -> int:
        """``count`` consecutive ids; returns the first."""
        first = self._next
        self._next += count
        return first

    @property
    def next_free(self) -> int:
        return self._next


_POINTEE_TAGS = frozenset({"AutomationTarget", "ModulationTarget", "Pointee"})


def is_pointee(tag: str) -> bool:
    """Tags whose Id lives in the document-wide pointee space."""
    return (
        tag in _POINTEE_TAGS
        or tag.endswith("ModulationTarget")
        or tag.startswith("ControllerTargets.")
    )


def stamp(template: Element, ids: PointeeIds) -> Element:
    """A copy of a prebuilt subtree with fresh pointee ids, taken in document order.

    Builders take ids in document order too, so a stamped copy is numbered exactly as building the
    subtree afresh would number it (tests compare the two), at a fraction of the cost. Parts of
    the template made text by :func:`stamp_as_text` are placed as fragments, their ids taken where
    they stand.
    """
    elem = copy.deepcopy(template)
    tags = _pointee_tags(template)
    if not _STAMP_TEXT.keys().isdisjoint(_texts_in(template)):
        for node in elem.iter(*tags, etree.Comment):  # lxml walks these in document order
            if isinstance(node.tag, str):
                node.set("Id", str(ids.take()))
            elif (fragment := _STAMP_TEXT.get(node.text or "")) is not None:
                first = ids.take_block(fragment.id_count)
                node.text = f"musiaia:{len(ids.placed)}"
                ids.placed.append((fragment, first, ()))
        return elem
    for node in elem.iter(*tags) if tags else ():  # lxml walks these in document order
        node.set("Id", str(ids.take()))
    return elem


_STAMP_TEXT: dict[str, Fragment] = {}  # placeholder comment text → the fragment it stands for
_TEXTS_IN: dict[int, tuple[Element, frozenset[str]]] = {}


def _texts_in(template: Element) -> frozenset[str]:
    """The placeholder comments a (cached) template holds."""
    known = _TEXTS_IN.get(id(template))
    if known is None or known[0] is not template:
        found = frozenset(c.text or "" for c in template.iter(etree.Comment))
        known = _TEXTS_IN[id(template)] = (template, found)
    return known[1]


def stamp_as_text(child: Element) -> None:
    """Replace ``child`` of a template that is only ever stamped, never changed after, by a
    placeholder: each stamp places it as a :class:`Fragment` (text at serialization) with its
    pointee ids, instead of copying, renumbering, indenting and writing its elements."""
    fragment = Fragment(child, ())
    key = f"musiaia-stamp:{len(_STAMP_TEXT)}"
    _STAMP_TEXT[key] = fragment
    parent = child.getparent()
    placeholder = etree.Comment(key)
    placeholder.tail = child.tail
    parent.replace(child, placeholder)


_TEMPLATE_TAGS: dict[int, tuple[Element, tuple[str, ...]]] = {}


def _pointee_tags(template: Element) -> tuple[str, ...]:
    """The pointee tag names a template uses (templates are cached, so this is computed once)."""
    known = _TEMPLATE_TAGS.get(id(template))
    if known is None or known[0] is not template:
        tags = tuple(
            sorted({n.tag for n in template.iter() if isinstance(n.tag, str) and is_pointee(n.tag)})
        )
        known = _TEMPLATE_TAGS[id(template)] = (template, tags)
    return known[1]


def _live_layout(elem: Element) -> bytes:
    etree.indent(elem, space="\t")
    body = etree.tostring(elem, encoding="UTF-8", xml_declaration=False)
    # lxml writes "<Tag/>"; Live writes "<Tag />". "/>" never occurs inside attribute values
    # because lxml escapes ">" there.
    return body.replace(b"/>", b" />")


_ID_HOLE = "\ue000"  # private-use characters: never in anything Live or MusiaIA writes
_VALUE_HOLE = "\ue001"
_HOLES = re.compile("(\ue000|\ue001[0-9]+\ue001)".encode())
_MARKER = re.compile(rb"\n(\t*)<!--musiaia:([0-9]+)-->")
_PLAIN = re.compile(r"[^&<>\"\n\r\t]*")


class Fragment:
    """A subtree rendered to text once, with holes for its pointee ids and a few values.

    A set repeats some devices dozens of times (a Simpler per drum pad) with only a handful of
    values changed. Placing a fragment costs a comment in the tree and a join of bytes at
    serialization, instead of thousands of elements built, indented and written one by one; the
    bytes are those the element builder gives (tests compare the two).

    ``holes`` are (xpath from the subtree's root, attribute) pairs whose values are given at each
    placement, in that order.
    """

    def __init__(self, template: Element, holes: tuple[tuple[str, str], ...]) -> None:
        elem = copy.deepcopy(template)
        elem.tail = None
        self.id_count = 0
        tags = _pointee_tags(template)
        for node in elem.iter(*tags) if tags else ():  # no tags would mean every element
            node.set("Id", _ID_HOLE)
            self.id_count += 1
        for index, (path, attribute) in enumerate(holes):
            node = elem if path == "." else elem.find(path)
            if node is None or node.get(attribute) is None:
                raise ValueError(f"fragment hole {path}@{attribute} is not in the template")
            node.set(attribute, f"{_VALUE_HOLE}{index}{_VALUE_HOLE}")
        self.hole_count = len(holes)
        self._text = _live_layout(elem)
        self._by_depth: dict[int, list[bytes | int]] = {}

    def _pieces(self, depth: int) -> list[bytes | int]:
        """Literal bytes and holes (-1 an id, n ≥ 0 value n), indented for ``depth``."""
        pieces = self._by_depth.get(depth)
        if pieces is None:
            text = self._text.replace(b"\n", b"\n" + b"\t" * depth)
            pieces = []
            for index, piece in enumerate(_HOLES.split(text)):
                if index % 2 == 0:
                    pieces.append(piece)
                elif piece == _ID_HOLE.encode():
                    pieces.append(-1)
                else:
                    pieces.append(int(piece[3:-3]))
            self._by_depth[depth] = pieces
        return pieces

    def render(self, depth: int, first_id: int, values: tuple[bytes, ...]) -> bytes:
        out: list[bytes] = []
        next_id = first_id
        for piece in self._pieces(depth):
            if isinstance(piece, bytes):
                out.append(piece)
            elif piece < 0:
                out.append(str(next_id).encode())
                next_id += 1
            else:
                out.append(values[piece])
        return b"".join(out)


def attribute_text(value: Any) -> bytes:
    """A value as it appears inside an attribute's quotes (escaped exactly as lxml does)."""
    text = fmt(value)
    if _PLAIN.fullmatch(text) and text.isprintable():
        return text.encode()
    quoted = etree.tostring(etree.Element("v", v=text), encoding="UTF-8")  # b'<v v="..."/>'
    return quoted[6:-3]


class Rendered(Protocol):
    """Text put into the document at serialization: ``render(depth, first id, values)``."""

    def render(self, depth: int, first_id: int, values: tuple[bytes, ...]) -> bytes: ...


def text_marker(ids: PointeeIds, text: Rendered) -> Element:
    """A marker (to put where an element would be) that ``text`` replaces at serialization,
    rendered for the marker's depth; ``text`` takes no pointee ids."""
    marker = etree.Comment(f"musiaia:{len(ids.placed)}")
    ids.placed.append((text, 0, ()))
    return marker


def place(parent: Element, fragment: Fragment, ids: PointeeIds, values: tuple[Any, ...]) -> int:
    """Put ``fragment`` here, its pointee ids taken now (document order) and its holes filled.
    Returns the first of its ids (the rest follow in document order)."""
    if len(values) != fragment.hole_count:
        raise ValueError(f"fragment needs {fragment.hole_count} values, got {len(values)}")
    first = ids.take_block(fragment.id_count)
    parent.append(etree.Comment(f"musiaia:{len(ids.placed)}"))
    ids.placed.append((fragment, first, tuple(attribute_text(v) for v in values)))
    return first


def serialize(root: Element, ids: PointeeIds | None = None) -> bytes:
    """XML bytes in Live's layout: declaration, tab indentation, ``<Tag Value="x" />``.

    ``ids`` is the document's allocator when fragments were placed in it: they are rendered into
    the text where their markers are, at the depth the indentation before each marker gives
    (reading it from the text is much cheaper than walking every marker's ancestors).
    """
    placed = ids.placed if ids is not None else []
    body = _live_layout(root)
    if placed:
        seen: set[int] = set()

        def splice(match: re.Match) -> bytes:
            tabs, index = match.group(1), int(match.group(2))
            seen.add(index)
            fragment, first, values = placed[index]
            return b"\n" + tabs + fragment.render(len(tabs), first, values)

        body = _MARKER.sub(splice, body)
        if len(seen) != len(placed):
            raise ValueError("a placed fragment is not in the document")
    return XML_DECLARATION + body + b"\n"


def gzip_bytes(data: bytes) -> bytes:
    """Gzip with a fixed header (mtime 0, macOS OS byte): identical input, identical bytes."""
    deflated = zlib.compress(data, GZIP_LEVEL, wbits=-zlib.MAX_WBITS)
    header = b"\x1f\x8b\x08\x00" + struct.pack("<I", 0) + b"\x00" + bytes([GZIP_OS_MACOS])
    trailer = struct.pack("<II", zlib.crc32(data) & 0xFFFFFFFF, len(data) & 0xFFFFFFFF)
    return header + deflated + trailer
