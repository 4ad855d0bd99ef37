"""A cron schedule as a Personal Connection skill's calling window: one start and end time per weekday.

A real CXone tenant (the Admin API, shared/design/cxone-admin-api.md) dials through Personal Connection skills
whose schedule is, for each day of the week, whether it is active and one start and one end time of day. Such a
skill cannot hold two windows a day, dates, months, or a window that runs past midnight. `fit_weekly` maps a
cron expression and window length onto that shape when it fits exactly (the same windows, day after day, DST
included: both open at a local wall-clock time and close on the same local day), and otherwise says why not and
proposes the nearest weekly schedule that fits: the same weekdays (every weekday its dates can fall on), from
the first window's start to the last window's end, cut at the end of the day.

Pure: no ORM, no HTTP, no clock.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .cron import cron_errors
from .describe import DAY_NAMES, WEEK_ORDER, describe_days, weekday_text

__all__ = [
    "DAY_FIELDS",
    "LAST_MINUTE",
    "DayWindow",
    "WeeklyFit",
    "WeeklySchedule",
    "fit_weekly",
]

# A skill's end time is a time of day on the same day: the latest it can say is 23:59.
LAST_MINUTE = 23 * 60 + 59
# The Admin API's field prefixes, Sunday first as cron counts (0 = Sunday).
DAY_FIELDS = ("sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday")


@dataclass(frozen=True, order=True)
class DayWindow:
    """One day's calling window as minutes after local midnight: [start, end), start < end ≤ LAST_MINUTE."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.start < self.end <= LAST_MINUTE:
            raise ValueError(f"a day's window must satisfy 00:00 <= start < end <= 23:59, got {self}")

    def __str__(self) -> str:
        return f"{clock(self.start)}–{clock(self.end)}"


@dataclass(frozen=True)
class WeeklySchedule:
    """Seven days, Sunday first (cron's 0), each a DayWindow or None (the skill does not dial that day)."""

    days: tuple[DayWindow | None, ...]

    def __post_init__(self) -> None:
        if len(self.days) != 7:
            raise ValueError("a weekly schedule has exactly 7 days, Sunday first")

    @classmethod
    def uniform(cls, weekdays: set[int], window: DayWindow) -> WeeklySchedule:
        return cls(tuple(window if day in weekdays else None for day in range(7)))

    @property
    def active_days(self) -> set[int]:
        return {day for day, window in enumerate(self.days) if window is not None}

    def groups(self) -> list[tuple[DayWindow, set[int]]]:
        """The distinct windows with the weekdays that have each, Monday-first order of first appearance."""
        found: dict[DayWindow, set[int]] = {}
        for day in WEEK_ORDER:
            window = self.days[day]
            if window is not None:
                found.setdefault(window, set()).add(day)
        return list(found.items())

    def as_cron(self) -> list[tuple[str, int]]:
        """The schedule as cron expressions with window lengths (one per distinct window): expanding them gives
        exactly the skill's windows. Empty when no day is active."""
        return [
            (f"{w.start % 60} {w.start // 60} * * {_cron_days(days)}", w.end - w.start)
            for w, days in self.groups()
        ]

    @property
    def has_days_off(self) -> bool:
        return len(self.active_days) < 7

    def every_day(self) -> WeeklySchedule:
        """The nearest week with no day off: every day, from the earliest start to the latest end of its days
        (a tenant that refuses a week with an inactive day holds this one)."""
        windows = [w for w in self.days if w is not None]
        if not windows:
            raise ValueError("a week with no calling day has no nearest week of calling days")
        window = DayWindow(min(w.start for w in windows), max(w.end for w in windows))
        return WeeklySchedule.uniform(set(range(7)), window)

    def describe(self) -> str:
        """ "Weekdays 09:00–17:00"; "Mon–Thu 09:00–17:00, Fri 09:00–13:00"; "No calling days"."""
        parts = [f"{weekday_text(days)} {window}" for window, days in self.groups()]
        return ", ".join(parts) or "No calling days"

    # --- The Admin API's schedule-settings ------------------------------------------------------------------

    def to_settings(self, time_format: str = "%H:%M") -> dict:
        """{isScheduled, sundayStartTime, sundayEndTime, sundayIsActive, …}. An inactive day keeps 00:00–00:00
        (some value must be sent; the flag, not the times, switches it off)."""
        settings: dict = {"isScheduled": True}
        for day, name in enumerate(DAY_FIELDS):
            window = self.days[day]
            start, end = (window.start, window.end) if window else (0, 0)
            settings[f"{name}StartTime"] = format_time(start, time_format)
            settings[f"{name}EndTime"] = format_time(end, time_format)
            settings[f"{name}IsActive"] = window is not None
        return settings

    @classmethod
    def from_settings(cls, settings: dict) -> WeeklySchedule | None:
        """The weekly schedule a skill's schedule-settings hold, or None when it is not scheduled (dials
        whenever it runs). ValueError naming the field when a time cannot be read."""
        if not settings.get("isScheduled", True):
            return None
        days: list[DayWindow | None] = []
        for name in DAY_FIELDS:
            if not settings.get(f"{name}IsActive"):
                days.append(None)
                continue
            start = parse_time(settings.get(f"{name}StartTime"), f"{name}StartTime")
            end = parse_time(settings.get(f"{name}EndTime"), f"{name}EndTime")
            try:
                days.append(DayWindow(start, min(end, LAST_MINUTE)))
            except ValueError as exc:
                raise ValueError(f"{name}: {exc}") from exc
        return cls(tuple(days))


