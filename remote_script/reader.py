"""Reading what the producer already has: the notes of clips and the names of devices, a little
per tick. Pure reads, no writes: nothing here changes the set.

What can be read (the request's ``what``):

* ``selected_clip``: the clip shown in Live's Detail View (``Song.View.detail_clip``), else the
  clip in the highlighted Session slot;
* ``track``: every clip (Session slots and Arrangement) of the track whose name is ``track``
  (exact, then case-insensitive, then the first name containing it);
* ``arrangement``: every Arrangement clip of every track overlapping ``start``…``end`` (beats;
  default: the whole song).

Notes are read with ``Clip.get_notes_extended`` (Live 11.0+) in windows of time, so one call never
lists a whole long clip; a window that returned many notes makes the next one shorter. A job is a
generator that pauses after every window and every batch of notes converted, so the caller runs
it until the tick's time budget is spent and resumes it on the next tick. Clip times are the
clip's own (as Live keeps them); the companion lays them out on the song.
"""

from . import live_api as default_live_api
from .stepping import Stepped

KINDS = ("selected_clip", "track", "arrangement")
MAX_NOTES = 20000  # a bigger read is cut (``truncated``): the answer must stay a few datagrams
MAX_CLIPS = 512
MAX_NAME = 200
WINDOW_BEATS = 16.0  # first window; halved after a crowded one, doubled after a sparse one
MIN_WINDOW = 1.0
MAX_WINDOW = 256.0
CROWDED = 384  # notes in one window that make the next window shorter
SPARSE = 48
CONVERT_BATCH = 256  # notes turned into plain lists per unit of work


class ReadError(ValueError):
    pass


def _number(value, where):
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
        raise ReadError("%s must be a number" % where)
    if abs(value) > 1e7:
        raise ReadError("%s out of range" % where)
    return float(value)


def parse_spec(raw):
    """The checked read request: ``{"what", "track", "start", "end", "devices"}``."""
    if not isinstance(raw, dict):
        raise ReadError("the read request must be an object")
    what = raw.get("what")
    if what not in KINDS:
        raise ReadError("what must be one of %s" % ", ".join(KINDS))
    spec = {"what": what, "track": None, "start": None, "end": None,
            "devices": raw.get("devices", True) is not False}
    if what == "track":
        name = raw.get("track")
        if not isinstance(name, str) or not name.strip():
            raise ReadError("track must name a track")
        spec["track"] = name.strip()[:MAX_NAME]
    if raw.get("start") is not None:
        spec["start"] = _number(raw.get("start"), "start")
    if raw.get("end") is not None:
        spec["end"] = _number(raw.get("end"), "end")
    if spec["start"] is not None and spec["end"] is not None and spec["end"] <= spec["start"]:
        raise ReadError("end must be after start")
    return spec


def _safe(getter, default=None):
    try:
        return getter()
    except Exception:
        return default


def _track_type(track):
    if _safe(lambda: track.is_foldable, False):
        return "group"
    return "midi" if _safe(lambda: track.has_midi_input, False) else "audio"


def _index(items, wanted):
    for index, item in enumerate(items):
        if item == wanted:
            return index
    return -1


def find_track(tracks, name):
    """The track called ``name``: exact, then case-insensitive, then the first containing it."""
    names = [(track, _safe(lambda t=track: t.name, "") or "") for track in tracks]
    for test in (lambda n: n == name,
                 lambda n: n.lower() == name.lower(),
                 lambda n: name.lower() in n.lower()):
        for track, track_name in names:
            if test(track_name):
                return track
    return None


def clip_info(clip):
    """What the companion needs to place a clip's notes: its own time frame."""
    arrangement = bool(_safe(lambda: clip.is_arrangement_clip, False))
    info = {
        "name": (_safe(lambda: clip.name, "") or "")[:MAX_NAME],
        "arrangement": arrangement,
        "looping": bool(_safe(lambda: clip.looping, False)),
        "loop_start": float(_safe(lambda: clip.loop_start, 0.0)),
        "loop_end": float(_safe(lambda: clip.loop_end, 0.0)),
        "start_marker": float(_safe(lambda: clip.start_marker, 0.0)),
        "end_marker": float(_safe(lambda: clip.end_marker, 0.0)),
        "length": float(_safe(lambda: clip.length, 0.0)),
        "start_time": float(_safe(lambda: clip.start_time, 0.0)) if arrangement else None,
        "end_time": float(_safe(lambda: clip.end_time, 0.0)) if arrangement else None,
        "midi": bool(_safe(lambda: clip.is_midi_clip, False)),
        "slot": None,
        "notes": [],
    }
    return info


