"""Offline chat answers: what MusiaIA says when the message is conversation and no LLM can reply.

The engine is a small intent router. A message is read once into a :class:`Query` (folded words,
note/key mentions, styles, moods, numbers); every route scores it and the best score answers, ties
going to the earlier (more specific) route. Answers are computed from the same tables the composer
uses — :mod:`companion.music.theory` for notes and chords, :mod:`companion.music.styles` for
tempos and forms — so what MusiaIA says agrees with what it generates. Production advice lives as
data in :mod:`companion.chat.knowledge`. Everything is deterministic and never invents facts about
the producer's project: it only repeats what :class:`ChatContext` says.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Literal

from companion.chat import knowledge as kb
from companion.chat.context import ChatContext, LiveFacts, ProjectFacts
from companion.music.harmony import pool_for
from companion.music.resolve import default_key
from companion.music.styles import (
    DEFAULT_STYLE,
    FORMS,
    MOOD_STYLE,
    POOLS,
    STYLE_TABLE,
    StyleProfile,
)
from companion.music.theory import (
    SCALE_STEPS,
    Mode,
    bar_beats,
    format_key,
    parse_key,
    parse_time_signature,
)
from companion.understanding import lexicon as lx
from companion.understanding.parser import understand

__all__ = [
    "SpelledKey",
    "camelot",
    "diatonic_chords",
    "find_notes",
    "offline_answer",
    "route",
    "song_seconds",
]

Lang = Literal["es", "en"]
MAX_MESSAGE_CHARS = 4000  # longer messages are read up to here; nobody asks a question that long


def _l(lang: Lang, es: str, en: str) -> str:
    """Pick the text for the answer's language."""
    return es if lang == "es" else en


# ================================================================================ reading text

_WORD = re.compile(r"[a-z0-9]+")
_PATTERN_WORD = re.compile(r"[a-z0-9]+\*?")
_RAW_TOKEN = re.compile(r"[^\W_]+(?:#[^\W_]*)?")

Phrase = tuple[str, ...]


def words_of(text: str) -> tuple[str, ...]:
    """Lowercase, accent-free words: the form every vocabulary is matched against."""
    return tuple(_WORD.findall(lx.fold(text)))


def _compile(spec: str) -> tuple[Phrase, ...]:
    return tuple(tuple(_PATTERN_WORD.findall(lx.fold(" ".join(p)))) for p in kb.terms(spec))


def _word_matches(pattern: str, word: str) -> bool:
    return word.startswith(pattern[:-1]) if pattern.endswith("*") else word == pattern


def _phrase_at(words: tuple[str, ...], phrase: Phrase, start: int) -> bool:
    if start + len(phrase) > len(words):
        return False
    return all(_word_matches(p, words[start + k]) for k, p in enumerate(phrase))


def _contains(words: tuple[str, ...], phrase: Phrase) -> bool:
    return bool(phrase) and any(_phrase_at(words, phrase, i) for i in range(len(words)))


def _longest_hit(words: tuple[str, ...], phrases: tuple[Phrase, ...]) -> int:
    """Length of the longest phrase found (0 when none is), so longer phrases can weigh more."""
    return max((len(p) for p in phrases if _contains(words, p)), default=0)


class Vocab:
    """A compiled ``"a|b c|d*"`` vocabulary; :meth:`hit` says how long a match in some words is."""

    def __init__(self, spec: str) -> None:
        self.phrases = _compile(spec)

    def hit(self, words: tuple[str, ...]) -> int:
        return _longest_hit(words, self.phrases)


# --- note and key mentions ---------------------------------------------------------------------

_LETTERS = "CDEFGAB"
_NATURAL_PC = {"C": 0, "D": 2, "E": 4, "F": 5, "G": 7, "A": 9, "B": 11}
_ACCIDENTAL_TEXT = {-2: "bb", -1: "b", 0: "", 1: "#", 2: "##"}
_SOLFEGE_LETTER = {"do": "C", "re": "D", "mi": "E", "fa": "F", "sol": "G", "la": "A", "si": "B"}
_LETTER_SOLFEGE = {letter: name.capitalize() for name, letter in _SOLFEGE_LETTER.items()}

_LETTER_TOKEN = re.compile(r"^([A-Ga-g])(#|b)?(m|min|maj)?$")
_SOLFEGE_TOKEN = re.compile(r"^(do|re|mi|fa|sol|la|si)(#|b)?(m)?$")
_ACCIDENTAL_WORDS = {"sharp": 1, "flat": -1, "sostenido": 1, "sostenida": 1, "bemol": -1}
_MODE_WORDS: dict[str, Mode] = {
    "major": "major",
    "mayor": "major",
    "maj": "major",
    "minor": "minor",
    "menor": "minor",
    "min": "minor",
    "m": "minor",
}
# Words after which a capitalised note name is a note ("de Sol", "in C", "between C and G").
_NOTE_TRIGGERS = frozenset(
    "de del en in of tiene has key tonalidad tono escala scale acordes acorde chords chord notas "
    "notes relativa relativo relative a to from desde hasta y and entre between para for es is "
    "vs o or into al".split()
)
# "mi mayor problema" is "my biggest problem", not E major.
_NOT_AFTER_MODE = frozenset(
    "parte problema duda pregunta reto error ventaja diferencia cantidad numero miedo".split()
)


@dataclass(frozen=True, slots=True)
class SpelledKey:
    """A key as the producer spelled it (``F#`` stays F#, ``Gb`` stays Gb): letter + alteration.

    :class:`companion.music.theory.Key` knows pitch classes; this adds letter names so scales
    are spelled the way a teacher writes them (E major has D#, not Eb; Gb major has Cb).
    """

    letter: str
    alter: int
    mode: Mode

    @property
    def tonic_pc(self) -> int:
        return (_NATURAL_PC[self.letter] + self.alter) % 12

    @property
    def tonic(self) -> str:
        return self.letter + _ACCIDENTAL_TEXT[self.alter]

    @property
    def symbol(self) -> str:
        return self.tonic + ("m" if self.mode == "minor" else "")

    @property
    def pcs(self) -> tuple[int, ...]:
        return tuple((self.tonic_pc + step) % 12 for step in SCALE_STEPS[self.mode])

    @property
    def notes(self) -> tuple[str, ...]:
        return tuple(_spell(self.letter, k, pc) for k, pc in enumerate(self.pcs))

    @classmethod
    def from_symbol(cls, text: str) -> SpelledKey:
        """``"Am"``, ``"F#"``, ``"Bbm"`` → key; raises ValueError otherwise."""
        key = parse_key(text)
        text = text.strip()
        alter = {"#": 1, "b": -1}.get(text[1:2], 0)
        return cls(text[0], alter, key.mode)

    def plain(self) -> SpelledKey:
        """The same key with a conventional spelling when this one needs double sharps/flats
        (D# major → Eb major), because nobody reads F## in a chat answer."""
        if all(abs(_alteration(name)) < 2 for name in self.notes) and abs(self.alter) < 2:
            return self
        return SpelledKey.from_symbol(parse_key(_canonical_symbol(self)).name)


def _canonical_symbol(key: SpelledKey) -> str:
    return format_key(key.tonic_pc, key.mode)


def _spell(tonic_letter: str, degree: int, pc: int) -> str:
    """Name pitch class ``pc`` with the letter ``degree`` steps above ``tonic_letter``."""
    letter = _LETTERS[(_LETTERS.index(tonic_letter) + degree) % 7]
    diff = (pc - _NATURAL_PC[letter]) % 12
    diff = diff - 12 if diff > 6 else diff
    return letter + _ACCIDENTAL_TEXT.get(diff, "?" * abs(diff))


def _alteration(name: str) -> int:
    return name.count("#") - name.count("b") if len(name) > 1 else 0


@dataclass(frozen=True, slots=True)
class NoteMention:
    letter: str
    alter: int
    mode: Mode | None

    def key(self) -> SpelledKey:
        return SpelledKey(self.letter, self.alter, self.mode or "major").plain()

    @property
    def pc(self) -> int:
        return (_NATURAL_PC[self.letter] + self.alter) % 12

    @property
    def name(self) -> str:
        return self.letter + _ACCIDENTAL_TEXT[self.alter]


def find_notes(text: str) -> list[NoteMention]:
    """Note and key names in a message ("La menor", "F# minor", "Bbm", "de Sol", "between C and
    G"). Ambiguous words (Spanish "la", "mi", "si"; English "a") only count with a mode or
    accidental after them, or capitalised after a word like "de"/"in"/"and"."""
    raw = _RAW_TOKEN.findall(text)
    folded = [lx.fold(token) for token in raw]
    found: list[NoteMention] = []
    i = 0
    while i < len(raw):
        mention, used = _read_note(raw, folded, i)
        if mention is not None:
            found.append(mention)
            i += used
        else:
            i += 1
    return found


def _read_note(raw: list[str], folded: list[str], i: int) -> tuple[NoteMention | None, int]:
    token, low = raw[i], folded[i]
    capital = token[:1].isupper()
    after_trigger = i > 0 and folded[i - 1] in _NOTE_TRIGGERS
    letter_match = _LETTER_TOKEN.match(token)
    solfege_match = _SOLFEGE_TOKEN.match(low)
    if letter_match:
        letter, accidental, suffix = letter_match.groups()
        compact_ok = (capital and (accidental or suffix)) or "#" in token
        if not capital and "#" not in token and accidental:
            return None, 0  # "db", "eb": not note names in lowercase prose
        letter = letter.upper()
    elif solfege_match and token.lower() == low:  # accented "Sí" is "yes", never B
        # In all-caps text ("TIENE MI PROYECTO") capitals say nothing about note names.
        capital = capital and not (len(token) > 1 and token.isupper())
        syllable, accidental, suffix = solfege_match.groups()
        letter = _SOLFEGE_LETTER[syllable]
        compact_ok = bool(accidental or suffix) and (capital or "#" in token)
        if (accidental or suffix) and not compact_ok:
            return None, 0  # "sim", "lab", "dom": ordinary words
    else:
        return None, 0
    alter = {"#": 1, "b": -1}.get(accidental or "", 0)
    mode: Mode | None = "minor" if suffix in ("m", "min") else "major" if suffix == "maj" else None
    used = 1
    if i + used < len(folded) and folded[i + used] in _ACCIDENTAL_WORDS and not accidental:
        alter = _ACCIDENTAL_WORDS[folded[i + used]]
        used += 1
    explicit_word = used > 1
    if mode is None and i + used < len(folded) and folded[i + used] in _MODE_WORDS:
        after = folded[i + used + 1] if i + used + 1 < len(folded) else ""
        if after not in _NOT_AFTER_MODE:
            mode = _MODE_WORDS[folded[i + used]]
            used += 1
            explicit_word = True
    if letter_match and not capital and "#" not in token and not explicit_word:
        return None, 0  # lowercase "a", "e", "b" need "minor"/"major"/"sharp" after them
    if not (compact_ok or explicit_word or (capital and after_trigger)):
        return None, 0
    return NoteMention(letter, alter, mode), used


