"""Campaign sync against the sandbox in process: upserts, idempotency, missing campaigns, stale drafts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from campaigns.cxone.errors import ServerError
from campaigns.cxone.factory import run_sync
from campaigns.models import AuditEntry, Campaign, CapacityPool, DraftStatus, ScheduleDraft, SyncStatus
from campaigns.periodic_tasks import SYNC_SCHEDULE_NAME, ensure_schedules
from campaigns.sandbox import create_app
from campaigns.services.sync.behind import BEHIND_REMOTE_ACTION
from campaigns.services.sync.mirror import DEFAULT_POOL_AGENTS, sync_campaigns
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

    assert result.drafts_flagged_behind == 1
    behind.refresh_from_db()
    untouched_campaign.refresh_from_db()
    rejected.refresh_from_db()
    assert behind.behind_remote_since is not None and behind.status == DraftStatus.SUBMITTED
    assert untouched_campaign.behind_remote_since is None and rejected.behind_remote_since is None
    stale_audits = AuditEntry.objects.filter(action=BEHIND_REMOTE_ACTION)
    assert BEHIND_REMOTE_ACTION == "campaigns.draft.behind_remote"
    assert [(a.object_id, a.campaign_id) for a in stale_audits] == [(str(behind.pk), behind.campaign_id)]
    assert "version" in stale_audits.get().message
    # "marked_stale" is the workflow's STALE status transition, which sync does not make.
    assert not AuditEntry.objects.filter(action="campaigns.draft.marked_stale").exists()


def test_an_activating_draft_is_not_marked_stale_by_its_own_push(tenant, cxone, planner, supervisor):
    sync_campaigns(cxone)
    campaign = Campaign.objects.get(cxone_id="C-1001")
    draft = make_draft(campaign, planner, status=DraftStatus.ACTIVATING, approver=supervisor)
    tenant.state.touch("C-1001", {})
    sync_campaigns(cxone)
    draft.refresh_from_db()
    assert draft.behind_remote_since is None


def test_sync_reads_every_page(tenant):
    big = create_app(fast_config(campaigns=230))
    client = asgi_client(big)
    try:
        result = sync_campaigns(client)
    finally:
        run_sync(client.aclose())
    assert result.created == 230 and Campaign.objects.count() == 230
    assert big.state.stats.count("GET /api/v2/outbound/campaigns", 200) == 3


def audit_rows(**filters) -> list[tuple]:
    return list(
        AuditEntry.objects.filter(**filters)
        .order_by("id")
        .values_list(
            "actor", "action", "campaign__cxone_id", "object_type", "object_id", "message", "changes"
        )
    )


def test_each_change_gets_its_audit_row_all_written_in_one_insert(tenant, cxone, planner):
    sync_campaigns(cxone)
    campaigns = {c.cxone_id: c for c in Campaign.objects.filter(cxone_id__in=["C-1001", "C-1002", "C-1003"])}
    draft = make_draft(campaigns["C-1001"], planner)
    tenant.state.touch("C-1001", {})  # only the version moves: the draft falls behind
    tenant.state.touch("C-1002", {"name": "Renamed in CXone"})
    tenant.state.remove("C-1003")
    AuditEntry.objects.all().delete()
    now = timezone.now()

    with CaptureQueriesContext(connection) as captured:
        sync_campaigns(cxone, now=now)

    inserts = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("INSERT")]
    assert len(inserts) == 1 and AuditEntry._meta.db_table in inserts[0]
    c1001, c1002 = (Campaign.objects.get(cxone_id=i) for i in ("C-1001", "C-1002"))
    assert audit_rows() == [
        (
            None,
            "campaigns.campaign.synced",
            "C-1001",
            "campaign",
            str(c1001.pk),
            "Updated from CXone.",
            {
                "remote_version": [c1001.remote_version - 1, c1001.remote_version],
                "remote_updated_at": [
                    campaigns["C-1001"].remote_updated_at.isoformat(),
                    c1001.remote_updated_at.isoformat(),
                ],
            },
        ),
        (
            None,
            "campaigns.campaign.synced",
            "C-1002",
            "campaign",
            str(c1002.pk),
            "Updated from CXone.",
            {
                "name": [campaigns["C-1002"].name, "Renamed in CXone"],
                "remote_version": [c1002.remote_version - 1, c1002.remote_version],
                "remote_updated_at": [
                    campaigns["C-1002"].remote_updated_at.isoformat(),
                    c1002.remote_updated_at.isoformat(),
                ],
            },
        ),
        (
            None,
            "campaigns.campaign.synced",
            "C-1003",
            "campaign",
            str(campaigns["C-1003"].pk),
            "CXone no longer lists this campaign; kept and marked missing.",
            {"missing_since": [None, now.isoformat()]},
        ),
        (
            None,
            BEHIND_REMOTE_ACTION,
            "C-1001",
            "scheduledraft",
            str(draft.pk),
            f"CXone moved C-1001 to version {c1001.remote_version}; "
            f"this draft was based on version {draft.base_version}.",
            {},
        ),
    ]


def test_a_created_campaign_gets_its_audit_row(cxone):
    sync_campaigns(cxone)
    mirror = Campaign.objects.get(cxone_id="C-1004")
    assert audit_rows(campaign=mirror) == [
        (
            None,
            "campaigns.campaign.synced",
            "C-1004",
            "campaign",
            str(mirror.pk),
            f"Mirrored from CXone at version {mirror.remote_version}.",
            {"state": [None, mirror.state], "remote_version": [None, mirror.remote_version]},
        )
    ]


def queries_of_each_kind_of_sync(size: int, planner) -> dict[str, int]:
    """Queries of a first sync, of one that updates all but two campaigns, marks those two missing and flags
    a draft on each updated campaign, and of one that finds nothing new, against a sandbox of `size`."""
    app = create_app(fast_config(campaigns=size))
    client = asgi_client(app)
    queries: dict[str, int] = {}

    def measured(kind: str, expected: tuple[int, ...]) -> None:
        with CaptureQueriesContext(connection) as captured:
            result = sync_campaigns(client)
        outcome = (
            result.created,
            result.updated,
            result.unchanged,
            result.missing,
            result.drafts_flagged_behind,
        )
        assert outcome == expected, (size, kind)
        queries[kind] = len(captured.captured_queries)

    try:
        measured("create", (size, 0, 0, 0, 0))
        for campaign in Campaign.objects.all():
            make_draft(campaign, planner)
        ids = sorted(app.state.campaigns)
        for campaign_id in ids[:-2]:
            app.state.touch(campaign_id, {"name": f"Changed {campaign_id}"})
        for campaign_id in ids[-2:]:
            app.state.remove(campaign_id)
        measured("update, missing, drafts behind", (0, size - 2, 0, 2, size - 2))
        measured("unchanged", (0, 0, size - 2, 0, 0))
    finally:
        run_sync(client.aclose())
    return queries


def test_the_number_of_queries_does_not_grow_with_the_number_of_campaigns(planner):
    """25 campaigns stay within one batch of each bulk write, even on SQLite (its 999-parameter limit allows 28
    campaigns per INSERT); past that a bulk write adds one query per batch (see the sync module's docstring)."""
    small = queries_of_each_kind_of_sync(5, planner)
    ScheduleDraft.objects.all().delete()
    AuditEntry.objects.all().delete()
    Campaign.objects.all().delete()
    CapacityPool.objects.all().delete()
    SyncStatus.objects.all().delete()  # the status row is created by the first sync ever, as it was above
    large = queries_of_each_kind_of_sync(25, planner)
    assert small == large


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
    from campaigns.cxone.factory import set_client_factory

    set_client_factory(lambda: asgi_client(tenant))
    try:
        outcome = sync_campaigns_task()
    finally:
        set_client_factory(None)
    assert outcome["created"] == 40 and Campaign.objects.count() == 40


def test_ensure_schedules_creates_the_sync_schedule_once():
    from django_q.models import Schedule

    assert ensure_schedules()[SYNC_SCHEDULE_NAME] == "created"
    schedule = Schedule.objects.get(name=SYNC_SCHEDULE_NAME)
    schedule.minutes = 60
    schedule.save()
    assert ensure_schedules()[SYNC_SCHEDULE_NAME] == "updated"
    assert ensure_schedules()[SYNC_SCHEDULE_NAME] == "unchanged"
    schedule = Schedule.objects.get(name=SYNC_SCHEDULE_NAME)
    assert (schedule.func, schedule.schedule_type, schedule.minutes, schedule.repeats) == (
        "campaigns.tasks.sync_campaigns_task",
        Schedule.MINUTES,
        5,
        -1,
    )
    # Its task may run as long as the tenant needs: the cluster's 60 s timeout would kill a large sync.
    assert schedule.kwargs == "q_options={'timeout': 3600}"


def test_a_sync_records_its_outcome_and_the_campaigns_it_changed(tenant, cxone):
    first = sync_campaigns(cxone)
    tenant.state.touch("C-1002", {"name": "Renamed in CXone"})
    second = sync_campaigns(cxone)

    assert len(first.changed_campaign_pks) == 40
    assert second.changed_campaign_pks == [Campaign.objects.get(cxone_id="C-1002").pk]
    status = SyncStatus.objects.get()
    assert status.last_success_at is not None and status.last_error == "" and status.lease_until is None
    assert status.last_result == {
        "created": 0,
        "updated": 1,
        "unchanged": 39,
        "missing": 0,
        "reappeared": 0,
        "drafts_flagged_behind": 0,
        "failed": 0,
    }


def test_a_sync_that_cannot_read_the_list_records_why_and_keeps_the_last_success(tenant, cxone):
    sync_campaigns(cxone)
    success = SyncStatus.objects.get().last_success_at
    tenant.state.config.update({"server_error_rate": 1.0})
    with pytest.raises(ServerError):
        sync_campaigns(cxone)
    status = SyncStatus.objects.get()
    assert status.last_success_at == success and status.lease_until is None
    assert status.last_error.startswith("ServerError: GET /api/v2/outbound/campaigns")
