"""validate_spec: per-field errors for cron, zone, duration and effective period, and "never fires"."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine

from campaigns.scheduling import FieldError, ScheduleSpec, validate_retry_policy, validate_spec
from campaigns.scheduling.spec import first_fire_at_or_after

CHICAGO = ZoneInfo("America/Chicago")
DEC_1 = datetime(2026, 12, 1, tzinfo=CHICAGO)
MAR_1 = datetime(2027, 3, 1, tzinfo=CHICAGO)


def spec(**fields):
    values = {
        "cron_expression": "0 9 * * 1-5",
        "timezone": "America/Chicago",
        "duration_minutes": 480,
        "effective_start": DEC_1,
        "effective_end": MAR_1,
    }
    values.update(fields)
    return ScheduleSpec(**values)


def fields_of(errors):
    return [error.field for error in errors]


def test_it_accepts_a_valid_schedule():
    assert validate_spec(spec()) == []


def test_it_reports_cron_errors_on_the_cron_field():
    assert validate_spec(spec(cron_expression="0 25 * * *")) == [
        FieldError("cron_expression", "hour: 25 is outside 0-23")
    ]


def test_it_reports_a_zone_typo_with_a_suggestion():
    errors = validate_spec(spec(timezone="America/Chicgo"))
    assert errors == [
        FieldError("timezone", "'America/Chicgo' is not an IANA time zone; did you mean America/Chicago?")
    ]


def test_it_accepts_a_legacy_alias():
    assert validate_spec(spec(timezone="US/Central")) == []


def test_it_rejects_durations_outside_one_to_1440_minutes():
    assert validate_spec(spec(duration_minutes=0)) == [
        FieldError("duration_minutes", "0 is outside 1-1440 minutes")
    ]
    assert fields_of(validate_spec(spec(duration_minutes=1441))) == ["duration_minutes"]
    assert validate_spec(spec(duration_minutes=1)) == []
    assert validate_spec(spec(duration_minutes=1440)) == []


def test_it_rejects_a_duration_that_is_not_a_whole_number():
    assert validate_spec(spec(duration_minutes="480")) == [
        FieldError("duration_minutes", "must be a whole number of minutes")
    ]
    assert fields_of(validate_spec(spec(duration_minutes=True))) == ["duration_minutes"]


def test_it_rejects_an_effective_end_before_the_start():
    assert validate_spec(spec(effective_start=MAR_1, effective_end=DEC_1)) == [
        FieldError("effective_end", "must be after the effective start")
    ]
    assert fields_of(validate_spec(spec(effective_end=DEC_1))) == ["effective_end"]


def test_it_rejects_naive_effective_dates():
    errors = validate_spec(spec(effective_start=datetime(2026, 12, 1)))
    assert errors == [FieldError("effective_start", "must carry a UTC offset or time zone")]


def test_it_reports_every_field_at_once():
    errors = validate_spec(spec(cron_expression="0 9 * *", timezone="Mars/Olympus", duration_minutes=0))
    assert fields_of(errors) == ["cron_expression", "timezone", "duration_minutes"]


def test_a_cron_that_never_fires_inside_the_effective_period_is_an_error():
    # Saturdays only, in a Monday-to-Friday period.
    errors = validate_spec(
        spec(
            cron_expression="0 9 * * 6",
            effective_start=datetime(2026, 12, 7, tzinfo=CHICAGO),
            effective_end=datetime(2026, 12, 12, tzinfo=CHICAGO),
        )
    )
    assert errors == [
        FieldError(
            "cron_expression",
            "never fires between 2026-12-07 00:00 CST and 2026-12-12 00:00 CST in America/Chicago; "
            "its next fire is 2026-12-12 09:00 CST",
        )
    ]


def test_the_effective_period_includes_its_start_and_excludes_its_end():
    saturday_nine = datetime(2026, 12, 12, 9, tzinfo=CHICAGO)
    saturdays = "0 9 * * 6"
    starts_on_the_fire = spec(
        cron_expression=saturdays,
        effective_start=saturday_nine,
        effective_end=saturday_nine + timedelta(minutes=1),
    )
    ends_on_the_fire = spec(
        cron_expression=saturdays,
        effective_start=saturday_nine - timedelta(days=1),
        effective_end=saturday_nine,
    )
    starts_after_the_fire = spec(
        cron_expression=saturdays,
        effective_start=saturday_nine + timedelta(seconds=1),
        effective_end=saturday_nine + timedelta(hours=12),
    )
    assert validate_spec(starts_on_the_fire) == []
    assert fields_of(validate_spec(ends_on_the_fire)) == ["cron_expression"]
    assert fields_of(validate_spec(starts_after_the_fire)) == ["cron_expression"]


def test_the_horizon_bounds_an_open_effective_period():
    horizon_start = datetime(2026, 3, 2, 6, tzinfo=UTC)  # Monday 00:00 CST
    weekend_cron = spec(cron_expression="0 9 * * 6", effective_start=None, effective_end=None)
    assert fields_of(validate_spec(weekend_cron, horizon_start, horizon_start + timedelta(days=5))) == [
        "cron_expression"
    ]
    assert validate_spec(weekend_cron, horizon_start, horizon_start + timedelta(days=7)) == []


@time_machine.travel(datetime(2026, 3, 1, 12, tzinfo=UTC), tick=False)
def test_without_any_period_it_looks_for_a_fire_from_now():
    leap_day = spec(cron_expression="0 9 29 2 *", effective_start=None, effective_end=None)
    assert validate_spec(leap_day) == []  # fires again on 2028-02-29


@time_machine.travel(datetime(2026, 3, 8, 7, 30, tzinfo=UTC), tick=False)
def test_on_a_dst_morning_a_gap_time_still_counts_as_a_fire():
    # 02:30 does not exist in Chicago on 2026-03-08; it fires at 03:00 CDT, inside this one-hour period.
    gap = spec(
        cron_expression="30 2 8 3 *",
        effective_start=datetime.now(UTC),
        effective_end=datetime.now(UTC) + timedelta(hours=1),
    )
    assert validate_spec(gap) == []


def test_a_period_holding_only_the_second_occurrence_of_a_repeated_hour_never_fires():
    # 01:00 and 01:30 happen twice in Chicago on 2026-11-01; they fire at the first (CDT) occurrence only,
    # so a period covering just the second (CST) hour holds no fire.
    second_hour = datetime(2026, 11, 1, 7, tzinfo=UTC)
    repeated = spec(
        cron_expression="*/30 1 * * *",
        effective_start=second_hour,
        effective_end=second_hour + timedelta(hours=1),
    )
    [error] = validate_spec(repeated)
    assert error.field == "cron_expression" and error.message.startswith("never fires between")


def test_it_checks_the_retry_policy_limits():
    assert validate_retry_policy(3, 60_000) == []
    assert validate_retry_policy(0, 59_999) == [
        FieldError("retry_max_attempts", "0 is outside 1-10"),
        FieldError("retry_interval_ms", "59999 is below the minimum of 60000"),
    ]
    assert [e.field for e in validate_retry_policy(11, "x")] == ["retry_max_attempts", "retry_interval_ms"]


def test_a_duration_from_text_or_a_number_is_checked_by_the_same_rule_as_a_schedule():
    from campaigns.scheduling.spec import parse_duration

    assert parse_duration("480") == (480, None)
    assert parse_duration(" 60 ") == (60, None)
    assert parse_duration(1440) == (1440, None)
    assert parse_duration(None) == (None, "is required (minutes)")
    assert parse_duration("") == (None, "is required (minutes)")
    assert parse_duration("x") == (None, "'x' is not a whole number of minutes")
    assert parse_duration("0") == (None, "0 is outside 1-1440 minutes")
    assert parse_duration(1441) == (None, "1441 is outside 1-1440 minutes")
    assert parse_duration(True) == (None, "must be a whole number of minutes")
    assert parse_duration(60.5) == (None, "must be a whole number of minutes")


def test_a_period_holding_only_gap_times_of_a_step_cron_fires_once_per_gap():
    # 02:00 and 02:30 do not exist in Chicago on 2026-03-08; the expansion opens one window at 03:00 CDT.
    gap_end = datetime(2026, 3, 8, 8, tzinfo=UTC)
    for cron in ("*/30 2 * * *", "0,30 2 * * *", "*/15 2 8 3 *"):
        assert (
            validate_spec(
                spec(
                    cron_expression=cron,
                    effective_start=gap_end - timedelta(hours=1),
                    effective_end=gap_end + timedelta(minutes=1),
                )
            )
            == []
        )
        [error] = validate_spec(
            spec(cron_expression=cron, effective_start=gap_end - timedelta(hours=1), effective_end=gap_end)
        )
        assert error.message.endswith("its next fire is 2026-03-08 03:00 CDT")


def test_the_next_fire_of_a_cron_that_only_ever_asks_for_gap_times_is_found():
    # 02:xx on the second Sunday of March never exists in Chicago: it fires at 03:00 CDT on each such day.
    # ('#' is outside CXone's contract, so validate_spec refuses the expression; the engine still finds it.)
    only_gaps = "*/15 2 * 3 0#2"
    after = datetime(2026, 3, 9, tzinfo=CHICAGO)
    fire = first_fire_at_or_after(only_gaps, "America/Chicago", after)
    assert f"{fire:%Y-%m-%d %H:%M %Z}" == "2027-03-14 03:00 CDT"
    [error] = validate_spec(spec(cron_expression=only_gaps))
    assert error.field == "cron_expression" and "'0#2' uses '#'" in error.message


def test_a_half_hour_fall_back_leaves_wall_times_that_fire_once_and_count():
    # Lord Howe goes back from 02:00 (+11) to 01:30 (+10:30) on 2025-04-06; 02:00-02:29 (+10:30) exist once.
    # (cronsim, stepping whole real hours from 01:00 +11, goes from 01:30 +10:30 straight to 02:30.)
    fall_back = datetime(2025, 4, 5, 15, tzinfo=UTC)
    every_minute_of_even_hours = spec(
        cron_expression="* */2 * * *",
        timezone="Australia/Lord_Howe",
        effective_start=fall_back,
        effective_end=fall_back + timedelta(minutes=31),  # up to 02:01 +10:30
    )
    assert validate_spec(every_minute_of_even_hours) == []
