"""The production decisions per style, as data: the two returns, send levels, reference levels,
sidechain pumping, colour devices, panning and loudness targets, each with a one-line reason.

Mix parts are finer than track roles: the kick and the snare/clap get tracks of their own (the
kick keys the sidechain and stays dry; the snare takes the reverb the hats should not), the rest
of the kit stays on "drums". Loops layered from the producer's library are ``drum_loop`` and
``vocal_loop``.

Levels are each part's share of the energy (sum of squares, as the listening report counts it)
in the song's fullest sections. Shares are renormalised over the parts a song has. Raw energy
favours the low end, so a kick and bass holding half of it is a normal club mix, not a boomy one.

Sources: common mixing and mastering practice for electronic music (sidechain pumping in house,
techno, trance and EDM; long dub delays in techno and deep house; big gated reverbs in synthwave;
dry, upfront drums in hip-hop and boom-bap; an 808 that carries a trap mix), and streaming and club
loudness conventions (-14 LUFS streaming reference; club masters around -9 to -7; true peak at or
below -1 dBTP so lossy encoders do not clip). See peers-and-music.md §3 for the genre table.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

MIX_PARTS = (
    "kick",
    "snare",
    "drums",
    "bass",
    "chords",
    "pads",
    "lead",
    "arp",
    "vocals",
    "fx",
    "drum_loop",
    "vocal_loop",
)
MAX_SHARE = 0.6  # no part holds more of the energy, unless the style says so (``dominant``)
TRUE_PEAK_MAX = -1.0  # dBTP, every style
OFF_DB = -70.0  # a send that is off


@dataclass(frozen=True, slots=True)
class Level:
    share: float  # of the fullest sections' energy
    why: str


@dataclass(frozen=True, slots=True)
class Send:
    reverb_db: float
    delay_db: float
    why: str


@dataclass(frozen=True, slots=True)
class Space:
    """The two return tracks: a reverb and a tempo-synced delay."""

    decay_s: float
    predelay_ms: float
    low_cut_hz: float  # the reverb's input band: no low end into the tail
    high_cut_hz: float
    reverb_why: str
    delay_l: int  # sixteenths (Live's synced choices)
    delay_r: int
    feedback: float
    delay_filter_hz: float  # band-pass in the feedback path
    delay_why: str
    ping_pong: bool = False


@dataclass(frozen=True, slots=True)
class Pump:
    """Sidechain compression keyed by the kick on bass, chords, pads and arp."""

    depth_db: float  # gain reduction on each kick
    release_ms: float
    why: str


@dataclass(frozen=True, slots=True)
class Loudness:
    """Integrated loudness of the master (LUFS): the target and the accepted range."""

    target: float
    low: float
    high: float
    why: str


@dataclass(frozen=True, slots=True)
class Colour:
    """A device a style's sound needs on one part (a Saturator, an Auto Filter)."""

    part: str
    kind: str
    params: dict[str, float]
    why: str


@dataclass(frozen=True, slots=True)
class StyleMix:
    space: Space
    loudness: Loudness
    levels: dict[str, Level]
    sends: dict[str, Send]
    pump: Pump | None = None
    colour: tuple[Colour, ...] = ()
    dominant: tuple[str, float, str] | None = None  # (part, highest share, why)
    # How intros and outros fade: "main" (the whole song) or "parts" (everything but the kick,
    # so a DJ keeps a full-level kick to mix with).
    fades: str = "main"
    pans: dict[str, tuple[float, str]] = field(default_factory=dict)
    widths: dict[str, tuple[float, str]] = field(default_factory=dict)


# --------------------------------------------------------------------------- reference levels


def _levels(base: dict[str, Level], **changes: Level) -> dict[str, Level]:
    return {**base, **changes}


_LOOPS = {
    "drum_loop": Level(0.05, "a library top loop adds groove under the kit, never over it"),
    "vocal_loop": Level(0.06, "a vocal loop is a hook element: heard, not leading"),
}

