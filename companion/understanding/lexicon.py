"""Word tables for the offline parser, in Spanish and English.

Everything a producer may type is listed here once, written naturally (with accents, hyphens and
apostrophes); :func:`phrase_table` folds each entry the same way the parser folds the request, so
the tables read like a glossary and the matching code never has to know about spelling variants.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import TypeVar

T = TypeVar("T")
Phrase = tuple[str, ...]

_SPLIT = re.compile(r"[\s\-'’`´_]+")


def fold(text: str) -> str:
    """Lowercase and strip accents so "Reguetón", "REGUETON" and "reguetón" all compare equal."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def phrase(text: str) -> Phrase:
    """A table entry as the tuple of folded tokens the tokenizer would produce for it."""
    return tuple(part for part in _SPLIT.split(fold(text)) if part)


def phrase_table(entries: Mapping[str, T]) -> dict[Phrase, T]:
    return {phrase(text): value for text, value in entries.items()}


def words(*entries: str) -> frozenset[str]:
    """A set of single folded words."""
    return frozenset(fold(entry) for entry in entries)


def es_forms(*adjectives: str) -> list[str]:
    """Gender and number variants of Spanish adjectives: oscuro → oscura, oscuros, oscuras."""
    forms: list[str] = []
    for adjective in adjectives:
        word = fold(adjective)
        if word.endswith("o"):
            stem = word[:-1]
            forms += [word, stem + "a", stem + "os", stem + "as"]
        elif word.endswith("or"):
            forms += [word, word + "a", word + "es", word + "as"]
        elif word.endswith("z"):
            forms += [word, word[:-1] + "ces"]
        elif word.endswith(("e", "a")):
            forms += [word, word + "s"]
        else:
            forms += [word, word + "es"]
    return forms


def _expand(groups: Mapping[str, Iterable[str]]) -> dict[str, str]:
    """{slug: [words]} → {word: slug}, the shape :func:`phrase_table` wants."""
    return {word: slug for slug, entries in groups.items() for word in entries}


# The tables below are glossaries laid out for reading; keep the formatter off them.
# fmt: off

# --------------------------------------------------------------------------------------- styles

STYLE_ENTRIES: dict[str, str] = _expand(
    {
        "house": [
            "house", "house music", "música house", "acid house", "tropical house",
            "future house", "funky house", "jackin house", "chicago house", "french house",
            "electro house", "soulful house",
        ],
        "deep-house": ["deep house", "deephouse", "deep-house"],
        "tech-house": ["tech house", "techhouse", "tech-house"],
        "afro-house": ["afro house", "afrohouse", "afro tech"],
        "progressive-house": [
            "progressive house", "prog house", "house progresivo", "progressive", "progresivo",
        ],
        "techno": [
            "techno", "tecno", "hard techno", "melodic techno", "techno melódico", "acid techno",
            "industrial techno", "detroit techno", "peak time techno", "hardtechno",
        ],
        "minimal-techno": [
            "minimal techno", "techno minimal", "tecno minimal", "minimal tech", "minimal",
        ],
        "trance": [
            "trance", "psytrance", "psy trance", "uplifting trance", "progressive trance",
            "vocal trance", "goa trance",
        ],
        "drum-and-bass": [
            "drum and bass", "drum n bass", "drum & bass", "drum y bass", "drumandbass",
            "drumnbass", "dnb", "d & b", "d n b", "jungle", "liquid dnb", "neurofunk",
            "drum bass",
        ],
        "dubstep": ["dubstep", "dub step", "brostep", "riddim"],
        "uk-garage": ["uk garage", "garage", "ukg", "2 step", "2step", "speed garage", "garaje"],
        "trap": ["trap", "trap latino", "trap music"],
        "hip-hop": ["hip hop", "hiphop", "hip-hop", "rap", "rap music", "old school hip hop"],
        "boom-bap": ["boom bap", "boombap", "boom-bap"],
        "lo-fi": [
            "lo fi", "lofi", "low fi", "lo-fi", "lo fi hip hop", "lofi hip hop", "chillhop",
            "lo fi beats",
        ],
        "reggaeton": [
            "reggaeton", "reggaetón", "regueton", "reguetón", "reggeaton", "regeton",
            "reguetton", "dembow", "perreo",
        ],
        "pop": [
            "pop", "dance pop", "synth pop", "synthpop", "k pop", "electropop", "pop electrónico",
        ],
        "disco": ["disco", "nu disco", "nudisco", "italo disco", "disco music", "música disco"],
        "funk": ["funk", "funky", "baile funk", "funk carioca"],
        "synthwave": ["synthwave", "synth wave", "retrowave", "outrun", "darksynth", "vaporwave"],
        "ambient": ["ambient", "ambiental", "música ambiental", "dark ambient", "drone"],
        "edm": [
            "edm", "electrónica", "música electrónica", "electronic dance music",
            "electronic music", "big room", "electro", "future bass", "dance",
        ],
    }
)
STYLE_PHRASES: dict[Phrase, str] = phrase_table(STYLE_ENTRIES)

