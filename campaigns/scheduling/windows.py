"""Calling windows: each cron fire in the campaign's zone opens a window that closes `duration` minutes later
in local wall-clock time (09:00 + 8 h closes at 17:00 local, on DST days too; a window may cross midnight).

Expansion is the cost that dominates every other computation, so it is cached per
(cron, zone, duration, horizon) and shared by all campaigns with the same schedule.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from . import cron, fires
from .fires import fire_instants, transitions, wall_clock_fires
from .spec import InvalidSchedule, ScheduleSpec, structural_errors
from .zones import canonical_zone, get_zone, localize

__all__ = [
    "Window",
    "expand_instants",
    "expand_windows",
    "isoformat_utc",
    "window_instants",
    "windows_in_period",
]


def isoformat_utc(value: datetime) -> str:
    """ISO 8601 in UTC with a Z suffix ("2026-03-09T14:00:00Z")."""
    return value.astimezone(UTC).replace(tzinfo=None).isoformat() + "Z"


@dataclass(frozen=True)
class Window:
    """One calling window: start/end are UTC instants; local_start/local_end the same instants in the zone."""

    start: datetime
    end: datetime
    local_start: datetime
    local_end: datetime

    @property
    def duration(self) -> timedelta:
        return self.end - self.start

    def to_dict(self) -> dict[str, str]:
        return {
            "start": isoformat_utc(self.start),
            "end": isoformat_utc(self.end),
            "local_start": self.local_start.isoformat(),
            "local_end": self.local_end.isoformat(),
        }


def _window_end(fire_ts: int, zone: ZoneInfo, duration_minutes: int) -> int:
    # The window closes `duration` later on the local wall clock, so add to the naive local value and only
    # then convert back to a UTC instant (a UTC timedelta would end 16:00 or 18:00 local on DST days).
    # Fires never fall in the second occurrence of a repeated hour, and wall → UTC (`localize`) never goes
    # backwards, so the end always comes after the start.
    wall_end = datetime.fromtimestamp(fire_ts, zone).replace(tzinfo=None) + timedelta(
        minutes=duration_minutes
    )
    return int(localize(wall_end, zone).timestamp())


@lru_cache(maxsize=8192)
def window_instants(
    cron: str, zone_name: str, duration_minutes: int, start_ts: int, end_ts: int
) -> tuple[tuple[int, int], ...]:
    """(start, end) UTC epoch seconds of every window whose start lies in [start_ts, end_ts), sorted.

    Arguments must already be valid (zone canonical); callers validate first. Fire times are shared by every
    duration; away from a DST transition a window simply lasts `duration` minutes of real time.
    """
    return _instants(
        zone_name, duration_minutes, start_ts, end_ts, fire_instants(cron, zone_name, start_ts, end_ts)
    )


# Periods of a year or more (the findings of a schedule): a few hundred windows each, so they get a cache of their
# own, small enough that a process checking thousands of campaigns does not keep them all.
@lru_cache(maxsize=128)
def period_instants(
    cron: str, zone_name: str, duration_minutes: int, start_ts: int, end_ts: int
) -> tuple[tuple[int, int], ...]:
    """window_instants for a long period, without filling the shared caches."""
    fires = wall_clock_fires(cron, zone_name, start_ts, end_ts, cache_days=False)
    return _instants(zone_name, duration_minutes, start_ts, end_ts, fires)


def _instants(
    zone_name: str, duration_minutes: int, start_ts: int, end_ts: int, fires
) -> tuple[tuple[int, int], ...]:
    zone = get_zone(zone_name)
    marks = transitions(zone_name, start_ts, end_ts)
    span = duration_minutes * 60
    result: list[tuple[int, int]] = []
    if not marks:
        return tuple([(fire_ts, fire_ts + span) for fire_ts in fires])
    count = len(marks)
    for fire_ts in fires:
        index = bisect_left(marks, fire_ts)
        if index < count and marks[index] <= fire_ts + span + 7200:  # a transition may move the end
            result.append((fire_ts, _window_end(fire_ts, zone, duration_minutes)))
        else:
            result.append((fire_ts, fire_ts + span))
    return tuple(result)


def windows_in_period(
    instants: tuple[tuple[int, int], ...], effective_start: datetime | None, effective_end: datetime | None
) -> tuple[tuple[int, int], ...]:
    """The windows of `instants` whose start lies inside the effective period [start, end)."""
    low, high = 0, len(instants)
    if effective_start is not None:
        low = bisect_left(instants, (math.ceil(effective_start.timestamp()), -1))
    if effective_end is not None:
        high = bisect_left(instants, (math.ceil(effective_end.timestamp()), -1))
    if low == 0 and high == len(instants):
        return instants
    return instants[low : max(low, high)]


def expand_instants(
    spec: ScheduleSpec, start_utc: datetime, end_utc: datetime
) -> tuple[tuple[int, int], ...]:
    """expand_windows as (start, end) UTC epoch seconds: for charts of thousands of windows, no Window objects."""
    errors = structural_errors(spec)
    if errors:
        raise InvalidSchedule(errors)
    instants = window_instants(
        spec.cron_expression,
        canonical_zone(spec.timezone),
        spec.duration_minutes,
        math.ceil(start_utc.timestamp()),
        math.ceil(end_utc.timestamp()),
    )
    return windows_in_period(instants, spec.effective_start, spec.effective_end)


def expand_windows(
    spec: ScheduleSpec, start_utc: datetime, end_utc: datetime, *, long_period: bool = False
) -> list[Window]:
    """The windows whose start falls in [start_utc, end_utc) and inside the spec's effective period.
    `long_period` for a year or more of windows: they are kept in a small cache of their own."""
    errors = structural_errors(spec)
    if errors:
        raise InvalidSchedule(errors)
    zone_name = canonical_zone(spec.timezone)
    zone = get_zone(zone_name)
    instants = (period_instants if long_period else window_instants)(
        spec.cron_expression,
        zone_name,
        spec.duration_minutes,
        math.ceil(start_utc.timestamp()),
        math.ceil(end_utc.timestamp()),
    )
    windows = []
    for start_ts, end_ts in windows_in_period(instants, spec.effective_start, spec.effective_end):
        start = datetime.fromtimestamp(start_ts, UTC)
        end = datetime.fromtimestamp(end_ts, UTC)
        windows.append(Window(start, end, start.astimezone(zone), end.astimezone(zone)))
    return windows


def clear_expansion_caches() -> None:
    """Forget every cached expansion (benchmarks measure a cold engine with this)."""
    window_instants.cache_clear()
    period_instants.cache_clear()
    fires.clear_caches()
    cron.clear_caches()
