"""The production of an arrangement (faders, pans, sends, return tracks, effects and their
parameters, clip envelopes) as the Remote Script builds it through Live's API.

Live's API sets a parameter by its *raw* value, whose scale is the device's own business (a
Limiter's Ceiling is 0…1, a Compressor's Output Gain is in dB, EQ Eight's frequencies are 0…1).
So MusiaIA never guesses raw values: it names the parameter as Live lists it
(``DeviceParameter.name``) and says what Live should *display* — "-24 dB", "120 ms", "4 kHz",
"Soft Sine", "On" — and the script finds the raw value that shows it
(``DeviceParameter.str_for_value``, a bisection on continuous parameters, ``value_items`` on
switches and menus). A parameter Live does not have, or a display the script cannot read, is
reported, never guessed.

Parameter names are Live's (as its API lists them in Live 11 and 12); where Live renamed a
parameter, every known name is given, first found wins. Each entry: our parameter → (Live's
names, how the target is written), with the reason where the mapping is not one to one.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from companion.arrangement import Arrangement, Device, Envelope, Mix
from companion.device_params import EQ_BANDS, FILTER_TYPES, SATURATOR_TYPES, param_spec

Target = dict[str, Any]  # {"unit": u, "value": v} | {"item": name} | {"number": n} | {"switch": b}

# Device kind → (the name Live's browser and Track.insert_device know it by, its class_name).
LIVE_DEVICES: dict[str, tuple[str, str]] = {
    "eq8": ("EQ Eight", "Eq8"),
    "compressor": ("Compressor", "Compressor2"),
    "glue": ("Glue Compressor", "GlueCompressor"),
    "saturator": ("Saturator", "Saturator"),
    "auto_filter": ("Auto Filter", "AutoFilter"),
    "utility": ("Utility", "StereoGain"),
    "limiter": ("Limiter", "Limiter"),
    "reverb": ("Reverb", "Reverb"),
    "delay": ("Delay", "Delay"),
}

# Menus: our index → the item Live shows (EQ Eight's band modes in EQ_MODES order, Saturator's
# curves, Auto Filter's types). Matched by name, so a menu Live reorders still gets it right.
EQ_MODE_ITEMS = (
    "High Pass 48dB",  # low_cut_48: Live calls a low cut a high pass
    "High Pass 12dB",
    "Low Shelf",
    "Bell",
    "Notch",
    "High Shelf",
    "Low Pass 12dB",
    "Low Pass 48dB",
)
SATURATOR_ITEMS = {
    SATURATOR_TYPES["analog_clip"]: "Analog Clip",
    SATURATOR_TYPES["soft_sine"]: "Soft Sine",
    SATURATOR_TYPES["medium_curve"]: "Medium Curve",
    SATURATOR_TYPES["hard_curve"]: "Hard Curve",
    SATURATOR_TYPES["sinoid_fold"]: "Sinoid Fold",
    SATURATOR_TYPES["digital_clip"]: "Digital Clip",
}
FILTER_ITEMS = {
    FILTER_TYPES["lowpass"]: "Lowpass",
    FILTER_TYPES["highpass"]: "Highpass",
    FILTER_TYPES["bandpass"]: "Bandpass",
    FILTER_TYPES["notch"]: "Notch",
}


def _unit(unit: str, scale: float = 1.0) -> Callable[[float], Target]:
    return lambda value: {"unit": unit, "value": round(value * scale, 6)}


def _switch(value: float) -> Target:
    return {"switch": value >= 0.5}


def _number(value: float) -> Target:
    """A menu of numbers ("3" sixteenths, Glue's "4" ratio): the item whose number is this."""
    return {"number": [value]}


def _number_ms(value: float) -> Target:
    """A menu of times in ms, whether Live writes "0.3 ms", "0.3" or (for seconds) "1.2 s"."""
    return {"number": [value], "unit": "ms"}


def _items(table: dict[int, str] | tuple[str, ...]) -> Callable[[float], Target]:
    def pick(value: float) -> Target:
        return {"item": table[int(value)]}

    return pick


Mapping = dict[str, tuple[tuple[str, ...], Callable[[float], Target]]]


def _eq_mapping() -> Mapping:
    table: Mapping = {"gain_db": (("Output Gain",), _unit("db"))}
    for band in range(1, EQ_BANDS + 1):
        table[f"b{band}_on"] = ((f"{band} Filter On A",), _switch)
        table[f"b{band}_mode"] = ((f"{band} Filter Type A",), _items(EQ_MODE_ITEMS))
        table[f"b{band}_freq"] = ((f"{band} Frequency A",), _unit("hz"))
        table[f"b{band}_gain_db"] = ((f"{band} Gain A",), _unit("db"))
        table[f"b{band}_q"] = ((f"{band} Resonance A",), _unit("number"))
    return table


PARAMS: dict[str, Mapping] = {
    "eq8": _eq_mapping(),
    "compressor": {
        "threshold_db": (("Threshold",), _unit("db")),
        "ratio": (("Ratio",), _unit("ratio")),
        "attack_ms": (("Attack",), _unit("ms")),
        "release_ms": (("Release",), _unit("ms")),
        "makeup_db": (("Output Gain",), _unit("db")),  # Compressor's "Makeup" is a switch
        "knee_db": (("Knee",), _unit("db")),
        "dry_wet": (("Dry/Wet",), _unit("pct", 100)),
    },
    "glue": {
        "threshold_db": (("Threshold",), _unit("db")),
        "ratio": (("Ratio",), _number),  # a menu: 2, 4, 10
        "attack_ms": (("Attack",), _number_ms),  # a menu of times
        "release_s": (
            ("Release",),  # a menu of times in seconds, the last one "Auto"
            lambda v: {"number": [v * 1000, v], "unit": "ms"} if v else {"item": "Auto"},
        ),
        "makeup_db": (("Makeup",), _unit("db")),
        "dry_wet": (("Dry/Wet",), _unit("pct", 100)),
    },
    "saturator": {
        "drive_db": (("Drive",), _unit("db")),
        "type": (("Type",), _items(SATURATOR_ITEMS)),
        "output_db": (("Output",), _unit("db")),
        "dry_wet": (("Dry/Wet",), _unit("pct", 100)),
    },
    "auto_filter": {
        "filter_type": (("Filter Type",), _items(FILTER_ITEMS)),
        "cutoff_hz": (("Frequency",), _unit("hz")),
        "resonance": (("Resonance",), _unit("pct", 100)),
        "lfo_amount": (("LFO Amount",), _unit("pct", 100)),
        "lfo_rate_hz": (("LFO Frequency",), _unit("hz")),
    },
    "utility": {
        "gain_db": (("Gain",), _unit("db")),
        "width": (("Stereo Width",), _unit("pct", 100)),
        "balance": (("Balance",), _unit("pan", 50)),  # Live shows 50L…C…50R
        # mono_bass_hz is two parameters (a switch and a frequency): see extra_params
    },
    "limiter": {
        "ceiling_db": (("Ceiling",), _unit("db")),
        "gain_db": (("Input Gain", "Gain"), _unit("db")),  # "Gain" before Live 12.2's Limiter
        "release_ms": (("Release",), _unit("ms")),
        "auto_release": (("Auto", "Auto Release"), _switch),
    },
    "reverb": {
        "decay_s": (("Decay Time",), _unit("ms", 1000)),
        "predelay_ms": (("Predelay",), _unit("ms")),
        "room_size": (("Room Size",), _unit("number")),
        "stereo": (("Stereo Image",), _unit("deg")),
        "dry_wet": (("Dry/Wet",), _unit("pct", 100)),
        # low_cut_hz / high_cut_hz are Live's input band (centre and width): see extra_params
    },
    "delay": {
        "sync": (("L Sync",), _switch),  # the right channel follows: see extra_params
        "sixteenths_l": (("L 16th",), _number),
        "sixteenths_r": (("R 16th",), _number),
        "time_l_ms": (("L Time",), _unit("ms")),
        "time_r_ms": (("R Time",), _unit("ms")),
        "feedback": (("Feedback",), _unit("pct", 100)),
        "ping_pong": (("Ping Pong",), _switch),
        "filter_on": (("Filter On",), _switch),
        "filter_hz": (("Filter Freq",), _unit("hz")),
        "filter_width": (("Filter Width",), _unit("number")),
        "dry_wet": (("Dry/Wet",), _unit("pct", 100)),
    },
}


def extra_params(device: Device) -> list[tuple[tuple[str, ...], Target]]:
    """Parameters that stand for more than one of Live's (or for none of ours one to one)."""
    extra: list[tuple[tuple[str, ...], Target]] = []
    if device.kind == "utility" and "mono_bass_hz" in device.params:
        frequency = device.params["mono_bass_hz"]
        extra.append((("Bass Mono",), _switch(1.0 if frequency > 0 else 0.0)))
        if frequency > 0:
            extra.append((("Bass Freq",), {"unit": "hz", "value": frequency}))
    if device.kind == "reverb" and (
        "low_cut_hz" in device.params or "high_cut_hz" in device.params
    ):
        low, high = device.param("low_cut_hz"), device.param("high_cut_hz")
        extra.append((("In LowCut On",), {"switch": True}))
        extra.append((("In HighCut On",), {"switch": True}))
        extra.append(
            (("In Filter Freq",), {"unit": "hz", "value": round(math.sqrt(low * high), 3)})
        )
        extra.append(
            (("In Filter Width",), {"unit": "number", "value": round(math.log2(high / low), 4)})
        )
    if device.kind == "delay":
        left = (device.param("sixteenths_l"), device.param("time_l_ms"))
        right = (device.param("sixteenths_r"), device.param("time_r_ms"))
        extra.append((("Link",), {"switch": left == right}))  # linked, R would follow L
        if "sync" in device.params:
            extra.append((("R Sync",), _switch(device.params["sync"])))
    return extra


def device_payload(device: Device) -> dict[str, Any]:
    """One effect as the script loads and sets it."""
    live_name, class_name = LIVE_DEVICES[device.kind]
    mapping = PARAMS[device.kind]
    params: list[list[Any]] = []
    for name, value in sorted(device.params.items()):
        if name in mapping:
            names, target = mapping[name]
            params.append([list(names), target(value), name])
    for names, target in extra_params(device):
        params.append([list(names), target, "+".join(names)])
    return {
        "device": live_name,
        "class_name": class_name,
        "name": device.name,
        "on": device.on,
        "params": params,
        "sidechain": device.sidechain,
    }


def _mix(mix: Mix | None, volume_db: float | None = None) -> dict[str, Any]:
    if mix is None:
        return {"volume_db": volume_db if volume_db is not None else 0.0, "pan": 0.0, "sends": []}
    return {"volume_db": mix.volume_db, "pan": mix.pan, "sends": list(mix.sends)}


def envelope_target(target: str, devices: list[Device]) -> dict[str, Any] | None:
    """Where a clip envelope points in Live, and the unit its values are displayed in."""
    if target == "volume":
        return {"kind": "volume", "unit": "db"}
    if target == "pan":
        return {"kind": "pan", "unit": "pan", "scale": 50}
    kind, _, rest = target.partition(":")
    if kind == "send":
        return {"kind": "send", "index": int(rest), "unit": "db"}
    if kind == "device":
        index, _, name = rest.partition(":")
        device = devices[int(index)]
        mapping = PARAMS[device.kind].get(name)
        if mapping is None:
            return None
        names, convert = mapping
        sample = convert(param_spec(device.kind, name)[2])
        return {
            "kind": "device",
            "device": int(index),
            "names": list(names),
            "sample": sample,
            "param": name,
            "device_kind": device.kind,
        }
    return None


def _envelope_points(envelope: Envelope, target: dict[str, Any], device: Device | None):
    """Breakpoints as (time, display target) in what Live will show."""
    points = []
    for time, value in envelope.points:
        if target["kind"] == "pan":
            shown = {"unit": "pan", "value": round(value * 50, 4)}
        elif target["kind"] in ("volume", "send"):
            shown = {"unit": "db", "value": value}
        else:
            _names, convert = PARAMS[device.kind][target["param"]]  # type: ignore[union-attr]
            shown = convert(value)
        points.append([time, shown])
    return points


def production_payload(arrangement: Arrangement) -> dict[str, Any]:
    """Everything the script builds besides notes: per track (in arrangement order) its mix and
    effects, the return tracks, Main, and the Session clips' envelopes."""
    tracks = []
    envelopes = []
    for ti, track in enumerate(arrangement.tracks):
        tracks.append({**_mix(track.mix), "devices": [device_payload(d) for d in track.devices]})
        for ci, clip in enumerate(track.clips):
            for envelope in clip.envelopes:
                target = envelope_target(envelope.target, track.devices)
                if target is None:
                    continue
                device = track.devices[target["device"]] if target["kind"] == "device" else None
                envelopes.append(
                    {
                        "track": ti,
                        "clip": ci,
                        "target": target,
                        "length": clip.length,
                        "points": _envelope_points(envelope, target, device),
                        "name": envelope.target,
                    }
                )
    returns = [
        {
            "name": r.name,
            "color": r.color,
            **_mix(r.mix),
            "devices": [device_payload(d) for d in r.devices],
        }
        for r in arrangement.returns
    ]
    main = {
        "volume_db": arrangement.main.volume_db,
        "devices": [device_payload(d) for d in arrangement.main.devices],
    }
    return {"tracks": tracks, "returns": returns, "main": main, "clip_envelopes": envelopes}


def has_production(arrangement: Arrangement) -> bool:
    """Whether the arrangement holds anything besides notes and instruments."""
    default = Mix()
    return bool(
        arrangement.returns
        or arrangement.main.devices
        or arrangement.main.volume_db
        or any(t.devices or t.mix != default or t.automation for t in arrangement.tracks)
        or any(c.envelopes for t in arrangement.tracks for c in t.clips)
    )
