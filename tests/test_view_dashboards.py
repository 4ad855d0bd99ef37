"""The dashboards through the test client: who may see them, the empty states, latency and webhook panels from
rows created directly (the pipelines that fill them are built elsewhere), and CSV of every chart."""

import csv
import datetime as dt
import io
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Activation, CampaignVersion, Drift, WebhookDelivery
from tests.conftest import make_campaign, make_draft

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_clock")]


def activation(campaign, author, *, step, minutes_ago, latency_s=None, outcome=""):
    draft = make_draft(campaign, author, status="active" if step == "active" else "failed")
    approved = timezone.now() - dt.timedelta(minutes=minutes_ago)
    return Activation.objects.create(
        draft=draft,
        campaign=campaign,
        step=step,
        approved_at=approved,
        latency_ms=None if latency_s is None else latency_s * 1000,
        observed_active_at=None if latency_s is None else approved + dt.timedelta(seconds=latency_s),
        outcome=outcome,
    )


def figure_of(page: str, key: str) -> dict:
    """The figure JSON the page hands to plotly.js (its json_script element)."""
    start = page.index(f'id="{key}-figure"')
    return json.loads(page[page.index(">", start) + 1 : page.index("</script>", start)])


def trace(figure: dict, name: str) -> dict:
    return next(t for t in figure["data"] if t["name"] == name)


def csv_rows(client, chart, days=28):
    response = client.get(reverse("dashboard"), {"days": days, "format": "csv", "chart": chart})
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_supervisors_and_managers_see_the_dashboards_planners_do_not(client, manager, supervisor, planner):
    client.force_login(planner)
    assert client.get(reverse("dashboard")).status_code == 403
    for user in (manager, supervisor):
        client.force_login(user)
        page = client.get(reverse("dashboard")).content.decode()
        assert f'href="{reverse("dashboard")}"' in page  # in their navigation too


def test_without_activations_the_panels_say_so_honestly(client, manager):
    client.force_login(manager)
    page = client.get(reverse("dashboard")).content.decode()

    assert page.count("No activations yet") == 2  # latency per day and the histogram
    assert "No failed activations in this range." in page
    assert "No webhook deliveries yet" in page
    assert 'id="conflicts-figure"' in page  # conflicts come from the schedules, not from activations


def test_latency_panels_count_the_slo_from_the_rows(client, manager, campaign, planner):
    other = make_campaign("C-2", pool=campaign.pool)
    third = make_campaign("C-3", pool=campaign.pool)
    fourth = make_campaign("C-4", pool=campaign.pool)
    activation(campaign, planner, step="active", minutes_ago=60, latency_s=90)
    activation(other, planner, step="active", minutes_ago=120, latency_s=420)
    activation(third, planner, step="failed", minutes_ago=30, outcome="CXone 422: invalid window")
    activation(fourth, planner, step="stale", minutes_ago=30)  # not latency: left out
    client.force_login(manager)

    page = client.get(reverse("dashboard")).content.decode()
    assert "1 of 3 approvals (33.3 %) were ACTIVE within 5 minutes (misses the 95 % SLO)" in page
    per_day_figure = figure_of(page, "latency")
    assert trace(per_day_figure, "p50 (median)")["y"] == [1.5] and trace(per_day_figure, "p95")["y"] == [7.0]
    histogram_figure = figure_of(page, "histogram")
    assert sum(trace(histogram_figure, "Within the SLO (< 5 min)")["y"]) == 1  # 90 s
    assert sum(trace(histogram_figure, "Beyond the SLO (≥ 5 min)")["y"]) == 1  # 420 s
    assert trace(histogram_figure, "Never ACTIVE (failed or still waiting)")["y"] == [1]
    failures = figure_of(page, "failures")["data"][0]
    assert failures["y"] == ["CXone 422: invalid window"] and failures["x"] == [1]
    assert '<a href="#histogram-chart">⚠ 33.3 % of 3 ACTIVE within 5 min (SLO 95 %)</a>' in page  # the top line
    assert page.count("Counted per approval") == 2  # said under both latency charts
    per_day = csv_rows(client, "latency")
    assert per_day == [
        {
            "day_utc": "2026-11-30",
            "approvals": "3",
            "active": "2",
            "within_slo": "1",
            "p50_seconds": "90.0",
            "p95_seconds": "420.0",
        }
    ]
    histogram = csv_rows(client, "histogram")
    assert sum(int(r["approvals"]) for r in histogram) == 3  # the share's 3, the figure's 3
    assert histogram[-1] == {"bin": "not ACTIVE", "from_seconds": "", "to_seconds": "", "approvals": "1",
                             "within_slo": "no"}  # fmt: skip
    assert csv_rows(client, "failures") == [{"reason": "CXone 422: invalid window", "activations": "1"}]


