"""The queries behind the charts: the mirror's schedules expanded by the engine (and, from reports/activity.py,
the activation and webhook rows), turned into the plain data that campaigns/charts builds figures from.

Every range is a pair of UTC instants [start, end). Windows that open up to a day before the range and reach into
it are included (a window lasts at most 24 h), so a range that starts at midnight does not lose the night shift.
"""

from __future__ import annotations

import copy
import datetime as dt
import threading
from collections import OrderedDict, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from campaigns import scheduling
from campaigns.charts import capacity as capacity_charts
from campaigns.charts import dashboards as dashboard_charts
from campaigns.charts import drift as drift_charts
from campaigns.charts import latency as latency_charts
from campaigns.charts.bars import overload_bands
from campaigns.charts.common import Chart
from campaigns.models import Campaign
from campaigns.scheduling.blackout_conflicts import grouped_conflicts
from campaigns.scheduling.blackouts import without_blackouts
from campaigns.scheduling.conflicts import CONTACT_LIST, ExpansionCache
from campaigns.scheduling.held_windows import without_pauses
from campaigns.scheduling.intervals import INTERVAL_SECONDS, demand_steps, interval_peaks
from campaigns.scheduling.staffing import Staffing
from campaigns.services.blackouts import days as blackout_days
from campaigns.services.control import pausing
from campaigns.services.drafts.checks import conflict_index
from campaigns.services.pools import lookup
from campaigns.services.reports import activity, drift_weeks

LEAD_IN = dt.timedelta(days=1)  # the longest window: one that opened the day before can still be open


@dataclass
class Mirror:
    """The mirror's campaigns and pools as the engine and the charts see them, expanded over one range."""

    start: dt.datetime
    end: dt.datetime
    pools: dict[str, lookup.Pool] = field(default_factory=dict)  # by key: skills and defined pools
    campaigns: dict[str, dict] = field(default_factory=dict)  # by CXone id: pk, name, zone, pool_key, ...
    loads: dict[str, scheduling.CampaignLoad] = field(default_factory=dict)
    windows: dict[str, tuple[tuple[int, int], ...]] = field(default_factory=dict)  # reaching into the range
    # The parts of those windows outside approved pauses: the load on pools and contact lists (the timeline
    # draws `windows`, marking what a pause holds; capacity and conflicts count only what dials).
    dialling: dict[str, tuple[tuple[int, int], ...]] = field(default_factory=dict)
    invalid: dict[str, str] = field(default_factory=dict)  # CXone id → why its windows cannot be drawn
    conflicts: list[scheduling.Conflict] = field(default_factory=list)
    # What the pages drew from it, kept with it (a kept mirror is asked the same questions again).
    drawn: dict[tuple, Any] = field(default_factory=dict)

    @property
    def start_ts(self) -> int:
        return int(self.start.timestamp())

    @property
    def end_ts(self) -> int:
        return int(self.end.timestamp())


# The last few mirrors this process expanded, by range and by what they were built from: the timeline, capacity
# and dashboards of 10 000 campaigns ask for the same ranges (today's week, this Monday's weeks) over and over,
# and expanding them all costs far more than the aggregate that says whether anything changed.
MIRRORS_KEPT = 6
_mirrors: OrderedDict[tuple, Mirror] = OrderedDict()
_mirrors_lock = threading.Lock()


def mirror(start: dt.datetime, end: dt.datetime) -> Mirror:
    """Every present campaign with a schedule, its windows reaching into [start, end) and the conflicts there
    (kept while the mirror does not change: callers read it, never change it)."""
    key = (start, end, conflict_index.fingerprint(), blackout_days.fingerprint(), pausing.fingerprint())
    with _mirrors_lock:
        if key in _mirrors:
            _mirrors.move_to_end(key)
            return _mirrors[key]
    result = _expand(start, end)
    with _mirrors_lock:
        _mirrors[key] = result
        while len(_mirrors) > MIRRORS_KEPT:
            _mirrors.popitem(last=False)
    return result


def forget_mirrors() -> None:
    """Drop the kept mirrors and dashboards (tests that change the rows within one fingerprint or minute)."""
    with _mirrors_lock:
        _mirrors.clear()
        _dashboards.clear()


MIRRORED = (
    "pk", "cxone_id", "name", "timezone", "cron_expression", "duration_minutes", "agents_required",
    "contact_list_id", "effective_start", "effective_end", "pool_id",
)  # fmt: skip


