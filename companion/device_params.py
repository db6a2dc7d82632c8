"""The production vocabulary: which audio effects a set may hold and their parameters, in musical
units (dB, Hz, ms, ratios, 0..1 amounts).

The arrangement speaks these units and nothing else. The .als writer maps each name to the Live
device parameter it stands for (and Live's internal scale), the offline render to its own DSP, the
Remote Script loader to the Live API. One table keeps those three in agreement and lets the data
model refuse a parameter no consumer knows.

Each entry: name → (minimum, maximum, default, what it is).
"""

from __future__ import annotations

from typing import Literal

DeviceKind = Literal[
    "eq8",  # EQ Eight
    "compressor",  # Compressor (Compressor2), optionally keyed by another track (sidechain)
    "glue",  # Glue Compressor
    "saturator",  # Saturator
    "auto_filter",  # Auto Filter
    "utility",  # Utility (StereoGain)
    "limiter",  # Limiter
    "reverb",  # Reverb
    "delay",  # Delay
]

ParamSpec = tuple[float, float, float, str]

EQ_BANDS = 8
# EQ Eight band modes, as Live numbers them.
EQ_MODES = {
    "low_cut_48": 0,
    "low_cut_12": 1,
    "low_shelf": 2,
    "bell": 3,
    "notch": 4,
    "high_shelf": 5,
    "high_cut_12": 6,
    "high_cut_48": 7,
}


# A new EQ Eight's bands (on, mode, Hz), as Live sets them: four flat bells on, a low cut, a low
# shelf, a high shelf and a high cut off.
EQ_DEFAULT_BANDS = (
    (0.0, 1.0, 40.0),
    (0.0, 2.0, 200.0),
    (1.0, 3.0, 100.0),
    (1.0, 3.0, 500.0),
    (1.0, 3.0, 2000.0),
    (1.0, 3.0, 10000.0),
    (0.0, 5.0, 5000.0),
    (0.0, 6.0, 18000.0),
)


def _eq_params() -> dict[str, ParamSpec]:
    params: dict[str, ParamSpec] = {"gain_db": (-12.0, 12.0, 0.0, "output gain")}
    for band, (on, mode, freq) in enumerate(EQ_DEFAULT_BANDS, start=1):
        params[f"b{band}_on"] = (0.0, 1.0, on, f"band {band} on (1) or off (0)")
        params[f"b{band}_mode"] = (0.0, 7.0, mode, f"band {band} mode, see EQ_MODES")
        params[f"b{band}_freq"] = (10.0, 22000.0, freq, f"band {band} frequency, Hz")
        params[f"b{band}_gain_db"] = (-15.0, 15.0, 0.0, f"band {band} gain (shelves, bells)")
        params[f"b{band}_q"] = (0.1, 18.0, 0.707107, f"band {band} resonance")
    return params


# Saturator curve types and Auto Filter types, as Live numbers them.
SATURATOR_TYPES = {
    "analog_clip": 0,
    "soft_sine": 1,
    "medium_curve": 2,
    "hard_curve": 3,
    "sinoid_fold": 4,
    "digital_clip": 5,
}
FILTER_TYPES = {"lowpass": 0, "highpass": 1, "bandpass": 2, "notch": 3}
# Delay's synced times (DelayLine_SyncedSixteenth*): 16th-note counts Live offers.
DELAY_SIXTEENTHS = (1, 2, 3, 4, 5, 6, 8, 16)

