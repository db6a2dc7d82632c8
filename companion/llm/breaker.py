"""A per-provider circuit breaker, so a dead provider is not retried on every message.

closed (normal) → open after ``failures`` consecutive failures, or at once on a hang (``trip``:
a provider that accepts connections and never answers would otherwise cost the full wait on
every message) → half-open once ``cooldown`` seconds passed, letting exactly one request probe →
closed on its success, open again on its failure. The clock is injectable so tests can move time
without sleeping.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Literal

__all__ = ["CircuitBreaker", "State"]

State = Literal["closed", "open", "half_open"]


class CircuitBreaker:
    def __init__(
        self, failures: int = 3, cooldown: float = 60.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.threshold = max(1, failures)
        self.cooldown = cooldown
        self.clock = clock
        self.consecutive_failures = 0
        self._opened_at: float | None = None
        self._probing = False

    @property
    def state(self) -> State:
        if self._opened_at is None:
            return "closed"
        if self.clock() - self._opened_at >= self.cooldown:
            return "half_open"
        return "open"

    def retry_in(self) -> float:
        """Seconds until an open breaker lets a probe through (0 when it would now)."""
        if self._opened_at is None:
            return 0.0
        return max(0.0, self._opened_at + self.cooldown - self.clock())

    def allow(self) -> bool:
        """May a request go to the provider now? In half-open, only the first caller may."""
        state = self.state
        if state == "closed":
            return True
        if state == "half_open" and not self._probing:
            self._probing = True
            return True
        return False

    def success(self) -> None:
        self.consecutive_failures = 0
        self._opened_at = None
        self._probing = False

    def failure(self) -> None:
        self.consecutive_failures += 1
        if self._probing or self.consecutive_failures >= self.threshold:
            self._opened_at = self.clock()
        self._probing = False

    def trip(self) -> None:
        """Open now, whatever the streak: the provider hung."""
        self.consecutive_failures = max(self.consecutive_failures + 1, self.threshold)
        self._opened_at = self.clock()
        self._probing = False

    def release(self) -> None:
        """The request ended without saying anything about the provider's health."""
        self._probing = False
