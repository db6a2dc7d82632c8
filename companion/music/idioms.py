"""Genre idioms as data: what a producer of each style expects to hear, and why.

Every style lists at least three idioms, each naming the part that carries it and a one-line
reason. An idiom is implemented in one of two ways, both checked by tests/test_idioms.py:

* a **family** idiom is the rhythm/comping/harmony family the style's profile selects (the name is
  the family: the house bass is the ``offbeat`` bass family, reggaeton harmony the ``dembow_loop``
  pool); the table and the profile must agree;
* a **behaviour** idiom is a switch the part's generator reads with ``ctx.idiom(part, name)``
  (808 slides, dub echoes, trance gates, string runs, laid-back timing...).

``wants`` marks production the part asks of the later stages (the mixing/automation stage and the
sound palette) without doing it here: an 808 slide needs glide and a mono voice, a techno stab
wants its filter to move, a trance gate pumps with the sidechain. The notes are written so that
those treatments work (overlapping notes for glide, short stabs for echoes).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Idiom:
    part: str  # bass, chords, pads, lead, arp, drums or harmony
    name: str  # a family name of that part or a behaviour its generator implements
    reason: str  # why a producer of the genre expects it
    wants: tuple[str, ...] = ()  # production the part asks of the mixing stage / palette


def _i(part: str, name: str, reason: str, *wants: str) -> Idiom:
    return Idiom(part, name, reason, tuple(wants))


IDIOMS: dict[str, tuple[Idiom, ...]] = {
    "house": (
        _i(
            "bass",
            "offbeat",
            "House bass sits on the off-beat 8ths between the kicks: the bounce, and no masking",
            "sidechain",
        ),
        _i(
            "chords",
            "piano",
            "Short syncopated piano/organ 7th-chord stabs (M1 piano, organ) are classic house",
        ),
        _i("drums", "four_on_floor", "Kick on every beat, clap on 2 and 4, open hat off-beats"),
        _i("harmony", "emotional", "Minor loops pivoting on VI carry vocal and piano house"),
    ),
    "deep-house": (
        _i("chords", "deep", "Soft syncopated minor-7th/9th stabs with long tails, never busy"),
        _i(
            "chords",
            "rootless",
            "Deep house keys drop the root (the bass has it) and voice 3-7-9: the 'deep' colour",
        ),
        _i("harmony", "vamp", "Two-chord vamps (i–iv, IVmaj7–iii7) rather than 4-chord pop loops"),
        _i("bass", "deep", "A warm, syncopated bass with longer notes that breathes between kicks"),
    ),
    "tech-house": (
        _i(
            "bass",
            "tech",
            "The bass is the hook: a syncopated 16th groove with pick-ups rolling between kicks",
            "filter_sweep",
        ),
        _i("chords", "stab", "Sparse, short one-chord stabs: space for the bass and percussion"),
        _i("harmony", "static", "Static minor harmony, one or two chords a phrase"),
        _i("drums", "four_on_floor", "Four-on-the-floor with shuffled hats and busy percussion"),
    ),
    "afro-house": (
        _i("drums", "afro_percussion", "Congas, cowbell and shakers in 3-3-2 polyrhythm"),
        _i("bass", "afro", "Bass on the 3-3-2 (tresillo) grid, locking with the congas"),
        _i("chords", "pluck", "Marimba/kalimba-like short plucked chords in syncopation"),
        _i("lead", "afro", "Short call-and-response vocal-like phrases on the off 16ths"),
    ),
    "progressive-house": (
        _i("bass", "offbeat", "Off-beat rolling bass under long builds", "sidechain"),
        _i(
            "chords", "offbeat", "Plucked off-beat chord stabs that pump with the kick", "sidechain"
        ),
        _i("harmony", "four_chord_loop", "An emotional 4-chord loop, one chord a bar"),
        _i("arp", "sixteenths", "A plucked 16th arpeggio drives the builds", "filter_sweep"),
    ),
    "techno": (
        _i(
            "bass",
            "rumble",
            "Rolling 16th one-note rumble between the kicks, the engine of the track",
            "filter_sweep",
        ),
        _i(
            "chords",
            "dub",
            "A single minor stab echoing in dotted 8ths (dub techno) instead of a progression",
            "delay_send",
            "filter_sweep",
        ),
        _i("harmony", "static", "One or two chords for minutes: harmony stands still, sound moves"),
        _i(
            "lead",
            "stab_motif",
            "A one-bar staccato stab motif looped hypnotically, varied by the filter not the notes",
            "filter_sweep",
        ),
        _i("drums", "four_on_floor", "Relentless kick on every beat, off-beat hats, 16th ride"),
    ),
    "minimal-techno": (
        _i("bass", "blip", "Short, dry one-note bass blips with lots of air"),
        _i("chords", "dub", "A lone stab with dub echoes, reduced to almost nothing", "delay_send"),
        _i("harmony", "static", "A single chord (or two) for the whole track"),
        _i("lead", "stab_motif", "Micro-motifs looped with tiny changes", "filter_sweep"),
    ),
    "trance": (
        _i(
            "chords",
            "gate",
            "Supersaw chords chopped by a 16th trance gate",
            "sidechain",
        ),
        _i("pads", "trance_gate", "Gated pads in the drops, swelling held pads in the breakdown"),
        _i(
            "harmony",
            "four_chord_loop",
            "An epic minor 4-chord loop, one chord a bar (i–VI–III–VII)",
        ),
        _i("arp", "sixteenths", "Supersaw 16th arpeggios over the loop", "filter_sweep"),
        _i("bass", "rolling", "Rolling off-beat 16th bass (the 'gallop') between the kicks"),
        _i("lead", "trance", "An anthem lead in 16ths and 8ths with held phrase ends"),
    ),
    "drum-and-bass": (
        _i("drums", "two_step", "Two-step: kick on 1 and the and-of-3, snare on 2 and 4"),
        _i("drums", "ghost_snares", "Ghost snares between the backbeats keep the break rolling"),
        _i(
            "bass",
            "reese",
            "Long detuned reese notes that slide between roots and re-trigger with the kick",
            "glide",
            "detune",
        ),
        _i("bass", "slides", "The reese glides between notes instead of re-attacking", "glide"),
        _i("chords", "sustain", "Liquid DnB: long, lush 7th/9th chords at half the drums' speed"),
    ),
    "dubstep": (
        _i("drums", "half_time", "Half-time: the snare on beat 3, a sparse kick"),
        _i(
            "bass",
            "wobble",
            "Wobble bass: one note re-articulated at changing LFO rates (8ths, triplets, 16ths)",
            "lfo_filter",
        ),
        _i("lead", "halftime", "Sparse half-time calls that leave room for the bass"),
    ),
    "uk-garage": (
        _i("drums", "two_step", "2-step kick that skips beat 3, heavy 16th shuffle"),
        _i("chords", "garage", "Chopped organ/keys 7th stabs on the skippy off 16ths"),
        _i("bass", "garage", "Sub bass with long syncopated notes and octave drops, swung"),
        _i("lead", "club", "Chopped vocal-like short phrases"),
    ),
    "trap": (
        _i(
            "bass",
            "808",
            "The 808 is a long tuned kick: it follows the kick pattern and holds",
            "mono",
        ),
        _i(
            "bass",
            "slides",
            "808 slides: overlapping notes make a mono 808 with glide bend up or down",
            "glide",
            "mono",
        ),
        _i("drums", "hat_rolls", "Hi-hat rolls in 32nds and 16th triplets"),
        _i("drums", "half_time", "Half-time snare/clap on beat 3"),
        _i(
            "lead",
            "triplets",
            "Bell/pluck melodies with 8th-note triplet figures (the triplet flow)",
        ),
    ),
    "hip-hop": (
        _i("bass", "follow", "Bass doubles the kick pattern on the roots"),
        _i("chords", "keys", "Sample-like keys: a 7th chord struck and left to ring"),
        _i(
            "lead",
            "pentatonic",
            "Soul-sample hooks stay on the minor pentatonic (no 2nd or b6): bluesy, not classical",
        ),
        _i("harmony", "jazzy", "Soul/jazz minor-7th loops"),
    ),
    "boom-bap": (
        _i(
            "drums", "swung_backbeat", "Swung 8th hats, syncopated kick, hard late snare on 2 and 4"
        ),
        _i("chords", "rootless", "Jazz-sample chords voiced 3-7-9 like a chopped record"),
        _i("lead", "pentatonic", "Jazz/soul sample melodies on the pentatonic, the bluesy colour"),
        _i("bass", "follow", "Bass follows the kick"),
    ),
    "lo-fi": (
        _i(
            "chords",
            "rootless",
            "Jazz voicings: rootless 7ths and 9ths, rolled like a tired pianist",
        ),
        _i("chords", "laid_back", "Keys struck behind the beat"),
        _i("bass", "laid_back", "Bass played lazily behind the beat"),
        _i("lead", "laid_back", "The melody drags behind the beat"),
        _i("harmony", "jazzy", "ii–V and descending minor-7th chains"),
        _i("drums", "swung_backbeat", "Heavy swing and a late snare"),
    ),
    "reggaeton": (
        _i(
            "drums", "dembow", "Dembow: kick on every beat, snare on the 3-3-2 (steps 4, 7, 12, 15)"
        ),
        _i("harmony", "dembow_loop", "The i–VI–III–VII loop family (Am–F–C–G) under most hits"),
        _i("bass", "tresillo", "Bass on the tresillo 3+3+2, locked to the dembow"),
        _i("chords", "dembow", "Chords struck in the dembow rhythm"),
        _i("lead", "reggaeton", "Vocal-like hooks on the 3-3-2"),
    ),
    "pop": (
        _i("harmony", "happy", "The axis progressions: I–V–vi–IV, vi–IV–I–V, I–vi–IV–V"),
        _i("bass", "root8", "Root 8ths that pump the chorus"),
        _i("chords", "pop", "Pumping piano/guitar 8ths and held chords"),
        _i("lead", "pop", "A singable hook in the vocal range, repeated and answered"),
    ),
    "disco": (
        _i("bass", "octave", "The octave-jumping disco bass on 8ths"),
        _i("chords", "string_runs", "String-section runs sweeping up into the next bar"),
        _i("chords", "disco", "Off-beat rhythm-guitar/strings stabs"),
        _i("drums", "four_on_floor", "Four-on-the-floor with open hats on every off-beat"),
    ),
    "funk": (
        _i("bass", "funk", "Syncopated 16th bass with octave pops"),
        _i("bass", "ghost_notes", "Dead/ghost notes between the accents make the bass talk"),
        _i("chords", "clav", "Clavinet-like short 16th stabs with muted chucks"),
        _i("lead", "horn_stabs", "Staccato horn-section stabs, syncopated"),
        _i("drums", "ghost_snares", "Ghost-note snare work around a tight backbeat"),
    ),
    "synthwave": (
        _i("arp", "sixteenths", "16th synth arpeggios over the chords", "filter_sweep"),
        _i(
            "drums",
            "gated_snare",
            "The big 80s snare on 2 and 4 (snare and clap together), gated reverb",
            "gated_reverb",
        ),
        _i("bass", "drive", "Driving, pulsing 8th bass on the root"),
        _i("lead", "legato", "Long legato lead lines over the chords", "glide"),
    ),
    "ambient": (
        _i("drums", "no_beat", "No beat unless asked: time is carried by the textures"),
        _i(
            "chords", "evolving", "Chords whose voices enter one by one and drift: evolving texture"
        ),
        _i("bass", "drone", "A held drone/pedal on the root"),
        _i("lead", "ambient", "Sparse, very long notes"),
    ),
    "edm": (
        _i("bass", "offbeat", "Off-beat bass that pumps with the kick", "sidechain"),
        _i("chords", "offbeat", "Off-beat supersaw chord stabs", "sidechain"),
        _i("harmony", "four_chord_loop", "An epic 4-chord loop, one chord a bar"),
        _i("drums", "four_on_floor", "Four-on-the-floor with claps on 2 and 4"),
    ),
}


# Behaviour idioms each generator switches on by name (family idioms are the profile's families).
BEHAVIOURS: dict[str, frozenset[str]] = {
    "bass": frozenset({"slides", "ghost_notes", "laid_back"}),
    "chords": frozenset({"rootless", "string_runs", "evolving", "laid_back"}),
    "pads": frozenset({"trance_gate"}),
    "lead": frozenset(
        {"stab_motif", "pentatonic", "triplets", "horn_stabs", "legato", "laid_back"}
    ),
    "harmony": frozenset({"four_chord_loop"}),
    "arp": frozenset({"arp"}),
}


def style_idioms(style: str) -> tuple[Idiom, ...]:
    return IDIOMS.get(style, ())


def idiom_names(style: str) -> frozenset[tuple[str, str]]:
    """(part, name) pairs of a style, the set ``Context.idiom`` looks things up in."""
    return frozenset((idiom.part, idiom.name) for idiom in style_idioms(style))


def part_wants(style: str) -> dict[str, tuple[str, ...]]:
    """Production each part of a style asks for (glide, sidechain, filter_sweep...), in order."""
    wants: dict[str, list[str]] = {}
    for idiom in style_idioms(style):
        for want in idiom.wants:
            listed = wants.setdefault(idiom.part, [])
            if want not in listed:
                listed.append(want)
    return {part: tuple(items) for part, items in wants.items()}
