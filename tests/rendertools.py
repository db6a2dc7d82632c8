"""Hand-built projects for the render tests: real sample files on disk and arrangements that use
every production field, plus the measurements the tests read off the audio.

The signals are chosen so a measurement can only come out right if the render did: clicks that
start on their first sample (onsets to the frame), sines of whole cycles (loops without seams,
exact pitches), noise for filters.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import soundfile

from companion.arrangement import (
    Arrangement,
    Clip,
    Device,
    DrumPad,
    Instrument,
    MainBus,
    Mix,
    Note,
    ReturnTrack,
    SampleFile,
    SampleLoop,
    Track,
)

RATE = 44_100
BPM = 120.0
FPB = RATE * 60 / BPM  # 22050 frames per beat


def write_sample(project: Path, name: str, data: np.ndarray, root: int = 60, rate: int = RATE):
    """``data`` (frames or frames × channels) as a float WAV in the project → its SampleFile."""
    path = project / "Samples" / f"{name}.wav"
    path.parent.mkdir(parents=True, exist_ok=True)
    soundfile.write(path, data.astype(np.float32), rate, subtype="FLOAT")
    return SampleFile(
        path=f"Samples/{name}.wav", frames=len(data), sample_rate=rate, root_note=root
    )


def sine(freq: float, seconds: float, amp: float = 0.5, rate: int = RATE) -> np.ndarray:
    t = np.arange(round(seconds * rate)) / rate
    return amp * np.sin(2 * np.pi * freq * t)


def click(seconds: float = 0.05, amp: float = 0.8) -> np.ndarray:
    """Starts at full level on its first frame, then decays: its onset is exact."""
    n = round(seconds * RATE)
    return (
        amp
        * np.exp(-np.arange(n) / (0.004 * RATE))
        * np.cos(2 * np.pi * 2000 * np.arange(n) / RATE)
    )


def noise(seconds: float, amp: float = 0.3, seed: int = 0) -> np.ndarray:
    return amp * np.random.default_rng(seed).uniform(-1, 1, round(seconds * RATE))


def clip(notes, start: float = 0.0, length: float = 16.0, envelopes=()) -> Clip:
    return Clip(
        name="c",
        start=start,
        length=length,
        notes=[Note(pitch=p, start=s, duration=d, velocity=v) for p, s, d, v in notes],
        envelopes=list(envelopes),
    )


def simpler(sample: SampleFile, **fields) -> Instrument:
    """A Simpler at 0 dB (the model's default is Live's -6 dB), so levels read plainly."""
    fields.setdefault("volume_db", 0.0)
    return Instrument(kind="simpler", name="Simpler", sample=sample, **fields)


def rack(*pads: DrumPad, volume_db: float = 0.0) -> Instrument:
    return Instrument(kind="drum_rack", name="Rack", pads=list(pads), volume_db=volume_db)


def track(name: str, instrument: Instrument, clips, role: str = "other", **fields) -> Track:
    return Track(name=name, role=role, color=1, clips=list(clips), instrument=instrument, **fields)


def song(*tracks: Track, bars: int = 4, returns=(), main: MainBus | None = None, **fields):
    return Arrangement(
        title="Test",
        bpm=fields.pop("bpm", BPM),
        bars=bars,
        tracks=list(tracks),
        returns=list(returns),
        main=main or MainBus(),
        **fields,
    )


def send_return(name: str, *devices: Device) -> ReturnTrack:
    return ReturnTrack(name=name, devices=list(devices))


def mix(volume_db: float = 0.0, pan: float = 0.0, sends=()) -> Mix:
    return Mix(volume_db=volume_db, pan=pan, sends=tuple(sends))


def loop_of(sample: SampleFile, start: int, end: int, crossfade: int = 0) -> SampleLoop:
    return SampleLoop(start=start, end=end, crossfade=crossfade)


# ----------------------------------------------------------------------------- measures


def onsets(signal: np.ndarray, threshold: float = 0.02, quiet: int = 400) -> list[int]:
    """Frames where ``signal`` (mono) rises above ``threshold`` after ``quiet`` quiet frames."""
    loud = np.flatnonzero(np.abs(signal) > threshold)
    if loud.size == 0:
        return []
    starts = [int(loud[0])]
    starts += [int(b) for a, b in itertools.pairwise(loud) if b - a > quiet]
    return starts


def frequency(signal: np.ndarray) -> float:
    """The dominant frequency, to a fraction of a hertz (zero-padded FFT)."""
    window = signal * np.hanning(len(signal))
    size = 1 << (len(signal) * 8 - 1).bit_length()
    spectrum = np.abs(np.fft.rfft(window, size))
    return float(np.argmax(spectrum) * RATE / size)


def rms(signal: np.ndarray) -> float:
    return float(np.sqrt(np.mean(np.square(signal, dtype=np.float64))))


def band_energy(signal: np.ndarray, low: float, high: float) -> float:
    spectrum = np.abs(np.fft.rfft(signal)) ** 2
    freqs = np.fft.rfftfreq(len(signal), 1 / RATE)
    return float(spectrum[(freqs >= low) & (freqs < high)].sum())


def at(beat: float) -> int:
    return round(beat * FPB)
