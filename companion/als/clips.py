"""MidiClip elements: one for the arrangement timeline, one for a session slot.

Notes are grouped per pitch into KeyTracks (ascending MidiKey, as Live saves them) and get NoteIds
that are unique within the clip, with NoteIdGenerator/NextId above them.
"""

from __future__ import annotations

import copy
from collections import defaultdict
from functools import lru_cache
from typing import NamedTuple

from lxml import etree

from companion.als import blocks
from companion.als.profiles import LiveProfile
from companion.als.xmlkit import (
    Element,
    Fragment,
    PointeeIds,
    attribute_text,
    fmt,
    sub,
    text_marker,
    values,
)
from companion.arrangement import Clip, Note
from companion.music.theory import Key

SCALE_NAMES = {"major": "Major", "minor": "Minor"}
SCALE_INDEXES = {"major": 0, "minor": 1}
_NOTE_DEFAULTS = {
    "VelocityDeviation": "0",
    "OffVelocity": "64",
    "Probability": "1",
    "IsEnabled": "true",
}


def midi_clip(
    parent: Element,
    clip: Clip,
    clip_id: int,
    color: int,
    profile: LiveProfile,
    time_signature: tuple[int, int],
    key: Key | None,
    session: bool,
    notes_cache: dict[int, Element | NotesText] | None = None,
    ids: PointeeIds | None = None,
) -> Element:
    """Append a MidiClip. Session clips start at 0 and loop; arrangement clips sit at clip.start.

    Every clip of a song shares all but a dozen values, so the element is cloned from a template
    built once by :func:`build_midi_clip` and only those values are set. The same clip appears in a
    scene slot and on the timeline; ``notes_cache`` (keyed by the clip object) lets the second copy
    reuse the first one's notes. With ``ids`` (the document's allocator) the notes are not
    elements at all but text put in at serialization (:class:`NotesText`): notes are most of a
    set, and text is what they end as.
    """
    start = 0.0 if session else clip.start
    length = clip.length
    clip_values = (clip_id, start, start, start + length, length, length, length)
    clip_values += (clip.name, color, length)
    cached = notes_cache.get(id(clip)) if notes_cache is not None else None
    if ids is not None:
        text = cached if isinstance(cached, NotesText) else NotesText(clip.notes, profile)
        if notes_cache is not None:
            notes_cache[id(clip)] = text
        if not (session and clip.envelopes):  # a Session clip's envelopes are added to it later
            fragment = _clip_fragment(profile, time_signature, key, session)
            marker = text_marker(ids, ClipText(fragment, clip_values, text))
            parent.append(marker)
            return marker
    elem = copy.deepcopy(_clip_template(profile, time_signature, key, session))
    for (path, attribute), value in zip(CLIP_HOLES, clip_values, strict=True):
        (elem if path == "." else elem.find(path)).set(attribute, fmt(value))
    if ids is not None:
        notes = text_marker(ids, text)
    elif isinstance(cached, etree._Element):
        notes = copy.deepcopy(cached)
    else:
        notes = notes_element(clip.notes, profile)
        if notes_cache is not None:
            notes_cache[id(clip)] = notes
    elem.replace(elem.find("Notes"), notes)
    parent.append(elem)
    return elem


# The values a clip sets in its template, in the order midi_clip gives them.
CLIP_HOLES: tuple[tuple[str, str], ...] = (
    (".", "Id"),
    (".", "Time"),
    ("CurrentStart", "Value"),
    ("CurrentEnd", "Value"),
    ("Loop/LoopEnd", "Value"),
    ("Loop/OutMarker", "Value"),
    ("Loop/HiddenLoopEnd", "Value"),
    ("Name", "Value"),
    ("Color", "Value"),
    ("ScrollerTimePreserver/RightTime", "Value"),
)
_NOTES_HOLE = b"<!--musiaia-notes-->"


@lru_cache(maxsize=64)
def _clip_fragment(
    profile: LiveProfile, time_signature: tuple[int, int], key: Key | None, session: bool
) -> Fragment:
    """The clip template as text with holes for its values, its notes left as a comment."""
    template = copy.deepcopy(_clip_template(profile, time_signature, key, session))
    template.replace(template.find("Notes"), etree.Comment(_NOTES_HOLE[4:-3].decode()))
    fragment = Fragment(template, CLIP_HOLES)
    if fragment.id_count:
        raise ValueError("a clip template has pointee ids: it cannot be placed as text")
    return fragment


