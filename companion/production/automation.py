"""Movement: the envelopes a producer draws on an arrangement, per section kind.

* Builds (and pre-choruses, more gently): the Auto Filters of chords, pads, arp and the risers
  open from a low cutoff to fully open at the drop, the snare's reverb send swells.
* The last beat before a drop: a reverb throw on the snare, delay throws on lead, chords, arp and
  vocals (the send jumps up for that beat, the echoes ring over the downbeat).
* Into a breakdown: the kit's high-pass rises and the bass dips over the last two bars; pads are
  wetter while it lasts.
* Intros fade in and outros fade out: the whole song, or in club styles everything but the kick
  (a DJ mixes on a full-level kick). Faders move in amplitude between Live's breakpoints, so fades
  have a breakpoint every beat along an amplitude curve.
* The same build movements as clip envelopes on the build's Session clips, so launching the
  build's scene sweeps too.

Times are song beats. Every movement starts and ends on the parameter's static value.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise

from companion.arrangement import Arrangement, Clip, Envelope, Section

OPEN_HZ = 19900.0
# part → (cutoff a build starts from, Hz; why)
SWEEP_FROM: dict[str, tuple[float, str]] = {
    "chords": (350.0, "chords come up from a muffled low-pass: the classic filter build"),
    "pads": (300.0, "pads open with the chords"),
    "arp": (400.0, "the arp opens last and brightest"),
    "fx": (500.0, "the riser's filter opens as it rises"),
    "lead": (600.0, "on request: the lead opens too"),
    "vocals": (500.0, "on request: vocal chops open too"),
}
PRE_CHORUS_SWEEP = 4.0  # a pre-chorus starts this many times higher: a hint, not a build
STRONG_SWEEP = 0.6  # a requested sweep starts lower (× the usual cutoff)
THROW_DB = -3.0  # a send on a throw
SNARE_SWELL_DB = 8.0  # the snare's reverb rises this much through a build
THROWS = {"snare": 0, "lead": 1, "chords": 1, "arp": 1, "vocals": 1}  # part → return thrown to
BREAKDOWN_BARS = 2
BREAKDOWN_HIGH_PASS = 1200.0  # the kit thins out to this high-pass into a breakdown
BASS_DIP_DB = 12.0
PADS_WETTER_DB = 4.0
FADE_IN_BARS = 2  # a song fades in over its first bars
PARTS_FADE_IN_BARS = 4
FADE_OUT_BARS = 8
SILENT = -70.0
BUILDS = ("build", "pre-chorus")
DROPS = ("drop", "chorus")
BREAKS = ("breakdown", "bridge")


@dataclass(frozen=True)
class Channel:
    """What movement needs to know about one track."""

    name: str
    part: str
    fader: float
    sends: tuple[float, float]
    slots: dict[str, int]  # "filter", "eq"… → device index
    filter_open: float = OPEN_HZ
    high_pass: float | None = None


Movement = list[tuple[float, float]]


def _start(song: Arrangement, section: Section) -> float:
    return song.section_start_beat(section)


def _end(song: Arrangement, section: Section) -> float:
    return _start(song, section) + section.bars * song.beats_per_bar


def _curve(t0: float, t1: float, v0: float, v1: float, step: float) -> Movement:
    """Points from (t0, v0) to (t1, v1), one per ``step`` beats, exponential between two
    frequencies (a straight line in octaves, as the ear and Live's filter scale hear it)."""
    count = max(1, round((t1 - t0) / step))
    points = []
    for i in range(count + 1):
        x = i / count
        points.append((t0 + (t1 - t0) * x, v0 * (v1 / v0) ** x))
    return points


def _fade(t0: float, t1: float, base: float, rising: bool) -> Movement:
    """A fade between silence and ``base`` dB: amplitude along x² (slow start, smooth end), a
    breakpoint every beat so Live's amplitude interpolation follows it."""
    count = max(1, math.ceil(t1 - t0))
    points = []
    for i in range(count + 1):
        x = i / count
        amount = x if rising else 1.0 - x
        value = SILENT if amount <= 0 else max(SILENT, base + 40.0 * math.log10(amount))
        points.append((t0 + (t1 - t0) * x, value))
    return points


def sweeps(song: Arrangement, channel: Channel, strong: bool) -> Movement:
    """The Auto Filter opening through every build (and pre-chorus)."""
    if "filter" not in channel.slots or channel.part not in SWEEP_FROM:
        return []
    low = SWEEP_FROM[channel.part][0] * (STRONG_SWEEP if strong else 1.0)
    top = channel.filter_open
    points: Movement = []
    bar = song.beats_per_bar
    for section in song.sections:
        if section.kind not in BUILDS:
            continue
        start = low * (PRE_CHORUS_SWEEP if section.kind == "pre-chorus" else 1.0)
        start = min(start, top / 2)
        t0, t1 = _start(song, section), _end(song, section)
        points += [(t0, top), *_curve(t0, t1, start, top, bar)]
    return points


def _drop_starts(song: Arrangement) -> list[tuple[float, Section | None]]:
    """Each drop's first beat, with the build before it (if any)."""
    found = []
    for index, section in enumerate(song.sections):
        start = _start(song, section)
        if section.kind in DROPS and start >= 1.0:
            before = song.sections[index - 1] if index else None
            found.append((start, before if before and before.kind in BUILDS else None))
    return found


def throws(song: Arrangement, channel: Channel) -> tuple[str, Movement] | None:
    """Send throws on the last beat before each drop (the snare's reverb swelling through
    the build before it)."""
    if channel.part not in THROWS:
        return None
    index = THROWS[channel.part]
    base = channel.sends[index]
    if base <= SILENT:
        return None
    points: Movement = []
    for drop, build in _drop_starts(song):
        throw = max(base, THROW_DB)
        if index == 0 and build is not None:
            swell = min(THROW_DB, base + SNARE_SWELL_DB)
            points += [(_start(song, build), base), (drop - 1.0, swell)]
        else:
            points.append((drop - 1.0, base))
        points += [(drop - 1.0, throw), (drop, throw), (drop, base)]
    return (f"send:{index}", _tidy(points)) if points else None


def _tidy(points: Movement) -> Movement:
    """Drop a point that repeats the one before (same time, same value)."""
    kept: Movement = []
    for point in points:
        if kept and kept[-1] == point:
            continue
        kept.append(point)
    return kept


def into_breakdowns(song: Arrangement, channel: Channel) -> list[tuple[str, Movement]]:
    moves: list[tuple[str, Movement]] = []
    bar = song.beats_per_bar
    starts = [
        _start(song, s) for s in song.sections if s.kind in BREAKS and _start(song, s) >= 2 * bar
    ]
    if not starts:
        return moves
    if channel.part in ("drums", "snare") and "eq" in channel.slots and channel.high_pass:
        points: Movement = []
        for start in starts:
            t0 = start - BREAKDOWN_BARS * bar
            points += _curve(t0, start, channel.high_pass, BREAKDOWN_HIGH_PASS, bar / 2)
            points.append((start, channel.high_pass))
        moves.append((f"device:{channel.slots['eq']}:b1_freq", points))
    if channel.part == "bass":
        points = []
        for start in starts:
            t0 = start - BREAKDOWN_BARS * bar
            low = max(SILENT, channel.fader - BASS_DIP_DB)
            points += [(t0, channel.fader), (start, low), (start, channel.fader)]
        moves.append(("volume", points))
    return moves


def wetter_breakdowns(song: Arrangement, channel: Channel) -> tuple[str, Movement] | None:
    if channel.part != "pads" or channel.sends[0] <= SILENT:
        return None
    base = channel.sends[0]
    wet = min(0.0, base + PADS_WETTER_DB)
    points: Movement = []
    for section in song.sections:
        if section.kind in BREAKS:
            t0, t1 = _start(song, section), _end(song, section)
            points += [(t0, base), (t0 + song.beats_per_bar, wet), (t1, wet), (t1, base)]
    return ("send:0", points) if points else None


def fades(song: Arrangement, base: float, parts_fade: bool) -> list[Movement]:
    """A fade in over the intro's first bars and one out over the outro's last bars."""
    if not song.sections:
        return []
    bar = song.beats_per_bar
    moves: list[Movement] = []
    first, last = song.sections[0], song.sections[-1]
    if first.kind == "intro":
        length = min(first.bars, PARTS_FADE_IN_BARS if parts_fade else FADE_IN_BARS) * bar
        moves.append(_fade(0.0, length, base, rising=True))
    if last.kind == "outro" and len(song.sections) > 1:
        end = _end(song, last)
        length = min(last.bars, FADE_OUT_BARS) * bar
        moves.append(_fade(end - length, end, base, rising=False))
    return moves


def _envelope(target: str, moves: Iterable[Movement]) -> Envelope | None:
    points: Movement = []
    for move in moves:
        if points and move and move[0][0] < points[-1][0]:
            continue  # overlaps the movement before: the first one wins
        points += move
    points = _tidy(points)
    return Envelope(target=target, points=points) if points else None


def track_envelopes(
    song: Arrangement, channel: Channel, strong_sweeps: bool, fade_parts: bool
) -> list[Envelope]:
    """Every arrangement envelope of one track."""
    by_target: dict[str, list[Movement]] = {}

    def add(target: str, move: Movement) -> None:
        if move:
            by_target.setdefault(target, []).append(move)

    if "filter" in channel.slots:
        add(f"device:{channel.slots['filter']}:cutoff_hz", sweeps(song, channel, strong_sweeps))
    found = throws(song, channel)
    if found:
        add(*found)
    for target, move in into_breakdowns(song, channel):
        add(target, move)
    found = wetter_breakdowns(song, channel)
    if found:
        add(*found)
    if fade_parts and channel.part != "kick":
        for move in fades(song, channel.fader, parts_fade=True):
            add("volume", move)
    envelopes = []
    for target, moves in by_target.items():
        moves.sort(key=lambda move: move[0][0])
        envelope = _envelope(target, moves)
        if envelope is not None:
            envelopes.append(envelope)
    return envelopes


def send_lift(song: Arrangement, part: str, sends: tuple[float, float]) -> dict[int, float]:
    """Per section index, how much more power the reverb send carries on average than its
    static level, from the send movements written here (the pads' wetter breakdowns, the
    throws before drops): a breakdown's +4 dB on a long hall more than doubles the return."""
    channel = Channel(name="", part=part, fader=0.0, sends=sends, slots={})
    moves = [found for found in (throws(song, channel), wetter_breakdowns(song, channel)) if found]
    points = sorted(
        (p for target, move in moves if target == "send:0" for p in move), key=lambda p: p[0]
    )
    if not points or sends[0] <= SILENT:
        return {}
    base = 10.0 ** (sends[0] / 10.0)
    lift: dict[int, float] = {}
    for index, section in enumerate(song.sections):
        t0, t1 = _start(song, section), _end(song, section)
        steps = max(1, round((t1 - t0) * 4))  # sixteenths
        total = 0.0
        for k in range(steps):
            total += 10.0 ** (_at(points, t0 + (k + 0.5) * (t1 - t0) / steps) / 10.0)
        lift[index] = total / steps / base
    return lift


def _at(points: Movement, beat: float) -> float:
    """An envelope's value at ``beat``: straight lines between points, held beyond them (of
    two points at one beat, the later one holds after it)."""
    if beat < points[0][0]:
        return points[0][1]
    for (t0, v0), (t1, v1) in pairwise(points):
        if t0 <= beat < t1:
            return v0 + (v1 - v0) * (beat - t0) / (t1 - t0)
    return points[-1][1]


def clip_envelopes(
    song: Arrangement, clip: Clip, envelopes: list[Envelope], targets: tuple[str, ...]
) -> list[Envelope]:
    """The track's envelopes over one clip, in clip beats (for the Session clip)."""
    out = []
    start, end = clip.start, clip.end
    for envelope in envelopes:
        if not envelope.target.startswith(targets):
            continue
        inside = [(t - start, v) for t, v in envelope.points if start <= t < end]
        if not inside or all(v == inside[0][1] for _, v in inside):
            continue
        while len(inside) > 1 and inside[1][0] == 0.0:
            inside.pop(0)  # a jump on the clip's first beat: the clip starts after it
        if inside[0][0] > 0:
            inside.insert(0, (0.0, envelope.value_at(start)))
        last = envelope.value_at(end - 1e-6)
        inside.append((clip.length, last))
        out.append(Envelope(target=envelope.target, points=_tidy(inside)))
    return out
