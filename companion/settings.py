"""All of MusiaIA's settings in one place, read from ``MUSIAIA_*`` environment variables.

Secrets that must survive restarts but that nobody should have to choose (the token signing key)
are generated on first start and kept in the data folder, readable only by the user.
"""

from __future__ import annotations

import os
import secrets
from functools import cached_property
from pathlib import Path

from pydantic import AliasChoices, Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from companion.paths import default_data_dir


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="MUSIAIA_", extra="ignore")

    data_dir: Path = Field(default_factory=default_data_dir)
    database_url: str | None = None  # default: SQLite file in the data folder
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=0, le=65535)
    # Extra host names the server answers to besides loopback (e.g. a LAN name); Host headers
    # naming anything else are refused, which stops DNS-rebinding attacks.
    allowed_hosts: list[str] = Field(default_factory=list)
    token_minutes: int = Field(default=60 * 24 * 7, ge=1)
    login_link_minutes: int = Field(default=60 * 24, ge=1)
    max_body_bytes: int = Field(default=1024 * 1024, ge=1024)
    max_upload_bytes: int = Field(default=100 * 1024 * 1024, ge=1024)
    login_attempts: int = Field(default=5, ge=1)  # failed sign-ins per account name before…
    login_window_seconds: int = Field(default=60, ge=1)  # …backoff, which doubles up to this
    # Client addresses of reverse proxies whose X-Forwarded-For header is believed. Empty (the
    # default): no proxy header is trusted, so a local process cannot pose as another address.
    trusted_proxies: list[str] = Field(default_factory=list)
    # Password checks (Argon2, 64 MiB each) running at once: a sign-in flood queues, it does not
    # exhaust memory or the threads that answer everything else.
    password_checks: int = Field(default=2, ge=1, le=16)
    min_free_mb: int = Field(default=64, ge=0)  # below this, /health reports the disk as full
    live_version: str = "11"
    workers: int = Field(default=0, ge=0, le=32)  # processes composing sets; 0 = one per core
    # Sample folders to index, separated like PATH (":" or ";" on Windows). Empty: Live's User
    # Library "Samples" folder where it exists. MusiaIA's uploads folder is always indexed.
    sample_dirs: str = ""
    sample_watch: bool = True  # keep the index live as files come and go
    # Where the built-in kit is rendered. Empty: "Samples/MusiaIA Kit" in Live's User Library
    # where it exists (Live's browser finds the kit there, so "Send to Live" can load the very
    # samples the set uses), else "kit" in the data folder.
    kit_folder: Path | None = Field(
        default=None, validation_alias=AliasChoices("MUSIAIA_KIT_DIR", "kit_folder")
    )
    live_enabled: bool = True  # talk to the MusiaIA Remote Script in Ableton Live
    live_host: str = "127.0.0.1"
    live_script_port: int = Field(default=11010, ge=1, le=65535)  # where the script listens
    live_companion_port: int = Field(default=11011, ge=0, le=65535)  # where we listen
    log_level: str = "INFO"
    log_file: Path | None = None

    @field_validator("data_dir", mode="after")
    @classmethod
    def _absolute(cls, value: Path) -> Path:
        return value.expanduser().resolve()

    @field_validator("live_version")
    @classmethod
    def _live(cls, value: str) -> str:
        if value not in ("11", "12"):
            raise ValueError("live_version must be 11 or 12")
        return value

    @property
    def projects_dir(self) -> Path:
        return self.data_dir / "projects"

    @property
    def kit_dir(self) -> Path:
        if self.kit_folder is not None:
            return self.kit_folder.expanduser()
        for samples in default_user_library_samples():
            if samples.is_dir():
                return samples / KIT_FOLDER_NAME
        return self.data_dir / "kit"

    @property
    def uploads_dir(self) -> Path:
        return self.data_dir / "samples" / "uploads"

    @property
    def sample_folders(self) -> list[Path]:
        """Folders the library indexes (the uploads folder always among them)."""
        if self.sample_dirs.strip():
            folders = [Path(p).expanduser() for p in self.sample_dirs.split(os.pathsep) if p]
        else:
            folders = [p for p in default_user_library_samples() if p.is_dir()]
        return [*dict.fromkeys([*folders, self.uploads_dir])]

    @property
    def database(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'musiaia.db'}"

    @cached_property
    def secret_key(self) -> str:
        """The token signing key, created once per data folder with owner-only permissions."""
        path = self.data_dir / "secret.key"
        if path.exists():
            return path.read_text().strip()
        self.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        key = secrets.token_urlsafe(48)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process created it first
            return path.read_text().strip()
        with os.fdopen(fd, "w") as handle:
            handle.write(key)
            handle.flush()
            os.fsync(handle.fileno())
        return key

    def ensure_dirs(self) -> None:
        """Create the data folder readable by its owner only (it holds password hashes, the
        token key and the producer's sets), tightening one an older version left open."""
        self.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        status = self.data_dir.stat()
        if os.name == "posix" and status.st_mode & 0o077 and status.st_uid == os.getuid():
            os.chmod(self.data_dir, 0o700)
        for folder in (self.projects_dir, self.uploads_dir):
            folder.mkdir(parents=True, exist_ok=True)


KIT_FOLDER_NAME = "MusiaIA Kit"  # the library index skips folders with this name


def default_user_library_samples() -> list[Path]:
    """Ableton's User Library "Samples" folder in its usual places (macOS, Windows)."""
    home = Path.home()
    return [
        home / "Music" / "Ableton" / "User Library" / "Samples",
        home / "Documents" / "Ableton" / "User Library" / "Samples",
    ]


def get_settings() -> Settings:
    return Settings()
