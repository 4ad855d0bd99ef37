"""Syncs between full ones read only what changed (the Admin API's updatedSince, from the last lastPollTime):
one request when nothing did, the changed skills whole when something did, a full read every
CXONE_FULL_SYNC_SECONDS and after a read that missed part of the list; and, over any sequence of changes a
skill's own record shows, the deltas miss nothing a full sync would have found."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from campaigns.cxone.factory import run_sync, set_client_factory
from campaigns.models import (
    AuditEntry,
    Campaign,
    CampaignVersion,
    CapacityPool,
    Drift,
    SyncStatus,
    WebhookDelivery,
)
from campaigns.sandbox import create_app
from campaigns.scheduling.weekly import fit_weekly
from campaigns.services.sync import status as sync_status
from campaigns.services.sync.mirror import SYNCED_FIELDS, sync_campaigns
from tests.cxone_support import admin_asgi_client, admin_config

pytestmark = pytest.mark.django_db
API = "/inContactAPI/services/{version}"


class Tenant:
    """The sandbox's Admin personality in process as the product's CXone, and someone editing it in CXone."""

    def __init__(self, campaigns: int = 8, *, contract: bool = True):
        self.app = create_app(admin_config(campaigns=campaigns))
        self.client = admin_asgi_client(self.app, contract=contract)
        set_client_factory(lambda: self.client)

    @property
    def state(self):
        return self.app.state

    def requests(self) -> int:
        return self.state.stats.as_dict()["totalRequests"]

    def edit(self, skill_id: str, change: str, value: int) -> None:
        """Someone changes skill `skill_id` in CXone (its lastUpdateTime moves, as CXone's does)."""
        pc, now = self.state.pc, self.state.now_iso()
        if change == "week":
            week = fit_weekly(f"0 {7 + value % 10} * * *", 60 + 30 * (value % 8)).schedule
            pc.schedules[skill_id] = week.to_settings()
        elif change == "retry":
            pc.retry[skill_id].update(maximumAttempts=1 + value % 9, restrictedCallingMaxAttempts=value % 4,
                                      restrictedCallingMinutes=1440 if value % 4 else 0)  # fmt: skip
        elif change == "zones":
            pc.zones[skill_id] = pc.zones[skill_id][: 1 + value % 2]
            pc.zones[skill_id][0]["endTime"] = f"{19 + value % 3}:00"
        elif change == "running":
            pc.skills[skill_id]["isRunning"] = not pc.skills[skill_id]["isRunning"]
        elif change == "name":
            pc.skills[skill_id]["skillName"] = f"Renamed {value}"
        elif change == "calling list":
            lists = sorted(pc.call_lists, key=int)
            pc.skill_lists[skill_id] = [int(lists[value % len(lists)])]
        elif change == "cadence":
            pc.cadences[skill_id] = [{"name": "Mobile", "timeConstraints": [
                {"dayType": "Weekday", "startTime": f"{8 + value % 3:02d}:00", "endTime": "20:00"}]}]  # fmt: skip
        elif change == "strategy":
            pc.skills[skill_id]["outboundStrategy"] = "Manual" if value % 2 else "Personal Connection"
        pc.touched(skill_id, now)
        self.state.clock.advance(0.5)

    def close(self) -> None:
        set_client_factory(None)
        run_sync(self.client.aclose())


@pytest.fixture
def tenant(settings):
    settings.CXONE_API = "admin"
    settings.CXONE_FULL_SYNC_SECONDS = 3600
    found = Tenant()
    yield found
    found.close()


def test_the_first_sync_is_full_and_the_next_reads_what_changed_in_one_request(tenant):
    first = sync_campaigns()
    assert first.kind == "full" and first.created == 8
    assert sync_status.current().poll_marker  # the listing's lastPollTime, for the next sync
    tenant.state.stats.reset()

    nothing = sync_campaigns()
    assert nothing.kind == "delta" and (nothing.created, nothing.updated, nothing.missing) == (0, 0, 0)
    assert tenant.requests() == 1 and tenant.state.stats.count(f"GET {API}/skills", 200) == 1


def test_a_delta_writes_the_changed_skills_whole_and_keeps_their_unchanged_lists(tenant):
    sync_campaigns()
    before = Campaign.objects.get(cxone_id="1002")
    tenant.edit("1002", "week", 3)
    tenant.edit("1004", "retry", 2)
    tenant.state.stats.reset()

    changed = sync_campaigns()
    assert changed.kind == "delta" and changed.updated == 2
    assert tenant.requests() <= 3  # the change set, every skill's parameters at once, the business unit
    assert tenant.state.stats.count(f"GET {API}/lists/call-lists/{{list_id}}") == 0  # lists kept
    after = Campaign.objects.get(cxone_id="1002")
    assert after.cron_expression == "0 10 * * *" and after.remote_version != before.remote_version
    assert (after.contact_list_breakdown, after.dnc_list_state) == (before.contact_list_breakdown,
                                                                    before.dnc_list_state)  # fmt: skip
    assert Campaign.objects.get(cxone_id="1004").retry_policy["maxAttempts"] == 3


def test_a_skill_that_is_no_campaign_any_more_is_marked_missing_by_a_delta(tenant):
    sync_campaigns()
    tenant.edit("1003", "strategy", 1)
    result = sync_campaigns()
    assert result.kind == "delta" and result.missing == 1
    assert Campaign.objects.get(cxone_id="1003").is_missing


def test_a_full_read_comes_every_full_sync_period_and_after_a_read_that_missed_part_of_the_list(
    tenant, settings
):
    sync_campaigns()
    SyncStatus.objects.update(last_full_sync_at=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=3601))
    assert sync_campaigns().kind == "full"
    assert sync_campaigns().kind == "delta"
    SyncStatus.objects.update(poll_marker="")  # a read that could not read every page leaves no marker
    assert sync_campaigns().kind == "full"
    settings.CXONE_FULL_SYNC_SECONDS = 0
    assert sync_campaigns().kind == "full"


