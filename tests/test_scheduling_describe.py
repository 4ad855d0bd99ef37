"""Cron in words: what a planner reads next to every cron expression."""

import datetime as dt

import pytest

from campaigns.scheduling.describe import (
    describe_days,
    describe_schedule,
    describe_starts,
    describe_times,
    zone_label,
)

WINTER = dt.datetime(2026, 12, 7, 15, tzinfo=dt.UTC)
SUMMER = dt.datetime(2026, 7, 6, 15, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("cron", "duration", "zone", "words"),
    [
        ("0 11 * * 1-5", 180, "America/Chicago", "Weekdays 11:00–14:00 CST"),
        ("0 9 * * 1,3", 480, "America/New_York", "Mon, Wed 09:00–17:00 EST"),
        ("0 9 * * MON-FRI", 480, "America/New_York", "Weekdays 09:00–17:00 EST"),
        ("30 8 * * *", 90, "Europe/Berlin", "Every day 08:30–10:00 CET"),
        ("0 10 * * 0,6", 240, "America/Chicago", "Weekends 10:00–14:00 CST"),
        ("0 9 * * 1-4", 60, "America/Chicago", "Mon–Thu 09:00–10:00 CST"),
        ("0 9 * * 1,2,4", 60, "America/Chicago", "Mon, Tue, Thu 09:00–10:00 CST"),
        ("0 9 * * 0,1,2,3", 60, "America/Chicago", "Mon–Wed, Sun 09:00–10:00 CST"),
        ("0 22 * * 5", 240, "America/Chicago", "Fri 22:00–02:00 (next day) CST"),
        ("0 9,14 * * 1-5", 60, "America/Chicago", "Weekdays 09:00–10:00 and 14:00–15:00 CST"),
        (
            "0 8-16/2 * * 1-5",
            30,
            "America/Chicago",
            "Weekdays every 2 h from 08:00 to 16:00, 30 min each CST",
        ),
        ("0 9 1,15 * *", 480, "America/Chicago", "Days 1, 15 of the month 09:00–17:00 CST"),
        ("0 9 * 1-3 1-5", 480, "America/Chicago", "Weekdays in Jan–Mar 09:00–17:00 CST"),
        ("0 0 * * 1", 1440, "America/Chicago", "Mon from 00:00 for 24 h CST"),
    ],
)
def test_it_says_a_plain_schedule_in_words_with_the_zone(cron, duration, zone, words):
    assert describe_schedule(cron, duration, zone, WINTER) == words


def test_the_zone_abbreviation_follows_daylight_saving_time_at_the_instant_asked():
    assert describe_schedule("0 11 * * 1-5", 180, "America/Chicago", SUMMER) == "Weekdays 11:00–14:00 CDT"


def test_a_zone_without_letters_is_named_by_its_iana_name():
    assert zone_label("Asia/Dubai", WINTER) == "Asia/Dubai"
    assert zone_label("UTC", WINTER) == "UTC"


@pytest.mark.parametrize(
    "cron",
    [
        "0 25 * * 1-5",  # invalid
        "0 9 * * 5L",  # last Friday of the month
        "0 9 * * 1#2",  # second Monday
        "0 9 L * *",  # last day of the month
        "*/7 9-17 * * 1-5",  # dozens of irregular starts
        "",
    ],
)
def test_it_says_nothing_rather_than_something_half_right(cron):
    assert describe_schedule(cron, 60, "America/Chicago", WINTER) is None


def test_no_duration_means_no_sentence():
    assert describe_schedule("0 9 * * 1-5", None, "America/Chicago", WINTER) is None


def test_days_and_times_read_on_their_own():
    assert describe_days("*", "*", "7") == "Sun"
    assert describe_days("1", "*", "1") == "Day 1 of the month and Mon"
    assert describe_times("0,30", "9", 30) == "09:00–09:30 and 09:30–10:00"
    assert describe_times("*", "9", 1) == "every 1 min from 09:00 to 09:59, 1 min each"
    assert describe_times("0,10,25,40,50", "9", 5) is None  # irregular starts: no short sentence says them


def test_without_a_length_it_says_when_windows_open():
    assert describe_starts("0 10 * * 1-5", "America/Chicago", WINTER) == "Weekdays at 10:00 CST"
    assert describe_starts("0 9,14 * * 1,3", "America/New_York", WINTER) == "Mon, Wed at 09:00 and 14:00 EST"
    assert describe_starts("0 9 * * 5L", "America/Chicago", WINTER) is None
