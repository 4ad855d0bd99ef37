"""Activation latency and failures: the share ACTIVE within the SLO (95 % within 5 minutes), p50/p95 per day
(never an average), a histogram for the tail, and what the failures were. Plain numbers in, figures out.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import plotly.graph_objects as go

from .common import ACCENT, BAD, OK, WARN, Chart, base_layout, figure, iso_day, plural

SLO_SECONDS = 5 * 60
SLO_SHARE = 0.95
HISTOGRAM_MINUTES = 15  # one bin per minute up to here, then one "15 min or more" bin
NO_ACTIVATIONS = "No activations yet — they appear here once approved drafts are pushed to CXone."


def percentile(values: Sequence[float], share: float) -> float:
    """Nearest-rank percentile (the value below which `share` of the sorted values lie); values not empty."""
    ordered = sorted(values)
    rank = max(1, math.ceil(share * len(ordered)))
    return ordered[rank - 1]


@dataclass(frozen=True)
class DayLatency:
    day: date
    count: int
    p50_seconds: float
    p95_seconds: float


def latency_per_day_chart(days: Sequence[DayLatency]) -> Chart:
    title = "Activation latency per day: approval → ACTIVE (minutes; days in UTC)"
    columns = ["day_utc", "activations", "p50_minutes", "p95_minutes"]
    rows = [
        [iso_day(d.day), d.count, round(d.p50_seconds / 60, 2), round(d.p95_seconds / 60, 2)] for d in days
    ]
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
    x = [iso_day(d.day) for d in days]
    p50 = go.Scatter(
        mode="lines+markers",
        name="p50 (median)",
        x=x,
        y=[round(d.p50_seconds / 60, 2) for d in days],
        line={"color": ACCENT, "width": 2},
        marker={"symbol": "circle", "size": 7},
        customdata=[d.count for d in days],
        hovertemplate="%{x}<br>p50 %{y:.1f} min (%{customdata} activations)<extra></extra>",
    )
    p95 = go.Scatter(
        mode="lines+markers",
        name="p95",
        x=x,
        y=[round(d.p95_seconds / 60, 2) for d in days],
        line={"color": WARN, "width": 2, "dash": "dot"},
        marker={"symbol": "diamond", "size": 8},
        hovertemplate="%{x}<br>p95 %{y:.1f} min<extra></extra>",
    )
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
    within = go.Bar(
        name="Within the SLO (< 5 min)",
        x=labels[:5],
        y=counts[:5],
        marker={"color": OK},
        text=[c or "" for c in counts[:5]],
        textposition="outside",
        hovertemplate="%{x} min: %{y} activations<extra></extra>",
    )
    beyond = go.Bar(
        name="Beyond the SLO (≥ 5 min)",
        x=labels[5:],
        y=counts[5:],
        marker={
            "color": WARN,
            "pattern": {"shape": "/", "fgcolor": "#ffffff", "bgcolor": WARN, "solidity": 0.3},
        },
        text=[c or "" for c in counts[5:]],
        textposition="outside",
        hovertemplate="%{x} min: %{y} activations<extra></extra>",
    )
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
    bars = go.Bar(
        orientation="h",
        name="Failed activations",
        y=[r for r, _ in ordered],
        x=[c for _, c in ordered],
        text=[str(c) for _, c in ordered],
        textposition="outside",
        marker={"color": BAD},
        hovertemplate="%{y}<br>%{x} failed<extra></extra>",
    )
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
