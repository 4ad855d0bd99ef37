"""The control sweeper, every minute (campaigns.periodic_tasks): a worker killed mid-send, a task the broker lost,
or a stop that is late delays a change but never loses it, and never goes unnoticed.

- reclaim_expired_leases: a send whose worker stopped answering goes back to queued, due now (a request it may
  have sent stays recorded: the next attempt reads the campaign first); a confirm round that died frees its rows.
- ring: queued rows that are due and not rung within the grace period are rung.
- plan: the partial weeks' stops and starts of the next hours are wanted.
- raise_overdue: stops not confirmed by their alarm time raise the control alarm.
- a confirmer is started if anything falls due before the next sweep (beside a running one, as its standby).
"""

from __future__ import annotations

import datetime as dt
import logging

from django.utils import timezone

from campaigns.models import DiallingChange
from campaigns.services.control import alarms, confirming, doorbell, planning
from campaigns.services.control.outcomes import record

log = logging.getLogger(__name__)
Step = DiallingChange.Step
DOORBELL_GRACE = dt.timedelta(seconds=30)


def sweep(now: dt.datetime | None = None) -> dict:
    now = now or timezone.now()
    reclaimed = reclaim_expired_leases(now)
    planned = planning.plan(now)
    rung = confirming.ring_due(now, DOORBELL_GRACE) + confirming.ring_due(now)
    alarmed = alarms.raise_overdue(now)
    if confirming.work_ahead(now):
        # Even while one runs: the new task waits beside it as the standby, to take over if its worker dies.
        doorbell.start_confirmer(unless_running=False)
    result = {"reclaimed": reclaimed, "planned": planned, "rung": rung, "alarms": alarmed}
    if any(result.values()):
        log.info("control sweep: %s", result)
    return result


def reclaim_expired_leases(now: dt.datetime | None = None) -> int:
    now = now or timezone.now()
    reclaimed = 0
    for change in DiallingChange.objects.lease_expired(now, Step.SENDING).select_related("campaign"):
        moved = DiallingChange.objects.filter(
            pk=change.pk, step=Step.SENDING, lease_owner=change.lease_owner, lease_expires_at__lt=now
        ).update(step=Step.QUEUED, lease_owner="", lease_expires_at=None, due_at=now, doorbell_at=None,
                 updated_at=now)  # fmt: skip
        if moved:
            reclaimed += 1
            unknown = ""
            if change.sent_at and not change.answered_at:
                unknown = " Its request may have gone out: the next attempt reads the campaign first."
            who = change.lease_owner
            record(change, "lease_reclaimed", f"The worker sending it ({who}) stopped answering.{unknown}")
    DiallingChange.objects.lease_expired(now, Step.CONFIRMING).update(lease_owner="", lease_expires_at=None)
    return reclaimed