def test_a_campaign_the_last_sync_could_not_read_is_read_again_by_the_next_delta(tenant):
    sync_campaigns()
    list_id = tenant.state.pc.skill_lists["1001"][0]
    tenant.state.config.update(
        {"failing_paths": [f"/inContactAPI/services/v31.0/lists/call-lists/{list_id}"]}
    )
    tenant.edit("1001", "calling list", 1)  # another list, which CXone now fails to serve
    tenant.state.pc.skill_lists["1001"] = [list_id]
    SyncStatus.objects.update(poll_marker="")
    failed = sync_campaigns()
    assert "1001" in failed.failed
    tenant.state.config.update({"failing_paths": []})
    again = sync_campaigns()
    assert again.kind == "delta" and "1001" not in again.failed
    assert sync_status.current().failed_campaigns == {}


def test_a_skill_back_as_personal_connection_in_a_delta_keeps_its_dnc_list(tenant):
    sync_campaigns()
    scrubbed = Campaign.objects.get(cxone_id="1001")
    assert scrubbed.dnc_list_id and scrubbed.dnc_list_state == "ACTIVE"
    tenant.edit("1001", "strategy", 13)  # made a manual skill in CXone: no campaign of ours any more
    assert sync_campaigns().missing == 1
    tenant.edit("1001", "strategy", 0)  # and back
    back = sync_campaigns()
    assert back.kind == "delta" and back.reappeared == 1
    again = Campaign.objects.get(cxone_id="1001")
    assert (again.dnc_list_id, again.dnc_list_state, again.dnc_rules) == (
        scrubbed.dnc_list_id,
        "ACTIVE",
        scrubbed.dnc_rules,
    )


CHANGES = st.lists(
    st.tuples(
        st.sampled_from(["1001", "1002", "1003", "1004", "1005", "1006"]),
        st.sampled_from(["week", "retry", "zones", "running", "name", "calling list", "cadence", "strategy"]),
        st.integers(min_value=0, max_value=20),
        st.booleans(),  # sync after this change
    ),
    max_size=10,
)
MIRRORED = [name for name in SYNCED_FIELDS if name != "pool"] + ["pool_id"]


def mirror_rows() -> dict[str, dict]:
    return {row["cxone_id"]: row for row in Campaign.objects.values("cxone_id", *MIRRORED)}


@hypothesis_settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(changes=CHANGES)
@example(changes=[("1001", "strategy", 13, True), ("1001", "strategy", 0, False)])  # once found: DNC lost
def test_deltas_miss_nothing_a_full_sync_would_find(settings, changes):
    settings.CXONE_API, settings.CXONE_FULL_SYNC_SECONDS = "admin", 3600
    # (The drift check of each sync writes versions, changes and their WFM events: those go first.)
    for model in (WebhookDelivery, Drift, CampaignVersion, AuditEntry, Campaign, CapacityPool, SyncStatus):
        model.objects.all().delete()
    # Not held to the contract here (the other tests are): thousands of records per example would be slow.
    tenant = Tenant(6, contract=False)
    try:
        sync_campaigns()
        for skill_id, change, value, sync_now in changes:
            tenant.edit(skill_id, change, value)
            if sync_now:
                assert sync_campaigns().kind == "delta"
        assert sync_campaigns().kind == "delta"
        by_deltas = mirror_rows()
        full = sync_campaigns(full=True)
        assert (full.created, full.updated, full.missing, full.reappeared) == (0, 0, 0, 0)
        assert mirror_rows() == by_deltas
    finally:
        tenant.close()


def test_the_command_says_when_it_read_only_what_changed_and_full_reads_the_whole_list(tenant):
    call_command("sync_campaigns", stdout=io.StringIO())
    said = io.StringIO()
    call_command("sync_campaigns", stdout=said)
    assert said.getvalue().startswith("created 0, updated 0") and "only what changed" in said.getvalue()
    said = io.StringIO()
    call_command("sync_campaigns", "--full", stdout=said)
    assert "unchanged 8" in said.getvalue() and "only what changed" not in said.getvalue()
