"""The manager's dashboards (managers land here; supervisors may look too): one range, five charts, CSV each."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils.http import urlencode
from django.views.decorators.http import require_safe

from campaigns.services.reports import dashboards
from campaigns.views.chart_support import csv_response, may_view_dashboards
from campaigns.views.query import shown, whole_number

RANGES = [(7, "Last 7 days"), (28, "Last 28 days"), (90, "Last 90 days")]
DEFAULT_DAYS = 28


@require_safe
def dashboard(request):
    if not may_view_dashboards(request.user):
        raise PermissionDenied
    raw = request.GET.get("days") or str(DEFAULT_DAYS)  # empty: the range menu's default
    error = ""
    days = whole_number(raw) or 0
    if days not in dict(RANGES):
        choices = ", ".join(str(d) for d, _ in RANGES)
        error = f"Range: {shown(raw)} is not one of {choices} days; showing {DEFAULT_DAYS}."
        days = DEFAULT_DAYS
    key = request.GET.get("chart", "")
    if request.GET.get("format") == "csv":
        if key not in dashboards.DASHBOARD:
            raise Http404(f"No chart {key!r} on the dashboards.")
        return csv_response(dashboards.dashboard_chart(key, days), f"dashboard-{key}-{days}d")
    charts = dashboards.dashboard(days)
    for chart in charts:
        chart.csv_url = "?" + urlencode({"days": days, "format": "csv", "chart": chart.key})
    context = {"nav": "dashboards", "charts": charts, "days": days, "ranges": RANGES, "error": error}
    return render(request, "campaigns/dashboards.html", context, status=400 if error else 200)
