"""Live's audio effects, approximated with pedalboard (JUCE and Rubber Band DSP) and scipy filters.

Each effect reads its parameters in the musical units of companion.device_params and follows
their automation block by block (pedalboard processors keep their state between blocks). What
each approximation leaves out is said where it is made. Two effects pedalboard has no match for
are small and local: the sidechain compressor (companion.render.sidechain) and the stereo delay
(ping-pong, separate left/right times and a band-pass in the feedback path).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import lru_cache
from itertools import pairwise

import numpy as np
import pedalboard as pb
from scipy.signal import butter, iirnotch, sosfilt, tf2sos

from companion.arrangement import Device
from companion.device_params import EQ_BANDS, EQ_MODES, FILTER_TYPES, SATURATOR_TYPES
from companion.render.mixer import db_to_gain, pan_gains
from companion.render.params import Params
from companion.render.sidechain import compress
from companion.render.timeline import BLOCK, SAMPLE_RATE

SR = SAMPLE_RATE
NYQUIST_SAFE_HZ = 20000.0
MAX_FLUSHES = 64

# Freeverb (what pedalboard's Reverb is): comb feedback = room_size * 0.28 + 0.7 over combs of
# about 1378 frames on average, so a decay time gives the room size that rings that long.
FREEVERB_ROOM = (0.7, 0.28)
FREEVERB_COMB_FRAMES = 1378.0
REVERB_DAMPING = 0.4  # the input high cut does most of the darkening
GLUE_AUTO_RELEASE_S = 0.4  # Glue's "A" release, taken as its middle setting
AUTO_FILTER_LFO_OCTAVES = 3.0  # cutoff swing at LFO amount 1
LIMITER_LOOKAHEAD_MS = 3.0  # Live's Limiter default


def _stream(
    plugin, audio: np.ndarray, runs, configure: Callable[[dict[str, float]], None]
) -> np.ndarray:
    """Run a pedalboard processor over ``audio`` run by run (parameters set before each),
    keeping its state, and collect exactly as many frames as went in (a lookahead processor
    gives its last frames back when fed silence)."""
    frames = audio.shape[1]
    outputs = []
    for start, end, values in runs:
        configure(values)
        part = audio if (start, end) == (0, frames) else audio[:, start:end]
        outputs.append(plugin.process(part, SR, reset=False))
    if len(outputs) == 1 and outputs[0].shape[1] == frames:
        return outputs[0]
    produced = sum(out.shape[1] for out in outputs)
    flushes = 0
    while produced < frames and flushes < MAX_FLUSHES:
        tail = plugin.process(np.zeros((audio.shape[0], BLOCK * 8), np.float32), SR, reset=False)
        outputs.append(tail)
        produced += tail.shape[1]
        flushes += 1
    out = np.concatenate(outputs, axis=1)[:, :frames] if outputs else audio[:, :0]
    if out.shape[1] < frames:
        out = np.pad(out, ((0, 0), (0, frames - out.shape[1])))
    return np.ascontiguousarray(out, dtype=np.float32)


def _mix(dry: np.ndarray, wet: np.ndarray, amount: float | np.ndarray) -> np.ndarray:
    if isinstance(amount, np.ndarray):
        amount = amount.astype(np.float32)
        return dry * (1.0 - amount) + wet * amount
    if amount >= 1.0:
        return wet
    if amount <= 0.0:
        return dry
    return dry * np.float32(1.0 - amount) + wet * np.float32(amount)


class Effect:
    """One device on a channel. ``key`` is the sidechain signal when the device has one.

    ``tail`` (seconds) is how long the effect keeps sounding after its input stops; an effect
    with one only runs where its channel sounds (see companion.render.spans). None: always run.
    """

    tail: float | None = None

    def tail_seconds(self, first: dict[str, float]) -> float | None:
        return self.tail

    def __init__(self, device: Device, bpm: float, offset: int = 0) -> None:
        self.device = device
        self.bpm = bpm
        self.offset = offset  # song frame of the first frame processed (LFOs run in song time)

    def process(self, audio: np.ndarray, params: Params, key: np.ndarray | None) -> np.ndarray:
        raise NotImplementedError


# ----------------------------------------------------------------------------- EQ Eight


@lru_cache(maxsize=4096)
def _band_design(mode: int, freq: float, q: float) -> np.ndarray:
    """Second-order sections of a cut or notch (a sweep repeats its values: designed once)."""
    if mode == EQ_MODES["notch"]:
        b, a = iirnotch(freq, max(q, 0.1), fs=SR)
        return tf2sos(b, a)
    order = 8 if mode in (EQ_MODES["low_cut_48"], EQ_MODES["high_cut_48"]) else 2
    kind = "highpass" if mode <= EQ_MODES["low_cut_12"] else "lowpass"
    return butter(order, freq, kind, fs=SR, output="sos")


class _ScipyBand:
    """Cuts and notches: Butterworth high/low-pass (12 or 48 dB/octave) and a notch."""

    def __init__(self, mode: int) -> None:
        self.mode = mode
        self.state: np.ndarray | None = None

    def design(self, freq: float, q: float) -> np.ndarray:
        return _band_design(self.mode, min(max(freq, 10.0), NYQUIST_SAFE_HZ), q)

    def run(self, audio: np.ndarray, freq: float, gain_db: float, q: float) -> np.ndarray:
        sos = self.design(freq, q)
        if self.state is None or self.state.shape[0] != sos.shape[0]:
            self.state = np.zeros((sos.shape[0], audio.shape[0], 2))
        out, self.state = sosfilt(sos, audio, axis=1, zi=self.state)
        return out  # float64 while the EQ's bands follow each other; Eq8 casts once at the end


class _PedalBand:
    """Shelves and bells, with pedalboard's biquads."""

    def __init__(self, mode: int) -> None:
        if mode == EQ_MODES["low_shelf"]:
            self.plugin = pb.LowShelfFilter()
        elif mode == EQ_MODES["high_shelf"]:
            self.plugin = pb.HighShelfFilter()
        else:
            self.plugin = pb.PeakFilter()

    def run(self, audio: np.ndarray, freq: float, gain_db: float, q: float) -> np.ndarray:
        self.plugin.cutoff_frequency_hz = min(max(freq, 10.0), NYQUIST_SAFE_HZ)
        self.plugin.gain_db = gain_db
        self.plugin.q = max(q, 0.1)
        return self.plugin.process(audio.astype(np.float32, copy=False), SR, reset=False)


