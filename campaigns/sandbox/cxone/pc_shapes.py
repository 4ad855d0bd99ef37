"""The shapes the sandbox's Admin personality answers in, built from the tenant (pc_tenant.py) as the published
shapes give them (shared/design/cxone-admin-api.md, "Exact shapes"; campaigns/cxone/contract/admin-api.json holds
them as data), with the knobs for what the sources leave open: retry-settings read flat or wrapped
(config.admin_retry_get), zone rows of the combined read named `name` or `standardName` (admin_zone_name_field).

Calling-list records are made on demand from the list's seeded rows (state, zones, count), never stored: a
2,000-skill tenant holds millions of them. Every ZONE_UNKNOWN_EVERY-th record of a row has an empty time zone,
as a list whose time-zone column was not filled in for some contacts."""

from __future__ import annotations

import copy
from collections.abc import Iterator

from campaigns.sandbox.config import SandboxConfig
from campaigns.sandbox.cxone.pc_tenant import SHARED_RETRY_FIELDS, PcTenant
from campaigns.scheduling.cxone_zones import UnknownCXoneZone, cxone_zone_for
from campaigns.scheduling.weekly import DAY_FIELDS

ZONE_UNKNOWN_EVERY = 40
# A plausible first zip code per state (records count up from it); other regions get none.
ZIP_BASES = {"FL": 32004, "TX": 75001, "NY": 10001, "CA": 90001, "IL": 60001, "AZ": 85001, "CO": 80001,
             "TN": 37010, "AK": 99501, "HI": 96701}  # fmt: skip


def day_schedules(settings: dict) -> dict:
    """Flat schedule-settings as the combined read gives them: {isScheduled, schedules: one item per weekday}."""
    return {
        "isScheduled": bool(settings.get("isScheduled", True)),
        "schedules": [
            {
                "day": day.capitalize(),
                "active": bool(settings[f"{day}IsActive"]),
                "startTime": settings[f"{day}StartTime"],
                "endTime": settings[f"{day}EndTime"],
            }
            for day in DAY_FIELDS
        ],
    }


def general_settings(tenant: PcTenant, skill_id: str) -> dict:
    return {name: tenant.retry[skill_id][name] for name in SHARED_RETRY_FIELDS}


def retry_settings(tenant: PcTenant, skill_id: str, config: SandboxConfig) -> dict:
    """GET …/retry-settings: flat as published, or wrapped as {retrySettings: …} (knob)."""
    found = copy.deepcopy(tenant.retry[skill_id])
    return {"retrySettings": found} if config.admin_retry_get == "wrapped" else found


def zone_rows(tenant: PcTenant, skill_id: str, config: SandboxConfig) -> list[dict]:
    """The skill's zone rows as the combined read names them (`name`, or `standardName` by the knob)."""
    rows = copy.deepcopy(tenant.zones[skill_id])
    if config.admin_zone_name_field == "name":
        for row in rows:
            row["name"] = row.pop("standardName")
    return rows


def parameters(tenant: PcTenant, skill_id: str, config: SandboxConfig, *, bulk: bool = False) -> dict:
    """A skill's parameter groups: the combined read's (skillId) or one item of GET /skills/parameters
    (skillNo, skillName)."""
    skill = tenant.skills[skill_id]
    head = {"skillNo": skill["skillId"], "skillName": skill["skillName"]} if bulk else {"skillId": skill["skillId"]}
    return {
        **head,
        "generalSettings": general_settings(tenant, skill_id),
        "retrySettings": copy.deepcopy(tenant.retry[skill_id]),
        "scheduleSettings": day_schedules(tenant.schedules[skill_id]),
        "timeZoneSettings": zone_rows(tenant, skill_id, config),
        "callingLists": [
            {"id": list_id, "name": tenant.call_lists[str(list_id)]["listName"]}
            for list_id in tenant.skill_lists[skill_id]
            if str(list_id) in tenant.call_lists
        ],
        "cadenceSettings": {"cadences": copy.deepcopy(tenant.cadences[skill_id])},
    }


def dnc_group(group: dict) -> dict:
    return {key: value for key, value in group.items() if key != "sourceListId"}


def list_size(found: dict) -> int:
    return sum(row["count"] for row in found["rows"])


def call_list(tenant: PcTenant, list_id: str) -> dict:
    """One calling list as GET /lists/call-lists shows it, with the skills that dial it."""
    found = tenant.call_lists[list_id]
    size = list_size(found)
    skills = [
        {"skillId": int(skill_id), "totalRecords": size, "freshRecords": size, "finalizedRecords": 0,
         "retriedRecords": 0}
        for skill_id, lists in tenant.skill_lists.items()
        if found["listId"] in lists
    ]  # fmt: skip
    return {"listId": found["listId"], "listName": found["listName"], "status": found["status"], "skills": skills}


def records(found: dict) -> Iterator[dict]:
    """The list's contact records, each with its state, zip and time zone (CXone's zone name, or empty)."""
    for row in found["rows"]:
        names = []
        for zone in row["timezones"]:
            try:
                names.append(cxone_zone_for(zone))
            except UnknownCXoneZone:
                continue
        base = ZIP_BASES.get(row["state"])
        for number in range(row["count"]):
            unknown = not names or number % ZONE_UNKNOWN_EVERY == ZONE_UNKNOWN_EVERY - 1
            yield {
                "state": row["state"],
                "zip": f"{base + number % 900:05d}" if base else None,
                "timeZone": "" if unknown else names[number % len(names)],
                "icAttempts": number % 3,
            }
