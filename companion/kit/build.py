"""Rendering the kit into a folder: finishing each sound, writing its file and the manifest.

A sound is high-passed at 20 Hz (no DC), faded in, then either faded out (one-shots) or given its
sustain loop and cut at the loop's end (tuned instruments), normalised to -1 dBFS and written as
24-bit WAV. The manifest (``musiaia-kit.json``) records each file's size and hash, its root and
loop, and its level facts (:mod:`companion.kit.loudness`) so the mix can be staged without
rendering. A version number in it makes an upgrade regenerate the files. Rendering runs on every
core in worker processes (each writes its own files), falling back to one process when workers
cannot be started.
"""

from __future__ import annotations

import hashlib
import json
import logging
import multiprocessing
import os
import shutil
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from companion.fsutil import atomic_write_bytes
from companion.kit import loops
from companion.kit.catalogue import KIT, KIT_BY_NAME, PREFIX, KitSound
from companion.kit.dsp import RATE, filtered
from companion.kit.loudness import level_facts
from companion.kit.synths import Note
from companion.kit.wav import quantize, wav_bytes
from companion.lazy import LazyModule

if TYPE_CHECKING:
    import numpy as np
else:
    np = LazyModule("numpy")

log = logging.getLogger("musiaia.kit")

KIT_VERSION = 2
MANIFEST = "musiaia-kit.json"
PEAK = 10 ** (-1 / 20)  # -1 dBFS
MAX_WORKERS = 4


@dataclass(frozen=True, slots=True)
class Rendered:
    audio: np.ndarray  # the samples the file holds (already 24-bit values)
    loop: loops.Loop | None


def _fade(channels: np.ndarray, count: int, rising: bool) -> None:
    count = max(2, count)
    ramp = 0.5 - 0.5 * np.cos(np.pi * np.arange(count) / count)
    if rising:
        channels[:, :count] *= ramp
    else:
        channels[:, -count:] *= ramp[::-1]


def finish(sound: KitSound, raw: object) -> Rendered:
    """Clean, loop (tuned instruments) or fade out (one-shots), normalise and quantise."""
    note = raw if isinstance(raw, Note) else None
    audio = np.asarray(note.audio if note else raw, dtype=np.float64)
    audio = filtered(audio, low=20.0, order=2)
    channels = audio.reshape(len(audio), -1).T.copy()
    channels -= channels.mean(axis=1, keepdims=True)
    _fade(channels, round(sound.fade_in * RATE), rising=True)
    loop = None
    if note is not None and sound.looped:
        shaped = channels.T if len(channels) > 1 else channels[0]
        start, end = loops.find_loop(
            shaped, note.sustain_from, _loop_seconds(sound, note, len(channels[0]))
        )
        baked, loop = loops.bake(shaped, start, end, round(sound.crossfade * RATE))
        channels = baked.reshape(len(baked), -1).T.copy()
    else:
        _fade(channels, round(0.01 * RATE), rising=False)
        channels[:, -1] = 0.0
    peak = np.abs(channels).max()
    if peak > 0:
        channels *= PEAK / peak
    out = quantize(channels.T if len(channels) > 1 else channels[0])
    return Rendered(out, loop)


def _loop_seconds(sound: KitSound, note: Note, frames: int) -> float:
    """The loop the recipe planned: what follows its steady point, less the render's margin."""
    return max(0.05, frames / RATE - note.sustain_from - 0.1)


def render(sound: KitSound) -> Rendered:
    return finish(sound, sound.render())


def sound_bytes(sound: KitSound) -> bytes:
    rendered = render(sound)
    span = (rendered.loop.start, rendered.loop.end) if rendered.loop else None
    return wav_bytes(rendered.audio, sound.root_note, loop=span)


def _write(name: str, folder: str) -> tuple[str, dict]:
    """Render one sound into ``folder`` (runs in a worker); its manifest entry."""
    sound = KIT_BY_NAME[name]
    rendered = render(sound)
    span = (rendered.loop.start, rendered.loop.end) if rendered.loop else None
    data = wav_bytes(rendered.audio, sound.root_note, loop=span)
    atomic_write_bytes(Path(folder) / sound.filename, data, durable=False)
    entry: dict = {
        "size": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
        "frames": len(rendered.audio),
        "channels": 1 if rendered.audio.ndim == 1 else rendered.audio.shape[1],
        "levels": level_facts(rendered.audio, RATE, span),
    }
    if sound.root_note is not None:
        entry["root_note"] = sound.root_note
    if span is not None:
        entry["loop"] = list(span)
    return sound.filename, entry


def _describe(render) -> str:
    """A recipe as text: the function's name and its knobs (no memory addresses)."""
    func = getattr(render, "func", render)
    args = getattr(render, "args", ())
    inner = [_describe(a) if callable(a) else repr(a) for a in args]
    return f"{func.__module__}.{func.__qualname__}({', '.join(inner)})"