# Vague entries: used only when nothing more specific is in the request
# ("música electrónica tipo techno" is techno).
WEAK_STYLE_PHRASES: frozenset[Phrase] = frozenset(
    phrase(text)
    for text in (
        "edm", "electrónica", "música electrónica", "electronic music", "electro", "dance",
        "minimal", "progressive", "progresivo", "funky",
    )
)

# Style words that are ordinary nouns after these words: "mi nuevo disco" is an album, "my
# garage" a room, "más minimal" a density change.
STYLE_BLOCKED_AFTER: dict[Phrase, frozenset[str]] = {
    phrase("disco"): words(
        "mi", "tu", "su", "el", "un", "este", "ese", "nuestro", "vuestro", "del", "al", "nuevo",
        "primer", "mis", "tus", "sus", "otro", "my", "your", "our", "new", "the",
    ),
    phrase("garage"): words("my", "the", "your", "our", "his", "her", "their", "mi", "el", "tu"),
    phrase("garaje"): words("mi", "el", "tu", "su", "un", "del", "al"),
    phrase("house"): words("my", "your", "his", "her", "our", "their", "mi", "tu", "su"),
    phrase("jungle"): words("the", "la"),
    phrase("minimal"): words("mas", "more", "muy", "very", "menos", "less", "algo"),
    phrase("dance"): words("to", "i", "we", "you", "they", "lets", "let"),
    phrase("electro"): words(),
}

# ---------------------------------------------------------------------------------------- moods

MOOD_ENTRIES: dict[str, str] = _expand(
    {
        "dark": [
            *es_forms("oscuro", "sombrío", "tenebroso", "siniestro", "lúgubre"),
            "dark", "darker", "gloomy", "sinister", "ominous", "oscuridad",
        ],
        "happy": [
            *es_forms("alegre", "feliz", "animado", "festivo", "divertido", "fiestero"),
            "happy", "happier", "joyful", "cheerful", "fun", "upbeat", "festive", "alegría",
            "party", "de fiesta",
        ],
        "sad": [
            *es_forms("triste", "deprimente", "depresivo"),
            "sad", "sadder", "depressing", "tristeza",
        ],
        "melancholic": [
            *es_forms("melancólico", "nostálgico", "emotivo"),
            "melancholic", "melancholy", "nostalgic", "bittersweet", "wistful", "melancolía",
            "nostalgia", "emocional", "emocionales", "emotional", "emotive",
        ],
        "energetic": [
            *es_forms("energético", "enérgico", "potente", "intenso", "cañero", "bailable"),
            "energía", "energetic", "energic", "high energy", "powerful", "intense",
            "more energy", "driving",
        ],
        "chill": [
            *es_forms("tranquilo", "relajado", "calmado", "relajante", "sereno", "tranqui"),
            "chill", "chilled", "chillout", "chill out", "relaxed", "relaxing", "calm", "calmer",
            "mellow", "laid back", "laidback", "relax", "relajarse", "para relajarse",
        ],
        "epic": [
            *es_forms("épico", "cinematográfico", "cinemático", "grandioso"),
            "epic", "cinematic", "grandiose", "anthemic",
        ],
        "dreamy": [
            *es_forms("soñador", "etéreo", "onírico", "atmosférico"),
            "dreamy", "dreamier", "ethereal", "dreamlike", "atmospheric", "floaty",
        ],
        "aggressive": [
            *es_forms("agresivo", "duro", "brutal", "rabioso"),
            "aggressive", "brutal", "angry", "harsh", "fierce", "agresividad",
        ],
        "romantic": [
            *es_forms("romántico", "sensual", "seductor"),
            "romantic", "sensual", "sexy", "seductive",
        ],
        "mysterious": [
            *es_forms("misterioso", "enigmático"),
            "misterio", "mysterious", "enigmatic", "eerie", "mystery",
        ],
        "hypnotic": [
            *es_forms("hipnótico", "hipnotizante"),
            "hypnotic", "hypnotizing", "hypnotising", "mesmerizing", "mesmerising",
        ],
        "euphoric": [*es_forms("eufórico"), "euforia", "euphoric", "euphoria", "ecstatic"],
        "uplifting": [
            *es_forms("optimista", "inspirador", "esperanzador", "luminoso", "edificante"),
            "uplifting", "inspiring", "hopeful", "optimistic",
        ],
    }
)
MOOD_PHRASES: dict[Phrase, str] = phrase_table(MOOD_ENTRIES)

