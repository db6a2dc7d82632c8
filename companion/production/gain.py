"""Gain staging: faders that put each part at its reference level, and the Main limiter's gain
that brings the song to its style's loudness at a safe true peak.

1. Each part's power while it plays (its energy over the sections where it sounds, after its
   devices) is set against the style's reference share: fader² = share × K / power, so parts
   land on the table's relative levels whatever their samples' levels.
2. K puts the fullest sections' dry mix at a mixing level with headroom (``MIX_LUFS``), no fader
   above +6 dB (Live's maximum). K depends on the parts' spectra and shares, not on their levels:
   changing one part (its samples, its ducking) moves that part's fader only.
3. The song's integrated loudness is estimated section by section with BS.1770's gates (blocks
   below -70 LUFS and 10 LU under the mean are left out), returns included; the limiter's gain
   makes up the difference to the target, plus what the limiter itself takes off the peaks it
   flattens (estimated from the loudest coincidence of parts, the kick and bass hitting together).
   A mix already louder than its target (a wet, quiet style) has every fader trimmed down.

The render is the judge of all this; these are the fast estimates generation runs on.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from companion.production.levels import db

MIX_LUFS = -16.0  # the fullest sections before the limiter: peaks near -6 dBFS
MAX_FADER_DB = 6.0  # Live's fader maximum
MIN_FADER_DB = -40.0
MAX_GAIN_DB = 30.0  # with the instrument's volume (Simpler goes to +36 dB from its -6 default)
MIN_GAIN_DB = -60.0


def split_gain(gain_db: float) -> tuple[float, float]:
    """(fader, instrument trim) dB for a channel gain: the fader within its range, the rest on
    the instrument's volume, as a producer turns up a sample too quiet for the fader."""
    fader = max(MIN_FADER_DB, min(MAX_FADER_DB, gain_db))
    return fader, gain_db - fader


# The limiter's sample-peak ceiling. A clipped and limited master's waveform overshoots between
# samples; with the master's gentle high cut, by up to 1.3 dB: -2.3 dBFS keeps it at -1 dBTP.
CEILING_DB = -2.3
ABSOLUTE_GATE = -70.0
RELATIVE_GATE = 10.0
# 400 ms blocks gated: a song measures louder than its sections' mean power. Refitted with the
# spectral EQ and reverb estimates: over 81 renders (22 styles and 5 moods, seeds 5, 11, 23) the
# songs came out 0.18 dB under their targets on average with 0.8 (0.11 over before them).
GATING_LIFT = 0.5
MAX_LIMITER_GAIN = 24.0
# Measured on the render (tanh soft clip, the master EQ, then the brick-wall limiter, over whole
# songs of eleven styles): what each takes off the loudness, by how hard it works. The clipper:
# 0.027 dB per dB² of drive; the EQ's high cut 0.3 dB; the limiter: 0.042 dB per dB² of peaks
# over the ceiling. A limiter flattening more than a few dB of peaks pumps and leaves
# inter-sample peaks over the ceiling, so the clipper takes most of the crest.
CLIP_LOSS = 0.027
EQ_LOSS = 0.3
LIMIT_LOSS = 0.042
LIMIT_OVER_DB = 1.5  # what the limiter is left to flatten
MIN_CLIP_DB = 2.0  # less drive than this is not worth a clipper
MAX_CLIP_DB = 14.0
# What a return gives back per unit of power sent (100 % wet), fitted on the render of twelve
# styles' fullest sections (within about 20 %): a reverb holds steady tones in its combs, so a
# tonal part returns in proportion to the decay time, a drum hit about the same whatever the
# decay; a delay's repeats add 1 / (1 - feedback²), ping-pong keeps less of each side.
# (Used for a part without a known spectrum; see comb_ring for the rest.)
REVERB_TONAL = 2.23  # per second of decay
REVERB_HIT = 1.62
DELAY_TONAL = 1.0
DELAY_PING_PONG = 0.4
DELAY_HIT = 0.25  # a hit's share of a tone's repeats (the band-pass keeps less of it)


