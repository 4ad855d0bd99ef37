"""The Stop dialling pages: the form for supervisors only, a stop posted and its live page, the rows that htmx
polls until every stop is confirmed (then 286), the four-eyes Resume's buttons, timed pauses asked and approved."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.models import DiallingChange, DiallingStop, TimedPause
from campaigns.services.control import alarms, pausing, stopping
from tests.conftest import make_campaign
from tests.control_support import rung

pytestmark = pytest.mark.django_db
__all__ = ["rung"]


@pytest.fixture
def two(db):
    return [make_campaign("C-1", name="East"), make_campaign("C-2", name="West")]


def test_a_supervisor_sees_the_stop_form_and_a_planner_does_not(client, supervisor, planner, two):
    client.force_login(supervisor)
    assert 'id="stop-form"' in client.get(reverse("dialling")).content.decode()
    client.force_login(planner)
    page = client.get(reverse("dialling")).content.decode()
    assert 'id="stop-form"' not in page and 'id="pause-form"' in page


def test_stopping_a_selection_leads_to_its_live_page_listing_each_campaign(client, supervisor, two, rung):
    client.force_login(supervisor)
    response = client.post(reverse("dialling-stop-new"), {"scope": "selection", "campaigns": [two[0].pk],
                                                          "reason": "Bad list"})  # fmt: skip
    order = DiallingStop.objects.get()
    assert response["Location"] == reverse("dialling-stop", args=[order.pk])
    page = client.get(response["Location"]).content.decode()
    assert "East" in page and "West" not in page
    assert 'hx-trigger="every 1s"' in page and "0 of 1 confirmed stopped" in page


def test_the_rows_keep_polling_until_every_stop_is_confirmed_then_answer_286(client, supervisor, two, rung):
    client.force_login(supervisor)
    order = stopping.stop(supervisor, {"all": True}, "Carrier incident")
    url = reverse("dialling-stop-rows", args=[order.pk])
    assert client.get(url, HTTP_HX_REQUEST="true").status_code == 200
    order.changes.update(step=DiallingChange.Step.DONE, outcome="Confirmed stopped: CXone shows it PAUSED")
    response = client.get(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 286
    assert "2 of 2 confirmed stopped" in response.content.decode()
    assert "every 1s" not in response.content.decode()


def test_a_stop_without_a_reason_is_refused_with_a_message(client, supervisor, two):
    client.force_login(supervisor)
    response = client.post(reverse("dialling-stop-new"), {"scope": "all", "reason": ""}, follow=True)
    assert "Say why dialling stops" in response.content.decode()
    assert not DiallingStop.objects.exists()


def test_the_supervisor_who_asked_to_resume_sees_withdraw_and_another_sees_agree(
    client, supervisor, other_supervisor, two, rung
):
    order = stopping.stop(supervisor, {"all": True}, "x")
    client.force_login(supervisor)
    client.post(reverse("dialling-resume-ask", args=[order.pk]), {"note": "fixed"})
    page = client.get(reverse("dialling-stop", args=[order.pk])).content.decode()
    assert "Withdraw" in page and "Agree and resume" not in page
    client.force_login(other_supervisor)
    page = client.get(reverse("dialling-stop", args=[order.pk])).content.decode()
    assert "Agree and resume" in page
    client.post(reverse("dialling-resume-agree", args=[order.pk]))
    assert DiallingStop.objects.get(pk=order.pk).state == DiallingStop.State.RESUMED


def test_a_planner_asks_for_a_timed_pause_and_a_supervisor_approves_it(client, planner, supervisor, two, rung):
    client.force_login(planner)
    start = (timezone.now() + dt.timedelta(days=1)).replace(microsecond=0, tzinfo=None)
    client.post(reverse("dialling-pause-new"), {
        "campaigns": [two[1].pk], "starts_at": start.isoformat(timespec="minutes"),
        "ends_at": (start + dt.timedelta(hours=3)).isoformat(timespec="minutes"), "reason": "Training",
    })  # fmt: skip
    pause = TimedPause.objects.get()
    client.force_login(supervisor)
    client.post(reverse("dialling-pause-approve", args=[pause.pk]))
    assert TimedPause.objects.get().status == TimedPause.Status.APPROVED
    assert pause.changes.count() == 2


def test_an_unconfirmed_stop_past_its_alarm_time_shows_a_banner_on_every_page(client, planner, two, rung, supervisor):
    order = stopping.stop(supervisor, {"campaigns": [two[0].pk]}, "x")
    order.changes.update(alarm_at=timezone.now() - dt.timedelta(seconds=1))
    alarms.raise_overdue()
    client.force_login(planner)
    for name in ("campaign-list", "activation-list"):
        page = client.get(reverse(name)).content.decode()
        assert "Dialling not confirmed stopped." in page and "East" in page


def test_the_campaign_history_lists_the_stops_and_the_alarm(client, planner, supervisor, two, rung):
    order = stopping.stop(supervisor, {"campaigns": [two[0].pk]}, "Bad list")
    order.changes.update(alarm_at=timezone.now() - dt.timedelta(seconds=1))
    alarms.raise_overdue()
    client.force_login(planner)
    page = client.get(reverse("campaign-history", args=[two[0].pk])).content.decode()
    assert "Dialling stopped and started by the product" in page
    assert "Bad list" in page and "Alarm" in page


def test_an_approved_pause_shows_on_the_timeline_of_its_period(client, planner, supervisor, two, rung, frozen_clock):
    start = timezone.now() + dt.timedelta(days=2)
    pause = pausing.ask(planner, {"campaigns": [two[1].pk]}, start, start + dt.timedelta(hours=4), "Training day")
    client.force_login(planner)
    assert "Paused in this period" not in client.get(reverse("timeline")).content.decode()
    pausing.approve(pause.pk, supervisor)
    page = client.get(reverse("timeline")).content.decode()
    assert "Paused in this period" in page and "Training day" in page and "West" in page
