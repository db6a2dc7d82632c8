"""The render: every channel of the set, through its effects and mixer, into the Main bus.

Signal flow, as in Live: instrument (or audio clip) → the track's devices → fader → panner → Main,
and post-fader sends → return tracks (devices → fader → panner) → Main → Main's devices → Main
fader. A compressor's sidechain listens to its key track after that track's devices (Live's
"Post FX" tap). Automation moves mixer parameters frame by frame and device parameters block by
block. Same arrangement and samples → same bytes out.
"""

from __future__ import annotations

import math
import os
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from companion.arrangement import Arrangement, Device, Section, Track
from companion.render import RenderError
from companion.render.automation import Automation
from companion.render.effects import effect_for
from companion.render.loops import play_loop
from companion.render.mixer import apply_fader, db_to_gain_array
from companion.render.mixer import db_to_gain as gain_of
from companion.render.params import Params
from companion.render.samples import SampleStore
from companion.render.spans import WORTH_IT, gather, scatter, sounding_blocks
from companion.render.timeline import SAMPLE_RATE, Timeline
from companion.render.voices import HeldStats, play_instrument

MIN_PREROLL_S = 2.0  # effects (reverb, delay, compressors) settle before a section starts
MAX_PREROLL_S = 12.0


@dataclass
class PartRender:
    """One track's share of the render."""

    name: str
    role: str
    energy: float  # sum of squares of what it sends straight to Main, over the output
    peak: float  # its highest sample there
    voices: int = 0
    onsets: list[float] = field(default_factory=list)  # seconds from the output's start
    held: HeldStats | None = None
    stem: np.ndarray | None = None  # (frames, 2), post fader and pan, when asked for


@dataclass
class RenderResult:
    audio: np.ndarray  # (frames, 2) float32
    sample_rate: int
    start_seconds: float  # song time of the first frame
    bpm: float
    parts: list[PartRender]
    returns: dict[str, float] = field(default_factory=dict)  # return name → energy
    missing: list[str] = field(default_factory=list)  # sample files that could not be read

    @property
    def seconds(self) -> float:
        return self.audio.shape[0] / self.sample_rate

    @property
    def stems(self) -> dict[str, np.ndarray]:
        return {part.name: part.stem for part in self.parts if part.stem is not None}


def find_section(arrangement: Arrangement, name: str) -> Section:
    wanted = name.strip().casefold()
    for section in arrangement.sections:
        if section.name.casefold() == wanted:
            return section
    names = ", ".join(section.name for section in arrangement.sections) or "none"
    raise RenderError(f"no section named {name!r} (sections: {names})")


def _window(
    arrangement: Arrangement, section: str | None, seconds: float | None
) -> tuple[float, float]:
    """(first beat, end beat) of the output."""
    start, end = 0.0, arrangement.length_beats
    if section is not None:
        found = find_section(arrangement, section)
        start = arrangement.section_start_beat(found)
        end = min(end, start + found.bars * arrangement.beats_per_bar)
    if seconds is not None:
        if not seconds > 0 or not math.isfinite(seconds):
            raise RenderError("seconds must be a positive number")
        end = min(end, start + seconds * arrangement.bpm / 60.0)
    if end <= start:
        raise RenderError("nothing to render: the window is empty")
    return start, end


def _preroll_seconds(arrangement: Arrangement) -> float:
    """How long effects need to reach the state they have at a section's start."""
    tail = MIN_PREROLL_S
    devices = [d for t in arrangement.tracks for d in t.devices]
    devices += [d for r in arrangement.returns for d in r.devices] + arrangement.main.devices
    for device in devices:
        if device.kind == "reverb":
            tail = max(tail, device.param("decay_s") + 1.0)
        elif device.kind == "delay":
            tail = max(tail, 4.0)
    return min(tail, MAX_PREROLL_S)


