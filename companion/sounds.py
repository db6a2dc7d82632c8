"""Choosing sounds: from a sample selection to instruments on the song's tracks.

Drums and FX get a Drum Rack (one Simpler per pad note the part plays), every melodic part a
Simpler tuned to its sample's root note. The chosen files are copied into the project
(``Samples/Imported``), as Live's "Collect All and Save" does, so the folder can be moved or
shared and still plays.

Choosing sounds never makes a generation fail: a library file that vanished, broke or does not
fit the set model since it was indexed is left out and its slot chosen again (the next candidate,
or in the end the built-in kit), and the result says which files were skipped and why.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from companion.arrangement import (
    Arrangement,
    AudioLoop,
    Clip,
    DrumPad,
    Instrument,
    KeyZone,
    SampleFile,
    SampleLoop,
    Track,
    WarpMode,
)
from companion.db import Database
from companion.kit.catalogue import instrument_of
from companion.music.spec import SongSpec
from companion.music.styles import style_profile
from companion.samples import palette, palette_fit, voicing
from companion.samples.audio_info import SampleError, read_audio_info
from companion.samples.select import (
    CandidateCache,
    ChosenSample,
    SampleCandidate,
    SampleSelection,
    kit_candidates,
    select_samples,
    tempo_factor,
)

IMPORTED = "Samples/Imported"
CRC_BYTES = 16 * 1024  # Live's FileRef CRC covers the start of the file
CHOKE_HATS = 1
HAT_NOTES = frozenset({42, 44, 46})  # closed, pedal and open hats cut each other off
KIT_NAMES = {"drums": "Drums", "fx": "FX"}
# Parts a loop from the producer's library may layer, on its own audio track: a drum or
# percussion top loop, a vocal loop. Tonal loops (chords, bass…) would bring their own harmony.
LOOP_LAYERS: dict[str, tuple[str, WarpMode]] = {
    "drums": ("Drum Loop", "beats"),
    "vocals": ("Vocal Loop", "complex"),
}
LOOP_MIN_ENERGY = 0.6  # loops play in the song's fuller sections (drops, choruses, builds)
# Selections tried with the broken files left out before the parts still missing a sound are
# given the built-in kit's (an unplugged drive can break every library file chosen in a round).
MAX_ROUNDS = 3
WARNINGS_LISTED = 5  # skipped files named one by one in a result; the rest are counted

log = logging.getLogger("musiaia.sounds")


@dataclass
class SoundPlan:
    """The song with instruments, and where each sample in the project comes from."""

    arrangement: Arrangement
    sources: dict[str, Path] = field(default_factory=dict)  # project path → file to copy
    # Project paths whose source is MusiaIA's own kit: files that are never changed in place
    # (a new kit version is written beside them and renamed over), so the project may share
    # them (a hard link) instead of holding a second copy.
    shared: set[str] = field(default_factory=set)
    chosen: list[tuple[int, ChosenSample]] = field(default_factory=list)  # (version, choice)
    skipped: dict[str, str] = field(default_factory=dict)  # source file → why it was not used
    warnings: list[str] = field(default_factory=list)  # the same, for the producer
    kit_dir: Path | None = None  # the built-in kit's folder (its manifest has level facts)


def _crc_table() -> tuple[int, ...]:
    table = []
    for byte in range(256):
        crc = byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x8005) & 0xFFFF if crc & 0x8000 else (crc << 1) & 0xFFFF
        table.append(crc)
    return tuple(table)


_CRC_TABLE = _crc_table()


def crc16(data: bytes) -> int:
    """CRC-16 (polynomial 0x8005, no reflection) of the first 16 KiB, for FileRef/OriginalCrc.

    Which CRC Live records is not documented; this follows the one public analysis of it. Live
    finds files by path first, so a mismatch only matters when it has to search.
    """
    crc, table = 0, _CRC_TABLE
    for byte in data[:CRC_BYTES]:
        crc = ((crc << 8) & 0xFFFF) ^ table[(crc >> 8) ^ byte]
    return crc


# A file's facts, keyed by (path, size, mtime): the kit and a library are read again and again.
_FACTS: dict[tuple[str, int, int], tuple] = {}


def _file_facts(source: Path) -> tuple:
    stat = source.stat()
    key = (str(source), stat.st_size, stat.st_mtime_ns)
    facts = _FACTS.get(key)
    if facts is None:
        info = read_audio_info(source)
        with source.open("rb") as handle:
            crc = crc16(handle.read(CRC_BYTES))
        loop = info.sampler.loops[0] if info.sampler and info.sampler.loops else None
        facts = (
            info.frames,
            info.sample_rate,
            info.root_note,
            stat.st_size,
            crc,
            max(0, int(stat.st_mtime)),  # a file dated before 1970 is not a negative date
            (loop.start, loop.end) if loop is not None else None,
        )
        if len(_FACTS) > 50_000:
            _FACTS.clear()
        _FACTS[key] = facts
    return facts


def _slot_title(slot: str) -> str:
    return slot.replace("_", " ").title()


_STEM_UNSAFE = re.compile(r"[^\w .+-]+", flags=re.UNICODE)  # compiled once: named per sample
_SPACES = re.compile(r"\s+")


def _safe_stem(name: str) -> str:
    stem = _STEM_UNSAFE.sub(" ", name).strip(" .") or "sample"
    return _SPACES.sub(" ", stem)[:60]


class _Importer:
    """Names chosen files inside the project and reads what Live's SampleRef records."""

    def __init__(self) -> None:
        self.sources: dict[str, Path] = {}
        self.shared: set[str] = set()
        self._by_source: dict[Path, SampleFile] = {}
        self.loops: dict[Path, SampleLoop] = {}  # the sustain loop a file's smpl chunk gives
        self.broken: dict[str, str] = {}  # chosen files that cannot be used, and why

    def sample_file(self, choice: ChosenSample) -> SampleFile | None:
        return self.import_file(Path(choice.path), choice.root_note, choice.source == "kit")

    def import_file(self, source: Path, root_note: int | None, kit: bool) -> SampleFile | None:
        if source in self._by_source:
            return self._by_source[source]
        if str(source) in self.broken:
            return None
        try:
            frames, rate, file_root, size, crc, mtime, loop = _file_facts(source)
        except SampleError as exc:
            return self.broken_file(source, exc.reason)
        except FileNotFoundError:
            return self.broken_file(source, "the file is gone")
        except OSError as exc:
            return self.broken_file(source, f"cannot read the file ({exc.strerror or exc})")
        relative = f"{IMPORTED}/{_safe_stem(source.stem)}{source.suffix.lower()}"
        if relative in self.sources and self.sources[relative] != source:
            digest = hashlib.sha1(str(source).encode()).hexdigest()[:6]
            relative = f"{IMPORTED}/{_safe_stem(source.stem)} {digest}{source.suffix.lower()}"
        root = root_note if root_note is not None else file_root
        try:
            sample = SampleFile(
                path=relative,
                frames=frames,
                sample_rate=rate,
                root_note=60 if root is None else min(127, max(0, root)),
                size=size,
                crc=crc,
                mtime=mtime,
            )
        except ValidationError as exc:
            return self.broken_file(source, f"a set cannot use it ({_first_problem(exc)})")
        self.sources[relative] = source
        if kit:
            self.shared.add(relative)
        self._by_source[source] = sample
        if loop is not None and 0 <= loop[0] < loop[1] <= frames:
            self.loops[source] = SampleLoop(start=loop[0], end=loop[1])
        return sample

    def broken_file(self, source: Path, reason: str) -> None:
        """Note a chosen file that cannot be used (its slot is chosen again without it)."""
        self.broken[str(source)] = reason


