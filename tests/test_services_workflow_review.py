"""Workflow services: approving and rejecting (four-eyes, as seen, exactly once)."""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest
from django.db import OperationalError, connection

from campaigns.models import AuditEntry, ScheduleDraft
from campaigns.scheduling import load_rules
from campaigns.services.drafts import guards as draft_guards
from campaigns.services.drafts import workflow
from tests.conftest import make_campaign, make_draft, make_user
from tests.workflow_support import S, entries, submitted

# ---- approve -----------------------------------------------------------------------------------------------


def test_a_supervisor_approves_a_submitted_draft(campaign, planner, supervisor):
    draft = submitted(campaign, planner)
    result = workflow.approve(draft.pk, supervisor, seen_lock_version=1)
    draft.refresh_from_db()
    assert draft.status == result.status == S.APPROVED
    assert draft.approver == supervisor and draft.reviewed_at is not None
    [entry] = entries(draft, "campaigns.draft.approved")
    assert (entry.actor, entry.campaign, entry.changes) == (
        supervisor,
        campaign,
        # The approval names the calling-hours rules the findings were judged by.
        {"status": ["submitted", "approved"], "rules_version": [None, load_rules().version]},
    )


def test_a_supervisor_cannot_approve_their_own_draft(campaign, supervisor):
    draft = submitted(campaign, supervisor)
    with pytest.raises(workflow.NotAllowed, match="You wrote draft #.*another supervisor must review it"):
        workflow.approve(draft.pk, supervisor, seen_lock_version=1)
    draft.refresh_from_db()
    assert draft.status == S.SUBMITTED and draft.approver is None


def test_a_supervisor_who_edited_a_draft_cannot_approve_it(campaign, planner, supervisor, other_supervisor):
    draft = make_draft(campaign, planner)
    workflow.save_draft(draft.pk, supervisor, lock_version=1, fields={"agents_required": 4})
    workflow.submit(draft.pk, planner, lock_version=2)
    with pytest.raises(workflow.NotAllowed, match="You edited draft #"):
        workflow.approve(draft.pk, supervisor, seen_lock_version=2)
    assert workflow.approve(draft.pk, other_supervisor, seen_lock_version=2).approver == other_supervisor


@pytest.mark.parametrize("user", ["other_planner", "manager", "outsider"])
def test_only_supervisors_can_approve(campaign, planner, user, request):
    draft = submitted(campaign, planner)
    with pytest.raises(workflow.NotAllowed, match="does not allow you to approve drafts"):
        workflow.approve(draft.pk, request.getfixturevalue(user), seen_lock_version=1)


def test_a_draft_changed_since_the_supervisor_saw_it_cannot_be_approved(campaign, planner, supervisor):
    draft = submitted(campaign, planner)
    seen = draft.lock_version
    workflow.withdraw(draft.pk, planner)
    workflow.save_draft(draft.pk, planner, lock_version=seen, fields={"duration_minutes": 600})
    workflow.submit(draft.pk, planner, lock_version=seen + 1)

    with pytest.raises(
        workflow.DraftChanged, match="pat_planner changed draft .* then approve it again"
    ) as refused:
        workflow.approve(draft.pk, supervisor, seen_lock_version=seen)
    assert refused.value.current_lock_version == seen + 1
    draft.refresh_from_db()
    assert draft.status == S.SUBMITTED


def test_approving_twice_approves_once(campaign, planner, supervisor):
    draft = submitted(campaign, planner)
    workflow.approve(draft.pk, supervisor, seen_lock_version=1)
    with pytest.raises(
        workflow.InvalidTransition, match=r"already approved by sam_supervisor at \d{4}-\d\d-\d\d"
    ):
        workflow.approve(draft.pk, supervisor, seen_lock_version=1)
    assert len(entries(draft, "campaigns.draft.approved")) == 1


