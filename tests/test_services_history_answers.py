"""The answers to a change found in CXone, against the sandbox on a real socket: Keep CXone's (supervisors) makes
it the version held to; Restore approved starts a draft that goes through approval and push like any other;
neither is asked again after it is given; a draft can start from any version."""

from __future__ import annotations

import pytest

from campaigns.models import AuditEntry, Campaign, CampaignVersion, DraftStatus, Drift, WebhookDelivery
from campaigns.services.drafts import workflow
from campaigns.services.drafts.checks import draft_checks
from campaigns.services.errors import InvalidTransition, NotAllowed, OpenDraftExists
from campaigns.services.history import answers
from campaigns.services.history.versions import reference_of
from campaigns.services.sync.mirror import sync_campaigns
from tests import history_support
from tests.activation_support import PROPOSED, pushable
from tests.history_support import approved_draft, drifts, found_in_cxone, push_and_wait_for_active, touch

pytestmark = pytest.mark.django_db
Source = CampaignVersion.Source
v2_cxone = history_support.v2_cxone
CHANGED = {"schedule": {"cronExpression": "0 10 * * 1-5", "durationMinutes": 120}}


def restorable() -> Campaign:
    """A mirrored campaign whose own schedule has no blocking finding (many seeded ones dial too early somewhere),
    so that a draft restoring it can be approved."""
    for campaign in Campaign.objects.filter(state="ACTIVE").order_by("cxone_id"):
        values = workflow.campaign_schedule(campaign)
        if not draft_checks.evaluate_values(campaign, values, conflicts=False).blocking:
            return campaign
    raise AssertionError("no seeded campaign has a schedule without blocking findings")


@pytest.fixture
def changed(v2_cxone):
    """A campaign someone changed in CXone, and the drift the sync found."""
    campaign = restorable()
    touch(v2_cxone, campaign.cxone_id, CHANGED)
    sync_campaigns()
    [drift] = drifts(campaign)
    return drift


def test_a_supervisor_keeps_cxones_version_and_it_is_not_found_again(changed, supervisor):
    answers.keep_cxone(changed.pk, supervisor, seen_id=changed.seen_id)
    sync_campaigns()

    changed.refresh_from_db()
    assert (changed.answer, changed.answered_by, changed.is_open) == (Drift.Answer.KEPT, supervisor, False)
    held = reference_of(changed.campaign)
    assert held == changed.kept and (held.source, held.decided_by) == (Source.KEPT_FROM_CXONE, supervisor)
    assert (held.cron_expression, held.duration_minutes) == ("0 10 * * 1-5", 120)
    assert drifts(changed.campaign) == [changed]
    assert WebhookDelivery.objects.filter(event_type="CAMPAIGN_DRIFTED").count() == 1
    entry = AuditEntry.objects.get(action=answers.KEPT)
    assert entry.actor == supervisor and "Weekdays 10:00–12:00" in entry.message


def test_a_planner_may_not_keep_cxones_version(changed, planner):
    assert answers.keep_refusal(changed, planner).startswith("Only a supervisor")
    with pytest.raises(NotAllowed):
        answers.keep_cxone(changed.pk, planner, seen_id=changed.seen_id)
    assert reference_of(changed.campaign).source == Source.FIRST_MIRRORED


def test_keeping_what_the_page_showed_is_refused_once_cxone_changed_it_again(changed, supervisor, v2_cxone):
    shown = changed.seen_id
    touch(v2_cxone, changed.campaign.cxone_id, {"schedule": {"durationMinutes": 90}})
    sync_campaigns()

    with pytest.raises(answers.ChangedAgain, match="changed .* again after you opened the page"):
        answers.keep_cxone(changed.pk, supervisor, seen_id=shown)
    changed.refresh_from_db()
    assert changed.is_open and changed.seen.duration_minutes == 90


def test_restore_approved_goes_through_approval_and_push_and_cxone_runs_the_held_version_again(
    changed, planner, supervisor, v2_cxone, django_capture_on_commit_callbacks
):
    held = changed.reference
    draft = answers.restore_approved(changed.pk, planner)

    assert (draft.cron_expression, draft.duration_minutes, draft.timezone) == (
        held.cron_expression,
        held.duration_minutes,
        held.timezone,
    )
    assert draft.retry_policy() == held.retry_policy and draft.base_version == changed.seen.remote_version
    changed.refresh_from_db()
    assert (changed.answer, changed.restore_draft, changed.answered_by) == (
        Drift.Answer.RESTORING,
        draft,
        planner,
    )
    sync_campaigns()  # CXone still runs its change while the restore waits for approval: not found again
    assert drifts(changed.campaign) == [changed]

    draft = workflow.submit(draft.pk, planner, lock_version=draft.lock_version)
    draft = workflow.approve(draft.pk, supervisor, seen_lock_version=draft.lock_version)
    a = push_and_wait_for_active(v2_cxone, draft, django_capture_on_commit_callbacks)
    sync_campaigns()

    assert a.draft.status == DraftStatus.ACTIVE
    in_cxone = v2_cxone.state.campaigns[changed.campaign.cxone_id]["schedule"]
    assert (in_cxone["cronExpression"], in_cxone["durationMinutes"]) == (
        held.cron_expression,
        held.duration_minutes,
    )
    now_held = reference_of(changed.campaign)
    assert (now_held.source, now_held.draft, now_held.decided_by) == (Source.APPROVED, draft, supervisor)
    assert drifts(changed.campaign) == [changed]


