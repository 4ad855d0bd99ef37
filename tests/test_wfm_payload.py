"""The body WFM receives: the seed's fields at the top level, plus what a WFM system plans with, under 20 KB; and
the `campaign.drifted` event of a change made in CXone behind the planners' back."""

from __future__ import annotations

import datetime as dt

import pytest

from campaigns.models import Activation, CampaignVersion, Drift
from campaigns.services.webhooks import outbox as webhooks
from campaigns.services.webhooks.payload import MAX_BYTES, body_bytes
from tests.wfm_support import make_activation


@pytest.fixture(autouse=True)
def no_doorbell(monkeypatch):
    monkeypatch.setattr(webhooks, "enqueue_delivery", lambda pk: None)


def test_it_keeps_the_seeds_fields_at_the_top_level(frozen_clock, campaign, planner):
    payload = webhooks.record_activation_event(make_activation(campaign, planner)).payload
    assert payload["eventType"] == "CAMPAIGN_SCHEDULE_UPDATED"
    assert payload["campaignId"] == "C-1001"
    assert payload["activationLatencyMs"] == 9000
    assert payload["timestamp"] == "2026-11-30T12:00:09Z"  # when ACTIVE was observed
    assert payload["conflictsDetected"] == 1


def test_it_says_what_wfm_plans_with(frozen_clock, campaign, planner):
    activation = make_activation(campaign, planner)
    payload = webhooks.record_activation_event(activation).payload
    assert payload["type"] == "campaign_schedule.activated"
    assert (payload["draftId"], payload["version"], payload["previousVersion"]) == (activation.draft_id, 8, 7)
    assert payload["approvedAt"] == "2026-11-30T12:00:00Z" and payload["activeAt"] == "2026-11-30T12:00:09Z"
    assert payload["schedule"] == {
        "timezone": "America/Chicago",
        "cronExpression": "0 10 * * 1-5",
        "durationMinutes": 360,
        "startTime": "2026-12-01T06:00:00Z",
        "endTime": "2027-03-01T06:00:00Z",
        "retryPolicy": {
            "maxAttempts": 3,
            "retryIntervalMs": 60000,
            "retryOnBusy": True,
            "retryOnNoAnswer": True,
        },
    }
    assert payload["agentsRequired"] == 5 and payload["pool"] == {
        "skillId": "S-10",
        "name": "Renewals",
        "agents": 20,
    }
    assert payload["conflicts"][0]["campaigns"] == ["C-1001", "C-1002"]


def test_its_windows_cover_the_next_14_days_in_utc_and_local_time(frozen_clock, campaign, planner):
    windows = webhooks.record_activation_event(make_activation(campaign, planner)).payload["windows"]
    assert (windows["from"], windows["to"]) == ("2026-11-30T12:00:00Z", "2026-12-14T12:00:00Z")
    # Weekdays from Tue 1 Dec to Fri 11 Dec; Mon 14 Dec at 10:00 CST is 16:00 UTC, after the horizon.
    assert windows["count"] == 9 and len(windows["items"]) == 9 and windows["truncated"] is False
    assert windows["items"][0] == {
        "startUtc": "2026-12-01T16:00:00Z",
        "endUtc": "2026-12-01T22:00:00Z",
        "localStart": "2026-12-01T10:00:00-06:00",
        "localEnd": "2026-12-01T16:00:00-06:00",
    }


def test_a_failed_activation_plans_with_the_schedule_still_in_force(frozen_clock, campaign, planner):
    payload = webhooks.record_activation_event(
        make_activation(campaign, planner, step=Activation.Step.FAILED)
    ).payload
    assert payload["eventType"] == "CAMPAIGN_ACTIVATION_FAILED" and payload["activationLatencyMs"] is None
    assert payload["schedule"]["cronExpression"] == "0 9 * * 1-5"  # the campaign's, unchanged in CXone
    assert payload["attemptedSchedule"]["cronExpression"] == "0 10 * * 1-5"
    assert payload["windows"]["items"][0]["localStart"] == "2026-12-01T09:00:00-06:00"
    assert payload["error"] == {"outcome": "ERROR", "message": "dnc.list_inactive: DNC list D-5 is INACTIVE"}