def test_an_approval_retried_after_a_failure_counts_once_from_its_approval(client, manager, campaign, planner):
    failed = activation(campaign, planner, step="failed", minutes_ago=60, outcome="timed out")
    retried_at = failed.approved_at + dt.timedelta(minutes=20)
    Activation.objects.create(
        draft=failed.draft,
        campaign=campaign,
        step="active",
        approved_at=retried_at,
        retry_of=failed,
        latency_ms=30_000,
        observed_active_at=retried_at + dt.timedelta(seconds=30),
    )
    for number in range(2, 10):
        activation(make_campaign(f"C-{number}", pool=campaign.pool), planner, step="active", minutes_ago=30,
                   latency_s=40)  # fmt: skip
    client.force_login(manager)

    page = client.get(reverse("dashboard")).content.decode()
    assert "8 of 9 approvals (88.9 %) were ACTIVE within 5 minutes" in page
    histogram = csv_rows(client, "histogram")
    assert sum(int(r["approvals"]) for r in histogram) == 9
    beyond = [r for r in histogram if r["within_slo"] == "no"]
    assert sum(int(r["approvals"]) for r in beyond) == 1  # 20.5 min from its approval, not the retry's 30 s
    assert csv_rows(client, "latency")[0]["approvals"] == "9"


def test_webhook_health_sorts_deliveries_by_where_they_are(client, manager, campaign, planner):
    for status, attempts in [
        ("delivered", 1),
        ("delivered", 2),
        ("pending", 0),
        ("pending", 3),
        ("dead", 10),
    ]:
        # One event per activation (the outbox's constraint), so each delivery has an activation of its own.
        act = activation(campaign, planner, step="active", minutes_ago=10, latency_s=60)
        WebhookDelivery.objects.create(
            event_type="activation.active", activation=act, payload={}, status=status, attempts=attempts
        )
    client.force_login(manager)

    rows = csv_rows(client, "webhooks")
    assert rows == [{"day_utc": "2026-11-30", "delivered": "2", "retrying": "1", "waiting": "1", "dead": "1"}]
    page = client.get(reverse("dashboard")).content.decode()
    assert "5 deliveries: 2 delivered, 1 retrying or throttled, 1 waiting, 1 dead-lettered or stopped" in page
    figure = figure_of(page, "webhooks")
    assert [(t["name"], t["x"], t["y"]) for t in figure["data"]] == [
        ("Delivered", ["2026-11-30"], [2]),
        ("Retrying or throttled", ["2026-11-30"], [1]),
        ("Waiting", ["2026-11-30"], [1]),
        ("Dead-lettered or stopped", ["2026-11-30"], [1]),
    ]
    assert figure["layout"]["barmode"] == "stack"


def test_conflicts_per_week_start_this_week(client, manager, pool):
    make_campaign("C-1", pool=pool, agents_required=12)
    make_campaign("C-2", pool=pool, agents_required=12, contact_list_id="L-2")
    client.force_login(manager)

    weeks = csv_rows(client, "conflicts", days=7)
    # Tue–Fri from 1 Dec, both 09:00–17:00 Chicago with 24 of 20 agents: 4 days × 8 h.
    assert weeks == [
        {
            "week_start": "2026-11-30",
            "overload_hours": "32.0",
            "overloads": "4",
            "clash_hours": "0.0",
            "clashes": "0",
        }
    ]
    figure = figure_of(client.get(reverse("dashboard"), {"days": 7}).content.decode(), "conflicts")
    overload = trace(figure, "Capacity overload (hours)")
    assert overload["y"] == [32.0] and overload["text"] == ["32.0 h (4)"]  # the chart draws what the CSV says
    assert trace(figure, "Contact-list clash (hours)")["y"] == [0.0]


