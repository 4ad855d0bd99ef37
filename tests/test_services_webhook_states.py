"""The Webhooks page's counts: each state as the badges say it, in two passes, and every delivery in the total."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from campaigns.models import WebhookDelivery
from campaigns.models.webhooks import STATES, in_state
from campaigns.services.webhooks.states import state_counts

pytestmark = pytest.mark.django_db
Status = WebhookDelivery.Status


def deliver(campaign, **fields) -> WebhookDelivery:
    return WebhookDelivery.objects.create(
        event_type="CAMPAIGN_SCHEDULE_UPDATED", campaign=campaign, payload={}, **fields
    )


@pytest.fixture
def one_of_each(campaign):
    now = timezone.now()
    deliver(campaign, status=Status.PENDING, attempts=0)  # waiting
    deliver(
        campaign, status=Status.PENDING, attempts=0, lease_expires_at=now - dt.timedelta(minutes=1)
    )  # waiting
    deliver(
        campaign, status=Status.PENDING, attempts=1, lease_expires_at=now + dt.timedelta(minutes=1)
    )  # sending
    deliver(campaign, status=Status.PENDING, attempts=2, last_status_code=500)  # retrying
    deliver(campaign, status=Status.PENDING, attempts=1)  # retrying (no answer yet: a timeout)
    deliver(campaign, status=Status.PENDING, attempts=1, last_status_code=429)  # throttled
    for _ in range(3):
        deliver(campaign, status=Status.DELIVERED, attempts=1)
    deliver(campaign, status=Status.DEAD, attempts=5)
    deliver(campaign, status=Status.GONE, attempts=1, last_status_code=410)
    return now


def test_each_state_is_counted_as_its_filter_finds_it(one_of_each):
    counts = state_counts(one_of_each)

    expected = {
        "waiting": 2,
        "sending": 1,
        "retrying": 2,
        "throttled": 1,
        "delivered": 3,
        "dead": 1,
        "gone": 1,
    }
    assert counts.by_state == expected
    for state, _ in STATES:
        assert counts.of(state) == WebhookDelivery.objects.filter(in_state(state, one_of_each)).count()


def test_all_counts_every_delivery(one_of_each):
    counts = state_counts(one_of_each)

    assert counts.of("") == counts.total == WebhookDelivery.objects.count() == 11


def test_no_deliveries_count_zero_in_every_state(db):
    counts = state_counts(timezone.now())

    assert counts.by_state == {state: 0 for state, _ in STATES} and counts.total == 0