# Adjectives that describe a single part, not the whole track, when they follow a part noun
# ("bajo potente" is a strong bass, not an energetic track).
PART_INTENSITY_WORDS = frozenset(es_forms("potente", "duro", "intenso", "fuerte", "contundente"))

# Mood words already comparative: their presence signals an edit ("make it darker").
COMPARATIVE_MOODS = words("darker", "happier", "sadder", "calmer", "dreamier")

NEGATIONS = words("no", "not", "nada", "sin", "without", "ni", "nothing", "never", "nunca")

# ---------------------------------------------------------------------------------------- parts

PART_ENTRIES: dict[str, str] = _expand(
    {
        "drums": [
            "batería", "baterías", "bateria", "drums", "drum", "drum kit", "drum loop",
            "kit de batería", "beat", "beats", "groove de batería",
        ],
        "kick": ["bombo", "bombos", "kick", "kicks", "bass drum", "kick drum"],
        "snare": ["caja", "cajas", "redoblante", "redoblantes", "tarola", "snare", "snares"],
        "clap": ["palmas", "palmada", "palmadas", "aplauso", "aplausos", "clap", "claps",
                 "handclap", "handclaps"],
        "hats": ["charles", "hi hat", "hi hats", "hihat", "hihats", "hat", "hats", "hi-hat",
                 "hi-hats", "open hats", "closed hats"],
        "percussion": [
            "percusión", "percusiones", "percussion", "perc", "percs", "shaker", "shakers",
            "congas", "conga", "bongos", "bongós", "maracas", "pandereta", "tambourine",
            "timbales", "güira", "toms",
        ],
        "bass": [
            "bajo", "bajos", "bass", "bassline", "basslines", "bass line", "línea de bajo",
            "sub", "sub bass", "subbass", "subgrave", "sub grave", "808", "808 s", "reese",
        ],
        "chords": [
            "acordes", "acorde", "chords", "chord", "stabs", "stab", "piano", "pianos",
            "teclado", "teclados", "keys", "rhodes", "organ", "órgano",
        ],
        "pads": ["pad", "pads", "colchón", "colchones", "cuerdas", "strings"],
        "lead": [
            "melodía", "melodías", "lead", "leads", "solista", "melody", "melodies", "hook",
            "hooks", "topline", "synth lead", "lead de sinte",
        ],
        "arp": ["arpegio", "arpegios", "arp", "arps", "arpeggio", "arpeggios", "arpegiador",
                "arpeggiator"],
        "fx": [
            "efectos", "efecto", "fx", "sfx", "effects", "risers", "riser", "subidas",
            "impactos", "impacto", "impacts", "sweeps", "sweep", "barridos", "uplifters",
            "downlifters", "ruido blanco", "white noise",
        ],
        "vocals": [
            "voz", "voces", "vocals", "vocal", "vocal chops", "chops", "coros", "voice",
            "voices", "choir", "samples vocales", "acapella", "a capella",
        ],
    }
)
PART_PHRASES: dict[Phrase, str] = phrase_table(PART_ENTRIES)

# Words that name the whole track as often as its drums ("hazme un beat de trap"): they count
# as a part only after an explicit with/without/add/remove.
EXPLICIT_ONLY_PARTS: frozenset[Phrase] = frozenset({phrase("beat"), phrase("beats")})

# "bajo" is also "low/under": not the bass after these words or before an article.
BAJO_BLOCKED_BEFORE = words("muy", "tono", "volumen", "nivel", "por")
BAJO_BLOCKED_AFTER = words("el", "la", "los", "las", "cero", "un", "una", "mi", "tu")
BAJO_COPULAS = words(
    "hazlo", "hazla", "ponlo", "ponla", "suena", "sea", "es", "esta", "lo", "hacerlo",
    "ponerlo", "dejalo", "volumen", "tono", "poco", "algo", "tocalo",
)

