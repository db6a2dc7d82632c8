"""Audio tracks playing a warped loop: the AudioTrack and its AudioClips.

Element for element this follows what Live writes (Squishy123 test_multi for 11.0.12, Zorroinvader
jam_x for 12.1.1; see tests/alsconform.py). Each clip plays the loop from the file's start,
looping, for the clip's length. Two warp markers map the file's end to ``AudioLoop.beats`` so Live
stretches the loop to the song's tempo, whatever tempo the file was made at.
"""

from __future__ import annotations

from functools import lru_cache

from lxml import etree

from companion.als import blocks, tracks
from companion.als.clips import ClipPlacement, clip_head, scale_information
from companion.als.devices import sample_ref
from companion.als.profiles import LiveProfile
from companion.als.xmlkit import Element, PointeeIds, fmt, stamp, sub, values
from companion.arrangement import AudioLoop, Clip, Track, WarpMode

# Clip/WarpMode codes, as Live's clip view lists them (4 Complex and 6 Complex Pro; 5 was REX).
WARP_MODES: dict[WarpMode, int] = {
    "beats": 0,
    "tones": 1,
    "texture": 2,
    "repitch": 3,
    "complex": 4,
    "complex_pro": 6,
}
WARP_MODE_NAMES: dict[int, WarpMode] = {code: name for name, code in WARP_MODES.items()}
SEQUENCER_EVENTS = "DeviceChain/MainSequencer/Sample/ArrangerAutomation/Events"
SEQUENCER_SLOTS = "DeviceChain/MainSequencer/ClipSlotList/ClipSlot/ClipSlot/Value"


def audio_track(
    parent: Element,
    track: Track,
    track_id: int,
    ctx: tracks.SongContext,
    session_clips: dict[int, int],
) -> Element:
    """An audio track with its clips on the timeline and in the scenes' slots.

    ``session_clips`` maps a scene index to the index of the clip (in ``track.clips``) to put there.
    The fixed structure is stamped from a skeleton built once by :func:`build_audio_track`, with
    pointee ids renumbered in document order as building it afresh would number them.
    """
    if track.audio is None:
        raise ValueError(f"track {track.name!r} has no loop to play")
    elem = stamp(_skeleton(ctx.profile, ctx.scene_count, ctx.return_count), ctx.ids)
    elem.set("Id", str(track_id))
    elem.find("Name/EffectiveName").set("Value", track.name)
    elem.find("Name/UserName").set("Value", track.name)
    elem.find("Color").set("Value", str(track.color))
    _fill_clips(elem, track, ctx, session_clips)
    parent.append(elem)
    return elem


def _fill_clips(
    elem: Element, track: Track, ctx: tracks.SongContext, session_clips: dict[int, int]
) -> None:
    """Put the track's clips in its scene slots and on its timeline (ordered by start)."""
    loop = track.audio
    assert loop is not None
    slots = elem.findall(SEQUENCER_SLOTS)
    for scene in sorted(session_clips):
        audio_clip(slots[scene], track.clips[session_clips[scene]], 0, loop, track.color, ctx, True)
    events = elem.find(SEQUENCER_EVENTS)
    for clip_id, clip in enumerate(sorted(track.clips, key=lambda c: c.start)):
        audio_clip(events, clip, clip_id, loop, track.color, ctx, False)


@lru_cache(maxsize=32)
def _skeleton(profile: LiveProfile, scene_count: int, return_count: int) -> Element:
    ctx = tracks.SongContext(
        profile=profile,
        ids=PointeeIds(0),
        scene_count=scene_count,
        return_count=return_count,
        time_signature=(4, 4),
        key=None,
    )
    return build_audio_track(etree.Element("Tracks"), 0, "", 0, ctx)


