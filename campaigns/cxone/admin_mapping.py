"""A Personal Connection skill of the Admin API as a Campaign in our schemas, and back. Pure: no HTTP.

- id, name: the skill's (skillId as text). The skill is its own capacity pool (SkillRef).
- state: ACTIVE while the skill runs, PAUSED while it does not.
- version: the Admin API has none, so ours is a fingerprint of the skill's schedule (schedule_version): equal
  schedules, equal versions. A draft's base version is the schedule it was drafted from; a write is refused when
  the schedule read just before it has another fingerprint (emulated optimistic concurrency).
- schedule: the skill's week as one cron + window length in the zone its times are in, when every active day has
  the same window; a week with different windows on different days (which a planner can set in CXone) has no
  schedule here and says why in `errors`.
- effective period: a skill's schedule holds from when it was last set until someone changes it. A draft needs
  a period, so the mirror shows startTime = the skill's lastUpdateTime and endTime OPEN_END_YEARS later (stable
  from one sync to the next); the editor warns that CXone does not stop at a draft's end (skill_findings.py).
- contact list: the skill's zones (time-zones settings, else the business unit's), read by get_contact_list of
  the id zones_list_id(skill id).
- DNC: the DNC group that scrubs the skill (dnc_list_id). The Admin API has no dncRules tags; the equivalent
  settings are read as rules (dnc_rules_of): a scrubbing DNC group is STATE_DNC, and the calling window the
  skill's zones share (time-zones startTime/endTime) is FCC_MIN_TIME/FCC_MAX_TIME. A skill without them lacks
  the rule, and DNC readiness says so, as for v2.
"""

from __future__ import annotations

import datetime as dt
import json
import zlib
from typing import Any

from campaigns.cxone.schemas import Campaign, ContactList, ContactListRef, DncList, Schedule, SkillRef
from campaigns.scheduling.cxone_zones import UnknownCXoneZone, iana_zone_for
from campaigns.scheduling.weekly import WeeklySchedule, clock, parse_time

PERSONAL_CONNECTION = "personal connection"
OPEN_END_YEARS = 5
ZONES_LIST_PREFIX = "skill-zones-"

# What activation writes in the draft's history under the Admin backend: the check is only as good as the API.
CONCURRENCY_NOTE = (
    "The Admin API has no versions: the skill's schedule was read just before the write and matched the one this "
    "draft was based on, but a change someone else makes in CXone in the same instant can still win."
)


def is_personal_connection(skill: dict) -> bool:
    return str(skill.get("outboundStrategy") or "").strip().lower() == PERSONAL_CONNECTION


def skill_state(skill: dict) -> str:
    return "ACTIVE" if skill.get("isRunning") else "PAUSED"


def skill_id_of(skill: dict) -> str:
    return str(skill.get("skillId", skill.get("id", "")))


def zones_list_id(skill_id: str) -> str:
    return f"{ZONES_LIST_PREFIX}{skill_id}"


def schedule_settings_of(body: Any) -> dict:
    """The schedule-settings in any shape seen: bare, wrapped as {scheduleSettings: {...}}, or the combined read's
    {scheduleSettings: {isScheduled, schedules: [{...}]}}."""
    if isinstance(body, dict) and isinstance(body.get("scheduleSettings"), dict):
        body = body["scheduleSettings"]
    if isinstance(body, dict) and isinstance(body.get("schedules"), list) and body["schedules"]:
        first = body["schedules"][0]
        if isinstance(first, dict):
            return {"isScheduled": body.get("isScheduled", True), **first}
    return body if isinstance(body, dict) else {}


def schedule_version(week: WeeklySchedule | None) -> int:
    """A stable fingerprint of a skill's schedule (1..2^31-1): our stand-in for the version it lacks."""
    if week is None:
        shape: Any = "unscheduled"
    else:
        shape = [[w.start, w.end] if w else None for w in week.days]
    return zlib.crc32(json.dumps(shape).encode()) % (2**31 - 1) + 1


