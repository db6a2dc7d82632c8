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

EPSILON = 1e-6
NO_AUDIO_FILES = ("this Live cannot load audio files from a script; open the .als instead for "
                  "the loops")


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
        while not self.done and (count == 0 or clock() - started < budget_seconds):
            kind, label, args = self.steps[self.position]
            try:
                finished = getattr(self, "_step_" + kind)(args)
            except Exception as error:
                reason = "%s: %s" % (label, error)
                self._log("MusiaIA: build failed at %s" % reason)
                self.abort(rollback=True)
                raise BuildError(reason) from error
            if finished is not False:  # False: a long step that wants to be called again
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
