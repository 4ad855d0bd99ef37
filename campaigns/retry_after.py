"""Retry-After, as both outside systems that throttle us send it (CXone's API and WFM receivers): one reading of
the header for campaigns/cxone/ and campaigns/wfm/, which otherwise share nothing."""

from __future__ import annotations

import datetime as dt
import email.utils
import time
from collections.abc import Callable


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
