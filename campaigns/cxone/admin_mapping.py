"""A Personal Connection skill of the Admin API as a Campaign in our schemas. Pure: no HTTP.

- id, name: the skill's (skillId as text). The skill is its own capacity pool (SkillRef).
- state: ACTIVE while the skill runs, PAUSED while it does not.
- version: the Admin API has none, so ours is a fingerprint of what a push writes (skill_version): the skill's
  week and the retry-settings fields a draft decides. Equal fingerprints, equal schedule and retry policy. A
  draft's base version is what it was drafted from; a write is refused when the fingerprint read just before it
  differs (emulated optimistic concurrency), and activation is confirmed when the fingerprint read back is the
  written one (the schedule and the retry policy both) with the skill running.
- schedule: the skill's week (its schedule settings in any shape, the combined read's one item per weekday
  included: admin_settings.week_of) as one cron + window length in the zone its times are in, when every active
  day has the same window; a week with different windows on different days (which a planner can set in CXone)
  has no schedule here and says why in `errors`. Its retry policy is the skill's retry-settings.
- effective period: a skill's schedule holds from when it was last set until someone changes it (open_ended). A
  draft needs a period, so the mirror shows startTime = the skill's lastUpdateTime and endTime OPEN_END_YEARS
  later (stable from one sync to the next), while the checks judge it as any open-ended schedule; the editor warns
  that CXone does not stop at a draft's end (skill_findings.py).
- contact list: the skill's calling lists as one (admin_lists.contact_list_id), else its zones.
- time constraints: its cadences' per-number windows.
- DNC: the DNC group that scrubs the skill (dnc_list_id). The Admin API has no dncRules tags; the equivalent
  settings are read as rules (dnc_rules_of): a scrubbing DNC group is STATE_DNC, and the calling window the
  skill's zones share (their startTime/endTime) is FCC_MIN_TIME/FCC_MAX_TIME. A skill without them lacks the
  rule, and DNC readiness says so, as for v2.
"""

from __future__ import annotations

import datetime as dt
import json
import zlib
from typing import Any

from campaigns.cxone import admin_lists, admin_settings
from campaigns.cxone.schemas import Campaign, ContactListRef, Schedule, SkillRef
from campaigns.scheduling.cxone_zones import UnknownCXoneZone, iana_zone_for
from campaigns.scheduling.weekly import WeeklySchedule, clock, parse_time

PERSONAL_CONNECTION = "personal connection"
OPEN_END_YEARS = 5

# What activation writes in the draft's history under the Admin backend: the check is only as good as the API.
CONCURRENCY_NOTE = (
    "The Admin API has no versions: the skill's schedule and retry settings were read just before the write and "
    "matched the ones this draft was based on, but a change someone else makes in CXone in the same instant can "
    "still win."
)


def is_personal_connection(skill: dict) -> bool:
    return str(skill.get("outboundStrategy") or "").strip().lower() == PERSONAL_CONNECTION


def skill_state(skill: dict) -> str:
    return "ACTIVE" if skill.get("isRunning") else "PAUSED"


def skill_id_of(skill: dict) -> str:
    return str(skill.get("skillId", skill.get("skillNo", skill.get("id", ""))))


def skill_version(week: WeeklySchedule | None, retry: tuple | None) -> int:
    """A stable fingerprint (1..2^31-1) of a skill's week and the retry-settings fields a draft decides
    (admin_settings.held_retry_fields): our stand-in for the version the Admin API lacks."""
    shape: Any = "unscheduled" if week is None else [[w.start, w.end] if w else None for w in week.days]
    return zlib.crc32(json.dumps([shape, list(retry) if retry else None]).encode()) % (2**31 - 1) + 1


def zone_rows_of(params: dict) -> list[dict]:
    rows = params.get("timeZoneSettings")
    return [r for r in rows if isinstance(r, dict)] if isinstance(rows, list) else []


