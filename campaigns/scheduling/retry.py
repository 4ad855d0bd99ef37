"""A retry policy in one shape both CXone backends can be said in, and what each backend really dials from it.

The Outbound API v2 writes `retryPolicy` {maxAttempts, retryIntervalMs, retryOnBusy, retryOnNoAnswer}: nothing
limits calls per period but the interval. The Admin API writes a skill's retry settings {maximumAttempts,
minimumRetryMinutes, restrictedCallingMinutes, restrictedCallingMaxAttempts}: whole minutes, and a restricted-
calling window ("at most 3 attempts in 1,440 minutes") that v2 has no field for. The frequency limits are judged
on `dialled_by(api)`: the policy as that backend will run it, never on fields it does not write.

Counting: attempts go out as early as the policy allows (each at least the interval after the one before, and, in
a restricted-calling window, never more than its maximum); the most of them inside any period [t, t + P) is the
most a contact can get. A period is half-open: a call exactly one period after another belongs to the next one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

__all__ = [
    "ADMIN",
    "OUTBOUND_V2",
    "DialledPolicy",
    "RetryPolicy",
    "nearest_compliant",
]

OUTBOUND_V2, ADMIN = "outbound-v2", "admin"  # campaigns.cxone's capabilities().api
APIS = (OUTBOUND_V2, ADMIN)
MINUTE_MS = 60_000
# The Admin API's ranges (cxone-admin-api.md): 7 days (10,080 minutes) do not fit restrictedCallingMinutes.
ADMIN_MAX_RESTRICTED_MINUTES = 9_999
ADMIN_MAX_RESTRICTED_ATTEMPTS = 10
MAX_INTERVAL_MS = 7 * 24 * 60 * MINUTE_MS  # the longest interval the editor offers


@dataclass(frozen=True)
class RetryPolicy:
    """What the planner asks for. `restricted_minutes` and `restricted_max_attempts` (both 0: none) say "at most
    N attempts within M minutes", which only the Admin API can write."""

    max_attempts: int
    retry_interval_ms: int
    restricted_minutes: int = 0
    restricted_max_attempts: int = 0
    retry_on_busy: bool = True
    retry_on_no_answer: bool = True

    def outbound_v2(self) -> dict:
        """v2's `retryPolicy`: the restricted-calling window has no field there."""
        return {
            "maxAttempts": self.max_attempts,
            "retryIntervalMs": self.retry_interval_ms,
            "retryOnBusy": self.retry_on_busy,
            "retryOnNoAnswer": self.retry_on_no_answer,
        }

    def admin_retry_settings(self) -> dict:
        """The Admin API's retry settings. Its interval is whole minutes: rounded up, so CXone never retries
        sooner than the planner asked."""
        return {
            "maximumAttempts": self.max_attempts,
            "minimumRetryMinutes": math.ceil(self.retry_interval_ms / MINUTE_MS),
            "restrictedCallingMinutes": self.restricted_minutes,
            "restrictedCallingMaxAttempts": self.restricted_max_attempts,
        }

    def dialled_by(self, api: str) -> DialledPolicy:
        """The policy as the backend `api` will run it."""
        if api == ADMIN:
            fields = self.admin_retry_settings()
            restricted = fields["restrictedCallingMinutes"] > 0 and fields["restrictedCallingMaxAttempts"] > 0
            return DialledPolicy(
                api=ADMIN,
                attempts=fields["maximumAttempts"],
                gap_ms=fields["minimumRetryMinutes"] * MINUTE_MS,
                window_ms=fields["restrictedCallingMinutes"] * MINUTE_MS if restricted else 0,
                window_attempts=fields["restrictedCallingMaxAttempts"] if restricted else 0,
                fields=fields,
            )
        if api != OUTBOUND_V2:
            raise ValueError(f"unknown CXone API {api!r} (one of {', '.join(APIS)})")
        fields = self.outbound_v2()
        return DialledPolicy(
            api=OUTBOUND_V2,
            attempts=fields["maxAttempts"],
            gap_ms=fields["retryIntervalMs"],
            fields={key: fields[key] for key in ("maxAttempts", "retryIntervalMs")},
        )


