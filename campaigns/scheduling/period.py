"""A schedule's windows over a whole effective period, one campaign-local day at a time, never one by one.

A cron repeats: every matching day opens the same windows at the same wall-clock times, and on a day whose
clock does not change (nor the next day's, while its windows run) those windows are the day's UTC midnight plus
the cron's times of day, each lasting `duration` minutes. Such a "plain" day is kept as (its first instant, how
many windows); only the days near the campaign zone's DST transitions and the two ends of the period are
expanded window by window (the engine's own expansion, windows.window_instants). Every whole-period finding
(calling hours, DST, frequency limits) reads this, so its cost grows with the days of the period, not with the
windows a schedule opens: `* * * * *` to 2100 is 1,440 windows a day but still about 1,100 days.
"""

from __future__ import annotations

import copy
import math
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from operator import itemgetter

from .budget import Deadline
from .fires import daily_clock, instant_of, segments, transitions
from .spec import InvalidSchedule, ScheduleSpec, structural_errors
from .windows import Window, window_instants
from .zones import canonical_zone, get_zone

__all__ = ["Day", "Period", "period_of"]

_DAY = 86400
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
_START, _END = itemgetter(0), itemgetter(1)
# No zone changes its clock twice within three hours (fires.py), nor repeats more than that of its wall clock.
_NEAR = 3 * 3600


@dataclass(frozen=True)
class Day:
    """The windows of one campaign-local date that start inside the period.

    Plain: starts are `first + clock[i]` and ends `start + duration` (UTC epoch seconds). Otherwise `starts`
    and `ends` list them (both ascending: a later wall time never opens or closes earlier)."""

    day: date
    first: int  # the UTC instant of the day's local midnight (plain days), or of its first window
    count: int
    plain: bool
    starts: tuple[int, ...] = ()
    ends: tuple[int, ...] = ()


