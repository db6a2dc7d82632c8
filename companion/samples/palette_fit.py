"""Choosing by the palette table: the kit sound a style names, and how the table ranks the
producer's own samples.

For the built-in kit the table decides outright (the zone of a multi-sampled instrument nearest
the part's register stands for the whole instrument; :mod:`companion.sounds` expands it). A library
sample gains when its name or tags carry the words the table gives the slot ("909", "reese",
"rhodes"…) and the mood's character words, and loses when it carries a word the mood avoids (a
"dark" pad on a happy song). A melodic sample that names another instrument than the table's pick
(an "organ" where lo-fi asks for a Rhodes, a "reese" where trap asks for an 808) falls below
every acceptable library score: the kit's sound the table names plays instead. A sample that
names no instrument keeps the library-first rule.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import PurePath

from companion.kit.catalogue import INSTRUMENT_BY_NAME, KIT_BY_FILENAME, KIT_BY_NAME
from companion.music.roles import ROLE_RANGES
from companion.samples import palette

WORD_MATCH = 0.3  # the sample is what the table asks for ("reese" for a drum & bass bass)
MOOD_MATCH = 0.1
MOOD_CLASH = 0.5
OTHER_SOUND = 2.0  # more than any sample can gain: it never beats the table's kit sound
_SPLIT = re.compile(r"[^a-z0-9]+")


def candidate_words(path: str, tags: Iterable[str]) -> set[str]:
    stem = PurePath(path).stem.lower()
    return {w for w in _SPLIT.split(stem) if w} | {t.lower() for t in tags}


def library_bonus(path: str, tags: Iterable[str], slot: str, part: str, style, mood) -> float:
    """How much the table and the mood like a library sample for a slot."""
    words = candidate_words(path, tags)
    bonus = 0.0
    wanted = palette.words_of(style, mood, slot, part)
    if wanted and words & set(wanted):
        bonus += WORD_MATCH
    feel = palette.mood_sound(mood)
    if part != "drums" and part != "fx":
        if names_other_sound(words, wanted):
            bonus -= OTHER_SOUND
        if words & set(feel.avoid):
            bonus -= MOOD_CLASH
        elif words & set(feel.prefer):
            bonus += MOOD_MATCH
    return bonus


def names_other_sound(words: set[str], wanted: Iterable[str]) -> bool:
    """The sample names an instrument, and none of those the table's pick names."""
    mine = palette.sound_families(words)
    theirs = palette.sound_families(wanted)
    return bool(mine and theirs and not mine & theirs)


def kit_sound_name(path: str) -> str | None:
    sound = KIT_BY_FILENAME.get(PurePath(path).name)
    return sound.name if sound else None


def kit_pick_name(slot: str, part: str, style, mood) -> str | None:
    """The kit file stem the table chooses for a slot (for a melodic part, the zone of the
    chosen instrument nearest the middle of the part's register)."""
    pick = palette.choice(style, mood, slot, part)
    if pick is None:
        return None
    if pick.sound in KIT_BY_NAME and KIT_BY_NAME[pick.sound].instrument is None:
        return pick.sound
    instrument = INSTRUMENT_BY_NAME.get(pick.sound)
    if instrument is None:
        return None
    low, high = ROLE_RANGES.get(part, (48, 84))
    centre = (low + high) / 2
    root = min(instrument.roots, key=lambda r: (abs(r - centre), r))
    return next(s.name for s in instrument.zone_sounds() if s.root_note == root)
