"""The timeline: a Gantt of every calling window in a range, one row per campaign grouped by pool.

Bars are horizontal `go.Bar`s with `base` = start and `x` = length in ms on a date axis (what px.timeline draws,
without pandas). Capacity overloads get a row of their own at the top of their pool, red and hatched; windows
caught in a contact-list clash are cross-hatched and their hover names the other campaigns. Timed pauses and open
Stop dialling orders are shaded bands over their campaign's row, the windows they hold drawn as held (holds.py).
More bars than a browser draws comfortably are folded into one row per pool (its busy hours), each a link to that
pool alone.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from campaigns.scheduling.conflicts import CONTACT_LIST, Conflict
from campaigns.scheduling.intervals import demand_steps

from .bars import Bars, ClashFinder, clash_marker, overload_bands, overload_marker, row_order, window_marker
from .common import (
    Chart,
    axis_ms,
    base_layout,
    figure,
    iso_local,
    iso_utc,
    plural,
    span_text,
    utc_span,
    wall,
    zone_of,
    zone_title,
)
from .holds import HeldSpan, Holds, band_trace, band_traces, held_window_trace, summary_part

MAX_BARS = 3000  # beyond this many windows the timeline shows pools, not campaigns
ROW_HEIGHT = 20
OVERLOAD_ROW = "⚠ Over capacity"
NO_POOL = "No pool"
COLUMNS = [
    "kind",
    "pool",
    "campaign",
    "cxone_id",
    "start_utc",
    "end_utc",
    "start_local",
    "end_local",
    "local_zone",
    "agents",
    "detail",
]


@dataclass(frozen=True)
class TimelineCampaign:
    id: str  # the CXone id
    name: str
    pool_key: str  # the pool's skill id ("" when it has none)
    zone: str  # the campaign's IANA zone
    agents: int
    url: str
    windows: tuple[tuple[int, int], ...]  # UTC epoch seconds, sorted


@dataclass(frozen=True)
class TimelinePool:
    key: str
    name: str
    agents: int
    url: str = ""  # the timeline of this pool alone (the drill-down of the aggregated view)
    agents_text: str = ""  # "4–25 agents by hour" for a pool whose staffing varies; else "N agents"

    @property
    def label(self) -> str:
        return f"{self.name} ({self.agents_text or f'{self.agents} agents'})"


def timeline_chart(
    campaigns: Sequence[TimelineCampaign],
    conflicts: Sequence[Conflict],
    pools: Mapping[str, TimelinePool],
    *,
    start_ts: int,
    end_ts: int,
    display_zone: str = "UTC",
    max_bars: int = MAX_BARS,
    holds: Sequence[HeldSpan] = (),
) -> Chart:
    """The timeline of `campaigns` in [start_ts, end_ts), drawn on the wall clock of `display_zone`.

    `conflicts` are the engine's for the same range; only overloads of the pools shown and clashes of the
    campaigns shown are drawn; `holds` (pauses, stops) of the campaigns shown are bands over their rows. Over
    `max_bars` windows, each pool's busy hours replace its campaigns (and the holds are only counted).
    """
    zone = zone_of(display_zone)
    shown = {c.id for c in campaigns}
    names = {c.id: c.name for c in campaigns}
    pool_keys = {c.pool_key for c in campaigns}
    bands = [b for b in overload_bands(conflicts) if b.pool_key in pool_keys]
    clashes = ClashFinder(c for c in conflicts if c.kind == CONTACT_LIST and shown.intersection(c.campaigns))
    window_count = sum(len(c.windows) for c in campaigns)
    period = (
        f"{wall(start_ts, display_zone, '%a %d %b %Y')} – {wall(end_ts - 1, display_zone, '%a %d %b %Y')}"
    )
    title = f"Calling windows, {period} ({zone_title(display_zone)})"
    if not campaigns or not window_count:
        return Chart(
            key="timeline",
            title=title,
            summary="No calling windows in this range.",
            label="Timeline of calling windows: none in this range.",
            figure=None,
            columns=COLUMNS,
            empty="No calling windows in this range. Widen the range or clear the filters.",
        )
    aggregated = window_count > max_bars
    held = Holds((h for h in holds if h.campaign in shown), end_ts)
    if aggregated:
        traces, table, row_count = _pool_rows(campaigns, bands, clashes, pools, names, zone, display_zone)
    else:
        traces, table, row_count = _campaign_rows(
            campaigns, bands, clashes, pools, names, zone, display_zone, held
        )
    urls = {c.id: c.url for c in campaigns}

    overload_hours = sum(b.end - b.start for b in bands) / 3600
    clashing = clashes.campaigns & shown
    parts = [
        f"{plural(window_count, 'calling window')} of {plural(len(campaigns), 'campaign')} in "
        f"{plural(len(pool_keys), 'pool')}, {period}, times in {zone_title(display_zone)}",
        f"{plural(len(bands), 'capacity overload')} ({overload_hours:.1f} h) in "
        f"{plural(len({b.pool_key for b in bands}), 'pool')}"
        if bands
        else "no capacity overload",
        f"{plural(len(clashing), 'campaign')} in contact-list clashes"
        if clashing
        else "no contact-list clash",
    ]
    if held_words := summary_part(held.kinds(shown)):
        parts.append(held_words + (" (choose a pool to see them)" if aggregated else ""))
    summary = "; ".join(parts) + "."
    if aggregated:
        summary += (
            f" Too many windows to draw one by one (over {max_bars:,}): each row is a pool's busy hours;"
            " choose a pool to see its campaigns."
        )
    layout = base_layout(
        height=max(200, 110 + ROW_HEIGHT * row_count),
        x_title=f"Time ({zone_title(display_zone)})",
        y_title="",
        barmode="overlay",
        xaxis={
            "type": "date",
            "range": [axis_ms(start_ts, zone), axis_ms(end_ts, zone)],
            "tickformat": "%a %d %b\n%H:%M",
            "side": "top",
            "title": {"text": f"Time ({zone_title(display_zone)})", "standoff": 4},
        },
        yaxis={
            "type": "category" if aggregated else "multicategory",
            "autorange": "reversed",
            "automargin": True,
            "title": {"text": "Pool" if aggregated else "Pool and campaign"},
            "tickfont": {"size": 11},
            "showdividers": True,
            "dividercolor": "#9aa5b5",
        },
        margin={"l": 10, "r": 20, "t": 60, "b": 10},
        # Below the rows: the time axis is on top, where a planner starts reading a tall chart.
        legend={"orientation": "h", "x": 0, "xanchor": "left", "y": -0.005, "yanchor": "top"},
        hovermode="closest",
    )
    return Chart(
        key="timeline",
        title=title,
        summary=summary,
        label=f"Gantt chart of calling windows by {'pool' if aggregated else 'pool and campaign'}. {summary}",
        figure=figure(traces, layout),
        columns=COLUMNS,
        rows=table,
        clickable=True,
        links=[urls.get(row[3], "") for row in table],
    )


def _band_rows(bands, pools, names, zone, display_zone, group_of, row_of):
    trace = Bars("Capacity overload (agents needed > pool's agents)", overload_marker(), zone)
    table = []
    for band in bands:
        pool = pools.get(band.pool_key)
        pool_name = pool.name if pool else band.pool_key
        who = ", ".join(names.get(c, c) for c in band.campaigns)
        hover = (
            f"⚠ {pool_name} over capacity: up to {band.peak} agents needed, {band.capacity} available<br>"
            f"{span_text(band.start, band.end, display_zone)}<br>{utc_span(band.start, band.end)}<br>"
            f"Campaigns: {who}"
        )
        trace.add(
            band.start,
            band.end,
            group_of(band.pool_key),
            row_of(band.pool_key),
            hover,
            pool.url if pool else "",
        )
        table.append(
            [
                "overload",
                pool_name,
                "",
                "",
                iso_utc(band.start),
                iso_utc(band.end),
                iso_local(band.start, zone),
                iso_local(band.end, zone),
                zone_title(display_zone),
                band.peak,
                f"{band.capacity} available; campaigns: {who}",
            ]
        )
    return trace, table


def _campaign_rows(campaigns, bands, clashes, pools, names, zone, display_zone, held):
    """One row per campaign under its pool (a two-level axis), the pool's overloads on top, its pauses and stops
    as bands over its row."""
    plain = Bars("Calling window", window_marker(), zone)
    clashed = Bars("Window in a contact-list clash", clash_marker(), zone)
    held_windows = held_window_trace(zone)
    held_bands = band_traces(zone)

    def group_label(pool_key: str) -> str:
        pool = pools.get(pool_key)
        return pool.label if pool else (pool_key or NO_POOL)

    overloads, table = _band_rows(
        bands, pools, names, zone, display_zone, group_label, lambda _key: OVERLOAD_ROW
    )
    ordered = sorted(campaigns, key=lambda c: (group_label(c.pool_key).lower(), c.name.lower(), c.id))
    seen: dict[tuple[str, str], int] = {}
    overloaded = {b.pool_key for b in bands}
    row_count = len(overloaded)
    order: list[tuple[str, str]] = []  # (group, row) top to bottom: a pool's overloads above its campaigns
    with_overload_row: set[str] = set()
    clashing = clashes.campaigns
    clash_texts: dict[tuple, str] = {}  # a campaign's windows mostly share one set of clashes: say it once
    # Up to thousands of windows: what stays the same for a campaign is looked up once, not once per window.
    for campaign in ordered:
        cid, name, zone_name = campaign.id, campaign.name, campaign.zone
        agents, url = campaign.agents, campaign.url
        group = group_label(campaign.pool_key)
        if campaign.pool_key in overloaded and group not in with_overload_row:
            with_overload_row.add(group)
            order.append((group, OVERLOAD_ROW))
        label = name
        if seen.setdefault((group, label), 0):
            label = f"{name} ({cid})"
        seen[(group, name)] += 1
        row_count += 1
        order.append((group, label))
        pool_name = pools[campaign.pool_key].name if campaign.pool_key in pools else NO_POOL
        head = f"{name} ({cid}) · {pool_name} · {agents} agents"
        local_zone = zone_of(zone_name)
        in_clashes = cid in clashing
        holding = held.holding(cid)
        for start, end in campaign.windows:
            clash = clashes.during(cid, start, end) if in_clashes else None
            hover = f"{head}<br>{span_text(start, end, zone_name)}<br>{utc_span(start, end)}"
            detail = ""
            if clash:
                found = tuple(clash)
                detail = clash_texts.get(found, "")
                if not detail:
                    detail = clash_texts[found] = "; ".join(
                        f"contact list {key} also dialled by {', '.join(names.get(m, m) for m in members)}"
                        for key, members in clash
                    )
                hover += f"<br>⚠ Clash: {detail}"
            pieces = held.pieces(cid, start, end) if holding else [(start, end, None)]
            for low, high, span in pieces:
                if span is None:
                    (clashed if clash else plain).add(low, high, group, label, hover, url)
                else:
                    note = span.window_note(low, high, zone_name)
                    held_windows.add(low, high, group, label, f"{hover}<br>{note}", url)
            holders = "; ".join(f"held by {span.name}" for _, _, span in pieces if span)
            detail = "; ".join(d for d in (detail, holders) if d)
            table.append(
                [
                    "window",
                    pool_name,
                    name,
                    cid,
                    iso_utc(start),
                    iso_utc(end),
                    iso_local(start, local_zone),
                    iso_local(end, local_zone),
                    zone_name,
                    agents,
                    detail,
                ]
            )
        for span in held.of(cid):
            last = span.end_or(held.end_ts)
            held_bands[span.kind].add(span.start, last, group, label, span.hover(zone_name), url)
            until = [iso_utc(last), iso_local(last, local_zone)] if span.end is not None else ["", ""]
            table.append([span.kind, pool_name, name, cid, iso_utc(span.start), until[0],
                          iso_local(span.start, local_zone), until[1], zone_name, "", span.detail])  # fmt: skip
    rows = row_order([r for _, r in order], groups=[g for g, _ in order])
    traces = [rows] + [band_trace(t, True) for t in held_bands.values() if t.base]
    traces += [t.trace(True) for t in (overloads, plain, clashed, held_windows) if t.base]
    return traces, table, row_count


def _pool_rows(campaigns, bands, clashes, pools, names, zone, display_zone):
    """Too many windows: one row per pool with its busy hours (any campaign open), overloads on top."""
    busy = Bars("Pool busy (some campaign open)", window_marker(), zone)

    def label(pool_key: str) -> str:
        pool = pools.get(pool_key)
        return pool.label if pool else (pool_key or NO_POOL)

    overloads, table = _band_rows(
        bands, pools, names, zone, display_zone, label, lambda key: f"{label(key)} {OVERLOAD_ROW}"
    )
    by_pool: dict[str, list[TimelineCampaign]] = defaultdict(list)
    for campaign in campaigns:
        by_pool[campaign.pool_key].append(campaign)
    for pool_key in sorted(by_pool, key=lambda k: label(k).lower()):
        members = by_pool[pool_key]
        pool = pools.get(pool_key)
        pool_name = pool.name if pool else NO_POOL
        steps = demand_steps({c.id: c.windows for c in members}, {c.id: c.agents for c in members})
        for start, end, peak_agents, peak_campaigns in _busy_spans(steps):
            hover = (
                f"{pool_name}: up to {peak_campaigns} campaigns and {peak_agents} agents at once"
                f"{f' ({pool.agents} available)' if pool else ''}<br>"
                f"{span_text(start, end, display_zone)}<br>{utc_span(start, end)}<br>Click to see its campaigns"
            )
            busy.add(start, end, label(pool_key), label(pool_key), hover, pool.url if pool else "")
            table.append(
                [
                    "pool busy",
                    pool_name,
                    "",
                    "",
                    iso_utc(start),
                    iso_utc(end),
                    iso_local(start, zone),
                    iso_local(end, zone),
                    zone_title(display_zone),
                    peak_agents,
                    f"up to {peak_campaigns} campaigns at once",
                ]
            )
    overloaded = {b.pool_key for b in bands}
    order = []  # each pool's busy row, its overload row just below
    for pool_key in sorted(by_pool, key=lambda k: label(k).lower()):
        order.append(label(pool_key))
        if pool_key in overloaded:
            order.append(f"{label(pool_key)} {OVERLOAD_ROW}")
    traces = [row_order(order)] + [t.trace(False) for t in (busy, overloads) if t.base]
    return traces, table, len(order)


def _busy_spans(steps) -> list[tuple[int, int, int, int]]:
    """Demand steps merged where they touch: (start, end, peak agents, peak campaigns)."""
    spans: list[list[int]] = []
    for step in steps:
        if spans and step.start <= spans[-1][1]:
            last = spans[-1]
            last[1] = step.end
            last[2] = max(last[2], step.agents)
            last[3] = max(last[3], step.campaigns)
        else:
            spans.append([step.start, step.end, step.agents, step.campaigns])
    return [tuple(s) for s in spans]


__all__ = ["MAX_BARS", "TimelineCampaign", "TimelinePool", "timeline_chart"]