def test_a_second_supervisor_tab_cannot_approve_an_approved_draft(
    campaign, planner, supervisor, other_supervisor
):
    draft = submitted(campaign, planner)
    workflow.approve(draft.pk, supervisor, seen_lock_version=1)
    with pytest.raises(workflow.InvalidTransition) as refused:
        workflow.approve(draft.pk, other_supervisor, seen_lock_version=1)
    draft.refresh_from_db()
    when = draft.reviewed_at.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M")
    assert refused.value.message == (
        f"Draft #{draft.pk} was already approved by sam_supervisor at {when} UTC; "
        "there is nothing left to do."
    )
    assert draft.approver == supervisor


def test_an_approval_losing_a_race_is_refused_by_the_conditional_update(
    campaign, planner, supervisor, other_supervisor, monkeypatch
):
    # Where row locks are not honoured, both reviewers can read "submitted"; the UPDATE ... WHERE status =
    # 'submitted' AND lock_version = seen lets only one of them through. (Here the other approval runs inside
    # our transaction, so our refusal rolls it back too; the threaded test below shows the winner persisting.)
    draft = submitted(campaign, planner)
    real_locked = draft_guards.locked
    reads = []

    def read_before_the_other_approval(pk):
        row = real_locked(pk)
        if not reads:
            reads.append(row)
            workflow.approve(
                pk, other_supervisor, seen_lock_version=1
            )  # lands between our read and our UPDATE
        return row

    monkeypatch.setattr(draft_guards, "locked", read_before_the_other_approval)
    with pytest.raises(workflow.InvalidTransition, match="already approved by sue_supervisor"):
        workflow.approve(draft.pk, supervisor, seen_lock_version=1)
    assert reads[0].status == S.SUBMITTED
    assert not AuditEntry.objects.filter(action="campaigns.draft.approved", actor=supervisor).exists()


def test_a_stale_draft_cannot_be_approved_until_rebased(campaign, planner, supervisor):
    draft = submitted(campaign, planner)
    campaign.remote_version = 9
    campaign.save()
    with pytest.raises(workflow.StaleDraft, match="Rebase the draft to see what changed, then approve it"):
        workflow.approve(draft.pk, supervisor, seen_lock_version=1)
    draft.refresh_from_db()
    assert draft.status == S.SUBMITTED


def test_a_draft_whose_schedule_breaks_calling_hours_is_refused_at_approve_whatever_was_stored(
    campaign, planner, supervisor
):
    draft = submitted(campaign, planner)
    # A row whose stored findings say "nothing blocking" about a schedule that dials at 06:00 (written behind
    # the services' back): approve checks the draft itself.
    ScheduleDraft.objects.filter(pk=draft.pk).update(cron_expression="0 6 * * 1-5", findings={"blocking": []})
    with pytest.raises(workflow.BlockingFindings, match="Fix this problem before approving: US") as refused:
        workflow.approve(draft.pk, supervisor, seen_lock_version=1)
    assert "06:00" in refused.value.problems[0]
    draft.refresh_from_db()
    assert (draft.status, draft.approver) == (S.SUBMITTED, None)
    assert entries(draft, "campaigns.draft.approved") == []


def test_approve_takes_no_verdict_from_its_caller(campaign, planner, supervisor):
    draft = submitted(campaign, planner)
    with pytest.raises(TypeError):
        workflow.approve(draft.pk, supervisor, seen_lock_version=1, findings={"blocking": []})
    draft.refresh_from_db()
    assert draft.status == S.SUBMITTED


def test_approval_rechecks_the_draft_and_stores_the_findings_of_now(campaign, planner, supervisor):
    draft = submitted(campaign, planner)
    ScheduleDraft.objects.filter(pk=draft.pk).update(findings={"blocking": ["a verdict nobody computed"]})
    workflow.approve(draft.pk, supervisor, seen_lock_version=1)
    draft.refresh_from_db()
    assert draft.status == S.APPROVED
    assert draft.findings["blocking"] == [] and "checked_at" in draft.findings


