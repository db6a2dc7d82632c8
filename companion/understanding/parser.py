"""Offline, deterministic request parser: Spanish or English text → :class:`Understanding`.

The parser is the fallback when no LLM is available and the reference the LLM path is tested
against, so it must be predictable: the same text always gives the same answer, and when a word is
ambiguous ("la", "si", "mi", "a", "bajo", "disco") it prefers leaving a field empty over inventing
a value. The pipeline is: fold and tokenize once, merge spelled-out numbers, run small independent
extractors (style, key, tempo, bars, time signature, mood, parts, edits), decide the intent from
what was found, then assemble the validated models. Nothing here applies style defaults.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal, TypeVar

from companion.music.theory import normalize_key, parse_time_signature
from companion.requirements import (
    MAX_BARS,
    MAX_BPM,
    MIN_BPM,
    Adjustments,
    Intent,
    Requirements,
    Understanding,
)
from companion.understanding import lexicon as lx
from companion.understanding.numbers import (
    AMBIGUOUS_ALONE,
    ENGLISH_NUMBER_WORDS,
    SPANISH_NUMBER_WORDS,
    is_number_word,
    read_number,
)

__all__ = ["MAX_REQUEST_CHARS", "detect_language", "parse_requirements", "understand"]

MAX_REQUEST_CHARS = 4000

TEMPO_STEP = 6.0  # "más rápido" without a number
TEMPO_STEP_BIG = 12.0  # "mucho más rápido"
TEMPO_STEP_SMALL = 3.0  # "un poco más rápido"

Language = Literal["es", "en"]
T = TypeVar("T")

# ------------------------------------------------------------------------------ tokenizing

TokenKind = Literal["word", "num", "timesig", "punct", "sign"]


@dataclass(frozen=True, slots=True)
class Token:
    """One unit of the request: ``norm`` is folded for matching, ``raw`` keeps case and accents
    (capital "La" and accented "sí" are evidence about whether a word is a note name)."""

    kind: TokenKind
    norm: str
    raw: str
    value: float | None = None


_TOKEN_RE = re.compile(
    r"(?P<timesig>(?<![0-9/])[0-9]{1,2}\s*/\s*[0-9]{1,2}(?![0-9/]))"
    r"|(?P<num>[0-9]+(?:[.,][0-9]+)?)"
    r"|(?P<word>[^\W\d_]+(?:#[^\W\d_]*)?)"
    r"|(?P<sign>(?<![^\s(])[+\-](?=[0-9]))"
    r"|(?P<punct>[#?¿!¡.,;:&=%~])"
)
_BPM_DOTTED = re.compile(r"\bb\.\s?p\.\s?m\b\.?", re.IGNORECASE)
_APOSTROPHES = re.compile(r"['’`´]")

_UNIT_WORDS = lx.BARS_UNITS | lx.words(
    "bpm",
    "bpms",
    "ppm",
    "pulsaciones",
    "pulsos",
    "semitono",
    "semitonos",
    "tono",
    "tonos",
    "octava",
    "octavas",
    "semitone",
    "semitones",
    "octave",
    "octaves",
    "beats",
)


def _prepare(text: str) -> str:
    """Canonical characters before tokenizing: composed accents, ♯/♭ as #/b, "b.p.m." as bpm,
    apostrophes as spaces (so "drum'n'bass" reads "drum n bass")."""
    text = unicodedata.normalize("NFC", text).replace("♯", "#").replace("♭", "b")
    text = _BPM_DOTTED.sub(" bpm ", text)
    return _APOSTROPHES.sub(" ", text)


def _number_value(raw: str) -> float:
    """ "124" → 124, "92.5"/"92,5" → 92.5, "1,000"/"1.000" → 1000 (three digits = thousands)."""
    whole, _, fraction = raw.replace(",", ".").partition(".")
    if not fraction:
        return float(whole)
    if len(fraction) == 3:
        return float(whole + fraction)
    return float(f"{whole}.{fraction}")


def _number_norm(value: float, raw: str) -> str:
    if math.isfinite(value) and value.is_integer():
        return str(int(value))
    return raw if not math.isfinite(value) else repr(value)


def tokenize(text: str) -> list[Token]:
    """Split a request into tokens and merge spelled-out numbers ("treinta y dos" → 32)."""
    tokens: list[Token] = []
    for match in _TOKEN_RE.finditer(_prepare(text)):
        kind = match.lastgroup
        raw = match.group()
        if kind == "num":
            value = _number_value(raw)
            tokens.append(Token("num", _number_norm(value, raw), raw, value))
        elif kind == "timesig":
            tokens.append(Token("timesig", re.sub(r"\s+", "", raw), raw))
        elif kind == "word":
            tokens.append(Token("word", lx.fold(raw), raw))
        elif kind == "sign":
            tokens.append(Token("sign", raw, raw))
        else:
            tokens.append(Token("punct", raw, raw))
    return _merge_number_words(tokens)


def _merge_number_words(tokens: list[Token]) -> list[Token]:
    merged: list[Token] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.kind == "word" and (is_number_word(token.norm) or token.norm == "a"):
            run: list[str] = []
            j = i
            while j < len(tokens) and tokens[j].kind == "word" and j - i < 12:
                run.append(tokens[j].norm)
                j += 1
            found = read_number(run, 0)
            if found is not None:
                value, count = found
                after = tokens[i + count].norm if i + count < len(tokens) else ""
                if count == 1 and run[0] in AMBIGUOUS_ALONE and after not in _UNIT_WORDS:
                    found = None
            if found is not None:
                value, count = found
                raw = " ".join(t.raw for t in tokens[i : i + count])
                merged.append(Token("num", str(value), raw, float(value)))
                i += count
                continue
        merged.append(token)
        i += 1
    return merged


# ------------------------------------------------------------------------------ document


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int  # exclusive
    phrase: lx.Phrase
    value: str


class Doc:
    """Tokens plus the few document-wide facts extractors need."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = tokenize(text)
        letters = [c for c in text if c.isalpha()]
        upper = sum(1 for c in letters if c.isupper())
        # In shouted text ("TECHNO EN LA MENOR") capitals say nothing about note names.
        self.shouting = len(letters) >= 4 and upper / len(letters) > 0.6
        self.is_question = "?" in text or "¿" in text

    def __len__(self) -> int:
        return len(self.tokens)

    def norm(self, i: int) -> str:
        return self.tokens[i].norm if 0 <= i < len(self.tokens) else ""

    def kind(self, i: int) -> str:
        return self.tokens[i].kind if 0 <= i < len(self.tokens) else ""

    def is_clause_break(self, i: int) -> bool:
        return self.kind(i) == "punct" and self.norm(i) in lx.CLAUSE_PUNCT

    def sentence_initial(self, i: int) -> bool:
        return i == 0 or self.is_clause_break(i - 1)

    def clause_window(self, i: int, before: int, after: int, stop_at_comma: bool = True) -> range:
        """Indices around ``i`` that stay inside its clause."""
        stops = lx.CLAUSE_PUNCT | ({","} if stop_at_comma else set())
        lo = i
        while (
            lo > 0
            and i - lo < before
            and not (self.kind(lo - 1) == "punct" and self.norm(lo - 1) in stops)
        ):
            lo -= 1
        hi = i
        while (
            hi < len(self) - 1
            and hi - i < after
            and not (self.kind(hi + 1) == "punct" and self.norm(hi + 1) in stops)
        ):
            hi += 1
        return range(lo, hi + 1)


