"""Uploads: content decides, sizes are capped, names are made safe, duplicates are found."""

from __future__ import annotations

import io
import os

import pytest

import sampleaudio as sa
from companion.db import Database
from companion.samples.index import SampleIndex
from companion.samples.upload import UploadError, clean_filename, store_upload

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
