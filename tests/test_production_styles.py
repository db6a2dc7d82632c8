"""Every style's mix, as the render hears it: an 8-bar song (one section, the fullest: a drop, a
hook, a swell) through the whole pipeline with the built-in kit, rendered once. Its loudness and
true peak are on the style's target, every part on the table's level, no part over the energy
limit (unless the style lets it) and no sustained part silent while it holds a note.

test_production_render.py judges whole 32-bar songs of a few styles; this covers all of them
cheaply."""

from __future__ import annotations

import pytest

from companion import render as render_package
from companion.requirements import STYLES
from companion.settings import Settings
from companion.sounds import SoundSource

pytestmark = pytest.mark.skipif(not render_package.available(), reason=render_package.INSTALL_HINT)

SHARE_FACTOR = 1.8  # a part's share within ±2.5 dB of its reference level
BARS = 8


@pytest.fixture(scope="module")
def heard(tmp_path_factory):
    """(request, seed) → (generation, render with sustain gaps measured), made once."""
    from companion.pipeline import generate
    from companion.render import render

    out = tmp_path_factory.mktemp("style-mixes")
    chooser = SoundSource(Settings().kit_dir).chooser()
    found = {}

    def get(request: str, seed: int = 5):
        if (request, seed) not in found:
            made = generate(f"{request}, {BARS} compases", seed=seed, out_dir=out, sounds=chooser)
            rendered = render(made.arrangement, made.project.folder, measure=True)
            found[request, seed] = (made, rendered)
        return found[request, seed]

    return get


@pytest.mark.parametrize("style", STYLES)
def test_every_styles_mix_is_on_target(heard, style):
    made, result = heard(style)
    assert made.arrangement.style == style
    assert_on_target(made, result)


# Moods change the instruments, register and tempo: their mixes hold the same targets. Two were
# off before the estimates weighed spectra: trap oscuro's dark piano (seed 23) sat ~200 Hz, over
# a 150 Hz high-pass taken as cutting its lows (chords 20 % of the energy for 8 %), and
# ambient dreamy's mono choir rang the hall twice a wide pad, swelling wetter in its
# breakdown (-11.3 LUFS for at most -12.5).
MOODS = [("techno triste", 5), ("house alegre", 11), ("trap oscuro", 23), ("ambient dreamy", 5)]


@pytest.mark.parametrize(("request_text", "seed"), MOODS)
def test_mood_requests_mix_on_target(heard, request_text, seed):
    made, result = heard(request_text, seed)
    assert made.arrangement.mood is not None
    assert_on_target(made, result)


def assert_on_target(made, result) -> None:
    from companion.analysis.listening import integrated_loudness, true_peak
    from companion.production.levels import db
    from companion.production.tables import MAX_SHARE, TRUE_PEAK_MAX, style_mix

    style = made.arrangement.style
    mix = style_mix(style)
    peak = db(true_peak(result.audio) ** 2)  # dBTP
    assert peak <= TRUE_PEAK_MAX, peak
    lufs = integrated_loudness(result.audio, result.sample_rate)
    assert lufs is not None and mix.loudness.low <= lufs <= mix.loudness.high, (lufs, mix.loudness)

    parts = made.production.parts
    total = sum(p.energy for p in result.parts)
    shares = {p.name: p.energy / total for p in result.parts if p.energy > 0}
    wanted_total = sum(mix.levels[parts[name]].share for name in shares)
    for name, share in shares.items():
        wanted = mix.levels[parts[name]].share / wanted_total
        assert wanted / SHARE_FACTOR <= share <= wanted * SHARE_FACTOR, (name, share, wanted)
    loudest = max(shares, key=shares.get)
    allowed = MAX_SHARE
    if mix.dominant and parts[loudest] == mix.dominant[0]:
        allowed = mix.dominant[1]
    assert shares[loudest] <= allowed, (loudest, shares[loudest])

    sustained = [p for p in result.parts if p.held is not None and p.held.notes]
    assert sustained, "no sustained part was measured"
    gaps = {p.name: p.held.silent_share for p in sustained if p.held.silent_frames}
    assert not gaps, gaps
