"""Workflow services: rebasing on CXone's current version, marking stale, and the state machine."""

from __future__ import annotations

import datetime as dt

import pytest

from campaigns.models import ScheduleDraft
from campaigns.services.drafts import transitions, workflow
from tests.conftest import make_draft
from tests.workflow_support import S, entries, set_status, submitted

# ---- rebase ------------------------------------------------------------------------------------------------


def change_remotely(campaign, **fields):
    for name, value in {"remote_version": campaign.remote_version + 1, **fields}.items():
        setattr(campaign, name, value)
    campaign.save()


def test_rebasing_moves_a_draft_to_the_current_remote_version_and_shows_what_differs(campaign, planner):
    draft = make_draft(
        campaign, planner, cron_expression="0 9 * * 1-5", duration_minutes=480, agents_required=1
    )
    ScheduleDraft.objects.filter(pk=draft.pk).update(behind_remote_since=dt.datetime(2026, 5, 1, tzinfo=dt.UTC))
    change_remotely(campaign, cron_expression="0 8 * * 1-5")

    result = workflow.rebase(draft.pk, planner)

    assert result == {
        "from_version": 7,
        "to_version": 8,
        "remote_changes": {"cron_expression": ["0 9 * * 1-5", "0 8 * * 1-5"]},
    }
    draft.refresh_from_db()
    assert (draft.base_version, draft.behind_remote_since, draft.lock_version, draft.status) == (8, None, 2, S.DRAFT)
    assert draft.cron_expression == "0 9 * * 1-5"  # the planner's values are never replaced by a rebase
    [entry] = entries(draft, "campaigns.draft.rebased")
    assert (entry.actor, entry.changes) == (planner, {"base_version": [7, 8]})


def test_rebasing_a_submitted_draft_sends_it_back_for_another_review(campaign, planner, supervisor):
    draft = submitted(campaign, planner)
    change_remotely(campaign)
    workflow.rebase(draft.pk, supervisor)
    draft.refresh_from_db()
    assert (draft.status, draft.base_version, draft.lock_version, draft.submitted_at) == (S.DRAFT, 8, 2, None)
    [entry] = entries(draft, "campaigns.draft.rebased")
    assert entry.actor == supervisor
    assert entry.changes == {"status": ["submitted", "draft"], "base_version": [7, 8]}
    with pytest.raises(workflow.InvalidTransition):
        workflow.approve(draft.pk, supervisor, seen_lock_version=1)


def test_a_rebased_draft_can_be_submitted_and_approved(campaign, planner, supervisor):
    draft = make_draft(campaign, planner)
    change_remotely(campaign)
    with pytest.raises(workflow.StaleDraft):
        workflow.submit(draft.pk, planner, lock_version=1)
    workflow.rebase(draft.pk, planner)
    workflow.submit(draft.pk, planner, lock_version=2)
    assert workflow.approve(draft.pk, supervisor, seen_lock_version=2).status == S.APPROVED


def test_a_draft_that_is_up_to_date_is_not_rebased(campaign, planner):
    draft = make_draft(campaign, planner)
    with pytest.raises(workflow.InvalidTransition, match=r"already based on .*current CXone version \(7\)"):
        workflow.rebase(draft.pk, planner)
    draft.refresh_from_db()
    assert draft.lock_version == 1 and entries(draft) == []


def test_rebasing_twice_rebases_once(campaign, planner):
    draft = make_draft(campaign, planner)
    change_remotely(campaign)
    workflow.rebase(draft.pk, planner)
    with pytest.raises(workflow.InvalidTransition, match="nothing to rebase"):
        workflow.rebase(draft.pk, planner)
    assert len(entries(draft, "campaigns.draft.rebased")) == 1


def test_an_approved_draft_cannot_be_rebased(campaign, planner, supervisor):
    draft = submitted(campaign, planner)
    workflow.approve(draft.pk, supervisor, seen_lock_version=1)
    change_remotely(campaign)
    with pytest.raises(workflow.InvalidTransition, match="already approved"):
        workflow.rebase(draft.pk, planner)


