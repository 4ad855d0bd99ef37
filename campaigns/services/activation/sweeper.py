"""The activation sweeper, run every minute by django-q2's scheduler (campaigns.periodic_tasks): it makes sure that a
worker killed mid-push, a task the Redis broker lost, or a process that died between an approval and its
Activation row delays an activation but never loses it. Each part is also safe to run at any time, by any
number of processes: every change is a conditional UPDATE.

- reclaim_expired_leases: a push whose worker stopped answering (its lease expired, or its cluster's heartbeats
  stopped: takeover.py) goes back to queued (a PUT it may have sent
  stays recorded, so the next attempt reads the campaign before anything else); a poll round that died frees
  its rows.
- ring_due_doorbells: queued rows that are due and whose push_activation task was not enqueued within the
  grace period (or never: after a backoff) get it enqueued now.
- queue_orphans: approved drafts without an unfinished activation get one.
- the poller is started if anything waits for it.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db.models import Exists, OuterRef
from django.utils import timezone

from campaigns.models import Activation, DraftStatus, ScheduleDraft
from campaigns.services.activation import doorbell
from campaigns.services.activation.queueing import queue
from campaigns.services.activation.takeover import requeue_push, take_over

log = logging.getLogger(__name__)
Step = Activation.Step

# A push enqueued this long ago and still not started is presumed lost by the broker and enqueued again. Longer
# than a busy queue takes to drain (200 pushes at 5 requests a second: 40 s), so that it rarely doubles work.
DOORBELL_GRACE = dt.timedelta(seconds=60)
# An approval's own on-commit hook queues its activation within milliseconds; the sweeper waits this long.
ORPHAN_AGE = dt.timedelta(seconds=30)


def sweep() -> dict:
    """The minute's sweep: {"reclaimed", "rung", "orphans_queued", "in_flight"}."""
    reclaimed = reclaim_expired_leases()
    orphans = queue_orphans()
    rung = ring_due_doorbells()
    in_flight = Activation.objects.in_flight().count()
    if in_flight:  # the poller watches while anything is in flight
        doorbell.start_poller(unless_running=True)
    result = {"reclaimed": reclaimed, "rung": rung, "orphans_queued": orphans, "in_flight": in_flight}
    if reclaimed or rung or orphans:
        log.info("activation sweep: %s", result)
    return result


def reclaim_expired_leases(now: dt.datetime | None = None) -> int:
    """Pushes whose lease expired, or whose cluster's heartbeats stopped (takeover.py) → queued, due now; poll
    rounds that died → rows freed. How many pushes."""
    now = now or timezone.now()
    taken = take_over(now)["pushes"]
    expired = Activation.objects.lease_expired(now, Step.PUSHING)
    reclaimed = taken
    for a in expired.select_related("campaign"):
        claimed = Activation.objects.filter(
            pk=a.pk, step=Step.PUSHING, lease_owner=a.lease_owner, lease_expires_at__lt=now
        )
        why = f"The worker pushing it ({a.lease_owner}) stopped answering."
        reclaimed += requeue_push(a, claimed, now, why)
    Activation.objects.lease_expired(now, Step.POLLING).update(
        lease_owner="", lease_expires_at=None
    )
    return reclaimed


def ring_due_doorbells(now: dt.datetime | None = None) -> int:
    """Enqueue push_activation for queued rows that are due and not rung within DOORBELL_GRACE."""
    now = now or timezone.now()
    due = Activation.objects.doorbell_due(now, DOORBELL_GRACE)
    ids = list(due.values_list("pk", flat=True)[:500])
    rung = []
    for pk in ids:
        if due.filter(pk=pk).update(doorbell_at=now, due_at=None) == 1:
            rung.append(pk)
    for pk in rung:
        doorbell.ring(pk)
    return len(rung)


def queue_orphans(now: dt.datetime | None = None) -> int:
    """Approved drafts with no unfinished activation (the process died right after the approval) get one."""
    now = now or timezone.now()
    unfinished = Activation.objects.in_flight().filter(draft=OuterRef("pk"))
    orphans = ScheduleDraft.objects.filter(
        ~Exists(unfinished), status=DraftStatus.APPROVED, updated_at__lt=now - ORPHAN_AGE
    ).values_list("pk", flat=True)
    queued = 0
    for pk in list(orphans[:500]):
        if queue(pk) is not None:
            queued += 1
    return queued
