"""The generation pipeline, one visible line of stages:

    request text → Understanding (requirements) → SongSpec → Arrangement → project on disk

Every consumer (CLI, server, Live trigger) goes through here, so progress reporting, timing and
error messages are the same everywhere. Only the last stage touches the disk.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from companion.arrangement import Arrangement
from companion.music.compose import compose
from companion.music.resolve import resolve
from companion.music.spec import SongSpec
from companion.project_files import (
    NewProject,
    ProjectTarget,
    SampleUnavailable,
    WrittenProject,
)
from companion.requirements import Adjustments, Requirements, Understanding
from companion.sounds import SoundPlan
from companion.understanding.parser import understand

# (step id, label, percent) in the order a generation goes through them.
STEPS: tuple[tuple[str, str, int], ...] = (
    ("understanding", "Understanding the request", 10),
    ("composing", "Composing the arrangement", 35),
    ("choosing_sounds", "Choosing sounds", 60),
    ("laying_out", "Laying out tracks, clips and scenes", 75),
    ("writing", "Writing the project files", 90),
)
Progress = Callable[[str, str, int], None]
MAX_SEED = 2**31
RECHOOSE_ATTEMPTS = 2  # sounds chosen again when a chosen file vanishes before it is copied


class RequestError(ValueError):
    """The request cannot be turned into a song; the message says why, for the user."""


@dataclass
class Generation:
    understanding: Understanding
    spec: SongSpec
    arrangement: Arrangement
    project: WrittenProject | None = None
    timings: dict[str, float] = field(default_factory=dict)
    sounds: SoundPlan | None = None
    # Samples that could not be used and what was done instead, for the producer.
    warnings: list[str] = field(default_factory=list)


def new_seed() -> int:
    return secrets.randbelow(MAX_SEED)


def understand_request(text: str) -> Understanding:
    """Parse a request; bad input (empty, too long, impossible tempo) → :class:`RequestError`."""
    try:
        return understand(text)
    except ValueError as exc:
        raise RequestError(str(exc)) from exc


def describes_music(requirements: Requirements) -> bool:
    fields = requirements.model_dump(exclude={"intent"})
    return any(value not in (None, []) for value in fields.values())


def plan(
    requirements: Requirements,
    seed: int,
    adjustments: Adjustments | None = None,
    base: SongSpec | None = None,
) -> SongSpec:
    """Fill every blank of the requirements with style defaults (never overriding the user)."""
    return resolve(requirements, seed, adjustments, base)


class _Stopwatch:
    def __init__(self, progress: Progress | None) -> None:
        self.progress = progress
        self.timings: dict[str, float] = {}
        self._labels = {step: (label, pct) for step, label, pct in STEPS}

    def run(self, step: str, func, *args, **kwargs):
        if self.progress is not None:
            label, percent = self._labels[step]
            self.progress(step, label, percent)
        started = time.perf_counter()
        result = func(*args, **kwargs)
        self.timings[step] = self.timings.get(step, 0.0) + time.perf_counter() - started
        return result


def generate(
    text: str | None = None,
    *,
    requirements: Requirements | None = None,
    seed: int | None = None,
    out_dir: str | Path | None = None,
    live_version: str | int = 11,
    progress: Progress | None = None,
    base: SongSpec | None = None,
    adjustments: Adjustments | None = None,
    understanding: Understanding | None = None,
    target: ProjectTarget | None = None,
    sounds: Callable[[Arrangement, SongSpec], SoundPlan] | None = None,
) -> Generation:
    """Run the pipeline from text (or ready requirements) to a project on disk.

    The project goes to a new folder in ``out_dir``, or to ``target`` (e.g. a new version of an
    existing project); with neither, nothing is written (previews and tests). ``base`` is the
    previous version's spec when modifying a project; ``understanding`` skips parsing when the
    caller already understood the request; ``sounds`` puts instruments on the tracks (the
    "choosing sounds" stage) and names the samples to copy into the project.
    """
    clock = _Stopwatch(progress)
    if understanding is not None:
        pass
    elif requirements is None:
        if text is None:
            raise RequestError("empty request: describe the track you want")
        understanding = clock.run("understanding", understand_request, text)
        if understanding.requirements.intent == "chat" and not describes_music(
            understanding.requirements
        ):
            raise RequestError(
                f"{text.strip()[:60]!r} does not describe a track; "
                "try e.g. 'house at 124 BPM in A minor'"
            )
    else:
        understanding = Understanding(requirements=requirements)
    if seed is None:  # a modification keeps the take (same seed): only what changed changes
        seed = base.seed if base is not None else new_seed()
    if not 0 <= seed < 2**63:
        raise RequestError(f"seed must be between 0 and {2**63 - 1}")
    spec = clock.run(
        "composing",
        plan,
        understanding.requirements,
        seed,
        adjustments or understanding.adjustments,
        base,
    )
    composed = clock.run("composing", compose, spec)
    result = Generation(understanding=understanding, spec=spec, arrangement=composed)
    if sounds is not None:
        result.sounds = clock.run("choosing_sounds", sounds, composed, spec)
        result.arrangement = result.sounds.arrangement
        result.warnings = list(result.sounds.warnings)
    if target is None and out_dir is not None:
        target = NewProject(Path(out_dir), live_version=live_version)
    if target is not None:
        gone: list[str] = []
        while True:
            chosen = result.sounds
            samples = chosen.sources if chosen is not None else {}
            shared = chosen.shared if chosen is not None else set()
            try:
                rendered = clock.run(
                    "laying_out", target.render, result.arrangement, samples, shared
                )
                break
            except SampleUnavailable as exc:
                # Chosen a moment ago, deleted since: choose again without it.
                if sounds is None or len(gone) >= RECHOOSE_ATTEMPTS or str(exc.source) in gone:
                    raise
                gone.append(str(exc.source))
                result.sounds = clock.run(
                    "choosing_sounds", sounds, composed, spec, exclude=tuple(gone)
                )
                result.arrangement = result.sounds.arrangement
                result.warnings = [
                    *result.sounds.warnings,
                    *(f"{Path(p).name} vanished while the set was written; another sound "
                      "plays its part" for p in gone),
                ]  # fmt: skip
        result.project = clock.run("writing", target.publish, rendered)
    result.timings = clock.timings
    return result
