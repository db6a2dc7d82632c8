"""Which devices each track gets, in what order and with which settings, by part and style.

Order on a track, as producers build it: EQ Eight (clean-up first), a colour device (Saturator),
the Auto Filter that builds sweep, the Compressor keyed by the kick (pumping), Utility last
(width, bass mono). Settings come from the part (``PART_EQ``) and the style (``STYLE_MIX``);
the compressor's threshold is computed from the kick's own peak so every kick ducks by the
style's depth whatever sample plays it.

Each chain also says what it does to the part's energy (a high-pass removes low end, a low-pass
the top), so the faders are set for what is heard after the devices (the pump's ducking is
counted note by note, companion.production.estimate).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from companion.arrangement import Device, ReturnTrack
from companion.device_params import EQ_MODES
from companion.production.estimate import PartEnergy
from companion.production.gain import comb_ring
from companion.production.tables import BASS_MONO_HZ, Pump, StyleMix

LOW_CUT = float(EQ_MODES["low_cut_12"])
LOW_CUT_STEEP = float(EQ_MODES["low_cut_48"])
OPEN_HZ = 19900.0  # Auto Filter fully open


@dataclass(frozen=True, slots=True)
class PartEq:
    """EQ Eight on one part: a high-pass (None: no high-pass) and gentle cuts (Hz, dB, Q)."""

    high_pass: float | None
    cuts: tuple[tuple[float, float, float], ...]
    why: str


PART_EQ: dict[str, PartEq] = {
    "kick": PartEq(
        None,
        ((380.0, -2.5, 1.4),),
        "no high-pass: the kick is the low end; a dip at the boxy 300-400 Hz",
    ),
    "bass": PartEq(
        None, ((250.0, -2.0, 1.0),), "no high-pass: a dip where bass and chords pile up (mud)"
    ),
    "snare": PartEq(120.0, ((500.0, -1.5, 1.2),), "below 120 Hz a snare only muddies the kick"),
    "drums": PartEq(220.0, (), "hats and percussion have nothing useful under 200 Hz"),
    "chords": PartEq(150.0, ((350.0, -2.0, 1.0),), "room for the bass below, less mud at 350 Hz"),
    "pads": PartEq(
        200.0,
        ((350.0, -1.5, 1.0), (2500.0, -2.0, 0.9)),
        "pads clear the bass and step back at 2.5 kHz where the lead speaks",
    ),
    "lead": PartEq(200.0, (), "the lead needs no low end: it sits above the chords"),
    "arp": PartEq(
        250.0, ((2500.0, -1.0, 1.0),), "the arp stays out of the low mids and lets the lead through"
    ),
    "vocals": PartEq(150.0, (), "vocal chops: rumble and plosives out"),
    "fx": PartEq(40.0, (), "only rumble out: impacts and sub drops keep their boom"),
    "drum_loop": PartEq(200.0, (), "a top loop's own kick would fight ours: low end out"),
    "vocal_loop": PartEq(150.0, (), "rumble out of the vocal loop"),
}
SWEPT = ("chords", "pads", "arp", "fx")  # parts whose Auto Filter opens through a build
SWEPT_MORE = ("lead", "vocals")  # swept too when the producer asks for a filter sweep
PUMPED = ("bass", "chords", "pads", "arp")  # parts the kick ducks in a pumping style
PUMP_RATIO = 4.0
PUMP_ATTACK_MS = 0.5  # the duck starts with the kick
GLUE = {  # Glue Compressor on the kit: a couple of dB of glue, transients through
    "ratio": 4.0,
    "attack_ms": 10.0,
    "release_s": 0.2,
}
GLUE_DEPTH_DB = 3.0


@dataclass
class Chain:
    devices: list[Device] = field(default_factory=list)
    energy: float = 1.0  # what the devices leave of the part's energy
    slots: dict[str, int] = field(default_factory=dict)  # "eq", "filter", "pump"… → index

    def add(self, slot: str, device: Device) -> None:
        self.slots[slot] = len(self.devices)
        self.devices.append(device)


def _db(value: float) -> float:
    return 20.0 * math.log10(value) if value > 0 else -120.0


def high_pass_loss(low_share: float, cutoff: float) -> float:
    """Share of the energy a 12 dB/octave high-pass at ``cutoff`` leaves, from the part's energy
    below 250 Hz (most of it, in the sounds that have much, under 100 Hz)."""
    reach = min(1.0, max(0.0, math.log(cutoff / 25.0) / math.log(160.0 / 25.0)))
    return 1.0 - low_share * reach * 0.95


BANDS = ((30.0, 250.0), (250.0, 4000.0), (4000.0, 16000.0))  # the level facts' low, mid, high


def bell_loss(low: float, high: float, freq: float, gain_db: float, q: float) -> float:
    """Share of the energy a bell of ``gain_db`` at ``freq`` leaves: its cut, over the share of
    the part's energy its width (about 1.4 / q octaves) covers in the band(s) it sits in."""
    shares = (low, max(0.0, 1.0 - low - high), high)
    width = 1.4 / max(q, 0.1)
    lo, hi = freq * 2 ** (-width / 2), freq * 2 ** (width / 2)
    covered = 0.0
    for (a, b), share in zip(BANDS, shares, strict=True):
        overlap = math.log2(max(1.0, min(hi, b) / max(lo, a))) if min(hi, b) > max(lo, a) else 0
        covered += share * min(1.0, overlap / math.log2(b / a))
    return 1.0 - (1.0 - 10.0 ** (gain_db / 10.0)) * covered


