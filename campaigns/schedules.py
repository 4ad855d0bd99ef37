"""The django-q2 schedules the product needs, created idempotently (`manage.py setup_schedules`)."""

from __future__ import annotations

from dataclasses import dataclass

SYNC_SCHEDULE_NAME = "campaigns.sync_campaigns"
SYNC_EVERY_MINUTES = 5
SWEEP_SCHEDULE_NAME = "campaigns.activation_sweeper"


@dataclass(frozen=True)
class Wanted:
    name: str
    func: str
    minutes: int


WANTED = (
    Wanted(SYNC_SCHEDULE_NAME, "campaigns.tasks.sync_campaigns_task", SYNC_EVERY_MINUTES),
    # Re-enqueues due activation work and reclaims expired leases: nothing is lost with a worker or a message.
    Wanted(SWEEP_SCHEDULE_NAME, "campaigns.tasks.sweep", 1),
)


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
            }
            found = list(Schedule.objects.filter(name=wanted.name).order_by("pk"))
            for duplicate in found[1:]:
                duplicate.delete()
            if not found:
                Schedule.objects.create(name=wanted.name, **fields)
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
