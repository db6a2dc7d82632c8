"""A channel's mixer in Live's scales: fader, pan and sends, and where an envelope finds them.

Live stores the fader and every send as linear amplitude (0.0003162… is its -70 dB "-inf", 1 is
0 dB, the fader tops out at 1.995…, +6 dB); pan runs -1..1. Each TrackSendHolder carries one send
per return track, in the returns' order, on every track including the returns themselves; a
return's sends to the other returns are switched off unless used (Live's default).
"""

from __future__ import annotations

from companion.als.effect_values import db_to_amp
from companion.als.profiles import LiveProfile
from companion.als.xmlkit import Element, fmt
from companion.arrangement import Mix

MIXER = "DeviceChain/Mixer"


def set_mix(track: Element, mix: Mix, returns: int, profile: LiveProfile, is_return: int = -1):
    """Write ``mix`` into a stamped track's mixer. ``is_return`` is the track's own index among
    the returns (-1 for a track): its send to itself must stay off."""
    mixer = track.find(MIXER)
    if mix.volume_db != 0:
        mixer.find("Volume/Manual").set("Value", fmt(db_to_amp(mix.volume_db)))
    if mix.pan != 0:
        mixer.find("Pan/Manual").set("Value", fmt(mix.pan))
    if not mix.sends:
        return
    holders = mixer.findall("Sends/TrackSendHolder")
    for index, holder in enumerate(holders[:returns]):
        level = mix.send_db(index)
        if index == is_return and level > -70:
            raise ValueError(f"return track {index} cannot send to itself")
        holder.find("Send/Manual").set("Value", fmt(db_to_amp(level)))
        if is_return >= 0:  # a return's sends to the others are on only where used
            holder.find(profile.send_enabled_tag).set("Value", fmt(level > -70))


def mixer_targets(track: Element, returns: int) -> dict[str, int]:
    """Envelope target name → the AutomationTarget id of the mixer parameter."""
    mixer = track.find(MIXER)
    targets = {
        "volume": int(mixer.find("Volume/AutomationTarget").get("Id")),
        "pan": int(mixer.find("Pan/AutomationTarget").get("Id")),
    }
    for index, holder in enumerate(mixer.findall("Sends/TrackSendHolder")[:returns]):
        targets[f"send:{index}"] = int(holder.find("Send/AutomationTarget").get("Id"))
    return targets
