"""The command-line reports, built straight from raw argument values."""

import pytest

from campaigns.scheduling.reports import (
    InputError,
    conflicts_report,
    parse_conflicts_input,
    parse_day,
    parse_days,
    schedule_check_report,
)


def test_it_parses_a_day_strictly():
    assert parse_day("2026-03-02")[0].isoformat() == "2026-03-02"
    assert parse_day("2026-02-30") == (None, "'2026-02-30' is not a date (YYYY-MM-DD)")
    assert parse_day(None) == (None, "is required (YYYY-MM-DD)")


def test_it_bounds_the_number_of_days():
    assert parse_days("28") == (28, None)
    assert parse_days("0") == (None, "0 is outside 1-366 days")
    assert parse_days("367")[1] == "367 is outside 1-366 days"


def test_a_schedule_check_report_has_exactly_the_contract_keys():
    report = schedule_check_report(
        cron="0 9 * * 1-5", tz="Europe/London", duration="60", start_day="2026-03-30", days="1"
    )
    assert report == {
        "valid": True,
        "errors": [],
        "windows": [
            {
                "start": "2026-03-30T08:00:00Z",
                "end": "2026-03-30T09:00:00Z",
                "local_start": "2026-03-30T09:00:00+01:00",
                "local_end": "2026-03-30T10:00:00+01:00",
            }
        ],
        "dst": [],
        "compliance": {"ok": True, "findings": []},
    }


def test_the_horizon_starts_at_the_first_instant_of_a_day_whose_midnight_does_not_exist():
    # Havana jumps from 00:00 to 01:00 on Sunday 2026-03-08: the day (and the horizon) starts at 01:00 CDT,
    # and 00:30, which does not exist either, fires at that very instant.
    report = schedule_check_report(
        cron="30 0 * * *", tz="America/Havana", duration="60", start_day="2026-03-08", days="1"
    )
    assert report["valid"] is True
    [window] = report["windows"]
    assert (window["start"], window["local_start"]) == ("2026-03-08T05:00:00Z", "2026-03-08T01:00:00-04:00")
    assert [d["kind"] for d in report["dst"]] == ["gap"]


def test_conflicts_input_names_the_campaign_and_field():
    with pytest.raises(InputError) as caught:
        parse_conflicts_input({"pools": [], "campaigns": [{"id": "C-9", "cron": "0 9 * * *"}]})
    assert {(e["campaign"], e["field"]) for e in caught.value.errors} == {
        ("C-9", "timezone"),
        ("C-9", "duration"),
        ("C-9", "pool"),
        ("C-9", "agents"),
    }
    assert caught.value.to_dict()["error"]["campaign"] == "C-9"


def test_conflicts_input_must_be_an_object_with_lists():
    with pytest.raises(InputError) as caught:
        parse_conflicts_input([])
    assert caught.value.errors == [
        {"field": "input", "message": "must be a JSON object with pools and campaigns"}
    ]
    with pytest.raises(InputError) as caught:
        parse_conflicts_input({"pools": {}, "campaigns": None})
    assert [e["field"] for e in caught.value.errors] == ["pools", "campaigns"]


def test_conflicts_input_accepts_optional_effective_dates():
    data = {
        "pools": [{"id": "P1", "capacity": 1}],
        "campaigns": [
            {
                "id": "A",
                "cron": "0 9 * * *",
                "timezone": "UTC",
                "duration": 60,
                "pool": "P1",
                "agents": 2,
                "effective_start": "2026-03-03T00:00:00Z",
            },
        ],
    }
    report = conflicts_report(data, "2026-03-02", "3")
    assert [c["start"] for c in report["conflicts"]] == ["2026-03-03T09:00:00Z", "2026-03-04T09:00:00Z"]


def test_schedule_check_errors_use_the_flag_names_while_validate_spec_keeps_the_model_field_names():
    from campaigns.scheduling import ScheduleSpec, validate_spec

    report = schedule_check_report(
        cron="0 25 * * *", tz="Mars/Base", duration="0", start_day="2026-03-02", days="1"
    )
    assert [e["field"] for e in report["errors"]] == ["cron", "tz", "duration"]
    never = schedule_check_report(cron="0 9 * * 6", tz="UTC", duration="60", start_day="2026-03-02", days="1")
    assert [e["field"] for e in never["errors"]] == ["cron"]
    errors = validate_spec(ScheduleSpec("0 25 * * *", "Mars/Base", 0))
    assert [e.field for e in errors] == ["cron_expression", "timezone", "duration_minutes"]
