"""How the CXone client copes with a struggling CXone: retries bounded by time (Retry-After honoured, jittered
exponential backoff without it) and a circuit breaker that stops calling after sustained 429s. No HTTP here."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass

from campaigns.cxone.errors import CircuitOpen, RateLimited, ServerError, TransportError
from campaigns.retry_after import parse_retry_after  # noqa: F401 (re-exported)

# Only these can be cured by asking again a moment later. CampaignLocked is retryable too, but on the scale of
# an activation (seconds to minutes): the caller reschedules, the client does not spin on it.
RETRIED_HERE = (RateLimited, ServerError, TransportError)


@dataclass(frozen=True)
class RetrySettings:
    """Bounds of one call's retries.

    Time bounds everything: no request starts, and no wait is taken that would end, later than `total_seconds`
    after the call began (CXONE_RETRY_BUDGET_SECONDS, 60 s by default). Rate limiting is only waited out within
    that budget. Failures that are not rate limiting (5xx, no answer) are also bounded in number: a call
    gives up after `attempts` of them, since a CXone that keeps failing will not heal in the next second."""

    attempts: int = 6
    total_seconds: float = 60.0
    wait_initial: float = 0.5
    wait_max: float = 8.0
    wait_jitter: float = 0.5

    def backoff(self, attempt_number: int, exc: BaseException | None) -> float:
        """Seconds to wait after failed attempt `attempt_number` (1-based): CXone's Retry-After when it gave
        one, else exponential from wait_initial, capped at wait_max; plus a random jitter either way."""
        jitter = random.uniform(0, self.wait_jitter) if self.wait_jitter else 0.0
        if isinstance(exc, RateLimited) and exc.retry_after is not None:
            return exc.retry_after + jitter
        try:
            exponential = self.wait_initial * (2 ** (attempt_number - 1))
        except OverflowError:
            exponential = self.wait_max
        return min(self.wait_max, exponential) + jitter

    def gives_up(self, failures: int, exc: BaseException) -> bool:
        """True when `exc` ends the call whatever the time left: not retryable here, or the failures that are
        not rate limiting have reached `attempts`."""
        if not isinstance(exc, RETRIED_HERE):
            return True
        return not isinstance(exc, RateLimited) and failures >= self.attempts


class CircuitBreaker:
    """Stops calling a CXone that keeps rate-limiting us, after the 429s have been sustained, not after a
    burst: it opens when CXone has answered nothing but 429 for at least `sustained_seconds` and at least
    `threshold` times in a row. While open, calls fail at once with CircuitOpen. After `cooldown` seconds it is
    half-open: one probe goes through; any answer but a 429 closes the circuit, a 429 opens it again.

    A short burst of 429s (CXone's bucket briefly empty, Retry-After honoured) never opens it: the client waits
    those out within its time budget."""

    def __init__(
        self,
        threshold: int = 10,
        cooldown: float = 30.0,
        sustained_seconds: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.threshold = threshold
        self.cooldown = cooldown
        self.sustained_seconds = sustained_seconds
        self._clock = clock
        self._consecutive_429s = 0
        self._first_429_at: float | None = None
        self._opened_at: float | None = None
        self._trial_in_flight = False
        self.times_opened = 0

    @property
    def state(self) -> str:
        if self._opened_at is None:
            return "closed"
        return "half-open" if self._clock() - self._opened_at >= self.cooldown else "open"

    def before_call(self) -> None:
        state = self.state
        if state == "closed":
            return
        if state == "half-open" and not self._trial_in_flight:
            self._trial_in_flight = True
            return
        left = (
            self.cooldown - (self._clock() - self._opened_at) if state == "open" else min(1.0, self.cooldown)
        )
        raise CircuitOpen(
            f"CXone has answered only 429 for {self._sustained_for():.0f} s "
            f"({self._consecutive_429s} times); not calling for {left:.1f} s",
            retry_after=max(0.0, left),
        )

    def _sustained_for(self) -> float:
        return 0.0 if self._first_429_at is None else self._clock() - self._first_429_at

    def record_rate_limited(self) -> None:
        now = self._clock()
        self._consecutive_429s += 1
        if self._first_429_at is None:
            self._first_429_at = now
        sustained = (
            self._consecutive_429s >= self.threshold and now - self._first_429_at >= self.sustained_seconds
        )
        if self._trial_in_flight or (sustained and self._opened_at is None):
            self.times_opened += 1
            self._opened_at = now
            self._trial_in_flight = False

    def record_answer(self) -> None:
        """Any answer that is not a 429 closes the circuit."""
        self._consecutive_429s = 0
        self._first_429_at = None
        self._opened_at = None
        self._trial_in_flight = False

    def record_no_answer(self) -> None:
        """A transport error says nothing about rate limits, but a half-open trial that got no answer must not
        keep the circuit blocked: let the next call try."""
        self._trial_in_flight = False
