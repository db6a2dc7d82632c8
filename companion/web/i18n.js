// Interface language: Spanish or English, from the browser's languages, switchable (and kept).
// Static text is marked in the page with data-i18n (text), data-i18n-rich (`code` in text) and
// data-i18n-attr ("attr:key;attr:key"); modules call t() and re-render on 'langchange'.

import { rich } from './dom.js';

const LANG_KEY = 'musiaia.lang';
export const LANGUAGES = ['es', 'en'];

const en = {
  skip: 'Skip to content',
  loading: 'Loading…',
  signout: 'Sign out',
  'lang.label': 'Language',
  'conn.connecting': 'Connecting…',
  'conn.online': 'Connected',
  'conn.reconnecting': 'Reconnecting…',
  'conn.reconnectingIn': 'Reconnecting in {s} s…',
  'conn.offline': 'Offline',
  'conn.retry': 'Retry now',
  'conn.back': 'Connection restored.',
  'signin.title': 'Sign in to MusiaIA',
  'signin.intro':
    'Open the sign-in link the companion prints when it starts, or sign in with your user name and password.',
  'signin.user': 'User name',
  'signin.password': 'Password',
  'signin.submit': 'Sign in',
  'signin.busy': 'Signing in…',
  'signin.hint': 'No password? Run `musiaia login-link` for a new sign-in link.',
  'signin.linkFailed': 'That sign-in link did not work (links work once and expire): {detail}',
  'signin.expired': 'Your session has ended. Please sign in again.',
  'signin.failed': 'Could not sign in: {detail}',
  'signin.missing': 'Enter your user name and password.',
  'tabs.label': 'Sections',
  'tabs.chat': 'Chat',
  'tabs.project': 'Projects',
  'tabs.samples': 'Samples',
  'tabs.live': 'Live',
  'tabs.settings': 'Settings',
  'settings.title': 'Settings',
  'settings.engine': 'Language model for your messages',
  'settings.engineHint':
    "Used for your account before the companion's own routing. If it does not answer in time, MusiaIA answers offline.",
  'settings.auto': 'Automatic',
  'settings.autoDetail': 'The companion decides: {chain}',
  'settings.local': 'Local model ({model})',
  'settings.localDetail': 'Runs on your computer (Ollama, LM Studio, llama.cpp, vLLM); never falls back to the cloud.',
  'settings.cloudDetail': 'Cloud model: your messages go to its provider.',
  'settings.offline': 'Offline',
  'settings.offlineDetail': 'No language model: MusiaIA’s own parser and answers. Nothing leaves this computer.',
  'settings.onMachine': 'on this computer',
  'settings.setup': 'Not set up: set {setting} where the companion runs, then restart it.',
  'settings.saving': 'Saving…',
  'settings.saved': 'Saved: {engine}',
  'settings.live': 'Ableton Live',
  'settings.autoload': 'Add what I ask for to the open Live set',
  'settings.autoloadHint':
    'While Live is connected, a song or a change made in the chat is built into the open set by itself (one Cmd+Z removes it). Off: use “Send to Live” on its card.',
  'settings.autoloadOn': 'On: what you ask for goes into Live by itself.',
  'settings.autoloadOff': 'Off: use “Send to Live” on a card.',
  'chat.title': 'Chat',
  'chat.log': 'Conversation',
  'chat.emptyLead': 'Describe the track you want and MusiaIA writes the Live set.',
  'chat.emptyTry': 'Try:',
  'chat.try1': 'Make a house track at 124 BPM in A minor',
  'chat.try2': 'Dark techno in F minor, 64 bars, no lead',
  'chat.try3': 'What is sidechain compression?',
  'chat.inputLabel': 'Message',
  'chat.placeholder': 'Describe a track or ask for a change…',
  'chat.send': 'Send',
  'chat.hint': 'Enter sends · Shift+Enter adds a line',
  'chat.notConnected': 'Not connected to the companion right now. Your message is still here; send it again when the connection is back.',
  'chat.building': 'Building the set',
  'chat.built': 'Done in {n} steps',
  'chat.engine': 'Engine: {engine}',
  'chat.engineTitle': 'Which engine wrote this answer',
  'chat.errorTitle': 'Could not do that:',
  'chat.unknownError': 'something went wrong.',
  'chat.restored': ' Your message is back in the box so you can fix it.',
  'chat.lost': 'The connection dropped while waiting for this answer. It will show here once the companion is back.',
  'chat.openProject': 'Open {name} (v{version})',
  'chat.showProject': 'Show the project',
  'chat.fromLive': 'Made from Live: {name}.',
  'chat.you': 'You:',
  'chat.assistant': 'MusiaIA:',
  'step.understanding': 'Understanding the request',
  'step.composing': 'Composing the arrangement',
  'step.choosing_sounds': 'Choosing sounds',
  'step.mixing': 'Mixing and automating',
  'step.laying_out': 'Laying out tracks, clips and scenes',
  'step.writing': 'Writing the project files',
  'projects.title': 'Projects',
  'projects.count': '{n} in total',
  'projects.empty': 'No projects yet. Ask for a track in the chat, e.g. “house at 124 BPM in A minor”.',
  'projects.details': 'Style, tempo, key and length',
  'projects.bars': '{n} bars',
  'projects.barsFrom': '{n} bars from bar {bar}',
  'projects.sections': '{n} sections',
  'projects.sectionsLabel': 'Sections',
  'projects.tracks': '{n} tracks',
  'projects.versionTitle': 'Version shown',
  'projects.versions': 'Versions',
  'projects.original': 'First version',
  'projects.actions': 'Project actions',
  'projects.downloadAls': '.als',
  'projects.downloadZip': '.zip',
  'projects.sendToLive': 'Send to Live',
  'projects.openInLive': 'Open in Live',
  'projects.downloading': 'Downloading…',
  'projects.downloaded': 'Saved {name}',
  'projects.loading': 'Loading…',
  'roll.title': 'Piano roll',
  'roll.region': 'Piano roll: tracks by time',
  'roll.zoom': 'Zoom',
  'roll.zoomIn': 'Zoom in',
  'roll.zoomOut': 'Zoom out',
  'roll.fit': 'Fit',
  'roll.help': 'Click the ruler or the notes to play from there · Ctrl + wheel or pinch to zoom · Space plays/stops',
  'roll.summary': '{title}. Tracks and notes: {tracks}. Sections: {sections}.',
  'roll.bar': 'bar',
  'roll.audioLoop': 'Audio loop',
  'roll.audioSummary': 'audio loop {loop}, {clips} clips',
  'player.label': 'Preview',
  'player.play': 'Play',
  'player.stop': 'Stop',
  'player.rewind': 'Back to the start',
  'player.volume': 'Preview volume',
  'player.blocked': 'The browser did not allow audio yet; click Play again.',
  'player.soundsLoading': 'Loading sounds',
  'player.soundsPartial': '{n} sounds not available: synthesized',
  'player.soundsFallback': 'Played with the synth instead: {parts}',
  'render.toggle': 'Rendered audio',
  'render.toggleTitle': 'Play the set rendered as Live plays it (off: the instant preview)',
  'render.rendering': 'Rendering the audio…',
  'render.ready': 'Plays the rendered audio',
  'render.preview': 'Plays the instant preview',
  'render.unavailable': 'No render on this computer: instant preview',
  'render.failed': 'The render failed ({detail}): instant preview',
  'render.download': 'Download audio',
  'render.downloading': 'Rendering and downloading the audio…',
  'render.downloaded': 'Saved {name}',
  'chat.downloadAudio': 'Download the audio (FLAC)',
  'live.title': 'Ableton Live',
  'live.refresh': 'Refresh',
  'live.chipOn': 'Live',
  'live.chipOff': 'Live not connected',
  'live.connected': 'Live connected',
  'live.notConnected': 'Live not connected',
  'live.howIntro': 'MusiaIA talks to Live through its Remote Script. To connect:',
  'live.how1': 'Run `python3 install.py` in the MusiaIA folder: it installs the MusiaIA Remote Script.',
  'live.how2': 'Open Live → Preferences → Link, Tempo & MIDI.',
  'live.how3': 'Under Control Surface choose `MusiaIA`.',
  'live.how4': 'Keep the companion running: this panel updates by itself.',
  'live.routesMissing': 'This companion does not offer the Live connection yet.',
  'live.errorDetail': 'Last error: {detail}',
  'live.disabled': 'The Live connection is switched off in this companion (`MUSIAIA_LIVE_ENABLED=false`).',
  'live.tempo': 'Tempo',
  'live.transport': 'Transport',
  'live.playing': 'Playing',
  'live.stopped': 'Stopped',
  'live.key': 'Key',
  'live.meter': 'Time signature',
  'live.position': 'Position',
  'live.tracks': 'Tracks ({n})',
  'live.noTracks': 'The set has no tracks.',
  'live.selected': 'selected',
  'live.type.midi': 'MIDI',
  'live.type.audio': 'Audio',
  'live.type.group': 'Group',
  'live.type.return': 'Return',
  'live.sending': 'Sending to Live…',
  'live.waiting': 'Waiting for Live…',
  'live.loading': 'Loading in Live…',
  'live.phase.sending': 'Sending the song to Live…',
  'live.phase.building': 'Building tracks and clips in Live…',
  'live.phase.done': 'Finishing…',
  'live.loaded': 'Loaded in Live ✓',
  'live.loadedWithNotes': 'Loaded in Live, with notes:',
  'live.failed': 'Live could not load the set.',
  'live.cancel': 'Cancel',
  'live.cancelling': 'Cancelling in Live…',
  'live.cancelled': 'Cancelled: what was built is removed again (the set is as it was).',
  'live.limitsTitle': 'What Send to Live cannot build ({n})',
  'live.limitsHint': 'Live’s API gives a script no way to make these; “Open in Live” opens the .als with all of it.',
  'live.noAnswer': 'No answer from Live. Is it open with the MusiaIA control surface?',
  'live.opening': 'Opening in Live…',
  'live.opened': 'Asked Live to open the set ✓',
  'live.unavailable': 'This companion cannot talk to Live yet.',
  'live.notConnectedShort': 'Live is not connected — see the Live tab',
  'live.progress': 'Progress in Live',
  'live.seeStatus': 'See Live status',
  'live.openFailed': 'Could not open the set in Live: {detail}',
  'samples.title': 'Sample library',
  'samples.search': 'Search',
  'samples.searchPlaceholder': 'Name or tag…',
  'samples.type': 'Type',
  'samples.style': 'Style',
  'samples.key': 'Key',
  'samples.bpm': 'BPM',
  'samples.bpmMin': 'Minimum BPM',
  'samples.bpmMax': 'Maximum BPM',
  'samples.min': 'min',
  'samples.max': 'max',
  'samples.any': 'Any',
  'samples.drop': 'Drop audio files here or',
  'samples.choose': 'choose files',
  'samples.formats': 'WAV, AIFF or FLAC',
  'samples.kind': 'Loop / one-shot',
  'samples.loops': 'Loops',
  'samples.oneShots': 'One-shots',
  'samples.uploads': 'Uploads',
  'samples.results': 'Samples',
  'samples.pages': 'Pages',
  'samples.prev': 'Previous',
  'samples.next': 'Next',
  'samples.pageOf': 'Page {page} of {pages}',
  'samples.total': '{n} samples',
  'samples.total1': '1 sample',
  'samples.empty': 'No samples match. Drop some files above to add them.',
  'samples.unavailable': 'The sample library is not available in this companion yet.',
  'samples.searchFailed': 'Search failed: {detail}',
  'samples.preview': 'Listen to {name}',
  'samples.stopPreview': 'Stop {name}',
  'samples.previewFailed': 'Could not play {name}: {detail}',
  'samples.loop': 'loop',
  'samples.oneShot': 'one-shot',
  'samples.waiting': 'Waiting…',
  'samples.uploading': 'Uploading… {pct}%',
  'samples.added': 'Added to the library',
  'samples.duplicate': 'Already in the library',
  'samples.tooLarge': 'File too large',
  'samples.unsupported': 'Not a supported audio format',
  'samples.invalid': 'Not a usable audio file',
  'samples.refused': 'Not added',
  'samples.unusable': 'not used in sets',
  'samples.unusableReason': 'MusiaIA will not use it: {reason}',
  'samples.skipped': '{n} files in your library are not used, and why',
  'samples.skipped1': '1 file in your library is not used, and why',
  'samples.skippedMore': '… and {n} more',
  'samples.delete': 'Delete',
  'samples.deleteOf': 'Delete {name} from your uploads',
  'samples.confirmDelete': 'Delete?',
  'samples.confirmDeleteOf': 'Click again to delete {name}',
  'samples.deleteFailed': 'Could not delete {name}: {detail}',
  'samples.dismiss': 'Dismiss {name}',
  'samples.types.kick': 'Kick',
  'samples.types.snare': 'Snare',
  'samples.types.clap': 'Clap',
  'samples.types.closed_hat': 'Closed hat',
  'samples.types.open_hat': 'Open hat',
  'samples.types.hat': 'Hat',
  'samples.types.cymbal': 'Cymbal',
  'samples.types.perc': 'Percussion',
  'samples.types.drums': 'Drums',
  'samples.types.808': '808',
  'samples.types.bass': 'Bass',
  'samples.types.lead': 'Lead',
  'samples.types.keys': 'Keys',
  'samples.types.chord': 'Chord',
  'samples.types.pad': 'Pad',
  'samples.types.synth': 'Synth',
  'samples.types.fx': 'FX',
  'samples.types.vocal': 'Vocal',
  'error.http': 'The companion answered with an error (HTTP {status}).',
  'error.network': 'Could not reach the companion.',
};

