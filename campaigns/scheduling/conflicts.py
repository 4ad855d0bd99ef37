"""Conflicts and capacity, found with a sweep line (never pairwise).

- capacity: while the summed agents of the campaigns with an open window in one pool exceed the pool's agents;
- contact_list: while two or more campaigns dial the same contact list.
An interval is split wherever the set of active campaigns changes, so each conflict names who is in it.
Windows are half-open [start, end): one that ends at 10:00 does not meet one that starts at 10:00.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from .spec import InvalidSchedule, ScheduleSpec, period_errors, structural_errors
from .windows import isoformat_utc, window_instants, windows_in_period
from .zones import canonical_zone

__all__ = [
    "CAPACITY",
    "CONTACT_LIST",
    "CampaignLoad",
    "Conflict",
    "ExpansionCache",
    "UnknownPool",
    "sweep",
]

CAPACITY = "capacity"
CONTACT_LIST = "contact_list"
Instants = tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class CampaignLoad:
    """What one campaign asks of a pool: its schedule, the agents it needs, and the list it dials."""

    id: str
    cron_expression: str
    timezone: str
    duration_minutes: int
    pool: str
    agents: int
    contact_list: str | None = None
    effective_start: datetime | None = None
    effective_end: datetime | None = None

    @property
    def spec(self) -> ScheduleSpec:
        return ScheduleSpec(
            self.cron_expression,
            self.timezone,
            self.duration_minutes,
            self.effective_start,
            self.effective_end,
        )


@dataclass(frozen=True, slots=True)
class Conflict:
    kind: str  # "capacity" | "contact_list"
    key: str  # pool id or contact list id
    start: datetime  # UTC
    end: datetime  # UTC
    campaigns: tuple[str, ...]  # sorted ids
    demand: int | None = None  # summed agents (capacity only)
    capacity: int | None = None  # the pool's agents (capacity only)

    def to_dict(self) -> dict[str, Any]:
        """The command-line shape: capacity conflicts carry demand and capacity, contact-list ones do not."""
        row: dict[str, Any] = {
            "kind": self.kind,
            ("pool" if self.kind == CAPACITY else "contact_list"): self.key,
            "start": isoformat_utc(self.start),
            "end": isoformat_utc(self.end),
            "campaigns": list(self.campaigns),
        }
        if self.kind == CAPACITY:
            row["demand"] = self.demand
            row["capacity"] = self.capacity
        return row


def conflict_sort_key(conflict: Conflict) -> tuple:
    return (conflict.start, conflict.end, conflict.kind, conflict.key, conflict.campaigns)


class ExpansionCache:
    """Window instants per (cron, zone, duration) for one horizon, shared by every campaign using them."""

    def __init__(self, start_utc: datetime, end_utc: datetime):
        self.start_ts = math.ceil(start_utc.timestamp())
        self.end_ts = math.ceil(end_utc.timestamp())
        self._checked: dict[tuple[str, str, int], str] = {}
        self._spans: dict[tuple, list[tuple[int, int]]] = {}

    def windows(self, campaign: CampaignLoad) -> Instants:
        """(start, end) UTC epoch seconds of the campaign's windows in the horizon and effective period."""
        key = (campaign.cron_expression, campaign.timezone, campaign.duration_minutes)
        zone = self._checked.get(key)
        if zone is None:
            errors = structural_errors(campaign.spec)
            if errors:
                raise InvalidSchedule(errors, campaign.id)
            zone = self._checked[key] = canonical_zone(campaign.timezone)
        instants = window_instants(
            campaign.cron_expression, zone, campaign.duration_minutes, self.start_ts, self.end_ts
        )
        if campaign.effective_start is None and campaign.effective_end is None:
            return instants
        errors = period_errors(campaign.spec)  # the schedule key above does not cover the period
        if errors:
            raise InvalidSchedule(errors, campaign.id)
        return windows_in_period(instants, campaign.effective_start, campaign.effective_end)

    def spans(self, campaign: CampaignLoad) -> list[tuple[int, int]]:
        """The campaign's windows merged where they overlap or touch (shared by identical schedules)."""
        key = (
            campaign.cron_expression,
            campaign.timezone,
            campaign.duration_minutes,
            campaign.effective_start,
            campaign.effective_end,
        )
        spans = self._spans.get(key)
        if spans is None:
            spans = self._spans[key] = merged(self.windows(campaign))
        return spans


