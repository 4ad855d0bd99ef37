"""The CXone client's API calls against the sandbox, in process and over a real socket."""

from __future__ import annotations

import asyncio
import logging

import pytest

from campaigns.cxone import configured
from campaigns.cxone.admin_client import AdminClient
from campaigns.cxone.errors import (
    CampaignLocked,
    CXoneNotConfigured,
    NotFound,
    ValidationFailed,
    VersionConflict,
)
from campaigns.cxone.factory import get_client, run_sync, set_client_factory
from campaigns.cxone.ratelimit import DatabaseStore, RedisStore
from campaigns.cxone.schemas import Campaign, Schedule
from campaigns.cxone.v2 import CXoneClient
from campaigns.sandbox import SandboxServer, create_app
from tests.cxone_support import FAST_RETRY, asgi_client, every_campaign, fast_config


@pytest.fixture
def sandbox_app():
    return create_app(fast_config())


@pytest.fixture
def socket_sandbox():
    with SandboxServer(fast_config()) as server:
        yield server


async def test_it_lists_campaigns_page_by_page_with_a_next_link(sandbox_app):
    async with asgi_client(sandbox_app) as cxone:
        first = await cxone.list_campaigns(skip=0, top=15)
        last = await cxone.list_campaigns(skip=30, top=15)
    assert first.total_records == 40
    assert [c.id for c in first.campaigns] == [f"C-{1001 + i}" for i in range(15)]
    assert first.links["next"].endswith("skip=15&top=15")
    assert len(last.campaigns) == 10 and "next" not in last.links


async def test_it_reads_every_campaign_across_pages(sandbox_app):
    async with asgi_client(sandbox_app) as cxone:
        campaigns = await every_campaign(cxone, page_size=7)
    assert len({c.id for c in campaigns}) == 40
    assert sandbox_app.state.stats.count("GET /api/v2/outbound/campaigns", 200) == 6


async def test_it_reads_many_campaigns_in_one_request_by_id(sandbox_app):
    async with asgi_client(sandbox_app) as cxone:
        found = await cxone.get_campaigns(["C-1003", "C-1010", "C-9999", "C-1003"])
    assert sorted(c.id for c in found) == ["C-1003", "C-1010"]
    assert sandbox_app.state.stats.count("GET /api/v2/outbound/campaigns") == 1


async def test_it_reads_a_campaign_with_its_schedule_and_both_dnc_rule_shapes(sandbox_app):
    async with asgi_client(sandbox_app) as cxone:
        flat = await cxone.get_campaign("C-1001")
        nested = await cxone.get_campaign("C-1003")  # the seed tags every third campaign's rules the new way
    assert flat.schedule.timezone == "America/New_York" and flat.schedule.retry_policy.max_attempts >= 1
    assert nested.raw["dncRules"][0] == {"regulatory": {"type": "FCC_MIN_TIME"}, "value": "08:00"}
    assert [r.flat() for r in nested.dnc_rules][:2] == [
        {"type": "FCC_MIN_TIME", "value": "08:00"},
        {"type": "FCC_MAX_TIME", "value": "21:00"},
    ]
    assert nested.to_put_payload(99)["dncRules"] == nested.raw["dncRules"]


async def test_a_missing_campaign_raises_not_found(sandbox_app):
    async with asgi_client(sandbox_app) as cxone:
        with pytest.raises(NotFound) as caught:
            await cxone.get_campaign("C-0000")
    assert caught.value.code == "campaign.not_found" and not caught.value.retryable


async def test_an_id_with_a_slash_never_reaches_another_route(sandbox_app):
    async with asgi_client(sandbox_app) as cxone:
        with pytest.raises(NotFound):
            await cxone.get_campaign("../dnc/D-1")
    assert sandbox_app.state.stats.as_dict()["totalRequests"] == 0


