"""The manager's dashboards: conflicts per week, activation latency, failures by reason, WFM delivery health.

Latency is shown as a share within the SLO (95 % ACTIVE within 5 minutes) and as p50/p95 per day, never as an
average; a histogram shows the tail. Each builder gets plain numbers; the queries are in services/dashboards.py.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from .common import ACCENT, ACCENT_LIGHT, BAD, INK, MUTED, OK, WARN, Chart, base_layout, figure, plural

SLO_SECONDS = 5 * 60
SLO_SHARE = 0.95
HISTOGRAM_MINUTES = 15  # one bin per minute up to here, then one "15 min or more" bin
NO_ACTIVATIONS = "No activations yet — they appear here once approved drafts are pushed to CXone."


def percentile(values: Sequence[float], share: float) -> float:
    """Nearest-rank percentile (the value below which `share` of the sorted values lie); values not empty."""
    ordered = sorted(values)
    rank = max(1, math.ceil(share * len(ordered)))
    return ordered[rank - 1]


def _day(value: date) -> str:
    return value.isoformat()


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
        [_day(w.week_start), round(w.overload_hours, 2), w.overloads, round(w.clash_hours, 2), w.clashes]
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
    overload = {
        "type": "bar",
        "name": "Capacity overload (hours)",
        "x": x,
        "y": [round(w.overload_hours, 2) for w in weeks],
        "text": [f"{w.overload_hours:.1f} h ({w.overloads})" for w in weeks],
        "textposition": "outside",
        "marker": {
            "color": BAD,
            "pattern": {"shape": "/", "fgcolor": "#ffffff", "bgcolor": BAD, "solidity": 0.3},
        },
        "hovertemplate": "Week of %{x}<br>%{y:.1f} h over capacity<extra></extra>",
    }
    clash = {
        "type": "bar",
        "name": "Contact-list clash (hours)",
        "x": x,
        "y": [round(w.clash_hours, 2) for w in weeks],
        "text": [f"{w.clash_hours:.1f} h ({w.clashes})" for w in weeks],
        "textposition": "outside",
        "marker": {
            "color": ACCENT_LIGHT,
            "pattern": {"shape": "x", "fgcolor": INK, "bgcolor": ACCENT_LIGHT, "solidity": 0.2},
        },
        "hovertemplate": "Week of %{x}<br>%{y:.1f} h of clashes<extra></extra>",
    }
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
class DayLatency:
    day: date
    count: int
    p50_seconds: float
    p95_seconds: float


def latency_per_day_chart(days: Sequence[DayLatency]) -> Chart:
    title = "Activation latency per day: approval → ACTIVE (minutes; days in UTC)"
    columns = ["day_utc", "activations", "p50_minutes", "p95_minutes"]
    rows = [[_day(d.day), d.count, round(d.p50_seconds / 60, 2), round(d.p95_seconds / 60, 2)] for d in days]
    if not days:
        return Chart(
            "latency",
            title,
            "No activations in this range.",
            "Latency per day: no data.",
            None,
            columns,
            empty=NO_ACTIVATIONS,
        )
    x = [_day(d.day) for d in days]
    p50 = {
        "type": "scatter",
        "mode": "lines+markers",
        "name": "p50 (median)",
        "x": x,
        "y": [round(d.p50_seconds / 60, 2) for d in days],
        "line": {"color": ACCENT, "width": 2},
        "marker": {"symbol": "circle", "size": 7},
        "customdata": [d.count for d in days],
        "hovertemplate": "%{x}<br>p50 %{y:.1f} min (%{customdata} activations)<extra></extra>",
    }
    p95 = {
        "type": "scatter",
        "mode": "lines+markers",
        "name": "p95",
        "x": x,
        "y": [round(d.p95_seconds / 60, 2) for d in days],
        "line": {"color": WARN, "width": 2, "dash": "dot"},
        "marker": {"symbol": "diamond", "size": 8},
        "hovertemplate": "%{x}<br>p95 %{y:.1f} min<extra></extra>",
    }
    worst = max(days, key=lambda d: d.p95_seconds)
    summary = (
        f"{plural(sum(d.count for d in days), 'activation')} over {plural(len(days), 'day')}; "
        f"the slowest day was {worst.day:%a %d %b} with p95 {worst.p95_seconds / 60:.1f} min "
        f"(SLO: 5 min)."
    )
    layout = base_layout(
        height=320,
        x_title="Day (UTC)",
        y_title="Minutes",
        yaxis={"rangemode": "tozero"},
        xaxis={"type": "date", "tickformat": "%a %d %b"},
        margin={"l": 60, "r": 20, "t": 10, "b": 56},
        shapes=[
            {
                "type": "line",
                "xref": "paper",
                "x0": 0,
                "x1": 1,
                "y0": 5,
                "y1": 5,
                "line": {"color": BAD, "dash": "dash", "width": 1},
            }
        ],
        annotations=[
            {
                "xref": "paper",
                "x": 1,
                "y": 5,
                "xanchor": "right",
                "yanchor": "bottom",
                "text": "SLO 5 min",
                "showarrow": False,
                "font": {"color": BAD, "size": 11},
            }
        ],
    )
    return Chart(
        "latency",
        title,
        summary,
        f"Line chart of p50 and p95 activation latency per day. {summary}",
        figure([p50, p95], layout),
        columns,
        rows,
    )


@dataclass(frozen=True)
class SloShare:
    within: int  # ACTIVE within 5 minutes of approval
    counted: int  # every activation old enough to tell

    @property
    def share(self) -> float | None:
        return self.within / self.counted if self.counted else None


def latency_histogram_chart(latencies_seconds: Sequence[float], slo: SloShare) -> Chart:
    title = "Activation latency: how many took how long (minutes)"
    columns = ["from_minutes", "to_minutes", "activations", "within_slo"]
    if not latencies_seconds:
        return Chart(
            "histogram",
            title,
            "No activations in this range.",
            "Latency histogram: no data.",
            None,
            columns,
            empty=NO_ACTIVATIONS,
        )
    counts = [0] * (HISTOGRAM_MINUTES + 1)
    for seconds in latencies_seconds:
        counts[min(int(seconds // 60), HISTOGRAM_MINUTES)] += 1
    labels = [f"{m}–{m + 1}" for m in range(HISTOGRAM_MINUTES)] + [f"≥ {HISTOGRAM_MINUTES}"]
    rows = [
        [m, m + 1 if m < HISTOGRAM_MINUTES else "", counts[m], "yes" if m < 5 else "no"]
        for m in range(HISTOGRAM_MINUTES + 1)
    ]
    within = {
        "type": "bar",
        "name": "Within the SLO (< 5 min)",
        "x": labels[:5],
        "y": counts[:5],
        "marker": {"color": OK},
        "text": [c or "" for c in counts[:5]],
        "textposition": "outside",
        "hovertemplate": "%{x} min: %{y} activations<extra></extra>",
    }
    beyond = {
        "type": "bar",
        "name": "Beyond the SLO (≥ 5 min)",
        "x": labels[5:],
        "y": counts[5:],
        "marker": {
            "color": WARN,
            "pattern": {"shape": "/", "fgcolor": "#ffffff", "bgcolor": WARN, "solidity": 0.3},
        },
        "text": [c or "" for c in counts[5:]],
        "textposition": "outside",
        "hovertemplate": "%{x} min: %{y} activations<extra></extra>",
    }
    share = slo.share
    verdict = "meets" if share is not None and share >= SLO_SHARE else "misses"
    summary = (
        f"{share * 100:.1f} % of {plural(slo.counted, 'activation')} were ACTIVE within 5 minutes "
        f"({verdict} the 95 % SLO); p50 {percentile(latencies_seconds, 0.5) / 60:.1f} min, "
        f"p95 {percentile(latencies_seconds, 0.95) / 60:.1f} min."
        if share is not None
        else "No activation is old enough to judge against the SLO yet."
    )
    headline = (
        f"{'✔' if verdict == 'meets' else '⚠'} {share * 100:.1f} % ACTIVE within 5 min (SLO 95 %)"
        if share is not None
        else "No activation to judge yet"
    )
    layout = base_layout(
        height=320,
        x_title="Minutes from approval to ACTIVE",
        y_title="Activations",
        yaxis={"rangemode": "tozero"},
        bargap=0.05,
        xaxis={"type": "category"},
        margin={"l": 60, "r": 20, "t": 10, "b": 56},
    )
    return Chart(
        "histogram",
        title,
        summary,
        f"Histogram of activation latency in minutes. {summary}",
        figure([within, beyond], layout),
        columns,
        rows,
        headline=headline,
    )


def failures_chart(reasons: Sequence[tuple[str, int]]) -> Chart:
    title = "Failed activations by reason"
    columns = ["reason", "activations"]
    rows = [[reason, count] for reason, count in reasons]
    if not reasons:
        return Chart(
            "failures",
            title,
            "No failed activations in this range.",
            "Failures by reason: none.",
            None,
            columns,
            empty="No failed activations in this range.",
        )
    ordered = sorted(reasons, key=lambda r: (-r[1], r[0]))
    bars = {
        "type": "bar",
        "orientation": "h",
        "name": "Failed activations",
        "y": [r for r, _ in ordered],
        "x": [c for _, c in ordered],
        "text": [str(c) for _, c in ordered],
        "textposition": "outside",
        "marker": {"color": BAD},
        "hovertemplate": "%{y}<br>%{x} failed<extra></extra>",
    }
    top = ordered[0]
    headline = plural(sum(c for _, c in ordered), "failed activation")
    summary = (
        f"{plural(sum(c for _, c in ordered), 'failed activation')} for "
        f"{plural(len(ordered), 'reason')}; most often: {top[0]} ({top[1]})."
    )
    layout = base_layout(
        height=max(220, 110 + 32 * len(ordered)),
        x_title="Failed activations (count)",
        y_title="Reason",
        yaxis={"autorange": "reversed", "automargin": True, "type": "category"},
        xaxis={"rangemode": "tozero", "dtick": 1 if top[1] <= 10 else None},
        margin={"l": 10, "r": 30, "t": 10, "b": 56},
        showlegend=False,
    )
    return Chart(
        "failures",
        title,
        summary,
        f"Bar chart of failed activations by reason. {summary}",
        figure([bars], layout),
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
    rows = [[_day(d.day), d.delivered, d.retrying, d.waiting, d.dead] for d in days]
    if not days:
        return Chart(
            "webhooks",
            title,
            "No webhook deliveries in this range.",
            "Webhook health: no data.",
            None,
            columns,
            empty="No webhook deliveries yet — each activation's outcome is announced to WFM.",
        )
    x = [_day(d.day) for d in days]

    def series(name, values, colour, shape):
        marker = {"color": colour}
        if shape:
            marker["pattern"] = {"shape": shape, "fgcolor": "#ffffff", "bgcolor": colour, "solidity": 0.35}
        return {
            "type": "bar",
            "name": name,
            "x": x,
            "y": values,
            "marker": marker,
            "hovertemplate": "%{x}<br>%{y} " + name.lower() + "<extra></extra>",
        }

    data = [
        series("Delivered", [d.delivered for d in days], OK, ""),
        series("Retrying", [d.retrying for d in days], WARN, "/"),
        series("Waiting", [d.waiting for d in days], MUTED, "."),
        series("Dead", [d.dead for d in days], BAD, "x"),
    ]
    totals = [sum(getattr(d, name) for d in days) for name in ("delivered", "retrying", "waiting", "dead")]
    headline = f"{plural(totals[3], 'dead delivery', 'dead deliveries')}, {totals[1]} retrying"
    summary = (
        f"{plural(sum(totals), 'delivery', 'deliveries')}: {totals[0]} delivered, {totals[1]} retrying, "
        f"{totals[2]} waiting, {totals[3]} dead" + (" — dead ones need a redelivery." if totals[3] else ".")
    )
    layout = base_layout(
        height=320,
        x_title="Day created (UTC)",
        y_title="Deliveries",
        barmode="stack",
        xaxis={"type": "date", "tickformat": "%a %d %b"},
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


__all__ = [
    "DayDeliveries",
    "DayLatency",
    "SloShare",
    "WeekConflicts",
    "conflicts_per_week_chart",
    "failures_chart",
    "latency_histogram_chart",
    "latency_per_day_chart",
    "percentile",
    "webhook_health_chart",
]
