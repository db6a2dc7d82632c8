"""Choosing sounds for a song and putting them in a self-contained Live project."""

from __future__ import annotations

import shutil

import numpy as np
import pytest

from companion.als.reader import read_als
from companion.db import Database
from companion.kit.catalogue import PREFIX
from companion.pipeline import generate
from companion.requirements import STYLES
from companion.samples.index import SampleIndex
from companion.sounds import HAT_NOTES, SoundSource, crc16
from sampleaudio import drum_loop, smpl_body, write_sf, write_wav


@pytest.fixture(scope="module")
def kit_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("kit")


def test_crc16_check_value():
    assert crc16(b"123456789") == 0xFEE8  # CRC-16 (poly 0x8005), the standard check value
    assert crc16(b"x" * 20000) == crc16(b"x" * 16384)  # only the first 16 KiB count


def test_a_fresh_install_gets_a_full_kit_in_the_project(tmp_path, kit_dir):
    result = generate(
        "Genera un track de house a 124 BPM en La menor",
        seed=4,
        out_dir=tmp_path,
        sounds=SoundSource(kit_dir).chooser(),
    )
    arrangement = result.arrangement
    assert "choosing_sounds" in result.timings
    for track in arrangement.tracks:
        assert track.instrument is not None, track.role
        used = {n.pitch for clip in track.clips for n in clip.notes}
        if track.role in ("drums", "fx"):
            assert track.instrument.kind == "drum_rack"
            pads = {pad.note for pad in track.instrument.pads}
            assert pads <= used and len(pads) >= min(3, len(used))
            for pad in track.instrument.pads:
                assert pad.choke_group == (1 if pad.note in HAT_NOTES else 0)
        else:
            # a kit instrument: key zones of looped samples in an Instrument Rack
            assert track.instrument.kind == "multi"
            assert all(zone.loop is not None for zone in track.instrument.zones)
    folder = result.project.folder
    assert read_als(result.project.als) == arrangement
    samples = {s.path for t in arrangement.tracks for s in t.instrument.samples()}
    for path in samples:
        copied = folder / path
        assert copied.is_file() and copied.name.startswith(PREFIX)
        sample = next(
            s for t in arrangement.tracks for s in t.instrument.samples() if s.path == path
        )
        assert sample.size == copied.stat().st_size
        assert sample.mtime == int(copied.stat().st_mtime)
        assert sample.crc == crc16(copied.read_bytes())


def test_the_project_folder_travels(tmp_path, kit_dir):
    result = generate(
        "trap oscuro en Mi bemol menor",
        seed=2,
        out_dir=tmp_path / "a",
        sounds=SoundSource(kit_dir).chooser(),
    )
    moved = tmp_path / "elsewhere" / result.project.folder.name
    shutil.copytree(result.project.folder, moved)
    shutil.rmtree(result.project.folder)
    arrangement = read_als(moved / result.project.als.name)
    paths = [s.path for t in arrangement.tracks if t.instrument for s in t.instrument.samples()]
    assert paths and all((moved / p).is_file() for p in paths)  # resolved from the project


def test_sounds_follow_the_seed(tmp_path, kit_dir):
    chooser = SoundSource(kit_dir).chooser()

    def kit(seed: int, out: str) -> tuple[str, ...]:
        result = generate(
            "techno a 130 en La menor", seed=seed, out_dir=tmp_path / out, sounds=chooser
        )
        # The kit is mixed on several tracks (Kick, Snare, Drums): all of their pads.
        kits = [t.instrument for t in result.arrangement.tracks if t.role == "drums"]
        return tuple(sorted(p.sample.path for i in kits if i is not None for p in i.pads))

    assert kit(7, "a") == kit(7, "b")
    # The kit follows the style's palette whatever the take: the same techno drums.
    for seed in range(3):
        paths = kit(seed, f"s{seed}")
        assert "Samples/Imported/MusiaIA_Kick_Techno_Rumble.wav" in paths
        assert not any("House" in path or "Trap" in path for path in paths)


