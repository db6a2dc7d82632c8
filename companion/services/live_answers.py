"""From what the producer has in Live to the part they asked for: lay the read out on a timeline,
listen to it (chords over time, key, rhythm), write the part, and package it twice — the new
track(s) for Live, placed where the material is (the Session slot of the selected clip, or the
Arrangement region), and the material plus the new part as a project version on disk.

Pure: no Live, no database, no files (the caller reads from Live and stores the project).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from companion.analysis.notes_heard import Heard, listen
from companion.analysis.roles import infer_role
from companion.arrangement import Arrangement, Clip, Note, Section, Track
from companion.live.material import LiveMaterial, LiveTrackMaterial, Placed
from companion.music import answers
from companion.music.meter import Meter
from companion.music.roles import ROLE_COLORS
from companion.music.spec import SongSpec
from companion.music.theory import format_key
from companion.requirements import Requirements
from companion.understanding.live_asks import LiveAsk

MAX_SESSION_CLIPS = 16
_SCALES = {"Major": "major", "Minor": "minor"}
NEW_ROLE = {"bass": "bass", "drums": "drums", "continue": "lead", "harmonize": "lead"}
NEW_NAMES = {
    "es": {"bass": "Bajo", "drums": "Batería", "continue": "{} (sigue)", "harmonize": "{} 2ª voz"},
    "en": {"bass": "Bass", "drums": "Drums", "continue": "{} (cont.)", "harmonize": "{} harmony"},
}


class AnswerError(ValueError):
    """The material cannot be answered (no notes, no chords heard); the text says why."""


@dataclass
class Segment:
    """Material to answer in one place: notes per source track (beats from the segment's
    start), its length, and where the answer goes (a Session slot or an Arrangement position)."""

    notes: dict[str, list[Placed]]
    length: float
    slot: int | None = None  # Session: the scene of the answer
    start: float | None = None  # Arrangement: the song position of the answer
    source: str = ""  # the track answered (for names)


@dataclass
class LiveAnswer:
    kind: str
    for_live: Arrangement  # only the new track(s), placed where the material is
    options: dict[str, Any]  # load options (session/arrangement, scene of the first section)
    project: Arrangement  # the material and the new part: the version written to disk
    spec: SongSpec
    heard: Heard
    notes_written: int
    follow: float | None = None  # bass: share of chord changes met on the chord's root
    sources: list[str] = field(default_factory=list)


def live_key(material: LiveMaterial) -> str | None:
    mode = _SCALES.get(material.scale_name)
    return format_key(material.root_note, mode) if mode else None  # type: ignore[arg-type]


def segments_of(material: LiveMaterial, kind: str | None = None) -> list[Segment]:
    """The material laid out in passages: the selected clip, each Session clip of a track, or
    the Arrangement (region); placed for an answer of ``kind`` (a continuation goes after)."""
    bar = material.beats_per_bar
    if material.what == "selected_clip":
        selected = material.selected_clip()
        if selected is None:
            raise AnswerError("no clip was read")
        track, clip = selected
        notes = clip.played()
        length = clip.span or bar
        if clip.arrangement:
            place = {"start": clip.start_time}
            if kind == "continue":
                place = {"start": clip.end_time}
        else:
            place = {"slot": clip.slot}
            if kind == "continue" and clip.slot is not None:
                place = {"slot": clip.slot + 1}  # the answer plays in the next scene
        return [Segment({track.name: notes}, length, source=track.name, **place)]
    tracks = [t for t in material.tracks if t.type != "audio"]
    if (
        material.what == "track" and tracks and not any(c.arrangement for c in tracks[0].clips)
    ):  # a track with Session clips only: answer each clip in its own slot
        track = tracks[0]
        segments = []
        for clip in track.clips[:MAX_SESSION_CLIPS]:
            if clip.slot is not None and clip.notes:
                slot = clip.slot + 1 if kind == "continue" else clip.slot
                segments.append(
                    Segment(
                        {track.name: clip.played()}, clip.span or bar, slot=slot, source=track.name
                    )
                )
        return segments
    on_song = {t.name: t.song_notes() for t in tracks}
    everything = [n for notes in on_song.values() for n in notes]
    if not everything:
        return []
    region_start, region_end = material.region
    start = region_start if region_start is not None else 0.0
    if region_start is None:  # from the bar where the music starts
        start = math.floor(min(n.start for n in everything) / bar) * bar
    end = (
        region_end
        if region_end is not None
        else math.ceil(max(n.end for n in everything) / bar - 1e-9) * bar
    )
    if end <= start:
        return []
    clipped = {
        name: [
            Placed(
                start=n.start - start,
                end=min(n.end, end) - start,
                pitch=n.pitch,
                velocity=n.velocity,
            )
            for n in notes
            if start - 1e-6 <= n.start < end
        ]
        for name, notes in on_song.items()
    }
    source = tracks[0].name if material.what == "track" else ""
    return [Segment(clipped, end - start, start=start, source=source)]


def _timed(notes: list[Placed]) -> list[tuple[float, float, int]]:
    return [(n.start, n.end, n.pitch) for n in notes]


def harmony_notes(segment: Segment) -> list[tuple[float, float, int]]:
    """The notes that carry the harmony: every track but the drums."""
    timed = []
    for name, notes in segment.notes.items():
        as_notes = [
            Note(
                pitch=n.pitch,
                start=max(0.0, n.start),
                duration=max(1e-3, n.duration),
                velocity=max(1, min(127, n.velocity)),
            )
            for n in notes[:2000]
        ]
        if infer_role(name, as_notes) == "drums":
            continue
        timed.extend(_timed(notes))
    return timed


def compose_answer(
    ask: LiveAsk,
    material: LiveMaterial,
    language: str = "en",
    style: str | None = None,
    seed: int = 0,
) -> LiveAnswer:
    """The part ``ask`` wants, written on ``material``. AnswerError when there is nothing to
    answer (an empty clip, no chords to follow)."""
    segments = [s for s in segments_of(material, ask.kind) if any(s.notes.values())]
    if not segments:
        raise AnswerError(
            "the clip has no notes" if material.what == "selected_clip" else "no MIDI notes found"
        )
    meter = Meter(*material.signature)
    key_hint = live_key(material)
    all_notes = [t for s in segments for t in harmony_notes(s)]
    heard_all = listen(all_notes, max(s.length for s in segments), meter.bar, key_hint)
    key = heard_all.key or key_hint
    new_clips: list[tuple[Segment, list[Note]]] = []
    follows = []
    last_heard = heard_all
    for index, segment in enumerate(segments):
        if len(segments) == 1:
            heard = heard_all
        else:
            heard = listen(harmony_notes(segment), segment.length, meter.bar, key)
        last_heard = heard
        source = [n for notes in segment.notes.values() for n in notes]
        timed4 = [
            (n.start, n.end, n.pitch, n.velocity) for n in sorted(source, key=lambda n: n.start)
        ]
        if ask.kind == "bass":
            if not heard.chords:
                raise AnswerError("no chords could be heard in the notes read (is it one voice?)")
            notes = answers.bass_for(
                heard, segment.length, material.tempo, meter, style, seed + index
            )
            follows.append(answers.root_follow_ratio(notes, heard.chords))
        elif ask.kind == "drums":
            notes = answers.drums_for(timed4, segment.length, material.tempo, meter, seed + index)
        elif ask.kind == "continue":
            notes = answers.continue_melody(timed4, segment.length, key, seed + index)
        else:
            notes = answers.harmonize(timed4, key, heard.chords)
        if notes:
            new_clips.append((segment, notes))
    if not new_clips:
        raise AnswerError("nothing could be written on this material")
    return _package(
        ask,
        material,
        language,
        segments,
        new_clips,
        key,
        heard_all,
        follows,
        last_heard,
        style,
        seed,
    )


def _package(
    ask, material, language, segments, new_clips, key, heard_all, follows, last_heard, style, seed
) -> LiveAnswer:
    bar = material.beats_per_bar
    role = NEW_ROLE[ask.kind]
    source_name = segments[0].source or (material.tracks[0].name if material.tracks else "")
    template = NEW_NAMES.get(language, NEW_NAMES["en"])[ask.kind]
    name = template.format(source_name or ("Melodía" if language == "es" else "Melody"))[:60]
    session = all(s.slot is not None for s, _n in new_clips)
    if session:
        base = min(s.slot for s, _n in new_clips)
        scenes = max(s.slot for s, _n in new_clips) - base + 1
        sections = [Section(name="", kind="verse", start_bar=i, bars=1) for i in range(scenes)]
        clips = [
            Clip(
                name=name,
                start=0.0,
                length=max(bar / 4, s.length),
                section=s.slot - base,
                notes=notes,
            )
            for s, notes in new_clips
        ]
        options = {"session": True, "arrangement": False, "scene_base": base}
    else:
        sections = [Section(name="", kind="verse", start_bar=0, bars=1)]
        clips = [
            Clip(
                name=name,
                start=s.start or 0.0,
                length=max(bar / 4, s.length),
                section=None,
                notes=notes,
            )
            for s, notes in new_clips
        ]
        options = {"session": False, "arrangement": True}
    end = max(c.start + c.length for c in clips)
    bars = max(1, math.ceil(end / bar - 1e-9))
    title = f"Live {material.tempo:g} BPM" + (f" {key}" if key else "")
    signature = material.signature
    new_track = Track(name=name, role=role, color=ROLE_COLORS[role], clips=clips)
    for_live = Arrangement(
        title=title,
        bpm=material.tempo,
        key=key,
        time_signature=signature,
        bars=bars,
        sections=sections,
        tracks=[new_track],
    )
    project = _project(material, segments, new_track, title, key, style)
    parts = tuple(dict.fromkeys(t.role for t in project.tracks if t.role in _PARTS))
    spec = SongSpec(
        style=style or "pop",
        bpm=material.tempo,
        key=key or "C",
        bars=project.bars,
        time_signature=signature,
        parts=parts or ("bass",),
        seed=seed,
    )
    return LiveAnswer(
        kind=ask.kind,
        for_live=for_live,
        options=options,
        project=project,
        spec=spec,
        heard=last_heard if len(segments) == 1 else heard_all,
        notes_written=sum(len(n) for _s, n in new_clips),
        follow=sum(follows) / len(follows) if follows else None,
        sources=[t.name for t in material.tracks if any(c.notes for c in t.clips)],
    )


_PARTS = {"drums", "bass", "chords", "pads", "lead", "arp", "fx", "vocals"}


def _project(material, segments, new_track, title, key, style) -> Arrangement:
    """The producer's material (each segment as one clip per track) with the new part: what was
    in the set plus what was added, written to disk as the project's version."""
    tracks: list[Track] = []
    for track in material.tracks:
        clips = []
        for segment in segments:
            placed = segment.notes.get(track.name) or []
            notes = [
                Note(
                    pitch=n.pitch,
                    start=round(max(0.0, n.start), 6),
                    duration=round(max(1e-3, min(n.end, segment.length) - max(0.0, n.start)), 6),
                    velocity=max(1, min(127, n.velocity)),
                )
                for n in placed
                if 0 <= n.start < segment.length and min(n.end, segment.length) > n.start
            ]
            if not notes:
                continue
            at = segment.start if segment.start is not None else 0.0
            if segment.slot is not None and material.what != "arrangement":
                at = 0.0
            clips.append(Clip(name=track.name, start=at, length=segment.length, notes=notes))
        if clips:
            role = infer_role(track.name, [n for c in clips for n in c.notes])
            tracks.append(
                Track(
                    name=track.name or "MIDI",
                    role=role,
                    color=ROLE_COLORS.get(role, 0),
                    clips=_no_overlap(clips),
                )
            )
    new_clips = [c.model_copy(update={"section": None}) for c in new_track.clips]
    if segments and segments[0].slot is not None:  # Session answers: lay them out side by side
        new_clips = [c.model_copy(update={"start": 0.0}) for c in new_clips]
    tracks.append(new_track.model_copy(update={"clips": _no_overlap(new_clips)}))
    bar = material.beats_per_bar
    end = max(c.start + c.length for t in tracks for c in t.clips)
    bars = max(1, math.ceil(end / bar - 1e-9))
    return Arrangement(
        title=title,
        style=style,
        bpm=material.tempo,
        key=key,
        time_signature=material.signature,
        bars=bars,
        sections=[Section(name="Live", kind="verse", start_bar=0, bars=bars)],
        tracks=tracks,
    )


def _no_overlap(clips: list[Clip]) -> list[Clip]:
    """Clips of one track one after the other (Session clips read side by side are laid out in
    sequence on the timeline of the project on disk)."""
    ordered = sorted(clips, key=lambda c: c.start)
    result: list[Clip] = []
    at = 0.0
    for clip in ordered:
        start = max(clip.start, at)
        result.append(clip.model_copy(update={"start": start}))
        at = start + clip.length
    return result


def requirements_of(answer: LiveAnswer) -> Requirements:
    """What a version made from Live records as its request."""
    return Requirements(
        intent="modify_project",
        bpm=answer.spec.bpm,
        key=answer.spec.key,
        include=["bass"] if answer.kind == "bass" else [],
    )


def tracks_of(material: LiveMaterial) -> list[LiveTrackMaterial]:
    return [t for t in material.tracks if any(c.notes for c in t.clips)]
