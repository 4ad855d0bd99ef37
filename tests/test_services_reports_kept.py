"""What the chart pages keep between requests: the expanded mirror while nothing it is built from changes, the
charts drawn from it, and the dashboards for a minute."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from campaigns.models import Campaign
from campaigns.services.reports import capacity_heatmap, dashboards
from tests.conftest import make_campaign

START = dt.datetime(2026, 12, 7, tzinfo=dt.UTC)
END = START + dt.timedelta(days=7)


@pytest.mark.django_db
def test_a_range_is_expanded_once_until_a_schedule_changes(pool):
    campaign = make_campaign("C-1", pool=pool, cron_expression="0 9 * * 1-5", duration_minutes=240)
    first = dashboards.mirror(START, END)
    assert dashboards.mirror(START, END) is first
    assert "C-1" in first.windows

    Campaign.objects.filter(pk=campaign.pk).update(cron_expression="0 14 * * 1-5", remote_version=8)
    again = dashboards.mirror(START, END)
    assert again is not first
    assert again.windows["C-1"] != first.windows["C-1"]


@pytest.mark.django_db
def test_the_heatmap_is_drawn_once_per_kept_mirror_and_handed_out_as_copies(pool, monkeypatch):
    make_campaign("C-1", pool=pool, cron_expression="0 9 * * 1-5", duration_minutes=240)
    drawn = []
    real = capacity_heatmap.heatmap_chart
    monkeypatch.setattr(capacity_heatmap, "heatmap_chart", lambda *a, **k: drawn.append(1) or real(*a, **k))
    _, first = capacity_heatmap.heatmap(START, END, "UTC")
    first.csv_url = "?mine"
    _, second = capacity_heatmap.heatmap(START, END, "UTC")
    assert len(drawn) == 1
    assert second is not first and getattr(second, "csv_url", "") != "?mine"


@pytest.mark.django_db
def test_the_dashboards_are_counted_at_most_once_a_minute(monkeypatch):
    counted = []
    real = dashboards._dashboard
    monkeypatch.setattr(dashboards, "_dashboard", lambda days, now: counted.append(now) or real(days, now))
    with time_machine.travel(START, tick=False) as clock:
        dashboards.dashboard(28)
        dashboards.dashboard(28)
        assert len(counted) == 1
        clock.shift(dt.timedelta(seconds=61))
        dashboards.dashboard(28)
        assert len(counted) == 2
        dashboards.dashboard(7)  # another range is counted on its own
        assert len(counted) == 3


@pytest.mark.django_db
def test_the_capacity_curve_and_the_pages_json_are_made_once_per_kept_mirror(pool, monkeypatch):
    make_campaign("C-1", pool=pool, cron_expression="0 9 * * 1-5", duration_minutes=240)
    drawn = []
    real = capacity_heatmap.demand_curve_chart
    monkeypatch.setattr(capacity_heatmap, "demand_curve_chart", lambda *a, **k: drawn.append(1) or real(*a, **k))
    first = capacity_heatmap.charts(START, END, "UTC")
    second = capacity_heatmap.charts(START, END, "UTC", pool.cxone_skill_id)

    assert len(drawn) == 1 and first.curve_pool.key == second.curve_pool.key == pool.cxone_skill_id
    assert second.curve is not first.curve and second.curve.page_figure is first.curve.page_figure
    assert second.heatmap.page_figure is first.heatmap.page_figure
