"""The sandbox tenant as the Admin API sees it: each seeded campaign is a Personal Connection skill (skillId
= the campaign's number, C-1001 → 1001) whose week is its cron schedule (or the nearest week that fits), whose
retry settings are its retry policy, whose zones are its contact list's, dialling the calling list that contact
list becomes (its records carry each contact's state, zip and time zone), scrubbed by its DNC list as a DNC group;
plus two skills of other strategies that a client must leave out. A few skills carry a cadence with a per-number
time window, and some a "3 calls in 24 hours" restriction. Starting a skill takes the activation delay, like a v2
activation.

The shapes the routes answer in are pc_shapes.py's; this module is the tenant's data."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

from campaigns.scheduling.cxone_zones import UnknownCXoneZone, cxone_zone_for
from campaigns.scheduling.weekly import fit_weekly

BU_DEFAULT_ZONE = "Eastern Standard Time"
OTHER_SKILLS = (
    {"skillId": 9001, "skillName": "Inbound Sales", "mediaTypeId": 4, "outboundStrategy": None},
    {"skillId": 9002, "skillName": "Manual Callbacks", "mediaTypeId": 4, "outboundStrategy": "Manual"},
)
# The retry-settings fields general-settings shows too (editing one updates the other).
SHARED_RETRY_FIELDS = ("maximumAttempts", "minimumRetryMinutes")
# Every RESTRICTED_EVERY-th skill keeps "at most 3 calls in 24 hours" (FL, OK, MD); every CADENCE_EVERY-th has a
# cadence whose per-number window differs from its week.
RESTRICTED_EVERY = 4
CADENCE_EVERY = 7


@dataclass
class PcTenant:
    skills: dict[str, dict] = field(default_factory=dict)  # skill id (text) → skill
    schedules: dict[str, dict] = field(default_factory=dict)  # skill id → schedule-settings, flat (HH:MM)
    zones: dict[str, list[dict]] = field(default_factory=dict)  # skill id → timeZoneSettings (standardName)
    retry: dict[str, dict] = field(default_factory=dict)  # skill id → retry-settings (with the shared fields)
    cadences: dict[str, list[dict]] = field(default_factory=dict)  # skill id → cadences
    skill_lists: dict[str, list[int]] = field(default_factory=dict)  # skill id → calling list ids
    call_lists: dict[str, dict] = field(default_factory=dict)  # list id → {listId, listName, status, rows}
    dnc_groups: dict[str, dict] = field(default_factory=dict)
    scrubbed: dict[str, list[int]] = field(default_factory=dict)  # group id → skill ids
    business_unit: dict = field(default_factory=dict)
    # skill id → (when its start completes, whether the skill then runs)
    starting: dict[str, tuple[float, bool]] = field(default_factory=dict)

    def touched(self, skill_id: str, now_iso: str) -> None:
        """Someone (or we) changed the skill: it shows in GET /skills?updatedSince from now on."""
        self.skills[skill_id]["lastUpdateTime"] = now_iso


def build_pc_tenant(campaigns: dict, dnc_lists: dict, contact_lists: dict, now_iso: str) -> PcTenant:
    tenant = PcTenant()
    _dnc_groups(tenant, dnc_lists, now_iso)
    group_of = {g["sourceListId"]: gid for gid, g in tenant.dnc_groups.items()}
    for list_id, found in contact_lists.items():
        number = list_id.removeprefix("L-")
        tenant.call_lists[number] = {
            "listId": int(number),
            "listName": found["name"],
            "status": "Active",
            "rows": copy.deepcopy(found["breakdown"]),  # the records are made from these (pc_shapes.records)
        }
    used_zones: set[str] = {BU_DEFAULT_ZONE}
    for index, campaign in enumerate(campaigns.values()):
        skill_id = campaign["id"].removeprefix("C-")
        schedule = campaign["schedule"]
        fit = fit_weekly(schedule["cronExpression"], schedule["durationMinutes"])
        week = fit.schedule or fit.nearest
        tenant.skills[skill_id] = {
            "skillId": int(skill_id),
            "skillName": campaign["name"],
            "mediaTypeId": 8,
            "outboundStrategy": "Personal Connection",
            "isActive": True,
            "isRunning": campaign["state"] == "ACTIVE",
            "agents": campaign["skill"].get("agents"),
            "lastUpdateTime": campaign.get("updatedAt") or now_iso,
        }
        tenant.schedules[skill_id] = week.to_settings("%H:%M")
        names = []
        for row in contact_lists[campaign["contactList"]["id"]]["breakdown"]:
            for zone in row["timezones"]:
                try:
                    names.append(cxone_zone_for(zone))
                except UnknownCXoneZone:
                    continue
        tenant.zones[skill_id] = [
            {"standardName": n, "startTime": "08:00", "endTime": "21:00", "timeZoneActiveToCall": True,
             "overrideTime": False}
            for n in dict.fromkeys(names)
        ]  # fmt: skip
        used_zones.update(names)
        tenant.retry[skill_id] = _retry_settings(schedule.get("retryPolicy") or {}, index)
        tenant.cadences[skill_id] = _cadences(index)
        tenant.skill_lists[skill_id] = [int(campaign["contactList"]["id"].removeprefix("L-"))]
        group = group_of.get(campaign.get("dncListId") or "")
        if group:
            tenant.scrubbed[group].append(int(skill_id))
    for other in OTHER_SKILLS:
        tenant.skills[str(other["skillId"])] = {
            **other,
            "isActive": True,
            "isRunning": True,
            "lastUpdateTime": now_iso,
        }
    tenant.business_unit = {
        "businessUnitId": 4600001,
        "businessUnitName": "Sandbox BU",
        "defaultTimeZone": BU_DEFAULT_ZONE,
        "timeZones": sorted(used_zones),
    }
    return tenant


def _dnc_groups(tenant: PcTenant, dnc_lists: dict, now_iso: str) -> None:
    for number, dnc in enumerate(sorted(dnc_lists), start=1):
        found = dnc_lists[dnc]
        tenant.dnc_groups[str(number)] = {
            "dncGroupId": number,
            "dncGroupName": found["name"],
            "dncGroupDescription": f"Scrubs against the {found['name']} list",
            "validRecords": found["size"],
            "isActive": found["state"] == "ACTIVE",
            "isRemoved": False,
            "createDate": "2024-01-15T09:00:00Z",
            "lastUpdateTime": now_iso,
            "sourceListId": found["id"],  # the sandbox's own note; never served
        }
        tenant.scrubbed[str(number)] = []


def _retry_settings(policy: dict, index: int) -> dict:
    restricted = index % RESTRICTED_EVERY == RESTRICTED_EVERY - 1
    return {
        "maximumAttempts": int(policy.get("maxAttempts", 3)),
        "minimumRetryMinutes": max(1, int(policy.get("retryIntervalMs", 60_000)) // 60_000),
        "restrictedCallingMinutes": 1440 if restricted else 0,
        "restrictedCallingMaxAttempts": 3 if restricted else 0,
        "maximumNumberOfHandledCalls": 0,
        "finalizeWhenExhausted": True,
        "loadNonFresh": False,
    }


def _cadences(index: int) -> list[dict]:
    if index % CADENCE_EVERY != CADENCE_EVERY - 1:
        return []
    return [
        {
            "name": "Mobile numbers",
            "timeConstraints": [{"dayType": "Weekday", "startTime": "10:00", "endTime": "20:00"}],
        }
    ]


def settle_starts(tenant: PcTenant, now: float, now_iso: str, started=None) -> None:
    """Starts whose delay has passed: the skill runs (or not, for a start that fails); `started(skill_id, at)` is
    told of each that runs (the stats' record of dialling)."""
    for skill_id, (due, runs) in list(tenant.starting.items()):
        if due <= now:
            del tenant.starting[skill_id]
            tenant.skills[skill_id].update(isRunning=runs, lastUpdateTime=now_iso)
            if runs and started is not None:
                started(skill_id, due)


def skill_copy(tenant: PcTenant, skill_id: str) -> dict | None:
    found = tenant.skills.get(skill_id)
    if found is None:
        return None
    return copy.deepcopy(found)  # "agents" is the sandbox's extension, as on the v2 skill


def is_personal_connection(tenant: PcTenant, skill_id: str) -> bool:
    return tenant.skills[skill_id].get("outboundStrategy") == "Personal Connection"
