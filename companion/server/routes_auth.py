"""Signing in: user name and password, or the one-time link printed at start."""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Request, status
from fastapi.security import OAuth2PasswordRequestForm

from companion.accounts import AccountError, authenticate, issue_token, redeem_login_link
from companion.server.deps import services
from companion.server.schemas import LoginLinkRequest, Token

router = APIRouter(prefix="/auth", tags=["auth"])


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _limited(limiter, key: str) -> None:
    wait = limiter.retry_after(key)
    if wait:
        raise HTTPException(
            status.HTTP_429_TOO_MANY_REQUESTS,
            "too many sign-in attempts; try again shortly",
            headers={"Retry-After": str(int(wait) + 1)},
        )


@router.post("/login", response_model=Token)
def login(
    request: Request, form: OAuth2PasswordRequestForm = Depends(), svc=Depends(services)
) -> Token:
    _limited(svc.login_limiter, f"{_client(request)}|{form.username}")
    with svc.db.session() as session:
        user = authenticate(session, form.username, form.password)
        if user is None:
            raise HTTPException(
                status.HTTP_401_UNAUTHORIZED,
                "wrong user name or password",
                headers={"WWW-Authenticate": "Bearer"},
            )
        token, expires = issue_token(user, svc.settings.secret_key, svc.settings.token_minutes)
    return Token(access_token=token, expires_at=expires)


@router.post("/link", response_model=Token)
def login_link(request: Request, body: LoginLinkRequest, svc=Depends(services)) -> Token:
    """Exchange the one-time sign-in link's token for an access token."""
    _limited(svc.link_limiter, _client(request))
    with svc.db.session() as session:
        try:
            user = redeem_login_link(session, body.token)
        except AccountError as exc:
            raise HTTPException(status.HTTP_401_UNAUTHORIZED, str(exc)) from exc
        token, expires = issue_token(user, svc.settings.secret_key, svc.settings.token_minutes)
    return Token(access_token=token, expires_at=expires)