class _Mixer:
    def __init__(
        self,
        arrangement: Arrangement,
        store: SampleStore,
        timeline: Timeline,
        measure: bool,
        measure_from: int = 0,
    ) -> None:
        self.arrangement = arrangement
        self.measure_from = measure_from
        self.store = store
        self.timeline = timeline
        self.measure = measure
        self.song_end = arrangement.length_beats
        self.by_name: dict[str, Track] = {}
        for track in arrangement.tracks:
            self.by_name.setdefault(track.name, track)
        keys = {
            d.sidechain for t in arrangement.tracks for d in t.devices if d.sidechain is not None
        }
        keys |= {d.sidechain for r in arrangement.returns for d in r.devices if d.sidechain}
        keys |= {d.sidechain for d in arrangement.main.devices if d.sidechain}
        self.keys: set[str] = keys
        self.post_fx: dict[str, np.ndarray] = {}  # key tracks, after their devices
        self.sources: dict[str, tuple[np.ndarray, int, list[int], HeldStats | None]] = {}
        self._busy: set[str] = set()

    # ------------------------------------------------------------------------- sources
    def source(self, track: Track) -> tuple[np.ndarray, int, list[int], HeldStats | None]:
        """What the track plays before its devices: (audio, voices, onsets, held stats)."""
        if track.audio is not None:
            audio, starts = play_loop(track, track.audio, self.store, self.timeline, self.song_end)
            return audio, len(starts), starts, None
        if track.instrument is not None:
            out = play_instrument(
                track,
                track.instrument,
                self.store,
                self.timeline,
                self.song_end,
                self.measure,
                self.measure_from,
            )
            return out.audio, out.voices, out.onsets, out.held
        return np.zeros((2, self.timeline.frames), dtype=np.float32), 0, [], None

    def devices(
        self,
        audio: np.ndarray,
        devices: list[Device],
        automation: Automation,
    ) -> np.ndarray:
        for index, device in enumerate(devices):
            if not device.on:
                continue
            params = Params.of(device, index, automation, self.timeline.blocks)
            key = self.key(device.sidechain) if device.sidechain else None
            effect = effect_for(device, self.arrangement.bpm, self.timeline.start)
            tail = effect.tail_seconds(params.first())
            if tail is not None:
                blocks = sounding_blocks(audio, round(tail * SAMPLE_RATE))
                if blocks.size == 0:
                    continue  # silence in, silence out
                if blocks.size < WORTH_IT * self.timeline.blocks:
                    compact = effect.process(
                        gather(audio, blocks),
                        params.take(blocks),
                        gather(key, blocks) if key is not None else None,
                    )
                    audio = scatter(compact, blocks, audio.shape[1])
                    continue
            audio = effect.process(audio, params, key)
        return audio

    def key(self, name: str) -> np.ndarray:
        """A key track's signal after its devices (its dry signal if keys form a loop)."""
        if name in self.post_fx:
            return self.post_fx[name]
        track = self.by_name[name]
        if name in self._busy:
            return self.dry(track)[0]
        self._busy.add(name)
        audio = self.processed(track)
        self._busy.discard(name)
        return audio

    def dry(self, track: Track):
        """What the track plays before its devices (made once, kept until its track is mixed)."""
        if track.name not in self.sources:
            self.sources[track.name] = self.source(track)
        return self.sources[track.name]

    def processed(self, track: Track) -> np.ndarray:
        if track.name in self.post_fx:
            return self.post_fx[track.name]
        dry = self.dry(track)[0]
        automation = Automation(track.automation, track.clips, self.timeline)
        audio = self.devices(dry, track.devices, automation)
        if track.name in self.keys:
            self.post_fx[track.name] = audio
        return audio


THREADS = max(1, min(2, os.cpu_count() or 1))  # tracks whose devices run at once


def _gain(automation: Automation, target: str, level_db: float) -> float | np.ndarray:
    value = automation.per_frame(target, level_db, db_to_gain_array)
    return value if isinstance(value, np.ndarray) else gain_of(value)


def _fader(audio: np.ndarray, mix_volume: float, mix_pan: float, automation: Automation):
    volume = _gain(automation, "volume", mix_volume)
    return apply_fader(audio, volume, automation.per_frame("pan", mix_pan))


