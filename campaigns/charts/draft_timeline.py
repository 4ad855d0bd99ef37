"""The draft editor's small timeline: the draft against the current schedule over the coming days, with the
pool's other campaigns and the overloads the pool would have with the draft in place. The campaign's timed pauses
and an open Stop dialling are bands over its two rows, the windows they hold drawn as held (holds.py).

Drawn on the draft's own zone (the planner types local times). Redrawn after every live-validation swap.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .bars import Band, Bars, overload_marker, row_order
from .common import (
    ACCENT,
    ACCENT_LIGHT,
    Chart,
    axis_ms,
    base_layout,
    figure,
    iso_utc,
    plural,
    span_text,
    utc_span,
    zone_of,
)
from .holds import LEGEND, HeldSpan, Holds, band_trace, band_traces, held_window_trace, kinds_text

DRAFT_ROW = "This draft"
CURRENT_ROW = "Current (in CXone)"
OVERLOAD_ROW = "⚠ Pool over capacity"
MAX_OTHER_ROWS = 6  # more of the pool's campaigns than this share one row
COLUMNS = ["row", "start_utc", "end_utc", "agents", "detail"]


@dataclass(frozen=True)
class OtherCampaign:
    id: str
    name: str
    agents: int
    windows: tuple[tuple[int, int], ...]


def runs(windows: Sequence[tuple[int, int]]) -> list[tuple[int, int, int]]:
    """Windows that touch or overlap as one bar each (start, end, how many windows): a campaign that opens a
    window every minute calls without a break, and 10,000 one-minute bars would only slow the editor down."""
    merged: list[list[int]] = []
    for start, end in sorted(windows):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
            merged[-1][2] += 1
        else:
            merged.append([start, end, 1])
    return [(start, end, count) for start, end, count in merged]


def _run(count: int) -> str:
    return f"{count} windows back to back" if count > 1 else ""


def draft_timeline_chart(
    *,
    draft: Sequence[tuple[int, int]],
    current: Sequence[tuple[int, int]],
    others: Sequence[OtherCampaign],
    bands: Sequence[Band],
    draft_agents: int,
    current_agents: int,
    pool_name: str,
    pool_agents: str | None,  # "20 agents", "4–25 agents by hour"
    start_ts: int,
    end_ts: int,
    zone_name: str,
    holds: Sequence[HeldSpan] = (),  # the campaign's own pauses and stops
) -> Chart:
    zone = zone_of(zone_name)
    days = round((end_ts - start_ts) / 86400)
    title = f"Next {days} days in {zone_name}: this draft, the current schedule and {pool_name or 'no pool'}"
    draft_bars = Bars("This draft", {"color": ACCENT}, zone)
    current_bars = Bars(
        "Current schedule",
        {
            "color": "#ffffff",
            "line": {"color": ACCENT, "width": 1.5},
            "pattern": {"shape": ".", "fgcolor": ACCENT, "bgcolor": "#ffffff", "solidity": 0.2},
        },
        zone,
    )
    other_bars = Bars("Other campaigns in the pool", {"color": ACCENT_LIGHT, "line": {"width": 0}}, zone)
    overloads = Bars("Overload with the draft", overload_marker(), zone)
    held = Holds(holds, end_ts)
    own = holds[0].campaign if holds else ""  # every span given is the campaign's own
    held_bars = held_window_trace(zone)
    held_bands = band_traces(zone)
    table = []

    def add(bars, row, start, end, head, agents, detail=""):
        hover = f"{head}<br>{span_text(start, end, zone_name)}<br>{utc_span(start, end)}" + (
            f"<br>{detail}" if detail else ""
        )
        # The campaign's own rows: a pause or a stop holds what it covers (the rest of a window still dials).
        pieces = held.pieces(own, start, end) if row in (DRAFT_ROW, CURRENT_ROW) else [(start, end, None)]
        for low, high, span in pieces:
            if span is None:
                bars.add(low, high, "", row, hover)
            else:
                held_bars.add(low, high, "", row, f"{hover}<br>{span.window_note(low, high, zone_name)}")
        holders = "; ".join(f"held by {span.name}" for _, _, span in pieces if span)
        table.append(
            [row, iso_utc(start), iso_utc(end), agents, "; ".join(d for d in (detail, holders) if d)]
        )

    for start, end, count in runs(draft):
        add(
            draft_bars,
            DRAFT_ROW,
            start,
            end,
            f"This draft · {draft_agents} agents",
            draft_agents,
            _run(count),
        )
    for start, end, count in runs(current):
        add(
            current_bars,
            CURRENT_ROW,
            start,
            end,
            f"Current schedule · {current_agents} agents",
            current_agents,
            _run(count),
        )
    rows = [DRAFT_ROW, CURRENT_ROW]
    if len(others) <= MAX_OTHER_ROWS:
        for other in others:
            row = other.name
            rows.append(row)
            for start, end, count in runs(other.windows):
                add(
                    other_bars,
                    row,
                    start,
                    end,
                    f"{other.name} ({other.id}) · {other.agents} agents",
                    other.agents,
                    _run(count),
                )
    else:
        row = f"{len(others)} other campaigns"
        rows.append(row)
        for other in others:
            for start, end, count in runs(other.windows):
                add(
                    other_bars,
                    row,
                    start,
                    end,
                    f"{other.name} ({other.id}) · {other.agents} agents",
                    other.agents,
                    _run(count),
                )
    if bands:
        rows.insert(0, OVERLOAD_ROW)
    for band in bands:
        add(
            overloads,
            OVERLOAD_ROW,
            band.start,
            band.end,
            f"⚠ {pool_name} over capacity: up to {band.peak} agents needed, {band.capacity} available",
            band.peak,
            "Campaigns: " + ", ".join(band.campaigns),
        )
    for span in held.of(own):
        last = span.end_or(end_ts)
        for row in (DRAFT_ROW, CURRENT_ROW):
            held_bands[span.kind].add(span.start, last, "", row, span.hover(zone_name))
        table.append(
            [LEGEND[span.kind], iso_utc(span.start), iso_utc(last) if span.end else "", "", span.detail]
        )
    traces = [row_order(rows)] + [band_trace(b, False) for b in held_bands.values() if b.base]
    traces += [b.trace(False) for b in (overloads, draft_bars, current_bars, other_bars, held_bars) if b.base]
    hours = sum(b.end - b.start for b in bands) / 3600
    summary = (
        f"Over the next {days} days the draft opens {plural(len(draft), 'window')} "
        f"(now {len(current)}); {pool_name or 'the pool'} "
        + (
            f"would be over capacity {plural(len(bands), 'time')} ({hours:.1f} h)."
            if bands
            else "would stay within capacity" + (f" ({pool_agents})." if pool_agents is not None else ".")
        )
    )
    if held_words := kinds_text(span.kind for span in held.of(own)):
        summary += f" The campaign is {held_words} in these days."
    layout = base_layout(
        height=150 + 26 * len(rows),
        x_title=f"Time ({zone_name})",
        y_title="",
        barmode="overlay",
        xaxis={
            "type": "date",
            "range": [axis_ms(start_ts, zone), axis_ms(end_ts, zone)],
            "tickformat": "%a %d %b\n%H:%M",
        },
        yaxis={"type": "category", "autorange": "reversed", "automargin": True, "tickfont": {"size": 11}},
        margin={"l": 10, "r": 10, "t": 10, "b": 50},
    )
    return Chart(
        "draft-timeline",
        title,
        summary,
        f"Timeline of this draft's windows. {summary}",
        figure(traces, layout),
        COLUMNS,
        table,
    )
