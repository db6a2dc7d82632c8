"""The locked link between the companion and the Remote Script (issue 11 finding 2, issue 14
item 5): who may talk, what is believed, and what a flood costs. Real UDP on 127.0.0.1, the real
bridge, the real script in the simulator; impostors are plain sockets.
"""

from __future__ import annotations

import asyncio
import json
import logging
import socket
import time

import pytest
from pythonosc.osc_bundle_builder import IMMEDIATELY, OscBundleBuilder
from pythonosc.osc_message_builder import OscMessageBuilder
from pythonosc.osc_packet import OscPacket

from companion.live import link, protocol
from companion.live.bridge import LiveBridge, LiveBridgeConfig
from companion.live.state import LiveState
from companion.music.compose import compose
from companion.music.resolve import resolve
from companion.requirements import Requirements
from companion.server.live import fit_to_set
from fake_live import FakeLive
from fake_live.rig import (
    FAST_TIMINGS,
    LINK_SECRET,
    LINK_SECRET_HEX,
    LiveRig,
    SyncClient,
    free_udp_port,
    osc_bytes,
    script_crashes,
    script_env,
)


def run(coro):
    return asyncio.run(coro)


def song():
    return compose(resolve(Requirements(style="house", bars=8), 1))


class Peer:
    """A plain UDP socket at a chosen port: an impostor script, a rogue local process, or a
    scripted 'script' that knows the secret (to send what the real script never would)."""

    def __init__(self, port: int = 0) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", port))
        self.sock.setblocking(False)
        self.received: list[tuple[str, tuple, tuple]] = []

    @property
    def port(self) -> int:
        return self.sock.getsockname()[1]

    def send(self, target: tuple[str, int], address: str, *args) -> None:
        self.sock.sendto(osc_bytes(address, *args), target)

    def drain(self) -> list[tuple[str, tuple, tuple]]:
        while True:
            try:
                data, sender = self.sock.recvfrom(65536)
            except BlockingIOError:
                break
            for timed in OscPacket(data).messages:
                self.received.append((timed.message.address, tuple(timed.message.params), sender))
        return self.received

    def close(self) -> None:
        self.sock.close()

    async def answer_handshake(self, secret: bytes | None, timeout: float = 3.0) -> bool:
        """Play the script's side of the handshake; True once the companion's proof arrived
        and was right."""
        deadline = time.monotonic() + timeout
        instance = "0badc0de"
        script_nonce = link.new_nonce()
        while time.monotonic() < deadline:
            for address, args, sender in list(self.drain()):
                self.received.remove((address, args, sender))
                if address == protocol.HELLO:
                    proof = (
                        link.script_proof(secret, args[2], script_nonce, instance)
                        if secret
                        else "f" * 64
                    )
                    self.cnonce = args[2]
                    self.send(sender, protocol.CHALLENGE, 2, instance, script_nonce, proof)
                elif address == protocol.AUTH and secret:
                    expected = link.companion_proof(secret, script_nonce, self.cnonce)
                    if args[1] == expected:
                        caps = json.dumps({"capabilities": [], "encodings": ["json"]})
                        self.send(
                            sender, protocol.HELLO_REPLY, 2, "0.1.0", "12.2.5", caps, instance
                        )
                        return True
            await asyncio.sleep(0.01)
        return False


def bridge_for(script_port: int, **options) -> LiveBridge:
    config = LiveBridgeConfig(
        script_port=script_port,
        companion_port=0,
        heartbeat_interval=0.2,
        heartbeat_timeout=0.8,
        timings=FAST_TIMINGS,
        secret=options.pop("secret", LINK_SECRET),
        **options,
    )
    return LiveBridge(config=config)


async def until(predicate, timeout: float = 5.0, what: str = "condition"):
    deadline = asyncio.get_running_loop().time() + timeout
    while not predicate():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.01)


# -- the companion side ---------------------------------------------------------------------------