def test_a_manager_cannot_rebase_a_draft(campaign, planner, manager):
    draft = make_draft(campaign, planner)
    change_remotely(campaign)
    with pytest.raises(workflow.NotAllowed, match="does not allow you to rebase drafts"):
        workflow.rebase(draft.pk, manager)


# ---- mark_stale --------------------------------------------------------------------------------------------


def test_an_approved_draft_is_marked_stale_once(campaign, planner, supervisor):
    draft = submitted(campaign, planner)
    workflow.approve(draft.pk, supervisor, seen_lock_version=1)
    assert transitions.mark_stale(draft.pk, reason="CXone is at version 8, the draft was based on 7") is True
    assert transitions.mark_stale(draft.pk, reason="again") is False
    draft.refresh_from_db()
    assert (draft.status, draft.status_reason) == (S.STALE, "CXone is at version 8, the draft was based on 7")
    [entry] = entries(draft, "campaigns.draft.marked_stale")
    assert entry.actor is None
    assert entry.changes == {
        "status": ["approved", "stale"],
        "status_reason": ["", "CXone is at version 8, the draft was based on 7"],
    }


def test_an_activating_draft_can_be_marked_stale(campaign, planner):
    draft = set_status(make_draft(campaign, planner), S.ACTIVATING)
    assert transitions.mark_stale(draft.pk, reason="remote changed") is True
    draft.refresh_from_db()
    assert draft.status == S.STALE


@pytest.mark.parametrize("status", [S.DRAFT, S.SUBMITTED, S.REJECTED, S.ACTIVE, S.FAILED])
def test_only_approved_or_activating_drafts_are_marked_stale(campaign, planner, status):
    draft = set_status(make_draft(campaign, planner), status)
    assert transitions.mark_stale(draft.pk, reason="remote changed") is False
    draft.refresh_from_db()
    assert draft.status == status and entries(draft) == []


# ---- the state machine -------------------------------------------------------------------------------------


def submit_it(draft, author, reviewer):
    return workflow.submit(draft.pk, author, lock_version=1)


def withdraw_it(draft, author, reviewer):
    return workflow.withdraw(draft.pk, author)


def approve_it(draft, author, reviewer):
    return workflow.approve(draft.pk, reviewer, seen_lock_version=1)


def reject_it(draft, author, reviewer):
    return workflow.reject(draft.pk, reviewer, seen_lock_version=1, reason="No")


def edit_it(draft, author, reviewer):
    return workflow.save_draft(draft.pk, author, lock_version=1, fields={"agents_required": 2})


# action → (the only status it applies to, the status it leads to, how a user does it)
ACTIONS = {
    "submit": (S.DRAFT, S.SUBMITTED, submit_it),
    "withdraw": (S.SUBMITTED, S.DRAFT, withdraw_it),
    "approve": (S.SUBMITTED, S.APPROVED, approve_it),
    "reject": (S.SUBMITTED, S.REJECTED, reject_it),
    "edit": (S.DRAFT, S.DRAFT, edit_it),
}


@pytest.mark.parametrize("status", list(S))
@pytest.mark.parametrize("action", list(ACTIONS))
def test_each_action_applies_only_from_its_status(campaign, planner, supervisor, status, action):
    source, target, act = ACTIONS[action]
    draft = set_status(make_draft(campaign, planner), status)
    if status == source:
        assert act(draft, planner, supervisor).status == target
        assert len(entries(draft)) == 1
    else:
        with pytest.raises(workflow.InvalidTransition):
            act(draft, planner, supervisor)
        draft.refresh_from_db()
        assert draft.status == status and draft.lock_version == 1
        assert entries(draft) == []


def test_workflow_errors_show_their_message(campaign, planner):
    draft = make_draft(campaign, planner)
    try:
        workflow.withdraw(draft.pk, planner)
    except workflow.WorkflowError as exc:
        assert str(exc) == exc.message
        assert exc.message.endswith("so you cannot withdraw it.")
    else:
        pytest.fail("withdrawing a draft that was never submitted should be refused")
