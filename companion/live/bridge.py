"""The companion's end of the link with the MusiaIA Remote Script inside Ableton Live.

One UDP socket on 127.0.0.1 (default port 11011; the script listens on 11010 — both clear of
AbletonOSC's 11000/11001), OSC encoded with python-osc, driven by the asyncio loop the server
already runs. The link is locked (link.py): only datagrams from the script's own address are read,
and Live counts as connected only once the script proved it knows the shared secret (and accepted
our proof); before that no arrangement, path or state goes out or comes in. Everything Live
sends is validated; a flood of bad datagrams costs counters and one log line per kind per
minute. Usage from FastAPI::

    bridge = LiveBridge(settings)
    await bridge.start()                       # raises LivePortInUse with a clear message
    bridge.on_state_change(push_to_websockets) # called with a LiveState on every change
    bridge.on_generate(make_song)              # async (GenerateRequest) -> Arrangement | None
    result = await bridge.load(arrangement, progress=send_progress)
    await bridge.stop()
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import inspect
import json
import logging
import os
import socket
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pythonosc.osc_message_builder import OscMessageBuilder
from pythonosc.osc_packet import OscPacket, ParseError

from companion.arrangement import Arrangement
from companion.live import link, protocol
from companion.live.loader import (
    LoaderTimings,
    LoadProgress,
    LoadResult,
    Progress,
    send_arrangement,
)
from companion.live.payload import live_arrangement
from companion.live.production import has_production, production_payload
from companion.live.reader import ReadProgress, ReadResult, read_from_live
from companion.live.state import Callback, LiveMeter, LiveState, LiveStateStore, state_from_push

log = logging.getLogger(__name__)


class LivePortInUse(OSError):
    """The companion's UDP port is taken (another companion running?)."""


@dataclass(frozen=True)
class LiveBridgeConfig:
    host: str = protocol.DEFAULT_HOST
    script_port: int = protocol.DEFAULT_SCRIPT_PORT
    companion_port: int = protocol.DEFAULT_COMPANION_PORT
    heartbeat_interval: float = 1.0  # ping the script this often…
    heartbeat_timeout: float = 3.5  # …and call it disconnected after this much silence
    chunk_bytes: int = protocol.CHUNK_BYTES
    timings: LoaderTimings = field(default_factory=LoaderTimings)
    secret: bytes | None = field(default=None, repr=False)  # the link key (link.py)
    generate_burst: int = 2  # generate triggers from Live accepted at once…
    generate_every: float = 20.0  # …then one per this many seconds
    log_interval: float = 60.0  # one log line per kind of bad datagram per interval

    @classmethod
    def from_settings(
        cls, settings: Any = None, environ: dict[str, str] | None = None, **overrides: Any
    ) -> LiveBridgeConfig:
        """Settings attributes ``live_host``, ``live_script_port``, ``live_companion_port`` when
        present, else MUSIAIA_LIVE_HOST / MUSIAIA_LIVE_SCRIPT_PORT / MUSIAIA_LIVE_COMPANION_PORT,
        else the defaults. The link key comes from ``settings.data_dir`` (made when missing)."""
        environ = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for name, env, kind in (
            ("host", "MUSIAIA_LIVE_HOST", str),
            ("script_port", "MUSIAIA_LIVE_SCRIPT_PORT", int),
            ("companion_port", "MUSIAIA_LIVE_COMPANION_PORT", int),
        ):
            value = getattr(settings, f"live_{name}", None) if settings is not None else None
            if value is None and environ.get(env):
                value = kind(environ[env])
            if value is not None:
                values[name] = value
        data_dir = getattr(settings, "data_dir", None) if settings is not None else None
        if data_dir is not None and "secret" not in overrides:
            secret, created = link.load_or_create_key(Path(data_dir))
            values["secret"] = secret
            if created:
                log.warning(
                    "Live link: made a new link key in %s; install the Remote Script again "
                    "(python3 install.py script) so Live's script shares it",
                    data_dir,
                )
        values.update(overrides)
        config = cls(**values)
        for port in (config.script_port, config.companion_port):
            if not 0 <= port <= 65535:
                raise ValueError(f"not a UDP port: {port}")
        return config


