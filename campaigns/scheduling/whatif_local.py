"""A draft's what-if inside one group, without sweeping the group again.

Only the elementary intervals that meet the draft's old or new windows (closed: touching counts) can change:
an interval away from them keeps its bounds, its members and its demand. So each stretch of the draft's
windows is looked up in the group's prebuilt, sorted event instants and conflicts (binary search), the
intervals around it are rebuilt from the demand already known there, minus the old draft, plus the new one,
and compared with the conflicts stored for the same stretch. A what-if costs the draft's windows, not the
group's size: a few milliseconds with 10 000 campaigns.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from .conflicts import CAPACITY, Conflict

__all__ = ["Change", "GroupDetail", "group_detail_of_spans"]

Spans = Sequence[tuple[int, int]]


@dataclass
class GroupDetail:
    """One group as the sweep left it: its distinct event instants, the demand from each to the next and how
    many span bounds fall there, its conflicts in time order, and its spans by start (for "who is active")."""

    kind: str
    key: str
    capacity: int | None  # a pool's agents; None for a contact list (conflict = two or more)
    instants: list[int]
    demand: list[int]
    events: list[int]
    conflicts: list[Conflict]
    spans_of: Callable[[], list[tuple[int, int, str]]]  # (start, end, member) sorted, built when first needed
    _starts: list[int] = field(default_factory=list)
    _ends: list[int] = field(default_factory=list)
    _by_start: list[tuple[int, int, str]] | None = None
    _span_starts: list[int] = field(default_factory=list)
    _longest: int = 0

    def __post_init__(self):
        self._starts = [int(c.start.timestamp()) for c in self.conflicts]
        self._ends = [int(c.end.timestamp()) for c in self.conflicts]

    @property
    def limit(self) -> int:
        return 1 if self.capacity is None else self.capacity

    def demand_at(self, instant: int) -> int:
        k = bisect_right(self.instants, instant) - 1
        return self.demand[k] if k >= 0 else 0

    def conflicts_meeting(self, low: int, high: int) -> list[Conflict]:
        """Stored conflicts whose closed interval meets [low, high] (they are disjoint and in time order)."""
        i = bisect_right(self._starts, high) - 1
        found = []
        while i >= 0 and self._ends[i] >= low:
            found.append(self.conflicts[i])
            i -= 1
        return found

    def active_at(self, instant: int) -> tuple[str, ...]:
        """Members with a window open at `instant`: a stored conflict already knows them, else the spans do."""
        i = bisect_right(self._starts, instant) - 1
        if i >= 0 and self._ends[i] > instant:
            return self.conflicts[i].campaigns
        if self._by_start is None:
            self._by_start = self.spans_of()
            self._span_starts = [span[0] for span in self._by_start]
            self._longest = max((end - start for start, end, _ in self._by_start), default=0)
        j = bisect_right(self._span_starts, instant) - 1
        active = set()
        while j >= 0 and self._by_start[j][0] > instant - self._longest:
            if self._by_start[j][1] > instant:
                active.add(self._by_start[j][2])
            j -= 1
        return tuple(sorted(active))


def group_detail_of_spans(
    kind: str, key: str, capacity: int | None, members: dict[str, Spans], weights: dict[str, int]
) -> GroupDetail:
    """The detail of a small group (one the array sweep left out), straight from its members' spans."""
    change: dict[int, list[int]] = {}
    for member, spans in members.items():
        for start, end in spans:
            change.setdefault(start, [0, 0])[0] += weights[member]
            change.setdefault(end, [0, 0])[0] -= weights[member]
            change[start][1] += 1
            change[end][1] += 1
    instants = sorted(change)
    demand, running = [], 0
    for instant in instants:
        running += change[instant][0]
        demand.append(running)
    return GroupDetail(
        kind, key, capacity, instants, demand, [change[t][1] for t in instants], [], lambda: by_start(members)
    )


def by_start(members: dict[str, Spans]) -> list[tuple[int, int, str]]:
    return sorted((start, end, member) for member, spans in members.items() for start, end in spans)


def _regions(spans: Spans) -> list[tuple[int, int]]:
    """The spans as closed stretches, merged where they overlap or touch."""
    regions: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if regions and start <= regions[-1][1]:
            regions[-1] = (regions[-1][0], max(end, regions[-1][1]))
        else:
            regions.append((start, end))
    return regions


def _inside(spans: Spans, starts: list[int], instant: int) -> bool:
    i = bisect_right(starts, instant) - 1
    return i >= 0 and spans[i][1] > instant


@dataclass
class Change:
    """The draft in one group: its id, its old spans and weight (if it was a member), its new ones (if it is)."""

    member: str
    old: Spans
    old_weight: int
    new: Spans
    new_weight: int

    def compare(self, group: GroupDetail) -> tuple[list[Conflict], list[Conflict]]:
        """(added, removed): the group's conflicts the draft creates and resolves."""
        old_bounds = {t for span in self.old for t in span}
        new_bounds = sorted({t for span in self.new for t in span})
        new_set = set(new_bounds)
        old_starts = [s for s, _ in self.old]
        new_starts = [s for s, _ in self.new]
        instants, events = group.instants, group.events

        def kept(k: int) -> bool:  # is instants[k] still an event once the old draft is gone?
            t = instants[k]
            return events[k] > (1 if t in old_bounds else 0) or t in new_set

        before: dict[Conflict, None] = {}
        after: dict[Conflict, None] = {}
        stamps: dict[int, datetime] = {}
        for low, high in _regions([*self.old, *self.new]):
            before.update(dict.fromkeys(group.conflicts_meeting(low, high)))
            k0, k1 = bisect_left(instants, low), bisect_right(instants, high)
            bounds = {instants[k] for k in range(k0, k1) if kept(k)}
            bounds.update(new_bounds[bisect_left(new_bounds, low) : bisect_right(new_bounds, high)])
            previous = next((instants[k] for k in range(k0 - 1, -1, -1) if kept(k)), None)
            j = bisect_left(new_bounds, low) - 1
            if j >= 0 and (previous is None or new_bounds[j] > previous):
                previous = new_bounds[j]
            following = next((instants[k] for k in range(k1, len(instants)) if kept(k)), None)
            j = bisect_right(new_bounds, high)
            if j < len(new_bounds) and (following is None or new_bounds[j] < following):
                following = new_bounds[j]
            bounds.update(t for t in (previous, following) if t is not None)
            ordered = sorted(bounds)
            for start, end in zip(ordered, ordered[1:], strict=False):
                was_in = _inside(self.old, old_starts, start)
                is_in = _inside(self.new, new_starts, start)
                demand = group.demand_at(start) - (self.old_weight if was_in else 0)
                demand += self.new_weight if is_in else 0
                if demand <= group.limit:
                    continue
                others = [m for m in group.active_at(start) if m != self.member]
                members = tuple(sorted({*others, self.member})) if is_in else tuple(others)
                after[_conflict(group, start, end, members, demand, stamps)] = None
        added = [c for c in after if c not in before]
        removed = [c for c in before if c not in after]
        return added, removed


def _conflict(
    group: GroupDetail, start: int, end: int, members: tuple[str, ...], demand: int, stamps: dict[int, datetime]
) -> Conflict:
    def at(ts: int) -> datetime:
        value = stamps.get(ts)
        if value is None:
            value = stamps[ts] = datetime.fromtimestamp(ts, UTC)
        return value

    if group.kind == CAPACITY:
        return Conflict(CAPACITY, group.key, at(start), at(end), members, demand, group.capacity)
    return Conflict(group.kind, group.key, at(start), at(end), members, None, None)
