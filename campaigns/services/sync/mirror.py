"""Campaign sync: mirror CXone's campaigns, skills (as capacity pools), DNC lists and contact-list breakdowns.

Two steps. Fetch (fetch.py, async on the CXone bridge loop): every page of campaigns, the unlisted ones
confirmed by id, then each distinct DNC list and contact list once, a few at a time; each failure is kept
beside its campaign, never thrown over the rest. Where the backend can say what changed, a sync between full
ones reads only that (delta.py) and writes only those campaigns. Apply (one transaction): upsert pools and
the campaigns read whole, mark missing the campaigns CXone confirmed gone (never delete them: drafts and the
audit trail point at them), clear the mark of those that came back, flag open drafts whose base version CXone
has moved past, and write the audit rows of all that in one bulk insert. A campaign that could not be read
whole is not written at all: it keeps its previous mirror, is named in the result and the sync status, and is
read again next time.

The number of queries does not depend on the number of campaigns, except that a bulk write goes out in batches
(of 500 rows; of fewer on SQLite, whose 999-parameter limit allows about 28 campaigns or 111 audit rows per
INSERT), so a large tenant adds one query per batch. A fetch that cannot read even the list writes nothing, so
a CXone outage never marks a campaign missing. Running it twice in a row changes nothing the second time (it
only moves synced_at, the time sync last saw each campaign)."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.db import transaction
from django.utils import timezone

from campaigns.cxone import schemas
from campaigns.cxone.backend import MAX_PAGE_SIZE, CXoneBackend
from campaigns.cxone.factory import get_client
from campaigns.models import AuditEntry, Campaign, CapacityPool
from campaigns.services.audit import entry as audit_entry
from campaigns.services.drafts.checks import campaign_findings
from campaigns.services.history.drift import look_for_drift
from campaigns.services.sync import behind, delta
from campaigns.services.sync import status as sync_status
from campaigns.services.sync.ahead import FindingsAhead, mirror_rows, run_fetch
from campaigns.services.sync.fetch import FETCH_CONCURRENCY, RemoteSnapshot, fetch_changes, fetch_snapshot
from campaigns.services.sync.result import SyncResult

__all__ = ["FETCH_CONCURRENCY", "RemoteSnapshot", "SyncResult", "apply_snapshot", "sync_campaigns"]

log = logging.getLogger(__name__)

# CXone's skill payload carries no agent count; a new pool starts with this (or with the sandbox's "agents"
# extension when present) and a planner adjusts it in the admin. Sync never overwrites an existing pool's
# agents.
DEFAULT_POOL_AGENTS = 10
AUDIT_BATCH_SIZE = 500

SYNCED_ACTION = "campaigns.campaign.synced"

# The mirror's fields that sync owns (everything else on Campaign belongs to the planner's side).
SYNCED_FIELDS = (
    "name",
    "state",
    "remote_version",
    "pool",
    "contact_list_id",
    "contact_list_name",
    "contact_list_size",
    "contact_list_breakdown",
    "dnc_list_id",
    "dnc_list_name",
    "dnc_list_state",
    "dnc_rules",
    "timezone",
    "cron_expression",
    "duration_minutes",
    "effective_start",
    "effective_end",
    "open_ended",
    "retry_policy",
    "time_constraints",
    "called_zones",
    "remote_errors",
    "remote_updated_at",
    "remote_activated_at",
    "raw_payload",
    "missing_since",
)


# --- The sync ------------------------------------------------------------------------------------------


def sync_campaigns(
    client: CXoneBackend | None = None,
    *,
    now: dt.datetime | None = None,
    page_size: int = MAX_PAGE_SIZE,
    full: bool | None = None,
) -> SyncResult:
    """Read CXone (fetch.py), then mirror what could be read, and record the outcome in the sync status.
    `full`: read CXone's whole list (True), only what changed since the last read where the backend can say
    (False), or decide by CXONE_FULL_SYNC_SECONDS (None; delta.py).

    Runs only while it holds the sync's claim (another sync running: returns a `skipped` result at once).
    Raises the client's CXoneError, after recording it, only when nothing could be read at all."""
    if not sync_status.claim():
        log.info("Campaign sync: another sync holds the claim; not starting a second one")
        return SyncResult(skipped=True)
    try:
        client = client or get_client()
        status = sync_status.current()
        since = delta.delta_since(client, status, now=now or timezone.now(), full=full)
        rows = mirror_rows()
        ahead = FindingsAhead(now or timezone.now(), mirror_fields, rows)
        if since is None:
            known = [cxone_id for cxone_id, row in rows.items() if row.missing_since is None]
            fetch = fetch_snapshot(client, known=known, page_size=page_size, ready=ahead.ready)
        else:
            unread = list(status.failed_campaigns or {})
            mirrored = delta.mirrored_lists(rows.values())
            fetch = fetch_changes(client, since, mirrored=mirrored, unread_before=unread, ready=ahead.ready)
        snapshot = run_fetch(fetch, ahead)
        sync_status.renew()
        result = apply_snapshot(snapshot, now=now, ahead=ahead)
        # The campaigns are written (committed). Work that follows from changed campaigns goes here.
        look_for_drift(now=now)  # "changed in CXone": every campaign against the version it is held to
    except BaseException as exc:
        sync_status.record_failure(exc)
        raise
    sync_status.record_success(
        result.failed, result.problems, result.counts(), poll_marker=snapshot.poll_marker, full=snapshot.full
    )
    return result


