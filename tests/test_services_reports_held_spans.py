"""What the timelines draw as holds: approved pauses and pauses awaiting approval that touch the range (rejected
and cancelled ones never), and each open Stop dialling from when it began, one span per campaign."""

import datetime as dt

import pytest

from campaigns.charts.holds import PAUSE_ASKED, PAUSED, STOPPED
from campaigns.models import DiallingChange, DiallingStop, TimedPause
from campaigns.services.reports.held_spans import held_spans
from tests.conftest import make_campaign

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_clock")]
UTC = dt.UTC
START, END = dt.datetime(2026, 12, 1, tzinfo=UTC), dt.datetime(2026, 12, 8, tzinfo=UTC)


@pytest.fixture
def two(db):
    return make_campaign("C-1", name="East"), make_campaign("C-2", name="West")


def pause(campaigns, planner, status, start=dt.datetime(2026, 12, 2, 14, tzinfo=UTC), hours=10, reason="Training"):
    row = TimedPause.objects.create(starts_at=start, ends_at=start + dt.timedelta(hours=hours), reason=reason,
                                    requested_by=planner, status=status)  # fmt: skip
    row.campaigns.set(campaigns)
    return row


def stop(campaigns, state=DiallingStop.State.STOPPING, reason="Bad list"):
    order = DiallingStop.objects.create(reason=reason, state=state)
    for campaign in campaigns:
        DiallingChange.objects.create(campaign=campaign, action=DiallingChange.Action.STOP,
                                      origin=DiallingChange.Origin.STOP_ORDER, stop_order=order,
                                      due_at=order.created_at)  # fmt: skip
    return order


def test_an_approved_pause_is_one_span_per_campaign_with_its_utc_interval_and_reason(two, planner):
    row = pause(two, planner, TimedPause.Status.APPROVED)
    spans = held_spans(START, END)
    assert [(s.campaign, s.kind, s.reason, s.name) for s in spans] == [
        ("C-1", PAUSED, "Training", f"Pause #{row.pk}"),
        ("C-2", PAUSED, "Training", f"Pause #{row.pk}"),
    ]
    assert spans[0].start == int(row.starts_at.timestamp()) and spans[0].end == int(row.ends_at.timestamp())


def test_a_pause_awaiting_approval_is_its_own_kind_and_rejected_cancelled_or_out_of_range_ones_are_left_out(
    two, planner
):
    pause(two[:1], planner, TimedPause.Status.SUBMITTED)
    pause(two[:1], planner, TimedPause.Status.REJECTED)
    pause(two[:1], planner, TimedPause.Status.CANCELLED)
    pause(two[:1], planner, TimedPause.Status.APPROVED, start=dt.datetime(2026, 12, 9, tzinfo=UTC))
    assert [s.kind for s in held_spans(START, END)] == [PAUSE_ASKED]


def test_an_open_stop_holds_its_campaigns_with_no_end_and_a_resumed_one_nothing(two):
    order = stop(two)
    stop(two, state=DiallingStop.State.RESUMED)
    spans = held_spans(START - dt.timedelta(days=30), END + dt.timedelta(days=30))
    assert [(s.campaign, s.kind, s.end, s.name) for s in spans] == [
        ("C-1", STOPPED, None, f"Stop dialling #{order.pk}"),
        ("C-2", STOPPED, None, f"Stop dialling #{order.pk}"),
    ]


def test_asked_for_one_campaign_it_gives_only_that_campaigns_holds(two, planner):
    pause(two, planner, TimedPause.Status.APPROVED)
    stop(two[1:])
    spans = held_spans(START - dt.timedelta(days=30), END + dt.timedelta(days=30), two[0])
    assert [(s.campaign, s.kind) for s in spans] == [("C-1", PAUSED)]