def test_a_process_on_the_script_port_is_not_live():
    """An impostor bound to the script port (no secret) answers the hello: it is never shown as
    connected, its state is not believed, and no song or path is ever sent to it."""

    async def scenario():
        impostor = Peer()
        bridge = bridge_for(impostor.port)
        await bridge.start()
        try:
            assert not await impostor.answer_handshake(None, timeout=1.0)
            state = {"tempo": 77.7, "signature": [4, 4], "tracks": []}
            impostor.send(bridge.address, protocol.STATE, json.dumps(state))
            impostor.send(bridge.address, protocol.HELLO_REPLY, 2, "0.1.0", "12", "{}", "x")
            await asyncio.sleep(0.3)
            assert not bridge.connected and not bridge.paired
            assert bridge.state.tempo is None
            assert "not a MusiaIA Remote Script" in bridge.link_error
            sent = bridge.datagrams_sent
            result = await bridge.load(song(), project_dir="/Users/me/Music/Secret Project")
            assert not result.ok and "not a MusiaIA Remote Script" in result.reason
            assert bridge.datagrams_sent == sent
            heard = [address for address, _args, _ in impostor.drain()]
            assert protocol.APPLY_CHUNK not in heard and protocol.AUTH not in heard
        finally:
            await bridge.stop()
            impostor.close()

    run(scenario())


def test_spoofed_state_and_triggers_from_other_ports_are_ignored():
    """The real script is paired; a local process sends state, a fake track and 20 generate
    triggers from its own port: nothing changes and nothing is generated."""

    async def scenario():
        async with LiveRig("12.2") as rig:
            await rig.connected()
            made = []

            async def make(request):
                made.append(request)
                return None

            rig.bridge.on_generate(make)
            rogue = Peer()
            fake = {
                "tempo": 77.7,
                "signature": [4, 4],
                "root_note": 2,
                "scale_name": "Minor",
                "tracks": [{"index": 0, "name": "Fake", "color_index": 1, "type": "midi"}],
            }
            for i in range(20):
                rogue.send(rig.bridge.address, protocol.STATE, json.dumps(fake))
                rogue.send(rig.bridge.address, protocol.GENERATE, f"g{i}", "{}")
            await asyncio.sleep(0.5)
            assert rig.bridge.state.tempo == 120.0
            assert "Fake" not in [t.name for t in rig.bridge.state.tracks]
            assert made == []
            assert rig.bridge.trouble.counts["datagram from an unexpected address"] == 40
            rogue.close()

    run(scenario())


def test_state_from_live_is_validated_and_chat_fitting_survives_it(caplog):
    """Even from the paired script, a state Live cannot have (4/3, 0/4, tempo 5000, root 14) is
    refused whole; and the chat's fitting never passes an impossible meter on (it made chat
    generation answer 500)."""

    async def scenario():
        script = Peer()
        bridge = bridge_for(script.port)
        await bridge.start()
        try:
            assert await script.answer_handshake(LINK_SECRET)
            await until(lambda: bridge.paired, what="pairing")
            good = {"tempo": 124.0, "signature": [3, 4], "root_note": 9, "scale_name": "Minor"}
            script.send(bridge.address, protocol.STATE, json.dumps(good))
            await until(lambda: bridge.state.tempo == 124.0, what="a good state")
            for bad in (
                {"tempo": 90.0, "signature": [4, 3]},
                {"tempo": 90.0, "signature": [0, 4]},
                {"tempo": 5000.0},
                {"tempo": 90.0, "root_note": 14},
                {"tempo": 90.0, "tracks": [{"index": -4, "name": "x"}]},
                {"tempo": 90.0, "scale_name": "x" * 5000},
                ["not", "an", "object"],
            ):
                script.send(bridge.address, protocol.STATE, json.dumps(bad))
            script.send(bridge.address, protocol.STATE, "{not json")
            await asyncio.sleep(0.3)
            state = bridge.state
            assert (state.tempo, state.signature, state.key) == (124.0, (3, 4), "Am")
            assert bridge.trouble.counts["bad message"] == 8
        finally:
            await bridge.stop()
            script.close()

    run(scenario())

    for signature in ((4, 3), (0, 4)):
        live = LiveState(
            connected=True, tempo=128.0, signature=signature, root_note=9, scale_name="Minor"
        )
        fitted = fit_to_set(Requirements(style="house", bars=8), live)
        assert fitted.time_signature is None and fitted.bpm == 128.0 and fitted.key == "Am"
        assert compose(resolve(fitted, 3)).bpm == 128.0  # generation works


