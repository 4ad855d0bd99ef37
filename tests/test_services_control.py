"""Each step of a dialling change against the CXone sandbox on a real socket: a stop or start asked (202), a
campaign CXone no longer has (404), one whose state refuses it (409), a 5xx whose outcome a read resolves, a
worker killed mid-send whose lease is reclaimed, and the confirmer reading until CXone shows the change."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from campaigns.models import AuditEntry, Campaign, DiallingChange, Notification, WebhookDelivery
from campaigns.services import control, leases
from campaigns.services.control import alarms, confirming, doorbell, reclaiming, stopping
from campaigns.services.control.sending import _claim
from tests import activation_support
from tests.activation_support import mirror
from tests.control_support import PAUSE, RESUME, due_now, fresh, rung, running, settle, wanted

Step = DiallingChange.Step
Action = DiallingChange.Action
sandbox = activation_support.sandbox
__all__ = ["rung", "sandbox"]


def test_a_stop_cxone_accepts_is_confirmed_by_the_confirmer_once_the_campaign_shows_paused(sandbox, db, rung):
    mirror()
    campaign = running()[0]
    change = wanted(campaign)
    assert control.send(change.pk) == "accepted"
    assert fresh(change).step == Step.CONFIRMING
    assert sandbox.state.stats.count(PAUSE, 202) == 1
    due_now(change)
    assert confirming.confirm_round("test")["confirmed"] == 0  # CXone takes a moment to pause
    settle(sandbox)
    due_now(change)
    assert confirming.confirm_round("test") == {"read": 1, "confirmed": 1, "asked_again": 0, "requests": 1}
    change = fresh(change)
    assert change.step == Step.DONE and change.confirmed_at is not None
    assert Campaign.objects.get(pk=campaign.pk).state == "PAUSED"
    assert AuditEntry.objects.filter(action="campaigns.dialling.stop.done", campaign=campaign).exists()


def test_a_start_of_a_paused_campaign_is_confirmed_when_cxone_shows_it_active(sandbox, db, rung):
    mirror()
    campaign = running()[0]
    sandbox.state.campaigns[campaign.cxone_id]["state"] = "PAUSED"
    change = wanted(campaign, Action.START, origin=DiallingChange.Origin.RESUME)
    assert control.send(change.pk) == "accepted"
    assert sandbox.state.stats.count(RESUME, 202) == 1
    settle(sandbox)
    due_now(change)
    confirming.confirm_round("test")
    assert fresh(change).step == Step.DONE
    assert sandbox.state.campaigns[campaign.cxone_id]["state"] == "ACTIVE"


def test_a_campaign_cxone_no_longer_has_fails_the_stop_with_404_and_raises_the_alarm(sandbox, db, rung, supervisor):
    mirror()
    campaign = running()[0]
    sandbox.state.remove(campaign.cxone_id)
    change = wanted(campaign)
    assert control.send(change.pk) == "failed: not found"
    change = fresh(change)
    assert change.step == Step.FAILED and change.outcome == "campaign gone"
    assert change.alarm_raised_at is not None
    assert Notification.objects.filter(recipient=supervisor, kind="control_alarm").exists()
    assert WebhookDelivery.objects.filter(event_type="DIALLING_CONTROL_ALARM").count() == 1


def test_a_start_refused_with_409_because_the_campaign_is_in_error_fails_after_a_read(sandbox, db, rung):
    mirror()
    campaign = running()[0]
    sandbox.state.campaigns[campaign.cxone_id]["state"] = "ERROR"
    change = wanted(campaign, Action.START, origin=DiallingChange.Origin.RESUME)
    assert control.send(change.pk) == "failed: invalid state"
    assert sandbox.state.stats.count(RESUME, 409) == 1
    assert "ERROR" in fresh(change).error


def test_a_stop_refused_with_409_while_the_campaign_activates_waits_and_asks_again(sandbox, db, rung):
    mirror()
    campaign = running()[0]
    sandbox.state.campaigns[campaign.cxone_id]["state"] = "DRAFT"
    change = wanted(campaign)
    assert control.send(change.pk).startswith("waiting")
    change = fresh(change)
    assert change.step == Step.QUEUED and change.due_at > timezone.now()
    assert "DRAFT" in change.error


def test_a_stop_of_a_campaign_in_error_is_confirmed_by_the_read_after_its_409(sandbox, db, rung):
    mirror()
    campaign = running()[0]
    sandbox.state.campaigns[campaign.cxone_id]["state"] = "FAILED"
    change = wanted(campaign)
    assert control.send(change.pk) == "confirmed by a read"
    assert fresh(change).step == Step.DONE


def test_a_5xx_is_resolved_by_a_read_that_finds_the_campaign_still_dialling_so_it_is_asked_again(sandbox, db, rung):
    mirror()
    campaign = running()[0]
    sandbox.state.config.failing_paths = (f"/api/v2/outbound/campaigns/{campaign.cxone_id}/pause",)
    sandbox.state.reset_stats()
    change = wanted(campaign)
    assert control.send(change.pk).startswith("waiting")
    change = fresh(change)
    assert change.step == Step.QUEUED and "ServerError" in change.error
    assert sandbox.state.stats.count("GET /api/v2/outbound/campaigns") == 1  # the read that resolved it
    sandbox.state.config.failing_paths = ()
    due_now(change)
    assert control.send(change.pk) == "accepted"


def test_an_ambiguous_answer_is_resolved_by_a_read_that_finds_the_change_already_made(sandbox, db, rung):
    mirror()
    campaign = running()[0]
    change = wanted(campaign)
    # The request went out and its answer was lost; meanwhile CXone paused the campaign.
    DiallingChange.objects.filter(pk=change.pk).update(sent_at=timezone.now())
    sandbox.state.campaigns[campaign.cxone_id]["state"] = "PAUSED"
    assert control.send(change.pk) == "confirmed by a read"
    assert sandbox.state.stats.count(PAUSE) == 0


def test_a_sender_killed_mid_send_loses_its_lease_to_the_sweeper_and_the_next_worker_reads_first(sandbox, db, rung):
    mirror()
    campaign = running()[0]
    change = wanted(campaign)
    assert _claim(change.pk, "killed-worker") is not None
    DiallingChange.objects.filter(pk=change.pk).update(
        sent_at=timezone.now(), lease_expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    sandbox.state.reset_stats()
    assert control.send(change.pk) == "accepted"  # claimed from the dead worker, read first, then asked
    assert sandbox.state.stats.count("GET /api/v2/outbound/campaigns") == 1
    assert fresh(change).step == Step.CONFIRMING


def test_the_sweeper_gives_an_expired_send_back_to_the_queue_and_says_so_in_the_history(sandbox, db, rung):
    mirror()
    campaign = running()[0]
    change = wanted(campaign)
    _claim(change.pk, "killed-worker")
    DiallingChange.objects.filter(pk=change.pk).update(
        sent_at=timezone.now(), lease_expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    assert reclaiming.reclaim_expired_leases() == 1
    change = fresh(change)
    assert change.step == Step.QUEUED and change.lease_owner == ""
    entry = AuditEntry.objects.get(action="campaigns.dialling.stop.lease_reclaimed")
    assert "killed-worker" in entry.message and "reads the campaign first" in entry.message
    assert control.send(change.pk) == "accepted"


def test_a_second_worker_cannot_claim_a_change_another_holds(sandbox, db, rung):
    mirror()
    change = wanted(running()[0])
    assert _claim(change.pk, "first") is not None
    assert control.send(change.pk).startswith("not claimed")


def test_a_start_is_cancelled_while_a_stop_order_holds_the_campaign(sandbox, db, rung, supervisor):
    mirror()
    campaign = running()[0]
    stopping.stop(supervisor, {"campaigns": [campaign.pk]}, "Bad list")
    start = wanted(campaign, Action.START, origin=DiallingChange.Origin.PARTIAL_WEEK)
    assert control.send(start.pk) == "cancelled: held stopped"
    assert "Bad list" in fresh(start).outcome


def held_start_and_next_stop(sandbox, start_ago: dt.timedelta, stop_in: dt.timedelta):
    """A paused campaign's partial-week start, due `start_ago`, and the stop after it, due in `stop_in`."""
    mirror()
    campaign = running()[0]
    sandbox.state.campaigns[campaign.cxone_id]["state"] = "PAUSED"
    now, origin = timezone.now(), DiallingChange.Origin.PARTIAL_WEEK
    start = wanted(campaign, Action.START, origin=origin, due_at=now - start_ago)
    return campaign, start, wanted(campaign, Action.STOP, origin=origin, due_at=now + stop_in)