def eq_response(hz: float, spec: PartEq) -> float:
    """Power gain of the part's EQ Eight at ``hz``: a 12 dB/octave Butterworth high-pass and
    peaking bells (the biquads the render runs, in their analog form)."""
    gain = 1.0
    if spec.high_pass is not None:
        gain /= 1.0 + (spec.high_pass / hz) ** 4
    for freq, gain_db, q in spec.cuts:
        a = 10.0 ** (gain_db / 40.0)
        w = hz / freq
        q = max(q, 0.1)
        core = (1.0 - w * w) ** 2
        gain *= (core + (w * a / q) ** 2) / (core + (w / (a * q)) ** 2)
    return gain


def eq_loss(energy: PartEnergy, spec: PartEq) -> float:
    """Share of the part's energy its EQ leaves: the response weighed over where the energy
    sits (its samples' spectra at the pitches played: a chord at 200 Hz loses little to a 150 Hz
    high-pass, a bass-heavy key much to a 350 Hz dip); the band-share estimate for what has no
    spectrum."""
    rough = high_pass_loss(energy.low_share, spec.high_pass) if spec.high_pass else 1.0
    for freq, gain, q in spec.cuts:
        rough *= bell_loss(energy.low_share, energy.high_share, freq, gain, q)
    placed = sum(energy.spectrum.values())
    if placed <= 0 or energy.total <= 0:
        return rough
    kept = sum(e * eq_response(hz, spec) for hz, e in energy.spectrum.items()) / placed
    known = min(1.0, energy.spectral / energy.total)
    return known * kept + (1.0 - known) * rough


def send_ring(
    energy: PartEnergy,
    spec: PartEq | None,
    decay_s: float,
    low_cut_hz: float,
    high_cut_hz: float,
    width: float = 1.0,
) -> float | None:
    """What a part's reverb rings per unit of power sent (after its EQ): its spectrum through
    the reverb's input band (12 dB per octave each side: a bass under a 200 Hz low cut feeds the
    hall almost nothing) and the combs' ring at each frequency, times twice the share of its
    power in the channels' sum, which is all the reverb is fed (a mono choir rings twice what a
    wide stereo pad does, more once a Utility widens the pad's sides by ``width``). None
    without a spectrum."""
    mid = min(1.0, max(0.0, energy.mid_share))
    mid = mid / (mid + width * width * (1.0 - mid)) if mid > 0 else 0.0
    sent = rung = 0.0
    for hz, e in energy.spectrum.items():
        e *= eq_response(hz, spec) if spec is not None else 1.0
        sent += e
        band = 1.0 / ((1.0 + (low_cut_hz / hz) ** 4) * (1.0 + (hz / high_cut_hz) ** 4))
        rung += e * band * comb_ring(decay_s, hz)
    return 2.0 * mid * rung / sent if sent > 0 else None


def low_pass_loss(high_share: float, low_share: float, cutoff: float) -> float:
    """Share of the energy a low-pass at ``cutoff`` leaves (highs first, then mids)."""
    if cutoff >= 16000.0:
        return 1.0
    mid = max(0.0, 1.0 - high_share - low_share)
    high_cut = min(1.0, max(0.0, math.log(16000.0 / cutoff) / math.log(4.0)))
    mid_cut = min(1.0, max(0.0, math.log(4000.0 / cutoff) / math.log(16.0)))
    return max(0.05, 1.0 - high_share * high_cut - mid * mid_cut * 0.8)


SATURATION_LOSS = 0.021  # dB of loudness per dB² the driven peak passes -2 dBFS (measured)


