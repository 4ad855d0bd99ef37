"""The activation service against the CXone sandbox on a real socket: each outcome of a push and of the polls."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from campaigns.models import Activation, AuditEntry, Campaign, DraftStatus, WebhookDelivery
from campaigns.services import activation, leases
from campaigns.services.activation import doorbell
from campaigns.services.activation import polling as activation_polling
from campaigns.services.drafts import workflow
from campaigns.services.drafts.checks import draft_checks
from tests import activation_support
from tests.activation_support import (
    PUT,
    due_now,
    puts,
    requests,
)

pytestmark = pytest.mark.django_db
Step = Activation.Step


sandbox, doorbells, target = activation_support.sandbox, activation_support.doorbells, activation_support.target
approved_and_queued = activation_support.approved_and_queued


def steps(a) -> list[str]:
    return list(
        AuditEntry.objects.filter(object_type="activation", object_id=str(a.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )


def test_an_approval_queues_one_activation_and_rings_its_push_then_the_poller_after_commit(
    target, planner, supervisor, doorbells, django_capture_on_commit_callbacks
):
    a = approved_and_queued(target, planner, supervisor, django_capture_on_commit_callbacks)

    assert a.step == Step.QUEUED and a.base_version == target.remote_version
    assert a.approved_at == a.draft.reviewed_at
    assert doorbells == [("campaigns.tasks.push_activation", (a.pk,)), ("campaigns.tasks.poll_activations", ())]
    assert activation.queue(a.draft_id) == a  # queued once, however often asked
    assert Activation.objects.count() == 1
    assert a.draft.status == DraftStatus.APPROVED  # the worker moves it to activating


def test_an_approval_does_not_ring_the_poller_while_one_holds_its_lease(
    target, planner, supervisor, doorbells, django_capture_on_commit_callbacks
):
    assert leases.acquire(doorbell.POLLER_LEASE, "a-running-poller", 30)

    a = approved_and_queued(target, planner, supervisor, django_capture_on_commit_callbacks)

    assert doorbells == [("campaigns.tasks.push_activation", (a.pk,))]


def test_a_push_then_polls_take_the_draft_to_active_and_update_the_mirror(
    sandbox, target, planner, supervisor, doorbells, django_capture_on_commit_callbacks
):
    a = approved_and_queued(target, planner, supervisor, django_capture_on_commit_callbacks)
    base = target.remote_version

    with django_capture_on_commit_callbacks(execute=True):
        assert activation.push(a.pk) == "pushed"
    a.refresh_from_db()
    assert (a.step, a.pushed_version, a.attempts) == (Step.POLLING, base + 1, 1)
    assert a.draft.status == DraftStatus.ACTIVATING
    assert ("campaigns.tasks.poll_activations", ()) in doorbells
    assert puts(sandbox, target) == 1

    # CXone has not activated it yet: still DRAFT, read again later.
    due_now()
    assert activation_polling.poll_round("test")["finished"] == 0
    a.refresh_from_db()
    assert (a.step, a.poll_count) == (Step.POLLING, 1) and a.due_at > timezone.now()

    sandbox.state.clock.advance(2)
    due_now()
    assert activation_polling.poll_round("test") == {"read": 1, "requests": 1, "finished": 1}
    a.refresh_from_db()
    assert a.step == Step.ACTIVE and a.outcome == "active in CXone"
    assert a.observed_active_at and a.remote_activated_at and a.latency_ms is not None
    assert a.latency_ms == round((a.observed_active_at - a.approved_at).total_seconds() * 1000)
    assert a.draft.status == DraftStatus.ACTIVE
    campaign = Campaign.objects.get(pk=target.pk)
    assert (campaign.remote_version, campaign.state) == (base + 1, "ACTIVE")
    assert (campaign.cron_expression, campaign.duration_minutes) == ("0 12 * * 1-5", 180)
    assert campaign.agents_required == a.draft.agents_required
    assert steps(a) == [
        "campaigns.activation.queued",
        "campaigns.activation.pushed",
        "campaigns.activation.active",
    ]
    pushed = AuditEntry.objects.get(action="campaigns.activation.pushed").message
    assert pushed.startswith(f"CXone accepted the new schedule: version {base + 1}") and "PUT" not in pushed
    # WFM is told in the same transaction: one event for the outcome, waiting in the outbox.
    event = WebhookDelivery.objects.get(activation=a)
    assert (
        event.payload["eventType"] == "CAMPAIGN_SCHEDULE_UPDATED"
        and event.payload["campaignId"] == target.cxone_id
    )
    # The campaign is free for a new draft, based on the version now live.
    assert workflow.start_draft(campaign, planner).base_version == base + 1


@pytest.mark.parametrize(
    "knob,outcome,said",
    [
        ({"error_rate": 1.0}, "CXone rejected it", "Schedule rejected by dialer validation"),
        ({"failure_rate": 1.0}, "CXone failed to activate it", "Dialer platform failed to activate"),
    ],
)
def test_cxone_ending_in_error_or_failed_fails_the_activation_with_its_errors(
    sandbox, target, planner, supervisor, doorbells, django_capture_on_commit_callbacks, knob, outcome, said
):
    sandbox.state.config.update(knob)
    a = approved_and_queued(target, planner, supervisor, django_capture_on_commit_callbacks)
    activation.push(a.pk)
    sandbox.state.clock.advance(2)
    due_now()
    activation_polling.poll_round("test")

    a.refresh_from_db()
    assert (a.step, a.outcome) == (Step.FAILED, outcome)
    assert said in a.remote_errors[0]["message"]
    assert a.draft.status == DraftStatus.FAILED and said in a.draft.status_reason
    assert Campaign.objects.get(pk=target.pk).state in ("ERROR", "FAILED")
    event = WebhookDelivery.objects.get(activation=a)
    assert event.payload["eventType"] == "CAMPAIGN_ACTIVATION_FAILED"
    assert workflow.start_draft(target, planner).status == DraftStatus.DRAFT  # the campaign is free


def test_a_campaign_changed_in_cxone_since_approval_makes_the_activation_stale_without_a_put(
    sandbox, target, planner, supervisor, doorbells, django_capture_on_commit_callbacks
):
    a = approved_and_queued(target, planner, supervisor, django_capture_on_commit_callbacks)
    sandbox.state.touch(target.cxone_id, {"name": "Renamed in CXone"})

    assert activation.push(a.pk) == "stale"
    assert not WebhookDelivery.objects.filter(activation=a).exists()  # nothing went live, nothing to announce
    a.refresh_from_db()
    assert a.step == Step.STALE and f"version {target.remote_version + 1}" in a.error
    assert "Revise the draft" in a.error
    assert a.draft.status == DraftStatus.STALE
    assert puts(sandbox, target) == 0 and requests(sandbox, PUT, 409) == 1


def test_a_locked_campaign_waits_and_is_pushed_once_cxone_unlocks_it(
    sandbox, target, planner, supervisor, doorbells, django_capture_on_commit_callbacks
):
    from campaigns.sandbox.state import PendingActivation

    now = sandbox.state.clock.now()
    sandbox.state.pending[target.cxone_id] = PendingActivation(
        version=target.remote_version, put_at=now, due_at=now + 3, outcome="ACTIVE", errors=[]
    )
    a = approved_and_queued(target, planner, supervisor, django_capture_on_commit_callbacks)

    assert activation.push(a.pk).startswith("waiting")
    a.refresh_from_db()
    assert a.step == Step.QUEUED and a.due_at > timezone.now() and "locked" in a.error
    assert a.pushed_version is None and requests(sandbox, PUT, 403) == 1
    assert activation.push(a.pk).startswith("not claimed")  # not before its backoff ends

    sandbox.state.clock.advance(5)  # the earlier activation ends
    due_now()
    assert activation.push(a.pk) == "pushed"
    assert puts(sandbox, target) == 1 and Activation.objects.get(pk=a.pk).attempts == 2


def test_cxone_refusing_the_schedule_fails_the_activation_with_its_field_messages(
    sandbox, target, planner, supervisor, doorbells, django_capture_on_commit_callbacks
):
    payload = dict(target.raw_payload, skill={"id": "S-404", "name": "Nobody"})
    Campaign.objects.filter(pk=target.pk).update(raw_payload=payload)
    a = approved_and_queued(target, planner, supervisor, django_capture_on_commit_callbacks)

    assert activation.push(a.pk) == "failed: refused by CXone"
    a.refresh_from_db()
    assert a.step == Step.FAILED and {"field": "skill.id", "message": "is unknown"} in a.remote_errors
    assert "skill.id: is unknown" in a.draft.status_reason
    assert requests(sandbox, PUT, 422) == 1 and puts(sandbox, target) == 0


def test_an_activation_not_active_by_the_deadline_fails_as_timed_out(
    sandbox, target, planner, supervisor, doorbells, django_capture_on_commit_callbacks, settings
):
    settings.ACTIVATION_DEADLINE = 600
    a = approved_and_queued(target, planner, supervisor, django_capture_on_commit_callbacks)
    activation.push(a.pk)
    Activation.objects.filter(pk=a.pk).update(approved_at=timezone.now() - dt.timedelta(minutes=11))
    due_now()
    activation_polling.poll_round("test")  # CXone still says DRAFT (its clock did not move)

    a.refresh_from_db()
    assert (a.step, a.outcome) == (Step.FAILED, "timed out")
    assert "still reports DRAFT" in a.error and "10 min after approval" in a.error


def test_past_the_deadline_an_activation_cxone_cannot_be_read_for_fails_saying_what_is_unknown(
    sandbox, target, planner, supervisor, doorbells, django_capture_on_commit_callbacks, settings
):
    settings.ACTIVATION_DEADLINE = 600
    a = approved_and_queued(target, planner, supervisor, django_capture_on_commit_callbacks)
    activation.push(a.pk)
    sandbox.state.config.update({"failing_paths": ["/api/v2/outbound/campaigns"]})  # every read answers 500

    due_now()
    activation_polling.poll_round("test")
    a.refresh_from_db()
    assert a.step == Step.POLLING and "ServerError" in a.error  # within the deadline: read again later

    Activation.objects.filter(pk=a.pk).update(approved_at=timezone.now() - dt.timedelta(minutes=11))
    due_now()
    assert activation_polling.poll_round("test")["finished"] == 1
    a.refresh_from_db()
    assert (a.step, a.outcome, a.draft.status) == (Step.FAILED, "timed out", DraftStatus.FAILED)
    assert "could not be read" in a.error and "Whether it went live is unknown" in a.error


def test_a_push_past_the_deadline_is_not_sent(
    sandbox, target, planner, supervisor, doorbells, django_capture_on_commit_callbacks
):
    a = approved_and_queued(target, planner, supervisor, django_capture_on_commit_callbacks)
    Activation.objects.filter(pk=a.pk).update(approved_at=timezone.now() - dt.timedelta(hours=1))

    assert activation.push(a.pk) == "failed: timed out"
    assert requests(sandbox, PUT) == 0


def test_findings_that_block_now_stop_the_push(
    sandbox, target, planner, supervisor, doorbells, django_capture_on_commit_callbacks
):
    a = approved_and_queued(target, planner, supervisor, django_capture_on_commit_callbacks)
    Campaign.objects.filter(pk=target.pk).update(dnc_list_state="INACTIVE")  # since approval

    assert activation.push(a.pk) == "failed: blocked by findings"
    a.refresh_from_db()
    assert a.step == Step.FAILED and "Not pushed" in a.error and "INACTIVE" in a.error
    assert requests(sandbox, PUT) == 0


def test_a_frequency_limit_that_applies_since_approval_stops_the_push(
    sandbox, target, planner, supervisor, doorbells, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        draft = activation_support.approve(target, planner, supervisor, retry_max_attempts=5)
    a = Activation.objects.get(draft=draft)
    florida = [{"state": "FL", "timezones": ["America/New_York"], "count": 310}]
    Campaign.objects.filter(pk=target.pk).update(contact_list_breakdown=florida)  # the list changed since

    assert activation.push(a.pk) == "failed: blocked by findings"
    a.refresh_from_db()
    assert "Florida: at most 3 calls per 24 hours" in a.error
    assert requests(sandbox, PUT) == 0


def test_a_push_whose_re_check_runs_out_of_time_is_blocked_not_sent(
    sandbox, target, planner, supervisor, doorbells, django_capture_on_commit_callbacks, monkeypatch
):
    a = approved_and_queued(target, planner, supervisor, django_capture_on_commit_callbacks)
    monkeypatch.setattr(draft_checks, "BUDGET_SECONDS", 0)  # no part of the re-check can complete

    assert activation.push(a.pk) == "failed: blocked by findings"
    a.refresh_from_db()
    assert "not checked: calling hours cut short after 0 s" in a.error
    assert requests(sandbox, PUT) == 0
