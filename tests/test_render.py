"""The offline render against hand-built sets: every instrument setting, mixer field, effect and
kind of automation, measured on the audio it produces."""

from __future__ import annotations

import os

import numpy as np
import pytest

from companion.arrangement import (
    AmpEnvelope,
    AudioLoop,
    Device,
    DrumPad,
    Envelope,
    Instrument,
    KeyZone,
    MainBus,
    Track,
)
from companion.render import RenderError
from companion.render.effects import room_size_for
from companion.render.engine import render
from companion.render.mixer import pan_gains
from companion.render.voices import velocity_gain
from companion.render.writer import encode
from rendertools import (
    FPB,
    RATE,
    at,
    band_energy,
    click,
    clip,
    frequency,
    loop_of,
    mix,
    noise,
    onsets,
    rack,
    rms,
    send_return,
    simpler,
    sine,
    song,
    track,
    write_sample,
)

TONE_HZ = 441.0  # 100 frames per cycle: loops of whole cycles have no seam


@pytest.fixture
def tone(tmp_path):
    """A 0.5 s sine (root A4 = 69) whose cycles are whole frames; loop 1000..21000."""
    return write_sample(tmp_path, "tone", sine(TONE_HZ, 0.5), root=69)


@pytest.fixture
def hit(tmp_path):
    return write_sample(tmp_path, "hit", click())


def left(result):
    return result.audio[:, 0]


# ----------------------------------------------------------------------------- timing


def test_onsets_are_where_the_notes_are(tmp_path, hit):
    starts = [0.0, 1.0, 1.75, 2.5, 3.0, 5.25, 6.0, 7.333333, 9.5, 14.0]
    drums = track(
        "Drums",
        rack(DrumPad(note=36, name="Hit", sample=hit)),
        [clip([(36, s, 0.25, 127) for s in starts])],
    )
    result = render(song(drums), tmp_path)
    assert result.audio.shape == (round(16 * FPB), 2) and result.audio.dtype == np.float32
    assert onsets(left(result)) == [at(s) for s in starts]
    assert result.parts[0].onsets == pytest.approx([at(s) / RATE for s in starts])


def test_clips_place_notes_in_song_time_and_cut_them_at_their_end(tmp_path, tone):
    lead = track(
        "Lead",
        simpler(tone, loop=loop_of(tone, 1000, 21000), envelope=AmpEnvelope(release_ms=1)),
        [clip([(69, 0.5, 8.0, 127)], start=4.0, length=2.0), clip([(69, 0.0, 1.0, 127)], 8.0, 4)],
    )
    audio = left(render(song(lead), tmp_path))
    heard = onsets(audio)  # a sine rises from zero through the 0.1 ms attack: a few frames
    assert len(heard) == 2 and np.abs(np.array(heard) - [at(4.5), at(8.0)]).max() <= 8
    # The first note is held 8 beats but its clip ends at beat 6: it stops there.
    assert rms(audio[at(5.5) : at(5.9)]) > 0.1
    assert rms(audio[at(6.0) + 200 : at(7.9)]) < 1e-4


def test_the_same_set_renders_the_same_bytes(tmp_path, hit, tone):
    arrangement = song(
        track("D", rack(DrumPad(note=36, name="H", sample=hit)), [clip([(36, 0, 1, 100)])]),
        track("T", simpler(tone), [clip([(69, 1, 2, 90), (72, 2, 1, 80)])], mix=mix(sends=[-6])),
        returns=[
            send_return("Verb", Device(kind="reverb")),
            send_return("Echo", Device(kind="delay")),
        ],
        main=MainBus(devices=[Device(kind="limiter")]),
    )
    first = render(arrangement, tmp_path)
    second = render(arrangement, tmp_path)
    assert encode(first.audio, RATE, ".wav") == encode(second.audio, RATE, ".wav")
    assert first.audio.tobytes() == second.audio.tobytes()


# ----------------------------------------------------------------------------- Simpler


def test_pitch_follows_the_note_from_the_root_and_the_file_rate(tmp_path):
    at48k = write_sample(tmp_path, "tone48", sine(480.0, 1.0, rate=48000), root=69, rate=48000)
    plain = write_sample(tmp_path, "tone", sine(TONE_HZ, 1.0), root=69)
    for sample, base in ((plain, TONE_HZ), (at48k, 480.0)):
        for note, ratio in ((69, 1.0), (81, 2.0), (64, 2 ** (-5 / 12)), (76, 2 ** (7 / 12))):
            lead = track("L", simpler(sample), [clip([(note, 0, 1.5, 127)])])
            audio = left(render(song(lead, bars=1), tmp_path))
            measured = frequency(audio[2000:12000])
            assert measured == pytest.approx(base * ratio, rel=0.004), (sample.path, note)


