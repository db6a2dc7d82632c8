"""Read requests from the companion: ``/musiaia/read`` in → a ReadJob run over ticks → the
result out in chunks, kept a while so lost chunks can be fetched again.

A request is idempotent by its id: a repeat while it runs answers with its progress, after it
finished with its outcome again. One read runs at a time, in arrival order.
"""

import json
from collections import OrderedDict

try:
    import zlib
except ImportError:  # pragma: no cover - every CPython build Live ships has zlib
    zlib = None

from . import protocol
from .reader import ReadError, ReadJob, parse_spec

NOTES_PER_PIECE = 200  # notes encoded per unit of work (JSON of thousands takes milliseconds)
KEEP_RESULTS = 8
MAX_QUEUE = 4
RESULT_SECONDS = 120.0  # a finished read's chunks stay fetchable this long
MESSAGE_EVERY_TICKS = 5  # status-bar updates while reading (~0.5 s)


def split(data, size):
    return [data[i:i + size] for i in range(0, len(data), size)] or [b""]


def _open(value):
    """A JSON object's text without its closing brace (to append more members)."""
    return json.dumps(value, separators=(",", ":"), sort_keys=True)[:-1]


def encode_pieces(result, out):
    """Encode a read's result as JSON (zlib-compressed where available) into ``out``, a generator
    pausing after every NOTES_PER_PIECE notes so a big answer is encoded over several ticks.
    Returns (via ``out[0]``) nothing; the caller joins ``out[1:]``; ``out[0]`` is the encoding."""
    compressor = zlib.compressobj(6) if zlib is not None else None
    out.append(protocol.ENCODING_ZLIB_JSON if compressor else protocol.ENCODING_JSON)

    def put(text):
        data = text.encode("utf-8")
        out.append(compressor.compress(data) if compressor else data)

    head = dict(result)
    tracks = head.pop("tracks")
    put(_open(head) + ',"tracks":[')
    for ti, track in enumerate(tracks):
        entry = dict(track)
        clips = entry.pop("clips")
        put(("," if ti else "") + _open(entry) + ',"clips":[')
        for ci, clip in enumerate(clips):
            info = dict(clip)
            notes = info.pop("notes")
            put(("," if ci else "") + _open(info) + ',"notes":[')
            for first in range(0, len(notes), NOTES_PER_PIECE):
                piece = json.dumps(notes[first:first + NOTES_PER_PIECE], separators=(",", ":"))
                put(("," if first else "") + piece[1:-1])
                yield
            put("]}")
        put("]}")
        yield
    put("]}")
    if compressor is not None:
        out.append(compressor.flush())


