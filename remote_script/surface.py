"""The control surface Live instantiates: wires the sockets, handlers, state, builder and trigger
to Live's tick (``update_display``, ~every 100 ms). No threads: everything runs on Live's main
thread, and one tick never does more than a bounded amount of work.

Two endpoints: the **link** (127.0.0.1:11010), locked to the one companion that proved it knows
the shared secret (link.py), serving ``/musiaia/…`` and ``/live/…``; and, optionally, the
**AbletonOSC-compatible** endpoint (11000 in, replies to the sender's host on 11001), open to
any local client like AbletonOSC itself, serving ``/live/…`` only.
"""

import json
import random
import time
import traceback
from collections import deque

from . import live_api as default_live_api
from . import protocol
from .apply import ApplyManager
from .clients import Clients
from .config import abletonosc_installed, load_config
from .dispatch import Dispatcher
from .handlers import register_all
from .handlers.base import ListenRegistry
from .handlers.musiaia import state_json
from .link import Gate, parse_secret
from .state import StateTracker
from .transport import Transport
from .trigger import GenerateRequests, MidiTrigger

REBIND_EVERY_TICKS = 50  # retry a taken port every ~5 s
STATE_LIMIT_BYTES = 8000
TICK_HISTORY = 4096


class MusiaIA(object):
    def __init__(self, c_instance, live_api=None, config=None, clock=None):
        self._c_instance = c_instance
        self.live_api = live_api or default_live_api
        self.config = config or load_config(log=self.log)
        self.clock = clock or time.monotonic
        self.clock_precise = time.perf_counter
        self._song = c_instance.song()
        self.app = self.live_api.get_application()
        self.live_version = self.live_api.version_string(self.app)
        self.capabilities = self.live_api.capabilities()
        self.instance_id = "%08x" % random.getrandbits(32)
        self.ticks = 0
        self.tick_seconds = deque(maxlen=TICK_HISTORY)
        self._scheduled = []
        self._open_failed_at = None
        self._midi_map_handle = None

        self.transport = Transport(self.config["host"], self.config["script_port"], self.log)
        self.gate = Gate(parse_secret(self.config["link_secret"]), self.clock,
                         self.config["takeover_seconds"])
        if self.gate.secret is None:
            self.log("MusiaIA: no link secret in config.json - every companion will be refused; "
                     "run 'python3 install.py script' to pair the script with the companion")
        self.compat = None
        self._compat_failed_at = None
        mode = self.config["abletonosc"]
        if mode == "on" or (mode == "auto" and not abletonosc_installed()):
            self.compat = Transport(self.config["host"], self.config["abletonosc_port"],
                                    self.log)
        self.clients = Clients(self.clock, self.config["client_expiry_seconds"])
        self.listens = ListenRegistry(self.send, self.log)
        self.state = StateTracker(self._song, self.log, self.config["debounce_ticks"],
                                  self.config["max_push_delay_ticks"])
        self.apply = ApplyManager(self)
        self.trigger = MidiTrigger(self.config["trigger_note"],
                                   self.config["trigger_note_channel"],
                                   self.config["trigger_cc"], self.config["trigger_cc_channel"])
        self.generate = GenerateRequests()
        self.dispatcher = Dispatcher(self.log)
        register_all(self.dispatcher, self)
        self.compat_dispatcher = Dispatcher(self.log)
        register_all(self.compat_dispatcher, self, musiaia=False)

        self.state.attach()
        self._open_transport()
        self._open_compat()
        self.request_rebuild_midi_map()

    # -- Live's control-surface interface ------------------------------------------------------

    def disconnect(self):
        """Live drops the script (surface deselected, set closed, Live quits)."""
        try:
            self.apply.shutdown()
            for client in self.clients.subscribers():
                self.send(client, protocol.BYE, (self.instance_id,))
            self.listens.clear()
            self.state.detach()
        finally:
            self.transport.close()
            if self.compat is not None:
                self.compat.close()

    def update_display(self):
        """Live's tick: network in, build a little, state out."""
        started = time.perf_counter()
        try:
            self._tick()
        except Exception:  # never let an exception reach Live's loop
            self.log("MusiaIA: tick failed: %s" % traceback.format_exc())
        self.tick_seconds.append(time.perf_counter() - started)

    def refresh_state(self):
        self.state.force()

    def connect_script_instances(self, instances):
        pass

    def can_lock_to_devices(self):
        return False

    def suggest_input_port(self):
        return ""

    def suggest_output_port(self):
        return ""

    def suggest_map_mode(self, cc_no, channel):
        return self.live_api.absolute_map_mode()

    def build_midi_map(self, midi_map_handle):
        self._midi_map_handle = midi_map_handle
        for kind, channel, number in self.trigger.mappings():
            try:
                if kind == "note":
                    self.live_api.forward_note(self._c_instance, midi_map_handle, channel, number)
                else:
                    self.live_api.forward_cc(self._c_instance, midi_map_handle, channel, number)
            except Exception as error:
                self.log("MusiaIA: cannot map the trigger: %s" % error)

    def receive_midi(self, midi_bytes):
        kind = self.trigger.feed(tuple(midi_bytes))
        if kind is not None:
            self.request_generation(kind)

    def song(self):
        return self._song

    def application(self):
        return self.app

    def port_settings_changed(self):
        self.request_rebuild_midi_map()

    def toggle_lock(self):
        pass

    # -- helpers -------------------------------------------------------------------------------

    def log(self, message):
        try:
            self._c_instance.log_message(message)
        except Exception:
            pass

    def show_message(self, message):
        try:
            self._c_instance.show_message(message)
        except Exception:
            pass

    def request_rebuild_midi_map(self):
        try:
            self._c_instance.request_rebuild_midi_map()
        except Exception:
            pass

    def schedule_message(self, delay_ticks, callback):
        """Run ``callback`` on a later tick (what the Framework offers, without the Framework)."""
        self._scheduled.append((self.ticks + max(1, int(delay_ticks)), callback))

    def send(self, target, address, args=()):
        return self.transport.send(target, address, args)

    def send_compat(self, target, address, args=()):
        if self.compat is None:
            return False
        return self.compat.send(target, address, args)

    def hello_args(self):
        return (protocol.PROTOCOL_VERSION, protocol.SCRIPT_VERSION, self.live_version,
                json.dumps({"capabilities": self.capabilities,
                            "encodings": protocol.encodings(),
                            "chunk_bytes": protocol.CHUNK_BYTES}, sort_keys=True),
                self.instance_id)

    def send_state(self, target, snapshot):
        self.send(target, protocol.STATE, (state_json(snapshot, STATE_LIMIT_BYTES),))

    def _open_transport(self):
        try:
            self.transport.open()
        except Exception as error:
            self._open_failed_at = self.ticks
            host, port = self.config["host"], self.config["script_port"]
            self.show_message("MusiaIA: cannot listen on %s:%s (%s) - is another MusiaIA "
                              "running?" % (host, port, error))
            self.log("MusiaIA: bind %s:%s failed: %s" % (host, port, error))
            return False
        self._open_failed_at = None
        host, port = self.transport.address
        self.log("MusiaIA %s listening on %s:%d (Live %s)"
                 % (protocol.SCRIPT_VERSION, host, port, self.live_version))
        companion = (self.config["host"], self.config["companion_port"])
        self.send(companion, protocol.STARTUP, (protocol.PROTOCOL_VERSION, self.instance_id))
        return True

    def _open_compat(self):
        if self.compat is None:
            return False
        try:
            self.compat.open()
        except Exception as error:
            self._compat_failed_at = self.ticks
            self.log("MusiaIA: the AbletonOSC-compatible mode cannot listen on %s:%s (%s)"
                     % (self.config["host"], self.config["abletonosc_port"], error))
            return False
        self._compat_failed_at = None
        self.log("MusiaIA: AbletonOSC-compatible mode on %s:%d (replies to port %d)"
                 % (self.compat.address[0], self.compat.address[1],
                    self.config["abletonosc_reply_port"]))
        return True

    def pair(self, sender, name=""):
        """``sender`` proved the secret: it is the companion now (replacing a silent one)."""
        for old in self.clients.subscribers():
            if old != sender:
                self.clients.unsubscribe(old)
                self.listens.forget_client(old)
        self.clients.subscribe(sender, name)

    def unpair(self, sender):
        self.clients.unsubscribe(sender)
        self.listens.forget_client(sender)
        self.gate.unpair(sender)

    def request_generation(self, source):
        target = self.clients.latest()
        if target is None:
            self.show_message("MusiaIA: the companion is not connected - start it to generate")
            return None
        snapshot = self.state.snapshot()
        context = {"source": source, "tempo": snapshot["tempo"],
                   "signature": snapshot["signature"], "root_note": snapshot["root_note"],
                   "scale_name": snapshot["scale_name"],
                   "selected_track": snapshot["selected_track"]}
        request_id = self.generate.new_id(self.ticks)
        args = (request_id, json.dumps(context, sort_keys=True))
        self.generate.add(request_id, target, args, self.ticks)
        self.send(target, protocol.GENERATE, args)
        self.show_message("MusiaIA: asking the companion for a new song…")
        return request_id

    # -- the tick ------------------------------------------------------------------------------

    def _on_message(self, message, sender):
        """The link port: the paired companion is served; anyone may only shake hands."""
        if self.gate.is_peer(sender):
            self.gate.seen(sender)
            self.clients.seen(sender)
            self.dispatcher.dispatch(message, sender, self.send)
        elif message.address in (protocol.HELLO, protocol.AUTH):
            self.dispatcher.dispatch(message, sender, self.send)
        elif self.gate.should_refuse(sender):
            self.send(sender, protocol.REFUSED,
                      ("not paired with this MusiaIA script: say %s first" % protocol.HELLO,))

    def _on_malformed(self, sender, error):
        if self.gate.is_peer(sender):
            self.send(sender, protocol.ERROR, ("Malformed OSC packet: %s" % error,))
        else:
            self.gate.dropped += 1

    def _on_compat_message(self, message, sender):
        """AbletonOSC's convention: answers go to the sender's host on the reply port; the
        MusiaIA address space is not served here."""
        target = (sender[0], self.config["abletonosc_reply_port"])
        if message.address.startswith("/musiaia/"):
            self.send_compat(target, protocol.ERROR,
                             ("Unknown OSC address: %s" % message.address,))
            return
        self.compat_dispatcher.dispatch(message, target, self.send_compat)

    def _on_compat_malformed(self, sender, error):
        target = (sender[0], self.config["abletonosc_reply_port"])
        self.send_compat(target, protocol.ERROR, ("Malformed OSC packet: %s" % error,))

    def _tick(self):
        started = self.clock_precise()
        self.ticks += 1
        tick = self.ticks
        if self._scheduled:
            due = [item for item in self._scheduled if item[0] <= tick]
            self._scheduled = [item for item in self._scheduled if item[0] > tick]
            for _when, callback in due:
                try:
                    callback()
                except Exception as error:
                    self.log("MusiaIA: scheduled task failed: %r" % (error,))
        if self.compat is not None:
            if self.compat.is_open:
                self.compat.poll(self._on_compat_message, self.config["max_packets_per_tick"],
                                 self._on_compat_malformed)
            elif tick - (self._compat_failed_at or 0) >= REBIND_EVERY_TICKS:
                self._open_compat()
        if not self.transport.is_open:
            if tick - (self._open_failed_at or 0) >= REBIND_EVERY_TICKS:
                self._open_transport()
            return
        self.transport.poll(self._on_message, self.config["max_packets_per_tick"],
                            self._on_malformed)
        spent = self.clock_precise() - started
        self.apply.tick(max(0.0, self.config["tick_budget_ms"] / 1000.0 - spent))
        self.listens.flush()
        for gone in self.clients.expire():
            self.listens.forget_client(gone)
            self.gate.unpair(gone)
        snapshot = self.state.tick(tick)
        if snapshot is not None:
            for client in self.clients.subscribers():
                self.send_state(client, snapshot)
        if tick % max(1, self.config["song_time_every_ticks"]) == 0 and self._song.is_playing:
            for client in self.clients.subscribers():
                self.send(client, protocol.SONG_TIME, (float(self._song.current_song_time), True))
        resend, failed = self.generate.due(tick)
        for _request_id, target, args in resend:
            self.send(target, protocol.GENERATE, args)
        if failed:
            self.show_message("MusiaIA: the companion did not answer the generate request")
