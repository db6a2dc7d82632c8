"""Arrangement JSON → an ordered plan of small steps. Pure: no Live, no I/O.

The plan is executed a few steps per tick by builder.py so Live's UI never stutters. Steps are
plain tuples ``(kind, label, args)``; the builder decides at run time how to do each one on the
Live it finds (e.g. which arrangement-clip call exists).

Order: begin (undo step opens) → optional tempo/meter/scale → scenes → for each track: create it,
load its instrument, then for each clip: session clip, its notes in batches, arrangement clip, its
notes → finish (undo step closes). Clips go to the scene of their section (scene = section index,
relative to the first free run of scenes the builder finds). An audio track (``audio``: a loop) has
no instrument and no notes: its clips play the loop file.

Sample paths in the arrangement are relative to the project folder (``project_dir`` in the
payload). They are checked here, lexically (nothing on disk is looked at — Live itself refuses a
file it cannot read): a path must stay inside the project folder.
"""

import os

from .stepping import Stepped

NOTE_BATCH = 128
DEFAULT_OPTIONS = {
    "set_tempo": False,  # by default the companion fits the song to the set, so leave these
    "set_time_signature": False,
    "set_key": False,
    "instruments": True,
    "session": True,
    "arrangement": True,
    "note_batch": NOTE_BATCH,
    "scene_base": None,  # the scene of the first section (an answer goes next to its material)
    "production": True,  # faders, pans, sends, returns, effects, clip envelopes (when sent)
    "main_bus": False,  # Main's effects and fader: the producer's own chain is left alone
}
# The audio effects a production may load (by the name Live's browser and insert_device know).
EFFECTS = ("EQ Eight", "Compressor", "Glue Compressor", "Saturator", "Auto Filter", "Utility",
           "Limiter", "Reverb", "Delay")
TARGET_UNITS = ("db", "hz", "ms", "pct", "ratio", "number", "pan", "deg")
MAX_ENVELOPE_POINTS = 1024

# Live's Clip.warp_mode indices (5 is REX, for REX files only).
WARP_MODES = {"beats": 0, "tones": 1, "texture": 2, "repitch": 3, "complex": 4, "complex_pro": 6}
MAX_SAMPLE_PATH = 1024
_PITCH_CLASS = {"C": 0, "D": 2, "E": 4, "F": 5, "G": 7, "A": 9, "B": 11}
SCALE_NAMES = {"major": "Major", "minor": "Minor"}


class PlanError(ValueError):
    pass


def _number(value, where, low=None, high=None, positive=False):
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
        raise PlanError("%s must be a number" % where)
    if (low is not None and value < low) or (high is not None and value > high):
        raise PlanError("%s out of range" % where)
    if positive and value <= 0:
        raise PlanError("%s must be positive" % where)
    return value


def _integer(value, where, low=None, high=None):
    if isinstance(value, bool) or not isinstance(value, int):
        raise PlanError("%s must be an integer" % where)
    return _number(value, where, low, high)


def _text(value, where, limit=200):
    if not isinstance(value, str):
        raise PlanError("%s must be a string" % where)
    return value[:limit]


def parse_key(text):
    """"Am" → (9, "Minor"), "F#" → (6, "Major"), "Bbm" → (10, "Minor")."""
    if not isinstance(text, str) or not text.strip():
        raise PlanError("key must be a string like Am or F#")
    text = text.strip()
    letter = text[0].upper()
    if letter not in _PITCH_CLASS:
        raise PlanError("not a key: %r" % text)
    rest = text[1:]
    root = _PITCH_CLASS[letter]
    if rest[:1] == "#":
        root, rest = root + 1, rest[1:]
    elif rest[:1] == "b":
        root, rest = root - 1, rest[1:]
    if rest == "m":
        mode = "minor"
    elif rest == "":
        mode = "major"
    else:
        raise PlanError("not a key: %r" % text)
    return root % 12, SCALE_NAMES[mode]


