"""Each part's energy, section by section, from its notes and the samples they play.

What a note adds is its sample's power over the time it sounds, scaled by the instrument's gains:
Simpler's volume (and the pad chain's fader in a Drum Rack), velocity (Simpler's 35 % velocity
to volume), transposition (a sample played higher is shorter), the note's length for held
sounds (a looped sample holds its loop's level), and retriggers: a pad or a mono voice struck
again cuts the one before. Notes add up as powers (uncorrelated sounds). The result is a fast
stand-in for the render, accurate to a dB or two, which the render then checks.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from companion.arrangement import Arrangement, Instrument, SampleFile, SampleLoop, Track
from companion.production.levels import SPECTRUM_HZ, SampleLevel, typical

VELOCITY_SCALE = 0.35  # Simpler's Vel → Volume as MusiaIA writes it
PAD_NOTE = 60  # a Drum Rack pad plays its Simpler at C3
RELEASE_STEPS = 6  # the release's energy summed over this many slices
MAX_DUCK_POINTS = 64  # a note's ducking averaged over at most this many moments
# A kick holds over the threshold longer than its energy-based decay says (its boom rings
# on): 1.4 times, fitted on solo renders of the pumped parts of house, tech-house and minimal
# techno (with 1.0 the estimate left 0.1-0.7 dB of the ducking out, with 1.8 it took 0.4 dB
# too much in tech-house).
KICK_TAIL = 1.4


@dataclass
class PartEnergy:
    """One track's sound before its fader: energy per section (both channels, sample units
    times seconds), the same K-weighted, its band shares and its loudest moment."""

    energy: dict[int, float] = field(default_factory=dict)
    weighted: dict[int, float] = field(default_factory=dict)
    plain: dict[int, float] = field(default_factory=dict)  # before any ducking
    plain_weighted: dict[int, float] = field(default_factory=dict)
    low: float = 0.0  # energy below 250 Hz, whole song
    high: float = 0.0
    total: float = 0.0
    peak: float = 0.0  # linear amplitude of the loudest note (sample peak × gains)
    # Where the energy sits: Hz → energy, each sample's band spectrum moved by the transposition
    # its notes play it at (chains weigh the EQ's response over it); ``spectral`` of ``total``
    # comes from samples with a known spectrum.
    spectrum: dict[float, float] = field(default_factory=dict)
    spectral: float = 0.0
    mid: float = 0.0  # energy × its samples' mid share (see SampleLevel.mid), summed

    @property
    def mid_share(self) -> float:
        return self.mid / self.total if self.total else 1.0

    def add(
        self, section: int, energy: float, level: SampleLevel, peak: float, ducked: float = 1.0
    ) -> None:
        """A note's ``energy`` (before the pump leaves ``ducked`` of it)."""
        self.add_sums(section, energy, energy * level.k_weight, ducked, level.low, level.high)
        self.peak = max(self.peak, peak)

    def add_sums(
        self, section: int, energy: float, weighted: float, ducked: float, low: float, high: float
    ) -> None:
        self.plain[section] = self.plain.get(section, 0.0) + energy
        self.plain_weighted[section] = self.plain_weighted.get(section, 0.0) + weighted
        energy *= ducked
        self.energy[section] = self.energy.get(section, 0.0) + energy
        self.weighted[section] = self.weighted.get(section, 0.0) + weighted * ducked
        self.low += energy * low
        self.high += energy * high
        self.total += energy

    @property
    def low_share(self) -> float:
        return self.low / self.total if self.total else 0.0

    @property
    def high_share(self) -> float:
        return self.high / self.total if self.total else 0.0


def velocity_gain(velocity: int) -> float:
    return 1.0 - VELOCITY_SCALE * (1.0 - velocity / 127.0)


VELOCITY_GAIN = tuple(velocity_gain(v) for v in range(128))


def _gain(db: float) -> float:
    return 10.0 ** (db / 20.0)


