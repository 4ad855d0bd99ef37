"""Capacity: agents required against agents available per pool, in 15-minute intervals.

A heatmap of utilisation (pools × intervals) to find the hot spots, and one pool's demand curve against its
capacity with the overloaded intervals marked (red ✕ markers, named in the legend: never colour alone).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import plotly.graph_objects as go

from campaigns.scheduling.intervals import INTERVAL_SECONDS

from .common import (
    ACCENT,
    BAD,
    INK,
    MUTED,
    Chart,
    axis_ms,
    base_layout,
    figure,
    iso_local,
    iso_utc,
    local_text,
    plural,
    zone_of,
    zone_title,
)

COLUMNS = [
    "pool",
    "interval_start_utc",
    "interval_start_local",
    "local_zone",
    "agents_required",
    "agents_available",
    "utilisation_pct",
    "overloaded",
]
# Utilisation colours: calm up to 100 %, then unmistakably red; cells over 150 % look the same.
COLOURSCALE = [
    [0.0, "#f3f6fb"],
    [0.666, "#2f5f9f"],  # 100 %: the pool is exactly full
    [0.667, "#f4a259"],  # just over: orange, then red
    [1.0, BAD],
]
Z_MAX = 150


@dataclass(frozen=True)
class PoolDemand:
    key: str
    name: str
    agents: int  # available (the usual number where a staffing varies by hour)
    peaks: tuple[int, ...]  # agents required: the peak in each interval
    available: tuple[int, ...] = ()  # agents staffed in each interval (the fewest); empty: `agents` throughout

    @property
    def varies(self) -> bool:
        return bool(self.available) and len(set(self.available)) > 1

    @property
    def label(self) -> str:
        if self.varies:
            return f"{self.name} ({min(self.available)}–{max(self.available)} agents by hour)"
        return f"{self.name} ({self.available[0] if self.available else self.agents} agents)"

    def available_at(self, index: int) -> int:
        return self.available[index] if self.available else self.agents

    def overloaded(self) -> list[int]:
        return [i for i, peak in enumerate(self.peaks) if peak > self.available_at(i)]


def utilisation(required: int, available: int) -> float | None:
    """Per cent of the pool's agents the interval needs; a pool with no agents is full once anyone dials."""
    if available <= 0:
        return None if required == 0 else float(Z_MAX)
    return round(required * 100 / available, 1)


def _axis(start_ts: int, count: int, zone) -> list[int]:
    return [axis_ms(start_ts + i * INTERVAL_SECONDS, zone) for i in range(count)]


def table_rows(pools: Sequence[PoolDemand], start_ts: int, display_zone: str) -> list[list]:
    zone = zone_of(display_zone)
    rows = []
    for pool in pools:
        for index, peak in enumerate(pool.peaks):
            ts = start_ts + index * INTERVAL_SECONDS
            available = pool.available_at(index)
            util = utilisation(peak, available)
            rows.append(
                [
                    pool.name,
                    iso_utc(ts),
                    iso_local(ts, zone),
                    zone_title(display_zone),
                    peak,
                    available,
                    "" if util is None else util,
                    "yes" if peak > available else "no",
                ]
            )
    return rows


def heatmap_chart(pools: Sequence[PoolDemand], *, start_ts: int, display_zone: str = "UTC") -> Chart:
    zone = zone_of(display_zone)
    title = f"Utilisation per pool, 15-minute intervals ({zone_title(display_zone)})"
    if not pools or not any(p.peaks for p in pools):
        return Chart(
            "heatmap",
            title,
            "No pools to show.",
            "Capacity heatmap: no pools.",
            None,
            COLUMNS,
            empty="No capacity pools yet. Pools come from CXone skills with the next sync.",
        )
    count = len(pools[0].peaks)
    x = _axis(start_ts, count, zone)
    labels = [p.label for p in pools]
    z = [[utilisation(peak, p.available_at(i)) for i, peak in enumerate(p.peaks)] for p in pools]
    over_x, over_y, over_text = [], [], []
    for pool in pools:
        for index in pool.overloaded():
            over_x.append(x[index])
            over_y.append(pool.label)
            over_text.append(f"{pool.peaks[index]} of {pool.available_at(index)}")
    # A value per pool and interval, tens of thousands over two weeks: dicts, validated once (common.figure).
    heat = {
        "type": "heatmap",
        "name": "Utilisation",
        "x": x,
        "y": labels,
        "z": z,
        "customdata": [list(p.peaks) for p in pools],
        "zmin": 0,
        "zmax": Z_MAX,
        "colorscale": COLOURSCALE,
        "colorbar": {"title": {"text": "% of agents"}, "ticksuffix": " %", "len": 0.9},
        "xgap": 0,
        "ygap": 2,
        "hovertemplate": "%{y}<br>%{x|%a %d %b %H:%M} "
        + zone_title(display_zone)
        + "<br>%{customdata} agents required · %{z:.0f} %<extra></extra>",
    }
    marks = {
        "type": "scatter",
        "mode": "markers",
        "name": "Overloaded interval (required > available)",
        "x": over_x,
        "y": over_y,
        "text": over_text,
        "marker": {"symbol": "x-thin", "size": 5, "color": INK, "line": {"width": 1, "color": INK}},
        "hovertemplate": "⚠ %{y} over capacity<br>%{x|%a %d %b %H:%M} "
        + zone_title(display_zone)
        + "<br>%{text} agents<extra></extra>",
    }
    overloaded_pools = [p for p in pools if p.overloaded()]
    intervals = sum(len(p.overloaded()) for p in pools)
    busiest = max(pools, key=lambda p: max(_shares(p), default=0))
    summary = (
        f"{plural(len(pools), 'pool')} over {plural(count, '15-minute interval')}: "
        + (
            f"{plural(intervals, 'interval')} over capacity in {plural(len(overloaded_pools), 'pool')}"
            if intervals
            else "no interval over capacity"
        )
        + f"; highest utilisation in {busiest.name} ({max(_shares(busiest), default=0) * 100:.0f} %)."
    )
    layout = base_layout(
        height=max(260, 140 + 28 * len(pools)),
        x_title=f"Time ({zone_title(display_zone)})",
        y_title="Pool",
        xaxis={"type": "date", "tickformat": "%a %d %b\n%H:%M"},
        yaxis={"autorange": "reversed", "automargin": True, "type": "category"},
        margin={"l": 10, "r": 10, "t": 10, "b": 60},
    )
    data = [heat] + ([marks] if over_x else [])
    return Chart(
        "heatmap",
        title,
        summary,
        f"Heatmap of utilisation, pools by 15-minute interval. {summary}",
        figure(data, layout),
        COLUMNS,
        table_rows(pools, start_ts, display_zone),
    )