@dataclass(frozen=True)
class GenerateRequest:
    """Live asked for a song (MIDI trigger). Fields describe the open set, to fit the song."""

    request_id: str
    source: str
    tempo: float | None
    key: str | None
    time_signature: tuple[int, int] | None
    selected_track: int
    context: dict[str, Any]


@dataclass(frozen=True)
class LiveSong:
    """A song to build into Live, with the project folder its sample paths are relative to
    (without it, audio loops cannot be loaded)."""

    arrangement: Arrangement
    project_dir: Path | None = None


GenerateHandler = Callable[[GenerateRequest], Awaitable[Arrangement | LiveSong | None]]


class GenerateContext(BaseModel):
    """What the script says about the set when its trigger asks for a song (validated: it
    becomes the song's tempo, key and meter)."""

    model_config = ConfigDict(extra="ignore")

    source: str = Field(default="midi", max_length=16)
    tempo: float | None = Field(default=None, ge=20, le=999, allow_inf_nan=False)
    signature: LiveMeter | None = None
    root_note: int | None = Field(default=None, ge=0, le=11)
    scale_name: str | None = Field(default=None, max_length=64)
    selected_track: int = Field(default=-1, ge=-1, le=10_000)


def encode(address: str, args: tuple[Any, ...]) -> bytes:
    builder = OscMessageBuilder(address)
    for value in args:
        if isinstance(value, bool) or value is None:
            builder.add_arg(value)
        elif isinstance(value, bytes):
            builder.add_arg(value, OscMessageBuilder.ARG_TYPE_BLOB)
        elif isinstance(value, float):
            builder.add_arg(value, OscMessageBuilder.ARG_TYPE_FLOAT)
        else:
            builder.add_arg(value)
    return builder.build().dgram


class _Protocol(asyncio.DatagramProtocol):
    def __init__(self, bridge: LiveBridge) -> None:
        self._bridge = bridge

    def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
        self._bridge._datagram(data, addr)

    def error_received(self, exc: Exception) -> None:  # ICMP port unreachable etc.
        log.debug("live bridge socket error: %s", exc)


