"""Blackout calendars' date rules, their expansion over ten years, and the windows they remove."""

import re
from datetime import UTC, date, datetime

import pytest

from campaigns.scheduling import blackouts
from campaigns.scheduling.blackouts import (
    BlackoutRuleError,
    day_spans,
    parse_rule,
    parse_rules,
    without_blackouts,
)
from campaigns.scheduling.windows import window_instants
from campaigns.scheduling.zones import get_zone

TEN_YEARS = (date(2025, 1, 1), date(2034, 12, 31))

THANKSGIVING = [
    date(2025, 11, 27), date(2026, 11, 26), date(2027, 11, 25), date(2028, 11, 23), date(2029, 11, 22),
    date(2030, 11, 28), date(2031, 11, 27), date(2032, 11, 25), date(2033, 11, 24), date(2034, 11, 23),
]  # fmt: skip
GOOD_FRIDAY = [
    date(2025, 4, 18), date(2026, 4, 3), date(2027, 3, 26), date(2028, 4, 14), date(2029, 3, 30),
    date(2030, 4, 19), date(2031, 4, 11), date(2032, 3, 26), date(2033, 4, 15), date(2034, 4, 7),
]  # fmt: skip
EASTER_MONDAY = [
    date(2025, 4, 21), date(2026, 4, 6), date(2027, 3, 29), date(2028, 4, 17), date(2029, 4, 2),
    date(2030, 4, 22), date(2031, 4, 14), date(2032, 3, 29), date(2033, 4, 18), date(2034, 4, 10),
]  # fmt: skip
MEMORIAL_DAY = [
    date(2025, 5, 26), date(2026, 5, 25), date(2027, 5, 31), date(2028, 5, 29), date(2029, 5, 28),
    date(2030, 5, 27), date(2031, 5, 26), date(2032, 5, 31), date(2033, 5, 30), date(2034, 5, 29),
]  # fmt: skip


def days_of(entry):
    return list(blackouts.blackout_days([parse_rule(entry)], *TEN_YEARS))


def test_thanksgiving_is_the_fourth_thursday_of_november_for_ten_years():
    assert days_of({"kind": "weekday", "name": "US Thanksgiving", "month": 11, "weekday": 3, "nth": 4}) == (
        THANKSGIVING
    )


def test_good_friday_is_two_days_before_easter_for_ten_years():
    assert days_of({"kind": "easter", "name": "Good Friday", "offset": -2}) == GOOD_FRIDAY


def test_easter_monday_is_the_day_after_easter_for_ten_years():
    assert days_of({"kind": "easter", "name": "Easter Monday", "offset": 1}) == EASTER_MONDAY


def test_memorial_day_is_the_last_monday_of_may_for_ten_years():
    assert days_of({"kind": "weekday", "name": "Memorial Day", "month": 5, "weekday": 0, "nth": -1}) == (
        MEMORIAL_DAY
    )


def test_a_fifth_weekday_is_only_in_the_months_that_have_one():
    fifth_fridays_of_may = days_of({"kind": "weekday", "name": "x", "month": 5, "weekday": 4, "nth": 5})
    assert fifth_fridays_of_may == [
        date(2025, 5, 30),
        date(2026, 5, 29),
        date(2030, 5, 31),
        date(2031, 5, 30),
    ]


def test_an_observed_christmas_also_blacks_out_the_nearest_weekday():
    days = blackouts.blackout_days(
        [parse_rule({"kind": "yearly", "name": "Christmas", "month": 12, "day": 25, "observed": True})],
        date(2027, 12, 1),
        date(2028, 1, 31),
    )
    assert days == {date(2027, 12, 24): ("Christmas (observed)",), date(2027, 12, 25): ("Christmas",)}


def test_an_observed_new_year_on_a_saturday_blacks_out_the_friday_of_the_year_before():
    rule = parse_rule({"kind": "yearly", "name": "New Year", "month": 1, "day": 1, "observed": True})
    days = blackouts.blackout_days([rule], date(2027, 12, 30), date(2028, 1, 2))
    assert days == {date(2027, 12, 31): ("New Year (observed)",), date(2028, 1, 1): ("New Year",)}


def test_29_february_is_a_day_only_in_leap_years():
    assert days_of({"kind": "yearly", "name": "Leap", "month": 2, "day": 29}) == [
        date(2028, 2, 29),
        date(2032, 2, 29),
    ]


def test_a_closure_covers_every_day_from_first_to_last():
    rule = parse_rule({"kind": "dates", "name": "Winter closure", "from": "2026-12-30", "to": "2027-01-02"})
    assert list(blackouts.blackout_days([rule], *TEN_YEARS)) == [
        date(2026, 12, 30),
        date(2026, 12, 31),
        date(2027, 1, 1),
        date(2027, 1, 2),
    ]


def test_a_one_off_date_outside_the_range_blacks_out_nothing():
    rule = parse_rule({"kind": "date", "name": "Move", "date": "2024-06-01"})
    assert blackouts.blackout_days([rule], *TEN_YEARS) == {}


def test_two_rules_on_one_day_name_both():
    rules = parse_rules(
        [
            {"kind": "date", "name": "Inventory", "date": "2026-11-26"},
            {"kind": "weekday", "name": "US Thanksgiving", "month": 11, "weekday": 3, "nth": 4},
        ]
    )
    assert blackouts.blackout_days(rules, date(2026, 11, 1), date(2026, 11, 30)) == {
        date(2026, 11, 26): ("Inventory", "US Thanksgiving")
    }


