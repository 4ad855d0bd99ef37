"""Stop dialling and its Resume: supervisors (and admins) stop every campaign, or a selection, with a reason, in
one action; Resume starts again exactly what that stop stopped, and only what is still within its schedule,
once a second supervisor agrees. Both are audited, told to supervisors and sent to WFM."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from campaigns import roles
from campaigns.models import DiallingChange, DiallingStop
from campaigns.services import audit
from campaigns.services.control import holds, selecting
from campaigns.services.control.wanting import want
from campaigns.services.errors import InvalidInput, InvalidTransition, NotAllowed
from campaigns.services.notifications import notify
from campaigns.services.webhooks import outbox

State = DiallingStop.State
Action = DiallingChange.Action
Origin = DiallingChange.Origin
# A stop order's stops are to be confirmed this soon, or the alarm is raised.
STOP_ALARM_SECONDS = 600


def can_control(user) -> bool:
    """Supervisors and admins stop and resume dialling."""
    return user.has_perm(roles.REVIEW_DRAFTS)


def stop(actor, selection: dict, reason: str) -> DiallingStop:
    """Stop dialling on the selected campaigns now: one order, a stop per campaign (each ahead of any other CXone
    work), the history, supervisors told and WFM sent the event."""
    if not can_control(actor):
        raise NotAllowed("Your role does not allow you to stop dialling; a supervisor or an admin can.")
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("reason", "Say why dialling stops (it goes to the history, supervisors and WFM).")
    selection = selecting.clean_selection(selection)
    if selecting.is_empty(selection):
        raise InvalidInput("selection", "Choose every campaign, or pools, zones, states or campaigns.")
    campaigns = selecting.campaigns_of(selection)
    if not campaigns:
        raise InvalidInput("selection", "No campaign matches this selection.")
    now = timezone.now()
    with transaction.atomic():
        order = DiallingStop.objects.create(reason=reason, selection=selection, requested_by=actor)
        for campaign in campaigns:
            want(
                campaign, Action.STOP, origin=Origin.STOP_ORDER, reason=reason, stop_order=order,
                was_running=campaign.state in holds.DIALLING_STATES,
                alarm_at=now + dt.timedelta(seconds=STOP_ALARM_SECONDS),
            )  # fmt: skip
        words = selecting.describe(selection)
        audit.record("campaigns.dialling.stop_ordered", order, actor=actor,
                     message=f"Stop dialling on {words} ({len(campaigns)} campaigns): {reason}")  # fmt: skip
        link = reverse("dialling-stop", args=[order.pk])
        notify.dialling_stopped(campaigns, reason=reason, by=actor, key=f"stop-{order.pk}", link=link)
        outbox.record_control_event("stopped", campaigns, reason=reason, actor=actor, detail={"stopId": order.pk})
    return order


def request_resume(order_id: int, actor, note: str = "") -> DiallingStop:
    """A supervisor asks to resume what the stop stopped; a second one must agree (approve_resume)."""
    if not can_control(actor):
        raise NotAllowed("Your role does not allow you to resume dialling; a supervisor or an admin can.")
    with transaction.atomic():
        order = DiallingStop.objects.select_for_update().get(pk=order_id)
        if order.state != State.STOPPING:
            raise InvalidTransition(f"Stop #{order.pk} is {order.get_state_display().lower()}: no resume to ask.")
        order.state = State.RESUME_REQUESTED
        order.resume_requested_by = actor
        order.resume_requested_at = timezone.now()
        order.resume_note = (note or "").strip()
        order.save(update_fields=["state", "resume_requested_by", "resume_requested_at", "resume_note"])
        audit.record("campaigns.dialling.resume_requested", order, actor=actor,
                     message=f"Resume of stop #{order.pk} asked; a second supervisor must agree. {order.resume_note}")
    return order


def withdraw_resume(order_id: int, actor) -> DiallingStop:
    if not can_control(actor):
        raise NotAllowed("Your role does not allow you to resume dialling; a supervisor or an admin can.")
    with transaction.atomic():
        order = DiallingStop.objects.select_for_update().get(pk=order_id)
        if order.state != State.RESUME_REQUESTED:
            raise InvalidTransition(f"Stop #{order.pk} has no resume waiting.")
        order.state, order.resume_requested_by, order.resume_requested_at = State.STOPPING, None, None
        order.save(update_fields=["state", "resume_requested_by", "resume_requested_at"])
        audit.record("campaigns.dialling.resume_withdrawn", order, actor=actor, message="Resume withdrawn.")
    return order


def approve_resume(order_id: int, actor) -> tuple[DiallingStop, list[DiallingChange], list[str]]:
    """The second supervisor agrees: a start for each campaign the stop found dialling and that nothing else holds
    stopped now (its schedule ended, a day off in its week, another stop, a pause). The order, the starts wanted
    and what was left stopped, in words."""
    if not can_control(actor):
        raise NotAllowed("Your role does not allow you to resume dialling; a supervisor or an admin can.")
    now = timezone.now()
    with transaction.atomic():
        order = DiallingStop.objects.select_for_update().get(pk=order_id)
        if order.state != State.RESUME_REQUESTED:
            raise InvalidTransition(f"Stop #{order.pk} has no resume waiting for agreement.")
        if order.resume_requested_by_id == actor.pk:
            raise NotAllowed("A second supervisor must agree: you asked for this resume yourself.")
        order.state = State.RESUMING
        order.resume_approved_by = actor
        order.save(update_fields=["state", "resume_approved_by"])
        starts, left = [], []
        stopped = order.changes.filter(action=Action.STOP, was_running=True).exclude(
            step=DiallingChange.Step.CANCELLED
        ).select_related("campaign")
        for stop_change in stopped:
            campaign = stop_change.campaign
            why = "" if campaign.missing_since is None else "CXone no longer has it"
            why = why or holds.held_stopped(campaign, at=now, ignoring=stop_change)
            if why:
                left.append(f"{campaign.name}: {why}")
                continue
            starts.append(want(campaign, Action.START, origin=Origin.RESUME, stop_order=order,
                               reason=f"Resume of stop #{order.pk}"))  # fmt: skip
        order.state = State.RESUMED
        order.resumed_at = now
        order.save(update_fields=["state", "resumed_at"])
        message = f"Resume of stop #{order.pk} agreed: {len(starts)} campaigns start again."
        if left:
            message += " Left stopped: " + "; ".join(left)
        audit.record("campaigns.dialling.resumed", order, actor=actor, message=message)
        outbox.record_control_event("resumed", [s.campaign for s in starts], reason=order.reason, actor=actor,
                                    detail={"stopId": order.pk, "leftStopped": left})  # fmt: skip
    return order, starts, left


def progress(order: DiallingStop) -> dict:
    """How far the stop (or its resume) is: counts by step, for the live page."""
    counts = {step: 0 for step in DiallingChange.Step.values}
    for step in order.changes.filter(action=Action.STOP).values_list("step", flat=True):
        counts[step] += 1
    total = sum(counts.values())
    done = counts[DiallingChange.Step.DONE]
    return {"total": total, "confirmed": done, "failed": counts[DiallingChange.Step.FAILED],
            "waiting": total - done - counts[DiallingChange.Step.FAILED] - counts[DiallingChange.Step.CANCELLED],
            "percent": round(100 * done / total) if total else 100}  # fmt: skip
