"""Partial weeks under a tenant that refuses days off: the planner wants a stop when the last window before the days
off closes and a start just before the next calling day's window, once; a stop not confirmed well before the first
off-day window raises the alarm (blackout days: test_services_control_blackouts.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from campaigns.models import CampaignVersion, DiallingChange
from campaigns.services.control import alarms, holds, planning
from tests.conftest import make_campaign, make_draft
from tests.control_support import rung

pytestmark = pytest.mark.django_db
Action = DiallingChange.Action
UTC = dt.UTC
THURSDAY = dt.datetime(2026, 12, 3, 12, tzinfo=UTC)
__all__ = ["rung"]


@pytest.fixture
def weekdays(planner, settings):
    settings.CXONE_API = "admin"
    settings.CONTROL_START_LEAD_SECONDS = 300
    settings.CONTROL_ALARM_MARGIN_SECONDS = 1800
    campaign = make_campaign("1001", timezone="America/New_York")
    draft = make_draft(campaign, planner, cron_expression="0 9 * * 1-5", duration_minutes=480,
                       timezone="America/New_York")  # fmt: skip
    CampaignVersion.objects.create(campaign=campaign, source=CampaignVersion.Source.APPROVED, draft=draft)
    return campaign


def test_the_weekend_gets_a_stop_at_friday_close_and_a_start_before_monday_opens(weekdays, rung):
    assert planning.plan(THURSDAY, horizon=dt.timedelta(days=2)) == 2
    stop = DiallingChange.objects.get(action=Action.STOP)
    start = DiallingChange.objects.get(action=Action.START)
    assert stop.due_at == dt.datetime(2026, 12, 4, 22, tzinfo=UTC)
    assert stop.alarm_at == dt.datetime(2026, 12, 5, 13, 30, tzinfo=UTC)  # 30 min before Saturday's 09:00
    quiet, latest = dt.datetime(2026, 12, 6, 22, tzinfo=UTC), dt.datetime(2026, 12, 7, 13, 55, tzinfo=UTC)
    # In the first three quarters of the quiet hours from Sunday's close (17:00) to 5 min before Monday's 09:00,
    # where its own spread puts it.
    assert quiet <= start.due_at <= quiet + (latest - quiet) * 3 / 4
    assert start.due_at == quiet + (latest - quiet) * (planning.spread_of(weekdays) * 0.75)
    assert stop.origin == start.origin == DiallingChange.Origin.PARTIAL_WEEK


def test_planning_again_wants_nothing_twice(weekdays, rung):
    planning.plan(THURSDAY, horizon=dt.timedelta(days=2))
    assert planning.plan(THURSDAY + dt.timedelta(hours=1), horizon=dt.timedelta(days=2)) == 0


def test_a_campaign_found_inside_its_days_off_is_stopped_now(weekdays, rung):
    saturday = dt.datetime(2026, 12, 5, 10, tzinfo=UTC)
    planning.plan(saturday, horizon=dt.timedelta(hours=6))
    stop = DiallingChange.objects.get(action=Action.STOP)
    assert stop.due_at == saturday


def test_a_tenant_that_takes_days_off_needs_no_holding(weekdays, settings, rung):
    settings.CXONE_API = "outbound-v2"
    assert planning.plan(THURSDAY, horizon=dt.timedelta(days=2)) == 0


def test_the_start_is_not_held_by_the_interval_it_ends(weekdays):
    monday_open = dt.datetime(2026, 12, 7, 14, tzinfo=UTC)
    assert holds.held_stopped(weekdays, at=monday_open) == ""
    assert "day off" in holds.held_stopped(weekdays, at=dt.datetime(2026, 12, 5, 15, tzinfo=UTC))


def test_a_stop_not_confirmed_by_its_alarm_time_raises_the_alarm(weekdays, rung):
    planning.plan(THURSDAY, horizon=dt.timedelta(days=2))
    assert alarms.raise_overdue(dt.datetime(2026, 12, 5, 13, 29, tzinfo=UTC)) == 0
    assert alarms.raise_overdue(dt.datetime(2026, 12, 5, 13, 31, tzinfo=UTC)) == 1


def test_a_campaign_found_dialling_again_inside_its_days_off_is_stopped_again(weekdays, rung):
    saturday = dt.datetime(2026, 12, 5, 10, tzinfo=UTC)
    planning.plan(saturday, horizon=dt.timedelta(hours=6))
    DiallingChange.objects.filter(action=Action.STOP).update(step=DiallingChange.Step.DONE)
    weekdays.__class__.objects.filter(pk=weekdays.pk).update(state="PAUSED")
    assert planning.plan(saturday + dt.timedelta(minutes=1), horizon=dt.timedelta(hours=6)) == 0
    weekdays.__class__.objects.filter(pk=weekdays.pk).update(state="ACTIVE")  # an activation started the skill
    assert planning.plan(saturday + dt.timedelta(minutes=2), horizon=dt.timedelta(hours=6)) == 1
    assert DiallingChange.objects.filter(action=Action.STOP).count() == 2


def test_a_start_goes_when_the_last_off_day_window_closes_and_no_later_than_the_lead_before_the_next(weekdays):
    interval = holds.partial_week_intervals(weekdays, THURSDAY, THURSDAY + dt.timedelta(days=4))[0]
    assert interval.quiet_from == dt.datetime(2026, 12, 6, 22, tzinfo=UTC)  # Sunday 17:00 in New York
    assert interval.start_due(dt.timedelta(minutes=5)) == interval.quiet_from
    assert interval.start_due(dt.timedelta(minutes=5), 0.5) == dt.datetime(2026, 12, 7, 3, 58, 7, 500000, tzinfo=UTC)
    assert interval.start_due(dt.timedelta(hours=20)) == dt.datetime(2026, 12, 6, 18, tzinfo=UTC)  # a longer lead


def test_starts_of_a_portfolio_are_spread_evenly_over_their_quiet_hours(weekdays):
    spreads = sorted(planning.spread_of(type(weekdays)(pk=pk)) for pk in range(1, 101))
    assert all(0 <= s < 1 for s in spreads)
    assert max(b - a for a, b in zip(spreads, spreads[1:], strict=False)) < 0.03  # no gap a tenth wide


def test_our_own_early_start_is_not_taken_for_a_campaign_dialling_in_its_days_off(weekdays, rung):
    sunday_evening = dt.datetime(2026, 12, 6, 23, tzinfo=UTC)  # after Sunday's window, before Monday's
    planning.plan(dt.datetime(2026, 12, 5, 10, tzinfo=UTC), horizon=dt.timedelta(days=2))
    DiallingChange.objects.update(step=DiallingChange.Step.DONE)
    weekdays.__class__.objects.filter(pk=weekdays.pk).update(state="ACTIVE")
    assert planning.plan(sunday_evening, horizon=dt.timedelta(hours=6)) == 0