def options_from(raw):
    options = dict(DEFAULT_OPTIONS)
    for key, value in (raw or {}).items():
        if key not in DEFAULT_OPTIONS:
            continue
        if key == "note_batch":
            options[key] = int(_integer(value, "options.note_batch", 1, 100000))
        elif key == "scene_base":
            if value is not None:
                options[key] = int(_integer(value, "options.scene_base", 0, 100000))
        elif isinstance(value, bool):
            options[key] = value
        else:
            raise PlanError("options.%s must be true or false" % key)
    return options


NOTES_PER_UNIT = 200  # notes checked per planning unit (a unit runs inside one tick's budget)


def _notes(raw, where, notes=None):
    """Check notes; a generator that pauses every NOTES_PER_UNIT notes (the checked notes go
    into ``notes``)."""
    if not isinstance(raw, list):
        raise PlanError("%s must be a list" % where)
    notes = [] if notes is None else notes
    for i, note in enumerate(raw):
        if i and i % NOTES_PER_UNIT == 0:
            yield
        at = "%s[%d]" % (where, i)
        if not isinstance(note, dict):
            raise PlanError("%s must be an object" % at)
        pitch = _integer(note.get("pitch"), at + ".pitch", 0, 127)
        start = float(_number(note.get("start"), at + ".start", 0))
        duration = float(_number(note.get("duration"), at + ".duration", positive=True))
        velocity = _integer(note.get("velocity", 100), at + ".velocity", 1, 127)
        notes.append((pitch, start, duration, velocity, False))


def sample_path(project_dir, relative, where):
    """The absolute path of a sample path relative to the project folder (None without a
    folder). Refuses anything that could leave the folder: absolute paths, drive letters,
    backslashes, empty, "." or ".." parts. Purely lexical: nothing on disk is looked at."""
    if not isinstance(relative, str) or not relative:
        raise PlanError("%s must be a path inside the project folder" % where)
    parts = relative.split("/")
    if (len(relative) > MAX_SAMPLE_PATH or "\\" in relative or "\x00" in relative
            or any(part in ("", ".", "..") for part in parts) or ":" in parts[0]
            or (os.name == "nt" and ":" in relative)):
        raise PlanError("%s must be a path inside the project folder: %r" % (where, relative))
    if project_dir is None:
        return None
    root = os.path.normpath(project_dir)
    resolved = os.path.normpath(os.path.join(root, *parts))
    inside = root if root.endswith(os.sep) else root + os.sep
    if not os.path.normcase(resolved).startswith(os.path.normcase(inside)):
        raise PlanError("%s leaves the project folder: %r" % (where, relative))
    return resolved


def _sample(raw, project_dir, where):
    """(file name, absolute path or None) of a SampleFile object."""
    if not isinstance(raw, dict):
        raise PlanError("%s must be an object" % where)
    relative = raw.get("path")
    path = sample_path(project_dir, relative, where + ".path")
    return relative.rsplit("/", 1)[-1], path


def _check_instrument(raw, project_dir, at):
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise PlanError("%s must be an object" % at)
    kind = raw.get("kind")
    if kind not in ("drum_rack", "simpler"):  # the companion sends a multi as its Simpler
        raise PlanError("%s.kind must be drum_rack or simpler" % at)
    pads = raw.get("pads") or []
    if not isinstance(pads, list):
        raise PlanError("%s.pads must be a list" % at)
    pad_files = []
    for i, pad in enumerate(pads):
        if not isinstance(pad, dict):
            raise PlanError("%s.pads[%d] must be an object" % (at, i))
        pad_files.append(_sample(pad.get("sample"), project_dir,
                                 "%s.pads[%d].sample" % (at, i))[0])
    spec = {"kind": kind, "name": _text(raw.get("name", ""), at + ".name"),
            "sample_name": None, "sample_path": None, "pads": pad_files}
    if kind == "simpler":
        if raw.get("sample") is None:
            raise PlanError("%s.sample: a Simpler needs a sample" % at)
        spec["sample_name"], spec["sample_path"] = _sample(raw.get("sample"), project_dir,
                                                           at + ".sample")
    return spec


