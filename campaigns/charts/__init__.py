"""Plotly figure builders: plain data in, a `plotly.graph_objects` figure (and its summary and table) out.

Pure like the engine: no ORM, no HTTP, no Django; they import nothing of ours but campaigns.scheduling. The
queries that feed them are in campaigns/services/dashboards.py; the pages put each figure's plotly JSON
(Chart.page_figure) on the page with `json_script` and static/js/charts.js draws it.
"""

from .common import Chart

__all__ = ["Chart"]
