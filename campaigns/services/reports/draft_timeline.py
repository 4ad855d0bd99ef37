"""The draft editor's small timeline: what the draft would open over the next days next to what CXone has now,
the pool's other campaigns, where the pool would be over capacity with the draft in place (what approved pauses
hold is not counted), and the campaign's timed pauses and open Stop dialling (reports/held_spans.py).

Called by the editor's views for every render (the page and each live-validation swap). It reuses the shared
conflict index for the pool's other campaigns, so a keystroke costs one small sweep of one pool. Drawing the
hundreds of other campaigns of a pool at 10 000 campaigns costs more than the rest of the editor, so a drawn
timeline is kept for a minute under a key over everything it is drawn from (`_key`): the draft's values, the
campaign's current schedule and agents, the pool it draws on, the days shown, the conflict index's key (every
schedule, agents and pool), the blackout calendars' and the approved pauses' fingerprints, and the campaign's
pauses and stops, read every time. It says nothing any approval relies on: the editor's findings are computed
afresh on every render.
"""

from __future__ import annotations

import copy
import datetime as dt
import threading
import time
from collections import OrderedDict

from django.utils import timezone

from campaigns import scheduling
from campaigns.charts.bars import overload_bands
from campaigns.charts.common import Chart
from campaigns.charts.draft_timeline import OtherCampaign, draft_timeline_chart
from campaigns.models import Campaign
from campaigns.scheduling.blackouts import day_spans, without_blackouts
from campaigns.scheduling.conflicts import CAPACITY, ExpansionCache, group_conflicts
from campaigns.scheduling.held_windows import without_pauses
from campaigns.services.blackouts import days as blackout_days
from campaigns.services.control import pausing
from campaigns.services.drafts import workflow
from campaigns.services.drafts.checks import conflict_index, draft_checks
from campaigns.services.pools import lookup as pools
from campaigns.services.reports.held_spans import held_spans

DAYS = 7


def _spec(values: dict) -> scheduling.ScheduleSpec:
    return scheduling.ScheduleSpec(
        cron_expression=values["cron_expression"],
        timezone=values["timezone"],
        duration_minutes=values["duration_minutes"],
        effective_start=values.get("effective_start"),
        effective_end=values.get("effective_end"),
    )


def _windows(
    spec: scheduling.ScheduleSpec, start: dt.datetime, end: dt.datetime, campaign: Campaign
) -> tuple[tuple[int, int], ...]:
    """The schedule's windows reaching into [start, end), without those of the campaign's blackout days."""
    start_ts = int(start.timestamp())
    early = start - dt.timedelta(days=1)
    days = blackout_days.campaign_days(campaign, spec.timezone, early, end)
    windows = tuple(w for w in scheduling.expand_instants(spec, early, end) if w[1] > start_ts)
    return without_blackouts(windows, day_spans(days, spec.timezone)) if days else windows


def draft_timeline(
    draft, form, report, *, now: dt.datetime | None = None, index: scheduling.ConflictIndex | None = None
) -> Chart | None:
    """The editor's timeline for what the form holds now (the saved draft before any edit); None while the
    schedule has errors, which the editor shows instead. `index`: the conflict index the editor's checks used
    (one look at its fingerprint per page, not two)."""
    if not report.valid:
        return None
    if form.is_bound:
        if not form.is_valid():
            return None
        values = form.draft_fields(draft)
    else:
        values = {name: getattr(draft, name) for name in workflow.EDITABLE_FIELDS}
    return timeline_for_values(draft.campaign, values, now=now, index=index)


KEPT = 8  # drawn timelines kept per process (each holds a pool's hundreds of bars and their JSON)
KEPT_SECONDS = 60  # a campaign renamed in CXone moves no fingerprint: its new name shows within a minute
_kept: OrderedDict[tuple, tuple[float, Chart]] = OrderedDict()
_kept_lock = threading.Lock()
_clock = time.monotonic  # how old a kept timeline is (tests move it on)


