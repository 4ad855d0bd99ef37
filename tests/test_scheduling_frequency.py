"""Retry-policy findings for the frequency limits (FL, OK, MD: 3 per 24 h; Regulation F: 7 in 7 days)."""

from datetime import date

import pytest

from campaigns.scheduling import retry_policy_findings
from campaigns.scheduling.frequency import calls_within

TODAY = date(2026, 6, 1)


@pytest.mark.parametrize(
    ("attempts", "interval_ms", "hours", "calls"),
    [
        (3, 60_000, 24, 3),
        (10, 60_000, 24, 10),
        (10, 8 * 3_600_000, 24, 3),
        (10, 7 * 3_600_000, 24, 4),
        (10, 24 * 3_600_000, 168, 7),
        (10, 20 * 3_600_000, 168, 9),
    ],
)
def test_it_counts_the_most_calls_that_fit_inside_a_period(attempts, interval_ms, hours, calls):
    assert calls_within(attempts, interval_ms, hours) == calls


@pytest.mark.parametrize("state", ["US-FL", "US-OK", "US-MD"])
def test_four_attempts_a_day_break_the_three_call_state_limits(state):
    [finding] = retry_policy_findings(4, 60_000, jurisdictions=[state], debt_collection=False, as_of=TODAY)
    assert finding.jurisdiction == state
    assert (finding.calls, finding.max_calls, finding.period_hours) == (4, 3, 24)
    assert "within 24 hours, more than 3" in finding.message


def test_three_attempts_a_day_are_within_the_state_limits():
    assert retry_policy_findings(3, 60_000, jurisdictions=["US-FL"], debt_collection=False, as_of=TODAY) == []


def test_attempts_spread_beyond_a_day_stay_within_the_state_limits():
    assert (
        retry_policy_findings(6, 9 * 3_600_000, jurisdictions=["US-FL"], debt_collection=False, as_of=TODAY)
        == []
    )


def test_state_limits_do_not_apply_elsewhere():
    assert (
        retry_policy_findings(10, 60_000, jurisdictions=["US-TX"], debt_collection=False, as_of=TODAY) == []
    )


def test_a_state_limit_applies_only_from_its_effective_date():
    before = retry_policy_findings(
        5, 60_000, jurisdictions=["US-MD"], debt_collection=False, as_of=date(2023, 12, 31)
    )
    after = retry_policy_findings(
        5, 60_000, jurisdictions=["US-MD"], debt_collection=False, as_of=date(2024, 1, 1)
    )
    assert before == [] and [f.rule for f in after] == ["us-md-frequency"]


def test_regulation_f_is_an_error_for_debt_collection():
    [finding] = retry_policy_findings(8, 60_000, debt_collection=True, as_of=TODAY)
    assert (finding.rule, finding.severity, finding.calls, finding.max_calls) == ("us-reg-f", "error", 8, 7)


def test_regulation_f_is_a_warning_when_the_campaign_purpose_is_unknown():
    [finding] = retry_policy_findings(8, 60_000, as_of=TODAY)
    assert finding.severity == "warning"
    assert "applies if this campaign collects consumer debts" in finding.message


def test_regulation_f_does_not_apply_to_other_campaigns_or_to_canada():
    assert retry_policy_findings(8, 60_000, debt_collection=False, as_of=TODAY) == []
    assert retry_policy_findings(8, 60_000, jurisdictions=["CA-ON"], debt_collection=True, as_of=TODAY) == []


def test_a_breakdown_brings_its_states_and_their_contacts():
    breakdown = [{"state": "FL", "count": 310}, {"state": "OK", "count": 20}, {"state": "TX", "count": 99}]
    findings = retry_policy_findings(8, 60_000, breakdown=breakdown, debt_collection=True, as_of=TODAY)
    assert {(f.rule, f.contacts_affected) for f in findings} == {
        ("us-fl-frequency", 310),
        ("us-ok-frequency", 20),
        ("us-reg-f", 429),
    }


def test_a_limit_taking_effect_inside_the_effective_period_counts_and_says_from_when():
    # Maryland's limit starts on 2024-01-01: a schedule checked from December 2023 into 2024 already breaks it.
    [finding] = retry_policy_findings(
        5,
        60_000,
        jurisdictions=["US-MD"],
        debt_collection=False,
        as_of=date(2023, 12, 1),
        until=date(2024, 3, 1),
    )
    assert finding.rule == "us-md-frequency"
    assert "(in effect from 2024-01-01)" in finding.message
    assert (
        retry_policy_findings(
            5,
            60_000,
            jurisdictions=["US-MD"],
            debt_collection=False,
            as_of=date(2023, 12, 1),
            until=date(2023, 12, 31),
        )
        == []
    )
