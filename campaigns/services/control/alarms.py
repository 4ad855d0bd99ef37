"""The control alarm: a stop that is not confirmed in time, or failed. It shows as a banner on every page (the
context processor asks `open_alarms`), goes to WFM, counts in a metric (planner_control_alarms, from these rows),
notifies supervisors and admins, and enters the campaign's history — each once per change."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from campaigns.models import DiallingChange
from campaigns.services import audit
from campaigns.services.notifications import notify
from campaigns.services.webhooks import outbox

Step = DiallingChange.Step


def raise_alarm(change: DiallingChange, what: str, *, detail: str = "") -> bool:
    """Raise the alarm about `change`, once (False if it was raised already)."""
    now = timezone.now()
    with transaction.atomic():
        if DiallingChange.objects.filter(pk=change.pk, alarm_raised_at__isnull=True).update(alarm_raised_at=now) != 1:
            return False
        campaign = change.campaign
        audit.record("campaigns.dialling.alarm", change, campaign=campaign, message=f"{what}. {detail}".strip())
        notify.control_alarm(what, campaign=campaign, detail=detail, key=f"change-{change.pk}")
        outbox.record_control_event("alarm", [campaign], reason=what, detail={"detail": detail})
    return True


def overdue_stops(now=None):
    """Stops whose alarm time has passed while CXone has not confirmed them (or that failed), not yet alarmed."""
    now = now or timezone.now()
    unconfirmed = Q(step__in=DiallingChange.UNFINISHED_STEPS) | Q(step=Step.FAILED)
    return DiallingChange.objects.filter(
        unconfirmed, action=DiallingChange.Action.STOP, alarm_at__lte=now, alarm_raised_at__isnull=True
    )


def raise_overdue(now=None) -> int:
    raised = 0
    for change in overdue_stops(now).select_related("campaign")[:200]:
        held = change.hold_until.strftime("%Y-%m-%d %H:%M UTC") if change.hold_until else ""
        detail = f"CXone has not confirmed it stopped dialling; it must stay stopped until {held}." if held else ""
        raised += raise_alarm(change, f"{change.campaign.name} is not confirmed stopped", detail=detail)
    return raised


def open_alarms():
    """Alarmed stops not confirmed since: what the banner on every page lists."""
    return DiallingChange.objects.filter(
        alarm_raised_at__isnull=False, action=DiallingChange.Action.STOP
    ).exclude(step__in=(Step.DONE, Step.CANCELLED)).select_related("campaign")
