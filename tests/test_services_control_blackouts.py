"""Blackout days under any API: the planner wants a stop at the campaign's local midnight of a blacked-out day and
a start just before the next one, once; while it lasts nothing starts the campaign; a campaign without a calendar
is left alone."""

from __future__ import annotations

import datetime as dt

import pytest

from campaigns.models import DiallingChange
from campaigns.services.blackouts import editing
from campaigns.services.control import holds, planning
from tests.conftest import make_campaign
from tests.control_support import rung

pytestmark = pytest.mark.django_db
Action = DiallingChange.Action
UTC = dt.UTC
DAY_BEFORE = dt.datetime(2026, 12, 23, 12, tzinfo=UTC)
__all__ = ["rung"]


@pytest.fixture
def christmas_eve(supervisor, other_supervisor, settings):
    settings.CXONE_API = "outbound-v2"  # a tenant that holds its own weeks: blackout days are still ours
    settings.CONTROL_START_LEAD_SECONDS = 300
    campaign = make_campaign("C-7001", timezone="America/New_York", cron_expression="0 9 * * *")
    revision = editing.create_calendar(supervisor, "Office closed", "", "2026-12-24: Christmas Eve")
    editing.propose_attachments(revision.calendar_id, supervisor, campaigns=[campaign.pk], pools=[])
    editing.submit(revision.pk, supervisor)
    editing.approve(revision.pk, other_supervisor)
    return campaign


def test_a_blackout_day_gets_a_stop_at_local_midnight_and_a_start_before_the_next_window(christmas_eve, rung):
    assert planning.plan(DAY_BEFORE, horizon=dt.timedelta(hours=36)) == 2
    stop = DiallingChange.objects.get(action=Action.STOP)
    start = DiallingChange.objects.get(action=Action.START)
    assert stop.due_at == dt.datetime(2026, 12, 24, 5, tzinfo=UTC)  # 00:00 in New York
    # Once the day is over (its midnight), and 5 min before the next window (09:00 New York) at the latest.
    assert dt.datetime(2026, 12, 25, 5, tzinfo=UTC) <= start.due_at <= dt.datetime(2026, 12, 25, 13, 55, tzinfo=UTC)
    assert stop.origin == start.origin == DiallingChange.Origin.BLACKOUT
    assert "Blackout day" in stop.reason


def test_a_night_window_that_opened_on_the_blackout_day_is_not_resumed_at_midnight(christmas_eve, rung):
    # 20:00–02:00 New York: Christmas Eve's window runs into the 25th in CXone, which knows nothing of the day.
    DiallingChange.objects.all().delete()
    type(christmas_eve).objects.filter(pk=christmas_eve.pk).update(cron_expression="0 20 * * *", duration_minutes=360)
    christmas_eve.refresh_from_db()

    planning.plan(DAY_BEFORE, horizon=dt.timedelta(hours=36))

    start = DiallingChange.objects.get(action=Action.START)
    closes, next_opens = dt.datetime(2026, 12, 25, 7, tzinfo=UTC), dt.datetime(2026, 12, 26, 1, tzinfo=UTC)
    assert closes <= start.due_at <= next_opens - dt.timedelta(minutes=5)
    assert "blackout" in holds.held_stopped(christmas_eve, at=dt.datetime(2026, 12, 25, 6, tzinfo=UTC))
    assert holds.held_stopped(christmas_eve, at=closes) == ""  # a Resume from then on starts it

def test_planning_a_blackout_again_wants_nothing_twice(christmas_eve, rung):
    planning.plan(DAY_BEFORE, horizon=dt.timedelta(hours=36))
    assert planning.plan(DAY_BEFORE + dt.timedelta(hours=1), horizon=dt.timedelta(hours=36)) == 0


def test_nothing_starts_the_campaign_on_its_blackout_day(christmas_eve):
    assert "blackout" in holds.held_stopped(christmas_eve, at=dt.datetime(2026, 12, 24, 15, tzinfo=UTC))
    assert holds.held_stopped(christmas_eve, at=dt.datetime(2026, 12, 25, 15, tzinfo=UTC)) == ""


def test_a_campaign_without_a_calendar_is_left_alone(christmas_eve, rung):
    other = make_campaign("C-7002", timezone="America/New_York", cron_expression="0 9 * * *")
    planning.plan(DAY_BEFORE, horizon=dt.timedelta(hours=36))
    assert not DiallingChange.objects.filter(campaign=other).exists()
