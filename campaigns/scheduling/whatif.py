"""The conflict index: built once for a set of campaigns and a horizon, then asked "what if this draft?".

A draft replaces the campaign with the same id (or joins as a new one). Only the groups the draft can touch
(its old and new pool, its old and new contact list) are swept again, which keeps a what-if to a few
milliseconds: fast enough for every keystroke of the editor.
"""

from __future__ import annotations

import gc
from collections import defaultdict
from collections.abc import Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import numpy as np

from .conflicts import (
    CAPACITY,
    CONTACT_LIST,
    CampaignLoad,
    Conflict,
    ExpansionCache,
    check_pools,
    conflict_sort_key,
    group_conflicts,
    merged,
)
from .sweepline import GroupRows, Swept, flatten_spans, sweep_groups
from .whatif_local import Change, GroupDetail, by_start, group_detail_of_spans

__all__ = ["ConflictIndex", "WhatIf"]

GroupKey = tuple[str, str]  # (kind, pool id or contact list id)
Spans = list[tuple[int, int]]


@dataclass(frozen=True)
class WhatIf:
    added: list[Conflict] = field(default_factory=list)  # conflicts the draft creates
    removed: list[Conflict] = field(default_factory=list)  # conflicts the draft resolves

    @property
    def changed(self) -> bool:
        return bool(self.added or self.removed)


def _groups_of(campaign: CampaignLoad) -> list[GroupKey]:
    keys = []
    if campaign.pool:
        keys.append((CAPACITY, campaign.pool))
    if campaign.contact_list:
        keys.append((CONTACT_LIST, campaign.contact_list))
    return keys


def conflicts_of(
    swept: Swept, keys: Sequence[GroupKey], ids: Sequence[str], pools: Mapping[str, Any]
) -> tuple[list[Conflict], list[int]]:
    """The array sweep's conflicts as objects, grouped in the order of `keys` and time, and the order that
    sorts them all like conflict_sort_key (start, end, kind, key: never two with the same four)."""
    at = swept.conflict_at
    starts, ends, groups = swept.instant[at], swept.instant[at + 1], swept.group_of[at]
    names = np.array(ids, dtype=object)[swept.members].tolist()
    bounds = swept.member_bounds.tolist()
    stamps, where = np.unique(np.concatenate([starts, ends]), return_inverse=True)
    moments = [datetime.fromtimestamp(ts, UTC) for ts in stamps.tolist()]
    count = len(at)
    begins, finishes = where[:count].tolist(), where[count:].tolist()
    kinds = [(kind, key, pools[key] if kind == CAPACITY else None) for kind, key in keys]
    rows = [kinds[group] for group in groups.tolist()]
    demands = [
        demand if row[2] is not None else None for row, demand in zip(rows, swept.demand[at].tolist(), strict=True)
    ]
    found = [
        Conflict(kind, key, moments[b], moments[f], tuple(names[low:high]), demand, capacity)
        for (kind, key, capacity), b, f, low, high, demand in zip(
            rows, begins, finishes, bounds, bounds[1:], demands, strict=False
        )
    ]
    order = np.lexsort((groups, ends, starts)).tolist()  # keys are numbered in (kind, key) order
    return found, order


