"""What the two command-line contracts print, built from raw arguments (pure; the management commands only
parse arguments, print and set the exit code).

schedule_check → {"valid", "errors", "windows", "dst", "compliance": {"ok", "findings"}}
                 (each error's field is the flag it came from: cron, tz, duration, from, days, contact_tz,
                 jurisdiction, retry_minutes, max_attempts, purpose); each finding carries its rule, kind and
                 severity ("blocking" or "warning"); compliance.ok is false exactly when one is blocking
conflicts      → {"conflicts": [...]}
                 or, for bad input, {"error": {campaign|pool, field, message}, "errors": [...]}
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

from .compliance import check_compliance
from .conflicts import CampaignLoad
from .cron import cron_errors
from .dst import dst_findings
from .findings import Finding, FindingsReport
from .frequency import TELEMARKETING, parse_purpose, retry_policy_findings
from .retry import MINUTE_MS, RetryPolicy
from .rules import parse_jurisdiction
from .spec import (
    FieldError,
    ScheduleSpec,
    date_error,
    json_duration,
    parse_duration,
    parse_whole_number,
    validate_spec,
)
from .whatif import find_conflicts
from .windows import expand_windows
from .zones import get_zone, localize, zone_error

__all__ = ["MAX_DAYS", "conflicts_report", "parse_day", "parse_days", "schedule_check_report"]

MAX_DAYS = 366
# What the command accepts for a retry policy: the widest of the backends (the Admin API's 300 attempts), an
# interval of up to a week.
MAX_ATTEMPTS, MAX_RETRY_MINUTES = 300, 7 * 24 * 60
# What each finding of the command's JSON says (a contract: scripts read these keys).
CLI_FINDING_KEYS = ("rule", "kind", "severity", "jurisdiction", "window_start", "message", "confidence", "source")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_day(value: object) -> tuple[date | None, str | None]:
    if value is None or value == "":
        return None, "is required (YYYY-MM-DD)"
    if not isinstance(value, str) or not _DAY.match(value):
        return None, f"{value!r} is not a date (YYYY-MM-DD)"
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return None, f"{value!r} is not a date (YYYY-MM-DD)"
    message = date_error(day)
    return (None, message) if message else (day, None)


def parse_days(value: object) -> tuple[int | None, str | None]:
    if value is None or value == "":
        return None, "is required (a number of days)"
    days = value if isinstance(value, int) and not isinstance(value, bool) else parse_whole_number(value)
    if days is None:
        shown = str(value) if len(str(value)) <= 20 else f"{str(value)[:20]}…"
        return None, f"{shown!r} is not a whole number of days"
    if not 1 <= days <= MAX_DAYS:
        return None, f"{days} is outside 1-{MAX_DAYS} days"
    return days, None


# schedule_check names each error by the command's flag (`--from` → "from", `--contact-tz` → "contact_tz");
# the engine's validate_spec names the ScheduleSpec / model fields, which the web form relies on.
_FLAG_NAMES = {"cron_expression": "cron", "timezone": "tz", "duration_minutes": "duration"}


def parse_count(value: object, flag: str, unit: str, most: int) -> tuple[int | None, str | None]:
    """A whole number from 1 to `most` typed on the command line (ASCII digits), else (None, why)."""
    number = parse_whole_number(value)
    if number is None:
        shown = str(value) if len(str(value)) <= 20 else f"{str(value)[:20]}…"
        return None, f"{shown!r} is not a whole number of {unit} (--{flag})"
    if not 1 <= number <= most:
        return None, f"{number} is outside 1-{most} {unit} (--{flag})"
    return number, None


def _retry_policy(
    retry_minutes: object, max_attempts: object, errors: list[FieldError]
) -> RetryPolicy | None:
    """The policy the two flags describe, or None when neither is given (no frequency finding is made then)."""
    if retry_minutes is None and max_attempts is None:
        return None
    if retry_minutes is None or max_attempts is None:
        missing = "retry_minutes" if retry_minutes is None else "max_attempts"
        errors.append(
            FieldError(missing, "is needed with the other retry flag (--retry-minutes and --max-attempts)")
        )
        return None
    minutes, message = parse_count(retry_minutes, "retry-minutes", "minutes", MAX_RETRY_MINUTES)
    if message:
        errors.append(FieldError("retry_minutes", message))
    attempts, message = parse_count(max_attempts, "max-attempts", "attempts", MAX_ATTEMPTS)
    if message:
        errors.append(FieldError("max_attempts", message))
    if minutes is None or attempts is None:
        return None
    return RetryPolicy(max_attempts=attempts, retry_interval_ms=minutes * MINUTE_MS)


def cli_finding(finding: Finding) -> dict[str, Any]:
    row = finding.to_dict()
    return {key: row[key] for key in CLI_FINDING_KEYS}


def _invalid(errors: list[FieldError]) -> dict[str, Any]:
    return {
        "valid": False,
        "errors": [{"field": _FLAG_NAMES.get(e.field, e.field), "message": e.message} for e in errors],
        "windows": [],
        "dst": [],
        "compliance": {"ok": False, "findings": []},
    }


def schedule_check_report(
    *,
    cron: str | None,
    tz: str | None,
    duration: object,
    start_day: str | None,
    days: object,
    contact_zones: Sequence[str] = (),
    jurisdictions: Sequence[str] = (),
    retry_minutes: object = None,
    max_attempts: object = None,
    purpose: object = TELEMARKETING,
) -> dict[str, Any]:
    """The schedule_check JSON object. `valid` is False when any input is unusable (the command exits 2).
    A retry policy (both `retry_minutes` and `max_attempts`) is judged against the frequency limits of its
    `purpose`; without one, no frequency finding is made. The dates the limits apply on are the horizon's."""
    errors: list[FieldError] = []
    if cron is None:
        errors.append(FieldError("cron", "is required (--cron)"))
    else:
        errors += [FieldError("cron", message) for message in cron_errors(cron)]
    if tz is None:
        errors.append(FieldError("tz", "is required (--tz)"))
    elif message := zone_error(tz):
        errors.append(FieldError("tz", message))
    minutes, message = parse_duration(duration)
    if message:
        errors.append(FieldError("duration", message))
    first_day, message = parse_day(start_day)
    if message:
        errors.append(FieldError("from", message))
    day_count, message = parse_days(days)
    if message:
        errors.append(FieldError("days", message))
    for zone in contact_zones:
        if message := zone_error(zone):
            errors.append(FieldError("contact_tz", message))
    for code in jurisdictions:
        try:
            parse_jurisdiction(code)
        except ValueError as exc:
            errors.append(FieldError("jurisdiction", str(exc)))
    policy = _retry_policy(retry_minutes, max_attempts, errors)
    try:
        purpose = parse_purpose(purpose)
    except ValueError as exc:
        errors.append(FieldError("purpose", str(exc)))
    if errors:
        return _invalid(errors)

    assert cron is not None and tz is not None and minutes is not None
    assert first_day is not None and day_count is not None
    zone = get_zone(tz)
    # The horizon is local midnight to local midnight in the campaign's zone, as UTC instants.
    horizon_start = localize(datetime.combine(first_day, datetime.min.time()), zone)
    horizon_end = localize(datetime.combine(first_day + timedelta(days=day_count), datetime.min.time()), zone)
    spec = ScheduleSpec(cron, tz, minutes)
    errors = validate_spec(spec, horizon_start, horizon_end)
    if errors:
        return _invalid(errors)

    windows = expand_windows(spec, horizon_start, horizon_end)
    findings = list(
        check_compliance(
            windows,
            campaign_zone=tz,
            contact_zones=list(contact_zones) or None,
            jurisdictions=list(jurisdictions) or None,
        ).findings
    )
    if policy is not None:
        findings += retry_policy_findings(
            policy,
            purpose=str(purpose),
            jurisdictions=list(jurisdictions) or None,
            as_of=first_day,
            until=first_day + timedelta(days=day_count - 1),
            windows=windows,
        )
    report = FindingsReport.of(findings)
    return {
        "valid": True,
        "errors": [],
        "windows": [window.to_dict() for window in windows],
        "dst": [finding.to_dict() for finding in dst_findings(spec, windows)],
        "compliance": {"ok": report.ok, "findings": [cli_finding(finding) for finding in report.findings]},
    }


