"""Stop dialling and Resume as services: who may, the reason and the selection, one stop per campaign, the history,
supervisors told and WFM sent the event; Resume only after a second supervisor agrees, and only for what the stop
found dialling and is still within its schedule. Timed pauses: asked by a planner, approved by someone else."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from campaigns.models import AgentPool, AuditEntry, DiallingChange, DiallingStop, PoolMember, WebhookDelivery
from campaigns.services.control import pausing, stopping
from campaigns.services.errors import InvalidInput, InvalidTransition, NotAllowed
from tests.conftest import make_campaign
from tests.control_support import rung

pytestmark = pytest.mark.django_db
Action = DiallingChange.Action
__all__ = ["rung"]


@pytest.fixture
def portfolio(db):
    future_end = timezone.now() + dt.timedelta(days=60)
    fl = [{"state": "FL", "timezones": ["America/New_York"], "count": 10}]
    return {
        "east": make_campaign("C-1", name="East", timezone="America/New_York", contact_list_breakdown=fl,
                              effective_end=future_end),
        "west": make_campaign("C-2", name="West", timezone="America/Los_Angeles", effective_end=future_end),
        "paused": make_campaign("C-3", name="Already paused", state="PAUSED", effective_end=future_end),
        "ended": make_campaign("C-4", name="Ended", effective_end=timezone.now() - dt.timedelta(days=1)),
    }  # fmt: skip


def stop_all(actor, reason="Carrier incident"):
    return stopping.stop(actor, {"all": True}, reason)


def test_a_supervisor_stops_every_campaign_in_one_action_with_one_stop_each(portfolio, supervisor, rung):
    order = stop_all(supervisor)
    stops = order.changes.filter(action=Action.STOP)
    assert stops.count() == 4
    assert all(c.priority > 0 for c in stops)
    assert {c.campaign.name for c in stops.filter(was_running=True)} == {"East", "West", "Ended"}
    assert len([r for r in rung if r[0] == "campaigns.tasks.send_dialling_change"]) == 0  # rung on commit only


def test_a_stop_is_audited_told_to_the_other_supervisors_and_sent_to_wfm(portfolio, supervisor, other_supervisor, rung):
    order = stop_all(supervisor, "Regulator's letter")
    entry = AuditEntry.objects.get(action="campaigns.dialling.stop_ordered")
    assert "Regulator's letter" in entry.message and "4 campaigns" in entry.message
    assert other_supervisor.notifications.filter(kind="dialling_stopped").exists()
    event = WebhookDelivery.objects.get(event_type="DIALLING_STOPPED")
    assert event.payload["stopId"] == order.pk and len(event.payload["campaignIds"]) == 4


def test_a_planner_and_a_manager_may_not_stop_dialling(portfolio, planner, manager):
    for user in (planner, manager):
        with pytest.raises(NotAllowed):
            stop_all(user)
    assert not DiallingStop.objects.exists()


def test_a_stop_needs_a_reason_and_a_selection(portfolio, supervisor):
    with pytest.raises(InvalidInput):
        stop_all(supervisor, reason=" ")
    with pytest.raises(InvalidInput):
        stopping.stop(supervisor, {}, "x")


def test_a_selection_takes_the_campaigns_of_a_pool_a_zone_or_with_contacts_in_a_state(portfolio, supervisor, rung):
    pool = AgentPool.objects.create(name="West callers", agents=5)
    PoolMember.objects.create(pool=pool, campaign=portfolio["west"])
    by_pool = stopping.stop(supervisor, {"pools": [pool.pk]}, "x")
    assert [c.campaign.name for c in by_pool.changes.all()] == ["West"]
    by_state = stopping.stop(supervisor, {"states": ["fl"]}, "x")
    assert [c.campaign.name for c in by_state.changes.all()] == ["East"]
    by_zone = stopping.stop(supervisor, {"zones": ["America/Los_Angeles"]}, "x")
    assert [c.campaign.name for c in by_zone.changes.all()] == ["West"]


def test_resume_needs_a_second_supervisor(portfolio, supervisor, other_supervisor, rung):
    order = stop_all(supervisor)
    stopping.request_resume(order.pk, supervisor)
    with pytest.raises(NotAllowed):
        stopping.approve_resume(order.pk, supervisor)
    order, starts, _ = stopping.approve_resume(order.pk, other_supervisor)
    assert order.state == DiallingStop.State.RESUMED
    assert order.resume_approved_by == other_supervisor


def test_resume_is_not_agreed_before_someone_asks(portfolio, supervisor, other_supervisor, rung):
    order = stop_all(supervisor)
    with pytest.raises(InvalidTransition):
        stopping.approve_resume(order.pk, other_supervisor)


def test_a_planner_may_neither_ask_nor_agree_to_a_resume(portfolio, supervisor, other_supervisor, planner, rung):
    order = stop_all(supervisor)
    with pytest.raises(NotAllowed):
        stopping.request_resume(order.pk, planner)
    stopping.request_resume(order.pk, supervisor)
    with pytest.raises(NotAllowed):
        stopping.approve_resume(order.pk, planner)


def test_resume_starts_exactly_what_was_dialling_and_is_still_within_its_schedule(
    portfolio, supervisor, other_supervisor, rung
):
    order = stop_all(supervisor)
    stopping.request_resume(order.pk, supervisor, "Carrier fixed")
    _, starts, left = stopping.approve_resume(order.pk, other_supervisor)
    assert sorted(s.campaign.name for s in starts) == ["East", "West"]  # not the paused one, not the ended one
    assert any("Ended" in line and "schedule has ended" in line for line in left)
    assert all(s.origin == DiallingChange.Origin.RESUME and s.stop_order == order for s in starts)
    event = WebhookDelivery.objects.get(event_type="DIALLING_RESUMED")
    assert sorted(event.payload["campaignNames"]) == ["East", "West"]


def test_resume_leaves_stopped_what_another_stop_still_holds(portfolio, supervisor, other_supervisor, rung):
    first = stop_all(supervisor)
    stopping.stop(supervisor, {"campaigns": [portfolio["east"].pk]}, "Bad list")
    stopping.request_resume(first.pk, supervisor)
    _, starts, left = stopping.approve_resume(first.pk, other_supervisor)
    assert [s.campaign.name for s in starts] == ["West"]
    assert any("East" in line and "Bad list" in line for line in left)


def test_a_resume_asked_can_be_withdrawn_and_the_stop_holds_again(portfolio, supervisor, rung):
    order = stop_all(supervisor)
    stopping.request_resume(order.pk, supervisor)
    assert stopping.withdraw_resume(order.pk, supervisor).state == DiallingStop.State.STOPPING


def test_progress_counts_the_stops_confirmed(portfolio, supervisor, rung):
    order = stop_all(supervisor)
    first = order.changes.first()
    DiallingChange.objects.filter(pk=first.pk).update(step=DiallingChange.Step.DONE)
    assert stopping.progress(order) == {"total": 4, "confirmed": 1, "failed": 0, "waiting": 3, "percent": 25}


def test_a_timed_pause_is_asked_by_a_planner_and_approved_by_someone_else(portfolio, planner, supervisor, rung):
    start = timezone.now() + dt.timedelta(hours=1)
    pause = pausing.ask(planner, {"campaigns": [portfolio["east"].pk]}, start, start + dt.timedelta(hours=2),
                        "Training")  # fmt: skip
    assert not pause.changes.exists()
    pausing.approve(pause.pk, supervisor)
    stop, go = pause.changes.order_by("due_at")
    assert (stop.action, stop.due_at, stop.hold_until) == (Action.STOP, start, start + dt.timedelta(hours=2))
    assert (go.action, go.due_at) == (Action.START, start + dt.timedelta(hours=2))
    assert WebhookDelivery.objects.filter(event_type="DIALLING_PAUSE_SCHEDULED").exists()


def test_the_asker_may_not_approve_their_own_pause(portfolio, supervisor, rung):
    start = timezone.now() + dt.timedelta(hours=1)
    pause = pausing.ask(supervisor, {"all": True}, start, start + dt.timedelta(hours=1), "x")
    with pytest.raises(NotAllowed):
        pausing.approve(pause.pk, supervisor)


def test_a_pause_that_ends_before_it_starts_is_refused(portfolio, planner):
    start = timezone.now() + dt.timedelta(hours=1)
    with pytest.raises(InvalidInput):
        pausing.ask(planner, {"all": True}, start, start - dt.timedelta(minutes=1), "x")
