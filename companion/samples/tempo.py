"""Tempo (and, flagged as a guess, key and pitch) of a sample from its audio, with numpy only.

Used only when the names and chunks are silent: a loop without a BPM, a tonal one-shot without a
root note. Loops are cut to whole bars, so the tempo is searched among the tempi that make the
file exactly 1, 2, 4, 8… bars long (``duration × bpm / 240`` a whole number) — which also settles
half/double time — and scored by how strongly the onset envelope repeats at that beat period and
how much louder it is on the beats than between them. Key estimates confuse relative major/minor
(measured: peers-and-music.md §5.4), so they carry a low confidence and never override a name.
"""

from __future__ import annotations

import math

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from companion.music.theory import format_key

ANALYSIS_RATE = 11025.0
HOP = 64
N_FFT = 512
MIN_BPM, MAX_BPM = 60.0, 200.0
PRIOR_CENTER = 125.0  # log-normal tempo prior (octaves); breaks true half/double ties only
PRIOR_WIDTH = 1.0
BAR_COUNTS = (1, 2, 4, 8, 16, 32, 3, 6, 12, 24, 0.5)  # how loops are cut (0.5: a 2-beat loop)
BAR_TOLERANCE = 0.03  # a free estimate within 3% of a whole-bar tempo snaps to it


class TempoEstimate(BaseModel):
    model_config = ConfigDict(frozen=True)

    bpm: float
    confidence: float = Field(ge=0, le=1)
    bars: float  # duration × bpm / 240
    whole_bars: bool


class KeyEstimate(BaseModel):
    model_config = ConfigDict(frozen=True)

    key: str
    confidence: float = Field(ge=0, le=0.5)  # never above 0.5: relative major/minor confusion


class PitchEstimate(BaseModel):
    model_config = ConfigDict(frozen=True)

    midi: float  # fractional MIDI note (69 = A 440)
    confidence: float = Field(ge=0, le=1)

    @property
    def note(self) -> int:
        return round(self.midi)


# --- shared front end ----------------------------------------------------------------------------


def _to_mono(samples: np.ndarray) -> np.ndarray:
    data = np.asarray(samples, dtype=np.float64)
    if data.ndim == 2:
        data = data.mean(axis=1)
    return np.nan_to_num(data)


def _decimate(samples: np.ndarray, rate: float) -> tuple[np.ndarray, float]:
    """Block-average down to about 11 kHz: onsets and chroma need nothing above 5 kHz."""
    factor = max(1, round(rate / ANALYSIS_RATE))
    if factor == 1:
        return samples, rate
    usable = len(samples) // factor * factor
    return samples[:usable].reshape(-1, factor).mean(axis=1), rate / factor


def _frames(samples: np.ndarray, size: int, hop: int) -> np.ndarray:
    if len(samples) < size:
        samples = np.pad(samples, (0, size - len(samples)))
    count = 1 + (len(samples) - size) // hop
    view = np.lib.stride_tricks.sliding_window_view(samples, size)[::hop]
    return view[:count]


ONSET_SHIFT = 3  # frames: flux peaks while the attack is still in the window's leading half
BANDS = ((0.0, 150.0), (150.0, 2000.0), (2000.0, 1e9))  # kick, snare/body, hats/air
BAND_WEIGHTS = (1.0, 0.7, 0.4)  # the beat lives in the kick and snare more than in the hats


