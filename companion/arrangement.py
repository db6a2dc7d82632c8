"""The arrangement: a pure data model of a song, independent of any file format.

Everything downstream reads this: the .als and .mid writers, the Remote Script loader, the web panel
and the analyzer. Times are in beats (quarter notes, Live's unit) so no writer has to know the tempo
to place a note. Clip note times are relative to the clip start, as in Live.
"""

from __future__ import annotations

from itertools import pairwise
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from companion.device_params import (
    DEVICE_PARAMS,
    MIXER_TARGETS,
    SEND_RANGE,
    DeviceKind,
    ParamSpec,
    check_params,
    param_spec,
)
from companion.music.theory import Key, bar_beats, parse_key

Role = Literal["drums", "bass", "chords", "pads", "lead", "arp", "fx", "vocals", "other"]
SectionKind = Literal[
    "intro", "verse", "pre-chorus", "chorus", "build", "drop", "breakdown", "bridge", "outro"
]

# General MIDI drum map, as on a Drum Rack's default pads.
DRUM_MAP: dict[str, int] = {
    "kick": 36,
    "rim": 37,
    "snare": 38,
    "clap": 39,
    "snare2": 40,
    "tom_low": 41,
    "closed_hat": 42,
    "tom_mid": 45,
    "pedal_hat": 44,
    "open_hat": 46,
    "tom_high": 48,
    "crash": 49,
    "ride": 51,
    "tambourine": 54,
    "cowbell": 56,
    "shaker": 70,
    "conga_high": 62,
    "conga_low": 64,
    "bongo_high": 60,
    "bongo_low": 61,
    "clave": 75,
}

TIME_DECIMALS = 6  # beats are rounded so that float noise never changes output bytes
VALUE_DECIMALS = 6  # production values too: a set read back gives the same arrangement


def round_value(value: float) -> float:
    """A production value (dB, Hz, amount) as the model keeps it: finer steps than anyone hears,
    coarse enough that converting to Live's scales and back gives the same number."""
    return round(value, VALUE_DECIMALS) + 0.0


_Beats = Annotated[float, Field(ge=0)]