@contextmanager
def collector_paused():
    """Python's cyclic garbage collector held off while an index is built: building one for 10 000 campaigns
    allocates about a million objects (windows, spans, conflicts) and none of them form cycles, yet each
    allocation threshold started a pass over all of them: half the build time. Restored afterwards."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class ConflictIndex:
    """Conflicts of every pool and contact list, kept per group so a draft re-sweeps only its own groups.

    With `strict`, a campaign that cannot be expanded (invalid schedule, unknown pool, repeated id) raises;
    otherwise it is left out and listed in `invalid` (id → reason), so one bad mirror row cannot hide every
    other conflict from the dashboard.
    """

    def __init__(
        self,
        pools: Mapping[str, Any],
        campaigns: Sequence[CampaignLoad],
        start_utc: datetime,
        end_utc: datetime,
        *,
        strict: bool = False,
    ):
        with collector_paused():  # see collector_paused: most of the build is allocation
            self._build(pools, campaigns, start_utc, end_utc, strict)

    def _build(
        self,
        pools: Mapping[str, Any],
        campaigns: Sequence[CampaignLoad],
        start_utc: datetime,
        end_utc: datetime,
        strict: bool,
    ) -> None:
        self.pools = dict(pools)
        self.start_utc, self.end_utc = start_utc, end_utc
        self.invalid: dict[str, str] = {}
        self._expansion = ExpansionCache(start_utc, end_utc)
        self._campaigns: dict[str, CampaignLoad] = {}
        self._spans: dict[str, Spans] = {}  # each campaign's windows, merged where they overlap
        self._members: dict[GroupKey, set[str]] = defaultdict(set)
        self._details: dict[GroupKey, GroupDetail] = {}
        for campaign in campaigns:
            try:
                if campaign.id in self._campaigns:
                    raise ValueError(f"campaign {campaign.id}: the id appears twice")
                check_pools(self.pools, [campaign])
                spans = self._expansion.spans(campaign)
            except ValueError as exc:  # InvalidSchedule and UnknownPool are ValueErrors
                if strict:
                    raise
                self.invalid[campaign.id] = str(exc)
                continue
            self._campaigns[campaign.id] = campaign
            self._spans[campaign.id] = spans
            for key in _groups_of(campaign):
                self._members[key].add(campaign.id)
        self._conflicts: dict[GroupKey, list[Conflict]] = self._sweep_all()

    def _sweep_all(self) -> dict[GroupKey, list[Conflict]]:
        """Every group in one array sweep (sweepline.py); pools with a weekly staffing sweep on their own."""
        ids = sorted(self._campaigns)
        position = {cid: index for index, cid in enumerate(ids)}
        conflicts: dict[GroupKey, list[Conflict]] = {}
        swept: list[GroupKey] = []
        for key in sorted(self._members):
            kind, group = key
            members = self._members[key]
            if kind == CONTACT_LIST and len(members) < 2:
                conflicts[key] = []
            elif kind == CAPACITY and not isinstance(self.pools[group], int):
                conflicts[key] = self._group_after(key, None, [])
            else:
                swept.append(key)
        starts, ends, offsets = flatten_spans([self._spans[cid] for cid in ids])
        agents = [self._campaigns[cid].agents for cid in ids]
        groups, members, weights = [], [], []
        for number, (kind, group) in enumerate(swept):
            rows = [position[m] for m in self._members[(kind, group)]]
            groups += [number] * len(rows)
            members += rows
            weights += [agents[r] for r in rows] if kind == CAPACITY else [1] * len(rows)
        limits = [self.pools[group] if kind == CAPACITY else 1 for kind, group in swept]
        self._swept = sweep_groups(
            starts,
            ends,
            offsets,
            GroupRows(
                np.array(groups, dtype=np.int64),
                np.array(members, dtype=np.int64),
                np.array(weights, dtype=np.int64),
                np.array(limits, dtype=np.int64),
            ),
        )
        self._swept_keys = {key: number for number, key in enumerate(swept)}
        found, order = conflicts_of(self._swept, swept, ids, self.pools)
        self._sorted = None if any(conflicts.values()) else order  # a weekly staffing's conflicts: sort them all
        bounds = np.searchsorted(self._swept.group_of[self._swept.conflict_at], np.arange(len(swept) + 1))
        for number, key in enumerate(swept):
            conflicts[key] = found[bounds[number] : bounds[number + 1]]
        self._found = found
        return conflicts

    def _detail(self, key: GroupKey) -> GroupDetail:
        """The group's sweep, ready for a local what-if (kept until the group changes)."""
        detail = self._details.get(key)
        if detail is not None:
            return detail
        kind, group = key
        capacity = self.pools[group] if kind == CAPACITY else None
        members = {m: self._spans[m] for m in self._members.get(key, ())}
        number = self._swept_keys.get(key)
        if number is None:
            weights = {m: self._campaigns[m].agents if kind == CAPACITY else 1 for m in members}
            detail = group_detail_of_spans(kind, group, capacity, members, weights)
        else:
            sw = self._swept
            low, high = np.searchsorted(sw.group_of, [number, number + 1])
            detail = GroupDetail(
                kind,
                group,
                capacity,
                sw.instant[low:high].tolist(),
                sw.demand[low:high].tolist(),
                sw.events[low:high].tolist(),
                self._conflicts[key],
                lambda: by_start(members),
            )
        self._details[key] = detail
        return detail

    @property
    def campaigns(self) -> list[CampaignLoad]:
        return list(self._campaigns.values())

    @property
    def conflicts(self) -> list[Conflict]:
        """Every conflict, sorted by start."""
        if self._sorted is not None:
            return [self._found[i] for i in self._sorted]
        return sorted((c for group in self._conflicts.values() for c in group), key=conflict_sort_key)

    def _group_after(self, key: GroupKey, draft: CampaignLoad | None, draft_spans: Spans) -> list[Conflict]:
        """The conflicts of one group with `draft` in place of the campaign with its id."""
        members = set(self._members.get(key, ()))
        spans = {m: self._spans[m] for m in members}
        agents = {m: self._campaigns[m].agents for m in members}
        if draft is not None:
            spans.pop(draft.id, None)
            agents.pop(draft.id, None)
            if key in _groups_of(draft):
                spans[draft.id] = draft_spans
                agents[draft.id] = draft.agents
        kind, group = key
        return group_conflicts(kind, group, spans, agents, self.pools, premerged=True)

    def what_if(self, draft: CampaignLoad) -> WhatIf:
        """The conflicts the draft adds and removes, against the current set (the index is not changed)."""
        check_pools(self.pools, [draft])
        old = self._campaigns.get(draft.id)
        draft_spans = merged(self._expansion.windows(draft))  # not cached: drafts change on every keystroke
        old_keys = _groups_of(old) if old else []
        new_keys = _groups_of(draft)
        added: list[Conflict] = []
        removed: list[Conflict] = []
        for key in dict.fromkeys([*old_keys, *new_keys]):
            kind, group = key
            if kind == CAPACITY and not isinstance(self.pools[group], int):  # weekly staffing: sweep again
                after = self._group_after(key, draft, draft_spans)
                before = self._conflicts.get(key, [])
                before_set, after_set = set(before), set(after)
                added.extend(c for c in after if c not in before_set)
                removed.extend(c for c in before if c not in after_set)
                continue
            weight = (lambda c: c.agents) if kind == CAPACITY else (lambda c: 1)
            change = Change(
                draft.id,
                self._spans[draft.id] if key in old_keys else [],
                weight(old) if key in old_keys else 0,
                draft_spans if key in new_keys else [],
                weight(draft) if key in new_keys else 0,
            )
            more, fewer = change.compare(self._detail(key))
            added += more
            removed += fewer
        return WhatIf(sorted(added, key=conflict_sort_key), sorted(removed, key=conflict_sort_key))

    def replace(self, campaign: CampaignLoad) -> None:
        """Make `campaign` part of the current set (replacing the one with its id) and re-sweep its groups."""
        check_pools(self.pools, [campaign])
        spans = self._expansion.spans(campaign)  # raises before anything changes
        old = self._campaigns.get(campaign.id)
        keys = dict.fromkeys([*(_groups_of(old) if old else []), *_groups_of(campaign)])
        if old:
            for key in _groups_of(old):
                self._members[key].discard(campaign.id)
        self.invalid.pop(campaign.id, None)
        self._campaigns[campaign.id] = campaign
        self._spans[campaign.id] = spans
        for key in _groups_of(campaign):
            self._members[key].add(campaign.id)
        self._sorted = None
        for key in keys:
            self._conflicts[key] = self._group_after(key, None, [])
            self._details.pop(key, None)
            self._swept_keys.pop(key, None)


def find_conflicts(
    pools: Mapping[str, Any], campaigns: Sequence[CampaignLoad], start_utc: datetime, end_utc: datetime
) -> list[Conflict]:
    """Every capacity and contact-list conflict of windows starting in [start_utc, end_utc), sorted by start.

    Raises InvalidSchedule or UnknownPool naming the first campaign that cannot be expanded.
    """
    # The index holds the grouping: one code path for the whole tenant and for a draft's what-if.
    return ConflictIndex(pools, campaigns, start_utc, end_utc, strict=True).conflicts
