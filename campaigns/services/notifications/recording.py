"""Writing notifications: one row per person, in the transaction of the event they tell of (the outbox pattern
of the WFM webhooks): an event never commits without its notifications, nor a notification without its event.

Whether a row is to be mailed is decided here from the person's choices and address; the mail itself is composed
by a worker once the transaction commits (composing.py), so a broker or a mail server that is down delays mail
and loses none.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from campaigns.models import Notification, NotificationSettings
from campaigns.services.notifications.catalogue import kind as catalogue_kind

log = logging.getLogger("campaigns.notifications")

COMPOSE_TASK = "campaigns.tasks.compose_notification_mail"


def record(kind: str, recipients: Iterable, *, key: str, facts: dict, at: dt.datetime | None = None,
           campaign=None, draft=None) -> list[Notification]:  # fmt: skip
    """Tell `recipients` of one event. `key` names the event: telling of it again tells nobody twice. Call it
    inside the event's transaction; the mail is composed after the commit."""
    catalogue_kind(kind)  # an unknown kind fails here, not in a worker
    people = list(recipients)
    if not people:
        return []
    at = at or timezone.now()
    facts = {**facts, "at": at.astimezone(dt.UTC).isoformat()}
    choices = {s.user_id: s for s in NotificationSettings.objects.filter(user__in=[p.pk for p in people])}
    now = timezone.now()
    rows = []
    for person in people:
        off = kind in (choices[person.pk].mail_off if person.pk in choices else [])
        mailed = bool(person.email) and not off
        rows.append(
            Notification(
                recipient=person,
                kind=kind,
                event_key=key[:200],
                facts=facts,
                campaign=campaign,
                draft=draft,
                created_at=at,
                mail=Notification.Mail.PENDING if mailed else Notification.Mail.OFF,
                mail_due_at=now if mailed else None,
            )
        )
    with transaction.atomic():
        # A second record of the same event for the same person is ignored (unique recipient + event_key).
        Notification.objects.bulk_create(rows, ignore_conflicts=True)
        to_mail = sorted({row.recipient_id for row in rows if row.mail == Notification.Mail.PENDING})
        if to_mail:
            transaction.on_commit(lambda: enqueue_compose(to_mail))
    return rows


def enqueue_compose(user_ids: list[int]) -> None:
    """Ring the doorbell for the mail of these people. A broker that is down loses nothing: the mail sweeper
    finds the rows due."""
    try:
        from django_q.tasks import async_task

        async_task(COMPOSE_TASK, list(user_ids))
    except Exception:
        log.exception("could not enqueue notification mail for users %s; the sweeper will", user_ids)