def test_generate_triggers_are_rate_limited_and_one_at_a_time():
    """20 distinct generate requests from the paired script make at most the burst (2) songs;
    the rest are refused with a reason Live shows."""

    async def scenario():
        script = Peer()
        bridge = bridge_for(script.port)
        await bridge.start()
        made = []

        async def make(request):
            made.append(request)
            return None

        bridge.on_generate(make)
        try:
            assert await script.answer_handshake(LINK_SECRET)
            await until(lambda: bridge.paired, what="pairing")
            context = json.dumps({"source": "note", "tempo": 120.0, "signature": [4, 4]})
            for i in range(20):
                script.send(bridge.address, protocol.GENERATE, f"g{i}", context)
                await asyncio.sleep(0.01)
            script.send(bridge.address, protocol.GENERATE, "bad", json.dumps({"signature": [4, 3]}))
            await asyncio.sleep(0.3)
            assert len(made) == 2
            failed = [
                args for address, args, _ in script.drain() if address == protocol.GENERATE_FAILED
            ]
            reasons = {args[1] for args in failed}
            assert "too many requests: wait a little" in reasons
            assert ("bad", "invalid request from Live") in [tuple(a) for a in failed]
        finally:
            await bridge.stop()
            script.close()

    run(scenario())


def test_a_flood_of_bad_datagrams_costs_one_log_line_per_kind(caplog):
    """A 60 KB bundle of bad messages (and garbage from other ports) writes a few lines, not a
    traceback per message; every one is counted."""

    async def scenario():
        script = Peer()
        rogue = Peer()
        bridge = bridge_for(script.port)
        await bridge.start()
        try:
            assert await script.answer_handshake(LINK_SECRET)
            await until(lambda: bridge.paired, what="pairing")
            bundle = OscBundleBuilder(IMMEDIATELY)
            count = 0
            while len(bundle.build().dgram) < 60_000:
                message = OscMessageBuilder(protocol.SONG_TIME)
                message.add_arg("not a number")
                bundle.add_content(message.build())
                count += 1
            data = bundle.build().dgram
            with caplog.at_level(logging.DEBUG, logger="companion.live"):
                for _ in range(5):
                    script.sock.sendto(data, bridge.address)
                    rogue.sock.sendto(data, bridge.address)
                    rogue.sock.sendto(b"\x00garbage" * 100, bridge.address)
                    await asyncio.sleep(0.15)  # a 60 KB bundle each: no loss in the socket buffer
                await until(lambda: bridge.trouble.counts["bad message"] == 5 * count, what="all")
            assert bridge.trouble.counts["datagram from an unexpected address"] == 10
            lines = [r for r in caplog.records if r.name.startswith("companion.live")]
            assert len(lines) <= 3, [r.getMessage() for r in lines]
            assert not any(r.exc_info for r in lines)
            assert sum(len(r.getMessage()) for r in lines) < 2000
            assert bridge.paired  # and the link still works
        finally:
            await bridge.stop()
            script.close()
            rogue.close()

    run(scenario())


def test_bounded_log_counts_and_reports_again_after_the_interval():
    now = [0.0]
    records = []

    class Catch(logging.Handler):
        def emit(self, record):
            records.append(record.getMessage())

    logger = logging.getLogger("test.bounded")
    logger.addHandler(Catch())
    logger.propagate = False
    log = link.BoundedLog(logger, interval=60.0, clock=lambda: now[0])
    for _ in range(1000):
        log.report("bad thing", "detail")
    log.report("other thing")
    now[0] = 61.0
    log.report("bad thing")
    assert log.counts["bad thing"] == 1001
    assert len(records) == 3
    assert "999 more since the last report" in records[-1]  # the ones it did not write


# -- the script side ------------------------------------------------------------------------------


@pytest.fixture
def live_script():
    live = FakeLive("12.2")
    port = free_udp_port()
    with script_env(port, free_udp_port()):
        surface, _c = live.start_script()
    clients = []

    def client():
        made = SyncClient(live, port)
        clients.append(made)
        return made

    yield live, surface, client
    crashes = script_crashes(live)
    for made in clients:
        made.close()
    live.close()
    assert not crashes, crashes


