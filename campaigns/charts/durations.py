"""Durations as a manager reads them: in the unit that fits (seconds for latencies of seconds, minutes beyond),
histogram bins that spread the values over the chart, and day ticks that never repeat a day.

Pure helpers for charts/latency.py and charts/dashboards.py: numbers in, numbers and words out.
"""

from __future__ import annotations

import math
from bisect import bisect_right, insort
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

SECONDS_UP_TO = 5 * 60  # values up to 5 minutes read best in seconds; longer ones in minutes
DAY_MS = 86_400_000
MAX_DAY_TICKS = 14
# Bin widths a reader can add up in their head.
BIN_WIDTHS = (1, 2, 5, 10, 15, 20, 30, 60, 150, 300, 600, 900, 1800, 3600)
MAX_BINS = 12


@dataclass(frozen=True)
class Unit:
    name: str  # "seconds" or "minutes"
    short: str  # "s" or "min"
    seconds: int  # seconds per unit

    def of(self, seconds: float) -> float:
        return round(seconds / self.seconds, 1 if self.seconds == 1 else 2)

    def text(self, seconds: float) -> str:
        """ "42 s", "3.5 min"."""
        if self.seconds == 1:
            return f"{seconds:.0f} s"
        return f"{seconds / self.seconds:.1f} min"


SECONDS = Unit("seconds", "s", 1)
MINUTES = Unit("minutes", "min", 60)


def unit_for(largest_seconds: float) -> Unit:
    """Seconds while the largest value stays under a few minutes, minutes beyond."""
    return SECONDS if largest_seconds <= SECONDS_UP_TO else MINUTES


@dataclass(frozen=True)
class Bins:
    """Bin i holds [starts[i], starts[i + 1]); the last bin ends at `end`, or holds everything from its start on
    when `end` is None (outliers)."""

    starts: tuple[int, ...]
    end: int | None
    scale_end: int = 0  # where the evenly spaced bins end (the unit is chosen for them, not for outliers)

    def index(self, seconds: float) -> int:
        return max(0, bisect_right(self.starts, seconds) - 1)

    def bounds(self, index: int) -> tuple[int, int | None]:
        following = self.starts[index + 1] if index + 1 < len(self.starts) else self.end
        return self.starts[index], following

    @property
    def count(self) -> int:
        return len(self.starts)



def bins_for(values: Sequence[float], keep_apart: int | None = None) -> Bins:
    """Bins that spread `values` (not empty) over at most MAX_BINS bars: the narrowest width from BIN_WIDTHS that
    covers them, starting at the bin of the smallest value. A few far outliers (past three times the 90th
    percentile, among 10 values or more) go into one last "or more" bin instead of stretching every bar; should
    `keep_apart` (a limit such as the SLO's) fall inside a bin, that bin is split there, so that no bin holds
    values from both sides of the limit."""
    ordered = sorted(values)
    top = ordered[-1]
    if len(ordered) >= 10:
        p90 = ordered[math.ceil(0.9 * len(ordered)) - 1]
        if top > 3 * p90 > 0:
            top = p90
    low = ordered[0]
    for width in BIN_WIDTHS:
        first = int(low // width) * width
        last = (int(top // width) + 1) * width
        if (last - first) // width <= MAX_BINS:
            break
    starts = list(range(first, last, width))
    end: int | None = last
    if ordered[-1] >= last:
        starts.append(last)
        end = None
    if keep_apart is not None and first < keep_apart < (end or ordered[-1] + 1) and keep_apart not in starts:
        insort(starts, keep_apart)
    return Bins(tuple(starts), end, last)


def bin_labels(bins: Bins, unit: Unit) -> list[str]:
    """ "40–45 s", "2.5–5 min", "4:00–4:20 min" (minutes and seconds where a decimal would not read well), and
    "≥ 20 min" for an open last bin."""
    bounds = [b for i in range(bins.count) for b in bins.bounds(i) if b is not None]
    clock = unit.seconds == 60 and any(b % 30 for b in bounds)

    def amount(seconds: int, in_unit: Unit) -> str:
        if clock and in_unit is unit:
            return f"{seconds // 60}:{seconds % 60:02d}"
        return f"{seconds / in_unit.seconds:g}"

    labels = []
    for index in range(bins.count):
        start, end = bins.bounds(index)
        if end is None:
            own = MINUTES if start >= 120 else SECONDS
            labels.append(f"≥ {amount(start, own)} {own.short}")
        else:
            labels.append(f"{amount(start, unit)}–{amount(end, unit)} {unit.short}")
    return labels


def day_axis(days: Sequence[date]) -> dict:
    """A date axis with one tick per day at most (every day while there are few, else every k-th day), its range
    half a day wider on each side so that a single day sits in the middle instead of filling the axis with
    hourly ticks that repeat its name."""
    first, last = min(days), max(days)
    span = (last - first).days + 1
    step = max(1, math.ceil(span / MAX_DAY_TICKS))
    return {
        "type": "date",
        "tickformat": "%a %d %b",
        "hoverformat": "%a %d %b %Y",
        "tick0": first.isoformat(),
        "dtick": step * DAY_MS,
        "range": [_noon_before(first), _noon_of(last)],
    }


# Plotly reads "YYYY-MM-DD HH:MM" on a date axis as that wall-clock time (the days here are UTC days).
def _noon_before(day: date) -> str:
    return f"{date.fromordinal(day.toordinal() - 1).isoformat()} 12:00"


def _noon_of(day: date) -> str:
    return f"{day.isoformat()} 12:00"