class Eq8(Effect):
    tail = 0.05

    def process(self, audio, params, key):
        first = params.first()
        bands: list[tuple[int, _ScipyBand | _PedalBand]] = []
        for band in range(1, EQ_BANDS + 1):
            if first[f"b{band}_on"] < 0.5 and f"b{band}_on" not in params.automated:
                continue
            mode = round(first[f"b{band}_mode"])
            if mode in (EQ_MODES["low_shelf"], EQ_MODES["bell"], EQ_MODES["high_shelf"]):
                bands.append((band, _PedalBand(mode)))
            else:
                bands.append((band, _ScipyBand(mode)))
        frames = audio.shape[1]
        # Bands whose settings never move filter the whole signal in one call; only the moving
        # ones go block by block through a sweep (the bands are linear: their order is free).
        moving = {name for name in params.automated if name.startswith("b")}
        steady = [(b, f) for b, f in bands if not any(n.startswith(f"b{b}_") for n in moving)]
        swept = [(b, f) for b, f in bands if (b, f) not in steady]
        out = audio
        for band, filt in steady:
            out = filt.run(
                out, first[f"b{band}_freq"], first[f"b{band}_gain_db"], first[f"b{band}_q"]
            )
        if swept:
            source, out = out, np.empty(audio.shape, np.float64)
            for start, end, values in params.runs(frames):
                segment = source[:, start:end]
                for band, filt in swept:
                    if values[f"b{band}_on"] < 0.5:
                        continue
                    segment = filt.run(
                        segment,
                        values[f"b{band}_freq"],
                        values[f"b{band}_gain_db"],
                        values[f"b{band}_q"],
                    )
                out[:, start:end] = segment
        out = out.astype(np.float32, copy=False)
        return out * np.float32(db_to_gain(first["gain_db"])) if first["gain_db"] else out


# ----------------------------------------------------------------------------- dynamics


class Compressor(Effect):
    """Compressor: pedalboard's (no knee) or, keyed by another track, the sidechain one."""

    def tail_seconds(self, first: dict[str, float]) -> float | None:
        return first["release_ms"] / 1000.0 + 0.05

    def process(self, audio, params, key):
        if self.device.sidechain is not None:
            return compress(audio, audio if key is None else key, params)
        plugin = pb.Compressor()

        def configure(values: dict[str, float]) -> None:
            plugin.threshold_db = values["threshold_db"]
            plugin.ratio = values["ratio"]
            plugin.attack_ms = values["attack_ms"]
            plugin.release_ms = values["release_ms"]

        frames = audio.shape[1]
        wet = _stream(plugin, audio, params.runs(frames), configure)
        makeup = params.per_frame("makeup_db", frames)
        wet = wet * (
            np.float32(db_to_gain(makeup))
            if not isinstance(makeup, np.ndarray)
            else np.power(10.0, makeup / 20.0).astype(np.float32)
        )
        return _mix(audio, wet, params.per_frame("dry_wet", frames))