# --- styles, moods, numbers ---------------------------------------------------------------------

_STYLE_MAX = max(len(p) for p in lx.STYLE_PHRASES)
_MOOD_MAX = max(len(p) for p in lx.MOOD_PHRASES)


def find_styles(words: tuple[str, ...]) -> tuple[list[str], bool, set[int]]:
    """Style slugs named in the message, in order; whether all of them are vague ("edm",
    "dance"); and the word positions they use. Uses the parser's glossary (and its "mi nuevo
    disco is an album" rule) so chat and generation agree on what a word means."""
    strong: list[str] = []
    weak: list[str] = []
    used: set[int] = set()
    i = 0
    while i < len(words):
        step = 1
        for length in range(min(_STYLE_MAX, len(words) - i), 0, -1):
            phrase = tuple(words[i : i + length])
            slug = lx.STYLE_PHRASES.get(phrase)
            if slug is None:
                continue
            step = length
            blocked = lx.STYLE_BLOCKED_AFTER.get(phrase)
            if blocked is not None and i > 0 and words[i - 1] in blocked:
                break
            (weak if phrase in lx.WEAK_STYLE_PHRASES else strong).append(slug)
            used.update(range(i, i + length))
            break
        i += step
    chosen = strong or weak
    return list(dict.fromkeys(chosen)), not strong and bool(weak), used


def find_mood(words: tuple[str, ...]) -> str | None:
    for i in range(len(words)):
        for length in range(min(_MOOD_MAX, len(words) - i), 0, -1):
            mood = lx.MOOD_PHRASES.get(tuple(words[i : i + length]))
            if mood is not None:
                return mood
    return None


_TEMPO_NUMBER = re.compile(r"(?<![\w.,])(\d{1,3}(?:[.,]\d+)?)(?!\d)\s*([a-z]*)")
_NOT_TEMPO_UNITS = frozenset(
    "compases compas bars bar measures ms hz khz db s seg segundos seconds sec lufs semitonos "
    "semitones cents min minutos minutes x k".split()
)


def find_tempo(text: str) -> float | None:
    """A tempo written in the message: a number followed by "bpm", else the first plausible
    one (40–300) that is not a count of bars, milliseconds, hertz…"""
    plausible: list[float] = []
    for match in _TEMPO_NUMBER.finditer(lx.fold(text)):
        value = float(match.group(1).replace(",", "."))
        unit = match.group(2)
        if unit in ("bpm", "ppm") and 20 <= value <= 999:
            return value
        if unit not in _NOT_TEMPO_UNITS and 40 <= value <= 300:
            plausible.append(value)
    return plausible[0] if plausible else None


# --- the query ----------------------------------------------------------------------------------

_DEFINING = Vocab(
    "que es|que son|que significa|que significan|que quiere decir|para que sirve|what is|"
    "what s|whats|what are|what does|meaning|mean|means|explain|explica*|define|definicion|"
    "definition|significa*"
)
_CHORD_COMPOUND = Vocab("progression*|changes|ideas|loop|loops|sequence*|voicing*|pattern*")
_GREETING = Vocab(
    "hola|hello|hi|hey|buenas|buenos dias|buenas tardes|buenas noches|good morning|"
    "good afternoon|good evening|saludos|greetings|holi|ey|hiya|howdy"
)
_HOWTO = Vocab(
    "como|how|tips|tip|consejo*|truco*|trick*|mejor|mejorar|better|improve|should|deberia|"
    "necesito|need|help me|ayudame|best way|forma de|manera de"
)


class Query:
    """One message, read once: words for matching plus the musical things it names."""

    def __init__(self, message: str, lang: Lang) -> None:
        self.text = message[:MAX_MESSAGE_CHARS]
        self.lang: Lang = lang
        self.words = words_of(self.text)
        self.defining = bool(_DEFINING.hit(self.words))
        self.howto = bool(_HOWTO.hit(self.words))
        self.notes = find_notes(self.text)
        self.styles, self.vague_style, style_at = find_styles(self.words)
        # The words minus style names, so "drum and bass" does not read as a question about bass.
        self.content = tuple(w for k, w in enumerate(self.words) if k not in style_at)
        self.mood = find_mood(self.words)
        self.greets = bool(self.words) and any(
            _phrase_at(self.words, p, 0) for p in _GREETING.phrases
        )

    def has(self, vocab: Vocab) -> bool:
        return bool(vocab.hit(self.content))

    @cached_property
    def singular_chord(self) -> bool:
        """ "acorde"/"chord" naming one chord ("the C chord"), not "chord progression"."""
        for k, word in enumerate(self.content):
            if word in ("acorde", "chord"):
                after = self.content[k + 1] if k + 1 < len(self.content) else ""
                if not _CHORD_COMPOUND.hit((after,)):
                    return True
        return False

    @cached_property
    def key(self) -> SpelledKey | None:
        """The key the message is about: the first note mention, else the parser's reading."""
        if self.notes:
            return self.notes[0].key()
        try:
            symbol = understand(self.text).requirements.key
        except ValueError:
            return None
        return SpelledKey.from_symbol(symbol).plain() if symbol else None

    def tempo(self) -> float | None:
        return find_tempo(self.text)


# ================================================================================ music helpers

_ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII")
_TRIADS: dict[tuple[int, int], str] = {(4, 7): "", (3, 7): "m", (3, 6): "dim", (4, 8): "aug"}
_SEVENTHS: dict[tuple[int, int, int], str] = {
    (4, 7, 11): "maj7",
    (3, 7, 10): "m7",
    (4, 7, 10): "7",
    (3, 6, 10): "m7b5",
    (3, 6, 9): "dim7",
    (3, 7, 11): "m(maj7)",
    (4, 8, 11): "maj7#5",
}


@dataclass(frozen=True, slots=True)
class Degree:
    numeral: str  # "i", "ii°", "III"
    triad: str  # "Am", "Bdim"
    seventh: str  # "Am7", "Bm7b5"
    root_pc: int
    suffix: str  # triad suffix: "", "m", "dim", "aug"
    seventh_suffix: str  # "maj7", "m7", "7", "m7b5"


def diatonic_chords(key: SpelledKey) -> list[Degree]:
    """The seven chords built by stacking the key's own notes in thirds."""
    pcs, names = key.pcs, key.notes
    chords = []
    for d in range(7):
        root = pcs[d]
        third, fifth, seventh = ((pcs[(d + k) % 7] - root) % 12 for k in (2, 4, 6))
        suffix = _TRIADS[(third, fifth)]
        numeral = _ROMAN[d] if third == 4 else _ROMAN[d].lower()
        numeral += {"dim": "°", "aug": "+"}.get(suffix, "")
        seventh_suffix = _SEVENTHS[(third, fifth, seventh)]
        chords.append(
            Degree(
                numeral, names[d] + suffix, names[d] + seventh_suffix, root, suffix, seventh_suffix
            )
        )
    return chords


def _progression(key: SpelledKey, numerals: str) -> str:
    """ "i VI III VII" → "i–VI–III–VII (Am–F–C–G)", repeated neighbours merged."""
    chords = diatonic_chords(key)
    degrees: list[int] = []
    for token in numerals.split():
        degree = [r.lower() for r in _ROMAN].index(token.lower())
        if not degrees or degrees[-1] != degree:
            degrees.append(degree)
    romans = "–".join(chords[d].numeral for d in degrees)
    return f"{romans} ({'–'.join(chords[d].triad for d in degrees)})"


def progressions(key: SpelledKey, pool: str, count: int = 3) -> list[str]:
    """The engine's own progressions for a mood/style pool, rendered in ``key``."""
    table = POOLS[key.mode]
    chosen = table.get(pool) or table["emotional" if key.mode == "minor" else "happy"]
    return [_progression(key, numerals) for numerals in chosen[:count]]


def key_label(key: SpelledKey, lang: Lang) -> str:
    """ "La menor (Am)" / "A minor (Am)"."""
    if lang == "es":
        accidental = {1: " sostenido", -1: " bemol", 2: " doble sostenido", -2: " doble bemol"}
        name = _LETTER_SOLFEGE[key.letter] + accidental.get(key.alter, "")
        return f"{name} {'menor' if key.mode == 'minor' else 'mayor'} ({key.symbol})"
    return f"{key.tonic} {key.mode} ({key.symbol})"


def _solfege(name: str) -> str:
    return _LETTER_SOLFEGE[name[0]] + name[1:]


def _signature(key: SpelledKey, lang: Lang) -> str:
    sharps = sum(name.count("#") for name in key.notes)
    flats = sum(name.count("b") for name in key.notes)
    if sharps:
        plural = "s" * (sharps > 1)
        return _l(lang, f"{sharps} sostenido{plural}", f"{sharps} sharp{plural}")
    if flats:
        return _l(lang, f"{flats} bemol{'es' * (flats > 1)}", f"{flats} flat{'s' * (flats > 1)}")
    return _l(lang, "sin alteraciones", "no sharps or flats")


def relative_of(key: SpelledKey) -> SpelledKey:
    """Relative minor is the 6th degree, relative major the 3rd: same notes, other home."""
    name = key.notes[5] if key.mode == "major" else key.notes[2]
    return SpelledKey(name[0], _alteration(name), "minor" if key.mode == "major" else "major")


def camelot(key: SpelledKey) -> str:
    """DJ wheel code: C major 8B, A minor 8A; ±1 or the same number are compatible."""
    major_pc = key.tonic_pc if key.mode == "major" else (key.tonic_pc + 3) % 12
    number = ((major_pc * 7) % 12 + 7) % 12 + 1
    return f"{number}{'B' if key.mode == 'major' else 'A'}"


def _fmt(value: float, lang: Lang, digits: int = 1) -> str:
    text = f"{value:.{digits}f}".rstrip("0").rstrip(".") if digits else f"{round(value)}"
    return text.replace(".", ",") if lang == "es" else text


