"""Window expansion: cron fires in the campaign's zone, each window `duration` minutes of local wall clock."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from campaigns.scheduling import InvalidSchedule, ScheduleSpec, Window, clear_expansion_caches, expand_windows

# (zone, spring-forward day, fall-back day, a wall time inside the gap, where the gap ends, a repeated time)
DST_ZONES = [
    ("America/Chicago", date(2026, 3, 8), date(2026, 11, 1), time(2, 30), time(3, 0), time(1, 30)),
    ("Europe/London", date(2026, 3, 29), date(2026, 10, 25), time(1, 30), time(2, 0), time(1, 30)),
    ("Australia/Sydney", date(2026, 10, 4), date(2026, 4, 5), time(2, 30), time(3, 0), time(2, 30)),
    ("America/St_Johns", date(2026, 3, 8), date(2026, 11, 1), time(2, 30), time(3, 0), time(1, 30)),
]
ZONE_IDS = [zone for zone, *_ in DST_ZONES]


def local_day(zone: str, day: date, days: int = 1) -> tuple[datetime, datetime]:
    tz = ZoneInfo(zone)
    start = datetime.combine(day, time(), tzinfo=tz)
    return start.astimezone(UTC), (start + timedelta(days=days)).astimezone(UTC)


def expand(cron: str, zone: str, duration: int, day: date, days: int = 1, **period) -> list[Window]:
    return expand_windows(ScheduleSpec(cron, zone, duration, **period), *local_day(zone, day, days))


def test_a_window_opens_at_the_fire_and_lasts_the_duration():
    [window] = expand("0 9 * * *", "America/Chicago", 480, date(2026, 1, 15))
    assert window.start == datetime(2026, 1, 15, 15, tzinfo=UTC)
    assert window.end == datetime(2026, 1, 15, 23, tzinfo=UTC)
    assert window.local_start == datetime(2026, 1, 15, 9, tzinfo=ZoneInfo("America/Chicago"))
    assert window.local_end.hour == 17
    assert window.duration == timedelta(hours=8)


def test_every_instant_is_utc_and_local_values_carry_the_zone():
    [window] = expand("0 9 * * *", "US/Central", 60, date(2026, 1, 15))
    assert window.start.utcoffset() == timedelta(0)
    assert window.local_start.utcoffset() == timedelta(hours=-6)
    assert window.to_dict() == {
        "start": "2026-01-15T15:00:00Z",
        "end": "2026-01-15T16:00:00Z",
        "local_start": "2026-01-15T09:00:00-06:00",
        "local_end": "2026-01-15T10:00:00-06:00",
    }


@pytest.mark.parametrize(("zone", "spring", "fall", "gap", "gap_end", "repeated"), DST_ZONES, ids=ZONE_IDS)
def test_a_nine_to_five_window_keeps_its_wall_clock_on_both_transition_days(
    zone, spring, fall, gap, gap_end, repeated
):
    for day in (spring, fall):
        before, on_the_day = expand("0 9 * * *", zone, 480, day - timedelta(days=1), days=2)
        for window in (before, on_the_day):
            assert (window.local_start.time(), window.local_end.time()) == (time(9), time(17))
            assert window.duration == timedelta(hours=8)
        # The UTC start moves by the size of the change (an hour in all of these zones).
        expected_gap = timedelta(hours=23) if day == spring else timedelta(hours=25)
        assert on_the_day.start - before.start == expected_gap


@pytest.mark.parametrize(("zone", "spring", "fall", "gap", "gap_end", "repeated"), DST_ZONES, ids=ZONE_IDS)
def test_a_window_across_the_change_ends_at_its_wall_clock_time_and_is_shorter_or_longer(
    zone, spring, fall, gap, gap_end, repeated
):
    [short] = expand("0 0 * * *", zone, 480, spring)
    [long] = expand("0 0 * * *", zone, 480, fall)
    assert short.local_end.time() == time(8) and short.duration == timedelta(hours=7)
    assert long.local_end.time() == time(8) and long.duration == timedelta(hours=9)


@pytest.mark.parametrize(("zone", "spring", "fall", "gap", "gap_end", "repeated"), DST_ZONES, ids=ZONE_IDS)
def test_a_fire_time_in_the_gap_fires_at_the_first_instant_after_it(
    zone, spring, fall, gap, gap_end, repeated
):
    cron = f"{gap.minute} {gap.hour} * * *"
    windows = expand(cron, zone, 60, spring - timedelta(days=1), days=3)
    assert [w.local_start.time() for w in windows] == [gap, gap_end, gap]
    shifted = windows[1]
    assert shifted.local_start.date() == spring
    assert shifted.local_end.time() == (datetime.combine(spring, gap_end) + timedelta(minutes=60)).time()


@pytest.mark.parametrize(("zone", "spring", "fall", "gap", "gap_end", "repeated"), DST_ZONES, ids=ZONE_IDS)
def test_an_ambiguous_fire_time_fires_once_at_its_first_occurrence(
    zone, spring, fall, gap, gap_end, repeated
):
    cron = f"{repeated.minute} {repeated.hour} * * *"
    windows = expand(cron, zone, 30, fall)
    assert len(windows) == 1
    [window] = windows
    tz = ZoneInfo(zone)
    first = datetime.combine(fall, repeated, tzinfo=tz).replace(fold=0)
    second = first.replace(fold=1)
    assert first.utcoffset() != second.utcoffset()  # it really is ambiguous
    assert window.start == first.astimezone(UTC)
    assert window.local_start.utcoffset() == first.utcoffset()


def test_a_zone_without_dst_keeps_the_same_utc_time_all_year():
    windows = expand("0 9 * * *", "Asia/Tokyo", 480, date(2026, 1, 1), days=365)
    assert len(windows) == 365
    assert {w.start.time() for w in windows} == {time(0)}
    assert {w.duration for w in windows} == {timedelta(hours=8)}


def test_a_window_may_cross_midnight():
    [window] = expand("0 22 * * *", "America/Chicago", 240, date(2026, 1, 15))
    assert window.local_start == datetime(2026, 1, 15, 22, tzinfo=ZoneInfo("America/Chicago"))
    assert window.local_end == datetime(2026, 1, 16, 2, tzinfo=ZoneInfo("America/Chicago"))


def test_a_full_day_window_reaches_the_same_wall_time_next_day():
    [window] = expand("0 9 * * *", "Europe/London", 1440, date(2026, 3, 28))
    assert window.local_end == datetime(2026, 3, 29, 9, tzinfo=ZoneInfo("Europe/London"))
    assert window.duration == timedelta(hours=23)


def test_windows_are_those_whose_start_falls_in_the_half_open_horizon():
    spec = ScheduleSpec("0 9 * * *", "UTC", 60)
    nine = datetime(2026, 5, 4, 9, tzinfo=UTC)
    assert [w.start for w in expand_windows(spec, nine, nine + timedelta(days=1))] == [nine]
    assert [w.start for w in expand_windows(spec, nine - timedelta(days=1), nine)] == [
        nine - timedelta(days=1)
    ]
    assert expand_windows(spec, nine + timedelta(seconds=1), nine + timedelta(hours=23)) == []


def test_windows_must_also_start_inside_the_effective_period():
    nine = datetime(2026, 5, 4, 9, tzinfo=UTC)
    horizon = (nine - timedelta(days=3), nine + timedelta(days=3))

    def starts(**period):
        return [w.start for w in expand_windows(ScheduleSpec("0 9 * * *", "UTC", 60, **period), *horizon)]

    assert starts(effective_start=nine, effective_end=nine + timedelta(days=1)) == [nine]
    assert starts(effective_start=nine + timedelta(seconds=1), effective_end=nine + timedelta(days=1)) == []
    assert starts(effective_start=nine - timedelta(days=1), effective_end=nine) == [nine - timedelta(days=1)]
    assert starts(effective_end=nine) == [
        nine - timedelta(days=3),
        nine - timedelta(days=2),
        nine - timedelta(days=1),
    ]
    # A window that starts inside the period is kept whole even when it runs past the period's end.
    [kept] = expand_windows(
        ScheduleSpec("0 9 * * *", "UTC", 600, effective_end=nine + timedelta(hours=1)),
        nine,
        nine + timedelta(days=1),
    )
    assert kept.end == nine + timedelta(hours=10)


def test_weekday_crons_skip_weekends():
    windows = expand("0 9 * * 1-5", "America/New_York", 60, date(2026, 3, 2), days=7)
    assert [w.local_start.strftime("%a") for w in windows] == ["Mon", "Tue", "Wed", "Thu", "Fri"]


def test_wildcard_hour_crons_fire_once_in_the_fall_back_hour_at_its_first_occurrence():
    # cronsim walks wildcard-hour expressions on real time and would open 01:30 twice (CDT, then CST).
    windows = expand("30 * * * *", "America/Chicago", 15, date(2026, 11, 1))
    first_hours = [w.local_start.strftime("%H:%M%z") for w in windows[:4]]
    assert first_hours == ["00:30-0500", "01:30-0500", "02:30-0600", "03:30-0600"]
    assert len(windows) == 24


@pytest.mark.parametrize(("zone", "spring", "fall", "gap", "gap_end", "repeated"), DST_ZONES, ids=ZONE_IDS)
def test_a_minute_step_cron_in_the_repeated_hour_opens_each_wall_time_once(
    zone, spring, fall, gap, gap_end, repeated
):
    windows = expand(f"*/30 {repeated.hour} * * *", zone, 15, fall)
    starts = [w.local_start.replace(tzinfo=None) for w in windows]
    assert starts == [datetime.combine(fall, time(repeated.hour, minute)) for minute in (0, 30)]
    first_offset = datetime.combine(fall, repeated, tzinfo=ZoneInfo(zone)).utcoffset()
    assert {w.local_start.utcoffset() for w in windows} == {first_offset}


def test_expanding_an_invalid_schedule_raises_with_the_field_errors():
    with pytest.raises(InvalidSchedule) as caught:
        expand_windows(
            ScheduleSpec("0 9 * *", "UTC", 60),
            datetime(2026, 1, 1, tzinfo=UTC),
            datetime(2026, 1, 2, tzinfo=UTC),
        )
    assert [e.field for e in caught.value.errors] == ["cron_expression"]


@pytest.mark.parametrize(
    ("cron", "zone", "day", "opens", "closes"),
    [
        ("*/30 2 * * *", "America/Chicago", date(2026, 3, 8), "03:00-0500", "04:00-0500"),
        ("0,30 2 * * *", "America/Chicago", date(2026, 3, 8), "03:00-0500", "04:00-0500"),
        ("*/15 2 8 3 *", "America/Chicago", date(2026, 3, 8), "03:00-0500", "04:00-0500"),
        ("30 2 * * *", "America/Chicago", date(2026, 3, 8), "03:00-0500", "04:00-0500"),
        ("0 2 * * *", "Australia/Lord_Howe", date(2026, 10, 4), "02:30+1100", "03:30+1100"),
        ("*/30 0 * * *", "America/Havana", date(2026, 3, 8), "01:00-0400", "02:00-0400"),
        ("*/30 0 * * *", "America/Santiago", date(2026, 9, 6), "01:00-0300", "02:00-0300"),
    ],
)
def test_gap_fire_times_open_one_window_at_the_first_instant_after_the_gap(cron, zone, day, opens, closes):
    [window] = expand(cron, zone, 60, day)
    assert window.local_start.strftime("%H:%M%z") == opens
    assert window.local_end.strftime("%H:%M%z") == closes  # duration on the wall clock from the real start
    assert window.duration == timedelta(hours=1)


def test_a_half_hour_change_keeps_the_step_fires_after_the_gap():
    windows = expand("*/15 2 * * *", "Australia/Lord_Howe", 15, date(2026, 10, 4))
    assert [w.local_start.strftime("%H:%M%z") for w in windows] == ["02:30+1100", "02:45+1100"]


def test_a_wildcard_cron_opens_one_window_where_the_gap_times_and_the_gap_end_meet():
    windows = expand("*/30 * * * *", "America/Chicago", 30, date(2026, 3, 8))
    starts = [w.local_start.strftime("%H:%M%z") for w in windows[:6]]
    assert starts == ["00:00-0600", "00:30-0600", "01:00-0600", "01:30-0600", "03:00-0500", "03:30-0500"]
    assert len({w.start for w in windows}) == len(windows) == 46


def test_a_long_period_expands_to_the_same_windows_without_filling_the_shared_caches():
    from campaigns.scheduling.fires import fire_instants, local_days
    from campaigns.scheduling.windows import window_instants

    spec = ScheduleSpec("0 10 * * 1-5", "America/New_York", 300)
    start, end = datetime(2026, 12, 1, tzinfo=UTC), datetime(2027, 12, 1, tzinfo=UTC)
    clear_expansion_caches()
    year = expand_windows(spec, start, end, long_period=True)
    assert (window_instants.cache_info().currsize, fire_instants.cache_info().currsize) == (0, 0)
    assert local_days.cache_info().currsize == 0
    assert year == expand_windows(spec, start, end)
    assert len(year) == 261 and year[0].local_start.hour == 10 and year[-1].local_start.hour == 10