def drift(campaign, *, hours_ago, answered_after_hours=None, answer=""):
    """A change found in CXone `hours_ago`, answered (with `answer`) that many hours after, or still open."""
    version = CampaignVersion.objects.create(campaign=campaign, source="first_mirrored")
    seen = timezone.now() - dt.timedelta(hours=hours_ago)
    answered = None if answered_after_hours is None else seen + dt.timedelta(hours=answered_after_hours)
    return Drift.objects.create(
        campaign=campaign, seen=version, reference=version, changed=["schedule"], first_seen_at=seen,
        last_seen_at=seen, answered_at=answered, answer=answer,
    )  # fmt: skip


def test_drift_per_week_and_the_time_to_answer_sit_beside_the_latency_charts(client, manager, pool):
    drift(make_campaign("C-1", pool=pool), hours_ago=30, answered_after_hours=2, answer="kept")
    drift(make_campaign("C-2", pool=pool), hours_ago=50, answered_after_hours=6, answer="restoring")
    drift(make_campaign("C-3", pool=pool), hours_ago=10)  # not answered yet
    client.force_login(manager)

    page = client.get(reverse("dashboard"), {"days": 7}).content.decode()
    keys = [
        key
        for key in ("latency", "histogram", "drift", "drift-answers", "failures")
        if f'id="{key}-chart"' in page
    ]
    assert keys == ["latency", "histogram", "drift", "drift-answers", "failures"]
    assert (
        page.index('id="histogram-chart"')
        < page.index('id="drift-chart"')
        < page.index('id="failures-chart"')
    )
    assert "3 changes made in CXone found over 2 weeks; 1 not answered yet." in page
    assert '<a href="#drift-chart">1 change in CXone not answered</a>' in page
    # Frozen on Monday 30 Nov 12:00 UTC: the two answered changes were first seen in the week before.
    per_week = [
        (r["week_start"], r["found"], r["open"], r["restored"], r["kept"])
        for r in csv_rows(client, "drift", 7)
    ]
    assert per_week == [("2026-11-23", "2", "0", "1", "1"), ("2026-11-30", "1", "1", "0", "0")]
    assert trace(figure_of(page, "drift"), "Not answered yet")["y"] == [
        0,
        1,
    ]  # the figure draws what the CSV says
    answers = csv_rows(client, "drift-answers", days=7)
    assert answers == [{"week_start": "2026-11-23", "answered": "2", "p50_hours": "2.0", "p95_hours": "6.0"}]
    assert trace(figure_of(page, "drift-answers"), "p95")["y"] == [6.0]
    assert "1 change not answered yet, the oldest for 10.0 h." in page


def test_a_bad_range_is_named_and_an_unknown_chart_is_not_found(client, manager):
    client.force_login(manager)
    response = client.get(reverse("dashboard"), {"days": "abc"})
    assert response.status_code == 400
    assert "Range: “abc” is not one of 7, 28, 90 days" in response.content.decode()
    assert client.get(reverse("dashboard"), {"format": "csv", "chart": "nope"}).status_code == 404


def test_managers_land_on_the_dashboards(client, manager):
    client.force_login(manager)
    assert client.get("/")["Location"] == reverse("dashboard")


@pytest.mark.parametrize("days", ["²", "٢٨", "2⁸", "100000000000000000000", "nan", "-7", " "])
def test_a_range_in_other_digits_or_too_large_is_named_not_a_500(client, manager, days):
    client.force_login(manager)
    response = client.get(reverse("dashboard"), {"days": days})
    assert response.status_code == 400
    assert "is not one of 7, 28, 90 days; showing 28." in response.content.decode()
