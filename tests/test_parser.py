"""Offline parser: Spanish and English requests → Requirements / Adjustments / language.

Each case asserts the *whole* Requirements (so a stray key, mood or part is a failure), and
modification cases assert the whole Adjustments as well.
"""

from __future__ import annotations

from typing import Any

import pytest

from companion.requirements import Adjustments, Requirements
from companion.understanding.numbers import read_number
from companion.understanding.parser import (
    MAX_REQUEST_CHARS,
    detect_language,
    parse_requirements,
    understand,
)


def expected(**fields: Any) -> dict[str, Any]:
    return Requirements(**fields).model_dump()


def check_requirements(text: str, fields: dict[str, Any]) -> None:
    got = parse_requirements(text).model_dump()
    assert got == expected(**fields), text


# ------------------------------------------------------------------- generation requests

GENERATE_CASES: list[tuple[str, dict[str, Any]]] = [
    # flagship
    ("Genera un track de house a 124 BPM en La menor", dict(style="house", bpm=124, key="Am")),
    (
        "Make a deep house track at 122 bpm in F# minor with pads and no vocals",
        dict(style="deep-house", bpm=122, key="F#m", include=["pads"], exclude=["vocals"]),
    ),
    ("Hazme un reggaeton oscuro a 95", dict(style="reggaeton", bpm=95, mood="dark")),
    ("reggaeton oscuro a 95", dict(style="reggaeton", bpm=95, mood="dark")),
    ("TECHNO 130 BPM", dict(style="techno", bpm=130)),
    ("techno en Fa#m", dict(style="techno", key="F#m")),
    ("un trap en Lam a 140", dict(style="trap", bpm=140, key="Am")),
    ("Genera un track en Si bemol menor", dict(key="Bbm")),
    ("Crea un tema de pop en Mi bemol mayor", dict(style="pop", key="Eb")),
    ("drum & bass a 174 en Do sostenido menor", dict(style="drum-and-bass", bpm=174, key="C#m")),
    (
        "hazme un drum'n'bass a 174 con un bajo reese",
        dict(style="drum-and-bass", bpm=174, include=["bass"]),
    ),
    ("dnb at 172 bpm", dict(style="drum-and-bass", bpm=172)),
    ("un jungle a 170", dict(style="drum-and-bass", bpm=170)),
    ("genera un house a ciento veinticuatro", dict(style="house", bpm=124)),
    ("techno de treinta y dos compases", dict(style="techno", bars=32)),
    ("lo-fi hip hop at seventy five bpm, sixteen bars", dict(style="lo-fi", bpm=75, bars=16)),
    ("un tema de dieciséis compases en compás de 6/8", dict(bars=16, time_signature="6/8")),
    (
        "Hola! Hazme un tema de afro house a 122 con percusión y voces",
        dict(style="afro-house", bpm=122, include=["percussion", "vocals"]),
    ),
    (
        "Generate a progressive house track, 128 BPM, in the key of G",
        dict(style="progressive-house", bpm=128, key="G"),
    ),
    ("crea un techno minimal a 126 en Sol menor", dict(style="minimal-techno", bpm=126, key="Gm")),
    ("minimal techno 125", dict(style="minimal-techno", bpm=125)),
    (
        "Quiero un tech house a 126 bpm con un bajo potente y palmas",
        dict(style="tech-house", bpm=126, include=["bass", "clap"]),
    ),
    (
        "hazme un beat de trap oscuro a 140 con 808",
        dict(style="trap", bpm=140, mood="dark", include=["bass"]),
    ),
    ("make me a boom bap beat at 90 bpm", dict(style="boom-bap", bpm=90)),
    ("dame un lofi a 80 relajado en Re", dict(style="lo-fi", bpm=80, key="D", mood="chill")),
    ("un house en re", dict(style="house", key="D")),
    (
        "Produce an uplifting trance track at 138 in E minor, 32 bars",
        dict(style="trance", bpm=138, key="Em", bars=32, mood="uplifting"),
    ),
    ("quiero algo triste y melancólico en Mi menor", dict(key="Em", mood="sad")),
    (
        "synthwave a 100 en 4/4 con arpegio y pads",
        dict(style="synthwave", bpm=100, time_signature="4/4", include=["arp", "pads"]),
    ),
    ("un vals en Fa mayor", dict(key="F", time_signature="3/4")),
    ("waltz in D major", dict(key="D", time_signature="3/4")),
    ("una canción de pop alegre en Do mayor", dict(style="pop", key="C", mood="happy")),
    ("una canción en Sol", dict(key="G")),
    (
        "un dubstep agresivo a 140 sin melodía",
        dict(style="dubstep", bpm=140, mood="aggressive", exclude=["lead"]),
    ),
    (
        "UK garage 2-step at 132 bpm with vocal chops",
        dict(style="uk-garage", bpm=132, include=["vocals"]),
    ),
    ("afrohouse 120 bpm", dict(style="afro-house", bpm=120)),
    ("disco funky a 118 con acordes de piano", dict(style="disco", bpm=118, include=["chords"])),
    ("Crea una pista de reggaetón a noventa y cinco bpm", dict(style="reggaeton", bpm=95)),
    ("reguetón perreo a 96", dict(style="reggaeton", bpm=96)),
    ("un dembow a 118", dict(style="reggaeton", bpm=118)),
    (
        "make a 3/4 ambient piece, dreamy, no drums",
        dict(style="ambient", mood="dreamy", time_signature="3/4", exclude=["drums"]),
    ),
    (
        "compás ternario, ambient, etéreo",
        dict(style="ambient", mood="dreamy", time_signature="3/4"),
    ),
    ("música ambiental tranquila", dict(style="ambient", mood="chill")),
    ("7/8 techno", dict(style="techno", time_signature="7/8")),
    ("un tema de 64 compases de house", dict(style="house", bars=64)),
    ("hazme un house a 124, tonalidad La menor", dict(style="house", bpm=124, key="Am")),
    ("key: F#m, 140 bpm, trap", dict(style="trap", bpm=140, key="F#m")),
    ("hi, can you make a dark techno track at 132?", dict(style="techno", bpm=132, mood="dark")),
    ("¿Puedes hacerme un reggaeton a 95?", dict(style="reggaeton", bpm=95)),
    ("a 92.5 bpm lo-fi", dict(style="lo-fi", bpm=92.5)),
    ("un hip hop a 92,5 pulsaciones por minuto", dict(style="hip-hop", bpm=92.5)),
    ("rap a 90 ppm", dict(style="hip-hop", bpm=90)),
    ("tempo 128, tech house", dict(style="tech-house", bpm=128)),
    ("hazme un techno de 130", dict(style="techno", bpm=130)),
    ("música electrónica tipo techno a 128", dict(style="techno", bpm=128)),
    ("una canción de electrónica", dict(style="edm")),
    ("Make an A minor techno track at 128", dict(style="techno", bpm=128, key="Am")),
    ("A minor techno track at 128", dict(style="techno", bpm=128, key="Am")),
    ("B flat house at 120", dict(style="house", bpm=120, key="Bb")),
    ("Bb major, 120 bpm, disco", dict(style="disco", bpm=120, key="Bb")),
    ("trance in A flat major", dict(style="trance", key="Ab")),
    ("techno in the key of E", dict(style="techno", key="E")),
    ("synthwave in F sharp minor", dict(style="synthwave", key="F#m")),
    ("house in Am at 124", dict(style="house", bpm=124, key="Am")),
    ("hazme un techno en Dom", dict(style="techno", key="Cm")),
    ("un house en La#m", dict(style="house", key="Bbm")),
    ("ambient en Sibm", dict(style="ambient", key="Bbm")),
    ("un pop en La m", dict(style="pop", key="Am")),
    ("Techno. La menor. 130.", dict(style="techno", key="Am")),
    ("TECHNO EN LA MENOR A 130 BPM", dict(style="techno", bpm=130, key="Am")),
    ("un house en Mi, 124 bpm", dict(style="house", bpm=124, key="E")),
    ("genera un house en La, con bajo", dict(style="house", key="A", include=["bass"])),
    ("un deep house en el tono de Mi", dict(style="deep-house", key="E")),
    ("con bajo, pads y un lead", dict(include=["bass", "pads", "lead"])),
    ("sin batería ni voces", dict(exclude=["drums", "vocals"])),
    ("with drums and bass but no lead", dict(include=["drums", "bass"], exclude=["lead"])),
    ("un track de house con bajo potente", dict(style="house", include=["bass"])),
    (
        "I don't want any vocals, give me a trap beat at 140",
        dict(style="trap", bpm=140, exclude=["vocals"]),
    ),
    ("no quiero voces, hazme un trap", dict(style="trap", exclude=["vocals"])),
    ("quiero un track de techno y no quiero bajo", dict(style="techno", exclude=["bass"])),
    ("un set de dnb sin voces", dict(style="drum-and-bass", exclude=["vocals"])),
    (
        "techno sin bombo a 130 con hi-hats abiertos",
        dict(style="techno", bpm=130, include=["hats"], exclude=["kick"]),
    ),
    (
        "house con charles, caja y palmas, sin efectos",
        dict(style="house", include=["hats", "snare", "clap"], exclude=["fx"]),
    ),
    (
        "trap with 808s, hi hats and a dark melody",
        dict(style="trap", mood="dark", include=["bass", "hats", "lead"]),
    ),
    ("mi nuevo disco necesita un tema de house", dict(style="house")),
    (
        "un house para la pista con colchón y teclado",
        dict(style="house", include=["pads", "chords"]),
    ),
    (
        "hazme un techno hipnótico a 132 con arpegios",
        dict(style="techno", bpm=132, mood="hypnotic", include=["arp"]),
    ),
    ("a romantic pop song in C major", dict(style="pop", key="C", mood="romantic")),
    ("un trance eufórico con risers", dict(style="trance", mood="euphoric", include=["fx"])),
    ("something mysterious, 100 bpm", dict(bpm=100, mood="mysterious")),
    ("un funk enérgico a 110", dict(style="funk", bpm=110, mood="energetic")),
    ("boom bap chill at ninety bpm", dict(style="boom-bap", bpm=90, mood="chill")),
    ("un house para relajarse", dict(style="house", mood="chill")),
    ("deep house emotivo", dict(style="deep-house", mood="melancholic")),
    ("an emotional trance track", dict(style="trance", mood="melancholic")),
    ("un pop fiestero", dict(style="pop", mood="happy")),
    ("epic edm drop, 128", dict(style="edm", mood="epic")),
    ("uk garage in 4/4, happy vibe", dict(style="uk-garage", time_signature="4/4", mood="happy")),
    ("un trap latino de sesenta y cuatro compases a 140", dict(style="trap", bpm=140, bars=64)),
    ("Make a 16 bar loop of techno at 135", dict(style="techno", bpm=135, bars=16)),
    ("un loop de 8 compases", dict(bars=8)),
    ("una intro de 8 compases y 64 compases en total", dict(bars=64)),
    ("hazme un house con un break cada 16 compases", dict(style="house")),
    ("a house track, 32 measures", dict(style="house", bars=32)),
    ("un beat de boom bap en seis por ocho", dict(style="boom-bap", time_signature="6/8")),
    ("¿Qué tal un techno a 130?", dict(style="techno", bpm=130)),
    (
        "I want a dark techno track, 130 bpm, 64 bars, in C minor, with acid bass and no vocals",
        dict(
            style="techno",
            bpm=130,
            bars=64,
            key="Cm",
            mood="dark",
            include=["bass"],
            exclude=["vocals"],
        ),
    ),
    (
        "Necesito una base de trap a 140 bpm en Do# menor, con 808 y hi-hats rápidos",
        dict(style="trap", bpm=140, key="C#m", include=["bass", "hats"]),
    ),
]