DEVICE_PARAMS: dict[str, dict[str, ParamSpec]] = {
    "eq8": _eq_params(),
    "compressor": {
        "threshold_db": (-60.0, 0.0, 0.0, "level above which it compresses"),
        "ratio": (1.0, 100.0, 4.0, "compression ratio (100 = limiting)"),
        "attack_ms": (0.01, 1000.0, 2.0, "attack time"),
        "release_ms": (1.0, 3000.0, 50.0, "release time"),
        "makeup_db": (-36.0, 36.0, 0.0, "output gain"),
        "knee_db": (0.0, 18.0, 6.0, "knee width"),
        "dry_wet": (0.0, 1.0, 1.0, "parallel mix"),
    },
    "glue": {
        "threshold_db": (-40.0, 0.0, 0.0, "level above which it compresses"),
        "ratio": (2.0, 10.0, 2.0, "2, 4 or 10, the console's three ratios"),
        "attack_ms": (0.01, 30.0, 0.3, "one of 0.01, 0.1, 0.3, 1, 3, 10, 30"),
        "release_s": (0.0, 1.2, 0.2, "one of 0.1, 0.2, 0.4, 0.6, 0.8, 1.2; 0 = auto"),
        "makeup_db": (0.0, 20.0, 0.0, "output gain"),
        "dry_wet": (0.0, 1.0, 1.0, "parallel mix"),
    },
    "saturator": {
        "drive_db": (-36.0, 36.0, 0.0, "input drive"),
        "type": (0.0, 5.0, 0.0, "curve, see SATURATOR_TYPES"),
        "output_db": (-36.0, 0.0, 0.0, "output level"),
        "dry_wet": (0.0, 1.0, 1.0, "parallel mix"),
    },
    "auto_filter": {
        "filter_type": (0.0, 3.0, 0.0, "see FILTER_TYPES"),
        # Live's cutoff runs from MIDI note 20 to 135: 26 Hz to 19.9 kHz.
        "cutoff_hz": (26.0, 19900.0, 19900.0, "cutoff frequency"),
        "resonance": (0.0, 1.25, 0.0, "resonance"),
        "lfo_amount": (0.0, 1.0, 0.0, "LFO depth on the cutoff"),
        "lfo_rate_hz": (0.01, 10.0, 1.0, "LFO rate (Live's free-running range)"),
    },
    "utility": {
        "gain_db": (-35.0, 35.0, 0.0, "gain"),
        "width": (0.0, 4.0, 1.0, "stereo width: 0 mono, 1 as is, up to 400 %"),
        "mono_bass_hz": (0.0, 500.0, 0.0, "bass mono below this frequency (50 to 500); 0 = off"),
        "balance": (-1.0, 1.0, 0.0, "left/right balance"),
    },
    "limiter": {
        "ceiling_db": (-24.0, 0.0, -1.0, "peak ceiling"),
        "gain_db": (0.0, 24.0, 0.0, "input gain"),
        "release_ms": (1.0, 3000.0, 300.0, "release time"),
        "auto_release": (0.0, 1.0, 1.0, "auto release on (1)"),
    },
    "reverb": {
        "decay_s": (0.2, 60.0, 2.0, "decay time"),
        "predelay_ms": (0.5, 250.0, 2.5, "pre-delay"),
        "room_size": (0.22, 500.0, 100.0, "room size"),
        # Live's input filter is one band (centre and width, 0.5 to 9 octaves) with a low and a
        # high cut: high_cut_hz / low_cut_hz must lie between 2**0.5 and 2**9.
        "low_cut_hz": (50.0, 18000.0, 90.0, "input low cut"),
        "high_cut_hz": (50.0, 18000.0, 4500.0, "input high cut"),
        "stereo": (0.0, 120.0, 100.0, "stereo image, degrees"),
        "dry_wet": (0.0, 1.0, 1.0, "1 on a return track"),
    },
    "delay": {
        "sync": (0.0, 1.0, 1.0, "tempo-synced (1) or free time (0)"),
        "sixteenths_l": (1.0, 16.0, 3.0, "left time in 16ths (one of DELAY_SIXTEENTHS)"),
        "sixteenths_r": (1.0, 16.0, 4.0, "right time in 16ths (one of DELAY_SIXTEENTHS)"),
        "time_l_ms": (1.0, 5000.0, 100.0, "left time when not synced"),
        "time_r_ms": (1.0, 5000.0, 100.0, "right time when not synced"),
        "feedback": (0.0, 0.95, 0.5, "feedback"),
        "ping_pong": (0.0, 1.0, 0.0, "ping-pong (1)"),
        "filter_on": (0.0, 1.0, 1.0, "band-pass in the feedback path"),
        "filter_hz": (50.0, 18000.0, 1000.0, "band-pass centre"),
        "filter_width": (0.5, 9.0, 8.0, "band-pass width, octaves"),
        "dry_wet": (0.0, 1.0, 1.0, "1 on a return track"),
    },
}