def _clock(seconds: float) -> str:
    total = round(seconds)
    return f"{total // 60}:{total % 60:02d}"


def song_seconds(bars: int, bpm: float, time_signature: str = "4/4") -> float:
    """Length of ``bars`` bars: bars × beats per bar × 60 / BPM (Live beats are quarter notes)."""
    try:
        beats = bar_beats(*parse_time_signature(time_signature))
    except ValueError:
        beats = 4.0
    return bars * beats * 60.0 / bpm


def _mood_name(mood: str, lang: Lang) -> str:
    es, en = kb.MOOD_LABELS.get(mood, (mood, mood))
    return _l(lang, es, en)


# ================================================================================ routes

Scorer = Callable[[Query, ChatContext], float]
Answerer = Callable[[Query, ChatContext], str]


@dataclass(frozen=True, slots=True)
class Route:
    name: str
    score: Scorer
    answer: Answerer


# --- Live ---------------------------------------------------------------------------------------

_LIVE = Vocab("live|ableton|ableton live")
_LIVE_STATE = Vocab(
    "playing|reproduc*|sonando|suena|suenan|conect*|connect*|estado|status|set abierto|open set|"
    "current set|tempo|bpm|pistas|tracks|tonalidad|key|compas|time signature"
)
_LIVE_STATUS = Vocab(
    "what s playing|whats playing|what is playing|que suena|que esta sonando|que hay sonando|"
    "remote script|control surface|superficie de control|esta conectado|is connected|"
    "is it connected|estas conectado|are you connected|conectar con live|connect to live|"
    "conectar a live|conecto|connect"
)


def score_live(q: Query, ctx: ChatContext) -> float:
    if q.has(_LIVE_STATUS):
        return 7.0
    if q.has(_LIVE) and q.has(_LIVE_STATE) and not q.howto:
        return 7.0
    return 0.0


def _connect_steps(lang: Lang) -> str:
    return _l(
        lang,
        "Para conectarlo: 1) instala el Remote Script de MusiaIA con `python3 install.py`; "
        "2) reinicia Live; 3) en Preferencias → Link, Tempo & MIDI → Control Surface elige "
        "«MusiaIA». Después podré decirte el tempo, si está sonando y qué pistas tiene tu set.",
        "To connect it: 1) install MusiaIA's Remote Script with `python3 install.py`; "
        "2) restart Live; 3) in Preferences → Link, Tempo & MIDI → Control Surface choose "
        "'MusiaIA'. Then I can tell you the tempo, whether it's playing and which tracks your "
        "set has.",
    )


def answer_live(q: Query, ctx: ChatContext) -> str:
    lang = q.lang
    live = ctx.live
    if live is None or not live.connected:
        return _l(
            lang,
            "Ahora mismo no estoy conectado a Ableton Live. ",
            "I'm not connected to Ableton Live right now. ",
        ) + _connect_steps(lang)
    return _live_facts(live, lang)


def _live_facts(live: LiveFacts, lang: Lang) -> str:
    lines = [
        _l(lang, "Esto es lo que veo en tu set de Live:", "Here's what I see in your Live set:")
    ]
    if live.tempo is not None:
        lines.append(
            _l(
                lang,
                f"- Tempo: {_fmt(live.tempo, lang, 2)} BPM",
                f"- Tempo: {_fmt(live.tempo, lang, 2)} BPM",
            )
        )
    if live.playing is not None:
        lines.append(
            _l(
                lang,
                f"- Transporte: {'sonando' if live.playing else 'parado'}",
                f"- Transport: {'playing' if live.playing else 'stopped'}",
            )
        )
    if live.time_signature:
        lines.append(
            _l(lang, f"- Compás: {live.time_signature}", f"- Time signature: {live.time_signature}")
        )
    if live.key:
        lines.append(_l(lang, f"- Tonalidad: {live.key}", f"- Key: {live.key}"))
    if live.track_names:
        shown = live.track_names[:12]
        more = len(live.track_names) - len(shown)
        names = ", ".join(shown) + (f" (+{more})" if more > 0 else "")
        lines.append(
            _l(
                lang,
                f"- Pistas ({len(live.track_names)}): {names}",
                f"- Tracks ({len(live.track_names)}): {names}",
            )
        )
    if len(lines) == 1:
        lines.append(
            _l(
                lang,
                "- Está conectado, pero aún no me ha enviado datos del set.",
                "- It's connected but hasn't reported the set's details yet.",
            )
        )
    return "\n".join(lines)


# --- the producer's project ---------------------------------------------------------------------

_PROJECT_REF = Vocab(
    "mi proyecto|my project|mi track|my track|mi tema|mi cancion|my song|mi beat|my beat|"
    "my tune|this song|this track|this project|this beat|este proyecto|este tema|esta cancion|"
    "este track|este beat|el proyecto|the project|la cancion|the song|el tema|the track|el track|"
    "lo que generaste|lo que has generado|what you made|what you generated|ultimo proyecto|"
    "latest project|last project|mis proyectos|my projects"
)
_WEAK_REF = Vocab("it|its|tiene|has|have|does|uses|usa|lleva|esta|este|esto|eso")
_FACTS: dict[str, Vocab] = {
    "tempo": Vocab("tempo|bpm|velocidad|speed|how fast|rapido|rapida"),
    "key": Vocab("tonalidad|tono|key|escala|scale|en que nota"),
    "length": Vocab(
        "dura|duracion|how long|length|largo|larga|minutos|minutes|cuanto dura|"
        "compases|bars|cuantos compases|how many bars"
    ),
    "sections": Vocab("seccion*|section*|estructura|structure|forma|form|partes de la cancion"),
    "tracks": Vocab("pistas|tracks|instrumentos|instruments|partes|parts|canales|channels"),
    "chords": Vocab("acorde*|chord*|progresion*|progression*|armonia|harmony"),
    "version": Vocab("version|versiones|versions"),
    "meter": Vocab("compas|time signature|signatura|metrica|meter"),
    "style": Vocab("estilo|style|genero|genre|mood|ambiente|animo"),
    "name": Vocab("nombre|name|como se llama|called"),
}
_SPECIFIC_FACTS = ("length", "sections", "tracks", "version", "name", "meter")


def _asked_facts(q: Query) -> list[str]:
    return [fact for fact, vocab in _FACTS.items() if q.has(vocab)]


def score_project(q: Query, ctx: ChatContext) -> float:
    facts = _asked_facts(q)
    if q.has(_PROJECT_REF):
        # "how long is my song" is a fact; "how do I add reverb to my track" is advice, and
        # "háblame de mi proyecto" (no fact named) is an overview only when nothing fits better.
        if not facts:
            return 3.5
        return 4.5 if q.howto else 8.0
    if q.defining or q.styles or q.notes or q.has(_LIVE):
        return 0.0
    if any(f in _SPECIFIC_FACTS for f in facts) and not q.howto:
        return 4.0
    if facts and q.mood is None and not q.howto and q.has(_WEAK_REF):
        return 3.5
    return 0.0


def answer_project(q: Query, ctx: ChatContext) -> str:
    lang = q.lang
    project = ctx.project
    if project is None:
        return _l(
            lang,
            "Todavía no tienes ningún proyecto conmigo, así que no tengo datos que darte. Pide "
            "uno, por ejemplo: «Genera un track de house a 124 BPM en La menor».",
            "You don't have a project with me yet, so I have no facts to give you. Ask for one, "
            "for example: 'Make a house track at 124 BPM in A minor'.",
        )
    facts = _asked_facts(q) or ["overview"]
    parts = [_PROJECT_FACT[fact](project, lang) for fact in dict.fromkeys(facts)]
    return "\n".join(parts)


def _project_title(p: ProjectFacts, lang: Lang) -> str:
    return _l(lang, f"«{p.name}» (v{p.version})", f"'{p.name}' (v{p.version})")


def _fact_tempo(p: ProjectFacts, lang: Lang) -> str:
    return _l(
        lang,
        f"Tu proyecto {_project_title(p, lang)} va a {_fmt(p.bpm, lang, 2)} BPM "
        f"en compás de {p.time_signature}.",
        f"Your project {_project_title(p, lang)} runs at {_fmt(p.bpm, lang, 2)} BPM in "
        f"{p.time_signature}.",
    )


def _project_key(p: ProjectFacts) -> SpelledKey | None:
    if not p.key:
        return None
    try:
        return SpelledKey.from_symbol(p.key)
    except ValueError:
        return None


def _fact_key(p: ProjectFacts, lang: Lang) -> str:
    key = _project_key(p)
    if key is None:
        if p.key:
            return _l(lang, f"La tonalidad registrada es {p.key}.", f"The recorded key is {p.key}.")
        return _l(
            lang, "Tu proyecto no tiene tonalidad registrada.", "Your project has no key recorded."
        )
    notes = " ".join(key.notes)
    return _l(
        lang,
        f"Está en {key_label(key, lang)}: notas {notes}.",
        f"It's in {key_label(key, lang)}: notes {notes}.",
    )


def _fact_length(p: ProjectFacts, lang: Lang) -> str:
    seconds = song_seconds(p.bars, p.bpm, p.time_signature)
    try:
        beats = bar_beats(*parse_time_signature(p.time_signature))
    except ValueError:
        beats = 4.0
    minutes = _fmt(seconds / 60, lang, 1)
    formula = f"{p.bars} × {_fmt(beats, lang, 2)} × 60 / {_fmt(p.bpm, lang, 2)}"
    return _l(
        lang,
        f"Dura {p.bars} compases de {p.time_signature} a {_fmt(p.bpm, lang, 2)} BPM: {formula} = "
        f"{_fmt(seconds, lang, 1)} s, es decir {_clock(seconds)} (≈{minutes} min).",
        f"It's {p.bars} bars of {p.time_signature} at {_fmt(p.bpm, lang, 2)} BPM: {formula} = "
        f"{_fmt(seconds, lang, 1)} s, i.e. {_clock(seconds)} (≈{minutes} min).",
    )


def _fact_sections(p: ProjectFacts, lang: Lang) -> str:
    if not p.sections:
        return _l(
            lang,
            "No tengo el detalle de las secciones de este proyecto.",
            "I don't have the section breakdown for this project.",
        )
    lines = [_l(lang, f"Secciones ({len(p.sections)}):", f"Sections ({len(p.sections)}):")]
    for s in p.sections:
        first, last = s.start_bar + 1, s.start_bar + s.bars
        lines.append(
            _l(
                lang,
                f"- {s.name}: compases {first}–{last} ({s.bars})",
                f"- {s.name}: bars {first}–{last} ({s.bars})",
            )
        )
    return "\n".join(lines)


