"""Holidays a statute lists that the `holidays` package lacks (or lists wrongly), as yearly day rules read from
the rules data file.

A rule's `on` says which day of each year:
    "MM-DD"                  a fixed date ("06-14": Flag Day)
    "easter+N" / "easter-N"  N days from Western Easter Sunday ("easter-2": Good Friday)
    "election"               the Tuesday after the first Monday of November
`years` ("even", "odd", or absent for every year) narrows it; `sunday_to_monday` makes the Monday after a Sunday
one a holiday too, as Pennsylvania's and Rhode Island's statutes move a Sunday holiday.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

__all__ = ["AddedDay", "DayRuleError", "easter_sunday", "nth_weekday", "parse_added_day"]

_FIXED = re.compile(r"^(\d{2})-(\d{2})$")
_EASTER = re.compile(r"^easter([+-]\d{1,2})?$")
YEARS = (None, "even", "odd")


class DayRuleError(ValueError):
    """An added day the data file describes in a way this module cannot read; the message says which part."""


def easter_sunday(year: int) -> date:
    """Western (Gregorian) Easter Sunday: the anonymous Gregorian algorithm (Meeus/Jones/Butcher)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l = (32 + 2 * e + 2 * i - h - k) % 7  # noqa: E741 (the algorithm's own name)
    m = (a + 11 * h + 22 * l) // 451
    month, day = divmod(h + l - 7 * m + 114, 31)
    return date(year, month, day + 1)


def nth_weekday(year: int, month: int, weekday: int, nth: int) -> date | None:
    """The `nth` (1..5) `weekday` (Monday 0) of the month, or its last one for nth -1 ("fourth Thursday of
    November", "last Monday of May"); None when the month has no fifth one."""
    if nth == -1:
        following = date(year + month // 12, month % 12 + 1, 1)
        last = following - timedelta(days=1)
        return last - timedelta(days=(last.weekday() - weekday) % 7)
    first = date(year, month, 1)
    day = first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (nth - 1))
    return day if day.month == month else None


def _election_day(year: int) -> date:
    return nth_weekday(year, 11, 0, 1) + timedelta(days=1)  # type: ignore[operator]


@dataclass(frozen=True)
class AddedDay:
    name: str
    on: str
    years: str | None = None  # "even" | "odd" | None (every year)
    sunday_to_monday: bool = False
    source: str = ""

    def date_in(self, year: int) -> date | None:
        """The day this rule names in `year`, or None when it names none that year."""
        if self.years == "even" and year % 2 or self.years == "odd" and not year % 2:
            return None
        if self.on == "election":
            return _election_day(year)
        easter = _EASTER.match(self.on)
        if easter:
            return easter_sunday(year) + timedelta(days=int(easter.group(1) or 0))
        month, day = (int(part) for part in _FIXED.match(self.on).groups())  # type: ignore[union-attr]
        try:
            return date(year, month, day)
        except ValueError:  # 02-29 outside a leap year
            return None

    def name_on(self, day: date) -> str | None:
        """This holiday's name when it falls on `day` (or is kept on it, the Monday after a Sunday)."""
        if self.date_in(day.year) == day:
            return self.name
        if self.sunday_to_monday and day.weekday() == 0:
            sunday = day - timedelta(days=1)
            if self.date_in(sunday.year) == sunday:
                return f"{self.name} (observed)"
        return None


def parse_added_day(entry: Any) -> AddedDay:
    """An `add` entry of a holiday calendar; DayRuleError names what is wrong."""
    if not isinstance(entry, dict) or not isinstance(entry.get("name"), str) or not entry["name"]:
        raise DayRuleError("each added day needs a name")
    on = entry.get("on")
    if not isinstance(on, str) or not (on == "election" or _EASTER.match(on) or _FIXED.match(on)):
        raise DayRuleError(f"{entry['name']}: on must be MM-DD, easter±N or election, got {on!r}")
    fixed = _FIXED.match(on)
    if fixed:
        try:
            date(2000, int(fixed.group(1)), int(fixed.group(2)))  # a leap year: 02-29 is a day
        except ValueError as exc:
            raise DayRuleError(f"{entry['name']}: {on!r} is not a day of the year") from exc
    if entry.get("years") not in YEARS:
        raise DayRuleError(f"{entry['name']}: years must be even, odd or absent")
    return AddedDay(
        name=entry["name"],
        on=on,
        years=entry.get("years"),
        sunday_to_monday=bool(entry.get("sunday_to_monday")),
        source=entry.get("source", ""),
    )