def _shares(pool: PoolDemand) -> list[float]:
    """Each interval's agents required as a share of those available then (an unstaffed interval with demand
    counts as 1.5: over, as the heatmap draws it)."""
    return [
        peak / available if available > 0 else (Z_MAX / 100 if peak else 0)
        for peak, available in ((peak, pool.available_at(i)) for i, peak in enumerate(pool.peaks))
    ]


def demand_curve_chart(pool: PoolDemand, *, start_ts: int, display_zone: str = "UTC") -> Chart:
    zone = zone_of(display_zone)
    title = f"{pool.name}: agents required vs available, 15-minute intervals ({zone_title(display_zone)})"
    count = len(pool.peaks)
    x = _axis(start_ts, count, zone)
    over = pool.overloaded()
    required = go.Scatter(
        mode="lines",
        name="Agents required (peak in the interval)",
        x=x,
        y=list(pool.peaks),
        line={"shape": "hv", "color": ACCENT, "width": 2},
        fill="tozeroy",
        fillcolor="rgba(31,95,191,0.12)",
        hovertemplate="%{x|%a %d %b %H:%M} "
        + zone_title(display_zone)
        + "<br>%{y} agents required<extra></extra>",
    )
    end_x = axis_ms(start_ts + count * INTERVAL_SECONDS, zone)
    if pool.varies:
        # The staffing by interval, as steps (the last value held to the end of the range).
        available = go.Scatter(
            mode="lines",
            name="Agents available (weekly staffing)",
            x=[*x, end_x],
            y=[*pool.available, pool.available[-1]],
            line={"shape": "hv", "color": MUTED, "dash": "dash", "width": 2},
            hovertemplate="%{y} agents staffed<extra></extra>",
        )
        has = f"{min(pool.available)}–{max(pool.available)} agents by hour"
    else:
        flat = pool.available_at(0) if count else pool.agents
        available = go.Scatter(
            mode="lines",
            name=f"Agents available ({flat})",
            x=[x[0], end_x] if x else [],
            y=[flat, flat],
            line={"color": MUTED, "dash": "dash", "width": 2},
            hoverinfo="skip",
        )
        has = f"{flat} agents"
    # The part of each overloaded interval above capacity, as a red hatched bar on top of the capacity line.
    marks = go.Bar(
        name="Over capacity (required − available)",
        x=[x[i] + INTERVAL_SECONDS * 500 for i in over],  # centred on the interval
        base=[pool.available_at(i) for i in over],
        y=[pool.peaks[i] - pool.available_at(i) for i in over],
        width=[INTERVAL_SECONDS * 1000] * len(over),
        customdata=[[pool.peaks[i], pool.available_at(i)] for i in over],
        marker={
            "color": BAD,
            "line": {"width": 0},
            "pattern": {"shape": "/", "fgcolor": "#ffffff", "bgcolor": BAD, "size": 5, "solidity": 0.3},
        },
        hovertemplate="⚠ over capacity by %{y}: %{customdata[0]} of %{customdata[1]} agents<extra></extra>",
    )
    peak = max(pool.peaks, default=0)
    first = f"; the first at {local_text(start_ts + over[0] * INTERVAL_SECONDS, zone)}" if over else ""
    summary = f"{pool.name} has {has}; its campaigns need up to {peak} at once. " + (
        f"{plural(len(over), 'interval')} over capacity ({len(over) / 4:.2f} h){first}."
        if over
        else "No interval over capacity."
    )
    layout = base_layout(
        height=360,
        x_title=f"Time ({zone_title(display_zone)})",
        y_title="Agents",
        xaxis={"type": "date", "tickformat": "%a %d %b\n%H:%M"},
        yaxis={"rangemode": "tozero"},
        margin={"l": 60, "r": 20, "t": 10, "b": 60},
        hovermode="x unified",
    )
    data = [required, available] + ([marks] if over else [])
    return Chart(
        "curve",
        title,
        summary,
        f"Line chart of agents required against agents available for {pool.name}. {summary}",
        figure(data, layout),
        COLUMNS,
        table_rows([pool], start_ts, display_zone),
    )
