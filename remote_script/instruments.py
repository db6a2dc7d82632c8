"""Pick and load an instrument for a track: a drum kit for drums, a Live instrument by name for the
rest, the song's own sample for a Simpler. Works on the browser and track objects it is given (no
``Live`` import).

Live 12.3+ can insert a native device by name (``track.insert_device``); elsewhere the item is
found in ``application.browser`` and loaded with ``browser.load_item``, which acts on the
*selected* track, so the track is selected first.

A Simpler with a sample: where Simpler can take a file (``SimplerDevice.replace_sample``, with
``insert_device``), an empty Simpler gets the project's file; otherwise the browser is searched for
an audio file of that name (Current Project, the user's Places, the User Library, Samples) and
loaded onto the track, which makes Live put a Simpler playing it there. Not found: the stock
instrument for the role, and a warning.
"""

# Live instruments to try per role, best first (Intro/Lite editions lack some).
PREFERRED = {
    "bass": ("Operator", "Analog", "Drift", "Wavetable", "Simpler"),
    "chords": ("Wavetable", "Drift", "Electric", "Operator", "Simpler"),
    "pads": ("Wavetable", "Drift", "Analog", "Operator", "Simpler"),
    "lead": ("Analog", "Drift", "Wavetable", "Operator", "Simpler"),
    "arp": ("Operator", "Wavetable", "Drift", "Simpler"),
    "fx": ("Operator", "Wavetable", "Simpler"),
    "vocals": ("Simpler", "Sampler"),
    "other": ("Operator", "Simpler"),
}
DRUM_RACK = "Drum Rack"
SIMPLER = "Simpler"
MAX_ITEMS = 3000  # browser items visited per search; tree walks are slow in Live
MAX_DEPTH = 3
# Where a project's sample can show up in the browser, most likely first. Samples sit deeper
# (Places → projects folder → project → Samples → Imported → file).
SAMPLE_ROOTS = ("current_project", "user_folders", "user_library", "samples")
SAMPLE_DEPTH = 6
SEARCH_CHUNK = 64  # browser items looked at per call of a resumable sample search


def _plain(name):
    name = name or ""
    for extension in (".adg", ".adv", ".amxd"):
        if name.lower().endswith(extension):
            name = name[: -len(extension)]
    return name.strip().lower()


def _children(item):
    try:
        return list(item.children)
    except Exception:
        return []


def _walk(root, max_depth=MAX_DEPTH, max_items=MAX_ITEMS):
    """Breadth-first (item, depth) pairs under a browser root, bounded."""
    queue = [(child, 1) for child in _children(root)]
    visited = 0
    while queue and visited < max_items:
        item, depth = queue.pop(0)
        visited += 1
        yield item, depth
        if depth < max_depth and getattr(item, "is_folder", False):
            queue.extend((child, depth + 1) for child in _children(item))


def _roots(browser, name):
    """The browser root(s) called ``name`` (``user_folders`` is a list of roots)."""
    try:
        root = getattr(browser, name, None)
    except Exception:
        return []
    if root is None:
        return []
    if name == "user_folders":
        try:
            return list(root)
        except Exception:
            return []
    return [root]


