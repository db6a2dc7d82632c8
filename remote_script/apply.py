"""apply-arrangement requests: chunks in → plan → build over ticks → done/failed out.

Every chunk is acknowledged (also repeats, also after the request finished), so the companion can
resend whatever it did not see acknowledged. Requests are built one at a time in arrival order.
The last results are remembered so a status query or a late chunk gets the real answer.
"""

import json
from collections import OrderedDict

from . import protocol
from .builder import Builder, BuildError
from .chunks import ChunkAssembler, ChunkError
from .loader import Planner, PlanError

KEEP_RESULTS = 64
MESSAGE_EVERY_TICKS = 5  # Live's status bar shows the build's progress about twice a second


class ApplyManager(object):
    def __init__(self, script):
        self._script = script
        config = script.config
        self.assembler = ChunkAssembler(script.clock, config["assembly_expiry_seconds"])
        self.queue = []
        self.current = None
        self.results = OrderedDict()
        self.completed = 0
        self.failed = 0

    # -- helpers -------------------------------------------------------------------------------

    def _send(self, target, address, args):
        self._script.send(target, address, args)

    def _finish(self, request_id, target, state, detail):
        self.results[request_id] = (state, detail)
        while len(self.results) > KEEP_RESULTS:
            self.results.popitem(last=False)
        if state == protocol.DONE:
            self.completed += 1
            self._send(target, protocol.APPLY_DONE, (request_id, detail))
        else:
            self.failed += 1
            self._send(target, protocol.APPLY_FAILED, (request_id, detail))

    def _known(self, request_id):
        if request_id in self.results:
            return True
        if self.current is not None and self.current["id"] == request_id:
            return True
        return any(item["id"] == request_id for item in self.queue)

    def status(self, request_id):
        if request_id in self.results:
            return self.results[request_id]
        if self.current is not None and self.current["id"] == request_id:
            builder = self.current["builder"]
            return protocol.BUILDING, "%d/%d %s" % (builder.position, builder.total,
                                                     builder.label)
        for position, item in enumerate(self.queue):
            if item["id"] == request_id:
                return protocol.QUEUED, str(position)
        assembly = self.assembler.get(request_id)
        if assembly is not None:
            return protocol.RECEIVING, "%d/%d" % (len(assembly.parts), assembly.count)
        return protocol.UNKNOWN, ""

    # -- messages ------------------------------------------------------------------------------

    def on_chunk(self, request, args):
        if len(args) != 7 or not isinstance(args[0], str):
            self._send(request.sender, protocol.ERROR,
                       ("Error handling OSC message: apply/chunk needs request_id index count "
                        "total_size crc32 encoding data", request.address))
            return
        request_id, index, count, total, crc, encoding, data = args
        if not (isinstance(index, int) and isinstance(count, int) and isinstance(total, int)
                and isinstance(crc, str) and isinstance(encoding, str)
                and isinstance(data, bytes)):
            self._finish(request_id, request.sender, protocol.FAILED, "malformed chunk")
            return
        if self._known(request_id):
            self._send(request.sender, protocol.APPLY_ACK, (request_id, index, count, count))
            return
        try:
            assembly = self.assembler.add(request_id, index, count, total, crc, encoding, data,
                                          request.sender)
        except ChunkError as error:
            self.assembler.pop(request_id)
            self._finish(request_id, request.sender, protocol.FAILED, str(error))
            return
        self._send(request.sender, protocol.APPLY_ACK,
                   (request_id, index, len(assembly.parts), count))
        if assembly.complete:
            self.assembler.pop(request_id)
            self._accept(assembly)

    def _accept(self, assembly):
        request_id, sender = assembly.request_id, assembly.sender
        try:
            payload = protocol.decode_payload(assembly.encoding, assembly.payload())
        except (ChunkError, protocol.PayloadError) as error:
            self._finish(request_id, sender, protocol.FAILED, str(error))
            return
        planner = Planner(payload["arrangement"], payload.get("options"),
                          payload.get("project_dir"), payload.get("production"))
        self.queue.append({"id": request_id, "sender": sender, "planner": planner})
        self._send(sender, protocol.APPLY_PROGRESS, (request_id, 0, 0, "Queued"))

    def on_status(self, request, args):
        if not args or not isinstance(args[0], str):
            self._send(request.sender, protocol.ERROR,
                       ("Error handling OSC message: apply/status needs a request id",
                        request.address))
            return
        state, detail = self.status(args[0])
        self._send(request.sender, protocol.APPLY_STATUS, (args[0], state, detail))

    def on_cancel(self, request, args):
        if not args or not isinstance(args[0], str):
            return
        request_id = args[0]
        if self.current is not None and self.current["id"] == request_id:
            self.current["builder"].abort(rollback=True)
            self._end_current(protocol.FAILED, "cancelled")
            return
        for item in list(self.queue):
            if item["id"] == request_id:
                self.queue.remove(item)
                self._finish(request_id, item["sender"], protocol.FAILED, "cancelled")
                return
        if self.assembler.pop(request_id) is not None:
            self._finish(request_id, request.sender, protocol.FAILED, "cancelled")

    # -- ticks ---------------------------------------------------------------------------------

    def _plan_next(self, budget_seconds):
        """Plan the first queued request a little; start building it once planned."""
        item = self.queue[0]
        planner = item["planner"]
        try:
            planner.advance(budget_seconds, self._script.clock_precise)
        except PlanError as error:
            self.queue.pop(0)
            self._finish(item["id"], item["sender"], protocol.FAILED,
                         "invalid arrangement: %s" % error)
            return
        if planner.done:
            self.queue.pop(0)
            self._start(item, planner.steps, planner.summary)

    def _start(self, item, steps, summary):
        script = self._script
        builder = Builder(script.song(), script.app, script.live_api, steps, summary, script.log)
        self.current = {"id": item["id"], "sender": item["sender"], "summary": summary,
                        "builder": builder, "reported": -1, "shown": script.ticks}
        script.state.hold()
        script.show_message("MusiaIA: adding '%s' to your set…" % summary["title"])

    def _end_current(self, state, detail):
        item = self.current
        self.current = None
        self._script.state.release()
        self._finish(item["id"], item["sender"], state, detail)
        title = item["summary"]["title"]
        if state == protocol.DONE:
            summary = item["summary"]
            self._script.show_message(
                "MusiaIA: '%s' added (%d tracks, %d clips) - one undo removes it"
                % (title, summary["tracks"], summary["clips"]))
        elif detail == "cancelled":
            self._script.show_message("MusiaIA: '%s' cancelled - the set is as it was" % title)
        else:
            self._script.show_message("MusiaIA: could not add '%s': %s" % (title, detail))

    def tick(self, budget_seconds):
        for assembly in self.assembler.expire():
            self._finish(assembly.request_id, assembly.sender, protocol.FAILED,
                         "timed out waiting for chunks (%d of %d arrived)"
                         % (len(assembly.parts), assembly.count))
        if self.current is None and self.queue:
            self._plan_next(budget_seconds)
            return 0
        if self.current is None:
            return 0
        builder = self.current["builder"]
        try:
            count = builder.run(budget_seconds, self._script.clock_precise)
        except BuildError as error:
            self._end_current(protocol.FAILED, str(error))
            return 1
        if builder.done:
            self._end_current(protocol.DONE, json.dumps(builder.result(), sort_keys=True))
        elif (builder.position, builder.label) != self.current["reported"]:
            self.current["reported"] = (builder.position, builder.label)
            self._send(self.current["sender"], protocol.APPLY_PROGRESS,
                       (self.current["id"], builder.position, builder.total, builder.label))
        if self.current is not None and (
                self._script.ticks - self.current["shown"] >= MESSAGE_EVERY_TICKS):
            self.current["shown"] = self._script.ticks
            text = "MusiaIA: adding '%s' - %d%% (%s)" % (
                self.current["summary"]["title"], 100 * builder.position // max(1, builder.total),
                builder.label)
            if text != self.current.get("message"):  # a long step: the bar already says it
                self.current["message"] = text
                self._script.show_message(text)
        return count

    @property
    def busy(self):
        return self.current is not None or bool(self.queue)

    def shutdown(self):
        """Live is closing the script: stop building, keep what exists, close the undo step."""
        if self.current is not None:
            self.current["builder"].abort(rollback=False)
            item = self.current
            self.current = None
            self._finish(item["id"], item["sender"], protocol.FAILED,
                         "Live closed the MusiaIA script")
        for item in self.queue:
            self._finish(item["id"], item["sender"], protocol.FAILED,
                         "Live closed the MusiaIA script")
        self.queue = []