# The reverb as the render runs it (Freeverb): eight combs of about 1378 frames at 44.1 kHz,
# their feedback set for the decay time (0.7 to 0.98), a one-pole low-pass of 0.16 in each
# comb's loop. A steady tone at f rings 1 / (1 - g²·|lowpass(f)|²) times its power on
# average, so a long hall holds a low-mid pad far longer than the highs of a hat or a noise.
COMB_FRAMES = 1378.0
COMB_RATE = 44100.0
COMB_FEEDBACK = (0.7, 0.98)
COMB_DAMP = 0.16
# Return per unit of ring (above, fed the channels' sum: see chains.send_ring), fitted on solo
# renders of each part's reverb in the 8-bar fullest section of nine styles and moods (46
# parts): hits 0.63-1.1 of it (geometric mean 0.76), tonal parts 0.3-0.95 (0.75 without the
# near-silent bass drones; the shortest hall's tails cut at a section's end are the low ones).
RING_GAIN = 0.72
# The comb figure under-counts long halls: a held pad and a band of noise, each played once
# through the render's reverb with its whole tail, return 1.3 times more at 8 s against 2 s
# than comb_ring's ratio (the same for both): (decay / 2 s) ** 0.2.
RING_LONG = (2.0, 0.2)


def comb_ring(decay_s: float, hz: float) -> float:
    """Power a steady tone at ``hz`` gains in the reverb's combs (see COMB_*)."""
    g = 10.0 ** (-3.0 * COMB_FRAMES / (max(decay_s, 0.05) * COMB_RATE))
    g = min(COMB_FEEDBACK[1], max(COMB_FEEDBACK[0], g))
    w = 2.0 * math.pi * min(hz, COMB_RATE / 2.0) / COMB_RATE
    lowpass = (1.0 - COMB_DAMP) ** 2 / (1.0 - 2.0 * COMB_DAMP * math.cos(w) + COMB_DAMP**2)
    longer = (max(decay_s, 0.05) / RING_LONG[0]) ** RING_LONG[1]
    return longer / (1.0 - g * g * lowpass)


def return_gains(
    decay_s: float, feedback: float, ping_pong: bool, tonal: bool, ring: float | None = None
) -> tuple[float, float]:
    """(reverb, delay) power returned per unit of power sent at 0 dB. ``ring``: the part's
    mean comb_ring over what passes the reverb's input band, when its spectrum is known."""
    repeats = 1.0 / (1.0 - min(0.95, feedback) ** 2)
    delay = (DELAY_PING_PONG if ping_pong else DELAY_TONAL) * repeats
    if ring is not None:
        return RING_GAIN * ring, delay * (1.0 if tonal else DELAY_HIT)
    if tonal:
        return REVERB_TONAL * decay_s, delay
    return REVERB_HIT, delay * DELAY_HIT


@dataclass
class Staged:
    # Track name → the gain its sound needs, dB: the fader where it can hold it (-40 to +6),
    # the rest on the instrument's own volume (see split_gain).
    faders: dict[str, float]
    limiter_gain: float
    clip_drive: float = 0.0  # the soft clipper's drive on Main (0: none)
    estimate: dict[str, float] = field(default_factory=dict)  # figures, for reports and tests
    shares: dict[str, float] = field(default_factory=dict)  # expected shares, fullest sections


@dataclass(frozen=True)
class PartInput:
    """One track as the stage sees it."""

    name: str
    part: str
    energy: Mapping[int, float]  # per section, after devices
    weighted: Mapping[int, float]  # the same, K-weighted
    peak: float  # linear peak, after devices, before the fader
    share: float  # reference share (not yet normalised)
    sends: tuple[float, float]  # reverb, delay dB
    returned: tuple[float, float] = (0.0, 0.0)  # see return_gains
    plain: Mapping[int, float] | None = None  # energy before any ducking (default: energy)
    plain_weighted: Mapping[int, float] | None = None
    # Per section, the reverb send's mean power over its static level (send automation).
    reverb_lift: Mapping[int, float] | None = None


