"""What file and folder names say: 70+ names as packs (Splice, third-party, Spanish) write them."""

from __future__ import annotations

import pytest

from companion.samples.naming import (
    kinds_for,
    parse_bpm_tokens,
    parse_key_token,
    parse_sample_name,
    raw_tokens,
)

# (path, expected fields). Only the fields named are checked; "loop" is is_loop.
CASES: list[tuple[str, dict]] = [
    # Splice creator spec and its examples
    ("SM_NP_100_electric_guitar_baby_Dmaj.wav", {"bpm": 100, "key": "D", "loop": True}),
    ("ARTIST_808_gritty_E.wav", {"kind": "808", "note": "E", "key": None, "loop": False}),
    ("ARTIST_808_shiner_A#.wav", {"kind": "808", "note": "A#"}),
    ("SM_TH_128_bass_loop_rolling_Fmin.wav", {"kind": "bass", "bpm": 128, "key": "Fm"}),
    ("SM_TH_kick_punchy.wav", {"kind": "kick", "loop": False, "bpm": None}),
    ("SM_DH_122_chord_loop_lush_Cmin.wav", {"kind": "chord", "bpm": 122, "key": "Cm"}),
    ("SPLC_140_trap_hihat_loop_bouncy.wav", {"kind": "hat", "bpm": 140, "loop": True}),
    ("ARTIST_vocal_chop_hey_G#.wav", {"kind": "vocal", "subtype": "chop", "note": "G#"}),
    # typical third-party names
    ("Kick_01.wav", {"kind": "kick", "loop": False, "bpm": None, "key": None}),
    ("Kick_101.wav", {"kind": "kick", "bpm": None}),  # a take number, not a tempo
    ("Bass_Loop_124_Am.wav", {"kind": "bass", "loop": True, "bpm": 124, "key": "Am"}),
    ("Snare 03.wav", {"kind": "snare", "loop": False}),
    ("Clap_Tight.aif", {"kind": "clap"}),
    ("Closed Hat 04.wav", {"kind": "closed_hat"}),
    ("Open_Hat_02.wav", {"kind": "open_hat"}),
    ("HiHat_Closed_Crisp.wav", {"kind": "closed_hat"}),
    ("OH_Sizzle.wav", {"kind": "open_hat"}),
    ("CH_Tick.wav", {"kind": "closed_hat"}),
    ("Hats_Loop_126bpm.wav", {"kind": "hat", "loop": True, "bpm": 126}),
    ("Top Loop 125 BPM.wav", {"kind": "drums", "loop": True, "bpm": 125}),
    ("Drum_Loop_90bpm_Dusty.wav", {"kind": "drums", "loop": True, "bpm": 90}),
    ("Full Drums 174.wav", {"kind": "drums", "loop": True, "bpm": 174}),
    ("Amen_Break_136.wav", {"kind": "drums", "loop": True, "bpm": 136}),
    ("Perc_Loop_122_Tribal.wav", {"kind": "perc", "loop": True, "bpm": 122}),
    ("Shaker_16th.wav", {"kind": "perc", "subtype": "shaker"}),
    ("Conga_Hi.wav", {"kind": "perc", "subtype": "conga"}),
    ("Rimshot_Dry.wav", {"kind": "perc", "subtype": "rim"}),
    ("Tom_Low.wav", {"kind": "perc", "subtype": "tom"}),
    ("Ride_Bell.wav", {"kind": "cymbal", "subtype": "ride"}),
    ("Crash_Long.wav", {"kind": "cymbal", "subtype": "crash"}),
    ("808_Kick_Boom.wav", {"kind": "kick", "subtype": "808"}),
    ("Bass Drum 909.wav", {"kind": "kick"}),
    ("KickDrum_Analog.wav", {"kind": "kick"}),
    ("808_C.wav", {"kind": "808", "note": "C"}),
    ("808 Long Glide F#.wav", {"kind": "808", "note": "F#"}),
    ("Sub_Bass_G1.wav", {"kind": "bass", "subtype": "sub", "root_note": 43}),
    ("Reese Bass 174 F#min.wav", {"kind": "bass", "bpm": 174, "key": "F#m"}),
    ("Synth_Bass_Pluck_C2.wav", {"kind": "bass", "root_note": 48}),
    ("Pluck_C3.wav", {"kind": "lead", "subtype": "pluck", "root_note": 60}),
    ("Lead_Saw_A min_128.wav", {"kind": "lead", "key": "Am", "bpm": 128}),
    ("Arp_Loop_128_A_minor.wav", {"kind": "lead", "subtype": "arp", "key": "Am", "bpm": 128}),
    ("Pad_Warm_Ebm.wav", {"kind": "pad", "key": "Ebm"}),
    ("Atmos Texture Dark.wav", {"kind": "pad"}),
    ("Chord_Stab_Bbmaj.wav", {"kind": "chord", "subtype": "stab", "key": "Bb"}),
    ("Keys_Loop_90_Amin.wav", {"kind": "keys", "bpm": 90, "key": "Am"}),
    ("Rhodes_Chords_85_Dm.wav", {"kind": "chord", "bpm": 85, "key": "Dm"}),
    ("EPiano_Cmaj.wav", {"kind": "keys", "key": "C"}),
    ("Riser_8bars_128bpm.wav", {"kind": "fx", "subtype": "riser", "bpm": 128}),
    ("Impact_Big.wav", {"kind": "fx", "subtype": "impact"}),
    ("White Noise Sweep Up.wav", {"kind": "fx", "subtype": "sweep"}),
    ("Downlifter_01.wav", {"kind": "fx", "subtype": "downlifter"}),
    ("Sub_Drop_Deep.wav", {"kind": "fx", "subtype": "sub_drop"}),
    ("Reverse Cymbal.wav", {"kind": "fx", "subtype": "reverse_cymbal"}),
    ("Vocal_Chop_120_Gm.wav", {"kind": "vocal", "bpm": 120, "key": "Gm"}),
    ("Vox_Hey_Shout.wav", {"kind": "vocal", "loop": False}),
    ("Vox_Oh_Yeah.wav", {"kind": "vocal"}),  # "OH" is an open hat only on its own
    # key spellings that must (and must not) read as keys
    ("Bass_A#m_120.wav", {"key": "Bbm"}),
    ("Lead_F#min_140.wav", {"key": "F#m"}),
    ("Lead_Db_Major_140.wav", {"key": "Db"}),
    ("Bass_Loop_120_bmin.wav", {"key": "Bm"}),
    ("FM_Bass_Growl.wav", {"kind": "bass", "key": None}),  # FM is a synth, not F minor
    ("Amen_Loop_170.wav", {"key": None}),  # "Amen" is no A minor
    ("Bass_am_loop.wav", {"key": None}),  # lowercase "am" is a word
    ("Pad_AM_Radio.wav", {"key": None}),
    ("Bass_Fm_124.wav", {"key": "Fm"}),
    # Spanish names
    ("Bombo_Duro_01.wav", {"kind": "kick"}),
    ("Caja_Seca.wav", {"kind": "snare"}),
    ("Palmas_Reggaeton_95bpm.wav", {"kind": "clap", "bpm": 95, "styles": ("reggaeton",)}),
    ("Charles_Cerrado_02.wav", {"kind": "closed_hat"}),
    ("Charles Abierto.wav", {"kind": "open_hat"}),
    ("Bajo_La_menor_120.wav", {"kind": "bass", "key": "Am", "bpm": 120}),
    ("Bajo_Lam_Bucle_100.wav", {"kind": "bass", "key": "Am", "loop": True, "bpm": 100}),
    ("Voz_Coro_Sib_mayor.wav", {"kind": "vocal", "key": "Bb"}),
    ("Colchón_Oscuro_Re_menor.wav", {"kind": "pad", "key": "Dm"}),
    ("Percusión_Güira_Dembow.wav", {"kind": "perc", "subtype": "guira"}),
    ("Subida_Ruido_8_Compases.wav", {"kind": "fx", "subtype": "riser"}),
    ("Impacto_Grave.wav", {"kind": "fx", "subtype": "impact"}),
    ("Acordes_Piano_Do_mayor_90.wav", {"kind": "chord", "key": "C", "bpm": 90}),
    # folders
    ("Drums/Kicks/Heavy 01.wav", {"kind": "kick", "loop": False}),
    ("Drums/Snares/Snappy.wav", {"kind": "snare"}),
    ("Drums/Hats/Closed/Tick 3.wav", {"kind": "closed_hat"}),
    ("Loops/Bass/Dark 126 Gm.wav", {"kind": "bass", "loop": True, "bpm": 126, "key": "Gm"}),
    ("One Shots/Synth/Stab 07.wav", {"kind": "chord", "loop": False}),
    ("One Shots/Synth/Brass Hit C4.wav", {"kind": "lead", "loop": False, "root_note": 72}),
    ("Loops/124 BPM/Groove 1.wav", {"kind": "drums", "loop": True, "bpm": 124}),
    ("Construction Kits/Sunset 124 Am/Lead.wav", {"kind": "lead", "loop": True, "key": "Am"}),
    (
        "Techno Pack/Drum Loops/Loop 05 132bpm.wav",
        {"kind": "drums", "bpm": 132, "styles": ("techno",)},
    ),
    (
        "Deep House Essentials/Chords/Chord 122 A min.wav",
        {"kind": "chord", "key": "Am", "styles": ("deep-house",)},
    ),
    ("Trap/808s/808 Distorted E.wav", {"kind": "808", "note": "E", "styles": ("trap",)}),
    (
        "Drum & Bass/Breaks/Break 174.wav",
        {"kind": "drums", "bpm": 174, "styles": ("drum-and-bass",)},
    ),
    ("Lo-Fi Hip Hop/Keys/Rhodes 80 Cmaj7.wav", {"kind": "keys", "styles": ("lo-fi", "hip-hop")}),
    ("Baterías/Bombos/Bombo 3.wav", {"kind": "kick"}),
    ("Efectos/Barridos/Barrido Largo.wav", {"kind": "fx", "subtype": "sweep"}),
]


