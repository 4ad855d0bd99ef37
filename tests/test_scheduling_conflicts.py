"""Conflicts and capacity with a sweep line, checked against the pairwise reference."""

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from campaigns.scheduling import CampaignLoad, Conflict, InvalidSchedule, find_conflicts
from campaigns.scheduling.conflicts import ExpansionCache, UnknownPool, merged, sweep
from campaigns.scheduling.pairwise import pairwise_conflicts, pairwise_group

MONDAY = datetime(2026, 3, 2, tzinfo=UTC)
DAY = (MONDAY, MONDAY + timedelta(days=1))


def at(hour, minute=0):
    return MONDAY + timedelta(hours=hour, minutes=minute)


def load(campaign_id, hour, hours, *, agents=6, pool="P1", contact_list=None, cron=None, **extra):
    return CampaignLoad(
        id=campaign_id,
        cron_expression=cron or f"0 {hour} * * *",
        timezone="UTC",
        duration_minutes=hours * 60,
        pool=pool,
        agents=agents,
        contact_list=contact_list,
        **extra,
    )


def test_it_finds_nothing_when_the_pool_has_room():
    assert find_conflicts({"P1": 12}, [load("A", 9, 8), load("B", 12, 2)], *DAY) == []


def test_it_finds_where_summed_agents_exceed_the_pool():
    conflicts = find_conflicts({"P1": 10}, [load("A", 9, 8), load("B", 12, 2)], *DAY)
    assert conflicts == [Conflict("capacity", "P1", at(12), at(14), ("A", "B"), 12, 10)]


def test_it_splits_an_interval_wherever_the_set_of_active_campaigns_changes():
    campaigns = [load("A", 9, 8), load("B", 12, 2), load("C", 13, 2)]
    conflicts = find_conflicts({"P1": 10}, campaigns, *DAY)
    assert [(c.start, c.end, c.campaigns, c.demand) for c in conflicts] == [
        (at(12), at(13), ("A", "B"), 12),
        (at(13), at(14), ("A", "B", "C"), 18),
        (at(14), at(15), ("A", "C"), 12),
    ]


def test_windows_that_only_touch_do_not_conflict():
    assert find_conflicts({"P1": 6}, [load("A", 9, 3), load("B", 12, 3)], *DAY) == []


def test_back_to_back_windows_of_one_campaign_do_not_split_a_conflict():
    a = load("A", 9, 4, cron="0 9,13 * * *", contact_list="L1")  # 09-13 and 13-17
    b = load("B", 10, 6, contact_list="L1")  # 10-16
    [conflict] = [c for c in find_conflicts({"P1": 100}, [a, b], *DAY) if c.kind == "contact_list"]
    assert (conflict.start, conflict.end) == (at(10), at(16))


def test_a_campaign_whose_own_windows_overlap_counts_its_agents_once():
    a = load("A", 9, 6, cron="0 9,12 * * *", agents=8)  # 09-15 and 12-18 overlap
    assert find_conflicts({"P1": 10}, [a], *DAY) == []
    assert find_conflicts({"P1": 7}, [a], *DAY) == [Conflict("capacity", "P1", at(9), at(18), ("A",), 8, 7)]


def test_it_finds_two_campaigns_dialing_the_same_contact_list():
    campaigns = [
        load("A", 9, 8, contact_list="L1", pool="P1"),
        load("B", 16, 3, contact_list="L1", pool="P2"),
        load("C", 10, 1, contact_list="L2", pool="P2"),
    ]
    conflicts = find_conflicts({"P1": 100, "P2": 100}, campaigns, *DAY)
    assert conflicts == [Conflict("contact_list", "L1", at(16), at(17), ("A", "B"), None, None)]


def test_conflicts_are_sorted_by_start():
    campaigns = [
        load("A", 15, 2, contact_list="L1"),
        load("B", 16, 2, contact_list="L1"),
        load("C", 9, 2, agents=20),
    ]
    conflicts = find_conflicts({"P1": 10}, campaigns, *DAY)
    assert [c.start for c in conflicts] == sorted(c.start for c in conflicts)
    assert [c.kind for c in conflicts] == ["capacity", "capacity", "contact_list"]


def test_campaigns_in_different_zones_meet_in_utc():
    # 09:00 in New York and 08:00 in Chicago are the same instant.
    campaigns = [
        CampaignLoad("NY", "0 9 * * *", "America/New_York", 60, "P1", 6),
        CampaignLoad("CHI", "0 8 * * *", "America/Chicago", 60, "P1", 6),
    ]
    [conflict] = find_conflicts({"P1": 10}, campaigns, *DAY)
    assert (conflict.start, conflict.end) == (at(14), at(15))


