"""Run a plan from loader.py against the open Live set, a few steps per tick.

Everything happens inside one undo step (``begin_undo_step`` at the first step, ``end_undo_step``
at the last or on failure), so one Cmd+Z removes the whole song. Existing tracks are never written
to: new tracks are appended and only their slots, clips and devices are touched. If a step fails,
what was created is deleted again (still inside the undo step) and the error is reported.
Version differences are found with ``hasattr``: ``Track.create_midi_clip`` (Live 12.2+) makes
arrangement clips directly, ``Track.duplicate_clip_to_arrangement`` (Live 11+) copies the session
clip; with neither the song lands in the session view only.

Audio loop tracks: ``ClipSlot.create_audio_clip(path)`` (Live 12.0.5+) makes the session clip —
warped, in the loop's warp mode, looping over the loop's length. In the arrangement a looping clip
cannot be resized after it is made, so a section is laid out as one clip per pass of the loop (the
last one cut short), each a copy of the session clip (``duplicate_clip_to_arrangement``, the loop
brace set to the pass's length for the copy), or, without a session clip, made from the file
(``Track.create_audio_clip``, Live 12.2+) and cut to length. A Live with neither call gets the
audio track without clips and a warning.
"""

from .instruments import PENDING, InstrumentLoader
from .loader import WARP_MODES
from .production import CannotSet, find_parameter, raw_for, set_parameter

EPSILON = 1e-6
NO_AUDIO_FILES = ("this Live cannot load audio files from a script; open the .als instead for "
                  "the loops")
RAMP_STEP = 0.25  # clip envelope ramps are drawn as 16th-note steps (the API draws steps only)
MAX_RAMP_STEPS = 64  # per segment: a long ramp gets longer steps
RAMPS_AS_STEPS = ("clip envelope ramps are drawn as 1/16-note steps (Live's API has no ramps "
                  "for scripts)")


class BuildError(Exception):
    pass


def _index_of(items, wanted):
    for index, item in enumerate(items):
        if item == wanted:
            return index
    return -1


