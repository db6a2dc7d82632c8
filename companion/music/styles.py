"""Genre knowledge as data: one frozen ``StyleProfile`` per style slug, progression pools by mood
and section forms with the parts that play in each section.

Everything a producer would call "the genre" lives here so the part generators stay generic: they
read the drum family, bass family, comping family and lead rhythm bank named by the profile.
Sources for tempos, grids and forms: peers-and-music.md §3.
"""

from __future__ import annotations

from dataclasses import dataclass

from companion.music.theory import Mode

# --- style table ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StyleProfile:
    slug: str
    label: str  # for titles: "House", "Drum & Bass"
    bpm: float
    bpm_range: tuple[float, float]
    default_bars: int
    drums: str  # drum family, see drums.FAMILIES
    swing: float  # 16th swing ratio: 0.5 straight, 0.58 MPC-ish, 0.62 garage shuffle
    lanes: tuple[str, ...]  # default drum lanes (kick, snare, clap, hats, percussion)
    bass: str  # bass rhythm family, see bass.PATTERNS
    comp: str  # chord rhythm family, see chords.COMP
    harmony: str  # progression pool used when no mood is given
    extensions: int  # 3 triads, 4 sevenths, 5 ninths (where the 9th is diatonic)
    bars_per_chord: int  # harmonic rhythm
    minor_tonic: int  # default tonic pitch class when the key is minor
    mode: Mode  # default mode when neither key nor mood decides
    form: str  # section template, see FORMS
    parts: tuple[str, ...]  # default tracks
    lead: str  # lead rhythm bank, see lead.RHYTHMS
    motif_bars: int  # 1 or 2 bar hook
    arp_rate: float  # beats per arp step


_ALL_LANES = ("kick", "snare", "clap", "hats", "percussion")


def _style(**fields: object) -> StyleProfile:
    fields.setdefault("lanes", _ALL_LANES)
    return StyleProfile(**fields)  # type: ignore[arg-type]


