"""Which sound each part of a style uses, and why: the palette table, and how mood bends it.

Every style names its own kick, snare, clap, hat set, bass, chords and lead from the built-in kit
(:mod:`companion.kit.catalogue`) with a one-line reason from the genre's conventions, plus the
words a producer's sample would carry to be a good match (the same table ranks their library).
Melodic parts list alternatives after the style's default: a mood chooses among them by the
character tags of the sounds (a dark pad never plays on "happy"), and it moves Simpler's low-pass
(``BRIGHTNESS``). Percussion, pads, arps, vocals and effects are shared between styles by design
(``SHARED``): the must-differ parts (``DISTINCT``) are unique to each style.

Sources: peers-and-music.md §3 (genre table, harmony by mood), and common production practice:
909 kicks and claps in house, rumbling kicks and dub chords in techno, long 808s in trap, reese
basses in drum & bass, wobble basses in dubstep, organ stabs and shuffled hats in UK garage, Rhodes
in deep house and lo-fi, clavinet in funk, string sections in disco, Juno-style polysynths and gated
snares in synthwave.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from companion.kit.catalogue import INSTRUMENT_BY_NAME, KIT_BY_NAME


@dataclass(frozen=True, slots=True)
class Pick:
    sound: str  # a kit sound (drums) or instrument (melodic); for "hats" the set's name
    why: str
    words: tuple[str, ...] = ()  # what a matching library sample's name or tags say


def _p(sound: str, why: str, *words: str) -> Pick:
    return Pick(sound, why, words)


@dataclass(frozen=True, slots=True)
class StylePalette:
    kick: Pick
    snare: Pick
    clap: Pick
    hats: Pick
    bass: tuple[Pick, ...]  # the style's default first, then what moods may swap in
    chords: tuple[Pick, ...]
    lead: tuple[Pick, ...]
    pads: tuple[str, ...] = ("Pad_Warm", "Pad_Airy", "Pad_Dark", "Pad_Strings_Soft", "Pad_Choir")
    arp: tuple[str, ...] = (
        "Arp_Pluck_Bright",
        "Arp_Pluck_Soft",
        "Arp_Pluck_Dark",
        "Arp_Bell_Glass",
    )
    vocals: tuple[str, ...] = ("Vox_Ah", "Vox_Oh")
    percussion: dict[str, str] = field(default_factory=dict)  # slot → sound, over PERCUSSION


DISTINCT = ("kick", "snare", "clap", "hats", "bass", "chords", "lead")
SHARED = {
    "pads": "pads are chosen by mood from one set of five: their character is the mood's",
    "arp": "arpeggios are short plucks whose brightness follows the mood",
    "vocals": "vocal chops are one 'ah' and one 'oh' voice in every style",
    "fx": "risers, impacts and sweeps are the same transition tools in every genre",
    "percussion": "rims, shakers, congas, toms and cymbals are shared; a few styles swap one",
}
# Pairs of styles allowed to share a must-differ part (none today: every style has its own).
MAY_SHARE: dict[frozenset[str], tuple[str, ...]] = {}

PERCUSSION: dict[str, str] = {
    "rim": "Perc_Rim",
    "clave": "Perc_Clave",
    "cowbell": "Perc_Cowbell",
    "shaker": "Perc_Shaker",
    "tambourine": "Perc_Tambourine",
    "conga_high": "Perc_Conga_High",
    "conga_low": "Perc_Conga_Low",
    "bongo_high": "Perc_Bongo_High",
    "bongo_low": "Perc_Bongo_Low",
    "tom_low": "Perc_Tom_Low",
    "tom_mid": "Perc_Tom_Mid",
    "tom_high": "Perc_Tom_High",
    "crash": "Cymbal_Crash",
    "ride": "Cymbal_Ride",
}
ORGANIC = {"rim": "Perc_Rim_Wood", "shaker": "Perc_Shaker_Soft"}
DARK_CYMBALS = {"crash": "Cymbal_Crash_Dark"}
SOFT = {"shaker": "Perc_Shaker_Soft"}

PALETTES: dict[str, StylePalette] = {
    "house": StylePalette(
        kick=_p(
            "Kick_House_909",
            "a punchy 909-style kick with a short tail drives four-on-the-floor",
            "909",
            "house",
            "punchy",
        ),
        snare=_p(
            "Snare_House_909", "the 909 snare layers under the clap on 2 and 4", "909", "house"
        ),
        clap=_p("Clap_House", "the classic house clap is the backbeat", "909", "house"),
        hats=_p("House", "noisy 909-style hats, the open one on the offbeat", "909", "house"),
        bass=(
            _p(
                "Bass_House_Organ",
                "the M1-style organ bass of classic house, bouncing on the offbeat",
                "organ",
                "house",
            ),
            _p("Bass_Deep_Warm", "a softer FM bass for relaxed and sad takes", "warm"),
        ),
        chords=(
            _p(
                "Keys_Piano_House",
                "bright piano stabs are the sound of house (M1 piano)",
                "piano",
                "stab",
            ),
            _p("Keys_Rhodes_Deep", "a mellow Rhodes when the mood is dark or sad", "rhodes"),
        ),
        lead=(
            _p("Lead_House_Saw", "a simple saw hook sits over the stabs", "saw", "lead"),
            _p("Arp_Pluck_Soft", "a soft pluck for chill takes", "pluck"),
        ),
    ),
    "deep-house": StylePalette(
        kick=_p(
            "Kick_Deep_Round", "a round, softer kick leaves room for the warm bass", "deep", "round"
        ),
        snare=_p("Snare_Deep_Soft", "deep house backbeats are soft, often rim-like", "soft"),
        clap=_p("Clap_Deep_Soft", "a soft, roomy clap", "soft"),
        hats=_p("Deep", "shuffled, muted hats", "shuffle"),
        bass=(
            _p("Bass_Deep_Warm", "a warm, rounded FM bass carries the groove", "deep", "warm"),
            _p("Bass_Sub_Glide", "a pure sub for the darkest takes", "sub"),
        ),
        chords=(
            _p(
                "Keys_Rhodes_Deep",
                "Rhodes minor 7th and 9th chords define deep house",
                "rhodes",
                "epiano",
            ),
            _p("Synth_Dub_Techno", "a darker dub chord for dark moods", "dub"),
        ),
        lead=(
            _p(
                "Lead_Deep_Mellow",
                "a mellow triangle lead stays behind the chords",
                "soft",
                "lead",
            ),
            _p("Lead_Prog_Bell", "a bell when the mood lifts", "bell"),
        ),
        percussion=SOFT,
    ),
    "tech-house": StylePalette(
        kick=_p("Kick_Tech_Tight", "a tight, clicky kick for a rolling groove", "tech", "tight"),
        snare=_p("Snare_Tech_Snap", "a short snappy snare", "snap"),
        clap=_p("Clap_Tech_Tight", "a dry, tight clap on 2 and 4", "tight"),
        hats=_p("Tech", "crisp, short hats for busy 16ths", "tight"),
        bass=(
            _p(
                "Bass_Tech_Rolling",
                "a punchy rolling bass with a filter blip on each note",
                "rolling",
                "tech",
            ),
            _p("Bass_Acid_303", "an acid line for energetic or hypnotic takes", "acid", "303"),
        ),
        chords=(
            _p(
                "Synth_Tech_Hit",
                "short filtered minor stabs punctuate the groove",
                "stab",
                "tech",
            ),
            _p("Keys_Organ_Garage", "an organ stab for happier takes", "organ"),
        ),
        lead=(
            _p("Lead_Tech_Blip", "percussive FM blips instead of long melodies", "blip", "fm"),
            _p("Lead_Garage_Vox", "a vocal-chop lead for softer takes", "vox"),
        ),
    ),
    "afro-house": StylePalette(
        kick=_p("Kick_Afro_Wood", "a woody, organic kick under live percussion", "afro", "organic"),
        snare=_p("Snare_Afro_Wood", "a wooden, rim-like snare", "rim", "wood"),
        clap=_p("Clap_Afro_Hand", "a loose hand clap", "hand", "clap"),
        hats=_p("Afro", "shaker-like hats that blend with the congas", "shaker", "afro"),
        bass=(
            _p(
                "Bass_Afro_Round",
                "a round, warm bass leaves the percussion in front",
                "afro",
                "round",
            ),
            _p("Bass_Sub_Glide", "a sub for darker takes", "sub"),
        ),
        chords=(
            _p("Keys_EPiano_Afro", "glassy DX-style electric piano chords", "epiano", "keys"),
            _p("Pad_Strings_Liquid", "lush strings for dreamy takes", "strings"),
        ),
        lead=(
            _p(
                "Lead_Kalimba_Afro",
                "kalimba and marimba motifs are afro house's melodic voice",
                "kalimba",
                "marimba",
            ),
            _p("Lead_Flute_HipHop", "a flute for soft, sad takes", "flute"),
        ),
        percussion=ORGANIC,
    ),
    "progressive-house": StylePalette(
        kick=_p("Kick_Prog_Deep", "a deep, clean kick for long builds", "progressive", "deep"),
        snare=_p("Snare_Prog_Big", "a wide snare with room", "wide"),
        clap=_p("Clap_Prog_Wide", "a wide, roomy clap", "wide"),
        hats=_p("Prog", "smooth hats with long open hats", "progressive"),
        bass=(
            _p(
                "Bass_Prog_Smooth",
                "a smooth detuned bass under evolving chords",
                "progressive",
                "smooth",
            ),
            _p("Bass_Sub_Glide", "a sub for dark takes", "sub"),
        ),
        chords=(
            _p(
                "Synth_Pluck_Prog",
                "bright plucked chords with width drive progressive house",
                "pluck",
                "progressive",
            ),
            _p("Synth_Dub_Techno", "a dark filtered chord", "dub"),
        ),
        lead=(
            _p("Lead_Prog_Bell", "a bell-like lead floats over the plucks", "bell", "lead"),
            _p("Lead_Trance_Supersaw", "a supersaw for euphoric peaks", "supersaw"),
        ),
    ),
    "techno": StylePalette(
        kick=_p(
            "Kick_Techno_Rumble",
            "a driven kick with a rumbling low tail (the techno rumble)",
            "techno",
            "rumble",
        ),
        snare=_p("Snare_Techno_Noise", "a noisy, distorted snare", "techno", "noise"),
        clap=_p("Clap_Techno_Room", "a clap in a dark room", "techno", "clap"),
        hats=_p("Techno", "metallic 808-style hats and rides", "techno", "metallic"),
        bass=(
            _p(
                "Bass_Techno_Rumble",
                "a short, dark, driven bass that rolls in 16ths",
                "techno",
                "rumble",
            ),
            _p("Bass_Acid_303", "an acid line for energetic takes", "acid", "303"),
        ),
        chords=(
            _p(
                "Synth_Dub_Techno",
                "filtered dub chords (Basic Channel) are techno's harmony",
                "dub",
                "chord",
            ),
            _p("Synth_Pluck_Prog", "a brighter plucked chord for happy takes", "pluck"),
        ),
        lead=(
            _p("Lead_Acid_303", "a resonant acid line is techno's lead", "acid", "303"),
            _p("Arp_Pluck_Bright", "a bright pluck for happy takes", "pluck"),
        ),
        percussion=DARK_CYMBALS,
    ),
    "minimal-techno": StylePalette(
        kick=_p("Kick_Minimal_Dry", "a short dry kick: minimal leaves space", "minimal", "dry"),
        snare=_p("Snare_Minimal_Tick", "a tick of a snare", "tick", "minimal"),
        clap=_p("Clap_Minimal_Snap", "a small dry snap", "snap"),
        hats=_p("Minimal", "tiny, tight hats", "minimal", "tight"),
        bass=(
            _p("Bass_Minimal_Sine", "a short sine blip with a touch of FM", "sine", "minimal"),
            _p("Bass_Sub_Glide", "a darker sub", "sub"),
        ),
        chords=(
            _p("Synth_Glass_Minimal", "glassy FM stabs used sparingly", "glass", "fm"),
            _p("Synth_Dub_Techno", "a dub chord for dark takes", "dub"),
        ),
        lead=(
            _p("Lead_Minimal_Blip", "clicky blips instead of melodies", "blip", "minimal"),
            _p("Arp_Bell_Glass", "a glass bell for dreamy takes", "bell"),
        ),
        percussion=DARK_CYMBALS,
    ),
    "trance": StylePalette(
        kick=_p(
            "Kick_Trance_Hard",
            "a hard, clicky kick cutting through the supersaws",
            "trance",
            "hard",
        ),
        snare=_p(
            "Snare_Trance_Crisp", "a crisp snare for the rolls in the build", "trance", "crisp"
        ),
        clap=_p("Clap_Trance_Big", "a big, bright clap", "trance", "big"),
        hats=_p("Trance", "bright hats, open on the offbeat", "trance", "bright"),
        bass=(
            _p("Bass_Trance_Roll", "a rolling offbeat saw bass", "trance", "rolling"),
            _p("Bass_Sub_Glide", "a sub for darker takes", "sub"),
        ),
        chords=(
            _p(
                "Synth_Supersaw_Trance",
                "wide supersaw chords are the trance sound",
                "supersaw",
                "trance",
            ),
            _p("Pad_Strings_Liquid", "strings for sad breakdowns", "strings"),
        ),
        lead=(
            _p("Lead_Trance_Supersaw", "a supersaw lead carries the anthem", "supersaw", "lead"),
            _p("Arp_Pluck_Dark", "a dark pluck for dark takes", "pluck"),
        ),
    ),
    "drum-and-bass": StylePalette(
        kick=_p(
            "Kick_DnB_Tight", "a tight, high kick that does not blur at 174 BPM", "dnb", "tight"
        ),
        snare=_p(
            "Snare_DnB_Crack",
            "a cracking snare on 2 and 4 is drum & bass's backbone",
            "dnb",
            "crack",
        ),
        clap=_p("Clap_DnB_Sharp", "a sharp clap layered with the snare", "clap"),
        hats=_p("DnB", "short, fast hats", "dnb"),
        bass=(
            _p(
                "Bass_Reese_DnB",
                "the reese: detuned saws beating against each other",
                "reese",
                "dnb",
            ),
            _p("Bass_Sub_Glide", "a clean sub for liquid takes", "sub"),
        ),
        chords=(
            _p("Pad_Strings_Liquid", "lush strings of liquid drum & bass", "strings", "liquid"),
            _p("Synth_Dubstep_Dark", "dark stabs for neuro takes", "stab"),
        ),
        lead=(
            _p("Lead_DnB_Square", "a square lead with vibrato", "square", "lead"),
            _p("Lead_Dubstep_Screech", "a screech for aggressive takes", "screech"),
        ),
    ),
    "dubstep": StylePalette(
        kick=_p("Kick_Dubstep_Heavy", "a heavy, saturated kick", "dubstep", "heavy"),
        snare=_p("Snare_Dubstep_Huge", "a huge half-time snare on beat 3", "dubstep", "huge"),
        clap=_p("Clap_Dubstep_Huge", "a big clap layered with the snare", "clap"),
        hats=_p("Dubstep", "dark, sparse hats", "dubstep"),
        bass=(
            _p(
                "Bass_Wobble_Dubstep",
                "the wobble: a growling bass under a moving filter",
                "wobble",
                "growl",
            ),
            _p("Bass_Sub_Glide", "a clean sub for the deeper, older style", "sub"),
        ),
        chords=(
            _p("Synth_Dubstep_Dark", "dark, distorted stabs", "dark", "stab"),
            _p("Keys_Glass_Ambient", "glassy keys for melodic, dreamy takes", "glass"),
        ),
        lead=(
            _p("Lead_Dubstep_Screech", "a screeching FM lead", "screech", "fm"),
            _p("Lead_Bell_Ambient", "a bell for melodic takes", "bell"),
        ),
        percussion=DARK_CYMBALS,
    ),
    "uk-garage": StylePalette(
        kick=_p(
            "Kick_Garage_Bounce", "a punchy, bouncing kick for the 2-step skip", "garage", "2step"
        ),
        snare=_p("Snare_Garage_Snappy", "a snappy snare with shuffle", "garage", "snappy"),
        clap=_p("Clap_Garage", "a tight garage clap", "garage", "clap"),
        hats=_p("Garage", "tight hats that carry the shuffle", "garage", "shuffle"),
        bass=(
            _p("Bass_Garage_Bounce", "a bouncy FM bass with a growl on the hit", "garage", "bass"),
            _p("Bass_Sub_Glide", "a sub for darker takes", "sub"),
        ),
        chords=(
            _p("Keys_Organ_Garage", "organ stabs are the garage chord sound", "organ", "stab"),
            _p("Keys_Rhodes_Deep", "a Rhodes for soft takes", "rhodes"),
        ),
        lead=(
            _p("Lead_Garage_Vox", "chopped vocals play the hook in garage", "vox", "chop"),
            _p("Lead_House_Saw", "a saw hook for energetic takes", "saw"),
        ),
    ),
    "trap": StylePalette(
        kick=_p(
            "Kick_Trap_Punch", "a short punchy kick: the 808 carries the low end", "trap", "punch"
        ),
        snare=_p(
            "Snare_Trap_Crack", "a cracking snare on beat 3 of the half-time bar", "trap", "snare"
        ),
        clap=_p("Clap_Trap_Layer", "a layered clap with the snare", "trap", "clap"),
        hats=_p("Trap", "crisp 808 hats for rolls", "trap", "808"),
        bass=(
            _p(
                "808_Trap",
                "a long, distorted 808 with a pitch drop, gliding between notes",
                "808",
                "trap",
            ),
            _p("808_HipHop", "a cleaner 808 for soft takes", "808"),
        ),
        chords=(
            _p("Keys_Piano_Dark", "dark, low piano chords", "piano", "dark"),
            _p("Keys_Piano_Pop", "a brighter piano for happy takes", "piano"),
        ),
        lead=(
            _p(
                "Lead_Bell_Trap", "music-box and bell melodies are trap's signature", "bell", "trap"
            ),
            _p("Lead_Flute_HipHop", "a flute for melodic takes", "flute"),
        ),
    ),
    "hip-hop": StylePalette(
        kick=_p("Kick_HipHop_Thick", "a thick, saturated kick", "hiphop", "thick"),
        snare=_p("Snare_HipHop_Fat", "a fat snare on 2 and 4", "hiphop", "fat"),
        clap=_p("Clap_HipHop", "a clap layered with the snare", "clap"),
        hats=_p("HipHop", "plain hats that do not crowd the vocal", "hiphop"),
        bass=(
            _p("808_HipHop", "a clean, booming 808", "808", "hiphop"),
            _p("808_Trap", "a dirtier 808 for dark takes", "808"),
        ),
        chords=(
            _p("Keys_Piano_Soul", "warm soul piano chords", "piano", "soul"),
            _p("Keys_Piano_Dark", "a dark piano for dark takes", "piano"),
        ),
        lead=(
            _p(
                "Lead_Flute_HipHop",
                "a breathy flute line, a modern hip-hop staple",
                "flute",
                "lead",
            ),
            _p("Lead_Bell_Trap", "bells for dark takes", "bell"),
        ),
    ),
    "boom-bap": StylePalette(
        kick=_p(
            "Kick_BoomBap_Dusty",
            "a dusty kick with a knock, as sampled from records",
            "boombap",
            "dusty",
        ),
        snare=_p("Snare_BoomBap_Dusty", "a dusty, cracking snare", "boombap", "dusty"),
        clap=_p("Clap_BoomBap_Dusty", "a dusty clap", "dusty"),
        hats=_p("BoomBap", "dull, swung hats", "dusty"),
        bass=(
            _p(
                "Bass_Upright_BoomBap",
                "an upright bass, as on jazz records sampled for boom bap",
                "upright",
                "jazz",
            ),
            _p("808_HipHop", "an 808 for harder takes", "808"),
        ),
        chords=(
            _p("Keys_Piano_Dusty", "a dusty jazz piano loop feel", "piano", "jazz"),
            _p("Keys_Rhodes_Lofi", "a Rhodes for soft takes", "rhodes"),
        ),
        lead=(
            _p("Lead_Brass_Muted", "a muted horn phrase", "brass", "horn"),
            _p("Keys_Vibes_Lofi", "vibes for chill takes", "vibes"),
        ),
    ),
    "lo-fi": StylePalette(
        kick=_p("Kick_Lofi_Soft", "a soft, muffled kick", "lofi", "soft"),
        snare=_p("Snare_Lofi_Soft", "a soft, low-passed snare", "lofi", "soft"),
        clap=_p("Clap_Lofi_Soft", "a soft clap", "lofi"),
        hats=_p("Lofi", "dusty, low-passed hats with heavy swing", "lofi", "dusty"),
        bass=(
            _p(
                "Bass_Lofi_Round",
                "a round, muffled finger-played bass (no 808, no synth bass)",
                "lofi",
                "finger",
            ),
            _p("Bass_Upright_BoomBap", "an upright for jazzy takes", "upright"),
        ),
        chords=(
            _p(
                "Keys_Rhodes_Lofi",
                "a wobbly, tape-worn Rhodes playing 7ths and 9ths",
                "rhodes",
                "lofi",
            ),
            _p("Keys_Guitar_Nylon", "a nylon guitar for warm takes", "guitar"),
        ),
        lead=(
            _p("Keys_Vibes_Lofi", "a soft vibraphone melody", "vibes", "vibraphone"),
            _p("Lead_Flute_HipHop", "a flute for dreamy takes", "flute"),
        ),
        percussion=SOFT,
    ),
    "reggaeton": StylePalette(
        kick=_p(
            "Kick_Reggaeton_Boom", "a boomy kick on every beat of the dembow", "reggaeton", "dembow"
        ),
        snare=_p(
            "Snare_Reggaeton_Snap", "a snappy snare on the dembow's offbeats", "reggaeton", "dembow"
        ),
        clap=_p("Clap_Reggaeton", "a clap doubling the dembow snare", "reggaeton"),
        hats=_p("Reggaeton", "short hats and shakers in 8ths", "reggaeton"),
        bass=(
            _p(
                "Bass_Reggaeton_Sub",
                "a short, round sub-808 following the kick",
                "reggaeton",
                "sub",
            ),
            _p("808_Trap", "a long 808 for dark takes", "808"),
        ),
        chords=(
            _p("Keys_Guitar_Nylon", "a plucked nylon guitar, the Latin colour", "guitar", "nylon"),
            _p("Keys_Piano_Pop", "a piano for romantic takes", "piano"),
        ),
        lead=(
            _p("Lead_Pluck_Reggaeton", "a bright synth pluck hook", "pluck", "reggaeton"),
            _p("Lead_Flute_HipHop", "a flute for soft takes", "flute"),
        ),
        percussion={"shaker": "Perc_Shaker", "rim": "Perc_Rim"},
    ),
    "pop": StylePalette(
        kick=_p("Kick_Pop_Clean", "a clean, polished kick", "pop", "clean"),
        snare=_p("Snare_Pop_Bright", "a bright snare with room", "pop", "bright"),
        clap=_p("Clap_Pop_Stack", "stacked claps on 2 and 4", "pop", "clap"),
        hats=_p("Pop", "bright, even hats", "pop"),
        bass=(
            _p("Bass_Pop_Synth", "a clean synth bass in 8ths", "pop", "synth"),
            _p("Bass_Sub_Glide", "a sub for darker ballads", "sub"),
        ),
        chords=(
            _p("Keys_Piano_Pop", "a bright pop piano", "piano", "pop"),
            _p("Pad_Strings_Liquid", "strings for sad ballads", "strings"),
        ),
        lead=(
            _p("Lead_Pop_Pluck", "a bright, wide pluck hook", "pluck", "pop"),
            _p("Lead_Bell_Ambient", "a soft bell for dreamy takes", "bell"),
        ),
    ),
    "disco": StylePalette(
        kick=_p("Kick_Disco_Acoustic", "an acoustic four-on-the-floor kick", "disco", "acoustic"),
        snare=_p("Snare_Disco_Acoustic", "an acoustic snare with room", "disco", "acoustic"),
        clap=_p("Clap_Disco", "handclaps doubling the snare", "disco", "clap"),
        hats=_p("Disco", "the open hi-hat on every offbeat is disco's signature", "disco", "open"),
        bass=(
            _p("Bass_Disco_Finger", "a fingered electric bass playing octaves", "disco", "finger"),
            _p("Bass_Funk_Slap", "a slap bass for energetic takes", "slap"),
        ),
        chords=(
            _p(
                "Pad_Strings_Disco",
                "a string section: runs and sustained chords",
                "strings",
                "disco",
            ),
            _p("Keys_Piano_Pop", "a piano for soft takes", "piano"),
        ),
        lead=(
            _p("Lead_Brass_Disco", "a brass section hits the hooks", "brass", "horns"),
            _p("Lead_Synthwave_Saw", "a synth lead for nu-disco takes", "synth"),
        ),
    ),
    "funk": StylePalette(
        kick=_p("Kick_Funk_Dry", "a dry, tight acoustic kick", "funk", "acoustic"),
        snare=_p("Snare_Funk_Tight", "a tight snare with ghost notes", "funk", "tight"),
        clap=_p("Clap_Funk_Dry", "a dry clap", "clap"),
        hats=_p("Funk", "busy acoustic hats", "funk"),
        bass=(
            _p("Bass_Funk_Slap", "a slapped, syncopated bass", "funk", "slap"),
            _p("Bass_Disco_Finger", "a fingered bass for softer takes", "finger"),
        ),
        chords=(
            _p("Keys_Clav_Funk", "clavinet-like stabs are funk's rhythm keys", "clav", "funk"),
            _p("Keys_Rhodes_Deep", "a Rhodes for smooth takes", "rhodes"),
        ),
        lead=(
            _p("Lead_Funk_Moog", "a Minimoog-style lead with vibrato", "moog", "lead"),
            _p("Lead_Brass_Disco", "horns for happy takes", "brass"),
        ),
    ),
    "synthwave": StylePalette(
        kick=_p("Kick_Synthwave_Linn", "a LinnDrum-like kick", "synthwave", "linn"),
        snare=_p("Snare_Synthwave_Gated", "the gated-reverb snare of the 80s", "gated", "80s"),
        clap=_p("Clap_Synthwave_Verb", "a clap in a big gated room", "gated", "80s"),
        hats=_p("Synthwave", "plain drum-machine hats", "synthwave"),
        bass=(
            _p("Bass_Synthwave_Saw", "a pulsing saw bass in 8ths", "synthwave", "saw"),
            _p("Bass_Sub_Glide", "a sub for darker takes", "sub"),
        ),
        chords=(
            _p("Synth_Poly_80s", "a Juno-style chorused polysynth", "poly", "80s", "juno"),
            _p("Pad_Strings_Liquid", "strings for sad takes", "strings"),
        ),
        lead=(
            _p(
                "Lead_Synthwave_Saw",
                "a bright saw lead with vibrato and chorus",
                "synthwave",
                "lead",
            ),
            _p("Arp_Pluck_Dark", "a dark pluck for darksynth takes", "pluck"),
        ),
    ),
    "ambient": StylePalette(
        kick=_p("Kick_Ambient_Soft", "a soft, distant thump, when there is a beat at all", "soft"),
        snare=_p("Snare_Ambient_Brush", "a brushed, roomy snare", "brush"),
        clap=_p("Clap_Ambient_Distant", "a distant clap", "soft"),
        hats=_p("Ambient", "soft, airy hats", "soft"),
        bass=(
            _p("Bass_Ambient_Drone", "a soft drone bass under the textures", "drone", "ambient"),
            _p("Bass_Sub_Glide", "a pure sine sub under the drone", "sub"),
        ),
        chords=(
            _p("Keys_Glass_Ambient", "slow, glassy FM keys that swell", "glass", "ambient"),
            _p("Pad_Strings_Liquid", "strings for warm takes", "strings"),
        ),
        lead=(
            _p("Lead_Bell_Ambient", "sparse bells over the pads", "bell", "ambient"),
            _p("Lead_Flute_HipHop", "a breathy flute for warm takes", "flute"),
        ),
        pads=("Pad_Airy", "Pad_Choir", "Pad_Warm", "Pad_Strings_Soft", "Pad_Dark"),
        percussion=SOFT,
    ),
    "edm": StylePalette(
        kick=_p("Kick_EDM_BigRoom", "a huge, distorted big-room kick", "edm", "bigroom"),
        snare=_p("Snare_EDM_Big", "a big, bright snare for the build rolls", "edm", "big"),
        clap=_p("Clap_EDM_Big", "a huge stacked clap", "edm", "clap"),
        hats=_p("EDM", "bright, loud hats", "edm"),
        bass=(
            _p("Bass_EDM_Dirty", "a distorted saw bass under the drop", "edm", "dirty"),
            _p("Bass_Sub_Glide", "a sub for softer takes", "sub"),
        ),
        chords=(
            _p(
                "Synth_Supersaw_BigRoom",
                "huge supersaw chords with an octave on top",
                "supersaw",
                "bigroom",
            ),
            _p("Pad_Strings_Liquid", "strings for emotional breakdowns", "strings"),
        ),
        lead=(
            _p("Lead_BigRoom_Square", "a fat detuned square lead for the drop", "lead", "bigroom"),
            _p("Lead_Trance_Supersaw", "a supersaw for euphoric takes", "supersaw"),
        ),
    ),
}


# Words that name an instrument (not a character or a style), by family: a producer's sample
# naming one family is another sound than a pick naming another ("organ" keys are not the
# "rhodes" lo-fi asks for; a "reese" is not trap's "808"), so the table's kit sound plays instead.
SOUND_FAMILIES: dict[str, tuple[tuple[str, ...], str]] = {
    "808": (("808", "808s", "tr808"), "the long tuned kick-bass of trap and hip-hop"),
    "reese": (("reese",), "detuned beating saws: drum & bass's bass"),
    "wobble": (("wobble", "growl", "wub"), "a bass under a moving filter: dubstep's"),
    "acid": (("acid", "303", "tb303"), "a resonant squelching 303 line"),
    "upright": (("upright", "contrabass", "doublebass"), "an acoustic double bass"),
    "slap": (("slap",), "a slapped electric bass"),
    "finger": (("finger", "fingered"), "a fingered electric bass"),
    "organ": (("organ", "organs", "organo", "hammond"), "drawbar organ: garage stabs, house bass"),
    "rhodes": (("rhodes", "epiano", "wurli", "wurlitzer"), "electric piano: deep house, lo-fi"),
    "piano": (("piano", "pianos", "grand"), "acoustic piano: house stabs, pop, trap"),
    "clav": (("clav", "clavinet"), "funk's percussive keys"),
    "guitar": (("guitar", "guitars", "guitarra", "nylon"), "plucked guitar: reggaeton, lo-fi"),
    "strings": (("strings", "string", "violin", "violins", "cello"), "a string section"),
    "supersaw": (("supersaw",), "seven detuned saws: trance and big room"),
    "pluck": (("pluck", "plucks"), "a short plucked synth"),
    "bell": (("bell", "bells", "musicbox"), "FM and music-box bells"),
    "mallets": (("vibes", "vibraphone", "marimba", "kalimba", "xylophone"), "struck bars"),
    "flute": (("flute", "flauta"), "a breathy flute"),
    "brass": (("brass", "horn", "horns", "trumpet", "sax"), "a horn section or muted horn"),
    "moog": (("moog", "minimoog"), "a monosynth lead with vibrato"),
    "vox": (("vox", "vocal", "chop"), "a chopped voice playing the hook"),
}
_FAMILY_OF = {word: family for family, (words, _) in SOUND_FAMILIES.items() for word in words}


def sound_families(words) -> frozenset[str]:
    """The instrument families a set of words names (empty: it names no instrument)."""
    return frozenset(_FAMILY_OF[w] for w in words if w in _FAMILY_OF)


@dataclass(frozen=True, slots=True)
class MoodSound:
    prefer: tuple[str, ...]  # character tags a mood looks for
    avoid: tuple[str, ...]  # tags it never plays
    brightness: float  # octaves Simpler's low-pass moves down from open on melodic parts
    why: str


MOOD_SOUND: dict[str, MoodSound] = {
    "dark": MoodSound(
        ("dark",),
        ("bright", "happy", "euphoric", "airy"),
        2.5,
        "dark is low-passed and avoids bright timbres",
    ),
    "sad": MoodSound(
        ("sad", "soft", "warm"),
        ("happy", "euphoric", "aggressive", "huge"),
        1.5,
        "sad wants soft, warm, darker sounds",
    ),
    "melancholic": MoodSound(
        ("sad", "soft", "warm"),
        ("happy", "euphoric", "aggressive"),
        1.5,
        "like sad, a little less dark",
    ),
    "happy": MoodSound(
        ("bright", "happy"),
        ("dark", "sad", "aggressive"),
        0.0,
        "happy is open and bright; never a dark pad",
    ),
    "energetic": MoodSound(
        ("bright", "punchy", "acid"),
        ("soft", "sad"),
        0.0,
        "energy wants bright, punchy sounds, fully open",
    ),
    "chill": MoodSound(
        ("soft", "warm"), ("aggressive", "huge"), 1.0, "relaxed is soft and a little rounded"
    ),
    "epic": MoodSound(("huge", "lush", "bright"), ("dry",), 0.0, "epic wants big, wide sounds"),
    "dreamy": MoodSound(
        ("airy", "dreamy", "soft"), ("aggressive", "dry"), 1.0, "dreamy is airy and soft-edged"
    ),
    "aggressive": MoodSound(
        ("aggressive", "dark", "huge"), ("soft", "sad"), 0.5, "aggressive is distorted and heavy"
    ),
    "romantic": MoodSound(
        ("warm", "soft", "lush"), ("aggressive", "dark"), 1.0, "romantic is warm and soft"
    ),
    "mysterious": MoodSound(
        ("dark", "airy"), ("happy", "bright"), 2.0, "mysterious is dark but airy"
    ),
    "hypnotic": MoodSound(
        ("dark", "dry", "acid"), ("happy",), 1.0, "hypnotic is dry and repetitive"
    ),
    "euphoric": MoodSound(
        ("euphoric", "bright", "huge"), ("dark", "sad"), 0.0, "euphoric is bright and huge"
    ),
    "uplifting": MoodSound(("bright", "euphoric"), ("dark",), 0.0, "uplifting is bright"),
}
NEUTRAL = MoodSound((), (), 0.0, "no mood: the style's own sounds, open")
OPEN_HZ = 22000.0
# How much of the mood's darkening each part takes (drums and fx stay open).
BRIGHTNESS_SHARE = {"chords": 1.0, "pads": 1.0, "arp": 0.8, "lead": 0.5, "bass": 0.3, "vocals": 0.3}


def palette(style: str | None) -> StylePalette | None:
    return PALETTES.get(style) if style else None


def mood_sound(mood: str | None) -> MoodSound:
    return MOOD_SOUND.get(mood or "", NEUTRAL)


def _tags(name: str) -> tuple[str, ...]:
    if name in INSTRUMENT_BY_NAME:
        return INSTRUMENT_BY_NAME[name].tags
    sound = KIT_BY_NAME.get(name)
    return sound.tags if sound else ()


def by_mood(names: tuple[str, ...], mood: str | None) -> str:
    """The first of ``names`` (best first) a mood allows, preferring the one with most of the
    mood's tags; the first when the mood allows none."""
    feel = mood_sound(mood)
    allowed = [n for n in names if not set(_tags(n)) & set(feel.avoid)] or list(names[:1])
    return max(allowed, key=lambda n: (len(set(_tags(n)) & set(feel.prefer)), -names.index(n)))


