"""Uploads: content decides, sizes are capped, names are made safe, duplicates are found."""

from __future__ import annotations

import io
import os
import struct

import numpy as np
import pytest

import sampleaudio as sa
from companion.db import Database
from companion.samples.index import SampleIndex
from companion.samples.upload import (
    NotYours,
    UploadError,
    adopt_loose_uploads,
    clean_filename,
    delete_upload,
    store_upload,
)

LIMIT = 5 * 1024 * 1024


@pytest.fixture
def database(tmp_path):
    database = Database(f"sqlite:///{tmp_path / 'musiaia.db'}")
    database.create_schema()
    yield database
    database.dispose()


@pytest.fixture
def uploads(tmp_path):
    return tmp_path / "uploads"


def visible(folder) -> list[str]:
    return sorted(os.listdir(folder)) if folder.exists() else []


def test_valid_upload_is_stored_indexed_and_hashed(database, uploads):
    data = sa.wav_bytes(sa.tone(110, 0.5), bits=24)
    result = store_upload(data, "Bass_Loop_124_Am.wav", uploads, database, max_bytes=LIMIT)
    assert not result.duplicate
    assert result.sample.name == "Bass_Loop_124_Am.wav"
    assert (result.sample.kind, result.sample.bpm, result.sample.key) == ("bass", 124, "Am")
    assert result.sample.path == str(uploads.resolve() / "Bass_Loop_124_Am.wav")
    assert (uploads / "Bass_Loop_124_Am.wav").read_bytes() == data
    assert len(result.sha256) == 64
    assert visible(uploads) == ["Bass_Loop_124_Am.wav"]  # no temporary file left


@pytest.mark.parametrize(("suffix", "subtype"), [("flac", "PCM_16"), ("aif", "PCM_24")])
def test_flac_and_aiff_streams(tmp_path, database, uploads, suffix, subtype):
    source = sa.write_sf(tmp_path / f"src.{suffix}", sa.tone(seconds=0.3), subtype=subtype)
    with open(source, "rb") as stream:
        result = store_upload(stream, f"Pad_Warm.{suffix}", uploads, database, max_bytes=LIMIT)
    assert result.sample.name == f"Pad_Warm.{suffix}"
    assert result.sample.kind == "pad"


def test_text_named_wav_is_refused(database, uploads):
    with pytest.raises(UploadError) as caught:
        store_upload(b"hello, I am not audio" * 50, "Kick.wav", uploads, database, max_bytes=LIMIT)
    assert caught.value.code == "not_audio"
    assert visible(uploads) == []


def test_other_formats_and_broken_audio_are_refused(database, uploads):
    mp3ish = b"ID3\x04\x00\x00\x00\x00\x00\x00" + os.urandom(2000)
    broken = b"RIFF\x24\x00\x00\x00WAVEfmt " + os.urandom(300)
    zero_rate = sa.wav_bytes(sa.tone(), fmt_override=b"\x01\x00\x01\x00" + b"\x00" * 12)
    for data in (mp3ish, broken, zero_rate):
        with pytest.raises(UploadError) as caught:
            store_upload(data, "x.wav", uploads, database, max_bytes=LIMIT)
        assert caught.value.code == "not_audio"
    assert visible(uploads) == []


def test_empty_and_oversized_uploads(database, uploads):
    with pytest.raises(UploadError) as caught:
        store_upload(b"", "Kick.wav", uploads, database, max_bytes=LIMIT)
    assert caught.value.code == "empty"
    big = sa.wav_bytes(sa.tone(seconds=2.0))
    with pytest.raises(UploadError) as caught:
        store_upload(io.BytesIO(big), "Kick.wav", uploads, database, max_bytes=len(big) - 1)
    assert caught.value.code == "too_large"
    assert visible(uploads) == []


class Endless(io.RawIOBase):
    """A stream that never ends: the cap must stop reading, not the memory."""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        buffer[:] = b"\x00" * len(buffer)
        return len(buffer)