# Longest phrase per table, computed once. The table itself is kept in the value so its id can
# never be reused by another object; only module-level tables are passed in.
_MAX_LEN: dict[int, tuple[Mapping[lx.Phrase, object], int]] = {}


def _longest_phrase(table: Mapping[lx.Phrase, object]) -> int:
    cached = _MAX_LEN.get(id(table))
    if cached is None or cached[0] is not table:
        cached = (table, max((len(key) for key in table), default=0))
        _MAX_LEN[id(table)] = cached
    return cached[1]


def match_at(doc: Doc, i: int, table: Mapping[lx.Phrase, T]) -> tuple[lx.Phrase, T] | None:
    """Longest table phrase starting at token ``i``."""
    longest = _longest_phrase(table)
    for length in range(min(longest, len(doc) - i), 0, -1):
        key = tuple(t.norm for t in doc.tokens[i : i + length])
        if key in table:
            return key, table[key]
    return None


def find_all(doc: Doc, table: Mapping[lx.Phrase, str]) -> list[Span]:
    """Non-overlapping longest matches, left to right ("deep house" beats "house")."""
    spans: list[Span] = []
    i = 0
    while i < len(doc):
        found = match_at(doc, i, table)
        if found is None:
            i += 1
            continue
        key, value = found
        spans.append(Span(i, i + len(key), key, value))
        i += len(key)
    return spans


def _has_accent(raw: str) -> bool:
    return any(unicodedata.combining(c) for c in unicodedata.normalize("NFD", raw))


# ---------------------------------------------------------------------------------- style


def extract_styles(doc: Doc) -> list[Span]:
    """Style mentions, minus style words used as ordinary nouns ("mi nuevo disco")."""
    spans = []
    for span in find_all(doc, lx.STYLE_PHRASES):
        blocked = lx.STYLE_BLOCKED_AFTER.get(span.phrase)
        if blocked is not None and doc.norm(span.start - 1) in blocked:
            continue
        spans.append(span)
    return spans


def choose_style(spans: list[Span], prefer_last: bool) -> str | None:
    """Specific styles beat vague ones ("música electrónica tipo techno" is techno)."""
    specific = [s for s in spans if s.phrase not in lx.WEAK_STYLE_PHRASES] or spans
    if not specific:
        return None
    return (specific[-1] if prefer_last else specific[0]).value


# ------------------------------------------------------------------------------------ key

_SOLFEGE_RE = re.compile(r"^(do|re|mi|fa|sol|la|si)(#|b)?(m)?$")
_LETTER_RE = re.compile(r"^([a-g])(#|b)?(m|min|maj)?$")


@dataclass(frozen=True, slots=True)
class KeyMention:
    start: int
    end: int
    key: str


def _strict_follow(doc: Doc, j: int) -> bool:
    """After an ambiguous note name: end, punctuation, a number or a musical word."""
    if j >= len(doc) or doc.kind(j) in ("num", "timesig", "sign", "punct"):
        return True
    return doc.norm(j) in lx.STRICT_FOLLOWERS or match_at(doc, j, lx.STYLE_PHRASES) is not None


def _lenient_follow(doc: Doc, j: int) -> bool:
    """Looser follow-up once other evidence (a trigger, a capital) already points to a key."""
    if _strict_follow(doc, j) or doc.norm(j) in lx.LENIENT_FOLLOWERS:
        return True
    if doc.norm(j) in lx.PART_INTENSITY_WORDS:
        return True
    return match_at(doc, j, lx.MOOD_PHRASES) is not None or (
        match_at(doc, j, lx.PART_PHRASES) is not None
    )


def _key_trigger(doc: Doc, i: int, letter: str) -> bool:
    """ "en La", "in E", "key of E", "tonalidad: Am", "cambia la tonalidad a Re", "an A minor"."""
    previous = doc.norm(i - 1)
    if previous in lx.KEY_TRIGGERS:
        return True
    if previous == "an" and letter in ("a", "e", "f"):
        return True
    return previous in lx.KEY_LINKS and doc.norm(i - 2) in lx.KEY_NOUNS


def _capital_signal(doc: Doc, i: int) -> bool:
    """A capitalized note name mid-sentence ("house en La", "Techno, La menor")."""
    raw = doc.tokens[i].raw
    return not doc.shouting and raw[:1].isupper() and not doc.sentence_initial(i)


def _read_key(doc: Doc, i: int) -> KeyMention | None:
    """A key starting at token ``i``, or None when the words there are not clearly a key."""
    token = doc.tokens[i]
    if token.kind != "word":
        return None
    solfege = _SOLFEGE_RE.match(token.norm)
    match = solfege or _LETTER_RE.match(token.norm)
    if match is None:
        return None
    base, accidental, suffix = match.group(1), match.group(2) or "", match.group(3) or ""
    if solfege is not None:
        letter = lx.SOLFEGE[base]
        if _has_accent(token.raw):  # "sí", "mí" are words, never notes
            return None
    else:
        letter = base.upper()
    compact = bool(accidental or suffix)

    j = i + 1
    accidental_word = ""
    if not accidental:
        following = doc.norm(j)
        if following in lx.ACCIDENTAL_WORDS or (
            following == "b" and solfege is not None and doc.kind(j) == "word"
        ):
            accidental = lx.ACCIDENTAL_WORDS.get(following, "b")
            accidental_word = following
            j += 1
    mode = {"m": "minor", "min": "minor", "maj": "major"}.get(suffix)
    mode_word = ""
    if mode is None and doc.kind(j) == "word" and doc.norm(j) in lx.MODE_WORDS:
        mode_word = doc.norm(j)
        mode = lx.MODE_WORDS[mode_word]
        j += 1

    if not _accept_key(
        doc, i, j, base, solfege is not None, compact, accidental, accidental_word, mode, mode_word
    ):
        return None
    name = letter + accidental + ("m" if mode == "minor" else "")
    return KeyMention(i, j, normalize_key(name))


