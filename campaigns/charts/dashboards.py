"""The manager's dashboards besides latency (charts/latency.py): conflicts per week and WFM delivery health.
Each builder gets plain numbers; the queries are in services/dashboards.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import plotly.graph_objects as go

from .common import ACCENT_LIGHT, BAD, INK, MUTED, OK, WARN, Chart, base_layout, figure, iso_day, plural
from .durations import DAY_MS, day_axis


@dataclass(frozen=True)
class WeekConflicts:
    week_start: date  # a Monday
    overload_hours: float
    overloads: int  # bands (touching intervals merged)
    clash_hours: float
    clashes: int


def conflicts_per_week_chart(weeks: Sequence[WeekConflicts]) -> Chart:
    title = "Conflicts per week (current schedules, weeks from Monday, UTC)"
    columns = ["week_start", "overload_hours", "overloads", "clash_hours", "clashes"]
    rows = [
        [iso_day(w.week_start), round(w.overload_hours, 2), w.overloads, round(w.clash_hours, 2), w.clashes]
        for w in weeks
    ]
    if not weeks:
        return Chart(
            "conflicts",
            title,
            "No weeks in range.",
            "Conflicts per week: none.",
            None,
            columns,
            empty="No weeks in this range.",
        )
    x = [f"{w.week_start:%d %b}" for w in weeks]
    overload = go.Bar(
        name="Capacity overload (hours)",
        x=x,
        y=[round(w.overload_hours, 2) for w in weeks],
        text=[f"{w.overload_hours:.1f} h ({w.overloads})" for w in weeks],
        textposition="outside",
        marker={
            "color": BAD,
            "pattern": {"shape": "/", "fgcolor": "#ffffff", "bgcolor": BAD, "solidity": 0.3},
        },
        hovertemplate="Week of %{x}<br>%{y:.1f} h over capacity<extra></extra>",
    )
    clash = go.Bar(
        name="Contact-list clash (hours)",
        x=x,
        y=[round(w.clash_hours, 2) for w in weeks],
        text=[f"{w.clash_hours:.1f} h ({w.clashes})" for w in weeks],
        textposition="outside",
        marker={
            "color": ACCENT_LIGHT,
            "pattern": {"shape": "x", "fgcolor": INK, "bgcolor": ACCENT_LIGHT, "solidity": 0.2},
        },
        hovertemplate="Week of %{x}<br>%{y:.1f} h of clashes<extra></extra>",
    )
    first = weeks[0]
    total_overload = sum(w.overload_hours for w in weeks)
    total_clash = sum(w.clash_hours for w in weeks)
    summary = (
        f"This week (from {first.week_start:%a %d %b}): {first.overload_hours:.1f} h of capacity overload "
        f"and {first.clash_hours:.1f} h of contact-list clashes; over {plural(len(weeks), 'week')}: "
        f"{total_overload:.1f} h and {total_clash:.1f} h."
    )
    layout = base_layout(
        height=340,
        x_title="Week starting (Monday 00:00 UTC)",
        y_title="Hours",
        barmode="group",
        yaxis={"rangemode": "tozero"},
        margin={"l": 60, "r": 20, "t": 10, "b": 56},
    )
    headline = f"{first.overload_hours:.1f} h over capacity this week"
    return Chart(
        "conflicts",
        title,
        summary,
        f"Bar chart of conflict hours per week. {summary}",
        figure([overload, clash], layout),
        columns,
        rows,
        headline=headline,
    )


@dataclass(frozen=True)
class DayDeliveries:
    day: date
    delivered: int
    retrying: int  # pending after at least one failed attempt
    waiting: int  # pending, not tried yet
    dead: int


def webhook_health_chart(days: Sequence[DayDeliveries]) -> Chart:
    title = "WFM webhook deliveries by day created (UTC) and where they are now"
    columns = ["day_utc", "delivered", "retrying", "waiting", "dead"]
    rows = [[iso_day(d.day), d.delivered, d.retrying, d.waiting, d.dead] for d in days]
    if not days:
        return Chart(
            "webhooks",
            title,
            "No webhook deliveries in this range.",
            "Webhook health: no data.",
            None,
            columns,
            empty="No webhook deliveries yet — each activation that goes live or fails is announced to WFM.",
        )
    x = [iso_day(d.day) for d in days]

    def series(name, values, colour, shape):
        marker = {"color": colour}
        if shape:
            marker["pattern"] = {"shape": shape, "fgcolor": "#ffffff", "bgcolor": colour, "solidity": 0.35}
        return go.Bar(
            name=name,
            x=x,
            y=values,
            marker=marker,
            # Most of a day wide: on a date axis plotly would otherwise size a lone day's bar to nothing.
            width=[0.8 * DAY_MS] * len(x),
            hovertemplate="%{x}<br>%{y} " + name.lower() + "<extra></extra>",
        )

    # The Webhooks page's words (models/webhooks.py STATES), two of them grouped.
    data = [
        series("Delivered", [d.delivered for d in days], OK, ""),
        series("Retrying or throttled", [d.retrying for d in days], WARN, "/"),
        series("Waiting", [d.waiting for d in days], MUTED, "."),
        series("Dead-lettered or stopped", [d.dead for d in days], BAD, "x"),
    ]
    totals = [sum(getattr(d, name) for d in days) for name in ("delivered", "retrying", "waiting", "dead")]
    headline = f"{totals[3]} dead-lettered or stopped, {totals[1]} retrying"
    summary = (
        f"{plural(sum(totals), 'delivery', 'deliveries')}: {totals[0]} delivered, {totals[1]} retrying or "
        f"throttled, {totals[2]} waiting, {totals[3]} dead-lettered or stopped"
        + (" — those need a redelivery (or the endpoint resumed)." if totals[3] else ".")
    )
    layout = base_layout(
        height=320,
        x_title="Day created (UTC)",
        y_title="Deliveries",
        barmode="stack",
        xaxis=day_axis([d.day for d in days]),
        yaxis={"rangemode": "tozero"},
        margin={"l": 60, "r": 20, "t": 10, "b": 56},
        legend={"traceorder": "normal"},
    )
    return Chart(
        "webhooks",
        title,
        summary,
        f"Stacked bar chart of webhook deliveries per day. {summary}",
        figure(data, layout),
        columns,
        rows,
        headline=headline,
    )
