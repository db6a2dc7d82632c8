"""What the chat says about Live: a part written on the producer's own material, what a build
added to the open set (or could not), and why Live could not be asked."""

from __future__ import annotations

from typing import Any

from companion.chat.replies import key_words

_KIND = {
    "es": {
        "bass": "un bajo sobre tus acordes",
        "drums": "una batería para tu bajo",
        "continue": "la continuación de tu melodía",
        "harmonize": "una segunda voz para tu melodía",
    },
    "en": {
        "bass": "a bass on your chords",
        "drums": "drums for your bass",
        "continue": "the continuation of your melody",
        "harmonize": "a harmony for your lead",
    },
}


def _chords(symbols: list[str], limit: int = 8) -> str:
    distinct: list[str] = []
    for symbol in symbols:
        if not distinct or distinct[-1] != symbol:
            distinct.append(symbol)
    shown = "–".join(distinct[:limit])
    return shown + ("…" if len(distinct) > limit else "")


def describe_answer(
    kind: str,
    track: str,
    notes: int,
    chords: list[str],
    key: str | None,
    sources: list[str],
    language: str,
    follow: float | None = None,
) -> str:
    """What was written and what it was written on."""
    what = _KIND.get(language, _KIND["en"])[kind]
    heard = _chords(chords)
    key_text = key_words(key, language) if key else None
    source = ", ".join(sources[:4])
    if language == "es":
        parts = [f"He escrito {what}: la pista «{track}» ({notes} notas)"]
        if source:
            parts.append(f" a partir de {source}")
        facts = []
        if heard and kind in ("bass", "harmonize"):
            facts.append(f"acordes que oigo: {heard}")
        if key_text:
            facts.append(f"tonalidad {key_text}")
        if follow is not None:
            facts.append(f"el bajo cae en la fundamental en el {follow:.0%} de los cambios")
        return "".join(parts) + (". " + "; ".join(facts).capitalize() + "." if facts else ".")
    parts = [f"I wrote {what}: the track “{track}” ({notes} notes)"]
    if source:
        parts.append(f" from {source}")
    facts = []
    if heard and kind in ("bass", "harmonize"):
        facts.append(f"chords I hear: {heard}")
    if key_text:
        facts.append(f"key {key_text}")
    if follow is not None:
        facts.append(f"the bass lands on the root at {follow:.0%} of the changes")
    return "".join(parts) + (". " + "; ".join(facts).capitalize() + "." if facts else ".")


def describe_added(summary: dict[str, Any], language: str) -> str:
    """What a build added to the open set, from the script's summary, with what it could not do."""
    tracks = summary.get("track_names") or []
    count = int(summary.get("tracks") or len(tracks))
    clips = int(summary.get("clips") or 0)
    names = ", ".join(tracks[:8]) + ("…" if len(tracks) > 8 else "")
    returns = int(summary.get("returns") or 0)
    warnings = [str(w) for w in summary.get("warnings") or []][:6]
    if language == "es":
        text = f"Añadido a tu set de Live: {count} pista{'s' if count != 1 else ''}"
        text += f" ({names})" if names else ""
        text += f", {clips} clip{'s' if clips != 1 else ''}"
        text += f" y {returns} retorno{'s' if returns != 1 else ''}" if returns else ""
        text += ". Un solo Cmd+Z (Ctrl+Z) lo quita."
        if warnings:
            text += " Lo que la API de Live no permite: " + " · ".join(warnings)
        return text
    text = f"Added to your Live set: {count} track{'s' if count != 1 else ''}"
    text += f" ({names})" if names else ""
    text += f", {clips} clip{'s' if clips != 1 else ''}"
    text += f" and {returns} return{'s' if returns != 1 else ''}" if returns else ""
    text += ". One Cmd+Z (Ctrl+Z) removes it."
    if warnings:
        text += " What Live's API cannot do: " + " · ".join(warnings)
    return text


def not_added(reason: str, language: str) -> str:
    if language == "es":
        return f"No se pudo añadir a Live: {reason}. El proyecto está guardado; ábrelo en Live."
    return f"Could not add it to Live: {reason}. The project is saved; open it in Live."


def live_unavailable(reason: str, language: str) -> str:
    if language == "es":
        return (
            "Para eso necesito ver tus clips en Live, y ahora no puedo: "
            f"{reason}. Abre Live con la superficie de control MusiaIA y vuelve a pedírmelo."
        )
    return (
        f"For that I need to see your clips in Live, and I can't right now: {reason}. "
        "Open Live with the MusiaIA control surface and ask again."
    )


def cannot_answer(reason: str, language: str) -> str:
    if language == "es":
        return f"No he podido escribirlo: {reason}."
    return f"I couldn't write it: {reason}."


def adding_to_live(language: str) -> str:
    if language == "es":
        return "Lo estoy añadiendo a tu set de Live (puedes cancelarlo en su tarjeta)…"
    return "Adding it to your Live set (you can cancel it on its card)…"
