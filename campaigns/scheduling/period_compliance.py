"""Calling hours over a whole effective period, a campaign-local day at a time (period.py), to the verdicts of the
window-by-window check (compliance.check_compliance) — a property test holds the two to each other.

A window breaks a rule in a contact zone exactly when some instant of it lies outside what the rule allows: on
each local date the rule applies, [its opening, its closing] as instants; a whole date when it does not apply;
nothing on a date it forbids (a day off, a holiday). Merged into intervals of instants, the windows of one day
that keep the rule are those that start at or after an interval's start and end by its end — one index range
per interval, found by bisection because a day's starts and ends both ascend. So each (rule, zone, day) costs a
few bisections however many windows the day opens, and the first offending window, the windows affected (across
the rule's zones) and the contacts come out as the window-by-window check counts them.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from datetime import date
from functools import lru_cache
from typing import Any

from .budget import Deadline
from .compliance import Tally, broken_day, contact_rules, report_of
from .findings import FindingsReport
from .fires import instant_of, segments
from .period import Day, Period
from .rules import Jurisdiction, Rule, RuleSet, load_rules
from .zones import canonical_zone, get_zone

__all__ = ["check_period_compliance"]

_DAY = 86400
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
_EVERY_DAYS = 32  # how often the deadline is looked at


class _Clock:
    """A contact zone's clock over the period, in integer seconds (the engine's offset segments)."""

    def __init__(self, zone_name: str, period: Period):
        # Day-aligned bounds: the segments are cached, and a keystroke a minute later asks for the same ones.
        low = period.start_ts // _DAY * _DAY - _DAY
        high = (period.end_ts // _DAY + 2) * _DAY
        self.marks, self.offsets = segments(zone_name, low, high)
        self.places = self._places(period)

    def _places(self, period: Period) -> list[tuple[int, int, int] | None]:
        """Where each plain day's windows fall on this clock when it does not change from a day before them to a
        day after: (their first local date's first instant less the day's, that date's ordinal, how many local
        dates they touch); else None. One walk along the days and the transitions together."""
        marks, offsets, count = self.marks, self.offsets, len(self.marks)
        places: list[tuple[int, int, int] | None] = []
        if not period.clock:
            return [None] * len(period.days)
        opens, closes = period.clock[0], period.clock[-1] + period.duration
        passed = 0  # the transitions more than a day before the day's first window
        for day in period.days:
            first_ts, last_end = day.first + opens, day.first + closes
            while passed < count and marks[passed] < first_ts - _DAY:
                passed += 1
            if not day.plain or (passed < count and marks[passed] <= last_end + _DAY):
                places.append(None)
                continue
            offset = offsets[passed]
            first_date, last_date = (first_ts + offset) // _DAY, (last_end - 1 + offset) // _DAY
            places.append(
                (
                    first_date * _DAY - offset - day.first,
                    first_date + _EPOCH_ORDINAL,
                    last_date - first_date + 1,
                )
            )
        return places

    def ordinal(self, ts: int) -> int:
        """The proleptic ordinal of the local date at instant `ts`."""
        return (ts + self.offsets[bisect_right(self.marks, ts)]) // _DAY + _EPOCH_ORDINAL

    def instant(self, ordinal: int, seconds: int) -> int:
        """The first instant at which the clock reads that date and time of day or later (compliance._instant)."""
        return instant_of((ordinal - _EPOCH_ORDINAL) * _DAY + seconds, self.marks, self.offsets)


def _seconds(value) -> int:
    return value.hour * 3600 + value.minute * 60 + value.second


def _allowed_on(rule: Rule, ordinal: int) -> tuple[int, int] | None | bool:
    """What `rule` allows on a local date: True when it does not apply then; None when it allows no call (a day
    off, a holiday); else (open, close) in seconds of the local day."""
    day = date.fromordinal(ordinal)
    if not rule.applies_on(day):
        return True
    hours = rule.hours_on(day)
    return None if hours is None else (_seconds(hours[0]), _seconds(hours[1]))


@lru_cache(maxsize=64)
def _dates_allowed(rule: Rule, first: int, last: int) -> tuple:
    """_allowed_on for each ordinal in [first, last): the same for every check of the day (holidays cost)."""
    return tuple(_allowed_on(rule, ordinal) for ordinal in range(first, last))


class _Allowed:
    """What one rule allows on every local date the period's windows can touch in any zone, in a list to slice."""

    def __init__(self, rule: Rule, period: Period):
        self.rule = rule
        self.base = (period.start_ts - 2 * _DAY) // _DAY + _EPOCH_ORDINAL
        last = (period.end_ts + 4 * _DAY) // _DAY + _EPOCH_ORDINAL
        self.dates = _dates_allowed(rule, self.base, last)

    def on(self, ordinal: int) -> tuple[int, int] | None | bool:
        at = ordinal - self.base
        return self.dates[at] if 0 <= at < len(self.dates) else _allowed_on(self.rule, ordinal)