@pytest.mark.parametrize(("text", "fields"), GENERATE_CASES)
def test_generation_requests(text: str, fields: dict[str, Any]) -> None:
    check_requirements(text, {"intent": "generate_project", **fields})


# --------------------------------------------------------------------- homograph traps

TRAP_CASES: list[tuple[str, dict[str, Any]]] = [
    # Article "la", "si" = if/yes, "mi" = my, "sol" = sun, English "do"/"a".
    ("hazme la canción de house", dict(style="house")),
    ("Si quieres, hazme un techno a 130", dict(style="techno", bpm=130)),
    ("sí, hazme un techno", dict(style="techno")),
    ("quiero mi track de techno a 128", dict(style="techno", bpm=128)),
    ("genera un house para el sol de verano", dict(style="house")),
    ("en la pista de baile quiero un tech house", dict(style="tech-house")),
    ("genera un house en la playa", dict(style="house")),
    ("make a track", dict()),
    ("make a house track", dict(style="house")),
    ("a 124, techno", dict(style="techno", bpm=124)),
    ("i am making a techno track", dict(style="techno")),
    ("write it in a minor key", dict(intent="chat")),
    ("make a minor techno track with a flat beat", dict(style="techno", include=["drums"])),
    (
        "A minor change to the bass line, please make a house track",
        dict(style="house", include=["bass"]),
    ),
    ("a sharp kick", dict(intent="chat")),
    ("Dom, hazme un techno", dict(style="techno")),
    ("quiero un reggaeton, la mayor parte con perreo", dict(style="reggaeton")),
    ("no tengo la menor idea de qué hacer", dict(intent="chat")),
    ("mi menor problema es el bajo", dict(intent="chat")),
    ("si menor de edad no puedo", dict(intent="chat")),
    ("en el tono de mi vida", dict(intent="chat")),
    ("hazme un techno, mi bajo favorito", dict(style="techno", include=["bass"])),
    ("gm! make me a house tune", dict(style="house")),
    ("mi nuevo disco", dict(intent="chat")),
    ("recorded in my garage, make a trap beat", dict(style="trap")),
    ("un techno a las 5", dict(style="techno")),
    ("hazme un house con más bajo", dict(style="house", include=["bass"])),
]


