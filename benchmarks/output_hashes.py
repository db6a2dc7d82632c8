"""Fingerprints of what the pipeline writes, to prove a speed-up changed no byte.

    python benchmarks/output_hashes.py --save before.json [--kit DIR]
    python benchmarks/output_hashes.py --check before.json [--kit DIR]

Runs a fixed set of requests (styles, seeds, moods, with and without sounds) and two modify
requests (a new version of a project), each into the same fixed folder, and hashes the .als
after gunzip, every .mid and the arrangement JSON. ``--check`` exits 1 and names the files that
differ. The set records the kit samples' paths and modification times, so compare runs on the
same kit folder (a private copy, ``cp -a``, keeps it still while others regenerate theirs) and
the same ``--work`` folder. The baseline comes from the code before the change, e.g.
``git archive main | tar -x -C /tmp/base`` then ``PYTHONPATH=/tmp/base python
benchmarks/output_hashes.py --save base.json`` run from outside the worktree.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import shutil
import sys
import tempfile
from pathlib import Path

from companion.arrangement import Arrangement
from companion.pipeline import generate
from companion.production.layout import join_drums
from companion.project_files import NewVersion, WrittenProject
from companion.settings import Settings
from companion.sounds import SoundSource, kept_sources
from companion.understanding.parser import understand

# (request, seed, with sounds, Live version)
REQUESTS: tuple[tuple[str, int, bool, int], ...] = (
    ("Genera un track de house a 124 BPM en La menor, 64 compases, con batería, bajo, "
     "acordes, pads, lead y efectos", 0, True, 11),
    ("Genera un track de house a 124 BPM en La menor", 7, False, 11),
    ("a dark techno track at 132 BPM in F minor", 1, True, 12),
    ("happy deep house in C major", 2, True, 11),
    ("an epic trance anthem at 138 bpm", 3, True, 12),
    ("sad lo-fi beat in D minor", 4, True, 11),
    ("aggressive drum and bass at 174 BPM", 5, True, 11),
    ("chill ambient piece, dreamy", 6, True, 12),
    ("reggaeton romántico en Sol menor", 8, True, 11),
    ("energetic trap beat 140 bpm with 808", 9, True, 11),
    ("uplifting synthwave in E minor, 96 bars", 10, True, 12),
    ("funky disco at 118 BPM in G major", 11, True, 11),
    ("mysterious minimal techno, hypnotic", 12, False, 12),
)  # fmt: skip
# (first request, seed, modification): the second version goes through NewVersion.
MODIFICATIONS: tuple[tuple[str, int, str], ...] = (
    ("tech house at 126 BPM in A minor", 21, "sube el tempo a 128 y hazlo más oscuro"),
    ("uk garage in C minor", 22, "remove the pads and add a lead"),
)


def _hashes(written: WrittenProject, label: str) -> dict[str, str]:
    out = {f"{label}/als": hashlib.sha256(gzip.decompress(written.als.read_bytes())).hexdigest()}
    for midi in written.midi:
        out[f"{label}/{midi.name}"] = hashlib.sha256(midi.read_bytes()).hexdigest()
    out[f"{label}/json"] = hashlib.sha256(written.arrangement_json.read_bytes()).hexdigest()
    return out


def fingerprints(kit: Path, work: Path) -> dict[str, str]:
    source = SoundSource(kit)
    result: dict[str, str] = {}
    for index, (text, seed, sounds, live) in enumerate(REQUESTS):
        out = work / f"r{index}"
        shutil.rmtree(out, ignore_errors=True)
        chooser = source.chooser() if sounds else None
        made = generate(text, seed=seed, out_dir=out, live_version=live, sounds=chooser)
        assert made.project is not None
        result.update(_hashes(made.project, f"r{index}"))
    for index, (text, seed, change) in enumerate(MODIFICATIONS):
        out = work / f"m{index}"
        shutil.rmtree(out, ignore_errors=True)
        first = generate(text, seed=seed, out_dir=out, sounds=source.chooser())
        assert first.project is not None
        folder, name = first.project.folder, first.project.name
        tracks = Arrangement.model_validate_json(first.project.arrangement_json.read_bytes()).tracks
        keep = join_drums(tracks)
        loops = {t.role: t.audio for t in tracks if t.audio is not None}
        understanding = understand(change)
        requirements = understanding.requirements.model_copy(update={"intent": "modify_project"})
        second = generate(
            understanding=understanding.model_copy(update={"requirements": requirements}),
            requirements=requirements,
            base=first.spec,
            adjustments=understanding.adjustments,
            target=NewVersion(folder, name, 2),
            sounds=source.chooser(keep, kept_sources(folder, keep, loops), loops),
        )
        assert second.project is not None
        result.update(_hashes(first.project, f"m{index}v1"))
        result.update(_hashes(second.project, f"m{index}v2"))
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--save", type=Path)
    group.add_argument("--check", type=Path)
    parser.add_argument("--kit", type=Path, default=None, help="kit folder (default: settings)")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "musiaia-hash")
    args = parser.parse_args()
    kit = args.kit or Settings().kit_dir
    found = fingerprints(kit, args.work)
    if args.save:
        args.save.write_text(json.dumps(found, indent=1, sort_keys=True))
        print(f"{len(found)} fingerprints saved to {args.save}")
        return 0
    expected = json.loads(args.check.read_text())
    differ = sorted(k for k in expected.keys() | found.keys() if expected.get(k) != found.get(k))
    for key in differ:
        print(f"DIFFERS: {key}")
    print(f"{len(found)} fingerprints, {len(differ)} differ")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
