"""Request → Live project with a full production (returns, effects, sidechain, automation), against
the same request without one: median of 20 runs each, the .als sizes, and the floor.

    python benchmarks/bench_production.py [--runs 20] [--live-version 11]

The production is hand-built here (the mixing stage that chooses it per style comes later): a
reverb and a tempo-synced delay on two returns; EQ Eight on everything but kick and bass, a Glue
Compressor on the drums, Compressors keyed from the drums on bass, chords and pads, a Saturator on
the bass, an Auto Filter on the chords and Utility on the pads, a Limiter on Main; per-part faders,
pans and sends; filter sweeps through every build, send throws on the last beat before each drop,
fades in the intro and outro, and clip envelopes on the FX part's Session clips.

The floor is what writing the same project costs with no set to build: serialising the same XML
tree, gzipping it and writing the same files. Target (issue 13): request → project with effects
under 150 ms median, within 3× of the floor.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import zlib
from pathlib import Path

from lxml import etree

from companion.als.writer import als_bytes, als_xml
from companion.arrangement import Arrangement, Device, Envelope, MainBus, Mix, ReturnTrack
from companion.fsutil import atomic_write_bytes
from companion.pipeline import generate
from companion.project_files import render_files
from companion.sounds import SoundPlan

REQUEST = (
    "Genera un track de house a 124 BPM en La menor, 64 compases, con batería, bajo, "
    "acordes, pads, lead y efectos"
)
SENDS = {  # role → (reverb, delay) send in dB
    "drums": (-24.0, -70.0),
    "bass": (-70.0, -70.0),
    "chords": (-14.0, -18.0),
    "pads": (-8.0, -20.0),
    "lead": (-16.0, -12.0),
    "arp": (-18.0, -12.0),
    "fx": (-10.0, -14.0),
}


def produce(song: Arrangement) -> Arrangement:
    """The hand-built full production described above, put on a composed song in place (as a
    mixing stage would: the notes are not validated again, the production's references are)."""
    end = song.length_beats
    bar = song.beats_per_bar
    kick = next((t.name for t in song.tracks if t.role == "drums"), None)
    builds = [s for s in song.sections if s.kind == "build"]
    drops = [song.section_start_beat(s) for s in song.sections if s.kind in ("drop", "chorus")]
    song.returns = [
        ReturnTrack(
            name="Reverb",
            color=24,
            devices=[
                Device(kind="eq8", params={"b1_on": 1, "b1_mode": 0, "b1_freq": 200.0}),
                Device(kind="reverb", params={"decay_s": 2.8, "predelay_ms": 20.0}),
            ],
            mix=Mix(volume_db=-4.0),
        ),
        ReturnTrack(
            name="Delay",
            color=11,
            devices=[Device(kind="delay", params={"sixteenths_r": 3, "feedback": 0.4})],
            mix=Mix(volume_db=-6.0),
        ),
    ]
    for track in song.tracks:
        keyed = kick is not None and track.name != kick
        devices: list[Device] = []
        if track.role not in ("drums", "bass"):
            devices.append(Device(kind="eq8", params={"b1_on": 1, "b1_freq": 150.0}))
        if track.role == "drums":
            devices.append(Device(kind="glue", params={"threshold_db": -10.0, "ratio": 4.0}))
        if track.role == "bass":
            devices.append(Device(kind="saturator", params={"drive_db": 3.0, "dry_wet": 0.5}))
        if track.role in ("bass", "chords", "pads") and keyed:
            devices.append(
                Device(
                    kind="compressor", params={"threshold_db": -24.0, "ratio": 4.0}, sidechain=kick
                )
            )
        if track.role == "chords":
            devices.append(Device(kind="auto_filter", params={"resonance": 0.3}))
        if track.role == "pads":
            devices.append(Device(kind="utility", params={"width": 1.4}))
        track.devices = devices
        reverb, delay = SENDS.get(track.role, (-70.0, -70.0))
        track.mix = Mix(
            volume_db=-6.0, pan=0.2 if track.role == "pads" else 0.0, sends=(reverb, delay)
        )
        automation = []
        if track.role == "chords":
            cutoff = next(i for i, d in enumerate(devices) if d.kind == "auto_filter")
            points: list[tuple[float, float]] = [(0.0, 19900.0)]
            for section in builds:
                start = song.section_start_beat(section)
                points += [(start, 19900.0), (start, 300.0), (start + section.bars * bar, 19900.0)]
            automation.append(Envelope(target=f"device:{cutoff}:cutoff_hz", points=points))
        if track.role in ("chords", "lead") and drops:
            throw = [(0.0, delay)]
            for drop in drops:
                if drop >= 1:
                    throw += [(drop - 1, delay), (drop - 1, -4.0), (drop, -4.0), (drop, delay)]
            automation.append(Envelope(target="send:1", points=throw))
        if track.role == "pads":
            automation.append(Envelope(target="volume", points=[(0.0, -40.0), (8 * bar, -6.0)]))
        track.automation = automation
        if track.role == "fx":
            for clip in track.clips:
                clip.envelopes = [
                    Envelope(target="send:0", points=[(0, -30.0), (clip.length, -6.0)])
                ]
    song.main = MainBus(
        devices=[Device(kind="limiter", params={"ceiling_db": -1.0, "gain_db": 2.0})],
        automation=[
            Envelope(target="volume", points=[(0.0, 0.0), (end - 8 * bar, 0.0), (end, -70.0)])
        ],
    )
    song._check_production()
    return song


def _with_production(arrangement: Arrangement, spec) -> SoundPlan:
    return SoundPlan(arrangement=produce(arrangement))


def _unchanged(arrangement: Arrangement, spec) -> SoundPlan:
    return SoundPlan(arrangement=arrangement)


def _floor(xml: bytes, files: dict, out: Path) -> tuple[float, float]:
    """Serialise the same tree, gzip it and write the same files: the cost of any writer."""
    tree = etree.fromstring(xml)

    def write() -> None:
        data = etree.tostring(tree, encoding="UTF-8", xml_declaration=True)
        zlib.compress(data, 3)
        for relative, content in files.items():
            path = out / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_bytes(path, content)

    return _timed(write)[1:]


def _timed(func, *args, **kwargs):
    """(result, wall ms, this process's CPU ms): the machine is shared, so both are printed."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = func(*args, **kwargs)
    return result, (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000


def _median(values: list[float]) -> str:
    values = sorted(values)
    p90 = values[int(0.9 * (len(values) - 1))]
    return f"median {statistics.median(values):6.1f} ms  p90 {p90:6.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--live-version", default="11")
    args = parser.parse_args()
    names = ("plain", "production", "als_plain", "als_prod", "floor")
    wall: dict[str, list[float]] = {k: [] for k in names}
    cpu: dict[str, list[float]] = {k: [] for k in names}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        generate(REQUEST, seed=0, out_dir=root / "warm", sounds=_with_production)  # caches
        results = {}
        for run in range(args.runs):
            for label, hook in (("plain", _unchanged), ("production", _with_production)):
                result, wall_ms, cpu_ms = _timed(
                    generate,
                    REQUEST,
                    seed=run,
                    out_dir=root / f"{label}{run}",
                    live_version=args.live_version,
                    sounds=hook,
                )
                wall[label].append(wall_ms)
                cpu[label].append(cpu_ms)
                results[label] = result
                key = "als_plain" if label == "plain" else "als_prod"
                _, wall_ms, cpu_ms = _timed(als_bytes, result.arrangement, args.live_version)
                wall[key].append(wall_ms)
                cpu[key].append(cpu_ms)
            arrangement = results["production"].arrangement
            files = render_files(arrangement, "Floor", live_version=args.live_version)
            xml = als_xml(arrangement, args.live_version)
            wall_ms, cpu_ms = _floor(xml, files, root / f"floor{run}")
            wall["floor"].append(wall_ms)
            cpu["floor"].append(cpu_ms)
        size_plain = results["plain"].project.als.stat().st_size
        size_prod = results["production"].project.als.stat().st_size
    produced = results["production"].arrangement
    devices = sum(len(t.devices) for t in produced.tracks) + len(produced.main.devices)
    devices += sum(len(r.devices) for r in produced.returns)
    envelopes = sum(len(t.automation) for t in produced.tracks) + len(produced.main.automation)
    envelopes += sum(len(c.envelopes) for t in produced.tracks for c in t.clips)
    print(
        f"song: {produced.summary()}, Live {args.live_version}, {args.runs} runs; production: "
        f"{len(produced.returns)} returns, {devices} devices, {envelopes} envelopes"
    )
    print(f"{'':>36}  {'wall clock':^32}  {'CPU of this process':^32}")
    for label, title in (
        ("plain", "request → project, no production"),
        ("production", "request → project, full production"),
        ("als_plain", ".als bytes, no production"),
        ("als_prod", ".als bytes, full production"),
        ("floor", "floor (serialise+gzip+write)"),
    ):
        print(f"{title:>36}  {_median(wall[label])}  {_median(cpu[label])}")
    print(
        f"  .als size: {size_plain / 1024:.1f} KiB without production, {size_prod / 1024:.1f} KiB "
        f"with ({size_prod / size_plain:.2f}×)"
    )
    for clock, table in (("wall", wall), ("CPU", cpu)):
        median = statistics.median(table["production"])
        ratio = median / statistics.median(table["floor"])
        print(
            f"with production ({clock}): median {median:.1f} ms (target < 150 ms): "
            f"{'OK' if median < 150 else 'OVER'}; {ratio:.1f}× the floor (goal ≤ 3×)"
        )


if __name__ == "__main__":
    main()