def _first_problem(exc: ValidationError) -> str:
    error = exc.errors()[0]
    where = ".".join(str(part) for part in error.get("loc", ()))
    return f"{where}: {error.get('msg', '')}".strip(": ")


def _rack(
    track: Track, choices: Sequence[ChosenSample], importer: _Importer, style_label: str
) -> Instrument | None:
    used = {note.pitch for clip in track.clips for note in clip.notes}
    pads = []
    for choice in choices:
        if choice.pad_note is None or choice.pad_note not in used:
            continue
        sample = importer.sample_file(choice)
        if sample is not None:
            pads.append(
                DrumPad(
                    note=choice.pad_note,
                    name=_slot_title(choice.slot),
                    sample=sample,
                    choke_group=CHOKE_HATS if choice.pad_note in HAT_NOTES else 0,
                    volume_db=voicing.DRUM_PAD_DB,
                )
            )
    if not pads:
        return None
    name = f"{style_label} {KIT_NAMES.get(track.role, track.name)}".strip()
    return Instrument(kind="drum_rack", name=name, pads=pads)


def _zones(choice: ChosenSample, importer: _Importer) -> list[KeyZone] | None:
    """All zones of the kit instrument a chosen kit file belongs to (None if it is none)."""
    if choice.source != "kit":
        return None
    instrument = instrument_of(Path(choice.path).name)
    if instrument is None:
        return None
    folder = Path(choice.path).parent
    zones = []
    for low, high, sound in instrument.layers():
        source = folder / sound.filename
        sample = importer.import_file(source, sound.root_note, kit=True)
        if sample is None:
            return None
        zones.append(
            KeyZone(
                low=low,
                high=high,
                sample=sample,
                loop=importer.loops.get(source),
                velocity_low=sound.velocity[0],
                velocity_high=sound.velocity[1],
            )
        )
    return zones


