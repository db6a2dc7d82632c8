"""Test rigs: the Remote Script in a simulated Live, talking real UDP on 127.0.0.1.

* ``SyncClient`` — a bare OSC client (python-osc encoding, a plain socket) that ticks Live
  while it waits, for AbletonOSC-style request/reply tests without asyncio.
* ``LossyRelay`` — a UDP relay between companion and script that drops, duplicates and
  reorders datagrams in both directions, deterministically (seeded).
* ``LiveRig`` — FakeLive + the script + a companion ``LiveBridge`` (+ optional relay), with
  Live's tick driven by an asyncio task so the bridge and the script run in one loop.
"""

from __future__ import annotations

import asyncio
import os
import random
import socket
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

from pythonosc.osc_message_builder import OscMessageBuilder
from pythonosc.osc_packet import OscPacket

from companion.live import link
from companion.live.bridge import LiveBridge, LiveBridgeConfig
from companion.live.loader import LoaderTimings

from .host import FakeLive


def script_crashes(live: FakeLive) -> list[str]:
    """Script bugs: exceptions caught by its tick guard or raised by its own code in a handler
    (Live's RuntimeErrors are expected answers, sent on /live/error), or let escape."""
    bugs = (
        "NameError",
        "AttributeError",
        "KeyError",
        "UnboundLocalError",
        "IndexError",
        "ZeroDivisionError",
        "tick failed",
        "scheduled task failed",
    )
    logged = [
        line for _surface, c in live.surfaces for line in c.logs if any(bug in line for bug in bugs)
    ]
    return logged + [repr(e) for e in live.surface_errors]


def free_udp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# The link secret the simulated script and the test companions share (install.py makes a random
# one per machine).
LINK_SECRET_HEX = "6d75736961696120746573742073656372657420666f72207468652072696773"
LINK_SECRET = bytes.fromhex(LINK_SECRET_HEX)


@contextmanager
def script_env(
    script_port: int,
    companion_port: int,
    secret: str | None = LINK_SECRET_HEX,
    abletonosc: tuple[int, int] | None = None,
) -> Iterator[None]:
    """The environment the script reads its ports and link secret from (restored afterwards).
    ``abletonosc``: (listen port, reply port) to turn the AbletonOSC-compatible mode on."""
    names = {
        "MUSIAIA_SCRIPT_PORT": str(script_port),
        "MUSIAIA_COMPANION_PORT": str(companion_port),
        "MUSIAIA_SCRIPT_HOST": "127.0.0.1",
        "MUSIAIA_LINK_SECRET": secret or "",
        "MUSIAIA_ABLETONOSC": "on" if abletonosc else "off",
    }
    if abletonosc:
        names["MUSIAIA_ABLETONOSC_PORT"] = str(abletonosc[0])
        names["MUSIAIA_ABLETONOSC_REPLY_PORT"] = str(abletonosc[1])
    saved = {name: os.environ.get(name) for name in names}
    os.environ.update(names)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def osc_bytes(address: str, *args: Any) -> bytes:
    builder = OscMessageBuilder(address)
    for value in args:
        if isinstance(value, bytes):
            builder.add_arg(value, OscMessageBuilder.ARG_TYPE_BLOB)
        else:
            builder.add_arg(value)
    return builder.build().dgram


