"""Frequency findings of a retry policy as each CXone backend dials it: FL, OK, MD allow at most 3 telemarketing
calls in 24 hours; Regulation F presumes more than 7 debt-collection calls within 7 days harassment."""

from datetime import date

import pytest

from campaigns.scheduling import ADMIN, OUTBOUND_V2, RetryPolicy, retry_policy_findings
from campaigns.scheduling.frequency import parse_purpose

TODAY = date(2026, 6, 1)
MINUTE, HOUR = 60_000, 3_600_000
APIS = [OUTBOUND_V2, ADMIN]


def florida(policy, api, **kw):
    return retry_policy_findings(policy, api=api, jurisdictions=["US-FL"], as_of=TODAY, **kw)


def debt(policy, api, **kw):
    return retry_policy_findings(policy, api=api, purpose="debt_collection", as_of=TODAY, **kw)


# ---- Florida, at, below and above the limit, under each backend's fields -------------------------------


@pytest.mark.parametrize("api", APIS)
@pytest.mark.parametrize(("attempts", "broken"), [(2, False), (3, False), (4, True), (5, True)])
def test_florida_allows_three_attempts_a_day_and_no_more(api, attempts, broken):
    findings = florida(RetryPolicy(attempts, MINUTE), api)
    assert [f.rule for f in findings] == (["us-fl-frequency"] if broken else [])
    if broken:
        [finding] = findings
        assert finding.blocking and finding.severity == "blocking"
        assert (finding.facts["calls"], finding.facts["max_calls"], finding.facts["period_hours"]) == (
            attempts,
            3,
            24,
        )
        assert f"can place {attempts} calls to one contact within 24 hours, more than 3" in finding.message


@pytest.mark.parametrize("api", APIS)
@pytest.mark.parametrize(
    ("interval_ms", "calls"), [(8 * HOUR, 3), (8 * HOUR - MINUTE, 4), (6 * HOUR, 4), (12 * HOUR, 2)]
)
def test_attempts_spread_over_the_day_count_only_those_inside_one_24_hours(api, interval_ms, calls):
    findings = florida(RetryPolicy(10, interval_ms), api)
    assert len(findings) == (1 if calls > 3 else 0)
    if findings:
        assert findings[0].facts["calls"] == calls


def test_the_admin_apis_restricted_calling_keeps_florida_whatever_the_attempts():
    restricted = RetryPolicy(10, MINUTE, restricted_minutes=1440, restricted_max_attempts=3)
    assert florida(restricted, ADMIN) == []
    looser = RetryPolicy(10, MINUTE, restricted_minutes=1440, restricted_max_attempts=4)
    [finding] = florida(looser, ADMIN)
    assert finding.facts["calls"] == 4
    assert "restrictedCallingMinutes 1440, restrictedCallingMaxAttempts 4" in finding.message


def test_v2_never_writes_the_restricted_calling_window_so_it_does_not_count_there():
    restricted = RetryPolicy(10, MINUTE, restricted_minutes=1440, restricted_max_attempts=3)
    [finding] = florida(restricted, OUTBOUND_V2)
    assert finding.facts["calls"] == 10
    assert "as the Outbound API v2 dials it (maxAttempts 10, retryIntervalMs 60000)" in finding.message


def test_the_admin_api_dials_whole_minutes_rounded_up():
    # 7 h 59 min 30 s apart is 480 minutes under the Admin API (3 a day), but 4 a day under v2.
    policy = RetryPolicy(10, 8 * HOUR - 30_000)
    assert florida(policy, ADMIN) == []
    assert florida(policy, OUTBOUND_V2)[0].facts["calls"] == 4


@pytest.mark.parametrize("state", ["US-FL", "US-OK", "US-MD"])
def test_each_three_call_state_limit_is_its_own_blocking_finding(state):
    [finding] = retry_policy_findings(RetryPolicy(4, MINUTE), jurisdictions=[state], as_of=TODAY)
    assert finding.jurisdiction == state and finding.blocking


def test_state_limits_do_not_apply_elsewhere():
    assert retry_policy_findings(RetryPolicy(10, MINUTE), jurisdictions=["US-TX"], as_of=TODAY) == []


