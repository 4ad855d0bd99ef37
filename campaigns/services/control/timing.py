"""How long the control workers wait, and the words they say why: the small rules sending, confirming and the
sweeper share."""

from __future__ import annotations

import datetime as dt
import random

from campaigns.cxone import errors as cx

LEASE_SECONDS = 15  # a sender that died frees its row this soon (the confirmer or the sweeper gives it on)
READ_SECONDS = 1.0  # a change CXone accepted is read this often until it shows
CONFIRM_SECONDS = 60  # accepted and still not showing after this long: asked again (the ask is repeatable)
MAX_ATTEMPTS = 12  # then the change fails, and a stop that fails raises the alarm


def backoff(attempt: int, first: float = 1.0, cap: float = 30.0) -> float:
    ceiling = min(cap, first * 2 ** max(0, attempt - 1))
    return random.uniform(ceiling / 2, ceiling)


def wait_seconds(attempt: int, exc: BaseException) -> float:
    retry_after = getattr(exc, "retry_after", None)
    if retry_after is not None:
        return max(0.5, float(retry_after)) * random.uniform(1.0, 1.3)
    return backoff(attempt)


def later(seconds: float, now: dt.datetime) -> dt.datetime:
    return now + dt.timedelta(seconds=seconds)


def reason(exc: BaseException) -> str:
    if isinstance(exc, cx.CampaignLocked):
        return "CXone is still activating a change of this campaign."
    if isinstance(exc, cx.RateLimited | cx.CircuitOpen):
        return "CXone asked us to slow down (rate limited)."
    if isinstance(exc, cx.TransportError | cx.ServerError | cx.UnexpectedResponse):
        return f"CXone did not answer usably ({type(exc).__name__})."
    if isinstance(exc, cx.CXoneError):
        return f"{type(exc).__name__}: {exc.message}"
    return f"Unexpected error: {type(exc).__name__}: {exc}"
