"""Pauses that end by themselves: a planner asks "paused from … until …" for a campaign or a selection; a second
person (a supervisor, not the asker) approves it like a draft; the workers stop the campaigns at the start and
start them at the end — only if nothing else holds them stopped then — with nobody present."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Count, Max, Sum
from django.utils import timezone

from campaigns import roles
from campaigns.models import DiallingChange, TimedPause
from campaigns.services import audit
from campaigns.services.control import selecting
from campaigns.services.control.wanting import want
from campaigns.services.errors import InvalidInput, InvalidTransition, NotAllowed
from campaigns.services.webhooks import outbox

Status = TimedPause.Status
Action = DiallingChange.Action
Origin = DiallingChange.Origin
PausedSpans = dict[str, list[tuple[int, int]]]  # CXone id → approved pauses, UTC epoch seconds [start, end)
# A pause's stop not confirmed this long after the pause begins raises the alarm.
PAUSE_ALARM = dt.timedelta(minutes=2)


def may_ask(user) -> bool:
    return user.has_perm(roles.EDIT_DRAFTS)


def may_approve(user) -> bool:
    return user.has_perm(roles.REVIEW_DRAFTS)


def ask(actor, selection: dict, starts_at: dt.datetime, ends_at: dt.datetime, reason: str) -> TimedPause:
    if not may_ask(actor):
        raise NotAllowed("Your role does not allow you to schedule pauses; a planner can.")
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("reason", "Say why the campaigns pause.")
    if ends_at <= starts_at:
        raise InvalidInput("ends_at", "The pause must end after it starts.")
    if ends_at <= timezone.now():
        raise InvalidInput("ends_at", "The pause would already be over.")
    selection = selecting.clean_selection(selection)
    campaigns = selecting.campaigns_of(selection) if not selecting.is_empty(selection) else []
    if not campaigns:
        raise InvalidInput("selection", "Choose the campaigns to pause.")
    with transaction.atomic():
        pause = TimedPause.objects.create(starts_at=starts_at, ends_at=ends_at, reason=reason, requested_by=actor)
        pause.campaigns.set(campaigns)
        audit.record("campaigns.dialling.pause_asked", pause, actor=actor,
                     message=f"Pause of {selecting.describe(selection)} asked: {_span(pause)}. {reason}")  # fmt: skip
    return pause


def approve(pause_id: int, actor) -> TimedPause:
    """A second person approves: a stop at the start and a start at the end of each campaign, wanted now (the
    start is sent only where the stop found the campaign dialling: sending.py). A pause already over is refused."""
    if not may_approve(actor):
        raise NotAllowed("Your role does not allow you to approve pauses; a supervisor can.")
    with transaction.atomic():
        pause = TimedPause.objects.select_for_update().get(pk=pause_id)
        if pause.status != Status.SUBMITTED:
            raise InvalidTransition(f"Pause #{pause.pk} is {pause.get_status_display().lower()}.")
        if pause.requested_by_id == actor.pk:
            raise NotAllowed("A second person must approve: you asked for this pause yourself.")
        if pause.ends_at <= timezone.now():
            raise InvalidTransition(
                f"Pause #{pause.pk} ended at {pause.ends_at:%Y-%m-%d %H:%M} UTC before it was approved: there is "
                "nothing left to hold. Reject it, or ask for a new pause."
            )
        pause.status, pause.reviewed_by, pause.reviewed_at = Status.APPROVED, actor, timezone.now()
        pause.save(update_fields=["status", "reviewed_by", "reviewed_at"])
        now = timezone.now()
        campaigns = list(pause.campaigns.all())
        for campaign in campaigns:
            if pause.starts_at > now or pause.ends_at > now:
                want(campaign, Action.STOP, origin=Origin.TIMED_PAUSE, timed_pause=pause, reason=pause.reason,
                     due_at=max(pause.starts_at, now), hold_until=pause.ends_at,
                     alarm_at=max(pause.starts_at, now) + PAUSE_ALARM)  # fmt: skip
            want(campaign, Action.START, origin=Origin.TIMED_PAUSE, timed_pause=pause, due_at=pause.ends_at,
                 hold_until=pause.ends_at, reason=f"End of pause #{pause.pk}")  # fmt: skip
        audit.record("campaigns.dialling.pause_approved", pause, actor=actor,
                     message=f"Pause approved: {_span(pause)}.")  # fmt: skip
        outbox.record_control_event("paused", campaigns, reason=pause.reason, actor=actor,
                                    detail={"pauseId": pause.pk, "from": pause.starts_at.isoformat(),
                                            "until": pause.ends_at.isoformat()})  # fmt: skip
    return pause


def reject(pause_id: int, actor, note: str = "") -> TimedPause:
    if not may_approve(actor):
        raise NotAllowed("Your role does not allow you to reject pauses; a supervisor can.")
    with transaction.atomic():
        pause = TimedPause.objects.select_for_update().get(pk=pause_id)
        if pause.status != Status.SUBMITTED:
            raise InvalidTransition(f"Pause #{pause.pk} is {pause.get_status_display().lower()}.")
        if pause.requested_by_id == actor.pk:
            raise NotAllowed("A second person must decide: you asked for this pause yourself.")
        pause.status, pause.reviewed_by, pause.reviewed_at = Status.REJECTED, actor, timezone.now()
        pause.save(update_fields=["status", "reviewed_by", "reviewed_at"])
        audit.record("campaigns.dialling.pause_rejected", pause, actor=actor, message=f"Pause rejected. {note}")
    return pause


def approved_between(start: dt.datetime, end: dt.datetime):
    """Approved pauses that overlap [start, end), for the timeline."""
    return (
        TimedPause.objects.filter(status=Status.APPROVED, starts_at__lt=end, ends_at__gt=start)
        .prefetch_related("campaigns")
        .order_by("starts_at")
    )


def paused_spans(start: dt.datetime, end: dt.datetime) -> PausedSpans:
    """Each campaign's approved pauses touching [start, end), by CXone id, as UTC epoch seconds: what the charts
    and the editor's what-if take out of its windows (nobody is needed, and nobody is called, while it is
    paused). Pauses still awaiting approval hold nothing."""
    links = TimedPause.campaigns.through.objects.filter(
        timedpause__status=Status.APPROVED, timedpause__starts_at__lt=end, timedpause__ends_at__gt=start
    ).values_list("campaign__cxone_id", "timedpause__starts_at", "timedpause__ends_at")
    spans: PausedSpans = {}
    for cxone_id, starts_at, ends_at in links:
        spans.setdefault(cxone_id, []).append((int(starts_at.timestamp()), int(ends_at.timestamp())))
    return {cxone_id: sorted(found) for cxone_id, found in spans.items()}


def fingerprint() -> tuple:
    """Changes whenever the approved pauses change (one approved, or one taken back were that ever offered): what
    kept charts are keyed by, beside the conflict index's and the blackout days' fingerprints."""
    approved = TimedPause.objects.filter(status=Status.APPROVED)
    return tuple(approved.aggregate(n=Count("id"), ids=Sum("id"), reviewed=Max("reviewed_at")).values())


def _span(pause: TimedPause) -> str:
    return f"from {pause.starts_at:%Y-%m-%d %H:%M} until {pause.ends_at:%Y-%m-%d %H:%M} UTC"