@pytest.mark.parametrize(("text", "fields"), TRAP_CASES)
def test_homograph_traps(text: str, fields: dict[str, Any]) -> None:
    check_requirements(text, {"intent": "generate_project", **fields})


# ------------------------------------------------------------------------- modifications

MODIFY_CASES: list[tuple[str, dict[str, Any], dict[str, Any]]] = [
    ("hazlo más rápido", {}, dict(tempo_delta=6)),
    ("hazlo mucho más rápido", {}, dict(tempo_delta=12)),
    ("hazlo un poco más rápido", {}, dict(tempo_delta=3)),
    ("hazlo mucho más lento", {}, dict(tempo_delta=-12)),
    ("más lento", {}, dict(tempo_delta=-6)),
    ("slower", {}, dict(tempo_delta=-6)),
    ("make it way faster", {}, dict(tempo_delta=12)),
    ("speed it up a bit", {}, dict(tempo_delta=3)),
    ("slow it down", {}, dict(tempo_delta=-6)),
    ("baja el tempo", {}, dict(tempo_delta=-6)),
    ("sube el tempo 5 bpm", {}, dict(tempo_delta=5)),
    ("sube 4 bpm", {}, dict(tempo_delta=4)),
    ("10 bpm slower", {}, dict(tempo_delta=-10)),
    ("make it 5 bpm faster", {}, dict(tempo_delta=5)),
    ("¿lo puedes hacer más rápido?", {}, dict(tempo_delta=6)),
    ("sube el tempo a 128", dict(bpm=128), {}),
    ("set the tempo to 128", dict(bpm=128), {}),
    ("ponlo a 128 bpm", dict(bpm=128), {}),
    ("súbelo a 130", dict(bpm=130), {}),
    ("cambia la tonalidad a Re menor", dict(key="Dm"), {}),
    ("cambia de La menor a Re menor", dict(key="Dm"), {}),
    ("pásalo a Fa#m", dict(key="F#m"), {}),
    ("ahora en Re menor", dict(key="Dm"), {}),
    ("change the key to E flat", dict(key="Eb"), {}),
    ("sube un tono", {}, dict(transpose=2)),
    ("transpón un tono", {}, dict(transpose=2)),
    ("up a semitone", {}, dict(transpose=1)),
    ("una octava abajo", {}, dict(transpose=-12)),
    ("Transpón la canción una octava arriba", {}, dict(transpose=12)),
    ("transpose down 3 semitones", {}, dict(transpose=-3)),
    ("sube dos semitonos", {}, dict(transpose=2)),
    ("baja medio tono", {}, dict(transpose=-1)),
    ("down a whole step", {}, dict(transpose=-2)),
    ("quita el lead", dict(exclude=["lead"]), {}),
    ("añade un arpegio", dict(include=["arp"]), {}),
    ("add a pad", dict(include=["pads"]), {}),
    ("quita la batería y añade voces", dict(include=["vocals"], exclude=["drums"]), {}),
    ("remove the hats and add a clap", dict(include=["clap"], exclude=["hats"]), {}),
    ("drop the vocals", dict(exclude=["vocals"]), {}),
    ("mute the bass", dict(exclude=["bass"]), {}),
    ("make the drums busier", {}, dict(density={"drums": 1})),
    ("más batería", {}, dict(density={"drums": 1})),
    ("batería más cargada", {}, dict(density={"drums": 1})),
    ("ponle más bajo", {}, dict(density={"bass": 1})),
    ("más bombo", {}, dict(density={"kick": 1})),
    ("menos notas en el bajo", {}, dict(density={"bass": -1})),
    ("sparser hats", {}, dict(density={"hats": -1})),
    ("less hats", {}, dict(density={"hats": -1})),
    ("make the bass simpler", {}, dict(density={"bass": -1})),
    ("la batería un poco más simple", {}, dict(density={"drums": -1})),
    ("simplifica el bajo", {}, dict(density={"bass": -1})),
    ("make the drums busier and the hats sparser", {}, dict(density={"drums": 1, "hats": -1})),
    (
        "más simple",
        {},
        dict(density={"drums": -1, "bass": -1, "chords": -1, "lead": -1, "arp": -1}),
    ),
    (
        "hazlo más minimal",
        {},
        dict(density={"drums": -1, "bass": -1, "chords": -1, "lead": -1, "arp": -1}),
    ),
    ("otra melodía", {}, dict(regenerate=["lead"])),
    ("new bassline", {}, dict(regenerate=["bass"])),
    ("cambia el bajo", {}, dict(regenerate=["bass"])),
    ("regenera los acordes", {}, dict(regenerate=["chords"])),
    ("una melodía nueva", {}, dict(regenerate=["lead"])),
    ("try a different arp", {}, dict(regenerate=["arp"])),
    ("otra melodía y más batería", {}, dict(regenerate=["lead"], density={"drums": 1})),
    ("más largo", {}, dict(bars_delta=16)),
    ("hazlo más corto", {}, dict(bars_delta=-16)),
    ("make it longer", {}, dict(bars_delta=16)),
    ("añade 8 compases", {}, dict(bars_delta=8)),
    ("quita 8 compases", {}, dict(bars_delta=-8)),
    ("make it 64 bars", dict(bars=64), {}),
    ("hazlo de treinta y dos compases", dict(bars=32), {}),
    ("hazlo más oscuro", dict(mood="dark"), {}),
    ("now make it darker", dict(mood="dark"), {}),
    ("que sea más alegre", dict(mood="happy"), {}),
    ("cámbialo a techno", dict(style="techno"), {}),
    ("make it drum and bass", dict(style="drum-and-bass"), {}),
    (
        "hazlo más rápido y más oscuro, sin voces",
        dict(mood="dark", exclude=["vocals"]),
        dict(tempo_delta=6),
    ),
]