def _mix_track(
    track: Track,
    audio: np.ndarray,
    mixer: _Mixer,
    timeline: Timeline,
    main: np.ndarray,
    returns_in: list[np.ndarray],
    parts: list[PartRender],
    preroll: int,
    first: int,
    end: int,
    stems: bool,
) -> None:
    """Fader, pan and sends of one processed track into Main and the returns."""
    _, voices, onsets, held = mixer.dry(track)
    automation = Automation(track.automation, track.clips, timeline)
    out = _fader(audio, track.mix.volume_db, track.mix.pan, automation)
    main += out
    for index, bus in enumerate(returns_in):
        level = _gain(automation, f"send:{index}", track.mix.send_db(index))
        if isinstance(level, np.ndarray) or level > 0.0:
            bus += out * level
    heard = out[:, preroll:]
    parts.append(
        PartRender(
            name=track.name,
            role=track.role,
            energy=float(np.einsum("ij,ij->", heard, heard, dtype=np.float64)),
            peak=float(np.abs(heard).max()) if heard.size else 0.0,
            voices=voices,
            onsets=[(f - first) / SAMPLE_RATE for f in onsets if first <= f < end],
            held=held,
            stem=np.ascontiguousarray(heard.T) if stems else None,
        )
    )
    mixer.sources.pop(track.name, None)  # keep memory to what is still needed


def render(
    arrangement: Arrangement,
    project_dir: str | Path,
    section: str | None = None,
    seconds: float | None = None,
    stems: bool = False,
    *,
    measure: bool = False,
    confine: bool = False,
    store: SampleStore | None = None,
) -> RenderResult:
    """Stereo float32 audio at 44.1 kHz of what the set plays.

    ``section`` renders one section (by name), ``seconds`` at most that long; ``stems`` keeps
    every track's output; ``measure`` records how long held notes sound (sustain gaps);
    ``confine`` refuses samples that resolve outside ``project_dir``.
    """
    first_beat, end_beat = _window(arrangement, section, seconds)
    frames_per_beat = 60.0 / arrangement.bpm * SAMPLE_RATE
    first, end = round(first_beat * frames_per_beat), round(end_beat * frames_per_beat)
    preroll = min(first, round(_preroll_seconds(arrangement) * SAMPLE_RATE)) if first else 0
    timeline = Timeline(arrangement.bpm, first - preroll, end - first + preroll)
    store = store or SampleStore(Path(project_dir), confine=confine)
    mixer = _Mixer(arrangement, store, timeline, measure, first)
    returns_in = [np.zeros((2, timeline.frames), dtype=np.float32) for _ in arrangement.returns]
    main = np.zeros((2, timeline.frames), dtype=np.float32)
    parts: list[PartRender] = []
    for name in sorted(mixer.keys):  # sidechain sources first: keyed tracks read them
        if name in mixer.by_name:
            mixer.key(name)
    # Each track's devices run in a worker thread (pedalboard and scipy let go of the GIL), at
    # most THREADS tracks ahead; voices are made here (the sample store is not shared) and
    # tracks are summed in their order, so the bytes are those of a one-thread render.
    pool = ThreadPoolExecutor(max_workers=THREADS)
    ahead: deque[tuple[Track, Future[np.ndarray]]] = deque()
    upcoming = iter(arrangement.tracks)

    def start_next() -> None:
        track = next(upcoming, None)
        if track is not None:
            mixer.dry(track)
            ahead.append((track, pool.submit(mixer.processed, track)))

    try:
        for _ in range(THREADS):
            start_next()
        while ahead:
            track, job = ahead.popleft()
            audio = job.result()
            start_next()
            _mix_track(
                track, audio, mixer, timeline, main, returns_in, parts, preroll, first, end, stems
            )
    finally:
        pool.shutdown(cancel_futures=True)
    energies: dict[str, float] = {}
    for returned, bus in zip(arrangement.returns, returns_in, strict=True):
        automation = Automation(returned.automation, [], timeline)
        wet = mixer.devices(bus, returned.devices, automation)
        out = _fader(wet, returned.mix.volume_db, returned.mix.pan, automation)
        heard = out[:, preroll:]
        energies[returned.name] = float(np.einsum("ij,ij->", heard, heard, dtype=np.float64))
        main += out
    automation = Automation(arrangement.main.automation, [], timeline)
    main = mixer.devices(main, arrangement.main.devices, automation)
    main = _fader(main, arrangement.main.volume_db, 0.0, automation)
    audio = np.ascontiguousarray(main[:, preroll:].T, dtype=np.float32)
    return RenderResult(
        audio=audio,
        sample_rate=SAMPLE_RATE,
        start_seconds=first / SAMPLE_RATE,
        bpm=arrangement.bpm,
        parts=parts,
        returns=energies,
        missing=sorted(set(store.missing)),
    )
