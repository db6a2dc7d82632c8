"""Persistence: SQLAlchemy 2 models and the database lifecycle (SQLite in WAL mode by default).

Every write is committed before the request that made it is acknowledged, and SQLite runs with
``synchronous=FULL`` so that nothing acknowledged is lost when the process is killed. The schema is
created on first start and upgraded by the numbered migrations below on later starts.
"""

from __future__ import annotations

import os
import secrets
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    create_engine,
    event,
    inspect,
    text,
)
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    Session,
    mapped_column,
    relationship,
    sessionmaker,
)

from companion.user_folders import upgrade_user_folders


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_id() -> str:
    return uuid.uuid4().hex


def new_public_id() -> str:
    """A sample's id in the API: 128 random bits, so nobody can list others' files by counting."""
    return secrets.token_urlsafe(16)


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    password_hash: Mapped[str] = mapped_column(String(256))
    is_local: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # The engine this account chose in the panel: glm, minimax, local or offline; NULL follows
    # the server's routing (companion.services.engine_choice).
    api_provider: Mapped[str | None] = mapped_column(String(16), nullable=True, default=None)
    # The user's folder under projects/, unique ignoring case (companion.user_folders).
    folder: Mapped[str | None] = mapped_column(String(100), nullable=True, unique=True)
    # Build what the chat makes into the open Live set by itself (the panel's setting).
    live_autoload: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")


class LoginLink(Base):
    """A one-time sign-in link (like Jupyter's token URL); only its hash is stored."""

    __tablename__ = "login_links"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class Project(Base):
    __tablename__ = "projects"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    folder: Mapped[str] = mapped_column(Text)  # relative to the data folder
    style: Mapped[str | None] = mapped_column(String(40), nullable=True)
    bpm: Mapped[float] = mapped_column(Float)
    key: Mapped[str | None] = mapped_column(String(8), nullable=True)
    bars: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    versions: Mapped[list[ProjectVersion]] = relationship(
        back_populates="project", order_by="ProjectVersion.number", cascade="all, delete-orphan"
    )


class ProjectVersion(Base):
    """One version (v1, v2…) of a project: its files and the full configuration that made it."""

    __tablename__ = "project_versions"
    __table_args__ = (UniqueConstraint("project_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[str] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(Integer)
    als_path: Mapped[str] = mapped_column(Text)  # relative to the data folder
    arrangement_path: Mapped[str] = mapped_column(Text)
    requirements: Mapped[dict] = mapped_column(JSON)
    spec: Mapped[dict] = mapped_column(JSON)
    changes: Mapped[str] = mapped_column(Text, default="")
    engine: Mapped[str] = mapped_column(String(40), default="offline")
    # Samples this version had to leave out, and what played instead (selection's own lines),
    # so the card says so after a reload too. Versions older than migration 7 read as none.
    warnings: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    project: Mapped[Project] = relationship(back_populates="versions")


class ChatMessage(Base):
    __tablename__ = "chat_messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(16))  # "user" | "assistant"
    content: Mapped[str] = mapped_column(Text)
    intent: Mapped[str | None] = mapped_column(String(32), nullable=True)
    project_id: Mapped[str | None] = mapped_column(
        ForeignKey("projects.id", ondelete="SET NULL"), nullable=True
    )
    engine: Mapped[str | None] = mapped_column(String(40), nullable=True)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, index=True
    )


class Sample(Base):
    """A file of the producer's sample library (filled by the library indexer)."""

    __tablename__ = "samples"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)  # internal; the API uses public_id
    public_id: Mapped[str] = mapped_column(String(32), unique=True, default=new_public_id)
    path: Mapped[str] = mapped_column(Text, unique=True)
    size: Mapped[int] = mapped_column(Integer)
    mtime: Mapped[float] = mapped_column(Float)
    sha256: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    kind: Mapped[str | None] = mapped_column(String(32), nullable=True, index=True)
    is_loop: Mapped[bool] = mapped_column(Boolean, default=False)
    bpm: Mapped[float | None] = mapped_column(Float, nullable=True)
    key: Mapped[str | None] = mapped_column(String(8), nullable=True)
    duration: Mapped[float | None] = mapped_column(Float, nullable=True)
    sample_rate: Mapped[int | None] = mapped_column(Integer, nullable=True)
    channels: Mapped[int | None] = mapped_column(Integer, nullable=True)
    tags: Mapped[list] = mapped_column(JSON, default=list)
    indexed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Sample library (companion.samples): where the facts came from and how sure they are.
    root: Mapped[str | None] = mapped_column(Text, nullable=True, index=True)  # library folder
    format: Mapped[str | None] = mapped_column(String(8), nullable=True)  # wav | aiff | flac
    bit_depth: Mapped[int | None] = mapped_column(Integer, nullable=True)
    subtype: Mapped[str | None] = mapped_column(String(32), nullable=True)  # riser, shaker, pluck…
    root_note: Mapped[int | None] = mapped_column(Integer, nullable=True)  # MIDI note it plays at
    bars: Mapped[float | None] = mapped_column(Float, nullable=True)  # loops: duration × bpm / 240
    kind_confidence: Mapped[float] = mapped_column(Float, default=0.0)
    bpm_source: Mapped[str | None] = mapped_column(String(8), nullable=True)  # name, acid, audio…
    key_source: Mapped[str | None] = mapped_column(String(8), nullable=True)  # name | audio
    analyzed: Mapped[bool] = mapped_column(Boolean, default=False)  # audio analysis done/not needed
    error: Mapped[str | None] = mapped_column(Text, nullable=True)  # why the file is unreadable
    # Readable, but outside what a Live set can use (a 5-hour "loop"): listed, never chosen.
    unusable: Mapped[str | None] = mapped_column(Text, nullable=True)
    # The account that uploaded it; None for the shared library folders (MUSIAIA_SAMPLE_DIRS).
    owner_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)