def _accept_key(
    doc: Doc,
    i: int,
    j: int,
    base: str,
    is_solfege: bool,
    compact: bool,
    accidental: str,
    accidental_word: str,
    mode: str | None,
    mode_word: str,
) -> bool:
    """Conservative acceptance: the more a note name doubles as a word, the more evidence."""
    raw = doc.tokens[i].raw
    norm = doc.norm(i)
    trigger = _key_trigger(doc, i, base)
    capital = _capital_signal(doc, i)
    homograph = base in lx.HOMOGRAPH_TONICS
    lowercase_a = not is_solfege and base == "a" and not raw[:1].isupper()

    if mode and lowercase_a and doc.norm(j) in lx.GENERIC_KEY_NOUNS:
        return False  # "in a minor key": some minor key, not A minor
    if "#" in norm:
        return True
    if compact:
        if mode_word:
            return True  # "Lab menor", "Eb major"
        if is_solfege:
            if norm in lx.RISKY_SOLFEGE_COMPACT:  # "Dom", "sim", "fam", "lab"
                return trigger and _lenient_follow(doc, j)
            return True  # "Lam", "Sibm", "Mib", "Rem"
        if accidental == "b" and norm.endswith("m"):
            return True  # "Bbm", "Ebm"
        if trigger:
            return _lenient_follow(doc, j)
        proper = raw[:1].isupper() and raw[1:] == raw[1:].lower()  # "Am", "Eb" but not "AM", "dB"
        if not proper:
            return False
        if norm == "am" and doc.norm(j) == "i":  # "Am I…?"
            return False
        return _strict_follow(doc, j) if doc.sentence_initial(i) else _lenient_follow(doc, j)
    if accidental:
        if accidental_word in lx.SPANISH_ACCIDENTALS or accidental_word == "#":
            return True  # "si bemol", "do sostenido"
        if accidental_word == "b":
            return True  # "Si b"
        if lowercase_a:  # "a flat beat", "a sharp kick"
            return trigger or bool(mode)
        if not homograph:
            return True  # "B flat", "F sharp minor"
    if mode:
        if not homograph:
            return True  # "Re menor", "D minor", "Sol mayor"
        if lowercase_a and not trigger:
            return False  # "make a minor techno track": too ambiguous without "in"/"key"
        if trigger or capital:
            return _lenient_follow(doc, j)
        return _strict_follow(doc, j)  # "la menor idea", "a minor change" fail here
    if not trigger:
        return False
    if homograph:
        if j >= len(doc) or doc.kind(j) == "punct":
            return not lowercase_a
        return capital and _strict_follow(doc, j)
    return _strict_follow(doc, j)


def extract_keys(doc: Doc) -> list[KeyMention]:
    mentions: list[KeyMention] = []
    i = 0
    while i < len(doc):
        mention = _read_key(doc, i)
        if mention is None:
            i += 1
            continue
        mentions.append(mention)
        i = mention.end
    return mentions


# ---------------------------------------------------------------------------------- tempo


@dataclass(frozen=True, slots=True)
class TempoMention:
    value: float
    explicit: bool  # said with a unit or "tempo": an out-of-range value is an error
    direction: int  # 0 absolute, +1/-1 a relative change ("sube 5 bpm")
    start: int
    end: int


_DRUM_MACHINES = frozenset({"808", "909", "303", "606", "707"})


def _tempo_keyword_before(doc: Doc, i: int) -> bool:
    k = i - 1
    steps = 0
    while k >= 0 and steps < 3 and doc.norm(k) in lx.TEMPO_LINKS:
        k -= 1
        steps += 1
    return doc.norm(k) in lx.TEMPO_KEYWORDS


def _change_direction(doc: Doc, i: int, end: int, up: frozenset[str], down: frozenset[str]) -> int:
    """Whether "N units" is a change ("sube 5 bpm", "8 compases más") or a value ("a 124")."""
    previous = doc.tokens[i - 1] if i > 0 else None
    if previous is not None and previous.kind == "sign":
        return 1 if previous.norm == "+" else -1
    if doc.norm(i - 1) in lx.ABSOLUTE_LINKS:
        return 0
    after = doc.norm(end)
    if after in lx.AFTER_UP:
        return 1
    if after in lx.AFTER_DOWN:
        return -1
    k = i - 1
    steps = 0
    while k >= 0 and steps < 4:
        word = doc.norm(k)
        if word in up:
            return 1
        if word in down:
            return -1
        if word not in lx.TEMPO_DELTA_FILLERS:
            break
        k -= 1
        steps += 1
    return 0


def extract_tempos(doc: Doc, styles: list[Span]) -> list[TempoMention]:
    style_ends = {span.end for span in styles}
    mentions: list[TempoMention] = []
    for i, token in enumerate(doc.tokens):
        if token.kind != "num" or token.value is None:
            continue
        value = token.value
        unit = match_at(doc, i + 1, lx.TEMPO_UNITS)
        if unit is not None:
            end = i + 1 + len(unit[0])
            direction = _change_direction(doc, i, end, lx.TEMPO_UP, lx.TEMPO_DOWN)
            mentions.append(TempoMention(value, True, direction, i, end))
            continue
        if doc.norm(i + 1) in lx.NON_TEMPO_UNITS or doc.kind(i + 1) == "timesig":
            continue
        if _tempo_keyword_before(doc, i - 1 if doc.kind(i - 1) == "sign" else i):
            direction = _change_direction(doc, i, i + 1, lx.TEMPO_UP, lx.TEMPO_DOWN)
            mentions.append(TempoMention(value, True, direction, i, i + 1))
            continue
        if token.norm in _DRUM_MACHINES or not MIN_BPM <= value <= MAX_BPM:
            continue
        previous = doc.norm(i - 1)
        implicit = previous in ("a", "at") or (
            previous == "to"
            and any(doc.norm(k) in lx.TEMPO_CONTEXT for k in range(max(0, i - 5), i - 1))
        )
        if not implicit and 40 <= value <= 300:
            # "techno 130", "un house de 124"
            implicit = i in style_ends or (previous in ("de", "a", "at") and i - 1 in style_ends)
        if implicit:
            mentions.append(TempoMention(value, False, 0, i, i + 1))
    return mentions


# ----------------------------------------------------------------------------------- bars


@dataclass(frozen=True, slots=True)
class BarsMention:
    value: float
    direction: int
    start: int


def extract_bars(doc: Doc) -> list[BarsMention]:
    """ "32 compases", "sixteen bars", "añade 8 compases" (+8); not "cada 4 compases" (a rate)
    nor "una intro de 8 compases" (a section, not the whole track)."""
    mentions: list[BarsMention] = []
    for i, token in enumerate(doc.tokens):
        if token.kind != "num" or token.value is None or doc.norm(i + 1) not in lx.BARS_UNITS:
            continue
        direction = _change_direction(doc, i, i + 2, lx.ADD_WORDS, lx.REMOVE_WORDS)
        if direction == 0:
            window = doc.clause_window(i, 3, 0)
            if doc.norm(i - 1) in lx.RATE_WORDS:
                continue
            if any(doc.norm(k) in lx.SECTION_WORDS for k in window):
                continue
            if any(doc.norm(k) in lx.ADD_WORDS for k in window):
                direction = 1
            elif any(doc.norm(k) in lx.REMOVE_WORDS for k in window):
                direction = -1
        mentions.append(BarsMention(token.value, direction, i))
    return mentions


