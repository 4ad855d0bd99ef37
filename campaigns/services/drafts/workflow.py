"""Draft workflow: the only code that changes a ScheduleDraft (ARCHITECTURE.md's state machine).

Each change: permission → transaction.atomic → lock the row → guards → conditional UPDATE, row count checked →
audit "campaigns.draft.<what>" with changes {"field": [before, after]} → side effects on commit. Every status
change passes through `transitions.transition`, so the state-machine guard and the audit are written once.

Who: start, edit and rebase — anyone with the add/change permission (a draft is shared work; `lock_version`
refuses the second of two concurrent saves with both versions). Submit and withdraw — the author only. Approve
and reject — a reviewer who neither wrote nor edited the draft (four-eyes; edits are read from the audit
trail), and only the draft exactly as the reviewer saw it (`seen_lock_version`). `approval_refusal` says
whether a user may approve a draft with the very guards `approve` runs, so a page never re-implements them.

Findings: submit and approve compute the draft's findings themselves (draft_checks.evaluate_draft, on the row
they locked), store them and refuse while any is blocking. No caller can hand a service a verdict.
"""

from __future__ import annotations

import logging

from django.db import IntegrityError, transaction
from django.utils import timezone

from campaigns import roles
from campaigns.cxone.factory import capabilities
from campaigns.models import AuditEntry, DraftStatus, ScheduleDraft
from campaigns.services import audit
from campaigns.services.activation.queueing import queue as queue_activation
from campaigns.services.drafts import guards
from campaigns.services.drafts.checks import draft_checks
from campaigns.services.drafts.revision import revise_draft
from campaigns.services.drafts.transitions import transition, write
from campaigns.services.errors import (  # noqa: F401 (re-exported: views catch workflow.<Error>)
    BlockingFindings,
    DraftChanged,
    EditConflict,
    InvalidInput,
    InvalidTransition,
    NotAllowed,
    NothingChanged,
    OpenDraftExists,
    StaleDraft,
    WorkflowError,
    check_known,
    check_values,
    status_message,
    user_name,
    when,
)
from campaigns.services.notifications import notify
from campaigns.services.schedule_values import (  # noqa: F401 (re-exported for callers of workflow)
    EDITABLE_FIELDS,
    RETRY_KEYS,
    as_json,
    campaign_schedule,
    schedule_snapshot,
)

log = logging.getLogger(__name__)
S = DraftStatus

EDITED, REBASED = guards.EDITED, guards.REBASED


def start_draft(campaign, author, **fields) -> ScheduleDraft:
    """A new draft of `campaign`'s schedule; fields not given start from the campaign's current schedule."""
    guards.require(author, "campaigns.add_scheduledraft", "start a draft")
    check_known(fields, EDITABLE_FIELDS)
    guards.campaign_exists(campaign, "start a draft for it")
    values = {**campaign_schedule(campaign), **fields}
    check_values(values)
    guards.refuse_if_open_draft(campaign)
    try:
        with transaction.atomic():
            draft = ScheduleDraft.objects.create(
                campaign=campaign,
                author=author,
                base_version=campaign.remote_version,
                base_snapshot=schedule_snapshot(campaign),
                **values,
            )
            changes = {"status": [None, S.DRAFT.value], **{f: [None, as_json(v)] for f, v in values.items()}}
            audit.record("campaigns.draft.created", draft, actor=author, campaign=campaign, changes=changes)
    except IntegrityError:
        guards.refuse_if_open_draft(campaign)  # lost the race against another start_draft of the same campaign
        raise
    return draft


def save_draft(draft_id, editor, *, lock_version: int, fields: dict):
    """Save `fields` if nobody saved since `lock_version`, bumping it. A save that changes no field writes
    nothing. Findings are not saved here: submit and approve compute and store them."""
    guards.require(editor, roles.EDIT_DRAFTS, "edit drafts")
    check_known(fields, EDITABLE_FIELDS)
    mine = dict(fields)

    def guard(d):
        if d.status != S.DRAFT:
            raise InvalidTransition(status_message(d, "edit"))
        if d.lock_version != lock_version:
            raise EditConflict(
                f"{guards.last_editor(d, editor)} saved this draft after you opened it. Nothing was overwritten "
                "and your changes are not saved yet: compare your values with the saved ones, then save.",
                mine=mine,
                theirs={f: getattr(d, f) for f in EDITABLE_FIELDS},
                current_lock_version=d.lock_version,
            )

    with transaction.atomic():
        draft = guards.locked(draft_id)
        guard(draft)
        changed = {f: v for f, v in mine.items() if getattr(draft, f) != v}
        if not changed:
            return draft
        check_values({**{f: getattr(draft, f) for f in EDITABLE_FIELDS}, **changed})
        return write(draft, editor, EDITED, changed, guard, lock_version=lock_version, bump=True)