class Builder(object):
    def __init__(self, song, app, live_api, steps, summary, log=None):
        self.song = song
        self.app = app
        self.live_api = live_api
        self.steps = steps
        self.summary = dict(summary)
        self.position = 0
        self._log = log or (lambda message: None)
        self._instruments = InstrumentLoader(song, app, self._log, self._warn)
        self.created_tracks = []
        self.created_scenes = []
        self.tracks = {}
        self.session_clips = {}
        self.arrangement_clips = {}
        self.scene_base = 0
        self.undo_open = False
        self.warnings = []
        self.devices = {}
        self.arrangement_method = None
        self.audio_method = None
        self._previous_selection = None
        self._restore = []
        self.returns = {}  # return index in the song → Live track
        self.created_returns = []
        self.return_base = None  # sends of our returns start here (the set's own come first)
        self.effects = {}  # (owner kind, owner index, device index) → Live device
        self.main_devices = []  # devices added to Main (removed again on rollback)
        self.deadline = None
        self._clock = None
        self._cursor = {}  # step position → progress of a long step
        # step kind → what its last whole run cost: a step that would not fit in what is left
        # of a tick waits for the next one, so a tick stays near its budget
        self._cost = {}
        self.production_notes = []  # what could not be set, per device

    @property
    def done(self):
        return self.position >= len(self.steps)

    @property
    def total(self):
        return len(self.steps)

    @property
    def label(self):
        if self.done:
            return "Done"
        label = self.steps[self.position][1]
        if self._instruments.status:  # a browser search in progress: say how far it got
            label = "%s: %s" % (label.split(":")[0], self._instruments.status)
        return label

    def run(self, budget_seconds, clock):
        """Execute steps until the budget is spent (always at least one). BuildError on failure,
        after rolling back."""
        started = clock()
        count = 0
        self._instruments.deadline = started + budget_seconds
        self._instruments._clock = clock
        self.deadline = started + budget_seconds
        self._clock = clock
        while not self.done:
            kind, label, args = self.steps[self.position]
            now = clock()
            if count and now - started + self._cost.get(kind, 0.0) >= budget_seconds:
                break
            resumed = self.position in self._cursor  # a long step's slices are not its cost
            try:
                finished = getattr(self, "_step_" + kind)(args)
            except Exception as error:
                reason = "%s: %s" % (label, error)
                self._log("MusiaIA: build failed at %s" % reason)
                self.abort(rollback=True)
                raise BuildError(reason) from error
            if finished is not False:  # False: a long step that wants to be called again
                if not resumed:
                    self._cost[kind] = clock() - now
                self.position += 1
            count += 1
        return count

    def result(self):
        result = dict(self.summary)
        result["scene_base"] = self.scene_base
        result["arrangement_method"] = self.arrangement_method
        result["audio_arrangement_method"] = self.audio_method
        result["devices"] = [self.devices.get(i) for i in range(len(self.tracks))]
        result["track_indices"] = [_index_of(self.song.tracks, t) for t in self.created_tracks]
        result["warnings"] = list(self.warnings)
        result["returns"] = len(self.created_returns)
        result["production_notes"] = list(self.production_notes)
        return result

    def abort(self, rollback=True):
        """Stop here; with ``rollback`` delete what was created. Always closes the undo step."""
        if rollback:
            self._rollback()
        self._close_undo()
        self.position = len(self.steps)

    def _close_undo(self):
        if self.undo_open:
            self.undo_open = False
            try:
                self.song.end_undo_step()
            except Exception as error:
                self._log("MusiaIA: end_undo_step failed: %s" % error)

    def _out_of_time(self):
        return self.deadline is not None and self._clock is not None and (
            self._clock() >= self.deadline)

    def _rollback(self):
        for obj, attribute, value in reversed(self._restore):
            try:
                setattr(obj, attribute, value)
            except Exception:
                pass
        master = getattr(self.song, "master_track", None)
        for device in reversed(self.main_devices):
            try:
                index = _index_of(master.devices, device)
                if index >= 0:
                    master.delete_device(index)
            except Exception as error:
                self._log("MusiaIA: could not remove a device from Main: %s" % error)
        for track in reversed(self.created_returns):
            try:
                index = _index_of(self.song.return_tracks, track)
                if index >= 0:
                    self.song.delete_return_track(index)
            except Exception as error:
                self._log("MusiaIA: could not remove a return track: %s" % error)
        self.main_devices = []
        self.created_returns = []
        for track in reversed(self.created_tracks):
            try:
                index = _index_of(self.song.tracks, track)
                if index >= 0:
                    self.song.delete_track(index)
            except Exception as error:
                self._log("MusiaIA: could not remove a track: %s" % error)
        for scene in reversed(self.created_scenes):
            try:
                index = _index_of(self.song.scenes, scene)
                if index >= 0:
                    self.song.delete_scene(index)
            except Exception as error:
                self._log("MusiaIA: could not remove a scene: %s" % error)
        self.created_tracks = []
        self.created_scenes = []

    def _warn(self, text):
        if text not in self.warnings:
            self.warnings.append(text)

    # -- steps ---------------------------------------------------------------------------------

    def _step_begin(self, args):
        self.song.begin_undo_step()
        self.undo_open = True
        try:
            self._previous_selection = self.song.view.selected_track
        except Exception:
            self._previous_selection = None

    def _set(self, obj, attribute, value):
        old = getattr(obj, attribute)
        if old != value:
            self._restore.append((obj, attribute, old))
            setattr(obj, attribute, value)

    def _step_tempo(self, args):
        self._set(self.song, "tempo", float(args["bpm"]))

    def _step_signature(self, args):
        self._set(self.song, "signature_numerator", int(args["numerator"]))
        self._set(self.song, "signature_denominator", int(args["denominator"]))

    def _step_scale(self, args):
        self._set(self.song, "root_note", int(args["root_note"]))
        if hasattr(self.song, "scale_name"):
            self._set(self.song, "scale_name", str(args["scale_name"]))

    def _scene_is_free(self, scenes, tracks, index):
        if index >= len(scenes):
            return True
        if scenes[index].name:
            return False
        for track in tracks:
            slots = track.clip_slots
            if index < len(slots) and slots[index].has_clip:
                return False
        return True

    def _step_scenes(self, args):
        names = args["names"]
        scenes = list(self.song.scenes)
        tracks = list(self.song.tracks)
        base = args.get("base")
        if base is None:  # the first run of scenes empty on every track
            base = 0
            while not all(self._scene_is_free(scenes, tracks, base + k)
                          for k in range(len(names))):
                base += 1
        self.scene_base = base
        while len(self.song.scenes) < base + len(names):
            scene = self.song.create_scene(-1)
            if scene is None:
                scene = self.song.scenes[len(self.song.scenes) - 1]
            self.created_scenes.append(scene)
        scenes = self.song.scenes
        for offset, name in enumerate(names):
            if name:
                self._set(scenes[base + offset], "name", name)

    def _step_track(self, args):
        track = self.song.create_midi_track(-1)
        if track is None:  # older Lives return nothing: the new track is the last one
            track = self.song.tracks[len(self.song.tracks) - 1]
        self.created_tracks.append(track)
        self.tracks[args["track"]] = track
        track.name = args["name"]
        track.color_index = int(args["color"])

    def _step_audio_track(self, args):
        track = self.song.create_audio_track(-1)
        if track is None:
            track = self.song.tracks[len(self.song.tracks) - 1]
        self.created_tracks.append(track)
        self.tracks[args["track"]] = track
        track.name = args["name"]
        track.color_index = int(args["color"])

    def _step_instrument(self, args):
        track = self.tracks[args["track"]]
        try:
            device = self._instruments.load(track, args["role"], args.get("instrument"))
        except Exception as error:  # a missing instrument never fails the song
            device = None
            self._warn("%s: could not load an instrument (%s)" % (track.name, error))
        if device is PENDING:  # a browser search goes on a little per tick: call again
            return False
        if device is None:
            self._warn("%s: no instrument found" % track.name)
        self.devices[args["track"]] = device

    def _step_session_clip(self, args):
        track = self.tracks[args["track"]]
        slot = track.clip_slots[self.scene_base + args["scene"]]
        slot.create_clip(float(args["length"]))
        clip = slot.clip
        if args["name"]:
            clip.name = args["name"]
        clip.color_index = int(args["color"])
        self.session_clips[(args["track"], args["clip"])] = clip

    def _step_session_notes(self, args):
        clip = self.session_clips[(args["track"], args["clip"])]
        self.live_api.add_notes(clip, args["notes"])

    def _step_arrangement_clip(self, args):
        track = self.tracks[args["track"]]
        key = (args["track"], args["clip"])
        if (args.get("envelopes") and key in self.session_clips
                and hasattr(track, "duplicate_clip_to_arrangement")):
            # a copy of the Session clip carries its clip envelopes; a new clip would not
            track.duplicate_clip_to_arrangement(self.session_clips[key], float(args["start"]))
            self.arrangement_method = self.arrangement_method or "duplicate_clip_to_arrangement"
            return
        if hasattr(track, "create_midi_clip"):
            clip = track.create_midi_clip(float(args["start"]), float(args["length"]))
            if args["name"]:
                clip.name = args["name"]
            clip.color_index = int(args["color"])
            self.arrangement_clips[key] = clip
            self.arrangement_method = "create_midi_clip"
        elif hasattr(track, "duplicate_clip_to_arrangement") and key in self.session_clips:
            track.duplicate_clip_to_arrangement(self.session_clips[key], float(args["start"]))
            self.arrangement_method = "duplicate_clip_to_arrangement"
        else:
            self._warn("this Live cannot place clips in the arrangement; they are in the "
                       "session view")

    def _step_arrangement_notes(self, args):
        clip = self.arrangement_clips.get((args["track"], args["clip"]))
        if clip is not None:  # duplicated clips already carry their notes
            self.live_api.add_notes(clip, args["notes"])

    def _step_finish(self, args):
        if self._previous_selection is not None:
            try:
                self.song.view.selected_track = self._previous_selection
            except Exception:
                pass
        self._close_undo()

    # -- audio loops ------------------------------------------------------------------------------

    def _warp(self, clip, warp_mode):
        """Warping on, in the loop's warp mode (Beats where this Live has not got it)."""
        if not clip.warping:
            clip.warping = True
        mode = WARP_MODES[warp_mode]
        try:
            available = list(clip.available_warp_modes)
        except Exception:
            available = None
        if available is not None and mode not in available:
            self._warn("the %s warp mode is not in this Live; the loops use Beats" % warp_mode)
            mode = 0 if 0 in available else clip.warp_mode
        if clip.warp_mode != mode:
            clip.warp_mode = mode

    @staticmethod
    def _set_pair(clip, low_name, high_name, low, high):
        """Set an ordered pair (loop brace or markers) without ever putting start past end."""
        if low >= getattr(clip, high_name):
            order = ((high_name, high), (low_name, low))
        else:
            order = ((low_name, low), (high_name, high))
        for name, value in order:
            if getattr(clip, name) != value:
                setattr(clip, name, value)

    def _shape(self, clip, loop, size, looping):
        """The clip plays the file from its start: looping over ``size`` beats, or once for
        ``size`` beats (loop off: the loop pair is the clip's start and end)."""
        self._warp(clip, loop["warp_mode"])
        if clip.looping != looping:
            clip.looping = looping
        self._set_pair(clip, "loop_start", "loop_end", 0.0, float(size))
        self._set_pair(clip, "start_marker", "end_marker", 0.0, float(size))

    def _name_clip(self, clip, args):
        if args["name"] and clip.name != args["name"]:
            clip.name = args["name"]
        clip.color_index = int(args["color"])

    def _step_session_audio_clip(self, args):
        track = self.tracks[args["track"]]
        slot = track.clip_slots[self.scene_base + args["scene"]]
        if not hasattr(slot, "create_audio_clip"):
            if not hasattr(track, "create_audio_clip"):
                self._warn(NO_AUDIO_FILES)
            else:
                self._warn("this Live cannot put audio files in session slots; the loops are in "
                           "the arrangement only")
            return
        loop = args["loop"]
        clip = slot.create_audio_clip(loop["path"])
        if clip is None:
            clip = slot.clip
        self._shape(clip, loop, loop["beats"], True)
        self._name_clip(clip, args)
        self.session_clips[(args["track"], args["clip"])] = clip

    @staticmethod
    def _passes(start, length, beats):
        """(position, size) of each pass of a ``beats``-long loop over ``length`` beats."""
        passes = []
        done = 0.0
        while length - done > EPSILON:
            size = min(beats, length - done)
            passes.append((float(start + done), float(size)))
            done += beats
        return passes

    def _step_arrangement_audio_clip(self, args):
        track = self.tracks[args["track"]]
        loop = args["loop"]
        session = self.session_clips.get((args["track"], args["clip"]))
        passes = self._passes(args["start"], args["length"], loop["beats"])
        if session is not None and hasattr(track, "duplicate_clip_to_arrangement"):
            # a copy is as long as the session clip's loop brace: set it per pass, then back
            for position, size in passes:
                if abs(size - session.loop_end) > EPSILON:
                    self._set_pair(session, "loop_start", "loop_end", 0.0, size)
                track.duplicate_clip_to_arrangement(session, position)
            self._set_pair(session, "loop_start", "loop_end", 0.0, float(loop["beats"]))
            self.audio_method = "duplicate_clip_to_arrangement"
        elif hasattr(track, "create_audio_clip"):
            for position, size in passes:
                clip = track.create_audio_clip(loop["path"], position)
                if clip is None:
                    clip = self._arrangement_clip_at(track, position)
                self._shape(clip, loop, size, False)
                self._name_clip(clip, args)
            self.audio_method = "create_audio_clip"
        elif len(track.clip_slots) and hasattr(track.clip_slots[0], "create_audio_clip"):
            self._warn("this Live cannot put audio files in the arrangement without session "
                       "clips; the loops are not in the arrangement")
        else:
            self._warn(NO_AUDIO_FILES)

    @staticmethod
    def _arrangement_clip_at(track, position):
        for clip in track.arrangement_clips:
            if abs(clip.start_time - position) < EPSILON:
                return clip
        raise BuildError("the new arrangement clip at beat %s is missing" % position)

    # -- production: returns, effects, mixer, sidechains, clip envelopes ---------------------------

    def _owner(self, owner):
        kind, index = owner
        if kind == "track":
            return self.tracks[index]
        if kind == "return":
            return self.returns[index]
        return self.song.master_track

    def _owner_name(self, owner):
        try:
            return self._owner(owner).name
        except Exception:
            return "Main" if owner[0] == "main" else "?"

    def _note(self, text):
        if text not in self.production_notes:
            self.production_notes.append(text)
        self._warn(text)

    def _step_return_track(self, args):
        if self.return_base is None:
            self.return_base = len(self.song.return_tracks)
        track = self.song.create_return_track()
        if track is None:
            track = self.song.return_tracks[len(self.song.return_tracks) - 1]
        self.created_returns.append(track)
        self.returns[args["return"]] = track
        track.name = args["name"]
        track.color_index = int(args["color"])

    def _step_device(self, args):
        """Load an audio effect at the end of the owner's chain: by name on Live 12.3+
        (Track.insert_device), else from the browser's Audio Effects after selecting the owner
        and its last device (Live loads after the selected device)."""
        owner = args["owner"]
        track = self._owner(owner)
        name = args["device"]
        before = list(track.devices)
        if hasattr(track, "insert_device"):
            try:
                track.insert_device(name, len(before))
            except Exception as error:
                self._note("%s: %s could not be inserted (%s)" % (track.name, name, error))
                return
        else:
            item = self._instruments._find("audio_effects", (name,))
            if item is PENDING:
                return False
            if item is None:
                self._note("%s: %s is not in Live's browser" % (track.name, name))
                return
            view = self.song.view
            view.selected_track = track
            if before and hasattr(view, "select_device"):
                view.select_device(before[-1])
            self._instruments._browser().load_item(item)
        added = [d for d in track.devices if not any(d == b for b in before)]
        if not added:
            self._note("%s: %s did not load" % (track.name, name))
            return
        device = added[-1]
        self.effects[(owner[0], owner[1], args["index"])] = device
        if owner[0] == "main":
            self.main_devices.append(device)

    def _step_params(self, args):
        """Set a device's parameters by what Live should show; a long list goes on over ticks."""
        owner = args["owner"]
        device = self.effects.get((owner[0], owner[1], args["index"]))
        if device is None:
            return
        cursor = self._cursor.setdefault(self.position, {"at": 0, "failed": []})
        params = args["params"]
        while cursor["at"] < len(params):
            names, target, label = params[cursor["at"]]
            cursor["at"] += 1
            parameter = find_parameter(device, names)
            if parameter is None:
                cursor["failed"].append("%s (Live has no %s)" % (label, names[0]))
            else:
                try:
                    set_parameter(parameter, target)
                except (CannotSet, RuntimeError, ValueError) as error:
                    cursor["failed"].append("%s (%s)" % (label, error))
            if cursor["at"] < len(params) and self._out_of_time():
                return False
        if not args["on"]:
            switch = find_parameter(device, ("Device On",))
            if switch is not None:
                set_parameter(switch, {"switch": False})
        if args.get("name"):
            try:
                device.name = args["name"]
            except Exception:
                pass  # a device's name is read-only in some Lives: the effect works the same
        if cursor["failed"]:
            self._note("%s: %s: could not set %s" % (self._owner_name(owner), args["device"],
                                                     ", ".join(cursor["failed"])))
        del self._cursor[self.position]

    def _mixer_set(self, owner, parameter, target, what):
        try:
            raw = raw_for(parameter, target)
        except (CannotSet, RuntimeError, ValueError) as error:
            self._note("%s: %s could not be set (%s)" % (self._owner_name(owner), what, error))
            return
        if owner[0] == "main":
            self._set(parameter, "value", raw)  # the producer's own Main: restored on rollback
        elif parameter.value != raw:
            parameter.value = raw

    def _step_mixer(self, args):
        owner = args["owner"]
        mixer = self._owner(owner).mixer_device
        self._mixer_set(owner, mixer.volume, {"unit": "db", "value": args["volume_db"]}, "volume")
        if args["pan"] is not None and owner[0] != "main":
            self._mixer_set(owner, mixer.panning, {"unit": "pan", "value": args["pan"] * 50.0},
                            "pan")
        sends = list(mixer.sends)
        for index, level in enumerate(args["sends"]):
            at = (self.return_base or 0) + index
            if at < len(sends):
                self._mixer_set(owner, sends[at], {"unit": "db", "value": level},
                                "send %s" % chr(65 + at))

    def _step_sidechain(self, args):
        """Key a Compressor from another new track (CompressorDevice.input_routing_type, in
        every Live 11 and 12), then switch its sidechain on."""
        owner = args["owner"]
        device = self.effects.get((owner[0], owner[1], args["index"]))
        if device is None:
            return
        track_name = self._owner_name(owner)
        if not hasattr(device, "available_input_routing_types"):
            self._note("%s: this Live cannot route a sidechain to %s from a script"
                       % (track_name, device.name))
            return
        wanted = args["source"]
        source = None
        for index, name in enumerate(self.summary.get("track_names") or ()):
            if name == wanted and index in self.tracks:
                source = self.tracks[index]
                break
        choices = list(device.available_input_routing_types)
        match = None
        names = [wanted] + ([source.name] if source is not None else [])
        for name in names:
            for choice in choices:
                if choice.display_name == name or choice.display_name.lower() == name.lower():
                    match = choice
                    break
            if match is not None:
                break
        if match is None:
            self._note("%s: %s: no sidechain source called %s in Live's list"
                       % (track_name, device.name, wanted))
            return
        device.input_routing_type = match
        switch = find_parameter(device, ("S/C On",))
        if switch is not None:
            set_parameter(switch, {"switch": True})

    def _envelope_parameter(self, args):
        track = self.tracks[args["track"]]
        target = args["target"]
        mixer = track.mixer_device
        if target["kind"] == "volume":
            return mixer.volume
        if target["kind"] == "pan":
            return mixer.panning
        if target["kind"] == "send":
            sends = list(mixer.sends)
            at = (self.return_base or 0) + target["index"]
            return sends[at] if at < len(sends) else None
        device = self.effects.get(("track", args["track"], target["device"]))
        return find_parameter(device, target["names"]) if device is not None else None

    @staticmethod
    def _envelope_steps(points, length):
        """(time, length, target) steps: holds as one step, ramps as 16th steps."""
        steps = []
        if points[0][0] > 0:
            steps.append((0.0, points[0][0], points[0][1]))
        ramps = False
        for (t0, v0), (t1, v1) in zip(points, points[1:]):
            if t1 - t0 <= EPSILON:
                continue
            if v0 == v1 or "value" not in v0 or "value" not in v1:
                steps.append((t0, t1 - t0, v0))
                continue
            ramps = True
            count = min(MAX_RAMP_STEPS, max(1, int(round((t1 - t0) / RAMP_STEP))))
            size = (t1 - t0) / count
            for k in range(count):
                share = (k + 0.5) / count
                value = v0["value"] + (v1["value"] - v0["value"]) * share
                steps.append((t0 + k * size, size, {"unit": v0["unit"], "value": value}))
        last_time, last_value = points[-1]
        if length - last_time > EPSILON:
            steps.append((last_time, length - last_time, last_value))
        return steps, ramps

    def _step_envelope(self, args):
        """A Session clip's envelope: Clip.automation_envelope / create_automation_envelope
        (Live 11+), drawn with insert_step; goes on over ticks when long."""
        clip = self.session_clips.get((args["track"], args["clip"]))
        if clip is None:
            return
        cursor = self._cursor.get(self.position)
        if cursor is None:
            parameter = self._envelope_parameter(args)
            if parameter is None:
                self._note("%s: the clip envelope %s has nothing to move in Live"
                           % (self.tracks[args["track"]].name, args["name"]))
                return
            envelope = clip.automation_envelope(parameter)
            if envelope is None:
                envelope = clip.create_automation_envelope(parameter)
            if envelope is None:
                self._note("%s: Live gave no envelope for %s"
                           % (self.tracks[args["track"]].name, args["name"]))
                return
            steps, ramps = self._envelope_steps(args["points"], args["length"])
            if ramps:
                self._warn(RAMPS_AS_STEPS)
            cursor = self._cursor[self.position] = {"at": 0, "steps": steps,
                                                    "envelope": envelope,
                                                    "parameter": parameter}
        steps = cursor["steps"]
        while cursor["at"] < len(steps):
            time, size, target = steps[cursor["at"]]
            cursor["at"] += 1
            try:
                raw = raw_for(cursor["parameter"], target)
            except CannotSet as error:
                self._note("%s: envelope %s: %s" % (self.tracks[args["track"]].name,
                                                      args["name"], error))
                break
            cursor["envelope"].insert_step(float(time), float(size), float(raw))
            if cursor["at"] < len(steps) and self._out_of_time():
                return False
        del self._cursor[self.position]
