"""The key heard in audio, on signals whose key is known: bright saw-like tones (strong 3rd and 5th
partials, which a plain chroma hears as fifths and thirds) playing chord progressions over a bass,
in both modes and keys around the circle, with and without drum noise."""

from __future__ import annotations

import numpy as np
import pytest

from companion.analysis.listening import heard_key
from companion.music.theory import format_key

RATE = 22_050
MAJOR_STEPS = (0, 2, 4, 5, 7, 9, 11)
MINOR_STEPS = (0, 2, 3, 5, 7, 8, 10)


def bright_tone(midi: int, seconds: float) -> np.ndarray:
    """A saw-like tone (partial h at 1/h) with its 3rd and 5th partials doubled."""
    t = np.arange(int(seconds * RATE)) / RATE
    freq = 440.0 * 2 ** ((midi - 69) / 12)
    wave = np.zeros_like(t)
    for h in range(1, 13):
        if h * freq > RATE / 2 - 500:
            break
        wave += (2.0 if h in (3, 5) else 1.0) / h * np.sin(2 * np.pi * h * freq * t)
    return wave * np.minimum(1.0, t / 0.01) * np.exp(-t / 1.5)


def progression(tonic: int, mode: str, degrees: list[int], seconds: float = 1.0) -> np.ndarray:
    """Triads on scale degrees (0 = tonic) around C3 over their root in the bass, three times."""
    steps = MAJOR_STEPS if mode == "major" else MINOR_STEPS

    def semitones(degree: int) -> int:
        return steps[degree % 7] + 12 * (degree // 7)

    bars = []
    for degree in degrees * 3:
        chord = sum(bright_tone(48 + tonic + semitones(degree + k), seconds) for k in (0, 2, 4))
        bars.append(chord + 1.5 * bright_tone(36 + tonic + semitones(degree), seconds))
    return 0.1 * np.concatenate(bars)


def stereo(mono: np.ndarray) -> np.ndarray:
    return np.stack([mono, mono], axis=1)


CASES = [
    (9, "minor", [0, 5, 0, 6]),  # Am F Am G
    (0, "major", [0, 3, 4, 0]),  # C F G C
    (2, "minor", [0, 3, 6, 0]),  # Dm Gm C Dm: a plain chroma hears G major
    (7, "major", [0, 3, 4, 0]),  # G C D G
    (4, "minor", [0, 5, 3, 0]),  # Em C Am Em
    (5, "major", [0, 5, 3, 4]),  # F Dm Bb C
    (10, "major", [0, 4, 5, 3]),  # Bb F Gm Eb
    (6, "minor", [0, 3, 0, 4]),  # F#m Bm F#m C#m: a plain chroma hears F# major
    (3, "major", [0, 5, 3, 4]),  # Eb Cm Ab Bb
    (0, "minor", [0, 5, 6, 0]),  # Cm Ab Bb Cm
]


@pytest.mark.parametrize(("tonic", "mode", "degrees"), CASES)
def test_bright_progressions_are_heard_in_their_key(tonic, mode, degrees):
    key, confidence = heard_key(stereo(progression(tonic, mode, degrees)), RATE)
    assert key == format_key(tonic, mode)
    assert 0.0 < confidence <= 1.0


def test_drum_noise_does_not_move_the_key():
    """Loud noise bursts on every beat (hats, snares) and a gliding kick do not count as notes."""
    music = progression(2, "minor", [0, 3, 6, 0])
    rng = np.random.default_rng(3)
    beat = int(0.5 * RATE)
    t = np.arange(beat) / RATE
    kick = np.sin(2 * np.pi * np.cumsum(45 + 120 * np.exp(-t / 0.03)) / RATE) * np.exp(-t / 0.15)
    hit = rng.standard_normal(beat) * np.exp(-t / 0.05) + 1.5 * kick
    drums = np.tile(hit, len(music) // beat + 1)[: len(music)]
    mix = music + 0.6 * drums * np.abs(music).max()
    assert heard_key(stereo(mix), RATE)[0] == "Dm"


def test_silence_has_no_key():
    assert heard_key(np.zeros((RATE, 2)), RATE) == (None, 0.0)
