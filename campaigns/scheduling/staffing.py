"""Weekly staffing: how many agents a pool has at each hour of the week, on one zone's wall clock, and the
capacity sweep against agents that change over time.

CXone has no pool of agents shared by skills, so supervisors say it: "Mon–Fri 08:00–18:00 25 agents, Sat
09:00–13:00 6". A profile is 7 × 24 numbers (Monday first); an hour no line covers keeps the pool's usual
number. Hours are on the wall clock of the profile's zone: 08:00 stays 08:00 across DST, and an hour that the
spring-forward skips simply does not happen that day.

The engine takes a pool's capacity as a number or as a `Staffing`; with a `Staffing` an overload is any moment
where the campaigns' summed agents exceed the agents staffed at that moment, so a conflict ends or splits where
the staffing changes, and each names the capacity it was measured against.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache

from .conflicts import CAPACITY, Conflict
from .zones import get_zone, localize

__all__ = ["DAYS", "ProfileError", "Staffing", "flat_week", "parse_profile", "profile_lines"]

DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MAX_AGENTS = 100_000
LINE = re.compile(
    r"^\s*(?P<days>[A-Za-z,\s–-]+?)\s+(?P<start>\d{1,2}(?::00)?)\s*[–-]\s*(?P<end>\d{1,2}(?::00)?)\s+"
    r"(?P<agents>\d+)(?:\s+agents?)?\s*$"
)
DAY_WORDS = {
    "every day": range(7),
    "daily": range(7),
    "weekdays": range(5),
    "weekends": range(5, 7),
}
Week = tuple[tuple[int, ...], ...]


class ProfileError(ValueError):
    """A profile line that cannot be read; the message names the line and says what to write."""


def flat_week(agents: int) -> Week:
    return tuple(tuple([agents] * 24) for _ in DAYS)


def _day_set(text: str, number: int) -> list[int]:
    words = " ".join(text.lower().split())
    if words in DAY_WORDS:
        return list(DAY_WORDS[words])
    days: list[int] = []
    for part in re.split(r"\s*,\s*", text.strip()):
        ends = [p.strip().title()[:3] for p in re.split(r"\s*[–-]\s*", part) if p.strip()]
        if not ends or any(end not in DAYS for end in ends) or len(ends) > 2:
            raise ProfileError(
                f"Line {number}: {part.strip()!r} is not a day: write Mon, Tue, …, Sun, a range such as Mon-Fri, "
                "or Weekdays, Weekends, Every day."
            )
        first, last = DAYS.index(ends[0]), DAYS.index(ends[-1])
        if last < first:
            raise ProfileError(f"Line {number}: {part.strip()!r} runs backwards: write it from Monday on.")
        days.extend(range(first, last + 1))
    return days


def _hour(text: str, number: int, *, end: bool) -> int:
    hour = int(text.split(":")[0])
    if not 0 <= hour <= (24 if end else 23):
        raise ProfileError(f"Line {number}: {text} is not an hour of the day (00:00 to 24:00).")
    return hour


def parse_profile(text: str, usual: int) -> Week:
    """A week of agents per hour from lines such as "Mon-Fri 08:00-18:00 25" (days, hours on the hour, agents);
    hours no line covers have `usual` agents, and a later line overrides an earlier one where they meet."""
    week = [[usual] * 24 for _ in DAYS]
    for number, raw in enumerate(text.splitlines(), 1):
        if not raw.strip() or raw.strip().startswith("#"):
            continue
        match = LINE.match(raw)
        if not match:
            raise ProfileError(
                f"Line {number}: {raw.strip()!r} is not “days hours agents”: write for example "
                "“Mon-Fri 08:00-18:00 25” (whole hours)."
            )
        days = _day_set(match["days"], number)
        start, stop = _hour(match["start"], number, end=False), _hour(match["end"], number, end=True)
        if stop <= start:
            raise ProfileError(
                f"Line {number}: {match['start']}–{match['end']} ends before it starts: a line stays within one "
                "day (write the night as two lines)."
            )
        agents = int(match["agents"])
        if agents > MAX_AGENTS:
            raise ProfileError(f"Line {number}: {agents} agents is more than any contact centre has.")
        for day in days:
            week[day][start:stop] = [agents] * (stop - start)
    return tuple(tuple(day) for day in week)


def profile_lines(week: Week, usual: int) -> list[str]:
    """The lines that give `week` back from `usual` (parse_profile's inverse): runs of equal hours, days with the
    same runs grouped ("Mon-Fri 08:00-18:00 25")."""
    by_runs: dict[tuple, list[int]] = {}
    for day, hours in enumerate(week):
        runs = []
        start = None
        for hour in range(25):
            value = hours[hour] if hour < 24 else None
            if start is not None and (value != hours[start]):
                if hours[start] != usual:
                    runs.append((start, hour, hours[start]))
                start = None
            if start is None and value is not None:
                start = hour
        if runs:
            by_runs.setdefault(tuple(runs), []).append(day)
    lines = []
    for runs, days in by_runs.items():
        for start, stop, agents in runs:
            lines.append(f"{_days_text(days)} {start:02d}:00-{stop:02d}:00 {agents}")
    return lines


def _days_text(days: list[int]) -> str:
    if days == list(range(7)):
        return "Every day"
    parts, run = [], [days[0]]
    for day in days[1:]:
        if day == run[-1] + 1:
            run.append(day)
        else:
            parts.append(run)
            run = [day]
    parts.append(run)
    return ",".join(DAYS[r[0]] if len(r) == 1 else f"{DAYS[r[0]]}-{DAYS[r[-1]]}" for r in parts)


@dataclass(frozen=True)
class Staffing:
    """A pool's agents at each hour of the week (Monday first) on the wall clock of `zone`."""

    zone: str
    week: Week

    @property
    def fewest(self) -> int:
        return min(min(day) for day in self.week)

    @property
    def most(self) -> int:
        return max(max(day) for day in self.week)

    def steps(self, start_ts: int, end_ts: int) -> list[tuple[int, int]]:
        """(from, agents): the agents staffed from each instant on (UTC epoch seconds), the first at or before
        `start_ts`, the last before `end_ts`; consecutive equal values merged."""
        return list(_steps(self, start_ts, end_ts))

    def per_interval(self, start_ts: int, count: int, interval: int) -> list[int]:
        """The fewest agents staffed at any moment of each interval [start + k·interval, …): an interval is only
        as well staffed as its thinnest moment, as demand counts its busiest."""
        steps = self.steps(start_ts, start_ts + count * interval)
        result = []
        index = 0
        for k in range(count):
            low, high = start_ts + k * interval, start_ts + (k + 1) * interval
            while index + 1 < len(steps) and steps[index + 1][0] <= low:
                index += 1
            fewest = steps[index][1]
            j = index + 1
            while j < len(steps) and steps[j][0] < high:
                fewest = min(fewest, steps[j][1])
                j += 1
            result.append(fewest)
        return result

    def conflicts(
        self,
        key: str,
        members: Mapping[str, Sequence[tuple[int, int]]],
        agents: Mapping[str, int],
        instants: dict[int, datetime] | None = None,
    ) -> list[Conflict]:
        """The capacity sweep of one pool against agents that change over time: every interval where the active
        campaigns need more agents than are staffed then, split wherever either changes. `members` are each
        campaign's windows, merged (disjoint, sorted), UTC epoch seconds."""
        changes: dict[int, list[tuple[str, bool]]] = {}  # instant → (member, opens) of what changes then
        for member, spans in members.items():
            for start, end in spans:
                changes.setdefault(start, []).append((member, True))
                changes.setdefault(end, []).append((member, False))
        if not changes:
            return []
        order = sorted(changes)
        steps = self.steps(order[0], order[-1] + 1)
        instants = {} if instants is None else instants

        def at(ts: int) -> datetime:
            value = instants.get(ts)
            if value is None:
                value = instants[ts] = datetime.fromtimestamp(ts, UTC)
            return value

        active: set[str] = set()
        demand = step = 0
        result: list[Conflict] = []
        for current, following in zip(order, order[1:], strict=False):
            for member, opens in changes[current]:
                if opens:
                    active.add(member)
                    demand += agents[member]
                else:
                    active.discard(member)
                    demand -= agents[member]
            if not active:
                continue
            while step + 1 < len(steps) and steps[step + 1][0] <= current:
                step += 1
            ids = tuple(sorted(active))
            piece, j = current, step
            while piece < following:
                end = min(following, steps[j + 1][0]) if j + 1 < len(steps) else following
                if demand > steps[j][1]:
                    result.append(Conflict(CAPACITY, key, at(piece), at(end), ids, demand, steps[j][1]))
                piece, j = end, j + 1
        return result


@lru_cache(maxsize=256)
def _steps(staffing: Staffing, start_ts: int, end_ts: int) -> tuple[tuple[int, int], ...]:
    # Wall-clock hours become UTC instants day by day (localize: a skipped hour starts when the gap ends, a
    # repeated hour at its first occurrence); a day before and after covers any offset.
    zone = get_zone(staffing.zone)
    first = datetime.fromtimestamp(start_ts, zone).date() - timedelta(days=1)
    last = datetime.fromtimestamp(end_ts, zone).date() + timedelta(days=1)
    raw: list[tuple[int, int]] = []
    day = first
    while day <= last:
        hours = staffing.week[day.weekday()]
        for hour in range(24):
            ts = int(localize(_wall(day, hour), zone).timestamp())
            if raw and ts <= raw[-1][0]:
                raw[-1] = (raw[-1][0], hours[hour])  # a skipped hour: the next one starts at the same instant
            else:
                raw.append((ts, hours[hour]))
        day += timedelta(days=1)
    steps: list[tuple[int, int]] = []
    for ts, agents in raw:
        if steps and steps[-1][1] == agents:
            continue
        steps.append((ts, agents))
    # From the last change at or before start_ts, up to end_ts.
    begin = 0
    while begin + 1 < len(steps) and steps[begin + 1][0] <= start_ts:
        begin += 1
    return (steps[begin], *(s for s in steps[begin + 1 :] if s[0] < end_ts))


def _wall(day: date, hour: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour)