def _fact_tracks(p: ProjectFacts, lang: Lang) -> str:
    if not p.tracks:
        return _l(
            lang,
            "No tengo la lista de pistas de este proyecto.",
            "I don't have this project's track list.",
        )
    items = [
        f"{t.name} ({t.role}, {t.notes} {_l(lang, 'notas', 'notes')})"
        if t.notes
        else f"{t.name} ({t.role})"
        for t in p.tracks
    ]
    return (
        _l(lang, f"Tiene {len(p.tracks)} pistas: ", f"It has {len(p.tracks)} tracks: ")
        + "; ".join(items)
        + "."
    )


def _fact_chords(p: ProjectFacts, lang: Lang) -> str:
    if not p.chords:
        return _l(
            lang,
            "No tengo registrados los acordes de este proyecto.",
            "I don't have this project's chords recorded.",
        )
    key = _project_key(p)
    labels = []
    for chord in p.chords:
        numeral = _numeral_in(key, chord) if key else ""
        labels.append(f"{chord} ({numeral})" if numeral else chord)
    intro = _l(lang, "Acordes de tu proyecto: ", "Your project's chords: ")
    return intro + " – ".join(labels) + "."


_CHORD_SYMBOL = re.compile(r"^([A-G])(#|b)?(.*)$")


def _numeral_in(key: SpelledKey, symbol: str) -> str:
    """Roman numeral of a chord symbol in a key ("F" in Am → "VI", "E7" in Am → "V"), written
    from the chord's own quality; "" when its root is not in the key."""
    match = _CHORD_SYMBOL.match(symbol.strip())
    if not match:
        return ""
    pc = (_NATURAL_PC[match.group(1)] + {"#": 1, "b": -1}.get(match.group(2) or "", 0)) % 12
    quality = match.group(3)
    for index, degree in enumerate(diatonic_chords(key)):
        if degree.root_pc == pc:
            if quality.startswith("dim") or quality.startswith("m7b5"):
                return _ROMAN[index].lower() + "°"
            minor = quality.startswith("m") and not quality.startswith("maj")
            return _ROMAN[index].lower() if minor else _ROMAN[index]
    return ""


def _fact_version(p: ProjectFacts, lang: Lang) -> str:
    return _l(
        lang,
        f"Estás en la versión v{p.version} de «{p.name}». Pide un cambio "
        f"(«hazlo más rápido») y crearé la v{p.version + 1}.",
        f"You're on version v{p.version} of '{p.name}'. Ask for a change ('make it "
        f"faster') and I'll create v{p.version + 1}.",
    )


def _fact_style(p: ProjectFacts, lang: Lang) -> str:
    style = STYLE_TABLE[p.style].label if p.style in STYLE_TABLE else (p.style or "—")
    mood = ""
    if p.mood:
        name = _mood_name(p.mood, lang)
        mood = _l(lang, f", ambiente {name}", f", {name} mood")
    return _l(lang, f"Estilo: {style}{mood}.", f"Style: {style}{mood}.")


def _fact_name(p: ProjectFacts, lang: Lang) -> str:
    return _l(
        lang,
        f"Se llama «{p.name}» (versión v{p.version}).",
        f"It's called '{p.name}' (version v{p.version}).",
    )


def _fact_overview(p: ProjectFacts, lang: Lang) -> str:
    style = STYLE_TABLE[p.style].label if p.style in STYLE_TABLE else (p.style or "")
    key = _project_key(p)
    seconds = song_seconds(p.bars, p.bpm, p.time_signature)
    bits = [
        b
        for b in (
            style,
            f"{_fmt(p.bpm, lang, 2)} BPM",
            key_label(key, lang) if key else (p.key or ""),
            f"{p.bars} {_l(lang, 'compases', 'bars')} ≈ {_clock(seconds)}",
        )
        if b
    ]
    title = _project_title(p, lang)
    text = _l(lang, f"Tu proyecto {title}: ", f"Your project {title}: ")
    text += ", ".join(bits) + "."
    if p.sections:
        names = " · ".join(f"{s.name} {s.bars}" for s in p.sections)
        text += _l(lang, f"\nSecciones: {names}.", f"\nSections: {names}.")
    if p.tracks:
        text += _l(lang, "\nPistas: ", "\nTracks: ") + ", ".join(t.name for t in p.tracks) + "."
    return text


_PROJECT_FACT: dict[str, Callable[[ProjectFacts, Lang], str]] = {
    "overview": _fact_overview,
    "tempo": _fact_tempo,
    "meter": _fact_tempo,
    "key": _fact_key,
    "length": _fact_length,
    "sections": _fact_sections,
    "tracks": _fact_tracks,
    "chords": _fact_chords,
    "version": _fact_version,
    "style": _fact_style,
    "name": _fact_name,
}


# --- tempo arithmetic ---------------------------------------------------------------------------

_TEMPO_MATH = Vocab(
    "ms|milisegundo*|millisecond*|delay time|tiempo de delay|tiempo del delay|"
    "cuanto dura un compas|cuanto dura un tiempo|how long is a bar|how long is a beat|"
    "duracion de un compas|length of a bar|segundos por compas|seconds per bar"
)


def score_tempo_math(q: Query, ctx: ChatContext) -> float:
    return 7.0 if q.has(_TEMPO_MATH) else 0.0


def _tempo_for(q: Query, ctx: ChatContext) -> tuple[float, str]:
    """The tempo to compute with and where it came from (message, project, or 120 as example)."""
    written = q.tempo()
    if written is not None:
        return written, "message"
    if ctx.project is not None:
        return ctx.project.bpm, "project"
    return 120.0, "example"


def tempo_table(bpm: float, lang: Lang) -> str:
    beat = 60000.0 / bpm
    rows = [
        ("1/4", beat),
        ("1/8", beat / 2),
        ("1/16", beat / 4),
        (_l(lang, "1/8 con puntillo", "dotted 1/8"), beat * 0.75),
        (_l(lang, "1/8 tresillo", "1/8 triplet"), beat / 3),
        (_l(lang, "compás 4/4", "4/4 bar"), beat * 4),
    ]
    return " · ".join(f"{name} = {_fmt(ms, lang, 1)} ms" for name, ms in rows)


def answer_tempo_math(q: Query, ctx: ChatContext) -> str:
    lang = q.lang
    bpm, source = _tempo_for(q, ctx)
    intro = {
        "message": _l(lang, f"A {_fmt(bpm, lang, 2)} BPM:", f"At {_fmt(bpm, lang, 2)} BPM:"),
        "project": _l(
            lang,
            f"A {_fmt(bpm, lang, 2)} BPM (el tempo de tu proyecto):",
            f"At {_fmt(bpm, lang, 2)} BPM (your project's tempo):",
        ),
        "example": _l(lang, "Por ejemplo, a 120 BPM:", "For example, at 120 BPM:"),
    }[source]
    bars16 = song_seconds(16, bpm)
    return f"{intro} {tempo_table(bpm, lang)}.\n" + _l(
        lang,
        f"16 compases duran {_fmt(bars16, lang, 1)} s. Fórmula: 60 000 / BPM = ms por "
        "negra; en Live también puedes poner el delay en modo Sync.",
        f"16 bars last {_fmt(bars16, lang, 1)} s. Formula: 60,000 / BPM = ms per quarter "
        "note; in Live you can also just put the delay in Sync mode.",
    )


# --- chords, scales, intervals ------------------------------------------------------------------

_NOTES_WORDS = Vocab("notas|notes|nota|note|tiene|has|lleva|contain*|forma*|built|construy*")
_CHORD_SHAPES: dict[str, tuple[tuple[int, int], ...]] = {
    # (letter steps above the root, semitones above the root)
    "": ((2, 4), (4, 7)),
    "m": ((2, 3), (4, 7)),
    "dim": ((2, 3), (4, 6)),
    "aug": ((2, 4), (4, 8)),
    "sus2": ((1, 2), (4, 7)),
    "sus4": ((3, 5), (4, 7)),
    "6": ((2, 4), (4, 7), (5, 9)),
    "m6": ((2, 3), (4, 7), (5, 9)),
    "7": ((2, 4), (4, 7), (6, 10)),
    "maj7": ((2, 4), (4, 7), (6, 11)),
    "m7": ((2, 3), (4, 7), (6, 10)),
    "m7b5": ((2, 3), (4, 6), (6, 10)),
    "dim7": ((2, 3), (4, 6), (6, 9)),
    "add9": ((2, 4), (4, 7), (1, 14)),
    "9": ((2, 4), (4, 7), (6, 10), (1, 14)),
    "maj9": ((2, 4), (4, 7), (6, 11), (1, 14)),
    "m9": ((2, 3), (4, 7), (6, 10), (1, 14)),
}
_SUFFIX_ALIASES = {"min": "m", "min7": "m7", "maj": "", "M7": "maj7", "°": "dim", "+": "aug"}
_SYMBOL_TOKEN = re.compile(
    r"^([A-G])(#|b)?(maj9|maj7|m7b5|dim7|add9|sus2|sus4|dim|aug|min7|min|"
    r"maj|m9|m7|m6|M7|m|9|7|6)?$"
)
_INTERVAL_NAMES: tuple[tuple[str, str], ...] = (
    ("unísono", "unison"),
    ("segunda menor", "minor 2nd"),
    ("segunda mayor", "major 2nd"),
    ("tercera menor", "minor 3rd"),
    ("tercera mayor", "major 3rd"),
    ("cuarta justa", "perfect 4th"),
    ("tritono", "tritone"),
    ("quinta justa", "perfect 5th"),
    ("sexta menor", "minor 6th"),
    ("sexta mayor", "major 6th"),
    ("séptima menor", "minor 7th"),
    ("séptima mayor", "major 7th"),
    ("octava", "octave"),
    ("novena menor", "minor 9th"),
    ("novena mayor", "major 9th"),
)
_INTERVAL_USES: dict[int, tuple[str, str]] = {
    3: ("el color de lo menor", "the sound of minor"),
    4: ("el color de lo mayor", "the sound of major"),
    5: ("estable, muy usada en bajos", "stable, common in basslines"),
    6: ("el intervalo más tenso: pide resolver", "the most tense interval: it wants to resolve"),
    7: (
        "la más estable después de la octava: power chords y bajos",
        "the most stable after the octave: power chords and basslines",
    ),
    10: ("la séptima de los acordes m7 y 7", "the 7th of m7 and dominant 7 chords"),
    11: ("la séptima de los acordes maj7, suena soñadora", "the 7th of maj7 chords, dreamy"),
}