def test_a_draft_whose_dnc_list_went_inactive_after_submission_cannot_be_approved(
    campaign, planner, supervisor
):
    draft = submitted(campaign, planner)
    campaign.dnc_list_state = "INACTIVE"
    campaign.save()
    with pytest.raises(workflow.BlockingFindings, match="before approving"):
        workflow.approve(draft.pk, supervisor, seen_lock_version=1)
    draft.refresh_from_db()
    assert draft.status == S.SUBMITTED


# ---- approval_refusal: what the queue asks, with the service's own guards ---------------------------------


def test_approval_refusal_is_none_for_a_supervisor_who_may_approve(campaign, planner, supervisor):
    draft = submitted(campaign, planner)
    assert workflow.approval_refusal(draft, supervisor) is None


def test_approval_refusal_names_the_author_and_the_editor_as_the_service_does(
    campaign, planner, supervisor, other_supervisor
):
    own = submitted(campaign, supervisor)
    assert "You wrote draft" in workflow.approval_refusal(own, supervisor)
    other = make_draft(make_campaign("C-2002"), planner)
    workflow.save_draft(other.pk, other_supervisor, lock_version=1, fields={"agents_required": 4})
    workflow.submit(other.pk, planner, lock_version=2)
    other.refresh_from_db()
    refusal = workflow.approval_refusal(other, other_supervisor)
    assert refusal.startswith(f"You edited draft #{other.pk}, so you cannot approve it")
    with pytest.raises(workflow.NotAllowed) as refused:
        workflow.approve(other.pk, other_supervisor, seen_lock_version=2)
    assert refused.value.message == refusal


def test_approval_refusal_says_when_the_role_does_not_allow_it(campaign, planner, other_planner):
    draft = submitted(campaign, planner)
    assert "does not allow you to approve drafts" in workflow.approval_refusal(draft, other_planner)


def test_a_draft_that_is_not_submitted_cannot_be_approved(campaign, planner, supervisor):
    draft = make_draft(campaign, planner)
    with pytest.raises(
        workflow.InvalidTransition, match="not been submitted for approval, so you cannot approve"
    ):
        workflow.approve(draft.pk, supervisor, seen_lock_version=1)


def test_the_after_approval_hook_runs_only_once_the_approval_is_committed(
    campaign, planner, supervisor, monkeypatch, django_capture_on_commit_callbacks
):
    called = []
    monkeypatch.setattr(workflow, "_after_approval", lambda d: called.append((d.pk, d.status)))
    draft = submitted(campaign, planner)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        workflow.approve(draft.pk, supervisor, seen_lock_version=1)
    assert called == [] and len(callbacks) == 2  # the activation's hook, and the author's notification mail
    callbacks[0]()
    assert called == [(draft.pk, S.APPROVED)]

    with (
        django_capture_on_commit_callbacks(execute=False) as callbacks,
        pytest.raises(workflow.InvalidTransition),
    ):
        workflow.approve(draft.pk, supervisor, seen_lock_version=1)
    assert callbacks == []


def approve_waiting_for_the_writer(draft_id, reviewer):
    """approve(), waiting while another connection writes. A file SQLite (WAL, IMMEDIATE, busy_timeout) and
    PostgreSQL wait by themselves; the in-memory shared-cache SQLite that Django tests use by default answers
    "database table is locked" at once instead, so there only, the wait is done here as busy_timeout would."""
    waits_itself = not (connection.vendor == "sqlite" and connection.is_in_memory_db())
    for _ in range(500):
        try:
            return workflow.approve(draft_id, reviewer, seen_lock_version=1)
        except OperationalError as exc:
            if waits_itself or "locked" not in str(exc):
                raise
            time.sleep(0.01)
    raise AssertionError("the other approval held the database for more than 5 s")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_approvals_in_two_threads_approve_once():
    campaign = make_campaign("C-T1")
    author = make_user("tess_planner", "planner")
    reviewers = [make_user("rita_supervisor", "supervisor"), make_user("rob_supervisor", "supervisor")]
    draft = submitted(campaign, author)
    start = threading.Barrier(2)
    outcomes: dict[str, object] = {}

    def click_approve(reviewer):
        try:
            start.wait(timeout=10)
            outcomes[reviewer.username] = approve_waiting_for_the_writer(draft.pk, reviewer)
        except Exception as exc:  # noqa: BLE001 - the assertion below says what was raised
            outcomes[reviewer.username] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=click_approve, args=(r,)) for r in reviewers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)

    won = [name for name, o in outcomes.items() if isinstance(o, ScheduleDraft)]
    lost = [o for o in outcomes.values() if not isinstance(o, ScheduleDraft)]
    assert len(won) == 1, outcomes
    assert len(lost) == 1 and isinstance(lost[0], workflow.InvalidTransition), outcomes
    assert f"already approved by {won[0]}" in lost[0].message
    draft.refresh_from_db()
    assert (draft.status, draft.approver.username) == (S.APPROVED, won[0])
    assert AuditEntry.objects.filter(action="campaigns.draft.approved", object_id=str(draft.pk)).count() == 1


