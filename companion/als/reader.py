"""Read any Live set (Live 10–12, ours or Live's own) back into an :class:`Arrangement`.

What a set holds musically — tempo, meter, key, MIDI tracks, clips, notes, audio tracks and the
loops they play, locators — is read from Live's elements. Sets written by MusiaIA also carry a
small JSON note in the set's Annotation (style, mood, seed, track roles, section kinds and
energy, chords, each loop's own tempo) so the round trip writer → reader gives back exactly the
same arrangement; for other sets those are inferred.
"""

from __future__ import annotations

import gzip
import math
import zlib
from pathlib import Path

from lxml import etree
from pydantic import ValidationError

from companion.als.audio import WARP_MODE_NAMES
from companion.als.codes import decode_time_signature
from companion.als.devices import DRUM_RECEIVING_BASE, PROJECT_RELATIVE
from companion.als.metadata import parse_metadata
from companion.als.racks import gain_to_db
from companion.als.read_production import read_production
from companion.arrangement import (
    AmpEnvelope,
    Arrangement,
    AudioLoop,
    ChordEvent,
    Clip,
    DrumPad,
    Instrument,
    KeyZone,
    Note,
    Role,
    SampleFile,
    SampleLoop,
    Section,
    Track,
    round_beats,
)
from companion.music.theory import bar_beats, format_key
from companion.naming import role_from_name, section_kind_from_name

MAX_ALS_BYTES = 512 * 1024 * 1024  # refuse absurd inputs rather than exhausting memory
MAX_LOOP_BEATS = 4096  # AudioLoop's limit: longer audio (a whole recorded take) is left out

_SCALE_MODES = {"major": "major", "ionian": "major", "minor": "minor", "aeolian": "minor"}
_NUMERIC_SCALE_MODES = {"0": "major", "1": "minor"}  # Live 12.1+ stores an index


class AlsReadError(ValueError):
    """The file is not a Live set we can read."""


def load_als_xml(source: bytes) -> etree._Element:
    data = source
    if data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError, zlib.error) as exc:
            raise AlsReadError(f"corrupt gzip data: {exc}") from exc
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    try:
        root = etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise AlsReadError(f"not valid XML: {exc}") from exc
    if root.tag != "Ableton" or root.find("LiveSet") is None:
        raise AlsReadError("not an Ableton Live set (no <Ableton><LiveSet>)")
    return root


def read_als(path: str | Path) -> Arrangement:
    path = Path(path)
    size = path.stat().st_size
    if size > MAX_ALS_BYTES:
        raise AlsReadError(f"{path.name} is {size} bytes; too large for a Live set")
    return parse_als(path.read_bytes(), title=path.stem)


def parse_als(source: bytes, title: str = "Live Set") -> Arrangement:
    root = load_als_xml(source)
    live_set = root.find("LiveSet")
    meta = _metadata(live_set)
    main = live_set.find("MainTrack")
    if main is None:
        main = live_set.find("MasterTrack")
    mixer = None
    if main is not None:
        mixer = main.find("DeviceChain/Mixer")
        if mixer is None:
            mixer = main.find("MasterChain/Mixer")  # Live 8
    bpm = _float(mixer, "Tempo/Manual", 120.0)
    bpm = min(999.0, max(20.0, bpm))
    code = _value(mixer, "TimeSignature/Manual")
    time_signature = (
        decode_time_signature(int(code)) if code and code.lstrip("-").isdigit() else (4, 4)
    )
    beats_per_bar = bar_beats(*time_signature)

    placed = _tracks(live_set, meta, bpm)
    tracks = [track for track, _ in placed]
    song_end = max((clip.end for track in tracks for clip in track.clips), default=0.0)
    locators = _locators(live_set)
    bars = meta.get("bars") or max(
        1,
        math.ceil(round(song_end / beats_per_bar, 6)),
        *(math.floor(t / beats_per_bar) + 1 for _, t in locators),
    )
    sections = _sections(locators, beats_per_bar, bars, meta)
    starts = {round(s.start_bar * beats_per_bar, 6): i for i, s in enumerate(sections)}
    for track in tracks:
        for clip in track.clips:
            clip.section = starts.get(round(clip.start, 6))
    returns, main_bus = read_production(live_set, placed)
    return Arrangement(
        title=meta.get("title") or title,
        style=meta.get("style"),
        mood=meta.get("mood"),
        bpm=bpm,
        key=_key(live_set),
        time_signature=time_signature,
        bars=bars,
        seed=meta.get("seed"),
        sections=sections,
        tracks=tracks,
        chords=[
            ChordEvent(start=c[0], duration=c[1], root=c[2], quality=c[3], symbol=c[4])
            for c in meta.get("chords", [])
        ],
        returns=returns,
        main=main_bus,
    )