# ---- Regulation F ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("api", APIS)
@pytest.mark.parametrize(("attempts", "broken"), [(6, False), (7, False), (8, True)])
def test_regulation_f_allows_seven_calls_in_seven_days_and_no_more(api, attempts, broken):
    findings = debt(RetryPolicy(attempts, MINUTE), api)
    assert [f.rule for f in findings] == (["us-reg-f"] if broken else [])
    if broken:
        assert findings[0].blocking
        assert findings[0].source == "12 CFR 1006.14(b)(2)(i) (CFPB Regulation F)"
        assert "within 7 days, more than 7" in findings[0].message


@pytest.mark.parametrize("api", APIS)
@pytest.mark.parametrize(("interval_ms", "calls"), [(24 * HOUR, 7), (20 * HOUR, 9), (24 * HOUR - MINUTE, 8)])
def test_regulation_f_counts_the_calls_inside_any_seven_days(api, interval_ms, calls):
    findings = debt(RetryPolicy(10, interval_ms), api)
    assert [f.facts["calls"] for f in findings] == ([calls] if calls > 7 else [])


def test_seven_days_do_not_fit_the_admin_apis_restricted_calling_field_so_the_window_limits_less():
    # One attempt a day by restricted calling (1,440 minutes, 1 attempt) keeps Regulation F.
    assert debt(RetryPolicy(10, MINUTE, restricted_minutes=1440, restricted_max_attempts=1), ADMIN) == []
    # A 9,999-minute window with 7 attempts: the next burst starts 81 minutes before 7 days (10,080 minutes)
    # are over, so all 10 attempts fall within 7 days.
    [finding] = debt(RetryPolicy(10, MINUTE, restricted_minutes=9999, restricted_max_attempts=7), ADMIN)
    assert finding.facts["calls"] == 10


# ---- the purpose says which limits apply -----------------------------------------------------------------


def test_a_telemarketing_campaign_is_not_judged_by_regulation_f():
    assert retry_policy_findings(RetryPolicy(10, MINUTE), as_of=TODAY) == []


def test_a_debt_collection_campaign_is_not_judged_by_the_telemarketing_state_limits():
    findings = retry_policy_findings(
        RetryPolicy(5, MINUTE), purpose="debt_collection", jurisdictions=["US-FL"], as_of=TODAY
    )
    assert findings == []


def test_informational_calls_have_no_frequency_limit():
    policy = RetryPolicy(10, MINUTE)
    assert retry_policy_findings(policy, purpose="informational", jurisdictions=["US-FL"], as_of=TODAY) == []


def test_regulation_f_does_not_apply_to_canada():
    assert (
        retry_policy_findings(
            RetryPolicy(8, MINUTE), purpose="debt_collection", jurisdictions=["CA-ON"], as_of=TODAY
        )
        == []
    )


@pytest.mark.parametrize(
    ("typed", "purpose"),
    [
        ("telemarketing", "telemarketing"),
        ("debt-collection", "debt_collection"),
        ("Informational", "informational"),
    ],
)
def test_purposes_are_read_as_the_command_line_and_the_forms_write_them(typed, purpose):
    assert parse_purpose(typed) == purpose


def test_an_unknown_purpose_is_refused_naming_the_choices():
    with pytest.raises(ValueError, match="telemarketing, debt-collection or informational"):
        parse_purpose("charity")


# ---- contacts, dates ---------------------------------------------------------------------------------------


def test_a_breakdown_brings_its_states_and_their_contacts():
    breakdown = [{"state": "FL", "count": 310}, {"state": "OK", "count": 20}, {"state": "TX", "count": 99}]
    findings = retry_policy_findings(RetryPolicy(8, MINUTE), breakdown=breakdown, as_of=TODAY)
    assert {(f.rule, f.contacts_affected) for f in findings} == {
        ("us-fl-frequency", 310),
        ("us-ok-frequency", 20),
    }
    debt_findings = retry_policy_findings(
        RetryPolicy(8, MINUTE), breakdown=breakdown, purpose="debt_collection", as_of=TODAY
    )
    assert [(f.rule, f.contacts_affected) for f in debt_findings] == [("us-reg-f", 429)]


def test_a_state_limit_applies_only_from_its_effective_date():
    policy = RetryPolicy(5, MINUTE)
    before = retry_policy_findings(policy, jurisdictions=["US-MD"], as_of=date(2023, 12, 31))
    after = retry_policy_findings(policy, jurisdictions=["US-MD"], as_of=date(2024, 1, 1))
    assert before == [] and [f.rule for f in after] == ["us-md-frequency"]


