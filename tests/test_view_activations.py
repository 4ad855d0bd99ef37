"""The Activations page, the live step partial (htmx polling stopped with 286), Retry, and who may do what."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Activation, DraftStatus
from campaigns.services.activation import doorbell
from tests.conftest import make_campaign, make_draft

pytestmark = pytest.mark.django_db
Step = Activation.Step
HTMX = {"HTTP_HX_REQUEST": "true"}


def make_activation(campaign, author, approver, *, step=Step.POLLING, **fields) -> Activation:
    status = {Step.ACTIVE: DraftStatus.ACTIVE, Step.FAILED: DraftStatus.FAILED, Step.STALE: DraftStatus.STALE}
    draft = make_draft(campaign, author, status=status.get(step, DraftStatus.ACTIVATING), approver=approver)
    now = timezone.now()
    values = {
        "approved_at": now - dt.timedelta(seconds=10),
        "base_version": campaign.remote_version,
        "pushed_version": campaign.remote_version + 1,
        "pushed_at": now - dt.timedelta(seconds=8),
        "attempts": 1,
        "poll_count": 3,
    }
    values.update(fields)
    return Activation.objects.create(draft=draft, campaign=campaign, step=step, **values)


def results(response) -> str:
    """The page below its filters (whose campaign menu names every campaign)."""
    return response.content.decode().split('id="activation-results"', 1)[1]


@pytest.fixture
def failed(pool, planner, supervisor):
    campaign = make_campaign("C-3001", pool=pool, name="Renewals East")
    return make_activation(
        campaign,
        planner,
        supervisor,
        step=Step.FAILED,
        outcome="refused by CXone",
        error="CXone refused the schedule.",
        remote_errors=[{"field": "schedule.cronExpression", "message": "must have exactly 5 fields"}],
        pushed_version=None,
        pushed_at=None,
    )


@pytest.fixture
def in_flight(pool, planner, supervisor):
    return make_activation(make_campaign("C-3002", pool=pool, name="Winback West"), planner, supervisor)


@pytest.mark.parametrize(
    "role,status",
    [("anonymous", 302), ("outsider", 403), ("planner", 200), ("supervisor", 200), ("manager", 200)],
)
def test_everyone_with_a_role_sees_the_activations_and_their_live_steps(
    client, request, failed, role, status
):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("activation-list")).status_code == status
    step_status = client.get(reverse("activation-step", args=[failed.pk])).status_code
    assert step_status == (286 if status == 200 else status)


@pytest.mark.parametrize("role,status", [("planner", 403), ("manager", 403), ("supervisor", 302)])
def test_only_supervisors_may_retry(client, request, failed, role, status, monkeypatch):
    monkeypatch.setattr(doorbell, "async_task", lambda *args: None)
    client.force_login(request.getfixturevalue(role))
    response = client.post(reverse("activation-retry", args=[failed.pk]))
    assert response.status_code == status
    assert Activation.objects.filter(retry_of=failed).exists() == (status == 302)


def test_the_list_shows_each_push_with_its_step_latency_and_cxones_words(
    client, supervisor, failed, pool, planner
):
    done = make_activation(
        make_campaign("C-3003", pool=pool, name="Survey North"),
        planner,
        supervisor,
        step=Step.ACTIVE,
        remote_activated_at=timezone.now() - dt.timedelta(seconds=2),
        observed_active_at=timezone.now(),
        latency_ms=3300,
    )
    client.force_login(supervisor)
    page = client.get(reverse("activation-list")).content.decode()

    assert "Renewals East" in page and "Survey North" in page
    assert "3.3 s" in page  # latency, approval → observed ACTIVE
    assert "schedule.cronExpression</code>: must have exactly 5 fields" in page
    assert f'action="{reverse("activation-retry", args=[failed.pk])}"' in page
    assert f'action="{reverse("activation-retry", args=[done.pk])}"' not in page  # only failed ones
    assert 'hx-trigger="every 2s"' not in page  # nothing in flight: no polling


def test_the_list_filters_by_step_and_campaign(client, planner, failed, in_flight):
    client.force_login(planner)
    by_step = results(client.get(reverse("activation-list"), {"step": "failed"}))
    assert "Renewals East" in by_step and "Winback West" not in by_step
    by_campaign = results(client.get(reverse("activation-list"), {"campaign": in_flight.campaign_id}))
    assert "Winback West" in by_campaign and "Renewals East" not in by_campaign
    assert "Retry" not in by_step  # planners do not get the button


def test_the_rows_refresh_while_anything_is_in_flight_and_stop_with_286(client, planner, in_flight):
    client.force_login(planner)
    page = client.get(reverse("activation-list")).content.decode()
    assert 'id="activation-rows"' in page and 'hx-trigger="every 2s"' in page

    rows = client.get(reverse("activation-list"), HTTP_HX_TARGET="activation-rows", **HTMX)
    assert rows.status_code == 200 and "<html" not in rows.content.decode()
    Activation.objects.filter(pk=in_flight.pk).update(step=Step.ACTIVE, latency_ms=1200)
    last = client.get(reverse("activation-list"), HTTP_HX_TARGET="activation-rows", **HTMX)
    assert last.status_code == 286 and "hx-trigger" not in last.content.decode()


def test_the_live_step_polls_until_the_activation_finishes(client, planner, in_flight):
    client.force_login(planner)
    url = reverse("activation-step", args=[in_flight.pk])
    waiting = client.get(url, **HTMX)
    assert waiting.status_code == 200
    assert (
        f'hx-get="{url}"' in waiting.content.decode()
        and "waiting for it to become ACTIVE" in waiting.content.decode()
    )

    Activation.objects.filter(pk=in_flight.pk).update(
        step=Step.ACTIVE,
        remote_activated_at=timezone.now(),
        observed_active_at=timezone.now(),
        latency_ms=4100,
    )
    done = client.get(url, **HTMX)
    assert done.status_code == 286
    body = done.content.decode()
    assert "hx-get" not in body and "live in CXone as version 8" in body and "4.1 s after approval" in body


def test_the_draft_and_campaign_pages_show_the_live_step(client, planner, in_flight):
    client.force_login(planner)
    step_url = reverse("activation-step", args=[in_flight.pk])
    for page in (
        reverse("draft-editor", args=[in_flight.draft_id]),
        reverse("campaign-detail", args=[in_flight.campaign_id]),
    ):
        assert f'hx-get="{step_url}"' in client.get(page).content.decode(), page


def test_the_planners_landing_page_shows_how_their_drafts_fared(client, planner, failed):
    client.force_login(planner)
    page = client.get(reverse("campaign-list")).content.decode()
    assert "Your drafts in CXone" in page and "refused by CXone" in page


def test_a_refused_retry_says_why(client, other_supervisor, failed):
    failed.campaign.__class__.objects.filter(pk=failed.campaign_id).update(remote_version=99)
    client.force_login(other_supervisor)
    response = client.post(reverse("activation-retry", args=[failed.pk]), follow=True)
    assert "CXone changed Renewals East since activation" in response.content.decode()
    assert not Activation.objects.filter(retry_of=failed).exists()


def test_under_the_admin_api_the_pages_leave_out_fingerprint_versions(client, planner, in_flight, settings):
    # A skill's "version" is a fingerprint of its week: a nine-digit number that tells a planner nothing.
    settings.CXONE_API = "admin"
    Activation.objects.filter(pk=in_flight.pk).update(pushed_version=420477187)
    client.force_login(planner)
    pages = {
        "step": client.get(reverse("activation-step", args=[in_flight.pk]), **HTMX).content.decode(),
        "list": client.get(reverse("activation-list")).content.decode(),
        "draft": client.get(reverse("draft-editor", args=[in_flight.draft_id])).content.decode(),
        "campaign": client.get(reverse("campaign-detail", args=[in_flight.campaign_id])).content.decode(),
    }
    assert "CXone accepted the schedule; waiting for it to become ACTIVE" in pages["step"]
    for name, body in pages.items():
        assert "420477187" not in body and "CXone version" not in body, name


def test_without_cxones_activation_time_the_pages_say_when_it_was_seen_running(client, planner, in_flight):
    # The Admin API has no activatedAt: a skill is simply running when a poll sees it.
    seen = timezone.now()
    Activation.objects.filter(pk=in_flight.pk).update(
        step=Step.ACTIVE, remote_activated_at=None, observed_active_at=seen, latency_ms=3200
    )
    client.force_login(planner)
    step = client.get(reverse("activation-step", args=[in_flight.pk]), **HTMX).content.decode()
    listed = client.get(reverse("activation-list")).content.decode()
    shown = seen.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")  # no zone from the browser: UTC, named
    assert f">{shown}</time>, 3.2 s after approval" in step and "since —" not in step
    assert f">{shown}</time>" in listed


@pytest.mark.parametrize("campaign", ["²", "١٢", "100000000000000000000", "-1", "nan", "x" * 500])
def test_a_campaign_filter_that_is_no_id_is_named_with_a_400_not_a_500(client, supervisor, failed, campaign):
    client.force_login(supervisor)
    response = client.get(reverse("activation-list"), {"campaign": campaign})
    assert response.status_code == 400
    assert response.context["query_problems"] == [
        f"Campaign: “{campaign[:40]}{'…' if len(campaign) > 40 else ''}” is not a number in the digits 0-9, so it "
        "is ignored."
    ]
    assert f"#{failed.pk}" in results(response)  # the list, unfiltered


def test_an_unknown_step_is_named_with_a_400(client, supervisor, failed):
    client.force_login(supervisor)
    response = client.get(reverse("activation-list"), {"step": "exploded"})
    assert response.status_code == 400
    assert "Step: “exploded” is not one of the choices, so it is ignored." in response.content.decode()


def test_retrying_an_activation_that_does_not_exist_is_not_found(client, supervisor):
    client.force_login(supervisor)
    assert client.post(reverse("activation-retry", args=[999999])).status_code == 404
    assert client.post("/activations/100000000000000000000/retry").status_code == 404


def test_times_in_an_activations_step_are_in_the_viewers_zone_with_utc_on_hover(client, planner, in_flight):
    due = dt.datetime(2026, 12, 1, 15, 0, 7, tzinfo=dt.UTC)
    Activation.objects.filter(pk=in_flight.pk).update(step=Step.QUEUED, due_at=due, error="CXone is busy.")
    client.force_login(planner)
    client.cookies["planner_tz"] = "America/Chicago"

    step = client.get(reverse("activation-step", args=[in_flight.pk]), **HTMX).content.decode()
    assert 'title="2026-12-01 15:00 UTC">09:00:07 CST</time>' in step
    assert " UTC." not in step
