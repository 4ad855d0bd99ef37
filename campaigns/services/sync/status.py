"""The sync's status record (models.SyncStatus, one row): its claim, its outcome, and what it means for the
people looking at the mirror (/healthz, the banner on every page)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone
from django.utils.timesince import timesince

from campaigns.models import SyncStatus
from campaigns.periodic_tasks import SYNC_EVERY_MINUTES

STATUS_PK = 1
# A sync renews its claim while it runs; a sync killed mid-way holds the next one back at most this long.
LEASE = dt.timedelta(minutes=2)
RENEW_EVERY_SECONDS = 30
# The mirror is stale when no sync has succeeded for two sync periods (one late run is not news).
STALE_AFTER = dt.timedelta(minutes=2 * SYNC_EVERY_MINUTES)
ERROR_TEXT_LIMIT = 2000
CAMPAIGNS_NAMED = 5


def current() -> SyncStatus:
    status, _ = SyncStatus.objects.get_or_create(pk=STATUS_PK)
    return status


def claim(now: dt.datetime | None = None) -> bool:
    """Take the sync's lease if nobody holds it (a conditional update: exactly one of several claims wins)."""
    now = now or timezone.now()
    current()
    taken = (
        SyncStatus.objects.filter(pk=STATUS_PK)
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lte=now))
        .update(lease_until=now + LEASE, last_started_at=now)
    )
    return taken == 1


def renew(now: dt.datetime | None = None) -> None:
    now = now or timezone.now()
    SyncStatus.objects.filter(pk=STATUS_PK).update(lease_until=now + LEASE)


def record_success(
    failed: dict[str, str],
    problems: list[str],
    counts: dict,
    now=None,
    *,
    poll_marker: str | None = None,
    full: bool = True,
) -> None:
    """The sync read CXone's list (or what changed in it) and wrote what it read; `failed` campaigns kept their
    previous mirror. `poll_marker`: where the next delta starts (CXone's lastPollTime of this read); a read that
    missed pages of the list leaves none, so that the next sync reads the whole list again."""
    now = now or timezone.now()
    error = _partial_error(failed, problems)
    values = {}
    if full:
        values["last_full_sync_at"] = now
    SyncStatus.objects.filter(pk=STATUS_PK).update(
        lease_until=None,
        last_finished_at=now,
        last_success_at=now,
        last_error=error,
        last_error_at=now if error else None,
        failed_campaigns=failed,
        last_result=counts,
        poll_marker="" if problems or not poll_marker else poll_marker[:64],
        **values,
    )


def record_failure(exc: BaseException, now=None) -> None:
    """The sync wrote nothing: the mirror stays as of the last success."""
    now = now or timezone.now()
    reason = f"{type(exc).__name__}: {exc}"[:ERROR_TEXT_LIMIT]
    SyncStatus.objects.filter(pk=STATUS_PK).update(
        lease_until=None, last_finished_at=now, last_error=reason, last_error_at=now
    )


def _partial_error(failed: dict[str, str], problems: list[str]) -> str:
    parts = []
    if failed:
        named = ", ".join(f"{cid} ({why})" for cid, why in sorted(failed.items())[:CAMPAIGNS_NAMED])
        more = f" and {len(failed) - CAMPAIGNS_NAMED} more" if len(failed) > CAMPAIGNS_NAMED else ""
        parts.append(
            f"{len(failed)} campaign(s) could not be read and kept their previous data: {named}{more}"
        )
    parts += problems
    return "; ".join(parts)[:ERROR_TEXT_LIMIT]


@dataclass(frozen=True)
class MirrorHealth:
    last_success_at: dt.datetime | None
    age: dt.timedelta | None
    stale: bool
    failed: bool  # the last sync wrote nothing
    partial: bool  # the last sync wrote all but some campaigns
    last_error: str
    last_error_at: dt.datetime | None
    failed_campaigns: int
    running: bool

    def as_json(self) -> dict:
        return {
            "last_success_at": self.last_success_at.isoformat() if self.last_success_at else None,
            "age_seconds": int(self.age.total_seconds()) if self.age is not None else None,
            "stale": self.stale,
            "last_error": self.last_error,
            "last_error_at": self.last_error_at.isoformat() if self.last_error_at else None,
            "failed_campaigns": self.failed_campaigns,
            "running": self.running,
        }


def mirror_health(now: dt.datetime | None = None) -> MirrorHealth:
    now = now or timezone.now()
    status = SyncStatus.objects.filter(pk=STATUS_PK).first() or SyncStatus(pk=STATUS_PK)
    success = status.last_success_at
    age = max(now - success, dt.timedelta(0)) if success else None
    failed = bool(status.last_error) and (success is None or (status.last_error_at or now) > success)
    return MirrorHealth(
        last_success_at=success,
        age=age,
        stale=age is None or age > STALE_AFTER,
        failed=failed,
        partial=bool(status.last_error) and not failed,
        last_error=status.last_error,
        last_error_at=status.last_error_at,
        failed_campaigns=len(status.failed_campaigns or {}),
        running=status.lease_until is not None and status.lease_until > now,
    )


def banner(now: dt.datetime | None = None) -> str:
    """What every page says about the mirror when it cannot be trusted to be current; "" when all is well."""
    now = now or timezone.now()
    health = mirror_health(now)
    as_of = (
        f"Campaigns show CXone as of {timesince(health.last_success_at, now)} ago."
        if health.last_success_at
        else "No campaigns have been read from CXone yet."
    )
    if health.failed:
        return (
            f"The last sync with CXone failed ({health.last_error}). {as_of} It is retried on its schedule."
        )
    if health.stale and health.last_success_at is None:
        return (
            "Campaigns have not been synced from CXone yet: the workers sync them at start and every "
            f"{SYNC_EVERY_MINUTES} minutes."
        )
    if health.stale:
        return (
            f"{as_of} The sync runs every {SYNC_EVERY_MINUTES} minutes, so changes made in CXone since then "
            "are not shown yet."
        )
    if health.partial:
        return f"The last sync with CXone was incomplete: {health.last_error}. It is retried on its schedule."
    return ""