def submit(draft_id, actor, *, lock_version: int) -> ScheduleDraft:
    """Send the author's draft, as saved at `lock_version`, for review. Its findings are computed here, on the
    draft as saved, stored with it, and refuse the submission while any is blocking."""
    guards.require(actor, "campaigns.submit_scheduledraft", "submit drafts")

    def guard(d):
        guards.author_only(d, actor, "submit")
        guards.unchanged_since(d, actor, lock_version, "submit it")
        guards.up_to_date(d, "submit")
        guards.changes_something(d)

    updates = {"submitted_at": timezone.now()}
    with transaction.atomic():  # the supervisors' notifications commit with the submission, or neither does
        draft = transition(
            draft_id, actor, S.SUBMITTED, "submitted", guard, lock_version=lock_version, updates=updates,
            checked="submitting",
        )  # fmt: skip
        notify.draft_submitted(draft)
    return draft


def submission_refusal(draft, user) -> str | None:
    """Why `user` may not submit `draft`, or None when the guards `submit` runs first (role, status, author) let
    them; the findings and the version are checked when they do."""
    try:
        guards.require(user, "campaigns.submit_scheduledraft", "submit drafts")
        guards.may_leave(draft, S.SUBMITTED, "submit")
        guards.author_only(draft, user, "submit")
    except WorkflowError as exc:
        return exc.message
    return None


def withdraw(draft_id, actor) -> ScheduleDraft:
    """Take the author's submitted draft back out of review, to edit it again."""
    guards.require(actor, "campaigns.submit_scheduledraft", "withdraw drafts")
    guard = lambda d: guards.author_only(d, actor, "withdraw")  # noqa: E731
    return transition(draft_id, actor, S.DRAFT, "withdrawn", guard, updates={"submitted_at": None})


def approve(draft_id, actor, *, seen_lock_version: int) -> ScheduleDraft:
    """Approve the submitted draft exactly as the reviewer saw it; exactly once, however many tabs click.

    The findings are computed again now (the world moves on after submission: a DNC list goes inactive, a rule
    takes effect), stored with the approval, and refuse it while any is blocking."""
    guards.require(actor, roles.REVIEW_DRAFTS, "approve drafts")

    def guard(d):
        _approval_guards(d, actor)
        guards.unchanged_since(d, actor, seen_lock_version, "approve it")

    updates = {"approver": actor, "reviewed_at": timezone.now()}
    with transaction.atomic():
        draft = transition(
            draft_id, actor, S.APPROVED, "approved", guard, lock_version=seen_lock_version, updates=updates,
            after_commit=_after_approval, checked="approving",
        )  # fmt: skip
        notify.draft_approved(draft)
    return draft


def approval_refusal(
    draft,
    user,
    *,
    report: draft_checks.Report | None = None,
    edited: bool | None = None,
    unanswered: dict | None = None,
) -> str | None:
    """Why `user` may not approve `draft` as it is now, or None when they may: the guards `approve` runs (role,
    status, four-eyes, up to date with CXone, no change made in CXone unanswered) and, given the draft's
    `report` (draft_checks.evaluate_draft), its blocking findings. Pages ask this instead of re-implementing a
    rule. A page listing many drafts passes `edited` (is the draft among `drafts_edited_by(user, ...)`) and
    `unanswered` (guards.unanswered_changes of their campaigns) to spare queries per draft."""
    try:
        guards.require(user, roles.REVIEW_DRAFTS, "approve drafts")
        _approval_guards(draft, user, edited=edited, unanswered=unanswered)
        if report is not None:
            guards.no_blocking(report.blocking, "approving")
    except WorkflowError as exc:
        return exc.message
    return None


def rejection_refusal(draft, user, *, edited: bool | None = None) -> str | None:
    """Why `user` may not reject `draft`, or None when they may (the guards `reject` runs)."""
    try:
        guards.require(user, roles.REVIEW_DRAFTS, "reject drafts")
        guards.may_leave(draft, S.REJECTED, "reject")
        guards.four_eyes(draft, user, "reject", edited=edited)
    except WorkflowError as exc:
        return exc.message
    return None


