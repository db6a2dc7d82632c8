"""Where a channel is silent, most effects have nothing to do: find the stretches that sound.

A track plays in some sections only; running its filters, compressors and reverbs over minutes of
exact silence costs as much as over music. The render runs such effects over the sounding
stretches only, each extended by the effect's tail (a filter's ring, a compressor's release, a
reverb's decay), back to back with the effect's state carried over: by the end of a tail the state
has died away, as it would have over the silence.
"""

from __future__ import annotations

import numpy as np

from companion.render.timeline import BLOCK

SILENT = 1e-6  # -120 dBFS: below this a block counts as silent
WORTH_IT = 0.75  # skip silence only when under this share of the blocks sound


def sounding_blocks(audio: np.ndarray, tail_frames: int) -> np.ndarray:
    """Indices of the BLOCK-sized blocks that sound, or are within ``tail_frames`` after one
    that does (and the block before each, so an effect starts ahead of the sound)."""
    frames = audio.shape[1]
    blocks = -(-frames // BLOCK)
    loud = block_peaks(audio, BLOCK) > SILENT
    if not loud.any():
        return np.zeros(0, dtype=np.int64)
    reach = -(-tail_frames // BLOCK)
    # A block is kept when a loud block started at most `reach` blocks before it (or right after).
    marks = np.zeros(blocks + reach + 2, dtype=np.int64)
    starts = np.flatnonzero(loud)
    np.add.at(marks, np.maximum(starts - 1, 0), 1)
    np.add.at(marks, starts + reach + 1, -1)
    return np.flatnonzero(np.cumsum(marks)[:blocks] > 0)


def block_peaks(audio: np.ndarray, size: int) -> np.ndarray:
    """The highest absolute value in each ``size``-frame block (both channels), without
    copying the audio."""
    frames = audio.shape[1]
    whole = frames // size
    shaped = audio[:, : whole * size].reshape(audio.shape[0], whole, size)
    peaks = np.maximum(shaped.max(axis=(0, 2)), -shaped.min(axis=(0, 2)))
    if whole * size < frames:
        rest = audio[:, whole * size :]
        peaks = np.append(peaks, max(float(rest.max()), -float(rest.min())))
    return peaks


def _runs(blocks: np.ndarray, frames: int) -> list[tuple[int, int]]:
    """Consecutive blocks as (first frame, end frame) stretches."""
    breaks = np.flatnonzero(np.diff(blocks) != 1) + 1
    firsts = np.concatenate([[0], breaks])
    lasts = np.concatenate([breaks, [blocks.size]]) - 1
    return [
        (int(blocks[a]) * BLOCK, min(frames, (int(blocks[b]) + 1) * BLOCK))
        for a, b in zip(firsts, lasts, strict=True)
    ]


def gather(audio: np.ndarray, blocks: np.ndarray) -> np.ndarray:
    """The frames of ``blocks``, back to back."""
    runs = _runs(blocks, audio.shape[1])
    return np.ascontiguousarray(np.concatenate([audio[:, a:b] for a, b in runs], axis=1))


def scatter(compact: np.ndarray, blocks: np.ndarray, frames: int) -> np.ndarray:
    """``compact`` put back at its blocks' places; silence elsewhere."""
    out = np.zeros((compact.shape[0], frames), dtype=np.float32)
    at = 0
    for a, b in _runs(blocks, frames):
        out[:, a:b] = compact[:, at : at + b - a]
        at += b - a
    return out