class ClipText:
    """A whole MidiClip as text at serialization: the template's text with its values filled
    and its notes' text (one level deeper) where the Notes element would be."""

    __slots__ = ("fragment", "notes", "values")

    def __init__(self, fragment: Fragment, values: tuple, notes: NotesText) -> None:
        self.fragment = fragment
        self.values = tuple(attribute_text(v) for v in values)
        self.notes = notes

    def render(self, depth: int, first_id: int = 0, values: tuple[bytes, ...] = ()) -> bytes:
        text = self.fragment.render(depth, 0, self.values)
        return text.replace(_NOTES_HOLE, self.notes.render(depth + 1), 1)


@lru_cache(maxsize=64)
def _clip_template(
    profile: LiveProfile, time_signature: tuple[int, int], key: Key | None, session: bool
) -> Element:
    holder = etree.Element("Holder")
    return build_midi_clip(
        holder, Clip(name="", start=0, length=1), 0, 0, profile, time_signature, key, session
    )


def build_midi_clip(
    parent: Element,
    clip: Clip,
    clip_id: int,
    color: int,
    profile: LiveProfile,
    time_signature: tuple[int, int],
    key: Key | None,
    session: bool,
) -> Element:
    """Build a MidiClip element by element: the reference for what a clip contains."""
    start = 0.0 if session else clip.start
    length = clip.length
    elem = sub(parent, "MidiClip", Id=clip_id, Time=start)
    clip_head(
        elem,
        ClipPlacement(start, start + length, length, loop_on=session, session=session),
        clip.name,
        color,
        time_signature,
        fixed_grid=True,
    )
    if profile.clip_scale_first:  # Live 12.1+: the clip's key comes before its notes
        values(elem, ("IsInKey", key is not None))
        scale_information(elem, key, profile)
    notes_block(elem, clip.notes, profile)
    values(
        elem,
        ("BankSelectCoarse", -1),
        ("BankSelectFine", -1),
        ("ProgramChange", -1),
        ("NoteEditorFoldInZoom", -1),
        ("NoteEditorFoldInScroll", 0),
        ("NoteEditorFoldOutZoom", -1),
        ("NoteEditorFoldOutScroll", 0),
        ("NoteEditorFoldScaleZoom", -1),
        ("NoteEditorFoldScaleScroll", 0),
    )
    if not profile.clip_scale_first:  # up to 12.0: after the note editor's view state
        scale_information(elem, key, profile)
        values(elem, ("IsInKey", key is not None))
    values(elem, ("NoteSpellingPreference", profile.note_spelling_preference))
    if profile.clip_accidental_spelling:
        values(elem, ("AccidentalSpellingPreference", 3))
    values(elem, ("PreferFlatRootNote", _prefer_flats(key)))
    grid(elem, "ExpressionGrid", snap=False, fixed=False)
    return elem


class ClipPlacement(NamedTuple):
    """Where a clip sits and what it plays: ``start``/``end`` on the timeline (0..length in a
    scene slot), its content from 0 to ``loop_end`` beats, repeated when ``loop_on``."""

    start: float
    end: float
    loop_end: float
    loop_on: bool
    session: bool


