"""Cron validation: exactly 5 fields, and every problem named by its field."""

import pytest

from campaigns.scheduling.cron import cron_errors, parse_cron


def test_it_accepts_a_weekday_morning_cron():
    assert cron_errors("0 9 * * 1-5") == []


@pytest.mark.parametrize(
    "expression",
    [
        "*/15 8-20 * * MON-FRI",
        "30 8 1,15 * *",
        "0 12 * jan-mar sun",
        "0 9 * JUL WED",
        "0 0 29 2 *",
        "5-55/10 * * * 0,6",
        "0 9 * * 7",
    ],
)
def test_it_accepts_the_grammar_of_the_cxone_contract(expression):
    assert cron_errors(expression) == []


def test_it_rejects_a_six_field_cron():
    assert cron_errors("0 0 9 * * 1-5") == [
        "must have exactly 5 fields (minute hour day-of-month month day-of-week), got 6"
    ]


def test_it_rejects_a_four_field_cron():
    assert cron_errors("0 9 * *")[0].endswith("got 4")


def test_it_rejects_an_empty_expression():
    assert cron_errors("   ") == [
        "a cron expression is required (5 fields: minute hour day-of-month month day-of-week)"
    ]
    assert cron_errors(None)


def test_it_explains_that_macros_are_not_supported():
    assert cron_errors("@daily") == ["macros such as @daily are not supported; write the 5 fields out"]


def test_it_names_the_field_and_the_range_of_an_out_of_range_hour():
    assert cron_errors("0 25 * * *") == ["hour: 25 is outside 0-23"]


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("60 9 * * *", "minute: 60 is outside 0-59"),
        ("0 9 0 * *", "day-of-month: 0 is outside 1-31"),
        ("0 9 * 13 *", "month: 13 is outside 1-12"),
        ("0 9 * * 8", "day-of-week: 8 is outside 0-7"),
        ("x 9 * * *", "minute: 'x' is not a number"),
        ("0 9 * FOO *", "month: 'FOO' is not a number or a name"),
        ("0 17-9 * * *", "hour: range 17-9 runs backwards"),
        ("*/0 9 * * *", "minute: step 0 is not allowed"),
        ("0 9,,10 * * *", "hour: a value is missing"),
        ("0 9 31 4 *", "day-of-month: 31 never occurs in APR"),
        ("0 9 30 2 *", "day-of-month: 30 never occurs in FEB"),
    ],
)
def test_it_names_the_field_of_each_problem(expression, message):
    assert cron_errors(expression) == [message]


def test_it_reports_every_bad_field_at_once():
    assert cron_errors("61 24 * * 9") == [
        "minute: 61 is outside 0-59",
        "hour: 24 is outside 0-23",
        "day-of-week: 9 is outside 0-7",
    ]


def test_it_keeps_the_planners_spelling_in_messages():
    assert cron_errors("0 9 * * fry") == ["day-of-week: 'fry' is not a number or a name"]


def test_a_day_of_month_and_weekday_pair_may_fire_on_either():
    # Neither field starts with "*": Debian cron ORs them, so 31 need not exist in April.
    assert cron_errors("0 9 31 4 1") == []


def test_the_parsed_fields_tell_which_wall_clock_minutes_match():
    from datetime import datetime

    fields = parse_cron("30 2 * * 0")
    assert fields.matches(datetime(2026, 3, 8, 2, 30))  # a Sunday
    assert not fields.matches(datetime(2026, 3, 9, 2, 30))
    assert fields.first_match_between(datetime(2026, 3, 8, 2, 0), datetime(2026, 3, 8, 3, 0)) == datetime(
        2026, 3, 8, 2, 30
    )


def test_parsing_an_invalid_expression_raises_with_the_reasons():
    with pytest.raises(ValueError, match="hour: 25 is outside 0-23"):
        parse_cron("0 25 * * *")


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("0 9 L * *", "day-of-month: 'L' uses 'L' (the last day), a cron extension CXone does not accept"),
        ("0 9 LW * *", "day-of-month: 'LW' uses 'L' (the last day), a cron extension CXone does not accept"),
        ("0 9 15W * *", "day-of-month: '15W' uses 'W' (the nearest weekday), a cron extension"),
        ("0 9 * * 5L", "day-of-week: '5L' uses 'L' (the last day), a cron extension"),
        ("0 9 * * 1#2", "day-of-week: '1#2' uses '#' (the nth weekday of the month), a cron extension"),
        ("0 9 ? * 1", "day-of-month: '?' uses '?' (no specific value), a cron extension CXone does not accept; "
         "write '*' instead"),
    ],
)  # fmt: skip
def test_it_refuses_cron_extensions_outside_the_contract_naming_the_part(expression, message):
    [error] = cron_errors(expression)
    assert error.startswith(message)


def test_it_refuses_a_step_larger_than_its_field():
    assert cron_errors("0 9 1-31/99999999999999999999 * *") == [
        "day-of-month: step 999999999999… is larger than the field (1-31)"
    ]
    assert cron_errors("*/61 * * * *") == ["minute: step 61 is larger than the field (0-59)"]
    assert cron_errors("*/60 9 * * *") == []  # as large as the field: only minute 0


def test_it_refuses_a_step_written_with_non_ascii_digits():
    assert cron_errors("*/² 9 * * *") == ["minute: step '²' is not a number"]
    assert cron_errors("*/٥ 9 * * *") == ["minute: step '٥' is not a number"]