def _metadata(live_set: etree._Element) -> dict:
    return parse_metadata(_value(live_set, "Annotation"))


def _value(elem: etree._Element | None, path: str) -> str | None:
    if elem is None:
        return None
    found = elem.find(path)
    return None if found is None else found.get("Value")


def _float(elem: etree._Element | None, path: str, default: float) -> float:
    raw = _value(elem, path)
    try:
        value = float(raw) if raw is not None else default
    except ValueError:
        return default
    return value if math.isfinite(value) else default


def _key(live_set: etree._Element) -> str | None:
    """The set's key when Live's scale mode is on (InKey), in MusiaIA's key format."""
    if _value(live_set, "InKey") != "true":
        return None
    info = live_set.find("ScaleInformation")
    if info is None:
        return None
    root = _value(info, "RootNote") or _value(info, "Root")
    name = (_value(info, "Name") or "").strip().lower()
    mode = _NUMERIC_SCALE_MODES.get(name) if name.isdigit() else _SCALE_MODES.get(name)
    if root is None or not root.isdigit() or mode is None:
        return None
    return format_key(int(root), mode)


def _color(track: etree._Element) -> int:
    raw = _value(track, "Color")
    if raw is None:  # Live 10 stores track colours 140 above the Live 11+ palette index
        raw = _value(track, "ColorIndex")
        value = int(raw) - 140 if raw and raw.lstrip("-").isdigit() else 0
    else:
        value = int(raw) if raw.lstrip("-").isdigit() else 0
    return min(69, max(0, value))


_CLIP_TAGS = {"MidiTrack": "MidiClip", "AudioTrack": "AudioClip"}


def _tracks(
    live_set: etree._Element, meta: dict, song_bpm: float
) -> list[tuple[Track, etree._Element]]:
    """The MIDI and audio tracks read, each with its element."""
    roles = meta.get("roles") or []
    loops = meta.get("loops") or []
    result: list[tuple[Track, etree._Element]] = []
    track_elems = (
        [t for t in live_set.find("Tracks") if t.tag in _CLIP_TAGS]
        if live_set.find("Tracks") is not None
        else []
    )
    arranged = [_timeline_clips(t) for t in track_elems]
    use_session = not any(arranged)
    scene_starts = _scene_starts(track_elems) if use_session else {}
    for index, elem in enumerate(track_elems):
        name = (
            _value(elem, "Name/EffectiveName")
            or _value(elem, "Name/UserName")
            or f"Track {index + 1}"
        )
        placed = _session_clips(elem, scene_starts) if use_session else arranged[index]
        role = roles[index] if index < len(roles) else (role_from_name(name) or "other")
        color = _color(elem)
        if elem.tag == "AudioTrack":
            meta_loop = _meta_loop(loops[index] if index < len(loops) else None)
            track = _audio_track(name, role, color, placed, song_bpm, meta_loop)
            if track is not None:
                result.append((track, elem))
            continue
        clips = [clip for clip, _ in placed]
        track = Track(name=name, role=role, color=color, clips=clips, instrument=_instrument(elem))
        result.append((track, elem))
    return result


def _int(elem: etree._Element | None, path: str, default: int = 0) -> int:
    raw = _value(elem, path)
    return int(raw) if raw is not None and raw.lstrip("-").isdigit() else default


def _sample_file(ref: etree._Element, path: str, root_note: int = 60) -> SampleFile | None:
    """A SampleRef's file as the model holds it, at ``path`` inside the project."""
    try:
        return SampleFile(
            path=path,
            frames=max(1, _int(ref, "DefaultDuration", 1)),
            sample_rate=min(768000, max(1, _int(ref, "DefaultSampleRate", 44100))),
            root_note=min(127, max(0, root_note)),
            size=max(0, _int(ref, "FileRef/OriginalFileSize")),
            crc=min(0xFFFF, max(0, _int(ref, "FileRef/OriginalCrc"))),
            mtime=max(0, _int(ref, "LastModDate")),
        )
    except ValueError:
        return None


