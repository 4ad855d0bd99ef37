"""draft_checks: the findings of a schedule cover its whole effective period; the next windows stay short."""

from __future__ import annotations

import datetime as dt

import pytest

from campaigns.services import schedule_values
from campaigns.services.drafts.checks import draft_checks
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