def find_chord_symbol(q: Query) -> tuple[str, int, str] | None:
    """A chord symbol with a quality ("Cmaj7", "F#m7b5", "G7", "Bdim") as (letter, alter,
    suffix). Plain "Am" or "C" are keys too, so they only count next to the word "chord"."""
    for token in _RAW_TOKEN.findall(q.text):
        match = _SYMBOL_TOKEN.match(token)
        if match is None:
            continue
        suffix = _SUFFIX_ALIASES.get(match.group(3) or "", match.group(3) or "")
        if suffix not in ("", "m") or q.singular_chord:
            return match.group(1), {"#": 1, "b": -1}.get(match.group(2) or "", 0), suffix
    return None


def chord_tones(letter: str, alter: int, suffix: str) -> list[str]:
    root_pc = (_NATURAL_PC[letter] + alter) % 12
    root = letter + _ACCIDENTAL_TEXT[alter]
    tones = [root]
    for steps, semis in sorted(_CHORD_SHAPES[suffix], key=lambda s: s[1]):
        tones.append(_spell(letter, steps, (root_pc + semis) % 12))
    return tones


def _chord_target(q: Query) -> tuple[str, int, str] | None:
    """The chord asked about: "acorde de Re menor" (a mode word decides), else a written symbol
    ("Cmaj7"), else a bare note next to the word "chord" (a major triad)."""
    note = q.notes[0] if q.singular_chord and q.notes else None
    if note is not None and note.mode is not None:
        return note.letter, note.alter, "m" if note.mode == "minor" else ""
    symbol = find_chord_symbol(q)
    if symbol is not None or note is None:
        return symbol
    return note.letter, note.alter, ""


def score_chord_notes(q: Query, ctx: ChatContext) -> float:
    target = _chord_target(q)
    if target is None:
        return 0.0
    if q.singular_chord or (target[2] not in ("", "m") and (q.has(_NOTES_WORDS) or q.defining)):
        return 8.0
    return 0.0


def _keys_containing(root_pc: int, suffix: str) -> list[tuple[SpelledKey, str]]:
    """Keys (majors first, around the circle) where this chord is one of the seven."""
    found = []
    for mode in ("major", "minor"):
        for pc in range(12):
            key = SpelledKey.from_symbol(format_key(pc, mode))  # type: ignore[arg-type]
            for degree in diatonic_chords(key):
                if degree.root_pc == root_pc and suffix in (degree.suffix, degree.seventh_suffix):
                    found.append((key, degree.numeral))
    return found


def answer_chord_notes(q: Query, ctx: ChatContext) -> str:
    lang = q.lang
    target = _chord_target(q)
    assert target is not None
    letter, alter, suffix = target
    tones = chord_tones(letter, alter, suffix)
    symbol = tones[0] + suffix
    root_pc = (_NATURAL_PC[letter] + alter) % 12
    intervals = [
        _INTERVAL_NAMES[semis % 15][0 if lang == "es" else 1]
        for _, semis in sorted(_CHORD_SHAPES[suffix], key=lambda s: s[1])
    ]
    text = _l(
        lang,
        f"{symbol} = {' – '.join(tones)} (fundamental + {', '.join(intervals)}).",
        f"{symbol} = {' – '.join(tones)} (root + {', '.join(intervals)}).",
    )
    if lang == "es":
        text += f" En solfeo: {', '.join(_solfege(t) for t in tones)}."
    homes = _keys_containing(root_pc, suffix)
    if homes:
        listed = ", ".join(f"{k.symbol} ({numeral})" for k, numeral in homes[:6])
        text += _l(lang, f"\nEs diatónico en: {listed}.", f"\nIt's diatonic in: {listed}.")
    return text


_CHORDS = Vocab(
    "acordes|chords|grados|degrees|armoniz*|harmoniz*|progresion*|progression*|diatonic*|"
    "diatonico*|acordes diatonicos"
)
_SUGGEST = Vocab(
    "dame|give|sugier*|suggest*|recomiend*|recommend*|necesito|need|idea|ideas|"
    "buena|buenas|good|que uso|what should|which"
)


def score_key_chords(q: Query, ctx: ChatContext) -> float:
    if not q.has(_CHORDS):
        return 0.0
    if q.key is not None:
        return 7.5
    if q.has(_SUGGEST) and not q.styles and q.mood is None:
        return 4.0
    return 0.0


def answer_key_chords(q: Query, ctx: ChatContext) -> str:
    lang = q.lang
    key = q.key
    note = ""
    if key is None:
        project_key = _project_key(ctx.project) if ctx.project else None
        key = project_key or SpelledKey("A", 0, "minor")
        note = (
            _l(lang, " (la de tu proyecto)", " (your project's key)")
            if project_key
            else _l(
                lang,
                " (de ejemplo; dime otra tonalidad si quieres)",
                " (as an example — name any key you like)",
            )
        )
    chords = diatonic_chords(key)
    row = " · ".join(f"{c.numeral} {c.triad}" for c in chords)
    sevenths = " · ".join(c.seventh for c in chords)
    style = STYLE_TABLE.get(q.styles[0]) if q.styles else None
    pool = style.harmony if style else ("emotional" if key.mode == "minor" else "happy")
    progs = "; ".join(progressions(key, pool, 3))
    lines = [
        _l(
            lang,
            f"Acordes de {key_label(key, lang)}{note}:",
            f"Chords in {key_label(key, lang)}{note}:",
        ),
        row,
        _l(lang, f"Con séptimas: {sevenths}.", f"With sevenths: {sevenths}."),
        _l(
            lang,
            f"Progresiones que funcionan{' en ' + style.label if style else ''}: {progs}.",
            f"Progressions that work{' in ' + style.label if style else ''}: {progs}.",
        ),
    ]
    if key.mode == "minor":
        dominant = key.notes[4]
        raised = _raise(key.notes[6])
        lines.append(
            _l(
                lang,
                f"Truco: cambia v por V ({dominant} o {dominant}7) subiendo la 7ª "
                f"({key.notes[6]} → {raised}, menor armónica) para una cadencia más fuerte "
                f"hacia {key.symbol}.",
                f"Tip: swap v for V ({dominant} or {dominant}7) by raising the 7th "
                f"({key.notes[6]} → {raised}, harmonic minor) for a stronger pull back to "
                f"{key.symbol}.",
            )
        )
    else:
        ii, v, i = chords[1].triad, chords[4].triad, chords[0].triad
        lines.append(
            _l(
                lang,
                f"La cadencia ii–V–I ({ii}–{v}–{i}) es la base del jazz y el "
                f"lo-fi; {chords[5].triad} es la relativa menor.",
                f"The ii–V–I cadence ({ii}–{v}–{i}) is the backbone of jazz and lo-fi; "
                f"{chords[5].triad} is the relative minor.",
            )
        )
    return "\n".join(lines)


def _raise(name: str) -> str:
    return name[:-1] if name.endswith("b") and len(name) > 1 else name + "#"


_SCALE = Vocab("notas|notes|nota|note|escala|escalas|scale|scales|pentatonic*|pentatonica*")


def score_scale(q: Query, ctx: ChatContext) -> float:
    if not q.has(_SCALE):
        return 0.0
    return 7.0 if q.key is not None else 0.0


def answer_scale(q: Query, ctx: ChatContext) -> str:
    lang = q.lang
    key = q.key
    assert key is not None
    notes = key.notes
    steps = SCALE_STEPS[key.mode] + (12,)
    gaps = [steps[k + 1] - steps[k] for k in range(7)]
    pattern = " ".join(_l(lang, "T" if g == 2 else "S", "W" if g == 2 else "H") for g in gaps)
    relative = relative_of(key)
    penta_idx = (0, 1, 2, 4, 5) if key.mode == "major" else (0, 2, 3, 4, 6)
    penta = " ".join(notes[k] for k in penta_idx)
    lines = [f"{key_label(key, lang)}: {' – '.join(notes)}"]
    if lang == "es":
        lines[0] += f" ({', '.join(_solfege(n) for n in notes)})"
    lines.append(
        _l(
            lang,
            f"Patrón: {pattern} (T = tono, S = semitono). Armadura: {_signature(key, lang)}. "
            f"Relativa {'menor' if key.mode == 'major' else 'mayor'}: {key_label(relative, lang)}, "
            "con las mismas notas.",
            f"Steps: {pattern} (W = whole, H = half). Key signature: {_signature(key, lang)}. "
            f"Relative {'minor' if key.mode == 'major' else 'major'}: {key_label(relative, lang)}, "
            "with the same notes.",
        )
    )
    lines.append(
        _l(
            lang,
            f"Pentatónica {'mayor' if key.mode == 'major' else 'menor'}: {penta}.",
            f"{key.mode.capitalize()} pentatonic: {penta}.",
        )
    )
    if key.mode == "minor":
        raised = _raise(notes[6])
        lines.append(
            _l(
                lang,
                f"Menor armónica: sube la 7ª ({notes[6]} → {raised}).",
                f"Harmonic minor: raise the 7th ({notes[6]} → {raised}).",
            )
        )
    return "\n".join(lines)


_RELATIVE = Vocab("relativ*")


def score_relative(q: Query, ctx: ChatContext) -> float:
    return (8.0 if q.key is not None else 4.5) if q.has(_RELATIVE) else 0.0


def answer_relative(q: Query, ctx: ChatContext) -> str:
    lang = q.lang
    key = q.key
    example = key is None
    if key is None:
        project_key = _project_key(ctx.project) if ctx.project else None
        key = project_key or SpelledKey("C", 0, "major")
    rel = relative_of(key)
    other = _l(
        lang,
        "menor" if key.mode == "major" else "mayor",
        "minor" if key.mode == "major" else "major",
    )
    parallel = SpelledKey(key.letter, key.alter, "minor" if key.mode == "major" else "major")
    lead = (
        _l(
            lang,
            "Cada tonalidad mayor tiene una relativa menor con las mismas notas (y al "
            "revés). Por ejemplo: ",
            "Every major key has a relative minor with the same notes (and vice versa). "
            "For example: ",
        )
        if example
        else ""
    )
    degree = _l(
        lang,
        "6º grado" if key.mode == "major" else "3er grado",
        "6th degree" if key.mode == "major" else "3rd degree",
    )
    return lead + _l(
        lang,
        f"La relativa {other} de {key_label(key, lang)} es {key_label(rel, lang)}: mismas siete "
        f"notas ({' '.join(key.notes)}) y misma armadura, pero otro centro (el {degree}). No la "
        f"confundas con la homónima, {key_label(parallel.plain(), lang)}, que comparte tónica "
        "pero no notas. Pasar de una a otra es la forma más suave de cambiar de color.",
        f"The relative {other} of {key_label(key, lang)} is {key_label(rel, lang)}: the same "
        f"seven notes ({' '.join(key.notes)}) and key signature, but a different home (the "
        f"{degree}). Don't confuse it with the parallel key, {key_label(parallel.plain(), lang)}, "
        "which shares the tonic but not the notes. Moving between relatives is the smoothest "
        "way to change colour.",
    )