def _kept(period: Period, number: int, allowed: _Allowed, clock: _Clock, seen: dict) -> list[tuple[int, int]]:
    """The index ranges [i, j) of the windows of the period's day `number` that keep the rule in the zone of
    `clock`.

    Plain days far from the contact zone's transitions repeat: the same local dates of the rule (weekday,
    holiday, effective or not) at the same distance from the day's midnight give the same ranges, so each
    such shape is worked out once (`seen`) and shared."""
    day = period.days[number]
    place = clock.places[number]
    if place is None:
        return _kept_by_intervals(period, day, allowed, clock)
    distance, first_date, dates = place
    at = first_date - allowed.base
    shape = (distance, tuple(allowed.dates[at : at + dates]))
    if shape not in seen:
        seen[shape] = _kept_by_intervals(period, day, allowed, clock)
    return seen[shape]


def _kept_by_intervals(period: Period, day: Day, allowed: _Allowed, clock: _Clock) -> list[tuple[int, int]]:
    last = day.count - 1
    intervals: list[list[int]] = []
    first_date = clock.ordinal(period.start_of(day, 0))
    last_date = clock.ordinal(period.end_of(day, last) - 1)
    for ordinal in range(first_date, last_date + 1):
        hours = allowed.on(ordinal)
        if hours is None:
            continue
        if hours is True:
            low, high = clock.instant(ordinal, 0), clock.instant(ordinal + 1, 0)
        else:
            low, high = clock.instant(ordinal, hours[0]), clock.instant(ordinal, hours[1])
        if intervals and low <= intervals[-1][1]:
            intervals[-1][1] = max(intervals[-1][1], high)
        else:
            intervals.append([low, high])
    kept = []
    for low, high in intervals:
        if day.plain:
            start = bisect_left(period.clock, low - day.first)
            stop = bisect_right(period.clock, high - day.first - period.duration)
        else:
            start, stop = bisect_left(day.starts, low), bisect_right(day.ends, high)
        if start < stop:
            kept.append((start, stop))
    return kept


def _broken(kept: list[tuple[int, int]], index: int) -> bool:
    return not any(start <= index < stop for start, stop in kept)


def _intersect(left: list[tuple[int, int]], right: list[tuple[int, int]]) -> list[tuple[int, int]]:
    both, i, j = [], 0, 0
    while i < len(left) and j < len(right):
        start, stop = max(left[i][0], right[j][0]), min(left[i][1], right[j][1])
        if start < stop:
            both.append((start, stop))
        if left[i][1] < right[j][1]:
            i += 1
        else:
            j += 1
    return both


def _first_broken(kept: list[tuple[int, int]], count: int) -> int | None:
    index = 0
    for start, stop in kept:
        if index < start:
            return index
        index = max(index, stop)
    return index if index < count else None


