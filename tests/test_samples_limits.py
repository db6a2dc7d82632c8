"""The usability limits: what the index refuses to offer, and that whatever it offers fits the set
model (companion.arrangement's validators) however selection then uses it."""

from __future__ import annotations

import itertools

import annotated_types
import pytest

from companion.arrangement import AudioLoop, SampleFile
from companion.samples import limits
from companion.samples.limits import span, unusable_reason
from companion.sounds import loop_beats


def bound(model, field: str, kind) -> float:
    """A numeric bound of a pydantic field (e.g. AudioLoop.beats' ``le``)."""
    for item in model.model_fields[field].metadata:
        if isinstance(item, kind):
            return getattr(item, kind.__name__.lower())  # Le(le=4096) → 4096
    raise AssertionError(f"{model.__name__}.{field} has no {kind.__name__} bound")


def reason(**facts) -> str | None:
    base = {"size": 1000, "sample_rate": 44100, "channels": 2, "is_loop": False, "bpm": None}
    return unusable_reason(**(base | facts))


@pytest.mark.parametrize(
    ("facts", "words"),
    [
        # The file: five hours of silence named "drum loop 120 bpm".
        ({"duration": 5 * 3600, "is_loop": True, "bpm": 120}, ["5 h", "36000 beats", "512"]),
        ({"duration": 40 * 60, "is_loop": True, "bpm": 124}, ["40 min", "4960 beats"]),
        ({"duration": 40 * 60}, ["40 min", "one-shot", "60 s"]),
        ({"duration": 11 * 60, "is_loop": True}, ["11 min", "10 min"]),  # tempo not known yet
        ({"duration": 2.0, "is_loop": True, "bpm": 5000}, ["5000 BPM"]),
        ({"duration": 0.5, "channels": 6}, ["6 channels", "mono or stereo"]),
        ({"duration": 0.5, "sample_rate": 4000}, ["4000 Hz"]),
        ({"duration": 0.5, "sample_rate": 384000}, ["384000 Hz"]),
        ({"duration": 0.5, "size": 300 * 2**20}, ["300 MB", "256 MB"]),
    ],
)
def test_what_a_set_cannot_use_is_named_with_the_reason(facts, words):
    text = reason(**facts)
    assert text is not None
    for word in words:
        assert word in text, (word, text)


@pytest.mark.parametrize(
    "facts",
    [
        {"duration": 0.4},  # a kick
        {"duration": 59.0},  # a long pad or texture
        {"duration": 8 * 60 / 124 * 4, "is_loop": True, "bpm": 124},  # an 8-bar loop
        {"duration": 128 * 4 * 60 / 90, "is_loop": True, "bpm": 90},  # 128 bars: the most
        {"duration": 0.4, "channels": 1, "sample_rate": 8000},
        {"duration": 0.4, "sample_rate": 192000},
    ],
)
def test_ordinary_samples_are_usable(facts):
    assert reason(**facts) is None


def test_spans_read_like_a_producer_says_them():
    assert [span(s) for s in (0.4, 45, 600, 2400, 5 * 3600, 5400)] == [
        "0.4 s", "45 s", "10 min", "40 min", "5 h", "1.5 h",
    ]  # fmt: skip


def test_the_limits_sit_inside_the_set_models_bounds():
    """If arrangement.py tightens a bound, the index must follow (this fails first)."""
    max_beats = bound(AudioLoop, "beats", annotated_types.Le)
    assert limits.MAX_LOOP_BEATS * 2 <= max_beats  # a half-time loop counts double in the song
    assert bound(AudioLoop, "bpm", annotated_types.Ge) <= limits.MIN_LOOP_BPM
    assert limits.MAX_LOOP_BPM <= bound(AudioLoop, "bpm", annotated_types.Le)
    assert limits.MAX_RATE <= bound(SampleFile, "sample_rate", annotated_types.Le)
    assert bound(SampleFile, "sample_rate", annotated_types.Ge) <= limits.MIN_RATE


def test_whatever_the_limits_let_through_builds_a_valid_set_model():
    """A grid over the facts an indexed file can have: every usable one becomes a SampleFile
    and, as a loop, an AudioLoop at any song tempo selection may warp it to."""
    durations = [0.001, 0.5, 59.9, 60.1, 300, 599, 601, 3600, 5 * 3600]
    rates = [1000, 7999, 8000, 44100, 192000, 192001, 768000]
    tempos = [None, 19.0, 20.0, 60, 90, 120, 174, 999, 1000]
    checked = 0
    for duration, rate, channels, is_loop, bpm in itertools.product(
        durations, rates, (1, 2, 3), (False, True), tempos
    ):
        problem = unusable_reason(
            size=1000, duration=duration, sample_rate=rate, channels=channels,
            is_loop=is_loop, bpm=bpm,
        )  # fmt: skip
        if problem is not None:
            continue
        frames = max(1, round(duration * rate))
        sample = SampleFile(path="Samples/Imported/x.wav", frames=frames, sample_rate=rate)
        if is_loop and bpm is not None:
            for song_bpm in (bpm / 2, bpm * 0.93, bpm, bpm * 1.07, bpm * 2):
                beats = loop_beats(sample, bpm, song_bpm)
                if beats is not None:
                    AudioLoop(sample=sample, beats=beats, bpm=bpm)
                    checked += 1
        checked += 1
    assert checked > 200
