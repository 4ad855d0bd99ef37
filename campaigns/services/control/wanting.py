"""Wanting a change: a DiallingChange row written in the caller's transaction, its sender rung once that
commits. Stops, partial weeks, timed pauses and Resume all want changes here."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from campaigns.models import DiallingChange
from campaigns.services.control import doorbell

Action = DiallingChange.Action
# Stops go first: a stop of the whole portfolio overtakes every start still queued.
PRIORITY = {Action.STOP: 10, Action.START: 0}


def want(campaign, action: str, *, origin: str, reason: str = "", due_at: dt.datetime | None = None,
         **fields) -> DiallingChange:  # fmt: skip
    """One wanted change of `campaign`'s dialling, due at `due_at` (now when None). `fields`: stop_order,
    timed_pause, hold_until, alarm_at, was_running."""
    now = timezone.now()
    due = due_at or now
    change = DiallingChange.objects.create(
        campaign=campaign,
        action=action,
        origin=origin,
        reason=reason,
        due_at=due,
        wanted_at=due,
        priority=PRIORITY[action],
        doorbell_at=now if due <= now else None,
        **fields,
    )
    if due <= now:
        transaction.on_commit(lambda: doorbell.ring(change.pk))
    return change


def want_many(campaigns, action: str, **kwargs) -> list[DiallingChange]:
    return [want(c, action, **kwargs) for c in campaigns]


def cancel_unfinished(campaign_ids, action: str, *, reason: str) -> int:
    """Cancel queued changes of these campaigns (a stop cancels the starts it would otherwise race)."""
    return DiallingChange.objects.filter(
        campaign_id__in=list(campaign_ids), action=action, step=DiallingChange.Step.QUEUED
    ).update(step=DiallingChange.Step.CANCELLED, outcome=reason[:200], updated_at=timezone.now())
