"""The conformance checks in a clone without ../shared: the seven vendored Live sets alone drive
them (tests/fixtures/als), and the problems those sets cannot rule out are exactly the documented
gaps (``alsconform.VENDORED_GAPS``), no more and no fewer. Only the production checks wait for
../shared: the vendored sets hold too few of Live's audio effects to judge them (see
``conftest.NO_EFFECTS``)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from test_als_audio import HOUSE
from test_als_writer import INSTRUMENT_CASES, VERSIONS, parse, tiny

import alsconform
from companion.als.reader import read_als
from companion.als.writer import als_bytes
from conftest import NO_EFFECTS, SONG_CASES, song, with_drum_loop, with_instruments

REPO = Path(__file__).resolve().parents[1]
CONFORMANCE_FILES = [
    "tests/test_als_writer.py",
    "tests/test_als_audio.py",
    "tests/test_als_production.py",
    "tests/test_conformance_vendored.py",
]


def test_conformance_runs_on_the_vendored_sets_alone(tmp_path):
    empty = tmp_path / "no-shared"  # MUSIAIA_SHARED pointing at nothing: ../shared is hidden
    empty.mkdir()
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-m",
            "conformance",
            *CONFORMANCE_FILES,
        ],
        cwd=REPO,
        env={**os.environ, "MUSIAIA_SHARED": str(empty)},
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )
    lines = result.stdout.strip().splitlines()
    summary = lines[-1]
    assert result.returncode == 0, result.stdout[-4000:]
    passed = re.search(r"(\d+) passed", summary)
    assert passed and int(passed.group(1)) >= 27, summary
    assert "failed" not in summary and "error" not in summary, summary
    # The only skips: the production checks, whose audio effects the vendored sets cannot judge.
    skips = [line for line in lines if line.startswith("SKIPPED")]
    assert all(line.endswith(NO_EFFECTS) for line in skips), skips
    assert all("test_als_production.py" in line for line in skips), skips


def _every_problem(version: str, exact: str, family: str) -> set[str]:
    """What the checker reports over every set the conformance tests write."""
    roots = [parse(als_bytes(song(**case.values[0]), version)) for case in SONG_CASES]
    roots.append(parse(als_bytes(tiny(), version)))
    roots += [
        parse(als_bytes(with_instruments(**case.values[0]), version)) for case in INSTRUMENT_CASES
    ]
    with tempfile.TemporaryDirectory() as folder:
        project = Path(folder)
        roots.append(parse(als_bytes(with_drum_loop(project, **HOUSE), version, project)))
    if version == "11":
        played = read_als(
            alsconform.fixture_path("Squishy123__ableton_set_creator__test_multi.als")
        )
        roots.append(parse(als_bytes(played, "11")))
    problems: set[str] = set()
    for root in roots:
        problems.update(alsconform.check(root, exact, family).problems)
    return problems


@pytest.mark.conformance
@pytest.mark.skipif(alsconform.strict(), reason="with ../shared every problem counts: no gaps")
@pytest.mark.parametrize("version,exact,family", VERSIONS)
def test_every_documented_gap_still_shows(version, exact, family):
    """A gap that no longer occurs (a vendored set now covers it) must leave the list."""
    assert all(path.is_relative_to(alsconform.VENDORED) for path in alsconform.fixture_files())
    problems = _every_problem(version, exact, family)
    gaps = alsconform.VENDORED_GAPS[exact]
    stale = [g for g in gaps if not any(p == g or p.startswith(g + "/") for p in problems)]
    assert not stale, stale
    assert all(reason for reason in gaps.values())  # each says why
