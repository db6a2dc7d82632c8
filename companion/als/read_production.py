"""Read a set's production back: faders, pans and sends, the effects MusiaIA knows, return tracks,
the main track's chain, arrangement automation and Session clip envelopes.

Sets written by MusiaIA come back exactly as written (the model rounds its values so Live's scales
convert back to the same numbers). Real sets are read for what they share with the model: devices
of other kinds (instruments aside), racks, plug-ins and envelopes on their parameters are left
out, values outside the model's ranges are brought inside, and nothing here makes a set unreadable.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable

from lxml import etree

from companion.als.automation import TIME_ORIGIN, event_value
from companion.als.effect_values import PARAMS, amp_to_db, read_extras
from companion.als.effects import KINDS
from companion.als.returns import return_letter
from companion.arrangement import (
    Device,
    Envelope,
    MainBus,
    Mix,
    ReturnTrack,
    Track,
    round_beats,
    target_spec,
)
from companion.device_params import DEVICE_PARAMS, MIXER_TARGETS, PARAM_CHOICES, SEND_RANGE

Element = etree._Element
_SIDECHAIN_SOURCE = re.compile(r"^AudioIn/Track\.(\d+)/")
MAX_POINTS = 100_000  # an envelope longer than this is a corrupt file, not music


def _value(elem: Element | None, path: str) -> str | None:
    if elem is None:
        return None
    found = elem.find(path)
    return None if found is None else found.get("Value")


def _number(elem: Element | None, path: str) -> float | None:
    raw = _value(elem, path)
    try:
        value = float(raw) if raw is not None else None
    except ValueError:
        return None
    return value if value is not None and math.isfinite(value) else None


def _manual(device: Element, path: str) -> float | None:
    """A parameter's value (its Manual) as a number; switches give 1 or 0."""
    raw = _value(device, f"{path}/Manual")
    if raw is None:
        raw = _value(device, path)
    return event_value(raw) if raw is not None else None


def _fit(kind: str, name: str, value: float) -> float:
    """A value brought into the model's range (and onto a menu's options)."""
    low, high, _, _ = DEVICE_PARAMS[kind][name]
    value = min(high, max(low, value))
    options = PARAM_CHOICES.get(kind, {}).get(name)
    if options:
        value = min(options, key=lambda option: abs(option - value))
    return value


def read_device(elem: Element, track_names: dict[str, str]) -> Device | None:
    """A known effect as the model holds it, or None for anything else."""
    kind = KINDS.get(elem.tag)
    if kind is None:
        return None
    params: dict[str, float] = {}
    for name, param in PARAMS[kind].items():
        if param is None:
            continue
        raw = _manual(elem, param.path)
        if raw is not None:
            params[name] = _fit(kind, name, param.from_live(raw))

    def stored(path: str) -> str | None:
        return _value(elem, f"{path}/Manual") or _value(elem, path)

    extras = {name: _fit(kind, name, value) for name, value in read_extras(kind, stored).items()}
    sidechain = None
    if kind == "compressor" and _value(elem, "SideChain/OnOff/Manual") == "true":
        match = _SIDECHAIN_SOURCE.match(_value(elem, "SideChain/RoutedInput/Routable/Target") or "")
        sidechain = track_names.get(match.group(1)) if match else None
    common = {
        "kind": kind,
        "on": _value(elem, "On/Manual") != "false",
        "name": _value(elem, "UserName") or "",
        "sidechain": sidechain,
    }
    for attempt in ({**params, **extras}, params, {}):
        try:
            return Device(params=attempt, **common)
        except ValueError:
            continue
    return None


def _devices(chain: Element | None, track_names: dict[str, str]) -> list[tuple[Device, Element]]:
    found = []
    for elem in chain if chain is not None else ():
        if isinstance(elem.tag, str):
            device = read_device(elem, track_names)
            if device is not None:
                found.append((device, elem))
    return found


def _targets(
    mixer: Element | None, returns: int, devices: list[tuple[Device, Element]]
) -> dict[str, str]:
    """AutomationTarget id → the model's envelope target name."""
    found: dict[str, str] = {}

    def add(elem: Element | None, path: str, name: str) -> None:
        node = elem.find(f"{path}/AutomationTarget") if elem is not None else None
        ident = node.get("Id") if node is not None else None
        if ident is not None:
            found.setdefault(ident, name)

    add(mixer, "Volume", "volume")
    add(mixer, "Pan", "pan")
    holders = mixer.findall("Sends/TrackSendHolder") if mixer is not None else []
    for index, holder in enumerate(holders[:returns]):
        add(holder, "Send", f"send:{index}")
    for index, (device, elem) in enumerate(devices):
        for name, param in PARAMS[device.kind].items():
            if param is not None:
                add(elem, param.path, f"device:{index}:{name}")
    return found


def _convert(target: str, devices: list[Device], raw: float) -> float:
    """A stored event value in the target's musical units, inside its range."""
    if target == "volume" or target.startswith("send:"):
        value = amp_to_db(max(raw, 1e-12))
    elif target in MIXER_TARGETS:
        value = raw
    else:
        _, index, name = target.split(":")
        device = devices[int(index)]
        param = PARAMS[device.kind][name]
        assert param is not None
        return _fit(device.kind, name, param.from_live(raw))
    low, high = (SEND_RANGE if target.startswith("send:") else MIXER_TARGETS[target])[:2]
    return min(high, max(low, value))