CLUB_LEVELS: dict[str, Level] = {
    "kick": Level(0.27, "the four-to-the-floor kick is the loudest element of a club mix"),
    "bass": Level(0.22, "the bass sits just under the kick: together they carry the floor"),
    "snare": Level(0.06, "claps mark 2 and 4 without competing with the kick"),
    "drums": Level(0.07, "hats and percussion give drive at a modest level"),
    "chords": Level(0.11, "stabs and chords are the main musical element after the groove"),
    "pads": Level(0.07, "pads fill behind everything"),
    "lead": Level(0.1, "the lead is present over pads and chords"),
    "arp": Level(0.05, "arps are texture under the lead"),
    "vocals": Level(0.07, "vocal chops answer the lead"),
    "fx": Level(0.03, "risers and impacts are transitions, short and quiet on average"),
    **_LOOPS,
}
TECHNO_LEVELS = _levels(
    CLUB_LEVELS,
    kick=Level(0.33, "techno is built on the kick: the loudest, longest element"),
    bass=Level(0.22, "the rolling bass locks with the kick as one low-end groove"),
    drums=Level(0.09, "hats and percussion drive techno more than any melody"),
    chords=Level(0.09, "dub stabs are sparse and sit back in the space"),
    arp=Level(0.08, "the sequenced arp is techno's main melodic motion"),
    lead=Level(0.07, "leads are rare in techno and stay modest"),
)
EDM_LEVELS = _levels(
    CLUB_LEVELS,
    kick=Level(0.26, "EDM drops hit with kick and bass: the two biggest parts"),
    bass=Level(0.22, "the drop bass is as big as the kick, ducked under it"),
    snare=Level(0.07, "a bright clap/snare snaps on 2 and 4"),
    drums=Level(0.05, "hats are bright and small in energy"),
    lead=Level(0.14, "the supersaw lead is the hook of the drop: clearly over pads"),
    pads=Level(0.07, "pads support the lead's chords"),
    chords=Level(0.09, "chords widen the lead"),
)
TRANCE_LEVELS = _levels(
    EDM_LEVELS,
    lead=Level(0.14, "the trance lead carries the anthem over the pads"),
    pads=Level(0.09, "big pads and gated chords are the trance wall"),
    arp=Level(0.07, "the rolling arp is trance's pulse"),
)
BREAKS_LEVELS = _levels(
    CLUB_LEVELS,
    kick=Level(0.17, "in breakbeat styles the kick shares the beat with a big snare"),
    snare=Level(0.14, "the snare on 2 and 4 is the backbone of drum & bass and dubstep"),
    drums=Level(0.07, "breaks' hats and ghost notes are busy but light"),
    bass=Level(0.3, "the reese or wobble bass is the star of the genre"),
    chords=Level(0.08, "chords sit back behind the bass"),
    pads=Level(0.08, "atmospheric pads fill the half-time space"),
    lead=Level(0.1, "a lead motif on top, under the bass"),
)
GARAGE_LEVELS = _levels(
    CLUB_LEVELS,
    kick=Level(0.21, "the skippy two-step kick is lighter than a house kick"),
    snare=Level(0.1, "the garage snare/clap cracks on 2 and 4"),
    bass=Level(0.26, "sub and organ basses are upfront in garage"),
    chords=Level(0.12, "organ and chord stabs carry the harmony"),
)
HIPHOP_LEVELS: dict[str, Level] = {
    "kick": Level(0.2, "a punchy kick knocks, just under the bass"),
    "snare": Level(0.15, "the snare is loud and upfront in hip-hop"),
    "drums": Level(0.06, "hats tick along quietly"),
    "bass": Level(0.27, "the bass carries the low end"),
    "chords": Level(0.12, "the sample/chords sit behind the drums"),
    "pads": Level(0.07, "pads stay in the background"),
    "lead": Level(0.11, "the melodic hook is clear but leaves room for a voice"),
    "arp": Level(0.05, "arps are texture"),
    "vocals": Level(0.08, "vocal chops are part of the hook"),
    "fx": Level(0.03, "transitions are short"),
    **_LOOPS,
}
TRAP_LEVELS = _levels(
    HIPHOP_LEVELS,
    bass=Level(0.48, "the 808 carries a trap mix: bass line and kick body in one"),
    kick=Level(0.1, "the kick only adds a click on top of the 808"),
    snare=Level(0.11, "snares and claps crack over the 808"),
    drums=Level(0.06, "hat rolls are fast, bright and light in energy"),
    chords=Level(0.07, "dark chords or melodies sit under the 808"),
    lead=Level(0.1, "the melody loop stays audible above the 808"),
)
LOFI_LEVELS = _levels(
    HIPHOP_LEVELS,
    kick=Level(0.17, "lo-fi drums are soft and dusty"),
    snare=Level(0.12, "a mellow snare, not a crack"),
    bass=Level(0.22, "a warm, round bass"),
    chords=Level(0.2, "the jazzy keys are the heart of lo-fi"),
    pads=Level(0.09, "pads are a soft bed"),
    lead=Level(0.11, "the melody is gentle, present over the pads"),
)
SONG_LEVELS: dict[str, Level] = {
    "kick": Level(0.19, "the kick drives the groove"),
    "snare": Level(0.13, "the backbeat snare is a big part of a band-style mix"),
    "drums": Level(0.06, "hats and percussion sit under the backbeat"),
    "bass": Level(0.22, "the bass locks with the kick"),
    "chords": Level(0.13, "chords carry the harmony"),
    "pads": Level(0.07, "pads are background"),
    "lead": Level(0.14, "the lead (the singer's place) sits on top of the mix"),
    "arp": Level(0.06, "arps are texture"),
    "vocals": Level(0.08, "vocal chops support the lead"),
    "fx": Level(0.03, "transitions are short"),
    **_LOOPS,
}
AMBIENT_LEVELS: dict[str, Level] = {
    "pads": Level(0.3, "ambient is built on evolving pads"),
    "chords": Level(0.18, "slow chords carry the harmony"),
    "bass": Level(0.17, "a soft low drone anchors the pads"),
    "lead": Level(0.12, "a sparse melody floats over the pads"),
    "arp": Level(0.09, "slow arps add motion"),
    "fx": Level(0.06, "textures and swells are part of the music here"),
    "vocals": Level(0.06, "distant voices"),
    "kick": Level(0.08, "a kick, when asked for, is a soft pulse"),
    "snare": Level(0.05, "any snare is soft"),
    "drums": Level(0.05, "light percussion"),
    **_LOOPS,
}

