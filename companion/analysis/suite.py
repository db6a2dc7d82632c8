"""The 20 reference requests the quality suite and the benchmark table run through the engine.

Varied on purpose: 17 styles, moods, sharp and flat keys, user tempos, a 6/8 piece, a 32-bar song,
include/exclude edits. Shared by tests/test_quality.py and benchmarks/quality_report.py so the
figures the report prints are exactly the ones the tests gate.
"""

from __future__ import annotations

from companion.requirements import Requirements

QUALITY_REQUESTS: tuple[tuple[str, Requirements, int], ...] = (
    ("house Am 124", Requirements(style="house", bpm=124, key="Am"), 1),
    ("techno dark +lead", Requirements(style="techno", mood="dark", include=["lead"]), 2),
    ("trap C#m", Requirements(style="trap", key="C#m"), 3),
    ("dnb chill", Requirements(style="drum-and-bass", mood="chill"), 4),
    ("reggaeton F#m 96", Requirements(style="reggaeton", key="F#m", bpm=96), 5),
    ("lo-fi chill 78", Requirements(style="lo-fi", mood="chill", bpm=78), 6),
    ("ambient dreamy", Requirements(style="ambient", mood="dreamy"), 7),
    ("pop happy Eb", Requirements(style="pop", mood="happy", key="Eb"), 8),
    ("deep-house melancholic", Requirements(style="deep-house", mood="melancholic"), 9),
    ("uk-garage Gm", Requirements(style="uk-garage", key="Gm"), 10),
    ("synthwave epic Dm", Requirements(style="synthwave", mood="epic", key="Dm"), 11),
    ("disco happy Bb", Requirements(style="disco", mood="happy", key="Bb"), 12),
    ("dubstep aggressive", Requirements(style="dubstep", mood="aggressive"), 13),
    ("hip-hop Gm 90", Requirements(style="hip-hop", key="Gm", bpm=90), 14),
    ("afro-house hypnotic", Requirements(style="afro-house", mood="hypnotic"), 15),
    (
        "trance euphoric G#m 138",
        Requirements(style="trance", mood="euphoric", key="G#m", bpm=138),
        16,
    ),
    ("tech-house +vocals", Requirements(style="tech-house", include=["vocals"]), 17),
    ("pop 6/8 Ab 48 bars", Requirements(style="pop", key="Ab", time_signature="6/8", bars=48), 18),
    ("progressive Db 32 bars", Requirements(style="progressive-house", key="Db", bars=32), 19),
    (
        "edm energetic -hats +arp",
        Requirements(style="edm", mood="energetic", exclude=["hats"], include=["arp"]),
        20,
    ),
)