# ------------------------------------------------------------------------ include / exclude

INCLUDE_TRIGGERS: dict[Phrase, str] = phrase_table(
    dict.fromkeys(
        [
            "con", "with", "añade", "añádele", "añademe", "añadir", "agrega", "agrégale",
            "agregar", "mete", "métele", "meter", "pon", "ponle", "ponme", "incluye",
            "incluir", "lleva", "lleve", "llevar", "tenga", "tener", "usa", "usar", "utiliza",
            "add", "include", "including", "bring in", "featuring", "feat", "plus", "using",
            "use", "quiero", "want", "need", "necesito", "just", "only", "solo", "solamente",
            "unicamente",
        ],
        "include",
    )
)
EXCLUDE_TRIGGERS: dict[Phrase, str] = phrase_table(
    dict.fromkeys(
        [
            "sin", "without", "quita", "quítale", "quitale", "quitar", "quite", "quitame",
            "elimina", "elimínale", "eliminar", "borra", "bórrale", "borrar", "saca", "sácale",
            "remove", "delete", "mute", "silencia", "drop the", "get rid of", "take out",
            "kill the", "no", "not", "ni", "nor", "except", "excepto", "salvo", "nada de",
            "fuera", "cut the", "lose the", "don t", "dont", "doesn t", "no need for",
            "quites", "elimines", "saques", "borres", "quitemos", "eliminemos", "nothing",
        ],
        "exclude",
    )
)
# Tokens that keep a with/without list going ("sin batería ni voces", "con bajo, pads y un lead").
LIST_WORDS = words(
    "un", "una", "unos", "unas", "el", "la", "los", "las", "lo", "a", "an", "the", "some",
    "algo", "algun", "alguna", "algunos", "algunas", "mi", "my", "your", "tu", "su", "its", "de",
    "del", "of", "y", "e", "and", "o", "or", "ni", "nor", ",", "tambien", "also", "too", "mas",
    "more", "muy", "very", "bien", "buen", "buena", "mucho", "mucha", "muchos", "muchas",
    "poco", "little", "nada", "any", "ningun", "ninguna", "ninguno", "n", "&",
)
LIST_BREAKS = words("pero", "but", "aunque", "though", "although", "menos", "less", "except")
CLAUSE_PUNCT = frozenset({".", ";", ":", "?", "!", "¿", "¡"})

# ---------------------------------------------------------------------------------- intents

GEN_VERBS_ES = words(
    "genera", "generame", "generar", "generes", "crea", "creame", "crear", "crees", "haz",
    "hazme", "hacer", "hacerme", "haces", "hagas", "harias", "quiero", "quisiera", "necesito",
    "compon", "componme", "componer", "compongas", "produce", "produceme", "producir", "dame",
    "prepara", "preparame", "preparar", "armame", "arma", "montame", "monta", "escribe",
    "escribeme", "escribir", "ponme",
)
GEN_VERBS_EN = words(
    "make", "create", "generate", "produce", "compose", "build", "write", "give", "want",
    "need", "like", "gimme", "cook", "craft", "design",
)
GEN_VERBS = GEN_VERBS_ES | GEN_VERBS_EN

MOD_VERBS_ES = words(
    "cambia", "cambialo", "cambiala", "cambiale", "cambiame", "cambiar", "modifica",
    "modificalo", "edita", "editalo", "ajusta", "ajustalo", "sube", "subele", "subelo", "subela",
    "subir", "baja", "bajale", "bajalo", "bajala", "bajar", "pon", "ponle", "ponlo", "ponla",
    "pongas", "quites", "elimines", "anadas", "agregues", "cambies", "subas", "bajes",
    "quita", "quitale", "quitalo", "elimina", "eliminale", "borra", "borrale", "saca", "sacale",
    "anade", "anadele", "agrega", "agregale", "mete", "metele", "transpon", "transponlo",
    "transporta", "transportalo", "alarga", "alargalo", "acorta", "acortalo", "hazlo", "hazla",
    "dejalo", "dejala", "convierte", "conviertelo", "pasalo", "pasala", "regenera", "rehaz",
    "simplifica", "simplificalo", "acelera", "aceleralo", "ralentiza", "ralentizalo", "frena",
    "frenalo", "sustituye", "reemplaza", "recorta", "recortalo", "aumenta", "aumentale",
    "reduce", "reducelo", "silencia", "hacerlo", "ponerlo", "cambiarlo", "subirlo", "bajarlo",
)
MOD_VERBS_EN = words(
    "change", "modify", "edit", "tweak", "adjust", "raise", "lower", "remove", "delete", "add",
    "mute", "transpose", "replace", "swap", "switch", "set", "speed", "slow", "redo",
    "regenerate", "simplify", "extend", "shorten", "increase", "decrease", "reduce", "bump",
    "trim", "lengthen", "pitch",
)
# Multi-word edit commands whose verb alone is ambiguous ("drop" is also a section).
MOD_PHRASES: dict[Phrase, str] = phrase_table(
    dict.fromkeys(
        ["drop the", "get rid of", "take out", "kill the", "cut the", "lose the", "make it",
         "turn it", "make this", "get it", "slow it", "speed it", "bring it", "put it",
         "keep it"],
        "modify",
    )
)
MOD_VERBS = MOD_VERBS_ES | MOD_VERBS_EN
# "make it", "turn it": an edit of the current project, not a new one.
MOD_PRONOUN_AFTER_VERB = words("it", "this", "that", "everything")
MOD_MARKERS = words("ahora", "now", "instead", "vez", "lugar", "again")

