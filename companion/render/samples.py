"""Sample files as the render plays them: read once, pitched, looped, filtered, stretched, cached.

A note in Simpler plays its sample resampled by the distance from the root key. Every distinct
(sample, pitch, loop, filter) is resampled once with scipy's polyphase resampler and reused by all
notes of that pitch, so a song of thousands of notes costs a few dozen resamplings. A sustain loop
is unrolled before resampling and then repeated in the output domain, so a held note lasts as long
as it is held.
"""

from __future__ import annotations

import logging
import math
from collections import OrderedDict
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path, PurePosixPath

import numpy as np
import soundfile
from scipy.signal import butter, resample_poly, sosfilt

from companion.arrangement import SampleFile, SampleLoop, WarpMode
from companion.render.timeline import SAMPLE_RATE

log = logging.getLogger("musiaia.render")

RATIO_DENOMINATOR = 1000  # resampling ratios within ~0.005 cent of the exact pitch
LOOP_UNIT_FRAMES = 8192  # a repeated loop unit spans at least this many output frames…
# …so rounding it to whole frames detunes a loop by under 0.1 cent.
OPEN_FILTER_HZ = 20000.0  # a low-pass at or above this is left out (inaudible)
CACHE_BYTES = 256 * 2**20
MAX_CHANNELS = 2


@dataclass(frozen=True)
class Stream:
    """A sample at one pitch, at the render's rate: ``data`` once through, then (with a loop)
    ``data[:, head:]`` repeated for ever."""

    data: np.ndarray  # (channels, frames) float32
    head: int | None = None  # where the repeated unit starts; None: plays once

    @property
    def length(self) -> int | None:
        """Frames it lasts, or None when it loops."""
        return None if self.head is not None else self.data.shape[1]

    def get(self, frames: int) -> np.ndarray:
        """The first ``frames`` frames (shorter when a one-pass sample ends sooner)."""
        data = self.data
        if frames <= data.shape[1] or self.head is None:
            return data[:, :frames]
        unit = data[:, self.head :]
        repeats = math.ceil((frames - self.head) / unit.shape[1])
        return np.concatenate([data[:, : self.head], *([unit] * repeats)], axis=1)[:, :frames]


def _ratio(playback_rate: float) -> tuple[int, int]:
    """(up, down) for resample_poly: output frames per input frame ≈ 1 / playback_rate."""
    fraction = Fraction(1.0 / playback_rate).limit_denominator(RATIO_DENOMINATOR)
    return max(1, fraction.numerator), max(1, fraction.denominator)


def resample(data: np.ndarray, playback_rate: float) -> np.ndarray:
    """``data`` played ``playback_rate`` times faster (higher and shorter), at the same rate."""
    if abs(playback_rate - 1.0) < 1e-9:
        return data
    up, down = _ratio(playback_rate)
    return resample_poly(data, up, down, axis=1).astype(np.float32, copy=False)


def lowpass(data: np.ndarray, cutoff_hz: float, sample_rate: int = SAMPLE_RATE) -> np.ndarray:
    """Simpler's 12 dB/octave low-pass (two-pole Butterworth)."""
    if cutoff_hz >= OPEN_FILTER_HZ:
        return data
    sos = butter(2, max(20.0, cutoff_hz), "lowpass", fs=sample_rate, output="sos")
    return sosfilt(sos, data, axis=1).astype(np.float32, copy=False)


def _unrolled(data: np.ndarray, loop: SampleLoop, repeats: int) -> np.ndarray:
    """The sample up to the loop end, then the loop body ``repeats`` more times; the body's last
    ``crossfade`` frames fade into the frames just before the loop start, so the seam is smooth."""
    start, end = loop.start, min(loop.end, data.shape[1])
    body = data[:, start:end].copy()
    fade = min(loop.crossfade, start, body.shape[1])
    if fade:
        ramp = np.linspace(0.0, 1.0, fade, endpoint=False, dtype=np.float32)
        body[:, -fade:] = body[:, -fade:] * (1.0 - ramp) + data[:, start - fade : start] * ramp
    return np.concatenate([data[:, :start], *([body] * (1 + repeats))], axis=1)