def test_the_script_serves_only_its_paired_companion(live_script):
    live, surface, client = live_script
    rogue = client()
    rogue.send("/live/song/set/tempo", 77.7)
    rogue.send("/musiaia/state/get")
    for _ in range(50):
        rogue.send("/live/song/create_midi_track", -1)
    messages = rogue.pump(3)
    assert live.song.tempo == 120.0 and len(live.song.tracks) == 4
    refusals = [args for address, args in messages if address == "/musiaia/refused"]
    assert len(refusals) == 1 and "not paired" in refusals[0][0]  # one refusal, not 52
    assert not any(address == "/musiaia/state" for address, _ in messages)
    assert surface.gate.dropped == 52

    companion = client()
    companion.pair()
    companion.send("/live/song/set/tempo", 99.0)
    companion.pump(2)
    assert live.song.tempo == 99.0
    rogue.send("/live/song/set/tempo", 77.7)  # still refused while the companion is paired
    rogue.pump(2)
    assert live.song.tempo == 99.0


def test_wrong_secrets_and_second_companions_get_a_clear_refusal(live_script):
    _live, surface, client = live_script
    stranger = client()
    nonce = link.new_nonce()
    stranger.send("/musiaia/hello", "other", 2, nonce)
    _v, instance, script_nonce, proof = stranger.wait("/musiaia/challenge")
    wrong = b"x" * 32
    assert proof != link.script_proof(wrong, nonce, script_nonce, instance)  # it proves its key
    stranger.send("/musiaia/auth", script_nonce, link.companion_proof(wrong, script_nonce, nonce))
    (reason,) = stranger.wait("/musiaia/refused")
    assert "wrong link secret" in reason
    stranger.send("/musiaia/auth", script_nonce, "0" * 64)  # replaying the challenge: refused
    assert "say hello first" in stranger.wait("/musiaia/refused")[0]
    stranger.send("/musiaia/hello", "other", 2, "short")
    assert "nonce" in stranger.wait("/musiaia/refused")[0]

    first = client()
    first.pair()
    second = client()  # the right secret, but another companion is connected and alive
    nonce = link.new_nonce()
    second.send("/musiaia/hello", "second", 2, nonce)
    _v, instance, script_nonce, _proof = second.wait("/musiaia/challenge")
    answer = link.companion_proof(LINK_SECRET, script_nonce, nonce)
    second.send("/musiaia/auth", script_nonce, answer)
    assert "another MusiaIA companion is connected" in second.wait("/musiaia/refused")[0]
    assert surface.gate.is_peer(first.address)
    first.send("/musiaia/bye")
    first.pump(2)
    second.pair()  # the first went away: the second takes over
    assert surface.gate.is_peer(second.address)


def test_a_script_without_a_secret_refuses_everyone():
    live = FakeLive("12.2")
    port = free_udp_port()
    with script_env(port, free_udp_port(), secret=None):
        live.start_script()
    client = SyncClient(live, port)
    try:
        client.send("/musiaia/hello", "companion", 2, link.new_nonce())
        (reason,) = client.wait("/musiaia/refused")
        assert "install.py script" in reason
    finally:
        client.close()
        live.close()


def test_both_sides_compute_the_same_proofs():
    live = FakeLive("12.2")
    try:
        live.load_script()
        import sys

        script_link = sys.modules["MusiaIA.link"]
        nonces = (link.new_nonce(), link.new_nonce())
        assert script_link.parse_secret(LINK_SECRET_HEX) == LINK_SECRET
        assert script_link.script_proof(LINK_SECRET, nonces[0], nonces[1], "abc") == (
            link.script_proof(LINK_SECRET, nonces[0], nonces[1], "abc")
        )
        assert script_link.companion_proof(LINK_SECRET, nonces[1], nonces[0]) == (
            link.companion_proof(LINK_SECRET, nonces[1], nonces[0])
        )
        # a proof for one direction is never valid for the other (no reflection)
        assert link.companion_proof(LINK_SECRET, nonces[1], nonces[0]) != link.script_proof(
            LINK_SECRET, nonces[0], nonces[1], ""
        )
        assert script_link.parse_secret("abcd") is None  # too short
    finally:
        live.close()


def test_the_companion_makes_its_key_owner_only(tmp_path):
    import stat

    secret, created = link.load_or_create_key(tmp_path)
    assert created and len(secret) == 32
    path = tmp_path / link.KEY_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert link.load_or_create_key(tmp_path) == (secret, False)
    config = LiveBridgeConfig.from_settings(type("S", (), {"data_dir": tmp_path})(), environ={})
    assert config.secret == secret
    path.write_text("nonsense")
    with pytest.raises(link.LinkKeyError):
        link.load_or_create_key(tmp_path)
