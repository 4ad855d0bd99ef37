"""Queueing: an approved draft gets its Activation row (once), and the workers are rung when that commits.

The draft workflow hands an approved draft over here, in one call on commit; a supervisor's Retry does too.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from campaigns.cxone.factory import capabilities
from campaigns.models import Activation, DraftStatus, ScheduleDraft
from campaigns.services.activation import doorbell
from campaigns.services.activation.outcomes import record


def queue(draft_id, *, retry_of: Activation | None = None, actor=None) -> Activation | None:
    """The Activation of an approved draft (created once: a second call returns the unfinished one), its push
    enqueued once this commits, and a poller started to watch it. None when the draft is not approved (or, for
    a Retry, activating again)."""
    with transaction.atomic():
        draft = ScheduleDraft.objects.select_for_update().get(pk=draft_id)
        if draft.status != (DraftStatus.ACTIVATING if retry_of else DraftStatus.APPROVED):
            return None
        existing = draft.activations.in_flight().first()
        if existing:
            return existing
        now = timezone.now()
        base = retry_of.version_at_end if retry_of else draft.base_version
        try:
            with transaction.atomic():
                activation = Activation.objects.create(
                    draft=draft,
                    campaign_id=draft.campaign_id,
                    approved_at=now if retry_of else (draft.reviewed_at or now),
                    base_version=base,
                    retry_of=retry_of,
                    doorbell_at=now,
                )
        except IntegrityError:  # another queue() of the same draft won
            return draft.activations.in_flight().first()
        verb = f"Retry of activation #{retry_of.pk}" if retry_of else "Approved"
        what = f"version {base + 1}" if capabilities().versions_shown else "the approved schedule"
        record(activation, "queued", f"{verb}: queued to push {what} to CXone.", actor=actor)
        transaction.on_commit(lambda: _ring(activation.pk))
    return activation


def _ring(activation_id: int) -> None:
    # The push first, then the poller: with a FIFO broker the poller's task then starts right behind the first
    # push of a burst and watches every push of it land, instead of queueing behind all of them.
    doorbell.ring(activation_id)
    doorbell.start_poller(unless_running=True)
