"""Local accounts: Argon2 password hashes, signed access tokens and one-time login links."""

from __future__ import annotations

import functools
import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from companion.db import LoginLink, User, utcnow
from companion.user_folders import assign_folder

TOKEN_ALGORITHM = "HS256"
USERNAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
LOCAL_USERNAME = "producer"
_hasher = PasswordHasher()


class AccountError(ValueError):
    """A problem with a user name, password or token, worded for the user."""


@dataclass(frozen=True)
class TokenClaims:
    user_id: int
    username: str
    expires_at: datetime


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def validate_username(username: str) -> str:
    if not USERNAME_PATTERN.match(username):
        raise AccountError(
            "user names are 1–64 letters, digits, '.', '_' or '-', starting with a letter or digit"
        )
    return username


def validate_password(password: str) -> str:
    if len(password) < 8:
        raise AccountError("passwords need at least 8 characters")
    if len(password) > 1024:
        raise AccountError("passwords can have at most 1024 characters")
    return password


def create_user(session: Session, username: str, password: str, *, is_local: bool = False) -> User:
    validate_username(username)
    validate_password(password)
    if session.scalar(select(User).where(User.username == username)) is not None:
        raise AccountError(f"user {username!r} already exists")
    user = User(username=username, password_hash=hash_password(password), is_local=is_local)
    assign_folder(session, user)
    session.add(user)
    session.flush()
    return user


def authenticate(session: Session, username: str, password: str) -> User | None:
    if not USERNAME_PATTERN.match(username) or len(password) > 1024:
        return None  # no such account can exist: no need to spend a hash on it
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        verify_password(_dummy_hash(), password)  # same work either way: no user-name probing
        return None
    return user if verify_password(user.password_hash, password) else None


@functools.cache
def _dummy_hash() -> str:
    """Made on first need, not at import: a hash costs ~0.1 s and 64 MiB, at every start."""
    return hash_password(secrets.token_urlsafe(16))


def user_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(User)) or 0


def issue_token(user: User, secret: str, minutes: int) -> tuple[str, datetime]:
    expires = datetime.now(UTC) + timedelta(minutes=minutes)
    payload = {
        "sub": str(user.id),
        "name": user.username,
        "exp": expires,
        "iat": datetime.now(UTC),
        "typ": "access",
    }
    return jwt.encode(payload, secret, algorithm=TOKEN_ALGORITHM), expires


def read_token(token: str, secret: str) -> TokenClaims:
    """Verify signature and expiry; raise AccountError with a clear reason otherwise."""
    try:
        payload = jwt.decode(
            token, secret, algorithms=[TOKEN_ALGORITHM], options={"require": ["exp", "sub"]}
        )
    except jwt.ExpiredSignatureError as exc:
        raise AccountError("the session has expired; sign in again") from exc
    except jwt.InvalidTokenError as exc:
        raise AccountError("invalid token") from exc
    if payload.get("typ") != "access" or not str(payload.get("sub", "")).isdigit():
        raise AccountError("invalid token")
    return TokenClaims(
        user_id=int(payload["sub"]),
        username=str(payload.get("name", "")),
        expires_at=datetime.fromtimestamp(payload["exp"], UTC),
    )


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_login_link(session: Session, user: User, minutes: int) -> str:
    """A random one-time token for the sign-in link; only its hash is stored."""
    token = secrets.token_urlsafe(32)
    session.add(
        LoginLink(
            user_id=user.id,
            token_hash=_digest(token),
            expires_at=utcnow() + timedelta(minutes=minutes),
        )
    )
    session.flush()
    return token


def redeem_login_link(session: Session, token: str) -> User:
    """Use a one-time token (it stops working afterwards) and return its user.

    The link is claimed by one conditional UPDATE (``used_at`` still empty), which the database
    runs for one caller at a time: of any number of parallel redemptions exactly one wins."""
    if not token.isascii():  # tokens are URL-safe base64; this also refuses lone surrogates
        raise AccountError("this sign-in link is invalid or was already used")
    link = session.scalar(select(LoginLink).where(LoginLink.token_hash == _digest(token)))
    now = utcnow()
    if link is None or link.used_at is not None:
        raise AccountError("this sign-in link is invalid or was already used")
    expires = link.expires_at if link.expires_at.tzinfo else link.expires_at.replace(tzinfo=UTC)
    if expires < now:
        raise AccountError("this sign-in link has expired; run `musiaia login-link` for a new one")
    claimed = session.execute(
        update(LoginLink)
        .where(LoginLink.id == link.id, LoginLink.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        raise AccountError("this sign-in link is invalid or was already used")
    user = session.get(User, link.user_id)
    if user is None:
        raise AccountError("this sign-in link is invalid or was already used")
    return user


def ensure_local_user(session: Session) -> User | None:
    """On a fresh install, create the local user (random password); return it if created."""
    if user_count(session):
        return None
    return create_user(session, LOCAL_USERNAME, secrets.token_urlsafe(24), is_local=True)


def local_user(session: Session) -> User | None:
    return session.scalar(select(User).where(User.is_local.is_(True)).order_by(User.id))