STYLE_TABLE: dict[str, StyleProfile] = {
    profile.slug: profile
    for profile in (
        _style(
            slug="house",
            label="House",
            bpm=124,
            bpm_range=(118, 130),
            default_bars=96,
            drums="house",
            swing=0.54,
            bass="offbeat",
            comp="piano",
            harmony="emotional",
            extensions=4,
            bars_per_chord=1,
            minor_tonic=9,
            mode="minor",
            form="club",
            parts=("drums", "bass", "chords", "pads", "lead", "fx"),
            lead="club",
            motif_bars=1,
            arp_rate=0.25,
        ),
        _style(
            slug="deep-house",
            label="Deep House",
            bpm=122,
            bpm_range=(118, 125),
            default_bars=96,
            drums="deep",
            swing=0.58,
            bass="deep",
            comp="deep",
            harmony="vamp",
            extensions=5,
            bars_per_chord=1,
            minor_tonic=5,
            mode="minor",
            form="club",
            parts=("drums", "bass", "chords", "pads", "lead", "fx"),
            lead="club",
            motif_bars=2,
            arp_rate=0.5,
        ),
        _style(
            slug="tech-house",
            label="Tech House",
            bpm=126,
            bpm_range=(122, 130),
            default_bars=96,
            drums="tech",
            swing=0.55,
            bass="tech",
            comp="stab",
            harmony="static",
            extensions=4,
            bars_per_chord=2,
            minor_tonic=7,
            mode="minor",
            form="club",
            parts=("drums", "bass", "chords", "lead", "fx"),
            lead="club",
            motif_bars=1,
            arp_rate=0.25,
        ),
        _style(
            slug="afro-house",
            label="Afro House",
            bpm=122,
            bpm_range=(118, 126),
            default_bars=96,
            drums="afro",
            swing=0.56,
            bass="afro",
            comp="pluck",
            harmony="emotional",
            extensions=4,
            bars_per_chord=1,
            minor_tonic=9,
            mode="minor",
            form="club",
            parts=("drums", "bass", "chords", "pads", "lead", "fx"),
            lead="afro",
            motif_bars=2,
            arp_rate=0.25,
        ),
        _style(
            slug="progressive-house",
            label="Progressive House",
            bpm=124,
            bpm_range=(120, 128),
            default_bars=96,
            drums="edm",
            swing=0.5,
            bass="offbeat",
            comp="offbeat",
            harmony="emotional",
            extensions=3,
            bars_per_chord=1,
            minor_tonic=2,
            mode="minor",
            form="club",
            parts=("drums", "bass", "chords", "pads", "lead", "arp", "fx"),
            lead="club",
            motif_bars=2,
            arp_rate=0.25,
        ),
        _style(
            slug="techno",
            label="Techno",
            bpm=130,
            bpm_range=(125, 140),
            default_bars=96,
            drums="techno",
            swing=0.5,
            bass="rumble",
            comp="dub",
            harmony="static",
            extensions=3,
            bars_per_chord=2,
            minor_tonic=5,
            mode="minor",
            form="club",
            parts=("drums", "bass", "chords", "arp", "fx"),
            lead="club",
            motif_bars=1,
            arp_rate=0.25,
        ),
        _style(
            slug="minimal-techno",
            label="Minimal Techno",
            bpm=126,
            bpm_range=(122, 132),
            default_bars=96,
            drums="minimal",
            swing=0.56,
            bass="blip",
            comp="dub",
            harmony="static",
            extensions=4,
            bars_per_chord=2,
            minor_tonic=0,
            mode="minor",
            form="club",
            parts=("drums", "bass", "chords", "fx"),
            lead="club",
            motif_bars=1,
            arp_rate=0.25,
        ),
        _style(
            slug="trance",
            label="Trance",
            bpm=138,
            bpm_range=(130, 145),
            default_bars=128,
            drums="trance",
            swing=0.5,
            bass="rolling",
            comp="gate",
            harmony="epic",
            extensions=3,
            bars_per_chord=1,
            minor_tonic=6,
            mode="minor",
            form="club",
            parts=("drums", "bass", "chords", "pads", "lead", "arp", "fx"),
            lead="trance",
            motif_bars=2,
            arp_rate=0.25,
        ),
        _style(
            slug="drum-and-bass",
            label="Drum & Bass",
            bpm=174,
            bpm_range=(165, 180),
            default_bars=128,
            drums="dnb",
            swing=0.5,
            bass="reese",
            comp="sustain",
            harmony="chill",
            extensions=5,
            bars_per_chord=2,
            minor_tonic=5,
            mode="minor",
            form="club",
            parts=("drums", "bass", "chords", "pads", "lead", "fx"),
            lead="dnb",
            motif_bars=2,
            arp_rate=0.25,
        ),
        _style(
            slug="dubstep",
            label="Dubstep",
            bpm=140,
            bpm_range=(136, 150),
            default_bars=96,
            drums="dubstep",
            swing=0.5,
            bass="wobble",
            comp="sustain",
            harmony="dark",
            extensions=3,
            bars_per_chord=2,
            minor_tonic=5,
            mode="minor",
            form="club",
            parts=("drums", "bass", "pads", "lead", "fx"),
            lead="halftime",
            motif_bars=2,
            arp_rate=0.25,
        ),
        _style(
            slug="uk-garage",
            label="UK Garage",
            bpm=132,
            bpm_range=(128, 138),
            default_bars=96,
            drums="garage",
            swing=0.62,
            bass="garage",
            comp="garage",
            harmony="chill",
            extensions=4,
            bars_per_chord=1,
            minor_tonic=0,
            mode="minor",
            form="club",
            parts=("drums", "bass", "chords", "lead", "fx"),
            lead="club",
            motif_bars=1,
            arp_rate=0.25,
        ),
        _style(
            slug="trap",
            label="Trap",
            bpm=140,
            bpm_range=(130, 160),
            default_bars=64,
            drums="trap",
            swing=0.5,
            bass="808",
            comp="sustain",
            harmony="dark",
            extensions=3,
            bars_per_chord=2,
            minor_tonic=1,
            mode="minor",
            form="hiphop",
            parts=("drums", "bass", "chords", "lead", "fx"),
            lead="trap",
            motif_bars=2,
            arp_rate=0.25,
        ),
        _style(
            slug="hip-hop",
            label="Hip-Hop",
            bpm=92,
            bpm_range=(85, 105),
            default_bars=64,
            drums="hiphop",
            swing=0.57,
            bass="follow",
            comp="keys",
            harmony="jazzy",
            extensions=4,
            bars_per_chord=1,
            minor_tonic=2,
            mode="minor",
            form="hiphop",
            parts=("drums", "bass", "chords", "lead", "fx"),
            lead="hiphop",
            motif_bars=2,
            arp_rate=0.5,
        ),
        _style(
            slug="boom-bap",
            label="Boom Bap",
            bpm=90,
            bpm_range=(84, 98),
            default_bars=64,
            drums="boombap",
            swing=0.6,
            bass="follow",
            comp="keys",
            harmony="jazzy",
            extensions=4,
            bars_per_chord=1,
            minor_tonic=0,
            mode="minor",
            form="hiphop",
            parts=("drums", "bass", "chords", "lead"),
            lead="hiphop",
            motif_bars=2,
            arp_rate=0.5,
        ),
        _style(
            slug="lo-fi",
            label="Lo-Fi",
            bpm=80,
            bpm_range=(70, 90),
            default_bars=40,
            drums="lofi",
            swing=0.6,
            bass="sparse",
            comp="lofi",
            harmony="jazzy",
            extensions=5,
            bars_per_chord=1,
            minor_tonic=4,
            mode="minor",
            form="lofi",
            parts=("drums", "bass", "chords", "pads", "lead"),
            lead="lofi",
            motif_bars=2,
            arp_rate=0.5,
        ),
        _style(
            slug="reggaeton",
            label="Reggaeton",
            bpm=95,
            bpm_range=(88, 100),
            default_bars=64,
            drums="dembow",
            swing=0.5,
            bass="tresillo",
            comp="dembow",
            harmony="dembow_loop",
            extensions=3,
            bars_per_chord=1,
            minor_tonic=11,
            mode="minor",
            form="song",
            parts=("drums", "bass", "chords", "lead", "fx"),
            lead="reggaeton",
            motif_bars=1,
            arp_rate=0.5,
        ),
        _style(
            slug="pop",
            label="Pop",
            bpm=110,
            bpm_range=(100, 128),
            default_bars=64,
            drums="pop",
            swing=0.5,
            bass="root8",
            comp="pop",
            harmony="happy",
            extensions=3,
            bars_per_chord=1,
            minor_tonic=4,
            mode="major",
            form="song",
            parts=("drums", "bass", "chords", "pads", "lead", "fx"),
            lead="pop",
            motif_bars=1,
            arp_rate=0.5,
        ),
        _style(
            slug="disco",
            label="Disco",
            bpm=118,
            bpm_range=(110, 124),
            default_bars=64,
            drums="disco",
            swing=0.5,
            bass="octave",
            comp="disco",
            harmony="happy",
            extensions=4,
            bars_per_chord=1,
            minor_tonic=2,
            mode="minor",
            form="song",
            parts=("drums", "bass", "chords", "pads", "lead", "fx"),
            lead="disco",
            motif_bars=1,
            arp_rate=0.25,
        ),
        _style(
            slug="funk",
            label="Funk",
            bpm=104,
            bpm_range=(95, 115),
            default_bars=64,
            drums="funk",
            swing=0.54,
            bass="funk",
            comp="clav",
            harmony="jazzy",
            extensions=4,
            bars_per_chord=2,
            minor_tonic=4,
            mode="minor",
            form="song",
            parts=("drums", "bass", "chords", "lead"),
            lead="funk",
            motif_bars=1,
            arp_rate=0.25,
        ),
        _style(
            slug="synthwave",
            label="Synthwave",
            bpm=100,
            bpm_range=(85, 118),
            default_bars=64,
            drums="synthwave",
            swing=0.5,
            bass="drive",
            comp="sustain",
            harmony="epic",
            extensions=3,
            bars_per_chord=1,
            minor_tonic=9,
            mode="minor",
            form="song",
            parts=("drums", "bass", "chords", "pads", "lead", "arp", "fx"),
            lead="synthwave",
            motif_bars=2,
            arp_rate=0.25,
        ),
        _style(
            slug="ambient",
            label="Ambient",
            bpm=80,
            bpm_range=(60, 90),
            default_bars=64,
            drums="ambient",
            swing=0.5,
            bass="drone",
            comp="sustain",
            harmony="ambient",
            extensions=5,
            bars_per_chord=2,
            minor_tonic=11,
            mode="major",
            form="ambient",
            parts=("bass", "chords", "pads", "lead", "arp", "fx"),
            lead="ambient",
            motif_bars=2,
            arp_rate=0.5,
            lanes=("kick", "hats", "percussion"),
        ),
        _style(
            slug="edm",
            label="EDM",
            bpm=128,
            bpm_range=(124, 132),
            default_bars=96,
            drums="edm",
            swing=0.5,
            bass="offbeat",
            comp="offbeat",
            harmony="epic",
            extensions=3,
            bars_per_chord=1,
            minor_tonic=6,
            mode="minor",
            form="club",
            parts=("drums", "bass", "chords", "pads", "lead", "arp", "fx"),
            lead="club",
            motif_bars=1,
            arp_rate=0.25,
        ),
    )
}


