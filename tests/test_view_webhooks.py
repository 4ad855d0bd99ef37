"""The Webhooks page: who sees it, what each delivery shows, the status filter, Redeliver and Resume."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.models import WebhookDelivery, WebhookEndpoint
from campaigns.services.webhooks import outbox as webhooks
from tests.conftest import make_campaign, make_user
from tests.wfm_support import make_activation, outbox_settings

Status = WebhookDelivery.Status
URL = "http://wfm.test/hook"


@pytest.fixture(autouse=True)
def configured(monkeypatch):
    monkeypatch.setattr(webhooks, "enqueue_delivery", lambda pk: None)
    with outbox_settings(URL):
        yield


@pytest.fixture
def delivery(campaign, planner):
    return webhooks.record_activation_event(make_activation(campaign, planner))


def page(client, user, **params):
    client.force_login(user)
    return client.get(reverse("webhooks"), params)


def test_supervisors_managers_and_admins_see_the_page_and_planners_do_not(
    client, supervisor, manager, planner
):
    admin = make_user("ada_admin")
    admin.is_superuser = True
    admin.save()
    assert page(client, supervisor).status_code == 200
    assert page(client, manager).status_code == 200
    assert page(client, admin).status_code == 200
    assert page(client, planner).status_code == 403


def test_the_navigation_links_it_only_for_those_who_may_see_it(client, supervisor, planner):
    client.force_login(supervisor)
    assert reverse("webhooks") in client.get(reverse("audit")).content.decode()
    client.force_login(planner)
    assert reverse("webhooks") not in client.get(reverse("audit")).content.decode()


def test_each_delivery_shows_its_event_attempts_last_answer_and_next_try(client, supervisor, delivery):
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        attempts=2,
        last_attempt_at=timezone.now(),
        last_status_code=503,
        last_error="throttled (retry after 30 s)",
        last_response='{"code": "wfm.busy"}',
        next_attempt_at=timezone.now() + dt.timedelta(minutes=5),
    )
    html = page(client, supervisor).content.decode()
    assert "CAMPAIGN_SCHEDULE_UPDATED" in html and delivery.webhook_id in html and "Campaign C-1001" in html
    assert "Throttled" in html and "HTTP 503" in html and "throttled (retry after 30 s)" in html
    assert "wfm.busy" in html and "in 5 min" in html


def test_the_status_filter_shows_only_that_status(client, supervisor, delivery, campaign, planner):
    WebhookDelivery.objects.filter(pk=delivery.pk).update(status=Status.DEAD)
    other = webhooks.record_activation_event(make_activation(make_second(campaign), planner))
    dead = page(client, supervisor, status="dead").content.decode()
    assert delivery.webhook_id in dead and other.webhook_id not in dead
    partial = client.get(
        reverse("webhooks"), {"status": "waiting"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="webhook-results"
    )
    body = partial.content.decode()
    assert other.webhook_id in body and delivery.webhook_id not in body and "<html" not in body


def make_second(campaign):
    from tests.conftest import make_campaign

    return make_campaign("C-1002", pool=campaign.pool)


def test_a_supervisor_redelivers_a_dead_one_with_the_same_webhook_id(client, supervisor, delivery):
    WebhookDelivery.objects.filter(pk=delivery.pk).update(status=Status.DEAD, attempts=10)
    client.force_login(supervisor)
    answer = client.post(reverse("webhook-redeliver", args=[delivery.pk]), {"status": "dead"}, follow=True)
    delivery.refresh_from_db()
    assert answer.redirect_chain[-1][0] == reverse("webhooks") + "?status=dead"
    assert delivery.status == Status.PENDING and delivery.attempts == 0 and delivery.redeliveries == 1
    assert f"same webhook-id ({delivery.webhook_id})" in answer.content.decode()


def test_a_manager_sees_no_redeliver_button_and_cannot_post_one(client, manager, delivery):
    WebhookDelivery.objects.filter(pk=delivery.pk).update(status=Status.DEAD)
    assert "Redeliver" not in page(client, manager).content.decode().split("<tbody>")[1]
    answer = client.post(reverse("webhook-redeliver", args=[delivery.pk]), follow=True)
    delivery.refresh_from_db()
    assert delivery.status == Status.DEAD and "Only supervisors and admins" in answer.content.decode()


def test_redelivering_a_pending_one_is_refused_with_the_reason(client, supervisor, delivery):
    client.force_login(supervisor)
    answer = client.post(reverse("webhook-redeliver", args=[delivery.pk]), follow=True)
    assert "still being tried" in answer.content.decode()


def test_a_gone_endpoint_is_announced_and_can_be_resumed(client, supervisor, delivery):
    WebhookEndpoint.objects.create(url=URL, gone_at=timezone.now(), gone_answer="endpoint deleted")
    WebhookDelivery.objects.filter(pk=delivery.pk).update(status=Status.GONE)
    html = page(client, supervisor).content.decode()
    assert "WFM answered 410 Gone" in html and "endpoint deleted" in html and "Resume deliveries" in html
    answer = client.post(reverse("webhook-endpoint-resume"), follow=True)
    delivery.refresh_from_db()
    assert (
        delivery.status == Status.PENDING
        and "1 stopped deliveries will be sent again" in answer.content.decode()
    )
    assert WebhookEndpoint.objects.get(url=URL).gone_at is None


def test_an_empty_outbox_says_what_will_appear(client, manager):
    assert "No webhooks yet" in page(client, manager).content.decode()


def test_an_activation_shows_its_delivery_status_linked_for_those_who_may_see_the_page(
    rf, supervisor, planner, delivery
):
    from django.template import Context, Template

    activation = delivery.activation
    template = Template("{% load webhooks %}{% webhook_status activation %}")
    request = rf.get("/")
    request.user = supervisor
    as_supervisor = template.render(Context({"activation": activation, "request": request}))
    request.user = planner
    as_planner = template.render(Context({"activation": activation, "request": request}))
    assert "WFM: Waiting" in as_supervisor and f"#delivery-{delivery.pk}" in as_supervisor
    assert "WFM: Waiting" in as_planner and "href" not in as_planner
    WebhookDelivery.objects.filter(pk=delivery.pk).update(status=Status.DELIVERED)
    assert "WFM: Delivered" in template.render(Context({"activation": activation, "request": request}))


def test_the_filter_and_the_counts_use_the_words_of_the_badges(client, supervisor, delivery, campaign, planner):
    WebhookDelivery.objects.filter(pk=delivery.pk).update(attempts=1, last_status_code=500, last_error="HTTP 500")
    waiting = webhooks.record_activation_event(make_activation(make_second(campaign), planner))

    html = page(client, supervisor).content.decode()
    filter_options = html[html.index('id="id_status"') : html.index("</select>", html.index('id="id_status"'))]
    for label in ("Waiting", "Sending", "Retrying", "Throttled", "Delivered", "Dead-lettered", "Stopped"):
        assert label in filter_options
    assert "Pending" not in html
    assert "Retrying: 1" in html and "Waiting: 1" in html
    retrying = page(client, supervisor, status="retrying").content.decode()
    assert delivery.webhook_id in retrying and waiting.webhook_id not in retrying


def test_a_retry_due_within_a_minute_says_seconds_and_one_overdue_says_when_it_goes(client, supervisor, delivery):
    now = timezone.now()
    WebhookDelivery.objects.filter(pk=delivery.pk).update(attempts=1, next_attempt_at=now + dt.timedelta(seconds=40))
    html = page(client, supervisor).content.decode()
    assert "0 minutes" not in html and re.search(r"in (39|40) s<", html)  # whatever the test took
    WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=now - dt.timedelta(seconds=5))
    assert "due: sent at the next sweep, within a minute" in page(client, supervisor).content.decode()


def test_the_page_says_which_outcomes_are_announced(client, manager):
    html = page(client, manager).content.decode()
    assert "goes live (ACTIVE) or fails is announced" in html and "a stale one is not" in html
    assert "Every activation outcome is announced" not in html


def test_the_pages_throttle_codes_are_the_senders():
    from campaigns.models.webhooks import THROTTLE_STATUS_CODES
    from campaigns.wfm.sender import THROTTLE_STATUSES

    assert set(THROTTLE_STATUS_CODES) == THROTTLE_STATUSES


def test_the_pages_count_what_the_filter_finds(client, supervisor, delivery, campaign, planner):
    for n in range(55):
        webhooks.record_activation_event(make_activation(make_campaign(f"C-2{n:03}", pool=campaign.pool), planner))
    WebhookDelivery.objects.filter(pk=delivery.pk).update(status=Status.DEAD)

    assert "Page 1 of 2" in page(client, supervisor).content.decode()  # 56 deliveries, 50 a page
    dead = page(client, supervisor, status="dead").content.decode()
    assert delivery.webhook_id in dead and "Page 1 of 2" not in dead
