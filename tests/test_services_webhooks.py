"""The WFM outbox (campaigns/services/webhooks.py): one event per activation outcome, committed with it; each
answer of the stand-in (over a real socket) leads to the right state and next attempt; dead-letter after the
last; redelivery keeps the webhook-id; a killed worker or a lost task never loses an event."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone

from campaigns.models import Activation, AuditEntry, CampaignVersion, Drift, WebhookDelivery, WebhookEndpoint
from campaigns.services.errors import NotAllowed
from campaigns.services.webhooks import outbox as webhooks
from tests.wfm_support import make_activation, outbox_settings, refused_url, stand_in

Status = WebhookDelivery.Status


@pytest.fixture
def enqueued(monkeypatch):
    """The doorbell, recorded instead of rung (the tests call deliver themselves)."""
    calls: list[int] = []
    monkeypatch.setattr(webhooks, "enqueue_delivery", calls.append)
    return calls


@pytest.fixture
def activation(campaign, planner):
    return make_activation(campaign, planner)


@pytest.fixture
def delivery(activation, enqueued):
    return webhooks.record_activation_event(activation)


def received(wfm) -> list[dict]:
    return list(wfm.state.wfm_deliveries.values())


def the_wait_passes(delivery) -> None:
    WebhookDelivery.objects.filter(pk=delivery.pk, status=Status.PENDING).update(
        next_attempt_at=timezone.now()
    )


# ---- recording ------------------------------------------------------------------------------------------------


def test_an_active_outcome_records_one_schedule_updated_event_however_often_it_is_called(
    activation, enqueued
):
    first = webhooks.record_activation_event(activation)
    again = webhooks.record_activation_event(activation)
    assert first.pk == again.pk and WebhookDelivery.objects.count() == 1
    assert first.event_type == "CAMPAIGN_SCHEDULE_UPDATED" and first.status == Status.PENDING
    assert first.payload["type"] == "campaign_schedule.activated"
    assert first.payload["eventId"] == first.webhook_id


def test_a_failed_outcome_records_an_activation_failed_event(campaign, planner, enqueued):
    failed = make_activation(campaign, planner, step=Activation.Step.FAILED)
    delivery = webhooks.record_activation_event(failed)
    assert delivery.event_type == "CAMPAIGN_ACTIVATION_FAILED"
    assert delivery.payload["type"] == "campaign_schedule.activation_failed"
    assert "INACTIVE" in delivery.payload["error"]["message"]


def test_a_stale_activation_tells_wfm_nothing_and_an_unfinished_one_is_a_mistake(campaign, planner, enqueued):
    stale = make_activation(campaign, planner, step=Activation.Step.STALE)
    assert webhooks.record_activation_event(stale) is None
    pushing = make_activation(make_campaign_2(campaign.pool), planner, step=Activation.Step.PUSHING)
    with pytest.raises(ValueError, match="only active or failed"):
        webhooks.record_activation_event(pushing)
    assert WebhookDelivery.objects.count() == 0


def make_campaign_2(pool):
    from tests.conftest import make_campaign

    return make_campaign("C-1002", pool=pool)


def test_delivery_is_enqueued_only_once_the_outcome_commits(
    activation, enqueued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        delivery = webhooks.record_activation_event(activation)
        assert enqueued == []
    assert enqueued == [delivery.pk]


def test_no_event_survives_an_outcome_that_rolls_back(
    activation, enqueued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        webhooks.record_activation_event(activation)
        raise RuntimeError("the outcome's transaction fails")
    assert WebhookDelivery.objects.count() == 0 and enqueued == []


# ---- delivering: each answer ------------------------------------------------------------------------------------


def test_a_2xx_delivers_the_event_signed_with_its_webhook_id(delivery):
    with stand_in() as wfm, outbox_settings(wfm.url + "/wfm/webhook"):
        assert webhooks.deliver(delivery.pk) == "delivered"
    delivery.refresh_from_db()
    assert delivery.status == Status.DELIVERED and delivery.attempts == 1 and delivery.delivered_at
    assert delivery.last_status_code == 200 and delivery.next_attempt_at is None and not delivery.lease_owner
    [got] = received(wfm)
    assert got["webhookId"] == delivery.webhook_id and got["event"] == delivery.payload
    assert wfm.state.stats.wfm_counts()["bad_signatures"] == 0


def test_a_change_found_in_cxone_is_delivered_signed_like_an_activation_outcome(
    campaign, enqueued, django_capture_on_commit_callbacks
):
    version = CampaignVersion.objects.create(campaign=campaign, source="seen_in_cxone", running=False)
    now = timezone.now()
    drift = Drift.objects.create(
        campaign=campaign,
        seen=version,
        reference=version,
        changed=["running"],
        first_seen_at=now,
        last_seen_at=now,
    )
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        delivery = webhooks.record_drift_event(drift)
        assert enqueued == []  # rung once the change commits
    assert enqueued == [delivery.pk]

    with stand_in() as wfm, outbox_settings(wfm.url + "/wfm/webhook"):
        assert webhooks.deliver(delivery.pk) == "delivered"
    [got] = received(wfm)
    assert got["webhookId"] == delivery.webhook_id and got["event"]["type"] == "campaign.drifted"
    assert wfm.state.stats.wfm_counts()["bad_signatures"] == 0


def test_a_410_stops_the_delivery_flags_the_endpoint_and_holds_the_next(delivery, campaign, planner):
    other = webhooks.record_activation_event(make_activation(make_campaign_2(campaign.pool), planner))
    with stand_in(wfm_status=410) as wfm, outbox_settings(wfm.url + "/wfm/webhook"):
        assert webhooks.deliver(delivery.pk) == "gone"
        assert webhooks.deliver(other.pk) == "held"
        assert webhooks.sweep_due_deliveries(enqueue=lambda pk: None) == 0
    delivery.refresh_from_db()
    other.refresh_from_db()
    assert (
        delivery.status == Status.GONE
        and delivery.next_attempt_at is None
        and delivery.last_status_code == 410
    )
    assert other.status == Status.GONE and other.attempts == 0 and "410 Gone" in other.last_error
    assert WebhookEndpoint.objects.get(url=wfm.url + "/wfm/webhook").gone_at is not None
    assert wfm.state.stats.wfm_counts()["answered_410"] == 1  # the held one was never sent


def test_a_429_with_retry_after_waits_as_long_as_wfm_asks(delivery):
    with stand_in(wfm_status=429, wfm_retry_after=30) as wfm, outbox_settings(wfm.url + "/wfm/webhook"):
        before = timezone.now()
        assert webhooks.deliver(delivery.pk) == "throttled"
    delivery.refresh_from_db()
    assert delivery.status == Status.PENDING and delivery.attempts == 1 and delivery.last_status_code == 429
    wait = (delivery.next_attempt_at - before).total_seconds()
    assert 29 <= wait <= 31  # Retry-After (30 s) beats the schedule's 1 s


def test_a_500_retries_on_the_schedule(delivery):
    with stand_in(wfm_status=500) as wfm, outbox_settings(wfm.url + "/wfm/webhook"):
        before = timezone.now()
        assert webhooks.deliver(delivery.pk) == "retrying"
    delivery.refresh_from_db()
    assert (
        delivery.status == Status.PENDING
        and delivery.last_status_code == 500
        and "wfm.forced" in delivery.last_response
    )
    assert 0.5 <= (delivery.next_attempt_at - before).total_seconds() <= 2  # the compressed schedule's 1 s


def test_a_timeout_retries_on_the_schedule(delivery):
    with stand_in(wfm_hang_seconds=1.5) as wfm, outbox_settings(wfm.url + "/wfm/webhook"):
        assert webhooks.deliver(delivery.pk) == "retrying"
    delivery.refresh_from_db()
    assert delivery.status == Status.PENDING and delivery.last_status_code is None
    assert (
        "no answer within 1 s" in delivery.last_error
        and delivery.next_attempt_at > timezone.now() - dt.timedelta(seconds=1)
    )


def test_a_refused_connection_retries_on_the_schedule(delivery):
    url, holder = refused_url()
    try:
        with outbox_settings(url):
            assert webhooks.deliver(delivery.pk) == "retrying"
    finally:
        holder.close()
    delivery.refresh_from_db()
    assert delivery.status == Status.PENDING and "could not connect" in delivery.last_error


def test_a_delivery_that_is_not_due_is_left_alone(delivery):
    with stand_in(wfm_status=500) as wfm, outbox_settings(wfm.url + "/wfm/webhook"):
        webhooks.deliver(delivery.pk)
        assert webhooks.deliver(delivery.pk) == "not-due"  # the 1 s wait has not passed
    assert wfm.state.stats.wfm_counts()["answered_500"] == 1


def test_a_retry_may_leave_half_a_second_before_its_due_time_and_no_sooner(delivery):
    now = timezone.now()
    WebhookDelivery.objects.filter(pk=delivery.pk).update(attempts=1, next_attempt_at=now + dt.timedelta(seconds=0.6))
    assert not webhooks.claim(delivery.pk, "worker", now)
    WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=now + dt.timedelta(seconds=0.4))
    assert webhooks.claim(delivery.pk, "worker", now)


def test_it_is_dead_lettered_after_the_last_attempt_of_the_schedule(delivery):
    with stand_in(wfm_status=500) as wfm, outbox_settings(wfm.url + "/wfm/webhook"):
        outcomes = []
        for _ in range(3):
            outcomes.append(webhooks.deliver(delivery.pk))
            the_wait_passes(delivery)
        assert webhooks.deliver(delivery.pk) == "not-due"
    delivery.refresh_from_db()
    assert outcomes == ["retrying", "retrying", "dead"]
    assert delivery.status == Status.DEAD and delivery.attempts == 3 and delivery.next_attempt_at is None
    assert wfm.state.stats.wfm_counts()["answered_500"] == 3


def test_nothing_is_sent_while_wfm_is_not_configured(delivery):
    with outbox_settings(None):
        assert webhooks.deliver(delivery.pk) == "not-configured"
        assert webhooks.sweep_due_deliveries(enqueue=lambda pk: None) == 0
    delivery.refresh_from_db()
    assert delivery.status == Status.PENDING and delivery.attempts == 0 and "not set" in delivery.last_error


# ---- by hand ------------------------------------------------------------------------------------------------------


def test_a_redelivery_keeps_the_webhook_id_so_the_receiver_dedupes(delivery, supervisor, enqueued):
    with stand_in() as wfm, outbox_settings(wfm.url + "/wfm/webhook"):
        webhooks.deliver(delivery.pk)
        again = webhooks.redeliver(delivery.pk, supervisor)
        assert again.status == Status.PENDING and again.attempts == 0 and again.redeliveries == 1
        assert webhooks.deliver(delivery.pk) == "delivered"
    again.refresh_from_db()
    assert again.idempotency_key == delivery.idempotency_key and again.status == Status.DELIVERED
    [got] = received(wfm)
    assert got["deliveries"] == 2 and wfm.state.stats.wfm_counts()["duplicates"] == 1
    assert AuditEntry.objects.filter(action="campaigns.webhook.redelivered", actor=supervisor).count() == 1


def test_a_pending_delivery_cannot_be_redelivered_and_a_planner_cannot_redeliver(
    delivery, supervisor, planner
):
    with pytest.raises(webhooks.CannotRedeliver, match="still being tried"):
        webhooks.redeliver(delivery.pk, supervisor)
    WebhookDelivery.objects.filter(pk=delivery.pk).update(status=Status.DEAD)
    with pytest.raises(NotAllowed):
        webhooks.redeliver(delivery.pk, planner)


def test_resuming_a_gone_endpoint_sends_the_stopped_deliveries_again(delivery, supervisor, enqueued):
    with stand_in(wfm_status=410) as wfm, outbox_settings(wfm.url + "/wfm/webhook"):
        webhooks.deliver(delivery.pk)
        with pytest.raises(webhooks.CannotRedeliver, match="resume it first"):
            webhooks.redeliver(delivery.pk, supervisor)
        wfm.state.config.update({"wfm_status": 0})
        assert webhooks.resume_endpoint(supervisor) == 1
        assert webhooks.deliver(delivery.pk) == "delivered"
    assert received(wfm)[0]["webhookId"] == delivery.webhook_id


# ---- never lost ---------------------------------------------------------------------------------------------------


def test_a_lost_task_is_found_by_the_sweeper(delivery, enqueued):
    # record_activation_event's doorbell went nowhere (enqueued is only a list): the row waits, due.
    swept: list[int] = []
    with stand_in() as wfm, outbox_settings(wfm.url + "/wfm/webhook"):
        assert webhooks.sweep_due_deliveries(enqueue=swept.append) == 1
        assert [webhooks.deliver(pk) for pk in swept] == ["delivered"]
        assert webhooks.sweep_due_deliveries(enqueue=swept.append) == 1 - 1
    assert len(received(wfm)) == 1


def test_a_killed_workers_row_goes_to_another_once_its_lease_expires(delivery):
    now = timezone.now()
    assert webhooks.claim(delivery.pk, "worker-killed-mid-send", now)
    swept: list[int] = []
    with stand_in() as wfm, outbox_settings(wfm.url + "/wfm/webhook"):
        assert webhooks.sweep_due_deliveries(enqueue=swept.append) == 0  # the lease still holds
        assert webhooks.deliver(delivery.pk) == "not-due"
        WebhookDelivery.objects.filter(pk=delivery.pk).update(lease_expires_at=now - dt.timedelta(seconds=1))
        assert webhooks.sweep_due_deliveries(enqueue=swept.append) == 1
        assert webhooks.deliver(swept[0]) == "delivered"
    delivery.refresh_from_db()
    assert delivery.status == Status.DELIVERED and delivery.attempts == 2  # the killed attempt counts
    assert len(received(wfm)) == 1


def test_a_worker_whose_lease_was_taken_over_does_not_overwrite_the_outcome(delivery):
    config = webhooks.WfmConfig("http://wfm.test", [b"k" * 24], 1.0, (0, 1, 2))
    assert webhooks.claim(delivery.pk, "slow-worker", timezone.now())
    WebhookDelivery.objects.filter(pk=delivery.pk).update(lease_owner="next-worker", status=Status.DELIVERED)
    delivery.refresh_from_db()
    from campaigns.wfm.sender import Answer, Outcome

    assert (
        webhooks.record_answer(delivery, "slow-worker", Answer(Outcome.FAILED, 500), config, timezone.now())
        == "lease-lost"
    )
    delivery.refresh_from_db()
    assert delivery.status == Status.DELIVERED and delivery.lease_owner == "next-worker"
