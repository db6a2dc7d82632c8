"""Standard MIDI files for each part (to drag into any DAW) and a reader for analysis.

Each part file is type 1: a conductor track with tempo, meter, key and section markers, then the
part's notes. Drums go on channel 10 as General MIDI expects. Writing is pure (bytes out) so the
same arrangement always gives the same file; reading uses mido.
"""

from __future__ import annotations

import math
import struct
from pathlib import Path

import mido

from companion.arrangement import Arrangement, Clip, Note, Section, Track, round_beats
from companion.music.theory import bar_beats, parse_key
from companion.naming import role_from_name, section_kind_from_name

TICKS_PER_BEAT = 960
DRUM_CHANNEL = 9
MAX_MIDI_BYTES = 64 * 1024 * 1024


class MidiReadError(ValueError):
    """The file is not a MIDI file we can read."""


def _ticks(beats: float) -> int:
    return round(beats * TICKS_PER_BEAT)


_SHORT_VLQ = [bytes((value,)) for value in range(0x80)]  # most delta times fit in one byte


def _vlq(value: int) -> bytes:
    """MIDI variable-length quantity: 7 bits per byte, high bit set on all but the last."""
    if value < 0x80:
        return _SHORT_VLQ[value]
    out = bytearray([value & 0x7F])
    value >>= 7
    while value:
        out.insert(0, 0x80 | (value & 0x7F))
        value >>= 7
    return bytes(out)


def _meta(kind: int, data: bytes) -> bytes:
    return bytes([0xFF, kind]) + _vlq(len(data)) + data


def _text(kind: int, text: str) -> bytes:
    return _meta(kind, text.encode("utf-8"))


def _chunk(events: list[tuple[int, int, bytes]], end_tick: int) -> bytes:
    """Absolute-time events (tick, order, bytes) → an MTrk chunk with delta times."""
    body = bytearray()
    now = 0
    short = _SHORT_VLQ
    for tick, _, data in sorted(events):  # by tick, then the order key (then bytes: stable)
        delta = tick - now
        body += short[delta] if delta < 0x80 else _vlq(delta)
        body += data
        now = tick
    body += _vlq(max(0, end_tick - now)) + b"\xff\x2f\x00"  # end of track
    return b"MTrk" + struct.pack(">I", len(body)) + bytes(body)


def _key_signature(key: str) -> bytes:
    """Key signature meta: number of sharps (negative: flats) and the mode."""
    parsed = parse_key(key)
    major_tonic = parsed.relative().tonic if parsed.mode == "minor" else parsed.tonic
    fifths = (major_tonic * 7) % 12  # steps around the circle of fifths from C
    if fifths > 6 or (fifths == 6 and parsed.prefers_flats):
        fifths -= 12
    return _meta(0x59, struct.pack(">bB", fifths, 1 if parsed.mode == "minor" else 0))


def _conductor(arrangement: Arrangement) -> bytes:
    numerator, denominator = arrangement.time_signature
    tempo = round(60_000_000 / arrangement.bpm)
    events = [
        (0, 0, _text(0x03, arrangement.title)),
        (0, 1, _meta(0x51, tempo.to_bytes(3, "big"))),
        (0, 2, _meta(0x58, bytes([numerator, denominator.bit_length() - 1, 24, 8]))),
    ]
    if arrangement.key:
        events.append((0, 3, _key_signature(arrangement.key)))
    for section in arrangement.sections:
        events.append(
            (_ticks(arrangement.section_start_beat(section)), 4, _text(0x06, section.name))
        )
    return _chunk(events, _ticks(arrangement.length_beats))


