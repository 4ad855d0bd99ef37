"""Giving work back: sends whose worker stopped renewing its lease go back to the queue (due now), and confirm
rounds that died free their rows. The sweeper does it every minute, and the confirmer every few seconds while it
runs, so that a killed worker's stop waits seconds, not a minute."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from campaigns.models import DiallingChange
from campaigns.services.control.outcomes import record

Step = DiallingChange.Step
# A send rung this long ago and still queued is presumed lost with the broker (or a killed worker's prefetch), once
# the queue ahead of it would have drained at CXone's rate (doorbell_grace).
DOORBELL_GRACE = dt.timedelta(seconds=20)


def doorbell_grace(now: dt.datetime | None = None) -> dt.timedelta:
    """How long a rung send may wait in the broker before it is presumed lost: DOORBELL_GRACE, or half again as
    long as the sends already rung take at CXONE_RATE_LIMIT (2,000 stops at 5 requests/s: 10 minutes), so that a
    long queue is not rung again and again while it drains."""
    now = now or timezone.now()
    rung = DiallingChange.objects.filter(step=Step.QUEUED, due_at__lte=now, doorbell_at__isnull=False).count()
    rate = float(settings.CXONE_RATE_LIMIT) or 1.0
    return max(DOORBELL_GRACE, dt.timedelta(seconds=1.5 * rung / rate))


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
