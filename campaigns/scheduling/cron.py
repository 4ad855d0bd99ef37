"""Cron expressions: exactly 5 fields, validated field by field with messages a planner can act on.

Fire times are the wall-clock minutes an expression matches, in the campaign's zone (fires.py): a time that
falls in a spring-forward gap fires at the first instant after the gap, an ambiguous one fires once, at its
first occurrence, on every kind of expression (Debian cron does so for fixed times).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from cronsim import CronSim, CronSimError

__all__ = ["CRON_FIELDS", "CronFields", "cron_errors", "iter_fires", "parse_cron"]


@dataclass(frozen=True)
class _FieldSpec:
    name: str
    low: int
    high: int
    names: tuple[str, ...] = ()  # symbolic names, index 0 == value `name_base`
    name_base: int = 0


CRON_FIELDS = (
    _FieldSpec("minute", 0, 59),
    _FieldSpec("hour", 0, 23),
    _FieldSpec("day-of-month", 1, 31),
    _FieldSpec(
        "month",
        1,
        12,
        tuple(["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]),
        1,
    ),
    _FieldSpec("day-of-week", 0, 7, tuple(["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]), 0),
)
_DAYS_IN_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


class _FieldProblem(ValueError):
    pass


def _value(spec: _FieldSpec, token: str) -> int:
    if token == "":
        raise _FieldProblem("a value is missing")
    if token.upper() in spec.names:
        return spec.names.index(token.upper()) + spec.name_base
    if not token.isdigit() or not token.isascii():
        kind = "a number or a name" if spec.names else "a number"
        raise _FieldProblem(f"'{token}' is not {kind}")
    value = int(token)
    if not spec.low <= value <= spec.high:
        raise _FieldProblem(f"{value} is outside {spec.low}-{spec.high}")
    return value


# Extensions some crons understand but CXone's contract (5 fields: numbers, names, ranges, lists, steps) does not:
# a schedule using one would be saved here and refused by CXone at activation, so it is refused now.
_ALLOWED = "use numbers, names, ranges (1-5), lists (1,15) and steps (*/15)"
_EXTENSIONS = {
    "?": ("'?' (no specific value)", "write '*' instead"),
    "#": ("'#' (the nth weekday of the month)", _ALLOWED),
    "L": ("'L' (the last day)", _ALLOWED),
    "W": ("'W' (the nearest weekday)", _ALLOWED),
}


def _extension(spec: _FieldSpec, term: str) -> tuple[str, str] | None:
    """Which extension outside the contract `term` uses, if any (names such as JUL or WED are not)."""
    upper = term.upper()
    if "?" in term:
        return _EXTENSIONS["?"]
    if "#" in term:
        return _EXTENSIONS["#"]
    if spec.name == "day-of-month" and ("L" in upper or "W" in upper):
        return _EXTENSIONS["L" if "L" in upper else "W"]
    if spec.name == "day-of-week" and upper.endswith("L") and upper[:-1] not in spec.names:
        return _EXTENSIONS["L"]
    return None


def _term(spec: _FieldSpec, term: str) -> set[int]:
    """The values one comma-separated term selects."""
    if term == "*":
        return set(range(spec.low, spec.high + 1))
    extension = _extension(spec, term)
    if extension:
        what, instead = extension
        raise _FieldProblem(f"'{term}' uses {what}, a cron extension CXone does not accept; {instead}")
    if "/" in term:
        base, step_text = term.split("/", 1)
        if not (step_text.isascii() and step_text.isdigit()):
            raise _FieldProblem(f"step '{step_text}' is not a number")
        step = int(step_text)
        if step == 0:
            raise _FieldProblem("step 0 is not allowed")
        if step > spec.high - spec.low + 1:
            shown = step_text if len(step_text) <= 12 else f"{step_text[:12]}…"
            raise _FieldProblem(f"step {shown} is larger than the field ({spec.low}-{spec.high})")
        if base == "*":
            first, last = spec.low, spec.high
        elif "-" in base:
            first, last = _range(spec, base)
        else:
            first, last = _value(spec, base), spec.high
        return set(range(first, last + 1, step))
    if "-" in term:
        first, last = _range(spec, term)
        return set(range(first, last + 1))
    return {_value(spec, term)}


def _range(spec: _FieldSpec, text: str) -> tuple[int, int]:
    first_text, last_text = text.split("-", 1)
    first, last = _value(spec, first_text), _value(spec, last_text)
    if last < first:
        raise _FieldProblem(f"range {first_text}-{last_text} runs backwards")
    return first, last


def _field_values(spec: _FieldSpec, text: str) -> set[int]:
    values: set[int] = set()
    for term in text.split(","):
        values |= _term(spec, term)
    return values


def cron_errors(expression: object) -> list[str]:
    """Every problem of a cron expression, each naming its field ("hour: 25 is outside 0-23")."""
    if not isinstance(expression, str) or not expression.strip():
        return ["a cron expression is required (5 fields: minute hour day-of-month month day-of-week)"]
    return list(_cron_errors(expression))


@lru_cache(maxsize=1024)
def _cron_errors(expression: str) -> tuple[str, ...]:
    return tuple(_find_cron_errors(expression))


def _find_cron_errors(expression: str) -> list[str]:
    parts = expression.split()
    if len(parts) == 1 and parts[0].startswith("@"):
        return [f"macros such as {parts[0].lower()} are not supported; write the 5 fields out"]
    if len(parts) != 5:
        return [f"must have exactly 5 fields (minute hour day-of-month month day-of-week), got {len(parts)}"]
    errors: list[str] = []
    values: dict[str, set[int]] = {}
    for spec, text in zip(CRON_FIELDS, parts, strict=True):
        try:
            values[spec.name] = _field_values(spec, text)
        except _FieldProblem as problem:
            errors.append(f"{spec.name}: {problem}")
    if errors:
        return errors
    # As in Debian cron: day-of-month AND day-of-week when either starts with "*", otherwise OR.
    days_and = parts[2].startswith("*") or parts[4].startswith("*")
    days, months = values["day-of-month"], values["month"]
    if days_and and days and months and min(days) > max(_DAYS_IN_MONTH[m - 1] for m in months):
        month_names = ", ".join(CRON_FIELDS[3].names[m - 1] for m in sorted(months))
        return [f"day-of-month: {min(days)} never occurs in {month_names}"]
    try:
        CronSim(expression, datetime(2000, 1, 1))
    except CronSimError as exc:  # anything our field checks did not anticipate
        return [f"cron: {exc}"]
    return errors


@lru_cache(maxsize=512)
def parse_cron(expression: str) -> CronFields:
    """The parsed fields of a valid expression (raises ValueError naming the problem otherwise)."""
    errors = cron_errors(expression)
    if errors:
        raise ValueError("; ".join(errors))
    return CronFields(expression, CronSim(expression, datetime(2000, 1, 1)))


class CronFields:
    """Which wall-clock minutes an expression matches (used to explain DST gaps)."""

    def __init__(self, expression: str, sim: CronSim):
        self.expression = expression
        self._sim = sim

    def matches(self, wall: datetime) -> bool:
        sim = self._sim
        return (
            wall.minute in sim.minutes
            and wall.hour in sim.hours
            and wall.month in sim.months
            and sim.match_day(wall.date())
        )

    def first_match_between(self, start: datetime, end: datetime) -> datetime | None:
        """The first matching wall-clock minute in [start, end) (naive values), if any."""
        return next(self.matches_between(start, end), None)

    def matches_between(self, start: datetime, end: datetime) -> Iterator[datetime]:
        """Every matching wall-clock minute in [start, end) (naive values), ascending."""
        wall = start.replace(second=0, microsecond=0)
        if wall < start:
            wall += timedelta(minutes=1)
        while wall < end:
            if self.matches(wall):
                yield wall
            wall += timedelta(minutes=1)


def iter_fires(expression: str, after: datetime) -> Iterator[datetime]:
    """Fire times strictly after `after` (an aware datetime in the campaign's zone), in that zone."""
    # cronsim ends the iteration itself after 50 years without a fire.
    yield from CronSim(expression, after)


def clear_caches() -> None:
    """Forget what was parsed (benchmarks measure a cold engine)."""
    _cron_errors.cache_clear()
