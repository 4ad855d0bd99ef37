"""DST findings: a window that opens in a gap, opens in a repeated hour, or spans a transition."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


@pytest.mark.parametrize(
    ("cron", "zone", "duration", "day", "real", "nominal"),
    [
        ("0 1 * * *", "America/Chicago", 120, date(2026, 3, 8), "1 h", "2 h"),
        ("0 23 * * *", "America/Chicago", 240, date(2026, 3, 7), "3 h", "4 h"),
        ("0 22 * * *", "America/New_York", 300, date(2026, 3, 7), "4 h", "5 h"),
    ],
    ids=["chicago-01:00+2h", "chicago-23:00+4h", "new-york-22:00+5h"],
)
def test_a_window_that_closes_exactly_as_the_clocks_go_forward_is_reported_shorter(
    cron, zone, duration, day, real, nominal
):
    windows, found = findings(cron, zone, duration, day)
    [window] = windows
    assert window.duration == timedelta(minutes=duration) - timedelta(hours=1)
    assert [(f.kind, f.window_start) for f in found] == [("spans_transition", window.start)]
    assert f"it lasts {real} instead of {nominal}" in found[0].message
    assert "clocks go forward from 02:00 to 03:00" in found[0].message


def test_a_window_that_closes_at_the_start_of_the_gap_lasts_as_asked_and_the_finding_says_so():
    # 00:00 + 2 h would close at 02:00, which does not exist: it closes at that instant, read 03:00 CDT.
    windows, found = findings("0 0 * * *", "America/Chicago", 120, date(2026, 3, 8))
    assert windows[0].duration == timedelta(hours=2)
    assert [f.kind for f in found] == ["spans_transition"]
    assert "it lasts 2 h as asked" in found[0].message
    assert "02:00 does not exist" in found[0].message
    assert "instead of" not in found[0].message


TRANSITION_DAYS = {zone: (spring, fall) for zone, spring, fall, *_ in DST_ZONES}
TRANSITION_DAYS["America/New_York"] = (date(2026, 3, 8), date(2026, 11, 1))


@settings(max_examples=200, deadline=None)
@given(
    zone=st.sampled_from(sorted(TRANSITION_DAYS)),
    hour=st.integers(0, 23),
    minute=st.sampled_from([0, 15, 30, 45]),
    duration=st.sampled_from([15, 30, 60, 90, 120, 150, 180, 240, 300, 480, 1440]),
    transition=st.sampled_from(["spring", "fall"]),
)
def test_a_spans_transition_finding_is_raised_exactly_when_the_window_is_not_as_asked(
    zone, hour, minute, duration, transition
):
    spring, fall = TRANSITION_DAYS[zone]
    day = spring if transition == "spring" else fall
    windows, found = findings(f"{minute} {hour} * * *", zone, duration, day - timedelta(days=1), days=2)
    nominal = timedelta(minutes=duration)
    spans = {f.window_start: f.message for f in found if f.kind == "spans_transition"}
    for window in windows:
        asked_end = window.local_start.replace(tzinfo=None) + nominal
        not_as_asked = window.duration != nominal or window.local_end.replace(tzinfo=None) != asked_end
        assert (window.start in spans) == not_as_asked
        if window.duration != nominal:
            real = f"it lasts {format_duration(window.duration)} instead of {format_duration(nominal)}"
            assert real in spans[window.start]
        elif not_as_asked:
            assert f"it lasts {format_duration(nominal)} as asked" in spans[window.start]


def test_a_minute_step_cron_opens_once_per_wall_time_in_the_repeated_hour():
    windows, found = findings("*/30 1 * * *", "Europe/London", 15, date(2026, 10, 25))
    assert [w.local_start.isoformat() for w in windows] == [
        "2026-10-25T01:00:00+01:00",
        "2026-10-25T01:30:00+01:00",
    ]
    assert [(f.kind, f.window_start) for f in found] == [("repeated", w.start) for w in windows]
    for finding in found:
        assert "the window opens once, at the first occurrence" in finding.message
        assert "BST" in finding.message and "second" not in finding.message


@pytest.mark.parametrize(
    ("cron", "zone", "day", "asked", "jump", "opens"),
    [
        (
            "*/30 2 * * *",
            "America/Chicago",
            date(2026, 3, 8),
            "02:00 and 02:30 do not exist",
            "02:00 to 03:00",
            "03:00 CDT",
        ),
        (
            "0,30 2 * * *",
            "America/Chicago",
            date(2026, 3, 8),
            "02:00 and 02:30 do not exist",
            "02:00 to 03:00",
            "03:00 CDT",
        ),
        (
            "*/15 2 8 3 *",
            "America/Chicago",
            date(2026, 3, 8),
            "the 4 times from 02:00 to 02:45 do not exist",
            "02:00 to 03:00",
            "03:00 CDT",
        ),
        (
            "30 2 * * *",
            "America/Chicago",
            date(2026, 3, 8),
            "02:30 does not exist",
            "02:00 to 03:00",
            "03:00 CDT",
        ),
        (
            "*/15 2 * * *",
            "Australia/Lord_Howe",
            date(2026, 10, 4),
            "02:00 and 02:15 do not exist",
            "02:00 to 02:30",
            "02:30 +11",
        ),
        (
            "*/30 0 * * *",
            "America/Havana",
            date(2026, 3, 8),
            "00:00 and 00:30 do not exist",
            "00:00 to 01:00",
            "01:00 CDT",
        ),
        (
            "*/30 0 * * *",
            "America/Santiago",
            date(2026, 9, 6),
            "00:00 and 00:30 do not exist",
            "00:00 to 01:00",
            "01:00 -03",
        ),
    ],
)
def test_a_window_standing_for_gap_times_says_it_opens_once_at_the_first_instant_after_the_gap(
    cron, zone, day, asked, jump, opens
):
    windows, found = findings(cron, zone, 60, day)
    gap_window = windows[0]
    assert [(f.kind, f.window_start) for f in found] == [("gap", gap_window.start)]
    assert found[0].message == (
        f"{asked} on {day:%Y-%m-%d} in {zone} (clocks jump from {jump}); "
        f"the window opens once, at the first instant after the gap ({opens})"
    )


def test_a_step_cron_gets_one_gap_finding_and_none_for_its_fires_after_the_gap():
    windows, found = findings("*/15 2 * * *", "Australia/Lord_Howe", 15, date(2026, 10, 4))
    assert len(windows) == 2
    assert [(f.kind, f.window_start) for f in found] == [("gap", windows[0].start)]