# ----------------------------------------------------------------------------------- sends

CLUB_SENDS: dict[str, Send] = {
    "kick": Send(OFF_DB, OFF_DB, "a dry kick keeps its punch and a mono, tight low end"),
    "bass": Send(OFF_DB, OFF_DB, "a dry bass: reverb on the low end turns to mud"),
    "snare": Send(-13.0, OFF_DB, "a clap/snare tail gives the groove its space"),
    "drums": Send(-24.0, OFF_DB, "a touch of room on hats and percussion"),
    "chords": Send(-17.0, -20.0, "chords sit in the room with an echo behind them"),
    "pads": Send(-10.0, -24.0, "pads are the wettest part: they are the space"),
    "lead": Send(-17.0, -13.0, "the lead's delay throws fill the gaps between phrases"),
    "arp": Send(-20.0, -15.0, "a synced echo on the arp doubles its motion"),
    "vocals": Send(-14.0, -16.0, "vocal chops bloom into reverb and echo"),
    "fx": Send(-11.0, -18.0, "risers and impacts wash into the reverb"),
    "drum_loop": Send(-26.0, OFF_DB, "a loop already has its room: a touch only"),
    "vocal_loop": Send(-16.0, -18.0, "a vocal loop sits in the same space as the chops"),
}
DUB_SENDS = {
    **CLUB_SENDS,
    "chords": Send(-15.0, -12.0, "dub chords live in their echoes: the delay is the sound"),
    "arp": Send(-20.0, -14.0, "a dub echo on the sequence"),
}
HIPHOP_SENDS = {
    **CLUB_SENDS,
    "snare": Send(-18.0, OFF_DB, "hip-hop drums are upfront: a short room on the snare only"),
    "drums": Send(-30.0, OFF_DB, "dry hats"),
    "chords": Send(-19.0, -24.0, "keys stay close, a little room"),
    "lead": Send(-20.0, -16.0, "a short echo on the hook"),
    "pads": Send(-14.0, -26.0, "pads are the only wet part"),
}
SONG_SENDS = {
    **CLUB_SENDS,
    "snare": Send(-12.0, OFF_DB, "the backbeat snare gets its plate/hall"),
    "lead": Send(-16.0, -15.0, "the lead (a singer's place) gets reverb and a quarter echo"),
}
AMBIENT_SENDS = {
    **CLUB_SENDS,
    "bass": Send(-24.0, OFF_DB, "even the low drone gets a little space in ambient"),
    "chords": Send(-12.0, -16.0, "everything blooms into a long hall"),
    "pads": Send(-9.0, -18.0, "pads are drenched: the reverb is half the sound"),
    "lead": Send(-12.0, -12.0, "a sparse melody echoes across the space"),
    "arp": Send(-14.0, -11.0, "arp echoes blur into texture"),
    "kick": Send(-22.0, OFF_DB, "a soft kick also sits in the space"),
    "snare": Send(-10.0, OFF_DB, "any snare is distant"),
}