def part_midi_bytes(arrangement: Arrangement, track: Track, channel: int) -> bytes:
    """One part as a type-1 Standard MIDI File: conductor track, then the part's notes.

    Encoded directly (the format is tiny) because building thousands of validated message objects
    dominated generation time; files are checked against mido's parser in the tests.
    """
    channel = DRUM_CHANNEL if track.role == "drums" else channel % 16
    note_on, note_off = 0x90 | channel, 0x80 | channel
    events: list[tuple[int, int, bytes]] = [(0, 0, _text(0x03, track.name))]
    append = events.append
    for clip in track.clips:
        offset = clip.start
        for note in clip.notes:
            # _ticks inlined (a song has thousands of notes), with the same float sums.
            beat = offset + note.start
            start = round(beat * TICKS_PER_BEAT)
            end = round((beat + note.duration) * TICKS_PER_BEAT)
            pitch = note.pitch
            # Note-offs sort before note-ons at the same tick so repeated notes retrigger cleanly.
            append((start, 2, bytes((note_on, pitch, note.velocity))))
            append((end if end > start else start + 1, 1, bytes((note_off, pitch, 64))))
    end_tick = _ticks(arrangement.length_beats)
    header = b"MThd" + struct.pack(">IHHH", 6, 1, 2, TICKS_PER_BEAT)
    return header + _conductor(arrangement) + _chunk(events, end_tick)


def read_midi(path: str | Path) -> Arrangement:
    """Load a MIDI file as an arrangement: one track per MIDI track that has notes."""
    path = Path(path)
    if path.stat().st_size > MAX_MIDI_BYTES:
        raise MidiReadError(f"{path.name} is too large for a MIDI file")
    try:
        midi = mido.MidiFile(path, clip=True)
    except (OSError, EOFError, ValueError, KeyError, IndexError) as exc:
        raise MidiReadError(f"{path.name} is not a readable MIDI file: {exc}") from exc
    ticks = midi.ticks_per_beat or TICKS_PER_BEAT
    bpm, time_signature, key = 120.0, (4, 4), None
    markers: list[tuple[str, float]] = []
    tracks: list[Track] = []
    for index, midi_track in enumerate(midi.tracks):
        name, now = "", 0
        pending: dict[tuple[int, int], list[tuple[int, int]]] = {}
        notes: list[Note] = []
        drum = False
        for message in midi_track:
            now += message.time
            if message.is_meta:
                if message.type == "set_tempo" and now == 0:
                    bpm = round(mido.tempo2bpm(message.tempo), 3)
                elif message.type == "time_signature" and now == 0:
                    time_signature = (message.numerator, message.denominator)
                elif message.type == "key_signature" and key is None:
                    key = message.key if _valid_key(message.key) else None
                elif message.type == "marker":
                    markers.append((message.text, now / ticks))
                elif message.type == "track_name" and not name:
                    name = message.name.strip()
                continue
            if message.type == "note_on" and message.velocity > 0:
                pending.setdefault((message.channel, message.note), []).append(
                    (now, message.velocity)
                )
                drum = drum or message.channel == DRUM_CHANNEL
            elif message.type in ("note_off", "note_on"):
                stack = pending.get((message.channel, message.note))
                if stack:
                    start, velocity = stack.pop(0)
                    if now > start:
                        notes.append(
                            Note(
                                pitch=message.note,
                                start=round_beats(start / ticks),
                                duration=round_beats((now - start) / ticks),
                                velocity=velocity,
                            )
                        )
        if notes:
            end = max(n.start + n.duration for n in notes)
            name = name or f"Track {index + 1}"
            role = "drums" if drum else (role_from_name(name) or "other")
            tracks.append(
                Track(
                    name=name,
                    role=role,
                    color=0,
                    clips=[Clip(name=name, start=0, length=round_beats(end), notes=notes)],
                )
            )
    beats_per_bar = bar_beats(*time_signature)
    song_end = max((clip.end for t in tracks for clip in t.clips), default=beats_per_bar)
    bars = max(1, math.ceil(round(song_end / beats_per_bar, 6)))
    sections = []
    for i, (text, beat) in enumerate(sorted(markers, key=lambda m: m[1])):
        start_bar = int(beat // beats_per_bar)
        end_bar = int(markers[i + 1][1] // beats_per_bar) if i + 1 < len(markers) else bars
        if start_bar < bars and end_bar > start_bar:
            sections.append(
                Section(
                    name=text or f"Section {i + 1}",
                    kind=section_kind_from_name(text),
                    start_bar=start_bar,
                    bars=end_bar - start_bar,
                )
            )
    return Arrangement(
        title=path.stem,
        bpm=min(999.0, max(20.0, bpm)),
        key=key,
        time_signature=time_signature,
        bars=bars,
        sections=sections,
        tracks=tracks,
    )


def _valid_key(name: str) -> bool:
    try:
        parse_key(name)
    except ValueError:
        return False
    return True
