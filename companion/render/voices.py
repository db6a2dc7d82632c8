"""Instruments: which voices a track's notes start, and the sound of each voice.

Modelled on Live's Simpler as MusiaIA writes it (companion/als/devices.py): a note plays the sample
transposed from its root key; its level is the Simpler's Volume scaled by velocity (Vel 35 %); a
classic-mode note follows the amp envelope (attack, decay, sustain while held, release after the
note ends) and repeats its sustain loop while it sounds; a one-shot plays the whole sample
whatever the note length. A new note of the same pitch retriggers (cuts) the voice before it,
pads in one choke group cut each other, and a mono instrument has one voice: legato notes glide
to the new pitch when glide is on, other notes take the voice over.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np

from companion.arrangement import AmpEnvelope, Instrument, SampleFile, SampleLoop, Track
from companion.render.mixer import db_to_gain, pan_gains
from companion.render.samples import SampleStore
from companion.render.timeline import Timeline

VELOCITY_SCALE = 0.35  # Simpler's VolumeVelScale as our writer sets it (Live's default)
KEY_TRACKING = 1.0  # Simpler's filter ModByPitch as our writer sets it: cutoff follows the key
KEY_TRACKING_ROOT = 60  # the key at which the cutoff is the one set (C3)
PAD_NOTE = 60  # a Drum Rack pad plays its Simpler at C3
CUT_FADE_MS = 2.0  # how fast a cut voice fades (a stolen voice clicks without it)
ENVELOPE_FLOOR_DB = -70.0  # Live's envelopes run to -70 dB, then silence
SILENT_BELOW_DB = -40.0  # a held voice this far under its own peak has died
LEVEL_WINDOW_S = 0.010  # sustain gaps are measured in 10 ms windows


@dataclass(frozen=True)
class NoteEvent:
    start: int  # song frame of note-on
    end: int  # song frame of note-off
    pitch: int
    velocity: int


@dataclass
class Voice:
    start: int
    gate: int  # frames held
    pitches: list[tuple[int, float]]  # (frame offset, semitones from the sample's root)
    velocity: int
    sample: SampleFile
    loop: SampleLoop | None
    gains: tuple[float, float]  # left and right (Simpler volume, pad chain fader and pan)
    one_shot: bool
    cut: int | None = None  # song frame where a newer voice takes over


@dataclass
class HeldStats:
    """How long a part's held notes sounded: the sustain-gap measure."""

    notes: int = 0
    held_frames: int = 0
    silent_frames: int = 0
    notes_with_gaps: int = 0

    @property
    def silent_share(self) -> float:
        return self.silent_frames / self.held_frames if self.held_frames else 0.0


@dataclass
class InstrumentOutput:
    audio: np.ndarray  # (2, frames) of the timeline
    voices: int = 0
    held: HeldStats | None = None
    onsets: list[int] = field(default_factory=list)  # song frames of the notes that sounded


def track_notes(track: Track, timeline: Timeline, song_end: float) -> list[NoteEvent]:
    """The notes the arrangement plays: inside their clip (a note is cut at its clip's end)
    and before the song ends, in time order."""
    events = []
    for clip in track.clips:
        clip_end = min(clip.end, song_end)
        for note in clip.notes:
            start = clip.start + note.start
            if note.start >= clip.length or start >= clip_end:
                continue
            end = min(start + note.duration, clip_end)
            first, last = timeline.frame(start), timeline.frame(end)
            events.append(NoteEvent(first, max(first + 1, last), note.pitch, note.velocity))
    events.sort(key=lambda e: (e.start, e.pitch, e.end))
    return events


def velocity_gain(velocity: int) -> float:
    """Simpler's volume at a velocity: full at 127, down by ``VELOCITY_SCALE`` of the level at
    velocity 0 (linear in amplitude; the exact curve of Live is not published)."""
    return 1.0 - VELOCITY_SCALE * (1.0 - velocity / 127.0)