@dataclass(frozen=True)
class WeeklyFit:
    """What a cron schedule is as a skill's week: `schedule` when it fits exactly; otherwise `reasons` (why not,
    in a planner's words) and `nearest`, the closest weekly schedule that fits (None for an invalid cron)."""

    schedule: WeeklySchedule | None
    reasons: list[str] = field(default_factory=list)
    nearest: WeeklySchedule | None = None

    @property
    def fits(self) -> bool:
        return self.schedule is not None

    def message(self) -> str:
        """The blocking finding's text: why, and what would fit."""
        text = "A Personal Connection skill cannot hold this schedule: " + "; ".join(self.reasons)
        if self.nearest is not None:
            text += f". The nearest schedule that fits: {self.nearest.describe()}"
            crons = self.nearest.as_cron()
            if len(crons) == 1:
                cron, minutes = crons[0]
                text += f" (cron “{cron}”, {minutes} minutes)"
        return text


def fit_weekly(cron: str, duration_minutes: int, *, all_days: bool = False) -> WeeklyFit:
    """Map a cron schedule onto one window per weekday, or say why it cannot be and what would fit. `all_days`:
    the tenant holds only weeks where every day is a calling day (a live tenant refused any other), so a week
    with days off does not fit either, and what would fit has none."""
    fit = _fit_weekly(cron, duration_minutes)
    if not all_days:
        return fit
    if fit.schedule is not None and fit.schedule.has_days_off:
        reason = (
            f"it has days off ({fit.schedule.describe()}); this CXone tenant refuses a week with a day that does "
            "not dial, so every day must be a calling day"
        )
        return WeeklyFit(None, [reason], fit.schedule.every_day())
    if fit.nearest is not None and fit.nearest.has_days_off:
        return WeeklyFit(None, fit.reasons, fit.nearest.every_day())
    return fit


