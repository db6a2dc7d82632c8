"""What MusiaIA says after making or changing a song, in the producer's language."""

from __future__ import annotations

from companion.arrangement import Arrangement
from companion.music.spec import SongSpec
from companion.music.styles import style_profile
from companion.music.theory import parse_key

_SOLFEGE = {"C": "Do", "D": "Re", "E": "Mi", "F": "Fa", "G": "Sol", "A": "La", "B": "Si"}
_PARTS = {
    "es": {
        "drums": "batería",
        "kick": "bombo",
        "snare": "caja",
        "clap": "palmas",
        "hats": "charles",
        "percussion": "percusión",
        "bass": "bajo",
        "chords": "acordes",
        "pads": "pads",
        "lead": "melodía principal",
        "arp": "arpegio",
        "fx": "efectos",
        "vocals": "voces",
    },
    "en": {
        "drums": "drums",
        "kick": "kick",
        "snare": "snare",
        "clap": "clap",
        "hats": "hats",
        "percussion": "percussion",
        "bass": "bass",
        "chords": "chords",
        "pads": "pads",
        "lead": "lead",
        "arp": "arp",
        "fx": "fx",
        "vocals": "vocals",
    },
}
_MOODS_ES = {
    "dark": "oscuro",
    "happy": "alegre",
    "sad": "triste",
    "melancholic": "melancólico",
    "energetic": "energético",
    "chill": "relajado",
    "epic": "épico",
    "dreamy": "soñador",
    "aggressive": "agresivo",
    "romantic": "romántico",
    "mysterious": "misterioso",
    "hypnotic": "hipnótico",
    "euphoric": "eufórico",
    "uplifting": "luminoso",
}


def key_words(key: str, language: str) -> str:
    """``Am`` → "La menor" / "A minor"; ``Bb`` → "Si bemol mayor" / "B♭ major"."""
    parsed = parse_key(key)
    letter, accidental = parsed.name[0], parsed.name[1:].rstrip("m")
    if language == "es":
        name = _SOLFEGE[letter] + {"#": " sostenido", "b": " bemol"}.get(accidental, "")
        return f"{name} {'menor' if parsed.mode == 'minor' else 'mayor'}"
    name = letter + {"#": "♯", "b": "♭"}.get(accidental, "")
    return f"{name} {parsed.mode}"


