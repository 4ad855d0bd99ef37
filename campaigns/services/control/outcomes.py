"""Where a dialling change ends (confirmed, failed, cancelled), once: the row, the campaign mirror's state, the
campaign's history entry, and for a stop that failed, the alarm. Sending and confirming both end here."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from campaigns.models import Campaign, DiallingChange, control_steps_leading_to
from campaigns.services import audit
from campaigns.services.control import alarms

Step = DiallingChange.Step


def finish(change: DiallingChange, step: str, *, outcome: str, error: str = "", owner: str | None = None,
           remote_state: str | None = None) -> bool:  # fmt: skip
    """Write the end of an unfinished change. False when it had ended already or (with `owner`) its lease was
    lost to another worker."""
    now = timezone.now()
    values = {
        "step": step,
        "outcome": outcome[:200],
        "error": error,
        "lease_owner": "",
        "lease_expires_at": None,
        "updated_at": now,
    }
    if step == Step.DONE:
        values["confirmed_at"] = now
    with transaction.atomic():
        rows = DiallingChange.objects.filter(pk=change.pk, step__in=control_steps_leading_to(step))
        if owner is not None:
            rows = rows.filter(lease_owner=owner)
        if rows.update(**values) != 1:
            return False
        change.refresh_from_db()
        if remote_state:
            Campaign.objects.filter(pk=change.campaign_id).update(state=remote_state[:16])
        record(change, step, f"{outcome}: {error}" if error else outcome)
        if step == Step.FAILED and change.action == DiallingChange.Action.STOP:
            alarms.raise_alarm(change, f"Stop of {change.campaign.name} failed", detail=error or outcome)
    return True


def record(change: DiallingChange, what: str, message: str, *, actor=None) -> None:
    """The campaign's history entry (its audit trail) for one step of a change."""
    verb = change.get_action_display().lower()
    audit.record(
        f"campaigns.dialling.{change.action}.{what}",
        change,
        actor=actor,
        campaign=change.campaign,
        message=f"{change.get_origin_display()}: {verb} dialling — {message}",
    )
