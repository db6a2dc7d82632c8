"""Run AbletonOSC's own test suite (tests/abletonosc_suite, unmodified) against the MusiaIA Remote
Script in the simulated Live, through AbletonOSC's ports.

    python tests/abletonosc_runner.py [--json PATH] [-- pytest args]

Live's default set (2 MIDI tracks, 2 audio tracks, returns A and B, 8 scenes, 120 BPM) runs the
script with the AbletonOSC-compatible mode on 127.0.0.1:11000 (replies to port 11001, where the
suite's client listens). A thread ticks Live every 50 ms (Live's own timer is ~100 ms; see
TICK_SECONDS); the suite runs in this process's main thread and only talks UDP. Prints (and
writes with --json) the outcome of every test; a test that failed only because an answer came
late runs once more.
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
import time
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from fake_live import FakeLive  # noqa: E402
from fake_live.rig import LINK_SECRET_HEX, free_udp_port, script_env  # noqa: E402

SUITE = HERE / "abletonosc_suite"
TICK_SECONDS = 0.05  # Live's timer is ~100 ms; the suite's client waits only 150 ms per answer,
# so a busy machine's scheduling delays would fail protocol checks that have nothing to do with time


NO_ANSWER = "No response received to query"  # the suite client's timeout message


class Outcomes:
    """A pytest plugin that keeps each test's outcome."""

    def __init__(self) -> None:
        self.results: dict[str, str] = {}
        self.timed_out: set[str] = set()  # failed only because an answer came after 150 ms

    def pytest_runtest_logreport(self, report) -> None:
        if report.when == "call" or (report.when == "setup" and report.outcome != "passed"):
            name = report.nodeid.split("abletonosc_suite/", 1)[-1]
            self.results[name] = report.outcome
            if report.failed and NO_ANSWER in str(report.longrepr):
                self.timed_out.add(name)
            else:
                self.timed_out.discard(name)


def run(extra: list[str]) -> dict:
    live = FakeLive("12.2")
    with script_env(free_udp_port(), free_udp_port(), LINK_SECRET_HEX, (11000, 11001)):
        surface, _c = live.start_script()
    if surface.compat is None or not surface.compat.is_open:
        raise SystemExit("the AbletonOSC-compatible mode could not bind 127.0.0.1:11000")
    stop = threading.Event()
    errors: list[BaseException] = []

    def ticker() -> None:
        next_tick = time.monotonic()
        while not stop.is_set():
            try:
                live.tick()
            except BaseException as error:
                errors.append(error)
                return
            next_tick += TICK_SECONDS
            time.sleep(max(0.0, next_tick - time.monotonic()))

    thread = threading.Thread(target=ticker, daemon=True)
    thread.start()
    outcomes = Outcomes()
    options = ["-q", "-p", "no:cacheprovider", "-o", "addopts=", f"--confcutdir={SUITE}"]
    options.append(f"--rootdir={SUITE}")
    retried: list[str] = []
    try:
        pytest.main([str(SUITE / "tests"), *options, *extra], plugins=[outcomes])
        # A test that failed only on the client's 150 ms wait runs once more: on a busy machine
        # the answer can be late without anything being wrong; a wrong answer fails again.
        retried = sorted(outcomes.timed_out)
        if retried:
            again = [str(SUITE / name) for name in retried]
            pytest.main([*again, *options], plugins=[outcomes])
    finally:
        stop.set()
        thread.join()
        live.close()
    passed = sorted(n for n, o in outcomes.results.items() if o == "passed")
    return {
        "passed": len(passed),
        "total": len(outcomes.results),
        "results": outcomes.results,
        "retried_after_a_late_answer": retried,
        "simulator_errors": [repr(e) for e in errors + live.surface_errors],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path)
    parser.add_argument("extra", nargs="*")
    args = parser.parse_args()
    summary = run(args.extra)
    if args.json:
        args.json.write_text(json.dumps(summary, indent=2, sort_keys=True))
    print(f"AbletonOSC's suite: {summary['passed']} of {summary['total']} passed")


if __name__ == "__main__":
    main()