def test_a_limit_taking_effect_inside_the_effective_period_counts_and_says_from_when():
    policy = RetryPolicy(5, MINUTE)
    [finding] = retry_policy_findings(
        policy, jurisdictions=["US-MD"], as_of=date(2023, 12, 1), until=date(2024, 3, 1)
    )
    assert finding.rule == "us-md-frequency"
    assert "(in effect from 2024-01-01)" in finding.message
    assert (
        retry_policy_findings(
            policy, jurisdictions=["US-MD"], as_of=date(2023, 12, 1), until=date(2023, 12, 31)
        )
        == []
    )


# ---- the nearest compliant policy, proposed with every breach ---------------------------------------------


@pytest.mark.parametrize(
    ("api", "policy", "label", "values"),
    [
        (
            OUTBOUND_V2,
            RetryPolicy(5, MINUTE),
            "Retry every 8 h: at most 3 attempts in 24 h",
            {"retry_interval_ms": 8 * HOUR},
        ),
        (
            ADMIN,
            RetryPolicy(5, MINUTE),
            "At most 3 attempts in 24 h (CXone's restricted calling: 3 attempts per 1,440 minutes)",
            {"restricted_minutes": 1440, "restricted_max_attempts": 3},
        ),
    ],
)
def test_a_florida_breach_proposes_the_nearest_policy_the_backend_can_write(api, policy, label, values):
    [finding] = florida(policy, api)
    assert finding.proposal.label == label
    assert dict(finding.proposal.values) == values
    assert f"The nearest policy that keeps it: {label[0].lower()}{label[1:]}" in finding.message


@pytest.mark.parametrize("api", APIS)
@pytest.mark.parametrize(
    "policy",
    [RetryPolicy(5, MINUTE), RetryPolicy(10, 6 * HOUR), RetryPolicy(4, 2 * HOUR), RetryPolicy(10, 7 * HOUR)],
)
def test_applying_the_proposal_clears_every_finding_it_was_proposed_for(api, policy):
    breakdown = [{"state": "FL", "count": 1}, {"state": "MD", "count": 1}, {"state": "OK", "count": 1}]
    findings = retry_policy_findings(policy, api=api, breakdown=breakdown, as_of=TODAY)
    assert len(findings) == 3
    proposal = findings[0].proposal
    assert all(f.proposal == proposal for f in findings)  # one policy that keeps them all
    fixed = RetryPolicy(**{**vars(policy), **proposal.values})
    assert retry_policy_findings(fixed, api=api, breakdown=breakdown, as_of=TODAY) == []


@pytest.mark.parametrize("api", APIS)
def test_a_regulation_f_breach_proposes_a_policy_that_clears_it(api):
    [finding] = debt(RetryPolicy(10, MINUTE), api)
    assert finding.proposal.label == "Retry every 24 h: at most 7 attempts in 7 days"
    fixed = RetryPolicy(**{**vars(RetryPolicy(10, MINUTE)), **finding.proposal.values})
    assert debt(fixed, api) == []


def test_given_the_schedules_windows_a_finding_names_the_first_one_the_limit_applies_to():
    from datetime import UTC, datetime, timedelta
    from zoneinfo import ZoneInfo

    from campaigns.scheduling import Window

    zone = ZoneInfo("America/New_York")
    windows = []
    for day in range(10):  # every day from 27 December 2023, 10:00 for 4 hours
        local = datetime(2023, 12, 27, 10, tzinfo=zone) + timedelta(days=day)
        windows.append(Window(local.astimezone(UTC), (local + timedelta(hours=4)).astimezone(UTC), local,
                              local + timedelta(hours=4)))  # fmt: skip
    [finding] = retry_policy_findings(
        RetryPolicy(5, MINUTE), jurisdictions=["US-MD"], as_of=date(2023, 12, 27), until=date(2024, 1, 5),
        windows=windows,
    )  # fmt: skip
    # Maryland's limit starts on 1 January 2024: the first window it applies to is that day's.
    assert finding.window.campaign_local_start == datetime(2024, 1, 1, 10, tzinfo=zone)
    assert finding.window.start == windows[5].start
    assert finding.windows_affected == 5
