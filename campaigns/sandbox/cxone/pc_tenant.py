"""The sandbox tenant as the Admin API sees it: each seeded campaign is a Personal Connection skill (skillId
= the campaign's number, C-1001 → 1001) whose week is its cron schedule (or the nearest week that fits), whose
zones are its contact list's, scrubbed by its DNC list as a DNC group; plus two skills of other strategies that a
client must leave out. Starting a skill takes the activation delay, like a v2 activation."""

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


@dataclass
class PcTenant:
    skills: dict[str, dict] = field(default_factory=dict)  # skill id (text) → skill
    schedules: dict[str, dict] = field(default_factory=dict)  # skill id → schedule-settings (HH:MM)
    zones: dict[str, list[dict]] = field(default_factory=dict)  # skill id → timeZoneSettings
    retry_settings: dict[str, dict] = field(default_factory=dict)  # skill id → retry fields edited in CXone
    dnc_groups: dict[str, dict] = field(default_factory=dict)
    scrubbed: dict[str, list[int]] = field(default_factory=dict)  # group id → skill ids
    business_unit: dict = field(default_factory=dict)
    # skill id → (when its start completes, whether the skill then runs)
    starting: dict[str, tuple[float, bool]] = field(default_factory=dict)


def build_pc_tenant(campaigns: dict, dnc_lists: dict, contact_lists: dict, now_iso: str) -> PcTenant:
    tenant = PcTenant()
    for number, dnc in enumerate(sorted(dnc_lists), start=1):
        found = dnc_lists[dnc]
        tenant.dnc_groups[str(number)] = {
            "dncGroupId": number,
            "dncGroupName": found["name"],
            "isActive": found["state"] == "ACTIVE",
            "recordCount": found["size"],
            "sourceListId": found["id"],
        }
        tenant.scrubbed[str(number)] = []
    group_of = {g["sourceListId"]: gid for gid, g in tenant.dnc_groups.items()}
    used_zones: set[str] = {BU_DEFAULT_ZONE}
    for campaign in campaigns.values():
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


def settle_starts(tenant: PcTenant, now: float, now_iso: str) -> None:
    for skill_id, (due, runs) in list(tenant.starting.items()):
        if due <= now:
            del tenant.starting[skill_id]
            tenant.skills[skill_id].update(isRunning=runs, lastUpdateTime=now_iso)


def skill_copy(tenant: PcTenant, skill_id: str) -> dict | None:
    found = tenant.skills.get(skill_id)
    if found is None:
        return None
    return copy.deepcopy(found)  # "agents" is the sandbox's extension, as on the v2 skill