def test_velocity_and_simpler_volume_scale_the_level(tmp_path, tone):
    def level(velocity: int, volume_db: float) -> float:
        lead = track("L", simpler(tone, volume_db=volume_db), [clip([(69, 0, 0.5, velocity)])])
        return rms(left(render(song(lead, bars=1), tmp_path))[1000:9000])

    loud = level(127, 0.0)
    assert level(64, 0.0) / loud == pytest.approx(velocity_gain(64), rel=0.01)
    assert velocity_gain(64) == pytest.approx(1 - 0.35 * (1 - 64 / 127))
    assert level(127, -6.0) / loud == pytest.approx(10 ** (-6 / 20), rel=0.01)
    assert level(127, 0.0) == pytest.approx(0.5 / np.sqrt(2), rel=0.01)  # the sine's own RMS


def test_a_sustain_loop_keeps_a_held_note_sounding(tmp_path, tone):
    env = AmpEnvelope(release_ms=50)
    held = [clip([(69, 0, 6.0, 127)])]  # 3 s held; the sample lasts 0.5 s
    looped = track("L", simpler(tone, loop=loop_of(tone, 1000, 21000), envelope=env), held)
    plain = track("P", simpler(tone, envelope=env), held)
    with_loop = left(render(song(looped, bars=2), tmp_path))
    without = left(render(song(plain, bars=2), tmp_path))
    for beat in (1.5, 3.0, 5.5):
        assert rms(with_loop[at(beat) : at(beat) + 4410]) == pytest.approx(
            0.5 / np.sqrt(2), rel=0.02
        )
        assert rms(without[at(beat) : at(beat) + 4410]) < 1e-4
    assert frequency(with_loop[at(4) : at(5)]) == pytest.approx(TONE_HZ, rel=0.002)
    # After the note ends the loop sounds through the release, then stops.
    assert rms(with_loop[at(6) + 441 : at(6) + 2 * 441]) > 0.01
    assert rms(with_loop[at(6) + 2300 :]) < 1e-3


def test_sustain_gaps_are_measured_per_part(tmp_path, tone):
    held = [clip([(69, 0, 4.0, 127), (69, 4, 4.0, 127)])]  # 2 s notes, 0.5 s sample
    plain = render(song(track("P", simpler(tone), held), bars=2), tmp_path, measure=True)
    looped_track = track("L", simpler(tone, loop=loop_of(tone, 1000, 21000)), held)
    looped = render(song(looped_track, bars=2), tmp_path, measure=True)
    gaps = plain.parts[0].held
    assert gaps.notes == 2 and gaps.notes_with_gaps == 2
    assert gaps.silent_share == pytest.approx(0.75, abs=0.02)  # 1.5 of every 2 s
    assert looped.parts[0].held.silent_share == 0.0 and looped.parts[0].held.notes_with_gaps == 0


def test_the_loop_crossfade_blends_the_seam(tmp_path):
    # A loop whose ends do not meet: a hard seam clicks, a crossfade smooths it.
    data = sine(300.0, 1.0)
    sample = write_sample(tmp_path, "odd", data, root=69)
    jumps = []
    for fade in (0, 2000):
        lead = track(
            "L", simpler(sample, loop=loop_of(sample, 4000, 20000, fade)), [clip([(69, 0, 4, 127)])]
        )
        audio = left(render(song(lead, bars=1), tmp_path))
        jumps.append(float(np.abs(np.diff(audio[at(0.5) : at(1.8)])).max()))
    assert jumps[1] < jumps[0] * 0.5


def test_the_amp_envelope_shapes_attack_and_release(tmp_path, tone):
    env = AmpEnvelope(attack_ms=200, decay_ms=1, sustain=1.0, release_ms=400)
    lead = track(
        "L", simpler(tone, loop=loop_of(tone, 1000, 21000), envelope=env), [clip([(69, 0, 2, 127)])]
    )
    audio = np.abs(left(render(song(lead, bars=1), tmp_path)))
    peak = lambda a, b: float(audio[a:b].max())  # noqa: E731
    full = peak(at(1.5), at(1.5) + 441)
    assert peak(round(0.1 * RATE) - 100, round(0.1 * RATE) + 100) / full == pytest.approx(
        0.5, abs=0.05
    )
    release = at(2)
    after_100ms = peak(release + 4410 - 100, release + 4410 + 100) / full
    assert 10 ** (-70 / 20 * 0.25 - 0.1) < after_100ms < 10 ** (-70 / 20 * 0.25 + 0.1)
    assert peak(release + round(0.41 * RATE), len(audio)) == 0.0