def test_the_producers_library_comes_first(tmp_path, kit_dir):
    library = tmp_path / "library" / "Drums" / "Kicks"
    library.mkdir(parents=True)
    t = np.arange(int(0.4 * 44100)) / 44100
    body = np.sin(2 * np.pi * np.cumsum(50 + 110 * np.exp(-t / 0.04)) / 44100) * np.exp(-t / 0.15)
    write_sf(library / "House Kick Deep 01.wav", 0.8 * body)
    database = Database(f"sqlite:///{tmp_path / 'library.db'}")
    database.create_schema()
    SampleIndex(database, [tmp_path / "library"]).scan()
    result = generate(
        "house a 124 en La menor",
        seed=1,
        out_dir=tmp_path / "out",
        sounds=SoundSource(kit_dir, database).chooser(),
    )
    drums = next(t for t in result.arrangement.tracks if t.role == "drums")
    kick = next(p for p in drums.instrument.pads if p.note == 36)
    assert kick.sample.path == "Samples/Imported/House Kick Deep 01.wav"
    assert (result.project.folder / kick.sample.path).read_bytes() == (
        library / "House Kick Deep 01.wav"
    ).read_bytes()


def _tone(freq: float, seconds: float) -> np.ndarray:
    t = np.arange(int(seconds * 44100)) / 44100
    return 0.6 * np.sin(2 * np.pi * freq * t) * np.exp(-t / 0.8)


@pytest.fixture(scope="module")
def palette_library(tmp_path_factory):
    """A producer's folder with what trap and lo-fi ask for (an 808, Rhodes keys with a sustain
    loop) and what they do not (a reese, organ keys), indexed into a real SQLite file."""
    root = tmp_path_factory.mktemp("palette-library")
    library = root / "My Samples"
    write_sf(library / "Bass" / "808 Boom C1.wav", _tone(32.7, 1.5))
    write_sf(library / "Bass" / "Reese Bass C1.wav", _tone(32.7, 1.5))
    write_sf(library / "Keys" / "Organ Keys C3.wav", _tone(130.8, 3.0))
    write_wav(
        library / "Keys" / "Rhodes Keys C3.wav",
        _tone(130.8, 3.0),
        44100,
        smpl=smpl_body(60, loops=[(44100, 88200)]),
    )
    database = Database(f"sqlite:///{root / 'library.db'}")
    database.create_schema()
    SampleIndex(database, [library]).scan()
    yield database
    database.dispose()


def _plays(result, role: str) -> set[str]:
    track = next(t for t in result.arrangement.tracks if t.role == role)
    return {s.path.rsplit("/", 1)[-1] for s in track.instrument.samples()}


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_palette_table_chooses_from_the_library(tmp_path, kit_dir, palette_library, seed):
    """The style's table ranks the producer's library (issue 12): trap's bass is their 808, not
    their reese; lo-fi's chords are their Rhodes, not their organ; where the library only has
    other instruments (trap's piano chords, lo-fi's bass) the table's kit sound plays."""
    chooser = SoundSource(kit_dir, palette_library).chooser()
    trap = generate("trap beat at 140 BPM in F minor", seed=seed, out_dir=tmp_path, sounds=chooser)
    assert _plays(trap, "bass") == {"808 Boom C1.wav"}
    assert all(name.startswith(f"{PREFIX}Keys_Piano_Dark_") for name in _plays(trap, "chords"))
    lofi = generate(
        "lo-fi hip hop at 80 BPM in D minor", seed=seed, out_dir=tmp_path, sounds=chooser
    )
    assert _plays(lofi, "chords") == {"Rhodes Keys C3.wav"}
    assert all(name.startswith(f"{PREFIX}Bass_Lofi_Round_") for name in _plays(lofi, "bass"))
    # What Live opens: the written set names the same files.
    written = read_als(next(lofi.project.folder.glob("*.als")))
    chords = next(t for t in written.tracks if t.role == "chords")
    assert chords.instrument.sample.path == "Samples/Imported/Rhodes Keys C3.wav"
    assert chords.instrument.loop is not None  # its own sustain loop holds the chord


# --------------------------------------------------------------------------- loops