# ---------------------------------------------------------------------------- pans, widths

PANS: dict[str, tuple[float, str]] = {
    "arp": (-0.15, "the arp leans left, away from the centred lead"),
    "vocals": (0.0, "vocals stay centred like a singer"),
    "drum_loop": (0.1, "a top loop leans right, clear of the centred snare"),
}
# Drum Rack pads panned inside the kit: hats and percussion spread as on a drummer's kit.
PAD_PANS: dict[int, tuple[float, str]] = {
    42: (0.2, "closed hat right of centre, as a drummer's hi-hat"),
    44: (0.2, "pedal hat with the closed hat"),
    46: (0.25, "open hat beside the closed one"),
    51: (-0.25, "ride on the other side"),
    49: (-0.3, "crash left, the kit's width"),
    54: (0.35, "tambourine right"),
    70: (-0.35, "shaker left, answering the hat"),
    56: (0.3, "cowbell right"),
    75: (-0.3, "clave left"),
    62: (0.3, "high conga right"),
    64: (-0.25, "low conga left"),
    60: (0.4, "high bongo right"),
    61: (-0.4, "low bongo left"),
    41: (-0.3, "low tom left, as seen from the audience"),
    45: (0.0, "mid tom centre"),
    48: (0.3, "high tom right"),
}
WIDTHS: dict[str, tuple[float, str]] = {
    "pads": (1.4, "doubled pads spread wide around the centred lead"),
    "arp": (1.2, "a slightly wider arp"),
    "chords": (1.1, "chords a little wider than the centre parts"),
}
BASS_MONO_HZ = 120.0  # Utility's bass mono on the bass: a club system plays the low end in mono

# ------------------------------------------------------------------------- velocity curves

# Velocity ranges per melodic part (Live's Velocity device's Out Low / Out High): velocities are
# mapped into the range, keeping their order. Drums keep what the groove wrote (ghost notes and
# accents are the feel). Styles not listed keep the player's whole range.
VELOCITY: dict[str, dict[str, tuple[int, int, str]]] = {
    "club": {
        "bass": (96, 120, "a programmed club bass is even: the low end must not wobble in level"),
        "chords": (84, 118, "stabs keep some accent, never drop out of the mix"),
        "pads": (80, 104, "pads hold one level under everything"),
        "lead": (90, 124, "the lead stays present; accents still show"),
        "arp": (78, 112, "a sequenced arp is nearly flat, with a little accent"),
    },
    "urban": {
        "bass": (100, 124, "808s and bass hit at one level: the low end carries the beat"),
        "pads": (76, 104, "pads stay in the background"),
        "lead": (80, 124, "the hook stays present"),
    },
    "song": {
        "bass": (80, 124, "the bass keeps a player's dynamics within a steady range"),
        "pads": (76, 108, "pads stay in the background"),
    },
}
VELOCITY_FAMILY: dict[str, str] = {
    **dict.fromkeys(
        ["house", "deep-house", "tech-house", "afro-house", "progressive-house", "techno",
         "minimal-techno", "trance", "edm", "drum-and-bass", "dubstep", "uk-garage"],
        "club",
    ),
    **dict.fromkeys(["trap", "hip-hop", "reggaeton"], "urban"),
    **dict.fromkeys(["pop", "synthwave"], "song"),
}  # fmt: skip


