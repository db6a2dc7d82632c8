"""Our Standard MIDI File encoder, checked against mido's parser, and the MIDI reader."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

import mido
import pytest

from companion.arrangement import Arrangement, Clip, Note, Section, Track
from companion.midi_files import (
    DRUM_CHANNEL,
    TICKS_PER_BEAT,
    MidiReadError,
    _vlq,
    part_midi_bytes,
    read_midi,
)
from companion.music.theory import format_key


def read_midi_bytes(data: bytes) -> Arrangement:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "part.mid"
        path.write_bytes(data)
        return read_midi(path)


def _song(key: str | None = "Am", bpm: float = 124, time_signature=(4, 4)) -> Arrangement:
    notes = [
        Note(pitch=45 + (i % 5), start=i * 0.5, duration=0.5, velocity=60 + i) for i in range(16)
    ]
    return Arrangement(
        title="Test",
        bpm=bpm,
        key=key,
        bars=8,
        time_signature=time_signature,
        sections=[
            Section(name="Intro", kind="intro", start_bar=0, bars=4),
            Section(name="Drop", kind="drop", start_bar=4, bars=4),
        ],
        tracks=[
            Track(
                name="Bass",
                role="bass",
                color=9,
                clips=[
                    Clip(name="a", start=0, length=8, notes=notes),
                    Clip(name="b", start=16, length=8, notes=notes),
                ],
            )
        ],
    )


@pytest.mark.parametrize(
    "value,encoded",
    [
        (0, b"\x00"),
        (0x7F, b"\x7f"),
        (0x80, b"\x81\x00"),
        (0x2000, b"\xc0\x00"),
        (0x3FFF, b"\xff\x7f"),
        (0x4000, b"\x81\x80\x00"),
        (0x0FFFFFFF, b"\xff\xff\xff\x7f"),
    ],
)
def test_variable_length_quantities(value, encoded):
    assert _vlq(value) == encoded


@pytest.mark.parametrize("key", [format_key(t, m) for t in range(12) for m in ("major", "minor")])
def test_every_key_signature_reads_back(key):
    midi = mido.MidiFile(file=io.BytesIO(part_midi_bytes(_song(key=key), _song().tracks[0], 0)))
    assert next(m for m in midi.tracks[0] if m.type == "key_signature").key == key


@pytest.mark.parametrize(
    "bpm,time_signature", [(124, (4, 4)), (92.5, (6, 8)), (20, (3, 4)), (999, (7, 8))]
)
def test_conductor_and_notes_parse_with_mido(bpm, time_signature):
    song = _song(bpm=bpm, time_signature=time_signature)
    midi = mido.MidiFile(file=io.BytesIO(part_midi_bytes(song, song.tracks[0], 3)))
    assert midi.type == 1 and midi.ticks_per_beat == TICKS_PER_BEAT
    meta = {m.type: m for m in midi.tracks[0]}
    assert mido.tempo2bpm(meta["set_tempo"].tempo) == pytest.approx(bpm, rel=1e-5)
    assert (meta["time_signature"].numerator, meta["time_signature"].denominator) == time_signature
    assert [m.text for m in midi.tracks[0] if m.type == "marker"] == ["Intro", "Drop"]
    ons = [m for m in midi.tracks[1] if m.type == "note_on"]
    assert len(ons) == 32 and {m.channel for m in ons} == {3}
    read = read_midi_bytes(part_midi_bytes(song, song.tracks[0], 3))
    expected = sorted(
        (c.start + n.start, n.pitch, n.duration, n.velocity)
        for c in song.tracks[0].clips
        for n in c.notes
    )
    got = sorted((n.start, n.pitch, n.duration, n.velocity) for n in read.tracks[0].clips[0].notes)
    assert got == expected
    assert [(s.name, s.start_bar) for s in read.sections] == [("Intro", 0), ("Drop", 4)]


def test_drums_use_channel_ten():
    song = _song()
    song.tracks[0].role = "drums"
    midi = mido.MidiFile(file=io.BytesIO(part_midi_bytes(song, song.tracks[0], 0)))
    assert {m.channel for m in midi.tracks[1] if m.type == "note_on"} == {DRUM_CHANNEL}
    assert read_midi_bytes(part_midi_bytes(song, song.tracks[0], 0)).tracks[0].role == "drums"


def test_repeated_notes_retrigger():
    notes = [
        Note(pitch=60, start=0, duration=1, velocity=100),
        Note(pitch=60, start=1, duration=1, velocity=90),
    ]
    song = Arrangement(
        title="r",
        bpm=120,
        bars=1,
        tracks=[
            Track(
                name="Lead",
                role="lead",
                color=1,
                clips=[Clip(name="c", start=0, length=4, notes=notes)],
            )
        ],
    )
    read = read_midi_bytes(part_midi_bytes(song, song.tracks[0], 0))
    assert [(n.start, n.duration, n.velocity) for n in read.tracks[0].clips[0].notes] == [
        (0, 1, 100),
        (1, 1, 90),
    ]


def test_unreadable_files(tmp_path):
    bad = tmp_path / "bad.mid"
    bad.write_bytes(b"MThd garbage")
    with pytest.raises(MidiReadError):
        read_midi(bad)