async def test_it_reads_a_dnc_list_and_a_contact_list_breakdown(sandbox_app):
    async with asgi_client(sandbox_app) as cxone:
        dnc = await cxone.get_dnc_list("D-5")
        contacts = await cxone.get_contact_list("L-71")
        with pytest.raises(NotFound):
            await cxone.get_dnc_list("D-404")
    assert dnc.state == "INACTIVE"
    assert contacts.size == sum(entry.count for entry in contacts.breakdown) > 0
    assert all(entry.timezones for entry in contacts.breakdown)


async def test_a_put_proposes_the_next_version_and_activates_after_the_delay(sandbox_app):
    async with asgi_client(sandbox_app) as cxone:
        remote = await cxone.get_campaign("C-1001")
        new_schedule = remote.schedule.model_copy(update={"cron_expression": "15 10 * * 1-5"})
        stored = await cxone.put_campaign_once(
            remote.with_schedule(new_schedule), base_version=remote.version
        )
        assert (stored.state, stored.version) == ("DRAFT", remote.version + 1)
        sandbox_app.state.clock.advance(1.5)
        active = await cxone.get_campaign("C-1001")
    assert active.state == "ACTIVE" and active.activated_at is not None
    assert active.schedule.cron_expression == "15 10 * * 1-5"
    assert sandbox_app.state.stats.as_dict()["putsPerCampaign"] == {"C-1001": 1}


async def test_a_put_during_a_pending_activation_raises_campaign_locked(sandbox_app):
    async with asgi_client(sandbox_app) as cxone:
        remote = await cxone.get_campaign("C-1001")
        stored = await cxone.put_campaign_once(remote, base_version=remote.version)
        with pytest.raises(CampaignLocked) as caught:
            await cxone.put_campaign_once(stored, base_version=stored.version)
    assert caught.value.status_code == 403 and caught.value.retryable


async def test_a_put_from_a_stale_version_raises_version_conflict_with_the_current_version(sandbox_app):
    async with asgi_client(sandbox_app) as cxone:
        remote = await cxone.get_campaign("C-1004")
        sandbox_app.state.touch("C-1004", {"name": "Renamed in CXone"})
        with pytest.raises(VersionConflict) as caught:
            await cxone.put_campaign_once(remote, base_version=remote.version)
    assert caught.value.current_version == remote.version + 1
    assert not caught.value.after_retry and not caught.value.retryable


async def test_a_put_cxone_refuses_raises_validation_failed_with_the_field_details(sandbox_app):
    async with asgi_client(sandbox_app) as cxone:
        remote = await cxone.get_campaign("C-1001")
        bad = Schedule(timezone="Mars/Olympus", cron_expression="0 9 * *", duration_minutes=2000)
        with pytest.raises(ValidationFailed) as caught:
            await cxone.put_campaign_once(remote.with_schedule(bad), base_version=remote.version)
    fields = {detail["field"] for detail in caught.value.details}
    assert {"schedule.timezone", "schedule.cronExpression", "schedule.durationMinutes"} <= fields


async def test_an_activation_of_a_campaign_with_an_inactive_dnc_list_ends_in_error(sandbox_app):
    async with asgi_client(sandbox_app) as cxone:
        remote = await cxone.get_campaign("C-1001")
        await cxone.put_campaign_once(
            remote.model_copy(update={"dnc_list_id": "D-5"}), base_version=remote.version
        )
        sandbox_app.state.clock.advance(2)
        ended = await cxone.get_campaign("C-1001")
    assert ended.state == "ERROR" and ended.errors[0]["code"] == "dnc.list_inactive"


async def test_requests_are_logged_without_the_secret_or_the_token(sandbox_app, caplog):
    caplog.set_level(logging.DEBUG)
    async with asgi_client(sandbox_app) as cxone:
        await cxone.get_campaign("C-1001")
    (token,) = sandbox_app.state.tokens
    text = "\n".join(f"{r.getMessage()} {r.__dict__}" for r in caplog.records)
    assert "GET /api/v2/outbound/campaigns/C-1001 -> 200" in text
    assert "POST /oauth2/token -> 200" in text
    assert token and token not in text and "demo-secret" not in text
    assert "demo-secret" not in repr(cxone)