def _library_with_loops(tmp_path, loops: dict[str, np.ndarray]) -> SoundSource:
    root = tmp_path / "library"
    for name, data in loops.items():
        write_sf(root / "Loops" / name, data)
    database = Database(f"sqlite:///{tmp_path / 'library.db'}")
    database.create_schema()
    SampleIndex(database, [root]).scan()
    return SoundSource(tmp_path / "kit", database)


def _house(bpm: float = 124):
    from companion.music.compose import compose
    from companion.music.resolve import resolve
    from companion.understanding.parser import understand

    understanding = understand(f"house a {bpm} bpm en La menor")
    spec = resolve(understanding.requirements, seed=3)
    return compose(spec), spec


def test_a_fitting_drum_loop_is_layered_on_an_audio_track(tmp_path):
    from companion.sounds import LOOP_MIN_ENERGY, choose_sounds

    source = _library_with_loops(
        tmp_path, {"Top_Loop_124_house.wav": drum_loop(124, bars=4, groove="house")}
    )
    arrangement, spec = _house(124)
    plan = choose_sounds(arrangement, spec.seed, source.candidates())
    names = [t.name for t in plan.arrangement.tracks]
    drums_at = next(i for i, t in enumerate(plan.arrangement.tracks) if t.name == "Drums")
    loop_track = plan.arrangement.tracks[drums_at + 1]
    assert loop_track.name == "Drum Loop" and loop_track.is_audio, names
    assert loop_track.instrument is None and loop_track.note_count == 0
    loop = loop_track.audio
    assert loop.beats == 16.0 and loop.warp_mode == "beats"
    assert abs(loop.bpm - 124) < 1
    assert loop.sample.path.startswith("Samples/Imported/Top_Loop_124_house")
    assert plan.sources[loop.sample.path].name == "Top_Loop_124_house.wav"
    # Only in the fuller sections where the drums play, each clip filling its section.
    drums = plan.arrangement.tracks[drums_at]
    playing = {c.section for c in drums.clips}
    sections = arrangement.sections
    expected = [i for i, s in enumerate(sections) if i in playing and s.energy >= LOOP_MIN_ENERGY]
    assert [c.section for c in loop_track.clips] == expected and expected
    assert len(expected) < len(sections)  # not in the intro/breakdown
    for clip in loop_track.clips:
        section = sections[clip.section]
        assert clip.start == arrangement.section_start_beat(section)
        assert clip.length == section.bars * 4
    assert any(c.slot == "loop" for _, c in plan.chosen)
    # Same seed, same plan.
    again = choose_sounds(arrangement, spec.seed, source.candidates())
    assert again.arrangement == plan.arrangement


def test_loops_that_do_not_fit_the_tempo_are_left_out_and_half_time_counts_double(tmp_path):
    from companion.sounds import choose_sounds

    source = _library_with_loops(
        tmp_path,
        {
            "Drum_Loop_100.wav": drum_loop(100, bars=2),
            "Perc_Loop_62.wav": drum_loop(62, bars=2, groove="house", seed=2),
        },
    )
    arrangement, spec = _house(124)
    plan = choose_sounds(arrangement, spec.seed, source.candidates())
    loops = [t for t in plan.arrangement.tracks if t.is_audio]
    assert len(loops) == 1
    loop = loops[0].audio
    assert "Perc_Loop_62" in loop.sample.path
    assert loop.beats == 16.0  # two bars at 62 BPM are four bars of a 124 BPM song

    only_slow = _library_with_loops(tmp_path / "b", {"Drum_Loop_100.wav": drum_loop(100)})
    plan = choose_sounds(arrangement, spec.seed, only_slow.candidates())
    assert not any(t.is_audio for t in plan.arrangement.tracks)


