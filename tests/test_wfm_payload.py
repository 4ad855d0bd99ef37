"""The body WFM receives: the seed's fields at the top level, plus what a WFM system plans with, under 20 KB; and
the `campaign.drifted` event of a change made in CXone behind the planners' back."""

from __future__ import annotations

import datetime as dt

import pytest

from campaigns.models import Activation, CampaignVersion, Drift, TimedPause
from campaigns.services.blackouts import editing
from campaigns.services.webhooks import outbox as webhooks
from campaigns.services.webhooks.payload import MAX_BYTES, body_bytes
from tests.conftest import make_campaign
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
    assert windows["held"] == [] and windows["heldCount"] == 0
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


def blackout(campaign, supervisor, other_supervisor, days: str):
    revision = editing.create_calendar(supervisor, "Office closed", "", days)
    editing.propose_attachments(revision.calendar_id, supervisor, campaigns=[campaign.pk], pools=[])
    editing.submit(revision.pk, supervisor)
    editing.approve(revision.pk, other_supervisor)


def paused(
    campaign, planner, supervisor, start, end, reason="Training day", status=TimedPause.Status.APPROVED
):
    pause = TimedPause.objects.create(
        starts_at=start, ends_at=end, reason=reason, requested_by=planner, status=status,
        reviewed_by=supervisor if status == TimedPause.Status.APPROVED else None,
    )  # fmt: skip
    pause.campaigns.set([campaign])
    return pause


def utc(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


def test_windows_on_a_blackout_day_are_left_out_and_the_day_is_named(
    frozen_clock, campaign, planner, supervisor, other_supervisor
):
    blackout(campaign, supervisor, other_supervisor, "2026-12-03: Company closure")
    windows = webhooks.record_activation_event(make_activation(campaign, planner)).payload["windows"]

    assert windows["count"] == 8 and len(windows["items"]) == 8  # the 9 weekdays but Thu 3 Dec
    assert not [w for w in windows["items"] if w["startUtc"].startswith("2026-12-03")]
    assert windows["heldCount"] == 1
    assert windows["held"] == [
        {
            "from": "2026-12-03T06:00:00Z",  # midnight to midnight in Chicago
            "until": "2026-12-04T06:00:00Z",
            "why": "blackout",
            "name": "Company closure",
            "day": "2026-12-03",
            "windows": 1,
        }
    ]


def test_windows_inside_an_approved_pause_are_left_out_and_the_pause_gives_its_reason(
    frozen_clock, campaign, planner, supervisor
):
    # Wed 2 Dec 16:00 – Fri 4 Dec 22:00 UTC holds the Wed, Thu and Fri windows (10:00–16:00 CST) whole.
    pause = paused(campaign, planner, supervisor, utc(2026, 12, 2, 15), utc(2026, 12, 4, 23))
    windows = webhooks.record_activation_event(make_activation(campaign, planner)).payload["windows"]

    assert windows["count"] == 6 and windows["heldCount"] == 3
    assert [w["startUtc"][:10] for w in windows["items"]][:2] == ["2026-12-01", "2026-12-07"]
    assert windows["held"] == [
        {
            "from": "2026-12-02T15:00:00Z",
            "until": "2026-12-04T23:00:00Z",
            "why": "paused",
            "reason": "Training day",
            "pauseId": pause.pk,
            "windows": 3,
        }
    ]


def test_a_window_a_pause_only_cuts_into_still_dials_and_is_marked_partly_paused(
    frozen_clock, campaign, planner, supervisor
):
    # An hour of Tuesday's window.
    paused(campaign, planner, supervisor, utc(2026, 12, 1, 18), utc(2026, 12, 1, 19))
    windows = webhooks.record_activation_event(make_activation(campaign, planner)).payload["windows"]

    assert windows["count"] == 9 and windows["heldCount"] == 0
    assert windows["items"][0]["partlyPaused"] is True and "partlyPaused" not in windows["items"][1]
    assert windows["held"][0]["windows"] == 0


def test_a_pause_awaiting_approval_or_another_campaigns_pause_holds_nothing(
    frozen_clock, campaign, planner, supervisor
):
    paused(
        campaign, planner, supervisor, utc(2026, 12, 1), utc(2026, 12, 5), status=TimedPause.Status.SUBMITTED
    )
    other = make_campaign("C-1002", name="Other")
    paused(other, planner, supervisor, utc(2026, 12, 1), utc(2026, 12, 5))
    windows = webhooks.record_activation_event(make_activation(campaign, planner)).payload["windows"]
    assert windows["count"] == 9 and windows["held"] == []


def test_a_change_in_cxone_leaves_out_the_windows_held_too(
    frozen_clock, campaign, supervisor, other_supervisor
):
    blackout(campaign, supervisor, other_supervisor, "2026-12-01 to 2026-12-02: Stocktake")
    windows = webhooks.record_drift_event(drifted(campaign)).payload["windows"]
    assert windows["items"][0]["startUtc"] == "2026-12-03T16:00:00Z"
    assert [h["day"] for h in windows["held"]] == ["2026-12-01", "2026-12-02"]
    assert windows["count"] + windows["heldCount"] == 9


def test_a_busy_schedule_with_a_pause_and_blackout_days_still_fits_in_20_kb(
    frozen_clock, campaign, planner, supervisor, other_supervisor
):
    blackout(campaign, supervisor, other_supervisor, "2026-12-05 to 2026-12-13: Winter closure")
    for day in range(1, 5):
        paused(campaign, planner, supervisor, utc(2026, 12, day, 1), utc(2026, 12, day, 2), reason="x" * 500)
    activation = make_activation(campaign, planner)
    activation.draft.cron_expression = "*/5 * * * *"
    activation.draft.duration_minutes = 4
    activation.draft.save()
    payload = webhooks.record_activation_event(activation).payload

    assert len(body_bytes(payload)) < MAX_BYTES
    windows = payload["windows"]
    assert windows["truncated"] is True and windows["items"]
    assert windows["count"] + windows["heldCount"] == (14 * 24 - 18) * 12
    # Nine whole Chicago days, and three of the four pause hours (the first is before the effective start).
    assert windows["heldCount"] == 9 * 24 * 12 + 3 * 12
    assert len(windows["held"]) == 13 and "heldTruncated" not in windows


def test_held_entries_are_cut_last_when_a_body_is_still_too_big(frozen_clock, campaign, planner, supervisor):
    for day in range(1, 13):
        paused(campaign, planner, supervisor, utc(2026, 12, day, 1), utc(2026, 12, day, 2), reason="y" * 1900)
    payload = webhooks.record_activation_event(make_activation(campaign, planner)).payload
    assert len(body_bytes(payload)) < MAX_BYTES
    windows = payload["windows"]
    assert windows["items"] == [] and windows["truncated"] is True  # the windows went first
    assert 0 < len(windows["held"]) < 12 and windows["heldTruncated"] is True
    assert windows["count"] == 9  # counts stay
