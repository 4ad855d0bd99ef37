"""The sandbox's server-side checks of a PUT body: every problem becomes a 422 detail {field, message}."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from cronsim import CronSim, CronSimError

CAMPAIGN_STATES = ("DRAFT", "ACTIVE", "PAUSED", "ERROR", "FAILED")


def is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def zone_or_none(name: Any) -> ZoneInfo | None:
    if not isinstance(name, str) or not name or len(name) > 64:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None


def parse_instant(value: Any) -> dt.datetime | None:
    """An ISO 8601 instant with an offset (or Z); None otherwise."""
    if not isinstance(value, str):
        return None
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None


def cron_problem(expression: Any, zone: ZoneInfo | None) -> str | None:
    if not isinstance(expression, str) or len(expression.split()) != 5:
        return "must have exactly 5 fields"
    try:
        next(iter(CronSim(expression, dt.datetime.now(zone or dt.UTC))))
    except (CronSimError, StopIteration, ValueError, OverflowError):
        return "is not a valid cron expression with a next fire time"
    return None


def validate_put(body: Any, campaign_id: str, known: dict[str, dict]) -> list[dict[str, str]]:
    """Problems with a full campaign PUT body (version is checked by the caller, before this)."""
    if not isinstance(body, dict):
        return [{"field": "", "message": "expected a JSON object"}]
    problems: list[dict[str, str]] = []

    def bad(field: str, message: str) -> None:
        problems.append({"field": field, "message": message})

    if "id" in body and body["id"] != campaign_id:
        bad("id", "does not match the campaign in the URL")
    if not isinstance(body.get("name"), str) or not body["name"].strip() or len(body["name"]) > 300:
        bad("name", "must be a non-empty string of at most 300 characters")
    if body.get("state") != "DRAFT":
        bad("state", "must be DRAFT")
    for field, table in (("skill", "skills"), ("contactList", "contact_lists")):
        ref = body.get(field)
        if not isinstance(ref, dict) or not isinstance(ref.get("id"), str):
            bad(f"{field}.id", "is required")
        elif ref["id"] not in known[table]:
            bad(f"{field}.id", "is unknown")
    dnc_list_id = body.get("dncListId")
    if dnc_list_id is not None and (
        not isinstance(dnc_list_id, str) or dnc_list_id not in known["dnc_lists"]
    ):
        bad("dncListId", "is unknown")
    _check_dnc_rules(body.get("dncRules", []), bad)
    _check_schedule(body.get("schedule"), bad)
    return problems


def schedule_problems(schedule: Any) -> list[dict[str, str]]:
    """Problems with a campaign's schedule as a PUT would carry it (for an edit made in CXone's own UI)."""
    problems: list[dict[str, str]] = []
    _check_schedule(schedule, lambda field, message: problems.append({"field": field, "message": message}))
    return problems


def _check_dnc_rules(rules: Any, bad) -> None:
    if not isinstance(rules, list):
        bad("dncRules", "must be a list")
        return
    for index, rule in enumerate(rules):
        kind = None
        if isinstance(rule, dict):
            kind = rule.get("type")
            if kind is None and isinstance(rule.get("regulatory"), dict):
                kind = rule["regulatory"].get("type")
        if not isinstance(kind, str) or not kind:
            bad(f"dncRules[{index}].type", "is required (top-level or in regulatory)")
        elif "value" in rule and not isinstance(rule["value"], str | type(None)):
            bad(f"dncRules[{index}].value", "must be a string")


def _check_schedule(schedule: Any, bad) -> None:
    if not isinstance(schedule, dict):
        bad("schedule", "is required")
        return
    zone = zone_or_none(schedule.get("timezone"))
    if zone is None:
        bad("schedule.timezone", "is not a known IANA time zone")
    problem = cron_problem(schedule.get("cronExpression"), zone)
    if problem:
        bad("schedule.cronExpression", problem)
    duration = schedule.get("durationMinutes")
    if not is_int(duration) or not 1 <= duration <= 1440:
        bad("schedule.durationMinutes", "must be a whole number from 1 to 1440")
    start, end = parse_instant(schedule.get("startTime")), parse_instant(schedule.get("endTime"))
    if start is None:
        bad("schedule.startTime", "must be an ISO 8601 date-time with an offset")
    if end is None:
        bad("schedule.endTime", "must be an ISO 8601 date-time with an offset")
    if start is not None and end is not None and start >= end:
        bad("schedule.endTime", "must be after startTime")
    policy = schedule.get("retryPolicy")
    if policy is None:
        return
    if not isinstance(policy, dict):
        bad("schedule.retryPolicy", "must be an object")
        return
    attempts, interval = policy.get("maxAttempts"), policy.get("retryIntervalMs")
    if not is_int(attempts) or not 1 <= attempts <= 10:
        bad("schedule.retryPolicy.maxAttempts", "must be a whole number from 1 to 10")
    if not is_int(interval) or interval < 60_000:
        bad("schedule.retryPolicy.retryIntervalMs", "must be a whole number of at least 60000")
    for flag in ("retryOnBusy", "retryOnNoAnswer"):
        if flag in policy and not isinstance(policy[flag], bool):
            bad(f"schedule.retryPolicy.{flag}", "must be true or false")
