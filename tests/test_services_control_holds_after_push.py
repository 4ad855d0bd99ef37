"""An approval changes a schedule; it never lifts a hold. A campaign that goes live while something holds it
stopped (a Stop dialling order, an approved pause) is stopped again at once. The end of a pause starts again
only the campaigns its stop found dialling, and a pause already over when it is approved is refused. Against
the CXone sandbox on a real socket."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from campaigns.models import Activation, Campaign, DiallingChange, TimedPause
from campaigns.services import activation, control
from campaigns.services.activation import polling as activation_polling
from campaigns.services.control import pausing, stopping
from campaigns.services.errors import InvalidTransition
from tests import activation_support
from tests.activation_support import due_now as activations_due_now
from tests.activation_support import mirror
from tests.control_support import RESUME, due_now, fresh, rung, running

pytestmark = pytest.mark.django_db
Action, Origin, Step = DiallingChange.Action, DiallingChange.Origin, DiallingChange.Step
sandbox, doorbells, target = activation_support.sandbox, activation_support.doorbells, activation_support.target
__all__ = ["doorbells", "rung", "sandbox", "target"]


def live(a: Activation, sandbox, capture) -> Activation:
    """Push the activation and poll until CXone shows it ACTIVE."""
    with capture(execute=True):
        assert activation.push(a.pk) == "pushed"
    sandbox.state.clock.advance(2)
    activations_due_now()
    with capture(execute=True):
        activation_polling.poll_round("test")
    a.refresh_from_db()
    return a


def test_a_campaign_that_goes_live_under_an_open_stop_is_stopped_again_at_once(
    sandbox, target, planner, supervisor, doorbells, rung, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    a = activation_support.approved_and_queued(target, planner, supervisor, capture)
    with capture(execute=True):
        stopping.stop(supervisor, {"campaigns": [target.pk]}, "Carrier incident")

    assert live(a, sandbox, capture).step == Activation.Step.ACTIVE

    [again] = DiallingChange.objects.filter(campaign=target, origin=Origin.HOLD)
    assert (again.action, again.step) == (Action.STOP, Step.QUEUED) and again.due_at <= timezone.now()
    assert "Went live while held stopped: Stop dialling #" in again.reason
    assert ("campaigns.tasks.send_dialling_change", (again.pk,)) in rung  # sent at once, not at the next sweep


def test_a_campaign_that_goes_live_with_nothing_holding_it_is_left_dialling(
    sandbox, target, planner, supervisor, doorbells, django_capture_on_commit_callbacks
):
    a = activation_support.approved_and_queued(target, planner, supervisor, django_capture_on_commit_callbacks)
    assert live(a, sandbox, django_capture_on_commit_callbacks).step == Activation.Step.ACTIVE
    assert not DiallingChange.objects.filter(campaign=target).exists()


def paused_soon(campaign, planner, supervisor) -> tuple[DiallingChange, DiallingChange]:
    start = timezone.now() + dt.timedelta(minutes=5)
    pause = pausing.ask(planner, {"campaigns": [campaign.pk]}, start, start + dt.timedelta(hours=1), "Training")
    pausing.approve(pause.pk, supervisor)
    return pause.changes.get(action=Action.STOP), pause.changes.get(action=Action.START)


def test_the_end_of_a_pause_starts_again_a_campaign_that_was_dialling_when_it_began(
    sandbox, db, doorbells, planner, supervisor
):
    mirror()
    campaign = running()[0]
    stop, go = paused_soon(campaign, planner, supervisor)
    due_now(stop)
    assert control.send(stop.pk) == "accepted" and fresh(stop).was_running is True

    due_now(go)
    assert control.send(go.pk) == "accepted"


def test_the_end_of_a_pause_leaves_stopped_a_campaign_that_was_not_dialling_when_it_began(
    sandbox, db, doorbells, planner, supervisor
):
    mirror()
    campaign = running()[0]
    sandbox.state.campaigns[campaign.cxone_id]["state"] = "PAUSED"
    Campaign.objects.filter(pk=campaign.pk).update(state="PAUSED")  # stopped on purpose before the pause
    stop, go = paused_soon(campaign, planner, supervisor)
    due_now(stop)
    control.send(stop.pk)
    assert fresh(stop).was_running is False

    due_now(go)
    assert control.send(go.pk) == "cancelled: held stopped"
    assert f"it was not dialling when pause #{go.timed_pause_id} began" in fresh(go).outcome
    assert sandbox.state.stats.count(RESUME, 202) == 0
    assert sandbox.state.campaigns[campaign.cxone_id]["state"] == "PAUSED"


def test_a_pause_that_ended_before_it_was_approved_is_refused_and_starts_nothing(db, planner, supervisor):
    campaign = Campaign.objects.create(cxone_id="C-9", name="Dormant", state="PAUSED")
    over = timezone.now() - dt.timedelta(minutes=1)
    pause = TimedPause.objects.create(starts_at=over - dt.timedelta(hours=1), ends_at=over, reason="Training",
                                      requested_by=planner)  # fmt: skip
    pause.campaigns.set([campaign])

    with pytest.raises(InvalidTransition, match="before it was approved: there is nothing left to hold"):
        pausing.approve(pause.pk, supervisor)

    assert TimedPause.objects.get(pk=pause.pk).status == TimedPause.Status.SUBMITTED
    assert not DiallingChange.objects.filter(campaign=campaign).exists()
