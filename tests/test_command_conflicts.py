"""`manage.py conflicts`: the JSON contract, and exit 2 with the campaign and field for bad input."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError


def campaign(campaign_id, cron, *, zone="UTC", duration=480, pool="P1", agents=6, contact_list=None):
    return {
        "id": campaign_id,
        "cron": cron,
        "timezone": zone,
        "duration": duration,
        "pool": pool,
        "agents": agents,
        "contact_list": contact_list,
    }


def write(tmp_path, data):
    path = tmp_path / "input.json"
    path.write_text(json.dumps(data) if not isinstance(data, str) else data)
    return str(path)


def run(tmp_path, data, *extra):
    out = StringIO()
    call_command(
        "conflicts",
        "--input",
        write(tmp_path, data),
        "--from",
        "2026-03-02",
        "--days",
        "1",
        "--json",
        *extra,
        stdout=out,
    )
    return json.loads(out.getvalue())


def run_invalid(tmp_path, data, *args):
    out = StringIO()
    arguments = args or ("--from", "2026-03-02", "--days", "1")
    with pytest.raises(CommandError) as caught:
        call_command("conflicts", "--input", write(tmp_path, data), *arguments, "--json", stdout=out)
    assert caught.value.returncode == 2
    return json.loads(out.getvalue())


INPUT = {
    "pools": [{"id": "P1", "capacity": 10}, {"id": "P2", "capacity": 50}],
    "campaigns": [
        campaign("A", "0 9 * * *", contact_list="L1"),
        campaign("B", "0 12 * * *", duration=120, contact_list="L1"),
        campaign("C", "0 13 * * *", duration=120),
        campaign("D", "0 23 * * *", pool="P2", contact_list="L1"),
    ],
}


def test_it_prints_capacity_and_contact_list_conflicts_sorted_by_start(tmp_path):
    report = run(tmp_path, INPUT)
    assert report == {
        "conflicts": [
            {
                "kind": "capacity",
                "pool": "P1",
                "start": "2026-03-02T12:00:00Z",
                "end": "2026-03-02T13:00:00Z",
                "campaigns": ["A", "B"],
                "demand": 12,
                "capacity": 10,
            },
            {
                "kind": "contact_list",
                "contact_list": "L1",
                "start": "2026-03-02T12:00:00Z",
                "end": "2026-03-02T14:00:00Z",
                "campaigns": ["A", "B"],
            },
            {
                "kind": "capacity",
                "pool": "P1",
                "start": "2026-03-02T13:00:00Z",
                "end": "2026-03-02T14:00:00Z",
                "campaigns": ["A", "B", "C"],
                "demand": 18,
                "capacity": 10,
            },
            {
                "kind": "capacity",
                "pool": "P1",
                "start": "2026-03-02T14:00:00Z",
                "end": "2026-03-02T15:00:00Z",
                "campaigns": ["A", "C"],
                "demand": 12,
                "capacity": 10,
            },
        ]
    }


def test_capacity_conflicts_carry_demand_and_capacity_and_contact_list_conflicts_do_not(tmp_path):
    conflicts = run(tmp_path, INPUT)["conflicts"]
    common = {"kind", "start", "end", "campaigns"}
    assert {c["kind"]: set(c) for c in conflicts} == {
        "capacity": common | {"pool", "demand", "capacity"},
        "contact_list": common | {"contact_list"},
    }


def test_the_horizon_is_by_window_start_from_midnight_utc(tmp_path):
    data = {"pools": [{"id": "P1", "capacity": 1}], "campaigns": [campaign("A", "0 23 * * *", agents=2)]}
    [conflict] = run(tmp_path, data)["conflicts"]
    assert (conflict["start"], conflict["end"]) == ("2026-03-02T23:00:00Z", "2026-03-03T07:00:00Z")


def test_an_empty_campaign_list_has_no_conflicts(tmp_path):
    assert run(tmp_path, {"pools": [], "campaigns": []}) == {"conflicts": []}


def test_a_bad_cron_exits_two_naming_the_campaign_and_field(tmp_path):
    data = {"pools": [{"id": "P1", "capacity": 10}], "campaigns": [campaign("A", "0 9 * *")]}
    report = run_invalid(tmp_path, data)
    assert report["error"] == {
        "campaign": "A",
        "field": "cron",
        "message": "must have exactly 5 fields (minute hour day-of-month month day-of-week), got 4",
    }


def test_every_bad_field_is_listed(tmp_path):
    data = {
        "pools": [{"id": "P1", "capacity": 10}],
        "campaigns": [
            campaign("A", "0 9 * * *", zone="America/Chicgo", duration=0),
            campaign("B", "0 9 * * *", pool="P9", agents=-1),
            campaign("A", "0 9 * * *"),
        ],
    }
    report = run_invalid(tmp_path, data)
    assert [(e["campaign"], e["field"]) for e in report["errors"]] == [
        ("A", "timezone"),
        ("A", "duration"),
        ("B", "pool"),
        ("B", "agents"),
        ("A", "id"),
    ]
    assert "did you mean America/Chicago?" in report["errors"][0]["message"]


def test_a_bad_pool_is_named(tmp_path):
    report = run_invalid(tmp_path, {"pools": [{"id": "P1", "capacity": "ten"}], "campaigns": []})
    assert report["error"] == {"pool": "P1", "field": "capacity", "message": "must be a whole number ≥ 0"}


def test_a_file_that_is_not_json_exits_two(tmp_path):
    report = run_invalid(tmp_path, "{not json")
    assert report["error"]["field"] == "input"


def test_a_missing_file_exits_two(tmp_path):
    out = StringIO()
    with pytest.raises(CommandError) as caught:
        call_command(
            "conflicts",
            "--input",
            str(tmp_path / "nope.json"),
            "--from",
            "2026-03-02",
            "--days",
            "1",
            "--json",
            stdout=out,
        )
    assert caught.value.returncode == 2
    assert json.loads(out.getvalue())["error"]["field"] == "input"


def test_bad_dates_exit_two(tmp_path):
    report = run_invalid(tmp_path, INPUT, "--from", "March 2", "--days", "0")
    assert [e["field"] for e in report["errors"]] == ["from", "days"]


def test_without_json_it_prints_one_line_per_conflict(tmp_path):
    out = StringIO()
    call_command(
        "conflicts", "--input", write(tmp_path, INPUT), "--from", "2026-03-02", "--days", "1", stdout=out
    )
    lines = out.getvalue().splitlines()
    assert lines[0] == "4 conflicts"
    assert lines[1] == "  2026-03-02T12:00:00Z → 2026-03-02T13:00:00Z  capacity P1 (demand 12 > 10): A, B"


# ---- bad input: one line naming the field, exit 2, never a traceback --------------------------------------


def run_invalid_file(path, *args):
    out = StringIO()
    with pytest.raises(CommandError) as caught:
        call_command(
            "conflicts", "--input", str(path), "--from", "2026-03-02", "--days", "1", "--json", stdout=out
        )
    assert caught.value.returncode == 2
    assert "\n" not in str(caught.value)
    return json.loads(out.getvalue())["error"]


def test_a_file_that_is_not_utf8_exits_two(tmp_path):
    path = tmp_path / "latin1.json"
    path.write_bytes('{"pools": [{"id": "Pool café"}]}'.encode("latin-1"))
    error = run_invalid_file(path)
    assert error["field"] == "input" and "is not UTF-8 text (byte 0xe9 at offset 27)" in error["message"]


def test_json_nested_100000_deep_exits_two(tmp_path):
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000)
    error = run_invalid_file(path)
    assert "nests 100000 levels deep; the input format needs 3 (at most 20)" in error["message"]


def test_brackets_inside_strings_do_not_count_as_nesting(tmp_path):
    data = {"pools": [{"id": "P[[[[[[[[[[[[[[[[[[[[[[[[1", "capacity": 10}], "campaigns": []}
    assert run(tmp_path, data) == {"conflicts": []}


def test_an_integer_of_5000_digits_exits_two(tmp_path):
    path = tmp_path / "huge.json"
    path.write_text('{"pools": [{"id": "P1", "capacity": ' + "9" * 5000 + '}], "campaigns": []}')
    error = run_invalid_file(path)
    assert "holds a number of 5000 digits; numbers here have at most 18" in error["message"]


def test_nan_and_infinity_are_not_json_numbers(tmp_path):
    path = tmp_path / "nan.json"
    path.write_text('{"pools": [{"id": "P1", "capacity": NaN}], "campaigns": []}')
    assert "holds NaN, which is not a JSON number" in run_invalid_file(path)["message"]


def test_a_duration_given_as_text_is_refused(tmp_path):
    data = {**INPUT, "campaigns": [campaign("A", "0 9 * * *", duration="480")]}
    error = run_invalid(tmp_path, data)["error"]
    assert error == {
        "campaign": "A",
        "field": "duration",
        "message": "must be a number of minutes, not text ('480')",
    }


def test_integer_pool_ids_are_refused(tmp_path):
    data = {"pools": [{"id": 1, "capacity": 10}], "campaigns": [campaign("A", "0 9 * * *", pool=1)]}
    errors = run_invalid(tmp_path, data)["errors"]
    assert {
        "pool": "pools[0]",
        "field": "id",
        "message": 'must be text, such as "1", not the number 1',
    } in errors
    assert {
        "campaign": "A",
        "field": "pool",
        "message": 'must be text, such as "1", not the number 1',
    } in errors


@pytest.mark.parametrize(
    "moment", ["0001-01-01T00:00:00+00:00", "9999-12-31T23:59:59+14:00", "1999-12-31T00:00:00Z"]
)
def test_an_effective_date_at_the_edges_of_the_calendar_is_refused(tmp_path, moment):
    data = {**INPUT, "campaigns": [{**campaign("A", "0 9 * * *"), "effective_start": moment}]}
    error = run_invalid(tmp_path, data)["error"]
    assert (error["campaign"], error["field"]) == ("A", "effective_start")
    assert "is outside the dates a schedule may use (between 2000-01-01 and 2100-12-31)" in error["message"]


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_a_from_date_at_the_edges_of_the_calendar_exits_two(tmp_path, day):
    error = run_invalid(tmp_path, INPUT, "--from", day, "--days", "7")["error"]
    assert error["field"] == "from" and "is outside the dates a schedule may use" in error["message"]


def test_a_cron_extension_is_refused_naming_the_campaign_and_the_part(tmp_path):
    data = {**INPUT, "campaigns": [campaign("A", "0 9 * * 5#2")]}
    error = run_invalid(tmp_path, data)["error"]
    assert (error["campaign"], error["field"]) == ("A", "cron")
    assert error["message"].startswith("day-of-week: '5#2' uses '#'")


def test_a_legacy_zone_name_is_refused_with_the_real_zone_suggested(tmp_path):
    data = {**INPUT, "campaigns": [campaign("A", "0 9 * * *", zone="EST")]}
    error = run_invalid(tmp_path, data)["error"]
    assert (error["field"], error["message"][-22:]) == ("timezone", "enter America/New_York")
