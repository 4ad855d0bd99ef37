"""End to end on the sandbox's Admin API personality over a real socket, as a real tenant would be used, every
request and answer held to the contract: sync, a planner's draft of a new week and retry policy, submission and
approval through the workflow, then the activation pipeline itself (push, polls) through the backend interface,
and the skill running with the approved week and retry settings, read back."""

from __future__ import annotations

import pytest

from campaigns.cxone.admin_mapping import CONCURRENCY_NOTE
from campaigns.cxone.factory import get_client, set_client_factory
from campaigns.models import Activation, AuditEntry, Campaign, DraftStatus
from campaigns.sandbox.server import SandboxServer
from campaigns.scheduling.weekly import WeeklySchedule, fit_weekly
from campaigns.services import activation
from campaigns.services.activation import doorbell
from campaigns.services.activation import polling as activation_polling
from campaigns.services.drafts import workflow
from campaigns.services.drafts.checks import draft_checks
from campaigns.services.errors import BlockingFindings
from campaigns.services.sent_schedule import schedule_of
from campaigns.services.sync.mirror import sync_campaigns
from tests.activation_support import due_now
from tests.cxone_support import admin_client_for, admin_config

pytestmark = pytest.mark.django_db

# Every day (the sandbox, as a live tenant, refuses a week with a day off), and a new retry policy in the Admin
# API's terms: 2 attempts at least 2 minutes apart, at most 3 calls in 24 hours.
RETRY_WRITTEN = ("maximumAttempts", "minimumRetryMinutes", "restrictedCallingMinutes", "restrictedCallingMaxAttempts")
PROPOSED = {
    "cron_expression": "0 12 * * *", "duration_minutes": 180, "retry_max_attempts": 2,
    "retry_interval_ms": 120_000, "retry_restricted_minutes": 1440, "retry_restricted_max_attempts": 3,
}  # fmt: skip
Step = Activation.Step


@pytest.fixture
def admin_tenant(settings, monkeypatch):
    settings.CXONE_API = "admin"
    monkeypatch.setattr(doorbell, "async_task", lambda func, *args: None)  # the test drives each step itself
    with SandboxServer(admin_config(campaigns=12)) as server:
        set_client_factory(lambda: admin_client_for(server.url))
        try:
            sync_campaigns()
            yield server
        finally:
            set_client_factory(None)


def stopped_and_pushable() -> Campaign:
    for campaign in Campaign.objects.filter(state="PAUSED").order_by("cxone_id"):
        values = {**workflow.campaign_schedule(campaign), **PROPOSED}
        if not draft_checks.evaluate_values(campaign, values, conflicts=False).blocking:
            return campaign
    raise AssertionError("no stopped skill of the sandbox can take the proposed week")


def approved(campaign, planner, supervisor, capture) -> Activation:
    with capture(execute=True):
        draft = workflow.start_draft(campaign, planner, **PROPOSED)
        draft = workflow.submit(draft.pk, planner, lock_version=draft.lock_version)
        draft = workflow.approve(draft.pk, supervisor, seen_lock_version=draft.lock_version)
    return Activation.objects.get(draft=draft)