def style_profile(slug: str) -> StyleProfile:
    try:
        return STYLE_TABLE[slug]
    except KeyError:
        raise ValueError(f"unknown style: {slug!r}") from None


# --- moods ------------------------------------------------------------------------------------

# Mood → mode when the producer gave no key. Moods not listed keep the style's own mode.
MOOD_MODE: dict[str, Mode] = {
    "dark": "minor",
    "sad": "minor",
    "melancholic": "minor",
    "mysterious": "minor",
    "aggressive": "minor",
    "hypnotic": "minor",
    "epic": "minor",
    "happy": "major",
    "uplifting": "major",
    "romantic": "major",
}

# Mood → progression pool. Without a mood the style's own pool is used.
MOOD_POOL: dict[str, str] = {
    "dark": "dark",
    "aggressive": "dark",
    "mysterious": "dark",
    "hypnotic": "dark",
    "sad": "sad",
    "melancholic": "sad",
    "happy": "happy",
    "uplifting": "happy",
    "energetic": "emotional",
    "euphoric": "epic",
    "epic": "epic",
    "chill": "chill",
    "dreamy": "chill",
    "romantic": "chill",
}

# Mood → style when the request names no style ("algo oscuro" → techno). Default: house.
MOOD_STYLE: dict[str, str] = {
    "dark": "techno",
    "aggressive": "techno",
    "hypnotic": "techno",
    "chill": "lo-fi",
    "dreamy": "ambient",
    "sad": "deep-house",
    "melancholic": "deep-house",
    "euphoric": "trance",
    "epic": "trance",
    "uplifting": "trance",
}
DEFAULT_STYLE = "house"

