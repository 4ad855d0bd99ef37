"""The off intervals of a partial week the product holds: from the close of the last window before the days off to
the opening of the next calling day's window, with the first off-day window the stop guards."""

from __future__ import annotations

import datetime as dt

from campaigns.scheduling import ScheduleSpec
from campaigns.scheduling.held_weeks import blackout_interval, every_day_cron, has_days_off, off_intervals

UTC = dt.UTC
WEEKDAYS = ScheduleSpec("0 9 * * 1-5", "America/New_York", 480)


def test_a_weekday_week_is_held_over_the_weekend_from_friday_close_to_monday_open():
    (weekend,) = off_intervals(WEEKDAYS, dt.datetime(2026, 12, 3, tzinfo=UTC), dt.datetime(2026, 12, 7, tzinfo=UTC))
    assert weekend.stop_at == dt.datetime(2026, 12, 4, 22, tzinfo=UTC)  # Friday 17:00 in New York
    assert weekend.start_at == dt.datetime(2026, 12, 7, 14, tzinfo=UTC)  # Monday 09:00
    assert weekend.first_off_window == dt.datetime(2026, 12, 5, 14, tzinfo=UTC)  # Saturday 09:00
    assert weekend.off_windows == 2


def test_each_run_of_days_off_is_one_interval():
    spec = ScheduleSpec("0 9 * * 1,3,5", "UTC", 60)
    found = off_intervals(spec, dt.datetime(2026, 12, 7, tzinfo=UTC), dt.datetime(2026, 12, 14, tzinfo=UTC))
    assert [(i.stop_at.day, i.start_at.day, i.off_windows) for i in found] == [
        (4, 7, 2), (7, 9, 1), (9, 11, 1), (11, 14, 2)  # the first reaches into the range on Monday
    ]


def test_an_every_day_week_has_no_off_interval():
    spec = ScheduleSpec("0 9 * * *", "UTC", 60)
    assert off_intervals(spec, dt.datetime(2026, 12, 1, tzinfo=UTC), dt.datetime(2026, 12, 20, tzinfo=UTC)) == []
    assert not has_days_off("0 9 * * *", 60) and has_days_off("0 9 * * 1-5", 60)


def test_the_written_week_opens_the_day_field():
    assert every_day_cron("30 8 * * MON-FRI") == "30 8 * * *"


def test_a_daylight_saving_weekend_keeps_local_hours():
    # 2027-03-14 the US springs forward: Monday opens at 09:00 EDT = 13:00 UTC.
    found = off_intervals(WEEKDAYS, dt.datetime(2027, 3, 12, tzinfo=UTC), dt.datetime(2027, 3, 15, tzinfo=UTC))
    assert found[0].start_at == dt.datetime(2027, 3, 15, 13, tzinfo=UTC)


# ---- blackout_interval: one blackout day's hold -------------------------------------------------------------------


def test_a_blackout_day_is_held_until_the_night_window_it_removed_has_closed():
    UTC, datetime = dt.UTC, dt.datetime

    def ts(day, hour):
        return int(datetime(2026, 12, day, hour, tzinfo=UTC).timestamp())

    midnight, next_midnight = datetime(2026, 12, 24, 5, tzinfo=UTC), datetime(2026, 12, 25, 5, tzinfo=UTC)
    nights = [(ts(23, 1), ts(23, 7)), (ts(24, 1), ts(24, 7)), (ts(25, 1), ts(25, 7)), (ts(26, 1), ts(26, 7))]
    held = blackout_interval(midnight, next_midnight, nights)
    # The 24th's window (opened 20:00 New York, 01:00 UTC on the 25th) closes at 07:00 UTC: quiet from then.
    assert held.quiet_from == datetime(2026, 12, 25, 7, tzinfo=UTC)
    assert held.start_at == datetime(2026, 12, 26, 1, tzinfo=UTC) and held.off_windows == 1

    days = [(ts(23, 14), ts(23, 22)), (ts(24, 14), ts(24, 22)), (ts(25, 14), ts(25, 22))]
    held = blackout_interval(midnight, next_midnight, days)
    assert held.quiet_from == next_midnight and held.start_at == datetime(2026, 12, 25, 14, tzinfo=UTC)