class OnsetBands(BaseModel):
    """Onset strength per band (low, mid, high), each normalised to peak 1, plus their mix."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    low: np.ndarray
    mid: np.ndarray
    high: np.ndarray
    mix: np.ndarray
    frame_rate: float


def onset_bands(samples: np.ndarray, rate: float) -> OnsetBands:
    """Log-magnitude spectral flux per band (the usual onset strength), at ~172 frames/s."""
    mono, low_rate = _decimate(_to_mono(samples), rate)
    padded = np.pad(mono, (N_FFT // 2, N_FFT // 2))
    frames = _frames(padded, N_FFT, HOP) * np.hanning(N_FFT)
    log_mag = np.log1p(100.0 * np.abs(np.fft.rfft(frames, axis=1)))
    rise = np.maximum(np.diff(log_mag, axis=0, prepend=log_mag[:1]), 0.0)
    freqs = np.fft.rfftfreq(N_FFT, 1.0 / low_rate)
    frame_rate = low_rate / HOP
    width = max(3, int(frame_rate * 0.1)) | 1
    kernel = np.ones(width) / width
    bands: list[np.ndarray] = []
    for low, high in BANDS:
        flux = rise[:, (freqs >= low) & (freqs < high)].sum(axis=1)
        flux = np.maximum(flux - np.convolve(flux, kernel, mode="same"), 0.0)  # attacks only
        peak = flux.max()
        bands.append(np.roll(flux / peak if peak > 0 else flux, ONSET_SHIFT))
    mix = sum(weight * band for weight, band in zip(BAND_WEIGHTS, bands, strict=True))
    peak = float(np.max(mix))
    mix = mix / peak if peak > 0 else mix
    return OnsetBands(low=bands[0], mid=bands[1], high=bands[2], mix=mix, frame_rate=frame_rate)


def onset_envelope(samples: np.ndarray, rate: float) -> tuple[np.ndarray, float]:
    """The band-weighted onset strength and its frame rate in Hz."""
    bands = onset_bands(samples, rate)
    return bands.mix, bands.frame_rate


# --- tempo ---------------------------------------------------------------------------------------


def _circular_autocorrelation(envelope: np.ndarray) -> np.ndarray:
    """Loops repeat, so the envelope is correlated with itself around the loop point."""
    centred = envelope - envelope.mean()
    spectrum = np.fft.rfft(centred)
    result = np.fft.irfft(spectrum * np.conj(spectrum), n=len(centred))
    return result / result[0] if result[0] > 0 else result


def _interp(values: np.ndarray, position: float) -> float:
    position %= len(values)
    low = int(position)
    frac = position - low
    return float(values[low] * (1 - frac) + values[(low + 1) % len(values)] * frac)


def _at(envelope: np.ndarray, positions: np.ndarray) -> float:
    """Mean onset strength at fractional frame positions (±1 frame tolerance)."""
    if len(positions) == 0:
        return 0.0
    n = len(envelope)
    index = np.round(positions).astype(int) % n
    window = np.maximum.reduce([envelope[(index + d) % n] for d in (-1, 0, 1)])
    return float(window.mean())


def _salience(ac: np.ndarray, period: float) -> float:
    """How strongly the onsets repeat every beat (comb over the first four beat lags)."""
    limit = len(ac) / 2
    lags = [k * period for k in range(1, 5) if k * period <= limit] or [period]
    return float(np.mean([_interp(ac, lag) for lag in lags]))


def _contrast(envelope: np.ndarray, period: float) -> float:
    """On-beat minus half-beat onset strength, best over small phase offsets (late transients)."""
    count = round(len(envelope) / period)
    if count < 2:
        return 0.0
    grid = period * np.arange(count)
    best = -1.0
    for phase in np.linspace(-period / 8, period / 8, 9):
        best = max(best, _at(envelope, grid + phase) - _at(envelope, grid + phase + period / 2))
    return best


def _backbeat(mid: np.ndarray, period: float) -> float:
    """Snares and claps on beats 2 and 4: the convention that names a tempo (it tells a 90 BPM
    boom bap from 180, and 174 drum & bass from 87)."""
    count = round(len(mid) / period)
    if count < 2:
        return 0.0
    grid = period * np.arange(count)
    return _at(mid, grid[1::2]) - max(_at(mid, grid[0::2]), _at(mid, grid + period / 2))


def _too_slow(ac_high: np.ndarray, period: float) -> float:
    """Hats repeating every 32nd of a candidate beat mean the candidate is half the tempo."""
    lag = period / 8
    return max(_interp(ac_high, lag), 0.0) if lag >= 2 else 0.0


def _prior(bpm: float) -> float:
    return math.exp(-0.5 * (math.log2(bpm / PRIOR_CENTER) / PRIOR_WIDTH) ** 2)


class _Scorer:
    def __init__(self, bands: OnsetBands) -> None:
        self.bands = bands
        self.ac = _circular_autocorrelation(bands.mix)
        self.ac_high = _circular_autocorrelation(bands.high)

    def __call__(self, bpm: float) -> float:
        period = 60.0 * self.bands.frame_rate / bpm
        evidence = (
            max(_salience(self.ac, period), 0.0)
            + max(_contrast(self.bands.mix, period), 0.0)
            + max(_backbeat(self.bands.mid, period), 0.0)
        )
        return evidence * (0.5 + 0.5 * _prior(bpm)) * (1.0 - 0.8 * _too_slow(self.ac_high, period))


def estimate_tempo(
    samples: np.ndarray,
    rate: float,
    bpm_range: tuple[float, float] = (MIN_BPM, MAX_BPM),
) -> TempoEstimate | None:
    """The tempo of a loop, preferring tempi that make it a whole number of bars.

    ``bpm_range`` narrows the search when the style is known (drum & bass: 160–180). Returns None
    for audio too short or too flat to have a tempo.
    """
    mono = _to_mono(samples)
    duration = len(mono) / rate
    if duration < 0.5 or not np.any(mono):
        return None
    bands = onset_bands(mono, rate)
    if len(bands.mix) < 16 or bands.mix.max() <= 0:
        return None
    score = _Scorer(bands)
    low, high = bpm_range

    # Whole-bar candidates: every tempo in range that makes the file 1, 2, 4… bars long.
    candidates: list[tuple[float, float, float]] = []
    for bars in BAR_COUNTS:
        bpm = 240.0 * bars / duration
        if low <= bpm <= high:
            weight = 0.7 if bars < 1 else 1.0 if int(bars) & (int(bars) - 1) == 0 else 0.85
            candidates.append((score(bpm) * weight, bpm, bars))
    # Free search (log grid, then refined) for files not cut to whole bars.
    grid = np.exp(np.linspace(math.log(low), math.log(high), 240))
    scores = np.array([score(bpm) for bpm in grid])
    if scores.max() <= 0:
        return None
    free = float(grid[int(scores.argmax())])
    fine = np.linspace(free * 0.985, free * 1.015, 31)
    fine_scores = [score(bpm) for bpm in fine]
    free = float(fine[int(np.argmax(fine_scores))])
    free_score = float(max(fine_scores))

    best_bar = max(candidates, default=None)
    if best_bar is not None and (
        best_bar[0] >= 0.5 * free_score or abs(best_bar[1] / free - 1) <= BAR_TOLERANCE
    ):
        value, bpm, bars = best_bar
        rivals = [c[0] for c in candidates if c[1] != bpm]
        margin = 1.0 - (max(rivals) / value if rivals and value > 0 else 0.0)
        confidence = min(0.95, 0.6 + 0.35 * max(margin, 0.0) / 0.5)
        return TempoEstimate(
            bpm=round(bpm, 2), confidence=round(confidence, 3), bars=bars, whole_bars=True
        )
    return TempoEstimate(
        bpm=round(free, 2),
        confidence=0.35,
        bars=round(duration * free / 240.0, 3),
        whole_bars=False,
    )


def bars_for(duration: float, bpm: float) -> float:
    return duration * bpm / 240.0


def is_whole_bars(duration: float, bpm: float, tolerance: float = 0.02) -> bool:
    """Whether a loop of ``duration`` seconds is a whole number of 4/4 bars at ``bpm``."""
    bars = bars_for(duration, bpm)
    return bars >= 0.98 and abs(bars - round(bars)) <= tolerance * max(1.0, round(bars))


# --- key -----------------------------------------------------------------------------------------

# Krumhansl–Kessler probe-tone profiles, tonic first.
_MAJOR = np.array([6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88])
_MINOR = np.array([6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17])


def chroma(samples: np.ndarray, rate: float) -> np.ndarray:
    """Energy per pitch class (C first) from a long-window spectrum, 55 Hz–2 kHz."""
    mono, low_rate = _decimate(_to_mono(samples), rate)
    size = 8192
    frames = _frames(mono, size, size // 2) * np.hanning(size)
    power = (np.abs(np.fft.rfft(frames, axis=1)) ** 2).sum(axis=0)
    freqs = np.fft.rfftfreq(size, 1.0 / low_rate)
    keep = (freqs >= 55.0) & (freqs <= 2000.0)
    midi = 69 + 12 * np.log2(freqs[keep] / 440.0)
    classes = np.round(midi).astype(int) % 12
    result = np.bincount(classes, weights=np.sqrt(power[keep]), minlength=12)
    total = result.sum()
    return result / total if total > 0 else result


def estimate_key(samples: np.ndarray, rate: float) -> KeyEstimate | None:
    """Best-correlating major or minor key; confidence capped at 0.5 (it is only a hint)."""
    profile = chroma(samples, rate)
    if not profile.any():
        return None
    results: list[tuple[float, str]] = []
    for tonic in range(12):
        for mode, template in (("major", _MAJOR), ("minor", _MINOR)):
            correlation = float(np.corrcoef(profile, np.roll(template, tonic))[0, 1])
            results.append((correlation, format_key(tonic, mode)))  # type: ignore[arg-type]
    results.sort(reverse=True)
    best, second = results[0], results[1]
    if best[0] <= 0:
        return None
    confidence = min(0.5, max(0.05, best[0] * 0.5 * min(1.0, (best[0] - second[0]) * 10 + 0.3)))
    return KeyEstimate(key=best[1], confidence=round(confidence, 3))


# --- pitch of a one-shot -------------------------------------------------------------------------


def estimate_pitch(
    samples: np.ndarray, rate: float, low_hz: float = 25.0, high_hz: float = 2000.0
) -> PitchEstimate | None:
    """Fundamental of a tonal one-shot (YIN-style difference function on its body, after the
    attack), so a Simpler knows which note the file plays when no chunk or name says."""
    mono = _to_mono(samples)
    start = int(0.06 * rate)
    window = int(0.25 * rate)
    if len(mono) < start + window // 2:
        start = 0
    body = mono[start : start + window]
    if len(body) < int(rate / low_hz) * 2 or not np.any(body):
        return None
    body = body - body.mean()
    max_lag = min(int(rate / low_hz), len(body) // 2)
    min_lag = max(2, int(rate / high_hz))
    size = len(body) - max_lag
    energy = np.cumsum(np.concatenate(([0.0], body**2)))
    ref = body[:size]
    spectrum = np.fft.rfft(body, n=2 * len(body))
    corr = np.fft.irfft(spectrum * np.conj(np.fft.rfft(ref, n=2 * len(body))))[: max_lag + 1]
    lags = np.arange(max_lag + 1)
    ref_energy = energy[size]
    shifted = energy[lags + size] - energy[lags]
    diff = ref_energy + shifted - 2 * corr
    diff[0] = 0.0
    cumulative = np.cumsum(diff[1:]) / np.arange(1, max_lag + 1)
    normalized = np.ones_like(diff)
    normalized[1:] = diff[1:] / np.where(cumulative > 0, cumulative, 1.0)
    search = normalized[min_lag:]
    below = np.nonzero(search < 0.15)[0]
    if len(below):
        index = int(below[0])
        while index + 1 < len(search) and search[index + 1] < search[index]:
            index += 1
    else:
        index = int(search.argmin())
    lag = index + min_lag
    value = float(normalized[lag])
    if 1 <= lag < max_lag:
        a, b, c = normalized[lag - 1], normalized[lag], normalized[lag + 1]
        denom = a - 2 * b + c
        shift = 0.5 * (a - c) / denom if denom > 0 else 0.0
    else:
        shift = 0.0
    frequency = rate / (lag + shift)
    confidence = float(np.clip(1.0 - value, 0.0, 1.0))
    if confidence < 0.3:
        return None
    midi = 69 + 12 * math.log2(frequency / 440.0)
    return PitchEstimate(midi=round(midi, 2), confidence=round(confidence, 3))