def test_a_new_version_keeps_its_loop_while_it_fits_and_adds_none(tmp_path):
    from companion.sounds import choose_sounds

    source = _library_with_loops(tmp_path, {"Top_Loop_124.wav": drum_loop(124, bars=4)})
    arrangement, spec = _house(124)
    first = choose_sounds(arrangement, spec.seed, source.candidates()).arrangement
    kept = {t.role: t.audio for t in first.tracks if t.is_audio}
    instruments = {t.role: t.instrument for t in first.tracks if t.instrument}
    assert kept

    faster, faster_spec = _house(128)
    second = choose_sounds(
        faster, faster_spec.seed, source.candidates(), instruments, keep_loops=kept
    ).arrangement
    loop = next(t.audio for t in second.tracks if t.is_audio)
    assert loop.sample == kept["drums"].sample and loop.beats == 16.0

    dnb, dnb_spec = _house(174)
    third = choose_sounds(dnb, dnb_spec.seed, source.candidates(), instruments, keep_loops=kept)
    assert not any(t.is_audio for t in third.arrangement.tracks)  # 124 → 174 is too far

    # A version made without loops does not gain one because the library has one now.
    fourth = choose_sounds(
        faster, faster_spec.seed, source.candidates(), instruments, keep_loops={}
    )
    assert not any(t.is_audio for t in fourth.arrangement.tracks)


# --------------------------------------------------------------------------- sharing the kit


def test_kit_samples_are_shared_and_library_samples_copied(tmp_path):
    """MusiaIA's kit files never change in place, so a project holds hard links to them (no
    second copy, nothing to write); the producer's own files are copied, as Collect All does."""
    library = tmp_path / "library" / "Drums" / "Kicks"
    t = np.arange(int(0.4 * 44100)) / 44100
    body = np.sin(2 * np.pi * np.cumsum(50 + 110 * np.exp(-t / 0.04)) / 44100) * np.exp(-t / 0.15)
    write_sf(library / "House Kick Deep 01.wav", 0.8 * body)
    database = Database(f"sqlite:///{tmp_path / 'library.db'}")
    database.create_schema()
    SampleIndex(database, [tmp_path / "library"]).scan()
    source = SoundSource(tmp_path / "kit", database)
    result = generate(
        "house a 124 en La menor", seed=1, out_dir=tmp_path / "out", sounds=source.chooser()
    )
    folder = result.project.folder
    plan = result.sounds
    assert plan.shared and plan.shared < set(plan.sources)
    for relative, original in plan.sources.items():
        copy = folder / relative
        assert copy.read_bytes() == original.read_bytes()
        if relative in plan.shared:
            assert copy.stat().st_ino == original.stat().st_ino  # the same file, linked
        else:
            assert copy.stat().st_ino != original.stat().st_ino
            assert "House Kick Deep 01" in relative
    # A new kit version is written beside the old files and renamed over them: the project's
    # samples stay exactly what its set was made with.
    kept = {r: (folder / r).read_bytes() for r in plan.shared}
    some = next(iter(plan.shared))
    kit_file = plan.sources[some]
    replacement = kit_file.with_suffix(".new")
    replacement.write_bytes(b"RIFF-another-kit")
    replacement.replace(kit_file)
    assert all((folder / r).read_bytes() == data for r, data in kept.items())


def test_without_hard_links_the_kit_is_copied_durably(tmp_path, monkeypatch):
    import os as os_module

    def refuse(*_args, **_kwargs):
        raise OSError(18, "Invalid cross-device link")

    monkeypatch.setattr(os_module, "link", refuse)
    result = generate(
        "techno en Fa menor",
        seed=3,
        out_dir=tmp_path / "out",
        sounds=SoundSource(tmp_path / "kit").chooser(),
    )
    for relative, original in result.sounds.sources.items():
        copy = result.project.folder / relative
        assert copy.read_bytes() == original.read_bytes()
        assert copy.stat().st_ino != original.stat().st_ino
        assert int(copy.stat().st_mtime) == int(original.stat().st_mtime)  # LastModDate holds
    assert read_als(result.project.als) == result.arrangement


# --------------------------------------------------------------------------- sustain


def _held(path, loop, pitch: int, root: int, seconds: float) -> np.ndarray:
    """The note as a sampler plays it: the file read at the note's speed, looping."""
    import soundfile

    from companion.kit.loops import Loop, play_held

    data, rate = soundfile.read(str(path), always_2d=True)
    speed = 2 ** ((pitch - root) / 12)
    needed = int(seconds * rate * speed) + 2
    source = play_held(data.mean(axis=1), Loop(loop.start, loop.end, 0), needed / rate)
    positions = np.arange(int(seconds * rate)) * speed
    return np.interp(positions, np.arange(len(source)), source)


