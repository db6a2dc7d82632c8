"""What a sample is, read from its file and folder names (the first and cheapest source of truth).

Pack makers encode the sound in the name: ``SM_NP_124_bass_loop_Am.wav``, ``Kick_01.wav``,
``Drums/Kicks/...``, Spanish ``Bombo_Duro.wav``, ``Loops/Bajo/...``. Names are split into tokens
on separators; keys and BPMs are recognised only as whole tokens (``Am``, ``F#min``, ``124bpm``) so
that words like "Bass" or "Amen" never read as a key, and kind words are matched after multi-word
phrases ("bass drum", "drum and bass", "one shot") have taken their tokens. The file name wins over
the folders, the nearest folder over farther ones. Each field comes with a confidence in [0, 1].
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import PurePath, PurePosixPath, PureWindowsPath
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from companion.music.theory import format_key, pitch_class

Kind = Literal[
    "kick",
    "snare",
    "clap",
    "closed_hat",
    "open_hat",
    "hat",
    "cymbal",
    "perc",
    "drums",
    "808",
    "bass",
    "lead",
    "keys",
    "chord",
    "pad",
    "synth",
    "fx",
    "vocal",
]
KINDS: tuple[str, ...] = Kind.__args__  # type: ignore[attr-defined]

DRUM_KINDS = frozenset({"kick", "snare", "clap", "closed_hat", "open_hat", "hat", "cymbal", "perc"})
TONAL_KINDS = frozenset({"808", "bass", "lead", "keys", "chord", "pad", "synth", "vocal"})
# Broad families for search: asking for "hat" finds closed and open hats too.
KIND_FAMILIES: dict[str, frozenset[str]] = {
    "hat": frozenset({"hat", "closed_hat", "open_hat"}),
    "hats": frozenset({"hat", "closed_hat", "open_hat"}),
    "drums": DRUM_KINDS | {"drums"},
    "bass": frozenset({"bass", "808"}),
    "keys": frozenset({"keys", "chord"}),
    "chords": frozenset({"chord", "keys"}),
    "percussion": frozenset({"perc"}),
    "vocals": frozenset({"vocal"}),
}

# Most specific first: when a name carries several kind words the earliest kind here wins
# ("808_Kick" is a kick, "Synth_Bass" a bass, "Vocal_FX" a vocal).
KIND_PRIORITY: tuple[str, ...] = (
    "kick",
    "snare",
    "clap",
    "closed_hat",
    "open_hat",
    "hat",
    "cymbal",
    "perc",
    "808",
    "bass",
    "vocal",
    "fx",
    "chord",
    "pad",
    "keys",
    "lead",
    "synth",
    "drums",
)


def _words(kind: str, subtype: str | None, *words: str) -> dict[str, tuple[str, str | None]]:
    return {word: (kind, subtype) for word in words}


KIND_WORDS: dict[str, tuple[str, str | None]] = {
    **_words("kick", None, "kick", "kicks", "kik", "kck", "bd", "bassdrum", "kickdrum"),
    **_words("kick", None, "bombo", "bombos"),
    **_words("snare", None, "snare", "snares", "snr", "sd", "caja", "cajas", "redoblante"),
    **_words("snare", None, "redoblantes"),
    **_words("clap", None, "clap", "claps", "clp", "handclap", "handclaps", "palmas", "palma"),
    **_words("clap", None, "aplauso", "aplausos", "snap", "snaps"),
    **_words("hat", None, "hat", "hats", "hihat", "hihats", "hh", "charles", "contratiempo"),
    **_words("closed_hat", None, "chh", "ch", "hhc", "closedhat", "closedhats"),
    **_words("open_hat", None, "ohh", "oh", "hho", "openhat", "openhats"),
    **_words("cymbal", "crash", "crash", "crashes"),
    **_words("cymbal", "ride", "ride", "rides"),
    **_words("cymbal", None, "cymbal", "cymbals", "platillo", "platillos", "plato", "platos"),
    **_words("cymbal", None, "china", "splash"),
    **_words("perc", None, "perc", "percs", "percussion", "percussions", "percusion"),
    **_words("perc", None, "percusiones", "percu"),
    **_words("perc", "shaker", "shaker", "shakers", "maracas", "maraca"),
    **_words("perc", "tom", "tom", "toms"),
    **_words("perc", "conga", "conga", "congas"),
    **_words("perc", "bongo", "bongo", "bongos"),
    **_words("perc", "timbal", "timbal", "timbales"),
    **_words("perc", "cowbell", "cowbell", "cowbells", "cencerro"),
    **_words("perc", "clave", "clave", "claves"),
    **_words("perc", "tambourine", "tambourine", "tambourines", "tamb", "pandereta"),
    **_words("perc", "rim", "rim", "rims", "rimshot", "rimshots"),
    **_words("perc", "guira", "guira", "guiro"),
    **_words("perc", None, "woodblock", "triangle", "cabasa", "agogo", "djembe", "tabla"),
    **_words("808", None, "808", "808s", "tr808"),
    **_words("bass", None, "bass", "basses", "bassline", "basslines", "bajo", "bajos"),
    **_words("bass", "sub", "sub", "subs", "subbass", "subgrave"),
    **_words("bass", "reese", "reese"),
    **_words("lead", None, "lead", "leads", "melody", "melodies", "melodia", "melodias"),
    **_words("lead", None, "solista", "hook", "hooks"),
    **_words("lead", "pluck", "pluck", "plucks"),
    **_words("lead", "arp", "arp", "arps", "arpeggio", "arpeggios", "arpegio", "arpegios"),
    **_words("lead", "bell", "bell", "bells"),
    **_words("keys", None, "keys", "piano", "pianos", "epiano", "rhodes", "wurli"),
    **_words("keys", None, "wurlitzer", "organ", "organs", "organo", "teclado", "teclados"),
    **_words("chord", None, "chord", "chords", "acorde", "acordes"),
    **_words("chord", "stab", "stab", "stabs"),
    **_words("pad", None, "pad", "pads", "colchon", "colchones", "atmos", "atmosphere"),
    **_words("pad", None, "atmospheres", "texture", "textures", "drone", "drones"),
    **_words("synth", None, "synth", "synths", "sinte", "sintes", "synthesizer"),
    **_words("synth", None, "sintetizador"),
    **_words("keys", "guitar", "guitar", "guitars", "guitarra", "guitarras"),
    **_words("pad", "strings", "strings", "cuerdas"),
    **_words("lead", "brass", "brass", "horns", "metales"),
    **_words("fx", None, "fx", "sfx", "efx", "effect", "effects", "efecto", "efectos"),
    **_words("fx", None, "transition", "transitions", "noise"),
    **_words("fx", "riser", "riser", "risers", "uplifter", "uplifters", "upsweep", "subida"),
    **_words("fx", "riser", "subidas", "buildup"),
    **_words("fx", "sweep", "sweep", "sweeps", "barrido", "barridos", "whoosh", "whooshes"),
    **_words("fx", "downlifter", "downlifter", "downlifters", "downsweep", "downer"),
    **_words("fx", "impact", "impact", "impacts", "impacto", "impactos", "boom", "booms"),
    **_words("fx", "sub_drop", "subdrop", "subdrops"),
    **_words("vocal", None, "vocal", "vocals", "vox", "voice", "voices", "voz", "voces"),
    **_words("vocal", None, "coro", "coros", "acapella", "acapellas", "adlib", "adlibs"),
    **_words("vocal", "chop", "chop", "chops"),
    **_words("drums", None, "drums", "drum", "bateria", "beat", "beats", "breakbeat"),
    **_words("drums", None, "break", "breaks", "top", "tops", "toploop", "groove", "grooves"),
}

# Multi-word phrases, matched before single words; the value is what the tokens mean.
PHRASES: dict[tuple[str, ...], tuple[str, str]] = {
    ("drum", "and", "bass"): ("style", "drum-and-bass"),
    ("drum", "&", "bass"): ("style", "drum-and-bass"),
    ("drum", "n", "bass"): ("style", "drum-and-bass"),
    ("drums", "and", "bass"): ("style", "drum-and-bass"),
    ("bass", "drum"): ("kind", "kick"),
    ("kick", "drum"): ("kind", "kick"),
    ("hi", "hat"): ("kind", "hat"),
    ("hi", "hats"): ("kind", "hat"),
    ("closed", "hat"): ("kind", "closed_hat"),
    ("closed", "hats"): ("kind", "closed_hat"),
    ("closed", "hihat"): ("kind", "closed_hat"),
    ("open", "hat"): ("kind", "open_hat"),
    ("open", "hats"): ("kind", "open_hat"),
    ("open", "hihat"): ("kind", "open_hat"),
    ("hat", "closed"): ("kind", "closed_hat"),
    ("hat", "open"): ("kind", "open_hat"),
    ("hihat", "closed"): ("kind", "closed_hat"),
    ("hihat", "open"): ("kind", "open_hat"),
    ("charles", "cerrado"): ("kind", "closed_hat"),
    ("charles", "abierto"): ("kind", "open_hat"),
    ("hihat", "cerrado"): ("kind", "closed_hat"),
    ("hihat", "abierto"): ("kind", "open_hat"),
    ("pedal", "hat"): ("kind", "closed_hat"),
    ("sub", "drop"): ("fx", "sub_drop"),
    ("reverse", "cymbal"): ("fx", "reverse_cymbal"),
    ("reverse", "crash"): ("fx", "reverse_cymbal"),
    ("electric", "piano"): ("kind", "keys"),
    ("e", "piano"): ("kind", "keys"),
    ("one", "shot"): ("loop", "oneshot"),
    ("one", "shots"): ("loop", "oneshot"),
    ("drum", "loop"): ("kind", "drums"),
    ("drum", "loops"): ("kind", "drums"),
    ("top", "loop"): ("kind", "drums"),
    ("deep", "house"): ("style", "deep-house"),
    ("tech", "house"): ("style", "tech-house"),
    ("afro", "house"): ("style", "afro-house"),
    ("progressive", "house"): ("style", "progressive-house"),
    ("minimal", "techno"): ("style", "minimal-techno"),
    ("uk", "garage"): ("style", "uk-garage"),
    ("2", "step"): ("style", "uk-garage"),
    ("hip", "hop"): ("style", "hip-hop"),
    ("boom", "bap"): ("style", "boom-bap"),
    ("lo", "fi"): ("style", "lo-fi"),
    ("low", "fi"): ("style", "lo-fi"),
    ("nu", "disco"): ("style", "disco"),
    ("big", "room"): ("style", "edm"),
    ("construction", "kit"): ("loop", "loop"),
    ("construction", "kits"): ("loop", "loop"),
}

STYLE_WORDS: dict[str, str] = {
    "house": "house",
    "deephouse": "deep-house",
    "techhouse": "tech-house",
    "afrohouse": "afro-house",
    "afro": "afro-house",
    "progressive": "progressive-house",
    "prog": "progressive-house",
    "techno": "techno",
    "tecno": "techno",
    "minimal": "minimal-techno",
    "trance": "trance",
    "psytrance": "trance",
    "dnb": "drum-and-bass",
    "drumnbass": "drum-and-bass",
    "drumandbass": "drum-and-bass",
    "jungle": "drum-and-bass",
    "neurofunk": "drum-and-bass",
    "dubstep": "dubstep",
    "riddim": "dubstep",
    "ukg": "uk-garage",
    "garage": "uk-garage",
    "2step": "uk-garage",
    "trap": "trap",
    "drill": "trap",
    "hiphop": "hip-hop",
    "rap": "hip-hop",
    "boombap": "boom-bap",
    "lofi": "lo-fi",
    "reggaeton": "reggaeton",
    "regueton": "reggaeton",
    "reguetón": "reggaeton",
    "dembow": "reggaeton",
    "perreo": "reggaeton",
    "pop": "pop",
    "disco": "disco",
    "nudisco": "disco",
    "funk": "funk",
    "funky": "funk",
    "synthwave": "synthwave",
    "retrowave": "synthwave",
    "outrun": "synthwave",
    "ambient": "ambient",
    "ambiental": "ambient",
    "edm": "edm",
    "bigroom": "edm",
}

WEAK_WORDS = frozenset({"oh", "ch", "sd", "bd", "hh", "op", "cl"})
LOOP_WORDS = frozenset({"loop", "loops", "bucle", "bucles", "looped"})
ONE_SHOT_WORDS = frozenset({"oneshot", "oneshots", "shot", "shots", "hit", "hits", "golpe"})
ONE_SHOT_WORDS |= frozenset({"single", "singles"})
CLOSED_WORDS = frozenset({"closed", "cerrado", "cerrados", "cl", "tight", "pedal"})
OPEN_WORDS = frozenset({"open", "abierto", "abiertos", "op"})
BPM_WORDS = frozenset({"bpm", "bpms", "ppm"})
MODE_WORDS: dict[str, str] = {
    "m": "minor",
    "min": "minor",
    "minor": "minor",
    "menor": "minor",
    "moll": "minor",
    "maj": "major",
    "major": "major",
    "mayor": "major",
    "dur": "major",
}
SOLFEGE: dict[str, str] = {"do": "C", "re": "D", "mi": "E", "fa": "F", "sol": "G", "la": "A"}
SOLFEGE["si"] = "B"

MIN_BPM, MAX_BPM = 60.0, 200.0
FOLDER_DEPTH = 4  # parent folders consulted, nearest first

_RAW_TOKEN = re.compile(r"(?:[^\W_]|[#♯♭'])+|&")
_SUB_TOKEN = re.compile(r"\d+(?:\.\d+)?|[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[#♯♭']+")
_KEY_TOKEN = re.compile(r"^([A-Ga-g])([#♯b♭]?)(maj|major|min|minor|m)?$", re.IGNORECASE)
_NOTE_TOKEN = re.compile(r"^([A-G])([#♯b♭]?)$")
_NOTE_OCTAVE = re.compile(r"^([A-G])([#♯b♭]?)(-?[0-8])$")
_SOLFEGE_KEY = re.compile(r"^(do|re|mi|fa|sol|la|si)([#♯b♭]?)(m|menor|mayor)?$", re.IGNORECASE)
_BPM_TOKEN = re.compile(r"^(?:(\d{2,3}(?:[.,]\d{1,2})?)bpm|bpm(\d{2,3}(?:[.,]\d{1,2})?))$", re.I)
_NUMBER = re.compile(r"^[1-9]\d{1,2}(?:[.,]\d{1,2})?$")


class NameInfo(BaseModel):
    """Everything the names say about a sample, each field with how sure we are (0–1)."""

    model_config = ConfigDict(frozen=True)

    kind: Kind | None = None
    kind_confidence: float = Field(0.0, ge=0, le=1)
    subtype: str | None = None  # riser, impact, shaker, pluck, stab, sub, 808...
    is_loop: bool = False
    loop_confidence: float = Field(0.0, ge=0, le=1)
    bpm: float | None = None
    bpm_confidence: float = Field(0.0, ge=0, le=1)
    key: str | None = None  # canonical key string: "Am", "F#m", "Bb"
    key_confidence: float = Field(0.0, ge=0, le=1)
    note: str | None = None  # a bare note on a one-shot, as written ("E" in 808_gritty_E)
    root_note: int | None = None  # MIDI note from a note+octave token ("C3" → 60, Live's octaves)
    note_confidence: float = Field(0.0, ge=0, le=1)
    styles: tuple[str, ...] = ()
    style_confidence: float = Field(0.0, ge=0, le=1)
    tags: tuple[str, ...] = ()


# --- tokenising ----------------------------------------------------------------------------------


# Bidirectional controls (LRE…RLO, LRI…PDI, LRM/RLM, ALM): in a file name they make
# "kick‮vaw.exe" display as "kickexe.wav". Never stored, never shown.
BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def strip_bidi(text: str) -> str:
    return BIDI_CONTROLS.sub("", text)


def fold(text: str) -> str:
    """Lowercase without accents, so "Colchón", "COLCHON" and "colchon" compare equal."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return stripped.lower()


