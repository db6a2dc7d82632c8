"""Splitting the drum kit onto the tracks a producer mixes: kick, snare/clap and the rest.

A pumping mix keys its compressors from the kick alone (keyed from the whole kit, every hat would
duck the bass), and the snare takes reverb the hats and kick should not. So the kick's and the
snare's pads move, with their notes, to tracks of their own, each a Drum Rack with just those
pads; the rest of the kit stays on "Drums". The notes and samples are the same: only where they
are mixed changes.
"""

from __future__ import annotations

from companion.arrangement import Arrangement, Clip, Instrument, Note, Track

KICK_NOTES = frozenset({35, 36})
SNARE_NOTES = frozenset({38, 39, 40})
# name, mix part, notes, Live colour (reds next to the kit's), why
GROUPS: tuple[tuple[str, str, frozenset[int], int, str], ...] = (
    ("Kick", "kick", KICK_NOTES, 14, "the kick keys the sidechain and is mixed dry and centred"),
    ("Snare", "snare", SNARE_NOTES, 15, "the snare/clap takes its own reverb send and level"),
)
REST_PART = "drums"


def _part_of_loop(track: Track) -> str:
    return "vocal_loop" if track.role == "vocals" else "drum_loop"


def mix_part(track: Track) -> str:
    """The mix part of a track of an already split song (by its role and name)."""
    if track.is_audio:
        return _part_of_loop(track)
    if track.role == "drums":
        for name, part, *_ in GROUPS:
            if track.name == name:
                return part
        return REST_PART
    return track.role if track.role != "other" else "fx"


def _clips_with(track: Track, notes: frozenset[int] | None, prefix: str) -> list[Clip]:
    """The track's clips holding only ``notes`` (None: the notes of no group)."""
    grouped = KICK_NOTES | SNARE_NOTES
    clips = []
    for clip in track.clips:
        kept: list[Note] = [
            n
            for n in clip.notes
            if (n.pitch in notes if notes is not None else n.pitch not in grouped)
        ]
        if not kept:
            continue
        section = clip.name.split(" · ", 1)[-1] if " · " in clip.name else clip.name
        clips.append(
            Clip(
                name=f"{prefix} · {section}",
                start=clip.start,
                length=clip.length,
                section=clip.section,
                notes=kept,
            )
        )
    return clips


def _rack_of(instrument: Instrument | None, notes: frozenset[int] | None) -> Instrument | None:
    if instrument is None:
        return None
    grouped = KICK_NOTES | SNARE_NOTES
    pads = [
        pad
        for pad in instrument.pads
        if (pad.note in notes if notes is not None else pad.note not in grouped)
    ]
    if not pads:
        return None
    return instrument.model_copy(update={"pads": pads})


def _renamed(instrument: Instrument | None, group: str) -> Instrument | None:
    """ "House Drums" → "House Kick": the rack says what it holds."""
    if instrument is None:
        return None
    base = instrument.name.rsplit(" Drums", 1)[0] if instrument.name.endswith(" Drums") else ""
    name = f"{base} {group}".strip() if base or instrument.name == "Drums" else group
    return instrument.model_copy(update={"name": name})


def _splittable(track: Track) -> bool:
    if track.role != "drums" or track.is_audio:
        return False
    return track.instrument is None or track.instrument.kind == "drum_rack"


def split_drums(song: Arrangement) -> list[Track]:
    """The song's tracks with each drum kit split into Kick, Snare and Drums (the rest).

    A group whose notes the kit never plays gets no track; a kit with a rack but no pad for a
    group keeps that group's notes where they are (they would be silent on a track of their own).
    """
    tracks: list[Track] = []
    for track in song.tracks:
        if not _splittable(track) or any(t.name == "Kick" for t in song.tracks):
            tracks.append(track)
            continue
        moved: set[int] = set()
        for name, _part, notes, color, _why in GROUPS:
            rack = _rack_of(track.instrument, notes)
            if track.instrument is not None and rack is None:
                continue
            clips = _clips_with(track, notes, name)
            if not clips:
                continue
            tracks.append(
                Track(
                    name=name,
                    role="drums",
                    color=color,
                    clips=clips,
                    instrument=_renamed(rack, name),
                )
            )
            moved |= notes
        if not moved:
            tracks.append(track)
            continue
        rest = frozenset(range(128)) - moved
        clips = [
            Clip(
                name=clip.name,
                start=clip.start,
                length=clip.length,
                section=clip.section,
                notes=[n for n in clip.notes if n.pitch in rest],
            )
            for clip in track.clips
            if any(n.pitch in rest for n in clip.notes)
        ]
        if clips:
            remaining = track.instrument
            if remaining is not None:
                pads = [pad for pad in remaining.pads if pad.note in rest]
                remaining = remaining.model_copy(update={"pads": pads}) if pads else None
            tracks.append(track.model_copy(update={"clips": clips, "instrument": remaining}))
    return tracks


def _kit_name(instrument: Instrument) -> str:
    for name, *_ in GROUPS:
        if instrument.name == name:
            return "Drums"
        if instrument.name.endswith(f" {name}"):
            return f"{instrument.name[: -len(name) - 1]} Drums"
    return instrument.name


def join_drums(tracks: list[Track]) -> dict[str, Instrument]:
    """Each role's instrument, a split kit joined back into one Drum Rack (for a new version
    that keeps the previous version's sounds)."""
    found: dict[str, Instrument] = {}
    for track in tracks:
        instrument = track.instrument
        if instrument is None:
            continue
        before = found.get(track.role)
        if before is not None and before.kind == instrument.kind == "drum_rack":
            notes = {pad.note for pad in before.pads}
            pads = [*before.pads, *(p for p in instrument.pads if p.note not in notes)]
            found[track.role] = before.model_copy(update={"pads": pads, "name": _kit_name(before)})
        else:
            found[track.role] = instrument
    return found
