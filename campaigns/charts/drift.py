"""Changes made in CXone behind the planners' back ("drift"): how many were found each week and where each stands
now, and how long people took to answer them (p50 / p95 per week, never an average). Plain numbers in, figures
out; the queries are in services/reports/drift_weeks.py."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import plotly.graph_objects as go

from .common import ACCENT, ACCENT_LIGHT, BAD, MUTED, OK, WARN, Chart, base_layout, figure, iso_day, plural

NO_DRIFT = "No changes made in CXone in this range — each sync compares CXone with what was approved here."
NOT_ANSWERED = (
    "None answered yet: each campaign changed in CXone offers Keep CXone's and Restore approved on its page."
)
# (field of WeekDrift, legend, colour, pattern): open first, as the one that needs someone.
STANDINGS = (
    ("open", "Not answered yet", BAD, "x"),
    ("restored", "Restore approved", OK, ""),
    ("kept", "Kept CXone's", MUTED, "/"),
    ("reverted", "Changed back in CXone", ACCENT_LIGHT, "."),
    ("replaced", "Replaced by an approved draft", ACCENT, "\\"),
)


@dataclass(frozen=True)
class WeekDrift:
    week_start: date  # a Monday
    open: int
    restored: int
    kept: int
    reverted: int
    replaced: int

    @property
    def found(self) -> int:
        return self.open + self.restored + self.kept + self.reverted + self.replaced


def drift_per_week_chart(weeks: Sequence[WeekDrift]) -> Chart:
    title = "Changes made in CXone per week (by week first seen, from Monday, UTC) and where they stand"
    columns = ["week_start", "found", *[name for name, *_ in STANDINGS]]
    rows = [[iso_day(w.week_start), w.found, *[getattr(w, name) for name, *_ in STANDINGS]] for w in weeks]
    total = sum(w.found for w in weeks)
    if not total:
        return Chart("drift", title, "No changes made in CXone in this range.", "Drift per week: none.", None,
                     columns, rows, empty=NO_DRIFT)  # fmt: skip
    x = [iso_day(w.week_start) for w in weeks]
    data = []
    for name, legend, colour, shape in STANDINGS:
        marker = {"color": colour}
        if shape:
            marker["pattern"] = {"shape": shape, "fgcolor": "#ffffff", "bgcolor": colour, "solidity": 0.35}
        data.append(
            go.Bar(
                name=legend,
                x=x,
                y=[getattr(w, name) for w in weeks],
                marker=marker,
                hovertemplate="Week of %{x}<br>%{y} " + legend.lower() + "<extra></extra>",
            )
        )
    waiting = sum(w.open for w in weeks)
    summary = f"{plural(total, 'change')} made in CXone found over {plural(len(weeks), 'week')}; " + (
        f"{waiting} not answered yet." if waiting else "every one answered."
    )
    layout = base_layout(
        height=320,
        x_title="Week first seen (Monday 00:00 UTC)",
        y_title="Changes found",
        barmode="stack",
        xaxis={"type": "date", "tickformat": "%d %b"},
        yaxis={"rangemode": "tozero", "dtick": 1 if total < 10 else None},
        margin={"l": 60, "r": 20, "t": 10, "b": 56},
        legend={"traceorder": "normal"},
    )
    return Chart(
        "drift",
        title,
        summary,
        f"Stacked bar chart of changes made in CXone per week. {summary}",
        figure(data, layout),
        columns,
        rows,
        headline=f"{plural(waiting, 'change')} in CXone not answered" if waiting else "",
    )


@dataclass(frozen=True)
class WeekAnswers:
    week_start: date  # a Monday: the week the changes were first seen
    answered: int
    p50_hours: float
    p95_hours: float


def answer_time_chart(weeks: Sequence[WeekAnswers], waiting_hours: Sequence[float]) -> Chart:
    """Time from first seen to answered, per week of first seen; `waiting_hours`: how long each change not
    answered yet has waited (said in the summary: it is not an answer time yet)."""
    shown = [w for w in weeks if w.answered]
    longest = max((w.p95_hours for w in shown), default=0.0)
    unit, per_hour = ("minutes", 60.0) if longest < 2 else ("hours", 1.0)
    title = f"Time from a change first seen in CXone to its answer ({unit}; weeks first seen, UTC)"
    columns = ["week_start", "answered", f"p50_{unit}", f"p95_{unit}"]
    rows = [[iso_day(w.week_start), w.answered, round(w.p50_hours * per_hour, 1), round(w.p95_hours * per_hour, 1)]
            for w in shown]  # fmt: skip
    waiting = (
        f" {plural(len(waiting_hours), 'change')} not answered yet, the oldest for {max(waiting_hours):.1f} h."
        if waiting_hours
        else ""
    )
    if not shown:
        empty = NOT_ANSWERED if waiting_hours else NO_DRIFT
        return Chart("drift-answers", title, "No change answered in this range." + waiting,
                     "Time to answer: no data.", None, columns, empty=empty)  # fmt: skip
    x = [iso_day(w.week_start) for w in shown]
    p50 = go.Scatter(
        mode="lines+markers",
        name="p50 (median)",
        x=x,
        y=[row[2] for row in rows],
        line={"color": ACCENT, "width": 2},
        marker={"symbol": "circle", "size": 7},
        customdata=[w.answered for w in shown],
        hovertemplate="Week of %{x}<br>p50 %{y:.1f} " + unit + " (%{customdata} answered)<extra></extra>",
    )
    p95 = go.Scatter(
        mode="lines+markers",
        name="p95",
        x=x,
        y=[row[3] for row in rows],
        line={"color": WARN, "width": 2, "dash": "dot"},
        marker={"symbol": "diamond", "size": 8},
        hovertemplate="Week of %{x}<br>p95 %{y:.1f} " + unit + "<extra></extra>",
    )
    slowest = max(shown, key=lambda w: w.p95_hours)
    summary = (
        f"{plural(sum(w.answered for w in shown), 'change')} answered; the slowest week was "
        f"{slowest.week_start:%d %b} with p95 {slowest.p95_hours * per_hour:.1f} {unit}." + waiting
    )
    layout = base_layout(
        height=320,
        x_title="Week first seen (Monday 00:00 UTC)",
        y_title=unit.capitalize(),
        yaxis={"rangemode": "tozero"},
        xaxis={"type": "date", "tickformat": "%d %b"},
        margin={"l": 60, "r": 20, "t": 10, "b": 56},
    )
    return Chart(
        "drift-answers",
        title,
        summary,
        f"Line chart of p50 and p95 time to answer a change made in CXone, per week. {summary}",
        figure([p50, p95], layout),
        columns,
        rows,
    )