def saturation_loss(params: dict[str, float], peak_db: float) -> float:
    """Share of the energy a Saturator leaves (drive in, the same out, mixed with the dry
    signal): its curve flattens the peaks it drives past full scale."""
    drive, wet = params.get("drive_db", 0.0), params.get("dry_wet", 1.0)
    driven = peak_db + drive + 2.0
    loss = SATURATION_LOSS * driven**2 if driven > 0 else 0.0
    gain = (1.0 - wet) + wet * 10.0 ** ((-loss + drive + params.get("output_db", 0.0)) / 20.0)
    return gain * gain


def eq_device(part: str, spec: PartEq) -> Device:
    params: dict[str, float] = {}
    if spec.high_pass is not None:
        params.update(b1_on=1.0, b1_mode=LOW_CUT, b1_freq=spec.high_pass)
    for band, (freq, gain, q) in zip((3, 5, 4, 6), spec.cuts, strict=False):
        params.update({f"b{band}_freq": freq, f"b{band}_gain_db": gain, f"b{band}_q": q})
    return Device(kind="eq8", params=params)


def part_chain(
    part: str,
    mix: StyleMix,
    energy: PartEnergy,
    *,
    kick: str | None,
    kick_peak_db: float,
    pump: Pump | None,
    sweeps: bool,
    sweep_more: bool,
) -> Chain:
    """The devices of one track (its mix part's), and what they leave of its energy."""
    chain = Chain()
    spec = PART_EQ.get(part)
    if spec is not None:
        chain.add("eq", eq_device(part, spec))
        chain.energy *= eq_loss(energy, spec)
    for colour in mix.colour:
        if colour.part != part:
            continue
        if colour.kind == "saturator":
            chain.add("saturator", Device(kind="saturator", params=colour.params))
            chain.energy *= saturation_loss(colour.params, _db(energy.peak))
        elif colour.kind == "auto_filter":
            cutoff = colour.params.get("cutoff_hz", OPEN_HZ)
            chain.add("filter", Device(kind="auto_filter", params=colour.params))
            chain.energy *= low_pass_loss(energy.high_share, energy.low_share, cutoff)
    swept = part in SWEPT or (sweep_more and part in SWEPT_MORE)
    if sweeps and swept and "filter" not in chain.slots:
        chain.add("filter", Device(kind="auto_filter"))  # open: it moves only in builds
    if part == "drums":
        peak = _db(energy.peak)
        chain.add(
            "glue",
            Device(
                kind="glue",
                params={
                    **GLUE,
                    "threshold_db": max(-40.0, min(0.0, peak - 2 * GLUE_DEPTH_DB)),
                    "makeup_db": GLUE_DEPTH_DB / 2,
                },
            ),
        )
    if pump is not None and kick is not None and part in PUMPED:
        over = pump.depth_db / (1.0 - 1.0 / PUMP_RATIO)
        chain.add(
            "pump",
            Device(
                kind="compressor",
                params={
                    "threshold_db": max(-60.0, min(0.0, kick_peak_db - over)),
                    "ratio": PUMP_RATIO,
                    "attack_ms": PUMP_ATTACK_MS,
                    "release_ms": pump.release_ms,
                    "knee_db": 0.0,
                },
                sidechain=kick,
            ),
        )
    width = mix.widths.get(part)
    if part == "bass":
        chain.add("utility", Device(kind="utility", params={"mono_bass_hz": BASS_MONO_HZ}))
    elif width is not None:
        chain.add("utility", Device(kind="utility", params={"width": width[0]}))
    return chain


def returns(mix: StyleMix) -> list[ReturnTrack]:
    """Return A: the style's reverb; return B: its tempo-synced delay (both 100 % wet)."""
    space = mix.space
    reverb = Device(
        kind="reverb",
        params={
            "decay_s": space.decay_s,
            "predelay_ms": space.predelay_ms,
            "low_cut_hz": space.low_cut_hz,
            "high_cut_hz": space.high_cut_hz,
            "room_size": min(500.0, max(20.0, 40.0 * space.decay_s)),
            "dry_wet": 1.0,
        },
    )
    delay = Device(
        kind="delay",
        params={
            "sync": 1.0,
            "sixteenths_l": float(space.delay_l),
            "sixteenths_r": float(space.delay_r),
            "feedback": space.feedback,
            "ping_pong": 1.0 if space.ping_pong else 0.0,
            "filter_on": 1.0,
            "filter_hz": space.delay_filter_hz,
            "filter_width": 4.0,
            "dry_wet": 1.0,
        },
    )
    # Live shows them as "A-Reverb" and "B-Delay 3/16" (it adds the letter).
    return [
        ReturnTrack(name="Reverb", color=24, devices=[reverb]),
        ReturnTrack(name=f"Delay {space.delay_l}/16", color=11, devices=[delay]),
    ]