class SyncClient:
    """A plain UDP OSC client on an ephemeral port; waits by ticking Live."""

    def __init__(self, live: FakeLive, script_port: int) -> None:
        self.live = live
        self.target = ("127.0.0.1", script_port)
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.setblocking(False)
        self.inbox: list[tuple[str, tuple]] = []

    @property
    def address(self) -> tuple[str, int]:
        return self.sock.getsockname()

    def close(self) -> None:
        self.sock.close()

    def send(self, address: str, *args: Any) -> None:
        self.sock.sendto(osc_bytes(address, *args), self.target)

    def send_raw(self, data: bytes) -> None:
        self.sock.sendto(data, self.target)

    def _drain(self) -> None:
        while True:
            try:
                data, _ = self.sock.recvfrom(65536)
            except BlockingIOError:
                return
            for timed in OscPacket(data).messages:
                self.inbox.append((timed.message.address, tuple(timed.message.params)))

    def pump(self, ticks: int = 1) -> list[tuple[str, tuple]]:
        """Tick Live ``ticks`` times, then collect what arrived (and return all of it)."""
        for _ in range(ticks):
            self.live.tick()
        time.sleep(0.002)
        self._drain()
        found, self.inbox = self.inbox, []
        return found

    def wait(self, address: str, ticks: int = 50) -> tuple:
        """Args of the next message on ``address`` (ticking until it comes)."""
        for _ in range(ticks):
            self.live.tick()
            deadline = time.monotonic() + 0.05
            while time.monotonic() < deadline:
                self._drain()
                for i, (found, args) in enumerate(self.inbox):
                    if found == address:
                        del self.inbox[i]
                        return args
                time.sleep(0.001)
        raise AssertionError(f"no {address} reply; got {self.inbox}")

    def query(self, address: str, *args: Any, reply: str | None = None) -> tuple:
        self.send(address, *args)
        return self.wait(reply or address)

    def error(self, address: str, *args: Any) -> str:
        """Send and return the text of the /live/error it must cause."""
        self.send(address, *args)
        return self.wait("/live/error")[0]

    def pair(self, secret: bytes = LINK_SECRET) -> tuple:
        """The companion's handshake (link.py): returns the hello reply's arguments."""
        nonce = link.new_nonce()
        self.send("/musiaia/hello", "test-client", 2, nonce)
        _version, instance, script_nonce, proof = self.wait("/musiaia/challenge")
        assert proof == link.script_proof(secret, nonce, script_nonce, instance)
        self.send("/musiaia/auth", script_nonce, link.companion_proof(secret, script_nonce, nonce))
        return self.wait("/musiaia/hello/reply")


class LossyRelay:
    """companion ⇄ relay ⇄ script. Drops, duplicates and holds back (reorders) datagrams."""

    def __init__(
        self,
        script: tuple[str, int],
        drop: float = 0.25,
        duplicate: float = 0.1,
        reorder: float = 0.25,
        seed: int = 7,
    ) -> None:
        self.script = script
        self.drop = drop
        self.duplicate = duplicate
        self.reorder = reorder
        self.random = random.Random(seed)
        self.companion: tuple[str, int] | None = None
        self.stats = {"forwarded": 0, "dropped": 0, "duplicated": 0, "reordered": 0}
        self._held: dict[str, list[bytes]] = {"up": [], "down": []}
        self._counts = {"up": 0, "down": 0}
        self.front: asyncio.DatagramTransport | None = None
        self.back: asyncio.DatagramTransport | None = None

    class _Side(asyncio.DatagramProtocol):
        def __init__(self, callback: Callable[[bytes, tuple], None]) -> None:
            self.callback = callback

        def datagram_received(self, data: bytes, addr: tuple) -> None:
            self.callback(data, addr)

    async def start(self) -> int:
        loop = asyncio.get_running_loop()
        self.front, _ = await loop.create_datagram_endpoint(
            lambda: self._Side(self._from_companion), local_addr=("127.0.0.1", 0)
        )
        self.back, _ = await loop.create_datagram_endpoint(
            lambda: self._Side(self._from_script), local_addr=("127.0.0.1", 0)
        )
        return self.port

    @property
    def port(self) -> int:
        return self.front.get_extra_info("sockname")[1]

    def close(self) -> None:
        for side in (self.front, self.back):
            if side is not None:
                side.close()

    def _from_companion(self, data: bytes, addr: tuple) -> None:
        self.companion = addr
        self._relay("up", data, lambda d: self.back.sendto(d, self.script))

    def _from_script(self, data: bytes, addr: tuple) -> None:
        if self.companion is not None:
            self._relay("down", data, lambda d: self.front.sendto(d, self.companion))

    def _relay(self, direction: str, data: bytes, send: Callable[[bytes], None]) -> None:
        # The first three datagrams each way are held back, dropped and duplicated, so every
        # misbehaviour happens in every run; after that it is random (seeded).
        count = self._counts[direction] = self._counts[direction] + 1
        forced = {1: self.drop, 2: 0.0, 3: 0.999}.get(count)
        roll = self.random.random() if forced is None else forced
        if roll < self.drop:
            self.stats["dropped"] += 1
            return
        held = self._held[direction]
        if roll < self.drop + self.reorder:
            held.append(data)  # goes out after the next datagram (or after a short delay)
            self.stats["reordered"] += 1
            asyncio.get_running_loop().call_later(0.05, self._flush, direction, send)
            return
        send(data)
        self.stats["forwarded"] += 1
        if count == 3 or self.random.random() < self.duplicate:
            send(data)
            self.stats["duplicated"] += 1
        self._flush(direction, send)

    def _flush(self, direction: str, send: Callable[[bytes], None]) -> None:
        held = self._held[direction]
        while held:
            send(held.pop(0))
            self.stats["forwarded"] += 1