class LiveBridge:
    def __init__(
        self, settings: Any = None, *, config: LiveBridgeConfig | None = None, **overrides: Any
    ) -> None:
        self.config = config or LiveBridgeConfig.from_settings(settings, **overrides)
        self._store = LiveStateStore()
        self._transport: asyncio.DatagramTransport | None = None
        self._inboxes: dict[str, asyncio.Queue] = {}
        self._waiters: dict[str, list[asyncio.Future]] = {}
        self._generate_handler: GenerateHandler | None = None
        self._generate_seen: dict[str, asyncio.Task | None] = {}
        self._heartbeat: asyncio.Task | None = None
        self._tasks: set[asyncio.Task] = set()
        self._last_heard: float | None = None
        self._instance: str | None = None
        self._state_received = False
        self._nonce: str | None = None  # our handshake nonce (a new one per hello)
        self._challenged: str | None = None  # instance id whose proof we checked
        self._paired = False
        self._script_ip: str | None = None
        self._generating = 0
        self._generate_limit = link.RateLimiter(
            self.config.generate_burst, self.config.generate_every
        )
        self.trouble = link.BoundedLog(log, self.config.log_interval)
        self.link_error: str | None = None  # why Live is not paired, for the panel
        self.datagrams_sent = 0
        self.datagrams_received = 0
        self.malformed = 0
        self.errors: list[str] = []  # /live/error texts from the script, newest last

    # -- lifecycle -------------------------------------------------------------------------------

    @property
    def address(self) -> tuple[str, int] | None:
        if self._transport is None:
            return None
        return self._transport.get_extra_info("sockname")[:2]

    @property
    def script_address(self) -> tuple[str, int]:
        return (self.config.host, self.config.script_port)

    async def start(self) -> None:
        if self._transport is not None:
            return
        loop = asyncio.get_running_loop()
        try:
            transport, _ = await loop.create_datagram_endpoint(
                lambda: _Protocol(self), local_addr=(self.config.host, self.config.companion_port)
            )
        except OSError as error:
            if error.errno in (errno.EADDRINUSE, getattr(errno, "WSAEADDRINUSE", 10048)):
                raise LivePortInUse(
                    error.errno,
                    f"UDP port {self.config.companion_port} on {self.config.host} is already in "
                    "use (is another MusiaIA companion running?). Stop it or set "
                    "MUSIAIA_LIVE_COMPANION_PORT to a free port.",
                ) from error
            raise
        self._transport = transport
        try:
            self._script_ip = socket.gethostbyname(self.config.host)
        except OSError:
            self._script_ip = self.config.host
        self.hello()
        self._heartbeat = asyncio.create_task(self._heartbeat_loop())

    async def stop(self) -> None:
        if self._heartbeat is not None:
            self._heartbeat.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._heartbeat
            self._heartbeat = None
        for task in list(self._tasks):
            task.cancel()
        if self._transport is not None:
            if self._paired:
                self.send(protocol.BYE)
            self._transport.close()
            self._transport = None
        self._paired = False
        self._store.update(connected=False)

    async def __aenter__(self) -> LiveBridge:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    # -- state -------------------------------------------------------------------------------------

    @property
    def state(self) -> LiveState:
        return self._store.state

    @property
    def connected(self) -> bool:
        return self._store.state.connected

    @property
    def generating(self) -> bool:
        """A song asked for by Live's trigger is being made or sent."""
        return self._generating > 0

    @property
    def instance(self) -> str | None:
        """The paired script's instance id (a new one each time Live loads the script)."""
        return self._instance if self._paired else None

    @property
    def paired(self) -> bool:
        """The script proved it knows the link key and accepted ours."""
        return self._paired

    def on_state_change(self, callback: Callback) -> Callable[[], None]:
        """``callback(LiveState)`` (plain or async) on every change; returns an unsubscribe."""
        return self._store.on_change(callback)

    def on_generate(self, handler: GenerateHandler | None) -> None:
        """``await handler(GenerateRequest)`` when Live's trigger asks for a song; return an
        Arrangement or a LiveSong (it is loaded into Live) or None (Live shows that nothing was
        made)."""
        self._generate_handler = handler

    # -- sending -----------------------------------------------------------------------------------

    def send(self, address: str, *args: Any, target: tuple[str, int] | None = None) -> None:
        if self._transport is None:
            raise RuntimeError("the Live bridge is not started")
        self._transport.sendto(encode(address, args), target or self.script_address)
        self.datagrams_sent += 1

    def hello(self) -> None:
        """Start (or restart) the handshake with a fresh nonce."""
        if self.config.secret is None:
            self.link_error = "no Live link key: run the companion with its data folder"
            return
        self._nonce = link.new_nonce()
        self._challenged = None
        self.send(protocol.HELLO, "musiaia-companion", protocol.PROTOCOL_VERSION, self._nonce)

    def _unpair(self) -> None:
        self._paired = False
        self._challenged = None
        self._state_received = False
        if self.connected:
            self._store.update(connected=False)

    async def _heartbeat_loop(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            await asyncio.sleep(self.config.heartbeat_interval)
            try:
                if self.connected:
                    self.send(protocol.PING, "hb")
                    if not self._state_received:
                        self.send(protocol.STATE_GET)  # the first state push was lost
                else:
                    self.hello()
                silent = self._last_heard is None or (
                    loop.time() - self._last_heard > self.config.heartbeat_timeout
                )
                if self._paired and silent:
                    self._unpair()  # shake hands again once Live answers
            except Exception:
                log.exception("live heartbeat failed")

    async def query(
        self, address: str, *args: Any, timeout: float = 1.0, attempts: int = 3
    ) -> tuple[Any, ...]:
        """AbletonOSC-style request/reply: send, wait for a message on the same address (or
        ``/live/error``). Resent up to ``attempts`` times (UDP)."""
        loop = asyncio.get_running_loop()
        for _attempt in range(attempts):
            future: asyncio.Future = loop.create_future()
            self._waiters.setdefault(address, []).append(future)
            self._waiters.setdefault(protocol.ERROR, []).append(future)
            self.send(address, *args)
            try:
                reply_address, reply = await asyncio.wait_for(future, timeout)
            except TimeoutError:
                continue
            finally:
                for key in (address, protocol.ERROR):
                    if future in self._waiters.get(key, []):
                        self._waiters[key].remove(future)
            if reply_address == protocol.ERROR:
                raise RuntimeError(str(reply[0]) if reply else "Live reported an error")
            return reply
        raise TimeoutError(f"Live did not answer {address}")

    # -- loading -----------------------------------------------------------------------------------

    async def load(
        self,
        arrangement: Arrangement | dict[str, Any] | str,
        progress: Progress | None = None,
        options: protocol.LoadOptions | None = None,
        compress: bool | None = None,
        project_dir: str | Path | None = None,
    ) -> LoadResult:
        """Build ``arrangement`` into the open Live set. ``progress(LoadProgress)`` (plain or
        async) is called as chunks are acknowledged and as Live builds. ``project_dir`` is the
        project folder (absolute) the samples are in: audio loop tracks need it. Never raises
        for Live's answers: check ``result.ok`` / ``result.reason``."""
        if self._transport is None:
            raise RuntimeError("the Live bridge is not started")
        if not self._paired:  # never send a song (and its paths) to an unproven process
            return LoadResult(
                False,
                "",
                reason=self.link_error
                or "Live is not connected: start Ableton Live with MusiaIA selected as a Control "
                "Surface (Preferences → Link, Tempo & MIDI)",
            )
        production = None
        if isinstance(arrangement, Arrangement):
            data: dict[str, Any] | str = live_arrangement(arrangement)
            if has_production(arrangement) and self.can("production"):
                production = production_payload(arrangement)
        else:
            data = arrangement
        if compress is None:
            encodings = self.state.capabilities
            compress = not encodings or protocol.ENCODING_ZLIB_JSON in encodings
        encoding, payload = protocol.encode_payload(
            data, options, compress=compress, project_dir=project_dir, production=production
        )
        request_id = uuid.uuid4().hex[:16]
        inbox: asyncio.Queue = asyncio.Queue()
        self._inboxes[request_id] = inbox
        try:
            return await send_arrangement(
                lambda address, *args: self.send(address, *args),
                inbox,
                request_id,
                encoding,
                payload,
                progress,
                self.config.timings,
                self.config.chunk_bytes,
            )
        finally:
            self._inboxes.pop(request_id, None)

    def can(self, feature: str) -> bool:
        """Whether the paired script (and the Live it runs in) offers ``feature``."""
        return self._paired and feature in self.state.capabilities

    async def read(self, spec: dict[str, Any], progress: ReadProgress | None = None) -> ReadResult:
        """Read what the producer has (``spec``: what, track, start, end; see
        companion.live.reader). Never raises for Live's answers: check ``result.ok``."""
        if self._transport is None:
            raise RuntimeError("the Live bridge is not started")
        if not self._paired:
            return ReadResult(
                False,
                "",
                reason=self.link_error
                or "Live is not connected: start Ableton Live with MusiaIA selected as a Control "
                "Surface (Preferences → Link, Tempo & MIDI)",
            )
        if not self.can("read_notes"):
            return ReadResult(
                False,
                "",
                reason="the MusiaIA Remote Script in Live is too old to read clips; install it "
                "again (python3 install.py script) and restart Live",
            )
        request_id = "r" + uuid.uuid4().hex[:15]
        inbox: asyncio.Queue = asyncio.Queue()
        self._inboxes[request_id] = inbox
        try:
            return await read_from_live(
                lambda address, *args: self.send(address, *args),
                inbox,
                request_id,
                spec,
                progress,
                self.config.timings,
            )
        finally:
            self._inboxes.pop(request_id, None)

    def cancel(self, request_id: str) -> bool:
        """Stop a build (what was built is removed again, inside its undo step) or a read.
        False when no such request runs from this companion."""
        if request_id not in self._inboxes or not self._paired:
            return False
        address = protocol.READ_CANCEL if request_id.startswith("r") else protocol.APPLY_CANCEL
        self.send(address, request_id)
        return True

    @property
    def running(self) -> list[str]:
        """Ids of the builds and reads under way."""
        return list(self._inboxes)

    # -- receiving ---------------------------------------------------------------------------------

    def _from_script(self, addr: tuple[str, int]) -> bool:
        return addr[1] == self.config.script_port and addr[0] in (
            self._script_ip,
            self.config.host,
        )

    def _datagram(self, data: bytes, addr: tuple[str, int]) -> None:
        self.datagrams_received += 1
        if not self._from_script(addr):
            self.trouble.report("datagram from an unexpected address", f"{addr[0]}:{addr[1]}")
            return
        try:
            packet = OscPacket(data)
        except ParseError as error:
            self.malformed += 1
            self.trouble.report("malformed datagram", str(error))
            return
        for timed in packet.messages:
            message = timed.message
            try:
                self._message(message.address, tuple(message.params), addr)
            except (ValidationError, TypeError, ValueError, KeyError, IndexError) as error:
                kind = "bad message" if self._paired else "bad message before pairing"
                self.trouble.report(kind, f"{message.address}: {type(error).__name__}")
            except Exception:
                self.trouble.report("message handling failed", message.address)

    def _heard(self) -> None:
        self._last_heard = asyncio.get_running_loop().time()
        if not self.connected:
            self._store.update(connected=True)

    def _message(self, address: str, args: tuple[Any, ...], addr: tuple[str, int]) -> None:
        if not self._paired:
            self._handshake_message(address, args)
            return
        waiters = self._waiters.get(address)
        if waiters:
            for future in list(waiters):
                if not future.done():
                    future.set_result((address, args))
        if address == protocol.ERROR:
            self.errors.append(" ".join(str(a) for a in args)[:500])
            del self.errors[:-50]
            return
        self._last_heard = asyncio.get_running_loop().time()
        if address == protocol.STATE and args:
            if not isinstance(args[0], str) or len(args[0]) > 65536:
                raise ValueError("state is not a JSON text")
            data = json.loads(args[0])
            if not isinstance(data, dict):
                raise ValueError("state is not an object")
            self._state_received = True
            self._store.set(state_from_push(data, self.state))
        elif address == protocol.SONG_TIME and args:
            beats = float(args[0])
            if not -1e7 <= beats <= 1e9:
                raise ValueError("song time out of range")
            self._store.update(song_time=beats, is_playing=bool(args[1]) if len(args) > 1 else True)
        elif address == protocol.BYE:
            self._unpair()
            self._last_heard = None
        elif address in (protocol.STARTUP, protocol.REFUSED):
            self._unpair()  # a new script instance, or it forgot us: shake hands again
            self._handshake_message(address, args)
        elif (
            address.startswith(("/musiaia/apply/", "/musiaia/read/"))
            and args
            and isinstance(args[0], str)
        ):
            inbox = self._inboxes.get(args[0])
            if inbox is not None:
                inbox.put_nowait((address, args))
        elif address == protocol.GENERATE and args:
            self._generate(args)
        elif address == protocol.HELLO_REPLY:
            self._welcome(args)

    def _handshake_message(self, address: str, args: tuple[Any, ...]) -> None:
        """Before pairing only the handshake is read: the script's proof, its welcome, a
        refusal, or its startup announcement (answered with a hello)."""
        if address == protocol.STARTUP:
            self.hello()
        elif address == protocol.CHALLENGE:
            self._challenge(args)
        elif address == protocol.HELLO_REPLY and self._challenged is not None:
            if len(args) > 4 and str(args[4]) == self._challenged:
                self._paired = True
                self.link_error = None
                self._heard()
                self._welcome(args)
                self.send(protocol.STATE_GET)
        elif address == protocol.REFUSED:
            reason = str(args[0])[:300] if args else "refused"
            self.link_error = f"the MusiaIA Remote Script refused the companion: {reason}"
            self.trouble.report("Live refused the link", reason)
        else:
            self.trouble.report("message before pairing", address[:80])

    def _challenge(self, args: tuple[Any, ...]) -> None:
        if self.config.secret is None or self._nonce is None or len(args) < 4:
            return
        version, instance, script_nonce, proof = args[:4]
        if not (isinstance(instance, str) and isinstance(script_nonce, str)):
            raise ValueError("malformed challenge")
        expected = link.script_proof(self.config.secret, self._nonce, script_nonce, instance)
        if not link.proofs_match(proof, expected):
            self.link_error = (
                f"the process on UDP port {self.config.script_port} is not a MusiaIA Remote "
                "Script paired with this companion (install it again: python3 install.py script)"
            )
            self.trouble.report(
                "the script's handshake proof is wrong", f"instance {instance[:16]}"
            )
            return
        if version != protocol.PROTOCOL_VERSION:
            self.link_error = f"the Remote Script speaks protocol {version}; reinstall it"
        self._challenged = instance
        answer = link.companion_proof(self.config.secret, script_nonce, self._nonce)
        self.send(protocol.AUTH, script_nonce, answer)

    def _welcome(self, args: tuple[Any, ...]) -> None:
        if len(args) < 4:
            return
        try:
            extra = json.loads(args[3]) if isinstance(args[3], str) else {}
        except ValueError:
            extra = {}
        if not isinstance(extra, dict):
            extra = {}
        names = [*(extra.get("capabilities") or ()), *(extra.get("encodings") or ())]
        capabilities = tuple(str(n)[:64] for n in names if isinstance(n, str))[:64]
        self._instance = str(args[4])[:32] if len(args) > 4 else None
        self._store.update(
            connected=True,
            script_version=str(args[1])[:32],
            live_version=str(args[2])[:32],
            capabilities=capabilities,
        )

    # -- generate trigger --------------------------------------------------------------------------

    def _generate(self, args: tuple[Any, ...]) -> None:
        """Live's trigger (from the paired script only): deduplicated by request id, validated,
        one song at a time and rate-limited, so a burst of triggers never becomes a burst of
        projects."""
        request_id = str(args[0])[:64]
        self.send(protocol.GENERATE_ACK, request_id)
        if request_id in self._generate_seen:
            return  # a resend of a request already being handled
        self._generate_seen[request_id] = None
        while len(self._generate_seen) > 100:
            self._generate_seen.pop(next(iter(self._generate_seen)))
        try:
            raw = json.loads(args[1]) if len(args) > 1 and isinstance(args[1], str) else {}
            context = GenerateContext.model_validate(raw)
        except (ValueError, ValidationError):
            self.trouble.report("invalid generate request")
            self.send(protocol.GENERATE_FAILED, request_id, "invalid request from Live")
            return
        if self._generating:
            self.send(protocol.GENERATE_FAILED, request_id, "busy: a song is being made")
            return
        if not self._generate_limit.allow():
            self.trouble.report("generate requests rate-limited")
            self.send(protocol.GENERATE_FAILED, request_id, "too many requests: wait a little")
            return
        self._generating += 1
        task = asyncio.ensure_future(self._run_generate(request_id, context))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        task.add_done_callback(self._generated)

    def _generated(self, _task: asyncio.Task) -> None:
        self._generating = max(0, self._generating - 1)

    async def _run_generate(self, request_id: str, context: GenerateContext) -> None:
        handler = self._generate_handler
        if handler is None:
            self.send(protocol.GENERATE_FAILED, request_id, "the companion cannot generate yet")
            return
        key = LiveState(root_note=context.root_note, scale_name=context.scale_name).key
        request = GenerateRequest(
            request_id=request_id,
            source=context.source,
            tempo=context.tempo,
            key=key,
            time_signature=context.signature,
            selected_track=context.selected_track,
            context=context.model_dump(),
        )
        try:
            result = handler(request)
            arrangement = await result if inspect.isawaitable(result) else result
        except Exception as error:
            log.exception("generate handler failed")
            self.send(protocol.GENERATE_FAILED, request_id, str(error) or type(error).__name__)
            return
        if arrangement is None:
            self.send(protocol.GENERATE_FAILED, request_id, "nothing to generate")
            return
        project_dir = None
        if isinstance(arrangement, LiveSong):
            arrangement, project_dir = arrangement.arrangement, arrangement.project_dir
        loaded = await self.load(arrangement, project_dir=project_dir)
        if loaded.ok:
            self.send(protocol.GENERATE_DONE, request_id, arrangement.title)
        else:
            self.send(protocol.GENERATE_FAILED, request_id, loaded.reason or "load failed")


__all__ = [
    "GenerateRequest",
    "LiveBridge",
    "LiveBridgeConfig",
    "LivePortInUse",
    "LiveSong",
    "LoadProgress",
    "LoadResult",
]