def test_one_shot_plays_the_whole_sample_whatever_the_note(tmp_path, tone):
    lead = track("L", simpler(tone, one_shot=True), [clip([(69, 0, 0.05, 127)])])
    audio = left(render(song(lead, bars=1), tmp_path))
    assert rms(audio[15000:21000]) > 0.3  # long after the note ended
    assert rms(audio[22100:]) == 0.0  # the sample is 0.5 s


def test_a_repeated_note_retriggers_its_voice(tmp_path):
    long = write_sample(tmp_path, "long", sine(TONE_HZ, 2.0), root=69)
    lead = track("L", simpler(long, one_shot=True), [clip([(69, 0, 0.5, 127), (69, 1, 0.5, 127)])])
    audio = left(render(song(lead, bars=1), tmp_path))
    # Two stacked voices would double the level from beat 1; the second cuts the first.
    assert rms(audio[at(1) + 1000 : at(1) + 8000]) == pytest.approx(0.5 / np.sqrt(2), rel=0.03)


def test_the_low_pass_filters_and_follows_the_key(tmp_path):
    buzz = write_sample(tmp_path, "buzz", noise(1.0), root=60)

    def highs(filter_hz: float, note: int = 60) -> float:
        lead = track("L", simpler(buzz, filter_hz=filter_hz), [clip([(note, 0, 1.5, 127)])])
        audio = left(render(song(lead, bars=1), tmp_path))[2000:20000]
        return band_energy(audio, 4000, 20000) / band_energy(audio, 0, 20000)

    assert highs(22000) > 0.5
    assert highs(500) < 0.01
    assert highs(500, note=84) > highs(500, note=60) * 5  # two octaves up: cutoff 2 kHz


def test_mono_glide_slides_between_legato_notes(tmp_path):
    long = write_sample(tmp_path, "long", sine(TONE_HZ, 3.0), root=69)
    legato = [clip([(69, 0, 1.25, 127), (81, 1.0, 1.0, 127)])]
    glide = track("G", simpler(long, mono=True, glide_ms=200), legato)
    audio = left(render(song(glide, bars=1), tmp_path))
    assert len(onsets(audio)) == 1 and onsets(audio)[0] <= 8  # one voice: no new attack
    assert frequency(audio[at(0.2) : at(0.9)]) == pytest.approx(TONE_HZ, rel=0.004)
    # Halfway through the 200 ms glide: halfway in pitch (6 semitones).
    halfway = frequency(audio[at(1) + 3900 : at(1) + 4900])
    assert halfway == pytest.approx(TONE_HZ * 2**0.5, rel=0.02)
    assert frequency(audio[at(1.5) : at(1.95)]) == pytest.approx(TONE_HZ * 2, rel=0.004)
    # Without glide a mono voice is taken over; a poly one stacks both notes.
    mono = left(render(song(track("M", simpler(long, mono=True), legato), bars=1), tmp_path))
    poly = left(render(song(track("P", simpler(long), legato), bars=1), tmp_path))
    overlap = slice(at(1) + 500, at(1.2))
    assert rms(poly[overlap]) > rms(mono[overlap]) * 1.3
    assert frequency(mono[overlap]) == pytest.approx(TONE_HZ * 2, rel=0.004)


def test_key_zones_play_their_own_samples(tmp_path):
    low = write_sample(tmp_path, "low", sine(220.5, 1.0), root=57)
    high = write_sample(tmp_path, "high", sine(882.0, 1.0), root=81)
    multi = Instrument(
        kind="multi",
        name="Keys",
        zones=[KeyZone(low=0, high=68, sample=low), KeyZone(low=69, high=127, sample=high)],
    )
    part = track("K", multi, [clip([(57, 0, 1, 127), (81, 2, 1, 127), (60, 4, 1, 127)])])
    audio = left(render(song(part, bars=2), tmp_path))
    assert frequency(audio[1000 : at(1)]) == pytest.approx(220.5, rel=0.004)
    assert frequency(audio[at(2) + 1000 : at(3)]) == pytest.approx(882.0, rel=0.004)
    assert frequency(audio[at(4) + 1000 : at(5)]) == pytest.approx(220.5 * 2 ** (3 / 12), rel=0.004)