const es = {
  skip: 'Saltar al contenido',
  loading: 'Cargando…',
  signout: 'Salir',
  'lang.label': 'Idioma',
  'conn.connecting': 'Conectando…',
  'conn.online': 'Conectado',
  'conn.reconnecting': 'Reconectando…',
  'conn.reconnectingIn': 'Reconectando en {s} s…',
  'conn.offline': 'Sin conexión',
  'conn.retry': 'Reintentar ya',
  'conn.back': 'Conexión recuperada.',
  'signin.title': 'Entra en MusiaIA',
  'signin.intro':
    'Abre el enlace de acceso que el compañero imprime al arrancar, o entra con tu usuario y contraseña.',
  'signin.user': 'Usuario',
  'signin.password': 'Contraseña',
  'signin.submit': 'Entrar',
  'signin.busy': 'Entrando…',
  'signin.hint': '¿Sin contraseña? Ejecuta `musiaia login-link` para obtener un enlace nuevo.',
  'signin.linkFailed': 'Ese enlace de acceso no ha funcionado (sirven una vez y caducan): {detail}',
  'signin.expired': 'Tu sesión ha terminado. Vuelve a entrar.',
  'signin.failed': 'No se pudo entrar: {detail}',
  'signin.missing': 'Escribe tu usuario y tu contraseña.',
  'tabs.label': 'Secciones',
  'tabs.chat': 'Chat',
  'tabs.project': 'Proyectos',
  'tabs.samples': 'Muestras',
  'tabs.live': 'Live',
  'tabs.settings': 'Ajustes',
  'settings.title': 'Ajustes',
  'settings.engine': 'Modelo de lenguaje para tus mensajes',
  'settings.engineHint':
    'Se usa para tu cuenta antes del enrutado del propio companion. Si no responde a tiempo, MusiaIA responde sin conexión.',
  'settings.auto': 'Automático',
  'settings.autoDetail': 'Decide el companion: {chain}',
  'settings.local': 'Modelo local ({model})',
  'settings.localDetail': 'Funciona en tu ordenador (Ollama, LM Studio, llama.cpp, vLLM); nunca recurre a la nube.',
  'settings.cloudDetail': 'Modelo en la nube: tus mensajes van a su proveedor.',
  'settings.offline': 'Sin conexión',
  'settings.offlineDetail': 'Sin modelo de lenguaje: el analizador y las respuestas propias de MusiaIA. Nada sale de este ordenador.',
  'settings.onMachine': 'en este ordenador',
  'settings.setup': 'No está configurado: define {setting} donde corre el companion y reinícialo.',
  'settings.saving': 'Guardando…',
  'settings.saved': 'Guardado: {engine}',
  'settings.live': 'Ableton Live',
  'settings.autoload': 'Añadir lo que pido al set abierto en Live',
  'settings.autoloadHint':
    'Con Live conectado, una canción o un cambio hecho en el chat se crea en el set abierto por sí solo (un Cmd+Z lo quita). Desactivado: usa «Enviar a Live» en su tarjeta.',
  'settings.autoloadOn': 'Activado: lo que pidas entra en Live por sí solo.',
  'settings.autoloadOff': 'Desactivado: usa «Enviar a Live» en una tarjeta.',
  'chat.title': 'Chat',
  'chat.log': 'Conversación',
  'chat.emptyLead': 'Describe el track que quieres y MusiaIA escribe el set de Live.',
  'chat.emptyTry': 'Prueba con:',
  'chat.try1': 'Genera un track de house a 124 BPM en La menor',
  'chat.try2': 'Techno oscuro en Fa menor, 64 compases, sin lead',
  'chat.try3': '¿Qué es la compresión sidechain?',
  'chat.inputLabel': 'Mensaje',
  'chat.placeholder': 'Describe un track o pide un cambio…',
  'chat.send': 'Enviar',
  'chat.hint': 'Enter envía · Shift+Enter añade una línea',
  'chat.notConnected': 'Ahora mismo no hay conexión con el compañero. Tu mensaje sigue aquí; envíalo de nuevo cuando vuelva la conexión.',
  'chat.building': 'Construyendo el set',
  'chat.built': 'Hecho en {n} pasos',
  'chat.engine': 'Motor: {engine}',
  'chat.engineTitle': 'Qué motor escribió esta respuesta',
  'chat.errorTitle': 'No se pudo hacer:',
  'chat.unknownError': 'algo ha fallado.',
  'chat.restored': ' Tu mensaje vuelve a estar en la caja para que lo corrijas.',
  'chat.lost': 'Se perdió la conexión mientras esperaba esta respuesta. Aparecerá aquí cuando vuelva el compañero.',
  'chat.openProject': 'Abrir {name} (v{version})',
  'chat.showProject': 'Ver el proyecto',
  'chat.fromLive': 'Creado desde Live: {name}.',
  'chat.you': 'Tú:',
  'chat.assistant': 'MusiaIA:',
  'step.understanding': 'Entendiendo la petición',
  'step.composing': 'Componiendo el arreglo',
  'step.choosing_sounds': 'Eligiendo sonidos',
  'step.mixing': 'Mezclando y automatizando',
  'step.laying_out': 'Colocando pistas, clips y escenas',
  'step.writing': 'Escribiendo los archivos del proyecto',
  'projects.title': 'Proyectos',
  'projects.count': '{n} en total',
  'projects.empty': 'Aún no hay proyectos. Pide un track en el chat, por ejemplo «house a 124 BPM en La menor».',
  'projects.details': 'Estilo, tempo, tonalidad y duración',
  'projects.bars': '{n} compases',
  'projects.barsFrom': '{n} compases desde el compás {bar}',
  'projects.sections': '{n} secciones',
  'projects.sectionsLabel': 'Secciones',
  'projects.tracks': '{n} pistas',
  'projects.versionTitle': 'Versión mostrada',
  'projects.versions': 'Versiones',
  'projects.original': 'Primera versión',
  'projects.actions': 'Acciones del proyecto',
  'projects.downloadAls': '.als',
  'projects.downloadZip': '.zip',
  'projects.sendToLive': 'Enviar a Live',
  'projects.openInLive': 'Abrir en Live',
  'projects.downloading': 'Descargando…',
  'projects.downloaded': 'Guardado {name}',
  'projects.loading': 'Cargando…',
  'roll.title': 'Piano roll',
  'roll.region': 'Piano roll: pistas en el tiempo',
  'roll.zoom': 'Zoom',
  'roll.zoomIn': 'Acercar',
  'roll.zoomOut': 'Alejar',
  'roll.fit': 'Ajustar',
  'roll.help': 'Haz clic en la regla o en las notas para reproducir desde ahí · Ctrl + rueda o pellizco para el zoom · Espacio reproduce/para',
  'roll.summary': '{title}. Pistas y notas: {tracks}. Secciones: {sections}.',
  'roll.bar': 'compás',
  'roll.audioLoop': 'Loop de audio',
  'roll.audioSummary': 'loop de audio {loop}, {clips} clips',
  'player.label': 'Escucha previa',
  'player.play': 'Reproducir',
  'player.stop': 'Parar',
  'player.rewind': 'Volver al principio',
  'player.volume': 'Volumen de la escucha',
  'player.blocked': 'El navegador aún no permite el audio; pulsa Reproducir otra vez.',
  'player.soundsLoading': 'Cargando sonidos',
  'player.soundsPartial': '{n} sonidos no disponibles: sintetizados',
  'player.soundsFallback': 'Suenan con el sintetizador: {parts}',
  'render.toggle': 'Audio renderizado',
  'render.toggleTitle': 'Reproducir el set renderizado como lo toca Live (sin marcar: la escucha instantánea)',
  'render.rendering': 'Renderizando el audio…',
  'render.ready': 'Suena el audio renderizado',
  'render.preview': 'Suena la escucha instantánea',
  'render.unavailable': 'Sin render en este ordenador: escucha instantánea',
  'render.failed': 'El render falló ({detail}): escucha instantánea',
  'render.download': 'Descargar audio',
  'render.downloading': 'Renderizando y descargando el audio…',
  'render.downloaded': 'Guardado {name}',
  'chat.downloadAudio': 'Descargar el audio (FLAC)',
  'live.title': 'Ableton Live',
  'live.refresh': 'Actualizar',
  'live.chipOn': 'Live',
  'live.chipOff': 'Live no conectado',
  'live.connected': 'Live conectado',
  'live.notConnected': 'Live no conectado',
  'live.howIntro': 'MusiaIA habla con Live a través de su Remote Script. Para conectarlo:',
  'live.how1': 'Ejecuta `python3 install.py` en la carpeta de MusiaIA: instala el Remote Script de MusiaIA.',
  'live.how2': 'Abre Live → Preferencias → Link, Tempo & MIDI.',
  'live.how3': 'En Control Surface elige `MusiaIA`.',
  'live.how4': 'Deja el compañero en marcha: este panel se actualiza solo.',
  'live.routesMissing': 'Este compañero todavía no ofrece la conexión con Live.',
  'live.errorDetail': 'Último error: {detail}',
  'live.disabled': 'La conexión con Live está desactivada en este compañero (`MUSIAIA_LIVE_ENABLED=false`).',
  'live.tempo': 'Tempo',
  'live.transport': 'Transporte',
  'live.playing': 'Reproduciendo',
  'live.stopped': 'Parado',
  'live.key': 'Tonalidad',
  'live.meter': 'Compás',
  'live.position': 'Posición',
  'live.tracks': 'Pistas ({n})',
  'live.noTracks': 'El set no tiene pistas.',
  'live.selected': 'seleccionada',
  'live.type.midi': 'MIDI',
  'live.type.audio': 'Audio',
  'live.type.group': 'Grupo',
  'live.type.return': 'Retorno',
  'live.sending': 'Enviando a Live…',
  'live.waiting': 'Esperando a Live…',
  'live.loading': 'Cargando en Live…',
  'live.phase.sending': 'Enviando la canción a Live…',
  'live.phase.building': 'Creando pistas y clips en Live…',
  'live.phase.done': 'Terminando…',
  'live.loaded': 'Cargado en Live ✓',
  'live.loadedWithNotes': 'Cargado en Live, con avisos:',
  'live.failed': 'Live no pudo cargar el set.',
  'live.cancel': 'Cancelar',
  'live.cancelling': 'Cancelando en Live…',
  'live.cancelled': 'Cancelado: lo que se había creado se ha quitado (el set está como estaba).',
  'live.limitsTitle': 'Lo que «Enviar a Live» no puede crear ({n})',
  'live.limitsHint': 'La API de Live no deja a un script crear esto; «Abrir en Live» abre el .als con todo.',
  'live.noAnswer': 'Live no responde. ¿Está abierto con la superficie de control MusiaIA?',
  'live.opening': 'Abriendo en Live…',
  'live.opened': 'Se ha pedido a Live que abra el set ✓',
  'live.unavailable': 'Este compañero todavía no puede hablar con Live.',
  'live.notConnectedShort': 'Live no está conectado — mira la pestaña Live',
  'live.progress': 'Progreso en Live',
  'live.seeStatus': 'Ver el estado de Live',
  'live.openFailed': 'No se pudo abrir el set en Live: {detail}',
  'samples.title': 'Biblioteca de muestras',
  'samples.search': 'Buscar',
  'samples.searchPlaceholder': 'Nombre o etiqueta…',
  'samples.type': 'Tipo',
  'samples.style': 'Estilo',
  'samples.key': 'Tonalidad',
  'samples.bpm': 'BPM',
  'samples.bpmMin': 'BPM mínimo',
  'samples.bpmMax': 'BPM máximo',
  'samples.min': 'mín',
  'samples.max': 'máx',
  'samples.any': 'Cualquiera',
  'samples.drop': 'Suelta aquí archivos de audio o',
  'samples.choose': 'elige archivos',
  'samples.formats': 'WAV, AIFF o FLAC',
  'samples.kind': 'Loop / one-shot',
  'samples.loops': 'Loops',
  'samples.oneShots': 'One-shots',
  'samples.uploads': 'Subidas',
  'samples.results': 'Muestras',
  'samples.pages': 'Páginas',
  'samples.prev': 'Anterior',
  'samples.next': 'Siguiente',
  'samples.pageOf': 'Página {page} de {pages}',
  'samples.total': '{n} muestras',
  'samples.total1': '1 muestra',
  'samples.empty': 'Ninguna muestra coincide. Suelta archivos arriba para añadirlos.',
  'samples.unavailable': 'La biblioteca de muestras aún no está disponible en este compañero.',
  'samples.searchFailed': 'La búsqueda falló: {detail}',
  'samples.preview': 'Escuchar {name}',
  'samples.stopPreview': 'Parar {name}',
  'samples.previewFailed': 'No se pudo reproducir {name}: {detail}',
  'samples.loop': 'loop',
  'samples.oneShot': 'one-shot',
  'samples.waiting': 'En espera…',
  'samples.uploading': 'Subiendo… {pct}%',
  'samples.added': 'Añadida a la biblioteca',
  'samples.duplicate': 'Ya estaba en la biblioteca',
  'samples.tooLarge': 'Archivo demasiado grande',
  'samples.unsupported': 'Formato de audio no admitido',
  'samples.invalid': 'No es un archivo de audio utilizable',
  'samples.refused': 'No se ha añadido',
  'samples.unusable': 'no se usa en sets',
  'samples.unusableReason': 'MusiaIA no lo usará: {reason}',
  'samples.skipped': '{n} archivos de tu biblioteca no se usan, y por qué',
  'samples.skipped1': '1 archivo de tu biblioteca no se usa, y por qué',
  'samples.skippedMore': '… y {n} más',
  'samples.delete': 'Borrar',
  'samples.deleteOf': 'Borrar {name} de tus subidas',
  'samples.confirmDelete': '¿Borrar?',
  'samples.confirmDeleteOf': 'Pulsa otra vez para borrar {name}',
  'samples.deleteFailed': 'No se pudo borrar {name}: {detail}',
  'samples.dismiss': 'Quitar {name}',
  'samples.types.kick': 'Bombo',
  'samples.types.snare': 'Caja',
  'samples.types.clap': 'Palmas',
  'samples.types.closed_hat': 'Hat cerrado',
  'samples.types.open_hat': 'Hat abierto',
  'samples.types.hat': 'Hat',
  'samples.types.cymbal': 'Platillo',
  'samples.types.perc': 'Percusión',
  'samples.types.drums': 'Batería',
  'samples.types.808': '808',
  'samples.types.bass': 'Bajo',
  'samples.types.lead': 'Lead',
  'samples.types.keys': 'Teclas',
  'samples.types.chord': 'Acorde',
  'samples.types.pad': 'Pad',
  'samples.types.synth': 'Sinte',
  'samples.types.fx': 'FX',
  'samples.types.vocal': 'Voz',
  'error.http': 'El compañero respondió con un error (HTTP {status}).',
  'error.network': 'No se pudo contactar con el compañero.',
};

