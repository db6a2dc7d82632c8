"""``/ws/chat``: the real-time chat.

Protocol (JSON text frames):

* the client's first frame must be ``{"type": "auth", "token": "<access token>"}`` (within 10 s);
  the server answers ``{"type": "ready", "user": ...}`` or an error and closes (code 4401);
* ``{"type": "message", "content": "..."}`` → ``progress`` events (step, label, percent), then
  ``{"type": "message", "content", "timestamp", ...}`` and, when a set was made or changed,
  ``{"type": "project", "project": {...}}``;
* ``{"type": "ping"}`` → ``{"type": "pong"}``;
* anything malformed or unknown → ``{"type": "error", "detail": ...}``; the socket stays open.

Events go to every socket of the same user (other tabs see the progress too), never to others.
"""

from __future__ import annotations

import asyncio
import json
import logging

from fastapi import APIRouter, WebSocket, WebSocketDisconnect

from companion.accounts import AccountError
from companion.pipeline import RequestError
from companion.server.conversation import converse
from companion.server.deps import user_from_token
from companion.services.chat import MAX_MESSAGE_CHARS

router = APIRouter()
log = logging.getLogger("musiaia.ws")
AUTH_TIMEOUT = 10.0
UNAUTHORIZED = 4401
MAX_FRAME_CHARS = 64 * 1024
MAX_PENDING_PER_SOCKET = 4


def _error(detail: str) -> dict:
    return {"type": "error", "detail": detail}


async def _authenticate(socket: WebSocket, svc):
    try:
        raw = await asyncio.wait_for(socket.receive_text(), AUTH_TIMEOUT)
        data = json.loads(raw)
        if (
            not isinstance(data, dict)
            or data.get("type") != "auth"
            or not isinstance(data.get("token"), str)
        ):
            raise AccountError('the first message must be {"type": "auth", "token": ...}')
        return await svc.run(user_from_token, svc, data["token"])
    except TimeoutError:
        detail = "authentication timed out"
    except (json.JSONDecodeError, AccountError) as exc:
        detail = str(exc) if isinstance(exc, AccountError) else "malformed JSON"
    except (WebSocketDisconnect, RuntimeError, KeyError):
        return None
    await socket.send_json(_error(detail))
    await socket.close(code=UNAUTHORIZED, reason="unauthorized")
    return None


@router.websocket("/ws/chat")
async def chat_socket(socket: WebSocket) -> None:
    svc = socket.app.state.services
    await socket.accept()
    user = await _authenticate(socket, svc)
    if user is None:
        return
    connection = svc.hub.attach(socket, user.id)
    connection.push({"type": "ready", "user": user.username})
    tasks: set[asyncio.Task] = set()
    try:
        while True:
            raw = await socket.receive_text()
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
    except WebSocketDisconnect:
        pass
    except RuntimeError:  # receive after the peer closed
        pass
    finally:
        await svc.hub.detach(connection)


def _parse(raw: str) -> dict | str:
    """The event, or an error text."""
    if len(raw) > MAX_FRAME_CHARS:
        return "frame too large"
    try:
        event = json.loads(raw)
    except json.JSONDecodeError:
        return "malformed JSON"
    if not isinstance(event, dict):
        return "expected a JSON object"
    return event


async def _answer(svc, user, content: str) -> None:
    hub = svc.hub
    try:
        reply = await converse(svc, user, content, lambda event: hub.publish(user.id, event))
    except RequestError as exc:
        hub.publish(user.id, _error(str(exc)))
        return
    except Exception:
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
