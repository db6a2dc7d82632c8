"""Live's state as the companion sees it, and when to push it.

Listeners only raise a flag (Live forbids writes from notifications, and sending from inside them
would flood the network); the tick decides: a push goes out once changes have been quiet for
``debounce_ticks`` ticks, or at the latest ``max_delay_ticks`` after the first change, and only
if the snapshot differs from the last one sent. Song time changes constantly while playing, so it
travels in the snapshot and in a light periodic message, not as a change trigger.
"""

SONG_PROPERTIES = ("tempo", "is_playing", "signature_numerator", "signature_denominator",
                   "root_note", "scale_name")
TRACK_PROPERTIES = ("name", "color", "color_index")


def track_type(track):
    try:
        if getattr(track, "is_foldable", False):
            return "group"
        if getattr(track, "has_midi_input", False):
            return "midi"
        return "audio"
    except Exception:
        return "unknown"


class StateTracker(object):
    def __init__(self, song, log=None, debounce_ticks=1, max_delay_ticks=5):
        self._song = song
        self._log = log or (lambda message: None)
        self._debounce = max(0, int(debounce_ticks))
        self._max_delay = max(1, int(max_delay_ticks))
        self._listeners = []  # (object, property, callback)
        self._track_listeners = []
        self._changed = True  # the first tick pushes
        self._tracks_changed = True
        self._first_change = None
        self._last_change = None
        self._last_sent = None
        self._hold = 0
        self.pushes = 0

    # -- listeners (flags only) ----------------------------------------------------------------

    def _on_change(self):
        self._changed = True

    def _on_tracks(self):
        self._changed = True
        self._tracks_changed = True

    def _add(self, target, prop, callback, bucket):
        adder = getattr(target, "add_%s_listener" % prop, None)
        if adder is None:
            return
        try:
            adder(callback)
            bucket.append((target, prop, callback))
        except Exception as error:
            self._log("MusiaIA: cannot listen to %s: %s" % (prop, error))

    def _remove_all(self, bucket):
        for target, prop, callback in bucket:
            try:
                has = getattr(target, "%s_has_listener" % prop, None)
                if has is None or has(callback):
                    getattr(target, "remove_%s_listener" % prop)(callback)
            except Exception:
                pass  # deleted object: Live already dropped the listener
        del bucket[:]

    def attach(self):
        song = self._song
        for prop in SONG_PROPERTIES:
            self._add(song, prop, self._on_change, self._listeners)
        self._add(song, "tracks", self._on_tracks, self._listeners)
        self._add(song, "scenes", self._on_change, self._listeners)
        try:
            self._add(song.view, "selected_track", self._on_change, self._listeners)
        except Exception:
            pass
        self._sync_tracks()

    def _sync_tracks(self):
        self._remove_all(self._track_listeners)
        for track in self._song.tracks:
            for prop in TRACK_PROPERTIES:
                self._add(track, prop, self._on_change, self._track_listeners)
        self._tracks_changed = False

    def detach(self):
        self._remove_all(self._track_listeners)
        self._remove_all(self._listeners)

    # -- snapshots -----------------------------------------------------------------------------

    def snapshot(self):
        song = self._song
        tracks = []
        for index, track in enumerate(song.tracks):
            try:
                color_index = track.color_index
                tracks.append({"index": index, "name": track.name,
                               "color_index": -1 if color_index is None else int(color_index),
                               "type": track_type(track)})
            except Exception:
                continue
        selected = -1
        selected_name = ""
        try:
            view_track = song.view.selected_track
            if view_track is not None:
                selected_name = view_track.name
                for index, track in enumerate(song.tracks):
                    if track == view_track:
                        selected = index
                        break
        except Exception:
            pass
        return {
            "tempo": float(song.tempo),
            "is_playing": bool(song.is_playing),
            "signature": [int(song.signature_numerator), int(song.signature_denominator)],
            "root_note": int(getattr(song, "root_note", 0)),
            "scale_name": str(getattr(song, "scale_name", "")),
            "song_time": float(song.current_song_time),
            "tracks": tracks,
            "selected_track": selected,
            "selected_track_name": selected_name,
            "num_scenes": len(song.scenes),
        }

    def hold(self):
        """Pause pushes (while a song is being built); release() resumes them."""
        self._hold += 1

    def release(self):
        self._hold = max(0, self._hold - 1)
        self._changed = True

    def force(self):
        self._last_sent = None
        self._changed = True

    def tick(self, tick):
        """The snapshot to push now, or None."""
        if self._tracks_changed:
            self._sync_tracks()
        if self._changed:
            self._changed = False
            self._last_change = tick
            if self._first_change is None:
                self._first_change = tick
        if self._first_change is None or self._hold:
            return None
        quiet = tick - self._last_change >= self._debounce
        overdue = tick - self._first_change >= self._max_delay
        if not (quiet or overdue):
            return None
        self._first_change = None
        snapshot = self.snapshot()
        comparable = dict(snapshot, song_time=None)
        if comparable == self._last_sent:
            return None
        self._last_sent = comparable
        self.pushes += 1
        return snapshot
