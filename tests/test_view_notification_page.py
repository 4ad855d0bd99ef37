"""The notifications page: unread first in the viewer's zone, the top bar's count, marking read (in place with
HTMX), and each person's mail choices."""

from __future__ import annotations

import datetime as dt

import pytest

from campaigns.models import Notification, NotificationKind, NotificationSettings
from campaigns.services.notifications import notify
from tests.conftest import PASSWORD, make_draft

K = NotificationKind
AT = dt.datetime(2026, 11, 30, 17, 5, tzinfo=dt.UTC)


@pytest.fixture
def drift(campaign, planner):
    make_draft(campaign, planner)
    notify.drift_found(campaign, differences=["CXone opens 09:00 CST"], at=AT, key="old")
    notify.drift_found(campaign, differences=["CXone closes 18:00 CST"], at=AT + dt.timedelta(hours=1), key="new")
    return Notification.objects.filter(recipient=planner).order_by("created_at")


def test_it_lists_unread_news_newest_first_in_the_viewers_zone_and_counts_it_in_the_top_bar(as_planner, drift):
    as_planner.cookies["planner_tz"] = "Europe/Berlin"
    page = as_planner.get("/notifications/").content.decode()
    assert page.index("CXone closes 18:00 CST") < page.index("CXone opens 09:00 CST")
    assert "Mon 30 Nov 2026, 18:05 CET (17:05 UTC)" in page
    assert '<span class="count" aria-label="2 unread">2</span>' in page
    assert 'href="/notifications/"' in as_planner.get("/campaigns/").content.decode()


def test_marking_one_read_with_htmx_removes_it_and_updates_the_count(as_planner, drift):
    first = drift[0]
    answer = as_planner.post(f"/notifications/{first.pk}/read", HTTP_HX_REQUEST="true")
    assert answer.status_code == 200
    assert 'id="unread-notifications" hx-swap-oob="true"' in answer.content.decode()
    assert "1 unread" in answer.content.decode()
    first.refresh_from_db()
    assert first.read_at is not None
    page = as_planner.get("/notifications/").content.decode()
    assert "Read, last 30 days" in page


def test_mark_all_read_marks_only_ones_own(as_planner, drift, supervisor, campaign):
    notify.control_alarm("Alarm", campaign=campaign)  # the supervisor's
    assert as_planner.post("/notifications/read").status_code == 302
    assert not Notification.objects.filter(recipient=drift[0].recipient, read_at__isnull=True).exists()
    assert Notification.objects.get(recipient=supervisor).read_at is None


def test_someone_else_cannot_mark_my_notification_read(client, drift, other_planner):
    client.force_login(other_planner)
    client.post(f"/notifications/{drift[0].pk}/read")
    drift[0].refresh_from_db()
    assert drift[0].read_at is None


def test_choices_switch_kinds_off_and_set_the_zone_of_my_mail(as_planner, planner):
    answer = as_planner.post("/notifications/choices", {"mail": [K.DRAFT_REJECTED], "zone": "US/Central"})
    assert answer.status_code == 302
    settings = NotificationSettings.objects.get(user=planner)
    assert K.DRAFT_REJECTED not in settings.mail_off and K.WENT_LIVE in settings.mail_off
    assert settings.zone == "America/Chicago" and settings.zone_chosen
    page = as_planner.get("/notifications/").content.decode()
    assert 'value="draft_rejected" checked' in page and 'value="went_live" >' in page


def test_a_zone_that_is_no_place_is_refused_beside_the_field(as_planner, planner):
    answer = as_planner.post("/notifications/choices", {"mail": [], "zone": "EST"})
    assert answer.status_code == 400
    assert "role=\"alert\"" in answer.content.decode() and "EST" in answer.content.decode()
    assert not NotificationSettings.objects.filter(user=planner, zone_chosen=True).exists()


def test_the_browsers_zone_at_sign_in_becomes_the_zone_of_my_mail(client, planner):
    client.cookies["planner_tz"] = "Asia/Tokyo"
    client.post("/login/", {"username": planner.username, "password": PASSWORD})
    assert NotificationSettings.objects.get(user=planner).zone == "Asia/Tokyo"
