"""Signing in: user name and password, or the one-time link printed at start.

The limits and the bounded password checks are in signin.py; the client address used is the
socket's own (proxy headers are not believed unless configured).
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Request, status
from fastapi.security import OAuth2PasswordRequestForm

from companion.accounts import AccountError, authenticate, issue_token, redeem_login_link
from companion.db import User
from companion.server.deps import services
from companion.server.schemas import LoginLinkRequest, Token
from companion.server.signin import TooMany

router = APIRouter(prefix="/auth", tags=["auth"])


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _too_many(wait: float, busy: bool = False) -> HTTPException:
    return HTTPException(
        status.HTTP_503_SERVICE_UNAVAILABLE if busy else status.HTTP_429_TOO_MANY_REQUESTS,
        "too many sign-ins at once; try again shortly"
        if busy
        else "too many sign-in attempts; try again shortly",
        headers={"Retry-After": str(int(wait) + 1)},
    )


def _check_password(svc, username: str, password: str) -> Token | None:
    with svc.db.session() as session:
        user = authenticate(session, username, password)
        if user is None:
            return None
        token, expires = issue_token(user, svc.settings.secret_key, svc.settings.token_minutes)
    return Token(access_token=token, expires_at=expires)


@router.post("/login", response_model=Token)
async def login(
    request: Request, form: OAuth2PasswordRequestForm = Depends(), svc=Depends(services)
) -> Token:
    try:
        token = await svc.signin.password(
            form.username,
            _client(request),
            lambda: svc.run(_check_password, svc, form.username, form.password),
            ok=lambda result: result is not None,
        )
    except TooMany as exc:
        raise _too_many(exc.retry_after, exc.busy) from None
    if token is None:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            "wrong user name or password",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return token


def _redeem(svc, link_token: str) -> Token:
    with svc.db.session() as session:
        user: User = redeem_login_link(session, link_token)
        token, expires = issue_token(user, svc.settings.secret_key, svc.settings.token_minutes)
    return Token(access_token=token, expires_at=expires)


@router.post("/link", response_model=Token)
async def login_link(request: Request, body: LoginLinkRequest, svc=Depends(services)) -> Token:
    """Exchange the one-time sign-in link's token for an access token.

    A valid link always works; only failures are limited (see signin.py)."""
    wait = svc.signin.link_refused(body.token)
    if wait:
        raise _too_many(wait)
    try:
        return await svc.run(_redeem, svc, body.token)
    except AccountError as exc:
        wait = svc.signin.link_failed(body.token, _client(request))
        if wait:
            raise _too_many(wait) from None
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, str(exc)) from exc
