"""When an activation is next due, how long it may take, and why it waits, in words: the small rules the push,
the poller and the sweeper share."""

from __future__ import annotations

import datetime as dt
import random

from django.conf import settings

from campaigns.cxone import errors as cx
from campaigns.models import Activation

FAST_SECONDS = 20  # read at the smallest interval for this long after the PUT, then back off
GROWTH = 1.5


def deadline(a: Activation) -> dt.datetime:
    """After this an activation not yet seen ACTIVE fails as timed out (ACTIVATION_DEADLINE from approval)."""
    return a.approved_at + dt.timedelta(seconds=settings.ACTIVATION_DEADLINE)


def duration_words(seconds: int) -> str:
    return f"{seconds // 60} min" if seconds >= 60 else f"{seconds} s"


def deadline_words() -> str:
    return duration_words(settings.ACTIVATION_DEADLINE)


def backoff(attempt: int, first: float, cap: float) -> float:
    """Exponential from `first`, capped, with full jitter on the upper half (workers do not retry in step)."""
    ceiling = min(cap, first * 2 ** max(0, attempt - 1))
    return random.uniform(ceiling / 2, ceiling)


def wait_seconds(attempt: int, exc: BaseException) -> float:
    """How long a push waits before its next attempt after `exc`: CXone's Retry-After when it sent one."""
    retry_after = getattr(exc, "retry_after", None)
    if retry_after is not None:
        return max(0.5, float(retry_after)) * random.uniform(1.0, 1.3)
    if isinstance(exc, cx.CampaignLocked):
        return backoff(attempt, 1.0, 30.0)
    if isinstance(exc, cx.RateLimited):
        return backoff(attempt, 1.0, 20.0)
    return backoff(attempt, 2.0, 60.0)


def reason(exc: BaseException) -> str:
    """Why an attempt did not get through, as the Activations page says it."""
    if isinstance(exc, cx.CampaignLocked):
        return "CXone is still activating an earlier change of this campaign (locked)."
    if isinstance(exc, cx.RateLimited | cx.CircuitOpen):
        return "CXone asked us to slow down (rate limited)."
    if isinstance(exc, cx.TransportError | cx.ServerError):
        return f"CXone did not answer usably ({type(exc).__name__})."
    if isinstance(exc, cx.CXoneError):
        return f"{type(exc).__name__}: {exc.message}"
    return f"Unexpected error: {type(exc).__name__}: {exc}"


def smallest_interval() -> float:
    """Seconds between poll rounds at the fastest: ACTIVATION_POLL_MS, but rounds (one request each, as long as
    fewer than 100 campaigns are in flight) never take more than ACTIVATION_POLL_SHARE of CXone's rate, which
    the pushes need more: a round every 1.3 s at 5 req/s costs about 0.7 s of detection lag on average (200
    approvals under faults: 77 s at 0.15 against 88 s at 0.25, whose extra rounds delay every queued push)."""
    smallest = settings.ACTIVATION_POLL_MS / 1000
    rate = float(settings.CXONE_RATE_LIMIT)
    share = min(1.0, float(settings.ACTIVATION_POLL_SHARE))
    if rate > 0 and share > 0:
        smallest = max(smallest, 1 / (share * rate))
    return smallest


def poll_interval(seconds_since_push: float) -> float:
    """Seconds until the next read of a campaign whose PUT was `seconds_since_push` ago, before jitter.

    CXone usually activates within seconds: read at the smallest interval (one request reads 100 campaigns,
    so this costs rounds, not requests per campaign), then back off geometrically for slow activations."""
    smallest = smallest_interval()
    largest = max(smallest, settings.ACTIVATION_POLL_MAX_MS / 1000)
    if seconds_since_push < FAST_SECONDS:
        return smallest
    steps = (seconds_since_push - FAST_SECONDS) / max(smallest, 1.0)
    return min(largest, smallest * GROWTH ** min(steps, 60))


def next_read_at(pushed_at: dt.datetime, now: dt.datetime) -> dt.datetime:
    interval = poll_interval((now - pushed_at).total_seconds()) * random.uniform(0.85, 1.15)
    return now + dt.timedelta(seconds=interval)


def first_read_at(now: dt.datetime) -> dt.datetime:
    return next_read_at(now, now)