export const STRINGS = { en, es };

function initial() {
  try {
    const saved = localStorage.getItem(LANG_KEY);
    if (LANGUAGES.includes(saved)) return saved;
  } catch {
    /* no storage */
  }
  const wanted = navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language];
  for (const tag of wanted) {
    const base = String(tag || '').toLowerCase().split('-')[0];
    if (LANGUAGES.includes(base)) return base;
  }
  return 'en';
}

let lang = initial();
const listeners = new Set();

export function getLang() {
  return lang;
}

/** t('projects.bars', {n: 96}); a missing key falls back to English, then to `fallback`. */
export function t(key, vars = {}, fallback = undefined) {
  let text = STRINGS[lang][key] ?? en[key] ?? fallback ?? key;
  for (const [name, value] of Object.entries(vars || {})) {
    text = text.replaceAll(`{${name}}`, String(value));
  }
  return text;
}

export function stepLabel(step, label) {
  const key = `step.${step}`;
  return STRINGS[lang][key] ?? label ?? step;
}

export function setLang(next, { remember = true } = {}) {
  if (!LANGUAGES.includes(next)) return;
  lang = next;
  if (remember) {
    try {
      localStorage.setItem(LANG_KEY, next);
    } catch {
      /* no storage */
    }
  }
  applyStatic();
  for (const listener of listeners) listener(lang);
}

