"""Production: the mixing stage that makes a composed song sound like a record in its genre.

:func:`produce` takes the song with its instruments and returns it with every production field
filled, deterministically (same song, same samples → same set):

* the drum kit split into Kick, Snare and Drums tracks (``layout``);
* two return tracks, a reverb and a tempo-synced delay, set up for the style (``chains``);
* devices per track by part and style: EQ Eight, colour, build filters, the kick-keyed
  compressor in pumping styles, Glue on the kit, Utility; the Limiter last on Main (``chains``);
* sends, pans (Drum Rack pads spread like a kit) and faders computed from the samples' level
  facts so every part lands on the style's reference level (``estimate``, ``gain``);
* the Main limiter's gain for the style's loudness at ≤ -1 dBTP (``gain``);
* automation: build sweeps, drop throws, breakdown dips, fades, and clip envelopes on the build's
  Session clips (``automation``);
* whatever the producer asked for on top (``ProductionChoices``: more reverb on the snare, no
  sidechain, stronger sweeps).

The data it decides from lives in ``tables`` (per style) and ``chains.PART_EQ`` (per part).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from companion.arrangement import Arrangement, Device, Envelope, MainBus, Mix, Note, Track
from companion.device_params import EQ_MODES, SATURATOR_TYPES
from companion.production import automation as moves
from companion.production.chains import (
    PART_EQ,
    PUMP_RATIO,
    PUMPED,
    Chain,
    part_chain,
    returns,
    send_ring,
)
from companion.production.estimate import PartEnergy, duck_hold, ducking, part_energy
from companion.production.gain import (
    CEILING_DB,
    PartInput,
    Staged,
    return_gains,
    split_gain,
    stage,
)
from companion.production.layout import mix_part, split_drums
from companion.production.levels import SampleLevel, typical
from companion.production.tables import (
    OFF_DB,
    PAD_PANS,
    Pump,
    Send,
    StyleMix,
    style_mix,
    velocity_range,
    with_pans,
)
from companion.requirements import ProductionChoices

DEFAULT_PUMP = Pump(4.0, 140.0, "asked for: bass and chords duck under the kick")
SEND_STEP_DB = 5.0  # one "more reverb" / "less delay"
SEND_FROM_OFF_DB = -22.0  # "more reverb" on a dry part starts here
SEND_MAX_DB = -2.0
SEND_MIN_DB = -40.0  # below this a send is as good as off
# Request words → the mix parts they mean ("caja" is the snare; "drums" is the whole kit).
PART_WORDS: dict[str, tuple[str, ...]] = {
    "drums": ("kick", "snare", "drums", "drum_loop"),
    "kick": ("kick",),
    "snare": ("snare",),
    "clap": ("snare",),
    "hats": ("drums",),
    "percussion": ("drums",),
    "vocals": ("vocals", "vocal_loop"),
}
# Main's EQ Eight, between the soft clipper and the limiter: subsonic rumble out (20 Hz), and a
# gentle 12 dB/octave high cut at 15 kHz that smooths what clipping adds near Nyquist (the
# inter-sample peaks a limiter cannot see).
MASTER_EQ = {
    "b1_on": 1.0,
    "b1_mode": float(EQ_MODES["low_cut_12"]),
    "b1_freq": 20.0,
    "b8_on": 1.0,
    "b8_mode": float(EQ_MODES["high_cut_12"]),
    "b8_freq": 15000.0,
}
CLIP_TARGETS = ("device:", "send:")  # what a build's Session clips repeat (not the fades)
PERCUSSIVE = frozenset({"kick", "snare", "drums", "fx", "drum_loop"})  # the rest is tonal


@dataclass
class Production:
    """The produced song and the figures behind it (for reports, tests and benchmarks)."""

    arrangement: Arrangement
    staged: Staged
    parts: dict[str, str]  # track name → mix part
    inputs: list[PartInput]  # each track's estimated energy (after devices, before the fader)


def _sent(level: float, steps: int) -> float:
    if steps <= -3:
        return OFF_DB
    if steps > 0 and level <= OFF_DB:
        level = SEND_FROM_OFF_DB - SEND_STEP_DB
    if level <= OFF_DB:
        return OFF_DB
    moved = min(SEND_MAX_DB, level + steps * SEND_STEP_DB)
    return OFF_DB if moved < SEND_MIN_DB else moved


def sends_for(part: str, mix: StyleMix, choices: ProductionChoices) -> tuple[float, float]:
    base = mix.sends.get(part, Send(OFF_DB, OFF_DB, ""))
    reverb = sum(s for word, s in choices.reverb.items() if part in PART_WORDS.get(word, (word,)))
    delay = sum(s for word, s in choices.delay.items() if part in PART_WORDS.get(word, (word,)))
    return _sent(base.reverb_db, reverb), _sent(base.delay_db, delay)


def _pump(mix: StyleMix, choices: ProductionChoices) -> Pump | None:
    if choices.sidechain is False:
        return None
    if choices.sidechain is True:
        return mix.pump or DEFAULT_PUMP
    return mix.pump


def _seconds(song: Arrangement) -> dict[int, float]:
    per_bar = song.beats_per_bar * 60.0 / song.bpm
    return {i: s.bars * per_bar for i, s in enumerate(song.sections)} or {0: song.bars * per_bar}


def _kick_level(kick: Track, levels: Mapping[str, SampleLevel]) -> SampleLevel:
    """The kick's sample level (its main pad's)."""
    pads = kick.instrument.pads if kick.instrument is not None else []
    for pad in sorted(pads, key=lambda p: p.note != 36):
        if pad.sample.path in levels:
            return levels[pad.sample.path]
    return typical("kick")


@lru_cache(maxsize=256)
def _velocity_map(low: int, high: int) -> tuple[int, ...]:
    """Velocity 1..127 → the same place in ``low..high`` (a pure table, made once per range)."""
    return tuple(round(low + (v - 1) * (high - low) / 126.0) for v in range(128))


def _velocities(track: Track, part: str, style: str | None) -> Track:
    """The part's notes with velocities mapped into the style's range for it (order kept)."""
    found = velocity_range(style, part)
    if found is None or track.is_audio:
        return track
    mapped = _velocity_map(*found)
    made: dict[tuple, Note] = {}  # notes are frozen: one object per distinct note
    clips = []
    for clip in track.clips:
        notes = []
        for n in clip.notes:
            velocity = mapped[n.velocity]
            if velocity == n.velocity:
                notes.append(n)
                continue
            key = (n.pitch, n.start, n.duration, velocity)
            note = made.get(key)
            if note is None:
                note = made[key] = Note.model_construct(
                    pitch=n.pitch, start=n.start, duration=n.duration, velocity=velocity
                )
            notes.append(note)
        clips.append(clip.model_copy(update={"notes": notes}))
    return track.model_copy(update={"clips": clips})


def _pans(track: Track, part: str, mix: StyleMix) -> Track:
    """Hats and percussion spread inside the kit; the part's own pan on the track."""
    instrument = track.instrument
    if part == "drums" and instrument is not None and instrument.kind == "drum_rack":
        pads = [
            p.model_copy(update={"pan": PAD_PANS.get(p.note, (p.pan, ""))[0]})
            for p in instrument.pads
        ]
        track = track.model_copy(
            update={"instrument": instrument.model_copy(update={"pads": pads})}
        )
    return track


