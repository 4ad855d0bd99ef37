"""A campaign's schedule as the planner writes it, and its validation into per-field errors."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, date, datetime

from .cron import cron_errors, iter_fires
from .fires import wall_clock_fires
from .zones import canonical_zone, get_zone, is_second_occurrence, zone_error

__all__ = [
    "MAX_DURATION_MINUTES",
    "FieldError",
    "InvalidSchedule",
    "ScheduleSpec",
    "validate_retry_policy",
    "validate_spec",
]

MAX_DURATION_MINUTES = 1440
# The dates a schedule may use: wide enough for any campaign, narrow enough that no date arithmetic (a local
# midnight in any zone, a year of windows after the end) can leave Python's datetime range.
FIRST_DATE, LAST_DATE = date(2000, 1, 1), date(2100, 12, 31)
DATE_RANGE = f"between {FIRST_DATE} and {LAST_DATE}"
MIN_RETRY_INTERVAL_MS = 60_000
MAX_RETRY_ATTEMPTS = 10
_GAP_ONLY_SEARCH = (400 * 86400, 50 * 366 * 86400)  # seconds: cronsim gives up after 50 years


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str

    def to_dict(self) -> dict[str, str]:
        return {"field": self.field, "message": self.message}


@dataclass(frozen=True)
class ScheduleSpec:
    """Windows open at each cron fire in `timezone` and last `duration_minutes` of local wall clock."""

    cron_expression: str
    timezone: str
    duration_minutes: int
    effective_start: datetime | None = None  # aware; windows must start at or after it
    effective_end: datetime | None = None  # aware; windows must start before it


class InvalidSchedule(ValueError):
    """Raised by the engine when asked to expand a schedule that does not validate."""

    def __init__(self, errors: list[FieldError], campaign: str | None = None):
        detail = "; ".join(f"{e.field}: {e.message}" for e in errors)
        super().__init__(f"campaign {campaign}: {detail}" if campaign else detail)
        self.errors = errors
        self.campaign = campaign


def _is_aware(value: datetime) -> bool:
    return value.tzinfo is not None and value.utcoffset() is not None


def _duration_error(value: object) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int):
        return "must be a whole number of minutes"
    if not 1 <= value <= MAX_DURATION_MINUTES:
        return f"{value} is outside 1-{MAX_DURATION_MINUTES} minutes"
    return None


def parse_whole_number(text: object) -> int | None:
    """The whole number a command-line argument spells in ASCII digits ("480", " 480 "), else None: not
    "٤٨٠" or "1_000" or "+480", which Python's int() would quietly accept."""
    if not isinstance(text, str):
        return None
    text = text.strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 18:
        return None
    return int(text)


def parse_duration(value: object) -> tuple[int | None, str | None]:
    """(minutes, None) from the command line's text ("480") or a whole number (480), else (None, why); the
    same rule as a schedule's duration_minutes."""
    if value is None or value == "":
        return None, "is required (minutes)"
    if isinstance(value, str):
        return parse_duration_text(value)
    message = _duration_error(value)
    return (None, message) if message else (value, None)


def json_duration(value: object) -> tuple[int | None, str | None]:
    """(minutes, None) from a JSON number, else (None, why): the text "480" is refused, the contract says a
    number."""
    if value is None:
        return None, "is required (minutes)"
    if isinstance(value, str):
        shown = value if len(value) <= 20 else f"{value[:20]}…"
        return None, f"must be a number of minutes, not text ({shown!r})"
    message = _duration_error(value)
    return (None, message) if message else (value, None)


def parse_duration_text(text: str) -> tuple[int | None, str | None]:
    """(minutes, None) from command-line text in ASCII digits, else (None, why)."""
    value = parse_whole_number(text)
    if value is None:
        shown = text if len(text) <= 20 else f"{text[:20]}…"
        return None, f"{shown!r} is not a whole number of minutes"
    message = _duration_error(value)
    return (None, message) if message else (value, None)


def date_error(day: date) -> str | None:
    """Why a schedule cannot use this date, or None."""
    if not FIRST_DATE <= day <= LAST_DATE:
        return f"{day.isoformat()} is outside the dates a schedule may use ({DATE_RANGE})"
    return None


def _utc_date(value: datetime) -> date:
    try:
        return value.astimezone(UTC).date()
    except OverflowError:  # 0001-01-01 or 9999-12-31 with an offset that pushes it out of range
        return value.date()