def build_audio_track(
    parent: Element, track_id: int, name: str, color: int, ctx: tracks.SongContext
) -> Element:
    """Build an audio track without clips, element by element: the reference for its structure.

    It shares everything up to the mixer with a MIDI track; its MainSequencer holds audio clips
    (a ``Sample`` timeline and the warp modulation targets) and it has no MIDI controllers.
    """
    elem, chain = tracks.playable_track_start(
        parent, "AudioTrack", track_id, name, color, ctx, audio_input=blocks.MONO_IN
    )
    tracks.audio_sequencer(sub(chain, "MainSequencer"), ctx)
    tracks.freeze_and_devices(chain, ctx)
    if ctx.profile.tuning_fields:
        values(elem, ("IsTuned", True))
    return elem


def audio_clip(
    parent: Element,
    clip: Clip,
    clip_id: int,
    loop: AudioLoop,
    color: int,
    ctx: tracks.SongContext,
    session: bool,
) -> Element:
    """Append an AudioClip playing ``loop`` from its start, looping, warped to the song.

    On the timeline it spans the clip's placement; in a scene slot it is the loop itself, which
    repeats while the scene plays (as Live stores a looping session clip: CurrentEnd = LoopEnd).
    """
    profile = ctx.profile
    start = 0.0 if session else clip.start
    end = loop.beats if session else clip.start + clip.length
    elem = sub(parent, "AudioClip", Id=clip_id, Time=start)
    placement = ClipPlacement(start, end, loop.beats, loop_on=True, session=session)
    clip_head(elem, placement, clip.name, color, ctx.time_signature, fixed_grid=False)
    if profile.release >= (12, 1):  # audio clips know the song's key from 12.1 on
        values(elem, ("IsInKey", ctx.key is not None))
        scale_information(elem, ctx.key, profile)
    sample_ref(elem, loop.sample, ctx.project_dir, profile)
    onsets = sub(elem, "Onsets")
    sub(onsets, "UserOnsets")
    values(onsets, ("HasUserOnsets", False))
    values(
        elem,
        ("WarpMode", WARP_MODES[loop.warp_mode]),
        ("GranularityTones", 30),
        ("GranularityTexture", 65),
        ("FluctuationTexture", 25),
        ("TransientResolution", 6),
        ("TransientLoopMode", 2),
        ("TransientEnvelope", 100),
        ("ComplexProFormants", 100),
        ("ComplexProEnvelope", 128),
        ("Sync", True),
        ("HiQ", True),
        ("Fade", True),
    )
    _fades(elem)
    values(elem, ("PitchCoarse", 0), ("PitchFine", 0), ("SampleVolume", 1))
    if profile.release < (11, 2):  # Live 11.2 stopped writing these
        values(elem, ("MarkerDensity", 2), ("AutoWarpTolerance", 4))
    warp_markers(elem, loop)
    sub(elem, "SavedWarpMarkersForStretched")
    values(elem, ("MarkersGenerated", False))
    values(elem, ("IsSongTempoLeader" if profile.live_major >= 12 else "IsSongTempoMaster", False))
    if profile.release >= (12, 1):
        values(elem, ("AutoWarpPending", False), ("WasMuted", False))
    return elem


def _fades(parent: Element) -> None:
    """Live's default clip fades: none set by the user, Live's own short declick at the edges."""
    values(
        sub(parent, "Fades"),
        ("FadeInLength", 0),
        ("FadeOutLength", 0),
        ("ClipFadesAreInitialized", True),
        ("CrossfadeInState", 0),
        ("FadeInCurveSkew", 0),
        ("FadeInCurveSlope", 0),
        ("FadeOutCurveSkew", 0),
        ("FadeOutCurveSlope", 0),
        ("IsDefaultFadeIn", True),
        ("IsDefaultFadeOut", True),
    )


def loop_seconds(loop: AudioLoop) -> float:
    return loop.sample.frames / loop.sample.sample_rate


def warp_markers(parent: Element, loop: AudioLoop) -> None:
    """The file's start at beat 0 and its end at ``loop.beats``: Live stretches what lies between
    to the song's tempo (one segment, so the whole loop at one speed)."""
    markers = sub(parent, "WarpMarkers")
    sub(markers, "WarpMarker", Id=0, SecTime=0, BeatTime=0)
    sub(markers, "WarpMarker", Id=1, SecTime=fmt(loop_seconds(loop)), BeatTime=fmt(loop.beats))
