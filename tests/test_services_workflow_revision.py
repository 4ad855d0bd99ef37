"""Workflow services: revising a rejected, failed or stale draft into a new one that starts from its values."""

from __future__ import annotations

import datetime as dt

import pytest

from campaigns.models import ScheduleDraft
from campaigns.services.drafts import workflow
from tests.conftest import make_draft
from tests.workflow_support import S, entries, set_status, submitted


def rejected(campaign, planner, supervisor, **fields):
    draft = submitted(campaign, planner, **fields)
    return workflow.reject(draft.pk, supervisor, seen_lock_version=draft.lock_version, reason="Too early.")


def test_a_rejected_draft_is_revised_into_a_new_draft_with_its_values(campaign, planner, supervisor):
    old = rejected(campaign, planner, supervisor, cron_expression="0 12 * * 1,3", retry_interval_ms=900_000)
    campaign.remote_version = 9
    campaign.save()

    new = workflow.revise(old.pk, planner)

    assert new.pk != old.pk and new.status == S.DRAFT and new.author == planner
    for name in workflow.EDITABLE_FIELDS:
        assert getattr(new, name) == getattr(old, name), name
    assert new.base_version == 9  # based on CXone's campaign as it is now
    assert new.approver is None and new.rejection_reason == "" and new.lock_version == 1
    old.refresh_from_db()
    assert old.status == S.REJECTED  # the decision stands
    [entry] = entries(new, "campaigns.draft.revised")
    assert entry.actor == planner and entry.campaign == campaign
    assert entry.message == f"Revised from draft #{old.pk} (rejected: “Too early.”)."
    assert entry.changes["revised_from"] == [None, old.pk]
    assert entry.changes["cron_expression"] == [None, "0 12 * * 1,3"]


@pytest.mark.parametrize("status", [S.FAILED, S.STALE])
def test_failed_and_stale_drafts_can_be_revised_too(campaign, planner, status):
    old = set_status(make_draft(campaign, planner), status)

    new = workflow.revise(old.pk, planner)

    assert new.status == S.DRAFT and new.cron_expression == old.cron_expression


def test_another_planner_may_revise_it_and_becomes_the_author(campaign, planner, other_planner, supervisor):
    old = rejected(campaign, planner, supervisor)

    new = workflow.revise(old.pk, other_planner)

    assert new.author == other_planner


@pytest.mark.parametrize("status", [S.DRAFT, S.SUBMITTED, S.APPROVED, S.ACTIVATING, S.ACTIVE])
def test_it_refuses_to_revise_a_draft_that_is_not_closed_by_a_decision_or_failure(campaign, planner, status):
    draft = set_status(make_draft(campaign, planner), status)

    with pytest.raises(
        workflow.InvalidTransition, match="only a rejected, failed or stale draft can be revised"
    ):
        workflow.revise(draft.pk, planner)
    assert ScheduleDraft.objects.count() == 1


def test_it_refuses_while_the_campaign_has_another_open_draft(campaign, planner, other_planner, supervisor):
    old = rejected(campaign, planner, supervisor)
    current = workflow.start_draft(campaign, other_planner)

    with pytest.raises(workflow.OpenDraftExists) as refused:
        workflow.revise(old.pk, planner)
    assert refused.value.draft_id == current.pk
    assert entries(old, "campaigns.draft.revised") == []


def test_it_refuses_when_the_campaign_is_gone_from_cxone(campaign, planner, supervisor):
    old = rejected(campaign, planner, supervisor)
    campaign.missing_since = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    campaign.save()

    with pytest.raises(workflow.InvalidTransition, match="no longer in CXone"):
        workflow.revise(old.pk, planner)


def test_a_role_that_cannot_start_drafts_cannot_revise(campaign, planner, supervisor, manager):
    old = rejected(campaign, planner, supervisor)

    with pytest.raises(workflow.NotAllowed, match="does not allow you to revise drafts"):
        workflow.revise(old.pk, manager)