def _expand(start: dt.datetime, end: dt.datetime) -> Mirror:
    result = Mirror(start, end)
    book = lookup.book()
    result.pools = book.pools
    rows = (
        Campaign.objects.filter(missing_since__isnull=True, duration_minutes__isnull=False)
        .exclude(cron_expression="")
        .exclude(timezone="")
        .values(*MIRRORED)
    )
    rows = list(rows)
    expansion = ExpansionCache(start - LEAD_IN, end)
    # Blackout days (approved calendars of a campaign or its pool) remove their windows from every chart.
    blacked_out = blackout_days.days_by_campaign(
        [(row["pk"], row["cxone_id"], row["pool_id"], row["timezone"]) for row in rows], start - LEAD_IN, end
    )
    # Approved pauses take what they hold out of the load (conflicts, capacity), not out of the timeline's bars.
    paused = pausing.paused_spans(start - LEAD_IN, end)
    kept: dict[str, tuple[tuple[int, int], ...]] = {}
    start_ts = result.start_ts
    for row in rows:
        row["pool_key"] = book.key_of(row["pk"], row["pool_id"])  # a supervisor's pool, else the skill's
        load = scheduling.CampaignLoad(
            id=row["cxone_id"],
            cron_expression=row["cron_expression"],
            timezone=row["timezone"],
            duration_minutes=row["duration_minutes"],
            pool=row["pool_key"],
            agents=row["agents_required"],
            contact_list=row["contact_list_id"] or None,
            effective_start=row["effective_start"],
            effective_end=row["effective_end"],
        )
        try:
            windows = without_blackouts(expansion.windows(load), blacked_out.get(load.id, []))
        except ValueError as exc:  # an invalid schedule in the mirror: left out, and said so
            result.invalid[load.id] = str(exc)
            continue
        result.loads[load.id] = load
        result.campaigns[load.id] = row
        kept[load.id] = without_pauses(windows, paused.get(load.id, []))
        result.windows[load.id] = tuple(w for w in windows if w[1] > start_ts)
        result.dialling[load.id] = tuple(w for w in kept[load.id] if w[1] > start_ts)
    if blacked_out or paused:  # the index would expand the held windows again: sweep the kept ones
        conflicts = grouped_conflicts(book.capacities, result.loads.values(), kept)
    else:
        index = scheduling.ConflictIndex(book.capacities, list(result.loads.values()), start - LEAD_IN, end)
        result.invalid.update(index.invalid)
        conflicts = index.conflicts
    result.conflicts = [c for c in conflicts if c.end > start]
    return result


# ---- timeline (reports/timeline.py) and its filters --------------------------------------------------------


def campaign_zones() -> list[str]:
    return sorted(
        z
        for z in Campaign.objects.filter(missing_since__isnull=True)
        .exclude(timezone="")
        .order_by()
        .values_list("timezone", flat=True)
        .distinct()
    )


# ---- capacity ----------------------------------------------------------------------------------------------


def pool_demands(
    start: dt.datetime, end: dt.datetime, *, data: Mirror | None = None
) -> list[capacity_charts.PoolDemand]:
    """Agents required (the peak in each 15-minute interval) and available (per interval where a staffing
    varies), for every pool some present campaign draws on, by pool name (computed once per kept mirror).
    `data`: the mirror of [start, end) the caller just read (its fingerprints are not asked for twice)."""
    data = data or mirror(start, end)
    if ("demands",) not in data.drawn:
        data.drawn[("demands",)] = _pool_demands(data)
    return list(data.drawn[("demands",)])


def _pool_demands(data: Mirror) -> list[capacity_charts.PoolDemand]:
    members: dict[str, list[str]] = defaultdict(list)
    for cid, load in data.loads.items():
        if load.pool:
            members[load.pool].append(cid)
    result = []
    for key, pool in sorted(data.pools.items(), key=lambda item: (item[1].name.lower(), item[0])):
        ids = members.get(key, [])
        if not ids:
            continue  # no campaign present in CXone draws on it: nothing to plan
        steps = demand_steps({c: data.dialling[c] for c in ids}, {c: data.loads[c].agents for c in ids})
        peaks = interval_peaks(steps, data.start_ts, data.end_ts, INTERVAL_SECONDS)
        available = (
            tuple(pool.capacity.per_interval(data.start_ts, len(peaks), INTERVAL_SECONDS))
            if isinstance(pool.capacity, Staffing)
            else ()
        )
        result.append(capacity_charts.PoolDemand(key, pool.name, pool.agents, tuple(peaks), available))
    return result


# ---- conflicts per week ------------------------------------------------------------------------------------


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def conflicts_per_week(first_monday: dt.date, weeks: int) -> list[dashboard_charts.WeekConflicts]:
    """Overload and clash hours of the current schedules in each week (Monday 00:00 UTC onwards)."""
    start = dt.datetime.combine(first_monday, dt.time(), dt.UTC)
    end = start + dt.timedelta(weeks=weeks)
    data = mirror(start, end)
    bands = [(b.start, b.end) for b in overload_bands(data.conflicts)]
    clashes = _merged_spans(c for c in data.conflicts if c.kind == CONTACT_LIST)
    result = []
    for number in range(weeks):
        week_start = int((start + dt.timedelta(weeks=number)).timestamp())
        week_end = week_start + 7 * 86400
        overload_s, overload_n = _within(bands, week_start, week_end)
        clash_s, clash_n = _within(clashes, week_start, week_end)
        result.append(
            dashboard_charts.WeekConflicts(
                first_monday + dt.timedelta(weeks=number),
                overload_s / 3600,
                overload_n,
                clash_s / 3600,
                clash_n,
            )
        )
    return result


