"""The production in the set: each channel's mixer, effects and automation, the return tracks and
the main track's chain.

The track builders write a bare channel; this module fills in what the arrangement's production
fields say (companion.arrangement: Mix, Device, Envelope, ReturnTrack, MainBus). An arrangement
without production leaves every channel exactly as the builders made it.
"""

from __future__ import annotations

from dataclasses import dataclass

from companion.als import effect_values, returns
from companion.als.automation import Target, arrangement_envelope, clip_envelope, within_clip
from companion.als.effect_values import Placement, db_to_amp, event_kind
from companion.als.effects import place_effect
from companion.als.mixer import mixer_targets, set_mix
from companion.als.tracks import MAIN_FIXED, SongContext
from companion.als.xmlkit import Element, PointeeIds, fmt
from companion.arrangement import Arrangement, Device, Envelope, MainBus, Track

DEVICES = "DeviceChain/DeviceChain/Devices"
ENVELOPES = "AutomationEnvelopes/Envelopes"
SLOT_CLIPS = "DeviceChain/MainSequencer/ClipSlotList/ClipSlot"


@dataclass(frozen=True)
class Song:
    """What placing one channel's production needs from the rest of the song."""

    ctx: SongContext
    sources: dict[str, tuple[int, str]]  # sidechain source: track name → (track id, shown name)


def song_for(arrangement: Arrangement, ctx: SongContext, track_ids: list[int]) -> Song:
    sources: dict[str, tuple[int, str]] = {}
    for track, track_id in zip(arrangement.tracks, track_ids, strict=True):
        sources.setdefault(track.name, (track_id, track.name))
    return Song(ctx, sources)


def _targets(
    mixer: dict[str, int], devices: list[Device], device_targets: list[dict[str, int]]
) -> dict[str, Target]:
    """Every envelope target of a channel, by the name the arrangement uses."""
    found: dict[str, Target] = {}
    if "volume" in mixer:
        found["volume"] = Target(mixer["volume"], "FloatEvent", db_to_amp)
    if "pan" in mixer:
        found["pan"] = Target(mixer["pan"], "FloatEvent", float)
    for name, pointee in mixer.items():
        if name.startswith("send:"):
            found[name] = Target(pointee, "FloatEvent", db_to_amp)
    for index, (device, ids) in enumerate(zip(devices, device_targets, strict=True)):
        for name, param in effect_values.PARAMS[device.kind].items():
            if param is not None:
                found[f"device:{index}:{name}"] = Target(
                    ids[param.path], event_kind(param), param.to_live
                )
    return found


def _resolve(target: str, targets: dict[str, Target], owner: str) -> Target:
    if target not in targets:
        raise ValueError(
            f"{owner}: envelope target {target!r} cannot be automated in Live "
            "(a parameter set from several of Live's, or one this channel lacks)"
        )
    return targets[target]


def _devices(
    chain: Element, devices: list[Device], first_id: int, song: Song, on_return: bool
) -> list[dict[str, int]]:
    placed = []
    for offset, device in enumerate(devices):
        source = song.sources.get(device.sidechain) if device.sidechain else None
        where = Placement(on_return=on_return, sidechain=source)
        placed.append(
            place_effect(chain, device, first_id + offset, song.ctx.ids, song.ctx.profile, where)
        )
    return placed


def _automate(
    elem: Element,
    automation: list[Envelope],
    targets: dict[str, Target],
    owner: str,
    ids: PointeeIds,
):
    envelopes = elem.find(ENVELOPES)
    first = len(envelopes)
    for index, envelope in enumerate(automation):
        target = _resolve(envelope.target, targets, owner)
        arrangement_envelope(envelopes, first + index, envelope, target, ids)


def has_production(track: Track) -> bool:
    return bool(
        track.devices
        or track.automation
        or track.mix.volume_db
        or track.mix.pan
        or track.mix.sends
        or any(clip.envelopes for clip in track.clips)
    )


def apply_track(elem: Element, track: Track, song: Song, session_clips: dict[int, int]) -> None:
    """Mixer, effects (after the instrument), arrangement automation and Session clip envelopes
    of a MIDI or audio track."""
    if not has_production(track):
        return
    ctx = song.ctx
    set_mix(elem, track.mix, ctx.return_count, ctx.profile)
    chain = elem.find(DEVICES)
    placed = _devices(chain, track.devices, len(chain), song, on_return=False)
    targets = _targets(mixer_targets(elem, ctx.return_count), track.devices, placed)
    _automate(elem, track.automation, targets, repr(track.name), ctx.ids)
    slots = elem.findall(SLOT_CLIPS)
    for scene, clip_index in sorted(session_clips.items()):
        clip = track.clips[clip_index]
        if not clip.envelopes:
            continue
        value = slots[scene].find("ClipSlot/Value")
        clip_elem = value[0]
        envelopes = clip_elem.find("Envelopes/Envelopes")
        for index, envelope in enumerate(clip.envelopes):
            owner = f"{track.name!r} clip {clip.name!r}"
            target = _resolve(envelope.target, targets, owner)
            clip_envelope(envelopes, index, within_clip(envelope, clip.length), target, ctx.ids)


def add_returns(track_list: Element, arrangement: Arrangement, song: Song, first_id: int) -> None:
    """The return tracks, last in Tracks as Live lists them."""
    ctx = song.ctx
    for index, spec in enumerate(arrangement.returns):
        elem = returns.return_track(track_list, spec, index, first_id + index, ctx)
        set_mix(elem, spec.mix, ctx.return_count, ctx.profile, is_return=index)
        chain = elem.find(DEVICES)
        placed = _devices(chain, spec.devices, 0, song, on_return=True)
        targets = _targets(mixer_targets(elem, ctx.return_count), spec.devices, placed)
        _automate(elem, spec.automation, targets, repr(spec.name), ctx.ids)


def apply_main(elem: Element, main: MainBus, song: Song) -> None:
    """The main track's effects, fader and automation (its tempo and meter envelopes stay first)."""
    if not (main.devices or main.automation or main.volume_db):
        return
    if main.volume_db:
        elem.find("DeviceChain/Mixer/Volume/Manual").set("Value", fmt(db_to_amp(main.volume_db)))
    placed = _devices(elem.find(DEVICES), main.devices, 0, song, on_return=False)
    mixer = {"volume": MAIN_FIXED["Volume"], "pan": MAIN_FIXED["Pan"]}
    _automate(elem, main.automation, _targets(mixer, main.devices, placed), "Main", song.ctx.ids)