def test_velocity_layers_play_by_velocity(tmp_path):
    """A soft and a hard layer on the same keys: notes up to the split play the soft file,
    notes from the split up the hard one, whatever their pitch, as the rack's chains do."""
    soft = write_sample(tmp_path, "soft", sine(220.5, 1.0), root=57)
    hard = write_sample(tmp_path, "hard", sine(441.0, 1.0), root=57)
    layered = Instrument(
        kind="multi",
        name="Piano",
        zones=[
            KeyZone(low=0, high=127, sample=soft, velocity_low=1, velocity_high=95),
            KeyZone(low=0, high=127, sample=hard, velocity_low=96, velocity_high=127),
        ],
    )
    notes = [(57, 0, 1, 95), (57, 2, 1, 96), (60, 4, 1, 127), (60, 6, 1, 40)]
    audio = left(render(song(track("K", layered, [clip(notes)]), bars=2), tmp_path))
    third = 2 ** (3 / 12)
    assert frequency(audio[1000 : at(1)]) == pytest.approx(220.5, rel=0.004)
    assert frequency(audio[at(2) + 1000 : at(3)]) == pytest.approx(441.0, rel=0.004)
    assert frequency(audio[at(4) + 1000 : at(5)]) == pytest.approx(441.0 * third, rel=0.004)
    assert frequency(audio[at(6) + 1000 : at(7)]) == pytest.approx(220.5 * third, rel=0.004)


# ----------------------------------------------------------------------------- Drum Rack


def test_pads_have_their_volume_pan_and_tuning(tmp_path, hit):
    tonal = write_sample(tmp_path, "tom", sine(TONE_HZ, 0.5), root=60)
    pads = rack(
        DrumPad(note=36, name="Loud", sample=hit),
        DrumPad(note=38, name="Quiet", sample=hit, volume_db=-12.0),
        DrumPad(note=42, name="Left", sample=hit, pan=-1.0),
        DrumPad(note=45, name="Tom", sample=tonal, transpose=7),
    )
    notes = [(36, 0, 0.1, 127), (38, 1, 0.1, 127), (42, 2, 0.1, 127), (45, 3, 0.1, 127)]
    audio = render(song(track("D", pads, [clip(notes)]), bars=1), tmp_path).audio
    one = lambda beat, ch: float(np.abs(audio[at(beat) : at(beat) + 2000, ch]).max())  # noqa: E731
    assert one(1, 0) / one(0, 0) == pytest.approx(10 ** (-12 / 20), rel=0.01)
    assert one(2, 1) == 0.0 and one(2, 0) / one(0, 0) == pytest.approx(np.sqrt(2), rel=0.01)
    assert frequency(audio[at(3) + 500 : at(3) + 15000, 0]) == pytest.approx(
        TONE_HZ * 2 ** (7 / 12), rel=0.004
    )
    # Pads play their Simpler at C3: a pad sample rooted elsewhere is transposed.
    assert DrumPad(note=45, name="T", sample=tonal).sample.root_note == 60


def test_a_choke_group_cuts_the_ringing_hat(tmp_path):
    ring = write_sample(tmp_path, "open", sine(TONE_HZ, 1.0), root=60)
    short = write_sample(tmp_path, "closed", click(0.02, 0.2))
    notes = [(46, 0, 0.1, 127), (42, 1, 0.1, 127)]

    def after_closed(group: int) -> float:
        pads = rack(
            DrumPad(note=46, name="Open", sample=ring, choke_group=group),
            DrumPad(note=42, name="Closed", sample=short, choke_group=group),
        )
        audio = left(render(song(track("D", pads, [clip(notes)]), bars=1), tmp_path))
        return rms(audio[at(1) + 1000 : at(1) + 10000])

    assert after_closed(0) > 0.3  # the open hat rings on
    assert after_closed(1) == 0.0  # choked


# ----------------------------------------------------------------------------- audio loops


def test_an_audio_loop_is_warped_to_the_song_tempo(tmp_path):
    # One bar at 100 BPM with a click on each beat; the song runs at 120.
    beat_100 = round(RATE * 0.6)
    data = np.zeros(4 * beat_100)
    for beat in range(4):
        data[beat * beat_100 : beat * beat_100 + len(click())] += click()
    sample = write_sample(tmp_path, "loop", np.stack([data, data], axis=1))
    for mode in ("beats", "repitch"):
        loop = AudioLoop(sample=sample, beats=4, bpm=100, warp_mode=mode)
        loop_track = Track(
            name="Loop", role="drums", color=1, audio=loop, clips=[clip([], start=4, length=8)]
        )
        audio = left(render(song(loop_track, bars=4), tmp_path))
        heard = onsets(audio, threshold=0.1, quiet=2000)
        assert len(heard) == 8, mode
        assert np.abs(np.array(heard) - [at(b) for b in range(4, 12)]).max() < 0.008 * RATE
        assert rms(audio[: at(4) - 10]) == 0.0 and rms(audio[at(12) :]) == 0.0


# ----------------------------------------------------------------------------- mixer


