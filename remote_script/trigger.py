"""The generate trigger: a MIDI note or CC on the control surface's input asks the companion for
a new song. Default: note 60 (C3) or CC 119, both on MIDI channel 16 (0-based 15).

Live only delivers MIDI the script asked for: ``mappings()`` lists what to forward in
``build_midi_map``; ``feed()`` recognises a press in ``receive_midi``. A CC fires when it crosses
from below 64 to 64 or more (so a held button fires once).
"""

NOTE_ON = 0x90
NOTE_OFF = 0x80
CONTROL_CHANGE = 0xB0


class MidiTrigger(object):
    def __init__(self, note=60, note_channel=15, cc=119, cc_channel=15):
        self.note = note
        self.note_channel = note_channel
        self.cc = cc
        self.cc_channel = cc_channel
        self._cc_high = False

    def configure(self, kind, channel, number):
        """kind is "note", "cc" or "off" (disables both)."""
        if kind == "off":
            self.note = self.cc = None
            return
        if kind not in ("note", "cc"):
            raise ValueError("trigger kind must be note, cc or off")
        if not (0 <= channel <= 15 and 0 <= number <= 127):
            raise ValueError("channel must be 0-15 and number 0-127")
        if kind == "note":
            self.note, self.note_channel = number, channel
        else:
            self.cc, self.cc_channel = number, channel
            self._cc_high = False

    def mappings(self):
        found = []
        if self.note is not None:
            found.append(("note", self.note_channel, self.note))
        if self.cc is not None:
            found.append(("cc", self.cc_channel, self.cc))
        return found

    def feed(self, midi_bytes):
        """"note" or "cc" when these bytes are a trigger press, else None."""
        if len(midi_bytes) < 3:
            return None
        status, number, value = midi_bytes[0], midi_bytes[1], midi_bytes[2]
        kind, channel = status & 0xF0, status & 0x0F
        if kind == NOTE_ON and self.note is not None:
            if channel == self.note_channel and number == self.note and value > 0:
                return "note"
        elif kind == CONTROL_CHANGE and self.cc is not None:
            if channel == self.cc_channel and number == self.cc:
                was_high, self._cc_high = self._cc_high, value >= 64
                if self._cc_high and not was_high:
                    return "cc"
        return None


class GenerateRequests(object):
    """Generate requests sent to the companion, resent until acknowledged."""

    def __init__(self, resend_ticks=10, attempts=3):
        self._resend = resend_ticks
        self._attempts = attempts
        self._pending = {}  # request id -> {"target", "args", "sent_tick", "tries"}
        self._counter = 0

    def new_id(self, tick):
        self._counter += 1
        return "g%d-%d" % (tick, self._counter)

    def add(self, request_id, target, args, tick):
        self._pending[request_id] = {"target": target, "args": args, "sent": tick, "tries": 1}

    def acknowledge(self, request_id):
        return self._pending.pop(request_id, None) is not None

    def due(self, tick):
        """(resend list, given-up list) of (request id, target, args)."""
        resend, failed = [], []
        for request_id, entry in list(self._pending.items()):
            if tick - entry["sent"] < self._resend:
                continue
            if entry["tries"] >= self._attempts:
                del self._pending[request_id]
                failed.append((request_id, entry["target"], entry["args"]))
            else:
                entry["tries"] += 1
                entry["sent"] = tick
                resend.append((request_id, entry["target"], entry["args"]))
        return resend, failed

    def __len__(self):
        return len(self._pending)