# --- what each mood changes ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MoodShape:
    """How a mood reshapes a style beyond its key (issue 12 §4): tempo, register, voicing,
    density, swing, dynamics and articulation. Every field says what changes; ``reason`` why."""

    tempo: float | None  # where the default tempo sits in the style's range (0 slow .. 1 fast)
    register: int  # semitones added to the chords/pads home and the lead's register
    bass_low: int | None  # lowest bass root (28 deep .. 32 light); None keeps the style's
    extensions: int  # added to the style's chord extensions (3 triads, 4 sevenths, 5 ninths)
    density: tuple[tuple[str, int], ...]  # per part/lane offsets (+1 busier, -1 sparser)
    swing: float  # added to the 16th swing (only where the style swings or the mood asks)
    velocity: int  # added to every melodic velocity
    gate: float  # multiplies chord and lead note lengths (short and bouncy < 1 < held)
    spread: bool  # open, wide voicings (pads and chords) instead of close ones
    reason: str


def _m(
    reason: str,
    tempo: float | None = None,
    register: int = 0,
    bass_low: int | None = None,
    extensions: int = 0,
    density: dict[str, int] | None = None,
    swing: float = 0.0,
    velocity: int = 0,
    gate: float = 1.0,
    spread: bool = False,
) -> MoodShape:
    items = tuple(sorted((density or {}).items()))
    return MoodShape(
        tempo, register, bass_low, extensions, items, swing, velocity, gate, spread, reason
    )


