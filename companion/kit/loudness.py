"""Level facts of a sample, for gain staging without rendering the song.

A mixing stage sets faders from what each sound weighs: its peak, its RMS and an integrated
loudness close to ITU-R BS.1770 (K-weighting by its two filters' magnitude responses, applied in
the frequency domain; mean square over 400 ms blocks gated at -70 LUFS absolute and -10 LU
relative), plus how its energy splits between lows (< 250 Hz), mids and highs (> 4 kHz). For a
looped sound the loop's own RMS says how loud a held note stays.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from companion.kit.dsp import fast_size
from companion.lazy import LazyModule

if TYPE_CHECKING:
    import numpy as np
else:
    np = LazyModule("numpy")

LOW_SPLIT = 250.0
HIGH_SPLIT = 4000.0
SILENCE_DB = -120.0


def _db(power: float) -> float:
    return 10 * math.log10(power) if power > 1e-12 else SILENCE_DB


def _k_weight(freqs: np.ndarray) -> np.ndarray:
    """|H| of BS.1770's pre-filter (a +4 dB shelf above ~1.5 kHz) times its RLB high-pass
    (38 Hz, second order), as magnitudes of the analog prototypes."""
    shelf_db = 4.0 / (1.0 + (1681.97 / np.maximum(freqs, 1e-3)) ** 2)
    ratio = np.maximum(freqs, 1e-3) / 38.13
    highpass = ratio**2 / np.sqrt(1 + ratio**4)
    return 10 ** (shelf_db / 20) * highpass


def _channels(audio: np.ndarray) -> np.ndarray:
    return audio.reshape(len(audio), -1).T


def integrated_loudness(audio: np.ndarray, rate: int, spectra: np.ndarray | None = None) -> float:
    """BS.1770-style gated loudness in LUFS (channels summed with weight 1, as for L/R);
    ``spectra`` are the channels' rfft at ``fast_size(n)`` when the caller has them."""
    channels = _channels(audio)
    n = channels.shape[1]
    size = fast_size(max(2, n))
    if spectra is None:
        spectra = np.fft.rfft(channels, size, axis=1)
    gain = _k_weight(np.fft.rfftfreq(size, 1 / rate))
    weighted = np.fft.irfft(spectra * gain, size, axis=1)[:, :n]
    block, hop = int(0.4 * rate), int(0.1 * rate)
    if n < block:
        powers = np.array([float(np.mean(weighted**2, axis=1).sum())])
    else:
        squares = np.cumsum(
            np.concatenate([np.zeros((len(weighted), 1)), weighted**2], axis=1), axis=1
        )
        starts = np.arange(0, n - block + 1, hop)
        powers = ((squares[:, starts + block] - squares[:, starts]) / block).sum(axis=0)
    loudness = -0.691 + 10 * np.log10(np.maximum(powers, 1e-12))
    gated = powers[loudness > -70.0]
    if not len(gated):
        return SILENCE_DB
    relative = -0.691 + 10 * math.log10(float(gated.mean())) - 10.0
    gated = gated[(-0.691 + 10 * np.log10(gated)) > relative]
    return round(-0.691 + 10 * math.log10(float(gated.mean())), 2)


def level_facts(audio: np.ndarray, rate: int, loop: tuple[int, int] | None = None) -> dict:
    """Peak, RMS, loudness, crest and low/mid/high energy shares (and the loop's RMS)."""
    channels = _channels(audio)
    mono = channels.mean(axis=0)
    peak = float(np.abs(channels).max())
    power = float(np.mean(channels**2))
    size = fast_size(max(2, len(mono)))
    spectra = np.fft.rfft(channels, size, axis=1)
    spectrum = np.abs(spectra.mean(axis=0)) ** 2  # the mono sum's spectrum
    freqs = np.fft.rfftfreq(size, 1 / rate)
    total = float(spectrum.sum()) or 1.0
    low = float(spectrum[freqs < LOW_SPLIT].sum()) / total
    high = float(spectrum[freqs >= HIGH_SPLIT].sum()) / total
    facts = {
        "peak_db": round(_db(peak**2), 2),
        "rms_db": round(_db(power), 2),
        "lufs": integrated_loudness(audio, rate, spectra),
        "crest_db": round(_db(peak**2) - _db(power), 2),
        "low": round(low, 4),
        "mid": round(max(0.0, 1.0 - low - high), 4),
        "high": round(high, 4),
        "seconds": round(len(mono) / rate, 4),
    }
    if loop is not None:
        start, end = loop
        facts["loop_rms_db"] = round(_db(float(np.mean(channels[:, start:end] ** 2))), 2)
    return facts