def called_zones(zone_rows: list[dict]) -> list[str]:
    """The IANA zones a skill is set to call: its active time-zone settings."""
    zones = set()
    for row in zone_rows:
        name = admin_settings.zone_name(row)
        if name and row.get("timeZoneActiveToCall", True):
            try:
                zones.add(iana_zone_for(name))
            except UnknownCXoneZone:
                zones.add(f"CXone: {name}")  # still compared, named as CXone names it
    return sorted(zones)


def dnc_rules_of(zone_rows: list[dict], dnc_group_id: str | None) -> list[dict]:
    active = [r for r in zone_rows if r.get("timeZoneActiveToCall", True)]
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


def skill_to_campaign(skill: dict, params: dict, *, zone: str, dnc_group_id: str | None) -> Campaign:
    """The skill as a Campaign. `params`: its parameter groups (scheduleSettings in any shape, retrySettings,
    timeZoneSettings, callingLists, cadenceSettings; what the tenant did not give is left out); `zone`: the IANA
    zone its times are in."""
    skill_id = skill_id_of(skill)
    name = str(skill.get("skillName") or skill.get("name") or skill_id)
    errors: list[dict] = []
    week: WeeklySchedule | None = None
    try:
        week = admin_settings.week_of(params.get("scheduleSettings") or {})
    except ValueError as exc:
        errors.append({"code": "schedule.unreadable", "message": f"schedule settings: {exc}"})
    retry = admin_settings.retry_settings_of(params.get("retrySettings"))
    updated = _instant(skill.get("lastUpdateTime") or skill.get("lastModified"))
    schedule = _schedule(week, zone, updated, admin_settings.policy_of(retry), errors)
    refs = params.get("callingLists")
    lists = admin_lists.calling_list_ids(refs)
    names = {str(r.get("id")): str(r.get("name") or "") for r in refs or [] if isinstance(r, dict)}
    zone_rows = zone_rows_of(params)
    campaign = Campaign(
        id=skill_id,
        name=name,
        state=skill_state(skill),
        version=skill_version(week, admin_settings.held_retry_fields(retry)),
        skill=SkillRef(id=skill_id, name=name, agents=skill.get("agents")),
        contact_list=ContactListRef(
            id=admin_lists.contact_list_id(skill_id, lists),
            name=", ".join(names.get(i) or i for i in lists) or f"No calling list: the zones of {name}",
        ),
        dnc_list_id=dnc_group_id,
        dnc_rules=dnc_rules_of(zone_rows, dnc_group_id),
        schedule=schedule,
        errors=errors,
        updated_at=updated,
        time_constraints=admin_settings.time_constraints_of(params.get("cadenceSettings")),
        called_zones=called_zones(zone_rows),
    )
    # Its groups only: the combined read names the skill by skillId, GET /skills/parameters by skillNo and name.
    groups = {key: value for key, value in params.items() if key not in ("skillId", "skillNo", "skillName")}
    campaign._raw = {"skill": skill, "parameters": groups}
    return campaign


def _schedule(week, zone: str, updated: dt.datetime | None, policy, errors: list[dict]) -> Schedule | None:
    if week is None:
        return None
    crons = week.as_cron()
    if len(crons) > 1:
        errors.append(
            {
                "code": "schedule.several_windows",
                "message": f"the skill's week has different windows on different days ({week.describe()}); "
                "edit it in CXone or draft one window for every day here",
            }
        )
    if len(crons) != 1:
        return None
    cron, minutes = crons[0]
    end = updated.replace(year=updated.year + OPEN_END_YEARS, day=min(updated.day, 28)) if updated else None
    return Schedule(
        timezone=zone,
        cron_expression=cron,
        duration_minutes=minutes,
        start_time=updated,
        end_time=end,
        retry_policy=policy,
        open_ended=True,
    )


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
    "is_personal_connection",
    "skill_id_of",
    "skill_to_campaign",
    "skill_version",
    "zone_rows_of",
    "called_zones",
]
