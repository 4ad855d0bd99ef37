"""Cron fire instants in a zone, fast: the cost of expanding windows dominates every other computation.

One rule on every path: a cron fires once at each instant whose local wall-clock time it matches, and a wall
time maps to the first instant at which the zone's clock reads it or later. So a wall time inside a
spring-forward gap fires at the first instant after the gap (the transition instant), a repeated (fall-back)
wall time fires once, at its first occurrence, and wall times that map to the same instant (02:00 and 02:30
in a one-hour gap, and 03:00 itself) fire once.

`fire_instants` lists the matching wall-clock minutes of each local day and converts them with integer
arithmetic: one offset on days far from a transition, the zone's offset segments near one. cronsim is not
walked: it evaluates expressions with a wildcard or step minute or hour on real time and so skips the wall
times of a gap (and, with 30-minute changes, some wall times after a fall-back); tests check the result
against cronsim for fixed times and against a minute-by-minute walk of the wall clock for every kind.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable
from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from cronsim import CronSim

from .zones import get_zone, transition_between

__all__ = ["daily_clock", "fire_instants", "instant_of", "segments", "transitions", "wall_clock_fires"]

_HOUR = 3600
_STEP = 3 * _HOUR  # offsets are sampled this often; no zone changes its offset twice within 3 hours
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
_MARGIN = 2 * 86400  # windows last up to a day; look for transitions a little beyond the horizon
# More than any UTC offset: a transition this long before a wall-clock value cannot skip or repeat it.
_FAR = 2 * 86400


def _offset(ts: int, zone: ZoneInfo) -> timedelta | None:
    return datetime.fromtimestamp(ts, zone).utcoffset()


def _seconds(offset: timedelta | None) -> int:
    return int(offset.total_seconds()) if offset is not None else 0


@lru_cache(maxsize=1024)
def transitions(zone_name: str, start_ts: int, end_ts: int) -> tuple[int, ...]:
    """UTC instants (epoch seconds) where the zone's offset changes within [start - 2 d, end + 2 d]."""
    zone = get_zone(zone_name)
    low = start_ts - _MARGIN
    high = end_ts + _MARGIN
    found = []
    previous_ts, previous = low, _offset(low, zone)
    for ts in range(low + _STEP, high + _STEP, _STEP):
        current = _offset(ts, zone)
        if current != previous:
            found.append(transition_between(zone, previous_ts, ts))
        previous_ts, previous = ts, current
    return tuple(found)


def near_transition(marks: tuple[int, ...], low: int, high: int) -> bool:
    """True when a transition lies in [low, high]."""
    index = bisect_left(marks, low)
    return index < len(marks) and marks[index] <= high


@lru_cache(maxsize=1024)
def local_days(zone_name: str, start_ts: int, end_ts: int) -> tuple[tuple[date, int, int | None], ...]:
    """Each local date from the one before start_ts to the one after end_ts: (date, local midnight as seconds
    since 1970-01-01 00:00 local, the day's UTC offset in seconds or None when a transition is near)."""
    zone = get_zone(zone_name)
    marks = transitions(zone_name, start_ts, end_ts)
    day = datetime.fromtimestamp(start_ts - 1, zone).date()
    last_day = datetime.fromtimestamp(end_ts, zone).date() + timedelta(days=1)
    days = []
    while day <= last_day:
        midnight = (day.toordinal() - _EPOCH_ORDINAL) * 86400
        offset = _seconds(datetime(day.year, day.month, day.day, 12, tzinfo=zone).utcoffset())
        noon_utc = midnight + 43200 - offset
        quiet = not near_transition(marks, noon_utc - 2 * 86400, noon_utc + 2 * 86400)
        days.append((day, midnight, offset if quiet else None))
        day += timedelta(days=1)
    return tuple(days)


@lru_cache(maxsize=1024)
def segments(zone_name: str, start_ts: int, end_ts: int) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """The zone's clock around the horizon as offset segments: (the transitions T1 < T2 < ..., the UTC offset
    in seconds before T1, after T1, after T2, ...)."""
    zone = get_zone(zone_name)
    marks = transitions(zone_name, start_ts, end_ts)
    first = marks[0] - 1 if marks else start_ts
    offsets = (_seconds(_offset(first, zone)), *(_seconds(_offset(mark, zone)) for mark in marks))
    return marks, offsets


def instant_of(wall: int, marks: tuple[int, ...], offsets: tuple[int, ...]) -> int:
    """The first instant at which the clock reads `wall` (seconds since 1970-01-01 00:00 local) or later.

    During segment i (from T(i) to T(i+1), offset o(i)) the clock reads [T(i) + o(i), T(i+1) + o(i)): the first
    segment whose readings reach past `wall` holds the answer, `wall - o(i)`, unless its readings start after
    `wall` (the wall time fell in the gap before it), and then the answer is T(i), the end of that gap."""
    for index in range(bisect_left(marks, wall - _FAR), len(marks)):
        if wall < marks[index] + offsets[index]:  # read before this transition
            if index and wall < marks[index - 1] + offsets[index]:
                return marks[index - 1]  # skipped by the previous transition (a gap)
            return wall - offsets[index]
    if marks and wall < marks[-1] + offsets[-1]:
        return marks[-1]
    return wall - offsets[-1]


@lru_cache(maxsize=512)
def daily_clock(expression: str) -> tuple[tuple[int, ...], frozenset[int], Callable[[date], bool]]:
    """(the matching times of day as seconds after midnight, ascending; the matching months; a day matcher)."""
    sim = CronSim(expression, datetime(2000, 1, 1))
    clock = tuple(sorted(hour * 3600 + minute * 60 for hour in sim.hours for minute in sim.minutes))
    return clock, frozenset(sim.months), sim.match_day


def wall_clock_fires(
    expression: str, zone_name: str, start_ts: int, end_ts: int, *, cache_days: bool = True
) -> list[int]:
    """UTC epoch seconds of every fire in [start_ts, end_ts), ascending, each instant once. `cache_days=False`
    for long one-off periods (a year of findings), whose list of days would only crowd the shared cache."""
    clock, months, match_day = daily_clock(expression)
    marks, offsets = segments(zone_name, start_ts, end_ts)
    fires: list[int] = []
    days = (local_days if cache_days else local_days.__wrapped__)(zone_name, start_ts, end_ts)
    for day, midnight, offset in days:
        if day.month not in months or not match_day(day):
            continue
        if offset is not None:  # no transition near this day: one offset for every fire
            base = midnight - offset
            fires.extend(base + seconds for seconds in clock[bisect_left(clock, start_ts - base) :])
            if fires and fires[-1] >= end_ts:
                del fires[bisect_left(fires, end_ts) :]
                break
            continue
        # Near a transition: wall → instant never goes backwards, so equal instants (a gap) are neighbours.
        for seconds in clock:
            ts = instant_of(midnight + seconds, marks, offsets)
            if ts >= end_ts:
                return fires
            if ts >= start_ts and (not fires or ts > fires[-1]):
                fires.append(ts)
    return fires


@lru_cache(maxsize=4096)
def fire_instants(expression: str, zone_name: str, start_ts: int, end_ts: int) -> tuple[int, ...]:
    """UTC epoch seconds of every fire in [start_ts, end_ts), ascending (expression and zone are valid)."""
    return tuple(wall_clock_fires(expression, zone_name, start_ts, end_ts))


def clear_caches() -> None:
    """Forget every cached expansion of this module (benchmarks measure a cold engine)."""
    for cached in (fire_instants, transitions, local_days, segments, daily_clock):
        cached.cache_clear()
