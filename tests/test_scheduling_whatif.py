"""What-if: the conflicts one draft adds and removes, without re-sweeping the world."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from campaigns.scheduling import CampaignLoad, ConflictIndex, InvalidSchedule, find_conflicts

MONDAY = datetime(2026, 3, 2, tzinfo=UTC)
HORIZON = (MONDAY, MONDAY + timedelta(days=2))
POOLS = {"P1": 10, "P2": 10}


def load(campaign_id, hour, hours, *, agents=6, pool="P1", contact_list=None):
    return CampaignLoad(campaign_id, f"0 {hour} * * *", "UTC", hours * 60, pool, agents, contact_list)


def test_the_index_holds_the_same_conflicts_as_find_conflicts():
    campaigns = [load("A", 9, 8, contact_list="L1"), load("B", 12, 2, contact_list="L1"), load("C", 13, 3)]
    assert ConflictIndex(POOLS, campaigns, *HORIZON).conflicts == find_conflicts(POOLS, campaigns, *HORIZON)


def test_a_draft_that_moves_out_of_the_busy_hours_removes_its_conflicts():
    index = ConflictIndex(POOLS, [load("A", 9, 8), load("B", 12, 2)], *HORIZON)
    result = index.what_if(load("B", 18, 2))
    assert result.added == []
    assert [(c.kind, c.campaigns) for c in result.removed] == [("capacity", ("A", "B"))] * 2
    assert result.changed


def test_a_new_campaign_that_overloads_the_pool_adds_conflicts():
    index = ConflictIndex(POOLS, [load("A", 9, 8)], *HORIZON)
    result = index.what_if(load("NEW", 10, 1))
    assert [(c.start.hour, c.end.hour, c.campaigns, c.demand) for c in result.added] == [
        (10, 11, ("A", "NEW"), 12)
    ] * 2
    assert result.removed == []


def test_a_draft_that_changes_pool_is_checked_in_both_pools():
    index = ConflictIndex(POOLS, [load("A", 9, 8), load("B", 12, 2), load("C", 12, 2, pool="P2")], *HORIZON)
    result = index.what_if(load("B", 12, 2, pool="P2"))
    assert {c.key for c in result.removed} == {"P1"}
    assert {c.key for c in result.added} == {"P2"}


def test_a_draft_that_changes_nothing_changes_nothing():
    campaigns = [load("A", 9, 8), load("B", 12, 2)]
    assert not ConflictIndex(POOLS, campaigns, *HORIZON).what_if(campaigns[1]).changed


def test_what_if_leaves_the_index_as_it_was():
    index = ConflictIndex(POOLS, [load("A", 9, 8), load("B", 12, 2)], *HORIZON)
    before = index.conflicts
    index.what_if(load("B", 18, 2))
    assert index.conflicts == before


def test_replace_makes_a_draft_part_of_the_current_set():
    index = ConflictIndex(POOLS, [load("A", 9, 8), load("B", 12, 2)], *HORIZON)
    index.replace(load("B", 18, 2))
    assert index.conflicts == []
    assert index.what_if(load("B", 12, 2)).added  # moving back would conflict again


def test_an_invalid_mirror_row_is_left_out_and_reported():
    broken = CampaignLoad("X", "0 25 * * *", "UTC", 60, "P1", 6)
    elsewhere = CampaignLoad("Y", "0 9 * * *", "UTC", 60, "P9", 6)
    index = ConflictIndex(POOLS, [load("A", 9, 8), load("B", 12, 2), broken, elsewhere], *HORIZON)
    assert set(index.invalid) == {"X", "Y"}
    assert "hour: 25 is outside 0-23" in index.invalid["X"]
    assert len(index.conflicts) == 2


def test_an_invalid_draft_raises_with_its_field_errors():
    index = ConflictIndex(POOLS, [load("A", 9, 8)], *HORIZON)
    with pytest.raises(InvalidSchedule):
        index.what_if(CampaignLoad("A", "0 9 * *", "UTC", 60, "P1", 6))


CRONS = ["0 9 * * *", "0 12 * * *", "0 9,14 * * *", "0 22 * * *", "30 7 * * 1-5"]
rows = st.tuples(
    st.sampled_from(CRONS),
    st.sampled_from(["UTC", "America/Chicago", "Europe/London"]),
    st.integers(1, 12).map(lambda n: n * 60),
    st.sampled_from(["P1", "P2"]),
    st.integers(1, 8),
    st.sampled_from(["L1", "L2", None]),
)


@settings(max_examples=60, deadline=None)
@given(
    existing=st.lists(rows, min_size=1, max_size=8),
    draft=rows,
    replaces=st.booleans(),
    pick=st.integers(0, 7),
)
def test_what_if_equals_the_difference_of_two_full_sweeps(existing, draft, replaces, pick):
    campaigns = [CampaignLoad(f"C{n}", *row) for n, row in enumerate(existing)]
    draft_id = campaigns[pick % len(campaigns)].id if replaces else "DRAFT"
    proposal = CampaignLoad(draft_id, *draft)
    after_campaigns = [c for c in campaigns if c.id != draft_id] + [proposal]

    before = set(find_conflicts(POOLS, campaigns, *HORIZON))
    after = set(find_conflicts(POOLS, after_campaigns, *HORIZON))
    result = ConflictIndex(POOLS, campaigns, *HORIZON).what_if(proposal)
    assert set(result.added) == after - before
    assert set(result.removed) == before - after
    assert len(result.added) == len(set(result.added))


def test_changing_only_the_agents_is_enough_to_add_a_conflict():
    a, b = load("A", 9, 8, agents=4), load("B", 12, 2, agents=4)
    index = ConflictIndex(POOLS, [a, b], *HORIZON)
    assert index.conflicts == []
    assert len(index.what_if(replace(b, agents=7)).added) == 2
