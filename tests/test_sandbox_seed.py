"""The sandbox's seeded tenant shows a newcomer what conflicts look like, on purpose: a capacity overload on a
two-agent skill and a contact-list clash, in the demo's 40 campaigns (README, "The demo data")."""

import datetime as dt

from campaigns.sandbox.cxone.seed import CLASH, CLASH_LIST, OVERLOAD_SKILL, build
from campaigns.scheduling import CampaignLoad, find_conflicts

EPOCH = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)


def loads(campaigns: dict) -> list[CampaignLoad]:
    return [
        CampaignLoad(
            id=c["id"],
            cron_expression=c["schedule"]["cronExpression"],
            timezone=c["schedule"]["timezone"],
            duration_minutes=c["schedule"]["durationMinutes"],
            pool=c["skill"]["id"],
            agents=1,  # what the mirror gives a campaign no draft has set yet
            contact_list=c["contactList"]["id"],
            effective_start=dt.datetime.fromisoformat(c["schedule"]["startTime"]),
            effective_end=dt.datetime.fromisoformat(c["schedule"]["endTime"]),
        )
        for c in campaigns.values()
    ]


def test_the_demo_tenant_overloads_a_two_agent_skill_on_every_weekday():
    tenant = build(1, 40, EPOCH)
    pools = {sid: skill["agents"] for sid, skill in tenant.skills.items()}
    week = (EPOCH + dt.timedelta(days=7), EPOCH + dt.timedelta(days=14))

    overloads = [c for c in find_conflicts(pools, loads(tenant.campaigns), *week) if c.kind == "capacity"]
    on_purpose = [c for c in overloads if c.key == OVERLOAD_SKILL["id"]]
    assert len({c.start.date() for c in on_purpose}) == 5  # Mon–Fri
    assert all(c.demand == 3 and c.capacity == 2 for c in on_purpose)
    assert {tenant.campaigns[cid]["name"].rsplit(" ", 1)[0] for cid in on_purpose[0].campaigns} == {
        "Callbacks Morning", "Callbacks Midday", "Callbacks Late Morning"
    }  # fmt: skip


def test_the_demo_tenant_has_two_campaigns_dialling_one_list_at_noon():
    tenant = build(1, 40, EPOCH)
    pools = {sid: skill["agents"] for sid, skill in tenant.skills.items()}
    ids = sorted(tenant.campaigns, key=lambda cid: int(cid[2:]))[-2:]
    week = (EPOCH + dt.timedelta(days=7), EPOCH + dt.timedelta(days=14))

    clashes = [
        c
        for c in find_conflicts(pools, loads(tenant.campaigns), *week)
        if c.kind == "contact_list" and set(ids) <= set(c.campaigns)
    ]
    assert clashes and {tenant.campaigns[cid]["name"].rsplit(" ", 1)[0] for cid in ids} == {n for n, _, _ in CLASH}
    on_the_list = [cid for cid, c in tenant.campaigns.items() if c["contactList"]["id"] == CLASH_LIST["id"]]
    assert sorted(on_the_list) == sorted(ids)  # theirs alone: the editor's sentence is about these two
    first = min(clashes, key=lambda c: c.start)
    assert first.start.astimezone(dt.UTC).hour == 17  # 12:00 in New York (EST)


def test_small_tenants_keep_their_random_shape():
    assert OVERLOAD_SKILL["id"] not in build(1, 6, EPOCH).skills