def test_volume_and_live_pan_law(tmp_path, tone):
    def channels(**fields):
        lead = track("L", simpler(tone), [clip([(69, 0, 0.5, 127)])], mix=mix(**fields))
        audio = render(song(lead, bars=1), tmp_path).audio[1000:9000]
        return rms(audio[:, 0]), rms(audio[:, 1])

    centre = channels()
    assert centre[0] == pytest.approx(centre[1])
    assert channels(volume_db=-6)[0] / centre[0] == pytest.approx(10 ** (-6 / 20), rel=1e-3)
    hard_left = channels(pan=-1.0)
    assert hard_left[1] == 0.0 and hard_left[0] / centre[0] == pytest.approx(np.sqrt(2), rel=1e-3)
    half = channels(pan=0.5)
    assert half[1] / centre[1] == pytest.approx(pan_gains(0.5)[1], rel=1e-3)
    assert (half[0] / centre[0]) ** 2 + (half[1] / centre[1]) ** 2 == pytest.approx(2.0, rel=1e-3)
    assert channels(volume_db=-70)[0] == 0.0


def test_arrangement_automation_moves_the_fader_and_pan(tmp_path, tone):
    held = [clip([(69, 0, 16, 127)])]
    fade = Envelope(target="volume", points=[(4.0, 0.0), (12.0, -70.0)])
    sweep = Envelope(target="pan", points=[(0.0, -1.0), (16.0, 1.0)])
    lead = track(
        "L", simpler(tone, loop=loop_of(tone, 1000, 21000)), held, automation=[fade, sweep]
    )
    audio = render(song(lead), tmp_path).audio
    level = lambda beat: rms(audio[at(beat) : at(beat) + 2205].sum(axis=1))  # noqa: E731
    full = level(2)
    assert level(4 + 0.05) == pytest.approx(full, rel=0.05)
    db_at_8 = 20 * np.log10(level(8) / full)
    assert db_at_8 == pytest.approx(-35, abs=1.5)  # halfway down a straight line in dB
    assert level(12.5) == 0.0
    lr = lambda beat, ch: rms(audio[at(beat) : at(beat) + 2205, ch])  # noqa: E731
    assert lr(0.5, 1) < lr(0.5, 0) * 0.1 and lr(3.5, 0) > lr(3.5, 1)


def test_a_clip_envelope_takes_over_while_its_clip_plays(tmp_path, tone):
    dip = Envelope(target="volume", points=[(0.0, -20.0), (2.0, -20.0)])
    sound = simpler(tone, loop=loop_of(tone, 1000, 21000))
    lead = track(
        "L",
        sound,
        [clip([(69, 0, 4, 127)], 0, 4), clip([(69, 0, 4, 127)], 4, 4, envelopes=[dip])],
    )
    audio = left(render(song(lead, bars=2), tmp_path))
    ratio = rms(audio[at(5) : at(6)]) / rms(audio[at(1) : at(2)])
    assert ratio == pytest.approx(10 ** (-20 / 20), rel=0.02)


def test_sends_feed_the_returns_post_fader(tmp_path, hit):
    echo = Device(
        kind="delay", params={"sixteenths_l": 4, "sixteenths_r": 4, "feedback": 0.0, "filter_on": 0}
    )
    notes = [clip([(36, 0, 0.1, 127)])]
    pads = rack(DrumPad(note=36, name="H", sample=hit))

    def heard(send_db, volume_db=0.0):
        drums = track("D", pads, notes, mix=mix(volume_db=volume_db, sends=[send_db]))
        return left(render(song(drums, bars=1, returns=[send_return("Echo", echo)]), tmp_path))

    wet = heard(0.0)
    assert onsets(wet, quiet=2000) == [0, at(1)]  # the echo a quarter note later
    assert float(np.abs(wet[at(1) : at(1) + 2000]).max()) == pytest.approx(0.8, rel=0.02)
    assert onsets(heard(-70.0), quiet=2000) == [0]
    quieter = heard(0.0, volume_db=-12.0)  # post-fader: the echo follows the fader
    ratio = float(np.abs(quieter[at(1) : at(1) + 2000]).max()) / 0.8
    assert ratio == pytest.approx(10 ** (-12 / 20), rel=0.02)


def test_send_automation_throws_one_note_into_the_delay(tmp_path, hit):
    echo = Device(
        kind="delay", params={"sixteenths_l": 2, "sixteenths_r": 2, "feedback": 0.0, "filter_on": 0}
    )
    throw = Envelope(
        target="send:0", points=[(0.0, -70.0), (1.9, -70.0), (2.0, 0.0), (2.1, 0.0), (2.2, -70.0)]
    )
    drums = track(
        "D",
        rack(DrumPad(note=36, name="H", sample=hit)),
        [clip([(36, b, 0.1, 127) for b in range(4)])],
        mix=mix(sends=[-70]),
        automation=[throw],
    )
    audio = left(render(song(drums, bars=1, returns=[send_return("Echo", echo)]), tmp_path))
    assert onsets(audio, quiet=2000) == [0, at(1), at(2), at(2.5), at(3)]