class InstrumentLoader(object):
    def __init__(self, song, app, log=None, warn=None):
        self._song = song
        self._app = app
        self._log = log or (lambda message: None)
        self._warn = warn or (lambda message: None)
        self._cache = {}
        self._sample_index = {}  # root name → {"items": {lower-case name: item}, "walk": …}

    def _browser(self):
        return getattr(self._app, "browser", None)

    def _find(self, root_name, names):
        key = (root_name, tuple(names))
        if key in self._cache:
            return self._cache[key]
        browser = self._browser()
        root = getattr(browser, root_name, None) if browser is not None else None
        found = None
        if root is not None:
            wanted = [_plain(n) for n in names]
            best = None
            for item, _depth in _walk(root):
                if not getattr(item, "is_loadable", False):
                    continue
                name = _plain(getattr(item, "name", ""))
                if name in wanted:
                    rank = wanted.index(name)
                    if best is None or rank < best[0]:
                        best = (rank, item)
                        if rank == 0:
                            break
            found = best[1] if best else None
        self._cache[key] = found
        return found

    def _find_kit(self):
        if "kit" in self._cache:
            return self._cache["kit"]
        browser = self._browser()
        root = getattr(browser, "drums", None) if browser is not None else None
        kit = rack = None
        if root is not None:
            for item, _depth in _walk(root):
                if not getattr(item, "is_loadable", False):
                    continue
                name = getattr(item, "name", "") or ""
                if kit is None and "kit" in name.lower():
                    kit = item
                    break
                if rack is None and _plain(name) == DRUM_RACK.lower():
                    rack = item
        self._cache["kit"] = kit or rack
        return kit or rack

    def _load_item(self, track, item):
        self._song.view.selected_track = track  # load_item acts on the selected track
        self._browser().load_item(item)
        return getattr(item, "name", "")

    def _root_walk(self, root_name):
        """Items under one browser root (a list of roots for ``user_folders``), bounded."""
        browser = self._browser()
        visited = 0
        for root in (_roots(browser, root_name) if browser is not None else []):
            for item, _depth in _walk(root, SAMPLE_DEPTH, MAX_ITEMS - visited):
                visited += 1
                yield item

    def search_sample(self, file_name, max_items=SEARCH_CHUNK):
        """Look for the audio file called ``file_name`` (case-insensitive) in the browser,
        visiting at most ``max_items`` more items: ``(finished, item or None)``. Call again
        while not finished; what was seen is remembered for the next search."""
        wanted = file_name.lower()
        for root_name in SAMPLE_ROOTS:
            state = self._sample_index.get(root_name)
            if state is None:
                state = self._sample_index[root_name] = {"items": {},
                                                         "walk": self._root_walk(root_name)}
            if wanted in state["items"]:
                return True, state["items"][wanted]
            while state["walk"] is not None:
                if max_items <= 0:
                    return False, None
                max_items -= 1
                try:
                    item = next(state["walk"])
                except StopIteration:
                    state["walk"] = None
                    break
                if (getattr(item, "is_folder", False) or getattr(item, "is_device", False)
                        or not getattr(item, "is_loadable", False)):
                    continue
                name = (getattr(item, "name", "") or "").lower()
                state["items"].setdefault(name, item)
                if name == wanted:
                    return True, item
        return True, None

    def find_sample(self, file_name):
        """The browser item of an audio file called ``file_name``, or None (whole search)."""
        while True:
            finished, item = self.search_sample(file_name)
            if finished:
                return item

    def _simpler_with_file(self, track, path):
        """An empty Simpler given the file (``replace_sample``); None where this Live can't."""
        if not path or not hasattr(track, "insert_device"):
            return None
        before = len(track.devices)
        device = None
        try:
            device = track.insert_device(SIMPLER)
            if device is None:
                device = track.devices[len(track.devices) - 1]
            if not hasattr(device, "replace_sample"):
                raise AttributeError("Simpler cannot take a file in this Live")
            device.replace_sample(path)
            return "%s (%s)" % (SIMPLER, path.replace("\\", "/").rsplit("/", 1)[-1])
        except Exception as error:
            self._log("MusiaIA: Simpler with %r failed: %s" % (path, error))
            if device is not None and len(track.devices) > before:
                for index, candidate in enumerate(track.devices):
                    if candidate == device:
                        track.delete_device(index)
                        break
            return None

    def can_take_file(self, track):
        """Whether a Simpler on ``track`` can be given a file directly (no browser search)."""
        return hasattr(track, "insert_device")

    def _load_sample(self, track, instrument, item=None):
        loaded = self._simpler_with_file(track, instrument.get("sample_path"))
        if loaded is not None:
            return loaded
        if item is None:
            item = self.find_sample(instrument["sample_name"])
        if item is not None:
            return self._load_item(track, item)
        return None

    def load(self, track, role, instrument=None, sample_item=None):
        """Load something playable on ``track``; returns the device/preset name or None.
        ``sample_item``: the browser item of a Simpler's sample, when already searched for."""
        if instrument is not None and instrument.get("kind") == "simpler":
            loaded = self._load_sample(track, instrument, sample_item)
            if loaded is not None:
                return loaded
            fallback = self._stock(track, role)
            self._warn("%s: the sample %s is not in Live's browser (add the project folder to "
                       "Places), so it plays %s" % (track.name, instrument["sample_name"],
                                                     fallback or "no instrument"))
            return fallback
        return self._stock(track, role)  # Drum Racks too: a kit from the browser for drums

    def _stock(self, track, role):
        """A stock instrument for ``role`` (a kit for drums)."""
        if role == "drums":
            kit = self._find_kit()
            if kit is not None:
                return self._load_item(track, kit)
            if hasattr(track, "insert_device"):
                track.insert_device(DRUM_RACK)
                return DRUM_RACK
            return None
        names = PREFERRED.get(role, PREFERRED["other"])
        if hasattr(track, "insert_device"):
            for name in names:
                try:
                    track.insert_device(name)
                    return name
                except Exception as error:  # not in this edition: try the next one
                    self._log("MusiaIA: insert_device(%r) failed: %s" % (name, error))
        item = self._find("instruments", names)
        if item is not None:
            return self._load_item(track, item)
        return None
