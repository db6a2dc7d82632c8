"""MusiaIA listens to itself: measures of the offline render, next to the note metrics.

* integrated loudness (ITU-R BS.1770 / EBU R128, with ``pyloudnorm``) and true peak (4×
  oversampled, as BS.1770 annex 2 measures it);
* each part's share of the energy (its output after fader and pan) and its level;
* spectral balance: the share of energy below 250 Hz, 250 Hz–4 kHz and above 4 kHz;
* sustain gaps: of the time notes of sustained parts are held, how much is silence (a voice more
  than 40 dB under its own peak) — a sample that ends or a loop that is missing;
* the tempo and key heard (onset autocorrelation on the loudest minute; the key from prominent,
  in-tune spectral peaks, key signature first — :mod:`companion.analysis.audio_key`), with their
  confidence.

:func:`listen` renders and measures; :func:`analyse` measures a render already made (a mixing stage
renders once and reads both).
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from companion.arrangement import Arrangement
from companion.render.engine import RenderResult, render

LOW_MID_HZ = 250.0
MID_HIGH_HZ = 4000.0
OVERSAMPLE = 4
PEAK_CHUNK = 1 << 18  # frames per true-peak chunk (keeps the oversampled copy small)
PEAK_OVERLAP = 64
TEMPO_EXCERPT_S = 60.0
TEMPO_RANGE = (60.0, 200.0)
TEMPO_PRIOR_BPM = 120.0  # ties between half and double time go to the tempo nearer this…
TEMPO_PRIOR_OCTAVES = 1.0  # …within about an octave
FLOOR_DB = -120.0


class PartListening(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    role: str
    energy_share: float = Field(ge=0, le=1)
    rms_dbfs: float
    peak_dbfs: float
    voices: int
    held_notes: int | None = None  # notes of a sustained part (None: drums, one-shots…)
    sustain_gap_share: float | None = None  # of their held time, the share that was silent
    notes_with_gaps: int | None = None


class SpectralBalance(BaseModel):
    model_config = ConfigDict(frozen=True)

    low: float  # < 250 Hz
    mid: float  # 250 Hz – 4 kHz
    high: float  # > 4 kHz


class Listening(BaseModel):
    """What the render sounds like, in numbers."""

    seconds: float
    start_seconds: float = 0.0
    integrated_lufs: float | None  # None when too short or silent to gate
    true_peak_dbtp: float
    sample_peak_dbfs: float
    clipped: bool  # samples above full scale (the master would be red)
    parts: list[PartListening]
    returns_share: float = 0.0  # of all energy into Main, what came through return tracks
    spectral_balance: SpectralBalance
    sustain_gap_share: float | None  # over every sustained part
    tempo_bpm: float | None
    tempo_confidence: float
    key: str | None
    key_confidence: float
    missing_samples: list[str] = Field(default_factory=list)

    def part(self, name: str) -> PartListening:
        return next(p for p in self.parts if p.name == name)


def _db(value: float) -> float:
    return round(20.0 * math.log10(value), 2) if value > 0 else FLOOR_DB


def true_peak(audio: np.ndarray) -> float:
    """Highest absolute value of ``audio`` (frames × channels) oversampled 4×, linear."""
    from scipy.signal import resample_poly

    peak = 0.0
    frames = audio.shape[0]
    for start in range(0, frames, PEAK_CHUNK):
        lo = max(0, start - PEAK_OVERLAP)
        hi = min(frames, start + PEAK_CHUNK + PEAK_OVERLAP)
        up = resample_poly(audio[lo:hi], OVERSAMPLE, 1, axis=0, window=("kaiser", 8.0))
        keep = up[(start - lo) * OVERSAMPLE : (min(frames, start + PEAK_CHUNK) - lo) * OVERSAMPLE]
        if keep.size:
            peak = max(peak, float(np.abs(keep).max()))
    return max(peak, float(np.abs(audio).max()) if audio.size else 0.0)


def integrated_loudness(audio: np.ndarray, sample_rate: int) -> float | None:
    import pyloudnorm

    if audio.shape[0] < int(0.4 * sample_rate):
        return None
    value = float(pyloudnorm.Meter(sample_rate).integrated_loudness(audio.astype(np.float64)))
    return round(value, 2) if math.isfinite(value) else None


def spectral_balance(audio: np.ndarray, sample_rate: int) -> SpectralBalance:
    from scipy.signal import welch

    mono = audio.mean(axis=1)
    if not mono.any():
        return SpectralBalance(low=0.0, mid=0.0, high=0.0)
    freqs, power = welch(mono, fs=sample_rate, nperseg=8192)
    total = float(power.sum())
    low = float(power[freqs < LOW_MID_HZ].sum()) / total
    high = float(power[freqs >= MID_HIGH_HZ].sum()) / total
    return SpectralBalance(low=round(low, 4), mid=round(1.0 - low - high, 4), high=round(high, 4))


def _loudest_excerpt(audio: np.ndarray, sample_rate: int, seconds: float) -> np.ndarray:
    mono = audio.mean(axis=1)
    size = int(seconds * sample_rate)
    if len(mono) <= size:
        return mono
    hop = sample_rate
    energy = np.add.reduceat(mono.astype(np.float64) ** 2, np.arange(0, len(mono), hop))
    window = max(1, size // hop)
    sums = np.convolve(energy, np.ones(window), mode="valid")
    start = int(np.argmax(sums)) * hop
    return mono[start : start + size]


def heard_tempo(audio: np.ndarray, sample_rate: int) -> tuple[float | None, float]:
    """The tempo the onsets repeat at, and how clearly (0..1).

    The onset envelope (companion.samples.tempo's band-weighted spectral flux) of the loudest
    minute is autocorrelated; each tempo from 60 to 200 BPM scores the correlation at one to four
    beats (a comb, so the beat and the bar agree), times a broad preference for tempi near 120
    BPM that settles half/double-time ties (which stay the usual ambiguity: drum & bass may be
    heard at half its tempo). Confidence: how far the best score stands above the best of the
    tempi unrelated to it (not its half, double, 2/3 or 3/2).
    """
    from companion.samples.tempo import onset_bands

    excerpt = _loudest_excerpt(audio, sample_rate, TEMPO_EXCERPT_S)
    if excerpt.size < sample_rate * 2 or not excerpt.any():
        return None, 0.0
    bands = onset_bands(excerpt, sample_rate)
    envelope = bands.mix - bands.mix.mean()
    size = len(envelope)
    spectrum = np.fft.rfft(envelope, 2 * size)
    correlation = np.fft.irfft(spectrum * np.conj(spectrum))[:size]
    if correlation[0] <= 0:
        return None, 0.0
    correlation /= correlation[0]
    tempi = np.arange(TEMPO_RANGE[0], TEMPO_RANGE[1] + 0.05, 0.1)
    period = 60.0 * bands.frame_rate / tempi
    comb = (
        sum(np.interp(period * k, np.arange(size), correlation, right=0.0) for k in (1, 2, 3, 4))
        / 4.0
    )
    prior = np.exp(-0.5 * (np.log2(tempi / TEMPO_PRIOR_BPM) / TEMPO_PRIOR_OCTAVES) ** 2)
    score = np.maximum(comb, 0.0) * prior
    best = int(np.argmax(score))
    if score[best] <= 0:
        return None, 0.0
    # Rivals: tempi that are not the best one or its half, double, two or three halves.
    ratio = tempi / tempi[best]
    related = np.zeros(len(tempi), dtype=bool)
    for multiple in (1.0, 0.5, 2.0, 2.0 / 3.0, 1.5):
        related |= np.abs(ratio / multiple - 1.0) < 0.04
    rival = float(score[~related].max()) if (~related).any() else 0.0
    confidence = float(np.clip(1.0 - rival / score[best], 0.0, 1.0))
    return round(float(tempi[best]), 1), round(confidence, 3)


def heard_key(audio: np.ndarray, sample_rate: int) -> tuple[str | None, float]:
    """The key of the render (frames × channels), and how clearly (0..1)."""
    from companion.analysis.audio_key import heard_key as key_of

    return key_of(audio.mean(axis=1), sample_rate)


def analyse(result: RenderResult) -> Listening:
    """The listening report of a render (made with ``measure=True`` for sustain gaps)."""
    audio, rate = result.audio, result.sample_rate
    total = sum(part.energy for part in result.parts)
    samples = max(1, audio.shape[0] * 2)
    parts = []
    held_frames = silent_frames = 0
    measured = False
    for part in result.parts:
        held = part.held
        if held is not None:
            measured = True
            held_frames += held.held_frames
            silent_frames += held.silent_frames
        parts.append(
            PartListening(
                name=part.name,
                role=part.role,
                energy_share=round(part.energy / total, 4) if total > 0 else 0.0,
                rms_dbfs=_db(math.sqrt(part.energy / samples)),
                peak_dbfs=_db(part.peak),
                voices=part.voices,
                held_notes=held.notes if held else None,
                sustain_gap_share=round(held.silent_share, 4) if held else None,
                notes_with_gaps=held.notes_with_gaps if held else None,
            )
        )
    returned = sum(result.returns.values())
    tempo, tempo_confidence = heard_tempo(audio, rate)
    key, key_confidence = heard_key(audio, rate)
    sample_peak = float(np.abs(audio).max()) if audio.size else 0.0
    return Listening(
        seconds=round(result.seconds, 3),
        start_seconds=round(result.start_seconds, 3),
        integrated_lufs=integrated_loudness(audio, rate),
        true_peak_dbtp=_db(true_peak(audio)),
        sample_peak_dbfs=_db(sample_peak),
        clipped=sample_peak > 1.0,
        parts=parts,
        returns_share=round(returned / (returned + total), 4) if returned + total > 0 else 0.0,
        spectral_balance=spectral_balance(audio, rate),
        sustain_gap_share=(
            round(silent_frames / held_frames, 4) if measured and held_frames else None
        ),
        tempo_bpm=tempo,
        tempo_confidence=tempo_confidence,
        key=key,
        key_confidence=key_confidence,
        missing_samples=result.missing,
    )


def listen(
    arrangement: Arrangement,
    project_dir: str | Path,
    section: str | None = None,
    seconds: float | None = None,
) -> Listening:
    """Render the set (or one section of it) and measure what it sounds like."""
    return analyse(render(arrangement, project_dir, section, seconds, measure=True))


def format_listening(report: Listening) -> str:
    """The report as the terminal prints it."""
    lufs = f"{report.integrated_lufs:.1f} LUFS" if report.integrated_lufs is not None else "-"
    lines = [
        f"Listening ({report.seconds:.1f} s rendered)",
        f"  loudness {lufs} · true peak {report.true_peak_dbtp:+.1f} dBTP"
        f" · sample peak {report.sample_peak_dbfs:+.1f} dBFS"
        + (" · CLIPS" if report.clipped else ""),
        f"  spectrum low {report.spectral_balance.low:.0%} · mid {report.spectral_balance.mid:.0%}"
        f" · high {report.spectral_balance.high:.0%}",
        "  heard: "
        + (f"{report.tempo_bpm:g} BPM ({report.tempo_confidence:.2f})" if report.tempo_bpm else "-")
        + " · key "
        + (f"{report.key} ({report.key_confidence:.2f})" if report.key else "-"),
        "  parts (energy share · RMS · peak · sustain gaps):",
    ]
    for part in report.parts:
        gaps = (
            f"{part.sustain_gap_share:.0%} of held time silent"
            f" ({part.notes_with_gaps}/{part.held_notes} notes)"
            if part.sustain_gap_share is not None
            else "-"
        )
        lines.append(
            f"    {part.name:<14} {part.energy_share:6.1%} · {part.rms_dbfs:6.1f} dBFS"
            f" · {part.peak_dbfs:+5.1f} dBFS · {gaps}"
        )
    if report.returns_share:
        lines.append(f"  returns: {report.returns_share:.1%} of the energy into Main")
    if report.missing_samples:
        lines.append(f"  missing samples (silent): {', '.join(report.missing_samples)}")
    return "\n".join(lines)
