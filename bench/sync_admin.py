"""The Admin API half of bench/sync.py (`--api admin`): a full sync of a tenant of Personal Connection skills,
then a second sync after 20 skills changed in CXone, which reads only what changed (updatedSince from the first
sync's lastPollTime). One JSON line each:

    {"api": "admin", "kind": "full", "campaigns": 2000, "requests": …, "r429": …, "sync_s": …, "bound_s": …,
     "ratio_to_bound": …, "lost": …}
    {"api": "admin", "kind": "delta", …, "changed": 20, "changed_found": 20}

requests: every request the sync sent that CXone answered other than with a 429 (token, discovery, skills, their
parameters, DNC groups, calling lists with their records); bound_s = requests / rate; lost: skills not mirrored
as the sandbox holds them (the fingerprint of their week and retry settings, their calling lists' contact count,
the DNC group that scrubs them) or wrongly marked missing; changed_found: the changed skills mirrored with their
new week after the delta.
"""

from __future__ import annotations

import time

import httpx

CHANGED = 20
API_PREFIXES = ("/inContactAPI/", "/auth/", "/.well-known/")


def django_environment(url: str) -> dict[str, str]:
    return {
        "CXONE_API": "admin",
        "CXONE_ACCESS_KEY_ID": "demo-key",
        "CXONE_ACCESS_KEY_SECRET": "demo-key-secret",
        "CXONE_BASE_URL": url,
    }


def expected_tenant(campaigns: int):
    """The sandbox's tenant rebuilt from its seed (same seed, same tenant), and skill id → (version, contacts,
    DNC group) as sync should mirror each skill."""
    from campaigns.sandbox.cxone.pc_tenant import build_pc_tenant
    from campaigns.sandbox.cxone.seed import build, default_epoch, iso

    seed = build(1, campaigns, default_epoch(time.time()))
    pc = build_pc_tenant(seed.campaigns, seed.dnc_lists, seed.contact_lists, iso(default_epoch(time.time())))
    group_of: dict[str, str] = {}
    for group in sorted(pc.scrubbed, key=int):
        for skill in pc.scrubbed[group]:
            group_of.setdefault(str(skill), group)
    expected = {}
    for skill_id, settings in pc.schedules.items():
        contacts = sum(row["count"] for i in pc.skill_lists[skill_id] for row in pc.call_lists[str(i)]["rows"])
        expected[skill_id] = (version_of(settings, pc.retry[skill_id]), contacts, group_of.get(skill_id, ""))
    return pc, expected


def version_of(settings: dict, retry: dict) -> int:
    """The fingerprint the client gives a skill of these schedule and retry settings."""
    from campaigns.cxone import admin_settings
    from campaigns.cxone.admin_mapping import skill_version

    try:
        week = admin_settings.week_of(settings)
    except ValueError:  # a week the client cannot read is mirrored without a schedule
        week = None
    return skill_version(week, admin_settings.held_retry_fields(retry))


def mirrored() -> dict[str, tuple]:
    from campaigns.models import Campaign

    rows = Campaign.objects.values_list(
        "cxone_id", "remote_version", "contact_list_size", "dnc_list_id", "missing_since"
    )
    return {cxone_id: (version, size, dnc, missing) for cxone_id, version, size, dnc, missing in rows}


def lost(expected: dict[str, tuple]) -> int:
    found = mirrored()
    return sum(1 for skill_id, wanted in expected.items() if found.get(skill_id) != (*wanted, None))


def api_requests(control: httpx.Client) -> tuple[int, int]:
    """(requests answered other than 429, 429s) since the stats were reset."""
    stats = control.get("/_sandbox/stats").json()["requests"]
    api = {route: c for route, c in stats.items() if route.split(" ")[-1].startswith(API_PREFIXES)}
    r429 = sum(counts.get("429", 0) for counts in api.values())
    return sum(sum(counts.values()) for counts in api.values()) - r429, r429


def line(kind: str, campaigns: int, rate: float, sync_s: float, control: httpx.Client) -> dict:
    requests, r429 = api_requests(control)
    bound_s = requests / rate
    return {
        "api": "admin",
        "kind": kind,
        "campaigns": campaigns,
        "requests": requests,
        "r429": r429,
        "sync_s": round(sync_s, 2),
        "bound_s": round(bound_s, 2),
        "ratio_to_bound": round(sync_s / bound_s, 3) if bound_s else None,
    }


def run(control: httpx.Client, campaigns: int, rate: float) -> list[dict]:
    from campaigns.services.sync.mirror import sync_campaigns

    pc, expected = expected_tenant(campaigns)
    control.post("/_sandbox/stats/reset").raise_for_status()
    started = time.perf_counter()
    result = sync_campaigns(full=True)
    full = line(result.kind, campaigns, rate, time.perf_counter() - started, control)
    full["lost"] = lost(expected)

    # Someone edits CHANGED skills in CXone (every active day starts an hour later): the sandbox answers with
    # each one's new schedule settings.
    changed = sorted(expected, key=int)[:: max(1, len(expected) // CHANGED)][:CHANGED]
    for skill_id in changed:
        settings = control.post(f"/_sandbox/skills/{skill_id}/touch").json()
        expected[skill_id] = (version_of(settings, pc.retry[skill_id]), *expected[skill_id][1:])
    control.post("/_sandbox/stats/reset").raise_for_status()
    started = time.perf_counter()
    result = sync_campaigns(full=False)
    delta = line(result.kind, campaigns, rate, time.perf_counter() - started, control)
    found = mirrored()
    delta["lost"] = lost(expected)
    delta.update(
        changed=len(changed),
        changed_found=sum(1 for skill_id in changed if found[skill_id][0] == expected[skill_id][0]),
    )
    return [full, delta]
