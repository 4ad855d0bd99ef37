"""Conflicts swept from windows already filtered (blackout days removed) agree with the conflict index when
nothing is removed, and lose what a removed window caused."""

from datetime import UTC, date, datetime

from campaigns.scheduling import CampaignLoad, ConflictIndex
from campaigns.scheduling.blackout_conflicts import grouped_conflicts, groups_of
from campaigns.scheduling.blackouts import day_spans, without_blackouts
from campaigns.scheduling.conflicts import ExpansionCache

START, END = datetime(2026, 11, 23, tzinfo=UTC), datetime(2026, 11, 30, tzinfo=UTC)
POOLS = {"P": 20}


def load(cid, cron="0 9 * * 1-5", contact_list="L-1", pool="P", agents=15):
    return CampaignLoad(cid, cron, "America/Chicago", 480, pool, agents, contact_list)


LOADS = [load("A"), load("B"), load("C", cron="0 20 * * *", contact_list="L-2", agents=1)]


def windows(loads):
    expansion = ExpansionCache(START, END)
    return {c.id: expansion.windows(c) for c in loads}


def test_with_every_window_it_finds_what_the_conflict_index_finds():
    assert (
        grouped_conflicts(POOLS, LOADS, windows(LOADS)) == ConflictIndex(POOLS, LOADS, START, END).conflicts
    )


def test_a_blacked_out_day_of_one_campaign_removes_that_days_overload_and_clash():
    kept = windows(LOADS)
    kept["A"] = without_blackouts(kept["A"], day_spans([date(2026, 11, 26)], "America/Chicago"))
    found = grouped_conflicts(POOLS, LOADS, kept)
    days = sorted({(c.kind, c.start.day) for c in found})
    assert days == sorted((kind, day) for day in (23, 24, 25, 27) for kind in ("capacity", "contact_list"))


def test_it_sweeps_only_the_groups_asked_for():
    found = grouped_conflicts(POOLS, LOADS, windows(LOADS), [("contact_list", "L-1")])
    assert {c.kind for c in found} == {"contact_list"}


def test_a_campaign_without_a_pool_or_list_is_in_no_group():
    assert groups_of(load("D", pool="", contact_list=None)) == []