def test_it_stays_under_20_kb_for_a_busy_schedule_with_many_conflicts(frozen_clock, campaign, planner):
    activation = make_activation(campaign, planner)
    conflict = {
        "kind": "capacity",
        "key": "S-10",
        "campaigns": [f"C-{n}" for n in range(30)],
        "hours_added": 1.5,
    }
    activation.draft.cron_expression = "*/5 * * * *"
    activation.draft.duration_minutes = 4
    activation.draft.findings = {"conflicts_added": [conflict] * 300}
    activation.draft.save()
    payload = webhooks.record_activation_event(activation).payload
    assert len(body_bytes(payload)) < MAX_BYTES
    # Every 5 minutes from the effective start (1 Dec 06:00 UTC, 18 h after now) to the 14-day horizon.
    assert payload["windows"]["count"] == (14 * 24 - 18) * 12
    assert payload["windows"]["truncated"] is True and payload["windows"]["items"]
    assert payload["conflictsDetected"] == 300 and 0 < len(payload["conflicts"]) <= 20


def drifted(campaign, *, cron="0 10 * * 1-5", duration=120) -> Drift:
    held = CampaignVersion.objects.create(
        campaign=campaign, source="approved", timezone="America/Chicago", cron_expression="0 9 * * 1-5",
        duration_minutes=480, running=True, remote_version=7,
    )  # fmt: skip
    seen = CampaignVersion.objects.create(
        campaign=campaign, source="seen_in_cxone", timezone="America/Chicago", cron_expression=cron,
        duration_minutes=duration, effective_start=campaign.effective_start, effective_end=campaign.effective_end,
        retry_policy=campaign.retry_policy, running=False, remote_version=8,
    )  # fmt: skip
    first_seen = dt.datetime(2026, 11, 30, 11, 55, tzinfo=dt.UTC)
    return Drift.objects.create(
        campaign=campaign, seen=seen, reference=held, changed=["schedule", "running"], first_seen_at=first_seen,
        last_seen_at=first_seen,
    )  # fmt: skip


def test_a_change_in_cxone_tells_wfm_what_cxone_runs_now_beside_what_it_is_held_to(frozen_clock, campaign):
    drift = drifted(campaign)
    delivery = webhooks.record_drift_event(drift)
    payload = delivery.payload

    assert (delivery.event_type, delivery.campaign, delivery.activation) == (
        "CAMPAIGN_DRIFTED",
        campaign,
        None,
    )
    assert (payload["eventType"], payload["type"], payload["eventId"]) == (
        "CAMPAIGN_DRIFTED",
        "campaign.drifted",
        delivery.webhook_id,
    )
    assert (payload["campaignId"], payload["driftId"], payload["changed"]) == (
        "C-1001",
        drift.pk,
        ["schedule", "running"],
    )
    assert payload["timestamp"] == payload["firstSeenAt"] == "2026-11-30T11:55:00Z"
    assert payload["schedule"]["cronExpression"] == "0 10 * * 1-5" and payload["running"] is False
    assert payload["windows"]["items"][0] == {
        "startUtc": "2026-12-01T16:00:00Z",
        "endUtc": "2026-12-01T18:00:00Z",
        "localStart": "2026-12-01T10:00:00-06:00",
        "localEnd": "2026-12-01T12:00:00-06:00",
    }
    held = payload["heldTo"]
    assert (held["source"], held["version"], held["running"]) == ("approved", 7, True)
    assert held["schedule"]["cronExpression"] == "0 9 * * 1-5" and held["schedule"]["startTime"] is None


def test_a_change_in_cxone_every_five_minutes_still_fits_in_20_kb(frozen_clock, campaign):
    payload = webhooks.record_drift_event(drifted(campaign, cron="*/5 * * * *", duration=5)).payload
    assert len(body_bytes(payload)) < MAX_BYTES
    assert payload["windows"]["count"] > 3000 and payload["windows"]["truncated"] is True