class Glue(Effect):
    """Glue Compressor, as a pedalboard compressor with the Glue's settings (its console-style
    knee and soft clip are left out)."""

    def tail_seconds(self, first: dict[str, float]) -> float | None:
        return (first["release_s"] or GLUE_AUTO_RELEASE_S) + 0.05

    def process(self, audio, params, key):
        plugin = pb.Compressor()

        def configure(values: dict[str, float]) -> None:
            plugin.threshold_db = values["threshold_db"]
            plugin.ratio = values["ratio"]
            plugin.attack_ms = values["attack_ms"]
            release = values["release_s"] or GLUE_AUTO_RELEASE_S
            plugin.release_ms = release * 1000.0

        frames = audio.shape[1]
        wet = _stream(plugin, audio, params.runs(frames), configure)
        first = params.first()
        if first["makeup_db"]:
            wet = wet * np.float32(db_to_gain(first["makeup_db"]))
        return _mix(audio, wet, params.per_frame("dry_wet", frames))


class Limiter(Effect):
    """Limiter: input gain, then pedalboard's lookahead brick-wall limiter at the ceiling
    (sample peaks, as Live's Limiter in its standard mode)."""

    def process(self, audio, params, key):
        frames = audio.shape[1]
        gain = params.per_frame("gain_db", frames)
        if isinstance(gain, np.ndarray):
            audio = audio * np.power(10.0, gain / 20.0).astype(np.float32)
        elif gain:
            audio = audio * np.float32(db_to_gain(gain))
        plugin = pb.BrickwallLimiter(lookahead_ms=LIMITER_LOOKAHEAD_MS)

        def configure(values: dict[str, float]) -> None:
            plugin.ceiling_db = values["ceiling_db"]
            plugin.release_ms = values["release_ms"]

        return _stream(plugin, audio, params.runs(frames), configure)


# ----------------------------------------------------------------------------- colour


def _shape(kind: int, driven: np.ndarray) -> np.ndarray:
    if kind == SATURATOR_TYPES["sinoid_fold"]:
        return np.sin(driven * np.float32(math.pi / 2.0))
    if kind in (SATURATOR_TYPES["hard_curve"], SATURATOR_TYPES["digital_clip"]):
        return np.clip(driven, -1.0, 1.0)
    return np.tanh(driven)  # analog clip, soft sine and medium curve: smooth saturation


class Saturator(Effect):
    """Saturator: drive into a waveshaping curve, output level, dry/wet (its DC and colour
    filters are left out)."""

    tail = 0.01

    def process(self, audio, params, key):
        frames = audio.shape[1]
        first = params.first()
        drive = params.per_frame("drive_db", frames)
        drive_gain = (
            np.power(10.0, drive / 20.0).astype(np.float32)
            if isinstance(drive, np.ndarray)
            else np.float32(db_to_gain(drive))
        )
        wet = _shape(round(first["type"]), audio * drive_gain)
        output = params.per_frame("output_db", frames)
        wet = wet * (
            np.power(10.0, output / 20.0).astype(np.float32)
            if isinstance(output, np.ndarray)
            else np.float32(db_to_gain(output))
        )
        return _mix(audio, wet.astype(np.float32), params.per_frame("dry_wet", frames))