export function onLangChange(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function applyStatic(root = document) {
  document.documentElement.lang = lang;
  root.querySelectorAll('[data-i18n]').forEach((node) => {
    node.textContent = t(node.dataset.i18n);
  });
  root.querySelectorAll('[data-i18n-rich]').forEach((node) => {
    node.replaceChildren(rich(t(node.dataset.i18nRich)));
  });
  root.querySelectorAll('[data-i18n-attr]').forEach((node) => {
    for (const pair of node.dataset.i18nAttr.split(';')) {
      const [attr, key] = pair.split(':');
      if (attr && key) node.setAttribute(attr.trim(), t(key.trim()));
    }
  });
}

const locale = () => (lang === 'es' ? 'es-ES' : 'en-GB');

/** Server times are UTC; some come without an offset. */
function parseTime(value) {
  if (!value) return null;
  if (value instanceof Date) return value;
  const text = String(value);
  const date = new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(text) ? text : `${text}Z`);
  return Number.isNaN(date.getTime()) ? null : date;
}

export function formatTime(value) {
  const date = parseTime(value);
  return date ? date.toLocaleTimeString(locale(), { hour: '2-digit', minute: '2-digit' }) : '';
}

export function formatDate(value) {
  const date = parseTime(value);
  if (!date) return '';
  const today = new Date();
  const sameDay = date.toDateString() === today.toDateString();
  return sameDay
    ? date.toLocaleTimeString(locale(), { hour: '2-digit', minute: '2-digit' })
    : date.toLocaleString(locale(), { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
}

export function formatBpm(bpm) {
  const n = Number(bpm);
  if (!Number.isFinite(n)) return '—';
  return Number.isInteger(n) ? String(n) : n.toFixed(1).replace(/\.0$/, '');
}