# ------------------------------------------------------------------------ time signature


def extract_time_signature(doc: Doc) -> str | None:
    """ "4/4", "6/8", "seis por ocho", "compás ternario" → "3/4", "vals" → "3/4"."""
    for i, token in enumerate(doc.tokens):
        candidate: str | None = None
        if token.kind == "timesig":
            candidate = token.norm
        elif (
            token.kind == "num"
            and doc.norm(i + 1) == "por"
            and doc.kind(i + 2) == "num"
            and doc.norm(i + 2) in ("2", "4", "8", "16")
            and doc.norm(i) in {str(n) for n in range(1, 17)}
        ):
            candidate = f"{doc.norm(i)}/{doc.norm(i + 2)}"
        elif token.norm in lx.TIME_SIGNATURE_WORDS:
            candidate = lx.TIME_SIGNATURE_WORDS[token.norm]
        if candidate is None:
            continue
        try:
            numerator, denominator = parse_time_signature(candidate)
        except ValueError:
            continue
        return f"{numerator}/{denominator}"
    return None


# ----------------------------------------------------------------------------------- parts


@dataclass(frozen=True, slots=True)
class PartMention:
    start: int
    end: int
    part: str
    explicit_only: bool


def extract_part_mentions(doc: Doc, blocked: set[int]) -> list[PartMention]:
    """Part words, minus tokens that belong to something else ("drum and bass" is a style,
    "más bajo" after "hazlo" is "lower", "bajo el tempo" is a verb)."""
    mentions = []
    for span in find_all(doc, lx.PART_PHRASES):
        if any(k in blocked for k in range(span.start, span.end)):
            continue
        if span.phrase in (("bajo",), ("bajos",)) and _bajo_is_not_bass(doc, span.start):
            continue
        mentions.append(
            PartMention(span.start, span.end, span.value, span.phrase in lx.EXPLICIT_ONLY_PARTS)
        )
    return mentions


def _bajo_is_not_bass(doc: Doc, i: int) -> bool:
    before, after = doc.norm(i - 1), doc.norm(i + 1)
    if after in lx.BAJO_BLOCKED_AFTER or before in lx.BAJO_BLOCKED_BEFORE:
        return True
    return before in ("mas", "menos") and doc.norm(i - 2) in lx.BAJO_COPULAS


_NEGATING_TRIGGERS = frozenset(
    lx.phrase(text)
    for text in (
        "no",
        "not",
        "ni",
        "nor",
        "nada de",
        "don t",
        "dont",
        "doesn t",
        "nothing",
        "no need for",
    )
)


# Include words that start a new positive list even right after a negation ("no X, just Y").
_RESTARTING_INCLUDES = frozenset(
    lx.phrase(text) for text in ("con", "with", "just", "only", "solo", "solamente", "plus")
)


def assign_parts(
    doc: Doc, mentions: list[PartMention], skip: set[int]
) -> tuple[dict[str, int], dict[str, int], dict[str, int]]:
    """Walk the request keeping a with/without polarity so lists inherit it ("sin batería ni
    voces", "with drums and bass but no lead"). Returns the last position each part was
    included/excluded at, plus plain mentions (no polarity) in order."""
    by_start = {m.start: m for m in mentions if m.start not in skip}
    include: dict[str, int] = {}
    exclude: dict[str, int] = {}
    plain: dict[str, int] = {}
    polarity: str | None = None
    negated_at = -10
    idle = 0
    i = 0
    while i < len(doc):
        mention = by_start.get(i)
        if mention is not None:
            if polarity == "include":
                include[mention.part] = i
            elif polarity == "exclude":
                exclude[mention.part] = i
            elif not mention.explicit_only:
                plain.setdefault(mention.part, i)
            idle = 0
            i = mention.end
            continue
        include_trigger = match_at(doc, i, lx.INCLUDE_TRIGGERS)
        exclude_trigger = match_at(doc, i, lx.EXCLUDE_TRIGGERS)
        trigger = max(
            (t for t in (include_trigger, exclude_trigger) if t is not None),
            key=lambda t: len(t[0]),
            default=None,
        )
        if trigger is not None:
            key, kind = trigger
            end = i + len(key)
            if key in _NEGATING_TRIGGERS and doc.kind(end) == "punct":
                trigger = None  # "No, I meant…": an answer, not a negation
            elif (
                kind == "include"
                and polarity == "exclude"
                and key not in _RESTARTING_INCLUDES
                and i - negated_at <= 3
                and all(doc.kind(k) != "punct" for k in range(negated_at, i))
            ):
                pass  # "no quiero voces", "don't want vocals": still excluding
            else:
                polarity = kind
                if key in _NEGATING_TRIGGERS:
                    negated_at = end
                idle = 0
                i = end
                continue
        token = doc.tokens[i]
        if doc.is_clause_break(i) or token.norm in lx.LIST_BREAKS:
            polarity = None
        elif (
            token.norm in lx.LIST_WORDS
            or token.norm in lx.PART_INTENSITY_WORDS
            or token.norm in lx.DENSITY_UP_ADJ
            or token.norm in lx.DENSITY_DOWN_ADJ
            or match_at(doc, i, lx.MOOD_PHRASES) is not None
        ):
            pass
        else:
            idle += 1
            if idle > 2:
                polarity = None
        i += 1
    return include, exclude, plain


# ----------------------------------------------------------------------------------- moods


def extract_moods(doc: Doc, parts: list[PartMention]) -> list[Span]:
    """Mood words, except negated ones ("no muy oscuro") and intensity adjectives that describe
    a part ("bajo potente")."""
    part_ends = {m.end for m in parts}
    moods = []
    for span in find_all(doc, lx.MOOD_PHRASES):
        window = doc.clause_window(span.start, 2, 0)
        if any(doc.norm(k) in lx.NEGATIONS for k in window if k < span.start):
            continue
        if span.phrase[0] in lx.PART_INTENSITY_WORDS and span.start in part_ends:
            continue
        moods.append(span)
    return moods


def _comparative_before(doc: Doc, i: int) -> int:
    """+1 for "más"/"more", -1 for "menos"/"less" just before ``i`` (skipping "un poco", "a bit",
    "mucho"), else 0."""
    k = i - 1
    steps = 0
    while k >= 0 and steps < 3:
        word = doc.norm(k)
        if word in lx.COMPARATIVE_UP:
            return 1
        if word in lx.COMPARATIVE_DOWN:
            return -1
        if word not in lx.BIG_AMOUNT | lx.SMALL_AMOUNT | {
            "un",
            "a",
            "muy",
            "very",
            "aun",
            "even",
            "still",
            "todavia",
        }:
            return 0
        k -= 1
        steps += 1
    return 0


