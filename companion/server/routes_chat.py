"""Chat over REST (the WebSocket in websocket.py is the real-time twin)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query

from companion.db import User
from companion.server.conversation import converse
from companion.server.deps import current_user, services
from companion.server.schemas import ChatRequest, ChatResponse, HistoryItem

router = APIRouter(prefix="/chat", tags=["chat"])


@router.post("/message", response_model=ChatResponse)
async def message(
    body: ChatRequest, user: User = Depends(current_user), svc=Depends(services)
) -> ChatResponse:
    reply = await converse(svc, user, body.message, lambda event: svc.hub.publish(user.id, event))
    return ChatResponse(
        response=reply.response,
        intent=reply.intent,
        project=reply.project,
        engine=reply.engine,
        language=reply.language,
        timestamp=reply.timestamp,
    )


@router.get("/history", response_model=list[HistoryItem])
def history(
    limit: int = Query(50, ge=1, le=500), user: User = Depends(current_user), svc=Depends(services)
) -> list[dict]:
    return svc.chat.history(user, limit)
