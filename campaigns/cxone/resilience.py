"""How the CXone client copes with a struggling CXone: bounded retries with jittered exponential backoff that
honour Retry-After, and a circuit breaker that stops calling after repeated 429s. No HTTP here."""

from __future__ import annotations

import datetime as dt
import email.utils
import random
import time
from collections.abc import Callable
from dataclasses import dataclass

from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception,
    stop_after_attempt,
    stop_before_delay,
)

from campaigns.cxone.errors import CircuitOpen, RateLimited, ServerError, TransportError

# Only these can be cured by asking again a moment later. CampaignLocked is retryable too, but on the scale of
# an activation (seconds to minutes): the caller reschedules, the client does not spin on it.
RETRIED_HERE = (RateLimited, ServerError, TransportError)


@dataclass(frozen=True)
class RetrySettings:
    """Bounds of the client's retries: a call never makes more than `attempts` requests and never starts one
    later than `total_seconds` after the first (a wait that would pass that deadline is not taken)."""

    attempts: int = 4
    total_seconds: float = 20.0
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

    def retrying(self, sleep: Callable, before_sleep: Callable | None = None) -> AsyncRetrying:
        def wait(state: RetryCallState) -> float:
            return self.backoff(state.attempt_number, state.outcome.exception() if state.outcome else None)

        return AsyncRetrying(
            retry=retry_if_exception(lambda exc: isinstance(exc, RETRIED_HERE)),
            stop=stop_after_attempt(self.attempts) | stop_before_delay(self.total_seconds),
            wait=wait,
            sleep=sleep,
            before_sleep=before_sleep,
            reraise=True,
        )


def parse_retry_after(value: str | None, now: Callable[[], float] = time.time) -> float | None:
    """Retry-After as seconds from now: delta-seconds ("3", leniently "0.5") or an HTTP date. None if absent
    or unreadable (then the client backs off on its own)."""
    if value is None:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=dt.UTC)
        seconds = when.timestamp() - now()
    if seconds != seconds or seconds in (float("inf"), float("-inf")):  # NaN or infinite
        return None
    return max(0.0, seconds)


class CircuitBreaker:
    """Opens after `threshold` 429s in a row; while open, calls fail at once with CircuitOpen. After
    `cooldown` seconds one trial call goes through (half-open): a success closes the circuit, another 429
    reopens it."""

    def __init__(
        self, threshold: int = 5, cooldown: float = 30.0, clock: Callable[[], float] = time.monotonic
    ):
        self.threshold = threshold
        self.cooldown = cooldown
        self._clock = clock
        self._consecutive_429s = 0
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
            f"CXone rate-limited us {self.threshold} times in a row; not calling for {left:.1f} s",
            retry_after=max(0.0, left),
        )

    def record_rate_limited(self) -> None:
        self._consecutive_429s += 1
        if self._trial_in_flight or self._consecutive_429s >= self.threshold:
            if self._opened_at is None or self._trial_in_flight:
                self.times_opened += 1
            self._opened_at = self._clock()
            self._trial_in_flight = False

    def record_answer(self) -> None:
        """Any answer that is not a 429 closes the circuit."""
        self._consecutive_429s = 0
        self._opened_at = None
        self._trial_in_flight = False

    def record_no_answer(self) -> None:
        """A transport error says nothing about rate limits, but a half-open trial that got no answer must not
        keep the circuit blocked: let the next call try."""
        self._trial_in_flight = False
