"""Audio effects in the set: EQ Eight, Compressor, Glue Compressor, Saturator, Auto Filter,
Utility, Limiter, Reverb and Delay, element for element as Live 11.0 and 12.1 write them.

The builders below write a new device at Live's own defaults; the reference is the real sets in
../shared/fixtures/als (MenkeTechnologies' EDM template saved by 11.0.12 for the 11 schema,
Zorroinvader's jam saved by 12.1.1 for the 12 schema; EQ Eight, absent from every 12.1 set, follows
the 11 layout with 12.1's device header). Each device is placed as a :class:`Fragment` with holes
for its list id, on/off, name and every parameter the arrangement sets
(companion.als.effect_values), so a set with dozens of effects costs a few joins of bytes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from lxml import etree

from companion.als import blocks
from companion.als.effect_values import (
    EXTRA_PATHS,
    PARAMS,
    Placement,
    extra_values,
)
from companion.als.profiles import LiveProfile
from companion.als.xmlkit import (
    Element,
    Fragment,
    PointeeIds,
    fmt,
    is_pointee,
    place,
    sub,
    values,
)
from companion.arrangement import Device

# Device kind → Live's element tag.
TAGS: dict[str, str] = {
    "eq8": "Eq8",
    "compressor": "Compressor2",
    "glue": "GlueCompressor",
    "saturator": "Saturator",
    "auto_filter": "AutoFilter",
    "utility": "StereoGain",
    "limiter": "Limiter",
    "reverb": "Reverb",
    "delay": "Delay",
}
KINDS: dict[str, str] = {tag: kind for kind, tag in TAGS.items()}

SIDECHAIN_VOLUME_MAX = 15.8489332  # +24 dB
FLOAT_MAX = 340282326356119256160033759537265639424  # Compressor ratio's top: float32's largest
EQ_BAND_DEFAULTS = (  # (on, mode, Hz) of a new EQ Eight's eight bands
    (False, 1, 40),
    (False, 2, 200),
    (True, 3, 100),
    (True, 3, 500),
    (True, 3, 2000),
    (True, 3, 10000),
    (False, 5, 5000),
    (False, 6, 18000),
)
Q_DEFAULT = 0.7071067095
NOWHERE = Placement()  # on a track, no sidechain


def _f(parent: Element, tag: str, manual: float, low: float, high: float, ids: PointeeIds) -> None:
    blocks.float_param(parent, tag, manual, low, high, ids)


def _b(parent: Element, tag: str, manual: bool, ids: PointeeIds) -> None:
    blocks.bool_param(parent, tag, manual, ids)


def _e(parent: Element, tag: str, manual: int, ids: PointeeIds) -> None:
    blocks.enum_param(parent, tag, manual, ids)


def _stereo(write: Callable[..., None], parent: Element, stem: str, *args: object) -> None:
    """A parameter Live keeps per side: ``{stem}L`` then ``{stem}R``, alike."""
    for side in "LR":
        write(parent, f"{stem}{side}", *args)


def _head(parent: Element, tag: str, device_id: int, ids: PointeeIds, profile: LiveProfile):
    device = sub(parent, tag, Id=device_id)
    blocks.device_header(device, ids, profile)
    values(device, ("OverwriteProtectionNumber", profile.overwrite_protection))
    return device


def _sidechain(device: Element, ids: PointeeIds, profile: LiveProfile) -> None:
    """The sidechain input of Compressor, Glue Compressor and Auto Filter (off: no source)."""
    chain = sub(device, "SideChain")
    _b(chain, "OnOff", False, ids)
    routed = sub(chain, "RoutedInput")
    blocks.routing(routed, "Routable", "AudioIn/None", "No Output", "", profile)
    _f(routed, "Volume", 1, blocks.VOLUME_MIN, SIDECHAIN_VOLUME_MAX, ids)
    _f(chain, "DryWet", 1, 0, 1, ids)


def _sidechain_eq(parent: Element, ids: PointeeIds, prefix: str = "") -> None:
    _b(parent, f"{prefix}On", False, ids)
    _e(parent, f"{prefix}Mode", 5, ids)
    _f(parent, f"{prefix}Freq", 200, 30, 15000, ids)
    _f(parent, f"{prefix}Q", 0.7071067691, 0.1000000015, 12, ids)
    _f(parent, f"{prefix}Gain", 0, -15, 15, ids)


def build_eq8(parent: Element, device_id: int, ids: PointeeIds, profile: LiveProfile) -> Element:
    device = _head(parent, "Eq8", device_id, ids, profile)
    values(device, ("Precision", 0), ("Mode", 0), ("EditMode", False), ("SelectedBand", 0))
    _f(device, "GlobalGain", 0, -12, 12, ids)
    _f(device, "Scale", 1, -2, 2, ids)
    for band, (on, mode, freq) in enumerate(EQ_BAND_DEFAULTS):
        bands = sub(device, f"Bands.{band}")
        for side in ("ParameterA", "ParameterB"):
            params = sub(bands, side)
            _b(params, "IsOn", on, ids)
            _e(params, "Mode", mode, ids)
            _f(params, "Freq", freq, 10, 22000, ids)
            _f(params, "Gain", 0, -15, 15, ids)
            _f(params, "Q", Q_DEFAULT, 0.1000000015, 18, ids)
    analyzer = sub(device, "SpectrumAnalyzer")
    blocks.device_header(analyzer, ids, profile)
    values(
        analyzer,
        ("OverwriteProtectionNumber", profile.overwrite_protection),
        ("ScaleYBegin", 0),
        ("ScaleYRange", 80),
        ("AutoScaleY", False),
        ("ScaleXMode", 1),
        ("ShowBins", False),
        ("ShowMax", True),
        ("AnalyzeOn", True),
        ("Length", 2),
        ("Window", 3),
        ("ChannelMode", 2),
        ("NumAverages", 1),
        ("MinRefreshTime", 60),
    )
    values(device, ("Live8ShelfScaleLegacyMode", False), ("AuditionOnOff", False))
    values(device, ("AdaptiveQFactor", 1.12))
    _b(device, "AdaptiveQ", True, ids)
    return device


def build_compressor(
    parent: Element, device_id: int, ids: PointeeIds, profile: LiveProfile
) -> Element:
    device = _head(parent, "Compressor2", device_id, ids, profile)
    _f(device, "Threshold", 1, blocks.VOLUME_MIN, blocks.VOLUME_MAX, ids)
    _f(device, "Ratio", 4, 1, FLOAT_MAX, ids)
    _f(device, "ExpansionRatio", 1.14999998, 1, 2, ids)
    _f(device, "Attack", 2, 0.009999999776, 1000, ids)
    _f(device, "Release", 50, 1, 3000, ids)
    _b(device, "AutoReleaseControlOnOff", False, ids)
    _f(device, "Gain", 0, -36, 36, ids)
    _b(device, "GainCompensation", False, ids)
    _f(device, "DryWet", 1, 0, 1, ids)
    _e(device, "Model", 0, ids)
    _e(device, "LegacyModel", 1, ids)
    _b(device, "LogEnvelope", True, ids)
    _e(device, "LegacyEnvFollowerMode", 0, ids)
    _f(device, "Knee", 6, 0, 18, ids)
    _e(device, "LookAhead", 0, ids)
    _b(device, "SideListen", False, ids)
    _sidechain(device, ids, profile)
    if profile.live_major >= 12:  # Live 12 flattened the sidechain EQ into the device
        _sidechain_eq(device, ids, prefix="SideChainEq_")
    else:
        _sidechain_eq(sub(device, "SideChainEq"), ids)
    values(
        device,
        ("Live8LegacyMode", False),
        ("ViewMode", 0),
        ("IsOutputCurveVisible", False),
        ("RmsTimeShort", 8),
        ("RmsTimeLong", 250),
        ("ReleaseTimeShort", 15),
        ("ReleaseTimeLong", 1500),
        ("CrossfaderSmoothingTime", 10),
    )
    return device


def build_glue(parent: Element, device_id: int, ids: PointeeIds, profile: LiveProfile) -> Element:
    device = _head(parent, "GlueCompressor", device_id, ids, profile)
    _f(device, "Threshold", 0, -40, 0, ids)
    _f(device, "Range", 70, 0, 70, ids)
    _f(device, "Makeup", 0, 0, 20, ids)
    _f(device, "Attack", 2, 0, 6, ids)
    _f(device, "Ratio", 0, 0, 2, ids)
    _f(device, "Release", 1, 0, 6, ids)
    _f(device, "DryWet", 1, 0, 1, ids)
    _b(device, "PeakClipIn", False, ids)
    _sidechain(device, ids, profile)
    _sidechain_eq(sub(device, "SideChainEq"), ids)
    values(device, ("SideChainListen", False), ("ParamBlockSize", 128), ("Oversample", False))
    return device


def build_saturator(
    parent: Element, device_id: int, ids: PointeeIds, profile: LiveProfile
) -> Element:
    device = _head(parent, "Saturator", device_id, ids, profile)
    if profile.live_major >= 12:  # Live 12's Saturator: new order, Bass Shaper, flat waveshaper
        _f(device, "PreDrive", 0, -36, 36, ids)
        _b(device, "PreDcFilter", False, ids)
        _e(device, "Type", 0, ids)
        _b(device, "ColorOn", True, ids)
        _f(device, "BaseDrive", 0, -36, 36, ids)
        _f(device, "ColorFrequency", 1000, 30, 18500, ids)
        _f(device, "ColorWidth", 0.3000000119, 0, 1, ids)
        _f(device, "ColorDepth", 0, -24, 24, ids)
        _e(device, "PostClip", 0, ids)
        _f(device, "PostDrive", 0, -36, 0, ids)
        _f(device, "DryWet", 1, 0, 1, ids)
        _f(device, "BassShaperThreshold", -50, -50, 0, ids)
        for tag, manual in (
            ("WsDrive", 1),
            ("WsLin", 0.5),
            ("WsCurve", 0.05000000075),
            ("WsDamp", 0),
            ("WsPeriod", 0),
            ("WsDepth", 0),
        ):
            _f(device, tag, manual, 0, 1, ids)
        values(device, ("Oversampling", True))
        return device
    _f(device, "DryWet", 1, 0, 1, ids)
    _f(device, "PreDrive", 0, -36, 36, ids)
    values(device, ("PreDcFilter", False))
    _f(device, "PostDrive", 0, -36, 0, ids)
    _e(device, "Type", 0, ids)
    _f(device, "BaseDrive", 0, -36, 36, ids)
    _b(device, "ColorOn", True, ids)
    _f(device, "ColorFrequency", 1000, 30, 18500, ids)
    _f(device, "ColorWidth", 0.3000000119, 0, 1, ids)
    _f(device, "ColorDepth", 0, -24, 24, ids)
    _b(device, "PostClip", False, ids)
    values(device, ("Oversampling", 1))
    shaper = sub(device, "WaveShaper")
    for tag, manual in (
        ("Drive", 1),
        ("Lin", 0.5),
        ("Curve", 0),
        ("Damp", 0),
        ("Period", 0),
        ("Depth", 0),
    ):
        _f(shaper, tag, manual, 0, 1, ids)
    return device


def build_auto_filter(
    parent: Element, device_id: int, ids: PointeeIds, profile: LiveProfile
) -> Element:
    device = _head(parent, "AutoFilter", device_id, ids, profile)
    values(device, ("LegacyMode", False))
    _e(device, "LegacyFilterType", 0, ids)
    _e(device, "FilterType", 0, ids)
    _e(device, "CircuitLpHp", 0, ids)
    _e(device, "CircuitBpNoMo", 0, ids)
    _b(device, "Slope", True, ids)
    _f(device, "Cutoff", 135, 20, 135, ids)
    values(device, ("CutoffLimit", 135))
    _f(device, "LegacyQ", 0.8199999928, 0.200000003, 3, ids)
    _f(device, "Resonance", 0, 0, 1.25, ids)
    _f(device, "Morph", 0, 0, 1, ids)
    _f(device, "Drive", 0, 0, 24, ids)
    _f(device, "ModHub", 0, -127, 127, ids)
    _f(device, "Attack", 6, 0.1000000015, 30, ids)
    _f(device, "Release", 200, 0.1000000015, 400, ids)
    _f(device, "LfoAmount", 0, 0, 30, ids)
    lfo = sub(device, "Lfo")
    _e(lfo, "Type", 0, ids)
    _f(lfo, "Frequency", 1, 0.009999999776, 10, ids)
    _e(lfo, "RateType", 0, ids)
    _f(lfo, "BeatRate", 4, 0, 21, ids)
    _e(lfo, "StereoMode", 0, ids)
    _f(lfo, "Spin", 0, 0, 0.5, ids)
    _f(lfo, "Phase", 0, 0, 360, ids)
    _f(lfo, "Offset", 0, 0, 360, ids)
    _b(lfo, "IsOn", True, ids)
    _b(lfo, "Quantize", False, ids)
    _e(lfo, "BeatQuantize", 2, ids)
    _f(lfo, "NoiseWidth", 0.5, 0, 1, ids)
    _sidechain(device, ids, profile)
    return device


def build_utility(
    parent: Element, device_id: int, ids: PointeeIds, profile: LiveProfile
) -> Element:
    device = _head(parent, "StereoGain", device_id, ids, profile)
    _stereo(_b, device, "PhaseInvert", False, ids)
    _e(device, "ChannelMode", 1, ids)
    _f(device, "StereoWidth", 1, 0, 4, ids)
    _f(device, "MidSideBalance", 1, 0, 2, ids)
    values(device, ("MidSideBalanceOn", False))
    _b(device, "Mono", False, ids)
    _b(device, "BassMono", False, ids)
    values(device, ("BassMonoAudition", False))
    _f(device, "BassMonoFrequency", 120, 50, 500, ids)
    _f(device, "Balance", 0, -1, 1, ids)
    _f(device, "Gain", 1, 0, 56.2341309, ids)
    _f(device, "LegacyGain", 0, -35, 35, ids)
    _b(device, "Mute", False, ids)
    _b(device, "DcFilter", False, ids)
    values(device, ("LegacyMode", False))
    return device


def build_limiter(
    parent: Element, device_id: int, ids: PointeeIds, profile: LiveProfile
) -> Element:
    device = _head(parent, "Limiter", device_id, ids, profile)
    _f(device, "Gain", 0, -24, 24, ids)
    _f(device, "Ceiling", -0.3000000119, -24, 0, ids)
    _f(device, "Release", 300, 0.009999999776, 3000, ids)
    _b(device, "AutoRelease", True, ids)
    if profile.release >= (12, 1):  # Live 12.1's Limiter: link amounts, modes, Maximize
        _f(device, "LinkAmount", 1, 0, 1, ids)
        _f(device, "LinkAmountMidSide", 0, 0, 1, ids)
        _e(device, "Lookahead", 1, ids)
        _e(device, "Routing", 0, ids)
        _e(device, "Mode", 0, ids)
        _b(device, "Maximize", False, ids)
        _f(device, "MaximizeThreshold", 0, -24, 0, ids)
        _f(device, "MaximizeOutput", 0, -24, 0, ids)
        values(device, ("LegacySmoothing", False))
    else:
        _b(device, "LinkChannels", True, ids)
        _e(device, "Lookahead", 1, ids)
    return device


def build_reverb(parent: Element, device_id: int, ids: PointeeIds, profile: LiveProfile) -> Element:
    device = _head(parent, "Reverb", device_id, ids, profile)
    live12 = profile.live_major >= 12
    _f(device, "PreDelay", 2.5, 0.5, 250, ids)
    _b(device, "BandHighOn", False, ids)
    _b(device, "BandLowOn", True, ids)
    _f(device, "BandFreq", 830, 50, 18000, ids)
    _f(device, "BandWidth", 5.8499999, 0.5, 9, ids)
    _b(device, "SpinOn", True, ids)
    _f(device, "EarlyReflectModFreq", 0.2976999879, 0.07400000095, 1.29999995, ids)
    _f(device, "EarlyReflectModDepth", 17.5, 2, 55, ids)
    _f(device, "DiffuseDelay", 0.5, 0, 1, ids)
    _b(device, "ShelfHighOn", True, ids)
    if live12:
        _e(device, "HighFilterType", 0, ids)
    shelf_top = 1 if live12 else 1.00000012
    _f(device, "ShelfHiFreq", 4500, 20, 16000, ids)
    _f(device, "ShelfHiGain", 0.6999999881, 0.200000003, shelf_top, ids)
    _b(device, "ShelfLowOn", True, ids)
    _f(device, "ShelfLoFreq", 90, 20, 15000, ids)
    _f(device, "ShelfLoGain", 0.75, 0.200000003, shelf_top, ids)
    _b(device, "ChorusOn", True, ids)
    _f(device, "SizeModFreq", 0.01999999955, 0.009999999776, 8, ids)
    _f(device, "SizeModDepth", 0.01999999955, 0.009999999776, 4, ids)
    _f(device, "DecayTime", 2000, 200, 60000, ids)
    _f(device, "AllPassGain", 0.6000000238, 0.001000000047, 0.9600000381, ids)
    _f(device, "AllPassSize", 0.400000006, 0.05000000075, 1, ids)
    _b(device, "FreezeOn", False, ids)
    _b(device, "FlatOn", True, ids)
    _b(device, "CutOn", True, ids)
    _f(device, "RoomSize", 100, 0.2220000029, 500, ids)
    if live12:
        _e(device, "SizeSmoothing", 2, ids)
    _f(device, "StereoSeparation", 100, 0, 120, ids)
    if not live12:
        values(device, ("StereoSeparationOnDrySignal", False))
    _e(device, "RoomType", 0, ids)
    _f(device, "MixReflect", 1, 0.02999999933, 1.99530005, ids)
    _f(device, "MixDiffuse", 1, 0.02999999933, 1.99530005, ids)
    _f(device, "MixDirect", 0.5, 0, 1, ids)
    if live12:
        values(device, ("StereoSeparationOnDrySignal", False))
    return device


def build_delay(parent: Element, device_id: int, ids: PointeeIds, profile: LiveProfile) -> Element:
    device = _head(parent, "Delay", device_id, ids, profile)
    _e(device, "DelayLine_SmoothingMode", 1, ids)
    _b(device, "DelayLine_Link", True, ids)
    _b(device, "DelayLine_PingPong", False, ids)
    _stereo(_b, device, "DelayLine_Sync", True, ids)
    _stereo(_f, device, "DelayLine_Time", 0.1000000015, 0.001000000047, 5, ids)
    _stereo(_f, device, "DelayLine_SimpleDelayTime", 100, 1, 300, ids)
    _stereo(_f, device, "DelayLine_PingPongDelayTime", 1, 1, 999, ids)
    _stereo(_e, device, "DelayLine_SyncedSixteenth", 2, ids)
    _stereo(_f, device, "DelayLine_Offset", 0, -0.3330000043, 0.3330000043, ids)
    values(device, ("DelayLine_CompatibilityMode", 0))
    _f(device, "Feedback", 0.5, 0, 0.9499999881, ids)
    _b(device, "Freeze", False, ids)
    _b(device, "Filter_On", True, ids)
    _f(device, "Filter_Frequency", 1000, 50, 18000, ids)
    _f(device, "Filter_Bandwidth", 8, 0.5, 9, ids)
    _f(device, "Modulation_Frequency", 0.5, 0.01000000071, 39.9999962, ids)
    _f(device, "Modulation_AmountTime", 0, 0, 1, ids)
    _f(device, "Modulation_AmountFilter", 0, 0, 1, ids)
    _f(device, "DryWet", 0.5, 0, 1, ids)
    values(device, ("DryWetMode", 0))
    if profile.live_major >= 12:
        values(device, ("EcoProcessing", False))
    return device


BUILDERS = {
    "eq8": build_eq8,
    "compressor": build_compressor,
    "glue": build_glue,
    "saturator": build_saturator,
    "auto_filter": build_auto_filter,
    "utility": build_utility,
    "limiter": build_limiter,
    "reverb": build_reverb,
    "delay": build_delay,
}


# --------------------------------------------------------------------------- settings


def _value_path(device: Element, path: str) -> str:
    """Where a setting's value lives: a parameter's Manual, or the element itself."""
    if device.find(f"{path}/Manual") is not None:
        return f"{path}/Manual"
    if device.find(path) is None:
        raise ValueError(f"{device.tag} has no {path}")
    return path


def setting_paths(kind: str) -> tuple[str, ...]:
    """Every setting the arrangement decides, in hole order: on/off, name, parameters, extras."""
    params = tuple(p.path for p in PARAMS[kind].values() if p is not None)
    return ("On", "UserName", *params, *EXTRA_PATHS.get(kind, ()))


def settings(device: Device, where: Placement) -> tuple[object, ...]:
    """The device's values for :func:`setting_paths`, in Live's scales."""
    params = {name: device.param(name) for name in PARAMS[device.kind]}
    live = [device.on, device.name]
    for name, param in PARAMS[device.kind].items():
        if param is not None:
            live.append(param.to_live(params[name]))
    extra = extra_values(device.kind, params, where)
    live.extend(extra[path] for path in EXTRA_PATHS.get(device.kind, ()))
    return tuple(live)


@dataclass(frozen=True)
class EffectTemplate:
    fragment: Fragment
    targets: dict[str, int]  # parameter path → its AutomationTarget's offset in the id block


@lru_cache(maxsize=64)
def template(kind: str, profile: LiveProfile) -> EffectTemplate:
    device = BUILDERS[kind](etree.Element("Devices"), 0, PointeeIds(0), profile)
    holes = [(".", "Id")] + [(_value_path(device, path), "Value") for path in setting_paths(kind)]
    pointees = [n for n in device.iter() if isinstance(n.tag, str) and is_pointee(n.tag)]
    offsets = {node: index for index, node in enumerate(pointees)}
    targets = {}
    for param in PARAMS[kind].values():
        if param is not None:
            targets[param.path] = offsets[device.find(f"{param.path}/AutomationTarget")]
    return EffectTemplate(Fragment(device, tuple(holes)), targets)


def place_effect(
    parent: Element,
    device: Device,
    device_id: int,
    ids: PointeeIds,
    profile: LiveProfile,
    where: Placement = NOWHERE,
) -> dict[str, int]:
    """Put ``device`` in a Devices list; returns its parameters' AutomationTarget ids by path."""
    found = template(device.kind, profile)
    first = place(parent, found.fragment, ids, (device_id, *settings(device, where)))
    return {path: first + offset for path, offset in found.targets.items()}


def build_effect(
    parent: Element,
    device: Device,
    device_id: int,
    ids: PointeeIds,
    profile: LiveProfile,
    where: Placement = NOWHERE,
) -> dict[str, int]:
    """The same device built element by element (the reference :func:`place_effect` matches)."""
    elem = BUILDERS[device.kind](parent, device_id, ids, profile)
    for path, value in zip(setting_paths(device.kind), settings(device, where), strict=True):
        elem.find(_value_path(elem, path)).set("Value", fmt(value))
    return {
        param.path: int(elem.find(f"{param.path}/AutomationTarget").get("Id"))
        for param in PARAMS[device.kind].values()
        if param is not None
    }