def test_approve_then_the_workers_push_and_see_the_skill_running_with_the_approved_week_and_retry_policy(
    admin_tenant, planner, supervisor, django_capture_on_commit_callbacks
):
    campaign = stopped_and_pushable()
    a = approved(campaign, planner, supervisor, django_capture_on_commit_callbacks)
    expected = get_client().next_version(schedule_of(a.draft), base_version=a.base_version)

    assert activation.push(a.pk) == "pushed"
    a.refresh_from_db()
    # Our version is the written week's fingerprint, not base + 1 (the Admin API has no versions).
    assert (a.step, a.pushed_version) == (Step.POLLING, expected) and expected != a.base_version + 1
    pushed = AuditEntry.objects.filter(action="campaigns.activation.pushed", object_id=str(a.pk)).get()
    assert CONCURRENCY_NOTE in pushed.message

    due_now()
    assert activation_polling.poll_round("test")["finished"] == 0  # the skill is still starting: PAUSED waits
    admin_tenant.state.clock.advance(6)  # past the longest start delay
    due_now()
    assert activation_polling.poll_round("test")["finished"] == 1

    a.refresh_from_db()
    campaign.refresh_from_db()
    assert a.step == Step.ACTIVE and a.draft.status == DraftStatus.ACTIVE and a.latency_ms is not None
    assert (campaign.state, campaign.remote_version) == ("ACTIVE", expected)
    week = WeeklySchedule.from_settings(admin_tenant.state.pc.schedules[campaign.cxone_id])
    assert week.describe() == "Every day 12:00–15:00"
    held = admin_tenant.state.pc.retry[campaign.cxone_id]
    assert {k: held[k] for k in RETRY_WRITTEN} == {"maximumAttempts": 2, "minimumRetryMinutes": 2,
                                                  "restrictedCallingMinutes": 1440, "restrictedCallingMaxAttempts": 3}
    assert campaign.retry_policy["restrictedCallingMaxAttempts"] == 3  # the mirror read it back
    assert admin_tenant.state.pc.skills[campaign.cxone_id]["isRunning"] is True
    assert sum(admin_tenant.state.stats.puts.values()) == 1


def test_a_skill_running_the_week_but_not_the_retry_policy_is_not_active(
    admin_tenant, planner, supervisor, django_capture_on_commit_callbacks
):
    campaign = stopped_and_pushable()
    a = approved(campaign, planner, supervisor, django_capture_on_commit_callbacks)
    assert activation.push(a.pk) == "pushed"
    admin_tenant.state.pc.retry[campaign.cxone_id]["restrictedCallingMaxAttempts"] = 5  # changed in CXone
    admin_tenant.state.clock.advance(6)
    due_now()
    activation_polling.poll_round("test")
    a.refresh_from_db()
    assert a.step == Step.STALE and "retry policy other than ours" in a.error


def test_a_skill_whose_week_changed_in_cxone_since_approval_makes_the_activation_stale_unwritten(
    admin_tenant, planner, supervisor, django_capture_on_commit_callbacks
):
    campaign = stopped_and_pushable()
    a = approved(campaign, planner, supervisor, django_capture_on_commit_callbacks)
    # Someone edits the skill's week in CXone meanwhile.
    admin_tenant.state.pc.schedules[campaign.cxone_id] = fit_weekly("0 8 * * 1-5", 120).schedule.to_settings()

    assert activation.push(a.pk) == "stale"
    a.refresh_from_db()
    assert a.step == Step.STALE and a.draft.status == DraftStatus.STALE
    assert "has another schedule or retry policy than the one this draft was based on" in a.error
    assert sum(admin_tenant.state.stats.puts.values()) == 0


def test_a_week_the_skill_cannot_hold_cannot_even_be_submitted(admin_tenant, planner):
    campaign = stopped_and_pushable()
    # 12:00 and 14:00 for an hour: legal everywhere the contacts are, but two windows a day.
    draft = workflow.start_draft(campaign, planner, cron_expression="0 12,14 * * *", duration_minutes=60)
    with pytest.raises(BlockingFindings, match="nearest schedule that fits: Every day 12:00–15:00"):
        workflow.submit(draft.pk, planner, lock_version=draft.lock_version)
    assert sum(admin_tenant.state.stats.puts.values()) == 0


def test_a_week_with_days_off_can_be_submitted_and_the_editor_says_the_product_holds_it(admin_tenant, planner):
    campaign = stopped_and_pushable()
    draft = workflow.start_draft(campaign, planner, cron_expression="0 12 * * 1-5", duration_minutes=180)
    draft = workflow.submit(draft.pk, planner, lock_version=draft.lock_version)
    assert draft.status == "submitted"
    assert "the product now holds this week" in str(draft.findings)
