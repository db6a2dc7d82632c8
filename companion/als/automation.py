"""Envelopes as Live writes them: arrangement automation on a track and clip envelopes.

Each envelope names its parameter by the AutomationTarget's pointee id. Its events are
FloatEvent (a continuous parameter), BoolEvent (a switch) or EnumEvent (a menu), Time in beats,
Value in Live's scale for that parameter, and always start with an event at -63072000 ("before the
song starts") holding the value the parameter has before the first breakpoint. Live draws a straight
line between two breakpoints in its own scale (linear amplitude for a fader or send); a jump is
two events at the same time, the old value and then the new one.

A clip envelope (ClipEnvelope) has the same target and events, plus the loop slot and scroll state
Live keeps with it. Live gives Session clips absolute clip envelopes for mixer and device
parameters; Arrangement clips have only modulation (relative) envelopes, so the same movement on the
timeline is written as the track's arrangement automation instead.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from companion.als import blocks
from companion.als.xmlkit import Element, PointeeIds, fmt, sub, text_marker, values
from companion.arrangement import Envelope

TIME_ORIGIN = -63072000  # Live's "before the song starts" event time


@dataclass(frozen=True)
class Target:
    """Where an envelope points and how its values are stored."""

    pointee: int
    event: str  # FloatEvent, BoolEvent or EnumEvent
    to_live: Callable[[float], float | int | bool]


def live_points(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Breakpoints as Live keeps them: at most two at any time (a jump: before, after)."""
    kept: list[tuple[float, float]] = []
    for index, point in enumerate(points):
        same_before = index > 0 and points[index - 1][0] == point[0]
        same_after = index + 1 < len(points) and points[index + 1][0] == point[0]
        if not (same_before and same_after):
            kept.append(point)
    return kept


def within_clip(envelope: Envelope, length: float) -> Envelope:
    """A clip envelope cut at the clip's end: Live misbehaves on clip envelope events past the
    clip's loop end, so the last point is the value there."""
    if envelope.points[-1][0] <= length:
        return envelope
    kept = [point for point in envelope.points if point[0] < length]
    kept.append((length, envelope.value_at(length)))
    return Envelope(target=envelope.target, points=kept)


def _events(
    automation: Element, envelope: Envelope, target: Target, ids: PointeeIds | None = None
) -> None:
    """The envelope's ``Events``: as text (:class:`EventsText`) when the document's ``ids`` are
    given, else element by element (the reference the text is tested against)."""
    points = live_points(envelope.points)
    events = [(TIME_ORIGIN, target.to_live(points[0][1]))]
    events.extend((time, target.to_live(value)) for time, value in points)
    if ids is not None:
        automation.append(text_marker(ids, EventsText(target.event, events)))
    else:
        parent = sub(automation, "Events")
        for event_id, (time, value) in enumerate(events):
            sub(parent, target.event, Id=event_id, Time=time, Value=value)
    blocks.transform_state(automation)


class EventsText:
    """An envelope's ``Events`` as the text :func:`serialize` gives its elements: a set's
    automation is hundreds of breakpoints, each otherwise an element built and written alone."""

    def __init__(self, event: str, events: list[tuple[float, float | int | bool]]) -> None:
        self._lines = [
            f'<{event} Id="{index}" Time="{fmt(time)}" Value="{fmt(value)}" />'
            for index, (time, value) in enumerate(events)
        ]

    def render(self, depth: int, first_id: int, values: tuple[bytes, ...]) -> bytes:
        inner = "\n" + "\t" * (depth + 1)
        lines = inner.join(self._lines)
        return f"<Events>{inner}{lines}\n{chr(9) * depth}</Events>".encode()


def arrangement_envelope(
    envelopes: Element,
    envelope_id: int,
    envelope: Envelope,
    target: Target,
    ids: PointeeIds | None = None,
) -> Element:
    """Append an AutomationEnvelope (song beats) to a track's AutomationEnvelopes/Envelopes."""
    elem = sub(envelopes, "AutomationEnvelope", Id=envelope_id)
    values(sub(elem, "EnvelopeTarget"), ("PointeeId", target.pointee))
    _events(sub(elem, "Automation"), envelope, target, ids)
    return elem


def clip_envelope(
    envelopes: Element,
    envelope_id: int,
    envelope: Envelope,
    target: Target,
    ids: PointeeIds | None = None,
) -> Element:
    """Append a ClipEnvelope (clip beats) to a clip's Envelopes/Envelopes."""
    elem = sub(envelopes, "ClipEnvelope", Id=envelope_id)
    values(sub(elem, "EnvelopeTarget"), ("PointeeId", target.pointee))
    _events(sub(elem, "Automation"), envelope, target, ids)
    sub(sub(elem, "LoopSlot"), "Value")
    values(sub(elem, "ScrollerTimePreserver"), ("LeftTime", 0), ("RightTime", 0))
    return elem


def event_value(text: str | None) -> float | None:
    """An event's Value as a number (``true``/``false`` for a switch)."""
    if text == "true":
        return 1.0
    if text == "false":
        return 0.0
    try:
        return float(text) if text is not None else None
    except ValueError:
        return None
