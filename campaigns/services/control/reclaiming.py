"""Giving work back: sends whose worker stopped renewing its lease go back to the queue (due now), and confirm
rounds that died free their rows. The sweeper does it every minute, and the confirmer every few seconds while it
runs, so that a killed worker's stop waits seconds, not a minute."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from campaigns.models import DiallingChange
from campaigns.services.control.outcomes import record

Step = DiallingChange.Step
# A send rung this long ago and still queued is presumed lost with the broker (or a killed worker's prefetch).
DOORBELL_GRACE = dt.timedelta(seconds=20)


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
