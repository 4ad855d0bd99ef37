"""draft_checks: the findings of a schedule cover its whole effective period; the next windows stay short."""

from __future__ import annotations

import datetime as dt

import pytest

from campaigns import scheduling
from campaigns.services import schedule_values
from campaigns.services.drafts import workflow
from campaigns.services.drafts.checks import draft_checks
from campaigns.services.drafts.guards import BlockingFindings
from tests.conftest import make_campaign, make_draft

pytestmark = pytest.mark.django_db

PHOENIX = [{"state": "AZ", "timezones": ["America/Phoenix"], "count": 232}]


def c_1002(**fields):
    """The demo's C-1002: New York, 10:00 for 5 h, effective until 2027-03-29, contacts in Phoenix."""
    values = {
        "name": "Reminders East 1002",
        "timezone": "America/New_York",
        "cron_expression": "0 10 * * 1-5",
        "duration_minutes": 300,
        "effective_start": dt.datetime(2026, 12, 1, 5, tzinfo=dt.UTC),  # local midnight in New York
        "effective_end": dt.datetime(2027, 3, 29, 4, tzinfo=dt.UTC),
        "contact_list_breakdown": PHOENIX,
    }
    return make_campaign("C-1002", **{**values, **fields})


def test_a_schedule_legal_all_winter_is_flagged_for_the_weeks_after_new_york_moves_to_dst(frozen_clock):
    report = draft_checks.evaluate_campaign(c_1002(), conflicts=False)

    [finding] = report.compliance
    assert (finding.rule, finding.window.contact_zone) == ("us-federal", "America/Phoenix")
    # 10:00 EDT is 07:00 in Phoenix (no DST there): every weekday from Monday 15 March to the end of the period.
    assert finding.window.local_start == dt.datetime(2027, 3, 15, 14, tzinfo=dt.UTC)
    assert f"{finding.window.local_start:%H:%M %Z}" == "07:00 MST"
    assert finding.windows_affected == 10
    assert finding.contacts_affected == 232
    assert "07:00–12:00 MST in America/Phoenix" in finding.message
    assert "10 of 84 windows affected from 2027-03-15, 232 contacts" in finding.message
    assert report.blocking == [finding.message]


def test_the_next_windows_stay_two_weeks_while_the_findings_cover_the_whole_period(frozen_clock):
    report = draft_checks.evaluate_campaign(c_1002(), conflicts=False)

    assert report.horizon_end - report.horizon_start == dt.timedelta(days=14)
    assert report.window_count == 10 and len(report.windows) == draft_checks.PREVIEW_WINDOWS
    assert report.checked_until == dt.datetime(2027, 3, 29, 4, tzinfo=dt.UTC)
    assert report.checked_windows == 84 and not report.period_cut_short


def test_the_findings_start_today_when_the_period_started_earlier(frozen_clock):
    frozen_clock.shift(dt.timedelta(days=100))  # 10 March 2027: the DST weeks are still ahead
    report = draft_checks.evaluate_campaign(c_1002(), conflicts=False)
    assert report.checked_from == dt.datetime(2027, 3, 10, 12, tzinfo=dt.UTC)
    [finding] = report.compliance
    assert "10 of 13 windows affected from 2027-03-15" in finding.message


def test_an_open_ended_schedule_is_checked_for_the_next_400_days(frozen_clock):
    report = draft_checks.evaluate_campaign(c_1002(effective_end=None), conflicts=False)
    assert report.checked_until - report.checked_from == dt.timedelta(days=draft_checks.OPEN_ENDED_DAYS)
    [finding] = report.compliance
    # Every summer weekday of New York's DST (about 34 weeks) is too early in Phoenix.
    assert finding.windows_affected > 150


def test_a_very_long_period_is_checked_for_its_first_three_years_and_says_so(frozen_clock):
    long_one = c_1002(effective_end=dt.datetime(2099, 12, 31, 5, tzinfo=dt.UTC))
    report = draft_checks.evaluate_campaign(long_one, conflicts=False)
    assert report.period_cut_short
    assert report.checked_until - report.checked_from == dt.timedelta(days=draft_checks.MAX_CHECKED_DAYS)
    assert report.as_json()["period_cut_short"] is True


def test_a_dst_trap_months_ahead_is_found(frozen_clock):
    campaign = make_campaign("C-DST", cron_expression="30 2 * * *", duration_minutes=60)
    report = draft_checks.evaluate_campaign(campaign, conflicts=False)
    assert report.dst == []  # Chicago's clocks change on 14 March, after this campaign's period
    longer = make_campaign(
        "C-DST2", cron_expression="30 2 * * *", duration_minutes=60,
        effective_end=dt.datetime(2027, 4, 1, 5, tzinfo=dt.UTC),
    )  # fmt: skip
    [gap] = [d for d in draft_checks.evaluate_campaign(longer, conflicts=False).dst if d.rule == "dst-gap"]
    assert gap.window_start.date() == dt.date(2027, 3, 14)
    assert "02:30 does not exist on 2027-03-14" in gap.message
    assert gap.severity == "warning"  # a note about the clocks, never a breach


def test_evaluate_draft_checks_the_draft_as_saved(frozen_clock, planner):
    campaign = make_campaign("C-1001")
    draft = make_draft(campaign, planner, cron_expression="0 6 * * 1-5")
    report = draft_checks.evaluate_draft(draft)
    assert report.blocking and "06:00" in report.blocking[0]
    assert report.as_json()["blocking"] == report.blocking