def test_a_start_so_late_that_the_next_stop_is_already_due_is_cancelled_and_never_sent(sandbox, db, rung):
    campaign, start, stop = held_start_and_next_stop(sandbox, dt.timedelta(hours=9), -dt.timedelta(minutes=1))
    assert control.send(start.pk) == "cancelled: overtaken by a later stop"
    assert fresh(start).step == Step.CANCELLED
    assert sandbox.state.stats.count(RESUME, 202) == 0
    assert sandbox.state.campaigns[campaign.cxone_id]["state"] == "PAUSED"
    assert fresh(stop).step == Step.QUEUED  # the stop still goes (a late stop still stops)


def test_a_start_is_sent_when_the_stop_after_it_is_not_yet_due(sandbox, db, rung):
    _, start, _ = held_start_and_next_stop(sandbox, dt.timedelta(seconds=30), dt.timedelta(hours=8))
    assert control.send(start.pk) == "accepted"
    assert sandbox.state.stats.count(RESUME, 202) == 1


def test_a_stop_not_confirmed_by_its_alarm_time_raises_the_alarm_once(sandbox, db, rung, supervisor):
    mirror()
    campaign = running()[0]
    change = wanted(campaign, alarm_at=timezone.now() - dt.timedelta(seconds=1))
    assert alarms.raise_overdue() == 1
    assert alarms.raise_overdue() == 0
    assert list(alarms.open_alarms()) == [fresh(change)]
    assert Notification.objects.filter(recipient=supervisor, kind="control_alarm").count() == 1