class SampleStore:
    """Reads a project's samples and keeps their pitched versions (least recently used first
    out once ``cache_bytes`` are held)."""

    def __init__(
        self, project_dir: Path, confine: bool = False, cache_bytes: int = CACHE_BYTES
    ) -> None:
        self.project_dir = Path(project_dir)
        self.confine = confine
        self.cache_bytes = cache_bytes
        self.missing: list[str] = []
        self._files: dict[str, tuple[np.ndarray, int] | None] = {}
        self._streams: OrderedDict[tuple, Stream] = OrderedDict()
        self._held = 0

    # ------------------------------------------------------------------------------ files
    def path_of(self, sample: SampleFile) -> Path:
        path = self.project_dir / Path(*PurePosixPath(sample.path).parts)
        if self.confine:
            root = self.project_dir.resolve()
            if not path.resolve().is_relative_to(root):
                raise PermissionError(f"{sample.path!r} leaves the project folder")
        return path

    def audio(self, sample: SampleFile) -> tuple[np.ndarray, int] | None:
        """(channels × frames float32, sample rate), or None when the file is missing or
        unreadable (Live plays nothing for a missing file either; the render notes it)."""
        if sample.path in self._files:
            return self._files[sample.path]
        loaded: tuple[np.ndarray, int] | None = None
        try:
            frames, rate = soundfile.read(self.path_of(sample), dtype="float32", always_2d=True)
            if frames.shape[0] and frames.shape[1]:
                data = np.ascontiguousarray(frames[:, :MAX_CHANNELS].T)
                loaded = (data, int(rate))
        except (OSError, RuntimeError, ValueError, PermissionError) as exc:
            log.warning("sample %s not played: %s", sample.path, exc)
        if loaded is None:
            self.missing.append(sample.path)
        self._files[sample.path] = loaded
        return loaded

    # ------------------------------------------------------------------------------ streams
    def _remember(self, key: tuple, stream: Stream) -> Stream:
        self._streams[key] = stream
        self._held += stream.data.nbytes
        while self._held > self.cache_bytes and len(self._streams) > 1:
            _, old = self._streams.popitem(last=False)
            self._held -= old.data.nbytes
        return stream

    def stream(
        self,
        sample: SampleFile,
        semitones: float,
        loop: SampleLoop | None = None,
        cutoff_hz: float = OPEN_FILTER_HZ,
    ) -> Stream | None:
        """The sample transposed by ``semitones`` (from its root), looped while held when
        ``loop`` is given, through the instrument's low-pass at ``cutoff_hz``."""
        semitones = round(semitones, 4)
        cutoff_hz = OPEN_FILTER_HZ if cutoff_hz >= OPEN_FILTER_HZ else round(cutoff_hz, 1)
        key = (sample.path, semitones, loop, cutoff_hz)
        cached = self._streams.get(key)
        if cached is not None:
            self._streams.move_to_end(key)
            return cached
        loaded = self.audio(sample)
        if loaded is None:
            return None
        data, rate = loaded
        rate_factor = 2.0 ** (semitones / 12.0) * rate / SAMPLE_RATE
        if loop is None or loop.end > data.shape[1]:
            return self._remember(key, Stream(lowpass(resample(data, rate_factor), cutoff_hz)))
        period = (loop.end - loop.start) / rate_factor  # output frames per pass of the loop
        passes = max(1, math.ceil(LOOP_UNIT_FRAMES / period))
        rendered = lowpass(resample(_unrolled(data, loop, passes + 2), rate_factor), cutoff_hz)
        head = round((loop.end) / rate_factor)  # the second pass: the filters have settled
        unit = round(passes * period)
        return self._remember(key, Stream(rendered[:, : head + unit], head))

    def glide(
        self,
        sample: SampleFile,
        semitones: np.ndarray,
        loop: SampleLoop | None = None,
        cutoff_hz: float = OPEN_FILTER_HZ,
    ) -> np.ndarray | None:
        """The sample played with a pitch that moves (``semitones`` per output frame): a
        portamento between legato notes. Read by linear interpolation (glides are on bass and
        leads, where the missing anti-alias filter is inaudible)."""
        loaded = self.audio(sample)
        if loaded is None:
            return None
        data, rate = loaded
        speed = np.exp2(semitones / 12.0) * (rate / SAMPLE_RATE)
        position = np.concatenate([[0.0], np.cumsum(speed[:-1])])
        frames = data.shape[1]
        if loop is not None and loop.end <= frames:
            looped = position >= loop.end
            span = loop.end - loop.start
            position[looped] = loop.start + np.mod(position[looped] - loop.start, span)
        else:
            position = position[position < frames - 1]
        grid = np.arange(frames, dtype=np.float64)
        out = np.stack([np.interp(position, grid, channel) for channel in data]).astype(np.float32)
        return lowpass(out, cutoff_hz)

    # ------------------------------------------------------------------------------ loops
    def warped(self, sample: SampleFile, frames: float, mode: WarpMode) -> np.ndarray | None:
        """The file fitted to ``frames`` output frames: time-stretched at its own pitch
        (Live's Beats, Tones, Texture and Complex modes, with Rubber Band through pedalboard) or
        resampled (Re-Pitch)."""
        key = ("warp", sample.path, round(frames, 3), mode)
        cached = self._streams.get(key)
        if cached is not None:
            self._streams.move_to_end(key)
            return cached.data
        loaded = self.audio(sample)
        if loaded is None:
            return None
        data, rate = loaded
        seconds_in = data.shape[1] / rate
        seconds_out = frames / SAMPLE_RATE
        if mode == "repitch":
            out = resample(data, seconds_in / seconds_out * rate / SAMPLE_RATE)
        else:
            from pedalboard import time_stretch

            stretched = time_stretch(
                data, float(rate), stretch_factor=seconds_in / seconds_out, high_quality=True
            )
            out = resample(np.asarray(stretched, dtype=np.float32), rate / SAMPLE_RATE)
        length = max(1, round(frames))
        if out.shape[1] < length:
            out = np.pad(out, ((0, 0), (0, length - out.shape[1])))
        out = np.ascontiguousarray(out[:, :length], dtype=np.float32)
        self._remember(key, Stream(out))
        return out