_CIRCLE = Vocab(
    "circulo de quintas|circle of fifths|circulo de cuartas|circle of fourths|quintas|fifths|"
    "camelot|mezcla armonica|harmonic mixing|mixed in key|tonalidades compatibles|"
    "compatible keys|vecin*|neighbo*"
)


def score_circle(q: Query, ctx: ChatContext) -> float:
    if not q.has(_CIRCLE):
        return 0.0
    return 8.0 if q.key is not None else 7.0


def answer_circle(q: Query, ctx: ChatContext) -> str:
    lang = q.lang
    key = q.key
    if key is None:
        majors = "C – G – D – A – E – B – F#/Gb – Db – Ab – Eb – Bb – F"
        minors = "Am – Em – Bm – F#m – C#m – G#m – D#m/Ebm – Bbm – Fm – Cm – Gm – Dm"
        return _l(
            lang,
            "El círculo de quintas ordena las 12 tonalidades subiendo de quinta en quinta; cada "
            "paso añade un sostenido (o quita un bemol), así que las vecinas comparten 6 de sus 7 "
            f"notas.\nMayores: {majors}\nRelativas menores: {minors}\n"
            "Para qué sirve: las tonalidades vecinas modulan con suavidad, la vecina de la "
            "derecha es la dominante (V) y la de la izquierda la subdominante (IV), y los DJ lo "
            "usan como rueda Camelot para mezclar temas compatibles. Pregúntame por una "
            "tonalidad concreta y te digo sus vecinas.",
            "The circle of fifths orders the 12 keys by rising fifths; each step adds a sharp "
            "(or removes a flat), so neighbours share 6 of their 7 notes.\n"
            f"Majors: {majors}\nRelative minors: {minors}\n"
            "Why it matters: neighbouring keys modulate smoothly, the neighbour clockwise is the "
            "dominant (V) and counter-clockwise the subdominant (IV), and DJs use it as the "
            "Camelot wheel to mix compatible tracks. Ask about a specific key and I'll give you "
            "its neighbours.",
        )
    up = SpelledKey(key.notes[4][0], _alteration(key.notes[4]), key.mode).plain()
    down = SpelledKey(key.notes[3][0], _alteration(key.notes[3]), key.mode).plain()
    rel = relative_of(key)
    compatible = [up, down, rel]
    codes = ", ".join(f"{k.symbol} {camelot(k)}" for k in compatible)
    return _l(
        lang,
        f"{key_label(key, lang)} en el círculo de quintas: una quinta arriba está "
        f"{key_label(up, lang)} y una quinta abajo {key_label(down, lang)}; su relativa es "
        f"{key_label(rel, lang)}. Armadura: {_signature(key, lang)}.\n"
        f"En Camelot es {camelot(key)}; mezcla bien con {codes}. Comparten 6 o 7 notas, así que "
        "modular o mezclar entre ellas suena natural.",
        f"{key_label(key, lang)} on the circle of fifths: a fifth up is {key_label(up, lang)} "
        f"and a fifth down is {key_label(down, lang)}; its relative is {key_label(rel, lang)}. "
        f"Key signature: {_signature(key, lang)}.\n"
        f"In Camelot it's {camelot(key)}; it mixes well with {codes}. They share 6 or 7 notes, "
        "so modulating or mixing between them sounds natural.",
    )


_INTERVAL = Vocab(
    "intervalo*|interval*|distancia|distance|cuantos semitonos|how many semitones|"
    "semitonos hay|semitones between|semitones from"
)
_INTERVAL_WORDS = Vocab(
    "quinta|fifth|tercera|third|cuarta|fourth|sexta|sixth|segunda|second|tritono|tritone|"
    "unisono|unison"
)


def score_interval(q: Query, ctx: ChatContext) -> float:
    if q.has(_INTERVAL):
        return 8.0 if len(q.notes) >= 2 else 4.5
    if q.has(_INTERVAL_WORDS) and q.defining and not q.has(_CHORDS):
        return 4.0
    return 0.0


def answer_interval(q: Query, ctx: ChatContext) -> str:
    lang = q.lang
    if len(q.notes) >= 2:
        low, high = q.notes[0], q.notes[1]
        up = (high.pc - low.pc) % 12
        down = (12 - up) % 12
        name_up = _INTERVAL_NAMES[up][0 if lang == "es" else 1]
        name_down = _INTERVAL_NAMES[down][0 if lang == "es" else 1]
        use = _INTERVAL_USES.get(up)
        if lang == "es":
            low_name, high_name = (f"{_solfege(n.name)} ({n.name})" for n in (low, high))
        else:
            low_name, high_name = low.name, high.name
        text = _l(
            lang,
            f"De {low_name} subiendo a {high_name} hay {up} semitono{'s' * (up != 1)}: "
            f"{name_up}. Bajando son {down} ({name_down}); un intervalo y su inversión "
            "siempre suman 12.",
            f"From {low_name} up to {high_name} is {up} semitone{'s' * (up != 1)}: a {name_up}. "
            f"Going down it's {down} (a {name_down}); an interval and its inversion always add "
            "up to 12.",
        )
        if use:
            text += _l(lang, f" La {name_up} es {use[0]}.", f" The {name_up} is {use[1]}.")
        return text
    table = " · ".join(f"{n} {_INTERVAL_NAMES[n][0 if lang == 'es' else 1]}" for n in range(13))
    return _l(
        lang,
        "Un intervalo es la distancia entre dos notas, contada en semitonos:\n"
        f"{table}.\nLa tercera decide si un acorde es mayor (4) o menor (3); la quinta (7) es la "
        "más estable y el tritono (6) el más tenso. Pregúntame por dos notas, por ejemplo "
        "«¿qué intervalo hay entre Do y Sol?».",
        "An interval is the distance between two notes, counted in semitones:\n"
        f"{table}.\nThe third decides whether a chord is major (4) or minor (3); the fifth (7) is "
        "the most stable and the tritone (6) the most tense. Ask me about two notes, e.g. "
        "'what interval is C to G?'.",
    )


# --- mood → key and chords ----------------------------------------------------------------------

_MOOD_HARMONY = Vocab(
    "tonalidad|key|keys|escala|scale|acorde*|chord*|progresion*|progression*|armonia|harmony|"
    "notas|notes|modo|mode|suena|sound*|suene"
)


def score_mood(q: Query, ctx: ChatContext) -> float:
    if q.mood is None or q.has(_PROJECT_REF):
        return 0.0
    if q.has(_MOOD_HARMONY):
        return 8.0 if q.key is not None and q.has(_CHORDS) else 6.5
    return 2.0


def answer_mood(q: Query, ctx: ChatContext) -> str:
    lang = q.lang
    mood = q.mood or "chill"
    style_slug = q.styles[0] if q.styles else MOOD_STYLE.get(mood, DEFAULT_STYLE)
    profile = STYLE_TABLE[style_slug]
    key = q.key or SpelledKey.from_symbol(default_key(profile, mood))
    mode = key.mode
    pool = pool_for(profile, mood)  # the pool the engine itself would use
    progs = "; ".join(progressions(key, pool, 3))
    tip_es, tip_en = kb.MOOD_TIPS.get(mood, ("", ""))
    name = _mood_name(mood, lang)
    mode_word = _l(lang, "menor" if mode == "minor" else "mayor", mode)
    return _l(
        lang,
        f"Para algo {name}: tonalidad {mode_word}. Con {key_label(key, lang)}, prueba "
        f"{progs}. {tip_es}\nPídemelo directamente: «{profile.label.lower()} {name} en "
        f"{key_label(key, lang).split(' (')[0]}».",
        f"For something {name}: a {mode_word} key. In {key_label(key, lang)}, try {progs}. "
        f"{tip_en}\nOr just ask me: '{name} {profile.label.lower()} in "
        f"{key_label(key, lang).split(' (')[0]}'.",
    )


# --- genres -------------------------------------------------------------------------------------

_GENRE_FOCUS = Vocab(
    "bpm|tempo|tempos|velocidad|speed|how fast|rapido|lento|fast|faster|slow|slower|swing|"
    "groove|ritmo|rhythm|patron*|"
    "pattern*|acordes|chords|armonia|harmony|progresion*|progression*|estructura|structure|"
    "caracteristic*|characteristic*|typical|tipic*|sobre|about|hablame|tell me|diferencia*|"
    "difference*|vs|versus|compar*"
)
_TEMPO_FOCUS = Vocab("bpm|tempo|tempos|velocidad|speed|how fast|rapido|fast|slow|lento")
_DRUMS_FOCUS = Vocab(
    "bateria|drums|drum|beat|beats|patron*|pattern*|ritmo|rhythm|groove|swing|"
    "kick|bombo|hats|caja|snare"
)
_BASS_FOCUS = Vocab("bajo|bass|bassline|808|sub")
_HARMONY_FOCUS = Vocab(
    "acorde*|chord*|armonia|harmony|progresion*|progression*|tonalidad|key|escala|scale"
)
_FORM_FOCUS = Vocab(
    "estructura|structure|forma|form|secciones|sections|arreglo|arrangement|"
    "compases|bars|largo|long|dura"
)
_STYLE_LIST = Vocab("estilos|styles|generos|genres|genero|genre")


def _topic_match(q: Query) -> float:
    return max((score for _, score in _topic_scores(q)), default=0.0)


def score_genre(q: Query, ctx: ChatContext) -> float:
    if not q.styles:
        return 0.0
    base = 2.5 if q.vague_style else 5.0
    if q.has(_GENRE_FOCUS) or q.defining or len(q.styles) > 1:
        return base + 2.0
    return 2.5 if _topic_match(q) > 0 else base


