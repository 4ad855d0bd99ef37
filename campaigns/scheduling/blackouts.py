"""Blackout calendars: named sets of days a campaign does not dial (holidays, company closures), and the windows
they remove.

A calendar is a list of date rules, stored as JSON (a list of objects, one per rule):
    {"kind": "date", "date": "2026-12-24"}                         one day
    {"kind": "dates", "from": "2026-12-24", "to": "2027-01-01"}    every day from … to …, both included
    {"kind": "yearly", "month": 12, "day": 25, "observed": true}   each year; `observed` also blacks out the
                                                                   Friday before a Saturday one and the Monday
                                                                   after a Sunday one (the US federal custom)
    {"kind": "weekday", "month": 11, "weekday": 3, "nth": 4}       "fourth Thursday of November" (weekday:
                                                                   Monday 0; nth 1..5, or -1 for the last)
    {"kind": "easter", "offset": -2}                               days from Western Easter ("Good Friday")
    {"kind": "state_holidays", "rule": "us-pa"}                    the holidays on which a rule of the calling-
                                                                   hours rules file bans calls (its calendar)
each with a "name" the planner reads ("US Thanksgiving"). Easter and nth-weekday arithmetic is holiday_days.py's,
shared with the rules file's added days.

Which windows a blackout day removes: those whose start falls on that day on the campaign's own wall clock (its
zone). A window that opens the evening before and runs past midnight is kept; one that opens on the day is gone.
That is the day the planner writes on the calendar ("we are closed on Thanksgiving"): the states' own bans on
their residents' local holidays are checked per contact by the compliance rules, whatever is attached.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from .holiday_days import easter_sunday, nth_weekday
from .rules import RuleSet, load_rules
from .zones import get_zone, localize

__all__ = [
    "KINDS",
    "BlackoutRuleError",
    "DateRule",
    "blackout_days",
    "day_spans",
    "parse_rule",
    "parse_rules",
    "state_holiday_rules",
    "without_blackouts",
]

KINDS = ("date", "dates", "yearly", "weekday", "easter", "state_holidays")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
ORDINALS = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", -1: "last"}
LONGEST_RANGE = 366  # days in one "dates" rule: a closure, not a way to stop a campaign for good


class BlackoutRuleError(ValueError):
    """A date rule this module cannot read; the message says which part, in the planner's words."""


