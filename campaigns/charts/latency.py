"""Activation latency and failures: the share of approvals ACTIVE within the SLO (95 % within 5 minutes),
p50/p95 per day (never an average), a histogram for the tail, and what the failures were. Plain numbers in,
figures out.

What counts, in every figure, table and CSV here: each approval once, from the supervisor's approval to the first
time CXone was seen ACTIVE, however many pushes it took (a failed push retried counts once, from its approval).
An approval never seen ACTIVE (failed, or still waiting past 5 minutes) counts as beyond the SLO; a stale one
(CXone changed the campaign first) is not latency and is left out, as is one younger than 5 minutes.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import plotly.graph_objects as go

from .common import ACCENT, BAD, MUTED, OK, WARN, Chart, base_layout, figure, iso_day, plural
from .durations import Bins, Unit, bin_labels, bins_for, day_axis, unit_for

SLO_SECONDS = 5 * 60
SLO_SHARE = 0.95
NO_ACTIVATIONS = "No activations yet — they appear here once approved drafts are pushed to CXone."
COUNTING_RULE = (
    "Counted per approval: from the supervisor's approval to the first time CXone was seen ACTIVE, however many "
    "pushes it took (a retried push counts once, from its approval). Never ACTIVE (failed, or still waiting "
    "after 5 minutes) counts as beyond the SLO; stale approvals (CXone changed the campaign first) and ones "
    "younger than 5 minutes are left out."
)


def percentile(values: Sequence[float], share: float) -> float:
    """Nearest-rank percentile (the value below which `share` of the sorted values lie); values not empty."""
    ordered = sorted(values)
    rank = max(1, math.ceil(share * len(ordered)))
    return ordered[rank - 1]


@dataclass(frozen=True)
class ApprovalLatency:
    """One approval as the latency charts count it."""

    day: date  # the approval's day (UTC)
    seconds: float | None  # approval → first seen ACTIVE; None: never ACTIVE (failed, or waiting past the SLO)
    pushes: int = 1  # activations it took (a retry adds one)

    @property
    def within_slo(self) -> bool:
        return self.seconds is not None and self.seconds < SLO_SECONDS


@dataclass(frozen=True)
class SloShare:
    within: int  # approvals ACTIVE within 5 minutes of approval
    counted: int  # every approval old enough to tell

    @property
    def share(self) -> float | None:
        return self.within / self.counted if self.counted else None

    @classmethod
    def of(cls, approvals: Sequence[ApprovalLatency]) -> SloShare:
        return cls(sum(a.within_slo for a in approvals), len(approvals))


def _seconds(approvals: Sequence[ApprovalLatency]) -> list[float]:
    return [a.seconds for a in approvals if a.seconds is not None]


def _round(seconds: float) -> float:
    return round(seconds, 1)


def latency_per_day_chart(approvals: Sequence[ApprovalLatency]) -> Chart:
    title = "Activation latency per day: approval → first ACTIVE (days in UTC)"
    columns = ["day_utc", "approvals", "active", "within_slo", "p50_seconds", "p95_seconds"]
    by_day: dict[date, list[ApprovalLatency]] = defaultdict(list)
    for approval in approvals:
        by_day[approval.day].append(approval)
    rows = []
    for day, items in sorted(by_day.items()):
        seconds = _seconds(items)
        rows.append(
            [
                iso_day(day),
                len(items),
                len(seconds),
                sum(a.within_slo for a in items),
                _round(percentile(seconds, 0.5)) if seconds else "",
                _round(percentile(seconds, 0.95)) if seconds else "",
            ]
        )
    days = [(day, _seconds(items)) for day, items in sorted(by_day.items()) if _seconds(items)]
    if not days:
        return Chart(
            "latency",
            title,
            "No approval seen ACTIVE in this range." if approvals else "No activations in this range.",
            "Latency per day: no data.",
            None,
            columns,
            rows,
            empty=NO_ACTIVATIONS if not approvals else "No approval in this range became ACTIVE.",
            note=COUNTING_RULE,
        )
    p50s = [percentile(values, 0.5) for _, values in days]
    p95s = [percentile(values, 0.95) for _, values in days]
    unit = unit_for(max(p95s))
    x = [iso_day(day) for day, _ in days]
    # p95 first, wide and open, p50 on top, narrow and filled: on a day with one activation the two are equal and
    # the p50 circle sits inside the p95 diamond instead of hiding it.
    p95 = go.Scatter(
        mode="lines+markers",
        name="p95",
        x=x,
        y=[unit.of(v) for v in p95s],
        line={"color": WARN, "width": 4, "dash": "dot"},
        marker={"symbol": "diamond-open", "size": 14, "line": {"width": 2}},
        hovertemplate=f"p95 %{{y}} {unit.short}<extra></extra>",
    )
    p50 = go.Scatter(
        mode="lines+markers",
        name="p50 (median)",
        x=x,
        y=[unit.of(v) for v in p50s],
        line={"color": ACCENT, "width": 2},
        marker={"symbol": "circle", "size": 7},
        customdata=[len(values) for _, values in days],
        hovertemplate=f"p50 %{{y}} {unit.short} (%{{customdata}} ACTIVE)<extra></extra>",
    )
    worst = max(range(len(days)), key=lambda i: p95s[i])
    summary = (
        f"{plural(sum(len(v) for _, v in days), 'approval')} seen ACTIVE over {plural(len(days), 'day')}; the "
        f"slowest day was {days[worst][0]:%a %d %b} with p95 {unit.text(p95s[worst])} (SLO: 5 min)."
    )
    layout = base_layout(
        height=320,
        x_title="Day of approval (UTC)",
        y_title=unit.name.capitalize(),
        xaxis=day_axis([day for day, _ in days]),
        hovermode="x unified",
        margin={"l": 60, "r": 20, "t": 10, "b": 56},
        **_slo_line(unit, max(p95s)),
    )
    return Chart(
        "latency",
        title,
        summary,
        f"Line chart of p50 and p95 activation latency per day, in {unit.name}. {summary}",
        figure([p95, p50], layout),
        columns,
        rows,
        note=COUNTING_RULE,
    )


def _slo_line(unit: Unit, largest_seconds: float) -> dict:
    """The SLO as a dashed line where it is in reach of the data; far above seconds-scale data it would squash
    every point to the bottom, so the axis stays on the data and says where the SLO is."""
    at = unit.of(SLO_SECONDS)
    if largest_seconds * 1.5 >= SLO_SECONDS:
        return {
            "yaxis": {"rangemode": "tozero"},
            "shapes": [
                {
                    "type": "line",
                    "xref": "paper",
                    "x0": 0,
                    "x1": 1,
                    "y0": at,
                    "y1": at,
                    "line": {"color": BAD, "dash": "dash", "width": 1},
                }
            ],
            "annotations": [_slo_note(at, "SLO 5 min", "bottom")],
        }
    top = unit.of(largest_seconds * 1.25) or 1
    return {
        "yaxis": {"range": [0, top]},
        "annotations": [_slo_note(top, f"SLO 5 min ({unit.text(SLO_SECONDS)}): above this scale", "top")],
    }


def _slo_note(y: float, text: str, anchor: str) -> dict:
    return {
        "xref": "paper",
        "x": 1,
        "y": y,
        "xanchor": "right",
        "yanchor": anchor,
        "text": text,
        "showarrow": False,
        "font": {"color": BAD, "size": 11},
    }


def latency_histogram_chart(approvals: Sequence[ApprovalLatency]) -> Chart:
    title = "Activation latency: how many approvals took how long"
    columns = ["bin", "from_seconds", "to_seconds", "approvals", "within_slo"]
    if not approvals:
        return Chart(
            "histogram",
            title,
            "No activations in this range.",
            "Latency histogram: no data.",
            None,
            columns,
            empty=NO_ACTIVATIONS,
            note=COUNTING_RULE,
        )
    seconds = _seconds(approvals)
    never = len(approvals) - len(seconds)
    bins = bins_for(seconds, keep_apart=SLO_SECONDS) if seconds else Bins((), None)
    unit = unit_for(bins.scale_end)
    labels = bin_labels(bins, unit)
    counts = [0] * bins.count
    for value in seconds:
        counts[bins.index(value)] += 1
    # The SLO's limit is a bin edge (`keep_apart`), so each bin is wholly within the SLO or wholly beyond it.
    within_slo = [bins.bounds(i)[0] < SLO_SECONDS for i in range(bins.count)]
    rows = [
        [labels[i], bins.bounds(i)[0], _blank(bins.bounds(i)[1]), counts[i], "yes" if within_slo[i] else "no"]
        for i in range(bins.count)
    ]
    if never:
        rows.append(["not ACTIVE", "", "", never, "no"])
    traces = []
    for name, keep, colour, shape in (
        ("Within the SLO (< 5 min)", True, OK, ""),
        ("Beyond the SLO (≥ 5 min)", False, WARN, "/"),
    ):
        picked = [i for i in range(len(counts)) if within_slo[i] == keep]
        if picked:
            traces.append(_bars(name, [labels[i] for i in picked], [counts[i] for i in picked], colour, shape))
    if never:
        traces.append(_bars("Never ACTIVE (failed or still waiting)", ["not ACTIVE"], [never], MUTED, "x"))
    slo = SloShare.of(approvals)
    share = slo.share
    verdict = "meets" if share is not None and share >= SLO_SHARE else "misses"
    spread = (
        f"; p50 {unit.text(percentile(seconds, 0.5))}, p95 {unit.text(percentile(seconds, 0.95))} of those seen "
        "ACTIVE"
        if seconds
        else ""
    )
    summary = (
        f"{slo.within} of {plural(slo.counted, 'approval')} ({share * 100:.1f} %) were ACTIVE within 5 minutes "
        f"({verdict} the 95 % SLO){spread}."
    )
    mark = "✔" if verdict == "meets" else "⚠"
    headline = f"{mark} {share * 100:.1f} % of {slo.counted} ACTIVE within 5 min (SLO 95 %)"
    layout = base_layout(
        height=320,
        x_title=f"Approval to first ACTIVE ({unit.name})",
        y_title="Approvals",
        yaxis={"rangemode": "tozero", "dtick": 1 if max(counts + [never]) <= 10 else None},
        bargap=0.05,
        xaxis={"type": "category", "categoryorder": "array", "categoryarray": labels + ["not ACTIVE"] * bool(never)},
        margin={"l": 60, "r": 20, "t": 10, "b": 56},
    )
    return Chart(
        "histogram",
        title,
        summary,
        f"Histogram of activation latency per approval, in {unit.name}. {summary}",
        figure(traces, layout),
        columns,
        rows,
        headline=headline,
        note=COUNTING_RULE,
    )


def _blank(value):
    return "" if value is None else value


def _bars(name: str, x: list[str], y: list[int], colour: str, shape: str) -> go.Bar:
    marker: dict = {"color": colour}
    if shape:
        marker["pattern"] = {"shape": shape, "fgcolor": "#ffffff", "bgcolor": colour, "solidity": 0.3}
    return go.Bar(
        name=name,
        x=x,
        y=y,
        marker=marker,
        text=[c or "" for c in y],
        textposition="outside",
        hovertemplate="%{x}: %{y} approvals<extra></extra>",
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