@pytest.mark.parametrize(("text", "fields", "adjustments"), MODIFY_CASES)
def test_modification_requests(
    text: str, fields: dict[str, Any], adjustments: dict[str, Any]
) -> None:
    understanding = understand(text)
    assert understanding.requirements.model_dump() == expected(intent="modify_project", **fields), (
        text
    )
    assert understanding.adjustments.model_dump() == Adjustments(**adjustments).model_dump(), text


def test_generation_carries_no_adjustments() -> None:
    # "más rápido" inside a request for a new track is not an edit of an old one.
    understanding = understand("Hazme un track de house más rápido y con más batería")
    assert understanding.requirements.intent == "generate_project"
    assert understanding.adjustments.is_empty()


# -------------------------------------------------------------------------------- chat

CHAT_CASES: list[tuple[str, dict[str, Any]]] = [
    ("¿qué es un compás?", {}),
    ("qué es un compás", {}),
    ("hola", {}),
    ("gracias!", {}),
    ("what can you do?", {}),
    ("how do I sidechain?", {}),
    ("¿cómo estás?", {}),
    ("¿qué acordes tiene La menor?", dict(key="Am")),
    ("¿Cuál es el mejor tempo para house?", dict(style="house")),
    ("explain sidechain compression", {}),
    ("thanks, that sounds great", {}),
    ("¿tienes algo de house?", dict(style="house")),
    ("Am I able to use samples?", {}),
    ("what is a pad?", {}),
    ("¿Live soporta 2000 bpm?", {}),
    ("quiero aprender a hacer techno", dict(style="techno")),
    ("hola, ¿qué tal?", {}),
    ("teach me how to make a bassline", {}),
]