def check_period_compliance(
    period: Period,
    *,
    campaign_zone: str,
    contact_zones: Sequence[str] | None = None,
    jurisdictions: Sequence[str | Jurisdiction] | None = None,
    breakdown: Sequence[dict[str, Any]] | None = None,
    dnc_rules: Iterable[object] | None = None,
    rules: RuleSet | None = None,
    deadline: Deadline | None = None,
) -> FindingsReport:
    """check_compliance(every window of `period`, ...), day by day. Raises CutShort("calling hours") when the
    deadline passes first."""
    rules = rules or load_rules()
    deadline = deadline or Deadline.unlimited()
    campaign_zone_name = canonical_zone(campaign_zone)
    unknown: dict[str, dict[str, Any]] = {}
    plan = contact_rules(
        rules, dnc_rules, unknown, campaign_zone=campaign_zone_name, contact_zones=contact_zones,
        jurisdictions=jurisdictions, breakdown=breakdown,
    )  # fmt: skip
    clocks: dict[str, _Clock] = {}
    allowed: dict[str, _Allowed] = {}
    kept: dict[tuple[str, str], list[list[tuple[int, int]]]] = {}  # (rule, zone) → each day's kept ranges
    breaks: dict[tuple[str, str], bool] = {}
    verdicts = _Verdicts(period)
    zones_of: dict[
        str, list[str]
    ] = {}  # each rule's zones, in the order the window-by-window check adds them
    tallies: dict[str, Tally] = {}
    for group, rule, zone_names in plan:
        broken = False
        for zone_name in zone_names:
            key = (rule.id, zone_name)
            if key not in kept:
                if zone_name not in clocks:
                    clocks[zone_name] = _Clock(zone_name, period)
                if rule.id not in allowed:
                    allowed[rule.id] = _Allowed(rule, period)
                ranges, seen = [], {}
                for number in range(len(period.days)):
                    if number % _EVERY_DAYS == 0:
                        deadline.check("calling hours")
                    ranges.append(_kept(period, number, allowed[rule.id], clocks[zone_name], seen))
                kept[key] = ranges
                breaks[key] = any(
                    verdicts.of(number, day_kept)[1] is not None for number, day_kept in enumerate(ranges)
                )
            if breaks[key]:
                broken = True
                tallies.setdefault(rule.id, Tally(rule))
                if zone_name not in zones_of.setdefault(rule.id, []):
                    zones_of[rule.id].append(zone_name)
        if broken and group.count is not None:
            tally = tallies[rule.id]
            tally.contacts = (tally.contacts or 0) + group.count

    counted = []
    for rule_id, tally in tallies.items():
        zones = zones_of[rule_id]
        affected = 0
        for number, day in enumerate(period.days):
            both = verdicts.both([kept[(rule_id, zone_name)][number] for zone_name in zones])
            broken_count, index = verdicts.of(number, both)
            if index is None:
                continue
            affected += broken_count
            if tally.first is None:
                zone_name = next(z for z in zones if _broken(kept[(rule_id, z)][number], index))
                tally.first = _first_of(period, day, index, tally.rule, zone_name)
        counted.append((tally, affected))
    return report_of(counted, unknown, period.first, len(period), get_zone(campaign_zone_name))


class _Verdicts:
    """What a day's kept ranges say (how many windows break the rule, the first that does) and the ranges kept
    in every zone of a rule, each worked out once per distinct list (plain days share their lists)."""

    def __init__(self, period: Period):
        self.period = period
        self._of: dict[tuple[int, int], tuple[int, int | None]] = {}
        self._both: dict[tuple[int, ...], list[tuple[int, int]]] = {}
        self._keep: list = []  # the lists whose ids key the memos stay alive while they do

    def of(self, number: int, kept: list[tuple[int, int]]) -> tuple[int, int | None]:
        count = self.period.days[number].count
        key = (id(kept), count)
        if key not in self._of:
            self._keep.append(kept)
            self._of[key] = (count - sum(stop - start for start, stop in kept), _first_broken(kept, count))
        return self._of[key]

    def both(self, lists: list[list[tuple[int, int]]]) -> list[tuple[int, int]]:
        if len(lists) == 1:
            return lists[0]
        key = tuple(map(id, lists))
        if key not in self._both:
            self._keep.extend(lists)
            both = lists[0]
            for other in lists[1:]:
                both = _intersect(both, other)
            self._both[key] = both
        return self._both[key]


def _first_of(period: Period, day: Day, index: int, rule: Rule, zone_name: str) -> tuple:
    """The first offending window, its contact zone and the local date it breaks the rule on there, as the
    window-by-window check says (and so in its words)."""
    window = period.window(day, index)
    zone = get_zone(zone_name)
    broken_on = broken_day(
        rule, zone_name, zone, window, window.start.astimezone(zone), window.end.astimezone(zone)
    )
    if broken_on is None:  # pragma: no cover - the property test holds the two checks to each other
        raise AssertionError(f"{rule.id}: the day-by-day check disagrees with the window at {window.start}")
    return window, zone_name, broken_on
