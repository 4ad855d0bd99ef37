"""Workflow services: submitting a draft for approval and withdrawing it."""

from __future__ import annotations

import datetime as dt

import pytest

from campaigns.scheduling import load_rules
from campaigns.services.drafts import workflow
from tests.conftest import make_draft
from tests.workflow_support import S, entries, submitted

# ---- submit ------------------------------------------------------------------------------------------------


def test_the_author_submits_a_draft_with_the_findings_the_service_computed(campaign, planner):
    draft = make_draft(campaign, planner)
    result = workflow.submit(draft.pk, planner, lock_version=1)
    draft.refresh_from_db()
    assert draft.status == result.status == S.SUBMITTED
    assert draft.findings["blocking"] == [] and draft.findings["findings"] == []
    # Checked to the end of the effective period, not two weeks ahead.
    assert draft.findings["checked_until"] == draft.effective_end.isoformat()
    assert draft.submitted_at is not None
    [entry] = entries(draft, "campaigns.draft.submitted")
    assert (entry.actor, entry.campaign, entry.changes) == (
        planner,
        campaign,
        {"status": ["draft", "submitted"], "rules_version": [None, load_rules().version]},
    )


def test_only_the_author_can_submit_a_draft(campaign, planner, other_planner, supervisor):
    draft = make_draft(campaign, planner)
    for someone in (other_planner, supervisor):
        with pytest.raises(
            workflow.NotAllowed, match=r"Only the author of draft #\d+ \(pat_planner\) can submit it"
        ):
            workflow.submit(draft.pk, someone, lock_version=1)
    draft.refresh_from_db()
    assert draft.status == S.DRAFT and entries(draft) == []


def test_a_manager_cannot_submit_a_draft(campaign, planner, manager):
    draft = make_draft(campaign, planner)
    with pytest.raises(workflow.NotAllowed, match="does not allow you to submit drafts"):
        workflow.submit(draft.pk, manager, lock_version=1)


def test_a_draft_whose_schedule_breaks_calling_hours_is_refused_at_submit(campaign, planner):
    draft = make_draft(campaign, planner, cron_expression="0 7 * * 1-5")  # 07:00 in Chicago
    with pytest.raises(workflow.BlockingFindings) as refused:
        workflow.submit(draft.pk, planner, lock_version=1)
    [problem] = refused.value.problems
    assert "US (Federal telephone-solicitation hours)" in problem and "07:00" in problem
    assert refused.value.message.startswith("Fix this problem before submitting: US (Federal")
    draft.refresh_from_db()
    assert draft.status == S.DRAFT and draft.findings == {}
    assert entries(draft, "campaigns.draft.submitted") == []


def test_submit_takes_no_verdict_from_its_caller(campaign, planner):
    draft = make_draft(campaign, planner, cron_expression="0 7 * * 1-5")
    with pytest.raises(TypeError):
        workflow.submit(draft.pk, planner, lock_version=1, findings={"blocking": []})
    draft.refresh_from_db()
    assert draft.status == S.DRAFT and entries(draft) == []


def test_a_draft_whose_dnc_list_is_inactive_is_refused_at_submit(campaign, planner):
    campaign.dnc_list_state = "INACTIVE"
    campaign.save()
    draft = make_draft(campaign, planner)
    with pytest.raises(workflow.BlockingFindings, match="DNC"):
        workflow.submit(draft.pk, planner, lock_version=1)
    draft.refresh_from_db()
    assert draft.status == S.DRAFT


def test_a_draft_behind_the_remote_campaign_cannot_be_submitted_until_rebased(campaign, planner):
    draft = make_draft(campaign, planner)
    campaign.remote_version = 8
    campaign.save()
    with pytest.raises(workflow.StaleDraft, match="Rebase the draft") as refused:
        workflow.submit(draft.pk, planner, lock_version=1)
    assert (refused.value.base_version, refused.value.remote_version) == (7, 8)
    assert "changed in CXone (now version 8) after this draft was based on version 7" in refused.value.message
    draft.refresh_from_db()
    assert draft.status == S.DRAFT


def test_submitting_a_draft_changed_since_the_author_saw_it_is_refused(campaign, planner, other_planner):
    draft = make_draft(campaign, planner)
    workflow.save_draft(draft.pk, other_planner, lock_version=1, fields={"agents_required": 2})
    with pytest.raises(workflow.DraftChanged, match="olive_planner changed draft") as refused:
        workflow.submit(draft.pk, planner, lock_version=1)
    assert refused.value.current_lock_version == 2
    draft.refresh_from_db()
    assert draft.status == S.DRAFT


def test_submitting_twice_is_refused(campaign, planner):
    draft = submitted(campaign, planner)
    with pytest.raises(workflow.InvalidTransition, match="already submitted for approval"):
        workflow.submit(draft.pk, planner, lock_version=1)
    assert len(entries(draft, "campaigns.draft.submitted")) == 1


def test_a_draft_of_a_campaign_missing_from_cxone_cannot_be_submitted(campaign, planner):
    draft = make_draft(campaign, planner)
    campaign.missing_since = dt.datetime(2026, 5, 2, 9, tzinfo=dt.UTC)
    campaign.save()
    with pytest.raises(workflow.InvalidTransition, match="no longer in CXone .* cannot submit its drafts"):
        workflow.submit(draft.pk, planner, lock_version=1)


# ---- withdraw ----------------------------------------------------------------------------------------------


def test_the_author_withdraws_a_submitted_draft_back_to_draft(campaign, planner):
    draft = submitted(campaign, planner)
    workflow.withdraw(draft.pk, planner)
    draft.refresh_from_db()
    assert draft.status == S.DRAFT and draft.submitted_at is None
    [entry] = entries(draft, "campaigns.draft.withdrawn")
    assert (entry.actor, entry.changes) == (planner, {"status": ["submitted", "draft"]})


def test_only_the_author_can_withdraw_a_draft(campaign, planner, other_planner, supervisor):
    draft = submitted(campaign, planner)
    for someone in (other_planner, supervisor):
        with pytest.raises(workflow.NotAllowed, match="can withdraw it"):
            workflow.withdraw(draft.pk, someone)
    draft.refresh_from_db()
    assert draft.status == S.SUBMITTED


def test_a_draft_that_is_not_submitted_cannot_be_withdrawn(campaign, planner):
    draft = make_draft(campaign, planner)
    with pytest.raises(
        workflow.InvalidTransition, match="has not been submitted for approval, so you cannot withdraw"
    ):
        workflow.withdraw(draft.pk, planner)


def test_a_draft_identical_to_the_current_schedule_cannot_be_submitted(campaign, planner):
    draft = workflow.start_draft(campaign, planner)
    with pytest.raises(workflow.NothingChanged, match="same as .* current schedule"):
        workflow.submit(draft.pk, planner, lock_version=draft.lock_version)
    draft.refresh_from_db()
    assert draft.status == S.DRAFT


def test_submission_refusal_answers_with_the_guards_submit_runs(campaign, planner, other_planner, manager):
    draft = make_draft(campaign, planner)
    assert workflow.submission_refusal(draft, planner) is None
    assert "Only the author of draft" in workflow.submission_refusal(draft, other_planner)
    assert "does not allow you to submit drafts" in workflow.submission_refusal(draft, manager)
    submitted_draft = workflow.submit(draft.pk, planner, lock_version=1)
    assert "already submitted for approval" in workflow.submission_refusal(submitted_draft, planner)
