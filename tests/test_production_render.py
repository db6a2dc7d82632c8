"""The render judges the mix: a generated song's loudness and true peak, and each part's share of
the energy in its fullest section, against the style's table (a few styles, short songs)."""

from __future__ import annotations

import pytest

from companion import render as render_package
from companion.settings import Settings
from companion.sounds import SoundSource

pytestmark = pytest.mark.skipif(
    not render_package.available(), reason=render_package.INSTALL_HINT
)

STYLES = ["house", "techno", "trap", "lo-fi", "ambient", "drum-and-bass"]
SHARE_FACTOR = 1.8  # a part's share within ±2.5 dB of its reference level
BARS = 32


@pytest.fixture(scope="module")
def heard(tmp_path_factory):
    """style → (arrangement, listening of the whole song, listening of its fullest section)."""
    from companion.analysis.listening import analyse
    from companion.pipeline import generate
    from companion.render import render

    out = tmp_path_factory.mktemp("mixes")
    chooser = SoundSource(Settings().kit_dir).chooser()
    found = {}

    def get(style: str):
        if style not in found:
            made = generate(f"{style}, {BARS} compases", seed=5, out_dir=out, sounds=chooser)
            song, folder = made.arrangement, made.project.folder
            fullest = max(song.sections, key=lambda s: (s.energy, s.bars))
            found[style] = (
                made,
                analyse(render(song, folder)),
                analyse(render(song, folder, section=fullest.name)),
            )
        return found[style]

    return get


@pytest.mark.parametrize("style", STYLES)
def test_the_master_reaches_the_styles_loudness_under_minus_one_dbtp(heard, style):
    from companion.production.tables import TRUE_PEAK_MAX, style_mix

    _, whole, _ = heard(style)
    loudness = style_mix(style).loudness
    assert whole.true_peak_dbtp <= TRUE_PEAK_MAX, whole.true_peak_dbtp
    assert not whole.clipped
    assert loudness.low <= whole.integrated_lufs <= loudness.high, (
        whole.integrated_lufs,
        loudness,
    )


@pytest.mark.parametrize("style", STYLES)
def test_parts_land_on_their_reference_levels(heard, style):
    from companion.production.tables import MAX_SHARE, style_mix

    made, _, section = heard(style)
    mix = style_mix(style)
    parts = made.production.parts
    playing = [p for p in section.parts if p.energy_share > 0]
    total = sum(mix.levels[parts[p.name]].share for p in playing)
    for part in playing:
        wanted = mix.levels[parts[part.name]].share / total
        assert wanted / SHARE_FACTOR <= part.energy_share <= wanted * SHARE_FACTOR, (
            part.name,
            part.energy_share,
            wanted,
        )
    loudest = max(playing, key=lambda p: p.energy_share)
    allowed = MAX_SHARE
    if mix.dominant and parts[loudest.name] == mix.dominant[0]:
        allowed = mix.dominant[1]
    assert loudest.energy_share <= allowed


def test_the_estimate_is_close_to_the_render(heard):
    """The fast path generation runs on: its pre-limiter loudness within 2 LU of the render's."""
    from companion.analysis.listening import integrated_loudness
    from companion.render import render

    made, _, _ = heard("house")
    song = made.arrangement
    dry = song.model_copy(update={"main": song.main.model_copy(update={"devices": []})})
    result = render(dry, made.project.folder)
    measured = integrated_loudness(result.audio, result.sample_rate)
    estimate = made.production.staged.estimate["lufs_before_limiter"]
    assert abs(measured - estimate) <= 2.0, (measured, estimate)
