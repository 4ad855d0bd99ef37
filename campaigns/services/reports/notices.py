"""What happened to my drafts: the author's notifications on their landing page, until they dismiss them.

A notification is an audit entry someone else wrote about one of the user's drafts (approved, rejected with the
reason; activations once that pipeline writes its entries), so nothing is stored twice and nothing can be
missed: only the dismissal is a row of its own.

An approval reads as the draft's outcome now, in one line: "approved, live in CXone", "approved, going live"
(with the push's live step), or "approved, not live: CXone changed the campaign (stale)" — never a green
"approved" above a separate line that says it did not go live.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import CharField
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Activation, AuditEntry, DraftStatus, NoticeDismissal, ScheduleDraft
from campaigns.services.errors import user_name

# The audit actions an author is told about, and how each one reads. The activation pipeline adds its own
# ("campaigns.activation.active": "{who} … is live in CXone") here when it lands.
NOTIFY_ACTIONS = {
    "campaigns.draft.approved": ("ok", "{who} approved draft #{draft} of {campaign}."),
    "campaigns.draft.rejected": ("bad", "{who} rejected draft #{draft} of {campaign}."),
}
APPROVED = "campaigns.draft.approved"
# An approved draft's status now → (kind, the outcome that ends the approval's sentence).
APPROVAL_OUTCOMES = {
    DraftStatus.APPROVED: ("busy", ", going live in CXone."),
    DraftStatus.ACTIVATING: ("busy", ", going live in CXone."),
    DraftStatus.ACTIVE: ("ok", ", live in CXone."),
    DraftStatus.FAILED: ("bad", ", not live: the push to CXone failed."),
    DraftStatus.STALE: ("bad", ", not live: CXone changed the campaign (stale)."),
}
KEEP_FOR = dt.timedelta(days=30)  # older news is in the audit trail, not on the landing page
LIMIT = 10


@dataclass
class Notice:
    entry_id: int
    kind: str  # "ok" | "busy" | "bad" (a colour and an icon, always with words)
    text: str
    reason: str
    when: dt.datetime
    draft_id: int
    draft_url: str
    can_revise: bool  # the draft is still rejected, failed or stale: Revise is the next step
    activation: Activation | None = None  # the push of an approved draft still going live, to show its step


def for_user(user, *, now: dt.datetime | None = None, limit: int = LIMIT) -> list[Notice]:
    """The user's undismissed notifications of the last 30 days, newest first."""
    if not user.is_authenticated:
        return []
    now = now or timezone.now()
    my_draft_ids = (
        ScheduleDraft.objects.filter(author=user).annotate(key=Cast("pk", CharField())).values("key")
    )
    entries = list(
        AuditEntry.objects.filter(
            action__in=list(NOTIFY_ACTIONS),
            object_type="scheduledraft",
            object_id__in=my_draft_ids,
            created_at__gte=now - KEEP_FOR,
        )
        .exclude(actor=user)  # one's own doings are no news
        .exclude(dismissals__user=user)
        .select_related("actor", "campaign")
        .order_by("-created_at", "-pk")[:limit]
    )
    draft_ids = [int(e.object_id) for e in entries]
    drafts = {
        pk: (status, reason)
        for pk, status, reason in ScheduleDraft.objects.filter(pk__in=draft_ids).values_list(
            "pk", "status", "status_reason"
        )
    }
    pushes = _latest_pushes(draft_ids)
    revisable = {DraftStatus.REJECTED, DraftStatus.FAILED, DraftStatus.STALE}
    notices = []
    for e in entries:
        kind, template = NOTIFY_ACTIONS[e.action]
        draft_id = int(e.object_id)
        status, status_reason = drafts.get(draft_id, ("", ""))
        campaign = e.campaign.name if e.campaign else "a campaign"
        text = template.format(who=user_name(e.actor), draft=draft_id, campaign=campaign)
        reason = e.message if e.action == "campaigns.draft.rejected" else ""
        activation = None
        if e.action == APPROVED and status in APPROVAL_OUTCOMES:
            kind, outcome = APPROVAL_OUTCOMES[status]
            text = text.removesuffix(".") + outcome
            reason = status_reason if kind == "bad" else ""
            activation = pushes.get(draft_id) if kind == "busy" else None
        notices.append(
            Notice(
                entry_id=e.pk,
                kind=kind,
                text=text,
                reason=reason,
                when=e.created_at,
                draft_id=draft_id,
                draft_url=reverse("draft-editor", args=[draft_id]),
                can_revise=status in revisable,
                activation=activation,
            )
        )
    return notices


def _latest_pushes(draft_ids: list[int]) -> dict[int, Activation]:
    latest: dict[int, Activation] = {}
    for activation in (
        Activation.objects.filter(draft_id__in=draft_ids).select_related("campaign").order_by("created_at", "pk")
    ):
        latest[activation.draft_id] = activation
    return latest


def dismiss(user, entry_id: int) -> bool:
    """Put one notification away for `user`; True if this call did (dismissing twice is harmless)."""
    try:
        with transaction.atomic():
            NoticeDismissal.objects.create(user=user, entry_id=entry_id)
    except IntegrityError:
        return False
    return True