class ReadManager(object):
    def __init__(self, script):
        self._script = script
        self.queue = []
        self.current = None  # {"id", "sender", "job", "shown"}
        self.results = OrderedDict()  # id → {"state", "detail", "chunks", "meta", "at"}
        self.completed = 0

    def _send(self, target, address, args):
        self._script.send(target, address, args)

    # -- messages ------------------------------------------------------------------------------

    def on_read(self, request, args):
        if len(args) < 2 or not isinstance(args[0], str) or not isinstance(args[1], str):
            self._send(request.sender, protocol.ERROR,
                       ("Error handling OSC message: read needs request_id spec_json",))
            return
        request_id = args[0][:64]
        if not request_id:
            return
        if self._repeat(request_id, request.sender):
            return
        try:
            raw = json.loads(args[1])
            spec = parse_spec(raw)
        except (ValueError, ReadError) as error:
            self._finish(request_id, request.sender, protocol.FAILED,
                         "invalid read request: %s" % error)
            return
        if len(self.queue) >= MAX_QUEUE:
            self._finish(request_id, request.sender, protocol.FAILED, "busy: too many reads")
            return
        self.queue.append({"id": request_id, "sender": request.sender, "spec": spec})
        self._send(request.sender, protocol.READ_PROGRESS, (request_id, 0, 100, "Queued"))

    def _repeat(self, request_id, sender):
        """Answer a request seen before (its outcome, or where it is); True if it was."""
        entry = self.results.get(request_id)
        if entry is not None:
            if entry["state"] == protocol.DONE:
                self._send_done(request_id, sender, entry)
            else:
                self._send(sender, protocol.READ_FAILED, (request_id, entry["detail"]))
            return True
        if self.current is not None and self.current["id"] == request_id:
            job = self.current["job"]
            self._send(sender, protocol.READ_PROGRESS,
                       (request_id, job.percent, 100, job.label))
            return True
        if any(item["id"] == request_id for item in self.queue):
            self._send(sender, protocol.READ_PROGRESS, (request_id, 0, 100, "Queued"))
            return True
        return False

    def on_fetch(self, request, args):
        """``/musiaia/read/fetch request_id index…``: send those chunks again."""
        if not args or not isinstance(args[0], str):
            return
        entry = self.results.get(args[0])
        if entry is None or entry["state"] != protocol.DONE:
            self._send(request.sender, protocol.READ_FAILED,
                       (args[0], "unknown read (finished too long ago?)"))
            return
        for index in args[1:33]:
            if isinstance(index, int) and 0 <= index < len(entry["chunks"]):
                self._send_chunk(request.sender, args[0], index, entry)

    def on_cancel(self, request, args):
        if not args or not isinstance(args[0], str):
            return
        request_id = args[0]
        if self.current is not None and self.current["id"] == request_id:
            item, self.current = self.current, None
            self._finish(request_id, item["sender"], protocol.FAILED, "cancelled")
            self._script.show_message("MusiaIA: reading cancelled")
            return
        for item in list(self.queue):
            if item["id"] == request_id:
                self.queue.remove(item)
                self._finish(request_id, item["sender"], protocol.FAILED, "cancelled")

    # -- results -------------------------------------------------------------------------------

    def _remember(self, request_id, entry):
        entry["at"] = self._script.clock()
        self.results[request_id] = entry
        while len(self.results) > KEEP_RESULTS:
            self.results.popitem(last=False)

    def _finish(self, request_id, target, state, detail):
        self._remember(request_id, {"state": state, "detail": detail, "chunks": []})
        self._send(target, protocol.READ_FAILED, (request_id, detail))

    def _send_done(self, request_id, target, entry):
        meta = entry["meta"]
        self._send(target, protocol.READ_DONE,
                   (request_id, meta["count"], meta["total"], meta["crc"], meta["encoding"]))
        for index in range(len(entry["chunks"])):
            self._send_chunk(target, request_id, index, entry)

    def _send_chunk(self, target, request_id, index, entry):
        meta = entry["meta"]
        self._send(target, protocol.READ_CHUNK,
                   (request_id, index, meta["count"], meta["total"], meta["crc"],
                    meta["encoding"], entry["chunks"][index]))

    def _publish(self, item, encoding, data):
        chunks = split(data, protocol.CHUNK_BYTES)
        entry = {"state": protocol.DONE, "detail": "", "chunks": chunks,
                 "meta": {"count": len(chunks), "total": len(data),
                          "crc": protocol.crc_hex(data), "encoding": encoding}}
        self._remember(item["id"], entry)
        self.completed += 1
        self._send_done(item["id"], item["sender"], entry)

    # -- ticks ---------------------------------------------------------------------------------

    @property
    def busy(self):
        return self.current is not None or bool(self.queue)

    def tick(self, budget_seconds):
        started = self._script.clock_precise()
        now = self._script.clock()
        for request_id in [k for k, v in self.results.items()
                           if now - v["at"] > RESULT_SECONDS]:
            del self.results[request_id]
        if self.current is None:
            if not self.queue:
                return
            item = self.queue.pop(0)
            item["job"] = ReadJob(self._script.song(), item["spec"], self._script.live_api)
            item["shown"] = self._script.ticks
            self.current = item
            self._script.show_message("MusiaIA: reading your notes…")
        item = self.current
        job = item["job"]
        if item.get("encoder") is not None:  # the notes are read: encode a little per tick
            self._encode(item, budget_seconds)
            return
        try:
            done = job.advance(budget_seconds, self._script.clock_precise)
        except ReadError as error:
            self.current = None
            self._finish(item["id"], item["sender"], protocol.FAILED, str(error))
            self._script.show_message("MusiaIA: %s" % error)
            return
        except Exception as error:  # Live refused something: report, never crash the tick
            self.current = None
            self._finish(item["id"], item["sender"], protocol.FAILED,
                         "Live refused the read: %s" % error)
            return
        if done:  # encoding starts in what is left of this tick (a small read goes out now)
            item["pieces"] = []
            item["encoder"] = encode_pieces(job.result, item["pieces"])
            left = budget_seconds - (self._script.clock_precise() - started)
            if left > 0:
                self._encode(item, left)
            return
        if item.get("reported") != (job.percent, job.label):
            item["reported"] = (job.percent, job.label)
            self._send(item["sender"], protocol.READ_PROGRESS,
                       (item["id"], job.percent, 100, job.label))
        if self._script.ticks - item["shown"] >= MESSAGE_EVERY_TICKS:
            item["shown"] = self._script.ticks
            self._script.show_message("MusiaIA: reading your notes… %d%%" % job.percent)

    def _encode(self, item, budget_seconds):
        clock = self._script.clock_precise
        started = clock()
        encoder = item["encoder"]
        while True:
            try:
                next(encoder)
            except StopIteration:
                break
            if clock() - started >= budget_seconds:
                return
        job = item["job"]
        pieces = item["pieces"]
        self.current = None
        self._publish(item, pieces[0], b"".join(pieces[1:]))
        self._script.show_message("MusiaIA: read %d notes from %d clip%s"
                                  % (job.notes, job.clips_done,
                                     "" if job.clips_done == 1 else "s"))

    def shutdown(self):
        if self.current is not None:
            item, self.current = self.current, None
            self._finish(item["id"], item["sender"], protocol.FAILED,
                         "Live closed the MusiaIA script")
        for item in self.queue:
            self._finish(item["id"], item["sender"], protocol.FAILED,
                         "Live closed the MusiaIA script")
        self.queue = []