def _check_audio(raw, project_dir, at):
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise PlanError("%s must be an object" % at)
    name, path = _sample(raw.get("sample"), project_dir, at + ".sample")
    if path is None:
        raise PlanError("%s: the payload has no project_dir to find the loop in" % at)
    warp_mode = raw.get("warp_mode", "beats")
    if warp_mode not in WARP_MODES:
        raise PlanError("%s.warp_mode must be one of %s" % (at, ", ".join(sorted(WARP_MODES))))
    if raw.get("bpm") is not None:
        _number(raw.get("bpm"), at + ".bpm", 20, 999)
    return {"name": name, "path": path,
            "beats": float(_number(raw.get("beats"), at + ".beats", high=4096, positive=True)),
            "warp_mode": warp_mode}


def _batches(notes, size):
    for i in range(0, len(notes), size):
        yield notes[i:i + size]


def _scene_assignments(tracks, sections, beats_per_bar):
    """Scene offset per (track, clip): the clip's section, else the section holding its start;
    a clash on one track moves the later clip to the next scene past the sections."""
    ranges = [(s["start_bar"] * beats_per_bar, (s["start_bar"] + s["bars"]) * beats_per_bar)
              for s in sections]
    result = {}
    for ti, track in enumerate(tracks):
        taken = set()
        overflow = len(sections)
        for ci, clip in enumerate(track["clips"]):
            scene = clip.get("section")
            if not (isinstance(scene, int) and 0 <= scene < len(sections)):
                scene = None
                for si, (start, end) in enumerate(ranges):
                    if start <= clip["start"] < end:
                        scene = si
                        break
            if scene is None or scene in taken:
                while overflow in taken:
                    overflow += 1
                scene = overflow
            taken.add(scene)
            result[(ti, ci)] = scene
    return result


