"""The Timeline page's chart: every window of the campaigns a query selects, from the kept mirror
(reports/dashboards.py), with the pauses and Stop dialling orders that hold them (reports/held_spans.py)."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse

from campaigns.charts.common import Chart
from campaigns.charts.holds import HeldSpan
from campaigns.charts.timeline import TimelineCampaign, TimelinePool, timeline_chart
from campaigns.scheduling.conflicts import CAPACITY
from campaigns.services.reports.dashboards import Mirror, mirror
from campaigns.services.reports.held_spans import held_spans


@dataclass(frozen=True)
class TimelineQuery:
    start: dt.datetime
    end: dt.datetime
    pool: str = ""  # a pool's skill id
    zone: str = ""  # only campaigns in this zone
    conflicting: bool = False  # only campaigns in a conflict in the range
    display_zone: str = "UTC"


def timeline(query: TimelineQuery, pool_link: Callable[[str], str], *, max_bars: int | None = None) -> Chart:
    """The timeline chart of the campaigns the query selects (conflicts are found among all of them); drawn once
    per query while the mirror is kept (the pool links follow from the query)."""
    data = mirror(query.start, query.end)
    # Pauses and stops change without the mirror's fingerprints: they are read every time, and key the drawing.
    holds = tuple(held_spans(query.start, query.end))
    key = ("timeline", query, max_bars, holds)
    chart = data.drawn.get(key)
    if chart is None:
        for drawn in [k for k in list(data.drawn) if k[:3] == key[:3] and k != key]:
            data.drawn.pop(drawn, None)  # the same query before a pause or a stop changed
        chart = data.drawn[key] = _timeline(data, query, pool_link, max_bars, holds)
        chart.page_figure  # noqa: B018 (the page's JSON, made once: the copies share it, as they share the figure)
    return copy.copy(chart)


def _timeline(
    data: Mirror,
    query: TimelineQuery,
    pool_link: Callable[[str], str],
    max_bars: int | None,
    holds: tuple[HeldSpan, ...],
) -> Chart:
    in_conflict = {cid for c in data.conflicts for cid in c.campaigns}
    selected = []
    for cid, row in data.campaigns.items():
        if query.pool and row["pool_key"] != query.pool:
            continue
        if query.zone and row["timezone"] != query.zone:
            continue
        if query.conflicting and cid not in in_conflict:
            continue
        selected.append(
            TimelineCampaign(
                id=cid,
                name=row["name"],
                pool_key=row["pool_key"],
                zone=row["timezone"],
                agents=row["agents_required"],
                url=reverse("campaign-detail", args=[row["pk"]]),
                windows=data.windows[cid],
            )
        )
    pools = {
        key: TimelinePool(key, pool.name, pool.most, pool_link(key), pool.agents_text)
        for key, pool in data.pools.items()
    }
    conflicts = [c for c in data.conflicts if not (query.pool and c.kind == CAPACITY and c.key != query.pool)]
    options = {} if max_bars is None else {"max_bars": max_bars}
    chart = timeline_chart(
        selected,
        conflicts,
        pools,
        start_ts=data.start_ts,
        end_ts=data.end_ts,
        display_zone=query.display_zone,
        holds=holds,
        **options,
    )
    if data.invalid:
        chart.summary += f" {len(data.invalid)} campaign(s) left out: their schedule cannot be expanded."
    return chart
