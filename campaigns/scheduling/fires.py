"""Cron fire instants in a zone, fast: the cost of expanding windows dominates every other computation.

For expressions with a fixed minute and hour (not starting with "*"), cronsim walks the local wall clock
(Debian cron semantics): a time in a spring-forward gap fires at the first existing minute after the gap,
an ambiguous time fires once at its first occurrence, and a fire never precedes the wall time of the
previous one. `fixed_time_fires` does the same day by day without cronsim's per-second walking (tests check
that both agree); other expressions (`*/15 * * * *`) go through cronsim itself, which walks real time and so
fires in both occurrences of a repeated hour. `fire_instants` drops every fire in a second occurrence, on
every path: an ambiguous time fires once, at its first occurrence.
"""

from __future__ import annotations

from bisect import bisect_left
from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from cronsim import CronSim

from .cron import iter_fires
from .zones import get_zone, localize, transition_between

__all__ = ["fire_instants", "transitions", "uses_wall_clock_walk", "without_second_occurrences"]

_HOUR = 3600
_STEP = 3 * _HOUR  # offsets are sampled this often; no zone changes its offset twice within 3 hours
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
_MARGIN = 2 * 86400  # windows last up to a day; look for transitions a little beyond the horizon


def uses_wall_clock_walk(expression: str) -> bool:
    """True when cronsim evaluates the expression on the local wall clock (fixed minute and hour)."""
    parts = expression.split()
    return len(parts) == 5 and not parts[0].startswith("*") and not parts[1].startswith("*")


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


def fixed_time_fires(expression: str, zone_name: str, start_ts: int, end_ts: int) -> list[int]:
    zone = get_zone(zone_name)
    sim = CronSim(expression, datetime(2000, 1, 1))
    clock = sorted(hour * 3600 + minute * 60 for hour in sim.hours for minute in sim.minutes)
    months, match_day = sim.months, sim.match_day
    # Wall-clock values as integer seconds since 1970-01-01 00:00 *local*: cheap to compare and to shift.
    begin = datetime.fromtimestamp(start_ts - 1, zone)
    cursor = start_ts - 1 + _seconds(begin.utcoffset())  # cronsim starts walking from here
    fires: list[int] = []
    for day, midnight, offset in local_days(zone_name, start_ts, end_ts):
        if day.month not in months or not match_day(day):
            continue
        for seconds in clock:
            wall = midnight + seconds
            if wall <= cursor:
                continue
            if offset is not None:  # no transition near this day: one offset for every fire
                ts = wall - offset
            else:
                instant = localize(datetime(day.year, day.month, day.day) + timedelta(seconds=seconds), zone)
                ts = int(instant.timestamp())  # gap → first instant after it; ambiguous → first one
                wall = ts + _seconds(instant.astimezone(zone).utcoffset())
            cursor = wall
            if ts >= end_ts:
                return fires
            if ts >= start_ts:
                fires.append(ts)
    return fires


@lru_cache(maxsize=4096)
def fire_instants(expression: str, zone_name: str, start_ts: int, end_ts: int) -> tuple[int, ...]:
    """UTC epoch seconds of every fire in [start_ts, end_ts), ascending (expression and zone are valid)."""
    if uses_wall_clock_walk(expression):
        fires = fixed_time_fires(expression, zone_name, start_ts, end_ts)
    else:
        fires = cronsim_fires(expression, zone_name, start_ts, end_ts)
    return tuple(without_second_occurrences(fires, zone_name, start_ts, end_ts))


def without_second_occurrences(fires: list[int], zone_name: str, start_ts: int, end_ts: int) -> list[int]:
    """`fires` (ascending) without those in the second occurrence of a repeated hour: when clocks go back by
    `back` seconds at instant T, the wall times read in [T, T + back) were already read in [T - back, T), and
    a cron matches both readings alike, so each such fire repeats the wall time of the first occurrence."""
    zone = get_zone(zone_name)
    for mark in transitions(zone_name, start_ts, end_ts):
        back = _seconds(_offset(mark - 1, zone)) - _seconds(_offset(mark, zone))
        if back > 0:
            low, high = bisect_left(fires, mark), bisect_left(fires, mark + back)
            del fires[low:high]
    return fires


def cronsim_fires(expression: str, zone_name: str, start_ts: int, end_ts: int) -> list[int]:
    """The same fires, straight from cronsim (the reference for `fixed_time_fires`; for wildcard expressions,
    second occurrences included)."""
    zone = get_zone(zone_name)
    fires = []
    for fire in iter_fires(expression, datetime.fromtimestamp(start_ts - 1, zone)):
        ts = int(fire.timestamp())
        if ts >= end_ts:
            break
        if ts >= start_ts:
            fires.append(ts)
    return fires
