"""How loud each sample is, for gain staging without rendering.

The built-in kit's manifest records each file's level facts (companion.kit.loudness: RMS, peak,
the loop's RMS, low/mid/high energy shares, length). A sample without facts (a producer's own
file, a kit older than the facts) gets its part's typical level, so a mix is always staged; the
render checks the result.
"""

from __future__ import annotations

import json
import math
from bisect import bisect_left
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

MANIFEST = "musiaia-kit.json"  # companion.kit.build writes it next to the kit's files
# How far an attack's peak stands over a sine's at the same power: a low sound (kick, 808, sub)
# starts like a sine, a bright one with a transient (a hammer, a pluck) a few dB higher.
ONSET_CREST_LOW_DB = 3.0
ONSET_CREST_HIGH_DB = 6.0


@dataclass(frozen=True, slots=True)
class SampleLevel:
    rms_db: float  # whole file, mean over channels
    peak_db: float
    seconds: float
    loop_rms_db: float | None = None  # the sustain loop's level (looped instruments)
    low: float = 0.2  # energy share below 250 Hz
    high: float = 0.1  # energy share above 4 kHz
    known: bool = True  # from the file's facts (False: a part's typical level)
    # How the file's energy builds up: (seconds, share of its energy by then), measured from the
    # file; empty: modelled as a decay from the onset to the sustain level.
    curve: tuple[tuple[float, float], ...] = ()
    # Share of the file's energy in each third-octave band of SPECTRUM_HZ (empty: unknown): an
    # EQ takes from a note what its response is where the note's partials sit (chains).
    spectrum: tuple[float, ...] = ()
    # Share of the energy in the channels' sum (mid): 1 for a mono file, about 0.5 for a wide
    # stereo pad. A reverb is fed the sum, so a wide sound rings less for its power.
    mid: float = 1.0

    @property
    def power(self) -> float:
        """Mean square of both output channels while it plays (a mono file plays on both)."""
        return 2.0 * 10.0 ** (self.rms_db / 10.0)

    @property
    def loop_power(self) -> float:
        level = self.loop_rms_db if self.loop_rms_db is not None else self.rms_db
        return 2.0 * 10.0 ** (level / 10.0)

    @property
    def onset_power(self) -> float:
        """Power at the sound's start: its peak, less the crest its attack has."""
        crest = ONSET_CREST_HIGH_DB - (ONSET_CREST_HIGH_DB - ONSET_CREST_LOW_DB) * self.low
        return 2.0 * 10.0 ** ((self.peak_db - crest) / 10.0)

    @property
    def decay_s(self) -> float:
        """Time constant of the sound's fall from its onset to its sustain (the loop's level, or
        silence): the one that gives the file its energy. Zero for a sound that holds."""
        floor = self.loop_power if self.loop_rms_db is not None else 0.0
        excess = self.power * self.seconds - floor * self.seconds
        if excess <= 0 or self.onset_power <= floor:
            return 0.0
        return min(self.seconds, excess / (self.onset_power - floor))

    def energy_until(self, seconds: float) -> float:
        """Energy of the first ``seconds`` of the file (both channels): a decay from the onset
        to the sustain level, then that level."""
        seconds = min(seconds, self.seconds)
        if self.curve:
            return self.power * self.seconds * _interpolate(self.curve, seconds)
        tau = self.decay_s
        floor = self.loop_power if self.loop_rms_db is not None else 0.0
        if tau <= 0:
            return self.power * seconds
        total = self.power * self.seconds
        decayed = (self.onset_power - floor) * tau * (1.0 - math.exp(-seconds / tau))
        return min(total, floor * seconds + decayed)

    @property
    def k_weight(self) -> float:
        """How much louder BS.1770's K-weighting hears it than its plain power: lows count less
        (the 38 Hz high-pass), highs more (the +4 dB shelf above ~1.5 kHz)."""
        mid = max(0.0, 1.0 - self.low - self.high)
        return 0.8 * self.low + 1.1 * mid + 2.3 * self.high


def _interpolate(curve: tuple[tuple[float, float], ...], at: float) -> float:
    index = bisect_left(curve, (at, -1.0))
    if index == 0:
        t1, v1 = curve[0]
        return v1 * at / t1 if t1 > 0 else v1
    if index >= len(curve):
        return curve[-1][1]
    (t0, v0), (t1, v1) = curve[index - 1], curve[index]
    return v0 + (v1 - v0) * (at - t0) / (t1 - t0) if t1 > t0 else v1


# Typical levels of a sample normalised to -1 dBFS peak, per mix part: (RMS dB, seconds, low, high)
TYPICAL: dict[str, tuple[float, float, float, float]] = {
    "kick": (-10.0, 0.5, 0.9, 0.0),
    "snare": (-16.0, 0.4, 0.1, 0.5),
    "drums": (-19.0, 0.2, 0.0, 0.9),
    "bass": (-11.0, 2.0, 0.85, 0.0),
    "chords": (-12.0, 2.0, 0.2, 0.02),
    "pads": (-12.0, 2.0, 0.1, 0.02),
    "lead": (-11.0, 1.5, 0.02, 0.05),
    "arp": (-13.0, 1.0, 0.1, 0.05),
    "vocals": (-13.0, 1.0, 0.05, 0.05),
    "fx": (-15.0, 2.5, 0.1, 0.3),
    "drum_loop": (-15.0, 4.0, 0.3, 0.4),
    "vocal_loop": (-15.0, 4.0, 0.05, 0.1),
}


