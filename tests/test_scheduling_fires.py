"""Fast fire times agree with cronsim, including on every kind of DST day."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from campaigns.scheduling.fires import (
    cronsim_fires,
    fire_instants,
    fixed_time_fires,
    transitions,
    uses_wall_clock_walk,
)

ZONES = [
    "America/Chicago",
    "Europe/London",
    "Australia/Sydney",
    "America/St_Johns",
    "Asia/Tokyo",
    "America/Havana",  # changes at midnight
    "America/Santiago",  # southern hemisphere, midnight changes
    "Australia/Lord_Howe",  # a 30-minute change
    "Europe/Dublin",  # "negative DST" in the database
]
MINUTES = st.sampled_from(["0", "30", "15,45", "59", "0-10/5"])
HOURS = st.sampled_from(["0", "1", "2", "3", "1,2,3", "0-3", "9", "23", "9,14", "1-4/2"])
DAYS = st.sampled_from(["* * *", "* * 0", "* * 1-5", "1 * *", "L * *", "* 3,10,11 *", "* * 0#1", "8 3 1"])


@st.composite
def horizons(draw):
    year = draw(st.sampled_from([2025, 2026, 2027]))
    month = draw(st.sampled_from([3, 4, 9, 10, 11]))
    start = int(datetime(year, month, 1, tzinfo=UTC).timestamp()) + draw(st.integers(0, 35 * 86400))
    return start, start + draw(st.integers(0, 12 * 86400))


@settings(max_examples=150, deadline=None)
@given(minute=MINUTES, hour=HOURS, days=DAYS, zone=st.sampled_from(ZONES), horizon=horizons())
def test_fixed_time_fires_agree_with_cronsim(minute, hour, days, zone, horizon):
    expression = f"{minute} {hour} {days}"
    assert uses_wall_clock_walk(expression)
    assert fixed_time_fires(expression, zone, *horizon) == cronsim_fires(expression, zone, *horizon)


def test_wildcard_hours_go_through_cronsim_itself():
    assert not uses_wall_clock_walk("*/15 * * * *")
    assert not uses_wall_clock_walk("0 * * * *")
    start = int(datetime(2026, 1, 15, 4, tzinfo=UTC).timestamp())
    assert fire_instants("0 * * * *", "America/Chicago", start, start + 4 * 3600) == tuple(
        cronsim_fires("0 * * * *", "America/Chicago", start, start + 4 * 3600)
    )


def test_a_wildcard_hour_cron_does_not_fire_again_in_the_repeated_hour():
    # Chicago falls back at 07:00 UTC on 2026-11-01 (02:00 CDT → 01:00 CST): 01:00 CST repeats 01:00 CDT.
    start = int(datetime(2026, 11, 1, 4, tzinfo=UTC).timestamp())
    hours = [datetime(2026, 11, 1, hour, tzinfo=UTC) for hour in (4, 5, 6, 8)]
    assert fire_instants("0 * * * *", "America/Chicago", start, start + 5 * 3600) == tuple(
        int(hour.timestamp()) for hour in hours
    )


def is_second_occurrence(ts, zone):
    local = datetime.fromtimestamp(ts, ZoneInfo(zone))
    return local.fold == 1 and local.utcoffset() != local.replace(fold=0).utcoffset()


WILDCARDS = st.sampled_from(["*/30 1 * * *", "0 * * * *", "*/15 * * * *", "0 */2 * * *", "15,45 * * * 0"])


@settings(max_examples=150, deadline=None)
@given(
    expression=st.one_of(WILDCARDS, st.builds("{} {} {}".format, MINUTES, HOURS, DAYS)),
    zone=st.sampled_from(ZONES),
    horizon=horizons(),
)
def test_no_path_fires_in_the_second_occurrence_of_a_repeated_wall_time(expression, zone, horizon):
    fires = fire_instants(expression, zone, *horizon)
    assert not any(is_second_occurrence(ts, zone) for ts in fires)
    assert list(fires) == [
        ts for ts in cronsim_fires(expression, zone, *horizon) if not is_second_occurrence(ts, zone)
    ]
    walls = [datetime.fromtimestamp(ts, ZoneInfo(zone)).replace(tzinfo=None) for ts in fires]
    assert len(set(walls)) == len(walls)


def test_it_finds_the_exact_transition_instants_of_a_zone():
    start = int(datetime(2026, 1, 1, tzinfo=UTC).timestamp())
    end = int(datetime(2027, 1, 1, tzinfo=UTC).timestamp())
    assert transitions("America/Chicago", start, end) == (
        int(datetime(2026, 3, 8, 8, tzinfo=UTC).timestamp()),
        int(datetime(2026, 11, 1, 7, tzinfo=UTC).timestamp()),
    )
    assert transitions("Asia/Tokyo", start, end) == ()
