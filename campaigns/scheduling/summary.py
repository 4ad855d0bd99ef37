"""A what-if in a planner's words: one line per pool or contact list, not one per interval.

The sweep splits an overload wherever the set of active campaigns changes, so a weekday schedule that clashes
with another yields dozens of intervals over two weeks. A planner needs to know which pool or contact list,
how much, how bad at worst, with whom, and when it first happens; this folds the intervals into that.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from .conflicts import Conflict
from .describe import weekday_text, zone_label
from .zones import get_zone


@dataclass
class ConflictSummary:
    kind: str  # "capacity" | "contact_list"
    key: str  # pool id or contact list id
    campaigns: list[str] = field(default_factory=list)  # every campaign involved, sorted
    intervals_added: int = 0
    intervals_removed: int = 0
    minutes_added: float = 0.0
    minutes_removed: float = 0.0
    first_start: datetime | None = None  # the first interval the draft adds (or removes, if it adds none)
    first_end: datetime | None = None
    peak_demand: int | None = None  # capacity only: the most agents needed at once among the intervals
    capacity: int | None = None
    pattern: str = ""  # when it mostly happens, in the schedule's zone: "Tue–Thu 14:00–17:00 EST"
    pattern_share: float = 0.0  # the share of the minutes that pattern holds (1.0: all of them)
    added_spans: list[tuple[datetime, datetime]] = field(default_factory=list, repr=False)
    removed_spans: list[tuple[datetime, datetime]] = field(default_factory=list, repr=False)

    @property
    def net_minutes(self) -> float:
        return self.minutes_added - self.minutes_removed

    def to_dict(self) -> dict:
        return {
            "kind": self.kind,
            "key": self.key,
            "campaigns": self.campaigns,
            "intervals_added": self.intervals_added,
            "intervals_removed": self.intervals_removed,
            "hours_added": round(self.minutes_added / 60, 1),
            "hours_removed": round(self.minutes_removed / 60, 1),
            "first_start": self.first_start,
            "first_end": self.first_end,
            "peak_demand": self.peak_demand,
            "capacity": self.capacity,
            "pattern": self.pattern,
            "pattern_share": round(self.pattern_share, 2),
        }


def summarise(
    added: Iterable[Conflict], removed: Iterable[Conflict], *, zone: str | None = None
) -> tuple[list[dict], list[dict]]:
    """(worse, better): the pools and contact lists the draft overloads more, and those it relieves.

    A group the draft both adds and removes intervals in (say, a longer window over the same clash) counts by
    its net minutes; one whose minutes do not change but whose intervals move counts as worse, since the
    clash is new at those times. "First" and "peak" describe the added intervals, or the removed ones when
    the draft adds none to that group. With `zone` (the schedule's), each line also says when it mostly
    happens there ("Tue–Thu 14:00–17:00 EST": the added intervals of a worse line, the removed ones of a
    relieved line), so one sentence can replace the interval counts.
    """
    groups: dict[tuple[str, str], ConflictSummary] = {}
    campaign_sets: dict[tuple[str, str], set[str]] = {}
    described: dict[tuple[str, str], bool] = {}  # key -> whether first/peak come from added intervals
    for conflicts, is_added in ((removed, False), (added, True)):
        for conflict in conflicts:
            key = (conflict.kind, conflict.key)
            summary = groups.setdefault(key, ConflictSummary(kind=conflict.kind, key=conflict.key))
            campaign_sets.setdefault(key, set()).update(conflict.campaigns)
            minutes = (conflict.end - conflict.start).total_seconds() / 60
            if is_added:
                summary.intervals_added += 1
                summary.minutes_added += minutes
            else:
                summary.intervals_removed += 1
                summary.minutes_removed += minutes
            if described.get(key) is not is_added:  # added intervals replace what removed ones described
                described[key] = is_added
                summary.first_start = summary.peak_demand = None
            (summary.added_spans if is_added else summary.removed_spans).append(
                (conflict.start, conflict.end)
            )
            if summary.first_start is None or conflict.start < summary.first_start:
                summary.first_start, summary.first_end = conflict.start, conflict.end
            if conflict.demand is not None and (summary.peak_demand or 0) < conflict.demand:
                summary.peak_demand = conflict.demand
            if conflict.capacity is not None:
                summary.capacity = conflict.capacity
    worse, better = [], []
    for key, summary in groups.items():
        summary.campaigns = sorted(campaign_sets[key])
        relieved = summary.net_minutes < 0
        if zone:  # where overload time appears (worse) or goes away (relieved), not where it only changes
            gained, lost = summary.added_spans, summary.removed_spans
            spans = _minus(lost, gained) if relieved else _minus(gained, lost) or gained
            summary.pattern, summary.pattern_share = mostly(spans, zone)
        (better if relieved else worse).append(summary)

    def order(summary):  # every group holds at least one interval, so first_start is set
        return (summary.first_start, summary.kind, summary.key)

    return [s.to_dict() for s in sorted(worse, key=order)], [s.to_dict() for s in sorted(better, key=order)]


def _join(spans: list[tuple[datetime, datetime]]) -> list[list[datetime]]:
    """Touching or overlapping spans as one (the sweep cuts an overload wherever its campaigns change)."""
    joined: list[list[datetime]] = []
    for start, end in sorted(spans):
        if joined and start <= joined[-1][1]:
            joined[-1][1] = max(joined[-1][1], end)
        else:
            joined.append([start, end])
    return joined


def _minus(spans, others) -> list[tuple[datetime, datetime]]:
    """The parts of `spans` that no span of `others` covers."""
    result = []
    cuts = _join(others)
    for start, end in _join(spans):
        for cut_start, cut_end in cuts:
            if cut_end <= start or cut_start >= end:
                continue
            if cut_start > start:
                result.append((start, cut_start))
            start = max(start, cut_end)
            if start >= end:
                break
        if start < end:
            result.append((start, end))
    return result


def mostly(spans: list[tuple[datetime, datetime]], zone_name: str) -> tuple[str, float]:
    """When most of these minutes fall, in `zone_name`'s wall clock: ("Tue–Thu 14:00–17:00 EST", 0.8).

    The sweep cuts an overload wherever the set of campaigns changes, so touching intervals are joined first;
    then the local (start, end) that holds the most minutes wins, with the weekdays it happens on."""
    if not spans:
        return "", 0.0
    joined = _join(spans)
    zone = get_zone(zone_name)
    by_hours: dict[tuple[str, str], list] = {}
    total = 0.0
    for start, end in joined:
        local_start, local_end = start.astimezone(zone), end.astimezone(zone)
        minutes = (end - start).total_seconds() / 60
        total += minutes
        slot = by_hours.setdefault((f"{local_start:%H:%M}", f"{local_end:%H:%M}"), [0.0, set(), start])
        slot[0] += minutes
        slot[1].add(int(local_start.strftime("%w")))  # 0 = Sunday, as cron counts
    (start_text, end_text), (minutes, days, first) = max(by_hours.items(), key=lambda item: item[1][0])
    text = f"{weekday_text(days)} {start_text}–{end_text} {zone_label(zone_name, first)}"
    return text, (minutes / total if total else 0.0)
