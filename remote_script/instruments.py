"""Pick and load an instrument for a track: a drum kit for drums, a Live instrument by name for the
rest, the song's own sample for a Simpler. Works on the browser and track objects it is given (no
``Live`` import).

Live 12.3+ can insert a native device by name (``Track.insert_device``); elsewhere the item is
found in ``application.browser`` and loaded with ``browser.load_item``, which acts on the
*selected* track, so the track is selected first. A Simpler with a sample: no Live version lets a
script hand Simpler a file, so the browser is searched for an audio file of that name (Current
Project, the user's Places, the User Library, Samples) and loaded onto the track, which makes Live
put a Simpler playing it there. Not found: the stock instrument for the role, and a warning. A
Drum Rack of samples that is not the drums (the FX track) gets an empty Drum Rack and a warning:
no Live version lets a script put samples into a Drum Rack's pads.

Every browser walk is **budgeted by time**: it looks at items one by one (``iter_children``, never
a whole folder listing at once) until ``deadline`` passes, then returns ``PENDING``; the builder
calls again on the next tick and the walk resumes where it stopped. ``status`` says what is being
searched and how many items were looked at (shown as build progress).
"""

import time

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
MAX_ITEMS = 3000  # items one device search may look at (device folders are shallow)
MAX_DEPTH = 3
# Where a project's sample can show up in the browser, most likely first. Samples sit deeper
# (Places → projects folder → project → Samples → Imported → file).
SAMPLE_ROOTS = ("current_project", "user_folders", "user_library", "samples")
SAMPLE_DEPTH = 6
MAX_SAMPLE_ITEMS = 50000  # per root: a big library is searched over many ticks, not forever


class _Pending(object):
    def __repr__(self):
        return "PENDING"


PENDING = _Pending()  # the search goes on: call again on a later tick


def _plain(name):
    name = name or ""
    for extension in (".adg", ".adv", ".amxd"):
        if name.lower().endswith(extension):
            name = name[: -len(extension)]
    return name.strip().lower()


def _iterate(item):
    """The children of a browser item one at a time (``iter_children``: Live lists a folder
    lazily; ``children`` would build the whole listing at once)."""
    try:
        if hasattr(item, "iter_children"):
            return iter(item.iter_children)
        return iter(item.children)
    except Exception:
        return iter(())


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
            return list(root)  # the user's Places: a handful of items
        except Exception:
            return []
    return [root]


class Walk(object):
    """A depth-first walk under browser roots that can stop after any item and resume."""

    def __init__(self, roots, max_depth, max_items):
        self._stack = [(_iterate(root), 1) for root in reversed(roots)]
        self._max_depth = max_depth
        self._max_items = max_items
        self.visited = 0

    @property
    def done(self):
        return not self._stack or self.visited >= self._max_items

    def next_item(self):
        """The next (item, depth), or None when the walk is over."""
        while self._stack and self.visited < self._max_items:
            iterator, depth = self._stack[-1]
            try:
                item = next(iterator)
            except StopIteration:
                self._stack.pop()
                continue
            except Exception:
                self._stack.pop()  # Live refused to list this folder: skip it
                continue
            self.visited += 1
            if depth < self._max_depth and getattr(item, "is_folder", False):
                self._stack.append((_iterate(item), depth + 1))
            return item, depth
        self._stack = []
        return None


class _Search(object):
    """Find the best item a ``rank(item)`` function accepts (0 best; None: not wanted)."""

    def __init__(self, walk, rank, label):
        self.walk = walk
        self.rank = rank
        self.label = label
        self.best = None  # (rank, item)
        self.finished = False

    def advance(self, out_of_time):
        while not self.finished:
            found = self.walk.next_item()
            if found is None:
                self.finished = True
                break
            rank = self.rank(found[0])
            if rank is not None and (self.best is None or rank < self.best[0]):
                self.best = (rank, found[0])
                if rank == 0:
                    self.finished = True
                    break
            if out_of_time():
                break
        return self.finished

    @property
    def result(self):
        return self.best[1] if self.best else None


