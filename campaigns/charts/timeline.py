"""The timeline: a Gantt of every calling window in a range, one row per campaign grouped by pool.

Bars are horizontal `go.Bar`s with `base` = start and `x` = length in ms on a date axis (what px.timeline draws,
without pandas). Capacity overloads get a row of their own at the top of their pool, red and hatched; windows
caught in a contact-list clash are cross-hatched and their hover names the other campaigns. More bars than a
browser draws comfortably are folded into one row per pool (its busy hours), each a link to that pool alone.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from zoneinfo import ZoneInfo

from campaigns.scheduling.conflicts import CAPACITY, CONTACT_LIST, Conflict
from campaigns.scheduling.intervals import demand_steps

from .common import (
    ACCENT,
    ACCENT_LIGHT,
    BAD,
    INK,
    Chart,
    axis_ms,
    base_layout,
    figure,
    iso_local,
    iso_utc,
    plural,
    zone_of,
    zone_title,
)

MAX_BARS = 3000  # beyond this many windows the timeline shows pools, not campaigns
ROW_HEIGHT = 20
OVERLOAD_ROW = "⚠ Over capacity"
NO_POOL = "No pool"
COLUMNS = [
    "kind",
    "pool",
    "campaign",
    "cxone_id",
    "start_utc",
    "end_utc",
    "start_local",
    "end_local",
    "local_zone",
    "agents",
    "detail",
]


@dataclass(frozen=True)
class TimelineCampaign:
    id: str  # the CXone id
    name: str
    pool_key: str  # the pool's skill id ("" when it has none)
    zone: str  # the campaign's IANA zone
    agents: int
    url: str
    windows: tuple[tuple[int, int], ...]  # UTC epoch seconds, sorted


@dataclass(frozen=True)
class TimelinePool:
    key: str
    name: str
    agents: int
    url: str = ""  # the timeline of this pool alone (the drill-down of the aggregated view)

    @property
    def label(self) -> str:
        return f"{self.name} ({self.agents} agents)"


@dataclass(frozen=True)
class Band:
    """Contiguous capacity-overload intervals of one pool, merged: the peak and everyone involved."""

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


@lru_cache(maxsize=65536)
def _wall(ts: int, zone_name: str, fmt: str) -> str:
    # Many campaigns share the same instants (same cron, same zone): format each once.
    from .common import local_text

    return local_text(ts, zone_of(zone_name), fmt)


@lru_cache(maxsize=65536)
def _span_text(start: int, end: int, zone_name: str) -> str:
    """ "Tue 01 Dec 09:00 CST → 17:00 CST" (the end's day only when it differs)."""
    same_day = _wall(start, zone_name, "%Y%m%d") == _wall(end, zone_name, "%Y%m%d")
    return f"{_wall(start, zone_name, '%a %d %b %H:%M %Z')} → " + _wall(
        end, zone_name, "%H:%M %Z" if same_day else "%a %d %b %H:%M %Z"
    )


def _utc_span(start: int, end: int) -> str:
    return _span_text(start, end, "UTC")


class _Bars:
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


def _window_marker() -> dict:
    return {"color": ACCENT, "line": {"width": 0}}


def _clash_marker() -> dict:
    return {
        "color": ACCENT_LIGHT,
        "line": {"color": ACCENT, "width": 1},
        "pattern": {"shape": "x", "fgcolor": INK, "bgcolor": ACCENT_LIGHT, "size": 6, "solidity": 0.2},
    }


def _overload_marker() -> dict:
    return {
        "color": BAD,
        "line": {"color": BAD, "width": 1},
        "pattern": {"shape": "/", "fgcolor": "#ffffff", "bgcolor": BAD, "size": 6, "solidity": 0.3},
    }


def timeline_chart(
    campaigns: Sequence[TimelineCampaign],
    conflicts: Sequence[Conflict],
    pools: Mapping[str, TimelinePool],
    *,
    start_ts: int,
    end_ts: int,
    display_zone: str = "UTC",
    max_bars: int = MAX_BARS,
) -> Chart:
    """The timeline of `campaigns` in [start_ts, end_ts), drawn on the wall clock of `display_zone`.

    `conflicts` are the engine's for the same range; only overloads of the pools shown and clashes of the
    campaigns shown are drawn. Over `max_bars` windows, each pool's busy hours replace its campaigns.
    """
    zone = zone_of(display_zone)
    shown = {c.id for c in campaigns}
    names = {c.id: c.name for c in campaigns}
    pool_keys = {c.pool_key for c in campaigns}
    bands = [b for b in overload_bands(conflicts) if b.pool_key in pool_keys]
    clashes = ClashFinder(c for c in conflicts if c.kind == CONTACT_LIST and shown.intersection(c.campaigns))
    window_count = sum(len(c.windows) for c in campaigns)
    period = (
        f"{_wall(start_ts, display_zone, '%a %d %b %Y')} – {_wall(end_ts - 1, display_zone, '%a %d %b %Y')}"
    )
    title = f"Calling windows, {period} ({zone_title(display_zone)})"
    if not campaigns or not window_count:
        return Chart(
            key="timeline",
            title=title,
            summary="No calling windows in this range.",
            label="Timeline of calling windows: none in this range.",
            figure=None,
            columns=COLUMNS,
            empty="No calling windows in this range. Widen the range or clear the filters.",
        )
    aggregated = window_count > max_bars
    builder = _pool_rows if aggregated else _campaign_rows
    traces, table, row_count = builder(campaigns, bands, clashes, pools, names, zone, display_zone)
    urls = {c.id: c.url for c in campaigns}

    overload_hours = sum(b.end - b.start for b in bands) / 3600
    clashing = clashes.campaigns & shown
    parts = [
        f"{plural(window_count, 'calling window')} of {plural(len(campaigns), 'campaign')} in "
        f"{plural(len(pool_keys), 'pool')}, {period}, times in {zone_title(display_zone)}",
        f"{plural(len(bands), 'capacity overload')} ({overload_hours:.1f} h) in "
        f"{plural(len({b.pool_key for b in bands}), 'pool')}"
        if bands
        else "no capacity overload",
        f"{plural(len(clashing), 'campaign')} in contact-list clashes"
        if clashing
        else "no contact-list clash",
    ]
    summary = "; ".join(parts) + "."
    if aggregated:
        summary += (
            f" Too many windows to draw one by one (over {max_bars:,}): each row is a pool's busy hours;"
            " choose a pool to see its campaigns."
        )
    layout = base_layout(
        height=max(320, 130 + ROW_HEIGHT * row_count),
        x_title=f"Time ({zone_title(display_zone)})",
        y_title="",
        barmode="overlay",
        xaxis={
            "type": "date",
            "range": [axis_ms(start_ts, zone), axis_ms(end_ts, zone)],
            "tickformat": "%a %d %b\n%H:%M",
            "side": "top",
            "title": {"text": f"Time ({zone_title(display_zone)})", "standoff": 4},
        },
        yaxis={
            "type": "category" if aggregated else "multicategory",
            "autorange": "reversed",
            "automargin": True,
            "title": {"text": "Pool" if aggregated else "Pool and campaign"},
            "tickfont": {"size": 11},
            "showdividers": True,
            "dividercolor": "#9aa5b5",
        },
        margin={"l": 10, "r": 20, "t": 60, "b": 10},
        # Below the rows: the time axis is on top, where a planner starts reading a tall chart.
        legend={"orientation": "h", "x": 0, "xanchor": "left", "y": -0.005, "yanchor": "top"},
        hovermode="closest",
    )
    return Chart(
        key="timeline",
        title=title,
        summary=summary,
        label=f"Gantt chart of calling windows by {'pool' if aggregated else 'pool and campaign'}. {summary}",
        figure=figure(traces, layout),
        columns=COLUMNS,
        rows=table,
        clickable=True,
        links=[urls.get(row[3], "") for row in table],
    )


def _band_rows(bands, pools, names, zone, display_zone, group_of, row_of):
    trace = _Bars("Capacity overload (agents needed > pool's agents)", _overload_marker(), zone)
    table = []
    for band in bands:
        pool = pools.get(band.pool_key)
        pool_name = pool.name if pool else band.pool_key
        who = ", ".join(names.get(c, c) for c in band.campaigns)
        hover = (
            f"<b>⚠ {pool_name} over capacity</b>: up to {band.peak} agents needed, {band.capacity} available<br>"
            f"{_span_text(band.start, band.end, display_zone)}<br>{_utc_span(band.start, band.end)}<br>"
            f"Campaigns: {who}"
        )
        trace.add(
            band.start,
            band.end,
            group_of(band.pool_key),
            row_of(band.pool_key),
            hover,
            pool.url if pool else "",
        )
        table.append(
            [
                "overload",
                pool_name,
                "",
                "",
                iso_utc(band.start),
                iso_utc(band.end),
                iso_local(band.start, zone),
                iso_local(band.end, zone),
                zone_title(display_zone),
                band.peak,
                f"{band.capacity} available; campaigns: {who}",
            ]
        )
    return trace, table


def _campaign_rows(campaigns, bands, clashes, pools, names, zone, display_zone):
    """One row per campaign under its pool (a two-level axis), the pool's overloads on top."""
    plain = _Bars("Calling window", _window_marker(), zone)
    clashed = _Bars("Window in a contact-list clash", _clash_marker(), zone)

    def group_label(pool_key: str) -> str:
        pool = pools.get(pool_key)
        return pool.label if pool else (pool_key or NO_POOL)

    overloads, table = _band_rows(
        bands, pools, names, zone, display_zone, group_label, lambda _key: OVERLOAD_ROW
    )
    ordered = sorted(campaigns, key=lambda c: (group_label(c.pool_key).lower(), c.name.lower(), c.id))
    seen: dict[tuple[str, str], int] = {}
    overloaded = {b.pool_key for b in bands}
    row_count = len(overloaded)
    order: list[tuple[str, str]] = []  # (group, row) top to bottom: a pool's overloads above its campaigns
    for campaign in ordered:
        group = group_label(campaign.pool_key)
        if campaign.pool_key in overloaded and (group, OVERLOAD_ROW) not in order:
            order.append((group, OVERLOAD_ROW))
        label = campaign.name
        if seen.setdefault((group, label), 0):
            label = f"{campaign.name} ({campaign.id})"
        seen[(group, campaign.name)] += 1
        row_count += 1
        order.append((group, label))
        pool_name = pools[campaign.pool_key].name if campaign.pool_key in pools else NO_POOL
        head = f"<b>{campaign.name}</b> ({campaign.id}) · {pool_name} · {campaign.agents} agents"
        for start, end in campaign.windows:
            clash = clashes.during(campaign.id, start, end)
            hover = f"{head}<br>{_span_text(start, end, campaign.zone)}<br>{_utc_span(start, end)}"
            detail = ""
            if clash:
                detail = "; ".join(
                    f"contact list {key} also dialled by {', '.join(names.get(m, m) for m in members)}"
                    for key, members in clash
                )
                hover += f"<br>⚠ Clash: {detail}"
            (clashed if clash else plain).add(start, end, group, label, hover, campaign.url)
            table.append(
                [
                    "window",
                    pool_name,
                    campaign.name,
                    campaign.id,
                    iso_utc(start),
                    iso_utc(end),
                    iso_local(start, zone_of(campaign.zone)),
                    iso_local(end, zone_of(campaign.zone)),
                    campaign.zone,
                    campaign.agents,
                    detail,
                ]
            )
    traces = [_row_order(order)] + [t.trace(True) for t in (overloads, plain, clashed) if t.base]
    return traces, table, row_count


def _row_order(order: list[tuple[str, str]]) -> dict:
    """An invisible first trace holding every row once, in order: a category axis lists rows in the order it
    first meets them, and the bars come in three traces."""
    return {
        "type": "bar",
        "orientation": "h",
        "name": "rows",
        "base": [0] * len(order),
        "x": [0] * len(order),
        "y": [[g for g, _ in order], [r for _, r in order]],
        "hoverinfo": "skip",
        "showlegend": False,
        "marker": {"color": "rgba(0,0,0,0)"},
    }


def _pool_rows(campaigns, bands, clashes, pools, names, zone, display_zone):
    """Too many windows: one row per pool with its busy hours (any campaign open), overloads on top."""
    busy = _Bars("Pool busy (some campaign open)", _window_marker(), zone)

    def label(pool_key: str) -> str:
        pool = pools.get(pool_key)
        return pool.label if pool else (pool_key or NO_POOL)

    overloads, table = _band_rows(
        bands, pools, names, zone, display_zone, label, lambda key: f"{label(key)} {OVERLOAD_ROW}"
    )
    by_pool: dict[str, list[TimelineCampaign]] = defaultdict(list)
    for campaign in campaigns:
        by_pool[campaign.pool_key].append(campaign)
    for pool_key in sorted(by_pool, key=lambda k: label(k).lower()):
        members = by_pool[pool_key]
        pool = pools.get(pool_key)
        pool_name = pool.name if pool else NO_POOL
        steps = demand_steps({c.id: c.windows for c in members}, {c.id: c.agents for c in members})
        for start, end, peak_agents, peak_campaigns in _busy_spans(steps):
            hover = (
                f"<b>{pool_name}</b>: up to {peak_campaigns} campaigns and {peak_agents} agents at once"
                f"{f' ({pool.agents} available)' if pool else ''}<br>"
                f"{_span_text(start, end, display_zone)}<br>{_utc_span(start, end)}<br>Click to see its campaigns"
            )
            busy.add(start, end, label(pool_key), label(pool_key), hover, pool.url if pool else "")
            table.append(
                [
                    "pool busy",
                    pool_name,
                    "",
                    "",
                    iso_utc(start),
                    iso_utc(end),
                    iso_local(start, zone),
                    iso_local(end, zone),
                    zone_title(display_zone),
                    peak_agents,
                    f"up to {peak_campaigns} campaigns at once",
                ]
            )
    overloaded = {b.pool_key for b in bands}
    order = []  # each pool's busy row, its overload row just below
    for pool_key in sorted(by_pool, key=lambda k: label(k).lower()):
        order.append(label(pool_key))
        if pool_key in overloaded:
            order.append(f"{label(pool_key)} {OVERLOAD_ROW}")
    rows_trace = _row_order([("", row) for row in order])
    rows_trace["y"] = order
    traces = [rows_trace] + [t.trace(False) for t in (busy, overloads) if t.base]
    return traces, table, len(order)


def _busy_spans(steps) -> list[tuple[int, int, int, int]]:
    """Demand steps merged where they touch: (start, end, peak agents, peak campaigns)."""
    spans: list[list[int]] = []
    for step in steps:
        if spans and step.start <= spans[-1][1]:
            last = spans[-1]
            last[1] = step.end
            last[2] = max(last[2], step.agents)
            last[3] = max(last[3], step.campaigns)
        else:
            spans.append([step.start, step.end, step.agents, step.campaigns])
    return [tuple(s) for s in spans]


__all__ = [
    "MAX_BARS",
    "Band",
    "TimelineCampaign",
    "TimelinePool",
    "overload_bands",
    "timeline_chart",
]
