"""The sweep line over a whole tenant at once, in array form (numpy).

Every group (a pool with a fixed number of agents, or a contact list) is swept in the same pass: each event is
one int64 key `group << SHIFT | instant`, so one sort orders every group's events by time and one running sum
gives every group's demand (each group's starts and ends cancel, so the sum is back to 0 between groups).
An elementary interval runs from one distinct event instant of a group to the next, exactly as the pure sweep
in conflicts.py splits them; the members of each over-limit interval are found by locating every span's first
and last elementary interval (binary search), never by walking the active set.

Pure: arrays in, arrays out. The caller (whatif.ConflictIndex) turns rows into Conflict objects.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain

import numpy as np

__all__ = ["GroupRows", "Swept", "flatten_spans", "sweep_groups"]

SHIFT = 36  # instants relative to the earliest span: 2**36 s is over 2 000 years


@dataclass(frozen=True)
class GroupRows:
    """The groups to sweep: row i puts member `members[i]` (index into the spans) in group `groups[i]`."""

    groups: np.ndarray  # int64, group number of each membership row
    members: np.ndarray  # int64, member index of each membership row
    weights: np.ndarray  # int64, what the member adds to the group's demand (agents, or 1)
    limits: np.ndarray  # int64 per group: demand above this is a conflict


@dataclass(frozen=True)
class Swept:
    """Every group's elementary intervals, and the conflicts among them with their sorted members."""

    group_of: np.ndarray  # per distinct (group, instant): the group
    instant: np.ndarray  # per distinct (group, instant): UTC epoch seconds
    demand: np.ndarray  # demand from this instant to the group's next one
    events: np.ndarray  # how many span starts and ends fall on this instant
    conflict_at: np.ndarray  # indexes (into the arrays above) of intervals over their group's limit
    member_bounds: np.ndarray  # conflict k's members are members[member_bounds[k]:member_bounds[k + 1]]
    members: np.ndarray  # member indexes, sorted within each conflict


def flatten_spans(spans: Sequence[Sequence[tuple[int, int]]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(starts, ends, offsets) of every member's merged spans: member m's are [offsets[m], offsets[m + 1])."""
    counts = np.fromiter((len(s) for s in spans), dtype=np.int64, count=len(spans))
    offsets = np.zeros(len(spans) + 1, dtype=np.int64)
    np.cumsum(counts, out=offsets[1:])
    total = int(offsets[-1])
    flat = np.fromiter(chain.from_iterable(chain.from_iterable(spans)), dtype=np.int64, count=2 * total)
    return flat[0::2], flat[1::2], offsets


def _expand(lengths: np.ndarray, firsts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For rows with `lengths[i]` items starting at `firsts[i]`: (row of each item, item index)."""
    total = int(lengths.sum())
    rows = np.repeat(np.arange(len(lengths), dtype=np.int64), lengths)
    before = np.cumsum(lengths) - lengths
    items = np.arange(total, dtype=np.int64) - before[rows] + firsts[rows]
    return rows, items


def sweep_groups(starts: np.ndarray, ends: np.ndarray, offsets: np.ndarray, rows: GroupRows) -> Swept:
    """Sweep every group in one pass (see the module docstring). Spans are half-open [start, end)."""
    lengths = offsets[1:] - offsets[:-1]
    row_of, span = _expand(lengths[rows.members], offsets[:-1][rows.members])
    base = int(starts.min()) if len(starts) else 0
    group = rows.groups[row_of] << SHIFT
    start_keys = group | (starts[span] - base)
    end_keys = group | (ends[span] - base)
    weight = rows.weights[row_of]
    every = np.concatenate([start_keys, end_keys])
    # A stable sort (timsort: each member's events arrive in runs) is several times faster than np.unique's.
    order = np.argsort(every, kind="stable")
    keys = every[order]
    distinct = np.ones(len(keys), dtype=bool)
    distinct[1:] = keys[1:] != keys[:-1]
    keys = keys[distinct]
    inverse = np.empty(len(every), dtype=np.int64)
    inverse[order] = np.cumsum(distinct) - 1
    change = np.bincount(inverse, weights=np.concatenate([weight, -weight]), minlength=len(keys))
    demand = np.cumsum(change.astype(np.int64))
    events = np.bincount(inverse, minlength=len(keys))
    group_of = keys >> SHIFT
    instant = (keys & ((1 << SHIFT) - 1)) + base
    # An interval exists up to the group's next instant; the last one of each group is closed (demand 0).
    interval = np.zeros(len(keys), dtype=bool)
    interval[:-1] = group_of[:-1] == group_of[1:]
    conflict_at = np.flatnonzero(interval & (demand > rows.limits[group_of]))
    # Each span covers the elementary intervals [first, last): its conflicts are conflict_at[low:high].
    count = len(start_keys)
    first, last = inverse[:count], inverse[count:]
    low = np.searchsorted(conflict_at, first)
    high = np.searchsorted(conflict_at, last)
    span_row, position = _expand(high - low, low)
    member = rows.members[row_of[span_row]]
    population = int(offsets.size)
    order = np.sort(position * population + member, kind="stable")
    member_bounds = np.zeros(len(conflict_at) + 1, dtype=np.int64)
    np.cumsum(np.bincount(position, minlength=len(conflict_at)), out=member_bounds[1:])
    return Swept(group_of, instant, demand, events, conflict_at, member_bounds, order % population)
