"""Which of a schedule's windows will dial, once what holds the campaign stopped is taken into account: its
blackout days and its approved timed pauses (what a WFM system is told to plan with).

The rules are the product's own, so that WFM hears what the charts and the workers do:
- a blackout day removes the windows that open on it (its span is the campaign's local midnight to the next
  one, as scheduling/blackouts.py's `day_spans` gives it): a window opening the evening before is kept;
- a pause removes the windows that lie wholly inside it (or inside pauses that follow on from one another);
  a window it only cuts into still dials outside the pause, so it is kept and marked as partly paused;
- for the load a campaign puts on its pool and its contact list (capacity, conflicts), `without_pauses` keeps
  only the parts of each window outside the pauses: nobody is needed, and nobody is called, while it is paused.

Pure: no ORM, no HTTP, no clock. Instants are UTC.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from .windows import Window

__all__ = ["BLACKOUT", "PAUSED", "Hold", "HeldWindows", "sort_held", "without_pauses"]

BLACKOUT = "blackout"
PAUSED = "paused"


@dataclass(frozen=True)
class Hold:
    """One stretch [start, end) the campaign does not dial: a blackout day or an approved pause."""

    why: str  # BLACKOUT or PAUSED
    start: datetime
    end: datetime
    label: str  # a blackout day's names ("US Thanksgiving"), a pause's reason
    day: date | None = None  # a blackout day's local date
    pause_id: int | None = None


@dataclass
class HeldWindows:
    """The windows that dial (in order), those among them a pause cuts into, and how many windows each hold
    removed (by the hold's place in the list given)."""

    dialling: list[Window] = field(default_factory=list)
    partly_paused: set[int] = field(default_factory=set)  # indexes into `dialling`
    removed: list[int] = field(default_factory=list)  # per hold: the windows it removed

    @property
    def held_count(self) -> int:
        return sum(self.removed)


def _merged(spans: list[tuple[datetime, datetime, int]]) -> list[tuple[datetime, datetime, list[int]]]:
    """Pauses that overlap or follow on from one another as one stretch, with the holds that make it up."""
    merged: list[tuple[datetime, datetime, list[int]]] = []
    for start, end, index in sorted(spans):
        if merged and start <= merged[-1][1]:
            low, high, members = merged[-1]
            merged[-1] = (low, max(high, end), [*members, index])
        else:
            merged.append((start, end, [index]))
    return merged


def sort_held(windows: Sequence[Window], holds: Sequence[Hold]) -> HeldWindows:
    """`windows` (sorted by start) parted into those that dial and those `holds` remove; a window both a
    blackout day and a pause would remove counts for the blackout day."""
    result = HeldWindows(removed=[0] * len(holds))
    days = sorted((h.start, h.end, i) for i, h in enumerate(holds) if h.why == BLACKOUT)
    day_starts = [start for start, _, _ in days]
    pauses = _merged([(h.start, h.end, i) for i, h in enumerate(holds) if h.why == PAUSED])
    pause_starts = [start for start, _, _ in pauses]
    for window in windows:
        at = bisect_right(day_starts, window.start) - 1
        if at >= 0 and window.start < days[at][1]:
            result.removed[days[at][2]] += 1
            continue
        # The stretch of pauses the window opens in, else the last one before it (which may still cut into it).
        at = bisect_right(pause_starts, window.start) - 1
        inside = at >= 0 and window.end <= pauses[at][1]
        if inside:
            members = pauses[at][2]
            # Counted for the pause in force when the window would have opened.
            owner = next((i for i in members if holds[i].start <= window.start < holds[i].end), members[0])
            result.removed[owner] += 1
            continue
        cut = (at >= 0 and window.start < pauses[at][1]) or (
            at + 1 < len(pauses) and pauses[at + 1][0] < window.end
        )
        if cut:
            result.partly_paused.add(len(result.dialling))
        result.dialling.append(window)
    return result


def without_pauses(
    instants: Sequence[tuple[int, int]], pauses: Sequence[tuple[int, int]]
) -> tuple[tuple[int, int], ...]:
    """The parts of the windows (UTC epoch seconds [start, end)) outside the pauses ([start, end), any order):
    a window wholly paused is gone, one a pause cuts into keeps what lies before and after it. Sorted by start
    (a long window's part after a pause may open after the next window does)."""
    if not pauses:
        return tuple(instants)
    stretches = [(start, end) for start, end, _ in _merged([(s, e, 0) for s, e in pauses])]
    starts = [start for start, _ in stretches]
    parts: list[tuple[int, int]] = []
    for window in instants:
        low, high = window[0], window[1]
        at = max(bisect_right(starts, low) - 1, 0)
        while at < len(stretches) and stretches[at][0] < high:
            paused_from, paused_until = stretches[at]
            if paused_until > low:
                if paused_from > low:
                    parts.append((low, paused_from))
                low = paused_until
            at += 1
        if low < high:
            parts.append((low, high) if (low, high) != (window[0], window[1]) else tuple(window))
    return tuple(sorted(parts))
