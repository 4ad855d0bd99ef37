"""The conflict index of the current schedules, built once and reused by every keystroke of every editor.

Building it expands every campaign's windows (the expensive part); a what-if against it re-sweeps only the
draft's pool and contact list. It is rebuilt when the mirror changes (a cheap aggregate query tells) or when
the hour turns (the horizon moves with the clock).
"""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

from django.db.models import Count, Max, Q, Sum

from campaigns import scheduling
from campaigns.models import Campaign, CapacityPool
from campaigns.services.pools import lookup

HORIZON = dt.timedelta(days=14)

_lock = threading.Lock()
_cached: tuple[tuple, scheduling.ConflictIndex] | None = None


def loads() -> tuple[dict[str, Any], list[scheduling.CampaignLoad]]:
    """Pools (agents, or a weekly staffing) and the campaigns dialing from them, as the engine sees them: a
    campaign draws on the pool a supervisor put it (or its skill) in, else on its skill (services/pools)."""
    pools = lookup.book()
    campaigns = []
    rows = (
        Campaign.objects.filter(missing_since__isnull=True, duration_minutes__isnull=False)
        .exclude(cron_expression="")
        .exclude(timezone="")
        .values_list(
            "pk",
            "pool_id",
            "cxone_id",
            "cron_expression",
            "timezone",
            "duration_minutes",
            "agents_required",
            "contact_list_id",
            "effective_start",
            "effective_end",
        )
    )
    for pk, skill, cxone_id, cron, zone, duration, agents, contact_list, start, end in rows:
        pool = pools.key_of(pk, skill)
        if not pool:
            continue
        campaigns.append(
            scheduling.CampaignLoad(
                id=cxone_id,
                cron_expression=cron,
                timezone=zone,
                duration_minutes=duration,
                pool=pool,
                agents=agents,
                contact_list=contact_list or None,
                effective_start=start,
                effective_end=end,
            )
        )
    return pools.capacities, campaigns


def fingerprint() -> tuple:
    """Changes whenever something the index is built from changes: a schedule (CXone bumps the version), the
    agents a campaign needs or a pool has, a campaign gone or back, a pool a supervisor defined or changed. Not
    synced_at, which every sync moves."""
    campaigns = Campaign.objects.aggregate(
        n=Count("id"),
        versions=Sum("remote_version"),
        agents=Sum("agents_required"),
        present=Count("id", filter=Q(missing_since__isnull=True)),
        pooled=Sum("pool_id"),
    )
    pools = CapacityPool.objects.aggregate(n=Count("id"), agents=Sum("agents"), changed=Max("updated_at"))
    return tuple(campaigns.values()) + tuple(pools.values()) + lookup.fingerprint()


def build(now: dt.datetime) -> scheduling.ConflictIndex:
    start = now.replace(minute=0, second=0, microsecond=0)
    pools, campaigns = loads()
    return scheduling.ConflictIndex(pools, campaigns, start, start + HORIZON)


def current(now: dt.datetime) -> scheduling.ConflictIndex:
    return current_with_key(now)[1]


def current_with_key(now: dt.datetime) -> tuple[tuple, scheduling.ConflictIndex]:
    """The index and its key: the hour it starts at and the fingerprint of what it was built from. Equal keys,
    equal indexes (what a kept review of a draft's conflicts is keyed by: services/drafts/checks/kept_reviews)."""
    global _cached
    key = (now.replace(minute=0, second=0, microsecond=0), fingerprint())
    with _lock:
        if _cached is None or _cached[0] != key:
            _cached = (key, build(now))
        return _cached


def key_of(index: scheduling.ConflictIndex) -> tuple | None:
    """The key `index` was built under while it is the kept one, else None (what is keyed by an index that is no
    longer kept could not be told from what a new one would give)."""
    with _lock:
        return _cached[0] if _cached is not None and _cached[1] is index else None


def forget() -> None:
    """Drop the cached index (tests, and after a sync in the same process)."""
    global _cached
    with _lock:
        _cached = None