@dataclass(frozen=True)
class DateRule:
    kind: str
    name: str
    day: date | None = None  # "date"; the first day of "dates"
    until: date | None = None  # the last day of "dates" (included)
    month: int = 0  # "yearly", "weekday"
    month_day: int = 0  # "yearly"
    weekday: int = 0  # "weekday": Monday 0
    nth: int = 0  # "weekday": 1..5 or -1
    offset: int = 0  # "easter"
    observed: bool = False  # "yearly"
    rule_id: str = ""  # "state_holidays"

    def days_between(self, first: date, last: date, ruleset: RuleSet | None = None) -> list[tuple[date, str]]:
        """(day, name) of every day in [first, last] this rule blacks out, in date order."""
        if self.kind == "date":
            return [(self.day, self.name)] if first <= self.day <= last else []  # type: ignore[operator]
        if self.kind == "dates":
            low, high = max(first, self.day), min(last, self.until)  # type: ignore[type-var]
            return [(low + timedelta(days=n), self.name) for n in range((high - low).days + 1)]
        if self.kind == "state_holidays":
            return self._state_days(first, last, ruleset or load_rules())
        found = []
        for year in range(first.year - 1, last.year + 2):  # an observed day may cross a new year
            for day, name in self._days_of_year(year):
                if first <= day <= last:
                    found.append((day, name))
        return sorted(found)

    def _days_of_year(self, year: int) -> list[tuple[date, str]]:
        if self.kind == "easter":
            return [(easter_sunday(year) + timedelta(days=self.offset), self.name)]
        if self.kind == "weekday":
            day = nth_weekday(year, self.month, self.weekday, self.nth)
            return [(day, self.name)] if day else []
        try:
            day = date(year, self.month, self.month_day)
        except ValueError:  # 29 February outside a leap year
            return []
        days = [(day, self.name)]
        if self.observed and day.weekday() >= 5:
            moved = day - timedelta(days=1) if day.weekday() == 5 else day + timedelta(days=1)
            days.append((moved, f"{self.name} (observed)"))
        return days

    def _state_days(self, first: date, last: date, ruleset: RuleSet) -> list[tuple[date, str]]:
        rule = ruleset.rule(self.rule_id)
        calendar = rule.holidays
        found = []
        for n in range((last - first).days + 1):
            day = first + timedelta(days=n)
            name = calendar.holiday_name(day) if calendar and rule.applies_on(day) else None
            if name:
                found.append((day, f"{rule.jurisdiction} {name}"))
        return found

    def describe(self) -> str:
        """When, in the planner's words ("fourth Thursday of November", "Easter − 2 days")."""
        if self.kind == "date":
            return f"{self.day:%a %d %b %Y}"
        if self.kind == "dates":
            return f"{self.day:%a %d %b %Y} to {self.until:%a %d %b %Y}"
        if self.kind == "yearly":
            text = f"every {self.month_day} {MONTHS[self.month - 1]}"
            return text + (" (a weekend one also on the nearest weekday)" if self.observed else "")
        if self.kind == "weekday":
            return f"{ORDINALS[self.nth]} {WEEKDAYS[self.weekday]} of {MONTHS[self.month - 1]}"
        if self.kind == "easter":
            if not self.offset:
                return "Easter Sunday"
            sign = "+" if self.offset > 0 else "−"
            return f"Easter {sign} {abs(self.offset)} day{'s' if abs(self.offset) != 1 else ''}"
        return f"the holidays of rule {self.rule_id} in the calling-hours rules"

    def to_dict(self) -> dict[str, Any]:
        """The stored JSON shape (parse_rule reads it back unchanged)."""
        row: dict[str, Any] = {"kind": self.kind, "name": self.name}
        if self.kind == "date":
            row["date"] = self.day.isoformat()  # type: ignore[union-attr]
        elif self.kind == "dates":
            row["from"], row["to"] = self.day.isoformat(), self.until.isoformat()  # type: ignore[union-attr]
        elif self.kind == "yearly":
            row.update(month=self.month, day=self.month_day, observed=self.observed)
        elif self.kind == "weekday":
            row.update(month=self.month, weekday=self.weekday, nth=self.nth)
        elif self.kind == "easter":
            row["offset"] = self.offset
        else:
            row["rule"] = self.rule_id
        return row


def _int(entry: dict, key: str, low: int, high: int, what: str) -> int:
    value = entry.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise BlackoutRuleError(f"{what} must be a whole number from {low} to {high}")
    return value


def _day(entry: dict, key: str) -> date:
    try:
        return date.fromisoformat(entry.get(key))  # type: ignore[arg-type]
    except (TypeError, ValueError) as exc:
        raise BlackoutRuleError(f"{key} must be a date (YYYY-MM-DD)") from exc


def parse_rule(entry: Any, ruleset: RuleSet | None = None) -> DateRule:
    """One stored rule; BlackoutRuleError names what is wrong."""
    if not isinstance(entry, dict) or entry.get("kind") not in KINDS:
        raise BlackoutRuleError(f"each rule needs a kind: one of {', '.join(KINDS)}")
    kind = entry["kind"]
    name = entry.get("name")
    if kind == "state_holidays":
        return _state_rule(entry, ruleset or load_rules())
    if not isinstance(name, str) or not name.strip():
        raise BlackoutRuleError("each day needs a name (what the planner sees: “US Thanksgiving”)")
    name = name.strip()
    if kind == "date":
        return DateRule(kind, name, day=_day(entry, "date"))
    if kind == "dates":
        first, last = _day(entry, "from"), _day(entry, "to")
        if last < first:
            raise BlackoutRuleError(f"{name}: the last day comes before the first")
        if (last - first).days >= LONGEST_RANGE:
            raise BlackoutRuleError(f"{name}: a closure lasts at most {LONGEST_RANGE} days")
        return DateRule(kind, name, day=first, until=last)
    if kind == "easter":
        return DateRule(kind, name, offset=_int(entry, "offset", -70, 70, f"{name}: the days from Easter"))
    month = _int(entry, "month", 1, 12, f"{name}: the month")
    if kind == "weekday":
        weekday = _int(entry, "weekday", 0, 6, f"{name}: the weekday (Monday 0)")
        nth = entry.get("nth")
        if nth not in ORDINALS or isinstance(nth, bool):
            raise BlackoutRuleError(f"{name}: which one must be first to fifth, or last")
        return DateRule(kind, name, month=month, weekday=weekday, nth=nth)
    month_day = _int(entry, "day", 1, 31, f"{name}: the day of the month")
    try:
        date(2000, month, month_day)  # a leap year: 29 February is a day
    except ValueError as exc:
        raise BlackoutRuleError(f"{name}: {MONTHS[month - 1]} has no day {month_day}") from exc
    return DateRule(kind, name, month=month, month_day=month_day, observed=bool(entry.get("observed")))


