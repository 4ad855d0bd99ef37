"""Helpers shared by the CXone client, sandbox and sync tests: a sandbox in process or on a socket, and
clients with small retry waits so that the tests stay fast."""

from __future__ import annotations

import httpx

from campaigns.cxone.client import CXoneClient
from campaigns.cxone.resilience import CircuitBreaker, RetrySettings
from campaigns.cxone.sandbox import SandboxConfig

BASE_URL = "http://cxone.test"
FAST_RETRY = RetrySettings(attempts=4, total_seconds=3.0, wait_initial=0.01, wait_max=0.05, wait_jitter=0.01)


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