class ProjectSample(Base):
    __tablename__ = "project_samples"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[str] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    version: Mapped[int] = mapped_column(Integer, default=1)
    sample_id: Mapped[int | None] = mapped_column(
        ForeignKey("samples.id", ondelete="SET NULL"), nullable=True
    )
    part: Mapped[str] = mapped_column(String(32))
    path: Mapped[str] = mapped_column(Text)
    # What the Live set was built with (companion.samples.select.ChosenSample).
    slot: Mapped[str | None] = mapped_column(String(32), nullable=True)  # kick, closed_hat, riser…
    pad_note: Mapped[int | None] = mapped_column(Integer, nullable=True)  # Drum Rack pad / FX note
    root_note: Mapped[int | None] = mapped_column(Integer, nullable=True)
    is_loop: Mapped[bool] = mapped_column(Boolean, default=False)
    bpm: Mapped[float | None] = mapped_column(Float, nullable=True)
    source: Mapped[str] = mapped_column(String(16), default="library")  # library | kit


# Numbered upgrades for databases created by older versions. Each runs once, in order, inside a
# transaction; the fresh schema above already includes all of them.
Migration = Callable[[Connection], None]


# Columns added after the first release, per table (name → SQLite DDL), for ALTER TABLE.
SAMPLE_LIBRARY_COLUMNS: dict[str, dict[str, str]] = {
    "samples": {
        "root": "TEXT",
        "format": "VARCHAR(8)",
        "bit_depth": "INTEGER",
        "subtype": "VARCHAR(32)",
        "root_note": "INTEGER",
        "bars": "FLOAT",
        "kind_confidence": "FLOAT NOT NULL DEFAULT 0",
        "bpm_source": "VARCHAR(8)",
        "key_source": "VARCHAR(8)",
        "analyzed": "BOOLEAN NOT NULL DEFAULT 0",
        "error": "TEXT",
    },
    "project_samples": {
        "slot": "VARCHAR(32)",
        "pad_note": "INTEGER",
        "root_note": "INTEGER",
        "is_loop": "BOOLEAN NOT NULL DEFAULT 0",
        "bpm": "FLOAT",
        "source": "VARCHAR(16) NOT NULL DEFAULT 'library'",
    },
}
SAMPLE_OWNER_COLUMNS: dict[str, dict[str, str]] = {
    "samples": {"public_id": "VARCHAR(32)", "unusable": "TEXT", "owner_id": "INTEGER"},
}


def add_columns(connection: Connection, columns: dict[str, dict[str, str]]) -> None:
    """Add the missing ones of ``columns`` (idempotent: present columns are left alone)."""
    inspector = inspect(connection)
    for table, wanted in columns.items():
        if not inspector.has_table(table):
            continue
        present = {column["name"] for column in inspector.get_columns(table)}
        for name, ddl in wanted.items():
            if name not in present:
                connection.execute(text(f"ALTER TABLE {table} ADD COLUMN {name} {ddl}"))


def upgrade_samples_table(connection: Connection) -> None:
    """Migration 2: the sample-library columns (idempotent)."""
    add_columns(connection, SAMPLE_LIBRARY_COLUMNS)
    if inspect(connection).has_table("samples"):
        connection.execute(text("CREATE INDEX IF NOT EXISTS ix_samples_root ON samples (root)"))