class ReadJob(Stepped):
    """One read, run a unit at a time: ``advance(budget, clock)`` → True when ``result`` is
    ready. ``ReadError`` when there is nothing to read (no clip selected, no such track)."""

    def __init__(self, song, spec, live_api=None):
        self._song = song
        self._spec = spec
        self._live_api = live_api or default_live_api
        self._units = self._run()
        self.done = False
        self.result = None
        self.notes = 0
        self.clips_total = 0
        self.clips_done = 0
        self.label = "Reading"

    @property
    def percent(self):
        if self.done:
            return 100
        if not self.clips_total:
            return 0
        return int(100 * self.clips_done / self.clips_total)

    # -- what to read ------------------------------------------------------------------------

    def _selected(self):
        """(track, clip, slot index or None) of the clip the producer has selected."""
        view = self._song.view
        clip = _safe(lambda: view.detail_clip)
        if clip is None:
            slot = _safe(lambda: view.highlighted_clip_slot)
            if slot is not None and _safe(lambda: slot.has_clip, False):
                clip = slot.clip
        if clip is None:
            raise ReadError("no clip is selected in Live: click a MIDI clip first")
        if not _safe(lambda: clip.is_midi_clip, False):
            raise ReadError("the selected clip is an audio clip; select a MIDI clip")
        parent = _safe(lambda: clip.canonical_parent)
        track = parent
        slot_index = None
        if parent is not None and hasattr(parent, "has_clip"):  # a Session slot
            track = _safe(lambda: parent.canonical_parent)
            if track is not None:
                slot_index = _index(track.clip_slots, parent)
        return track, clip, slot_index

    def _plan(self):
        """[(track, [(clip, slot index or None)…])…] to read."""
        spec = self._spec
        song = self._song
        what = spec["what"]
        if what == "selected_clip":
            track, clip, slot = self._selected()
            return [(track, [(clip, slot)])]
        if what == "track":
            track = find_track(song.tracks, spec["track"])
            if track is None:
                raise ReadError("there is no track called %r in the set" % spec["track"])
            clips = []
            for index, slot in enumerate(track.clip_slots):
                if _safe(lambda s=slot: s.has_clip, False):
                    clips.append((slot.clip, index))
            for clip in _safe(lambda: track.arrangement_clips, ()) or ():
                clips.append((clip, None))
            return [(track, clips)]
        start = spec["start"] if spec["start"] is not None else 0.0
        end = spec["end"] if spec["end"] is not None else float("inf")
        plan = []
        for track in song.tracks:
            clips = []
            for clip in _safe(lambda t=track: t.arrangement_clips, ()) or ():
                if clip.start_time < end and clip.end_time > start:
                    clips.append((clip, None))
            plan.append((track, clips))
        return plan

    # -- the job -------------------------------------------------------------------------------

    def _run(self):
        spec = self._spec
        song = self._song
        plan = self._plan()
        self.clips_total = min(MAX_CLIPS, sum(len(clips) for _track, clips in plan))
        tracks = list(song.tracks)
        result = {
            "what": spec["what"],
            "tempo": float(song.tempo),
            "signature": [int(song.signature_numerator), int(song.signature_denominator)],
            "root_note": int(_safe(lambda: song.root_note, 0)),
            "scale_name": str(_safe(lambda: song.scale_name, "") or ""),
            "region": [spec["start"], spec["end"]],
            "tracks": [],
            "selected": None,
            "truncated": False,
        }
        if spec["what"] == "selected_clip":
            track = plan[0][0]
            result["selected"] = {"track": _index(tracks, track) if track is not None else -1,
                                  "slot": plan[0][1][0][1]}
        yield
        read = 0
        for track, clips in plan:
            entry = {
                "index": _index(tracks, track) if track is not None else -1,
                "name": (_safe(lambda: track.name, "") or "")[:MAX_NAME],
                "type": _track_type(track) if track is not None else "midi",
                "devices": [],
                "clips": [],
            }
            if spec["devices"] and track is not None:
                for device in _safe(lambda: track.devices, ()) or ():
                    entry["devices"].append({
                        "name": (_safe(lambda d=device: d.name, "") or "")[:MAX_NAME],
                        "class_name": (_safe(lambda d=device: d.class_name, "") or "")[:MAX_NAME],
                    })
            result["tracks"].append(entry)
            for clip, slot in clips:
                if read >= MAX_CLIPS or self.notes >= MAX_NOTES:
                    result["truncated"] = True
                    break
                info = clip_info(clip)
                info["slot"] = slot
                self.label = "Reading %s" % (info["name"] or entry["name"] or "a clip")
                entry["clips"].append(info)
                read += 1
                if info["midi"]:
                    for _unit in self._read_notes(clip, info, result):
                        yield
                self.clips_done += 1
                yield
        self.result = result

    def _read_notes(self, clip, info, result):
        """The clip's notes, window by window, as [pitch, start, duration, velocity, mute]."""
        low = min(0.0, info["loop_start"], info["start_marker"])
        high = max(info["loop_end"], info["end_marker"], low + info["length"])
        window = WINDOW_BEATS
        time = low
        out = info["notes"]
        while time < high:
            span = min(window, high - time)
            found = self._live_api.read_notes(clip, 0, 128, time, span)
            yield
            for first in range(0, len(found), CONVERT_BATCH):
                batch = found[first:first + CONVERT_BATCH]
                room = MAX_NOTES - self.notes
                if room <= 0:
                    result["truncated"] = True
                    return
                batch = batch[:room]
                out.extend([int(n[0]), round(float(n[1]), 6), round(float(n[2]), 6),
                            int(round(float(n[3]))), bool(n[4])] for n in batch)
                self.notes += len(batch)
                if len(batch) == CONVERT_BATCH:
                    yield
            if len(found) > CROWDED and window > MIN_WINDOW:
                window = max(MIN_WINDOW, window / 2.0)
            elif len(found) < SPARSE and window < MAX_WINDOW:
                window = min(MAX_WINDOW, window * 2.0)
            time += span