def cutoff_for(instrument: Instrument, semitones_from_c3: float) -> float:
    if instrument.filter_hz >= 20000.0:
        return instrument.filter_hz
    return instrument.filter_hz * 2.0 ** (KEY_TRACKING * semitones_from_c3 / 12.0)


# ----------------------------------------------------------------------------- planning


def _zone(
    instrument: Instrument, pitch: int, velocity: int
) -> tuple[SampleFile, SampleLoop | None] | None:
    """The sample a note plays: on a multi-sample, the chain whose keys and velocities hold it."""
    if instrument.kind == "multi":
        zone = instrument.zone_for(pitch, velocity)
        if zone is None:
            return None
        return zone.sample, None if instrument.one_shot else zone.loop
    assert instrument.sample is not None
    return instrument.sample, None if instrument.one_shot else instrument.loop


def _drum_voices(instrument: Instrument, notes: list[NoteEvent]) -> list[Voice]:
    pads = {pad.note: pad for pad in instrument.pads}
    volume = db_to_gain(instrument.volume_db)
    voices: list[tuple[Voice, int, int]] = []
    for note in notes:
        pad = pads.get(note.pitch)
        if pad is None:
            continue  # no pad on that note: the rack plays nothing
        left, right = pan_gains(pad.pan)
        level = volume * db_to_gain(pad.volume_db)
        voice = Voice(
            start=note.start,
            gate=note.end - note.start,
            pitches=[(0, float(PAD_NOTE + pad.transpose - pad.sample.root_note))],
            velocity=note.velocity,
            sample=pad.sample,
            loop=None,
            gains=(level * left, level * right),
            one_shot=True,
        )
        voices.append((voice, pad.note, pad.choke_group))
    last_by_pad: dict[int, Voice] = {}
    last_by_group: dict[int, Voice] = {}
    for voice, note, group in voices:
        for previous in (last_by_pad.get(note), last_by_group.get(group) if group else None):
            if previous is not None and previous.cut is None and previous is not voice:
                previous.cut = voice.start
        last_by_pad[note] = voice
        if group:
            last_by_group[group] = voice
    return [voice for voice, _, _ in voices]


def _note_voice(instrument: Instrument, note: NoteEvent, volume: float) -> Voice | None:
    """The voice a note starts on a Simpler or a multi-sample (None: no zone holds its key)."""
    zone = _zone(instrument, note.pitch, note.velocity)
    if zone is None:
        return None
    sample, loop = zone
    return Voice(
        start=note.start,
        gate=note.end - note.start,
        pitches=[(0, float(note.pitch - sample.root_note))],
        velocity=note.velocity,
        sample=sample,
        loop=loop,
        gains=(volume, volume),
        one_shot=instrument.one_shot,
    )


def _poly_voices(instrument: Instrument, notes: list[NoteEvent]) -> list[Voice]:
    volume = db_to_gain(instrument.volume_db)
    voices = []
    last_by_pitch: dict[int, Voice] = {}
    for note in notes:
        voice = _note_voice(instrument, note, volume)
        if voice is None:
            continue
        previous = last_by_pitch.get(note.pitch)
        if previous is not None and previous.cut is None:
            previous.cut = voice.start  # Simpler retriggers a repeated note
        last_by_pitch[note.pitch] = voice
        voices.append(voice)
    return voices


def _mono_voices(instrument: Instrument, notes: list[NoteEvent]) -> list[Voice]:
    volume = db_to_gain(instrument.volume_db)
    voices: list[Voice] = []
    current: Voice | None = None
    end = 0
    for note in sorted(notes, key=lambda e: (e.start, -e.pitch)):
        if current is not None and note.start < end and instrument.glide_ms > 0:
            # Legato with glide: the voice carries on and slides to the new note.
            root = current.sample.root_note
            current.pitches.append((note.start - current.start, float(note.pitch - root)))
            current.gate = max(current.gate, note.end - current.start)
            end = max(end, note.end)
            continue
        voice = _note_voice(instrument, note, volume)
        if voice is None:
            continue
        if current is not None:
            current.cut = note.start  # one voice: the new note takes it over
            current.gate = min(current.gate, note.start - current.start)
        current = voice
        end = note.end
        voices.append(current)
    return voices