def timeline_for_values(
    campaign: Campaign,
    values: dict,
    *,
    now: dt.datetime | None = None,
    index: scheduling.ConflictIndex | None = None,
) -> Chart:
    now = now or timezone.now()
    spec = _spec(values)
    zone = scheduling.zone_or_utc(spec.timezone)
    # Days on the planner's wall clock: from today's midnight in the draft's zone.
    local_midnight = now.astimezone(zone).replace(hour=0, minute=0, second=0, microsecond=0)
    start = local_midnight.astimezone(dt.UTC)
    end = (
        (local_midnight.replace(tzinfo=None) + dt.timedelta(days=DAYS))
        .replace(tzinfo=zone)
        .astimezone(dt.UTC)
    )
    index = index or conflict_index.current(now)
    holds = tuple(held_spans(start, end, campaign))  # pauses and stops move no fingerprint: read every time
    key = _key(campaign, values, start, end, index, holds)
    with _kept_lock:
        kept = _kept.get(key) if key is not None else None
        if kept is not None and _clock() - kept[0] < KEPT_SECONDS:
            _kept.move_to_end(key)
            return copy.copy(kept[1])
    chart = _draw(campaign, values, spec, start, end, index, holds)
    if key is not None:
        chart.page_figure  # noqa: B018 (the page's JSON, made once: the copies share it)
        with _kept_lock:
            _kept[key] = (_clock(), chart)
            while len(_kept) > KEPT:
                _kept.popitem(last=False)
    return copy.copy(chart)


def _key(campaign, values, start, end, index, holds) -> tuple | None:
    """Everything a drawn timeline is drawn from; None (not kept) when the index is not the kept one."""
    index_key = conflict_index.key_of(index)
    if index_key is None:
        return None
    current = draft_checks.campaign_schedule_values(campaign)
    return (
        campaign.pk,
        campaign.cxone_id,
        repr(sorted((current or {}).items())),
        campaign.agents_required,
        repr(sorted(values.items())),
        pools.key_of_campaign(campaign),
        start,
        end,
        index_key,
        blackout_days.fingerprint(),
        pausing.fingerprint(),
        holds,
    )


def forget() -> None:
    """Drop the kept timelines (tests that change what no key holds, such as a campaign's name)."""
    with _kept_lock:
        _kept.clear()


def _draw(campaign, values, spec, start, end, index, holds) -> Chart:
    draft_windows = _windows(spec, start, end, campaign)
    current_values = draft_checks.campaign_schedule_values(campaign)
    current_windows: tuple[tuple[int, int], ...] = ()
    if current_values:
        try:
            current_windows = _windows(_spec(current_values), start, end, campaign)
        except ValueError:  # CXone holds a schedule the engine cannot expand: the draft is what fixes it
            current_windows = ()
    agents = values.get("agents_required") or campaign.agents_required

    pool = pools.pool_of(campaign)  # the pool a supervisor put it in, else its skill's
    others: list[OtherCampaign] = []
    bands = []
    if pool is not None:
        expansion = ExpansionCache(start - dt.timedelta(days=1), end)
        loads = [c for c in index.campaigns if c.pool == pool.key and c.id != campaign.cxone_id]
        # One read of the pool's other campaigns (hundreds at 10 000 campaigns): names, and what their blackout
        # days are looked up by.
        rows = list(
            Campaign.objects.filter(cxone_id__in=[c.id for c in loads]).values_list(
                "pk", "cxone_id", "pool_id", "name"
            )
        )
        names = {cid: name for _, cid, _, name in rows}
        # What approved pauses hold loads nobody: the draft's own campaign's too (they hold it whatever it runs).
        paused = pausing.paused_spans(start - dt.timedelta(days=1), end)
        members = {campaign.cxone_id: without_pauses(draft_windows, paused.get(campaign.cxone_id, []))}
        weights = {campaign.cxone_id: agents}
        start_ts = int(start.timestamp())
        zones = {c.id: c.timezone for c in loads}
        blacked_out = blackout_days.days_by_campaign(
            [(pk, cid, skill, zones[cid]) for pk, cid, skill, _ in rows], start - dt.timedelta(days=1), end
        )
        for load in sorted(loads, key=lambda c: (names.get(c.id, c.id).lower(), c.id)):
            windows = without_blackouts(expansion.windows(load), blacked_out.get(load.id, []))
            windows = tuple(w for w in windows if w[1] > start_ts)
            members[load.id] = without_pauses(windows, paused.get(load.id, []))
            weights[load.id] = load.agents
            others.append(OtherCampaign(load.id, names.get(load.id, load.id), load.agents, windows))
        conflicts = group_conflicts(CAPACITY, pool.key, members, weights, {pool.key: pool.capacity})
        bands = overload_bands(conflicts)
    return draft_timeline_chart(
        draft=draft_windows,
        current=current_windows,
        others=others,
        bands=bands,
        draft_agents=agents,
        current_agents=campaign.agents_required,
        pool_name=pool.name if pool else "",
        pool_agents=pool.agents_text if pool else None,
        start_ts=int(start.timestamp()),
        end_ts=int(end.timestamp()),
        zone_name=spec.timezone,
        holds=holds,
    )