def _deaccent(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def raw_tokens(text: str) -> list[str]:
    """Separator-delimited tokens, case kept: ``Bass_Loop_124_Am`` → Bass, Loop, 124, Am."""
    return _RAW_TOKEN.findall(unicodedata.normalize("NFC", text))


def split_word(token: str) -> list[str]:
    """CamelCase and letter/digit boundaries inside one token: ``KickDrum01`` → Kick, Drum, 01."""
    parts = _SUB_TOKEN.findall(token)
    return parts if parts else [token]


def _stem(name: str) -> str:
    for extension in (".wav", ".wave", ".aiff", ".aif", ".aifc", ".flac"):
        if name.lower().endswith(extension):
            return name[: -len(extension)]
    return name


# --- field recognisers (pure) --------------------------------------------------------------------


def _accidental(sign: str) -> str:
    return {"♯": "#", "♭": "b"}.get(sign, sign)


def parse_key_token(token: str, following: str | None = None) -> tuple[str, float, int] | None:
    """A key written as one token (``Am``, ``F#min``, ``Bbmaj``, ``Lam``) or as a note plus a mode
    word (``A min``, ``A_minor``, ``La menor``). Returns (canonical key, confidence, tokens used).

    Case matters where it must: ``Am``/``Fm`` are keys, ``am``/``FM``/``AM`` are not; a lowercase
    letter counts only with a spelled-out mode (``amin``, ``cmaj``).
    """
    match = _KEY_TOKEN.match(token)
    if match:
        letter, sign, mode = match.groups()
        if sign and sign not in "#♯b♭":
            return None
        tonic = pitch_class(letter.upper() + _accidental(sign))
        if mode is None:
            if letter.isupper() and following is not None and fold(following) in MODE_WORDS:
                return format_key(tonic, MODE_WORDS[fold(following)]), 0.9, 2  # type: ignore[arg-type]
            return None
        if mode == "M" or (mode == "m" and letter.islower()):
            return None
        minor = mode.lower() in ("m", "min", "minor")
        return format_key(tonic, "minor" if minor else "major"), 0.9, 1
    solfege = _SOLFEGE_KEY.match(token)
    if solfege and token[0].isupper():
        name, sign, mode = solfege.groups()
        tonic = pitch_class(SOLFEGE[name.lower()] + _accidental(sign))
        if mode:
            minor = mode.lower() != "mayor"
            return format_key(tonic, "minor" if minor else "major"), 0.75, 1
        if following is not None and fold(following) in MODE_WORDS:
            return format_key(tonic, MODE_WORDS[fold(following)]), 0.8, 2  # type: ignore[arg-type]
    return None


def parse_bpm_tokens(tokens: list[str]) -> tuple[float, float] | None:
    """BPM from tokens: ``124bpm``/``bpm124`` or a number next to "bpm" (sure), else a standalone
    2–3 digit number in 60–200 (a guess). Returns (bpm, confidence)."""
    folded = [fold(token) for token in tokens]
    for index, token in enumerate(folded):
        match = _BPM_TOKEN.match(token)
        if match:
            value = float((match.group(1) or match.group(2)).replace(",", "."))
            if MIN_BPM / 2 <= value <= MAX_BPM * 1.5:
                return value, 0.95
        if token in BPM_WORDS:
            for neighbour in (index - 1, index + 1):
                if 0 <= neighbour < len(folded) and _NUMBER.match(folded[neighbour]):
                    value = float(folded[neighbour].replace(",", "."))
                    if MIN_BPM / 2 <= value <= MAX_BPM * 1.5:
                        return value, 0.95
    for token in folded:
        if _NUMBER.match(token):
            value = float(token.replace(",", "."))
            if MIN_BPM <= value <= MAX_BPM:
                return value, 0.6
    return None


# --- the parser ----------------------------------------------------------------------------------


class _Reading:
    """What one name (the file's or one folder's) says; merged later, nearest first."""

    def __init__(self, text: str) -> None:
        self.raw = raw_tokens(text)
        self.kinds: list[tuple[str, str | None]] = []
        self.weak: list[bool] = []  # per entry of kinds: came from a two-letter abbreviation
        self.styles: list[str] = []
        self.loop: bool | None = None
        self.hat_mode: str | None = None
        self.tags: list[str] = []
        self.key: tuple[str, float] | None = None
        self.note: str | None = None
        self.root_note: int | None = None
        self.bpm = parse_bpm_tokens(self.raw)
        self._read_keys()
        self._read_words()

    def _read_keys(self) -> None:
        for index, token in enumerate(self.raw):
            following = self.raw[index + 1] if index + 1 < len(self.raw) else None
            found = parse_key_token(token, following)
            if found is not None:
                self.key = (found[0], found[1])
                return
        # Bare notes and notes with octave: the pitch of a one-shot. Never the first token, which
        # is usually a label or a kind ("A_Kick", "E_Piano"); sure about the pitch, not the key.
        for token in self.raw[1:]:
            octave = _NOTE_OCTAVE.match(token)
            if octave:
                letter, sign, number = octave.groups()
                pc = pitch_class(letter + _accidental(sign))
                self.note = letter + _accidental(sign)
                self.root_note = pc + 12 * (int(number) + 2)  # Live: C3 = 60
                return
            bare = _NOTE_TOKEN.match(token)
            if bare:
                self.note = bare.group(1) + _accidental(bare.group(2))
                return

    def _read_words(self) -> None:
        words: list[str] = []
        for token in self.raw:
            folded = fold(token)
            if folded in KIND_WORDS or folded in STYLE_WORDS or _BPM_TOKEN.match(folded):
                words.append(folded)
            else:
                words.extend(fold(part) for part in split_word(_deaccent(token)))
        used = [False] * len(words)
        for length in (3, 2):
            for start in range(len(words) - length + 1):
                phrase = tuple(words[start : start + length])
                if phrase not in PHRASES or any(used[start : start + length]):
                    continue
                field, value = PHRASES[phrase]
                for index in range(start, start + length):
                    used[index] = True
                if field == "style":
                    self.styles.append(value)
                elif field == "kind":
                    self.kinds.append((value, None))
                    self.weak.append(False)
                    if value == "drums" and phrase[-1].startswith("loop"):
                        self.loop = True
                elif field == "fx":
                    self.kinds.append(("fx", value))
                    self.weak.append(False)
                elif field == "loop":
                    self.loop = value == "loop"
        for index, word in enumerate(words):
            if used[index]:
                continue
            if word in STYLE_WORDS:
                self.styles.append(STYLE_WORDS[word])
            elif word in KIND_WORDS:
                self.kinds.append(KIND_WORDS[word])
                self.weak.append(word in WEAK_WORDS)
            elif word in LOOP_WORDS:
                self.loop = True
            elif word in ONE_SHOT_WORDS:
                self.loop = False if self.loop is None else self.loop
            elif word in CLOSED_WORDS:
                self.hat_mode = "closed"
            elif word in OPEN_WORDS:
                self.hat_mode = "open"
            elif word.isalpha() and len(word) > 2 and word not in self._meta_words():
                self.tags.append(word)

    def _meta_words(self) -> set[str]:
        """Folded tokens that spelled a key, a mode or a tempo: not descriptive tags."""
        words = set(MODE_WORDS) | BPM_WORDS
        for index, token in enumerate(self.raw):
            following = self.raw[index + 1] if index + 1 < len(self.raw) else None
            if parse_key_token(token, following) is not None:
                words.add(fold(token))
        return words

    def best_kind(self) -> tuple[str, str | None] | None:
        if not self.kinds:
            return None
        # Two-letter abbreviations ("OH", "CH", "SD") only count when no full word names a kind:
        # "Vox_Oh_Yeah" is a vocal, "OH_Sizzle" an open hat.
        strong = [item for item, weak in zip(self.kinds, self.weak, strict=True) if not weak]
        kinds = strong or self.kinds
        kind, subtype = min(kinds, key=lambda item: KIND_PRIORITY.index(item[0]))
        if kind == "hat" and self.hat_mode is not None:
            kind = "closed_hat" if self.hat_mode == "closed" else "open_hat"
        if subtype is None:
            subtype = next((s for k, s in kinds if k == kind and s is not None), None)
        if kind != "808" and any(k == "808" for k, _ in kinds):
            subtype = subtype or "808"
        return kind, subtype


def _path_parts(path: str | PurePath) -> tuple[str, list[str]]:
    if isinstance(path, PurePath):
        pure = path
    elif "\\" in path and "/" not in path:
        pure = PureWindowsPath(path)
    else:
        pure = PurePosixPath(path)
    parents = [part for part in reversed(pure.parent.parts) if part not in ("/", "\\", "")]
    return pure.name, parents


def parse_sample_name(path: str | PurePath, root: str | PurePath | None = None) -> NameInfo:
    """Infer kind, loop/one-shot, BPM, key, note, styles and tags from a sample's path.

    ``root`` (the library folder) limits which folders are read, so "/Users/me/Music" never counts.
    """
    name, parents = _path_parts(path)
    if root is not None:
        root_parts = PurePath(root).parts
        depth = max(len(PurePath(path).parent.parts) - len(root_parts), 0)
        parents = parents[:depth]
    parents = parents[:FOLDER_DEPTH]
    stem = _stem(name)
    file = _Reading(stem)
    folders = [_Reading(folder) for folder in parents]

    kind_conf = 0.0
    kind_subtype = file.best_kind()
    if kind_subtype is not None:
        kind_conf = 0.9 if len({k for k, _ in file.kinds}) == 1 else 0.75
    else:
        for distance, folder in enumerate(folders):
            kind_subtype = folder.best_kind()
            if kind_subtype is not None:
                kind_conf = max(0.7 - 0.1 * distance, 0.4)
                break
    kind, subtype = kind_subtype if kind_subtype else (None, None)
    if kind == "hat" and file.hat_mode is None:
        mode = next((f.hat_mode for f in folders if f.hat_mode), None)
        if mode:
            kind = "closed_hat" if mode == "closed" else "open_hat"
    if subtype is None and kind is not None:
        subtype = next(
            (s for f in folders for k, s in f.kinds if k == kind and s is not None), None
        )

    bpm, bpm_conf = None, 0.0
    if file.bpm is not None:
        bpm, bpm_conf = file.bpm
        if file.loop and bpm_conf < 0.8:
            bpm_conf = 0.8  # "Bass_Loop_124": a number on a named loop is its tempo
    else:
        for folder in folders:
            if folder.bpm is not None:
                bpm, bpm_conf = folder.bpm[0], 0.8 if folder.bpm[1] > 0.9 else 0.45
                break

    loop_word = file.loop
    loop_conf = 0.9 if loop_word is not None else 0.0
    if loop_word is None:
        for distance, folder in enumerate(folders):
            if folder.loop is not None:
                loop_word, loop_conf = folder.loop, max(0.75 - 0.05 * distance, 0.5)
                break
    # A bare number on a one-shot is a take number ("Kick_101"), not a tempo.
    if loop_word is False and bpm_conf < 0.8:
        bpm, bpm_conf = None, 0.0
    if loop_word is None:
        if bpm is not None and bpm_conf >= 0.8:
            loop_word, loop_conf = True, 0.7
        elif kind == "drums":
            loop_word, loop_conf = True, 0.6
        elif kind in DRUM_KINDS:
            loop_word, loop_conf = False, 0.5
            if bpm_conf < 0.8:
                bpm, bpm_conf = None, 0.0
        elif bpm is not None:
            loop_word, loop_conf = True, 0.5
        else:
            loop_word, loop_conf = False, 0.3
    is_loop = bool(loop_word)

    key, key_conf = None, 0.0
    if file.key is not None:
        key, key_conf = file.key
    else:
        for folder in folders:
            if folder.key is not None:
                key, key_conf = folder.key[0], min(folder.key[1], 0.7)
                break
    note, root_note, note_conf = file.note, file.root_note, 0.0
    if note is not None:
        tonal = kind in TONAL_KINDS or kind is None
        note_conf = (0.8 if root_note is not None else 0.7) if tonal else 0.3
        if is_loop and key is None and tonal:
            key, key_conf = (
                format_key(pitch_class(note), "major"),
                0.5,
            )  # bare note on a loop: its tonic, mode unknown (major)
        if not tonal:
            root_note = None

    styles: list[str] = []
    for reading in (file, *folders):
        for style in reading.styles:
            if style not in styles:
                styles.append(style)
    style_conf = 0.8 if file.styles else (0.6 if styles else 0.0)

    tags: list[str] = list(styles)
    for extra in (subtype, "808" if kind != "808" and subtype == "808" else None):
        if extra and extra not in tags:
            tags.append(extra)
    for word in file.tags:
        if word not in tags and len(tags) < 16:
            tags.append(word)

    return NameInfo(
        kind=kind,  # type: ignore[arg-type]
        kind_confidence=kind_conf,
        subtype=subtype,
        is_loop=is_loop,
        loop_confidence=loop_conf,
        bpm=bpm,
        bpm_confidence=bpm_conf,
        key=key,
        key_confidence=key_conf,
        note=note,
        root_note=root_note,
        note_confidence=note_conf,
        styles=tuple(styles),
        style_confidence=style_conf,
        tags=tuple(tags),
    )


def kinds_for(query: str) -> frozenset[str]:
    """The stored kinds a search word stands for ("hat" → hat, closed_hat, open_hat)."""
    word = fold(query.strip())
    if word in KIND_FAMILIES:
        return KIND_FAMILIES[word]
    if word in KINDS:
        return frozenset({word})
    if word in KIND_WORDS:
        return frozenset({KIND_WORDS[word][0]})
    return frozenset()