def test_cap_stops_an_endless_stream(database, uploads):
    with pytest.raises(UploadError) as caught:
        store_upload(Endless(), "x.wav", uploads, database, max_bytes=3 * 1024 * 1024)
    assert caught.value.code == "too_large"


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("../../etc/passwd.wav", "passwd.wav"),
        ("..\\..\\Windows\\evil.wav", "evil.wav"),
        ("/absolute/path/Kick.wav", "Kick.wav"),
        (".hidden.wav", "hidden.wav"),
        ("CON.wav", "CON song.wav"),
        ("kick\x00\x07.wav", "kick.wav"),
        ("Cafe\u0301 Loop.wav", "Caf\u00e9 Loop.wav"),  # NFD → NFC
        ("song.mp3", "song.wav"),  # the content decides the extension
        ("Snare.WAVE", "Snare.wave"),
    ],
)
def test_names_are_made_safe(database, uploads, given, stored):
    result = store_upload(sa.wav_bytes(sa.tone()), given, uploads, database, max_bytes=LIMIT)
    assert result.sample.name == stored
    assert os.path.dirname(result.sample.path) == str(uploads.resolve())
    assert visible(uploads) == [stored]


@pytest.mark.parametrize("given", ["", "...", "/", "\x00\x01", " . "])
def test_unusable_names_are_refused(database, uploads, given):
    with pytest.raises(UploadError) as caught:
        store_upload(sa.wav_bytes(sa.tone()), given, uploads, database, max_bytes=LIMIT)
    assert caught.value.code == "bad_name"
    assert visible(uploads) == []


def test_same_name_different_content_gets_a_new_name(database, uploads):
    first = store_upload(sa.wav_bytes(sa.tone(100)), "Kick.wav", uploads, database, max_bytes=LIMIT)
    second = store_upload(
        sa.wav_bytes(sa.tone(200)), "Kick.wav", uploads, database, max_bytes=LIMIT
    )
    assert first.sample.name == "Kick.wav" and second.sample.name == "Kick (2).wav"
    assert first.sample.id != second.sample.id


def test_duplicates_return_the_existing_sample(tmp_path, database, uploads):
    data = sa.wav_bytes(sa.tone(150))
    first = store_upload(data, "Kick.wav", uploads, database, max_bytes=LIMIT)
    again = store_upload(data, "Other name.wav", uploads, database, max_bytes=LIMIT)
    assert again.duplicate and again.sample.id == first.sample.id
    assert visible(uploads) == ["Kick.wav"]

    # A library file indexed without a hash is hashed lazily and found too.
    library = tmp_path / "lib"
    library.mkdir()
    existing = sa.wav_bytes(sa.tone(300))
    (library / "Snare_Lib.wav").write_bytes(existing)
    SampleIndex(database, [library]).scan()
    dup = store_upload(existing, "Snare.wav", uploads, database, max_bytes=LIMIT)
    assert dup.duplicate and dup.sample.name == "Snare_Lib.wav"


def test_upload_uses_a_live_index_when_it_covers_the_folder(database, uploads):
    uploads.mkdir()
    index = SampleIndex(database, [uploads])
    result = store_upload(
        sa.wav_bytes(sa.tone()), "Clap.wav", uploads, database, max_bytes=LIMIT, index=index
    )
    assert index.reads == 1 and result.sample.kind == "clap"


def test_clean_filename_is_pure():
    assert clean_filename("a/b/Kick 01.aiff", "aiff") == "Kick 01.aiff"
    assert clean_filename("Kick.aif", "wav") == "Kick.wav"
    with pytest.raises(UploadError):
        clean_filename("..", "wav")


# --- files that are not what they claim (issue 11, finding 9) -----------------------------------

HTML = b"<!DOCTYPE html><html><body><script>fetch('/api/v1/projects')</script></body></html>\n"


def riff(*chunks: bytes, tail: bytes = b"", declared_extra: int = 0) -> bytes:
    body = b"WAVE" + b"".join(chunks)
    return b"RIFF" + struct.pack("<I", len(body) + declared_extra) + body + tail


def fmt_chunk(channels: int = 1, rate: int = 44100, bits: int = 16) -> bytes:
    frame = channels * bits // 8
    return sa.chunk(b"fmt ", struct.pack("<HHIIHH", 1, channels, rate, rate * frame, frame, bits))


