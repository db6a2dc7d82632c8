"""The mix in numbers, for ``musiaia analyze`` and the mix report: what the set holds (returns,
each channel's fader, pan, sends and devices, the Main chain) next to what the render heard
(loudness, true peak, each part's share of the energy) and the style's targets."""

from __future__ import annotations

from pydantic import BaseModel

from companion.arrangement import Arrangement
from companion.production.layout import mix_part
from companion.production.tables import MAX_SHARE, TRUE_PEAK_MAX, style_mix

SHARE_FACTOR = 1.8  # a part within ±2.5 dB of its reference level counts as on its level


class PartMix(BaseModel):
    name: str
    part: str
    fader_db: float
    pan: float
    sends_db: list[float]
    devices: list[str]
    sidechain: str | None = None
    share: float | None = None  # of the energy heard (None: not rendered)
    reference: float | None = None  # the style's share for the part, over the parts heard
    on_level: bool | None = None


class MixReport(BaseModel):
    style: str | None
    returns: list[str]
    main: list[str]
    loudness_target: float
    loudness_range: tuple[float, float]
    lufs: float | None = None
    true_peak_dbtp: float | None = None
    loudness_ok: bool | None = None
    peak_ok: bool | None = None
    parts: list[PartMix]
    loudest: str | None = None
    loudest_share: float | None = None
    loudest_allowed: float = MAX_SHARE


def _device(kind: str, name: str) -> str:
    return f"{kind} ({name})" if name else kind


def mix_report(arrangement: Arrangement, listening=None) -> MixReport:
    """The report of a set; ``listening`` (a companion.analysis.listening.Listening) adds what
    the render heard."""
    mix = style_mix(arrangement.style)
    heard = {p.name: p.energy_share for p in listening.parts} if listening is not None else {}
    parts = [mix_part(t) for t in arrangement.tracks]
    playing = [(t, p) for t, p in zip(arrangement.tracks, parts, strict=True) if heard.get(t.name)]
    total = sum(mix.levels[p].share for _, p in playing if p in mix.levels) or 1.0
    rows = []
    for track, part in zip(arrangement.tracks, parts, strict=True):
        share = heard.get(track.name) if listening is not None else None
        reference = mix.levels[part].share / total if share and part in mix.levels else None
        rows.append(
            PartMix(
                name=track.name,
                part=part,
                fader_db=track.mix.volume_db,
                pan=track.mix.pan,
                sends_db=[track.mix.send_db(i) for i in range(len(arrangement.returns))],
                devices=[_device(d.kind, d.name) for d in track.devices],
                sidechain=next((d.sidechain for d in track.devices if d.sidechain), None),
                share=share,
                reference=reference,
                on_level=(
                    reference / SHARE_FACTOR <= share <= reference * SHARE_FACTOR
                    if share is not None and reference
                    else None
                ),
            )
        )
    report = MixReport(
        style=arrangement.style,
        returns=[
            f"{r.name}: " + ", ".join(_device(d.kind, d.name) for d in r.devices)
            for r in arrangement.returns
        ],
        main=[_device(d.kind, d.name) for d in arrangement.main.devices],
        loudness_target=mix.loudness.target,
        loudness_range=(mix.loudness.low, mix.loudness.high),
        parts=rows,
    )
    if listening is not None:
        lufs = listening.integrated_lufs
        report.lufs = lufs
        report.true_peak_dbtp = listening.true_peak_dbtp
        report.loudness_ok = lufs is not None and mix.loudness.low <= lufs <= mix.loudness.high
        report.peak_ok = listening.true_peak_dbtp <= TRUE_PEAK_MAX
        loudest = max(rows, key=lambda r: r.share or 0.0)
        report.loudest, report.loudest_share = loudest.name, loudest.share
        if mix.dominant and loudest.part == mix.dominant[0]:
            report.loudest_allowed = mix.dominant[1]
    return report


def _mark(ok: bool | None) -> str:
    return "" if ok is None else (" ok" if ok else " OFF")


def format_mix(report: MixReport) -> str:
    """The report as the terminal prints it."""
    low, high = report.loudness_range
    lines = [
        f"Mix ({report.style or 'no style'}): target {report.loudness_target:.1f} LUFS "
        f"({low:.1f} to {high:.1f}), true peak ≤ {TRUE_PEAK_MAX:.0f} dBTP",
    ]
    if report.lufs is not None and report.true_peak_dbtp is not None:
        lines.append(
            f"  heard {report.lufs:.1f} LUFS{_mark(report.loudness_ok)} · true peak "
            f"{report.true_peak_dbtp:+.1f} dBTP{_mark(report.peak_ok)}"
        )
    if report.loudest is not None and report.loudest_share is not None:
        within = report.loudest_share <= report.loudest_allowed
        lines.append(
            f"  loudest part {report.loudest} {report.loudest_share:.0%} of the energy "
            f"(≤ {report.loudest_allowed:.0%}){_mark(within)}"
        )
    lines += [f"  return {line}" for line in report.returns]
    lines.append("  main: " + " → ".join(report.main))
    lines.append(
        "  parts (fader · pan · sends · share heard (the style's share in its fullest sections)"
        " · devices):"
    )
    for row in report.parts:
        sends = " ".join("off" if s <= -70 else f"{s:.0f}" for s in row.sends_db) or "-"
        share = (
            f"{row.share:5.1%} ({row.reference:.0%}){_mark(row.on_level)}"
            if row.share is not None and row.reference is not None
            else "-"
        )
        keyed = f" keyed by {row.sidechain}" if row.sidechain else ""
        lines.append(
            f"    {row.name:<12} {row.fader_db:+6.1f} dB · {row.pan:+.2f} · {sends:<9} · "
            f"{share:<16} · {', '.join(row.devices)}{keyed}"
        )
    return "\n".join(lines)
