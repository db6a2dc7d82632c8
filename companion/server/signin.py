"""How hard signing in is to abuse: backoff per account and per address, bounded Argon2 work.

* Password sign-in: failures count per account name (so rotating source addresses, e.g. the
  whole 127.0.0.0/8, gains nothing) and per client address (so one client cannot spray many
  names). The address is the socket's own: proxy headers are only believed from configured
  proxies (runner.py), so a made-up ``X-Forwarded-For`` changes nothing.
* Password checks run at most ``password_checks`` at a time, outside the threads that answer
  everything else, and a long queue is refused (503): a flood of sign-ins can neither exhaust
  memory (Argon2 takes 64 MiB per check) nor stall ``/health``.
* The one-time sign-in link is never refused while it is valid: whatever a local process does to
  the password limits, the owner can always get in with ``musiaia login-link``. Its 256-bit token
  cannot be guessed; failed redemptions are still counted per token, per address and overall.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Awaitable, Callable
from typing import TypeVar

from companion.server.security import Backoff
from companion.settings import Settings

T = TypeVar("T")
MAX_QUEUED_CHECKS = 64  # password checks waiting for a slot; more are refused at once


class TooMany(Exception):
    """Refuse with 429 (or 503 when ``busy``) and ask to retry after ``retry_after`` seconds."""

    def __init__(self, retry_after: float, busy: bool = False) -> None:
        super().__init__("too many sign-in attempts")
        self.retry_after = retry_after
        self.busy = busy


class SignInGuard:
    def __init__(self, settings: Settings) -> None:
        attempts, cap = settings.login_attempts, float(settings.login_window_seconds)
        self.by_name = Backoff(free=attempts, base=2.0, cap=cap)
        self.by_address = Backoff(free=attempts * 4, base=2.0, cap=cap)
        # Link failures: the same bad token, one address, or everyone together.
        self.link_by_token = Backoff(free=attempts * 4, base=2.0, cap=cap)
        self.link_by_address = Backoff(free=attempts * 4, base=2.0, cap=cap)
        self.link_overall = Backoff(free=attempts * 40, base=1.0, cap=cap)
        self.slots = settings.password_checks
        self._gate: asyncio.Semaphore | None = None
        self._queued = 0

    # ------------------------------------------------------------------ password sign-in
    async def password(
        self, name: str, address: str, check: Callable[[], Awaitable[T]], ok: Callable[[T], bool]
    ) -> T:
        """Run ``check`` (the password comparison) under the limits; TooMany when refused."""
        name_key, address_key = f"name:{name[:128]}", f"address:{address}"
        wait = self.by_name.acquire(name_key)
        if wait:
            raise TooMany(wait)
        wait = self.by_address.acquire(address_key)
        if wait:
            self.by_name.cancel(name_key)
            raise TooMany(wait)
        result, failed = None, True
        try:
            result = await self._bounded(check)
            failed = not ok(result)
            return result
        finally:
            self.by_name.release(name_key, failed=failed)
            if failed:
                self.by_address.release(address_key, failed=True)
            else:  # one success must not wipe what else came from this address
                self.by_address.cancel(address_key)

    async def _bounded(self, check: Callable[[], Awaitable[T]]) -> T:
        if self._gate is None:
            self._gate = asyncio.Semaphore(self.slots)
        if self._queued >= MAX_QUEUED_CHECKS:
            raise TooMany(2.0, busy=True)
        self._queued += 1
        try:
            async with self._gate:
                return await check()
        finally:
            self._queued -= 1

    # ------------------------------------------------------------------ one-time link
    @staticmethod
    def _token_key(token: str) -> str:
        digest = hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()
        return f"token:{digest[:32]}"

    def link_refused(self, token: str) -> float:
        """Seconds to wait when this very token failed too often (checked before any work)."""
        return self.link_by_token.wait(self._token_key(token))

    def link_failed(self, token: str, address: str) -> float:
        """Count a failed redemption; the wait its keys were already under (0: not refused)."""
        waits = (
            self.link_by_token.fail(self._token_key(token)),
            self.link_by_address.fail(f"address:{address}"),
            self.link_overall.fail("all"),
        )
        return max(waits)