def typical(part: str) -> SampleLevel:
    rms, seconds, low, high = TYPICAL.get(part, TYPICAL["fx"])
    return SampleLevel(rms, -1.0, seconds, None, low, high, known=False)


def from_facts(levels: Mapping[str, float]) -> SampleLevel | None:
    try:
        return SampleLevel(
            rms_db=float(levels["rms_db"]),
            peak_db=float(levels["peak_db"]),
            seconds=max(1e-3, float(levels["seconds"])),
            loop_rms_db=(
                float(levels["loop_rms_db"]) if levels.get("loop_rms_db") is not None else None
            ),
            low=float(levels.get("low", 0.2)),
            high=float(levels.get("high", 0.1)),
        )
    except (KeyError, TypeError, ValueError):
        return None


_MANIFESTS: dict[tuple[str, int], dict[str, SampleLevel]] = {}


def _folder_levels(folder: Path) -> dict[str, SampleLevel]:
    """File name → level facts of a kit folder's manifest (cached while it is unchanged)."""
    manifest = folder / MANIFEST
    try:
        stamp = manifest.stat().st_mtime_ns
    except OSError:
        return {}
    key = (str(folder), stamp)
    found = _MANIFESTS.get(key)
    if found is None:
        try:
            files = json.loads(manifest.read_text(encoding="utf-8")).get("files", {})
        except (OSError, ValueError, AttributeError):
            files = {}
        found = {}
        for name, entry in files.items() if isinstance(files, dict) else ():
            level = from_facts(entry.get("levels") or {}) if isinstance(entry, dict) else None
            if level is not None:
                found[name] = level
        if len(_MANIFESTS) > 16:
            _MANIFESTS.clear()
        _MANIFESTS[key] = found
    return found


def sample_levels(
    sources: Mapping[str, Path],
    kit_dir: Path | None = None,
    loops: Mapping[str, tuple[int, int]] | None = None,
) -> dict[str, SampleLevel]:
    """Level facts of the samples a project copies (project path → its source file): the kit
    manifest's (a kit sample kept from a previous version is copied from that version's folder:
    ``kit_dir``'s manifest knows it by name), else measured from the file (``loops``: the
    sustain loop a sample plays, by project path)."""
    found: dict[str, SampleLevel] = {}
    kit = _folder_levels(Path(kit_dir)) if kit_dir is not None else {}
    for relative, source in sources.items():
        name = Path(source).name
        level = _folder_levels(Path(source).parent).get(name) or kit.get(name)
        if level is None:
            level = measure(Path(source), (loops or {}).get(relative))
        elif not level.curve or not level.spectrum:
            curve, spectrum, mid = file_facts(Path(source))
            level = replace(level, curve=level.curve or curve, spectrum=spectrum, mid=mid)
        if level is not None:
            found[relative] = level
    return found


CURVE_POINTS = 24
CURVE_FIRST_S = 0.002
_CURVES: dict[tuple, tuple[tuple[tuple[float, float], ...], tuple[float, ...], float]] = {}


def _curve_of(channels, rate: int) -> tuple[tuple[float, float], ...]:
    """(seconds, share of the energy by then) at log-spaced times over the file."""
    import numpy as np

    energy = np.cumsum((channels.astype(np.float64) ** 2).sum(axis=0))
    total = float(energy[-1]) if len(energy) else 0.0
    frames = channels.shape[1]
    if total <= 0 or frames < 2:
        return ()
    seconds = frames / rate
    times = np.geomspace(min(CURVE_FIRST_S, seconds), seconds, CURVE_POINTS)
    index = np.minimum(frames - 1, (times * rate).astype(int))
    return tuple(
        (round(float(t), 5), round(float(energy[i]) / total, 5))
        for t, i in zip(times, index, strict=True)
    )


# Third-octave band centres, 20 Hz to 16 kHz: fine enough for a 12 dB/octave high-pass and a
# one-octave bell, coarse enough to store with each sample.
SPECTRUM_HZ = tuple(1000.0 * 2.0 ** (k / 3.0) for k in range(-17, 13))


def _spectrum_of(channels, rate: int) -> tuple[float, ...]:
    """Share of the energy in each band of SPECTRUM_HZ (mono sum of the first half minute)."""
    import numpy as np

    mono = channels[:, : int(MEASURE_SECONDS * rate)].astype(np.float64).mean(axis=0)
    if len(mono) < 2:
        return ()
    power = np.abs(np.fft.rfft(mono)) ** 2
    freqs = np.fft.rfftfreq(len(mono), 1.0 / rate)
    edges = [c * 2.0 ** (-1.0 / 6.0) for c in SPECTRUM_HZ] + [SPECTRUM_HZ[-1] * 2.0 ** (1 / 6)]
    edges[0], edges[-1] = 0.0, rate / 2.0 + 1.0  # the end bands take what lies beyond them
    index = np.clip(np.searchsorted(edges, freqs, side="right") - 1, 0, len(SPECTRUM_HZ) - 1)
    bands = np.bincount(index, weights=power, minlength=len(SPECTRUM_HZ))
    total = float(bands.sum())
    if total <= 0:
        return ()
    return tuple(round(float(b) / total, 5) for b in bands)


