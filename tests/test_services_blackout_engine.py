"""The engine sees blackout days: the next windows skip them, compliance and conflicts never count their
windows, and the timeline and capacity charts draw none."""

from __future__ import annotations

import datetime as dt

import pytest

from campaigns.models import BlackoutCalendar
from campaigns.services.blackouts import editing
from campaigns.services.drafts.checks import conflict_index, draft_checks
from campaigns.services.reports import dashboards
from tests.conftest import attach_approved, make_campaign, make_draft

pytestmark = pytest.mark.django_db

PENNSYLVANIA = [{"state": "PA", "timezones": ["America/New_York"], "count": 40}]


def closed_on(supervisor, other_supervisor, text, *, campaigns=(), name="Closures"):
    revision = editing.create_calendar(supervisor, name, "", text)
    # Its days and where it applies, in one revision: one review takes both.
    editing.propose_attachments(
        revision.calendar_id, supervisor, campaigns=[c.pk for c in campaigns], pools=[]
    )
    editing.submit(revision.pk, supervisor)
    editing.approve(revision.pk, other_supervisor)
    return revision.calendar


def test_the_next_windows_show_a_blacked_out_day_as_skipped(frozen_clock, supervisor, other_supervisor, pool):
    campaign = make_campaign(pool=pool)
    closed_on(supervisor, other_supervisor, "2026-12-03: Inventory", campaigns=[campaign])

    report = draft_checks.evaluate_campaign(campaign, conflicts=False)

    shown = [(f"{w['local_start']:%a %d %b}", w["blackout"]) for w in report.windows]
    assert shown[:4] == [
        ("Tue 01 Dec", ""),
        ("Wed 02 Dec", ""),
        ("Thu 03 Dec", "Inventory"),
        ("Fri 04 Dec", ""),
    ]
    # Weekdays from Tuesday 1 to Friday 11 December, less the Thursday: 9 windows will dial, not 10.
    assert report.window_count == 9


def test_the_campaign_lists_next_window_is_the_one_after_a_blackout(
    frozen_clock, supervisor, other_supervisor, pool
):
    campaign = make_campaign(pool=pool)
    closed_on(supervisor, other_supervisor, "2026-12-01: Move", campaigns=[campaign])
    first = draft_checks.next_window(campaign)
    assert f"{first['local_start']:%a %d %b %H:%M}" == "Wed 02 Dec 09:00"


def test_a_window_on_a_pennsylvania_holiday_is_a_finding_until_the_ready_calendar_removes_it(
    frozen_clock, supervisor, other_supervisor, pool
):
    # Only Thanksgiving 2027 (25 November) opens a window: Pennsylvania bans calls on its legal holidays.
    campaign = make_campaign(
        pool=pool,
        timezone="America/New_York",
        cron_expression="0 10 25 11 *",
        duration_minutes=120,
        effective_end=dt.datetime(2028, 1, 1, tzinfo=dt.UTC),
        contact_list_breakdown=PENNSYLVANIA,
    )
    before = draft_checks.evaluate_campaign(campaign, conflicts=False)
    assert [f.rule for f in before.compliance] == ["us-pa"]

    ready = BlackoutCalendar.objects.get(ready_rule="us-pa")
    attach_approved(ready.pk, supervisor, other_supervisor, campaigns=[campaign])
    after = draft_checks.evaluate_campaign(campaign, conflicts=False)
    assert after.compliance == [] and after.checked_windows == 0


def over_capacity(pool):
    """Two campaigns of the 20-agent pool, 15 agents each, on the same weekday hours: over capacity every day."""
    first = make_campaign("C-1", pool=pool, agents_required=15, contact_list_id="L-1")
    second = make_campaign("C-2", pool=pool, agents_required=15, contact_list_id="L-2")
    return first, second


def conflict_days(conflicts):
    return sorted({f"{c.start:%d}" for c in conflicts})


def test_the_timeline_and_capacity_draw_no_window_and_no_overload_on_a_blackout_day(
    frozen_clock, supervisor, other_supervisor, pool
):
    first, second = over_capacity(pool)
    start, end = dt.datetime(2026, 12, 1, tzinfo=dt.UTC), dt.datetime(2026, 12, 5, tzinfo=dt.UTC)
    assert conflict_days(dashboards.mirror(start, end).conflicts) == ["01", "02", "03", "04"]

    closed_on(supervisor, other_supervisor, "2026-12-02: Inventory", campaigns=[first])
    data = dashboards.mirror(start, end)

    assert conflict_days(data.conflicts) == ["01", "03", "04"]
    assert len(data.windows["C-1"]) == 3 and len(data.windows["C-2"]) == 4


def test_the_editors_what_if_counts_no_conflict_on_the_campaigns_blackout_days(
    frozen_clock, supervisor, other_supervisor, planner, pool
):
    first, second = over_capacity(pool)
    second.cron_expression = "0 20 * * 1-5"  # apart from the first: no conflict now
    second.save()
    conflict_index.forget()
    # The second campaign's draft moves it onto the first's hours, every weekday but its blackout days.
    closed_on(supervisor, other_supervisor, "2026-12-01 to 2026-12-31: Winter closure", campaigns=[second])
    draft = make_draft(
        second, planner, cron_expression="0 9 * * 1-5", duration_minutes=480, agents_required=15
    )

    report = draft_checks.evaluate_draft(draft)

    assert report.conflicts_added == [] and report.window_count == 0
