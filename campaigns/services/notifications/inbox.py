"""The notifications page's side: a person's notifications in words (unread first), the unread count of the top
bar, and marking them read."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from campaigns.models import Notification
from campaigns.services.notifications.catalogue import CATALOGUE
from campaigns.services.notifications.words import Said, say

KEEP_READ_FOR = dt.timedelta(days=30)  # older read ones are history: the audit trail has it all
LIMIT = 100


@dataclass
class Line:
    pk: int
    kind: str
    kind_label: str
    said: Said
    at: dt.datetime
    unread: bool
    mailed: str  # "", "to be mailed", "mailed", "mail given up": what became of its mail


def unread_count(user) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def lines(user, zone, *, now: dt.datetime | None = None, limit: int = LIMIT) -> tuple[list[Line], list[Line]]:
    """(unread, read): every unread one, newest first, and the read ones of the last 30 days."""
    now = now or timezone.now()
    mine = Notification.objects.filter(recipient=user).select_related("message")
    unread = mine.filter(read_at__isnull=True).order_by("-created_at", "-pk")[:limit]
    read = mine.filter(read_at__isnull=False, created_at__gte=now - KEEP_READ_FOR).order_by("-created_at", "-pk")
    return [_line(n, zone) for n in unread], [_line(n, zone) for n in read[:limit]]


def _line(n: Notification, zone) -> Line:
    if n.mail == Notification.Mail.QUEUED and n.message:
        mailed = {"sent": "mailed", "failed": "mail given up"}.get(n.message.status, "to be mailed")
    else:
        mailed = "to be mailed" if n.mail == Notification.Mail.PENDING else ""
    label = CATALOGUE[n.kind].label if n.kind in CATALOGUE else n.kind
    return Line(n.pk, n.kind, label, say(n.kind, n.facts, zone), n.created_at, n.read_at is None, mailed)


def mark_read(user, ids: list[int] | None = None, *, now: dt.datetime | None = None) -> int:
    """Mark `user`'s notifications read (`ids`, or all of them); how many were unread."""
    rows = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        rows = rows.filter(pk__in=ids)
    return rows.update(read_at=now or timezone.now())
