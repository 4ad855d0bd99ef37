"""Someone edits a Personal Connection skill in the CXone UI, behind the planner's back: the Admin personality's
side of the touch control (`POST /_sandbox/campaigns/{skill id}/touch`, control.py).

    {"scheduleSettings": {"mondayStartTime": "10:00", "saturdayIsActive": true, ...}}   the week, field by field
    {"retrySettings": {"maximumAttempts": 5, "minimumRetryMinutes": 30, ...}}          its retry fields
    {"isRunning": false}                                                               stopped (or started)
    {"cadenceSettings": {"cadences": [{"name": "Mobile numbers", "timeConstraints": [{"dayType": "Weekday",
                         "startTime": "10:00", "endTime": "20:00"}]}]}}                its cadences, replaced whole

Any mix of the four; each given field replaces the stored one, the others stay. The skill's lastUpdateTime moves
to now, as CXone's does. Nothing here speaks HTTP: `edit_skill` changes the tenant or says what is wrong."""

from __future__ import annotations

import datetime as dt

from campaigns.sandbox.cxone.pc_tenant import PcTenant
from campaigns.scheduling.weekly import DAY_FIELDS

RETRY_NUMBERS = {
    "maximumAttempts": (1, 300),
    "minimumRetryMinutes": (0, 9999),
    "restrictedCallingMinutes": (0, 9999),
    "restrictedCallingMaxAttempts": (0, 10),
    "maximumNumberOfHandledCalls": (0, 10**6),
}
RETRY_FLAGS = ("finalizeWhenExhausted", "loadNonFresh")
EDITS = ("scheduleSettings", "retrySettings", "isRunning", "cadenceSettings")


class SkillEditRefused(ValueError):
    """The edit names a field the skill does not have, or a value it cannot hold; `field` says which."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def edit_skill(tenant: PcTenant, skill_id: str, changes: dict, *, now_iso: str, time_format: str) -> dict:
    """Apply `changes` to the skill (KeyError: no such skill; SkillEditRefused: nothing is changed). Returns
    the skill as the tenant now holds it: {"skill", "scheduleSettings", "retrySettings"}."""
    skill = tenant.skills[skill_id]
    if skill_id not in tenant.schedules:
        raise SkillEditRefused("", "only a Personal Connection skill has a schedule to edit")
    unknown = [name for name in changes if name not in EDITS]
    if unknown or not changes:
        raise SkillEditRefused(unknown[0] if unknown else "", f"give one or more of {', '.join(EDITS)}")
    week = _week(changes.get("scheduleSettings", {}), time_format)
    retry = _retry(changes.get("retrySettings", {}))
    running = changes.get("isRunning")
    if running is not None and not isinstance(running, bool):
        raise SkillEditRefused("isRunning", "must be true or false")
    cadences = _cadences(changes["cadenceSettings"]) if "cadenceSettings" in changes else None
    tenant.schedules[skill_id].update(week)
    if cadences is not None:
        tenant.cadences[skill_id] = cadences
    if retry:
        tenant.retry.setdefault(skill_id, {}).update(retry)
    if running is not None:
        tenant.starting.pop(skill_id, None)
        skill["isRunning"] = running
    skill["lastUpdateTime"] = now_iso
    return {
        "skill": dict(skill),
        "scheduleSettings": dict(tenant.schedules[skill_id]),
        "retrySettings": dict(tenant.retry.get(skill_id, {})),
    }


def _cadences(settings) -> list[dict]:
    cadences = settings.get("cadences") if isinstance(settings, dict) else None
    if not isinstance(cadences, list) or not all(
        isinstance(c, dict) and isinstance(c.get("timeConstraints", []), list) for c in cadences
    ):
        raise SkillEditRefused("cadenceSettings.cadences", "must be a list of cadences with timeConstraints lists")
    return [dict(c) for c in cadences]


def _week(fields, time_format: str) -> dict:
    if not isinstance(fields, dict):
        raise SkillEditRefused("scheduleSettings", "must be an object")
    for name, value in fields.items():
        day = next((d for d in DAY_FIELDS if name.startswith(d)), "")
        part = name[len(day) :]
        if name == "isScheduled" or part == "IsActive":
            if not isinstance(value, bool):
                raise SkillEditRefused(f"scheduleSettings.{name}", "must be true or false")
        elif day and part in ("StartTime", "EndTime"):
            if not _is_time(value, time_format):
                raise SkillEditRefused(f"scheduleSettings.{name}", f"must be a time written as {time_format}")
        else:
            raise SkillEditRefused(f"scheduleSettings.{name}", "is not a schedule-settings field")
    return dict(fields)


def _retry(fields) -> dict:
    if not isinstance(fields, dict):
        raise SkillEditRefused("retrySettings", "must be an object")
    for name, value in fields.items():
        if name in RETRY_NUMBERS:
            low, high = RETRY_NUMBERS[name]
            if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
                raise SkillEditRefused(
                    f"retrySettings.{name}", f"must be a whole number from {low} to {high}"
                )
        elif name in RETRY_FLAGS:
            if not isinstance(value, bool):
                raise SkillEditRefused(f"retrySettings.{name}", "must be true or false")
        else:
            raise SkillEditRefused(f"retrySettings.{name}", "is not a retry-settings field")
    return dict(fields)


def _is_time(value, time_format: str) -> bool:
    if not isinstance(value, str):
        return False
    try:
        dt.datetime.strptime(value, time_format)
    except ValueError:
        return False
    return True
