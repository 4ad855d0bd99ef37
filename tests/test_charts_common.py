"""What every chart shares, without Django: plotly validates each figure as it is built (a misspelt property or an
impossible value fails here, not silently in the browser), the page receives plotly's own JSON of it, and the
chart modules import each other in one direction only."""

import ast
import json
from datetime import date
from pathlib import Path

import plotly.graph_objects as go
import pytest

from campaigns.charts.bars import Bars, row_order
from campaigns.charts.common import CONFIG, base_layout, figure
from campaigns.charts.dashboards import WeekConflicts, conflicts_per_week_chart
from campaigns.charts.latency import failures_chart
from campaigns.charts.timeline import TimelineCampaign, TimelinePool, timeline_chart

CHARTS = Path(__file__).resolve().parent.parent / "campaigns" / "charts"


def layout(**extra):
    return base_layout(height=300, x_title="Time (UTC)", y_title="Agents", **extra)


def test_a_misspelt_trace_property_fails_as_the_figure_is_built():
    with pytest.raises(ValueError, match="hovertxt"):
        figure([go.Bar(x=[1], hovertxt=["one"])], layout())


def test_the_gantt_charts_dict_traces_are_validated_too_down_to_their_markers():
    bars = Bars("Calling window", {"colour": "#1f5fbf"}, None)  # British spelling: plotly says "color"
    bars.add(0, 3600, "Pool", "Campaign", "hover")

    with pytest.raises(ValueError, match="colour"):
        figure([row_order(["Campaign"]), bars.trace(False)], layout())


def test_a_misspelt_layout_property_fails_and_so_does_an_impossible_value():
    with pytest.raises(ValueError, match="tickformatt"):
        layout(xaxis={"tickformatt": "%H:%M"})
    with pytest.raises(ValueError, match="height"):
        base_layout(height=5, x_title="", y_title="")  # plotly draws nothing under 10 px
    with pytest.raises(ValueError, match="shape"):
        figure([go.Bar(x=[1], marker={"pattern": {"shape": "zigzag"}})], layout())


def test_the_page_receives_plotlys_json_of_the_figure_and_the_config():
    chart = conflicts_per_week_chart([WeekConflicts(date(2026, 11, 30), 12.5, 3, 4.0, 2)])

    assert isinstance(chart.figure, go.Figure)
    assert chart.page_figure == {**chart.figure.to_plotly_json(), "config": CONFIG}
    assert json.loads(json.dumps(chart.page_figure)) == chart.page_figure  # plain JSON, nothing to encode
    assert chart.page_figure["layout"]["height"] == 340
    # plotly.py's default template would restyle the chart: the page gets none of it.
    assert "layout" not in chart.page_figure["layout"]["template"]
    assert chart.page_figure["layout"]["plot_bgcolor"] == "#ffffff"


def test_base_layout_merges_a_builders_axis_into_the_defaults():
    merged = layout(xaxis={"type": "date", "title": {"standoff": 4}}).to_plotly_json()

    assert merged["xaxis"] == {
        "title": {"text": "Time (UTC)", "standoff": 4},
        "gridcolor": "#e3e7ee",
        "zeroline": False,
        "type": "date",
    }
    assert merged["yaxis"]["title"]["text"] == "Agents"


def test_an_empty_chart_has_no_figure_to_put_on_the_page():
    chart = failures_chart([])
    assert chart.is_empty and chart.page_figure is None


def test_page_figures_are_valid_plotly_figures_when_read_back():
    campaign = TimelineCampaign("C-1", "Renewals East", "S-1", "America/Chicago", 5, "/c/1/", ((0, 3600),))
    pools = {"S-1": TimelinePool("S-1", "Renewals", 20)}
    chart = timeline_chart([campaign], [], pools, start_ts=0, end_ts=86400)

    page = {k: v for k, v in chart.page_figure.items() if k != "config"}
    assert go.Figure(page).to_plotly_json() == page


def relative_imports(path: Path) -> list[tuple[str, bool]]:
    """(module, at the top level) for each `from .x import` of a chart module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top = {id(node) for node in tree.body}
    return [
        (node.module or "", id(node) in top)
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.level == 1
    ]


def test_chart_modules_import_each_other_downwards_only_and_at_the_top():
    graph = {}
    for path in CHARTS.glob("*.py"):
        imports = relative_imports(path)
        assert all(top for _, top in imports), f"{path.name} imports a chart module inside a function"
        graph[path.stem] = {module for module, _ in imports}

    assert graph["common"] == set()  # the bottom: everything shared lives here
    assert graph["bars"] == {"common"}

    def reaches(start, goal, seen=()):
        return any(m == goal or (m not in seen and reaches(m, goal, (*seen, m))) for m in graph[start])

    assert not [name for name in graph if reaches(name, name)]  # no circle
