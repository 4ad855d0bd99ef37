"""The webhook waiter: rings each retry at its due time, not at the next minute's sweep.

django-q2 has no "run at": its scheduler looks at schedules every 30 s, and the sweep runs every minute. So one
waiter task at a time (the WorkerLease "webhook-waiter", as the activation poller holds its own) sleeps until
the next pending delivery is due and enqueues its deliver_webhook task then; a retry recorded meanwhile is seen
within a second. It runs while a retry is due within HORIZON, for WAITER_SECONDS at most (below the task
timeout), then hands over to a fresh task. A retry due later than HORIZON (5 minutes and more) is the minute
sweep's to notice: it starts the waiter once the retry is within HORIZON, which is longer than the sweep's
period (60 s, up to 90 s with the scheduler's 30 s tick), so the waiter is running when the retry falls due.

The database stays the truth: the waiter only rings, a claim decides, and a waiter that dies costs at most one
sweep's delay (its lease is short).
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable

from django.db.models import Min, Q
from django.utils import timezone
from django_q.tasks import async_task

from campaigns.models import WebhookDelivery
from campaigns.services import leases

log = logging.getLogger("campaigns.webhooks")

WAITER_TASK = "campaigns.tasks.wait_for_webhook_retries"
WAITER_LEASE = "webhook-waiter"
WAITER_LEASE_SECONDS = 10  # renewed every loop (≤ 1 s apart)
WAITER_SECONDS = 40  # one task's budget, then a fresh one (the cluster's task timeout is 60 s)
HORIZON = dt.timedelta(seconds=120)  # longer than the sweep's period: see the module docstring
LOOK_SECONDS = 1.0  # a retry recorded while the waiter sleeps is seen this soon
# A retry is rung (and may be claimed) this long before it is due: a backlog due together then leaves around its
# due time, not all after it (the outbox promises ± 2 s; the shortest wait of the real schedule is 5 s).
EARLY = dt.timedelta(seconds=0.5)
Status = WebhookDelivery.Status


def _waiting(now: dt.datetime):
    free = Q(lease_expires_at__isnull=True) | Q(lease_expires_at__lte=now)
    return WebhookDelivery.objects.filter(free, status=Status.PENDING, next_attempt_at__isnull=False)


def next_due(now: dt.datetime | None = None, *, after: dt.datetime | None = None) -> dt.datetime | None:
    """When the next pending delivery that no worker holds is due (after `after`, if given; None: nothing)."""
    now = now or timezone.now()
    waiting = _waiting(now) if after is None else _waiting(now).filter(next_attempt_at__gt=after)
    return waiting.aggregate(due=Min("next_attempt_at"))["due"]


def start(*, unless_running: bool = True, enqueue_task: Callable[[str], None] | None = None) -> None:
    """Make sure a waiter runs (a second finds the lease taken and ends at once)."""
    if unless_running and leases.is_held(WAITER_LEASE):
        return
    try:
        (enqueue_task or async_task)(WAITER_TASK)
    except Exception:  # a broker that is down: the minute sweep rings the retries instead
        log.warning("could not start the webhook waiter; the sweep rings retries", exc_info=True)


def start_if_due_soon(now: dt.datetime | None = None) -> bool:
    """Start the waiter when a retry falls due within HORIZON (the sweep's call); whether one is due."""
    now = now or timezone.now()
    due = next_due(now)
    if due is None or due > now + HORIZON:
        return False
    start()
    return True


def run(
    enqueue: Callable[[int], None],
    *,
    seconds: float | None = None,
    sleep: Callable[[float], None] = time.sleep,
    hand_over: Callable[[], None] | None = None,
) -> str:
    """Ring every pending delivery at its due time while one is due within HORIZON, for `seconds`
    (WAITER_SECONDS) at most; what happened, in a few words."""
    owner = leases.worker_id()
    if not leases.acquire(WAITER_LEASE, owner, WAITER_LEASE_SECONDS):
        return "another waiter is running"
    budget_ends = time.monotonic() + (WAITER_SECONDS if seconds is None else seconds)
    rung: dict[int, dt.datetime] = {}  # each delivery is rung once per due time
    count = 0
    handover = False
    try:
        while True:
            if not leases.renew(WAITER_LEASE, owner, WAITER_LEASE_SECONDS):
                return f"lost the waiter lease after ringing {count}"
            now = timezone.now()
            for pk, due in (
                _waiting(now).filter(next_attempt_at__lte=now + EARLY).values_list("pk", "next_attempt_at")
            ):
                if rung.get(pk) != due:
                    rung[pk] = due
                    enqueue(pk)
                    count += 1
            due = next_due(now, after=now + EARLY)  # what is due now is rung: its worker claims it
            if due is None or due > now + HORIZON:
                break
            if time.monotonic() >= budget_ends:
                handover = True
                break
            sleep(min(LOOK_SECONDS, max((due - EARLY - timezone.now()).total_seconds(), 0.01)))
    finally:
        leases.release(WAITER_LEASE, owner)
    if handover:
        (hand_over or (lambda: start(unless_running=False)))()
    return f"rang {count}" + (", handed over" if handover else "")
