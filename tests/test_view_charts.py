"""The Timeline and Capacity pages through the test client: filters, the zone toggle, bad input, CSV."""

import csv
import datetime as dt
import io
import json

import pytest
from django.urls import reverse

from campaigns.charts.common import CONFIG
from campaigns.models import CapacityPool, TimedPause
from tests.conftest import make_campaign

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_clock")]


@pytest.fixture
def as_manager(client, manager):
    client.force_login(manager)
    return client


@pytest.fixture
def schedules(pool):
    surveys = CapacityPool.objects.create(cxone_skill_id="S-20", name="Surveys", agents=4)
    return [
        make_campaign("C-1", pool=pool, name="Renewals East", agents_required=12),
        make_campaign(
            "C-2", pool=pool, name="Renewals West", agents_required=12, cron_expression="0 10 * * 1-5"
        ),
        make_campaign(
            "C-3", pool=surveys, name="Survey North", contact_list_id="L-9", timezone="Europe/Berlin"
        ),
    ]


def figure_of(response, key):
    text = response.content.decode()
    start = text.index(f'id="{key}-figure"')
    body = text[text.index(">", start) + 1 : text.index("</script>", start)]
    return json.loads(body)


def bars(figure, name):
    return next(t for t in figure["data"] if t["name"] == name)


def test_the_timeline_draws_every_window_of_the_next_seven_days_in_the_viewers_zone(as_manager, schedules):
    as_manager.cookies["planner_tz"] = "America%2FChicago"
    response = as_manager.get(reverse("timeline"))

    assert response.status_code == 200
    figure = figure_of(response, "timeline")
    assert figure["layout"]["xaxis"]["title"]["text"] == "Time (America/Chicago)"
    windows = bars(figure, "Calling window")["base"] + bars(figure, "Window in a contact-list clash")["base"]
    assert len(windows) == 3 * 4  # three weekday campaigns, Mon 30 Nov – Sun 6 Dec, effective from Tue 1 Dec
    page = response.content.decode()
    assert 'role="group"' in page and 'aria-label="Gantt chart of calling windows' in page
    assert "plotly-cartesian-4.1.1.min.js" in page and "js/charts.js" in page
    assert "capacity overload" in page  # the one-line summary


def test_the_page_embeds_plotlys_json_of_the_figure_with_its_config_and_height(as_manager, schedules):
    response = as_manager.get(reverse("timeline"), {"start": "2026-12-01", "days": 3, "times": "utc"})

    chart = response.context["chart"]
    figure = figure_of(response, "timeline")
    assert figure == json.loads(json.dumps({**chart.figure.to_plotly_json(), "config": CONFIG}))
    assert figure["config"]["displaylogo"] is False
    assert "toImage" in figure["config"]["modeBarButtonsToRemove"]
    assert f'data-height="{figure["layout"]["height"]}"' in response.content.decode()
    # Epoch milliseconds, never date strings: plotly would write an aware datetime as naive local time.
    assert all(type(ms) is int for trace in figure["data"] for ms in trace["base"])


def test_the_zone_toggle_draws_the_same_windows_in_utc(as_manager, schedules):
    as_manager.cookies["planner_tz"] = "America%2FChicago"
    local = figure_of(as_manager.get(reverse("timeline"), {"start": "2026-12-01", "days": 1}), "timeline")
    utc = figure_of(
        as_manager.get(reverse("timeline"), {"start": "2026-12-01", "days": 1, "times": "utc"}), "timeline"
    )

    local_first = min(
        bars(local, "Window in a contact-list clash")["base"] + bars(local, "Calling window")["base"]
    )
    assert utc["layout"]["xaxis"]["title"]["text"] == "Time (UTC)"
    utc_bases = bars(utc, "Calling window")["base"] + bars(utc, "Window in a contact-list clash")["base"]
    assert local_first + 6 * 3600 * 1000 in utc_bases  # 09:00 CST is 15:00 UTC: the bars move six hours