@pytest.mark.parametrize(("path", "expected"), CASES, ids=[c[0] for c in CASES])
def test_realistic_names(path, expected):
    info = parse_sample_name(path)
    actual = {
        "kind": info.kind,
        "subtype": info.subtype,
        "loop": info.is_loop,
        "bpm": info.bpm,
        "key": info.key,
        "note": info.note,
        "root_note": info.root_note,
        "styles": info.styles,
    }
    for field, value in expected.items():
        assert actual[field] == value, f"{field}: {actual[field]!r} != {value!r} ({info})"


def test_enough_cases():
    assert len(CASES) >= 60


def test_confidence_reflects_evidence():
    explicit = parse_sample_name("Bass_Loop_124bpm_Am.wav")
    guessed = parse_sample_name("Bass 124.wav")
    assert explicit.bpm_confidence > guessed.bpm_confidence > 0
    assert explicit.loop_confidence > guessed.loop_confidence
    from_file = parse_sample_name("Kicks/Kick_Hard.wav")
    from_folder = parse_sample_name("Kicks/Hard.wav")
    assert from_file.kind == from_folder.kind == "kick"
    assert from_file.kind_confidence > from_folder.kind_confidence > 0
    unknown = parse_sample_name("Untitled 12.wav")
    assert unknown.kind is None and unknown.kind_confidence == 0


