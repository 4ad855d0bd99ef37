"""Retries bounded by a time budget (Retry-After honoured, own backoff without it), 5xx, timeouts, dropped
connections and the circuit breaker that stops calling after sustained 429s."""

from __future__ import annotations

import datetime as dt
import email.utils

import pytest

from campaigns.cxone.errors import (
    CircuitOpen,
    RateLimited,
    RequestTimeout,
    ServerError,
    TransportError,
    VersionConflict,
)
from campaigns.cxone.resilience import CircuitBreaker, RetrySettings, parse_retry_after
from campaigns.cxone.v2 import CXoneClient
from campaigns.sandbox import SandboxServer, create_app
from tests.cxone_support import FAST_RETRY, FakeClock, RecordingSleep, asgi_client, fast_config

CAMPAIGN_ROUTE = "GET /api/v2/outbound/campaigns/{campaign_id}"


async def test_rate_limiting_is_waited_out_as_retry_after_says_until_the_time_budget_is_spent():
    app = create_app(fast_config(rate_limit=0.5, burst=2))  # 2 s per new request once the burst is spent
    clock = FakeClock()
    # Two attempts would end a call that keeps failing with 5xx; 429s are bounded by the 7 s budget alone.
    retry = RetrySettings(attempts=2, total_seconds=7, wait_initial=0.01, wait_jitter=0.05)
    async with asgi_client(app, sleep=clock.sleep, clock=clock, retry=retry) as cxone:
        await cxone.get_campaign("C-1001")  # spends the token request and the API request of the burst
        with pytest.raises(RateLimited) as caught:
            await cxone.get_campaign("C-1002")
    assert caught.value.retry_after == 2.0 and caught.value.status_code == 429
    # Each wait honours the header (2 s, plus at most the jitter); the sandbox's clock never moved, so every
    # request was refused. Three waits fit in the 7 s budget, a fourth would not: 4 requests, not 2.
    assert len(clock.waits) == 3 and all(2.0 <= wait <= 2.05 for wait in clock.waits)
    assert app.state.stats.count(CAMPAIGN_ROUTE, 429) == 4


async def test_it_succeeds_once_the_rate_limit_window_has_passed():
    app = create_app(fast_config(rate_limit=0.5, burst=2))

    async def sleep_on_the_sandbox_clock(seconds: float) -> None:
        app.state.clock.advance(seconds)

    async with asgi_client(app, sleep=sleep_on_the_sandbox_clock) as cxone:
        await cxone.get_campaign("C-1001")
        campaign = await cxone.get_campaign("C-1002")
    assert campaign.id == "C-1002"
    assert app.state.stats.count(CAMPAIGN_ROUTE, 429) == 1 and app.state.stats.count(CAMPAIGN_ROUTE, 200) == 2


async def test_without_retry_after_it_backs_off_exponentially_with_jitter_and_a_cap():
    app = create_app(fast_config(rate_limit=0.001, burst=1, omit_retry_after=True))
    clock = FakeClock()
    retry = RetrySettings(attempts=2, total_seconds=24, wait_initial=1.0, wait_max=6.0, wait_jitter=0.5)
    async with asgi_client(app, sleep=clock.sleep, clock=clock, retry=retry) as cxone:
        with pytest.raises(RateLimited) as caught:
            await cxone.get_campaign("C-1001")  # the token request took the only token
    assert caught.value.retry_after is None
    # 1 + 2 + 4 + 6 + 6 s (each plus at most 0.5 s of jitter) fit in 24 s; another 6 s would not.
    lower_bounds = [1.0, 2.0, 4.0, 6.0, 6.0]
    assert len(clock.waits) == 5
    assert all(low <= wait <= low + 0.5 for low, wait in zip(lower_bounds, clock.waits, strict=True))


async def test_a_retry_after_longer_than_the_time_budget_is_not_waited_for():
    app = create_app(fast_config(rate_limit=0.01, burst=1))  # Retry-After: 100
    sleep = RecordingSleep()
    async with asgi_client(app, sleep=sleep, retry=RetrySettings(attempts=5, total_seconds=30)) as cxone:
        with pytest.raises(RateLimited) as caught:
            await cxone.get_campaign("C-1001")
    assert caught.value.retry_after == 100 and sleep.waits == []


