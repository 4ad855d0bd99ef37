"""Demand over time: how many agents a pool's open windows need, as steps and per planning interval.

Workforce tools plan in 15-minute intervals, so the capacity picture does too. An interval's demand is the
*peak* at any instant inside it (not the average): ten minutes over capacity is an overload a supervisor has
to staff for, even if the other five minutes are quiet. Windows are half-open [start, end), UTC epoch seconds.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .conflicts import merged

__all__ = ["INTERVAL_SECONDS", "Step", "demand_steps", "interval_peaks"]

INTERVAL_SECONDS = 15 * 60


@dataclass(frozen=True, slots=True)
class Step:
    """From `start` to `end` (UTC epoch seconds) `campaigns` campaigns are open and need `agents` agents."""

    start: int
    end: int
    agents: int
    campaigns: int


def demand_steps(windows: Mapping[str, Sequence[tuple[int, int]]], agents: Mapping[str, int]) -> list[Step]:
    """The piecewise-constant demand of a set of campaigns, only where at least one is open, sorted.

    Each campaign's own windows are merged first, so a campaign never counts twice at one instant.
    """
    changes: dict[int, list[int]] = {}
    for campaign, spans in windows.items():
        weight = agents[campaign]
        for start, end in merged(spans):
            if end <= start:
                continue
            changes.setdefault(start, [0, 0])
            changes.setdefault(end, [0, 0])
            changes[start][0] += weight
            changes[start][1] += 1
            changes[end][0] -= weight
            changes[end][1] -= 1
    steps: list[Step] = []
    demand = count = 0
    instants = sorted(changes)
    for instant, following in zip(instants, instants[1:], strict=False):
        demand += changes[instant][0]
        count += changes[instant][1]
        if count > 0:
            steps.append(Step(instant, following, demand, count))
    return steps


def interval_peaks(
    steps: Sequence[Step], start_ts: int, end_ts: int, interval: int = INTERVAL_SECONDS
) -> list[int]:
    """The peak demand in each interval [start_ts + k·interval, start_ts + (k+1)·interval) up to end_ts."""
    count = max(0, -(-(end_ts - start_ts) // interval))
    peaks = [0] * count
    for step in steps:
        if step.end <= start_ts or step.start >= end_ts:
            continue
        first = max(0, (step.start - start_ts) // interval)
        last = min(count - 1, (step.end - 1 - start_ts) // interval)
        for index in range(first, last + 1):
            if peaks[index] < step.agents:
                peaks[index] = step.agents
    return peaks
