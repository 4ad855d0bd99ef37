"""The engine sees approved pauses: conflicts, capacity and the editor's what-if and timeline never count what a
pause holds (nobody is called and no agent is needed while a campaign is paused), while the timeline still draws
the windows and marks them held. A pause awaiting approval holds nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from campaigns.models import TimedPause
from campaigns.services.blackouts import days as blackout_days
from campaigns.services.control import pausing
from campaigns.services.drafts.checks import conflict_index, draft_checks, kept_reviews
from campaigns.services.reports import dashboards, draft_timeline
from tests.conftest import MONDAY_BEFORE_DECEMBER, make_campaign, make_draft

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_clock")]

UTC = dt.UTC
START, END = dt.datetime(2026, 12, 1, tzinfo=UTC), dt.datetime(2026, 12, 5, tzinfo=UTC)


def over_capacity(pool):
    """Two campaigns of the 20-agent pool, 15 agents each, 09:00–17:00 Chicago (15:00–23:00 UTC) on weekdays:
    over capacity every day."""
    first = make_campaign("C-1", pool=pool, agents_required=15, contact_list_id="L-1")
    second = make_campaign("C-2", pool=pool, agents_required=15, contact_list_id="L-2")
    return first, second


def paused(campaigns, planner, supervisor, start, end, status=TimedPause.Status.APPROVED):
    row = TimedPause.objects.create(starts_at=start, ends_at=end, reason="Team training", requested_by=planner,
                                    status=status, reviewed_by=supervisor)  # fmt: skip
    row.campaigns.set(campaigns)
    return row


def conflict_days(conflicts):
    return sorted({f"{c.start:%d}" for c in conflicts})


def test_an_approved_pause_takes_its_days_conflicts_out_but_the_timeline_still_draws_its_windows(
    pool, planner, supervisor
):
    first, _ = over_capacity(pool)
    assert conflict_days(dashboards.mirror(START, END).conflicts) == ["01", "02", "03", "04"]

    paused([first], planner, supervisor, dt.datetime(2026, 12, 2, tzinfo=UTC), dt.datetime(2026, 12, 3, tzinfo=UTC))
    data = dashboards.mirror(START, END)

    assert conflict_days(data.conflicts) == ["01", "03", "04"]
    assert len(data.windows["C-1"]) == 4 and len(data.dialling["C-1"]) == 3


def test_a_pause_cutting_into_a_window_leaves_the_conflict_only_where_both_dial(pool, planner, supervisor):
    first, _ = over_capacity(pool)
    tuesday_afternoon = dt.datetime(2026, 12, 1, 15, tzinfo=UTC), dt.datetime(2026, 12, 1, 19, tzinfo=UTC)
    paused([first], planner, supervisor, *tuesday_afternoon)

    tuesday = [c for c in dashboards.mirror(START, END).conflicts if c.start.day == 1]

    assert [(f"{c.start:%H:%M}", f"{c.end:%H:%M}") for c in tuesday] == [("19:00", "23:00")]


def test_a_pause_awaiting_approval_holds_nothing(pool, planner, supervisor):
    first, _ = over_capacity(pool)
    asked = dt.datetime(2026, 12, 2, tzinfo=UTC), dt.datetime(2026, 12, 3, tzinfo=UTC)
    paused([first], planner, None, *asked, status=TimedPause.Status.SUBMITTED)

    assert conflict_days(dashboards.mirror(START, END).conflicts) == ["01", "02", "03", "04"]


def test_capacity_counts_only_the_agents_of_the_campaigns_that_dial(pool, planner, supervisor):
    first, _ = over_capacity(pool)
    paused([first], planner, supervisor, dt.datetime(2026, 12, 2, tzinfo=UTC), dt.datetime(2026, 12, 3, tzinfo=UTC))
    [demand] = dashboards.pool_demands(START, END)

    per_day = {}
    for step, agents in enumerate(demand.peaks):
        day = (START + dt.timedelta(minutes=15 * step)).day
        per_day[day] = max(per_day.get(day, 0), agents)

    assert per_day == {1: 30, 2: 15, 3: 30, 4: 30}


def test_the_paused_spans_are_the_approved_pauses_by_campaign_and_approving_one_moves_the_fingerprint(
    pool, planner, supervisor
):
    first, second = over_capacity(pool)
    before = pausing.fingerprint()
    asked = paused([first, second], planner, None, START, START + dt.timedelta(hours=6),
                   status=TimedPause.Status.SUBMITTED)  # fmt: skip
    assert pausing.paused_spans(START, END) == {} and pausing.fingerprint() == before

    TimedPause.objects.filter(pk=asked.pk).update(status=TimedPause.Status.APPROVED, reviewed_by=supervisor)

    span = (int(START.timestamp()), int(START.timestamp()) + 6 * 3600)
    assert pausing.paused_spans(START, END) == {"C-1": [span], "C-2": [span]}
    assert pausing.paused_spans(END, END + dt.timedelta(days=1)) == {}  # it does not touch that range
    assert pausing.fingerprint() != before
    assert kept_reviews.holds_key()[1] == pausing.fingerprint()


def moved_onto_the_firsts_hours(pool, planner):
    """The second campaign, apart from the first now; its draft moves it onto the first's hours."""
    first, second = over_capacity(pool)
    second.cron_expression = "0 20 * * 1-5"
    second.save()
    conflict_index.forget()
    draft = make_draft(second, planner, cron_expression="0 9 * * 1-5", duration_minutes=480, agents_required=15)
    return first, second, draft


