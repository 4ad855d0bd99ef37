"""Drift: a change made in CXone behind the product's back is found by the sync, once, with its version, audit
entry and WFM event; our own pushes and controls are never drift. Against the sandbox on a real socket, under
the v2 contract and under the Admin API."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from campaigns.cxone.factory import get_client, run_sync
from campaigns.models import (
    Activation,
    AuditEntry,
    CampaignVersion,
    DiallingChange,
    DraftStatus,
    Drift,
    Notification,
    NotificationKind,
    WebhookDelivery,
)
from campaigns.services import activation
from campaigns.services.history import answers, controls, drift
from campaigns.services.history.versions import reference_of
from campaigns.services.sync.mirror import sync_campaigns
from tests import history_support
from tests.activation_support import PROPOSED, due_now, pushable
from tests.conftest import make_draft
from tests.history_support import approved_draft, drifts, push_and_wait_for_active, running_campaign, touch

pytestmark = pytest.mark.django_db
Source = CampaignVersion.Source
v2_cxone, admin_cxone = history_support.v2_cxone, history_support.admin_cxone


def events(campaign) -> list[WebhookDelivery]:
    return list(
        WebhookDelivery.objects.filter(campaign=campaign, event_type="CAMPAIGN_DRIFTED").order_by("pk")
    )


def test_the_first_sync_records_each_campaigns_values_as_its_first_version(v2_cxone):
    campaign = running_campaign()
    first = reference_of(campaign)
    assert first.source == Source.FIRST_MIRRORED
    assert (first.cron_expression, first.duration_minutes, first.running) == (
        campaign.cron_expression,
        campaign.duration_minutes,
        True,
    )
    assert first.retry_policy == campaign.retry_policy and first.remote_version == campaign.remote_version
    assert not Drift.objects.exists()


def test_a_schedule_changed_in_cxone_is_found_once_with_its_version_audit_entry_and_wfm_event(v2_cxone):
    campaign = running_campaign()
    held = reference_of(campaign)
    touch(
        v2_cxone, campaign.cxone_id, {"schedule": {"cronExpression": "0 10 * * 1-5", "durationMinutes": 120}}
    )

    sync_campaigns()
    sync_campaigns()  # nothing new in CXone: nothing found again

    [found] = drifts(campaign)
    assert found.is_open and found.changed == ["schedule"] and found.reference == held
    assert (found.seen.source, found.seen.cron_expression, found.seen.duration_minutes) == (
        Source.SEEN_IN_CXONE,
        "0 10 * * 1-5",
        120,
    )
    assert found.first_seen_at == found.last_seen_at
    assert reference_of(campaign) == held  # a change in CXone is not what the campaign is held to
    [entry] = AuditEntry.objects.filter(action=drift.FOUND, campaign=campaign)
    assert entry.actor is None and entry.message.startswith(
        "Calling windows: CXone runs Weekdays 10:00–12:00"
    )
    assert entry.changes["cron_expression"] == [held.cron_expression, "0 10 * * 1-5"]
    [event] = events(campaign)
    body = event.payload
    assert (body["type"], body["eventType"], body["driftId"]) == (
        "campaign.drifted",
        "CAMPAIGN_DRIFTED",
        found.pk,
    )
    assert body["schedule"]["cronExpression"] == "0 10 * * 1-5" and body["changed"] == ["schedule"]
    assert body["heldTo"]["schedule"]["cronExpression"] == held.cron_expression


def test_a_retry_policy_changed_in_cxone_is_drift_too(v2_cxone):
    campaign = running_campaign()
    touch(v2_cxone, campaign.cxone_id, {"schedule": {"retryPolicy": {"maxAttempts": 9}}})
    sync_campaigns()
    [found] = drifts(campaign)
    assert found.changed == ["retry"] and found.seen.retry_policy["maxAttempts"] == 9


def test_a_campaign_paused_in_cxone_is_drift_but_not_when_our_own_controls_stopped_it(v2_cxone, monkeypatch):
    paused, held_by_us = [c for c in pushable(4) if c.state == "ACTIVE"][:2]
    touch(v2_cxone, paused.cxone_id, {"state": "PAUSED"})
    touch(v2_cxone, held_by_us.cxone_id, {"state": "PAUSED"})
    monkeypatch.setattr(controls, "running_wanted", lambda ids, since=None: {held_by_us.pk: False})

    sync_campaigns()

    [found] = drifts(paused)
    assert found.changed == ["running"] and found.seen.running is False
    assert drifts(held_by_us) == []


def test_keeping_cxones_running_state_is_not_undone_by_an_older_control_change(v2_cxone, supervisor):
    campaign = [c for c in pushable(4) if c.state == "ACTIVE"][0]
    # Our own start of weeks ago: the controls last wanted it dialling.
    DiallingChange.objects.create(
        campaign=campaign, action=DiallingChange.Action.START, origin=DiallingChange.Origin.RESUME,
        step=DiallingChange.Step.DONE, due_at=timezone.now() - dt.timedelta(days=20),
    )  # fmt: skip
    touch(v2_cxone, campaign.cxone_id, {"state": "PAUSED"})
    sync_campaigns()
    [changed] = drifts(campaign)
    assert changed.changed == ["running"]

    answers.keep_cxone(changed.pk, supervisor, seen_id=changed.seen_id)
    sync_campaigns()

    assert len(drifts(campaign)) == 1  # the supervisor's decision is newer than that start: no drift again
    assert len(events(campaign)) == 1


def test_a_change_made_again_while_open_updates_the_drift_and_tells_wfm_again(v2_cxone):
    campaign = running_campaign()
    touch(v2_cxone, campaign.cxone_id, {"schedule": {"cronExpression": "0 10 * * 1-5"}})
    sync_campaigns()
    touch(v2_cxone, campaign.cxone_id, {"schedule": {"cronExpression": "0 11 * * 1-5"}})
    sync_campaigns()

    [found] = drifts(campaign)
    assert found.seen.cron_expression == "0 11 * * 1-5" and found.last_seen_at > found.first_seen_at
    assert [e.payload["schedule"]["cronExpression"] for e in events(campaign)] == [
        "0 10 * * 1-5",
        "0 11 * * 1-5",
    ]
    assert AuditEntry.objects.filter(action=drift.CHANGED_AGAIN, campaign=campaign).count() == 1


def test_a_change_undone_in_cxone_closes_the_drift_as_changed_back(v2_cxone):
    campaign = running_campaign()
    touch(v2_cxone, campaign.cxone_id, {"schedule": {"cronExpression": "0 10 * * 1-5"}})
    sync_campaigns()
    touch(v2_cxone, campaign.cxone_id, {"schedule": {"cronExpression": campaign.cron_expression}})
    sync_campaigns()

    [found] = drifts(campaign)
    assert found.answer == Drift.Answer.REVERTED and found.answered_by is None and found.answered_at
    assert AuditEntry.objects.filter(action=drift.CHANGED_BACK, campaign=campaign).exists()


def test_our_own_push_is_never_drift_even_when_the_sync_reads_it_before_the_poller(
    v2_cxone, planner, supervisor, django_capture_on_commit_callbacks
):
    campaign = pushable()[0]
    draft = approved_draft(campaign, planner, supervisor, **PROPOSED)
    with django_capture_on_commit_callbacks(execute=True):
        activation.queue(draft.pk)
    a = Activation.objects.get(draft=draft)
    assert activation.push(a.pk) == "pushed"

    sync_campaigns()  # CXone holds our PUT (DRAFT, our version) before the poller saw it ACTIVE
    assert drifts(campaign) == []

    v2_cxone.state.clock.advance(6)
    due_now()
    activation.poll_round("test")
    sync_campaigns()

    assert drifts(campaign) == []
    approved = reference_of(campaign)
    assert (approved.source, approved.draft, approved.decided_by) == (Source.APPROVED, draft, supervisor)
    assert (approved.cron_expression, approved.running) == (PROPOSED["cron_expression"], True)


def test_a_push_that_failed_after_cxone_took_it_is_ours_not_drift(
    v2_cxone, planner, supervisor, django_capture_on_commit_callbacks
):
    v2_cxone.state.config.update({"error_rate": 1.0})  # CXone takes the PUT, then rejects it: ERROR
    campaign = pushable()[0]
    draft = approved_draft(campaign, planner, supervisor, **PROPOSED)
    a = push_and_wait_for_active(v2_cxone, draft, django_capture_on_commit_callbacks)
    assert a.step == Activation.Step.FAILED and a.landed

    sync_campaigns()

    assert drifts(campaign) == []
    assert reference_of(campaign).source == Source.FIRST_MIRRORED


def test_a_change_in_cxone_while_our_push_is_in_flight_is_drift(
    v2_cxone, planner, supervisor, django_capture_on_commit_callbacks
):
    campaign = pushable()[0]
    draft = approved_draft(campaign, planner, supervisor, **PROPOSED)
    with django_capture_on_commit_callbacks(execute=True):
        activation.queue(draft.pk)
    a = Activation.objects.get(draft=draft)
    assert activation.push(a.pk) == "pushed"
    touch(v2_cxone, campaign.cxone_id, {"schedule": {"durationMinutes": 60}})  # someone else, meanwhile

    sync_campaigns()

    [found] = drifts(campaign)
    assert found.seen.duration_minutes == 60


# ---- under the Admin API -------------------------------------------------------------------------------------


def test_the_campaigns_planners_are_told_of_a_change_in_cxone_once(v2_cxone, planner):
    campaign = running_campaign()
    make_draft(campaign, planner, status=DraftStatus.REJECTED)  # a planner who has worked on this campaign
    touch(v2_cxone, campaign.cxone_id, {"schedule": {"cronExpression": "0 10 * * 1-5"}})

    sync_campaigns()
    sync_campaigns()

    [told] = Notification.objects.filter(kind=NotificationKind.DRIFT_FOUND)
    assert told.recipient == planner and told.campaign == campaign
    assert told.facts["differences"][0].startswith("Calling windows: CXone runs Weekdays 10:00")


def test_a_skills_week_changed_in_cxone_is_found_once_under_the_admin_api(admin_cxone):
    campaign = running_campaign()
    week = {"mondayIsActive": True, "mondayStartTime": "06:00", "mondayEndTime": "07:00"}
    touch(admin_cxone, campaign.cxone_id, {"scheduleSettings": week})

    sync_campaigns()
    sync_campaigns()

    [found] = drifts(campaign)
    assert (
        found.changed == ["schedule"] and found.seen.cron_expression == ""
    )  # Monday differs: no single cron
    [event] = events(campaign)
    assert event.payload["schedule"] is None and event.payload["heldTo"]["schedule"] is not None


def test_a_skills_cadence_window_widened_in_cxone_is_drift_under_the_admin_api(admin_cxone):
    campaign = running_campaign()
    wider = [{"name": "Mobile numbers",
              "timeConstraints": [{"dayType": "Weekday", "startTime": "08:00", "endTime": "21:00"}]}]  # fmt: skip
    touch(admin_cxone, campaign.cxone_id, {"cadenceSettings": {"cadences": wider}})

    sync_campaigns()
    sync_campaigns()

    [found] = drifts(campaign)
    assert found.changed == ["cadences"]
    assert found.seen.time_constraints[0]["endTime"] == "21:00"
    assert found.reference.time_constraints != found.seen.time_constraints


def test_a_version_recorded_before_cadence_windows_were_kept_finds_no_change_in_them(admin_cxone):
    campaign = running_campaign()
    CampaignVersion.objects.filter(campaign=campaign).update(time_constraints=None)  # as migrated
    wider = [{"name": "Mobile numbers",
              "timeConstraints": [{"dayType": "Weekday", "startTime": "08:00", "endTime": "21:00"}]}]  # fmt: skip
    touch(admin_cxone, campaign.cxone_id, {"cadenceSettings": {"cadences": wider}})

    sync_campaigns()

    assert drifts(campaign) == []


def test_a_skill_stopped_in_cxone_is_drift_under_the_admin_api_and_its_period_is_not(admin_cxone):
    campaign = running_campaign()
    touch(
        admin_cxone, campaign.cxone_id, {"isRunning": False}
    )  # also moves its lastUpdateTime (the "period")

    sync_campaigns()

    [found] = drifts(campaign)
    assert found.changed == ["running"]


def test_a_skills_zones_changed_in_cxone_are_drift_under_the_admin_api(admin_cxone, planner):
    campaign = running_campaign()
    zones = [{"standardName": "Hawaiian Standard Time", "startTime": "08:00", "endTime": "21:00"}]
    run_sync(get_client().put_time_zones(campaign.cxone_id, zones))  # a full replace, as the CXone UI saves it

    sync_campaigns()

    [found] = drifts(campaign)
    assert found.changed == ["zones"] and found.seen.zones == ["Pacific/Honolulu"]
    assert "Only the zones changed" in answers.restore_refusal(found, planner)  # a draft cannot carry zones


def test_our_own_push_is_never_drift_under_the_admin_api(
    admin_cxone, planner, supervisor, django_capture_on_commit_callbacks
):
    # Every day: the tenant refuses a week with a day off (CXONE_ADMIN_REQUIRE_ALL_DAYS, on by default).
    every_day = {**PROPOSED, "cron_expression": "0 12 * * *"}
    [campaign] = pushable(1, every_day, state="PAUSED")
    draft = approved_draft(campaign, planner, supervisor, **every_day)
    with django_capture_on_commit_callbacks(execute=True):
        activation.queue(draft.pk)
    a = Activation.objects.get(draft=draft)
    assert activation.push(a.pk) == "pushed"

    sync_campaigns()  # the skill has our week and is still starting (not running yet)
    assert drifts(campaign) == []

    admin_cxone.state.clock.advance(6)
    due_now()
    activation.poll_round("test")
    sync_campaigns()

    assert drifts(campaign) == []
    assert reference_of(campaign).source == Source.APPROVED and reference_of(campaign).running is True
