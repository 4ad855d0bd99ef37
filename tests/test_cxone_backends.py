"""The backend contract: the v2 client and the Admin API client, each against its sandbox personality over a
real socket, pass the same tests for what sync and activation rely on (sync, push, poll, stale, locked, 429,
token expiry)."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from campaigns.cxone.backend import CXoneBackend
from campaigns.cxone.errors import CampaignLocked, VersionConflict
from campaigns.cxone.factory import run_sync
from campaigns.cxone.resilience import CircuitBreaker
from campaigns.cxone.v2 import CXoneClient
from campaigns.models import Campaign
from campaigns.sandbox.server import SandboxServer
from campaigns.services.drafts import workflow
from campaigns.services.sync.mirror import sync_campaigns
from tests.cxone_support import FAST_RETRY, admin_client_for, admin_config, fast_config

PAUSED = {"outbound-v2": "C-1005", "admin": "1005"}  # seeded not running in both personalities


class Tenant:
    """One sandbox personality on a socket, its client, and what 'someone else in CXone' can do to it."""

    def __init__(self, api: str):
        self.api = api
        config = admin_config(campaigns=8) if api == "admin" else fast_config(campaigns=8)
        self.server = SandboxServer(config).start()
        self.client = self.new_client()

    def new_client(self, **options):
        if self.api == "admin":
            return admin_client_for(self.server.url, **options)
        options.setdefault("retry", FAST_RETRY)
        options.setdefault("circuit", CircuitBreaker(threshold=50, cooldown=1.0))
        return CXoneClient(self.server.url, "demo", "demo-secret", **options)

    @property
    def state(self):
        return self.server.state

    def control(self, path: str, body: dict | None = None) -> dict:
        method = "PATCH" if path == "/_sandbox/config" else "POST"
        response = httpx.request(method, self.server.url + path, json=body or {}, timeout=10)
        response.raise_for_status()
        return response.json()

    def someone_edits(self, campaign_id: str) -> None:
        kind = "skills" if self.api == "admin" else "campaigns"
        self.control(f"/_sandbox/{kind}/{campaign_id}/touch")

    def remote_count(self) -> int:
        if self.api == "admin":
            return sum(
                1 for s in self.state.pc.skills.values() if s.get("outboundStrategy") == "Personal Connection"
            )
        return len(self.state.campaigns)

    def token_requests(self) -> int:
        route = "POST /auth/token" if self.api == "admin" else "POST /oauth2/token"
        return self.state.stats.count(route, 200)

    def close(self) -> None:
        run_sync(self.client.aclose())
        self.server.stop()


@pytest.fixture(params=["outbound-v2", "admin"])
def tenant(request):
    found = Tenant(request.param)
    yield found
    found.close()


def weekday_schedule(campaign):
    # Every day: a live Admin API tenant was reported to refuse a week with a day off (the sandbox's default).
    return campaign.schedule.model_copy(update={"cron_expression": "0 10 * * *", "duration_minutes": 300})


def test_each_backend_is_the_interface_and_says_which_api_it_speaks(tenant):
    assert isinstance(tenant.client, CXoneBackend)
    assert tenant.client.capabilities.api == tenant.api


@pytest.mark.django_db
def test_sync_mirrors_every_campaign_and_a_second_sync_changes_nothing(tenant, planner):
    first = sync_campaigns(tenant.client)
    assert (first.created, first.failed) == (tenant.remote_count(), {})
    assert Campaign.objects.count() == tenant.remote_count()
    mirror = Campaign.objects.get(cxone_id=PAUSED[tenant.api])
    assert mirror.cron_expression and mirror.timezone and mirror.dnc_list_state in ("ACTIVE", "INACTIVE")
    assert mirror.contact_list_breakdown and mirror.contact_list_breakdown[0]["timezones"]

    second = sync_campaigns(tenant.client, full=True)
    assert (second.created, second.updated, second.unchanged) == (0, 0, tenant.remote_count())
    # The next sync reads only what changed where the backend can say (nothing did); else the whole list again.
    third = sync_campaigns(tenant.client)
    delta = tenant.client.capabilities.delta_sync
    assert third.kind == ("delta" if delta else "full") and (third.created, third.updated) == (0, 0)
    draft = workflow.start_draft(mirror, planner)  # a planner can start from what either API mirrored
    assert (draft.cron_expression, draft.base_version) == (mirror.cron_expression, mirror.remote_version)


def test_a_push_is_written_then_polled_until_it_runs(tenant):
    campaign_id = PAUSED[tenant.api]
    current = run_sync(tenant.client.get_campaign(campaign_id))
    assert current.state == "PAUSED"

    written = run_sync(tenant.client.put_campaign_once(current.with_schedule(weekday_schedule(current)),
                                                       base_version=current.version))  # fmt: skip
    assert written.state == "DRAFT"
    expected = tenant.client.next_version(weekday_schedule(current), base_version=current.version)
    assert [c.state for c in run_sync(tenant.client.get_campaigns([campaign_id]))] != ["ACTIVE"]

    tenant.state.clock.advance(2)  # past the sandbox's 1 s activation delay
    (polled,) = run_sync(tenant.client.get_campaigns([campaign_id, "9999999"]))
    assert polled.state == "ACTIVE" and polled.version == expected  # what activation waits for
    assert (polled.schedule.cron_expression, polled.schedule.duration_minutes) == ("0 10 * * *", 300)


def test_a_push_over_a_campaign_someone_changed_is_refused_as_stale(tenant):
    campaign_id = PAUSED[tenant.api]
    current = run_sync(tenant.client.get_campaign(campaign_id))
    tenant.someone_edits(campaign_id)

    with pytest.raises(VersionConflict):
        run_sync(tenant.client.put_campaign_once(current.with_schedule(weekday_schedule(current)),
                                                 base_version=current.version))  # fmt: skip
    assert tenant.state.stats.puts[campaign_id] == 0


def test_a_push_while_the_previous_activation_is_pending_is_refused_as_locked(tenant):
    campaign_id = PAUSED[tenant.api]
    current = run_sync(tenant.client.get_campaign(campaign_id))
    written = run_sync(tenant.client.put_campaign_once(current.with_schedule(weekday_schedule(current)),
                                                       base_version=current.version))  # fmt: skip

    again = written.with_schedule(weekday_schedule(current).model_copy(update={"duration_minutes": 240}))
    with pytest.raises(CampaignLocked):
        run_sync(tenant.client.put_campaign_once(again, base_version=written.version))


def test_429s_are_waited_out_and_the_calls_get_through(tenant):
    tenant.control("/_sandbox/config", {"rate_limit": 20, "burst": 1, "omit_retry_after": True})

    async def many():
        return await asyncio.gather(*(tenant.client.get_campaign(PAUSED[tenant.api]) for _ in range(4)))

    assert len(run_sync(many())) == 4
    assert sum(counter["429"] for counter in tenant.state.stats.requests.values()) > 0


def test_an_expired_token_is_replaced_once_however_many_calls_wait(tenant):
    run_sync(tenant.client.get_campaign(PAUSED[tenant.api]))
    assert tenant.token_requests() == 1
    tenant.control("/_sandbox/tokens/revoke")

    async def many():
        return await asyncio.gather(*(tenant.client.get_campaign(PAUSED[tenant.api]) for _ in range(6)))

    assert len(run_sync(many())) == 6
    assert tenant.token_requests() == 2
