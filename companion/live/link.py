"""The companion's half of the locked link (see remote_script/link.py and PROTOCOL.md).

The shared secret lives in ``<data folder>/live-link.key`` (0600, 64 hex digits); install.py
writes the same value into the installed script's ``config.json``. The proofs are computed the
same way on both sides (a test checks them against the script's module). Also here: the limits
that keep a flood of datagrams from hurting the companion — a rate limiter for generate triggers
and a log that writes one line per kind of rejected datagram per interval, with counts.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import secrets
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

KEY_FILE = "live-link.key"
SCRIPT_LABEL = b"musiaia/script"
COMPANION_LABEL = b"musiaia/companion"
SECRET_BYTES = 32
MIN_SECRET_BYTES = 16


class LinkKeyError(ValueError):
    """The key file exists but does not hold a usable secret."""


def new_secret() -> str:
    return secrets.token_hex(SECRET_BYTES)


def parse_secret(text: str) -> bytes:
    try:
        secret = bytes.fromhex(text.strip())
    except ValueError:
        raise LinkKeyError("the Live link key is not hex") from None
    if len(secret) < MIN_SECRET_BYTES:
        raise LinkKeyError("the Live link key is too short")
    return secret


def write_key(path: Path, secret_hex: str) -> None:
    """Write the key owner-only (0600) and atomically (a temporary file renamed over it)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "w") as handle:
            handle.write(secret_hex + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, 0o600)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def load_or_create_key(data_dir: Path) -> tuple[bytes, bool]:
    """(secret, created): the data folder's link key, made when missing (then the script must be
    installed again to share it: ``python3 install.py script``)."""
    path = Path(data_dir) / KEY_FILE
    if path.exists():
        return parse_secret(path.read_text()), False
    write_key(path, new_secret())
    return parse_secret(path.read_text()), True


def new_nonce() -> str:
    return secrets.token_hex(16)


def _mac(secret: bytes, label: bytes, parts: tuple[str, ...]) -> str:
    message = label + b"\x00" + b"\x00".join(p.encode("utf-8") for p in parts)
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def script_proof(secret: bytes, companion_nonce: str, script_nonce: str, instance_id: str) -> str:
    return _mac(secret, SCRIPT_LABEL, (companion_nonce, script_nonce, instance_id))


def companion_proof(secret: bytes, script_nonce: str, companion_nonce: str) -> str:
    return _mac(secret, COMPANION_LABEL, (script_nonce, companion_nonce))


def proofs_match(given: object, expected: str) -> bool:
    return isinstance(given, str) and hmac.compare_digest(given, expected)


class RateLimiter:
    """A token bucket: ``burst`` events at once, then one per ``every`` seconds."""

    def __init__(
        self, burst: int, every: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.burst = burst
        self.every = every
        self._clock = clock
        self._tokens = float(burst)
        self._updated = clock()

    def allow(self) -> bool:
        now = self._clock()
        self._tokens = min(self.burst, self._tokens + (now - self._updated) / self.every)
        self._updated = now
        if self._tokens >= 1.0:
            self._tokens -= 1.0
            return True
        return False


class BoundedLog:
    """One log line per kind of trouble per ``interval`` seconds; every occurrence is counted.

    A flood of bad datagrams costs a counter increment each, not a traceback each."""

    def __init__(
        self,
        logger: logging.Logger,
        interval: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._logger = logger
        self.interval = interval
        self._clock = clock
        self.counts: Counter[str] = Counter()
        self._last: dict[str, float] = {}
        self._since: Counter[str] = Counter()

    def report(self, kind: str, detail: str = "") -> None:
        self.counts[kind] += 1
        self._since[kind] += 1
        now = self._clock()
        last = self._last.get(kind)
        if last is not None and now - last < self.interval:
            return
        self._last[kind] = now
        more = self._since[kind] - 1
        self._since[kind] = 0
        suffix = f" ({more} more since the last report)" if more > 0 else ""
        self._logger.warning(
            "Live link: %s%s%s", kind, f": {detail[:200]}" if detail else "", suffix
        )
