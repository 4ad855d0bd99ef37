"""A schedule in a planner's words: "Weekdays 11:00–14:00 CST", "Mon, Wed 09:00–17:00 EST".

Planners read days and opening hours, not five cron fields. `describe_schedule` says what a cron expression and a
window length mean, with the zone named; an expression it cannot say plainly (steps over days, "last Friday",
dozens of start times) gets None, and the page shows the cron alone rather than a sentence that is half right.
Pure: no ORM, no clock (the caller says at which instant the zone's abbreviation is read).
"""

from __future__ import annotations

from datetime import UTC, datetime

from .cron import cron_errors
from .zones import UnknownZone, get_zone

__all__ = ["describe_days", "describe_schedule", "describe_starts", "describe_times", "weekday_text", "zone_label"]

DAY_NAMES = ("Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat")
MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# Mondays first, as planners' weeks are laid out (cron counts from Sunday = 0, and 7 is Sunday again).
WEEK_ORDER = (1, 2, 3, 4, 5, 6, 0)
MAX_STARTS = 4  # more start times a day than this are said as "every N h from … to …", or not at all


def describe_schedule(cron: str, duration_minutes: int | None, zone_name: str, at: datetime) -> str | None:
    """ "Weekdays 11:00–14:00 CST" for ("0 11 * * 1-5", 180, "America/Chicago", a December instant), or None
    when the expression is invalid or not plain enough to say in a few words."""
    if not cron or not duration_minutes or cron_errors(cron):
        return None
    minute, hour, dom, month, dow = cron.split()
    days = describe_days(dom, month, dow)
    times = describe_times(minute, hour, int(duration_minutes))
    if days is None or times is None:
        return None
    return f"{days} {times} {zone_label(zone_name, at)}"


def describe_starts(cron: str, zone_name: str, at: datetime) -> str | None:
    """When windows open, where their length is not known: "Weekdays at 10:00 CST" (an audit row that changed
    only the cron)."""
    if not cron or cron_errors(cron):
        return None
    minute, hour, dom, month, dow = cron.split()
    days = describe_days(dom, month, dow)
    minutes, hours = _values(minute, 0, 59), _values(hour, 0, 23)
    if days is None or not minutes or not hours:
        return None
    starts = sorted(h * 60 + m for h in hours for m in minutes)
    if len(starts) > MAX_STARTS:
        return None
    return f"{days} at {' and '.join(_clock(s) for s in starts)} {zone_label(zone_name, at)}"


def zone_label(zone_name: str, at: datetime) -> str:
    """The zone's abbreviation at `at` ("CST", "CEST"), or its IANA name where the database has no letters for
    it ("+03" says nothing a planner can check)."""
    try:
        zone = get_zone(zone_name)
    except UnknownZone:
        return zone_name or "UTC"
    abbreviation = at.astimezone(UTC).astimezone(zone).tzname() or ""
    return abbreviation if abbreviation.isalpha() else zone_name


def describe_days(dom: str, month: str, dow: str) -> str | None:
    """The days a schedule opens on, from its day-of-month, month and day-of-week fields."""
    weekdays = _values(dow, 0, 7, DAY_NAMES)
    days_of_month = _values(dom, 1, 31)
    months = _values(month, 1, 12, MONTH_NAMES, base=1)
    if weekdays is None or days_of_month is None or months is None:
        return None
    weekdays = {0 if d == 7 else d for d in weekdays}
    every_weekday, every_dom = dow == "*", dom == "*"
    if every_dom and every_weekday:
        text = "Every day"
    elif every_dom:
        text = weekday_text(weekdays)
    elif every_weekday:
        text = _dom_text(days_of_month)
    else:  # cron opens when either field matches (Vixie cron's rule, as cronsim has it)
        text = f"{_dom_text(days_of_month)} and {weekday_text(weekdays)}"
    if month != "*":
        text += " in " + _joined([MONTH_NAMES[m - 1] for m in sorted(months)], MONTH_NAMES, base=1)
    return text


