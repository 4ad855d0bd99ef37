"""The activation poller: one worker at a time reads every due activation's campaign, ≤ 100 a request.

A round claims the due rows (polling, due, lease free) with a conditional UPDATE, reads their campaigns in
batches (`GET …/campaigns?id=…`), and for each: ACTIVE → active, ERROR/FAILED → failed with CXone's errors[],
still DRAFT → read again after a jittered interval (timing.next_read_at), past the deadline → failed, timed out.
So the request count grows with rounds, not with campaigns.

`run()` is the poll_activations task: it holds the poller lease and loops, a round whenever rows are due, ringing
the doorbells of pushes that waited out a backoff and reclaiming expired leases as it goes, for as long as
anything is in flight (a burst's pushes land one after another) or until its time is up (then it hands over to
a fresh task).
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import time

from django.conf import settings
from django.db import transaction
from django.db.models import Case, F, Value, When
from django.utils import timezone

from campaigns.cxone import errors as cx
from campaigns.cxone.factory import capabilities, get_client, run_sync
from campaigns.models import Activation
from campaigns.services import leases
from campaigns.services.activation import doorbell, sweeper, timing
from campaigns.services.activation.outcomes import finish

log = logging.getLogger(__name__)
Step = Activation.Step

POLLER_LEASE_SECONDS = 10  # renewed every round (≤ 1 s apart); a poller that died frees it this soon
ROW_LEASE_SECONDS = 30  # a round that died mid-way frees its rows this soon
IDLE_LOOK_SECONDS = 1.0  # with nothing due, look this often for pushes that landed meanwhile


def poll_round(owner: str, now: dt.datetime | None = None) -> dict:
    """Claim the due rows, read their campaigns in batches, record what CXone says. {"read", "requests",
    "finished"}."""
    now = now or timezone.now()
    rows = _claim_due(owner, now)
    if not rows:
        return {"read": 0, "requests": 0, "finished": 0}
    ids = list(dict.fromkeys(a.campaign.cxone_id for a in rows))
    try:
        remotes = {c.id: c for c in run_sync(get_client().get_campaigns(ids, urgent=True))}
    except cx.CXoneError as exc:
        log.warning("poller: reading %d campaigns failed (%s); trying again shortly", len(ids), exc)
        why = timing.reason(exc)
        failed_at = timezone.now()
        overdue = [a for a in rows if failed_at >= timing.deadline(a)]
        for a in overdue:  # the deadline holds even while CXone cannot be read: say what is unknown
            error = (
                f"CXone could not be read ({why}) and the activation is "
                f"{timing.deadline_words()} past approval. Whether it went live is "
                "unknown: the next sync shows CXone's schedule."
            )
            finish(a, Step.FAILED, outcome="timed out", error=error, owner=owner)
        _release([a for a in rows if a not in overdue], owner, now, error=why)
        return {"read": 0, "requests": -(-len(ids) // 100), "finished": len(overdue)}
    observed_at = timezone.now()
    waiting, finished = [], 0
    # One commit for the round: each outcome is still written whole by outcomes.finish (a savepoint here).
    with transaction.atomic():
        for a in rows:
            if _observe(a, remotes.get(a.campaign.cxone_id), owner, observed_at):
                finished += 1
            else:
                waiting.append(a)
        _reschedule(waiting, owner, observed_at)
    return {"read": len(rows), "requests": -(-len(ids) // 100), "finished": finished}


def _claim_due(owner: str, now: dt.datetime) -> list[Activation]:
    # Rows due within half an interval join this round: fewer rounds, hence fewer requests, for the same lag.
    soon = now + dt.timedelta(seconds=timing.smallest_interval() / 2)
    due = Activation.objects.due_for_poll(soon, now)
    with transaction.atomic():
        ids = list(leases.skip_locked(due).values_list("pk", flat=True))
        if not ids:
            return []
        due.filter(pk__in=ids).update(
            lease_owner=owner, lease_expires_at=now + dt.timedelta(seconds=ROW_LEASE_SECONDS)
        )
    return list(
        Activation.objects.filter(pk__in=ids, lease_owner=owner, step=Step.POLLING).select_related(
            "campaign", "draft"
        )
    )


def _observe(a: Activation, remote, owner: str, now: dt.datetime) -> bool:
    """Record what CXone says of one campaign; True if that finished the activation."""
    if remote is None:
        return finish(a, Step.FAILED, outcome="campaign gone", error="CXone no longer lists this campaign.",
                      owner=owner)  # fmt: skip
    if remote.version not in (a.pushed_version, a.base_version):
        # Neither ours nor the one we built on (v2: a later version; Admin API: another schedule's fingerprint).
        moved = (
            f"moved on to version {remote.version} before version {a.pushed_version} (ours) was seen active"
            if capabilities().versions_shown
            else "has a schedule or retry policy other than ours before ours was seen running"
        )
        error = (
            f"CXone's campaign {moved}: someone changed it meanwhile. Revise the draft to start from CXone's "
            "schedule."
        )
        return finish(a, Step.STALE, outcome="CXone changed the campaign", error=error, owner=owner)
    if remote.version == a.pushed_version:
        if remote.state == "ACTIVE":
            return finish(a, Step.ACTIVE, outcome="active in CXone", remote=remote, owner=owner)
        if remote.state in ("ERROR", "FAILED"):
            errors = [e if isinstance(e, dict) else {"message": str(e)} for e in remote.errors]
            outcome = "CXone failed to activate it" if remote.state == "FAILED" else "CXone rejected it"
            return finish(a, Step.FAILED, outcome=outcome, error=f"CXone reports {remote.state}.",
                          remote_errors=errors, remote=remote, owner=owner)  # fmt: skip
    if now >= timing.deadline(a):
        error = (
            f"CXone still reports {remote.state} (version {remote.version}) "
            f"{timing.deadline_words()} after approval."
        )
        return finish(a, Step.FAILED, outcome="timed out", error=error, remote=remote, owner=owner)
    return False


def _reschedule(rows: list[Activation], owner: str, now: dt.datetime) -> None:
    """Still waiting: one UPDATE gives each row its next read and frees it."""
    if not rows:
        return
    when = [When(pk=a.pk, then=Value(timing.next_read_at(a.pushed_at or now, now))) for a in rows]
    Activation.objects.filter(pk__in=[a.pk for a in rows], lease_owner=owner, step=Step.POLLING).update(
        due_at=Case(*when),
        poll_count=F("poll_count") + 1,
        lease_owner="",
        lease_expires_at=None,
        updated_at=now,
    )


def _release(rows: list[Activation], owner: str, now: dt.datetime, *, error: str) -> None:
    retry_at = now + dt.timedelta(seconds=timing.smallest_interval() * random.uniform(0.5, 1.0))
    Activation.objects.filter(pk__in=[a.pk for a in rows], lease_owner=owner, step=Step.POLLING).update(
        due_at=retry_at, lease_owner="", lease_expires_at=None, error=error, updated_at=now
    )


# ---- the poller task --------------------------------------------------------------------------------------


def run(seconds: float | None = None) -> str:
    """Poll while anything is in flight, for `seconds` (ACTIVATION_POLLER_SECONDS) at most; one poller at a time."""
    owner = leases.worker_id()
    if not leases.acquire(doorbell.POLLER_LEASE, owner, POLLER_LEASE_SECONDS):
        return "another poller is running"
    budget_ends = time.monotonic() + (settings.ACTIVATION_POLLER_SECONDS if seconds is None else seconds)
    gap = timing.smallest_interval()
    rounds = read = 0
    handover = False
    try:
        while True:
            started = time.monotonic()
            if not leases.renew(doorbell.POLLER_LEASE, owner, POLLER_LEASE_SECONDS):
                return "lost the poller lease"
            sweeper.reclaim_expired_leases()
            sweeper.ring_due_doorbells()
            result = poll_round(owner)
            rounds += 1
            read += result["read"]
            due = Activation.objects.next_poller_due()
            if due is None and not Activation.objects.in_flight().exists():
                break
            if time.monotonic() >= budget_ends:
                handover = True
                break
            # Sleep until the next row is due, but start rounds no closer together than the smallest interval
            # (rows due within half of it join a round early) and look at least once a second for new ones
            # (pushes in flight land meanwhile).
            wait = IDLE_LOOK_SECONDS if due is None else (due - timezone.now()).total_seconds() - gap / 2
            wait = min(IDLE_LOOK_SECONDS, max(wait, gap - (time.monotonic() - started), 0.05))
            time.sleep(wait)
    finally:
        leases.release(doorbell.POLLER_LEASE, owner)
    # Looked at after the lease is free: a push that landed meanwhile and saw the lease held is seen here.
    if handover or Activation.objects.in_flight().exists():
        doorbell.start_poller()
    return f"{rounds} rounds, {read} reads" + (", handed over" if handover else "")