def _amount(doc: Doc, i: int, before: int = 3, after: int = 4) -> str:
    """ "big", "small" or "" from intensifiers near token ``i`` ("mucho", "un poco", "a bit")."""
    for k in doc.clause_window(i, before, after):
        if doc.norm(k) in lx.BIG_AMOUNT:
            return "big"
        if doc.norm(k) in lx.SMALL_AMOUNT:
            return "small"
    return ""


# ----------------------------------------------------------------------------- adjustments


def extract_tempo_change(doc: Doc) -> float | None:
    """ "más rápido" +6, "mucho más lento" -12, "speed it up a bit" +3, "sube el tempo" +6."""
    for i in range(len(doc)):
        word = doc.norm(i)
        following = doc.norm(i + 1)
        sign = 0
        comparative = 1 if word in lx.COMPARATIVE_UP else -1 if word in lx.COMPARATIVE_DOWN else 0
        speed = 1 if following in lx.FAST_ADJ else -1 if following in lx.SLOW_ADJ else 0
        if comparative and speed:
            sign = comparative * speed  # "más lento" -1, "menos lento" +1
        elif word in lx.FASTER_WORDS:
            sign = 1
        elif word in lx.SLOWER_WORDS:
            sign = -1
        elif word == "speed" and "up" in {doc.norm(k) for k in range(i + 1, i + 4)}:
            sign = 1
        elif word == "slow" and "down" in {doc.norm(k) for k in range(i + 1, i + 4)}:
            sign = -1
        elif word in lx.TEMPO_VERBS_UP | lx.TEMPO_VERBS_DOWN and any(
            doc.norm(k) in lx.TEMPO_OBJECTS for k in range(i + 1, min(i + 4, len(doc)))
        ):
            sign = 1 if word in lx.TEMPO_VERBS_UP else -1
        if sign:
            amount = _amount(doc, i)
            step = {"big": TEMPO_STEP_BIG, "small": TEMPO_STEP_SMALL}.get(amount, TEMPO_STEP)
            return sign * step
    return None


def extract_transpose(doc: Doc) -> int | None:
    """ "sube un tono" +2, "medio tono abajo" -1, "una octava abajo" -12, "up a semitone" +1."""
    for i in range(len(doc)):
        unit = match_at(doc, i, lx.TRANSPOSE_UNITS)
        if unit is None:
            continue
        key, semitones = unit
        previous = doc.tokens[i - 1] if i > 0 else None
        sign_token = doc.tokens[i - 2] if i > 1 else None
        count: float | None = None  # how many units
        if key[0] in ("medio", "half", "whole"):
            count = 1.0
        elif previous is not None and previous.kind == "num" and previous.value is not None:
            count = previous.value
        elif previous is not None and previous.norm in lx.ONE_WORDS:
            count = 1.0
        if count is None or not count.is_integer() or not 0 < count <= 48:
            continue
        window = [doc.norm(k) for k in doc.clause_window(i, 4, len(key) + 2)]
        if (
            sign_token is not None
            and sign_token.kind == "sign"
            and previous is not None
            and (previous.kind == "num")
        ):
            direction = 1 if sign_token.norm == "+" else -1
        elif any(w in lx.UP_WORDS for w in window):
            direction = 1
        elif any(w in lx.DOWN_WORDS for w in window):
            direction = -1
        elif any(w in lx.TRANSPOSE_VERBS for w in window):
            direction = 1
        else:
            continue  # "un tono oscuro" is a colour, not a transposition
        return int(direction * count * semitones)
    return None


def _nearest_part(
    doc: Doc,
    i: int,
    by_start: dict[int, PartMention],
    by_end: dict[int, PartMention],
    forward: int,
    backward: int,
) -> PartMention | None:
    """Part right after ``i`` (skipping determiners: "busier drums", "simplify the bass") or
    before it in the same clause ("la batería más cargada", "make the drums busier")."""
    k = i + 1
    steps = 0
    while k < len(doc) and steps <= forward:
        if k in by_start:
            return by_start[k]
        if doc.norm(k) not in lx.DETERMINERS | lx.NOTES_WORDS:
            break
        k += 1
        steps += 1
    for k in reversed(doc.clause_window(i, backward, 0)):
        if k == i:
            continue
        mention = by_end.get(k + 1)
        if mention is not None:
            return mention
        if doc.norm(k) in lx.GEN_VERBS | lx.MOD_VERBS:
            break
    return None


def extract_density(doc: Doc, parts: list[PartMention]) -> tuple[dict[str, int], set[int]]:
    """Busier/sparser per part: "make the drums busier", "batería más cargada", "más batería",
    "menos notas en el bajo", "sparser hats"; "hazlo más simple" applies to every pattern part."""
    by_start = {m.start: m for m in parts}
    by_end = {m.end: m for m in parts}
    changes: dict[str, int] = {}
    used: set[int] = set()

    def apply(part_or_none: PartMention | None, direction: int, at: int, comparative: bool) -> None:
        size = 2 if _amount(doc, at, 2, 0) == "big" else 1
        if part_or_none is not None:
            if part_or_none.start in used:
                return
            used.add(part_or_none.start)
            changes[part_or_none.part] = changes.get(part_or_none.part, 0) + direction * size
        elif comparative:
            for part in lx.GLOBAL_DENSITY_PARTS:
                changes[part] = changes.get(part, 0) + direction * size

    for i in range(len(doc)):
        word = doc.norm(i)
        if i in by_start:
            continue
        if word in lx.DENSITY_UP_ADJ or word in lx.DENSITY_DOWN_ADJ or word in lx.SIMPLIFY_VERBS:
            direction = 1 if word in lx.DENSITY_UP_ADJ else -1
            comparison = _comparative_before(doc, i)
            if comparison < 0:
                direction = -direction
            comparative = (
                bool(comparison) or word in lx.DENSITY_COMPARATIVES or (word in lx.SIMPLIFY_VERBS)
            )
            part = _nearest_part(doc, i, by_start, by_end, forward=2, backward=5)
            if part is None and word in lx.SIMPLIFY_VERBS:
                part = _nearest_part(doc, i, by_start, by_end, forward=3, backward=0)
            if part is not None or comparative:
                apply(part, direction, i, comparative)
        elif word in lx.COMPARATIVE_UP or word in lx.COMPARATIVE_DOWN:
            direction = 1 if word in lx.COMPARATIVE_UP else -1
            k = i + 1
            if doc.norm(k) in lx.NOTES_WORDS:
                part = _nearest_part(doc, k, by_start, by_end, forward=3, backward=4)
                apply(part, direction, i, True)
                continue
            if doc.norm(k) in ("de", "of"):
                k += 1
            if k in by_start:
                apply(by_start[k], direction, i, True)
    return changes, used