def clip_head(
    elem: Element,
    placement: ClipPlacement,
    name: str,
    color: int,
    time_signature: tuple[int, int],
    fixed_grid: bool,
) -> None:
    """The children MidiClip and AudioClip share, LomId through TakeId, in Live's order (both
    kinds MusiaIA writes are warped: they follow the song's tempo)."""
    values(
        elem,
        ("LomId", 0),
        ("LomIdView", 0),
        ("CurrentStart", placement.start),
        ("CurrentEnd", placement.end),
    )
    loop = sub(elem, "Loop")
    values(
        loop,
        ("LoopStart", 0),
        ("LoopEnd", placement.loop_end),
        ("StartRelative", 0),
        ("LoopOn", placement.loop_on),
        ("OutMarker", placement.loop_end),
        ("HiddenLoopStart", 0),
        ("HiddenLoopEnd", placement.loop_end),
    )
    values(
        elem,
        ("Name", name),
        ("Annotation", ""),
        ("Color", color),
        ("LaunchMode", 0),
        ("LaunchQuantisation", 0),
    )
    signatures = sub(sub(elem, "TimeSignature"), "TimeSignatures")
    remoteable = sub(signatures, "RemoteableTimeSignature", Id=0)
    values(
        remoteable,
        ("Numerator", time_signature[0]),
        ("Denominator", time_signature[1]),
        ("Time", 0),
    )
    sub(sub(elem, "Envelopes"), "Envelopes")
    scroller = sub(elem, "ScrollerTimePreserver")
    values(scroller, ("LeftTime", 0), ("RightTime", placement.loop_end))
    selection = sub(elem, "TimeSelection")
    values(selection, ("AnchorTime", 0), ("OtherTime", 0))
    values(elem, ("Legato", False), ("Ram", False))
    values(sub(elem, "GrooveSettings"), ("GrooveId", -1))
    values(elem, ("Disabled", False), ("VelocityAmount", 0))
    blocks.follow_action(elem)
    grid(elem, "Grid", snap=True, fixed=fixed_grid)
    values(
        elem,
        ("FreezeStart", 0),
        ("FreezeEnd", 0),
        ("IsWarped", True),
        ("TakeId", 0 if placement.session else 1),
    )


def grid(parent: Element, tag: str, snap: bool, fixed: bool) -> None:
    elem = sub(parent, tag)
    values(
        elem,
        ("FixedNumerator", 1),
        ("FixedDenominator", 16),
        ("GridIntervalPixel", 20),
        ("Ntoles", 2),
        ("SnapToGrid", snap),
        ("Fixed", fixed),
    )


def scale_information(parent: Element, key: Key | None, profile: LiveProfile) -> None:
    """Up to 12.0 Live names the scale ("Minor"); from 12.1 it stores an index into its scale list
    (0 Major, 1 Minor — the first two entries of Live 12's scale menu)."""
    info = sub(parent, "ScaleInformation")
    tonic, mode = (key.tonic, key.mode) if key is not None else (0, "major")
    if profile.numeric_scale:
        values(info, ("Root", tonic), ("Name", SCALE_INDEXES[mode]))
    else:
        values(info, ("RootNote", tonic), ("Name", SCALE_NAMES[mode]))


def _prefer_flats(key: Key | None) -> bool:
    return key is not None and key.prefers_flats


def notes_element(notes: list[Note], profile: LiveProfile) -> Element:
    """The same Notes element as :func:`notes_block`, parsed from text in one go.

    Notes are most of a set; formatting them as text and letting libxml2 parse the fragment is
    several times faster than creating each element from Python. Only numbers go in, so nothing
    needs escaping.
    """
    by_pitch: dict[int, list[str]] = defaultdict(list)
    number = _number_text
    for note_id, note in enumerate(notes, start=1):
        by_pitch[note.pitch].append(
            f'<MidiNoteEvent Time="{number(note.start)}" Duration="{number(note.duration)}" '
            f'Velocity="{note.velocity}" VelocityDeviation="0" OffVelocity="64" Probability="1" '
            f'IsEnabled="true" NoteId="{note_id}"/>'
        )
    parts = ["<Notes><KeyTracks>"]
    for track_id, pitch in enumerate(sorted(by_pitch)):
        parts.append(f'<KeyTrack Id="{track_id}"><Notes>')
        parts.extend(by_pitch[pitch])
        parts.append(f'</Notes><MidiKey Value="{pitch}"/></KeyTrack>')
    parts.append("</KeyTracks><PerNoteEventStore><EventLists/></PerNoteEventStore>")
    if profile.note_probability_groups:
        parts.append(
            '<NoteProbabilityGroups/><ProbabilityGroupIdGenerator><NextId Value="1"/>'
            "</ProbabilityGroupIdGenerator>"
        )
    parts.append(f'<NoteIdGenerator><NextId Value="{len(notes) + 1}"/></NoteIdGenerator></Notes>')
    return etree.fromstring("".join(parts))