# ----------------------------------------------------------------------------- effects


def test_reverb_tail_follows_its_decay_time(tmp_path, hit):
    def tail(decay_s: float) -> float:
        verb = Device(kind="reverb", params={"decay_s": decay_s, "predelay_ms": 0.5})
        drums = track(
            "D",
            rack(DrumPad(note=36, name="H", sample=hit)),
            [clip([(36, 0, 0.1, 127)])],
            mix=mix(sends=[0.0]),
        )
        audio = left(render(song(drums, bars=2, returns=[send_return("Verb", verb)]), tmp_path))
        return rms(audio[at(2) : at(3)])  # 1 to 1.5 s after the hit

    assert tail(0.7) < tail(2.0) < tail(6.0)
    assert room_size_for(60.0) == 1.0 and room_size_for(0.2) == 0.0


def test_delay_feedback_and_ping_pong(tmp_path, hit):
    def echoes(**params):
        delay = Device(
            kind="delay", params={"sixteenths_l": 4, "sixteenths_r": 4, "filter_on": 0, **params}
        )
        drums = track(
            "D",
            rack(DrumPad(note=36, name="H", sample=hit)),
            [clip([(36, 0, 0.1, 127)])],
            mix=mix(sends=[0.0]),
        )
        return render(song(drums, bars=1, returns=[send_return("E", delay)]), tmp_path).audio

    repeats = echoes(feedback=0.5)
    peaks = [float(np.abs(repeats[at(b) : at(b) + 2000, 0]).max()) for b in (1, 2, 3)]
    assert peaks[1] / peaks[0] == pytest.approx(0.5, rel=0.02)
    assert peaks[2] / peaks[1] == pytest.approx(0.5, rel=0.02)
    pong = echoes(feedback=0.5, ping_pong=1)
    first, second = pong[at(1) : at(1) + 2000], pong[at(2) : at(2) + 2000]
    assert np.abs(first[:, 1]).max() < 0.01 < np.abs(first[:, 0]).max()
    assert np.abs(second[:, 0]).max() < 0.01 < np.abs(second[:, 1]).max()


def test_sidechain_compressor_ducks_the_pad_on_every_kick(tmp_path, hit, tone):
    kick = track(
        "Kick",
        rack(DrumPad(note=36, name="K", sample=hit)),
        [clip([(36, b, 0.1, 127) for b in range(8)])],
    )
    pump = Device(
        kind="compressor",
        sidechain="Kick",
        params={"threshold_db": -30, "ratio": 10, "attack_ms": 1, "release_ms": 60},
    )
    pad = track(
        "Pad",
        simpler(tone, loop=loop_of(tone, 1000, 21000)),
        [clip([(69, 0, 8, 127)])],
        devices=[pump],
    )
    result = render(song(kick, pad, bars=2), tmp_path, stems=True)
    stem = result.stems["Pad"][:, 0]
    ducked = rms(stem[at(2) + 400 : at(2) + 1300])  # just after a kick
    recovered = rms(stem[at(2.8) : at(2.95)])  # just before the next
    assert ducked < recovered * 0.3
    assert recovered == pytest.approx(0.5 / np.sqrt(2), rel=0.1)
    unkeyed = track(
        "Pad", simpler(tone, loop=loop_of(tone, 1000, 21000)), [clip([(69, 0, 8, 127)])]
    )
    plain = render(song(kick, unkeyed, bars=2), tmp_path, stems=True).stems["Pad"][:, 0]
    assert rms(plain[at(2) + 400 : at(2) + 1300]) == pytest.approx(0.5 / np.sqrt(2), rel=0.02)


def test_main_limiter_holds_the_ceiling(tmp_path, tone):
    loud = track("L", simpler(tone, volume_db=12), [clip([(69, b, 1, 127) for b in range(4)])])
    bare = render(song(loud, bars=1), tmp_path).audio
    limiter = Device(kind="limiter", params={"ceiling_db": -1.0})
    limited = render(song(loud, bars=1, main=MainBus(devices=[limiter])), tmp_path).audio
    assert np.abs(bare).max() > 1.5
    assert np.abs(limited).max() <= 10 ** (-1 / 20) + 1e-4
    assert np.abs(limited).max() > 10 ** (-1.5 / 20)
    quiet = render(song(loud, bars=1, main=MainBus(devices=[limiter], volume_db=-6)), tmp_path)
    assert np.abs(quiet.audio).max() == pytest.approx(10 ** (-7 / 20), rel=0.01)