def plan_voices(instrument: Instrument, notes: list[NoteEvent]) -> list[Voice]:
    if instrument.kind == "drum_rack":
        return _drum_voices(instrument, notes)
    if instrument.mono:
        return _mono_voices(instrument, notes)
    return _poly_voices(instrument, notes)


# ----------------------------------------------------------------------------- sound


def _fall(start_level: float, frames: int, duration: int) -> np.ndarray:
    """An exponential fall (straight in dB, Live's slope 1) from ``start_level`` by 70 dB over
    ``duration`` frames, for ``frames`` frames."""
    steps = np.arange(frames, dtype=np.float32) / np.float32(duration)
    out = start_level * np.exp2(np.float32(ENVELOPE_FLOOR_DB / 6.0206) * steps)
    out[steps >= 1.0] = 0.0
    return out


def amp_envelope(envelope: AmpEnvelope, gate: int, frames: int, timeline: Timeline) -> np.ndarray:
    """Simpler's amp envelope for a note held ``gate`` frames, ``frames`` long in all:
    linear attack, exponential decay to the sustain level, exponential release."""
    attack = timeline.ms(envelope.attack_ms)
    decay = timeline.ms(envelope.decay_ms)
    release = timeline.ms(envelope.release_ms)
    sustain = envelope.sustain
    out = np.empty(frames, dtype=np.float32)
    held = min(gate, frames)
    a = min(attack, held)
    out[:a] = np.arange(a, dtype=np.float32) / np.float32(attack)
    d = min(decay, held - a)
    if d > 0:
        sustain_db = 20.0 * np.log10(sustain) if sustain > 0 else ENVELOPE_FLOOR_DB
        steps = np.arange(d, dtype=np.float32) / np.float32(decay)
        falling = np.exp2(np.float32(sustain_db / 6.0206) * steps)
        out[a : a + d] = np.maximum(falling, sustain) if sustain > 0 else falling
    out[a + d : held] = sustain
    if held < frames:
        if held < attack:
            level = held / attack
        elif held < attack + decay:
            level = float(out[held - 1])
        else:
            level = sustain
        out[held:] = _fall(level, frames - held, release)
    return out


def _voice_audio(
    voice: Voice, instrument: Instrument, store: SampleStore, timeline: Timeline
) -> np.ndarray | None:
    """The voice's sound before its gains: sample, pitch, filter, envelope and cuts."""
    release = timeline.ms(instrument.envelope.release_ms)
    root_offset = voice.sample.root_note - KEY_TRACKING_ROOT
    if len(voice.pitches) == 1:
        semitones = voice.pitches[0][1]
        cutoff = cutoff_for(instrument, semitones + root_offset)
        stream = store.stream(voice.sample, semitones, voice.loop, cutoff)
        if stream is None:
            return None
        natural = stream.length
        wanted = natural if voice.one_shot else voice.gate + release
        if natural is not None:
            wanted = min(wanted if wanted is not None else natural, natural)
        assert wanted is not None
        if voice.cut is not None:
            wanted = min(wanted, voice.cut - voice.start + timeline.ms(CUT_FADE_MS))
        audio = stream.get(max(1, wanted))
    else:
        wanted = voice.gate + release
        if voice.cut is not None:
            wanted = min(wanted, voice.cut - voice.start + timeline.ms(CUT_FADE_MS))
        curve = _pitch_curve(voice.pitches, wanted, timeline.ms(instrument.glide_ms))
        cutoff = cutoff_for(instrument, voice.pitches[0][1] + root_offset)
        audio = store.glide(voice.sample, curve, voice.loop, cutoff)
        if audio is None:
            return None
    frames = audio.shape[1]
    if frames == 0:
        return None
    if not voice.one_shot:
        audio = audio * amp_envelope(instrument.envelope, voice.gate, frames, timeline)
    if voice.cut is not None and voice.start + frames > voice.cut:
        fade_from = max(0, voice.cut - voice.start)
        if voice.one_shot:
            audio = audio.copy()
        length = frames - fade_from
        audio[:, fade_from:] *= np.linspace(1.0, 0.0, length, dtype=np.float32)
    return audio


