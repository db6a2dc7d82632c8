"""The song as the Remote Script receives it.

The script builds instruments through Live's browser and API, which can load a sample into a
Simpler but cannot assemble an Instrument Rack of key-split Simplers. A multi-sampled instrument
is therefore sent as a Simpler playing its middle zone (the one nearest the part's notes) and,
on a velocity-layered instrument, the layer of the part's typical (median) velocity: a chord
part comping at 80-95 gets the soft piano, a part played mostly hard the hard one. The .als
written beside the song keeps the whole rack, every layer included.
"""

from __future__ import annotations

from typing import Any

from companion.arrangement import Arrangement, Instrument, Track


def _median(values: list[int], default: int) -> int:
    ordered = sorted(values)
    return ordered[len(ordered) // 2] if ordered else default


def _middle_zone(instrument: Instrument, track: Track):
    notes = [note for clip in track.clips for note in clip.notes]
    centre = _median([note.pitch for note in notes], 60)
    velocity = _median([note.velocity for note in notes], 100)
    return min(
        instrument.zones,
        key=lambda z: (
            0 if z.low <= centre <= z.high else 1,
            abs(z.sample.root_note - centre),
            0 if z.velocity_low <= velocity <= z.velocity_high else 1,
        ),
    )


def live_arrangement(arrangement: Arrangement) -> dict[str, Any]:
    """``arrangement`` as JSON-ready data, every instrument in a form the script can load."""
    data = arrangement.model_dump(mode="json")
    for track, raw in zip(arrangement.tracks, data["tracks"], strict=True):
        instrument = track.instrument
        if instrument is None or instrument.kind != "multi":
            continue
        zone = _middle_zone(instrument, track)
        raw["instrument"].update(
            kind="simpler",
            sample=zone.sample.model_dump(mode="json"),
            loop=zone.loop.model_dump(mode="json") if zone.loop else None,
            zones=[],
        )
    return data