def _envelope(
    elem: Element, targets: dict[str, str], devices: list[Device], returns: int
) -> Envelope | None:
    target = targets.get(_value(elem, "EnvelopeTarget/PointeeId") or "")
    if target is None:
        return None
    points: list[tuple[float, float]] = []
    for event in elem.iterfind("Automation/Events/*"):
        try:
            time = float(event.get("Time", ""))
        except ValueError:
            continue
        raw = event_value(event.get("Value"))
        if raw is None or not math.isfinite(time) or time < 0 or time <= TIME_ORIGIN:
            continue
        points.append((round_beats(time), _convert(target, devices, raw)))
        if len(points) > MAX_POINTS:
            return None
    if not points:
        return None
    points.sort(key=lambda point: point[0])
    try:
        envelope = Envelope(target=target, points=points)
        low, high = target_spec(target, devices, returns)[:2]
    except ValueError:
        return None
    return envelope if all(low <= v <= high for _, v in envelope.points) else None


def _envelopes(
    elems: Iterable[Element], targets: dict[str, str], devices: list[Device], returns: int
) -> list[Envelope]:
    found: dict[str, Envelope] = {}
    for elem in elems:
        envelope = _envelope(elem, targets, devices, returns)
        if envelope is not None:
            found.setdefault(envelope.target, envelope)
    return list(found.values())


def _mix(mixer: Element | None, returns: int) -> Mix:
    volume = _number(mixer, "Volume/Manual")
    pan = _number(mixer, "Pan/Manual")
    holders = mixer.findall("Sends/TrackSendHolder") if mixer is not None else []
    sends = []
    for holder in holders[:returns]:
        level = _number(holder, "Send/Manual")
        sends.append(min(0.0, amp_to_db(level)) if level is not None and level > 0 else -70.0)
    return Mix(
        volume_db=min(6.0, max(-70.0, amp_to_db(volume))) if volume and volume > 0 else 0.0,
        pan=min(1.0, max(-1.0, pan)) if pan is not None else 0.0,
        sends=tuple(sends),
    )


class _Channel:
    """One channel read: its devices (with their elements), mixer and envelope targets."""

    def __init__(self, elem: Element, returns: int, track_names: dict[str, str]) -> None:
        self.mixer = elem.find("DeviceChain/Mixer")
        self.placed = _devices(elem.find("DeviceChain/DeviceChain/Devices"), track_names)
        self.devices = [device for device, _ in self.placed]
        self.returns = returns
        self.targets = _targets(self.mixer, returns, self.placed)
        self.elem = elem

    def automation(self) -> list[Envelope]:
        elems = self.elem.iterfind("AutomationEnvelopes/Envelopes/AutomationEnvelope")
        return _envelopes(elems, self.targets, self.devices, self.returns)

    def clip_envelopes(self, clip: Element) -> list[Envelope]:
        elems = clip.iterfind("Envelopes/Envelopes/ClipEnvelope")
        return _envelopes(elems, self.targets, self.devices, self.returns)


def _session_clip(track: Element, scene: int) -> Element | None:
    slots = track.findall("DeviceChain/MainSequencer/ClipSlotList/ClipSlot")
    if not 0 <= scene < len(slots):
        return None
    value = slots[scene].find("ClipSlot/Value")
    return value[0] if value is not None and len(value) else None


def read_production(
    live_set: Element, tracks: list[tuple[Track, Element]]
) -> tuple[list[ReturnTrack], MainBus]:
    """Fill each track's mixer, devices, automation and clip envelopes (in place) and read the
    return tracks and the main track."""
    track_list = live_set.find("Tracks")
    listed = list(track_list) if track_list is not None else []
    return_elems = [elem for elem in listed if elem.tag == "ReturnTrack"]
    returns = len(return_elems)
    track_names = {elem.get("Id", ""): track.name for track, elem in tracks}
    for track, elem in tracks:
        channel = _Channel(elem, returns, track_names)
        track.mix = _mix(channel.mixer, returns)
        track.devices = channel.devices
        track.automation = channel.automation()
        seen_sections: set[int] = set()
        for clip in track.clips:
            if clip.section is None or clip.section in seen_sections:
                continue
            seen_sections.add(clip.section)
            session = _session_clip(elem, clip.section)
            if session is not None and _value(session, "Name") == clip.name:
                clip.envelopes = channel.clip_envelopes(session)
    read_returns = []
    for index, elem in enumerate(return_elems):
        channel = _Channel(elem, returns, track_names)
        read_returns.append(
            ReturnTrack(
                name=_return_name(elem, index),
                color=min(69, max(0, int(_number(elem, "Color") or 0))),
                devices=channel.devices,
                mix=_mix(channel.mixer, returns),
                automation=channel.automation(),
            )
        )
    return read_returns, _main(live_set, track_names)


def _return_name(elem: Element, index: int) -> str:
    """The user's name, or Live's shown name without its letter ("A-Reverb" → "Reverb")."""
    user = _value(elem, "Name/UserName")
    if user:
        return user
    shown = _value(elem, "Name/EffectiveName") or ""
    prefix = f"{return_letter(index)}-"
    return shown[len(prefix) :] if shown.startswith(prefix) else shown


def _main(live_set: Element, track_names: dict[str, str]) -> MainBus:
    main = live_set.find("MainTrack")
    if main is None:
        main = live_set.find("MasterTrack")
    if main is None or main.find("DeviceChain/Mixer") is None:
        return MainBus()
    channel = _Channel(main, 0, track_names)
    return MainBus(
        devices=channel.devices,
        volume_db=_mix(channel.mixer, 0).volume_db,
        automation=channel.automation(),
    )
