"""The django-q2 schedules the product needs, created idempotently (`manage.py setup_schedules`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

SYNC_SCHEDULE_NAME = "campaigns.sync_campaigns"
SYNC_TASK = "campaigns.tasks.sync_campaigns_task"
SYNC_EVERY_MINUTES = 5
WEBHOOK_SWEEP_SCHEDULE_NAME = "campaigns.sweep_webhooks"
# A sync takes as long as the tenant's size and CXone's rate limit make it (2,000 campaigns at 5 requests/s:
# about 2.5 minutes); the cluster's 60 s task timeout would kill it half-way. The sync's own claim (SyncStatus)
# keeps a copy the ORM broker redelivers meanwhile from running beside it.
SYNC_TASK_TIMEOUT_SECONDS = 3600
SYNC_TASK_OPTIONS = {"timeout": SYNC_TASK_TIMEOUT_SECONDS}
SWEEP_SCHEDULE_NAME = "campaigns.activation_sweeper"
MAIL_SWEEP_SCHEDULE_NAME = "campaigns.sweep_notification_mail"
CONTROL_SWEEP_SCHEDULE_NAME = "campaigns.control_sweeper"


@dataclass(frozen=True)
class Wanted:
    name: str
    func: str
    minutes: int
    kwargs: str = ""  # django-q2's Schedule.kwargs: keyword arguments as Python source


WANTED = (
    Wanted(SYNC_SCHEDULE_NAME, SYNC_TASK, SYNC_EVERY_MINUTES, f"q_options={SYNC_TASK_OPTIONS!r}"),
    # The WFM outbox's sweeper: due retries and expired leases go back to the workers.
    Wanted(WEBHOOK_SWEEP_SCHEDULE_NAME, "campaigns.tasks.sweep_webhooks_task", 1),
    # Re-enqueues due activation work and reclaims expired leases: nothing is lost with a worker or a message.
    Wanted(SWEEP_SCHEDULE_NAME, "campaigns.tasks.sweep", 1),
    # The notification mail's: batches whose five minutes have passed, retries after the mail server was down.
    Wanted(MAIL_SWEEP_SCHEDULE_NAME, "campaigns.tasks.sweep_notification_mail_task", 1),
    # Dialling control's: killed senders, lost doorbells, the partial weeks' stops and starts ahead, late stops.
    Wanted(CONTROL_SWEEP_SCHEDULE_NAME, "campaigns.tasks.sweep_dialling_control", 1),
)


def enqueue_sync() -> str:
    """Queue one sync for the workers now (at start, besides the schedule); the task id."""
    from django_q.tasks import async_task

    return async_task(SYNC_TASK, q_options=dict(SYNC_TASK_OPTIONS))


def ensure_schedules() -> dict[str, str]:
    """Create or correct each schedule in WANTED; {name: "created" | "updated" | "unchanged"}.
    An existing schedule keeps its next run, so running this on every deploy never bunches runs together."""
    from django.db import transaction
    from django_q.models import Schedule

    outcome = {}
    with transaction.atomic():
        for wanted in WANTED:
            fields = {
                "func": wanted.func,
                "schedule_type": Schedule.MINUTES,
                "minutes": wanted.minutes,
                "repeats": -1,
                "kwargs": wanted.kwargs,
            }
            found = list(Schedule.objects.filter(name=wanted.name).order_by("pk"))
            for duplicate in found[1:]:
                duplicate.delete()
            if not found:
                # First run one interval from now: every way of starting the product enqueues its start-up
                # sync itself (sync_campaigns --enqueue), and a second full sync right behind it would only
                # spend CXone's rate limit that the first activations need.
                first_run = timezone.now() + dt.timedelta(minutes=wanted.minutes)
                Schedule.objects.create(name=wanted.name, next_run=first_run, **fields)
                outcome[wanted.name] = "created"
                continue
            schedule = found[0]
            stale = {name: value for name, value in fields.items() if getattr(schedule, name) != value}
            if stale:
                for name, value in stale.items():
                    setattr(schedule, name, value)
                schedule.save(update_fields=list(stale))
            outcome[wanted.name] = "updated" if stale or len(found) > 1 else "unchanged"
    return outcome