def merged(windows: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """One campaign's windows as disjoint, non-touching intervals (active or not; it never counts twice)."""
    if all(first[1] < second[0] for first, second in zip(windows, windows[1:], strict=False)):
        return list(windows)  # already sorted and apart: the usual case
    spans: list[tuple[int, int]] = []
    for start, end in sorted(windows):
        if spans and start <= spans[-1][1]:
            if end > spans[-1][1]:
                spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
    return spans


class EventCoder:
    """Encodes a member's spans as ints that sort like (time, ends before starts, member): one int per event
    sorts far faster than tuples. Member indexes follow the sorted ids, so sorted indexes give sorted ids."""

    def __init__(self, ids: Sequence[str]):
        self.ids = list(ids)
        self.count = len(self.ids)
        self.shift = (2 * self.count).bit_length()
        self.mask = (1 << self.shift) - 1

    def encode(self, index: int, spans: Sequence[tuple[int, int]]) -> list[int]:
        shift, start_code = self.shift, self.count + index
        return [(start << shift) | start_code for start, _ in spans] + [
            (end << shift) | index for _, end in spans
        ]

    def weights(self, values: Sequence[int]) -> list[int]:
        """Demand change per event code: -w for a member's end, +w for its start."""
        return [-value for value in values] + list(values)


def sweep_events(
    events: list[int], coder: EventCoder, signed: Sequence[int], limit: int
) -> list[tuple[int, int, tuple[str, ...], int]]:
    """The sweep proper over merged spans: every event instant changes the active set, so each elementary
    interval whose demand exceeds `limit` is one conflict."""
    if not events:
        return []
    events.sort()
    shift, mask, count, name = coder.shift, coder.mask, coder.count, coder.ids.__getitem__
    active: set[int] = set()
    add, discard = active.add, active.discard
    demand = 0
    result: list[tuple[int, int, tuple[str, ...], int]] = []
    current = events[0] >> shift
    for event in events:
        instant = event >> shift
        if instant != current:
            # Every event at `current` is applied: the active set holds until this next instant.
            if demand > limit:
                result.append((current, instant, tuple(map(name, sorted(active))), demand))
            current = instant
        code = event & mask
        demand += signed[code]
        if code >= count:
            add(code - count)
        else:
            discard(code)
    return result


def sweep(
    members: Mapping[str, Sequence[tuple[int, int]]],
    agents: Mapping[str, int] | None = None,
    capacity: int | None = None,
    *,
    premerged: bool = False,
) -> list[tuple[int, int, tuple[str, ...], int]]:
    """Intervals (start, end, sorted active ids, demand) where the members conflict.

    With `capacity`, a conflict is summed agents > capacity; without, two or more active members (demand is
    then their number). Each member's own windows are merged first (skipped when `premerged`), so every
    instant with an event changes the active set: back-to-back windows of one campaign never split an
    interval.
    """
    coder = EventCoder(sorted(members))
    if coder.count < 2 and capacity is None:
        return []
    if capacity is not None:
        if agents is None:
            raise ValueError("a capacity sweep needs the agents of each member")
        signed, limit = coder.weights([agents[member] for member in coder.ids]), capacity
    else:
        signed, limit = coder.weights([1] * coder.count), 1
    events: list[int] = []
    for index, member in enumerate(coder.ids):
        events += coder.encode(index, members[member] if premerged else merged(members[member]))
    return sweep_events(events, coder, signed, limit)


def to_conflicts(
    kind: str,
    key: str,
    intervals: Iterable[tuple[int, int, tuple[str, ...], int]],
    capacity: int | None,
    instants: dict[int, datetime] | None = None,
) -> list[Conflict]:
    instants = {} if instants is None else instants

    def at(ts: int) -> datetime:
        value = instants.get(ts)
        if value is None:
            value = instants[ts] = datetime.fromtimestamp(ts, UTC)
        return value

    is_capacity = kind == CAPACITY
    return [
        Conflict(kind, key, at(start), at(end), campaigns, demand if is_capacity else None, capacity)
        for start, end, campaigns, demand in intervals
    ]


def group_conflicts(
    kind: str,
    key: str,
    members: Mapping[str, Instants],
    agents: Mapping[str, int],
    pools: Mapping[str, Any],
    *,
    premerged: bool = False,
) -> list[Conflict]:
    """The conflicts of one pool (kind "capacity") or one contact list (kind "contact_list"). A pool's capacity
    is its number of agents, or a weekly staffing (staffing.Staffing, agents that change by the hour)."""
    if kind == CAPACITY:
        capacity = pools[key]
        if isinstance(capacity, int):
            return to_conflicts(kind, key, sweep(members, agents, capacity, premerged=premerged), capacity)
        spans = members if premerged else {m: merged(members[m]) for m in members}
        return capacity.conflicts(key, spans, agents)
    return to_conflicts(kind, key, sweep(members, premerged=premerged), None)


class UnknownPool(ValueError):
    def __init__(self, campaign: str, pool: str):
        super().__init__(f"campaign {campaign}: pool {pool!r} is not a known capacity pool")
        self.campaign = campaign
        self.pool = pool


def check_pools(pools: Mapping[str, Any], campaigns: Iterable[CampaignLoad]) -> None:
    for campaign in campaigns:
        if campaign.pool and campaign.pool not in pools:
            raise UnknownPool(campaign.id, campaign.pool)
