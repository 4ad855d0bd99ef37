"""The retry policy's frequency findings through the services: they block submission, approval and the push like
any other error; the campaign list counts them; the purpose says which limits apply and is audited."""

from __future__ import annotations

import pytest

from campaigns.models import AuditEntry, Campaign, DraftStatus, ScheduleDraft
from campaigns.services.drafts import transitions, workflow
from campaigns.services.drafts.checks import campaign_findings, draft_checks
from campaigns.services.errors import BlockingFindings, InvalidInput
from tests.conftest import make_campaign, make_draft
from tests.workflow_support import entries, set_status, submitted

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_clock")]

FLORIDA = [{"state": "FL", "timezones": ["America/New_York"], "count": 310}]
FIVE_A_DAY = {"retry_max_attempts": 5, "retry_interval_ms": 60_000}


@pytest.fixture
def florida(pool):
    return make_campaign("C-FL", pool=pool, name="Florida Renewals", contact_list_breakdown=FLORIDA)


def test_five_calls_a_day_to_florida_contacts_is_a_blocking_finding_of_the_draft(florida, planner):
    report = draft_checks.evaluate_draft(make_draft(florida, planner, **FIVE_A_DAY))

    [finding] = report.retry
    assert (finding.rule, finding.severity, finding.contacts_affected) == ("us-fl-frequency", "blocking", 310)
    assert finding.message in report.blocking
    assert finding.proposal.label == "Retry every 8 h: at most 3 attempts in 24 h"


def test_a_blocking_frequency_finding_refuses_submission(florida, planner):
    draft = make_draft(florida, planner, **FIVE_A_DAY)

    with pytest.raises(BlockingFindings, match="Florida: at most 3 calls per 24 hours"):
        workflow.submit(draft.pk, planner, lock_version=draft.lock_version)
    assert ScheduleDraft.objects.get(pk=draft.pk).status == DraftStatus.DRAFT


def test_a_blocking_frequency_finding_refuses_approval_and_the_queue_says_so(florida, planner, supervisor):
    draft = submitted(florida, planner, **FIVE_A_DAY | {"retry_max_attempts": 3})
    # The policy changed under the reviewer's feet (an admin edit): approval checks again, on the row.
    ScheduleDraft.objects.filter(pk=draft.pk).update(retry_max_attempts=5)
    draft.refresh_from_db()

    report = draft_checks.evaluate_draft(draft)
    refusal = workflow.approval_refusal(draft, supervisor, report=report)
    assert refusal and "Florida: at most 3 calls per 24 hours" in refusal
    with pytest.raises(BlockingFindings):
        workflow.approve(draft.pk, supervisor, seen_lock_version=draft.lock_version)
    assert ScheduleDraft.objects.get(pk=draft.pk).status == DraftStatus.SUBMITTED


def test_the_campaign_list_counts_the_frequency_finding_as_blocking_and_says_why(pool):
    campaign = make_campaign(
        "C-FL",
        pool=pool,
        contact_list_breakdown=FLORIDA,
        retry_policy={"maxAttempts": 5, "retryIntervalMs": 60_000, "retryOnBusy": True, "retryOnNoAnswer": True},
    )
    campaign_findings.refresh([campaign.pk])
    campaign.refresh_from_db()

    badge = campaign_findings.badge(campaign.current_findings)
    assert campaign.findings_level == "blocking"
    assert (badge["level"], badge["label"], badge["count"]) == ("blocking", "✖ 1 blocking", 1)
    [reason] = badge["reasons"]
    assert reason.startswith("Error — Retry policy: Florida: at most 3 calls per 24 hours")


def test_a_warning_is_counted_as_a_warning_and_never_as_an_error(pool):
    texas = [{"state": "TX", "timezones": ["America/Chicago"], "count": 40}]
    campaign = make_campaign("C-TX", pool=pool, cron_expression="0 11 * * 0", duration_minutes=60,
                             contact_list_breakdown=texas)  # fmt: skip
    campaign_findings.refresh([campaign.pk])
    campaign.refresh_from_db()

    badge = campaign_findings.badge(campaign.current_findings)
    assert (badge["level"], badge["label"]) == ("warning", "⚠ 1")
    assert badge["reasons"][0].startswith("Warning — Calling hours: US-TX")


# ---- the purpose ------------------------------------------------------------------------------------------


def test_a_campaign_and_a_new_draft_are_telemarketing_unless_said_otherwise(campaign, planner):
    assert campaign.purpose == "telemarketing"
    assert workflow.start_draft(campaign, planner).purpose == "telemarketing"


def test_a_debt_collection_draft_is_judged_by_regulation_f_not_by_floridas_limit(florida, planner):
    draft = make_draft(florida, planner, purpose="debt_collection", retry_max_attempts=8)
    assert [f.rule for f in draft_checks.evaluate_draft(draft).retry] == ["us-reg-f"]
    draft.retry_max_attempts = 5
    draft.save()
    assert draft_checks.evaluate_draft(draft).retry == []  # 5 in 7 days: fine; Florida's limit is telemarketing


def test_changing_the_purpose_is_an_audited_edit(campaign, planner):
    draft = workflow.start_draft(campaign, planner)
    workflow.save_draft(draft.pk, planner, lock_version=draft.lock_version, fields={"purpose": "informational"})
    [edit] = entries(draft, "campaigns.draft.edited")
    assert edit.changes == {"purpose": ["telemarketing", "informational"]}


def test_an_unknown_purpose_is_refused_naming_the_field(campaign, planner):
    draft = workflow.start_draft(campaign, planner)
    with pytest.raises(InvalidInput) as refused:
        workflow.save_draft(draft.pk, planner, lock_version=draft.lock_version, fields={"purpose": "charity"})
    assert refused.value.field == "purpose" and "Debt collection" in refused.value.message


def test_a_draft_that_only_changes_the_purpose_may_be_submitted(campaign, planner):
    draft = workflow.start_draft(campaign, planner, purpose="informational")
    assert workflow.submit(draft.pk, planner, lock_version=draft.lock_version).status == DraftStatus.SUBMITTED


def test_the_campaign_takes_the_purpose_of_the_draft_that_goes_live_audited(campaign, planner):
    draft = set_status(make_draft(campaign, planner, purpose="debt_collection"), DraftStatus.ACTIVATING)

    assert transitions.mark_active(draft.pk)

    assert Campaign.objects.get(pk=campaign.pk).purpose == "debt_collection"
    [entry] = AuditEntry.objects.filter(action="campaigns.campaign.purpose_changed")
    assert (entry.object_type, entry.changes) == ("campaign", {"purpose": ["telemarketing", "debt_collection"]})


def test_restricted_calling_needs_both_of_its_fields(campaign, planner):
    draft = workflow.start_draft(campaign, planner)
    with pytest.raises(InvalidInput) as refused:
        workflow.save_draft(
            draft.pk, planner, lock_version=draft.lock_version, fields={"retry_restricted_minutes": 1440}
        )
    assert refused.value.field == "retry_restricted_max_attempts"