# Things one asks to have made: with an indefinite article they mean a new project.
CREATION_NOUNS = words(
    "track", "tracks", "tema", "temas", "cancion", "canciones", "song", "songs", "beat",
    "instrumental", "proyecto", "project", "set", "loop", "pista", "pieza", "piece", "tune",
    "banger", "base", "riddim", "musica", "music", "algo", "something", "uno", "one",
    "remix", "demo", "groove",
)
INDEFINITES_ES = words("un", "una", "unos", "unas", "otro", "otra", "nuevo", "nueva", "algo")
INDEFINITES_EN = words("a", "an", "some", "another", "new", "something")

# Question openers that ask for an explanation (chat) rather than a track.
WH_EN = words("what", "whats", "how", "why", "which", "who", "whom", "whose", "when", "where",
              "explain", "define")
# Spanish interrogatives count only with their accent or with a question mark, because without
# it they are conjunctions ("que sea más oscuro" is an edit, "¿qué es un pad?" a question).
WH_ES = words("que", "como", "cual", "cuales", "cuando", "donde", "quien", "quienes", "cuanto",
              "cuantos", "cuanta", "cuantas", "explica", "explicame", "define")
WH_ES_ALWAYS = words("explica", "explicame", "define")
# Asking to be taught is conversation even when it names a style ("quiero aprender a hacer techno").
LEARNING_WORDS = words("aprender", "aprendo", "learn", "learning", "ensename", "ensenar", "teach",
                       "tutorial", "explicame")
SUGGESTION_OPENERS: frozenset[Phrase] = frozenset(
    phrase(text) for text in ("how about", "what about", "qué tal", "que tal", "y si")
)

# --------------------------------------------------------------------------------------- keys

SOLFEGE: dict[str, str] = {"do": "C", "re": "D", "mi": "E", "fa": "F", "sol": "G", "la": "A",
                           "si": "B"}
# Note names that are everyday words: article, "if", "my", English "do", "a", Spanish "e".
HOMOGRAPH_TONICS = words("la", "mi", "si", "do", "a", "e")
# Compact solfège forms that are also words or names ("Dom", "sim", "fam", "lab").
RISKY_SOLFEGE_COMPACT = words("dom", "sim", "fam", "lab")
ACCIDENTAL_WORDS: dict[str, str] = {"sostenido": "#", "sostenida": "#", "bemol": "b",
                                    "sharp": "#", "flat": "b", "#": "#"}
SPANISH_ACCIDENTALS = words("sostenido", "sostenida", "bemol")
MODE_WORDS: dict[str, str] = {
    "menor": "minor", "mayor": "major", "minor": "minor", "major": "major", "min": "minor",
    "maj": "major", "m": "minor",
}
# Words right before a note name that make it a key ("en La", "key of E", "tonalidad: Am").
KEY_TRIGGERS = words("en", "in", "tonalidad", "tono", "escala", "key", "clave", "tonality",
                     "scale")
KEY_NOUNS = words("tonalidad", "tono", "escala", "key", "clave", "tonality", "scale",
                  "transpon", "transponlo", "transporta", "transportalo", "transpose", "pasalo",
                  "pasala", "modulate", "modula")
