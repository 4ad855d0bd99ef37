"""Sending the mail outbox: one attempt at one MailMessage per task, and the minute's sweep that composes due
notifications and hands due messages (retries, and those of killed workers) back to the workers.

    send(message_id)   claim by conditional UPDATE (pending, due, lease free) → hand to the mail server → mark
    sweep()            every minute: compose what is due, enqueue what is due to send

A mail server that is down delays mail and loses none: a failed attempt waits MAIL_RETRY_SCHEDULE's next wait and
the sweeper sends it again; only after the last attempt, or a 5xx refusal, is a message given up ("failed", with
the server's words, in the admin). None is sent twice by us: a message is marked sent in the attempt that sent it,
and an attempt starts only on a row that is pending and free. A worker killed between the server's "accepted" and
our commit is the one way to a second copy; it carries the same Message-ID, so the reader's mail program can tell.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import uuid
from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from campaigns.mail.sender import Outcome, Outgoing, Result, deliver
from campaigns.models import MailMessage, Notification
from campaigns.services import audit
from campaigns.services.errors import NotAllowed
from campaigns.services.notifications.composing import compose_for

log = logging.getLogger("campaigns.notifications")

SEND_TASK = "campaigns.tasks.send_notification_mail"
# Longer than a slow SMTP exchange (EMAIL_TIMEOUT for each of connect, greeting, each command): a live worker
# keeps its row; a killed one's row goes back to the others after it.
LEASE = dt.timedelta(seconds=120)
SWEEP_BATCH = 500
Status = MailMessage.Status


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def _free(now: dt.datetime) -> Q:
    return Q(lease_expires_at__isnull=True) | Q(lease_expires_at__lte=now)


def _due(now: dt.datetime) -> Q:
    return Q(status=Status.PENDING) & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))


def send(message_id: int, *, deliverer: Callable[[Outgoing], Result] = deliver) -> str:
    """One attempt at one message: sent, retrying, failed, lease-lost or not-due."""
    now = timezone.now()
    owner = worker_name()
    claimed = MailMessage.objects.filter(_due(now) & _free(now), pk=message_id).update(
        lease_owner=owner, lease_expires_at=now + LEASE, attempts=F("attempts") + 1
    )
    if claimed != 1:
        return "not-due"
    message = MailMessage.objects.get(pk=message_id)
    result = deliverer(
        Outgoing(message.to, message.subject, message.body, message.message_id, dict(message.headers))
    )
    return record_result(message, owner, result, timezone.now())


def record_result(message: MailMessage, owner: str, result: Result, now: dt.datetime) -> str:
    schedule = tuple(settings.MAIL_RETRY_SCHEDULE)
    fields = {"lease_owner": "", "lease_expires_at": None, "last_error": result.error[:1000]}
    if result.outcome == Outcome.SENT:
        fields.update(status=Status.SENT, sent_at=now, next_attempt_at=None)
        word = "sent"
    elif result.outcome == Outcome.REFUSED or message.attempts >= len(schedule):
        fields.update(status=Status.FAILED, next_attempt_at=None)
        word = "failed"
    else:
        fields["next_attempt_at"] = now + dt.timedelta(seconds=schedule[message.attempts])
        word = "retrying"
    with transaction.atomic():
        if MailMessage.objects.filter(pk=message.pk, lease_owner=owner).update(**fields) != 1:
            log.warning("mail %s: lease lost before the outcome was written", message.pk)
            return "lease-lost"
    if word == "failed":
        log.error("mail %s to %s given up after %s attempts: %s", message.pk, message.to, message.attempts,
                  result.error)  # fmt: skip
    elif word == "retrying":
        log.warning("mail %s to %s not sent (%s); next try at %s", message.pk, message.to, result.error,
                    fields["next_attempt_at"])  # fmt: skip
    return word


def enqueue_send(message_id: int) -> None:
    """Ring the doorbell for one message; a broker that is down loses nothing (the sweeper finds it due)."""
    try:
        from django_q.tasks import async_task

        async_task(SEND_TASK, message_id)
    except Exception:
        log.exception("could not enqueue mail %s; the sweeper will", message_id)


def compose(user_ids: list[int], *, enqueue: Callable[[int], None] = enqueue_send) -> list[int]:
    """Compose the due mail of these people and, once written, ring for each message."""
    written = []
    for user_id in dict.fromkeys(user_ids):
        ids = compose_for(user_id)
        written += ids
        transaction.on_commit(lambda ids=ids: [enqueue(pk) for pk in ids])
    return written


def sweep(*, enqueue: Callable[[int], None] = enqueue_send, limit: int = SWEEP_BATCH) -> dict:
    """The minute's sweep: compose every person's due notifications (batches whose window has passed, mail whose
    compose task was lost), then enqueue every message that is due and free. {"composed", "enqueued"}."""
    now = timezone.now()
    people = list(
        Notification.objects.filter(mail=Notification.Mail.PENDING, mail_due_at__lte=now)
        .order_by()
        .values_list("recipient_id", flat=True)
        .distinct()[:limit]
    )
    composed = sum(len(compose_for(user_id, now=now)) for user_id in people)
    due = list(
        MailMessage.objects.filter(_due(now) & _free(now))
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    for message_id in due:
        enqueue(message_id)
    if composed or due:
        log.info("mail sweep: %s composed, %s enqueued", composed, len(due))
    return {"composed": composed, "enqueued": len(due)}


def send_again(message_ids: list[int], actor) -> int:
    """An admin sends given-up mail again (the mail server's problem was fixed), on a fresh retry schedule and
    with the same Message-ID; how many."""
    if not actor.is_staff:
        raise NotAllowed("Only admins can send mail again.")
    now = timezone.now()
    with transaction.atomic():
        again = list(MailMessage.objects.filter(pk__in=message_ids, status=Status.FAILED))
        MailMessage.objects.filter(pk__in=[m.pk for m in again], status=Status.FAILED).update(
            status=Status.PENDING, attempts=0, next_attempt_at=now, lease_owner="", lease_expires_at=None
        )
        for message in again:
            audit.record("campaigns.mail.sent_again", message, actor=actor,
                         message=f"{message.subject} to {message.to}, given up after {message.attempts} attempts "
                         f"({message.last_error[:200]})")  # fmt: skip
        transaction.on_commit(lambda: [enqueue_send(m.pk) for m in again])
    return len(again)