class Planner(Stepped):
    """Builds the plan in small units (header, then each track: validate, then plan it) so a
    big song is checked and planned over several ticks without stalling Live.

    ``advance(budget_seconds, clock)`` returns True when done; ``steps`` and ``summary`` are then
    ready. Raises PlanError naming the first bad field. Nothing touches Live while planning, so a
    bad song fails before a single track is created.
    """

    def __init__(self, arrangement, raw_options=None, project_dir=None, production=None):
        self._arrangement = arrangement
        self._raw_options = raw_options
        self._project_dir = project_dir
        self._production = production
        self._units = self._run()
        self.done = False
        self.steps = []
        self.summary = None

    def _run(self):
        arrangement = self._arrangement
        if not isinstance(arrangement, dict):
            raise PlanError("arrangement must be an object")
        options = options_from(self._raw_options)
        title = _text(arrangement.get("title", "MusiaIA"), "title")
        bpm = _number(arrangement.get("bpm"), "bpm", 20, 999)
        signature = arrangement.get("time_signature", [4, 4])
        if not isinstance(signature, (list, tuple)) or len(signature) != 2:
            raise PlanError("time_signature must be [numerator, denominator]")
        numerator = _integer(signature[0], "time_signature[0]", 1, 99)
        denominator = _integer(signature[1], "time_signature[1]", 1, 16)
        if denominator not in (1, 2, 4, 8, 16):
            raise PlanError("time_signature[1] must be 1, 2, 4, 8 or 16")
        beats_per_bar = numerator * 4.0 / denominator
        key = arrangement.get("key")
        if options["set_key"] and key:
            parse_key(key)

        sections = arrangement.get("sections") or []
        if not isinstance(sections, list):
            raise PlanError("sections must be a list")
        for i, section in enumerate(sections):
            if not isinstance(section, dict):
                raise PlanError("sections[%d] must be an object" % i)
            _text(section.get("name", ""), "sections[%d].name" % i)
            _integer(section.get("start_bar"), "sections[%d].start_bar" % i, 0)
            _integer(section.get("bars"), "sections[%d].bars" % i, 1)

        tracks = arrangement.get("tracks")
        if not isinstance(tracks, list) or not tracks:
            raise PlanError("the arrangement has no tracks")
        yield
        checked_tracks = []
        for ti, track in enumerate(tracks):
            checked = []
            for _unit in _check_track(track, "tracks[%d]" % ti, self._project_dir, checked):
                yield
            checked_tracks.append(checked[0])
            yield

        production = None
        if self._production is not None and options["production"]:
            production = check_production(self._production, checked_tracks)
            yield
        scenes = _scene_assignments(checked_tracks, sections, beats_per_bar)
        scene_count = max(list(scenes.values()) + [len(sections) - 1]) + 1
        scene_names = [s.get("name", "") for s in sections]
        scene_names += [""] * (scene_count - len(scene_names))

        steps = self.steps
        steps.append(("begin", "Starting", {}))
        if options["set_tempo"]:
            steps.append(("tempo", "Tempo %s" % bpm, {"bpm": float(bpm)}))
        if options["set_time_signature"]:
            steps.append(("signature", "Time signature %d/%d" % (numerator, denominator),
                          {"numerator": numerator, "denominator": denominator}))
        if options["set_key"] and key:
            root, scale = parse_key(key)
            steps.append(("scale", "Key %s" % key, {"root_note": root, "scale_name": scale}))
        if options["session"] and scene_count:
            steps.append(("scenes", "Scenes", {"names": scene_names,
                                               "base": options["scene_base"]}))

        if production is not None:
            for ri, ret in enumerate(production["returns"]):
                steps.append(("return_track", "Return %s" % ret["name"],
                              {"return": ri, "name": ret["name"], "color": ret["color"]}))
                _device_steps(steps, ["return", ri], ret["name"], ret["devices"])
                steps.append(("mixer", "Return %s: mixer" % ret["name"],
                              {"owner": ["return", ri], "volume_db": ret["volume_db"],
                               "pan": ret["pan"], "sends": []}))
        envelopes = {}
        if production is not None:
            for envelope in production["clip_envelopes"]:
                envelopes.setdefault((envelope["track"], envelope["clip"]), []).append(envelope)
        batch = options["note_batch"]
        note_total = 0
        clip_total = 0
        audio_total = 0
        for ti, track in enumerate(checked_tracks):
            name = track["name"]
            audio = track["audio"]
            if audio is not None:
                audio_total += 1
                steps.append(("audio_track", "Track %s" % name,
                              {"track": ti, "name": name, "color": track["color"]}))
            else:
                steps.append(("track", "Track %s" % name,
                              {"track": ti, "name": name, "color": track["color"]}))
            if options["instruments"] and audio is None:
                steps.append(("instrument", "%s: instrument" % name,
                              {"track": ti, "role": track["role"],
                               "instrument": track["instrument"]}))
            if production is not None:
                mix = production["tracks"][ti]
                _device_steps(steps, ["track", ti], name, mix["devices"])
                steps.append(("mixer", "%s: mixer" % name,
                              {"owner": ["track", ti], "volume_db": mix["volume_db"],
                               "pan": mix["pan"], "sends": mix["sends"]}))
            for ci, clip in enumerate(track["clips"]):
                clip_total += 1
                note_total += len(clip["notes"])
                label = "%s: %s" % (name, clip["name"] or "clip %d" % (ci + 1))
                common = {"track": ti, "clip": ci, "name": clip["name"],
                          "color": track["color"], "length": clip["length"]}
                if audio is not None:
                    common = dict(common, loop=audio)
                    if options["session"]:
                        steps.append(("session_audio_clip", label,
                                      dict(common, scene=scenes[(ti, ci)])))
                    if options["arrangement"]:
                        steps.append(("arrangement_audio_clip", label + " (arrangement)",
                                      dict(common, start=clip["start"])))
                    continue
                if options["session"]:
                    steps.append(("session_clip", label, dict(common, scene=scenes[(ti, ci)])))
                    for notes in _batches(clip["notes"], batch):
                        steps.append(("session_notes", label,
                                      {"track": ti, "clip": ci, "notes": notes}))
                    for envelope in envelopes.get((ti, ci), ()):
                        steps.append(("envelope", "%s: envelope %s" % (label, envelope["name"]),
                                      envelope))
                if options["arrangement"]:
                    label_a = label + " (arrangement)"
                    steps.append(("arrangement_clip", label_a,
                                  dict(common, start=clip["start"],
                                       envelopes=bool(envelopes.get((ti, ci))))))
                    for notes in _batches(clip["notes"], batch):
                        steps.append(("arrangement_notes", label_a,
                                      {"track": ti, "clip": ci, "notes": notes}))
            yield
        if production is not None:
            for ti, mix in enumerate(production["tracks"]):
                for di, device in enumerate(mix["devices"]):
                    if device["sidechain"]:
                        steps.append(("sidechain", "%s: sidechain from %s"
                                      % (checked_tracks[ti]["name"], device["sidechain"]),
                                      {"owner": ["track", ti], "index": di,
                                       "source": device["sidechain"]}))
            if options["main_bus"]:
                main = production["main"]
                _device_steps(steps, ["main", 0], "Main", main["devices"])
                steps.append(("mixer", "Main: fader",
                              {"owner": ["main", 0], "volume_db": main["volume_db"],
                               "pan": None, "sends": []}))
        steps.append(("finish", "Finishing", {}))
        self.summary = {"title": title, "tracks": len(checked_tracks), "clips": clip_total,
                        "notes": note_total, "scenes": scene_count if options["session"] else 0,
                        "audio_tracks": audio_total, "steps": len(steps),
                        "returns": len(production["returns"]) if production else 0,
                        "track_names": [t["name"] for t in checked_tracks]}


