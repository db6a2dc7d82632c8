"""The offline chat engine: right topic, right facts, right language, computed theory."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from companion.chat import knowledge as kb
from companion.chat.answers import (
    SpelledKey,
    camelot,
    diatonic_chords,
    find_notes,
    offline_answer,
    route,
    song_seconds,
)
from companion.chat.context import (
    ChatContext,
    LiveFacts,
    ProjectFacts,
    SectionFacts,
    TrackFacts,
)
from companion.music.styles import STYLE_TABLE

ES = ChatContext(language="es")
EN = ChatContext(language="en")

PROJECT = ProjectFacts(
    id="p1",
    name="House 124 Am",
    version=2,
    style="house",
    mood="dark",
    bpm=124,
    key="Am",
    bars=96,
    sections=[
        SectionFacts(name="Intro", kind="intro", start_bar=0, bars=16),
        SectionFacts(name="Drop", kind="drop", start_bar=16, bars=16),
        SectionFacts(name="Outro", kind="outro", start_bar=32, bars=16),
    ],
    tracks=[
        TrackFacts(name="Drums", role="drums", notes=320),
        TrackFacts(name="Bass", role="bass", notes=128),
        TrackFacts(name="Chords", role="chords", notes=96),
    ],
    chords=["Am", "F", "C", "G"],
)
LIVE = LiveFacts(
    connected=True,
    tempo=126.0,
    playing=True,
    time_signature="4/4",
    track_names=["Drums", "Bass", "Lead"],
)

# Words that only one of the two languages uses in running text.
_SPANISH_ONLY = re.compile(r"\b(el|los|las|que|tu|para|con|una|un|del|en|y|por|es|está|tiene)\b")
_ENGLISH_ONLY = re.compile(r"\b(the|you|your|with|and|is|it's|this|by|of|to|at|in)\b")


def es(message: str, **context: object) -> str:
    return offline_answer(message, ChatContext(language="es", **context))


def en(message: str, **context: object) -> str:
    return offline_answer(message, ChatContext(language="en", **context))


def assert_spanish(text: str) -> None:
    assert _SPANISH_ONLY.search(text.lower()), text
    assert not _ENGLISH_ONLY.search(text.lower()), text


def assert_english(text: str) -> None:
    assert _ENGLISH_ONLY.search(text.lower()), text
    assert not _SPANISH_ONLY.search(text.lower()), text


def chord_row(text: str) -> list[str]:
    """The chord symbols of the "i Am · ii° Bdim · …" line."""
    row = next(line for line in text.splitlines() if "·" in line and "°" in line)
    return [item.split()[1] for item in row.split(" · ")]


# ============================================================================ theory, computed


def test_chords_of_a_minor_in_spanish():
    text = es("¿qué acordes tiene La menor?")
    assert chord_row(text) == ["Am", "Bdim", "C", "Dm", "Em", "F", "G"]
    assert "ii°" in text and "VI" in text
    assert "La menor" in text
    assert_spanish(text)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("what chords are in C major?", ["C", "Dm", "Em", "F", "G", "Am", "Bdim"]),
        ("chords in F# minor", ["F#m", "G#dim", "A", "Bm", "C#m", "D", "E"]),
        ("chords of Eb major", ["Eb", "Fm", "Gm", "Ab", "Bb", "Cm", "Ddim"]),
        ("what chords go in Bbm?", ["Bbm", "Cdim", "Db", "Ebm", "Fm", "Gb", "Ab"]),
    ],
)
def test_diatonic_chords_are_computed(question, expected):
    assert chord_row(en(question)) == expected


def test_spanish_solfege_key_with_accidental():
    text = es("¿qué acordes tiene Fa sostenido menor?")
    assert chord_row(text)[0] == "F#m"
    assert "Fa sostenido menor" in text


def test_minor_key_answer_suggests_the_harmonic_minor_dominant():
    text = en("chord progression in A minor")
    assert "G → G#" in text and "E7" in text
    assert "i–VI–III–VII (Am–F–C–G)" in text


def test_sevenths_are_listed():
    text = en("chords in C major")
    assert "Cmaj7 · Dm7 · Em7 · Fmaj7 · G7 · Am7 · Bm7b5" in text


@pytest.mark.parametrize(
    ("question", "ask", "notes"),
    [
        ("notes of E major", en, "E – F# – G# – A – B – C# – D#"),
        ("notas de la escala de Re mayor", es, "D – E – F# – G – A – B – C#"),
        ("what notes are in Bb minor?", en, "Bb – C – Db – Eb – F – Gb – Ab"),
        ("notes of the Gb major scale", en, "Gb – Ab – Bb – Cb – Db – Eb – F"),
        ("escala de Do menor", es, "C – D – Eb – F – G – Ab – Bb"),
    ],
)
def test_scale_notes_are_spelled_like_a_teacher(question, ask, notes):
    assert notes in ask(question)


def test_scale_answer_details():
    text = en("notes of E major")
    assert "4 sharps" in text and "C#m" in text and "W W H W W W H" in text
    spanish = es("notas de la escala de Re mayor")
    assert "2 sostenidos" in spanish and "Si menor" in spanish and "T T S T T T S" in spanish
    assert "(Re, Mi, Fa#, Sol, La, Si, Do#)" in spanish


def test_theoretical_keys_are_respelled():
    # D# major would need F## and C##: answer in its enharmonic, Eb major.
    assert "Eb – F – G – Ab – Bb – C – D" in en("notes of D# major")


@pytest.mark.parametrize(
    ("question", "ask", "expected"),
    [
        ("relative minor of C", en, "A minor (Am)"),
        ("what's the relative major of F#m?", en, "A major (A)"),
        ("¿cuál es la relativa de Mi menor?", es, "Sol mayor (G)"),
        ("relativa menor de Fa mayor", es, "Re menor (Dm)"),
    ],
)
def test_relative_keys(question, ask, expected):
    assert expected in ask(question)


def test_circle_of_fifths_without_and_with_a_key():
    general = en("explain the circle of fifths")
    assert "C – G – D – A – E – B" in general and "Camelot" in general
    text = en("circle of fifths for G")
    assert "D major (D)" in text and "C major (C)" in text and "E minor (Em)" in text
    assert "9B" in text and "1 sharp" in text
    assert "Re mayor (D)" in es("¿cuál es el círculo de quintas de Sol?")


@pytest.mark.parametrize(
    ("key", "code"), [("Am", "8A"), ("C", "8B"), ("Fm", "4A"), ("B", "1B"), ("F#m", "11A")]
)
def test_camelot_codes(key, code):
    assert camelot(SpelledKey.from_symbol(key)) == code


def test_intervals():
    text = en("what's the interval between C and G?")
    assert "7 semitones" in text and "perfect 5th" in text and "perfect 4th" in text
    spanish = es("¿qué intervalo hay entre Do y Mi?")
    assert "4 semitonos" in spanish and "tercera mayor" in spanish
    table = en("what is an interval?")
    assert "7 perfect 5th" in table and "6 tritone" in table


@pytest.mark.parametrize(
    ("question", "ask", "expected"),
    [
        ("notes of Cmaj7", en, "Cmaj7 = C – E – G – B"),
        ("¿qué notas tiene el acorde de Re menor?", es, "Dm = D – F – A"),
        ("what notes are in a G7 chord?", en, "G7 = G – B – D – F"),
        ("F#m7b5 chord", en, "F#m7b5 = F# – A – C – E"),
        ("what are the notes in a D major chord", en, "D = D – F# – A"),
    ],
)
def test_chord_notes(question, ask, expected):
    assert expected in ask(question)


def test_chord_notes_lists_keys_where_the_chord_is_diatonic():
    text = en("notes of Cmaj7")
    assert "C (I)" in text and "G (IV)" in text and "Am (III)" in text


def test_mood_suggests_mode_and_progressions():
    text = en("what key goes well for a sad track?")
    assert "minor" in text and "–" in text
    spanish = es("¿qué acordes uso para algo oscuro?")
    assert "menor" in spanish and "i–VI" in spanish
    assert_spanish(spanish)
    happy = en("what chords sound happy?")
    assert "major" in happy


def test_diatonic_chords_helper():
    chords = diatonic_chords(SpelledKey.from_symbol("Am"))
    assert [c.triad for c in chords] == ["Am", "Bdim", "C", "Dm", "Em", "F", "G"]
    assert [c.numeral for c in chords] == ["i", "ii°", "III", "iv", "v", "VI", "VII"]


@pytest.mark.parametrize(
    "text",
    [
        "mi proyecto suena raro",
        "la mezcla está sucia",
        "Do you like it?",
        "a good kick",
        "mi mayor problema es el bajo",
        "-6 db on the master",
    ],
)
def test_homographs_are_not_notes(text):
    assert find_notes(text) == []


def test_capitals_in_shouted_or_accented_text_are_not_note_evidence():
    assert find_notes("QUE ACORDES TIENE MI PROYECTO") == []
    assert [n.name for n in find_notes("Sí, en La menor")] == ["A"]


def test_mood_with_a_key_uses_that_key():
    text = en("sad chords in D minor")
    assert "D minor (Dm)" in text and "Dm–" in text


def test_note_mentions():
    assert [n.name for n in find_notes("between C and G")] == ["C", "G"]
    assert [(n.name, n.mode) for n in find_notes("en Si bemol menor")] == [("Bb", "minor")]
    assert [(n.name, n.mode) for n in find_notes("QUE ACORDES TIENE LA MENOR")] == [("A", "minor")]


# ============================================================================ genres


@pytest.mark.parametrize("slug", sorted(STYLE_TABLE))
def test_bpm_answers_agree_with_the_engine(slug):
    profile = STYLE_TABLE[slug]
    low, high = (f"{v:g}" for v in profile.bpm_range)
    text = en(f"what BPM is {profile.label}?")
    assert f"{low}–{high} BPM" in text
    assert f"uses {profile.bpm:g} by default" in text


def test_drum_and_bass_bpm():
    text = en("what BPM is drum and bass?")
    assert "165–180 BPM" in text and "174" in text
    assert route("what BPM is drum and bass?", EN)[0] == "genre"


def test_genre_in_spanish():
    text = es("¿a qué BPM va el reggaeton?")
    assert "entre 88 y 100 BPM" in text and "95" in text
    assert_spanish(text)
    full = es("háblame del techno")
    assert "Batería:" in full and "Bajo:" in full and "Armonía:" in full and "Forma:" in full


def test_genre_harmony_is_rendered_in_the_default_key():
    text = en("what chords does deep house use?")
    assert "m7/m9" in text and "(" in text


def test_genre_comparison():
    text = en("house vs techno")
    assert "118–130" in text and "125–140" in text
    faster = en("is trance faster than techno?")
    assert "130–145" in faster and "125–140" in faster


def test_style_list():
    text = es("¿qué estilos puedes hacer?")
    assert f"{len(STYLE_TABLE)} estilos" in text
    assert all(p.label in text for p in STYLE_TABLE.values())


# ============================================================================ production knowledge


def test_knowledge_base_size_and_shape():
    assert len(kb.PRODUCTION_TOPICS) >= 30
    slugs = [t.slug for t in kb.ALL_TOPICS]
    assert len(slugs) == len(set(slugs))
    for topic in kb.ALL_TOPICS:
        assert topic.es and topic.en and topic.es != topic.en and topic.need


@pytest.mark.parametrize(
    ("question", "lang", "slug"),
    [
        ("how do I sidechain the bass to the kick?", "en", "sidechain"),
        ("¿cómo hago sidechain del bajo con el bombo?", "es", "sidechain"),
        ("¿cómo ecualizo un bombo?", "es", "eq-kick"),
        ("how should I EQ vocals?", "en", "eq-vocals"),
        ("how do I EQ my bass?", "en", "eq-bass"),
        ("compression attack and release explained", "en", "compression"),
        ("what is parallel compression?", "en", "parallel-compression"),
        ("¿reverb como envío o como insert?", "es", "reverb-delay"),
        ("my master is clipping in the red", "en", "gain-staging"),
        ("¿cuántos LUFS para Spotify?", "es", "mastering"),
        ("how do I layer kicks?", "en", "layering-drums"),
        ("how do I make my drop hit harder?", "en", "drop-impact"),
        ("¿cómo hago que suene más humano?", "es", "humanize"),
        ("how do I warp a loop?", "en", "warping"),
        ("simpler or sampler?", "en", "simpler-sampler"),
        ("¿cómo uso el Drum Rack?", "es", "drum-rack"),
        ("how does the groove pool work?", "en", "groove-pool"),
        ("session view vs arrangement view", "en", "session-arrangement"),
        ("¿qué hace consolidar?", "es", "consolidate"),
        ("should I freeze tracks?", "en", "freeze"),
        ("how to export stems", "en", "export-stems"),
        ("how do I tune my kick?", "en", "tuning-kick"),
        ("tips for 808 glides", "en", "808"),
        ("how to program hi hats", "en", "hi-hats"),
        ("¿cómo estructuro la intro para DJs?", "es", "arrangement-dj"),
        ("audio crackles, what buffer size?", "en", "cpu-latency"),
        ("¿puedo descargar el proyecto?", "es", "download"),
        ("how do I send it to Live?", "en", "send-to-live"),
        ("¿qué es un compás?", "es", "time-signature"),
        ("¿qué es el swing?", "es", "swing"),
        ("what is a breakdown?", "en", "breakdown"),
        ("what is Dorian mode?", "en", "modes"),
        ("how do I get a punchy kick?", "en", "kick"),
        ("how do I write a bassline?", "en", "bassline"),
        ("what is a reese bass?", "en", "sound-design"),
        ("how do I make my mix wider?", "en", "stereo-width"),
        ("what is the pentatonic scale?", "en", "pentatonic"),
        ("¿qué diferencia hay entre mayor y menor?", "es", "major-minor"),
        ("¿puedes cambiar la tonalidad?", "es", "modify"),
        ("what is an API key for?", "en", "llm"),
    ],
)
def test_production_questions_reach_the_right_topic(question, lang, slug):
    topic = next(t for t in kb.ALL_TOPICS if t.slug == slug)
    expected = topic.es if lang == "es" else topic.en
    answer = offline_answer(question, ChatContext(language=lang))
    assert expected in answer


def test_advice_adds_the_named_style_side():
    text = en("how do I write a bassline for techno?")
    assert "Writing a bassline" in text and "In Techno (125–140 BPM): rolling 16th" in text
    spanish = es("¿cómo programo los hats en trap?")
    assert "En Trap (130–160 BPM)" in spanish and "tresillo" in spanish


def test_sidechain_mentions_compressor_and_kick_in_each_language():
    english = en("how do I sidechain the bass to the kick?").lower()
    assert "compressor" in english and "kick" in english
    spanish = es("¿cómo hago sidechain?").lower()
    assert "compresor" in spanish and "bombo" in spanish
    assert_spanish(spanish)


def test_concepts_add_computed_facts():
    assert "UK Garage 62" in es("¿qué es el swing?")
    text = en("what is BPM?", project=PROJECT)
    assert "At 124 BPM" in text and "483.9 ms" in text
    assert "intro 16 · build 8 · drop 16" in en("what is a drop?")


def test_tempo_math():
    text = en("delay time at 128 bpm")
    assert "1/4 = 468.8 ms" in text and "dotted 1/8 = 351.6 ms" in text
    spanish = es("¿cuántos ms dura una corchea a 120 bpm?")
    assert "1/8 = 250 ms" in spanish
    assert "(el tempo de tu proyecto)" in es("¿qué tiempo de delay uso?", project=PROJECT)


# ============================================================================ project facts


def test_project_key_and_tempo():
    text = es("¿en qué tonalidad está mi proyecto?", project=PROJECT)
    assert "La menor (Am)" in text
    assert_spanish(text)
    tempo = en("what tempo is my track?", project=PROJECT)
    assert "124 BPM" in tempo and "House 124 Am" in tempo
    assert_english(tempo)


def test_project_length_is_computed():
    text = en("how long is my song?", project=PROJECT)
    # 96 bars × 4 beats × 60 / 124 BPM = 185.8 s
    assert "185.8 s" in text and "3:06" in text and "3.1 min" in text
    spanish = es("¿cuánto dura mi canción?", project=PROJECT)
    assert "185,8 s" in spanish and "3,1 min" in spanish


def test_length_respects_the_time_signature():
    waltz = PROJECT.model_copy(update={"time_signature": "6/8", "bars": 32, "bpm": 120})
    assert song_seconds(32, 120, "6/8") == pytest.approx(48.0)
    assert "48 s" in en("how long is my track?", project=waltz)


def test_project_sections_tracks_chords_version():
    sections = es("¿qué secciones tiene?", project=PROJECT)
    assert "Drop: compases 17–32 (16)" in sections and "Intro: compases 1–16" in sections
    tracks = en("which tracks does my project have?", project=PROJECT)
    assert "Drums (drums, 320 notes)" in tracks and "3 tracks" in tracks
    chords = en("what chords does my song use?", project=PROJECT)
    assert "Am (i)" in chords and "F (VI)" in chords and "G (VII)" in chords
    harmonic = PROJECT.model_copy(update={"chords": ["Am", "Dm", "E7"]})
    assert "E7 (V)" in en("what chords does my song use?", project=harmonic)
    version = es("¿qué versión es?", project=PROJECT)
    assert "v2" in version and "v3" in version


def test_project_overview():
    text = es("háblame de mi proyecto", project=PROJECT)
    assert "House" in text and "124 BPM" in text and "96 compases" in text and "Intro 16" in text


@pytest.mark.parametrize(
    ("question", "ask", "marker"),
    [
        ("what tempo is my track?", en, "don't have a project"),
        ("¿en qué tonalidad está mi proyecto?", es, "ningún proyecto"),
        ("¿qué secciones tiene?", es, "ningún proyecto"),
    ],
)
def test_no_project_says_so(question, ask, marker):
    text = ask(question)
    assert marker in text and "124 BPM" in text  # suggests a request instead of inventing
    assert "BPM en La menor" in text or "BPM in A minor" in text


# ============================================================================ Live


@pytest.mark.parametrize("live", [None, LiveFacts(connected=False)])
def test_live_not_connected_gives_instructions(live):
    text = en("what's playing in Live?", live=live)
    assert "install.py" in text and "Control Surface" in text and "MusiaIA" in text
    spanish = es("¿qué tempo tiene Live?", live=live)
    assert "Preferencias" in spanish and "install.py" in spanish
    assert_spanish(spanish)


def test_live_connected_reports_state():
    text = en("what's playing in Live?", live=LIVE)
    assert "126 BPM" in text and "playing" in text and "Drums, Bass, Lead" in text
    assert "sonando" in es("¿qué está sonando en Live?", live=LIVE)


# ============================================================================ conversation


def test_greetings_thanks_goodbye():
    assert es("hola").startswith("¡Hola!")
    assert en("hello").startswith("Hi!")
    assert "De nada" in es("gracias")
    assert "welcome" in en("thanks!")
    assert "Hasta pronto" in es("adiós")
    assert "ready to make music" in en("how are you?")
    assert "House 124 Am" in es("hola", project=PROJECT)


def test_greeting_before_a_question_still_answers_it():
    text = es("hola, ¿qué acordes tiene Re menor?")
    assert text.startswith("¡Hola!") and "Dm" in text and "Gm" in text
    # "hi" inside "hi hats" is not a greeting
    assert not en("how do I program hi hats?").startswith("Hi!")


def test_capabilities_in_both_languages():
    spanish = es("¿qué puedes hacer?")
    assert "Genera un track de house a 124 BPM en La menor" in spanish
    assert "v2" in spanish and ".als" in spanish
    assert_spanish(spanish)
    english = en("what can you do?")
    assert "Make a house track at 124 BPM in A minor" in english and "sample library" in english
    assert_english(english)


def test_fallback_is_honest_and_mentions_api_keys():
    for ask in (es, en):
        text = ask("zxqv plonk wibble")
        assert "GLM46_API_KEY" in text and "MINIMAX_API_KEY" in text
    assert "no tengo una respuesta" in es("zxqv plonk wibble").lower()
    assert route("zxqv plonk wibble", EN)[0] == "fallback"


@pytest.mark.parametrize(
    "question",
    [
        "hola",
        "¿qué puedes hacer?",
        "¿qué es un compás?",
        "¿qué acordes tiene La menor?",
        "¿cómo ecualizo un bombo?",
        "¿qué es el swing?",
        "gracias",
        "¿cómo hago sidechain?",
        "¿qué BPM tiene el techno?",
        "notas de Sol mayor",
        "¿qué es un drop?",
        "¿cómo uso el warp?",
    ],
)
def test_spanish_questions_get_spanish_answers(question):
    assert_spanish(es(question, project=PROJECT))


@pytest.mark.parametrize(
    "question",
    [
        "hello",
        "what can you do?",
        "what is a bar?",
        "what chords are in A minor?",
        "how do I EQ a kick?",
        "what is swing?",
        "thanks",
        "how do I sidechain?",
        "what BPM is techno?",
        "notes of G major",
        "what is a drop?",
        "how do I warp audio?",
    ],
)
def test_english_questions_get_english_answers(question):
    assert_english(en(question, project=PROJECT))


def test_deterministic():
    for message in ("¿qué acordes tiene La menor?", "hola", "how long is my song?"):
        context = ChatContext(language="es", project=PROJECT, live=LIVE)
        assert offline_answer(message, context) == offline_answer(message, context)


_FRAGMENTS = (
    "hola hi hello gracias thanks qué what cómo how es is el the de of La la menor minor mayor "
    "major Do do mi Mi si Si sol Sol # b bemol sostenido sharp flat Am F#m Cmaj7 G7 acorde chord "
    "acordes chords notas notes escala scale relativa relative quintas fifths intervalo entre y "
    "and BPM bpm 124 0 999 1000 -5 92,5 house techno drum & bass lo-fi trap reggaeton mi proyecto "
    "my track Live playing ms delay sidechain EQ bombo kick swing drop compás 4/4 6/8 ¿ ? ¡ ! . , "
    "oscuro sad happy triste versión secciones dura long"
).split()
_messages = st.one_of(
    st.text(max_size=300),
    st.lists(st.one_of(st.sampled_from(_FRAGMENTS), st.text(max_size=5)), max_size=25).map(
        " ".join
    ),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    message=_messages,
    language=st.sampled_from(["es", "en"]),
    with_project=st.booleans(),
    with_live=st.booleans(),
)
def test_any_text_gets_a_non_empty_answer(message, language, with_project, with_live):
    context = ChatContext(
        language=language,
        project=PROJECT if with_project else None,
        live=LIVE if with_live else None,
    )
    answer = offline_answer(message, context)
    assert isinstance(answer, str) and answer.strip()