def pcm_chunk(seconds: float = 0.2) -> bytes:
    return sa.chunk(b"data", sa.pcm(sa.tone(220, seconds), 16))


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        # A page inside the sound data: libsndfile would happily "decode" it as noise.
        (riff(fmt_chunk(), sa.chunk(b"data", HTML * 200)), "text, not audio"),
        (riff(fmt_chunk(), sa.chunk(b"data", b"Just some words. " * 400)), "text, not audio"),
        # A page in a chunk of its own, next to real audio.
        (riff(fmt_chunk(), sa.chunk(b"note", HTML), pcm_chunk()), "markup"),
        (riff(fmt_chunk(), pcm_chunk(), tail=HTML), "unexpected bytes after the end"),
        (riff(fmt_chunk(), pcm_chunk(), tail=b"\0\0\0\0"), "unexpected bytes after the end"),
        (riff(fmt_chunk(), pcm_chunk(), declared_extra=4000), "cut short"),
        (riff(fmt_chunk(), pcm_chunk(), pcm_chunk()), "exactly one"),
        (riff(pcm_chunk(), fmt_chunk()), "before its format chunk"),
        (riff(fmt_chunk(), b"LIST" + struct.pack("<I", 10**6) + b"INFO", pcm_chunk()), "runs past"),
        (riff(fmt_chunk(), pcm_chunk(), b"\x01\x02\x03\x04\x05\x06"), "chunk structure"),
    ],
)
def test_files_that_are_not_entirely_audio_are_refused(database, uploads, content, reason):
    with pytest.raises(UploadError) as caught:
        store_upload(content, "Kick.wav", uploads, database, max_bytes=LIMIT)
    assert caught.value.code == "not_audio"
    assert reason in str(caught.value)
    assert visible(uploads) == []