def velocity_range(style: str | None, part: str) -> tuple[int, int] | None:
    family = VELOCITY_FAMILY.get(style or "")
    found = VELOCITY.get(family or "", {}).get(part)
    return (found[0], found[1]) if found else None


# ------------------------------------------------------------------------------- devices

_SAT_BASS_WARM = Colour(
    "bass",
    "saturator",
    {"drive_db": 4.0, "type": 1.0, "output_db": -4.0, "dry_wet": 0.6},
    "soft saturation adds harmonics so the bass reads on small speakers",
)


def _sat(part: str, drive: float, kind: float, mix: float, why: str) -> Colour:
    return Colour(
        part,
        "saturator",
        {"drive_db": drive, "type": kind, "output_db": -drive, "dry_wet": mix},
        why,
    )


def _lowpass(part: str, cutoff: float, why: str, resonance: float = 0.0) -> Colour:
    return Colour(part, "auto_filter", {"cutoff_hz": cutoff, "resonance": resonance}, why)


# ------------------------------------------------------------------------------- styles

_CLUB_PUMP = Pump(4.0, 140.0, "house pumps: bass and chords breathe with the kick")


def _space(
    decay: float,
    predelay: float,
    low: float,
    high: float,
    reverb_why: str,
    left: int,
    right: int,
    feedback: float,
    filter_hz: float,
    delay_why: str,
    ping_pong: bool = False,
) -> Space:
    return Space(
        decay,
        predelay,
        low,
        high,
        reverb_why,
        left,
        right,
        feedback,
        filter_hz,
        delay_why,
        ping_pong,
    )