def test_file_name_wins_over_folders_and_root_limits_folders():
    info = parse_sample_name("/libs/Bass/Loops/Snare_Roll_128bpm.wav")
    assert info.kind == "snare"
    # Folders above the library root ("Bass Music" here) never count.
    outside = parse_sample_name(
        "/home/me/Bass Music/Library/Untitled.wav", "/home/me/Bass Music/Library"
    )
    assert outside.kind is None


def test_windows_paths():
    info = parse_sample_name("C:\\Samples\\Drums\\Kicks\\Thump.wav")
    assert info.kind == "kick"


def test_tokens_and_helpers():
    assert raw_tokens("SM_NP_100_electric-guitar (Dmaj).wav") == [
        "SM",
        "NP",
        "100",
        "electric",
        "guitar",
        "Dmaj",
        "wav",
    ]
    assert parse_key_token("Am") == ("Am", 0.9, 1)
    assert parse_key_token("A", "minor")[0] == "Am"
    assert parse_key_token("am") is None
    assert parse_key_token("AM") is None
    assert parse_key_token("BB") is None
    assert parse_key_token("Sol", "menor")[0] == "Gm"
    assert parse_bpm_tokens(["bpm", "124"]) == (124.0, 0.95)
    assert parse_bpm_tokens(["124.5bpm"]) == (124.5, 0.95)
    assert parse_bpm_tokens(["Kick", "01"]) is None
    assert parse_bpm_tokens(["Loop", "250"]) is None
    assert kinds_for("hat") == {"hat", "closed_hat", "open_hat"}
    assert kinds_for("bombo") == {"kick"}
    assert kinds_for("nonsense") == frozenset()