def test_effective_periods_limit_which_windows_take_part():
    later = load("B", 12, 2, effective_start=MONDAY + timedelta(days=1))
    assert find_conflicts({"P1": 10}, [load("A", 9, 8), later], MONDAY, MONDAY + timedelta(days=3)) == [
        Conflict("capacity", "P1", at(12) + timedelta(days=d), at(14) + timedelta(days=d), ("A", "B"), 12, 10)
        for d in (1, 2)
    ]


def test_an_unknown_pool_is_an_error_naming_the_campaign():
    with pytest.raises(UnknownPool, match="campaign A: pool 'P9' is not a known capacity pool"):
        find_conflicts({"P1": 10}, [load("A", 9, 8, pool="P9")], *DAY)


def test_an_invalid_schedule_is_an_error_naming_the_campaign():
    with pytest.raises(InvalidSchedule, match="campaign A: cron_expression: hour: 25 is outside 0-23"):
        find_conflicts({"P1": 10}, [load("A", 9, 8, cron="0 25 * * *")], *DAY)


def test_conflicts_serialize_for_the_command_line():
    capacity = Conflict("capacity", "P1", at(12), at(14), ("A", "B"), 12, 10)
    assert capacity.to_dict() == {
        "kind": "capacity",
        "pool": "P1",
        "start": "2026-03-02T12:00:00Z",
        "end": "2026-03-02T14:00:00Z",
        "campaigns": ["A", "B"],
        "demand": 12,
        "capacity": 10,
    }
    listed = Conflict("contact_list", "L1", at(12), at(14), ("A", "B"))
    assert listed.to_dict() == {
        "kind": "contact_list",
        "contact_list": "L1",
        "start": "2026-03-02T12:00:00Z",
        "end": "2026-03-02T14:00:00Z",
        "campaigns": ["A", "B"],
    }


def test_merging_joins_overlapping_and_touching_windows_only():
    assert merged([(5, 9), (1, 3), (3, 4), (8, 12), (20, 21)]) == [(1, 4), (5, 12), (20, 21)]
    assert merged([(1, 2), (3, 4)]) == [(1, 2), (3, 4)]


# ---- the sweep line agrees with the pairwise reference -------------------------------------------

windows = st.lists(
    st.tuples(st.integers(0, 60), st.integers(1, 25)).map(lambda t: (t[0], t[0] + t[1])), max_size=6
)
groups = st.dictionaries(st.sampled_from("ABCDEFG"), windows, max_size=7)


@settings(max_examples=200, deadline=None)
@given(
    members=groups, agents=st.lists(st.integers(0, 9), min_size=7, max_size=7), capacity=st.integers(0, 20)
)
def test_the_capacity_sweep_agrees_with_the_pairwise_reference(members, agents, capacity):
    weights = dict(zip("ABCDEFG", agents, strict=True))
    assert sweep(members, weights, capacity) == pairwise_group(members, weights, capacity)


@settings(max_examples=200, deadline=None)
@given(members=groups)
def test_the_contact_list_sweep_agrees_with_the_pairwise_reference(members):
    assert sweep(members) == pairwise_group(members)


CRONS = [
    "0 9 * * *",
    "30 8 * * 1-5",
    "0 12 * * *",
    "0 9,14 * * *",
    "0 22 * * *",
    "15 1 * * *",
    "0 10 * * 6,0",
]
ZONES = ["UTC", "America/Chicago", "America/New_York", "Europe/London", "Asia/Kolkata"]

campaign_sets = st.lists(
    st.tuples(
        st.sampled_from(CRONS),
        st.sampled_from(ZONES),
        st.integers(1, 16).map(lambda n: n * 30),
        st.sampled_from(["P1", "P2"]),
        st.integers(1, 8),
        st.sampled_from(["L1", "L2", None]),
    ),
    max_size=10,
).map(lambda rows: [CampaignLoad(f"C{n}", *row) for n, row in enumerate(rows)])


@settings(max_examples=60, deadline=None)
@given(campaigns=campaign_sets, capacities=st.tuples(st.integers(0, 20), st.integers(0, 20)))
def test_find_conflicts_agrees_with_the_pairwise_reference_on_real_schedules(campaigns, capacities):
    pools = {"P1": capacities[0], "P2": capacities[1]}
    start = datetime(2026, 3, 7, tzinfo=UTC)  # across the US change on March 8
    end = start + timedelta(days=3)
    expansion = ExpansionCache(start, end)
    windows_of = {campaign.id: expansion.windows(campaign) for campaign in campaigns}
    assert find_conflicts(pools, campaigns, start, end) == pairwise_conflicts(pools, campaigns, windows_of)


def test_a_bad_effective_period_is_caught_even_when_the_schedule_was_seen_before():
    good = load("A", 9, 8)
    naive = load("B", 9, 8, effective_start=datetime(2026, 3, 2, 12))
    with pytest.raises(InvalidSchedule, match="campaign B: effective_start: must carry a UTC offset"):
        find_conflicts({"P1": 10}, [good, naive], *DAY)