class NotesText:
    """A clip's Notes element as the text :func:`serialize` would give :func:`notes_element`
    (tab indentation, ``<Tag />``) at any depth, made without building elements."""

    __slots__ = ("_by_depth", "_events", "_next_id", "_probability_groups")

    def __init__(self, notes: list[Note], profile: LiveProfile) -> None:
        by_pitch: dict[int, list[str]] = defaultdict(list)
        number = _number_text
        for note_id, note in enumerate(notes, start=1):
            by_pitch[note.pitch].append(
                f'<MidiNoteEvent Time="{number(note.start)}" Duration="{number(note.duration)}" '
                f'Velocity="{note.velocity}" VelocityDeviation="0" OffVelocity="64" '
                f'Probability="1" IsEnabled="true" NoteId="{note_id}" />'
            )
        self._events = [(pitch, by_pitch[pitch]) for pitch in sorted(by_pitch)]
        self._next_id = len(notes) + 1
        self._probability_groups = profile.note_probability_groups
        self._by_depth: dict[int, bytes] = {}

    def render(self, depth: int, first_id: int = 0, values: tuple[bytes, ...] = ()) -> bytes:
        found = self._by_depth.get(depth)
        if found is None:
            found = self._by_depth[depth] = self._text(depth).encode()
        return found

    def _text(self, depth: int) -> str:
        own = "\n" + "\t" * depth
        i1 = own + "\t"
        i2, i3, i4 = i1 + "\t", i1 + "\t\t", i1 + "\t\t\t"
        parts = ["<Notes>", i1]
        if self._events:
            parts.append("<KeyTracks>")
            for track_id, (pitch, events) in enumerate(self._events):
                parts.append(f'{i2}<KeyTrack Id="{track_id}">{i3}<Notes>{i4}')
                parts.append(i4.join(events))
                parts.append(f'{i3}</Notes>{i3}<MidiKey Value="{pitch}" />{i2}</KeyTrack>')
            parts.append(f"{i1}</KeyTracks>")
        else:
            parts.append("<KeyTracks />")
        parts.append(f"{i1}<PerNoteEventStore>{i2}<EventLists />{i1}</PerNoteEventStore>")
        if self._probability_groups:
            parts.append(
                f"{i1}<NoteProbabilityGroups />{i1}<ProbabilityGroupIdGenerator>"
                f'{i2}<NextId Value="1" />{i1}</ProbabilityGroupIdGenerator>'
            )
        parts.append(
            f'{i1}<NoteIdGenerator>{i2}<NextId Value="{self._next_id}" />{i1}</NoteIdGenerator>'
            f"{own}</Notes>"
        )
        return "".join(parts)


@lru_cache(maxsize=4096)
def _number_text(value: float) -> str:
    """``fmt`` for note times, cached: a song reuses the same few hundred values."""
    return fmt(float(value))


def notes_block(parent: Element, notes: list[Note], profile: LiveProfile) -> Element:
    block = sub(parent, "Notes")
    key_tracks = sub(block, "KeyTracks")
    # Clip notes are already in (time, pitch) order; NoteIds follow it, as Live numbers them.
    by_pitch: dict[int, list[tuple[int, Note]]] = defaultdict(list)
    for note_id, note in enumerate(notes, start=1):
        by_pitch[note.pitch].append((note_id, note))
    subelement = etree.SubElement
    for track_id, pitch in enumerate(sorted(by_pitch)):
        key_track = subelement(key_tracks, "KeyTrack", {"Id": str(track_id)})
        events = subelement(key_track, "Notes")
        for note_id, note in by_pitch[pitch]:
            # Attributes in Live's order; built as one dict because notes are most of a set.
            subelement(
                events,
                "MidiNoteEvent",
                {
                    "Time": fmt(note.start),
                    "Duration": fmt(note.duration),
                    "Velocity": str(note.velocity),
                    **_NOTE_DEFAULTS,
                    "NoteId": str(note_id),
                },
            )
        values(key_track, ("MidiKey", pitch))
    sub(sub(block, "PerNoteEventStore"), "EventLists")
    if profile.note_probability_groups:
        sub(block, "NoteProbabilityGroups")
        values(sub(block, "ProbabilityGroupIdGenerator"), ("NextId", 1))
    values(sub(block, "NoteIdGenerator"), ("NextId", len(notes) + 1))
    return block
