"""The built-in kit as data: every sound MusiaIA renders, with the recipe knobs that make it.

Drums and effects are one-shot files. Melodic instruments are multi-sampled: one file per root in
``roots`` (a zone of the instrument covers the keys nearest its root, so no note is played more
than about half an octave, at most an octave, away from a recorded one), each with a sustain loop.
Struck instruments (pianos, electric pianos, brass) have a second, hard-struck file per root that
plays above a velocity split (:mod:`companion.kit.velocity`).
Which style uses which sound, and why, is :mod:`companion.samples.palette`; this module only says
what the sounds are. Importing it is cheap: recipes run (and numpy loads) only when rendering.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial
from itertools import pairwise

from companion.kit import drums as d
from companion.kit import fx, velocity
from companion.kit import synths as s

PREFIX = "MusiaIA_"
NOTE_NAMES = ("C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B")

# Zone roots per register (MIDI; Live names C3 = 60). Naturals only, so file names stay plain.
BASS = (36, 48)
CHORDS = (55, 67, 79)
LEAD = (67, 79, 91)
PADS = (48, 64, 79)
ARP = (60, 72, 84)
VOCAL = (60, 72, 84)


def note_name(note: int) -> str:
    """Live's note names: C3 is MIDI 60."""
    return f"{NOTE_NAMES[note % 12]}{note // 12 - 2}"


@dataclass(frozen=True, slots=True)
class KitSound:
    """One file of the kit."""

    name: str  # file stem without the prefix: "Kick_House_909", "Keys_Rhodes_Deep_G2"
    kind: str
    subtype: str | None
    root_note: int | None  # the note it plays (tuned sounds)
    render: Callable[[], object]  # → audio array, or a synths.Note for looped sounds
    tags: tuple[str, ...] = ()  # character: dark, bright, warm, punchy, soft…
    fade_in: float = 0.001  # seconds
    instrument: str | None = None  # the multi-sampled instrument this file is a zone of
    crossfade: float = 0.08  # seconds of baked loop crossfade (looped sounds)
    velocity: tuple[int, int] = (1, 127)  # the velocities this file plays (a velocity layer)

    @property
    def filename(self) -> str:
        return f"{PREFIX}{self.name}.wav"

    @property
    def looped(self) -> bool:
        return self.instrument is not None