def _device_steps(steps, owner, name, devices):
    for di, device in enumerate(devices):
        label = "%s: %s" % (name, device["device"])
        args = {"owner": owner, "index": di, "device": device["device"],
                "class_name": device["class_name"]}
        steps.append(("device", label, args))
        steps.append(("params", label + " settings",
                      {"owner": owner, "index": di, "device": device["device"],
                       "params": device["params"], "on": device["on"], "name": device["name"]}))


def _check_target(raw, where):
    if not isinstance(raw, dict):
        raise PlanError("%s must be an object" % where)
    if "switch" in raw:
        if not isinstance(raw["switch"], bool):
            raise PlanError("%s.switch must be true or false" % where)
        return {"switch": raw["switch"]}
    if "item" in raw:
        return {"item": _text(raw["item"], where + ".item", 64)}
    if "number" in raw:
        numbers = raw["number"]
        if not isinstance(numbers, list) or not 0 < len(numbers) <= 4:
            raise PlanError("%s.number must be a list of numbers" % where)
        checked = {"number": [float(_number(n, where + ".number")) for n in numbers]}
        if raw.get("unit") is not None:
            if raw["unit"] not in TARGET_UNITS:
                raise PlanError("%s.unit is not a unit" % where)
            checked["unit"] = raw["unit"]
        return checked
    if raw.get("unit") not in TARGET_UNITS:
        raise PlanError("%s.unit must be one of %s" % (where, ", ".join(TARGET_UNITS)))
    return {"unit": raw["unit"], "value": float(_number(raw.get("value"), where + ".value",
                                                       -1e6, 1e6))}