class Note(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    pitch: Annotated[int, Field(ge=0, le=127)]
    start: _Beats
    duration: Annotated[float, Field(gt=0)]
    velocity: Annotated[int, Field(ge=1, le=127)]


class Envelope(BaseModel):
    """Automation of one parameter: breakpoints (time in beats, value in the target's units, see
    companion.device_params) joined by straight lines, as Live draws them; the value holds before
    the first point and after the last.

    ``target`` is ``"volume"`` (dB), ``"pan"`` (-1..1), ``"send:<i>"`` (dB, return ``i``) or
    ``"device:<i>:<param>"`` (parameter of the owner's ``i``-th device). On a track the times are
    song beats (arrangement automation); on a clip they are clip beats (a clip envelope).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    target: str
    points: list[tuple[_Beats, float]] = Field(min_length=1)

    @model_validator(mode="after")
    def _sorted(self) -> Envelope:
        self.points[:] = [(round_beats(t), round_value(v)) for t, v in self.points]
        times = [time for time, _ in self.points]
        if times != sorted(times):
            raise ValueError(f"envelope {self.target!r}: points must be in time order")
        return self

    def value_at(self, time: float) -> float:
        """The envelope's value at ``time`` (linear between points)."""
        points = self.points
        if time <= points[0][0]:
            return points[0][1]
        for (t0, v0), (t1, v1) in pairwise(points):
            if time <= t1:
                return v0 if t1 == t0 else v0 + (v1 - v0) * (time - t0) / (t1 - t0)
        return points[-1][1]


class Clip(BaseModel):
    """A MIDI clip placed at ``start`` (beats from the song start) in the arrangement.

    The same clip fills the section's scene slot in the session view.
    """

    model_config = ConfigDict(extra="forbid")

    name: str
    start: _Beats
    length: Annotated[float, Field(gt=0)]
    section: int | None = None  # index into Arrangement.sections
    notes: list[Note] = Field(default_factory=list)
    envelopes: list[Envelope] = Field(default_factory=list)  # clip envelopes (clip beats)

    @model_validator(mode="after")
    def _canonical_order(self) -> Clip:
        # One order for notes everywhere (time, then pitch) so equal clips compare and serialize
        # equal no matter how they were built or read back.
        self.notes.sort(key=lambda n: (n.start, n.pitch, n.duration, n.velocity))
        return self

    @property
    def end(self) -> float:
        return self.start + self.length


class SampleFile(BaseModel):
    """A sample an instrument plays, kept inside the project folder (as Live's "Collect All and
    Save" does) so the folder can be moved or shared."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    path: str  # relative to the project folder, POSIX separators: "Samples/Imported/Kick.wav"
    frames: Annotated[int, Field(ge=1)]
    sample_rate: Annotated[int, Field(ge=1, le=768000)]
    root_note: Annotated[int, Field(ge=0, le=127)] = 60
    size: Annotated[int, Field(ge=0)] = 0
    crc: Annotated[int, Field(ge=0, le=0xFFFF)] = 0  # CRC-16 of the first 16 KiB, as FileRef has
    mtime: Annotated[int, Field(ge=0)] = 0  # seconds, Live's LastModDate

    @model_validator(mode="after")
    def _inside_project(self) -> SampleFile:
        parts = self.path.split("/")
        if self.path.startswith("/") or "\\" in self.path or ".." in parts or ":" in parts[0]:
            raise ValueError(f"sample path must be relative to the project: {self.path!r}")
        return self

    @property
    def name(self) -> str:
        return self.path.rsplit("/", 1)[-1].rsplit(".", 1)[0]


_Db = Annotated[float, Field(ge=-70, le=6)]  # a level in dB; -70 is Live's -inf
_Pan = Annotated[float, Field(ge=-1, le=1)]


class SampleLoop(BaseModel):
    """A sustain loop (sample frames, end exclusive) that Simpler repeats while a note is held,
    so a long note never outlasts its sample. Ends sit on zero crossings; ``crossfade`` frames
    smooth the seam."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    start: Annotated[int, Field(ge=0)]
    end: Annotated[int, Field(ge=1)]
    crossfade: Annotated[int, Field(ge=0)] = 0

    @model_validator(mode="after")
    def _ordered(self) -> SampleLoop:
        if self.end <= self.start:
            raise ValueError("a sample loop ends after it starts")
        if self.crossfade > self.end - self.start:
            raise ValueError("a loop crossfade cannot be longer than the loop")
        return self


class AmpEnvelope(BaseModel):
    """Simpler's volume envelope (the defaults are what MusiaIA has always written: full level
    while held, a 300 ms release)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    attack_ms: Annotated[float, Field(ge=0.1, le=20000)] = 0.1000000015
    decay_ms: Annotated[float, Field(ge=1, le=60000)] = 1.0
    sustain: Annotated[float, Field(ge=0, le=1)] = 1.0  # linear level while held
    release_ms: Annotated[float, Field(ge=1, le=60000)] = 300.0


class KeyZone(BaseModel):
    """One sample of a multi-sampled instrument and the keys and velocities it plays (an
    Instrument Rack chain holding a Simpler), so no note is pitched far from a recorded root and
    a hard-struck note plays the hard-struck sample."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    low: Annotated[int, Field(ge=0, le=127)]
    high: Annotated[int, Field(ge=0, le=127)]
    sample: SampleFile
    loop: SampleLoop | None = None
    velocity_low: Annotated[int, Field(ge=1, le=127)] = 1
    velocity_high: Annotated[int, Field(ge=1, le=127)] = 127

    @model_validator(mode="after")
    def _range(self) -> KeyZone:
        if self.high < self.low:
            raise ValueError("a key zone's high key is below its low key")
        if self.velocity_high < self.velocity_low:
            raise ValueError("a key zone's high velocity is below its low velocity")
        if self.loop is not None and self.loop.end > self.sample.frames:
            raise ValueError("a sample loop must lie inside its sample")
        return self


class DrumPad(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    note: Annotated[int, Field(ge=0, le=127)]
    name: str
    sample: SampleFile
    choke_group: Annotated[int, Field(ge=0, le=16)] = 0  # open and closed hats choke each other
    volume_db: _Db = 0.0  # the pad chain's own fader
    pan: _Pan = 0.0
    transpose: Annotated[int, Field(ge=-48, le=48)] = 0  # semitones (a kick tuned to the key)


class Instrument(BaseModel):
    """The sound source on a track: a Drum Rack of Simplers, one Simpler, or a multi-sampled
    instrument (an Instrument Rack of Simplers, one per key zone)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: Literal["drum_rack", "simpler", "multi"]
    name: str
    pads: list[DrumPad] = Field(default_factory=list)
    sample: SampleFile | None = None
    one_shot: bool = False  # Simpler plays the whole sample whatever the note length
    loop: SampleLoop | None = None  # the Simpler's sustain loop (kind "simpler")
    zones: list[KeyZone] = Field(default_factory=list)  # kind "multi", in key order
    envelope: AmpEnvelope = AmpEnvelope()
    volume_db: Annotated[float, Field(ge=-36, le=36)] = -6.0  # Simpler's Volume
    glide_ms: Annotated[float, Field(ge=0, le=2000)] = 0.0  # portamento; 0 = off
    mono: bool = False  # one voice (808s and acid lines slide instead of stacking)
    filter_hz: Annotated[float, Field(ge=30, le=22000)] = 22000.0  # Simpler's low-pass

    @model_validator(mode="after")
    def _consistent(self) -> Instrument:
        if self.kind == "simpler" and self.sample is None:
            raise ValueError("a Simpler needs a sample")
        if self.kind == "drum_rack" and len({p.note for p in self.pads}) != len(self.pads):
            raise ValueError("drum pads must have distinct notes")
        if self.kind == "multi":
            if not self.zones:
                raise ValueError("a multi-sampled instrument needs key zones")
            order = [(z.low, z.velocity_low) for z in self.zones]
            if order != sorted(order):
                raise ValueError("key zones must be in key order (then velocity order)")
            for index, zone in enumerate(self.zones):
                for other in self.zones[index + 1 :]:
                    if other.low > zone.high:
                        break
                    if (
                        zone.velocity_low <= other.velocity_high
                        and other.velocity_low <= zone.velocity_high
                    ):
                        raise ValueError("key zones must not overlap in both keys and velocity")
        if self.loop is not None:
            if self.sample is None or self.loop.end > self.sample.frames:
                raise ValueError("a sample loop must lie inside its sample")
        self.pads.sort(key=lambda pad: pad.note)  # one order, as Live lists pads
        return self

    def zone_for(self, pitch: int, velocity: int) -> KeyZone | None:
        """The zone a note plays on a multi-sampled instrument, as the rack's key and velocity
        ranges choose it (None: no chain plays it)."""
        velocity = min(127, max(1, velocity))
        for zone in self.zones:
            if zone.low <= pitch <= zone.high:
                if zone.velocity_low <= velocity <= zone.velocity_high:
                    return zone
        return None

    def samples(self) -> list[SampleFile]:
        """Every sample the instrument plays."""
        found = [pad.sample for pad in self.pads] + [zone.sample for zone in self.zones]
        return found + ([self.sample] if self.sample is not None else [])


class Device(BaseModel):
    """An audio effect on a track, a return or the main track (see companion.device_params for
    the kinds and their parameters, in musical units). ``sidechain`` names the track whose
    signal keys a compressor (the kick, for pumping)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: DeviceKind
    params: dict[str, float] = Field(default_factory=dict)
    on: bool = True
    name: str = ""  # shown in Live's title bar; "" = the device's own name
    sidechain: str | None = None

    @model_validator(mode="after")
    def _known(self) -> Device:
        for name, value in list(self.params.items()):
            low, high, default, _ = param_spec(self.kind, name)
            if not low <= value <= high:
                raise ValueError(f"{self.kind}.{name}={value} is outside {low}..{high}")
            # One form for equal devices: values rounded, defaults left implicit.
            if round_value(value) == default:
                del self.params[name]
            else:
                self.params[name] = round_value(value)
        check_params(self.kind, self.params)
        if self.sidechain is not None and self.kind != "compressor":
            raise ValueError("only a compressor takes a sidechain here")
        return self

    def param(self, name: str) -> float:
        """The parameter's value, or its default when the device leaves it unset."""
        return self.params.get(name, param_spec(self.kind, name)[2])


class Mix(BaseModel):
    """A channel's mixer: fader, pan and one send per return track (in Arrangement.returns
    order; missing sends are off)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    volume_db: _Db = 0.0
    pan: _Pan = 0.0
    sends: tuple[Annotated[float, Field(ge=-70, le=0)], ...] = ()

    @field_validator("volume_db", "pan")
    @classmethod
    def _rounded(cls, value: float) -> float:
        return round_value(value)

    @field_validator("sends")
    @classmethod
    def _canonical_sends(cls, sends: tuple[float, ...]) -> tuple[float, ...]:
        """Rounded, without trailing sends that are off (missing sends are off)."""
        kept = [round_value(level) for level in sends]
        while kept and kept[-1] <= SEND_RANGE[0]:
            kept.pop()
        return tuple(kept)

    def send_db(self, index: int) -> float:
        return self.sends[index] if index < len(self.sends) else SEND_RANGE[0]


def target_spec(target: str, devices: list[Device], returns: int) -> ParamSpec:
    """The range of an envelope target on a channel with ``devices`` and ``returns`` sends;
    ValueError when the target does not exist there."""
    if target in MIXER_TARGETS:
        return MIXER_TARGETS[target]
    kind, _, rest = target.partition(":")
    if kind == "send" and rest.isdigit() and int(rest) < returns:
        return SEND_RANGE
    if kind == "device":
        index, _, name = rest.partition(":")
        if index.isdigit() and int(index) < len(devices):
            device = devices[int(index)]
            if name in DEVICE_PARAMS[device.kind]:
                return DEVICE_PARAMS[device.kind][name]
    raise ValueError(f"envelope target {target!r} does not exist on this channel")


def _check_envelopes(envelopes: list[Envelope], devices: list[Device], returns: int) -> None:
    seen = set()
    for envelope in envelopes:
        low, high, _, _ = target_spec(envelope.target, devices, returns)
        if envelope.target in seen:
            raise ValueError(f"two envelopes for {envelope.target!r}")
        seen.add(envelope.target)
        for _, value in envelope.points:
            if not low <= value <= high:
                raise ValueError(f"{envelope.target} value {value} is outside {low}..{high}")


WarpMode = Literal["beats", "tones", "texture", "repitch", "complex", "complex_pro"]


class AudioLoop(BaseModel):
    """The loop an audio track plays, warped so that it follows the song's tempo.

    ``beats`` is the file's length in song beats: its warp markers map the file's end there, so
    Live stretches it to whatever tempo the set has (a 62 BPM loop in a 124 BPM song counts double).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    sample: SampleFile
    beats: Annotated[float, Field(gt=0, le=4096)]
    bpm: Annotated[float, Field(ge=20, le=999)]  # the tempo the file was made at
    warp_mode: WarpMode = "beats"


class Track(BaseModel):
    """A MIDI track (notes, optionally an instrument) or, with ``audio``, an audio track whose
    clips each play the loop from its start, repeating, for the clip's length."""

    model_config = ConfigDict(extra="forbid")

    name: str
    role: Role  # for an audio track: the part it layers (a drum loop is "drums")
    color: Annotated[int, Field(ge=0, le=69)]  # Live palette index
    clips: list[Clip] = Field(default_factory=list)
    instrument: Instrument | None = None
    audio: AudioLoop | None = None
    mix: Mix = Mix()
    devices: list[Device] = Field(default_factory=list)  # effects after the instrument, in order
    automation: list[Envelope] = Field(default_factory=list)  # arrangement envelopes (song beats)

    @model_validator(mode="after")
    def _audio_or_midi(self) -> Track:
        if self.audio is not None:
            if self.instrument is not None:
                raise ValueError("an audio track has no instrument")
            if any(clip.notes for clip in self.clips):
                raise ValueError("an audio track's clips have no notes")
        return self

    @property
    def is_audio(self) -> bool:
        return self.audio is not None

    @property
    def note_count(self) -> int:
        return sum(len(clip.notes) for clip in self.clips)


class ReturnTrack(BaseModel):
    """A return track: effects every channel can send to (a reverb, a delay)."""

    model_config = ConfigDict(extra="forbid")

    name: str
    color: Annotated[int, Field(ge=0, le=69)] = 0
    devices: list[Device] = Field(default_factory=list)
    mix: Mix = Mix()
    automation: list[Envelope] = Field(default_factory=list)


class MainBus(BaseModel):
    """The Main (Master) track: its effects (a limiter last), fader and automation."""

    model_config = ConfigDict(extra="forbid")

    devices: list[Device] = Field(default_factory=list)
    volume_db: _Db = 0.0
    automation: list[Envelope] = Field(default_factory=list)

    @field_validator("volume_db")
    @classmethod
    def _rounded(cls, value: float) -> float:
        return round_value(value)


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    kind: SectionKind
    start_bar: Annotated[int, Field(ge=0)]
    bars: Annotated[int, Field(ge=1)]
    energy: Annotated[float, Field(ge=0, le=1)] = 0.5


class ChordEvent(BaseModel):
    """One chord of the progression, as the engine meant it (for display and analysis)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    start: _Beats
    duration: Annotated[float, Field(gt=0)]
    root: Annotated[int, Field(ge=0, le=11)]
    quality: str  # "min", "maj", "min7", ...
    symbol: str  # "Am7"


class Arrangement(BaseModel):
    """A whole song: tempo, key, meter, sections and tracks of clips."""

    model_config = ConfigDict(extra="forbid")

    title: str
    style: str | None = None
    mood: str | None = None
    bpm: Annotated[float, Field(ge=20, le=999)]
    key: str | None = None
    time_signature: tuple[int, int] = (4, 4)
    bars: Annotated[int, Field(ge=1)]
    seed: int | None = None
    sections: list[Section] = Field(default_factory=list)
    tracks: list[Track] = Field(default_factory=list)
    chords: list[ChordEvent] = Field(default_factory=list)
    returns: list[ReturnTrack] = Field(default_factory=list)
    main: MainBus = MainBus()

    @model_validator(mode="after")
    def _check_key(self) -> Arrangement:
        if self.key is not None:
            parse_key(self.key)
        return self

    @model_validator(mode="after")
    def _check_production(self) -> Arrangement:
        """Sends, sidechains and envelopes must point at something that exists."""
        returns = len(self.returns)
        names = {track.name for track in self.tracks}
        channels: list[tuple[str, Mix | None, list[Device], list[Envelope]]] = [
            (t.name, t.mix, t.devices, t.automation) for t in self.tracks
        ]
        channels += [(r.name, r.mix, r.devices, r.automation) for r in self.returns]
        channels.append(("Main", None, self.main.devices, self.main.automation))
        for name, mix, devices, automation in channels:
            if mix is not None and len(mix.sends) > returns:
                raise ValueError(f"{name!r} has {len(mix.sends)} sends but {returns} returns")
            for device in devices:
                if device.sidechain is not None and device.sidechain not in names:
                    raise ValueError(f"{name!r}: sidechain source {device.sidechain!r} is no track")
            try:
                _check_envelopes(automation, devices, returns if mix is not None else 0)
            except ValueError as exc:
                raise ValueError(f"{name!r}: {exc}") from None
        for track in self.tracks:
            for clip in track.clips:
                try:
                    _check_envelopes(clip.envelopes, track.devices, returns)
                except ValueError as exc:
                    raise ValueError(f"{track.name!r} clip {clip.name!r}: {exc}") from None
        return self

    @property
    def beats_per_bar(self) -> float:
        return bar_beats(*self.time_signature)

    @property
    def length_beats(self) -> float:
        return self.bars * self.beats_per_bar

    @property
    def key_info(self) -> Key | None:
        return parse_key(self.key) if self.key else None

    @property
    def note_count(self) -> int:
        return sum(track.note_count for track in self.tracks)

    def section_start_beat(self, section: Section) -> float:
        return section.start_bar * self.beats_per_bar

    def summary(self) -> str:
        numerator, denominator = self.time_signature
        bpm = int(self.bpm) if float(self.bpm).is_integer() else self.bpm
        return (
            f"style={self.style or '-'} bpm={bpm} key={self.key or '-'} "
            f"time={numerator}/{denominator} bars={self.bars} tracks={len(self.tracks)} "
            f"notes={self.note_count}"
        )


def round_beats(value: float) -> float:
    return round(value, TIME_DECIMALS) + 0.0  # + 0.0 turns -0.0 into 0.0
