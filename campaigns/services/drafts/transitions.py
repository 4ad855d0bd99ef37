"""The one way a draft changes status (ARCHITECTURE.md's state machine): `transition` runs the state-machine
guard and the caller's guard, computes the findings when asked, writes with a conditional UPDATE whose row count
is checked, and audits "campaigns.draft.<action>" with {"field": [before, after]}. `write` is its UPDATE and
audit, also used for edits that keep the status.

The activation worker moves drafts through here too (mark_activating, mark_active, mark_failed, mark_stale,
reopen_for_retry): it builds on this module, never on the workflow above it.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from campaigns import roles
from campaigns.models import Campaign, DraftStatus, ScheduleDraft
from campaigns.services import audit
from campaigns.services.drafts import guards
from campaigns.services.drafts.checks import draft_checks
from campaigns.services.errors import InvalidTransition
from campaigns.services.schedule_values import EDITABLE_FIELDS, as_json

S = DraftStatus

# Audit action suffix → the verb in messages.
VERBS = {
    "submitted": "submit", "withdrawn": "withdraw", "approved": "approve", "rejected": "reject",
    "rebased": "rebase", "marked_stale": "mark stale", "activating": "push", "activated": "activate",
    "activation_failed": "fail", "retried": "retry",
}  # fmt: skip
PURPOSE_CHANGED = "campaigns.campaign.purpose_changed"
# Fields whose before/after a status change records (besides the editable ones).
AUDITED = {"status", "base_version", "rejection_reason", "status_reason"}


def transition(draft, actor, to, action, guard, *, lock_version=None, updates=None, bump=False,
                after_commit=None, message="", checked="") -> ScheduleDraft:  # fmt: skip
    """Move `draft` (an id, or a row the caller locked) to status `to`, audited as "campaigns.draft.<action>":
    state-machine guard, the caller's `guard`, then (when `checked` names what is being done) the draft's
    findings computed now, refusing while any is blocking and stored otherwise, the audit entry naming the
    version of the calling-hours rules they were judged by; conditional UPDATE, audit, then
    `after_commit(draft)`."""
    verb = VERBS[action]

    def full_guard(d):
        guards.may_leave(d, to, verb)
        if guard:
            guard(d)

    with transaction.atomic():
        d = draft if isinstance(draft, ScheduleDraft) else guards.locked(draft)
        full_guard(d)
        updates = {**(updates or {}), "status": to}
        judged_by = {}
        if checked:
            report = draft_checks.evaluate_draft(d)
            guards.no_blocking(report.blocking, checked)
            updates["findings"] = report.as_json()
            judged_by = {"rules_version": [None, report.rules_version]}
        kw = {"lock_version": lock_version, "bump": bump, "message": message, "noted": judged_by}
        d = write(d, actor, f"campaigns.draft.{action}", updates, full_guard, **kw)
        if after_commit:
            transaction.on_commit(lambda: after_commit(d))
    return d


def write(
    d, actor, action, updates, guard, *, lock_version=None, bump=False, message="", noted=None
) -> ScheduleDraft:
    """UPDATE the row only while it still has the status and lock version the guards saw; audit the change
    (with `noted`: more {"name": [before, after]} pairs the audit entry keeps, not fields of the draft)."""
    lock_version = d.lock_version if lock_version is None else lock_version
    expected = {"pk": d.pk, "status": d.status, "lock_version": lock_version}
    audited = [f for f in updates if f in AUDITED or f in EDITABLE_FIELDS]
    before = {f: getattr(d, f) for f in audited}
    values = {**updates, "updated_at": timezone.now()}
    if bump:
        values["lock_version"] = F("lock_version") + 1
    if ScheduleDraft.objects.filter(**expected).update(**values) != 1:
        # Someone changed the row between our read and our UPDATE (where row locks are not honoured): the
        # guards, run on the row as it is now, say what happened.
        if guard:
            guard(guards.locked(d.pk))
        raise InvalidTransition(f"Draft #{d.pk} changed while you were working on it; reload it, try again.")
    d.refresh_from_db()
    changes = {f: [as_json(before[f]), as_json(getattr(d, f))] for f in audited if before[f] != getattr(d, f)}
    changes.update(noted or {})
    audit.record(action, d, actor=actor, campaign=d.campaign, message=message, changes=changes)
    return d


# ---- the activation worker's moves -------------------------------------------------------------------------


def mark_stale(draft_id, *, reason: str) -> bool:
    """For the activation worker: an approved or activating draft whose campaign changed in CXone can no
    longer be pushed. True if this call made it stale, False if it was not (or no longer) in those states."""
    with transaction.atomic():
        draft = guards.locked(draft_id)
        if draft.status not in (S.APPROVED, S.ACTIVATING):
            return False
        try:
            transition(
                draft, None, S.STALE, "marked_stale", None, updates={"status_reason": reason}, message=reason
            )
        except InvalidTransition:
            return False
    return True


def mark_activating(draft_id) -> bool:
    """For the activation worker: an approved draft is being pushed. False if it was not approved."""
    return _workertransition(draft_id, S.ACTIVATING, "activating", (S.APPROVED,), "")


def mark_active(draft_id) -> bool:
    """For the activation worker: CXone activated the draft's schedule. The campaign takes the draft's purpose
    (ours, not CXone's: which frequency limits its retry policy keeps), audited when it changes."""
    with transaction.atomic():
        if not _workertransition(draft_id, S.ACTIVE, "activated", (S.ACTIVATING,), ""):
            return False
        draft = ScheduleDraft.objects.select_related("campaign").get(pk=draft_id)
        campaign = draft.campaign
        if campaign.purpose != draft.purpose:
            change = {"purpose": [campaign.purpose, draft.purpose]}
            Campaign.objects.filter(pk=campaign.pk).update(purpose=draft.purpose)
            message = f"From draft #{draft.pk}, now live."
            audit.record(PURPOSE_CHANGED, campaign, campaign=campaign, message=message, changes=change)
    return True


def mark_failed(draft_id, *, reason: str) -> bool:
    """For the activation worker: the push or CXone's activation failed; `reason` says why, for the planner."""
    return _workertransition(draft_id, S.FAILED, "activation_failed", (S.APPROVED, S.ACTIVATING), reason)


def reopen_for_retry(draft_id, actor, *, message: str) -> ScheduleDraft:
    """For the activation service's Retry: a failed draft is activating again, to be pushed once more. Refused
    when the campaign meanwhile got another open draft (a revision, say): only one may be in flight."""
    guards.require(actor, roles.REVIEW_DRAFTS, "retry activations")
    try:
        with transaction.atomic():
            return transition(
                draft_id, actor, S.ACTIVATING, "retried", None, updates={"status_reason": ""}, message=message
            )
    except IntegrityError:
        draft = ScheduleDraft.objects.select_related("campaign").get(pk=draft_id)
        guards.refuse_if_open_draft(draft.campaign)
        raise


def _workertransition(draft_id, to, action, from_statuses, reason) -> bool:
    with transaction.atomic():
        draft = guards.locked(draft_id)
        if draft.status not in from_statuses:
            return False
        updates = {"status_reason": reason} if reason else {}
        transition(draft, None, to, action, None, updates=updates, message=reason)
    return True
