"""Pieces of the Gantt charts (the timeline and the editor's small one): bars in a date axis's terms, the
overload bands and contact-list clashes drawn on them, the invisible trace that orders their rows, and the
markers that never rely on colour.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from campaigns.scheduling.conflicts import CAPACITY, CONTACT_LIST, Conflict

from .common import ACCENT, ACCENT_LIGHT, BAD, INK, axis_ms


@dataclass(frozen=True)
class Band:
    """Contiguous capacity-overload intervals of one pool, merged: the peak, the fewest agents available in it
    (a weekly staffing can change within a band) and everyone involved."""

    pool_key: str
    start: int
    end: int
    peak: int
    capacity: int
    campaigns: tuple[str, ...]


def overload_bands(conflicts: Iterable[Conflict]) -> list[Band]:
    """The engine splits an overload wherever its set of campaigns changes; a picture needs one band per
    stretch of overload, so touching intervals of one pool are merged (peak demand, union of campaigns)."""
    by_pool: dict[str, list[Conflict]] = defaultdict(list)
    for conflict in conflicts:
        if conflict.kind == CAPACITY:
            by_pool[conflict.key].append(conflict)
    bands: list[Band] = []
    for pool_key, items in by_pool.items():
        items.sort(key=lambda c: c.start)
        current: list = []
        for conflict in items:
            start, end = int(conflict.start.timestamp()), int(conflict.end.timestamp())
            if current and start <= current[1]:
                current[1] = max(current[1], end)
                current[2] = max(current[2], conflict.demand or 0)
                current[3] = min(current[3], conflict.capacity or 0)  # a staffing may thin out within it
                current[4].update(conflict.campaigns)
            else:
                if current:
                    bands.append(
                        Band(
                            pool_key,
                            current[0],
                            current[1],
                            current[2],
                            current[3],
                            tuple(sorted(current[4])),
                        )
                    )
                current = [start, end, conflict.demand or 0, conflict.capacity or 0, set(conflict.campaigns)]
        if current:
            bands.append(
                Band(pool_key, current[0], current[1], current[2], current[3], tuple(sorted(current[4])))
            )
    return sorted(bands, key=lambda b: (b.pool_key, b.start))


class ClashFinder:
    """Which contact-list clashes each campaign is in, to mark its windows that overlap one."""

    def __init__(self, conflicts: Iterable[Conflict]):
        self._by_campaign: dict[str, list[tuple[int, int, str, tuple[str, ...]]]] = defaultdict(list)
        for conflict in conflicts:
            if conflict.kind != CONTACT_LIST:
                continue
            start, end = int(conflict.start.timestamp()), int(conflict.end.timestamp())
            for campaign in conflict.campaigns:
                self._by_campaign[campaign].append((start, end, conflict.key, conflict.campaigns))
        for clashes in self._by_campaign.values():
            clashes.sort()
        self._starts = {cid: [c[0] for c in clashes] for cid, clashes in self._by_campaign.items()}

    @property
    def campaigns(self) -> set[str]:
        return set(self._by_campaign)

    def during(self, campaign: str, start: int, end: int) -> list[tuple[str, tuple[str, ...]]]:
        """(contact list, campaigns) of every clash of `campaign` overlapping [start, end)."""
        clashes = self._by_campaign.get(campaign)
        if not clashes:
            return []
        found: dict[str, set[str]] = {}
        index = bisect_left(self._starts[campaign], end)
        for clash_start, clash_end, key, members in clashes[:index]:
            if clash_end > start and clash_start < end:
                found.setdefault(key, set()).update(members)
        return [(key, tuple(sorted(m for m in members if m != campaign))) for key, members in found.items()]


class Bars:
    """One bar trace being filled: base, length and row of each bar, its hover text and its link."""

    def __init__(self, name: str, marker: dict, zone: ZoneInfo | None):
        self.name, self.marker, self.zone = name, marker, zone
        self.base: list[int] = []
        self.x: list[int] = []
        self.groups: list[str] = []
        self.rows: list[str] = []
        self.hover: list[str] = []
        self.links: list[str] = []

    def add(self, start: int, end: int, group: str, row: str, hover: str, link: str = "") -> None:
        first = axis_ms(start, self.zone)
        self.base.append(first)
        # The length on the axis's wall clock: a window across a DST change in the viewer's zone ends where
        # the wall clock says, not an hour off.
        self.x.append(axis_ms(end, self.zone) - first)
        self.groups.append(group)
        self.rows.append(row)
        self.hover.append(hover)
        self.links.append(link)

    def trace(self, multicategory: bool) -> dict:
        """A horizontal bar trace, as go.Bar's properties: common.figure validates them once (see there)."""
        return {
            "type": "bar",
            "orientation": "h",
            "name": self.name,
            "base": self.base,
            "x": self.x,
            "y": [self.groups, self.rows] if multicategory else self.rows,
            "hovertext": self.hover,
            "hovertemplate": "%{hovertext}<extra></extra>",
            "customdata": self.links,
            "marker": self.marker,
            "width": 0.7,
        }


def row_order(rows: list[str], groups: list[str] | None = None) -> dict:
    """An invisible first trace holding every row once, in order: a category axis lists rows in the order it
    first meets them, and the bars come in several traces. With `groups`, rows sit on a two-level axis."""
    return {
        "type": "bar",
        "orientation": "h",
        "name": "rows",
        "base": [0] * len(rows),
        "x": [0] * len(rows),
        "y": rows if groups is None else [groups, rows],
        "hoverinfo": "skip",
        "showlegend": False,
        "marker": {"color": "rgba(0,0,0,0)"},
    }


def window_marker() -> dict:
    return {"color": ACCENT, "line": {"width": 0}}


def clash_marker() -> dict:
    return {
        "color": ACCENT_LIGHT,
        "line": {"color": ACCENT, "width": 1},
        "pattern": {"shape": "x", "fgcolor": INK, "bgcolor": ACCENT_LIGHT, "size": 6, "solidity": 0.2},
    }


def overload_marker() -> dict:
    return {
        "color": BAD,
        "line": {"color": BAD, "width": 1},
        "pattern": {"shape": "/", "fgcolor": "#ffffff", "bgcolor": BAD, "size": 6, "solidity": 0.3},
    }