def test_the_timeline_filters_by_pool_zone_and_conflict(as_manager, schedules, pool):
    only_pool = figure_of(as_manager.get(reverse("timeline"), {"pool": "S-20"}), "timeline")
    rows = {row for trace in only_pool["data"] for row in trace["y"][1]}
    assert rows == {"Survey North"}

    only_zone = figure_of(as_manager.get(reverse("timeline"), {"zone": "Europe/Berlin"}), "timeline")
    assert {row for trace in only_zone["data"] for row in trace["y"][1]} == {"Survey North"}

    conflicting = figure_of(as_manager.get(reverse("timeline"), {"conflicting": "on"}), "timeline")
    rows = {row for trace in conflicting["data"] for row in trace["y"][1]}
    assert "Survey North" not in rows and {"Renewals East", "Renewals West"} <= rows


def test_bad_filters_are_refused_naming_the_field(as_manager, schedules):
    response = as_manager.get(reverse("timeline"), {"days": "400", "start": "yesterday"})

    assert response.status_code == 400
    page = response.content.decode()
    assert "Days: Ensure this value is less than or equal to 31." in page
    assert "From: Enter the date as YYYY-MM-DD, e.g. 2026-12-01." in page
    assert 'id="timeline-figure"' not in page


@pytest.mark.parametrize("page", ["timeline", "capacity"])
@pytest.mark.parametrize("start", ["0001-01-01", "0001-01-02", "9999-12-31", "9999-12-20", "1999-12-31", "2101-01-01"])
def test_a_range_near_the_ends_of_the_calendar_is_refused_naming_the_field(as_manager, schedules, page, start):
    response = as_manager.get(reverse(page), {"start": start, "days": "7", "times": "utc"})

    assert response.status_code == 400
    assert "From: Enter a date between 2000-01-01 and 2100-12-31." in response.content.decode()


def test_the_timeline_csv_has_the_numbers_the_chart_draws(as_manager, schedules):
    params = {"start": "2026-12-01", "days": 3, "times": "utc"}
    figure = figure_of(as_manager.get(reverse("timeline"), params), "timeline")
    response = as_manager.get(reverse("timeline"), {**params, "format": "csv"})

    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    windows = [r for r in rows if r["kind"] == "window"]
    drawn = bars(figure, "Calling window")["base"] + bars(figure, "Window in a contact-list clash")["base"]
    assert len(windows) == len(drawn)
    from datetime import UTC, datetime

    assert sorted(r["start_utc"] for r in windows) == sorted(
        datetime.fromtimestamp(ms / 1000, UTC).strftime("%Y-%m-%dT%H:%M:%SZ") for ms in drawn
    )
    overloads = [r for r in rows if r["kind"] == "overload"]
    assert len(overloads) == len(bars(figure, "Capacity overload (agents needed > pool's agents)")["base"])


def test_the_capacity_page_draws_the_heatmap_and_the_busiest_pools_curve(as_manager, schedules):
    response = as_manager.get(reverse("capacity"), {"start": "2026-12-01", "days": 2, "times": "utc"})

    assert response.status_code == 200
    heatmap = figure_of(response, "heatmap")
    assert heatmap["data"][0]["type"] == "heatmap"
    assert heatmap["data"][0]["y"] == ["Renewals (20 agents)", "Surveys (4 agents)"]
    assert len(heatmap["data"][0]["x"]) == 2 * 96
    heat, marks = heatmap["data"]
    at_1600 = heat["x"].index(int(dt.datetime(2026, 12, 1, 16, tzinfo=dt.UTC).timestamp()) * 1000)
    assert heat["z"][0][at_1600] == 120.0  # both Renewals campaigns: 24 of 20 agents
    assert heat["x"][at_1600] in marks["x"] and marks["marker"]["symbol"] == "x-thin"  # not colour alone
    curve = figure_of(response, "curve")
    assert curve["data"][0]["name"].startswith("Agents required")
    assert max(curve["data"][0]["y"]) == 24  # both Renewals campaigns at once: 12 + 12 of 20