def test_auto_filter_cutoff_automation_opens_the_sound(tmp_path):
    buzz = write_sample(tmp_path, "buzz", noise(1.0), root=60)
    sweep = Envelope(
        target="device:0:cutoff_hz", points=[(0.0, 200.0), (8.0, 200.0), (16.0, 19900.0)]
    )
    part = track(
        "N",
        simpler(buzz, loop=loop_of(buzz, 0, 44100)),
        [clip([(60, 0, 16, 127)])],
        devices=[Device(kind="auto_filter", params={"cutoff_hz": 200.0})],
        automation=[sweep],
    )
    audio = left(render(song(part), tmp_path))
    shares = [
        band_energy(audio[at(b) : at(b + 1)], 2000, 20000)
        / band_energy(audio[at(b) : at(b + 1)], 0, 20000)
        for b in (1, 12, 15)
    ]
    assert shares[0] < 0.01 < shares[1] < shares[2]


def test_eq_low_cut_saturator_and_utility(tmp_path):
    rumble = write_sample(tmp_path, "rumble", sine(50.0, 1.0) + sine(2000.0, 1.0), root=60)
    notes = [clip([(60, 0, 1.5, 127)])]
    eq = Device(kind="eq8", params={"b1_on": 1, "b1_mode": 0, "b1_freq": 300.0})
    cut = left(render(song(track("E", simpler(rumble), notes, devices=[eq]), bars=1), tmp_path))
    dry = left(render(song(track("E", simpler(rumble), notes), bars=1), tmp_path))
    window = slice(5000, 25000)
    assert band_energy(cut[window], 20, 100) < band_energy(dry[window], 20, 100) * 1e-4
    assert band_energy(cut[window], 1500, 2500) == pytest.approx(
        band_energy(dry[window], 1500, 2500), rel=0.05
    )

    pure = write_sample(tmp_path, "pure", sine(TONE_HZ, 1.0, amp=0.8), root=69)
    drive = Device(kind="saturator", params={"drive_db": 18.0, "output_db": -12.0})
    driven = left(
        render(
            song(track("S", simpler(pure), [clip([(69, 0, 1.5, 127)])], devices=[drive]), bars=1),
            tmp_path,
        )
    )
    third = band_energy(driven[window], 3 * TONE_HZ - 20, 3 * TONE_HZ + 20)
    fundamental = band_energy(driven[window], TONE_HZ - 20, TONE_HZ + 20)
    assert third / fundamental > 0.01  # odd harmonics from the curve

    wide = write_sample(
        tmp_path, "wide", np.stack([sine(TONE_HZ, 1.0), sine(660.0, 1.0)], axis=1), root=69
    )
    mono = Device(kind="utility", params={"width": 0.0, "gain_db": -6.0})
    out = render(
        song(track("U", simpler(wide), [clip([(69, 0, 1.5, 127)])], devices=[mono]), bars=1),
        tmp_path,
    ).audio
    assert np.allclose(out[:, 0], out[:, 1])
    assert rms(out[window, 0]) == pytest.approx(
        rms(0.5 * (sine(TONE_HZ, 1.0) + sine(660.0, 1.0))[window]) * 10 ** (-6 / 20), rel=0.02
    )


def test_a_bypassed_device_changes_nothing(tmp_path, tone):
    notes = [clip([(69, 0, 1, 127)])]
    off = Device(kind="saturator", params={"drive_db": 30.0}, on=False)
    a = render(song(track("T", simpler(tone), notes, devices=[off]), bars=1), tmp_path).audio
    b = render(song(track("T", simpler(tone), notes), bars=1), tmp_path).audio
    assert a.tobytes() == b.tobytes()


# ----------------------------------------------------------------------------- windows, errors


def test_a_section_renders_what_the_whole_song_plays_there(tmp_path, hit, tone):
    from companion.arrangement import Section

    arrangement = song(
        track(
            "D",
            rack(DrumPad(note=36, name="H", sample=hit)),
            [clip([(36, b, 0.1, 110) for b in range(16)])],
        ),
        track("T", simpler(tone, loop=loop_of(tone, 1000, 21000)), [clip([(69, 6, 4, 100)])]),
        sections=[
            Section(name="Intro", kind="intro", start_bar=0, bars=2),
            Section(name="Drop", kind="drop", start_bar=2, bars=2),
        ],
    )
    whole = render(arrangement, tmp_path).audio
    drop = render(arrangement, tmp_path, section="drop")
    assert drop.start_seconds == pytest.approx(4.0)
    assert np.allclose(drop.audio, whole[at(8) :], atol=1e-6)  # the held note from beat 6 too
    short = render(arrangement, tmp_path, section="Drop", seconds=1.5)
    assert short.audio.shape[0] == round(1.5 * RATE)
    with pytest.raises(RenderError, match=r"no section named 'Chorus'.*Intro, Drop"):
        render(arrangement, tmp_path, section="Chorus")
    with pytest.raises(RenderError, match="positive"):
        render(arrangement, tmp_path, seconds=0)


