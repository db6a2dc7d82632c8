"""What "Send to Live" cannot build of a project, said before it is sent: the parts of the .als
that Live's API gives a script no way to make. "Open in Live" opens the .als with all of it.

The list depends on the song (what it holds) and, where Live versions differ, on what the
connected Live offers (its capabilities, found by feature detection). Each entry is one sentence
for the producer; the script's own report after a build adds what went wrong in that set.
"""

from __future__ import annotations

from companion.arrangement import Arrangement, Envelope
from companion.live.protocol import LoadOptions
from companion.live.state import LiveState


def _names(envelopes: list[tuple[str, Envelope]], limit: int = 4) -> str:
    shown = [f"{owner} {envelope.target}" for owner, envelope in envelopes[:limit]]
    more = len(envelopes) - limit
    return ", ".join(shown) + (f" and {more} more" if more > 0 else "")


def _ramps(envelope: Envelope) -> bool:
    return any(
        a[1] != b[1] and b[0] > a[0]
        for a, b in zip(envelope.points, envelope.points[1:], strict=False)
    )


def live_limits(
    arrangement: Arrangement,
    state: LiveState | None = None,
    options: LoadOptions | None = None,
) -> list[str]:
    options = options or LoadOptions()
    capabilities = set(state.capabilities) if state is not None and state.connected else None
    limits: list[str] = []
    automation = [(t.name, e) for t in arrangement.tracks for e in t.automation]
    automation += [(r.name, e) for r in arrangement.returns for e in r.automation]
    automation += [("Main", e) for e in arrangement.main.automation]
    if automation:
        limits.append(
            f"Arrangement automation ({len(automation)} envelope"
            f"{'s' if len(automation) != 1 else ''}: {_names(automation)}): Live's API cannot "
            "draw automation in the Arrangement"
        )
    clip_envelopes = [e for t in arrangement.tracks for c in t.clips for e in c.envelopes]
    if clip_envelopes and any(_ramps(e) for e in clip_envelopes):
        limits.append("Clip envelope ramps are drawn as 1/16-note steps (the API draws steps)")
    if clip_envelopes and not options.session:
        limits.append("Clip envelopes need Session clips (sent without them, they are left out)")
    if options.production and (arrangement.main.devices or arrangement.main.volume_db):
        if not options.main_bus:
            devices = ", ".join(d.kind for d in arrangement.main.devices) or "none"
            limits.append(
                f"Main's chain ({devices}) and fader are left alone in your set (your Main is "
                "yours); they are in the .als"
            )
    if not options.production and (
        arrangement.returns or any(t.devices for t in arrangement.tracks)
    ):
        limits.append("Production (returns, effects, faders) is switched off for this load")
    drum_samples = [
        t.name
        for t in arrangement.tracks
        if t.instrument is not None and t.instrument.kind == "drum_rack" and t.role == "drums"
    ]
    if drum_samples:
        limits.append(
            f"{', '.join(drum_samples)}: the set's own drum samples cannot be put into Drum Rack "
            "pads from a script, so a kit from Live's browser plays"
        )
    fx_racks = [
        t.name
        for t in arrangement.tracks
        if t.instrument is not None and t.instrument.kind == "drum_rack" and t.role != "drums"
    ]
    if fx_racks:
        limits.append(f"{', '.join(fx_racks)}: an empty Drum Rack (its samples are in the .als)")
    multi = [t.name for t in arrangement.tracks if t.instrument and t.instrument.kind == "multi"]
    if multi:
        limits.append(
            f"{', '.join(multi)}: a multi-sampled instrument reaches Live as one Simpler (its "
            "middle zone, at the part's usual velocity); the key- and velocity-split "
            "Instrument Rack is in the .als"
        )
    sampled = [
        t.name
        for t in arrangement.tracks
        if t.instrument and t.instrument.kind in ("simpler", "multi")
    ]
    if sampled:
        limits.append(
            f"{', '.join(sampled)}: Simpler samples load only when their folder (the project's, "
            "or MusiaIA's kit in the User Library) is in Live's browser (Places or the User "
            "Library), else a Live instrument plays; Simpler's loop, envelope, glide and filter "
            "settings are in the .als"
        )
    loops = [t.name for t in arrangement.tracks if t.audio is not None]
    if loops and capabilities is not None and "slot_create_audio_clip" not in capabilities:
        limits.append(
            f"{', '.join(loops)}: this Live cannot load audio files from a script (Live 11.3.25+ "
            "or 12.0.5+ can)"
        )
    return limits
