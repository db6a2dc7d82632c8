"""/musiaia/...: handshake, heartbeat, state, apply-arrangement, generate trigger, trigger config.
See PROTOCOL.md."""

import json

from .. import protocol
from ..dispatch import HandlerError
from . import base


def register(dispatcher, script):
    names = {}  # sender -> the name it gave in hello (kept until it authenticates)

    def hello(request, args):
        """Step 1 of the handshake: answer with our proof and a nonce for the companion's."""
        nonce = args[2] if len(args) > 2 else None
        try:
            script_nonce, proof = script.gate.challenge(request.sender, nonce, script.instance_id)
        except ValueError as error:
            request.reply((str(error),), protocol.REFUSED)
            return None
        if len(names) > 16:
            names.clear()
        names[request.sender] = args[0][:64] if args and isinstance(args[0], str) else ""
        request.reply((protocol.PROTOCOL_VERSION, script.instance_id, script_nonce, proof),
                      protocol.CHALLENGE)
        return None

    def auth(request, args):
        """Step 2: the companion's proof; right → paired (hello reply and state), else refused."""
        try:
            script.gate.authenticate(request.sender, args[0] if args else None,
                                     args[1] if len(args) > 1 else None)
        except ValueError as error:
            script.log("MusiaIA: refused %s:%d: %s" % (request.sender[0], request.sender[1],
                                                       error))
            request.reply((str(error),), protocol.REFUSED)
            return None
        script.pair(request.sender, names.pop(request.sender, ""))
        request.reply(script.hello_args(), protocol.HELLO_REPLY)
        script.send_state(request.sender, script.state.snapshot())
        return None

    def bye(request, args):
        script.unpair(request.sender)
        return None

    def ping(request, args):
        request.reply(tuple(args[:1]), protocol.PONG)
        return None

    def state_get(request, args):
        script.send_state(request.sender, script.state.snapshot())
        return None

    def generate_ack(request, args):
        if args and isinstance(args[0], str) and script.generate.acknowledge(args[0]):
            script.show_message("MusiaIA: composing a new song…")
        return None

    def generate_done(request, args):
        if args and isinstance(args[0], str):
            script.generate.acknowledge(args[0])
        return None

    def generate_failed(request, args):
        if args and isinstance(args[0], str):
            script.generate.acknowledge(args[0])
            reason = args[1] if len(args) > 1 and isinstance(args[1], str) else "unknown reason"
            script.show_message("MusiaIA: could not generate: %s" % reason)
        return None

    def trigger_config(request, args):
        if args:
            kind = base.to_str(args[0], "kind")
            if kind == "off":
                script.trigger.configure("off", 0, 0)
            else:
                channel = base.to_int(base.arg(args, 1, "channel"), "channel")
                number = base.to_int(base.arg(args, 2, "number"), "number")
                try:
                    script.trigger.configure(kind, channel, number)
                except ValueError as error:
                    raise HandlerError(str(error)) from None
            script.request_rebuild_midi_map()
        described = [item for mapping in script.trigger.mappings() for item in mapping]
        request.reply(tuple(described), protocol.TRIGGER_CONFIG)
        return None

    dispatcher.add(protocol.HELLO, hello)
    dispatcher.add(protocol.AUTH, auth)
    dispatcher.add(protocol.BYE, bye)
    dispatcher.add(protocol.PING, ping)
    dispatcher.add(protocol.STATE_GET, state_get)
    dispatcher.add(protocol.APPLY_CHUNK, lambda request, args: script.apply.on_chunk(request, args))
    dispatcher.add(protocol.APPLY_STATUS,
                   lambda request, args: script.apply.on_status(request, args))
    dispatcher.add(protocol.APPLY_CANCEL,
                   lambda request, args: script.apply.on_cancel(request, args))
    dispatcher.add(protocol.GENERATE_ACK, generate_ack)
    dispatcher.add(protocol.GENERATE_DONE, generate_done)
    dispatcher.add(protocol.GENERATE_FAILED, generate_failed)
    dispatcher.add(protocol.TRIGGER_CONFIG, trigger_config)


def state_json(snapshot, limit):
    """The state as JSON under ``limit`` bytes (a datagram); long track lists are cut."""
    text = json.dumps(snapshot, sort_keys=True, separators=(",", ":"))
    if len(text.encode("utf-8")) <= limit:
        return text
    trimmed = dict(snapshot, tracks_truncated=True)
    tracks = list(snapshot["tracks"])
    while tracks:
        tracks = tracks[: len(tracks) * 3 // 4]
        trimmed["tracks"] = tracks
        text = json.dumps(trimmed, sort_keys=True, separators=(",", ":"))
        if len(text.encode("utf-8")) <= limit:
            return text
    return json.dumps(trimmed, sort_keys=True, separators=(",", ":"))