def melodic_picks(style_palette: StylePalette, part: str) -> tuple[Pick, ...]:
    if part in ("bass", "chords", "lead"):
        return getattr(style_palette, part)
    names = {"pads": style_palette.pads, "arp": style_palette.arp, "vocals": style_palette.vocals}
    return tuple(Pick(n, SHARED.get(part, "")) for n in names.get(part, ()))


def choice(style: str | None, mood: str | None, slot: str, part: str) -> Pick | None:
    """The table's sound for a slot (a drum pad's slot name, or a melodic part): a kit sound name
    for drums, an instrument name for melodic parts."""
    table = palette(style)
    if table is None:
        return None
    if part == "drums":
        if slot in ("kick", "snare", "clap"):
            return getattr(table, slot)
        if slot in ("closed_hat", "pedal_hat", "open_hat"):
            side = "Open" if slot == "open_hat" else "Closed"
            return Pick(f"Hat_{side}_{table.hats.sound}", table.hats.why, table.hats.words)
        if slot == "snare2":
            return table.snare
        sound = table.percussion.get(slot, PERCUSSION.get(slot))
        return Pick(sound, SHARED["percussion"]) if sound else None
    picks = melodic_picks(table, part)
    if not picks:
        return None
    chosen = by_mood(tuple(p.sound for p in picks), mood)
    return next(p for p in picks if p.sound == chosen)


def words_of(style: str | None, mood: str | None, slot: str, part: str) -> tuple[str, ...]:
    pick = choice(style, mood, slot, part)
    return pick.words if pick else ()


def filter_hz(mood: str | None, part: str) -> float:
    """Simpler's low-pass for a melodic part under a mood (22 kHz: open)."""
    octaves = mood_sound(mood).brightness * BRIGHTNESS_SHARE.get(part, 0.0)
    return round(OPEN_HZ / 2**octaves, 1)


@cache
def styles_using(name: str) -> tuple[str, ...]:
    """The styles whose default palette plays a kit sound or instrument (for style scoring)."""
    found = []
    for style, table in PALETTES.items():
        names = {table.kick.sound, table.snare.sound, table.clap.sound}
        names |= {f"Hat_Closed_{table.hats.sound}", f"Hat_Open_{table.hats.sound}"}
        names |= {picks[0].sound for picks in (table.bass, table.chords, table.lead)}
        if name in names:
            found.append(style)
    return tuple(found)