def _state_rule(entry: dict, ruleset: RuleSet) -> DateRule:
    rule_id = entry.get("rule")
    try:
        rule = ruleset.rule(rule_id) if isinstance(rule_id, str) else None
    except KeyError:
        rule = None
    if rule is None or rule.holidays is None:
        known = ", ".join(r.id for r in state_holiday_rules(ruleset))
        raise BlackoutRuleError(
            f"rule {rule_id!r} bans no holidays in the calling-hours rules (known: {known})"
        )
    name = entry.get("name")
    name = (
        name.strip()
        if isinstance(name, str) and name.strip()
        else f"{rule.jurisdiction} {rule.holidays.description}"
    )
    return DateRule("state_holidays", name, rule_id=rule.id)


def parse_rules(entries: Any, ruleset: RuleSet | None = None) -> tuple[DateRule, ...]:
    """A calendar's stored rules; the error says which rule (counted from 1) is wrong."""
    if not isinstance(entries, list):
        raise BlackoutRuleError("a calendar's rules are a list")
    rules = []
    for number, entry in enumerate(entries, start=1):
        try:
            rules.append(parse_rule(entry, ruleset))
        except BlackoutRuleError as exc:
            raise BlackoutRuleError(f"rule {number}: {exc}") from exc
    return tuple(rules)


def state_holiday_rules(ruleset: RuleSet | None = None) -> list:
    """The rules of the calling-hours file that ban calls on holidays (UT, LA, AL, RI, PA …): each is a ready
    calendar."""
    return [rule for rule in (ruleset or load_rules()).rules if rule.holidays is not None]


def blackout_days(
    rules: Iterable[DateRule], first: date, last: date, ruleset: RuleSet | None = None
) -> dict[date, tuple[str, ...]]:
    """Every blacked-out day in [first, last] with the names of what falls on it, in date order."""
    found: dict[date, list[str]] = {}
    for rule in rules:
        for day, name in rule.days_between(first, last, ruleset):
            names = found.setdefault(day, [])
            if name not in names:
                names.append(name)
    return {day: tuple(found[day]) for day in sorted(found)}


def local_days(start_utc: datetime, end_utc: datetime, zone_name: str) -> tuple[date, date]:
    """The first and last date of the zone's wall clock that [start_utc, end_utc) touches."""
    zone = get_zone(zone_name)
    last_instant = max(start_utc, end_utc - timedelta(microseconds=1))
    return start_utc.astimezone(zone).date(), last_instant.astimezone(zone).date()


def day_spans(days: Iterable[date], zone_name: str) -> list[tuple[int, int]]:
    """Each day as the UTC epoch seconds [its local midnight, the next one) on the zone's wall clock, sorted
    (a DST day lasts 23 or 25 hours)."""
    zone = get_zone(zone_name)
    spans = []
    for day in sorted(set(days)):
        start = localize(datetime.combine(day, time()), zone)
        end = localize(datetime.combine(day + timedelta(days=1), time()), zone)
        spans.append((int(start.astimezone(UTC).timestamp()), int(end.astimezone(UTC).timestamp())))
    return spans


def without_blackouts(
    instants: Sequence[tuple[int, int]], spans: Sequence[tuple[int, int]]
) -> tuple[tuple[int, int], ...]:
    """The windows (UTC epoch seconds) whose start does not fall in a blacked-out day's span (day_spans)."""
    if not spans:
        return tuple(instants)
    starts = [start for start, _ in spans]
    kept = []
    for window in instants:
        index = bisect_right(starts, window[0]) - 1
        if index < 0 or window[0] >= spans[index][1]:
            kept.append(window)
    return tuple(kept)


def names_of_skipped(
    instants: Sequence[tuple[int, int]], days: Mapping[date, tuple[str, ...]], zone_name: str
) -> list[tuple[int, int, date, tuple[str, ...]]]:
    """The windows a blackout removes, each with its local day and what falls on it (for the editor)."""
    zone = get_zone(zone_name)
    skipped = []
    for start, end in instants:
        day = datetime.fromtimestamp(start, zone).date()
        if day in days:
            skipped.append((start, end, day, days[day]))
    return skipped
