"""Taking over a dead cluster's activations from its heartbeats, not after its lease.

A push holds its row for ACTIVATION_LEASE_SECONDS (90 s, above the task timeout, so a slow push is never taken
away). A qcluster killed outright stops its heartbeats within 3 s (cluster_liveness.py): its pushes go back to
queued at once and its poll rounds' rows are freed, so the live workers carry on within seconds. Run by the
poller every round (≤ 1 s apart) and by the minute's sweep; every change is a conditional UPDATE on the owner
seen, so a row its holder finished meanwhile is left alone.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from campaigns.models import Activation
from campaigns.services.activation.outcomes import record
from campaigns.services.cluster_liveness import dead_owners
from campaigns.services.leases import CLUSTER_WORKER_MARK

Step = Activation.Step

# A lease this young is never judged: a worker spawned a moment ago may not be in a heartbeat yet.
CLAIM_GRACE = dt.timedelta(seconds=5)


def take_over(now: dt.datetime | None = None) -> dict:
    """Free the leased rows of dead cluster workers: {"pushes": back to queued, "polls": rows freed, "rerung":
    queued rows whose doorbell is rung again (their tasks may have died with the cluster)}."""
    now = now or timezone.now()
    held = Activation.objects.filter(
        step__in=[Step.PUSHING, Step.POLLING],
        lease_expires_at__gte=now,
        lease_owner__endswith=":" + CLUSTER_WORKER_MARK,
    )
    owners = set(held.values_list("lease_owner", flat=True).distinct())
    if not owners:
        return {"pushes": 0, "polls": 0, "rerung": 0}
    dead = dead_owners(owners)
    if not dead:
        return {"pushes": 0, "polls": 0, "rerung": 0}
    pushes = 0
    old_enough = now + dt.timedelta(seconds=settings.ACTIVATION_LEASE_SECONDS) - CLAIM_GRACE
    for a in held.filter(step=Step.PUSHING, lease_owner__in=dead, lease_expires_at__lte=old_enough):
        claimed = Activation.objects.filter(pk=a.pk, step=Step.PUSHING, lease_owner=a.lease_owner)
        why = f"The worker pushing it ({a.lease_owner}) is gone: its cluster's heartbeats stopped."
        pushes += requeue_push(a, claimed, now, why)
    polls = Activation.objects.filter(step=Step.POLLING, lease_owner__in=dead).update(
        lease_owner="", lease_expires_at=None
    )
    rerung = 0
    if pushes or polls:
        # The dead cluster had also taken push tasks from the broker that it never started (queue_limit): they
        # died with it. Every queued row rung since is rung again now rather than after DOORBELL_GRACE; a
        # task that was not lost runs twice, and the second finds the row claimed.
        rerung = Activation.objects.filter(step=Step.QUEUED, doorbell_at__isnull=False).update(doorbell_at=None)
    return {"pushes": pushes, "polls": polls, "rerung": rerung}


def requeue_push(a: Activation, claimed, now: dt.datetime, why: str) -> bool:
    """Put a push its worker abandoned back in the queue, due now, if `claimed` (the conditional update's rows:
    still that worker's) still matches it; its history says why, and whether its PUT may have gone out."""
    with transaction.atomic():
        done = claimed.update(
            step=Step.QUEUED, lease_owner="", lease_expires_at=None, due_at=None, doorbell_at=None, updated_at=now
        )
        if done:
            unknown = (
                " Its PUT may have gone out: the next attempt reads the campaign first."
                if (a.pushed_version is not None and a.pushed_at is None)
                else ""
            )
            record(a, "lease_reclaimed", f"{why}{unknown}")
    return bool(done)