# ---- reject ------------------------------------------------------------------------------------------------


def test_a_supervisor_rejects_a_submitted_draft_with_a_reason(campaign, planner, supervisor):
    draft = submitted(campaign, planner)
    workflow.reject(draft.pk, supervisor, seen_lock_version=1, reason="  Overlaps the Renewals blitz.  ")
    draft.refresh_from_db()
    assert (draft.status, draft.approver, draft.rejection_reason) == (
        S.REJECTED,
        supervisor,
        "Overlaps the Renewals blitz.",
    )
    assert draft.reviewed_at is not None
    [entry] = entries(draft, "campaigns.draft.rejected")
    assert entry.actor == supervisor and entry.message == "Overlaps the Renewals blitz."
    assert entry.changes == {
        "status": ["submitted", "rejected"],
        "rejection_reason": ["", "Overlaps the Renewals blitz."],
    }


@pytest.mark.parametrize("reason", ["", "   \n", None])
def test_rejecting_without_a_reason_is_refused_naming_the_reason_field(campaign, planner, supervisor, reason):
    draft = submitted(campaign, planner)
    with pytest.raises(workflow.InvalidInput, match="Give a reason for rejecting") as refused:
        workflow.reject(draft.pk, supervisor, seen_lock_version=1, reason=reason)
    assert refused.value.field == "reason"
    draft.refresh_from_db()
    assert draft.status == S.SUBMITTED


def test_a_supervisor_cannot_reject_their_own_draft(campaign, supervisor):
    draft = submitted(campaign, supervisor)
    with pytest.raises(workflow.NotAllowed, match="so you cannot reject it"):
        workflow.reject(draft.pk, supervisor, seen_lock_version=1, reason="Changed my mind")


def test_only_supervisors_can_reject(campaign, planner, other_planner):
    draft = submitted(campaign, planner)
    with pytest.raises(workflow.NotAllowed, match="does not allow you to reject drafts"):
        workflow.reject(draft.pk, other_planner, seen_lock_version=1, reason="No")


def test_a_draft_changed_since_the_supervisor_saw_it_cannot_be_rejected(campaign, planner, supervisor):
    draft = submitted(campaign, planner)
    workflow.withdraw(draft.pk, planner)
    workflow.save_draft(draft.pk, planner, lock_version=1, fields={"agents_required": 2})
    workflow.submit(draft.pk, planner, lock_version=2)
    with pytest.raises(workflow.DraftChanged, match="then reject it again"):
        workflow.reject(draft.pk, supervisor, seen_lock_version=1, reason="Too many agents")


def test_a_rejected_draft_cannot_be_approved_and_says_why_it_was_rejected(
    campaign, planner, supervisor, other_supervisor
):
    draft = submitted(campaign, planner)
    workflow.reject(draft.pk, supervisor, seen_lock_version=1, reason="Overlaps the blitz")
    with pytest.raises(
        workflow.InvalidTransition,
        match=r"rejected by sam_supervisor at .* \(Overlaps the blitz\); start a new draft",
    ):
        workflow.approve(draft.pk, other_supervisor, seen_lock_version=1)