def _simpler(
    track: Track,
    choices: Sequence[ChosenSample],
    importer: _Importer,
    mood: str | None = None,
) -> Instrument | None:
    """A melodic part's instrument: a kit instrument's key zones (an Instrument Rack), or one
    Simpler playing the chosen file (looping where the file says how), voiced for its role."""
    for choice in choices:
        sample = importer.sample_file(choice)
        if sample is None:
            continue
        one_shot = track.role == "fx"
        words = palette_fit.candidate_words(choice.path, ())
        subtype = (
            instrument.subtype if (instrument := instrument_of(Path(choice.path).name)) else None
        )
        legato = voicing.legato_for(subtype, words) if track.role in ("bass", "lead") else None
        settings = dict(
            name=track.name,
            one_shot=one_shot,
            envelope=voicing.envelope_for(track.role),
            filter_hz=palette.filter_hz(mood, track.role),
            mono=bool(legato and legato.mono),
            glide_ms=legato.glide_ms if legato else 0.0,
        )
        zones = None if one_shot else _zones(choice, importer)
        if zones:
            return Instrument(kind="multi", zones=zones, **settings)
        loop = None if one_shot else importer.loops.get(Path(choice.path))
        return Instrument(kind="simpler", sample=sample, loop=loop, **settings)
    return None


def loop_beats(sample: SampleFile, loop_bpm: float, song_bpm: float) -> float | None:
    """The loop's length in song beats (whole beats, as loops are cut), or None if it does not
    fit the song's tempo."""
    factor = tempo_factor(loop_bpm, song_bpm)
    if factor is None:
        return None
    beats = sample.frames / sample.sample_rate * loop_bpm / 60.0 * factor
    return float(max(1, round(beats)))


def loop_track(arrangement: Arrangement, layered: Track, loop: AudioLoop) -> Track | None:
    """An audio track playing ``loop`` in the fuller sections where ``layered`` plays."""
    playing = {clip.section for clip in layered.clips if clip.section is not None}
    clips = [
        Clip(
            name=section.name,
            start=arrangement.section_start_beat(section),
            length=section.bars * arrangement.beats_per_bar,
            section=index,
        )
        for index, section in enumerate(arrangement.sections)
        if index in playing and section.energy >= LOOP_MIN_ENERGY
    ]
    if not clips:
        return None
    name = LOOP_LAYERS.get(layered.role, (f"{layered.name} Loop",))[0]
    return Track(name=name, role=layered.role, color=layered.color, clips=clips, audio=loop)


