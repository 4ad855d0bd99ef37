"""Partial weeks held by the product: a tenant that refuses a week with days off is written the active days' hours
on every day, and the workers keep the campaign stopped from the end of the last window before an off day until
just before the next on day's window opens. This module says when, from the two schedules' windows.

Pure: no ORM, no HTTP, no clock. Instants are UTC.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from .spec import ScheduleSpec
from .weekly import fit_weekly
from .windows import expand_windows

__all__ = ["OffInterval", "blackout_interval", "every_day_cron", "has_days_off", "off_intervals"]

_WEEK = timedelta(days=7)
SPREAD_SHARE = 0.75  # of the quiet hours, over which a portfolio's starts are spread (OffInterval.start_due)


@dataclass(frozen=True)
class OffInterval:
    """Hold the campaign stopped over [stop_at, start_at): `first_off_window` is when the written every-day week
    would first dial on an off day inside it (the stop must be confirmed well before that); from `quiet_from`, the
    close of the last such window, the written hours keep it quiet until start_at (a start may go from then)."""

    stop_at: datetime
    start_at: datetime
    first_off_window: datetime
    off_windows: int
    quiet_from: datetime | None = None

    def start_due(self, lead: timedelta, spread: float = 0.0) -> datetime:
        """When to start the campaign again: once the last off-day window has closed, and `lead` before the next
        on day's window opens at the latest. Nothing dials in between (the written hours are closed), and a start
        sent hours early lands on time even when a whole portfolio's Monday starts share CXone's rate limit;
        sent minutes before the window, it would queue behind them and cut the window short.

        `spread` (0 ≤ spread < 1, a campaign's own) places the start that far into the first three quarters of
        the quiet hours, so that campaigns whose off days close together do not all ask CXone at that same moment
        (nor beside the stops of the campaigns whose calling day closes then); the last quarter (hours, in a real
        week) is left for retries."""
        latest = self.start_at - lead
        earliest = self.quiet_from if self.quiet_from is not None else latest
        if earliest < latest:
            earliest += (latest - earliest) * (min(max(spread, 0.0), 1.0) * SPREAD_SHARE)
        return max(self.stop_at, min(earliest, latest))


def has_days_off(cron: str, duration_minutes: int) -> bool:
    fit = fit_weekly(cron, duration_minutes)
    return fit.schedule is not None and fit.schedule.has_days_off


def every_day_cron(cron: str) -> str:
    """The same hours on every day: the day-of-week field opened up (a weekly fit names its days only there)."""
    minute, hour, dom, month, _dow = cron.split()
    return f"{minute} {hour} {dom} {month} *"


def off_intervals(spec: ScheduleSpec, start: datetime, end: datetime) -> list[OffInterval]:
    """The intervals to hold stopped that touch [start, end): one per run of off days, from the close of the on
    day's window before to the opening of the on day's window after (or the range's edges, widened by a week
    so that an interval crossing an edge is whole)."""
    from_ = start - _WEEK
    to = end + _WEEK
    wanted = expand_windows(spec, from_, to)
    written = expand_windows(
        ScheduleSpec(every_day_cron(spec.cron_expression), spec.timezone, spec.duration_minutes), from_, to
    )
    on_starts = {w.start for w in wanted}
    found: dict[tuple[datetime, datetime], list] = {}
    ends = [w.end for w in wanted]
    starts = [w.start for w in wanted]
    for window in written:
        if window.start in on_starts:
            continue
        before = max((e for e in ends if e <= window.start), default=from_)
        after = min((s for s in starts if s >= window.end), default=to)
        found.setdefault((before, after), []).append(window)
    intervals = [
        OffInterval(stop, go, min(w.start for w in offs), len(offs), quiet_from=max(w.end for w in offs))
        for (stop, go), offs in sorted(found.items())
    ]
    return [i for i in intervals if i.start_at > start and i.stop_at < end]


def blackout_interval(day_start: datetime, day_end: datetime, windows: Sequence[tuple[int, int]]) -> OffInterval:
    """The hold of one blackout day [day_start, day_end) (local midnight to the next, UTC) for a schedule whose
    windows (UTC epoch seconds, sorted) CXone runs: stopped from midnight, and quiet until the later of the next
    midnight and the close of the last window that opened on the day (a night window it removed still runs past
    midnight in CXone); the start may go from then until just before the next window opens."""
    low, high = day_start.timestamp(), day_end.timestamp()
    removed = [(start, end) for start, end in windows if low <= start < high]
    closes = max([high, *(end for _, end in removed)])
    opens = next((start for start, _ in windows if start >= closes), None)
    quiet_from = datetime.fromtimestamp(closes, UTC)
    return OffInterval(
        stop_at=day_start,
        start_at=datetime.fromtimestamp(opens, UTC) if opens is not None else quiet_from,
        first_off_window=day_start,
        off_windows=len(removed),
        quiet_from=quiet_from,
    )