async def test_endless_429s_without_retry_after_end_within_the_time_budget():
    app = create_app(fast_config(rate_limit=0.001, burst=1, omit_retry_after=True))
    retry = RetrySettings(attempts=100, total_seconds=0.5, wait_initial=0.05, wait_max=0.2, wait_jitter=0.02)
    clock = FakeClock()
    async with asgi_client(app, retry=retry, sleep=clock.sleep, clock=clock) as cxone:
        with pytest.raises(RateLimited):
            await cxone.get_campaign("C-1001")
    # Waits of 0.05, 0.1 and 0.2 s (each plus at most 0.02 of jitter) add up to 0.35..0.41 s; the next one
    # (0.2 s or more) would start a request past the 0.5 s budget, so it is not taken: the time budget, not
    # the 100 attempts, ends the call, after 4 requests and well within the budget.
    assert len(clock.waits) == 3 and sum(clock.waits) <= retry.total_seconds
    assert all(low <= wait <= low + 0.02 for low, wait in zip([0.05, 0.1, 0.2], clock.waits, strict=True))
    assert app.state.stats.count(CAMPAIGN_ROUTE, 429) == len(clock.waits) + 1


async def test_a_5xx_is_retried_and_the_next_success_returned():
    app = create_app(fast_config())
    failures = iter([True, True, False])

    async def flaky(scope, receive, send, inner=app.app):
        if scope["type"] == "http" and scope["path"].startswith("/api/") and next(failures):
            await send({"type": "http.response.start", "status": 502, "headers": []})
            await send({"type": "http.response.body", "body": b"Bad Gateway"})
            return
        await inner(scope, receive, send)

    app.app = flaky
    async with asgi_client(app) as cxone:
        campaign = await cxone.get_campaign("C-1001")
    assert campaign.id == "C-1001"


async def test_5xx_on_every_attempt_raises_server_error_after_the_attempt_limit():
    app = create_app(fast_config(server_error_rate=1.0))
    async with asgi_client(app) as cxone:
        with pytest.raises(ServerError) as caught:
            await cxone.get_campaign("C-1001")
    assert caught.value.status_code == 503 and caught.value.retryable
    assert app.state.stats.count(CAMPAIGN_ROUTE, 503) == FAST_RETRY.attempts


async def test_a_request_resent_after_a_5xx_flags_its_version_conflict_as_after_retry():
    app = create_app(fast_config())
    async with asgi_client(app) as cxone:
        remote = await cxone.get_campaign("C-1001")
        app.state.touch("C-1001", {})  # CXone moves on while our PUT's first attempt gets a 503
        app.state.config.server_error_rate = 0.5
        rolls = iter([True, False])
        app.state.roll = lambda rate: rate == 0.5 and next(rolls, False)
        payload = remote.to_put_payload(remote.version + 1)
        with pytest.raises(VersionConflict) as caught:  # request() resends where put_campaign_once never does
            await cxone.transport.request("PUT", "/api/v2/outbound/campaigns/C-1001", json=payload)
    assert caught.value.after_retry and caught.value.current_version == remote.version + 1


async def test_a_slow_cxone_raises_a_timeout_over_a_real_socket():
    clock = FakeClock()
    retry = RetrySettings(attempts=2, total_seconds=2, wait_initial=0.01, wait_jitter=0)
    with SandboxServer(fast_config(latency_ms=1000)) as server:
        async with CXoneClient(
            server.url, "demo", "demo-secret", timeout=0.1, retry=retry, sleep=clock.sleep, clock=clock
        ) as cxone:
            with pytest.raises(RequestTimeout) as caught:
                await cxone.get_campaign("C-1001")
    assert isinstance(caught.value, TransportError) and caught.value.retryable
    # The latency holds up the token request too. Each attempt gave up on it at the 0.1 s timeout (a timeout
    # was raised, not the answer CXone would have sent 1 s later); 2 attempts, 1 wait of 0.01 s between: the
    # call took its 2 × 0.1 s of timeouts plus 0.01 s, not the sandbox's latency.
    assert cxone.transport.token_requests == retry.attempts and clock.waits == [0.01]


async def test_a_dropped_connection_over_a_real_socket_is_retried():
    with SandboxServer(fast_config()) as server:
        async with CXoneClient(server.url, "demo", "demo-secret", retry=FAST_RETRY) as cxone:
            await cxone.get_campaign("C-1001")
            rolls = iter([True, False])
            real_roll = server.state.roll
            server.state.roll = lambda rate: next(rolls, False) if rate == 0.5 else real_roll(rate)
            server.state.config.drop_rate = 0.5
            campaign = await cxone.get_campaign("C-1002")
    assert campaign.id == "C-1002"
    assert server.state.stats.count(CAMPAIGN_ROUTE, "dropped") == 1


async def test_dropped_connections_on_every_attempt_raise_transport_error():
    app = create_app(fast_config(drop_rate=1.0))
    async with asgi_client(app) as cxone:
        with pytest.raises(TransportError):
            await cxone.get_campaign("C-1001")
    assert app.state.stats.count(CAMPAIGN_ROUTE, "dropped") == FAST_RETRY.attempts