KEY_LINKS = words("de", "of", "a", "to", ":", "=", "en", "in", "is", "es", "sea", "into", "al")
# "in a minor key" means "some minor key", not A minor.
GENERIC_KEY_NOUNS = words("key", "scale", "mode", "tonality", "keys", "tonalidad", "escala")

# After a note name in an ambiguous spot, these make it read as a key ("La menor, 120 bpm",
# "A minor techno track"); an unknown word instead ("la menor idea") does not.
STRICT_FOLLOWERS = words(
    "y", "e", "and", "con", "sin", "with", "without", "a", "at", "para", "for", "pero", "but",
    "o", "or", "ni", "please", "porfa", "bpm", "tempo", "compases", "compas", "bars", "bar",
    "key", "scale", "escala", "tonalidad", "track", "tema", "cancion", "song", "loop",
    "progression", "progresion", "estilo", "style", "rollo", "tipo", "por", "instrumental",
    "pista", "mode", "modo",
)
LENIENT_FOLLOWERS = words("de", "del", "en", "in", "to", "of", "the", "el", "un", "una")

# ------------------------------------------------------------------------------------ tempo

TEMPO_UNITS: dict[Phrase, str] = phrase_table(
    dict.fromkeys(
        [
            "bpm", "bpms", "ppm", "pulsaciones", "pulsaciones por minuto", "pulsos",
            "pulsos por minuto", "beats per minute", "negras por minuto", "golpes por minuto",
            "b p m", "bpm s",
        ],
        "bpm",
    )
)
TEMPO_KEYWORDS = words("tempo", "bpm", "bpms", "velocidad", "ppm")
# Words allowed between a tempo keyword and its number ("tempo de 124", "set the tempo to 128").
TEMPO_LINKS = words("de", "a", "of", "at", "to", ":", "=", "en", "is", "es", "around", "about",
                    "sobre", "unos", "alrededor", "al", "the", "el", "los", "sea", "~", "be")
# Units that say a number after "a"/"at" is not a tempo ("a 32 compases", "at 5 pm").
NON_TEMPO_UNITS = words(
    "compases", "compas", "bars", "bar", "measures", "measure", "semitonos", "semitono",
    "tonos", "tono", "octavas", "octava", "semitones", "semitone", "octaves", "octave", "%",
    "por", "segundos", "segundo", "minutos", "minuto", "seconds", "second", "minutes", "minute",
    "pasos", "steps", "veces", "times", "db", "hz", "khz", "pm", "am", "h", "horas", "hours",
    "notas", "notes", "voces", "pistas", "tracks", "canales", "percent", "x", "s", "ms", "k",
    "dias", "days", "anos", "years", "euros", "dolares", "dollars", "km",
)
TEMPO_UP = words("sube", "subele", "subelo", "subir", "aumenta", "aumentale", "increase",
                 "raise", "up", "speed", "acelera", "aceleralo", "bump", "anade", "add", "+",
                 "suma", "subamos")
TEMPO_DOWN = words("baja", "bajale", "bajalo", "bajar", "reduce", "reducelo", "decrease",
                   "lower", "down", "slow", "frena", "frenalo", "ralentiza", "ralentizalo",
                   "quita", "quitale", "resta", "bajemos", "-")
# After "N bpm": "5 bpm más rápido", "5 bpm faster".
AFTER_UP = words("mas", "more", "faster", "quicker", "rapido", "extra", "longer")
AFTER_DOWN = words("menos", "less", "slower", "fewer", "shorter", "lento")
ABSOLUTE_LINKS = words("a", "at", "to", "en", "de", "of", "al", "is", "es", "sea", "=", ":")
TEMPO_CONTEXT = words("tempo", "bpm", "speed", "velocidad", "up", "down", "set", "raise",
                      "lower", "increase", "decrease", "change", "faster", "slower", "bump")
FAST_ADJ = words(*es_forms("rápido"), "veloz", "veloces", "deprisa", "agil", "fast",
                 "uptempo")
SLOW_ADJ = words(*es_forms("lento"), "despacio", "slow", "downtempo")
FASTER_WORDS = words("faster", "quicker", "acelera", "aceleralo", "acelerala", "acelerar")
SLOWER_WORDS = words("slower", "ralentiza", "ralentizalo", "frena", "frenalo", "ralentizar",
                     "enlentece")
TEMPO_VERBS_UP = words("sube", "subele", "subir", "aumenta", "aumentale", "increase", "raise",
                       "bump", "up", "subamos", "subelo")
