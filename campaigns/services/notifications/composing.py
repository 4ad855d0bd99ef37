"""From notifications to mail: a worker turns a person's due notifications into MailMessage rows (the outbox the
sender works from), in one transaction that takes them with a conditional UPDATE, so two workers composing at
once never put one notification in two mails.

One mail per notification, except the batched kinds (catalogue.Kind.batched): those wait until BATCH_WINDOW has
passed since the person's last mail of that kind and then go as one mail listing them all. A draft that is no
longer waiting by then is left out (dropped): the supervisor need not hear of work someone else has done.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from email.utils import parseaddr

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import make_msgid
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from campaigns.models import DraftStatus, MailMessage, Notification, NotificationKind, NotificationSettings
from campaigns.scheduling import zone_or_utc
from campaigns.services.errors import user_name
from campaigns.services.notifications.catalogue import BATCH_WINDOW, CATALOGUE
from campaigns.services.notifications.preferences import unsubscribe_token
from campaigns.services.notifications.words import say

Mail = Notification.Mail


class Overtaken(Exception):
    """Another worker composed some of these notifications meanwhile; this one's transaction rolls back."""


def compose_for(user_id: int, *, now: dt.datetime | None = None) -> list[int]:
    """Compose the due mail of one person; the ids of the messages written (to be sent once this commits)."""
    now = now or timezone.now()
    try:
        with transaction.atomic():
            # The person's settings row is the lock: one composer per person at a time, so a batch's window
            # is measured from a mail that has really been written.
            choices = NotificationSettings.objects.select_for_update().get_or_create(user_id=user_id)[0]
            user = get_user_model().objects.get(pk=user_id)
            due = list(
                Notification.objects.filter(recipient_id=user_id, mail=Mail.PENDING, mail_due_at__lte=now)
                .select_related("draft")
                .order_by("created_at", "pk")
            )
            if not due:
                return []
            return _compose(user, choices, due, now)
    except Overtaken:
        return []


def _compose(user, choices: NotificationSettings, due: list[Notification], now: dt.datetime) -> list[int]:
    unwanted = [n for n in due if not user.email or not user.is_active or n.kind in choices.mail_off]
    _set(unwanted, mail=Mail.OFF, mail_due_at=None)
    dealt_with = [n for n in due if n not in unwanted and not still_relevant(n)]
    _set(dealt_with, mail=Mail.DROPPED, mail_due_at=None)
    kept = [n for n in due if n not in unwanted and n not in dealt_with]
    by_kind: dict[str, list[Notification]] = defaultdict(list)
    for n in kept:
        by_kind[n.kind].append(n)
    zone = zone_or_utc(choices.zone)
    written = []
    for kind, items in by_kind.items():
        if CATALOGUE[kind].batched:
            last = (
                MailMessage.objects.filter(recipient=user, kind=kind, created_at__gt=now - BATCH_WINDOW)
                .order_by("-created_at")
                .values_list("created_at", flat=True)
                .first()
            )
            if last is not None:  # too soon after the last one: they go together when the window has passed
                _set(items, mail_due_at=last + BATCH_WINDOW)
                continue
            groups = [items]
        else:
            groups = [[n] for n in items]
        for group in groups:
            message = _message(user, kind, group, zone, now)
            _take(group, message)
            written.append(message.pk)
    return written


def still_relevant(n: Notification) -> bool:
    if n.kind == NotificationKind.DRAFT_WAITING:
        return n.draft is not None and n.draft.status == DraftStatus.SUBMITTED
    return True


def _set(items: list[Notification], **fields) -> None:
    if items:
        Notification.objects.filter(pk__in=[n.pk for n in items], mail=Mail.PENDING).update(**fields)


def _take(group: list[Notification], message: MailMessage) -> None:
    ids = [n.pk for n in group]
    taken = Notification.objects.filter(pk__in=ids, mail=Mail.PENDING, message__isnull=True).update(
        mail=Mail.QUEUED, message=message, mail_due_at=None
    )
    if taken != len(ids):
        raise Overtaken


def _domain() -> str:
    """The Message-ID's right-hand side: the sender's domain, which is ours to make ids in."""
    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    return address.rpartition("@")[2] or "planner.invalid"


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _message(user, kind: str, group: list[Notification], zone, now: dt.datetime) -> MailMessage:
    said = [say(n.kind, n.facts, zone) for n in group]
    unsubscribe = absolute(reverse("notification-unsubscribe", args=[unsubscribe_token(user.pk, kind)]))
    label = CATALOGUE[kind].label
    if len(group) == 1:
        subject = said[0].headline
        lines = [f"{said[0].headline}.", "", said[0].detail, "", f"{said[0].link_words}: {absolute(said[0].link)}"]
    else:
        subject = f"{len(group)} notifications: {label}"
        lines = [f"{label}: {len(group)} since the last mail.", ""]
        for s in said:
            lines += [f"- {s.headline}.", f"  {s.detail}", f"  {s.link_words}: {absolute(s.link)}", ""]
    lines = [f"Hello {user_name(user)},", "", *lines]
    lines += [
        "",
        "-- ",
        f'You get this mail because "{label}" is on in your notification choices.',
        f"Stop these mails (one click): {unsubscribe}",
        f"Choose what you get: {absolute(reverse('notifications'))}",
    ]
    return MailMessage.objects.create(
        recipient=user,
        kind=kind,
        to=user.email,
        subject=subject[:300],
        body="\n".join(lines).replace("\n\n\n", "\n\n"),
        headers={"List-Unsubscribe": f"<{unsubscribe}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                 "Auto-Submitted": "auto-generated"},  # fmt: skip
        message_id=make_msgid(domain=_domain()),
        next_attempt_at=now,
        created_at=now,
    )
