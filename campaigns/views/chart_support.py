"""What the chart pages share: the filter form (range, zone toggle), the viewer's zone, and CSV downloads."""

from __future__ import annotations

import csv
import datetime as dt

from django import forms
from django.http import HttpResponse
from django.utils import timezone

from campaigns import roles, scheduling
from campaigns.charts import Chart
from campaigns.viewer import viewer_zone as browser_zone

TABLE_ROWS = 100  # rows of a chart's numbers shown on the page; the CSV has them all


def viewer_zone(request) -> str:
    """The viewer's zone: `tz` in the query, else the browser's (campaigns.viewer reads the cookie), else UTC.
    Unknown names count as UTC."""
    name = request.GET.get("tz", "").strip()
    if name and not scheduling.zone_error(name):
        return scheduling.canonical_zone(name)
    return browser_zone(request).key


class RangeForm(forms.Form):
    """From a day, for a number of days, drawn in the viewer's zone or in UTC."""

    MAX_DAYS = 31

    # ISO text, as the editor's dates: a browser date picker would show the viewer's locale (MM/DD/YYYY).
    start = forms.DateField(
        label="From",
        required=False,
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": "Enter the date as YYYY-MM-DD, e.g. 2026-12-01."},
        widget=forms.DateInput(
            format="%Y-%m-%d",
            attrs={"placeholder": "YYYY-MM-DD", "pattern": r"\d{4}-\d{2}-\d{2}", "inputmode": "numeric"},
        ),
    )
    times = forms.ChoiceField(
        label="Times in",
        choices=[("local", "your zone"), ("utc", "UTC")],
        required=False,
        widget=forms.RadioSelect,
    )

    def __init__(self, data, *, viewer_zone: str, **kwargs):
        super().__init__(data, **kwargs)
        self.viewer_zone = viewer_zone
        self.fields["days"] = forms.IntegerField(
            label="Days",
            min_value=1,
            max_value=self.MAX_DAYS,
            required=False,
            widget=forms.NumberInput(attrs={"min": 1, "max": self.MAX_DAYS, "placeholder": "7"}),
        )
        self.order_fields(["start", "days"])
        self.fields["times"].choices = [("local", f"your zone ({viewer_zone})"), ("utc", "UTC")]

    def clean_days(self):
        # IntegerField would read "١٢" as 12: numbers are written in the digits 0-9 everywhere in the product.
        raw = str(self.data.get(self.add_prefix("days"), "")).strip()
        if raw and not raw.isascii():
            raise forms.ValidationError("Enter a whole number in the digits 0-9.", code="invalid")
        return self.cleaned_data.get("days")

    def clean_start(self):
        # The schedules' own dates: a range near year 1 or 9999 would leave Python's datetime range.
        day = self.cleaned_data.get("start")
        if day and scheduling.date_error(day):
            raise forms.ValidationError(f"Enter a date {scheduling.DATE_RANGE}.", code="out_of_range")
        return day

    @property
    def display_zone(self) -> str:
        data = self.cleaned_data if self.is_valid() else {}
        return "UTC" if data.get("times") == "utc" else self.viewer_zone

    def period(self, now: dt.datetime | None = None) -> tuple[dt.datetime, dt.datetime]:
        """[start, end) as UTC instants: from midnight of the first day on the display zone's wall clock."""
        data = self.cleaned_data
        zone = scheduling.zone_or_utc(self.display_zone)
        now = now or timezone.now()
        first = data.get("start") or now.astimezone(zone).date()
        days = data.get("days") or 7
        start = dt.datetime.combine(first, dt.time(), zone)
        end = dt.datetime.combine(first + dt.timedelta(days=days), dt.time(), zone)
        return start.astimezone(dt.UTC), end.astimezone(dt.UTC)


def bound_form(form_class, request):
    """The page's filters from its query string; times default to the viewer's zone, the range to 7 days from
    today."""
    data = request.GET.copy()
    data.setdefault("times", "local")
    zone = viewer_zone(request)
    # Show the range the chart is drawn for: today on the wall clock it is drawn in, for 7 days.
    today = (
        timezone.now().astimezone(scheduling.zone_or_utc("UTC" if data["times"] == "utc" else zone)).date()
    )
    data.setdefault("start", today.isoformat())
    data.setdefault("days", "7")
    return form_class(data, viewer_zone=zone)


def csv_response(chart: Chart, filename: str) -> HttpResponse:
    """The chart's numbers, exactly the rows its table holds (and its figure draws)."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    writer = csv.writer(response)
    writer.writerow(chart.columns)
    writer.writerows(chart.rows)
    return response


def may_view_dashboards(user) -> bool:
    """Managers, and supervisors (ux.md: dashboards are for managers and up)."""
    return user.has_perm(roles.VIEW_DASHBOARDS) or user.has_perm(roles.REVIEW_DRAFTS)