def _merged_spans(conflicts: Iterable[scheduling.Conflict]) -> list[tuple[int, int]]:
    """Touching intervals of one contact list merged: one clash per stretch, as the timeline draws it."""
    by_key: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for c in conflicts:
        by_key[c.key].append((int(c.start.timestamp()), int(c.end.timestamp())))
    spans = []
    for items in by_key.values():
        items.sort()
        current = list(items[0])
        for start, end in items[1:]:
            if start <= current[1]:
                current[1] = max(current[1], end)
            else:
                spans.append(tuple(current))
                current = [start, end]
        spans.append(tuple(current))
    return spans


def _within(spans: Iterable[tuple[int, int]], start: int, end: int) -> tuple[int, int]:
    """Seconds of `spans` inside [start, end), and how many spans start in it."""
    seconds = count = 0
    for first, last in spans:
        overlap = min(last, end) - max(first, start)
        if overlap > 0:
            seconds += overlap
        if start <= first < end:
            count += 1
    return seconds, count


def _conflicts_chart(now: dt.datetime, days: int) -> Chart:
    weeks = max(1, min(13, -(-days // 7)))  # this week and the next ones, as many weeks as the range has
    return dashboard_charts.conflicts_per_week_chart(conflicts_per_week(monday_of(now.date()), weeks))


def _latency_charts(now: dt.datetime, days: int) -> tuple[Chart, Chart]:
    approvals = activity.activation_latency(now - dt.timedelta(days=days), now, now)
    return (
        latency_charts.latency_per_day_chart(approvals),
        latency_charts.latency_histogram_chart(approvals),
    )


DASHBOARD = {
    "conflicts": _conflicts_chart,
    "latency": lambda now, days: _latency_charts(now, days)[0],
    "histogram": lambda now, days: _latency_charts(now, days)[1],
    "drift": lambda now, days: drift_charts.drift_per_week_chart(
        drift_weeks.drift_per_week(now - dt.timedelta(days=days), now)
    ),
    "drift-answers": lambda now, days: drift_charts.answer_time_chart(
        *drift_weeks.answer_times(now - dt.timedelta(days=days), now, now)
    ),
    "failures": lambda now, days: latency_charts.failures_chart(
        activity.failure_reasons(now - dt.timedelta(days=days), now)
    ),
    "webhooks": lambda now, days: dashboard_charts.webhook_health_chart(
        activity.webhook_health(now - dt.timedelta(days=days), now)
    ),
}


# The dashboards are history (weeks of activations and deliveries): drawn at most once a minute per range and
# process. Counting 100 000 activations and 200 000 deliveries, even in the database, is not per request work.
DASHBOARD_FRESH = dt.timedelta(seconds=60)
_dashboards: dict[int, tuple[dt.datetime, list[Chart]]] = {}


def dashboard(days: int, now: dt.datetime | None = None) -> list[Chart]:
    """Every dashboard chart: activations and webhooks of the last `days` days, conflicts of the current
    schedules in the weeks from this one. In the order the page shows them (computed at most once a minute for
    the present; a given `now` always computes)."""
    if now is not None:
        return _dashboard(days, now)
    now = timezone.now()
    with _mirrors_lock:
        kept = _dashboards.get(days)
    if kept is not None and kept[0] <= now < kept[0] + DASHBOARD_FRESH:
        return [copy.copy(chart) for chart in kept[1]]  # the view sets each chart's CSV link on its copy
    charts = _dashboard(days, now)
    with _mirrors_lock:
        _dashboards[days] = (now, charts)
    return [copy.copy(chart) for chart in charts]


def _dashboard(days: int, now: dt.datetime) -> list[Chart]:
    latency, histogram = _latency_charts(now, days)
    return [
        _conflicts_chart(now, days),
        latency,
        histogram,
        DASHBOARD["drift"](now, days),
        DASHBOARD["drift-answers"](now, days),
        DASHBOARD["failures"](now, days),
        DASHBOARD["webhooks"](now, days),
    ]


def dashboard_chart(key: str, days: int, now: dt.datetime | None = None) -> Chart:
    """One dashboard chart by key (for its CSV); KeyError for an unknown key."""
    return DASHBOARD[key](now or timezone.now(), days)
