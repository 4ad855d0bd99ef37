"""The Capacity page's heatmap, drawn once per range and display zone while the expanded mirror is kept
(dashboards.mirror): at 10 000 campaigns drawing it takes longer than a page may."""

from __future__ import annotations

import copy
import datetime as dt

from campaigns.charts.capacity import PoolDemand, heatmap_chart
from campaigns.charts.common import Chart
from campaigns.services.reports import dashboards


def heatmap(start: dt.datetime, end: dt.datetime, display_zone: str) -> tuple[list[PoolDemand], Chart]:
    """Every pool's demand in [start, end) and the heatmap of them in `display_zone` (a copy: the page sets its
    CSV link on it)."""
    data = dashboards.mirror(start, end)
    demands = dashboards.pool_demands(start, end)
    key = ("heatmap", display_zone)
    chart = data.drawn.get(key)
    if chart is None:
        chart = data.drawn[key] = heatmap_chart(
            demands, start_ts=int(start.timestamp()), display_zone=display_zone
        )
    return demands, copy.copy(chart)
