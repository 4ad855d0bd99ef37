"""The django-q2 side of the outbox: the doorbell puts a deliver_webhook task on the real broker, the task
delivers, and the one-minute sweeper schedule exists."""

from __future__ import annotations

import pytest
from django_q.brokers import get_broker
from django_q.models import Schedule
from django_q.signing import SignedPackage

from campaigns.models import WebhookDelivery
from campaigns.periodic_tasks import WEBHOOK_SWEEP_SCHEDULE_NAME, ensure_schedules
from campaigns.services.webhooks import outbox as webhooks
from campaigns.tasks import deliver_webhook, sweep_webhooks_task
from tests.wfm_support import make_activation, outbox_settings, stand_in


@pytest.fixture
def broker(db):
    broker = get_broker()
    broker.purge_queue()
    yield broker
    broker.purge_queue()


def test_the_doorbell_puts_a_deliver_webhook_task_with_the_id_on_the_broker(
    broker, campaign, planner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        delivery = webhooks.record_activation_event(make_activation(campaign, planner))
    queued = broker.dequeue()
    assert len(queued) == 1
    task = SignedPackage.loads(queued[0][1])
    assert task["func"] == "campaigns.tasks.deliver_webhook" and task["args"] == (delivery.pk,)


def test_the_task_delivers_and_the_sweeper_task_rings_for_due_rows(campaign, planner, monkeypatch):
    rung: list[int] = []
    monkeypatch.setattr(webhooks, "enqueue_delivery", rung.append)
    delivery = webhooks.record_activation_event(make_activation(campaign, planner))
    with stand_in() as wfm, outbox_settings(wfm.url + "/wfm/webhook"):
        assert sweep_webhooks_task() == 1 and rung == [delivery.pk]
        assert deliver_webhook(delivery.pk) == "delivered"
        assert sweep_webhooks_task() == 0
    assert WebhookDelivery.objects.get(pk=delivery.pk).status == WebhookDelivery.Status.DELIVERED


def test_the_sweeper_runs_every_minute(db):
    assert ensure_schedules()[WEBHOOK_SWEEP_SCHEDULE_NAME] == "created"
    schedule = Schedule.objects.get(name=WEBHOOK_SWEEP_SCHEDULE_NAME)
    assert (schedule.func, schedule.schedule_type, schedule.minutes) == (
        "campaigns.tasks.sweep_webhooks_task",
        Schedule.MINUTES,
        1,
    )