class InstrumentLoader(object):
    def __init__(self, song, app, log=None, warn=None, clock=None):
        self._song = song
        self._app = app
        self._log = log or (lambda message: None)
        self._warn = warn or (lambda message: None)
        self._clock = clock or time.perf_counter
        self.deadline = None  # the builder sets it each tick; None: no time limit
        self._cache = {}  # finished device searches: key → item or None
        self._searches = {}  # device searches under way
        self._sample_index = {}  # root name → {"items": {lower-case name: item}, "walk": …}
        self.status = ""  # what the current search looks for, with its progress
        self.visited = 0  # browser items looked at so far (all searches)

    def _out_of_time(self):
        return self.deadline is not None and self._clock() >= self.deadline

    def _browser(self):
        return getattr(self._app, "browser", None)

    # -- device searches ---------------------------------------------------------------------------

    def _search(self, key, roots, rank, label, max_depth=MAX_DEPTH):
        """The item a device search found (None: nothing), or PENDING while it goes on."""
        if key in self._cache:
            return self._cache[key]
        search = self._searches.get(key)
        if search is None:
            search = self._searches[key] = _Search(Walk(roots, max_depth, MAX_ITEMS), rank,
                                                   label)
        before = search.walk.visited
        finished = search.advance(self._out_of_time)
        self.visited += search.walk.visited - before
        if not finished:
            self.status = "%s (%d items)" % (label, search.walk.visited)
            return PENDING
        del self._searches[key]
        self._cache[key] = search.result
        self.status = ""
        return search.result

    def _find(self, root_name, names):
        browser = self._browser()
        root = getattr(browser, root_name, None) if browser is not None else None
        wanted = [_plain(n) for n in names]

        def rank(item):
            if not getattr(item, "is_loadable", False):
                return None
            name = _plain(getattr(item, "name", ""))
            return wanted.index(name) if name in wanted else None

        return self._search((root_name, tuple(names)), [root] if root is not None else [], rank,
                            "looking for %s in Live's browser" % names[0])

    def _find_kit(self):
        browser = self._browser()
        root = getattr(browser, "drums", None) if browser is not None else None

        def rank(item):
            if not getattr(item, "is_loadable", False):
                return None
            name = getattr(item, "name", "") or ""
            if "kit" in name.lower():
                return 0
            return 1 if _plain(name) == DRUM_RACK.lower() else None

        return self._search("kit", [root] if root is not None else [], rank,
                            "looking for a drum kit in Live's browser")

    def _find_drum_rack(self):
        browser = self._browser()
        root = getattr(browser, "drums", None) if browser is not None else None

        def rank(item):
            loadable = getattr(item, "is_loadable", False)
            return 0 if loadable and _plain(getattr(item, "name", "")) == "drum rack" else None

        return self._search("drum rack", [root] if root is not None else [], rank,
                            "looking for a Drum Rack in Live's browser")

    def _load_item(self, track, item):
        self._song.view.selected_track = track  # load_item acts on the selected track
        self._browser().load_item(item)
        return getattr(item, "name", "")

    # -- the sample search -------------------------------------------------------------------------

    def _sample_walk(self, root_name):
        browser = self._browser()
        roots = _roots(browser, root_name) if browser is not None else []
        return Walk(roots, SAMPLE_DEPTH, MAX_SAMPLE_ITEMS)

    def search_sample(self, file_name, max_items=None):
        """Look for the audio file called ``file_name`` (case-insensitive) in the browser until
        the deadline (or ``max_items`` more items): ``(finished, item or None)``. Call again while
        not finished; every file seen is remembered for the next search."""
        wanted = file_name.lower()
        for root_name in SAMPLE_ROOTS:
            state = self._sample_index.get(root_name)
            if state is None:
                state = self._sample_index[root_name] = {"items": {},
                                                         "walk": self._sample_walk(root_name)}
            if wanted in state["items"]:
                self.status = ""
                return True, state["items"][wanted]
            walk = state["walk"]
            while walk is not None:
                if max_items is not None and max_items <= 0:
                    return False, None
                found = walk.next_item()
                self.visited += 1
                if max_items is not None:
                    max_items -= 1
                if found is None:
                    state["walk"] = walk = None
                    break
                item = found[0]
                if (not getattr(item, "is_folder", False)
                        and not getattr(item, "is_device", False)
                        and getattr(item, "is_loadable", False)):
                    name = (getattr(item, "name", "") or "").lower()
                    state["items"].setdefault(name, item)
                    if name == wanted:
                        self.status = ""
                        return True, item
                if self._out_of_time():
                    self.status = "looking for %s in Live's browser (%d items)" % (
                        file_name, sum(s["walk"].visited for s in self._sample_index.values()
                                       if s["walk"] is not None))
                    return False, None
        self.status = ""
        return True, None

    def find_sample(self, file_name):
        """The browser item of an audio file called ``file_name``, or None (whole search)."""
        while True:
            finished, item = self.search_sample(file_name)
            if finished:
                return item

    # -- loading -----------------------------------------------------------------------------------

    def load(self, track, role, instrument=None):
        """Load something playable on ``track``: the device/preset name, None (nothing found) or
        PENDING (a browser search goes on: call again on the next tick)."""
        kind = instrument.get("kind") if instrument is not None else None
        if kind == "simpler":
            finished, item = self.search_sample(instrument["sample_name"])
            if not finished:
                return PENDING
            if item is not None:
                return self._load_item(track, item)
            fallback = self._stock(track, role)
            if fallback is PENDING:
                return PENDING
            self._warn("%s: the sample %s is not in Live's browser (add the project folder to "
                       "Places), so it plays %s" % (track.name, instrument["sample_name"],
                                                     fallback or "no instrument"))
            return fallback
        if kind == "drum_rack" and role != "drums":
            return self._sample_rack(track, instrument)
        return self._stock(track, role)  # drums: a kit from the browser

    def _sample_rack(self, track, instrument):
        """A Drum Rack of the set's own samples (the FX track): Live's API cannot load a file
        into a pad, so the rack is empty and the warning says where the sounds are."""
        count = len(instrument.get("pads") or ())
        if hasattr(track, "insert_device"):
            track.insert_device(DRUM_RACK)
            loaded = DRUM_RACK
        else:
            item = self._find_drum_rack()
            if item is PENDING:
                return PENDING
            loaded = self._load_item(track, item) if item is not None else None
        self._warn("%s: its %d samples play from a Drum Rack in the .als; Live cannot load "
                   "samples into Drum Rack pads from a script, so here it has %s (open the .als "
                   "for them)" % (track.name, count,
                                  "an empty Drum Rack" if loaded else "no instrument"))
        return loaded

    def _stock(self, track, role):
        """A stock instrument for ``role`` (a kit for drums); PENDING while searching."""
        if role == "drums":
            kit = self._find_kit()
            if kit is PENDING:
                return PENDING
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
        if item is PENDING:
            return PENDING
        if item is not None:
            return self._load_item(track, item)
        return None