def test_the_pennsylvania_ban_is_a_ready_calendar_with_good_friday_and_election_day():
    rule = parse_rule({"kind": "state_holidays", "rule": "us-pa"})
    assert rule.name == "US-PA legal holidays"
    days = blackouts.blackout_days([rule], date(2026, 1, 1), date(2026, 12, 31))
    assert days[date(2026, 4, 3)] == ("US-PA Good Friday",)
    assert date(2026, 11, 3) in days  # Election Day
    assert date(2026, 11, 26) in days  # Thanksgiving
    assert date(2026, 6, 19) not in days  # Juneteenth is not a Pennsylvania legal holiday


def test_every_rule_of_the_rules_file_with_a_holiday_ban_is_offered():
    ids = {rule.id for rule in blackouts.state_holiday_rules()}
    assert {"us-ut", "us-la", "us-al", "us-ri", "us-pa"} <= ids


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"kind": "weekly"}, "kind"),
        ({"kind": "date", "date": "2026-12-24"}, "name"),
        ({"kind": "date", "name": "x", "date": "24/12/2026"}, "date (YYYY-MM-DD)"),
        ({"kind": "dates", "name": "x", "from": "2026-12-24", "to": "2026-12-01"}, "before the first"),
        ({"kind": "dates", "name": "x", "from": "2026-01-01", "to": "2027-06-01"}, "at most 366 days"),
        ({"kind": "yearly", "name": "x", "month": 2, "day": 30}, "February has no day 30"),
        ({"kind": "yearly", "name": "x", "month": 13, "day": 1}, "month"),
        ({"kind": "weekday", "name": "x", "month": 11, "weekday": 3, "nth": 6}, "first to fifth"),
        ({"kind": "easter", "name": "x", "offset": "-2"}, "days from Easter"),
        ({"kind": "state_holidays", "rule": "us-fl"}, "bans no holidays"),
    ],
)
def test_a_wrong_rule_is_refused_saying_what_to_change(entry, message):
    with pytest.raises(BlackoutRuleError, match=re.escape(message)):
        parse_rule(entry)


def test_a_wrong_rule_in_a_list_is_named_by_its_number():
    with pytest.raises(BlackoutRuleError, match="rule 2:"):
        parse_rules([{"kind": "easter", "name": "Easter", "offset": 0}, {"kind": "nope"}])


def test_a_stored_rule_reads_back_unchanged():
    for entry in (
        {"kind": "date", "name": "a", "date": "2026-12-24"},
        {"kind": "dates", "name": "b", "from": "2026-12-24", "to": "2026-12-31"},
        {"kind": "yearly", "name": "c", "month": 7, "day": 4, "observed": True},
        {"kind": "weekday", "name": "d", "month": 9, "weekday": 0, "nth": 1},
        {"kind": "easter", "name": "e", "offset": -47},
        {"kind": "state_holidays", "name": "f", "rule": "us-ut"},
    ):
        assert parse_rule(entry).to_dict() == entry


def test_it_describes_each_rule_in_the_planners_words():
    assert parse_rule({"kind": "weekday", "name": "x", "month": 11, "weekday": 3, "nth": 4}).describe() == (
        "fourth Thursday of November"
    )
    assert parse_rule({"kind": "easter", "name": "x", "offset": -2}).describe() == "Easter − 2 days"


def test_a_blackout_day_removes_the_windows_that_open_on_it_on_the_campaigns_wall_clock():
    start = datetime(2026, 11, 23, tzinfo=UTC)
    end = datetime(2026, 11, 30, tzinfo=UTC)
    instants = window_instants(
        "0 9 * * *", "America/Chicago", 480, int(start.timestamp()), int(end.timestamp())
    )
    kept = without_blackouts(instants, day_spans([date(2026, 11, 26)], "America/Chicago"))
    opened = [datetime.fromtimestamp(s, UTC).strftime("%d %H:%M") for s, _ in kept]
    assert opened == ["23 15:00", "24 15:00", "25 15:00", "27 15:00", "28 15:00", "29 15:00"]


def test_a_night_window_that_opens_the_evening_before_is_kept():
    start = datetime(2026, 11, 25, tzinfo=UTC)
    end = datetime(2026, 11, 29, tzinfo=UTC)
    # 20:00 New York opens 01:00 UTC the next day: the UTC date is not what counts, the local one is.
    instants = window_instants(
        "0 20 * * *", "America/New_York", 360, int(start.timestamp()), int(end.timestamp())
    )
    kept = without_blackouts(instants, day_spans([date(2026, 11, 26)], "America/New_York"))
    local = [datetime.fromtimestamp(s, UTC).astimezone(get_zone("America/New_York")).day for s, _ in kept]
    assert local == [24, 25, 27]


def test_a_blackout_day_on_a_dst_change_lasts_its_23_hours():
    [(start, end)] = day_spans([date(2026, 3, 8)], "America/New_York")
    assert end - start == 23 * 3600


def test_no_blackout_days_keep_every_window():
    instants = ((1, 2), (3, 4))
    assert without_blackouts(instants, []) == instants