def _sample_owners(connection: Connection) -> None:
    """Migration 4: private uploads, unguessable sample ids, and limits checked at indexing.

    Every row gets a random public id. Every row's file is marked for a header re-read
    (``mtime = -1`` never matches a real file), so the next scan applies the usability limits
    and works out which uploads belong to whom from where they are stored.
    """
    add_columns(connection, SAMPLE_OWNER_COLUMNS)
    if not inspect(connection).has_table("samples"):
        return
    ids = [row[0] for row in connection.execute(text("SELECT id FROM samples"))]
    for sample_id in ids:
        connection.execute(
            text("UPDATE samples SET public_id = :p, mtime = -1 WHERE id = :i"),
            {"p": new_public_id(), "i": sample_id},
        )
    connection.execute(
        text("CREATE UNIQUE INDEX IF NOT EXISTS ix_samples_public_id ON samples (public_id)")
    )
    connection.execute(text("CREATE INDEX IF NOT EXISTS ix_samples_owner_id ON samples (owner_id)"))


def _account_engine_column(connection: Connection) -> None:
    columns = {c["name"] for c in inspect(connection).get_columns("users")}
    if "api_provider" not in columns:
        connection.execute(text("ALTER TABLE users ADD COLUMN api_provider VARCHAR(16)"))


def _live_autoload_column(connection: Connection) -> None:
    """Migration 6: the per-account "add to Live by itself" setting (on for everyone)."""
    add_columns(connection, {"users": {"live_autoload": "BOOLEAN NOT NULL DEFAULT 1"}})


def _user_folders(connection: Connection) -> None:
    upgrade_user_folders(connection)


def _version_warnings_column(connection: Connection) -> None:
    """Migration 7: each version keeps the samples it left out; older versions left none."""
    add_columns(connection, {"project_versions": {"warnings": "JSON NOT NULL DEFAULT '[]'"}})


MIGRATIONS: list[tuple[int, str, Migration]] = [
    (2, "sample library columns", upgrade_samples_table),
    (3, "account engine choice", _account_engine_column),
    (4, "sample owners and public ids", _sample_owners),
    (5, "a folder of its own for every user", _user_folders),
    (6, "live auto-load setting", _live_autoload_column),
    (7, "sample warnings of each version", _version_warnings_column),
]
SCHEMA_VERSION = max((number for number, _, _ in MIGRATIONS), default=1)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def private_sqlite_files(url: str) -> None:
    """Make a SQLite database file (and its WAL, shared-memory and journal files) readable by
    its owner only, creating it empty if needed: it holds password hashes and settings. SQLite
    gives the files it creates later the main file's permissions."""
    path = make_url(url).database
    if not path or path == ":memory:" or path.startswith("file:") or os.name != "posix":
        return
    try:
        os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
    except OSError:
        return  # no such folder, or not ours to open: SQLite reports it when connecting
    for name in (path, f"{path}-wal", f"{path}-shm", f"{path}-journal"):
        try:
            if os.stat(name).st_mode & 0o077:
                os.chmod(name, 0o600)
        except FileNotFoundError:
            continue


class Database:
    """Engine, session factory and schema management for one database URL."""

    def __init__(self, url: str) -> None:
        is_sqlite = url.startswith("sqlite")
        if is_sqlite:
            private_sqlite_files(url)
        connect_args = {"check_same_thread": False, "timeout": 10} if is_sqlite else {}
        self.engine: Engine = create_engine(url, connect_args=connect_args, pool_pre_ping=True)
        if is_sqlite:
            event.listen(self.engine, "connect", _sqlite_pragmas)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    def create_schema(self) -> int:
        """Create missing tables and run pending migrations; return the schema version."""
        with self.engine.begin() as connection:
            connection.execute(
                text(
                    "CREATE TABLE IF NOT EXISTS schema_migrations "
                    "(version INTEGER PRIMARY KEY, name VARCHAR(200) NOT NULL)"
                )
            )
            fresh = not inspect(connection).has_table("users")
            Base.metadata.create_all(connection)
            applied = {
                row[0] for row in connection.execute(text("SELECT version FROM schema_migrations"))
            }
            if 1 not in applied:
                applied.add(1)
                connection.execute(
                    text("INSERT INTO schema_migrations (version, name) VALUES (1, 'initial')")
                )
            for number, name, migrate in MIGRATIONS:
                if number in applied:
                    continue
                if not fresh:
                    migrate(connection)
                connection.execute(
                    text("INSERT INTO schema_migrations (version, name) VALUES (:v, :n)"),
                    {"v": number, "n": name},
                )
        return SCHEMA_VERSION

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session that commits on success and rolls back on any error."""
        session = self._sessions()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def dispose(self) -> None:
        self.engine.dispose()
