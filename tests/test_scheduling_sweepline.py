"""The array sweep and the local what-if give the verdicts of the plain sweep, on random tenants."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from campaigns.scheduling import CampaignLoad, ConflictIndex
from campaigns.scheduling.conflicts import (
    CAPACITY,
    CONTACT_LIST,
    ExpansionCache,
    conflict_sort_key,
    group_conflicts,
)

MONDAY = datetime(2026, 3, 2, tzinfo=UTC)
HORIZON = (MONDAY, MONDAY + timedelta(days=3))
POOLS = {"P1": 9, "P2": 14}

campaign = st.builds(
    lambda n, hour, minute, hours, agents, pool, lst, zone: CampaignLoad(
        f"C{n}", f"{minute} {hour} * * *", zone, hours * 30, pool, agents, lst
    ),
    st.integers(0, 9),
    st.integers(6, 20),
    st.sampled_from([0, 30]),
    st.integers(1, 12),
    st.integers(1, 8),
    st.sampled_from(["P1", "P2"]),
    st.sampled_from([None, "L1", "L2"]),
    st.sampled_from(["UTC", "America/New_York"]),
)
tenant = st.lists(campaign, max_size=9, unique_by=lambda c: c.id)


def plain_sweep(campaigns):
    """Each group swept on its own with the pure sweep of conflicts.py: the reference."""
    expansion = ExpansionCache(*HORIZON)
    spans = {c.id: expansion.spans(c) for c in campaigns}
    found = []
    for kind, key in [(CAPACITY, "P1"), (CAPACITY, "P2"), (CONTACT_LIST, "L1"), (CONTACT_LIST, "L2")]:
        members = [c for c in campaigns if (c.pool if kind == CAPACITY else c.contact_list) == key]
        found += group_conflicts(
            kind,
            key,
            {c.id: spans[c.id] for c in members},
            {c.id: c.agents for c in members},
            POOLS,
            premerged=True,
        )
    return sorted(found, key=conflict_sort_key)


@settings(max_examples=60, deadline=None)
@given(tenant)
def test_the_array_sweep_finds_what_the_plain_sweep_finds(campaigns):
    assert ConflictIndex(POOLS, campaigns, *HORIZON, strict=True).conflicts == plain_sweep(campaigns)


@settings(max_examples=80, deadline=None)
@given(tenant, campaign, st.booleans())
def test_a_what_if_is_the_difference_between_the_tenant_before_and_after_the_draft(campaigns, draft, renamed):
    draft = replace(draft, id="DRAFT" if renamed or not campaigns else campaigns[0].id)
    before = plain_sweep(campaigns)
    after = plain_sweep([c for c in campaigns if c.id != draft.id] + [draft])
    result = ConflictIndex(POOLS, campaigns, *HORIZON).what_if(draft)
    assert result.added == [c for c in after if c not in before]
    assert result.removed == [c for c in before if c not in after]