@pytest.mark.parametrize("style", STYLES)
def test_every_style_sustains_its_held_notes(tmp_path, kit_dir, style):
    """Each sustained part plays a looped zone near every note, and its longest note, played
    through the zone's sample at its pitch for its whole length, never goes silent."""
    result = generate(
        f"{style} en La menor", seed=3, out_dir=tmp_path, sounds=SoundSource(kit_dir).chooser()
    )
    song = result.arrangement
    assert song.style == style
    for track in song.tracks:
        if track.role not in ("bass", "chords", "pads", "lead") or not track.note_count:
            continue
        instrument = track.instrument
        assert instrument.kind == "multi", (style, track.role)
        notes = [n for clip in track.clips for n in clip.notes]
        for note in notes:
            zone = next(z for z in instrument.zones if z.low <= note.pitch <= z.high)
            assert zone.loop is not None and abs(note.pitch - zone.sample.root_note) <= 12
        longest = max(notes, key=lambda n: n.duration)
        seconds = min(longest.duration * 60 / song.bpm, 16.0)
        zone = next(z for z in instrument.zones if z.low <= longest.pitch <= z.high)
        played = _held(
            result.project.folder / zone.sample.path,
            zone.loop,
            longest.pitch,
            zone.sample.root_note,
            seconds,
        )
        window = int(0.05 * 44_100)
        rms = np.sqrt(np.convolve(played**2, np.ones(window) / window, mode="valid"))
        after_attack = rms[int(0.6 * 44_100) :] if len(rms) > 0.6 * 44_100 else rms[-1:]
        assert after_attack.min() > 0.05 * rms.max(), (style, track.role, seconds)


@pytest.mark.parametrize("style", ["ambient", "trap", "drum-and-bass", "synthwave", "lo-fi"])
def test_the_render_hears_no_sustain_gaps(tmp_path, kit_dir, style):
    """The offline render (notes through the kit's samples and Simpler settings) of the section
    with the most held time: no sustained part is ever silent while a note is held. With the
    one-shot kit these styles had 6–38% of held time silent."""
    from companion.render.engine import render

    result = generate(
        f"{style} en La menor", seed=3, out_dir=tmp_path, sounds=SoundSource(kit_dir).chooser()
    )
    song = result.arrangement
    sustained = [t for t in song.tracks if t.role in ("bass", "chords", "pads", "lead")]

    def held(index: int) -> float:
        return sum(
            n.duration for t in sustained for c in t.clips if c.section == index for n in c.notes
        )

    section = max(range(len(song.sections)), key=held)
    heard = render(song, result.project.folder, song.sections[section].name, measure=True)
    parts = [p for p in heard.parts if p.held is not None and p.held.notes]
    assert parts, style
    for part in parts:
        assert part.held.silent_share == 0.0 and part.held.notes_with_gaps == 0, (
            style,
            part.name,
            part.held,
        )


def test_a_struck_instrument_reaches_the_set_with_its_velocity_layers(tmp_path, kit_dir):
    """House chords play the kit's piano: every key zone twice (soft below the split, hard
    from it) in the written set, and the accents of the part land on the hard files."""
    from companion.kit.velocity import VELOCITY_LAYERS

    result = generate(
        "house a 124 en La menor", seed=3, out_dir=tmp_path, sounds=SoundSource(kit_dir).chooser()
    )
    chords = next(t for t in result.arrangement.tracks if t.role == "chords")
    split = VELOCITY_LAYERS["Keys_Piano_House"].split
    zones = chords.instrument.zones
    assert {(z.velocity_low, z.velocity_high) for z in zones} == {(1, split - 1), (split, 127)}
    assert all(("_Hard_" in z.sample.path) == (z.velocity_low == split) for z in zones)
    written = read_als(next(result.project.folder.glob("*.als")))
    assert next(t for t in written.tracks if t.role == "chords").instrument.zones == zones
    played = [
        chords.instrument.zone_for(n.pitch, n.velocity).sample.path
        for c in chords.clips
        for n in c.notes
    ]
    hard = sum("_Hard_" in path for path in played) / len(played)
    assert 0.05 < hard < 0.5  # the accents: most of the comping stays soft
