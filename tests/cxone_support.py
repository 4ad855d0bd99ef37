"""Helpers shared by the CXone client, sandbox and sync tests: a sandbox in process or on a socket, and
clients with small retry waits so that the tests stay fast."""

from __future__ import annotations

import httpx

from campaigns.cxone.admin_client import AdminClient
from campaigns.cxone.backend import MAX_PAGE_SIZE, CXoneBackend
from campaigns.cxone.resilience import CircuitBreaker, RetrySettings
from campaigns.cxone.schemas import Campaign
from campaigns.cxone.v2 import CXoneClient
from campaigns.sandbox import SandboxConfig
from tests.admin_contract import ContractTransport

BASE_URL = "http://cxone.test"
# Small waits; the attempt limit, not the time budget, ends a call that keeps failing with 5xx or no answer
# (tests count its requests), so the budget is far above the 0.2 s the waits can add up to: a loaded machine
# cannot cut a call short. A test that meets endless 429s sets a budget of its own (and a FakeClock).
FAST_RETRY = RetrySettings(attempts=4, total_seconds=60.0, wait_initial=0.01, wait_max=0.05, wait_jitter=0.01)


def fast_config(**knobs) -> SandboxConfig:
    """Sandbox knobs for tests: a rate limit that does not get in the way, a 1 s activation delay."""
    config = SandboxConfig(rate_limit=10_000, burst=10_000, activation_delay=(1.0, 1.0))
    problems = config.update(knobs)
    assert not problems, problems
    return config


def asgi_client(app, **options) -> CXoneClient:
    options.setdefault("retry", FAST_RETRY)
    options.setdefault("circuit", CircuitBreaker(threshold=50, cooldown=1.0))
    return CXoneClient(BASE_URL, "demo", "demo-secret", transport=httpx.ASGITransport(app=app), **options)


class RecordingSleep:
    """Stands in for asyncio.sleep: remembers each wait instead of waiting."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


def token_requests(app) -> int:
    return app.state.stats.count("POST /oauth2/token")


class FakeClock:
    """A monotonic clock that moves only when the code under test sleeps on it: `sleep` records each wait and
    advances the clock by it, so a time budget is checked against the recorded waits, never the wall clock.

    Give it to the client as CXoneClient(sleep=clock.sleep, clock=clock): the retries' time budget
    (RetrySettings.total_seconds) is kept on the client's clock."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start
        self.waits: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.now += seconds


def admin_config(**knobs) -> SandboxConfig:
    """fast_config for the sandbox's Admin API personality."""
    return fast_config(api="admin", **knobs)


def admin_client_for(base_url: str, *, transport=None, contract: bool = True, **options) -> AdminClient:
    """An AdminClient of the sandbox's default application and access key, with small retry waits. Every
    request it sends and every answer it gets is held to the Admin API's contract (tests/admin_contract.py):
    one outside it fails the call with ContractViolation. `client.transport.contract` is that checker."""
    options.setdefault("retry", FAST_RETRY)
    options.setdefault("circuit", CircuitBreaker(threshold=50, cooldown=1.0))
    checker = None
    if contract:
        checker = ContractTransport(transport or httpx.AsyncHTTPTransport())
        transport = checker
    client = AdminClient(
        base_url, "demo", "demo-secret", "demo-key", "demo-key-secret", transport=transport, **options
    )
    client.transport.contract = checker
    return client


def admin_asgi_client(app, **options) -> AdminClient:
    return admin_client_for(BASE_URL, transport=httpx.ASGITransport(app=app), **options)


async def every_campaign(client: CXoneBackend, *, page_size: int = MAX_PAGE_SIZE) -> list[Campaign]:
    """Every campaign of the tenant, page after page until CXone has no next page."""
    found: list[Campaign] = []
    while True:
        page = await client.list_campaigns(skip=len(found), top=page_size)
        found.extend(page.campaigns)
        if not page.campaigns or "next" not in page.links or len(found) >= page.total_records:
            return found