def test_a_restore_that_was_rejected_leaves_the_question_open_again(changed, planner, supervisor):
    draft = answers.restore_approved(changed.pk, planner)
    draft = workflow.submit(draft.pk, planner, lock_version=draft.lock_version)
    changed.refresh_from_db()
    assert answers.keep_refusal(changed, supervisor).startswith("A restore of")

    workflow.reject(draft.pk, supervisor, seen_lock_version=draft.lock_version, reason="Keep the new hours")
    changed.refresh_from_db()

    assert answers.answerable(changed) and answers.keep_refusal(changed, supervisor) is None
    answers.keep_cxone(changed.pk, supervisor, seen_id=changed.seen_id)
    assert reference_of(changed.campaign).source == Source.KEPT_FROM_CXONE


def test_restore_is_refused_while_another_draft_of_the_campaign_is_open(changed, planner, other_planner):
    open_draft = workflow.start_draft(changed.campaign, other_planner, **PROPOSED)
    with pytest.raises(OpenDraftExists) as refused:
        answers.restore_approved(changed.pk, planner)
    assert refused.value.draft_id == open_draft.pk
    changed.refresh_from_db()
    assert changed.is_open


def test_a_change_of_running_state_only_cannot_be_restored_by_a_draft(v2_cxone, planner):
    campaign = next(c for c in pushable(4) if c.state == "ACTIVE")
    touch(v2_cxone, campaign.cxone_id, {"state": "PAUSED"})
    sync_campaigns()
    [drift] = drifts(campaign)

    assert "Only the running state changed" in answers.restore_refusal(drift, planner)
    with pytest.raises(InvalidTransition, match="a draft cannot carry back"):
        answers.restore_approved(drift.pk, planner)


def test_no_draft_of_the_campaign_is_approved_until_the_change_in_cxone_is_answered(changed, planner, supervisor):
    # Drafted on CXone's changed schedule: approving it would take the change on unseen.
    draft = workflow.start_draft(changed.campaign, planner, cron_expression="0 13 * * 1-5")
    draft = workflow.submit(draft.pk, planner, lock_version=draft.lock_version)

    with pytest.raises(InvalidTransition, match="no supervisor has answered that change yet"):
        workflow.approve(draft.pk, supervisor, seen_lock_version=draft.lock_version)
    draft.refresh_from_db()
    assert draft.status == DraftStatus.SUBMITTED

    answers.keep_cxone(changed.pk, supervisor, seen_id=changed.seen_id)
    assert workflow.approve(draft.pk, supervisor, seen_lock_version=draft.lock_version).status == DraftStatus.APPROVED


def test_an_approved_draft_going_live_replaces_a_change_found_after_its_approval(
    v2_cxone, planner, supervisor, django_capture_on_commit_callbacks
):
    campaign = restorable()
    draft = approved_draft(campaign, planner, supervisor, cron_expression="0 13 * * 1-5")
    found = found_in_cxone(campaign, changed=("running",), running=False)  # while the approval waits

    push_and_wait_for_active(v2_cxone, draft, django_capture_on_commit_callbacks)

    found.refresh_from_db()
    assert (found.answer, found.answered_by) == (Drift.Answer.REPLACED, supervisor)


def test_revise_from_a_version_starts_a_draft_with_its_values(changed, supervisor, planner):
    answers.keep_cxone(changed.pk, supervisor, seen_id=changed.seen_id)
    first = changed.reference  # as first mirrored, before the change in CXone

    draft = answers.revise_from_version(first.pk, planner)

    assert (draft.cron_expression, draft.duration_minutes) == (first.cron_expression, first.duration_minutes)
    assert draft.author == planner and draft.status == DraftStatus.DRAFT
    entry = AuditEntry.objects.get(action=answers.STARTED_FROM_VERSION)
    assert f"Draft #{draft.pk} starts from the version of" in entry.message and entry.actor == planner


def test_a_manager_may_not_start_a_draft_from_a_version(changed, manager):
    with pytest.raises(NotAllowed):
        answers.revise_from_version(changed.reference_id, manager)