TEMPO_VERBS_DOWN = words("baja", "bajale", "bajar", "reduce", "decrease", "lower",
                         "disminuye", "down", "bajemos", "bajalo")
# Words that may sit between a direction verb and "N bpm" ("sube el tempo unos 5 bpm").
TEMPO_DELTA_FILLERS = words("el", "la", "los", "the", "it", "lo", "by", "en", "por", "tempo",
                            "ritmo", "velocidad", "bpm", "speed", "bpms", "unos", "un", "poco",
                            "bit", "little", "mas", "about", "around", "le", "this")
TEMPO_OBJECTS = words("tempo", "ritmo", "velocidad", "bpm", "bpms", "speed", "pace")
BIG_AMOUNT = words("mucho", "muchisimo", "bastante", "much", "way", "lot", "considerably",
                   "mucha", "lots")
SMALL_AMOUNT = words("poco", "poquito", "pelin", "bit", "little", "slightly", "ligeramente",
                     "algo", "touch", "tad", "poquitin")

# ------------------------------------------------------------------------------------- bars

BARS_UNITS = words("compases", "compas", "bars", "bar", "measures", "measure")
RATE_WORDS = words("cada", "every", "each", "per", "por")
SECTION_WORDS = words(
    "intro", "introduccion", "outro", "drop", "break", "breakdown", "estribillo", "estrofa",
    "verso", "verse", "chorus", "coro", "build", "buildup", "puente", "bridge", "section",
    "seccion", "subida", "caida", "paron", "final", "cierre", "ultimos", "primeros",
    "last", "first",
)
ADD_WORDS = words("anade", "anadele", "agrega", "agregale", "add", "alarga", "alargalo",
                  "extend", "extiende", "suma", "sumale", "mete", "metele", "+", "another")
REMOVE_WORDS = words("quita", "quitale", "elimina", "remove", "delete", "acorta", "acortalo",
                     "shorten", "cut", "recorta", "recortalo", "resta", "saca", "-", "trim")
LONG_ADJ = words(*es_forms("largo", "extenso"), "long", "lengthy")
SHORT_ADJ = words(*es_forms("corto"), "breve", "short")
LONGER_WORDS = words("longer", "alarga", "alargalo", "alargala", "extend", "extiende",
                     "lengthen", "alargar")
SHORTER_WORDS = words("shorter", "acorta", "acortalo", "acortala", "shorten", "recorta",
                      "recortalo", "trim", "acortar")
BARS_DEFAULT_DELTA = 16

# ------------------------------------------------------------------------- time signatures

TIME_SIGNATURE_WORDS: dict[str, str] = {
    "ternario": "3/4", "binario": "2/4", "cuaternario": "4/4", "vals": "3/4", "waltz": "3/4",
}

# ------------------------------------------------------------------------------- adjustments

COMPARATIVE_UP = words("mas", "more")
COMPARATIVE_DOWN = words("menos", "less", "fewer")
DENSITY_UP_ADJ = words(
    *es_forms("cargado", "denso", "lleno", "ocupado", "complejo", "activo", "movido",
              "elaborado", "recargado", "tupido"),
    "busy", "dense", "full", "complex", "active", "intricate", "busier", "denser", "fuller",
    "thicker",
)
DENSITY_DOWN_ADJ = words(
    *es_forms("simple", "sencillo", "vacío", "ligero", "minimalista", "sobrio", "espaciado",
              "escaso"),
    "minimal", "simple", "sparse", "light", "empty", "thin", "bare", "simpler", "sparser",
    "lighter", "emptier", "thinner", "barer",
)
# Comparative on their own; the others need "más"/"more" (or a part) to read as an edit.
DENSITY_COMPARATIVES = words("busier", "denser", "fuller", "thicker", "simpler", "sparser",
                             "lighter", "emptier", "thinner", "barer")
SIMPLIFY_VERBS = words("simplifica", "simplificalo", "simplificala", "simplify", "simplificar")
NOTES_WORDS = words("notas", "notes", "golpes", "hits")
# When an edit names no part ("hazlo más simple"), it applies to the pattern-making parts.
GLOBAL_DENSITY_PARTS: tuple[str, ...] = ("drums", "bass", "chords", "lead", "arp")