def _pitch_curve(pitches: list[tuple[int, float]], frames: int, glide: int) -> np.ndarray:
    """Semitones per frame: each legato note slides from the pitch before it over ``glide``."""
    curve = np.empty(frames, dtype=np.float64)
    for index, (offset, semitones) in enumerate(pitches):
        if offset >= frames:
            break
        stop = pitches[index + 1][0] if index + 1 < len(pitches) else frames
        stop = min(stop, frames)
        curve[offset:stop] = semitones
        if index:
            previous = pitches[index - 1][1]
            slide = min(glide, stop - offset)
            curve[offset : offset + slide] = previous + (semitones - previous) * (
                np.arange(1, slide + 1) / glide
            )
    return curve


def _held_silence(audio: np.ndarray, gate: int, timeline: Timeline) -> tuple[int, int]:
    """(held frames, held frames after the voice first sounded where it was more than
    SILENT_BELOW_DB under its own peak): the time a note is held but no longer heard. A slow
    swell at the start of a note is not a gap."""
    if gate <= 0:
        return 0, 0
    window = max(1, round(LEVEL_WINDOW_S * timeline.sample_rate))
    level = np.abs(audio).max(axis=0)
    peak = float(level.max()) if level.size else 0.0
    if peak == 0.0:
        return gate, gate
    windows = -(-gate // window)
    held = np.zeros(windows * window, dtype=np.float32)
    length = min(gate, level.size)
    held[:length] = level[:length]
    loud = held.reshape(windows, window).max(axis=1)
    quiet = loud < peak * 10.0 ** (SILENT_BELOW_DB / 20.0)
    sounded = int(np.argmin(quiet))  # the first window that is heard
    silent = int(np.count_nonzero(quiet[sounded:])) * window
    if quiet[-1]:
        silent -= windows * window - gate  # the last window is only partly held
    return gate, max(0, silent)


def _sustains(instrument: Instrument) -> bool:
    """A part whose notes should sound while held (not drums, one-shots or plucks by design)."""
    return (
        instrument.kind != "drum_rack"
        and not instrument.one_shot
        and instrument.envelope.sustain > 0.0
    )


def _windowed(voices: list[Voice], timeline: Timeline, longest: int) -> Iterator[Voice]:
    for voice in voices:
        if voice.start < timeline.end and voice.start + longest > timeline.start:
            yield voice


def play_instrument(
    track: Track,
    instrument: Instrument,
    store: SampleStore,
    timeline: Timeline,
    song_end: float,
    measure: bool = False,
    measure_from: int = 0,
) -> InstrumentOutput:
    """The instrument's output on the timeline (stereo, before the track's effects)."""
    out = np.zeros((2, timeline.frames), dtype=np.float32)
    notes = track_notes(track, timeline, song_end)
    voices = plan_voices(instrument, notes)
    held = HeldStats() if measure and _sustains(instrument) else None
    # A voice can start before the window and still sound in it (a held pad, a long crash).
    longest = 60 * timeline.sample_rate
    result = InstrumentOutput(out, held=held)
    for voice in _windowed(voices, timeline, longest):
        audio = _voice_audio(voice, instrument, store, timeline)
        if audio is None:
            continue
        result.voices += 1
        result.onsets.append(voice.start)
        gain = velocity_gain(voice.velocity)
        gains = np.array(voice.gains, dtype=np.float32)[:, None] * np.float32(gain)
        if held is not None and voice.start >= measure_from:
            held_frames, silent = _held_silence(audio, voice.gate, timeline)
            held.notes += 1
            held.held_frames += held_frames
            held.silent_frames += silent
            held.notes_with_gaps += silent > 0
        first = voice.start - timeline.start
        skip = max(0, -first)
        begin = first + skip
        stop = min(timeline.frames, first + audio.shape[1])
        if stop <= begin:
            continue
        out[:, begin:stop] += audio[:, skip : skip + stop - begin] * gains
    return result
