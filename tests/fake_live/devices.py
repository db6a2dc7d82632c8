"""The audio effects a production loads, parameter by parameter, as Live's API lists them.

Names, raw ranges and menu items follow parameter dumps taken from Live 12 by scripts that print
``DeviceParameter.name / min / max / value_items`` (public control-surface projects; EQ Eight,
Compressor, Reverb, Delay, Saturator, Utility, Limiter and Auto Filter). What Live *displays*
for a raw value (``str_for_value``) is modelled with monotonic curves of the right units and
formats ("-6.0 dB", "1.20 kHz", "120 ms", "1.20 s", "4.00 : 1", "55 %", "25L") — the exact
curves are Live's secret, which is why the Remote Script finds raw values by bisection on the
display instead of computing them: these curves differ on purpose (linear, exponential, power),
so a script that assumed a scale would fail here.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

Display = Callable[[float], str]


def fmt_db(db: float) -> str:
    if db <= -69.95:
        return "-inf dB"
    return f"{db + 0.0 if abs(db) >= 0.05 else 0.0:.1f} dB"


def _fmt_hz(hz: float) -> str:
    return f"{hz / 1000:.2f} kHz" if hz >= 1000 else f"{hz:.0f} Hz" if hz >= 100 else f"{hz:.1f} Hz"


def _fmt_ms(ms: float) -> str:
    if ms >= 1000:
        return f"{ms / 1000:.2f} s"
    return f"{ms:.1f} ms" if ms >= 1 else f"{ms:.2f} ms"


def linear(low: float, high: float, lo_value: float, hi_value: float, fmt) -> Display:
    return lambda raw: fmt(lo_value + (hi_value - lo_value) * (raw - low) / (high - low))


def exponential(low: float, high: float, lo_value: float, hi_value: float, fmt) -> Display:
    ratio = hi_value / lo_value
    return lambda raw: fmt(lo_value * ratio ** ((raw - low) / (high - low)))


def power(low: float, high: float, lo_value: float, hi_value: float, exponent: float, fmt):
    return lambda raw: fmt(
        lo_value + (hi_value - lo_value) * ((raw - low) / (high - low)) ** exponent
    )


def db(raw_low, raw_high, db_low, db_high) -> Display:
    return linear(raw_low, raw_high, db_low, db_high, fmt_db)


def pct(raw_low=0.0, raw_high=1.0, top=100.0) -> Display:
    return linear(raw_low, raw_high, 0.0, top, lambda v: f"{v:.0f} %")


def plain(low, high, lo_value, hi_value, digits=2, exp=False) -> Display:
    fmt = lambda v: f"{v:.{digits}f}"  # noqa: E731
    return (exponential if exp else linear)(low, high, lo_value, hi_value, fmt)


def hz(low, high, lo_hz, hi_hz) -> Display:
    return exponential(low, high, lo_hz, hi_hz, _fmt_hz)


def ms(low, high, lo_ms, hi_ms) -> Display:
    return exponential(low, high, lo_ms, hi_ms, _fmt_ms)


def pan_display(raw: float, scale: float = 50.0) -> str:
    amount = round(abs(raw) * scale)
    if amount == 0:
        return "C"
    return f"{amount}{'L' if raw < 0 else 'R'}"


def fader_db(raw: float) -> float:
    """A track fader (0…1, 0.85 is 0 dB, 1 is +6 dB): linear in dB above 0.4, a log taper
    towards -inf below (the shape of Live's fader, not its exact numbers)."""
    if raw >= 0.4:
        return (raw - 0.85) * 40.0
    if raw <= 1e-4:
        return -70.0
    return max(-70.0, -18.0 + 40.0 * math.log10(raw / 0.4))


def send_db(raw: float) -> float:
    """A send (0…1, 1 is 0 dB)."""
    return max(-70.0, fader_db(raw * 0.85))


@dataclass(frozen=True)
class Spec:
    name: str
    low: float = 0.0
    high: float = 1.0
    default: float = 0.0
    display: Display | None = None
    items: tuple[str, ...] = ()


def switch(name: str, default: int = 0) -> Spec:
    return Spec(name, 0.0, 1.0, float(default), items=("Off", "On"))


def menu(name: str, items: tuple[str, ...], default: int = 0) -> Spec:
    return Spec(name, 0.0, float(len(items) - 1), float(default), items=items)


EQ_TYPES = (
    "High Pass 48dB",
    "High Pass 12dB",
    "Low Shelf",
    "Bell",
    "Notch",
    "High Shelf",
    "Low Pass 12dB",
    "Low Pass 48dB",
)


def _eq() -> list[Spec]:
    specs = [
        switch("Device On", 1),
        switch("Adaptive Q", 1),
        Spec("Scale", -2.0, 2.0, 1.0, plain(-2, 2, -200, 200, 0)),
        Spec("Output Gain", -12.0, 12.0, 0.0, db(-12, 12, -12, 12)),
    ]
    defaults = (
        (0, 0, 0.2),
        (0, 2, 0.4),
        (1, 3, 0.3),
        (1, 3, 0.5),
        (1, 3, 0.7),
        (1, 3, 0.9),
        (0, 5, 0.8),
        (0, 6, 0.97),
    )
    for band, (on, mode, freq) in enumerate(defaults, start=1):
        specs += [
            switch(f"{band} Filter On A", on),
            menu(f"{band} Filter Type A", EQ_TYPES, mode),
            Spec(f"{band} Frequency A", 0.0, 1.0, freq, hz(0, 1, 10.0, 22000.0)),
            Spec(f"{band} Gain A", -15.0, 15.0, 0.0, db(-15, 15, -15, 15)),
            Spec(f"{band} Resonance A", 0.0, 1.0, 0.376666, plain(0, 1, 0.1, 18.0, 2, exp=True)),
        ]
    return specs


DEVICES: dict[str, tuple[str, list[Spec]]] = {
    "EQ Eight": ("Eq8", _eq()),
    "Compressor": (
        "Compressor2",
        [
            switch("Device On", 1),
            Spec("Threshold", 0.0, 1.0, 0.85, power(0, 1, -70.0, 6.0, 0.6, fmt_db)),
            Spec(
                "Ratio",
                0.0,
                1.0,
                0.75,
                lambda raw: "inf : 1" if raw >= 0.999 else f"{1 + 99 * raw**4:.2f} : 1",
            ),
            Spec("Expansion Ratio", 1.0, 2.0, 1.15, plain(1, 2, 1.0, 2.0)),
            Spec("Attack", 0.0, 1.0, 0.4, ms(0, 1, 0.01, 1000.0)),
            Spec("Release", 0.0, 1.0, 0.156993, ms(0, 1, 1.0, 3000.0)),
            switch("Auto Release On/Off"),
            Spec("Output Gain", -36.0, 36.0, 0.0, db(-36, 36, -36, 36)),
            switch("Makeup"),
            Spec("Dry/Wet", 0.0, 1.0, 1.0, pct()),
            menu("Model", ("Peak", "RMS", "Expand")),
            menu("Env Mode", ("Lin", "Log")),
            Spec("Knee", 0.0, 18.0, 6.0, db(0, 18, 0, 18)),
            menu("LookAhead", ("0 ms", "1 ms", "10 ms")),
            switch("S/C Listen"),
            switch("S/C On"),
            Spec("S/C Gain", 0.0, 1.0, 0.4, power(0, 1, -70.0, 24.0, 0.5, fmt_db)),
            Spec("S/C Mix", 0.0, 1.0, 1.0, pct()),
            switch("S/C EQ On"),
        ],
    ),
    "Glue Compressor": (
        "GlueCompressor",
        [
            switch("Device On", 1),
            Spec("Threshold", -40.0, 0.0, 0.0, db(-40, 0, -40, 0)),
            menu("Ratio", ("2", "4", "10")),
            menu("Attack", ("0.01 ms", "0.1 ms", "0.3 ms", "1 ms", "3 ms", "10 ms", "30 ms"), 2),
            menu("Release", ("0.1 s", "0.2 s", "0.4 s", "0.6 s", "0.8 s", "1.2 s", "Auto"), 1),
            Spec("Makeup", 0.0, 20.0, 0.0, db(0, 20, 0, 20)),
            Spec("Dry/Wet", 0.0, 1.0, 1.0, pct()),
            Spec("Range", 0.0, 1.0, 1.0, db(0, 1, -70, 0)),
            switch("Peak Clip In"),
            switch("S/C On"),
        ],
    ),
    "Saturator": (
        "Saturator",
        [
            switch("Device On", 1),
            Spec("Drive", 0.0, 1.0, 0.5, db(0, 1, -36, 36)),
            switch("Pre Dc Filter"),
            menu(
                "Type",
                (
                    "Analog Clip",
                    "Soft Sine",
                    "Bass Shaper",
                    "Medium Curve",
                    "Hard Curve",
                    "Sinoid Fold",
                    "Digital Clip",
                    "Waveshaper",
                ),
            ),
            switch("Color On"),
            Spec("Output", 0.0, 1.0, 1.0, power(0, 1, -36.0, 0.0, 0.5, fmt_db)),
            Spec("Dry/Wet", 0.0, 1.0, 1.0, pct()),
        ],
    ),
    "Auto Filter": (
        "AutoFilter",
        [
            switch("Device On", 1),
            menu("Filter Type", ("Lowpass", "Highpass", "Bandpass", "Notch", "Morph")),
            Spec(
                "Frequency",
                20.0,
                135.0,
                127.0,
                lambda raw: _fmt_hz(440.0 * 2 ** ((raw - 69.0) / 12.0)),
            ),
            Spec("Resonance", 0.0, 1.25, 0.0, pct(0, 1.25, 125)),
            Spec("LFO Amount", 0.0, 30.0, 0.0, pct(0, 30, 100)),
            Spec(
                "LFO Frequency",
                0.0,
                1.0,
                0.347131,
                exponential(0, 1, 0.01, 40.0, lambda v: f"{v:.2f} Hz"),
            ),
        ],
    ),
    "Utility": (
        "StereoGain",
        [
            switch("Device On", 1),
            switch("Left Inv"),
            switch("Right Inv"),
            menu("Channel Mode", ("Left", "Stereo", "Right", "Swap"), 1),
            Spec("Stereo Width", 0.0, 4.0, 1.0, pct(0, 4, 400)),
            switch("Mono"),
            switch("Bass Mono"),
            Spec("Bass Freq", 0.0, 1.0, 0.380211, hz(0, 1, 50.0, 500.0)),
            Spec("Balance", -1.0, 1.0, 0.0, pan_display),
            Spec(
                "Gain",
                -1.0,
                1.0,
                0.0,
                lambda raw: fmt_db(35.0 * math.copysign(abs(raw) ** 1.5, raw)),
            ),
            switch("Mute"),
            switch("DC Filter"),
        ],
    ),
    "Limiter": (
        "Limiter",
        [
            switch("Device On", 1),
            Spec("Input Gain", 0.0, 1.0, 0.5, db(0, 1, -12, 24)),
            Spec("Ceiling", 0.0, 1.0, 0.970144, power(0, 1, -24.0, 0.0, 0.4, fmt_db)),
            Spec("Release", 0.0, 1.0, 0.730311, ms(0, 1, 1.0, 3000.0)),
            switch("Auto", 1),
            menu("Lookahead", ("1.5 ms", "3 ms", "6 ms")),
            menu("Mode", ("Standard", "Soft Clip", "True Peak")),
        ],
    ),
    "Reverb": (
        "Reverb",
        [
            switch("Device On", 1),
            switch("In LowCut On", 1),
            switch("In HighCut On", 1),
            Spec("In Filter Freq", 0.0, 1.0, 0.477294, hz(0, 1, 50.0, 18000.0)),
            Spec("In Filter Width", 0.0, 1.0, 0.629412, plain(0, 1, 0.5, 9.0)),
            Spec("Predelay", 0.0, 1.0, 0.258977, ms(0, 1, 0.5, 250.0)),
            Spec("Room Size", 0.0, 1.0, 0.791515, plain(0, 1, 0.22, 500.0, exp=True)),
            Spec("Decay Time", 0.0, 1.0, 0.314135, ms(0, 1, 200.0, 60000.0)),
            Spec(
                "Stereo Image", 0.0, 1.0, 0.833333, linear(0, 1, 0.0, 120.0, lambda v: f"{v:.2f}°")
            ),
            Spec("Dry/Wet", 0.0, 1.0, 0.55, pct()),
            menu("Density", ("Sparse", "Low", "Mid", "High"), 2),
        ],
    ),
    "Delay": (
        "Delay",
        [
            switch("Device On", 1),
            menu("Delay Mode", ("Repitch", "Fade", "Jump")),
            switch("Link", 1),
            switch("Ping Pong"),
            switch("L Sync", 1),
            switch("R Sync", 1),
            Spec("L Time", 0.0, 1.0, 0.595385, ms(0, 1, 1.0, 5000.0)),
            Spec("R Time", 0.0, 1.0, 0.595385, ms(0, 1, 1.0, 5000.0)),
            menu("L 16th", ("1", "2", "3", "4", "5", "6", "8", "16"), 2),
            menu("R 16th", ("1", "2", "3", "4", "5", "6", "8", "16"), 3),
            Spec("Feedback", 0.0, 1.0, 0.551181, pct()),
            switch("Freeze"),
            switch("Filter On", 1),
            Spec("Filter Freq", 0.0, 1.0, 0.50895, hz(0, 1, 50.0, 18000.0)),
            Spec("Filter Width", 0.0, 1.0, 0.882353, plain(0, 1, 0.5, 9.0)),
            Spec("Dry/Wet", 0.0, 1.0, 0.771654, pct()),
        ],
    ),
}