def produce(
    song: Arrangement,
    levels: Mapping[str, SampleLevel] | None = None,
    choices: ProductionChoices | None = None,
) -> Production:
    """The song with its production (see the module's description). ``levels`` are the level
    facts of its samples by project path; samples without them count at their part's typical
    level."""
    levels = levels or {}
    choices = choices or ProductionChoices()
    mix = with_pans(style_mix(song.style))
    tracks = split_drums(song)
    parts = {t.name: mix_part(t) for t in tracks}
    tracks = [_velocities(t, parts[t.name], song.style) for t in tracks]
    seconds = _seconds(song)
    kick = next((t for t in tracks if parts[t.name] == "kick"), None)
    pump = _pump(mix, choices) if kick is not None else None
    duck = None
    if kick is not None and pump is not None:
        kicks = sorted(
            {c.start + n.start for c in kick.clips for n in c.notes if n.start < c.length}
        )
        hold = duck_hold(pump.depth_db, PUMP_RATIO, pump.release_ms, _kick_level(kick, levels))
        duck = ducking(kicks, pump.depth_db, hold, song.bpm, pump.release_ms / 1000.0)
    energies: dict[str, PartEnergy] = {
        t.name: part_energy(
            song, t, parts[t.name], levels, duck=duck if parts[t.name] in PUMPED else None
        )
        for t in tracks
    }
    kick_peak = energies[kick.name].peak if kick is not None else 0.5
    has_builds = any(s.kind in moves.BUILDS for s in song.sections)
    chains: dict[str, Chain] = {}
    for track in tracks:
        chains[track.name] = part_chain(
            parts[track.name],
            mix,
            energies[track.name],
            kick=kick.name if kick is not None else None,
            kick_peak_db=20.0 * math.log10(max(kick_peak, 1e-6)),
            pump=pump,
            sweeps=has_builds,
            sweep_more=bool(choices.sweep),
        )
    the_returns = returns(mix)
    inputs = []
    for track in tracks:
        part, chain, energy = parts[track.name], chains[track.name], energies[track.name]
        share = mix.levels.get(part)
        inputs.append(
            PartInput(
                name=track.name,
                part=part,
                energy={s: e * chain.energy for s, e in energy.energy.items()},
                weighted={s: e * chain.energy for s, e in energy.weighted.items()},
                plain={s: e * chain.energy for s, e in energy.plain.items()},
                plain_weighted={s: e * chain.energy for s, e in energy.plain_weighted.items()},
                peak=energy.peak,
                share=share.share if share is not None else 0.05,
                sends=sends_for(part, mix, choices),
                reverb_lift=moves.send_lift(song, part, sends_for(part, mix, choices)),
                returned=return_gains(
                    mix.space.decay_s,
                    mix.space.feedback,
                    mix.space.ping_pong,
                    tonal=part not in PERCUSSIVE,
                    ring=send_ring(
                        energy,
                        PART_EQ.get(part),
                        mix.space.decay_s,
                        mix.space.low_cut_hz,
                        mix.space.high_cut_hz,
                        mix.widths.get(part, (1.0, ""))[0],
                    ),
                ),
            )
        )
    staged = stage(
        inputs,
        seconds,
        {i: s.energy for i, s in enumerate(song.sections)} or {0: 1.0},
        mix.loudness.target,
    )
    fade_parts = mix.fades == "parts"
    produced: list[Track] = []
    for track, given in zip(tracks, inputs, strict=True):
        part, chain = parts[track.name], chains[track.name]
        fader, trim = split_gain(staged.faders[track.name])
        if trim and track.instrument is not None:
            volume = max(-36.0, min(36.0, track.instrument.volume_db + trim))
            instrument = track.instrument.model_copy(update={"volume_db": round(volume, 2)})
            track = track.model_copy(update={"instrument": instrument})
        pan = mix.pans.get(part, (0.0, ""))[0]
        channel = moves.Channel(
            name=track.name,
            part=part,
            fader=fader,
            sends=given.sends,
            slots=chain.slots,
            filter_open=(
                chain.devices[chain.slots["filter"]].param("cutoff_hz")
                if "filter" in chain.slots
                else moves.OPEN_HZ
            ),
            high_pass=(
                chain.devices[chain.slots["eq"]].params.get("b1_freq")
                if "eq" in chain.slots
                else None
            ),
        )
        envelopes = moves.track_envelopes(song, channel, bool(choices.sweep), fade_parts)
        clips = track.clips
        build_sections = {i for i, s in enumerate(song.sections) if s.kind in moves.BUILDS}
        if envelopes and build_sections:
            clips = [
                clip.model_copy(
                    update={"envelopes": moves.clip_envelopes(song, clip, envelopes, CLIP_TARGETS)}
                )
                if clip.section in build_sections
                else clip
                for clip in clips
            ]
        track = _pans(track, part, mix)
        produced.append(
            track.model_copy(
                update={
                    "mix": Mix(volume_db=fader, pan=pan, sends=given.sends),
                    "devices": chain.devices,
                    "automation": envelopes,
                    "clips": clips,
                }
            )
        )
    main_fades = [] if fade_parts else [p for m in moves.fades(song, 0.0, False) for p in m]
    master: list[Device] = []
    if staged.clip_drive > 0:
        master.append(
            Device(
                kind="saturator",
                params={
                    "drive_db": staged.clip_drive,
                    "type": float(SATURATOR_TYPES["analog_clip"]),
                    "output_db": -staged.clip_drive,
                },
                name="Soft Clip",
            )
        )
    master.append(Device(kind="eq8", params=MASTER_EQ, name="Master EQ"))
    master.append(
        Device(kind="limiter", params={"ceiling_db": CEILING_DB, "gain_db": staged.limiter_gain})
    )
    main = MainBus(
        devices=master,
        automation=[Envelope(target="volume", points=main_fades)] if main_fades else [],
    )
    result = song.model_copy(update={"tracks": produced, "returns": the_returns, "main": main})
    result._check_production()
    return Production(arrangement=result, staged=staged, parts=parts, inputs=inputs)
