"""Run a plan from loader.py against the open Live set, a few steps per tick.

Everything happens inside one undo step (``begin_undo_step`` at the first step, ``end_undo_step``
at the last or on failure), so one Cmd+Z removes the whole song. Existing tracks are never written
to: new tracks are appended and only their slots, clips and devices are touched. If a step fails,
what was created is deleted again (still inside the undo step) and the error is reported.
Version differences are found with ``hasattr``: ``Track.create_midi_clip`` (Live 12.2+) makes
arrangement clips directly, ``Track.duplicate_clip_to_arrangement`` (Live 11+) copies the session
clip; with neither the song lands in the session view only.
"""

from .instruments import InstrumentLoader


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
        self._instruments = InstrumentLoader(song, app, self._log)
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
        self._previous_selection = None
        self._restore = []

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
        return self.steps[self.position][1]

    def run(self, budget_seconds, clock):
        """Execute steps until the budget is spent (always at least one). BuildError on failure,
        after rolling back."""
        started = clock()
        count = 0
        while not self.done and (count == 0 or clock() - started < budget_seconds):
            kind, label, args = self.steps[self.position]
            try:
                getattr(self, "_step_" + kind)(args)
            except Exception as error:
                reason = "%s: %s" % (label, error)
                self._log("MusiaIA: build failed at %s" % reason)
                self.abort(rollback=True)
                raise BuildError(reason) from error
            self.position += 1
            count += 1
        return count

    def result(self):
        result = dict(self.summary)
        result["scene_base"] = self.scene_base
        result["arrangement_method"] = self.arrangement_method
        result["devices"] = [self.devices.get(i) for i in range(len(self.tracks))]
        result["track_indices"] = [_index_of(self.song.tracks, t) for t in self.created_tracks]
        result["warnings"] = list(self.warnings)
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

    def _rollback(self):
        for obj, attribute, value in reversed(self._restore):
            try:
                setattr(obj, attribute, value)
            except Exception:
                pass
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
        base = 0
        while not all(self._scene_is_free(scenes, tracks, base + k) for k in range(len(names))):
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

    def _step_instrument(self, args):
        track = self.tracks[args["track"]]
        try:
            device = self._instruments.load(track, args["role"])
        except Exception as error:  # a missing instrument never fails the song
            device = None
            self._warn("%s: could not load an instrument (%s)" % (track.name, error))
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