REGEN_TRIGGERS = words(
    "cambia", "cambiale", "cambiame", "cambiar", "change", "regenera", "regenerar",
    "regenerate", "rehaz", "rehazme", "redo", "reescribe", "rewrite", "replace", "reemplaza",
    "sustituye", "swap", "otro", "otra", "otros", "otras", "nuevo", "nueva", "nuevos", "nuevas",
    "another", "new", "different", "diferente", "diferentes", "distinto", "distinta",
    "distintos", "distintas", "fresh",
)
REGEN_POSTNOMINAL = words("nuevo", "nueva", "nuevos", "nuevas", "diferente", "diferentes",
                          "distinto", "distinta", "distintos", "distintas")
DETERMINERS = words("el", "la", "los", "las", "un", "una", "unos", "unas", "the", "a", "an",
                    "de", "del", "mi", "my", "su", "tu", "your", "this", "that", "these",
                    "esta", "este", "ese", "esa", "estos", "esas", "its", "al", "en", "in",
                    "on", "of", "to")

# Transposition amounts in semitones, by unit.
TRANSPOSE_UNITS: dict[Phrase, int] = phrase_table(
    {
        "semitono": 1, "semitonos": 1, "semitone": 1, "semitones": 1, "half step": 1,
        "half steps": 1, "medio tono": 1, "tono": 2, "tonos": 2, "tone": 2, "tones": 2,
        "whole step": 2, "whole steps": 2, "whole tone": 2, "whole tones": 2, "octava": 12,
        "octavas": 12, "octave": 12, "octaves": 12, "tono y medio": 3,
    }
)
ONE_WORDS = words("un", "una", "a", "an", "one", "uno")
UP_WORDS = words("sube", "subelo", "subela", "subir", "subele", "arriba", "up", "raise",
                 "higher", "agudo", "above", "subamos", "+")
DOWN_WORDS = words("baja", "bajalo", "bajala", "bajar", "bajale", "abajo", "down", "lower",
                   "grave", "below", "bajemos", "-")
TRANSPOSE_VERBS = words("transpon", "transponlo", "transporta", "transportalo", "transpose",
                        "transponer", "transportar", "pitch", "shift")

# ---------------------------------------------------------------------------------- language

SPANISH_HINTS = words(
    "el", "la", "los", "las", "un", "una", "unos", "unas", "de", "del", "con", "sin", "que",
    "y", "en", "por", "para", "es", "mas", "muy", "pero", "como", "lo", "le", "se", "al",
    "este", "esta", "eso", "esto", "hola", "gracias", "cancion", "compases", "compas",
    "tonalidad", "menor", "mayor", "sostenido", "bemol", "bateria", "bajo", "acordes",
    "melodia", "voces", "voz", "efectos", "quiero", "puedes", "hazlo", "ponlo", "tema", "algo",
    "otra", "otro", "ahora", "tambien", "rapido", "lento", "ritmo", "estilo", "buenas", "mi",
    "tu", "su", "yo", "porfa", "favor", "nada", "ni", "sube", "baja", "cambia", "quita",
    "anade", "hazme", "genera", "crea", "dame", "necesito", "bombo", "caja", "palmas",
    "charles", "pulsaciones", "octava", "semitono", "arpegio", "colchon", "tecno", "regueton",
    "ambiental", "electronica", "oscuro", "oscura", "alegre", "triste", "tranquilo",
    "relajado", "relajada", "epico", "cual", "donde", "cuando", "estas", "eres", "soy", "hay",
    "tiene", "tengo", "hace", "haz", "hacer", "sea", "suena", "uno", "dos", "tres",
)
ENGLISH_HINTS = words(
    "the", "with", "without", "and", "of", "in", "to", "for", "is", "it", "make", "create",
    "generate", "give", "me", "my", "i", "you", "can", "what", "how", "why", "please", "song",
    "bars", "key", "minor", "major", "faster", "slower", "more", "less", "hi", "hello",
    "thanks", "at", "some", "this", "that", "do", "does", "an", "sharp", "flat", "drums",
    "chords", "melody", "vocals", "add", "remove", "change", "set", "up", "down", "want",
    "need", "new", "are", "be", "should", "would", "could", "your", "about", "but", "not",
    "just", "like", "sad", "happy", "dreamy", "busier", "simpler", "measures", "semitone",
    "octave", "bassline", "hey", "yes", "one", "two", "three", "something", "song", "songs",
)
# Shared loanwords (track, beat, tempo, bass…) are in both or neither; they decide nothing alone.
SPANISH_HINTS = SPANISH_HINTS - (ENGLISH_HINTS & SPANISH_HINTS)
# fmt: on
