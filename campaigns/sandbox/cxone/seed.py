"""Deterministic demo data: the same seed number always gives the same tenant.

Campaigns spread over US and Canadian zones, several skills (with an agent count: a sandbox extension, CXone's
skill payload has none), DNC lists (some INACTIVE), contact lists with state/timezone breakdowns, some
campaigns without a STATE_DNC rule, both DNC rule shapes, pairs of campaigns that already overlap on a
skill and on a contact list, and (in tenants of ten campaigns or more) a capacity overload and a contact-list
clash on purpose (conflicts_on_purpose). Dates are relative to `epoch` (default: the first day of the current month,
UTC)."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from zoneinfo import ZoneInfo

ZONES = (
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Phoenix",
    "America/Los_Angeles",
    "America/Anchorage",
    "Pacific/Honolulu",
    "America/Toronto",
    "America/Halifax",
    "America/St_Johns",
    "America/Vancouver",
    "America/Winnipeg",
)

# Where contacts live: a region code and the zones a number there may be in (several where a state spans
# zones).
REGIONS = (
    ("FL", ("America/New_York", "America/Chicago")),
    ("TX", ("America/Chicago", "America/Denver")),
    ("NY", ("America/New_York",)),
    ("CA", ("America/Los_Angeles",)),
    ("IL", ("America/Chicago",)),
    ("AZ", ("America/Phoenix",)),
    ("CO", ("America/Denver",)),
    ("TN", ("America/New_York", "America/Chicago")),
    ("AK", ("America/Anchorage",)),
    ("HI", ("Pacific/Honolulu",)),
    ("ON", ("America/Toronto",)),
    ("NS", ("America/Halifax",)),
    ("NL", ("America/St_Johns",)),
    ("BC", ("America/Vancouver",)),
    ("MB", ("America/Winnipeg",)),
)

SKILLS = (
    ("S-10", "Renewals", 40),
    ("S-20", "Collections", 25),
    ("S-30", "Win-back", 15),
    ("S-40", "Surveys", 10),
    ("S-50", "Appointments", 20),
    ("S-60", "Upsell", 30),
)

PURPOSES = ("Renewals", "Collections", "Win-back", "Survey", "Reminders", "Upsell", "Welcome", "Payments")
REGION_NAMES = ("East", "Central", "Mountain", "Pacific", "North", "Atlantic", "Prairies", "Islands")
CRONS = (
    "0 9 * * 1-5",
    "30 8 * * 1-5",
    "0 10 * * 1-6",
    "0 13 * * 1-5",
    "0 17 * * 1-5",
    "0 11 * * 6",
    "0 9 * * *",
)
DURATIONS = (120, 180, 240, 300, 360, 480, 540)


@dataclass
class SeedData:
    skills: dict[str, dict]
    dnc_lists: dict[str, dict]
    contact_lists: dict[str, dict]
    campaigns: dict[str, dict]


def default_epoch(now: float) -> dt.datetime:
    today = dt.datetime.fromtimestamp(now, dt.UTC)
    return today.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def iso(value: dt.datetime) -> str:
    return value.isoformat().replace("+00:00", "Z")


def build(seed: int, count: int, epoch: dt.datetime) -> SeedData:
    rng = random.Random(seed)
    skills = {sid: {"id": sid, "name": name, "agents": agents} for sid, name, agents in SKILLS}

    dnc_lists = {}
    for number in range(1, 7):
        dnc_id = f"D-{number}"
        dnc_lists[dnc_id] = {
            "id": dnc_id,
            "name": f"{('National', 'Internal', 'State', 'Litigator', 'Partner', 'Legacy')[number - 1]} DNC",
            "state": "INACTIVE" if number in (5, 6) else "ACTIVE",
            "size": rng.randrange(5_000, 500_000),
            "version": rng.randrange(1, 30),
        }

    contact_lists = {}
    for number in range(1, max(4, count // 3) + 1):
        list_id = f"L-{70 + number}"
        picked = rng.sample(REGIONS, rng.randrange(2, 6))
        if number % 2 and all(code != "FL" for code, _ in picked):
            picked.append(REGIONS[0])  # plenty of lists reach Florida, which spans two zones
        breakdown = [
            {"state": code, "timezones": list(zones), "count": rng.randrange(50, 5_000)}
            for code, zones in picked
        ]
        contact_lists[list_id] = {
            "id": list_id,
            "name": f"{rng.choice(PURPOSES)} list {number}",
            "size": sum(entry["count"] for entry in breakdown),
            "breakdown": breakdown,
        }

    campaigns = {}
    list_ids, skill_ids = list(contact_lists), list(skills)
    active_dnc = [dnc_id for dnc_id, dnc in dnc_lists.items() if dnc["state"] == "ACTIVE"]
    inactive_dnc = [dnc_id for dnc_id, dnc in dnc_lists.items() if dnc["state"] == "INACTIVE"]
    for index in range(count):
        campaign_id = f"C-{1001 + index}"
        zone = ZONES[index % len(ZONES)] if index < len(ZONES) else rng.choice(ZONES)
        cron = rng.choice(CRONS)
        skill_id, list_id = rng.choice(skill_ids), rng.choice(list_ids)
        if index % 5 == 1:
            # Overlaps already in CXone: same skill and contact list as the previous campaign, an hour later.
            previous = campaigns[f"C-{1000 + index}"]
            skill_id, list_id = previous["skill"]["id"], previous["contactList"]["id"]
            fields = previous["schedule"]["cronExpression"].split()
            fields[1] = str((int(fields[1]) + 1) % 24)
            cron, zone = " ".join(fields), previous["schedule"]["timezone"]
        start_local = (epoch + dt.timedelta(days=rng.randrange(-20, 20))).astimezone(ZoneInfo(zone))
        start_local = start_local.replace(hour=0, minute=0, second=0, microsecond=0)
        end_local = (start_local + dt.timedelta(days=rng.randrange(60, 200))).replace(hour=0)
        state = "ACTIVE"
        if index % 11 == 4:
            state = "PAUSED"
        elif index % 17 == 9:
            state = "ERROR"
        version = rng.randrange(1, 15)
        updated = epoch - dt.timedelta(hours=rng.randrange(1, 500))
        campaigns[campaign_id] = {
            "id": campaign_id,
            "name": f"{rng.choice(PURPOSES)} {rng.choice(REGION_NAMES)} {1001 + index}",
            "state": state,
            "version": version,
            "skill": dict(skills[skill_id]),
            "contactList": {"id": list_id, "name": contact_lists[list_id]["name"]},
            # A few campaigns point at an INACTIVE DNC list (their activations end in ERROR).
            "dncListId": rng.choice(inactive_dnc if index % 8 == 5 else active_dnc),
            "dncRules": _dnc_rules(index),
            "schedule": {
                "timezone": zone,
                "cronExpression": cron,
                "durationMinutes": rng.choice(DURATIONS),
                "startTime": start_local.isoformat(),
                "endTime": end_local.isoformat(),
                "retryPolicy": {
                    "maxAttempts": rng.randrange(1, 6),
                    "retryIntervalMs": rng.choice((60_000, 120_000, 300_000, 900_000)),
                    "retryOnBusy": rng.random() < 0.8,
                    "retryOnNoAnswer": rng.random() < 0.7,
                },
            },
            "errors": (
                [{"code": "dialer.validation", "message": "Contact list has no callable numbers"}]
                if state == "ERROR"
                else []
            ),
            "updatedAt": iso(updated),
            "activatedAt": iso(updated) if state == "ACTIVE" else None,
        }
    conflicts_on_purpose(campaigns, skills, contact_lists, epoch)
    return SeedData(skills=skills, dnc_lists=dnc_lists, contact_lists=contact_lists, campaigns=campaigns)


# Conflicts a newcomer should meet in the demo, on purpose (README, "The demo data"): the last five campaigns are
# three of a two-agent skill whose weekday windows overlap (a capacity overload: red cells on Capacity, a hatched
# band on Timeline) and two that dial one contact list at once (a clash: cross-hatched on Timeline, said in words
# in the editor).
OVERLOAD_SKILL = {"id": "S-70", "name": "Callbacks", "agents": 2}
OVERLOAD = (
    ("Callbacks Morning", "0 10 * * 1-5", 180),
    ("Callbacks Midday", "0 11 * * 1-5", 180),
    ("Callbacks Late Morning", "30 10 * * 1-5", 120),
)
CLASH = (("Payments Reminder", "0 9 * * 1-5", 240), ("Payments Follow-up", "0 12 * * 1-5", 180))
CLASH_LIST = {  # theirs alone, so that what the editor says about the clash is about these two
    "id": "L-70",
    "name": "Payments due list",
    "size": 1_840,
    "breakdown": [{"state": "NY", "timezones": ["America/New_York"], "count": 1_840}],
}


def conflicts_on_purpose(campaigns: dict, skills: dict, contact_lists: dict, epoch: dt.datetime) -> None:
    ids = sorted(campaigns, key=lambda cid: int(cid.removeprefix("C-")))
    if len(ids) < 10:  # the small tenants of tests keep their random shape
        return
    skills[OVERLOAD_SKILL["id"]] = dict(OVERLOAD_SKILL)
    contact_lists[CLASH_LIST["id"]] = dict(CLASH_LIST)
    shared_list = CLASH_LIST["id"]
    for cid, (name, cron, minutes) in zip(ids[-5:-2], OVERLOAD, strict=True):
        _schedule(campaigns[cid], name, cron, minutes, "America/Chicago", epoch)
        campaigns[cid]["skill"] = dict(OVERLOAD_SKILL)
    for cid, (name, cron, minutes) in zip(ids[-2:], CLASH, strict=True):
        _schedule(campaigns[cid], name, cron, minutes, "America/New_York", epoch)
        campaigns[cid]["contactList"] = {"id": shared_list, "name": contact_lists[shared_list]["name"]}


def _schedule(campaign: dict, name: str, cron: str, minutes: int, zone: str, epoch: dt.datetime) -> None:
    start = (epoch - dt.timedelta(days=14)).astimezone(ZoneInfo(zone)).replace(hour=0, minute=0, second=0)
    number = campaign["id"].removeprefix("C-")
    campaign.update(
        name=f"{name} {number}",
        state="ACTIVE",
        errors=[],
        activatedAt=campaign["updatedAt"],
    )
    campaign["schedule"].update(
        timezone=zone,
        cronExpression=cron,
        durationMinutes=minutes,
        startTime=start.isoformat(),
        endTime=(start + dt.timedelta(days=180)).isoformat(),
    )


def _dnc_rules(index: int) -> list[dict]:
    nested = index % 3 == 2  # newer payloads tag a rule as {"regulatory": {"type": ...}}

    def tag(kind: str, value: str | None = None) -> dict:
        rule = {"regulatory": {"type": kind}} if nested else {"type": kind}
        return {**rule, "value": value} if value is not None else rule

    rules = [tag("FCC_MIN_TIME", "08:00"), tag("FCC_MAX_TIME", "21:00")]
    if index % 7 != 3:  # some campaigns lack the STATE_DNC tag
        rules.append(tag("STATE_DNC"))
    return rules