def test_a_cut_flac_is_refused(tmp_path, database, uploads):
    whole = sa.write_sf(tmp_path / "pad.flac", sa.tone(220, 2.0)).read_bytes()
    with pytest.raises(UploadError) as caught:
        store_upload(whole[: len(whole) * 2 // 3], "Pad.flac", uploads, database, max_bytes=LIMIT)
    assert caught.value.code == "not_audio"
    with pytest.raises(UploadError):
        store_upload(whole + HTML, "Pad.flac", uploads, database, max_bytes=LIMIT)
    assert visible(uploads) == []


def real_audio_files(tmp_path) -> dict[str, bytes]:
    """Files real tools write, with the chunks packs carry: none may be refused."""
    import soundfile

    rng = np.random.default_rng(3)
    quiet = 0.001 * rng.standard_normal(22050)
    out: dict[str, bytes] = {
        "silence.wav": sa.wav_bytes(np.zeros(22050)),
        "quiet noise.wav": sa.wav_bytes(quiet, bits=24),
        "acid smpl.wav": sa.wav_bytes(
            sa.tone(110, 1.0),
            extra=sa.chunk(b"acid", sa.acid_body(False, beats=2, tempo=120.0))
            + sa.chunk(b"smpl", sa.smpl_body(45, [(0, 1000)])),
        ),
        "odd info.wav": sa.wav_bytes(
            sa.tone(), extra=sa.chunk(b"LIST", b"INFOINAM" + struct.pack("<I", 5) + b"Kick\0")
        ),
        "ixml.wav": sa.wav_bytes(
            sa.tone(), extra=sa.chunk(b"iXML", b'<?xml version="1.0"?><BWFXML></BWFXML>')
        ),
    }
    for name, fmt, subtype in [
        ("float.wav", "WAV", "FLOAT"),
        ("eight bit.wav", "WAV", "PCM_U8"),
        ("rf64.wav", "RF64", "PCM_24"),
        ("stereo.aif", "AIFF", "PCM_16"),
        ("stereo.flac", "FLAC", "PCM_24"),
    ]:
        buffer = io.BytesIO()
        soundfile.write(buffer, sa.tone(330, 0.5, channels=2), 44100, format=fmt, subtype=subtype)
        out[name] = buffer.getvalue()
    aiff = sa.write_aiff_inst(tmp_path / "inst.aif", sa.tone(220, 0.5), 57, loop=(100, 9000))
    out["inst loop.aif"] = aiff.read_bytes()
    return out


def test_real_audio_with_every_usual_chunk_is_accepted(tmp_path, database, uploads):
    for name, content in real_audio_files(tmp_path).items():
        result = store_upload(content, name, uploads, database, max_bytes=LIMIT)
        assert not result.duplicate, name
        assert (uploads / result.sample.name).read_bytes() == content, name


@pytest.mark.parametrize(
    "control", ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068",
                "\u2069", "\u200e", "\u200f", "\u061c"],
)  # fmt: skip
def test_bidirectional_controls_never_reach_a_stored_name(database, uploads, control):
    given = f"kick{control}vaw.exe{control}.wav"
    result = store_upload(sa.wav_bytes(sa.tone()), given, uploads, database, max_bytes=LIMIT)
    assert result.sample.name == "kickvaw.exe.wav"
    assert visible(uploads) == ["kickvaw.exe.wav"]


# --- what a set cannot use (finding 1) ------------------------------------------------------------


def test_an_upload_a_set_cannot_use_is_refused_with_the_reason(tmp_path, database, uploads):
    five_hours = sa.write_long_flac(tmp_path / "src.flac", 5 * 3600)
    with open(five_hours, "rb") as stream, pytest.raises(UploadError) as caught:
        store_upload(stream, "drum loop 120 bpm.flac", uploads, database, max_bytes=LIMIT)
    assert caught.value.code == "unusable"
    assert "5 h long" in str(caught.value) and "a loop can be at most 512 beats" in str(
        caught.value
    )
    with pytest.raises(UploadError) as caught:
        store_upload(sa.wav_bytes(sa.tone(60, 0.3, channels=6)), "Kick.wav", uploads, database,
                     max_bytes=LIMIT)  # fmt: skip
    assert caught.value.code == "unusable" and "6 channels" in str(caught.value)
    assert visible(uploads) == []


# --- whose uploads (finding 5) ----------------------------------------------------------------


def test_uploads_go_to_their_accounts_folder_and_duplicates_stay_private(database, uploads):
    data = sa.wav_bytes(sa.tone(150))
    mine = store_upload(data, "Kick.wav", uploads, database, max_bytes=LIMIT, owner=7)
    assert mine.sample.path == str(uploads.resolve() / "7" / "Kick.wav") and mine.sample.own
    again = store_upload(data, "Kick copy.wav", uploads, database, max_bytes=LIMIT, owner=7)
    assert again.duplicate and again.sample.id == mine.sample.id
    # The same bytes from another account: its own copy, nothing about the first one revealed.
    theirs = store_upload(data, "Kick.wav", uploads, database, max_bytes=LIMIT, owner=8)
    assert not theirs.duplicate and theirs.sample.id != mine.sample.id
    assert theirs.sample.path == str(uploads.resolve() / "8" / "Kick.wav")
    owners = {r["path"]: r["owner_id"] for r in rows(database)}
    assert owners == {mine.sample.path: 7, theirs.sample.path: 8}


def test_only_the_uploader_deletes_an_upload(tmp_path, database, uploads):
    mine = store_upload(sa.wav_bytes(sa.tone(150)), "Kick.wav", uploads, database,
                        max_bytes=LIMIT, owner=7)  # fmt: skip
    library = tmp_path / "lib"
    sa.write_wav(library / "Snare_Shared.wav", sa.tone(300))
    SampleIndex(database, [library]).scan()
    shared = next(r for r in rows(database) if r["owner_id"] is None)

    assert delete_upload(database, mine.sample.id, owner=8) is False  # not even seen
    assert delete_upload(database, "no-such-sample-id-at-all", owner=7) is False
    with pytest.raises(NotYours):
        delete_upload(database, shared["public_id"], owner=7)
    assert (library / "Snare_Shared.wav").exists() and len(rows(database)) == 2

    assert delete_upload(database, mine.sample.id, owner=7) is True
    assert not (uploads / "7" / "Kick.wav").exists()
    assert [r["public_id"] for r in rows(database)] == [shared["public_id"]]


def test_loose_uploads_from_before_owners_are_adopted(database, uploads):
    uploads.mkdir()
    (uploads / "Kick.wav").write_bytes(sa.wav_bytes(sa.tone(60)))
    (uploads / ".upload-abc.part").write_bytes(b"half")
    (uploads / "notes.txt").write_text("not audio")
    (uploads / "7").mkdir()
    (uploads / "7" / "Kick.wav").write_bytes(sa.wav_bytes(sa.tone(61)))
    moved = adopt_loose_uploads(uploads, 7)
    assert [p.name for p in moved] == ["Kick (2).wav"]
    assert sorted(os.listdir(uploads)) == [".upload-abc.part", "7", "notes.txt"]
    assert sorted(os.listdir(uploads / "7")) == ["Kick (2).wav", "Kick.wav"]


def rows(database) -> list[dict]:
    from sqlalchemy import select

    from companion.db import Sample

    with database.engine.connect() as connection:
        return [dict(r._mapping) for r in connection.execute(select(Sample.__table__))]
