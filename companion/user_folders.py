"""Each account's folder under ``projects/``: one per user, never shared.

Folder names come from user names made safe for every file system, which strips trailing dots
(Windows cannot keep them) and keeps case; so ``bob``, ``bob.`` and ``bob..`` would all become
``bob``, and ``Bob`` and ``bob`` are one folder on macOS and Windows. The folder is therefore
chosen once, when the account is made, and kept in the database: the safe name when no other
account has it (ignoring case), else the safe name with ``+2``, ``+3``… (``+`` never appears in a
user name). Accounts made before folders were recorded keep the folder they always used, the
oldest account first; a later one that collided gets a folder of its own for new projects (its
earlier projects stay where they are: their paths are stored).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from sqlalchemy import inspect, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from companion.fsutil import safe_name

if TYPE_CHECKING:
    from companion.db import User

MAX_SUFFIX = 100_000


def legacy_folder(username: str) -> str:
    """The folder name older versions used (shared by names that differ in trailing dots)."""
    return safe_name(username, fallback="user")


def choose_folder(username: str, taken: Iterable[str]) -> str:
    """A folder name for ``username`` that none of ``taken`` has, ignoring case."""
    used = {name.casefold() for name in taken}
    base = legacy_folder(username)
    if base.casefold() not in used:
        return base
    for number in range(2, MAX_SUFFIX):
        candidate = f"{base}+{number}"
        if candidate.casefold() not in used:
            return candidate
    raise RuntimeError(f"no free folder name for {username!r}")


def assign_folder(session: Session, user: User) -> str:
    """Give a new account its folder (call before the account is flushed)."""
    model = type(user)  # the ORM class (this module sits below companion.db: no import of it)
    taken = session.scalars(select(model.folder).where(model.folder.is_not(None))).all()
    user.folder = choose_folder(user.username, taken)
    return user.folder


def folder_of(user: User) -> str:
    """The user's folder name (accounts not yet migrated: the name they always used)."""
    return user.folder or legacy_folder(user.username)


def owners_by_folder(usernames: Iterable[tuple[str, str | None]]) -> dict[str, list[str]]:
    """Folder name (case-folded) → the user names whose projects may be in it: the user the
    folder belongs to now and any whose older version wrote there (the legacy names)."""
    owners: dict[str, list[str]] = {}
    for username, folder in usernames:
        for name in {folder or legacy_folder(username), legacy_folder(username)}:
            owners.setdefault(name.casefold(), []).append(username)
    return owners


def upgrade_user_folders(connection: Connection) -> None:
    """Migration: add ``users.folder`` and fill it, oldest account first (idempotent)."""
    inspector = inspect(connection)
    if not inspector.has_table("users"):
        return
    if "folder" not in {column["name"] for column in inspector.get_columns("users")}:
        connection.execute(text("ALTER TABLE users ADD COLUMN folder VARCHAR(100)"))
    rows = connection.execute(text("SELECT id, username, folder FROM users ORDER BY id")).all()
    taken = [folder for _, _, folder in rows if folder]
    for user_id, username, folder in rows:
        if folder:
            continue
        chosen = choose_folder(username, taken)
        taken.append(chosen)
        connection.execute(
            text("UPDATE users SET folder = :folder WHERE id = :id"),
            {"folder": chosen, "id": user_id},
        )
    connection.execute(text("CREATE UNIQUE INDEX IF NOT EXISTS ix_users_folder ON users (folder)"))
