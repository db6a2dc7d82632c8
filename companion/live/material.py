"""What the producer already has in Live, as the Remote Script read it: tracks, their device
names, clips and notes in each clip's own time. Validated like everything Live sends, and laid
out on the song's timeline here (pure functions, no I/O).

A clip keeps Live's own frame: note times are clip beats; a Session clip plays its loop
(``loop_start``…``loop_end``) or its markers; an Arrangement clip sits at ``start_time`` and plays
from ``start_marker``, wrapping at ``loop_end`` back to ``loop_start`` while looping.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

MAX_NOTES = 20_000
MAX_TRACKS = 1000
MAX_CLIPS = 512
_Name = Annotated[str, Field(max_length=256)]
_Time = Annotated[float, Field(ge=-1e7, le=1e7, allow_inf_nan=False)]
RawNote = tuple[
    Annotated[int, Field(ge=0, le=127)],
    _Time,
    Annotated[float, Field(gt=0, le=1e7, allow_inf_nan=False)],
    Annotated[int, Field(ge=0, le=127)],
    bool,
]
EPSILON = 1e-6


class Placed(BaseModel):
    """A note on the song's (or the clip's) timeline: start and end in beats."""

    model_config = ConfigDict(frozen=True)

    start: float
    end: float
    pitch: int
    velocity: int

    @property
    def duration(self) -> float:
        return self.end - self.start


class LiveDevice(BaseModel):
    model_config = ConfigDict(extra="ignore")

    name: _Name = ""
    class_name: _Name = ""


class LiveClip(BaseModel):
    model_config = ConfigDict(extra="ignore")

    name: _Name = ""
    arrangement: bool = False
    looping: bool = False
    loop_start: _Time = 0.0
    loop_end: _Time = 0.0
    start_marker: _Time = 0.0
    end_marker: _Time = 0.0
    length: _Time = 0.0
    start_time: _Time | None = None
    end_time: _Time | None = None
    midi: bool = True
    slot: Annotated[int, Field(ge=0, le=100_000)] | None = None
    notes: list[RawNote] = Field(default_factory=list, max_length=MAX_NOTES)

    def played(self) -> list[Placed]:
        """The notes as they sound, from the clip's own start (a Session clip: one pass)."""
        if self.arrangement and self.start_time is not None and self.end_time is not None:
            return [
                Placed(
                    start=n.start - self.start_time,
                    end=n.end - self.start_time,
                    pitch=n.pitch,
                    velocity=n.velocity,
                )
                for n in self.on_song()
            ]
        if self.looping:
            begin, end = self.loop_start, self.loop_end
        else:
            begin, end = self.start_marker, self.end_marker
        return _segment(self.notes, begin, end, 0.0)

    @property
    def span(self) -> float:
        """How long one pass of the clip sounds, in beats."""
        if self.arrangement and self.start_time is not None and self.end_time is not None:
            return max(0.0, self.end_time - self.start_time)
        if self.looping:
            return max(0.0, self.loop_end - self.loop_start)
        return max(0.0, self.end_marker - self.start_marker)

    def on_song(self) -> list[Placed]:
        """An Arrangement clip's notes at their song positions (loops unrolled, cut at its
        end); a Session clip's notes from 0."""
        if not (self.arrangement and self.start_time is not None and self.end_time is not None):
            return self.played()
        end_time = self.end_time
        if not self.looping:
            return _segment(
                self.notes,
                self.start_marker,
                self.start_marker + end_time - self.start_time,
                self.start_time,
            )
        placed: list[Placed] = []
        size = self.loop_end - self.loop_start
        at = self.start_time
        begin = self.start_marker
        guard = 0
        while at < end_time - EPSILON and guard < 10_000:
            stop = min(self.loop_end, begin + end_time - at)
            placed.extend(_segment(self.notes, begin, stop, at))
            at += self.loop_end - begin
            begin = self.loop_start
            guard += 1
            if size <= EPSILON:
                break
        return placed


def _segment(notes: list[RawNote], begin: float, end: float, at: float) -> list[Placed]:
    """Unmuted notes starting in [begin, end), moved so ``begin`` lands on ``at``, cut at end."""
    found = []
    for pitch, start, duration, velocity, mute in notes:
        if mute or not begin - EPSILON <= start < end - EPSILON:
            continue
        stop = min(start + duration, end)
        found.append(
            Placed(
                start=at + start - begin,
                end=at + stop - begin,
                pitch=pitch,
                velocity=max(1, velocity),
            )
        )
    found.sort(key=lambda n: (n.start, n.pitch))
    return found


class LiveTrackMaterial(BaseModel):
    model_config = ConfigDict(extra="ignore")

    index: Annotated[int, Field(ge=-1, le=MAX_TRACKS)]
    name: _Name = ""
    type: Literal["midi", "audio", "group", "unknown"] = "unknown"
    devices: list[LiveDevice] = Field(default_factory=list, max_length=256)
    clips: list[LiveClip] = Field(default_factory=list, max_length=MAX_CLIPS)

    def song_notes(self) -> list[Placed]:
        """Every Arrangement clip's notes on the song timeline."""
        notes = [n for clip in self.clips if clip.arrangement for n in clip.on_song()]
        notes.sort(key=lambda n: (n.start, n.pitch))
        return notes


class Selection(BaseModel):
    model_config = ConfigDict(extra="ignore")

    track: Annotated[int, Field(ge=-1, le=MAX_TRACKS)] = -1
    slot: Annotated[int, Field(ge=0, le=100_000)] | None = None


class LiveMaterial(BaseModel):
    """One read: what was asked, the set's tempo, meter and scale, and the tracks read."""

    model_config = ConfigDict(extra="ignore")

    what: Literal["selected_clip", "track", "arrangement"]
    tempo: Annotated[float, Field(ge=20, le=999, allow_inf_nan=False)]
    signature: tuple[Annotated[int, Field(ge=1, le=99)], Literal[1, 2, 4, 8, 16]] = (4, 4)
    root_note: Annotated[int, Field(ge=0, le=11)] = 0
    scale_name: _Name = ""
    region: tuple[_Time | None, _Time | None] = (None, None)
    tracks: list[LiveTrackMaterial] = Field(default_factory=list, max_length=MAX_TRACKS)
    selected: Selection | None = None
    truncated: bool = False

    @property
    def note_count(self) -> int:
        return sum(len(c.notes) for t in self.tracks for c in t.clips)

    @property
    def beats_per_bar(self) -> float:
        numerator, denominator = self.signature
        return numerator * 4.0 / denominator

    def selected_clip(self) -> tuple[LiveTrackMaterial, LiveClip] | None:
        """The clip the producer had selected (a ``selected_clip`` read)."""
        if self.what != "selected_clip" or not self.tracks or not self.tracks[0].clips:
            return None
        return self.tracks[0], self.tracks[0].clips[0]