def test_the_checks_work_on_values_not_on_a_form(frozen_clock):
    campaign = make_campaign("C-1001")
    values = schedule_values.campaign_values(campaign)
    assert draft_checks.evaluate_values(campaign, values, conflicts=False).valid
    broken = draft_checks.evaluate_values(
        campaign, {**values, "cron_expression": "0 25 * * *"}, conflicts=False
    )
    assert broken.field_errors == {"cron_expression": ["hour: 25 is outside 0-23"]}
    assert broken.blocking == ["cron_expression: hour: 25 is outside 0-23"]


def test_missing_values_are_field_errors_not_exceptions(frozen_clock):
    campaign = make_campaign("C-1001")
    report = draft_checks.evaluate_values(campaign, {}, conflicts=False)
    assert set(report.field_errors) == {"cron_expression", "timezone", "duration_minutes"}


# ---- the time budget: a part cut short is a blocking "not checked", never "no finding" --------------------


class StepClock:
    """A clock that moves one second each time it is read: a deadline of N seconds lets N looks pass."""

    def __init__(self):
        self.now = 0.0

    def __call__(self) -> float:
        self.now += 1
        return self.now


def test_a_check_out_of_time_says_each_part_it_did_not_check_and_blocks(frozen_clock):
    report = draft_checks.evaluate_campaign(c_1002(), deadline=scheduling.Deadline(0))

    assert report.cut_short == ["DST", "calling hours", "retry policy"]  # (no pool: no conflicts to check)
    assert [reason.split(";")[0] for reason in report.blocking] == [
        "not checked: DST cut short after 0 s",
        "not checked: calling hours cut short after 0 s",
        "not checked: retry policy cut short after 0 s",
    ]
    # The calling-hours card shows the part as not checked, not "every window is inside the calling hours".
    [calling_hours] = report.compliance
    assert calling_hours.rule == "not-checked" and calling_hours.blocking
    assert {finding.kind for finding in report.blocking_findings} == {"calling_hours", "frequency", "unchecked"}
    assert report.as_json()["cut_short"] == report.cut_short


def test_a_budget_that_runs_out_inside_the_calling_hours_keeps_the_parts_before_it(frozen_clock):
    clock = StepClock()
    deadline = scheduling.Deadline(3, clock=clock)  # created at 1: DST looks at 2 and 3, calling hours at 4
    report = draft_checks.evaluate_campaign(c_1002(), conflicts=False, deadline=deadline)

    assert report.cut_short == ["calling hours", "retry policy"]
    assert not report.of_kind("unchecked")  # DST was checked in full
    assert [finding.rule for finding in report.compliance] == ["not-checked"]


def test_a_generous_budget_cuts_nothing_short(frozen_clock):
    report = draft_checks.evaluate_campaign(c_1002(), conflicts=False, deadline=scheduling.Deadline(None))
    assert report.cut_short == []
    assert [finding.rule for finding in report.compliance] == ["us-federal"]


def test_a_draft_checked_out_of_time_cannot_be_submitted(frozen_clock, planner, monkeypatch):
    draft = make_draft(c_1002(contact_list_breakdown=[]), planner)  # legal in New York: only the budget refuses it
    monkeypatch.setattr(draft_checks, "BUDGET_SECONDS", 0)
    with pytest.raises(BlockingFindings, match="not checked: calling hours cut short after 0 s"):
        workflow.submit(draft.pk, planner, lock_version=draft.lock_version)


def test_every_minute_to_2100_is_checked_in_full_for_its_first_three_years(frozen_clock):
    values = {
        "cron_expression": "* * * * *",
        "timezone": "America/New_York",
        "duration_minutes": 1,
        "effective_start": None,
        "effective_end": dt.datetime(2100, 1, 1, 5, tzinfo=dt.UTC),
    }
    report = draft_checks.evaluate_values(c_1002(), values, conflicts=False, deadline=scheduling.Deadline(None))

    assert report.cut_short == [] and report.period_cut_short
    assert report.checked_windows > 1_500_000
    [federal] = report.compliance
    # Every minute calls Phoenix before 08:00 and after 21:00 there: the first such window is the first one out.
    assert federal.rule == "us-federal" and federal.contacts_affected == 232
    assert not dt.time(8) <= federal.window.local_start.time() < dt.time(21)
    assert 0 < federal.windows_affected < report.checked_windows
    assert len(report.windows) == draft_checks.PREVIEW_WINDOWS and report.window_count >= 14 * 1440 - 60


def test_a_contact_list_without_a_breakdown_is_an_error_never_a_pass(frozen_clock):
    # 10:00–15:00 New York is legal wherever the contacts are; not knowing where they are blocks it.
    report = draft_checks.evaluate_campaign(c_1002(contact_list_breakdown=[]), conflicts=False)

    [unknown] = [f for f in report.compliance if f.rule == "contact-location-unknown"]
    assert unknown.blocking and unknown.message in report.blocking
    assert "The contact list Renewals Q4 has no breakdown by state and zone" in unknown.message


def test_a_campaign_without_a_contact_list_has_no_contacts_to_locate(frozen_clock):
    report = draft_checks.evaluate_campaign(
        c_1002(contact_list_id="", contact_list_breakdown=[]), conflicts=False
    )
    assert not [f for f in report.compliance if f.rule == "contact-location-unknown"]
    skill_without_lists = make_campaign("C-1003", contact_list_id="skill-zones-1003", contact_list_breakdown=[])
    report = draft_checks.evaluate_campaign(skill_without_lists, conflicts=False)
    assert not [f for f in report.compliance if f.rule == "contact-location-unknown"]