class _Voice:
    """What one key of an instrument plays: the sample's level, its transposition and gain."""

    __slots__ = ("gain", "high", "level", "loop", "low", "one_shot", "peak", "rate", "weight")

    def __init__(
        self, level: SampleLevel, semitones: float, gain: float, one_shot: bool, loop: bool
    ) -> None:
        self.level = level
        self.rate = 2.0 ** (semitones / 12.0)
        self.gain = gain
        self.one_shot = one_shot
        self.loop = loop
        self.peak = _gain(level.peak_db) * gain
        self.weight, self.low, self.high = level.k_weight, level.low, level.high


def _level(sample: SampleFile, levels: Mapping[str, SampleLevel], part: str) -> SampleLevel:
    return levels.get(sample.path) or typical(part)


_UNSEEN = object()


class _Keys:
    """The voice each key plays, made the first time the key is asked for."""

    def __init__(
        self, instrument: Instrument | None, levels: Mapping[str, SampleLevel], part: str
    ) -> None:
        self.voices: dict[tuple[int, int], _Voice | None] = {}  # (key, zone index) → voice
        self.by_note: dict[tuple[int, int], _Voice | None] = {}  # (key, velocity) → voice
        # (low key, high key, low velocity, high velocity, sample, loop, level)
        self.zones: list[tuple[int, int, int, int, SampleFile, SampleLoop | None, SampleLevel]] = []
        self.pads: dict[int, _Voice] = {}
        self.fallback: _Voice | None = None
        self.instrument = instrument
        if instrument is None:
            hit = part in ("kick", "snare", "drums", "fx")
            self.fallback = _Voice(typical(part), 0.0, _gain(-6.0), hit, not hit)
            return
        volume = _gain(instrument.volume_db)
        self.volume = volume
        if instrument.kind == "drum_rack":
            for pad in instrument.pads:
                level = _level(pad.sample, levels, part)
                semis = PAD_NOTE + pad.transpose - pad.sample.root_note
                self.pads[pad.note] = _Voice(
                    level, semis, volume * _gain(pad.volume_db), True, False
                )
        elif instrument.kind == "multi":
            self.zones = [
                (
                    z.low,
                    z.high,
                    z.velocity_low,
                    z.velocity_high,
                    z.sample,
                    z.loop,
                    _level(z.sample, levels, part),
                )
                for z in instrument.zones
            ]
        else:
            assert instrument.sample is not None
            sample = instrument.sample
            level = _level(sample, levels, part)
            self.zones = [(0, 127, 1, 127, sample, instrument.loop, level)]

    def get(self, pitch: int, velocity: int = 100) -> _Voice | None:
        """The voice a note plays (by key, and by velocity on a velocity-layered rack)."""
        if self.fallback is not None:
            return self.fallback
        if self.pads or self.instrument is None or self.instrument.kind == "drum_rack":
            return self.pads.get(pitch)
        found = self.by_note.get((pitch, velocity), _UNSEEN)
        if found is not _UNSEEN:
            return found
        index = next(
            (
                i
                for i, (low, high, soft, hard, *_) in enumerate(self.zones)
                if low <= pitch <= high and soft <= min(127, max(1, velocity)) <= hard
            ),
            -1,
        )
        if (pitch, index) not in self.voices:
            voice = None
            if index >= 0:
                _, _, _, _, sample, loop, level = self.zones[index]
                one_shot = self.instrument.one_shot
                looped = loop is not None and not one_shot
                voice = _Voice(level, pitch - sample.root_note, self.volume, one_shot, looped)
            self.voices[(pitch, index)] = voice
        found = self.by_note[(pitch, velocity)] = self.voices[(pitch, index)]
        return found