def extract_regenerate(doc: Doc, parts: list[PartMention]) -> tuple[list[str], set[int]]:
    """ "otra melodía", "new bassline", "cambia el bajo", "una melodía distinta"."""
    by_start = {m.start: m for m in parts}
    found: list[str] = []
    used: set[int] = set()
    for i in range(len(doc)):
        if doc.norm(i) not in lx.REGEN_TRIGGERS:
            continue
        k = i + 1
        steps = 0
        while k < len(doc) and steps < 3 and k not in by_start and doc.norm(k) in lx.DETERMINERS:
            k += 1
            steps += 1
        if k in by_start:
            found.append(by_start[k].part)
            used.add(k)
    for mention in parts:
        if doc.norm(mention.end) in lx.REGEN_POSTNOMINAL:
            found.append(mention.part)
            used.add(mention.start)
    return list(dict.fromkeys(found)), used


def extract_length_change(doc: Doc) -> int | None:
    """ "más largo" +16, "hazlo más corto" -16, "make it a bit longer" +8."""
    for i in range(len(doc)):
        word = doc.norm(i)
        sign = 0
        if word in lx.COMPARATIVE_UP and doc.norm(i + 1) in lx.LONG_ADJ:
            sign = 1
        elif word in lx.COMPARATIVE_UP and doc.norm(i + 1) in lx.SHORT_ADJ:
            sign = -1
        elif word in lx.LONGER_WORDS:
            sign = 1
        elif word in lx.SHORTER_WORDS:
            sign = -1
        if sign:
            amount = _amount(doc, i)
            size = {"big": 2, "small": 0.5}.get(amount, 1)
            return int(sign * lx.BARS_DEFAULT_DELTA * size)
    return None


# ----------------------------------------------------------------------------- production

OFF_STEPS = -3  # "sin reverb": the send off


@dataclass(frozen=True, slots=True)
class ProductionEdits:
    """Production changes in one message, and the tokens they account for."""

    reverb: dict[str, int]
    delay: dict[str, int]
    sidechain: bool | None
    sweep: bool | None
    stretch: dict[str, int]
    used_parts: set[int]  # part mentions an effect is about ("en la caja"): not additions


def _effect_direction(doc: Doc, span: Span) -> int | None:
    """+1 more, -1 less, OFF_STEPS off, from the words just before the effect ("más reverb",
    "less delay", "quita el sidechain") or just after ("the sidechain off")."""
    for k in reversed(doc.clause_window(span.start, 4, 0)):
        if k >= span.start:
            continue
        word = doc.norm(k)
        if word in lx.EFFECT_OFF:
            return OFF_STEPS
        if word in lx.EFFECT_DOWN:
            return -1
        if word in lx.EFFECT_UP:
            return 1
    for k in range(span.end, min(len(doc), span.end + 2)):
        if doc.norm(k) in ("off", "fuera"):
            return OFF_STEPS
    return None


def _effect_parts(
    doc: Doc, span: Span, by_start: dict[int, PartMention], by_end: dict[int, PartMention]
) -> list[PartMention]:
    """The parts an effect is on: named after it ("reverb en la caja y los pads") or, failing
    that, just before it in the clause ("la caja con más reverb")."""
    found: list[PartMention] = []
    k = span.end
    while k < len(doc) and k - span.end <= 6:
        if k in by_start:
            found.append(by_start[k])
            k = by_start[k].end
            continue
        if doc.norm(k) not in lx.EFFECT_LINKS | lx.COMPARATIVE_UP | lx.BIG_AMOUNT:
            break
        k += 1
    if found:
        return found
    for k in reversed(doc.clause_window(span.start, 5, 0)):
        if k < span.start and k + 1 in by_end:
            return [by_end[k + 1]]
    return []


def _stretch(doc: Doc, span: Span) -> int:
    """Extra bars a build mention asks for: "make the build longer" +8, "alarga mucho la
    subida" +16, "a bit shorter" -4."""
    for k in doc.clause_window(span.start, 5, 5):
        word = doc.norm(k)
        sign = 0
        if word in lx.LONGER_WORDS or (
            word in lx.COMPARATIVE_UP and doc.norm(k + 1) in lx.LONG_ADJ
        ):
            sign = 1
        elif word in lx.SHORTER_WORDS or (
            word in lx.COMPARATIVE_UP and doc.norm(k + 1) in lx.SHORT_ADJ
        ):
            sign = -1
        if sign:
            size = {"big": 2.0, "small": 0.5}.get(_amount(doc, k), 1.0)
            return int(sign * lx.BUILD_STEP_BARS * size)
    return 0


def extract_production(doc: Doc, effects: list[Span], parts: list[PartMention]) -> ProductionEdits:
    """Reverb and delay per part, the sidechain, a longer build and its filter sweep."""
    by_start = {m.start: m for m in parts}
    by_end = {m.end: m for m in parts}
    sends: dict[str, dict[str, int]] = {"reverb": {}, "delay": {}}
    sidechain = sweep = None
    stretch: dict[str, int] = {}
    used: set[int] = set()
    for span in effects:
        direction = _effect_direction(doc, span)
        if span.value in sends:
            if direction is None:
                continue  # "el delay del lead" names it; it does not ask for a change
            steps = (
                direction * (2 if direction == 1 and _amount(doc, span.start, 3, 0) == "big" else 1)
                if direction != OFF_STEPS
                else OFF_STEPS
            )
            targets = _effect_parts(doc, span, by_start, by_end)
            used.update(m.start for m in targets)
            default = lx.EFFECT_ALL_PARTS if steps == OFF_STEPS else lx.EFFECT_DEFAULT_PARTS
            for part in [m.part for m in targets] or list(default):
                sends[span.value][part] = sends[span.value].get(part, 0) + steps
        elif span.value == "sidechain":
            sidechain = direction is None or direction > 0
        elif span.value == "sweep":
            sweep = direction is None or direction > 0
        elif span.value == "build":
            extra = _stretch(doc, span)
            if extra:
                stretch["build"] = extra
    return ProductionEdits(
        reverb=sends["reverb"],
        delay=sends["delay"],
        sidechain=sidechain,
        sweep=sweep,
        stretch=stretch,
        used_parts=used,
    )


# --------------------------------------------------------------------------------- intent


@dataclass(frozen=True, slots=True)
class _Signals:
    content: bool  # the text describes music (style, tempo, key, parts…)
    adjustments: bool  # relative edits were found
    mood_comparative: bool  # "más oscuro", "darker"
    plain_parts: bool  # parts named without with/without ("un house con bajo" has one)
    production: bool = False  # production edits ("más reverb"): an edit unless describing a song


_SUGGESTIONS = {key: True for key in lx.SUGGESTION_OPENERS}


def _sentence_starts(doc: Doc) -> list[int]:
    return [
        i
        for i in range(len(doc))
        if doc.kind(i) != "punct"
        and (i == 0 or (doc.kind(i - 1) == "punct" and doc.norm(i - 1) in lx.CLAUSE_PUNCT | {","}))
    ]


