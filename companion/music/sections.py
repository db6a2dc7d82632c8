"""Fit a style's section form to the requested length.

The form is the full-length arrangement; a shorter song drops the least important sections first
(lowest priority), merges neighbours of the same kind, then shares the bars out in 4-bar phrases by
largest remainder, so sections always sum to exactly the requested bar count.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from companion.arrangement import Section
from companion.music.styles import FORMS, SectionTemplate

PHRASE = 4
MIN_RATIO = 0.4  # below this share of the form's length, sections are dropped rather than squeezed


@dataclass(frozen=True, slots=True)
class PlannedSection:
    index: int
    name: str
    kind: str
    start_bar: int
    bars: int
    energy: float
    parts: frozenset[str]
    harmony: str

    def to_section(self) -> Section:
        return Section(
            name=self.name,
            kind=self.kind,
            start_bar=self.start_bar,
            bars=self.bars,
            energy=self.energy,
        )


def plan_sections(
    form: str, bars: int, stretch: Mapping[str, int] | None = None
) -> list[PlannedSection]:
    """The form fitted to ``bars``; with ``stretch`` (section kind → extra bars), sections of
    those kinds are that much longer than the plain fit of the remaining bars (so a longer build
    leaves every other section as it was)."""
    if not stretch:
        return _plan(form, bars)
    base = base_length(form, bars, stretch)
    planned: list[PlannedSection] = []
    start = 0
    for section in _plan(form, base):
        length = section.bars + (stretch.get(section.kind, 0) if base != bars else 0)
        planned.append(replace(section, start_bar=start, bars=length))
        start += length
    return planned


def stretched_bars(form: str, bars: int, stretch: Mapping[str, int]) -> int:
    """How many bars the song has once ``bars`` (a plain fit) has its sections stretched."""
    return bars + sum(extra * _count(_plan(form, bars), kind) for kind, extra in stretch.items())


def base_length(form: str, bars: int, stretch: Mapping[str, int]) -> int:
    """The plain length whose stretched song is ``bars`` long (``bars`` itself if none is)."""
    most = sum(extra * len(FORMS[form]) for extra in stretch.values())
    for base in range(bars, max(0, bars - most - 1), -1):
        if base >= 1 and stretched_bars(form, base, stretch) == bars:
            return base
    return bars


def _count(planned: list[PlannedSection], kind: str) -> int:
    return sum(1 for section in planned if section.kind == kind)


def _plan(form: str, bars: int) -> list[PlannedSection]:
    templates = list(FORMS[form])
    templates = _drop_to_fit(templates, bars)
    lengths = _allocate([template.bars for template in templates], bars)
    names = _names(templates)
    planned: list[PlannedSection] = []
    start = 0
    for index, (template, length, name) in enumerate(zip(templates, lengths, names, strict=False)):
        planned.append(
            PlannedSection(
                index=index,
                name=name,
                kind=template.kind,
                start_bar=start,
                bars=length,
                energy=template.energy,
                parts=template.parts,
                harmony=template.harmony,
            )
        )
        start += length
    return planned


def _drop_to_fit(templates: list[SectionTemplate], bars: int) -> list[SectionTemplate]:
    def too_long(items: list[SectionTemplate]) -> bool:
        total = sum(item.bars for item in items)
        return len(items) * PHRASE > max(bars, PHRASE) or bars / total < MIN_RATIO

    while len(templates) > 1 and too_long(templates):
        weakest = min(range(len(templates)), key=lambda i: (templates[i].priority, i))
        del templates[weakest]
        templates = _merge_neighbours(templates)
    return templates


def _merge_neighbours(templates: list[SectionTemplate]) -> list[SectionTemplate]:
    merged: list[SectionTemplate] = []
    for template in templates:
        if merged and merged[-1].kind == template.kind and merged[-1].label == template.label:
            previous = merged[-1]
            stronger = previous if previous.energy >= template.energy else template
            merged[-1] = SectionTemplate(
                kind=previous.kind,
                bars=previous.bars + template.bars,
                energy=max(previous.energy, template.energy),
                parts=previous.parts | template.parts,
                priority=max(previous.priority, template.priority),
                label=previous.label,
                harmony=stronger.harmony,
            )
        else:
            merged.append(template)
    return merged


def _allocate(weights: list[int], bars: int) -> list[int]:
    """Share ``bars`` in 4-bar units proportionally to ``weights``; remainder goes to the end."""
    if len(weights) == 1:
        return [bars]
    units, remainder = divmod(bars, PHRASE)
    total = sum(weights)
    ideal = [weight * units / total for weight in weights]
    counts = [max(1, int(value)) for value in ideal]
    # Largest remainder: give spare units to the sections that lost most in rounding; take back
    # from the biggest when the minimums overshoot.
    order = sorted(range(len(weights)), key=lambda i: (-(ideal[i] - int(ideal[i])), i))
    position = 0
    while sum(counts) < units:
        counts[order[position % len(order)]] += 1
        position += 1
    while sum(counts) > units:
        largest = max(range(len(counts)), key=lambda i: (counts[i], -i))
        counts[largest] -= 1
    lengths = [count * PHRASE for count in counts]
    lengths[-1] += remainder
    return lengths


def _names(templates: list[SectionTemplate]) -> list[str]:
    def base(template: SectionTemplate) -> str:
        return template.label or template.kind.replace("-", " ").title().replace(" ", "-")

    totals: dict[str, int] = {}
    for template in templates:
        totals[base(template)] = totals.get(base(template), 0) + 1
    seen: dict[str, int] = {}
    names = []
    for template in templates:
        label = base(template)
        seen[label] = seen.get(label, 0) + 1
        names.append(f"{label} {seen[label]}" if totals[label] > 1 else label)
    return names