STYLE_MIX: dict[str, StyleMix] = {
    "house": StyleMix(
        space=_space(
            1.8,
            20,
            300,
            8000,
            "a bright plate-like room: claps and stabs stay clear",
            3,
            4,
            0.35,
            1200,
            "dotted-eighth against quarter: the classic house bounce",
            ping_pong=True,
        ),
        loudness=Loudness(-9.5, -11.0, -8.0, "club house masters are loud, around -9 LUFS"),
        levels=CLUB_LEVELS,
        sends=CLUB_SENDS,
        pump=_CLUB_PUMP,
        fades="parts",
    ),
    "deep-house": StyleMix(
        space=_space(
            2.6,
            25,
            250,
            6000,
            "a warm, longer hall: deep house is spacious and soft",
            3,
            6,
            0.45,
            900,
            "dub-style dotted echoes on the chords",
        ),
        loudness=Loudness(
            -10.5, -12.0, -9.0, "deep house keeps more dynamics than peak-time house"
        ),
        levels=_levels(CLUB_LEVELS, chords=Level(0.13, "the Rhodes/organ chords are the track")),
        sends=DUB_SENDS,
        pump=Pump(3.0, 160.0, "a gentle pump keeps the groove breathing without obvious ducking"),
        colour=(_SAT_BASS_WARM,),
        fades="parts",
    ),
    "tech-house": StyleMix(
        space=_space(
            1.3,
            10,
            350,
            7000,
            "a short, tight room: tech-house is dry and punchy",
            3,
            3,
            0.3,
            1500,
            "short dotted echoes on stabs",
        ),
        loudness=Loudness(-9.0, -10.5, -7.5, "tech-house is mastered loud for club systems"),
        levels=_levels(CLUB_LEVELS, bass=Level(0.25, "the rolling bass is the hook of tech-house")),
        sends=_levels(CLUB_SENDS, snare=Send(-16.0, OFF_DB, "a short room on the clap")),
        pump=Pump(5.0, 120.0, "tech-house bass pumps hard against the kick"),
        colour=(_sat("bass", 6.0, 2.0, 0.5, "drive makes the bass growl on a club rig"),),
        fades="parts",
    ),
    "afro-house": StyleMix(
        space=_space(
            2.2,
            15,
            300,
            7000,
            "a warm room around the percussion",
            3,
            2,
            0.35,
            1100,
            "dotted and eighth echoes weave with the polyrhythm",
            ping_pong=True,
        ),
        loudness=Loudness(-10.0, -11.5, -8.5, "afro house is loud but keeps percussion dynamics"),
        levels=_levels(CLUB_LEVELS, drums=Level(0.11, "percussion is the soul of afro house")),
        sends=_levels(CLUB_SENDS, drums=Send(-20.0, OFF_DB, "percussion sits in a warm room")),
        pump=Pump(3.0, 150.0, "a light pump under the percussion"),
        fades="parts",
    ),
    "progressive-house": StyleMix(
        space=_space(
            3.0,
            30,
            300,
            8000,
            "a long, lush hall for the big builds",
            3,
            4,
            0.45,
            1200,
            "long dotted echoes on leads and plucks",
            ping_pong=True,
        ),
        loudness=Loudness(-9.5, -11.0, -8.0, "progressive house is club-loud"),
        levels=_levels(CLUB_LEVELS, lead=Level(0.12, "the lead melody carries the build")),
        sends=CLUB_SENDS,
        pump=Pump(6.0, 180.0, "deep pumping is the progressive sound: pads swell between kicks"),
        fades="parts",
    ),
    "techno": StyleMix(
        space=_space(
            2.8,
            10,
            400,
            5000,
            "a big, dark warehouse hall: low cut, highs rolled off",
            3,
            6,
            0.55,
            800,
            "long dub-techno echoes, band-passed",
        ),
        loudness=Loudness(-9.0, -10.5, -7.5, "techno is mastered for big rigs, around -9 LUFS"),
        levels=TECHNO_LEVELS,
        sends=DUB_SENDS,
        pump=Pump(4.0, 130.0, "the rumble and stabs duck under the kick"),
        colour=(
            _sat("bass", 8.0, 2.0, 0.5, "the rumble bass is driven hard"),
            _lowpass("chords", 3500.0, "dark dub stabs: the top is filtered away", 0.3),
        ),
        fades="parts",
    ),
    "minimal-techno": StyleMix(
        space=_space(
            1.6,
            10,
            400,
            6000,
            "a small, clicky room: minimal is dry and precise",
            3,
            5,
            0.5,
            1000,
            "dub echoes are the motion in minimal",
        ),
        loudness=Loudness(-10.0, -11.5, -8.5, "minimal is a little more dynamic than peak techno"),
        levels=_levels(TECHNO_LEVELS, chords=Level(0.1, "the clicky stab motif")),
        sends=DUB_SENDS,
        pump=Pump(3.0, 120.0, "a subtle pump: minimal grooves breathe, not duck"),
        fades="parts",
    ),
    "trance": StyleMix(
        space=_space(
            3.5,
            40,
            300,
            9000,
            "a huge bright hall: trance lives in its reverb",
            3,
            4,
            0.45,
            1500,
            "dotted-eighth delay on the lead is a trance signature",
            ping_pong=True,
        ),
        loudness=Loudness(-9.0, -10.5, -7.5, "trance anthems are mastered loud"),
        levels=TRANCE_LEVELS,
        sends=_levels(CLUB_SENDS, lead=Send(-14.0, -12.0, "the trance lead soars on its echoes")),
        pump=Pump(6.0, 150.0, "deep sidechain on pads and bass: the trance wall pulses"),
        fades="parts",
    ),
    "edm": StyleMix(
        space=_space(
            2.4,
            25,
            300,
            9000,
            "a big bright hall for the drop's chords",
            3,
            4,
            0.4,
            1500,
            "dotted echoes on the lead",
            ping_pong=True,
        ),
        loudness=Loudness(-8.5, -10.0, -7.0, "big-room EDM is among the loudest masters"),
        levels=EDM_LEVELS,
        sends=CLUB_SENDS,
        pump=Pump(7.0, 130.0, "EDM drops pump hard: the whole track ducks under the kick"),
        colour=(_sat("lead", 4.0, 1.0, 0.4, "saturation makes the supersaw cut through"),),
        fades="parts",
    ),
    "drum-and-bass": StyleMix(
        space=_space(
            1.6,
            10,
            400,
            8000,
            "a short, bright room: at 174 BPM long tails blur",
            3,
            2,
            0.3,
            1500,
            "short dotted echoes fit the fast tempo",
        ),
        loudness=Loudness(-9.0, -10.5, -7.5, "drum & bass is mastered very loud"),
        levels=BREAKS_LEVELS,
        sends=_levels(CLUB_SENDS, snare=Send(-15.0, OFF_DB, "a short room on the break's snare")),
        colour=(_sat("bass", 10.0, 2.0, 0.6, "a reese is driven to growl"),),
    ),
    "dubstep": StyleMix(
        space=_space(
            2.0,
            15,
            400,
            7000,
            "a dark room around the half-time snare",
            3,
            4,
            0.35,
            1000,
            "dotted echoes on the sparse lead",
        ),
        loudness=Loudness(-8.5, -10.0, -7.0, "dubstep drops are mastered to the limit"),
        levels=_levels(BREAKS_LEVELS, bass=Level(0.34, "the wobble is the drop")),
        sends=_levels(
            CLUB_SENDS, snare=Send(-12.0, OFF_DB, "the huge half-time snare needs a tail")
        ),
        pump=Pump(5.0, 140.0, "the wobble ducks under the kick so the kick still hits"),
        colour=(_sat("bass", 9.0, 2.0, 0.6, "the wobble bass is distorted"),),
    ),
    "uk-garage": StyleMix(
        space=_space(
            1.5,
            15,
            300,
            8000,
            "a short bright room for the shuffled drums",
            3,
            4,
            0.3,
            1500,
            "dotted echoes on organ stabs and vocal chops",
        ),
        loudness=Loudness(-9.5, -11.0, -8.0, "garage is club-loud"),
        levels=GARAGE_LEVELS,
        sends=CLUB_SENDS,
        pump=Pump(4.0, 130.0, "garage and future garage pump the chords against the kick"),
        colour=(_SAT_BASS_WARM,),
    ),
    "trap": StyleMix(
        space=_space(
            1.8,
            15,
            350,
            7000,
            "a dark plate on claps and melodies",
            2,
            3,
            0.3,
            1200,
            "eighth and dotted echoes on the melody loop",
        ),
        loudness=Loudness(-9.5, -11.0, -8.0, "trap masters are loud and 808-heavy"),
        levels=TRAP_LEVELS,
        sends=HIPHOP_SENDS,
        dominant=("bass", 0.7, "the 808 is meant to hold most of a trap mix's energy"),
        colour=(_sat("bass", 6.0, 1.0, 0.5, "saturated 808s read on phone speakers"),),
    ),
    "hip-hop": StyleMix(
        space=_space(
            1.2,
            10,
            300,
            6000,
            "a small room: hip-hop drums are upfront",
            4,
            4,
            0.25,
            1000,
            "a quarter-note echo on the hook",
        ),
        loudness=Loudness(-10.0, -11.5, -8.5, "hip-hop masters are loud, a little under club"),
        levels=HIPHOP_LEVELS,
        sends=HIPHOP_SENDS,
        colour=(_sat("chords", 3.0, 1.0, 0.4, "a little tape warmth on the sample"),),
    ),
    "boom-bap": StyleMix(
        space=_space(
            1.0,
            5,
            300,
            5000,
            "a short room, like a sampled break",
            4,
            4,
            0.2,
            900,
            "a quarter echo, used sparingly",
        ),
        loudness=Loudness(-10.5, -12.0, -9.0, "boom-bap keeps its drums' punch: less limiting"),
        levels=_levels(HIPHOP_LEVELS, snare=Level(0.17, "the boom-bap snare cracks loud")),
        sends=HIPHOP_SENDS,
        colour=(_sat("drums", 4.0, 2.0, 0.4, "crunchy drums, as from an SP-1200 or MPC"),),
    ),
    "lo-fi": StyleMix(
        space=_space(
            2.2,
            20,
            300,
            3000,
            "a dark, soft room: lo-fi is warm and dull on top",
            3,
            4,
            0.4,
            700,
            "a dark tape echo",
        ),
        loudness=Loudness(-13.0, -14.5, -11.5, "lo-fi is quiet and soft, a study-beat level"),
        levels=LOFI_LEVELS,
        sends=_levels(
            HIPHOP_SENDS,
            chords=Send(-14.0, -22.0, "the keys sit in a soft room"),
            pads=Send(-11.0, -26.0, "pads drift in a wetter space than the keys"),
        ),
        colour=(
            _lowpass("chords", 5000.0, "the dusty, dull top end of a sampled record"),
            _sat("chords", 4.0, 1.0, 0.5, "tape saturation warms the keys"),
            _lowpass("drums", 7000.0, "soft hats: the top is rolled off"),
        ),
    ),
    "reggaeton": StyleMix(
        space=_space(
            1.4,
            15,
            300,
            8000,
            "a short bright room: reggaeton is dry and punchy",
            2,
            3,
            0.3,
            1300,
            "eighth echoes on the lead",
        ),
        loudness=Loudness(-9.0, -10.5, -7.5, "reggaeton is mastered very loud"),
        levels=_levels(HIPHOP_LEVELS, snare=Level(0.14, "the dembow snare drives the beat")),
        sends=SONG_SENDS,
    ),
    "pop": StyleMix(
        space=_space(
            1.8,
            30,
            300,
            9000,
            "a bright plate: a polished pop sheen",
            4,
            3,
            0.3,
            1500,
            "quarter and dotted echoes on the lead",
        ),
        loudness=Loudness(-10.0, -11.5, -8.5, "pop masters are loud but polished"),
        levels=SONG_LEVELS,
        sends=SONG_SENDS,
    ),
    "disco": StyleMix(
        space=_space(
            1.6,
            20,
            250,
            8000,
            "a warm hall on strings and claps",
            4,
            4,
            0.3,
            1300,
            "a quarter echo on the lead",
        ),
        loudness=Loudness(-10.5, -12.0, -9.0, "disco keeps a band's dynamics"),
        levels=_levels(SONG_LEVELS, chords=Level(0.15, "strings and keys are disco's colour")),
        sends=SONG_SENDS,
    ),
    "funk": StyleMix(
        space=_space(
            0.9,
            5,
            300,
            7000,
            "a short, dry room: funk is tight",
            2,
            2,
            0.2,
            1200,
            "a short eighth echo, barely there",
        ),
        loudness=Loudness(-11.0, -12.5, -9.5, "funk keeps the ghost notes' dynamics"),
        levels=_levels(SONG_LEVELS, bass=Level(0.25, "funk is the bass line")),
        sends=_levels(SONG_SENDS, snare=Send(-18.0, OFF_DB, "a tight room on the snare")),
    ),
    "synthwave": StyleMix(
        space=_space(
            3.2,
            20,
            300,
            7000,
            "a huge 80s hall: the gated-snare sound",
            3,
            4,
            0.45,
            1200,
            "dotted echoes on lead and arp",
            ping_pong=True,
        ),
        loudness=Loudness(-10.0, -11.5, -8.5, "synthwave is loud but keeps its 80s punch"),
        levels=_levels(SONG_LEVELS, arp=Level(0.08, "the arp is synthwave's engine")),
        sends=_levels(SONG_SENDS, snare=Send(-9.0, OFF_DB, "the big 80s snare reverb")),
        colour=(_lowpass("pads", 6000.0, "warm analog pads, rolled off on top"),),
    ),
    "ambient": StyleMix(
        space=_space(
            8.0,
            60,
            200,
            6000,
            "a vast hall: the reverb is part of the music",
            6,
            8,
            0.6,
            900,
            "slow dotted-quarter and half-note echoes",
        ),
        loudness=Loudness(-14.0, -15.5, -12.5, "ambient keeps its dynamics: streaming level"),
        levels=AMBIENT_LEVELS,
        sends=AMBIENT_SENDS,
    ),
}
BASE_PARTS = frozenset(MIX_PARTS)


def style_mix(style: str | None) -> StyleMix:
    return STYLE_MIX.get(style or "house", STYLE_MIX["house"])


def with_pans(mix: StyleMix) -> StyleMix:
    """The style's pans and widths over the shared ones."""
    return replace(mix, pans={**PANS, **mix.pans}, widths={**WIDTHS, **mix.widths})