class InputError(ValueError):
    """Bad conflicts input; `errors` are dicts naming the campaign (or pool) and the field."""

    def __init__(self, errors: list[dict[str, Any]]):
        super().__init__("; ".join(_describe(error) for error in errors))
        self.errors = errors

    def to_dict(self) -> dict[str, Any]:
        return {"error": self.errors[0], "errors": self.errors}


def _describe(error: dict[str, Any]) -> str:
    who = (
        f"campaign {error['campaign']}"
        if "campaign" in error
        else f"pool {error['pool']}"
        if "pool" in error
        else ""
    )
    return " ".join(part for part in (who, f"{error['field']}:", error["message"]) if part)


MAX_ID = 64  # CXone's ids are short strings; the mirror keeps 64 characters


def _name(value: object) -> str | None:
    """An id as the contract has it: non-empty text (a JSON number is refused, not quietly turned into text)."""
    if not isinstance(value, str) or not value.strip() or len(value) > MAX_ID:
        return None
    return value.strip()


def _id_error(value: object) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f'must be text, such as "{value}", not the number {value}'
    if isinstance(value, str) and len(value) > MAX_ID:
        return f"is longer than {MAX_ID} characters"
    return "is required"


def _count(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def _moment(value: object) -> tuple[datetime | None, str | None]:
    if value is None:
        return None, None
    if not isinstance(value, str) or len(value) > 40:
        return None, 'must be an ISO 8601 date and time as text, such as "2026-12-01T00:00:00Z"'
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None, f"{value!r} is not an ISO 8601 date and time"
    if moment.tzinfo is None:
        return None, f"{value!r} needs a UTC offset"
    try:
        day = moment.astimezone(UTC).date()
    except OverflowError:
        day = moment.date()
    message = date_error(day)
    return (None, message) if message else (moment, None)


def parse_conflicts_input(data: object) -> tuple[dict[str, int], list[CampaignLoad]]:
    """Pools and campaigns of the conflicts input file; raises InputError naming every bad campaign field."""
    if not isinstance(data, dict):
        raise InputError([{"field": "input", "message": "must be a JSON object with pools and campaigns"}])
    errors: list[dict[str, Any]] = []
    pools: dict[str, int] = {}
    raw_pools, raw_campaigns = data.get("pools"), data.get("campaigns")
    if not isinstance(raw_pools, list):
        errors.append({"field": "pools", "message": "must be a list of {id, capacity}"})
        raw_pools = []
    if not isinstance(raw_campaigns, list):
        errors.append({"field": "campaigns", "message": "must be a list of campaigns"})
        raw_campaigns = []
    for position, pool in enumerate(raw_pools):
        entry = pool if isinstance(pool, dict) else {}
        pool_id = _name(entry.get("id")) or f"pools[{position}]"
        if _name(entry.get("id")) is None:
            errors.append({"pool": pool_id, "field": "id", "message": _id_error(entry.get("id"))})
        elif pool_id in pools:
            errors.append({"pool": pool_id, "field": "id", "message": "appears twice"})
        capacity = _count(entry.get("capacity"))
        if capacity is None:
            errors.append({"pool": pool_id, "field": "capacity", "message": "must be a whole number ≥ 0"})
        else:
            pools[pool_id] = capacity
    campaigns: list[CampaignLoad] = []
    seen: set[str] = set()
    for position, campaign in enumerate(raw_campaigns):
        entry = campaign if isinstance(campaign, dict) else {}
        campaign_id = _name(entry.get("id")) or f"campaigns[{position}]"
        problems: list[tuple[str, str]] = []
        if _name(entry.get("id")) is None:
            problems.append(("id", _id_error(entry.get("id"))))
        elif campaign_id in seen:
            problems.append(("id", "appears twice"))
        seen.add(campaign_id)
        cron = entry.get("cron")
        problems += [("cron", message) for message in cron_errors(cron)]
        zone = entry.get("timezone")
        if message := zone_error(zone):
            problems.append(("timezone", message))
        minutes, message = json_duration(entry.get("duration"))
        if message:
            problems.append(("duration", message))
        pool = _name(entry.get("pool"))
        if pool is None:
            problems.append(("pool", _id_error(entry.get("pool"))))
        elif pool not in pools:
            problems.append(("pool", f"{pool!r} is not one of the pools"))
        agents = _count(entry.get("agents"))
        if agents is None:
            problems.append(("agents", "must be a whole number ≥ 0"))
        contact_list = entry.get("contact_list")
        if contact_list is not None and _name(contact_list) is None:
            problems.append(("contact_list", "must be an id (text) or null"))
        effective_start, message = _moment(entry.get("effective_start"))
        if message:
            problems.append(("effective_start", message))
        effective_end, message = _moment(entry.get("effective_end"))
        if message:
            problems.append(("effective_end", message))
        if problems:
            errors += [{"campaign": campaign_id, "field": name, "message": text} for name, text in problems]
            continue
        campaigns.append(
            CampaignLoad(
                id=campaign_id,
                cron_expression=cron,
                timezone=zone,
                duration_minutes=minutes,
                pool=pool,
                agents=agents,
                contact_list=_name(contact_list),
                effective_start=effective_start,
                effective_end=effective_end,
            )
        )
    if errors:
        raise InputError(errors)
    return pools, campaigns


def conflicts_report(data: object, start_day: str | None, days: object) -> dict[str, Any]:
    """The conflicts JSON object; raises InputError for bad input (the command exits 2)."""
    errors = []
    first_day, message = parse_day(start_day)
    if message:
        errors.append({"field": "from", "message": message})
    day_count, message = parse_days(days)
    if message:
        errors.append({"field": "days", "message": message})
    try:
        pools, campaigns = parse_conflicts_input(data)
    except InputError as exc:
        errors += exc.errors
    if errors:
        raise InputError(errors)
    assert first_day is not None and day_count is not None
    start = datetime(first_day.year, first_day.month, first_day.day, tzinfo=UTC)
    conflicts = find_conflicts(pools, campaigns, start, start + timedelta(days=day_count))
    return {"conflicts": [conflict.to_dict() for conflict in conflicts]}