def _power(
    values: Mapping[int, float], seconds: Mapping[int, float], where: Iterable[int] = ()
) -> float:
    """Energy per second over the sections of ``where`` the part sounds in (the fullest
    sections, where the table's levels apply), else over every section it sounds in (a riser
    that plays only in builds)."""
    for chosen in (list(where), list(values)):
        sounding = [s for s in chosen if values.get(s, 0.0) > 0]
        time = sum(seconds[s] for s in sounding)
        if time:
            return sum(values[s] for s in sounding) / time
    return 0.0


def fullest(energy_of: Mapping[int, float], tolerance: float = 0.1) -> list[int]:
    """The sections at (or within ``tolerance`` of) the song's highest energy."""
    top = max(energy_of.values(), default=0.0)
    return [s for s, e in energy_of.items() if e >= top - tolerance]


def _gain(db_value: float) -> float:
    return 10.0 ** (db_value / 20.0)


def _return_factor(part: PartInput, section: int) -> float:
    """Power the returns add per unit of the part's power in ``section``."""
    total = 0.0
    lift = (part.reverb_lift or {}).get(section, 1.0)
    for index, (send, gain) in enumerate(zip(part.sends, part.returned, strict=True)):
        if send > -70:
            total += _gain(send) ** 2 * gain * (lift if index == 0 else 1.0)
    return total


def integrated(section_powers: Mapping[int, float], seconds: Mapping[int, float]) -> float:
    """BS.1770 integrated loudness from per-section K-weighted powers (mean square, both
    channels summed): absolute gate at -70 LUFS, relative gate 10 LU under the gated mean."""
    kept = {s: p for s, p in section_powers.items() if p > 0 and lufs(p) > ABSOLUTE_GATE}
    if not kept:
        return -200.0
    time = sum(seconds[s] for s in kept)
    mean = sum(p * seconds[s] for s, p in kept.items()) / time
    gate = lufs(mean) - RELATIVE_GATE
    final = {s: p for s, p in kept.items() if lufs(p) > gate}
    time = sum(seconds[s] for s in final)
    return lufs(sum(p * seconds[s] for s, p in final.items()) / time)


def lufs(power: float) -> float:
    return -0.691 + db(power)


def master(before: float, peak: float, target: float) -> tuple[float, float]:
    """(soft clipper drive, limiter gain) that bring a mix at ``before`` LUFS with peaks at
    ``peak`` dBFS to ``target`` LUFS: the clipper (its output bound at -drive dBFS) takes the
    crest down until the limiter has only ``LIMIT_OVER_DB`` of peaks left to catch."""
    drive = 0.0
    for step in range(int(MAX_CLIP_DB * 4) + 1):
        candidate = step / 4.0
        clipped_peak = min(peak, -candidate) if candidate else peak
        crest = clipped_peak - (before - CLIP_LOSS * candidate**2)
        drive = candidate
        if crest <= CEILING_DB - target + LIMIT_OVER_DB:
            break
    if drive < MIN_CLIP_DB:
        drive = 0.0
    level = before - CLIP_LOSS * drive**2 - EQ_LOSS
    clipped_peak = min(peak, -drive) if drive else peak
    gain = target - level
    over = clipped_peak + gain - CEILING_DB
    if over > 0:  # loss = k·over² and over grows with the gain: solve for the gain
        # target = level + g - k (p + g - c)²  →  k x² - x + (target - level - p' ) = 0, x = over
        offset = clipped_peak - CEILING_DB
        c = target - level + offset
        x = (1.0 - math.sqrt(max(0.0, 1.0 - 4.0 * LIMIT_LOSS * c))) / (2.0 * LIMIT_LOSS)
        gain = x - offset
    return drive, max(0.0, min(MAX_LIMITER_GAIN, gain))