def _style_head(p: StyleProfile, lang: Lang) -> str:
    low, high = (_fmt(v, lang, 1) for v in p.bpm_range)
    return _l(
        lang,
        f"{p.label}: normalmente entre {low} y {high} BPM; MusiaIA usa "
        f"{_fmt(p.bpm, lang, 1)} por defecto.",
        f"{p.label}: typically {low}–{high} BPM; MusiaIA uses {_fmt(p.bpm, lang, 1)} by default.",
    )


def _form_line(p: StyleProfile, lang: Lang) -> str:
    names_es = {
        "build": "subida",
        "verse": "estrofa",
        "chorus": "estribillo",
        "pre-chorus": "pre-estribillo",
        "bridge": "puente",
    }
    parts = []
    for s in FORMS[p.form]:
        name = s.label or (names_es.get(s.kind, s.kind) if lang == "es" else s.kind)
        parts.append(f"{name} {s.bars}")
    seconds = song_seconds(p.default_bars, p.bpm)
    return _l(
        lang,
        f"Forma: {' · '.join(parts)}. Por defecto {p.default_bars} compases "
        f"(≈{_clock(seconds)} a {_fmt(p.bpm, lang, 1)} BPM).",
        f"Form: {' · '.join(parts)}. Default length {p.default_bars} bars "
        f"(≈{_clock(seconds)} at {_fmt(p.bpm, lang, 1)} BPM).",
    )


def _style_key(p: StyleProfile) -> SpelledKey:
    return SpelledKey.from_symbol(default_key(p, None))


def _genre_lines(p: StyleProfile, lang: Lang, focus: set[str]) -> list[str]:
    notes = kb.GENRE_NOTES.get(p.slug)
    lines = [_style_head(p, lang)]
    everything = not focus
    if notes and (everything or "drums" in focus):
        lines.append(_l(lang, f"Batería: {notes.drums_es}.", f"Drums: {notes.drums_en}."))
        if p.swing > 0.5:
            swing = round(p.swing * 100)
            lines.append(
                _l(
                    lang,
                    f"Swing en MusiaIA: {swing} % en las semicorcheas.",
                    f"MusiaIA's swing: {swing}% on the 16ths.",
                )
            )
    if notes and (everything or "bass" in focus):
        lines.append(_l(lang, f"Bajo: {notes.bass_es}.", f"Bass: {notes.bass_en}."))
    if notes and (everything or "harmony" in focus):
        key = _style_key(p)
        progs = "; ".join(progressions(key, p.harmony, 2))
        lines.append(
            _l(
                lang,
                f"Armonía: {notes.harmony_es}. En {key.symbol}: {progs}.",
                f"Harmony: {notes.harmony_en}. In {key.symbol}: {progs}.",
            )
        )
    if everything or "form" in focus:
        lines.append(_form_line(p, lang))
    return lines


def answer_genre(q: Query, ctx: ChatContext) -> str:
    lang = q.lang
    profiles = [STYLE_TABLE[s] for s in q.styles if s in STYLE_TABLE][:3]
    if len(profiles) > 1:
        lines = []
        for p in profiles:
            notes = kb.GENRE_NOTES.get(p.slug)
            drums = _l(lang, notes.drums_es, notes.drums_en) if notes else ""
            lines.append(f"- {_style_head(p, lang)} {drums[:1].upper()}{drums[1:]}.")
        return "\n".join(lines)
    p = profiles[0]
    focus = {
        name
        for name, vocab in (
            ("tempo", _TEMPO_FOCUS),
            ("drums", _DRUMS_FOCUS),
            ("bass", _BASS_FOCUS),
            ("harmony", _HARMONY_FOCUS),
            ("form", _FORM_FOCUS),
        )
        if q.has(vocab)
    }
    lines = _genre_lines(p, lang, focus)
    if focus == {"tempo"}:
        seconds = song_seconds(p.default_bars, p.bpm)
        lines.append(
            _l(
                lang,
                f"A {_fmt(p.bpm, lang, 1)} BPM, {p.default_bars} compases duran {_clock(seconds)}.",
                f"At {_fmt(p.bpm, lang, 1)} BPM, {p.default_bars} bars last {_clock(seconds)}.",
            )
        )
    example_key = key_label(_style_key(p), lang).split(" (")[0]
    lines.append(
        _l(
            lang,
            f"Pruébalo: «Genera un track de {p.label.lower()} a "
            f"{_fmt(p.bpm, lang, 1)} BPM en {example_key}».",
            f"Try it: 'Make a {p.label.lower()} track at {_fmt(p.bpm, lang, 1)} BPM in "
            f"{example_key}'.",
        )
    )
    return "\n".join(lines)


def score_style_list(q: Query, ctx: ChatContext) -> float:
    return 6.0 if q.has(_STYLE_LIST) and not q.styles and not q.has(_PROJECT_REF) else 0.0


def answer_style_list(q: Query, ctx: ChatContext) -> str:
    lang = q.lang
    listing = ", ".join(f"{p.label} ({_fmt(p.bpm, lang, 1)})" for p in STYLE_TABLE.values())
    return _l(
        lang,
        f"Puedo generar {len(STYLE_TABLE)} estilos (BPM por defecto entre paréntesis): "
        f"{listing}.\nPregúntame por cualquiera («¿cómo es el techno?») o pídelo directamente.",
        f"I can generate {len(STYLE_TABLE)} styles (default BPM in brackets): {listing}.\n"
        "Ask me about any of them ('what is techno like?') or just request one.",
    )


# --- capabilities and small talk ---------------------------------------------------------------

_CAPABILITIES = Vocab(
    "que puedes hacer|que sabes hacer|what can you do|what do you do|que haces|como funciona|"
    "how does it work|how does this work|how do you work|quien eres|who are you|que eres|"
    "what are you|como te uso|como te usas|how do i use you|how do i use musiaia|"
    "how to use musiaia|como uso musiaia|what can i ask|"
    "que te puedo pedir|que puedo pedir|que puedo hacer|"
    "instrucciones|instructions|comandos|commands|funciones|features|que es musiaia|"
    "what is musiaia"
)
_HELP = Vocab("ayuda|help|ayudame|socorro|ejemplos|examples|example|ejemplo|musiaia")


def score_capabilities(q: Query, ctx: ChatContext) -> float:
    if q.has(_CAPABILITIES):
        return 6.0
    return 2.5 if q.has(_HELP) else 0.0


def answer_capabilities(q: Query, ctx: ChatContext) -> str:
    n = len(STYLE_TABLE)
    return _l(
        q.lang,
        "Soy MusiaIA, tu compañero para Ableton Live. Puedo:\n"
        "- Componer un tema completo (batería, bajo, acordes, pads, melodía, FX y secciones) a "
        "partir de una frase: estilo, BPM, tonalidad, compases, ambiente y qué partes quieres o "
        f"no. Conozco {n} estilos, del house al lo-fi.\n"
        "- Modificar tu último proyecto: más rápido o más lento, otra tonalidad, añadir o quitar "
        "partes, batería más cargada, una melodía nueva… Cada cambio crea una versión nueva "
        "(v2, v3…).\n"
        "- Darte el set como .als o .zip, enviarlo a Live si el Remote Script está conectado, y "
        "buscar sonidos en tu biblioteca de samples.\n"
        "- Resolver dudas de teoría, estilos, mezcla y Ableton, y contarte datos de tu proyecto "
        "o de tu set de Live.\n"
        "Prueba: «Genera un track de house a 124 BPM en La menor», «techno oscuro en Fa menor, "
        "64 compases, sin lead» o «hazlo más rápido y añade un arpegio».",
        "I'm MusiaIA, your companion for Ableton Live. I can:\n"
        "- Compose a full track (drums, bass, chords, pads, lead, FX and sections) from one "
        "sentence: style, BPM, key, bars, mood and which parts you want or don't. I know "
        f"{n} styles, from house to lo-fi.\n"
        "- Modify your latest project: faster or slower, another key, add or remove parts, "
        "busier drums, a new melody… Every change creates a new version (v2, v3…).\n"
        "- Give you the set as .als or .zip, send it to Live when the Remote Script is "
        "connected, and search your sample library.\n"
        "- Answer questions about theory, styles, mixing and Ableton, and tell you about your "
        "project or your Live set.\n"
        "Try: 'Make a house track at 124 BPM in A minor', 'dark techno in F minor, 64 bars, no "
        "lead' or 'make it faster and add an arp'.",
    )


_HOW_ARE_YOU = Vocab(
    "como estas|como va|que tal estas|que tal|how are you|how s it going|how is it going|"
    "como andas|como te va|how are things|whats up|what s up"
)
_THANKS = Vocab("gracias|thanks|thank you|thank|thx|ty|merci|agradezco|appreciate")
_BYE = Vocab(
    "adios|bye|goodbye|hasta luego|hasta pronto|hasta manana|chao|chau|see you|"
    "nos vemos|ciao|good night"
)


def score_social(q: Query, ctx: ChatContext) -> float:
    if q.has(_THANKS) or q.has(_BYE) or (q.has(_HOW_ARE_YOU) and len(q.words) <= 6):
        return 2.0
    return 1.5 if q.greets else 0.0


def _latest(ctx: ChatContext, lang: Lang) -> str:
    p = ctx.project
    if p is None:
        return ""
    bits = [
        STYLE_TABLE[p.style].label if p.style in STYLE_TABLE else "",
        f"{_fmt(p.bpm, lang, 2)} BPM",
        p.key or "",
    ]
    summary = ", ".join(b for b in bits if b)
    return _l(
        lang,
        f" Tu último proyecto es «{p.name}» ({summary}).",
        f" Your latest project is '{p.name}' ({summary}).",
    )


def answer_social(q: Query, ctx: ChatContext) -> str:
    lang = q.lang
    if q.has(_THANKS):
        return _l(
            lang,
            "¡De nada! Si quieres, hago otra versión o te explico cualquier parte del tema.",
            "You're welcome! I can make another version or explain any part of the track.",
        )
    if q.has(_BYE):
        return _l(
            lang,
            "¡Hasta pronto! Tus proyectos quedan guardados; cuando vuelvas seguimos con el último.",
            "See you soon! Your projects are saved; when you're back we can pick up the "
            "latest one.",
        )
    if q.has(_HOW_ARE_YOU) and len(q.words) <= 6:
        return _l(
            lang,
            "¡Muy bien, con ganas de hacer música! ¿Qué creamos hoy? Por ejemplo: "
            "«Genera un track de deep house a 122 BPM en Fa menor».",
            "Great, and ready to make music! What shall we create today? For example: "
            "'Make a deep house track at 122 BPM in F minor'.",
        ) + _latest(ctx, lang)
    return _l(
        lang,
        "¡Hola! Soy MusiaIA. Dime qué quieres crear — por ejemplo «Genera un track de "
        "house a 124 BPM en La menor» — o pregúntame sobre teoría, mezcla o Ableton.",
        "Hi! I'm MusiaIA. Tell me what to create — for example 'Make a house track at "
        "124 BPM in A minor' — or ask me about theory, mixing or Ableton.",
    ) + _latest(ctx, lang)


