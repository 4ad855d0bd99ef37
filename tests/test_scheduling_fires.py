"""Fast fire times agree with cronsim and with a minute-by-minute walk of the wall clock, on every kind of DST
day: a wall time in a spring-forward gap fires at the first instant after the gap, a repeated one once, at its
first occurrence, and wall times that land on the same instant fire once."""

from datetime import UTC, date, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import pytest
from cronsim import CronSim
from hypothesis import given, settings
from hypothesis import strategies as st

from campaigns.scheduling.cron import iter_fires
from campaigns.scheduling.fires import fire_instants, transitions


def uses_wall_clock_walk(expression: str) -> bool:
    """True when cronsim evaluates the expression on the local wall clock (fixed minute and hour)."""
    minute, hour, *_ = expression.split()
    return not minute.startswith("*") and not hour.startswith("*")


def cronsim_fires(expression: str, zone: str, start_ts: int, end_ts: int) -> list[int]:
    """cronsim's own fires in [start_ts, end_ts) (second occurrences included; for wildcard expressions,
    the wall times of a gap skipped)."""
    fires = []
    for fire in iter_fires(expression, datetime.fromtimestamp(start_ts - 1, ZoneInfo(zone))):
        ts = int(fire.timestamp())
        if ts >= end_ts:
            break
        if ts >= start_ts:
            fires.append(ts)
    return fires


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
    # cronsim walks the wall clock for fixed times (Debian cron): gap → after the gap, repeated → first one.
    expression = f"{minute} {hour} {days}"
    assert uses_wall_clock_walk(expression)
    assert list(fire_instants(expression, zone, *horizon)) == cronsim_fires(expression, zone, *horizon)


def test_away_from_clock_changes_a_wildcard_hour_cron_fires_as_cronsim_says():
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


def fires_on(expression: str, zone: str, day: date, days: int = 1) -> list[str]:
    tz = ZoneInfo(zone)
    start = datetime.combine(day, datetime.min.time(), tzinfo=tz)
    # A midnight inside a gap (Havana, Santiago) reads the offset before it: the day's first instant.
    start_ts = int(start.timestamp())
    end_ts = int((start + timedelta(days=days)).timestamp())
    return [
        datetime.fromtimestamp(ts, tz).isoformat() for ts in fire_instants(expression, zone, start_ts, end_ts)
    ]


@pytest.mark.parametrize(
    ("expression", "zone", "day", "expected"),
    [
        # 02:00 and 02:30 do not exist in Chicago on 2026-03-08: both fire once, when the clocks reach 03:00 CDT.
        ("*/30 2 * * *", "America/Chicago", date(2026, 3, 8), ["2026-03-08T03:00:00-05:00"]),
        ("0,30 2 * * *", "America/Chicago", date(2026, 3, 8), ["2026-03-08T03:00:00-05:00"]),
        ("*/15 2 8 3 *", "America/Chicago", date(2026, 3, 8), ["2026-03-08T03:00:00-05:00"]),
        ("30 2 * * *", "America/Chicago", date(2026, 3, 8), ["2026-03-08T03:00:00-05:00"]),
        ("0 2-3 * * *", "America/Chicago", date(2026, 3, 8), ["2026-03-08T03:00:00-05:00"]),
        # 03:00 is a fire of its own as well as the first instant after the gap: still one fire.
        (
            "*/30 1-3 * * *",
            "America/Chicago",
            date(2026, 3, 8),
            [
                "2026-03-08T01:00:00-06:00",
                "2026-03-08T01:30:00-06:00",
                "2026-03-08T03:00:00-05:00",
                "2026-03-08T03:30:00-05:00",
            ],
        ),
        # Lord Howe moves its clocks by 30 minutes (02:00 → 02:30): 02:00 and 02:15 fire at 02:30, with 02:30.
        (
            "*/15 2 * * *",
            "Australia/Lord_Howe",
            date(2026, 10, 4),
            ["2026-10-04T02:30:00+11:00", "2026-10-04T02:45:00+11:00"],
        ),
        ("0 2 * * *", "Australia/Lord_Howe", date(2026, 10, 4), ["2026-10-04T02:30:00+11:00"]),
        # Havana and Santiago jump from 00:00 to 01:00: the day's midnight hour fires at 01:00.
        ("*/30 0 * * *", "America/Havana", date(2026, 3, 8), ["2026-03-08T01:00:00-04:00"]),
        (
            "*/20 0-1 * * *",
            "America/Havana",
            date(2026, 3, 8),
            [
                "2026-03-08T01:00:00-04:00",
                "2026-03-08T01:20:00-04:00",
                "2026-03-08T01:40:00-04:00",
            ],
        ),
        ("*/30 0 * * *", "America/Santiago", date(2026, 9, 6), ["2026-09-06T01:00:00-03:00"]),
        # Troll jumps two hours (01:00 → 03:00): 01:00 and 02:00 fire once, at 03:00.
        (
            "0 */1 * * *",
            "Antarctica/Troll",
            date(2026, 3, 29),
            [
                f"2026-03-29T{hour:02d}:00:00{'+00:00' if hour == 0 else '+02:00'}"
                for hour in [0, *range(3, 24)]
            ],
        ),
    ],
)
def test_gap_wall_times_fire_once_at_the_first_instant_after_the_gap_on_every_path(
    expression, zone, day, expected
):
    assert fires_on(expression, zone, day) == expected