def stage(
    parts: list[PartInput],
    seconds: Mapping[int, float],
    section_energy: Mapping[int, float],
    target_lufs: float,
) -> Staged:
    """Faders and the limiter's gain for ``parts`` (see the module's description)."""
    peak_sections = fullest(section_energy)
    playing = [p for p in parts if _power(p.energy, seconds) > 0]
    powers = {p.name: _power(p.energy, seconds, peak_sections) for p in playing}
    total_share = sum(p.share for p in playing) or 1.0
    share = {p.name: p.share / total_share for p in playing}
    # Fader² ∝ share / power; K first at 1, then scaled to the mixing level.
    raw = {p.name: share[p.name] / powers[p.name] for p in playing}

    # The dry mix of the fullest sections (returns left out, so a change of send moves no fader:
    # the limiter makes up the loudness).
    # Counted before the pump ducks anything, so a sidechain on or off moves only the pumped
    # parts' faders.
    plain = {p.name: p.plain if p.plain is not None else p.energy for p in playing}
    plain_weighted = {
        p.name: p.plain_weighted if p.plain_weighted is not None else p.weighted for p in playing
    }
    plain_raw = {
        p.name: share[p.name] / _power(plain[p.name], seconds, peak_sections) for p in playing
    }
    peak_power = {
        s: sum(plain_raw[p.name] * plain_weighted[p.name].get(s, 0.0) / seconds[s] for p in playing)
        for s in peak_sections
    }
    reference = max(peak_power.values(), default=0.0)
    scale = 10.0 ** ((MIX_LUFS - lufs(reference)) / 10.0) if reference > 0 else 1.0
    faders: dict[str, float] = {}
    for p in parts:
        if p.name in raw:
            faders[p.name] = max(MIN_GAIN_DB, min(MAX_GAIN_DB, db(raw[p.name] * scale)))
        else:
            faders[p.name] = 0.0
    gains2 = {n: _gain(f) ** 2 for n, f in faders.items()}
    per_section = {
        s: sum(
            gains2[p.name] * p.weighted.get(s, 0.0) * (1.0 + _return_factor(p, s)) / seconds[s]
            for p in playing
        )
        for s in seconds
    }
    before = integrated(per_section, seconds) + GATING_LIFT
    # The loudest coincidence: the two biggest peaks together, the rest as a power sum.
    peaks = sorted((_gain(faders[p.name]) * p.peak for p in playing), reverse=True)
    peak = 20.0 * math.log10(max(1e-9, sum(peaks[:2]) + math.sqrt(sum(x * x for x in peaks[2:]))))
    drive, limiter = master(before, peak, target_lufs)
    # A wet, quiet style (ambient: long reverbs at a streaming level) can already be over its
    # target before the limiter, which only adds gain: every fader comes down instead, as a
    # producer pulls the whole mix down rather than the master into the red.
    trim = min(0.0, target_lufs - (before - EQ_LOSS)) if not drive else 0.0
    if trim < 0:
        for p in playing:
            faders[p.name] = max(MIN_GAIN_DB, faders[p.name] + trim)
        gains2 = {n: _gain(f) ** 2 for n, f in faders.items()}
        before += trim
        peak += trim
        drive, limiter = master(before, peak, target_lufs)
    fullest_power = {
        p.name: sum(gains2[p.name] * p.energy.get(s, 0.0) for s in peak_sections) for p in playing
    }
    total = sum(fullest_power.values()) or 1.0
    return Staged(
        faders=faders,
        limiter_gain=limiter,
        clip_drive=drive,
        estimate={
            "lufs_before_limiter": round(before, 2),
            "peak_before_limiter_db": round(peak, 2),
            "clip_drive_db": round(drive, 2),
            "limiter_gain_db": round(limiter, 2),
            "mix_trim_db": round(trim, 2),
            "target_lufs": target_lufs,
        },
        shares={name: value / total for name, value in fullest_power.items()},
    )
