"""The Capacity page's charts, drawn once per range and display zone while the expanded mirror is kept
(dashboards.mirror): at 10 000 campaigns drawing them takes longer than a page may. Each is kept with the JSON the
page receives (Chart.page_figure), which costs about as much again to make: every request gets a copy of the
chart (the view sets its CSV link on it) that shares the kept figure and its JSON, which nobody changes."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from campaigns.charts.capacity import PoolDemand, demand_curve_chart, heatmap_chart
from campaigns.charts.common import Chart
from campaigns.services.reports import dashboards


@dataclass
class CapacityCharts:
    demands: list[PoolDemand]
    heatmap: Chart
    curve_pool: PoolDemand | None  # the pool asked for, else the busiest; None when no pool has demand
    curve: Chart | None


def charts(start: dt.datetime, end: dt.datetime, display_zone: str, pool_key: str = "") -> CapacityCharts:
    """Every pool's demand in [start, end), the heatmap of them and the curve of `pool_key`'s pool (the busiest
    when it names none in use), in `display_zone`: one look at the mirror's fingerprints for all of them."""
    data = dashboards.mirror(start, end)
    demands = dashboards.pool_demands(start, end, data=data)
    start_ts = int(start.timestamp())
    heatmap = _kept(
        data,
        ("heatmap", display_zone),
        lambda: heatmap_chart(demands, start_ts=start_ts, display_zone=display_zone),
    )
    if ("busiest",) not in data.drawn:
        data.drawn[("busiest",)] = busiest(demands)
    pool = next((p for p in demands if p.key == pool_key), None) if pool_key else None
    pool = pool or data.drawn[("busiest",)]
    curve = None
    if pool is not None:
        curve = _kept(
            data,
            ("curve", pool.key, display_zone),
            lambda: demand_curve_chart(pool, start_ts=start_ts, display_zone=display_zone),
        )
    return CapacityCharts(demands, heatmap, pool, curve)


def heatmap(start: dt.datetime, end: dt.datetime, display_zone: str) -> tuple[list[PoolDemand], Chart]:
    """Every pool's demand in [start, end) and the heatmap of them in `display_zone` (a copy)."""
    found = charts(start, end, display_zone)
    return found.demands, found.heatmap


def _kept(data: dashboards.Mirror, key: tuple, draw: Callable[[], Chart]) -> Chart:
    chart = data.drawn.get(key)
    if chart is None:
        chart = draw()
        chart.page_figure  # noqa: B018 (made once, before the copies share it)
        data.drawn[key] = chart
    return copy.copy(chart)


def busiest(demands: list[PoolDemand]) -> PoolDemand | None:
    """The pool with the highest utilisation at its peak (overloaded ones first)."""
    if not demands:
        return None
    return max(demands, key=lambda p: (max(_share(p), default=0), p.name))


def _share(pool: PoolDemand) -> list[float]:
    return [peak / max(pool.available_at(i), 1) for i, peak in enumerate(pool.peaks)]