MOOD_SHAPES: dict[str, MoodShape] = {
    "dark": _m(
        "Low and heavy: chords and lead drop a few semitones, the bass to its lowest root, plain "
        "triads/5ths, steady drums",
        register=-4,
        bass_low=28,
        extensions=-1,
        density={"percussion": -1},
        velocity=2,
    ),
    "happy": _m(
        "Bright and bouncy: a faster tempo, higher register, short stabs, busier hats and "
        "percussion, a little lift in the swing",
        tempo=0.65,
        register=4,
        bass_low=31,
        density={"hats": 1, "percussion": 1, "chords": 1},
        swing=0.02,
        velocity=4,
        gate=0.7,
    ),
    "sad": _m(
        "Slow and heavy-hearted: lower register, 7th chords, longer softer notes, fewer hats, "
        "percussion and lead notes",
        tempo=0.25,
        register=-3,
        extensions=1,
        density={"hats": -1, "percussion": -1, "lead": -1, "bass": -1},
        velocity=-10,
        gate=1.25,
    ),
    "melancholic": _m(
        "Bittersweet: 7ths and 9ths, a slightly slower tempo and longer notes, a sparser lead",
        tempo=0.3,
        register=-2,
        extensions=1,
        density={"lead": -1, "percussion": -1},
        velocity=-6,
        gate=1.15,
    ),
    "energetic": _m(
        "Drive: the fast end of the range, busier bass, hats and percussion, harder hits, "
        "shorter notes, straighter groove",
        tempo=0.8,
        register=2,
        density={"bass": 1, "hats": 1, "percussion": 1, "snare": 1},
        swing=-0.02,
        velocity=8,
        gate=0.8,
    ),
    "chill": _m(
        "Relaxed: slow end of the range, extended chords, longer and softer notes, fewer hats, "
        "a lazier swing",
        tempo=0.2,
        register=-1,
        extensions=1,
        density={"hats": -1, "percussion": -1, "bass": -1},
        swing=0.03,
        velocity=-10,
        gate=1.2,
    ),
    "epic": _m(
        "Big: wide open voicings, a higher lead, busier drums in the peaks, held chords",
        tempo=0.6,
        register=3,
        density={"snare": 1, "hats": 1},
        velocity=6,
        gate=1.1,
        spread=True,
    ),
    "dreamy": _m(
        "Floating: slow, high open voicings with 9ths, long soft notes, sparse drums and arps",
        tempo=0.2,
        register=4,
        extensions=2,
        density={"hats": -1, "percussion": -1, "arp": -1},
        velocity=-12,
        gate=1.3,
        spread=True,
    ),
    "aggressive": _m(
        "Hard: fast, low, plain triads, short hard notes and busier drums",
        tempo=0.85,
        register=-4,
        bass_low=28,
        extensions=-1,
        density={"bass": 1, "hats": 1, "snare": 1, "percussion": 1},
        swing=-0.03,
        velocity=12,
        gate=0.7,
    ),
    "romantic": _m(
        "Warm and close: a slower tempo, major 7ths, soft legato notes, a gentle swing",
        tempo=0.3,
        register=1,
        extensions=1,
        density={"percussion": -1},
        swing=0.02,
        velocity=-8,
        gate=1.2,
    ),
    "mysterious": _m(
        "Veiled: low-mid register, sparse hats and percussion, extended chords, held notes",
        tempo=0.4,
        register=-3,
        extensions=1,
        density={"hats": -1, "percussion": -1},
        velocity=-6,
        gate=1.15,
    ),
    "hypnotic": _m(
        "Trance-like repetition: steady tempo, dry short notes, busier hats, no swing change",
        tempo=0.45,
        register=-1,
        density={"hats": 1},
        gate=0.85,
    ),
    "euphoric": _m(
        "Hands in the air: fast, high, open voicings, busier drums and arps",
        tempo=0.7,
        register=4,
        density={"hats": 1, "percussion": 1, "arp": 1},
        velocity=8,
        gate=0.9,
        spread=True,
    ),
    "uplifting": _m(
        "Rising: a brisk tempo, higher register, open voicings, busier percussion",
        tempo=0.65,
        register=3,
        density={"percussion": 1},
        velocity=4,
        spread=True,
    ),
}

NEUTRAL_MOOD = _m("No mood asked: the style as it is")


def mood_shape(mood: str | None) -> MoodShape:
    return MOOD_SHAPES.get(mood or "", NEUTRAL_MOOD)


# Mood → where in the style's tempo range the default tempo sits (0 = slowest, 1 = fastest).
MOOD_TEMPO: dict[str, float] = {
    mood: shape.tempo for mood, shape in MOOD_SHAPES.items() if shape.tempo is not None
}

# --- harmony pools ----------------------------------------------------------------------------
# Roman numerals relative to the key; always diatonic (natural minor / major) so that bass, chords
# and lead stay in key. Four slots, each ``bars_per_chord`` long.