def _new_loop(
    choice: ChosenSample, role: str, song_bpm: float, importer: _Importer
) -> AudioLoop | None:
    sample = importer.sample_file(choice.model_copy(update={"root_note": None}))
    if sample is None or choice.bpm is None:
        return None
    beats = loop_beats(sample, choice.bpm, song_bpm)
    if beats is None:
        return None
    try:
        return AudioLoop(sample=sample, beats=beats, bpm=choice.bpm, warp_mode=LOOP_LAYERS[role][1])
    except ValidationError as exc:  # e.g. hours of audio: more beats than a set may hold
        importer.broken_file(Path(choice.path), f"a set cannot use it ({_first_problem(exc)})")
        return None


def _kept_loop(loop: AudioLoop, song_bpm: float) -> AudioLoop | None:
    """The previous version's loop, re-measured for the new tempo (dropped if it no longer fits)."""
    beats = loop_beats(loop.sample, loop.bpm, song_bpm)
    if beats is None:
        return None
    try:
        return AudioLoop.model_validate(loop.model_dump() | {"beats": beats})
    except ValidationError:
        return None


def choose_sounds(
    arrangement: Arrangement,
    seed: int,
    candidates: Sequence[SampleCandidate],
    keep: Mapping[str, Instrument] | None = None,
    style_label: str = "",
    keep_loops: Mapping[str, AudioLoop] | None = None,
) -> SoundPlan:
    """Instruments for every track: ``keep`` (role → instrument, e.g. from the previous version
    of the project) wins, so changing a song does not change its sounds; the rest is chosen.

    Loops from the producer's library that fit the song's tempo (and key, for vocals) are layered
    on audio tracks next to the part they belong to. A new version (``keep`` given) keeps the
    previous version's loops (``keep_loops``) and adds no new ones.

    A chosen file that cannot be used is left out and the selection made again without it (at
    most :data:`MAX_ROUNDS` times, then from the built-in kit alone); ``skipped`` and
    ``warnings`` of the plan say which files and why.
    """
    skipped: dict[str, str] = {}
    pool = list(candidates)
    for round_ in range(MAX_ROUNDS + 1):
        if round_ == MAX_ROUNDS:
            pool = [c for c in pool if c.source == "kit"]
        plan = _choose_once(arrangement, seed, pool, keep, style_label, keep_loops)
        fresh = {path: why for path, why in plan.skipped.items() if path not in skipped}
        skipped |= fresh
        if not fresh or round_ == MAX_ROUNDS:
            break
        pool = [c for c in pool if c.path not in skipped]
    plan.skipped = skipped
    plan.warnings = skipped_warnings(skipped)
    for path, why in skipped.items():
        log.warning("sample not used: %s (%s)", path, why)
    return plan


def skipped_warnings(skipped: Mapping[str, str]) -> list[str]:
    """One line per skipped file (the first few), for the producer."""
    lines = [
        f"{Path(path).name} was not used ({why}); another sound plays its part"
        for path, why in list(skipped.items())[:WARNINGS_LISTED]
    ]
    if len(skipped) > WARNINGS_LISTED:
        lines.append(f"{len(skipped) - WARNINGS_LISTED} more samples could not be used")
    return lines


