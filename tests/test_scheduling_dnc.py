"""DNC readiness: blocking findings that name exactly what is missing."""

from datetime import time

import pytest

from campaigns.scheduling import dnc_readiness, fcc_bounds
from campaigns.scheduling.dnc import parse_clock

COMPLETE = [
    {"type": "FCC_MIN_TIME", "value": "08:00"},
    {"type": "FCC_MAX_TIME", "value": "21:00"},
    {"type": "STATE_DNC"},
]


def test_a_complete_setup_with_an_active_list_is_ready():
    assert dnc_readiness(COMPLETE, "ACTIVE") == []


def test_tags_nested_under_regulatory_count_as_present():
    nested = [
        {"regulatory": {"type": "FCC_MIN_TIME", "value": "08:00"}},
        {"regulatory": {"type": "FCC_MAX_TIME"}, "value": "21:00"},
        {"regulatory": {"type": "STATE_DNC"}},
    ]
    assert dnc_readiness(nested, "ACTIVE") == []


@pytest.mark.parametrize("missing", ["FCC_MIN_TIME", "FCC_MAX_TIME", "STATE_DNC"])
def test_each_missing_tag_gets_a_blocking_finding_naming_it(missing):
    rules = [rule for rule in COMPLETE if rule["type"] != missing]
    [finding] = dnc_readiness(rules, "ACTIVE")
    assert (finding.rule, finding.facts["item"], finding.blocking, finding.severity) == (
        "dnc_rule_missing",
        missing,
        True,
        "blocking",
    )
    assert finding.message.startswith(f"dncRules lack {missing}")


def test_no_rules_at_all_lists_all_three():
    assert [f.facts["item"] for f in dnc_readiness(None, "ACTIVE")] == ["FCC_MIN_TIME", "FCC_MAX_TIME", "STATE_DNC"]
    assert [f.facts["item"] for f in dnc_readiness([], "ACTIVE")] == ["FCC_MIN_TIME", "FCC_MAX_TIME", "STATE_DNC"]


@pytest.mark.parametrize(
    ("state", "shown"), [("INACTIVE", "is INACTIVE"), ("", "is unknown"), (None, "is unknown")]
)
def test_a_dnc_list_that_is_not_active_blocks(state, shown):
    [finding] = dnc_readiness(COMPLETE, state)
    assert (finding.rule, finding.facts["item"]) == ("dnc_list_not_active", "DNC list")
    assert finding.message == f"the DNC list {shown}; it must be ACTIVE"


def test_the_list_state_is_read_case_insensitively():
    assert dnc_readiness(COMPLETE, "active") == []


def test_an_unreadable_or_inverted_fcc_window_is_flagged():
    bad_value = [{"type": "FCC_MIN_TIME", "value": "8am"}, *COMPLETE[1:]]
    [finding] = dnc_readiness(bad_value, "ACTIVE")
    assert (finding.rule, finding.facts["item"]) == ("dnc_rule_invalid", "FCC_MIN_TIME")
    inverted = [
        {"type": "FCC_MIN_TIME", "value": "21:00"},
        {"type": "FCC_MAX_TIME", "value": "09:00"},
        COMPLETE[2],
    ]
    [finding] = dnc_readiness(inverted, "ACTIVE")
    assert finding.message == "FCC_MAX_TIME 09:00 is not after FCC_MIN_TIME 21:00"


def test_every_problem_is_listed_at_once():
    findings = dnc_readiness([{"type": "STATE_DNC"}], "INACTIVE")
    assert [f.facts["item"] for f in findings] == ["FCC_MIN_TIME", "FCC_MAX_TIME", "DNC list"]


def test_fcc_bounds_are_read_from_either_shape():
    assert fcc_bounds(COMPLETE) == (time(8), time(21))
    assert fcc_bounds([{"regulatory": {"type": "fcc_min_time", "value": "9:30"}}]) == (time(9, 30), None)
    assert fcc_bounds(None) == (None, None)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("08:00", time(8)),
        ("8:00", time(8)),
        ("08:00:30", time(8, 0, 30)),
        ("9", time(9)),
        (21, time(21)),
        ("25:00", None),
        ("8am", None),
        (True, None),
        (None, None),
    ],
)
def test_clock_values_are_parsed_strictly(value, expected):
    assert parse_clock(value) == expected