def describe_times(minute: str, hour: str, duration_minutes: int) -> str | None:
    """ "09:00–17:00"; "09:00–10:00 and 14:00–15:00"; "every 2 h from 08:00 to 16:00, 30 min each"."""
    minutes = _values(minute, 0, 59)
    hours = _values(hour, 0, 23)
    if not minutes or not hours:
        return None
    starts = sorted(h * 60 + m for h in hours for m in minutes)
    if duration_minutes >= 1440:
        return f"from {_clock(starts[0])} for 24 h" if len(starts) == 1 else None
    if len(starts) <= MAX_STARTS:
        return " and ".join(_window(s, duration_minutes) for s in starts)
    steps = {b - a for a, b in zip(starts, starts[1:], strict=False)}
    if len(steps) != 1:
        return None
    (step,) = steps
    every = f"{step // 60} h" if step % 60 == 0 else f"{step} min"
    return f"every {every} from {_clock(starts[0])} to {_clock(starts[-1])}, {_length(duration_minutes)} each"


# ---- helpers ------------------------------------------------------------------------------------------------


def _values(field: str, low: int, high: int, names: tuple[str, ...] = (), base: int = 0) -> set[int] | None:
    """The numbers a plain field selects ("*", "1-5", "1,3", "MON-FRI", "*/15", "9-17/2"); None for what has
    no plain reading here (L, W, #)."""
    result: set[int] = set()
    for term in field.split(","):
        step = 1
        if "/" in term:
            term, step_text = term.split("/", 1)
            if not step_text.isdigit() or int(step_text) == 0:
                return None
            step = int(step_text)
        if term == "*":
            first, last = low, high
        elif "-" in term:
            a, b = term.split("-", 1)
            first, last = _number(a, names, base), _number(b, names, base)
        else:
            first = _number(term, names, base)
            last = high if step > 1 else first
        if first is None or last is None or first > last:
            return None
        result.update(range(first, last + 1, step))
    return result


def _number(token: str, names: tuple[str, ...], base: int) -> int | None:
    if token.isdigit():
        return int(token)
    upper = token.upper()
    if upper in (n.upper() for n in names):
        return [n.upper() for n in names].index(upper) + base
    return None


def weekday_text(days: set[int]) -> str:
    """{1, 2, 3, 4, 5} → "Weekdays"; {1, 3} → "Mon, Wed"; {2, 3, 4} → "Tue–Thu" (0 is Sunday)."""
    if days == {1, 2, 3, 4, 5}:
        return "Weekdays"
    if days == {0, 6}:
        return "Weekends"
    if len(days) == 7:
        return "Every day"
    ordered = [d for d in WEEK_ORDER if d in days]
    return _joined([DAY_NAMES[d] for d in ordered], tuple(DAY_NAMES[d] for d in WEEK_ORDER))


def _joined(labels: list[str], order: tuple[str, ...], base: int = 0) -> str:
    """Runs of three or more neighbours as ranges ("Mon–Thu"), the rest listed ("Mon, Wed")."""
    positions = [order.index(label) for label in labels]
    parts, run = [], [positions[0]]
    for position in positions[1:]:
        if position == run[-1] + 1:
            run.append(position)
        else:
            parts.append(run)
            run = [position]
    parts.append(run)
    words = []
    for run in parts:
        if len(run) >= 3:
            words.append(f"{order[run[0]]}–{order[run[-1]]}")
        else:
            words.extend(order[p] for p in run)
    return ", ".join(words)


def _dom_text(days: set[int]) -> str:
    ordered = sorted(days)
    return ("Day " if len(ordered) == 1 else "Days ") + ", ".join(str(d) for d in ordered) + " of the month"


def _clock(minute_of_day: int) -> str:
    return f"{minute_of_day // 60 % 24:02d}:{minute_of_day % 60:02d}"


def _window(start: int, duration: int) -> str:
    end = start + duration
    next_day = " (next day)" if end > 1440 else ""
    return f"{_clock(start)}–{_clock(end)}{next_day}"


def _length(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return f"{hours} h {rest} min"
    return f"{hours} h" if hours else f"{rest} min"
