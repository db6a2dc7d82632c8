"""The key of a mix, heard from its audio.

A plain chroma (every spectral bin folded onto its pitch class, as
:func:`companion.samples.tempo.chroma` does) hears the noise of drums, the sidebands of detuned
voices and the partials of rich tones as notes, and a Krumhansl–Kessler correlation over it drifts
a fifth away (an A minor house track read as E minor). Measured on renders of every style
(benchmarks/bench_key.py), three things in the front end and one in the decision fix most of it:

* only spectral *peaks* that stand well above the local spectral floor count (drums, hiss and
  reverb tails are a floor, not peaks), weighted by their power so a few clear notes outweigh many
  faint ones, and by how close they sit to an equal-tempered pitch (a peak 40 cents off is a
  partial, a sideband or a glide, not a note);
* each frame is normalised, so a loud drop does not drown a quiet verse;
* the key signature is chosen first — the seven-note collection holding the most of the profile,
  with what falls outside counting against it (one note tells neighbours on the circle of fifths
  apart: F or F♯ for C against G) — and the tonic inside it by the Krumhansl–Kessler correlation
  and the bass, where producers state the tonic.

A harmonic sieve (taking a peak on the 3rd or 5th partial of a lower one for that partial) was
tried and measured worse on the renders: it removes real chord tones a fifth above the bass.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from companion.music.theory import format_key

ANALYSIS_RATE = 5512.5  # Hz: the notes that name a key sit well under 2 kHz
FRAME = 4096  # ≈ 0.74 s at 5.5 kHz: 1.35 Hz bins tell bass semitones apart (A1–A#1 is 3.3 Hz)
HOP = 2048
LOWEST_HZ, HIGHEST_HZ = 36.0, 1800.0
PEAK_FLOOR = 0.02  # a peak under 2 % of its frame's loudest (−34 dB) is not a note
FLOOR_BINS = 31  # the spectral floor: a running median over ±15 bins (±20 Hz)
PROMINENCE = 4.0  # a note's peak stands 12 dB over that floor
CENTS_GATE = 0.3  # semitones: a peak's weight falls to zero 30 cents off an equal-tempered pitch
BASS_HZ = 160.0  # below this a note is the bass
FIT_WEIGHT, PROFILE_WEIGHT, BASS_WEIGHT = 1.0, 0.2, 0.1  # fitted on bench_key.py's renders

MAJOR_SCALE = np.array([1, 0, 1, 0, 1, 1, 0, 1, 0, 1, 0, 1], dtype=float)
# Krumhansl–Kessler probe-tone profiles, tonic first (they place the tonic inside a collection
# better than Albrecht–Shanahan's on these renders: 29 against 27 of 44 exact).
MAJOR = np.array([6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88])
MINOR = np.array([6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17])


def _resample(mono: np.ndarray, rate: float) -> tuple[np.ndarray, float]:
    from scipy.signal import resample_poly

    ratio = Fraction(ANALYSIS_RATE / rate).limit_denominator(64)
    if ratio >= 1:
        return mono, rate
    return resample_poly(mono, ratio.numerator, ratio.denominator), rate * float(ratio)


def _peaks(spectrum: np.ndarray, floor: np.ndarray, bin_hz: float) -> tuple[np.ndarray, np.ndarray]:
    """Prominent local maxima, with parabolic (log) interpolation of frequency and height."""
    inner = spectrum[1:-1]
    is_peak = (inner > spectrum[:-2]) & (inner >= spectrum[2:])
    is_peak &= inner > PEAK_FLOOR * spectrum.max()
    is_peak &= inner > PROMINENCE * floor[1:-1]
    index = np.nonzero(is_peak)[0] + 1
    left, centre, right = (np.log(spectrum[index + k] + 1e-12) for k in (-1, 0, 1))
    curve = left - 2 * centre + right
    shift = np.where(curve < 0, 0.5 * (left - right) / np.where(curve < 0, curve, -1.0), 0.0)
    freqs = (index + shift) * bin_hz
    amps = np.exp(centre - 0.25 * (left - right) * shift)
    keep = (freqs >= LOWEST_HZ) & (freqs <= HIGHEST_HZ)
    return freqs[keep], amps[keep]


def pitch_profiles(mono: np.ndarray, rate: float) -> tuple[np.ndarray, np.ndarray]:
    """(all registers, bass) pitch-class weights, C first, each summing to 1 (or all zero)."""
    from scipy.ndimage import median_filter

    audio, low_rate = _resample(np.asarray(mono, dtype=np.float64), rate)
    if len(audio) < FRAME:
        audio = np.pad(audio, (0, FRAME - len(audio)))
    frames = np.lib.stride_tricks.sliding_window_view(audio, FRAME)[::HOP]
    spectra = np.abs(np.fft.rfft(frames * np.hanning(FRAME), axis=1))
    floors = median_filter(spectra, size=(1, FLOOR_BINS), mode="nearest")
    bin_hz = low_rate / FRAME
    band = slice(int(LOWEST_HZ / bin_hz), int(HIGHEST_HZ / bin_hz) + 2)
    loudness = np.sqrt((spectra[:, band] ** 2).sum(axis=1))
    total, bass = np.zeros(12), np.zeros(12)
    if not loudness.any():
        return total, bass
    for spectrum, floor, level in zip(spectra, floors, loudness, strict=True):
        if level < 1e-3 * loudness.max():
            continue  # silence
        freqs, amps = _peaks(spectrum, floor, bin_hz)
        if not len(freqs):
            continue
        midi = 69 + 12 * np.log2(freqs / 440.0)
        nearest = np.rint(midi)
        in_tune = np.clip(1.0 - np.abs(midi - nearest) / CENTS_GATE, 0.0, 1.0)
        weights = (amps / level) ** 2 * in_tune  # power, relative to the frame's own loudness
        classes = nearest.astype(int) % 12
        total += np.bincount(classes, weights=weights, minlength=12)
        low = freqs < BASS_HZ
        bass += np.bincount(classes[low], weights=weights[low], minlength=12)
    return (
        total / total.sum() if total.any() else total,
        bass / bass.sum() if bass.any() else bass,
    )


def key_scores(profile: np.ndarray, bass: np.ndarray) -> list[tuple[float, str]]:
    """Every major and minor key with its score, best first: how much of the profile its
    collection holds (minus what falls outside), its tonal-hierarchy correlation, its bass tonic."""
    scores = []
    for tonic in range(12):
        for mode, template, home in (("major", MAJOR, tonic), ("minor", MINOR, tonic + 3)):
            collection = np.roll(MAJOR_SCALE, home % 12)
            fit = float((profile * (2.0 * collection - 1.0)).sum())
            correlation = float(np.corrcoef(profile, np.roll(template, tonic))[0, 1])
            score = FIT_WEIGHT * fit + PROFILE_WEIGHT * correlation + BASS_WEIGHT * bass[tonic]
            scores.append((score, format_key(tonic, mode)))  # type: ignore[arg-type]
    scores.sort(reverse=True)
    return scores


def heard_key(mono: np.ndarray, rate: float) -> tuple[str | None, float]:
    """The key heard in ``mono`` audio, and how clearly: 0..1, the best key's lead over the
    runner-up that is not its relative (which shares every note), 0.2 counting as certain."""
    if not np.any(mono):
        return None, 0.0
    profile, bass = pitch_profiles(mono, rate)
    if not profile.any():
        return None, 0.0
    scores = key_scores(profile, bass)
    best, key = scores[0]
    rival = next(score for score, other in scores[1:] if not _relatives(key, other))
    return key, round(float(np.clip((best - rival) / 0.2, 0.0, 1.0)), 3)


def _relatives(a: str, b: str) -> bool:
    from companion.music.theory import parse_key

    def signature(key: str) -> int:
        parsed = parse_key(key)
        return parsed.tonic if parsed.mode == "major" else (parsed.tonic + 3) % 12

    return signature(a) == signature(b)
