"""Campaign sync against the sandbox in process: upserts, idempotency, missing campaigns, stale drafts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from campaigns.cxone.client import run_sync
from campaigns.cxone.errors import ServerError
from campaigns.cxone.sandbox import create_app
from campaigns.models import AuditEntry, Campaign, CapacityPool, DraftStatus
from campaigns.schedules import SYNC_SCHEDULE_NAME, ensure_schedules
from campaigns.services.sync import DEFAULT_POOL_AGENTS, sync_campaigns
from campaigns.tasks import sync_campaigns_task
from tests.conftest import make_campaign, make_draft
from tests.cxone_support import asgi_client, fast_config

pytestmark = pytest.mark.django_db


@pytest.fixture
def tenant():
    return create_app(fast_config(campaigns=40))


@pytest.fixture
def cxone(tenant):
    client = asgi_client(tenant)
    yield client
    run_sync(client.aclose())


def synced_audits():
    return AuditEntry.objects.filter(action="campaigns.campaign.synced")


def test_the_first_sync_mirrors_every_campaign_with_its_pool_dnc_list_and_contacts(tenant, cxone):
    result = sync_campaigns(cxone)

    assert (result.created, result.updated, result.unchanged, result.missing) == (40, 0, 0, 0)
    assert Campaign.objects.count() == 40
    remote = tenant.state.campaigns["C-1003"]
    mirror = Campaign.objects.select_related("pool").get(cxone_id="C-1003")
    assert mirror.name == remote["name"] and mirror.remote_version == remote["version"]
    assert (
        mirror.pool.cxone_skill_id == remote["skill"]["id"]
        and mirror.pool.agents == remote["skill"]["agents"]
    )
    assert mirror.timezone == remote["schedule"]["timezone"]
    assert mirror.cron_expression == remote["schedule"]["cronExpression"]
    assert mirror.effective_start == dt.datetime.fromisoformat(remote["schedule"]["startTime"])
    assert mirror.retry_policy == remote["schedule"]["retryPolicy"]
    contacts = tenant.state.contact_lists[remote["contactList"]["id"]]
    assert (
        mirror.contact_list_breakdown == contacts["breakdown"]
        and mirror.contact_list_size == contacts["size"]
    )
    dnc = tenant.state.dnc_lists[remote["dncListId"]]
    assert (mirror.dnc_list_name, mirror.dnc_list_state) == (dnc["name"], dnc["state"])
    # C-1003's rules come in the nested shape; the mirror stores them flat.
    assert mirror.dnc_rules[0] == {"type": "FCC_MIN_TIME", "value": "08:00"}
    assert mirror.raw_payload == remote and mirror.synced_at is not None
    assert CapacityPool.objects.count() == len({c["skill"]["id"] for c in tenant.state.campaigns.values()})
    assert synced_audits().count() == 40


def test_a_second_sync_changes_nothing_and_records_nothing(cxone):
    sync_campaigns(cxone)
    audits = synced_audits().count()

    result = sync_campaigns(cxone)

    assert (result.created, result.updated, result.unchanged, result.missing) == (0, 0, 40, 0)
    assert synced_audits().count() == audits


def test_a_campaign_changed_in_cxone_is_updated_and_the_change_audited(tenant, cxone):
    sync_campaigns(cxone)
    tenant.state.touch("C-1005", {"name": "Renewals Far North", "state": "PAUSED"})

    result = sync_campaigns(cxone)

    assert (result.updated, result.unchanged) == (1, 39)
    mirror = Campaign.objects.get(cxone_id="C-1005")
    assert (mirror.name, mirror.state) == ("Renewals Far North", "PAUSED")
    entry = synced_audits().filter(campaign=mirror).first()
    assert entry.changes["name"][1] == "Renewals Far North"
    assert entry.changes["remote_version"] == [mirror.remote_version - 1, mirror.remote_version]
    assert "raw_payload" not in entry.changes


def test_a_campaign_gone_from_cxone_is_marked_missing_not_deleted_and_cleared_when_it_returns(tenant, cxone):
    sync_campaigns(cxone)
    kept = tenant.state.campaigns["C-1007"]
    tenant.state.remove("C-1007")

    gone = sync_campaigns(cxone)
    again = sync_campaigns(cxone)
    tenant.state.campaigns["C-1007"] = kept
    back = sync_campaigns(cxone)

    assert gone.missing == 1 and again.missing == 0
    assert back.reappeared == 1 and back.updated == 1
    assert Campaign.objects.get(cxone_id="C-1007").missing_since is None
    history = synced_audits().filter(campaign__cxone_id="C-1007").order_by("id")
    assert [list(e.changes) for e in history][-2:] == [["missing_since"], ["missing_since"]]


def test_missing_since_stays_at_the_first_sync_that_missed_the_campaign(tenant, cxone):
    sync_campaigns(cxone)
    tenant.state.remove("C-1007")
    first = timezone.now()
    sync_campaigns(cxone, now=first)
    sync_campaigns(cxone, now=first + dt.timedelta(minutes=5))
    assert Campaign.objects.get(cxone_id="C-1007").missing_since == first


def test_open_drafts_behind_the_new_remote_version_are_marked_stale_once(tenant, cxone, planner, supervisor):
    sync_campaigns(cxone)
    campaigns = {c.cxone_id: c for c in Campaign.objects.filter(cxone_id__in=["C-1001", "C-1002", "C-1003"])}
    behind = make_draft(campaigns["C-1001"], planner, status=DraftStatus.SUBMITTED)
    untouched_campaign = make_draft(campaigns["C-1002"], planner)
    rejected = make_draft(
        campaigns["C-1003"], planner, status=DraftStatus.REJECTED, approver=supervisor, rejection_reason="no"
    )
    for campaign_id in ("C-1001", "C-1003"):
        tenant.state.touch(campaign_id, {})

    result = sync_campaigns(cxone)
    sync_campaigns(cxone)

    assert result.drafts_marked_stale == 1
    behind.refresh_from_db()
    untouched_campaign.refresh_from_db()
    rejected.refresh_from_db()
    assert behind.stale_since is not None and behind.status == DraftStatus.SUBMITTED
    assert untouched_campaign.stale_since is None and rejected.stale_since is None
    stale_audits = AuditEntry.objects.filter(action="campaigns.draft.marked_stale")
    assert [(a.object_id, a.campaign_id) for a in stale_audits] == [(str(behind.pk), behind.campaign_id)]
    assert "version" in stale_audits.get().message


def test_an_activating_draft_is_not_marked_stale_by_its_own_push(tenant, cxone, planner, supervisor):
    sync_campaigns(cxone)
    campaign = Campaign.objects.get(cxone_id="C-1001")
    draft = make_draft(campaign, planner, status=DraftStatus.ACTIVATING, approver=supervisor)
    tenant.state.touch("C-1001", {})
    sync_campaigns(cxone)
    draft.refresh_from_db()
    assert draft.stale_since is None


def test_sync_reads_every_page(tenant):
    big = create_app(fast_config(campaigns=230))
    client = asgi_client(big)
    try:
        result = sync_campaigns(client)
    finally:
        run_sync(client.aclose())
    assert result.created == 230 and Campaign.objects.count() == 230
    assert big.state.stats.count("GET /api/v2/outbound/campaigns", 200) == 3


def test_the_number_of_queries_does_not_grow_with_the_number_of_campaigns(django_assert_max_num_queries):
    counts = {}
    for size in (10, 120):
        AuditEntry.objects.all().delete()
        Campaign.objects.all().delete()
        app = create_app(fast_config(campaigns=size, seed=size))
        client = asgi_client(app)
        try:
            sync_campaigns(client)  # creation: one audit row per campaign, the rest in bulk
            app.state.touch("C-1002", {"name": "Changed"})
            with django_assert_max_num_queries(20) as captured:
                sync_campaigns(client)
            counts[size] = len(captured.captured_queries)
        finally:
            run_sync(client.aclose())
    assert counts[10] == counts[120], counts


def test_pools_keep_the_agents_a_planner_set_and_new_pools_get_a_sensible_default(tenant, cxone):
    CapacityPool.objects.create(cxone_skill_id="S-10", name="Old name", agents=3)
    for campaign in tenant.state.campaigns.values():
        campaign["skill"].pop("agents", None)  # as real CXone: no agent count on a skill
    tenant.state.campaigns["C-1001"]["skill"] = {"id": "S-10", "name": "Renewals"}

    result = sync_campaigns(cxone)

    renamed = CapacityPool.objects.get(cxone_skill_id="S-10")
    assert (renamed.name, renamed.agents) == ("Renewals", 3) and result.pools_updated == 1
    others = CapacityPool.objects.exclude(cxone_skill_id="S-10")
    assert others and all(pool.agents == DEFAULT_POOL_AGENTS for pool in others)


def test_a_failed_fetch_writes_nothing_and_marks_nothing_missing(tenant, cxone, pool):
    make_campaign("C-9001", pool=pool)
    tenant.state.config.update({"server_error_rate": 1.0})
    with pytest.raises(ServerError):
        sync_campaigns(cxone)
    assert Campaign.objects.get(cxone_id="C-9001").missing_since is None
    assert Campaign.objects.count() == 1


def test_a_dnc_list_cxone_no_longer_has_leaves_the_campaign_synced_without_it(tenant, cxone):
    dnc_id = tenant.state.campaigns["C-1001"]["dncListId"]
    del tenant.state.dnc_lists[dnc_id]
    result = sync_campaigns(cxone)
    mirror = Campaign.objects.get(cxone_id="C-1001")
    assert result.created == 40 and dnc_id in result.lists_not_found
    assert (mirror.dnc_list_id, mirror.dnc_list_name, mirror.dnc_list_state) == (dnc_id, "", "")


def test_the_sync_task_runs_the_sync_with_the_shared_client(tenant, settings):
    from campaigns.cxone.client import set_client_factory

    set_client_factory(lambda: asgi_client(tenant))
    try:
        outcome = sync_campaigns_task()
    finally:
        set_client_factory(None)
    assert outcome["created"] == 40 and Campaign.objects.count() == 40


def test_ensure_schedules_creates_the_sync_schedule_once():
    from django_q.models import Schedule

    assert ensure_schedules() == {SYNC_SCHEDULE_NAME: "created"}
    schedule = Schedule.objects.get(name=SYNC_SCHEDULE_NAME)
    schedule.minutes = 60
    schedule.save()
    assert ensure_schedules() == {SYNC_SCHEDULE_NAME: "updated"}
    assert ensure_schedules() == {SYNC_SCHEDULE_NAME: "unchanged"}
    schedule = Schedule.objects.get(name=SYNC_SCHEDULE_NAME)
    assert (schedule.func, schedule.schedule_type, schedule.minutes, schedule.repeats) == (
        "campaigns.tasks.sync_campaigns_task",
        Schedule.MINUTES,
        5,
        -1,
    )