def _sample(simpler: etree._Element) -> SampleFile | None:
    """The first sample of a Simpler, when it lives inside the project folder."""
    part = simpler.find("Player/MultiSampleMap/SampleParts/MultiSamplePart")
    if part is None:
        return None
    ref = part.find("SampleRef")
    if ref is None or _value(ref, "FileRef/RelativePathType") != str(PROJECT_RELATIVE):
        return None  # Core Library or elsewhere on someone's disk: not part of the song data
    return _sample_file(ref, _value(ref, "FileRef/RelativePath") or "", _int(part, "RootKey", 60))


def _relative_parts(file_ref: etree._Element) -> list[str]:
    """A FileRef's relative path as parts: a string in Live 11+, a list of directories plus a
    Name in Live 10 (where an empty Dir means the parent folder)."""
    text = _value(file_ref, "RelativePath")
    if text is not None:
        parts = text.replace("\\", "/").split("/")
    else:
        parts = [
            e.get("Dir") or ".." for e in file_ref.iterfind("RelativePath/RelativePathElement")
        ]
        parts.append(_value(file_ref, "Name") or "")
    return [part for part in parts if part not in ("", ".")]


def project_sample_path(file_ref: etree._Element) -> str | None:
    """Where an audio clip's file is, relative to the Live Project folder.

    Live 11+ writes RelativePathType 3 for files in the project and 1 for paths relative to the
    set's folder (the project folder, where Live saves a set); both are used as they are. A file
    elsewhere (``..`` in the path, a library, an absolute path only) is given the place Live's
    "Collect All and Save" would copy it to, ``Samples/Imported/<file name>``: the track and its
    clips are kept, and a set written from them asks for the file where collecting puts it.
    """
    kind = _value(file_ref, "RelativePathType")
    parts = _relative_parts(file_ref)
    if kind in ("1", str(PROJECT_RELATIVE)) and parts and ".." not in parts:
        return "/".join(parts)
    absolute = (_value(file_ref, "Path") or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = parts[-1] if parts and parts[-1] != ".." else absolute
    return f"Samples/Imported/{name}" if name and name != ".." else None


def _meta_loop(raw: object) -> AudioLoop | None:
    try:
        return AudioLoop.model_validate(raw) if isinstance(raw, dict) else None
    except ValueError:
        return None


def _warp_markers(clip: etree._Element) -> list[tuple[float, float]]:
    markers = []
    for marker in clip.iterfind("WarpMarkers/WarpMarker"):
        try:
            sec, beat = float(marker.get("SecTime", "")), float(marker.get("BeatTime", ""))
        except ValueError:
            continue
        if math.isfinite(sec) and math.isfinite(beat):
            markers.append((sec, beat))
    return sorted(set(markers))


def _beat_at(markers: list[tuple[float, float]], seconds: float) -> float | None:
    """The beat a moment of the file falls on, following the warp markers (and, past the first
    or last one, the tempo of the nearest segment), as Live warps it."""
    if len(markers) < 2:
        return None
    index = 0
    while index + 2 < len(markers) and markers[index + 1][0] <= seconds:
        index += 1
    (s0, b0), (s1, b1) = markers[index], markers[index + 1]
    if s1 <= s0:
        return None
    slope = (b1 - b0) / (s1 - s0)
    anchor_sec, anchor_beat = (s1, b1) if seconds >= s1 else (s0, b0)
    return anchor_beat + (seconds - anchor_sec) * slope


def _clip_loop(clip: etree._Element, song_bpm: float) -> AudioLoop | None:
    """The loop an AudioClip plays: its file, how many song beats the whole file spans and the
    tempo that makes. An unwarped clip plays at the file's own speed: as a loop warped at the
    song's tempo it sounds the same."""
    ref = clip.find("SampleRef")
    file_ref = ref.find("FileRef") if ref is not None else None
    path = project_sample_path(file_ref) if file_ref is not None else None
    sample = _sample_file(ref, path) if path is not None else None
    if sample is None:
        return None
    seconds = sample.frames / sample.sample_rate
    if _value(clip, "IsWarped") == "true":
        markers = _warp_markers(clip)
        end, start = _beat_at(markers, seconds), _beat_at(markers, 0.0)
        beats = None if end is None or start is None else round_beats(end - start)
    else:
        beats = round_beats(seconds * song_bpm / 60)
    if beats is None or not 0 < beats <= MAX_LOOP_BEATS:
        return None
    code = _int(clip, "WarpMode", 0)
    return AudioLoop(
        sample=sample,
        beats=beats,
        bpm=min(999.0, max(20.0, beats * 60 / seconds)),
        warp_mode=WARP_MODE_NAMES.get(code, "beats"),
    )


def _audio_track(
    name: str,
    role: Role,
    color: int,
    placed: _Placed,
    song_bpm: float,
    meta_loop: AudioLoop | None,
) -> Track | None:
    """An audio track playing the loop of its first clip; clips playing other files are left out
    (the model's audio track plays one loop). MusiaIA's own note supplies what the clip cannot
    say (the file's own tempo, its root note) and the loop of a track without clips. A track
    with neither is left out."""
    loop = next((found for _, e in placed if (found := _clip_loop(e, song_bpm))), None)
    if loop is None:
        loop = meta_loop
    elif meta_loop is not None and meta_loop.sample.path == loop.sample.path:
        sample = loop.sample.model_copy(update={"root_note": meta_loop.sample.root_note})
        loop = loop.model_copy(update={"sample": sample, "bpm": meta_loop.bpm})
    if loop is None:
        return None
    clips = [clip for clip, elem in placed if _clip_path(elem) == loop.sample.path]
    return Track(name=name, role=role, color=color, clips=clips, audio=loop)


def _clip_path(clip: etree._Element) -> str | None:
    file_ref = clip.find("SampleRef/FileRef")
    return project_sample_path(file_ref) if file_ref is not None else None


def _clamp(value: float, low: float, high: float) -> float:
    return min(high, max(low, value))


def _voice(simpler: etree._Element, frames: int) -> dict:
    """A Simpler's playing settings in the model's terms (loop, envelope, level, glide, voices,
    low-pass), clamped to the model's ranges so any real set reads."""
    settings: dict = {}
    if _value(simpler, "Player/LoopModulators/LoopOn/Manual") == "true" and frames > 1:
        sample_length = _clamp(
            _float(simpler, "Player/LoopModulators/SampleLength/Manual", 1.0), 0, 1
        )
        loop_length = _clamp(_float(simpler, "Player/LoopModulators/LoopLength/Manual", 1.0), 0, 1)
        fade = _clamp(_float(simpler, "Player/LoopModulators/LoopFade/Manual", 0.0), 0, 1)
        end = min(frames, round(sample_length * frames))
        start = end - round(loop_length * end)
        if 0 <= start < end:
            settings["loop"] = SampleLoop(
                start=start, end=end, crossfade=round(fade * (end - start))
            )
    env = "VolumeAndPan/Envelope/"
    settings["envelope"] = AmpEnvelope(
        attack_ms=_clamp(_float(simpler, env + "AttackTime/Manual", 0.1000000015), 0.1, 20000),
        decay_ms=_clamp(_float(simpler, env + "DecayTime/Manual", 1.0), 1, 60000),
        sustain=_clamp(_float(simpler, env + "SustainLevel/Manual", 1.0), 0, 1),
        release_ms=_clamp(_float(simpler, env + "ReleaseTime/Manual", 300.0), 1, 60000),
    )
    settings["volume_db"] = _clamp(_float(simpler, "VolumeAndPan/Volume/Manual", -6.0), -36, 36)
    if _value(simpler, "Globals/PortamentoMode/Manual") not in (None, "0"):
        settings["glide_ms"] = _clamp(
            _float(simpler, "Globals/PortamentoTime/Manual", 0.0), 0, 2000
        )
    settings["mono"] = _value(simpler, "Globals/NumVoices") == "0"
    if _value(simpler, "Filter/IsOn/Manual") == "true":
        freq = _float(simpler, "Filter/Slot/Value/SimplerFilter/Freq/Manual", 22000.0)
        settings["filter_hz"] = _clamp(freq, 30, 22000)
    return settings


def _first_simpler(chain: etree._Element | None) -> etree._Element | None:
    if chain is None:
        return None
    devices = chain.find("Devices")
    first = devices[0] if devices is not None and len(devices) else None
    return first if first is not None and first.tag == "OriginalSimpler" else None


def _zones(rack: etree._Element) -> tuple[list[KeyZone], dict] | None:
    """An Instrument Rack of Simplers split across the keyboard (and by velocity), as key zones
    (None when its chains hold other devices or overlap: not a multi-sampled instrument the model
    holds)."""
    zones: list[KeyZone] = []
    settings: dict = {}
    for branch in rack.iterfind("Branches/InstrumentBranch"):
        simpler = _first_simpler(branch.find("DeviceChain/MidiToAudioDeviceChain"))
        sample = _sample(simpler) if simpler is not None else None
        if sample is None:
            return None
        voice = _voice(simpler, sample.frames)
        loop = voice.pop("loop", None)
        settings = settings or voice
        low = min(127, max(0, _int(branch, "ZoneSettings/KeyRange/Min", 0)))
        high = min(127, max(low, _int(branch, "ZoneSettings/KeyRange/Max", 127)))
        soft = min(127, max(1, _int(branch, "ZoneSettings/VelocityRange/Min", 1)))
        hard = min(127, max(soft, _int(branch, "ZoneSettings/VelocityRange/Max", 127)))
        zones.append(
            KeyZone(
                low=low,
                high=high,
                sample=sample,
                loop=loop,
                velocity_low=soft,
                velocity_high=hard,
            )
        )
    zones.sort(key=lambda zone: (zone.low, zone.velocity_low))
    if not zones:
        return None
    try:
        Instrument(kind="multi", name="", zones=zones)  # the model's rule: no chains overlap
    except ValidationError:
        return None
    return zones, settings


def _instrument(track: etree._Element) -> Instrument | None:
    """The track's first device when it is a Drum Rack of Simplers, a Simpler, or an Instrument
    Rack of key-split Simplers that we can describe."""
    devices = track.find("DeviceChain/DeviceChain/Devices")
    device = devices[0] if devices is not None and len(devices) else None
    if device is None:
        return None
    name = _value(device, "UserName") or ""
    if device.tag == "OriginalSimpler":
        sample = _sample(device)
        if sample is None:
            return None
        return Instrument(
            kind="simpler",
            name=name,
            sample=sample,
            one_shot=_value(device, "Globals/PlaybackMode") == "1",
            **_voice(device, sample.frames),
        )
    if device.tag == "InstrumentGroupDevice":
        found = _zones(device)
        if found is None:
            return None
        zones, settings = found
        return Instrument(kind="multi", name=name, zones=zones, **settings)
    if device.tag == "DrumGroupDevice":
        pads = []
        for branch in device.iterfind("Branches/DrumBranch"):
            simpler = branch.find("DeviceChain/MidiToAudioDeviceChain/Devices/OriginalSimpler")
            sample = _sample(simpler) if simpler is not None else None
            note = DRUM_RECEIVING_BASE - _int(branch, "BranchInfo/ReceivingNote", -1)
            if sample is None or not 0 <= note <= 127 or any(p.note == note for p in pads):
                continue
            transpose = _float(simpler, "Pitch/TransposeKey/Manual", 0.0)
            pads.append(
                DrumPad(
                    note=note,
                    name=_value(branch, "Name/EffectiveName") or "",
                    sample=sample,
                    choke_group=min(16, max(0, _int(branch, "BranchInfo/ChokeGroup"))),
                    volume_db=gain_to_db(_float(branch, "MixerDevice/Volume/Manual", 1.0)),
                    pan=_clamp(_float(branch, "MixerDevice/Panorama/Manual", 0.0), -1, 1),
                    transpose=round(_clamp(transpose, -48, 48)),
                )
            )
        return Instrument(kind="drum_rack", name=name, pads=pads) if pads else None
    return None


_Placed = list[tuple[Clip, etree._Element]]


def _timeline_clips(track: etree._Element) -> _Placed:
    """The track's arrangement clips (MIDI or audio, by track type) with their elements."""
    sequencer = "ClipTimeable" if track.tag == "MidiTrack" else "Sample"
    events = track.find(f"DeviceChain/MainSequencer/{sequencer}/ArrangerAutomation/Events")
    if events is None:
        return []
    placed = []
    for elem in events.iter(_CLIP_TAGS[track.tag]):
        clip = _clip(elem, _time(elem))
        if clip is not None:
            placed.append((clip, elem))
    return sorted(placed, key=lambda item: item[0].start)


def _time(elem: etree._Element) -> float:
    try:
        value = float(elem.get("Time", "0") or 0)
    except ValueError:
        return 0.0
    return value if math.isfinite(value) else 0.0


def _slot_clip(slot: etree._Element) -> etree._Element | None:
    for tag in ("MidiClip", "AudioClip"):
        clip = slot.find(f"ClipSlot/Value/{tag}")
        if clip is not None:
            return clip
    return None


def _scene_starts(tracks: list[etree._Element]) -> dict[int, float]:
    """For sets with session clips only: lay scenes end to end, each as long as its longest clip."""
    lengths: dict[int, float] = {}
    for track in tracks:
        for index, slot in enumerate(
            track.findall("DeviceChain/MainSequencer/ClipSlotList/ClipSlot")
        ):
            clip = _slot_clip(slot)
            if clip is not None:
                length = _float(clip, "CurrentEnd", 0) - _float(clip, "CurrentStart", 0)
                lengths[index] = max(lengths.get(index, 0.0), length)
    starts, position = {}, 0.0
    for index in sorted(lengths):
        starts[index] = position
        position += lengths[index]
    return starts


def _session_clips(track: etree._Element, scene_starts: dict[int, float]) -> _Placed:
    placed = []
    for index, slot in enumerate(track.findall("DeviceChain/MainSequencer/ClipSlotList/ClipSlot")):
        elem = _slot_clip(slot)
        if elem is not None and index in scene_starts:
            clip = _clip(elem, scene_starts[index])
            if clip is not None:
                placed.append((clip, elem))
    return placed


def _clip(elem: etree._Element, start: float) -> Clip | None:
    length = _float(elem, "CurrentEnd", 0) - _float(elem, "CurrentStart", 0)
    if not length > 0:
        return None
    loop_start = _float(elem, "Loop/LoopStart", 0)
    loop_end = _float(elem, "Loop/LoopEnd", loop_start + length)
    start_relative = _float(elem, "Loop/StartRelative", 0)
    looping = _value(elem, "Loop/LoopOn") == "true"
    period = loop_end - loop_start
    notes: list[Note] = []
    for key_track in elem.iterfind("Notes/KeyTracks/KeyTrack"):
        raw_key = _value(key_track, "MidiKey")
        if raw_key is None or not raw_key.lstrip("-").isdigit() or not 0 <= int(raw_key) <= 127:
            continue
        pitch = int(raw_key)
        for event in key_track.iterfind("Notes/MidiNoteEvent"):
            if event.get("IsEnabled", "true") != "true":
                continue
            try:
                time = float(event.get("Time", "0"))
                duration = float(event.get("Duration", "0"))
                velocity = float(event.get("Velocity", "100"))
            except ValueError:
                continue
            if not (math.isfinite(time) and math.isfinite(duration) and duration > 0):
                continue
            for offset in _occurrences(time, loop_start, period, start_relative, looping, length):
                notes.append(
                    Note(
                        pitch=pitch,
                        start=round_beats(offset),
                        duration=round_beats(min(duration, length - offset)) or 1e-6,
                        velocity=min(127, max(1, round(velocity))),
                    )
                )
    notes.sort(key=lambda n: (n.start, n.pitch))
    name = _value(elem, "Name") or ""
    return Clip(
        name=name, start=round_beats(max(0.0, start)), length=round_beats(length), notes=notes
    )


def _occurrences(
    time: float,
    loop_start: float,
    period: float,
    start_relative: float,
    looping: bool,
    length: float,
) -> list[float]:
    """Clip-relative positions where a note at content ``time`` sounds (loops unrolled)."""
    if not looping or period <= 0:
        offset = time - loop_start
        return [offset] if 0 <= offset < length else []
    if not loop_start <= time < loop_start + period:
        return []
    first = (time - loop_start - start_relative) % period
    count = int((length - first) // period) + 1 if first < length else 0
    return [first + k * period for k in range(min(count, 4096)) if first + k * period < length]


def _locators(live_set: etree._Element) -> list[tuple[str, float]]:
    found = []
    for locator in live_set.iterfind("Locators/Locators/Locator"):
        try:
            time = float(_value(locator, "Time") or "0")
        except ValueError:
            continue
        if math.isfinite(time) and time >= 0:
            found.append((_value(locator, "Name") or "", time))
    return sorted(found, key=lambda item: item[1])


def _sections(
    locators: list[tuple[str, float]], beats_per_bar: float, bars: int, meta: dict
) -> list[Section]:
    kinds = meta.get("sections") or []
    starts: list[tuple[str, int]] = []
    for name, time in locators:
        bar = int(round(time / beats_per_bar, 6) // 1)
        if bar < bars and (not starts or bar > starts[-1][1]):
            starts.append((name, bar))
    sections = []
    for index, (name, bar) in enumerate(starts):
        end = starts[index + 1][1] if index + 1 < len(starts) else bars
        if index < len(kinds):
            kind, energy = kinds[index][0], float(kinds[index][1])
        else:
            kind, energy = section_kind_from_name(name), 0.5
        sections.append(
            Section(
                name=name or f"Section {index + 1}",
                kind=kind,
                start_bar=bar,
                bars=max(1, end - bar),
                energy=energy,
            )
        )
    return sections