class AutoFilter(Effect):
    """Auto Filter: pedalboard's ladder filter (12 dB) with its cutoff following automation and
    the LFO; the cutoff is updated whenever it has moved by a 24th of an octave (at most once
    per block). A notch is a deep bell cut."""

    tail = 0.1

    def cutoffs(self, params: Params) -> np.ndarray:
        """The cutoff of every block, LFO included, quantised to 1/24 octave."""
        blocks = params.blocks
        hz = np.broadcast_to(np.asarray(params.values["cutoff_hz"], dtype=np.float64), (blocks,))
        amount = np.broadcast_to(
            np.asarray(params.values["lfo_amount"], dtype=np.float64), (blocks,)
        )
        if amount.any():
            rate = np.broadcast_to(
                np.asarray(params.values["lfo_rate_hz"], dtype=np.float64), (blocks,)
            )
            origin = params.origin if params.origin is not None else np.arange(blocks)
            seconds = (self.offset + origin * BLOCK) / SR
            hz = hz * np.exp2(
                (AUTO_FILTER_LFO_OCTAVES * amount) * np.sin(2 * np.pi * rate * seconds)
            )
        hz = np.clip(hz, 20.0, NYQUIST_SAFE_HZ)
        return np.exp2(np.round(np.log2(hz) * 24.0) / 24.0)

    def process(self, audio, params, key):
        frames = audio.shape[1]
        first = params.first()
        kind = round(first["filter_type"])
        moving = bool(params.automated) or first["lfo_amount"] > 0
        if not moving and (
            (kind == FILTER_TYPES["lowpass"] and first["cutoff_hz"] >= 19000.0)
            or (kind == FILTER_TYPES["highpass"] and first["cutoff_hz"] <= 25.0)
        ):
            return audio  # an open filter changes nothing
        if kind == FILTER_TYPES["notch"]:
            plugin = pb.PeakFilter(gain_db=-30.0)
        else:
            mode = {
                FILTER_TYPES["lowpass"]: pb.LadderFilter.Mode.LPF12,
                FILTER_TYPES["highpass"]: pb.LadderFilter.Mode.HPF12,
                FILTER_TYPES["bandpass"]: pb.LadderFilter.Mode.BPF12,
            }[kind]
            plugin = pb.LadderFilter(mode=mode)
        cutoffs = self.cutoffs(params)
        resonance = params.every_block("resonance")
        changes = np.flatnonzero((np.diff(cutoffs) != 0) | (np.diff(resonance) != 0)) + 1
        edges = [0, *changes.tolist(), params.blocks]
        runs = [
            (a * BLOCK, min(frames, b * BLOCK), {"hz": cutoffs[a], "res": resonance[a]})
            for a, b in pairwise(edges)
            if a * BLOCK < frames
        ]

        def configure(values: dict[str, float]) -> None:
            if kind == FILTER_TYPES["notch"]:
                plugin.cutoff_frequency_hz = float(values["hz"])
                plugin.q = 1.0 + 4.0 * float(values["res"])
            else:
                plugin.cutoff_hz = float(values["hz"])
                plugin.resonance = min(0.95, float(values["res"]) * 0.75)

        return _stream(plugin, audio, runs, configure)


class Utility(Effect):
    """Utility: gain, stereo width (mid/side), bass mono below a frequency, balance."""

    tail = 0.05

    def process(self, audio, params, key):
        frames = audio.shape[1]
        first = params.first()
        left, right = audio[0], audio[1]
        mid = (left + right) * np.float32(0.5)
        side = (left - right) * np.float32(0.5)
        width = params.per_frame("width", frames)
        if isinstance(width, np.ndarray) or width != 1.0:
            side = side * (width.astype(np.float32) if isinstance(width, np.ndarray) else width)
        if first["mono_bass_hz"] > 0:
            sos = butter(4, max(20.0, first["mono_bass_hz"]), "lowpass", fs=SR, output="sos")
            side = side - sosfilt(sos, side).astype(np.float32)
        out = np.stack([mid + side, mid - side])
        balance = params.per_frame("balance", frames)
        if isinstance(balance, np.ndarray):
            angle = (np.clip(balance, -1, 1) + 1.0) * (np.pi / 4.0)
            gains = np.stack([np.sqrt(2) * np.cos(angle), np.sqrt(2) * np.sin(angle)])
            out = out * gains.astype(np.float32)
        elif balance:
            gl, gr = pan_gains(balance)
            out = out * np.array([[gl], [gr]], dtype=np.float32)
        gain = params.per_frame("gain_db", frames)
        if isinstance(gain, np.ndarray):
            out = out * np.power(10.0, gain / 20.0).astype(np.float32)
        elif gain:
            out = out * np.float32(db_to_gain(gain))
        return out.astype(np.float32, copy=False)


# ----------------------------------------------------------------------------- space


def room_size_for(decay_s: float) -> float:
    """Freeverb's room size for a decay time (RT60)."""
    feedback = 10.0 ** (-3.0 * FREEVERB_COMB_FRAMES / (max(decay_s, 0.05) * SR))
    offset, scale = FREEVERB_ROOM
    return min(1.0, max(0.0, (feedback - offset) / scale))


def _band(low_hz: float, high_hz: float) -> np.ndarray | None:
    low = low_hz if low_hz > 20.0 else None
    high = high_hz if high_hz < NYQUIST_SAFE_HZ else None
    if low and high and low < high:
        return butter(2, [low, high], "bandpass", fs=SR, output="sos")
    if low:
        return butter(2, low, "highpass", fs=SR, output="sos")
    if high:
        return butter(2, high, "lowpass", fs=SR, output="sos")
    return None