@cache
def fingerprint() -> str:
    """A hash of every sound's recipe and knobs: changing one regenerates the kit, as a version
    bump does."""
    text = "\n".join(
        f"{s.name}|{s.kind}|{s.subtype}|{s.root_note}|{s.fade_in}|{s.crossfade}|{_describe(s.render)}"
        for s in KIT
    )
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def read_manifest(folder: Path) -> dict:
    try:
        return json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


@cache
def _kit_filenames() -> frozenset[str]:
    return frozenset(sound.filename for sound in KIT)


def up_to_date(folder: Path, manifest: dict) -> bool:
    if manifest.get("version") != KIT_VERSION or manifest.get("recipes") != fingerprint():
        return False
    files = manifest.get("files", {})
    if set(files) != _kit_filenames():
        return False
    base = os.fspath(folder)
    for name, entry in files.items():
        try:  # os.stat on a joined string: a Path per file costs more than the stat itself
            if os.stat(os.path.join(base, name)).st_size != entry.get("size"):
                return False
        except OSError:
            return False
    return True


_PARSED: dict[tuple, dict] = {}


def _manifest_now(folder: Path) -> dict:
    """:func:`read_manifest`, parsed again only when the file changed (same inode, size, change
    and modification times: it is parsed on every request, and only read here, never changed)."""
    try:
        stat = os.stat(folder / MANIFEST)
    except OSError:
        return {}
    key = (os.fspath(folder), stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns)
    found = _PARSED.get(key)
    if found is None:
        found = read_manifest(folder)
        _PARSED.clear()  # one manifest per kit folder in use; old ones are dropped
        _PARSED[key] = found
    return found


@lru_cache(maxsize=16)
def _kit_paths(folder: Path) -> tuple[Path, ...]:
    return tuple(folder / sound.filename for sound in KIT)


def _context():
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


def _render_all(names: list[str], folder: Path, workers: int) -> dict[str, dict]:
    if workers > 1:
        try:
            with ProcessPoolExecutor(max_workers=workers, mp_context=_context()) as pool:
                return dict(pool.map(_write, names, [str(folder)] * len(names), chunksize=4))
        except (OSError, RuntimeError, AssertionError) as exc:  # no processes here: one core
            log.warning("kit rendering falls back to one process", extra={"reason": str(exc)})
    return dict(_write(name, str(folder)) for name in names)


def _cost(sound: KitSound) -> float:
    return -(2.0 if sound.looped else 1.0)  # instruments first: they take longest


def _copy_from(seed: Path, folder: Path) -> dict[str, dict] | None:
    """The kit copied from an up-to-date copy elsewhere, or None when ``seed`` holds no current
    kit. Copies, not links: a project links the kit's files, and nothing done to one kit
    folder may reach the seed the others are made from."""
    manifest = read_manifest(seed)
    if seed.resolve() == folder.resolve() or not up_to_date(seed, manifest):
        return None
    for name in manifest["files"]:
        partial = folder / f".{name}.{os.getpid()}.tmp"
        shutil.copyfile(seed / name, partial)
        os.replace(partial, folder / name)  # readers see the old file or the new one, never none
    return manifest["files"]


def ensure_kit(
    folder: str | Path, workers: int | None = None, seed: str | Path | None = None
) -> list[Path]:
    """Render the kit into ``folder`` unless this version is already there; return its files.

    Idempotent and cheap when up to date (one manifest read and a stat per file). An up-to-date
    kit in ``seed`` (default: ``$MUSIAIA_KIT_SEED``, a shared copy rendered there first when
    missing) is copied instead of rendered. Files left by an older kit version that this one no
    longer has are removed; nothing else in the folder is.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    manifest = _manifest_now(folder)
    paths = list(_kit_paths(folder))
    if up_to_date(folder, manifest):
        return paths
    if workers is None:
        workers = max(1, min(MAX_WORKERS, os.cpu_count() or 1))
    seed = seed if seed is not None else os.environ.get("MUSIAIA_KIT_SEED") or None
    entries = None
    if seed and Path(seed).resolve() != folder.resolve():
        ensure_kit(seed, workers, seed="")  # a shared copy: rendered once, then copied
        entries = _copy_from(Path(seed), folder)
    if entries is None:
        names = [sound.name for sound in sorted(KIT, key=_cost)]
        entries = _render_all(names, folder, workers)
    for old in set(manifest.get("files", {})) - set(entries):
        if "/" not in old and "\\" not in old and old.startswith(PREFIX):
            (folder / old).unlink(missing_ok=True)
    if hasattr(os, "sync"):
        os.sync()  # one flush for all the files, before the manifest vouches for them
    body = {
        "version": KIT_VERSION,
        "recipes": fingerprint(),
        "rate": RATE,
        "files": dict(sorted(entries.items())),
    }
    atomic_write_bytes(folder / MANIFEST, json.dumps(body, indent=1, sort_keys=True).encode())
    return paths


def kit_facts(folder: str | Path) -> dict[str, dict]:
    """The manifest's entry per file (levels, loop, root) of an up-to-date kit, else {}."""
    folder = Path(folder)
    manifest = read_manifest(folder)
    return manifest.get("files", {}) if up_to_date(folder, manifest) else {}
