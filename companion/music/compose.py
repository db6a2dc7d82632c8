"""compose(spec) → Arrangement: the deterministic music engine's entry point.

Plan sections, lay the chord timeline, then let each part render its clips from the shared context.
Parts never read each other's notes, and each has its own random stream, so the result is a pure
function of the spec: same spec, same bytes.
"""

from __future__ import annotations

from collections.abc import Callable

from companion.arrangement import Arrangement, Clip, Track
from companion.music import arp, bass, chords, drums, fx, lead, vocals
from companion.music.context import Context
from companion.music.harmony import build_harmony
from companion.music.idioms import idiom_names
from companion.music.meter import Meter
from companion.music.rng import part_rng
from companion.music.roles import ROLE_COLORS, TRACK_NAMES, TRACK_ORDER
from companion.music.sections import PlannedSection, plan_sections
from companion.music.spec import SongSpec
from companion.music.styles import mood_shape, style_profile
from companion.music.theory import parse_key
from companion.requirements import DRUM_LANES

Generator = Callable[[Context], dict[int, list]]

GENERATORS: dict[str, Generator] = {
    "drums": drums.generate,
    "bass": bass.generate,
    "chords": chords.generate_chords,
    "pads": chords.generate_pads,
    "lead": lead.generate,
    "arp": arp.generate,
    "vocals": vocals.generate,
    "fx": fx.generate,
}


def requested_lanes(spec: SongSpec) -> tuple[str, ...]:
    """Drum lanes to play: the explicit lane words, else the style's kit when "drums" is asked."""
    lanes = tuple(lane for lane in DRUM_LANES if lane in spec.parts)
    if lanes:
        return lanes
    if "drums" in spec.parts:
        return style_profile(spec.style).lanes
    return ()


def _activation(parts: list[str], sections: list[PlannedSection]) -> dict[str, frozenset[int]]:
    """Sections each part plays in; a part the form never uses plays in the peak sections."""
    active: dict[str, frozenset[int]] = {}
    peak = max(section.energy for section in sections)
    for part in parts:
        indexes = frozenset(s.index for s in sections if part in s.parts)
        if not indexes:
            indexes = frozenset(s.index for s in sections if s.energy >= peak - 0.15)
        active[part] = indexes
    return active


def make_context(spec: SongSpec) -> Context:
    profile = style_profile(spec.style)
    meter = Meter(*spec.time_signature)
    key = parse_key(spec.key)
    sections = plan_sections(profile.form, spec.bars)
    harmony = build_harmony(
        profile,
        key,
        spec.mood,
        sections,
        meter.bar,
        part_rng(spec.seed, "harmony", spec.variation.get("chords", 0)),
        spec.seed + spec.variation.get("chords", 0),
    )
    lanes = requested_lanes(spec)
    tracks = [part for part in TRACK_ORDER if part != "drums" and part in spec.parts]
    active = _activation(tracks + list(lanes), sections)
    return Context(
        spec,
        profile,
        meter,
        key,
        sections,
        harmony,
        lanes,
        active,
        idiom_names(spec.style),
        mood_shape(spec.mood),
    )


def _title(spec: SongSpec) -> str:
    bpm = int(spec.bpm) if float(spec.bpm).is_integer() else spec.bpm
    return f"{style_profile(spec.style).label} {bpm} {spec.key}"


def compose(spec: SongSpec) -> Arrangement:
    ctx = make_context(spec)
    tracks: list[Track] = []
    for role in TRACK_ORDER:
        if role == "drums":
            if not ctx.lanes:
                continue
        elif role not in spec.parts:
            continue
        clips_notes = GENERATORS[role](ctx)
        name = TRACK_NAMES[role]
        clips = [
            Clip(
                name=f"{name} · {section.name}",
                start=ctx.start(section),
                length=ctx.length(section),
                section=section.index,
                notes=clips_notes[section.index],
            )
            for section in ctx.sections
            if clips_notes.get(section.index)
        ]
        tracks.append(Track(name=name, role=role, color=ROLE_COLORS[role], clips=clips))
    return Arrangement(
        title=_title(spec),
        style=spec.style,
        mood=spec.mood,
        bpm=spec.bpm,
        key=spec.key,
        time_signature=spec.time_signature,
        bars=spec.bars,
        seed=spec.seed,
        sections=[section.to_section() for section in ctx.sections],
        tracks=tracks,
        chords=ctx.harmony.events(),
    )
