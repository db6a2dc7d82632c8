"""Setting device parameters by what Live shows, never by guessing raw values.

A target says what the parameter should display: ``{"unit": "db", "value": -24}``,
``{"item": "Soft Sine"}``, ``{"switch": true}``, ``{"number": [3]}`` (a menu of numbers). The raw
value is found from Live itself: ``value_items`` on switches and menus, and on continuous
parameters a bisection on ``str_for_value`` (Live's own display of a raw value), which works on
any monotonic scale — dB faders, exponential frequencies, normalised 0…1 knobs alike.
"""

import math
import re

UNITS = ("db", "hz", "ms", "pct", "ratio", "number", "pan", "deg")
_NUMBER = re.compile(r"([-+]?(?:inf|\d+(?:[.,]\d+)?|[.,]\d+))\s*(khz|hz|ms|s|db|%|°|:\s*1)?",
                     re.IGNORECASE)
_PAN = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([LR])\s*$", re.IGNORECASE)
BISECT_STEPS = 48
NEG_INF = -1e9


class CannotSet(Exception):
    """Live has no such parameter, or shows something the target cannot be matched with."""


def parse_display(text):
    """(value, unit) of what Live shows: "-6.0 dB" → (-6.0, "db"), "1.20 kHz" → (1200, "hz"),
    "1.2 s" → (1200, "ms"), "50 %" → (50, "pct"), "4.00 : 1" → (4, "ratio"), "25L" → (-25,
    "pan"), "C" → (0, "pan"), "-inf dB" → (-1e9, "db"); (value, None) without a unit; None when
    there is no number."""
    text = (text or "").strip()
    if text.upper() == "C":
        return 0.0, "pan"
    pan = _PAN.match(text)
    if pan:
        value = float(pan.group(1))
        return (-value if pan.group(2).upper() == "L" else value), "pan"
    found = _NUMBER.search(text)
    if not found:
        return None
    raw = found.group(1).replace(",", ".").lower()
    if raw.endswith("inf"):
        value = NEG_INF if raw.startswith("-") else -NEG_INF
    else:
        value = float(raw)
    unit = (found.group(2) or "").lower().replace(" ", "")
    if unit == "khz":
        return value * 1000.0, "hz"
    if unit == "s":
        return value * 1000.0, "ms"
    if unit == ":1":
        return value, "ratio"
    if unit == "%":
        return value, "pct"
    if unit == "°":
        return value, "deg"
    return value, (unit or None)


def find_parameter(device, names):
    """The first of ``names`` this device has (case-insensitive), or None."""
    parameters = list(device.parameters)
    for name in names:
        for parameter in parameters:
            if parameter.name == name:
                return parameter
        for parameter in parameters:
            if parameter.name.lower() == name.lower():
                return parameter
    return None


def _items(parameter):
    try:
        return [str(item) for item in parameter.value_items]
    except Exception:
        return []


def _quantized(parameter, target):
    items = _items(parameter)
    if not items:
        raise CannotSet("%s has no menu" % parameter.name)
    low = parameter.min
    if "switch" in target:
        wanted = "on" if target["switch"] else "off"
        for index, item in enumerate(items):
            if item.strip().lower() == wanted:
                return float(low + index)
        if len(items) == 2:  # a switch named otherwise ("Stereo"/"Mono"): off first, on second
            return float(low + (1 if target["switch"] else 0))
        raise CannotSet("%s has no %s item" % (parameter.name, wanted))
    if "item" in target:
        wanted = str(target["item"]).strip().lower()
        for index, item in enumerate(items):
            if item.strip().lower() == wanted:
                return float(low + index)
        raise CannotSet("%s has no item %r (it offers %s)"
                        % (parameter.name, target["item"], ", ".join(items[:12])))
    if "number" in target:
        numbers = [float(n) for n in target["number"]]
        for index, item in enumerate(items):
            parsed = parse_display(item)
            if parsed is None:
                continue
            value, unit = parsed
            if unit not in (None, target.get("unit")) and not (
                    target.get("unit") is None and unit in ("ratio", "pct")):
                continue
            if any(abs(value - n) <= max(1e-6, 0.01 * abs(n)) for n in numbers):
                return float(low + index)
        raise CannotSet("%s has no item %s (it offers %s)"
                        % (parameter.name, target["number"][0], ", ".join(items[:12])))
    raise CannotSet("%s is a menu; a value cannot be set on it" % parameter.name)


def _shown(parameter, raw, unit):
    """What Live shows for ``raw``, in ``unit`` (CannotSet when it is something else)."""
    parsed = parse_display(parameter.str_for_value(raw))
    if parsed is None:
        raise CannotSet("%s shows %r, not a number" % (parameter.name,
                                                      parameter.str_for_value(raw)))
    value, shown_unit = parsed
    if shown_unit is not None and shown_unit != unit:
        raise CannotSet("%s shows %s, not %s" % (parameter.name, shown_unit, unit))
    return value


def raw_for(parameter, target):
    """The raw value that makes ``parameter`` show ``target``."""
    if parameter.is_quantized or any(k in target for k in ("switch", "item", "number")):
        if not parameter.is_quantized and "switch" in target:
            return float(parameter.max if target["switch"] else parameter.min)
        return _quantized(parameter, target)
    unit = target.get("unit")
    if unit not in UNITS:
        raise CannotSet("unknown unit %r" % (unit,))
    wanted = float(target["value"])
    low, high = float(parameter.min), float(parameter.max)
    at_low, at_high = _shown(parameter, low, unit), _shown(parameter, high, unit)
    rising = at_high >= at_low
    bottom, top = (at_low, at_high) if rising else (at_high, at_low)
    if wanted <= bottom:
        return low if rising else high
    if wanted >= top:
        return high if rising else low
    for _ in range(BISECT_STEPS):
        middle = (low + high) / 2.0
        shown = _shown(parameter, middle, unit)
        if (shown < wanted) == rising:
            low = middle
        else:
            high = middle
        if high - low <= 1e-7 * max(1.0, abs(high)):
            break
    # the nearer end of the last interval, by what Live shows
    below, above = _shown(parameter, low, unit), _shown(parameter, high, unit)
    return low if abs(below - wanted) <= abs(above - wanted) else high


def set_parameter(parameter, target):
    """Set it (only when it differs); returns the raw value."""
    raw = raw_for(parameter, target)
    raw = min(max(raw, parameter.min), parameter.max)
    if not math.isclose(parameter.value, raw, rel_tol=0.0, abs_tol=1e-9):
        parameter.value = raw
    return raw
