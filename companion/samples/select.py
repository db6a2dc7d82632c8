"""Choosing the sounds of a song: one sample per Drum Rack pad and FX note, one tuned one-shot
per melodic part (and, on request, a fitting loop per part).

Every slot (kick pad, closed-hat pad, riser note, bass…) scores each candidate by kind, subtype
(a shaker for the shaker pad), style, length, register and key, keeps the producer's own library
whenever it has something acceptable, and falls back to the built-in kit otherwise. Among the
near-best candidates one is drawn with a random stream derived from the song's seed and the slot,
so the same song always gets the same sounds, another seed gets another kick, and a slot never
takes a file another slot of the same part already uses. Pure: candidates in, choices out.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import func, select

from companion.arrangement import DRUM_MAP, Arrangement
from companion.db import Database, Sample
from companion.kit import build as kit_build
from companion.kit.catalogue import KIT
from companion.music.fx import FX_MAP
from companion.music.rng import part_rng
from companion.music.roles import ROLE_RANGES, TRACK_ORDER
from companion.music.spec import SongSpec
from companion.music.theory import parse_key
from companion.requirements import DRUM_LANES, STYLES
from companion.samples import palette, palette_fit
from companion.samples.limits import unusable_reason
from companion.samples.search import related_styles

Source = Literal["library", "kit"]

VARIETY_MARGIN = 0.15  # candidates within this score of the best are all in the draw
VARIETY_POOL = 6
MIN_LIBRARY_SCORE = 0.8  # below this the kit's sound is the better choice
LOOP_TOLERANCE = 0.08  # a loop within ±8% of the song tempo (or half/double) can be warped
URBAN = frozenset({"trap", "hip-hop", "boom-bap", "lo-fi", "reggaeton", "dubstep"})


@dataclass(frozen=True, slots=True)
class SampleCandidate:
    """A sound that could be used: a library row or a kit file.

    A slotted dataclass rather than a pydantic model: a library holds tens of thousands of rows
    and they are built on every selection; rows were validated when they were indexed.
    """

    path: str
    kind: str
    subtype: str | None = None
    is_loop: bool = False
    bpm: float | None = None
    key: str | None = None
    root_note: int | None = None
    duration: float | None = None
    styles: tuple[str, ...] = ()
    kind_confidence: float = 0.9
    source: Source = "library"
    sample_id: int | None = None
    tags: tuple[str, ...] = ()  # words from the name and folders (character, instrument)
    owner_id: int | None = None  # the account that uploaded it; None: the shared library


class ChosenSample(BaseModel):
    """What the Live set writer needs for one sound."""

    model_config = ConfigDict(frozen=True)

    part: str  # track role: drums, bass, chords, pads, lead, arp, vocals, fx
    slot: str  # kick, closed_hat, shaker, riser, bass, loop…
    pad_note: int | None = None  # Drum Rack pad (drums) or FX note; None for melodic parts
    path: str
    root_note: int | None = None  # MIDI note the file plays at: set a Simpler's root to it
    is_loop: bool = False
    bpm: float | None = None  # loops: the file's tempo, for warping
    key: str | None = None
    source: Source = "library"
    sample_id: int | None = None
    score: float = 0.0


class SampleSelection(BaseModel):
    parts: dict[str, list[ChosenSample]] = Field(default_factory=dict)
    loops: dict[str, ChosenSample] = Field(default_factory=dict)

    def __getitem__(self, part: str) -> list[ChosenSample]:
        return self.parts[part]

    def for_pad(self, part: str, note: int) -> ChosenSample | None:
        return next((c for c in self.parts.get(part, []) if c.pad_note == note), None)

    def all(self) -> list[ChosenSample]:
        return [c for chosen in self.parts.values() for c in chosen] + list(self.loops.values())


class SelectionTarget(BaseModel):
    """The facts of a song that choosing sounds depends on."""

    model_config = ConfigDict(frozen=True)

    style: str | None = None
    mood: str | None = None
    bpm: float = 120.0
    key: str | None = None
    parts: tuple[str, ...] = ("drums", "bass", "chords", "pads", "lead", "fx")
    drum_pads: tuple[int, ...] = (36, 38, 39, 42, 46, 37, 70, 62)
    fx_notes: tuple[int, ...] = tuple(sorted(FX_MAP.values()))

    @classmethod
    def from_arrangement(cls, arrangement: Arrangement) -> SelectionTarget:
        """Pads and FX notes actually played, so no sound is chosen for an unused pad."""
        roles = {track.role for track in arrangement.tracks}

        def pitches(role: str) -> tuple[int, ...]:
            return tuple(
                sorted(
                    {
                        note.pitch
                        for track in arrangement.tracks
                        if track.role == role
                        for clip in track.clips
                        for note in clip.notes
                    }
                )
            )

        return cls(
            style=arrangement.style,
            mood=arrangement.mood,
            bpm=arrangement.bpm,
            key=arrangement.key,
            parts=tuple(role for role in TRACK_ORDER if role in roles),
            drum_pads=pitches("drums"),
            fx_notes=pitches("fx"),
        )

    @classmethod
    def from_spec(cls, spec: SongSpec) -> SelectionTarget:
        """Before composing: default pads for the drum lanes asked for, every FX note."""
        lanes = {part for part in spec.parts if part in DRUM_LANES}
        pads: list[int] = []
        if "drums" in spec.parts or lanes:
            wanted = lanes or set(DRUM_LANES)
            for lane, notes in (
                ("kick", (36,)),
                ("snare", (38,)),
                ("clap", (39,)),
                ("hats", (42, 46)),
                ("percussion", (37, 70, 62)),
            ):
                if lane in wanted:
                    pads.extend(notes)
        roles = {"drums" if part in DRUM_LANES else part for part in spec.parts}
        return cls(
            style=spec.style,
            mood=spec.mood,
            bpm=spec.bpm,
            key=spec.key,
            parts=tuple(role for role in TRACK_ORDER if role in roles),
            drum_pads=tuple(pads),
        )


# --- slots --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Slot:
    name: str
    kinds: tuple[str, ...]  # acceptable kinds, best first
    subtype: str | None = None
    tonal: bool = False
    min_duration: float | None = None
    max_duration: float | None = None


def _pad(name: str, kinds: tuple[str, ...], subtype: str | None = None, longest: float = 3.0):
    return Slot(name, kinds, subtype, max_duration=longest)


PAD_SLOTS: dict[int, Slot] = {
    DRUM_MAP["kick"]: _pad("kick", ("kick",)),
    DRUM_MAP["rim"]: _pad("rim", ("perc",), "rim"),
    DRUM_MAP["snare"]: _pad("snare", ("snare",)),
    DRUM_MAP["clap"]: _pad("clap", ("clap",)),
    DRUM_MAP["snare2"]: _pad("snare2", ("snare",)),
    DRUM_MAP["tom_low"]: _pad("tom_low", ("perc",), "tom"),
    DRUM_MAP["closed_hat"]: _pad("closed_hat", ("closed_hat", "hat"), longest=1.5),
    DRUM_MAP["tom_mid"]: _pad("tom_mid", ("perc",), "tom"),
    DRUM_MAP["pedal_hat"]: _pad("pedal_hat", ("closed_hat", "hat"), longest=1.5),
    DRUM_MAP["open_hat"]: _pad("open_hat", ("open_hat", "hat")),
    DRUM_MAP["tom_high"]: _pad("tom_high", ("perc",), "tom"),
    DRUM_MAP["crash"]: _pad("crash", ("cymbal",), "crash", longest=8.0),
    DRUM_MAP["ride"]: _pad("ride", ("cymbal",), "ride", longest=8.0),
    DRUM_MAP["tambourine"]: _pad("tambourine", ("perc",), "tambourine"),
    DRUM_MAP["cowbell"]: _pad("cowbell", ("perc",), "cowbell"),
    DRUM_MAP["shaker"]: _pad("shaker", ("perc",), "shaker"),
    DRUM_MAP["conga_high"]: _pad("conga_high", ("perc",), "conga"),
    DRUM_MAP["conga_low"]: _pad("conga_low", ("perc",), "conga"),
    DRUM_MAP["bongo_high"]: _pad("bongo_high", ("perc",), "bongo"),
    DRUM_MAP["bongo_low"]: _pad("bongo_low", ("perc",), "bongo"),
    DRUM_MAP["clave"]: _pad("clave", ("perc",), "clave"),
}
FX_SLOTS: dict[int, Slot] = {
    note: Slot(name, ("fx",), name, max_duration=30.0) for name, note in FX_MAP.items()
}
# When the exact subtype is missing, the closest sound does the job.
NEIGHBOURS: dict[str, tuple[str, ...]] = {
    "tambourine": ("shaker",),
    "shaker": ("tambourine",),
    "cowbell": ("rim", "clave"),
    "clave": ("rim",),
    "rim": ("clave",),
    "bongo": ("conga",),
    "conga": ("bongo", "tom"),
    "tom": ("conga",),
    "crash": ("ride",),
    "ride": ("crash",),
    "sweep": ("riser",),
    "reverse_cymbal": ("riser", "sweep"),
    "downlifter": ("sweep",),
    "sub_drop": ("impact",),
    "riser": ("sweep",),
    "impact": ("sub_drop",),
}


def tonal_slot(part: str, style: str | None) -> Slot | None:
    if part == "bass":
        kinds = ("808", "bass") if style in URBAN else ("bass", "808", "synth")
        return Slot("bass", kinds, tonal=True)
    if part == "chords":
        return Slot("chords", ("keys", "synth", "pad"), tonal=True)
    if part == "pads":
        return Slot("pad", ("pad", "synth", "keys"), tonal=True, min_duration=1.5)
    if part == "lead":
        return Slot("lead", ("lead", "synth", "keys"), tonal=True)
    if part == "arp":
        return Slot("arp", ("lead", "keys", "synth"), "pluck", tonal=True)
    if part == "vocals":
        return Slot("vocal", ("vocal",), tonal=True)
    return None


LOOP_KINDS: dict[str, tuple[str, ...]] = {
    "drums": ("drums", "perc", "hat", "closed_hat", "open_hat"),
    "bass": ("bass", "808"),
    "chords": ("chord", "keys", "synth"),
    "pads": ("pad", "synth"),
    "lead": ("lead", "synth"),
    "arp": ("lead", "synth"),
    "vocals": ("vocal",),
    "fx": ("fx",),
}
TONAL_LOOP_PARTS = frozenset({"bass", "chords", "pads", "lead", "arp", "vocals"})


# --- scoring (pure) ---------------------------------------------------------------------------


def _style_fit(candidate: SampleCandidate, style: str | None) -> float:
    if style is None or not candidate.styles:
        return 0.0
    if style in candidate.styles:
        return 0.4
    if set(candidate.styles) & related_styles(style):
        return 0.2
    return -0.1


def _key_fit(candidate_key: str | None, target_key: str | None) -> float | None:
    """1.0 same key, 0.8 relative major/minor, 0 otherwise; None when either is unknown."""
    if not candidate_key or not target_key:
        return None
    try:
        mine, theirs = parse_key(candidate_key), parse_key(target_key)
    except ValueError:
        return None
    return 1.0 if mine == theirs else 0.8 if mine == theirs.relative() else 0.0


def slot_fit(
    candidate: SampleCandidate, slot: Slot, target: SelectionTarget, part: str
) -> float | None:
    """How well a one-shot suits a slot; None when it cannot be used there at all."""
    if candidate.kind not in slot.kinds or candidate.is_loop:
        return None
    if slot.tonal and candidate.root_note is None:
        return None  # a Simpler cannot play it in tune without knowing its note
    score = 1.0 - 0.25 * slot.kinds.index(candidate.kind) + 0.3 * candidate.kind_confidence
    if slot.subtype is not None:
        if candidate.subtype == slot.subtype:
            score += 0.5
        elif candidate.subtype in NEIGHBOURS.get(slot.subtype, ()):
            score += 0.15
        elif candidate.subtype is not None:
            score -= 0.3
    score += _style_fit(candidate, target.style)
    duration = candidate.duration
    if duration is not None:
        if slot.max_duration is not None and duration > slot.max_duration:
            score -= 0.4
        if slot.min_duration is not None and duration < slot.min_duration:
            score -= 0.4
    if slot.tonal and candidate.root_note is not None and part in ROLE_RANGES:
        low, high = ROLE_RANGES[part]
        distance = abs(candidate.root_note - (low + high) / 2)
        score -= 0.2 * max(0.0, distance - 9) / 6  # played far from its root a sample sounds thin
    key = _key_fit(candidate.key, target.key)
    if key:
        score += 0.1 * key
    if candidate.source == "library":
        score += palette_fit.library_bonus(
            candidate.path, candidate.tags, slot.name, part, target.style, target.mood
        )
    return round(score, 4)


def tempo_factor(loop_bpm: float, song_bpm: float) -> float | None:
    """How a loop counts against the song: 1 (same tempo), 2 (a half-time loop played as the
    song's bar), 0.5 (double time), or None when warping it would be too far from its tempo."""
    fits = [
        (abs(song_bpm / (loop_bpm * factor) - 1.0), rank, factor)
        for rank, factor in enumerate((1.0, 2.0, 0.5))
    ]
    deviation, _, factor = min(fits)
    return factor if deviation <= LOOP_TOLERANCE else None


def loop_fit(candidate: SampleCandidate, part: str, target: SelectionTarget) -> float | None:
    """How well a loop suits a part: tempo within ±8% (half/double allowed), compatible key."""
    if not candidate.is_loop or candidate.bpm is None or candidate.kind not in LOOP_KINDS[part]:
        return None
    best = None
    for factor, weight in ((1.0, 1.0), (2.0, 0.85), (0.5, 0.85)):
        deviation = abs(target.bpm / (candidate.bpm * factor) - 1.0)
        if deviation <= LOOP_TOLERANCE:
            value = weight * (1.0 - 0.5 * deviation / LOOP_TOLERANCE)
            best = value if best is None else max(best, value)
    if best is None:
        return None
    score = 1.0 + best + _style_fit(candidate, target.style)
    if part in TONAL_LOOP_PARTS:
        key = _key_fit(candidate.key, target.key)
        if key is None or key == 0.0:
            return None  # an out-of-key (or unknown-key) melodic loop clashes
        score += 0.5 * key
    score -= 0.25 * LOOP_KINDS[part].index(candidate.kind)
    return round(score, 4)


def _draw(
    scored: list[tuple[float, SampleCandidate]], rng_names: tuple, seed: int, taken: set[str]
) -> tuple[float, SampleCandidate] | None:
    """A seeded draw among the near-best (weighted towards the best), avoiding taken files."""
    if not scored:
        return None
    ordered = sorted(scored, key=lambda item: (-item[0], item[1].path))
    best = ordered[0][0]
    near = [item for item in ordered if item[0] >= best - VARIETY_MARGIN]
    # Another pad's file is reused only when nothing else comes close (three toms, one tom).
    pool = ([item for item in near if item[1].path not in taken] or near)[:VARIETY_POOL]
    best = pool[0][0]
    weights = [math.exp((score - best) / 0.15) for score, _ in pool]
    rng = part_rng(seed, "samples", *rng_names)
    return rng.choices(pool, weights=weights, k=1)[0]


def _choose(
    candidates: Sequence[SampleCandidate],
    fit,
    rng_names: tuple,
    seed: int,
    taken: set[str],
    preferred: SampleCandidate | None = None,
) -> tuple[float, SampleCandidate] | None:
    """Library first (if anything there is good enough), then the kit sound the style's palette
    names (``preferred``), then the best-fitting kit sound."""
    library: list[tuple[float, SampleCandidate]] = []
    kit: list[tuple[float, SampleCandidate]] = []
    for candidate in candidates:  # already narrowed to the slot's kinds by the caller
        score = fit(candidate)
        if score is None:
            continue
        (kit if candidate.source == "kit" else library).append((score, candidate))
    good = [item for item in library if item[0] >= MIN_LIBRARY_SCORE]
    drawn = _draw(good, rng_names, seed, taken)
    if drawn is None and preferred is not None and preferred.path not in taken:
        return 1.0, preferred
    return drawn or _draw(kit, rng_names, seed, taken)


def _chosen(part: str, slot: str, pad: int | None, score: float, c: SampleCandidate):
    return ChosenSample(
        part=part,
        slot=slot,
        pad_note=pad,
        path=c.path,
        root_note=c.root_note,
        is_loop=c.is_loop,
        bpm=c.bpm,
        key=c.key,
        source=c.source,
        sample_id=c.sample_id,
        score=score,
    )


def select_samples(
    song: Arrangement | SongSpec | SelectionTarget,
    candidates: Sequence[SampleCandidate],
    seed: int,
    *,
    loops: bool = False,
) -> SampleSelection:
    """The sounds for every part of ``song``: per drum pad and FX note, one per melodic part, and
    with ``loops=True`` the best-fitting loop per part. Deterministic for a given seed."""
    if isinstance(song, Arrangement):
        target = SelectionTarget.from_arrangement(song)
    elif isinstance(song, SongSpec):
        target = SelectionTarget.from_spec(song)
    else:
        target = song
    by_kind: dict[str, list[SampleCandidate]] = {}
    kit_by_name: dict[str, SampleCandidate] = {}
    for candidate in candidates:
        by_kind.setdefault(candidate.kind, []).append(candidate)
        if candidate.source == "kit" and (name := palette_fit.kit_sound_name(candidate.path)):
            kit_by_name.setdefault(name, candidate)

    def preferred(slot_name: str, part: str) -> SampleCandidate | None:
        name = palette_fit.kit_pick_name(slot_name, part, target.style, target.mood)
        return kit_by_name.get(name) if name else None

    def of_kinds(kinds: Iterable[str]) -> list[SampleCandidate]:
        return [c for kind in dict.fromkeys(kinds) for c in by_kind.get(kind, ())]

    selection = SampleSelection()
    for part in target.parts:
        taken: set[str] = set()
        chosen: list[ChosenSample] = []
        if part in ("drums", "fx"):
            notes, slots = (
                (target.drum_pads, PAD_SLOTS) if part == "drums" else (target.fx_notes, FX_SLOTS)
            )
            for note in notes:
                slot = slots.get(note)
                if slot is None:
                    continue
                pick = _choose(
                    of_kinds(slot.kinds),
                    lambda c, s=slot, p=part: slot_fit(c, s, target, p),
                    (part, slot.name, note),
                    seed,
                    taken,
                    preferred(slot.name, part),
                )
                if pick is not None:
                    taken.add(pick[1].path)
                    chosen.append(_chosen(part, slot.name, note, *pick))
        else:
            slot = tonal_slot(part, target.style)
            if slot is not None:
                pick = _choose(
                    of_kinds(slot.kinds),
                    lambda c, s=slot, p=part: slot_fit(c, s, target, p),
                    (part, slot.name),
                    seed,
                    taken,
                    preferred(slot.name, part),
                )
                if pick is not None:
                    chosen.append(_chosen(part, slot.name, None, *pick))
        if chosen:
            selection.parts[part] = chosen
        if loops and part in LOOP_KINDS:
            scored = [
                (score, c)
                for c in of_kinds(LOOP_KINDS[part])
                if c.source == "library" and (score := loop_fit(c, part, target)) is not None
            ]
            pick = _draw(scored, (part, "loop"), seed, set())
            if pick is not None:
                selection.loops[part] = _chosen(part, "loop", None, *pick)
    return selection


# --- candidate sources (I/O) --------------------------------------------------------------------


def library_candidates(
    database: Database, kinds: Iterable[str] | None = None, *, loops: bool = True
) -> list[SampleCandidate]:
    """Usable rows of the ``samples`` table as candidates (``loops=False`` leaves loops out)."""
    table = Sample.__table__
    columns = (
        table.c.id, table.c.path, table.c.kind, table.c.subtype, table.c.is_loop, table.c.bpm,
        table.c.key, table.c.root_note, table.c.duration, table.c.tags, table.c.kind_confidence,
        table.c.owner_id, table.c.size, table.c.sample_rate, table.c.channels,
    )  # fmt: skip
    query = select(*columns).where(
        table.c.error.is_(None), table.c.unusable.is_(None), table.c.kind.is_not(None)
    )
    if kinds is not None:
        query = query.where(table.c.kind.in_(sorted(set(kinds))))
    if not loops:
        query = query.where(table.c.is_loop.is_(False))
    with database.engine.connect() as connection:
        rows = connection.execute(query.order_by(table.c.path)).all()
    styles = set(STYLES)
    return [
        SampleCandidate(
            path=row.path,
            kind=row.kind,
            subtype=row.subtype,
            is_loop=bool(row.is_loop),
            bpm=row.bpm,
            key=row.key,
            root_note=row.root_note,
            duration=row.duration,
            styles=tuple(tag for tag in row.tags or () if tag in styles),
            kind_confidence=float(row.kind_confidence or 0.0),
            source="library",
            sample_id=row.id,
            tags=tuple(row.tags or ()),
            owner_id=row.owner_id,
        )
        for row in rows
        if _eligible(row)
    ]


def _eligible(row) -> bool:
    """The limits again, on the row as stored: a row indexed before they existed (or by an
    older version) is never offered either."""
    reason = unusable_reason(
        size=row.size,
        duration=row.duration,
        sample_rate=row.sample_rate,
        channels=row.channels,
        is_loop=bool(row.is_loop),
        bpm=row.bpm,
    )
    return reason is None


class CandidateCache:
    """Library candidates kept in memory and reloaded only when the ``samples`` table changed
    (row count, newest ``indexed_at`` and highest id are checked with one aggregate query)."""

    def __init__(self, database: Database) -> None:
        self.database = database
        self._signature: tuple | None = None
        self._candidates: list[SampleCandidate] = []
        self._lock = threading.Lock()

    def _current(self) -> tuple:
        table = Sample.__table__
        query = select(func.count(), func.max(table.c.indexed_at), func.max(table.c.id))
        with self.database.engine.connect() as connection:
            return tuple(connection.execute(query.select_from(table)).one())

    def get(self) -> list[SampleCandidate]:
        with self._lock:
            signature = self._current()
            if signature != self._signature:
                self._candidates = library_candidates(self.database)
                self._signature = signature
            return self._candidates


def kit_candidates(folder: str | Path, *, ensure: bool = True) -> list[SampleCandidate]:
    """The built-in kit as candidates (rendered into ``folder`` first unless told not to)."""
    folder = Path(folder)
    if ensure:
        kit_build.ensure_kit(folder)
    return list(_kit_candidates(folder))


@lru_cache(maxsize=16)
def _kit_candidates(folder: Path) -> tuple[SampleCandidate, ...]:
    """The candidates depend on the folder only (the kit is code, candidates are frozen): made
    once per folder, not on every request."""
    return tuple(
        SampleCandidate(
            path=str(folder / sound.filename),
            kind=sound.kind,
            subtype=sound.subtype,
            root_note=sound.root_note,
            styles=palette.styles_using(sound.instrument or sound.name),
            kind_confidence=1.0,
            source="kit",
            tags=sound.tags,
        )
        for sound in KIT
    )
