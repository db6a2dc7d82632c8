"""``/ws/chat``: the real-time chat.

Protocol (JSON text frames):

* the client's first frame must be ``{"type": "auth", "token": "<access token>"}`` (within 10 s);
  the server answers ``{"type": "ready", "user": ...}`` or an error and closes (code 4401);
* ``{"type": "message", "content": "..."}`` → ``progress`` events (step, label, percent), then
  ``{"type": "message", "content", "timestamp", ...}`` and, when a set was made or changed,
  ``{"type": "project", "project": {...}}``;
* ``{"type": "ping"}`` → ``{"type": "pong"}``;
* anything malformed or unknown (binary frames, JSON nested too deeply, text with a lone
  surrogate…) → ``{"type": "error", "detail": ...}``; the socket stays open;
* when the access token expires the server sends ``{"type": "error", "code": "session_expired",
  ...}`` and closes with code 4401 (reason "session expired"): the client signs in again.

Events go to every socket of the same user (other tabs see the progress too), never to others.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from contextlib import suppress

from fastapi import APIRouter, WebSocket, WebSocketDisconnect

from companion.accounts import AccountError, read_token
from companion.pipeline import RequestError
from companion.server.conversation import converse
from companion.server.deps import user_from_token
from companion.services.chat import MAX_MESSAGE_CHARS
from companion.storage import DISK_FULL_MESSAGE, is_disk_full

router = APIRouter()
log = logging.getLogger("musiaia.ws")
AUTH_TIMEOUT = 10.0
UNAUTHORIZED = 4401
MAX_FRAME_CHARS = 64 * 1024
MAX_PENDING_PER_SOCKET = 4
SESSION_EXPIRED = "the session has expired; sign in again"


class _Closed(Exception):
    """The peer closed the socket."""


def _error(detail: str, code: str | None = None) -> dict:
    return {"type": "error", "detail": detail, **({"code": code} if code else {})}


async def _receive(socket: WebSocket) -> str | None:
    """The next text frame, or None for a binary one; _Closed when the peer is gone."""
    message = await socket.receive()
    if message["type"] == "websocket.disconnect":
        raise _Closed
    return message.get("text")


async def _authenticate(socket: WebSocket, svc):
    """(user, expiry as a time.time() value), or None once the socket is refused."""
    try:
        raw = await asyncio.wait_for(_receive(socket), AUTH_TIMEOUT)
        data = _parse(raw) if raw is not None else "binary frames are not supported"
        if isinstance(data, str):
            raise AccountError(data)
        if data.get("type") != "auth" or not isinstance(data.get("token"), str):
            raise AccountError('the first message must be {"type": "auth", "token": ...}')
        user = await svc.run(user_from_token, svc, data["token"])
        expires = read_token(data["token"], svc.settings.secret_key).expires_at.timestamp()
        return user, expires
    except TimeoutError:
        detail = "authentication timed out"
    except AccountError as exc:
        detail = str(exc)
    except (_Closed, WebSocketDisconnect, RuntimeError):
        return None
    await socket.send_json(_error(detail))
    await socket.close(code=UNAUTHORIZED, reason="unauthorized")
    return None


async def _expire(socket: WebSocket, svc, connection, expires: float) -> None:
    """At the token's expiry: stop the user's events, say why, close with 4401."""
    await asyncio.sleep(max(0.0, expires - time.time()))
    await svc.hub.detach(connection)  # lets the events already queued go out first
    with suppress(Exception):
        await socket.send_json(_error(SESSION_EXPIRED, code="session_expired"))
        await socket.close(code=UNAUTHORIZED, reason="session expired")


@router.websocket("/ws/chat")
async def chat_socket(socket: WebSocket) -> None:
    svc = socket.app.state.services
    await socket.accept()
    signed_in = await _authenticate(socket, svc)
    if signed_in is None:
        return
    user, expires = signed_in
    connection = svc.hub.attach(socket, user.id)
    connection.push({"type": "ready", "user": user.username})
    expiry = asyncio.create_task(_expire(socket, svc, connection, expires))
    tasks: set[asyncio.Task] = set()
    try:
        while True:
            raw = await _receive(socket)
            if time.time() >= expires:
                break  # the expiry task is closing the socket
            if raw is None:
                connection.push(_error("binary frames are not supported; send JSON text"))
                continue
            event = _parse(raw)
            if isinstance(event, str):
                connection.push(_error(event))
                continue
            kind = event.get("type")
            if kind == "ping":
                connection.push({"type": "pong"})
            elif kind == "message":
                content = event.get("content")
                if not isinstance(content, str) or not content.strip():
                    connection.push(_error("'content' must be a non-empty string"))
                elif len(content) > MAX_MESSAGE_CHARS:
                    connection.push(
                        _error(f"message too long (at most {MAX_MESSAGE_CHARS} characters)")
                    )
                elif len(tasks) >= MAX_PENDING_PER_SOCKET:
                    connection.push(_error("too many requests in progress; wait for an answer"))
                else:
                    task = asyncio.create_task(_answer(svc, user, content))
                    tasks.add(task)
                    task.add_done_callback(tasks.discard)
            elif kind == "auth":
                connection.push(_error("already authenticated"))
            else:
                connection.push(_error(f"unknown message type {str(kind)[:40]!r}"))
    except (_Closed, WebSocketDisconnect):
        pass
    except RuntimeError:  # receive after the peer closed
        pass
    finally:
        if time.time() < expires:
            expiry.cancel()
        else:
            with suppress(asyncio.CancelledError, Exception):
                await asyncio.wait_for(asyncio.shield(expiry), timeout=5)
        await svc.hub.detach(connection)


def _parse(raw: str) -> dict | str:
    """The event, or an error text."""
    if len(raw) > MAX_FRAME_CHARS:
        return "frame too large"
    try:
        event = json.loads(raw)
    except RecursionError:
        return "JSON nested too deeply"
    except ValueError:  # JSONDecodeError, or a number with thousands of digits
        return "malformed JSON"
    if not isinstance(event, dict):
        return "expected a JSON object"
    try:  # "\ud800" parses to a lone surrogate, which no file or database can store
        json.dumps(event, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return "the message holds text that is not valid Unicode (a lone surrogate)"
    except RecursionError:
        return "JSON nested too deeply"
    return event


async def _answer(svc, user, content: str) -> None:
    hub = svc.hub
    try:
        reply = await converse(svc, user, content, lambda event: hub.publish(user.id, event))
    except RequestError as exc:
        hub.publish(user.id, _error(str(exc)))
        return
    except Exception as exc:
        if is_disk_full(exc):
            log.error("chat failed: disk full", extra={"user": user.username})
            hub.publish(user.id, _error(DISK_FULL_MESSAGE, code="disk_full"))
            return
        log.exception("chat failed", extra={"user": user.username})
        hub.publish(user.id, _error("internal error while answering; nothing was changed"))
        return
    # Progress events were queued from another thread; let those callbacks run first.
    await asyncio.sleep(0)
    hub.publish(
        user.id,
        {
            "type": "message",
            "content": reply.response,
            "timestamp": reply.timestamp.isoformat(),
            "intent": reply.intent,
            "engine": reply.engine,
            "language": reply.language,
        },
    )
    if reply.project:
        hub.publish(user.id, {"type": "project", "project": reply.project})
    log.info(
        "chat answered",
        extra={
            "user": user.username,
            "intent": reply.intent,
            "project": reply.project["id"] if reply.project else None,
        },
    )
