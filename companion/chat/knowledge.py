"""What MusiaIA knows about producing music, as data: the offline answer engine's library.

Each :class:`Topic` carries its own matching vocabulary (Spanish and English together, because
Spanish-speaking producers say "sidechain" and "drop" too) and its answer in both languages. The
router in :mod:`companion.chat.answers` scores topics against a message; nothing here is logic.

Vocabulary syntax (see :func:`terms`): alternatives separated by ``|``; words are matched after
lowercasing and stripping accents; a trailing ``*`` matches any word starting with that prefix
("ecualiz*" matches "ecualizo", "ecualizar", "ecualización").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

TopicKind = Literal["production", "concept", "help"]


@dataclass(frozen=True, slots=True)
class Topic:
    """One answerable subject. A message matches when every group in ``need`` has a hit; extra
    ``hint`` words only break ties, so a generic EQ question does not land on "EQ of vocals"."""

    slug: str
    kind: TopicKind
    need: tuple[str, ...]
    hint: str
    es: str
    en: str


def _p(slug: str, need: tuple[str, ...], hint: str, es: str, en: str) -> Topic:
    return Topic(slug, "production", need, hint, es, en)


def _c(slug: str, need: tuple[str, ...], hint: str, es: str, en: str) -> Topic:
    return Topic(slug, "concept", need, hint, es, en)


def _h(slug: str, need: tuple[str, ...], hint: str, es: str, en: str) -> Topic:
    return Topic(slug, "help", need, hint, es, en)


_EQ = "eq|eqs|ecualiz*|equaliz*|equalis*|eq eight|eq8|filtro paso alto|high pass|low cut"
_KICK = "kick|kicks|bombo|bombos"
_BASS = "bass|bajo|bajos|bassline|sub|sub bass|subgrave*|808|808s"
_VOCAL = "vocal|vocals|voz|voces|vox|cantante|singer|acapella|acapela"

# fmt: off

PRODUCTION_TOPICS: tuple[Topic, ...] = (
    _p("sidechain", ("sidechain|side chain|ducking|bombeo|pumping|pump|duck",),
       "kick|bombo|bass|bajo|compres*|pad|pads",
       "El sidechain hace que el bajo (o los pads) baje de volumen cada vez que suena el bombo: "
       "el bombo se queda con los graves y el groove «bombea». En Ableton pon un compresor "
       "(Compressor) en la pista del bajo, despliega su sección Sidechain, actívala y en "
       "«Audio From» elige la pista del bombo. Punto de partida: ratio 4:1 o más, attack 0–1 ms, "
       "release 80–150 ms (que el bajo vuelva antes del siguiente golpe) y baja el threshold "
       "hasta ver 3–6 dB de reducción. Truco: usa como fuente un bombo «fantasma» silenciado que "
       "suene en cada tiempo, así el bombeo no desaparece cuando quitas el bombo real. Para más "
       "precisión, automatiza el volumen con un LFO o Shaper (Max for Live) sobre un Utility.",
       "Sidechain makes the bass (or pads) duck every time the kick hits, so the kick owns the "
       "low end and the groove pumps. In Ableton, put a Compressor on the bass track, open its "
       "Sidechain section, switch it on and choose the kick track in 'Audio From'. Starting "
       "point: ratio 4:1 or higher, attack 0–1 ms, release 80–150 ms (the bass should be back "
       "before the next hit), and lower the threshold until you see 3–6 dB of gain reduction. "
       "Trick: key it from a muted 'ghost' kick that plays every beat, so the pump survives "
       "when the real kick drops out. For surgical control, shape the volume with an LFO or "
       "Shaper (Max for Live) mapped to a Utility's gain instead of a compressor."),
    _p("eq-kick", (_EQ, _KICK), "sub|click|punch|pegada|golpe|graves|low end|boxy|carton",
       "EQ del bombo, de abajo arriba: un paso alto suave por debajo de 30–40 Hz quita rumble "
       "que no se oye pero come headroom; el cuerpo/sub vive en 50–100 Hz (refuerza un poco "
       "donde esté su fundamental); recorta 2–4 dB en 200–400 Hz si suena a cartón; y el click "
       "o ataque está en 2–5 kHz, súbelo con cuidado si se pierde en la mezcla. Decide quién "
       "manda en los graves: si el bombo ocupa 50–60 Hz, deja al bajo por encima (o al revés) y "
       "recorta ese hueco en el otro. Ecualiza siempre escuchando con toda la mezcla, no en solo.",
       "Kick EQ, bottom to top: a gentle high-pass below 30–40 Hz removes rumble you can't hear "
       "but that eats headroom; the body/sub lives at 50–100 Hz (nudge up around its "
       "fundamental); cut 2–4 dB at 200–400 Hz if it sounds boxy; the click/beater is at "
       "2–5 kHz — lift it carefully if the kick disappears in the mix. Decide who owns the "
       "lows: if the kick sits at 50–60 Hz, keep the bass above it (or vice versa) and carve "
       "that spot out of the other one. Always EQ in the context of the full mix, not soloed."),
    _p("eq-bass", (_EQ, _BASS), "kick|bombo|mud|barro|graves|low end",
       "EQ del bajo: corta por debajo de ~30 Hz, busca su fundamental (40–100 Hz) y deja un "
       "hueco donde pega el bombo (o usa sidechain). El «barro» suele estar en 200–300 Hz: "
       "recorta ahí si la mezcla se emborrona. Para que el bajo se oiga en altavoces pequeños, "
       "dale armónicos en 700 Hz–2 kHz (un poco de saturación funciona mejor que un boost). "
       "Mantén el sub en mono (el interruptor Bass Mono de Utility, o un EQ en modo M/S) y "
       "compara siempre con un tema de referencia.",
       "Bass EQ: cut below ~30 Hz, find its fundamental (40–100 Hz) and leave room where the "
       "kick hits (or use sidechain). Mud usually sits at 200–300 Hz — cut there if the mix "
       "gets cloudy. To hear the bass on small speakers, give it harmonics around 700 Hz–2 kHz "
       "(a little saturation beats a big boost). Keep the sub mono (Utility's Bass Mono switch, "
       "or an EQ in M/S mode) and check against a reference track."),
    _p("eq-vocals", (_EQ, _VOCAL), "sibil*|ese|esses|de esser|deesser|nasal|presencia|presence",
       "EQ de voz: paso alto entre 80 y 120 Hz (más alto en voces femeninas o si la voz va sobre "
       "un bajo denso); recorta 200–400 Hz si suena apagada o con «caja»; 800 Hz–1 kHz si suena "
       "nasal; un realce suave en 3–5 kHz da presencia e inteligibilidad, y un shelf en 10–12 kHz "
       "añade aire. Controla las eses con un de-esser (5–8 kHz) después del brillo. Usa cortes "
       "estrechos y realces anchos, y haz sitio a la voz bajando 2–3 kHz en pads y guitarras.",
       "Vocal EQ: high-pass at 80–120 Hz (higher for bright voices or over a dense bass); cut "
       "200–400 Hz if it sounds muddy or boxy and around 800 Hz–1 kHz if nasal; a gentle lift "
       "at 3–5 kHz adds presence and intelligibility, and a shelf at 10–12 kHz adds air. Tame "
       "sibilance with a de-esser (5–8 kHz) after any brightening. Cut narrow, boost wide, and "
       "make space for the voice by dipping 2–3 kHz on pads and guitars."),
    _p("eq-general", (_EQ,), "cut|cortar|recort*|boost|realce|masking|enmascar*|frecuenc*|hz",
       "Reglas de EQ que funcionan: primero recorta, luego realza (y poco); pon paso alto en "
       "todo lo que no necesite graves (pads, hats, voces, FX) para limpiar el subgrave; busca "
       "frecuencias molestas con una campana estrecha y recórtalas; y cuando dos sonidos "
       "chocan (enmascaramiento) dale a cada uno su zona y recorta esa zona en el otro. "
       "Referencia rápida: sub 20–60 Hz, graves 60–250 Hz, medios-graves 250–500 Hz, medios "
       "500 Hz–2 kHz, presencia 2–5 kHz, aire 8–16 kHz. En Live, EQ Eight tiene un modo de "
       "escucha (el auricular) para aislar la banda que estás moviendo.",
       "EQ rules that work: cut first, boost second (and gently); high-pass everything that "
       "doesn't need lows (pads, hats, vocals, FX) to clean up the sub; sweep a narrow boost to "
       "find harsh frequencies, then cut them; when two sounds mask each other, give each its "
       "own zone and cut that zone in the other. Quick map: sub 20–60 Hz, bass 60–250 Hz, "
       "low-mids 250–500 Hz, mids 500 Hz–2 kHz, presence 2–5 kHz, air 8–16 kHz. In Live, EQ "
       "Eight's audition mode (the headphones icon) solos the band you are moving."),
    _p("compression", ("compres*|compressor|compresor|glue",),
       "ratio|attack|ataque|release|threshold|umbral|knee|rodilla|bus|dinamica*|dynamics",
       "Compresión en pocas palabras: el threshold decide a partir de qué nivel actúa, el ratio "
       "cuánto reduce, el attack cuánto deja pasar del transitorio y el release cuánto tarda en "
       "soltar. Attack lento (10–30 ms) conserva la pegada del bombo o la caja; attack rápido "
       "la aplana. Ajusta el release al tempo para que «respire» con el groove. En buses, 1–3 dB "
       "de reducción con ratio 2:1 (Glue Compressor) «pegan» la mezcla. Compensa el volumen "
       "(makeup) y compara con el bypass al mismo nivel: más fuerte no es mejor.",
       "Compression in a nutshell: threshold sets where it starts working, ratio how hard it "
       "pushes, attack how much of the transient gets through, and release how fast it lets "
       "go. A slow attack (10–30 ms) keeps the punch of a kick or snare; a fast one flattens it. "
       "Time the release to the tempo so it breathes with the groove. On buses, 1–3 dB of gain "
       "reduction at 2:1 (Glue Compressor) glues the mix. Match the output level and compare "
       "against bypass at equal loudness — louder is not better."),
    _p("parallel-compression", ("paralel*|parallel|new york|nueva york",), "compres*|drums|bateria",
       "Compresión en paralelo (New York): duplica la señal, comprímela muy fuerte (ratio 8:1 o "
       "más, attack rápido, 10–20 dB de reducción) y mézclala por debajo de la original. "
       "Conservas los transitorios y ganas cuerpo y energía. En Ableton, usa una pista de "
       "retorno con un Compressor o Glue, o simplemente el control Dry/Wet del propio "
       "compresor. Funciona de maravilla en baterías y en voces.",
       "Parallel (New York) compression: duplicate the signal, squash the copy hard (ratio 8:1 "
       "or more, fast attack, 10–20 dB of reduction) and blend it in under the original. You "
       "keep the transients and gain body and energy. In Ableton, use a return track with "
       "Compressor or Glue Compressor, or simply the compressor's own Dry/Wet knob. It works "
       "wonders on drum buses and vocals."),
    _p("reverb-delay", ("reverb*|reverberacion|delay*|eco|ecos|echo|echoes",),
       "send*|envio*|return*|retorno*|espacio|space|predelay|pre delay|decay|ambiente",
       "Reverb y delay, mejor en envíos (pistas de retorno) que como insert: con dos o tres "
       "retornos compartidos (una room corta, un hall largo, un delay a 1/8 con puntillo) la "
       "mezcla suena a un mismo espacio y ahorras CPU. En el retorno pon el efecto al 100 % wet "
       "y un EQ para cortar graves (por debajo de 200–300 Hz) y algo de agudos. El pre-delay "
       "(20–60 ms) separa la fuente de su cola y mantiene la claridad. Sincroniza los delays al "
       "tempo y haz sidechain de la reverb a la voz o al bombo para que no ensucie.",
       "Put reverb and delay on sends (return tracks) rather than inserts: two or three shared "
       "returns (a short room, a long hall, a dotted-1/8 delay) make the mix sound like one "
       "space and save CPU. On each return, run the effect 100% wet and EQ out the lows (below "
       "200–300 Hz) and some highs. Pre-delay (20–60 ms) separates the dry sound from its tail "
       "and keeps things clear. Sync delays to the tempo, and sidechain the reverb to the vocal "
       "or kick so the tails don't cloud the groove."),
    _p("gain-staging", ("gain staging|ganancia*|gain|headroom|clipping|clipea*|clippea*|"
                        "en rojo|in the red|niveles|levels|dbfs|saturando el master",),
       "master|volumen|volume|fader*|peak*|pico*",
       "Gain staging: deja margen en cada paso. Graba e instrumenta con picos alrededor de "
       "−12 a −6 dBFS, mezcla con el bombo en −10/−6 dB en el master y deja el bus master con "
       "picos de −6 a −3 dBFS antes de masterizar. Si todo está en rojo, baja los faders de las "
       "pistas (o usa un Utility al principio de la cadena), no el master. En Live el motor de "
       "mezcla es de 32/64 bits en coma flotante, así que las pistas no distorsionan por dentro, "
       "pero los plugins que emulan hardware sí cambian de carácter según el nivel que les llega.",
       "Gain staging means leaving headroom at every step. Record and program instruments "
       "peaking around −12 to −6 dBFS, set the kick around −10/−6 dB on the master, and leave the "
       "master bus peaking at −6 to −3 dBFS before mastering. If everything is in the red, pull "
       "down the track faders (or add a Utility at the start of the chain), not the master. "
       "Live's mixer is 32/64-bit floating point so tracks don't clip internally, but "
       "analog-modelled plugins do change character with the level you feed them."),
    _p("low-end", ("low end|graves|frecuencias bajas|low frequenc*|sub|subgrave*|barro|mud|muddy|"
                   "bass|bajo",),
       "kick|bombo|mono|choc*|clash*|808",
       "Graves limpios: solo una cosa manda en cada momento del subgrave. Elige si el bombo o el "
       "bajo lleva el sub, afina el bombo a la tonalidad y deja que el bajo toque entre bombos "
       "(contratiempo) o usa sidechain. Corta graves de todo lo demás, mantén por debajo de "
       "100–150 Hz en mono y comprueba la mezcla con un analizador (Spectrum) y en auriculares, "
       "porque muchas salas mienten en los graves. Si el bajo no se oye en el móvil, añade "
       "armónicos con saturación en lugar de subir el sub.",
       "A clean low end means only one thing owns the sub at any moment. Decide whether the "
       "kick or the bass carries the sub, tune the kick to the key, and let the bass play "
       "between kicks (offbeat) or use sidechain. High-pass everything else, keep below "
       "100–150 Hz mono, and check with an analyzer (Live's Spectrum) and on headphones, since "
       "most rooms lie about bass. If the bass vanishes on a phone, add harmonics with "
       "saturation instead of boosting the sub."),
    _p("mastering", ("master*|masteriz*|lufs|loudness|limiter|limitador|true peak|sonoridad",),
       "spotify|streaming|volumen final|loud|alto|fuerte|club",
       "Mastering básico: trabaja sobre una mezcla con picos de −6 a −3 dBFS. Cadena típica: EQ "
       "suave (correcciones de ±1–2 dB), compresión de bus ligera (1–2 dB), y un limitador con "
       "techo de −1 dBTP (true peak) para evitar distorsión al convertir a MP3/AAC. Objetivos "
       "orientativos: las plataformas de streaming normalizan alrededor de −14 LUFS integrados; "
       "la música de club suele masterizarse más fuerte (−9 a −6 LUFS). Si el limitador reduce "
       "más de 3–4 dB, corrige la mezcla antes. Compara siempre con referencias al mismo volumen.",
       "Mastering basics: start from a mix peaking at −6 to −3 dBFS. Typical chain: gentle EQ "
       "(±1–2 dB moves), light bus compression (1–2 dB), then a limiter with a −1 dBTP (true "
       "peak) ceiling so the file doesn't distort when converted to MP3/AAC. Rough targets: "
       "streaming platforms normalise around −14 LUFS integrated; club music is usually "
       "mastered louder (−9 to −6 LUFS). If the limiter is doing more than 3–4 dB of reduction, "
       "fix the mix first. Always compare with references at matched loudness."),
    _p("layering-drums", ("layer*|capa|capas|superpon*|apilar|stack*|layering",),
       "drum*|bateria|bombo|bombos|kick|kicks|snare|caja|clap|palmas",
       "Capas de batería: cada capa debe aportar algo distinto. Para un bombo, combina un sub o "
       "cuerpo (50–100 Hz) con un click o transitorio (2–5 kHz) y corta en cada capa lo que "
       "aporta la otra. Alinea los transitorios (arrastra la muestra o usa Sample Start en "
       "Simpler) y revisa la fase: si al sumar pierde graves, invierte la fase de una capa "
       "(Utility) o muévela unos milisegundos. En un Drum Rack, agrupa las capas en el mismo "
       "pad con un Instrument Rack para tocarlas y procesarlas juntas.",
       "Drum layering: every layer must add something different. For a kick, pair a sub/body "
       "layer (50–100 Hz) with a click/transient layer (2–5 kHz) and filter out of each what "
       "the other provides. Line up the transients (nudge the sample or use Sample Start in "
       "Simpler) and check phase: if the lows shrink when combined, flip one layer's phase "
       "(Utility) or shift it a few milliseconds. In a Drum Rack, put the layers in an "
       "Instrument Rack on one pad so you play and process them as one."),
    _p("drop-impact", ("drop|drops|caida|subidon",),
       "harder|hit|pegue|pegar|golpe|impact*|potente|potencia|energia|energy|fuerte|punch|"
       "pegada|mejor|better|grande|bigger|mas|more",
       "Para que un drop pegue más, el truco es el contraste: quita graves y bombo en el último "
       "compás del build (o medio compás de silencio total), filtra el breakdown con un paso "
       "alto que se abre, y que en el drop entren a la vez bombo, bajo y el sonido principal. "
       "Deja la mezcla del drop despejada (menos capas, pero más fuertes), usa un impacto o "
       "crash en el primer tiempo y cambia algo respecto al breakdown (octava más baja, otro "
       "ritmo de bajo, acordes más cortos). Y compara el volumen percibido: el breakdown un "
       "poco más bajo hace que el drop parezca más grande.",
       "To make a drop hit harder, use contrast: take the kick and lows out for the last bar of "
       "the build (or leave half a bar of total silence), high-pass the breakdown with a filter "
       "that opens, and bring kick, bass and the main hook in together on the one. Keep the "
       "drop mix uncluttered (fewer, stronger layers), mark the downbeat with an impact or "
       "crash, and change something from the breakdown (lower octave, new bass rhythm, shorter "
       "chords). Perceived loudness matters too: a slightly quieter breakdown makes the drop "
       "feel bigger."),
    _p("build-tension", ("build up|buildup|build|builds|subida|subidas|tension|riser*|"
                         "redoble*|snare roll*|roll|rolls",),
       "drop|filtro|filter|ruido blanco|white noise|crear|make|hacer|como",
       "Un build de 8 o 16 compases crea tensión con varias cosas a la vez: un redoble que "
       "acelera (negras → corcheas → semicorcheas → fusas), un riser o ruido blanco que sube, un "
       "filtro paso alto que se abre poco a poco sobre los pads o el bajo, la reverb cada vez "
       "más húmeda y, si quieres, el tono del redoble subiendo. Quita el bombo o los graves al "
       "final para que el drop llegue con fuerza. Automatiza por grupos (o con un Macro) para "
       "mover todo con un solo control.",
       "An 8- or 16-bar build creates tension with several moves at once: a snare roll that "
       "speeds up (quarters → 8ths → 16ths → 32nds), a rising riser or white noise sweep, a "
       "high-pass filter slowly opening on pads or bass, reverb getting wetter, and optionally "
       "the roll's pitch rising. Pull out the kick or the lows at the very end so the drop "
       "lands hard. Automate on groups (or one Macro) to move everything with a single control."),
    _p("arrangement-dj", ("dj|djs|intro|intros|outro|outros|phrasing|fraseo|frases|phrase*",),
       "mezcl*|mix*|compases|bars|16|32|8|club|pinchar",
       "Arreglo para DJs: trabaja en frases de 8, 16 y 32 compases, que es como cuentan los DJs "
       "al mezclar. Empieza con 16–32 compases de intro solo con bombo y percusión (sin bajo ni "
       "melodía, para poder mezclar sin choques de tonalidad) y termina con un outro similar. "
       "Marca cada cambio de 16 compases con algo audible (entra un hat, un crash, un filtro). "
       "Un esquema típico: intro 16 · build 8 · drop 16 · breakdown 16 · build 8 · drop 16 · "
       "outro 16, que es el que usa MusiaIA para los estilos de club.",
       "Arranging for DJs: think in 8-, 16- and 32-bar phrases, because that's how DJs count "
       "while mixing. Start with 16–32 bars of intro with just kick and percussion (no bass or "
       "melody, so it can be mixed without key clashes) and end with a similar outro. Mark each "
       "16-bar change with something audible (a new hat, a crash, a filter move). A typical "
       "layout: intro 16 · build 8 · drop 16 · breakdown 16 · build 8 · drop 16 · outro 16 — the "
       "form MusiaIA uses for club styles."),
    _p("arrangement-general", ("arrang*|arreglo|arreglos|estructura|structure|loop|loops|bucle*",),
       "atascad*|stuck|terminar|finish|cancion|song|8 compases|8 bars|aburrid*|boring",
       "Para salir del bucle de 8 compases: construye primero la parte más llena (el drop o "
       "estribillo), cópiala a lo largo de 3–4 minutos en la vista Arrangement y luego «resta»: "
       "quita elementos para crear intro, estrofas y breakdown. Cambia algo cada 8 compases "
       "(un elemento que entra o sale, un fill, una variación de melodía) y usa transiciones "
       "(risers, crashes, silencios) entre secciones. Otra técnica: arrastra la estructura de "
       "un tema de referencia a tu sesión y marca sus secciones con locators.",
       "To escape the 8-bar loop: build the fullest part first (the drop or chorus), copy it "
       "across 3–4 minutes in Arrangement View, then subtract: remove elements to create the "
       "intro, verses and breakdown. Change something every 8 bars (an element in or out, a "
       "fill, a melody variation) and use transitions (risers, crashes, silences) between "
       "sections. Another trick: drop a reference track into your set and mark its sections "
       "with locators."),
    _p("humanize", ("humaniz*|humanis*|human|humano|humana|robotic*|robotico*|mecanic*|"
                    "mechanical|stiff|rigid*|natural|cuadriculad*",),
       "midi|velocity|velocidad|timing|swing|groove|bateria|drums",
       "Para humanizar MIDI: varía la velocity (acentos en los tiempos fuertes, notas fantasma "
       "suaves de 25–45 en la caja, hats alternando fuerte-débil), mueve algunas notas unos "
       "milisegundos fuera de la rejilla (caja un poco tarde = más relajado) y aplica swing o un "
       "groove del Groove Pool en lugar de cuantizar al 100 %. Desde Live 11 el "
       "editor MIDI tiene probabilidad (Chance) y rango de velocity por nota, y el efecto MIDI "
       "Velocity tiene un control Random. No exageres: cambios pequeños y coherentes suenan "
       "a músico; cambios aleatorios grandes suenan a error.",
       "To humanize MIDI: vary velocity (accents on strong beats, soft ghost snares around "
       "25–45, hats alternating strong/weak), shift some notes a few milliseconds off the grid "
       "(a slightly late snare feels laid back) and apply swing or a Groove Pool groove "
       "instead of quantizing 100%. Since Live 11 the MIDI editor has per-note "
       "chance and velocity ranges, and the Velocity MIDI effect has a Random control. Keep it "
       "subtle: small consistent deviations sound like a player; big random ones sound like "
       "mistakes."),
    _p("warping", ("warp*|warpe*|time stretch*|estirar|estira*|complex pro|beats mode|"
                   "modo beats",),
       "audio|sample|muestra|tempo|marcador*|marker*|loop|acapella|acapela",
       "Warping en Ableton: activa Warp en el clip de audio (vista Clip) y Live lo ajusta al "
       "tempo del set. Comprueba que el primer marcador esté en el primer golpe y, si el tempo "
       "detectado es incorrecto, haz clic derecho → «Warp From Here» o fija marcadores en los "
       "tiempos fuertes (doble clic en la regla). Modos: Beats para baterías y loops "
       "percusivos, Tones para voces y líneas monofónicas, Texture para pads y ambientes, "
       "Re-Pitch para cambiar tempo y tono a la vez (estilo vinilo) y Complex/Complex Pro para "
       "mezclas completas.",
       "Warping in Ableton: turn on Warp in the audio clip (Clip View) and Live follows the "
       "set's tempo. Make sure the first warp marker sits on the first hit; if the detected "
       "tempo is wrong, right-click → 'Warp From Here' or set markers on strong beats "
       "(double-click the ruler). Modes: Beats for drums and percussive loops, Tones for vocals "
       "and monophonic lines, Texture for pads and ambience, Re-Pitch to change tempo and pitch "
       "together (like vinyl), and Complex/Complex Pro for full mixes."),
    _p("simpler-sampler", ("simpler|sampler",), "sample*|muestra*|multisample*|zona*|zone*",
       "Simpler frente a Sampler: Simpler toca una sola muestra y tiene tres modos — Classic "
       "(instrumento tocable, con envolventes y filtro), One-Shot (golpes de batería) y Slice "
       "(trocea un loop en pads para reordenarlo). Sampler es el instrumento completo: "
       "multisamples por zonas de tecla y velocity, más moduladores, LFO y enrutado. Regla "
       "práctica: Simpler para golpes, chops y loops; Sampler para instrumentos realistas con "
       "muchas muestras. Clic derecho en Simpler → «Simpler → Sampler» convierte sin perder "
       "ajustes.",
       "Simpler vs Sampler: Simpler plays a single sample and has three modes — Classic (a "
       "playable instrument with envelopes and filter), One-Shot (drum hits) and Slice (chops a "
       "loop across pads so you can rearrange it). Sampler is the full instrument: multisamples "
       "across key and velocity zones, plus more modulators, LFOs and routing. Rule of thumb: "
       "Simpler for hits, chops and loops; Sampler for realistic multi-sample instruments. "
       "Right-click Simpler → 'Simpler → Sampler' converts it without losing settings."),
    _p("drum-rack", ("drum rack|drumrack|drum racks|rack de bateria|rack",),
       "pad|pads|choke|chain*|cadena*|kit|mapa|map|midi",
       "Drum Rack: cada pad es una cadena con su propio instrumento (normalmente un Simpler) y "
       "efectos; arrastra muestras a los pads para montar un kit. Notas estándar: C1 (36) bombo, "
       "D1 (38) caja, D#1 (39) palmas, F#1 (42) hat cerrado, A#1 (46) hat abierto — las mismas "
       "que usa MusiaIA. En la vista de cadenas puedes usar Choke para que el hat cerrado corte "
       "al abierto, enviar a retornos internos del rack y mapear Macros. Para procesar un solo "
       "sonido, despliega el rack y pon el efecto en su cadena.",
       "Drum Rack: each pad is a chain with its own instrument (usually a Simpler) and effects; "
       "drag samples onto pads to build a kit. Standard notes: C1 (36) kick, D1 (38) snare, "
       "D#1 (39) clap, F#1 (42) closed hat, A#1 (46) open hat — the map MusiaIA writes. In the "
       "chain list you can set Choke groups so the closed hat cuts the open one, use the rack's "
       "internal return chains and map Macros. To process one sound, expand the rack and put "
       "the effect on its chain."),
    _p("groove-pool", ("groove pool|groove|grooves|mpc",),
       "swing|cuantiz*|quantiz*|extract*|extraer|timing|shuffle",
       "Groove Pool: arrastra un groove (por ejemplo «MPC 16 Swing-58» de la librería Grooves) a "
       "un clip o elígelo en el selector Groove del clip. En el Groove Pool (icono de ondas "
       "abajo a la izquierda) ajusta Base, Quantize, Timing, Random y Velocity; el control "
       "Global Amount lo escala para todo el set. Aplica el mismo groove a hats y percusión para "
       "que empujen juntos. Puedes extraer el groove de cualquier clip de audio o MIDI (clic "
       "derecho → Extract Groove) y aplicarlo a tus baterías; «Commit» lo fija en las notas.",
       "Groove Pool: drag a groove (say 'MPC 16 Swing-58' from the Grooves library) onto a clip "
       "or pick it in the clip's Groove chooser. In the Groove Pool (the wave icon at the bottom "
       "left) adjust Base, Quantize, Timing, Random and Velocity; Global Amount scales it for "
       "the whole set. Use the same groove on hats and percussion so they push together. You "
       "can extract the groove of any audio or MIDI clip (right-click → Extract Groove) and "
       "apply it to your drums; 'Commit' writes it into the notes."),
    _p("session-arrangement", ("session view|vista de sesion|vista sesion|session|sesion|"
                               "arrangement view|vista de arreglo|vista arrangement|"
                               "escena*|scene*",),
       "clip|clips|grabar|record|tab|diferencia|difference|arrangement",
       "Vista Session frente a Arrangement (tecla Tab para alternar): Session es una parrilla de "
       "clips que lanzas libremente — ideal para improvisar, probar combinaciones y tocar en "
       "directo; las filas son escenas. Arrangement es la línea de tiempo donde queda la "
       "canción final. Flujo habitual: crea ideas en Session, lanza escenas mientras grabas "
       "con Arrangement Record activado y luego edita en Arrangement. Si una pista deja de "
       "sonar en Arrangement, pulsa «Back to Arrangement». Los sets de MusiaIA traen ambas: "
       "clips en Arrangement y una escena por sección en Session.",
       "Session vs Arrangement View (Tab toggles them): Session is a grid of clips you launch "
       "freely — great for jamming, trying combinations and playing live; rows are scenes. "
       "Arrangement is the timeline where the finished song lives. Common workflow: sketch in "
       "Session, launch scenes while recording with Arrangement Record on, then edit in "
       "Arrangement. If a track stops playing in Arrangement, press 'Back to Arrangement'. "
       "MusiaIA's sets include both: clips in Arrangement and one scene per section in Session."),
    _p("consolidate", ("consolid*|ctrl j|cmd j",), "clip*|audio|midi|unir|join|merge",
       "Consolidar (Ctrl/Cmd+J) une en un solo clip todo lo que selecciones en una pista de "
       "Arrangement. En MIDI junta las notas en un clip; en audio crea un archivo nuevo con las "
       "ediciones, fades y warping «horneados». Úsalo para limpiar una pista llena de trocitos, "
       "crear un loop que puedas arrastrar a Session o preparar un sample para Simpler. Para "
       "audio con efectos incluidos usa «Bounce to New Track» o Freeze + Flatten.",
       "Consolidate (Ctrl/Cmd+J) merges everything selected on one Arrangement track into a "
       "single clip. For MIDI it joins the notes into one clip; for audio it renders a new file "
       "with edits, fades and warping baked in. Use it to tidy a track full of fragments, make "
       "a loop you can drag into Session, or prepare a sample for Simpler. To print audio with "
       "its effects, use 'Bounce to New Track' or Freeze + Flatten."),
    _p("freeze", ("freez*|congel*|flatten|aplanar|aplana*",), "cpu|pista*|track*|efectos",
       "Freeze (clic derecho en la pista → Freeze Track) renderiza la pista con sus "
       "instrumentos y efectos a audio temporal para liberar CPU; puedes seguir cambiando "
       "volumen, panorama y envíos, y descongelar cuando quieras editar. Flatten convierte esa "
       "pista congelada en audio definitivo (ya no podrás editar el MIDI ni los plugins). "
       "Úsalo con sintes pesados o cuando compartas el proyecto con alguien que no tiene tus "
       "plugins.",
       "Freeze (right-click the track → Freeze Track) renders the track with its instruments "
       "and effects to temporary audio to free CPU; you can still change volume, pan and sends, "
       "and unfreeze whenever you need to edit. Flatten turns the frozen track into permanent "
       "audio (no more MIDI or plugin edits). Use it on heavy synths, or before sharing a set "
       "with someone who doesn't own your plugins."),
    _p("cpu-latency", ("cpu|latenc*|buffer*|crackl*|chasquid*|crujid*|dropout*|glitch*|"
                       "se corta|cortes de audio",),
       "audio|tarjeta|interface|interfaz|sample rate|ordenador|computer|lento|slow",
       "Si el audio cruje o la CPU se dispara: sube el buffer (Preferencias → Audio → Buffer "
       "Size) a 256–512 muestras mientras mezclas y bájalo a 64–128 solo para grabar; congela "
       "(Freeze) las pistas pesadas; usa envíos en vez de una reverb por pista; desactiva "
       "dispositivos que no uses y revisa el medidor de CPU arriba a la derecha. En Windows "
       "usa un driver ASIO. Trabajar a 44.1/48 kHz es suficiente para casi todo.",
       "If audio crackles or CPU spikes: raise the buffer (Preferences → Audio → Buffer Size) "
       "to 256–512 samples while mixing and drop it to 64–128 only to record; freeze heavy "
       "tracks; use sends instead of a reverb per track; switch off unused devices and keep an "
       "eye on the CPU meter at the top right. On Windows use an ASIO driver. Working at "
       "44.1/48 kHz is enough for almost everything."),
    _p("stereo-width", ("stereo|estereo|width|anchura|ancho|amplitud|mid side|m s|panorami*|"
                        "paneo|panning|pan|mono|wide|wider|widen|ensanch*|amplio|amplia",),
       "wide|abierto|imagen|image|haas|chorus",
       "Imagen estéreo: el bombo, el bajo, la caja y la voz principal van al centro; lo ancho "
       "son pads, hats, percusión, coros y efectos. Panea para separar (hat algo a un lado, "
       "shaker al otro) antes de recurrir a ensanchadores. Mantén en mono todo lo que esté por "
       "debajo de ~120 Hz. Comprueba la mezcla en mono (Utility con Width 0 % en el master): si "
       "algo desaparece, hay problemas de fase. Chorus, delays cortos distintos a cada lado o "
       "el modo Mid/Side de EQ Eight dan anchura controlada.",
       "Stereo image: kick, bass, snare and lead vocal stay centred; width comes from pads, "
       "hats, percussion, backing vocals and effects. Pan to separate (a hat slightly one way, "
       "a shaker the other) before reaching for wideners. Keep everything below ~120 Hz mono. "
       "Check the mix in mono (Utility at Width 0% on the master): if something vanishes, you "
       "have phase problems. Chorus, slightly different short delays per side, or EQ Eight's "
       "Mid/Side mode give controlled width."),
    _p("saturation", ("satur*|distor*|overdrive|drive|calidez|calido|warmth|warm|grit|tape|"
                      "cinta|armonicos|harmonics",),
       "bajo|bass|808|bateria|drums|analog*",
       "Saturación: añade armónicos que hacen que un sonido se perciba más fuerte y presente "
       "sin subir los picos. En Live: Saturator (modo Analog Clip o Soft Sine para empezar), "
       "Roar en Live 12, Drum Buss para baterías y Pedal para algo más sucio. Úsala en el bajo "
       "para que se oiga en altavoces pequeños, en el bus de batería para pegar y en pads para "
       "darles calidez. Con el control Dry/Wet mezcla en paralelo y compara al mismo volumen.",
       "Saturation adds harmonics that make a sound feel louder and more present without "
       "raising its peaks. In Live: Saturator (start with Analog Clip or Soft Sine), Roar in "
       "Live 12, Drum Buss for drums and Pedal for grit. Use it on bass so it reads on small "
       "speakers, on the drum bus for punch, and on pads for warmth. Blend in parallel with "
       "Dry/Wet and compare at matched loudness."),
    _p("hi-hats", ("hi hat|hi hats|hihat*|hats|hat|charles|platillo*",),
       "roll*|redoble*|trap|velocity|programa*|open|abierto|cerrado|closed|groove",
       "Hats con vida: alterna velocities (fuerte en las corcheas, más suave en las "
       "semicorcheas intermedias), añade algo de swing (54–60 %) y un hat abierto en los "
       "contratiempos que el cerrado corte (grupo Choke en el Drum Rack). En trap, combina "
       "corcheas con redobles de 1/32 y tresillos y automatiza el tono en los rolls. Recorta los "
       "graves por debajo de 300–500 Hz, y si suenan ásperos baja un poco 6–8 kHz. Dos hats "
       "distintos paneados a cada lado dan movimiento.",
       "Hats with life: alternate velocities (strong on the 8ths, softer on the in-between "
       "16ths), add some swing (54–60%) and an open hat on the offbeats that the closed hat "
       "chokes (Choke group in the Drum Rack). In trap, mix 8ths with 1/32 and triplet rolls and "
       "automate pitch on the rolls. High-pass below 300–500 Hz, and if they sound harsh dip "
       "6–8 kHz a little. Two different hats panned left and right add movement."),
    _p("808", ("808|808s|ochocientos ocho",), "glide|slide|portamento|tun*|afina*|distorsion|trap",
       "El 808: trátalo como un bajo afinado. Escribe sus notas en la tonalidad (la tónica y la "
       "quinta funcionan casi siempre), sigue el ritmo del bombo o sustitúyelo, y usa glide "
       "(portamento) para los deslizamientos entre notas — en Simpler/Sampler activa Glide en "
       "modo mono. Un poco de saturación hace que se oiga en móviles. Si el bombo y el 808 "
       "suenan a la vez, acorta uno, afínalos juntos o deja que el 808 haga de bombo.",
       "The 808: treat it as a tuned bass. Write its notes in key (root and fifth almost always "
       "work), follow or replace the kick rhythm, and use glide (portamento) for slides between "
       "notes — in Simpler/Sampler switch to mono and turn on Glide. A little saturation makes "
       "it audible on phones. If kick and 808 hit together, shorten one, tune them together, "
       "or let the 808 be the kick."),
    _p("tuning-kick", ("afina*|tun*|pitch|tono del bombo",), "bombo|kick|tonalidad|key|808",
       "Afinar el bombo: busca su nota fundamental con un analizador (Spectrum, el pico más "
       "grave) o a oído contra el bajo, y transpón la muestra en Simpler hasta que coincida con "
       "la tónica o la quinta de la tonalidad. Por ejemplo, en La menor un bombo en La (55 Hz) "
       "o Mi (41/82 Hz) empasta con el bajo. Un bombo afinado suma con el bajo en vez de "
       "chocar, y los graves suenan más grandes con menos volumen.",
       "Tuning the kick: find its fundamental with an analyzer (Spectrum, the lowest peak) or "
       "by ear against the bass, then transpose the sample in Simpler until it matches the "
       "root or the fifth of the key. For example, in A minor a kick on A (55 Hz) or E "
       "(41/82 Hz) gels with the bass. A tuned kick adds up with the bass instead of fighting "
       "it, and the low end sounds bigger at a lower level."),
    _p("vocal-chops", ("chop|chops|chopped|vocal chop*|trocea*|trocear|cortes de voz|slice*|"
                       "rebanad*",),
       "voz|vocal|simpler|sample|muestra",
       "Vocal chops: toma una frase vocal, cárgala en Simpler en modo Slice (por transitorios o "
       "por divisiones de 1/16) y toca los trozos desde un clip MIDI como si fuera un "
       "instrumento. Transpón los trozos a notas de la tonalidad, acorta la envolvente para que "
       "suenen percusivos y añade reverb/delay en envío. Funcionan genial como respuesta a la "
       "melodía principal (pregunta-respuesta) en house, UK garage y future bass.",
       "Vocal chops: take a vocal phrase, load it into Simpler in Slice mode (by transients or "
       "1/16 divisions) and play the slices from a MIDI clip like an instrument. Transpose "
       "slices to notes in the key, shorten the envelope so they feel percussive, and add "
       "reverb/delay on a send. They work great as an answer to the main melody "
       "(call-and-response) in house, UK garage and future bass."),
    _p("automation", ("automat*|automatiz*|envolvente*|envelope*|barrido*|sweep*|macro|macros",),
       "filtro|filter|volumen|volume|movimiento|movement|modulaci*",
       "Automatización = movimiento. En Arrangement pulsa A para ver las líneas de "
       "automatización, elige el parámetro y dibuja con el lápiz (B) o graba moviendo el "
       "control. Ideas: abrir un filtro paso bajo a lo largo de un build, subir el envío de "
       "reverb en el último tiempo de una frase (efecto «cola»), hacer respirar el volumen de "
       "los pads y mapear varios parámetros a un Macro de un Rack para moverlos a la vez. En "
       "Session, las envolventes de clip repiten la modulación en cada loop.",
       "Automation is movement. In Arrangement press A to show automation lanes, pick the "
       "parameter and draw with the pencil (B) or record while moving the control. Ideas: open "
       "a low-pass filter across a build, throw the reverb send up on the last beat of a phrase "
       "(a 'tail'), make pads breathe with volume moves, and map several parameters to one Rack "
       "Macro to move them together. In Session, clip envelopes repeat the modulation every "
       "loop."),
    _p("reference", ("referencia*|reference*|comparar|compare|monitor*|monitoriz*|"
                     "volumen de escucha|listening level|fatiga|fatigue|auriculares|headphones",),
       "mezcla|mix|oido|ears|altavoces|speakers",
       "Mezcla con referencias: mete en el set 1–2 temas profesionales del mismo estilo, baja "
       "su volumen hasta igualar el tuyo (comparar a distinto volumen engaña) y alterna a "
       "menudo para comparar graves, brillo, anchura y equilibrio. Escucha a volumen moderado "
       "(sobre 75–80 dB SPL), descansa 10 minutos cada hora y prueba la mezcla en auriculares, "
       "monitores, móvil y coche. La mayoría de los problemas de graves se ven antes en un "
       "analizador y en auriculares que en una habitación sin tratar.",
       "Mix against references: drop 1–2 professional tracks of the same style into the set, "
       "turn them down to match your level (comparing at different volumes fools you) and "
       "switch often to compare lows, brightness, width and balance. Listen at moderate level "
       "(around 75–80 dB SPL), rest 10 minutes every hour, and check the mix on headphones, "
       "monitors, phone and car. Most low-end problems show up sooner on an analyzer and "
       "headphones than in an untreated room."),
    _p("melody-hook", ("melodi*|melody|melodies|hook|hooks|gancho|topline|motivo|motif|riff*",),
       "escribir|write|catchy|pegadiz*|lead|componer|compose",
       "Una melodía pegadiza parte de un motivo corto (1–2 compases, 3–6 notas) que se repite "
       "y se varía: transpórtalo un grado, cambia el ritmo final o invierte la dirección. Pon "
       "notas del acorde en los tiempos fuertes, muévete sobre todo por grados conjuntos y tras "
       "un salto grande vuelve en dirección contraria. Pregunta-respuesta: la primera frase "
       "termina «abierta» (en la 2ª o 5ª) y la segunda resuelve en la tónica. Deja silencios: "
       "el ritmo importa tanto como las notas.",
       "A catchy melody starts from a short motif (1–2 bars, 3–6 notes) that repeats and "
       "varies: move it up a scale step, change the ending rhythm or flip its direction. Put "
       "chord tones on strong beats, move mostly by step, and after a big leap come back the "
       "other way. Call and response: the first phrase ends 'open' (on the 2nd or 5th) and the "
       "second resolves to the root. Leave space: rhythm matters as much as pitch."),
    _p("voicing", ("voicing*|inversion*|inversiones|voice leading|conduccion de voces|"
                   "disposicion",),
       "acorde*|chord*|piano|pad*",
       "Voicings: en vez de tocar todos los acordes en posición fundamental, usa inversiones "
       "para que cada voz se mueva lo mínimo al cambiar de acorde (conducción de voces): suena "
       "más fluido y profesional. Mantén los acordes en el registro medio (C3–C5 en Live), deja "
       "los graves al bajo y evita terceras apretadas por debajo de C3 porque enturbian. Abrir "
       "el acorde (subir una voz una octava) da amplitud; añadir 7ª o 9ª da color "
       "(deep house, lo-fi).",
       "Voicings: instead of playing every chord in root position, use inversions so each voice "
       "moves as little as possible between chords (voice leading) — it sounds smoother and "
       "more professional. Keep chords in the middle register (C3–C5 in Live), leave the lows "
       "to the bass, and avoid close thirds below C3 because they get muddy. Opening the chord "
       "(an inner voice up an octave) adds width; adding the 7th or 9th adds colour (deep "
       "house, lo-fi)."),
    _p("resampling", ("resampl*|remuestre*|bounce in place|bounce to new track|render in place|"
                      "imprimir",),
       "audio|pista|track",
       "Resampling: graba en audio lo que suena (pista nueva con Audio From → Resampling, o "
       "clic derecho → «Bounce to New Track» en Live 12) y sigue manipulando el audio: "
       "trocéalo, inviértelo, cámbiale el tono, pásalo por más efectos. Es la base de muchos "
       "bajos de dubstep y de las texturas de ambient, y además libera CPU y te obliga a tomar "
       "decisiones.",
       "Resampling: record what's playing to audio (a new track with Audio From → Resampling, "
       "or right-click → 'Bounce to New Track' in Live 12) and keep mangling the audio: slice "
       "it, reverse it, repitch it, run it through more effects. It's the basis of many "
       "dubstep basses and ambient textures, frees CPU and forces you to commit."),
    _p("export-stems", ("export*|exporta*|stems|stem|pistas separadas|render*|wav|mp3",),
       "audio|mezcla|mix|master",
       "Exportar en Ableton: File → Export Audio/Video (Ctrl/Cmd+Shift+R). Para el máster, "
       "elige «Main/Master», WAV a 24 bits y la frecuencia del proyecto; activa dither solo "
       "al bajar a 16 bits. Para stems, elige «All Individual Tracks» (o selecciona los grupos): "
       "cada pista sale a un archivo alineado desde el mismo punto de inicio. Exporta con "
       "los efectos del master desactivados si lo va a masterizar otra persona, y deja unos "
       "compases de cola para las reverbs.",
       "Exporting from Ableton: File → Export Audio/Video (Ctrl/Cmd+Shift+R). For the master, "
       "render 'Main/Master' as 24-bit WAV at the project's sample rate; only dither when "
       "going down to 16-bit. For stems choose 'All Individual Tracks' (or select your groups): "
       "each track renders to its own file, aligned from the same start point. Bypass master "
       "effects if someone else will master it, and leave a few bars of tail for reverbs."),
    _p("finishing", ("terminar|termino|finish*|bloqueo|writers block|bloqueado|motivacion|"
                     "atascad*|stuck|workflow|flujo de trabajo|inspiraci*",),
       "cancion*|track*|tema*|ideas",
       "Para terminar más temas: ponte un límite de tiempo, trabaja por fases separadas "
       "(componer, arreglar, mezclar) y no mezcles mientras compones. Usa plantillas y kits "
       "que ya conozcas, saca la estructura completa en cuanto tengas un loop de 8 compases "
       "y acepta el «suficientemente bueno»: el siguiente tema será mejor. Si te bloqueas, "
       "cambia una restricción (otro tempo, otra tonalidad, solo tres pistas) o pide a MusiaIA "
       "un punto de partida y reescribe lo que no te guste.",
       "To finish more tracks: set a time limit, work in separate phases (write, arrange, mix) "
       "and don't mix while writing. Use templates and kits you know, lay out the full "
       "structure as soon as you have an 8-bar loop, and accept 'good enough' — the next one "
       "will be better. When stuck, change a constraint (new tempo, new key, only three "
       "tracks) or ask MusiaIA for a starting point and rewrite what you don't like."),
    _p("sound-design", ("sound design|diseno de sonido|supersaw|wavetable|serum|operator|drift|"
                        "oscilador*|oscillator*|sintesis|synthesis|sintetiz*|synth|synths|reese|"
                        "wobble|growl|pad|pads|preset|presets",),
       "make|hacer|hago|crear|create|good|bueno|buen|lead|bajo|bass|sonido|sound",
       "Diseño de sonido rápido: un pad amplio sale de dos o tres osciladores de sierra "
       "ligeramente desafinados (o un supersaw con unísono), filtro paso bajo con poca "
       "resonancia, ataque y release largos y un chorus o reverb. Un lead que corta: onda de "
       "sierra o cuadrada, filtro algo abierto, envolvente de filtro corta y delay sincronizado. "
       "Un bajo sólido: una sinusoide o triángulo para el sub y otra capa con algo de "
       "saturación para los armónicos. Un reese (drum & bass) son dos sierras desafinadas con "
       "paso bajo; un wobble (dubstep), un LFO sincronizado moviendo el corte del filtro. En "
       "Live, Wavetable y Drift son buenos puntos de partida.",
       "Quick sound design: a wide pad comes from two or three slightly detuned saw oscillators "
       "(or a unison supersaw), a low-pass filter with little resonance, long attack and "
       "release, plus chorus or reverb. A lead that cuts through: saw or square wave, filter "
       "fairly open, a short filter envelope and a synced delay. A solid bass: a sine or "
       "triangle for the sub and a second layer with some saturation for harmonics. A reese "
       "(drum and bass) is two detuned saws through a low-pass; a wobble (dubstep) is a synced "
       "LFO moving the filter cutoff. In Live, Wavetable and Drift are great starting points."),
    _p("snare-clap", ("snare|snares|caja|cajas|clap|claps|palmas|redoblante",),
       "punch|pegada|reverb|layer|capa*|eq|grueso|fat|fuerte",
       "Caja y palmas con pegada: combina una caja con cuerpo (150–250 Hz) con una palma o un "
       "ruido que aporte el brillo (2–6 kHz), y alinea sus ataques. Un poco de reverb corta "
       "(room o plate, 0.6–1.2 s) en envío les da tamaño sin ensuciar, y un transient shaper o "
       "Drum Buss realza el golpe. En house y techno la palma suele ir en los tiempos 2 y 4; "
       "retrasarla unos milisegundos da un groove más relajado.",
       "Punchy snares and claps: pair a snare with body (150–250 Hz) with a clap or noise layer "
       "for brightness (2–6 kHz) and line up their attacks. A little short reverb (room or "
       "plate, 0.6–1.2 s) on a send gives size without mud, and a transient shaper or Drum Buss "
       "brings out the hit. In house and techno the clap usually sits on beats 2 and 4; "
       "delaying it a few milliseconds makes the groove more laid back."),
    _p("kick", (_KICK,),
       "punch|punchy|pegada|pegue|pegar|golpe|fuerte|potente|grande|big|hard|duro|transient*|"
       "transitorio*|click|frecuencia*|frequenc*|hz|elegir|choose|sample",
       "Un bombo con pegada empieza por la muestra: elige uno cuyo sub y click ya encajen con "
       "el estilo (corto y seco para tempos rápidos, largo y redondo para house lento). Luego: "
       "EQ con el cuerpo en 50–100 Hz y el click en 2–5 kHz, un transient shaper o Drum Buss "
       "para marcar el ataque, una pizca de saturación para que se oiga en altavoces pequeños y "
       "afinarlo a la tonalidad. Deja espacio alrededor: sidechain del bajo y los pads, y nada "
       "más ocupando el subgrave cuando pega. Si aún le falta, añade una capa de click.",
       "A punchy kick starts with the sample: pick one whose sub and click already suit the "
       "style (short and tight for fast tempos, long and round for slower house). Then EQ the "
       "body at 50–100 Hz and the click at 2–5 kHz, use a transient shaper or Drum Buss to "
       "mark the attack, add a touch of saturation so it reads on small speakers, and tune it "
       "to the key. Leave room around it: sidechain the bass and pads, and keep everything "
       "else out of the sub when it hits. Still missing something? Layer a click on top."),
    _p("bassline", ("bassline|basslines|linea de bajo|linea del bajo|bajo|bajos|bass",),
       "escrib*|write|writing|make|making|hacer|hago|crear|create|componer|compose|programa*|"
       "patron*|pattern*|riff*|nota*|notes|ritmo|rhythm",
       "Para escribir un bajo: toca la fundamental del acorde en cada cambio (en el tiempo "
       "fuerte) y usa notas del acorde en los tiempos; las notas de paso, solo en semicorcheas "
       "débiles. Decide cómo convive con el bombo: entre bombos (contratiempo, típico del "
       "house) o reforzándolo (trap, 808). Mantén el bajo monofónico y en su registro "
       "(aprox. E0–E2 en Live), usa saltos de octava para dar movimiento y repite un patrón "
       "de 1–2 compases con pequeñas variaciones al final de cada frase.",
       "Writing a bassline: play the chord's root on each change (on the strong beat) and chord "
       "tones on the beats; keep passing notes for weak 16ths. Decide how it lives with the "
       "kick: between kicks (offbeat, the house way) or doubling it (trap, 808s). Keep it "
       "monophonic and in its register (roughly E0–E2 in Live), use octave jumps for movement, "
       "and repeat a 1–2-bar pattern with small variations at the end of each phrase."),
)

CONCEPT_TOPICS: tuple[Topic, ...] = (
    _c("time-signature", ("compas|compases|time signature|signatura|metrica|meter|measure|"
                          "bar|bars|4 4|3 4|6 8",), "tiempos|beats|negras",
       "Un compás es la unidad que agrupa los tiempos de la música; la cifra indica cuántos "
       "tiempos tiene y de qué figura. En 4/4 (casi toda la música electrónica) hay cuatro "
       "negras por compás: cuentas «1, 2, 3, 4». En 3/4 son tres (vals) y en 6/8 hay dos "
       "pulsos divididos en tres corcheas. En español «compás» significa tanto la unidad "
       "(«16 compases») como la cifra («compás de 4/4»). La música de baile se organiza en "
       "frases de 4, 8, 16 y 32 compases.",
       "A bar (or measure) groups the beats of the music; the time signature says how many "
       "beats it has and of which note value. In 4/4 (nearly all electronic music) there are "
       "four quarter-note beats per bar — you count '1, 2, 3, 4'. 3/4 has three (a waltz) and "
       "6/8 has two pulses each split into three eighth notes. Dance music is organised in "
       "phrases of 4, 8, 16 and 32 bars."),
    _c("bpm", ("bpm|beats per minute|pulsaciones por minuto|pulsos por minuto|ppm|tempo",),
       "velocidad|speed|rapido|fast|lento|slow",
       "BPM significa «beats por minuto»: cuántos tiempos (negras) caben en un minuto, es "
       "decir, el tempo. A 120 BPM cada tiempo dura medio segundo; a 60 BPM, un segundo. En "
       "Live lo cambias en el campo de tempo arriba a la izquierda (o con Tap Tempo). Cada "
       "estilo tiene su rango: house ~118–130, techno ~125–140, drum & bass ~165–180, "
       "hip-hop ~85–105.",
       "BPM means beats per minute: how many beats (quarter notes) fit in a minute, i.e. the "
       "tempo. At 120 BPM each beat lasts half a second; at 60 BPM, one second. In Live you set "
       "it in the tempo field at the top left (or with Tap Tempo). Every style has its range: "
       "house ~118–130, techno ~125–140, drum and bass ~165–180, hip-hop ~85–105."),
    _c("swing", ("swing|shuffle|swung|shuffled",), "groove|hats|semicorcheas|16ths",
       "El swing retrasa las notas de contratiempo (normalmente las semicorcheas pares) para "
       "que el ritmo «balancee» en vez de ir recto. Se mide en porcentaje: 50 % es recto, "
       "66 % es un tresillo perfecto, y el punto dulce de muchas cajas de ritmos (MPC) está "
       "entre 54 % y 62 %. En Live lo aplicas con el Groove Pool o el control de swing de "
       "Quantize.",
       "Swing delays the offbeat notes (usually every second 16th) so the rhythm bounces "
       "instead of running straight. It's measured in percent: 50% is straight, 66% is a "
       "perfect triplet, and many drum machines' (MPC) sweet spot is 54–62%. In Live you apply "
       "it with the Groove Pool or Quantize's swing amount."),
    _c("drop", ("drop|drops|caida",), "seccion|section|compases|bars|cuantos|how many|largo|long",
       "El drop es la sección de máxima energía de un tema de electrónica: donde entran a la "
       "vez el bombo, el bajo y el sonido principal después de un build. Equivale al "
       "estribillo de una canción pop. Suele durar 16 o 32 compases y funciona por contraste "
       "con el breakdown que lo precede.",
       "The drop is the peak-energy section of an electronic track: where kick, bass and the "
       "main hook come in together after a build. It's the dance-music equivalent of a pop "
       "chorus. It usually lasts 16 or 32 bars and works through contrast with the breakdown "
       "before it."),
    _c("build", ("build up|buildup|build|subida",),
       "seccion|section|tension|compases|bars|cuantos|how many",
       "El build (o subida) es la sección que acumula tensión justo antes del drop: redobles "
       "que aceleran, risers, filtros que se abren y a menudo el bombo desaparece al final. "
       "Suele durar 8 o 16 compases.",
       "The build (build-up) is the section that piles up tension right before the drop: snare "
       "rolls speeding up, risers, filters opening, and often the kick dropping out at the "
       "end. It usually lasts 8 or 16 bars."),
    _c("breakdown", ("breakdown|break|parón|paron",),
       "seccion|section|compases|bars|cuantos|how many",
       "El breakdown es la sección de calma en mitad de un tema: se quitan el bombo y el bajo "
       "y quedan pads, acordes, la melodía o la voz. Da respiro a la pista de baile, presenta "
       "o recuerda la melodía y prepara el contraste del siguiente drop. En club suele durar "
       "16 o 32 compases.",
       "The breakdown is the calm section in the middle of a track: kick and bass drop out, "
       "leaving pads, chords, the melody or vocal. It gives the dancefloor a breather, "
       "introduces or recalls the melody and sets up the contrast for the next drop. In club "
       "music it usually lasts 16 or 32 bars."),
    _c("key", ("tonalidad|key|tonality|tono",), "mayor|menor|major|minor",
       "La tonalidad es el «centro» de una canción: una nota principal (la tónica) y una "
       "escala (mayor o menor) de la que salen casi todas las notas y acordes. La menor (Am), "
       "por ejemplo, usa A B C D E F G y suena a casa en el acorde Am. Las tonalidades menores "
       "suenan más oscuras o emotivas y las mayores más luminosas. Saber la tonalidad te "
       "permite escribir bajos y melodías que no desafinen y mezclar temas compatibles.",
       "The key is the 'home base' of a song: a main note (the tonic) and a scale (major or "
       "minor) that supplies almost all of its notes and chords. A minor (Am), for example, "
       "uses A B C D E F G and feels at rest on the Am chord. Minor keys sound darker or more "
       "emotional, major keys brighter. Knowing the key lets you write basslines and melodies "
       "that stay in tune, and mix compatible tracks."),
    _c("major-minor", ("mayor y menor|major and minor|mayor o menor|major or minor|major vs minor|"
                       "mayor vs menor|escala mayor|major scale|escala menor|minor scale|"
                       "menor armonica|harmonic minor|menor melodica|melodic minor|"
                       "menor natural|natural minor",), "diferencia|difference|suena|sound",
       "Mayor y menor se diferencian sobre todo en la tercera: la escala mayor (T T S T T T S) "
       "tiene la 3ª mayor y suena luminosa; la menor natural (T S T T S T T) tiene 3ª, 6ª y 7ª "
       "menores y suena más oscura o emotiva. Variantes de la menor: la armónica sube la 7ª "
       "(en La menor, G → G#) para tener un acorde V mayor que tira hacia la tónica — muy de "
       "trap y de sonido «oriental» —, y la melódica sube también la 6ª al subir. La mayoría de "
       "la electrónica de club está en menor.",
       "Major and minor differ mainly in the third: the major scale (W W H W W W H) has a major "
       "3rd and sounds bright; natural minor (W H W W H W W) has a minor 3rd, 6th and 7th and "
       "sounds darker or more emotional. Minor variants: harmonic minor raises the 7th (in A "
       "minor, G → G#) to get a major V chord that pulls home — common in trap and for an "
       "'exotic' flavour — and melodic minor also raises the 6th on the way up. Most club "
       "music is in minor."),
    _c("pentatonic", ("pentatonic*|pentatonica*|blues scale|escala de blues|escala blues",),
       "escala|scale|melodia|melody",
       "La pentatónica es una escala de cinco notas sin semitonos que choquen: la mayor quita "
       "la 4ª y la 7ª (C D E G A) y la menor quita la 2ª y la 6ª (A C D E G). Como no tiene "
       "notas «peligrosas», casi cualquier combinación suena bien sobre los acordes de la "
       "tonalidad: ideal para improvisar leads, hooks vocales y riffs. Añadiendo la 4ª "
       "aumentada a la menor (D#) tienes la escala de blues.",
       "The pentatonic is a five-note scale with no clashing semitones: the major one drops "
       "the 4th and 7th (C D E G A) and the minor one drops the 2nd and 6th (A C D E G). With "
       "no 'dangerous' notes, almost any combination sounds good over the key's chords: "
       "perfect for improvising leads, vocal hooks and riffs. Add the sharp 4th to the minor "
       "one (D#) and you have the blues scale."),
    _c("modes", ("modo|modos|mode|modes|dorian|dorico|frigio|phrygian|lidio|lydian|"
                 "mixolid*|eolico|aeolian|jonico|ionian|locrio|locrian",), "escala|scale",
       "Los modos son escalas que salen de la mayor empezando en otro grado: jónico (mayor), "
       "dórico (menor con 6ª mayor: menor pero luminoso, muy de deep house y funk), frigio "
       "(menor con 2ª menor: oscuro, techno y trap), lidio (mayor con 4ª aumentada: etéreo, "
       "bandas sonoras y ambient), mixolidio (mayor con 7ª menor: rock, disco), eólico (la "
       "menor natural) y locrio (inestable, poco usado). Ejemplo: D dórico son las notas de "
       "C mayor empezando en D.",
       "Modes are scales built from the major scale starting on another degree: Ionian "
       "(major), Dorian (minor with a major 6th: minor but bright, great for deep house and "
       "funk), Phrygian (minor with a flat 2nd: dark, techno and trap), Lydian (major with a "
       "sharp 4th: dreamy, film and ambient), Mixolydian (major with a flat 7th: rock, disco), "
       "Aeolian (natural minor) and Locrian (unstable, rarely used). Example: D Dorian is the "
       "notes of C major starting on D."),
    _c("chord", ("acorde|acordes|chord|chords|triada*|triad*|septima*|seventh*|novena*|ninth*",),
       "mayor|menor|major|minor|dim*|aug*|sus*",
       "Un acorde son tres o más notas que suenan a la vez. La tríada básica apila terceras: "
       "mayor = tónica + 3ª mayor + 5ª (C = C E G, suena luminoso), menor = tónica + 3ª menor + "
       "5ª (Am = A C E, suena triste u oscuro), disminuido = dos terceras menores (Bdim = B D F, "
       "tenso). Añadiendo la 7ª salen los acordes de séptima (Cmaj7, Am7, G7) y con la 9ª los de "
       "novena, típicos del deep house y el lo-fi. Pregúntame por los acordes de cualquier "
       "tonalidad o por las notas de un acorde concreto.",
       "A chord is three or more notes sounding together. The basic triad stacks thirds: major "
       "= root + major 3rd + 5th (C = C E G, bright), minor = root + minor 3rd + 5th (Am = A C E, "
       "sad or dark), diminished = two minor thirds (Bdim = B D F, tense). Adding the 7th gives "
       "seventh chords (Cmaj7, Am7, G7) and the 9th gives ninth chords, typical of deep house "
       "and lo-fi. Ask me for the chords of any key or the notes of a specific chord."),
    _c("syncopation", ("sincop*|syncopat*|contratiempo*|offbeat|offbeats|off beat",),
       "ritmo|rhythm|bajo|bass",
       "La síncopa acentúa lo que cae entre los tiempos (el contratiempo) en lugar de los "
       "tiempos fuertes. Es el motor del groove: el bajo de house tocando en el «y» de cada "
       "tiempo, el bombo de hip-hop que llega antes de tiempo o el dembow del reggaeton. "
       "Alternar notas en el tiempo y fuera de él crea tensión y movimiento.",
       "Syncopation stresses what falls between the beats (the offbeat) instead of the strong "
       "beats. It's the engine of groove: the house bassline on the 'and' of every beat, the "
       "hip-hop kick landing early, or reggaeton's dembow. Mixing on-beat and off-beat notes "
       "creates tension and movement."),
    _c("quantize", ("cuantiz*|quantiz*|quantis*",), "midi|rejilla|grid|swing",
       "Cuantizar mueve las notas a la rejilla más cercana (1/16, 1/8…). En Live selecciona las "
       "notas y pulsa Ctrl/Cmd+U, o usa Ctrl/Cmd+Shift+U para elegir la rejilla y la cantidad. "
       "Cuantizar al 50–70 % corrige lo más descuadrado sin perder el feel humano; combinado con "
       "un groove del Groove Pool obtienes swing sin que suene rígido.",
       "Quantizing moves notes to the nearest grid line (1/16, 1/8…). In Live select the notes "
       "and press Ctrl/Cmd+U, or Ctrl/Cmd+Shift+U to choose grid and amount. Quantizing at "
       "50–70% fixes the worst timing while keeping a human feel; combine it with a Groove Pool "
       "groove to get swing without stiffness."),
    _c("velocity", ("velocity|velocities|velocidad de nota|velocidad de las notas|dinamica*|"
                    "dynamics",), "midi|notas|notes",
       "La velocity es la fuerza con la que se toca una nota MIDI (1–127). Normalmente controla "
       "el volumen, pero también puede abrir el filtro o cambiar de muestra. Variarla es la "
       "forma más rápida de que una batería o un piano suenen vivos: acentos en los tiempos "
       "fuertes y notas fantasma suaves.",
       "Velocity is how hard a MIDI note is played (1–127). It usually controls volume but can "
       "also open a filter or switch samples. Varying it is the quickest way to make drums or "
       "keys sound alive: accents on strong beats, soft ghost notes in between."),
    _c("semitone", ("semitono*|semitone*|octava*|octave*|tono y semitono|whole step|half step|"
                    "half tone|medio tono",), "nota*|note*",
       "Un semitono es la distancia más pequeña entre dos notas del piano (de una tecla a la "
       "siguiente, blanca o negra): C → C#. Un tono son dos semitonos (C → D). Una octava son "
       "12 semitonos: la misma nota con el doble de frecuencia (A 220 Hz → A 440 Hz). En Live, "
       "transponer +12 sube una octava y +7 una quinta.",
       "A semitone (half step) is the smallest distance between two piano keys, black or "
       "white: C → C#. A whole tone is two semitones (C → D). An octave is 12 semitones: the "
       "same note at double the frequency (A 220 Hz → A 440 Hz). In Live, transposing +12 goes "
       "up an octave and +7 a fifth."),
    _c("arpeggio", ("arpeg*|arp|arps|arpeggiator",), "acorde*|chord*",
       "Un arpegio toca las notas de un acorde una detrás de otra en vez de a la vez. En Live, "
       "el efecto MIDI Arpeggiator lo hace automáticamente: pon acordes en el clip y elige "
       "estilo (Up, Down, UpDown, Random…), rate (1/16 es lo típico en trance y synthwave) y "
       "gate. Es una forma fácil de dar movimiento a un pad o de crear un riff hipnótico.",
       "An arpeggio plays a chord's notes one after another instead of together. In Live, the "
       "Arpeggiator MIDI effect does it for you: put chords in the clip and pick a style (Up, "
       "Down, UpDown, Random…), a rate (1/16 is typical for trance and synthwave) and gate. "
       "It's an easy way to add motion to a pad or build a hypnotic riff."),
    _c("song-form", ("estribillo|chorus|estrofa|verso|verse|pre chorus|precoro|"
                     "pre estribillo|puente|bridge|song structure|estructura de cancion|hook",),
       "cancion|song|pop|reggaeton",
       "Forma de canción: intro, estrofa (cuenta la historia, energía media), pre-estribillo "
       "(sube la tensión), estribillo (el gancho, máxima energía), otra estrofa y estribillo, "
       "puente (algo distinto, suele cambiar de acordes) y estribillo final. En MusiaIA, pop, "
       "reggaeton, disco, funk y synthwave usan esta forma; trap y hip-hop alternan hook de 8 "
       "compases y estrofas de 16.",
       "Song form: intro, verse (tells the story, medium energy), pre-chorus (raises tension), "
       "chorus (the hook, peak energy), another verse and chorus, bridge (something different, "
       "often new chords) and a final chorus. In MusiaIA, pop, reggaeton, disco, funk and "
       "synthwave use this form; trap and hip-hop alternate 8-bar hooks and 16-bar verses."),
    _c("frequency-ranges", ("rango de frecuencias|rangos de frecuencia|frequency range*|"
                            "espectro|spectrum|hercios|hertz|hz|frecuencia|frecuencias|"
                            "frequency|frequencies",), "graves|agudos|medios",
       "Mapa de frecuencias: subgrave 20–60 Hz (se siente más que se oye: sub, bombo), graves "
       "60–250 Hz (cuerpo del bajo y del bombo), medios-graves 250–500 Hz (calidez, o barro si "
       "sobra), medios 500 Hz–2 kHz (donde vive casi todo), medios-agudos 2–5 kHz (presencia, "
       "ataque, el oído es muy sensible aquí), agudos 5–10 kHz (brillo, eses) y aire 10–20 kHz.",
       "Frequency map: sub 20–60 Hz (felt more than heard: sub bass, kick), bass 60–250 Hz "
       "(body of bass and kick), low-mids 250–500 Hz (warmth, or mud if overdone), mids "
       "500 Hz–2 kHz (where almost everything lives), upper-mids 2–5 kHz (presence, attack — "
       "the ear is very sensitive here), highs 5–10 kHz (brightness, sibilance) and air "
       "10–20 kHz."),
    _c("midi", ("midi",), "nota*|note*|clip*",
       "MIDI no es sonido: son instrucciones (qué nota, cuándo, cuánto dura, con qué velocity) "
       "que un instrumento convierte en audio. Por eso puedes cambiar el sonido, la tonalidad o "
       "el tempo de un clip MIDI sin perder calidad. MusiaIA escribe todas sus partes en MIDI "
       "(y también como archivos .mid), así que puedes cambiar cualquier instrumento en Live.",
       "MIDI isn't sound: it's instructions (which note, when, how long, how hard) that an "
       "instrument turns into audio. That's why you can change the sound, key or tempo of a "
       "MIDI clip without losing quality. MusiaIA writes every part as MIDI (also as .mid "
       "files), so you can swap any instrument in Live."),
)

HELP_TOPICS: tuple[Topic, ...] = (
    _h("modify", ("modific*|edit*|editar|cambiar|cambio|cambios|change|changes|tweak*|retoc*|"
                  "faster|slower|mas rapido|mas lento|transpon*|transpose|anadir|add|quitar|"
                  "remove|alarga*|acorta*|longer|shorter",),
       "puedo|puedes|podrias|can|could|despues|after|proyecto|project|track|cancion|song|"
       "tonalidad|key|tempo",
       "Puedes modificar tu último proyecto con frases normales y MusiaIA crea una versión "
       "nueva sin tocar la anterior. Por ejemplo: «hazlo más rápido», «bájalo a 120 BPM», "
       "«cámbialo a Re menor», «súbelo un tono», «quita el lead», «añade un arpegio», «batería "
       "más cargada», «otra melodía» o «hazlo más largo».",
       "You can modify your latest project in plain words and MusiaIA writes a new version "
       "without touching the previous one. For example: 'make it faster', 'set it to 120 BPM', "
       "'change the key to D minor', 'transpose it up two semitones', 'remove the lead', 'add an "
       "arp', 'busier drums', 'new melody' or 'make it longer'."),
    _h("versions", ("version|versiones|versions|v2|v3|historial|history|deshacer|undo|"
                    "anterior|previous",), "proyecto|project",
       "Cada cambio que pides crea una versión nueva del proyecto (v2, v3…) y las anteriores se "
       "conservan, así que puedes volver a cualquiera o comparar. Las modificaciones se aplican "
       "siempre a la última versión.",
       "Every change you ask for creates a new version of the project (v2, v3…) and earlier "
       "versions are kept, so you can go back to any of them or compare. Modifications always "
       "apply to the latest version."),
    _h("download", ("descarg*|download*|zip|als|guardar|save|archivo*|file|files",),
       "proyecto|project|set|mid",
       "Cada proyecto se puede descargar como .als (el set de Live, listo para abrir) o como "
       ".zip con la carpeta completa: el .als, un archivo .mid por parte y los datos del "
       "arreglo. Los sets abren en Live 11 y Live 12; descomprime el .zip y haz doble clic en "
       "el .als.",
       "Every project can be downloaded as an .als (the Live set, ready to open) or as a .zip "
       "with the whole folder: the .als, one .mid file per part and the arrangement data. The "
       "sets open in Live 11 and Live 12; unzip and double-click the .als."),
    _h("send-to-live", ("send*|enviar*|envia*|enviarlo|mandar*|mandalo|abrir|abro|abrirlo|open|"
                        "importa*|import|cargarlo|load it",
                        "live|ableton"),
       "set|proyecto|project",
       "Con el Remote Script de MusiaIA activo en Live puedes enviar un proyecto a tu set "
       "abierto desde la aplicación. Si no está conectado, descarga el .als y ábrelo en Live, "
       "o arrastra los .mid de la carpeta del proyecto a tus pistas.",
       "With MusiaIA's Remote Script active in Live you can send a project to your open set "
       "from the app. If it isn't connected, download the .als and open it in Live, or drag "
       "the .mid files from the project folder onto your tracks."),
    _h("samples", ("samples|sample|muestras|biblioteca|library|libreria|mis sonidos|my sounds",),
       "kit|kits|usar|use|indexar|index",
       "MusiaIA puede indexar tu biblioteca de samples (carpetas de tu disco) para que "
       "encuentres sonidos por tipo, tonalidad o tempo y usarlos en tus proyectos. Los "
       "archivos se leen donde están: nunca se copian ni se suben a ningún sitio.",
       "MusiaIA can index your sample library (folders on your disk) so you can find sounds by "
       "type, key or tempo and use them in your projects. Files are read where they are: "
       "never copied or uploaded anywhere."),
    _h("llm", ("api|api key|llm|clave|glm|minimax|chatgpt|gpt|modelo de lenguaje|"
               "language model|offline|sin conexion|sin internet|internet|ollama|lm studio|"
               "llama.cpp|modelo local|local model",),
       "ia|ai|conversar|chat|for|para|sirve|configur*|necesito|need",
       "MusiaIA funciona sin conexión: entiende tus peticiones y compone sin clave de API, y "
       "estas respuestas también se generan en local. Si configuras una clave (GLM46_API_KEY o "
       "MINIMAX_API_KEY) o un modelo local compatible con OpenAI (Ollama, LM Studio, llama.cpp: "
       "MUSIAIA_LLM_LOCAL_BASE_URL y MUSIAIA_LLM_LOCAL_MODEL), el chat puede conversar con más "
       "libertad y entender peticiones más abiertas; la composición sigue siendo la del motor "
       "propio. En Ajustes eliges el motor de tu cuenta.",
       "MusiaIA works offline: it understands your requests and composes without an API key, "
       "and these answers are produced locally too. With a key configured (GLM46_API_KEY or "
       "MINIMAX_API_KEY) or a local OpenAI-compatible model (Ollama, LM Studio, llama.cpp: "
       "MUSIAIA_LLM_LOCAL_BASE_URL and MUSIAIA_LLM_LOCAL_MODEL) the chat can talk more freely "
       "and handle more open-ended requests; the music still comes from MusiaIA's own engine. "
       "Choose your account's engine in Settings."),
)

# --- genres -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GenreNotes:
    """How a style is played, per language: drums, bass, harmony."""

    drums_es: str
    drums_en: str
    bass_es: str
    bass_en: str
    harmony_es: str
    harmony_en: str


def _g(*texts: str) -> GenreNotes:
    return GenreNotes(*texts)


GENRE_NOTES: dict[str, GenreNotes] = {
    "house": _g(
        "bombo a negras (four-on-the-floor), palmas en 2 y 4, hat abierto en cada contratiempo "
        "y shaker o hat cerrado en semicorcheas",
        "four-on-the-floor kick, clap on 2 and 4, open hat on every offbeat and shaker or "
        "closed hats in 16ths",
        "bajo en contratiempo o sincopado que deja sitio al bombo, con tónica y octava",
        "offbeat or syncopated bass that leaves room for the kick, root and octave",
        "stabs de acordes menores con 7ª y 9ª y loops emotivos como i–VI–III–VII",
        "minor 7th/9th chord stabs and emotional loops like i–VI–III–VII"),
    "deep-house": _g(
        "4/4 relajado con palma suave, hats con swing (≈58 %) y rimshots",
        "laid-back 4/4 with a soft clap, swung hats (≈58%) and rimshots",
        "bajo cálido y redondo, sincopado",
        "warm, round, syncopated bass",
        "acordes exuberantes m7/m9, vamps de dos acordes y giros jazzísticos",
        "lush m7/m9 chords, two-chord vamps and jazzy moves"),
    "tech-house": _g(
        "4/4 con pegada, hats secos y mucha percusión y groove",
        "punchy 4/4 with tight hats and plenty of percussion and groove",
        "riffs de bajo cortos, elásticos y sincopados, a menudo de una sola nota",
        "short, rubbery, syncopated bass riffs, often on one note",
        "mínima: uno o dos acordes oscuros; el groove y el bajo mandan",
        "minimal: one or two dark chords; groove and bass carry the track"),
    "afro-house": _g(
        "bombo a negras bajo capas de percusión polirrítmica: congas, shakers, toms, "
        "patrones de 3 contra 4",
        "four-on-the-floor kick under layered polyrhythmic percussion: congas, shakers, toms, "
        "3-against-4 patterns",
        "bajo redondo y sincopado que sigue a la percusión",
        "rounded, syncopated bass that follows the percussion",
        "progresiones menores cálidas, con cantos vocales y melodías punteadas",
        "warm minor progressions with vocal chants and plucked melodies"),
    "progressive-house": _g(
        "4/4 recto y constante que evoluciona poco a poco, con builds largos",
        "straight, steady 4/4 that evolves slowly, with long builds",
        "bajo en corcheas a contratiempo que empuja",
        "driving offbeat 8th-note bass",
        "progresiones menores emotivas (i–VI–III–VII), pads largos y arpegios",
        "emotional minor progressions (i–VI–III–VII), long pads and arpeggios"),
    "techno": _g(
        "bombo a negras implacable, hats en contratiempo y ride en semicorcheas; palma opcional",
        "relentless four-on-the-floor kick, offbeat hats and 16th rides; clap optional",
        "rumble rodante en semicorcheas o riffs de una nota pegados al bombo",
        "rolling 16th-note rumble or one-note riffs locked to the kick",
        "muy poca: un drone, un acorde o la tensión i–bII (frigio); repetición hipnótica",
        "very little: a drone, one chord or i–bII (Phrygian) tension; hypnotic repetition"),
    "minimal-techno": _g(
        "4/4 austero y con clicks, microperc y un swing sutil",
        "sparse, clicky 4/4 with micro-percussion and subtle swing",
        "destellos de bajo cortos y sincopados",
        "short, syncopated bass blips",
        "un acorde o ninguno; la variación viene de filtros y automatización",
        "one chord or none; variation comes from filters and automation"),
    "trance": _g(
        "4/4 que empuja, hats abiertos en contratiempo y redobles hacia breakdowns largos",
        "driving 4/4, offbeat open hats and snare rolls into long breakdowns",
        "bajo rodante en semicorcheas entre bombos",
        "rolling 16th-note bass between the kicks",
        "progresiones menores épicas (i–VI–III–VII), leads supersaw y pads con gate",
        "epic minor progressions (i–VI–III–VII), supersaw leads and gated pads"),
    "drum-and-bass": _g(
        "breakbeat two-step: bombo en el 1 y en el «y» del 3, caja en 2 y 4, hats rápidos y "
        "notas fantasma",
        "two-step breakbeat: kick on 1 and the 'and' of 3, snare on 2 and 4, busy hats and "
        "ghost notes",
        "notas largas de reese o sub, a medio tiempo frente a la batería rápida",
        "long reese or sub notes, half-time against the fast drums",
        "liquid: acordes maj7/m9 y pads; neuro: mínima y oscura",
        "liquid: maj7/m9 chords and pads; neuro: minimal and dark"),
    "dubstep": _g(
        "medio tiempo: bombo en el 1 y caja en el tiempo 3 (a 140 se siente como 70)",
        "half-time: kick on 1 and snare on beat 3 (at 140 it feels like 70)",
        "bajos wobble/growl con filtros modulados por LFO y un sub enorme",
        "wobble/growl basses with LFO-modulated filters and a huge sub",
        "oscura y escasa: el bajo es el protagonista",
        "dark and sparse: the bass is the lead"),
    "uk-garage": _g(
        "groove 2-step con shuffle (≈62 % de swing), bombos saltarines y caja en 2 y 4",
        "shuffled 2-step groove (≈62% swing), skippy kicks and snare on 2 and 4",
        "subs profundos y botones, a menudo con pitch bends",
        "deep, bouncy sub lines, often with pitch bends",
        "acordes soul m7/m9 y voces troceadas",
        "soulful m7/m9 chords and chopped vocals"),
    "trap": _g(
        "sensación de medio tiempo: bombo escaso y sincopado, caja/palma en el tiempo 3 y hats "
        "rápidos con redobles de tresillo y 1/32",
        "half-time feel: sparse syncopated kick, snare/clap on beat 3 and fast hats with "
        "triplet and 1/32 rolls",
        "808 afinado que sigue al bombo, notas largas con glides",
        "tuned 808 following the kick, long notes with glides",
        "loops menores oscuros de 2–4 acordes, a menudo menor armónica; campanas, pianos, plucks",
        "dark minor loops of 2–4 chords, often harmonic minor; bells, pianos, plucks"),
    "hip-hop": _g(
        "bombo sincopado, caja en 2 y 4 y hats con swing",
        "syncopated kick, snare on 2 and 4 and swung hats",
        "bajo o 808 que sigue la tónica bajo loops sampleados",
        "root-following bass or 808 under sampled loops",
        "loops de acordes de séptima soul/jazz",
        "soul/jazz seventh-chord loops"),
    "boom-bap": _g(
        "baterías sampleadas y polvorientas: bombo y caja contundentes en 2 y 4, mucho swing "
        "(≈60 %)",
        "dusty sampled drums: hard kick and snare on 2 and 4, heavy swing (≈60%)",
        "bajo sencillo que sigue la tónica",
        "simple root-following bass",
        "loops jazzísticos m7/m9, muy de sample",
        "jazzy m7/m9 loops, sample-based"),
    "lo-fi": _g(
        "baterías suaves y relajadas con mucho swing (≈60 %), cajas algo tarde y crujido de vinilo",
        "soft, laid-back drums with heavy swing (≈60%), slightly late snares and vinyl crackle",
        "bajo escaso de tónica y quinta",
        "sparse root-and-fifth bass",
        "acordes maj7, m7, m9, ii–V–I y cadenas de séptimas descendentes; teclados desafinados",
        "maj7, m7 and m9 chords, ii–V–I and descending seventh chains; detuned keys"),
    "reggaeton": _g(
        "dembow: bombo en cada tiempo y caja/rim sobre el tresillo (3+3+2), el «pum-chiqui»",
        "dembow: kick on every beat and snare/rim on the tresillo (3+3+2), the "
        "'boom-ch-boom-chick'",
        "bajo que sigue al bombo y al tresillo, en la tónica",
        "bass following the kick and tresillo, on the root",
        "loops menores de cuatro acordes: i–VI–III–VII o vi–IV–I–V",
        "four-chord minor loops: i–VI–III–VII or vi–IV–I–V"),
    "pop": _g(
        "backbeat: bombo en 1 y 3 (a negras en dance-pop), caja/palma en 2 y 4, hats en corcheas",
        "backbeat: kick on 1 and 3 (four-on-the-floor in dance-pop), snare/clap on 2 and 4, "
        "8th-note hats",
        "bajo en corcheas sobre la tónica, pegado al bombo",
        "root-note 8ths locked to the kick",
        "I–V–vi–IV y familia, forma estrofa/pre/estribillo y un gancho fuerte",
        "I–V–vi–IV and friends, verse/pre/chorus form and a strong hook"),
    "disco": _g(
        "bombo a negras, hats abiertos en contratiempo, hats en semicorcheas y palmas",
        "four-on-the-floor, open hats on the offbeats, 16th hats and claps",
        "bajos que saltan de octava",
        "octave-jumping basslines",
        "acordes de séptima mayores y menores, stabs de cuerdas y guitarra",
        "major and minor 7th chords, string and guitar stabs"),
    "funk": _g(
        "groove sincopado en semicorcheas con notas fantasma, backbeat fuerte y acento en «el uno»",
        "syncopated 16th-note groove with ghost notes, a strong backbeat and the accent on "
        "'the one'",
        "bajo slap sincopado en semicorcheas, con silencios y octavas",
        "slap-style syncopated 16ths with rests and octaves",
        "vamps de uno o dos acordes: dominantes 7/9 y m7",
        "one- or two-chord vamps: dominant 7th/9th and m7"),
    "synthwave": _g(
        "caja con reverb gated en 2 y 4, hats rectos en corcheas, cajas de ritmos de los 80",
        "gated-reverb snare on 2 and 4, straight 8th hats, 80s drum machines",
        "bajo analógico en corcheas que empuja",
        "driving 8th-note analog bass",
        "progresiones menores épicas, pads enormes y arpegios",
        "epic minor progressions, huge pads and arpeggios"),
    "ambient": _g(
        "sin batería o con texturas muy escasas",
        "no drums, or very sparse textures",
        "drones y notas pedal",
        "drones and pedal notes",
        "acordes que cambian despacio (2–8 compases cada uno), sus2/add9 y color lidio",
        "slow-moving chords (2–8 bars each), sus2/add9 and Lydian colour"),
    "edm": _g(
        "bombo a negras grande, palmas en 2 y 4 y builds con redoble",
        "big four-on-the-floor, claps on 2 and 4 and snare-roll builds",
        "bajo a contratiempo o con sidechain bombeando",
        "offbeat or pumping sidechained bass",
        "himnos menores épicos (i–VI–III–VII) y leads supersaw",
        "epic minor anthems (i–VI–III–VII) and supersaw leads"),
}

# --- moods ------------------------------------------------------------------------------------

MOOD_LABELS: dict[str, tuple[str, str]] = {
    "dark": ("oscuro", "dark"),
    "happy": ("alegre", "happy"),
    "sad": ("triste", "sad"),
    "melancholic": ("melancólico", "melancholic"),
    "energetic": ("enérgico", "energetic"),
    "chill": ("relajado", "chill"),
    "epic": ("épico", "epic"),
    "dreamy": ("soñador", "dreamy"),
    "aggressive": ("agresivo", "aggressive"),
    "romantic": ("romántico", "romantic"),
    "mysterious": ("misterioso", "mysterious"),
    "hypnotic": ("hipnótico", "hypnotic"),
    "euphoric": ("eufórico", "euphoric"),
    "uplifting": ("optimista", "uplifting"),
}

MOOD_TIPS: dict[str, tuple[str, str]] = {
    "dark": ("Registro grave, pocos acordes, el segundo grado rebajado (frigio) o la quinta "
             "menor; timbres filtrados y reverb oscura.",
             "Low register, few chords, a flat second (Phrygian) or a minor fifth chord; "
             "filtered timbres and dark reverb."),
    "happy": ("Tonalidad mayor, acordes I, IV y V con el vi como color, melodía en registro "
              "medio-agudo y ritmo saltarín.",
              "Major key, I, IV and V chords with vi for colour, a mid-to-high melody and a "
              "bouncy rhythm."),
    "sad": ("Menor natural, el acorde iv y el VI como pivote emotivo, tempo contenido y "
            "melodías que bajan por grados.",
            "Natural minor, the iv chord and VI as the emotional pivot, a restrained tempo and "
            "melodies that step downwards."),
    "melancholic": ("Menor con séptimas y novenas (o dórico para un punto de luz); alterna "
                    "acordes menores y mayores del mismo tono.",
                    "Minor with 7ths and 9ths (or Dorian for a touch of light); alternate the "
                    "key's minor and major chords."),
    "energetic": ("Mantén la tonalidad pero sube la densidad: cambio de acorde cada compás, "
                  "stabs en vez de pads y hats más cargados en la parte alta del rango de tempo.",
                  "Keep the key but raise the density: a chord change every bar, stabs instead "
                  "of pads and busier hats at the top of the tempo range."),
    "chill": ("Séptimas y novenas, cambios lentos de acorde, tempo bajo y sonidos suaves "
              "(Rhodes, pads filtrados).",
              "Sevenths and ninths, slow chord changes, a low tempo and soft sounds (Rhodes, "
              "filtered pads)."),
    "epic": ("Menor con el VI y el VII llevando al i (VI–VII–i), pads amplios, leads en octavas "
             "y builds largos.",
             "Minor with VI and VII pushing to i (VI–VII–i), wide pads, octave leads and long "
             "builds."),
    "dreamy": ("Acordes sus2/add9, color lidio, mucha reverb y delay y cambios de acorde lentos.",
               "sus2/add9 chords, Lydian colour, lots of reverb and delay and slow chord "
               "changes."),
    "aggressive": ("Menor, registro grave, distorsión, riffs de una nota y poca armonía; el "
                   "ritmo manda.",
                   "Minor, low register, distortion, one-note riffs and little harmony; rhythm "
                   "rules."),
    "romantic": ("Mayor con séptimas (Imaj7, vi7, IVmaj7), tempo medio y melodías cantables.",
                 "Major with sevenths (Imaj7, vi7, IVmaj7), a mid tempo and singable melodies."),
    "mysterious": ("Menor, acordes que no resuelven (quedarse en iv o VI), intervalos de "
                   "tritono o 2ª menor en la melodía.",
                   "Minor, chords that don't resolve (hang on iv or VI), tritones or minor "
                   "seconds in the melody."),
    "hypnotic": ("Uno o dos acordes, repetición con microvariaciones, filtros que se mueven "
                 "despacio y arpegios en bucle.",
                 "One or two chords, repetition with micro-variations, slowly moving filters "
                 "and looping arpeggios."),
    "euphoric": ("Menor épico o mayor brillante, progresiones de cuatro acordes a un acorde por "
                 "compás, supersaws y un drop grande.",
                 "Epic minor or bright major, four-chord progressions at one chord per bar, "
                 "supersaws and a big drop."),
    "uplifting": ("Mayor (o la relativa mayor de tu tonalidad), bajo que sube, melodía que "
                  "termina arriba.",
                  "Major (or the relative major of your key), a rising bassline and a melody "
                  "that ends high."),
}

# fmt: on

# Table order breaks ties: MusiaIA help, then definitions, then advice (a how-to question gives
# advice a point, a "what is" question gives definitions two, so ties are bare terms like "drop").
ALL_TOPICS: tuple[Topic, ...] = HELP_TOPICS + CONCEPT_TOPICS + PRODUCTION_TOPICS


def terms(spec: str) -> tuple[tuple[str, ...], ...]:
    """Split a ``"a|b c|d*"`` vocabulary string into phrases of words (already folded text)."""
    return tuple(tuple(part.split()) for part in spec.split("|") if part.strip())
