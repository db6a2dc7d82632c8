"""Musical units ↔ the values Live stores for each effect parameter.

The arrangement speaks dB, Hz, ms and 0..1 amounts (companion.device_params); Live stores each
parameter in its own internal scale. The scales here were read from the real sets in
../shared/fixtures/als (Live 11.0 to 12.3): a Compressor's Threshold and Utility's Gain are linear
amplitude (0.0003162… is -70 dB), Auto Filter's cutoff is a MIDI note number (20 to 135, 26 Hz to
19.9 kHz), Reverb's decay is in ms, Delay's synced times are indexes into 1, 2, 3, 4, 5, 6, 8, 16
sixteenths ("3/16 Delay" presets store 2, "5/16" 4, "Eighth Note" 1), Glue's attack, ratio and
release are knob positions. The writer and the reader both use this one table.

Each device kind maps its parameter names to a :class:`LiveParam` (one Live parameter, which an
envelope can move) or to nothing (several Live parameters at once: Reverb's low and high cut are
one band with a centre and a width, Utility's bass mono is a switch and a frequency, Delay's sync
switches both channels); those are set through :func:`extra_values` and read back by
:func:`read_extras`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from companion.device_params import (
    DELAY_SIXTEENTHS,
    DEVICE_PARAMS,
    EQ_BANDS,
    GLUE_ATTACKS_MS,
    GLUE_RATIOS,
    GLUE_RELEASES_S,
    MONO_BASS_MIN_HZ,
    REVERB_BAND_OCTAVES,
)

AMP_FLOOR = 0.0003162277571  # Live's -70 dB ("-inf"), the bottom of every fader and send
AMP_FLOOR_DB = -70.0
CUTOFF_NOTES = (20.0, 135.0)  # Auto Filter's Cutoff, as MIDI note numbers
LFO_AMOUNT_MAX = 30.0  # Auto Filter's LfoAmount knob runs 0 to 30
EQ_FREQ_RANGE = (10.0, 22000.0)
EQ_Q_RANGE = (0.1000000015, 18.0)

ParamKind = Literal["float", "bool", "enum"]


def db_to_amp(db: float) -> float:
    """dB → Live's linear amplitude; -70 dB and below is Live's exact floor."""
    return AMP_FLOOR if db <= AMP_FLOOR_DB else 10 ** (db / 20)


def amp_to_db(amp: float) -> float:
    return AMP_FLOOR_DB if amp <= AMP_FLOOR * 1.000001 else 20 * math.log10(amp)


def hz_to_note(hz: float) -> float:
    return min(CUTOFF_NOTES[1], max(CUTOFF_NOTES[0], 69 + 12 * math.log2(hz / 440)))


def note_to_hz(note: float) -> float:
    return 440 * 2 ** ((note - 69) / 12)


def nearest_index(options: tuple[float, ...], value: float) -> int:
    """The option closest to ``value`` (on a log scale for positive options; auto 0 exact)."""

    def distance(option: float) -> float:
        if option <= 0 or value <= 0:
            return 0.0 if option == value else math.inf
        return abs(math.log(option / value))

    return min(range(len(options)), key=lambda i: distance(options[i]))


def _clamp(low: float, high: float) -> Callable[[float], float]:
    return lambda value: min(high, max(low, value))


def _same(value: float) -> float:
    return value


@dataclass(frozen=True)
class LiveParam:
    """One Live parameter: where it is in the device (``Threshold``, ``Lfo/Frequency``), how Live
    stores it, and the conversions from and to musical units."""

    path: str
    kind: ParamKind
    to_live: Callable[[float], float | int | bool] = _same
    from_live: Callable[[float], float] = _same


def _switch(path: str) -> LiveParam:
    return LiveParam(path, "bool", lambda v: v >= 0.5, lambda v: 1.0 if v else 0.0)


def _menu(path: str, options: tuple[float, ...] | None = None) -> LiveParam:
    """An enum: the musical value is the option itself (or its index when ``options`` is None)."""
    if options is None:
        return LiveParam(path, "enum", round, float)
    return LiveParam(
        path,
        "enum",
        lambda v: nearest_index(options, v),
        lambda v: options[min(len(options) - 1, max(0, int(v)))],
    )


def _steps(path: str, options: tuple[float, ...]) -> LiveParam:
    """A float knob with detents (Glue's attack, ratio, release): its value is the position."""
    return LiveParam(
        path,
        "float",
        lambda v: float(nearest_index(options, v)),
        lambda v: options[min(len(options) - 1, max(0, round(v)))],
    )


def _amp(path: str) -> LiveParam:
    return LiveParam(path, "float", db_to_amp, amp_to_db)


def _eq_params() -> dict[str, LiveParam | None]:
    table: dict[str, LiveParam | None] = {"gain_db": LiveParam("GlobalGain", "float")}
    for band in range(1, EQ_BANDS + 1):
        base = f"Bands.{band - 1}/ParameterA"
        table[f"b{band}_on"] = _switch(f"{base}/IsOn")
        table[f"b{band}_mode"] = _menu(f"{base}/Mode")
        table[f"b{band}_freq"] = LiveParam(f"{base}/Freq", "float", _clamp(*EQ_FREQ_RANGE))
        table[f"b{band}_gain_db"] = LiveParam(f"{base}/Gain", "float")
        table[f"b{band}_q"] = LiveParam(f"{base}/Q", "float", _clamp(*EQ_Q_RANGE))
    return table


PARAMS: dict[str, dict[str, LiveParam | None]] = {
    "eq8": _eq_params(),
    "compressor": {
        "threshold_db": _amp("Threshold"),
        "ratio": LiveParam("Ratio", "float"),
        "attack_ms": LiveParam("Attack", "float"),
        "release_ms": LiveParam("Release", "float"),
        "makeup_db": LiveParam("Gain", "float"),
        "knee_db": LiveParam("Knee", "float"),
        "dry_wet": LiveParam("DryWet", "float"),
    },
    "glue": {
        "threshold_db": LiveParam("Threshold", "float"),
        "ratio": _steps("Ratio", GLUE_RATIOS),
        "attack_ms": _steps("Attack", GLUE_ATTACKS_MS),
        "release_s": _steps("Release", GLUE_RELEASES_S),
        "makeup_db": LiveParam("Makeup", "float"),
        "dry_wet": LiveParam("DryWet", "float"),
    },
    "saturator": {
        "drive_db": LiveParam("PreDrive", "float"),
        "type": _menu("Type"),
        "output_db": LiveParam("PostDrive", "float"),
        "dry_wet": LiveParam("DryWet", "float"),
    },
    "auto_filter": {
        "filter_type": _menu("FilterType"),
        "cutoff_hz": LiveParam("Cutoff", "float", hz_to_note, note_to_hz),
        "resonance": LiveParam("Resonance", "float"),
        "lfo_amount": LiveParam(
            "LfoAmount", "float", lambda v: v * LFO_AMOUNT_MAX, lambda v: v / LFO_AMOUNT_MAX
        ),
        "lfo_rate_hz": LiveParam("Lfo/Frequency", "float"),
    },
    "utility": {
        "gain_db": _amp("Gain"),
        "width": LiveParam("StereoWidth", "float"),
        "mono_bass_hz": None,
        "balance": LiveParam("Balance", "float"),
    },
    "limiter": {
        "ceiling_db": LiveParam("Ceiling", "float"),
        "gain_db": LiveParam("Gain", "float"),
        "release_ms": LiveParam("Release", "float"),
        "auto_release": _switch("AutoRelease"),
    },
    "reverb": {
        "decay_s": LiveParam("DecayTime", "float", lambda v: v * 1000, lambda v: v / 1000),
        "predelay_ms": LiveParam("PreDelay", "float"),
        "room_size": LiveParam("RoomSize", "float"),
        "low_cut_hz": None,
        "high_cut_hz": None,
        "stereo": LiveParam("StereoSeparation", "float"),
        "dry_wet": LiveParam("MixDirect", "float"),
    },
    "delay": {
        "sync": None,
        "sixteenths_l": _menu("DelayLine_SyncedSixteenthL", tuple(map(float, DELAY_SIXTEENTHS))),
        "sixteenths_r": _menu("DelayLine_SyncedSixteenthR", tuple(map(float, DELAY_SIXTEENTHS))),
        "time_l_ms": LiveParam("DelayLine_TimeL", "float", lambda v: v / 1000, lambda v: v * 1000),
        "time_r_ms": LiveParam("DelayLine_TimeR", "float", lambda v: v / 1000, lambda v: v * 1000),
        "feedback": LiveParam("Feedback", "float"),
        "ping_pong": _switch("DelayLine_PingPong"),
        "filter_on": _switch("Filter_On"),
        "filter_hz": LiveParam("Filter_Frequency", "float"),
        "filter_width": LiveParam("Filter_Bandwidth", "float"),
        "dry_wet": LiveParam("DryWet", "float"),
    },
}

# Live parameters set from several musical ones (or from where the device sits), per kind.
EXTRA_PATHS: dict[str, tuple[str, ...]] = {
    "compressor": (
        "SideChain/OnOff",
        "SideChain/RoutedInput/Routable/Target",
        "SideChain/RoutedInput/Routable/UpperDisplayString",
        "SideChain/RoutedInput/Routable/LowerDisplayString",
    ),
    "utility": ("BassMono", "BassMonoFrequency"),
    "reverb": ("BandLowOn", "BandHighOn", "BandFreq", "BandWidth"),
    "delay": (
        "DelayLine_Link",
        "DelayLine_SyncL",
        "DelayLine_SyncR",
        "DelayLine_SimpleDelayTimeL",
        "DelayLine_SimpleDelayTimeR",
        "DryWetMode",
    ),
}
NO_SIDECHAIN = ("AudioIn/None", "No Output", "")


@dataclass(frozen=True)
class Placement:
    """Where a device sits, for what its settings depend on: whether it is on a return track (a
    Delay there runs fully wet) and, for a sidechained compressor, the keying track's id and the
    name Live shows for it."""

    on_return: bool = False
    sidechain: tuple[int, str] | None = None


def extra_values(kind: str, params: dict[str, float], where: Placement) -> dict[str, object]:
    """Values of the Live parameters in ``EXTRA_PATHS[kind]`` (elements' ``Value`` or
    ``Manual``), from a device's parameters with defaults filled in."""
    if kind == "compressor":
        if where.sidechain is None:
            return dict(zip(EXTRA_PATHS[kind], (False, *NO_SIDECHAIN), strict=True))
        track_id, name = where.sidechain
        target = f"AudioIn/Track.{track_id}/PostFxOut"
        return dict(zip(EXTRA_PATHS[kind], (True, target, name, "Post FX"), strict=True))
    if kind == "utility":
        mono = params["mono_bass_hz"]
        frequency = max(MONO_BASS_MIN_HZ, mono) if mono else 120.0  # off: Live's default
        return {"BassMono": mono > 0, "BassMonoFrequency": frequency}
    if kind == "reverb":
        low, high = params["low_cut_hz"], params["high_cut_hz"]
        narrow, wide = REVERB_BAND_OCTAVES
        width = min(wide, max(narrow, math.log2(high / low)))
        return {
            "BandLowOn": True,
            "BandHighOn": True,
            "BandFreq": math.sqrt(low * high),
            "BandWidth": width,
        }
    if kind == "delay":
        linked = (
            params["sixteenths_l"] == params["sixteenths_r"]
            and params["time_l_ms"] == params["time_r_ms"]
        )
        synced = params["sync"] >= 0.5
        return {
            "DelayLine_Link": linked,
            "DelayLine_SyncL": synced,
            "DelayLine_SyncR": synced,
            "DelayLine_SimpleDelayTimeL": min(300.0, max(1.0, params["time_l_ms"])),
            "DelayLine_SimpleDelayTimeR": min(300.0, max(1.0, params["time_r_ms"])),
            "DryWetMode": 1 if where.on_return else 0,
        }
    return {}


def read_extras(kind: str, value: Callable[[str], str | None]) -> dict[str, float]:
    """Musical parameters recovered from the extra Live parameters (``value(path)`` gives an
    element's stored value, or None when absent)."""

    def number(path: str, default: float) -> float:
        raw = value(path)
        try:
            return float(raw) if raw is not None else default
        except ValueError:
            return default

    if kind == "utility":
        on = value("BassMono") == "true"
        return {"mono_bass_hz": number("BassMonoFrequency", 120.0) if on else 0.0}
    if kind == "reverb":
        spec = DEVICE_PARAMS["reverb"]
        centre, width = number("BandFreq", 830.0), number("BandWidth", 5.85)
        half = 2 ** (width / 2)
        low = centre / half if value("BandLowOn") != "false" else spec["low_cut_hz"][0]
        high = centre * half if value("BandHighOn") != "false" else spec["high_cut_hz"][1]
        return {"low_cut_hz": low, "high_cut_hz": high}
    if kind == "delay":
        return {"sync": 1.0 if value("DelayLine_SyncL") != "false" else 0.0}
    return {}


def event_kind(param: LiveParam) -> str:
    """The automation event Live writes for a parameter of this kind."""
    return {"float": "FloatEvent", "bool": "BoolEvent", "enum": "EnumEvent"}[param.kind]