def period_errors(spec: ScheduleSpec) -> list[FieldError]:
    errors: list[FieldError] = []
    for name in ("effective_start", "effective_end"):
        value = getattr(spec, name)
        if value is None:
            continue
        if not isinstance(value, datetime):
            errors.append(FieldError(name, "must be a date and time"))
        elif not _is_aware(value):
            errors.append(FieldError(name, "must carry a UTC offset or time zone"))
        elif message := date_error(_utc_date(value)):
            errors.append(FieldError(name, message))
    if errors:
        return errors
    if spec.effective_start and spec.effective_end and spec.effective_start >= spec.effective_end:
        errors.append(FieldError("effective_end", "must be after the effective start"))
    return errors


def structural_errors(spec: ScheduleSpec) -> list[FieldError]:
    """Errors that make a schedule impossible to expand (fields only, no search for fire times)."""
    errors = [FieldError("cron_expression", message) for message in cron_errors(spec.cron_expression)]
    zone_message = zone_error(spec.timezone)
    if zone_message:
        errors.append(FieldError("timezone", zone_message))
    duration_message = _duration_error(spec.duration_minutes)
    if duration_message:
        errors.append(FieldError("duration_minutes", duration_message))
    errors.extend(period_errors(spec))
    return errors


def _fmt(value: datetime, zone_name: str) -> str:
    return value.astimezone(get_zone(zone_name)).strftime("%Y-%m-%d %H:%M %Z")


def first_fire_at_or_after(cron: str, zone_name: str, instant: datetime) -> datetime | None:
    """The first fire at or after `instant`, as the window expansion has it (wall times in a spring-forward
    gap fire at the first instant after it, repeated ones once, at their first occurrence)."""
    zone_name = canonical_zone(zone_name)
    zone = get_zone(zone_name)
    start_ts = math.ceil(instant.timestamp())
    # cronsim jumps straight to the next matching wall time however far away it is, but with a wildcard or
    # step minute or hour it walks real time and misses wall times near a clock change (those of a gap): the
    # expansion up to its first fire (a first occurrence) holds the answer. When cronsim finds none in 50
    # years, only such missed times can fire: search a year's expansion, then 50 years'.
    spans = _GAP_ONLY_SEARCH
    for fire in iter_fires(cron, datetime.fromtimestamp(start_ts - 1, zone)):
        if fire >= instant and not is_second_occurrence(fire, zone):
            spans = (int(fire.timestamp()) + 1 - start_ts,)
            break
    for span in spans:
        fires = wall_clock_fires(cron, zone_name, start_ts, start_ts + span)
        if fires:
            return datetime.fromtimestamp(fires[0], zone)
    return None


def validate_spec(
    spec: ScheduleSpec, horizon_start: datetime | None = None, horizon_end: datetime | None = None
) -> list[FieldError]:
    """Every problem of a schedule, per field; an empty list means the schedule is valid.

    The period searched for at least one fire is the effective period; an open end is bounded by the
    horizon (when the horizon reaches past the start), and an open start by the horizon start or now.
    """
    errors = structural_errors(spec)
    if errors:
        return errors
    start = spec.effective_start or horizon_start or datetime.now(UTC)
    end = spec.effective_end
    if end is None and horizon_end is not None and horizon_end > start:
        end = horizon_end
    first = first_fire_at_or_after(spec.cron_expression, spec.timezone, start)
    if first is None or (end is not None and first >= end):
        zone = spec.timezone
        where = f"between {_fmt(start, zone)} and {_fmt(end, zone)}" if end else f"after {_fmt(start, zone)}"
        message = f"never fires {where} in {zone}"
        if first is not None:
            message += f"; its next fire is {_fmt(first, zone)}"
        errors.append(FieldError("cron_expression", message))
    return errors


def validate_retry_policy(max_attempts: object, retry_interval_ms: object) -> list[FieldError]:
    """The CXone limits of a retry policy: 1-10 attempts, at least 60 000 ms between them."""
    errors: list[FieldError] = []
    if isinstance(max_attempts, bool) or not isinstance(max_attempts, int):
        errors.append(FieldError("retry_max_attempts", "must be a whole number"))
    elif not 1 <= max_attempts <= MAX_RETRY_ATTEMPTS:
        errors.append(FieldError("retry_max_attempts", f"{max_attempts} is outside 1-{MAX_RETRY_ATTEMPTS}"))
    if isinstance(retry_interval_ms, bool) or not isinstance(retry_interval_ms, int):
        errors.append(FieldError("retry_interval_ms", "must be a whole number of milliseconds"))
    elif retry_interval_ms < MIN_RETRY_INTERVAL_MS:
        errors.append(
            FieldError(
                "retry_interval_ms", f"{retry_interval_ms} is below the minimum of {MIN_RETRY_INTERVAL_MS}"
            )
        )
    return errors