def _check_device(raw, where):
    if not isinstance(raw, dict):
        raise PlanError("%s must be an object" % where)
    if raw.get("device") not in EFFECTS:
        raise PlanError("%s.device must be one of %s" % (where, ", ".join(EFFECTS)))
    params = raw.get("params") or []
    if not isinstance(params, list) or len(params) > 128:
        raise PlanError("%s.params must be a list" % where)
    checked = []
    for i, entry in enumerate(params):
        at = "%s.params[%d]" % (where, i)
        if not isinstance(entry, list) or len(entry) != 3:
            raise PlanError("%s must be [names, target, label]" % at)
        names, target, label = entry
        if not isinstance(names, list) or not 0 < len(names) <= 4:
            raise PlanError("%s: names must be a list" % at)
        checked.append([[_text(n, at + ".names", 64) for n in names],
                        _check_target(target, at + ".target"), _text(label, at, 64)])
    sidechain = raw.get("sidechain")
    if sidechain is not None:
        sidechain = _text(sidechain, where + ".sidechain")
    if not isinstance(raw.get("on", True), bool):
        raise PlanError("%s.on must be true or false" % where)
    return {"device": raw["device"], "class_name": _text(raw.get("class_name", ""), where, 64),
            "name": _text(raw.get("name") or "", where + ".name", 64),
            "on": raw.get("on", True), "params": checked, "sidechain": sidechain}


def _check_mix(raw, where):
    if not isinstance(raw, dict):
        raise PlanError("%s must be an object" % where)
    sends = raw.get("sends") or []
    if not isinstance(sends, list) or len(sends) > 12:
        raise PlanError("%s.sends must be a list" % where)
    devices = raw.get("devices") or []
    if not isinstance(devices, list) or len(devices) > 32:
        raise PlanError("%s.devices must be a list" % where)
    return {"volume_db": float(_number(raw.get("volume_db", 0.0), where + ".volume_db", -70, 6)),
            "pan": float(_number(raw.get("pan", 0.0), where + ".pan", -1, 1)),
            "sends": [float(_number(v, where + ".sends", -70, 0)) for v in sends],
            "devices": [_check_device(d, "%s.devices[%d]" % (where, i))
                        for i, d in enumerate(devices)]}


def check_production(raw, tracks):
    """The production payload, checked against the arrangement's tracks."""
    if not isinstance(raw, dict):
        raise PlanError("production must be an object")
    per_track = raw.get("tracks") or []
    if not isinstance(per_track, list) or len(per_track) != len(tracks):
        raise PlanError("production.tracks must have one entry per track")
    returns = raw.get("returns") or []
    if not isinstance(returns, list) or len(returns) > 12:
        raise PlanError("production.returns must be a list of at most 12")
    checked_returns = []
    for i, ret in enumerate(returns):
        mix = _check_mix(ret, "production.returns[%d]" % i)
        mix["name"] = _text(ret.get("name", "Return"), "production.returns[%d].name" % i)
        mix["color"] = _integer(ret.get("color", 0), "production.returns[%d].color" % i, 0, 69)
        checked_returns.append(mix)
    checked_tracks = [_check_mix(t, "production.tracks[%d]" % i) for i, t in enumerate(per_track)]
    for i, mix in enumerate(checked_tracks):
        if len(mix["sends"]) > len(checked_returns):
            raise PlanError("production.tracks[%d] has more sends than returns" % i)
    names = set(t["name"] for t in tracks)
    for mix in checked_tracks:
        for device in mix["devices"]:
            if device["sidechain"] is not None and device["sidechain"] not in names:
                raise PlanError("sidechain source %r is not a track of the song"
                                % device["sidechain"])
    main = _check_mix(dict(raw.get("main") or {}, pan=0.0, sends=[]), "production.main")
    envelopes = []
    raw_envelopes = raw.get("clip_envelopes") or []
    if not isinstance(raw_envelopes, list) or len(raw_envelopes) > 4096:
        raise PlanError("production.clip_envelopes must be a list")
    for i, envelope in enumerate(raw_envelopes):
        where = "production.clip_envelopes[%d]" % i
        if not isinstance(envelope, dict):
            raise PlanError("%s must be an object" % where)
        ti = _integer(envelope.get("track"), where + ".track", 0, len(tracks) - 1)
        ci = _integer(envelope.get("clip"), where + ".clip", 0, len(tracks[ti]["clips"]) - 1)
        target = envelope.get("target")
        if not isinstance(target, dict) or target.get("kind") not in ("volume", "pan", "send",
                                                                       "device"):
            raise PlanError("%s.target.kind must be volume, pan, send or device" % where)
        kind = target["kind"]
        checked = {"kind": kind}
        if kind == "send":
            checked["index"] = _integer(target.get("index"), where + ".target.index", 0,
                                        len(checked_returns) - 1)
        if kind == "device":
            checked["device"] = _integer(target.get("device"), where + ".target.device", 0,
                                         len(checked_tracks[ti]["devices"]) - 1)
            names = target.get("names")
            if not isinstance(names, list) or not 0 < len(names) <= 4:
                raise PlanError("%s.target.names must be a list" % where)
            checked["names"] = [_text(n, where + ".target.names", 64) for n in names]
        points = envelope.get("points")
        if not isinstance(points, list) or not 0 < len(points) <= MAX_ENVELOPE_POINTS:
            raise PlanError("%s.points must be a list of 1 to %d points"
                            % (where, MAX_ENVELOPE_POINTS))
        length = tracks[ti]["clips"][ci]["length"]
        checked_points = []
        last = 0.0
        for j, point in enumerate(points):
            if not isinstance(point, list) or len(point) != 2:
                raise PlanError("%s.points[%d] must be [time, target]" % (where, j))
            time = float(_number(point[0], where + ".points", 0, length))
            if time < last:
                raise PlanError("%s.points must be in time order" % where)
            last = time
            checked_points.append([time, _check_target(point[1], where + ".points")])
        envelopes.append({"track": ti, "clip": ci, "target": checked, "points": checked_points,
                          "length": length,
                          "name": _text(envelope.get("name", kind), where + ".name", 64)})
    return {"tracks": checked_tracks, "returns": checked_returns, "main": main,
            "clip_envelopes": envelopes}


