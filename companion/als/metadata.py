"""MusiaIA's note inside a set: what the .als format has no place for.

Live sets have no field for a track's musical role, a section's energy, the chord progression the
engine meant or the tempo an audio loop was made at. The writer stores them as compact JSON in the
set-level Annotation (which Live keeps but does not show), so reading our own set back gives
exactly the arrangement that was written.
"""

from __future__ import annotations

import json

from companion.arrangement import Arrangement

METADATA_PREFIX = "MusiaIA:"


def metadata_annotation(arrangement: Arrangement) -> str:
    payload = {
        "v": 1,
        "title": arrangement.title,
        "style": arrangement.style,
        "mood": arrangement.mood,
        "seed": arrangement.seed,
        "bars": arrangement.bars,
        "roles": [track.role for track in arrangement.tracks],
        "sections": [[s.kind, s.energy] for s in arrangement.sections],
        "chords": [[c.start, c.duration, c.root, c.quality, c.symbol] for c in arrangement.chords],
    }
    if any(track.audio is not None for track in arrangement.tracks):
        # The file's own tempo (and a loop with no clips at all) has no place in an AudioClip.
        payload["loops"] = [
            track.audio.model_dump(mode="json") if track.audio is not None else None
            for track in arrangement.tracks
        ]
    return METADATA_PREFIX + json.dumps(payload, separators=(",", ":"), ensure_ascii=False)


def parse_metadata(text: str | None) -> dict:
    """The metadata dict, or {} for sets not written by MusiaIA (or a damaged note)."""
    if not text or not text.startswith(METADATA_PREFIX):
        return {}
    try:
        meta = json.loads(text[len(METADATA_PREFIX) :])
    except json.JSONDecodeError:
        return {}
    return meta if isinstance(meta, dict) and meta.get("v") == 1 else {}
