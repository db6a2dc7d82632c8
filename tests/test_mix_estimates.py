"""The mix estimates that stand in for the render: what an EQ takes from a part by where its
notes' energy sits, and what its reverb gives back by its spectrum, stereo image and the send's
automation. The render judges them (test_production_styles.py); these pin the reasons."""

from __future__ import annotations

from companion.production.automation import send_lift
from companion.production.chains import PART_EQ, eq_loss, send_ring
from companion.production.estimate import PartEnergy
from companion.production.gain import comb_ring, return_gains
from companion.production.levels import SPECTRUM_HZ, _mid_of, _spectrum_of
from companion.production.tables import OFF_DB


def energy_at(hz: float, mid: float = 1.0, low: float = 0.5) -> PartEnergy:
    """A part whose energy all sits at ``hz`` (known spectrum)."""
    out = PartEnergy(total=1.0, low=low, spectral=1.0, mid=mid)
    out.spectrum[hz] = 1.0
    return out


def test_a_high_pass_takes_little_from_notes_above_it_and_much_from_notes_below():
    chords = PART_EQ["chords"]  # 150 Hz high-pass, -2 dB at 350 Hz
    above, below = eq_loss(energy_at(220.0), chords), eq_loss(energy_at(80.0), chords)
    assert 0.55 < above < 0.9  # a little off the high-pass, the rest the 350 Hz dip
    assert below < 0.25


def test_without_a_spectrum_the_band_shares_estimate_stands():
    chords = PART_EQ["chords"]
    rough = PartEnergy(total=1.0, low=0.5)
    assert eq_loss(rough, chords) == eq_loss(PartEnergy(total=1.0, low=0.5), chords)
    assert 0.0 < eq_loss(rough, chords) < 1.0


def test_band_spectrum_of_a_tone_lands_in_its_band():
    import numpy as np

    rate = 44100
    t = np.arange(rate) / rate
    tone = np.stack([np.sin(2 * np.pi * 200.0 * t)] * 2)
    bands = _spectrum_of(tone, rate)
    assert len(bands) == len(SPECTRUM_HZ)
    assert abs(SPECTRUM_HZ[bands.index(max(bands))] - 200.0) < 30.0
    assert max(bands) > 0.9
    assert _mid_of(tone) == 1.0
    wide = np.stack([tone[0], np.cos(2 * np.pi * 200.0 * t)])  # 90° apart: half in the sum
    assert abs(_mid_of(wide) - 0.5) < 0.01


def test_a_long_hall_rings_low_mids_longer_than_highs_and_short_rooms():
    assert comb_ring(8.0, 400.0) > 2 * comb_ring(8.0, 6000.0)
    assert comb_ring(8.0, 400.0) > 3 * comb_ring(2.0, 400.0)


def test_the_reverb_is_fed_the_sum_a_bass_under_its_low_cut_and_a_wide_pad_ring_less():
    space = (8.0, 200.0, 6000.0)
    mono = send_ring(energy_at(400.0), None, *space)
    wide = send_ring(energy_at(400.0, mid=0.5), None, *space)
    widened = send_ring(energy_at(400.0, mid=0.5), None, *space, width=1.4)
    drone = send_ring(energy_at(50.0), None, *space)
    assert mono is not None and wide is not None and widened is not None and drone is not None
    assert abs(wide / mono - 0.5) < 1e-9
    assert widened < wide
    assert drone < 0.01 * mono
    assert send_ring(PartEnergy(total=1.0), None, *space) is None  # no spectrum: the old figure
    assert return_gains(8.0, 0.5, False, True, ring=None)[0] > 0


def test_a_wetter_breakdown_lifts_the_pads_send_there_only():
    from companion.arrangement import Arrangement, Section

    song = Arrangement(
        title="t",
        bpm=120.0,
        bars=16,
        sections=[
            Section(name="A", kind="verse", start_bar=0, bars=8, energy=0.5),
            Section(name="B", kind="breakdown", start_bar=8, bars=8, energy=0.3),
        ],
        tracks=[],
    )
    lift = send_lift(song, "pads", (-10.0, OFF_DB))
    assert abs(lift[0] - 1.0) < 1e-9
    assert 2.0 < lift[1] < 2.6  # +4 dB after a bar's ramp
    assert send_lift(song, "lead", (-10.0, OFF_DB)) == {}
