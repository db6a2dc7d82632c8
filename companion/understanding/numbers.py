"""Spanish and English number words ("ciento veinticuatro", "treinta y dos", "sixty-four").

Producers write tempos and lengths in words as often as in digits, especially when dictating.
This module only reads *folded* words (lowercase, no accents, hyphens already split) so it is
independent of how the parser tokenizes; it never guesses: a sequence that does not follow the
normal grammar of numbers ends the number instead of being forced into one.
"""

from __future__ import annotations

from collections.abc import Sequence

# Words that add their value. Spanish compounds up to 29 are single words ("veinticuatro").
_SPANISH: dict[str, int] = {
    "cero": 0,
    "uno": 1,
    "dos": 2,
    "tres": 3,
    "cuatro": 4,
    "cinco": 5,
    "seis": 6,
    "siete": 7,
    "ocho": 8,
    "nueve": 9,
    "diez": 10,
    "once": 11,
    "doce": 12,
    "trece": 13,
    "catorce": 14,
    "quince": 15,
    "dieciseis": 16,
    "diecisiete": 17,
    "dieciocho": 18,
    "diecinueve": 19,
    "veinte": 20,
    "veintiun": 21,
    "veintiuno": 21,
    "veintidos": 22,
    "veintitres": 23,
    "veinticuatro": 24,
    "veinticinco": 25,
    "veintiseis": 26,
    "veintisiete": 27,
    "veintiocho": 28,
    "veintinueve": 29,
    "treinta": 30,
    "cuarenta": 40,
    "cincuenta": 50,
    "sesenta": 60,
    "setenta": 70,
    "ochenta": 80,
    "noventa": 90,
    "cien": 100,
    "ciento": 100,
    "doscientos": 200,
    "doscientas": 200,
    "trescientos": 300,
    "trescientas": 300,
    "cuatrocientos": 400,
    "cuatrocientas": 400,
    "quinientos": 500,
    "quinientas": 500,
    "seiscientos": 600,
    "seiscientas": 600,
    "setecientos": 700,
    "setecientas": 700,
    "ochocientos": 800,
    "ochocientas": 800,
    "novecientos": 900,
    "novecientas": 900,
}
_ENGLISH: dict[str, int] = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fourty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_ADDITIVE: dict[str, int] = {**_SPANISH, **_ENGLISH}

# Words that multiply what came before ("dos mil", "one hundred").
_MULTIPLIER: dict[str, int] = {"mil": 1000, "thousand": 1000, "hundred": 100}

SPANISH_NUMBER_WORDS = frozenset(_SPANISH) | {"mil", "y"}
ENGLISH_NUMBER_WORDS = frozenset(_ENGLISH) | {"hundred", "thousand", "and"}

# Connectors inside a number: "treinta y dos", "one hundred and twenty".
_CONNECTORS = frozenset({"y", "and"})

# Words that are numbers only when they clearly are: "once" is English, "uno"/"one" are pronouns
# ("hazme uno", "make one"). The parser accepts them alone only right before a unit.
AMBIGUOUS_ALONE = frozenset({"once", "uno", "one"})


def is_number_word(word: str) -> bool:
    """True for a word that can start or continue a spelled-out number."""
    return word in _ADDITIVE or word in _MULTIPLIER


def _trailing_zeros(value: int) -> int:
    count = 0
    while value and value % 10 == 0:
        value //= 10
        count += 1
    return count


def read_number(words: Sequence[str], start: int) -> tuple[int, int] | None:
    """Read a spelled-out number at ``words[start]``.

    Returns ``(value, words_consumed)`` or ``None`` when no number starts there. The grammar is
    the usual one: each added word must be smaller than the place it fills (after "veinte" only a
    unit may follow; after "ciento" anything below 100), "y"/"and" only join valid parts, and
    "mil"/"thousand"/"hundred" multiply. "a hundred" is accepted; a bare "a" is not a number.
    """
    position = start
    total = 0
    current = 0
    last: int | None = None  # the last additive or multiplied magnitude, to check place values
    consumed_any = False

    if position < len(words) and words[position] == "a":
        if position + 1 < len(words) and words[position + 1] in ("hundred", "thousand"):
            current, last = 1, 1
            position += 1
            consumed_any = True
        else:
            return None

    while position < len(words):
        word = words[position]
        if word in _CONNECTORS and consumed_any and last is not None:
            following = words[position + 1] if position + 1 < len(words) else ""
            value = _ADDITIVE.get(following)
            if value is None:
                break
            if word == "y":
                # Spanish joins only tens 30-90 with a unit: "treinta y dos".
                if not (30 <= last <= 90 and last % 10 == 0 and 1 <= value <= 9):
                    break
            elif last < 100 or value >= 100:  # English "and" follows hundred/thousand
                break
            position += 1
            continue
        if word in _ADDITIVE:
            value = _ADDITIVE[word]
            if last is not None and value >= 10 ** _trailing_zeros(last):
                break
            if last is not None and last == 0:
                break
            current += value
            last = value
        elif word in _MULTIPLIER:
            factor = _MULTIPLIER[word]
            if factor == 100 and not 0 < current < 100:
                break
            if factor == 1000 and (current >= 1000 or last == 1000):
                break
            current = (current or 1) * factor
            if factor == 1000:
                total += current
                current = 0
            last = factor
        else:
            break
        consumed_any = True
        position += 1

    if not consumed_any:
        return None
    return total + current, position - start