def dnc_rules_of(zone_rows: Any, dnc_group_id: str | None) -> list[dict]:
    rows = zone_rows.get("timeZoneSettings", []) if isinstance(zone_rows, dict) else zone_rows or []
    active = [r for r in rows if isinstance(r, dict) and r.get("timeZoneActiveToCall", True)]
    rules: list[dict] = []
    for field, kind in (("startTime", "FCC_MIN_TIME"), ("endTime", "FCC_MAX_TIME")):
        values = set()
        for row in active:
            try:
                values.add(clock(parse_time(row.get(field), field)))
            except ValueError:
                values.add(None)
        if len(values) == 1 and None not in values:
            rules.append({"type": kind, "value": values.pop()})
    if dnc_group_id:
        rules.append({"type": "STATE_DNC"})
    return rules


def skill_to_campaign(
    skill: dict,
    settings: dict,
    *,
    zone: str,
    dnc_group_id: str | None,
    skill_agents: int | None = None,
    zone_rows: Any = None,
) -> Campaign:
    """The skill as a Campaign. `settings`: its schedule-settings; `zone`: the IANA zone its times are in."""
    skill_id = skill_id_of(skill)
    name = str(skill.get("skillName") or skill.get("name") or skill_id)
    errors: list[dict] = []
    week: WeeklySchedule | None = None
    schedule = None
    try:
        week = WeeklySchedule.from_settings(settings)
    except ValueError as exc:
        errors.append({"code": "schedule.unreadable", "message": f"schedule-settings: {exc}"})
    updated = _instant(skill.get("lastUpdateTime") or skill.get("lastModified"))
    if week is not None:
        crons = week.as_cron()
        if len(crons) == 1:
            cron, minutes = crons[0]
            end = (
                updated.replace(year=updated.year + OPEN_END_YEARS, day=min(updated.day, 28))
                if updated
                else None
            )
            schedule = Schedule(
                timezone=zone,
                cron_expression=cron,
                duration_minutes=minutes,
                start_time=updated,
                end_time=end,
            )
        elif crons:
            errors.append(
                {
                    "code": "schedule.several_windows",
                    "message": f"the skill's week has different windows on different days ({week.describe()}); "
                    "edit it in CXone or draft one window for every day here",
                }
            )
    campaign = Campaign(
        id=skill_id,
        name=name,
        state=skill_state(skill),
        version=schedule_version(week),
        skill=SkillRef(id=skill_id, name=name, agents=skill_agents),
        contact_list=ContactListRef(id=zones_list_id(skill_id), name=f"Time zones of {name}"),
        dnc_list_id=dnc_group_id,
        dnc_rules=dnc_rules_of(zone_rows, dnc_group_id),
        schedule=schedule,
        errors=errors,
        updated_at=updated,
    )
    campaign._raw = {"skill": skill, "scheduleSettings": settings, "timeZoneSettings": zone_rows}
    return campaign


def dnc_group_to_list(group: dict) -> DncList:
    group_id = str(group.get("dncGroupId", group.get("id", "")))
    active = group.get("isActive", group.get("active", True))
    return DncList(
        id=group_id,
        name=str(group.get("dncGroupName") or group.get("name") or group_id),
        state="ACTIVE" if active else "INACTIVE",
        size=int(group.get("recordCount") or group.get("size") or 0),
    )


def zones_to_contact_list(skill_id: str, cxone_names: list[str]) -> ContactList:
    """The zones a skill may call, as a one-row breakdown (IANA ids). A CXone name the table lacks is refused
    loudly (UnknownCXoneZone), never guessed."""
    zones = list(dict.fromkeys(iana_zone_for(name) for name in cxone_names))
    return ContactList(
        id=zones_list_id(skill_id),
        name=f"Time zones of skill {skill_id}",
        breakdown=[{"state": "", "timezones": zones, "count": 0}] if zones else [],
    )


def active_zone_names(body: Any) -> list[str]:
    """The standardNames switched on in a time-zones answer ({timeZoneSettings: [...]} or a bare list)."""
    rows = body.get("timeZoneSettings", []) if isinstance(body, dict) else body
    return [
        str(row.get("standardName"))
        for row in rows or []
        if isinstance(row, dict) and row.get("standardName") and row.get("timeZoneActiveToCall", True)
    ]


def _instant(value: Any) -> dt.datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


__all__ = [
    "CONCURRENCY_NOTE",
    "UnknownCXoneZone",
    "active_zone_names",
    "dnc_group_to_list",
    "is_personal_connection",
    "schedule_settings_of",
    "schedule_version",
    "skill_id_of",
    "skill_to_campaign",
    "zones_list_id",
    "zones_to_contact_list",
]
