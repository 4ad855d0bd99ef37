"""End to end on the sandbox's Admin API personality over a real socket, as a real tenant would be used: sync,
a planner's draft, submission and approval through the workflow, the push through the backend interface, and
the skill running with the approved week. The push here is the interface's (put_campaign, then polls); the
activation worker drives the same calls once it is merged (see README, "A real CXone tenant")."""

from __future__ import annotations

import pytest

from campaigns.cxone.client import get_client, run_sync, set_client_factory
from campaigns.cxone.sandbox.server import SandboxServer
from campaigns.cxone.schemas import Schedule
from campaigns.models import Campaign, DraftStatus
from campaigns.scheduling.weekly import WeeklySchedule
from campaigns.services import draft_checks, workflow
from campaigns.services.errors import BlockingFindings
from campaigns.services.sync import sync_campaigns
from tests.cxone_support import admin_client_for, admin_config

pytestmark = pytest.mark.django_db

PROPOSED = {"cron_expression": "0 12 * * 1-5", "duration_minutes": 180}


@pytest.fixture
def admin_tenant(settings):
    settings.CXONE_API = "admin"
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


def test_approve_then_push_then_the_skill_runs_with_the_approved_week(admin_tenant, planner, supervisor):
    campaign = stopped_and_pushable()
    draft = workflow.start_draft(campaign, planner, **PROPOSED)
    draft = workflow.submit(draft.pk, planner, lock_version=draft.lock_version)
    draft = workflow.approve(draft.pk, supervisor, seen_lock_version=draft.lock_version)
    assert draft.status == DraftStatus.APPROVED

    client = get_client()
    remote = run_sync(client.get_campaign(campaign.cxone_id))
    assert remote.version == draft.base_version  # nobody changed the skill since the draft was started
    schedule = Schedule(timezone=draft.timezone, cron_expression=draft.cron_expression,
                        duration_minutes=draft.duration_minutes)  # fmt: skip
    expected = client.next_version(schedule, base_version=draft.base_version)
    pushed = run_sync(client.put_campaign(remote.with_schedule(schedule), base_version=draft.base_version))
    assert pushed.state == "DRAFT"  # written; the skill is starting

    admin_tenant.state.clock.advance(6)  # past the longest activation delay
    (running,) = run_sync(client.get_campaigns([campaign.cxone_id]))
    assert (running.state, running.version) == ("ACTIVE", expected)
    skill_id = campaign.cxone_id
    week = WeeklySchedule.from_settings(admin_tenant.state.pc.schedules[skill_id])
    assert week.describe() == "Weekdays 12:00–15:00"
    assert admin_tenant.state.pc.skills[skill_id]["isRunning"] is True


def test_a_week_the_skill_cannot_hold_cannot_even_be_submitted(admin_tenant, planner):
    campaign = stopped_and_pushable()
    # 12:00 and 14:00 for an hour: legal everywhere the contacts are, but two windows a day.
    draft = workflow.start_draft(campaign, planner, cron_expression="0 12,14 * * 1-5", duration_minutes=60)
    with pytest.raises(BlockingFindings, match="nearest schedule that fits: Weekdays 12:00–15:00"):
        workflow.submit(draft.pk, planner, lock_version=draft.lock_version)
    assert sum(admin_tenant.state.stats.puts.values()) == 0
