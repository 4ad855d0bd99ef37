"""The webhook waiter rings each retry at its due time (± a second), not at the next minute's sweep."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from campaigns.models import WebhookDelivery
from campaigns.services import leases
from campaigns.services.webhooks import outbox as webhooks
from campaigns.services.webhooks import waiter
from campaigns.wfm.sender import Answer, Outcome
from tests.wfm_support import make_activation

Status = WebhookDelivery.Status
CONFIG = webhooks.WfmConfig("http://wfm.test", [b"k" * 24], 1.0, (0, 5, 300))


@pytest.fixture
def started(monkeypatch):
    """The waiter tasks enqueued (by name), instead of enqueued."""
    tasks: list[str] = []
    monkeypatch.setattr(waiter, "async_task", tasks.append)
    return tasks


@pytest.fixture
def delivery(campaign, planner, monkeypatch):
    monkeypatch.setattr(webhooks, "enqueue_delivery", lambda pk: None)
    return webhooks.record_activation_event(make_activation(campaign, planner))


def failed_attempt(delivery) -> str:
    """One attempt (due now) that the receiver answered with a 500."""
    due_in(delivery, 0)
    assert webhooks.claim(delivery.pk, "worker", timezone.now())
    delivery.refresh_from_db()
    return webhooks.record_answer(delivery, "worker", Answer(Outcome.FAILED, 500), CONFIG, timezone.now())


def due_in(delivery, seconds: float) -> dt.datetime:
    due = timezone.now() + dt.timedelta(seconds=seconds)
    WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=due)
    return due


class Clock:
    """The waiter's sleep, moving the clock instead of waiting; what it rang and when."""

    def __init__(self, traveller):
        self.traveller = traveller
        self.sleeps: list[float] = []
        self.rung: list[tuple[int, dt.datetime]] = []

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.traveller.shift(dt.timedelta(seconds=seconds))

    def ring(self, pk: int) -> None:
        self.rung.append((pk, timezone.now()))


def test_a_failed_attempt_due_again_in_5_s_starts_the_waiter(delivery, started):
    assert failed_attempt(delivery) == "retrying"
    assert started == [waiter.WAITER_TASK]


def test_a_retry_due_in_5_minutes_is_left_to_the_sweep_until_it_comes_near(delivery, started):
    failed_attempt(delivery)
    started.clear()
    assert failed_attempt(delivery) == "retrying"  # the third attempt waits 300 s
    assert started == []
    assert not waiter.start_if_due_soon()
    due_in(delivery, 90)
    assert waiter.start_if_due_soon() and started == [waiter.WAITER_TASK]


@pytest.mark.django_db
def test_the_sweep_starts_the_waiter_for_a_retry_due_before_the_next_sweep(delivery, started, settings):
    settings.WFM_WEBHOOK_URL, settings.WFM_WEBHOOK_SECRET = "http://wfm.test", "whsec_" + "a" * 32
    due_in(delivery, 30)
    assert webhooks.sweep_due_deliveries(enqueue=lambda pk: None) == 0
    assert started == [waiter.WAITER_TASK]


def test_the_waiter_rings_a_retry_at_its_due_time_and_ends_when_nothing_is_near(delivery):
    due = due_in(delivery, 5)
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        clock = Clock(traveller)
        said = waiter.run(clock.ring, sleep=clock.sleep)
    [(pk, at)] = clock.rung
    assert pk == delivery.pk and due - waiter.EARLY <= at < due + dt.timedelta(seconds=1)
    assert max(clock.sleeps) <= waiter.LOOK_SECONDS  # a retry recorded meanwhile is seen within a second
    assert said == "rang 1"
    assert not leases.is_held(waiter.WAITER_LEASE)


def test_a_delivery_is_rung_once_per_due_time_and_a_held_one_not_at_all(delivery):
    due_in(delivery, 0)
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        lease_owner="worker", lease_expires_at=timezone.now() + dt.timedelta(seconds=60)
    )
    rung: list[int] = []
    assert waiter.run(rung.append, sleep=lambda s: None) == "rang 0"
    WebhookDelivery.objects.filter(pk=delivery.pk).update(lease_owner="", lease_expires_at=None)
    assert waiter.run(rung.append, sleep=lambda s: None) == "rang 1"
    assert rung == [delivery.pk]


def test_one_waiter_at_a_time_and_a_full_budget_hands_over(delivery):
    due_in(delivery, 30)
    assert leases.acquire(waiter.WAITER_LEASE, "another", 10)
    assert waiter.run(lambda pk: None) == "another waiter is running"
    leases.release(waiter.WAITER_LEASE, "another")
    handed: list[str] = []
    assert waiter.run(lambda pk: None, seconds=0, hand_over=lambda: handed.append("again")) == (
        "rang 0, handed over"
    )
    assert handed == ["again"]