def _fit_weekly(cron: str, duration_minutes: int) -> WeeklyFit:
    errors = cron_errors(cron)
    if errors:
        return WeeklyFit(None, [f"the cron expression is not valid ({'; '.join(errors)})"])
    if isinstance(duration_minutes, bool) or not isinstance(duration_minutes, int) or duration_minutes < 1:
        return WeeklyFit(None, ["the window length must be a whole number of minutes"])
    minute, hour, dom, month, dow = cron.split()
    minutes, hours = _values(minute, 0, 59), _values(hour, 0, 23)
    days_of_month, months = _values(dom, 1, 31), _values(month, 1, 12, _MONTHS, base=1)
    weekdays = {0 if d == 7 else d for d in _values(dow, 0, 7, DAY_NAMES)}
    starts = sorted(h * 60 + m for h in hours for m in minutes)

    reasons: list[str] = []
    if len(starts) > 1:
        how = " (a step repeats it within the day)" if "/" in minute + hour else ""
        shown = ", ".join(clock(s) for s in starts[:4]) + (", …" if len(starts) > 4 else "")
        reasons.append(
            f"it opens {len(starts)} windows a day ({shown}){how}; a skill has one window per weekday"
        )
    all_dates = days_of_month == set(range(1, 32))
    if not all_dates:
        reasons.append(f"it runs on dates of the month ({dom}); a skill knows only days of the week")
    if months != set(range(1, 13)):
        said = describe_days("*", month, "*") or month
        reasons.append(
            f"it runs only in some months ({said.removeprefix('Every day in ')}); a skill's week is "
            "the same all year"
        )
    end = starts[-1] + duration_minutes
    if end > LAST_MINUTE:
        next_day = " next day" if end >= 1440 else ""
        reasons.append(
            f"its window runs past midnight ({clock(starts[-1])} + {_length(duration_minutes)} ends "
            f"{clock(end)}{next_day}); a skill's window starts and ends on the same day, by 23:59"
        )

    # The weekdays it dials on. Cron ANDs the day fields when either starts with "*", else ORs them.
    if all_dates:
        days = weekdays if (dom.startswith("*") or dow.startswith("*")) else set(range(7))
    else:
        days = set(range(7)) if dow.startswith("*") else weekdays  # every weekday its dates can fall on
    if not reasons:
        return WeeklyFit(WeeklySchedule.uniform(days, DayWindow(starts[0], end)))
    first = min(starts[0], LAST_MINUTE - 1)
    nearest = WeeklySchedule.uniform(days, DayWindow(first, max(first + 1, min(end, LAST_MINUTE))))
    return WeeklyFit(None, reasons, nearest)


# --- Small helpers -------------------------------------------------------------------------------------------

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _values(text: str, low: int, high: int, names: tuple[str, ...] = (), base: int = 0) -> set[int]:
    """The numbers a valid cron field selects (cron_errors has already refused anything else)."""
    upper_names = [n.upper() for n in names]

    def number(token: str) -> int:
        return upper_names.index(token.upper()) + base if token.upper() in upper_names else int(token)

    result: set[int] = set()
    for term in text.split(","):
        step = 1
        if "/" in term:
            term, step_text = term.split("/", 1)
            step = int(step_text)
        if term == "*":
            first, last = low, high
        elif "-" in term:
            first_text, last_text = term.split("-", 1)
            first, last = number(first_text), number(last_text)
        else:
            first = number(term)
            last = high if step > 1 else first
        result.update(range(first, last + 1, step))
    return result


def _cron_days(days: set[int]) -> str:
    """{1, 2, 3, 4, 5} → "1-5"; all seven → "*"; {0, 3, 5, 6} → "0,3,5-6"."""
    if len(days) == 7:
        return "*"
    ordered, runs = sorted(days), []
    for day in ordered:
        if runs and day == runs[-1][1] + 1:
            runs[-1][1] = day
        else:
            runs.append([day, day])
    return ",".join(f"{a}-{b}" if b > a else str(a) for a, b in runs)


def clock(minute_of_day: int) -> str:
    return f"{minute_of_day // 60 % 24:02d}:{minute_of_day % 60:02d}"


def _length(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    return f"{hours} h {rest} min" if hours and rest else (f"{hours} h" if hours else f"{rest} min")


def format_time(minute_of_day: int, time_format: str) -> str:
    """A time of day as the Admin API is sent it: "%H:%M" ("09:00"), "%H:%M:%S" ("09:00:00"), or any strftime
    pattern of hours and minutes (CXONE_ADMIN_TIME_FORMAT)."""
    import datetime as dt

    return dt.time(minute_of_day // 60, minute_of_day % 60).strftime(time_format)


def parse_time(value: object, name: str) -> int:
    """Minutes after midnight from "09:00", "09:00:00", "9:00 AM" or an ISO date-time ("…T09:00:00"): the
    public sources disagree on the format, so every one seen is read."""
    import datetime as dt

    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{name}: expected a time of day, got {value!r}")
    text = value.strip()
    if "T" in text:
        text = text.split("T", 1)[1][:8]
    for pattern in ("%H:%M", "%H:%M:%S", "%I:%M %p", "%I:%M:%S %p"):
        try:
            parsed = dt.datetime.strptime(text, pattern)
        except ValueError:
            continue
        return parsed.hour * 60 + parsed.minute
    raise ValueError(f"{name}: {value!r} is not a time of day")