POOLS: dict[Mode, dict[str, tuple[str, ...]]] = {
    "minor": {
        "emotional": (
            "i VI III VII",
            "VI VII i i",
            "i iv VI VII",
            "i VII VI VII",
            "i III VII VI",
            "i VII VI v",
            "VI i VII v",
        ),
        "epic": ("i VI III VII", "VI VII i i", "i iv VI VII", "VI III VII i", "i VI VII VII"),
        "dark": (
            "i i VI VI",
            "i i iv iv",
            "i VI iv v",
            "i iv VI v",
            "i VII i VI",
            "i i v v",
            "i iv i v",
        ),
        "sad": ("i iv VII III", "i VI iv v", "VI iv i v", "i v VI iv", "i III VII iv"),
        "happy": ("III VII i VI", "VI III VII i", "i VI III VII", "VI VII i i"),
        "chill": (
            "i iv i iv",
            "iv VII III VI",
            "i VII VI VII",
            "VI iv i i",
            "i v iv i",
            "i VI iv v",
            "iv v i i",
        ),
        "jazzy": ("iv VII III VI", "i iv VII III", "i VI iv VII", "i v iv VII"),
        "ambient": ("i i VI VI", "i i iv iv", "VI VI III III", "i i III III"),
        # Techno/minimal: harmony stands still, one or two chords a phrase.
        "static": ("i i i i", "i i VI VI", "i i iv iv", "i i i VII", "i i v v"),
        # Deep house: two-chord vamps.
        "vamp": ("i iv i iv", "i VII i VII", "i v i v", "VI VII VI VII", "iv v iv v"),
        # Reggaeton: the i–VI–III–VII family (Am–F–C–G) and its rotations.
        "dembow_loop": (
            "i VI III VII",
            "VI III VII i",
            "i VII VI VII",
            "i iv VII III",
            "VI VII i i",
        ),
    },
    "major": {
        "happy": (
            "I V vi IV",
            "vi IV I V",
            "I vi IV V",
            "I IV vi V",
            "IV I V vi",
            "I IV V IV",
            "vi IV V I",
        ),
        "emotional": ("vi IV I V", "IV V vi vi", "I V vi IV", "vi V IV V"),
        "epic": ("IV V vi vi", "vi IV I V", "I V vi IV", "IV I V vi"),
        "dark": ("vi vi IV IV", "vi IV V iii", "I iii vi IV", "vi iii IV V"),
        "sad": ("vi IV I V", "I iii vi IV", "IV V iii vi", "vi iii IV I"),
        "chill": ("I IV I IV", "IV iii IV iii", "I vi ii V", "IV V iii vi"),
        "jazzy": ("ii V I I", "I vi ii V", "IV iii ii I", "ii V iii vi"),
        "ambient": ("I I IV IV", "I I ii ii", "IV IV I I", "I I vi vi"),
        "static": ("I I I I", "I I IV IV", "I I vi vi", "vi vi IV IV"),
        "vamp": ("IV iii IV iii", "I IV I IV", "ii iii ii iii", "ii V ii V", "IV V IV V"),
        "dembow_loop": ("vi IV I V", "IV I V vi", "I V vi IV", "vi V IV V"),
    },
}

# A style's own pool (its harmony idiom) holds against the mood pools listed here: a mood that asks
# for the same colour keeps the genre's progression; one that asks for another colour (a happy
# techno) gets the mood's pool.
STYLE_POOL_HOLDS: dict[str, frozenset[str]] = {
    "ambient": frozenset({"chill", "happy", "emotional"}),
    "jazzy": frozenset({"chill", "happy", "emotional"}),
    "static": frozenset({"dark", "emotional"}),
    "vamp": frozenset({"chill", "emotional"}),
    "dembow_loop": frozenset({"emotional", "epic", "happy"}),
}

# Pre-chorus climb by mode: two chords that pull towards the chorus.
PRE_CHORUS: dict[Mode, str] = {"minor": "VI VII", "major": "IV V"}

# --- section forms ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SectionTemplate:
    kind: str
    bars: int
    energy: float
    parts: frozenset[str]  # tracks and drum lanes that play ("perc" = percussion lane)
    priority: int  # lower is dropped first when the song is shorter than the form
    label: str | None = None  # display name when it is not the kind ("Loop A", "Swell")
    harmony: str = "A"  # progression slot: A main, B alternate, P pre-chorus climb


