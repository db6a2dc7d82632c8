"""Small helpers to build Live's XML the way Live writes it.

Live stores almost every scalar as ``<Tag Value="..." />``, booleans as ``true``/``false``, numbers
in their shortest form, indents with tabs and puts a space before ``/>``. Keeping those conventions
in one place means the element builders only say *what* to write.
"""

from __future__ import annotations

import copy
import struct
import zlib
from typing import Any

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
    allocator per document makes both true by construction.
    """

    def __init__(self, start: int) -> None:
        self._next = start
        self._reserved: set[int] = set()

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
    subtree afresh would number it (tests compare the two), at a fraction of the cost.
    """
    elem = copy.deepcopy(template)
    for node in elem.iter(*_pointee_tags(template)):  # lxml walks these in document order
        node.set("Id", str(ids.take()))
    return elem


_TEMPLATE_TAGS: dict[int, tuple[Element, tuple[str, ...]]] = {}


def _pointee_tags(template: Element) -> tuple[str, ...]:
    """The pointee tag names a template uses (templates are cached, so this is computed once)."""
    known = _TEMPLATE_TAGS.get(id(template))
    if known is None or known[0] is not template:
        tags = tuple(sorted({n.tag for n in template.iter() if is_pointee(n.tag)}))
        known = _TEMPLATE_TAGS[id(template)] = (template, tags)
    return known[1]


def serialize(root: Element) -> bytes:
    """XML bytes in Live's layout: declaration, tab indentation, ``<Tag Value="x" />``."""
    etree.indent(root, space="\t")
    body = etree.tostring(root, encoding="UTF-8", xml_declaration=False)
    # lxml writes "<Tag/>"; Live writes "<Tag />". "/>" never occurs inside attribute values
    # because lxml escapes ">" there.
    return XML_DECLARATION + body.replace(b"/>", b" />") + b"\n"


def gzip_bytes(data: bytes) -> bytes:
    """Gzip with a fixed header (mtime 0, macOS OS byte): identical input, identical bytes."""
    deflated = zlib.compress(data, GZIP_LEVEL, wbits=-zlib.MAX_WBITS)
    header = b"\x1f\x8b\x08\x00" + struct.pack("<I", 0) + b"\x00" + bytes([GZIP_OS_MACOS])
    trailer = struct.pack("<II", zlib.crc32(data) & 0xFFFFFFFF, len(data) & 0xFFFFFFFF)
    return header + deflated + trailer