FAST_TIMINGS = LoaderTimings(
    retry_interval=0.05,
    max_retry_interval=0.2,
    send_timeout=3.0,
    status_interval=0.2,
    build_timeout=10.0,
)


class LiveRig:
    """One simulated Live running the script, one companion bridge, Live ticking in the loop."""

    def __init__(
        self,
        profile: str = "12.2",
        *,
        without: tuple[str, ...] = (),
        relay: LossyRelay | dict[str, Any] | None = None,
        tick_sleep: float = 0.001,
        chunk_bytes: int | None = None,
        heartbeat: tuple[float, float] = (0.2, 0.8),
        live: FakeLive | None = None,
        bridge_options: dict[str, Any] | None = None,
        **live_options: Any,
    ) -> None:
        self.bridge_options = bridge_options or {}
        self.live = live or FakeLive(profile, without=without, **live_options)
        self.relay_options = relay
        self.relay: LossyRelay | None = None
        self.tick_sleep = tick_sleep
        self.chunk_bytes = chunk_bytes
        self.heartbeat = heartbeat
        self.paused = False
        self._driver: asyncio.Task | None = None
        self.bridge: LiveBridge | None = None
        self.surface = None
        self.c_instance = None
        self.script_port = free_udp_port()

    async def __aenter__(self) -> LiveRig:
        extra = {"chunk_bytes": self.chunk_bytes} if self.chunk_bytes else {}
        config = LiveBridgeConfig(
            script_port=self.script_port,
            companion_port=0,
            heartbeat_interval=self.heartbeat[0],
            heartbeat_timeout=self.heartbeat[1],
            timings=FAST_TIMINGS,
            secret=LINK_SECRET,
            **extra,
            **self.bridge_options,
        )
        self.bridge = LiveBridge(config=config)
        await self.bridge.start()
        if self.relay_options is not None:
            options = self.relay_options if isinstance(self.relay_options, dict) else {}
            self.relay = (
                self.relay_options
                if isinstance(self.relay_options, LossyRelay)
                else LossyRelay(("127.0.0.1", self.script_port), **options)
            )
            await self.relay.start()
            self.bridge.config = replace(self.bridge.config, script_port=self.relay.port)
        self.surface, self.c_instance = self.start_script()
        self._driver = asyncio.create_task(self._drive())
        return self

    def start_script(self):
        with script_env(self.script_port, self.bridge.address[1]):
            return self.live.start_script()

    async def __aexit__(self, *exc: object) -> None:
        crashes = script_crashes(self.live)
        if self._driver is not None:
            self._driver.cancel()
            try:
                await self._driver
            except asyncio.CancelledError:
                pass
        await self.bridge.stop()
        if self.relay is not None:
            self.relay.close()
        self.live.close()
        if exc[0] is None:
            assert not crashes, crashes

    async def _drive(self) -> None:
        while True:
            if not self.paused:
                self.live.tick()
            await asyncio.sleep(self.tick_sleep)

    async def wait_for(
        self, predicate: Callable[[], Any], timeout: float = 10.0, what: str = "condition"
    ) -> Any:
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            value = predicate()
            if value:
                return value
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError(f"timed out waiting for {what}")
            await asyncio.sleep(0.002)

    async def connected(self) -> None:
        await self.wait_for(
            lambda: self.bridge.paired and self.bridge.state.tracks, what="the script to connect"
        )