def test_the_editors_what_if_adds_no_conflict_while_the_other_campaign_is_paused(pool, planner, supervisor):
    first, _, draft = moved_onto_the_firsts_hours(pool, planner)
    assert draft_checks.evaluate_draft(draft).conflicts_added  # over capacity every weekday

    whole_horizon = START - dt.timedelta(days=30), START + dt.timedelta(days=400)
    paused([first], planner, supervisor, *whole_horizon)

    assert draft_checks.evaluate_draft(draft).conflicts_added == []


def test_the_queues_kept_review_is_made_again_once_a_pause_is_approved(pool, planner, supervisor):
    first, _, draft = moved_onto_the_firsts_hours(pool, planner)
    now = MONDAY_BEFORE_DECEMBER
    index_key, index = conflict_index.current_with_key(now)
    nothing_attached = blackout_days.CalendarsRead({}, attached=False)

    def conflicts_added() -> list:
        [review] = kept_reviews.reviews(
            [draft], index=index, index_key=index_key, calendars=nothing_attached, now=now
        ).values()
        return review["proposed"].conflicts_added

    assert conflicts_added()
    paused([first], planner, supervisor, START - dt.timedelta(days=30), START + dt.timedelta(days=400))

    assert conflicts_added() == []


def test_the_drafts_own_campaigns_pause_holds_the_draft_too(pool, planner, supervisor):
    _, second, draft = moved_onto_the_firsts_hours(pool, planner)
    whole_horizon = START - dt.timedelta(days=30), START + dt.timedelta(days=400)
    paused([second], planner, supervisor, *whole_horizon)

    assert draft_checks.evaluate_draft(draft).conflicts_added == []


def test_the_editors_timeline_draws_no_overload_while_the_other_campaign_is_paused(pool, planner, supervisor):
    first, second, draft = moved_onto_the_firsts_hours(pool, planner)
    values = {"cron_expression": "0 9 * * 1-5", "timezone": "America/Chicago", "duration_minutes": 480,
              "effective_start": draft.effective_start, "effective_end": draft.effective_end,
              "agents_required": 15}  # fmt: skip

    def overloads() -> int:
        figure = draft_timeline.timeline_for_values(second, values).page_figure
        return sum(len(t["base"]) for t in figure["data"] if t["name"] == "Overload with the draft")

    assert overloads() == 4  # Tue 1 – Fri 4 Dec, from today's Chicago midnight
    paused([first], planner, supervisor, dt.datetime(2026, 12, 2, tzinfo=UTC), dt.datetime(2026, 12, 3, tzinfo=UTC))

    assert overloads() == 3
