"""The pairwise reference: what a naive script does (compare every window with every other window of its
group). Quadratic; kept only to check the sweep line in tests and to measure it in bench/conflicts.py.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence

from .conflicts import (
    CAPACITY,
    CONTACT_LIST,
    CampaignLoad,
    Conflict,
    Instants,
    conflict_sort_key,
    to_conflicts,
)

__all__ = ["pairwise_conflicts", "pairwise_group"]


def pairwise_group(
    members: Mapping[str, Instants], agents: Mapping[str, int] | None = None, capacity: int | None = None
) -> list[tuple[int, int, tuple[str, ...], int]]:
    """The same intervals as `conflicts.sweep`, found by comparing every pair of windows."""
    flat = [(start, end, member) for member, windows in members.items() for start, end in windows]
    pieces: dict[tuple[int, int], frozenset[str]] = {}
    for start, end, _ in flat:
        overlapping = [other for other in flat if other[0] < end and start < other[1]]
        cuts = {start, end}
        for other_start, other_end, _ in overlapping:
            if start < other_start < end:
                cuts.add(other_start)
            if start < other_end < end:
                cuts.add(other_end)
        ordered = sorted(cuts)
        for low, high in zip(ordered, ordered[1:], strict=False):
            if (low, high) not in pieces:
                pieces[(low, high)] = frozenset(o[2] for o in overlapping if o[0] <= low and high <= o[1])
    result: list[tuple[int, int, tuple[str, ...], int]] = []
    for (low, high), active in sorted(pieces.items()):
        demand = (
            sum(agents[m] for m in active) if agents is not None and capacity is not None else len(active)
        )
        conflicting = demand > capacity if capacity is not None else len(active) >= 2
        if not conflicting:
            continue
        names = tuple(sorted(active))
        if result and result[-1][1] == low and result[-1][2] == names:
            result[-1] = (result[-1][0], high, names, demand)
        else:
            result.append((low, high, names, demand))
    return result


def pairwise_conflicts(
    pools: Mapping[str, int], campaigns: Sequence[CampaignLoad], windows: Mapping[str, Instants]
) -> list[Conflict]:
    """Every conflict, pairwise, given each campaign's windows (UTC epoch seconds)."""
    groups: dict[tuple[str, str], dict[str, Instants]] = defaultdict(dict)
    for campaign in campaigns:
        if campaign.pool:
            groups[(CAPACITY, campaign.pool)][campaign.id] = windows[campaign.id]
        if campaign.contact_list:
            groups[(CONTACT_LIST, campaign.contact_list)][campaign.id] = windows[campaign.id]
    agents = {campaign.id: campaign.agents for campaign in campaigns}
    conflicts: list[Conflict] = []
    for (kind, key), members in groups.items():
        if kind == CAPACITY:
            conflicts += to_conflicts(kind, key, pairwise_group(members, agents, pools[key]), pools[key])
        else:
            conflicts += to_conflicts(kind, key, pairwise_group(members), None)
    return sorted(conflicts, key=conflict_sort_key)
