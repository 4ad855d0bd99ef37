"""The one door for telling people of an event: a function per kind of the catalogue (catalogue.py). Each finds
the recipients, leaves out whoever caused the event, and records the notifications in the caller's transaction:

    from campaigns.services.notifications import notify

    with transaction.atomic():
        ...                                   # the event's own writes
        notify.drift_found(campaign, differences=["window 09:00-17:00 CST in CXone, 10:00-16:00 CST approved"])

Features that raise these events call them where they write the event, never after the commit: an event that
rolls back tells nobody, and one that commits always tells.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from campaigns.models import Activation, NotificationKind, ScheduleDraft, WebhookDelivery
from campaigns.services.errors import user_name
from campaigns.services.notifications import recipients as who
from campaigns.services.notifications.recording import record

K = NotificationKind


def _draft_facts(draft: ScheduleDraft, **more) -> dict:
    return {"draft": draft.pk, "campaign": draft.campaign.name, "campaign_id": draft.campaign_id, **more}


# ---- the draft workflow (services/drafts/workflow.py) -----------------------------------------------------


def draft_submitted(draft: ScheduleDraft):
    """A draft waits for approval: every supervisor but its author (mail batched, ≤ one per five minutes)."""
    people = who.without(who.supervisors(), draft.author)
    key = f"draft:{draft.pk}:submitted:{draft.submitted_at.isoformat() if draft.submitted_at else draft.lock_version}"
    facts = _draft_facts(draft, author=user_name(draft.author))
    return record(K.DRAFT_WAITING, people, key=key, facts=facts, at=draft.submitted_at, campaign=draft.campaign,
                  draft=draft)  # fmt: skip


def draft_approved(draft: ScheduleDraft):
    """Its author hears that a supervisor approved it (the approver is the one who did)."""
    people = who.without(who.author_and_approver(draft), draft.approver)
    facts = _draft_facts(draft, actor=user_name(draft.approver))
    return record(K.DRAFT_APPROVED, people, key=f"draft:{draft.pk}:approved", facts=facts, at=draft.reviewed_at,
                  campaign=draft.campaign, draft=draft)  # fmt: skip


def draft_rejected(draft: ScheduleDraft):
    """Its author hears why a supervisor rejected it."""
    people = who.without(who.author_and_approver(draft), draft.approver)
    facts = _draft_facts(draft, actor=user_name(draft.approver), reason=draft.rejection_reason)
    return record(K.DRAFT_REJECTED, people, key=f"draft:{draft.pk}:rejected", facts=facts, at=draft.reviewed_at,
                  campaign=draft.campaign, draft=draft)  # fmt: skip


# ---- activation (services/activation/outcomes.py) ---------------------------------------------------------

ACTIVATION_KINDS = {
    Activation.Step.ACTIVE: K.WENT_LIVE,
    Activation.Step.FAILED: K.ACTIVATION_FAILED,
    Activation.Step.STALE: K.ACTIVATION_STALE,
}


def activation_finished(activation: Activation, reason: str = ""):
    """An activation ended (went live, failed or stale): the draft's author and approver hear of it."""
    kind = ACTIVATION_KINDS[activation.step]
    draft = activation.draft
    facts = _draft_facts(draft, activation=activation.pk, reason=reason, latency_ms=activation.latency_ms)
    return record(kind, who.author_and_approver(draft), key=f"activation:{activation.pk}:{activation.step}",
                  facts=facts, campaign=activation.campaign, draft=draft)  # fmt: skip


# ---- the WFM outbox (services/webhooks/outbox.py) ---------------------------------------------------------


def webhook_dead(delivery: WebhookDelivery):
    """A WFM delivery was dead-lettered: the admins (mail batched, ≤ one per five minutes)."""
    campaign = delivery.activation.campaign if delivery.activation_id else None
    answer = f"HTTP {delivery.last_status_code}" if delivery.last_status_code else (delivery.last_error or "")
    facts = {
        "delivery": delivery.pk,
        "event_type": delivery.event_type,
        "campaign": campaign.name if campaign else "",
        "campaign_id": campaign.pk if campaign else None,
        "attempts": delivery.attempts,
        "last_answer": answer[:300],
    }
    key = f"webhook:{delivery.pk}:dead:{delivery.redeliveries}"
    return record(K.WEBHOOK_DEAD, who.admins(), key=key, facts=facts, campaign=campaign)


def webhook_endpoint_gone(url: str, answer: str, at: dt.datetime):
    """The WFM endpoint answered 410 Gone: the admins, once each time it is flagged."""
    facts = {"url": url, "answer": answer[:300]}
    return record(K.WEBHOOK_GONE, who.admins(), key=f"endpoint:{url}:gone:{at.isoformat()}", facts=facts, at=at)


# ---- for the features that raise these events (dialling control, drift detection) -------------------------


def dialling_stopped(campaigns: Iterable, *, reason: str, by=None, at: dt.datetime | None = None,
                     key: str | None = None, link: str | None = None):  # fmt: skip
    """Dialling was stopped on `campaigns` (Campaign rows), by `by` (a user; None for the system) for `reason`:
    the supervisors and admins but `by`. `key` names the stop (its id); `link` is the page that shows it."""
    stopped = list(campaigns)
    facts = {"campaigns": [c.name for c in stopped], "reason": reason, "actor": user_name(by) if by else "",
             "link": link or ""}  # fmt: skip
    with transaction.atomic():
        people = who.without(who.supervisors_and_admins(), by)
        key = key or f"{','.join(str(c.pk) for c in stopped)}:{(at or timezone.now()).isoformat()}"
        campaign = stopped[0] if len(stopped) == 1 else None
        return record(K.DIALLING_STOPPED, people, key=f"dialling:{key}", facts=facts, at=at, campaign=campaign)


def control_alarm(what: str, *, campaign=None, detail: str = "", at: dt.datetime | None = None,
                  key: str | None = None, link: str | None = None):  # fmt: skip
    """A control alarm (`what`, in words; `detail` says more), on `campaign` if it is about one: the supervisors
    and admins. `key` names the alarm, so that raising it again tells nobody twice."""
    facts = {
        "what": what,
        "detail": detail,
        "link": link or "",
        "campaign": campaign.name if campaign else "",
        "campaign_id": campaign.pk if campaign else None,
    }
    with transaction.atomic():
        key = key or f"{what}:{campaign.pk if campaign else ''}:{(at or timezone.now()).isoformat()}"
        return record(K.CONTROL_ALARM, who.supervisors_and_admins(), key=f"alarm:{key}", facts=facts, at=at,
                      campaign=campaign)  # fmt: skip


def drift_found(campaign, *, differences: Iterable[str], at: dt.datetime | None = None, key: str | None = None):
    """CXone's schedule of `campaign` differs from the approved one (`differences`, each in words): the
    campaign's planners (whoever wrote one of its drafts and may still edit drafts)."""
    facts = {"campaign": campaign.name, "campaign_id": campaign.pk, "differences": [str(d) for d in differences]}
    with transaction.atomic():
        key = key or f"{campaign.pk}:{(at or timezone.now()).isoformat()}"
        return record(K.DRIFT_FOUND, who.campaign_planners(campaign), key=f"drift:{key}", facts=facts, at=at,
                      campaign=campaign)  # fmt: skip
