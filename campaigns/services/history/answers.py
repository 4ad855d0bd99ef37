"""The answers to a change found in CXone, and a draft from any version of a campaign.

    keep_cxone(drift, actor, seen_id)   supervisors: CXone's version becomes the one the campaign is held to
                                        (a version "kept from CXone", with who decided)
    restore_approved(drift, actor)      planners and supervisors: a draft with the values of the version the
                                        campaign is held to, through approval and push like any other
    revise_from_version(version, actor) planners: a draft with any version's values (a rollback is a draft)

Each: permission → transaction.atomic → lock the drift → guards → write → audit. The `*_refusal` functions say
whether a user may answer with the very guards the answers run, so a page never re-implements them.

A drift can be answered while open, and again when the draft of a restore closed without going live (rejected,
failed or stale): CXone still runs its change then, and the question stands.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from campaigns import roles
from campaigns.cxone.factory import capabilities
from campaigns.models import CampaignVersion, DraftStatus, Drift, ScheduleDraft
from campaigns.services import audit
from campaigns.services.drafts import workflow
from campaigns.services.errors import InvalidTransition, NotAllowed, WorkflowError, when
from campaigns.services.history import values, words

KEPT = "campaigns.drift.kept"
RESTORE_STARTED = "campaigns.drift.restore_started"
STARTED_FROM_VERSION = "campaigns.draft.started_from_version"
START_DRAFTS = "campaigns.add_scheduledraft"
RESTORE_WENT_NOWHERE = (DraftStatus.REJECTED, DraftStatus.FAILED, DraftStatus.STALE)


class ChangedAgain(WorkflowError):
    """CXone changed the campaign again after the page showed the change being answered."""


def answerable(drift: Drift) -> bool:
    """Open, or answered with a restore whose draft closed without going live."""
    if drift.is_open:
        return True
    draft = drift.restore_draft
    return (
        drift.answer == Drift.Answer.RESTORING and draft is not None and draft.status in RESTORE_WENT_NOWHERE
    )


def keep_refusal(drift: Drift, user) -> str | None:
    try:
        _keep_guards(drift, user)
    except WorkflowError as exc:
        return exc.message
    return None


def restore_refusal(drift: Drift, user) -> str | None:
    try:
        _restore_guards(drift, user)
    except WorkflowError as exc:
        return exc.message
    return None


def keep_cxone(drift_id: int, actor, *, seen_id: int) -> Drift:
    """Record what CXone runs as the campaign's current version, exactly as the supervisor saw it (`seen_id`:
    the seen version the page showed; CXone may have changed again since)."""
    with transaction.atomic():
        drift = _locked(drift_id)
        _keep_guards(drift, actor)
        if drift.seen_id != seen_id:
            raise ChangedAgain(
                f"CXone changed {drift.campaign.name} again after you opened the page. Look at what it runs now, "
                "then choose again."
            )
        now = timezone.now()
        kept = CampaignVersion.objects.create(
            campaign=drift.campaign, source=CampaignVersion.Source.KEPT_FROM_CXONE, decided_by=actor,
            recorded_at=now, **values.version_fields(values.of_version(drift.seen)),
        )  # fmt: skip
        _answer(drift, Drift.Answer.KEPT, actor, now, kept=kept)
        said = words.summary(values.of_version(kept))
        message = f"Kept CXone's version as {drift.campaign.name}'s current one: {said}."
        audit.record(KEPT, drift, actor=actor, campaign=drift.campaign, message=message)
    return drift


def restore_approved(drift_id: int, actor) -> ScheduleDraft:
    """A draft of the campaign with the values of the version it is held to, on CXone's current version: it goes
    through approval (four-eyes) and is pushed like any other. OpenDraftExists when a draft is open already."""
    with transaction.atomic():
        drift = _locked(drift_id)
        _restore_guards(drift, actor)
        draft = workflow.start_draft(
            drift.campaign, actor, **values.draft_fields(values.of_version(drift.reference))
        )
        _answer(drift, Drift.Answer.RESTORING, actor, timezone.now(), restore_draft=draft)
        held = words.source(drift.reference, versions_shown=capabilities().versions_shown)
        message = f"Restore approved: draft #{draft.pk} has the values of the version held ({held})."
        audit.record(RESTORE_STARTED, drift, actor=actor, campaign=drift.campaign, message=message)
    return draft


def revise_from_version(version_id: int, actor) -> ScheduleDraft:
    """A new draft of the version's campaign with the version's values (a rollback is a draft like any other)."""
    workflow_allows(actor, "start a draft from a version")
    with transaction.atomic():
        version = CampaignVersion.objects.select_related("campaign").get(pk=version_id)
        if not version.has_schedule:
            raise InvalidTransition(
                f"The version of {when(version.recorded_at)} has no schedule to start a draft from."
            )
        draft = workflow.start_draft(
            version.campaign, actor, **values.draft_fields(values.of_version(version))
        )
        source = words.source(version, versions_shown=capabilities().versions_shown)
        message = f"Draft #{draft.pk} starts from the version of {when(version.recorded_at)} ({source})."
        audit.record(STARTED_FROM_VERSION, draft, actor=actor, campaign=version.campaign, message=message)
    return draft


def workflow_allows(user, doing: str) -> None:
    if not user.has_perm(START_DRAFTS):
        raise NotAllowed(f"Your role does not allow you to {doing}; ask an administrator if you need to.")


# ---- guards -----------------------------------------------------------------------------------------------------


def _locked(drift_id: int) -> Drift:
    drift = Drift.objects.select_for_update().get(pk=drift_id)
    # Relations load after the lock, in statements that see what committed before it.
    return Drift.objects.select_related("campaign", "seen", "reference", "restore_draft").get(pk=drift.pk)


def _still_a_question(drift: Drift) -> None:
    if answerable(drift):
        return
    if drift.answer == Drift.Answer.RESTORING:
        raise InvalidTransition(
            f"A restore of {drift.campaign.name} is under way (draft #{drift.restore_draft_id}); it goes live once "
            "approved, or closes, and then you can answer again."
        )
    who = f" by {drift.answered_by.get_username()}" if drift.answered_by_id else ""
    raise InvalidTransition(
        f"This change was already answered{who} at {when(drift.answered_at)}: {drift.get_answer_display()}."
    )


def _keep_guards(drift: Drift, user) -> None:
    if not user.has_perm(roles.REVIEW_DRAFTS):
        raise NotAllowed(
            "Only a supervisor can keep CXone's version: it changes what the campaign is held to."
        )
    _still_a_question(drift)


def _restore_guards(drift: Drift, user) -> None:
    workflow_allows(user, "restore the approved version")
    _still_a_question(drift)
    if drift.campaign.is_missing:
        raise InvalidTransition(f"{drift.campaign.name} is no longer in CXone: there is nothing to restore.")
    if not drift.reference.has_schedule:
        raise InvalidTransition("The version the campaign is held to has no schedule to restore.")
    if not set(drift.changed) & set(values.DRAFTABLE):
        raise InvalidTransition(
            f"Only the {words.aspects(drift.changed)} changed, which a draft cannot carry back to CXone: change it "
            "back in CXone, or keep CXone's."
        )


def _answer(drift: Drift, answer: str, actor, now, **links) -> None:
    Drift.objects.filter(pk=drift.pk).update(answer=answer, answered_at=now, answered_by=actor, **links)
    drift.refresh_from_db()
