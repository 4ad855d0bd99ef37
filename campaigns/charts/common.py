"""What every chart carries besides its figure, and the few helpers all builders share (the bottom of
campaigns/charts: it imports none of the other chart modules, they all import it).

Figures are `plotly.graph_objects` figures: plotly validates every property as it is set, so a misspelt name or
an impossible value fails where the figure is built, not silently in the browser.

Plotly's date axes know no time zones: an aware datetime is serialised as a naive local string, which would
draw a fall-back day's windows on top of each other. So builders compute every axis value themselves, as epoch
milliseconds of the wall clock in the zone the chart is drawn in (UTC, or the viewer's zone).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property, lru_cache
from typing import Any
from zoneinfo import ZoneInfo

import plotly.graph_objects as go
from plotly.basedatatypes import BaseTraceType

# The page's palette (static/css/planner.css), chosen to stay apart for the common colour-blindnesses; every
# meaning carried by a colour is also carried by a pattern, a marker symbol or a label.
INK = "#1c2430"
MUTED = "#5b6676"
GRID = "#e3e7ee"
ACCENT = "#1f5fbf"
ACCENT_LIGHT = "#8fb0e3"
BAD = "#a4161a"
WARN = "#b36b00"
OK = "#1d6b3a"

FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif'
CONFIG = {
    "displaylogo": False,
    "responsive": True,
    "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d", "toImage"],
}


@dataclass
class Chart:
    """One chart as a page shows it: the title (the page's caption; not drawn twice), the figure, a one-line
    summary (what a screen reader says first), the accessible name of the drawing, and the same numbers as a
    table (and CSV)."""

    key: str
    title: str
    summary: str
    label: str
    figure: go.Figure | None
    columns: list[str] = field(default_factory=list)
    rows: list[list[Any]] = field(default_factory=list)
    empty: str = ""  # when set, there is nothing to draw and this says what to do next
    clickable: bool = False  # a click on a mark opens the URL in its customdata
    csv_url: str = ""  # set by the view: the same numbers as CSV
    headline: str = ""  # the number a manager reads first, for the dashboards' top line
    links: list[str] = field(default_factory=list)  # per row, what a click on its mark opens (keyboard path)
    note: str = ""  # what is counted, said under the chart (the same for its figure, table and CSV)

    @property
    def table(self) -> list[tuple[list[Any], str]]:
        """(row, link) pairs for the page's table; the link is "" where the row opens nothing."""
        return [(row, self.links[i] if i < len(self.links) else "") for i, row in enumerate(self.rows)]

    @property
    def is_empty(self) -> bool:
        return self.figure is None

    @cached_property
    def page_figure(self) -> dict[str, Any] | None:
        """The figure as the page receives it (through `json_script`): plotly's own JSON of the figure, plus the
        config plotly.js draws it with. Made once per chart: the page reads it twice (data and height)."""
        if self.figure is None:
            return None
        return {**self.figure.to_plotly_json(), "config": CONFIG}


def zone_of(name: str) -> ZoneInfo | None:
    """None stands for UTC (no conversion at all)."""
    return None if name in ("", "UTC") else _zone(name)


@lru_cache(maxsize=256)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


# Many campaigns share the same instants (same cron, same zone): each conversion is made once per process.
@lru_cache(maxsize=65536)
def axis_ms(ts: int, zone: ZoneInfo | None) -> int:
    """A UTC instant as a date axis value: epoch ms of its wall-clock time in `zone` (UTC when None)."""
    if zone is None:
        return ts * 1000
    local = datetime.fromtimestamp(ts, zone)
    return (ts + int(local.utcoffset().total_seconds())) * 1000


def local_text(ts: int, zone: ZoneInfo | None, fmt: str = "%a %d %b %H:%M %Z") -> str:
    """A UTC instant on the wall clock of `zone`, always naming the zone ("Tue 09 Mar 09:00 CDT")."""
    return datetime.fromtimestamp(ts, zone or UTC).strftime(fmt)


def utc_text(ts: int, fmt: str = "%a %d %b %H:%M UTC") -> str:
    return datetime.fromtimestamp(ts, UTC).strftime(fmt)


@lru_cache(maxsize=65536)
def iso_utc(ts: int) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@lru_cache(maxsize=65536)
def iso_local(ts: int, zone: ZoneInfo | None) -> str:
    return datetime.fromtimestamp(ts, zone or UTC).isoformat()


@lru_cache(maxsize=65536)
def wall(ts: int, zone_name: str, fmt: str) -> str:
    # Many campaigns share the same instants (same cron, same zone): format each once.
    return local_text(ts, zone_of(zone_name), fmt)


@lru_cache(maxsize=65536)
def span_text(start: int, end: int, zone_name: str) -> str:
    """ "Tue 01 Dec 09:00 CST → 17:00 CST" (the end's day only when it differs)."""
    same_day = wall(start, zone_name, "%Y%m%d") == wall(end, zone_name, "%Y%m%d")
    return f"{wall(start, zone_name, '%a %d %b %H:%M %Z')} → " + wall(
        end, zone_name, "%H:%M %Z" if same_day else "%a %d %b %H:%M %Z"
    )


def utc_span(start: int, end: int) -> str:
    return span_text(start, end, "UTC")


def clear_caches() -> None:
    """Forget every formatted instant (benchmarks measure a cold build with this)."""
    for cached in (axis_ms, iso_utc, iso_local, wall, span_text):
        cached.cache_clear()


def iso_day(value) -> str:
    return value.isoformat()


def zone_title(name: str) -> str:
    return "UTC" if name in ("", "UTC") else name


def base_layout(*, height: int, x_title: str, y_title: str, **extra: Any) -> go.Layout:
    """The layout every chart starts from; `extra` is merged into it (a dict into the property of that name)."""
    layout = go.Layout(
        # No template: plotly.py's default one would restyle every chart (grey plot area, its own colours) and
        # add kilobytes to each; plotly.js's defaults and the palette below are the look.
        template="none",
        height=height,
        margin={"l": 70, "r": 20, "t": 10, "b": 56},
        font={"family": FONT, "size": 12, "color": INK},
        paper_bgcolor="#ffffff",
        plot_bgcolor="#ffffff",
        hoverlabel={"align": "left", "font": {"family": FONT}},
        # Above the plot, left: Plotly makes room for it however many lines it wraps to at 200 % zoom.
        legend={"orientation": "h", "x": 0, "xanchor": "left", "y": 1.02, "yanchor": "bottom"},
        xaxis={"title": {"text": x_title}, "gridcolor": GRID, "zeroline": False},
        yaxis={"title": {"text": y_title}, "gridcolor": GRID, "zeroline": False},
    )
    return layout.update(extra)


def figure(traces: Sequence[BaseTraceType | dict[str, Any]], layout: go.Layout) -> go.Figure:
    """The figure of `traces`: go.Bar, go.Scatter, ... objects, or, for traces of thousands of points (the Gantt
    bars, the heatmap), a dict of the trace's properties with its "type". Plotly validates both the same way as
    the figure takes them in, but it rebuilds (and validates again) a trace object it is given: ~25 ms more for
    the timeline's 11,000 bars."""
    return go.Figure(data=list(traces), layout=layout)


def plural(count: int, word: str, many: str | None = None) -> str:
    return f"{count:,} {word if count == 1 else (many or word + 's')}"
