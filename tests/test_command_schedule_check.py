"""`manage.py schedule_check`: the JSON contract, exit 0 for valid input and 2 for invalid input."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError


def run(*args):
    out = StringIO()
    call_command("schedule_check", *args, stdout=out)
    return json.loads(out.getvalue())


def run_invalid(*args):
    out = StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("schedule_check", *args, stdout=out)
    assert caught.value.returncode == 2
    return json.loads(out.getvalue())


BASE = ["--cron", "0 9 * * 1-5", "--tz", "America/Chicago", "--duration", "480", "--json"]


def test_it_prints_the_windows_of_the_horizon_in_utc_and_local_time():
    report = run(*BASE, "--from", "2026-03-02", "--days", "7")
    assert set(report) == {"valid", "errors", "windows", "dst", "compliance"}
    assert report["valid"] is True and report["errors"] == []
    assert len(report["windows"]) == 5
    assert report["windows"][0] == {
        "start": "2026-03-02T15:00:00Z",
        "end": "2026-03-02T23:00:00Z",
        "local_start": "2026-03-02T09:00:00-06:00",
        "local_end": "2026-03-02T17:00:00-06:00",
    }
    assert report["compliance"] == {"ok": True, "findings": []}


def test_the_horizon_runs_from_local_midnight_for_the_given_days():
    report = run(
        "--cron",
        "0 0 * * *",
        "--tz",
        "America/Chicago",
        "--duration",
        "60",
        "--from",
        "2026-03-02",
        "--days",
        "2",
        "--json",
    )
    assert [w["local_start"] for w in report["windows"]] == [
        "2026-03-02T00:00:00-06:00",
        "2026-03-03T00:00:00-06:00",
    ]


def test_it_reports_dst_findings_on_the_change_day():
    report = run(
        "--cron",
        "30 2 * * *",
        "--tz",
        "America/Chicago",
        "--duration",
        "60",
        "--from",
        "2026-03-08",
        "--days",
        "1",
        "--json",
    )
    assert report["windows"][0]["local_start"] == "2026-03-08T03:00:00-05:00"
    assert [(d["window_start"], d["kind"]) for d in report["dst"]] == [("2026-03-08T08:00:00Z", "gap")]
    assert set(report["dst"][0]) == {"window_start", "kind", "message"}


def test_a_non_compliant_schedule_is_still_valid_input_and_exits_zero():
    report = run(
        "--cron",
        "0 19 * * *",
        "--tz",
        "America/New_York",
        "--duration",
        "90",
        "--from",
        "2026-06-01",
        "--days",
        "2",
        "--jurisdiction",
        "US-FL",
        "--contact-tz",
        "America/New_York",
        "--json",
    )
    assert report["valid"] is True
    assert report["compliance"]["ok"] is False
    [finding] = report["compliance"]["findings"]
    assert finding["rule"] == "us-fl" and finding["jurisdiction"] == "US-FL"
    assert finding["window_start"] == "2026-06-01T23:00:00Z"
    assert finding["confidence"] == "high"
    assert (finding["kind"], finding["severity"]) == ("calling_hours", "blocking")
    assert finding["source"] == "Fla. Stat. 501.616 (2021 SB 1120)"
    assert set(finding) == {
        "rule", "kind", "severity", "jurisdiction", "window_start", "message", "confidence", "source",
    }  # fmt: skip


def test_contact_zones_must_all_be_legal():
    args = [*BASE, "--from", "2026-06-01", "--days", "1"]
    assert run(*args, "--contact-tz", "America/Chicago")["compliance"]["ok"] is True
    report = run(*args, "--contact-tz", "America/Chicago", "--contact-tz", "America/Los_Angeles")
    assert [f["rule"] for f in report["compliance"]["findings"]] == ["us-federal"]


def test_a_jurisdiction_without_contact_zones_uses_the_states_zones():
    report = run(
        "--cron",
        "0 8 * * *",
        "--tz",
        "America/New_York",
        "--duration",
        "60",
        "--from",
        "2026-06-01",
        "--days",
        "1",
        "--jurisdiction",
        "US-FL",
        "--json",
    )
    assert sorted(f["rule"] for f in report["compliance"]["findings"]) == ["us-federal", "us-fl"]


def test_a_low_confidence_finding_leaves_compliance_ok():
    report = run(
        "--cron",
        "0 11 * * 0",
        "--tz",
        "America/Chicago",
        "--duration",
        "60",
        "--from",
        "2026-06-01",
        "--days",
        "7",
        "--jurisdiction",
        "US-TX",
        "--contact-tz",
        "America/Chicago",
        "--json",
    )
    assert report["compliance"]["ok"] is True
    assert [(f["rule"], f["confidence"]) for f in report["compliance"]["findings"]] == [("us-tx", "low")]


def test_invalid_input_exits_two_with_every_field_named_by_its_flag():
    report = run_invalid(
        "--cron",
        "0 25 * * *",
        "--tz",
        "America/Chicgo",
        "--duration",
        "0",
        "--from",
        "2026-3-2",
        "--days",
        "x",
        "--json",
    )
    assert report["valid"] is False
    assert report["errors"] == [
        {"field": "cron", "message": "hour: 25 is outside 0-23"},
        {
            "field": "tz",
            "message": "'America/Chicgo' is not an IANA time zone; did you mean America/Chicago?",
        },
        {"field": "duration", "message": "0 is outside 1-1440 minutes"},
        {"field": "from", "message": "'2026-3-2' is not a date (YYYY-MM-DD)"},
        {"field": "days", "message": "'x' is not a whole number of days"},
    ]
    assert report["windows"] == [] and report["dst"] == []


def test_a_six_field_cron_is_invalid_input():
    report = run_invalid(
        "--cron",
        "0 0 9 * * 1-5",
        "--tz",
        "UTC",
        "--duration",
        "60",
        "--from",
        "2026-03-02",
        "--days",
        "1",
        "--json",
    )
    assert report["errors"][0]["field"] == "cron"


def test_a_cron_that_never_fires_in_the_horizon_is_invalid_input():
    report = run_invalid(
        "--cron",
        "0 9 * * 6",
        "--tz",
        "America/Chicago",
        "--duration",
        "60",
        "--from",
        "2026-03-02",
        "--days",
        "5",
        "--json",
    )
    [error] = report["errors"]
    assert error["field"] == "cron" and error["message"].startswith("never fires between")


def test_missing_arguments_are_invalid_input_naming_each_missing_flag():
    report = run_invalid("--json")
    assert report["errors"] == [
        {"field": "cron", "message": "is required (--cron)"},
        {"field": "tz", "message": "is required (--tz)"},
        {"field": "duration", "message": "is required (minutes)"},
        {"field": "from", "message": "is required (YYYY-MM-DD)"},
        {"field": "days", "message": "is required (a number of days)"},
    ]


def test_every_error_field_is_one_of_the_commands_flag_names():
    report = run_invalid(
        "--cron",
        "0 9 * *",
        "--tz",
        "Mars/Base",
        "--duration",
        "x",
        "--from",
        "soon",
        "--days",
        "0",
        "--contact-tz",
        "Etc/Unknown",
        "--jurisdiction",
        "US-ZZ",
        "--json",
    )
    assert [e["field"] for e in report["errors"]] == [
        "cron",
        "tz",
        "duration",
        "from",
        "days",
        "contact_tz",
        "jurisdiction",
    ]


def test_unknown_jurisdictions_and_contact_zones_are_invalid_input():
    report = run_invalid(
        *BASE, "--from", "2026-03-02", "--days", "1", "--jurisdiction", "US-ZZ", "--contact-tz", "Etc/Unknown"
    )
    assert [e["field"] for e in report["errors"]] == ["contact_tz", "jurisdiction"]


def test_a_legacy_alias_is_accepted():
    assert (
        run(
            "--cron",
            "0 9 * * *",
            "--tz",
            "US/Central",
            "--duration",
            "60",
            "--from",
            "2026-03-02",
            "--days",
            "1",
            "--json",
        )["valid"]
        is True
    )


def test_without_json_it_prints_a_readable_summary():
    out = StringIO()
    call_command(
        "schedule_check",
        "--cron",
        "0 9 * * 1-5",
        "--tz",
        "America/Chicago",
        "--duration",
        "480",
        "--from",
        "2026-03-02",
        "--days",
        "1",
        stdout=out,
    )
    assert out.getvalue().splitlines()[0] == "1 windows"
    assert "compliance: ok" in out.getvalue()


# ---- bad input: one line naming the flag, exit 2, never a traceback ---------------------------------------


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "1999-12-31"])
def test_a_from_date_at_the_edges_of_the_calendar_exits_two_naming_the_flag(day):
    report = run_invalid(*BASE, "--from", day, "--days", "7")
    assert report["errors"] == [
        {
            "field": "from",
            "message": f"{day} is outside the dates a schedule may use (between 2000-01-01 and 2100-12-31)",
        }
    ]


def test_the_last_day_of_the_range_with_a_year_after_it_is_fine():
    report = run(*BASE, "--from", "2100-12-31", "--days", "366")
    assert report["valid"] is True and len(report["windows"]) > 200


@pytest.mark.parametrize("duration", ["٤٨٠", "1_000", "+480", "480.0", " 4 8 0 "])
def test_a_duration_not_in_plain_digits_is_refused(duration):
    args = ["--cron", "0 9 * * 1-5", "--tz", "America/Chicago", "--duration", duration, "--json"]
    report = run_invalid(*args, "--from", "2026-03-02", "--days", "7")
    assert report["errors"] == [
        {"field": "duration", "message": f"{duration!r} is not a whole number of minutes"}
    ]


@pytest.mark.parametrize("days", ["٧", "1_0", "99999999999999999999999"])
def test_days_not_in_plain_digits_are_refused(days):
    [error] = run_invalid(*BASE, "--from", "2026-03-02", "--days", days)["errors"]
    assert error["field"] == "days"


def test_a_cron_extension_is_refused_naming_the_part():
    report = run_invalid(
        "--cron", "0 9 L * *", "--tz", "America/Chicago", "--duration", "480", "--from", "2026-03-02", "--days", "7",
        "--json",
    )  # fmt: skip
    [error] = report["errors"]
    assert error["field"] == "cron" and error["message"].startswith(
        "day-of-month: 'L' uses 'L' (the last day)"
    )


@pytest.mark.parametrize(
    ("zone", "suggested"), [("EST", "America/New_York"), ("EST5EDT", "America/New_York")]
)
def test_a_legacy_zone_name_is_refused_with_the_real_zone_suggested(zone, suggested):
    report = run_invalid(
        "--cron", "0 9 * * 1-5", "--tz", zone, "--duration", "480", "--from", "2026-03-02", "--days", "7", "--json"
    )  # fmt: skip
    [error] = report["errors"]
    assert error["field"] == "tz" and error["message"].endswith(f"enter {suggested}")


def test_a_contact_zone_in_lower_case_is_suggested_in_its_real_spelling():
    [error] = run_invalid(*BASE, "--from", "2026-03-02", "--days", "7", "--contact-tz", "america/chicago")[
        "errors"
    ]
    assert error == {
        "field": "contact_tz",
        "message": "'america/chicago' is not an IANA time zone; did you mean America/Chicago?",
    }


def test_without_json_invalid_input_is_one_line_on_stderr_and_exit_two():
    with pytest.raises(CommandError) as caught:
        call_command(
            *["schedule_check", *BASE[:-1]], "--from", "0001-01-01", "--days", "7", stdout=StringIO()
        )
    assert caught.value.returncode == 2
    assert "\n" not in str(caught.value)
    assert str(caught.value).startswith("invalid input: from: 0001-01-01 is outside")


# ---- severity, and the retry policy's frequency limits ----------------------------------------------------

FLORIDA_DAY = [*BASE, "--from", "2026-06-01", "--days", "7", "--jurisdiction", "US-FL"]


def test_every_finding_carries_its_rule_and_severity_and_ok_is_false_exactly_with_a_blocking_one():
    late = ["--cron", "0 19 * * *", "--tz", "America/Chicago", "--duration", "90", "--json"]
    sunday_morning = ["--cron", "0 11 * * 0", "--tz", "America/Chicago", "--duration", "60", "--json"]
    texas = run(*sunday_morning, "--from", "2026-06-01", "--days", "7", "--jurisdiction", "US-TX")
    assert {(f["rule"], f["severity"]) for f in texas["compliance"]["findings"]} == {("us-tx", "warning")}
    assert texas["compliance"]["ok"] is True
    florida = run(*late, "--from", "2026-06-01", "--days", "7", "--jurisdiction", "US-FL")
    assert {f["severity"] for f in florida["compliance"]["findings"]} == {"blocking"}
    assert florida["compliance"]["ok"] is False


def test_without_retry_flags_no_frequency_finding_is_made():
    report = run(*FLORIDA_DAY)
    assert [f for f in report["compliance"]["findings"] if f["kind"] == "frequency"] == []


@pytest.mark.parametrize(("attempts", "ok"), [("2", True), ("3", True), ("4", False), ("5", False)])
def test_a_retry_policy_is_judged_against_floridas_three_calls_in_24_hours(attempts, ok):
    report = run(*FLORIDA_DAY, "--retry-minutes", "1", "--max-attempts", attempts)
    frequency = [f for f in report["compliance"]["findings"] if f["kind"] == "frequency"]
    assert report["compliance"]["ok"] is ok
    assert [(f["rule"], f["severity"]) for f in frequency] == ([] if ok else [("us-fl-frequency", "blocking")])


def test_eight_hours_apart_keeps_florida():
    assert run(*FLORIDA_DAY, "--retry-minutes", "480", "--max-attempts", "10")["compliance"]["ok"] is True
    assert run(*FLORIDA_DAY, "--retry-minutes", "479", "--max-attempts", "10")["compliance"]["ok"] is False


@pytest.mark.parametrize(("attempts", "ok"), [("7", True), ("8", False)])
def test_regulation_f_applies_to_debt_collection_only(attempts, ok):
    args = [*BASE, "--from", "2026-06-01", "--days", "7", "--retry-minutes", "60", "--max-attempts", attempts]
    debt = run(*args, "--purpose", "debt-collection")
    assert debt["compliance"]["ok"] is ok
    assert [f["rule"] for f in debt["compliance"]["findings"]] == ([] if ok else ["us-reg-f"])
    assert run(*args)["compliance"]["ok"] is True  # telemarketing, the default
    assert run(*args, "--purpose", "informational")["compliance"]["ok"] is True


def test_the_text_summary_says_which_findings_block():
    out = StringIO()
    call_command(
        "schedule_check", *[a for a in FLORIDA_DAY if a != "--json"], "--retry-minutes", "1", "--max-attempts", "5",
        stdout=out,
    )  # fmt: skip
    assert "compliance: NOT compliant" in out.getvalue()
    assert "  BLOCKING us-fl-frequency (US-FL, high confidence): Florida" in out.getvalue()


@pytest.mark.parametrize(
    ("args", "field", "message"),
    [
        (["--retry-minutes", "60"], "max_attempts", "is needed with the other retry flag"),
        (["--max-attempts", "3"], "retry_minutes", "is needed with the other retry flag"),
        (["--retry-minutes", "abc", "--max-attempts", "3"], "retry_minutes", "'abc' is not a whole number"),
        (["--retry-minutes", "60", "--max-attempts", "0"], "max_attempts", "0 is outside 1-300 attempts"),
        (["--retry-minutes", "60", "--max-attempts", "301"], "max_attempts", "301 is outside 1-300 attempts"),
        (["--purpose", "charity"], "purpose", "'charity' is not a purpose"),
    ],
)
def test_bad_retry_flags_exit_two_naming_the_flag(args, field, message):
    report = run_invalid(*BASE, "--from", "2026-06-01", "--days", "1", *args)
    [error] = report["errors"]
    assert error["field"] == field and message in error["message"]