@dataclass(frozen=True, slots=True)
class KitInstrument:
    """A multi-sampled instrument: one looped file per root."""

    name: str  # "Keys_Rhodes_Deep"
    kind: str
    subtype: str | None
    roots: tuple[int, ...]
    recipe: Callable[[int], s.Note]
    tags: tuple[str, ...] = ()
    crossfade: float = 0.08
    split: int | None = None  # the lowest velocity of the hard layer (None: one layer)
    hard: Callable[[int], s.Note] | None = None  # the hard layer's recipe

    def _sound(self, root: int, hard: bool) -> KitSound:
        recipe = self.hard if hard else self.recipe
        assert recipe is not None
        if self.split is None:
            span = (1, 127)
        else:
            span = (self.split, 127) if hard else (1, self.split - 1)
        return KitSound(
            name=f"{self.name}_{'Hard_' if hard else ''}{note_name(root)}",
            kind=self.kind,
            subtype=self.subtype,
            root_note=root,
            render=partial(recipe, root),
            tags=self.tags,
            fade_in=0.002,
            instrument=self.name,
            crossfade=self.crossfade,
            velocity=span,
        )

    def zone_sounds(self) -> tuple[KitSound, ...]:
        """Every file of the instrument: the soft (or only) layer's, root by root, then the
        hard layer's."""
        soft = tuple(self._sound(root, False) for root in self.roots)
        if self.split is None:
            return soft
        return soft + tuple(self._sound(root, True) for root in self.roots)

    def layers(self) -> list[tuple[int, int, KitSound]]:
        """(low key, high key, file) for every chain of the instrument's rack: each key zone
        once per velocity layer (the file says its velocities)."""
        keys = {root: (low, high) for low, high, root in self.zones()}
        chains = [(*keys[sound.root_note], sound) for sound in self.zone_sounds()]
        return sorted(chains, key=lambda chain: (chain[0], chain[2].velocity))

    def zones(self) -> list[tuple[int, int, int]]:
        """(low, high, root) key ranges: each key goes to the nearest root (ties go down),
        the outer zones reach the ends of the keyboard."""
        roots = sorted(self.roots)
        bounds = [0] + [(a + b) // 2 + 1 for a, b in pairwise(roots)] + [128]
        return [(bounds[i], bounds[i + 1] - 1, root) for i, root in enumerate(roots)]


def _i(name, kind, subtype, roots, recipe, spec, tags=(), crossfade=0.08) -> KitInstrument:
    return KitInstrument(name, kind, subtype, roots, partial(recipe, spec), tuple(tags), crossfade)


def _synth(**knobs) -> s.Synth:
    return s.Synth(**knobs)


L = s.Layer
SAW7 = (-21.0, -13.0, -6.0, 0.0, 6.0, 13.0, 21.0)  # a supersaw's seven voices (cents)


# --- drums ---------------------------------------------------------------------------------------


def _kick(name, tags=(), **knobs) -> KitSound:
    return KitSound(name, "kick", None, None, partial(d.kick, d.Kick(**knobs)), tuple(tags))


def _snare(name, tags=(), **knobs) -> KitSound:
    return KitSound(name, "snare", None, None, partial(d.snare, d.Snare(**knobs)), tuple(tags))


def _clap(name, tags=(), **knobs) -> KitSound:
    return KitSound(name, "clap", None, None, partial(d.clap, d.Clap(**knobs)), tuple(tags))


def _hats(name, closed: dict, opened: dict, tags=()) -> tuple[KitSound, KitSound]:
    return (
        KitSound(
            f"Hat_Closed_{name}",
            "closed_hat",
            None,
            None,
            partial(d.hat, d.Hat(**closed)),
            tuple(tags),
        ),
        KitSound(
            f"Hat_Open_{name}", "open_hat", None, None, partial(d.hat, d.Hat(**opened)), tuple(tags)
        ),
    )


def _perc(name, subtype, recipe, spec, tags=()) -> KitSound:
    kind = "cymbal" if subtype in ("crash", "ride") else "perc"
    return KitSound(name, kind, subtype, None, partial(recipe, spec), tuple(tags))


# fmt: off
KICKS = (
    _kick("Kick_House_909", ("punchy",), f_end=52, f_start=230, pitch_tau=0.03, body_tau=0.22, length=0.55, drive=1.6, click=0.35, seed=11),
    _kick("Kick_Deep_Round", ("soft", "warm"), f_end=47, f_start=160, pitch_tau=0.04, body_tau=0.3, length=0.7, drive=1.2, click=0.08, click_low=1500, lowpass=6000, seed=12),
    _kick("Kick_Tech_Tight", ("punchy", "tight"), f_end=56, f_start=260, pitch_tau=0.022, body_tau=0.16, length=0.45, drive=2.2, click=0.45, click_low=3500, seed=13),
    _kick("Kick_Afro_Wood", ("organic",), f_end=60, f_start=200, pitch_tau=0.03, body_tau=0.2, length=0.5, drive=1.3, click=0.2, click_low=1200, knock=0.25, knock_hz=900, seed=14),
    _kick("Kick_Prog_Deep", ("deep",), f_end=49, f_start=200, pitch_tau=0.04, body_tau=0.3, length=0.65, drive=1.5, click=0.25, seed=15),
    _kick("Kick_Techno_Rumble", ("dark", "rumble"), f_end=46, f_start=190, pitch_tau=0.04, body_tau=0.28, length=0.95, drive=3.0, click=0.25, rumble=0.6, rumble_tau=0.35, seed=16),
    _kick("Kick_Minimal_Dry", ("dry", "tight"), f_end=62, f_start=240, pitch_tau=0.018, body_tau=0.11, length=0.35, drive=1.4, click=0.5, click_low=4000, seed=17),
    _kick("Kick_Trance_Hard", ("hard",), f_end=50, f_start=280, pitch_tau=0.03, body_tau=0.25, length=0.6, drive=2.6, click=0.55, click_low=3000, seed=18),
    _kick("Kick_DnB_Tight", ("tight", "punchy"), f_end=58, f_start=300, pitch_tau=0.02, body_tau=0.13, length=0.4, drive=2.0, click=0.6, click_low=3000, seed=19),
    _kick("Kick_Dubstep_Heavy", ("heavy", "dark"), f_end=44, f_start=200, pitch_tau=0.045, body_tau=0.32, length=0.8, drive=3.5, click=0.4, click_low=2000, seed=20),
    _kick("Kick_Garage_Bounce", ("punchy",), f_end=57, f_start=210, pitch_tau=0.025, body_tau=0.15, length=0.45, drive=1.8, click=0.4, click_low=2800, seed=21),
    _kick("Kick_Trap_Punch", ("punchy",), f_end=55, f_start=250, pitch_tau=0.025, body_tau=0.14, length=0.45, drive=1.8, click=0.5, click_low=3000, seed=22),
    _kick("Kick_HipHop_Thick", ("thick",), f_end=50, f_start=180, pitch_tau=0.04, body_tau=0.25, length=0.6, drive=2.4, click=0.3, click_low=2000, knock=0.15, seed=23),
    _kick("Kick_BoomBap_Dusty", ("dusty",), f_end=55, f_start=170, pitch_tau=0.035, body_tau=0.2, length=0.5, drive=2.0, click=0.25, click_low=1500, knock=0.3, knock_hz=1200, lowpass=4500, seed=24),
    _kick("Kick_Lofi_Soft", ("soft", "dusty"), f_end=52, f_start=140, pitch_tau=0.04, body_tau=0.22, length=0.5, drive=1.3, click=0.1, click_low=1200, lowpass=2200, seed=25),
    _kick("Kick_Reggaeton_Boom", ("boomy",), f_end=48, f_start=170, pitch_tau=0.045, body_tau=0.32, length=0.7, drive=1.8, click=0.2, click_low=2000, seed=26),
    _kick("Kick_Pop_Clean", ("clean",), f_end=54, f_start=220, pitch_tau=0.03, body_tau=0.2, length=0.5, drive=1.5, click=0.35, click_low=3000, seed=27),
    _kick("Kick_Disco_Acoustic", ("acoustic",), f_end=64, f_start=150, pitch_tau=0.02, body_tau=0.14, length=0.45, drive=1.1, click=0.35, click_low=1000, knock=0.2, knock_hz=700, seed=28),
    _kick("Kick_Funk_Dry", ("acoustic", "dry"), f_end=68, f_start=160, pitch_tau=0.018, body_tau=0.11, length=0.35, drive=1.2, click=0.4, click_low=1500, knock=0.3, knock_hz=1000, seed=29),
    _kick("Kick_Synthwave_Linn", ("gated",), f_end=55, f_start=200, pitch_tau=0.03, body_tau=0.18, length=0.5, drive=1.7, click=0.3, click_low=2000, knock=0.1, seed=30),
    _kick("Kick_Ambient_Soft", ("soft",), f_end=45, f_start=110, pitch_tau=0.05, body_tau=0.35, length=0.8, drive=1.0, click=0.0, lowpass=800, seed=31),
    _kick("Kick_EDM_BigRoom", ("huge", "punchy"), f_end=48, f_start=300, pitch_tau=0.035, body_tau=0.35, length=0.8, drive=4.0, click=0.7, click_low=2500, seed=32),
)
# fmt: on

# fmt: off
SNARES = (
    _snare("Snare_House_909", tone=190, tone_tau=0.05, noise_tau=0.12, noise_level=0.9, noise_low=1500, noise_high=12000, drive=1.0, seed=41),
    _snare("Snare_Deep_Soft", ("soft",), tone=200, tone_tau=0.04, noise_tau=0.09, noise_level=0.6, noise_low=1500, noise_high=8000, lowpass=7000, seed=42),
    _snare("Snare_Tech_Snap", ("tight",), tone=210, tone_tau=0.03, noise_tau=0.08, noise_level=1.0, noise_low=2000, noise_high=13000, snap=0.4, length=0.28, seed=43),
    _snare("Snare_Afro_Wood", ("organic",), tone=330, tone_tau=0.04, noise_tau=0.06, noise_level=0.5, noise_low=2000, noise_high=9000, snap=0.3, length=0.25, seed=44),
    _snare("Snare_Prog_Big", ("wide",), tone=185, tone_tau=0.06, noise_tau=0.18, noise_level=0.9, noise_low=1200, noise_high=11000, room=0.35, length=0.6, seed=45),
    _snare("Snare_Techno_Noise", ("dark",), tone=160, tone_tau=0.03, noise_tau=0.14, noise_level=1.0, noise_low=800, noise_high=9000, drive=2.0, length=0.4, seed=46),
    _snare("Snare_Minimal_Tick", ("dry", "tight"), tone=260, tone_tau=0.02, noise_tau=0.05, noise_level=0.6, noise_low=3000, noise_high=12000, length=0.2, seed=47),
    _snare("Snare_Trance_Crisp", ("bright",), tone=200, tone_tau=0.05, noise_tau=0.15, noise_level=1.0, noise_low=1500, noise_high=14000, room=0.3, length=0.5, seed=48),
    _snare("Snare_DnB_Crack", ("crack",), tone=220, tone_tau=0.045, noise_tau=0.12, noise_level=1.1, noise_low=1800, noise_high=14000, drive=1.5, snap=0.5, seed=49),
    _snare("Snare_Dubstep_Huge", ("huge",), tone=180, tone_tau=0.07, noise_tau=0.2, noise_level=1.1, noise_low=1000, noise_high=12000, drive=2.5, room=0.4, length=0.7, seed=50),
    _snare("Snare_Garage_Snappy", ("tight",), tone=240, tone_tau=0.035, noise_tau=0.1, noise_level=1.0, noise_low=2200, noise_high=13000, snap=0.4, length=0.3, seed=51),
    _snare("Snare_Trap_Crack", ("crack",), tone=205, tone_tau=0.06, noise_tau=0.16, noise_level=1.0, noise_low=900, noise_high=11000, length=0.45, seed=52),
    _snare("Snare_HipHop_Fat", ("fat",), tone=180, tone_tau=0.07, noise_tau=0.15, noise_level=0.9, noise_low=800, noise_high=9000, drive=1.8, length=0.45, seed=53),
    _snare("Snare_BoomBap_Dusty", ("dusty",), tone=190, tone_tau=0.06, noise_tau=0.14, noise_level=1.0, noise_low=1000, noise_high=9000, drive=1.5, lowpass=6000, room=0.2, length=0.45, seed=54),
    _snare("Snare_Lofi_Soft", ("soft", "dusty"), tone=200, tone_tau=0.05, noise_tau=0.12, noise_level=0.7, noise_low=1200, noise_high=6000, lowpass=4000, room=0.25, length=0.45, seed=55),
    _snare("Snare_Reggaeton_Snap", ("snappy",), tone=230, tone_tau=0.04, noise_tau=0.1, noise_level=1.0, noise_low=2000, noise_high=12000, snap=0.5, length=0.3, seed=56),
    _snare("Snare_Pop_Bright", ("bright",), tone=200, tone_tau=0.05, noise_tau=0.14, noise_level=1.0, noise_low=1500, noise_high=14000, room=0.3, length=0.5, seed=57),
    _snare("Snare_Disco_Acoustic", ("acoustic",), tone=180, tone_tau=0.08, noise_tau=0.15, noise_level=0.8, noise_low=1000, noise_high=10000, room=0.3, snap=0.2, length=0.5, seed=58),
    _snare("Snare_Funk_Tight", ("acoustic", "tight"), tone=220, tone_tau=0.06, noise_tau=0.09, noise_level=0.9, noise_low=1500, noise_high=12000, snap=0.35, room=0.15, length=0.35, seed=59),
    _snare("Snare_Synthwave_Gated", ("gated", "huge"), tone=175, tone_tau=0.07, noise_tau=0.3, noise_level=1.0, noise_low=900, noise_high=10000, room=0.9, room_seconds=1.0, gate=0.3, length=0.4, seed=60),
    _snare("Snare_Ambient_Brush", ("soft",), tone=200, tone_tau=0.03, noise_tau=0.25, noise_level=0.5, noise_low=2000, noise_high=7000, lowpass=6000, room=0.5, length=0.8, seed=61),
    _snare("Snare_EDM_Big", ("huge", "bright"), tone=200, tone_tau=0.06, noise_tau=0.2, noise_level=1.1, noise_low=1200, noise_high=14000, drive=2.0, room=0.35, length=0.6, seed=62),
)
# fmt: on

# fmt: off
CLAPS = (
    _clap("Clap_House", bursts=4, spacing=0.009, tail_tau=0.13, low=800, high=5000, seed=71),
    _clap("Clap_Deep_Soft", ("soft",), bursts=3, spacing=0.011, tail_tau=0.18, low=700, high=3500, room=0.25, seed=72),
    _clap("Clap_Tech_Tight", ("tight",), bursts=4, spacing=0.007, tail_tau=0.08, low=1000, high=6000, length=0.35, seed=73),
    _clap("Clap_Afro_Hand", ("organic",), bursts=2, spacing=0.014, tail_tau=0.1, low=600, high=3000, room=0.2, seed=74),
    _clap("Clap_Prog_Wide", ("wide",), bursts=5, spacing=0.01, tail_tau=0.2, low=900, high=6000, room=0.3, length=0.7, seed=75),
    _clap("Clap_Techno_Room", ("dark",), bursts=4, spacing=0.008, tail_tau=0.25, low=700, high=4500, room=0.5, length=0.8, seed=76),
    _clap("Clap_Minimal_Snap", ("dry",), bursts=3, spacing=0.006, tail_tau=0.05, low=1500, high=7000, length=0.25, seed=77),
    _clap("Clap_Trance_Big", ("bright",), bursts=5, spacing=0.009, tail_tau=0.18, low=900, high=7000, room=0.3, length=0.7, seed=78),
    _clap("Clap_DnB_Sharp", ("tight",), bursts=4, spacing=0.007, tail_tau=0.1, low=1200, high=8000, length=0.4, seed=79),
    _clap("Clap_Dubstep_Huge", ("huge",), bursts=5, spacing=0.008, tail_tau=0.2, low=800, high=6000, room=0.4, length=0.8, seed=80),
    _clap("Clap_Garage", ("tight",), bursts=3, spacing=0.008, tail_tau=0.09, low=1100, high=6500, length=0.35, seed=81),
    _clap("Clap_Trap_Layer", bursts=5, spacing=0.007, tail_tau=0.16, low=1000, high=7500, seed=82),
    _clap("Clap_HipHop", bursts=4, spacing=0.01, tail_tau=0.14, low=800, high=5000, seed=83),
    _clap("Clap_BoomBap_Dusty", ("dusty",), bursts=3, spacing=0.012, tail_tau=0.12, low=700, high=4000, lowpass=5000, seed=84),
    _clap("Clap_Lofi_Soft", ("soft",), bursts=3, spacing=0.013, tail_tau=0.12, low=600, high=3000, lowpass=3500, seed=85),
    _clap("Clap_Reggaeton", bursts=4, spacing=0.008, tail_tau=0.11, low=1000, high=6000, length=0.4, seed=86),
    _clap("Clap_Pop_Stack", ("bright",), bursts=5, spacing=0.009, tail_tau=0.15, low=1000, high=8000, room=0.25, length=0.6, seed=87),
    _clap("Clap_Disco", bursts=4, spacing=0.01, tail_tau=0.13, low=800, high=5000, seed=88),
    _clap("Clap_Funk_Dry", ("dry",), bursts=3, spacing=0.009, tail_tau=0.08, low=900, high=5000, length=0.35, seed=89),
    _clap("Clap_Synthwave_Verb", ("gated",), bursts=5, spacing=0.01, tail_tau=0.25, low=800, high=6000, room=0.6, length=0.8, seed=90),
    _clap("Clap_Ambient_Distant", ("soft",), bursts=2, spacing=0.02, tail_tau=0.3, low=500, high=2500, room=0.6, length=0.9, seed=91),
    _clap("Clap_EDM_Big", ("huge",), bursts=6, spacing=0.008, tail_tau=0.2, low=900, high=8000, room=0.35, length=0.7, seed=92),
)
# fmt: on


def _h(length, tau, low, ratio, noise, high=None, attack=0.0, seed=1) -> dict:
    return dict(
        length=length,
        tau=tau,
        low=low,
        ratio=ratio,
        noise=noise,
        high=high,
        attack=attack,
        seed=seed,
    )


# fmt: off
HATS = (
    *_hats("House", _h(0.12, 0.02, 7500, 1.0, 1.2, seed=101), _h(0.6, 0.2, 7000, 1.0, 1.2, seed=102)),
    *_hats("Deep", _h(0.15, 0.03, 6500, 1.1, 0.8, 11000, seed=103), _h(0.5, 0.16, 6000, 1.1, 0.8, 11000, seed=104), ("soft",)),
    *_hats("Tech", _h(0.1, 0.015, 8000, 1.2, 1.0, seed=105), _h(0.4, 0.12, 8000, 1.2, 1.0, seed=106)),
    *_hats("Afro", _h(0.14, 0.03, 6000, 0.9, 1.5, attack=0.004, seed=107), _h(0.45, 0.15, 6000, 0.9, 1.4, seed=108), ("organic",)),
    *_hats("Prog", _h(0.14, 0.025, 8000, 1.05, 0.9, seed=109), _h(0.7, 0.22, 7500, 1.05, 0.9, seed=110)),
    *_hats("Techno", _h(0.12, 0.02, 7000, 0.95, 0.6, seed=111), _h(0.55, 0.18, 6500, 0.95, 0.6, seed=112), ("metallic",)),
    *_hats("Minimal", _h(0.06, 0.008, 9000, 1.3, 0.7, seed=113), _h(0.25, 0.07, 9000, 1.3, 0.7, seed=114), ("tight",)),
    *_hats("Trance", _h(0.12, 0.022, 8500, 1.1, 1.3, seed=115), _h(0.5, 0.16, 8000, 1.1, 1.3, seed=116), ("bright",)),
    *_hats("DnB", _h(0.09, 0.014, 8000, 1.25, 1.0, seed=117), _h(0.35, 0.1, 8000, 1.25, 1.0, seed=118)),
    *_hats("Dubstep", _h(0.11, 0.018, 7500, 0.85, 0.8, seed=119), _h(0.45, 0.14, 7000, 0.85, 0.8, seed=120)),
    *_hats("Garage", _h(0.08, 0.012, 8500, 1.15, 1.1, seed=121), _h(0.3, 0.09, 8000, 1.15, 1.1, seed=122), ("tight",)),
    *_hats("Trap", _h(0.08, 0.014, 8000, 1.0, 0.3, seed=123), _h(0.45, 0.14, 7000, 1.0, 0.3, seed=124), ("crisp",)),
    *_hats("HipHop", _h(0.1, 0.02, 7000, 1.05, 0.5, seed=125), _h(0.4, 0.12, 6500, 1.05, 0.5, seed=126)),
    *_hats("BoomBap", _h(0.12, 0.025, 5000, 0.9, 0.8, 9000, seed=127), _h(0.45, 0.15, 5000, 0.9, 0.8, 9000, seed=128), ("dusty",)),
    *_hats("Lofi", _h(0.12, 0.03, 4500, 0.95, 0.9, 7000, 0.002, seed=129), _h(0.4, 0.14, 4500, 0.95, 0.9, 7000, seed=130), ("dusty", "soft")),
    *_hats("Reggaeton", _h(0.09, 0.016, 8000, 1.1, 0.6, seed=131), _h(0.35, 0.11, 7500, 1.1, 0.6, seed=132)),
    *_hats("Pop", _h(0.11, 0.02, 8500, 1.05, 1.0, seed=133), _h(0.5, 0.15, 8000, 1.05, 1.0, seed=134), ("bright",)),
    *_hats("Disco", _h(0.16, 0.035, 6000, 1.35, 1.6, seed=135), _h(0.7, 0.25, 5500, 1.35, 1.6, seed=136), ("acoustic",)),
    *_hats("Funk", _h(0.12, 0.025, 6500, 1.4, 1.3, seed=137), _h(0.5, 0.18, 6000, 1.4, 1.3, seed=138), ("acoustic",)),
    *_hats("Synthwave", _h(0.1, 0.02, 7500, 1.0, 0.4, seed=139), _h(0.5, 0.16, 7000, 1.0, 0.4, seed=140)),
    *_hats("Ambient", _h(0.2, 0.05, 6000, 1.2, 1.0, 10000, 0.005, seed=141), _h(0.8, 0.3, 6000, 1.2, 1.0, 10000, seed=142), ("soft",)),
    *_hats("EDM", _h(0.1, 0.018, 9000, 1.1, 1.2, seed=143), _h(0.5, 0.15, 8500, 1.1, 1.2, seed=144), ("bright",)),
)
# fmt: on

# fmt: off
PERCUSSION = (
    _perc("Perc_Rim", "rim", d.tone, d.Tone(f_end=1700, tau=0.012, length=0.15, overtone=0.282, overtone_level=0.8, slap=0.4, slap_low=2000, seed=151)),
    _perc("Perc_Rim_Wood", "rim", d.tone, d.Tone(f_end=900, tau=0.02, length=0.15, overtone=2.3, overtone_level=0.4, slap=0.3, slap_low=2500, seed=152), ("organic",)),
    _perc("Perc_Clave", "clave", d.tone, d.Tone(f_end=2500, tau=0.025, length=0.15, overtone=1.9, overtone_level=0.2, slap=0.1, seed=153)),
    _perc("Perc_Cowbell", "cowbell", d.tone, d.Tone(f_end=540, tau=0.09, length=0.4, overtone=1.48, overtone_level=0.8, slap=0.05, square=True, seed=154)),
    _perc("Perc_Shaker", "shaker", d.shaker, d.Shaker(seed=155)),
    _perc("Perc_Shaker_Soft", "shaker", d.shaker, d.Shaker(length=0.22, rise=0.02, tau=0.06, low=3500, high=9000, seed=156), ("soft",)),
    _perc("Perc_Tambourine", "tambourine", d.shaker, d.Shaker(length=0.3, rise=0.003, tau=0.08, low=4000, high=14000, jingle=0.8, seed=157)),
    _perc("Perc_Conga_High", "conga", d.tone, d.Tone(f_end=330, f_start=400, tau=0.14, length=0.45, seed=158)),
    _perc("Perc_Conga_Low", "conga", d.tone, d.Tone(f_end=210, f_start=270, tau=0.16, length=0.5, seed=159)),
    _perc("Perc_Bongo_High", "bongo", d.tone, d.Tone(f_end=480, f_start=560, tau=0.08, length=0.3, slap=0.4, seed=160)),
    _perc("Perc_Bongo_Low", "bongo", d.tone, d.Tone(f_end=360, f_start=420, tau=0.1, length=0.35, slap=0.35, seed=161)),
    _perc("Perc_Tom_Low", "tom", d.tone, d.Tone(f_end=90, f_start=160, tau=0.3, length=0.8, seed=162)),
    _perc("Perc_Tom_Mid", "tom", d.tone, d.Tone(f_end=125, f_start=200, tau=0.26, length=0.7, seed=163)),
    _perc("Perc_Tom_High", "tom", d.tone, d.Tone(f_end=170, f_start=260, tau=0.22, length=0.6, seed=164)),
    _perc("Cymbal_Crash", "crash", d.cymbal, d.Cymbal(length=2.5, tau=0.8, low=3500, ratio=1.3, noise=0.8, seed=165)),
    _perc("Cymbal_Crash_Dark", "crash", d.cymbal, d.Cymbal(length=2.5, tau=0.9, low=2000, ratio=1.1, noise=0.5, seed=166), ("dark",)),
    _perc("Cymbal_Ride", "ride", d.cymbal, d.Cymbal(length=2.0, tau=0.9, low=2500, ratio=1.9, noise=0.2, bell=0.15, seed=167)),
)
# fmt: on

# fmt: off
FX = (
    KitSound("FX_Riser", "fx", "riser", None, partial(fx.riser, 201)),
    KitSound("FX_Downlifter", "fx", "downlifter", None, partial(fx.downlifter, 202)),
    KitSound("FX_Sweep", "fx", "sweep", None, partial(fx.sweep, 203)),
    KitSound("FX_Impact", "fx", "impact", None, partial(fx.impact, 204)),
    KitSound("FX_Sub_Drop", "fx", "sub_drop", None, fx.sub_drop),
    KitSound("FX_Reverse_Cymbal", "fx", "reverse_cymbal", None, partial(fx.reverse_cymbal, 205)),
)
# fmt: on


# --- melodic instruments -------------------------------------------------------------------------

# fmt: off
BASSES = (
    _i("Bass_House_Organ", "bass", None, BASS, s.partials, s.Partials(ratios=(1, 2, 3, 4), levels=(1, 0.5, 0.25, 0.12), tau=0.25, tau_fall=0.4, floor=0.45, click=0.15, loop=0.4, seed=301), ("warm",)),
    _i("Bass_Deep_Warm", "bass", None, BASS, s.fm, s.FM(ratio=1, index=1.2, index_sustain=0.35, index_tau=0.12, decay_tau=0.5, sustain=0.6, sub=0.4, loop=0.4, seed=302), ("warm", "soft")),
    _i("Bass_Tech_Rolling", "bass", None, BASS, s.synth, _synth(layers=(L("saw"), L("square", 0.5)), cutoff=600, keytrack=0.7, env_octaves=2.0, env_tau=0.07, resonance=0.6, decay_tau=0.2, sustain=0.55, sub=0.5, loop=0.4, seed=303), ("punchy",)),
    _i("Bass_Afro_Round", "bass", None, BASS, s.partials, s.Partials(count=8, tilt=2.0, tau=0.4, tau_fall=0.5, floor=0.5, thump=0.2, thump_high=600, loop=0.4, seed=304), ("warm", "organic")),
    _i("Bass_Prog_Smooth", "bass", None, BASS, s.synth, _synth(layers=(L("saw", 1.0, 0, (-6.0, 6.0)),), cutoff=450, keytrack=0.8, env_octaves=1.0, env_tau=0.15, decay_tau=0.3, sustain=0.75, sub=0.6, loop=0.5, seed=305), ("smooth",)),
    _i("Bass_Techno_Rumble", "bass", None, BASS, s.synth, _synth(layers=(L("saw"),), cutoff=250, keytrack=0.6, env_octaves=1.5, env_tau=0.05, resonance=0.3, decay_tau=0.12, sustain=0.5, sub=0.9, drive=1.5, loop=0.3, seed=306), ("dark",)),
    _i("Bass_Minimal_Sine", "bass", "sub", BASS, s.fm, s.FM(ratio=2, index=0.8, index_sustain=0.05, index_tau=0.03, decay_tau=0.25, sustain=0.55, loop=0.3, seed=307), ("dry",)),
    _i("Bass_Trance_Roll", "bass", None, BASS, s.synth, _synth(layers=(L("saw", 1.0, 0, (-5.0, 5.0)),), cutoff=700, keytrack=0.8, env_octaves=1.8, env_tau=0.06, resonance=0.3, decay_tau=0.15, sustain=0.6, sub=0.5, loop=0.4, seed=308), ("bright",)),
    _i("Bass_Reese_DnB", "bass", "reese", BASS, s.synth, _synth(layers=(L("saw", 1.0, 0, (-14.0, 0.0, 14.0)),), cutoff=900, keytrack=0.3, sub=0.6, drive=1.2, loop=1.2, seed=309), ("dark",), 0.15),
    _i("Bass_Wobble_Dubstep", "bass", None, BASS, s.synth, _synth(layers=(L("saw", 1.0, 0, (-8.0, 8.0)), L("square", 0.6, 12)), cutoff=220, keytrack=0.5, resonance=0.9, wobble_hz=3.0, wobble_octaves=3.5, sub=0.7, drive=2.5, loop=1.0, seed=310), ("dark", "aggressive"), 0.05),
    _i("Bass_Garage_Bounce", "bass", None, BASS, s.fm, s.FM(ratio=1, index=2.5, index_sustain=0.6, index_tau=0.06, decay_tau=0.3, sustain=0.55, sub=0.5, drive=1.2, loop=0.4, seed=311), ("punchy",)),
    _i("808_Trap", "808", None, BASS, s.boom, s.Boom(drop_octaves=1.0, drop_tau=0.03, decay_tau=0.7, floor=0.4, drive=2.6, harmonics=0.15, loop=0.4, seed=312), ("dark", "long")),
    _i("808_HipHop", "808", None, BASS, s.boom, s.Boom(drop_octaves=0.5, drop_tau=0.02, decay_tau=0.5, floor=0.35, drive=1.6, click=0.2, harmonics=0.1, loop=0.4, seed=313), ("clean",)),
    _i("Bass_Upright_BoomBap", "bass", None, BASS, s.partials, s.Partials(count=16, tilt=1.3, pluck_at=0.2, tau=0.5, tau_fall=0.45, floor=0.3, thump=0.35, thump_high=500, lowpass=2500, loop=0.4, seed=314), ("warm", "dusty")),
    _i("Bass_Lofi_Round", "bass", None, BASS, s.partials, s.Partials(count=10, tilt=1.8, pluck_at=0.3, tau=0.45, tau_fall=0.5, floor=0.35, thump=0.2, thump_high=400, lowpass=1400, loop=0.4, seed=315), ("soft", "dusty")),
    _i("Bass_Reggaeton_Sub", "bass", "sub", BASS, s.boom, s.Boom(drop_octaves=0.3, drop_tau=0.015, decay_tau=0.35, floor=0.5, drive=1.3, click=0.15, harmonics=0.2, loop=0.3, seed=316), ("round",)),
    _i("Bass_Pop_Synth", "bass", None, BASS, s.synth, _synth(layers=(L("square"), L("saw", 0.4)), cutoff=800, keytrack=0.7, env_octaves=1.2, env_tau=0.1, decay_tau=0.25, sustain=0.7, sub=0.4, loop=0.4, seed=317), ("clean",)),
    _i("Bass_Disco_Finger", "bass", None, BASS, s.partials, s.Partials(count=24, tilt=1.1, pluck_at=0.15, tau=0.6, tau_fall=0.35, floor=0.3, thump=0.25, thump_high=900, loop=0.4, seed=318), ("bright",)),
    _i("Bass_Funk_Slap", "bass", None, BASS, s.partials, s.Partials(count=30, tilt=0.9, pluck_at=0.08, tau=0.45, tau_fall=0.6, floor=0.25, thump=0.5, thump_high=3000, drive=1.4, loop=0.4, seed=319), ("bright", "punchy")),
    _i("Bass_Synthwave_Saw", "bass", None, BASS, s.synth, _synth(layers=(L("saw", 1.0, 0, (-4.0, 4.0)),), cutoff=900, keytrack=0.8, env_octaves=1.5, env_tau=0.08, resonance=0.2, decay_tau=0.2, sustain=0.65, sub=0.3, loop=0.4, seed=320), ("bright",)),
    _i("Bass_Ambient_Drone", "bass", "sub", BASS, s.synth, _synth(layers=(L("triangle"), L("sine", 0.5, -12)), cutoff=600, attack=0.25, loop=1.0, seed=321), ("soft", "deep")),
    _i("Bass_EDM_Dirty", "bass", None, BASS, s.synth, _synth(layers=(L("saw", 1.0, 0, (-10.0, 10.0)), L("square", 0.5, -12)), cutoff=1400, keytrack=0.5, env_octaves=1.0, env_tau=0.1, resonance=0.4, decay_tau=0.3, sustain=0.8, sub=0.5, drive=3.0, loop=0.5, seed=322), ("aggressive", "bright")),
    _i("Bass_Acid_303", "bass", None, BASS, s.synth, _synth(layers=(L("saw"),), cutoff=350, keytrack=0.8, env_octaves=3.0, env_tau=0.09, resonance=1.6, decay_tau=0.25, sustain=0.6, drive=1.5, loop=0.4, seed=323), ("acid", "bright")),
    _i("Bass_Sub_Glide", "bass", "sub", BASS, s.partials, s.Partials(ratios=(1, 2), levels=(1, 0.08), tau=0.2, floor=0.85, loop=0.3, seed=324), ("deep", "clean")),
)
# fmt: on

# fmt: off
CHORD_INSTRUMENTS = (
    _i("Keys_Piano_House", "keys", None, CHORDS, s.partials, s.Partials(count=20, stretch=0.0003, tilt=0.9, tau=0.9, tau_fall=0.35, floor=0.14, thump=0.15, detune_cents=3.0, loop=0.5, seed=401), ("bright",)),
    _i("Keys_Rhodes_Deep", "keys", None, CHORDS, s.fm, s.FM(ratio=1, index=1.6, index_sustain=0.35, index_tau=0.35, decay_tau=1.0, sustain=0.28, tine=0.15, tremolo=0.25, tremolo_hz=4.0, lowpass=5000, loop=0.5, seed=402), ("warm", "soft")),
    _i("Synth_Tech_Hit", "synth", None, CHORDS, s.synth, _synth(layers=(L("saw"), L("square", 0.6, 7)), cutoff=900, keytrack=0.5, env_octaves=2.2, env_tau=0.08, resonance=0.5, decay_tau=0.2, sustain=0.3, loop=0.4, seed=403), ("dark", "punchy")),
    _i("Keys_EPiano_Afro", "keys", None, CHORDS, s.fm, s.FM(ratio=14, index=0.9, index_sustain=0.05, index_tau=0.05, decay_tau=0.7, sustain=0.25, bell=0.0, sub=0.0, chorus=0.3, loop=0.5, seed=404), ("bright", "organic")),
    _i("Synth_Pluck_Prog", "lead", "pluck", CHORDS, s.synth, _synth(layers=(L("saw", 1.0, 0, (-8.0, 0.0, 8.0)),), stereo=True, cutoff=1200, keytrack=0.6, env_octaves=2.5, env_tau=0.12, decay_tau=0.35, sustain=0.25, chorus=0.3, loop=0.5, seed=405), ("bright",)),
    _i("Synth_Dub_Techno", "synth", None, CHORDS, s.synth, _synth(layers=(L("saw", 1.0, 0, (-6.0, 6.0)), L("square", 0.5)), stereo=True, cutoff=700, keytrack=0.3, env_octaves=1.5, env_tau=0.1, resonance=0.4, decay_tau=0.3, sustain=0.35, chorus=0.35, loop=0.5, seed=406), ("dark",)),
    _i("Synth_Glass_Minimal", "synth", None, CHORDS, s.fm, s.FM(ratio=3.5, index=1.5, index_sustain=0.2, index_tau=0.08, decay_tau=0.35, sustain=0.2, loop=0.4, seed=407), ("dry",)),
    _i("Synth_Supersaw_Trance", "synth", None, CHORDS, s.synth, _synth(layers=(L("saw", 1.0, 0, SAW7),), stereo=True, cutoff=5000, keytrack=0.3, attack=0.01, noise=0.03, sub=0.0, loop=1.0, seed=408), ("bright", "euphoric"), 0.15),
    _i("Pad_Strings_Liquid", "pad", "strings", CHORDS, s.synth, _synth(layers=(L("saw", 1.0, 0, (-9.0, -3.0, 3.0, 9.0)),), stereo=True, cutoff=2800, keytrack=0.4, attack=0.18, vibrato_cents=6, vibrato_hz=5.0, chorus=0.3, loop=1.0, seed=409), ("warm", "lush"), 0.15),
    _i("Synth_Dubstep_Dark", "synth", None, CHORDS, s.synth, _synth(layers=(L("saw", 1.0, 0, (-12.0, 12.0)), L("square", 0.7, -12)), stereo=True, cutoff=500, keytrack=0.4, env_octaves=1.5, env_tau=0.15, resonance=0.5, drive=2.0, decay_tau=0.4, sustain=0.5, loop=0.6, seed=410), ("dark", "aggressive")),
    _i("Keys_Organ_Garage", "keys", None, CHORDS, s.partials, s.Partials(ratios=(0.5, 1, 1.5, 2, 3, 4), levels=(0.6, 1, 0.5, 0.7, 0.3, 0.3), tau=0.08, floor=0.55, click=0.3, leslie=0.15, leslie_hz=6.5, loop=0.6, seed=411), ("bright",)),
    _i("Keys_Piano_Dark", "keys", None, CHORDS, s.partials, s.Partials(count=16, stretch=0.0003, tilt=1.4, tau=1.2, tau_fall=0.5, floor=0.15, thump=0.1, detune_cents=2.0, lowpass=3000, loop=0.5, seed=412), ("dark",)),
    _i("Keys_Piano_Soul", "keys", None, CHORDS, s.partials, s.Partials(count=18, stretch=0.00025, tilt=1.15, tau=1.0, tau_fall=0.4, floor=0.16, thump=0.15, detune_cents=4.0, lowpass=5000, drive=0.8, loop=0.5, seed=413), ("warm",)),
    _i("Keys_Piano_Dusty", "keys", None, CHORDS, s.partials, s.Partials(count=14, stretch=0.0003, tilt=1.2, tau=0.9, tau_fall=0.45, floor=0.15, thump=0.2, detune_cents=6.0, lowpass=3200, drive=1.0, loop=0.5, seed=414), ("dusty", "warm")),
    _i("Keys_Rhodes_Lofi", "keys", None, CHORDS, s.fm, s.FM(ratio=1, index=1.1, index_sustain=0.25, index_tau=0.3, decay_tau=1.0, sustain=0.3, tine=0.08, tremolo=0.2, tremolo_hz=3.0, lowpass=2600, wow=12.0, loop=0.6, seed=415), ("soft", "dusty")),
    _i("Keys_Guitar_Nylon", "keys", "guitar", CHORDS, s.partials, s.Partials(count=20, tilt=1.0, pluck_at=0.18, tau=0.6, tau_fall=0.5, floor=0.1, thump=0.1, thump_high=2000, loop=0.4, seed=416), ("warm", "organic")),
    _i("Keys_Piano_Pop", "keys", None, CHORDS, s.partials, s.Partials(count=22, stretch=0.0003, tilt=0.85, tau=0.9, tau_fall=0.3, floor=0.15, thump=0.12, detune_cents=2.5, loop=0.5, seed=417), ("bright",)),
    _i("Pad_Strings_Disco", "pad", "strings", CHORDS, s.synth, _synth(layers=(L("saw", 1.0, 0, (-10.0, -4.0, 4.0, 10.0)),), stereo=True, cutoff=4500, keytrack=0.3, attack=0.06, vibrato_cents=8, vibrato_hz=5.5, chorus=0.35, loop=1.0, seed=418), ("bright", "lush"), 0.15),
    _i("Keys_Clav_Funk", "keys", None, CHORDS, s.synth, _synth(layers=(L("pulse"),), cutoff=1500, keytrack=0.7, env_octaves=1.8, env_tau=0.05, resonance=0.5, decay_tau=0.25, sustain=0.3, drive=0.8, loop=0.4, seed=419), ("bright", "funky")),
    _i("Synth_Poly_80s", "synth", None, CHORDS, s.synth, _synth(layers=(L("saw", 1.0, 0, (-5.0, 5.0)), L("pulse", 0.5)), cutoff=2200, keytrack=0.4, env_octaves=1.0, env_tau=0.25, decay_tau=0.6, sustain=0.7, attack=0.01, chorus=0.5, loop=0.6, seed=420), ("bright", "retro")),
    _i("Keys_Glass_Ambient", "keys", None, CHORDS, s.fm, s.FM(ratio=2, index=1.0, index_sustain=0.4, index_tau=0.6, decay_tau=1.5, sustain=0.5, attack=0.08, bell=0.3, bell_ratio=3.5, chorus=0.4, loop=0.8, seed=421), ("airy", "soft")),
    _i("Synth_Supersaw_BigRoom", "synth", None, CHORDS, s.synth, _synth(layers=(L("saw", 1.0, 0, SAW7), L("saw", 0.5, 12, (-15.0, 0.0, 15.0))), stereo=True, cutoff=8000, keytrack=0.2, attack=0.005, drive=1.0, loop=1.0, seed=422), ("bright", "huge"), 0.15),
)
# fmt: on

# fmt: off
LEADS = (
    _i("Lead_House_Saw", "lead", None, LEAD, s.synth, _synth(layers=(L("saw", 1.0, 0, (-7.0, 7.0)),), cutoff=3500, keytrack=0.5, env_octaves=0.8, env_tau=0.15, decay_tau=0.3, sustain=0.8, vibrato_cents=10, loop=0.5, seed=501), ("bright",)),
    _i("Lead_Deep_Mellow", "lead", None, LEAD, s.synth, _synth(layers=(L("triangle"), L("sine", 0.4, 12)), cutoff=3000, attack=0.01, vibrato_cents=8, vibrato_hz=4.5, loop=0.5, seed=502), ("soft", "warm")),
    _i("Lead_Tech_Blip", "lead", None, LEAD, s.fm, s.FM(ratio=2, index=3.0, index_sustain=0.4, index_tau=0.04, decay_tau=0.15, sustain=0.3, loop=0.4, seed=503), ("dry", "punchy")),
    _i("Lead_Kalimba_Afro", "lead", None, LEAD, s.partials, s.Partials(ratios=(1, 5.4, 10.3), levels=(1, 0.3, 0.12), tau=0.5, tau_fall=6.0, floor=0.12, click=0.1, loop=0.4, seed=504), ("organic", "bright")),
    _i("Lead_Prog_Bell", "lead", "bell", LEAD, s.fm, s.FM(ratio=3.5, index=2.0, index_sustain=0.3, index_tau=0.2, decay_tau=0.8, sustain=0.25, chorus=0.3, loop=0.5, seed=505), ("bright", "airy")),
    _i("Lead_Acid_303", "lead", None, LEAD, s.synth, _synth(layers=(L("saw"),), cutoff=500, keytrack=0.7, env_octaves=2.8, env_tau=0.1, resonance=1.5, decay_tau=0.3, sustain=0.55, drive=1.8, loop=0.4, seed=506), ("acid", "dark")),
    _i("Lead_Minimal_Blip", "lead", None, LEAD, s.fm, s.FM(ratio=1, index=2.0, index_sustain=0.0, index_tau=0.02, decay_tau=0.12, sustain=0.2, loop=0.3, seed=507), ("dry",)),
    _i("Lead_Trance_Supersaw", "lead", None, LEAD, s.synth, _synth(layers=(L("saw", 1.0, 0, SAW7),), stereo=True, cutoff=7000, keytrack=0.2, attack=0.005, vibrato_cents=6, noise=0.02, loop=0.8, seed=508), ("bright", "euphoric"), 0.12),
    _i("Lead_DnB_Square", "lead", None, LEAD, s.synth, _synth(layers=(L("square", 1.0, 0, (-6.0, 6.0)),), cutoff=2500, keytrack=0.4, env_octaves=1.0, env_tau=0.08, decay_tau=0.2, sustain=0.75, vibrato_cents=12, loop=0.5, seed=509), ("bright",)),
    _i("Lead_Dubstep_Screech", "lead", None, LEAD, s.fm, s.FM(ratio=1.5, index=4.0, index_sustain=2.5, index_tau=0.2, decay_tau=0.3, sustain=0.8, drive=3.0, lowpass=9000, loop=0.5, seed=510), ("aggressive", "dark")),
    _i("Lead_Garage_Vox", "vocal", "chop", LEAD, s.voice, s.Voice(formants=s.OH, vibrato_cents=10, attack=0.015, loop=0.6, seed=511), ("soft",)),
    _i("Lead_Bell_Trap", "lead", "bell", LEAD, s.fm, s.FM(ratio=4, index=1.8, index_sustain=0.2, index_tau=0.15, decay_tau=0.6, sustain=0.2, tine=0.1, tine_ratio=7.0, loop=0.5, seed=512), ("dark", "bright")),
    _i("Lead_Flute_HipHop", "lead", None, LEAD, s.partials, s.Partials(ratios=(1, 2, 3, 4), levels=(1, 0.25, 0.12, 0.05), tau=0.2, floor=0.9, attack=0.05, breath=0.08, vibrato_cents=12, vibrato_hz=5.0, loop=0.6, seed=513), ("soft", "airy")),
    _i("Lead_Brass_Muted", "lead", "brass", LEAD, s.synth, _synth(layers=(L("saw"),), cutoff=1100, keytrack=0.6, env_octaves=0.8, env_tau=0.06, decay_tau=0.3, sustain=0.8, attack=0.03, vibrato_cents=8, drive=0.8, loop=0.5, seed=514), ("warm", "dusty")),
    _i("Keys_Vibes_Lofi", "keys", None, LEAD, s.partials, s.Partials(ratios=(1, 4.0, 10.0), levels=(1, 0.25, 0.06), tau=0.9, tau_fall=4.0, floor=0.2, click=0.05, leslie=0.25, leslie_hz=5.0, lowpass=4000, loop=0.6, seed=515), ("soft", "warm")),
    _i("Lead_Pluck_Reggaeton", "lead", "pluck", LEAD, s.synth, _synth(layers=(L("saw", 1.0, 0, (-6.0, 6.0)), L("square", 0.4, 12)), cutoff=1500, keytrack=0.6, env_octaves=2.5, env_tau=0.08, decay_tau=0.3, sustain=0.25, loop=0.4, seed=516), ("bright",)),
    _i("Lead_Pop_Pluck", "lead", "pluck", LEAD, s.synth, _synth(layers=(L("saw", 1.0, 0, (-9.0, 0.0, 9.0)),), stereo=True, cutoff=2000, keytrack=0.5, env_octaves=2.0, env_tau=0.1, decay_tau=0.35, sustain=0.35, chorus=0.25, loop=0.5, seed=517), ("bright", "happy")),
    _i("Lead_Brass_Disco", "lead", "brass", LEAD, s.synth, _synth(layers=(L("saw", 1.0, 0, (-8.0, 0.0, 8.0)),), cutoff=1600, keytrack=0.6, env_octaves=1.3, env_tau=0.07, decay_tau=0.3, sustain=0.75, attack=0.02, vibrato_cents=10, loop=0.5, seed=518), ("bright",)),
    _i("Lead_Funk_Moog", "lead", None, LEAD, s.synth, _synth(layers=(L("saw"), L("square", 0.6, -12)), cutoff=1400, keytrack=0.6, env_octaves=1.5, env_tau=0.1, resonance=0.7, decay_tau=0.3, sustain=0.7, vibrato_cents=15, drive=1.0, loop=0.5, seed=519), ("funky", "warm")),
    _i("Lead_Synthwave_Saw", "lead", None, LEAD, s.synth, _synth(layers=(L("saw", 1.0, 0, (-8.0, 8.0)), L("square", 0.4, 12)), cutoff=3500, keytrack=0.4, vibrato_cents=14, vibrato_hz=5.5, chorus=0.4, loop=0.6, seed=520), ("bright", "retro")),
    _i("Lead_Bell_Ambient", "lead", "bell", LEAD, s.fm, s.FM(ratio=3.5, index=1.2, index_sustain=0.5, index_tau=0.5, decay_tau=1.5, sustain=0.35, attack=0.03, chorus=0.4, loop=0.8, seed=521), ("airy", "soft")),
    _i("Lead_BigRoom_Square", "lead", None, LEAD, s.synth, _synth(layers=(L("square", 1.0, 0, (-12.0, 0.0, 12.0)), L("saw", 0.5, 12, (-10.0, 10.0))), stereo=True, cutoff=6000, keytrack=0.2, drive=1.5, loop=0.6, seed=522), ("bright", "huge")),
)
# fmt: on

# fmt: off
PAD_INSTRUMENTS = (
    _i("Pad_Warm", "pad", None, PADS, s.synth, _synth(layers=(L("saw", 1.0, 0, (-18.0, -11.0, -5.0, 0.0, 5.0, 11.0, 18.0)),), stereo=True, cutoff=2200, keytrack=0.3, attack=0.4, loop=1.5, seed=601), ("warm",), 0.3),
    _i("Pad_Dark", "pad", None, PADS, s.synth, _synth(layers=(L("saw", 1.0, 0, (-12.0, -4.0, 4.0, 12.0)),), stereo=True, cutoff=700, keytrack=0.2, attack=0.6, sub=0.5, loop=1.5, seed=602), ("dark",), 0.3),
    _i("Pad_Airy", "pad", None, PADS, s.synth, _synth(layers=(L("triangle", 1.0, 0, (-9.0, 0.0, 9.0)), L("saw", 0.3, 12, (-6.0, 6.0))), stereo=True, cutoff=7000, keytrack=0.2, attack=0.5, noise=0.06, noise_band=(4000.0, 14000.0), chorus=0.4, loop=1.5, seed=603), ("airy", "bright"), 0.3),
    _i("Pad_Choir", "pad", None, PADS, s.voice, s.Voice(formants=s.OO, vibrato_cents=9, choir=4, attack=0.3, loop=1.2, seed=604), ("airy", "dreamy"), 0.3),
    _i("Pad_Strings_Soft", "pad", "strings", PADS, s.synth, _synth(layers=(L("saw", 1.0, 0, (-8.0, -3.0, 3.0, 8.0)),), stereo=True, cutoff=1800, keytrack=0.4, attack=0.5, vibrato_cents=7, vibrato_hz=5.0, chorus=0.3, loop=1.2, seed=605), ("sad", "warm"), 0.3),
)
# fmt: on

# fmt: off
ARPS = (
    _i("Arp_Pluck_Bright", "lead", "pluck", ARP, s.synth, _synth(layers=(L("saw", 1.0, 0, (-7.0, 7.0)),), cutoff=1800, keytrack=0.5, env_octaves=2.6, env_tau=0.07, decay_tau=0.2, sustain=0.15, loop=0.3, seed=701), ("bright",)),
    _i("Arp_Pluck_Soft", "lead", "pluck", ARP, s.synth, _synth(layers=(L("triangle"), L("saw", 0.3)), cutoff=1200, keytrack=0.5, env_octaves=1.5, env_tau=0.08, decay_tau=0.25, sustain=0.15, loop=0.3, seed=702), ("soft", "warm")),
    _i("Arp_Pluck_Dark", "lead", "pluck", ARP, s.synth, _synth(layers=(L("square"),), cutoff=500, keytrack=0.5, env_octaves=2.0, env_tau=0.06, resonance=0.6, decay_tau=0.2, sustain=0.15, loop=0.3, seed=703), ("dark",)),
    _i("Arp_Bell_Glass", "lead", "bell", ARP, s.fm, s.FM(ratio=3.5, index=1.4, index_sustain=0.2, index_tau=0.1, decay_tau=0.4, sustain=0.15, loop=0.3, seed=704), ("airy", "bright")),
)
# fmt: on

# fmt: off
VOCALS = (
    _i("Vox_Ah", "vocal", "chop", VOCAL, s.voice, s.Voice(formants=s.AH, seed=801)),
    _i("Vox_Oh", "vocal", "chop", VOCAL, s.voice, s.Voice(formants=s.OH, seed=802)),
)
# fmt: on


def _layered(instrument: KitInstrument) -> KitInstrument:
    """The instrument with its hard velocity layer, where the velocity table gives it one."""
    layers = velocity.VELOCITY_LAYERS.get(instrument.name)
    if layers is None:
        return instrument
    recipe = instrument.recipe
    assert isinstance(recipe, partial)
    hard = partial(recipe.func, velocity.harder(*recipe.args))
    return replace(instrument, split=layers.split, hard=hard)


INSTRUMENTS: tuple[KitInstrument, ...] = tuple(
    _layered(instrument)
    for instrument in (*BASSES, *CHORD_INSTRUMENTS, *LEADS, *PAD_INSTRUMENTS, *ARPS, *VOCALS)
)
INSTRUMENT_BY_NAME: dict[str, KitInstrument] = {i.name: i for i in INSTRUMENTS}
ONE_SHOTS: tuple[KitSound, ...] = (*KICKS, *SNARES, *CLAPS, *HATS, *PERCUSSION, *FX)
KIT: tuple[KitSound, ...] = (
    *ONE_SHOTS,
    *(sound for instrument in INSTRUMENTS for sound in instrument.zone_sounds()),
)
KIT_BY_NAME: dict[str, KitSound] = {sound.name: sound for sound in KIT}
KIT_BY_FILENAME: dict[str, KitSound] = {sound.filename: sound for sound in KIT}


def instrument_of(filename: str) -> KitInstrument | None:
    """The multi-sampled instrument a kit file belongs to (None for one-shots and other files)."""
    sound = KIT_BY_FILENAME.get(filename)
    return INSTRUMENT_BY_NAME.get(sound.instrument) if sound and sound.instrument else None