def test_a_step_minute_cron_fires_after_the_gap_on_the_spring_day_and_as_usual_around_it():
    assert fires_on("*/30 2 * * *", "America/Chicago", date(2026, 3, 7), days=3) == [
        "2026-03-07T02:00:00-06:00",
        "2026-03-07T02:30:00-06:00",
        "2026-03-08T03:00:00-05:00",
        "2026-03-09T02:00:00-05:00",
        "2026-03-09T02:30:00-05:00",
    ]


def test_a_cron_that_matches_only_gap_times_fires_once_a_year():
    start = int(datetime(2026, 1, 1, tzinfo=UTC).timestamp())
    end = int(datetime(2027, 1, 1, tzinfo=UTC).timestamp())
    assert fire_instants("*/15 2 8 3 *", "America/Chicago", start, end) == (
        int(datetime(2026, 3, 8, 8, tzinfo=UTC).timestamp()),
    )
    # The second Sunday of March at 02:xx never exists in Chicago: cronsim alone would never fire it.
    assert cronsim_fires("*/15 2 * 3 0#2", "America/Chicago", start, end) == []
    assert fire_instants("*/15 2 * 3 0#2", "America/Chicago", start, end) == (
        int(datetime(2026, 3, 8, 8, tzinfo=UTC).timestamp()),
    )


def test_wall_times_after_a_half_hour_fall_back_fire_once_though_cronsim_skips_them():
    # Lord Howe goes back from 02:00 (+11) to 01:30 (+10:30) on 2025-04-06: 02:00-02:29 then exist once, after
    # the repeated half hour; cronsim, stepping whole real hours from 01:00 (+11), jumps from 01:30 to 02:30.
    zone = "Australia/Lord_Howe"
    mark = int(datetime(2025, 4, 5, 15, tzinfo=UTC).timestamp())  # 02:00 +11 → 01:30 +10:30
    two = mark + 1800  # 02:00 +10:30
    assert cronsim_fires("* */2 * * *", zone, mark, two + 60) == []
    assert fire_instants("* */2 * * *", zone, mark, two + 120) == (two, two + 60)
    assert fire_instants("* */2 * * *", zone, mark - 60, mark + 1) == ()  # 01:59 +11 is hour 1


def test_a_gap_fire_is_counted_only_inside_the_half_open_range():
    mark = int(datetime(2026, 3, 8, 8, tzinfo=UTC).timestamp())  # 03:00 CDT, the end of the gap
    assert fire_instants("*/30 2 * * *", "America/Chicago", mark, mark + 60) == (mark,)
    assert fire_instants("*/30 2 * * *", "America/Chicago", mark - 3600, mark) == ()
    next_day = (mark + 86400 - 3600, mark + 86400 - 1800)  # 02:00 and 02:30 CDT exist on 2026-03-09
    assert fire_instants("*/30 2 * * *", "America/Chicago", mark + 1, mark + 86400) == next_day