def _t(
    kind: str,
    bars: int,
    energy: float,
    parts: str,
    priority: int,
    label: str | None = None,
    harmony: str = "A",
) -> SectionTemplate:
    tokens = frozenset("percussion" if token == "perc" else token for token in parts.split())
    return SectionTemplate(kind, bars, energy, tokens, priority, label, harmony)


_FULL = "kick snare clap hats perc bass chords lead arp fx vocals"

FORMS: dict[str, tuple[SectionTemplate, ...]] = {
    # DJ-friendly club form: drums-only intro, build with roll and riser, drops, stripped outro.
    "club": (
        _t("intro", 16, 0.3, "kick hats perc fx", 6),
        _t("build", 8, 0.6, "kick snare clap hats perc bass chords pads arp fx", 4),
        _t("drop", 16, 0.9, _FULL, 10),
        _t("breakdown", 16, 0.4, "perc pads chords lead arp fx vocals", 3, harmony="B"),
        _t("build", 8, 0.7, "kick snare clap hats bass chords pads lead arp fx", 2),
        _t("drop", 16, 1.0, _FULL + " pads", 9),
        _t("outro", 16, 0.3, "kick hats perc bass fx", 7),
    ),
    # Verse / pre-chorus / chorus song form (pop, reggaeton, disco, funk, synthwave).
    "song": (
        _t("intro", 4, 0.3, "hats chords pads fx", 6),
        _t("verse", 8, 0.5, "kick snare hats perc bass chords lead", 8, harmony="B"),
        _t(
            "pre-chorus",
            4,
            0.65,
            "kick snare clap hats bass chords pads lead arp fx",
            4,
            harmony="P",
        ),
        _t("chorus", 8, 0.9, _FULL + " pads", 10),
        _t("verse", 8, 0.55, "kick snare hats perc bass chords lead arp", 3, harmony="B"),
        _t(
            "pre-chorus",
            4,
            0.7,
            "kick snare clap hats bass chords pads lead arp fx",
            2,
            harmony="P",
        ),
        _t("chorus", 8, 0.95, _FULL + " pads", 9),
        _t("bridge", 8, 0.45, "hats perc pads chords lead fx", 5, harmony="B"),
        _t("chorus", 8, 1.0, _FULL + " pads", 7),
        _t("outro", 4, 0.3, "hats chords pads fx", 6),
    ),
    # Hook / verse form for trap and hip-hop: the lead is the hook, verses leave room for a rapper.
    "hiphop": (
        _t("intro", 4, 0.3, "hats chords lead fx", 6),
        _t("chorus", 8, 0.9, _FULL + " pads", 10, label="Hook"),
        _t("verse", 16, 0.7, "kick snare clap hats perc bass chords pads", 8, harmony="B"),
        _t("chorus", 8, 0.95, _FULL + " pads", 9, label="Hook"),
        _t("verse", 16, 0.75, "kick snare clap hats perc bass chords pads arp", 3, harmony="B"),
        _t("chorus", 8, 1.0, _FULL + " pads", 7, label="Hook"),
        _t("outro", 4, 0.3, "chords lead fx", 5),
    ),
    # Lo-fi: an A/B loop that evolves, no drop.
    "lofi": (
        _t("intro", 4, 0.25, "chords pads fx", 6),
        _t("verse", 8, 0.5, "kick snare hats perc bass chords pads", 8, label="Loop A"),
        _t(
            "chorus",
            8,
            0.65,
            "kick snare clap hats perc bass chords pads lead arp vocals",
            10,
            label="Loop B",
            harmony="B",
        ),
        _t("verse", 8, 0.55, "kick snare hats perc bass chords pads lead", 3, label="Loop A"),
        _t("chorus", 8, 0.7, _FULL + " pads", 9, label="Loop B", harmony="B"),
        _t("outro", 4, 0.3, "chords pads lead fx", 5),
    ),
    # Ambient: long evolving sections, no drums unless asked, no drop.
    "ambient": (
        _t("intro", 8, 0.2, "pads bass fx", 6),
        _t("verse", 16, 0.4, "pads chords bass arp lead", 8, label="Bloom"),
        _t(
            "bridge",
            16,
            0.55,
            "pads chords bass lead arp fx vocals kick hats perc",
            10,
            label="Swell",
            harmony="B",
        ),
        _t("breakdown", 16, 0.35, "pads chords bass lead hats perc", 7, label="Drift"),
        _t("outro", 8, 0.2, "pads arp fx", 5),
    ),
}
