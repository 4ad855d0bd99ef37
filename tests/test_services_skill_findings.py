"""Under the Admin backend the editor's report says what a Personal Connection skill cannot hold; under the v2
contract it says nothing of the kind; the engine's other findings are the same either way."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from campaigns.services import schedule_values
from campaigns.services.drafts.checks import draft_checks, skill_findings
from tests.conftest import MONDAY_BEFORE_DECEMBER, make_campaign

pytestmark = pytest.mark.django_db


def evaluate(campaign, **changes):
    values = {**schedule_values.campaign_values(campaign), **changes}
    return draft_checks.evaluate_values(campaign, values, conflicts=False)


@pytest.fixture
def days_off_held(settings):
    """A tenant that takes a week with days off (CXONE_ADMIN_REQUIRE_ALL_DAYS off)."""
    settings.CXONE_ADMIN_REQUIRE_ALL_DAYS = False


def test_two_windows_a_day_block_under_the_admin_backend_and_the_nearest_schedule_is_proposed(
    frozen_clock, settings, days_off_held
):
    settings.CXONE_API = "admin"
    campaign = make_campaign("C-1001")
    report = evaluate(campaign, cron_expression="0 9,14 * * 1-5", duration_minutes=180)

    (finding,) = [f for f in report.skill if f.blocking]
    assert "2 windows a day" in finding.message and "Weekdays 09:00–17:00" in finding.message
    assert dict(finding.proposal.values) == {"cron_expression": "0 9 * * 1-5", "duration_minutes": 480}
    assert finding.message in report.blocking
    [stored] = [f for f in report.as_json()["findings"] if f["kind"] == "skill" and f["severity"] == "blocking"]
    assert stored["rule"] == "cxone.personal_connection"


def test_a_schedule_a_skill_holds_blocks_nothing_and_the_open_end_is_only_a_warning(
    frozen_clock, settings, days_off_held
):
    settings.CXONE_API = "admin"
    report = evaluate(make_campaign("C-1001"))
    # Its effective start (tomorrow) and end: a skill has neither, and says so.
    assert [f.severity for f in report.skill] == ["warning", "warning"]
    assert not any("skill" in message for message in report.blocking)


def test_a_week_with_days_off_is_held_by_the_product_where_the_tenant_refuses_one_and_says_so_plainly(
    frozen_clock, settings
):
    settings.CXONE_API = "admin"  # CXONE_ADMIN_REQUIRE_ALL_DAYS is on by default, as the live report says
    report = evaluate(make_campaign("C-1001"))  # Mon–Fri 09:00–17:00
    assert not [f for f in report.findings if f.rule == skill_findings.RULE and f.blocking]
    (note,) = [f for f in report.findings if f.rule == skill_findings.HELD_RULE]
    assert note.severity == "warning" and not note.blocking
    assert "the product now holds this week (Weekdays 09:00–17:00)" in note.message
    assert "CXone is given Every day 09:00–17:00" in note.message
    assert "workers stop the skill" in note.message

    every_day = evaluate(make_campaign("C-1002"), cron_expression="0 9 * * *")
    assert not [f for f in every_day.findings if f.rule == skill_findings.HELD_RULE]


def test_a_cadence_window_that_differs_from_the_planned_one_is_a_warning(frozen_clock, settings, days_off_held):
    settings.CXONE_API = "admin"
    windows = [{"cadence": "Mobile numbers", "dayType": "Weekday", "startTime": "10:00", "endTime": "20:00"},
               {"cadence": "Landlines", "dayType": "Saturday", "startTime": "10:00", "endTime": "12:00"},
               {"cadence": "Same", "dayType": "Weekdays", "startTime": "09:00", "endTime": "17:00"}]  # fmt: skip
    report = evaluate(make_campaign("C-1001", time_constraints=windows))  # Mon–Fri 09:00–17:00
    (cadence,) = [f for f in report.findings if f.rule == skill_findings.CADENCE_RULE]  # not Saturday, not "Same"
    assert cadence.severity == "warning"
    assert "Mobile numbers" in cadence.message and "narrows the window for those numbers (nothing " \
        "09:00–10:00)" in cadence.message and "widens it (17:00–20:00)" in cadence.message  # fmt: skip
    assert not report.blocking


def test_a_cadence_window_that_dials_past_a_states_close_blocks_though_the_schedule_is_legal(
    frozen_clock, settings, days_off_held
):
    settings.CXONE_API = "admin"
    florida = [{"state": "FL", "timezones": ["America/New_York"], "count": 310}]
    windows = [{"cadence": "Mobile numbers", "dayType": "Weekday", "startTime": "10:00", "endTime": "20:00"}]
    # Mon–Fri 09:00–17:00 Chicago is 10:00–18:00 for Florida; the cadence's 20:00 is 21:00 there, past its 20:00.
    report = evaluate(make_campaign("C-1001", time_constraints=windows, contact_list_breakdown=florida))

    assert not [f for f in report.compliance if f.blocking]
    (breach,) = [f for f in report.skill if f.rule == "cxone.cadence_hours"]
    assert breach.blocking and breach.message in report.blocking
    assert "Cadence “Mobile numbers” dials its numbers 10:00–20:00 on " in breach.message
    assert "breaks us-fl" in breach.message


@pytest.mark.parametrize(
    "policy, said",
    [
        ({"retry_interval_ms": 90_000}, "minimumRetryMinutes counts whole minutes; 90000 ms is not"),
        ({"retry_max_attempts": 500}, "maximumAttempts must be 1–300, not 500"),
    ],
)
def test_a_retry_policy_the_skill_cannot_hold_blocks_before_the_push_would_refuse_it(
    frozen_clock, settings, days_off_held, policy, said
):
    settings.CXONE_API = "admin"
    report = evaluate(make_campaign("C-1001"), **policy)
    (finding,) = [f for f in report.skill if f.rule == skill_findings.RETRY_RULE]
    assert finding.blocking and said in finding.message and finding.message in report.blocking


def test_another_zone_than_the_skills_is_blocking(frozen_clock, settings):
    settings.CXONE_API = "admin"
    report = evaluate(make_campaign("C-1001"), timezone="America/New_York")
    assert any("times are in America/Chicago" in message for message in report.blocking)


def test_the_v2_backend_has_no_skill_findings_and_the_engines_findings_do_not_change(frozen_clock, settings):
    # A period a skill's week dials too (begun, no end): the engine judges the same windows under both.
    campaign = make_campaign("C-1001", effective_start=dt.datetime(2026, 11, 1, tzinfo=dt.UTC), effective_end=None)
    settings.CXONE_API = "outbound-v2"
    v2 = evaluate(campaign, cron_expression="0 9,14 * * 1-5", duration_minutes=180)
    settings.CXONE_API = "admin"
    admin = evaluate(campaign, cron_expression="0 9,14 * * 1-5", duration_minutes=180)

    assert v2.skill == [] and admin.skill
    for kind in ("compliance", "dnc", "retry", "dst", "windows"):
        assert getattr(v2, kind) == getattr(admin, kind)


def test_the_editor_shows_the_finding_and_refuses_submission_under_the_admin_backend(
    as_planner, planner, settings
):
    from tests.conftest import make_draft
    from tests.draft_view_support import text, validate

    settings.CXONE_API = "admin"
    settings.CXONE_ADMIN_REQUIRE_ALL_DAYS = False
    draft = make_draft(make_campaign("C-1001"), planner)

    page = text(validate(as_planner, draft, cron_expression="0 9,14 * * 1-5", duration_minutes="180"))
    assert "Personal Connection skill" in page and "Weekdays 09:00–17:00" in page
    assert "Cannot be submitted yet" in page

    settings.CXONE_API = "outbound-v2"
    page = text(validate(as_planner, draft, cron_expression="0 9,14 * * 1-5", duration_minutes="180"))
    assert "Personal Connection skill" not in page


def test_the_editor_shows_the_retry_fields_in_cxones_terms_under_the_admin_backend(as_planner, planner, settings):
    from tests.conftest import make_draft
    from tests.draft_view_support import form_data, text

    settings.CXONE_API = "admin"
    draft = make_draft(make_campaign("C-1001", cron_expression="0 9 * * *"), planner)
    page = text(as_planner.get(reverse("draft-editor", args=[draft.pk])))
    for name in ("maximumAttempts", "minimumRetryMinutes", "restrictedCallingMinutes", "restrictedCallingMaxAttempts"):
        assert name in page
    assert "Retry on busy" not in page

    data = form_data(draft, retry_interval_minutes="30", retry_restricted_minutes="1440",
                     retry_restricted_max_attempts="3")  # fmt: skip
    as_planner.post(reverse("draft-editor", args=[draft.pk]), {**data, "action": "save"})
    draft.refresh_from_db()
    assert (draft.retry_interval_ms, draft.retry_restricted_minutes, draft.retry_restricted_max_attempts) == (
        1_800_000, 1440, 3)  # fmt: skip
    assert draft.retry().admin_retry_settings()["restrictedCallingMaxAttempts"] == 3

    settings.CXONE_API = "outbound-v2"
    page = text(as_planner.get(reverse("draft-editor", args=[draft.pk])))
    assert "Retry on busy" in page and "restrictedCallingMinutes" not in page


PENNSYLVANIA = [{"state": "PA", "timezones": ["America/New_York"], "count": 40}]
# Mon 28 – Thu 31 December 2026: no Pennsylvania legal holiday falls in it (Christmas is the Friday before, New
# Year's Day the Friday after).
BETWEEN_THE_HOLIDAYS = {
    "effective_start": dt.datetime(2026, 12, 28, 5, tzinfo=dt.UTC),
    "effective_end": dt.datetime(2027, 1, 1, 5, tzinfo=dt.UTC),
}


def pennsylvania_weekdays():
    return make_campaign("C-1001", timezone="America/New_York", contact_list_breakdown=PENNSYLVANIA)


def test_under_v2_a_draft_is_judged_over_the_period_it_names(frozen_clock):
    report = evaluate(pennsylvania_weekdays(), **BETWEEN_THE_HOLIDAYS)
    assert report.checked_from == BETWEEN_THE_HOLIDAYS["effective_start"]
    assert not [f for f in report.compliance if f.rule == "us-pa"]


def test_under_the_admin_backend_a_draft_is_judged_from_now_with_no_end_as_a_skills_week_dials(
    frozen_clock, settings, days_off_held
):
    settings.CXONE_API = "admin"
    report = evaluate(pennsylvania_weekdays(), **BETWEEN_THE_HOLIDAYS)

    # The skill dials its week from the push: Christmas (Friday 25 December) is one of its days, and PA bans it.
    assert report.checked_from == MONDAY_BEFORE_DECEMBER
    assert report.checked_until > dt.datetime(2027, 6, 1, tzinfo=dt.UTC)
    [holiday] = [f for f in report.compliance if f.rule == "us-pa"]
    assert holiday.blocking and holiday.message in report.blocking
    said = [f.message for f in report.skill if not f.blocking]
    assert any("dials it from the moment it is pushed, not from 2026-12-28" in m for m in said)
    assert any("checked as dialling on with no end" in m for m in said)