class Reverb(Effect):
    """Reverb: input low/high cut, pre-delay, then pedalboard's Freeverb tuned to the decay
    time; stereo image as its width. (Live's early reflections, diffusion and chorus are left
    out; room size is read from the decay.)"""

    def tail_seconds(self, first: dict[str, float]) -> float | None:
        return first["decay_s"] * 1.2 + first["predelay_ms"] / 1000.0 + 0.1

    def process(self, audio, params, key):
        frames = audio.shape[1]
        first = params.first()
        feed = audio
        sos = _band(first["low_cut_hz"], first["high_cut_hz"])
        if sos is not None:
            feed = sosfilt(sos, feed, axis=1).astype(np.float32)
        predelay = round(first["predelay_ms"] * SR / 1000.0)
        if predelay:
            feed = np.pad(feed, ((0, 0), (predelay, 0)))[:, :frames]
        plugin = pb.Reverb(damping=REVERB_DAMPING, wet_level=1.0, dry_level=0.0)

        def configure(values: dict[str, float]) -> None:
            plugin.room_size = room_size_for(values["decay_s"])
            plugin.width = min(1.0, values["stereo"] / 120.0)

        wet = _stream(plugin, np.ascontiguousarray(feed), params.runs(frames), configure)
        return _mix(audio, wet, params.per_frame("dry_wet", frames))


@lru_cache(maxsize=64)
def _feedback_band(centre_hz: float, octaves: float) -> np.ndarray:
    """The Delay's band-pass: ``octaves`` wide around ``centre_hz``."""
    half = 2.0 ** (octaves / 2.0)
    low = max(20.0, centre_hz / half)
    high = min(NYQUIST_SAFE_HZ, centre_hz * half)
    return butter(1, [low, max(high, low * 1.01)], "bandpass", fs=SR, output="sos")


class Delay(Effect):
    """Delay: a stereo feedback delay, synced to the song or in milliseconds, optionally
    ping-pong, with a band-pass in its feedback path, computed a delay-length at a time (each
    chunk only reads output already computed)."""

    def tail_seconds(self, first: dict[str, float]) -> float | None:
        longest = max(self._frames(first, "l"), self._frames(first, "r")) / SR
        feedback = min(first["feedback"], 0.95)
        repeats = 1.0 + (math.log(1e-3) / math.log(feedback) if feedback > 1e-3 else 0.0)
        return min(30.0, longest * repeats + 0.05)

    def _frames(self, values: dict[str, float], side: str) -> int:
        if values["sync"] >= 0.5:
            sixteenths = values[f"sixteenths_{side}"]
            seconds = sixteenths * 60.0 / self.bpm / 4.0
        else:
            seconds = values[f"time_{side}_ms"] / 1000.0
        return max(BLOCK, round(seconds * SR))

    def process(self, audio, params, key):
        frames = audio.shape[1]
        first = params.first()
        delays = (self._frames(first, "l"), self._frames(first, "r"))
        chunk = min(delays)
        ping_pong = first["ping_pong"] >= 0.5
        feed = np.zeros_like(audio)  # what enters each delay line
        echo = np.zeros_like(audio)  # what comes out of it
        state = None
        start = 0
        while start < frames:
            end = min(frames, start + chunk)
            values = params.block(min(params.blocks - 1, start // BLOCK))
            for channel, delay in enumerate(delays):
                lo, hi = start - delay, end - delay
                if hi > 0:
                    echo[channel, max(start, delay) : end] = feed[channel, max(lo, 0) : hi]
            feedback = np.float32(values["feedback"])
            if ping_pong:
                mono = (audio[0, start:end] + audio[1, start:end]) * np.float32(0.5)
                entering = np.stack(
                    [mono + feedback * echo[1, start:end], feedback * echo[0, start:end]]
                )
            else:
                entering = audio[:, start:end] + feedback * echo[:, start:end]
            if values["filter_on"] >= 0.5:
                sos = _feedback_band(values["filter_hz"], values["filter_width"])
                if state is None:
                    state = np.zeros((sos.shape[0], 2, 2))
                entering, state = sosfilt(sos, entering, axis=1, zi=state)
            feed[:, start:end] = entering
            start = end
        return _mix(audio, echo, params.per_frame("dry_wet", frames))


EFFECTS: dict[str, type[Effect]] = {
    "eq8": Eq8,
    "compressor": Compressor,
    "glue": Glue,
    "saturator": Saturator,
    "auto_filter": AutoFilter,
    "utility": Utility,
    "limiter": Limiter,
    "reverb": Reverb,
    "delay": Delay,
}


def effect_for(device: Device, bpm: float, offset: int = 0) -> Effect:
    return EFFECTS[device.kind](device, bpm, offset)