@pytest.mark.parametrize(("text", "fields"), CHAT_CASES)
def test_chat_messages(text: str, fields: dict[str, Any]) -> None:
    understanding = understand(text)
    assert understanding.requirements.model_dump() == expected(intent="chat", **fields), text
    assert understanding.adjustments.is_empty()


# ------------------------------------------------------------------------------ errors


@pytest.mark.parametrize("text", ["", "   ", "\n\t  "])
def test_empty_request_is_rejected(text: str) -> None:
    with pytest.raises(ValueError, match="empty request"):
        understand(text)


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("Genera un deep house a 2000 bpm", "2000"),
        ("a 2000 bpm", "2000"),
        ("techno at 10 bpm", "10"),
        ("tempo 1500", "1500"),
        ("un house a dos mil bpm", "2000"),
    ],
)
def test_out_of_range_tempo_is_an_error(text: str, shown: str) -> None:
    with pytest.raises(ValueError, match=rf"tempo {shown} BPM is outside Live's range 20–999"):
        parse_requirements(text)


def test_huge_tempo_number_gives_a_clear_error() -> None:
    with pytest.raises(ValueError, match="outside Live's range"):
        parse_requirements("house at " + "9" * 400 + " bpm")


def test_ambiguous_out_of_range_number_is_not_a_tempo() -> None:
    # "a 2000" without a unit is not clearly a tempo: it is ignored, not an error.
    assert parse_requirements("un house a 2000").bpm is None