class Period:
    """The windows of `spec` whose start lies in [start, end) and inside its effective period, by local day."""

    def __init__(self, spec: ScheduleSpec, start: datetime, end: datetime):
        errors = structural_errors(spec)
        if errors:
            raise InvalidSchedule(errors)
        self.spec = spec
        self.zone_name = canonical_zone(spec.timezone)
        self.zone = get_zone(self.zone_name)
        self.duration = spec.duration_minutes * 60
        start_ts, end_ts = math.ceil(start.timestamp()), math.ceil(end.timestamp())
        if spec.effective_start is not None:
            start_ts = max(start_ts, math.ceil(spec.effective_start.timestamp()))
        if spec.effective_end is not None:
            end_ts = min(end_ts, math.ceil(spec.effective_end.timestamp()))
        self.start_ts, self.end_ts = start_ts, max(start_ts, end_ts)
        clock, months, match_day = daily_clock(spec.cron_expression)
        self.clock = clock
        self.days: list[Day] = []
        self.marks: tuple[int, ...] = ()
        if self.start_ts < self.end_ts:
            self._split(months, match_day)
        self.count = sum(day.count for day in self.days)

    def _split(self, months, match_day) -> None:
        # Day-aligned bounds: the zone's clock is cached, and a keystroke a minute later asks for the same one.
        low, high = self.start_ts // _DAY * _DAY - _DAY, (self.end_ts // _DAY + 2) * _DAY
        self.marks = marks = transitions(self.zone_name, low, high)
        self._clock = segments(self.zone_name, low, high)
        day = datetime.fromtimestamp(self.start_ts, self.zone).date() - timedelta(days=1)
        last = datetime.fromtimestamp(self.end_ts, self.zone).date() + timedelta(days=1)
        midnight = self.midnight(day)
        while day <= last:
            following = day + timedelta(days=1)
            next_midnight = self.midnight(following)
            if day.month in months and match_day(day):
                self._add_day(day, midnight, next_midnight, marks)
            day, midnight = following, next_midnight

    def midnight(self, day: date) -> int:
        """The first instant whose local reading is `day` 00:00 or later (zones.localize, in integers)."""
        return instant_of((day.toordinal() - _EPOCH_ORDINAL) * _DAY, *self._clock)

    def _quiet(self, midnight: int, marks: tuple[int, ...]) -> bool:
        """True when the clocks' changes leave the windows of the day starting at `midnight` alone: none lies
        in them or a second before one opens, and none repeats a wall time one of them opens at."""
        index = bisect_left(marks, midnight - 1)
        while index < len(marks) and marks[index] <= midnight + _DAY + self.duration + _NEAR:
            mark = marks[index]
            if mark <= midnight + _DAY + self.duration or mark - self._repeated(mark) < midnight + _DAY:
                return False
            index += 1
        return True

    def _add_day(self, day: date, midnight: int, next_midnight: int, marks: tuple[int, ...]) -> None:
        if (
            self._quiet(midnight, marks)
            and next_midnight == midnight + _DAY
            and self.start_ts <= midnight
            and next_midnight <= self.end_ts
        ):
            if self.clock:
                self.days.append(Day(day, midnight, len(self.clock), True))
            return
        # Near a transition or at an end of the period: the engine's own expansion of that local day (its
        # windows are those whose start lies between its midnight and the next: a wall time never maps before
        # the first instant of its own date nor after the first instant of the next).
        low = max(self.start_ts, midnight)
        high = min(self.end_ts, next_midnight)
        if low >= high:
            return
        instants = window_instants(
            self.spec.cron_expression, self.zone_name, self.spec.duration_minutes, low, high
        )
        if instants:
            self.days.append(
                Day(
                    day,
                    instants[0][0],
                    len(instants),
                    False,
                    tuple(map(_START, instants)),
                    tuple(map(_END, instants)),
                )
            )

    def without_days(self, dates) -> Period:
        """The same period without the windows that open on `dates` (local dates on the campaign's clock, e.g.
        its blackout days): a day here holds exactly the windows whose local start falls on it."""
        if not dates:
            return self
        kept = copy.copy(self)
        kept.days = [day for day in self.days if day.day not in dates]
        kept.count = sum(day.count for day in kept.days)
        return kept

    # ---- what the findings ask -------------------------------------------------------------------

    def __len__(self) -> int:
        return self.count

    def __bool__(self) -> bool:
        return self.count > 0

    def start_of(self, day: Day, index: int) -> int:
        return day.first + self.clock[index] if day.plain else day.starts[index]

    def end_of(self, day: Day, index: int) -> int:
        return day.first + self.clock[index] + self.duration if day.plain else day.ends[index]

    def window(self, day: Day, index: int) -> Window:
        start = datetime.fromtimestamp(self.start_of(day, index), UTC)
        end = datetime.fromtimestamp(self.end_of(day, index), UTC)
        return Window(start, end, start.astimezone(self.zone), end.astimezone(self.zone))

    def windows_of(self, day: Day) -> Iterator[Window]:
        return (self.window(day, index) for index in range(day.count))

    def first_windows(self, limit: int) -> list[Window]:
        found: list[Window] = []
        for day in self.days if limit > 0 else ():
            for index in range(min(day.count, limit - len(found))):
                found.append(self.window(day, index))
            if len(found) >= limit:
                break
        return found

    @property
    def first(self) -> Window | None:
        return self.window(self.days[0], 0) if self.days else None

    def count_before(self, moment: datetime) -> int:
        """How many windows start before `moment`."""
        ts = math.ceil(moment.timestamp())
        total = 0
        for day in self.days:
            if self.start_of(day, 0) >= ts:
                break
            if day.plain:
                total += bisect_left(self.clock, ts - day.first)
            else:
                total += bisect_left(day.starts, ts)
        return total

    def from_day(self, first_day: date) -> tuple[Window | None, int]:
        """The first window whose local start falls on or after `first_day`, and how many do. A window opens
        at the first occurrence of its wall time (or just after a gap), so its local date is on or after
        `first_day` exactly when it opens at or after that date's first instant."""
        threshold = self.midnight(first_day) if self.days else 0
        first, total = None, 0
        for day in self.days:
            if day.plain:
                skipped = bisect_left(self.clock, threshold - day.first)
            else:
                skipped = bisect_left(day.starts, threshold)
            if skipped < day.count:
                first = first or self.window(day, skipped)
                total += day.count - skipped
        return first, total

    def _repeated(self, mark: int) -> int:
        """How many seconds of wall clock the transition at `mark` repeats (0 when it skips some)."""
        marks, offsets = self._clock
        index = bisect_left(marks, mark)
        if index < len(marks) and marks[index] == mark:
            return max(0, offsets[index] - offsets[index + 1])
        return _NEAR  # pragma: no cover - every mark is one of the clock's transitions

    def near_transitions(self, deadline: Deadline | None = None, part: str = "DST") -> Iterator[Window]:
        """In order, every window that a change of the campaign zone's clock can touch: one that opens at most a
        second after a transition, or has one inside it or within the next three hours (the first occurrence of
        a repeated wall time). The DST findings of any other window are none. CutShort(part) when `deadline`
        passes."""
        for day in self.days:
            if day.plain:
                continue
            if deadline is not None:
                deadline.check(part)
            chosen: set[int] = set()
            for mark in self.marks:
                stop = bisect_right(day.starts, mark + 1)
                start = min(bisect_left(day.ends, mark), bisect_left(day.starts, mark - self._repeated(mark)))
                chosen.update(range(start, stop))
            for index in sorted(chosen):
                yield self.window(day, index)


def period_of(spec: ScheduleSpec, start: datetime, end: datetime) -> Period:
    """Period(spec, start, end), shared: storing the findings of thousands of campaigns meets the same
    schedules over the same period again and again."""
    return _period(spec, math.ceil(start.timestamp()), math.ceil(end.timestamp()))


@lru_cache(maxsize=128)
def _period(spec: ScheduleSpec, start_ts: int, end_ts: int) -> Period:
    return Period(spec, datetime.fromtimestamp(start_ts, UTC), datetime.fromtimestamp(end_ts, UTC))