def _bpm(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _join(items: list[str], language: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    conjunction = " y " if language == "es" else " and "
    return ", ".join(items[:-1]) + conjunction + items[-1]


def part_name(part: str, language: str) -> str:
    return _PARTS.get(language, _PARTS["en"]).get(part, part)


def describe_new_project(arrangement: Arrangement, name: str, language: str) -> str:
    style = style_profile(arrangement.style).label if arrangement.style else "—"
    key = key_words(arrangement.key, language) if arrangement.key else "—"
    sections = _join([f"{s.name} ({s.bars})" for s in arrangement.sections], language)
    tracks = _join([t.name for t in arrangement.tracks], language)
    numerator, denominator = arrangement.time_signature
    minutes = arrangement.length_beats * 60 / arrangement.bpm / 60
    if language == "es":
        mood = (
            f", ambiente {_MOODS_ES.get(arrangement.mood, arrangement.mood)}"
            if arrangement.mood
            else ""
        )
        return (
            f"He creado «{name}»: {style} a {_bpm(arrangement.bpm)} BPM en {key}, "
            f"{numerator}/{denominator}{mood}, {arrangement.bars} compases (~{minutes:.1f} min). "
            f"Secciones: {sections}. Pistas: {tracks}. "
            "Puedes descargar el set de Live o pedirme cambios (más rápido, otra tonalidad, "
            "quita o añade partes…)."
        )
    mood = f", {arrangement.mood} mood" if arrangement.mood else ""
    return (
        f"I made “{name}”: {style} at {_bpm(arrangement.bpm)} BPM in {key}, "
        f"{numerator}/{denominator}{mood}, {arrangement.bars} bars (~{minutes:.1f} min). "
        f"Sections: {sections}. Tracks: {tracks}. "
        "Download the Live set or ask me for changes (faster, another key, add or remove "
        "parts…)."
    )


def spec_changes(old: SongSpec, new: SongSpec, language: str) -> list[str]:
    """Human descriptions of what differs between two versions' specs."""
    es = language == "es"
    changes: list[str] = []
    if old.style != new.style:
        changes.append(
            f"{'estilo' if es else 'style'} {style_profile(old.style).label} → "
            f"{style_profile(new.style).label}"
        )
    if old.bpm != new.bpm:
        changes.append(f"tempo {_bpm(old.bpm)} → {_bpm(new.bpm)} BPM")
    if old.key != new.key:
        changes.append(
            f"{'tonalidad' if es else 'key'} {key_words(old.key, language)} → "
            f"{key_words(new.key, language)}"
        )
    if old.time_signature != new.time_signature:
        changes.append(
            f"{'compás' if es else 'time signature'} "
            f"{old.time_signature[0]}/{old.time_signature[1]} → "
            f"{new.time_signature[0]}/{new.time_signature[1]}"
        )
    if old.bars != new.bars:
        changes.append(
            f"{'duración' if es else 'length'} {old.bars} → {new.bars} "
            f"{'compases' if es else 'bars'}"
        )
    if old.mood != new.mood and new.mood:
        mood = _MOODS_ES.get(new.mood, new.mood) if es else new.mood
        changes.append(f"{'ambiente' if es else 'mood'} {mood}")
    added = [p for p in new.parts if p not in old.parts]
    removed = [p for p in old.parts if p not in new.parts]
    if added:
        changes.append(
            ("añadido: " if es else "added: ")
            + _join([part_name(p, language) for p in added], language)
        )
    if removed:
        changes.append(
            ("quitado: " if es else "removed: ")
            + _join([part_name(p, language) for p in removed], language)
        )
    for part in sorted(set(old.density) | set(new.density)):
        before, after = old.density.get(part, 0), new.density.get(part, 0)
        if before != after:
            if after > before:
                word = "más densa" if es else "busier"
            else:
                word = "más sencilla" if es else "sparser"
            changes.append(f"{part_name(part, language)} {word}")
    for part in sorted(set(old.variation) | set(new.variation)):
        if old.variation.get(part, 0) != new.variation.get(part, 0):
            changes.append(
                ("nueva versión de " if es else "new take of ") + part_name(part, language)
            )
    return changes + production_changes(old, new, language)


def production_changes(old: SongSpec, new: SongSpec, language: str) -> list[str]:
    """The mix changes between two versions ("más reverb en la caja", "sidechain quitado")."""
    es = language == "es"
    before, after = old.production, new.production
    changes: list[str] = []
    for effect, was, now in (
        ("reverb", before.reverb, after.reverb),
        ("delay", before.delay, after.delay),
    ):
        more, less, off = [], [], []
        for part in sorted(set(was) | set(now)):
            step = now.get(part, 0) - was.get(part, 0)
            if now.get(part, 0) <= -3 and was.get(part, 0) > -3:
                off.append(part_name(part, language))
            elif step > 0:
                more.append(part_name(part, language))
            elif step < 0:
                less.append(part_name(part, language))
        for names, es_word, en_word in (
            (more, "más", "more"),
            (less, "menos", "less"),
            (off, "sin", "no"),
        ):
            if names:
                on = _join(names, language)
                changes.append(
                    f"{es_word} {effect} en {on}" if es else f"{en_word} {effect} on {on}"
                )
    if before.sidechain != after.sidechain and after.sidechain is not None:
        if after.sidechain:
            changes.append("sidechain activado" if es else "sidechain on")
        else:
            changes.append("sidechain quitado" if es else "sidechain removed")
    if before.sweep != after.sweep and after.sweep is not None:
        if after.sweep:
            changes.append("barrido de filtro en las subidas" if es else "filter sweep in builds")
        else:
            changes.append("sin barrido de filtro" if es else "no filter sweep")
    extra = after.stretch.get("build", 0) - before.stretch.get("build", 0)
    if extra:
        word = (
            ("subida más larga" if es else "longer build")
            if extra > 0
            else ("subida más corta" if es else "shorter build")
        )
        changes.append(f"{word} ({extra:+d} {'compases' if es else 'bars'})")
    return changes


def describe_modification(name: str, version: int, changes: list[str], language: str) -> str:
    if language == "es":
        what = "; ".join(changes) if changes else "sin cambios musicales (misma configuración)"
        return f"Listo: «{name}» v{version}. Cambios: {what}. La versión anterior sigue disponible."
    what = "; ".join(changes) if changes else "no musical change (same settings)"
    return f"Done: “{name}” v{version}. Changes: {what}. The previous version is still there."


def sample_notes(warnings: list[str], language: str) -> str:
    """The samples a generation had to leave out (and what played instead), as a sentence to
    append to the answer; empty when nothing was left out. The lines come from selection."""
    if not warnings:
        return ""
    lines = " · ".join(warnings)
    if language == "es":
        return f" Ojo, algunos samples no se han podido usar: {lines}."
    return f" Note, some samples could not be used: {lines}."


def no_project_yet(language: str) -> str:
    if language == "es":
        return (
            "Todavía no tienes ningún proyecto que modificar. Pídeme uno, por ejemplo: "
            "«Genera un track de house a 124 BPM en La menor»."
        )
    return (
        "You don't have a project to change yet. Ask me for one, e.g. "
        "“Make a house track at 124 BPM in A minor”."
    )