def drafts_edited_by(user, drafts) -> set[int]:
    """The ids of those of `drafts` that `user` edited (one query; for approval_refusal's `edited`)."""
    ids = [str(d.pk) for d in drafts]
    found = AuditEntry.objects.filter(
        object_type="scheduledraft", object_id__in=ids, action=EDITED, actor=user
    ).values_list("object_id", flat=True)
    return {int(object_id) for object_id in found}


def unanswered_changes(drafts) -> dict:
    """The changes made in CXone no supervisor has answered yet, of the campaigns of `drafts`, by campaign id
    (one query; for approval_refusal's `unanswered`)."""
    return guards.unanswered_changes({d.campaign_id for d in drafts})


def _approval_guards(d, actor, *, edited: bool | None = None, unanswered: dict | None = None) -> None:
    guards.may_leave(d, S.APPROVED, "approve")
    guards.four_eyes(d, actor, "approve", edited=edited)
    guards.up_to_date(d, "approve")
    guards.no_unanswered_change(d, "approve", unanswered=unanswered)


def reject(draft_id, actor, *, seen_lock_version: int, reason: str) -> ScheduleDraft:
    """Close the submitted draft with the reason the planner needs to write a better one."""
    guards.require(actor, roles.REVIEW_DRAFTS, "reject drafts")
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("reason", "Give a reason for rejecting, so the planner knows what to change.")

    def guard(d):
        guards.four_eyes(d, actor, "reject")
        guards.unchanged_since(d, actor, seen_lock_version, "reject it")

    updates = {"approver": actor, "reviewed_at": timezone.now(), "rejection_reason": reason}
    with transaction.atomic():
        draft = transition(
            draft_id, actor, S.REJECTED, "rejected", guard, lock_version=seen_lock_version, updates=updates,
            message=reason,
        )  # fmt: skip
        notify.draft_rejected(draft)
    return draft


def rebase(draft_id, actor) -> dict:
    """Move a draft that fell behind CXone onto the campaign's current version; a submitted one goes back to
    draft, to be reviewed again. Returns {"from_version", "to_version", "remote_changes": {field: [value at
    base_version, CXone's value now]}}: what CXone changed since the draft was started or last rebased."""
    guards.require(actor, roles.EDIT_DRAFTS, "rebase drafts")
    with transaction.atomic():
        draft = guards.locked(draft_id)
        campaign = draft.campaign
        if draft.status not in (S.DRAFT, S.SUBMITTED):
            raise InvalidTransition(status_message(draft, "rebase"))
        if not draft.is_behind_remote:
            current = f" ({campaign.remote_version})" if capabilities().versions_shown else ""
            raise InvalidTransition(
                f"Draft #{draft.pk} is already based on {campaign.name}'s current CXone version{current}; there "
                "is nothing to rebase."
            )
        remote = schedule_snapshot(campaign)
        base = draft.base_snapshot
        changes = {
            f: [base.get(f), remote.get(f)]
            for f in sorted(set(base) | set(remote))
            if base.get(f) != remote.get(f)
        }
        result = {
            "from_version": draft.base_version,
            "to_version": campaign.remote_version,
            "remote_changes": changes,
        }
        updates = {"base_version": campaign.remote_version, "base_snapshot": remote, "behind_remote_since": None}
        if draft.status == S.SUBMITTED:
            updates["submitted_at"] = None
            transition(draft, actor, S.DRAFT, "rebased", None, updates=updates, bump=True)
        else:
            write(draft, actor, REBASED, updates, None, bump=True)
    return result


def revise(draft_id, actor) -> ScheduleDraft:
    """A new draft from a rejected, failed or stale draft's values (drafts/revision.py says how)."""
    return revise_draft(draft_id, actor)


def _after_approval(draft) -> None:
    """Runs once an approval is committed: the activation pipeline takes over (an Activation row, then its push
    enqueued by id after that commits). Should this process die first, the sweeper queues it."""
    log.info("draft %s of campaign %s approved by user %s", draft.pk, draft.campaign_id, draft.approver_id)
    try:
        queue_activation(draft.pk)
    except Exception:  # the approval stands; the sweeper queues approved drafts that have no activation
        log.exception("draft %s: queuing its activation failed; the sweeper will", draft.pk)