@pytest.mark.parametrize("text", ["house de 1000 compases", "techno, 0 bars", "2.5 bars"])
def test_impossible_length_is_an_error(text: str) -> None:
    with pytest.raises(ValueError, match="bars is not possible"):
        parse_requirements(text)


def test_overlong_request_is_rejected() -> None:
    with pytest.raises(ValueError, match="too long"):
        understand("techno " * (MAX_REQUEST_CHARS // 7 + 1))
    # exactly at the limit is fine
    text = ("house " * 1000)[:MAX_REQUEST_CHARS]
    assert understand(text).requirements.style == "house"


# ----------------------------------------------------------------------------- language


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Genera un track de house a 124 BPM en La menor", "es"),
        ("reggaeton oscuro a 95", "es"),
        ("¿qué es un compás?", "es"),
        ("hazlo más rápido", "es"),
        ("a ciento veinte", "es"),
        ("hola", "es"),
        ("Make a deep house track at 122 bpm", "en"),
        ("how do I sidechain?", "en"),
        ("make it way faster", "en"),
        ("lo-fi hip hop at seventy five bpm", "en"),
        ("thanks!", "en"),
    ],
)
def test_language(text: str, language: str) -> None:
    assert detect_language(text) == language
    assert understand(text).language == language


# ------------------------------------------------------------------------- number words


@pytest.mark.parametrize(
    ("words", "value", "consumed"),
    [
        ("ciento veinticuatro", 124, 2),
        ("treinta y dos", 32, 3),
        ("sesenta y cuatro compases", 64, 3),
        ("dieciseis", 16, 1),
        ("sixty four", 64, 2),
        ("one hundred and twenty four", 124, 5),
        ("a hundred", 100, 2),
        ("dos mil", 2000, 2),
        ("mil doscientos", 1200, 2),
        ("noventa y cinco bpm", 95, 3),
        ("veinte treinta", 20, 1),  # not a number sequence: stops after the first
        ("treinta y", 30, 1),  # dangling "y" is not part of the number
    ],
)
def test_read_number(words: str, value: int, consumed: int) -> None:
    assert read_number(words.split(), 0) == (value, consumed)


@pytest.mark.parametrize("words", ["a track", "house", "y dos", ""])
def test_read_number_rejects_non_numbers(words: str) -> None:
    assert read_number(words.split(), 0) is None


def test_output_is_deterministic() -> None:
    text = "Genera un techno oscuro a 130 en Fa#m con bajo y sin voces, 64 compases"
    assert understand(text) == understand(text)
    assert understand(text).requirements.model_dump() == expected(
        style="techno",
        bpm=130,
        key="F#m",
        mood="dark",
        bars=64,
        include=["bass"],
        exclude=["vocals"],
    )