def _held_energy(
    voice: _Voice, held: float, attack: float, release: float, cut: float = math.inf
) -> float:
    """Energy of a classic-mode note held ``held`` seconds, then released (cut ``cut`` seconds
    after it was let go when its key is struck again): the sample's first seconds (played faster
    or slower by the transposition), then its loop's level, through Simpler's envelope (a linear
    attack; a release falling 70 dB over ``release``)."""
    level = voice.level
    length = level.seconds / voice.rate

    def until(seconds: float) -> float:
        energy = level.energy_until(min(seconds, length) * voice.rate) / voice.rate
        if voice.loop and seconds > length:
            energy += level.loop_power * (seconds - length)
        return energy

    energy = until(held)
    ramp = min(attack, held)
    if ramp > 0:
        # Over the attack the level rises as t / attack: a third of the energy under a full
        # ramp is kept, less when the note ends before the attack does.
        kept = (ramp / attack) ** 2 / 3.0
        energy -= (1.0 - kept) * until(ramp)
    tail = min(release, cut)
    if tail > 0:
        reached = min(1.0, held / attack) if attack > 0 else 1.0
        steps = RELEASE_STEPS
        width = tail / steps
        for k in range(steps):
            t0 = held + k * width
            fall = 10.0 ** (-7.0 * (k + 0.5) * width / release)  # power, -70 dB over release
            energy += (until(t0 + width) - until(t0)) * fall * reached**2
    return max(0.0, energy)


Ducking = Callable[[float, float], float]  # (song beat, beats held) → power left


def ducking(
    kicks: Sequence[float], depth_db: float, hold_s: float, bpm: float, release_s: float = 0.0
) -> Ducking:
    """What a kick-keyed compressor leaves of a note's power: ``depth_db`` of reduction on each
    kick (song beats, sorted), easing off in a straight line (in dB) over ``hold_s`` as the kick
    decays under the threshold, but no faster than the release lets it (an exponential in dB
    of ``release_s``, as the compressor's ballistics run), averaged over the note a sixteenth
    at a time (each moment ducked by the last kick before it: a held pad dips on every kick
    under it)."""
    hold = max(1e-3, hold_s * bpm / 60.0)
    release = release_s * bpm / 60.0
    memo: dict[tuple[float, float], float] = {}
    exact: dict[tuple[float, float], float] = {}  # (start, held) → the same, before rounding

    def left(start: float, held: float) -> float:
        known = exact.get((start, held))
        if known is not None:
            return known
        key = (round(start, 3), round(held, 3))
        found = memo.get(key)
        if found is None:
            points = max(4, min(MAX_DUCK_POINTS, math.ceil(held * 4)))
            total = 0.0
            for k in range(points):
                at = start + held * (k + 0.5) / points
                index = bisect_right(kicks, at + 1e-9) - 1
                if index < 0:
                    total += 1.0
                    continue
                elapsed = at - kicks[index]
                reduced = max(0.0, 1.0 - elapsed / hold)
                if release > 0:
                    reduced = max(reduced, math.exp(-elapsed / release))
                total += 10.0 ** (-depth_db * reduced / 10.0)
            found = memo[key] = total / points
        exact[(start, held)] = found
        return found

    return left


def duck_hold(depth_db: float, ratio: float, release_ms: float, kick: SampleLevel) -> float:
    """Seconds a pump holds: the kick falls (in dB, at its decay's rate) from its peak, which
    the threshold sits ``depth / (1 - 1/ratio)`` under, to the threshold; at least the
    release time."""
    over = depth_db / (1.0 - 1.0 / ratio)
    falls = 10.0 * math.log10(math.e) / max(kick.decay_s, 1e-3)  # dB per second
    return max(release_ms / 1000.0, KICK_TAIL * over / falls)


