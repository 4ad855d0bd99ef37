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

from campaigns.services.control import alarms, confirming, doorbell, planning
from campaigns.services.control.reclaiming import doorbell_grace, reclaim_expired_leases

log = logging.getLogger(__name__)


def sweep(now: dt.datetime | None = None) -> dict:
    now = now or timezone.now()
    reclaimed = reclaim_expired_leases(now)
    planned = planning.plan(now)
    rung = confirming.ring_due(now, doorbell_grace(now)) + confirming.ring_due(now)
    alarmed = alarms.raise_overdue(now)
    if confirming.work_ahead(now):
        # Even while one runs: the new task waits beside it as the standby, to take over if its worker dies.
        doorbell.start_confirmer(unless_running=False)
    result = {"reclaimed": reclaimed, "planned": planned, "rung": rung, "alarms": alarmed}
    if any(result.values()):
        log.info("control sweep: %s", result)
    return result
