"""Dependencies shared by routes: the services and the signed-in user."""

from __future__ import annotations

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from companion.accounts import AccountError, read_token
from companion.db import User

_bearer = HTTPBearer(auto_error=False, description="Access token from /api/v1/auth/login")


def services(request: Request):
    return request.app.state.services


def user_from_token(svc, token: str) -> User:
    """The user a token belongs to; AccountError when the token is bad, expired or orphaned."""
    claims = read_token(token, svc.settings.secret_key)
    with svc.db.session() as session:
        user = session.get(User, claims.user_id)
        if user is None:
            raise AccountError("invalid token")
        session.expunge(user)
    return user


def current_user(
    request: Request, credentials: HTTPAuthorizationCredentials | None = Depends(_bearer)
) -> User:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED, "not signed in", headers={"WWW-Authenticate": "Bearer"}
        )
    user = user_from_token(services(request), credentials.credentials)
    request.scope.setdefault("state", {})["username"] = user.username
    return user