def _check_track(track, at, project_dir=None, result=None):
    """Check one track (a generator pausing inside long note lists); the checked track is
    appended to ``result``."""
    if not isinstance(track, dict):
        raise PlanError("%s must be an object" % at)
    audio = _check_audio(track.get("audio"), project_dir, at + ".audio")
    instrument = _check_instrument(track.get("instrument"), project_dir, at + ".instrument")
    if audio is not None and instrument is not None:
        raise PlanError("%s: an audio track has no instrument" % at)
    clips = track.get("clips") or []
    if not isinstance(clips, list):
        raise PlanError("%s.clips must be a list" % at)
    checked_clips = []
    for ci, clip in enumerate(clips):
        cat = "%s.clips[%d]" % (at, ci)
        if not isinstance(clip, dict):
            raise PlanError("%s must be an object" % cat)
        notes = []
        for _unit in _notes(clip.get("notes") or [], cat + ".notes", notes):
            yield
        checked_clips.append({
            "name": _text(clip.get("name", ""), cat + ".name"),
            "start": float(_number(clip.get("start"), cat + ".start", 0)),
            "length": float(_number(clip.get("length"), cat + ".length", positive=True)),
            "section": clip.get("section"),
            "notes": notes,
        })
        if audio is not None and checked_clips[-1]["notes"]:
            raise PlanError("%s.notes: an audio track's clips have no notes" % cat)
    checked = {
        "name": _text(track.get("name", "MIDI"), at + ".name"),
        "role": _text(track.get("role", "other"), at + ".role", 40),
        "color": _integer(track.get("color", 0), at + ".color", 0, 69),
        "clips": checked_clips,
        "audio": audio,
        "instrument": instrument,
    }
    if result is not None:
        result.append(checked)


def make_plan(arrangement, raw_options=None, project_dir=None):
    """The whole plan at once: ``(steps, summary)``. Raises PlanError."""
    planner = Planner(arrangement, raw_options, project_dir)
    planner.advance()
    while not planner.done:
        planner.advance()
    return planner.steps, planner.summary