async def test_an_unreachable_cxone_raises_transport_error():
    retry = RetrySettings(attempts=2, total_seconds=1, wait_initial=0.01, wait_jitter=0)
    async with CXoneClient("http://127.0.0.1:9", "demo", "demo-secret", retry=retry, timeout=1) as cxone:
        with pytest.raises(TransportError):
            await cxone.get_campaign("C-1001")


def test_a_burst_of_429s_does_not_open_the_circuit_but_429s_sustained_for_its_window_do():
    now = [0.0]
    breaker = CircuitBreaker(threshold=5, sustained_seconds=30, cooldown=10, clock=lambda: now[0])
    for _ in range(50):  # 50 refusals within a second: CXone's bucket is briefly empty
        breaker.record_rate_limited()
        now[0] += 0.02
    assert breaker.state == "closed"
    breaker.record_answer()  # an answer ends the streak
    now[0] += 100
    for _ in range(4):
        breaker.record_rate_limited()
        now[0] += 10
    assert breaker.state == "closed"  # 30 s of nothing but 429s, but only 4 of them
    breaker.record_rate_limited()
    assert breaker.state == "open" and breaker.times_opened == 1


async def test_the_circuit_opens_after_sustained_429s_and_then_fails_fast():
    app = create_app(fast_config(rate_limit=0.001, burst=2, omit_retry_after=True))
    clock = FakeClock()
    breaker = CircuitBreaker(threshold=3, sustained_seconds=10, cooldown=60, clock=clock)
    retry = RetrySettings(attempts=10, total_seconds=60, wait_initial=1, wait_max=4, wait_jitter=0)
    async with asgi_client(app, circuit=breaker, retry=retry, sleep=clock.sleep, clock=clock) as cxone:
        await cxone.get_campaign("C-1001")
        with pytest.raises(CircuitOpen) as caught:
            await cxone.get_campaign("C-1002")
        calls_when_opened = app.state.stats.as_dict()["totalRequests"]
        with pytest.raises(CircuitOpen):
            await cxone.get_campaign("C-1003")
    # 429s at 0, 1, 3, 7 and 11 s (waits of 1, 2, 4 and 4 s): the fifth is the first with 10 s of them.
    assert clock.waits == [1, 2, 4, 4]
    assert app.state.stats.count(CAMPAIGN_ROUTE, 429) == 5
    assert app.state.stats.as_dict()["totalRequests"] == calls_when_opened
    assert caught.value.retry_after == 60 and breaker.state == "open"


async def test_the_circuit_lets_one_trial_through_after_the_cool_down_and_closes_on_success():
    app = create_app(fast_config(rate_limit=0.001, burst=2, omit_retry_after=True))
    now = [0.0]
    breaker = CircuitBreaker(threshold=2, sustained_seconds=0, cooldown=30, clock=lambda: now[0])
    async with asgi_client(
        app, circuit=breaker, retry=RetrySettings(attempts=5, wait_initial=0.001, wait_jitter=0.001)
    ) as cxone:
        await cxone.get_campaign("C-1001")
        with pytest.raises(CircuitOpen):
            await cxone.get_campaign("C-1002")
        now[0] += 31
        app.state.clock.advance(10_000)  # the bucket refills
        campaign = await cxone.get_campaign("C-1002")
    assert campaign.id == "C-1002" and breaker.state == "closed"


def test_a_half_open_circuit_reopens_when_the_trial_is_rate_limited_too():
    now = [0.0]
    breaker = CircuitBreaker(threshold=2, sustained_seconds=0, cooldown=10, clock=lambda: now[0])
    breaker.record_rate_limited()
    breaker.record_rate_limited()
    assert breaker.state == "open"
    now[0] = 11
    breaker.before_call()  # the one trial
    with pytest.raises(CircuitOpen):
        breaker.before_call()  # no second trial while the first is out
    breaker.record_rate_limited()
    assert breaker.state == "open" and breaker.times_opened == 2


def test_retry_after_is_read_as_seconds_or_as_an_http_date():
    assert parse_retry_after("3") == 3.0
    assert parse_retry_after("0.25") == 0.25
    when = dt.datetime(2026, 10, 21, 7, 28, tzinfo=dt.UTC)
    http_date = email.utils.format_datetime(when, usegmt=True)
    assert parse_retry_after(http_date, now=lambda: when.timestamp() - 10) == 10.0
    assert parse_retry_after("-5") == 0.0
    assert (
        parse_retry_after("soon") is None
        and parse_retry_after(None) is None
        and parse_retry_after("nan") is None
    )
