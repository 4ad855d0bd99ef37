"""DST findings: a window that opens in a gap, opens in a repeated hour, or spans a transition."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from campaigns.scheduling import ScheduleSpec, dst_findings, expand_windows
from campaigns.scheduling.dst import format_duration

DST_ZONES = [
    ("America/Chicago", date(2026, 3, 8), date(2026, 11, 1), time(2, 30), time(1, 30)),
    ("Europe/London", date(2026, 3, 29), date(2026, 10, 25), time(1, 30), time(1, 30)),
    ("Australia/Sydney", date(2026, 10, 4), date(2026, 4, 5), time(2, 30), time(2, 30)),
    ("America/St_Johns", date(2026, 3, 8), date(2026, 11, 1), time(2, 30), time(1, 30)),
]
IDS = [zone for zone, *_ in DST_ZONES]


def findings(cron, zone, duration, day, days=1):
    tz = ZoneInfo(zone)
    start = datetime.combine(day, time(), tzinfo=tz)
    spec = ScheduleSpec(cron, zone, duration)
    windows = expand_windows(spec, start.astimezone(UTC), (start + timedelta(days=days)).astimezone(UTC))
    return windows, dst_findings(spec, windows)


@pytest.mark.parametrize(("zone", "spring", "fall", "gap", "repeated"), DST_ZONES, ids=IDS)
def test_a_window_that_opens_in_the_gap_gets_a_gap_finding(zone, spring, fall, gap, repeated):
    windows, found = findings(f"{gap.minute} {gap.hour} * * *", zone, 60, spring - timedelta(days=1), days=3)
    assert [(f.kind, f.window_start) for f in found] == [("gap", windows[1].start)]
    assert f"{gap:%H:%M} does not exist on {spring:%Y-%m-%d} in {zone}" in found[0].message


@pytest.mark.parametrize(("zone", "spring", "fall", "gap", "repeated"), DST_ZONES, ids=IDS)
def test_a_window_that_opens_in_the_repeated_hour_gets_a_repeated_finding(zone, spring, fall, gap, repeated):
    windows, found = findings(
        f"{repeated.minute} {repeated.hour} * * *", zone, 15, fall - timedelta(days=1), days=3
    )
    assert [(f.kind, f.window_start) for f in found] == [("repeated", windows[1].start)]
    assert "at the first occurrence" in found[0].message


@pytest.mark.parametrize(("zone", "spring", "fall", "gap", "repeated"), DST_ZONES, ids=IDS)
def test_a_window_across_either_change_gets_a_spans_transition_finding(zone, spring, fall, gap, repeated):
    for day, real in ((spring, "7 h"), (fall, "9 h")):
        windows, found = findings("0 0 * * *", zone, 480, day - timedelta(days=1), days=3)
        assert [(f.kind, f.window_start) for f in found] == [("spans_transition", windows[1].start)]
        assert f"it lasts {real} instead of 8 h" in found[0].message


@pytest.mark.parametrize(("zone", "spring", "fall", "gap", "repeated"), DST_ZONES, ids=IDS)
def test_daytime_windows_on_transition_days_have_no_findings(zone, spring, fall, gap, repeated):
    for day in (spring, fall):
        windows, found = findings("0 9 * * *", zone, 480, day - timedelta(days=1), days=3)
        assert len(windows) == 3
        assert found == []


def test_a_zone_without_dst_never_gets_a_finding():
    windows, found = findings("30 1 * * *", "Asia/Tokyo", 480, date(2026, 1, 1), days=365)
    assert len(windows) == 365
    assert found == []


def test_a_fixed_time_after_the_gap_is_not_called_a_gap_fire():
    # 03:00 exists on the spring day in Chicago; the window opens exactly when the clocks jump, as asked.
    _, found = findings("0 3 * * *", "America/Chicago", 60, date(2026, 3, 8))
    assert found == []


def test_a_window_ending_in_the_gap_is_reported_with_its_real_length():
    # 00:00 + 150 min would be 02:30, which does not exist: the window closes at 03:00 CDT, after 2 h.
    windows, found = findings("0 0 * * *", "America/Chicago", 150, date(2026, 3, 8))
    assert windows[0].local_end.time() == time(3)
    assert [f.kind for f in found] == ["spans_transition"]
    assert "it lasts 2 h instead of 2 h 30 min" in found[0].message


def test_a_window_opening_in_the_repeated_hour_and_crossing_back_gets_both_findings():
    windows, found = findings("30 1 * * *", "America/Chicago", 60, date(2026, 11, 1))
    assert [f.kind for f in found] == ["repeated", "spans_transition"]
    assert windows[0].duration == timedelta(hours=2)


def test_findings_serialize_with_utc_starts():
    _, found = findings("30 2 * * *", "America/Chicago", 60, date(2026, 3, 8))
    assert found[0].to_dict()["window_start"] == "2026-03-08T08:00:00Z"
    assert found[0].to_dict()["kind"] == "gap"


def test_durations_read_in_hours_and_minutes():
    assert format_duration(timedelta(hours=7)) == "7 h"
    assert format_duration(timedelta(minutes=90)) == "1 h 30 min"
    assert format_duration(timedelta(minutes=45)) == "45 min"