# --- Apply ---------------------------------------------------------------------------------------------


def apply_snapshot(
    snapshot: RemoteSnapshot, *, now: dt.datetime | None = None, ahead: FindingsAhead | None = None
) -> SyncResult:
    """Write what `snapshot` read (one transaction), with the findings `ahead` computed for it meanwhile."""
    now = now or timezone.now()
    result = SyncResult(
        kind="full" if snapshot.full else "delta",
        lists_not_found=sorted(
            [i for i, v in snapshot.dnc_lists.items() if v is None]
            + [i for i, v in snapshot.contact_lists.items() if v is None]
        ),
        failed=dict(snapshot.failed),
        problems=list(snapshot.problems),
    )
    with transaction.atomic():
        pools = _upsert_pools(snapshot.campaigns, result)
        audit = _upsert_campaigns(snapshot, pools, now, result, ahead)
        audit += _mark_missing(snapshot.gone, now, result)
        audit += behind.flag_open_drafts(now, result)
        if audit:
            AuditEntry.objects.bulk_create(audit, batch_size=AUDIT_BATCH_SIZE)
    campaign_findings.refresh_outdated(now=now)  # the stored findings the campaign list reads
    log.info("Campaign sync: %s", result.summary())
    if result.failed:
        log.warning("Campaign sync: not written this time (kept as they were): %s", result.failed)
    return result


def _audit_row(action: str, obj, campaign: Campaign, message: str, changes: dict | None = None) -> AuditEntry:
    # No actor: sync acts on its own. Not saved: one bulk insert writes them all.
    return audit_entry(action, obj, campaign=campaign, message=message, changes=changes)


def _upsert_pools(remotes: list[schemas.Campaign], result: SyncResult) -> dict[str, CapacityPool]:
    skills: dict[str, schemas.SkillRef] = {c.skill.id: c.skill for c in remotes if c.skill and c.skill.id}
    pools = CapacityPool.objects.in_bulk(list(skills), field_name="cxone_skill_id")
    renamed = []
    for skill_id, skill in skills.items():
        pool = pools.get(skill_id)
        if pool is not None and skill.name and pool.name != skill.name:
            pool.name = skill.name[:200]
            renamed.append(pool)
    new = [
        CapacityPool(
            cxone_skill_id=skill_id,
            name=(skill.name or skill_id)[:200],
            agents=skill.agents if skill.agents is not None and skill.agents >= 0 else DEFAULT_POOL_AGENTS,
        )
        for skill_id, skill in skills.items()
        if skill_id not in pools
    ]
    if renamed:
        CapacityPool.objects.bulk_update(renamed, ["name", "updated_at"])
    if new:
        CapacityPool.objects.bulk_create(new)
        pools.update(
            CapacityPool.objects.in_bulk([p.cxone_skill_id for p in new], field_name="cxone_skill_id")
        )
    result.pools_created, result.pools_updated = len(new), len(renamed)
    return pools


def mirror_fields(
    remote: schemas.Campaign,
    pools: dict[str, CapacityPool],
    dnc: schemas.DncList | None,
    contacts: schemas.ContactList | None,
) -> dict[str, Any]:
    """The Campaign field values that mirror `remote`."""
    schedule = remote.schedule
    ref = remote.contact_list
    duration = schedule.duration_minutes if schedule else None
    return {
        "name": remote.name[:300],
        "state": remote.state[:16],
        "remote_version": max(0, remote.version),
        "pool": pools.get(remote.skill.id) if remote.skill else None,
        "contact_list_id": ref.id if ref else "",
        "contact_list_name": ((contacts.name if contacts else "") or (ref.name if ref else ""))[:300],
        "contact_list_size": max(0, contacts.size) if contacts else 0,
        "contact_list_breakdown": [entry.to_api() for entry in contacts.breakdown] if contacts else [],
        "dnc_list_id": remote.dnc_list_id or "",
        "dnc_list_name": (dnc.name if dnc else "")[:300],
        "dnc_list_state": (dnc.state if dnc else "")[:16],
        "dnc_rules": [rule.flat() for rule in remote.dnc_rules],
        "timezone": schedule.timezone if schedule else "",
        "cron_expression": schedule.cron_expression if schedule else "",
        "duration_minutes": duration if duration is not None and duration > 0 else None,
        "effective_start": schedule.start_time if schedule else None,
        "effective_end": schedule.end_time if schedule else None,
        "open_ended": bool(schedule and schedule.open_ended),
        "retry_policy": schedule.retry_policy.to_api() if schedule and schedule.retry_policy else {},
        "time_constraints": [tc.to_api() for tc in remote.time_constraints or []],
        "called_zones": list(remote.called_zones or []),
        "remote_errors": list(remote.errors),
        "remote_updated_at": remote.updated_at,
        "remote_activated_at": remote.activated_at,
        "raw_payload": remote.raw or remote.to_api(),
        "missing_since": None,
    }