# The reference: walk every minute of every local day, map each matching wall time to the first instant whose
# wall clock reads at or after it (a gap time → the transition instant; a repeated one → its first occurrence),
# and keep each instant once.


def reference_instant(wall: datetime, tz: ZoneInfo) -> int:
    readings = sorted({int(wall.replace(tzinfo=tz, fold=fold).timestamp()) for fold in (0, 1)})
    for ts in readings:
        if datetime.fromtimestamp(ts, tz).replace(tzinfo=None) == wall:
            return ts  # the wall time exists; the earlier reading is its first occurrence
    ts = readings[0]  # in a gap: the earlier reading lies before the jump; walk to the first minute past it
    while datetime.fromtimestamp(ts, tz).replace(tzinfo=None) < wall:
        ts += 60
    return ts


def reference_fires(expression: str, zone: str, start_ts: int, end_ts: int) -> list[int]:
    tz = ZoneInfo(zone)
    sim = CronSim(expression, datetime(2000, 1, 1))
    day = datetime.fromtimestamp(start_ts, tz).date() - timedelta(days=1)
    last = datetime.fromtimestamp(end_ts, tz).date() + timedelta(days=1)
    found = set()
    while day <= last:
        if day.month in sim.months and sim.match_day(day):
            midnight = datetime(day.year, day.month, day.day)
            for minute_of_day in range(24 * 60):
                hour, minute = divmod(minute_of_day, 60)
                if hour in sim.hours and minute in sim.minutes:
                    ts = reference_instant(midnight + timedelta(minutes=minute_of_day), tz)
                    if start_ts <= ts < end_ts:
                        found.add(ts)
        day += timedelta(days=1)
    return sorted(found)


REFERENCE_ZONES = [
    *ZONES,
    "Antarctica/Troll",  # a two-hour change
    "Pacific/Chatham",  # a 45-minute offset, changing at 02:45
    "Africa/Casablanca",  # changes back and forth around Ramadan
]
STEP_MINUTES = st.sampled_from(
    ["*", "*/5", "*/15", "*/20", "*/30", "*/45", "10-50/20", "0,30", "15,45", "0", "30"]
)
STEP_HOURS = st.sampled_from(["*", "*/2", "*/3", "*/5", "0-4/2", "0,1", "1-3", "2", "0", "23", "1,2,3"])
REFERENCE_DAYS = st.sampled_from(
    ["* * *", "* * 0", "* * 1-6", "8 3 *", "* 3,4,9,10,11 *", "L * *", "1-7 * 0"]
)


@cache
def zone_transitions(zone: str) -> tuple[int, ...]:
    start = int(datetime(2025, 1, 1, tzinfo=UTC).timestamp())
    end = int(datetime(2027, 12, 31, tzinfo=UTC).timestamp())
    return transitions(zone, start, end) or (int(datetime(2026, 3, 8, tzinfo=UTC).timestamp()),)


@st.composite
def around_transitions(draw):
    zone = draw(st.sampled_from(REFERENCE_ZONES))
    mark = draw(st.sampled_from(zone_transitions(zone)))
    start = mark + draw(st.integers(-36 * 3600, 6 * 3600))
    return zone, start, start + draw(st.integers(60, 60 * 3600))


@st.composite
def crons_with_a_step_or_wildcard(draw):
    minute, hour = draw(STEP_MINUTES), draw(STEP_HOURS)
    # Mostly a wildcard or step minute or hour (cronsim walks those on real time), sometimes fixed times.
    if not (minute.startswith("*") or hour.startswith("*")) and draw(st.booleans()):
        minute = "*/" + draw(st.sampled_from(["10", "30"]))
    return f"{minute} {hour} {draw(REFERENCE_DAYS)}"


@settings(max_examples=200, deadline=None)
@given(expression=crons_with_a_step_or_wildcard(), where=around_transitions())
def test_fire_instants_agree_with_a_minute_by_minute_walk_of_the_wall_clock(expression, where):
    zone, start_ts, end_ts = where
    assert list(fire_instants(expression, zone, start_ts, end_ts)) == reference_fires(
        expression, zone, start_ts, end_ts
    )
