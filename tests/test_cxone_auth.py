"""OAuth2 client credentials: the token is cached, refreshed early, fetched once however many calls wait,
refreshed once on a 401; credentials and scopes refused become typed errors."""

from __future__ import annotations

import asyncio

import pytest

from campaigns.cxone.errors import CampaignLocked, InvalidCredentials, MissingScope
from campaigns.sandbox import create_app
from tests.cxone_support import asgi_client, fast_config, token_requests


@pytest.fixture
def sandbox_app():
    return create_app(fast_config())


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_it_reuses_the_cached_token_for_later_calls(sandbox_app):
    async with asgi_client(sandbox_app) as cxone:
        for number in range(5):
            await cxone.get_campaign(f"C-{1001 + number}")
    assert token_requests(sandbox_app) == 1


async def test_fifty_concurrent_calls_on_a_cold_client_make_one_token_request(sandbox_app):
    async with asgi_client(sandbox_app) as cxone:
        results = await asyncio.gather(*(cxone.get_campaign(f"C-{1001 + n % 40}") for n in range(50)))
    assert len(results) == 50
    assert token_requests(sandbox_app) == 1 and cxone.transport.token_requests == 1


async def test_it_refreshes_the_token_sixty_seconds_before_it_expires(sandbox_app):
    clock = FakeClock()
    async with asgi_client(sandbox_app, clock=clock) as cxone:
        await cxone.get_campaign("C-1001")  # token valid for 3600 s
        clock.now += 3600 - 61
        await cxone.get_campaign("C-1001")
        assert token_requests(sandbox_app) == 1
        clock.now += 2  # now 59 s before expiry: inside the margin
        await cxone.get_campaign("C-1001")
    assert token_requests(sandbox_app) == 2


async def test_a_short_lived_token_is_refreshed_at_half_life_not_on_every_call():
    app = create_app(fast_config(token_lifetime=100))
    clock = FakeClock()
    async with asgi_client(app, clock=clock) as cxone:
        await cxone.get_campaign("C-1001")
        clock.now += 49
        await cxone.get_campaign("C-1001")
        assert token_requests(app) == 1
        clock.now += 2
        await cxone.get_campaign("C-1001")
    assert token_requests(app) == 2


async def test_a_401_refreshes_the_token_once_and_retries_the_call(sandbox_app):
    async with asgi_client(sandbox_app) as cxone:
        await cxone.get_campaign("C-1001")
        sandbox_app.state.revoke_tokens()
        campaign = await cxone.get_campaign("C-1002")
    assert campaign.id == "C-1002"
    assert token_requests(sandbox_app) == 2
    assert sandbox_app.state.stats.count("GET /api/v2/outbound/campaigns/{campaign_id}", 401) == 1


async def test_concurrent_401s_share_one_refresh(sandbox_app):
    async with asgi_client(sandbox_app) as cxone:
        await cxone.get_campaign("C-1001")
        sandbox_app.state.revoke_tokens()
        await asyncio.gather(*(cxone.get_campaign(f"C-{1001 + n}") for n in range(20)))
    assert token_requests(sandbox_app) == 2


async def test_a_token_cxone_keeps_refusing_ends_in_invalid_credentials_after_one_refresh():
    app = create_app(fast_config(token_lifetime=0))  # every token is expired on arrival
    async with asgi_client(app) as cxone:
        with pytest.raises(InvalidCredentials, match="freshly issued"):
            await cxone.get_campaign("C-1001")
    assert token_requests(app) == 2
    assert app.state.stats.count("GET /api/v2/outbound/campaigns/{campaign_id}", 401) == 2


async def test_a_wrong_secret_raises_invalid_credentials_without_retrying():
    app = create_app(fast_config(client_secret="another-secret"))
    async with asgi_client(app) as cxone:
        with pytest.raises(InvalidCredentials) as caught:
            await cxone.get_campaign("C-1001")
    assert caught.value.code == "invalid_client" and not caught.value.retryable
    assert token_requests(app) == 1


async def test_asking_for_a_scope_the_tenant_does_not_grant_raises_missing_scope():
    app = create_app(fast_config(granted_scopes=["outbound:campaign:read"]))
    async with asgi_client(app) as cxone:
        with pytest.raises(MissingScope) as caught:
            await cxone.get_campaign("C-1001")
    assert caught.value.code == "insufficient_scope" and caught.value.status_code == 403


async def test_a_token_without_the_operations_scope_raises_missing_scope_not_locked(sandbox_app):
    async with asgi_client(sandbox_app, scopes=["outbound:campaign:read"]) as cxone:
        campaign = await cxone.get_campaign("C-1001")
        with pytest.raises(MissingScope) as caught:
            await cxone.put_campaign_once(campaign, base_version=campaign.version)
    assert caught.value.code == "scope.missing"
    assert not isinstance(caught.value, CampaignLocked)
