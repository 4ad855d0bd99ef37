"""A Personal Connection skill's parameter groups as the Admin API gives them, read into our terms and written
back. Pure: no HTTP. The shapes are campaigns/cxone/contract/admin-api.json's.

- Schedule: the flat schedule-settings (`<day>StartTime`, `<day>EndTime`, `<day>IsActive`, sunday…saturday) of
  its own endpoint, or the combined read's `{isScheduled, schedules: [{day, active, startTime, endTime}]}`, one
  item per weekday (`week_of`).
- Retry policy: retry-settings' maximumAttempts, minimumRetryMinutes, restrictedCallingMinutes and
  restrictedCallingMaxAttempts are a RetryPolicy's max_attempts, retry_interval_ms (whole minutes),
  restricted_calling_minutes and restricted_calling_max_attempts (`policy_of`, `retry_fields_of`). The group's
  other fields (maximumNumberOfHandledCalls, finalizeWhenExhausted, callback fields…) are CXone's and written
  back as they were read. retryOnBusy / retryOnNoAnswer have no field here: under this API they are not written.
- Per-number windows: cadenceSettings.cadences[].timeConstraints[{dayType, startTime, endTime}]
  (`time_constraints_of`), a second place where calling hours live.
- Zone rows: `name` in the combined read, `standardName` in time-zones (`zone_name`).
"""

from __future__ import annotations

from typing import Any

from campaigns.cxone.errors import ValidationFailed
from campaigns.cxone.schemas import RetryPolicy, TimeConstraint
from campaigns.scheduling.weekly import DAY_FIELDS, WeeklySchedule, clock, parse_time

__all__ = [
    "RETRY_FIELDS",
    "RETRY_RANGES",
    "flat_schedule_settings",
    "policy_of",
    "retry_fields_of",
    "time_constraints_of",
    "week_of",
    "zone_name",
]

# The retry-settings fields a draft's policy decides (and the fingerprint covers), in this order.
RETRY_FIELDS = ("maximumAttempts", "minimumRetryMinutes", "restrictedCallingMinutes", "restrictedCallingMaxAttempts")
# Their published ranges (None: no upper bound given). "7 days" (10,080 min) does not fit restrictedCallingMinutes.
RETRY_RANGES = {
    "maximumAttempts": (1, 300),
    "minimumRetryMinutes": (1, None),
    "restrictedCallingMinutes": (0, 9999),
    "restrictedCallingMaxAttempts": (0, 10),
}
MINUTE_MS = 60_000
_DAY_NAMES = {name: index for index, name in enumerate(DAY_FIELDS)} | {
    name[:3]: index for index, name in enumerate(DAY_FIELDS)
}


def flat_schedule_settings(body: Any) -> dict:
    """The schedule-settings, flat, from any shape seen: flat, wrapped as {scheduleSettings: {...}}, or the
    combined read's one item per weekday. ValueError when a weekday is missing or named twice."""
    if isinstance(body, dict) and isinstance(body.get("scheduleSettings"), dict):
        body = body["scheduleSettings"]
    if not isinstance(body, dict):
        return {}
    items = body.get("schedules")
    if not isinstance(items, list):
        return body
    flat: dict = {"isScheduled": body.get("isScheduled", True)}
    for item in items:
        if not isinstance(item, dict):
            raise ValueError("schedules: an item is not an object")
        day = _DAY_NAMES.get(str(item.get("day", "")).strip().casefold())
        if day is None:
            raise ValueError(f"schedules: {item.get('day')!r} is not a weekday")
        name = DAY_FIELDS[day]
        if f"{name}IsActive" in flat:
            raise ValueError(f"schedules: {name} given twice")
        flat.update({f"{name}IsActive": bool(item.get("active")), f"{name}StartTime": item.get("startTime"),
                     f"{name}EndTime": item.get("endTime")})  # fmt: skip
    missing = [name for name in DAY_FIELDS if f"{name}IsActive" not in flat]
    if missing and flat.get("isScheduled", True):
        raise ValueError(f"schedules: no item for {', '.join(missing)} (one item per weekday)")
    return flat


