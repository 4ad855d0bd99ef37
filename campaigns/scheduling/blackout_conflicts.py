"""Conflicts of campaigns whose windows were already filtered (blackout days removed): the sweep of
conflicts.py fed with each campaign's own windows, one pool or contact list at a time.

The conflict index (whatif.py) expands every campaign from its schedule; where a blackout removes windows, the
callers hand the remaining windows here instead, so the timeline, capacity and the editor's what-if never count a
window that will not dial.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from .conflicts import CAPACITY, CONTACT_LIST, CampaignLoad, Conflict, conflict_sort_key, group_conflicts

__all__ = ["GroupKey", "groups_of", "grouped_conflicts"]

GroupKey = tuple[str, str]  # (kind, pool id or contact list id)
Instants = Sequence[tuple[int, int]]


def groups_of(load: CampaignLoad) -> list[GroupKey]:
    """The pool and the contact list a campaign is swept with."""
    keys = []
    if load.pool:
        keys.append((CAPACITY, load.pool))
    if load.contact_list:
        keys.append((CONTACT_LIST, load.contact_list))
    return keys


def grouped_conflicts(
    pools: Mapping[str, Any],
    loads: Iterable[CampaignLoad],
    windows: Mapping[str, Instants],
    keys: Iterable[GroupKey] | None = None,
) -> list[Conflict]:
    """Every conflict among `loads` (only those of the groups `keys`, when given), each campaign's windows
    taken from `windows` by id, sorted by start."""
    members: dict[GroupKey, dict[str, Instants]] = defaultdict(dict)
    agents: dict[str, int] = {}
    for load in loads:
        agents[load.id] = load.agents
        for key in groups_of(load):
            members[key][load.id] = windows[load.id]
    wanted = members.keys() if keys is None else [key for key in keys if key in members]
    found: list[Conflict] = []
    for kind, group in wanted:
        group_members = members[(kind, group)]
        if kind == CONTACT_LIST and len(group_members) < 2:
            continue
        found += group_conflicts(kind, group, group_members, {m: agents[m] for m in group_members}, pools)
    return sorted(found, key=conflict_sort_key)