def _jsonable(name: str, value: Any) -> Any:
    if name == "pool":
        return value.cxone_skill_id if value is not None else None
    if isinstance(value, dt.datetime):
        return value.isoformat()
    return value


def _differences(campaign: Campaign, values: dict[str, Any]) -> dict[str, list]:
    changed = {}
    for name, new in values.items():
        old = campaign.pool_id if name == "pool" else getattr(campaign, name)
        if name == "pool":
            new_key = new.pk if new is not None else None
            if old != new_key:
                changed[name] = [_jsonable(name, campaign.pool), _jsonable(name, new)]
        elif old != new:
            changed[name] = [_jsonable(name, old), _jsonable(name, new)]
    return changed


def _upsert_campaigns(
    snapshot: RemoteSnapshot, pools, now: dt.datetime, result: SyncResult, ahead: FindingsAhead | None
) -> list[AuditEntry]:
    remotes = snapshot.campaigns
    existing = Campaign.objects.select_related("pool").in_bulk([r.id for r in remotes], field_name="cxone_id")
    to_create: list[Campaign] = []
    to_update: list[tuple[Campaign, dict]] = []
    with_findings = False
    for remote in remotes:
        values = mirror_fields(
            remote,
            pools,
            snapshot.dnc_lists.get(remote.dnc_list_id or ""),
            snapshot.contact_lists.get(remote.contact_list.id if remote.contact_list else ""),
        )
        campaign = existing.get(remote.id)
        if campaign is None:
            to_create.append(Campaign(cxone_id=remote.id, synced_at=now, **values))
            if ahead is not None:
                ahead.attach(to_create[-1])
            continue
        changes = _differences(campaign, values)
        if not changes:
            result.unchanged += 1
            continue
        if "missing_since" in changes:
            result.reappeared += 1
        for name, value in values.items():
            setattr(campaign, name, value)
        if ahead is not None and ahead.attach(campaign):
            with_findings = True
        to_update.append((campaign, changes))

    audit: list[AuditEntry] = []
    if to_create:
        Campaign.objects.bulk_create(to_create, batch_size=500)  # sets each pk (PostgreSQL, SQLite 3.35+)
        audit += [
            _audit_row(
                SYNCED_ACTION,
                campaign,
                campaign,
                f"Mirrored from CXone{behind.at_version(campaign.remote_version)}.",
                {"state": [None, campaign.state], "remote_version": [None, campaign.remote_version]},
            )
            for campaign in to_create
        ]
    if to_update:
        fields = {name for _, changes in to_update for name in changes} | {"synced_at"}
        # The findings computed ahead go with the row (rows without keep theirs: written back unchanged).
        fields = sorted(fields | (set(campaign_findings.STORED_FIELDS) if with_findings else set()))
        for campaign, _ in to_update:
            campaign.synced_at = now
        Campaign.objects.bulk_update([c for c, _ in to_update], fields, batch_size=500)
        for campaign, changes in to_update:
            shown = {name: pair for name, pair in changes.items() if name != "raw_payload"}
            message = (
                "Updated from CXone." if shown else "CXone payload changed (fields the planner does not use)."
            )
            audit.append(_audit_row(SYNCED_ACTION, campaign, campaign, message, shown))
    updated_ids = {c.cxone_id for c, _ in to_update}
    unchanged_ids = [r.id for r in remotes if r.id in existing and r.id not in updated_ids]
    if unchanged_ids:
        Campaign.objects.filter(cxone_id__in=unchanged_ids).update(synced_at=now)
    if not snapshot.full:  # CXone said nothing else changed since its last poll: seen unchanged too
        read_now = {r.id for r in remotes} | set(snapshot.failed) | snapshot.gone
        Campaign.objects.filter(missing_since__isnull=True).exclude(cxone_id__in=read_now).update(synced_at=now)
    result.created, result.updated = len(to_create), len(to_update)
    result.changed_campaign_pks += [c.pk for c in to_create] + [c.pk for c, _ in to_update]
    return audit


def _mark_missing(confirmed_gone: set[str], now: dt.datetime, result: SyncResult) -> list[AuditEntry]:
    """Mark the campaigns CXone confirmed absent by id (never merely unlisted: paging can skip one)."""
    gone = list(
        Campaign.objects.filter(missing_since__isnull=True, cxone_id__in=sorted(confirmed_gone)).only(
            "id", "cxone_id", "name"
        )
    )
    if not gone:
        return []
    Campaign.objects.filter(pk__in=[c.pk for c in gone]).update(missing_since=now)
    audit = []
    for campaign in gone:
        campaign.missing_since = now
        audit.append(
            _audit_row(
                SYNCED_ACTION,
                campaign,
                campaign,
                "CXone no longer lists this campaign; kept and marked missing.",
                {"missing_since": [None, now.isoformat()]},
            )
        )
    result.missing = len(gone)
    result.changed_campaign_pks += [campaign.pk for campaign in gone]
    return audit

