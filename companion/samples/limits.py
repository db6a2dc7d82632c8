"""What a Live set can use: the bounds a sample must keep to be offered to selection.

A readable file can still be no use to a song: five hours of silence named "drum loop 120 bpm"
would be a 36,000-beat loop (the set model allows 4,096), a 6-channel file cannot go into a
Simpler, a 40-minute "pad" would be copied whole into every project. The index checks these
bounds when it reads a file (and again when analysis learns a loop's tempo) and stores the reason;
selection never offers such a file. Pure: facts in, a reason (or None) out.
"""

from __future__ import annotations

MAX_SAMPLE_BYTES = 256 * 1024 * 1024  # copied into every project that plays it
MIN_RATE, MAX_RATE = 8_000, 192_000  # Live's own range of sample rates
MAX_CHANNELS = 2  # Simpler and audio clips play mono or stereo files
MAX_ONE_SHOT_SECONDS = 60.0  # longer is a recording, not a sound to play from a pad or a key
# 128 bars of 4/4. A half-time loop counts double in the song, so the set model's limit of
# 4,096 beats (arrangement.AudioLoop) holds with room to spare.
MAX_LOOP_BEATS = 512
MAX_LOOP_SECONDS = 600.0  # a loop whose tempo is not known yet
MIN_LOOP_BPM, MAX_LOOP_BPM = 20.0, 999.0  # the set model's tempo range (arrangement.AudioLoop)


def span(seconds: float) -> str:
    """A duration as a producer says it: "5 h", "40 min", "75 s"."""
    if seconds >= 3600:
        hours = seconds / 3600
        return f"{hours:.0f} h" if hours >= 10 or hours.is_integer() else f"{hours:.1f} h"
    if seconds >= 120:
        return f"{seconds / 60:.0f} min"
    return f"{seconds:.0f} s" if seconds >= 10 else f"{seconds:.1f} s"


def unusable_reason(
    *,
    size: int | None,
    duration: float | None,
    sample_rate: int | None,
    channels: int | None,
    is_loop: bool,
    bpm: float | None,
) -> str | None:
    """Why a readable file cannot be used by a set, or None when it can."""
    if size is not None and size > MAX_SAMPLE_BYTES:
        return f"{size / 2**20:.0f} MB, a sample file can be at most {MAX_SAMPLE_BYTES >> 20} MB"
    if sample_rate is not None and not MIN_RATE <= sample_rate <= MAX_RATE:
        return f"{sample_rate} Hz, a sample must be {MIN_RATE}–{MAX_RATE} Hz"
    if channels is not None and not 1 <= channels <= MAX_CHANNELS:
        return f"{channels} channels, Live plays mono or stereo samples only"
    if duration is None:
        return None
    if is_loop:
        if bpm is not None and not MIN_LOOP_BPM <= bpm <= MAX_LOOP_BPM:
            return f"{bpm:g} BPM, a loop's tempo must be {MIN_LOOP_BPM:g}–{MAX_LOOP_BPM:g} BPM"
        beats = duration * bpm / 60.0 if bpm is not None else None
        if beats is not None and beats > MAX_LOOP_BEATS:
            return (
                f"{span(duration)} long ({beats:.0f} beats at {bpm:g} BPM), "
                f"a loop can be at most {MAX_LOOP_BEATS} beats"
            )
        if duration > MAX_LOOP_SECONDS:
            return f"{span(duration)} long, a loop can be at most {span(MAX_LOOP_SECONDS)}"
        return None
    if duration > MAX_ONE_SHOT_SECONDS:
        return f"{span(duration)} long, a one-shot can be at most {span(MAX_ONE_SHOT_SECONDS)}"
    return None


def row_unusable(row: dict) -> str | None:
    """:func:`unusable_reason` of a ``samples`` row (or any mapping with its column names)."""
    return unusable_reason(
        size=row.get("size"),
        duration=row.get("duration"),
        sample_rate=row.get("sample_rate"),
        channels=row.get("channels"),
        is_loop=bool(row.get("is_loop")),
        bpm=row.get("bpm"),
    )