# Parameters that take only some values (Live's switches and menus): name → allowed values.
GLUE_ATTACKS_MS = (0.01, 0.1, 0.3, 1.0, 3.0, 10.0, 30.0)
GLUE_RATIOS = (2.0, 4.0, 10.0)
GLUE_RELEASES_S = (0.1, 0.2, 0.4, 0.6, 0.8, 1.2, 0.0)  # in Live's knob order; 0.0 = auto
_SWITCH = (0.0, 1.0)


def _choices() -> dict[str, dict[str, tuple[float, ...]]]:
    eq: dict[str, tuple[float, ...]] = {}
    for band in range(1, EQ_BANDS + 1):
        eq[f"b{band}_on"] = _SWITCH
        eq[f"b{band}_mode"] = tuple(float(mode) for mode in EQ_MODES.values())
    return {
        "eq8": eq,
        "glue": {
            "attack_ms": GLUE_ATTACKS_MS,
            "ratio": GLUE_RATIOS,
            "release_s": GLUE_RELEASES_S,
        },
        "saturator": {"type": tuple(float(t) for t in SATURATOR_TYPES.values())},
        "auto_filter": {"filter_type": tuple(float(t) for t in FILTER_TYPES.values())},
        "limiter": {"auto_release": _SWITCH},
        "delay": {
            "sync": _SWITCH,
            "sixteenths_l": tuple(float(n) for n in DELAY_SIXTEENTHS),
            "sixteenths_r": tuple(float(n) for n in DELAY_SIXTEENTHS),
            "ping_pong": _SWITCH,
            "filter_on": _SWITCH,
        },
    }


PARAM_CHOICES: dict[str, dict[str, tuple[float, ...]]] = _choices()
REVERB_BAND_OCTAVES = (0.5, 9.0)  # Reverb's input band: narrowest and widest
MONO_BASS_MIN_HZ = 50.0


def check_params(kind: str, params: dict[str, float]) -> None:
    """ValueError when a set of parameters is one Live cannot hold: a value off a switch or menu,
    a reverb input band narrower or wider than Live's, a bass-mono frequency under 50 Hz."""
    for name, allowed in PARAM_CHOICES.get(kind, {}).items():
        if name in params and params[name] not in allowed:
            raise ValueError(f"{kind}.{name}={params[name]} must be one of {allowed}")
    if kind == "reverb" and ("low_cut_hz" in params or "high_cut_hz" in params):
        spec = DEVICE_PARAMS["reverb"]
        low = params.get("low_cut_hz", spec["low_cut_hz"][2])
        high = params.get("high_cut_hz", spec["high_cut_hz"][2])
        narrow, wide = REVERB_BAND_OCTAVES
        if not 2**narrow <= high / low <= 2**wide:
            raise ValueError(
                f"reverb high_cut_hz / low_cut_hz = {high / low:.3g}: Live's input band spans "
                f"{narrow} to {wide} octaves"
            )
    if kind == "utility" and 0 < params.get("mono_bass_hz", 0) < MONO_BASS_MIN_HZ:
        raise ValueError(f"utility.mono_bass_hz is 0 (off) or {MONO_BASS_MIN_HZ} to 500")


# Mixer targets an envelope can move besides device parameters, with their ranges.
MIXER_TARGETS: dict[str, ParamSpec] = {
    "volume": (-70.0, 6.0, 0.0, "fader, dB (-70 is Live's -inf)"),
    "pan": (-1.0, 1.0, 0.0, "pan, left -1 to right 1"),
}
SEND_RANGE: ParamSpec = (-70.0, 0.0, -70.0, "send level, dB (-70 is off)")


def param_spec(kind: str, name: str) -> ParamSpec:
    """The range of one device parameter; KeyError names what is allowed."""
    params = DEVICE_PARAMS[kind]
    if name not in params:
        raise KeyError(f"{kind} has no parameter {name!r}; known: {', '.join(sorted(params))}")
    return params[name]


def default_params(kind: str) -> dict[str, float]:
    return {name: spec[2] for name, spec in DEVICE_PARAMS[kind].items()}