async def test_the_shared_client_is_one_per_event_loop():
    built = []

    def factory():
        built.append(CXoneClient("http://cxone.test", "demo", "demo-secret"))
        return built[-1]

    set_client_factory(factory)
    try:
        first, again = get_client(), get_client()
        other_loop = await asyncio.to_thread(lambda: asyncio.run(_client_of_a_new_loop()))
    finally:
        set_client_factory(None)
    assert first is again is built[0]
    assert other_loop is not first and len(built) == 2


async def _client_of_a_new_loop():
    return get_client()


def test_sync_code_calls_the_client_through_the_bridge_loop_and_keeps_its_token(sandbox_app):
    set_client_factory(lambda: asgi_client(sandbox_app))
    try:
        first = run_sync(get_client().get_campaign("C-1001"))
        second = run_sync(get_client().get_campaign("C-1002"))
    finally:
        set_client_factory(None)
    assert (first.id, second.id) == ("C-1001", "C-1002")
    assert sandbox_app.state.stats.count("POST /oauth2/token") == 1


async def test_run_sync_refuses_to_block_an_event_loop():
    with pytest.raises(RuntimeError, match="await"):
        run_sync(asyncio.sleep(0))


def test_a_client_from_settings_needs_the_cxone_settings(settings):
    settings.CXONE_BASE_URL = None
    with pytest.raises(CXoneNotConfigured, match="CXONE_BASE_URL"):
        configured.build_client()


def test_a_client_from_settings_uses_the_configured_tenant_and_timeout(settings):
    settings.CXONE_BASE_URL, settings.CXONE_CLIENT_ID = "https://eu1.api.example.test", "planner"
    settings.CXONE_CLIENT_SECRET, settings.CXONE_TIMEOUT_SECONDS = "s3cret", 7
    settings.CXONE_RATE_LIMIT, settings.CXONE_BURST, settings.CXONE_RETRY_BUDGET_SECONDS = 2.5, 8, 45
    built = configured.build_client()
    assert isinstance(built, CXoneClient) and built.capabilities.api == "outbound-v2"
    transport = built.transport
    assert transport.base_url == "https://eu1.api.example.test" and built.client_id == "planner"
    assert transport.timeout == 7
    # Every call of the product's clients takes its turn from the deployment's shared bucket.
    assert (transport.rate_limit.rate, transport.rate_limit.burst) == (2.5, 8)
    assert transport.rate_limit.name == "https://eu1.api.example.test|planner"
    expected_store = RedisStore if settings.REDIS_URL else DatabaseStore
    assert isinstance(transport.rate_limit.store, expected_store)
    assert transport.retry.total_seconds == 45


def test_the_admin_api_from_settings_needs_an_access_key_and_then_is_the_admin_client(settings):
    settings.CXONE_API = "admin"
    settings.CXONE_BASE_URL = "https://x.test"
    settings.CXONE_CLIENT_ID, settings.CXONE_CLIENT_SECRET = "app", "s"
    settings.CXONE_ACCESS_KEY_ID, settings.CXONE_ACCESS_KEY_SECRET = "key", None
    with pytest.raises(CXoneNotConfigured, match="CXONE_ACCESS_KEY_SECRET"):
        configured.build_client()
    settings.CXONE_ACCESS_KEY_SECRET, settings.CXONE_TENANT_ID = "key-secret", "tenant-1"
    built = configured.build_client()
    assert isinstance(built, AdminClient) and built.capabilities.api == "admin"
    assert built.tenant_id == "tenant-1" and built.transport.rate_limit.name == "https://x.test|app"


async def test_the_client_works_over_a_real_socket(socket_sandbox):
    async with CXoneClient(socket_sandbox.url, "demo", "demo-secret", retry=FAST_RETRY) as cxone:
        campaigns = await asyncio.gather(*(cxone.get_campaign(f"C-{1001 + i}") for i in range(10)))
        page = await cxone.list_campaigns(top=100)
    assert [c.id for c in campaigns] == [f"C-{1001 + i}" for i in range(10)]
    assert page.total_records == 40 and all(isinstance(c, Campaign) for c in page.campaigns)
    assert socket_sandbox.state.stats.count("POST /oauth2/token") == 1