def test_the_capacity_csv_has_one_row_per_pool_and_interval(as_manager, schedules):
    response = as_manager.get(
        reverse("capacity"),
        {"start": "2026-12-01", "days": 1, "times": "utc", "format": "csv", "chart": "heatmap"},
    )
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 2 * 96
    at_1600 = next(
        r for r in rows if r["pool"] == "Renewals" and r["interval_start_utc"] == "2026-12-01T16:00:00Z"
    )
    assert (at_1600["agents_required"], at_1600["agents_available"], at_1600["overloaded"]) == (
        "24",
        "20",
        "yes",
    )


def test_the_navigation_offers_timeline_capacity_and_dashboards_to_a_manager(as_manager):
    page = as_manager.get(reverse("timeline")).content.decode()
    for name in ("timeline", "capacity", "dashboard"):
        assert f'href="{reverse(name)}"' in page


def test_pages_without_charts_do_not_load_plotly(as_manager, schedules):
    page = as_manager.get(reverse("campaign-list")).content.decode()
    assert "plotly" not in page


def test_the_timelines_table_links_each_window_to_its_campaign(as_manager, schedules):
    page = as_manager.get(reverse("timeline"), {"pool": "S-20"}).content.decode()
    assert f'<a href="{reverse("campaign-detail", args=[schedules[2].pk])}">open</a>' in page


def test_an_unknown_zone_from_the_browser_falls_back_to_utc(as_manager, schedules):
    as_manager.cookies["planner_tz"] = "Mars%2FOlympus"
    figure = figure_of(as_manager.get(reverse("timeline")), "timeline")
    assert figure["layout"]["xaxis"]["title"]["text"] == "Time (UTC)"


def pause_of(campaign, planner, supervisor, *, status=TimedPause.Status.APPROVED, reason="Training day"):
    # Wed 2 Dec 14:00–Thu 3 Dec 00:00 UTC: the whole of Wednesday's 09:00–17:00 CST window.
    pause = TimedPause.objects.create(
        starts_at=dt.datetime(2026, 12, 2, 14, tzinfo=dt.UTC), ends_at=dt.datetime(2026, 12, 3, tzinfo=dt.UTC),
        reason=reason, requested_by=planner, status=status,
        reviewed_by=supervisor if status == TimedPause.Status.APPROVED else None,
    )  # fmt: skip
    pause.campaigns.set([campaign])
    return pause


def test_the_timeline_draws_an_approved_pause_over_its_campaign_and_holds_its_windows(
    as_manager, schedules, planner, supervisor
):
    pause_of(schedules[0], planner, supervisor)
    response = as_manager.get(reverse("timeline"), {"start": "2026-12-01", "days": 3, "times": "utc"})

    figure = figure_of(response, "timeline")
    band = bars(figure, "Paused (approved)")
    assert band["y"][1] == ["Renewals East"]
    assert band["base"] == [int(dt.datetime(2026, 12, 2, 14, tzinfo=dt.UTC).timestamp()) * 1000]
    assert band["x"] == [10 * 3600 * 1000]
    assert "Training day" in band["hovertext"][0] and "CST" in band["hovertext"][0]
    held = bars(figure, "Window held (does not dial)")
    assert held["y"][1] == ["Renewals East"] and len(held["base"]) == 1
    assert "1 campaign paused (approved)" in response.context["chart"].summary
    assert any(row[0] == "paused" for row in response.context["chart"].rows)  # in the table and the CSV too


def test_a_pause_awaiting_approval_is_drawn_apart_and_an_approval_redraws_the_kept_timeline(
    as_manager, schedules, planner, supervisor
):
    query = {"start": "2026-12-01", "days": 3, "times": "utc"}
    pause = pause_of(schedules[0], planner, supervisor, status=TimedPause.Status.SUBMITTED)
    names = {t["name"] for t in figure_of(as_manager.get(reverse("timeline"), query), "timeline")["data"]}
    assert "Pause awaiting approval" in names and "Window held (does not dial)" not in names

    TimedPause.objects.filter(pk=pause.pk).update(status=TimedPause.Status.APPROVED, reviewed_by=supervisor)
    names = {t["name"] for t in figure_of(as_manager.get(reverse("timeline"), query), "timeline")["data"]}
    assert {"Paused (approved)", "Window held (does not dial)"} <= names