@dataclass(frozen=True)
class DialledPolicy:
    """The attempts a backend places for one contact: at most `attempts`, at least `gap_ms` apart, and (the
    Admin API's restricted calling) at most `window_attempts` within any `window_ms`."""

    api: str
    attempts: int
    gap_ms: int
    window_ms: int = 0
    window_attempts: int = 0
    fields: dict | None = None  # the backend's own field names and values, for the message

    def calls_within(self, period_ms: int) -> int:
        """The most attempts inside any period of `period_ms`: those of the earliest schedule from 0."""
        times: list[int] = []
        for index in range(self.attempts):
            moment = times[-1] + max(1, self.gap_ms) if times else 0
            if self.window_ms and index >= self.window_attempts:
                moment = max(moment, times[index - self.window_attempts] + self.window_ms)
            if moment >= period_ms:
                break
            times.append(moment)
        return len(times)

    def words(self) -> str:
        """The backend's fields as it writes them: "maxAttempts 5, retryIntervalMs 60000"."""
        return ", ".join(f"{name} {value}" for name, value in (self.fields or {}).items())


def _fits(policy: RetryPolicy, api: str, limits: list[tuple[int, int]]) -> bool:
    dialled = policy.dialled_by(api)
    return all(dialled.calls_within(period_ms) <= max_calls for max_calls, period_ms in limits)


def nearest_compliant(
    policy: RetryPolicy, api: str, limits: list[tuple[int, int]]
) -> tuple[RetryPolicy, str] | None:
    """The nearest policy that keeps every limit ((max calls, period in ms) each), and what it changes in words;
    None when the policy keeps them already. Nearest: every attempt kept, one thing changed, where one change is
    enough. Under the Admin API a restricted-calling window (CXone's own "at most N in M minutes") keeps the
    interval too; else the shortest interval, in whole minutes, that keeps the limits; only when even the longest
    interval cannot, fewer attempts."""
    if _fits(policy, api, limits):
        return None
    if api == ADMIN:
        for max_calls, period_ms in sorted(limits, key=lambda limit: limit[1]):
            minutes = period_ms // MINUTE_MS
            if minutes > ADMIN_MAX_RESTRICTED_MINUTES or max_calls > ADMIN_MAX_RESTRICTED_ATTEMPTS:
                continue
            candidate = replace(policy, restricted_minutes=minutes, restricted_max_attempts=max_calls)
            if _fits(candidate, api, limits):
                return candidate, (
                    f"at most {max_calls} attempts in {_period_words(period_ms)} (CXone's restricted calling: "
                    f"{max_calls} attempts per {minutes:,} minutes)"
                )
    needed = max(math.ceil(period_ms / max_calls / MINUTE_MS) * MINUTE_MS for max_calls, period_ms in limits)
    interval = max(needed, policy.retry_interval_ms)
    if interval <= MAX_INTERVAL_MS:
        candidate = replace(policy, retry_interval_ms=interval)
        if _fits(candidate, api, limits):
            tightest = min(limits, key=lambda limit: limit[1])
            return candidate, (
                f"retry every {_period_words(interval)}: at most {tightest[0]} attempts in "
                f"{_period_words(tightest[1])}"
            )
    for attempts in range(policy.max_attempts - 1, 0, -1):
        candidate = replace(policy, max_attempts=attempts)
        if _fits(candidate, api, limits):
            return candidate, f"at most {attempts} attempt{'' if attempts == 1 else 's'} in all"
    return None


def _period_words(period_ms: int) -> str:
    minutes = period_ms // MINUTE_MS
    if minutes % (24 * 60) == 0 and minutes >= 24 * 60 and minutes != 24 * 60:
        return f"{minutes // (24 * 60)} days"
    if minutes % 60 == 0:
        return f"{minutes // 60} h"
    hours, rest = divmod(minutes, 60)
    return f"{hours} h {rest} min" if hours else f"{rest} min"