def week_of(body: Any) -> WeeklySchedule | None:
    """The skill's week from any schedule-settings shape (None: not scheduled). ValueError when unreadable."""
    return WeeklySchedule.from_settings(flat_schedule_settings(body))


def retry_settings_of(body: Any) -> dict:
    """retry-settings, flat (as published) or wrapped in {retrySettings: …} (as some tenants may answer)."""
    if isinstance(body, dict) and isinstance(body.get("retrySettings"), dict):
        return body["retrySettings"]
    return body if isinstance(body, dict) else {}


def policy_of(retry: dict) -> RetryPolicy | None:
    """retry-settings as a RetryPolicy; None when the group lacks its attempts or interval."""
    attempts, minutes = retry.get("maximumAttempts"), retry.get("minimumRetryMinutes")
    if not _whole(attempts) or not _whole(minutes):
        return None
    return RetryPolicy(
        max_attempts=attempts,
        retry_interval_ms=minutes * MINUTE_MS,
        restricted_calling_minutes=retry.get("restrictedCallingMinutes") or 0,
        restricted_calling_max_attempts=retry.get("restrictedCallingMaxAttempts") or 0,
    )


def retry_fields_of(policy: RetryPolicy) -> dict[str, int]:
    """What a RetryPolicy writes to retry-settings. ValidationFailed (nothing written) for what the fields cannot
    hold: an interval that is not whole minutes, a number outside its published range. A policy that says
    nothing of restricted calling writes none (0)."""
    values = {
        "maximumAttempts": policy.max_attempts,
        "minimumRetryMinutes": policy.retry_interval_ms // MINUTE_MS,
        "restrictedCallingMinutes": policy.restricted_calling_minutes or 0,
        "restrictedCallingMaxAttempts": policy.restricted_calling_max_attempts or 0,
    }
    problems = []
    if policy.retry_interval_ms % MINUTE_MS:
        problems.append(
            {"field": "retryPolicy.retryIntervalMs",
             "message": f"CXone's minimumRetryMinutes counts whole minutes; {policy.retry_interval_ms} ms is not"}
        )  # fmt: skip
    for name, (low, high) in RETRY_RANGES.items():
        value = values[name]
        if value < low or (high is not None and value > high):
            said = f"{low}–{high}" if high is not None else f"at least {low}"
            problems.append({"field": f"retrySettings.{name}", "message": f"{name} must be {said}, not {value}"})
    if problems:
        raise ValidationFailed("; ".join(p["message"] for p in problems), details=problems)
    return values


def held_retry_fields(retry: dict) -> tuple | None:
    """The decided fields as CXone holds them (for the fingerprint); None when the group could not be read."""
    values = tuple(retry.get(name) for name in RETRY_FIELDS)
    return values if all(_whole(v) for v in values[:2]) else None


def time_constraints_of(cadence_settings: Any) -> list[TimeConstraint]:
    """Every cadence's per-number windows, named by their cadence; unreadable times are left out."""
    cadences = cadence_settings.get("cadences") if isinstance(cadence_settings, dict) else None
    found: list[TimeConstraint] = []
    for cadence in cadences or []:
        if not isinstance(cadence, dict):
            continue
        for row in cadence.get("timeConstraints") or []:
            try:
                start = clock(parse_time(row.get("startTime"), "startTime"))
                end = clock(parse_time(row.get("endTime"), "endTime"))
            except (AttributeError, ValueError):
                continue
            found.append(
                TimeConstraint(
                    cadence=str(cadence.get("name") or ""), day_type=str(row.get("dayType") or ""),
                    start_time=start, end_time=end,
                )
            )  # fmt: skip
    return found


def zone_name(row: Any) -> str | None:
    """A zone row's CXone zone name: `name` in the combined read, `standardName` elsewhere."""
    if not isinstance(row, dict):
        return None
    found = row.get("standardName") or row.get("name")
    return str(found) if found else None


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