def _mid_of(channels) -> float:
    """Power of the channels' mean over their mean power (1: mono)."""
    import numpy as np

    total = float(np.mean(channels.astype(np.float64) ** 2))
    if channels.shape[0] < 2 or total <= 0:
        return 1.0
    return round(float(np.mean(channels.astype(np.float64).mean(axis=0) ** 2)) / total, 4)


def file_facts(
    path: Path,
) -> tuple[tuple[tuple[float, float], ...], tuple[float, ...], float]:
    """(energy curve, band spectrum, mid share) of a file, cached while it is unchanged: how
    much of a sample a short note plays depends on the curve far more than on the file's
    average level, what an EQ takes from it on where its energy sits."""
    try:
        stat = path.stat()
    except OSError:
        return (), (), 1.0
    key = (str(path), stat.st_size, stat.st_mtime_ns)
    if key not in _CURVES:
        import soundfile

        try:
            audio, rate = soundfile.read(str(path), dtype="float32", always_2d=True)
        except (OSError, RuntimeError, ValueError):
            _CURVES[key] = ((), (), 1.0)
        else:
            if len(_CURVES) > 4096:
                _CURVES.clear()
            channels = audio.T
            _CURVES[key] = (
                _curve_of(channels, rate),
                _spectrum_of(channels, rate),
                _mid_of(channels),
            )
    return _CURVES[key]


def energy_curve(path: Path) -> tuple[tuple[float, float], ...]:
    """How a file's energy builds up over time (see file_facts)."""
    return file_facts(path)[0]


def sample_loops(song) -> dict[str, tuple[int, int]]:
    """The sustain loop each sample plays in ``song`` (an Arrangement), by project path."""
    loops: dict[str, tuple[int, int]] = {}
    for track in song.tracks:
        instrument = track.instrument
        if instrument is None:
            continue
        if instrument.sample is not None and instrument.loop is not None:
            loops[instrument.sample.path] = (instrument.loop.start, instrument.loop.end)
        for zone in instrument.zones:
            if zone.loop is not None:
                loops[zone.sample.path] = (zone.loop.start, zone.loop.end)
    return loops


MEASURE_SECONDS = 30.0  # a long file is measured on its first half minute
LOW_HZ, HIGH_HZ = 250.0, 4000.0
_MEASURED: dict[tuple, SampleLevel | None] = {}


def measure(path: Path, loop: tuple[int, int] | None = None) -> SampleLevel | None:
    """A sample's level facts from the file itself (a producer's own sample, a kit without a
    manifest), cached while the file is unchanged; None when it cannot be read."""
    try:
        stat = path.stat()
    except OSError:
        return None
    key = (str(path), stat.st_size, stat.st_mtime_ns, loop)
    if key in _MEASURED:
        return _MEASURED[key]
    import numpy as np
    import soundfile

    try:
        with soundfile.SoundFile(str(path)) as handle:
            rate = handle.samplerate
            audio = handle.read(min(handle.frames, int(MEASURE_SECONDS * rate)), dtype="float32")
    except (OSError, RuntimeError, ValueError):
        level = None
    else:
        channels = audio.reshape(len(audio), -1).T.astype(np.float64)
        level = None
        if channels.shape[1]:
            power = float(np.mean(channels**2))
            peak = float(np.abs(channels).max())
            spectrum = np.abs(np.fft.rfft(channels.mean(axis=0))) ** 2
            freqs = np.fft.rfftfreq(channels.shape[1], 1.0 / rate)
            total = float(spectrum.sum()) or 1.0
            loop_db = None
            if loop is not None and 0 <= loop[0] < loop[1] <= channels.shape[1]:
                loop_db = _db10(float(np.mean(channels[:, loop[0] : loop[1]] ** 2)))
            level = SampleLevel(
                rms_db=_db10(power),
                peak_db=_db10(peak * peak),
                seconds=max(1e-3, channels.shape[1] / rate),
                loop_rms_db=loop_db,
                low=float(spectrum[freqs < LOW_HZ].sum()) / total,
                high=float(spectrum[freqs >= HIGH_HZ].sum()) / total,
                curve=_curve_of(channels, rate),
                spectrum=_spectrum_of(channels, rate),
                mid=_mid_of(channels),
            )
    if len(_MEASURED) > 4096:
        _MEASURED.clear()
    _MEASURED[key] = level
    return level


def _db10(power: float) -> float:
    return 10.0 * math.log10(power) if power > 1e-12 else -120.0


def db(power: float) -> float:
    return 10.0 * math.log10(power) if power > 1e-20 else -200.0