def test_missing_samples_play_silence_and_are_reported(tmp_path, hit):
    gone = write_sample(tmp_path, "gone", click())
    (tmp_path / gone.path).unlink()
    pads = rack(
        DrumPad(note=36, name="Here", sample=hit), DrumPad(note=38, name="Gone", sample=gone)
    )
    result = render(
        song(track("D", pads, [clip([(36, 0, 0.1, 127), (38, 1, 0.1, 127)])]), bars=1), tmp_path
    )
    assert result.missing == ["Samples/gone.wav"]
    assert onsets(left(result)) == [0]


@pytest.mark.skipif(os.name == "nt", reason="symlinks")
def test_confined_render_refuses_samples_outside_the_project(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    project = tmp_path / "project"
    (project / "Samples").mkdir(parents=True)
    secret = write_sample(outside, "secret", click())
    (project / "Samples" / "secret.wav").symlink_to(outside / secret.path)
    drums = track("D", rack(DrumPad(note=36, name="S", sample=secret)), [clip([(36, 0, 0.1, 127)])])
    assert onsets(left(render(song(drums, bars=1), project))) == [0]
    confined = render(song(drums, bars=1), project, confine=True)
    assert confined.missing == ["Samples/secret.wav"] and not confined.audio.any()


def test_compressor_and_glue_turn_loud_passages_down(tmp_path):
    loud = write_sample(tmp_path, "loud", sine(TONE_HZ, 1.0, amp=0.9), root=60)
    quiet = write_sample(tmp_path, "quiet", sine(TONE_HZ, 1.0, amp=0.05), root=60)
    pads = rack(
        DrumPad(note=36, name="Loud", sample=loud), DrumPad(note=38, name="Quiet", sample=quiet)
    )
    notes = [clip([(36, 0, 0.1, 127), (38, 2, 0.1, 127)])]  # loud, then quiet (-26 dBFS)

    def levels(*devices):
        part = track("S", pads, notes, devices=list(devices))
        audio = left(render(song(part, bars=1), tmp_path))
        return rms(audio[at(1) : at(1.4)]), rms(audio[at(3) : at(3.4)])

    dry_loud, dry_quiet = levels()
    squeeze = {"threshold_db": -12.0, "ratio": 4.0, "attack_ms": 1.0}
    for device in (
        Device(kind="compressor", params={**squeeze, "release_ms": 50.0}),
        Device(kind="glue", params={**squeeze, "release_s": 0.1}),
    ):
        wet_loud, wet_quiet = levels(device)
        # Above the threshold the level drops; the quiet passage (under it) is left alone.
        assert wet_loud < dry_loud * 0.6, device.kind
        assert wet_quiet == pytest.approx(dry_quiet, rel=0.05), device.kind
    makeup = levels(Device(kind="compressor", params={**squeeze, "makeup_db": 6.0}))
    assert makeup[1] == pytest.approx(dry_quiet * 10 ** (6 / 20), rel=0.05)


def test_tracks_rendered_in_threads_give_the_same_bytes(tmp_path, tone, monkeypatch):
    """Devices run two tracks at a time; the sum is made in track order, so nothing changes."""
    from companion.render import engine

    kick = track("K", simpler(tone), [clip([(69, b, 0.5, 127) for b in range(16)])])
    keyed = track(
        "P",
        simpler(tone, loop=loop_of(tone, 1000, 21000)),
        [clip([(69, 0, 16.0, 100)])],
        devices=[
            Device(kind="eq8", params={"b1_on": 1, "b1_mode": 1, "b1_freq": 200.0}),
            Device(kind="compressor", params={"threshold_db": -30.0}, sidechain="K"),
        ],
    )
    song_ = song(kick, keyed, track("L", simpler(tone), [clip([(72, 2, 4.0, 90)])]), bars=4)
    outputs = []
    for threads in (1, 2):
        monkeypatch.setattr(engine, "THREADS", threads)
        outputs.append(render(song_, tmp_path).audio)
    assert np.abs(outputs[0]).max() > 0.01
    assert np.array_equal(outputs[0], outputs[1])
