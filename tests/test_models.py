import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from campaigns.models import Activation, Campaign, DraftStatus, ScheduleDraft, WebhookDelivery
from tests.conftest import make_campaign, make_draft

pytestmark = pytest.mark.django_db


def refuses(**fields):
    """True when the database refuses a draft with these fields (the constraint holds whatever code wrote it)."""
    try:
        with transaction.atomic():
            ScheduleDraft.objects.create(**fields)
    except IntegrityError:
        return True
    return False


def draft_fields(campaign, author, **overrides):
    fields = {
        "campaign": campaign,
        "author": author,
        "timezone": "America/Chicago",
        "cron_expression": "0 9 * * 1-5",
        "duration_minutes": 480,
        "effective_start": dt.datetime(2026, 12, 1, 6, tzinfo=dt.UTC),
        "effective_end": dt.datetime(2027, 1, 1, 6, tzinfo=dt.UTC),
        "base_version": 7,
    }
    fields.update(overrides)
    return fields


def test_a_cxone_id_is_mirrored_once(pool):
    make_campaign("C-1", pool=pool)
    with pytest.raises(IntegrityError):
        make_campaign("C-1", pool=pool)


def test_a_campaign_has_at_most_one_open_draft(campaign, planner, other_planner):
    make_draft(campaign, planner)
    assert refuses(**draft_fields(campaign, other_planner))


def test_a_closed_draft_does_not_block_a_new_one(campaign, planner):
    make_draft(campaign, planner, status=DraftStatus.REJECTED)
    make_draft(campaign, planner, status=DraftStatus.ACTIVE)
    assert not refuses(**draft_fields(campaign, planner))


@pytest.mark.parametrize("minutes", [0, 1441])
def test_a_window_lasts_between_one_minute_and_a_day(campaign, planner, minutes):
    assert refuses(**draft_fields(campaign, planner, duration_minutes=minutes))


def test_the_effective_period_must_not_be_empty(campaign, planner):
    start = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
    assert refuses(**draft_fields(campaign, planner, effective_start=start, effective_end=start))


@pytest.mark.parametrize("attempts", [0, 11])
def test_retry_attempts_stay_within_cxone_limits(campaign, planner, attempts):
    assert refuses(**draft_fields(campaign, planner, retry_max_attempts=attempts))


def test_the_retry_interval_is_at_least_a_minute(campaign, planner):
    assert refuses(**draft_fields(campaign, planner, retry_interval_ms=59_999))


def test_the_database_refuses_a_draft_approved_by_its_author(campaign, planner):
    assert refuses(**draft_fields(campaign, planner, approver=planner))


def test_an_unknown_status_is_refused_by_the_database(campaign, planner):
    assert refuses(**draft_fields(campaign, planner, status="dreaming"))


def test_a_draft_knows_when_the_campaign_moved_past_its_base(campaign, planner):
    draft = make_draft(campaign, planner)
    assert not draft.is_behind_remote
    Campaign.objects.filter(pk=campaign.pk).update(remote_version=campaign.remote_version + 1)
    draft.refresh_from_db()
    draft.campaign.refresh_from_db()
    assert draft.is_behind_remote


def test_the_retry_policy_has_cxones_shape(campaign, planner):
    draft = make_draft(
        campaign, planner, retry_max_attempts=4, retry_interval_ms=120_000, retry_on_busy=False
    )
    assert draft.retry_policy() == {
        "maxAttempts": 4,
        "retryIntervalMs": 120_000,
        "retryOnBusy": False,
        "retryOnNoAnswer": True,
    }


def test_a_draft_has_at_most_one_unfinished_activation(campaign, planner):
    draft = make_draft(campaign, planner, status=DraftStatus.APPROVED)
    now = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
    Activation.objects.create(draft=draft, campaign=campaign, approved_at=now)
    with pytest.raises(IntegrityError), transaction.atomic():
        Activation.objects.create(draft=draft, campaign=campaign, approved_at=now)
    Activation.objects.filter(draft=draft).update(step=Activation.Step.FAILED)
    Activation.objects.create(draft=draft, campaign=campaign, approved_at=now)
    assert Activation.objects.filter(draft=draft).count() == 2


def test_each_webhook_has_its_own_idempotency_key():
    first = WebhookDelivery.objects.create(event_type="CAMPAIGN_SCHEDULE_UPDATED", payload={})
    second = WebhookDelivery.objects.create(event_type="CAMPAIGN_SCHEDULE_UPDATED", payload={})
    assert first.idempotency_key != second.idempotency_key
    with pytest.raises(IntegrityError), transaction.atomic():
        WebhookDelivery.objects.create(
            event_type="CAMPAIGN_SCHEDULE_UPDATED", payload={}, idempotency_key=first.idempotency_key
        )


def test_the_roles_exist_with_their_permissions(planner, supervisor, manager):
    assert planner.has_perm("campaigns.change_scheduledraft")
    assert not planner.has_perm("campaigns.review_scheduledraft")
    assert supervisor.has_perm("campaigns.review_scheduledraft")
    assert manager.has_perm("campaigns.view_dashboards")
    assert not manager.has_perm("campaigns.change_scheduledraft")
