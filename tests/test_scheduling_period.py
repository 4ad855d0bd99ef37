"""A whole period by local day: the same windows as the engine's expansion, window by window, and the same DST
notes, calling-hours findings, counts and first windows, however the cron, zone, duration and period fall."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from campaigns.scheduling import (
    CutShort,
    Deadline,
    Period,
    ScheduleSpec,
    check_compliance,
    check_period_compliance,
    dst_findings,
    expand_windows,
)

ZONES = [
    "America/New_York",
    "America/Phoenix",
    "America/St_Johns",  # half-hour offset
    "America/Winnipeg",
    "Australia/Lord_Howe",  # a 30-minute DST change
    "Europe/London",
    "America/Havana",  # changes at midnight
    "Pacific/Chatham",
    "America/Santiago",  # falls back from 00:00 to 23:00 the day before
]
CRONS = [
    "* * * * *",
    "*/7 0-3,20-23 * * *",
    "30 2 * * *",
    "0 0 * * 0",
    "15 23 * * 1-5",
    "0 1,2,3 13 * *",
    "59 1 * 3,11 *",
    "0 */5 * * 6",
    "0 7,8,20,21 * * *",
    "30 8 * * 1-6",
]
BREAKDOWNS = [
    None,
    [
        {"state": "MB", "timezones": ["America/Winnipeg"], "count": 300},
        {"state": "AZ", "timezones": ["America/Phoenix"], "count": 232},
    ],
    [
        {"state": "FL", "timezones": ["America/New_York", "America/Chicago"], "count": 5},
        {"state": "NL", "timezones": ["America/St_Johns"], "count": 2},
        {"state": "TX", "timezones": ["Not/AZone"], "count": 1},
    ],
]
DURATIONS = [1, 30, 59, 60, 61, 120, 600, 1440]


@st.composite
def schedules(draw, max_days: int = 90):
    zone = draw(st.sampled_from(ZONES))
    start = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(seconds=draw(st.integers(0, 400 * 86400)))
    end = start + timedelta(seconds=draw(st.integers(0, max_days * 86400)))
    effective_start = draw(st.one_of(st.none(), st.just(start + timedelta(days=3, minutes=7))))
    latest_start = effective_start or start
    effective_end = draw(
        st.one_of(st.none(), st.just(max(end - timedelta(days=2, seconds=30), latest_start + timedelta(days=1))))
    )
    spec = ScheduleSpec(
        draw(st.sampled_from(CRONS)), zone, draw(st.sampled_from(DURATIONS)), effective_start, effective_end
    )
    return spec, start, end


def every_window(spec, start, end):
    return expand_windows(spec, start, end, long_period=True)


@settings(max_examples=120, deadline=None)
@given(schedules(max_days=200))
def test_a_period_holds_exactly_the_windows_of_the_expansion(schedule):
    spec, start, end = schedule
    period = Period(spec, start, end)
    windows = every_window(spec, start, end)

    assert [window for day in period.days for window in period.windows_of(day)] == windows
    assert len(period) == len(windows) and period.first == (windows[0] if windows else None)
    assert period.first_windows(8) == windows[:8]
    middle = start + (end - start) / 3
    assert period.count_before(middle) == sum(1 for window in windows if window.start < middle)
    # A frequency limit from a date on: the first window whose local start is on or after it, and how many are.
    from_day = middle.astimezone(period.zone).date()
    later = [window for window in windows if window.local_start.date() >= from_day]
    assert period.from_day(from_day) == ((later[0] if later else None), len(later))


@settings(max_examples=60, deadline=None)
@given(schedules(max_days=200))
def test_the_dst_notes_come_from_the_windows_near_a_transition_alone(schedule):
    spec, start, end = schedule
    assert dst_findings(spec, Period(spec, start, end).near_transitions()) == dst_findings(
        spec, every_window(spec, start, end)
    )


@settings(max_examples=60, deadline=None)
@given(schedules(max_days=120), st.sampled_from(BREAKDOWNS))
def test_calling_hours_day_by_day_find_what_the_window_by_window_check_finds(schedule, breakdown):
    spec, start, end = schedule
    given_zones = dict(
        campaign_zone=spec.timezone, contact_zones=None if breakdown else [spec.timezone], breakdown=breakdown
    )
    by_day = check_period_compliance(Period(spec, start, end), **given_zones)
    by_window = check_compliance(every_window(spec, start, end), **given_zones)

    # The same verdicts, messages, first offending windows, counts of windows and contacts.
    assert by_day.findings == by_window.findings


def test_every_minute_for_a_year_is_a_few_hundred_days_not_half_a_million_windows():
    spec = ScheduleSpec("* * * * *", "America/New_York", 1)
    period = Period(spec, datetime(2027, 1, 1, 5, tzinfo=UTC), datetime(2028, 1, 1, 5, tzinfo=UTC))

    assert len(period.days) == 365
    assert sum(1 for day in period.days if not day.plain) == 2  # the days the clocks change
    assert len(period) == 365 * 1440 - 60  # the hour the clocks skip (its 60 wall times open one window)


def test_a_frequency_limit_counts_the_windows_from_its_first_day():
    spec = ScheduleSpec("0 9 * * *", "America/New_York", 60)
    period = Period(spec, datetime(2027, 1, 1, 5, tzinfo=UTC), datetime(2027, 2, 1, 5, tzinfo=UTC))

    first, count = period.from_day(date(2027, 1, 20))
    assert f"{first.local_start:%Y-%m-%d %H:%M}" == "2027-01-20 09:00" and count == 12


def test_a_deadline_passed_stops_the_calling_hours_check():
    spec = ScheduleSpec("* * * * *", "America/New_York", 1)
    period = Period(spec, datetime(2027, 1, 1, 5, tzinfo=UTC), datetime(2028, 1, 1, 5, tzinfo=UTC))
    try:
        check_period_compliance(period, campaign_zone="America/New_York", deadline=Deadline(0))
    except CutShort as cut:
        assert cut.part == "calling hours"
    else:
        raise AssertionError("a check past its deadline must not answer")