def _is_wh_question(doc: Doc) -> bool:
    """An explanation request: "¿qué es un compás?", "how do I sidechain?", "what can you do"."""
    for i in _sentence_starts(doc):
        if match_at(doc, i, _SUGGESTIONS) is not None:
            continue
        word = doc.norm(i)
        raw = doc.tokens[i].raw
        if word in lx.WH_EN or word in lx.WH_ES_ALWAYS:
            return True
        if word in lx.WH_ES and (_has_accent(raw) or doc.is_question):
            return True
        if (
            word in ("por", "para")
            and doc.norm(i + 1) == "que"
            and (_has_accent(doc.tokens[i + 1].raw) or doc.is_question)
        ):
            return True
    return False


def _has_suggestion(doc: Doc) -> bool:
    return any(match_at(doc, i, _SUGGESTIONS) for i in _sentence_starts(doc))


def _verbs(doc: Doc) -> tuple[bool, bool]:
    """(asks to make something, asks to change something)."""
    generate = modify = False
    for i in range(len(doc)):
        word = doc.norm(i)
        pronoun_object = doc.norm(i + 1) in lx.MOD_PRONOUN_AFTER_VERB
        if word in lx.GEN_VERBS and not (word in ("make", "give") and pronoun_object):
            if word != "like" or doc.norm(i - 1) in ("d", "would"):
                generate = True
        if word in lx.MOD_VERBS and doc.norm(i - 1) not in lx.DETERMINERS - {"en", "in", "to"}:
            modify = True  # but "un set", "the drop", "un cambio" are nouns
        if match_at(doc, i, lx.MOD_PHRASES) is not None:
            modify = True
    return generate, modify


def _asks_for_new_thing(doc: Doc, language: Language, styles: list[Span]) -> bool:
    """ "un track", "a house beat", "otra canción", "hazme algo": a new project, not an edit."""
    style_starts = {span.start for span in styles}
    indefinites = lx.INDEFINITES_ES | (lx.INDEFINITES_EN if language == "en" else frozenset())
    for i in range(len(doc)):
        if doc.norm(i) not in indefinites:
            continue
        for k in range(i + 1, min(i + 4, len(doc))):
            if doc.norm(k) in lx.CREATION_NOUNS - {"algo", "something", "uno", "one"} or (
                k in style_starts
            ):
                return True
    return False


def decide_intent(doc: Doc, language: Language, styles: list[Span], signals: _Signals) -> Intent:
    if _is_wh_question(doc) or any(doc.norm(i) in lx.LEARNING_WORDS for i in range(len(doc))):
        return "chat"
    generate_verb, modify_verb = _verbs(doc)
    suggestion = _has_suggestion(doc)
    marker = any(doc.norm(i) in lx.MOD_MARKERS for i in range(len(doc)))
    new_thing = generate_verb and _asks_for_new_thing(doc, language, styles)
    something = generate_verb and any(
        doc.norm(i) in ("algo", "something", "uno", "one") for i in range(len(doc))
    )
    evidence = signals.adjustments or modify_verb or marker or signals.mood_comparative
    # "más reverb en la caja" changes the project; "un techno con mucha reverb" describes one.
    evidence = evidence or (signals.production and not signals.content)
    if (
        evidence
        and not new_thing
        and (signals.adjustments or signals.content or modify_verb or signals.production)
    ):
        return "modify_project"
    creation = generate_verb and (
        new_thing or something or any(doc.norm(i) in lx.CREATION_NOUNS for i in range(len(doc)))
    )
    if signals.content or creation or (generate_verb and signals.plain_parts):
        if doc.is_question and not (generate_verb or suggestion):
            return "chat"  # "¿tienes algo de house?"
        return "generate_project"
    return "chat"


# -------------------------------------------------------------------------------- language


def _language(doc: Doc, skip: set[int] | None = None) -> Language:
    """Score Spanish against English evidence; style names ("lo-fi", "house") are skipped."""
    skip = (
        skip
        if skip is not None
        else {k for span in extract_styles(doc) for k in range(span.start, span.end)}
    )
    spanish = english = 0.0
    for char in doc.text:
        if char in "¿¡ñÑ":
            spanish += 2
        elif char in "áéíóúÁÉÍÓÚ":
            spanish += 1
    for index, token in enumerate(doc.tokens):
        if token.kind == "num" and token.raw[:1].isalpha():  # "ciento veinte", "sixty-four"
            for word in token.raw.split():
                folded = lx.fold(word)
                spanish += folded in SPANISH_NUMBER_WORDS
                english += folded in ENGLISH_NUMBER_WORDS
            continue
        if token.kind != "word" or index in skip:
            continue
        if (
            token.norm in lx.SPANISH_HINTS
            or token.norm in lx.GEN_VERBS_ES
            or (token.norm in lx.MOD_VERBS_ES)
        ):
            spanish += 1
        elif (
            token.norm in lx.ENGLISH_HINTS
            or token.norm in lx.GEN_VERBS_EN
            or (token.norm in lx.MOD_VERBS_EN)
        ):
            english += 1
    return "es" if spanish > english else "en"


def detect_language(text: str) -> Language:
    """ "es" or "en", by Spanish/English function words, accents and ¿¡ (ties → "en")."""
    return _language(Doc(text[: MAX_REQUEST_CHARS * 2]))


# ------------------------------------------------------------------------------- assembly


def _format_number(value: float) -> str:
    if not math.isfinite(value) or abs(value) >= 1e12:
        return "an enormous number of"
    return str(int(value)) if value.is_integer() else f"{value:g}"


def _choose_tempo(mentions: list[TempoMention], prefer_last: bool, intent: Intent) -> float | None:
    absolute = [m for m in mentions if m.direction == 0]
    explicit = [m for m in absolute if m.explicit] or absolute
    if not explicit:
        return None
    chosen = explicit[-1] if prefer_last else explicit[0]
    if not MIN_BPM <= chosen.value <= MAX_BPM:
        if intent == "chat":
            return None
        shown = _format_number(chosen.value)
        what = "that tempo" if shown.startswith("an ") else f"tempo {shown} BPM"
        raise ValueError(f"{what} is outside Live's range {MIN_BPM:g}–{MAX_BPM:g} BPM")
    return chosen.value


def _choose_bars(mentions: list[BarsMention], prefer_last: bool, intent: Intent) -> int | None:
    absolute = [m for m in mentions if m.direction == 0]
    if not absolute:
        return None
    chosen = absolute[-1] if prefer_last else absolute[0]
    if not 1 <= chosen.value <= MAX_BARS or not chosen.value.is_integer():
        if intent == "chat":
            return None
        raise ValueError(
            f"a length of {_format_number(chosen.value)} bars is not possible: "
            f"use a whole number from 1 to {MAX_BARS}"
        )
    return int(chosen.value)


