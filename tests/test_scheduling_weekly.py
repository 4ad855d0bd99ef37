"""A cron schedule as a Personal Connection skill's week: what fits, what is refused and what is proposed."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from campaigns.scheduling import ScheduleSpec, expand_windows
from campaigns.scheduling.weekly import DayWindow, WeeklySchedule, fit_weekly

YEAR_START = datetime(2026, 1, 1, tzinfo=UTC)
YEAR_END = datetime(2027, 1, 1, tzinfo=UTC)
ZONES = ("America/New_York", "America/Chicago", "America/Phoenix", "Europe/London", "Australia/Lord_Howe",
         "Asia/Kolkata", "America/St_Johns", "Pacific/Auckland")  # fmt: skip


def test_a_weekday_window_fits_as_one_start_and_end_per_weekday():
    fit = fit_weekly("0 9 * * 1-5", 480)
    assert fit.fits
    assert fit.schedule.days == (None, *[DayWindow(540, 1020)] * 5, None)
    assert fit.schedule.describe() == "Weekdays 09:00–17:00"


def test_it_refuses_two_windows_a_day_and_proposes_the_span_of_both():
    fit = fit_weekly("0 9,14 * * 1-5", 180)
    assert not fit.fits
    assert "2 windows a day (09:00, 14:00)" in fit.reasons[0]
    assert fit.nearest.describe() == "Weekdays 09:00–17:00"
    assert "Weekdays 09:00–17:00" in fit.message()
    assert "0 9 * * 1-5" in fit.message()


def test_it_refuses_a_step_and_says_the_step_repeats_it():
    fit = fit_weekly("*/30 9-11 * * *", 20)
    assert not fit.fits
    assert "a step repeats it within the day" in fit.reasons[0]
    assert fit.nearest.describe() == "Every day 09:00–11:50"


def test_it_refuses_dates_and_proposes_every_day_they_can_fall_on():
    fit = fit_weekly("0 9 1,15 * *", 60)
    assert not fit.fits
    assert "dates of the month (1,15)" in fit.reasons[0]
    assert fit.nearest.describe() == "Every day 09:00–10:00"


def test_dates_or_weekdays_propose_the_named_weekdays():
    fit = fit_weekly("0 9 1 * 1-5", 60)  # cron: the 1st OR a weekday
    assert not fit.fits
    assert fit.nearest.active_days == {1, 2, 3, 4, 5}


def test_it_refuses_months():
    fit = fit_weekly("0 9 * 1-3 1-5", 60)
    assert not fit.fits
    assert "only in some months (Jan–Mar)" in fit.reasons[0]
    assert fit.nearest.describe() == "Weekdays 09:00–10:00"


def test_it_refuses_a_window_across_midnight_and_cuts_it_at_the_end_of_the_day():
    fit = fit_weekly("0 20 * * *", 360)
    assert not fit.fits
    assert "past midnight (20:00 + 6 h ends 02:00 next day)" in fit.reasons[0]
    assert fit.nearest.describe() == "Every day 20:00–23:59"


def test_every_reason_is_given_at_once():
    fit = fit_weekly("0 9,21 1 1 *", 240)
    assert len(fit.reasons) == 4  # two windows, dates, months, past midnight


def test_an_invalid_cron_is_refused_without_a_proposal():
    fit = fit_weekly("0 25 * * *", 60)
    assert not fit.fits and fit.nearest is None
    assert "hour: 25 is outside 0-23" in fit.reasons[0]


def test_a_week_with_different_days_becomes_one_cron_per_window():
    week = WeeklySchedule(
        (None, DayWindow(540, 1020), DayWindow(540, 1020), None, None, DayWindow(600, 660), None)
    )
    assert week.as_cron() == [("0 9 * * 1-2", 480), ("0 10 * * 5", 60)]
    assert week.describe() == "Mon, Tue 09:00–17:00, Fri 10:00–11:00"


def test_schedule_settings_round_trip_in_either_time_format():
    week = fit_weekly("30 8 * * 1-5", 510).schedule
    for time_format in ("%H:%M", "%H:%M:%S"):
        settings_ = week.to_settings(time_format)
        assert settings_["mondayStartTime"] in ("08:30", "08:30:00")
        assert settings_["sundayIsActive"] is False
        assert WeeklySchedule.from_settings(settings_) == week


def test_schedule_settings_read_iso_and_twelve_hour_times():
    settings_ = WeeklySchedule.uniform({1}, DayWindow(540, 1020)).to_settings()
    settings_["mondayStartTime"] = "1900-01-01T09:00:00"
    settings_["mondayEndTime"] = "5:00 PM"
    assert WeeklySchedule.from_settings(settings_).days[1] == DayWindow(540, 1020)


def test_schedule_settings_that_are_not_scheduled_read_as_none_and_bad_times_name_the_field():
    assert WeeklySchedule.from_settings({"isScheduled": False}) is None
    with pytest.raises(ValueError, match="mondayStartTime"):
        WeeklySchedule.from_settings({"isScheduled": True, "mondayIsActive": True, "mondayStartTime": "nine"})


def _windows(cron: str, duration: int, zone: str) -> list[tuple[datetime, datetime]]:
    spec = ScheduleSpec(cron, zone, duration)
    return [(w.start, w.end) for w in expand_windows(spec, YEAR_START, YEAR_END, long_period=True)]


day_sets = st.sets(st.integers(0, 6), min_size=1)


@st.composite
def accepted_crons(draw):
    start = draw(st.integers(0, 23 * 60 + 58))
    duration = draw(st.integers(1, 23 * 60 + 59 - start))
    days = draw(day_sets)
    ordered = sorted(days)
    spelled = draw(
        st.sampled_from(
            [
                ",".join(map(str, ordered)),
                ",".join(("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT")[d] for d in ordered),
                "*" if len(days) == 7 else ",".join(map(str, ordered)),
                ",".join("7" if d == 0 else str(d) for d in ordered),
            ]
        )
    )
    return f"{start % 60} {start // 60} * * {spelled}", duration


@settings(max_examples=40, deadline=None)
@given(accepted_crons(), st.sampled_from(ZONES))
def test_every_accepted_cron_round_trips_to_the_same_windows_over_a_year(cron_and_duration, zone):
    cron, duration = cron_and_duration
    fit = fit_weekly(cron, duration)
    assert fit.fits, fit.reasons
    again = WeeklySchedule.from_settings(fit.schedule.to_settings())
    assert again == fit.schedule
    round_trip = sorted(w for c, d in again.as_cron() for w in _windows(c, d, zone))
    assert round_trip == _windows(cron, duration, zone)


@st.composite
def refused_crons(draw):
    hours = sorted(draw(st.sets(st.integers(0, 23), min_size=1, max_size=3)))
    minutes = sorted(draw(st.sets(st.integers(0, 59), min_size=1, max_size=2)))
    duration = draw(st.integers(1, 600))
    if len(hours) * len(minutes) == 1 and hours[0] * 60 + minutes[0] + duration <= 23 * 60 + 59:
        duration = 24 * 60 - hours[0] * 60 - minutes[0]  # one window a day: make it run past midnight
    days = sorted(draw(day_sets))
    return (
        f"{','.join(map(str, minutes))} {','.join(map(str, hours))} * * {','.join(map(str, days))}",
        duration,
    )


def _clocks_change_on(day, zone: str) -> bool:
    tz = ZoneInfo(zone)
    first = datetime.combine(day, datetime.min.time(), tz)
    return first.utcoffset() != datetime.combine(day, datetime.max.time(), tz).utcoffset()


@settings(max_examples=40, deadline=None)
@given(refused_crons(), st.sampled_from(ZONES))
def test_the_nearest_schedule_covers_every_window_of_a_refused_one_up_to_midnight(cron_and_duration, zone):
    cron, duration = cron_and_duration
    fit = fit_weekly(cron, duration)
    assert not fit.fits
    wider = datetime(2025, 12, 30, tzinfo=UTC)
    nearest = {
        w.local_start.date(): w
        for c, d in fit.nearest.as_cron()
        for w in expand_windows(ScheduleSpec(c, zone, d), wider, YEAR_END, long_period=True)
    }
    for window in expand_windows(ScheduleSpec(cron, zone, duration), YEAR_START, YEAR_END, long_period=True):
        day = window.local_start.date()
        if _clocks_change_on(day, zone):
            continue  # a wall time in the gap fires at the first instant after it: compared on the other days
        cover = nearest[day]  # the same local day dials under the nearest schedule
        end_of_day = datetime.combine(day, datetime.min.time()).replace(hour=23, minute=59)
        assert cover.local_start.replace(tzinfo=None) <= window.local_start.replace(tzinfo=None)
        assert min(window.local_end.replace(tzinfo=None), end_of_day) <= cover.local_end.replace(tzinfo=None)
