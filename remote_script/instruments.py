"""Pick and load an instrument for a track: a drum kit for drums, a Live instrument by name for the
rest. Works on the browser and track objects it is given (no ``Live`` import).

Live 12.3+ can insert a native device by name (``track.insert_device``); elsewhere the item is
found in ``application.browser`` and loaded with ``browser.load_item``, which acts on the
*selected* track, so the track is selected first.
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
MAX_ITEMS = 3000  # browser items visited per search; tree walks are slow in Live
MAX_DEPTH = 3


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


class InstrumentLoader(object):
    def __init__(self, song, app, log=None):
        self._song = song
        self._app = app
        self._log = log or (lambda message: None)
        self._cache = {}

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

    def load(self, track, role):
        """Load something playable on ``track``; returns the device/preset name or None."""
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