# --- the knowledge base -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _CompiledTopic:
    topic: kb.Topic
    need: tuple[tuple[Phrase, ...], ...]
    hint: tuple[Phrase, ...]


_TOPICS: tuple[_CompiledTopic, ...] = tuple(
    _CompiledTopic(t, tuple(_compile(group) for group in t.need), _compile(t.hint))
    for t in kb.ALL_TOPICS
)
_KIND_BONUS = {"concept": 2.0, "production": 1.0, "help": 1.0}


def topic_score(compiled: _CompiledTopic, q: Query) -> float:
    """Every ``need`` group must hit (3 points, +1 per extra word of the longest phrase found);
    hints add a point each, up to three; definitions favour concepts, how-tos favour advice."""
    score = 0.0
    for group in compiled.need:
        length = _longest_hit(q.content, group)
        if not length:
            return 0.0
        score += 3.0 + (length - 1)
    score += min(3, sum(1 for phrase in compiled.hint if _contains(q.content, phrase)))
    kind = compiled.topic.kind
    if (kind == "concept" and q.defining) or (kind != "concept" and q.howto):
        score += _KIND_BONUS[kind]
    return score


def _topic_scores(q: Query) -> list[tuple[kb.Topic, float]]:
    return [(c.topic, s) for c in _TOPICS if (s := topic_score(c, q)) > 0]


def _best_topic(q: Query) -> tuple[kb.Topic, float] | None:
    scored = _topic_scores(q)
    if not scored:
        return None
    return max(scored, key=lambda pair: pair[1])  # first of equals: table order decides


def score_knowledge(q: Query, ctx: ChatContext) -> float:
    best = _best_topic(q)
    return best[1] if best else 0.0


def answer_knowledge(q: Query, ctx: ChatContext) -> str:
    best = _best_topic(q)
    assert best is not None
    topic = best[0]
    text = _l(q.lang, topic.es, topic.en)
    if q.styles and not q.vague_style and topic.slug in _STYLE_ASPECT:
        text += "\n" + _style_aspect(STYLE_TABLE[q.styles[0]], _STYLE_ASPECT[topic.slug], q.lang)
    extra = _TOPIC_EXTRAS.get(topic.slug)
    if extra is not None:
        addition = extra(q, ctx)
        if addition:
            text += "\n" + addition
    return text


# Advice that has a genre-specific side: which line of GENRE_NOTES to add when a style is named.
_STYLE_ASPECT = {
    "bassline": "bass",
    "low-end": "bass",
    "eq-bass": "bass",
    "808": "bass",
    "kick": "drums",
    "hi-hats": "drums",
    "layering-drums": "drums",
    "snare-clap": "drums",
    "humanize": "drums",
    "groove-pool": "drums",
    "melody-hook": "harmony",
    "voicing": "harmony",
}


def _style_aspect(p: StyleProfile, aspect: str, lang: Lang) -> str:
    notes = kb.GENRE_NOTES[p.slug]
    es_text, en_text = {
        "bass": (notes.bass_es, notes.bass_en),
        "drums": (notes.drums_es, notes.drums_en),
        "harmony": (notes.harmony_es, notes.harmony_en),
    }[aspect]
    low, high = (_fmt(v, lang, 1) for v in p.bpm_range)
    return _l(
        lang,
        f"En {p.label} ({low}–{high} BPM): {es_text}.",
        f"In {p.label} ({low}–{high} BPM): {en_text}.",
    )


def _extra_bpm(q: Query, ctx: ChatContext) -> str:
    bpm, source = _tempo_for(q, ctx)
    if source == "example":
        return ""
    label = _l(
        q.lang,
        "tu proyecto, " if source == "project" else "",
        "your project, " if source == "project" else "",
    )
    return (
        _l(
            q.lang,
            f"A {_fmt(bpm, q.lang, 2)} BPM ({label}tiempos en ms): ",
            f"At {_fmt(bpm, q.lang, 2)} BPM ({label}times in ms): ",
        )
        + tempo_table(bpm, q.lang)
        + "."
    )


def _extra_swing(q: Query, ctx: ChatContext) -> str:
    swung = sorted((p for p in STYLE_TABLE.values() if p.swing > 0.5), key=lambda p: -p.swing)
    unit = _l(q.lang, " %", "%")
    listed = ", ".join(f"{p.label} {round(p.swing * 100)}{unit}" for p in swung[:6])
    return _l(
        q.lang,
        f"El swing que usa MusiaIA por estilo: {listed}.",
        f"The swing MusiaIA uses per style: {listed}.",
    )


def _extra_club_form(q: Query, ctx: ChatContext) -> str:
    return (
        _l(q.lang, "Forma de club de MusiaIA: ", "MusiaIA's club form: ")
        + " · ".join(f"{s.kind} {s.bars}" for s in FORMS["club"])
        + "."
    )


def _extra_key(q: Query, ctx: ChatContext) -> str:
    key = _project_key(ctx.project) if ctx.project else None
    if key is None:
        return ""
    return _l(
        q.lang,
        f"Tu proyecto está en {key_label(key, q.lang)}.",
        f"Your project is in {key_label(key, q.lang)}.",
    )


def _extra_time_signature(q: Query, ctx: ChatContext) -> str:
    bpm = _tempo_for(q, ctx)[0]
    tempo, bar = _fmt(bpm, q.lang, 2), _fmt(song_seconds(1, bpm), q.lang, 2)
    sixteen = _fmt(song_seconds(16, bpm), q.lang, 1)
    return _l(
        q.lang,
        f"A {tempo} BPM, un compás de 4/4 dura {bar} s y 16 compases {sixteen} s.",
        f"At {tempo} BPM a 4/4 bar lasts {bar} s and 16 bars {sixteen} s.",
    )


def _extra_version_hint(q: Query, ctx: ChatContext) -> str:
    p = ctx.project
    if p is None:
        return ""
    return _l(
        q.lang,
        f"Tu proyecto «{p.name}» está ahora en la v{p.version}.",
        f"Your project '{p.name}' is currently at v{p.version}.",
    )


_TOPIC_EXTRAS: dict[str, Callable[[Query, ChatContext], str]] = {
    "bpm": _extra_bpm,
    "swing": _extra_swing,
    "drop": _extra_club_form,
    "build": _extra_club_form,
    "breakdown": _extra_club_form,
    "key": _extra_key,
    "time-signature": _extra_time_signature,
    "modify": _extra_version_hint,
    "versions": _extra_version_hint,
}


# --- fallback -----------------------------------------------------------------------------------


def answer_fallback(q: Query, ctx: ChatContext) -> str:
    return _l(
        q.lang,
        "No tengo una respuesta preparada para eso sin conexión, y prefiero no inventarla. Puedo "
        "ayudarte con teoría (escalas, acordes, relativas, círculo de quintas, intervalos), "
        "estilos (BPM, batería, bajo, armonía), producción y mezcla (sidechain, EQ, compresión, "
        "reverb, mastering), Ableton (warping, Drum Rack, Simpler, Groove Pool) y los datos de "
        "tu proyecto o de Live. Con una clave de API configurada (GLM46_API_KEY o "
        "MINIMAX_API_KEY) o un modelo local (MUSIAIA_LLM_LOCAL_BASE_URL) puedo conversar con más "
        "libertad.\n"
        "Prueba: «¿qué acordes tiene Re menor?», «¿cómo hago sidechain?» o «Genera un track de "
        "techno a 130 BPM».",
        "I don't have an offline answer for that, and I'd rather not make one up. I can help "
        "with theory (scales, chords, relative keys, circle of fifths, intervals), styles (BPM, "
        "drums, bass, harmony), production and mixing (sidechain, EQ, compression, reverb, "
        "mastering), Ableton (warping, Drum Rack, Simpler, Groove Pool) and facts about your "
        "project or Live set. With an API key configured (GLM46_API_KEY or MINIMAX_API_KEY) or a "
        "local model (MUSIAIA_LLM_LOCAL_BASE_URL) I can chat more freely.\n"
        "Try: 'what chords are in D minor?', 'how do I sidechain?' or 'Make a techno track at "
        "130 BPM'.",
    )


# ================================================================================ router

ROUTES: tuple[Route, ...] = (
    Route("live", score_live, answer_live),
    Route("project", score_project, answer_project),
    Route("tempo-math", score_tempo_math, answer_tempo_math),
    Route("chord-notes", score_chord_notes, answer_chord_notes),
    Route("interval", score_interval, answer_interval),
    Route("relative", score_relative, answer_relative),
    Route("circle", score_circle, answer_circle),
    Route("mood", score_mood, answer_mood),
    Route("key-chords", score_key_chords, answer_key_chords),
    Route("scale", score_scale, answer_scale),
    Route("style-list", score_style_list, answer_style_list),
    Route("genre", score_genre, answer_genre),
    Route("capabilities", score_capabilities, answer_capabilities),
    Route("knowledge", score_knowledge, answer_knowledge),
    Route("social", score_social, answer_social),
)


def route(message: str, context: ChatContext) -> tuple[str, Query]:
    """Which route answers ``message`` ("fallback" when none scores) and the message as read."""
    q = Query(message, context.language)
    best_name, best_score = "fallback", 0.0
    for r in ROUTES:
        score = r.score(q, context)
        if score > best_score:
            best_name, best_score = r.name, score
    return best_name, q


_BY_NAME = {r.name: r for r in ROUTES}


def offline_answer(message: str, context: ChatContext) -> str:
    """A concise, helpful answer to a chat message in ``context.language``, computed offline.

    Deterministic: the same message and context always give the same text.
    """
    name, q = route(message, context)
    if name == "fallback":
        return answer_fallback(q, context)
    text = _BY_NAME[name].answer(q, context).strip()
    if name != "social" and q.greets:
        text = _l(q.lang, "¡Hola! ", "Hi! ") + text
    return text or answer_fallback(q, context)