def _check_request(text: str) -> None:
    if not isinstance(text, str):
        raise TypeError(f"request must be text, not {type(text).__name__}")
    if not text.strip():
        raise ValueError("empty request: describe the track you want or the change to make")
    if len(text) > MAX_REQUEST_CHARS:
        raise ValueError(
            f"request too long: {len(text)} characters (the limit is {MAX_REQUEST_CHARS})"
        )


@dataclass(frozen=True, slots=True)
class _Edits:
    adjustments: Adjustments
    used_parts: set[int]  # part mentions that name the target of an edit, not an addition


def _only_production(adjustments: Adjustments) -> bool:
    """True when the edits are production ones only (or none)."""
    return Adjustments(**adjustments.production_only()) == adjustments


def extract_edits(
    doc: Doc,
    tempos: list[TempoMention],
    bars: list[BarsMention],
    parts: list[PartMention],
    effects: list[Span] | None = None,
) -> _Edits:
    """Relative edits. An explicit number wins over a default step ("sube 4 bpm" is +4, "sube
    el tempo" +6), and an absolute value cancels the step ("sube el tempo a 128" sets 128)."""
    production = extract_production(doc, effects or [], parts)
    density, density_used = extract_density(doc, parts)
    density_used -= production.used_parts
    density = {
        part: step
        for part, step in density.items()
        if not any(m.part == part and m.start in production.used_parts for m in parts)
    }
    regenerate, regen_used = extract_regenerate(doc, parts)
    tempo_delta = next((m.value * m.direction for m in tempos if m.direction), None)
    if tempo_delta is None and not any(m.direction == 0 for m in tempos):
        tempo_delta = extract_tempo_change(doc)
    bars_delta: float | None = next((m.value * m.direction for m in bars if m.direction), None)
    if bars_delta is None and not any(m.direction == 0 for m in bars) and not production.stretch:
        step = extract_length_change(doc)  # "longer" is the build's when a build is named
        bars_delta = None if step is None else float(step)
    if tempo_delta is not None and abs(tempo_delta) > MAX_BPM - MIN_BPM:
        raise ValueError(
            f"a tempo change of {_format_number(abs(tempo_delta))} BPM cannot fit Live's range "
            f"{MIN_BPM:g}–{MAX_BPM:g} BPM"
        )
    if bars_delta is not None and (abs(bars_delta) > MAX_BARS or not bars_delta.is_integer()):
        raise ValueError(
            f"a change of {_format_number(abs(bars_delta))} bars is not possible: "
            f"use a whole number up to {MAX_BARS}"
        )
    adjustments = Adjustments(
        tempo_delta=tempo_delta,
        transpose=extract_transpose(doc),
        density={part: value for part, value in density.items() if value},
        regenerate=[part for part in regenerate if part not in density],
        bars_delta=None if bars_delta is None else int(bars_delta),
        reverb=production.reverb,
        delay=production.delay,
        sidechain=production.sidechain,
        sweep=production.sweep,
        stretch=production.stretch,
    )
    return _Edits(adjustments, density_used | regen_used | production.used_parts)


def _final_parts(
    include_at: dict[str, int], exclude_at: dict[str, int], plain: dict[str, int] | None
) -> tuple[list[str], list[str]]:
    """Merge polarity and plain mentions; when a part is both added and removed, the later
    mention wins ("quita el bajo… bueno, con bajo"). Order follows the text."""
    include = dict(include_at)
    for part, at in (plain or {}).items():
        include.setdefault(part, at)
    for part in list(include):
        if part in exclude_at and exclude_at[part] > include[part]:
            del include[part]
    exclude = {part: at for part, at in exclude_at.items() if part not in include}
    return sorted(include, key=include.__getitem__), sorted(exclude, key=exclude.__getitem__)


def understand(text: str) -> Understanding:
    """Parse one producer message. Raises ValueError (with a message meant for the user) for an
    empty or overlong request, or a tempo/length that Live cannot use."""
    _check_request(text)
    doc = Doc(text)
    styles = extract_styles(doc)
    language = _language(doc, {k for span in styles for k in range(span.start, span.end)})
    keys = extract_keys(doc)
    tempos = extract_tempos(doc, styles)
    bars = extract_bars(doc)
    time_signature = extract_time_signature(doc)
    effects = find_all(doc, lx.EFFECT_PHRASES)
    blocked = {k for m in [*styles, *keys, *tempos, *effects] for k in range(m.start, m.end)}
    parts = extract_part_mentions(doc, blocked)
    moods = extract_moods(doc, parts)
    include_at, exclude_at, plain = assign_parts(doc, parts, set())

    try:
        edits = extract_edits(doc, tempos, bars, parts, effects)
    except ValueError:
        edits = None  # only an error if this turns out to be an edit request (checked below)
    signals = _Signals(
        content=bool(
            styles
            or keys
            or tempos
            or any(m.direction == 0 for m in bars)
            or time_signature
            or moods
            or include_at
            or exclude_at
        ),
        adjustments=edits is None or not _only_production(edits.adjustments),
        production=edits is not None and not edits.adjustments.is_empty(),
        mood_comparative=any(
            _comparative_before(doc, span.start) or span.phrase[0] in lx.COMPARATIVE_MOODS
            for span in moods
        ),
        plain_parts=bool(plain),
    )
    intent = decide_intent(doc, language, styles, signals)
    prefer_last = intent == "modify_project"

    adjustments = Adjustments()
    if intent == "modify_project":
        if edits is None:
            edits = extract_edits(doc, tempos, bars, parts, effects)  # raises the clear error
        adjustments = edits.adjustments
        # Parts named by an edit ("más batería", "otra melodía") are not additions.
        include_at, exclude_at, _ = assign_parts(doc, parts, edits.used_parts)
    elif intent == "generate_project" and edits is not None and edits.adjustments.sends_or_mix():
        # A new song may come with production wishes ("un techno con mucha reverb"); the parts
        # they are about ("reverb en la caja") are not parts to add.
        adjustments = Adjustments(**edits.adjustments.production_only())
        include_at, exclude_at, plain = assign_parts(doc, parts, edits.used_parts)
    include, exclude = _final_parts(
        include_at, exclude_at, plain if intent == "generate_project" else None
    )
    requirements = Requirements(
        intent=intent,
        style=choose_style(styles, prefer_last),
        bpm=_choose_tempo(tempos, prefer_last, intent),
        key=(keys[-1] if prefer_last else keys[0]).key if keys else None,
        bars=_choose_bars(bars, prefer_last, intent),
        mood=(moods[-1] if prefer_last else moods[0]).value if moods else None,
        time_signature=time_signature,
        include=include,
        exclude=exclude,
    )
    return Understanding(requirements=requirements, adjustments=adjustments, language=language)


def parse_requirements(text: str) -> Requirements:
    """The structured request alone (what ``musiaia parse`` prints)."""
    return understand(text).requirements