def test_a_confirmer_whose_worker_died_is_replaced_by_the_standby_within_seconds(db, rung):
    leases.acquire(doorbell.CONFIRMER_LEASE, "killed-worker", 1)
    assert confirming.run(seconds=5).endswith("rounds")  # stood by, took over when the lease expired
    assert not leases.is_held(doorbell.CONFIRMER_LEASE)


def test_only_one_standby_waits_beside_the_confirmer(db, rung):
    leases.acquire(doorbell.CONFIRMER_LEASE, "running-confirmer", 30)
    leases.acquire(confirming.STANDBY_LEASE, "first-standby", 30)
    assert confirming.run(seconds=1) == "another confirmer runs"


def test_a_standby_in_the_confirmers_own_cluster_hands_itself_on_for_another_cluster(db, rung, monkeypatch):
    monkeypatch.setattr(confirming, "placement", lambda owner, other: "together" if other == "running" else "?")
    leases.acquire(doorbell.CONFIRMER_LEASE, "running", 30)
    assert confirming.run(seconds=1) == "another confirmer runs"
    assert rung == [(doorbell.CONFIRM_TASK, (), {"hops": 1})]
    assert not leases.is_held(confirming.STANDBY_LEASE)  # free for the standby that lands elsewhere


def test_a_standby_that_handed_itself_on_often_enough_stands_by_where_it_landed(db, rung, monkeypatch):
    monkeypatch.setattr(confirming, "placement", lambda owner, other: "together")
    leases.acquire(doorbell.CONFIRMER_LEASE, "killed-worker", 1)
    assert confirming.run(seconds=5, hops=confirming.MAX_STANDBY_HOPS).endswith("rounds")  # took over


def test_in_the_only_cluster_alive_no_standby_holds_a_worker(db, rung, monkeypatch):
    monkeypatch.setattr(confirming, "placement", lambda owner, other: "only cluster")
    leases.acquire(doorbell.CONFIRMER_LEASE, "running", 30)
    assert confirming.run(seconds=5) == "another confirmer runs"
    assert rung == []
    assert not leases.is_held(confirming.STANDBY_LEASE)


def test_a_long_queue_is_not_rung_again_while_it_drains_at_cxones_rate(db, rung, settings, campaign):
    settings.CXONE_RATE_LIMIT = 5
    for _ in range(300):
        wanted(campaign)
    assert reclaiming.doorbell_grace() == dt.timedelta(seconds=90)  # 300 sends at 5/s, and half again
    DiallingChange.objects.update(doorbell_at=timezone.now() - dt.timedelta(seconds=60))
    assert confirming.ring_due(grace=reclaiming.doorbell_grace()) == 0
    assert confirming.ring_due(grace=reclaiming.DOORBELL_GRACE) == 300
