"""resolve(requirements) → SongSpec: fill every blank with the style's defaults.

Rules, in order of authority:
1. What the producer said (tempo, key, bars, meter, mood, parts) is never overridden.
2. With ``base`` (modifying an existing project) everything starts from the previous spec and only
   what the requirements or adjustments mention changes (tempo_delta, transpose, bars_delta,
   density, include/exclude, regenerate).
3. Otherwise the style's defaults apply. No style: a mood that clearly implies one picks it
   (dark → techno, chill → lo-fi, dreamy → ambient, euphoric → trance...), else house.

Parts: style defaults + include − exclude. Drum words are lanes of the one drums track: the spec
always lists the lanes explicitly when any drum lane is involved, so "sin hi-hats" → every lane but
hats, and "con kick" in an ambient piece → a drums track with just a kick.
"""

from __future__ import annotations

from companion.music.sections import base_length, stretched_bars
from companion.music.spec import SongSpec
from companion.music.styles import (
    DEFAULT_STYLE,
    MOOD_MODE,
    MOOD_STYLE,
    MOOD_TEMPO,
    StyleProfile,
    style_profile,
)
from companion.music.theory import format_key, parse_key, parse_time_signature
from companion.requirements import (
    DRUM_LANES,
    MAX_BARS,
    MAX_BPM,
    MIN_BPM,
    PARTS,
    Adjustments,
    ProductionChoices,
    Requirements,
)

DENSITY_LIMIT = 2


def default_key(profile: StyleProfile, mood: str | None) -> str:
    mode = MOOD_MODE.get(mood or "", profile.mode)
    if mode == "minor":
        return format_key(profile.minor_tonic, "minor")
    return format_key(profile.minor_tonic + 3, "major")  # the relative major


def default_bpm(profile: StyleProfile, mood: str | None) -> float:
    if mood in MOOD_TEMPO:
        low, high = profile.bpm_range
        return float(round(low + (high - low) * MOOD_TEMPO[mood]))
    return float(profile.bpm)


def _expand_parts(parts: set[str], profile: StyleProfile) -> set[str]:
    """Make drum lanes explicit so include/exclude of one lane is unambiguous."""
    if "drums" in parts and not parts & set(DRUM_LANES):
        parts |= set(profile.lanes)
    return parts


def resolve_parts(
    base_parts: tuple[str, ...], profile: StyleProfile, include: list[str], exclude: list[str]
) -> tuple[str, ...]:
    parts = _expand_parts(set(base_parts), profile)
    for part in include:
        if part == "drums":
            parts |= {"drums"} | (set(profile.lanes) if not parts & set(DRUM_LANES) else set())
        elif part in DRUM_LANES:
            parts |= {"drums", part}
        else:
            parts.add(part)
    for part in exclude:
        if part == "drums":
            parts -= {"drums", *DRUM_LANES}
        else:
            parts.discard(part)
    if "drums" in parts and not parts & set(DRUM_LANES):
        parts.discard("drums")  # every lane excluded: no drums track
    return tuple(part for part in PARTS if part in parts)


def resolve(
    requirements: Requirements,
    seed: int,
    adjustments: Adjustments | None = None,
    base: SongSpec | None = None,
) -> SongSpec:
    adjustments = adjustments or Adjustments()
    mood = requirements.mood or (base.mood if base else None)

    if requirements.style:
        style = requirements.style
    elif base is not None:
        style = base.style
    else:
        style = MOOD_STYLE.get(mood or "", DEFAULT_STYLE)
    profile = style_profile(style)

    if requirements.bpm is not None:
        bpm = float(requirements.bpm)
    elif base is not None:
        bpm = base.bpm + (adjustments.tempo_delta or 0.0)
        if style != base.style:
            low, high = profile.bpm_range
            bpm = min(max(bpm, low), high)  # new genre, tempo the producer never fixed
    else:
        bpm = default_bpm(profile, mood) + (adjustments.tempo_delta or 0.0)
    bpm = min(max(bpm, MIN_BPM), MAX_BPM)

    if requirements.key is not None:
        key = requirements.key
    else:
        key = base.key if base is not None else default_key(profile, mood)
        if adjustments.transpose:
            parsed = parse_key(key)
            key = format_key(parsed.tonic + adjustments.transpose, parsed.mode)

    if requirements.bars is not None:
        bars = requirements.bars
    else:
        bars = (base.bars if base is not None else profile.default_bars) + (
            adjustments.bars_delta or 0
        )
    production = merge_production(base.production if base else ProductionChoices(), adjustments)
    if adjustments.stretch and requirements.bars is None:
        # A longer section lengthens the song by as much; the other sections stay as they were.
        plain = base_length(profile.form, bars, base.production.stretch) if base else bars
        bars = stretched_bars(profile.form, plain, production.stretch)
    bars = min(max(bars, 1), MAX_BARS)

    if requirements.time_signature is not None:
        time_signature = parse_time_signature(requirements.time_signature)
    else:
        time_signature = base.time_signature if base is not None else (4, 4)

    base_parts = base.parts if base is not None else profile.parts
    parts = resolve_parts(base_parts, profile, requirements.include, requirements.exclude)

    density = dict(base.density) if base is not None else {}
    for part, delta in adjustments.density.items():
        value = max(-DENSITY_LIMIT, min(DENSITY_LIMIT, density.get(part, 0) + delta))
        density[part] = value
    density = {part: density[part] for part in PARTS if density.get(part)}

    variation = dict(base.variation) if base is not None else {}
    for part in adjustments.regenerate:
        variation[part] = variation.get(part, 0) + 1
    variation = {part: variation[part] for part in PARTS if variation.get(part)}

    return SongSpec(
        style=style,
        bpm=bpm,
        key=key,
        bars=bars,
        mood=mood,
        time_signature=time_signature,
        parts=parts,
        density=density,
        seed=seed,
        variation=variation,
        production=production,
    )


MAX_STRETCH = 32  # extra bars a section kind may gain


def merge_production(before: ProductionChoices, adjustments: Adjustments) -> ProductionChoices:
    """The previous version's production choices with this request's edits on top: send steps
    add up, a sidechain or sweep request replaces the last one, stretches add up."""
    reverb, delay = dict(before.reverb), dict(before.delay)
    for steps, edits in ((reverb, adjustments.reverb), (delay, adjustments.delay)):
        for part, step in edits.items():
            steps[part] = steps.get(part, 0) + step
    stretch = dict(before.stretch)
    for kind, extra in adjustments.stretch.items():
        stretch[kind] = max(0, min(MAX_STRETCH, stretch.get(kind, 0) + extra))
    return ProductionChoices(
        reverb=reverb,
        delay=delay,
        sidechain=before.sidechain if adjustments.sidechain is None else adjustments.sidechain,
        sweep=before.sweep if adjustments.sweep is None else adjustments.sweep,
        stretch={kind: bars for kind, bars in stretch.items() if bars},
    )
