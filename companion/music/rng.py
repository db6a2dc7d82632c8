"""Stable per-part random streams.

Python's ``hash()`` is salted per process, so seeds are derived with BLAKE2 instead: the same
(seed, part) pair gives the same stream on every run and machine, and each part owns its stream so
changing or removing one part never shifts the random numbers another part sees.
"""

from __future__ import annotations

import hashlib
import random


def stable_seed(*names: object) -> int:
    text = "\x1f".join(str(name) for name in names)
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "big")


def part_rng(seed: int, *names: object) -> random.Random:
    """A ``random.Random`` owned by one part (or one lane, or one decision family)."""
    return random.Random(stable_seed(seed, *names))


def jitter(rng: random.Random, spread: int) -> int:
    """A uniform integer in [-spread, spread]; cheaper than ``randint`` in hot loops."""
    return int(rng.random() * (2 * spread + 1)) - spread