def part_energy(
    song: Arrangement,
    track: Track,
    part: str,
    levels: Mapping[str, SampleLevel],
    section_of: Mapping[int, int] | None = None,
    duck: Ducking | None = None,
) -> PartEnergy:
    """The track's energy per section index (clips without a section count where they start),
    ducked by ``duck`` where a kick-keyed compressor pumps it."""
    out = PartEnergy()
    instrument = track.instrument
    seconds_per_beat = 60.0 / song.bpm
    keys = _Keys(instrument, levels, part)
    mono = instrument is not None and instrument.mono
    envelope = instrument.envelope if instrument is not None else None
    attack = envelope.attack_ms / 1000.0 if envelope is not None else 0.0
    release = envelope.release_ms / 1000.0 if envelope is not None else 0.3
    chokes = {p.note: p.choke_group for p in instrument.pads} if instrument is not None else {}
    bar = song.beats_per_bar
    memo: dict[tuple, float] = {}  # (voice, beats it sounds, release) → energy at gain 1
    exact: dict[tuple, float] = {}  # the same, before rounding
    by_voice: dict[_Voice, float] = {}  # energy each voice played, for the spectrum
    # The sums are kept in locals, note by note in the same order as PartEnergy.add_sums would
    # add them (same floats, same result): a song has thousands of notes.
    plain, plain_weighted, energies, weighted_sums = (
        out.plain,
        out.plain_weighted,
        out.energy,
        out.weighted,
    )
    low_sum, high_sum, total, peak = out.low, out.high, out.total, out.peak
    mid_sum = out.mid
    for clip in track.clips:
        if clip.section is not None:
            section = clip.section
        else:
            section = (section_of or {}).get(int(clip.start // bar), 0)
        clip_length = clip.length
        notes = [n for n in clip.notes if n.start < clip_length]
        last: dict[int, float] = {}  # pad or choke group → when it was struck next (cuts)
        cut_at: list[float] = [math.inf] * len(notes)
        for index in range(len(notes) - 1, -1, -1):
            note = notes[index]
            group = -chokes[note.pitch] if chokes.get(note.pitch) else note.pitch
            key = -1 if mono else group
            cut_at[index] = last.get(key, math.inf)
            last[key] = note.start
        added = False
        plain_s = plain.get(section, 0.0)
        plain_weighted_s = plain_weighted.get(section, 0.0)
        energy_s = energies.get(section, 0.0)
        weighted_s = weighted_sums.get(section, 0.0)
        for index, note in enumerate(notes):
            voice = keys.get(note.pitch, note.velocity)
            if voice is None:
                continue  # no pad, no zone: the instrument plays nothing
            fade = 0.0  # seconds of release before the key is struck again
            if voice.one_shot:  # plays to its end (past the clip's) unless struck again
                beats = cut_at[index] - note.start
            else:
                beats = min(note.duration, min(cut_at[index], clip_length) - note.start)
                fade = min(release, (cut_at[index] - note.start - beats) * seconds_per_beat)
            energy = exact.get((id(voice), beats, fade))
            if energy is None:
                memo_key = (id(voice), round(beats, 4), round(fade, 3))
                energy = memo.get(memo_key)
                if energy is None:
                    if voice.one_shot:
                        played = beats * seconds_per_beat * voice.rate
                        energy = voice.level.energy_until(played) / voice.rate
                    else:
                        energy = _held_energy(
                            voice, beats * seconds_per_beat, attack, release, fade
                        )
                    memo[memo_key] = energy
                exact[(id(voice), beats, fade)] = energy
            level = VELOCITY_GAIN[note.velocity]
            ducked = (
                1.0 if duck is None else duck(clip.start + note.start, max(note.duration, 0.25))
            )
            energy *= (voice.gain * level) ** 2
            weighted = energy * voice.weight
            plain_s += energy
            plain_weighted_s += weighted
            energy *= ducked
            energy_s += energy
            weighted_s += weighted * ducked
            low_sum += energy * voice.low
            high_sum += energy * voice.high
            total += energy
            mid_sum += energy * voice.level.mid
            if voice.level.spectrum:
                by_voice[voice] = by_voice.get(voice, 0.0) + energy
            added = True
            if voice.peak * level > peak:
                peak = voice.peak * level
        if added:
            plain[section] = plain_s
            plain_weighted[section] = plain_weighted_s
            energies[section] = energy_s
            weighted_sums[section] = weighted_s
    out.low, out.high, out.total, out.peak = low_sum, high_sum, total, peak
    out.mid = mid_sum
    for voice, energy in by_voice.items():
        out.spectral += energy
        for centre, share in zip(SPECTRUM_HZ, voice.level.spectrum, strict=True):
            if share > 0:
                hz = round(centre * voice.rate, 1)
                out.spectrum[hz] = out.spectrum.get(hz, 0.0) + energy * share
    return out
