"""The Timeline and Capacity pages (everyone): filters in the query string, the chart swapped in by htmx, CSV."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import permission_required
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from campaigns import roles
from campaigns.services.control import pausing
from campaigns.services.pools import lookup as pools
from campaigns.services.reports import capacity_heatmap, dashboards
from campaigns.services.reports import timeline as timeline_report
from campaigns.views.chart_support import RangeForm, bound_form, csv_response


def pool_choices() -> list[tuple[str, str]]:
    """The pools some campaign present in CXone draws on: skills, and the pools supervisors defined."""
    return [(pool.key, pool.name) for pool in pools.pools_in_use()]


class TimelineForm(RangeForm):
    pool = forms.ChoiceField(label="Pool", required=False)
    zone = forms.ChoiceField(label="Campaign zone", required=False)
    conflicting = forms.BooleanField(label="Only campaigns in a conflict", required=False)

    def __init__(self, data, *, viewer_zone: str, **kwargs):
        super().__init__(data, viewer_zone=viewer_zone, **kwargs)
        self.fields["pool"].choices = [("", "Every pool"), *pool_choices()]
        self.fields["zone"].choices = [("", "Every zone")] + [(z, z) for z in dashboards.campaign_zones()]


def _chart_params(form) -> dict:
    """The query string that redraws the same chart (for links and the CSV), without empty values."""
    data = form.cleaned_data if form.is_valid() else {}
    params = {name: data.get(name) for name in form.fields}
    params["tz"] = form.viewer_zone
    return {k: ("1" if v is True else v) for k, v in params.items() if v not in (None, "", False)}


@require_safe
@vary_on_headers("HX-Request")  # the whole page or (to htmx) its part: caches keep them apart
@permission_required(roles.VIEW_CAMPAIGNS, raise_exception=True)
def timeline(request):
    form = bound_form(TimelineForm, request)
    context = {"nav": "timeline", "form": form, "chart": None}
    status = 200
    if not form.is_valid():
        status = 400
    else:
        start, end = form.period()
        data = form.cleaned_data
        params = _chart_params(form)

        def pool_link(key: str) -> str:
            return "?" + urlencode({**params, "pool": key})

        query = timeline_report.TimelineQuery(
            start=start,
            end=end,
            pool=data.get("pool") or "",
            zone=data.get("zone") or "",
            conflicting=bool(data.get("conflicting")),
            display_zone=form.display_zone,
        )
        chart = timeline_report.timeline(query, pool_link)
        if request.GET.get("format") == "csv":
            return csv_response(chart, f"timeline-{start:%Y%m%d}-{(end - start).days}d")
        chart.csv_url = "?" + urlencode({**params, "format": "csv"})
        context["chart"] = chart
        context["pauses"] = pausing.approved_between(start, end)
    template = "campaigns/timeline.html"
    if request.htmx and request.htmx.target == "chart-area":
        template += "#chart-area"
    return render(request, template, context, status=status)


class CapacityForm(RangeForm):
    MAX_DAYS = 14
    pool = forms.ChoiceField(label="Pool for the curve", required=False)

    def __init__(self, data, *, viewer_zone: str, **kwargs):
        super().__init__(data, viewer_zone=viewer_zone, **kwargs)
        self.fields["pool"].choices = [("", "The busiest pool"), *pool_choices()]


@require_safe
@vary_on_headers("HX-Request")  # the whole page or (to htmx) its part: caches keep them apart
@permission_required(roles.VIEW_CAMPAIGNS, raise_exception=True)
def capacity(request):
    form = bound_form(CapacityForm, request)
    context = {"nav": "capacity", "form": form, "charts": []}
    status = 200
    if not form.is_valid():
        status = 400
    else:
        start, end = form.period()
        found = capacity_heatmap.charts(start, end, form.display_zone, form.cleaned_data.get("pool") or "")
        heatmap, curve_pool = found.heatmap, found.curve_pool
        charts = [heatmap] + ([found.curve] if found.curve is not None else [])
        params = _chart_params(form)
        wanted = request.GET.get("chart", "")
        if request.GET.get("format") == "csv":
            chart = next((c for c in charts if c.key == wanted), heatmap)
            return csv_response(chart, f"capacity-{chart.key}-{start:%Y%m%d}-{(end - start).days}d")
        for chart in charts:
            chart.csv_url = "?" + urlencode({**params, "format": "csv", "chart": chart.key})
        context.update(
            charts=charts,
            curve_pool=curve_pool,
            timeline_url=reverse("timeline"),
            nothing_shared=pools.nothing_shared(),
        )
    template = "campaigns/capacity.html"
    if request.htmx and request.htmx.target == "chart-area":
        template += "#chart-area"
    return render(request, template, context, status=status)