def _choose_once(
    arrangement: Arrangement,
    seed: int,
    candidates: Sequence[SampleCandidate],
    keep: Mapping[str, Instrument] | None,
    style_label: str,
    keep_loops: Mapping[str, AudioLoop] | None,
) -> SoundPlan:
    new_version = keep is not None
    keep = keep or {}
    keep_loops = keep_loops or {}
    selection: SampleSelection = select_samples(
        arrangement, candidates, seed, loops=not new_version
    )
    importer = _Importer()
    chosen: list[ChosenSample] = []
    tracks: list[Track] = []
    for track in arrangement.tracks:
        if track.is_audio:
            continue  # loop tracks are derived here, never composed
        instrument = keep.get(track.role)
        if instrument is None:
            choices = selection.parts.get(track.role, [])
            if track.role in ("drums", "fx"):
                instrument = _rack(track, choices, importer, style_label)
            else:
                instrument = _simpler(track, choices, importer, arrangement.mood)
            if instrument is not None:
                chosen.extend(c for c in choices if Path(c.path) in importer._by_source)
        # A shallow copy: clips and notes are shared, never changed, so this stays cheap.
        tracks.append(track.model_copy(update={"instrument": instrument}))
        if track.role not in LOOP_LAYERS:
            continue
        if new_version:
            loop = keep_loops.get(track.role)
            loop = _kept_loop(loop, arrangement.bpm) if loop is not None else None
        else:
            choice = selection.loops.get(track.role)
            loop = _new_loop(choice, track.role, arrangement.bpm, importer) if choice else None
            if loop is not None:
                chosen.append(choice)
        layer = loop_track(arrangement, track, loop) if loop is not None else None
        if layer is not None:
            tracks.append(layer)
    song = arrangement.model_copy(update={"tracks": tracks})
    return SoundPlan(
        arrangement=song,
        sources=dict(importer.sources),
        chosen=[(0, c) for c in chosen],
        shared=set(importer.shared),
        skipped=dict(importer.broken),
    )


class SoundSource:
    """Where candidate sounds come from: the producer's indexed library and the built-in kit
    (rendered into ``kit_dir`` on first use)."""

    def __init__(self, kit_dir: Path, database: Database | None = None) -> None:
        self.kit_dir = Path(kit_dir)
        self.library = CandidateCache(database) if database is not None else None

    def candidates(self, owner: int | None = None) -> list[SampleCandidate]:
        """The kit and the library files ``owner`` may use: the shared folders and their own
        uploads (``owner`` None: the shared folders only)."""
        library = self.library.get() if self.library is not None else []
        mine = [c for c in library if c.owner_id is None or (owner and c.owner_id == owner)]
        return [*mine, *kit_candidates(self.kit_dir)]

    def chooser(
        self,
        keep: Mapping[str, Instrument] | None = None,
        keep_sources=None,
        keep_loops: Mapping[str, AudioLoop] | None = None,
        owner: int | None = None,
    ):
        """The pipeline's "choosing sounds" stage: (arrangement, spec) → SoundPlan, for the
        account ``owner``. ``exclude`` leaves out files that vanished after a first choice."""

        def choose(
            arrangement: Arrangement, spec: SongSpec, exclude: Collection[str] = ()
        ) -> SoundPlan:
            label = style_profile(spec.style).label if spec.style else ""
            gone = {str(path) for path in exclude}
            candidates = [c for c in self.candidates(owner) if c.path not in gone]
            plan = choose_sounds(arrangement, spec.seed, candidates, keep, label, keep_loops)
            plan.sources.update(
                {rel: src for rel, src in (keep_sources or {}).items() if str(src) not in gone}
            )
            plan.kit_dir = self.kit_dir
            return plan

        return choose


def kept_sources(
    previous_folder: Path,
    instruments: Mapping[str, Instrument],
    loops: Mapping[str, AudioLoop] | None = None,
) -> dict[str, Path]:
    """Files a kept instrument or loop plays, already inside the project folder."""
    sources: dict[str, Path] = {}
    samples = [loop.sample for loop in (loops or {}).values()]
    for instrument in instruments.values():
        samples.extend(instrument.samples())
    for sample in samples:
        path = previous_folder / Path(*sample.path.split("/"))
        if path.is_file():
            sources[sample.path] = path
    return sources


def preserve_mtime(target: Path, source: Path) -> None:
    """Copies keep the source's modification time, which the set records as LastModDate."""
    stat = source.stat()
    os.utime(target, (stat.st_atime, stat.st_mtime))
